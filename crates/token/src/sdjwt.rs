//! SD-JWT (RFC 9901) with key binding, SD-JWT VC (draft-ietf-oauth-sd-jwt-vc) and the EUDI PID rules.

use crate::ctx::Ctx;
use crate::findings as f;
use crate::json::{self, MAX_JSON_DEPTH};
use crate::jws::{self, json_fail, typ_is, KeySource, Purpose};
use crate::keys::{HmacKeys, VerifyingKey};
use crate::policy::{PidCompleteness, PidRule, VcTyp};
use crate::VerifyContext;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use report::SubIndication as Sub;
use serde_json::map::Entry;
use serde_json::{Map, Value};
use std::borrow::Cow;

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

/// The pieces of an SD-JWT presentation, as slices of the token (compact) or of its parsed JSON.
pub(crate) struct Presentation<'a> {
    pub jws: jws::Jws<'a>,
    pub disclosures: Vec<&'a str>,
    pub kb_jwt: Option<&'a str>,
    /// The string sd_hash is taken over (RFC 9901 §4.3.1): the compact SD-JWT up to the last
    /// `~` — a slice of a compact token; rebuilt for the JSON serialization (RFC 9901 §8.1).
    pub sd_hash_input: Cow<'a, str>,
}

/// Splits a compact SD-JWT `<JWT>~<D1>~...~<Dn>~[<KB-JWT>]` (RFC 9901 §4).
pub(crate) fn split_compact<'a>(ctx: &mut Ctx, s: &'a str) -> Option<Presentation<'a>> {
    let Some(last_tilde) = s.rfind('~') else {
        ctx.fail(&f::SD_FORMAT, Sub::FormatFailure, "an SD-JWT has at least one '~'", "");
        return None;
    };
    let (head, kb) = s.split_at(last_tilde + 1);
    // One pass over `<JWT>~<D1>~...~<Dn>` (head without its last '~'): no element may be empty.
    let mut parts = head.get(..last_tilde).unwrap_or_default().split('~');
    let jwt = parts.next().unwrap_or_default();
    let mut disclosures = Vec::with_capacity(16);
    for d in parts {
        if d.is_empty() {
            ctx.fail(&f::SD_FORMAT, Sub::FormatFailure, "an empty disclosure between two '~'", "");
            return None;
        }
        if disclosures.len() == MAX_DISCLOSURES {
            let n = head.matches('~').count().saturating_sub(1);
            ctx.fail(
                &f::SD_TOO_MANY,
                Sub::FormatFailure,
                format!("{n} disclosures; at most {MAX_DISCLOSURES} are processed"),
                "",
            );
            return None;
        }
        disclosures.push(d);
    }
    let jws = jws::parse_compact(ctx, jwt, "")?;
    Some(Presentation { jws, disclosures, kb_jwt: (!kb.is_empty()).then_some(kb), sd_hash_input: Cow::Borrowed(head) })
}

