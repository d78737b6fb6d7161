//! The data model of an ETSI TS 119 612 trusted list (v5 and v6) and of the EU list of the lists.
//!
//! Field names follow the schema's element names; URIs are kept exactly as written in the list
//! (the qualifier and type constants live in [`crate::uri`]). Times are kept both as written and as
//! Unix seconds.

use serde::Serialize;

/// A text with its `xml:lang` (TS 119 612 §5.1.4, multilingual character strings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LangString {
    pub lang: Option<String>,
    pub value: String,
}

/// Picks the first English value, else the first value (the rule `tl inspect` uses for names).
pub fn pick_english(values: &[LangString]) -> Option<&str> {
    values
        .iter()
        .find(|v| v.lang.as_deref().is_some_and(|l| l.eq_ignore_ascii_case("en")))
        .or_else(|| values.first())
        .map(|v| v.value.as_str())
}

/// An `xsd:dateTime` as written in the list, and its value in Unix seconds (UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateTime {
    pub text: String,
    pub unix: i64,
}

/// The whole list: scheme information (TS 119 612 §5.3), the providers (§5.4) and whether a
/// signature element is present (§5.7).
#[derive(Debug, Clone, Serialize)]
pub struct TrustedList {
    /// `Id` attribute of the root element, when present.
    pub id: Option<String>,
    /// `TSLTag` attribute (§5.2.1).
    pub tsl_tag: Option<String>,
    /// `TSLVersionIdentifier` (§5.3.1): 5 for lists under TS 119 612 v2.1, 6 for v2.2 and later.
    pub version: u32,
    /// `TSLSequenceNumber` (§5.3.2).
    pub sequence_number: u64,
    /// `TSLType` (§5.3.3), URI as written.
    pub tsl_type: String,
    pub scheme_operator_name: Vec<LangString>,
    pub scheme_operator_electronic_address: Vec<String>,
    pub scheme_name: Vec<LangString>,
    pub scheme_information_uri: Vec<LangString>,
    /// `StatusDeterminationApproach` (§5.3.8).
    pub status_determination_approach: String,
    pub scheme_type_community_rules: Vec<LangString>,
    /// `SchemeTerritory` (§5.3.10): ISO 3166-1 alpha-2, `EU` for the LOTL.
    pub scheme_territory: String,
    pub policy_or_legal_notice: Vec<LangString>,
    /// `HistoricalInformationPeriod` (§5.3.12), in days.
    pub historical_information_period: Option<u64>,
    /// `PointersToOtherTSL` (§5.3.13).
    pub pointers: Vec<OtherTslPointer>,
    /// `ListIssueDateTime` (§5.3.14).
    pub issue_date_time: DateTime,
    /// `NextUpdate` (§5.3.15); `None` for a closed list (empty `NextUpdate`).
    pub next_update: Option<DateTime>,
    /// `DistributionPoints` (§5.3.16).
    pub distribution_points: Vec<String>,
    /// `TrustServiceProviderList` (§5.3.18 and §5.4).
    pub providers: Vec<TrustServiceProvider>,
    /// Whether a `ds:Signature` element is a child of the root (§5.7.1).
    pub signed: bool,
    /// What a careful reader accepted but reports: the list's quirks, as findings.
    pub quirks: Vec<report::Finding>,
}

impl TrustedList {
    /// Whether this list is a list of the lists (TSLType ends in `listofthelists`).
    pub fn is_lotl(&self) -> bool {
        self.tsl_type.to_ascii_lowercase().ends_with("listofthelists")
    }

    /// All services of all providers, with their provider.
    pub fn services(&self) -> impl Iterator<Item = (&TrustServiceProvider, &TspService)> {
        self.providers.iter().flat_map(|p| p.services.iter().map(move |s| (p, s)))
    }
}

/// A pointer to another list (§5.3.13): where it is and which certificates may sign it.
#[derive(Debug, Clone, Serialize)]
pub struct OtherTslPointer {
    /// `TSLLocation`, as written.
    pub location: String,
    /// `ServiceDigitalIdentities`: the certificates (and other identities) allowed to sign the list.
    pub digital_identities: Vec<DigitalIdentity>,
    pub tsl_type: Option<String>,
    pub scheme_territory: Option<String>,
    pub scheme_operator_name: Vec<LangString>,
    pub scheme_type_community_rules: Vec<LangString>,
    /// `MimeType` from the additional types namespace (`application/vnd.etsi.tsl+xml`,
    /// `application/pdf`, ...).
    pub mime_type: Option<String>,
    /// The EU mutual recognition extension, on pointers to third-country lists.
    pub mutual_recognition: Option<MutualRecognitionAgreement>,
}

