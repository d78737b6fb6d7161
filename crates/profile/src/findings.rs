//! The catalogue of every finding id the profile crate emits. Ids never change meaning once
//! shipped; severities are the defaults.

use report::{FindingDef, Severity};

macro_rules! defs {
    ($( $(#[$m:meta])* $name:ident = $id:literal, $sev:ident, $cite:literal, $sum:literal; )*) => {
        $( $(#[$m])* pub const $name: FindingDef =
            FindingDef { id: $id, severity: Severity::$sev, citation: $cite, summary: $sum }; )*
        /// Every finding id of this crate.
        pub static CATALOGUE: &[FindingDef] = &[ $( $name ),* ];
    };
}

defs! {
    // ---- input and type selection
    INPUT_MALFORMED = "lint.input.malformed", Fatal, "RFC 5280 §4.1; ITU-T X.690 §10",
        "The input is not a DER-encoded X.509 certificate.";
    INPUT_TRAILING_DATA = "lint.input.trailing-data", Error, "ITU-T X.690 §10",
        "Bytes follow the certificate's DER encoding.";
    INPUT_EXTRA_CERTIFICATES = "lint.input.extra-certificates", Info, "project convention",
        "The PEM input holds more than one certificate; only the first is linted.";
    TYPE_CLAIMED = "lint.type.claimed", Info, "issue 3 §4 (type never silently guessed)",
        "No --type was given; the type the certificate claims (policy OIDs, QcType) is used.";
    TYPE_UNDETERMINED = "lint.type.undetermined", Error, "issue 3 §4 (type never silently guessed)",
        "No --type was given and the certificate claims no type; only type-independent rules ran.";
    TYPE_CONFLICTING_CLAIMS = "lint.type.conflicting-claims", Error, "ETSI EN 319 411-2 §5.3; ETSI EN 319 412-5 §4.2.3",
        "The certificate's policy OIDs and QcType claim different certificate types.";
    TYPE_OVERRIDE_MISMATCH = "lint.type.override-mismatch", Warning, "issue 3 §5 (--type overrides)",
        "The --type given differs from the type the certificate claims.";

    // ---- RFC 5280 structure
    V3_REQUIRED = "rfc5280.version.not-v3", Error, "RFC 5280 §4.1.2.1",
        "Extensions are present, so the version must be v3.";
    SERIAL_TOO_LONG = "rfc5280.serial.too-long", Error, "RFC 5280 §4.1.2.2",
        "The serial number is longer than 20 octets.";
    SERIAL_NOT_POSITIVE = "rfc5280.serial.not-positive", Error, "RFC 5280 §4.1.2.2",
        "The serial number is zero or negative.";
    SIGNATURE_ALGORITHM_MISMATCH = "rfc5280.signature.algorithm-mismatch", Error, "RFC 5280 §4.1.1.2",
        "signatureAlgorithm differs from tbsCertificate.signature.";
    ISSUER_EMPTY = "rfc5280.issuer.empty", Error, "RFC 5280 §4.1.2.4",
        "The issuer name is empty.";
    SUBJECT_EMPTY = "rfc5280.subject.empty-without-critical-san", Error, "RFC 5280 §4.1.2.6",
        "The subject is empty and no critical subjectAltName carries the identity.";
    VALIDITY_UTCTIME_REQUIRED = "rfc5280.validity.utctime-required", Error, "RFC 5280 §4.1.2.5",
        "A validity date before 2050 is encoded as GeneralizedTime instead of UTCTime.";
    VALIDITY_TIME_FORMAT = "rfc5280.validity.time-format", Error, "RFC 5280 §4.1.2.5.1, §4.1.2.5.2",
        "A validity time is not in the YYMMDDHHMMSSZ / YYYYMMDDHHMMSSZ form.";
    VALIDITY_INVERTED = "rfc5280.validity.inverted", Error, "RFC 5280 §4.1.2.5",
        "notAfter is before notBefore.";
    EXTENSION_DUPLICATE = "rfc5280.extensions.duplicate", Error, "RFC 5280 §4.2",
        "An extension appears more than once.";
    EXTENSION_UNPARSEABLE = "rfc5280.extensions.malformed", Error, "RFC 5280 §4.2.1",
        "A standard extension's value does not decode.";
    AKI_MISSING = "rfc5280.aki.missing", Error, "RFC 5280 §4.2.1.1",
        "The authorityKeyIdentifier (with keyIdentifier) is missing from a certificate that is not self-signed.";
    AKI_CRITICAL = "rfc5280.aki.critical", Error, "RFC 5280 §4.2.1.1",
        "The authorityKeyIdentifier extension is marked critical.";
    SKI_MISSING = "rfc5280.ski.missing", Warning, "RFC 5280 §4.2.1.2",
        "The subjectKeyIdentifier extension is missing (SHOULD for end-entity certificates).";
    SKI_CRITICAL = "rfc5280.ski.critical", Error, "RFC 5280 §4.2.1.2",
        "The subjectKeyIdentifier extension is marked critical.";
    KEY_USAGE_NO_BITS = "rfc5280.key-usage.no-bits", Error, "RFC 5280 §4.2.1.3",
        "keyUsage is present with no bit set.";
    CA_ON_END_ENTITY = "rfc5280.basic-constraints.ca-on-end-entity", Error, "RFC 5280 §4.2.1.9; ETSI EN 319 412-2 §4.3.1",
        "An end-entity certificate type asserts cA=TRUE or keyCertSign.";
    KEY_USAGE_TRAILING_ZERO = "rfc5280.key-usage.der-trailing-zero-bits", Error, "ITU-T X.690 §11.2.2; RFC 5280 §4.1",
        "keyUsage (a named bit list) is not DER: trailing zero bits are encoded.";
    BASIC_CONSTRAINTS_DEFAULT = "rfc5280.basic-constraints.der-default-encoded", Error, "ITU-T X.690 §11.5; RFC 5280 §4.2.1.9",
        "basicConstraints is not DER: cA FALSE (the DEFAULT) is encoded explicitly.";
    POLICY_DUPLICATE = "rfc5280.certificate-policies.duplicate", Error, "RFC 5280 §4.2.1.4",
        "A policy OID appears more than once in certificatePolicies.";

    // ---- algorithms (profile data, ETSI TS 119 312)
    ALG_SIGNATURE_NOT_ALLOWED = "profile.algorithm.signature-not-allowed", Error, "profile [algorithms]; ETSI TS 119 312",
        "The certificate's signature algorithm is not allowed by the profile.";
    ALG_RSA_TOO_SMALL = "profile.algorithm.rsa-too-small", Error, "profile [algorithms].rsa_min_bits; ETSI TS 119 312",
        "The RSA modulus is shorter than the profile allows.";
    ALG_CURVE_NOT_ALLOWED = "profile.algorithm.curve-not-allowed", Error, "profile [algorithms].curves; ETSI TS 119 312",
        "The EC key's curve is not allowed by the profile.";
    ALG_KEY_TYPE_NOT_ALLOWED = "profile.algorithm.key-type-not-allowed", Error, "profile [algorithms]; ETSI TS 119 312",
        "The subject public key type is not allowed by the profile.";
    ALG_KEY_MALFORMED = "profile.algorithm.key-malformed", Error, "RFC 5280 §4.1.2.7",
        "The subject public key does not decode.";

    // ---- EN 319 412-2 / -3 / -4: subject and extensions
    NAT_SUBJECT_ATTRIBUTE_MISSING = "etsi.en319412-2.subject.attribute-missing", Error, "ETSI EN 319 412-2 §4.2.4 (NAT-4.2.4-1)",
        "A natural-person subject lacks countryName, commonName, or givenName/surname/pseudonym.";
    NAT_SUBJECT_PSEUDONYM_AND_NAME = "etsi.en319412-2.subject.pseudonym-and-name", Error, "ETSI EN 319 412-2 §4.2.4 (NAT-4.2.4-4)",
        "The subject carries both a pseudonym and givenName/surname.";
    SUBJECT_DUPLICATE_ATTRIBUTE = "etsi.en319412-2.subject.duplicate-attribute", Error, "ETSI EN 319 412-2 §4.2.4 (NAT-4.2.4-3); EN 319 412-3 §4.2.1",
        "A subject attribute that must be single-valued appears more than once.";
    LEG_SUBJECT_ATTRIBUTE_MISSING = "etsi.en319412-3.subject.attribute-missing", Error, "ETSI EN 319 412-3 §4.2.1 (LEG-4.2.1-2)",
        "A legal-person subject lacks countryName, organizationName, organizationIdentifier or commonName.";
    KEY_USAGE_MISSING = "etsi.en319412-2.key-usage.missing", Error, "ETSI EN 319 412-2 §4.3.2 (NAT-4.3.2-1); EN 319 412-3 §4.3.1",
        "The keyUsage extension is missing.";
    KEY_USAGE_UNKNOWN_SETTING = "etsi.en319412-2.key-usage.unknown-setting", Error, "ETSI EN 319 412-2 §4.3.2 Table 1 (NAT-4.3.2-1)",
        "keyUsage matches none of the settings A-F of Table 1.";
    KEY_USAGE_NOT_CONTENT_COMMITMENT = "etsi.en319412-2.key-usage.not-content-commitment", Error, "ETSI EN 319 412-2 §4.3.2 (NAT-4.3.2-2); EN 319 412-3 §4.3.1",
        "A signature or seal certificate's keyUsage is not one of the content-commitment settings A, B or F.";
    KEY_USAGE_NON_PREFERRED = "etsi.en319412-2.key-usage.non-preferred", Warning, "ETSI EN 319 412-2 §4.3.2 (NAT-4.3.2-3)",
        "Content-commitment setting B or F is used where A is recommended.";
    KEY_USAGE_AUTH = "etsi.en319412-2.key-usage.auth-setting", Error, "ETSI EN 319 412-2 §4.3.2 Table 1",
        "An authentication certificate lacks digitalSignature or asserts nonRepudiation (settings C or D expected).";
    POLICIES_MISSING = "etsi.en319412-2.certificate-policies.missing", Error, "ETSI EN 319 412-2 §4.3.3 (GEN-4.3.3-2)",
        "The certificatePolicies extension is missing.";
    POLICIES_CRITICAL = "etsi.en319412-2.certificate-policies.critical", Warning, "ETSI EN 319 412-2 §4.3.3 (GEN-4.3.3-1)",
        "certificatePolicies should not be critical.";
    SAN_CRITICAL = "etsi.en319412-2.san.critical", Error, "ETSI EN 319 412-2 §4.3.5 (GEN-4.3.5-1)",
        "subjectAltName is marked critical while the subject is not empty.";
    EKU_CRITICAL = "etsi.en319412-2.eku.critical", Error, "ETSI EN 319 412-2 §4.3.10 (GEN-4.3.10-1)",
        "extKeyUsage is marked critical.";
    CRLDP_CRITICAL = "etsi.en319412-2.crldp.critical", Error, "ETSI EN 319 412-2 §4.3.11 (GEN-4.3.11-5)",
        "cRLDistributionPoints is marked critical.";
    AIA_MISSING = "etsi.en319412-2.aia.missing", Warning, "ETSI EN 319 412-2 §4.4.1",
        "authorityInfoAccess is missing.";
    WEB_EKU_SERVER_AUTH = "etsi.en319412-4.eku.server-auth-missing", Error, "ETSI EN 319 412-4 §4.1; CA/B Forum BR §7.1.2.7.10",
        "A website certificate's extKeyUsage lacks id-kp-serverAuth.";
    WEB_SAN_DNS_MISSING = "etsi.en319412-4.san.dns-name-missing", Error, "ETSI EN 319 412-4 §4.1; CA/B Forum BR §7.1.2.7.12",
        "A website certificate has no subjectAltName dNSName.";
    WEB_KEY_USAGE = "etsi.en319412-4.key-usage.invalid", Error, "ETSI EN 319 412-4 §4.1; CA/B Forum BR §7.1.2.7.11",
        "A website certificate asserts nonRepudiation, keyCertSign or cRLSign, or lacks digitalSignature/keyEncipherment/keyAgreement.";
    WEB_SUBJECT_ATTRIBUTE_MISSING = "etsi.en319412-4.subject.attribute-missing", Error, "ETSI EN 319 412-4 §4.2; EN 319 411-2 QCP-w",
        "A QWAC subject lacks countryName, or both organizationName and givenName/surname.";

    // ---- EN 319 412-5 QCStatements
    QCS_MISSING = "etsi.en319412-5.qcs.missing", Error, "ETSI EN 319 412-5 §5 (QCS-5-01)",
        "A qualified certificate has no qcStatements extension.";
    QCS_CRITICAL = "etsi.en319412-5.qcs.critical", Error, "ETSI EN 319 412-5 §4.1 (QCS-4.1-02)",
        "The qcStatements extension is marked critical.";
    QCS_MALFORMED = "etsi.en319412-5.qcs.malformed", Error, "RFC 3739 §3.2.6; ETSI EN 319 412-5 §4",
        "The qcStatements extension does not decode (or exceeds the reader's limits).";
    QCS_DUPLICATE = "etsi.en319412-5.qcs.duplicate-statement", Error, "RFC 3739 §3.2.6; ETSI EN 319 412-5 §4",
        "A QCStatement appears more than once.";
    QCS_COMPLIANCE_MISSING = "etsi.en319412-5.qcs.compliance-missing", Error, "ETSI EN 319 412-5 §4.2.1, §5 (QCS-5-01)",
        "A qualified certificate lacks QcCompliance.";
    QCS_COMPLIANCE_UNEXPECTED = "etsi.en319412-5.qcs.compliance-on-non-qualified", Error, "ETSI EN 319 412-5 §4.2.1",
        "A non-qualified certificate type asserts QcCompliance.";
    QCS_QCTYPE_MISSING = "etsi.en319412-5.qcs.qctype-missing", Error, "ETSI EN 319 412-5 §4.2.3, §5 (QCS-5-01)",
        "A qualified certificate lacks QcType.";
    QCS_QCTYPE_MULTIPLE = "etsi.en319412-5.qcs.qctype-multiple", Error, "ETSI EN 319 412-5 §4.2.3; issue 3 §2 (exactly one QcType)",
        "QcType lists more than one type (or none).";
    QCS_QCTYPE_MISMATCH = "etsi.en319412-5.qcs.qctype-mismatch", Error, "ETSI EN 319 412-5 §4.2.3",
        "QcType does not match the certificate type (esign, eseal, web).";
    QCS_SSCD_INCONSISTENT = "etsi.en319412-5.qcs.sscd-inconsistent", Error, "ETSI EN 319 412-5 §4.2.2; EN 319 411-2 §5.3",
        "QcSSCD disagrees with the policy: missing under a -qscd policy, or present without one or on a QWAC.";
    QCS_PDS_MISSING = "etsi.en319412-5.qcs.pds-missing", Warning, "ETSI EN 319 412-5 §4.3.4",
        "A qualified certificate has no QcPDS.";
    QCS_PDS_NOT_HTTPS = "etsi.en319412-5.qcs.pds-not-https", Error, "ETSI EN 319 412-5 §4.3.4",
        "A PDS URL does not use https.";
    QCS_PDS_LANGUAGE = "etsi.en319412-5.qcs.pds-language-invalid", Error, "ETSI EN 319 412-5 §4.3.4; ISO 639-1",
        "A PDS language is not a two-letter ISO 639-1 code.";
    QCS_PDS_NO_ENGLISH = "etsi.en319412-5.qcs.pds-no-english", Warning, "ETSI EN 319 412-5 §4.3.4",
        "No PDS is given in English.";
    QCS_CC_LEGISLATION_EU = "etsi.en319412-5.qcs.cc-legislation-present-eu", Error, "ETSI EN 319 412-5 §4.2.4, §5 (QCS-5-01 Table 2)",
        "An EU qualified certificate carries QcCClegislation.";
    QCS_CC_LEGISLATION_MISSING = "etsi.en319412-5.qcs.cc-legislation-missing", Error, "ETSI EN 319 412-5 §4.2.1, §4.2.4",
        "A non-EU qualified certificate lacks QcCClegislation naming its legislation.";
    QCS_CC_LEGISLATION_COUNTRY = "etsi.en319412-5.qcs.cc-legislation-country", Error, "ETSI EN 319 412-5 §4.2.4; profile country",
        "QcCClegislation is empty, malformed, or does not name the profile's country.";
    QCS_RETENTION = "etsi.en319412-5.qcs.retention-not-positive", Error, "ETSI EN 319 412-5 §4.3.3",
        "QcRetentionPeriod is not a positive number of years.";
    QCS_SEMANTICS_MISMATCH = "etsi.en319412-1.semantics.id-mismatch", Error, "ETSI EN 319 412-1 §5.1.3, §5.1.4",
        "The semantics identifier is for a legal person on a natural-person type, or vice versa.";

    // ---- EN 319 412-1 identifiers
    /// EN 319 412-1 §5.1.3: the natural-person semantics identifier gives serialNumber its
    /// meaning; declared without a serialNumber it identifies nobody, and a relying party cannot
    /// derive the eIDAS PersonIdentifier from the certificate. The standard says "any present
    /// serialNumber", so this is a warning, not an error.
    SEMANTICS_NATURAL_NO_SERIAL = "etsi.en319412-1.semantics.natural-without-serial-number", Warning, "ETSI EN 319 412-1 §5.1.3",
        "The certificate declares id-etsi-qcs-semanticsId-Natural but its subject has no serialNumber.";
    SERIAL_NUMBER_FORMAT = "etsi.en319412-1.semantics.serial-number-format", Error, "ETSI EN 319 412-1 §5.1.3",
        "serialNumber does not follow the XXXYY-value or XX:value syntax.";
    SERIAL_NUMBER_TYPE = "etsi.en319412-1.semantics.serial-number-type", Error, "ETSI EN 319 412-1 §5.1.3",
        "serialNumber uses a type reference other than PAS, IDC, PNO, TAX or TIN.";
    SERIAL_NUMBER_TAX = "etsi.en319412-1.semantics.serial-number-deprecated-tax", Warning, "ETSI EN 319 412-1 §5.1.3",
        "serialNumber uses the deprecated TAX type reference (use TIN).";
    NATIONAL_SCHEME = "etsi.en319412-1.semantics.national-scheme", Notice, "ETSI EN 319 412-1 §5.1.3 c), §5.1.4 c)",
        "The identifier uses a national XX: scheme, which the linter does not interpret.";
    ORG_ID_FORMAT = "etsi.en319412-1.semantics.org-id-format", Error, "ETSI EN 319 412-1 §5.1.4",
        "organizationIdentifier does not follow the XXXYY-value or XX:value syntax.";
    ORG_ID_TYPE = "etsi.en319412-1.semantics.org-id-type", Error, "ETSI EN 319 412-1 §5.1.4",
        "organizationIdentifier uses a type reference other than VAT, NTR, PSD or LEI.";
    LEI_INVALID = "etsi.en319412-1.semantics.lei-invalid", Error, "ETSI EN 319 412-1 §5.1.4; ISO 17442",
        "An LEI identifier is not XG-scoped or fails its ISO 17442 check digits.";

    // ---- EN 319 411-1 / -2 policies
    QCP_MISSING = "etsi.en319411-2.policy.qcp-missing", Error, "ETSI EN 319 411-2 §5.3",
        "A qualified certificate carries neither the type's QCP OID nor a national policy OID for the type.";
    QCP_MISMATCH = "etsi.en319411-2.policy.qcp-mismatch", Error, "ETSI EN 319 411-2 §5.3",
        "The certificate carries a QCP OID of another certificate type.";
    NCP_MISSING = "etsi.en319411-1.policy.ncp-missing", Notice, "ETSI EN 319 411-1 §5.3",
        "A non-qualified certificate carries no NCP/NCP+/LCP OID and no national policy OID for its type.";
    QCP_ON_NON_QUALIFIED = "etsi.en319411-2.policy.qcp-on-non-qualified", Error, "ETSI EN 319 411-2 §5.3",
        "A non-qualified certificate type carries a qualified (QCP) policy OID.";

    // ---- national rules from the profile
    IDENTIFIER_COUNTRY = "profile.identifier.country-mismatch", Error, "issue 3 §3; profile [identifiers].countries",
        "The identifier's country code does not belong to the profile's state.";
    IDENTIFIER_NATIONAL_MISSING = "profile.identifier.national-missing", Error, "profile [types.*].require_national_identifier",
        "The type requires a national identifier and none was found.";
    PROFILE_ATTRIBUTE_MISSING = "profile.subject.attribute-missing", Error, "profile [types.*].required_subject_attributes",
        "A subject attribute the profile requires for this type is missing.";
    NATIONAL_ID_GENERIC = "profile.national-id.invalid", Error, "profile [[identifiers.national]]",
        "A national identifier fails its format or check digit (scheme without a dedicated id).";
    RS_JMBG_CHECK = "rs.jmbg.check-digit", Error, "JMBG mod-11 rule (Serbia); profile rs",
        "The JMBG check digit is wrong.";
    RS_JMBG_REM1 = "rs.jmbg.remainder-one", Error, "JMBG mod-11 rule, strict reading; profile rs remainder_one",
        "The JMBG weighted sum has remainder 1, rejected under the strict reading.";
    RS_JMBG_FORMAT = "rs.jmbg.format", Error, "JMBG structure DDMMYYYRRBBBK; profile rs",
        "The JMBG is not 13 digits encoding a valid date.";
    ME_JMBG_CHECK = "me.jmbg.check-digit", Error, "JMBG mod-11 rule (Montenegro); profile me",
        "The JMBG check digit is wrong.";
    ME_JMBG_REM1 = "me.jmbg.remainder-one", Error, "JMBG mod-11 rule, strict reading; profile me remainder_one",
        "The JMBG weighted sum has remainder 1, rejected under the strict reading.";
    ME_JMBG_FORMAT = "me.jmbg.format", Error, "JMBG structure DDMMYYYRRBBBK; profile me",
        "The JMBG is not 13 digits encoding a valid date.";
    BA_JMBG_CHECK = "ba.jmbg.check-digit", Error, "JMBG mod-11 rule (Bosnia and Herzegovina); profile ba",
        "The JMBG check digit is wrong.";
    BA_JMBG_REM1 = "ba.jmbg.remainder-one", Error, "JMBG mod-11 rule, strict reading; profile ba remainder_one",
        "The JMBG weighted sum has remainder 1, rejected under the strict reading.";
    BA_JMBG_FORMAT = "ba.jmbg.format", Error, "JMBG structure DDMMYYYRRBBBK; profile ba",
        "The JMBG is not 13 digits encoding a valid date.";
    MK_EMBG_CHECK = "mk.embg.check-digit", Error, "EMBG mod-11 rule (North Macedonia); profile mk",
        "The EMBG check digit is wrong.";
    MK_EMBG_REM1 = "mk.embg.remainder-one", Error, "EMBG mod-11 rule, strict reading; profile mk remainder_one",
        "The EMBG weighted sum has remainder 1, rejected under the strict reading.";
    MK_EMBG_FORMAT = "mk.embg.format", Error, "EMBG structure DDMMYYYRRBBBK; profile mk",
        "The EMBG is not 13 digits encoding a valid date.";
    SI_EMSO_CHECK = "si.emso.check-digit", Error, "EMŠO mod-11 rule (Slovenia); profile si",
        "The EMŠO check digit is wrong.";
    SI_EMSO_REM1 = "si.emso.remainder-one", Error, "EMŠO mod-11 rule, strict reading; profile si remainder_one",
        "The EMŠO weighted sum has remainder 1, rejected under the strict reading.";
    SI_EMSO_FORMAT = "si.emso.format", Error, "EMŠO structure DDMMYYYRRBBBK; profile si",
        "The EMŠO is not 13 digits encoding a valid date.";
    HR_OIB_CHECK = "hr.oib.check-digit", Error, "OIB, ISO 7064 MOD 11,10 (Croatia); profile hr",
        "The OIB check digit is wrong.";
    HR_OIB_FORMAT = "hr.oib.format", Error, "OIB structure: 11 digits; profile hr",
        "The OIB is not 11 digits.";
    BG_EGN_CHECK = "bg.egn.check-digit", Error, "EGN weighted mod-11 rule (Bulgaria); profile bg",
        "The EGN check digit is wrong.";
    BG_EGN_FORMAT = "bg.egn.format", Error, "EGN structure YYMMDDSSSC; profile bg",
        "The EGN is not 10 digits encoding a valid date.";
    RO_CNP_CHECK = "ro.cnp.check-digit", Error, "CNP weighted mod-11 rule (Romania); profile ro",
        "The CNP check digit is wrong.";
    RO_CNP_FORMAT = "ro.cnp.format", Error, "CNP structure SYYMMDDJJNNNC; profile ro",
        "The CNP is not 13 digits encoding a valid date.";
}

/// The dedicated national-identifier finding for (profile country, scheme, kind), where kind is
/// `check`, `rem1` or `format`. Falls back to [`NATIONAL_ID_GENERIC`].
pub fn national_id_def(country: &str, scheme: crate::ident::NationalScheme, kind: &str) -> &'static FindingDef {
    use crate::ident::NationalScheme::*;
    let d: Option<&'static FindingDef> = match (country, scheme, kind) {
        ("RS", Jmbg, "check") => Some(&RS_JMBG_CHECK),
        ("RS", Jmbg, "rem1") => Some(&RS_JMBG_REM1),
        ("RS", Jmbg, "format") => Some(&RS_JMBG_FORMAT),
        ("ME", Jmbg, "check") => Some(&ME_JMBG_CHECK),
        ("ME", Jmbg, "rem1") => Some(&ME_JMBG_REM1),
        ("ME", Jmbg, "format") => Some(&ME_JMBG_FORMAT),
        ("BA", Jmbg, "check") => Some(&BA_JMBG_CHECK),
        ("BA", Jmbg, "rem1") => Some(&BA_JMBG_REM1),
        ("BA", Jmbg, "format") => Some(&BA_JMBG_FORMAT),
        ("MK", Jmbg, "check") => Some(&MK_EMBG_CHECK),
        ("MK", Jmbg, "rem1") => Some(&MK_EMBG_REM1),
        ("MK", Jmbg, "format") => Some(&MK_EMBG_FORMAT),
        ("SI", Jmbg, "check") => Some(&SI_EMSO_CHECK),
        ("SI", Jmbg, "rem1") => Some(&SI_EMSO_REM1),
        ("SI", Jmbg, "format") => Some(&SI_EMSO_FORMAT),
        ("HR", Oib, "check") => Some(&HR_OIB_CHECK),
        ("HR", Oib, _) => Some(&HR_OIB_FORMAT),
        ("BG", Egn, "check") => Some(&BG_EGN_CHECK),
        ("BG", Egn, _) => Some(&BG_EGN_FORMAT),
        ("RO", Cnp, "check") => Some(&RO_CNP_CHECK),
        ("RO", Cnp, _) => Some(&RO_CNP_FORMAT),
        _ => None,
    };
    d.unwrap_or(&NATIONAL_ID_GENERIC)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut ids: Vec<&str> = CATALOGUE.iter().map(|d| d.id).collect();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate finding id");
        for d in CATALOGUE {
            assert!(d.id.split('.').count() >= 3, "{}", d.id);
            assert!(
                d.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-'),
                "{}",
                d.id
            );
            assert!(!d.citation.is_empty() && !d.summary.is_empty());
        }
    }
}
