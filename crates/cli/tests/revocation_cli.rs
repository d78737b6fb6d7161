//! End-to-end tests of OCSP and fetching through the binary: `chain verify --ocsp-response`,
//! `chain verify --fetch` and `revocation check` against testpki's responder on loopback.

use std::path::PathBuf;
use std::process::Command;
use testpki::ocsp_server::{OcspResponder, Route, Status, TestServer};
use testpki::pki::{times, Issued, IssuingCa, LeafSpec, StatePki, VALIDATION_TIME};

const AT: &str = "2025-06-01T00:00:00Z";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_eidtrust"))
}

struct Fx {
    dir: PathBuf,
    pki: StatePki,
    ca: Issued,
    leaf: Issued,
}

impl Fx {
    fn new(label: &str, server: Option<&TestServer>) -> Fx {
        let state = testpki::states::all().into_iter().next().expect("a state");
        let pki = StatePki::build(&state);
        let mut spec = LeafSpec::valid(&state, testpki::etsi::CertType::QualifiedEsig, label);
        spec.serial = testpki::pki::serial_for(&format!("cli-revocation/{label}"));
        if let Some(s) = server {
            spec.ocsp = Some(s.url("/ocsp"));
            spec.crl_dp = Some(s.url("/crl/ca.crl"));
        }
        let ca = pki.issuing(IssuingCa::for_type(spec.cert_type)).clone();
        let leaf = spec.issue(&pki.leaf_key(label), &ca);
        let dir = std::env::temp_dir().join(format!("eidtrust-revocation-cli-{}-{label}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fx = Fx { dir, pki, ca, leaf };
        fx.write("leaf.der", &fx.leaf.der.clone());
        fx.write("ca.der", &fx.ca.der.clone());
        fx.write("root.der", &fx.pki.root.der.clone());
        fx
    }

    fn write(&self, name: &str, data: &[u8]) -> String {
        let p = self.dir.join(name);
        std::fs::write(&p, data).unwrap();
        p.to_string_lossy().into_owned()
    }

    fn path(&self, name: &str) -> String {
        self.dir.join(name).to_string_lossy().into_owned()
    }

    fn responder(&self) -> OcspResponder {
        OcspResponder::new(&self.ca, VALIDATION_TIME)
    }

    fn verify(&self, extra: &[&str]) -> (i32, serde_json::Value) {
        let out = bin()
            .args(["chain", "verify", "--leaf", &self.path("leaf.der"), "--intermediates", &self.path("ca.der")])
            .args(["--anchors", &self.path("root.der"), "--at", AT, "--format", "json"])
            .args(if extra.contains(&"--revocation-scope") {
                &[][..]
            } else {
                &["--revocation-scope", "end-entity"][..]
            })
            .args(extra)
            .output()
            .unwrap();
        let j = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
        (out.status.code().unwrap_or(-1), j)
    }
}

fn pem(label: &str, der: &[u8]) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = b64.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).unwrap()).collect();
    format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", lines.join("\n"))
}

