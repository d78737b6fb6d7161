//! Loading profiles: the built-ins, and the errors a profile author sees (file:line:col).

use eidtrust_profile::schema::{Status, TrustSourceKind};
use eidtrust_profile::{
    builtin, builtin_source, load_file, parse_str, resolve, ProfileError, BUILTIN_IDS, MAX_PROFILE_BYTES,
};

fn rs() -> &'static str {
    builtin_source("rs").unwrap()
}

#[test]
fn builtins_have_the_required_facts() {
    for id in BUILTIN_IDS {
        let p = builtin(id).unwrap();
        assert!(!p.legal_basis.is_empty(), "{id}");
        assert!(!p.trust_sources.is_empty(), "{id}");
        assert!(!p.loa.is_empty(), "{id}");
        if p.eu_member {
            assert!(
                p.trust_sources.iter().any(|t| matches!(t.kind, TrustSourceKind::TrustedList | TrustSourceKind::Lotl)),
                "{id}"
            );
        } else {
            // non-EU states: synthetic anchors, clearly marked as test material; foreign sources
            // a state's relying parties load (the EU LOTL, another state's synthetic anchors) are
            // listed after them (issue 6, docs/interop.md)
            assert!(p.test_material, "{id}");
            assert!(
                p.trust_sources.iter().any(|t| t.kind == TrustSourceKind::SyntheticAnchors && t.test_material),
                "{id}"
            );
            assert!(
                p.trust_sources.iter().all(|t| match t.kind {
                    TrustSourceKind::SyntheticAnchors | TrustSourceKind::ForeignSyntheticAnchors => t.test_material,
                    // the state's testpki-signed list (issue 5), present in the repository
                    TrustSourceKind::TrustedList => {
                        t.test_material
                            && std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                                .join("../..")
                                .join(&t.location)
                                .is_file()
                    }
                    TrustSourceKind::Lotl => true,
                    _ => false,
                }),
                "{id}"
            );
        }
        // anything not confirmed says so, with a source or reason
        for l in &p.legal_basis {
            assert!(!l.source.is_empty(), "{id}: legal basis without source");
        }
        if p.supervisory_body.status == Status::Unconfirmed {
            assert!(!p.supervisory_body.source.is_empty(), "{id}");
        }
    }
}

#[test]
fn jmbg_states_have_the_remainder_setting() {
    for id in ["rs", "me", "ba", "mk", "si"] {
        let p = builtin(id).unwrap();
        let n = p.identifiers.national.iter().find(|n| n.scheme.as_str() == "jmbg").unwrap();
        assert!(n.remainder_one.is_some(), "{id}");
    }
}

