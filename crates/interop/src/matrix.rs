//! The issuer x relying-state matrix: per date T, issuer state A, relying state B and credential
//! kind K, the legal verdict (agreements), the technical verdict (B's validator on A's samples),
//! the cell class and the identifier mapping.

use crate::agreement::{Effect, Loa, Status};
use crate::data::{Credential, Level, Sample, StateData, Universe};
use crate::findings as F;
use crate::Kind;
use eidtrust::context::apply_profile;
use eidtrust::pki::{Certificate, Store, Validator};
use eidtrust::profile::schema::{Status as FactStatus, TrustSourceKind};
use eidtrust::profile::Profile;
use eidtrust::token::policy::TokenPolicy;
use eidtrust::token::x5c::PkiChainValidator;
use eidtrust::token::{KeySet, VerifyContext};
use eidtrust::TrustContext;
use rayon::prelude::*;
use report::Finding;
use serde::Serialize;

/// The class of a cell: the legal verdict against the technical one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Recognised by law and accepted by the relying state's validator.
    RecognisedAccepted,
    /// Recognised by law but rejected (wholly or partly) by the validator: an interop gap.
    Gap,
    /// Accepted (wholly or partly) without any instrument in force: a trust leak.
    Leak,
    /// Neither recognised nor accepted.
    Neither,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::RecognisedAccepted => "recognised-accepted",
            Class::Gap => "gap",
            Class::Leak => "leak",
            Class::Neither => "neither",
        }
    }
    /// A short label for tables.
    pub fn label(self) -> &'static str {
        match self {
            Class::RecognisedAccepted => "OK",
            Class::Gap => "GAP",
            Class::Leak => "LEAK",
            Class::Neither => "-",
        }
    }
}

/// The instrument a recognition rests on.
#[derive(Debug, Clone, Serialize)]
pub struct Basis {
    /// Instrument id, or `national-law` when A == B.
    pub instrument: String,
    pub title: String,
    pub citation: String,
    pub status: String,
    pub since: String,
    pub loa: Option<Loa>,
    pub note: String,
}

/// An instrument that covers the cell but does not (or does) make it recognised, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Considered {
    pub instrument: String,
    pub title: String,
    pub citation: String,
    pub status: Status,
    pub effect: Effect,
    pub since: String,
    pub counted: bool,
    pub why: String,
}

/// The legal verdict of a cell.
#[derive(Debug, Clone, Serialize)]
pub struct Legal {
    pub recognised: bool,
    pub basis: Option<Basis>,
    pub considered: Vec<Considered>,
}

/// The technical verdict over the issuer's samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TechVerdict {
    Accepted,
    PartiallyAccepted,
    Rejected,
}

/// One sample's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct SampleResult {
    pub id: String,
    pub file: String,
    pub expected: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub defect: Option<String>,
    pub accepted: bool,
    /// ETSI EN 319 102-1 indication and sub-indication.
    pub verdict: String,
    /// Why a sample was rejected, for people.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The failure finding ids of the validator.
    pub finding_ids: Vec<String>,
}

/// The technical verdict of a cell.
#[derive(Debug, Clone, Serialize)]
pub struct Technical {
    pub verdict: TechVerdict,
    pub valid_samples: usize,
    pub valid_accepted: usize,
    pub invalid_samples: usize,
    pub invalid_accepted: usize,
    /// The trust sources of B that cover A's CAs (empty: none).
    pub trust_sources: Vec<String>,
    /// Distinct reasons for rejected valid samples.
    pub reasons: Vec<String>,
    pub samples: Vec<SampleResult>,
}

/// A's identifier in its eIDAS form and B's rule for it.
#[derive(Debug, Clone, Serialize)]
pub struct IdentifierMapping {
    pub issued: String,
    /// eIDAS PersonIdentifier / LegalPersonIdentifier form `XX/YY/id`.
    pub eidas: String,
    pub relying_rule: String,
}

/// One cell of the matrix.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    /// `A->B/kind`, e.g. `mk->rs/qualified-esig`.
    pub id: String,
    pub issuer: String,
    pub relying: String,
    pub kind: Kind,
    pub class: Class,
    pub legal: Legal,
    pub technical: Technical,
    pub identifier: Option<IdentifierMapping>,
    pub findings: Vec<Finding>,
}

