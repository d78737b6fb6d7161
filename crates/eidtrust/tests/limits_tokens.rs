//! The token limits of docs/limits.md are enforced with a clear finding or error: JSON depth and
//! size, token size, signatures per JWS, x5c length, disclosures, keys per set, RSA size.
//! (The JSON reader's own unit tests cover depth at the reader level; these go through
//! `verify_token` / `verify_jws`, where a relying party meets them.)

use eidtrust::fuzzcheck::{resign_compact, FUZZ_HMAC_KEY};
use eidtrust::token::json::{MAX_JSON_BYTES, MAX_JSON_DEPTH};
use eidtrust::token::keys::{MAX_KEYS, MAX_RSA_BITS};
use eidtrust::token::x5c::MAX_X5C_CERTS;
use eidtrust::token::{
    self, b64, Alg, HmacKeys, KeyError, KeySet, TokenPolicy, VerifyContext, VerifyingKey, MAX_DISCLOSURES,
    MAX_SIGNATURES, MAX_TOKEN_BYTES,
};
use serde_json::{json, Value};

const AT: i64 = 1_700_000_000;

fn keys() -> KeySet {
    let mut ks = KeySet::new();
    let jwk = json!({"kty": "oct", "k": b64::encode(FUZZ_HMAC_KEY)});
    ks.add(VerifyingKey::from_jwk(jwk.as_object().unwrap(), HmacKeys::AllowForConformanceTests).unwrap()).unwrap();
    ks
}

fn policy() -> TokenPolicy {
    let mut p = TokenPolicy { hmac: HmacKeys::AllowForConformanceTests, ..TokenPolicy::default() };
    p.allowed_algs.push(Alg::HS256);
    p
}

/// (valid, finding ids, the messages joined)
fn verify(token: &str) -> (bool, Vec<String>, String) {
    let (ks, p) = (keys(), policy());
    let r = token::verify_token(token.as_bytes(), &VerifyContext::new(&ks, &p, AT));
    let msgs = r.verdict.findings.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join(" | ");
    (r.is_valid(), r.verdict.findings.iter().map(|f| f.id.to_string()).collect(), msgs)
}

fn signed(header: &Value, payload: &str) -> String {
    let h = b64::encode(header.to_string().as_bytes());
    resign_compact(&format!("{h}.{}.x", b64::encode(payload.as_bytes())))
}

fn nested(depth: usize) -> String {
    format!("{{\"iss\":\"x\",\"deep\":{}1{}}}", "[".repeat(depth - 1), "]".repeat(depth - 1))
}

/// Origin: token/src/json.rs, `MAX_JSON_DEPTH` (32; RFC 8259 §9).
#[test]
fn json_depth_limit() {
    let ok = verify(&signed(&json!({"alg": "HS256"}), &nested(MAX_JSON_DEPTH)));
    assert!(ok.0, "{:?}", ok.1);
    let over = verify(&signed(&json!({"alg": "HS256"}), &nested(MAX_JSON_DEPTH + 1)));
    assert!(!over.0);
    assert!(over.1.iter().any(|i| i == "jose.json.too-deep"), "{:?}", over.1);
    assert!(over.2.contains(&MAX_JSON_DEPTH.to_string()), "{}", over.2);
}

/// Origin: token/src/json.rs, `MAX_JSON_BYTES` (1 MiB per JSON part; RFC 8259 §9).
#[test]
fn json_size_limit() {
    let pad = "a".repeat(MAX_JSON_BYTES);
    let over = verify(&signed(&json!({"alg": "HS256"}), &format!("{{\"iss\":\"x\",\"pad\":\"{pad}\"}}")));
    assert!(!over.0);
    assert!(over.1.iter().any(|i| i == "jose.json.too-large"), "{:?}", over.1);
    let ok = verify(&signed(&json!({"alg": "HS256"}), &format!("{{\"iss\":\"x\",\"pad\":\"{}\"}}", &pad[..1000])));
    assert!(ok.0, "{:?}", ok.1);
}

/// Origin: token/src/lib.rs, `MAX_TOKEN_BYTES` (4 MiB; RFC 8725 §2.1).
#[test]
fn token_size_limit() {
    let over = verify(&"a".repeat(MAX_TOKEN_BYTES + 1));
    assert_eq!(over.1, vec!["jose.token.too-large".to_string()]);
    assert!(over.2.contains(&MAX_TOKEN_BYTES.to_string()), "{}", over.2);
}

