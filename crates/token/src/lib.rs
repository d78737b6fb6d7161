//! Signed eID tokens: JWS (compact and JSON), JWT claims, SD-JWT (RFC 9901) with key binding,
//! SD-JWT VC and the EUDI PID rules.
//!
//! [`verify_token`] takes the token bytes and a [`VerifyContext`] (configured keys, an optional
//! x5c [`ChainValidator`], the [`TokenPolicy`], the validation time, and the expected audience and
//! nonce) and returns a [`TokenReport`]: the ETSI verdict, the findings, and the claims with
//! disclosures applied. Nothing here reads the clock or the network: `jku`, `x5u` and remote
//! JWKS are never fetched, and `kid` is only a lookup in the configured keys.
//!
//! Every JSON part — header, payload, disclosure, KB-JWT — goes through the strict reader of
//! [`json`] (duplicate members refused, depth and size capped), and every base64url part through
//! the strict decoder of [`b64`].
#![forbid(unsafe_code)]

pub mod b64;
mod ctx;
pub mod findings;
pub mod json;
mod jws;
pub mod keys;
pub mod policy;
pub mod profile_rules;
mod sdjwt;
pub mod x5c;

pub use jws::MAX_SIGNATURES;
pub use keys::{Alg, HmacKeys, KeyError, KeySet, VerifyingKey};
pub use policy::{KeyOrigin, TokenClass, TokenKind, TokenPolicy};
pub use sdjwt::{MAX_DISCLOSURES, PID_MANDATORY, PID_VCT_PREFIX, VC_NON_DISCLOSABLE};
pub use x5c::{ChainValidator, RequiredUsage};

use ctx::Ctx;
use findings as f;
use jws::{KeySource, Purpose};
use report::{SubIndication as Sub, Verdict};
use serde_json::{Map, Value};

/// The largest token accepted, in bytes (4 MiB: a PID with a portrait and all disclosures is
/// well under 200 KiB; RFC 8725 §2.1 on resource exhaustion).
pub const MAX_TOKEN_BYTES: usize = 4 * 1024 * 1024;

/// Everything a verification needs besides the token. Time is an input (Unix seconds).
#[derive(Clone, Copy)]
pub struct VerifyContext<'a> {
    pub keys: &'a KeySet,
    pub chain_validator: Option<&'a dyn ChainValidator>,
    pub policy: &'a TokenPolicy,
    pub at: i64,
    pub audience: Option<&'a str>,
    pub nonce: Option<&'a str>,
}

impl<'a> VerifyContext<'a> {
    pub fn new(keys: &'a KeySet, policy: &'a TokenPolicy, at: i64) -> Self {
        VerifyContext { keys, chain_validator: None, policy, at, audience: None, nonce: None }
    }
}

/// The outcome of [`verify_token`].
#[derive(Debug, Clone)]
pub struct TokenReport {
    /// The kind recognised from the token's shape (`None` when the shape is unrecognisable).
    pub kind: Option<TokenKind>,
    pub verdict: Verdict,
    /// The claims with disclosures applied; only for a valid token.
    pub claims: Option<Map<String, Value>>,
    /// The level of assurance the policy maps the token to, when valid and mapped.
    pub loa: Option<String>,
    /// What the token is (JWT, SD-JWT VC, PID, ...), once its payload was verified.
    pub class: Option<TokenClass>,
}

impl TokenReport {
    pub fn is_valid(&self) -> bool {
        self.verdict.is_valid()
    }
}

fn prepare<'a>(ctx: &mut Ctx, input: &'a [u8]) -> Option<&'a str> {
    if input.len() > MAX_TOKEN_BYTES {
        ctx.fail(
            &f::TOKEN_TOO_LARGE,
            Sub::FormatFailure,
            format!("the token is {} bytes; at most {MAX_TOKEN_BYTES}", input.len()),
            "",
        );
        return None;
    }
    match std::str::from_utf8(input) {
        Ok(s) => Some(s.trim_matches(|c: char| c.is_ascii_whitespace())),
        Err(_) => {
            ctx.fail(&f::COMPACT_MALFORMED, Sub::FormatFailure, "the token is not UTF-8 text", "");
            None
        }
    }
}

