//! End-to-end lint tests on rcgen-made certificates: a correct certificate per (profile, type),
//! then certificates broken in exactly one way, each expected to raise one specific finding id.

mod common;

use common::*;
use eidtrust_profile::qcs::encode::{self, statement, tlv};
use eidtrust_profile::{
    builtin, lint_certificate, lint_many, oids, CertType, LintReport, Profile, TypeSource, BUILTIN_IDS,
};

fn cc_of(p: &Profile) -> String {
    if p.country.0 == "EU" {
        "DE".into()
    } else {
        p.country.0.clone()
    }
}

/// A national identifier valid for the profile (JMBG/OIB/EGN/CNP), when it has one.
fn national_id(p: &Profile) -> Option<String> {
    let cc = cc_of(p);
    let n = p.identifiers.national.first()?;
    let v = match n.scheme.as_str() {
        "jmbg" => valid_jmbg("71"),
        "oib" => "12345678903".to_string(),
        "egn" => "7523169263".to_string(),
        "cnp" => "1800101221144".to_string(),
        _ => return None,
    };
    Some(format!("{}{cc}-{v}", n.type_refs.first()?))
}

fn errors(r: &LintReport) -> Vec<String> {
    r.findings.iter().filter(|f| f.severity.is_failure()).map(|f| format!("{} ({})", f.id, f.message)).collect()
}

fn ids(r: &LintReport) -> Vec<&str> {
    r.findings.iter().map(|f| &*f.id).collect()
}

fn good(ty: CertType, p: &Profile) -> Leaf {
    let natural = matches!(ty, CertType::QualifiedEsig | CertType::Esig | CertType::Auth);
    let id = if natural { national_id(p) } else { None };
    leaf(ty, &cc_of(p), p.eu_member, id)
}

/// Lints `l` as `ty` under profile `pid` and asserts that `id` is reported and the result is
/// not conformant.
fn expect_broken(pid: &str, ty: CertType, l: Leaf, id: &str) -> LintReport {
    let p = builtin(pid).unwrap();
    let iss = issuer(&cc_of(&p));
    let r = lint_certificate(&l.build(&iss), &p, Some(ty));
    assert!(ids(&r).contains(&id), "{pid}/{ty}: expected {id}, got {:?}", r.findings);
    assert!(!r.conformant, "{pid}/{ty}: {id} must make the certificate non-conformant");
    r
}

#[test]
fn correct_certificates_pass_for_every_profile_and_type() {
    for pid in BUILTIN_IDS {
        let p = builtin(pid).unwrap();
        let iss = issuer(&cc_of(&p));
        for ty in CertType::ALL {
            let der = good(ty, &p).build(&iss);
            let r = lint_certificate(&der, &p, Some(ty));
            assert!(r.conformant, "{pid}/{ty}: {:?}", errors(&r));
            assert_eq!(r.type_source, TypeSource::Given);
        }
    }
}

#[test]
fn claimed_type_is_used_and_reported() {
    let p = builtin("rs").unwrap();
    let iss = issuer("RS");
    for ty in [CertType::QualifiedEsig, CertType::QualifiedEseal, CertType::Qwac] {
        let r = lint_certificate(&good(ty, &p).build(&iss), &p, None);
        assert_eq!(r.cert_type, Some(ty));
        assert_eq!(r.type_source, TypeSource::Claimed);
        assert!(ids(&r).contains(&"lint.type.claimed"));
        assert!(r.conformant, "{:?}", errors(&r));
        assert!(!r.claims.is_empty());
    }
    // An NCP+ certificate does not say whether it is esig or auth: never guessed.
    let r = lint_certificate(&good(CertType::Esig, &p).build(&iss), &p, None);
    assert_eq!(r.cert_type, None);
    assert_eq!(r.type_source, TypeSource::Undetermined);
    assert!(ids(&r).contains(&"lint.type.undetermined"));
    assert!(!r.conformant);
}

#[test]
fn conflicting_claims_are_an_error() {
    let p = builtin("eu-eidas").unwrap();
    let iss = issuer("DE");
    let mut l = good(CertType::QualifiedEsig, &p);
    l.policies = vec![oids::QCP_LEGAL.into()];
    let r = lint_certificate(&l.build(&iss), &p, None);
    assert!(ids(&r).contains(&"lint.type.conflicting-claims"));
    assert_eq!(r.cert_type, None);
    assert!(!r.conformant);
}

