//! rustls verifiers backed by a [`TrustContext`]: a relying party's mutual-TLS endpoint that
//! accepts a client certificate exactly when eidtrust, under the relying state's profile, would
//! accept it — and can say why not.
//!
//! - [`ClientVerifier`] is a `rustls::server::danger::ClientCertVerifier`: RFC 5280 path
//!   validation with the client-auth purpose (RFC 5280 §4.2.1.12, id-kp-clientAuth), the
//!   profile's algorithm rules, optionally the leaf linted as a profile type (the authentication
//!   certificate, [`LeafCheck::AsType`]) and revocation from CRLs the caller supplies.
//! - [`ServerVerifier`] is a `rustls::client::danger::ServerCertVerifier`: the same with the
//!   server-auth purpose and the server name (RFC 9525), optionally the leaf linted as a QWAC,
//!   and the OCSP response the server staples (RFC 6066 §8) as revocation evidence when
//!   revocation checking is on ([`ServerVerifier::revocation`]).
//!
//! Time is an input: each verifier asks a [`Clock`] ([`FixedClock`] for reproducible checks,
//! [`SystemClock`] for a live service); the time rustls passes in is not used. Each decision is a
//! [`Decision`] (the eidtrust verdict with its findings) handed to a [`DecisionLog`] and/or a
//! callback, so the server can log *why* a handshake failed — the TLS alert alone says little.
//! A rejection maps to `rustls::Error::InvalidCertificate` with the most specific
//! [`CertificateError`] (see [`certificate_error`]), which rustls turns into the TLS alert.
//!
//! Handshake signatures (TLS 1.2 `DigitallySigned`, TLS 1.3 `CertificateVerify`) are verified
//! with rustls' own helpers over the ring provider's algorithms.

use crate::TrustContext;
use pki::cert::Certificate;
use pki::crl::Crl;
use pki::revocation::GivenOcsp;
use pki::validate::{RevocationMode, RevocationScope, Rules, Usage};
use profile::CertType;
use report::{Finding, Location, SubIndication, Verdict};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, ServerName as TlsServerName, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{CertificateError, DigitallySignedStruct, DistinguishedName, SignatureScheme};
use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex};

pub use rustls;

/// The finding ids this module adds to those of path validation and linting.
pub mod findings {
    use report::{FindingDef, Severity};

    /// `tls.peer.too-many-certificates` — the peer sent more certificates than
    /// [`super::MAX_PEER_CERTIFICATES`].
    pub const TOO_MANY_CERTIFICATES: FindingDef = FindingDef {
        id: "tls.peer.too-many-certificates",
        severity: Severity::Error,
        citation: "RFC 8446 §4.4.2; RFC 5246 §7.4.2; project limit",
        summary: "The peer's Certificate message carries more certificates than the verifier examines.",
    };
    /// `tls.server-name.unsupported` — the server name rustls gave cannot be checked (neither a
    /// DNS name nor an IP address).
    pub const SERVER_NAME_UNSUPPORTED: FindingDef = FindingDef {
        id: "tls.server-name.unsupported",
        severity: Severity::Error,
        citation: "RFC 9525 §6; RFC 6066 §3",
        summary: "The reference server name is not a DNS name or an IP address the verifier can match.",
    };

    /// Every id of this module.
    pub static CATALOGUE: &[FindingDef] = &[TOO_MANY_CERTIFICATES, SERVER_NAME_UNSUPPORTED];
}

/// The most certificates of one Certificate message that are examined (leaf plus intermediates).
/// TLS itself bounds the message (RFC 8446 §4.4.2: `certificate_list<0..2^24-1>`); this project
/// limit keeps path building proportionate: 16 is well above the longest real eID chains
/// (leaf, one or two issuing CAs, a cross certificate), and pki's own budgets apply after it.
pub const MAX_PEER_CERTIFICATES: usize = 16;

/// The most bytes of root hint subjects sent in a CertificateRequest: RFC 8446 §4.2.4 and
/// RFC 5246 §7.4.4 encode `certificate_authorities` as a vector of at most 2^16-1 bytes; hints
/// past this (with their two-byte length prefixes) are left out.
pub const MAX_HINT_BYTES: usize = 65_535;

/// Decisions a [`DecisionLog`] keeps by default before dropping the oldest (project limit: a
/// busy endpoint must not grow memory without bound).
pub const DEFAULT_LOG_CAPACITY: usize = 1024;

/// Where a verifier takes the validation time from: the same clocks as pki's fetch cache.
pub use pki::fetch::{Clock, FixedClock, SystemClock};

/// How far the profile applies to a presented chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeafCheck {
    /// RFC 5280 path validation only (with the profile's RSA floor); the profile's algorithm
    /// rules and certificate lint are not applied.
    PathOnly,
    /// Path validation, the profile's algorithm rules, and the leaf linted as the type it claims
    /// (EN 319 411-2 policy OIDs, QcType or the profile's policy OIDs); a leaf that claims no
    /// type fails (`lint.type.undetermined`).
    ClaimedType,
    /// Path validation, the profile's algorithm rules, and the leaf linted as this type of the
    /// profile (its EN 319 412 rules, identifiers...).
    AsType(CertType),
}

impl LeafCheck {
    fn cert_type(self) -> Option<CertType> {
        match self {
            LeafCheck::PathOnly | LeafCheck::ClaimedType => None,
            LeafCheck::AsType(t) => Some(t),
        }
    }
}

/// Which side of the handshake presented the certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeerRole {
    Client,
    Server,
}

impl PeerRole {
    pub fn as_str(self) -> &'static str {
        match self {
            PeerRole::Client => "client",
            PeerRole::Server => "server",
        }
    }
}

/// One verifier decision: what was presented, at which time, under which profile, and the
/// eidtrust verdict with every finding.
#[derive(Debug, Clone)]
pub struct Decision {
    pub role: PeerRole,
    /// The profile id the decision was made under.
    pub profile: String,
    /// The validation time, Unix seconds.
    pub time: i64,
    /// The leaf's subject (short form), when it parsed.
    pub subject: Option<String>,
    /// The leaf's serial number in hex, when it parsed.
    pub serial: Option<String>,
    /// The type the leaf was linted as, if any.
    pub cert_type: Option<CertType>,
    /// The id of the profile whose certificate rules were applied (the relying party's own, or
    /// the issuer rules registered for the path's anchor); `None` for path-only checks.
    pub rules: Option<String>,
    /// The server name checked (server certificates only).
    pub server_name: Option<String>,
    /// The validated (or best failing) path's subjects, leaf first.
    pub chain: Vec<String>,
    pub verdict: Verdict,
    /// How the rejection was reported to rustls (and so which TLS alert was sent).
    pub tls_error: Option<String>,
}

