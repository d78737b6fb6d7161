//! Writing (and signing) small TS 119 612 v6 lists: for synthetic PKIs (`testpki`) and tests.
//!
//! The writer covers what qualification needs: scheme information, pointers, providers, CA/QC
//! services with history, Qualifications (qualifiers with a PolicySet or KeyUsage criterion) and
//! AdditionalServiceInformation; [`with_mutual_recognition`] adds the EU MRA extension (with
//! equivalence history and certificate-content equivalences) to a pointer. [`sign`] adds an
//! enveloped XAdES-less XML signature (exclusive c14n, RSA or ECDSA with SHA-256) with the signer
//! certificate in KeyInfo.

use crate::uri::{NS_ADD, NS_DSIG, NS_ECC, NS_MRA, NS_TSL, NS_XADES};
use base64::Engine;

/// One status entry of a service (current or history).
#[derive(Debug, Clone)]
pub struct StatusSpec {
    pub status: String,
    /// `StatusStartingTime`, RFC 3339 (`2020-01-01T00:00:00Z`).
    pub starting: String,
    /// Qualification elements: (qualifier URIs, policy OIDs that must all be present — empty for
    /// an `assert="all"` list with no criterion, i.e. every certificate).
    pub qualifications: Vec<(Vec<String>, Vec<String>)>,
    /// AdditionalServiceInformation URIs.
    pub asi: Vec<String>,
}

/// A service: type, name, the CA certificate (DER) and its statuses, newest first.
#[derive(Debug, Clone)]
pub struct ServiceSpec {
    pub type_identifier: String,
    pub name: String,
    pub certificate: Vec<u8>,
    pub statuses: Vec<StatusSpec>,
}

#[derive(Debug, Clone)]
pub struct ProviderSpec {
    pub name: String,
    pub services: Vec<ServiceSpec>,
}

/// A pointer to another list and the certificates that may sign it.
#[derive(Debug, Clone)]
pub struct PointerSpec {
    pub location: String,
    pub territory: String,
    pub tsl_type: String,
    pub certificates: Vec<Vec<u8>>,
}

