//! What must hold for every entry point that takes outside bytes, written once and used twice: by
//! the cargo-fuzz targets in `fuzz/` and by the regression replay (`tests/fuzz_regressions.rs`),
//! which runs every committed input of `fuzz/regressions/<target>/` through the same check.
//!
//! Each [`Target`] runs its entry point on the input twice and asserts:
//!
//! - no panic (a panic is the failure libFuzzer reports);
//! - verdict determinism: the same input gives the same outcome (verdict, findings, parsed value)
//!   both times, and for chains, with and without the signature cache;
//! - every finding id emitted is in a crate catalogue (ids are the public contract);
//! - target-specific invariants (a valid chain ends at an anchor within the depth limit, what the
//!   strict JSON reader accepts serde_json reads the same way, ...);
//! - a time bound, [`MAX_INPUT_MILLIS`], checked by [`check_timed`] (the harness) on the first
//!   evaluation. Memory is bounded by libFuzzer (`-rss_limit_mb`, `-malloc_limit_mb`, see
//!   docs/fuzzing.md).
//!
//! Structured targets ([`Target::Chain`], [`Target::Lint`], [`Target::Jws`], [`Target::SdJwt`])
//! decode a few leading bytes as options; the layout is documented on each decoder so seeds can be
//! written by hand (see `scripts/fuzz-seeds`).

use crate::pki::cert::Certificate;
use crate::pki::crl::Crl;
use crate::pki::input::{self, Kind};
use crate::pki::ocsp::OcspResponse;
use crate::pki::validate::{Options, RevocationMode, Rules, SignatureCache, Store, Usage, Validator};
use crate::profile::{CertType, Profile};
use crate::report::{Finding, Verdict};
use crate::token::{self, HmacKeys, KeySet, TokenPolicy, VerifyContext, VerifyingKey};
use std::collections::HashSet;
use std::fmt;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The time one input may take in any target: 100 ms (issue 7, "no input may take more than
/// 100 ms"). Measured on the first of the two evaluations, in the build being fuzzed.
pub const MAX_INPUT_MILLIS: u64 = 100;

/// The validation time the token targets use (2023-11-14T22:13:20Z), so `exp`/`iat` in the seeds
/// can be set relative to it.
pub const TOKEN_TIME: i64 = 1_700_000_000;

/// The HMAC key the token targets verify with and re-sign under (see [`resign_compact`]). Test
/// material only: 32 bytes, the RFC 7518 §3.2 minimum for HS256.
pub const FUZZ_HMAC_KEY: &[u8; 32] = b"eidtrust-fuzz-hmac-key-012345678";

/// One fuzzed entry point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// `pki::input::read` as certificates and as CRLs (RFC 7468 PEM or concatenated DER).
    Pem,
    /// `pki::Certificate::from_der`; the fast path must build what the x509-parser path builds
    /// whenever it answers.
    Cert,
    /// `pki::crl::Crl::from_der`.
    Crl,
    /// `pki::ocsp::OcspResponse::from_der`.
    Ocsp,
    /// Path building and validation over a framed leaf/intermediates/anchors/CRLs input.
    Chain,
    /// `profile::lint::lint_input` under a built-in profile and type.
    Lint,
    /// `token::verify_jws` (compact and JSON) and `token::inspect`.
    Jws,
    /// `token::verify_token` on SD-JWT (and any token) presentations.
    SdJwt,
    /// `token::json::parse_strict`, the duplicate-rejecting JSON reader.
    Json,
    /// `trustlist::parse`; in the fuzz build (feature `oracle`) also the XML reader against
    /// roxmltree (`trustlist::xml_differential`).
    TlParse,
    /// `trustlist::verify::verify`, unanchored (the list's own KeyInfo certificate).
    TlVerify,
    /// `profile::parse_str`, profile TOML loading.
    ProfileToml,
}

