//! Property tests on token verification (issue 7 item 4):
//!
//! - re-serialising a parsed token verifies identically: a compact JWS and its JWS JSON
//!   serialization (RFC 7515 §7.2, flattened and general), a compact SD-JWT and its JSON
//!   serialization (RFC 9901 §8), give the same verdict and the same claims;
//! - the order of a disclosure set does not matter (RFC 9901 §7.1: disclosures are found by
//!   digest, not position);
//! - the same token twice gives the same report.
//!
//! Tokens are signed with HS256 under the fuzz key (`fuzzcheck::resign_compact`), which the
//! test policy opts in to; the invariants are about structure, not the algorithm.

use eidtrust::fuzzcheck::{resign_compact, FUZZ_HMAC_KEY};
use eidtrust::token::{self, b64, Alg, HmacKeys, KeySet, TokenPolicy, VerifyContext, VerifyingKey};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

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

fn sha256_b64(s: &str) -> String {
    b64::encode(ring::digest::digest(&ring::digest::SHA256, s.as_bytes()).as_ref())
}

fn disclosure(salt: &str, name: &str, value: &Value) -> String {
    b64::encode(json!([salt, name, value]).to_string().as_bytes())
}

/// A signed compact JWT over `claims` with `typ`.
fn jwt(typ: &str, claims: &Value) -> String {
    let h = b64::encode(json!({"alg": "HS256", "typ": typ}).to_string().as_bytes());
    let p = b64::encode(claims.to_string().as_bytes());
    resign_compact(&format!("{h}.{p}.x"))
}

/// The observable result of one verification: validity, finding ids and the claims.
fn outcome(token: &str) -> (bool, Vec<String>, Option<Map<String, Value>>) {
    let ks = keys();
    let pol = policy();
    let cx = VerifyContext::new(&ks, &pol, AT);
    let r = token::verify_token(token.as_bytes(), &cx);
    (r.is_valid(), r.verdict.findings.iter().map(|f| f.id.to_string()).collect(), r.claims)
}

/// An SD-JWT with `n` disclosable claims (some with decoy-free nested values) and the
/// disclosures, in issuance order.
fn sd_jwt(values: &[(String, Value)]) -> (String, Vec<String>) {
    let discs: Vec<String> =
        values.iter().enumerate().map(|(i, (name, v))| disclosure(&format!("salt-{i}"), name, v)).collect();
    let mut digests: Vec<String> = discs.iter().map(|d| sha256_b64(d)).collect();
    digests.sort(); // RFC 9901 §4.2.4.1: digests in a fixed (here sorted) order, hiding issuance order
    let claims = json!({
        "iss": "https://issuer.example",
        "iat": AT - 100,
        "_sd_alg": "sha-256",
        "_sd": digests,
    });
    (jwt("example+sd-jwt", &claims), discs)
}

fn compact_presentation(jws: &str, discs: &[String]) -> String {
    let mut s = jws.to_owned();
    for d in discs {
        s.push('~');
        s.push_str(d);
    }
    s.push('~');
    s
}

fn claim_values() -> impl Strategy<Value = Vec<(String, Value)>> {
    let value = prop_oneof![
        any::<i64>().prop_map(Value::from),
        "[a-zA-Z0-9 ]{0,12}".prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        prop::collection::vec(any::<u8>().prop_map(Value::from), 0..4).prop_map(Value::from),
    ];
    // Distinct names that never collide with the registered claims above.
    prop::collection::btree_map("c_[a-z]{1,8}", value, 1..8).prop_map(|m| m.into_iter().collect())
}

