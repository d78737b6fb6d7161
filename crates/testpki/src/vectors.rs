//! The cases of `test-vectors/<state>/`: files and `manifest.json` (schema in docs/test-vectors.md).
//!
//! Every broken variant is built from the valid specification of its type with exactly one
//! change, named by its `defect` and the clause it breaks.

use crate::der::{self, TimeEncoding};
use crate::etsi::{policy, qcs, CertType};
use crate::expected::finding_ids_for;
use crate::ids;
use crate::pki::{
    revoked, serial_for, times, CaSpec, Issued, IssuingCa, LeafSpec, StatePki, UNKNOWN_EXTENSION_OID, VALIDATION_TIME,
};
use crate::states::State;
use crate::x509::{attr, ext, ku, Extension, Serial};
use serde::Serialize;
use std::collections::BTreeMap;

/// The manifest schema identifier; bump on any incompatible change.
pub const SCHEMA: &str = "eidtrust-test-vectors/1";

/// `manifest.json` of one state.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub schema: &'static str,
    pub state: &'static str,
    pub country: &'static str,
    pub profile: &'static str,
    pub eu_member: bool,
    pub note: &'static str,
    pub cases: Vec<Case>,
}

/// One case.
#[derive(Debug, Clone, Serialize)]
pub struct Case {
    pub id: String,
    /// `chain` (path validation) or `lint` (certificate profile linting).
    pub kind: &'static str,
    pub description: String,
    pub profile: &'static str,
    #[serde(rename = "type")]
    pub cert_type: &'static str,
    /// The one thing broken (`null` for valid cases).
    pub defect: Option<&'static str>,
    /// The clause the defect violates.
    pub clause: Option<&'static str>,
    pub validation_time: String,
    pub files: Files,
    pub expected: Expected,
}

/// Paths relative to the directory of the manifest.
#[derive(Debug, Clone, Serialize)]
pub struct Files {
    pub leaf: String,
    pub intermediates: Vec<String>,
    pub anchors: Vec<String>,
    pub crls: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Expected {
    /// `valid` or `invalid` (not valid: TOTAL_FAILED or INDETERMINATE; for lint: not conformant).
    pub outcome: &'static str,
    pub exit_code: u8,
    /// Finding ids that must be among the error/fatal findings.
    pub finding_ids: Vec<String>,
    /// `true` when the ids of this defect do not exist yet in the pki/profile catalogues.
    pub ids_pending: bool,
}

/// The generated files (path relative to the output root -> bytes) and manifests.
#[derive(Debug, Default)]
pub struct Output {
    pub files: BTreeMap<String, Vec<u8>>,
    pub manifests: Vec<Manifest>,
}

impl Output {
    /// Serialise the manifests into `files` as `<state>/manifest.json`.
    pub fn finish(mut self) -> Result<BTreeMap<String, Vec<u8>>, serde_json::Error> {
        for m in &self.manifests {
            let mut text = serde_json::to_string_pretty(m)?;
            text.push('\n');
            self.files.insert(format!("{}/manifest.json", m.state), text.into_bytes());
        }
        Ok(self.files)
    }
}

/// Generate every state.
pub fn generate() -> Output {
    let mut out = Output::default();
    for state in crate::states::all() {
        let m = generate_state(&state, &mut out.files);
        out.manifests.push(m);
    }
    out
}

struct Ctx<'a> {
    state: &'a State,
    pki: StatePki,
    files: &'a mut BTreeMap<String, Vec<u8>>,
    cases: Vec<Case>,
}