fn typ_is_sd_jwt(header: &json::Members) -> bool {
    header
        .get("typ")
        .and_then(Value::as_str)
        .and_then(|t| t.len().checked_sub(6).and_then(|i| t.get(i..)))
        .is_some_and(|end| end.eq_ignore_ascii_case("sd-jwt"))
}

/// What verification learnt about the token besides its claims.
#[derive(Default)]
struct Seen {
    kind: Option<TokenKind>,
    class: Option<TokenClass>,
    /// The issuer key's origin: x5c when the issuer-signed header carries x5c and a chain
    /// validator is configured (then only the x5c key is tried), else a configured key.
    key: Option<KeyOrigin>,
}

fn key_origin(header: &json::Members, cx: &VerifyContext<'_>) -> KeyOrigin {
    if header.contains_key("x5c") && cx.chain_validator.is_some() {
        KeyOrigin::X5c
    } else {
        KeyOrigin::Configured
    }
}

/// Verifies an eID token: a compact JWT, a JWS JSON serialization with a JWT claims set, or an
/// SD-JWT (compact or JSON) with or without a KB-JWT.
pub fn verify_token(input: &[u8], cx: &VerifyContext<'_>) -> TokenReport {
    let mut ctx = Ctx::default();
    let mut seen = Seen::default();
    let claims = verify_inner(&mut ctx, input, cx, &mut seen);
    let valid = !ctx.failed();
    let mut loa = None;
    if valid {
        if let (Some(k), Some(c)) = (seen.kind, claims.as_ref()) {
            let class = seen.class.unwrap_or(match k {
                TokenKind::Jwt => TokenClass::Jwt,
                TokenKind::JwsJson => TokenClass::JwsJson,
                TokenKind::SdJwt | TokenKind::SdJwtKb => TokenClass::SdJwt,
            });
            let key = seen.key.unwrap_or(KeyOrigin::Configured);
            loa = apply_acceptance(&mut ctx, cx.policy, k, class, key, c);
        }
    }
    let verdict = ctx.into_verdict();
    let claims = if verdict.is_valid() { claims } else { None };
    TokenReport { kind: seen.kind, verdict, claims, loa, class: seen.class }
}

/// The relying party's acceptance rules on a verified token — kind, class (profile
/// `[tokens].kinds`), issuer and key origin (profile `[tokens].issuers`) — then its LoA.
fn apply_acceptance(
    ctx: &mut Ctx,
    policy: &TokenPolicy,
    k: TokenKind,
    class: TokenClass,
    key: KeyOrigin,
    c: &Map<String, Value>,
) -> Option<String> {
    let prof = policy.profile.as_deref().unwrap_or("(caller policy)");
    if !policy.accepted_kinds.contains(&k) {
        if policy.profile.is_some() {
            ctx.fail(
                &f::PROFILE_KIND,
                Sub::SigConstraintsFailure,
                format!("profile {prof} does not accept {} tokens ([tokens].kinds)", k.as_str()),
                "",
            );
        } else {
            ctx.fail(
                &f::KIND_NOT_ACCEPTED,
                Sub::SigConstraintsFailure,
                format!("the policy does not accept {} tokens", k.as_str()),
                "",
            );
        }
        return None;
    }
    if !policy.accepted_classes.is_empty() && !class.accepted_by(&policy.accepted_classes) {
        let list: Vec<&str> = policy.accepted_classes.iter().map(|c| c.as_str()).collect();
        ctx.fail(
            &f::PROFILE_KIND,
            Sub::SigConstraintsFailure,
            format!(
                "profile {prof} accepts {} tokens ([tokens].kinds); this one is {}",
                list.join(", "),
                class.as_str()
            ),
            "",
        );
        return None;
    }
    let iss = || c.get("iss").and_then(Value::as_str);
    if !policy.issuer_rules.is_empty() && !policy.issuer_rules.iter().any(|r| r.admits(iss(), key)) {
        let iss = iss();
        let how = match key {
            KeyOrigin::X5c => "a validated x5c chain",
            _ => "a configured key",
        };
        ctx.fail(
            &f::PROFILE_ISSUER,
            Sub::SigConstraintsFailure,
            format!(
                "issuer {iss:?} with a key from {how} is not an accepted issuer of profile {prof} ([tokens].issuers)"
            ),
            "/payload/iss",
        );
        return None;
    }
    let l = policy.loa_for(&policy::LoaInput { kind: k, class, key, claims: c })?;
    let msg = match &policy.profile {
        Some(p) => format!("level of assurance {l} (profile {p} [tokens].loa)"),
        None => format!("level of assurance {l}"),
    };
    ctx.note(&f::LOA_ASSIGNED, msg, "");
    Some(l.to_owned())
}