impl Target {
    /// Every target, in the order the CI smoke step runs them.
    pub const ALL: &'static [Target] = &[
        Target::Pem,
        Target::Cert,
        Target::Crl,
        Target::Ocsp,
        Target::Chain,
        Target::Lint,
        Target::Jws,
        Target::SdJwt,
        Target::Json,
        Target::TlParse,
        Target::TlVerify,
        Target::ProfileToml,
    ];

    /// The cargo-fuzz target name, also the directory name under `fuzz/regressions/`.
    pub fn name(self) -> &'static str {
        match self {
            Target::Pem => "pem",
            Target::Cert => "cert",
            Target::Crl => "crl",
            Target::Ocsp => "ocsp",
            Target::Chain => "chain",
            Target::Lint => "lint",
            Target::Jws => "jws",
            Target::SdJwt => "sdjwt",
            Target::Json => "json",
            Target::TlParse => "tl_parse",
            Target::TlVerify => "tl_verify",
            Target::ProfileToml => "profile_toml",
        }
    }

    pub fn from_name(name: &str) -> Option<Target> {
        Target::ALL.iter().copied().find(|t| t.name() == name)
    }

    /// One evaluation: the entry point's outcome, rendered so that two evaluations compare.
    fn outcome(self, data: &[u8]) -> Result<String, Violation> {
        match self {
            Target::Pem => pem(data),
            Target::Cert => cert(data),
            Target::Crl => crl(data),
            Target::Ocsp => ocsp(data),
            Target::Chain => chain(data),
            Target::Lint => lint(data),
            Target::Jws => jws(data),
            Target::SdJwt => sdjwt(data),
            Target::Json => json(data),
            Target::TlParse => tl_parse(data),
            Target::TlVerify => tl_verify(data),
            Target::ProfileToml => profile_toml(data),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A property that did not hold for an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub target: Target,
    pub what: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "fuzz target {}: {}", self.target, self.what)
    }
}

impl std::error::Error for Violation {}

fn violation(target: Target, what: impl Into<String>) -> Violation {
    Violation { target, what: what.into() }
}

thread_local! {
    /// The time of the entry point itself when a target's evaluation does more than call it
    /// once (the chain target validates three times to compare); read by [`check_timed`].
    static PRIMARY: std::cell::Cell<Option<Duration>> = const { std::cell::Cell::new(None) };
}

fn primary_time(d: Duration) {
    PRIMARY.with(|p| p.set(Some(d)));
}

/// Runs `target` on `data` twice and checks every property except time.
pub fn check(target: Target, data: &[u8]) -> Result<(), Violation> {
    let first = target.outcome(data)?;
    let second = target.outcome(data)?;
    if first != second {
        return Err(violation(
            target,
            format!("not deterministic: the same input gave two outcomes\nfirst:  {first}\nsecond: {second}"),
        ));
    }
    Ok(())
}

/// [`check`], and the first evaluation must take at most `max` (use
/// `Duration::from_millis(MAX_INPUT_MILLIS)`). A slow first evaluation is retried twice before it
/// counts, so that a busy machine's scheduling noise is not reported as a finding.
pub fn check_timed(target: Target, data: &[u8], max: Duration) -> Result<(), Violation> {
    check_measured(target, data, max).map(|_| ())
}

/// [`check_timed`], returning the time of the accepted first evaluation (what the bound was
/// checked against), so that a harness can report its slowest input (`scripts/fuzz-long`).
pub fn check_measured(target: Target, data: &[u8], max: Duration) -> Result<Duration, Violation> {
    let mut fastest = Duration::ZERO;
    for attempt in 0..3 {
        PRIMARY.with(|p| p.set(None));
        let start = Instant::now();
        let first = target.outcome(data)?;
        let took = PRIMARY.with(|p| p.take()).unwrap_or_else(|| start.elapsed());
        if took <= max {
            let second = target.outcome(data)?;
            if first != second {
                return Err(violation(
                    target,
                    format!("not deterministic: the same input gave two outcomes\nfirst:  {first}\nsecond: {second}"),
                ));
            }
            return Ok(took);
        }
        fastest = if attempt == 0 { took } else { fastest.min(took) };
    }
    Err(violation(
        target,
        format!(
            "too slow: {} µs for one input (the fastest of three attempts), over the limit of {} ms",
            fastest.as_micros(),
            max.as_millis()
        ),
    ))
}

// ---------------------------------------------------------------------------------------------
// Finding ids