#[test]
fn override_mismatch_is_reported() {
    let p = builtin("eu-eidas").unwrap();
    let iss = issuer("DE");
    let r = lint_certificate(&good(CertType::QualifiedEseal, &p).build(&iss), &p, Some(CertType::QualifiedEsig));
    assert!(ids(&r).contains(&"lint.type.override-mismatch"));
    assert!(ids(&r).contains(&"etsi.en319412-5.qcs.qctype-mismatch"));
    assert!(!r.conformant);
}

// ---- EN 319 412-5

#[test]
fn qctype_missing() {
    let p = builtin("eu-eidas").unwrap();
    let mut l = good(CertType::QualifiedEsig, &p);
    l.qcs.as_mut().unwrap().retain(|s| *s != encode::qc_type(&[oids::QCT_ESIGN]));
    expect_broken("eu-eidas", CertType::QualifiedEsig, l, "etsi.en319412-5.qcs.qctype-missing");
}

#[test]
fn qctype_mismatch_and_multiple() {
    let p = builtin("eu-eidas").unwrap();
    let mut l = good(CertType::QualifiedEsig, &p);
    for s in l.qcs.as_mut().unwrap().iter_mut() {
        if *s == encode::qc_type(&[oids::QCT_ESIGN]) {
            *s = encode::qc_type(&[oids::QCT_ESEAL]);
        }
    }
    expect_broken("eu-eidas", CertType::QualifiedEsig, l, "etsi.en319412-5.qcs.qctype-mismatch");
    let mut l = good(CertType::QualifiedEsig, &p);
    for s in l.qcs.as_mut().unwrap().iter_mut() {
        if *s == encode::qc_type(&[oids::QCT_ESIGN]) {
            *s = encode::qc_type(&[oids::QCT_ESIGN, oids::QCT_ESEAL]);
        }
    }
    expect_broken("eu-eidas", CertType::QualifiedEsig, l, "etsi.en319412-5.qcs.qctype-multiple");
}

#[test]
fn compliance_missing_and_unexpected() {
    let p = builtin("eu-eidas").unwrap();
    let mut l = good(CertType::QualifiedEseal, &p);
    l.qcs.as_mut().unwrap().retain(|s| *s != statement(oids::QCS_COMPLIANCE, None));
    expect_broken("eu-eidas", CertType::QualifiedEseal, l, "etsi.en319412-5.qcs.compliance-missing");
    let mut l = good(CertType::Esig, &p);
    l.qcs = Some(vec![statement(oids::QCS_COMPLIANCE, None)]);
    expect_broken("eu-eidas", CertType::Esig, l, "etsi.en319412-5.qcs.compliance-on-non-qualified");
}

#[test]
fn qcs_extension_missing_critical_or_malformed() {
    let p = builtin("eu-eidas").unwrap();
    let mut l = good(CertType::QualifiedEsig, &p);
    l.qcs = None;
    expect_broken("eu-eidas", CertType::QualifiedEsig, l, "etsi.en319412-5.qcs.missing");
    let mut l = good(CertType::QualifiedEsig, &p);
    l.qcs_critical = true;
    expect_broken("eu-eidas", CertType::QualifiedEsig, l, "etsi.en319412-5.qcs.critical");
    let mut l = good(CertType::QualifiedEsig, &p);
    l.qcs.as_mut().unwrap().push(tlv(0x02, &[1]));
    expect_broken("eu-eidas", CertType::QualifiedEsig, l, "etsi.en319412-5.qcs.malformed");
}

#[test]
fn sscd_consistency() {
    let p = builtin("eu-eidas").unwrap();
    // QCP-n-qscd without QcSSCD
    let mut l = good(CertType::QualifiedEsig, &p);
    l.qcs.as_mut().unwrap().retain(|s| *s != statement(oids::QCS_SSCD, None));
    expect_broken("eu-eidas", CertType::QualifiedEsig, l, "etsi.en319412-5.qcs.sscd-inconsistent");
    // QcSSCD under QCP-l (no QSCD)
    let mut l = good(CertType::QualifiedEseal, &p);
    l.qcs.as_mut().unwrap().insert(1, statement(oids::QCS_SSCD, None));
    expect_broken("eu-eidas", CertType::QualifiedEseal, l, "etsi.en319412-5.qcs.sscd-inconsistent");
    // QcSSCD on a QWAC
    let mut l = good(CertType::Qwac, &p);
    l.qcs.as_mut().unwrap().insert(1, statement(oids::QCS_SSCD, None));
    expect_broken("eu-eidas", CertType::Qwac, l, "etsi.en319412-5.qcs.sscd-inconsistent");
}