/// Cell counts per class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub recognised_accepted: usize,
    pub gaps: usize,
    pub leaks: usize,
    pub neither: usize,
    /// Cells where a deliberately invalid sample was accepted.
    pub invalid_accepted: usize,
}

/// A matrix run.
#[derive(Debug, Clone, Serialize)]
pub struct Matrix {
    /// RFC 3339 date of the run.
    pub at: String,
    pub at_unix: i64,
    pub origin: String,
    pub issuers: Vec<String>,
    pub relying: Vec<String>,
    pub kinds: Vec<Kind>,
    pub summary: Summary,
    pub cells: Vec<Cell>,
}

impl Matrix {
    pub fn cell(&self, issuer: &str, relying: &str, kind: Kind) -> Option<&Cell> {
        self.cells.iter().find(|c| c.issuer == issuer && c.relying == relying && c.kind == kind)
    }
}

/// A foreign (or own) CA a relying state loads.
#[derive(Debug, Clone)]
struct Loaded {
    issuer: usize,
    level: Level,
    what: String,
    confirmed: bool,
}

/// A relying state's configuration, built once per run.
pub struct Relying {
    idx: usize,
    ctx: TrustContext,
    tokens: PkiChainValidator,
    token_policy: TokenPolicy,
    loaded: Vec<Loaded>,
}

/// An anchor a relying state loads (see [`Relying::anchors`]).
#[derive(Debug, Clone)]
pub struct RelyingAnchor {
    pub cert: Certificate,
    /// Why it is loaded: the trust source, for people.
    pub source: String,
    /// The state whose credentials chain to it (the relying state itself for its own anchors).
    pub issuer: String,
    /// Whether the trust source is a confirmed fact.
    pub confirmed: bool,
}

pub use eidtrust::context::jws_algs;

fn upper(id: &str) -> String {
    id.to_ascii_uppercase()
}

impl Relying {
    /// B's trust configuration: its own synthetic PKI (stand-in for its national trusted list
    /// and eID roots), plus the foreign sources its profile lists: `lotl` loads every other EU
    /// member's qualified CA (what a trusted list lists), `foreign-synthetic-anchors` another
    /// state's root.
    pub fn build(u: &Universe, idx: usize) -> Option<Relying> {
        let b = u.states.get(idx)?;
        let mut loaded = vec![Loaded {
            issuer: idx,
            level: Level::Root,
            what: format!("its own anchors ({})", upper(b.id)),
            confirmed: true,
        }];
        for t in &b.profile.trust_sources {
            let confirmed = t.status == FactStatus::Confirmed;
            match t.kind {
                TrustSourceKind::Lotl => {
                    for (i, s) in u.states.iter().enumerate() {
                        if s.eu_member() && i != idx {
                            loaded.push(Loaded {
                                issuer: i,
                                level: Level::QualifiedCa,
                                what: format!("TL-{} through the EU LOTL", upper(s.id)),
                                confirmed,
                            });
                        }
                    }
                }
                TrustSourceKind::ForeignSyntheticAnchors => {
                    let state = t.location.trim_start_matches("test-vectors/").trim_end_matches('/');
                    if let Some(i) = u.index(state) {
                        if i != idx {
                            loaded.push(Loaded {
                                issuer: i,
                                level: Level::Root,
                                what: format!("{}'s anchors (foreign-synthetic-anchors)", upper(state)),
                                confirmed,
                            });
                        }
                    }
                }
                TrustSourceKind::SyntheticAnchors | TrustSourceKind::NationalAnchor | TrustSourceKind::TrustedList => {}
            }
        }
        // Keep the widest level per issuer.
        let mut dedup: Vec<Loaded> = Vec::new();
        for l in loaded {
            match dedup.iter_mut().find(|d| d.issuer == l.issuer) {
                Some(d) if d.level == Level::QualifiedCa && l.level == Level::Root => *d = l,
                Some(_) => {}
                None => dedup.push(l),
            }
        }
        let anchors: Vec<Certificate> = dedup
            .iter()
            .filter_map(|l| {
                let s = u.states.get(l.issuer)?;
                Some(match l.level {
                    Level::Root => s.root.clone(),
                    Level::QualifiedCa => s.qualified_ca.clone(),
                })
            })
            .collect();
        let tokens = PkiChainValidator::from_validator(Validator::new(Store::new(anchors.clone())));
        let token_policy = TokenPolicy { allowed_algs: jws_algs(&b.profile), ..TokenPolicy::default() };
        Some(Relying { idx, ctx: TrustContext::new(b.profile.clone(), anchors), tokens, token_policy, loaded: dedup })
    }