fn verify_inner(ctx: &mut Ctx, input: &[u8], cx: &VerifyContext<'_>, seen: &mut Seen) -> Option<Map<String, Value>> {
    let text = prepare(ctx, input)?;
    if text.starts_with('{') {
        let obj = match json::parse_object(text.as_bytes()) {
            Ok(o) => o,
            Err(e) => {
                jws::json_fail(ctx, &e, "JWS JSON serialization", "");
                return None;
            }
        };
        let unprot_sd = |o: &Map<String, Value>| jws::SD_JWT_UNPROTECTED.iter().any(|k| o.contains_key(*k));
        let first_header_sd = obj
            .get("header")
            .and_then(Value::as_object)
            .or_else(|| {
                obj.get("signatures")
                    .and_then(Value::as_array)
                    .and_then(|a| a.first())
                    .and_then(|s| s.get("header"))
                    .and_then(Value::as_object)
            })
            .is_some_and(unprot_sd);
        if unprot_sd(&obj) || first_header_sd {
            seen.kind = Some(TokenKind::SdJwt);
            let p = sdjwt::split_json(ctx, &obj)?;
            return verify_sd_jwt(ctx, p, cx, seen);
        }
        seen.kind = Some(TokenKind::JwsJson);
        let jws = jws::parse_json(ctx, &obj)?;
        let sd_typ = jws.sigs.first().is_some_and(|s| typ_is_sd_jwt(&s.header));
        seen.key = jws.sigs.first().map(|s| key_origin(&s.header, cx));
        let claims = verify_jwt_jws(ctx, &jws, cx)?;
        seen.class = Some(TokenClass::JwsJson);
        if sd_typ || claims.contains_key("_sd_alg") || claims.contains_key("_sd") {
            ctx.fail(&f::SD_FORMAT, Sub::FormatFailure, "an SD-JWT in JSON form without a \"disclosures\" member", "");
            return None;
        }
        return Some(claims);
    }
    if text.contains('~') {
        seen.kind = Some(TokenKind::SdJwt);
        let p = sdjwt::split_compact(ctx, text)?;
        return verify_sd_jwt(ctx, p, cx, seen);
    }
    seen.kind = Some(TokenKind::Jwt);
    let jws = jws::parse_compact(ctx, text, "")?;
    if let Some(s) = jws.sigs.first() {
        seen.key = Some(key_origin(&s.header, cx));
        if typ_is_sd_jwt(&s.header) {
            seen.kind = Some(TokenKind::SdJwt);
            ctx.fail(&f::SD_FORMAT, Sub::FormatFailure, "the token is an SD-JWT (typ) but has no '~' separator", "");
            return None;
        }
    }
    let claims = verify_jwt_jws(ctx, &jws, cx)?;
    seen.class = Some(TokenClass::Jwt);
    if claims.keys().any(|k| k == "_sd_alg" || k == "_sd") {
        seen.kind = Some(TokenKind::SdJwt);
        seen.class = None;
        ctx.fail(&f::SD_FORMAT, Sub::FormatFailure, "the token is an SD-JWT (_sd claims) but has no '~' separator", "");
        return None;
    }
    Some(claims)
}

