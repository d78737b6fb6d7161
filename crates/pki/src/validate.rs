//! Path building and path validation (RFC 5280 §6.1, RFC 4158).
//!
//! The builder walks from the leaf towards the anchors, depth first, trying every candidate issuer
//! whose subject matches (§6.1.3 (a)(4)), anchors first, candidates whose subjectKeyIdentifier
//! matches the child's authorityKeyIdentifier before the others (RFC 4158 §3.5.12). Each step
//! verifies the child's signature (cached across validations, keyed on the issuer key and the
//! signed bytes). A path that reaches an anchor is then validated as a whole: validity, basic
//! constraints and path length, key usage, name constraints, policies, extended key usage,
//! critical extensions, revocation. A failing path is remembered and the search goes on; the most
//! specific failure across all candidate paths is reported.

use crate::budget::{Budget, Exhausted, Limits};
use crate::cert::{Certificate, Hash, KeyKind, SignatureAlgorithm};
use crate::crl::Crl;
use crate::crypto::{RingVerifier, SignatureError, SignatureVerifier};
use crate::findings as F;
use crate::hostname::{self, ServerName};
use crate::name::Name;
use crate::name_constraints;
use crate::policy::{self, PolicyInputs};
use crate::revocation::{self, Sources};
use report::{Finding, FindingDef, Indication, Location, SubIndication, Verdict};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The purpose the leaf must serve (RFC 5280 §4.2.1.12).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Usage {
    /// No extKeyUsage requirement.
    Any,
    ServerAuth,
    ClientAuth,
    CodeSigning,
    EmailProtection,
    /// Any other KeyPurposeId, in dotted form.
    Oid(String),
}

impl Usage {
    /// The KeyPurposeId the leaf's extKeyUsage must contain, if any.
    pub fn oid(&self) -> Option<&str> {
        match self {
            Usage::Any => None,
            Usage::ServerAuth => Some("1.3.6.1.5.5.7.3.1"),
            Usage::ClientAuth => Some("1.3.6.1.5.5.7.3.2"),
            Usage::CodeSigning => Some("1.3.6.1.5.5.7.3.3"),
            Usage::EmailProtection => Some("1.3.6.1.5.5.7.3.4"),
            Usage::Oid(o) => Some(o),
        }
    }
}

/// Which rule set applies on top of RFC 5280 path validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rules {
    /// RFC 5280 §6.1 path validation. Profile requirements on how CAs must issue (AKI/SKI present,
    /// serial numbers, criticality) are reported as warnings, not failures.
    Rfc5280,
    /// RFC 5280 plus its certificate-profile MUSTs and the CA/Browser Forum Baseline Requirements
    /// for TLS server certificates (the profile x509-limbo's SERVER cases and rustls-webpki and pyca
    /// cryptography apply): profile violations are errors.
    WebPki,
}

/// What to do about revocation (RFC 5280 §6.3; ETSI EN 319 102-1 §5.2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevocationMode {
    /// Revocation is not checked; CRLs given are ignored (and the output says so).
    Off,
    /// Supplied CRLs are used; a certificate they do not cover is accepted with a warning.
    Prefer,
    /// Every certificate checked must be covered by a usable CRL, else INDETERMINATE/TRY_LATER.
    Require,
}

/// Rounds of AIA caIssuers fetching when no path is found: 2, one per missing level of the
/// deepest eIDAS hierarchies (root, policy CA, issuing CA); the fetch session bounds the count and
/// time of the fetches themselves.
pub const MAX_AIA_ROUNDS: usize = 2;

/// Which certificates of the path revocation is checked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevocationScope {
    EndEntityOnly,
    WholeChain,
}

/// Whether SHA-1 signatures are accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sha1Policy {
    Reject,
    /// Permissive: accept SHA-1 (legacy archives only).
    AllowSha1,
}

/// Everything a validation depends on, explicitly.
#[derive(Debug, Clone)]
pub struct Options {
    /// The validation time, Unix seconds.
    pub time: i64,
    pub usage: Usage,
    /// Verify the leaf against this server name (RFC 6125 / RFC 9525).
    pub server_name: Option<ServerName>,
    pub rules: Rules,
    pub limits: Limits,
    /// At most this many intermediates between leaf and anchor (x509-limbo `max_chain_depth`).
    pub max_intermediates: Option<usize>,
    pub policy: PolicyInputs,
    pub revocation: RevocationMode,
    pub revocation_scope: RevocationScope,
    pub sha1: Sha1Policy,
    /// The smallest RSA modulus accepted, in bits (2048: NIST SP 800-131A Rev. 2, ETSI TS 119 312).
    pub min_rsa_bits: usize,
}

impl Options {
    /// RFC 5280 rules, any usage, no revocation, default budgets, at `time`.
    pub fn at(time: i64) -> Options {
        Options {
            time,
            usage: Usage::Any,
            server_name: None,
            rules: Rules::Rfc5280,
            limits: Limits::default(),
            max_intermediates: None,
            policy: PolicyInputs::default(),
            revocation: RevocationMode::Off,
            revocation_scope: RevocationScope::WholeChain,
            sha1: Sha1Policy::Reject,
            min_rsa_bits: 2048,
        }
    }
}

/// Trust anchors, parsed once and indexed by subject.
#[derive(Debug, Default, Clone)]
pub struct Store {
    anchors: Vec<Arc<Certificate>>,
    /// Anchor indices by the fingerprint of their subject ([`Name::fingerprint`]): a lookup
    /// hashes the issuer name without building its attributes, and the candidates are then
    /// matched by [`Name::matches`].
    by_subject: HashMap<u64, Vec<usize>, BuildFingerprint>,
}

/// The fingerprints are already hashes: the map uses them as they are.
#[derive(Debug, Default, Clone, Copy)]
struct BuildFingerprint;

impl std::hash::BuildHasher for BuildFingerprint {
    type Hasher = FingerprintHasher;
    fn build_hasher(&self) -> FingerprintHasher {
        FingerprintHasher(0)
    }
}

#[derive(Debug, Default)]
struct FingerprintHasher(u64);

impl std::hash::Hasher for FingerprintHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

impl Store {
    pub fn new(anchors: impl IntoIterator<Item = Certificate>) -> Store {
        let mut s = Store::default();
        for a in anchors {
            s.add(a);
        }
        s
    }

    pub fn add(&mut self, anchor: Certificate) {
        if self.anchors.iter().any(|a| a.der() == anchor.der()) {
            return;
        }
        let idx = self.anchors.len();
        self.by_subject.entry(anchor.subject.fingerprint()).or_default().push(idx);
        self.anchors.push(Arc::new(anchor));
    }

    pub fn anchors(&self) -> &[Arc<Certificate>] {
        &self.anchors
    }

    pub fn len(&self) -> usize {
        self.anchors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }
}

/// Where a certificate of a built path came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Leaf,
    /// Index into the intermediates given to [`Validator::validate`].
    Intermediate(usize),
    /// Index into [`Store::anchors`].
    Anchor(usize),
}

/// The result of one validation.
#[derive(Debug, Clone)]
pub struct Validation {
    pub verdict: Verdict,
    /// The path that was validated (or the best failing one), leaf first, anchor last. Its
    /// subjects, for reports: [`Validation::chain`].
    pub path: Vec<Source>,
    /// Signatures verified (not taken from the cache) during this validation.
    pub signatures_verified: u32,
    /// Intermediates fetched from AIA caIssuers (only with fetching): [`Source::Intermediate`]
    /// `i` at or past the caller's intermediates is `fetched[i - intermediates.len()]`.
    pub fetched: Vec<Certificate>,
    /// The revocation evidence looked at for the validated path, certificate by certificate
    /// (depth, evidence), in the order it was asked.
    pub revocation: Vec<(usize, revocation::EvidenceItem)>,
}

impl Validation {
    pub fn is_valid(&self) -> bool {
        self.verdict.is_valid()
    }

    /// The subjects of [`Validation::path`] (RFC 4514 text), leaf first, anchor last, for
    /// reports. Formatted only when asked: `validator`, `leaf` and `intermediates` are the ones
    /// this validation was given (fetched intermediates come from [`Validation::fetched`]).
    pub fn chain(&self, validator: &Validator, leaf: &Certificate, intermediates: &[Certificate]) -> Vec<String> {
        self.path
            .iter()
            .filter_map(|s| self.certificate(*s, validator, leaf, intermediates))
            .map(|c| c.subject_text().to_string())
            .collect()
    }