impl OtherTslPointer {
    /// All certificates (DER) the pointer declares.
    pub fn certificates(&self) -> impl Iterator<Item = &Vec<u8>> {
        self.digital_identities.iter().flat_map(|d| d.certificates.iter())
    }

    /// Whether the pointer designates a machine-readable (XML) list rather than its PDF rendering.
    pub fn is_xml(&self) -> bool {
        match self.mime_type.as_deref() {
            Some(m) => m.contains("xml"),
            None => !self.location.to_ascii_lowercase().ends_with(".pdf"),
        }
    }
}

/// A trust service provider (§5.4).
#[derive(Debug, Clone, Serialize)]
pub struct TrustServiceProvider {
    pub name: Vec<LangString>,
    pub trade_name: Vec<LangString>,
    pub information_uri: Vec<LangString>,
    pub electronic_address: Vec<String>,
    pub services: Vec<TspService>,
}

/// A service with its current information (§5.5) and its history (§5.6), newest first as written.
#[derive(Debug, Clone, Serialize)]
pub struct TspService {
    pub current: ServiceInformation,
    pub history: Vec<ServiceInformation>,
}

impl TspService {
    /// The service information in force at `t` (Unix seconds): the entry, current or historical,
    /// with the latest `StatusStartingTime` not after `t` (§5.5.5 and §5.6). `None` when `t` is before
    /// the service's first status.
    pub fn status_at(&self, t: i64) -> Option<&ServiceInformation> {
        std::iter::once(&self.current)
            .chain(self.history.iter())
            .filter(|i| i.status_starting_time.unix <= t)
            .max_by_key(|i| i.status_starting_time.unix)
    }
}

/// The fields shared by `ServiceInformation` (§5.5) and `ServiceHistoryInstance` (§5.6).
#[derive(Debug, Clone, Serialize)]
pub struct ServiceInformation {
    /// `ServiceTypeIdentifier` (§5.5.1), URI as written.
    pub type_identifier: String,
    pub name: Vec<LangString>,
    /// `ServiceDigitalIdentity` (§5.5.3).
    pub digital_identity: DigitalIdentity,
    /// `ServiceStatus` (§5.5.4), URI as written.
    pub status: String,
    /// `StatusStartingTime` (§5.5.5).
    pub status_starting_time: DateTime,
    pub scheme_service_definition_uri: Vec<LangString>,
    pub supply_points: Vec<String>,
    pub tsp_service_definition_uri: Vec<LangString>,
    /// `ServiceInformationExtensions` (§5.5.9).
    pub extensions: Extensions,
    /// Set only on a list read through a mutual recognition agreement ([`crate::mra::translate`]):
    /// the certificate-content equivalences of the equivalence in force for this entry, applied to
    /// the certificate's own claims before the Qualifications extension (EU MRA schema v2,
    /// `CertificateContentReferencesEquivalenceList`). Empty for every list as parsed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mra_content_equivalences: Vec<CertificateContentEquivalence>,
}

/// A `ServiceDigitalIdentity` (§5.5.3): certificates, subject names, SKIs and other forms.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DigitalIdentity {
    /// DER certificates (`X509Certificate`).
    #[serde(serialize_with = "ser_b64_list")]
    pub certificates: Vec<Vec<u8>>,
    /// `X509SubjectName` values as written (RFC 4514-like strings).
    pub subject_names: Vec<String>,
    /// `X509SKI` values, decoded.
    #[serde(serialize_with = "ser_b64_list")]
    pub skis: Vec<Vec<u8>>,
    /// Number of `KeyValue` entries (not used for matching).
    pub key_values: usize,
    /// `Other` entries, as written.
    pub others: Vec<String>,
}

