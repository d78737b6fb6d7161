//! The matrix against the legal facts of issue 6 and against the validators' own verdicts.

use eidtrust::pki::validate::Options;
use eidtrust::TrustContext;
use eidtrust_interop::data::Credential;
use eidtrust_interop::matrix::{self, Class, TechVerdict};
use eidtrust_interop::{Kind, Matrix, Universe, DEFAULT_AT};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn universe() -> &'static Universe {
    static U: OnceLock<Universe> = OnceLock::new();
    U.get_or_init(|| Universe::embedded().unwrap())
}

fn full(at: i64) -> Matrix {
    let u = universe();
    let all: Vec<usize> = (0..u.states.len()).collect();
    matrix::run(u, at, &all, &all, &Kind::ALL, &|| {})
}

fn at(s: &str) -> i64 {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).unwrap().unix_timestamp()
}

fn default_matrix() -> &'static Matrix {
    static M: OnceLock<Matrix> = OnceLock::new();
    M.get_or_init(|| full(DEFAULT_AT))
}

fn cell<'m>(m: &'m Matrix, a: &str, b: &str, k: Kind) -> &'m eidtrust_interop::Cell {
    m.cell(a, b, k).unwrap_or_else(|| panic!("no cell {a}->{b}/{k}"))
}

fn one(a: &str, b: &str, k: Kind, t: i64) -> eidtrust_interop::Cell {
    let u = universe();
    let m = matrix::run(u, t, &[u.index(a).unwrap()], &[u.index(b).unwrap()], &[k], &|| {});
    m.cells.into_iter().next().unwrap()
}

const WB: [&str; 6] = ["rs", "me", "mk", "al", "ba", "xk"];
const EU: [&str; 5] = ["hr", "si", "bg", "ro", "el"];
const QUALIFIED: [Kind; 3] = [Kind::QualifiedEsig, Kind::QualifiedEseal, Kind::Qwac];

#[test]
fn the_full_matrix_has_every_cell() {
    let m = default_matrix();
    assert_eq!(m.cells.len(), 11 * 11 * 5);
    for c in &m.cells {
        assert_eq!(c.technical.valid_samples + c.technical.invalid_samples, 10, "{}", c.id);
    }
}

#[test]
fn rs_recognises_mk_qualified_services_from_the_treaty_in_force() {
    // Signed 26 Aug 2019, ratified by Serbia in 2020 (day not recorded): counted from 2021.
    for k in QUALIFIED {
        assert!(one("mk", "rs", k, at("2021-06-01T00:00:00Z")).legal.recognised, "{k}");
        assert!(!one("mk", "rs", k, at("2019-09-01T00:00:00Z")).legal.recognised, "{k}");
        let c = one("mk", "rs", k, at("2020-06-01T00:00:00Z"));
        assert!(!c.legal.recognised, "{k}: the day in 2020 is not recorded");
        assert!(c.findings.iter().any(|f| f.id == "interop.legal.not-yet-applicable"));
    }
    let c = cell(default_matrix(), "mk", "rs", Kind::QualifiedEsig);
    assert_eq!(c.legal.basis.as_ref().unwrap().instrument, "rs-mk-qts-2019");
    // ... but Serbia does not load North Macedonia's list: an interop gap, with the reason.
    assert_eq!(c.class, Class::Gap);
    assert!(c.technical.reasons.iter().any(|r| r.contains("RS does not load TL-MK")), "{:?}", c.technical.reasons);
    assert!(c.findings.iter().any(|f| f.id == "interop.gap.trust-source-not-loaded"));
    // The treaty is not in force for North Macedonia as recorded, and does not cover eID.
    let back = cell(default_matrix(), "rs", "mk", Kind::QualifiedEsig);
    assert!(!back.legal.recognised);
    assert!(back.findings.iter().any(|f| f.id == "interop.legal.instrument-not-in-force"));
    assert!(!cell(default_matrix(), "mk", "rs", Kind::Auth).legal.recognised);
}

#[test]
fn eu_members_do_not_recognise_western_balkans_credentials() {
    let m = default_matrix();
    for a in WB {
        for b in EU {
            for k in Kind::ALL {
                let c = cell(m, a, b, k);
                assert!(!c.legal.recognised, "{}", c.id);
                assert!(c.findings.iter().any(|f| f.id == "interop.legal.no-agreement"), "{}: Art. 14 shown", c.id);
                assert_eq!(c.class, Class::Neither, "{}", c.id);
            }
        }
    }
}