    /// The certificate a [`Source`] of [`Validation::path`] names: `validator`, `leaf` and
    /// `intermediates` are the ones this validation was given (an intermediate index past them
    /// names a fetched one, [`Validation::fetched`]).
    pub fn certificate<'a>(
        &'a self,
        source: Source,
        validator: &'a Validator,
        leaf: &'a Certificate,
        intermediates: &'a [Certificate],
    ) -> Option<&'a Certificate> {
        match source {
            Source::Leaf => Some(leaf),
            Source::Intermediate(i) => {
                intermediates.get(i).or_else(|| i.checked_sub(intermediates.len()).and_then(|j| self.fetched.get(j)))
            }
            Source::Anchor(i) => validator.store.anchors.get(i).map(|a| a.as_ref()),
        }
    }
}

/// Capacity of the verified-signature cache in entries: enough for every issuer key/subject
/// pair of a busy relying party.
pub const SIGNATURE_CACHE_ENTRIES: usize = 4096;

/// Capacity of the verified-signature cache in bytes of kept keys and signatures (an entry
/// keeps both whole: about 0.4 KiB for P-256, 0.6 KiB for RSA-2048, at most about 2 KiB).
pub const SIGNATURE_CACHE_BYTES: usize = 4 << 20;

/// The verified-signature cache: signature checks that passed, found by the SHA-256 of the
/// signed bytes. Each keeps the issuer key, the signature and the algorithm whole, and a hit
/// must match all three byte for byte, so it proves the same verification passed (given
/// SHA-256's collision resistance on the signed bytes, as the signature itself does). Keeping
/// them whole instead of hashing them costs memory, bounded above, and saves hashing a key and
/// a signature on every check (the signed bytes' digest of an issuer or of a reused OCSP
/// response is computed once and kept).
#[derive(Default)]
struct SigCache {
    by_digest: HashMap<[u8; 32], Vec<Verified>>,
    entries: usize,
    bytes: usize,
}

/// One signature check that passed.
struct Verified {
    key: Box<[u8]>,
    sig: Box<[u8]>,
    alg: SignatureAlgorithm,
}

/// A signature check as the cache looks it up.
struct SigCheck<'a> {
    key: &'a [u8],
    msg_sha256: [u8; 32],
    sig: &'a [u8],
    alg: &'a SignatureAlgorithm,
}

impl SigCache {
    fn contains(&self, c: &SigCheck) -> bool {
        self.by_digest
            .get(&c.msg_sha256)
            .is_some_and(|v| v.iter().any(|e| *e.key == *c.key && *e.sig == *c.sig && e.alg == *c.alg))
    }

    /// Records a check that passed; a full cache is emptied first (bounded memory).
    fn insert(&mut self, c: SigCheck) {
        if self.contains(&c) {
            return;
        }
        let size = c.key.len() + c.sig.len();
        if self.entries >= SIGNATURE_CACHE_ENTRIES || self.bytes + size > SIGNATURE_CACHE_BYTES {
            *self = SigCache::default();
        }
        self.entries += 1;
        self.bytes += size;
        let e = Verified { key: c.key.into(), sig: c.sig.into(), alg: c.alg.clone() };
        self.by_digest.entry(c.msg_sha256).or_default().push(e);
    }
}

/// A path validator: trust anchors, a signature verifier, and a cache of verified signatures.
///
/// It is `Send + Sync`; one validator serves many validations in parallel.
pub struct Validator {
    store: Store,
    verifier: Arc<dyn SignatureVerifier>,
    /// Verified signatures; `None` when the caller turned the cache off.
    cache: Option<Mutex<SigCache>>,
}

/// Whether a [`Validator`] remembers verified signatures across validations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureCache {
    Enabled,
    Disabled,
}

impl std::fmt::Debug for Validator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Validator").field("anchors", &self.store.len()).finish()
    }
}

/// One failure of one candidate path, ranked so that the most specific wins.
#[derive(Debug, Clone)]
struct Failure {
    rank: u32,
    indication: Indication,
    sub: SubIndication,
    findings: Vec<Finding>,
    path: Vec<Source>,
}

// Ranks: a complete path that fails a check beats a broken signature, which beats a missing issuer.
const RANK_NO_ISSUER: u32 = 10;
const RANK_TOO_DEEP: u32 = 20;
const RANK_SIGNATURE: u32 = 30;
const RANK_COMPLETE: u32 = 40;

/// A node of the path under construction.
#[derive(Clone, Copy)]
struct Node<'a> {
    cert: &'a Certificate,
    source: Source,
}

