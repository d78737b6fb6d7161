//! Qualification of a certificate at a time T from trusted lists, following ETSI TS 119 615 §4.3
//! (the EU DSS implementation was used as a public reference for the order of the steps).
//!
//! 1. **Service matching** (§4.3.1): CA/QC services whose digital identity issued the
//!    certificate — an identity certificate whose subject is the certificate's issuer and whose key
//!    verifies its signature (when the algorithm is one this crate checks; otherwise subject plus
//!    AKI/SKI, reported), or an `X509SKI` equal to the certificate's AKI, or an `X509SubjectName`
//!    equal to its issuer together with a matching SKI.
//! 2. **Status** (§4.3.2): the service information in force at the certificate's issuance
//!    (`notBefore`) and at T, from the current entry and the history. `granted` qualifies; before
//!    2016-07-01 (eIDAS Art. 52) the Directive statuses `undersupervision`,
//!    `supervisionincessation` and `accredited` also do.
//! 3. **Qualifications extension over the certificate** (§4.3.3, TS 119 612 §5.5.9.2): the
//!    certificate's own claims (QcCompliance, QcType, QcSSCD, QCP policies) are the starting
//!    point; each qualification element whose criteria match overrides them (QCStatement /
//!    NotQualified, QCForESig/ESeal/WSA, QCWithQSCD/QCNoQSCD/QCQSCDStatusAsInCert/
//!    QCQSCDManagedOnBehalf and their pre-eIDAS SSCD forms, QCForLegalPerson).
//! 4. **Type against the service's AdditionalServiceInformation** (§4.3.4): a service granted
//!    only for e-seals does not make an e-signature certificate qualified.
//! 5. **Several services** (§4.3.5): results that agree are kept; a disagreement on "qualified"
//!    makes the certificate not qualified, on the type leaves it undetermined, on QSCD makes it
//!    `false` — each reported.
//!
//! The type and "qualified" are decided with the information in force at issuance; the QSCD status
//! with the information in force at T; "qualified" also needs the service granted at T.

use crate::findings as f;
use crate::model::*;
use crate::uri::*;
use crate::verify::{fmt_time, hex};
use report::Finding;
use serde::Serialize;
use x509_parser::prelude::*;

/// The certificate type (EN 319 412-5 QcType).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QcType {
    /// Qualified certificate for electronic signatures (eIDAS Art. 28).
    Esig,
    /// Qualified certificate for electronic seals (Art. 38).
    Eseal,
    /// Qualified certificate for website authentication (Art. 45).
    Web,
}

impl QcType {
    pub fn as_str(self) -> &'static str {
        match self {
            QcType::Esig => "esig",
            QcType::Eseal => "eseal",
            QcType::Web => "web",
        }
    }
}

/// The outcome of [`qualify`]; serialises to the `tl qualify --format json` shape.
#[derive(Debug, Clone, Serialize)]
pub struct Qualification {
    pub qualified: bool,
    #[serde(rename = "type")]
    pub qc_type: Option<QcType>,
    pub qscd: Option<bool>,
    /// The TSP's name (first English name, else the first).
    pub tsp: Option<String>,
    /// The service's name (first English name, else the first).
    pub service: Option<String>,
    pub findings: Vec<Finding>,
    /// Issuance time used (the certificate's notBefore), RFC 3339.
    pub issuance_time: Option<String>,
    /// Evaluation time T, RFC 3339.
    pub at: String,
    /// Every matching service and what it gave.
    pub services: Vec<ServiceResult>,
}

/// What one matching service gave.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceResult {
    pub territory: String,
    pub tsp: String,
    pub service: String,
    /// How the service's identity matched the certificate.
    pub matched_by: String,
    pub status_at_issuance: Option<String>,
    pub status_at_time: Option<String>,
    pub qualified: bool,
    #[serde(rename = "type")]
    pub qc_type: Option<QcType>,
    pub qscd: Option<bool>,
}