#[test]
fn eu_members_recognise_each_other() {
    let m = default_matrix();
    for a in EU {
        for b in EU {
            for k in QUALIFIED {
                let c = cell(m, a, b, k);
                assert!(c.legal.recognised, "{}", c.id);
                assert_eq!(c.class, Class::RecognisedAccepted, "{}", c.id);
            }
            let auth = cell(m, a, b, Kind::Auth);
            assert!(auth.legal.recognised, "{}", auth.id);
            if a != b {
                assert_eq!(auth.legal.basis.as_ref().unwrap().loa, Some(eidtrust_interop::agreement::Loa::Substantial));
            }
        }
    }
    // Trust services only from 1 July 2016 (eIDAS Art. 52).
    assert!(!one("hr", "si", Kind::QualifiedEsig, at("2016-06-30T00:00:00Z")).legal.recognised);
    assert!(one("hr", "si", Kind::QualifiedEsig, at("2016-07-01T00:00:00Z")).legal.recognised);
}

#[test]
fn the_tirana_memorandum_never_recognises_anything() {
    let m = default_matrix();
    for a in WB {
        for b in WB {
            for k in Kind::ALL {
                let c = cell(m, a, b, k);
                for cons in c.legal.considered.iter().filter(|x| x.instrument == "tirana-memorandum-2020") {
                    assert!(!cons.counted, "{}", c.id);
                }
                if let Some(basis) = &c.legal.basis {
                    assert_ne!(basis.instrument, "tirana-memorandum-2020", "{}", c.id);
                }
            }
        }
    }
    let c = cell(m, "me", "ba", Kind::QualifiedEsig);
    assert!(!c.legal.recognised);
    assert!(c.legal.considered.iter().any(|x| x.instrument == "tirana-memorandum-2020"));
}

#[test]
fn open_balkan_links_identifiers_but_recognises_nothing() {
    let m = default_matrix();
    for (a, b) in [("rs", "al"), ("al", "mk"), ("mk", "rs")] {
        for k in [Kind::Auth, Kind::Pid] {
            let c = cell(m, a, b, k);
            assert!(!c.legal.recognised, "{}", c.id);
            assert!(c.findings.iter().any(|f| f.id == "interop.legal.identifier-linking-only"), "{}", c.id);
            let id = c.identifier.as_ref().unwrap();
            assert!(id.relying_rule.contains("open-balkan-eid"), "{}", id.relying_rule);
        }
    }
}

#[test]
fn reported_serbia_montenegro_agreement_is_shown_never_counted() {
    let c = cell(default_matrix(), "me", "rs", Kind::QualifiedEsig);
    assert!(!c.legal.recognised);
    let cons = c.legal.considered.iter().find(|x| x.instrument == "rs-me-reported").unwrap();
    assert!(!cons.counted);
}

#[test]
fn unilateral_recognitions_of_eu_services() {
    let m = default_matrix();
    for a in EU {
        for k in QUALIFIED {
            assert_eq!(cell(m, a, "rs", k).legal.basis.as_ref().unwrap().instrument, "rs-eu-2021");
            assert_eq!(cell(m, a, "al", k).legal.basis.as_ref().unwrap().instrument, "al-eu-2016");
            // Albania loads no EU list: a gap.
            assert_eq!(cell(m, a, "al", k).class, Class::Gap);
        }
        // Kosovo: signatures only, date not recorded (counted with a warning).
        let xk = cell(m, a, "xk", Kind::QualifiedEsig);
        assert!(xk.legal.recognised);
        assert!(xk.findings.iter().any(|f| f.id == "interop.legal.since-not-recorded"));
        assert!(!cell(m, a, "xk", Kind::QualifiedEseal).legal.recognised);
        // Serbia loads the LOTL (unconfirmed): accepted, with a warning.
        let rs = cell(m, a, "rs", Kind::QualifiedEsig);
        assert_eq!(rs.class, Class::RecognisedAccepted);
        assert!(rs.findings.iter().any(|f| f.id == "interop.tech.source-unconfirmed"));
        // EU PIDs are not recognised by Serbia, and not accepted either.
        assert_eq!(cell(m, a, "rs", Kind::Pid).class, Class::Neither);
    }
    // Before the 2021 amendment is certainly in force (counted from 2022).
    assert!(!one("hr", "rs", Kind::QualifiedEsig, at("2021-06-01T00:00:00Z")).legal.recognised);
}

