//! End-to-end tests of `eidtrust token verify --profile` through the built binary: the profile's
//! `[tokens]` rules on the generated per-state token vectors (test-vectors/<state>/token/), the
//! LoA in text and JSON, and bad profiles as usage errors (exit 2).

use std::path::PathBuf;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_eidtrust"))
}

fn vectors(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors").join(rel).to_string_lossy().into_owned()
}

fn tmp(name: &str, data: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("eidtrust-token-profile-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, data).unwrap();
    p.to_string_lossy().into_owned()
}

/// The validation time of the token vectors (testpki interop SAMPLE_TIME).
const AT: &str = "2026-06-01T00:00:00Z";
const NONCE: &str = "n-0S6_WzA2Mj-testpki";

fn verify(state: &str, file: &str, profile: &str, extra: &[&str]) -> (i32, serde_json::Value, String) {
    let mut c = bin();
    let anchors = vectors(&format!("{state}/ca/ca.pem"));
    let token = vectors(&format!("{state}/token/{file}"));
    c.args(["token", "verify", &token, "--anchors", &anchors, "--at", AT, "--format", "json"]);
    c.args(["--profile", profile]);
    c.args(extra);
    let out = c.output().unwrap();
    let code = out.status.code().unwrap_or(-1);
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (code, json, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn ids(j: &serde_json::Value) -> Vec<String> {
    j["findings"]
        .as_array()
        .map(|a| a.iter().filter_map(|f| f["id"].as_str().map(String::from)).collect())
        .unwrap_or_default()
}

fn aud(state: &str) -> String {
    format!("https://rp.{state}.testpki.example.com")
}

#[test]
fn valid_pid_and_jwt_report_loa_high_in_json_and_text() {
    for state in ["rs", "hr", "xk"] {
        let profile = if state == "eu" { "eu-eidas" } else { state };
        let (code, j, err) = verify(state, "valid-pid-sd-jwt.sd-jwt", profile, &[]);
        assert_eq!(code, 0, "{state}: {j} {err}");
        assert_eq!(j["loa"], "high", "{state}: {j}");
        assert_eq!(j["class"], "pid");
        assert_eq!(j["profile"], profile);
        let a = aud(state);
        let (code, j, _) = verify(state, "valid-pid-sd-jwt-kb.sd-jwt", profile, &["--audience", &a, "--nonce", NONCE]);
        assert_eq!((code, &j["kind"], &j["loa"]), (0, &serde_json::json!("sd-jwt+kb"), &serde_json::json!("high")));
        let (code, j, _) = verify(state, "valid-jwt.jwt", profile, &["--audience", &a]);
        assert_eq!((code, &j["loa"]), (0, &serde_json::json!("high")), "{j}");
    }
    let out = bin()
        .args(["token", "verify", &vectors("rs/token/valid-pid-sd-jwt.sd-jwt")])
        .args(["--anchors", &vectors("rs/ca/ca.pem"), "--at", AT, "--profile", "rs"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("level of assurance: high"), "{text}");
}

#[test]
fn without_profile_there_is_no_loa_and_the_profile_rules_do_not_apply() {
    let mut c = bin();
    c.args(["token", "verify", &vectors("rs/token/iss-wrong.jwt"), "--anchors", &vectors("rs/ca/ca.pem")]);
    c.args(["--at", AT, "--format", "json", "--audience", &aud("rs")]);
    let out = c.output().unwrap();
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{j}");
    assert!(j["loa"].is_null());
    // With the profile, the same token is refused by its issuer rule.
    let (code, j, _) = verify("rs", "iss-wrong.jwt", "rs", &["--audience", &aud("rs")]);
    assert_eq!(code, 1);
    assert!(ids(&j).contains(&"profile.tokens.issuer-not-accepted".to_string()), "{j}");
    assert!(j["loa"].is_null() && j["claims"].is_null());
}

#[test]
fn profile_rules_are_enforced_with_their_ids() {
    let a = aud("me");
    for (file, id) in [
        ("profile-kind-plain-sd-jwt.sd-jwt", "profile.tokens.kind-not-accepted"),
        ("profile-kind-jws-json.json", "profile.tokens.kind-not-accepted"),
        ("profile-claim-missing.jwt", "profile.tokens.claim-missing"),
    ] {
        let (code, j, _) = verify("me", file, "me", &["--audience", &a]);
        assert_eq!(code, 1, "{file}: {j}");
        assert!(ids(&j).contains(&id.to_string()), "{file}: {j}");
    }
    // Another state's profile: its issuer rule names its own PID provider.
    let (code, j, _) = verify("me", "valid-pid-sd-jwt.sd-jwt", "rs", &[]);
    assert_eq!(code, 1, "{j}");
    assert!(ids(&j).contains(&"profile.tokens.issuer-not-accepted".to_string()), "{j}");
}

fn profile_with_tokens(table: &str) -> String {
    let base =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../profiles/rs.toml")).unwrap();
    let cut = base.find("\n# Signed eID tokens").unwrap_or(base.len());
    format!("{}\n{table}", &base[..cut])
}

const TABLE: &str = r#"
[tokens]
citation = "test"
status = "unconfirmed"
kinds = ["pid"]
algorithms = ["ES384"]
key_binding = "required"
required_claims = ["iss"]
[[tokens.issuers]]
key = "x5c"
status = "unconfirmed"
"#;

#[test]
fn caller_profile_files_tighten_the_rules() {
    let p = tmp("strict.toml", profile_with_tokens(TABLE).as_bytes());
    let (code, j, _) = verify("rs", "valid-pid-sd-jwt.sd-jwt", &p, &[]);
    assert_eq!(code, 1, "{j}");
    assert!(ids(&j).contains(&"profile.tokens.alg-not-allowed".to_string()), "{j}");
    let p = tmp("kb.toml", profile_with_tokens(&TABLE.replace("ES384", "ES256")).as_bytes());
    let (code, j, _) = verify("rs", "valid-pid-sd-jwt.sd-jwt", &p, &[]);
    assert_eq!(code, 1, "{j}");
    assert!(ids(&j).contains(&"profile.tokens.key-binding-required".to_string()), "{j}");
    let a = aud("rs");
    let (code, j, _) = verify("rs", "valid-pid-sd-jwt-kb.sd-jwt", &p, &["--audience", &a, "--nonce", NONCE]);
    assert_eq!(code, 0, "{j}");
    assert!(j["loa"].is_null(), "no LoA rule in this profile: {j}");
    let (code, j, _) = verify("rs", "valid-jwt.jwt", &p, &["--audience", &a]);
    assert_eq!(code, 1, "{j}");
    assert!(ids(&j).contains(&"profile.tokens.kind-not-accepted".to_string()), "{j}");
}

#[test]
fn bad_token_tables_are_usage_errors() {
    for (name, table, want) in [
        ("hs.toml", TABLE.replace("ES384", "HS256"), "never accepted for eID tokens"),
        ("unknown.toml", TABLE.replace("key_binding", "colour = 1\nkey_binding"), "unknown field `colour`"),
        ("kind.toml", TABLE.replace("[\"pid\"]", "[\"mdoc\"]"), "unknown variant `mdoc`"),
        ("empty.toml", TABLE.replace("[\"pid\"]", "[]"), "kinds: at least one entry"),
    ] {
        let p = tmp(name, profile_with_tokens(&table).as_bytes());
        let (code, _, err) = verify("rs", "valid-pid-sd-jwt.sd-jwt", &p, &[]);
        assert_eq!(code, 2, "{name}: {err}");
        assert!(err.contains(want) && err.contains(name), "{name}: {err}");
    }
}
