//! Writes the certificates of the pkilint oracle (scripts/pkilint-oracle/): for each type pkilint
//! knows, one correct certificate and certificates broken in exactly one way, plus
//! `manifest.json`. With `--bulk N`, writes N correct certificates of mixed types instead (for the
//! throughput comparison).
//!
//! cargo run -p eidtrust-profile --example oracle_certs -- OUT_DIR [--bulk N]

#[path = "../tests/common/mod.rs"]
mod common;

use common::*;
use eidtrust_profile::oids;
use eidtrust_profile::qcs::encode::{self, statement};
use eidtrust_profile::CertType;
use std::io::Write;

struct Case {
    name: String,
    profile: &'static str,
    ty: CertType,
    pkilint_type: &'static str,
    /// What was broken, or "none".
    broken: &'static str,
    /// The finding id eidtrust is expected to raise ("" for the correct certificate).
    expect: &'static str,
    der: Vec<u8>,
}

fn replace_stmt(l: &mut Leaf, from: Vec<u8>, to: Option<Vec<u8>>) {
    let q = l.qcs.as_mut().expect("qualified leaf");
    let pos = q.iter().position(|s| *s == from).expect("statement present");
    match to {
        Some(t) => q[pos] = t,
        None => {
            q.remove(pos);
        }
    }
}