/// The path under construction, leaf first: on the stack up to [`INLINE_PATH`] certificates
/// (every real chain), on the heap beyond.
enum PathBuf<'a> {
    /// The first `len` entries are the path; the rest are placeholders (copies of the leaf).
    Inline([Node<'a>; INLINE_PATH], usize),
    Heap(Vec<Node<'a>>),
}

/// Certificates a path holds before [`PathBuf`] moves to the heap.
const INLINE_PATH: usize = 8;

impl<'a> PathBuf<'a> {
    fn new(leaf: Node<'a>) -> PathBuf<'a> {
        PathBuf::Inline([leaf; INLINE_PATH], 1)
    }

    fn as_slice(&self) -> &[Node<'a>] {
        match self {
            PathBuf::Inline(nodes, len) => nodes.get(..*len).unwrap_or_default(),
            PathBuf::Heap(v) => v,
        }
    }

    fn push(&mut self, node: Node<'a>) {
        match self {
            PathBuf::Inline(nodes, len) => match nodes.get_mut(*len) {
                Some(slot) => {
                    *slot = node;
                    *len += 1;
                }
                None => {
                    let mut v = nodes.to_vec();
                    v.push(node);
                    *self = PathBuf::Heap(v);
                }
            },
            PathBuf::Heap(v) => v.push(node),
        }
    }

    fn pop(&mut self) {
        match self {
            PathBuf::Inline(_, len) => *len = len.saturating_sub(1),
            PathBuf::Heap(v) => {
                v.pop();
            }
        }
    }

    fn last(&self) -> Option<&Node<'a>> {
        self.as_slice().last()
    }

    fn len(&self) -> usize {
        self.as_slice().len()
    }

    fn iter(&self) -> std::slice::Iter<'_, Node<'a>> {
        self.as_slice().iter()
    }
}

struct Search<'a> {
    opts: &'a Options,
    intermediates: &'a [Certificate],
    sources: Sources<'a>,
    budget: Budget,
    evidence: Vec<(usize, revocation::EvidenceItem)>,
    best: Option<Failure>,
    exhausted: Option<Exhausted>,
    verified: u32,
    notes: Vec<Finding>,
}

impl Validator {
    pub fn new(store: Store) -> Validator {
        Validator::with_verifier(store, Arc::new(RingVerifier))
    }

    pub fn with_verifier(store: Store, verifier: Arc<dyn SignatureVerifier>) -> Validator {
        Validator { store, verifier, cache: Some(Mutex::default()) }
    }

    /// Turns the verified-signature cache on or off (on by default).
    pub fn signature_cache(mut self, policy: SignatureCache) -> Validator {
        self.cache = match policy {
            SignatureCache::Enabled => Some(Mutex::default()),
            SignatureCache::Disabled => None,
        };
        self
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// A signature check as the cache looks it up, `None` when the cache is off (the signed
    /// bytes' digest is then not computed).
    fn signature_key<'k>(
        &self,
        key: &'k [u8],
        msg_sha256: impl FnOnce() -> [u8; 32],
        sig: &'k [u8],
        alg: &'k SignatureAlgorithm,
    ) -> Option<SigCheck<'k>> {
        self.cache.as_ref().map(|_| SigCheck { key, msg_sha256: msg_sha256(), sig, alg })
    }

    /// Whether this exact signature check passed before (a cache hit).
    fn verified_before(&self, check: Option<&SigCheck>) -> bool {
        match (&self.cache, check) {
            (Some(cache), Some(c)) => cache.lock().map(|cache| cache.contains(c)).unwrap_or(false),
            _ => false,
        }
    }

    /// Records a signature check that passed.
    fn remember(&self, check: Option<SigCheck>) {
        if let (Some(cache), Some(c)) = (&self.cache, check) {
            if let Ok(mut cache) = cache.lock() {
                cache.insert(c);
            }
        }
    }

    /// Validates `leaf` with the given untrusted `intermediates` and `crls` under `opts`.
    pub fn validate(
        &self,
        leaf: &Certificate,
        intermediates: &[Certificate],
        crls: &[Crl],
        opts: &Options,
    ) -> Validation {
        self.validate_with(leaf, intermediates, &Sources { crls, ..Sources::default() }, opts)
    }

    /// Validates `leaf` with revocation evidence from `sources`: CRLs and OCSP responses the
    /// caller passes in and, only when `sources.fetch` is set, fetched OCSP, CRLs and missing
    /// intermediates. Revocation is still governed by `opts.revocation`; see [`revocation`] for the
    /// order in which sources are asked.
    ///
    /// Missing intermediates (RFC 5280 §4.2.2.1 caIssuers): when no path is found and fetching is
    /// allowed, the issuers named by the leaf's and the known intermediates' caIssuers URLs are
    /// fetched and the search runs again, at most [`MAX_AIA_ROUNDS`] times (each round one level
    /// deeper), within the fetch session's own bounds.
    pub fn validate_with(
        &self,
        leaf: &Certificate,
        intermediates: &[Certificate],
        sources: &Sources<'_>,
        opts: &Options,
    ) -> Validation {
        let mut v = self.validate_once(leaf, intermediates, sources, opts);
        let Some(session) = sources.fetch else { return v };
        let mut all = intermediates.to_vec();
        let mut asked: Vec<Vec<u8>> = Vec::new();
        let mut notes = Vec::new();
        for _ in 0..MAX_AIA_ROUNDS {
            if v.verdict.sub_indication != Some(SubIndication::NoCertificateChainFound) {
                break;
            }
            let mut found = Vec::new();
            for c in std::iter::once(leaf).chain(all.iter()) {
                if asked.iter().any(|d| d.as_slice() == c.der()) || crate::fetch::ca_issuers_urls(c).is_empty() {
                    continue;
                }
                asked.push(c.der().to_vec());
                let (certs, fs) = crate::fetch::fetch_ca_issuers(c, session);
                notes.extend(fs);
                found.extend(certs);
            }
            found.retain(|c| !all.iter().any(|a| a.der() == c.der()));
            if found.is_empty() {
                break;
            }
            all.extend(found);
            v = self.validate_once(leaf, &all, sources, opts);
        }
        v.fetched = all.split_off(intermediates.len().min(all.len()));
        v.verdict.findings.extend(notes);
        v
    }

    fn validate_once(
        &self,
        leaf: &Certificate,
        intermediates: &[Certificate],
        sources: &Sources<'_>,
        opts: &Options,
    ) -> Validation {
        let mut search = Search {
            opts,
            intermediates,
            sources: *sources,
            evidence: Vec::new(),
            budget: Budget::new(opts.limits),
            best: None,
            exhausted: None,
            verified: 0,
            notes: Vec::new(),
        };
        let mut path = PathBuf::new(Node { cert: leaf, source: Source::Leaf });

        // Leaf-only checks that no path can repair.
        let mut leaf_findings = Vec::new();
        if let Some(name) = &opts.server_name {
            if let Err(e) = hostname::verify(leaf, name) {
                leaf_findings
                    .push(Finding::new(e.finding_id(), report::Severity::Error, e.to_string()).at(Location::depth(0)));
            }
        }

        let found = self.extend(&mut path, &mut search);
        match found {
            Some((ok_path, mut findings)) if leaf_findings.is_empty() => {
                findings.extend(search.notes);
                Validation {
                    verdict: Verdict::passed(findings),
                    path: ok_path,
                    signatures_verified: search.verified,
                    fetched: Vec::new(),
                    revocation: search.evidence,
                }
            }
            found => {
                let mut findings = leaf_findings.clone();
                let (indication, sub, path) = if let Some((p, f)) = found {
                    // A path exists but a leaf-only check failed.
                    findings.extend(f);
                    (Indication::Failed, SubIndication::ChainConstraintsFailure, p)
                } else if let Some(best) = search.best.take() {
                    findings.extend(best.findings);
                    let (ind, sub) = if leaf_findings.is_empty() {
                        (best.indication, best.sub)
                    } else {
                        (Indication::Failed, SubIndication::ChainConstraintsFailure)
                    };
                    (ind, sub, best.path)
                } else {
                    findings.push(
                        Finding::from_def(&F::NO_CHAIN, format!("no issuer found for {}", describe(leaf)))
                            .at(Location::depth(0)),
                    );
                    (Indication::Indeterminate, SubIndication::NoCertificateChainFound, vec![Source::Leaf])
                };
                if let Some(ex) = search.exhausted {
                    findings.push(Finding::from_def(&F::BUDGET, format!("path building stopped: {ex} ran out")));
                }
                findings.extend(search.notes);
                Validation {
                    verdict: Verdict { indication, sub_indication: Some(sub), findings },
                    path,
                    signatures_verified: search.verified,
                    fetched: Vec::new(),
                    revocation: search.evidence,
                }
            }
        }
    }

    /// Depth-first extension of `path` (leaf first). Returns the first valid complete path with
    /// its advisory findings.
    fn extend<'a>(&'a self, path: &mut PathBuf<'a>, s: &mut Search<'a>) -> Option<(Vec<Source>, Vec<Finding>)> {
        let child = *path.last()?;
        let depth = path.len() - 1;
        if s.exhausted.is_some() {
            return None;
        }
        // Candidates: anchors first, then intermediates; within each, key-id matches first
        // (rank 0), then certificates without key ids (1), then key-id mismatches (2), each in
        // their original order. Enumerated in place, without collecting them.
        let aki = child.cert.aki_key_id();
        let key_rank = move |c: &Certificate| match (aki, c.ski()) {
            (Some(a), Some(k)) if a == k => 0,
            (Some(_), Some(_)) => 2,
            _ => 1,
        };
        let issuer: &'a Name = &child.cert.issuer;
        let store = &self.store;
        let inters: &'a [Certificate] = s.intermediates;
        let fingerprint = issuer.fingerprint_from(inters.iter().map(|c| &c.subject));
        let anchor_idx: &'a [usize] = store.by_subject.get(&fingerprint).map(Vec::as_slice).unwrap_or(&[]);
        let anchors = anchor_idx.iter().filter_map(move |i| {
            store
                .anchors
                .get(*i)
                .filter(|a| a.subject.matches(issuer))
                .map(|a| Node { cert: a.as_ref(), source: Source::Anchor(*i) })
        });
        let inter_nodes = inters
            .iter()
            .enumerate()
            .filter(move |(_, c)| c.subject.matches(issuer))
            .map(|(i, c)| Node { cert: c, source: Source::Intermediate(i) });
        // Which ranks occur in each group (bit r), so that only those are enumerated.
        let ranks_of = |nodes: &mut dyn Iterator<Item = Node<'a>>| nodes.fold(0u8, |m, n| m | 1 << key_rank(n.cert));
        let (anchor_ranks, inter_ranks) = (ranks_of(&mut anchors.clone()), ranks_of(&mut inter_nodes.clone()));
        let candidates = (0..3)
            .filter(move |r| anchor_ranks & 1 << r != 0)
            .flat_map(move |r| anchors.clone().filter(move |n| key_rank(n.cert) == r))
            .chain(
                (0..3)
                    .filter(move |r| inter_ranks & 1 << r != 0)
                    .flat_map(move |r| inter_nodes.clone().filter(move |n| key_rank(n.cert) == r)),
            );
        if anchor_ranks == 0 && inter_ranks == 0 {
            self.record(
                s,
                path.as_slice(),
                None,
                RANK_NO_ISSUER + depth as u32,
                Indication::Indeterminate,
                SubIndication::NoCertificateChainFound,
                vec![Finding::from_def(
                    &F::NO_CHAIN,
                    format!("no issuer found for {} (issuer {})", describe(child.cert), child.cert.issuer),
                )
                .at(Location::depth(depth))],
            );
            return None;
        }

        for cand in candidates {
            if let Err(e) = s.budget.step() {
                s.exhausted = Some(e);
                return None;
            }
            // Cycle: the same certificate (or the same subject and key) already in the path.
            if path.iter().any(|n| {
                n.cert.der() == cand.cert.der()
                    || (n.cert.public_key == cand.cert.public_key && n.cert.subject.matches(&cand.cert.subject))
            }) {
                // An anchor that is the child itself (a trusted leaf) is handled below.
                if !(matches!(cand.source, Source::Anchor(_)) && depth == 0 && cand.cert.der() == child.cert.der()) {
                    continue;
                }
            }
            let is_anchor = matches!(cand.source, Source::Anchor(_));
            if path.len() + 1 > s.opts.limits.max_path_len {
                self.record(
                    s,
                    path.as_slice(),
                    Some(cand),
                    RANK_TOO_DEEP,
                    Indication::Indeterminate,
                    SubIndication::CertificateChainGeneralFailure,
                    vec![Finding::from_def(
                        &F::PATH_TOO_LONG,
                        format!(
                            "a path through {} would exceed {} certificates",
                            describe(cand.cert),
                            s.opts.limits.max_path_len
                        ),
                    )],
                );
                continue;
            }
            // Signature of the child under the candidate's key (§6.1.3 (a)(1)).
            if let Err(f) = self.check_signature(child.cert, cand.cert, depth, s) {
                if s.exhausted.is_some() {
                    return None;
                }
                self.record(s, path.as_slice(), Some(cand), RANK_SIGNATURE + depth as u32, f.0, f.1, f.2);
                continue;
            }
            path.push(cand);
            if is_anchor {
                match self.check_path(path.as_slice(), s) {
                    Ok(findings) => {
                        let p = path.iter().map(|n| n.source).collect();
                        path.pop();
                        return Some((p, findings));
                    }
                    Err(f) => {
                        let p = path.iter().map(|n| n.source).collect();
                        s.offer(Failure { path: p, ..f });
                    }
                }
            } else if let Some(ok) = self.extend(path, s) {
                path.pop();
                return Some(ok);
            }
            path.pop();
            if s.exhausted.is_some() {
                return None;
            }
        }
        None
    }

    #[allow(clippy::too_many_arguments)]
    fn record(
        &self,
        s: &mut Search,
        path: &[Node],
        extra: Option<Node>,
        rank: u32,
        indication: Indication,
        sub: SubIndication,
        findings: Vec<Finding>,
    ) {
        let mut p: Vec<Source> = path.iter().map(|n| n.source).collect();
        if let Some(e) = extra {
            p.push(e.source);
        }
        s.offer(Failure { rank, indication, sub, findings, path: p });
    }

    fn check_signature(
        &self,
        child: &Certificate,
        issuer: &Certificate,
        depth: usize,
        s: &mut Search,
    ) -> Result<(), (Indication, SubIndication, Vec<Finding>)> {
        // Built only for a finding: the success path allocates nothing here.
        let loc = || Location::depth(depth).with_path("signatureAlgorithm");
        let alg = &child.signature_algorithm;
        if let Some(f) = algorithm_policy(alg, s.opts) {
            return Err((
                Indication::Indeterminate,
                SubIndication::CryptoConstraintsFailure,
                vec![f(describe(child)).at(loc())],
            ));
        }
        if let Some(f) = key_policy(&issuer.public_key.kind, s.opts) {
            return Err((
                Indication::Indeterminate,
                SubIndication::CryptoConstraintsFailure,
                vec![f(describe(issuer)).at(Location::depth(depth + 1).with_path("subjectPublicKeyInfo"))],
            ));
        }
        let key = self.signature_key(&issuer.public_key.der, || child.tbs_sha256(), &child.signature, alg);
        if self.verified_before(key.as_ref()) {
            return Ok(());
        }
        if let Err(e) = s.budget.signature() {
            s.exhausted = Some(e);
            return Err((Indication::Indeterminate, SubIndication::CertificateChainGeneralFailure, vec![]));
        }
        s.verified += 1;
        match self.verifier.verify(alg, &issuer.public_key, child.tbs_der(), &child.signature) {
            Ok(()) => {
                self.remember(key);
                Ok(())
            }
            Err(e) => {
                let (def, sub) = match e {
                    SignatureError::Invalid => (&F::SIGNATURE_INVALID, SubIndication::SigCryptoFailure),
                    SignatureError::UnsupportedAlgorithm(_) => {
                        (&F::SIGNATURE_UNSUPPORTED, SubIndication::CryptoConstraintsFailure)
                    }
                    SignatureError::KeyMismatch(_) => (&F::SIGNATURE_INVALID, SubIndication::SigCryptoFailure),
                    SignatureError::BadKey(_) => (&F::KEY_UNSUPPORTED, SubIndication::CryptoConstraintsFailure),
                };
                let ind =
                    if sub == SubIndication::SigCryptoFailure { Indication::Failed } else { Indication::Indeterminate };
                Err((
                    ind,
                    sub,
                    vec![Finding::from_def(
                        def,
                        format!("{} under the key of {}: {e}", describe(child), describe(issuer)),
                    )
                    .at(loc())],
                ))
            }
        }
    }

    /// Validates a complete path (leaf first, anchor last) whose signatures have been verified.
    fn check_path(&self, path: &[Node], s: &mut Search) -> Result<Vec<Finding>, Failure> {
        let opts = s.opts;
        let n = path.len();
        let mut errors: Vec<PathError> = Vec::new();
        let mut advisory: Vec<Finding> = Vec::new();
        let strict = opts.rules == Rules::WebPki;

        if let Some(max) = opts.max_intermediates {
            // Self-issued intermediates do not count, as for pathLenConstraint (§6.1.4 (l)).
            let inters = path.iter().take(n - 1).skip(1).filter(|c| !c.cert.is_self_issued()).count();
            if inters > max {
                fail(
                    &mut errors,
                    &F::MAX_DEPTH,
                    SubIndication::ChainConstraintsFailure,
                    format!("the path has {inters} non-self-issued intermediates, more than the {max} allowed"),
                    Location::none(),
                );
            }
        }

        // Per-certificate checks.
        let mut profile_findings: Vec<(FindingDef, String, Location)> = Vec::new();
        for (depth, node) in path.iter().enumerate() {
            let c = node.cert;
            let loc = Location::depth(depth);
            let is_leaf = depth == 0;
            let is_anchor = depth == n - 1;
            // §6.1.3 (a)(2): validity at the validation time.
            if opts.time < c.not_before {
                errors.push((
                    Finding::from_def(
                        &F::NOT_YET_VALID,
                        format!("{} is not valid before {}", describe(c), fmt_time(c.not_before)),
                    )
                    .at(loc.clone().with_path("validity.notBefore")),
                    SubIndication::OutOfBoundsNoPoe,
                    Indication::Indeterminate,
                ));
            }
            if opts.time > c.not_after {
                errors.push((
                    Finding::from_def(&F::EXPIRED, format!("{} expired at {}", describe(c), fmt_time(c.not_after)))
                        .at(loc.clone().with_path("validity.notAfter")),
                    SubIndication::OutOfBoundsNoPoe,
                    Indication::Indeterminate,
                ));
            }
            // §4.2: unknown critical extensions.
            for e in c.extensions.other.iter().filter(|e| e.critical) {
                fail(
                    &mut errors,
                    &F::UNKNOWN_CRITICAL,
                    SubIndication::ChainConstraintsFailure,
                    format!("{} has the unrecognised critical extension {}", describe(c), e.oid),
                    loc.clone().with_path(format!("extensions.{}", e.oid)),
                );
            }
            if c.version < 2 && has_extensions(c) {
                fail(
                    &mut errors,
                    &F::EXTENSIONS_IN_V1,
                    SubIndication::FormatFailure,
                    format!("{} has extensions but is not v3", describe(c)),
                    loc.clone(),
                );
            }
            // Key policy for the leaf (issuers' keys were checked when verifying signatures).
            if is_leaf {
                if let Some(f) = key_policy(&c.public_key.kind, opts) {
                    errors.push((
                        f(describe(c)).at(loc.clone().with_path("subjectPublicKeyInfo")),
                        SubIndication::CryptoConstraintsFailure,
                        Indication::Indeterminate,
                    ));
                }
            }
            if strict && is_anchor {
                if let Some(f) = key_policy(&c.public_key.kind, opts) {
                    errors.push((
                        f(describe(c)).at(loc.clone().with_path("subjectPublicKeyInfo")),
                        SubIndication::CryptoConstraintsFailure,
                        Indication::Indeterminate,
                    ));
                }
            }
            // A CA's profile checks depend only on the certificate, its role and whether the
            // usage is server authentication: an intermediate or anchor that passed them once
            // is not checked again; one that did not is, so that its findings are made.
            let server_auth = opts.usage == Usage::ServerAuth;
            if is_leaf
                || !c.ca_profile_clean(is_anchor, server_auth, || {
                    let mut found = Vec::new();
                    profile_checks(c, depth, n, opts, &mut found);
                    found.is_empty()
                })
            {
                profile_checks(c, depth, n, opts, &mut profile_findings);
            }

            if !is_leaf {
                // §6.1.4 (k): a CA certificate must be v3 with basicConstraints cA=TRUE.
                match &c.extensions.basic_constraints {
                    _ if c.version < 2 => fail(
                        &mut errors,
                        &F::V1_CA,
                        SubIndication::ChainConstraintsFailure,
                        format!("{} is a v{} certificate used as a CA", describe(c), c.version + 1),
                        loc.clone(),
                    ),
                    None => fail(
                        &mut errors,
                        &F::BC_MISSING,
                        SubIndication::ChainConstraintsFailure,
                        format!("{} is used as a CA but has no basicConstraints", describe(c)),
                        loc.clone(),
                    ),
                    Some(bc) if !bc.value.ca => fail(
                        &mut errors,
                        &F::BC_NOT_CA,
                        SubIndication::ChainConstraintsFailure,
                        format!("{} is used as a CA but basicConstraints has cA=FALSE", describe(c)),
                        loc.clone().with_path("extensions.basicConstraints"),
                    ),
                    Some(_) => {}
                }
                // §6.1.4 (n): keyCertSign.
                if let Some(ku) = &c.extensions.key_usage {
                    if !ku.value.has(crate::cert::KeyUsage::KEY_CERT_SIGN) {
                        fail(
                            &mut errors,
                            &F::KU_NO_CERT_SIGN,
                            SubIndication::ChainConstraintsFailure,
                            format!("{} is used as a CA but its keyUsage lacks keyCertSign", describe(c)),
                            loc.clone().with_path("extensions.keyUsage"),
                        );
                    }
                }
                if let Some(nc) = &c.extensions.name_constraints {
                    if let Err(e) = name_constraints::validate_extension(nc) {
                        fail(
                            &mut errors,
                            &def_of(e.finding_id()),
                            SubIndication::ChainConstraintsFailure,
                            format!("{}: {e}", describe(c)),
                            loc.clone().with_path("extensions.nameConstraints"),
                        );
                    }
                }
            }
        }

        // §6.1.4 (l)(m): path length, from the anchor down. The anchor's own constraint applies.
        {
            let mut max_path_len: Option<u32> = None;
            for depth in (1..n).rev() {
                let c = path[depth].cert;
                // Certificates below the anchor count against the limit unless self-issued.
                if depth < n - 1 && !c.is_self_issued() {
                    match max_path_len {
                        Some(0) => {
                            fail(
                                &mut errors,
                                &F::PATH_LEN,
                                SubIndication::ChainConstraintsFailure,
                                format!("{} exceeds the pathLenConstraint of a CA above it", describe(c)),
                                Location::depth(depth),
                            );
                            break;
                        }
                        Some(m) => max_path_len = Some(m - 1),
                        None => {}
                    }
                }
                if let Some(bc) = &c.extensions.basic_constraints {
                    if let Some(pl) = bc.value.path_len {
                        max_path_len = Some(max_path_len.map_or(pl, |m| m.min(pl)));
                    }
                }
            }
        }

        // Name constraints (§6.1.3 (b)(c), §6.1.4 (g)): each CA's constraints against every
        // certificate below it; self-issued intermediates are exempt, the leaf never is.
        if errors.is_empty() {
            'nc: for j in 1..n {
                let Some(nc) = &path[j].cert.extensions.name_constraints else { continue };
                for (i, node) in path.iter().enumerate().take(j) {
                    let is_leaf = i == 0;
                    if !is_leaf && node.cert.is_self_issued() {
                        continue;
                    }
                    if let Err(e) = name_constraints::check(&nc.value, node.cert, is_leaf, &mut s.budget) {
                        fail(
                            &mut errors,
                            &def_of(e.finding_id()),
                            SubIndication::ChainConstraintsFailure,
                            format!("{e} (name constraints of {})", describe(path[j].cert)),
                            Location::depth(i),
                        );
                        break 'nc;
                    }
                }
            }
        }

        // Policies (§6.1.2-§6.1.5), over the path without the anchor, anchor side first.
        if errors.is_empty() {
            let below = || path.iter().take(n - 1).rev().map(|n| n.cert);
            let outcome = policy::without_extensions(below(), &opts.policy).map(Ok).unwrap_or_else(|| {
                let below_anchor: Vec<&Certificate> = below().collect();
                policy::process(&below_anchor, &opts.policy, &opts.limits)
            });
            match outcome {
                Ok(outcome) => {
                    if let Some(p) = outcome.valid_policies {
                        let msg: std::borrow::Cow<'static, str> = if p.is_empty() {
                            "valid policies: (none)".into()
                        } else {
                            format!("valid policies: {}", p.join(", ")).into()
                        };
                        advisory.push(Finding::from_def(&policy::VALID_POLICIES, msg));
                    }
                }
                Err(e) => {
                    if let Some(ex) = e.exhausted() {
                        s.exhausted = Some(ex);
                    }
                    // cert_index counts from the certificate below the anchor (0) to the leaf.
                    let loc = match e.cert_index() {
                        Some(i) => Location::depth((n - 2).saturating_sub(i)),
                        None => Location::none(),
                    };
                    fail(&mut errors, e.finding_def(), SubIndication::PolicyProcessingError, e.to_string(), loc)
                }
            }
        }

        // Extended key usage of the leaf (§4.2.1.12) and, under WebPki rules, of the CAs.
        if let Some(purpose) = opts.usage.oid() {
            let leaf = path[0].cert;
            match &leaf.extensions.ext_key_usage {
                Some(eku) => {
                    let any_ok = !strict;
                    if !eku.value.iter().any(|p| p == purpose || (any_ok && p == "2.5.29.37.0")) {
                        fail(
                            &mut errors,
                            &F::EKU_MISSING_PURPOSE,
                            SubIndication::ChainConstraintsFailure,
                            format!(
                                "{} is not for {purpose}: its extKeyUsage is {}",
                                describe(leaf),
                                eku.value.join(", ")
                            ),
                            Location::depth(0).with_path("extensions.extKeyUsage"),
                        );
                    }
                }
                None if strict && opts.usage == Usage::ServerAuth => {}
                None => {}
            }
            if strict {
                for (depth, node) in path.iter().enumerate().skip(1).take(n.saturating_sub(2)) {
                    if let Some(eku) = &node.cert.extensions.ext_key_usage {
                        if !eku.value.iter().any(|p| p == purpose || p == "2.5.29.37.0") {
                            fail(
                                &mut errors,
                                &F::EKU_MISSING_PURPOSE,
                                SubIndication::ChainConstraintsFailure,
                                format!(
                                    "{} constrains its subordinates to {}, not {purpose}",
                                    describe(node.cert),
                                    eku.value.join(", ")
                                ),
                                Location::depth(depth).with_path("extensions.extKeyUsage"),
                            );
                        }
                    }
                }
            }
        }

        for (def, msg, loc) in profile_findings {
            if strict {
                fail(&mut errors, &def, SubIndication::ChainConstraintsFailure, msg, loc);
            } else {
                advisory.push(Finding::new(def.id, report::Severity::Warning, msg).at(loc));
            }
        }

        // Revocation (§6.3) only for otherwise valid paths.
        if errors.is_empty() && opts.revocation != RevocationMode::Off {
            let last = match opts.revocation_scope {
                RevocationScope::EndEntityOnly => 1,
                RevocationScope::WholeChain => n - 1,
            };
            for depth in 0..last {
                let c = path[depth].cert;
                let issuer = path[depth + 1].cert;
                let find = |name: &Name, aki: Option<&[u8]>| {
                    self.find_crl_signer(name, aki, s.intermediates, &s.sources, opts)
                };
                let revocation::CertStatus { status, evidence, findings } =
                    revocation::check(c, issuer, &s.sources, opts.time, &Cached(self), &find, &mut s.budget);
                let by = match status {
                    revocation::Status::Revoked { .. } => {
                        evidence.last().map(|e| format!(", per {} {}", e.kind, e.source)).unwrap_or_default()
                    }
                    _ => String::new(),
                };
                s.evidence.extend(evidence.into_iter().map(|e| (depth, e)));
                match status {
                    revocation::Status::Good => {
                        advisory.extend(findings.into_iter().map(|f| f.at(Location::depth(depth))));
                    }
                    revocation::Status::Revoked { time, reason } => {
                        errors.push((
                            Finding::from_def(
                                &F::REVOKED,
                                format!(
                                    "{} was revoked at {}{}{by}",
                                    describe(c),
                                    fmt_time(time),
                                    reason.map(|r| format!(" (reason code {r})")).unwrap_or_default()
                                ),
                            )
                            .at(Location::depth(depth)),
                            if depth == 0 { SubIndication::Revoked } else { SubIndication::RevokedCaNoPoe },
                            if depth == 0 { Indication::Failed } else { Indication::Indeterminate },
                        ));
                        break;
                    }
                    revocation::Status::Unknown => {
                        let detail: Vec<&str> = findings.iter().map(|f| f.message.as_ref()).collect();
                        let detail = if detail.is_empty() {
                            "no CRL or OCSP response from its issuer was supplied".to_string()
                        } else {
                            detail.join("; ")
                        };
                        let msg = format!("the revocation status of {} is unknown: {detail}", describe(c));
                        if opts.revocation == RevocationMode::Require {
                            errors.push((
                                Finding::from_def(&F::REVOCATION_UNKNOWN, msg).at(Location::depth(depth)),
                                SubIndication::TryLater,
                                Indication::Indeterminate,
                            ));
                        } else {
                            advisory
                                .push(Finding::from_def(&F::REVOCATION_UNKNOWN_PREFER, msg).at(Location::depth(depth)));
                        }
                    }
                }
            }
        }

        if errors.is_empty() {
            // Written without the formatting machinery: this runs on every successful validation.
            const ENDS_AT: &str = "the path ends at the trust anchor ";
            let anchor = path[n - 1].cert.described();
            let mut msg = String::with_capacity(ENDS_AT.len() + anchor.len());
            msg.push_str(ENDS_AT);
            msg.push_str(anchor);
            advisory.insert(0, Finding::from_def(&F::ANCHOR, msg).at(Location::depth(n - 1)));
            return Ok(advisory);
        }
        // The first error decides the sub-indication; all are reported.
        let (indication, sub) = errors
            .first()
            .map(|(_, s, i)| (*i, *s))
            .unwrap_or((Indication::Failed, SubIndication::ChainConstraintsFailure));
        let mut findings: Vec<Finding> = errors.into_iter().map(|(f, _, _)| f).collect();
        findings.extend(advisory);
        Err(Failure { rank: RANK_COMPLETE, indication, sub, findings, path: Vec::new() })
    }

    /// Finds a certificate for an indirect CRL issuer among the anchors and intermediates and
    /// validates it (RFC 5280 §6.3.3 (f)): it must chain to an anchor, assert cRLSign and not be
    /// revoked ([`Validator::crl_signer_revoked`]).
    fn find_crl_signer(
        &self,
        name: &Name,
        aki: Option<&[u8]>,
        intermediates: &[Certificate],
        sources: &Sources<'_>,
        opts: &Options,
    ) -> Option<Certificate> {
        let candidates = self
            .store
            .anchors
            .iter()
            .map(|a| a.as_ref())
            .chain(intermediates.iter())
            .filter(|c| may_sign_crls_of(c, name, aki));
        for c in candidates {
            if self.store.anchors.iter().any(|a| a.der() == c.der()) {
                return Some(c.clone());
            }
            let mut sub = opts.clone();
            sub.usage = Usage::Any;
            sub.server_name = None;
            sub.max_intermediates = None;
            sub.revocation = RevocationMode::Off;
            let v = self.validate(c, intermediates, &[], &sub);
            if v.is_valid() && !self.crl_signer_revoked(c, &v, intermediates, sources, opts) {
                return Some(c.clone());
            }
        }
        None
    }

    /// Whether the CRL signer `signer`, whose path `v` validated, is itself revoked per the
    /// evidence in `sources` (RFC 5280 §6.3.3 (f): the CRL issuer's certification path is
    /// validated, revocation included; NIST PKITS 4.4.21). One level deep: the CRLs that speak
    /// for the signer must be signed by a trust anchor or by a certificate of the signer's own
    /// validated path, which are not checked again. Only a known revocation disqualifies the
    /// signer; a status that cannot be determined leaves it usable (local policy, which §6.3.3
    /// leaves open).
    fn crl_signer_revoked(
        &self,
        signer: &Certificate,
        v: &Validation,
        intermediates: &[Certificate],
        sources: &Sources<'_>,
        opts: &Options,
    ) -> bool {
        let path: Vec<&Certificate> =
            v.path.iter().filter_map(|src| v.certificate(*src, self, signer, intermediates)).collect();
        let Some(issuer) = path.get(1).copied() else { return false };
        let trusted = |name: &Name, aki: Option<&[u8]>| {
            path.iter()
                .skip(1)
                .copied()
                .chain(self.store.anchors.iter().map(|a| a.as_ref()))
                .find(|c| may_sign_crls_of(c, name, aki))
                .cloned()
        };
        let status = revocation::check(
            signer,
            issuer,
            sources,
            opts.time,
            &Cached(self),
            &trusted,
            &mut Budget::new(opts.limits),
        )
        .status;
        matches!(status, revocation::Status::Revoked { .. })
    }
}

