//! The certificate linter: one certificate, one profile, one certificate type.

use crate::der::{self, tag, Reader};
use crate::findings as f;
use crate::ident::{self, IdentifierSyntax, NationalScheme, RemainderOne};
use crate::qcs::{self, QcStatements};
use crate::schema::{Profile, TypeRules};
use crate::{oids, CertType};
use report::{Finding, FindingDef, Location};
use serde::Serialize;
use x509_parser::prelude::*;

/// How the type used for linting was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TypeSource {
    /// Given by the caller (`--type`).
    Given,
    /// Claimed by the certificate (policy OIDs, QcType).
    Claimed,
    /// Neither: only type-independent rules ran.
    Undetermined,
}

/// The result of linting one certificate. Serialises as the per-file JSON of issue 3:
/// `{"profile","type","type_source","conformant","findings":[...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LintReport {
    pub profile: String,
    #[serde(rename = "type")]
    pub cert_type: Option<CertType>,
    pub type_source: TypeSource,
    /// What the certificate claims (`policy 0.4.0.194112.1.2 → qualified-esig`, ...).
    pub claims: Vec<String>,
    pub conformant: bool,
    pub findings: Vec<Finding>,
}

impl LintReport {
    fn finish(mut self) -> Self {
        self.conformant = !self.findings.iter().any(|x| x.severity.is_failure());
        self
    }
}

/// The national additions for `t`, if the profile has any.
pub fn type_rules(p: &Profile, t: CertType) -> Option<&TypeRules> {
    let tt = &p.types;
    match t {
        CertType::QualifiedEsig => tt.qualified_esig.as_ref(),
        CertType::QualifiedEseal => tt.qualified_eseal.as_ref(),
        CertType::Qwac => tt.qwac.as_ref(),
        CertType::Auth => tt.auth.as_ref(),
        CertType::Esig => tt.esig.as_ref(),
        CertType::Eseal => tt.eseal.as_ref(),
    }
}

/// Short attribute name (as used in profiles) → OID.
pub fn attribute_oid(name: &str) -> Option<&'static str> {
    Some(match name {
        "commonName" => oids::AT_COMMON_NAME,
        "surname" => oids::AT_SURNAME,
        "serialNumber" => oids::AT_SERIAL_NUMBER,
        "countryName" => oids::AT_COUNTRY,
        "organizationName" => oids::AT_ORGANIZATION,
        "givenName" => oids::AT_GIVEN_NAME,
        "pseudonym" => oids::AT_PSEUDONYM,
        "organizationIdentifier" => oids::AT_ORGANIZATION_IDENTIFIER,
        _ => return None,
    })
}

fn find(def: &FindingDef, msg: impl Into<std::borrow::Cow<'static, str>>, path: &str) -> Finding {
    Finding::from_def(def, msg).at(Location::path(path))
}

/// Lints many inputs (PEM or DER, see [`lint_input`]) in parallel with rayon; results are in
/// input order.
pub fn lint_many<T: AsRef<[u8]> + Sync>(
    inputs: &[T],
    profile: &Profile,
    cert_type: Option<CertType>,
) -> Vec<LintReport> {
    use rayon::prelude::*;
    inputs.par_iter().map(|d| lint_input(d.as_ref(), profile, cert_type)).collect()
}

/// Most PEM blocks looked at in one input (project limit: a leaf plus a long chain).
pub const MAX_PEM_BLOCKS: usize = 64;

/// The certificates of a PEM input (CERTIFICATE blocks), or `None` when the input is not PEM.
pub fn pem_certificates(input: &[u8]) -> Option<Vec<Vec<u8>>> {
    let marker = b"-----BEGIN ";
    if !input.windows(marker.len()).any(|w| w == marker) {
        return None;
    }
    let mut out = Vec::new();
    for pem in x509_parser::pem::Pem::iter_from_buffer(input).take(MAX_PEM_BLOCKS) {
        match pem {
            Ok(p) if p.label == "CERTIFICATE" => out.push(p.contents),
            Ok(_) => {}
            Err(_) => break,
        }
    }
    Some(out)
}

/// Lints a file's content: DER, or PEM whose first CERTIFICATE block is linted (a notice says
/// when more follow).
pub fn lint_input(input: &[u8], profile: &Profile, cert_type: Option<CertType>) -> LintReport {
    match pem_certificates(input) {
        None => lint_certificate(input, profile, cert_type),
        Some(certs) => match certs.first() {
            None => {
                let mut r = lint_certificate(&[], profile, cert_type);
                if let Some(f) = r.findings.first_mut() {
                    f.message = "the PEM input holds no decodable CERTIFICATE block".into();
                }
                r
            }
            Some(first) => {
                let mut r = lint_certificate(first, profile, cert_type);
                if certs.len() > 1 {
                    r.findings.push(find(
                        &f::INPUT_EXTRA_CERTIFICATES,
                        format!("the input holds {} certificates; only the first was linted", certs.len()),
                        "certificate",
                    ));
                }
                r
            }
        },
    }
}

/// The types a certificate claims, with the evidence.
fn claimed_types(profile: &Profile, policies: &[String], q: Option<&QcStatements>) -> Vec<(CertType, String)> {
    let mut out = Vec::new();
    for p in policies {
        let t = match p.as_str() {
            oids::QCP_NATURAL | oids::QCP_NATURAL_QSCD => Some(CertType::QualifiedEsig),
            oids::QCP_LEGAL | oids::QCP_LEGAL_QSCD => Some(CertType::QualifiedEseal),
            oids::QCP_WEB | oids::QNCP_WEB | oids::QNCP_WEB_GEN => Some(CertType::Qwac),
            _ => None,
        };
        if let Some(t) = t {
            out.push((t, format!("policy {p} (EN 319 411-2) → {t}")));
        }
        for t in CertType::ALL {
            if type_rules(profile, t).is_some_and(|r| r.policy_oids.iter().any(|o| &o.0 == p)) {
                out.push((t, format!("policy {p} (profile {}) → {t}", profile.id)));
            }
        }
    }
    if let Some(q) = q {
        for qt in &q.types {
            let t = match (qt.as_str(), q.compliance) {
                (oids::QCT_ESIGN, true) => Some(CertType::QualifiedEsig),
                (oids::QCT_ESEAL, true) => Some(CertType::QualifiedEseal),
                (oids::QCT_WEB, true) => Some(CertType::Qwac),
                (oids::QCT_ESIGN, false) => Some(CertType::Esig),
                (oids::QCT_ESEAL, false) => Some(CertType::Eseal),
                _ => None,
            };
            if let Some(t) = t {
                let c = if q.compliance { " with QcCompliance" } else { "" };
                out.push((t, format!("QcType {qt}{c} → {t}")));
            }
        }
    }
    out
}

