//! The XML-DSig core validation of a list's enveloped signature on the tree already parsed for the
//! data model (W3C XML Signature Syntax and Processing, Second Edition, §3.2): reference digests
//! over Exclusive XML Canonicalization 1.0 ([`crate::c14n`]), then the `SignatureValue` over the
//! canonical `SignedInfo` (the public-key operation itself is bergshamra's, through its algorithm
//! registry, so RSA and ECDSA behave exactly as in its full verifier).
//!
//! Only the shape real trusted lists use is handled here: `SignedInfo` canonicalised with
//! exclusive c14n (no comments, no `InclusiveNamespaces`); references with SHA-256/384/512 whose
//! transforms are `enveloped-signature` + exclusive c14n (`URI=""`) or exclusive c14n alone (a
//! `#id` inside the signature, the XAdES `SignedProperties`); RSA PKCS#1 v1.5 or ECDSA with
//! SHA-256/384/512. Anything else is [`Native::Unsupported`], and anything that does not verify is
//! [`Native::Failed`]: in both cases [`crate::verify`] hands the document to bergshamra's complete
//! verifier, whose verdict then stands. So this path can only make a list verify faster, never
//! make a list verify that bergshamra would reject, unless both compute the same digests and the
//! same signature check — which the tests compare on the real lists and on altered copies.

use crate::c14n::{self, ChunkSink, DigestSink};
use crate::dom::{Document, Node, NodeId};
use crate::uri::{ENVELOPED, EXC_C14N, NS_DSIG};
use crate::xml::{self, child, children, is};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::thread::{Scope, ScopedJoinHandle};

/// SignatureMethod URIs handled here (RFC 6931 §2.3.2 and §2.3.6): RSA PKCS#1 v1.5 and ECDSA.
const SIGNATURE_METHODS: &[&str] = &[
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384",
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512",
];

/// The digest algorithm of the signature's `URI=""` reference (enveloped signature + exclusive
/// c14n of the whole document), the digest that costs: [`crate::verify`] computes it ahead, on
/// two threads, and hands it to [`verify`]. `None` when there is no such reference with a digest
/// algorithm and transforms handled here.
pub(crate) fn whole_document_algorithm(sig: Node<'_, '_>) -> Option<DigestAlg> {
    let si = child(sig, NS_DSIG, "SignedInfo")?;
    let r = children(si, NS_DSIG, "Reference").find(|r| r.attribute("URI") == Some(""))?;
    let alg = child(r, NS_DSIG, "DigestMethod").and_then(|m| m.attribute("Algorithm")).and_then(DigestAlg::from_uri)?;
    (transforms(r)? == [ENVELOPED, EXC_C14N]).then_some(alg)
}

/// A thread that hashes canonical bytes for [`crate::verify`]. It is started before the document
/// is read, so that the scheduler has placed it on a free core by the time there is work for it
/// (a thread spawned at that moment sometimes began on the busy core, and then cost more than it
/// saved). It waits for the algorithm, hashes the chunks a [`ChunkSink`] sends until the sink is
/// dropped (sending each emptied buffer back), and ends; dropped unused, it ends at once.
pub(crate) struct HashWorker<'scope> {
    alg: Sender<DigestAlg>,
    chunks: Sender<Vec<u8>>,
    spare: Receiver<Vec<u8>>,
    handle: ScopedJoinHandle<'scope, Option<Vec<u8>>>,
}

/// A digest being computed by a [`HashWorker`].
pub(crate) struct PendingDigest<'scope> {
    pub(crate) alg: DigestAlg,
    handle: ScopedJoinHandle<'scope, Option<Vec<u8>>>,
}

impl<'scope> HashWorker<'scope> {
    /// `None` when no thread can be had (the digest is then computed where it is needed).
    pub(crate) fn start<'env>(scope: &'scope Scope<'scope, 'env>) -> Option<Self> {
        let (alg, alg_rx) = channel::<DigestAlg>();
        let (chunks, chunks_rx) = channel();
        let (back, spare) = channel();
        let handle = std::thread::Builder::new()
            .spawn_scoped(scope, move || Some(alg_rx.recv().ok()?.digest_chunks(chunks_rx, back)))
            .ok()?;
        Some(HashWorker { alg, chunks, spare, handle })
    }

    /// Hands the worker `alg` and what `write` canonicalises (on this thread, which is the fast
    /// part); the digest is joined from the result.
    pub(crate) fn digest(self, alg: DigestAlg, write: impl FnOnce(&mut ChunkSink)) -> PendingDigest<'scope> {
        // A worker that is gone gives no digest at the join.
        let _ = self.alg.send(alg);
        write(&mut ChunkSink::new(self.chunks, self.spare));
        PendingDigest { alg, handle: self.handle }
    }
}