fn catalogue() -> &'static HashSet<&'static str> {
    static IDS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    IDS.get_or_init(|| {
        let mut s: HashSet<&'static str> = crate::pki::findings::catalogue().iter().map(|d| d.id).collect();
        s.extend(crate::profile::findings::CATALOGUE.iter().map(|d| d.id));
        s.extend(crate::token::findings::CATALOGUE.iter().map(|d| d.id));
        s.extend(crate::trustlist::findings::CATALOGUE.iter().map(|d| d.id));
        s
    })
}

fn ids_catalogued(target: Target, findings: &[Finding]) -> Result<(), Violation> {
    let cat = catalogue();
    match findings.iter().find(|f| !cat.contains(&*f.id)) {
        Some(f) => Err(violation(target, format!("finding id {:?} is in no crate's catalogue ({})", f.id, f.message))),
        None => Ok(()),
    }
}

fn verdict_ok(target: Target, v: &Verdict) -> Result<(), Violation> {
    ids_catalogued(target, &v.findings)?;
    if !v.is_valid() && v.findings.is_empty() {
        return Err(violation(target, format!("a {:?} verdict with no finding saying why", v.indication)));
    }
    Ok(())
}

fn error_readable(target: Target, e: &dyn fmt::Display) -> Result<(), Violation> {
    if e.to_string().trim().is_empty() {
        return Err(violation(target, "an error whose message is empty"));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Parsers

fn pem(data: &[u8]) -> Result<String, Violation> {
    let t = Target::Pem;
    let mut out = String::new();
    for kind in [Kind::Certificate, Kind::Crl] {
        match input::read(data, kind) {
            Ok(objects) => {
                if objects.is_empty() {
                    return Err(violation(t, format!("read({kind:?}) returned Ok with no object")));
                }
                if objects.len() > input::MAX_BLOCKS {
                    return Err(violation(t, format!("{} objects, over MAX_BLOCKS", objects.len())));
                }
                if let Some(o) = objects.iter().find(|o| o.len() > input::MAX_OBJECT_BYTES) {
                    return Err(violation(t, format!("an object of {} bytes, over MAX_OBJECT_BYTES", o.len())));
                }
                out.push_str(&format!("{kind:?}: {objects:?}\n"));
            }
            Err(e) => {
                error_readable(t, &e)?;
                out.push_str(&format!("{kind:?}: {e}\n"));
            }
        }
    }
    // The two other PEM readers that see outside bytes.
    out.push_str(&format!("lint: {:?}\n", crate::profile::lint::pem_certificates(data)));
    out.push_str(&format!("tl: {:?}\n", crate::trustlist::certificates_from_bytes(data)));
    Ok(out)
}

fn cert(data: &[u8]) -> Result<String, Violation> {
    let t = Target::Cert;
    Certificate::fast_path_agrees(data).map_err(|e| violation(t, format!("the parse paths disagree: {e}")))?;
    match Certificate::from_der(data) {
        Ok(c) => {
            if data.len() > crate::pki::cert::MAX_CERT_BYTES {
                return Err(violation(t, format!("accepted {} bytes, over MAX_CERT_BYTES", data.len())));
            }
            // Everything a report prints about a certificate must be computable.
            Ok(format!("{c:?} {} {} {}", c.label(), crate::pki::validate::describe(&c), c.is_self_issued()))
        }
        Err(e) => {
            error_readable(t, &e)?;
            Ok(format!("error: {e}"))
        }
    }
}

fn crl(data: &[u8]) -> Result<String, Violation> {
    let t = Target::Crl;
    match Crl::from_der(data) {
        // Field by field: the CRL's serial index is a HashMap, whose Debug order is random.
        Ok(c) => Ok(format!(
            "{:?} {:?} {:?} {} {:?} {:?} {:?} {:?} {:?} {} {:?} {}",
            c.version,
            c.signature_algorithm,
            c.issuer,
            c.this_update,
            c.next_update,
            c.entries,
            c.extensions,
            c.signature,
            c.defects,
            c.label(),
            c.number(),
            c.is_delta()
        )),
        Err(e) => {
            error_readable(t, &e)?;
            Ok(format!("error: {e} ({})", e.finding_id()))
        }
    }
}

fn ocsp(data: &[u8]) -> Result<String, Violation> {
    let t = Target::Ocsp;
    match OcspResponse::from_der(data) {
        Ok(r) => Ok(format!("{r:?} {:?} {:?}", r.nonce(), r.next_update())),
        Err(e) => {
            error_readable(t, &e)?;
            Ok(format!("error: {e} ({})", e.finding_id()))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Chain

/// The roles of a [`ChainInput`] record.
pub const ROLE_LEAF: u8 = 0;
pub const ROLE_INTERMEDIATE: u8 = 1;
pub const ROLE_ANCHOR: u8 = 2;
pub const ROLE_CRL: u8 = 3;

/// A decoded chain-target input.
///
/// Layout: `flags: u8`, `profile: u8`, `time: u32 LE` (Unix seconds), then records of
/// `role: u8` (0 leaf, 1 intermediate, 2 anchor, 3 CRL; taken modulo 4), `len: u16 LE`, `len`
/// bytes of DER. The first leaf record is the leaf; later leaf records are intermediates.
/// A record cut short by the end of the input is dropped. Flags: bit 0 WebPKI rules; bits 1–2
/// usage (any, serverAuth, clientAuth, emailProtection); bit 3 CRLs checked (revocation
/// "prefer"); bit 4 a server name (`example.com`); bits 5–7 `max_path_len` 3 + n (only when
/// the profile byte is 0). Profile: 0 none, else `(profile - 1) % 12` picks a built-in profile
/// and `profile / 13 % 7` the certificate type (0 none) for the profile's lint on the leaf.
#[derive(Debug, Clone, Default)]
pub struct ChainInput {
    pub flags: u8,
    pub profile: u8,
    pub time: u32,
    /// (role, DER)
    pub records: Vec<(u8, Vec<u8>)>,
}

impl ChainInput {
    pub fn decode(data: &[u8]) -> ChainInput {
        let mut it = data.iter().copied();
        let flags = it.next().unwrap_or(0);
        let profile = it.next().unwrap_or(0);
        let mut tb = [0u8; 4];
        for b in tb.iter_mut() {
            *b = it.next().unwrap_or(0);
        }
        let rest = data.get(6..).unwrap_or(&[]);
        let mut records = Vec::new();
        let mut pos = 0usize;
        while let (Some(&role), Some(&l0), Some(&l1)) = (rest.get(pos), rest.get(pos + 1), rest.get(pos + 2)) {
            let len = u16::from_le_bytes([l0, l1]) as usize;
            let Some(body) = rest.get(pos + 3..pos + 3 + len) else { break };
            records.push((role % 4, body.to_vec()));
            pos += 3 + len;
        }
        ChainInput { flags, profile, time: u32::from_le_bytes(tb), records }
    }

    /// The inverse of [`ChainInput::decode`] (for seed writers and tests). Records longer than
    /// 65,535 bytes are cut.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![self.flags, self.profile];
        out.extend_from_slice(&self.time.to_le_bytes());
        for (role, der) in &self.records {
            let body = der.get(..der.len().min(u16::MAX as usize)).unwrap_or(&[]);
            out.push(*role);
            out.extend_from_slice(&(body.len() as u16).to_le_bytes());
            out.extend_from_slice(body);
        }
        out
    }
}

fn builtin_profiles() -> &'static [Profile] {
    static P: OnceLock<Vec<Profile>> = OnceLock::new();
    P.get_or_init(|| crate::profile::builtins().unwrap_or_default())
}

const CERT_TYPES: [Option<CertType>; 7] = [
    None,
    Some(CertType::QualifiedEsig),
    Some(CertType::QualifiedEseal),
    Some(CertType::Qwac),
    Some(CertType::Auth),
    Some(CertType::Esig),
    Some(CertType::Eseal),
];

fn chain(data: &[u8]) -> Result<String, Violation> {
    let t = Target::Chain;
    let parse_start = Instant::now();
    let input = ChainInput::decode(data);
    let mut leaf = None;
    let mut inter = Vec::new();
    let mut anchors = Vec::new();
    let mut crls = Vec::new();
    for (role, der) in &input.records {
        match *role {
            ROLE_LEAF | ROLE_INTERMEDIATE => {
                if let Ok(c) = Certificate::from_der(der) {
                    if *role == ROLE_LEAF && leaf.is_none() {
                        leaf = Some(c);
                    } else {
                        inter.push(c);
                    }
                }
            }
            ROLE_ANCHOR => anchors.extend(Certificate::from_der(der).ok()),
            _ => crls.extend(Crl::from_der(der).ok()),
        }
    }
    let Some(leaf) = leaf else { return Ok("no leaf".into()) };
    let parse_time = parse_start.elapsed();

    let mut opts = Options::at(i64::from(input.time));
    let f = input.flags;
    if f & 1 != 0 {
        opts.rules = Rules::WebPki;
    }
    opts.usage = match (f >> 1) & 3 {
        0 => Usage::Any,
        1 => Usage::ServerAuth,
        2 => Usage::ClientAuth,
        _ => Usage::EmailProtection,
    };
    if f & 8 != 0 {
        opts.revocation = RevocationMode::Prefer;
    }
    if f & 16 != 0 {
        opts.server_name = crate::pki::hostname::ServerName::parse("example.com").ok();
    }

    let profiles = builtin_profiles();
    let profile = match input.profile {
        0 => None,
        p => {
            let idx = usize::from(p - 1) % profiles.len().max(1);
            let ty = CERT_TYPES.get(usize::from(p / 13) % CERT_TYPES.len()).copied().flatten();
            profiles.get(idx).map(|pr| (pr, ty))
        }
    };
    if profile.is_none() {
        opts.limits.max_path_len = 3 + usize::from(f >> 5);
    }

    let run = |cache: SignatureCache, twice: bool| -> Result<String, Violation> {
        let validator = Validator::new(Store::new(anchors.iter().cloned())).signature_cache(cache);
        let mut out = String::new();
        for _ in 0..if twice { 2 } else { 1 } {
            let start = Instant::now();
            let mut o = opts.clone();
            if let Some((p, _)) = profile {
                o.min_rsa_bits = o.min_rsa_bits.max(p.algorithms.rsa_min_bits as usize);
            }
            let mut v = validator.validate(&leaf, &inter, &crls, &o);
            if let Some((p, ty)) = profile {
                crate::context::apply_profile(&mut v, p, ty, &leaf, &inter, &validator);
            }
            if out.is_empty() && cache == SignatureCache::Enabled {
                // What a caller waits for: parsing and the first validation (the repeats below
                // are this check's own determinism work).
                primary_time(parse_time + start.elapsed());
            }
            verdict_ok(t, &v.verdict)?;
            if v.is_valid() {
                if !matches!(v.path.last(), Some(crate::pki::validate::Source::Anchor(_))) {
                    return Err(violation(t, format!("a valid path that does not end at an anchor: {:?}", v.path)));
                }
                if v.path.len() > o.limits.max_path_len {
                    return Err(violation(
                        t,
                        format!(
                            "a valid path of {} certificates, over max_path_len {}",
                            v.path.len(),
                            o.limits.max_path_len
                        ),
                    ));
                }
            }
            if v.signatures_verified > o.limits.signature_checks {
                return Err(violation(
                    t,
                    format!(
                        "{} signatures verified, over the budget of {}",
                        v.signatures_verified, o.limits.signature_checks
                    ),
                ));
            }
            let s = format!("{:?} {:?}\n", v.verdict, v.path);
            if !out.is_empty() && !out.starts_with(&s) {
                return Err(violation(t, format!("a second validation on the same validator differs (the signature cache leaks state)\nfirst:  {out}second: {s}")));
            }
            out = s;
        }
        Ok(out)
    };
    let cached = run(SignatureCache::Enabled, true)?;
    let uncached = run(SignatureCache::Disabled, false)?;
    if cached != uncached {
        return Err(violation(
            t,
            format!("the verdict depends on the signature cache\ncached:   {cached}uncached: {uncached}"),
        ));
    }
    Ok(cached)
}

// ---------------------------------------------------------------------------------------------
// Lint

/// Layout: `profile: u8` (`% 12`, a built-in profile), `type: u8` (`% 7`, 0 none), then the
/// certificate (PEM or DER) as `lint_input` takes it.
fn lint(data: &[u8]) -> Result<String, Violation> {
    let t = Target::Lint;
    let (Some(&p), Some(&ty)) = (data.first(), data.get(1)) else { return Ok("short".into()) };
    let body = data.get(2..).unwrap_or(&[]);
    let profiles = builtin_profiles();
    let Some(profile) = profiles.get(usize::from(p) % profiles.len().max(1)) else {
        return Err(violation(t, "the built-in profiles do not load"));
    };
    let cert_type = CERT_TYPES.get(usize::from(ty) % CERT_TYPES.len()).copied().flatten();
    let r = crate::profile::lint::lint_input(body, profile, cert_type);
    ids_catalogued(t, &r.findings)?;
    if r.conformant == r.findings.iter().any(|f| f.severity.is_failure()) {
        return Err(violation(t, "conformant disagrees with the findings' severities"));
    }
    Ok(format!("{r:?}"))
}

// ---------------------------------------------------------------------------------------------
// Tokens

fn hmac_keys() -> &'static KeySet {
    static K: OnceLock<KeySet> = OnceLock::new();
    K.get_or_init(|| {
        let mut ks = KeySet::new();
        let jwk = serde_json::json!({"kty": "oct", "k": token::b64::encode(FUZZ_HMAC_KEY)});
        if let Some(obj) = jwk.as_object() {
            if let Ok(k) = VerifyingKey::from_jwk(obj, HmacKeys::AllowForConformanceTests) {
                let _ = ks.add(k);
            }
        }
        ks
    })
}

fn token_policy() -> &'static TokenPolicy {
    static P: OnceLock<TokenPolicy> = OnceLock::new();
    P.get_or_init(|| {
        let mut p = TokenPolicy { hmac: HmacKeys::AllowForConformanceTests, ..TokenPolicy::default() };
        p.allowed_algs.push(token::Alg::HS256);
        p
    })
}

/// HMAC-SHA-256 (RFC 2104) over `msg` with [`FUZZ_HMAC_KEY`].
fn hs256(msg: &[u8]) -> Vec<u8> {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, FUZZ_HMAC_KEY);
    ring::hmac::sign(&key, msg).as_ref().to_vec()
}

