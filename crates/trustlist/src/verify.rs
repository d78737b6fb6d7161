//! Verification of a list's enveloped XML signature (TS 119 612 §5.7) and of its signer.
//!
//! The cryptography is checked first natively on the tree the data model is read from
//! (`trustlist::dsig`, private: W3C Exclusive XML Canonicalization 1.0 streamed into the digests, the
//! signature value with bergshamra's algorithm registry); whenever that does not verify, by
//! `bergshamra`'s complete verifier with its permissive context, whose verdict then stands (its
//! strict context refuses real lists because the XAdES `SignedProperties` reference points inside
//! `<Signature>`). What the strict mode would have protected is checked here instead, on our own
//! DTD-free parse, before either runs:
//!
//! - exactly one `ds:Signature` in the whole document, a child of the root;
//! - a `Reference URI=""` whose transforms are the enveloped-signature transform plus
//!   canonicalisation only (no XPath or XSLT that could carve content out), so the signature covers
//!   the whole list;
//! - every other reference is a same-document `#id` pointing inside the signature (the XAdES
//!   signed properties): nothing is fetched from files or the network.
//!
//! Trust comes from the caller: explicit signer certificates or a LOTL pointer's declared
//! certificates ([`Anchor`]). Only those keys are candidates (bergshamra's `trusted_keys_only`); the
//! certificate in KeyInfo is never trusted by itself. Without an anchor, the signature is checked
//! against the KeyInfo certificate and the result says so ([`TrustSource::KeyInfoOnly`]).
//!
//! The signer is judged at the list's `ListIssueDateTime`; its later expiry, and a list past its
//! `NextUpdate`, are warnings, never a failed signature.

use crate::findings as f;
use crate::model::{OtherTslPointer, TrustedList};
use crate::uri::{ENVELOPED, EXC_C14N, NS_DSIG};
use crate::xml::{self, child, children, is};
use report::{Finding, Location, SubIndication, Verdict};
use serde::Serialize;

/// Where the trust in the signer comes from.
#[derive(Debug, Clone)]
pub enum Anchor {
    /// Certificates given explicitly by the caller (`--signer`).
    Explicit(Vec<Vec<u8>>),
    /// The certificates a LOTL pointer declares for this list.
    Pointer { territory: String, location: String, certificates: Vec<Vec<u8>> },
    /// No anchor: integrity only, against the list's own KeyInfo certificate.
    Unanchored,
}

impl Anchor {
    /// The anchor a pointer declares.
    pub fn from_pointer(p: &OtherTslPointer) -> Anchor {
        Anchor::Pointer {
            territory: p.scheme_territory.clone().unwrap_or_default(),
            location: p.location.clone(),
            certificates: p.certificates().cloned().collect(),
        }
    }
}

/// Which trust source verified the signature (reported in every output).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum TrustSource {
    /// A certificate given explicitly by the caller.
    ExplicitSigner,
    /// A certificate declared by the LOTL pointer for `territory` at `location`.
    LotlPointer { territory: String, location: String },
    /// Only the certificate inside the list's own KeyInfo: integrity, not origin.
    KeyInfoOnly,
}

impl TrustSource {
    pub fn describe(&self) -> String {
        match self {
            TrustSource::ExplicitSigner => "explicit signer certificate (--signer)".into(),
            TrustSource::LotlPointer { territory, location } => {
                format!("LOTL pointer for {territory} ({location})")
            }
            TrustSource::KeyInfoOnly => {
                "the list's own KeyInfo certificate only (NOT anchored: integrity, not origin)".into()
            }
        }
    }
}

/// The certificate that verified the signature.
#[derive(Debug, Clone, Serialize)]
pub struct SignerInfo {
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    pub not_before: i64,
    pub not_after: i64,
    /// SHA-256 of the DER certificate, hex.
    pub sha256: String,
}