#[test]
fn pds_rules() {
    let p = builtin("eu-eidas").unwrap();
    let pds = encode::qc_pds(&[("https://pds.example.test/en.pdf", "en")]);
    let mut l = good(CertType::QualifiedEsig, &p);
    for s in l.qcs.as_mut().unwrap().iter_mut() {
        if *s == pds {
            *s = encode::qc_pds(&[("http://pds.example.test/en.pdf", "en")]);
        }
    }
    expect_broken("eu-eidas", CertType::QualifiedEsig, l, "etsi.en319412-5.qcs.pds-not-https");
    let mut l = good(CertType::QualifiedEsig, &p);
    for s in l.qcs.as_mut().unwrap().iter_mut() {
        if *s == pds {
            *s = encode::qc_pds(&[("https://pds.example.test/en.pdf", "e1")]);
        }
    }
    expect_broken("eu-eidas", CertType::QualifiedEsig, l, "etsi.en319412-5.qcs.pds-language-invalid");
    // missing PDS is a warning only
    let mut l = good(CertType::QualifiedEsig, &p);
    l.qcs.as_mut().unwrap().retain(|s| *s != pds);
    let r = lint_certificate(&l.build(&issuer("DE")), &p, Some(CertType::QualifiedEsig));
    assert!(ids(&r).contains(&"etsi.en319412-5.qcs.pds-missing"));
    assert!(r.conformant);
}

#[test]
fn cc_legislation_eu_and_non_eu() {
    let eu = builtin("hr").unwrap();
    let mut l = good(CertType::QualifiedEsig, &eu);
    l.qcs.as_mut().unwrap().push(encode::qc_cc_legislation(&["HR"]));
    expect_broken("hr", CertType::QualifiedEsig, l, "etsi.en319412-5.qcs.cc-legislation-present-eu");

    let rs = builtin("rs").unwrap();
    let mut l = good(CertType::QualifiedEsig, &rs);
    l.qcs.as_mut().unwrap().retain(|s| *s != encode::qc_cc_legislation(&["RS"]));
    expect_broken("rs", CertType::QualifiedEsig, l, "etsi.en319412-5.qcs.cc-legislation-missing");

    let mut l = good(CertType::QualifiedEseal, &rs);
    for s in l.qcs.as_mut().unwrap().iter_mut() {
        if *s == encode::qc_cc_legislation(&["RS"]) {
            *s = encode::qc_cc_legislation(&["ME"]);
        }
    }
    expect_broken("rs", CertType::QualifiedEseal, l, "etsi.en319412-5.qcs.cc-legislation-country");
}

// ---- EN 319 411-2 policies

#[test]
fn qcp_missing_and_on_non_qualified() {
    let p = builtin("eu-eidas").unwrap();
    let mut l = good(CertType::QualifiedEseal, &p);
    l.policies = vec![oids::NCP.into()];
    expect_broken("eu-eidas", CertType::QualifiedEseal, l, "etsi.en319411-2.policy.qcp-missing");
    let mut l = good(CertType::Esig, &p);
    l.policies = vec![oids::QCP_NATURAL.into()];
    expect_broken("eu-eidas", CertType::Esig, l, "etsi.en319411-2.policy.qcp-on-non-qualified");
    let mut l = good(CertType::Auth, &p);
    l.policies = vec![];
    expect_broken("eu-eidas", CertType::Auth, l, "etsi.en319412-2.certificate-policies.missing");
}

// ---- EN 319 412-2 / -3 / -4