fn syntax_error(src: &str) -> (usize, usize, String) {
    match parse_str(src, "x.toml") {
        Err(ProfileError::Syntax { line, column, message, file }) => {
            assert_eq!(file, "x.toml");
            (line, column, message)
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

#[test]
fn unknown_key_is_rejected_with_line_and_column() {
    let src = rs().replacen("eu_member = false", "eu_member = false\nsupervisor = \"x\"", 1);
    let (line, col, msg) = syntax_error(&src);
    let expected_line = src.lines().position(|l| l.starts_with("supervisor =")).unwrap() + 1;
    assert_eq!(line, expected_line);
    assert_eq!(col, 1);
    assert!(msg.contains("supervisor"), "{msg}");
    // nested tables too
    let src = rs().replacen("rsa_min_bits = 2048", "rsa_min_bits = 2048\nrsa_max_bits = 4096", 1);
    let (_, _, msg) = syntax_error(&src);
    assert!(msg.contains("rsa_max_bits"), "{msg}");
}

#[test]
fn bad_values_are_rejected_with_line_and_column() {
    for (from, to, needle) in [
        ("status = \"confirmed\"", "status = \"probably\"", "probably"),
        ("\"P-256\", ", "\"P-999\", ", "P-999"),
        ("scheme = \"jmbg\"", "scheme = \"ssn\"", "ssn"),
        ("remainder_one = \"reject\"", "remainder_one = \"maybe\"", "maybe"),
        ("country = \"RS\"", "country = \"Serbia\"", "Serbia"),
        ("rsa_min_bits = 2048", "rsa_min_bits = \"2048\"", "expected u32"),
    ] {
        let src = rs().replacen(from, to, 1);
        assert_ne!(src, rs(), "{from}");
        let (line, col, msg) = syntax_error(&src);
        assert!(line > 0 && col > 0);
        assert!(msg.contains(needle), "{msg} should mention {needle}");
        let bad_line = src.lines().nth(line - 1).unwrap();
        assert!(
            bad_line.contains(to.split(' ').next().unwrap()) || bad_line.contains(needle),
            "line {line}: {bad_line}"
        );
    }
}

#[test]
fn semantic_errors_name_the_key() {
    let cases = [
        (rs().replacen("schema_version = 1", "schema_version = 2", 1), "schema_version"),
        (rs().replacen("remainder_one = \"reject\"\n", "", 1), "remainder_one"),
        (rs().replacen("rsa_min_bits = 2048", "rsa_min_bits = 512", 1), "rsa_min_bits"),
        (rs().replacen("type_refs = [\"PNO\"]", "type_refs = [\"XYZ\"]", 1), "type_refs"),
        (rs().replacen("test_material = true\noperator", "test_material = false\noperator", 1), "synthetic-anchors"),
    ];
    for (src, key) in cases {
        assert_ne!(src, rs(), "{key}");
        match parse_str(&src, "x.toml") {
            Err(ProfileError::Invalid { message, .. }) => assert!(message.contains(key), "{message}"),
            other => panic!("{key}: expected Invalid, got {other:?}"),
        }
    }
    let src = format!("{}\n[types.qualified-esig]\nrequired_subject_attributes = [\"shoeSize\"]\n", rs());
    assert!(matches!(parse_str(&src, "x.toml"), Err(ProfileError::Invalid { .. })));
    let src = format!("{}\n[types.qualified-esig]\npolicy_oids = [\"1.2.x\"]\n", rs());
    assert!(matches!(parse_str(&src, "x.toml"), Err(ProfileError::Syntax { .. })));
    let src = format!("{}\n[types.premium]\n", rs());
    assert!(matches!(parse_str(&src, "x.toml"), Err(ProfileError::Syntax { .. })));
}

#[test]
fn national_types_table_parses() {
    let src = format!(
        "{}\n[types.qualified-esig]\npolicy_oids = [\"1.3.6.1.4.1.99999.1.1\"]\nrequired_subject_attributes = [\"serialNumber\"]\nrequire_national_identifier = true\ncitation = \"test\"\n",
        rs()
    );
    let p = parse_str(&src, "x.toml").unwrap();
    assert_eq!(p.types.qualified_esig.unwrap().policy_oids[0].0, "1.3.6.1.4.1.99999.1.1");
}

#[test]
fn load_from_file_and_resolve() {
    let dir = std::env::temp_dir().join(format!("eidtrust-profile-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("custom.toml");
    std::fs::write(&path, rs().replacen("id = \"rs\"", "id = \"custom\"", 1)).unwrap();
    assert_eq!(load_file(&path).unwrap().id, "custom");
    assert_eq!(resolve(path.to_str().unwrap()).unwrap().id, "custom");
    assert_eq!(resolve("rs").unwrap().id, "rs");
    assert!(matches!(resolve("zz"), Err(ProfileError::Unknown(_))));
    assert!(matches!(resolve(dir.join("missing.toml").to_str().unwrap()), Err(ProfileError::Io { .. })));
    // the size limit is enforced before parsing
    let big = dir.join("big.toml");
    std::fs::write(&big, vec![b'#'; (MAX_PROFILE_BYTES + 1) as usize]).unwrap();
    assert!(matches!(load_file(&big), Err(ProfileError::TooLarge { .. })));
    let msg = load_file(&dir.join("missing.toml")).unwrap_err().to_string();
    assert!(msg.contains("missing.toml"), "{msg}");
    std::fs::remove_dir_all(&dir).unwrap();
}