/// Reads an SD-JWT in JWS JSON serialization (RFC 9901 §8). `disclosures` and `kb_jwt` belong
/// in the (first) unprotected header; the sd-jwt reference implementation 0.10 puts them at the
/// top level, which is accepted too (they are protected by digests and the KB-JWT, not by the
/// JWS), but never both.
pub(crate) fn split_json<'a>(ctx: &mut Ctx, obj: &'a Map<String, Value>) -> Option<Presentation<'a>> {
    let jws = jws::parse_json(ctx, obj)?;
    let first_unprotected = jws.sigs.first().and_then(|s| s.unprotected);
    let get = |name: &str| -> Result<Option<&'a Value>, String> {
        match (obj.get(name), first_unprotected.and_then(|u| u.get(name))) {
            (Some(_), Some(_)) => Err(format!("{name:?} is both in the unprotected header and at the top level")),
            (a, b) => Ok(a.or(b)),
        }
    };
    for s in jws.sigs.iter().skip(1) {
        if s.unprotected.is_some_and(|u| u.contains_key("disclosures") || u.contains_key("kb_jwt")) {
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
                    Some(s) if !s.is_empty() => disclosures.push(s),
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
        Some(Value::String(s)) => Some(s.as_str()),
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
    Some(Presentation { jws, disclosures, kb_jwt, sd_hash_input: Cow::Owned(sd_hash_input) })
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
    /// The base64url digest of `data` (RFC 9901 §4.2.3), on the stack.
    pub fn digest(self, data: &[u8]) -> DigestB64 {
        let mut out = DigestB64 { buf: [0; 86], len: 0 };
        let alg = match self {
            SdAlg::Sha256 => &ring::digest::SHA256,
            SdAlg::Sha384 => &ring::digest::SHA384,
            SdAlg::Sha512 => &ring::digest::SHA512,
        };
        out.len = URL_SAFE_NO_PAD.encode_slice(ring::digest::digest(alg, data), &mut out.buf).unwrap_or(0);
        out
    }
}

/// A base64url digest of at most 512 bits (86 characters), without a heap allocation.
#[derive(Clone, Copy)]
pub(crate) struct DigestB64 {
    buf: [u8; 86],
    len: usize,
}

impl DigestB64 {
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }
    fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }
}

struct Disclosure {
    name: Option<String>,
    value: Value,
    used: bool,
}

/// A JSON pointer (RFC 6901) into the claims, rendered only when a finding needs it.
enum PathSeg<'p> {
    Root,
    Key(&'p PathSeg<'p>, &'p str),
    Index(&'p PathSeg<'p>, usize),
}

impl PathSeg<'_> {
    fn render(&self) -> String {
        let mut segs = Vec::new();
        let mut cur = self;
        loop {
            match cur {
                PathSeg::Root => break,
                PathSeg::Key(parent, k) => {
                    segs.push(k.replace('~', "~0").replace('/', "~1"));
                    cur = parent;
                }
                PathSeg::Index(parent, i) => {
                    segs.push(i.to_string());
                    cur = parent;
                }
            }
        }
        segs.iter().rev().fold(String::new(), |mut acc, s| {
            acc.push('/');
            acc.push_str(s);
            acc
        })
    }
}

/// The result of applying disclosures.
pub(crate) struct Applied {
    pub claims: Map<String, Value>,
    pub sd_alg: Option<SdAlg>,
}