/// What the certificate says about itself, and what the criteria look at.
#[derive(Debug, Clone, Default)]
pub struct CertFacts {
    pub not_before: i64,
    pub qc_compliance: bool,
    pub qc_sscd: bool,
    pub qc_types: Vec<QcType>,
    pub policies: Vec<String>,
    pub eku: Vec<String>,
    pub subject_attrs: Vec<String>,
    /// Key usage bits by TS 119 612 name.
    pub key_usage: Vec<(&'static str, bool)>,
    pub aki: Option<Vec<u8>>,
    /// Every QC statement id (dotted OID) the certificate carries (RFC 3739 §3.2.6).
    pub qc_statements: Vec<String>,
    /// The QcType OIDs of its `esi4-qcStatement-6` (EN 319 412-5 §4.2.3), all of them.
    pub qc_type_oids: Vec<String>,
    /// The country codes of its `QcCClegislation` statement (EN 319 412-5 §4.2.4).
    pub qc_cc_legislation: Vec<String>,
    pub issuer_raw: Vec<u8>,
    pub issuer: String,
    pub subject: String,
}

const OID_QC_STATEMENTS: &str = "1.3.6.1.5.5.7.1.3";
const OID_QC_COMPLIANCE: &str = "0.4.0.1862.1.1";
const OID_QC_SSCD: &str = "0.4.0.1862.1.4";
const OID_QC_TYPE: &str = "0.4.0.1862.1.6";
const OID_QC_TYPE_ESIGN: &str = "0.4.0.1862.1.6.1";
const OID_QC_TYPE_ESEAL: &str = "0.4.0.1862.1.6.2";
const OID_QC_TYPE_WEB: &str = "0.4.0.1862.1.6.3";
const OID_QC_CC_LEGISLATION: &str = "0.4.0.1862.1.7";
// ETSI EN 319 411-2 §5.3 policies.
const QCP_N: &str = "0.4.0.194112.1.0";
const QCP_L: &str = "0.4.0.194112.1.1";
const QCP_N_QSCD: &str = "0.4.0.194112.1.2";
const QCP_L_QSCD: &str = "0.4.0.194112.1.3";
const QCP_W: &str = "0.4.0.194112.1.4";
// ETSI TS 101 456 (Directive 1999/93/EC) policies.
const QCP_PUBLIC_SSCD: &str = "0.4.0.1456.1.1";
const QCP_PUBLIC: &str = "0.4.0.1456.1.2";

impl CertFacts {
    /// Reads the facts from a parsed certificate.
    pub fn from_cert(c: &X509Certificate<'_>) -> CertFacts {
        let mut facts = CertFacts {
            not_before: c.validity().not_before.timestamp(),
            issuer_raw: c.issuer().as_raw().to_vec(),
            issuer: c.issuer().to_string(),
            subject: c.subject().to_string(),
            ..CertFacts::default()
        };
        facts.subject_attrs = c.subject().iter_attributes().map(|a| a.attr_type().to_id_string()).collect();
        let ku = c.key_usage().ok().flatten().map(|k| *k.value);
        let bit = |f: fn(&x509_parser::extensions::KeyUsage) -> bool| ku.as_ref().map(f).unwrap_or(false);
        facts.key_usage = vec![
            ("digitalSignature", bit(|k| k.digital_signature())),
            ("nonRepudiation", bit(|k| k.non_repudiation())),
            ("contentCommitment", bit(|k| k.non_repudiation())),
            ("keyEncipherment", bit(|k| k.key_encipherment())),
            ("dataEncipherment", bit(|k| k.data_encipherment())),
            ("keyAgreement", bit(|k| k.key_agreement())),
            ("keyCertSign", bit(|k| k.key_cert_sign())),
            ("crlSign", bit(|k| k.crl_sign())),
            ("encipherOnly", bit(|k| k.encipher_only())),
            ("decipherOnly", bit(|k| k.decipher_only())),
        ];
        for ext in c.extensions() {
            match ext.parsed_extension() {
                ParsedExtension::CertificatePolicies(p) => {
                    facts.policies = p.iter().map(|pi| pi.policy_id.to_id_string()).collect();
                }
                ParsedExtension::ExtendedKeyUsage(e) => {
                    let known = [
                        (e.any, "2.5.29.37.0"),
                        (e.server_auth, "1.3.6.1.5.5.7.3.1"),
                        (e.client_auth, "1.3.6.1.5.5.7.3.2"),
                        (e.code_signing, "1.3.6.1.5.5.7.3.3"),
                        (e.email_protection, "1.3.6.1.5.5.7.3.4"),
                        (e.time_stamping, "1.3.6.1.5.5.7.3.8"),
                        (e.ocsp_signing, "1.3.6.1.5.5.7.3.9"),
                    ];
                    facts.eku = known.iter().filter(|(b, _)| *b).map(|(_, o)| o.to_string()).collect();
                    facts.eku.extend(e.other.iter().map(|o| o.to_id_string()));
                }
                ParsedExtension::AuthorityKeyIdentifier(a) => {
                    facts.aki = a.key_identifier.as_ref().map(|k| k.0.to_vec());
                }
                _ => {}
            }
            if ext.oid.to_id_string() == OID_QC_STATEMENTS {
                read_qc_statements(ext.value, &mut facts);
            }
        }
        facts
    }

