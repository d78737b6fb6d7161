//! A national profile's `[tokens]` rules through `verify_token`: an issuer rule that requires an
//! x5c key refuses a configured key (and the reverse), the kinds and claims rules, and the LoA.

mod common;

use common::*;
use eidtrust_token::policy::{IssuerRule, KeyOrigin, LoaRule, TokenClass};
use eidtrust_token::profile_rules::policy_for_profile;
use eidtrust_token::{verify_token, HmacKeys, KeySet, TokenPolicy, TokenReport, VerifyContext};
use serde_json::{json, Value};

const ISS: &str = "https://id.gov.example";

fn keys(s: &Signer) -> KeySet {
    let mut ks = KeySet::new();
    ks.add_from_bytes(json!({"keys": [s.jwk()]}).to_string().as_bytes(), HmacKeys::Reject).unwrap();
    ks
}

fn run(token: &str, keys: &KeySet, policy: &TokenPolicy) -> TokenReport {
    let mut cx = VerifyContext::new(keys, policy, AT);
    cx.audience = Some(AUD);
    verify_token(token.as_bytes(), &cx)
}

fn jwt(s: &Signer, payload: Value) -> String {
    s.compact(&json!({"alg": "ES256", "typ": "JWT"}).to_string(), &payload.to_string())
}

fn claims() -> Value {
    json!({"iss": ISS, "sub": "1", "iat": AT - 10, "exp": AT + 3600, "aud": AUD, "acr": "http://eidas.europa.eu/LoA/substantial"})
}

fn ids(r: &TokenReport) -> Vec<&str> {
    r.verdict.findings.iter().map(|f| &*f.id).collect()
}

fn rs_policy() -> TokenPolicy {
    policy_for_profile(&profile::builtin("rs").unwrap())
}

#[test]
fn an_x5c_issuer_rule_refuses_a_configured_key() {
    let s = Signer::new();
    let mut p = rs_policy();
    p.issuer_rules = vec![IssuerRule { iss: Some(ISS.into()), key: KeyOrigin::X5c }];
    let r = run(&jwt(&s, claims()), &keys(&s), &p);
    assert!(!r.is_valid());
    assert!(ids(&r).contains(&"profile.tokens.issuer-not-accepted"), "{:?}", ids(&r));
    p.issuer_rules = vec![IssuerRule { iss: Some(ISS.into()), key: KeyOrigin::Configured }];
    let r = run(&jwt(&s, claims()), &keys(&s), &p);
    assert!(r.is_valid(), "{:?}", r.verdict);
    // The LoA comes from acr (rs.toml [[tokens.loa]] claim/value).
    assert_eq!(r.loa.as_deref(), Some("substantial"));
    assert_eq!(r.class, Some(TokenClass::Jwt));
    assert!(ids(&r).contains(&"token.loa.assigned"));
    // Any other iss is refused, whatever the key.
    let mut c = claims();
    c["iss"] = json!("https://other.example");
    let r = run(&jwt(&s, c), &keys(&s), &p);
    assert!(ids(&r).contains(&"profile.tokens.issuer-not-accepted"));
}

#[test]
fn profile_required_claims_and_unmatched_loa() {
    let s = Signer::new();
    let mut p = rs_policy();
    p.issuer_rules = vec![IssuerRule { iss: None, key: KeyOrigin::Any }];
    let mut c = claims();
    c.as_object_mut().unwrap().remove("exp");
    let r = run(&jwt(&s, c), &keys(&s), &p);
    assert!(ids(&r).contains(&"profile.tokens.claim-missing"), "{:?}", ids(&r));
    let mut c = claims();
    c.as_object_mut().unwrap().remove("acr");
    let r = run(&jwt(&s, c), &keys(&s), &p);
    assert!(r.is_valid());
    assert_eq!(r.loa, None, "no rule matches a JWT without acr");
    p.loa.push(LoaRule {
        issuer: Some(ISS.into()),
        vct_prefix: None,
        kind: None,
        class: None,
        key: None,
        claim: None,
        loa: "low".into(),
    });
    let mut c = claims();
    c.as_object_mut().unwrap().remove("acr");
    assert_eq!(run(&jwt(&s, c), &keys(&s), &p).loa.as_deref(), Some("low"));
}

#[test]
fn a_plain_sd_jwt_is_not_an_accepted_kind_under_rs() {
    let s = Signer::new();
    let d = disclosure("salt1", Some("given_name"), json!("Ana"));
    let mut c = claims();
    c["_sd"] = json!([digest(&d)]);
    c["_sd_alg"] = json!("sha-256");
    let issued = s.compact(&json!({"alg": "ES256", "typ": "example+sd-jwt"}).to_string(), &c.to_string());
    let mut p = rs_policy();
    p.issuer_rules.clear();
    let r = run(&format!("{issued}~{d}~"), &keys(&s), &p);
    assert!(ids(&r).contains(&"profile.tokens.kind-not-accepted"), "{:?}", ids(&r));
    assert_eq!(r.class, Some(TokenClass::SdJwt));
    // Without the profile, the same SD-JWT is valid.
    let r = run(&format!("{issued}~{d}~"), &keys(&s), &TokenPolicy::default());
    assert!(r.is_valid(), "{:?}", r.verdict);
}