#[derive(Debug, Clone)]
pub struct ListSpec {
    pub territory: String,
    pub sequence_number: u64,
    pub tsl_type: String,
    pub operator: String,
    /// RFC 3339.
    pub issue: String,
    /// RFC 3339; `None` writes an empty NextUpdate (closed list).
    pub next_update: Option<String>,
    pub pointers: Vec<PointerSpec>,
    pub providers: Vec<ProviderSpec>,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn b64(d: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(d)
}

impl ListSpec {
    /// The unsigned list.
    pub fn to_xml(&self) -> String {
        let mut x = String::new();
        x.push_str(&format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tsl:TrustServiceStatusList xmlns:tsl=\"{NS_TSL}\" xmlns:tslx=\"{NS_ADD}\" xmlns:ecc=\"{NS_ECC}\" xmlns:xades=\"{NS_XADES}\" Id=\"TSL\" TSLTag=\"http://uri.etsi.org/19612/TSLTag\">"
        ));
        x.push_str("<tsl:SchemeInformation><tsl:TSLVersionIdentifier>6</tsl:TSLVersionIdentifier>");
        x.push_str(&format!("<tsl:TSLSequenceNumber>{}</tsl:TSLSequenceNumber>", self.sequence_number));
        x.push_str(&format!("<tsl:TSLType>{}</tsl:TSLType>", esc(&self.tsl_type)));
        x.push_str(&format!(
            "<tsl:SchemeOperatorName><tsl:Name xml:lang=\"en\">{}</tsl:Name></tsl:SchemeOperatorName>",
            esc(&self.operator)
        ));
        x.push_str("<tsl:StatusDeterminationApproach>http://uri.etsi.org/TrstSvc/TrustedList/StatusDetn/EUappropriate</tsl:StatusDeterminationApproach>");
        x.push_str(&format!("<tsl:SchemeTerritory>{}</tsl:SchemeTerritory>", esc(&self.territory)));
        x.push_str("<tsl:HistoricalInformationPeriod>65535</tsl:HistoricalInformationPeriod>");
        if !self.pointers.is_empty() {
            x.push_str("<tsl:PointersToOtherTSL>");
            for p in &self.pointers {
                x.push_str("<tsl:OtherTSLPointer><tsl:ServiceDigitalIdentities>");
                for c in &p.certificates {
                    x.push_str(&format!(
                        "<tsl:ServiceDigitalIdentity><tsl:DigitalId><tsl:X509Certificate>{}</tsl:X509Certificate></tsl:DigitalId></tsl:ServiceDigitalIdentity>",
                        b64(c)
                    ));
                }
                x.push_str(&format!(
                    "</tsl:ServiceDigitalIdentities><tsl:TSLLocation>{}</tsl:TSLLocation>",
                    esc(&p.location)
                ));
                x.push_str(&format!(
                    "<tsl:AdditionalInformation><tsl:OtherInformation><tsl:TSLType>{}</tsl:TSLType></tsl:OtherInformation><tsl:OtherInformation><tsl:SchemeTerritory>{}</tsl:SchemeTerritory></tsl:OtherInformation><tsl:OtherInformation><tslx:MimeType>application/vnd.etsi.tsl+xml</tslx:MimeType></tsl:OtherInformation></tsl:AdditionalInformation></tsl:OtherTSLPointer>",
                    esc(&p.tsl_type),
                    esc(&p.territory)
                ));
            }
            x.push_str("</tsl:PointersToOtherTSL>");
        }
        x.push_str(&format!("<tsl:ListIssueDateTime>{}</tsl:ListIssueDateTime>", esc(&self.issue)));
        match &self.next_update {
            Some(n) => x.push_str(&format!("<tsl:NextUpdate><tsl:dateTime>{}</tsl:dateTime></tsl:NextUpdate>", esc(n))),
            None => x.push_str("<tsl:NextUpdate/>"),
        }
        x.push_str("</tsl:SchemeInformation>");
        if !self.providers.is_empty() {
            x.push_str("<tsl:TrustServiceProviderList>");
            for p in &self.providers {
                x.push_str(&format!(
                    "<tsl:TrustServiceProvider><tsl:TSPInformation><tsl:TSPName><tsl:Name xml:lang=\"en\">{}</tsl:Name></tsl:TSPName></tsl:TSPInformation><tsl:TSPServices>",
                    esc(&p.name)
                ));
                for s in &p.services {
                    x.push_str("<tsl:TSPService>");
                    let mut first = true;
                    for st in &s.statuses {
                        if first {
                            x.push_str("<tsl:ServiceInformation>");
                        } else {
                            x.push_str("<tsl:ServiceHistoryInstance>");
                        }
                        x.push_str(&format!(
                            "<tsl:ServiceTypeIdentifier>{}</tsl:ServiceTypeIdentifier>",
                            esc(&s.type_identifier)
                        ));
                        x.push_str(&format!(
                            "<tsl:ServiceName><tsl:Name xml:lang=\"en\">{}</tsl:Name></tsl:ServiceName>",
                            esc(&s.name)
                        ));
                        x.push_str(&format!(
                            "<tsl:ServiceDigitalIdentity><tsl:DigitalId><tsl:X509Certificate>{}</tsl:X509Certificate></tsl:DigitalId></tsl:ServiceDigitalIdentity>",
                            b64(&s.certificate)
                        ));
                        x.push_str(&format!("<tsl:ServiceStatus>{}</tsl:ServiceStatus>", esc(&st.status)));
                        x.push_str(&format!("<tsl:StatusStartingTime>{}</tsl:StatusStartingTime>", esc(&st.starting)));
                        if !st.qualifications.is_empty() || !st.asi.is_empty() {
                            x.push_str("<tsl:ServiceInformationExtensions>");
                            if !st.qualifications.is_empty() {
                                x.push_str("<tsl:Extension Critical=\"true\"><ecc:Qualifications>");
                                for (quals, policies) in &st.qualifications {
                                    x.push_str("<ecc:QualificationElement><ecc:Qualifiers>");
                                    for q in quals {
                                        x.push_str(&format!("<ecc:Qualifier uri=\"{}\"/>", esc(q)));
                                    }
                                    x.push_str("</ecc:Qualifiers>");
                                    if policies.is_empty() {
                                        x.push_str("<ecc:CriteriaList assert=\"all\"/>");
                                    } else {
                                        x.push_str("<ecc:CriteriaList assert=\"all\"><ecc:PolicySet>");
                                        for p in policies {
                                            x.push_str(&format!(
                                                "<ecc:PolicyIdentifier><xades:Identifier Qualifier=\"OIDAsURN\">urn:oid:{}</xades:Identifier></ecc:PolicyIdentifier>",
                                                esc(p)
                                            ));
                                        }
                                        x.push_str("</ecc:PolicySet></ecc:CriteriaList>");
                                    }
                                    x.push_str("</ecc:QualificationElement>");
                                }
                                x.push_str("</ecc:Qualifications></tsl:Extension>");
                            }
                            for a in &st.asi {
                                x.push_str(&format!(
                                    "<tsl:Extension Critical=\"false\"><tsl:AdditionalServiceInformation><tsl:URI xml:lang=\"en\">{}</tsl:URI></tsl:AdditionalServiceInformation></tsl:Extension>",
                                    esc(a)
                                ));
                            }
                            x.push_str("</tsl:ServiceInformationExtensions>");
                        }
                        if first {
                            x.push_str("</tsl:ServiceInformation>");
                            if s.statuses.len() > 1 {
                                x.push_str("<tsl:ServiceHistory>");
                            }
                            first = false;
                        } else {
                            x.push_str("</tsl:ServiceHistoryInstance>");
                        }
                    }
                    if s.statuses.len() > 1 {
                        x.push_str("</tsl:ServiceHistory>");
                    }
                    x.push_str("</tsl:TSPService>");
                }
                x.push_str("</tsl:TSPServices></tsl:TrustServiceProvider>");
            }
            x.push_str("</tsl:TrustServiceProviderList>");
        }
        x.push_str("</tsl:TrustServiceStatusList>");
        x
    }
}

