//! Writing (and signing) small TS 119 612 v6 lists: for synthetic PKIs (`testpki`) and tests.
//!
//! The writer covers what qualification needs: scheme information, pointers, providers, CA/QC
//! services with history, Qualifications (qualifiers with a PolicySet or KeyUsage criterion) and
//! AdditionalServiceInformation. [`sign`] adds an enveloped XAdES-less XML signature
//! (exclusive c14n, RSA or ECDSA with SHA-256) with the signer certificate in KeyInfo.

use crate::uri::{NS_ADD, NS_DSIG, NS_ECC, NS_TSL, NS_XADES};
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