impl Decision {
    pub fn accepted(&self) -> bool {
        self.verdict.is_valid()
    }

    /// The decision as JSON (the form `eidtrust interop serve-rp` logs and sends back).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "role": self.role.as_str(),
            "accepted": self.accepted(),
            "summary": self.summary(),
            "profile": self.profile,
            "time": pki::validate::fmt_time(self.time),
            "subject": self.subject,
            "serial": self.serial,
            "cert_type": self.cert_type.map(|t| t.as_str()),
            "rules": self.rules,
            "server_name": self.server_name,
            "indication": self.verdict.indication.as_str(),
            "sub_indication": self.verdict.sub_indication.map(|s| s.as_str()),
            "chain": self.chain,
            "tls_error": self.tls_error,
            "findings": self.verdict.findings,
        })
    }

    /// One line for people: `accepted` or `rejected: <worst finding>`.
    pub fn summary(&self) -> String {
        if self.accepted() {
            return format!("accepted under profile {}", self.profile);
        }
        let why = self
            .verdict
            .findings
            .iter()
            .filter(|f| f.severity.is_failure())
            .max_by_key(|f| f.severity)
            .or_else(|| self.verdict.worst())
            .map(|f| format!("{} [{}]", f.message, f.id))
            .unwrap_or_else(|| "no reason recorded".to_string());
        format!(
            "rejected under profile {}: {}{} — {why}",
            self.profile,
            self.verdict.indication,
            self.verdict.sub_indication.map(|s| format!("/{s}")).unwrap_or_default(),
        )
    }
}

/// A bounded, shared record of decisions (oldest dropped first).
#[derive(Debug)]
pub struct DecisionLog {
    capacity: usize,
    entries: Mutex<VecDeque<Decision>>,
}

impl DecisionLog {
    /// A log keeping at most `capacity` decisions (at least one).
    pub fn new(capacity: usize) -> Arc<DecisionLog> {
        Arc::new(DecisionLog { capacity: capacity.max(1), entries: Mutex::new(VecDeque::new()) })
    }

    pub fn push(&self, d: Decision) {
        let mut e = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        while e.len() >= self.capacity {
            e.pop_front();
        }
        e.push_back(d);
    }

    /// The most recent decision.
    pub fn latest(&self) -> Option<Decision> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).back().cloned()
    }

    /// Removes and returns every decision, oldest first.
    pub fn drain(&self) -> Vec<Decision> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).drain(..).collect()
    }

    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A callback invoked with every decision (for logging or metrics).
pub type DecisionCallback = Arc<dyn Fn(&Decision) + Send + Sync>;

/// The rejection carried in `CertificateError::Other`: the eidtrust verdict in one line.
#[derive(Debug, Clone)]
pub struct VerdictError(pub String);

impl fmt::Display for VerdictError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for VerdictError {}

/// The `CertificateError` a rejection is reported as: the most specific one the verdict's
/// failing findings support (so rustls sends the matching alert, RFC 8446 §6.2: `bad_certificate`,
/// `certificate_expired`, `certificate_revoked`, `unknown_ca`, ...), else `Other` carrying the
/// verdict (alert `certificate_unknown`).
pub fn certificate_error(v: &Verdict, profile: &str) -> CertificateError {
    use pki::findings as F;
    let failing: Vec<&str> = v.findings.iter().filter(|f| f.severity.is_failure()).map(|f| &*f.id).collect();
    let has = |id: &str| failing.contains(&id);
    type Make = fn() -> CertificateError;
    let table: [(&str, Make); 14] = [
        (F::MALFORMED.id, || CertificateError::BadEncoding),
        (F::REVOKED.id, || CertificateError::Revoked),
        (F::SIGNATURE_INVALID.id, || CertificateError::BadSignature),
        (F::EXPIRED.id, || CertificateError::Expired),
        (F::NOT_YET_VALID.id, || CertificateError::NotValidYet),
        (F::NO_CHAIN.id, || CertificateError::UnknownIssuer),
        (F::UNKNOWN_CRITICAL.id, || CertificateError::UnhandledCriticalExtension),
        (F::EKU_MISSING_PURPOSE.id, || CertificateError::InvalidPurpose),
        (F::EKU_EMPTY.id, || CertificateError::InvalidPurpose),
        (F::EKU_LEAF_MISSING.id, || CertificateError::InvalidPurpose),
        ("rfc9525.server-name.mismatch", || CertificateError::NotValidForName),
        ("rfc9525.server-name.no-san", || CertificateError::NotValidForName),
        (F::REVOCATION_UNKNOWN.id, || CertificateError::UnknownRevocationStatus),
        (findings::SERVER_NAME_UNSUPPORTED.id, || CertificateError::NotValidForName),
    ];
    for (id, make) in table {
        if has(id) {
            return make();
        }
    }
    let mut d = Decision {
        role: PeerRole::Client,
        profile: profile.to_string(),
        time: 0,
        subject: None,
        serial: None,
        cert_type: None,
        rules: None,
        server_name: None,
        chain: Vec::new(),
        verdict: v.clone(),
        tls_error: None,
    };
    d.verdict.findings.retain(|f| f.severity.is_failure());
    CertificateError::Other(rustls::OtherError(Arc::new(VerdictError(d.summary()))))
}

/// The configuration both verifiers share.
#[derive(Clone)]
struct Core {
    ctx: Arc<TrustContext>,
    clock: Arc<dyn Clock>,
    leaf: LeafCheck,
    rules: Rules,
    crls: Arc<Vec<Crl>>,
    revocation: RevocationMode,
    revocation_scope: RevocationScope,
    log: Option<Arc<DecisionLog>>,
    callback: Option<DecisionCallback>,
    algorithms: WebPkiSupportedAlgorithms,
    /// Certificate rules for paths ending at a given anchor (DER): a foreign state's credentials
    /// linted under the rules of their own legislation (see [`ClientVerifier::issuer_rules`]).
    issuer_rules: Arc<Vec<(Vec<u8>, profile::Profile)>>,
}

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Core")
            .field("profile", &self.ctx.profile().id)
            .field("anchors", &self.ctx.validator().store().len())
            .field("clock", &self.clock)
            .field("leaf", &self.leaf)
            .field("rules", &self.rules)
            .field("crls", &self.crls.len())
            .field("revocation", &self.revocation)
            .finish()
    }
}