/// A QC statement in an MRA certificate-content declaration (`mra:QcStatement`): its OID and,
/// for `0.4.0.1862.1.6`, the QcType OID it carries.
#[derive(Debug, Clone)]
pub struct QcStatementSpec {
    pub id: String,
    pub qc_type: Option<String>,
}

/// One side of a certificate-content declaration: QC statements (in an `otherCriteriaList` /
/// `mra:QcStatementSet`) and policy OIDs (a `PolicySet`), all required (`assert="all"`).
#[derive(Debug, Clone, Default)]
pub struct DeclarationSpec {
    pub qc_statements: Vec<QcStatementSpec>,
    pub policies: Vec<String>,
}

/// A `CertificateContentReferenceEquivalence` (EU MRA schema v2).
#[derive(Debug, Clone)]
pub struct ContentEquivalenceSpec {
    /// `http://ec.europa.eu/tools/lotl/mra/QcCompliance`, `.../QcType` or `.../QcQSCD`.
    pub context: String,
    pub pointing: DeclarationSpec,
    pub pointed: DeclarationSpec,
}

/// A `TrustServiceEquivalenceInformation` (or, inside `history`, a
/// `TrustServiceEquivalenceHistoryInstance`) of the EU MRA schema v2.
#[derive(Debug, Clone)]
pub struct EquivalenceSpec {
    pub legal_identifier: String,
    /// `http://ec.europa.eu/tools/lotl/mra/enacted` or `.../repealed`.
    pub status: String,
    /// RFC 3339.
    pub starting: String,
    /// (pointing party service type, pointed party service type).
    pub types: (String, String),
    /// (pointing party statuses, pointed party statuses) read as valid.
    pub valid: (Vec<String>, Vec<String>),
    /// (pointing party statuses, pointed party statuses) read as invalid.
    pub invalid: (Vec<String>, Vec<String>),
    /// (pointing party qualifier URI, pointed party qualifier URI).
    pub qualifiers: Vec<(String, String)>,
    pub content: Vec<ContentEquivalenceSpec>,
    /// Earlier instances, newest first (only on the top-level entry).
    pub history: Vec<EquivalenceSpec>,
}

/// The EU mutual recognition extension of a LOTL pointer (`MutualRecognitionAgreementInformation`).
#[derive(Debug, Clone)]
pub struct MraSpec {
    pub pointing_legislation: String,
    pub pointed_legislation: String,
    pub equivalences: Vec<EquivalenceSpec>,
}

fn declaration(tag: &str, d: &DeclarationSpec) -> String {
    let mut x = format!("<mra:{tag} assert=\"all\">");
    if !d.policies.is_empty() {
        x.push_str("<ecc:PolicySet>");
        for p in &d.policies {
            x.push_str(&format!(
                "<ecc:PolicyIdentifier><xades:Identifier Qualifier=\"OIDAsURN\">urn:oid:{}</xades:Identifier></ecc:PolicyIdentifier>",
                esc(p)
            ));
        }
        x.push_str("</ecc:PolicySet>");
    }
    if !d.qc_statements.is_empty() {
        x.push_str("<ecc:otherCriteriaList><mra:QcStatementSet>");
        for st in &d.qc_statements {
            x.push_str(&format!(
                "<mra:QcStatement><mra:QcStatementId><xades:Identifier Qualifier=\"OIDAsURN\">urn:oid:{}</xades:Identifier></mra:QcStatementId>",
                esc(&st.id)
            ));
            if let Some(t) = &st.qc_type {
                x.push_str(&format!(
                    "<mra:QcStatementInfo><mra:QcType><xades:Identifier Qualifier=\"OIDAsURN\">urn:oid:{}</xades:Identifier></mra:QcType></mra:QcStatementInfo>",
                    esc(t)
                ));
            }
            x.push_str("</mra:QcStatement>");
        }
        x.push_str("</mra:QcStatementSet></ecc:otherCriteriaList>");
    }
    x.push_str(&format!("</mra:{tag}>"));
    x
}