/// Key-usage settings of EN 319 412-2 §4.3.2 Table 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KuSetting {
    A,
    B,
    C,
    D,
    E,
    F,
}

fn ku_setting(ku: &x509_parser::extensions::KeyUsage) -> Option<KuSetting> {
    let other =
        ku.data_encipherment() || ku.key_cert_sign() || ku.crl_sign() || ku.encipher_only() || ku.decipher_only();
    if other {
        return None;
    }
    let nr = ku.non_repudiation();
    let ds = ku.digital_signature();
    let ke = ku.key_encipherment();
    let ka = ku.key_agreement();
    let one_of = ke as u8 + ka as u8;
    match (nr, ds, one_of) {
        (true, false, 0) => Some(KuSetting::A),
        (true, true, 0) => Some(KuSetting::B),
        (false, true, 0) => Some(KuSetting::C),
        (false, true, 1) => Some(KuSetting::D),
        (false, false, 1) => Some(KuSetting::E),
        (true, true, 1) => Some(KuSetting::F),
        _ => None,
    }
}

struct Attr {
    oid: String,
    value: Option<String>,
}

fn attrs(name: &X509Name<'_>) -> Vec<Attr> {
    name.iter_attributes()
        .map(|a| Attr { oid: a.attr_type().to_id_string(), value: a.as_str().ok().map(str::to_owned) })
        .collect()
}

fn has(attrs: &[Attr], oid: &str) -> bool {
    attrs.iter().any(|a| a.oid == oid)
}

fn first<'a>(attrs: &'a [Attr], oid: &str) -> Option<&'a Attr> {
    attrs.iter().find(|a| a.oid == oid)
}

/// Reads the raw validity times and SPKI parameters with the crate's DER reader, so that the
/// encodings x509-parser normalises away (UTCTime vs GeneralizedTime) can be checked.
struct RawTbs {
    validity: Vec<(u8, Vec<u8>)>,
    spki_params_oid: Option<String>,
}

fn raw_tbs(tbs: &[u8]) -> Result<RawTbs, der::DerError> {
    let mut top = Reader::new(tbs);
    let seq = top.expect(tag::SEQUENCE)?;
    let mut r = Reader::inside(&seq);
    r.optional(0xa0)?; // version
    r.expect(tag::INTEGER)?; // serial
    r.expect(tag::SEQUENCE)?; // signature
    r.expect(tag::SEQUENCE)?; // issuer
    let validity = r.expect(tag::SEQUENCE)?;
    let mut v = Reader::inside(&validity);
    let mut times = Vec::new();
    while !v.is_empty() && times.len() < 2 {
        let t = v.read()?;
        times.push((t.tag, t.value.to_vec()));
    }
    r.expect(tag::SEQUENCE)?; // subject
    let spki = r.expect(tag::SEQUENCE)?;
    let mut s = Reader::inside(&spki);
    let alg = s.expect(tag::SEQUENCE)?;
    let mut a = Reader::inside(&alg);
    a.expect(tag::OID)?;
    let spki_params_oid = match a.optional(tag::OID)? {
        Some(o) => Some(der::oid_to_string(o.value, o.value_offset)?),
        None => None,
    };
    Ok(RawTbs { validity: times, spki_params_oid })
}

/// The year of a validity time (UTCTime YY → 1950..2049), if its digits parse.
fn time_year(t: u8, v: &[u8]) -> Option<i32> {
    let s = std::str::from_utf8(v).ok()?;
    if t == tag::UTC_TIME {
        let yy: i32 = s.get(..2)?.parse().ok()?;
        Some(if yy >= 50 { 1900 + yy } else { 2000 + yy })
    } else {
        s.get(..4)?.parse().ok()
    }
}

fn time_format_ok(t: u8, v: &[u8]) -> bool {
    let n = if t == tag::UTC_TIME { 13 } else { 15 };
    v.len() == n && v.last() == Some(&b'Z') && v.iter().take(n - 1).all(u8::is_ascii_digit)
}

