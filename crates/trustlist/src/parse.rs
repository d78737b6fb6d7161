//! Namespace-aware reading of a TS 119 612 v5/v6 list into [`crate::model`].
//!
//! Elements are matched by namespace and local name, never by prefix (real lists use `tsl:`,
//! `ns2:`, default namespaces, ...). Mandatory scheme information missing is an error; anything a
//! careful reader can still interpret is accepted and reported as a quirk finding.

use crate::dom::Node;
use crate::findings as f;
use crate::limits;
use crate::model::*;
use crate::uri::*;
use crate::xml::{self, child, child_text, children, is, path_of, text};
use crate::Error;
use base64::Engine;
use report::{Finding, Location};

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Parses a trusted list (or the LOTL) from its bytes.
///
/// The input is checked first (size, UTF-8, no DTD, node count, depth: see [`crate::limits`]),
/// then read by namespace. Quirks are in [`TrustedList::quirks`].
pub fn parse(bytes: &[u8]) -> Result<TrustedList, Error> {
    let text = xml::normalize_line_ends(xml::precheck(bytes)?);
    let doc = crate::dom::Document::parse(&text)?;
    from_document(&doc)
}

pub(crate) fn from_document(doc: &crate::dom::Document<'_>) -> Result<TrustedList, Error> {
    let root = doc.root_element();
    if !is(root, NS_TSL, "TrustServiceStatusList") {
        return Err(Error::NotATrustedList {
            found: format!("{{{}}}{}", root.tag_name().namespace().unwrap_or(""), root.tag_name().name()),
        });
    }
    let mut p = Parser { quirks: Vec::new() };
    let si = child(root, NS_TSL, "SchemeInformation").ok_or(Error::Missing("SchemeInformation"))?;

    let version_text = child_text(si, NS_TSL, "TSLVersionIdentifier").ok_or(Error::Missing("TSLVersionIdentifier"))?;
    let version: u32 = version_text
        .parse()
        .map_err(|_| Error::Invalid { element: "TSLVersionIdentifier", value: version_text.clone() })?;
    if version != 5 && version != 6 {
        p.quirk(&f::QUIRK_VERSION, format!("TSLVersionIdentifier is {version}; this reader knows 5 and 6"), si);
    }
    let seq_text = child_text(si, NS_TSL, "TSLSequenceNumber").ok_or(Error::Missing("TSLSequenceNumber"))?;
    let sequence_number: u64 =
        seq_text.parse().map_err(|_| Error::Invalid { element: "TSLSequenceNumber", value: seq_text.clone() })?;
    let tsl_type = child_text(si, NS_TSL, "TSLType").ok_or(Error::Missing("TSLType"))?;
    let scheme_territory = child_text(si, NS_TSL, "SchemeTerritory").ok_or(Error::Missing("SchemeTerritory"))?;
    let issue_node = child(si, NS_TSL, "ListIssueDateTime").ok_or(Error::Missing("ListIssueDateTime"))?;
    let issue_date_time = p
        .datetime(issue_node)
        .ok_or_else(|| Error::Invalid { element: "ListIssueDateTime", value: text(issue_node) })?;
    let nu = child(si, NS_TSL, "NextUpdate").ok_or(Error::Missing("NextUpdate"))?;
    let next_update = match child(nu, NS_TSL, "dateTime") {
        Some(dt) => Some(p.datetime(dt).ok_or_else(|| Error::Invalid { element: "NextUpdate", value: text(dt) })?),
        None => None,
    };

    let historical_information_period = match child_text(si, NS_TSL, "HistoricalInformationPeriod") {
        Some(t) => match t.parse() {
            Ok(v) => Some(v),
            Err(_) => {
                p.quirk(&f::QUIRK_BAD_VALUE, format!("HistoricalInformationPeriod {t:?} is not a number"), si);
                None
            }
        },
        None => None,
    };

    let pointers = match child(si, NS_TSL, "PointersToOtherTSL") {
        Some(ptrs) => children(ptrs, NS_TSL, "OtherTSLPointer").map(|n| p.pointer(n)).collect(),
        None => Vec::new(),
    };
    let providers = match child(root, NS_TSL, "TrustServiceProviderList") {
        Some(l) => children(l, NS_TSL, "TrustServiceProvider").map(|n| p.provider(n)).collect(),
        None => Vec::new(),
    };
    let signed = child(root, NS_DSIG, "Signature").is_some();

    Ok(TrustedList {
        id: root.attribute("Id").map(str::to_string),
        tsl_tag: root.attribute("TSLTag").map(str::to_string),
        version,
        sequence_number,
        tsl_type,
        scheme_operator_name: names(child(si, NS_TSL, "SchemeOperatorName")),
        scheme_operator_electronic_address: electronic_address(child(si, NS_TSL, "SchemeOperatorAddress")),
        scheme_name: names(child(si, NS_TSL, "SchemeName")),
        scheme_information_uri: uris(child(si, NS_TSL, "SchemeInformationURI")),
        status_determination_approach: child_text(si, NS_TSL, "StatusDeterminationApproach").unwrap_or_default(),
        scheme_type_community_rules: uris(child(si, NS_TSL, "SchemeTypeCommunityRules")),
        scheme_territory,
        policy_or_legal_notice: child(si, NS_TSL, "PolicyOrLegalNotice")
            .map(|n| {
                n.children()
                    .filter(|c| is(*c, NS_TSL, "TSLLegalNotice") || is(*c, NS_TSL, "TSLPolicy"))
                    .map(lang_string)
                    .collect()
            })
            .unwrap_or_default(),
        historical_information_period,
        pointers,
        issue_date_time,
        next_update,
        distribution_points: child(si, NS_TSL, "DistributionPoints")
            .map(|n| children(n, NS_TSL, "URI").map(text).collect())
            .unwrap_or_default(),
        providers,
        signed,
        quirks: p.quirks,
    })
}