fn decode_claims(ctx: &mut Ctx, payload: &[u8]) -> Option<Map<String, Value>> {
    match json::parse_strict(payload) {
        Ok(Value::Object(m)) => Some(m),
        Ok(other) => {
            ctx.fail(
                &f::PAYLOAD_NOT_OBJECT,
                Sub::FormatFailure,
                format!("the payload is {}, not a JSON object of claims", json::kind_name(&other)),
                "/payload",
            );
            None
        }
        Err(e) => {
            jws::json_fail(ctx, &e, "payload", "/payload");
            None
        }
    }
}

fn verify_jwt_jws(ctx: &mut Ctx, jws: &jws::Jws, cx: &VerifyContext<'_>) -> Option<Map<String, Value>> {
    // Explicit typing for plain JWTs (RFC 8725 §3.11), on the first signature's protected header.
    if let Some(s) = jws.sigs.first() {
        check_jwt_typ(ctx, &s.header, cx);
    }
    let payload = jws::verify_jws(ctx, jws, cx, Purpose::Jwt, KeySource::Issuer)?;
    let claims = decode_claims(ctx, &payload)?;
    check_time_claims(ctx, &claims, cx, "/payload");
    check_common_claims(ctx, &claims, cx);
    match (cx.nonce, claims.get("nonce")) {
        (Some(want), Some(Value::String(n))) if n == want => {}
        (Some(want), got) => ctx.fail(
            &f::NONCE_MISMATCH,
            Sub::SigConstraintsFailure,
            format!("nonce {got:?} is not the expected {want:?}"),
            "/payload/nonce",
        ),
        (None, _) => {}
    }
    Some(claims)
}

fn check_jwt_typ(ctx: &mut Ctx, header: &json::Members, cx: &VerifyContext<'_>) {
    let typ = header.get("typ");
    let ok = match (&cx.policy.jwt_typ, typ) {
        (policy::JwtTyp::AbsentOrJwt, None) => true,
        (policy::JwtTyp::AbsentOrJwt, Some(Value::String(t))) => jws::typ_is(t, "jwt"),
        (policy::JwtTyp::OneOf(list), Some(Value::String(t))) => list.iter().any(|w| jws::typ_is(t, w)),
        (policy::JwtTyp::OneOf(_), None) => {
            ctx.fail(&f::TYP_MISSING, Sub::FormatFailure, "the policy requires an explicit typ", "/header/typ");
            return;
        }
        (_, Some(_)) => false,
    };
    if !ok {
        ctx.fail(
            &f::TYP_MISMATCH,
            Sub::FormatFailure,
            format!("typ {typ:?} is not a type this verifier accepts for a JWT"),
            "/header/typ",
        );
    }
}

/// exp, nbf and iat: numeric, checked against the validation time with the policy's leeway
/// (RFC 7519 §4.1.4-4.1.6).
pub(crate) fn check_time_claims(ctx: &mut Ctx, claims: &Map<String, Value>, cx: &VerifyContext<'_>, base: &str) {
    let at = cx.at as f64;
    let leeway = cx.policy.leeway_seconds as f64;
    // One pass over the claims instead of three hashed lookups.
    let (mut exp_v, mut nbf_v, mut iat_v) = (None, None, None);
    for (k, v) in claims {
        match k.as_str() {
            "exp" => exp_v = Some(v),
            "nbf" => nbf_v = Some(v),
            "iat" => iat_v = Some(v),
            _ => {}
        }
    }
    let mut num = |name: &str, v: Option<&Value>| -> Option<f64> {
        match v {
            None => None,
            Some(Value::Number(n)) => n.as_f64(),
            Some(other) => {
                ctx.fail(
                    &f::CLAIM_NOT_NUMERIC,
                    Sub::FormatFailure,
                    format!("{name} is {}, not a NumericDate", json::kind_name(other)),
                    &format!("{base}/{name}"),
                );
                None
            }
        }
    };
    let (exp, nbf, iat) = (num("exp", exp_v), num("nbf", nbf_v), num("iat", iat_v));
    if let Some(exp) = exp {
        if at - leeway >= exp {
            ctx.fail(
                &f::EXP_EXPIRED,
                Sub::Expired,
                format!("expired at {exp} (validation time {at})"),
                &format!("{base}/exp"),
            );
        }
    }
    if let Some(nbf) = nbf {
        if at + leeway < nbf {
            ctx.fail(
                &f::NBF_FUTURE,
                Sub::NotYetValid,
                format!("not valid before {nbf} (validation time {at})"),
                &format!("{base}/nbf"),
            );
        }
    }
    if let Some(iat) = iat {
        if iat > at + leeway {
            ctx.fail(
                &f::IAT_FUTURE,
                Sub::NotYetValid,
                format!("issued at {iat}, after the validation time {at}"),
                &format!("{base}/iat"),
            );
        }
    }
}