/// The result of [`verify`].
#[derive(Debug, Clone)]
pub struct VerifyOutcome {
    pub verdict: Verdict,
    /// The trust source that was used (set even when verification failed).
    pub trust: TrustSource,
    pub signer: Option<SignerInfo>,
    /// `SignatureMethod/@Algorithm`.
    pub signature_method: Option<String>,
    /// The list, when it could be parsed.
    pub list: Option<TrustedList>,
}

impl VerifyOutcome {
    pub fn verified(&self) -> bool {
        self.verdict.is_valid()
    }
}

const C14N_ALGS: &[&str] = &[
    EXC_C14N,
    "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments",
    "http://www.w3.org/2006/12/xml-c14n11",
    "http://www.w3.org/2006/12/xml-c14n11#WithComments",
];

/// Verifies a list's signature at time `at` (Unix seconds; used only for the signer-expiry and
/// NextUpdate warnings).
pub fn verify(bytes: &[u8], anchor: &Anchor, at: i64) -> VerifyOutcome {
    verify_with(bytes, anchor, at, Engine::Auto)
}

/// [`verify`] with the digests and signature value checked by the given [`Engine`] (for comparing
/// the implementations in tests and benchmarks; [`Engine::Auto`] is what [`verify`] uses).
pub fn verify_with(bytes: &[u8], anchor: &Anchor, at: i64, engine: Engine) -> VerifyOutcome {
    match verify_core(bytes, at, engine, |_| Ok::<_, std::convert::Infallible>(anchor.clone())) {
        Ok(o) => o,
        Err(never) => match never {},
    }
}

/// [`verify`] with the anchor chosen from the list's own scheme identity, read from the parsed
/// document before the data model (so a list is parsed once even when its anchor depends on it,
/// as with a LOTL pointer): `choose` gets `Some((SchemeTerritory, TSLType))`, or `None` when the
/// list is too malformed to name them (it is then reported by the verification, whose trust is
/// whatever `choose(None)` returned). An `Err` from `choose` is returned as is (e.g. "the LOTL has
/// no pointer for this territory").
pub fn verify_choosing<E>(
    bytes: &[u8],
    at: i64,
    choose: impl FnOnce(Option<(&str, &str)>) -> Result<Anchor, E>,
) -> Result<VerifyOutcome, E> {
    verify_core(bytes, at, Engine::Auto, choose)
}

/// The anchor for a list of `territory` and `tsl_type` from a LOTL (as [`anchor_from_lotl`]).
pub fn anchor_from_lotl_for(lotl: &TrustedList, territory: &str, tsl_type: &str) -> Option<Anchor> {
    let p = if tsl_type.trim().to_ascii_lowercase().ends_with("listofthelists") {
        lotl.pointers
            .iter()
            .filter(|p| p.tsl_type.as_deref().is_some_and(|t| t.to_ascii_lowercase().ends_with("listofthelists")))
            .find(|p| p.is_xml())
    } else {
        pointer_for(lotl, territory)
    }?;
    Some(Anchor::from_pointer(p))
}

fn outcome_for(anchor: &Anchor) -> VerifyOutcome {
    let trust = match anchor {
        Anchor::Explicit(_) => TrustSource::ExplicitSigner,
        Anchor::Pointer { territory, location, .. } => {
            TrustSource::LotlPointer { territory: territory.clone(), location: location.clone() }
        }
        Anchor::Unanchored => TrustSource::KeyInfoOnly,
    };
    VerifyOutcome { verdict: Verdict::passed(Vec::new()), trust, signer: None, signature_method: None, list: None }
}

fn verify_core<E>(
    bytes: &[u8],
    at: i64,
    engine: Engine,
    choose: impl FnOnce(Option<(&str, &str)>) -> Result<Anchor, E>,
) -> Result<VerifyOutcome, E> {
    std::thread::scope(|s| {
        let hasher = if engine == Engine::Bergshamra { None } else { crate::dsig::HashWorker::start(s) };
        verify_core_with(bytes, at, engine, choose, hasher)
    })
}