fn lang_string(n: Node<'_, '_>) -> LangString {
    LangString { lang: n.attribute((XML_NS, "lang")).map(str::to_string), value: text(n) }
}

/// `Name` children of a multilingual name element.
fn names(n: Option<Node<'_, '_>>) -> Vec<LangString> {
    n.map(|n| children(n, NS_TSL, "Name").map(lang_string).collect()).unwrap_or_default()
}

/// `URI` children of a multilingual URI list.
fn uris(n: Option<Node<'_, '_>>) -> Vec<LangString> {
    n.map(|n| children(n, NS_TSL, "URI").map(lang_string).collect()).unwrap_or_default()
}

fn electronic_address(addr: Option<Node<'_, '_>>) -> Vec<String> {
    addr.and_then(|a| child(a, NS_TSL, "ElectronicAddress"))
        .map(|e| children(e, NS_TSL, "URI").map(text).collect())
        .unwrap_or_default()
}

/// Standard base64 with or without padding (lists differ).
const LENIENT_BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);

fn b64(s: &str) -> Option<Vec<u8>> {
    // Byte-wise (certificates are long; collecting chars was a tenth of the parse time); the
    // rare non-ASCII value goes the char-wise way, so Unicode whitespace is still dropped.
    let bytes = s.as_bytes();
    let other_ws = |b: &[u8]| memchr::memchr2(b'\t', 0x0C, b).is_some();
    let clean: Vec<u8> = if s.is_ascii() && !other_ws(bytes) {
        // Spaces and line ends (the usual whitespace in a base64 value) skipped a run at a time.
        let mut v = Vec::with_capacity(s.len());
        let mut rest = bytes;
        while let Some(p) = memchr::memchr3(b' ', b'\n', b'\r', rest) {
            v.extend_from_slice(rest.get(..p).unwrap_or(&[]));
            rest = rest.get(p + 1..).unwrap_or(&[]);
        }
        v.extend_from_slice(rest);
        v
    } else if s.is_ascii() {
        bytes.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect()
    } else {
        s.chars().filter(|c| !c.is_whitespace()).collect::<String>().into_bytes()
    };
    LENIENT_BASE64.decode(&clean).ok()
}

/// Reads an `xsd:dateTime` into Unix seconds; a missing zone is read as UTC (returned flag true).
pub(crate) fn parse_datetime(s: &str) -> Option<(i64, bool)> {
    use time::format_description::well_known::Rfc3339;
    let s = s.trim();
    if let Ok(t) = time::OffsetDateTime::parse(s, &Rfc3339) {
        return Some((t.unix_timestamp(), false));
    }
    let with_z = format!("{s}Z");
    time::OffsetDateTime::parse(&with_z, &Rfc3339).ok().map(|t| (t.unix_timestamp(), true))
}

