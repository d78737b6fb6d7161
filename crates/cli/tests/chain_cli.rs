//! End-to-end tests of `eidtrust chain verify` through the built binary: the exit-code contract,
//! the JSON shape, and hostile input (garbage, truncation, huge files, large bundles, cycles).

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_eidtrust"))
}

fn vectors(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors").join(rel).to_string_lossy().into_owned()
}

fn tmp(name: &str, data: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("eidtrust-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, data).unwrap();
    p.to_string_lossy().into_owned()
}

const AT: &str = "2025-06-01T00:00:00Z";

fn verify(leaf: &str, inter: &[&str], anchors: &[&str], extra: &[&str]) -> (i32, serde_json::Value, String) {
    let mut c = bin();
    c.args(["chain", "verify", "--leaf", leaf, "--at", AT, "--format", "json"]);
    for i in inter {
        c.args(["--intermediates", i]);
    }
    for a in anchors {
        c.args(["--anchors", a]);
    }
    c.args(extra);
    let out = c.output().unwrap();
    let code = out.status.code().unwrap_or(-1);
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (code, json, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn ids(j: &serde_json::Value) -> Vec<String> {
    j["findings"]
        .as_array()
        .map(|a| a.iter().map(|f| f["id"].as_str().unwrap_or("").to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn valid_chain_json_contract() {
    let (code, j, err) = verify(
        &vectors("rs/leaf/qualified-esig.pem"),
        &[&vectors("rs/ca/qualified-ca.pem")],
        &[&vectors("rs/ca/root.pem")],
        &[],
    );
    assert_eq!(code, 0, "{j} {err}");
    assert_eq!(j["valid"], true);
    assert_eq!(j["indication"], "TOTAL_PASSED");
    assert!(j["sub_indication"].is_null());
    assert_eq!(j["chain"].as_array().unwrap().len(), 3);
    for f in j["findings"].as_array().unwrap() {
        assert!(f["id"].is_string() && f["severity"].is_string() && f["message"].is_string());
    }
}

#[test]
fn missing_intermediate_is_no_chain() {
    let (code, j, _) = verify(&vectors("rs/leaf/qualified-esig.pem"), &[], &[&vectors("rs/ca/root.pem")], &[]);
    assert_eq!(code, 1);
    assert_eq!(j["valid"], false);
    assert_eq!(j["sub_indication"], "NO_CERTIFICATE_CHAIN_FOUND");
    assert!(ids(&j).contains(&"rfc5280.path.no-issuer".to_string()));
}

#[test]
fn malformed_subjects_are_format_failures_with_exit_1() {
    let root = vectors("rs/ca/root.pem");
    let garbage = tmp("garbage.pem", b"this is not a certificate at all\n\x00\x01\x02");
    let good = std::fs::read(vectors("rs/leaf/qualified-esig.pem")).unwrap();
    let truncated = tmp("truncated.pem", &good[..good.len() / 2]);
    let junk_around = {
        let mut v = b"random junk before\n".to_vec();
        v.extend_from_slice(&good);
        v.extend_from_slice(b"\nand after\n");
        tmp("junk-around.pem", &v)
    };
    for leaf in [&garbage, &truncated] {
        let (code, j, err) = verify(leaf, &[], &[&root], &[]);
        assert_eq!(code, 1, "{leaf}: {j} {err}");
        assert_eq!(j["sub_indication"], "FORMAT_FAILURE", "{leaf}");
        assert!(ids(&j).contains(&"rfc5280.format.malformed".to_string()));
        assert!(j["findings"][0]["message"].as_str().unwrap().contains(leaf.as_str()), "the message names the file");
    }
    // Text outside PEM blocks is allowed (RFC 7468 §5.2).
    let (code, j, _) = verify(&junk_around, &[&vectors("rs/ca/qualified-ca.pem")], &[&root], &[]);
    assert_eq!(code, 0, "{j}");
    // A malformed intermediate is a verdict too.
    let (code, j, _) = verify(&vectors("rs/leaf/qualified-esig.pem"), &[&garbage], &[&root], &[]);
    assert_eq!(code, 1);
    assert_eq!(j["sub_indication"], "FORMAT_FAILURE");
}

#[test]
fn caller_errors_exit_2_with_a_message() {
    let leaf = vectors("rs/leaf/qualified-esig.pem");
    let garbage = tmp("bad-anchor.pem", b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    let cases: Vec<Vec<String>> = vec![
        vec!["--anchors".into(), "/nonexistent/anchor.pem".into()],
        vec!["--anchors".into(), garbage.clone()],
        vec!["--anchors".into(), vectors("rs/ca/root.pem"), "--usage".into(), "bogus".into()],
        vec!["--anchors".into(), vectors("rs/ca/root.pem"), "--at".into(), "yesterday".into()],
        vec![],
    ];
    for extra in cases {
        let mut c = bin();
        c.args(["chain", "verify", "--leaf", &leaf]).args(&extra);
        let out = c.output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        assert!(!out.stderr.is_empty(), "{extra:?}: no message");
    }
    let out = bin()
        .args(["chain", "verify", "--leaf", "/nonexistent/leaf.pem", "--anchors", &vectors("rs/ca/root.pem")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/leaf.pem"));
}

#[test]
fn huge_file_is_refused_before_reading() {
    let dir = std::env::temp_dir().join(format!("eidtrust-cli-huge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("huge.pem");
    let f = std::fs::File::create(&p).unwrap();
    f.set_len(100 * 1024 * 1024).unwrap(); // sparse: 100 MB without writing them
    let (code, _, err) = verify(p.to_str().unwrap(), &[], &[&vectors("rs/ca/root.pem")], &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("over the input limit"), "{err}");
    std::fs::remove_file(&p).unwrap();
}

#[test]
fn bundle_of_10000_certificates_is_bounded() {
    let one = std::fs::read_to_string(vectors("hr/ca/qualified-ca.pem")).unwrap();
    let bundle = tmp("bundle.pem", one.repeat(10_000).as_bytes());
    let start = std::time::Instant::now();
    let (code, j, _) = verify(&vectors("rs/leaf/qualified-esig.pem"), &[&bundle], &[&vectors("rs/ca/root.pem")], &[]);
    assert_eq!(code, 1, "{j}");
    assert!(start.elapsed().as_secs() < 60, "took {:?}", start.elapsed());
}

#[test]
fn text_output_names_rule_and_clause() {
    let out = bin()
        .args([
            "chain",
            "verify",
            "--leaf",
            &vectors("rs/leaf/qualified-esig.pem"),
            "--anchors",
            &vectors("rs/ca/root.pem"),
        ])
        .args(["--at", AT])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("NOT VALID"), "{text}");
    assert!(text.contains("rfc5280.path.no-issuer") && text.contains("RFC 5280 §6.1"), "{text}");
}

#[test]
fn limbo_harness_document() {
    let limbo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors/x509-limbo/limbo.json");
    if !limbo.exists() {
        if std::env::var("EIDTRUST_REQUIRE_SHARED").is_ok_and(|v| v == "1") {
            panic!("{} missing", limbo.display());
        }
        eprintln!("NOTICE: {} not found; skipping", limbo.display());
        return;
    }
    let out = bin().args(["conformance", "limbo"]).arg(&limbo).args(["--include", "^pathlen::"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["version"], 1);
    assert_eq!(j["harness"], "eidtrust");
    let r = j["results"].as_array().unwrap();
    assert_eq!(r.len(), 13);
    assert!(r.iter().all(|x| x["id"].as_str().unwrap().starts_with("pathlen::") && x["actual_result"].is_string()));
}

#[test]
fn profile_lints_the_leaf_and_applies_its_rules() {
    let ca = vectors("rs/ca/qualified-ca.pem");
    let root = vectors("rs/ca/root.pem");
    let (code, j, err) = verify(&vectors("rs/leaf/qualified-esig.pem"), &[&ca], &[&root], &["--profile", "rs"]);
    assert_eq!(code, 0, "{j} {err}");
    assert!(ids(&j).contains(&"lint.type.claimed".to_string()), "the claimed type is reported: {j}");
    // A path valid under RFC 5280 whose leaf breaks the national profile is not valid under it.
    let (code, j, _) = verify(&vectors("rs/lint/jmbg-check-digit.pem"), &[&ca], &[&root], &[]);
    assert_eq!(code, 0, "valid without a profile: {j}");
    let (code, j, _) = verify(&vectors("rs/lint/jmbg-check-digit.pem"), &[&ca], &[&root], &["--profile", "rs"]);
    assert_eq!(code, 1, "{j}");
    assert_eq!(j["sub_indication"], "CHAIN_CONSTRAINTS_FAILURE");
    assert!(ids(&j).contains(&"rs.jmbg.check-digit".to_string()), "{j}");
    // Unknown profile or type: caller errors.
    let (code, _, err) = verify(&vectors("rs/leaf/qualified-esig.pem"), &[&ca], &[&root], &["--profile", "nosuch"]);
    assert_eq!(code, 2);
    assert!(err.contains("nosuch"), "{err}");
    let (code, _, _) =
        verify(&vectors("rs/leaf/qualified-esig.pem"), &[&ca], &[&root], &["--profile", "rs", "--type", "bogus"]);
    assert_eq!(code, 2);
}

/// `--trusted-list`: the list's CA/QC services become the anchors and the leaf's qualification is
/// reported (issue 5 §4); a list whose signature is not by the required signer is not used.
#[test]
fn trusted_list_supplies_anchors_and_qualification() {
    use eidtrust::trustlist::build::{sign, ListSpec, ProviderSpec, ServiceSpec, StatusSpec};
    let qca_pem = std::fs::read(vectors("hr/ca/qualified-ca.pem")).unwrap();
    let qca = eidtrust::pki::input::read(&qca_pem, eidtrust::pki::input::Kind::Certificate).unwrap().remove(0);
    let list = ListSpec {
        territory: "HR".into(),
        sequence_number: 7,
        tsl_type: "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric".into(),
        operator: "eidtrust test operator".into(),
        issue: "2025-05-01T00:00:00Z".into(),
        next_update: Some("2025-11-01T00:00:00Z".into()),
        pointers: vec![],
        providers: vec![ProviderSpec {
            name: "eidtrust TEST TSP HR".into(),
            services: vec![ServiceSpec {
                type_identifier: "http://uri.etsi.org/TrstSvc/Svctype/CA/QC".into(),
                name: "eidtrust TEST Qualified CA HR".into(),
                certificate: qca,
                statuses: vec![StatusSpec {
                    status: "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted".into(),
                    starting: "2021-01-01T00:00:00Z".into(),
                    qualifications: vec![],
                    asi: vec!["http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForeSignatures".into()],
                }],
            }],
        }],
    };
    let signer_key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params.distinguished_name.push(rcgen::DnType::CommonName, "eidtrust TEST TL signer HR");
    let signer = params.clone().self_signed(&signer_key).unwrap();
    let xml = sign(&list.to_xml(), signer_key.serialize_pem().as_bytes(), signer.der()).unwrap();
    let tl = tmp("tl-hr.xml", xml.as_bytes());
    let signer_file = tmp("tl-signer.pem", signer.pem().as_bytes());
    let leaf = vectors("hr/leaf/qualified-esig.pem");
    let (code, j, err) = verify(
        &leaf,
        &[],
        &[],
        &["--trusted-list", &tl, "--tl-signer", &signer_file, "--profile", "hr", "--type", "qualified-esig"],
    );
    assert_eq!(code, 0, "{j} {err}");
    assert_eq!(j["qualification"]["qualified"], true, "{j}");
    assert_eq!(j["qualification"]["type"], "esig", "{j}");
    assert_eq!(j["chain"].as_array().unwrap().len(), 2, "the listed CA is the anchor: {j}");

    // Signed by someone else than the required signer: the list is not used, so no anchors.
    let other_key = rcgen::KeyPair::generate().unwrap();
    let other = params.self_signed(&other_key).unwrap();
    let other_file = tmp("tl-other-signer.pem", other.pem().as_bytes());
    let (code, _, err) = verify(&leaf, &[], &[], &["--trusted-list", &tl, "--tl-signer", &other_file]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no usable CA/QC certificate"), "{err}");
}