/// [`verify_core`] with its hashing thread (see [`crate::dsig::HashWorker`]).
fn verify_core_with<E>(
    bytes: &[u8],
    at: i64,
    engine: Engine,
    choose: impl FnOnce(Option<(&str, &str)>) -> Result<Anchor, E>,
    hasher: Option<crate::dsig::HashWorker<'_>>,
) -> Result<VerifyOutcome, E> {
    let fail = |out: &mut VerifyOutcome, sub: SubIndication, findings: Vec<Finding>| {
        let mut all = std::mem::take(&mut out.verdict.findings);
        all.extend(findings);
        out.verdict = Verdict::failed(sub, all);
    };

    let normalized = match xml::precheck(bytes) {
        Ok(t) => xml::normalize_line_ends(t),
        Err(e) => {
            let mut out = outcome_for(&choose(None)?);
            fail(&mut out, SubIndication::FormatFailure, vec![e.to_finding()]);
            return Ok(out);
        }
    };
    let text: &str = &normalized;
    let doc = match crate::dom::Document::parse(text) {
        Ok(d) => d,
        Err(e) => {
            let mut out = outcome_for(&choose(None)?);
            fail(&mut out, SubIndication::FormatFailure, vec![e.to_finding()]);
            return Ok(out);
        }
    };
    let identity = child(doc.root_element(), crate::uri::NS_TSL, "SchemeInformation").and_then(|si| {
        Some((
            xml::child_text(si, crate::uri::NS_TSL, "SchemeTerritory")?,
            xml::child_text(si, crate::uri::NS_TSL, "TSLType")?,
        ))
    });
    let anchor = choose(identity.as_ref().map(|(t, ty)| (t.as_str(), ty.as_str())))?;
    let anchor = &anchor;
    Ok(verify_parsed(outcome_for(anchor), &doc, text, anchor, at, engine, hasher))
}