/// Reads an ObjectIdentifierType `Identifier` into a dotted OID, with the quirk (if any).
///
/// XAdES (EN 319 132-1) says: with `Qualifier="OIDAsURN"` the value is `urn:oid:<dotted>`; with
/// `OIDAsURI` or no qualifier it is a URI. Real lists write bare dotted OIDs in both cases.
pub(crate) fn identifier_oid(value: &str, qualifier: Option<&str>) -> Result<(String, bool), ()> {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("urn:oid:") {
        return if is_dotted_oid(rest) { Ok((rest.to_string(), false)) } else { Err(()) };
    }
    if is_dotted_oid(v) {
        // A bare OID is never the specified form, whatever the qualifier: OIDAsURN wants the
        // urn:oid: prefix and OIDAsURI / no qualifier want a URI.
        let _ = qualifier;
        return Ok((v.to_string(), true));
    }
    Err(())
}

/// One DER TLV at the start of `b`: (tag, content, rest). Definite lengths of at most 4 octets.
fn der_tlv(b: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = b.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let (len_bytes, rest) = rest.split_at(n);
        (len_bytes.iter().fold(0usize, |acc, &x| (acc << 8) | usize::from(x)), rest)
    };
    if rest.len() < len {
        return None;
    }
    let (content, rest) = rest.split_at(len);
    Some((tag, content, rest))
}

/// The cheap shape check of an `X509Certificate` done while parsing a list (RFC 5280 §4.1:
/// `SEQUENCE { tbsCertificate SEQUENCE, signatureAlgorithm SEQUENCE, signatureValue BIT STRING }`
/// filling the whole value). The full X.509 parse happens only where a certificate is used
/// (qualification, the signer): parsing every certificate of a list up front was a third of the
/// parse time, for lists whose certificates are mostly never looked at.
pub(crate) fn certificate_envelope_ok(der: &[u8]) -> bool {
    let Some((0x30, body, [])) = der_tlv(der) else { return false };
    let Some((0x30, _, rest)) = der_tlv(body) else { return false };
    let Some((0x30, _, rest)) = der_tlv(rest) else { return false };
    matches!(der_tlv(rest), Some((0x03, _, [])))
}

pub(crate) fn is_dotted_oid(s: &str) -> bool {
    let mut parts = 0;
    for part in s.split('.') {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        parts += 1;
    }
    parts >= 2
}

const KNOWN_STATUSES: &[&str] = &[
    "granted",
    "withdrawn",
    "recognisedatnationallevel",
    "deprecatedatnationallevel",
    "undersupervision",
    "supervisionincessation",
    "supervisionceased",
    "supervisionrevoked",
    "accredited",
    "accreditationceased",
    "accreditationrevoked",
    "setbynationallaw",
    "deprecatedbynationallaw",
];

struct Parser {
    quirks: Vec<Finding>,
}

impl Parser {
    fn quirk(&mut self, def: &report::FindingDef, msg: String, at: Node<'_, '_>) {
        self.quirks.push(Finding::from_def(def, msg).at(Location::path(path_of(at))));
    }

    fn datetime(&mut self, n: Node<'_, '_>) -> Option<DateTime> {
        let t = text(n);
        let (unix, no_zone) = parse_datetime(&t)?;
        if no_zone {
            self.quirk(&f::QUIRK_DATETIME_NO_ZONE, format!("dateTime {t:?} has no time zone; read as UTC"), n);
        }
        Some(DateTime { text: t, unix })
    }

    fn digital_identity(&mut self, sdi: Node<'_, '_>) -> DigitalIdentity {
        let mut id = DigitalIdentity::default();
        for d in children(sdi, NS_TSL, "DigitalId") {
            for c in d.children().filter(|c| c.is_element()) {
                let name = c.tag_name().name();
                let ns = c.tag_name().namespace();
                match (ns, name) {
                    (Some(NS_TSL), "X509Certificate") => {
                        if id.certificates.len() >= limits::MAX_IDENTITY_CERTS {
                            self.quirk(
                                &f::QUIRK_BAD_VALUE,
                                format!(
                                    "more than {} certificates in one identity; the rest are ignored",
                                    limits::MAX_IDENTITY_CERTS
                                ),
                                c,
                            );
                            continue;
                        }
                        match b64(&text(c)) {
                            Some(der) if certificate_envelope_ok(&der) => id.certificates.push(der),
                            _ => self.quirk(
                                &f::QUIRK_BAD_BASE64,
                                "X509Certificate is not a base64 DER certificate; skipped".into(),
                                c,
                            ),
                        }
                    }
                    (Some(NS_TSL), "X509SubjectName") => id.subject_names.push(text(c)),
                    (Some(NS_TSL), "X509SKI") => match b64(&text(c)) {
                        Some(ski) => id.skis.push(ski),
                        None => self.quirk(&f::QUIRK_BAD_BASE64, "X509SKI is not base64; skipped".into(), c),
                    },
                    (_, "KeyValue") => id.key_values += 1,
                    (Some(NS_TSL), "Other") => id.others.push(text(c)),
                    _ => id.others.push(format!("{{{}}}{}", ns.unwrap_or(""), name)),
                }
            }
        }
        id
    }