impl Core {
    fn new(ctx: Arc<TrustContext>, clock: Arc<dyn Clock>, leaf: LeafCheck) -> Core {
        Core {
            ctx,
            clock,
            leaf,
            rules: Rules::Rfc5280,
            crls: Arc::new(Vec::new()),
            revocation: RevocationMode::Off,
            revocation_scope: RevocationScope::WholeChain,
            log: None,
            callback: None,
            algorithms: rustls::crypto::ring::default_provider().signature_verification_algorithms,
            issuer_rules: Arc::new(Vec::new()),
        }
    }

    /// Validates a presented chain; `server_name` only for server certificates.
    fn decide(
        &self,
        role: PeerRole,
        end_entity: &[u8],
        intermediates: &[&[u8]],
        server_name: Option<Result<pki::hostname::ServerName, String>>,
        stapled_ocsp: &[u8],
    ) -> Decision {
        let time = self.clock.now();
        let profile = self.ctx.profile().id.clone();
        let cert_type = self.leaf.cert_type();
        let mut d = Decision {
            role,
            profile,
            time,
            subject: None,
            serial: None,
            cert_type,
            rules: None,
            server_name: None,
            chain: Vec::new(),
            verdict: Verdict::passed(Vec::new()),
            tls_error: None,
        };
        let fail = |d: &mut Decision, sub: SubIndication, f: Finding| {
            d.verdict = Verdict::failed(sub, vec![f]);
        };
        if intermediates.len() + 1 > MAX_PEER_CERTIFICATES {
            fail(
                &mut d,
                SubIndication::ChainConstraintsFailure,
                Finding::from_def(
                    &findings::TOO_MANY_CERTIFICATES,
                    format!(
                        "the {} sent {} certificates; at most {MAX_PEER_CERTIFICATES} are examined",
                        role.as_str(),
                        intermediates.len() + 1
                    ),
                ),
            );
            return d;
        }
        let leaf = match Certificate::from_der(end_entity) {
            Ok(c) => c,
            Err(e) => {
                let f = Finding::from_def(
                    &pki::findings::MALFORMED,
                    format!("the {} certificate is malformed: {e}", role.as_str()),
                )
                .at(Location::depth(0));
                fail(&mut d, SubIndication::FormatFailure, f);
                return d;
            }
        };
        d.subject = Some(leaf.subject.display_short());
        d.serial = Some(leaf.serial.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":"));
        let mut inter = Vec::with_capacity(intermediates.len());
        for (i, der) in intermediates.iter().enumerate() {
            match Certificate::from_der(der) {
                Ok(c) => inter.push(c),
                Err(e) => {
                    let f = Finding::from_def(
                        &pki::findings::MALFORMED,
                        format!("certificate {} of the {}'s chain is malformed: {e}", i + 2, role.as_str()),
                    )
                    .at(Location::depth(i + 1));
                    fail(&mut d, SubIndication::FormatFailure, f);
                    return d;
                }
            }
        }
        let mut opts = self.ctx.options(time);
        opts.rules = self.rules;
        opts.revocation = self.revocation;
        opts.revocation_scope = self.revocation_scope;
        opts.usage = match role {
            PeerRole::Client => Usage::ClientAuth,
            PeerRole::Server => Usage::ServerAuth,
        };
        match server_name {
            None => {}
            Some(Ok(n)) => {
                d.server_name = Some(n.to_string());
                opts.server_name = Some(n);
            }
            Some(Err(name)) => {
                d.server_name = Some(name.clone());
                let f = Finding::from_def(
                    &findings::SERVER_NAME_UNSUPPORTED,
                    format!("the server name {name} cannot be matched against a certificate"),
                );
                fail(&mut d, SubIndication::ChainConstraintsFailure, f);
                return d;
            }
        }
        let validator = self.ctx.validator();
        // A response the server stapled (RFC 6066 §8) is evidence like a supplied one: checked
        // for its CertID, signature, time window and responder (RFC 6960), used only when
        // revocation checking is on.
        let stapled: Vec<GivenOcsp> = if stapled_ocsp.is_empty() || self.revocation == RevocationMode::Off {
            Vec::new()
        } else {
            vec![GivenOcsp::new("the OCSP response stapled in the TLS handshake", stapled_ocsp.to_vec())]
        };
        let sources = pki::revocation::Sources { crls: &self.crls, ocsp: &stapled, ..Default::default() };
        let mut v = validator.validate_with(&leaf, &inter, &sources, &opts);
        if self.leaf != LeafCheck::PathOnly {
            // TrustContext::validate, with the rules chosen by the anchor the path ends at.
            let rules = self.rules_for(&v);
            d.rules = Some(rules.id.clone());
            crate::context::apply_profile(&mut v, rules, cert_type, &leaf, &inter, validator);
        }
        d.chain = v.chain(validator, &leaf, &inter);
        d.verdict = v.verdict;
        d
    }

    /// The profile whose certificate rules apply to a path: the issuer rules registered for its
    /// anchor, else the relying party's own profile.
    fn rules_for(&self, v: &pki::validate::Validation) -> &profile::Profile {
        let anchor = match v.path.last() {
            Some(pki::validate::Source::Anchor(i)) => self.ctx.validator().store().anchors().get(*i),
            _ => None,
        };
        anchor
            .and_then(|a| self.issuer_rules.iter().find(|(der, _)| der.as_slice() == a.der()))
            .map(|(_, p)| p)
            .unwrap_or_else(|| self.ctx.profile())
    }

    fn issuer_rules(&mut self, anchor: &Certificate, rules: profile::Profile) {
        let mut list: Vec<(Vec<u8>, profile::Profile)> = self.issuer_rules.as_ref().clone();
        list.retain(|(der, _)| der.as_slice() != anchor.der());
        list.push((anchor.der().to_vec(), rules));
        self.issuer_rules = Arc::new(list);
    }

    fn record(&self, d: &Decision) {
        if let Some(cb) = &self.callback {
            cb(d);
        }
        if let Some(log) = &self.log {
            log.push(d.clone());
        }
    }

    /// Decides, records, and answers rustls.
    fn verify(
        &self,
        role: PeerRole,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: Option<Result<pki::hostname::ServerName, String>>,
        stapled_ocsp: &[u8],
    ) -> Result<(), rustls::Error> {
        let inter: Vec<&[u8]> = intermediates.iter().map(|c| c.as_ref()).collect();
        let mut d = self.decide(role, end_entity.as_ref(), &inter, server_name, stapled_ocsp);
        let result = if d.accepted() {
            Ok(())
        } else {
            let e = certificate_error(&d.verdict, &d.profile);
            d.tls_error = Some(format!("{e:?}"));
            Err(rustls::Error::InvalidCertificate(e))
        };
        self.record(&d);
        result
    }

    fn tls12(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn tls13(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }
}