/// exp requirement, iss, aud and the policy's required claims.
fn check_common_claims(ctx: &mut Ctx, claims: &Map<String, Value>, cx: &VerifyContext<'_>) {
    if cx.policy.exp == policy::ExpRule::Required && !claims.contains_key("exp") {
        ctx.fail(&f::EXP_MISSING, Sub::SigConstraintsFailure, "the policy requires exp", "/payload/exp");
    }
    if !cx.policy.issuers.is_empty() {
        match claims.get("iss").and_then(Value::as_str) {
            None => ctx.fail(&f::ISS_MISSING, Sub::SigConstraintsFailure, "the token has no iss", "/payload/iss"),
            Some(i) if !cx.policy.issuers.iter().any(|x| x == i) => ctx.fail(
                &f::ISS_NOT_ALLOWED,
                Sub::SigConstraintsFailure,
                format!("issuer {i:?} is not accepted by the policy"),
                "/payload/iss",
            ),
            _ => {}
        }
    }
    if let Some(aud) = claims.get("aud") {
        match cx.audience {
            None => ctx.fail(
                &f::AUD_UNCHECKED,
                Sub::SigConstraintsFailure,
                "the token has aud but no expected audience was given",
                "/payload/aud",
            ),
            Some(want) => {
                let ok = match aud {
                    Value::String(a) => a == want,
                    Value::Array(a) => a.iter().any(|x| x.as_str() == Some(want)),
                    _ => false,
                };
                if !ok {
                    ctx.fail(
                        &f::AUD_MISMATCH,
                        Sub::SigConstraintsFailure,
                        format!("aud does not contain {want:?}"),
                        "/payload/aud",
                    );
                }
            }
        }
    }
    for c in &cx.policy.required_claims {
        if !claims.contains_key(c) {
            match &cx.policy.profile {
                Some(p) => ctx.fail(
                    &f::PROFILE_CLAIM,
                    Sub::SigConstraintsFailure,
                    format!("claim {c:?}, required by profile {p} ([tokens].required_claims), is absent"),
                    &format!("/claims/{c}"),
                ),
                None => ctx.fail(
                    &f::CLAIM_MISSING,
                    Sub::SigConstraintsFailure,
                    format!("required claim {c:?} is absent"),
                    &format!("/claims/{c}"),
                ),
            }
        }
    }
}