    fn pointer(&mut self, n: Node<'_, '_>) -> OtherTslPointer {
        let mut digital_identities = Vec::new();
        if let Some(sdis) = child(n, NS_TSL, "ServiceDigitalIdentities") {
            for sdi in children(sdis, NS_TSL, "ServiceDigitalIdentity") {
                digital_identities.push(self.digital_identity(sdi));
            }
        }
        let mut ptr = OtherTslPointer {
            location: child_text(n, NS_TSL, "TSLLocation").unwrap_or_default(),
            digital_identities,
            tsl_type: None,
            scheme_territory: None,
            scheme_operator_name: Vec::new(),
            scheme_type_community_rules: Vec::new(),
            mime_type: None,
            mutual_recognition: None,
        };
        if let Some(ai) = child(n, NS_TSL, "AdditionalInformation") {
            for oi in children(ai, NS_TSL, "OtherInformation") {
                for c in oi.children().filter(|c| c.is_element()) {
                    match (c.tag_name().namespace(), c.tag_name().name()) {
                        (Some(NS_TSL), "TSLType") => ptr.tsl_type = Some(text(c)),
                        (Some(NS_TSL), "SchemeTerritory") => ptr.scheme_territory = Some(text(c)),
                        (Some(NS_TSL), "SchemeOperatorName") => ptr.scheme_operator_name = names(Some(c)),
                        (Some(NS_TSL), "SchemeTypeCommunityRules") => ptr.scheme_type_community_rules = uris(Some(c)),
                        (Some(NS_ADD), "MimeType") => ptr.mime_type = Some(text(c)),
                        (Some(NS_MRA), "MutualRecognitionAgreementInformation") => {
                            ptr.mutual_recognition = Some(self.mra(c))
                        }
                        _ => {}
                    }
                }
            }
        }
        ptr
    }

    fn mra(&mut self, n: Node<'_, '_>) -> MutualRecognitionAgreement {
        let mut out = MutualRecognitionAgreement {
            technical_type: n.attribute("technicalType").map(str::to_string),
            version: n.attribute("version").map(str::to_string),
            pointing_contracting_party_legislation: n
                .attribute("pointingContractingPartyLegislation")
                .map(str::to_string),
            pointed_contracting_party_legislation: n
                .attribute("pointedContractingPartyLegislation")
                .map(str::to_string),
            equivalences: Vec::new(),
        };
        let mut entries = 0usize;
        let mut over = |p: &mut Self, at: Node<'_, '_>| {
            entries += 1;
            let over = entries > limits::MAX_MRA_EQUIVALENCE_ENTRIES;
            if over {
                p.quirk(
                    &f::QUIRK_BAD_VALUE,
                    format!(
                        "more than {} equivalence entries in one mutual recognition agreement; this one is ignored",
                        limits::MAX_MRA_EQUIVALENCE_ENTRIES
                    ),
                    at,
                );
            }
            over
        };
        for e in children(n, NS_MRA, "TrustServiceEquivalenceInformation") {
            if over(self, e) {
                continue;
            }
            let legal_identifier = child_text(e, NS_MRA, "TrustServiceLegalIdentifier");
            let mut info = self.equivalence(e, legal_identifier.clone());
            // TrustServiceEquivalenceHistory (maxOccurs unbounded), each holding instances.
            for h in children(e, NS_MRA, "TrustServiceEquivalenceHistory") {
                for inst in children(h, NS_MRA, "TrustServiceEquivalenceHistoryInstance") {
                    if over(self, inst) {
                        continue;
                    }
                    info.history.push(self.equivalence(inst, legal_identifier.clone()));
                }
            }
            info.history_instances = info.history.len();
            out.equivalences.push(info);
        }
        out
    }