/// Lints one DER certificate against `profile`. With `cert_type = None`, the type the certificate
/// claims is used and reported ([`TypeSource::Claimed`]); when it claims none, or claims
/// conflicting types, only the type-independent rules run and an error finding says why.
pub fn lint_certificate(der_bytes: &[u8], profile: &Profile, cert_type: Option<CertType>) -> LintReport {
    let mut rep = LintReport {
        profile: profile.id.clone(),
        cert_type,
        type_source: if cert_type.is_some() { TypeSource::Given } else { TypeSource::Undetermined },
        claims: Vec::new(),
        conformant: false,
        findings: Vec::new(),
    };
    let (rest, cert) = match X509Certificate::from_der(der_bytes) {
        Ok(x) => x,
        Err(e) => {
            rep.findings.push(find(
                &f::INPUT_MALFORMED,
                format!("the input is not a DER certificate: {e}"),
                "certificate",
            ));
            return rep.finish();
        }
    };
    let out = &mut rep.findings;
    if !rest.is_empty() {
        out.push(find(&f::INPUT_TRAILING_DATA, format!("{} bytes follow the certificate", rest.len()), "certificate"));
    }

    // ---- extensions, decoded once
    let exts = cert.extensions();
    let mut seen: Vec<String> = Vec::new();
    for e in exts {
        let id = e.oid.to_id_string();
        if seen.contains(&id) {
            out.push(find(
                &f::EXTENSION_DUPLICATE,
                format!("extension {id} appears more than once"),
                "tbsCertificate.extensions",
            ));
        } else {
            seen.push(id);
        }
        if let ParsedExtension::ParseError { error } = e.parsed_extension() {
            out.push(find(
                &f::EXTENSION_UNPARSEABLE,
                format!("extension {} does not decode: {error}", e.oid.to_id_string()),
                "tbsCertificate.extensions",
            ));
        }
    }
    let ext = |oid: &str| exts.iter().find(|e| e.oid.to_id_string() == oid);
    let mut policies: Vec<String> = Vec::new();
    if let Some(e) = ext(oids::EXT_CERTIFICATE_POLICIES) {
        if let ParsedExtension::CertificatePolicies(cp) = e.parsed_extension() {
            for pi in cp.iter() {
                let id = pi.policy_id.to_id_string();
                if policies.contains(&id) {
                    out.push(find(
                        &f::POLICY_DUPLICATE,
                        format!("policy {id} appears more than once"),
                        "tbsCertificate.extensions.certificatePolicies",
                    ));
                } else {
                    policies.push(id);
                }
            }
        }
    }
    let qcs_ext = ext(oids::EXT_QC_STATEMENTS);
    let qc: Option<QcStatements> = match qcs_ext {
        Some(e) => match qcs::parse(e.value) {
            Ok(q) => Some(q),
            Err(err) => {
                out.push(find(
                    &f::QCS_MALFORMED,
                    format!("qcStatements: {err}"),
                    "tbsCertificate.extensions.qcStatements",
                ));
                None
            }
        },
        None => None,
    };

    // ---- type selection (never silently guessed)
    let claims = claimed_types(profile, &policies, qc.as_ref());
    let mut distinct: Vec<CertType> = claims.iter().map(|(t, _)| *t).collect();
    distinct.sort();
    distinct.dedup();
    rep.claims = claims.iter().map(|(_, why)| why.clone()).collect();
    let ty = match cert_type {
        Some(t) => {
            if !distinct.is_empty() && !distinct.contains(&t) {
                let list: Vec<&str> = distinct.iter().map(|t| t.as_str()).collect();
                out.push(find(
                    &f::TYPE_OVERRIDE_MISMATCH,
                    format!("linted as {t} (--type) but the certificate claims {}", list.join(", ")),
                    "certificate",
                ));
            }
            Some(t)
        }
        None => match distinct.as_slice() {
            [] => {
                out.push(find(
                    &f::TYPE_UNDETERMINED,
                    "no --type given and the certificate claims no type through EN 319 411-2 policy OIDs, QcType or the profile's policy OIDs; pass --type",
                    "certificate",
                ));
                None
            }
            [t] => {
                rep.type_source = TypeSource::Claimed;
                out.push(find(
                    &f::TYPE_CLAIMED,
                    format!("linted as {t}, the type the certificate claims ({})", rep.claims.join("; ")),
                    "certificate",
                ));
                Some(*t)
            }
            _ => {
                out.push(find(
                    &f::TYPE_CONFLICTING_CLAIMS,
                    format!("the certificate claims several types: {}", rep.claims.join("; ")),
                    "certificate",
                ));
                None
            }
        },
    };
    rep.cert_type = ty;

    structural(&cert, out);
    algorithms(&cert, profile, out);
    if let Some(t) = ty {
        typed(&cert, profile, t, &policies, qcs_ext.map(|e| e.critical), qc.as_ref(), out);
    }
    rep.finish()
}