#[test]
fn a_state_recognises_its_own_credentials_by_its_own_law() {
    let m = default_matrix();
    for s in WB.iter().chain(EU.iter()) {
        for k in Kind::ALL {
            let c = cell(m, s, s, k);
            assert_eq!(c.legal.basis.as_ref().unwrap().instrument, "national-law");
            assert_eq!(c.class, Class::RecognisedAccepted, "{}", c.id);
            assert_eq!(c.technical.invalid_accepted, 0, "{}", c.id);
        }
    }
}

#[test]
fn no_cell_accepts_a_deliberately_invalid_sample() {
    assert_eq!(default_matrix().summary.invalid_accepted, 0);
}

#[test]
fn identifiers_map_to_the_eidas_form() {
    let c = cell(default_matrix(), "mk", "rs", Kind::QualifiedEsig);
    let id = c.identifier.as_ref().unwrap();
    assert!(id.issued.starts_with("PNOMK-"));
    assert_eq!(id.eidas, format!("MK/RS/{}", id.issued.trim_start_matches("PNOMK-")));
    assert!(c.findings.iter().any(|f| f.id == "interop.ident.foreign-identifier"));
    let pid = cell(default_matrix(), "hr", "si", Kind::Pid);
    assert!(pid.identifier.as_ref().unwrap().eidas.starts_with("HR/SI/"));
}

/// Technical cells against the validator's own verdicts: B's TrustContext (B's profile, B's
/// anchors) on A's samples, computed here without the matrix.
#[test]
fn technical_verdicts_are_the_validators_own() {
    let u = universe();
    let m = default_matrix();
    let opts_at = |ctx: &TrustContext| -> Options { ctx.options(DEFAULT_AT) };
    for s in ["rs", "hr", "mk"] {
        let st = u.state(s).unwrap();
        let ctx = TrustContext::new(st.profile.clone(), vec![st.root.clone()]);
        for k in [Kind::QualifiedEsig, Kind::QualifiedEseal, Kind::Qwac, Kind::Auth] {
            let c = cell(m, s, s, k);
            for sample in st.samples.iter().filter(|x| x.kind == k) {
                let Credential::Cert { leaf, intermediates } = &sample.credential else { panic!() };
                let v = ctx.validate(leaf, intermediates, &[], &opts_at(&ctx), k.cert_type());
                let r = c.technical.samples.iter().find(|x| x.id == sample.id).unwrap();
                assert_eq!(r.accepted, v.verdict.is_valid(), "{}", sample.id);
                assert_eq!(r.accepted, sample.expected_valid, "{}", sample.id);
            }
        }
    }
    // A foreign cell: RS on HR's qualified signatures, with HR's qualified CA as the only anchor
    // and HR's rules for the certificate's content.
    let hr = u.state("hr").unwrap();
    let rs = u.state("rs").unwrap();
    let mut view = hr.profile.clone();
    view.algorithms = rs.profile.algorithms.clone();
    let ctx = TrustContext::new(view, vec![hr.qualified_ca.clone()]);
    let c = cell(m, "hr", "rs", Kind::QualifiedEsig);
    for sample in hr.samples.iter().filter(|x| x.kind == Kind::QualifiedEsig) {
        let Credential::Cert { leaf, intermediates } = &sample.credential else { panic!() };
        let v =
            ctx.validate(leaf, intermediates, &[], &opts_at(&ctx), Some(eidtrust::profile::CertType::QualifiedEsig));
        let r = c.technical.samples.iter().find(|x| x.id == sample.id).unwrap();
        assert_eq!(r.accepted, v.verdict.is_valid(), "{}", sample.id);
    }
    // PIDs: the token crate with RS's anchors.
    let c = cell(m, "rs", "rs", Kind::Pid);
    let tv = eidtrust::token::x5c::PkiChainValidator::from_anchor_ders(&[rs.root.der().to_vec()]).unwrap();
    let policy = eidtrust::token::TokenPolicy::default();
    let keys = eidtrust::token::KeySet::new();
    for sample in rs.samples.iter().filter(|x| x.kind == Kind::Pid) {
        let Credential::Token(bytes) = &sample.credential else { panic!() };
        let mut cx = eidtrust::token::VerifyContext::new(&keys, &policy, DEFAULT_AT);
        cx.chain_validator = Some(&tv);
        let rep = eidtrust::token::verify_token(bytes, &cx);
        let r = c.technical.samples.iter().find(|x| x.id == sample.id).unwrap();
        assert_eq!(r.accepted, rep.is_valid(), "{}: {:?}", sample.id, rep.verdict.findings);
        assert_eq!(r.accepted, sample.expected_valid, "{}", sample.id);
    }
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A copy of the data layout (profiles copied, test-vectors linked) to edit in a test.
fn data_copy(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("eidtrust-interop-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(d.join("profiles/agreements")).unwrap();
    for e in std::fs::read_dir(repo().join("profiles")).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, d.join("profiles").join(p.file_name().unwrap())).unwrap();
        }
    }
    for e in std::fs::read_dir(repo().join("profiles/agreements")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, d.join("profiles/agreements").join(p.file_name().unwrap())).unwrap();
    }
    #[cfg(unix)]
    std::os::unix::fs::symlink(repo().join("test-vectors").canonicalize().unwrap(), d.join("test-vectors")).unwrap();
    d
}