#[test]
fn key_usage_rules() {
    use rcgen::KeyUsagePurpose::*;
    let p = builtin("eu-eidas").unwrap();
    let mut l = good(CertType::Esig, &p);
    l.ku = vec![DigitalSignature];
    expect_broken("eu-eidas", CertType::Esig, l, "etsi.en319412-2.key-usage.not-content-commitment");
    let mut l = good(CertType::QualifiedEsig, &p);
    l.ku = vec![ContentCommitment, DataEncipherment];
    expect_broken("eu-eidas", CertType::QualifiedEsig, l, "etsi.en319412-2.key-usage.unknown-setting");
    let mut l = good(CertType::Auth, &p);
    l.ku = vec![ContentCommitment];
    expect_broken("eu-eidas", CertType::Auth, l, "etsi.en319412-2.key-usage.auth-setting");
    let mut l = good(CertType::Qwac, &p);
    l.ku = vec![ContentCommitment, DigitalSignature];
    expect_broken("eu-eidas", CertType::Qwac, l, "etsi.en319412-4.key-usage.invalid");
    let mut l = good(CertType::QualifiedEsig, &p);
    l.ku = vec![];
    expect_broken("eu-eidas", CertType::QualifiedEsig, l, "etsi.en319412-2.key-usage.missing");
    let mut l = good(CertType::Eseal, &p);
    l.ku = vec![ContentCommitment, KeyCertSign];
    expect_broken("eu-eidas", CertType::Eseal, l, "rfc5280.basic-constraints.ca-on-end-entity");
    // setting B is allowed with a warning
    let mut l = good(CertType::QualifiedEsig, &p);
    l.ku = vec![ContentCommitment, DigitalSignature];
    let r = lint_certificate(&l.build(&issuer("DE")), &p, Some(CertType::QualifiedEsig));
    assert!(ids(&r).contains(&"etsi.en319412-2.key-usage.non-preferred"));
    assert!(r.conformant);
}

#[test]
fn subject_rules() {
    let p = builtin("eu-eidas").unwrap();
    let mut l = good(CertType::QualifiedEseal, &p);
    l.params.distinguished_name.remove(rcgen::DnType::CustomDnType(arcs(oids::AT_ORGANIZATION_IDENTIFIER)));
    expect_broken("eu-eidas", CertType::QualifiedEseal, l, "etsi.en319412-3.subject.attribute-missing");
    let mut l = good(CertType::Esig, &p);
    l.params.distinguished_name.remove(rcgen::DnType::CountryName);
    expect_broken("eu-eidas", CertType::Esig, l, "etsi.en319412-2.subject.attribute-missing");
    let mut l = good(CertType::Esig, &p);
    l.params.distinguished_name.push(rcgen::DnType::CustomDnType(arcs(oids::AT_PSEUDONYM)), "pp");
    expect_broken("eu-eidas", CertType::Esig, l, "etsi.en319412-2.subject.pseudonym-and-name");
}

#[test]
fn qwac_rules() {
    let p = builtin("eu-eidas").unwrap();
    let mut l = good(CertType::Qwac, &p);
    l.params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ClientAuth];
    expect_broken("eu-eidas", CertType::Qwac, l, "etsi.en319412-4.eku.server-auth-missing");
    let mut l = good(CertType::Qwac, &p);
    l.params.subject_alt_names = vec![rcgen::SanType::Rfc822Name("a@example.test".try_into().unwrap())];
    expect_broken("eu-eidas", CertType::Qwac, l, "etsi.en319412-4.san.dns-name-missing");
}

#[test]
fn aia_missing_is_a_warning() {
    let p = builtin("eu-eidas").unwrap();
    let mut l = good(CertType::QualifiedEsig, &p);
    l.aia = false;
    let r = lint_certificate(&l.build(&issuer("DE")), &p, Some(CertType::QualifiedEsig));
    assert!(ids(&r).contains(&"etsi.en319412-2.aia.missing"));
    assert!(r.conformant);
}

// ---- EN 319 412-1 identifiers and national rules