fn verify_sd_jwt(
    ctx: &mut Ctx,
    p: sdjwt::Presentation,
    cx: &VerifyContext<'_>,
    seen: &mut Seen,
) -> Option<Map<String, Value>> {
    if p.kb_jwt.is_some() {
        seen.kind = Some(TokenKind::SdJwtKb);
    }
    let header = &p.jws.sigs.first()?.header;
    seen.key = Some(key_origin(header, cx));
    // The issuer-signed JWT's typ: an SD-JWT VC is dc+sd-jwt; a plain SD-JWT may use any
    // "+sd-jwt" type or none, but never another kind's type (RFC 9901 §9.11).
    let typ = header.get("typ").and_then(Value::as_str);
    let payload = jws::verify_jws(ctx, &p.jws, cx, Purpose::Jwt, KeySource::Issuer)?;
    let payload = decode_claims(ctx, &payload)?;
    let is_vc =
        payload.contains_key("vct") || typ.is_some_and(|t| jws::typ_is(t, "dc+sd-jwt") || jws::typ_is(t, "vc+sd-jwt"));
    if is_vc {
        sdjwt::check_vc_header(ctx, header, &payload, cx);
    } else if let Some(t) = typ {
        let l = t.to_ascii_lowercase();
        if !(l == "sd-jwt" || l.ends_with("+sd-jwt") || l.ends_with("/sd-jwt")) {
            ctx.fail(&f::TYP_MISMATCH, Sub::FormatFailure, format!("typ {t:?} is not an SD-JWT type"), "/header/typ");
        }
    }
    let applied = sdjwt::apply_disclosures(ctx, payload, &p.disclosures, cx, is_vc)?;
    let claims = applied.claims;
    check_time_claims(ctx, &claims, cx, "/payload");
    check_common_claims(ctx, &claims, cx);
    match (&p.kb_jwt, applied.sd_alg) {
        (Some(kb), Some(alg)) => sdjwt::verify_kb(ctx, kb, &claims, &p.sd_hash_input, alg, cx),
        (None, _) => {
            if cx.policy.key_binding == policy::KeyBinding::Required {
                match (&cx.policy.profile, cx.policy.profile_key_binding) {
                    (Some(id), true) => ctx.fail(
                        &f::PROFILE_KEY_BINDING,
                        Sub::SigConstraintsFailure,
                        format!("profile {id} requires key binding ([tokens].key_binding) and there is no KB-JWT"),
                        "",
                    ),
                    _ => ctx.fail(
                        &f::KB_MISSING,
                        Sub::SigConstraintsFailure,
                        "key binding is required and there is no KB-JWT",
                        "",
                    ),
                }
            } else if cx.nonce.is_some() {
                ctx.fail(
                    &f::KB_NONCE,
                    Sub::SigConstraintsFailure,
                    "a nonce was expected but there is no KB-JWT to carry it",
                    "",
                );
            }
        }
        _ => {}
    }
    if is_vc && p.kb_jwt.is_some() && !claims.contains_key("cnf") {
        ctx.fail(&f::VC_CNF, Sub::FormatFailure, "key binding is used but the SD-JWT VC has no cnf", "/payload/cnf");
    }
    seen.class = Some(if !is_vc {
        TokenClass::SdJwt
    } else if claims.get("vct").and_then(Value::as_str).is_some_and(|v| v.starts_with(PID_VCT_PREFIX)) {
        TokenClass::Pid
    } else {
        TokenClass::SdJwtVc
    });
    if is_vc {
        sdjwt::check_pid(ctx, &claims, cx);
    } else if cx.policy.pid == policy::PidRule::RequirePid {
        ctx.fail(&f::PID_VCT, Sub::SigConstraintsFailure, "a PID is required and this is not an SD-JWT VC", "");
    }
    Some(claims)
}

/// The outcome of [`verify_jws`]: a JWS with any payload (not necessarily JWT claims).
#[derive(Debug, Clone)]
pub struct JwsReport {
    pub verdict: Verdict,
    pub payload: Option<Vec<u8>>,
}

/// Verifies a JWS (compact or JSON) whose payload is arbitrary bytes, with the same header rules
/// as tokens (unencoded payloads allowed when `b64` is critical). `compact_only` refuses the
/// JSON serialization.
pub fn verify_jws(input: &[u8], cx: &VerifyContext<'_>, compact_only: bool) -> JwsReport {
    let mut ctx = Ctx::default();
    let payload = (|| {
        let text = prepare(&mut ctx, input)?;
        let obj;
        let jws = if text.starts_with('{') && !compact_only {
            obj = match json::parse_object(text.as_bytes()) {
                Ok(o) => o,
                Err(e) => {
                    jws::json_fail(&mut ctx, &e, "JWS JSON serialization", "");
                    return None;
                }
            };
            jws::parse_json(&mut ctx, &obj)?
        } else {
            jws::parse_compact(&mut ctx, text, "")?
        };
        jws::verify_jws(&mut ctx, &jws, cx, Purpose::Generic, KeySource::Issuer)
    })();
    let verdict = ctx.into_verdict();
    let payload = if verdict.is_valid() { payload } else { None };
    JwsReport { verdict, payload }
}

