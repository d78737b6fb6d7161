//! SD-JWT (RFC 9901) with key binding, SD-JWT VC (draft-ietf-oauth-sd-jwt-vc) and the EUDI PID rules.

use crate::ctx::Ctx;
use crate::findings as f;
use crate::json::{self, MAX_JSON_DEPTH};
use crate::jws::{self, decode_b64, json_fail, typ_is, KeySource, Purpose};
use crate::keys::{HmacKeys, VerifyingKey};
use crate::policy::{PidCompleteness, PidRule, VcTyp};
use crate::VerifyContext;
use report::SubIndication as Sub;
use serde_json::{Map, Value};
use sha2::Digest;
use std::collections::{HashMap, HashSet};

/// The most disclosures one presentation may carry (a budget: each costs a hash and a JSON
/// parse; RFC 9901 §9.5 discusses decoys but sets no bound). The EUDI PID has about 30 claims.
pub const MAX_DISCLOSURES: usize = 512;

/// Claims of an SD-JWT VC that must never be selectively disclosed, nor any of their sub-claims
/// (draft-ietf-oauth-sd-jwt-vc §3.2.2.2).
pub const VC_NON_DISCLOSABLE: &[&str] = &["iss", "nbf", "exp", "cnf", "vct", "vct#integrity", "status"];

/// The namespace of EUDI PID types (PID Rulebook §4, ARF PID_14).
pub const PID_VCT_PREFIX: &str = "urn:eudi:pid:";

/// The mandatory PID attributes and metadata in their SD-JWT VC names (PID Rulebook §2.2, §2.4, §4).
pub const PID_MANDATORY: &[&str] = &[
    "family_name",
    "given_name",
    "birthdate",
    "place_of_birth",
    "nationalities",
    "issuing_authority",
    "issuing_country",
];

/// The pieces of an SD-JWT presentation.
pub(crate) struct Presentation {
    pub jws: jws::Jws,
    pub disclosures: Vec<String>,
    pub kb_jwt: Option<String>,
    /// The string sd_hash is taken over (RFC 9901 §4.3.1): the compact SD-JWT up to the last `~`.
    pub sd_hash_input: String,
}

/// Splits a compact SD-JWT `<JWT>~<D1>~...~<Dn>~[<KB-JWT>]` (RFC 9901 §4).
pub(crate) fn split_compact(ctx: &mut Ctx, s: &str) -> Option<Presentation> {
    let Some(last_tilde) = s.rfind('~') else {
        ctx.fail(&f::SD_FORMAT, Sub::FormatFailure, "an SD-JWT has at least one '~'", "");
        return None;
    };
    let (head, kb) = s.split_at(last_tilde + 1);
    let mut parts = head.split('~');
    let jwt = parts.next().unwrap_or_default();
    let mut disclosures = Vec::new();
    for d in parts {
        if d.is_empty() {
            continue; // the final empty element after the last '~'
        }
        disclosures.push(d.to_owned());
    }
    // An empty element between two '~' is malformed: count separators against disclosures.
    if head.matches('~').count() != disclosures.len() + 1 {
        ctx.fail(&f::SD_FORMAT, Sub::FormatFailure, "an empty disclosure between two '~'", "");
        return None;
    }
    if disclosures.len() > MAX_DISCLOSURES {
        ctx.fail(
            &f::SD_TOO_MANY,
            Sub::FormatFailure,
            format!("{} disclosures; at most {MAX_DISCLOSURES} are processed", disclosures.len()),
            "",
        );
        return None;
    }
    let jws = jws::parse_compact(ctx, jwt, "")?;
    Some(Presentation {
        jws,
        disclosures,
        kb_jwt: (!kb.is_empty()).then(|| kb.to_owned()),
        sd_hash_input: head.to_owned(),
    })
}