    /// The content shared by `TrustServiceEquivalenceInformation` and
    /// `TrustServiceEquivalenceHistoryInstance` (EU MRA schema v2).
    fn equivalence(&mut self, e: Node<'_, '_>, legal_identifier: Option<String>) -> TrustServiceEquivalenceInformation {
        let pair = |node: Option<Node<'_, '_>>, a: &str, b: &str, leaf_ns: &str, leaf: &str| {
            node.map(|x| {
                let side = |name: &str| {
                    child(x, NS_MRA, name)
                        .map(|s| children(s, leaf_ns, leaf).map(text).collect::<Vec<_>>())
                        .unwrap_or_default()
                };
                (side(a), side(b))
            })
        };
        let status_list = child(e, NS_MRA, "TrustServiceTSLStatusEquivalenceList");
        let quals = child(e, NS_MRA, "TrustServiceTSLQualificationExtensionEquivalenceList");
        let mut qualifier_equivalences = Vec::new();
        if let Some(q) = quals {
            for l in children(q, NS_MRA, "QualifierEquivalenceList") {
                for qe in children(l, NS_MRA, "QualifierEquivalence") {
                    let get =
                        |name: &str| child(qe, NS_MRA, name).and_then(|x| x.attribute("uri")).unwrap_or("").to_string();
                    qualifier_equivalences.push((get("QualifierPointingParty"), get("QualifierPointedParty")));
                }
            }
        }
        let mut content_equivalences = Vec::new();
        if let Some(l) = child(e, NS_MRA, "CertificateContentReferencesEquivalenceList") {
            for ce in children(l, NS_MRA, "CertificateContentReferenceEquivalence") {
                let side = |p: &mut Self, name: &str| match child(ce, NS_MRA, name) {
                    Some(cl) => p.criteria(cl, 0),
                    None => CriteriaList::unevaluable(format!("missing {name}")),
                };
                let pointing = side(self, "CertificateContentDeclarationPointingParty");
                let pointed = side(self, "CertificateContentDeclarationPointedParty");
                content_equivalences.push(CertificateContentEquivalence {
                    context: child_text(ce, NS_MRA, "CertificateContentReferenceEquivalenceContext")
                        .unwrap_or_default(),
                    pointing,
                    pointed,
                });
            }
        }
        let starting = child(e, NS_MRA, "TrustServiceEquivalenceStatusStartingTime").and_then(|d| self.datetime(d));
        TrustServiceEquivalenceInformation {
            legal_identifier,
            status: child_text(e, NS_MRA, "TrustServiceEquivalenceStatus"),
            status_starting_time: starting,
            type_equivalence: child(e, NS_MRA, "TrustServiceTSLTypeEquivalenceList").map(|t| {
                let side = |name: &str| -> Vec<String> {
                    child(t, NS_MRA, name)
                        .map(|s| {
                            s.descendants().filter(|d| is(*d, NS_TSL, "ServiceTypeIdentifier")).map(text).collect()
                        })
                        .unwrap_or_default()
                };
                (side("TrustServiceTSLTypeListPointingParty"), side("TrustServiceTSLTypeListPointedParty"))
            }),
            status_valid_equivalence: pair(
                status_list.and_then(|s| child(s, NS_MRA, "TrustServiceTSLStatusValidEquivalence")),
                "TrustServiceTSLStatusListPointingParty",
                "TrustServiceTSLStatusListPointedParty",
                NS_TSL,
                "ServiceStatus",
            ),
            status_invalid_equivalence: pair(
                status_list.and_then(|s| child(s, NS_MRA, "TrustServiceTSLStatusInvalidEquivalence")),
                "TrustServiceTSLStatusListPointingParty",
                "TrustServiceTSLStatusListPointedParty",
                NS_TSL,
                "ServiceStatus",
            ),
            qualifier_equivalences,
            content_equivalences,
            history_instances: 0,
            history: Vec::new(),
        }
    }

    fn provider(&mut self, n: Node<'_, '_>) -> TrustServiceProvider {
        let info = child(n, NS_TSL, "TSPInformation");
        let services = child(n, NS_TSL, "TSPServices")
            .map(|s| children(s, NS_TSL, "TSPService").map(|svc| self.service(svc)).collect())
            .unwrap_or_default();
        TrustServiceProvider {
            name: names(info.and_then(|i| child(i, NS_TSL, "TSPName"))),
            trade_name: names(info.and_then(|i| child(i, NS_TSL, "TSPTradeName"))),
            information_uri: uris(info.and_then(|i| child(i, NS_TSL, "TSPInformationURI"))),
            electronic_address: electronic_address(info.and_then(|i| child(i, NS_TSL, "TSPAddress"))),
            services,
        }
    }