impl PendingDigest<'_> {
    pub(crate) fn join(self) -> Option<Vec<u8>> {
        self.handle.join().ok().flatten()
    }
}

/// The outcome of the native check.
#[derive(Debug)]
pub(crate) enum Native {
    /// Every reference digest matched and the signature verified with this certificate's key.
    Verified(Vec<u8>),
    /// A digest or the signature did not verify (`digest`: it was a digest).
    Failed { reason: String, digest: bool },
    /// A shape this module does not handle (algorithm, transform, duplicate Id, ...).
    Unsupported(String),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum DigestAlg {
    Sha256,
    Sha384,
    Sha512,
}

impl DigestAlg {
    /// XML Encryption §5.7.2 / RFC 6931 §2.1.3 digest URIs.
    fn from_uri(uri: &str) -> Option<DigestAlg> {
        match uri {
            "http://www.w3.org/2001/04/xmlenc#sha256" => Some(DigestAlg::Sha256),
            "http://www.w3.org/2001/04/xmldsig-more#sha384" => Some(DigestAlg::Sha384),
            "http://www.w3.org/2001/04/xmlenc#sha512" => Some(DigestAlg::Sha512),
            _ => None,
        }
    }

    /// Hashes the chunks received until the sender is dropped, sending each emptied buffer back.
    pub(crate) fn digest_chunks(self, chunks: Receiver<Vec<u8>>, back: Sender<Vec<u8>>) -> Vec<u8> {
        fn run<D: sha2::Digest>(chunks: Receiver<Vec<u8>>, back: Sender<Vec<u8>>) -> Vec<u8> {
            let mut d = D::new();
            for mut chunk in chunks {
                d.update(&chunk);
                chunk.clear();
                // Gone: the writer has finished; the buffer is dropped here.
                let _ = back.send(chunk);
            }
            d.finalize().to_vec()
        }
        match self {
            DigestAlg::Sha256 => run::<sha2::Sha256>(chunks, back),
            DigestAlg::Sha384 => run::<sha2::Sha384>(chunks, back),
            DigestAlg::Sha512 => run::<sha2::Sha512>(chunks, back),
        }
    }

