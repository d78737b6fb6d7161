//! The testpki-signed trusted lists of the Western Balkans test PKIs (test-vectors/<state>/tl/)
//! through the binary: each verifies with its tl-signer.pem (and not with another state's), and
//! the RS qualified leaves are reported qualified by `tl qualify` and `chain verify --trusted-list`.

use std::process::Command;

const AT: &str = "2025-06-01T00:00:00Z";
const STATES: &[&str] = &["rs", "me", "mk", "al", "ba", "xk"];

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn tv(rel: &str) -> String {
    root().join("test-vectors").join(rel).to_string_lossy().into_owned()
}

fn run(args: &[&str]) -> (i32, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_eidtrust")).args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let v = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\nstderr: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), v)
}

#[test]
fn each_list_verifies_with_its_own_signer_only() {
    for (i, s) in STATES.iter().enumerate() {
        let list = tv(&format!("{s}/tl/tl.xml"));
        let (code, v) = run(&[
            "tl",
            "verify",
            &list,
            "--signer",
            &tv(&format!("{s}/tl/tl-signer.pem")),
            "--at",
            AT,
            "--format",
            "json",
        ]);
        assert_eq!(code, 0, "{s}: {v:#}");
        assert_eq!(v["verified"], true);
        assert_eq!(v["trust"]["kind"], "explicit-signer");
        assert_eq!(v["sequence_number"], 1);
        assert_eq!(v["scheme_territory"], s.to_uppercase());
        let other = STATES[(i + 1) % STATES.len()];
        let (code, v) = run(&[
            "tl",
            "verify",
            &list,
            "--signer",
            &tv(&format!("{other}/tl/tl-signer.pem")),
            "--at",
            AT,
            "--format",
            "json",
        ]);
        assert_eq!(code, 1, "{s} verified with {other}'s signer: {v:#}");
        let (code, v) = run(&["tl", "inspect", &list, "--format", "json"]);
        assert_eq!(code, 0);
        let svc = &v["providers"][0]["services"][0];
        assert_eq!(svc["type"], "http://uri.etsi.org/TrstSvc/Svctype/CA/QC");
        assert_eq!(svc["status"], "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted");
    }
}

#[test]
fn the_rs_qualified_leaves_are_qualified_by_the_rs_list() {
    let list = tv("rs/tl/tl.xml");
    let signer = tv("rs/tl/tl-signer.pem");
    for (leaf, ty) in [("qualified-esig", "esig"), ("qualified-eseal", "eseal"), ("qwac", "web")] {
        let cert = tv(&format!("rs/leaf/{leaf}.pem"));
        let (code, v) = run(&["tl", "qualify", "--tl", &list, "--cert", &cert, "--at", AT, "--format", "json"]);
        assert_eq!(code, 0, "{leaf}: {v:#}");
        assert_eq!(v["qualified"], true);
        assert_eq!(v["type"], ty);
        // QCQSCDStatusAsInCert: the QcSSCD statement of the signature and seal leaves, none for QWACs.
        assert_eq!(v["qscd"], ty != "web", "{leaf}: {v:#}");
        assert_eq!(v["tsp"], "eidtrust TEST qualified TSP RS");
    }
    // The ordinary (non-qualified) leaf is not issued by a listed service.
    let (code, v) =
        run(&["tl", "qualify", "--tl", &list, "--cert", &tv("rs/leaf/esig.pem"), "--at", AT, "--format", "json"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["qualified"], false);

    let (code, v) = run(&[
        "chain",
        "verify",
        "--leaf",
        &tv("rs/leaf/qualified-esig.pem"),
        "--trusted-list",
        &list,
        "--tl-signer",
        &signer,
        "--profile",
        "rs",
        "--at",
        AT,
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["valid"], true);
    let q = &v["qualification"];
    assert_eq!(q["qualified"], true, "{q:#}");
    assert_eq!(q["type"], "esig");
    assert_eq!(q["qscd"], true);
    // Checked against another state's signer: the list is not used, so no anchor is left (a usage
    // error, exit 2, as documented for `chain verify --trusted-list`).
    let out = Command::new(env!("CARGO_BIN_EXE_eidtrust"))
        .args([
            "chain",
            "verify",
            "--leaf",
            &tv("rs/leaf/qualified-esig.pem"),
            "--trusted-list",
            &list,
            "--tl-signer",
            &tv("me/tl/tl-signer.pem"),
            "--profile",
            "rs",
            "--at",
            AT,
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no trust anchors"));
}