/// A rustls client-certificate verifier that is eidtrust under a national profile.
///
/// ```no_run
/// # use std::sync::Arc;
/// # use eidtrust::tls::{ClientVerifier, FixedClock, LeafCheck, DecisionLog};
/// # fn demo(ctx: eidtrust::TrustContext) {
/// let log = DecisionLog::new(64);
/// let verifier = ClientVerifier::new(Arc::new(ctx), Arc::new(FixedClock::new(1_748_736_000)))
///     .leaf_check(LeafCheck::AsType(eidtrust::profile::CertType::Auth))
///     .log(log.clone());
/// let provider = Arc::new(rustls::crypto::ring::default_provider());
/// let config = rustls::ServerConfig::builder_with_provider(provider)
///     .with_safe_default_protocol_versions()
///     .unwrap()
///     .with_client_cert_verifier(Arc::new(verifier));
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct ClientVerifier {
    core: Core,
    hints: Vec<DistinguishedName>,
}

impl ClientVerifier {
    /// A verifier for `ctx` at the clock's time; the leaf is linted as the profile's
    /// authentication certificate ([`CertType::Auth`]) unless [`ClientVerifier::leaf_check`]
    /// says otherwise. The root hints are the anchors' subjects.
    pub fn new(ctx: Arc<TrustContext>, clock: Arc<dyn Clock>) -> ClientVerifier {
        let hints = root_hints(&ctx);
        ClientVerifier { core: Core::new(ctx, clock, LeafCheck::AsType(CertType::Auth)), hints }
    }

    pub fn leaf_check(mut self, leaf: LeafCheck) -> Self {
        self.core.leaf = leaf;
        self
    }

    /// Path-validation rule set (RFC 5280 by default).
    pub fn rules(mut self, rules: Rules) -> Self {
        self.core.rules = rules;
        self
    }

    /// CRLs to check revocation with, and how (RFC 5280 §6.3).
    pub fn crls(mut self, crls: Vec<Crl>, mode: RevocationMode) -> Self {
        self.core.crls = Arc::new(crls);
        self.core.revocation = mode;
        self
    }

    /// Lint (and apply the algorithm rules of) chains that end at `anchor` under `rules` instead
    /// of the relying party's profile: how a relying state treats a foreign state's credentials,
    /// whose certificates follow the issuer's legislation (its identifier formats,
    /// QcCClegislation), while the relying state's algorithm rules still apply when the caller
    /// builds `rules` that way (the interop matrix's `foreign_view`). Path validation and the
    /// anchors are unchanged.
    pub fn issuer_rules(mut self, anchor: &Certificate, rules: profile::Profile) -> Self {
        self.core.issuer_rules(anchor, rules);
        self
    }

    /// Record every decision in `log` (replacing any log set before).
    pub fn log(mut self, log: Arc<DecisionLog>) -> Self {
        self.core.log = Some(log);
        self
    }

    /// Call `cb` with every decision.
    pub fn on_decision(mut self, cb: DecisionCallback) -> Self {
        self.core.callback = Some(cb);
        self
    }

    pub fn context(&self) -> &TrustContext {
        &self.core.ctx
    }

    /// The decision this verifier would take on a presented chain (leaf DER, then the
    /// intermediates' DER), without TLS and without recording it.
    pub fn decide(&self, end_entity: &[u8], intermediates: &[&[u8]]) -> Decision {
        self.core.decide(PeerRole::Client, end_entity, intermediates, None, &[])
    }
}

fn root_hints(ctx: &TrustContext) -> Vec<DistinguishedName> {
    root_hints_within(ctx, MAX_HINT_BYTES)
}

/// The anchors' subjects, in store order, while their encoding (each with its two-byte length)
/// fits in `max_bytes`.
fn root_hints_within(ctx: &TrustContext, max_bytes: usize) -> Vec<DistinguishedName> {
    let mut total = 0usize;
    let mut hints = Vec::new();
    for a in ctx.validator().store().anchors() {
        let der = a.subject.der();
        if der.is_empty() {
            continue;
        }
        let cost = der.len() + 2;
        if total + cost > max_bytes {
            break;
        }
        total += cost;
        hints.push(DistinguishedName::from(der.to_vec()));
    }
    hints
}