#[test]
fn the_generated_tokens_are_valid() {
    // Guards the properties below from passing vacuously on tokens that always fail.
    let (jws, discs) = sd_jwt(&[("c_a".into(), json!(1)), ("c_b".into(), json!("x"))]);
    let (ok, ids, claims) = outcome(&compact_presentation(&jws, &discs));
    assert!(ok, "{ids:?}");
    let claims = claims.unwrap();
    assert_eq!(claims.get("c_a"), Some(&json!(1)));
    assert!(!claims.contains_key("_sd"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Any permutation of the disclosures (and any subset of them) verifies as the issuance
    /// order does, with the same claims.
    #[test]
    fn disclosure_order_does_not_matter(values in claim_values(), seed in any::<u64>(), keep in any::<u64>()) {
        let (jws, discs) = sd_jwt(&values);
        let subset: Vec<String> = discs.iter().enumerate().filter(|(i, _)| keep >> (i % 64) & 1 == 1).map(|(_, d)| d.clone()).collect();
        let mut shuffled = subset.clone();
        // A deterministic Fisher–Yates driven by `seed`.
        let mut s = seed;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        let a = outcome(&compact_presentation(&jws, &subset));
        let b = outcome(&compact_presentation(&jws, &shuffled));
        prop_assert!(a.0, "the presentation must be valid: {:?}", a.1);
        prop_assert_eq!(a, b);
    }

    /// A compact SD-JWT and its JSON serialization (RFC 9901 §8, flattened with the disclosures
    /// in the unprotected header, and general) verify identically.
    #[test]
    fn sd_jwt_json_serialization_verifies_identically(values in claim_values()) {
        let (jws, discs) = sd_jwt(&values);
        let compact = outcome(&compact_presentation(&jws, &discs));
        let mut parts = jws.split('.');
        let (h, p, s) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
        let flattened = json!({"protected": h, "payload": p, "signature": s, "header": {"disclosures": discs}});
        let general = json!({"payload": p, "signatures": [{"protected": h, "signature": s, "header": {"disclosures": discs}}]});
        let f = outcome(&flattened.to_string());
        prop_assert!(compact.0, "{:?}", compact.1);
        prop_assert_eq!(&compact.0, &f.0, "flattened: {:?}", f.1);
        prop_assert_eq!(&compact.2, &f.2);
        let g = outcome(&general.to_string());
        prop_assert_eq!(&compact.0, &g.0, "general: {:?}", g.1);
        prop_assert_eq!(&compact.2, &g.2);
    }

    /// A compact JWT and its JWS JSON serializations verify identically, and a tampered
    /// payload fails in every serialization.
    #[test]
    fn jws_json_serialization_verifies_identically(values in claim_values(), tamper in any::<bool>()) {
        let mut claims: Map<String, Value> = values.into_iter().collect();
        claims.insert("iss".into(), json!("https://issuer.example"));
        let token = jwt("JWT", &Value::Object(claims.clone()));
        let mut parts = token.split('.');
        let (h, mut p, s) = (parts.next().unwrap().to_owned(), parts.next().unwrap().to_owned(), parts.next().unwrap().to_owned());
        if tamper {
            claims.insert("c_tampered".into(), json!(true));
            p = b64::encode(Value::Object(claims).to_string().as_bytes());
        }
        let compact = outcome(&format!("{h}.{p}.{s}"));
        let flattened = outcome(&json!({"protected": h, "payload": p, "signature": s}).to_string());
        let general = outcome(&json!({"payload": p, "signatures": [{"protected": h, "signature": s}]}).to_string());
        prop_assert_eq!(compact.0, !tamper, "{:?}", compact.1);
        prop_assert_eq!(&compact.0, &flattened.0);
        prop_assert_eq!(&compact.2, &flattened.2);
        prop_assert_eq!(&compact.0, &general.0);
        prop_assert_eq!(&compact.2, &general.2);
    }

    /// Parsing and re-serialising the claims (any member order, as a JSON library would write
    /// them) and signing again gives the same claims: verification depends on the JSON values,
    /// not on their byte layout.
    #[test]
    fn reserialised_claims_verify_to_the_same_claims(values in claim_values(), pretty in any::<bool>()) {
        let mut claims: Map<String, Value> = values.into_iter().collect();
        claims.insert("iss".into(), json!("https://issuer.example"));
        let a = outcome(&jwt("JWT", &Value::Object(claims.clone())));
        let text = if pretty { serde_json::to_string_pretty(&claims).unwrap() } else { serde_json::to_string(&claims).unwrap() };
        let reparsed: Value = serde_json::from_str(&text).unwrap();
        let h = b64::encode(json!({"typ": "JWT", "alg": "HS256"}).to_string().as_bytes());
        let b = outcome(&resign_compact(&format!("{h}.{}.x", b64::encode(text.as_bytes()))));
        prop_assert!(a.0, "{:?}", a.1);
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(a.2.map(Value::Object), Some(reparsed));
    }
}
