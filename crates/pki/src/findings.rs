//! The finding ids of path validation, each with its severity and citation.
//!
//! Ids are stable: once shipped, an id keeps its meaning. `eidtrust findings` lists
//! [`CATALOGUE`].

use report::{FindingDef, Severity};

macro_rules! defs {
    ($($name:ident = $id:literal, $sev:ident, $cite:literal, $summary:literal;)*) => {
        $(
            #[doc = concat!("`", $id, "` — ", $summary, " (", $cite, ")")]
            pub const $name: FindingDef = FindingDef {
                id: $id,
                severity: Severity::$sev,
                citation: $cite,
                summary: $summary,
            };
        )*
        /// The ids defined in this module (the module catalogues of name constraints, policies,
        /// hostnames and CRLs are added by [`CATALOGUE`]).
        pub const CORE: &[FindingDef] = &[$($name),*];
    };
}

defs! {
    MALFORMED = "rfc5280.format.malformed", Fatal, "RFC 5280 §4.1; X.690 §10",
        "A certificate in the input does not parse as a DER X.509 certificate.";
    NO_CHAIN = "rfc5280.path.no-issuer", Error, "RFC 5280 §6.1; RFC 4158 §2",
        "No certificate path from the leaf to a trust anchor could be built.";
    PATH_TOO_LONG = "rfc5280.path.too-long", Error, "RFC 5280 §6.1.4 (l); caller limit",
        "The path would exceed the maximum depth allowed by the caller.";
    BUDGET = "rfc5280.path.budget-exhausted", Error, "RFC 4158 §5; rustls-webpki budgets",
        "Path building stopped: a work budget (signatures, steps, comparisons) ran out.";
    CYCLE = "rfc5280.path.cycle", Info, "RFC 4158 §5.2",
        "A candidate issuer was skipped because it already appears in the path.";
    SIGNATURE_INVALID = "rfc5280.signature.invalid", Error, "RFC 5280 §6.1.3 (a)(1)",
        "The certificate's signature does not verify with its issuer's public key.";
    SIGNATURE_UNSUPPORTED = "rfc5280.signature.unsupported-algorithm", Error, "RFC 5280 §4.1.1.2",
        "The signature algorithm is not supported or its parameters are not allowed.";
    SIGNATURE_SHA1 = "rfc5280.signature.sha1-rejected", Error, "NIST SP 800-131A Rev. 2 §9; ETSI TS 119 312 §6",
        "SHA-1 signatures are rejected unless the caller allows them.";
    SIG_ALG_MISMATCH = "rfc5280.signature.algorithm-mismatch", Error, "RFC 5280 §4.1.1.2",
        "signatureAlgorithm differs from tbsCertificate.signature.";
    KEY_UNSUPPORTED = "rfc5280.key.unsupported", Error, "RFC 5280 §4.1.2.7; RFC 5480; CABF BR §6.1.5",
        "The public key type or curve is not supported (e.g. DSA, P-192, explicit curves).";
    KEY_WEAK_RSA = "rfc5280.key.rsa-too-small", Error, "NIST SP 800-131A Rev. 2 §3; ETSI TS 119 312 §6",
        "The RSA key is smaller than the caller's minimum (2048 bits by default).";
    KEY_RSA_NOT_MULTIPLE_OF_8 = "cabf.key.rsa-modulus-not-multiple-of-8", Error, "CABF BR §6.1.5",
        "The RSA modulus size is not a multiple of 8 bits.";
    NOT_YET_VALID = "rfc5280.validity.not-yet-valid", Error, "RFC 5280 §6.1.3 (a)(2)",
        "The validation time is before the certificate's notBefore.";
    EXPIRED = "rfc5280.validity.expired", Error, "RFC 5280 §6.1.3 (a)(2)",
        "The validation time is after the certificate's notAfter.";
    UNKNOWN_CRITICAL = "rfc5280.extensions.unknown-critical", Error, "RFC 5280 §4.2",
        "A critical extension that is not recognised: the certificate must be rejected.";
    EXTENSIONS_IN_V1 = "rfc5280.version.extensions-need-v3", Error, "RFC 5280 §4.1.2.1",
        "Extensions are present but the certificate is not version 3.";
    V1_CA = "rfc5280.version.ca-not-v3", Error, "RFC 5280 §6.1.4 (k)",
        "A certificate used as a CA is version 1 or 2 and so cannot assert basicConstraints.";
    BC_MISSING = "rfc5280.basic-constraints.missing", Error, "RFC 5280 §6.1.4 (k)",
        "A certificate used as a CA has no basicConstraints extension.";
    BC_NOT_CA = "rfc5280.basic-constraints.ca-false", Error, "RFC 5280 §6.1.4 (k)",
        "A certificate used as a CA does not assert cA in basicConstraints.";
    BC_NOT_CRITICAL = "rfc5280.basic-constraints.not-critical", Error, "RFC 5280 §4.2.1.9",
        "A CA certificate's basicConstraints is not marked critical.";
    PATH_LEN = "rfc5280.basic-constraints.path-len-exceeded", Error, "RFC 5280 §6.1.4 (l)(m)",
        "The path has more non-self-issued CA certificates than a pathLenConstraint allows.";
    EE_IS_CA = "cabf.basic-constraints.ee-is-ca", Error, "CABF BR §7.1.2.7.8",
        "A server certificate in leaf position asserts cA=TRUE.";
    KU_NO_CERT_SIGN = "rfc5280.key-usage.key-cert-sign-missing", Error, "RFC 5280 §6.1.4 (n)",
        "A CA certificate's keyUsage does not include keyCertSign.";
    KU_CERT_SIGN_NOT_CA = "rfc5280.key-usage.key-cert-sign-without-ca", Error, "RFC 5280 §4.2.1.3",
        "keyCertSign is asserted but basicConstraints cA is not.";
    KU_EMPTY = "rfc5280.key-usage.empty", Error, "RFC 5280 §4.2.1.3",
        "keyUsage is present with no bit set.";
    EKU_MISSING_PURPOSE = "rfc5280.ext-key-usage.purpose-missing", Error, "RFC 5280 §4.2.1.12",
        "extKeyUsage does not include the purpose the caller asked for.";
    EKU_EMPTY = "rfc5280.ext-key-usage.empty", Error, "RFC 5280 §4.2.1.12",
        "extKeyUsage is present with no purpose (KeyPurposeId SIZE (1..MAX)).";
    EKU_ANY_REJECTED = "cabf.ext-key-usage.any-purpose", Error, "CABF BR §7.1.2.7.10",
        "A server certificate asserts anyExtendedKeyUsage.";
    EKU_LEAF_MISSING = "cabf.ext-key-usage.missing", Error, "CABF BR §7.1.2.7.10",
        "A server certificate has no extKeyUsage extension.";
    EKU_CRITICAL = "cabf.ext-key-usage.critical", Error, "CABF BR §7.1.2.7.10",
        "A server certificate's extKeyUsage is marked critical.";
    EKU_IN_ROOT = "cabf.ext-key-usage.in-root", Error, "CABF BR §7.1.2.1.2",
        "A root CA certificate carries extKeyUsage.";
    AKI_MISSING = "rfc5280.aki.missing", Error, "RFC 5280 §4.2.1.1",
        "authorityKeyIdentifier is missing from a certificate that is not self-signed.";
    AKI_CRITICAL = "rfc5280.aki.critical", Error, "RFC 5280 §4.2.1.1",
        "authorityKeyIdentifier is marked critical.";
    AKI_NO_KEY_ID = "rfc5280.aki.key-identifier-missing", Error, "RFC 5280 §4.2.1.1; CABF BR §7.1.2.1.3",
        "authorityKeyIdentifier has no keyIdentifier (or carries issuer and serial where forbidden).";
    AKI_SKI_MISMATCH = "cabf.aki.self-signed-mismatch", Error, "CABF BR §7.1.2.1.3",
        "A self-signed root's authorityKeyIdentifier differs from its subjectKeyIdentifier.";
    SKI_MISSING = "rfc5280.ski.missing", Error, "RFC 5280 §4.2.1.2",
        "A CA certificate has no subjectKeyIdentifier.";
    SKI_CRITICAL = "rfc5280.ski.critical", Error, "RFC 5280 §4.2.1.2",
        "subjectKeyIdentifier is marked critical.";
    SERIAL_ZERO = "rfc5280.serial.not-positive", Error, "RFC 5280 §4.1.2.2",
        "The serial number is zero or negative.";
    SERIAL_TOO_LONG = "rfc5280.serial.too-long", Error, "RFC 5280 §4.1.2.2",
        "The serial number is longer than 20 octets.";
    EMPTY_ISSUER = "rfc5280.name.empty-issuer", Error, "RFC 5280 §4.1.2.4",
        "The issuer field is an empty name.";
    CA_EMPTY_SUBJECT = "rfc5280.name.ca-empty-subject", Error, "RFC 5280 §4.1.2.6",
        "A CA certificate has an empty subject.";
    SAN_NOT_CRITICAL_EMPTY_SUBJECT = "rfc5280.san.not-critical-with-empty-subject", Error, "RFC 5280 §4.2.1.6",
        "The subject is empty but subjectAltName is not marked critical.";
    SAN_CRITICAL_WITH_SUBJECT = "cabf.san.critical-with-subject", Error, "CABF BR §7.1.2.7.12",
        "subjectAltName is critical although the subject is not empty.";
    SAN_EMPTY = "rfc5280.san.empty", Error, "RFC 5280 §4.2.1.6",
        "subjectAltName is present but empty or holds a malformed name.";
    SAN_MISSING = "cabf.san.missing", Error, "CABF BR §7.1.2.7.12",
        "A server certificate has no subjectAltName.";
    AIA_CRITICAL = "rfc5280.aia.critical", Error, "RFC 5280 §4.2.2.1",
        "authorityInfoAccess is marked critical.";
    PC_NOT_CRITICAL = "rfc5280.policy-constraints.not-critical", Error, "RFC 5280 §4.2.1.11",
        "policyConstraints is not marked critical.";
    IAP_NOT_CRITICAL = "rfc5280.inhibit-any-policy.not-critical", Error, "RFC 5280 §4.2.1.14",
        "inhibitAnyPolicy is not marked critical.";
    NC_IN_EE = "rfc5280.name-constraints.in-end-entity", Error, "RFC 5280 §4.2.1.10",
        "nameConstraints appears in an end-entity certificate.";
    NC_NOT_CRITICAL = "rfc5280.name-constraints.not-critical", Error, "RFC 5280 §4.2.1.10",
        "nameConstraints is not marked critical.";
    MAX_DEPTH = "rfc5280.path.max-intermediates", Error, "caller limit (--max-depth)",
        "The path has more intermediates than the caller allows.";
    REVOKED = "rfc5280.revocation.revoked", Error, "RFC 5280 §6.3.3",
        "A certificate in the path is revoked.";
    REVOCATION_UNKNOWN = "rfc5280.revocation.status-unknown", Error, "RFC 5280 §6.3.3 (k); ETSI EN 319 102-1 §5.2.5",
        "Revocation was required but no usable CRL covers the certificate.";
    REVOCATION_UNKNOWN_PREFER = "rfc5280.revocation.status-unknown-soft", Warning, "RFC 5280 §6.3.3 (k)",
        "No usable CRL covers the certificate; accepted because revocation is 'prefer'.";
    ANCHOR = "rfc5280.path.anchor", Info, "RFC 5280 §6.1.1 (d)",
        "The trust anchor the path ends at.";
}

/// Every finding id of this crate: the core ids and those of the modules.
pub fn catalogue() -> Vec<FindingDef> {
    let mut v: Vec<FindingDef> = CORE.to_vec();
    v.extend_from_slice(crate::name_constraints::FINDINGS);
    v.extend_from_slice(crate::hostname::FINDINGS);
    v.extend_from_slice(crate::policy::FINDINGS);
    v.extend_from_slice(crate::crl::FINDINGS);
    v.extend_from_slice(crate::ocsp::FINDINGS);
    v.extend_from_slice(crate::fetch::FINDINGS);
    v
}