/// Reads an SD-JWT in JWS JSON serialization (RFC 9901 §8). `disclosures` and `kb_jwt` belong
/// in the (first) unprotected header; the sd-jwt reference implementation 0.10 puts them at the
/// top level, which is accepted too (they are protected by digests and the KB-JWT, not by the
/// JWS), but never both.
pub(crate) fn split_json(ctx: &mut Ctx, obj: &Map<String, Value>) -> Option<Presentation> {
    let jws = jws::parse_json(ctx, obj)?;
    let first_unprotected = jws.sigs.first().and_then(|s| s.unprotected.as_ref());
    let get = |name: &str| -> Result<Option<&Value>, String> {
        match (obj.get(name), first_unprotected.and_then(|u| u.get(name))) {
            (Some(_), Some(_)) => Err(format!("{name:?} is both in the unprotected header and at the top level")),
            (a, b) => Ok(a.or(b)),
        }
    };
    for s in jws.sigs.iter().skip(1) {
        if s.unprotected.as_ref().is_some_and(|u| u.contains_key("disclosures") || u.contains_key("kb_jwt")) {
            ctx.fail(
                &f::SD_FORMAT,
                Sub::FormatFailure,
                "disclosures or kb_jwt outside the first unprotected header",
                &s.path,
            );
            return None;
        }
    }
    let (ds, kb) = match (get("disclosures"), get("kb_jwt")) {
        (Ok(d), Ok(k)) => (d, k),
        (Err(e), _) | (_, Err(e)) => {
            ctx.fail(&f::SD_FORMAT, Sub::FormatFailure, e, "");
            return None;
        }
    };
    let mut disclosures = Vec::new();
    match ds {
        None => {}
        Some(Value::Array(a)) => {
            if a.len() > MAX_DISCLOSURES {
                ctx.fail(&f::SD_TOO_MANY, Sub::FormatFailure, format!("{} disclosures", a.len()), "");
                return None;
            }
            for d in a {
                match d.as_str() {
                    Some(s) if !s.is_empty() => disclosures.push(s.to_owned()),
                    _ => {
                        ctx.fail(&f::SD_FORMAT, Sub::FormatFailure, "a disclosure is not a non-empty string", "");
                        return None;
                    }
                }
            }
        }
        Some(_) => {
            ctx.fail(&f::SD_FORMAT, Sub::FormatFailure, "\"disclosures\" is not an array", "");
            return None;
        }
    }
    let kb_jwt = match kb {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            ctx.fail(&f::SD_FORMAT, Sub::FormatFailure, "\"kb_jwt\" is not a string", "");
            return None;
        }
    };
    let first = jws.sigs.first()?;
    let mut sd_hash_input = format!("{}.{}.{}~", first.protected_b64, jws.payload_segment, first.signature_b64);
    for d in &disclosures {
        sd_hash_input.push_str(d);
        sd_hash_input.push('~');
    }
    Some(Presentation { jws, disclosures, kb_jwt, sd_hash_input })
}

#[derive(Clone, Copy)]
pub(crate) enum SdAlg {
    Sha256,
    Sha384,
    Sha512,
}

impl SdAlg {
    fn from_name(n: &str) -> Option<Self> {
        match n {
            "sha-256" => Some(SdAlg::Sha256),
            "sha-384" => Some(SdAlg::Sha384),
            "sha-512" => Some(SdAlg::Sha512),
            _ => None,
        }
    }
    pub fn digest_b64(self, data: &[u8]) -> String {
        match self {
            SdAlg::Sha256 => crate::b64::encode(&sha2::Sha256::digest(data)),
            SdAlg::Sha384 => crate::b64::encode(&sha2::Sha384::digest(data)),
            SdAlg::Sha512 => crate::b64::encode(&sha2::Sha512::digest(data)),
        }
    }
}

struct Disclosure {
    name: Option<String>,
    value: Value,
    used: bool,
}

/// The result of applying disclosures.
pub(crate) struct Applied {
    pub claims: Map<String, Value>,
    pub sd_alg: Option<SdAlg>,
}

