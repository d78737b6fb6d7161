//! Mutual recognition through the binary: `tl qualify --lotl L --tl TC` reads a third-country list
//! (here the RS test list rewritten in a third-country vocabulary and re-signed by the RS scheme
//! signer) through the EU MRA extension of its LOTL pointer, with the equivalence history: the
//! agreement was enacted in 2020 (a history instance) and is repealed from 2027 (the current
//! status), so the RS qualified leaf is qualified in 2025 and not in 2027; without the agreement it
//! is never qualified.

use eidtrust::trustlist::build::{sign, with_mutual_recognition, EquivalenceSpec, ListSpec, MraSpec, PointerSpec};
use std::path::PathBuf;
use std::process::Command;
use testpki::pki::{IssuingCa, LeafSpec, StatePki};

const CA_QC: &str = "http://uri.etsi.org/TrstSvc/Svctype/CA/QC";
const GRANTED: &str = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted";
const TC_TYPE: &str = "http://example.org/tc/Svctype/QualifiedCA";
const TC_ACTIVE: &str = "http://example.org/tc/Svcstatus/active";
const ENACTED: &str = "http://ec.europa.eu/tools/lotl/mra/enacted";
const REPEALED: &str = "http://ec.europa.eu/tools/lotl/mra/repealed";

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("eidtrust-tl-mra-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(args: &[&str]) -> (i32, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_eidtrust")).args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let v = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\nstderr: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), v)
}

fn equivalence(status: &str, starting: &str) -> EquivalenceSpec {
    EquivalenceSpec {
        legal_identifier: "http://ec.europa.eu/tools/lotl/mra/QCertESig".into(),
        status: status.into(),
        starting: starting.into(),
        types: (CA_QC.into(), TC_TYPE.into()),
        valid: (vec![GRANTED.into()], vec![TC_ACTIVE.into()]),
        invalid: (vec![], vec![]),
        qualifiers: vec![],
        content: vec![],
        history: vec![],
    }
}

fn ids(v: &serde_json::Value) -> Vec<String> {
    v["findings"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn qualify_reads_a_third_country_list_through_the_agreement_in_force() {
    let rs = testpki::states::all().into_iter().find(|s| s.code == "rs").unwrap();
    let pki = StatePki::build(&rs);
    let signer = testpki::tl::signer(&rs);
    let d = dir();

    // The third-country list: the RS list with a non-EU service type and status, signed.
    let mut spec: ListSpec = testpki::tl::list_spec(&pki, 5);
    spec.territory = "TC".into();
    for p in &mut spec.providers {
        for s in &mut p.services {
            s.type_identifier = TC_TYPE.into();
            for st in &mut s.statuses {
                st.status = TC_ACTIVE.into();
            }
        }
    }
    let tc = sign(&spec.to_xml(), signer.key.pkcs8_pem().as_bytes(), &signer.der).unwrap();
    let tc_path = d.join("tc.xml");
    std::fs::write(&tc_path, tc).unwrap();

    // The LOTL: one pointer to TC declaring the RS signer, with or without the agreement.
    let lotl_xml = ListSpec {
        territory: "EU".into(),
        sequence_number: 3,
        tsl_type: "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUlistofthelists".into(),
        operator: "eidtrust TEST LOTL operator".into(),
        issue: "2025-01-01T00:00:00Z".into(),
        next_update: Some("2035-01-01T00:00:00Z".into()),
        pointers: vec![PointerSpec {
            location: "https://tc.example/tl.xml".into(),
            territory: "TC".into(),
            tsl_type: "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric".into(),
            certificates: vec![signer.der.clone()],
        }],
        providers: vec![],
    }
    .to_xml();
    let mut current = equivalence(REPEALED, "2027-01-01T00:00:00Z");
    current.history = vec![equivalence(ENACTED, "2020-01-01T00:00:00Z")];
    let mra = MraSpec {
        pointing_legislation: "EU 910/2014".into(),
        pointed_legislation: "TC law".into(),
        equivalences: vec![current],
    };
    let with_mra = d.join("lotl-mra.xml");
    std::fs::write(&with_mra, with_mutual_recognition(&lotl_xml, "TC", &mra).unwrap()).unwrap();
    let without_mra = d.join("lotl.xml");
    std::fs::write(&without_mra, &lotl_xml).unwrap();

    let leaf_spec = LeafSpec::valid(&rs, testpki::etsi::CertType::QualifiedEsig, "tl-mra");
    let leaf = leaf_spec.issue(&pki.leaf_key("tl-mra"), pki.issuing(IssuingCa::Qualified));
    let cert = d.join("leaf.der");
    std::fs::write(&cert, &leaf.der).unwrap();

    let qualify = |lotl: &PathBuf, at: &str| {
        run(&[
            "tl",
            "qualify",
            "--lotl",
            lotl.to_str().unwrap(),
            "--tl",
            tc_path.to_str().unwrap(),
            "--cert",
            cert.to_str().unwrap(),
            "--at",
            at,
            "--format",
            "json",
        ])
    };
    // 2025: the historical, enacted instance is in force: qualified, as an EU e-signature QC.
    let (code, v) = qualify(&with_mra, "2025-06-01T00:00:00Z");
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["qualified"], true, "{v:#}");
    assert_eq!(v["type"], "esig");
    let found = ids(&v);
    assert!(found.contains(&"tl.mra.equivalence-applied".to_string()), "{found:?}");
    assert!(found.contains(&"tl.mra.equivalence-history-used".to_string()), "{found:?}");

    // 2027: repealed: not qualified any more.
    let (code, v) = qualify(&with_mra, "2027-06-01T00:00:00Z");
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["qualified"], false);
    assert!(ids(&v).contains(&"tl.mra.not-enacted".to_string()), "{:?}", ids(&v));

    // No agreement on the pointer: the third-country service type qualifies nothing.
    let (code, v) = qualify(&without_mra, "2025-06-01T00:00:00Z");
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["qualified"], false);
    assert!(ids(&v).contains(&"tl.qualify.no-matching-service".to_string()), "{:?}", ids(&v));
    let _ = std::fs::remove_dir_all(&d);
}