impl ClientCertVerifier for ClientVerifier {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &self.hints
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        self.core
            .verify(PeerRole::Client, end_entity, intermediates, None, &[])
            .map(|()| ClientCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.core.tls12(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.core.tls13(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.core.algorithms.supported_schemes()
    }
}

/// A rustls server-certificate verifier that is eidtrust under a profile: server-auth purpose,
/// the server name (RFC 9525), optionally the leaf linted as a QWAC.
#[derive(Debug, Clone)]
pub struct ServerVerifier {
    core: Core,
}

impl ServerVerifier {
    /// A verifier for `ctx` at the clock's time; path validation and algorithm rules only
    /// unless [`ServerVerifier::leaf_check`] asks for a type (e.g. [`CertType::Qwac`]).
    pub fn new(ctx: Arc<TrustContext>, clock: Arc<dyn Clock>) -> ServerVerifier {
        ServerVerifier { core: Core::new(ctx, clock, LeafCheck::PathOnly) }
    }

    pub fn leaf_check(mut self, leaf: LeafCheck) -> Self {
        self.core.leaf = leaf;
        self
    }

    pub fn rules(mut self, rules: Rules) -> Self {
        self.core.rules = rules;
        self
    }

    pub fn crls(mut self, crls: Vec<Crl>, mode: RevocationMode) -> Self {
        self.core.crls = Arc::new(crls);
        self.core.revocation = mode;
        self
    }

    pub fn log(mut self, log: Arc<DecisionLog>) -> Self {
        self.core.log = Some(log);
        self
    }

    /// See [`ClientVerifier::issuer_rules`].
    pub fn issuer_rules(mut self, anchor: &Certificate, rules: profile::Profile) -> Self {
        self.core.issuer_rules(anchor, rules);
        self
    }

    pub fn on_decision(mut self, cb: DecisionCallback) -> Self {
        self.core.callback = Some(cb);
        self
    }

    /// Whether and how revocation is checked, and for which certificates. A TLS server staples
    /// a response for its own certificate only (RFC 6066 §8), so `(Require, EndEntityOnly)`
    /// asks every server for a good staple (or a CRL given with [`ServerVerifier::crls`]);
    /// with `WholeChain` the CAs need CRLs too. Off by default, and then a staple is ignored.
    pub fn revocation(mut self, mode: RevocationMode, scope: RevocationScope) -> Self {
        self.core.revocation = mode;
        self.core.revocation_scope = scope;
        self
    }

    /// The decision on a presented chain for `server_name`, without TLS and without recording it.
    pub fn decide(&self, end_entity: &[u8], intermediates: &[&[u8]], server_name: &str) -> Decision {
        self.decide_stapled(end_entity, intermediates, server_name, &[])
    }

    /// [`ServerVerifier::decide`] with the OCSP response the server stapled (empty: none).
    pub fn decide_stapled(
        &self,
        end_entity: &[u8],
        intermediates: &[&[u8]],
        server_name: &str,
        stapled_ocsp: &[u8],
    ) -> Decision {
        let name = pki::hostname::ServerName::parse(server_name).map_err(|_| server_name.to_string());
        self.core.decide(PeerRole::Server, end_entity, intermediates, Some(name), stapled_ocsp)
    }
}

fn reference_name(n: &TlsServerName<'_>) -> Result<pki::hostname::ServerName, String> {
    match n {
        TlsServerName::DnsName(d) => pki::hostname::ServerName::parse(d.as_ref()).map_err(|_| d.as_ref().to_string()),
        TlsServerName::IpAddress(ip) => Ok(pki::hostname::ServerName::Ip(std::net::IpAddr::from(*ip))),
        other => Err(format!("{other:?}")),
    }
}

impl ServerCertVerifier for ServerVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &TlsServerName<'_>,
        ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.core
            .verify(PeerRole::Server, end_entity, intermediates, Some(reference_name(server_name)), ocsp_response)
            .map(|()| ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.core.tls12(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.core.tls13(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.core.algorithms.supported_schemes()
    }
}

/// What a TLS alert a relying party sent means for the client certificate, for reports.
pub fn explain_alert(alert: rustls::AlertDescription) -> &'static str {
    use rustls::AlertDescription as A;
    match alert {
        A::BadCertificate => {
            "the certificate is malformed, has an unhandled critical extension, or names the wrong host"
        }
        A::CertificateExpired => "the certificate (or one in its chain) is expired or not yet valid",
        A::CertificateRevoked => "the certificate (or one in its chain) is revoked",
        A::UnknownCA => "no path to a trust anchor the relying party loads (or revocation status unknown)",
        A::DecryptError => "a signature in the chain or of the handshake does not verify",
        A::UnsupportedCertificate => "the certificate is not valid for this purpose (extended key usage)",
        A::CertificateUnknown => "the certificate breaks the relying party's profile (see its verdict log)",
        A::AccessDenied => "the relying party refused access",
        A::CertificateRequired => "the relying party requires a client certificate",
        A::HandshakeFailure => "no common TLS parameters, or the handshake failed",
        _ => "the relying party aborted the handshake",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::pki_types::PrivateKeyDer;
    use rustls::{ClientConfig, ClientConnection, ServerConfig, ServerConnection};
    use testpki::etsi::CertType as T;
    use testpki::pki::{times, IssuingCa, LeafSpec, StatePki, VALIDATION_TIME};
    use testpki::x509::ext;

    const AT: i64 = VALIDATION_TIME.unix_timestamp();

    fn state(code: &str) -> StatePki {
        let s = testpki::states::all().into_iter().find(|s| s.code == code).unwrap();
        StatePki::build(&s)
    }

    fn ctx(code: &str, anchors_of: &[&str]) -> Arc<TrustContext> {
        let anchors = anchors_of.iter().map(|c| Certificate::from_der(&state(c).root.der).unwrap()).collect();
        Arc::new(TrustContext::new(profile::builtin(code).unwrap(), anchors))
    }

    /// A client credential: chain (leaf, issuing CA) and key.
    struct Cred {
        chain: Vec<CertificateDer<'static>>,
        key: Vec<u8>,
    }

    fn auth(pki: &StatePki, label: &str, edit: &dyn Fn(&mut LeafSpec)) -> (Cred, LeafSpec) {
        let mut spec = LeafSpec::valid(&pki.state, T::Auth, label);
        edit(&mut spec);
        let key = pki.leaf_key(label);
        let leaf = spec.issue(&key, pki.issuing(IssuingCa::Ordinary));
        let chain = vec![CertificateDer::from(leaf.der), CertificateDer::from(pki.ca.der.clone())];
        (Cred { chain, key: key.pkcs8_der() }, spec)
    }

    fn provider() -> Arc<rustls::crypto::CryptoProvider> {
        Arc::new(rustls::crypto::ring::default_provider())
    }

    fn server_config(v: ClientVerifier, server: &StatePki, tls12: bool) -> ServerConfig {
        let (qwac, key) = qwac(server);
        let versions: &[&rustls::SupportedProtocolVersion] =
            if tls12 { &[&rustls::version::TLS12] } else { &[&rustls::version::TLS13] };
        ServerConfig::builder_with_provider(provider())
            .with_protocol_versions(versions)
            .unwrap()
            .with_client_cert_verifier(Arc::new(v))
            .with_single_cert(qwac, PrivateKeyDer::Pkcs8(key.into()))
            .unwrap()
    }

    fn qwac(pki: &StatePki) -> (Vec<CertificateDer<'static>>, Vec<u8>) {
        let spec = LeafSpec::valid(&pki.state, T::Qwac, "qwac");
        let key = pki.leaf_key("qwac");
        let leaf = spec.issue(&key, pki.issuing(IssuingCa::Qualified));
        (vec![CertificateDer::from(leaf.der), CertificateDer::from(pki.qualified_ca.der.clone())], key.pkcs8_der())
    }

    fn client_config(server_verifier: Arc<dyn ServerCertVerifier>, cred: Option<&Cred>) -> ClientConfig {
        let b = ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .unwrap()
            .dangerous()
            .with_custom_certificate_verifier(server_verifier);
        match cred {
            Some(c) => b.with_client_auth_cert(c.chain.clone(), PrivateKeyDer::Pkcs8(c.key.clone().into())).unwrap(),
            None => b.with_no_client_auth(),
        }
    }

    /// Runs a handshake in memory; `Err((side, error))` names the side that failed.
    fn handshake(c: &mut ClientConnection, s: &mut ServerConnection) -> Result<(), (&'static str, rustls::Error)> {
        for _ in 0..32 {
            let mut moved = false;
            while c.wants_write() {
                let mut buf = Vec::new();
                c.write_tls(&mut buf).unwrap();
                s.read_tls(&mut buf.as_slice()).unwrap();
                s.process_new_packets().map_err(|e| ("server", e))?;
                moved = true;
            }
            while s.wants_write() {
                let mut buf = Vec::new();
                s.write_tls(&mut buf).unwrap();
                c.read_tls(&mut buf.as_slice()).unwrap();
                c.process_new_packets().map_err(|e| ("client", e))?;
                moved = true;
            }
            if !moved {
                break;
            }
        }
        assert!(!c.is_handshaking() && !s.is_handshaking(), "handshake stalled");
        Ok(())
    }

    /// The RS relying party's server verifier (its own QWAC, RS anchors).
    fn rs_server_verifier() -> Arc<ServerVerifier> {
        Arc::new(ServerVerifier::new(ctx("rs", &["rs"]), Arc::new(FixedClock::new(AT))))
    }

    fn run(v: ClientVerifier, cred: Option<&Cred>, tls12: bool) -> Result<(), (&'static str, rustls::Error)> {
        let rs = state("rs");
        let sc = Arc::new(server_config(v, &rs, tls12));
        let cc = Arc::new(client_config(rs_server_verifier(), cred));
        let mut s = ServerConnection::new(sc).unwrap();
        let mut c = ClientConnection::new(cc, TlsServerName::try_from("www.rs.testpki.example.com").unwrap()).unwrap();
        handshake(&mut c, &mut s)
    }

    fn verifier(code: &str, anchors: &[&str], at: i64, log: &Arc<DecisionLog>) -> ClientVerifier {
        ClientVerifier::new(ctx(code, anchors), Arc::new(FixedClock::new(at))).log(log.clone())
    }

    fn rejected_with(r: Result<(), (&'static str, rustls::Error)>) -> CertificateError {
        match r {
            Err(("server", rustls::Error::InvalidCertificate(e))) => e,
            other => panic!("expected the server to reject the client certificate, got {other:?}"),
        }
    }

    #[test]
    fn same_state_auth_certificate_is_accepted_over_tls13_and_tls12() {
        let rs = state("rs");
        let (cred, _) = auth(&rs, "auth", &|_| {});
        for tls12 in [false, true] {
            let log = DecisionLog::new(8);
            run(verifier("rs", &["rs"], AT, &log), Some(&cred), tls12).unwrap();
            let d = log.latest().unwrap();
            assert!(d.accepted(), "{:?}", d.verdict);
            assert_eq!(d.cert_type, Some(CertType::Auth));
            assert_eq!(d.chain.len(), 3, "leaf, issuing CA, root");
            assert_eq!(d.to_json()["accepted"], true);
        }
    }

    #[test]
    fn foreign_certificate_without_its_anchor_is_unknown_issuer() {
        let me = state("me");
        let (cred, _) = auth(&me, "auth", &|_| {});
        let log = DecisionLog::new(8);
        let e = rejected_with(run(verifier("rs", &["rs"], AT, &log), Some(&cred), false));
        assert_eq!(e, CertificateError::UnknownIssuer);
        let d = log.latest().unwrap();
        assert!(d.verdict.findings.iter().any(|f| f.id == "rfc5280.path.no-issuer"), "{:?}", d.verdict);
        assert_eq!(rustls::AlertDescription::from(e), rustls::AlertDescription::UnknownCA);
        // Loading ME's root makes the path; the verdict is then the RS profile's on the ME leaf.
        let log2 = DecisionLog::new(8);
        let r = run(verifier("rs", &["rs", "me"], AT, &log2), Some(&cred), false);
        let d2 = log2.latest().unwrap();
        assert!(!d2.verdict.findings.iter().any(|f| f.id == "rfc5280.path.no-issuer"));
        assert_eq!(r.is_ok(), d2.accepted(), "{r:?} {:?}", d2.verdict);
    }

    #[test]
    fn expired_certificate_is_expired() {
        let rs = state("rs");
        let (cred, _) = auth(&rs, "tls-expired", &|s| {
            s.not_before = times::EXPIRED_FROM;
            s.not_after = times::EXPIRED_TO;
        });
        let log = DecisionLog::new(8);
        let e = rejected_with(run(verifier("rs", &["rs"], AT, &log), Some(&cred), false));
        assert_eq!(e, CertificateError::Expired);
        // The same valid certificate is expired once the clock passes its notAfter.
        let (valid, _) = auth(&rs, "auth", &|_| {});
        let later = times::LEAF_TO.unix_timestamp() + 1;
        let e = rejected_with(run(verifier("rs", &["rs"], later, &log), Some(&valid), true));
        assert_eq!(e, CertificateError::Expired);
    }

    #[test]
    fn revoked_certificate_is_revoked_with_the_crl() {
        let rs = state("rs");
        let (cred, spec) = auth(&rs, "leaf-revoked-ordinary-ca", &|_| {});
        let crl = StatePki::crl(
            &rs.ca,
            12,
            times::CRL_THIS,
            times::CRL_NEXT,
            vec![testpki::pki::revoked(&spec.serial, times::REVOKED_AT)],
        )
        .issue(&rs.ca.key);
        let crl = Crl::from_der(&crl).unwrap();
        let log = DecisionLog::new(8);
        let v = verifier("rs", &["rs"], AT, &log).crls(vec![crl.clone()], RevocationMode::Prefer);
        assert_eq!(rejected_with(run(v, Some(&cred), false)), CertificateError::Revoked);
        // Without revocation checking the same certificate passes: the CRL is what rejects it.
        let v = verifier("rs", &["rs"], AT, &log);
        run(v, Some(&cred), false).unwrap();
    }

    #[test]
    fn wrong_extended_key_usage_is_invalid_purpose() {
        let rs = state("rs");
        let (cred, _) = auth(&rs, "tls-server-eku", &|s| s.ext_key_usage = vec![ext::KP_SERVER_AUTH]);
        let log = DecisionLog::new(8);
        let e =
            rejected_with(run(verifier("rs", &["rs"], AT, &log).leaf_check(LeafCheck::PathOnly), Some(&cred), false));
        assert_eq!(e, CertificateError::InvalidPurpose);
        assert!(log.latest().unwrap().verdict.findings.iter().any(|f| f.id == "rfc5280.ext-key-usage.purpose-missing"));
    }

    #[test]
    fn profile_lint_failure_is_other_with_the_verdict() {
        // The authentication certificate linted as a qualified e-signature certificate fails the
        // profile (no QcStatements, wrong policy) though its path is valid.
        let rs = state("rs");
        let (cred, _) = auth(&rs, "auth", &|_| {});
        let log = DecisionLog::new(8);
        let v = verifier("rs", &["rs"], AT, &log).leaf_check(LeafCheck::AsType(CertType::QualifiedEsig));
        match rejected_with(run(v, Some(&cred), false)) {
            CertificateError::Other(o) => assert!(o.to_string().contains("rejected under profile rs"), "{o}"),
            e => panic!("expected Other, got {e:?}"),
        }
        let d = log.latest().unwrap();
        assert_eq!(d.verdict.sub_indication, Some(SubIndication::ChainConstraintsFailure));
        assert!(d.tls_error.is_some());
        // The same chain with the path-only check passes.
        run(verifier("rs", &["rs"], AT, &log).leaf_check(LeafCheck::PathOnly), Some(&cred), false).unwrap();
    }

    #[test]
    fn claimed_type_lints_the_type_the_leaf_claims() {
        let rs = state("rs");
        let log = DecisionLog::new(8);
        // An authentication certificate claims no type (NCP only): linting "as claimed" fails.
        let (cred, _) = auth(&rs, "auth", &|_| {});
        let v = verifier("rs", &["rs"], AT, &log).leaf_check(LeafCheck::ClaimedType);
        assert!(matches!(rejected_with(run(v, Some(&cred), false)), CertificateError::Other(_)));
        assert!(log.latest().unwrap().verdict.findings.iter().any(|f| f.id == "lint.type.undetermined"));
    }

    #[test]
    fn issuer_rules_apply_to_chains_ending_at_their_anchor() {
        // Serbia loading Montenegro's root: the ME authentication certificate builds a path, but
        // the RS profile's identifier rules reject a Montenegrin identifier...
        let me = state("me");
        let (cred, _) = auth(&me, "auth", &|_| {});
        let log = DecisionLog::new(8);
        let v = verifier("rs", &["rs", "me"], AT, &log);
        let d = v.decide(cred.chain[0].as_ref(), &[cred.chain[1].as_ref()]);
        assert!(!d.accepted());
        assert_eq!(d.rules.as_deref(), Some("rs"));
        assert!(d.verdict.findings.iter().any(|f| f.id == "profile.identifier.country-mismatch"), "{:?}", d.verdict);
        // ...while linted under Montenegro's own rules (the issuer's legislation) it passes.
        let me_root = Certificate::from_der(&me.root.der).unwrap();
        let v = v.issuer_rules(&me_root, profile::builtin("me").unwrap());
        let d = v.decide(cred.chain[0].as_ref(), &[cred.chain[1].as_ref()]);
        assert!(d.accepted(), "{:?}", d.verdict);
        assert_eq!(d.rules.as_deref(), Some("me"));
        run(v.clone(), Some(&cred), false).unwrap();
        // Serbia's own citizens still get the RS rules.
        let (own, _) = auth(&state("rs"), "auth", &|_| {});
        assert_eq!(v.decide(own.chain[0].as_ref(), &[own.chain[1].as_ref()]).rules.as_deref(), Some("rs"));
    }

    #[test]
    fn missing_client_certificate_is_refused() {
        let log = DecisionLog::new(8);
        let r = run(verifier("rs", &["rs"], AT, &log), None, false);
        assert!(matches!(r, Err(("server", rustls::Error::NoCertificatesPresented))), "{r:?}");
        assert!(log.is_empty(), "the verifier was never asked");
    }

    #[test]
    fn callback_sees_each_decision() {
        let rs = state("rs");
        let (cred, _) = auth(&rs, "auth", &|_| {});
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s2 = seen.clone();
        let v = ClientVerifier::new(ctx("rs", &["rs"]), Arc::new(FixedClock::new(AT)))
            .on_decision(Arc::new(move |d: &Decision| s2.lock().unwrap().push(d.accepted())));
        run(v, Some(&cred), false).unwrap();
        assert_eq!(*seen.lock().unwrap(), vec![true]);
    }

    #[test]
    fn peer_certificate_count_is_limited() {
        let rs = state("rs");
        let (cred, _) = auth(&rs, "auth", &|_| {});
        let v = ClientVerifier::new(ctx("rs", &["rs"]), Arc::new(FixedClock::new(AT)));
        let ca = rs.ca.der.clone();
        let at_limit: Vec<&[u8]> = vec![ca.as_slice(); MAX_PEER_CERTIFICATES - 1];
        assert!(v.decide(cred.chain[0].as_ref(), &at_limit).accepted());
        let over: Vec<&[u8]> = vec![ca.as_slice(); MAX_PEER_CERTIFICATES];
        let d = v.decide(cred.chain[0].as_ref(), &over);
        assert!(!d.accepted());
        assert_eq!(d.verdict.findings[0].id, findings::TOO_MANY_CERTIFICATES.id);
    }

    #[test]
    fn malformed_leaf_is_bad_encoding() {
        let v = ClientVerifier::new(ctx("rs", &["rs"]), Arc::new(FixedClock::new(AT)));
        let d = v.decide(&[0x30, 0x03, 0x02, 0x01, 0x01], &[]);
        assert_eq!(d.verdict.sub_indication, Some(SubIndication::FormatFailure));
        assert_eq!(certificate_error(&d.verdict, "rs"), CertificateError::BadEncoding);
    }

    #[test]
    fn root_hints_are_the_anchor_subjects_within_the_byte_limit() {
        let c = ctx("rs", &["rs", "me", "mk"]);
        let v = ClientVerifier::new(c.clone(), Arc::new(SystemClock));
        assert_eq!(v.root_hint_subjects().len(), 3);
        assert_eq!(v.root_hint_subjects()[0].as_ref(), state("rs").root.template.subject.to_der().as_slice());
        let one = v.root_hint_subjects()[0].as_ref().len() + 2;
        assert_eq!(root_hints_within(&c, one * 2).len(), 2, "the third subject does not fit");
        assert_eq!(root_hints_within(&c, one - 1).len(), 0);
    }

    #[test]
    fn server_verifier_checks_name_purpose_and_qwac_type() {
        let rs = state("rs");
        let (chain, _) = qwac(&rs);
        let sv = ServerVerifier::new(ctx("rs", &["rs"]), Arc::new(FixedClock::new(AT)));
        let inter = [chain[1].as_ref()];
        let ok = sv.decide(chain[0].as_ref(), &inter, "www.rs.testpki.example.com");
        assert!(ok.accepted(), "{:?}", ok.verdict);
        let wrong = sv.decide(chain[0].as_ref(), &inter, "www.me.testpki.example.com");
        assert_eq!(certificate_error(&wrong.verdict, "rs"), CertificateError::NotValidForName);
        let q = sv.clone().leaf_check(LeafCheck::AsType(CertType::Qwac));
        assert!(q.decide(chain[0].as_ref(), &inter, "www.rs.testpki.example.com").accepted());
        // A client authentication certificate is not a server certificate.
        let (cred, _) = auth(&rs, "auth", &|_| {});
        let d = sv.decide(cred.chain[0].as_ref(), &[cred.chain[1].as_ref()], "www.rs.testpki.example.com");
        assert!(!d.accepted());
        // Over TLS: a client that pins the RS anchors but expects another host refuses the server.
        let log = DecisionLog::new(4);
        let sc = Arc::new(server_config(verifier("rs", &["rs"], AT, &log), &rs, false));
        let cc = Arc::new(client_config(Arc::new(sv.log(log.clone())), Some(&cred)));
        let mut s = ServerConnection::new(sc).unwrap();
        let mut c = ClientConnection::new(cc, TlsServerName::try_from("other.example.com").unwrap()).unwrap();
        let r = handshake(&mut c, &mut s);
        assert!(
            matches!(r, Err(("client", rustls::Error::InvalidCertificate(CertificateError::NotValidForName)))),
            "{r:?}"
        );
        assert_eq!(log.latest().unwrap().role, PeerRole::Server);
    }

    /// The RS QWAC as issued (for OCSP responses about it) and its key.
    fn qwac_issued(pki: &StatePki) -> (testpki::pki::Issued, Vec<u8>) {
        let spec = LeafSpec::valid(&pki.state, T::Qwac, "qwac");
        let key = pki.leaf_key("qwac");
        (spec.issue(&key, pki.issuing(IssuingCa::Qualified)), key.pkcs8_der())
    }

    #[test]
    fn stapled_ocsp_response_is_revocation_evidence() {
        use testpki::ocsp_server::{OcspResponder, Status};
        let rs = state("rs");
        let (leaf, key) = qwac_issued(&rs);
        let chain = vec![CertificateDer::from(leaf.der.clone()), CertificateDer::from(rs.qualified_ca.der.clone())];
        let host = "www.rs.testpki.example.com";
        let inter = [chain[1].as_ref()];
        let good = OcspResponder::new(&rs.qualified_ca, VALIDATION_TIME).staple(&leaf);
        let mut revoked_responder = OcspResponder::new(&rs.qualified_ca, VALIDATION_TIME);
        revoked_responder
            .set_status(&leaf, Status::Revoked { at: VALIDATION_TIME - time::Duration::days(1), reason: None });
        let revoked = revoked_responder.staple(&leaf);

        let sv = ServerVerifier::new(ctx("rs", &["rs"]), Arc::new(FixedClock::new(AT)));
        // Revocation off (the default): a staple changes nothing, not even a revoked one.
        assert!(sv.decide_stapled(chain[0].as_ref(), &inter, host, &revoked).accepted());
        let required = sv.clone().revocation(RevocationMode::Require, RevocationScope::EndEntityOnly);
        // The whole chain: the staple covers the server certificate, not its CA.
        let whole = sv.clone().revocation(RevocationMode::Require, RevocationScope::WholeChain);
        let d = whole.decide_stapled(chain[0].as_ref(), &inter, host, &good);
        assert_eq!(certificate_error(&d.verdict, "rs"), CertificateError::UnknownRevocationStatus, "{:?}", d.verdict);
        // Required: no staple and no CRL is unknown status; a good staple passes; a revoked
        // staple is a revocation.
        let none = required.decide(chain[0].as_ref(), &inter, host);
        assert_eq!(certificate_error(&none.verdict, "rs"), CertificateError::UnknownRevocationStatus);
        let ok = required.decide_stapled(chain[0].as_ref(), &inter, host, &good);
        assert!(ok.accepted(), "{:?}", ok.verdict);
        let bad = required.decide_stapled(chain[0].as_ref(), &inter, host, &revoked);
        assert_eq!(certificate_error(&bad.verdict, "rs"), CertificateError::Revoked, "{:?}", bad.verdict);
        // A staple about another certificate is no evidence for this one.
        let other =
            LeafSpec::valid(&rs.state, T::Auth, "auth").issue(&rs.leaf_key("auth"), rs.issuing(IssuingCa::Ordinary));
        let foreign = OcspResponder::new(&rs.ca, VALIDATION_TIME).staple(&other);
        let d = required.decide_stapled(chain[0].as_ref(), &inter, host, &foreign);
        assert_eq!(certificate_error(&d.verdict, "rs"), CertificateError::UnknownRevocationStatus, "{:?}", d.verdict);

        // Over TLS: rustls hands the stapled response to the verifier.
        for (staple, accepted) in [(good, true), (revoked, false)] {
            let log = DecisionLog::new(4);
            let server = ServerConfig::builder_with_provider(provider())
                .with_protocol_versions(&[&rustls::version::TLS13])
                .unwrap()
                .with_no_client_auth()
                .with_single_cert_with_ocsp(chain.clone(), PrivateKeyDer::Pkcs8(key.clone().into()), staple)
                .unwrap();
            let cc = Arc::new(client_config(Arc::new(required.clone().log(log.clone())), None));
            let mut s = ServerConnection::new(Arc::new(server)).unwrap();
            let mut c = ClientConnection::new(cc, TlsServerName::try_from(host).unwrap()).unwrap();
            let r = handshake(&mut c, &mut s);
            if accepted {
                assert!(r.is_ok(), "{r:?}");
            } else {
                assert!(
                    matches!(r, Err(("client", rustls::Error::InvalidCertificate(CertificateError::Revoked)))),
                    "{r:?}"
                );
            }
            assert_eq!(log.latest().unwrap().accepted(), accepted);
        }
    }

    #[test]
    fn decision_log_is_bounded() {
        let v = ClientVerifier::new(ctx("rs", &["rs"]), Arc::new(FixedClock::new(AT)));
        let log = DecisionLog::new(2);
        for _ in 0..5 {
            log.push(v.decide(&[0x30, 0x00], &[]));
        }
        assert_eq!(log.len(), 2);
        assert_eq!(log.drain().len(), 2);
        assert!(log.is_empty());
    }

    #[test]
    fn every_alert_has_an_explanation() {
        for e in [
            CertificateError::BadEncoding,
            CertificateError::Expired,
            CertificateError::Revoked,
            CertificateError::UnknownIssuer,
            CertificateError::BadSignature,
            CertificateError::InvalidPurpose,
            CertificateError::NotValidForName,
            CertificateError::UnknownRevocationStatus,
        ] {
            let a = rustls::AlertDescription::from(e);
            assert_ne!(explain_alert(a), explain_alert(rustls::AlertDescription::Unknown(255)), "{a:?}");
        }
    }
}
