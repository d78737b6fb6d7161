//! JWS parsing and verification: compact (RFC 7515 §7.1) and JSON (§7.2, general and flattened).

use crate::b64;
use crate::ctx::Ctx;
use crate::findings as f;
use crate::json::{self, JsonError, Members};
use crate::keys::{Alg, HmacKeys, KeyError, SigError, VerifyingKey};
use crate::policy::MultiSignature;
use crate::x5c::{RequiredUsage, MAX_X5C_CERTS};
use crate::VerifyContext;
use report::SubIndication as Sub;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// The most signatures one JWS JSON serialization may carry (a budget on signature checks;
/// RFC 8725 §2.1 on resource exhaustion). eID tokens carry one.
pub const MAX_SIGNATURES: usize = 8;

/// Header Parameter names registered by RFC 7515 and RFC 7518 that `crit` must not list
/// (RFC 7515 §4.1.11).
const REGISTERED: &[&str] = &[
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit", "enc", "zip", "epk", "apu",
    "apv", "iv", "tag", "p2s", "p2c",
];

/// The `crit` extensions this verifier processes.
const UNDERSTOOD_CRIT: &[&str] = &["b64"];

/// Unprotected header members that SD-JWT's JSON serialization defines (RFC 9901 §8.1); they are
/// protected by digests and the KB-JWT, not by the JWS.
pub(crate) const SD_JWT_UNPROTECTED: &[&str] = &["disclosures", "kb_jwt"];

/// One signature of a JWS. The base64url segments are slices of the token (compact) or of its
/// parsed JSON (JSON serialization): nothing is copied.
#[derive(Debug, Clone)]
pub(crate) struct Sig<'a> {
    pub protected_b64: &'a str,
    /// The protected header's members (unique names; RFC 7515 §4).
    pub header: Members,
    pub unprotected: Option<&'a Map<String, Value>>,
    pub signature_b64: &'a str,
    pub signature: Vec<u8>,
    pub path: Cow<'static, str>,
    /// The JWS Signing Input (RFC 7515 §5.1 step 5) when it is a slice of the token: in the
    /// compact serialization, everything before the last '.'.
    pub signing_input: Option<&'a str>,
}

/// A parsed JWS whose payload is not yet decoded (that needs `b64` from the header).
#[derive(Debug, Clone)]
pub(crate) struct Jws<'a> {
    pub payload_segment: &'a str,
    pub sigs: Vec<Sig<'a>>,
}

/// Why the payload is being verified: a JWT must have a base64url payload (RFC 7797 §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    Jwt,
    Generic,
}

/// Where the verification key comes from.
#[derive(Clone, Copy)]
pub(crate) enum KeySource<'a> {
    /// The caller's keys, or an x5c chain validated by the caller's chain validator.
    Issuer,
    /// The holder key from `cnf.jwk` (KB-JWT).
    Holder(&'a VerifyingKey),
}

pub(crate) fn json_fail(ctx: &mut Ctx, e: &JsonError, what: &str, path: &str) {
    let def = match e {
        JsonError::DuplicateMember { .. } => &f::JSON_DUPLICATE,
        JsonError::TooDeep { .. } => &f::JSON_TOO_DEEP,
        JsonError::TooLarge { .. } => &f::JSON_TOO_LARGE,
        JsonError::Syntax(_) => &f::JSON_INVALID,
    };
    ctx.fail(def, Sub::FormatFailure, format!("{what}: {e}"), path);
}

/// Decodes a base64url segment; `path` is only rendered when it fails.
pub(crate) fn decode_b64(ctx: &mut Ctx, s: &str, what: &str, path: impl FnOnce() -> String) -> Option<Vec<u8>> {
    match b64::decode(s) {
        Ok(v) => Some(v),
        Err(e) => {
            ctx.fail(&f::B64_INVALID, Sub::FormatFailure, format!("{what}: {e}"), &path());
            None
        }
    }
}

pub(crate) fn decode_json_object(ctx: &mut Ctx, bytes: &[u8], what: &str, path: &str) -> Option<Map<String, Value>> {
    match json::parse_object(bytes) {
        Ok(m) => Some(m),
        Err(e) => {
            json_fail(ctx, &e, what, path);
            None
        }
    }
}