/// Replaces the signature of the first compact JWS in `text` (up to the first `~`, the issuer JWT
/// of an SD-JWT) with an HS256 signature under [`FUZZ_HMAC_KEY`] over its first two segments, so
/// that fuzzing reaches the checks behind the signature (claims, disclosures, key binding).
/// Text that is not three dot-separated segments is returned unchanged.
pub fn resign_compact(text: &str) -> String {
    let (jws, rest) = match text.find('~') {
        Some(i) => text.split_at(i),
        None => (text, ""),
    };
    let mut parts = jws.splitn(3, '.');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(h), Some(p), Some(_)) => {
            let sig = hs256(format!("{h}.{p}").as_bytes());
            format!("{h}.{p}.{}{rest}", token::b64::encode(&sig))
        }
        _ => text.to_owned(),
    }
}

/// Layout: `mode: u8` then the token. Mode bit 0: re-sign the compact JWS with
/// [`resign_compact`] first; bit 1: audience and nonce expected (`https://verifier.example`,
/// `fuzz-nonce`); bit 2: compact only (refuse the JSON serialization, [`Target::Jws`] only);
/// bit 3: `x5c` headers are read (a chain validator with no anchors is configured).
fn token_input(data: &[u8]) -> (u8, Vec<u8>) {
    let mode = data.first().copied().unwrap_or(0);
    let body = data.get(1..).unwrap_or(&[]);
    if mode & 1 != 0 {
        if let Ok(s) = std::str::from_utf8(body) {
            return (mode, resign_compact(s.trim()).into_bytes());
        }
    }
    (mode, body.to_vec())
}