#[test]
fn organization_identifier_format_and_lei() {
    let p = builtin("eu-eidas").unwrap();
    let iss = issuer("DE");
    let t = CertType::QualifiedEseal;
    let l = leaf(t, "DE", true, Some("12345678".into()));
    let r = lint_certificate(&l.build(&iss), &p, Some(t));
    assert!(ids(&r).contains(&"etsi.en319412-1.semantics.org-id-format"), "{:?}", r.findings);
    let l = leaf(t, "DE", true, Some("ABCDE-12345678".into()));
    let r = lint_certificate(&l.build(&iss), &p, Some(t));
    assert!(ids(&r).contains(&"etsi.en319412-1.semantics.org-id-type"), "{:?}", r.findings);
    let l = leaf(t, "DE", true, Some("LEIXG-5493001KJTIIGC8Y1R13".into()));
    let r = lint_certificate(&l.build(&iss), &p, Some(t));
    assert!(ids(&r).contains(&"etsi.en319412-1.semantics.lei-invalid"));
    let l = leaf(t, "DE", true, Some("LEIXG-5493001KJTIIGC8Y1R12".into()));
    let r = lint_certificate(&l.build(&iss), &p, Some(t));
    assert!(r.conformant, "{:?}", errors(&r));
}

#[test]
fn jmbg_check_digit_per_country() {
    for (pid, id) in [
        ("rs", "rs.jmbg.check-digit"),
        ("me", "me.jmbg.check-digit"),
        ("ba", "ba.jmbg.check-digit"),
        ("mk", "mk.embg.check-digit"),
        ("si", "si.emso.check-digit"),
    ] {
        let p = builtin(pid).unwrap();
        let cc = cc_of(&p);
        let good_id = valid_jmbg("71");
        let last = good_id.chars().last().unwrap().to_digit(10).unwrap();
        let bad = format!("PNO{cc}-{}{}", &good_id[..12], (last + 1) % 10);
        let l = leaf(CertType::QualifiedEsig, &cc, p.eu_member, Some(bad));
        expect_broken(pid, CertType::QualifiedEsig, l, id);
    }
}

#[test]
fn other_national_check_digits() {
    for (pid, bad, id) in [
        ("hr", "PNOHR-12345678904", "hr.oib.check-digit"),
        ("bg", "PNOBG-7523169264", "bg.egn.check-digit"),
        ("ro", "PNORO-1800101221145", "ro.cnp.check-digit"),
        ("rs", "PNORS-3102990710006", "rs.jmbg.format"),
    ] {
        let p = builtin(pid).unwrap();
        let l = leaf(CertType::Esig, &cc_of(&p), p.eu_member, Some(bad.into()));
        expect_broken(pid, CertType::Esig, l, id);
    }
}

/// A JMBG whose weighted sum has remainder 1, with check digit 0.
fn remainder_one_jmbg() -> String {
    for serial in 0..1000 {
        let p = format!("010199071{serial:03}");
        if eidtrust_profile::ident::jmbg_check_digit(&p).is_none() {
            return format!("{p}0");
        }
    }
    unreachable!()
}

#[test]
fn jmbg_remainder_one_is_a_profile_setting() {
    let strict = builtin("rs").unwrap();
    let id = format!("PNORS-{}", remainder_one_jmbg());
    let l = leaf(CertType::QualifiedEsig, "RS", false, Some(id.clone()));
    expect_broken("rs", CertType::QualifiedEsig, l, "rs.jmbg.remainder-one");
    // the same certificate under a lenient copy of the profile
    let src = eidtrust_profile::builtin_source("rs")
        .unwrap()
        .replace("remainder_one = \"reject\"", "remainder_one = \"accept-zero\"");
    let lenient = eidtrust_profile::parse_str(&src, "rs-lenient.toml").unwrap();
    let iss = issuer("RS");
    let der = leaf(CertType::QualifiedEsig, "RS", false, Some(id)).build(&iss);
    assert!(!lint_certificate(&der, &strict, Some(CertType::QualifiedEsig)).conformant);
    let r = lint_certificate(&der, &lenient, Some(CertType::QualifiedEsig));
    assert!(r.conformant, "{:?}", errors(&r));
}

#[test]
fn identifier_country_must_match_profile() {
    let me_id = format!("PNOME-{}", valid_jmbg("21"));
    let l = leaf(CertType::QualifiedEsig, "RS", false, Some(me_id));
    expect_broken("rs", CertType::QualifiedEsig, l, "profile.identifier.country-mismatch");
    // Greece: both GR and EL are the profile's codes
    let p = builtin("el").unwrap();
    let iss = issuer("GR");
    let l = leaf(CertType::QualifiedEseal, "GR", true, Some("VATEL-123456789".into()));
    let r = lint_certificate(&l.build(&iss), &p, Some(CertType::QualifiedEseal));
    assert!(r.conformant, "{:?}", errors(&r));
}