/// Whether `c` can be the signer of a CRL issued by `name` with the authority key identifier
/// `aki` (RFC 5280 §6.3.3 (f)): the same name, a key identifier that does not contradict, and
/// cRLSign when keyUsage is present.
fn may_sign_crls_of(c: &Certificate, name: &Name, aki: Option<&[u8]>) -> bool {
    c.subject.matches(name)
        && aki.is_none_or(|k| c.ski().is_none_or(|s| s == k))
        && c.extensions.key_usage.as_ref().is_none_or(|ku| ku.value.has(crate::cert::KeyUsage::CRL_SIGN))
}

impl Search<'_> {
    fn offer(&mut self, f: Failure) {
        let better = match &self.best {
            None => true,
            Some(b) => f.rank > b.rank,
        };
        if better {
            self.best = Some(f);
        }
    }
}

type PathError = (Finding, SubIndication, Indication);

#[cold]
fn fail(errors: &mut Vec<PathError>, def: &FindingDef, sub: SubIndication, msg: String, loc: Location) {
    errors.push((Finding::from_def(def, msg).at(loc), sub, Indication::Failed));
}

fn def_of(id: &str) -> FindingDef {
    F::catalogue().into_iter().find(|d| d.id == id).unwrap_or(FindingDef {
        id: "rfc5280.path.constraint",
        severity: report::Severity::Error,
        citation: "RFC 5280 §6.1",
        summary: "A path validation constraint failed.",
    })
}