impl EquivalenceSpec {
    /// The element's content (the schema's sequence), without the enclosing element.
    fn content_xml(&self, top: bool) -> String {
        let status_list = |l: &[String]| {
            l.iter().map(|s| format!("<tsl:ServiceStatus>{}</tsl:ServiceStatus>", esc(s))).collect::<String>()
        };
        let mut x = String::new();
        if top {
            x.push_str(&format!(
                "<mra:TrustServiceLegalIdentifier>{}</mra:TrustServiceLegalIdentifier>",
                esc(&self.legal_identifier)
            ));
        }
        x.push_str(&format!(
            "<mra:TrustServiceTSLTypeEquivalenceList><mra:TrustServiceTSLTypeListPointingParty><mra:TrustServiceTSLType><tsl:ServiceTypeIdentifier>{}</tsl:ServiceTypeIdentifier></mra:TrustServiceTSLType></mra:TrustServiceTSLTypeListPointingParty><mra:TrustServiceTSLTypeListPointedParty><mra:TrustServiceTSLType><tsl:ServiceTypeIdentifier>{}</tsl:ServiceTypeIdentifier></mra:TrustServiceTSLType></mra:TrustServiceTSLTypeListPointedParty></mra:TrustServiceTSLTypeEquivalenceList>",
            esc(&self.types.0),
            esc(&self.types.1)
        ));
        x.push_str(&format!(
            "<mra:TrustServiceEquivalenceStatus>{}</mra:TrustServiceEquivalenceStatus><mra:TrustServiceEquivalenceStatusStartingTime>{}</mra:TrustServiceEquivalenceStatusStartingTime>",
            esc(&self.status),
            esc(&self.starting)
        ));
        x.push_str(&format!(
            "<mra:TrustServiceTSLStatusEquivalenceList><mra:TrustServiceTSLStatusValidEquivalence><mra:TrustServiceTSLStatusListPointingParty>{}</mra:TrustServiceTSLStatusListPointingParty><mra:TrustServiceTSLStatusListPointedParty>{}</mra:TrustServiceTSLStatusListPointedParty></mra:TrustServiceTSLStatusValidEquivalence><mra:TrustServiceTSLStatusInvalidEquivalence><mra:TrustServiceTSLStatusListPointingParty>{}</mra:TrustServiceTSLStatusListPointingParty><mra:TrustServiceTSLStatusListPointedParty>{}</mra:TrustServiceTSLStatusListPointedParty></mra:TrustServiceTSLStatusInvalidEquivalence></mra:TrustServiceTSLStatusEquivalenceList>",
            status_list(&self.valid.0),
            status_list(&self.valid.1),
            status_list(&self.invalid.0),
            status_list(&self.invalid.1)
        ));
        if !self.content.is_empty() {
            x.push_str("<mra:CertificateContentReferencesEquivalenceList>");
            for c in &self.content {
                x.push_str(&format!(
                    "<mra:CertificateContentReferenceEquivalence><mra:CertificateContentReferenceEquivalenceContext>{}</mra:CertificateContentReferenceEquivalenceContext>{}{}</mra:CertificateContentReferenceEquivalence>",
                    esc(&c.context),
                    declaration("CertificateContentDeclarationPointingParty", &c.pointing),
                    declaration("CertificateContentDeclarationPointedParty", &c.pointed)
                ));
            }
            x.push_str("</mra:CertificateContentReferencesEquivalenceList>");
        }
        if !self.qualifiers.is_empty() {
            x.push_str("<mra:TrustServiceTSLQualificationExtensionEquivalenceList><mra:TrustServiceTSLQualificationExtensionName><mra:TrustServiceTSLQualificationExtensionNamePointingParty>http://uri.etsi.org/TrstSvc/SvcInfoExt/eSigDir-1999-93-EC-TrustedList/#Qualifications</mra:TrustServiceTSLQualificationExtensionNamePointingParty><mra:TrustServiceTSLQualificationExtensionNamePointedParty>Qualifications</mra:TrustServiceTSLQualificationExtensionNamePointedParty></mra:TrustServiceTSLQualificationExtensionName><mra:QualifierEquivalenceList>");
            for (pointing, pointed) in &self.qualifiers {
                x.push_str(&format!(
                    "<mra:QualifierEquivalence><mra:QualifierPointingParty uri=\"{}\"/><mra:QualifierPointedParty uri=\"{}\"/></mra:QualifierEquivalence>",
                    esc(pointing),
                    esc(pointed)
                ));
            }
            x.push_str("</mra:QualifierEquivalenceList></mra:TrustServiceTSLQualificationExtensionEquivalenceList>");
        }
        if top && !self.history.is_empty() {
            x.push_str("<mra:TrustServiceEquivalenceHistory>");
            for h in &self.history {
                x.push_str(&format!(
                    "<mra:TrustServiceEquivalenceHistoryInstance>{}</mra:TrustServiceEquivalenceHistoryInstance>",
                    h.content_xml(false)
                ));
            }
            x.push_str("</mra:TrustServiceEquivalenceHistory>");
        }
        x
    }
}