    fn digest(self, apex: Node<'_, '_>, exclude: Option<NodeId>) -> Vec<u8> {
        fn run<D: sha2::Digest>(apex: Node<'_, '_>, exclude: Option<NodeId>) -> Vec<u8> {
            let mut sink = DigestSink::<D>::new();
            c14n::exclusive(apex, exclude, &mut sink);
            sink.finish()
        }
        match self {
            DigestAlg::Sha256 => run::<sha2::Sha256>(apex, exclude),
            DigestAlg::Sha384 => run::<sha2::Sha384>(apex, exclude),
            DigestAlg::Sha512 => run::<sha2::Sha512>(apex, exclude),
        }
    }
}

fn b64(s: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    let clean: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(clean).ok()
}

/// The transforms of a reference: their algorithms, or `None` when one carries parameters
/// (e.g. an `InclusiveNamespaces` PrefixList), which this module does not implement.
fn transforms<'a>(r: Node<'a, '_>) -> Option<Vec<&'a str>> {
    let Some(t) = child(r, NS_DSIG, "Transforms") else { return Some(Vec::new()) };
    let mut out = Vec::new();
    for x in children(t, NS_DSIG, "Transform") {
        if x.children().any(|c| c.is_element()) {
            return None;
        }
        out.push(x.attribute("Algorithm")?);
    }
    Some(out)
}

/// Checks the signature `sig` (a child of the document element) of `doc`. `candidates` are the
/// DER certificates whose keys may have signed (the anchor's); `None` means the certificates in
/// the signature's own KeyInfo (the unanchored integrity check).
///
/// `whole` may supply the digest of the `URI=""` reference for an algorithm (computed on another
/// thread, [`HashWorker`]); it is asked last, after every other check, so that the
/// caller's thread does the rest meanwhile; `None` from it (or no `whole`) computes it here. The
/// outcome is the same as checking in document order: the first failing reference is reported
/// before a failing signature value.
pub(crate) fn verify(
    doc: &Document<'_>,
    sig: Node<'_, '_>,
    candidates: Option<&[Vec<u8>]>,
    whole: Option<&mut dyn FnMut(DigestAlg) -> Option<Vec<u8>>>,
) -> Native {
    let unsupported = |s: &str| Native::Unsupported(s.to_string());
    let Some(si) = child(sig, NS_DSIG, "SignedInfo") else { return unsupported("no SignedInfo") };
    let Some(cm) = child(si, NS_DSIG, "CanonicalizationMethod") else {
        return unsupported("no CanonicalizationMethod");
    };
    if cm.attribute("Algorithm") != Some(EXC_C14N) || cm.children().any(|c| c.is_element()) {
        return unsupported("SignedInfo canonicalisation other than plain exclusive c14n");
    }
    let Some(method) = child(si, NS_DSIG, "SignatureMethod").and_then(|m| m.attribute("Algorithm")) else {
        return unsupported("no SignatureMethod");
    };
    if !SIGNATURE_METHODS.contains(&method) {
        return unsupported("signature method");
    }

    // References (XML-DSig §3.2.1), then the signature value; the whole-document digest is
    // compared last (see above), but a failure found after it is reported after it.
    let (deferred, early) = match references(doc, sig, si) {
        Ok(deferred) => (deferred, None),
        Err((deferred, outcome)) => (deferred, Some(outcome)),
    };
    let outcome = match early {
        Some(o) => o,
        None => signature_value(sig, si, method, candidates),
    };
    if let Some((alg, expected)) = deferred {
        let supplied = whole.and_then(|w| w(alg));
        let actual = supplied.unwrap_or_else(|| alg.digest(doc.root_element(), Some(sig.id())));
        if actual != expected {
            return digest_mismatch("");
        }
    }
    outcome
}

/// The whole-document reference (algorithm, expected value) when there is one, left for the
/// caller to compare.
type Deferred = Option<(DigestAlg, Vec<u8>)>;

/// Checks every reference but the first `URI=""` one, which it returns; stops at the first that
/// fails or has a shape not handled here.
fn references(doc: &Document<'_>, sig: Node<'_, '_>, si: Node<'_, '_>) -> Result<Deferred, (Deferred, Native)> {
    let mut deferred: Deferred = None;
    let mut count = 0;
    for r in children(si, NS_DSIG, "Reference") {
        count += 1;
        let stop = |deferred: Deferred, outcome: Native| Err((deferred, outcome));
        let unsupported = |s: &str| Native::Unsupported(s.to_string());
        let Some(alg) = child(r, NS_DSIG, "DigestMethod").and_then(|m| m.attribute("Algorithm")) else {
            return stop(deferred, unsupported("no DigestMethod"));
        };
        let Some(alg) = DigestAlg::from_uri(alg) else { return stop(deferred, unsupported("digest method")) };
        let Some(expected) = child(r, NS_DSIG, "DigestValue").map(|d| b64(&xml::text(d))) else {
            return stop(deferred, unsupported("no DigestValue"));
        };
        let Some(expected) = expected else {
            return stop(deferred, Native::Failed { reason: "a DigestValue is not base64".into(), digest: true });
        };
        let Some(tr) = transforms(r) else { return stop(deferred, unsupported("transform parameters")) };
        let actual = match r.attribute("URI") {
            // The whole document minus the enveloped signature (XML-DSig §4.4.3.2, §6.6.4).
            Some("") if tr == [ENVELOPED, EXC_C14N] && deferred.is_none() => {
                deferred = Some((alg, expected));
                continue;
            }
            Some("") if tr == [ENVELOPED, EXC_C14N] => alg.digest(doc.root_element(), Some(sig.id())),
            // A same-document reference to the XAdES properties inside the signature.
            Some(u) if u.starts_with('#') && tr == [EXC_C14N] => {
                let id = u.trim_start_matches('#');
                let mut targets = doc.descendants().filter(|n| n.is_element() && n.attribute("Id") == Some(id));
                let (Some(target), None) = (targets.next(), targets.next()) else {
                    return stop(deferred, unsupported("reference target missing or not unique"));
                };
                if !target.ancestors().any(|a| a == sig) {
                    return stop(deferred, unsupported("reference target outside the signature"));
                }
                alg.digest(target, None)
            }
            _ => return stop(deferred, unsupported("reference shape")),
        };
        if actual != expected {
            return stop(deferred, digest_mismatch(r.attribute("URI").unwrap_or("")));
        }
    }
    if count == 0 {
        return Err((None, Native::Unsupported("no reference".into())));
    }
    Ok(deferred)
}

/// The signature value checked with pki's verifier (ring; RustCrypto only for ECDSA with SHA-512,
/// which ring lacks), the project's verifying backend: `Some(verified)`, or `None` when the
/// key or the algorithm is not one it takes (bergshamra then decides). XML-DSig ECDSA values are
/// `r || s` (RFC 6931 §2.3.6, RFC 4050 §3.3), re-encoded as the DER the verifier expects.
fn with_ring(method: &str, cert_der: &[u8], message: &[u8], value: &[u8]) -> Option<bool> {
    use pki::cert::{Hash, SignatureAlgorithm};
    use pki::crypto::{SignatureError, SignatureVerifier};
    let (name, hash) = method.strip_prefix("http://www.w3.org/2001/04/xmldsig-more#")?.split_once('-')?;
    let hash = match hash {
        "sha256" => Hash::Sha256,
        "sha384" => Hash::Sha384,
        "sha512" => Hash::Sha512,
        _ => return None,
    };
    let (alg, signature) = match name {
        "rsa" => (SignatureAlgorithm::RsaPkcs1(hash), std::borrow::Cow::Borrowed(value)),
        "ecdsa" => (SignatureAlgorithm::Ecdsa(hash), std::borrow::Cow::Owned(ecdsa_raw_to_der(value)?)),
        _ => return None,
    };
    let cert = pki::cert::Certificate::from_der(cert_der).ok()?;
    match pki::crypto::RingVerifier.verify(&alg, &cert.public_key, message, &signature) {
        Ok(()) => Some(true),
        Err(SignatureError::Invalid) => Some(false),
        Err(_) => None,
    }
}

/// `r || s` (two equal halves, P-521 at most) as the DER `ECDSA-Sig-Value` (RFC 3279 §2.2.3).
fn ecdsa_raw_to_der(raw: &[u8]) -> Option<Vec<u8>> {
    if raw.is_empty() || raw.len() % 2 != 0 || raw.len() > 132 {
        return None;
    }
    let (r, s) = raw.split_at(raw.len() / 2);
    let integer = |v: &[u8]| {
        let v = match v.iter().position(|b| *b != 0) {
            Some(i) => v.get(i..).unwrap_or(&[]),
            None => v.get(v.len().saturating_sub(1)..).unwrap_or(&[]),
        };
        let pad = v.first().is_some_and(|b| b & 0x80 != 0);
        let mut out = vec![0x02, (v.len() + usize::from(pad)) as u8];
        if pad {
            out.push(0);
        }
        out.extend_from_slice(v);
        out
    };
    let body = [integer(r), integer(s)].concat();
    let mut out = vec![0x30];
    if body.len() < 0x80 {
        out.push(body.len() as u8);
    } else {
        out.extend_from_slice(&[0x81, body.len() as u8]);
    }
    out.extend_from_slice(&body);
    Some(out)
}

fn digest_mismatch(uri: &str) -> Native {
    Native::Failed { reason: format!("the digest of the reference URI={uri:?} does not match"), digest: true }
}

/// The SignatureValue over the canonical SignedInfo (XML-DSig §3.2.2), with the first candidate
/// key that verifies it.
fn signature_value(sig: Node<'_, '_>, si: Node<'_, '_>, method: &str, candidates: Option<&[Vec<u8>]>) -> Native {
    let unsupported = |s: &str| Native::Unsupported(s.to_string());
    let Some(value) = child(sig, NS_DSIG, "SignatureValue").map(|v| b64(&xml::text(v))) else {
        return unsupported("no SignatureValue");
    };
    let Some(value) = value else {
        return Native::Failed { reason: "the SignatureValue is not base64".into(), digest: false };
    };
    let mut signed_info = Vec::with_capacity(4096);
    c14n::exclusive(si, None, &mut signed_info);
    let keyinfo: Vec<Vec<u8>>;
    let candidates = match candidates {
        Some(c) => c,
        None => {
            keyinfo = child(sig, NS_DSIG, "KeyInfo")
                .map(|ki| {
                    ki.descendants()
                        .filter(|n| is(*n, NS_DSIG, "X509Certificate"))
                        .filter_map(|n| b64(&xml::text(n)))
                        .collect()
                })
                .unwrap_or_default();
            &keyinfo
        }
    };
    let Ok(algorithm) = bergshamra::crypto::sign::from_uri(method) else { return unsupported("signature method") };
    for der in candidates {
        match with_ring(method, der, &signed_info, &value) {
            Some(true) => return Native::Verified(der.clone()),
            Some(false) => continue,
            // A key or algorithm ring does not take (RSA under 2048 bits, ...): bergshamra's.
            None => {}
        }
        let Ok(key) = bergshamra::keys::loader::load_x509_cert_der(der) else { continue };
        let Ok(Some(signing_key)) = key.to_signing_key() else { continue };
        if let Ok(true) = algorithm.verify(&signing_key, &signed_info, &value) {
            return Native::Verified(der.clone());
        }
    }
    Native::Failed { reason: "the signature value does not verify with any candidate key".into(), digest: false }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pieces of every size (a byte, under and over a chunk, one far over) hashed on the worker
    /// give the digest of their concatenation, for each algorithm.
    #[test]
    fn hash_worker_digests_what_the_sink_writes() {
        use crate::c14n::{Sink, CHUNK};
        use sha2::Digest;
        let pieces: Vec<Vec<u8>> = [1, 7, CHUNK - 3, 5, CHUNK, 2, 3 * CHUNK + 11, 0, 9]
            .iter()
            .enumerate()
            .map(|(i, &n)| (0..n).map(|j| (i * 31 + j) as u8).collect())
            .collect();
        let all = pieces.concat();
        for alg in [DigestAlg::Sha256, DigestAlg::Sha384, DigestAlg::Sha512] {
            let got = std::thread::scope(|s| {
                let worker = HashWorker::start(s).unwrap();
                worker
                    .digest(alg, |sink| {
                        for p in &pieces {
                            sink.put(p);
                        }
                    })
                    .join()
            });
            let want = match alg {
                DigestAlg::Sha256 => sha2::Sha256::digest(&all).to_vec(),
                DigestAlg::Sha384 => sha2::Sha384::digest(&all).to_vec(),
                DigestAlg::Sha512 => sha2::Sha512::digest(&all).to_vec(),
            };
            assert_eq!(got, Some(want), "{alg:?}");
        }
        // A worker dropped unused ends without a digest.
        std::thread::scope(|s| drop(HashWorker::start(s)));
    }

    #[test]
    fn ecdsa_values_are_re_encoded_as_der() {
        // Leading zeros dropped, a zero added before a high bit, one zero byte kept for zero.
        let raw = [[0x00, 0x00, 0x7F, 0x01].as_slice(), &[0x80, 0x00, 0x00, 0x00]].concat();
        assert_eq!(
            ecdsa_raw_to_der(&raw).unwrap(),
            [0x30, 0x0B, 0x02, 0x02, 0x7F, 0x01, 0x02, 0x05, 0x00, 0x80, 0x00, 0x00, 0x00]
        );
        let zero = [0u8; 4];
        assert_eq!(ecdsa_raw_to_der(&zero).unwrap(), [0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00]);
        // P-521 sizes need the long length form.
        let p521 = [0xFFu8; 132];
        let der = ecdsa_raw_to_der(&p521).unwrap();
        assert_eq!(&der[..3], &[0x30, 0x81, 0x8A]);
        assert_eq!(der.len(), 3 + 0x8A);
        for bad in [&[][..], &[1, 2, 3], &[1u8; 134]] {
            assert!(ecdsa_raw_to_der(bad).is_none());
        }
    }

    /// The real lists' signature values (RSA-SHA256/512 and ECDSA P-256 with SHA-512) verify
    /// through pki's verifier, not through the bergshamra fallback; a changed byte does not.
    #[test]
    fn real_lists_verify_through_ring() {
        for (name, text) in crate::xml::shared_lists() {
            let doc = Document::parse(&text).unwrap();
            let sig = child(doc.root_element(), NS_DSIG, "Signature").unwrap();
            let si = child(sig, NS_DSIG, "SignedInfo").unwrap();
            let method = child(si, NS_DSIG, "SignatureMethod").and_then(|m| m.attribute("Algorithm")).unwrap();
            let value = b64(&xml::text(child(sig, NS_DSIG, "SignatureValue").unwrap())).unwrap();
            let cert = sig.descendants().find(|n| is(*n, NS_DSIG, "X509Certificate")).unwrap();
            let cert = b64(&xml::text(cert)).unwrap();
            let mut signed_info = Vec::new();
            c14n::exclusive(si, None, &mut signed_info);
            assert_eq!(with_ring(method, &cert, &signed_info, &value), Some(true), "{name} ({method})");
            signed_info[10] ^= 1;
            assert_eq!(with_ring(method, &cert, &signed_info, &value), Some(false), "{name} altered");
        }
    }
}