/// RFC 9901 §7.1 steps 2-5: check `_sd_alg`, decode every disclosure, and replace digests in the
/// issuer-signed payload by the disclosed claims, recursively. `is_vc` adds the SD-JWT VC rule
/// that some claims are never disclosable.
pub(crate) fn apply_disclosures(
    ctx: &mut Ctx,
    payload: &Map<String, Value>,
    disclosures: &[String],
    cx: &VerifyContext<'_>,
    is_vc: bool,
) -> Option<Applied> {
    let alg_name = match payload.get("_sd_alg") {
        None => "sha-256",
        Some(Value::String(s)) => s.as_str(),
        Some(_) => {
            ctx.fail(&f::SD_ALG, Sub::FormatFailure, "\"_sd_alg\" is not a string", "/payload/_sd_alg");
            return None;
        }
    };
    let sd_alg = match SdAlg::from_name(alg_name) {
        Some(a) if cx.policy.sd_algs.iter().any(|x| x == alg_name) => a,
        _ => {
            ctx.fail(
                &f::SD_ALG,
                Sub::CryptoConstraintsFailure,
                format!("_sd_alg {alg_name:?} is not an allowed hash algorithm"),
                "/payload/_sd_alg",
            );
            return None;
        }
    };
    let mut ds = Vec::with_capacity(disclosures.len());
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, raw) in disclosures.iter().enumerate() {
        let path = format!("/disclosures/{i}");
        let bytes = decode_b64(ctx, raw, "disclosure", &path)?;
        let v = match json::parse_strict(&bytes) {
            Ok(v) => v,
            Err(e) => {
                json_fail(ctx, &e, "disclosure", &path);
                return None;
            }
        };
        let malformed = |ctx: &mut Ctx, m: &str| {
            ctx.fail(&f::SD_DISCLOSURE_MALFORMED, Sub::FormatFailure, m.to_owned(), &path);
        };
        let Value::Array(mut arr) = v else {
            malformed(ctx, "a disclosure is not a JSON array");
            return None;
        };
        if !arr.first().is_some_and(Value::is_string) {
            malformed(ctx, "the disclosure salt is not a string");
            return None;
        }
        let d = match arr.len() {
            3 => {
                let value = arr.pop().unwrap_or(Value::Null);
                let Some(Value::String(name)) = arr.pop() else {
                    malformed(ctx, "the disclosed claim name is not a string");
                    return None;
                };
                if name == "_sd" || name == "..." {
                    ctx.fail(
                        &f::SD_RESERVED_NAME,
                        Sub::FormatFailure,
                        format!("a disclosure uses the reserved claim name {name:?}"),
                        &path,
                    );
                    return None;
                }
                Disclosure { name: Some(name), value, used: false }
            }
            2 => Disclosure { name: None, value: arr.pop().unwrap_or(Value::Null), used: false },
            n => {
                malformed(ctx, &format!("a disclosure has {n} elements; 2 or 3 are defined"));
                return None;
            }
        };
        let digest = sd_alg.digest_b64(raw.as_bytes());
        if index.insert(digest, i).is_some() {
            ctx.fail(&f::SD_DUPLICATE_DISCLOSURE, Sub::FormatFailure, "the same disclosure is presented twice", &path);
            return None;
        }
        ds.push(d);
    }
    let mut root = Value::Object(payload.clone());
    if let Value::Object(m) = &mut root {
        m.remove("_sd_alg");
    }
    let mut walker = Walker { ds: &mut ds, index: &index, seen: HashSet::new(), is_vc };
    if !walker.walk(ctx, &mut root, 0, "", Scope::Top) {
        return None;
    }
    if let Some(i) = ds.iter().position(|d| !d.used) {
        ctx.fail(
            &f::SD_UNREFERENCED,
            Sub::HashFailure,
            "a disclosure's digest is not referenced by the issuer-signed JWT",
            &format!("/disclosures/{i}"),
        );
        return None;
    }
    match root {
        Value::Object(claims) => Some(Applied { claims, sd_alg: Some(sd_alg) }),
        _ => None,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Top,
    /// Inside a claim an SD-JWT VC never discloses.
    Protected,
    Other,
}

struct Walker<'a> {
    ds: &'a mut Vec<Disclosure>,
    index: &'a HashMap<String, usize>,
    seen: HashSet<String>,
    is_vc: bool,
}