    fn claims_qc(&self) -> bool {
        self.qc_compliance
            || self.policies.iter().any(|p| {
                [QCP_N, QCP_L, QCP_N_QSCD, QCP_L_QSCD, QCP_W, QCP_PUBLIC_SSCD, QCP_PUBLIC].contains(&p.as_str())
            })
    }

    fn claims_qscd(&self) -> bool {
        self.qc_sscd || self.policies.iter().any(|p| [QCP_N_QSCD, QCP_L_QSCD, QCP_PUBLIC_SSCD].contains(&p.as_str()))
    }

    /// The type the certificate claims: QcType, else the policy, else none.
    fn claimed_type(&self) -> Vec<QcType> {
        if !self.qc_types.is_empty() {
            return self.qc_types.clone();
        }
        let mut v = Vec::new();
        for p in &self.policies {
            let t = match p.as_str() {
                QCP_N | QCP_N_QSCD => Some(QcType::Esig),
                QCP_L | QCP_L_QSCD => Some(QcType::Eseal),
                QCP_W => Some(QcType::Web),
                _ => None,
            };
            if let Some(t) = t {
                if !v.contains(&t) {
                    v.push(t);
                }
            }
        }
        v
    }
}

/// QCStatements (RFC 3739 §3.2.6, EN 319 412-5 §4): SEQUENCE OF { statementId, statementInfo }.
fn read_qc_statements(value: &[u8], facts: &mut CertFacts) {
    use x509_parser::der_parser::ber::BerObjectContent;
    let Ok((_, obj)) = x509_parser::der_parser::parse_der(value) else { return };
    let Ok(stmts) = obj.as_sequence() else { return };
    for st in stmts {
        let Ok(items) = st.as_sequence() else { continue };
        let Some(id) = items.first().and_then(|o| o.as_oid().ok()).map(|o| o.to_id_string()) else { continue };
        match id.as_str() {
            OID_QC_COMPLIANCE => facts.qc_compliance = true,
            OID_QC_SSCD => facts.qc_sscd = true,
            OID_QC_TYPE => {
                if let Some(BerObjectContent::Sequence(types)) = items.get(1).map(|o| &o.content) {
                    for t in types {
                        let Ok(oid) = t.as_oid().map(|o| o.to_id_string()) else { continue };
                        match oid.as_str() {
                            OID_QC_TYPE_ESIGN => facts.qc_types.push(QcType::Esig),
                            OID_QC_TYPE_ESEAL => facts.qc_types.push(QcType::Eseal),
                            OID_QC_TYPE_WEB => facts.qc_types.push(QcType::Web),
                            _ => {}
                        }
                        facts.qc_type_oids.push(oid);
                    }
                }
            }
            OID_QC_CC_LEGISLATION => {
                if let Some(BerObjectContent::Sequence(codes)) = items.get(1).map(|o| &o.content) {
                    for c in codes {
                        if let Ok(code) = c.as_str() {
                            facts.qc_cc_legislation.push(code.to_string());
                        }
                    }
                }
            }
            _ => {}
        }
        facts.qc_statements.push(id);
    }
}

/// Whether a criteria list holds for the certificate; `Err` when it holds criteria that cannot be
/// evaluated (TS 119 612 §5.5.9.2.2).
pub fn criteria_match(c: &CriteriaList, facts: &CertFacts) -> Result<bool, String> {
    if let Some(u) = c.unsupported.first() {
        return Err(u.clone());
    }
    let mut results: Vec<bool> = Vec::new();
    for ku in &c.key_usage {
        results.push(ku.iter().all(|(name, want)| {
            facts.key_usage.iter().find(|(n, _)| n == name).map(|(_, have)| have == want).unwrap_or(false)
        }));
    }
    let has_all = |set: &Vec<String>, have: &Vec<String>| set.iter().all(|o| have.contains(o));
    for ps in &c.policy_sets {
        results.push(has_all(ps, &facts.policies));
    }
    for e in &c.extended_key_usage {
        results.push(has_all(e, &facts.eku));
    }
    for d in &c.cert_subject_dn_attributes {
        results.push(has_all(d, &facts.subject_attrs));
    }
    for set in &c.qc_statement_sets {
        results.push(set.iter().all(|st| {
            facts.qc_statements.contains(&st.id)
                && st.qc_type.as_ref().is_none_or(|t| facts.qc_type_oids.contains(t))
                && st
                    .qc_cc_legislation
                    .as_ref()
                    .is_none_or(|cc| facts.qc_cc_legislation.iter().any(|h| h.trim().eq_ignore_ascii_case(cc.trim())))
        }));
    }
    for n in &c.nested {
        results.push(criteria_match(n, facts)?);
    }
    Ok(match c.assert {
        Assert::All => results.iter().all(|r| *r),
        Assert::AtLeastOne => results.iter().any(|r| *r),
        Assert::None => !results.iter().any(|r| *r),
    })
}

/// Whether a status URI counts as granted at time `t` (TS 119 615 §4.3.2).
pub fn is_granted(status: &str, t: i64) -> bool {
    match status_name(status) {
        Some("granted") => true,
        Some("undersupervision" | "supervisionincessation" | "accredited") => t < EIDAS_DATE_UNIX,
        _ => false,
    }
}

/// One service's evaluation at one time.
#[derive(Debug, Clone, PartialEq)]
struct Eval {
    qc: bool,
    qc_type: Option<QcType>,
    qscd: Option<bool>,
}

/// The certificate-content equivalence contexts (EU MRA schema v2,
/// `CertificateContentReferenceEquivalenceContext`; the URIs EU DSS defines).
pub const MRA_CONTEXT_QC_COMPLIANCE: &str = "http://ec.europa.eu/tools/lotl/mra/QcCompliance";
pub const MRA_CONTEXT_QC_TYPE: &str = "http://ec.europa.eu/tools/lotl/mra/QcType";
pub const MRA_CONTEXT_QC_QSCD: &str = "http://ec.europa.eu/tools/lotl/mra/QcQSCD";

/// The statements and policies a declaration (a criteria list) names, nested lists included.
fn declared_content(c: &CriteriaList, statements: &mut Vec<QcStatementCriterion>, policies: &mut Vec<String>) {
    for set in &c.qc_statement_sets {
        statements.extend(set.iter().cloned());
    }
    for ps in &c.policy_sets {
        policies.extend(ps.iter().cloned());
    }
    for n in &c.nested {
        declared_content(n, statements, policies);
    }
}

/// Applies the certificate-content equivalences of a service entry read through a mutual
/// recognition agreement (EU MRA schema v2, `CertificateContentReferenceEquivalence`): when the
/// certificate meets the pointed (third-country) party's declaration, it is read, in that
/// context only, as carrying the pointing (EU) party's declaration —
///
/// - `QcCompliance`: a QcCompliance statement (`0.4.0.1862.1.1`) or an EU QCP policy declared by
///   the pointing party makes the certificate claim to be qualified;
/// - `QcType`: the QcType OIDs (`0.4.0.1862.1.6` with `QcType`) or the typed QCP policies
///   (QCP-n, QCP-l, QCP-w) declared by the pointing party are added to the certificate's types;
/// - `QcQSCD`: a QcSSCD statement (`0.4.0.1862.1.4`) or a QSCD policy declared by the pointing
///   party makes the certificate claim a QSCD.
///
/// Nothing else of the certificate changes. Each application is reported.
fn apply_content_equivalences<'f>(
    info: &ServiceInformation,
    facts: &'f CertFacts,
    label: &str,
    findings: &mut Vec<Finding>,
) -> std::borrow::Cow<'f, CertFacts> {
    let mut out = std::borrow::Cow::Borrowed(facts);
    for eq in &info.mra_content_equivalences {
        let context = eq.context.trim();
        if ![MRA_CONTEXT_QC_COMPLIANCE, MRA_CONTEXT_QC_TYPE, MRA_CONTEXT_QC_QSCD].contains(&context) {
            findings.push(Finding::from_def(
                &f::MRA_CONTENT_UNSUPPORTED,
                format!("{label}: certificate-content equivalence with the unknown context {context:?} not applied"),
            ));
            continue;
        }
        // The condition is read on the certificate as it is (not as already translated).
        match criteria_match(&eq.pointed, facts) {
            Ok(true) => {}
            Ok(false) => continue,
            Err(why) => {
                findings.push(Finding::from_def(
                    &f::MRA_CONTENT_UNSUPPORTED,
                    format!("{label}: certificate-content equivalence ({context}) not applied: {why}"),
                ));
                continue;
            }
        }
        if let Some(why) = eq.pointing.unsupported.first() {
            findings.push(Finding::from_def(
                &f::MRA_CONTENT_UNSUPPORTED,
                format!("{label}: certificate-content equivalence ({context}) not applied: {why}"),
            ));
            continue;
        }
        let (mut statements, mut policies) = (Vec::new(), Vec::new());
        declared_content(&eq.pointing, &mut statements, &mut policies);
        let has_statement = |id: &str| statements.iter().any(|s| s.id == id);
        let has_policy = |set: &[&str]| policies.iter().any(|p| set.contains(&p.as_str()));
        let f = out.to_mut();
        let what = match context {
            MRA_CONTEXT_QC_COMPLIANCE => {
                let yes = has_statement(OID_QC_COMPLIANCE)
                    || has_policy(&[QCP_N, QCP_L, QCP_N_QSCD, QCP_L_QSCD, QCP_W, QCP_PUBLIC_SSCD, QCP_PUBLIC]);
                f.qc_compliance |= yes;
                if yes { "QcCompliance" } else { "nothing (the EU declaration names no QC compliance)" }.to_string()
            }
            MRA_CONTEXT_QC_TYPE => {
                let mut types: Vec<QcType> = Vec::new();
                for s in statements.iter().filter(|s| s.id == OID_QC_TYPE) {
                    let t = match s.qc_type.as_deref() {
                        Some(OID_QC_TYPE_ESIGN) => Some(QcType::Esig),
                        Some(OID_QC_TYPE_ESEAL) => Some(QcType::Eseal),
                        Some(OID_QC_TYPE_WEB) => Some(QcType::Web),
                        _ => None,
                    };
                    types.extend(t);
                }
                for p in &policies {
                    types.extend(match p.as_str() {
                        QCP_N | QCP_N_QSCD => Some(QcType::Esig),
                        QCP_L | QCP_L_QSCD => Some(QcType::Eseal),
                        QCP_W => Some(QcType::Web),
                        _ => None,
                    });
                }
                for t in &types {
                    if !f.qc_types.contains(t) {
                        f.qc_types.push(*t);
                    }
                }
                if types.is_empty() {
                    "nothing (the EU declaration names no QcType)".to_string()
                } else {
                    format!("QcType {}", types.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", "))
                }
            }
            _ => {
                let yes = has_statement(OID_QC_SSCD) || has_policy(&[QCP_N_QSCD, QCP_L_QSCD, QCP_PUBLIC_SSCD]);
                f.qc_sscd |= yes;
                if yes { "QcSSCD" } else { "nothing (the EU declaration names no QSCD)" }.to_string()
            }
        };
        findings.push(Finding::from_def(
            &f::MRA_CONTENT_APPLIED,
            format!(
                "{label}: the certificate meets the third-country declaration for {context}; read as carrying {what}"
            ),
        ));
    }
    out
}