fn has_extensions(c: &Certificate) -> bool {
    let e = &c.extensions;
    e.basic_constraints.is_some()
        || e.key_usage.is_some()
        || e.ext_key_usage.is_some()
        || e.subject_alt_name.is_some()
        || e.authority_key_id.is_some()
        || e.subject_key_id.is_some()
        || e.certificate_policies.is_some()
        || e.name_constraints.is_some()
        || !e.other.is_empty()
}

type FindingFn = Box<dyn Fn(String) -> Finding>;

/// The signature-algorithm policy: SHA-1 rejected unless allowed (NIST SP 800-131A Rev. 2 §9).
fn algorithm_policy(alg: &SignatureAlgorithm, opts: &Options) -> Option<FindingFn> {
    let sha1 = matches!(alg, SignatureAlgorithm::RsaPkcs1(Hash::Sha1) | SignatureAlgorithm::Ecdsa(Hash::Sha1));
    if sha1 && opts.sha1 == Sha1Policy::Reject {
        return Some(Box::new(|who| Finding::from_def(&F::SIGNATURE_SHA1, format!("{who} is signed with SHA-1"))));
    }
    if let SignatureAlgorithm::Unsupported(oid) = alg {
        let oid = oid.clone();
        return Some(Box::new(move |who| {
            Finding::from_def(
                &F::SIGNATURE_UNSUPPORTED,
                format!("{who} is signed with the unsupported algorithm {oid}"),
            )
        }));
    }
    None
}