impl Ctx<'_> {
    fn put(&mut self, rel: &str, bytes: Vec<u8>) -> String {
        self.files.insert(format!("{}/{rel}", self.state.code), bytes);
        rel.to_string()
    }

    fn put_cert(&mut self, rel: &str, issued: &Issued) -> String {
        self.put(rel, issued.pem().into_bytes())
    }

    fn ca_file(which: IssuingCa) -> String {
        format!("ca/{}.pem", which.file_stem())
    }

    fn crl_file(which: IssuingCa) -> String {
        format!("crl/{}.crl", which.file_stem())
    }

    /// The files of a chain through `which`, with complete revocation information.
    fn chain_files(leaf: String, which: IssuingCa) -> Files {
        Files {
            leaf,
            intermediates: vec![Self::ca_file(which)],
            anchors: vec!["ca/root.pem".into()],
            crls: vec![Self::crl_file(which), "crl/root.crl".into()],
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn case(
        &mut self,
        kind: &'static str,
        name: &str,
        cert_type: CertType,
        description: String,
        defect: Option<&'static str>,
        clause: Option<&'static str>,
        files: Files,
    ) {
        let valid = defect.is_none();
        let (finding_ids, ids_pending) = match defect {
            None => (Vec::new(), false),
            Some(d) => match finding_ids_for(kind, d, self.state.code) {
                Some(ids) => (ids, false),
                None => (Vec::new(), true),
            },
        };
        self.cases.push(Case {
            id: format!("{}/{kind}/{name}", self.state.code),
            kind,
            description,
            profile: self.state.profile,
            cert_type: cert_type.as_str(),
            defect,
            clause,
            validation_time: rfc3339(VALIDATION_TIME),
            files,
            expected: Expected {
                outcome: if valid { "valid" } else { "invalid" },
                exit_code: if valid { 0 } else { 1 },
                finding_ids,
                ids_pending,
            },
        });
    }
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

/// A chain defect: one change to the leaf, to the issuing CA, or to the revocation data.
struct ChainDefect {
    name: &'static str,
    clause: &'static str,
    description: &'static str,
}

/// A lint defect: one change to the valid leaf of `base`.
struct LintDefect {
    name: &'static str,
    base: CertType,
    clause: &'static str,
    description: &'static str,
    applies: fn(&State) -> bool,
    apply: fn(&mut LeafSpec, &State),
}

fn always(_: &State) -> bool {
    true
}
fn non_eu(s: &State) -> bool {
    !s.eu_member
}
fn eu(s: &State) -> bool {
    s.eu_member
}
fn jmbg_state(s: &State) -> bool {
    s.jmbg_rules()
}
fn national(s: &State) -> bool {
    s.code != "eu"
}

/// Another country code than the state's, for the country-mismatch variant.
fn foreign_country(s: &State) -> &'static str {
    if s.country == "HR" {
        "SI"
    } else {
        "HR"
    }
}

fn lint_defects() -> Vec<LintDefect> {
    use CertType::*;
    vec![
        LintDefect {
            name: "qcs-compliance-missing",
            base: QualifiedEsig,
            clause: "ETSI EN 319 412-5 §4.2.1",
            description: "qualified e-signature certificate without the QcCompliance statement",
            applies: always,
            apply: |l, _| l.qc.compliance = false,
        },
        LintDefect {
            name: "qcs-qctype-missing",
            base: QualifiedEsig,
            clause: "ETSI EN 319 412-5 §4.2.3",
            description: "qualified e-signature certificate without a QcType statement",
            applies: always,
            apply: |l, _| l.qc.types.clear(),
        },
        LintDefect {
            name: "qcs-qctype-mismatch",
            base: QualifiedEsig,
            clause: "ETSI EN 319 412-5 §4.2.3",
            description: "qualified e-signature certificate whose QcType is id-etsi-qct-eseal",
            applies: always,
            apply: |l, _| l.qc.types = vec![qcs::TYPE_ESEAL],
        },
        LintDefect {
            name: "qcs-qctype-multiple",
            base: QualifiedEsig,
            clause: "ETSI EN 319 412-5 §4.2.3",
            description: "qualified e-signature certificate with two QcTypes (esign and eseal)",
            applies: always,
            apply: |l, _| l.qc.types = vec![qcs::TYPE_ESIGN, qcs::TYPE_ESEAL],
        },
        LintDefect {
            name: "qcs-sscd-missing",
            base: QualifiedEsig,
            clause: "ETSI EN 319 412-5 §4.2.2; ETSI EN 319 411-2 §5.3 (QCP-n-qscd)",
            description: "QCP-n-qscd policy without the QcSSCD statement",
            applies: always,
            apply: |l, _| l.qc.sscd = false,
        },
        LintDefect {
            name: "qcs-pds-not-https",
            base: QualifiedEsig,
            clause: "ETSI EN 319 412-5 §4.3.4",
            description: "QcPDS location with an http: URL",
            applies: always,
            apply: |l, _| {
                for (url, _) in l.qc.pds.iter_mut() {
                    *url = url.replacen("https://", "http://", 1);
                }
            },
        },
        LintDefect {
            name: "qcs-pds-language-invalid",
            base: QualifiedEsig,
            clause: "ETSI EN 319 412-5 §4.3.4 (language: ISO 639-1, two letters)",
            description: "QcPDS language `eng` (three letters) instead of `en`",
            applies: always,
            apply: |l, _| {
                if let Some((_, lang)) = l.qc.pds.first_mut() {
                    *lang = "eng".into();
                }
            },
        },
        LintDefect {
            name: "qcs-cclegislation-missing",
            base: QualifiedEsig,
            clause: "ETSI EN 319 412-5 §4.2.4",
            description: "qualified certificate of a non-EU scheme without QcCClegislation",
            applies: non_eu,
            apply: |l, _| l.qc.cc_legislation.clear(),
        },
        LintDefect {
            name: "qcs-cclegislation-present",
            base: QualifiedEsig,
            clause: "ETSI EN 319 412-5 §4.2.4",
            description: "EU qualified certificate carrying QcCClegislation",
            applies: eu,
            apply: |l, s| l.qc.cc_legislation = vec![s.country.to_string()],
        },
        LintDefect {
            name: "policy-missing",
            base: QualifiedEsig,
            clause: "ETSI EN 319 412-2 §4.3.3",
            description: "qualified e-signature certificate without certificatePolicies",
            applies: always,
            apply: |l, _| l.policies.clear(),
        },
        LintDefect {
            name: "policy-mismatch",
            base: QualifiedEsig,
            clause: "ETSI EN 319 411-2 §5.3",
            description: "natural-person qualified certificate under the legal-person policy QCP-l-qscd",
            applies: always,
            apply: |l, _| l.policies = vec![policy::QCP_L_QSCD],
        },
        LintDefect {
            name: "key-usage-non-repudiation-missing",
            base: QualifiedEsig,
            clause: "ETSI EN 319 412-2 §4.3.2",
            description: "qualified e-signature certificate with digitalSignature instead of nonRepudiation",
            applies: always,
            apply: |l, _| l.key_usage = vec![ku::DIGITAL_SIGNATURE],
        },
        LintDefect {
            name: "subject-name-missing",
            base: QualifiedEsig,
            clause: "ETSI EN 319 412-2 §4.2.4 (NAT-4.2.4-1)",
            description: "natural-person subject with neither givenName/surname nor pseudonym",
            applies: always,
            apply: |l, _| {
                l.subject.remove(attr::GIVEN_NAME);
                l.subject.remove(attr::SURNAME);
            },
        },
        LintDefect {
            name: "subject-country-missing",
            base: QualifiedEsig,
            clause: "ETSI EN 319 412-2 §4.2.4",
            description: "natural-person subject without countryName",
            applies: always,
            apply: |l, _| l.subject.remove(attr::COUNTRY),
        },
        LintDefect {
            name: "jmbg-check-digit",
            base: QualifiedEsig,
            clause: "JMBG/EMBG mod-11 check digit (issue 3 §3)",
            description: "JMBG/EMBG in serialNumber with a wrong check digit",
            applies: jmbg_state,
            apply: |l, s| {
                let bad = format!("{}{}-{}", s.person_id_type, s.country, ids::break_last_digit(&s.person_id_value()));
                l.subject.set(attr::SERIAL_NUMBER, &bad);
            },
        },
        LintDefect {
            name: "jmbg-date-invalid",
            base: QualifiedEsig,
            clause: "JMBG/EMBG DDMMYYY birth date (issue 3 §3)",
            description: "JMBG/EMBG encoding 31 February, with a correct check digit",
            applies: jmbg_state,
            apply: |l, s| {
                let region = match s.person_id {
                    crate::states::PersonId::Jmbg { region } => region,
                    _ => 71,
                };
                let bad = format!("{}{}-{}", s.person_id_type, s.country, ids::jmbg(31, 2, s.birth.2, region, 512));
                l.subject.set(attr::SERIAL_NUMBER, &bad);
            },
        },
        LintDefect {
            name: "semantics-id-country-mismatch",
            base: QualifiedEsig,
            clause: "ETSI EN 319 412-1 §5.1.3 (issue 3 §3: the identifier's country must match the profile)",
            description: "serialNumber identifier of another country than the profile's",
            applies: national,
            apply: |l, s| {
                let bad = format!("{}{}-{}", s.person_id_type, foreign_country(s), s.person_id_value());
                l.subject.set(attr::SERIAL_NUMBER, &bad);
            },
        },
        LintDefect {
            name: "semantics-id-type-unknown",
            base: QualifiedEsig,
            clause: "ETSI EN 319 412-1 §5.1.3",
            description: "serialNumber identifier with the unknown type reference `XYZ`",
            applies: always,
            apply: |l, s| {
                let bad = format!("XYZ{}-{}", s.country, s.person_id_value());
                l.subject.set(attr::SERIAL_NUMBER, &bad);
            },
        },
        LintDefect {
            name: "serial-negative",
            base: QualifiedEsig,
            clause: "RFC 5280 §4.1.2.2",
            description: "negative serial number",
            applies: always,
            apply: |l, _| {
                let mut c = match &l.serial {
                    Serial::Positive(m) => m.clone(),
                    Serial::Raw(c) => c.clone(),
                };
                if let Some(b) = c.first_mut() {
                    *b |= 0x80;
                }
                l.serial = Serial::Raw(c);
            },
        },
        LintDefect {
            name: "serial-zero",
            base: QualifiedEsig,
            clause: "RFC 5280 §4.1.2.2",
            description: "serial number 0",
            applies: always,
            apply: |l, _| l.serial = Serial::Positive(vec![0]),
        },
        LintDefect {
            name: "serial-too-long",
            base: QualifiedEsig,
            clause: "RFC 5280 §4.1.2.2",
            description: "serial number of 21 octets",
            applies: always,
            apply: |l, _| {
                let mut c = vec![0x5a; 21];
                if let Serial::Positive(m) = &l.serial {
                    for (d, s) in c.iter_mut().zip(m.iter()) {
                        *d = *s;
                    }
                }
                l.serial = Serial::Positive(c);
            },
        },
        LintDefect {
            name: "validity-generalized-time-before-2050",
            base: QualifiedEsig,
            clause: "RFC 5280 §4.1.2.5",
            description: "validity dates before 2050 written as GeneralizedTime",
            applies: always,
            apply: |l, _| l.time_encoding = TimeEncoding::AlwaysGeneralized,
        },
        LintDefect {
            name: "authority-key-identifier-missing",
            base: QualifiedEsig,
            clause: "RFC 5280 §4.2.1.1",
            description: "no authorityKeyIdentifier extension",
            applies: always,
            apply: |l, _| l.authority_key_id = false,
        },
        LintDefect {
            name: "extension-duplicate",
            base: QualifiedEsig,
            clause: "RFC 5280 §4.2",
            description: "keyUsage extension present twice",
            applies: always,
            apply: |l, _| l.duplicate = Some(ext::KEY_USAGE),
        },
        LintDefect {
            name: "subject-empty",
            base: QualifiedEsig,
            clause: "RFC 5280 §4.1.2.6",
            description: "empty subject and no subjectAltName",
            applies: always,
            apply: |l, _| l.subject.0.clear(),
        },
        LintDefect {
            name: "subject-organization-identifier-missing",
            base: QualifiedEseal,
            clause: "ETSI EN 319 412-3 §4.2.1; ETSI EN 319 412-1 §5.1.4",
            description: "legal-person subject without organizationIdentifier",
            applies: always,
            apply: |l, _| l.subject.remove(attr::ORGANIZATION_IDENTIFIER),
        },
        LintDefect {
            name: "subject-organization-identifier-malformed",
            base: QualifiedEseal,
            clause: "ETSI EN 319 412-1 §5.1.4",
            description: "organizationIdentifier without the `-` after the country code",
            applies: always,
            apply: |l, s| {
                let bad = format!("VAT{}{}", s.vat_prefix, s.vat.value());
                l.subject.set(attr::ORGANIZATION_IDENTIFIER, &bad);
            },
        },
        LintDefect {
            name: "subject-organization-missing",
            base: QualifiedEseal,
            clause: "ETSI EN 319 412-3 §4.2.1",
            description: "legal-person subject without organizationName",
            applies: always,
            apply: |l, _| l.subject.remove(attr::ORGANIZATION),
        },
        LintDefect {
            name: "qcs-qctype-mismatch-eseal",
            base: QualifiedEseal,
            clause: "ETSI EN 319 412-5 §4.2.3",
            description: "qualified e-seal certificate whose QcType is id-etsi-qct-esign",
            applies: always,
            apply: |l, _| l.qc.types = vec![qcs::TYPE_ESIGN],
        },
        LintDefect {
            name: "eku-server-auth-missing",
            base: Qwac,
            clause: "ETSI EN 319 412-4 §4.3.1",
            description: "QWAC whose extendedKeyUsage is id-kp-clientAuth instead of id-kp-serverAuth",
            applies: always,
            apply: |l, _| l.ext_key_usage = vec![ext::KP_CLIENT_AUTH],
        },
        LintDefect {
            name: "san-missing",
            base: Qwac,
            clause: "ETSI EN 319 412-4 §4.2.1 (CA/B Forum BR §7.1.2.7.12)",
            description: "QWAC without subjectAltName",
            applies: always,
            apply: |l, _| l.san.clear(),
        },
        LintDefect {
            name: "qcs-qctype-mismatch-web",
            base: Qwac,
            clause: "ETSI EN 319 412-5 §4.2.3",
            description: "QWAC whose QcType is id-etsi-qct-esign",
            applies: always,
            apply: |l, _| l.qc.types = vec![qcs::TYPE_ESIGN],
        },
    ]
}

fn chain_defects() -> Vec<ChainDefect> {
    vec![
        ChainDefect {
            name: "leaf-expired",
            clause: "RFC 5280 §6.1.3 (a)(2)",
            description: "leaf validity ended before the validation time",
        },
        ChainDefect {
            name: "leaf-not-yet-valid",
            clause: "RFC 5280 §6.1.3 (a)(2)",
            description: "leaf validity starts after the validation time",
        },
        ChainDefect {
            name: "leaf-revoked",
            clause: "RFC 5280 §6.1.3 (a)(3)",
            description: "leaf listed on its issuer's CRL (keyCompromise)",
        },
        ChainDefect {
            name: "leaf-revoked-ordinary-ca",
            clause: "RFC 5280 §6.1.3 (a)(3)",
            description: "authentication leaf listed on the ordinary CA's CRL",
        },
        ChainDefect {
            name: "leaf-bad-signature",
            clause: "RFC 5280 §6.1.3 (a)(1)",
            description: "one bit of the leaf's signature flipped",
        },
        ChainDefect {
            name: "leaf-unknown-critical-extension",
            clause: "RFC 5280 §4.2",
            description: "leaf with an unrecognised critical extension",
        },
        ChainDefect {
            name: "ca-expired",
            clause: "RFC 5280 §6.1.3 (a)(2)",
            description: "issuing CA certificate (same name and key) expired before the validation time",
        },
        ChainDefect {
            name: "ca-revoked",
            clause: "RFC 5280 §6.1.3 (a)(3)",
            description: "issuing CA certificate (same name and key) listed on the root's CRL",
        },
        ChainDefect {
            name: "ca-not-ca",
            clause: "RFC 5280 §6.1.4 (k)",
            description: "issuing CA certificate (same name and key) with basicConstraints cA false",
        },
        ChainDefect {
            name: "ca-key-cert-sign-missing",
            clause: "RFC 5280 §6.1.4 (n)",
            description: "issuing CA certificate (same name and key) whose keyUsage lacks keyCertSign",
        },
        ChainDefect {
            name: "path-length-exceeded",
            clause: "RFC 5280 §6.1.4 (l)",
            description: "a sub-CA below the issuing CA, whose pathLenConstraint is 0",
        },
        ChainDefect {
            name: "anchor-key-mismatch",
            clause: "RFC 5280 §6.1.3 (a)(1)",
            description: "the anchor has the root's name but another key",
        },
        ChainDefect {
            name: "intermediate-missing",
            clause: "RFC 5280 §6.1",
            description: "the issuing CA certificate is not supplied",
        },
        ChainDefect {
            name: "crl-stale",
            clause: "RFC 5280 §6.3.3 (a)",
            description: "the issuing CA's only CRL has nextUpdate before the validation time",
        },
        ChainDefect {
            name: "crl-bad-signature",
            clause: "RFC 5280 §6.3.3 (f)",
            description: "the issuing CA's CRL has one bit of its signature flipped",
        },
    ]
}

fn generate_state(state: &State, files: &mut BTreeMap<String, Vec<u8>>) -> Manifest {
    let pki = StatePki::build(state);
    let mut cx = Ctx { state, pki, files, cases: Vec::new() };

    // CA certificates.
    let root = cx.pki.root.clone();
    let qca = cx.pki.qualified_ca.clone();
    let oca = cx.pki.ca.clone();
    cx.put_cert("ca/root.pem", &root);
    cx.put_cert("ca/qualified-ca.pem", &qca);
    cx.put_cert("ca/ca.pem", &oca);

    // CA variants: same name and key as the qualified CA, one field changed.
    let qkey = StatePki::ca_key(state, IssuingCa::Qualified);
    let base = StatePki::ca_spec(state, IssuingCa::Qualified);
    let variant = |name: &str, edit: &dyn Fn(&mut CaSpec)| {
        let mut s = base.clone();
        s.serial = serial_for(&format!("{}/qualified-ca/{name}", state.code));
        edit(&mut s);
        s.issue(&qkey, &root)
    };
    let ca_expired = variant("expired", &|s| {
        s.not_before = times::CA_EXPIRED_FROM;
        s.not_after = times::CA_EXPIRED_TO;
    });
    let ca_revoked = variant("revoked", &|_| {});
    let ca_not_ca = variant("not-ca", &|s| {
        s.ca = false;
        s.path_len = None;
    });
    let ca_no_kcs = variant("no-key-cert-sign", &|s| s.key_usage = vec![ku::CRL_SIGN]);
    cx.put_cert("ca/variants/qualified-ca-expired.pem", &ca_expired);
    cx.put_cert("ca/variants/qualified-ca-revoked.pem", &ca_revoked);
    cx.put_cert("ca/variants/qualified-ca-not-ca.pem", &ca_not_ca);
    cx.put_cert("ca/variants/qualified-ca-key-cert-sign-missing.pem", &ca_no_kcs);

    // A sub-CA under the qualified CA (whose pathLenConstraint 0 forbids it).
    let sub_key = crate::keys::TestKey::derive(&format!("{}/sub-ca", state.code), crate::keys::Curve::P256);
    let mut sub_spec = base.clone();
    sub_spec.serial = serial_for(&format!("{}/sub-ca", state.code));
    sub_spec.subject.set(attr::COMMON_NAME, &format!("eidtrust TEST Sub CA {}", state.code.to_uppercase()));
    sub_spec.path_len = None;
    sub_spec.crl_dp = Some(format!("http://{}/crl/qualified-ca.crl", state.host("pki")));
    let sub_ca = sub_spec.issue(&sub_key, &qca);
    cx.put_cert("ca/variants/sub-ca.pem", &sub_ca);

    // An impostor root: the root's name and extensions, another key.
    let imp_key = crate::keys::TestKey::derive(&format!("{}/root-impostor", state.code), crate::keys::Curve::P384);
    let mut imp_t = root.template.clone();
    imp_t.extensions = vec![
        Extension::subject_key_id(&imp_key.key_id()),
        Extension::basic_constraints(true, None),
        Extension::key_usage(&[ku::KEY_CERT_SIGN, ku::CRL_SIGN]),
    ];
    let imp_der = imp_t.issue(&imp_key, &imp_key);
    let impostor = Issued { template: imp_t, key: imp_key, der: imp_der };
    cx.put_cert("ca/variants/root-impostor.pem", &impostor);

    // Valid leaves.
    for t in CertType::ALL {
        let spec = LeafSpec::valid(state, t, t.as_str());
        let issued = spec.issue(&cx.pki.leaf_key(t.as_str()), cx.pki.issuing(IssuingCa::for_type(t)));
        let path = cx.put_cert(&format!("leaf/{}.pem", t.as_str()), &issued);
        let which = IssuingCa::for_type(t);
        cx.case(
            "chain",
            &format!("valid-{}", t.as_str()),
            t,
            format!("valid {} chain of {} with complete CRLs", t.as_str(), state.name_en),
            None,
            None,
            Ctx::chain_files(path.clone(), which),
        );
        cx.case(
            "lint",
            &format!("valid-{}", t.as_str()),
            t,
            format!("valid {} certificate of {}", t.as_str(), state.name_en),
            None,
            None,
            Files { leaf: path, intermediates: vec![Ctx::ca_file(which)], anchors: vec![], crls: vec![] },
        );
    }

    // Chain-variant leaves (qualified e-signature unless said otherwise).
    let qes = CertType::QualifiedEsig;
    let leaf_variant = |cx: &mut Ctx, label: &str, t: CertType, issuer: &Issued, edit: &dyn Fn(&mut LeafSpec)| {
        let mut spec = LeafSpec::valid(state, t, label);
        edit(&mut spec);
        let issued = spec.issue(&cx.pki.leaf_key(label), issuer);
        (cx.put_cert(&format!("chain/{label}.pem"), &issued), issued)
    };
    let (expired_path, _) = leaf_variant(&mut cx, "leaf-expired", qes, &qca, &|s| {
        s.not_before = times::EXPIRED_FROM;
        s.not_after = times::EXPIRED_TO;
    });
    let (future_path, _) = leaf_variant(&mut cx, "leaf-not-yet-valid", qes, &qca, &|s| {
        s.not_before = times::FUTURE_FROM;
        s.not_after = times::FUTURE_TO;
    });
    let (revoked_path, revoked_leaf) = leaf_variant(&mut cx, "leaf-revoked", qes, &qca, &|_| {});
    let (revoked_auth_path, revoked_auth) =
        leaf_variant(&mut cx, "leaf-revoked-ordinary-ca", CertType::Auth, &oca, &|_| {});
    let (badsig_path, _) = leaf_variant(&mut cx, "leaf-bad-signature", qes, &qca, &|s| s.corrupt_signature = true);
    let (crit_path, _) = leaf_variant(&mut cx, "leaf-unknown-critical-extension", qes, &qca, &|s| {
        s.extra.push(Extension::new(UNKNOWN_EXTENSION_OID, true, der::null()));
    });
    let (sub_leaf_path, _) = leaf_variant(&mut cx, "path-length-exceeded", qes, &sub_ca, &|s| {
        s.crl_dp = Some(format!("http://{}/crl/sub-ca.crl", state.host("pki")));
        s.ca_issuers = Some(format!("http://{}/ca/sub-ca.cer", state.host("pki")));
    });

    // CRLs.
    let qca_crl = StatePki::crl(
        &qca,
        12,
        times::CRL_THIS,
        times::CRL_NEXT,
        vec![revoked(&revoked_leaf.template.serial, times::REVOKED_AT)],
    );
    let oca_crl = StatePki::crl(
        &oca,
        12,
        times::CRL_THIS,
        times::CRL_NEXT,
        vec![revoked(&revoked_auth.template.serial, times::REVOKED_AT)],
    );
    let root_crl = StatePki::crl(
        &root,
        3,
        times::ARL_THIS,
        times::ARL_NEXT,
        vec![revoked(&ca_revoked.template.serial, times::REVOKED_AT)],
    );
    let sub_crl = StatePki::crl(&sub_ca, 1, times::CRL_THIS, times::CRL_NEXT, vec![]);
    let stale_crl = StatePki::crl(&qca, 10, times::STALE_CRL_THIS, times::STALE_CRL_NEXT, vec![]);
    let mut badsig_crl = qca_crl.clone();
    badsig_crl.corrupt_signature = true;
    cx.put("crl/qualified-ca.crl", qca_crl.issue(&qca.key));
    cx.put("crl/ca.crl", oca_crl.issue(&oca.key));
    cx.put("crl/root.crl", root_crl.issue(&root.key));
    cx.put("crl/sub-ca.crl", sub_crl.issue(&sub_ca.key));
    cx.put("crl/variants/qualified-ca-stale.crl", stale_crl.issue(&qca.key));
    cx.put("crl/variants/qualified-ca-bad-signature.crl", badsig_crl.issue(&qca.key));

    // Chain cases.
    let q = IssuingCa::Qualified;
    let valid_qes = format!("leaf/{}.pem", qes.as_str());
    for d in chain_defects() {
        let (t, files) = match d.name {
            "leaf-expired" => (qes, Ctx::chain_files(expired_path.clone(), q)),
            "leaf-not-yet-valid" => (qes, Ctx::chain_files(future_path.clone(), q)),
            "leaf-revoked" => (qes, Ctx::chain_files(revoked_path.clone(), q)),
            "leaf-revoked-ordinary-ca" => {
                (CertType::Auth, Ctx::chain_files(revoked_auth_path.clone(), IssuingCa::Ordinary))
            }
            "leaf-bad-signature" => (qes, Ctx::chain_files(badsig_path.clone(), q)),
            "leaf-unknown-critical-extension" => (qes, Ctx::chain_files(crit_path.clone(), q)),
            "ca-expired" => (qes, with_intermediate(&valid_qes, "ca/variants/qualified-ca-expired.pem")),
            "ca-revoked" => (qes, with_intermediate(&valid_qes, "ca/variants/qualified-ca-revoked.pem")),
            "ca-not-ca" => (qes, with_intermediate(&valid_qes, "ca/variants/qualified-ca-not-ca.pem")),
            "ca-key-cert-sign-missing" => {
                (qes, with_intermediate(&valid_qes, "ca/variants/qualified-ca-key-cert-sign-missing.pem"))
            }
            "path-length-exceeded" => (
                qes,
                Files {
                    leaf: sub_leaf_path.clone(),
                    intermediates: vec!["ca/variants/sub-ca.pem".into(), Ctx::ca_file(q)],
                    anchors: vec!["ca/root.pem".into()],
                    crls: vec!["crl/sub-ca.crl".into(), Ctx::crl_file(q), "crl/root.crl".into()],
                },
            ),
            "anchor-key-mismatch" => {
                let mut f = Ctx::chain_files(valid_qes.clone(), q);
                f.anchors = vec!["ca/variants/root-impostor.pem".into()];
                (qes, f)
            }
            "intermediate-missing" => {
                let mut f = Ctx::chain_files(valid_qes.clone(), q);
                f.intermediates.clear();
                (qes, f)
            }
            "crl-stale" => {
                let mut f = Ctx::chain_files(valid_qes.clone(), q);
                f.crls = vec!["crl/variants/qualified-ca-stale.crl".into(), "crl/root.crl".into()];
                (qes, f)
            }
            "crl-bad-signature" => {
                let mut f = Ctx::chain_files(valid_qes.clone(), q);
                f.crls = vec!["crl/variants/qualified-ca-bad-signature.crl".into(), "crl/root.crl".into()];
                (qes, f)
            }
            _ => continue,
        };
        cx.case("chain", d.name, t, d.description.to_string(), Some(d.name), Some(d.clause), files);
    }

    // Lint cases.
    for d in lint_defects() {
        if !(d.applies)(state) {
            continue;
        }
        let label = format!("lint-{}", d.name);
        let mut spec = LeafSpec::valid(state, d.base, &label);
        (d.apply)(&mut spec, state);
        let which = IssuingCa::for_type(d.base);
        let issued = spec.issue(&cx.pki.leaf_key(&label), cx.pki.issuing(which));
        let path = cx.put_cert(&format!("lint/{}.pem", d.name), &issued);
        cx.case(
            "lint",
            d.name,
            d.base,
            d.description.to_string(),
            Some(d.name),
            Some(d.clause),
            Files { leaf: path, intermediates: vec![Ctx::ca_file(which)], anchors: vec![], crls: vec![] },
        );
    }

    Manifest {
        schema: SCHEMA,
        state: state.code,
        country: state.country,
        profile: state.profile,
        eu_member: state.eu_member,
        note: "Synthetic test material generated by eidtrust-testpki; every name, number and key is fictitious.",
        cases: cx.cases,
    }
}

fn with_intermediate(leaf: &str, intermediate: &str) -> Files {
    Files {
        leaf: leaf.to_string(),
        intermediates: vec![intermediate.to_string()],
        anchors: vec!["ca/root.pem".into()],
        crls: vec![Ctx::crl_file(IssuingCa::Qualified), "crl/root.crl".into()],
    }
}
