//! The finding ids of the interop matrix. Ids never change meaning once shipped.

use report::{FindingDef, Severity};

macro_rules! defs {
    ($($name:ident = $id:literal, $sev:ident, $cite:literal, $sum:literal;)*) => {
        $(
            #[doc = $sum]
            #[doc = ""]
            #[doc = $cite]
            pub const $name: FindingDef = FindingDef { id: $id, severity: Severity::$sev, citation: $cite, summary: $sum };
        )*
        /// Every finding id of this crate.
        pub static CATALOGUE: &[FindingDef] = &[$($name),*];
    };
}

defs! {
    LEGAL_RECOGNISED = "interop.legal.recognised", Info,
        "the instrument cited in the finding (profiles/agreements/)",
        "the relying state recognises the issuer state's credential of this kind by the cited instrument";
    LEGAL_DOMESTIC = "interop.legal.domestic", Info,
        "the state's own law (profile legal_basis)",
        "issuer and relying state are the same: recognition is by the state's own law";
    LEGAL_NOT_RECOGNISED = "interop.legal.not-recognised", Notice,
        "profiles/agreements/ (no instrument in force covers the cell)",
        "no instrument in force at the date makes the credential recognised in the relying state";
    LEGAL_NOT_IN_FORCE = "interop.legal.instrument-not-in-force", Notice,
        "the instrument's recorded status (signed, reported, unconfirmed, political only)",
        "an instrument covers the cell but is not in force as recorded; it is shown, never counted";
    LEGAL_NOT_YET = "interop.legal.not-yet-applicable", Notice,
        "the instrument's recorded start date (since)",
        "an instrument in force covers the cell but applies only after the date of the matrix";
    LEGAL_ENDED = "interop.legal.no-longer-applicable", Notice,
        "the instrument's recorded end date (until)",
        "an instrument covered the cell but stopped applying before the date of the matrix";
    LEGAL_DATE_NOT_RECORDED = "interop.legal.since-not-recorded", Warning,
        "the instrument's since = \"not recorded\"",
        "recognition is counted although the date from which the instrument applies is not recorded";
    LEGAL_IDENTIFIER_LINKING = "interop.legal.identifier-linking-only", Info,
        "the instrument's effect = \"identifier-linking\" (e.g. the Open Balkan eID agreement)",
        "an instrument links identifiers between the states; it does not recognise credentials or LoA";
    LEGAL_EXPLICIT_NONE = "interop.legal.no-agreement", Info,
        "the instrument's effect = \"none\" (e.g. eIDAS Art. 14 without an agreement)",
        "an instrument records that there is no recognition in this direction";
    TECH_ACCEPTED = "interop.tech.accepted", Info,
        "RFC 5280 §6; the relying state's profile; RFC 9901 for PIDs",
        "the relying state's validator accepts every valid sample of the issuer state";
    TECH_PARTIAL = "interop.tech.partially-accepted", Warning,
        "RFC 5280 §6; the relying state's profile",
        "the relying state's validator accepts some valid samples and rejects others";
    TECH_INVALID_ACCEPTED = "interop.tech.invalid-sample-accepted", Error,
        "RFC 5280 §6.1.3 (validity, signature); RFC 9901 §7.1 (signature, exp)",
        "a deliberately invalid sample (expired, bad signature) was accepted: a validator defect";
    TECH_SOURCE_UNCONFIRMED = "interop.tech.source-unconfirmed", Warning,
        "the relying profile's trust_sources status",
        "acceptance relies on a trust source whose loading by the relying state is not confirmed";
    TECH_DOMESTIC_PROFILE = "interop.tech.domestic-profile-rejects", Notice,
        "the relying state's own profile rules (profile lint), e.g. ETSI EN 319 412-5 §4.2.4",
        "a validator configured with the relying state's own profile alone would reject the certificate";
    GAP_SOURCE = "interop.gap.trust-source-not-loaded", Error,
        "ETSI TS 119 612 / the relying profile's trust_sources",
        "recognised but rejected: the relying state loads no trust source for the issuer's CA";
    GAP_PROFILE = "interop.gap.profile-rejects", Error,
        "the issuer's ETSI EN 319 412 rules and the relying state's algorithm rules (ETSI TS 119 312)",
        "recognised but rejected: the path is valid but profile rules reject the credential";
    GAP_PATH = "interop.gap.path-invalid", Error,
        "RFC 5280 §6",
        "recognised but rejected: path validation fails for a reason other than a missing trust source";
    GAP_TOKEN = "interop.gap.token-rejected", Error,
        "RFC 9901; draft-ietf-oauth-sd-jwt-vc; EUDI PID Rulebook",
        "recognised but rejected: the PID token fails verification under the relying state's rules";
    LEAK = "interop.leak.accepted-without-legal-basis", Error,
        "profiles/agreements/ (no instrument in force) against the technical verdict",
        "a trust leak: the relying state's validator accepts a credential no instrument in force recognises";
    IDENT_MAPPED = "interop.ident.mapped", Info,
        "eIDAS interoperability framework (Implementing Regulation (EU) 2015/1501), PersonIdentifier XX/YY/id",
        "the issuer state's identifier in its eIDAS form: issuer country / relying country / identifier";
    IDENT_FOREIGN = "interop.ident.foreign-identifier", Notice,
        "the relying profile's identifiers.countries",
        "the relying state's profile takes identifiers of its own country only: the foreign identifier must be mapped";
}