/// The key policy: RSA of at least `min_rsa_bits` (multiple of 8 under WebPki rules, CABF BR
/// §6.1.5), ECDSA on P-256/P-384/P-521, Ed25519. DSA, P-192, explicit curves are refused.
fn key_policy(kind: &KeyKind, opts: &Options) -> Option<FindingFn> {
    match kind {
        KeyKind::Rsa { bits } if *bits < opts.min_rsa_bits => {
            let (bits, min) = (*bits, opts.min_rsa_bits);
            Some(Box::new(move |who| {
                Finding::from_def(&F::KEY_WEAK_RSA, format!("{who} has an RSA key of {bits} bits (minimum {min})"))
            }))
        }
        KeyKind::Rsa { bits } if opts.rules == Rules::WebPki && bits % 8 != 0 => {
            let bits = *bits;
            Some(Box::new(move |who| {
                Finding::from_def(
                    &F::KEY_RSA_NOT_MULTIPLE_OF_8,
                    format!("{who} has an RSA modulus of {bits} bits, not a multiple of 8"),
                )
            }))
        }
        KeyKind::Other(what) => {
            let what = what.clone();
            Some(Box::new(move |who| {
                Finding::from_def(&F::KEY_UNSUPPORTED, format!("{who} has an unsupported key: {what}"))
            }))
        }
        _ => None,
    }
}