/// The rest of [`verify_core`] once the document is parsed and the anchor chosen.
fn verify_parsed(
    mut out: VerifyOutcome,
    doc: &crate::dom::Document<'_>,
    text: &str,
    anchor: &Anchor,
    at: i64,
    engine: Engine,
    hasher: Option<crate::dsig::HashWorker<'_>>,
) -> VerifyOutcome {
    let fail = |out: &mut VerifyOutcome, sub: SubIndication, findings: Vec<Finding>| {
        let mut all = std::mem::take(&mut out.verdict.findings);
        all.extend(findings);
        out.verdict = Verdict::failed(sub, all);
    };
    // When the signature's structure is acceptable (checked below again, with findings), the
    // cryptography runs on a second thread while this one reads the data model: the two are
    // independent and together they are the whole cost of `verify`.
    let has_keys = match anchor {
        Anchor::Explicit(certs) | Anchor::Pointer { certificates: certs, .. } => !certs.is_empty(),
        Anchor::Unanchored => true,
    };
    let (list, early) = if has_keys && structure_ok(doc) {
        // The costly part is the digest of the whole document: exclusive c14n and SHA-2 of
        // nearly all of it. This thread writes the canonical form (the fast part) and hands it
        // in chunks to the hashing thread, then reads the data model and checks the rest while
        // the hashing goes on; the digest is joined last.
        let sig = child(doc.root_element(), NS_DSIG, "Signature");
        let alg = sig.and_then(crate::dsig::whole_document_algorithm);
        let mut pending = match (sig, alg, hasher) {
            (Some(sig), Some(alg), Some(h)) => {
                Some(h.digest(alg, |sink| crate::c14n::exclusive(doc.root_element(), Some(sig.id()), sink)))
            }
            _ => None,
        };
        let list = crate::parse::from_document(doc);
        // No worker, a worker that stopped, or another algorithm asked for: dsig computes it.
        let mut whole = |alg| match pending.take() {
            Some(p) if p.alg == alg => p.join(),
            _ => None,
        };
        (list, Some(crypto_with(engine, anchor, text, doc, Some(&mut whole))))
    } else {
        (crate::parse::from_document(doc), None)
    };
    let list = match list {
        Ok(l) => l,
        Err(e) => {
            fail(&mut out, SubIndication::FormatFailure, vec![e.to_finding()]);
            return out;
        }
    };

    // --- structure: the signature must cover the whole document
    let root = doc.root_element();
    let sigs: Vec<_> = doc.descendants().filter(|n| is(*n, NS_DSIG, "Signature")).collect();
    let Some(sig) = child(root, NS_DSIG, "Signature") else {
        out.list = Some(list);
        fail(
            &mut out,
            SubIndication::FormatFailure,
            vec![Finding::from_def(&f::SIG_MISSING, "the list has no ds:Signature child of its root")],
        );
        return out;
    };
    if sigs.len() != 1 {
        out.list = Some(list);
        fail(
            &mut out,
            SubIndication::SigConstraintsFailure,
            vec![Finding::from_def(
                &f::SIG_SCOPE,
                format!("the document holds {} ds:Signature elements; exactly one is allowed", sigs.len()),
            )],
        );
        return out;
    }
    out.signature_method = child(sig, NS_DSIG, "SignedInfo")
        .and_then(|si| child(si, NS_DSIG, "SignatureMethod"))
        .and_then(|m| m.attribute("Algorithm"))
        .map(str::to_string);
    if let Err(msg) = check_references(sig) {
        out.list = Some(list);
        fail(&mut out, SubIndication::SigConstraintsFailure, vec![Finding::from_def(&f::SIG_SCOPE, msg)]);
        return out;
    }

    // --- cryptography
    let keyinfo_cert = keyinfo_certificate(sig);
    let result = match early {
        Some(r) => r,
        None => match anchor {
            Anchor::Explicit(certs) | Anchor::Pointer { certificates: certs, .. } => {
                if certs.is_empty() {
                    out.list = Some(list);
                    fail(
                        &mut out,
                        SubIndication::NoSignerCertificateFound,
                        vec![Finding::from_def(&f::SIG_SIGNER_UNTRUSTED, "the anchor declares no certificate")],
                    );
                    return out;
                }
                crypto_with(engine, anchor, text, doc, None)
            }
            Anchor::Unanchored => crypto_with(engine, anchor, text, doc, None),
        },
    };
    let signer_der = match result {
        Ok(der) => der,
        Err(Crypto::Unsupported(msg)) => {
            out.list = Some(list);
            fail(
                &mut out,
                SubIndication::SignatureFormatNotSupported,
                vec![Finding::from_def(&f::SIG_UNSUPPORTED, msg)],
            );
            return out;
        }
        Err(Crypto::Invalid { reason, digest }) => {
            // Was it signed by someone else than the declared signers? Diagnose, never accept.
            let by_other = !matches!(anchor, Anchor::Unanchored)
                && crypto_with(engine, &Anchor::Unanchored, text, doc, None).is_ok();
            out.list = Some(list);
            if by_other {
                fail(
                    &mut out,
                    SubIndication::NoSignerCertificateFound,
                    vec![Finding::from_def(
                        &f::SIG_SIGNER_UNTRUSTED,
                        "the signature verifies with the KeyInfo certificate, which is not one of the declared signers",
                    )],
                );
            } else {
                let sub = if digest { SubIndication::HashFailure } else { SubIndication::SigCryptoFailure };
                fail(
                    &mut out,
                    sub,
                    vec![Finding::from_def(&f::SIG_INVALID, format!("the signature does not verify: {reason}"))],
                );
            }
            return out;
        }
    };

    // --- signer and list times
    let mut findings = Vec::new();
    if matches!(anchor, Anchor::Unanchored) {
        findings.push(Finding::from_def(
            &f::SIG_SIGNER_UNANCHORED,
            "no signer was declared (--signer or a LOTL pointer): the signature was checked against the list's own KeyInfo certificate, which proves integrity, not origin",
        ));
    } else if let (Some(ki), Some(s)) = (&keyinfo_cert, &signer_der) {
        if ki != s {
            findings.push(Finding::from_def(
                &f::SIG_KEYINFO_MISMATCH,
                "the KeyInfo certificate differs from the declared certificate that verified the signature",
            ));
        }
    }
    let signer_der = signer_der.or(keyinfo_cert);
    let issue = list.issue_date_time.unix;
    let mut sub = None;
    if let Some(der) = &signer_der {
        if let Some(info) = signer_info(der) {
            if issue < info.not_before || issue > info.not_after {
                findings.push(Finding::from_def(
                    &f::SIG_SIGNER_NOT_VALID_AT_ISSUE,
                    format!(
                        "the signing certificate {} is valid from {} to {}, which does not include the list's issue time {}",
                        info.subject,
                        fmt_time(info.not_before),
                        fmt_time(info.not_after),
                        list.issue_date_time.text
                    ),
                ));
                sub = Some(if issue < info.not_before { SubIndication::NotYetValid } else { SubIndication::Expired });
            } else if at > info.not_after {
                findings.push(Finding::from_def(
                    &f::SIG_SIGNER_EXPIRED,
                    format!(
                        "the signing certificate {} expired on {}; it was valid when the list was issued ({})",
                        info.subject,
                        fmt_time(info.not_after),
                        list.issue_date_time.text
                    ),
                ));
            }
            out.signer = Some(info);
        }
    }
    findings.extend(freshness(&list, at));
    out.list = Some(list);
    out.verdict = match sub {
        Some(s) => Verdict::indeterminate(s, findings),
        None => Verdict::passed(findings),
    };
    out
}