fn decode_header(ctx: &mut Ctx, s: &str, base: &str, suffix: &str) -> Option<Members> {
    let mut buf = Vec::new();
    if let Err(e) = b64::decode_into(s, &mut buf) {
        ctx.fail(&f::B64_INVALID, Sub::FormatFailure, format!("protected header: {e}"), &format!("{base}{suffix}"));
        return None;
    }
    match json::parse_members(&buf) {
        Ok(m) => Some(m),
        Err(e) => {
            json_fail(ctx, &e, "protected header", &format!("{base}{suffix}"));
            None
        }
    }
}

/// Splits a compact JWS into its three parts (RFC 7515 §7.1).
pub(crate) fn parse_compact<'a>(ctx: &mut Ctx, s: &'a str, path: &'static str) -> Option<Jws<'a>> {
    let mut parts = s.split('.');
    let (Some(h), Some(p), Some(sg), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        let n = s.split('.').count();
        ctx.fail(
            &f::COMPACT_MALFORMED,
            Sub::FormatFailure,
            format!("a compact JWS has 3 dot-separated parts; this one has {n}"),
            path,
        );
        return None;
    };
    if h.is_empty() {
        ctx.fail(&f::COMPACT_MALFORMED, Sub::FormatFailure, "the protected header is empty", path);
        return None;
    }
    let header = decode_header(ctx, h, path, "/header")?;
    let signature = decode_b64(ctx, sg, "signature", || format!("{path}/signature"))?;
    // Three parts: the signing input is the token up to the last '.'.
    let signing_input = s.get(..h.len() + 1 + p.len());
    Some(Jws {
        payload_segment: p,
        sigs: vec![Sig {
            protected_b64: h,
            header,
            unprotected: None,
            signature_b64: sg,
            signature,
            path: Cow::Borrowed(path),
            signing_input,
        }],
    })
}

/// Reads a JWS JSON serialization (RFC 7515 §7.2), general or flattened.
pub(crate) fn parse_json<'a>(ctx: &mut Ctx, obj: &'a Map<String, Value>) -> Option<Jws<'a>> {
    let malformed = |ctx: &mut Ctx, msg: &str| {
        ctx.fail(&f::JSON_SERIALIZATION_MALFORMED, Sub::FormatFailure, msg.to_owned(), "");
    };
    let Some(payload) = obj.get("payload").and_then(Value::as_str) else {
        malformed(ctx, "the JWS JSON serialization has no string \"payload\" member");
        return None;
    };
    let entries: Vec<(&Map<String, Value>, Cow<'static, str>)> = match (obj.get("signatures"), obj.get("signature")) {
        (Some(_), Some(_)) => {
            malformed(ctx, "\"signatures\" (general) and \"signature\" (flattened) are both present");
            return None;
        }
        (Some(Value::Array(arr)), None) => {
            if obj.contains_key("protected") || obj.contains_key("header") {
                malformed(ctx, "the general serialization has a top-level \"protected\" or \"header\"");
                return None;
            }
            if arr.is_empty() {
                malformed(ctx, "\"signatures\" is empty");
                return None;
            }
            if arr.len() > MAX_SIGNATURES {
                ctx.fail(
                    &f::SIGNATURES_TOO_MANY,
                    Sub::FormatFailure,
                    format!("{} signatures; at most {MAX_SIGNATURES} are processed", arr.len()),
                    "/signatures",
                );
                return None;
            }
            let mut out = Vec::new();
            for (i, e) in arr.iter().enumerate() {
                let Some(m) = e.as_object() else {
                    malformed(ctx, "an element of \"signatures\" is not an object");
                    return None;
                };
                out.push((m, Cow::Owned(format!("/signatures/{i}"))));
            }
            out
        }
        (None, Some(_)) => vec![(obj, Cow::Borrowed(""))],
        _ => {
            malformed(ctx, "no \"signatures\" array and no \"signature\" member");
            return None;
        }
    };
    let mut sigs = Vec::new();
    for (m, path) in entries {
        // A signature without a protected header is read (RFC 7515 §7.2.1 allows it) and then
        // refused by the header checks: nothing about its algorithm is integrity protected.
        let (prot, header) = match m.get("protected") {
            None => ("", Members::default()),
            Some(Value::String(p)) => (p.as_str(), decode_header(ctx, p, &path, "/protected")?),
            Some(_) => {
                malformed(ctx, "\"protected\" is not a string");
                return None;
            }
        };
        let unprotected = match m.get("header") {
            None => None,
            Some(Value::Object(u)) => Some(u),
            Some(_) => {
                malformed(ctx, "\"header\" is not a JSON object");
                return None;
            }
        };
        let Some(sg) = m.get("signature").and_then(Value::as_str) else {
            malformed(ctx, "a signature entry has no string \"signature\"");
            return None;
        };
        let signature = decode_b64(ctx, sg, "signature", || format!("{path}/signature"))?;
        sigs.push(Sig {
            protected_b64: prot,
            header,
            unprotected,
            signature_b64: sg,
            signature,
            path,
            signing_input: None,
        });
    }
    Some(Jws { payload_segment: payload, sigs })
}