/// Certificate-profile requirements of RFC 5280 §4 (what conforming CAs MUST do) and, for server
/// certificates, the CA/Browser Forum Baseline Requirements. Errors under [`Rules::WebPki`],
/// warnings under [`Rules::Rfc5280`].
fn profile_checks(
    c: &Certificate,
    depth: usize,
    n: usize,
    opts: &Options,
    out: &mut Vec<(FindingDef, String, Location)>,
) {
    let is_leaf = depth == 0;
    let is_anchor = depth == n - 1;
    let loc = Location::depth(depth);
    // Described only when a finding is made: the success path formats nothing.
    let who = || describe(c);
    let mut push = |def: FindingDef, msg: String, path: &str| out.push((def, msg, loc.clone().with_path(path)));
    let ext = &c.extensions;
    // Only asked for the anchor (a leaf's names are not compared for this).
    let self_signed = || c.is_self_issued() && c.aki_key_id().is_none_or(|a| c.ski() == Some(a));

    // §4.1.2.2: serial number positive, at most 20 octets. Not applied to trust anchors, which
    // are trusted input (some long-lived roots in public use carry serial 0).
    let serial = if is_anchor { &[1u8][..] } else { c.serial.as_slice() };
    let negative = serial.first().is_some_and(|b| b & 0x80 != 0);
    let zero = serial.iter().all(|b| *b == 0);
    if negative || zero {
        push(F::SERIAL_ZERO, format!("{} has a serial number that is not positive", who()), "serialNumber");
    }
    let significant = serial.iter().skip_while(|b| **b == 0).count().max(1);
    if significant > 20 {
        push(
            F::SERIAL_TOO_LONG,
            format!("{} has a serial number of {significant} octets (at most 20)", who()),
            "serialNumber",
        );
    }
    // §4.1.2.4 / §4.1.2.6: names.
    if c.issuer.is_empty() {
        push(F::EMPTY_ISSUER, format!("{} has an empty issuer name", who()), "issuer");
    }
    if !is_leaf && c.subject.is_empty() {
        push(F::CA_EMPTY_SUBJECT, format!("{} is a CA with an empty subject", who()), "subject");
    }
    if let Some(san) = &ext.subject_alt_name {
        if c.subject.is_empty() && !san.critical {
            push(
                F::SAN_NOT_CRITICAL_EMPTY_SUBJECT,
                format!("{} has an empty subject but a non-critical subjectAltName", who()),
                "extensions.subjectAltName",
            );
        }
        if san.value.is_empty() || san.value.iter().any(|g| matches!(g, crate::name::GeneralName::Invalid { .. })) {
            push(
                F::SAN_EMPTY,
                format!("{} has an empty or malformed subjectAltName", who()),
                "extensions.subjectAltName",
            );
        }
        if is_leaf && opts.usage == Usage::ServerAuth && san.critical && !c.subject.is_empty() {
            push(
                F::SAN_CRITICAL_WITH_SUBJECT,
                format!("{} marks subjectAltName critical although its subject is not empty", who()),
                "extensions.subjectAltName",
            );
        }
    } else if is_leaf && opts.usage == Usage::ServerAuth {
        push(F::SAN_MISSING, format!("{} has no subjectAltName", who()), "extensions.subjectAltName");
    }
    // §4.2.1.1 / §4.2.1.2: key identifiers.
    match &ext.authority_key_id {
        Some(aki) => {
            if aki.critical {
                push(
                    F::AKI_CRITICAL,
                    format!("{} marks authorityKeyIdentifier critical", who()),
                    "extensions.authorityKeyIdentifier",
                );
            }
            if aki.value.key_id.is_none() || (is_anchor && (aki.value.issuer.is_some() || aki.value.serial.is_some())) {
                push(
                    F::AKI_NO_KEY_ID,
                    format!("{} has an authorityKeyIdentifier without (only) a keyIdentifier", who()),
                    "extensions.authorityKeyIdentifier",
                );
            }
            if is_anchor && c.is_self_issued() {
                if let (Some(a), Some(k)) = (aki.value.key_id.as_deref(), c.ski()) {
                    if a != k {
                        push(F::AKI_SKI_MISMATCH, format!("{} is self-signed but its authorityKeyIdentifier differs from its subjectKeyIdentifier", who()), "extensions.authorityKeyIdentifier");
                    }
                }
            }
        }
        // Only a self-signed certificate may omit the AKI (§4.2.1.1), an anchor included: a
        // cross-signed root placed in the trust store still needs one.
        None if !(is_anchor && self_signed()) => push(
            F::AKI_MISSING,
            format!("{} has no authorityKeyIdentifier", who()),
            "extensions.authorityKeyIdentifier",
        ),
        None => {}
    }
    match &ext.subject_key_id {
        Some(ski) if ski.critical => push(
            F::SKI_CRITICAL,
            format!("{} marks subjectKeyIdentifier critical", who()),
            "extensions.subjectKeyIdentifier",
        ),
        None if !is_leaf => push(
            F::SKI_MISSING,
            format!("{} is a CA without subjectKeyIdentifier", who()),
            "extensions.subjectKeyIdentifier",
        ),
        _ => {}
    }
    // §4.2.1.9: CAs mark basicConstraints critical.
    if !is_leaf {
        if let Some(bc) = &ext.basic_constraints {
            if !bc.critical {
                push(
                    F::BC_NOT_CRITICAL,
                    format!("{} has a non-critical basicConstraints", who()),
                    "extensions.basicConstraints",
                );
            }
        }
    }
    // §4.2.1.3: keyCertSign only with cA; keyUsage never empty.
    if let Some(ku) = &ext.key_usage {
        if ku.value.0 == 0 {
            push(F::KU_EMPTY, format!("{} has a keyUsage with no bit set", who()), "extensions.keyUsage");
        }
        if ku.value.has(crate::cert::KeyUsage::KEY_CERT_SIGN) && !c.is_ca() {
            push(
                F::KU_CERT_SIGN_NOT_CA,
                format!("{} asserts keyCertSign without basicConstraints cA", who()),
                "extensions.keyUsage",
            );
        }
    }
    // §4.2.1.12: extKeyUsage holds at least one purpose.
    if let Some(eku) = &ext.ext_key_usage {
        if eku.value.is_empty() {
            push(F::EKU_EMPTY, format!("{} has an empty extKeyUsage", who()), "extensions.extKeyUsage");
        }
    }
    // §4.2.1.10: nameConstraints only in CA certificates, always critical.
    if let Some(nc) = &ext.name_constraints {
        if is_leaf && !c.is_ca() {
            push(
                F::NC_IN_EE,
                format!("{} is an end-entity certificate with nameConstraints", who()),
                "extensions.nameConstraints",
            );
        } else if !nc.critical {
            push(
                F::NC_NOT_CRITICAL,
                format!("{} has a non-critical nameConstraints", who()),
                "extensions.nameConstraints",
            );
        }
    }
    // §4.2.1.11: policyConstraints MUST be critical.
    if let Some(pc) = &ext.policy_constraints {
        if !pc.critical {
            push(
                F::PC_NOT_CRITICAL,
                format!("{} has a non-critical policyConstraints", who()),
                "extensions.policyConstraints",
            );
        }
    }
    // §4.2.1.14: inhibitAnyPolicy MUST be critical.
    if ext.inhibit_any_policy.as_ref().is_some_and(|i| !i.critical) {
        push(
            F::IAP_NOT_CRITICAL,
            format!("{} has a non-critical inhibitAnyPolicy", who()),
            "extensions.inhibitAnyPolicy",
        );
    }
    // §4.2.2.1: authorityInfoAccess MUST be non-critical.
    if ext.authority_info_access.as_ref().is_some_and(|a| a.critical) {
        push(
            F::AIA_CRITICAL,
            format!("{} marks authorityInfoAccess critical", who()),
            "extensions.authorityInfoAccess",
        );
    }
    // CABF BR rules for TLS server certificates.
    if opts.usage == Usage::ServerAuth {
        if is_leaf {
            // CABF BR §3.2.2.6: no wildcard directly under a public suffix (`*.co.uk`).
            for g in c.san() {
                if let crate::name::GeneralName::Dns(d) = g {
                    if let Some(base) = d.strip_prefix("*.") {
                        let base = base.trim_end_matches('.').to_ascii_lowercase();
                        if psl::suffix_str(&base) == Some(base.as_str()) {
                            push(
                                def_of("cabf.san.wildcard-public-suffix"), // defined by the hostname module
                                format!("{} has the wildcard {d} directly under the public suffix {base}", who()),
                                "extensions.subjectAltName",
                            );
                        }
                    }
                }
            }
            if c.is_ca() {
                push(
                    F::EE_IS_CA,
                    format!("{} is a server certificate with cA=TRUE", who()),
                    "extensions.basicConstraints",
                );
            }
            match &ext.ext_key_usage {
                None => push(F::EKU_LEAF_MISSING, format!("{} has no extKeyUsage", who()), "extensions.extKeyUsage"),
                Some(eku) => {
                    if eku.critical {
                        push(
                            F::EKU_CRITICAL,
                            format!("{} marks extKeyUsage critical", who()),
                            "extensions.extKeyUsage",
                        );
                    }
                    if eku.value.iter().any(|p| p == "2.5.29.37.0") {
                        push(
                            F::EKU_ANY_REJECTED,
                            format!("{} asserts anyExtendedKeyUsage", who()),
                            "extensions.extKeyUsage",
                        );
                    }
                }
            }
        }
        if is_anchor && c.is_self_issued() && ext.ext_key_usage.is_some() {
            push(F::EKU_IN_ROOT, format!("{} is a root with extKeyUsage", who()), "extensions.extKeyUsage");
        }
    }
}