impl MraSpec {
    /// The `OtherInformation` element carrying the agreement (namespaces declared on it).
    pub fn to_other_information(&self) -> String {
        let mut x = format!(
            "<tsl:OtherInformation><mra:MutualRecognitionAgreementInformation xmlns:mra=\"{NS_MRA}\" technicalType=\"1\" version=\"1\" MRADepth=\"1\" pointingContractingPartyLegislation=\"{}\" pointedContractingPartyLegislation=\"{}\">",
            esc(&self.pointing_legislation),
            esc(&self.pointed_legislation)
        );
        for e in &self.equivalences {
            x.push_str(&format!(
                "<mra:TrustServiceEquivalenceInformation>{}</mra:TrustServiceEquivalenceInformation>",
                e.content_xml(true)
            ));
        }
        x.push_str("</mra:MutualRecognitionAgreementInformation></tsl:OtherInformation>");
        x
    }
}

/// Adds `mra` to the pointer for `territory` of a list written by [`ListSpec::to_xml`]; `None`
/// when the list has no such pointer.
pub fn with_mutual_recognition(list_xml: &str, territory: &str, mra: &MraSpec) -> Option<String> {
    let marker = format!("<tsl:SchemeTerritory>{}</tsl:SchemeTerritory></tsl:OtherInformation>", esc(territory));
    let scheme_info_end = list_xml.find("</tsl:SchemeInformation>")?;
    let at = list_xml.get(..scheme_info_end)?.find(&marker)? + marker.len();
    Some(format!("{}{}{}", list_xml.get(..at)?, mra.to_other_information(), list_xml.get(at..)?))
}

/// Why signing failed.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("the private key could not be loaded: {0}")]
    Key(String),
    #[error("the list could not be signed: {0}")]
    Sign(String),
    #[error("the signer certificate is not a readable X.509 certificate")]
    Certificate,
}

/// Signs an unsigned list (from [`ListSpec::to_xml`]) with an enveloped signature: exclusive
/// c14n, SHA-256 digest, RSA-SHA256 or ECDSA-SHA256 (from the key type), the certificate in
/// KeyInfo. `key_pem` is a PKCS#8 (or traditional) PEM private key.
pub fn sign(unsigned_xml: &str, key_pem: &[u8], cert_der: &[u8]) -> Result<String, SignError> {
    let (_, cert) = x509_parser::parse_x509_certificate(cert_der).map_err(|_| SignError::Certificate)?;
    let is_ec = cert.public_key().algorithm.algorithm.to_id_string() == "1.2.840.10045.2.1";
    let method = if is_ec {
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
    } else {
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    };
    let sig = format!(
        "<ds:Signature xmlns:ds=\"{NS_DSIG}\" Id=\"sig\"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/><ds:SignatureMethod Algorithm=\"{method}\"/><ds:Reference URI=\"\"><ds:Transforms><ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/><ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/></ds:Transforms><ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue></ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>",
        b64(cert_der)
    );
    let close = "</tsl:TrustServiceStatusList>";
    let pos = unsigned_xml.rfind(close).ok_or_else(|| SignError::Sign("no closing root element".into()))?;
    let template = format!("{}{}{}", &unsigned_xml[..pos], sig, &unsigned_xml[pos..]);
    let key = bergshamra::keys::loader::load_pem_auto(key_pem, None).map_err(|e| SignError::Key(e.to_string()))?;
    let mut km = bergshamra::KeysManager::new();
    km.add_key(key);
    let ctx = bergshamra::DsigContext::new_permissive(km);
    bergshamra::sign(&ctx, &template).map_err(|e| SignError::Sign(e.to_string()))
}