fn ser_b64_list<S: serde::Serializer>(v: &[Vec<u8>], s: S) -> Result<S::Ok, S::Error> {
    use base64::Engine;
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(v.len()))?;
    for item in v {
        seq.serialize_element(&base64::engine::general_purpose::STANDARD.encode(item))?;
    }
    seq.end()
}

impl DigitalIdentity {
    pub fn is_empty(&self) -> bool {
        self.certificates.is_empty()
            && self.subject_names.is_empty()
            && self.skis.is_empty()
            && self.key_values == 0
            && self.others.is_empty()
    }
}

/// The service information extensions this crate understands (§5.5.9), plus the ones it does not.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Extensions {
    /// `Qualifications` (§5.5.9.2, the `ecc` namespace).
    pub qualifications: Vec<QualificationElement>,
    /// `AdditionalServiceInformation` (§5.5.9.4).
    pub additional_service_information: Vec<AdditionalServiceInformation>,
    /// `TakenOverBy` (§5.5.9.3).
    pub taken_over_by: Option<TakenOverBy>,
    /// `ExpiredCertsRevocationInfo` (§5.5.9.1).
    pub expired_certs_revocation_info: Option<DateTime>,
    /// Extensions of other kinds: (namespace, local name, critical).
    pub unknown: Vec<UnknownExtension>,
}

impl Extensions {
    /// The `AdditionalServiceInformation` URIs, as written.
    pub fn asi_uris(&self) -> impl Iterator<Item = &str> {
        self.additional_service_information.iter().map(|a| a.uri.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownExtension {
    pub namespace: String,
    pub name: String,
    pub critical: bool,
}

/// One `QualificationElement` (§5.5.9.2.1): qualifier URIs applied to certificates that meet the
/// criteria.
#[derive(Debug, Clone, Serialize)]
pub struct QualificationElement {
    /// `Qualifier/@uri` values, as written (bare OIDs are kept and reported as a quirk).
    pub qualifiers: Vec<String>,
    pub criteria: CriteriaList,
}

/// How the criteria of a list combine (§5.5.9.2.2, `assert`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Assert {
    All,
    AtLeastOne,
    None,
}

/// A `CriteriaList` (§5.5.9.2.2).
#[derive(Debug, Clone, Serialize)]
pub struct CriteriaList {
    pub assert: Assert,
    /// Each `KeyUsage` criterion: the named bits with their required values.
    pub key_usage: Vec<Vec<(String, bool)>>,
    /// Each `PolicySet`: certificate policy OIDs that must all be present (dotted form).
    pub policy_sets: Vec<Vec<String>>,
    /// Each `ExtendedKeyUsage` criterion (additional types namespace): purposes that must all be
    /// present (dotted OIDs).
    pub extended_key_usage: Vec<Vec<String>>,
    /// Each `CertSubjectDNAttribute` criterion: attribute type OIDs that must all be present.
    pub cert_subject_dn_attributes: Vec<Vec<String>>,
    /// Each `QcStatementSet` criterion (EU MRA schema v2, `mra:QcStatementSet` in an
    /// `otherCriteriaList`): QC statements that must all be present in the certificate.
    pub qc_statement_sets: Vec<Vec<QcStatementCriterion>>,
    /// Nested `CriteriaList`s.
    pub nested: Vec<CriteriaList>,
    pub description: Option<String>,
    /// Criteria of kinds this crate cannot evaluate (`otherCriteriaList` content): their presence
    /// makes the list unevaluable, never silently true.
    pub unsupported: Vec<String>,
}

/// `AdditionalServiceInformation` (§5.5.9.4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdditionalServiceInformation {
    pub uri: String,
    pub critical: bool,
}

/// `TakenOverBy` (§5.5.9.3).
#[derive(Debug, Clone, Serialize)]
pub struct TakenOverBy {
    pub uri: Vec<LangString>,
    pub tsp_name: Vec<LangString>,
    pub scheme_operator_name: Vec<LangString>,
    pub scheme_territory: Option<String>,
}

/// The EU mutual recognition agreement extension on a LOTL pointer to a third-country list
/// (EU MRA schema `http://ec.europa.eu/tools/lotl/mra/schema/v2#`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct MutualRecognitionAgreement {
    pub technical_type: Option<String>,
    pub version: Option<String>,
    pub pointing_contracting_party_legislation: Option<String>,
    pub pointed_contracting_party_legislation: Option<String>,
    pub equivalences: Vec<TrustServiceEquivalenceInformation>,
}

