//! Namespaces and URIs of ETSI TS 119 612 (and the EU MRA schema) that the crate acts on.

/// TS 119 612 main namespace (`tsl`).
pub const NS_TSL: &str = "http://uri.etsi.org/02231/v2#";
/// TS 119 612 additional types (`tslx`): MimeType, TakenOverBy, ExtendedKeyUsage,
/// CertSubjectDNAttribute.
pub const NS_ADD: &str = "http://uri.etsi.org/02231/v2/additionaltypes#";
/// The Qualifications extension namespace (`ecc`), TS 119 612 Annex C.
pub const NS_ECC: &str = "http://uri.etsi.org/TrstSvc/SvcInfoExt/eSigDir-1999-93-EC-TrustedList/#";
/// XAdES 1.3.2 (ObjectIdentifierType of PolicyIdentifier).
pub const NS_XADES: &str = "http://uri.etsi.org/01903/v1.3.2#";
/// W3C XML Signature.
pub const NS_DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";
/// Exclusive XML Canonicalization 1.0 without comments (W3C, 18 July 2002).
pub const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
/// The enveloped-signature transform (XML-DSig §6.6.4).
pub const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
/// EU mutual recognition agreement schema v2.
pub const NS_MRA: &str = "http://ec.europa.eu/tools/lotl/mra/schema/v2#";

/// Service type of a CA issuing qualified certificates (TS 119 612 §5.5.1.1).
pub const SVC_CA_QC: &str = "http://uri.etsi.org/TrstSvc/Svctype/CA/QC";

const STATUS: &str = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/";
/// `granted` (TS 119 612 §5.5.4, eIDAS statuses).
pub const STATUS_GRANTED: &str = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted";

/// The status URI's last segment, when it is in the TS 119 612 status namespace.
pub fn status_name(uri: &str) -> Option<&str> {
    uri.strip_prefix(STATUS)
}

const QUALIFIER: &str = "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/";

/// The qualifier URI's last segment (`QCWithQSCD`, ...), when it is in the TS 119 612 namespace.
pub fn qualifier_name(uri: &str) -> Option<&str> {
    uri.strip_prefix(QUALIFIER)
}

const ASI: &str = "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/";

/// AdditionalServiceInformation for e-signatures / e-seals / website authentication
/// (TS 119 612 §5.5.9.4).
pub const ASI_FOR_ESIG: &str = "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForeSignatures";
pub const ASI_FOR_ESEAL: &str = "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForeSeals";
pub const ASI_FOR_WSA: &str = "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForWebSiteAuthentication";

/// Whether a URI is one of the known TS 119 612 SvcInfoExt URIs (qualifiers and ASIs share the
/// prefix).
pub fn is_svcinfoext(uri: &str) -> bool {
    uri.starts_with(ASI)
}

/// The date from which the eIDAS Regulation (EU) No 910/2014 applies (Art. 52: 1 July 2016):
/// before it, the Directive 1999/93/EC statuses and qualifiers apply (TS 119 615 §4.3).
pub const EIDAS_DATE_UNIX: i64 = 1_467_331_200; // 2016-07-01T00:00:00Z