#[test]
fn stapled_response_decides_required_revocation() {
    let f = Fx::new("staple", None);
    let good = f.write("good.ocsp", &f.responder().staple(&f.leaf));
    let (code, j) = f.verify(&["--ocsp-response", &good, "--revocation", "require"]);
    assert_eq!(code, 0, "{j}");
    assert_eq!(j["revocation"][0]["kind"], "ocsp");
    assert_eq!(j["revocation"][0]["status"], "good");
    assert_eq!(j["revocation"][0]["source"], good.as_str());

    // The same response in PEM.
    let good_pem = f.write("good.pem", pem("OCSP RESPONSE", &f.responder().staple(&f.leaf)).as_bytes());
    let (code, j) = f.verify(&["--ocsp-response", &good_pem, "--revocation", "require"]);
    assert_eq!(code, 0, "{j}");

    let mut r = f.responder();
    r.set_status(&f.leaf, Status::Revoked { at: times::REVOKED_AT, reason: None });
    let revoked = f.write("revoked.ocsp", &r.staple(&f.leaf));
    let (code, j) = f.verify(&["--ocsp-response", &revoked]);
    assert_eq!(code, 1, "{j}");
    assert_eq!(j["sub_indication"], "REVOKED");

    // Nothing to decide with under require: INDETERMINATE, never a pass.
    let (code, j) = f.verify(&["--revocation", "require"]);
    assert_eq!(code, 1, "{j}");
    assert_eq!(j["indication"], "INDETERMINATE");
    assert_eq!(j["sub_indication"], "TRY_LATER");

    // Whole-chain scope also needs the CA's status: the leaf's response alone is not enough.
    let (code, j) = f.verify(&["--ocsp-response", &good, "--revocation", "require", "--revocation-scope", "chain"]);
    assert_eq!((code, j["sub_indication"].as_str()), (1, Some("TRY_LATER")), "{j}");
    let arl = StatePki::crl(&f.pki.root, 1, times::ARL_THIS, times::ARL_NEXT, vec![]).issue(&f.pki.root.key);
    let root_crl = f.write("root.crl", &arl);
    let (code, j) = f.verify(&[
        "--ocsp-response",
        &good,
        "--crl",
        &root_crl,
        "--revocation",
        "require",
        "--revocation-scope",
        "chain",
    ]);
    assert_eq!(code, 0, "{j}");

    // A response that is not OCSP at all is reported, not ignored.
    let junk = f.write("junk.ocsp", b"not an ocsp response");
    let (code, j) = f.verify(&["--ocsp-response", &junk, "--revocation", "require"]);
    assert_eq!(code, 1, "{j}");
    assert!(j["findings"].to_string().contains("junk.ocsp") || j["findings"].to_string().contains("OCSP"), "{j}");
}

#[test]
fn fetch_is_opt_in_and_bounded() {
    let s = TestServer::start().unwrap();
    let f = Fx::new("fetch", Some(&s));
    let mut r = f.responder();
    r.set_status(&f.leaf, Status::Revoked { at: times::REVOKED_AT, reason: None });
    s.set("/ocsp", Route::Ocsp(Box::new(r)));
    // Without --fetch nothing is asked.
    let (code, j) = f.verify(&["--revocation", "require"]);
    assert_eq!((code, j["sub_indication"].as_str()), (1, Some("TRY_LATER")), "{j}");
    assert_eq!(s.hits("/ocsp"), 0);
    let (code, j) = f.verify(&["--fetch", "--revocation", "require"]);
    assert_eq!(code, 1, "{j}");
    assert_eq!(j["sub_indication"], "REVOKED", "{j}");
    assert_eq!(j["revocation"][0]["source"], s.url("/ocsp"));
    assert!(s.hits("/ocsp") >= 1);

    // Only http(s) responders; misuse is exit 2.
    let (code, _) = f.verify(&["--fetch", "--ocsp-url", "ftp://example.test/ocsp"]);
    assert_eq!(code, 2);
    let (code, _) = f.verify(&["--ocsp-url", "http://127.0.0.1/ocsp"]);
    assert_eq!(code, 2);
}

#[test]
fn revocation_check_reports_the_evidence() {
    let s = TestServer::start().unwrap();
    let f = Fx::new("check", Some(&s));
    s.set("/ocsp", Route::Ocsp(Box::new(f.responder())));
    let good = f.write("good.ocsp", &f.responder().staple(&f.leaf));
    let run = |extra: &[&str]| {
        let out = bin()
            .args(["revocation", "check", "--cert", &f.path("leaf.der"), "--issuer", &f.path("ca.der")])
            .args(["--at", AT, "--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        (out.status.code().unwrap_or(-1), serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap_or_default())
    };
    let (code, j) = run(&["--ocsp-response", &good]);
    assert_eq!(code, 0, "{j}");
    assert_eq!(j["status"], "good");
    assert_eq!(j["evidence"][0]["kind"], "ocsp");
    let (code, j) = run(&["--fetch", "--nonce", "require"]);
    assert_eq!(code, 0, "{j}");
    assert_eq!(j["evidence"][0]["source"], s.url("/ocsp"));
    let (code, _) = run(&[]);
    assert_eq!(code, 2, "nothing to check with is a usage error");
}