/// Media-type comparison for `typ` (RFC 7515 §4.1.9): case-insensitive, `application/` optional.
pub(crate) fn typ_is(typ: &str, want: &str) -> bool {
    let t = typ.trim();
    let t = if t.len() > 12 && t.get(..12).is_some_and(|p| p.eq_ignore_ascii_case("application/")) {
        t.get(12..).unwrap_or(t)
    } else {
        t
    };
    t.eq_ignore_ascii_case(want)
}

/// The checks on one signature's headers (RFC 7515 §4, §7.2.1; RFC 7797; RFC 8725 §3.1).
/// Returns the algorithm and the `b64` value when the headers are acceptable.
pub(crate) fn check_header(ctx: &mut Ctx, sig: &Sig, cx: &VerifyContext<'_>, purpose: Purpose) -> Option<(Alg, bool)> {
    let h = &sig.header;
    let p = &sig.path;
    let empty = Map::new();
    let u = sig.unprotected.unwrap_or(&empty);
    if let Some(name) = h.keys().find(|k| u.contains_key(*k)) {
        ctx.fail(
            &f::HEADER_NOT_DISJOINT,
            Sub::FormatFailure,
            format!("header parameter {name:?} is in both the protected and the unprotected header"),
            p,
        );
        return None;
    }
    // alg: protected only.
    let alg = match h.get("alg") {
        Some(Value::String(name)) => name.as_str(),
        Some(_) => {
            ctx.fail(&f::ALG_MISSING, Sub::FormatFailure, "\"alg\" is not a string", p);
            return None;
        }
        None if u.contains_key("alg") => {
            ctx.fail(
                &f::ALG_UNPROTECTED,
                Sub::SigConstraintsFailure,
                "\"alg\" is only in the unprotected header, which is never trusted",
                p,
            );
            return None;
        }
        None => {
            ctx.fail(&f::ALG_MISSING, Sub::FormatFailure, "the protected header has no \"alg\"", p);
            return None;
        }
    };
    if alg == "none" {
        ctx.fail(&f::ALG_NONE, Sub::SigConstraintsFailure, "alg \"none\": an unsecured JWS is never accepted", p);
        return None;
    }
    let Some(alg) = Alg::from_name(alg) else {
        ctx.fail(
            &f::ALG_UNSUPPORTED,
            Sub::SigConstraintsFailure,
            format!("alg {alg:?} is not a supported signature algorithm (names are case-sensitive)"),
            p,
        );
        return None;
    };
    if alg.is_hmac() && cx.policy.hmac == HmacKeys::Reject {
        ctx.fail(&f::ALG_HMAC, Sub::SigConstraintsFailure, format!("{alg}: HMAC is not accepted for eID tokens"), p);
        return None;
    }
    if !cx.policy.allowed_algs.contains(&alg) {
        match &cx.policy.profile {
            Some(id) => ctx.fail(
                &f::PROFILE_ALG,
                Sub::SigConstraintsFailure,
                format!("{alg} is not among the JWS algorithms profile {id} accepts"),
                p,
            ),
            None => ctx.fail(
                &f::ALG_NOT_ALLOWED,
                Sub::SigConstraintsFailure,
                format!("{alg} is not allowed by the policy"),
                p,
            ),
        }
        return None;
    }
    // crit (RFC 7515 §4.1.11): protected, non-empty, distinct, not registered, present, understood.
    if u.contains_key("crit") {
        ctx.fail(&f::CRIT_INVALID, Sub::FormatFailure, "\"crit\" is in the unprotected header", p);
        return None;
    }
    let mut crit: Vec<&str> = Vec::new();
    if let Some(c) = h.get("crit") {
        let Some(arr) = c.as_array().filter(|a| !a.is_empty()) else {
            ctx.fail(&f::CRIT_INVALID, Sub::FormatFailure, "\"crit\" is not a non-empty array", p);
            return None;
        };
        for v in arr {
            let Some(name) = v.as_str() else {
                ctx.fail(&f::CRIT_INVALID, Sub::FormatFailure, "\"crit\" has a non-string element", p);
                return None;
            };
            if crit.contains(&name) || REGISTERED.contains(&name) || !h.contains_key(name) {
                ctx.fail(
                    &f::CRIT_INVALID,
                    Sub::FormatFailure,
                    format!(
                        "\"crit\" lists {name:?}, which is repeated, registered or absent from the protected header"
                    ),
                    p,
                );
                return None;
            }
            if !UNDERSTOOD_CRIT.contains(&name) {
                ctx.fail(
                    &f::CRIT_UNSUPPORTED,
                    Sub::FormatFailure,
                    format!("\"crit\" lists {name:?}, an extension this verifier does not process"),
                    p,
                );
                return None;
            }
            crit.push(name);
        }
    }
    // b64 (RFC 7797 §3, §6).
    if u.contains_key("b64") {
        ctx.fail(&f::B64_NOT_CRITICAL, Sub::FormatFailure, "\"b64\" is in the unprotected header", p);
        return None;
    }
    let b64 = match h.get("b64") {
        None => true,
        Some(Value::Bool(b)) => {
            if !crit.contains(&"b64") {
                ctx.fail(&f::B64_NOT_CRITICAL, Sub::FormatFailure, "\"b64\" is used but not listed in \"crit\"", p);
                return None;
            }
            *b
        }
        Some(_) => {
            ctx.fail(&f::B64_INVALID_VALUE, Sub::FormatFailure, "\"b64\" is not a boolean", p);
            return None;
        }
    };
    if !b64 && purpose == Purpose::Jwt {
        ctx.fail(&f::B64_FALSE_JWT, Sub::FormatFailure, "b64 false: a JWT payload must be base64url encoded", p);
        return None;
    }
    for name in ["jku", "x5u"] {
        if h.contains_key(name) {
            ctx.note(&f::REMOTE_KEY_IGNORED, format!("\"{name}\" is present and is not fetched"), p);
        }
    }
    for name in ["jku", "x5u"] {
        if u.contains_key(name) {
            ctx.note(&f::REMOTE_KEY_IGNORED, format!("\"{name}\" is present and is not fetched"), p);
        }
    }
    if h.contains_key("jwk") || u.contains_key("jwk") {
        ctx.note(&f::EMBEDDED_JWK_IGNORED, "the \"jwk\" header key is ignored; only configured keys verify", p);
    }
    if u.keys().any(|k| !SD_JWT_UNPROTECTED.contains(&k.as_str())) {
        let ignored: Vec<&String> = u.keys().filter(|k| !SD_JWT_UNPROTECTED.contains(&k.as_str())).collect();
        ctx.note(
            &f::HEADER_UNPROTECTED_IGNORED,
            format!("unprotected header parameters {ignored:?} are not integrity protected and are ignored"),
            p,
        );
    }
    Some((alg, b64))
}

