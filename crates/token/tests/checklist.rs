//! The JOSE / SD-JWT checklist of issue 4: one valid token and one attack variant per item.
// Tests start from the default policy and change one field: that is the point being tested.
#![allow(clippy::field_reassign_with_default)]

mod common;

use common::*;
use eidtrust_token::policy::{
    ExpRule, JwtTyp, KeyBinding, MultiSignature, PidCompleteness, PidRule, TokenPolicy, VcTyp,
};
use eidtrust_token::{b64, verify_jws, verify_token, HmacKeys, KeySet, TokenKind, TokenReport, VerifyContext};
use report::{Indication, SubIndication, Verdict};
use serde_json::{json, Value};

fn keyset(jwks: &[Value]) -> KeySet {
    let mut ks = KeySet::new();
    ks.add_from_bytes(json!({"keys": jwks}).to_string().as_bytes(), HmacKeys::Reject).unwrap();
    ks
}

fn run(token: &str, keys: &KeySet, policy: &TokenPolicy) -> TokenReport {
    let mut cx = VerifyContext::new(keys, policy, AT);
    cx.audience = Some(AUD);
    cx.nonce = Some(NONCE);
    verify_token(token.as_bytes(), &cx)
}

#[track_caller]
fn assert_valid(r: &TokenReport) {
    assert!(r.is_valid(), "expected valid, got {:?}", r.verdict);
}

#[track_caller]
fn assert_finding(r: &TokenReport, id: &str) {
    assert!(!r.is_valid(), "expected not valid ({id}), got valid");
    assert!(
        r.verdict.findings.iter().any(|f| f.id == id),
        "expected finding {id}, got {:?}",
        r.verdict.findings.iter().map(|f| &f.id).collect::<Vec<_>>()
    );
    assert!(r.claims.is_none(), "claims are never returned for a refused token");
}

fn claims() -> Value {
    json!({"iss": "https://id.gov.example", "sub": "1", "iat": AT - 10, "exp": AT + 3600, "aud": AUD, "nonce": NONCE})
}

fn jwt(s: &Signer, header: Value, payload: Value) -> String {
    s.compact(&header.to_string(), &payload.to_string())
}

// ---------------------------------------------------------------- JWT basics

#[test]
fn valid_es256_jwt() {
    let s = Signer::new();
    let t = jwt(&s, json!({"alg": "ES256", "typ": "JWT"}), claims());
    let r = run(&t, &keyset(&[s.jwk()]), &TokenPolicy::default());
    assert_valid(&r);
    assert_eq!(r.kind, Some(TokenKind::Jwt));
    assert_eq!(r.claims.unwrap()["sub"], "1");
    assert_eq!(r.verdict.indication, Indication::Passed);
}

#[test]
fn alg_comes_from_the_key() {
    let s = Signer::new();
    let keys = keyset(&[s.jwk()]);
    // HS256 "signed" with the public key bytes: the classic confusion attack.
    let hdr = b64::encode(br#"{"alg":"HS256"}"#);
    let pl = b64::encode(claims().to_string().as_bytes());
    let input = format!("{hdr}.{pl}");
    let pk = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, s.jwk().to_string().as_bytes());
    let tag = ring::hmac::sign(&pk, input.as_bytes());
    let t = format!("{input}.{}", b64::encode(tag.as_ref()));
    assert_finding(&run(&t, &keys, &TokenPolicy::default()), "jws.alg.hmac-rejected");
    // Even with HMAC allowed, the EC key does not serve HS256.
    let mut p = TokenPolicy::default();
    p.hmac = HmacKeys::AllowForConformanceTests;
    p.allowed_algs = eidtrust_token::Alg::ALL.to_vec();
    assert_finding(&run(&t, &keys, &p), "jws.alg.key-mismatch");
    // ES384 header with a P-256 key.
    let t = jwt(&s, json!({"alg": "ES384"}), claims());
    assert_finding(&run(&t, &keys, &TokenPolicy::default()), "jws.alg.key-mismatch");
}