/// Warnings on the list's own dates at time `at`: past NextUpdate, closed, not yet issued.
pub fn freshness(list: &TrustedList, at: i64) -> Vec<Finding> {
    let mut v = Vec::new();
    match &list.next_update {
        Some(nu) if at > nu.unix => v.push(Finding::from_def(
            &f::LIST_STALE,
            format!("the evaluation time {} is after the list's NextUpdate {}", fmt_time(at), nu.text),
        )),
        Some(_) => {}
        None => v.push(Finding::from_def(&f::LIST_CLOSED, "the list has no NextUpdate: it is a closed list")),
    }
    if at < list.issue_date_time.unix {
        v.push(Finding::from_def(
            &f::LIST_NOT_YET_ISSUED,
            format!(
                "the evaluation time {} is before the list's ListIssueDateTime {}",
                fmt_time(at),
                list.issue_date_time.text
            ),
        ));
    }
    v
}

/// RFC 3339 rendering of Unix seconds (for messages): pki's, so every report writes times alike.
pub use pki::validate::fmt_time;

/// Whether the document has exactly one signature, a child of the root, whose references pass
/// [`check_references`] (the same checks `verify` reports on, without the findings).
fn structure_ok(doc: &crate::dom::Document<'_>) -> bool {
    let Some(sig) = child(doc.root_element(), NS_DSIG, "Signature") else { return false };
    doc.descendants().filter(|n| is(*n, NS_DSIG, "Signature")).count() == 1 && check_references(sig).is_ok()
}

/// Which implementation checks the digests and the signature value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// The native check, falling back to bergshamra when it does not verify (what [`verify`] uses).
    Auto,
    /// Only the native check (exclusive c14n on the parsed tree); a shape it does not handle is an error.
    Native,
    /// Only bergshamra's complete verifier.
    Bergshamra,
}