/// One `TrustServiceEquivalenceInformation` of the EU MRA schema.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TrustServiceEquivalenceInformation {
    pub legal_identifier: Option<String>,
    pub status: Option<String>,
    pub status_starting_time: Option<DateTime>,
    /// (pointing party service types, pointed party service types).
    pub type_equivalence: Option<(Vec<String>, Vec<String>)>,
    /// (pointing party statuses, pointed party statuses) considered valid.
    pub status_valid_equivalence: Option<(Vec<String>, Vec<String>)>,
    /// (pointing party statuses, pointed party statuses) considered invalid.
    pub status_invalid_equivalence: Option<(Vec<String>, Vec<String>)>,
    /// (pointing party qualifier URI, pointed party qualifier URI).
    pub qualifier_equivalences: Vec<(String, String)>,
    /// `CertificateContentReferencesEquivalenceList`: QC statement / policy / key usage
    /// equivalences applied to the certificate's content.
    pub content_equivalences: Vec<CertificateContentEquivalence>,
    /// Number of `TrustServiceEquivalenceHistoryInstance`s.
    pub history_instances: usize,
    /// The `TrustServiceEquivalenceHistoryInstance`s, as written (each with its own status,
    /// starting time and equivalences; `legal_identifier` copied from this entry, `history` empty).
    pub history: Vec<TrustServiceEquivalenceInformation>,
}

impl TrustServiceEquivalenceInformation {
    /// The entry (this one or a history instance) in force at `t`: the latest starting time not
    /// after `t` (an entry without a starting time counts as starting at the epoch). `None` when
    /// `t` is before every entry.
    pub fn in_force_at(&self, t: i64) -> Option<&TrustServiceEquivalenceInformation> {
        std::iter::once(self)
            .chain(self.history.iter())
            .filter(|e| e.status_starting_time.as_ref().map_or(0, |s| s.unix) <= t)
            .max_by_key(|e| e.status_starting_time.as_ref().map_or(0, |s| s.unix))
    }
}

/// One `mra:QcStatement` of a `QcStatementSet` (EU MRA schema v2, `QcStatementType`): the
/// statement's OID (`QcStatementId`) and, optionally, the `QcStatementInfo` it must carry (a
/// `QcType` OID or a `QcCClegislation` country code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QcStatementCriterion {
    /// Dotted OID of the statement (e.g. `0.4.0.1862.1.1`, QcCompliance).
    pub id: String,
    /// Dotted OID of the QcType the statement must carry (for `0.4.0.1862.1.6`).
    pub qc_type: Option<String>,
    /// The country code a `QcCClegislation` statement must carry.
    pub qc_cc_legislation: Option<String>,
}

/// One `CertificateContentReferenceEquivalence` (EU MRA schema v2): in the given context, a
/// certificate that meets the pointed (third-country) party's declaration is read as carrying the
/// pointing (EU) party's declaration.
#[derive(Debug, Clone, Serialize)]
pub struct CertificateContentEquivalence {
    /// `CertificateContentReferenceEquivalenceContext`: `http://ec.europa.eu/tools/lotl/mra/QcCompliance`,
    /// `.../QcType` or `.../QcQSCD` (the contexts EU DSS defines).
    pub context: String,
    /// `CertificateContentDeclarationPointingParty` (the EU content).
    pub pointing: CriteriaList,
    /// `CertificateContentDeclarationPointedParty` (the third-country content).
    pub pointed: CriteriaList,
}

impl CriteriaList {
    /// A criteria list with no criteria yet.
    pub fn empty(assert: Assert) -> CriteriaList {
        CriteriaList {
            assert,
            key_usage: Vec::new(),
            policy_sets: Vec::new(),
            extended_key_usage: Vec::new(),
            cert_subject_dn_attributes: Vec::new(),
            qc_statement_sets: Vec::new(),
            nested: Vec::new(),
            description: None,
            unsupported: Vec::new(),
        }
    }

    /// A criteria list that can never be evaluated (`why` is reported where it would be used).
    pub fn unevaluable(why: String) -> CriteriaList {
        CriteriaList { unsupported: vec![why], ..CriteriaList::empty(Assert::All) }
    }
}