// ---- RFC 5280 and algorithms

#[test]
fn serial_too_long() {
    let p = builtin("eu-eidas").unwrap();
    let mut l = good(CertType::QualifiedEsig, &p);
    l.params.serial_number = Some(rcgen::SerialNumber::from(vec![0x11; 21]));
    expect_broken("eu-eidas", CertType::QualifiedEsig, l, "rfc5280.serial.too-long");
}

#[test]
fn aki_missing() {
    let p = builtin("eu-eidas").unwrap();
    let mut l = good(CertType::QualifiedEsig, &p);
    l.params.use_authority_key_identifier_extension = false;
    expect_broken("eu-eidas", CertType::QualifiedEsig, l, "rfc5280.aki.missing");
}

#[test]
fn algorithm_rules_come_from_the_profile() {
    let src = eidtrust_profile::builtin_source("eu-eidas").unwrap();
    let p384_only = src.replace(
        "curves = [\"P-256\", \"P-384\", \"P-521\", \"brainpoolP256r1\", \"brainpoolP384r1\", \"brainpoolP512r1\"]",
        "curves = [\"P-384\"]",
    );
    assert_ne!(src, p384_only);
    let p = eidtrust_profile::parse_str(&p384_only, "p384.toml").unwrap();
    let der = good(CertType::QualifiedEsig, &p).build(&issuer("DE"));
    let r = lint_certificate(&der, &p, Some(CertType::QualifiedEsig));
    assert!(ids(&r).contains(&"profile.algorithm.curve-not-allowed"));
    let rsa_only = src.replace("\"ecdsa-with-SHA256\", \"ecdsa-with-SHA384\", \"ecdsa-with-SHA512\",", "");
    assert_ne!(src, rsa_only);
    let p = eidtrust_profile::parse_str(&rsa_only, "rsa.toml").unwrap();
    let r = lint_certificate(&der, &p, Some(CertType::QualifiedEsig));
    assert!(ids(&r).contains(&"profile.algorithm.signature-not-allowed"));
    assert!(!r.conformant);
}

#[test]
fn malformed_input_is_fatal_not_a_panic() {
    let p = builtin("rs").unwrap();
    for bad in [&b""[..], b"\x30", b"\x30\x03\x02\x01\x01", b"not a certificate at all"] {
        let r = lint_certificate(bad, &p, None);
        assert!(!r.conformant);
        assert_eq!(r.findings[0].id, "lint.input.malformed");
    }
    // every truncation of a real certificate
    let der = good(CertType::QualifiedEsig, &p).build(&issuer("RS"));
    for n in (0..der.len()).step_by(7) {
        let r = lint_certificate(&der[..n], &p, Some(CertType::QualifiedEsig));
        assert!(!r.conformant);
    }
    let mut trailing = der.clone();
    trailing.push(0);
    let r = lint_certificate(&trailing, &p, Some(CertType::QualifiedEsig));
    assert!(ids(&r).contains(&"lint.input.trailing-data"));
}

#[test]
fn lint_many_keeps_order() {
    let p = builtin("rs").unwrap();
    let iss = issuer("RS");
    let inputs =
        vec![good(CertType::Qwac, &p).build(&iss), b"junk".to_vec(), good(CertType::QualifiedEseal, &p).build(&iss)];
    let r = lint_many(&inputs, &p, None);
    assert_eq!(r.len(), 3);
    assert_eq!(r[0].cert_type, Some(CertType::Qwac));
    assert!(!r[1].conformant);
    assert_eq!(r[2].cert_type, Some(CertType::QualifiedEseal));
}

#[test]
fn report_serialises_as_in_the_issue() {
    let p = builtin("rs").unwrap();
    let r = lint_certificate(&good(CertType::Qwac, &p).build(&issuer("RS")), &p, None);
    let j = serde_json::to_value(&r).unwrap();
    assert_eq!(j["profile"], "rs");
    assert_eq!(j["type"], "qwac");
    assert_eq!(j["conformant"], true);
    assert!(j["findings"].as_array().unwrap().iter().all(|f| f["id"].is_string() && f["severity"].is_string()));
}