/// The validator's verifier behind its verified-signature cache, for the signatures of revocation
/// evidence (CRLs and OCSP responses): a CRL that covers many certificates, or a cached OCSP
/// response checked again, is verified once.
struct Cached<'v>(&'v Validator);

impl SignatureVerifier for Cached<'_> {
    fn verify(
        &self,
        alg: &SignatureAlgorithm,
        key: &crate::cert::PublicKeyInfo,
        msg: &[u8],
        sig: &[u8],
    ) -> Result<(), SignatureError> {
        // The digest is computed only when the cache is on.
        self.check(alg, key, msg, || crate::crypto::sha256(msg), sig)
    }

    fn verify_with_digest(
        &self,
        alg: &SignatureAlgorithm,
        key: &crate::cert::PublicKeyInfo,
        msg: &[u8],
        msg_sha256: &[u8; 32],
        sig: &[u8],
    ) -> Result<(), SignatureError> {
        self.check(alg, key, msg, || *msg_sha256, sig)
    }
}

impl Cached<'_> {
    fn check(
        &self,
        alg: &SignatureAlgorithm,
        key: &crate::cert::PublicKeyInfo,
        msg: &[u8],
        msg_sha256: impl FnOnce() -> [u8; 32],
        sig: &[u8],
    ) -> Result<(), SignatureError> {
        let k = self.0.signature_key(&key.der, msg_sha256, sig, alg);
        if self.0.verified_before(k.as_ref()) {
            return Ok(());
        }
        self.0.verifier.verify(alg, key, msg, sig)?;
        self.0.remember(k);
        Ok(())
    }
}

/// `"CN=Leaf" (serial 01:02)`: how findings name a certificate.
#[cold]
pub fn describe(c: &Certificate) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = format!("\"{}\" (serial ", c.label());
    for (i, b) in c.serial.iter().take(20).enumerate() {
        if i > 0 {
            out.push(':');
        }
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out.push(')');
    out
}

/// Unix seconds as RFC 3339 UTC.
#[cold]
pub fn fmt_time(t: i64) -> String {
    Rfc3339(t).to_string()
}

/// Unix seconds that display as RFC 3339 UTC (`2026-06-01T00:00:00Z`), for messages that write
/// a time without an intermediate String.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rfc3339(pub i64);

impl std::fmt::Display for Rfc3339 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Civil-from-days (H. Hinnant's algorithm), so no time crate is needed here.
        let t = self.0;
        let days = t.div_euclid(86_400);
        let secs = t.rem_euclid(86_400);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = if m <= 2 { y + 1 } else { y };
        if (0..=9999).contains(&y) {
            // The common case without the padding machinery: fixed-width digits.
            let mut b = *b"0000-00-00T00:00:00Z";
            let mut put = |at: usize, width: usize, mut v: i64| {
                for i in (0..width).rev() {
                    if let Some(slot) = b.get_mut(at + i) {
                        *slot = b'0' + (v % 10) as u8;
                    }
                    v /= 10;
                }
            };
            put(0, 4, y);
            put(5, 2, m);
            put(8, 2, d);
            put(11, 2, secs / 3600);
            put(14, 2, secs % 3600 / 60);
            put(17, 2, secs % 60);
            return f.write_str(std::str::from_utf8(&b).unwrap_or("(time)"));
        }
        write!(f, "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_cache_hits_only_the_same_key_signature_and_algorithm() {
        let alg = SignatureAlgorithm::Ecdsa(crate::cert::Hash::Sha256);
        let other_alg = SignatureAlgorithm::Ecdsa(crate::cert::Hash::Sha384);
        let check = |key: &'static [u8], digest: u8, sig: &'static [u8], alg| SigCheck {
            key,
            msg_sha256: [digest; 32],
            sig,
            alg,
        };
        let mut c = SigCache::default();
        c.insert(check(b"key", 1, b"sig", &alg));
        assert!(c.contains(&check(b"key", 1, b"sig", &alg)));
        assert!(!c.contains(&check(b"kez", 1, b"sig", &alg)), "another key");
        assert!(!c.contains(&check(b"key", 2, b"sig", &alg)), "other signed bytes");
        assert!(!c.contains(&check(b"key", 1, b"siG", &alg)), "another signature");
        assert!(!c.contains(&check(b"key", 1, b"sig", &other_alg)), "another algorithm");
        // Two checks over the same signed bytes are both kept; a repeated one is not counted twice.
        c.insert(check(b"key2", 1, b"sig2", &alg));
        c.insert(check(b"key2", 1, b"sig2", &alg));
        assert!(c.contains(&check(b"key", 1, b"sig", &alg)) && c.contains(&check(b"key2", 1, b"sig2", &alg)));
        assert_eq!((c.entries, c.bytes), (2, 14));
    }

    #[test]
    fn signature_cache_is_bounded_in_entries_and_bytes() {
        let alg = SignatureAlgorithm::Ed25519;
        let mut c = SigCache::default();
        for i in 0..SIGNATURE_CACHE_ENTRIES + 1 {
            let d = (i as u64).to_be_bytes();
            let mut digest = [0u8; 32];
            digest[..8].copy_from_slice(&d);
            c.insert(SigCheck { key: b"k", msg_sha256: digest, sig: &d, alg: &alg });
            assert!(c.entries <= SIGNATURE_CACHE_ENTRIES);
        }
        assert_eq!(c.entries, 1, "emptied when full, then the new entry kept");
        let big = vec![7u8; SIGNATURE_CACHE_BYTES / 3];
        for i in 0..4u8 {
            c.insert(SigCheck { key: &big, msg_sha256: [i; 32], sig: b"s", alg: &alg });
            assert!(c.bytes <= SIGNATURE_CACHE_BYTES);
        }
        assert!(c.contains(&SigCheck { key: &big, msg_sha256: [3; 32], sig: b"s", alg: &alg }));
    }

    #[test]
    fn path_buffer_moves_to_the_heap_past_its_inline_size() {
        let leaf = Certificate::from_der(&rcgen_leaf()).unwrap();
        let node = |i: usize| Node { cert: &leaf, source: Source::Intermediate(i) };
        let mut p = PathBuf::new(Node { cert: &leaf, source: Source::Leaf });
        for i in 0..INLINE_PATH + 3 {
            p.push(node(i));
            assert_eq!(p.len(), i + 2);
            assert_eq!(p.last().map(|n| n.source), Some(Source::Intermediate(i)));
        }
        assert!(matches!(p, PathBuf::Heap(_)));
        let sources: Vec<Source> = p.iter().map(|n| n.source).collect();
        assert_eq!(sources.first(), Some(&Source::Leaf));
        assert_eq!(sources.get(INLINE_PATH), Some(&Source::Intermediate(INLINE_PATH - 1)));
        for _ in 0..INLINE_PATH + 3 {
            p.pop();
        }
        assert_eq!(p.iter().map(|n| n.source).collect::<Vec<_>>(), vec![Source::Leaf]);
    }

    fn rcgen_leaf() -> Vec<u8> {
        let key = rcgen::KeyPair::generate().unwrap();
        rcgen::CertificateParams::new(vec!["example.com".to_string()])
            .unwrap()
            .self_signed(&key)
            .unwrap()
            .der()
            .to_vec()
    }

    #[test]
    fn time_formatting() {
        assert_eq!(fmt_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(fmt_time(1_704_067_200), "2024-01-01T00:00:00Z");
        assert_eq!(fmt_time(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(fmt_time(1_748_779_199), "2025-06-01T11:59:59Z");
        assert_eq!(fmt_time(253_402_300_799), "9999-12-31T23:59:59Z");
        assert_eq!(fmt_time(253_402_300_800), "10000-01-01T00:00:00Z");
        assert_eq!(fmt_time(-1), "1969-12-31T23:59:59Z");
    }
}
