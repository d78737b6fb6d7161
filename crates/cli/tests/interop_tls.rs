//! End to end: `eidtrust interop serve-rp` (relying state B) and `eidtrust interop tls` (a citizen
//! of issuer state A) over loopback, for several A x B pairs. Each outcome must agree with B's
//! verdict computed in-process (`eidtrust::tls::ClientVerifier` over B's `TrustContext`), both in
//! the client's exit code and in the verdict the relying party logs.

use eidtrust::pki::cert::Certificate;
use eidtrust::pki::crl::Crl;
use eidtrust::pki::validate::RevocationMode;
use eidtrust::profile::CertType;
use eidtrust::tls::{ClientVerifier, Decision, FixedClock, LeafCheck};
use eidtrust::TrustContext;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::Arc;
use testpki::etsi::CertType as T;
use testpki::pki::{times, IssuingCa, LeafSpec, StatePki};

const AT: &str = "2025-06-01T00:00:00Z";

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_eidtrust")
}

/// A scratch directory, removed when the test ends (kept when it panics, for inspection).
struct TmpDir(PathBuf);

impl std::ops::Deref for TmpDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TmpDir {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn tmpdir(name: &str) -> TmpDir {
    let d = std::env::temp_dir().join(format!("eidtrust-interop-tls-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    TmpDir(d)
}

fn pki(code: &str) -> StatePki {
    let s = testpki::states::all().into_iter().find(|s| s.code == code).unwrap();
    StatePki::build(&s)
}

/// A client credential written to files, with the DER kept for the in-process verdict.
struct Cred {
    name: String,
    cert: PathBuf,
    key: PathBuf,
    leaf: Vec<u8>,
    ca: Vec<u8>,
}

fn auth_cred(dir: &Path, state: &str, label: &str, edit: &dyn Fn(&mut LeafSpec)) -> (Cred, LeafSpec) {
    let p = pki(state);
    let mut spec = LeafSpec::valid(&p.state, T::Auth, label);
    edit(&mut spec);
    let key = p.leaf_key(label);
    let leaf = spec.issue(&key, p.issuing(IssuingCa::Ordinary));
    let name = format!("{state}-{label}");
    let cert = dir.join(format!("{name}.pem"));
    let keyf = dir.join(format!("{name}.key"));
    std::fs::write(&cert, format!("{}{}", leaf.pem(), p.ca.pem())).unwrap();
    std::fs::write(&keyf, key.pkcs8_pem()).unwrap();
    (Cred { name, cert, key: keyf, leaf: leaf.der, ca: p.ca.der.clone() }, spec)
}

/// A relying party: the serve-rp process and its configuration, mirrored in-process.
struct RelyingParty {
    child: Child,
    lines: BufReader<ChildStdout>,
    address: String,
    server_ca: PathBuf,
    verifier: ClientVerifier,
    /// The anchors the relying party loads.
    anchors: Vec<Certificate>,
    /// The issuer rules of its foreign anchors.
    issuer_rules: Vec<(Certificate, eidtrust::profile::Profile)>,
}

impl Drop for RelyingParty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl RelyingParty {
    /// `serve-rp --profile B` loading the roots of `anchor_states` and the CRLs given.
    fn start(dir: &Path, profile: &str, anchor_states: &[&str], crls: &[(PathBuf, Vec<u8>)]) -> RelyingParty {
        Self::start_at(dir, profile, Some(anchor_states), crls, AT, None)
    }

    /// `serve-rp --profile B` at `at`, with the roots of `anchor_states`, or with the anchors
    /// the relying state loads by default (`None`: read back from the listening line).
    fn start_at(
        dir: &Path,
        profile: &str,
        anchor_states: Option<&[&str]>,
        crls: &[(PathBuf, Vec<u8>)],
        at: &str,
        server_cred: Option<&Cred>,
    ) -> RelyingParty {
        let mut cmd = Command::new(bin());
        cmd.args(["interop", "serve-rp", "--profile", profile, "--listen", "127.0.0.1:0", "--at", at]);
        // The default anchors are found relative to the workspace root.
        cmd.current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."));
        let server_ca = dir.join(format!("rp-{profile}-ca.pem"));
        match server_cred {
            Some(c) => cmd.arg("--cert").arg(&c.cert).arg("--key").arg(&c.key),
            None => cmd.arg("--server-ca-out").arg(&server_ca),
        };
        let mut anchors = Vec::new();
        for s in anchor_states.unwrap_or_default() {
            let root = pki(s).root;
            let f = dir.join(format!("root-{s}.pem"));
            std::fs::write(&f, root.pem()).unwrap();
            cmd.arg("--anchors").arg(&f);
            anchors.push(Certificate::from_der(&root.der).unwrap());
        }
        for (f, _) in crls {
            cmd.arg("--crl").arg(f);
        }
        let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        lines.read_line(&mut first).unwrap();
        let v: serde_json::Value = serde_json::from_str(&first).unwrap_or_else(|e| panic!("{first:?}: {e}"));
        assert_eq!(v["event"], "listening");
        assert_eq!(v["profile"], profile);
        let address = v["address"].as_str().unwrap().to_string();
        let mut issuer_rules = Vec::new();
        if anchor_states.is_none() {
            // The relying configuration the matrix uses; the server must announce the same anchors.
            let u = interop::Universe::embedded().unwrap();
            let relying = interop::matrix::Relying::build(&u, u.index(profile).unwrap()).unwrap();
            let own = eidtrust::profile::builtin(profile).unwrap();
            let announced: Vec<&str> =
                v["anchor_sources"].as_array().unwrap().iter().map(|s| s["subject"].as_str().unwrap()).collect();
            let configured = relying.anchors(&u);
            assert_eq!(announced, configured.iter().map(|a| a.cert.subject.display_short()).collect::<Vec<_>>());
            for a in configured {
                // A foreign anchor's chains follow the issuer's rules, as in the matrix.
                if a.issuer != profile {
                    let issuer = eidtrust::profile::builtin(&a.issuer).unwrap();
                    issuer_rules.push((a.cert.clone(), interop::matrix::foreign_view(&issuer, &own)));
                }
                anchors.push(a.cert);
            }
        }
        let time = time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339).unwrap();

        let anchors_kept = anchors.clone();
        let ctx = TrustContext::new(eidtrust::profile::builtin(profile).unwrap(), anchors);
        let crls: Vec<Crl> = crls.iter().map(|(_, d)| Crl::from_der(d).unwrap()).collect();
        let mode = if crls.is_empty() { RevocationMode::Off } else { RevocationMode::Prefer };
        let mut verifier = ClientVerifier::new(Arc::new(ctx), Arc::new(FixedClock::new(time.unix_timestamp())))
            .leaf_check(LeafCheck::AsType(CertType::Auth))
            .crls(crls, mode);
        for (a, r) in &issuer_rules {
            verifier = verifier.issuer_rules(a, r.clone());
        }
        RelyingParty { child, lines, address, server_ca, verifier, anchors: anchors_kept, issuer_rules }
    }

    fn next_event(&mut self) -> serde_json::Value {
        let mut line = String::new();
        self.lines.read_line(&mut line).unwrap();
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{line:?}: {e}"))
    }

    /// Runs `interop tls` with `cred`; returns the exit code, the client's JSON report and the
    /// relying party's event line.
    fn connect(&mut self, cred: &Cred, extra: &[&str]) -> (i32, serde_json::Value, serde_json::Value) {
        let out = Command::new(bin())
            .args(["interop", "tls", "--connect", &self.address, "--format", "json", "--timeout", "20"])
            .arg("--cert")
            .arg(&cred.cert)
            .arg("--key")
            .arg(&cred.key)
            .arg("--server-anchors")
            .arg(&self.server_ca)
            .args(extra)
            .output()
            .unwrap();
        let code = out.status.code().unwrap_or(-1);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let report: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!(
                "{}: exit {code}, stdout {stdout:?}, stderr {:?}: {e}",
                cred.name,
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let event = self.next_event();
        (code, report, event)
    }

    fn expected(&self, cred: &Cred) -> Decision {
        self.verifier.decide(&cred.leaf, &[cred.ca.as_slice()])
    }

    /// Connects with `cred` and checks client, relying party and in-process verdict agree.
    fn check(&mut self, cred: &Cred, extra: &[&str]) -> (Decision, serde_json::Value, serde_json::Value) {
        let expected = self.expected(cred);
        let (code, report, event) = self.connect(cred, extra);
        let ctx = format!("{} at {}: report {report:#}\nevent {event:#}", cred.name, self.address);
        assert_eq!(code, if expected.accepted() { 0 } else { 1 }, "{ctx}");
        assert_eq!(report["outcome"], if expected.accepted() { "accepted" } else { "rejected" }, "{ctx}");
        assert_eq!(event["accepted"], expected.accepted(), "{ctx}");
        let logged = &event["decision"];
        assert_eq!(logged["indication"], expected.verdict.indication.as_str(), "{ctx}");
        let ids = |v: &serde_json::Value| -> Vec<String> {
            v["findings"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap().to_string()).collect()
        };
        let expected_ids: Vec<String> = expected.verdict.findings.iter().map(|f| f.id.to_string()).collect();
        assert_eq!(ids(logged), expected_ids, "{ctx}");
        if expected.accepted() {
            // The verdict the relying party sent over TLS is the one it logged.
            assert_eq!(&report["relying_party_verdict"], logged, "{ctx}");
        } else {
            assert!(report["alert"].is_string(), "{ctx}");
            assert!(report["relying_party_verdict"].is_null(), "{ctx}");
        }
        (expected, report, event)
    }
}

fn has_finding(event: &serde_json::Value, id: &str) -> bool {
    event["decision"]["findings"].as_array().unwrap().iter().any(|f| f["id"] == id)
}

#[test]
fn serbian_relying_party() {
    let dir = tmpdir("rs");
    let rs = pki("rs");
    let (revoked, revoked_spec) = auth_cred(&dir, "rs", "leaf-revoked-ordinary-ca", &|_| {});
    let crl = StatePki::crl(
        &rs.ca,
        12,
        times::CRL_THIS,
        times::CRL_NEXT,
        vec![testpki::pki::revoked(&revoked_spec.serial, times::REVOKED_AT)],
    )
    .issue(&rs.ca.key);
    let crl_file = dir.join("rs-ca.crl");
    std::fs::write(&crl_file, &crl).unwrap();
    let mut rp = RelyingParty::start(&dir, "rs", &["rs"], &[(crl_file, crl)]);

    // A == B: accepted, over TLS 1.3 and TLS 1.2.
    let (own, _) = auth_cred(&dir, "rs", "auth", &|_| {});
    let (d, report, _) = rp.check(&own, &[]);
    assert!(d.accepted(), "{:?}", d.verdict);
    assert_eq!(report["protocol"], "TLSv1_3");
    let (_, report, _) = rp.check(&own, &["--tls-version", "1.2"]);
    assert_eq!(report["protocol"], "TLSv1_2");

    // Montenegro's citizen at a Serbian RP that does not load Montenegro's anchors.
    let (me, _) = auth_cred(&dir, "me", "auth", &|_| {});
    let (d, report, event) = rp.check(&me, &[]);
    assert!(!d.accepted());
    assert_eq!(report["alert"], "unknown_ca");
    assert!(has_finding(&event, "rfc5280.path.no-issuer"), "{event:#}");

    // Expired, revoked, wrong extended key usage.
    let (expired, _) = auth_cred(&dir, "rs", "tls-expired", &|s| {
        s.not_before = times::EXPIRED_FROM;
        s.not_after = times::EXPIRED_TO;
    });
    let (_, report, event) = rp.check(&expired, &[]);
    assert_eq!(report["alert"], "certificate_expired");
    assert!(has_finding(&event, "rfc5280.validity.expired"));
    let (_, report, event) = rp.check(&revoked, &[]);
    assert_eq!(report["alert"], "certificate_revoked");
    assert!(has_finding(&event, "rfc5280.revocation.revoked"));
    let (server_eku, _) =
        auth_cred(&dir, "rs", "tls-server-eku", &|s| s.ext_key_usage = vec![testpki::x509::ext::KP_SERVER_AUTH]);
    let (_, report, event) = rp.check(&server_eku, &["--tls-version", "1.2"]);
    assert_eq!(report["alert"], "unsupported_certificate");
    assert!(has_finding(&event, "rfc5280.ext-key-usage.purpose-missing"));
}

#[test]
fn cross_border_relying_parties() {
    let dir = tmpdir("cross");
    let creds: Vec<Cred> =
        ["rs", "mk", "me", "hr", "al"].iter().map(|s| auth_cred(&dir, s, "auth", &|_| {}).0).collect();
    // North Macedonia loading its own and Serbia's anchors (as the 2019 treaty would have it);
    // Croatia (EU) loading only its own; Albania loading its own.
    for (b, anchors) in [("mk", vec!["mk", "rs"]), ("hr", vec!["hr"]), ("al", vec!["al"])] {
        let mut rp = RelyingParty::start(&dir, b, &anchors, &[]);
        let mut seen = Vec::new();
        for cred in &creds {
            let (d, _, event) = rp.check(cred, &[]);
            let a = &cred.name[..2];
            if a == b {
                assert!(d.accepted(), "{a} at {b}: {:?}", d.verdict);
            }
            if !anchors.contains(&a) {
                assert!(!d.accepted(), "{a} at {b} without {a}'s anchors");
                assert!(has_finding(&event, "rfc5280.path.no-issuer"), "{event:#}");
            }
            seen.push(format!("{a}->{b}:{}", d.accepted()));
        }
        eprintln!("{}", seen.join(" "));
    }
}

#[test]
fn bad_input_and_unreachable_exit_2() {
    let dir = tmpdir("bad");
    let (cred, _) = auth_cred(&dir, "rs", "auth", &|_| {});
    // Nothing listens on this port (bound, then released).
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let out = Command::new(bin())
        .args(["interop", "tls", "--connect", &format!("127.0.0.1:{port}"), "--insecure-server-cert", "--timeout", "2"])
        .arg("--cert")
        .arg(&cred.cert)
        .arg("--key")
        .arg(&cred.key)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let out = Command::new(bin())
        .args(["interop", "tls", "--connect", "127.0.0.1:1", "--insecure-server-cert", "--key"])
        .arg(&cred.key)
        .arg("--cert")
        .arg(dir.join("missing.pem"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.pem"));
    // A key file that is a certificate.
    let out = Command::new(bin())
        .args(["interop", "tls", "--connect", "127.0.0.1:1", "--insecure-server-cert", "--cert"])
        .arg(&cred.cert)
        .arg("--key")
        .arg(&cred.cert)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // serve-rp with an unknown profile.
    let out = Command::new(bin())
        .args(["interop", "serve-rp", "--profile", "zz", "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn wrong_server_anchor_is_not_an_answer() {
    let dir = tmpdir("pin");
    let (cred, _) = auth_cred(&dir, "rs", "auth", &|_| {});
    let mut rp = RelyingParty::start(&dir, "rs", &["rs"], &[]);
    // The client pins another CA (the RS root) for the server: it refuses the server, exit 2.
    let out = Command::new(bin())
        .args(["interop", "tls", "--connect", &rp.address, "--format", "json"])
        .arg("--cert")
        .arg(&cred.cert)
        .arg("--key")
        .arg(&cred.key)
        .arg("--server-anchors")
        .arg(dir.join("root-rs.pem"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("server certificate was refused"));
    let event = rp.next_event();
    assert_eq!(event["accepted"], false);
    // With --insecure-server-cert the same client is accepted.
    let out = Command::new(bin())
        .args(["interop", "tls", "--connect", &rp.address, "--insecure-server-cert"])
        .arg("--cert")
        .arg(&cred.cert)
        .arg("--key")
        .arg(&cred.key)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("ACCEPTED"));
    assert_eq!(rp.next_event()["accepted"], true);
}

/// The live check against the interop matrix: each relying state B runs with the anchors it
/// loads by default (as the matrix configures it), at the matrix's date; A's authentication
/// certificate is accepted over TLS exactly when the matrix's technical verdict for the cell
/// A->B/auth accepts A's valid samples.
#[test]
fn live_check_agrees_with_the_matrix() {
    use interop::matrix::TechVerdict;
    let dir = tmpdir("matrix");
    let at = interop::rfc3339(interop::DEFAULT_AT);
    let universe = interop::data::Universe::embedded().unwrap();
    let issuers = ["rs", "me", "mk", "hr", "si", "al"];
    let relying = ["rs", "hr", "mk", "al"];
    let idx = |s: &str| universe.index(s).unwrap();
    let m = interop::matrix::run(
        &universe,
        interop::DEFAULT_AT,
        &issuers.map(idx),
        &relying.map(idx),
        &[interop::Kind::Auth],
        &|| {},
    );
    let creds: Vec<Cred> = issuers.iter().map(|s| auth_cred(&dir, s, "auth", &|_| {}).0).collect();
    let mut compared = 0;
    for b in relying {
        let mut rp = RelyingParty::start_at(&dir, b, None, &[], &at, None);
        for cred in &creds {
            let a = &cred.name[..2];
            let (d, _, _) = rp.check(cred, &[]);
            let cell = m.cell(a, b, interop::Kind::Auth).unwrap();
            eprintln!("{a}->{b}/auth: live {} matrix {:?}", d.accepted(), cell.technical.verdict);
            match cell.technical.verdict {
                TechVerdict::Accepted => {
                    assert!(d.accepted(), "{a}->{b}: matrix accepts, live check rejects: {:?}", d.verdict)
                }
                TechVerdict::Rejected => assert!(!d.accepted(), "{a}->{b}: matrix rejects, live check accepts"),
                TechVerdict::PartiallyAccepted => continue,
            }
            compared += 1;
        }
    }
    assert!(compared >= 20, "only {compared} cells compared");
}

/// A's website (its QWAC, served by `serve-rp --cert/--key`) visited from relying state B
/// (`interop tls --server-trust B --server-type qwac`): the server certificate is accepted exactly
/// when B's `ServerVerifier` accepts it in-process, and that agrees with the matrix's technical
/// verdict for A->B/qwac.
#[test]
fn qwac_live_check_agrees_with_the_matrix() {
    use eidtrust::tls::ServerVerifier;
    use interop::matrix::TechVerdict;
    let dir = tmpdir("qwac");
    let at = interop::rfc3339(interop::DEFAULT_AT);
    let universe = interop::data::Universe::embedded().unwrap();
    let issuers = ["rs", "hr", "si", "me"];
    let relying = ["rs", "hr", "mk"];
    let idx = |s: &str| universe.index(s).unwrap();
    let m = interop::matrix::run(
        &universe,
        interop::DEFAULT_AT,
        &issuers.map(idx),
        &relying.map(idx),
        &[interop::Kind::Qwac],
        &|| {},
    );
    // B's anchors as serve-rp reports them (its default relying configuration).
    type Trust = (&'static str, Vec<Certificate>, Vec<(Certificate, eidtrust::profile::Profile)>);
    let relying_anchors: Vec<Trust> = relying
        .iter()
        .map(|b| {
            let rp = RelyingParty::start_at(&dir, b, None, &[], &at, None);
            (*b, rp.anchors.clone(), rp.issuer_rules.clone())
        })
        .collect();
    let mut compared = 0;
    let mut accepted = 0;
    for a in issuers {
        let p = pki(a);
        // A's QWAC, valid at the matrix date.
        let mut spec = LeafSpec::valid(&p.state, T::Qwac, "tls-qwac");
        spec.not_before = time::macros::datetime!(2026-01-01 00:00:00 UTC);
        spec.not_after = time::macros::datetime!(2026-12-31 23:59:59 UTC);
        let key = p.leaf_key("tls-qwac");
        let leaf = spec.issue(&key, &p.qualified_ca);
        let site = Cred {
            name: format!("{a}-qwac"),
            cert: dir.join(format!("{a}-qwac.pem")),
            key: dir.join(format!("{a}-qwac.key")),
            leaf: leaf.der.clone(),
            ca: p.qualified_ca.der.clone(),
        };
        std::fs::write(&site.cert, format!("{}{}", leaf.pem(), p.qualified_ca.pem())).unwrap();
        std::fs::write(&site.key, key.pkcs8_pem()).unwrap();
        let (citizen, _) = auth_cred(&dir, a, "auth", &|_| {});
        let mut rp = RelyingParty::start_at(&dir, a, Some(&[a]), &[], &at, Some(&site));
        let host = p.state.host("www");
        for (b, anchors, rules) in &relying_anchors {
            let ctx = TrustContext::new(eidtrust::profile::builtin(b).unwrap(), anchors.clone());
            let mut sv = ServerVerifier::new(Arc::new(ctx), Arc::new(FixedClock::new(interop::DEFAULT_AT)))
                .leaf_check(LeafCheck::AsType(CertType::Qwac));
            for (anchor, r) in rules {
                sv = sv.issuer_rules(anchor, r.clone());
            }
            let expected = sv.decide(&site.leaf, &[site.ca.as_slice()], &host);
            let out = Command::new(bin())
                .args(["interop", "tls", "--connect", &rp.address, "--format", "json", "--at", &at])
                .args(["--server-trust", b, "--server-type", "qwac", "--server-name", &host])
                .arg("--cert")
                .arg(&citizen.cert)
                .arg("--key")
                .arg(&citizen.key)
                .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            let event = rp.next_event();
            if expected.accepted() {
                assert_eq!(out.status.code(), Some(0), "{a}->{b}: {stderr}");
                let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
                assert_eq!(report["server_verdict"]["accepted"], true);
                assert_eq!(event["accepted"], true, "the citizen of {a} at {a}'s own site");
                accepted += 1;
            } else {
                assert_eq!(out.status.code(), Some(2), "{a}->{b}: {}", String::from_utf8_lossy(&out.stdout));
                assert!(stderr.contains("server certificate was refused"), "{stderr}");
                assert_eq!(event["accepted"], false);
            }
            let cell = m.cell(a, b, interop::Kind::Qwac).unwrap();
            eprintln!("{a}->{b}/qwac: live {} matrix {:?}", expected.accepted(), cell.technical.verdict);
            match cell.technical.verdict {
                TechVerdict::Accepted => {
                    assert!(expected.accepted(), "{a}->{b}: matrix accepts, live rejects: {stderr}")
                }
                TechVerdict::Rejected => assert!(!expected.accepted(), "{a}->{b}: matrix rejects, live accepts"),
                TechVerdict::PartiallyAccepted => continue,
            }
            compared += 1;
        }
    }
    assert!(compared >= 8, "only {compared} cells compared");
    assert!(accepted >= 3, "only {accepted} accepted: the check must also show acceptance");
}