fn evaluate(info: &ServiceInformation, facts: &CertFacts, t: i64, label: &str, findings: &mut Vec<Finding>) -> Eval {
    let facts = &*apply_content_equivalences(info, facts, label, findings);
    let mut quals: Vec<&str> = Vec::new();
    for q in &info.extensions.qualifications {
        match criteria_match(&q.criteria, facts) {
            Ok(true) => quals.extend(q.qualifiers.iter().filter_map(|u| qualifier_name(u))),
            Ok(false) => {}
            Err(why) => findings.push(Finding::from_def(
                &f::QUAL_CRITERIA_UNSUPPORTED,
                format!("{label}: a qualification element was not applied ({why})"),
            )),
        }
    }
    let has = |n: &str| quals.iter().any(|q| q.eq_ignore_ascii_case(n));
    let pre_eidas = t < EIDAS_DATE_UNIX;

    // Qualified or not.
    let cert_qc = facts.claims_qc();
    let mut qc = cert_qc;
    if has("QCStatement") && has("NotQualified") {
        findings
            .push(Finding::from_def(&f::QUAL_CONFLICT, format!("{label}: both QCStatement and NotQualified apply")));
        qc = false;
    } else if has("NotQualified") {
        qc = false;
        findings.push(Finding::from_def(
            &f::QUAL_NOT_QUALIFIED_QUALIFIER,
            format!("{label}: the NotQualified qualifier applies"),
        ));
    } else if has("QCStatement") {
        if !cert_qc {
            findings.push(Finding::from_def(
                &f::QUAL_OVERRIDE,
                format!(
                    "{label}: the QCStatement qualifier makes the certificate qualified although it does not claim it"
                ),
            ));
        }
        qc = true;
    }

    // Type.
    let mut list_types = Vec::new();
    for (q, t) in [("QCForESig", QcType::Esig), ("QCForESeal", QcType::Eseal), ("QCForWSA", QcType::Web)] {
        if has(q) {
            list_types.push(t);
        }
    }
    if pre_eidas && has("QCForLegalPerson") && !list_types.contains(&QcType::Eseal) {
        // Directive-era certificates of legal persons are e-seal certificates (eIDAS Art. 51(2)).
        list_types.push(QcType::Eseal);
    }
    let cert_types = facts.claimed_type();
    let qc_type = if !list_types.is_empty() {
        if list_types.len() > 1 {
            findings.push(Finding::from_def(&f::QUAL_TYPE_UNKNOWN, format!("{label}: the list gives several types")));
            None
        } else {
            if !cert_types.is_empty() && cert_types != list_types {
                findings.push(Finding::from_def(
                    &f::QUAL_OVERRIDE,
                    format!("{label}: the list's type overrides the certificate's"),
                ));
            }
            list_types.first().copied()
        }
    } else if cert_types.len() == 1 {
        cert_types.first().copied()
    } else if cert_types.len() > 1 {
        findings
            .push(Finding::from_def(&f::QUAL_TYPE_UNKNOWN, format!("{label}: the certificate claims several types")));
        None
    } else if qc {
        // No QcType and no typed policy: an EU qualified certificate for e-signatures
        // (EN 319 412-5 §4.2.3; Directive-era QCs are e-signature certificates, eIDAS Art. 51(1)).
        Some(QcType::Esig)
    } else {
        None
    };

    // QSCD.
    let with = has("QCWithQSCD") || has("QCQSCDManagedOnBehalf") || (pre_eidas && has("QCWithSSCD"));
    let without = has("QCNoQSCD") || (pre_eidas && has("QCNoSSCD"));
    // Lists still carry the Directive SSCD qualifiers after 2016; TS 119 615 reads them as QSCD.
    let with = with || has("QCWithSSCD");
    let without = without || has("QCNoSSCD");
    let qscd = if with && without {
        findings
            .push(Finding::from_def(&f::QUAL_CONFLICT, format!("{label}: both a QSCD and a no-QSCD qualifier apply")));
        Some(false)
    } else if with {
        if !facts.claims_qscd() {
            findings.push(Finding::from_def(
                &f::QUAL_OVERRIDE,
                format!("{label}: the list says the key is on a QSCD although the certificate does not claim it"),
            ));
        }
        Some(true)
    } else if without {
        if facts.claims_qscd() {
            findings.push(Finding::from_def(
                &f::QUAL_OVERRIDE,
                format!("{label}: the list says no QSCD although the certificate claims one"),
            ));
        }
        Some(false)
    } else {
        // QCQSCDStatusAsInCert / QCSSCDStatusAsInCert, or no QSCD qualifier: as the certificate says.
        Some(facts.claims_qscd())
    };
    let qscd = if qc_type == Some(QcType::Web) { Some(false) } else { qscd };
    Eval { qc, qc_type, qscd }
}