impl Walker<'_> {
    fn digest_once(&mut self, ctx: &mut Ctx, d: &str, path: &str) -> bool {
        if !self.seen.insert(d.to_owned()) {
            ctx.fail(&f::SD_DUPLICATE_DIGEST, Sub::FormatFailure, format!("digest {d} occurs more than once"), path);
            return false;
        }
        true
    }

    fn walk(&mut self, ctx: &mut Ctx, v: &mut Value, depth: usize, path: &str, scope: Scope) -> bool {
        if depth > MAX_JSON_DEPTH {
            ctx.fail(&f::SD_TOO_DEEP, Sub::FormatFailure, format!("claims nest deeper than {MAX_JSON_DEPTH}"), path);
            return false;
        }
        match v {
            Value::Object(m) => {
                if let Some(sd) = m.remove("_sd") {
                    let Value::Array(digests) = sd else {
                        ctx.fail(&f::SD_STRUCTURE, Sub::FormatFailure, "\"_sd\" is not an array", path);
                        return false;
                    };
                    for dg in digests {
                        let Value::String(dg) = dg else {
                            ctx.fail(&f::SD_STRUCTURE, Sub::FormatFailure, "\"_sd\" has a non-string element", path);
                            return false;
                        };
                        if !self.digest_once(ctx, &dg, path) {
                            return false;
                        }
                        let Some(&i) = self.index.get(&dg) else { continue }; // a decoy or undisclosed
                        let Some(d) = self.ds.get_mut(i) else { continue };
                        let Some(name) = d.name.clone() else {
                            ctx.fail(
                                &f::SD_WRONG_KIND,
                                Sub::FormatFailure,
                                "an array-element disclosure is referenced from \"_sd\"",
                                path,
                            );
                            return false;
                        };
                        d.used = true;
                        if self.is_vc && scope == Scope::Protected {
                            ctx.fail(
                                &f::VC_NOT_DISCLOSABLE,
                                Sub::FormatFailure,
                                format!("{name:?} is a sub-claim of a claim an SD-JWT VC never discloses"),
                                path,
                            );
                            return false;
                        }
                        // vct makes the token an SD-JWT VC, so it is checked even before is_vc is known.
                        if scope == Scope::Top
                            && (name == "vct" || (self.is_vc && VC_NON_DISCLOSABLE.contains(&name.as_str())))
                        {
                            ctx.fail(
                                &f::VC_NOT_DISCLOSABLE,
                                Sub::FormatFailure,
                                format!("the SD-JWT VC claim {name:?} is selectively disclosable"),
                                &format!("{path}/{name}"),
                            );
                            return false;
                        }
                        if m.contains_key(&name) {
                            ctx.fail(
                                &f::SD_OVERWRITE,
                                Sub::FormatFailure,
                                format!("a disclosure would overwrite the claim {name:?}"),
                                &format!("{path}/{name}"),
                            );
                            return false;
                        }
                        m.insert(name, d.value.clone());
                    }
                }
                for (k, child) in m.iter_mut() {
                    let child_scope = match scope {
                        Scope::Top if self.is_vc && VC_NON_DISCLOSABLE.contains(&k.as_str()) => Scope::Protected,
                        Scope::Protected => Scope::Protected,
                        _ => Scope::Other,
                    };
                    let p = format!("{path}/{}", k.replace('~', "~0").replace('/', "~1"));
                    if !self.walk(ctx, child, depth + 1, &p, child_scope) {
                        return false;
                    }
                }
                true
            }
            Value::Array(items) => {
                let old = std::mem::take(items);
                for (i, mut item) in old.into_iter().enumerate() {
                    let p = format!("{path}/{i}");
                    let digest = match &item {
                        Value::Object(o) if o.contains_key("...") => match (o.len(), o.get("...")) {
                            (1, Some(Value::String(d))) => Some(d.clone()),
                            _ => {
                                ctx.fail(
                                    &f::SD_STRUCTURE,
                                    Sub::FormatFailure,
                                    "an array element with \"...\" must be {\"...\": \"<digest>\"}",
                                    &p,
                                );
                                return false;
                            }
                        },
                        _ => None,
                    };
                    if let Some(dg) = digest {
                        if !self.digest_once(ctx, &dg, &p) {
                            return false;
                        }
                        let Some(d) = self.index.get(&dg).and_then(|&i| self.ds.get_mut(i)) else {
                            continue; // undisclosed or decoy: the element is removed
                        };
                        if d.name.is_some() {
                            ctx.fail(
                                &f::SD_WRONG_KIND,
                                Sub::FormatFailure,
                                "an object-property disclosure is referenced from an array",
                                &p,
                            );
                            return false;
                        }
                        if self.is_vc && scope == Scope::Protected {
                            ctx.fail(
                                &f::VC_NOT_DISCLOSABLE,
                                Sub::FormatFailure,
                                "an element of a claim an SD-JWT VC never discloses is selectively disclosable",
                                &p,
                            );
                            return false;
                        }
                        d.used = true;
                        item = d.value.clone();
                    }
                    let s = if scope == Scope::Protected { Scope::Protected } else { Scope::Other };
                    if !self.walk(ctx, &mut item, depth + 1, &p, s) {
                        return false;
                    }
                    items.push(item);
                }
                true
            }
            _ => true,
        }
    }
}