fn pem(der: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut b64 = String::new();
    for chunk in der.chunks(3) {
        let n = chunk.iter().fold(0u32, |a, b| (a << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..4 {
            b64.push(if i <= chunk.len() { T[((n >> (18 - 6 * i)) & 63) as usize] as char } else { '=' });
        }
    }
    let lines: Vec<String> = b64.as_bytes().chunks(64).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
    format!("-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n", lines.join("\n"))
}

fn jmbg_id() -> String {
    format!("PNORS-{}", valid_jmbg("71"))
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    let eu = issuer("DE");
    let rs = issuer("RS");
    let qn_eu = "QCP-N-QSCD-EIDAS-FINAL-CERTIFICATE";
    let qn_rs = "QCP-N-QSCD-NON-EIDAS-FINAL-CERTIFICATE";
    let ncp_n = "NCP-NATURAL-PERSON-CERTIFICATE";
    let ncp_l = "NCP-LEGAL-PERSON-CERTIFICATE";
    type Edit = Box<dyn Fn(&mut Leaf)>;
    let q = CertType::QualifiedEsig;
    let natural_id = Some("PASDE-AB123456".to_string());
    let mut push = |name: &str,
                    profile: &'static str,
                    ty: CertType,
                    pt: &'static str,
                    broken: &'static str,
                    expect: &'static str,
                    edit: Edit| {
        let (iss, cc, is_eu, id) = if profile == "rs" {
            (&rs, "RS", false, if ty == CertType::Eseal { None } else { Some(jmbg_id()) })
        } else {
            (&eu, "DE", true, if ty == CertType::Eseal { None } else { natural_id.clone() })
        };
        let mut l = leaf(ty, cc, is_eu, id);
        edit(&mut l);
        out.push(Case { name: name.into(), profile, ty, pkilint_type: pt, broken, expect, der: l.build(iss) });
    };
    push("eu-qesig-good", "eu-eidas", q, qn_eu, "none", "", Box::new(|_| {}));
    push(
        "eu-qesig-no-qctype",
        "eu-eidas",
        q,
        qn_eu,
        "QcType removed",
        "etsi.en319412-5.qcs.qctype-missing",
        Box::new(|l| replace_stmt(l, encode::qc_type(&[oids::QCT_ESIGN]), None)),
    );
    push(
        "eu-qesig-qctype-eseal",
        "eu-eidas",
        q,
        qn_eu,
        "QcType eseal",
        "etsi.en319412-5.qcs.qctype-mismatch",
        Box::new(|l| replace_stmt(l, encode::qc_type(&[oids::QCT_ESIGN]), Some(encode::qc_type(&[oids::QCT_ESEAL])))),
    );
    push(
        "eu-qesig-no-compliance",
        "eu-eidas",
        q,
        qn_eu,
        "QcCompliance removed",
        "etsi.en319412-5.qcs.compliance-missing",
        Box::new(|l| replace_stmt(l, statement(oids::QCS_COMPLIANCE, None), None)),
    );
    push(
        "eu-qesig-no-sscd",
        "eu-eidas",
        q,
        qn_eu,
        "QcSSCD removed under QCP-n-qscd",
        "etsi.en319412-5.qcs.sscd-inconsistent",
        Box::new(|l| replace_stmt(l, statement(oids::QCS_SSCD, None), None)),
    );
    push(
        "eu-qesig-pds-http",
        "eu-eidas",
        q,
        qn_eu,
        "PDS URL http",
        "etsi.en319412-5.qcs.pds-not-https",
        Box::new(|l| {
            replace_stmt(
                l,
                encode::qc_pds(&[("https://pds.example.test/en.pdf", "en")]),
                Some(encode::qc_pds(&[("http://pds.example.test/en.pdf", "en")])),
            )
        }),
    );
    push(
        "eu-qesig-pds-lang",
        "eu-eidas",
        q,
        qn_eu,
        "PDS language e1",
        "etsi.en319412-5.qcs.pds-language-invalid",
        Box::new(|l| {
            replace_stmt(
                l,
                encode::qc_pds(&[("https://pds.example.test/en.pdf", "en")]),
                Some(encode::qc_pds(&[("https://pds.example.test/en.pdf", "e1")])),
            )
        }),
    );
    push(
        "eu-qesig-cc-legislation",
        "eu-eidas",
        q,
        qn_eu,
        "QcCClegislation on an EU certificate",
        "etsi.en319412-5.qcs.cc-legislation-present-eu",
        Box::new(|l| l.qcs.as_mut().unwrap().push(encode::qc_cc_legislation(&["DE"]))),
    );
    push(
        "eu-qesig-qcs-critical",
        "eu-eidas",
        q,
        qn_eu,
        "qcStatements critical",
        "etsi.en319412-5.qcs.critical",
        Box::new(|l| l.qcs_critical = true),
    );
    push(
        "eu-qesig-ku-ds",
        "eu-eidas",
        q,
        qn_eu,
        "keyUsage digitalSignature only",
        "etsi.en319412-2.key-usage.not-content-commitment",
        Box::new(|l| l.ku = vec![rcgen::KeyUsagePurpose::DigitalSignature]),
    );
    push(
        "eu-qesig-ku-dataenc",
        "eu-eidas",
        q,
        qn_eu,
        "keyUsage nonRepudiation+dataEncipherment",
        "etsi.en319412-2.key-usage.unknown-setting",
        Box::new(|l| l.ku = vec![rcgen::KeyUsagePurpose::ContentCommitment, rcgen::KeyUsagePurpose::DataEncipherment]),
    );
    push(
        "eu-qesig-no-country",
        "eu-eidas",
        q,
        qn_eu,
        "subject countryName removed",
        "etsi.en319412-2.subject.attribute-missing",
        Box::new(|l| {
            l.params.distinguished_name.remove(rcgen::DnType::CountryName);
        }),
    );
    push(
        "eu-qesig-pseudonym-and-name",
        "eu-eidas",
        q,
        qn_eu,
        "pseudonym with givenName/surname",
        "etsi.en319412-2.subject.pseudonym-and-name",
        Box::new(|l| l.params.distinguished_name.push(rcgen::DnType::CustomDnType(arcs(oids::AT_PSEUDONYM)), "pp")),
    );
    push(
        "eu-qesig-serial-format",
        "eu-eidas",
        q,
        qn_eu,
        "serialNumber without XXXYY- prefix",
        "etsi.en319412-1.semantics.serial-number-format",
        Box::new(|l| {
            l.params
                .distinguished_name
                .push(rcgen::DnType::CustomDnType(arcs(oids::AT_SERIAL_NUMBER)), printable("123456"));
        }),
    );
    push(
        "eu-qesig-no-policy-qcp",
        "eu-eidas",
        q,
        qn_eu,
        "policy NCP+ instead of QCP-n-qscd",
        "etsi.en319411-2.policy.qcp-missing",
        Box::new(|l| l.policies = vec![oids::NCP_PLUS.into()]),
    );
    push(
        "eu-qesig-serial-21",
        "eu-eidas",
        q,
        qn_eu,
        "serial number 21 octets",
        "rfc5280.serial.too-long",
        Box::new(|l| l.params.serial_number = Some(rcgen::SerialNumber::from(vec![0x11; 21]))),
    );
    push(
        "eu-qesig-no-aki",
        "eu-eidas",
        q,
        qn_eu,
        "authorityKeyIdentifier removed",
        "rfc5280.aki.missing",
        Box::new(|l| l.params.use_authority_key_identifier_extension = false),
    );
    push("eu-esig-good", "eu-eidas", CertType::Esig, ncp_n, "none", "", Box::new(|_| {}));
    push(
        "eu-esig-no-given-surname",
        "eu-eidas",
        CertType::Esig,
        ncp_n,
        "givenName, surname and commonName removed",
        "etsi.en319412-2.subject.attribute-missing",
        Box::new(|l| {
            l.params.distinguished_name.remove(rcgen::DnType::CustomDnType(arcs(oids::AT_GIVEN_NAME)));
            l.params.distinguished_name.remove(rcgen::DnType::CustomDnType(arcs(oids::AT_SURNAME)));
        }),
    );
    push(
        "eu-esig-no-policies",
        "eu-eidas",
        CertType::Esig,
        ncp_n,
        "certificatePolicies removed",
        "etsi.en319412-2.certificate-policies.missing",
        Box::new(|l| l.policies.clear()),
    );
    push("eu-eseal-good", "eu-eidas", CertType::Eseal, ncp_l, "none", "", Box::new(|_| {}));
    push(
        "eu-eseal-no-orgid",
        "eu-eidas",
        CertType::Eseal,
        ncp_l,
        "organizationIdentifier removed",
        "etsi.en319412-3.subject.attribute-missing",
        Box::new(|l| {
            l.params.distinguished_name.remove(rcgen::DnType::CustomDnType(arcs(oids::AT_ORGANIZATION_IDENTIFIER)));
        }),
    );
    push(
        "eu-eseal-orgid-format",
        "eu-eidas",
        CertType::Eseal,
        ncp_l,
        "organizationIdentifier ABCDE-1",
        "etsi.en319412-1.semantics.org-id-type",
        Box::new(|l| {
            l.params.distinguished_name.remove(rcgen::DnType::CustomDnType(arcs(oids::AT_ORGANIZATION_IDENTIFIER)));
            l.params
                .distinguished_name
                .push(rcgen::DnType::CustomDnType(arcs(oids::AT_ORGANIZATION_IDENTIFIER)), "ABCDE-12345678");
        }),
    );
    push("rs-qesig-good", "rs", q, qn_rs, "none", "", Box::new(|_| {}));
    push(
        "rs-qesig-no-cc-legislation",
        "rs",
        q,
        qn_rs,
        "QcCClegislation removed (non-EU)",
        "etsi.en319412-5.qcs.cc-legislation-missing",
        Box::new(|l| replace_stmt(l, encode::qc_cc_legislation(&["RS"]), None)),
    );
    push(
        "rs-qesig-jmbg-check-digit",
        "rs",
        q,
        qn_rs,
        "JMBG check digit wrong",
        "rs.jmbg.check-digit",
        Box::new(|l| {
            let good = valid_jmbg("71");
            let last = good.chars().last().and_then(|c| c.to_digit(10)).unwrap_or(0);
            l.params.distinguished_name.push(
                rcgen::DnType::CustomDnType(arcs(oids::AT_SERIAL_NUMBER)),
                printable(&format!("PNORS-{}{}", &good[..12], (last + 1) % 10)),
            );
        }),
    );
    push(
        "rs-qesig-id-country",
        "rs",
        q,
        qn_rs,
        "PNOME- identifier under profile rs",
        "profile.identifier.country-mismatch",
        Box::new(|l| {
            l.params.distinguished_name.push(
                rcgen::DnType::CustomDnType(arcs(oids::AT_SERIAL_NUMBER)),
                printable(&format!("PNOME-{}", valid_jmbg("21"))),
            );
        }),
    );
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(dir) = args.get(1) else {
        eprintln!("usage: oracle_certs OUT_DIR [--bulk N]");
        std::process::exit(2);
    };
    std::fs::create_dir_all(dir).expect("create output directory");
    if args.get(2).map(String::as_str) == Some("--bulk") {
        let n: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1000);
        let iss = issuer("DE");
        // qualified types only: they claim their type, so every certificate gets the full typed rules
        // without --type (NCP certificates claim no type and would only get the type-independent ones)
        let kinds = [CertType::QualifiedEsig, CertType::QualifiedEseal];
        for i in 0..n {
            let ty = kinds[i % kinds.len()];
            let id = if ty.is_natural_person() { Some("PASDE-AB123456".to_string()) } else { None };
            let mut l = leaf(ty, "DE", true, id);
            l.params.serial_number = Some(rcgen::SerialNumber::from((i as u64 + 1).to_be_bytes().to_vec()));
            std::fs::write(format!("{dir}/{i:05}-{ty}.pem"), pem(&l.build(&iss))).expect("write");
        }
        return;
    }
    let mut manifest = Vec::new();
    for c in cases() {
        std::fs::write(format!("{dir}/{}.pem", c.name), pem(&c.der)).expect("write");
        manifest.push(format!(
            "  {{\"file\": \"{}.pem\", \"profile\": \"{}\", \"type\": \"{}\", \"pkilint_type\": \"{}\", \"broken\": \"{}\", \"expect\": \"{}\"}}",
            c.name, c.profile, c.ty, c.pkilint_type, c.broken, c.expect
        ));
    }
    let mut f = std::fs::File::create(format!("{dir}/manifest.json")).expect("manifest");
    writeln!(f, "[\n{}\n]", manifest.join(",\n")).expect("write manifest");
}