#[test]
fn every_emitted_id_is_in_the_catalogue() {
    // the ids asserted across this file are all catalogued
    let cat: Vec<&str> = eidtrust_profile::findings::CATALOGUE.iter().map(|d| d.id).collect();
    let src = include_str!("lint.rs");
    for piece in src.split('"') {
        let looks_like_id = piece.split('.').count() >= 3
            && !piece.contains(' ')
            && !piece.contains('/')
            && (piece.starts_with("etsi.")
                || piece.starts_with("rfc5280.")
                || piece.starts_with("lint.")
                || piece.starts_with("profile.")
                || piece.len() > 3 && piece.as_bytes()[2] == b'.');
        if looks_like_id
            && !piece.chars().any(|c| c.is_ascii_digit() && piece.starts_with("0."))
            && !piece.ends_with(".pdf")
            && !piece.ends_with(".toml")
        {
            assert!(cat.contains(&piece), "{piece} not in the catalogue");
        }
    }
}

#[test]
fn pem_input_is_accepted() {
    let p = builtin("rs").unwrap();
    let iss = issuer("RS");
    let der = good(CertType::Qwac, &p).build(&iss);
    let pem = |d: &[u8]| pem_encode(d);
    let one = pem(&der);
    let r = eidtrust_profile::lint_input(one.as_bytes(), &p, None);
    assert!(r.conformant, "{:?}", errors(&r));
    let two = format!("{one}{}", pem(iss.cert.der()));
    let r = eidtrust_profile::lint_input(two.as_bytes(), &p, None);
    assert!(ids(&r).contains(&"lint.input.extra-certificates"));
    let r = eidtrust_profile::lint_input(b"-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n", &p, None);
    assert!(!r.conformant);
}

fn pem_encode(der: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut b64 = String::new();
    for chunk in der.chunks(3) {
        let n = chunk.iter().fold(0u32, |a, b| (a << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..4 {
            if i <= chunk.len() {
                b64.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                b64.push('=');
            }
        }
    }
    let lines: Vec<&str> = b64.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).unwrap()).collect();
    format!("-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n", lines.join("\n"))
}

#[test]
fn non_der_key_usage_and_basic_constraints_are_errors() {
    // rcgen 0.13 encodes keyUsage with trailing zero bits and basicConstraints with an explicit
    // cA FALSE: both are BER, not DER (found by the pkilint oracle).
    let p = builtin("eu-eidas").unwrap();
    let mut l = good(CertType::QualifiedEsig, &p);
    l.ku.clear();
    l.params.key_usages = vec![rcgen::KeyUsagePurpose::ContentCommitment];
    l.params.is_ca = rcgen::IsCa::ExplicitNoCa;
    let r = lint_certificate(&l.build(&issuer("DE")), &p, Some(CertType::QualifiedEsig));
    assert!(ids(&r).contains(&"rfc5280.key-usage.der-trailing-zero-bits"), "{:?}", r.findings);
    assert!(ids(&r).contains(&"rfc5280.basic-constraints.der-default-encoded"), "{:?}", r.findings);
    assert!(!r.conformant);
}

/// EN 319 412-2 NAT-4.2.4-1 does not require serialNumber, so its absence alone keeps a
/// qualified e-signature certificate conformant; with the natural-person semantics identifier
/// declared it is a warning (EN 319 412-1 §5.1.3).
#[test]
fn serial_number_absent_is_conformant_with_a_warning() {
    let p = builtin("eu-eidas").unwrap();
    let ty = CertType::QualifiedEsig;
    let mut l = good(ty, &p);
    l.params.distinguished_name.remove(rcgen::DnType::CustomDnType(arcs(oids::AT_SERIAL_NUMBER)));
    let r = lint_certificate(&l.build(&issuer("DE")), &p, Some(ty));
    assert!(ids(&r).contains(&"etsi.en319412-1.semantics.natural-without-serial-number"), "{:?}", r.findings);
    assert!(r.conformant, "{:?}", errors(&r));
    let r = lint_certificate(&good(ty, &p).build(&issuer("DE")), &p, Some(ty));
    assert!(!ids(&r).contains(&"etsi.en319412-1.semantics.natural-without-serial-number"));
}