/// RFC 9901 §7.1 steps 2-5: check `_sd_alg`, decode every disclosure, and replace digests in the
/// issuer-signed payload by the disclosed claims, recursively. `is_vc` adds the SD-JWT VC rule
/// that some claims are never disclosable. Each disclosure is decoded and parsed once, its
/// digest computed once; the payload is consumed (no copy) and disclosed values are moved in.
pub(crate) fn apply_disclosures(
    ctx: &mut Ctx,
    mut payload: Map<String, Value>,
    disclosures: &[&str],
    cx: &VerifyContext<'_>,
    is_vc: bool,
) -> Option<Applied> {
    let (alg_name, sd_alg) = {
        let alg_name = match payload.get("_sd_alg") {
            None => "sha-256",
            Some(Value::String(s)) => s.as_str(),
            Some(_) => {
                ctx.fail(&f::SD_ALG, Sub::FormatFailure, "\"_sd_alg\" is not a string", "/payload/_sd_alg");
                return None;
            }
        };
        (alg_name, SdAlg::from_name(alg_name))
    };
    let sd_alg = match sd_alg {
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
    let mut index: Vec<(DigestB64, usize)> = Vec::with_capacity(disclosures.len());
    let mut bytes = Vec::new();
    for (i, raw) in disclosures.iter().enumerate() {
        let path = || format!("/disclosures/{i}");
        if let Err(e) = crate::b64::decode_into(raw, &mut bytes) {
            ctx.fail(&f::B64_INVALID, Sub::FormatFailure, format!("disclosure: {e}"), &path());
            return None;
        }
        let v = match json::parse_strict(&bytes) {
            Ok(v) => v,
            Err(e) => {
                json_fail(ctx, &e, "disclosure", &path());
                return None;
            }
        };
        let malformed = |ctx: &mut Ctx, m: &str| {
            ctx.fail(&f::SD_DISCLOSURE_MALFORMED, Sub::FormatFailure, m.to_owned(), &path());
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
                        &path(),
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
        index.push((sd_alg.digest(raw.as_bytes()), i));
        ds.push(d);
    }
    // Sorted by digest: duplicates are neighbours, and the walk looks digests up by bisection.
    index.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()).then(a.1.cmp(&b.1)));
    if let Some(later) = index.windows(2).find_map(|w| match w {
        [a, b] if a.0.as_bytes() == b.0.as_bytes() => Some(b.1),
        _ => None,
    }) {
        ctx.fail(
            &f::SD_DUPLICATE_DISCLOSURE,
            Sub::FormatFailure,
            "the same disclosure is presented twice",
            &format!("/disclosures/{later}"),
        );
        return None;
    }
    payload.remove("_sd_alg");
    let mut root = Value::Object(payload);
    let mut walker = Walker { ds: &mut ds, index: &index, undisclosed: Vec::new(), is_vc };
    if !walker.walk(ctx, &mut root, 0, &PathSeg::Root, Scope::Top) {
        return None;
    }
    // RFC 9901 §7.1 step 4: a digest without a disclosure (a decoy, or a claim not disclosed)
    // may not occur twice either; the disclosed ones were checked during the walk.
    let mut undisclosed = walker.undisclosed;
    undisclosed.sort_unstable();
    if let Some(d) = undisclosed.windows(2).find_map(|w| match w {
        [a, b] if a == b => Some(a),
        _ => None,
    }) {
        ctx.fail(&f::SD_DUPLICATE_DIGEST, Sub::FormatFailure, format!("digest {d} occurs more than once"), "/payload");
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
    ds: &'a mut [Disclosure],
    /// The disclosures' digests, sorted, with their positions.
    index: &'a [(DigestB64, usize)],
    /// Digests met in the payload that no disclosure has (decoys and withheld claims).
    undisclosed: Vec<String>,
    is_vc: bool,
}

impl Walker<'_> {
    fn lookup(&self, digest: &str) -> Option<usize> {
        let j = self.index.binary_search_by(|(d, _)| d.as_bytes().cmp(digest.as_bytes())).ok()?;
        self.index.get(j).map(|(_, i)| *i)
    }

    fn walk(&mut self, ctx: &mut Ctx, v: &mut Value, depth: usize, path: &PathSeg<'_>, scope: Scope) -> bool {
        if depth > MAX_JSON_DEPTH {
            ctx.fail(
                &f::SD_TOO_DEEP,
                Sub::FormatFailure,
                format!("claims nest deeper than {MAX_JSON_DEPTH}"),
                &path.render(),
            );
            return false;
        }
        match v {
            Value::Object(m) => {
                if let Some(sd) = m.remove("_sd") {
                    let Value::Array(digests) = sd else {
                        ctx.fail(&f::SD_STRUCTURE, Sub::FormatFailure, "\"_sd\" is not an array", &path.render());
                        return false;
                    };
                    for dg in digests {
                        let Value::String(dg) = dg else {
                            ctx.fail(
                                &f::SD_STRUCTURE,
                                Sub::FormatFailure,
                                "\"_sd\" has a non-string element",
                                &path.render(),
                            );
                            return false;
                        };
                        let Some(i) = self.lookup(&dg) else {
                            self.undisclosed.push(dg); // a decoy or undisclosed
                            continue;
                        };
                        let Some(d) = self.ds.get_mut(i) else { continue };
                        if d.used {
                            ctx.fail(
                                &f::SD_DUPLICATE_DIGEST,
                                Sub::FormatFailure,
                                format!("digest {dg} occurs more than once"),
                                &path.render(),
                            );
                            return false;
                        }
                        let Some(name) = d.name.take() else {
                            ctx.fail(
                                &f::SD_WRONG_KIND,
                                Sub::FormatFailure,
                                "an array-element disclosure is referenced from \"_sd\"",
                                &path.render(),
                            );
                            return false;
                        };
                        d.used = true;
                        if self.is_vc && scope == Scope::Protected {
                            ctx.fail(
                                &f::VC_NOT_DISCLOSABLE,
                                Sub::FormatFailure,
                                format!("{name:?} is a sub-claim of a claim an SD-JWT VC never discloses"),
                                &path.render(),
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
                                &format!("{}/{name}", path.render()),
                            );
                            return false;
                        }
                        match m.entry(name) {
                            Entry::Occupied(o) => {
                                let name = o.key();
                                ctx.fail(
                                    &f::SD_OVERWRITE,
                                    Sub::FormatFailure,
                                    format!("a disclosure would overwrite the claim {name:?}"),
                                    &format!("{}/{name}", path.render()),
                                );
                                return false;
                            }
                            Entry::Vacant(e) => {
                                e.insert(std::mem::take(&mut d.value));
                            }
                        }
                    }
                }
                for (k, child) in m.iter_mut() {
                    let child_scope = match scope {
                        Scope::Top if self.is_vc && VC_NON_DISCLOSABLE.contains(&k.as_str()) => Scope::Protected,
                        Scope::Protected => Scope::Protected,
                        _ => Scope::Other,
                    };
                    if !self.walk(ctx, child, depth + 1, &PathSeg::Key(path, k), child_scope) {
                        return false;
                    }
                }
                true
            }
            Value::Array(items) => {
                let s = if scope == Scope::Protected { Scope::Protected } else { Scope::Other };
                let has_digests = items.iter().any(|x| matches!(x, Value::Object(o) if o.contains_key("...")));
                if !has_digests {
                    for (i, item) in items.iter_mut().enumerate() {
                        if !self.walk(ctx, item, depth + 1, &PathSeg::Index(path, i), s) {
                            return false;
                        }
                    }
                    return true;
                }
                let old = std::mem::replace(items, Vec::with_capacity(items.len()));
                for (i, mut item) in old.into_iter().enumerate() {
                    let here = PathSeg::Index(path, i);
                    let digest = match &mut item {
                        Value::Object(o) if o.contains_key("...") => match (o.len(), o.remove("...")) {
                            (1, Some(Value::String(d))) => Some(d),
                            _ => {
                                ctx.fail(
                                    &f::SD_STRUCTURE,
                                    Sub::FormatFailure,
                                    "an array element with \"...\" must be {\"...\": \"<digest>\"}",
                                    &here.render(),
                                );
                                return false;
                            }
                        },
                        _ => None,
                    };
                    if let Some(dg) = digest {
                        let Some(j) = self.lookup(&dg) else {
                            self.undisclosed.push(dg); // undisclosed or decoy: the element is removed
                            continue;
                        };
                        let Some(d) = self.ds.get_mut(j) else { continue };
                        if d.used {
                            ctx.fail(
                                &f::SD_DUPLICATE_DIGEST,
                                Sub::FormatFailure,
                                format!("digest {dg} occurs more than once"),
                                &here.render(),
                            );
                            return false;
                        }
                        if d.name.is_some() {
                            ctx.fail(
                                &f::SD_WRONG_KIND,
                                Sub::FormatFailure,
                                "an object-property disclosure is referenced from an array",
                                &here.render(),
                            );
                            return false;
                        }
                        if self.is_vc && scope == Scope::Protected {
                            ctx.fail(
                                &f::VC_NOT_DISCLOSABLE,
                                Sub::FormatFailure,
                                "an element of a claim an SD-JWT VC never discloses is selectively disclosable",
                                &here.render(),
                            );
                            return false;
                        }
                        d.used = true;
                        item = std::mem::take(&mut d.value);
                    }
                    if !self.walk(ctx, &mut item, depth + 1, &here, s) {
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
    let want = sd_alg.digest(sd_hash_input.as_bytes());
    match kbp.get("sd_hash").and_then(Value::as_str) {
        Some(h) if h == want.as_str() => {}
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
    header: &json::Members,
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