fn structural(cert: &X509Certificate<'_>, out: &mut Vec<Finding>) {
    let tbs = &cert.tbs_certificate;
    if !tbs.extensions().is_empty() && tbs.version() != X509Version::V3 {
        out.push(find(
            &f::V3_REQUIRED,
            format!("version is v{} but extensions are present", tbs.version().0 + 1),
            "tbsCertificate.version",
        ));
    }
    let serial = tbs.raw_serial();
    if serial.len() > 20 {
        out.push(find(
            &f::SERIAL_TOO_LONG,
            format!("serial number is {} octets, over 20", serial.len()),
            "tbsCertificate.serialNumber",
        ));
    }
    if serial.first().is_some_and(|b| b & 0x80 != 0) {
        out.push(find(&f::SERIAL_NOT_POSITIVE, "serial number is negative", "tbsCertificate.serialNumber"));
    } else if serial.iter().all(|b| *b == 0) {
        out.push(find(&f::SERIAL_NOT_POSITIVE, "serial number is zero", "tbsCertificate.serialNumber"));
    }
    if tbs.signature != cert.signature_algorithm {
        out.push(find(
            &f::SIGNATURE_ALGORITHM_MISMATCH,
            format!(
                "tbsCertificate.signature is {} but signatureAlgorithm is {}",
                tbs.signature.algorithm.to_id_string(),
                cert.signature_algorithm.algorithm.to_id_string()
            ),
            "signatureAlgorithm",
        ));
    }
    if tbs.issuer().iter_attributes().next().is_none() {
        out.push(find(&f::ISSUER_EMPTY, "the issuer name is empty", "tbsCertificate.issuer"));
    }
    let san = tbs.extensions().iter().find(|e| e.oid.to_id_string() == oids::EXT_SUBJECT_ALT_NAME);
    let subject_empty = tbs.subject().iter_attributes().next().is_none();
    if subject_empty && !san.is_some_and(|e| e.critical) {
        out.push(find(
            &f::SUBJECT_EMPTY,
            "the subject is empty and subjectAltName is absent or not critical",
            "tbsCertificate.subject",
        ));
    }
    if !subject_empty && san.is_some_and(|e| e.critical) {
        out.push(find(
            &f::SAN_CRITICAL,
            "subjectAltName is critical although the subject is not empty",
            "tbsCertificate.extensions.subjectAltName",
        ));
    }
    match raw_tbs(tbs.as_ref()) {
        Ok(raw) => {
            for ((t, v), which) in raw.validity.iter().zip(["notBefore", "notAfter"]) {
                let path = format!("tbsCertificate.validity.{which}");
                if !time_format_ok(*t, v) {
                    out.push(find(
                        &f::VALIDITY_TIME_FORMAT,
                        format!("{which} {:?} is not in the RFC 5280 form", String::from_utf8_lossy(v)),
                        &path,
                    ));
                } else if *t == tag::GENERALIZED_TIME && time_year(*t, v).is_some_and(|y| y < 2050) {
                    out.push(find(
                        &f::VALIDITY_UTCTIME_REQUIRED,
                        format!("{which} is before 2050 but encoded as GeneralizedTime"),
                        &path,
                    ));
                }
            }
        }
        Err(e) => out.push(find(&f::INPUT_MALFORMED, format!("tbsCertificate: {e}"), "tbsCertificate")),
    }
    let v = tbs.validity();
    if v.not_after < v.not_before {
        out.push(find(&f::VALIDITY_INVERTED, "notAfter is before notBefore", "tbsCertificate.validity"));
    }
    let self_issued = tbs.subject().as_raw() == tbs.issuer().as_raw();
    let mut has_aki_keyid = false;
    let mut has_ski = false;
    for e in tbs.extensions() {
        match e.parsed_extension() {
            ParsedExtension::AuthorityKeyIdentifier(aki) => {
                has_aki_keyid = aki.key_identifier.is_some();
                if e.critical {
                    out.push(find(
                        &f::AKI_CRITICAL,
                        "authorityKeyIdentifier is critical",
                        "tbsCertificate.extensions.authorityKeyIdentifier",
                    ));
                }
            }
            ParsedExtension::SubjectKeyIdentifier(_) => {
                has_ski = true;
                if e.critical {
                    out.push(find(
                        &f::SKI_CRITICAL,
                        "subjectKeyIdentifier is critical",
                        "tbsCertificate.extensions.subjectKeyIdentifier",
                    ));
                }
            }
            ParsedExtension::KeyUsage(ku) if ku.flags == 0 => {
                out.push(find(&f::KEY_USAGE_NO_BITS, "keyUsage has no bit set", "tbsCertificate.extensions.keyUsage"));
            }
            _ => {}
        }
    }
    for e in tbs.extensions() {
        let id = e.oid.to_id_string();
        if id == oids::EXT_KEY_USAGE && !named_bits_are_der(e.value) {
            out.push(find(
                &f::KEY_USAGE_TRAILING_ZERO,
                "keyUsage encodes trailing zero bits",
                "tbsCertificate.extensions.keyUsage",
            ));
        }
        if id == oids::EXT_BASIC_CONSTRAINTS && basic_constraints_encodes_default(e.value) {
            out.push(find(
                &f::BASIC_CONSTRAINTS_DEFAULT,
                "basicConstraints encodes cA FALSE explicitly",
                "tbsCertificate.extensions.basicConstraints",
            ));
        }
    }
    if !has_aki_keyid && !self_issued {
        out.push(find(
            &f::AKI_MISSING,
            "authorityKeyIdentifier with keyIdentifier is missing",
            "tbsCertificate.extensions",
        ));
    }
    if !has_ski {
        out.push(find(&f::SKI_MISSING, "subjectKeyIdentifier is missing", "tbsCertificate.extensions"));
    }
}

fn algorithms(cert: &X509Certificate<'_>, profile: &Profile, out: &mut Vec<Finding>) {
    let rules = &profile.algorithms;
    let sig = cert.signature_algorithm.algorithm.to_id_string();
    match oids::signature_algorithm_name(&sig) {
        Some(name) if rules.allows_signature(name) => {}
        Some(name) => out.push(find(
            &f::ALG_SIGNATURE_NOT_ALLOWED,
            format!("signature algorithm {name} is not allowed by profile {}", profile.id),
            "signatureAlgorithm",
        )),
        None => out.push(find(
            &f::ALG_SIGNATURE_NOT_ALLOWED,
            format!("signature algorithm {sig} is unknown to the linter and not allowed by profile {}", profile.id),
            "signatureAlgorithm",
        )),
    }
    let spki = cert.public_key();
    let key_alg = spki.algorithm.algorithm.to_id_string();
    let path = "tbsCertificate.subjectPublicKeyInfo";
    match key_alg.as_str() {
        oids::ALG_RSA_ENCRYPTION => match spki.parsed() {
            Ok(x509_parser::public_key::PublicKey::RSA(k)) => {
                let bits = k.key_size();
                if (bits as u64) < u64::from(rules.rsa_min_bits) {
                    out.push(find(
                        &f::ALG_RSA_TOO_SMALL,
                        format!(
                            "RSA key is {bits} bits; profile {} requires at least {}",
                            profile.id, rules.rsa_min_bits
                        ),
                        path,
                    ));
                }
            }
            _ => out.push(find(&f::ALG_KEY_MALFORMED, "the RSA public key does not decode", path)),
        },
        oids::ALG_EC_PUBLIC_KEY => {
            let curve = raw_tbs(cert.tbs_certificate.as_ref()).ok().and_then(|r| r.spki_params_oid);
            match curve.as_deref().map(|c| (c, oids::curve_name(c))) {
                Some((_, Some(name))) if rules.allows_curve(name) => {}
                Some((_, Some(name))) => out.push(find(
                    &f::ALG_CURVE_NOT_ALLOWED,
                    format!("curve {name} is not allowed by profile {}", profile.id),
                    path,
                )),
                Some((oid, None)) => out.push(find(
                    &f::ALG_CURVE_NOT_ALLOWED,
                    format!("curve {oid} is unknown to the linter and not allowed by profile {}", profile.id),
                    path,
                )),
                None => out.push(find(&f::ALG_KEY_MALFORMED, "the EC key does not name a curve", path)),
            }
        }
        oids::ALG_ED25519 | oids::ALG_ED448 if rules.allow_eddsa => {}
        other => out.push(find(
            &f::ALG_KEY_TYPE_NOT_ALLOWED,
            format!("public key algorithm {other} is not allowed by profile {}", profile.id),
            path,
        )),
    }
}