/// RFC 9901 §7.3: verify the KB-JWT with the holder key of `cnf.jwk`.
pub(crate) fn verify_kb(
    ctx: &mut Ctx,
    kb: &str,
    claims: &Map<String, Value>,
    sd_hash_input: &str,
    sd_alg: SdAlg,
    cx: &VerifyContext<'_>,
) {
    let path = "/kb_jwt";
    let holder = match claims.get("cnf").and_then(|c| c.get("jwk")).and_then(Value::as_object) {
        Some(jwk) => match VerifyingKey::from_jwk(jwk, HmacKeys::Reject) {
            Ok(k) => k,
            Err(e) => {
                ctx.fail(
                    &f::KB_CNF,
                    Sub::SigConstraintsFailure,
                    format!("cnf.jwk is not a usable key: {e}"),
                    "/payload/cnf",
                );
                return;
            }
        },
        None => {
            ctx.fail(
                &f::KB_CNF,
                Sub::SigConstraintsFailure,
                "a KB-JWT is present but the payload has no cnf.jwk holder key",
                "/payload/cnf",
            );
            return;
        }
    };
    let Some(kb_jws) = jws::parse_compact(ctx, kb, path) else { return };
    let Some(sig) = kb_jws.sigs.first() else { return };
    match sig.header.get("typ").and_then(Value::as_str) {
        Some(t) if typ_is(t, "kb+jwt") => {}
        other => {
            ctx.fail(&f::KB_TYP, Sub::FormatFailure, format!("the KB-JWT typ is {other:?}, not \"kb+jwt\""), path);
            return;
        }
    }
    let mut sub = Ctx::default();
    let payload = jws::verify_jws(&mut sub, &kb_jws, cx, Purpose::Jwt, KeySource::Holder(&holder));
    // Re-label a failing KB signature so the report says which signature failed.
    let sig_failed = payload.is_none();
    ctx.findings.append(&mut sub.findings);
    if sig_failed {
        let s = sub.failure.unwrap_or(Sub::SigCryptoFailure);
        ctx.fail(&f::KB_SIGNATURE, s, "the KB-JWT does not verify with the holder key in cnf.jwk", path);
        return;
    }
    let Some(payload) = payload else { return };
    let Some(kbp) = jws::decode_json_object(ctx, &payload, "KB-JWT payload", path) else { return };
    // sd_hash
    let want = sd_alg.digest_b64(sd_hash_input.as_bytes());
    match kbp.get("sd_hash").and_then(Value::as_str) {
        Some(h) if h == want => {}
        Some(_) => {
            ctx.fail(&f::KB_SD_HASH, Sub::HashFailure, "sd_hash does not match the presented SD-JWT", path);
            return;
        }
        None => {
            ctx.fail(&f::KB_SD_HASH, Sub::FormatFailure, "the KB-JWT has no string sd_hash", path);
            return;
        }
    }
    // iat within the window.
    let leeway = cx.policy.leeway_seconds as f64;
    match kbp.get("iat").and_then(Value::as_f64) {
        None => ctx.fail(&f::KB_IAT, Sub::FormatFailure, "the KB-JWT has no numeric iat", path),
        Some(iat) => {
            let at = cx.at as f64;
            if iat > at + leeway {
                ctx.fail(&f::KB_IAT, Sub::NotYetValid, format!("the KB-JWT iat {iat} is in the future"), path);
            } else if at - iat > cx.policy.kb_max_age_seconds as f64 + leeway {
                ctx.fail(
                    &f::KB_IAT,
                    Sub::Expired,
                    format!("the KB-JWT iat {iat} is older than {} s", cx.policy.kb_max_age_seconds),
                    path,
                );
            }
        }
    }
    match (kbp.get("nonce").and_then(Value::as_str), cx.nonce) {
        (None, _) => ctx.fail(&f::KB_NONCE, Sub::FormatFailure, "the KB-JWT has no string nonce", path),
        (Some(n), Some(want)) if n != want => ctx.fail(
            &f::KB_NONCE,
            Sub::SigConstraintsFailure,
            format!("nonce {n:?} is not the expected {want:?}"),
            path,
        ),
        _ => {}
    }
    let aud_ok = |want: &str| match kbp.get("aud") {
        Some(Value::String(a)) => a == want,
        Some(Value::Array(a)) => a.iter().any(|x| x.as_str() == Some(want)),
        _ => false,
    };
    match (kbp.get("aud"), cx.audience) {
        (None, _) => ctx.fail(&f::KB_AUD, Sub::FormatFailure, "the KB-JWT has no aud", path),
        (Some(_), Some(want)) if !aud_ok(want) => {
            ctx.fail(&f::KB_AUD, Sub::SigConstraintsFailure, format!("aud is not the expected {want:?}"), path)
        }
        _ => {}
    }
    crate::check_time_claims(ctx, &kbp, cx, path);
    if cx.nonce.is_none() && cx.audience.is_none() {
        ctx.note(&f::KB_UNCHECKED, "no expected nonce or audience was given; the KB-JWT may be replayed", path);
    }
}