#[test]
fn none_and_unknown_algs_rejected() {
    let s = Signer::new();
    let keys = keyset(&[s.jwk()]);
    let pl = b64::encode(claims().to_string().as_bytes());
    let t = format!("{}.{pl}.", b64::encode(br#"{"alg":"none"}"#));
    assert_finding(&run(&t, &keys, &TokenPolicy::default()), "jws.alg.none-rejected");
    let t = format!("{}.{pl}.", b64::encode(br#"{"alg":"None"}"#));
    assert_finding(&run(&t, &keys, &TokenPolicy::default()), "jws.alg.unsupported");
    let t = format!("{}.{pl}.", b64::encode(br#"{"typ":"JWT"}"#));
    assert_finding(&run(&t, &keys, &TokenPolicy::default()), "jws.alg.missing");
    let mut p = TokenPolicy::default();
    p.allowed_algs = vec![eidtrust_token::Alg::EdDSA];
    let t = jwt(&s, json!({"alg": "ES256"}), claims());
    assert_finding(&run(&t, &keys, &p), "jws.alg.not-allowed");
}

#[test]
fn ecdsa_psychic_signature_and_wrong_length() {
    let s = Signer::new();
    let keys = keyset(&[s.jwk()]);
    let input = format!("{}.{}", b64::encode(br#"{"alg":"ES256"}"#), b64::encode(claims().to_string().as_bytes()));
    let t = format!("{input}.{}", b64::encode(&[0u8; 64]));
    let r = run(&t, &keys, &TokenPolicy::default());
    assert_finding(&r, "jws.signature.ecdsa-range");
    assert_eq!(r.verdict.sub_indication, Some(SubIndication::SigCryptoFailure));
    // r = n (not below the order).
    let n = hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
    let mut sig = n.clone();
    sig.extend_from_slice(&n);
    let t = format!("{input}.{}", b64::encode(&sig));
    assert_finding(&run(&t, &keys, &TokenPolicy::default()), "jws.signature.ecdsa-range");
    // A DER signature is not a JOSE ECDSA signature.
    let good = s.sign_raw(input.as_bytes());
    let mut der = vec![0x30, 0x44, 0x02, 0x20];
    der.extend_from_slice(&good[..32]);
    der.extend_from_slice(&[0x02, 0x20]);
    der.extend_from_slice(&good[32..]);
    let t = format!("{input}.{}", b64::encode(&der));
    assert_finding(&run(&t, &keys, &TokenPolicy::default()), "jws.signature.length");
    // One flipped bit.
    let mut bad = good.clone();
    bad[10] ^= 1;
    let t = format!("{input}.{}", b64::encode(&bad));
    assert_finding(&run(&t, &keys, &TokenPolicy::default()), "jws.signature.invalid");
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

#[test]
fn rsa_below_2048_is_a_caller_error() {
    let n = b64::encode(&[0xc5; 128]);
    let mut ks = KeySet::new();
    let e = ks.add_from_bytes(format!(r#"{{"kty":"RSA","n":"{n}","e":"AQAB"}}"#).as_bytes(), HmacKeys::Reject);
    assert!(matches!(e, Err(eidtrust_token::KeyError::RsaSize { bits: 1024 })));
}

#[test]
fn strict_base64url_everywhere() {
    let s = Signer::new();
    let keys = keyset(&[s.jwk()]);
    let t = jwt(&s, json!({"alg": "ES256"}), claims());
    let parts: Vec<&str> = t.split('.').collect();
    for bad in [
        format!("{}=.{}.{}", parts[0], parts[1], parts[2]),
        format!("{}.{} .{}", parts[0], parts[1], parts[2]),
        format!("{}.{}.{}+", parts[0], parts[1], parts[2]),
        format!("{}.{}.{}==", parts[0], parts[1], parts[2]),
    ] {
        let r = run(&bad, &keys, &TokenPolicy::default());
        assert_finding(&r, "jose.base64url.invalid");
        assert_eq!(r.verdict.sub_indication, Some(SubIndication::FormatFailure));
    }
}

#[test]
fn duplicate_members_rejected_in_header_and_payload() {
    let s = Signer::new();
    let keys = keyset(&[s.jwk()]);
    let t = s.compact(r#"{"alg":"ES256","alg":"ES256"}"#, &claims().to_string());
    assert_finding(&run(&t, &keys, &TokenPolicy::default()), "jose.json.duplicate-member");
    let t = s.compact(r#"{"alg":"ES256"}"#, r#"{"iss":"a","iss":"b"}"#);
    assert_finding(&run(&t, &keys, &TokenPolicy::default()), "jose.json.duplicate-member");
}

#[test]
fn crit_is_fully_processed() {
    let s = Signer::new();
    let keys = keyset(&[s.jwk()]);
    let c = claims().to_string();
    for (h, id) in [
        (r#"{"alg":"ES256","crit":["exp"],"exp":1}"#, "jws.crit.unsupported"),
        (r#"{"alg":"ES256","crit":["alg"]}"#, "jws.crit.invalid"),
        (r#"{"alg":"ES256","crit":["b64"]}"#, "jws.crit.invalid"),
        (r#"{"alg":"ES256","crit":[]}"#, "jws.crit.invalid"),
        (r#"{"alg":"ES256","crit":"b64","b64":true}"#, "jws.crit.invalid"),
        (r#"{"alg":"ES256","crit":["b64","b64"],"b64":true}"#, "jws.crit.invalid"),
        (r#"{"alg":"ES256","b64":true}"#, "jws.b64.not-critical"),
        (r#"{"alg":"ES256","crit":["b64"],"b64":"no"}"#, "jws.b64.invalid"),
        (r#"{"alg":"ES256","crit":["b64"],"b64":false}"#, "jws.b64.false-in-jwt"),
    ] {
        let t = s.compact(h, &c);
        assert_finding(&run(&t, &keys, &TokenPolicy::default()), id);
    }
    // b64 true listed in crit is fine.
    let t = s.compact(r#"{"alg":"ES256","crit":["b64"],"b64":true}"#, &c);
    assert_valid(&run(&t, &keys, &TokenPolicy::default()));
}

#[test]
fn unencoded_payload_in_a_generic_jws() {
    let s = Signer::new();
    let keys = keyset(&[s.jwk()]);
    let hdr = b64::encode(br#"{"alg":"ES256","b64":false,"crit":["b64"]}"#);
    let input = format!("{hdr}.$hello");
    let t = format!("{input}.{}", b64::encode(&s.sign_raw(input.as_bytes())));
    let p = TokenPolicy::default();
    let cx = VerifyContext::new(&keys, &p, AT);
    let r = verify_jws(t.as_bytes(), &cx, true);
    assert!(r.verdict.is_valid(), "{:?}", r.verdict);
    assert_eq!(r.payload.unwrap(), b"$hello");
    // Without crit the same header is refused.
    let hdr = b64::encode(br#"{"alg":"ES256","b64":false}"#);
    let input = format!("{hdr}.$hello");
    let t = format!("{input}.{}", b64::encode(&s.sign_raw(input.as_bytes())));
    let r = verify_jws(t.as_bytes(), &cx, true);
    assert!(r.verdict.findings.iter().any(|f| f.id == "jws.b64.not-critical"));
}

#[test]
fn nesting_depth_capped() {
    let s = Signer::new();
    let keys = keyset(&[s.jwk()]);
    let deep = format!(r#"{{"iss":"x","d":{}1{}}}"#, "[".repeat(40), "]".repeat(40));
    let t = s.compact(r#"{"alg":"ES256"}"#, &deep);
    assert_finding(&run(&t, &keys, &TokenPolicy::default()), "jose.json.too-deep");
}

#[test]
fn time_claims_numeric_with_leeway() {
    let s = Signer::new();
    let keys = keyset(&[s.jwk()]);
    let p = TokenPolicy::default();
    let mk = |patch: Value| {
        let mut c = claims();
        for (k, v) in patch.as_object().unwrap() {
            c[k] = v.clone();
        }
        jwt(&s, json!({"alg": "ES256"}), c)
    };
    assert_finding(&run(&mk(json!({"exp": "1900000000"})), &keys, &p), "jwt.claim.not-numeric");
    assert_finding(&run(&mk(json!({"iat": true})), &keys, &p), "jwt.claim.not-numeric");
    let r = run(&mk(json!({"exp": AT - 61})), &keys, &p);
    assert_finding(&r, "jwt.exp.expired");
    assert_eq!(r.verdict.sub_indication, Some(SubIndication::Expired));
    assert_valid(&run(&mk(json!({"exp": AT - 30})), &keys, &p)); // inside the 60 s leeway
    let mut strict = TokenPolicy::default();
    strict.leeway_seconds = 0;
    assert_finding(&run(&mk(json!({"exp": AT - 30})), &keys, &strict), "jwt.exp.expired");
    assert_finding(&run(&mk(json!({"nbf": AT + 120})), &keys, &p), "jwt.nbf.not-yet-valid");
    assert_valid(&run(&mk(json!({"nbf": AT + 30})), &keys, &p));
    assert_finding(&run(&mk(json!({"iat": AT + 120})), &keys, &p), "jwt.iat.future");
    let mut req = TokenPolicy::default();
    req.exp = ExpRule::Required;
    let mut c = claims();
    c.as_object_mut().unwrap().remove("exp");
    assert_finding(&run(&jwt(&s, json!({"alg": "ES256"}), c), &keys, &req), "jwt.exp.missing");
}

#[test]
fn iss_aud_nonce() {
    let s = Signer::new();
    let keys = keyset(&[s.jwk()]);
    let mut p = TokenPolicy::default();
    p.issuers = vec!["https://other.example".into()];
    let t = jwt(&s, json!({"alg": "ES256"}), claims());
    assert_finding(&run(&t, &keys, &p), "jwt.iss.not-allowed");
    p.issuers = vec!["https://id.gov.example".into()];
    assert_valid(&run(&t, &keys, &p));
    let mut c = claims();
    c["aud"] = json!(["https://a.example", "https://b.example"]);
    assert_finding(&run(&jwt(&s, json!({"alg": "ES256"}), c), &keys, &p), "jwt.aud.mismatch");
    let mut c = claims();
    c["aud"] = json!(["https://a.example", AUD]);
    assert_valid(&run(&jwt(&s, json!({"alg": "ES256"}), c), &keys, &p));
    let mut c = claims();
    c["nonce"] = json!("replayed");
    assert_finding(&run(&jwt(&s, json!({"alg": "ES256"}), c), &keys, &p), "jwt.nonce.mismatch");
    // aud present but the verifier names no audience.
    let pp = TokenPolicy::default();
    let cx = VerifyContext::new(&keys, &pp, AT);
    let r = verify_token(t.as_bytes(), &cx);
    assert!(r.verdict.findings.iter().any(|f| f.id == "jwt.aud.unchecked"));
}

#[test]
fn explicit_typ() {
    let s = Signer::new();
    let keys = keyset(&[s.jwk()]);
    let p = TokenPolicy::default();
    assert_valid(&run(&jwt(&s, json!({"alg": "ES256", "typ": "application/JWT"}), claims()), &keys, &p));
    assert_finding(&run(&jwt(&s, json!({"alg": "ES256", "typ": "kb+jwt"}), claims()), &keys, &p), "jws.typ.mismatch");
    let mut p2 = TokenPolicy::default();
    p2.jwt_typ = JwtTyp::OneOf(vec!["eid+jwt".into()]);
    assert_finding(&run(&jwt(&s, json!({"alg": "ES256"}), claims()), &keys, &p2), "jws.typ.missing");
    assert_valid(&run(&jwt(&s, json!({"alg": "ES256", "typ": "eid+jwt"}), claims()), &keys, &p2));
}

#[test]
fn kid_is_only_a_lookup_and_embedded_keys_are_ignored() {
    let s = Signer::new();
    let attacker = Signer::new();
    let keys = keyset(&[s.jwk_with_kid("k1")]);
    let p = TokenPolicy::default();
    assert_valid(&run(&jwt(&s, json!({"alg": "ES256", "kid": "k1"}), claims()), &keys, &p));
    let r = run(&jwt(&s, json!({"alg": "ES256", "kid": "k2"}), claims()), &keys, &p);
    assert_finding(&r, "jws.kid.unknown");
    assert_eq!(r.verdict.indication, Indication::Indeterminate);
    // The attacker embeds their own key and points jku/x5u elsewhere: nothing is fetched or used.
    let t = jwt(
        &attacker,
        json!({"alg": "ES256", "jwk": attacker.jwk(), "jku": "https://evil.example/jwks", "x5u": "https://evil.example/c"}),
        claims(),
    );
    let r = run(&t, &keys, &p);
    assert_finding(&r, "jws.signature.invalid");
    assert!(r.verdict.findings.iter().any(|f| f.id == "jws.header.embedded-jwk-ignored"));
    assert!(r.verdict.findings.iter().any(|f| f.id == "jws.header.remote-key-ignored"));
    // No key configured at all.
    let empty = KeySet::new();
    assert_finding(&run(&jwt(&s, json!({"alg": "ES256"}), claims()), &empty, &p), "jws.key.not-found");
}

// ---------------------------------------------------------------- JWS JSON

fn general(s: &[(&Signer, Value, Option<Value>)], payload: &Value) -> String {
    let pl = b64::encode(payload.to_string().as_bytes());
    let sigs: Vec<Value> = s
        .iter()
        .map(|(signer, prot, unprot)| {
            let ph = b64::encode(prot.to_string().as_bytes());
            let sig = signer.sign_raw(format!("{ph}.{pl}").as_bytes());
            let mut o = json!({"protected": ph, "signature": b64::encode(&sig)});
            if let Some(u) = unprot {
                o["header"] = u.clone();
            }
            o
        })
        .collect();
    json!({"payload": pl, "signatures": sigs}).to_string()
}

#[test]
fn jws_json_general_and_flattened() {
    let a = Signer::new();
    let b = Signer::new();
    let keys = keyset(&[a.jwk_with_kid("a"), b.jwk_with_kid("b")]);
    let one = general(&[(&a, json!({"alg": "ES256", "kid": "a"}), None)], &claims());
    let r = run(&one, &keys, &TokenPolicy::default());
    assert_valid(&r);
    assert_eq!(r.kind, Some(TokenKind::JwsJson));
    // Flattened form of the same.
    let v: Value = serde_json::from_str(&one).unwrap();
    let s0 = &v["signatures"][0];
    let flat = json!({"payload": v["payload"], "protected": s0["protected"], "signature": s0["signature"]}).to_string();
    assert_valid(&run(&flat, &keys, &TokenPolicy::default()));
    // Both forms at once.
    let both = json!({"payload": v["payload"], "protected": s0["protected"], "signature": s0["signature"], "signatures": v["signatures"]}).to_string();
    assert_finding(&run(&both, &keys, &TokenPolicy::default()), "jws.json.malformed");
}

#[test]
fn multi_signature_policy_is_explicit() {
    let a = Signer::new();
    let b = Signer::new();
    let stranger = Signer::new();
    let keys = keyset(&[a.jwk_with_kid("a"), b.jwk_with_kid("b")]);
    let two = general(
        &[(&a, json!({"alg": "ES256", "kid": "a"}), None), (&b, json!({"alg": "ES256", "kid": "b"}), None)],
        &claims(),
    );
    assert_finding(&run(&two, &keys, &TokenPolicy::default()), "jws.signatures.multiple-rejected");
    let mut all = TokenPolicy::default();
    all.multi_signature = MultiSignature::RequireAll;
    assert_valid(&run(&two, &keys, &all));
    let mixed = general(
        &[(&a, json!({"alg": "ES256", "kid": "a"}), None), (&stranger, json!({"alg": "ES256", "kid": "b"}), None)],
        &claims(),
    );
    assert_finding(&run(&mixed, &keys, &all), "jws.signature.invalid");
    let mut any = TokenPolicy::default();
    any.multi_signature = MultiSignature::AllowAnyOne;
    let r = run(&mixed, &keys, &any);
    assert_valid(&r);
    assert!(r.verdict.findings.iter().any(|f| f.id == "jws.signatures.not-counted"));
}

#[test]
fn unprotected_header_never_trusted() {
    let a = Signer::new();
    let keys = keyset(&[a.jwk_with_kid("a")]);
    // alg only in the unprotected header.
    let t = general(&[(&a, json!({"kid": "a"}), Some(json!({"alg": "ES256"})))], &claims());
    assert_finding(&run(&t, &keys, &TokenPolicy::default()), "jws.alg.unprotected");
    // The same name in both headers.
    let t = general(&[(&a, json!({"alg": "ES256"}), Some(json!({"alg": "ES256"})))], &claims());
    assert_finding(&run(&t, &keys, &TokenPolicy::default()), "jws.header.not-disjoint");
    // b64 or crit in the unprotected header.
    let t = general(&[(&a, json!({"alg": "ES256"}), Some(json!({"crit": ["b64"]})))], &claims());
    assert_finding(&run(&t, &keys, &TokenPolicy::default()), "jws.crit.invalid");
    // An unprotected kid is not used for lookup (but the token still verifies by trial).
    let t = general(&[(&a, json!({"alg": "ES256"}), Some(json!({"kid": "nope", "typ": "whatever"})))], &claims());
    let r = run(&t, &keys, &TokenPolicy::default());
    assert_valid(&r);
    assert!(r.verdict.findings.iter().any(|f| f.id == "jws.header.unprotected-ignored"));
}

// ---------------------------------------------------------------- SD-JWT

struct Sd {
    issuer: Signer,
    holder: Signer,
}

impl Sd {
    fn new() -> Self {
        Sd { issuer: Signer::new(), holder: Signer::new() }
    }
    fn keys(&self) -> KeySet {
        keyset(&[self.issuer.jwk()])
    }
    /// Issuer-signed JWT with the given header and payload; payload gets cnf.
    fn issue(&self, header: Value, mut payload: Value) -> String {
        payload["cnf"] = json!({"jwk": self.holder.jwk()});
        self.issuer.compact(&header.to_string(), &payload.to_string())
    }
    fn kb(&self, presented: &str, patch: Value) -> String {
        let mut p = json!({"iat": AT - 5, "aud": AUD, "nonce": NONCE, "sd_hash": sd_hash(presented)});
        for (k, v) in patch.as_object().unwrap() {
            p[k] = v.clone();
        }
        self.holder.compact(r#"{"alg":"ES256","typ":"kb+jwt"}"#, &p.to_string())
    }
    fn present(&self, jwt: &str, ds: &[&str]) -> String {
        let mut s = format!("{jwt}~");
        for d in ds {
            s.push_str(d);
            s.push('~');
        }
        let kb = self.kb(&s, json!({}));
        s + &kb
    }
}

fn pid_payload(ds: &[&str], extra: Value) -> Value {
    let mut p = json!({
        "iss": "https://pid.gov.example",
        "iat": AT - 100,
        "exp": AT + 86400,
        "vct": "urn:eudi:pid:rs:1",
        "_sd_alg": "sha-256",
        "_sd": ds.iter().map(|d| digest(d)).collect::<Vec<_>>(),
    });
    for (k, v) in extra.as_object().unwrap() {
        p[k] = v.clone();
    }
    p
}

fn vc_header() -> Value {
    json!({"alg": "ES256", "typ": "dc+sd-jwt"})
}

#[test]
fn valid_pid_presentation_with_kb_and_decoys() {
    let sd = Sd::new();
    let given = disclosure("s1", Some("given_name"), json!("Marko"));
    let nat = disclosure("s2", Some("nationalities"), json!(["RS"]));
    let hidden = disclosure("s3", Some("family_name"), json!("Marković"));
    let mut payload = pid_payload(&[&given, &nat, &hidden], json!({}));
    payload["_sd"].as_array_mut().unwrap().push(json!(digest("decoy")));
    let jwt = sd.issue(vc_header(), payload);
    let t = sd.present(&jwt, &[&given, &nat]);
    let r = run(&t, &sd.keys(), &TokenPolicy::default());
    assert_valid(&r);
    assert_eq!(r.kind, Some(TokenKind::SdJwtKb));
    let c = r.claims.unwrap();
    assert_eq!(c["given_name"], "Marko");
    assert!(c.get("family_name").is_none() && c.get("_sd").is_none() && c.get("_sd_alg").is_none());
    // Issuance-form check: mandatory attributes are required only with PidCompleteness::IssuedCredential.
    let mut p = TokenPolicy::default();
    p.pid_completeness = PidCompleteness::IssuedCredential;
    assert_finding(&run(&t, &sd.keys(), &p), "eudi.pid.attribute.missing");
}

#[test]
fn sd_jwt_structure_attacks() {
    let sd = Sd::new();
    let keys = sd.keys();
    let p = TokenPolicy::default();
    let a = disclosure("s1", Some("given_name"), json!("A"));
    let b = disclosure("s2", Some("family_name"), json!("B"));
    let jwt = sd.issue(vc_header(), pid_payload(&[&a], json!({})));
    // A disclosure the issuer never referenced.
    assert_finding(&run(&sd.present(&jwt, &[&a, &b]), &keys, &p), "sdjwt.disclosure.unreferenced");
    // The same disclosure twice.
    assert_finding(&run(&sd.present(&jwt, &[&a, &a]), &keys, &p), "sdjwt.disclosure.duplicate");
    // Missing '~' on a token that is an SD-JWT.
    assert_finding(&run(&jwt, &keys, &p), "sdjwt.format.malformed");
    // An empty disclosure between two '~'.
    let t = format!("{jwt}~~{a}~");
    assert_finding(&run(&t, &keys, &p), "sdjwt.format.malformed");
    // Reserved claim names.
    for name in ["_sd", "..."] {
        let d = disclosure("s9", Some(name), json!("x"));
        let jwt = sd.issue(vc_header(), pid_payload(&[&d], json!({})));
        assert_finding(&run(&sd.present(&jwt, &[&d]), &keys, &p), "sdjwt.disclosure.reserved-name");
    }
    // Overwriting a plain claim.
    let over = disclosure("s4", Some("given_name"), json!("Evil"));
    let jwt = sd.issue(vc_header(), pid_payload(&[&over], json!({"given_name": "Good"})));
    assert_finding(&run(&sd.present(&jwt, &[&over]), &keys, &p), "sdjwt.claim.overwrite");
    // The same digest twice in the payload.
    let jwt = sd.issue(vc_header(), pid_payload(&[&a, &a], json!({})));
    assert_finding(&run(&sd.present(&jwt, &[&a]), &keys, &p), "sdjwt.digest.duplicate");
    // _sd_alg outside the allow-list.
    let jwt = sd.issue(vc_header(), pid_payload(&[&a], json!({"_sd_alg": "sha-1"})));
    assert_finding(&run(&sd.present(&jwt, &[&a]), &keys, &p), "sdjwt.sd-alg.not-allowed");
    // Malformed disclosures: not an array, 4 elements, non-string salt, duplicate members inside.
    for bad in [b64::encode(br#"{"salt":"x"}"#), b64::encode(br#"["s","a","b","c"]"#), b64::encode(br#"[1,"a","b"]"#)] {
        let jwt = sd.issue(vc_header(), pid_payload(&[&bad], json!({})));
        assert_finding(&run(&sd.present(&jwt, &[&bad]), &keys, &p), "sdjwt.disclosure.malformed");
    }
    let dup = b64::encode(br#"["s","address",{"city":"A","city":"B"}]"#);
    let jwt = sd.issue(vc_header(), pid_payload(&[&dup], json!({})));
    assert_finding(&run(&sd.present(&jwt, &[&dup]), &keys, &p), "jose.json.duplicate-member");
    // An array-element disclosure referenced from _sd.
    let elem = disclosure("s5", None, json!("RS"));
    let jwt = sd.issue(vc_header(), pid_payload(&[&elem], json!({})));
    assert_finding(&run(&sd.present(&jwt, &[&elem]), &keys, &p), "sdjwt.disclosure.wrong-kind");
    // _sd that is not an array.
    let mut pl = pid_payload(&[], json!({}));
    pl["_sd"] = json!("abc");
    let jwt = sd.issue(vc_header(), pl);
    assert_finding(&run(&sd.present(&jwt, &[]), &keys, &p), "sdjwt.sd.malformed");
}

#[test]
fn array_elements_and_recursive_disclosures() {
    let sd = Sd::new();
    let e1 = disclosure("e1", None, json!("RS"));
    let e2 = disclosure("e2", None, json!("ME"));
    let street = disclosure("st", Some("street_address"), json!("Knez Mihailova 1"));
    let addr = disclosure("ad", Some("address"), json!({"_sd": [digest(&street)], "country": "RS"}));
    let payload = pid_payload(&[&addr], json!({"nationalities": [{"...": digest(&e1)}, {"...": digest(&e2)}, "XK"]}));
    let jwt = sd.issue(vc_header(), payload);
    let t = sd.present(&jwt, &[&e2, &addr, &street]);
    let r = run(&t, &sd.keys(), &TokenPolicy::default());
    assert_valid(&r);
    let c = r.claims.unwrap();
    assert_eq!(c["nationalities"], json!(["ME", "XK"]));
    assert_eq!(c["address"], json!({"country": "RS", "street_address": "Knez Mihailova 1"}));
}

#[test]
fn key_binding_checks() {
    let sd = Sd::new();
    let keys = sd.keys();
    let p = TokenPolicy::default();
    let a = disclosure("s1", Some("given_name"), json!("A"));
    let jwt = sd.issue(vc_header(), pid_payload(&[&a], json!({})));
    let base = format!("{jwt}~{a}~");
    let with = |kb: String| format!("{base}{kb}");
    assert_valid(&run(&with(sd.kb(&base, json!({}))), &keys, &p));
    assert_finding(&run(&with(sd.kb(&base, json!({"nonce": "other"}))), &keys, &p), "sdjwt.kb.nonce");
    assert_finding(&run(&with(sd.kb(&base, json!({"aud": "https://rp.other"}))), &keys, &p), "sdjwt.kb.aud");
    assert_finding(&run(&with(sd.kb(&base, json!({"iat": AT - 3600}))), &keys, &p), "sdjwt.kb.iat");
    assert_finding(&run(&with(sd.kb(&base, json!({"iat": AT + 3600}))), &keys, &p), "sdjwt.kb.iat");
    assert_finding(&run(&with(sd.kb(&base, json!({"iat": "now"}))), &keys, &p), "sdjwt.kb.iat");
    let r = run(&with(sd.kb(&base, json!({"sd_hash": digest("other")}))), &keys, &p);
    assert_finding(&r, "sdjwt.kb.sd-hash");
    assert_eq!(r.verdict.sub_indication, Some(SubIndication::HashFailure));
    // A disclosure dropped after the KB-JWT was made: sd_hash no longer matches.
    let kb = sd.kb(&base, json!({}));
    assert_finding(&run(&format!("{jwt}~{kb}"), &keys, &p), "sdjwt.kb.sd-hash");
    // Wrong typ, duplicate member, wrong signer.
    let mut pl = json!({"iat": AT - 5, "aud": AUD, "nonce": NONCE, "sd_hash": sd_hash(&base)});
    let kb = sd.holder.compact(r#"{"alg":"ES256","typ":"JWT"}"#, &pl.to_string());
    assert_finding(&run(&with(kb), &keys, &p), "sdjwt.kb.typ");
    let dup =
        format!(r#"{{"iat":{},"aud":"{AUD}","nonce":"{NONCE}","nonce":"x","sd_hash":"{}"}}"#, AT - 5, sd_hash(&base));
    let kb = sd.holder.compact(r#"{"alg":"ES256","typ":"kb+jwt"}"#, &dup);
    assert_finding(&run(&with(kb), &keys, &p), "jose.json.duplicate-member");
    pl["nonce"] = json!(NONCE);
    let kb = sd.issuer.compact(r#"{"alg":"ES256","typ":"kb+jwt"}"#, &pl.to_string());
    assert_finding(&run(&with(kb), &keys, &p), "sdjwt.kb.signature-invalid");
    // Key binding required but absent.
    let mut req = TokenPolicy::default();
    req.key_binding = KeyBinding::Required;
    let cx = VerifyContext::new(&keys, &req, AT);
    let r = verify_token(base.as_bytes(), &cx);
    assert!(r.verdict.findings.iter().any(|f| f.id == "sdjwt.kb.missing"), "{:?}", r.verdict);
    // Without KB and with a nonce expected: refused.
    assert_finding(&run(&base, &keys, &p), "sdjwt.kb.nonce");
    // Without KB, not required, no nonce: valid SD-JWT.
    let cx = VerifyContext::new(&keys, &p, AT);
    let r = verify_token(base.as_bytes(), &cx);
    assert!(r.is_valid(), "{:?}", r.verdict);
    assert_eq!(r.kind, Some(TokenKind::SdJwt));
}

#[test]
fn sd_jwt_vc_rules_apply_without_a_profile() {
    let sd = Sd::new();
    let keys = sd.keys();
    let p = TokenPolicy::default();
    // vct present but typ not dc+sd-jwt.
    let a = disclosure("s1", Some("given_name"), json!("A"));
    let jwt = sd.issue(json!({"alg": "ES256", "typ": "example+sd-jwt"}), pid_payload(&[&a], json!({})));
    assert_finding(&run(&sd.present(&jwt, &[&a]), &keys, &p), "sdjwtvc.typ.invalid");
    // Legacy typ by option only.
    let jwt = sd.issue(json!({"alg": "ES256", "typ": "vc+sd-jwt"}), pid_payload(&[&a], json!({})));
    let t = sd.present(&jwt, &[&a]);
    assert_finding(&run(&t, &keys, &p), "sdjwtvc.typ.invalid");
    let mut legacy = TokenPolicy::default();
    legacy.vc_typ = VcTyp::AllowLegacyVcSdJwt;
    assert_valid(&run(&t, &keys, &legacy));
    // typ dc+sd-jwt but no vct.
    let mut pl = pid_payload(&[&a], json!({}));
    pl.as_object_mut().unwrap().remove("vct");
    let jwt = sd.issue(vc_header(), pl);
    assert_finding(&run(&sd.present(&jwt, &[&a]), &keys, &p), "sdjwtvc.vct.missing");
    // Claims that are never selectively disclosable, at the top and as sub-claims.
    for (name, value) in
        [("vct", json!("urn:eudi:pid:rs:1")), ("iss", json!("x")), ("exp", json!(AT + 10)), ("status", json!({}))]
    {
        let d = disclosure("sx", Some(name), value);
        let mut pl = pid_payload(&[&d, &a], json!({}));
        pl.as_object_mut().unwrap().remove(name);
        if name == "vct" {
            // Without a plain vct the typ alone marks it as a VC.
        }
        let jwt = sd.issue(vc_header(), pl);
        assert_finding(&run(&sd.present(&jwt, &[&d, &a]), &keys, &p), "sdjwtvc.claim.selectively-disclosed");
    }
    // A disclosable vct makes even an untyped SD-JWT a VC, and is refused.
    let d = disclosure("sv", Some("vct"), json!("urn:x"));
    let mut pl = pid_payload(&[&d], json!({}));
    pl.as_object_mut().unwrap().remove("vct");
    let jwt = sd.issue(json!({"alg": "ES256"}), pl);
    assert_finding(&run(&sd.present(&jwt, &[&d]), &keys, &p), "sdjwtvc.claim.selectively-disclosed");
    // A sub-claim of cnf.
    let holder_jwk = sd.holder.jwk();
    let dx = disclosure("sc", Some("jwk"), holder_jwk);
    let mut pl = pid_payload(&[], json!({}));
    pl["cnf"] = json!({"_sd": [digest(&dx)]});
    let jwt = sd.issuer.compact(&vc_header().to_string(), &pl.to_string());
    let base = format!("{jwt}~{dx}~");
    let t = format!("{base}{}", sd.kb(&base, json!({})));
    assert_finding(&run(&t, &keys, &p), "sdjwtvc.claim.selectively-disclosed");
}

#[test]
fn pid_rules() {
    let sd = Sd::new();
    let keys = sd.keys();
    let a = disclosure("s1", Some("birthdate"), json!("1990-13"));
    let jwt = sd.issue(vc_header(), pid_payload(&[&a], json!({})));
    assert_finding(&run(&sd.present(&jwt, &[&a]), &keys, &TokenPolicy::default()), "eudi.pid.attribute.format");
    let b = disclosure("s1", Some("birthdate"), json!("1990-01-31"));
    let mut pl = pid_payload(&[&b], json!({}));
    pl.as_object_mut().unwrap().remove("exp");
    let jwt = sd.issue(vc_header(), pl);
    assert_finding(&run(&sd.present(&jwt, &[&b]), &keys, &TokenPolicy::default()), "eudi.pid.exp.missing");
    let mut req = TokenPolicy::default();
    req.pid = PidRule::RequirePid;
    let jwt = sd.issue(vc_header(), pid_payload(&[&b], json!({"vct": "https://credentials.example/id"})));
    assert_finding(&run(&sd.present(&jwt, &[&b]), &keys, &req), "eudi.pid.vct.namespace");
}

#[test]
fn sd_jwt_json_serialization() {
    let sd = Sd::new();
    let keys = sd.keys();
    let a = disclosure("s1", Some("given_name"), json!("A"));
    let jwt = sd.issue(vc_header(), pid_payload(&[&a], json!({})));
    let parts: Vec<&str> = jwt.split('.').collect();
    let base = format!("{jwt}~{a}~");
    let kb = sd.kb(&base, json!({}));
    let t = json!({"payload": parts[1], "protected": parts[0], "signature": parts[2],
                   "header": {"disclosures": [a], "kb_jwt": kb}})
    .to_string();
    let r = run(&t, &keys, &TokenPolicy::default());
    assert_valid(&r);
    assert_eq!(r.kind, Some(TokenKind::SdJwtKb));
    // Both placements at once are refused.
    let t = json!({"payload": parts[1], "protected": parts[0], "signature": parts[2], "disclosures": [a],
                   "header": {"disclosures": [a], "kb_jwt": kb}})
    .to_string();
    assert_finding(&run(&t, &keys, &TokenPolicy::default()), "sdjwt.format.malformed");
}

// ---------------------------------------------------------------- x5c seam

struct FakeChain {
    ok: bool,
    seen: std::cell::Cell<usize>,
}

impl eidtrust_token::ChainValidator for FakeChain {
    fn validate(&self, chain: &[Vec<u8>], _at: i64, _u: eidtrust_token::RequiredUsage) -> Verdict {
        self.seen.set(chain.len());
        if self.ok {
            Verdict::passed(vec![])
        } else {
            Verdict::indeterminate(
                SubIndication::NoCertificateChainFound,
                vec![report::Finding::new("pki.test", report::Severity::Error, "no path")],
            )
        }
    }
}

#[test]
fn x5c_goes_through_the_chain_validator() {
    let s = Signer::new();
    let kp = rcgen::KeyPair::try_from(s.pkcs8.as_slice()).unwrap();
    let cert = rcgen::CertificateParams::new(vec!["issuer.example".into()]).unwrap().self_signed(&kp).unwrap();
    let x5c = base64_std(cert.der());
    let t = jwt(&s, json!({"alg": "ES256", "x5c": [x5c]}), claims());
    let p = TokenPolicy::default();
    let empty = KeySet::new();
    // No validator: x5c alone is never trusted.
    assert_finding(&run(&t, &empty, &p), "jws.x5c.unavailable");
    let good = FakeChain { ok: true, seen: Default::default() };
    let mut cx = VerifyContext::new(&empty, &p, AT);
    cx.chain_validator = Some(&good);
    cx.audience = Some(AUD);
    cx.nonce = Some(NONCE);
    let r = verify_token(t.as_bytes(), &cx);
    assert!(r.is_valid(), "{:?}", r.verdict);
    assert_eq!(good.seen.get(), 1);
    let bad = FakeChain { ok: false, seen: Default::default() };
    cx.chain_validator = Some(&bad);
    let r = verify_token(t.as_bytes(), &cx);
    assert!(r.verdict.findings.iter().any(|f| f.id == "jws.x5c.chain-invalid"));
    assert!(r.verdict.findings.iter().any(|f| f.id == "pki.test"));
    assert_eq!(r.verdict.sub_indication, Some(SubIndication::NoCertificateChainFound));
    // A token signed by another key with the same x5c fails on the signature.
    let other = Signer::new();
    let t = jwt(&other, json!({"alg": "ES256", "x5c": [base64_std(cert.der())]}), claims());
    cx.chain_validator = Some(&good);
    assert!(verify_token(t.as_bytes(), &cx).verdict.findings.iter().any(|f| f.id == "jws.signature.invalid"));
}

/// A self-signed certificate for a 1024-bit RSA key (TEST MATERIAL: `openssl req -x509` over a
/// key from `openssl genrsa -traditional 1024`, made once for this test), standard base64 DER.
const RSA_1024_CERT: &str = concat!(
    "MIICITCCAYqgAwIBAgIBATANBgkqhkiG9w0BAQsFADArMSkwJwYDVQQDDCBSU0EtMTAyNCB0ZXN0IHNpZ25lciAoVEVTVCBPTkxZ",
    "KTAgFw0yNjExMjIwODQ1NTJaGA8yMTI2MTAyOTA4NDU1MlowKzEpMCcGA1UEAwwgUlNBLTEwMjQgdGVzdCBzaWduZXIgKFRFU1Qg",
    "T05MWSkwgZ8wDQYJKoZIhvcNAQEBBQADgY0AMIGJAoGBALnk9s1QhKKNDH1HWTgFmdYUpMQ0xoYQqfZrEEPj5iEO5I2Sdlml8mfX",
    "gar+jWaBwDACI26APTNeJKZbXQJMaNu3/4VQQt8SQNhqYiJfV3Z9+mOvY+H9aXL68MCsAPtFeKVlM6VIwGAfiMmMc4XtL/YlNde1",
    "x3G5MHI9imjDAJf7AgMBAAGjUzBRMB0GA1UdDgQWBBTZf67TAjY4xyqe7LLUQ7Q+m6kd9TAfBgNVHSMEGDAWgBTZf67TAjY4xyqe",
    "7LLUQ7Q+m6kd9TAPBgNVHRMBAf8EBTADAQH/MA0GCSqGSIb3DQEBCwUAA4GBAEnLA+Sj912ofRgVeu8V9fUcSdijEKhmxjXyAV0a",
    "Xw8cmRqMkFwBbWOhongtWcFFNJnvG2brYo+QopmomrA1L/oNN2XdK6JC2nn1fzC2MjgnaG31ifwG2YVxHIIBZlCzHzw9GYp8LE5C",
    "KG6Jc+jHhkNiDqOaDYb8nQRNwsHV/wIG",
);

#[test]
fn rsa_below_2048_in_x5c_makes_the_token_invalid() {
    // RFC 7518 §3.3: the key is refused before any signature check, so the signature bytes are
    // immaterial; the chain validator accepts the certificate.
    let input = format!(
        "{}.{}",
        b64::encode(json!({"alg": "RS256", "x5c": [RSA_1024_CERT]}).to_string().as_bytes()),
        b64::encode(claims().to_string().as_bytes())
    );
    let t = format!("{input}.{}", b64::encode(&[0x5a; 128]));
    let p = TokenPolicy::default();
    let empty = KeySet::new();
    let good = FakeChain { ok: true, seen: Default::default() };
    let mut cx = VerifyContext::new(&empty, &p, AT);
    cx.chain_validator = Some(&good);
    cx.audience = Some(AUD);
    cx.nonce = Some(NONCE);
    let r = verify_token(t.as_bytes(), &cx);
    assert!(!r.is_valid());
    assert_finding(&r, "jws.key.rsa-too-small");
    assert_eq!(r.verdict.sub_indication, Some(SubIndication::CryptoConstraintsFailure));
}

fn base64_std(b: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(b)
}

#[test]
fn never_panics_on_garbage() {
    let s = Signer::new();
    let keys = keyset(&[s.jwk()]);
    let p = TokenPolicy::default();
    for g in [
        "",
        "~",
        "~~~",
        ".",
        "..",
        "...",
        "{",
        "{}",
        "[]",
        "a.b.c",
        "{\"payload\":1}",
        "\u{feff}",
        "e30.e30.",
        "e30.e30.~",
    ] {
        let r = run(g, &keys, &p);
        assert!(!r.is_valid());
        assert_eq!(
            r.verdict
                .sub_indication
                .map(|s| s == SubIndication::FormatFailure || s == SubIndication::SigConstraintsFailure),
            Some(true),
            "{g:?}: {:?}",
            r.verdict
        );
    }
    let big = vec![b'a'; eidtrust_token::MAX_TOKEN_BYTES + 1];
    let cx = VerifyContext::new(&keys, &p, AT);
    assert!(verify_token(&big, &cx).verdict.findings.iter().any(|f| f.id == "jose.token.too-large"));
}

#[test]
fn disclosure_count_is_capped() {
    let sd = Sd::new();
    let a = disclosure("s1", Some("given_name"), json!("A"));
    let jwt = sd.issue(vc_header(), pid_payload(&[&a], json!({})));
    let many = vec![a.as_str(); eidtrust_token::MAX_DISCLOSURES + 1];
    let t = format!("{jwt}~{}~", many.join("~"));
    assert_finding(&run(&t, &sd.keys(), &TokenPolicy::default()), "sdjwt.disclosures.too-many");
}

// ---------------------------------------------------------------- x5c through pki

fn ca(name: &str) -> (rcgen::Certificate, rcgen::KeyPair) {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut p = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(rcgen::DnType::CommonName, name);
    p.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    p.key_usages = vec![rcgen::KeyUsagePurpose::KeyCertSign, rcgen::KeyUsagePurpose::CrlSign];
    (p.self_signed(&key).unwrap(), key)
}

fn leaf(s: &Signer, ca: &(rcgen::Certificate, rcgen::KeyPair), ku: rcgen::KeyUsagePurpose) -> rcgen::Certificate {
    let kp = rcgen::KeyPair::try_from(s.pkcs8.as_slice()).unwrap();
    let mut p = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(rcgen::DnType::CommonName, "PID Provider RS");
    p.key_usages = vec![ku];
    p.is_ca = rcgen::IsCa::ExplicitNoCa; // makes rcgen 0.13 emit keyUsage on a leaf
    p.signed_by(&kp, &ca.0, &ca.1).unwrap()
}

#[test]
fn x5c_validated_by_pki_against_caller_anchors_only() {
    use eidtrust_token::x5c::PkiChainValidator;
    let s = Signer::new();
    let root = ca("RS Root CA");
    let other = ca("Other Root CA");
    let l = leaf(&s, &root, rcgen::KeyUsagePurpose::DigitalSignature);
    let p = TokenPolicy::default();
    let empty = KeySet::new();
    let check = |anchors: &rcgen::Certificate, x5c: Vec<String>, signer: &Signer| {
        let v = PkiChainValidator::from_anchor_ders(&[anchors.der().to_vec()]).unwrap();
        let t = jwt(signer, json!({"alg": "ES256", "x5c": x5c}), claims());
        let mut cx = VerifyContext::new(&empty, &p, AT);
        cx.chain_validator = Some(&v);
        cx.audience = Some(AUD);
        cx.nonce = Some(NONCE);
        verify_token(t.as_bytes(), &cx)
    };
    let r = check(&root.0, vec![base64_std(l.der())], &s);
    assert!(r.is_valid(), "{:?}", r.verdict);
    // The same chain with another anchor: refused, even when x5c carries its own root.
    let r = check(&other.0, vec![base64_std(l.der()), base64_std(root.0.der())], &s);
    assert!(!r.is_valid());
    assert!(r.verdict.findings.iter().any(|f| f.id == "jws.x5c.chain-invalid"), "{:?}", r.verdict);
    // A leaf without digitalSignature.
    let l2 = leaf(&s, &root, rcgen::KeyUsagePurpose::KeyEncipherment);
    let r = check(&root.0, vec![base64_std(l2.der())], &s);
    assert!(!r.is_valid(), "{:?}", r.verdict);
    // Garbage in x5c.
    let r = check(&root.0, vec!["AAAA".into()], &s);
    assert!(!r.is_valid());
    let r = check(&root.0, vec!["not base64!".into()], &s);
    assert!(r.verdict.findings.iter().any(|f| f.id == "jws.x5c.invalid"));
}