#[allow(clippy::too_many_arguments)]
fn typed(
    cert: &X509Certificate<'_>,
    profile: &Profile,
    ty: CertType,
    policies: &[String],
    qcs_critical: Option<bool>,
    qc: Option<&QcStatements>,
    out: &mut Vec<Finding>,
) {
    let tbs = &cert.tbs_certificate;
    let subject = attrs(tbs.subject());
    let subj = "tbsCertificate.subject";

    // -- basic constraints / end entity
    let is_ca = tbs.basic_constraints().ok().flatten().is_some_and(|b| b.value.ca);
    let ku = tbs.key_usage().ok().flatten().map(|k| *k.value);
    if is_ca || ku.is_some_and(|k| k.key_cert_sign()) {
        out.push(find(
            &f::CA_ON_END_ENTITY,
            format!("a {ty} certificate is an end-entity certificate but asserts cA or keyCertSign"),
            "tbsCertificate.extensions.basicConstraints",
        ));
    }

    // -- subject attributes
    let single_valued = [
        (oids::AT_COUNTRY, "countryName"),
        (oids::AT_SERIAL_NUMBER, "serialNumber"),
        (oids::AT_ORGANIZATION_IDENTIFIER, "organizationIdentifier"),
        (oids::AT_PSEUDONYM, "pseudonym"),
        (oids::AT_COMMON_NAME, "commonName"),
    ];
    for (oid, name) in single_valued {
        if subject.iter().filter(|a| a.oid == oid).count() > 1 {
            out.push(find(&f::SUBJECT_DUPLICATE_ATTRIBUTE, format!("subject has more than one {name}"), subj));
        }
    }
    if ty.is_natural_person() {
        let names = has(&subject, oids::AT_GIVEN_NAME) || has(&subject, oids::AT_SURNAME);
        let pseudo = has(&subject, oids::AT_PSEUDONYM);
        let mut missing = Vec::new();
        if !has(&subject, oids::AT_COUNTRY) {
            missing.push("countryName");
        }
        if !has(&subject, oids::AT_COMMON_NAME) {
            missing.push("commonName");
        }
        if !names && !pseudo {
            missing.push("givenName/surname or pseudonym");
        }
        if !missing.is_empty() {
            out.push(find(
                &f::NAT_SUBJECT_ATTRIBUTE_MISSING,
                format!("natural-person subject lacks {}", missing.join(", ")),
                subj,
            ));
        }
        if names && pseudo {
            out.push(find(
                &f::NAT_SUBJECT_PSEUDONYM_AND_NAME,
                "subject has both pseudonym and givenName/surname",
                subj,
            ));
        }
    }
    if ty.is_legal_person() {
        let missing: Vec<&str> = [
            (oids::AT_COUNTRY, "countryName"),
            (oids::AT_ORGANIZATION, "organizationName"),
            (oids::AT_ORGANIZATION_IDENTIFIER, "organizationIdentifier"),
            (oids::AT_COMMON_NAME, "commonName"),
        ]
        .iter()
        .filter(|(o, _)| !has(&subject, o))
        .map(|(_, n)| *n)
        .collect();
        if !missing.is_empty() {
            out.push(find(
                &f::LEG_SUBJECT_ATTRIBUTE_MISSING,
                format!("legal-person subject lacks {}", missing.join(", ")),
                subj,
            ));
        }
    }
    if ty == CertType::Qwac {
        let org_or_person = has(&subject, oids::AT_ORGANIZATION)
            || has(&subject, oids::AT_GIVEN_NAME)
            || has(&subject, oids::AT_SURNAME);
        if !has(&subject, oids::AT_COUNTRY) || !org_or_person {
            out.push(find(
                &f::WEB_SUBJECT_ATTRIBUTE_MISSING,
                "QWAC subject lacks countryName or organizationName/givenName/surname",
                subj,
            ));
        }
    }
    if let Some(r) = type_rules(profile, ty) {
        for a in &r.required_subject_attributes {
            if let Some(oid) = attribute_oid(a) {
                if !has(&subject, oid) {
                    out.push(find(
                        &f::PROFILE_ATTRIBUTE_MISSING,
                        format!("profile {} requires {a} in a {ty} subject", profile.id),
                        subj,
                    ));
                }
            }
        }
    }

    // -- key usage
    let kpath = "tbsCertificate.extensions.keyUsage";
    match ku {
        None => out.push(find(&f::KEY_USAGE_MISSING, format!("a {ty} certificate must have keyUsage"), kpath)),
        Some(k) if ty == CertType::Qwac => {
            let bad = k.non_repudiation() || k.key_cert_sign() || k.crl_sign();
            let any = k.digital_signature() || k.key_encipherment() || k.key_agreement();
            if bad || !any {
                out.push(find(
                    &f::WEB_KEY_USAGE,
                    "website keyUsage must be digitalSignature/keyEncipherment/keyAgreement only",
                    kpath,
                ));
            }
        }
        Some(k) if k.flags != 0 => {
            match ku_setting(&k) {
                None => out.push(find(
                    &f::KEY_USAGE_UNKNOWN_SETTING,
                    format!("keyUsage bits 0x{:04x} match none of the settings of Table 1", k.flags),
                    kpath,
                )),
                Some(s) => {
                    if ty.is_content_commitment() {
                        match s {
                        KuSetting::A => {}
                        KuSetting::B | KuSetting::F => out.push(find(&f::KEY_USAGE_NON_PREFERRED, format!("keyUsage setting {s:?} is allowed, setting A (nonRepudiation only) is recommended"), kpath)),
                        _ => out.push(find(&f::KEY_USAGE_NOT_CONTENT_COMMITMENT, format!("a {ty} certificate needs content commitment (settings A, B, F); found setting {s:?}"), kpath)),
                    }
                    } else if ty == CertType::Auth && !matches!(s, KuSetting::C | KuSetting::D) {
                        out.push(find(
                            &f::KEY_USAGE_AUTH,
                            format!("an authentication certificate needs setting C or D; found setting {s:?}"),
                            kpath,
                        ));
                    }
                }
            }
        }
        Some(_) => {} // no bits: reported by the RFC 5280 rule
    }

    // -- other extensions
    let exts = tbs.extensions();
    let ext = |oid: &str| exts.iter().find(|e| e.oid.to_id_string() == oid);
    match ext(oids::EXT_CERTIFICATE_POLICIES) {
        None => out.push(find(
            &f::POLICIES_MISSING,
            format!("a {ty} certificate must have certificatePolicies"),
            "tbsCertificate.extensions",
        )),
        Some(e) if e.critical => out.push(find(
            &f::POLICIES_CRITICAL,
            "certificatePolicies is critical",
            "tbsCertificate.extensions.certificatePolicies",
        )),
        Some(_) => {}
    }
    if ext(oids::EXT_EXTENDED_KEY_USAGE).is_some_and(|e| e.critical) {
        out.push(find(&f::EKU_CRITICAL, "extKeyUsage is critical", "tbsCertificate.extensions.extKeyUsage"));
    }
    if ext(oids::EXT_CRL_DISTRIBUTION_POINTS).is_some_and(|e| e.critical) {
        out.push(find(
            &f::CRLDP_CRITICAL,
            "cRLDistributionPoints is critical",
            "tbsCertificate.extensions.cRLDistributionPoints",
        ));
    }
    if ext(oids::EXT_AUTHORITY_INFO_ACCESS).is_none() {
        out.push(find(&f::AIA_MISSING, "authorityInfoAccess is missing", "tbsCertificate.extensions"));
    }
    if ty == CertType::Qwac {
        let server_auth = tbs.extended_key_usage().ok().flatten().is_some_and(|e| e.value.server_auth);
        if !server_auth {
            out.push(find(
                &f::WEB_EKU_SERVER_AUTH,
                "extKeyUsage lacks id-kp-serverAuth",
                "tbsCertificate.extensions.extKeyUsage",
            ));
        }
        let dns = tbs
            .subject_alternative_name()
            .ok()
            .flatten()
            .is_some_and(|s| s.value.general_names.iter().any(|g| matches!(g, GeneralName::DNSName(_))));
        if !dns {
            out.push(find(
                &f::WEB_SAN_DNS_MISSING,
                "subjectAltName has no dNSName",
                "tbsCertificate.extensions.subjectAltName",
            ));
        }
    }

    // -- policies (EN 319 411-1 / -2)
    let natl: Vec<&str> =
        type_rules(profile, ty).map(|r| r.policy_oids.iter().map(|o| o.0.as_str()).collect()).unwrap_or_default();
    let has_natl = policies.iter().any(|p| natl.contains(&p.as_str()));
    let qcp_for = |t: CertType| -> &'static [&'static str] {
        match t {
            CertType::QualifiedEsig => &[oids::QCP_NATURAL, oids::QCP_NATURAL_QSCD],
            CertType::QualifiedEseal => &[oids::QCP_LEGAL, oids::QCP_LEGAL_QSCD],
            CertType::Qwac => &[oids::QCP_WEB, oids::QNCP_WEB, oids::QNCP_WEB_GEN],
            _ => &[],
        }
    };
    let all_qcp = [
        oids::QCP_NATURAL,
        oids::QCP_NATURAL_QSCD,
        oids::QCP_LEGAL,
        oids::QCP_LEGAL_QSCD,
        oids::QCP_WEB,
        oids::QNCP_WEB,
        oids::QNCP_WEB_GEN,
    ];
    let ppath = "tbsCertificate.extensions.certificatePolicies";
    let own = qcp_for(ty);
    let foreign: Vec<&String> =
        policies.iter().filter(|p| all_qcp.contains(&p.as_str()) && !own.contains(&p.as_str())).collect();
    if ty.is_qualified() {
        if !policies.iter().any(|p| own.contains(&p.as_str())) && !has_natl {
            out.push(find(
                &f::QCP_MISSING,
                format!(
                    "a {ty} certificate carries neither {} nor a national policy OID of profile {}",
                    own.join(" / "),
                    profile.id
                ),
                ppath,
            ));
        }
        for p in foreign {
            out.push(find(
                &f::QCP_MISMATCH,
                format!("policy {p} belongs to another qualified certificate type than {ty}"),
                ppath,
            ));
        }
    } else {
        if !foreign.is_empty() {
            let l: Vec<&str> = foreign.iter().map(|s| s.as_str()).collect();
            out.push(find(
                &f::QCP_ON_NON_QUALIFIED,
                format!("a {ty} certificate carries qualified policy {}", l.join(", ")),
                ppath,
            ));
        }
        let ncp = [oids::NCP, oids::NCP_PLUS, oids::LCP];
        if !policies.iter().any(|p| ncp.contains(&p.as_str())) && !has_natl {
            out.push(find(
                &f::NCP_MISSING,
                format!(
                    "a {ty} certificate carries no NCP/NCP+/LCP OID and no national policy of profile {}",
                    profile.id
                ),
                ppath,
            ));
        }
    }

    // -- QCStatements (EN 319 412-5)
    let qpath = "tbsCertificate.extensions.qcStatements";
    if qcs_critical == Some(true) {
        out.push(find(&f::QCS_CRITICAL, "qcStatements is critical", qpath));
    }
    if let Some(q) = qc {
        for d in &q.duplicates {
            out.push(find(&f::QCS_DUPLICATE, format!("QCStatement {d} appears more than once"), qpath));
        }
        if let Some(r) = q.retention_period {
            if r <= 0 {
                out.push(find(&f::QCS_RETENTION, format!("QcRetentionPeriod is {r}"), qpath));
            }
        }
        for pds in &q.pds {
            if !pds.url.to_ascii_lowercase().starts_with("https://") {
                out.push(find(&f::QCS_PDS_NOT_HTTPS, format!("PDS URL {:?} is not https", pds.url), qpath));
            }
            if !(pds.language.len() == 2 && pds.language.bytes().all(|b| b.is_ascii_alphabetic())) {
                out.push(find(
                    &f::QCS_PDS_LANGUAGE,
                    format!("PDS language {:?} is not an ISO 639-1 code", pds.language),
                    qpath,
                ));
            }
        }
        if !q.pds.is_empty() && !q.pds.iter().any(|p| p.language.eq_ignore_ascii_case("en")) {
            out.push(find(&f::QCS_PDS_NO_ENGLISH, "no PDS is given in English", qpath));
        }
        if let Some(sem) = &q.semantics_id {
            let legal_sem = sem == oids::SEMANTICS_LEGAL || sem == oids::SEMANTICS_EIDAS_LEGAL;
            let natural_sem = sem == oids::SEMANTICS_NATURAL || sem == oids::SEMANTICS_EIDAS_NATURAL;
            if (ty.is_natural_person() && legal_sem) || (ty.is_legal_person() && natural_sem) {
                out.push(find(
                    &f::QCS_SEMANTICS_MISMATCH,
                    format!("semantics identifier {sem} does not fit a {ty} certificate"),
                    qpath,
                ));
            }
        }
    }
    if ty.is_qualified() {
        match qc {
            None if qcs_critical.is_none() => out.push(find(
                &f::QCS_MISSING,
                format!("a {ty} certificate must have qcStatements"),
                "tbsCertificate.extensions",
            )),
            None => {} // present but malformed: already reported
            Some(q) => qualified_statements(profile, ty, policies, q, qpath, out),
        }
    } else if qc.is_some_and(|q| q.compliance) {
        out.push(find(&f::QCS_COMPLIANCE_UNEXPECTED, format!("a {ty} certificate asserts QcCompliance"), qpath));
    }

    // -- identifiers (EN 319 412-1 and national)
    identifiers(profile, ty, &subject, qc, out);
}

