//! Object identifiers the linter knows, in dotted form, each with its source.

// RFC 5280 §4.2.1 extensions
pub const EXT_SUBJECT_KEY_ID: &str = "2.5.29.14";
pub const EXT_KEY_USAGE: &str = "2.5.29.15";
pub const EXT_SUBJECT_ALT_NAME: &str = "2.5.29.17";
pub const EXT_BASIC_CONSTRAINTS: &str = "2.5.29.19";
pub const EXT_CRL_DISTRIBUTION_POINTS: &str = "2.5.29.31";
pub const EXT_CERTIFICATE_POLICIES: &str = "2.5.29.32";
pub const EXT_AUTHORITY_KEY_ID: &str = "2.5.29.35";
pub const EXT_EXTENDED_KEY_USAGE: &str = "2.5.29.37";
pub const EXT_AUTHORITY_INFO_ACCESS: &str = "1.3.6.1.5.5.7.1.1";
/// RFC 3739 §3.2.6 qcStatements.
pub const EXT_QC_STATEMENTS: &str = "1.3.6.1.5.5.7.1.3";

// X.520 attribute types
pub const AT_COMMON_NAME: &str = "2.5.4.3";
pub const AT_SURNAME: &str = "2.5.4.4";
pub const AT_SERIAL_NUMBER: &str = "2.5.4.5";
pub const AT_COUNTRY: &str = "2.5.4.6";
pub const AT_ORGANIZATION: &str = "2.5.4.10";
pub const AT_GIVEN_NAME: &str = "2.5.4.42";
pub const AT_PSEUDONYM: &str = "2.5.4.65";
pub const AT_ORGANIZATION_IDENTIFIER: &str = "2.5.4.97";

// RFC 5280 §4.2.1.12 / RFC 3280 key purposes
pub const KP_SERVER_AUTH: &str = "1.3.6.1.5.5.7.3.1";
pub const KP_CLIENT_AUTH: &str = "1.3.6.1.5.5.7.3.2";

// ETSI EN 319 412-5 §4 (QCStatements) and RFC 3739 §3.2.6.1
pub const QCS_COMPLIANCE: &str = "0.4.0.1862.1.1";
pub const QCS_LIMIT_VALUE: &str = "0.4.0.1862.1.2";
pub const QCS_RETENTION_PERIOD: &str = "0.4.0.1862.1.3";
pub const QCS_SSCD: &str = "0.4.0.1862.1.4";
pub const QCS_PDS: &str = "0.4.0.1862.1.5";
pub const QCS_TYPE: &str = "0.4.0.1862.1.6";
pub const QCT_ESIGN: &str = "0.4.0.1862.1.6.1";
pub const QCT_ESEAL: &str = "0.4.0.1862.1.6.2";
pub const QCT_WEB: &str = "0.4.0.1862.1.6.3";
pub const QCS_CC_LEGISLATION: &str = "0.4.0.1862.1.7";
/// RFC 3739 §3.2.6.1 id-qcs-pkixQCSyntax-v2 (carries SemanticsInformation).
pub const QCS_PKIX_SYNTAX_V2: &str = "1.3.6.1.5.5.7.11.2";
/// ETSI EN 319 412-1 §5.1.3 / §5.1.4 semantics identifiers.
pub const SEMANTICS_NATURAL: &str = "0.4.0.194121.1.1";
pub const SEMANTICS_LEGAL: &str = "0.4.0.194121.1.2";
/// ETSI EN 319 412-1 §5.1.5 / §5.1.6 eIDAS semantics identifiers.
pub const SEMANTICS_EIDAS_NATURAL: &str = "0.4.0.194121.1.3";
pub const SEMANTICS_EIDAS_LEGAL: &str = "0.4.0.194121.1.4";

// ETSI EN 319 411-2 §5.3 qualified certificate policies
pub const QCP_NATURAL: &str = "0.4.0.194112.1.0";
pub const QCP_LEGAL: &str = "0.4.0.194112.1.1";
pub const QCP_NATURAL_QSCD: &str = "0.4.0.194112.1.2";
pub const QCP_LEGAL_QSCD: &str = "0.4.0.194112.1.3";
pub const QCP_WEB: &str = "0.4.0.194112.1.4";
pub const QNCP_WEB: &str = "0.4.0.194112.1.5";
pub const QNCP_WEB_GEN: &str = "0.4.0.194112.1.6";

// ETSI EN 319 411-1 §5.3 certificate policies
pub const NCP: &str = "0.4.0.2042.1.1";
pub const NCP_PLUS: &str = "0.4.0.2042.1.2";
pub const LCP: &str = "0.4.0.2042.1.3";
pub const EVCP: &str = "0.4.0.2042.1.4";
pub const DVCP: &str = "0.4.0.2042.1.6";
pub const OVCP: &str = "0.4.0.2042.1.7";
pub const IVCP: &str = "0.4.0.2042.1.8";

// Algorithms: RFC 8017 (RSA), RFC 5480 / RFC 5758 (ECDSA), RFC 8410 (EdDSA), RFC 5639 (Brainpool)
pub const ALG_RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
pub const ALG_EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
pub const ALG_ED25519: &str = "1.3.101.112";
pub const ALG_ED448: &str = "1.3.101.113";

/// Signature algorithm OID → the name used in profiles.
pub fn signature_algorithm_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
        "1.2.840.113549.1.1.10" => "rsassa-pss",
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1",
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512",
        "1.3.101.112" => "Ed25519",
        "1.3.101.113" => "Ed448",
        _ => return None,
    })
}

/// Named curve OID → the name used in profiles.
pub fn curve_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "1.2.840.10045.3.1.7" => "P-256",
        "1.3.132.0.34" => "P-384",
        "1.3.132.0.35" => "P-521",
        "1.3.36.3.3.2.8.1.1.7" => "brainpoolP256r1",
        "1.3.36.3.3.2.8.1.1.11" => "brainpoolP384r1",
        "1.3.36.3.3.2.8.1.1.13" => "brainpoolP512r1",
        _ => return None,
    })
}

/// Every signature algorithm name a profile may list.
pub const SIGNATURE_ALGORITHM_NAMES: &[&str] = &[
    "sha1WithRSAEncryption",
    "sha256WithRSAEncryption",
    "sha384WithRSAEncryption",
    "sha512WithRSAEncryption",
    "rsassa-pss",
    "ecdsa-with-SHA1",
    "ecdsa-with-SHA256",
    "ecdsa-with-SHA384",
    "ecdsa-with-SHA512",
    "Ed25519",
    "Ed448",
];

/// Every curve name a profile may list.
pub const CURVE_NAMES: &[&str] = &["P-256", "P-384", "P-521", "brainpoolP256r1", "brainpoolP384r1", "brainpoolP512r1"];