#[cfg(unix)]
#[test]
fn the_relying_configuration_drives_the_technical_verdict() {
    let d = data_copy("leak");
    // Montenegro loads Serbia's anchors: accepted without any instrument in force -> trust leak.
    let me = d.join("profiles/me.toml");
    let mut text = std::fs::read_to_string(&me).unwrap();
    text = text.replacen(
        "[[loa]]",
        "[[trust_sources]]\nkind = \"foreign-synthetic-anchors\"\nlocation = \"test-vectors/rs/\"\ntest_material = true\nstatus = \"unconfirmed\"\nsource = \"test\"\n\n[[loa]]",
        1,
    );
    std::fs::write(&me, text).unwrap();
    // Serbia loads North Macedonia's anchors: the treaty gap closes.
    let rs = d.join("profiles/rs.toml");
    let mut text = std::fs::read_to_string(&rs).unwrap();
    text = text.replacen(
        "[[loa]]",
        "[[trust_sources]]\nkind = \"foreign-synthetic-anchors\"\nlocation = \"test-vectors/mk/\"\ntest_material = true\nstatus = \"confirmed\"\nsource = \"test\"\n\n[[loa]]",
        1,
    );
    std::fs::write(&rs, text).unwrap();
    let u = Universe::load_dir(&d).unwrap();
    let idx = |s: &str| u.index(s).unwrap();
    let m = matrix::run(&u, DEFAULT_AT, &[idx("rs"), idx("mk")], &[idx("me"), idx("rs")], &Kind::ALL, &|| {});
    let leak = m.cell("rs", "me", Kind::QualifiedEsig).unwrap();
    assert_eq!(leak.class, Class::Leak);
    assert_eq!(leak.technical.verdict, TechVerdict::Accepted);
    assert!(leak.findings.iter().any(|f| f.id == "interop.leak.accepted-without-legal-basis"));
    assert_eq!(m.cell("rs", "me", Kind::Auth).unwrap().class, Class::Leak);
    assert!(m.summary.leaks > 0);
    assert_eq!(m.cell("mk", "rs", Kind::QualifiedEsig).unwrap().class, Class::RecognisedAccepted);
    // Authentication from MK: RS now accepts it technically but no instrument recognises it.
    assert_eq!(m.cell("mk", "rs", Kind::Auth).unwrap().class, Class::Leak);
    let _ = std::fs::remove_dir_all(&d);
}

#[cfg(unix)]
#[test]
fn bad_agreement_and_profile_files_give_file_line_errors() {
    let d = data_copy("bad");
    let f = d.join("profiles/agreements/rs-mk-qts-2019.toml");
    let text = std::fs::read_to_string(&f).unwrap().replace("status = \"signed\"", "status = \"ratified\"");
    std::fs::write(&f, text).unwrap();
    let e = Universe::load_dir(&d).unwrap_err().to_string();
    assert!(e.contains("rs-mk-qts-2019.toml:30:10:"), "{e}");
    assert!(e.contains("ratified"), "{e}");
    std::fs::copy(repo().join("profiles/agreements/rs-mk-qts-2019.toml"), &f).unwrap();
    let p = d.join("profiles/rs.toml");
    let text = std::fs::read_to_string(&p).unwrap().replace("kind = \"lotl\"", "kind = \"lotl-eu\"");
    std::fs::write(&p, text).unwrap();
    let e = Universe::load_dir(&d).unwrap_err().to_string();
    assert!(e.contains("rs.toml:") && e.contains("lotl-eu"), "{e}");
    let _ = std::fs::remove_dir_all(&d);
}