fn qualified_statements(
    profile: &Profile,
    ty: CertType,
    policies: &[String],
    q: &QcStatements,
    qpath: &str,
    out: &mut Vec<Finding>,
) {
    if !q.compliance {
        out.push(find(&f::QCS_COMPLIANCE_MISSING, format!("a {ty} certificate must assert QcCompliance"), qpath));
    }
    let want = match ty {
        CertType::QualifiedEsig => oids::QCT_ESIGN,
        CertType::QualifiedEseal => oids::QCT_ESEAL,
        _ => oids::QCT_WEB,
    };
    if !q.type_present {
        out.push(find(&f::QCS_QCTYPE_MISSING, format!("a {ty} certificate must carry QcType {want}"), qpath));
    } else if q.types.len() != 1 {
        out.push(find(
            &f::QCS_QCTYPE_MULTIPLE,
            format!("QcType lists {} types; exactly one is required", q.types.len()),
            qpath,
        ));
    }
    if let Some(bad) = q.types.iter().find(|t| t.as_str() != want) {
        out.push(find(&f::QCS_QCTYPE_MISMATCH, format!("QcType {bad} does not match {ty} (expected {want})"), qpath));
    }
    let qscd_policy = policies.iter().any(|p| p == oids::QCP_NATURAL_QSCD || p == oids::QCP_LEGAL_QSCD);
    let non_qscd_policy = policies.iter().any(|p| p == oids::QCP_NATURAL || p == oids::QCP_LEGAL);
    if ty == CertType::Qwac && q.sscd {
        out.push(find(&f::QCS_SSCD_INCONSISTENT, "a QWAC must not assert QcSSCD", qpath));
    } else if qscd_policy && !q.sscd {
        out.push(find(&f::QCS_SSCD_INCONSISTENT, "the policy is QCP-n-qscd / QCP-l-qscd but QcSSCD is absent", qpath));
    } else if q.sscd && non_qscd_policy && !qscd_policy {
        out.push(find(
            &f::QCS_SSCD_INCONSISTENT,
            "QcSSCD is asserted under QCP-n / QCP-l, a policy without a QSCD",
            qpath,
        ));
    }
    if !q.pds_present {
        out.push(find(&f::QCS_PDS_MISSING, "no QcPDS statement", qpath));
    }
    match (&q.cc_legislation, profile.eu_member || profile.country.0 == "EU") {
        (Some(_), true) => out.push(find(
            &f::QCS_CC_LEGISLATION_EU,
            format!("profile {} is an EU profile, where QcCClegislation must be absent", profile.id),
            qpath,
        )),
        (None, false) => out.push(find(
            &f::QCS_CC_LEGISLATION_MISSING,
            format!("profile {} is not EU: QcCClegislation naming {} is required", profile.id, profile.country),
            qpath,
        )),
        (Some(list), false) => {
            let malformed = list.iter().any(|c| !(c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())));
            if list.is_empty() || malformed || !list.contains(&profile.country.0) {
                out.push(find(
                    &f::QCS_CC_LEGISLATION_COUNTRY,
                    format!("QcCClegislation {list:?} does not name {}", profile.country),
                    qpath,
                ));
            }
        }
        (None, true) => {}
    }
}