/// Origin: token/src/jws.rs, `MAX_SIGNATURES` (8 per JWS JSON serialization).
#[test]
fn signatures_per_jws_limit() {
    let compact = signed(&json!({"alg": "HS256"}), r#"{"iss":"x"}"#);
    let mut parts = compact.split('.');
    let (h, p, s) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
    let sigs = |n: usize| Value::Array(vec![json!({"protected": h, "signature": s}); n]);
    let over = json!({"payload": p, "signatures": sigs(MAX_SIGNATURES + 1)}).to_string();
    let (ks, pol) = (keys(), policy());
    let r = token::verify_jws(over.as_bytes(), &VerifyContext::new(&ks, &pol, AT), false);
    assert!(!r.verdict.is_valid());
    assert!(r.verdict.findings.iter().any(|f| f.id == "jws.signatures.too-many"), "{:?}", r.verdict.findings);
    let one = json!({"payload": p, "signatures": sigs(1)}).to_string();
    let r = token::verify_jws(one.as_bytes(), &VerifyContext::new(&ks, &pol, AT), false);
    assert!(r.verdict.is_valid(), "{:?}", r.verdict.findings);
}

/// Origin: token/src/x5c.rs, `MAX_X5C_CERTS` (10 certificates in `x5c`).
#[test]
fn x5c_length_limit() {
    // x5c is read only when the caller configured a chain validator (anchors); none match here.
    let validator =
        token::x5c::PkiChainValidator::from_validator(eidtrust::pki::Validator::new(eidtrust::pki::Store::new([])));
    let run = |n: usize| {
        let certs = vec![Value::from("MAA="); n];
        let tok = signed(&json!({"alg": "HS256", "x5c": certs}), r#"{"iss":"x"}"#);
        let (ks, p) = (keys(), policy());
        let mut cx = VerifyContext::new(&ks, &p, AT);
        cx.chain_validator = Some(&validator);
        token::verify_token(tok.as_bytes(), &cx).verdict
    };
    let over = run(MAX_X5C_CERTS + 1);
    assert!(!over.is_valid());
    let f = over.findings.iter().find(|f| f.id == "jws.x5c.invalid").expect("an x5c finding");
    assert!(f.message.contains(&format!("at most {MAX_X5C_CERTS}")), "{}", f.message);
    // At the limit the list is read, and fails later for another reason (not a DER certificate).
    let at = run(MAX_X5C_CERTS);
    assert!(!at.findings.iter().any(|f| f.message.contains("at most")), "{:?}", at.findings);
}

/// Origin: token/src/sdjwt.rs, `MAX_DISCLOSURES` (512 per presentation).
#[test]
fn disclosure_count_limit() {
    let d = b64::encode(br#"["salt","name","value"]"#);
    let jwt = signed(&json!({"alg": "HS256", "typ": "example+sd-jwt"}), r#"{"iss":"x","_sd_alg":"sha-256"}"#);
    let over = verify(&format!("{jwt}~{}~", vec![d.as_str(); MAX_DISCLOSURES + 1].join("~")));
    assert!(!over.0);
    assert!(over.1.iter().any(|i| i == "sdjwt.disclosures.too-many"), "{:?}", over.1);
}

/// Origin: token/src/keys.rs, `MAX_KEYS` (64 keys per set) and `MAX_RSA_BITS` (8192).
#[test]
fn key_set_limits() {
    let mut ks = KeySet::new();
    let mut last = Ok(());
    for i in 0..=MAX_KEYS {
        let jwk = json!({"kty": "oct", "kid": format!("k{i}"), "k": b64::encode(FUZZ_HMAC_KEY)});
        last = ks.add(VerifyingKey::from_jwk(jwk.as_object().unwrap(), HmacKeys::AllowForConformanceTests).unwrap());
        if i < MAX_KEYS {
            assert!(last.is_ok(), "key {i}: {last:?}");
        }
    }
    assert_eq!(last, Err(KeyError::TooManyKeys));

    let mut n = vec![0xC3u8; MAX_RSA_BITS / 8 + 8];
    n[0] = 0xff;
    let jwk = json!({"kty": "RSA", "n": b64::encode(&n), "e": "AQAB"});
    let e = VerifyingKey::from_jwk(jwk.as_object().unwrap(), HmacKeys::Reject).unwrap_err();
    assert!(matches!(e, KeyError::RsaSize { .. }), "{e:?}");
    assert!(e.to_string().contains(&MAX_RSA_BITS.to_string()), "{e}");
}