/// The service's AdditionalServiceInformation types; empty when it declares none.
fn service_types(info: &ServiceInformation) -> Vec<QcType> {
    info.extensions
        .asi_uris()
        .filter_map(|u| match u {
            ASI_FOR_ESIG => Some(QcType::Esig),
            ASI_FOR_ESEAL => Some(QcType::Eseal),
            ASI_FOR_WSA => Some(QcType::Web),
            _ => None,
        })
        .collect()
}

/// How a service identity matches the certificate's issuer, if it does.
fn identity_matches(
    id: &DigitalIdentity,
    cert: &X509Certificate<'_>,
    facts: &CertFacts,
    notes: &mut Vec<String>,
) -> Option<String> {
    for der in &id.certificates {
        let Ok((_, ca)) = X509Certificate::from_der(der) else { continue };
        if ca.subject().as_raw() != facts.issuer_raw.as_slice() {
            continue;
        }
        match cert.verify_signature(Some(ca.public_key())) {
            Ok(()) => return Some(format!("certificate {} (signature verified)", ca.subject())),
            Err(X509Error::SignatureUnsupportedAlgorithm) => {
                let ski = ca.extensions().iter().find_map(|e| match e.parsed_extension() {
                    ParsedExtension::SubjectKeyIdentifier(k) => Some(k.0.to_vec()),
                    _ => None,
                });
                let key_ok = match (&facts.aki, &ski) {
                    (Some(a), Some(s)) => a == s,
                    _ => true,
                };
                if key_ok {
                    notes.push(format!(
                        "matched {} by subject and key identifier; signature algorithm not checked here",
                        ca.subject()
                    ));
                    return Some(format!("certificate {} (subject and key identifier)", ca.subject()));
                }
            }
            Err(_) => {}
        }
    }
    if let Some(aki) = &facts.aki {
        if id.skis.iter().any(|s| s == aki) {
            return Some(format!("X509SKI {}", hex(aki)));
        }
    }
    None
}