/// SD-JWT VC header and claim rules (draft-ietf-oauth-sd-jwt-vc §3.2).
pub(crate) fn check_vc_header(
    ctx: &mut Ctx,
    header: &Map<String, Value>,
    payload: &Map<String, Value>,
    cx: &VerifyContext<'_>,
) {
    match header.get("typ").and_then(Value::as_str) {
        Some(t) if typ_is(t, "dc+sd-jwt") => {}
        Some(t) if typ_is(t, "vc+sd-jwt") && cx.policy.vc_typ == VcTyp::AllowLegacyVcSdJwt => {
            ctx.note(&f::VC_TYP_LEGACY, "the legacy typ \"vc+sd-jwt\" is accepted by option", "/header/typ");
        }
        other => ctx.fail(
            &f::VC_TYP,
            Sub::FormatFailure,
            format!("an SD-JWT VC must have typ \"dc+sd-jwt\"; it has {other:?}"),
            "/header/typ",
        ),
    }
    if !payload.get("vct").is_some_and(Value::is_string) {
        ctx.fail(&f::VC_VCT, Sub::FormatFailure, "an SD-JWT VC has no plain string \"vct\"", "/payload/vct");
    }
}

/// EUDI PID rules on the processed claims (PID Rulebook §2, §4).
pub(crate) fn check_pid(ctx: &mut Ctx, claims: &Map<String, Value>, cx: &VerifyContext<'_>) {
    let vct = claims.get("vct").and_then(Value::as_str);
    let is_pid = vct.is_some_and(|v| v.starts_with(PID_VCT_PREFIX));
    if !is_pid {
        if cx.policy.pid == PidRule::RequirePid {
            ctx.fail(
                &f::PID_VCT,
                Sub::SigConstraintsFailure,
                format!("a PID is required; vct {vct:?} is not in {PID_VCT_PREFIX}"),
                "/payload/vct",
            );
        }
        return;
    }
    if !claims.contains_key("exp") {
        ctx.fail(
            &f::PID_EXP,
            Sub::SigConstraintsFailure,
            "a PID has no exp (technical validity period)",
            "/payload/exp",
        );
    }
    if cx.policy.pid_completeness == PidCompleteness::IssuedCredential {
        for a in PID_MANDATORY {
            if !claims.contains_key(*a) {
                ctx.fail(
                    &f::PID_ATTRIBUTE,
                    Sub::SigConstraintsFailure,
                    format!("mandatory PID attribute {a} is absent"),
                    &format!("/claims/{a}"),
                );
            }
        }
    }
    let is_cc = |v: &Value| v.as_str().is_some_and(|s| s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase()));
    let mut bad = |name: &str, why: &str| {
        ctx.fail(
            &f::PID_FORMAT,
            Sub::FormatFailure,
            format!("PID attribute {name}: {why}"),
            &format!("/claims/{name}"),
        );
    };
    if let Some(b) = claims.get("birthdate") {
        let ok = b.as_str().is_some_and(|s| {
            let by = s.as_bytes();
            by.len() == 10
                && by.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() })
        });
        if !ok {
            bad("birthdate", "not an ISO 8601 YYYY-MM-DD string");
        }
    }
    if let Some(n) = claims.get("nationalities") {
        if !n.as_array().is_some_and(|a| !a.is_empty() && a.iter().all(is_cc)) {
            bad("nationalities", "not a non-empty array of alpha-2 country codes");
        }
    }
    if let Some(p) = claims.get("place_of_birth") {
        if !p.as_object().is_some_and(|o| ["country", "region", "locality"].iter().any(|k| o.contains_key(*k))) {
            bad("place_of_birth", "not an object with country, region or locality");
        }
    }
    if let Some(c) = claims.get("issuing_country") {
        if !is_cc(c) {
            bad("issuing_country", "not an alpha-2 country code");
        }
    }
}