/// A chain validator with no anchors: `x5c` headers are parsed and their chains built, and
/// never validate.
fn x5c_validator() -> &'static token::x5c::PkiChainValidator {
    static V: OnceLock<token::x5c::PkiChainValidator> = OnceLock::new();
    V.get_or_init(|| token::x5c::PkiChainValidator::from_validator(Validator::new(Store::new([]))))
}

fn token_ctx(mode: u8) -> VerifyContext<'static> {
    let mut cx = VerifyContext::new(hmac_keys(), token_policy(), TOKEN_TIME);
    if mode & 2 != 0 {
        cx.audience = Some("https://verifier.example");
        cx.nonce = Some("fuzz-nonce");
    }
    if mode & 8 != 0 {
        cx.chain_validator = Some(x5c_validator());
    }
    cx
}

fn jws(data: &[u8]) -> Result<String, Violation> {
    let t = Target::Jws;
    let (mode, body) = token_input(data);
    let r = token::verify_jws(&body, &token_ctx(mode), mode & 4 != 0);
    verdict_ok(t, &r.verdict)?;
    if r.verdict.is_valid() != r.payload.is_some() {
        return Err(violation(t, "a payload is returned exactly when the JWS is valid, and it was not so"));
    }
    let i = token::inspect(&body);
    Ok(format!("{:?} {:?} | {:?}", r.verdict, r.payload, i))
}