    fn service(&mut self, n: Node<'_, '_>) -> TspService {
        let current = match child(n, NS_TSL, "ServiceInformation") {
            Some(si) => self.service_info(si),
            None => self.service_info(n),
        };
        let mut history = Vec::new();
        if let Some(h) = child(n, NS_TSL, "ServiceHistory") {
            for inst in children(h, NS_TSL, "ServiceHistoryInstance") {
                history.push(self.service_info(inst));
            }
            let mut prev = current.status_starting_time.unix;
            for inst in &history {
                if inst.status_starting_time.unix > prev {
                    self.quirk(
                        &f::QUIRK_HISTORY_ORDER,
                        format!(
                            "history instance starting {} is newer than the entry before it",
                            inst.status_starting_time.text
                        ),
                        h,
                    );
                    break;
                }
                prev = inst.status_starting_time.unix;
            }
        }
        TspService { current, history }
    }

    fn service_info(&mut self, n: Node<'_, '_>) -> ServiceInformation {
        let status = child_text(n, NS_TSL, "ServiceStatus").unwrap_or_default();
        if !status_name(&status).is_some_and(|s| KNOWN_STATUSES.contains(&s)) {
            self.quirk(&f::QUIRK_UNKNOWN_STATUS, format!("ServiceStatus {status:?} is not a TS 119 612 status"), n);
        }
        let sst_node = child(n, NS_TSL, "StatusStartingTime");
        let status_starting_time = match sst_node.and_then(|s| self.datetime(s)) {
            Some(d) => d,
            None => {
                self.quirk(
                    &f::QUIRK_BAD_VALUE,
                    "StatusStartingTime missing or unreadable; the entry is treated as starting at the Unix epoch"
                        .into(),
                    n,
                );
                DateTime { text: String::new(), unix: 0 }
            }
        };
        ServiceInformation {
            type_identifier: child_text(n, NS_TSL, "ServiceTypeIdentifier").unwrap_or_default(),
            name: names(child(n, NS_TSL, "ServiceName")),
            digital_identity: child(n, NS_TSL, "ServiceDigitalIdentity")
                .map(|d| self.digital_identity_single(d))
                .unwrap_or_default(),
            status,
            status_starting_time,
            scheme_service_definition_uri: uris(child(n, NS_TSL, "SchemeServiceDefinitionURI")),
            supply_points: child(n, NS_TSL, "ServiceSupplyPoints")
                .map(|s| children(s, NS_TSL, "ServiceSupplyPoint").map(text).collect())
                .unwrap_or_default(),
            tsp_service_definition_uri: uris(child(n, NS_TSL, "TSPServiceDefinitionURI")),
            extensions: child(n, NS_TSL, "ServiceInformationExtensions")
                .map(|e| self.extensions(e))
                .unwrap_or_default(),
            mra_content_equivalences: Vec::new(),
        }
    }

    /// A `ServiceDigitalIdentity` element itself holds `DigitalId` children.
    fn digital_identity_single(&mut self, sdi: Node<'_, '_>) -> DigitalIdentity {
        self.digital_identity(sdi)
    }

    fn extensions(&mut self, n: Node<'_, '_>) -> Extensions {
        let mut ext = Extensions::default();
        for e in children(n, NS_TSL, "Extension") {
            let critical = e.attribute("Critical").is_some_and(|c| c == "true" || c == "1");
            for c in e.children().filter(|c| c.is_element()) {
                match (c.tag_name().namespace(), c.tag_name().name()) {
                    (Some(NS_ECC), "Qualifications") => {
                        for q in children(c, NS_ECC, "QualificationElement") {
                            if let Some(el) = self.qualification(q) {
                                ext.qualifications.push(el);
                            }
                        }
                    }
                    (Some(NS_TSL), "AdditionalServiceInformation") => {
                        ext.additional_service_information.push(AdditionalServiceInformation {
                            uri: child_text(c, NS_TSL, "URI").unwrap_or_default(),
                            critical,
                        });
                    }
                    (Some(NS_ADD), "TakenOverBy") => {
                        ext.taken_over_by = Some(TakenOverBy {
                            uri: children(c, NS_ADD, "URI").map(lang_string).collect(),
                            tsp_name: names(child(c, NS_ADD, "TSPName")),
                            scheme_operator_name: names(child(c, NS_TSL, "SchemeOperatorName")),
                            scheme_territory: child_text(c, NS_TSL, "SchemeTerritory"),
                        });
                    }
                    (Some(NS_TSL), "ExpiredCertsRevocationInfo") => {
                        ext.expired_certs_revocation_info = self.datetime(c);
                    }
                    (ns, name) => {
                        if critical {
                            self.quirk(
                                &f::QUIRK_UNKNOWN_CRITICAL_EXT,
                                format!("critical extension {{{}}}{name} is not understood", ns.unwrap_or("")),
                                c,
                            );
                        }
                        ext.unknown.push(UnknownExtension {
                            namespace: ns.unwrap_or("").to_string(),
                            name: name.to_string(),
                            critical,
                        });
                    }
                }
            }
        }
        ext
    }