fn sig_fail(ctx: &mut Ctx, e: SigError, key: &VerifyingKey, path: &str) {
    let (def, sub) = match e {
        SigError::EcdsaRange => (&f::SIGNATURE_ECDSA_RANGE, Sub::SigCryptoFailure),
        SigError::Length { .. } => (&f::SIGNATURE_LENGTH, Sub::SigCryptoFailure),
        SigError::WrongAlg { .. } => (&f::ALG_KEY_MISMATCH, Sub::SigConstraintsFailure),
        SigError::Invalid => (&f::SIGNATURE_INVALID, Sub::SigCryptoFailure),
    };
    let kid = key.kid.as_deref().map(|k| format!(" (kid {k:?})")).unwrap_or_default();
    ctx.fail(def, sub, format!("{} key{kid}: {e}", key.type_name()), path);
}

/// Verifies one signature: finds the key (configured keys by kid, a validated x5c chain, or the
/// holder key) and checks the algorithm against it before any cryptography.
pub(crate) fn verify_sig(
    ctx: &mut Ctx,
    sig: &Sig,
    alg: Alg,
    payload_segment: &str,
    cx: &VerifyContext<'_>,
    source: KeySource<'_>,
) -> bool {
    let p = &sig.path;
    let signing_input: Cow<'_, [u8]> = match sig.signing_input {
        Some(s) => Cow::Borrowed(s.as_bytes()),
        None => {
            let mut v = Vec::with_capacity(sig.protected_b64.len() + 1 + payload_segment.len());
            v.extend_from_slice(sig.protected_b64.as_bytes());
            v.push(b'.');
            v.extend_from_slice(payload_segment.as_bytes());
            Cow::Owned(v)
        }
    };

    let holder;
    let x5c_key;
    // The key(s) to try: one (the holder key or the validated x5c leaf), or the configured keys
    // that fit the kid and the algorithm (iterated, not collected).
    let mut configured: Option<Option<&str>> = None;
    let single: Option<&VerifyingKey> = match source {
        KeySource::Holder(k) => {
            holder = k;
            Some(holder)
        }
        KeySource::Issuer => {
            if let (Some(x5c), Some(validator)) = (sig.header.get("x5c"), cx.chain_validator) {
                let Some(chain) = parse_x5c(ctx, x5c, p) else { return false };
                let verdict = validator.validate(&chain, cx.at, RequiredUsage::DigitalSignature);
                let ok = verdict.is_valid();
                let sub = verdict.sub_indication.unwrap_or(Sub::CertificateChainGeneralFailure);
                ctx.findings.extend(verdict.findings);
                if !ok {
                    ctx.fail(&f::X5C_CHAIN, sub, "the x5c chain does not validate to a configured anchor", p);
                    return false;
                }
                let leaf = chain.first().map(Vec::as_slice).unwrap_or_default();
                let key = x509_parser::parse_x509_certificate(leaf)
                    .map_err(|e| KeyError::Der(e.to_string()))
                    .and_then(|(_, c)| VerifyingKey::from_spki(c.public_key()));
                match key {
                    Ok(k) => x5c_key = k,
                    // RFC 7518 §3.3: RSA keys of 2048 bits or more (a configured key that small
                    // is a caller error; one in a token's certificate makes the token invalid).
                    Err(e @ KeyError::RsaSize { .. }) => {
                        ctx.fail(
                            &f::KEY_RSA_TOO_SMALL,
                            Sub::CryptoConstraintsFailure,
                            format!("the x5c leaf key: {e}"),
                            p,
                        );
                        return false;
                    }
                    Err(e) => {
                        ctx.fail(&f::X5C_INVALID, Sub::FormatFailure, format!("the x5c leaf key: {e}"), p);
                        return false;
                    }
                }
                Some(&x5c_key)
            } else {
                let kid = match sig.header.get("kid") {
                    None => None,
                    Some(Value::String(k)) => Some(k.as_str()),
                    Some(other) => {
                        // kid is only a hint; the header is signed, so a non-string kid (the
                        // sd-jwt reference implementation's header_mod case) is ignored, not fatal.
                        ctx.note(
                            &f::KID_NOT_STRING,
                            format!("\"kid\" is {other}, not a string; ignored for lookup"),
                            p,
                        );
                        None
                    }
                };
                if cx.keys.is_empty() {
                    let (def, msg) = if sig.header.contains_key("x5c") {
                        (&f::X5C_UNAVAILABLE, "the token carries x5c but no anchors are configured to validate it")
                    } else {
                        (&f::KEY_NOT_FOUND, "no verification key is configured")
                    };
                    ctx.fail(def, Sub::NoSignerCertificateFound, msg, p);
                    return false;
                }
                if let Some(k) = kid {
                    if !cx.keys.has_kid(k) {
                        ctx.fail(
                            &f::KID_UNKNOWN,
                            Sub::NoSignerCertificateFound,
                            format!("no configured key has kid {k:?}"),
                            p,
                        );
                        return false;
                    }
                }
                if cx.keys.candidate_iter(kid, alg).next().is_none() {
                    ctx.fail(
                        &f::ALG_KEY_MISMATCH,
                        Sub::SigConstraintsFailure,
                        format!(
                            "no configured key{} is a key for {alg}",
                            kid.map(|k| format!(" with kid {k:?}")).unwrap_or_default()
                        ),
                        p,
                    );
                    return false;
                }
                configured = Some(kid);
                None
            }
        }
    };
    let candidates = single.into_iter().chain(configured.into_iter().flat_map(|kid| cx.keys.candidate_iter(kid, alg)));
    let mut first_err = None;
    for key in candidates {
        match key.verify(alg, &signing_input, &sig.signature) {
            Ok(()) => return true,
            Err(e) => {
                if first_err.is_none() {
                    first_err = Some((e, key));
                }
            }
        }
    }
    if let Some((e, key)) = first_err {
        sig_fail(ctx, e, key, p);
    }
    false
}