fn identifiers(profile: &Profile, ty: CertType, subject: &[Attr], qc: Option<&QcStatements>, out: &mut Vec<Finding>) {
    let countries: Vec<&str> = profile.identifiers.countries.iter().map(|c| c.0.as_str()).collect();
    let mut national_found = false;
    let semantics_natural = qc.and_then(|q| q.semantics_id.as_deref()).is_some_and(|s| s == oids::SEMANTICS_NATURAL);
    let candidates = [
        (
            oids::AT_SERIAL_NUMBER,
            "serialNumber",
            ident::NATURAL_TYPES,
            &f::SERIAL_NUMBER_FORMAT,
            &f::SERIAL_NUMBER_TYPE,
        ),
        (
            oids::AT_ORGANIZATION_IDENTIFIER,
            "organizationIdentifier",
            ident::LEGAL_TYPES,
            &f::ORG_ID_FORMAT,
            &f::ORG_ID_TYPE,
        ),
    ];
    if semantics_natural && first(subject, oids::AT_SERIAL_NUMBER).is_none() {
        out.push(find(
            &f::SEMANTICS_NATURAL_NO_SERIAL,
            "QCStatements declare the natural-person semantics identifier but the subject has no serialNumber",
            "tbsCertificate.subject",
        ));
    }
    for (oid, name, types, fmt_def, type_def) in candidates {
        let Some(value) = first(subject, oid).and_then(|a| a.value.as_deref()) else { continue };
        let path = format!("tbsCertificate.subject.{name}");
        // serialNumber is a semantics identifier only when the certificate says so (EN 319 412-1
        // §5.1.3) or the type is a natural-person type under a profile with national identifiers;
        // organizationIdentifier always is (EN 319 412-1 §5.1.4).
        let strict = oid == oids::AT_ORGANIZATION_IDENTIFIER || semantics_natural;
        match ident::parse_semantics_id(value) {
            None => {
                if strict {
                    out.push(find(fmt_def, format!("{name} {value:?} is not XXXYY-value or XX:value"), &path));
                }
            }
            Some(IdentifierSyntax::National { scheme, .. }) => {
                out.push(find(&f::NATIONAL_SCHEME, format!("{name} uses national scheme {scheme}:"), &path));
            }
            Some(IdentifierSyntax::Etsi(id)) => {
                if !types.contains(&id.type_ref) {
                    if strict
                        || ident::NATURAL_TYPES.contains(&id.type_ref)
                        || ident::LEGAL_TYPES.contains(&id.type_ref)
                    {
                        out.push(find(
                            type_def,
                            format!("{name} type reference {} is not one of {}", id.type_ref, types.join(", ")),
                            &path,
                        ));
                    }
                    continue;
                }
                if id.type_ref == "TAX" {
                    out.push(find(&f::SERIAL_NUMBER_TAX, format!("{name} uses TAX; EN 319 412-1 now uses TIN"), &path));
                }
                if id.type_ref == "LEI" {
                    if id.country != "XG" || !ident::check_lei(id.value) {
                        out.push(find(
                            &f::LEI_INVALID,
                            format!("{name} {value:?} is not LEIXG- followed by a valid ISO 17442 LEI"),
                            &path,
                        ));
                    }
                    continue;
                }
                if !countries.is_empty() && !countries.contains(&id.country) {
                    out.push(find(
                        &f::IDENTIFIER_COUNTRY,
                        format!(
                            "{name} {value:?} is issued for {}, not for profile {} ({})",
                            id.country,
                            profile.id,
                            countries.join("/")
                        ),
                        &path,
                    ));
                    continue;
                }
                for n in &profile.identifiers.national {
                    if !n.type_refs.iter().any(|t| t == id.type_ref) {
                        continue;
                    }
                    national_found = true;
                    let rem1 = n.remainder_one.unwrap_or(RemainderOne::Reject);
                    if let Err(e) = ident::check(n.scheme, id.value, rem1) {
                        let kind = match e {
                            ident::IdError::CheckDigit { .. } => "check",
                            ident::IdError::RemainderOne => "rem1",
                            _ => "format",
                        };
                        let def = crate::findings::national_id_def(&profile.country.0, n.scheme, kind);
                        out.push(find(
                            def,
                            format!("{name} {value:?}: {} {e}", scheme_label(&profile.country.0, n.scheme)),
                            &path,
                        ));
                    }
                }
            }
        }
    }
    if type_rules(profile, ty).is_some_and(|r| r.require_national_identifier) && !national_found {
        let refs: Vec<String> = profile.identifiers.national.iter().flat_map(|n| n.type_refs.iter().cloned()).collect();
        out.push(find(
            &f::IDENTIFIER_NATIONAL_MISSING,
            format!("profile {} requires a national identifier ({}) in a {ty} subject", profile.id, refs.join("/")),
            "tbsCertificate.subject",
        ));
    }
}