    /// The relying state's trust context (its profile and the anchors it loads).
    pub fn trust_context(&self) -> &TrustContext {
        &self.ctx
    }

    /// The anchors this relying state loads, each with its trust source and the state whose
    /// credentials chain to it: what a live relying party (`interop serve-rp`) configures too.
    pub fn anchors(&self, u: &Universe) -> Vec<RelyingAnchor> {
        self.loaded
            .iter()
            .filter_map(|l| {
                let s = u.states.get(l.issuer)?;
                let cert = match l.level {
                    Level::Root => s.root.clone(),
                    Level::QualifiedCa => s.qualified_ca.clone(),
                };
                Some(RelyingAnchor { cert, source: l.what.clone(), issuer: s.id.to_string(), confirmed: l.confirmed })
            })
            .collect()
    }

    fn covering(&self, issuer: usize, kind: Kind) -> Option<&Loaded> {
        self.loaded.iter().find(|l| l.issuer == issuer && (l.level == Level::Root || kind.from_qualified_ca()))
    }
}

fn verdict_text(v: &report::Verdict) -> String {
    match v.sub_indication {
        Some(s) => format!("{}/{}", v.indication.as_str(), s.as_str()),
        None => v.indication.as_str().to_string(),
    }
}

fn failure_ids(findings: &[Finding]) -> Vec<String> {
    let mut ids: Vec<String> = findings.iter().filter(|f| f.severity.is_failure()).map(|f| f.id.to_string()).collect();
    ids.sort();
    ids.dedup();
    ids
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Why {
    Source,
    Profile,
    Path,
    Token,
}

/// The legal verdict of (A, B, K) at `at`.
pub fn legal(u: &Universe, a: &StateData, b: &StateData, kind: Kind, at: i64, findings: &mut Vec<Finding>) -> Legal {
    if a.id == b.id {
        let lb = b.profile.legal_basis.first();
        let basis = Basis {
            instrument: "national-law".into(),
            title: lb.map(|l| l.title.clone()).unwrap_or_default(),
            citation: lb.map(|l| l.citation.clone()).unwrap_or_default(),
            status: "in force".into(),
            since: "not recorded".into(),
            loa: None,
            note: format!("within {} recognition is by its own law (profile legal_basis)", upper(b.id)),
        };
        findings.push(Finding::from_def(
            &F::LEGAL_DOMESTIC,
            format!("{} credentials in {}: recognised by national law ({})", upper(a.id), upper(b.id), basis.citation),
        ));
        return Legal { recognised: true, basis: Some(basis), considered: Vec::new() };
    }
    let mut considered = Vec::new();
    let mut best: Option<(Basis, bool)> = None;
    for i in &u.instruments {
        for r in i.recognition.iter().filter(|r| r.covers(a.id, b.id, kind)) {
            let status = r.status_in(i);
            let mut c = Considered {
                instrument: i.id.clone(),
                title: i.title.clone(),
                citation: i.citation.clone(),
                status,
                effect: r.effect,
                since: r.since.to_string(),
                counted: false,
                why: String::new(),
            };
            match r.effect {
                Effect::None => {
                    c.why = format!(
                        "{} records no recognition in this direction: {}",
                        i.id,
                        nonempty(&r.note, &i.legal_effect)
                    );
                    findings.push(Finding::from_def(&F::LEGAL_EXPLICIT_NONE, c.why.clone()));
                }
                Effect::IdentifierLinking => {
                    c.why = format!(
                        "{} ({}) links identifiers only; it recognises neither credentials nor levels of assurance",
                        i.id,
                        status.as_str()
                    );
                    findings.push(Finding::from_def(&F::LEGAL_IDENTIFIER_LINKING, c.why.clone()));
                }
                Effect::Recognition if status != Status::InForce => {
                    c.why = format!("{} is {}: shown, never counted as recognition", i.id, status.as_str());
                    findings.push(Finding::from_def(&F::LEGAL_NOT_IN_FORCE, c.why.clone()));
                }
                Effect::Recognition => {
                    let ended = r.until.and_then(|u| u.first_instant()).is_some_and(|t1| at >= t1);
                    match r.since.certain_from() {
                        Some(t0) if at < t0 => {
                            let maybe = r.since.first_instant().is_some_and(|f| at >= f);
                            c.why = if maybe {
                                format!(
                                    "{} applies from a date in {} that is not recorded exactly: not counted before {}",
                                    i.id,
                                    r.since,
                                    crate::rfc3339(t0)
                                )
                            } else {
                                format!("{} applies only from {}", i.id, r.since)
                            };
                            findings.push(Finding::from_def(&F::LEGAL_NOT_YET, c.why.clone()));
                        }
                        _ if ended => {
                            c.why = format!(
                                "{} stopped applying on {}",
                                i.id,
                                r.until.map(|u| u.to_string()).unwrap_or_default()
                            );
                            findings.push(Finding::from_def(&F::LEGAL_ENDED, c.why.clone()));
                        }
                        t0 => {
                            c.counted = true;
                            let dated = t0.is_some();
                            c.why = format!("{} is in force and applies at this date", i.id);
                            let basis = Basis {
                                instrument: i.id.clone(),
                                title: i.title.clone(),
                                citation: i.citation.clone(),
                                status: status.as_str().into(),
                                since: r.since.to_string(),
                                loa: r.loa,
                                note: nonempty(&r.note, &i.legal_effect).to_string(),
                            };
                            let better = match &best {
                                None => true,
                                Some((_, best_dated)) => dated && !best_dated,
                            };
                            if better {
                                best = Some((basis, dated));
                            }
                        }
                    }
                }
            }
            considered.push(c);
        }
    }
    match best {
        Some((basis, dated)) => {
            let loa = basis.loa.map(|l| format!(", LoA {l:?} or higher").to_lowercase()).unwrap_or_default();
            findings.push(Finding::from_def(
                &F::LEGAL_RECOGNISED,
                format!(
                    "{} recognises {}'s {} by {} ({}), since {}{loa}",
                    upper(b.id),
                    upper(a.id),
                    kind.title(),
                    basis.instrument,
                    basis.citation,
                    basis.since
                ),
            ));
            if !dated {
                findings.push(Finding::from_def(
                    &F::LEGAL_DATE_NOT_RECORDED,
                    format!(
                        "{}: the date from which it applies is not recorded; the verdict assumes it applies at this date",
                        basis.instrument
                    ),
                ));
            }
            Legal { recognised: true, basis: Some(basis), considered }
        }
        None => {
            findings.push(Finding::from_def(
                &F::LEGAL_NOT_RECOGNISED,
                format!(
                    "no instrument in force makes {}'s {} recognised in {} at this date",
                    upper(a.id),
                    kind.title(),
                    upper(b.id)
                ),
            ));
            Legal { recognised: false, basis: None, considered }
        }
    }
}

fn nonempty<'a>(a: &'a str, b: &'a str) -> &'a str {
    if a.is_empty() {
        b
    } else {
        a
    }
}

/// The identifier value after the EN 319 412-1 semantics prefix (`PNORS-123` -> `123`).
fn identifier_value(s: &str) -> &str {
    match s.split_once('-') {
        Some((prefix, v)) if prefix.len() == 5 && prefix.bytes().all(|b| b.is_ascii_uppercase()) => v,
        _ => s,
    }
}

fn identifier(
    u: &Universe,
    a: &StateData,
    b: &StateData,
    kind: Kind,
    findings: &mut Vec<Finding>,
) -> Option<IdentifierMapping> {
    let issued = a.samples.iter().find(|s| s.kind == kind && s.expected_valid)?.identifier.clone();
    let eidas = format!("{}/{}/{}", a.country(), b.country(), identifier_value(&issued));
    let countries: Vec<&str> = b.profile.identifiers.countries.iter().map(|c| c.0.as_str()).collect();
    let mut rule = if a.id == b.id {
        "domestic identifier, checked by the state's own identifier rules".to_string()
    } else if countries.is_empty() || countries.contains(&a.country()) {
        format!("{}'s profile accepts identifiers of {} as issued", upper(b.id), a.country())
    } else {
        let msg = format!(
            "{}'s profile takes identifiers of {} only: {}'s identifier is kept in its eIDAS form {eidas}; no mapping to a {} identifier is recorded",
            upper(b.id),
            countries.join("/"),
            upper(a.id),
            upper(b.id)
        );
        findings.push(Finding::from_def(&F::IDENT_FOREIGN, msg.clone()));
        msg
    };
    if a.id != b.id {
        for i in &u.instruments {
            for r in
                i.recognition.iter().filter(|r| r.effect == Effect::IdentifierLinking && r.covers(a.id, b.id, kind))
            {
                rule.push_str(&format!(
                    "; {} ({}) provides identifier linking between {} and {}{}",
                    i.id,
                    r.status_in(i).as_str(),
                    upper(a.id),
                    upper(b.id),
                    if r.status_in(i) == Status::InForce { "" } else { ", not in force as recorded" }
                ));
            }
        }
        findings.push(Finding::from_def(&F::IDENT_MAPPED, format!("{issued} -> {eidas}")));
    }
    Some(IdentifierMapping { issued, eidas, relying_rule: rule })
}

/// The rules a relying state applies to a foreign certificate: the ETSI EN 319 412 rules as they
/// apply under the issuer's legislation (the issuer profile's country, EU membership, identifier
/// formats and national type rules: a foreign certificate is not expected to carry the relying
/// state's identifiers or QcCClegislation) with the relying state's algorithm rules (ETSI TS 119
/// 312 as the relying state applies it).
pub fn foreign_view(issuer: &Profile, relying: &Profile) -> Profile {
    let mut v = issuer.clone();
    v.algorithms = relying.algorithms.clone();
    v
}

/// One cell. `r` must be the [`Relying`] of `b`.
pub fn cell(u: &Universe, r: &Relying, a_idx: usize, kind: Kind, at: i64) -> Option<Cell> {
    let a = u.states.get(a_idx)?;
    let b = u.states.get(r.idx)?;
    let mut findings = Vec::new();
    let legal = legal(u, a, b, kind, at, &mut findings);
    // B's validator on a foreign credential: B's anchors and algorithm rules; the ETSI EN 319 412
    // rules as they apply under the issuer's legislation (A's identifier formats, QcCClegislation,
    // national type rules). Within a state it is exactly B's TrustContext.
    let view = if a.id == b.id { b.profile.clone() } else { foreign_view(&a.profile, &b.profile) };
    let covering = r.loaded.iter().filter(|l| l.issuer == a_idx).collect::<Vec<_>>();
    let mut samples = Vec::new();
    let mut reasons: Vec<(Why, String)> = Vec::new();
    for s in a.samples.iter().filter(|s| s.kind == kind) {
        let (res, why) = evaluate(r, a_idx, a, b, &view, s, at);
        if let Some(w) = why {
            if !reasons.contains(&w) {
                reasons.push(w);
            }
        }
        samples.push(res);
    }
    let valid: Vec<&SampleResult> = samples.iter().filter(|s| s.expected == "valid").collect();
    let invalid: Vec<&SampleResult> = samples.iter().filter(|s| s.expected == "invalid").collect();
    let valid_accepted = valid.iter().filter(|s| s.accepted).count();
    let invalid_accepted = invalid.iter().filter(|s| s.accepted).count();
    let verdict = if valid_accepted == 0 {
        TechVerdict::Rejected
    } else if valid_accepted == valid.len() {
        TechVerdict::Accepted
    } else {
        TechVerdict::PartiallyAccepted
    };
    let class = match (legal.recognised, verdict) {
        (true, TechVerdict::Accepted) => Class::RecognisedAccepted,
        (true, _) => Class::Gap,
        (false, TechVerdict::Rejected) => Class::Neither,
        (false, _) => Class::Leak,
    };
    let who = format!("{}'s {} in {}", upper(a.id), kind.title(), upper(b.id));
    match verdict {
        TechVerdict::Accepted => findings.push(Finding::from_def(
            &F::TECH_ACCEPTED,
            format!("{}'s validator accepts all {} valid samples of {who}", upper(b.id), valid.len()),
        )),
        TechVerdict::PartiallyAccepted => findings.push(Finding::from_def(
            &F::TECH_PARTIAL,
            format!("{}'s validator accepts {valid_accepted} of {} valid samples ({who})", upper(b.id), valid.len()),
        )),
        TechVerdict::Rejected => {}
    }
    if class == Class::Gap {
        for (w, msg) in &reasons {
            let def = match w {
                Why::Source => &F::GAP_SOURCE,
                Why::Profile => &F::GAP_PROFILE,
                Why::Path => &F::GAP_PATH,
                Why::Token => &F::GAP_TOKEN,
            };
            findings.push(Finding::from_def(def, format!("{who}: {msg}")));
        }
    }
    if class == Class::Leak {
        findings.push(Finding::from_def(
            &F::LEAK,
            format!(
                "{}'s validator accepts {valid_accepted} valid sample(s) of {who} although no instrument in force recognises them",
                upper(b.id)
            ),
        ));
    }
    if invalid_accepted > 0 {
        let ids: Vec<&str> = invalid.iter().filter(|s| s.accepted).map(|s| s.id.as_str()).collect();
        findings.push(Finding::from_def(
            &F::TECH_INVALID_ACCEPTED,
            format!("{}'s validator accepts deliberately invalid samples: {}", upper(b.id), ids.join(", ")),
        ));
    }
    if valid_accepted > 0 {
        for l in covering.iter().filter(|l| !l.confirmed) {
            findings.push(Finding::from_def(
                &F::TECH_SOURCE_UNCONFIRMED,
                format!("{who}: acceptance relies on {}, whose loading by {} is not confirmed", l.what, upper(b.id)),
            ));
        }
    }
    // What B's own (domestic) profile would say, on the first valid certificate sample.
    if a.id != b.id {
        if let (Some(ct), Some(s)) = (kind.cert_type(), a.samples.iter().find(|s| s.kind == kind && s.expected_valid)) {
            if let Credential::Cert { leaf, .. } = &s.credential {
                let lint = eidtrust::profile::lint_certificate(leaf.der(), &b.profile, Some(ct));
                if !lint.conformant {
                    let ids = failure_ids(&lint.findings);
                    findings.push(Finding::from_def(
                        &F::TECH_DOMESTIC_PROFILE,
                        format!(
                            "a validator configured with {}'s own profile alone rejects {}: {}",
                            upper(b.id),
                            s.id,
                            ids.join(", ")
                        ),
                    ));
                }
            }
        }
    }
    let identifier = identifier(u, a, b, kind, &mut findings);
    let technical = Technical {
        verdict,
        valid_samples: valid.len(),
        valid_accepted,
        invalid_samples: invalid.len(),
        invalid_accepted,
        trust_sources: covering.iter().map(|l| l.what.clone()).collect(),
        reasons: reasons.into_iter().map(|(_, m)| m).collect(),
        samples,
    };
    Some(Cell {
        id: format!("{}->{}/{}", a.id, b.id, kind.as_str()),
        issuer: a.id.to_string(),
        relying: b.id.to_string(),
        kind,
        class,
        legal,
        technical,
        identifier,
        findings,
    })
}

fn evaluate(
    r: &Relying,
    a_idx: usize,
    a: &StateData,
    b: &StateData,
    view: &Profile,
    s: &Sample,
    at: i64,
) -> (SampleResult, Option<(Why, String)>) {
    let covering = r.covering(a_idx, s.kind);
    let (accepted, verdict, ids, mut why) = match &s.credential {
        Credential::Cert { leaf, intermediates } => {
            let opts = r.ctx.options(at);
            let mut v = r.ctx.validator().validate(leaf, intermediates, &[], &opts);
            let path_ok = v.verdict.is_valid();
            // The profile rules can only turn a valid path into a rejection: when the path
            // already fails (no anchor of B covers A, expired, bad signature) the verdict stands
            // and the lint is skipped (it is most of the cost of the cells B cannot validate).
            if path_ok {
                apply_profile(&mut v, view, s.kind.cert_type(), leaf, intermediates, r.ctx.validator());
            }
            let ok = v.verdict.is_valid();
            let ids = failure_ids(&v.verdict.findings);
            let why = if ok {
                None
            } else if path_ok {
                Some((Why::Profile, format!("profile rules reject it: {}", ids.join(", "))))
            } else {
                Some((Why::Path, format!("path validation fails: {} ({})", verdict_text(&v.verdict), ids.join(", "))))
            };
            (ok, verdict_text(&v.verdict), ids, why)
        }
        Credential::Token(bytes) => {
            let keys = KeySet::new();
            let mut cx = VerifyContext::new(&keys, &r.token_policy, at);
            cx.chain_validator = Some(&r.tokens);
            let rep = eidtrust::token::verify_token(bytes, &cx);
            let ok = rep.is_valid();
            let ids = failure_ids(&rep.verdict.findings);
            let why = (!ok).then(|| {
                (Why::Token, format!("the PID is rejected: {} ({})", verdict_text(&rep.verdict), ids.join(", ")))
            });
            (ok, verdict_text(&rep.verdict), ids, why)
        }
    };
    if !accepted && covering.is_none() {
        let msg = match r.loaded.iter().find(|l| l.issuer == a_idx) {
            Some(l) => format!(
                "{} loads {} (qualified services only), which does not cover {}'s {} CA",
                upper(b.id),
                l.what,
                upper(a.id),
                if s.kind == Kind::Pid { "PID provider" } else { "authentication" }
            ),
            None => format!(
                "{} does not load TL-{}: no trust source of {} covers {}'s CAs",
                upper(b.id),
                upper(a.id),
                upper(b.id),
                upper(a.id)
            ),
        };
        why = Some((Why::Source, msg));
    }
    let res = SampleResult {
        id: s.id.clone(),
        file: s.file.clone(),
        expected: if s.expected_valid { "valid" } else { "invalid" },
        defect: s.defect.clone(),
        accepted,
        verdict,
        reason: why.as_ref().map(|w| w.1.clone()),
        finding_ids: ids,
    };
    (res, if s.expected_valid && !accepted { why } else { None })
}

/// Runs the matrix over `issuers` x `relying` x `kinds` (state indices of `u`) at `at` (Unix
/// seconds). `progress` is called once per finished cell (from worker threads). Relying
/// configurations are built once per relying state; cells run in parallel (rayon).
pub fn run(
    u: &Universe,
    at: i64,
    issuers: &[usize],
    relying: &[usize],
    kinds: &[Kind],
    progress: &(dyn Fn() + Sync),
) -> Matrix {
    let rs: Vec<Relying> = relying.par_iter().filter_map(|&b| Relying::build(u, b)).collect();
    let jobs: Vec<(&Relying, usize, Kind)> =
        rs.iter().flat_map(|r| issuers.iter().flat_map(move |&a| kinds.iter().map(move |&k| (r, a, k)))).collect();
    let cells: Vec<Cell> = jobs
        .par_iter()
        .filter_map(|&(r, a, k)| {
            let c = cell(u, r, a, k, at);
            progress();
            c
        })
        .collect();
    let mut summary = Summary::default();
    for c in &cells {
        match c.class {
            Class::RecognisedAccepted => summary.recognised_accepted += 1,
            Class::Gap => summary.gaps += 1,
            Class::Leak => summary.leaks += 1,
            Class::Neither => summary.neither += 1,
        }
        if c.technical.invalid_accepted > 0 {
            summary.invalid_accepted += 1;
        }
    }
    let name = |i: &usize| u.states.get(*i).map(|s| s.id.to_string()).unwrap_or_default();
    Matrix {
        at: crate::rfc3339(at),
        at_unix: at,
        origin: u.origin.clone(),
        issuers: issuers.iter().map(name).collect(),
        relying: relying.iter().map(name).collect(),
        kinds: kinds.to_vec(),
        summary,
        cells,
    }
}