    fn qualification(&mut self, q: Node<'_, '_>) -> Option<QualificationElement> {
        let mut qualifiers = Vec::new();
        if let Some(qs) = child(q, NS_ECC, "Qualifiers") {
            for qual in children(qs, NS_ECC, "Qualifier") {
                let uri = qual.attribute("uri").map(str::to_string).unwrap_or_else(|| text(qual));
                if qualifier_name(&uri).is_none() {
                    self.quirk(
                        &f::QUIRK_QUALIFIER_NOT_URI,
                        format!("Qualifier {uri:?} is not a TS 119 612 qualifier URI; it has no effect"),
                        qual,
                    );
                }
                qualifiers.push(uri);
            }
        }
        let criteria = match child(q, NS_ECC, "CriteriaList") {
            Some(cl) => self.criteria(cl, 0),
            None => CriteriaList::unevaluable("missing CriteriaList".into()),
        };
        Some(QualificationElement { qualifiers, criteria })
    }

    fn oid_list(&mut self, container: Node<'_, '_>, item_ns: &str, item: &str) -> Vec<String> {
        let mut out = Vec::new();
        for it in children(container, item_ns, item) {
            let Some(idn) = child(it, NS_XADES, "Identifier") else { continue };
            let value = text(idn);
            match identifier_oid(&value, idn.attribute("Qualifier")) {
                Ok((oid, quirk)) => {
                    if quirk {
                        self.quirk(
                            &f::QUIRK_BARE_OID,
                            format!(
                                "Identifier {value:?} (Qualifier {:?}) is a bare OID; read as {oid}",
                                idn.attribute("Qualifier").unwrap_or("none")
                            ),
                            idn,
                        );
                    }
                    out.push(oid);
                }
                Err(()) => {
                    self.quirk(
                        &f::QUIRK_URI_AS_POLICY,
                        format!("Identifier {value:?} is not an OID; this criterion cannot match"),
                        idn,
                    );
                    // Keep the raw value so that the criterion is never met by accident.
                    out.push(format!("!{value}"));
                }
            }
        }
        out
    }

    /// `mra:QcStatementSet` (EU MRA schema v2, `QcStatementListType`): each `QcStatement` has a
    /// `QcStatementId` (an ObjectIdentifierType) and optionally a `QcStatementInfo` holding a
    /// `QcType` (ObjectIdentifierType) or a `QcCClegislation` (a country code).
    fn qc_statement_set(&mut self, set: Node<'_, '_>) -> Vec<QcStatementCriterion> {
        let mut out = Vec::new();
        for st in children(set, NS_MRA, "QcStatement") {
            let oid_of = |p: &mut Self, holder: Node<'_, '_>| -> Option<String> {
                let idn = child(holder, NS_XADES, "Identifier")?;
                let value = text(idn);
                match identifier_oid(&value, idn.attribute("Qualifier")) {
                    Ok((oid, _)) => Some(oid),
                    Err(()) => {
                        p.quirk(
                            &f::QUIRK_URI_AS_POLICY,
                            format!("Identifier {value:?} is not an OID; this criterion cannot match"),
                            idn,
                        );
                        Some(format!("!{value}"))
                    }
                }
            };
            let Some(id) = child(st, NS_MRA, "QcStatementId").and_then(|n| oid_of(self, n)) else {
                self.quirk(&f::QUIRK_BAD_VALUE, "QcStatement without a readable QcStatementId; skipped".into(), st);
                continue;
            };
            let info = child(st, NS_MRA, "QcStatementInfo");
            let qc_type = info.and_then(|i| child(i, NS_MRA, "QcType")).and_then(|n| oid_of(self, n));
            let qc_cc_legislation = info.and_then(|i| child_text(i, NS_MRA, "QcCClegislation"));
            out.push(QcStatementCriterion { id, qc_type, qc_cc_legislation });
        }
        out
    }