fn parse_x5c(ctx: &mut Ctx, v: &Value, path: &str) -> Option<Vec<Vec<u8>>> {
    let bad = |ctx: &mut Ctx, m: String| ctx.fail(&f::X5C_INVALID, Sub::FormatFailure, m, path);
    let Some(arr) = v.as_array().filter(|a| !a.is_empty()) else {
        bad(ctx, "\"x5c\" is not a non-empty array".into());
        return None;
    };
    if arr.len() > MAX_X5C_CERTS {
        bad(ctx, format!("\"x5c\" has {} certificates; at most {MAX_X5C_CERTS}", arr.len()));
        return None;
    }
    let mut out = Vec::new();
    for (i, c) in arr.iter().enumerate() {
        match c.as_str().map(b64::decode_std) {
            Some(Ok(der)) => out.push(der),
            _ => {
                bad(ctx, format!("x5c[{i}] is not standard base64 DER"));
                return None;
            }
        }
    }
    Some(out)
}

/// Checks the headers of every signature, applies the multi-signature policy and verifies.
/// Returns the decoded payload when the JWS verified.
pub(crate) fn verify_jws(
    ctx: &mut Ctx,
    jws: &Jws,
    cx: &VerifyContext<'_>,
    purpose: Purpose,
    source: KeySource<'_>,
) -> Option<Vec<u8>> {
    if jws.sigs.len() > 1 && cx.policy.multi_signature == MultiSignature::RejectMultiple {
        ctx.fail(
            &f::SIGNATURES_MULTIPLE,
            Sub::SigConstraintsFailure,
            format!("{} signatures; the policy accepts exactly one", jws.sigs.len()),
            "/signatures",
        );
        return None;
    }
    // Header checks first: the b64 value decides how the payload reads (RFC 7797 §3).
    let mut checked = Vec::new();
    let mut b64_value = None;
    for sig in &jws.sigs {
        let mut sub = Ctx::default();
        let r = check_header(&mut sub, sig, cx, purpose);
        if let Some((_, b)) = r {
            if b64_value.is_some_and(|v| v != b) {
                ctx.fail(
                    &f::JSON_SERIALIZATION_MALFORMED,
                    Sub::FormatFailure,
                    "the signatures disagree on \"b64\" (RFC 7797 §3)",
                    &sig.path,
                );
                return None;
            }
            b64_value = Some(b);
        }
        checked.push((sig, r, sub));
    }
    if b64_value.is_none() {
        // Every signature's header was refused: report that, not the payload it would govern.
        for (_, _, sub) in checked {
            merge(ctx, sub);
        }
        return None;
    }
    let b64 = b64_value.unwrap_or(true);
    let payload = if b64 {
        match b64::decode(jws.payload_segment) {
            Ok(p) => p,
            Err(e) => {
                ctx.fail(&f::B64_INVALID, Sub::FormatFailure, format!("payload: {e}"), "/payload");
                return None;
            }
        }
    } else {
        jws.payload_segment.as_bytes().to_vec()
    };
    let mut verified = 0usize;
    let mut failures = Vec::new();
    for (sig, r, mut sub) in checked {
        let ok = match r {
            Some((alg, _)) => verify_sig(&mut sub, sig, alg, jws.payload_segment, cx, source),
            None => false,
        };
        if ok {
            verified += 1;
            ctx.findings.append(&mut sub.findings);
        } else {
            failures.push((sig, sub));
        }
    }
    let allow_any = cx.policy.multi_signature == MultiSignature::AllowAnyOne;
    if failures.is_empty() || (allow_any && verified > 0) {
        for (sig, sub) in failures {
            let why = sub.findings.iter().map(|x| &*x.id).collect::<Vec<_>>().join(", ");
            ctx.note(
                &f::SIGNATURE_NOT_COUNTED,
                format!("this signature did not verify ({why}); another one did and the policy accepts any one"),
                &sig.path,
            );
        }
        return Some(payload);
    }
    for (_, sub) in failures {
        merge(ctx, sub);
    }
    None
}

fn merge(ctx: &mut Ctx, sub: Ctx) {
    ctx.findings.extend(sub.findings);
    if ctx.failure.is_none() {
        ctx.failure = sub.failure;
    }
}