/// The cryptographic check against the anchor's keys (or the KeyInfo certificate when unanchored).
/// With [`Engine::Auto`]: first the native check on the parsed tree ([`crate::dsig`]: exclusive
/// c14n and digests streamed over the tree the model is read from); when that does not verify (or
/// meets a shape it does not handle), bergshamra's complete verifier on the text, whose verdict
/// then stands. The structural checks of [`check_references`] have passed before either runs.
fn crypto_with(
    engine: Engine,
    anchor: &Anchor,
    text: &str,
    doc: &crate::dom::Document<'_>,
    whole: Option<&mut dyn FnMut(crate::dsig::DigestAlg) -> Option<Vec<u8>>>,
) -> Result<Option<Vec<u8>>, Crypto> {
    let certs = match anchor {
        Anchor::Explicit(certs) | Anchor::Pointer { certificates: certs, .. } => Some(certs),
        Anchor::Unanchored => None,
    };
    if engine != Engine::Bergshamra {
        let native = child(doc.root_element(), NS_DSIG, "Signature")
            .map(|sig| crate::dsig::verify(doc, sig, certs.map(Vec::as_slice), whole));
        match (engine, native) {
            (_, Some(crate::dsig::Native::Verified(der))) => return Ok(Some(der)),
            (Engine::Native, Some(crate::dsig::Native::Failed { reason, digest })) => {
                return Err(Crypto::Invalid { reason, digest })
            }
            (Engine::Native, Some(crate::dsig::Native::Unsupported(what))) => {
                return Err(Crypto::Unsupported(format!("not handled natively: {what}")))
            }
            (Engine::Native, None) => return Err(Crypto::Unsupported("no signature".into())),
            _ => {}
        }
    }
    run_bergshamra(text, certs)
}

/// The digests and signature value alone, with the chosen [`Engine`], after the same pre-checks as
/// [`verify`] (limits, DTD, well-formedness, one signature covering the document). For comparing
/// the two implementations (tests, benchmarks); [`verify`] is the entry point for everything else.
/// `Ok` carries the DER of the certificate whose key verified, when known.
pub fn check_signature(bytes: &[u8], anchor: &Anchor, engine: Engine) -> Result<Option<Vec<u8>>, String> {
    let normalized = xml::normalize_line_ends(xml::precheck(bytes).map_err(|e| e.to_string())?);
    let text: &str = &normalized;
    let doc = crate::dom::Document::parse(text).map_err(|e| e.to_string())?;
    if !structure_ok(&doc) {
        return Err("the signature's structure is refused".into());
    }
    crypto_with(engine, anchor, text, &doc, None).map_err(|e| match e {
        Crypto::Unsupported(m) => m,
        Crypto::Invalid { reason, .. } => reason,
    })
}

/// Checks that the references cover the whole document and nothing outside it.
fn check_references(sig: crate::dom::Node<'_, '_>) -> Result<(), String> {
    let si = child(sig, NS_DSIG, "SignedInfo").ok_or("the signature has no SignedInfo")?;
    let mut whole = false;
    for r in children(si, NS_DSIG, "Reference") {
        let uri = r.attribute("URI");
        let transforms: Vec<&str> = child(r, NS_DSIG, "Transforms")
            .map(|t| children(t, NS_DSIG, "Transform").filter_map(|x| x.attribute("Algorithm")).collect())
            .unwrap_or_default();
        match uri {
            Some("") => {
                if !transforms.contains(&ENVELOPED) {
                    return Err("the URI=\"\" reference lacks the enveloped-signature transform".into());
                }
                if let Some(bad) = transforms.iter().find(|t| **t != ENVELOPED && !C14N_ALGS.contains(t)) {
                    return Err(format!("the URI=\"\" reference uses the transform {bad}, which could exclude content; only enveloped-signature and canonicalisation are accepted"));
                }
                whole = true;
            }
            Some(u) if u.starts_with('#') => {
                let id = u.trim_start_matches('#');
                let target = sig
                    .descendants()
                    .find(|n| n.is_element() && n.attributes().any(|a| a.name() == "Id" && a.value() == id));
                if target.is_none() {
                    return Err(format!("the reference {u} does not point inside the signature"));
                }
                if let Some(bad) = transforms.iter().find(|t| !C14N_ALGS.contains(t)) {
                    return Err(format!("the reference {u} uses the unsupported transform {bad}"));
                }
            }
            Some(u) => {
                return Err(format!(
                    "the reference URI {u:?} is not a same-document reference; external content is never fetched"
                ))
            }
            None => return Err("a reference has no URI attribute".into()),
        }
    }
    if whole {
        Ok(())
    } else {
        Err("no reference with URI=\"\" covers the whole list".into())
    }
}