    fn criteria(&mut self, cl: Node<'_, '_>, depth: usize) -> CriteriaList {
        let assert = match cl.attribute("assert") {
            Some("all") => Assert::All,
            Some("none") => Assert::None,
            _ => Assert::AtLeastOne,
        };
        let mut out = CriteriaList::empty(assert);
        if cl.attribute("assert").is_none() {
            // The schema makes `assert` optional with no default; DSS reads a missing one as
            // atLeastOne. Report it.
            self.quirk(&f::QUIRK_BAD_VALUE, "CriteriaList has no assert attribute; read as atLeastOne".into(), cl);
        }
        let mut items: Vec<Node<'_, '_>> = cl.children().filter(|c| c.is_element()).collect();
        // otherCriteriaList content is read as if it were inline.
        let mut i = 0;
        while let Some(c) = items.get(i).copied() {
            i += 1;
            match (c.tag_name().namespace(), c.tag_name().name()) {
                (Some(NS_ECC), "KeyUsage") => {
                    let bits = children(c, NS_ECC, "KeyUsageBit")
                        .map(|b| (b.attribute("name").unwrap_or("").to_string(), text(b) == "true" || text(b) == "1"))
                        .collect();
                    out.key_usage.push(bits);
                }
                (Some(NS_ECC), "PolicySet") => {
                    let set = self.oid_list(c, NS_ECC, "PolicyIdentifier");
                    out.policy_sets.push(set);
                }
                (Some(NS_ECC), "CriteriaList") => {
                    if depth + 1 >= limits::MAX_CRITERIA_NESTING {
                        out.unsupported.push("CriteriaList nested too deep".into());
                    } else {
                        out.nested.push(self.criteria(c, depth + 1));
                    }
                }
                (Some(NS_ECC), "Description") => out.description = Some(text(c)),
                (Some(NS_ECC), "otherCriteriaList") => {
                    items.extend(c.children().filter(|x| x.is_element()));
                }
                (Some(NS_ADD), "ExtendedKeyUsage") => {
                    let set = self.oid_list(c, NS_ADD, "KeyPurposeId");
                    out.extended_key_usage.push(set);
                }
                (Some(NS_MRA), "QcStatementSet") => {
                    let set = self.qc_statement_set(c);
                    out.qc_statement_sets.push(set);
                }
                (Some(NS_ADD), "CertSubjectDNAttribute") => {
                    let set = self.oid_list(c, NS_ADD, "AttributeOID");
                    out.cert_subject_dn_attributes.push(set);
                }
                (ns, name) => out.unsupported.push(format!("{{{}}}{name}", ns.unwrap_or(""))),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert_eq!(
            identifier_oid("urn:oid:0.4.0.194112.1.2", Some("OIDAsURN")),
            Ok(("0.4.0.194112.1.2".into(), false))
        );
        assert_eq!(identifier_oid("0.4.0.194112.1.2", None), Ok(("0.4.0.194112.1.2".into(), true)));
        assert_eq!(
            identifier_oid("1.3.6.1.4.1.22144.3.1", Some("OIDAsURI")),
            Ok(("1.3.6.1.4.1.22144.3.1".into(), true))
        );
        assert!(identifier_oid("http://uri.etsi.org/TrstSvc/Svctype/CA/QC", None).is_err());
        assert!(identifier_oid("urn:oid:abc", Some("OIDAsURN")).is_err());
    }

    #[test]
    fn certificate_envelopes() {
        // SEQUENCE { SEQUENCE {}, SEQUENCE {}, BIT STRING 00 }
        let ok = [0x30, 0x07, 0x30, 0x00, 0x30, 0x00, 0x03, 0x01, 0x00];
        assert!(certificate_envelope_ok(&ok));
        assert!(!certificate_envelope_ok(&ok[..8]));
        let mut trailing = ok.to_vec();
        trailing.push(0);
        assert!(!certificate_envelope_ok(&trailing));
        assert!(!certificate_envelope_ok(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]));
        assert!(!certificate_envelope_ok(b"not a certificate"));
        assert!(!certificate_envelope_ok(&[]));
    }

    #[test]
    fn datetimes() {
        assert_eq!(parse_datetime("2016-07-01T00:00:00Z"), Some((1_467_331_200, false)));
        assert_eq!(parse_datetime("2016-07-01T02:00:00+02:00"), Some((1_467_331_200, false)));
        assert_eq!(parse_datetime("2016-07-01T00:00:00"), Some((1_467_331_200, true)));
        assert_eq!(parse_datetime("2016-07-01T00:00:00.123Z").map(|x| x.0), Some(1_467_331_200));
        assert_eq!(parse_datetime("yesterday"), None);
    }
}