fn scheme_label(country: &str, s: NationalScheme) -> &'static str {
    match (country, s) {
        ("MK", NationalScheme::Jmbg) => "EMBG",
        ("SI", NationalScheme::Jmbg) => "EMŠO",
        (_, NationalScheme::Jmbg) => "JMBG",
        (_, NationalScheme::Oib) => "OIB",
        (_, NationalScheme::Egn) => "EGN",
        (_, NationalScheme::Cnp) => "CNP",
    }
}

/// A DER named bit list has no trailing zero bits (X.690 §11.2.2): the last content octet has
/// its lowest used bit set. Values that are not a BIT STRING are left to the decoder.
fn named_bits_are_der(ext_value: &[u8]) -> bool {
    let mut r = Reader::new(ext_value);
    let Ok(bs) = r.expect(tag::BIT_STRING) else { return true };
    match bs.value {
        [] => true,
        [unused] => *unused == 0,
        [unused, .., last] => *unused < 8 && (last >> unused) & 1 == 1,
    }
}

/// basicConstraints with `cA BOOLEAN DEFAULT FALSE` encoded as FALSE (X.690 §11.5 forbids it).
fn basic_constraints_encodes_default(ext_value: &[u8]) -> bool {
    let mut r = Reader::new(ext_value);
    let Ok(seq) = r.expect(tag::SEQUENCE) else { return false };
    let mut inner = Reader::inside(&seq);
    matches!(inner.optional(tag::BOOLEAN), Ok(Some(b)) if b.value == [0])
}

#[cfg(test)]
mod der_rules_tests {
    use super::*;

    #[test]
    fn named_bit_lists() {
        assert!(named_bits_are_der(&[0x03, 0x02, 0x06, 0x40])); // nonRepudiation: 01 with 6 unused
        assert!(!named_bits_are_der(&[0x03, 0x02, 0x00, 0x40])); // same bit, 6 trailing zeros encoded
        assert!(named_bits_are_der(&[0x03, 0x02, 0x07, 0x80])); // digitalSignature
        assert!(!named_bits_are_der(&[0x03, 0x03, 0x07, 0x80, 0x00]));
        assert!(named_bits_are_der(&[0x03, 0x01, 0x00]));
    }

    #[test]
    fn basic_constraints_default() {
        assert!(basic_constraints_encodes_default(&[0x30, 0x03, 0x01, 0x01, 0x00]));
        assert!(!basic_constraints_encodes_default(&[0x30, 0x03, 0x01, 0x01, 0xff]));
        assert!(!basic_constraints_encodes_default(&[0x30, 0x00]));
    }
}