fn keyinfo_certificate(sig: crate::dom::Node<'_, '_>) -> Option<Vec<u8>> {
    use base64::Engine;
    let ki = child(sig, NS_DSIG, "KeyInfo")?;
    let x = ki.descendants().find(|n| is(*n, NS_DSIG, "X509Certificate"))?;
    let clean: String = xml::text(x).chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(clean).ok()
}

enum Crypto {
    Unsupported(String),
    Invalid { reason: String, digest: bool },
}

/// Runs bergshamra; on success returns the DER of the certificate whose key verified (if known).
fn run_bergshamra(text: &str, trusted: Option<&Vec<Vec<u8>>>) -> Result<Option<Vec<u8>>, Crypto> {
    use bergshamra::{DsigContext, KeysManager, VerifyResult};
    let mut km = KeysManager::new();
    let ctx = match trusted {
        Some(certs) => {
            for der in certs {
                // A declared certificate whose key cannot be loaded cannot verify anything.
                if let Ok(key) = bergshamra::keys::loader::load_x509_cert_der(der) {
                    km.add_key(key);
                }
            }
            if km.is_empty() {
                return Err(Crypto::Invalid {
                    reason: "no declared certificate has a usable public key".into(),
                    digest: false,
                });
            }
            DsigContext::new_permissive(km).with_trusted_keys_only(true)
        }
        None => DsigContext::new_permissive(km),
    };
    match bergshamra::verify(&ctx, text) {
        Ok(VerifyResult::Valid { references, key_info, .. }) => {
            if references.is_empty() || !references.iter().all(|r| r.digest_verified) {
                return Err(Crypto::Invalid { reason: "not every reference digest was verified".into(), digest: true });
            }
            Ok(key_info.x509_chain.into_iter().next())
        }
        Ok(VerifyResult::Invalid { reason }) => {
            let digest = reason.contains("digest");
            Err(Crypto::Invalid { reason, digest })
        }
        Err(bergshamra::Error::UnsupportedAlgorithm(a)) => {
            Err(Crypto::Unsupported(format!("unsupported algorithm {a}")))
        }
        Err(e) => Err(Crypto::Invalid { reason: e.to_string(), digest: false }),
    }
}

/// Subject, validity and fingerprint of a DER certificate.
pub fn signer_info(der: &[u8]) -> Option<SignerInfo> {
    use sha2::Digest;
    let (_, c) = x509_parser::parse_x509_certificate(der).ok()?;
    Some(SignerInfo {
        subject: c.subject().to_string(),
        issuer: c.issuer().to_string(),
        serial: c.raw_serial_as_string(),
        not_before: c.validity().not_before.timestamp(),
        not_after: c.validity().not_after.timestamp(),
        sha256: hex(&sha2::Sha256::digest(der)),
    })
}

pub(crate) fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The LOTL pointer to the XML list of `territory` (by SchemeTerritory, XML mime type first).
pub fn pointer_for<'a>(lotl: &'a TrustedList, territory: &str) -> Option<&'a OtherTslPointer> {
    let matches =
        |p: &&OtherTslPointer| p.scheme_territory.as_deref().is_some_and(|t| t.eq_ignore_ascii_case(territory));
    lotl.pointers.iter().filter(matches).find(|p| p.is_xml()).or_else(|| lotl.pointers.iter().find(matches))
}

/// The anchor for `list` from a LOTL: the pointer for its territory (for the LOTL itself, the
/// pointer of type list-of-the-lists).
pub fn anchor_from_lotl(lotl: &TrustedList, list: &TrustedList) -> Option<Anchor> {
    anchor_from_lotl_for(lotl, &list.scheme_territory, &list.tsl_type)
}

/// Where in the document a signature finding applies (for renderers).
pub fn signature_location() -> Location {
    Location::path("/TrustServiceStatusList/Signature")
}