/// Decides the qualified status of `cert_der` at `at` (Unix seconds) from `lists`.
///
/// The lists are taken as given: verify their signatures first ([`crate::verify::verify`]).
/// More than [`crate::limits::MAX_LISTS`] lists are refused: the result is "not qualified" with
/// the single finding `tl.limit.too-many-lists` ([`f::LIMIT_TOO_MANY_LISTS`]), and no list is read.
pub fn qualify(cert_der: &[u8], lists: &[&TrustedList], at: i64) -> Qualification {
    let mut out = Qualification {
        qualified: false,
        qc_type: None,
        qscd: None,
        tsp: None,
        service: None,
        findings: Vec::new(),
        issuance_time: None,
        at: fmt_time(at),
        services: Vec::new(),
    };
    if lists.len() > crate::limits::MAX_LISTS {
        out.findings.push(Finding::from_def(
            &f::LIMIT_TOO_MANY_LISTS,
            format!(
                "{} lists were given; at most {} are accepted in one call (trustlist::limits::MAX_LISTS): nothing was qualified",
                lists.len(),
                crate::limits::MAX_LISTS
            ),
        ));
        return out;
    }
    let cert = match X509Certificate::from_der(cert_der) {
        Ok((_, c)) => c,
        Err(e) => {
            out.findings
                .push(Finding::from_def(&f::QUAL_CERT_MALFORMED, format!("the certificate cannot be read: {e}")));
            return out;
        }
    };
    let facts = CertFacts::from_cert(&cert);
    let issued = facts.not_before;
    out.issuance_time = Some(fmt_time(issued));

    let mut evals: Vec<(ServiceResult, Option<Eval>, Option<Eval>)> = Vec::new();
    for list in lists {
        for (tsp, svc) in list.services() {
            let is_caqc =
                std::iter::once(&svc.current).chain(svc.history.iter()).any(|i| i.type_identifier == SVC_CA_QC);
            if !is_caqc {
                continue;
            }
            let mut notes = Vec::new();
            let matched = std::iter::once(&svc.current)
                .chain(svc.history.iter())
                .find_map(|i| identity_matches(&i.digital_identity, &cert, &facts, &mut notes));
            let Some(matched_by) = matched else { continue };
            for n in notes {
                out.findings.push(Finding::from_def(&f::QUAL_ISSUER_SIG_UNCHECKED, n));
            }
            let tsp_name = pick_english(&tsp.name).unwrap_or("").to_string();
            let svc_name = pick_english(&svc.current.name).unwrap_or("").to_string();
            let label = format!("{} / {}", list.scheme_territory, svc_name);
            let at_issue = svc.status_at(issued);
            let at_t = svc.status_at(at);
            let mut fnd = Vec::new();
            // TakenOverBy (TS 119 612 §5.5.9.3): which TSP took the service over. Reported; it
            // changes nothing in the decision (TS 119 615 reads the service's status as usual).
            if let Some(t) = at_t.or(at_issue).and_then(|i| i.extensions.taken_over_by.as_ref()) {
                fnd.push(Finding::from_def(
                    &f::QUAL_TAKEN_OVER,
                    format!(
                        "{label}: the service was taken over by {} ({}{})",
                        pick_english(&t.tsp_name).unwrap_or("an unnamed TSP"),
                        t.scheme_territory.as_deref().map(|c| format!("territory {c}, ")).unwrap_or_default(),
                        pick_english(&t.uri).map(|u| format!("see {u}")).unwrap_or_else(|| "no URI given".into())
                    ),
                ));
            }
            let e_issue = match at_issue {
                Some(i) if i.type_identifier == SVC_CA_QC && is_granted(&i.status, issued) => {
                    Some(evaluate(i, &facts, issued, &label, &mut fnd))
                }
                other => {
                    fnd.push(Finding::from_def(
                        &f::QUAL_NOT_GRANTED_AT_ISSUANCE,
                        format!(
                            "{label}: at issuance ({}) the service status was {}",
                            fmt_time(issued),
                            other.map(|i| i.status.as_str()).unwrap_or("(none: not yet listed)")
                        ),
                    ));
                    None
                }
            };
            let e_t = match at_t {
                Some(i) if i.type_identifier == SVC_CA_QC && is_granted(&i.status, at) => {
                    Some(evaluate(i, &facts, at, &label, &mut Vec::new()))
                }
                other => {
                    fnd.push(Finding::from_def(
                        &f::QUAL_NOT_GRANTED_AT_TIME,
                        format!(
                            "{label}: at {} the service status is {}",
                            fmt_time(at),
                            other.map(|i| i.status.as_str()).unwrap_or("(none: not yet listed)")
                        ),
                    ));
                    None
                }
            };
            // Type against the service's declared scope at issuance.
            let mut e_issue = e_issue;
            if let (Some(e), Some(i)) = (e_issue.as_mut(), at_issue) {
                let allowed = service_types(i);
                if let Some(t) = e.qc_type {
                    if !allowed.is_empty() && !allowed.contains(&t) {
                        fnd.push(Finding::from_def(
                            &f::QUAL_TYPE_MISMATCH,
                            format!(
                                "{label}: the certificate is of type {} but the service is granted only for {:?}",
                                t.as_str(),
                                allowed.iter().map(|t| t.as_str()).collect::<Vec<_>>()
                            ),
                        ));
                        e.qc = false;
                    }
                }
                if !e.qc
                    && !fnd
                        .iter()
                        .any(|x| x.id == f::QUAL_NOT_QUALIFIED_QUALIFIER.id || x.id == f::QUAL_TYPE_MISMATCH.id)
                {
                    fnd.push(Finding::from_def(
                        &f::QUAL_NOT_QC,
                        format!("{label}: neither the certificate nor the list makes it a qualified certificate"),
                    ));
                }
            }
            let qualified = e_issue.as_ref().is_some_and(|e| e.qc) && e_t.is_some();
            out.findings.extend(fnd);
            evals.push((
                ServiceResult {
                    territory: list.scheme_territory.clone(),
                    tsp: tsp_name,
                    service: svc_name,
                    matched_by,
                    status_at_issuance: at_issue.map(|i| i.status.clone()),
                    status_at_time: at_t.map(|i| i.status.clone()),
                    qualified,
                    qc_type: e_issue.as_ref().and_then(|e| e.qc_type),
                    qscd: e_t.as_ref().and_then(|e| e.qscd),
                },
                e_issue,
                e_t,
            ));
        }
    }

    if evals.is_empty() {
        out.findings.push(Finding::from_def(
            &f::QUAL_NO_SERVICE,
            format!("no CA/QC service in the {} list(s) issued the certificate (issuer {})", lists.len(), facts.issuer),
        ));
        return out;
    }
    // Several services (§4.3.5): only the ones granted at both times count; they must agree.
    let granted: Vec<&ServiceResult> =
        evals.iter().filter(|(_, a, b)| a.is_some() && b.is_some()).map(|(r, _, _)| r).collect();
    let Some(first) = granted.first().copied().or_else(|| evals.first().map(|(r, _, _)| r)) else {
        return out;
    };
    out.tsp = Some(first.tsp.clone());
    out.service = Some(first.service.clone());
    if !granted.is_empty() {
        let all_q = granted.iter().all(|r| r.qualified);
        let any_q = granted.iter().any(|r| r.qualified);
        if any_q && !all_q {
            out.findings.push(Finding::from_def(
                &f::QUAL_CONFLICT,
                format!("{} matching services disagree on whether the certificate is qualified", granted.len()),
            ));
        }
        out.qualified = all_q;
        let types: Vec<Option<QcType>> = granted.iter().map(|r| r.qc_type).collect();
        out.qc_type = if types.windows(2).all(|w| w[0] == w[1]) {
            types.first().copied().flatten()
        } else {
            out.findings.push(Finding::from_def(&f::QUAL_TYPE_UNKNOWN, "matching services disagree on the type"));
            None
        };
        let qscds: Vec<Option<bool>> = granted.iter().map(|r| r.qscd).collect();
        out.qscd = if qscds.windows(2).all(|w| w[0] == w[1]) {
            qscds.first().copied().flatten()
        } else {
            out.findings.push(Finding::from_def(
                &f::QUAL_CONFLICT,
                "matching services disagree on the QSCD status; taken as no QSCD",
            ));
            Some(false)
        };
        if !out.qualified {
            // Type and QSCD describe a qualified certificate; for one that is not, they stay in
            // `services` only.
            out.qc_type = None;
            out.qscd = None;
        }
        if out.qualified && out.qc_type.is_none() {
            out.findings.push(Finding::from_def(
                &f::QUAL_TYPE_UNKNOWN,
                "the certificate is qualified but its type is undetermined",
            ));
        }
    }
    out.services = evals.into_iter().map(|(r, _, _)| r).collect();
    out.findings.push(Finding::from_def(
        &f::QUAL_SUMMARY,
        format!(
            "{} at {} (issued {}): {}{}{}",
            if out.qualified { "qualified" } else { "not qualified" },
            out.at,
            fmt_time(issued),
            out.qc_type.map(|t| t.as_str()).unwrap_or("type undetermined"),
            match out.qscd {
                Some(true) => ", QSCD",
                Some(false) => ", no QSCD",
                None => "",
            },
            out.service.as_deref().map(|s| format!(", service {s}")).unwrap_or_default()
        ),
    ));
    out
}
