//! The catalogue of every finding id this crate emits, with its clause.

use report::{FindingDef, Severity};

macro_rules! defs {
    ($($name:ident = $id:literal, $sev:ident, $cite:literal, $summary:literal;)*) => {
        $(
            #[doc = $summary]
            #[doc = ""]
            #[doc = $cite]
            pub const $name: FindingDef = FindingDef {
                id: $id,
                severity: Severity::$sev,
                citation: $cite,
                summary: $summary,
            };
        )*
        /// Every finding this crate can emit.
        pub static CATALOGUE: &[FindingDef] = &[$($name),*];
    };
}

defs! {
    // --- format: the list could not be read as a trusted list at all
    FORMAT_MALFORMED = "tl.format.malformed", Fatal, "W3C XML 1.0 §2.1; ETSI TS 119 612 §5",
        "The input is not well-formed XML, not UTF-8, or not a TrustServiceStatusList.";
    FORMAT_DTD = "tl.format.dtd-forbidden", Fatal, "ETSI TS 119 612 §5 (schema has no DTD); OWASP XXE prevention",
        "The document carries a DTD, which a trusted list never needs: refused.";
    FORMAT_LIMIT = "tl.format.limit-exceeded", Fatal, "eidtrust limits (crate docs, `limits`)",
        "The document exceeds a size, depth or node-count limit.";
    FORMAT_MISSING = "tl.format.required-missing", Fatal, "ETSI TS 119 612 §5.3",
        "A mandatory scheme information element is missing or unreadable.";
    // --- quirks: accepted as a careful reader would, reported
    QUIRK_BARE_OID = "tl.quirk.bare-oid-identifier", Notice, "ETSI TS 119 612 §5.5.9.2.2; ETSI EN 319 132-1 (XAdES ObjectIdentifierType)",
        "A PolicyIdentifier holds a bare OID without the OIDAsURN qualifier (or with OIDAsURI); read as that OID.";
    QUIRK_URI_AS_POLICY = "tl.quirk.uri-as-policy-oid", Warning, "ETSI TS 119 612 §5.5.9.2.2",
        "A PolicyIdentifier holds a URI (e.g. a service type) where a policy OID belongs; the criterion can never match.";
    QUIRK_QUALIFIER_NOT_URI = "tl.quirk.qualifier-not-uri", Warning, "ETSI TS 119 612 §5.5.9.2.3",
        "A Qualifier's uri is not a TS 119 612 qualifier URI (e.g. a bare OID); it is kept but has no effect.";
    QUIRK_DATETIME_NO_ZONE = "tl.quirk.datetime-without-zone", Notice, "ETSI TS 119 612 §5.1.4 (UTC times)",
        "A dateTime has no time zone; read as UTC.";
    QUIRK_UNKNOWN_STATUS = "tl.quirk.unknown-status", Warning, "ETSI TS 119 612 §5.5.4",
        "A ServiceStatus is not one of the TS 119 612 status URIs; the service is never considered granted.";
    QUIRK_BAD_BASE64 = "tl.quirk.bad-base64", Warning, "ETSI TS 119 612 §5.5.3",
        "An X509Certificate or X509SKI value is not valid base64 (or not a certificate); it is skipped.";
    QUIRK_UNKNOWN_CRITICAL_EXT = "tl.quirk.unknown-critical-extension", Warning, "ETSI TS 119 612 §5.5.9",
        "A service carries a critical extension this crate does not understand.";
    QUIRK_VERSION = "tl.quirk.unexpected-version", Warning, "ETSI TS 119 612 §5.3.1",
        "TSLVersionIdentifier is neither 5 nor 6.";
    QUIRK_BAD_VALUE = "tl.quirk.unreadable-value", Warning, "ETSI TS 119 612 §5",
        "An optional element could not be read (bad number, bad date); it is skipped.";
    QUIRK_HISTORY_ORDER = "tl.quirk.history-not-descending", Notice, "ETSI TS 119 612 §5.6",
        "Service history instances are not in descending StatusStartingTime order; they are evaluated by time, not by position.";
    // --- signature
    SIG_MISSING = "tl.sig.missing", Error, "ETSI TS 119 612 §5.7.1",
        "The list has no enveloped ds:Signature as a child of its root.";
    SIG_INVALID = "tl.sig.invalid", Error, "W3C XML Signature 1.1 §3.2; ETSI TS 119 612 §5.7",
        "The XML signature does not verify (reference digest or signature value).";
    SIG_SCOPE = "tl.sig.scope", Error, "ETSI TS 119 612 §5.7.1 (enveloped signature over the whole list)",
        "The signature does not cover the whole document: no URI=\"\" reference with the enveloped-signature transform, or more than one signature.";
    SIG_UNSUPPORTED = "tl.sig.unsupported", Error, "W3C XML Signature 1.1 §6; ETSI TS 119 612 §5.7.1",
        "The signature uses an algorithm or structure the verifier does not support.";
    SIG_SIGNER_UNTRUSTED = "tl.sig.signer-not-declared", Error, "ETSI TS 119 612 §5.3.13 (pointer ServiceDigitalIdentities)",
        "No declared signer certificate (explicit or from the LOTL pointer) verifies the signature.";
    SIG_SIGNER_UNANCHORED = "tl.sig.signer-unanchored", Warning, "ETSI TS 119 612 §5.3.13",
        "No signer was declared: the signature was checked only against the certificate in its own KeyInfo, which proves integrity, not origin.";
    SIG_SIGNER_EXPIRED = "tl.sig.signer-expired", Warning, "ETSI TS 119 612 §5.7.1; ETSI TS 119 615 §4.2",
        "The signing certificate has expired at the evaluation time (it was valid when the list was issued).";
    SIG_SIGNER_NOT_VALID_AT_ISSUE = "tl.sig.signer-invalid-at-issue", Error, "ETSI TS 119 612 §5.7.1",
        "The signing certificate was not within its validity period at the list's ListIssueDateTime.";
    SIG_KEYINFO_MISMATCH = "tl.sig.keyinfo-mismatch", Notice, "W3C XML Signature 1.1 §4.5",
        "The certificate in KeyInfo differs from the declared signer that verified the signature.";
    LIST_STALE = "tl.list.past-next-update", Warning, "ETSI TS 119 612 §5.3.15; ETSI TS 119 615 §4.2",
        "The evaluation time is after the list's NextUpdate: a newer list should exist.";
    LIST_CLOSED = "tl.list.closed", Warning, "ETSI TS 119 612 §5.3.15",
        "The list has no NextUpdate: it is closed and no longer maintained.";
    LIST_NOT_YET_ISSUED = "tl.list.not-yet-issued", Warning, "ETSI TS 119 612 §5.3.14",
        "The evaluation time is before the list's ListIssueDateTime.";
    // --- fetching the lists a LOTL points to (opt-in, `fetch`)
    FETCH_NOT_VERIFIED = "tl.fetch.not-verified", Error, "ETSI TS 119 612 §5.3.13 (pointer ServiceDigitalIdentities); ETSI TS 119 615 §4.2",
        "A fetched list does not verify against the certificates its LOTL pointer declares; it is not used.";
    FETCH_TERRITORY = "tl.fetch.territory-mismatch", Error, "ETSI TS 119 612 §5.3.13 (pointer SchemeTerritory) and §5.3.10",
        "A fetched list is not the list of the territory its pointer names; it is not used.";
    FETCH_ROLLBACK = "tl.fetch.sequence-rollback", Error, "ETSI TS 119 612 §5.3.2 (TSLSequenceNumber increases with each issue)",
        "A fetched list has a lower sequence number than a cached copy of the same list: refused as a rollback.";
    FETCH_CACHE = "tl.fetch.cache-unusable", Warning, "eidtrust cache rule (docs/trustlists.md, Fetching)",
        "A cached copy was unusable (unreadable, too large, not verifying) or the cache could not be written; the list was fetched or not cached.";
    // --- qualification (ETSI TS 119 615)
    QUAL_NO_SERVICE = "tl.qualify.no-matching-service", Error, "ETSI TS 119 615 §4.3.1",
        "No CA/QC service in the given lists has a digital identity that issued the certificate.";
    QUAL_NOT_GRANTED_AT_ISSUANCE = "tl.qualify.not-granted-at-issuance", Error, "ETSI TS 119 615 §4.3.2",
        "The matching service was not in a granted status when the certificate was issued.";
    QUAL_NOT_GRANTED_AT_TIME = "tl.qualify.not-granted-at-time", Error, "ETSI TS 119 615 §4.3.2",
        "The matching service is not in a granted status at the evaluation time.";
    QUAL_NOT_QC = "tl.qualify.not-qualified-certificate", Error, "ETSI EN 319 412-5 §4.2.1; ETSI TS 119 615 §4.3.3",
        "Neither the certificate (QcCompliance, QCP policies) nor the list (QCStatement qualifier) makes it qualified.";
    QUAL_NOT_QUALIFIED_QUALIFIER = "tl.qualify.notqualified-qualifier", Error, "ETSI TS 119 612 §5.5.9.2.3 (NotQualified)",
        "The list's NotQualified qualifier applies to the certificate.";
    QUAL_CONFLICT = "tl.qualify.conflict", Error, "ETSI TS 119 615 §4.3.5",
        "Several matching services give conflicting results; the certificate is not considered qualified.";
    QUAL_TYPE_UNKNOWN = "tl.qualify.type-undetermined", Warning, "ETSI TS 119 615 §4.3.4; ETSI EN 319 412-5 §4.2.3",
        "The type (e-signature, e-seal, website) could not be determined or conflicts.";
    QUAL_TYPE_MISMATCH = "tl.qualify.type-not-allowed", Error, "ETSI TS 119 612 §5.5.9.4 (AdditionalServiceInformation)",
        "The certificate's type is not one the service is granted for.";
    QUAL_OVERRIDE = "tl.qualify.list-overrides-certificate", Info, "ETSI TS 119 612 §5.5.9.2.3",
        "A Qualifications extension overrides what the certificate itself claims.";
    QUAL_CRITERIA_UNSUPPORTED = "tl.qualify.criteria-unsupported", Warning, "ETSI TS 119 612 §5.5.9.2.2",
        "A CriteriaList contains criteria this crate cannot evaluate; that qualification element is not applied.";
    QUAL_CERT_MALFORMED = "tl.qualify.certificate-malformed", Fatal, "RFC 5280 §4.1",
        "The certificate to qualify is not a readable X.509 certificate.";
    QUAL_ISSUER_SIG_UNCHECKED = "tl.qualify.issuer-signature-unchecked", Notice, "RFC 5280 §6.1.3 (a)(1)",
        "The service certificate matched by name and key identifier, but the certificate's signature algorithm could not be checked here.";
    QUAL_LIST_UNUSABLE = "tl.qualify.list-unusable", Error, "ETSI TS 119 615 §4.2",
        "A given list could not be parsed or its signature did not verify; it was not used.";
    QUAL_TAKEN_OVER = "tl.qualify.service-taken-over", Info, "ETSI TS 119 612 §5.5.9.3 (TakenOverBy); ETSI TS 119 615 §4.3",
        "The matching service was taken over by another TSP; reported, and the qualification is decided as usual.";
    MRA_APPLIED = "tl.mra.equivalence-applied", Info, "EU MRA schema v2 (TrustServiceEquivalenceInformation); ETSI TS 119 612 §5.3.13",
        "A third-country list was read through the mutual recognition equivalences its LOTL pointer declares.";
    MRA_NOT_ENACTED = "tl.mra.not-enacted", Warning, "EU MRA schema v2 (TrustServiceEquivalenceStatus: enacted / repealed)",
        "No equivalence of the pointer's mutual recognition agreement is enacted at the evaluation time: no service of the list is recognised.";
    MRA_CONTENT_APPLIED = "tl.mra.content-equivalence-applied", Info, "EU MRA schema v2 (CertificateContentReferencesEquivalenceList, CertificateContentReferenceEquivalenceContext)",
        "The certificate meets the pointed party's certificate-content declaration and is read as carrying the pointing (EU) party's content in that context (QcCompliance, QcType or QcQSCD).";
    MRA_CONTENT_UNSUPPORTED = "tl.mra.content-equivalence-unsupported", Warning, "EU MRA schema v2 (CertificateContentReferenceEquivalence)",
        "A certificate-content equivalence could not be applied: unknown context, or a declaration with criteria this crate cannot evaluate.";
    MRA_HISTORY_USED = "tl.mra.equivalence-history-used", Info, "EU MRA schema v2 (TrustServiceEquivalenceHistory, TrustServiceEquivalenceHistoryInstance)",
        "A service entry was read through a historical instance of an equivalence (the one in force at that time), not through its current status.";
    LIMIT_TOO_MANY_LISTS = "tl.limit.too-many-lists", Error, "trustlist::limits::MAX_LISTS (31 EU lists + the LOTL, doubled)",
        "More lists were given to qualify than the limit: the call is refused and nothing is qualified.";
    QUAL_SUMMARY = "tl.qualify.result", Info, "ETSI TS 119 615 §4.3",
        "The qualification result, with the service and the times evaluated.";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_prefixed() {
        let mut ids: Vec<&str> = CATALOGUE.iter().map(|d| d.id).collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(before, ids.len(), "duplicate finding ids");
        assert!(CATALOGUE.iter().all(|d| d.id.starts_with("tl.") && !d.citation.is_empty()));
    }
}