fn sdjwt(data: &[u8]) -> Result<String, Violation> {
    let t = Target::SdJwt;
    let (mode, body) = token_input(data);
    let r = token::verify_token(&body, &token_ctx(mode));
    verdict_ok(t, &r.verdict)?;
    if r.verdict.is_valid() != r.claims.is_some() {
        return Err(violation(t, "claims are returned exactly when the token is valid, and it was not so"));
    }
    if let Some(claims) = &r.claims {
        if claims.contains_key("_sd") || claims.contains_key("_sd_alg") {
            return Err(violation(t, "a valid token's processed claims still hold _sd or _sd_alg (RFC 9901 §7.1)"));
        }
    }
    Ok(format!("{:?} {:?} {:?} {:?}", r.kind, r.verdict, r.claims, r.loa))
}

fn json_depth(v: &serde_json::Value) -> usize {
    match v {
        serde_json::Value::Array(a) => 1 + a.iter().map(json_depth).max().unwrap_or(0),
        serde_json::Value::Object(o) => 1 + o.values().map(json_depth).max().unwrap_or(0),
        _ => 0,
    }
}

fn json(data: &[u8]) -> Result<String, Violation> {
    use crate::token::json::{parse_strict, JsonError, MAX_JSON_BYTES, MAX_JSON_DEPTH};
    let t = Target::Json;
    match parse_strict(data) {
        Ok(v) => {
            if data.len() > MAX_JSON_BYTES {
                return Err(violation(t, "accepted a text over MAX_JSON_BYTES"));
            }
            if json_depth(&v) > MAX_JSON_DEPTH {
                return Err(violation(t, format!("accepted nesting {} deep, over MAX_JSON_DEPTH", json_depth(&v))));
            }
            // Differential: what the strict reader accepts, serde_json reads to the same value.
            match serde_json::from_slice::<serde_json::Value>(data) {
                Ok(plain) if plain == v => {}
                Ok(plain) => return Err(violation(t, format!("strict reader gave {v:?}, serde_json {plain:?}"))),
                Err(e) => return Err(violation(t, format!("strict reader accepted what serde_json refuses: {e}"))),
            }
            Ok(format!("{v:?}"))
        }
        Err(e) => {
            error_readable(t, &e)?;
            if matches!(e, JsonError::Syntax(_)) {
                // A syntax error must really be one (up to serde_json's own depth limit of 128).
                if let Ok(plain) = serde_json::from_slice::<serde_json::Value>(data) {
                    return Err(violation(t, format!("strict reader called valid JSON {plain:?} a syntax error: {e}")));
                }
            }
            Ok(format!("error: {e}"))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Trusted lists and profiles

fn tl_parse(data: &[u8]) -> Result<String, Violation> {
    let t = Target::TlParse;
    #[cfg(feature = "oracle")]
    crate::trustlist::xml_differential(data).map_err(|e| violation(t, format!("the XML readers disagree: {e}")))?;
    match crate::trustlist::parse(data) {
        Ok(list) => {
            ids_catalogued(t, &list.quirks)?;
            Ok(format!("{list:?}"))
        }
        Err(e) => {
            error_readable(t, &e)?;
            ids_catalogued(t, std::slice::from_ref(&e.to_finding()))?;
            Ok(format!("error: {e}"))
        }
    }
}

fn tl_verify(data: &[u8]) -> Result<String, Violation> {
    let t = Target::TlVerify;
    let out = crate::trustlist::verify::verify(data, &crate::trustlist::verify::Anchor::Unanchored, TOKEN_TIME);
    verdict_ok(t, &out.verdict)?;
    if out.verified() && out.signer.is_none() {
        return Err(violation(t, "a verified list with no signer"));
    }
    Ok(format!("{:?} {:?} {:?} {:?}", out.verdict, out.trust, out.signer, out.signature_method))
}

fn profile_toml(data: &[u8]) -> Result<String, Violation> {
    let t = Target::ProfileToml;
    let Ok(text) = std::str::from_utf8(data) else { return Ok("not UTF-8".into()) };
    match crate::profile::parse_str(text, "fuzz.toml") {
        Ok(p) => {
            if let Err(e) = crate::profile::check(&p) {
                return Err(violation(t, format!("parse_str accepted a profile check() refuses: {e}")));
            }
            // Round trip: what was accepted serialises and reads back to the same profile.
            let again = toml::to_string(&p)
                .map_err(|e| violation(t, format!("an accepted profile does not serialise: {e}")))
                .and_then(|s| {
                    crate::profile::parse_str(&s, "fuzz-roundtrip.toml")
                        .map_err(|e| violation(t, format!("an accepted profile does not read back: {e}\n{s}")))
                })?;
            if format!("{p:?}") != format!("{again:?}") {
                return Err(violation(t, format!("round trip changed the profile\n{p:?}\n{again:?}")));
            }
            Ok(format!("{p:?}"))
        }
        Err(e) => {
            error_readable(t, &e)?;
            Ok(format!("error: {e}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_input_round_trips() {
        let c = ChainInput { flags: 3, profile: 7, time: 42, records: vec![(0, vec![1, 2]), (2, vec![3])] };
        let d = ChainInput::decode(&c.encode());
        assert_eq!((d.flags, d.profile, d.time, d.records), (3, 7, 42, c.records));
    }

    #[test]
    fn names_round_trip() {
        for t in Target::ALL {
            assert_eq!(Target::from_name(t.name()), Some(*t));
        }
        assert_eq!(Target::from_name("nope"), None);
    }

    #[test]
    fn hmac_key_loads() {
        assert!(!hmac_keys().is_empty(), "the fuzz HMAC key must load");
        assert!(!builtin_profiles().is_empty());
    }

    #[test]
    fn resigned_token_verifies() {
        let h = token::b64::encode(br#"{"alg":"HS256"}"#);
        let p = token::b64::encode(br#"{"iss":"https://issuer.example","iat":1699999000}"#);
        let tok = resign_compact(&format!("{h}.{p}.AAAA"));
        let r = token::verify_jws(tok.as_bytes(), &token_ctx(0), true);
        assert!(r.verdict.is_valid(), "{:?}", r.verdict);
        let mut bad = vec![0u8];
        bad.extend_from_slice(format!("{h}.{p}.AAAA").as_bytes());
        assert!(check(Target::Jws, &bad).is_ok());
    }

    #[test]
    fn json_check_catches_nothing_on_plain_inputs() {
        for s in [
            "{}",
            "[1,2,{\"a\":null}]",
            "{\"a\":1,\"a\":2}",
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        ] {
            check(Target::Json, s.as_bytes()).unwrap();
        }
    }

    #[test]
    fn the_time_bound_is_measured_and_enforced() {
        let input = br#"{"a":[1,2,3],"b":{"c":"d"}}"#;
        let took = check_measured(Target::Json, input, Duration::from_secs(60)).unwrap();
        assert!(took > Duration::ZERO && took <= Duration::from_secs(60), "{took:?}");
        // Nothing runs in zero time: a zero bound fails (after the retries) and says why.
        let v = check_timed(Target::Json, input, Duration::ZERO).unwrap_err();
        assert!(v.to_string().contains("too slow"), "{v}");
    }
}