/// What [`inspect`] decodes. NOTHING IN IT IS VERIFIED.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Inspection {
    pub kind: Option<TokenKind>,
    /// The protected header(s).
    pub headers: Vec<Value>,
    /// The issuer-signed payload as decoded, before disclosures.
    pub payload: Option<Value>,
    /// Each disclosure as decoded.
    pub disclosures: Vec<Value>,
    pub kb_jwt_header: Option<Value>,
    pub kb_jwt_payload: Option<Value>,
    /// Problems met while decoding.
    pub problems: Vec<String>,
}

/// Decodes a token without verifying anything.
pub fn inspect(input: &[u8]) -> Inspection {
    let mut out = Inspection {
        kind: None,
        headers: Vec::new(),
        payload: None,
        disclosures: Vec::new(),
        kb_jwt_header: None,
        kb_jwt_payload: None,
        problems: Vec::new(),
    };
    let mut ctx = Ctx::default();
    let Some(text) = prepare(&mut ctx, input) else {
        out.problems = ctx.findings.iter().map(|f| f.to_string()).collect();
        return out;
    };
    let parsed = if text.starts_with('{') { Some(json::parse_object(text.as_bytes())) } else { None };
    let pres = if let Some(parsed) = &parsed {
        match parsed {
            Ok(o) => {
                let sd = o.contains_key("disclosures")
                    || o.contains_key("kb_jwt")
                    || o.get("header").is_some_and(|h| h.get("disclosures").is_some());
                if sd {
                    out.kind = Some(TokenKind::SdJwt);
                    sdjwt::split_json(&mut ctx, o)
                } else {
                    out.kind = Some(TokenKind::JwsJson);
                    jws::parse_json(&mut ctx, o).map(|j| sdjwt::Presentation {
                        jws: j,
                        disclosures: Vec::new(),
                        kb_jwt: None,
                        sd_hash_input: std::borrow::Cow::Borrowed(""),
                    })
                }
            }
            Err(e) => {
                jws::json_fail(&mut ctx, e, "JSON", "");
                None
            }
        }
    } else if text.contains('~') {
        out.kind = Some(TokenKind::SdJwt);
        sdjwt::split_compact(&mut ctx, text)
    } else {
        out.kind = Some(TokenKind::Jwt);
        jws::parse_compact(&mut ctx, text, "").map(|j| sdjwt::Presentation {
            jws: j,
            disclosures: Vec::new(),
            kb_jwt: None,
            sd_hash_input: std::borrow::Cow::Borrowed(""),
        })
    };
    if let Some(p) = pres {
        if p.kb_jwt.is_some() {
            out.kind = Some(TokenKind::SdJwtKb);
        }
        out.headers = p.jws.sigs.iter().map(|s| Value::Object(s.header.to_map())).collect();
        let dec = |s: &str| b64::decode(s).ok().and_then(|b| json::parse_strict(&b).ok());
        out.payload = dec(p.jws.payload_segment);
        if out.payload.is_none() {
            out.problems.push("the payload is not base64url JSON".into());
        }
        for d in &p.disclosures {
            match dec(d) {
                Some(v) => out.disclosures.push(v),
                None => out.problems.push(format!("disclosure {d:?} does not decode")),
            }
        }
        if let Some(kb) = &p.kb_jwt {
            let mut it = kb.split('.');
            out.kb_jwt_header = it.next().and_then(dec);
            out.kb_jwt_payload = it.next().and_then(dec);
        }
    }
    out.problems.extend(ctx.findings.iter().map(|f| f.to_string()));
    out
}
