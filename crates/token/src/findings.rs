//! Every finding id of the token crate, with its default severity and the clause it comes from.

use report::{FindingDef, Severity};

macro_rules! defs {
    ($( $(#[$m:meta])* $name:ident = $id:literal, $sev:ident, $cite:literal, $sum:literal; )*) => {
        $( $(#[$m])* pub static $name: FindingDef =
            FindingDef { id: $id, severity: Severity::$sev, citation: $cite, summary: $sum }; )*
        /// All finding ids of this crate.
        pub static CATALOGUE: &[FindingDef] = &[ $( FindingDef { id: $id, severity: Severity::$sev, citation: $cite, summary: $sum } ),* ];
    };
}

defs! {
    // ---- encoding and JSON
    B64_INVALID = "jose.base64url.invalid", Fatal, "RFC 7515 §2, RFC 4648 §5",
        "A part is not strict base64url (padding, whitespace, foreign characters or non-zero trailing bits).";
    JSON_INVALID = "jose.json.invalid", Fatal, "RFC 8259 §2",
        "A header, payload, disclosure or KB-JWT part is not valid JSON of the expected type.";
    JSON_DUPLICATE = "jose.json.duplicate-member", Fatal, "RFC 7515 §4, RFC 7519 §4, RFC 9901 §7.1",
        "A JSON object repeats a member name; parsers disagree on which one wins, so the token is refused.";
    JSON_TOO_DEEP = "jose.json.too-deep", Fatal, "RFC 8259 §9 (limit: json::MAX_JSON_DEPTH)",
        "A JSON text nests deeper than the configured limit.";
    JSON_TOO_LARGE = "jose.json.too-large", Fatal, "RFC 8259 §9 (limit: json::MAX_JSON_BYTES)",
        "A JSON part is larger than the configured limit.";
    TOKEN_TOO_LARGE = "jose.token.too-large", Fatal, "RFC 8725 §2.1 (limit: MAX_TOKEN_BYTES)",
        "The whole token is larger than the configured limit.";
    // ---- JWS structure and header
    COMPACT_MALFORMED = "jws.compact.malformed", Fatal, "RFC 7515 §7.1",
        "A compact JWS is not exactly three base64url parts separated by dots.";
    JSON_SERIALIZATION_MALFORMED = "jws.json.malformed", Fatal, "RFC 7515 §7.2",
        "A JWS JSON serialization lacks payload/signature members or mixes the general and flattened forms.";
    HEADER_NOT_DISJOINT = "jws.header.not-disjoint", Fatal, "RFC 7515 §7.2.1",
        "A Header Parameter appears in both the protected and the unprotected header.";
    HEADER_UNPROTECTED_IGNORED = "jws.header.unprotected-ignored", Warning, "RFC 7515 §7.2.1, RFC 8725 §3.1",
        "The unprotected header carries parameters; they are not integrity protected and are ignored.";
    ALG_MISSING = "jws.alg.missing", Fatal, "RFC 7515 §4.1.1",
        "The protected header has no string \"alg\" parameter.";
    ALG_UNPROTECTED = "jws.alg.unprotected", Fatal, "RFC 7515 §7.2.1, RFC 8725 §3.1",
        "\"alg\" is only in the unprotected header; the algorithm must be integrity protected.";
    ALG_NONE = "jws.alg.none-rejected", Fatal, "RFC 7518 §3.6, RFC 8725 §3.1",
        "The token is unsecured (alg \"none\"); eID tokens must be signed.";
    ALG_HMAC = "jws.alg.hmac-rejected", Fatal, "RFC 8725 §3.1-3.2 (issue 4)",
        "HMAC (HS*) is not accepted for eID tokens: a shared secret cannot prove the issuer.";
    ALG_UNSUPPORTED = "jws.alg.unsupported", Fatal, "RFC 7515 §4.1.1, RFC 7518 §3.1",
        "The \"alg\" value is not a supported JWS signature algorithm (names are case-sensitive).";
    ALG_NOT_ALLOWED = "jws.alg.not-allowed", Fatal, "RFC 8725 §3.1 (TokenPolicy.allowed_algs)",
        "The algorithm is valid JOSE but not allowed by the policy.";
    ALG_KEY_MISMATCH = "jws.alg.key-mismatch", Fatal, "RFC 8725 §3.1",
        "The header algorithm is not the algorithm of the verification key (the key decides).";
    CRIT_INVALID = "jws.crit.invalid", Fatal, "RFC 7515 §4.1.11",
        "\"crit\" is not a non-empty array of distinct, non-registered names present in the protected header.";
    CRIT_UNSUPPORTED = "jws.crit.unsupported", Fatal, "RFC 7515 §4.1.11",
        "\"crit\" lists an extension this verifier does not process.";
    B64_NOT_CRITICAL = "jws.b64.not-critical", Fatal, "RFC 7797 §6",
        "\"b64\" is used but not listed in \"crit\" (or not in the protected header).";
    B64_INVALID_VALUE = "jws.b64.invalid", Fatal, "RFC 7797 §3",
        "\"b64\" is not a boolean.";
    B64_FALSE_JWT = "jws.b64.false-in-jwt", Fatal, "RFC 7797 §7, RFC 7519 §7.2",
        "An unencoded payload (b64 false) cannot carry JWT claims.";
    B64_FALSE_COMPACT_DOT = "jws.b64.compact-dot", Fatal, "RFC 7797 §5.2",
        "An unencoded compact payload contains a '.'.";
    REMOTE_KEY_IGNORED = "jws.header.remote-key-ignored", Notice, "RFC 8725 §3.10, RFC 7515 §4.1.2/§4.1.5",
        "\"jku\" or \"x5u\" is present; remote keys are never fetched.";
    EMBEDDED_JWK_IGNORED = "jws.header.embedded-jwk-ignored", Notice, "RFC 8725 §3.10, RFC 7515 §4.1.3",
        "A \"jwk\" header parameter is present; a key supplied by the token itself is never trusted.";
    TYP_MISSING = "jws.typ.missing", Fatal, "RFC 8725 §3.11, RFC 7515 §4.1.9",
        "Explicit typing is required but the protected header has no \"typ\".";
    TYP_MISMATCH = "jws.typ.mismatch", Fatal, "RFC 8725 §3.11, RFC 7515 §4.1.9",
        "The \"typ\" header is not the type this token kind requires.";
    KID_UNKNOWN = "jws.kid.unknown", Error, "RFC 7515 §4.1.4",
        "The header \"kid\" names no configured key (kid is only a lookup).";
    KID_NOT_STRING = "jws.kid.not-string", Warning, "RFC 7515 §4.1.4",
        "The header \"kid\" is not a string; it is ignored as a lookup hint.";
    KEY_NOT_FOUND = "jws.key.not-found", Error, "RFC 7515 §5.2 step 8",
        "No configured key and no validated x5c chain can verify this signature.";
    KEY_RSA_TOO_SMALL = "jws.key.rsa-too-small", Fatal, "RFC 7518 §3.3, §3.5",
        "The signer's RSA key (from x5c) is below 2048 bits (or above the supported 8192).";
    SIGNATURE_INVALID = "jws.signature.invalid", Fatal, "RFC 7515 §5.2 step 8",
        "The signature does not verify with the key.";
    SIGNATURE_ECDSA_RANGE = "jws.signature.ecdsa-range", Fatal, "RFC 7518 §3.4, FIPS 186-5 §6.4.2 (CVE-2022-21449)",
        "An ECDSA r or s is 0 or not below the group order.";
    SIGNATURE_LENGTH = "jws.signature.length", Fatal, "RFC 7518 §3.4, RFC 8037 §3.1",
        "The signature has the wrong length for its algorithm (ECDSA is raw r||s).";
    SIGNATURES_MULTIPLE = "jws.signatures.multiple-rejected", Fatal, "RFC 7515 §7.2.1 (MultiSignature policy)",
        "The JWS carries several signatures and the policy accepts one only.";
    SIGNATURES_TOO_MANY = "jws.signatures.too-many", Fatal, "RFC 8725 §2.1 (limit: MAX_SIGNATURES)",
        "The JWS carries more signatures than the limit.";
    SIGNATURE_NOT_COUNTED = "jws.signatures.not-counted", Warning, "RFC 7515 §7.2.1 (MultiSignature::AnyOne)",
        "One of several signatures did not verify; the policy accepts any one.";
    X5C_INVALID = "jws.x5c.invalid", Fatal, "RFC 7515 §4.1.6",
        "\"x5c\" is not a non-empty array of standard base64 DER certificates.";
    X5C_CHAIN = "jws.x5c.chain-invalid", Error, "RFC 7515 §4.1.6, RFC 5280 §6",
        "The x5c chain did not validate to a configured anchor for the token's time.";
    X5C_UNAVAILABLE = "jws.x5c.unavailable", Error, "RFC 7515 §4.1.6",
        "The token relies on x5c but no chain validator (anchors) is configured.";
    // ---- JWT claims
    PAYLOAD_NOT_OBJECT = "jwt.payload.not-object", Fatal, "RFC 7519 §7.2 step 10",
        "The payload is not a JSON object of claims.";
    CLAIM_NOT_NUMERIC = "jwt.claim.not-numeric", Fatal, "RFC 7519 §2 (NumericDate), §4.1.4-4.1.6",
        "exp, nbf or iat is not a JSON number.";
    EXP_MISSING = "jwt.exp.missing", Error, "RFC 8725 §3.10 (TokenPolicy.exp), EUDI PID Rulebook §2.4",
        "The policy requires an expiry (exp) and the token has none.";
    EXP_EXPIRED = "jwt.exp.expired", Error, "RFC 7519 §4.1.4",
        "The validation time is at or after exp (plus leeway).";
    NBF_FUTURE = "jwt.nbf.not-yet-valid", Error, "RFC 7519 §4.1.5",
        "The validation time is before nbf (minus leeway).";
    IAT_FUTURE = "jwt.iat.future", Error, "RFC 7519 §4.1.6",
        "iat is later than the validation time plus leeway.";
    ISS_MISSING = "jwt.iss.missing", Error, "RFC 7519 §4.1.1 (TokenPolicy.issuers)",
        "The policy names trusted issuers and the token has no iss.";
    ISS_NOT_ALLOWED = "jwt.iss.not-allowed", Error, "RFC 7519 §4.1.1 (TokenPolicy.issuers)",
        "iss is not one of the issuers the policy accepts.";
    AUD_MISMATCH = "jwt.aud.mismatch", Error, "RFC 7519 §4.1.3",
        "aud does not contain the expected audience.";
    AUD_UNCHECKED = "jwt.aud.unchecked", Error, "RFC 7519 §4.1.3",
        "The token has aud but the verifier was given no audience to identify with.";
    NONCE_MISMATCH = "jwt.nonce.mismatch", Error, "OpenID Connect Core §3.1.3.7 step 11",
        "nonce is missing or differs from the expected nonce.";
    CLAIM_MISSING = "jwt.claim.missing", Error, "TokenPolicy.required_claims",
        "A claim the policy requires is absent after disclosures are applied.";
    // ---- SD-JWT
    SD_FORMAT = "sdjwt.format.malformed", Fatal, "RFC 9901 §4",
        "The SD-JWT is not <JWT>~<Disclosure>~...~[KB-JWT] (missing '~', empty disclosure or bad JSON form).";
    SD_DISCLOSURE_MALFORMED = "sdjwt.disclosure.malformed", Fatal, "RFC 9901 §4.2.1-4.2.2",
        "A disclosure is not a JSON array [salt, name, value] or [salt, value] with a string salt and name.";
    SD_RESERVED_NAME = "sdjwt.disclosure.reserved-name", Fatal, "RFC 9901 §4.2.1, §7.1 step 3",
        "A disclosure uses the claim name \"_sd\" or \"...\".";
    SD_UNREFERENCED = "sdjwt.disclosure.unreferenced", Fatal, "RFC 9901 §7.1 step 5",
        "A disclosure's digest is not referenced by the issuer-signed payload.";
    SD_DUPLICATE_DISCLOSURE = "sdjwt.disclosure.duplicate", Fatal, "RFC 9901 §7.1 step 4",
        "The same disclosure is presented more than once.";
    SD_DUPLICATE_DIGEST = "sdjwt.digest.duplicate", Fatal, "RFC 9901 §7.1 step 4",
        "A digest value occurs more than once in the payload and disclosures.";
    SD_OVERWRITE = "sdjwt.claim.overwrite", Fatal, "RFC 9901 §7.1 step 3.2.2.3",
        "A disclosure would replace a claim that already exists at its level.";
    SD_STRUCTURE = "sdjwt.sd.malformed", Fatal, "RFC 9901 §4.2.4",
        "\"_sd\" is not an array of strings, or an array element uses \"...\" wrongly.";
    SD_WRONG_KIND = "sdjwt.disclosure.wrong-kind", Fatal, "RFC 9901 §7.1 steps 3.2-3.3",
        "An object-property disclosure is referenced from an array, or an array-element one from \"_sd\".";
    SD_ALG = "sdjwt.sd-alg.not-allowed", Fatal, "RFC 9901 §4.1.1 (TokenPolicy.sd_algs)",
        "\"_sd_alg\" is not a string naming an allowed hash algorithm.";
    SD_TOO_MANY = "sdjwt.disclosures.too-many", Fatal, "RFC 9901 §9.5 (limit: MAX_DISCLOSURES)",
        "More disclosures than the limit.";
    SD_TOO_DEEP = "sdjwt.depth.exceeded", Fatal, "RFC 8259 §9 (limit: json::MAX_JSON_DEPTH)",
        "Disclosures nest deeper than the limit once applied.";
    KB_MISSING = "sdjwt.kb.missing", Error, "RFC 9901 §7.3 (key binding required)",
        "Key binding is required and the presentation has no KB-JWT.";
    KB_TYP = "sdjwt.kb.typ", Fatal, "RFC 9901 §4.3",
        "The KB-JWT header \"typ\" is not \"kb+jwt\".";
    KB_CNF = "sdjwt.kb.cnf-missing", Error, "RFC 9901 §4.1.2, §7.3 step 3, RFC 7800 §3.2",
        "The issuer-signed payload has no usable cnf.jwk holder key for the KB-JWT.";
    KB_SIGNATURE = "sdjwt.kb.signature-invalid", Fatal, "RFC 9901 §7.3 step 4",
        "The KB-JWT signature does not verify with the holder key.";
    KB_SD_HASH = "sdjwt.kb.sd-hash", Fatal, "RFC 9901 §4.3.1, §7.3 step 5",
        "The KB-JWT sd_hash is missing or does not match the presented SD-JWT.";
    KB_IAT = "sdjwt.kb.iat", Error, "RFC 9901 §7.3 step 5",
        "The KB-JWT iat is missing, not numeric, in the future or older than the accepted window.";
    KB_NONCE = "sdjwt.kb.nonce", Error, "RFC 9901 §7.3 step 5",
        "The KB-JWT nonce is missing or differs from the expected nonce.";
    KB_AUD = "sdjwt.kb.aud", Error, "RFC 9901 §7.3 step 5",
        "The KB-JWT aud is missing or differs from the expected audience.";
    KB_UNCHECKED = "sdjwt.kb.freshness-unchecked", Warning, "RFC 9901 §7.3, §9.9",
        "The KB-JWT was verified but no expected nonce or audience was given: replay is not excluded.";
    // ---- SD-JWT VC and EUDI PID
    VC_TYP = "sdjwtvc.typ.invalid", Fatal, "draft-ietf-oauth-sd-jwt-vc §3.2.1",
        "An SD-JWT VC does not have typ \"dc+sd-jwt\" (or legacy \"vc+sd-jwt\" when allowed).";
    VC_TYP_LEGACY = "sdjwtvc.typ.legacy", Notice, "draft-ietf-oauth-sd-jwt-vc §3.2.1",
        "The legacy typ \"vc+sd-jwt\" was accepted by option.";
    VC_VCT = "sdjwtvc.vct.missing", Fatal, "draft-ietf-oauth-sd-jwt-vc §3.2.2.1.1",
        "An SD-JWT VC has no plain string \"vct\".";
    VC_NOT_DISCLOSABLE = "sdjwtvc.claim.selectively-disclosed", Fatal, "draft-ietf-oauth-sd-jwt-vc §3.2.2.2",
        "iss, nbf, exp, cnf, vct, vct#integrity or status (or a sub-claim) is selectively disclosable.";
    VC_CNF = "sdjwtvc.cnf.missing", Error, "draft-ietf-oauth-sd-jwt-vc §3.2.2.2",
        "Key binding is used but the SD-JWT VC has no cnf.";
    PID_VCT = "eudi.pid.vct.namespace", Error, "EUDI PID Rulebook §4 (ARF PID_14)",
        "The policy expects a PID and the vct is not in the urn:eudi:pid: namespace.";
    PID_EXP = "eudi.pid.exp.missing", Error, "EUDI PID Rulebook §2.4 (technical validity period)",
        "A PID has no technical validity period (exp).";
    PID_ATTRIBUTE = "eudi.pid.attribute.missing", Error, "EUDI PID Rulebook §2.2, §2.4, §4",
        "A mandatory PID attribute is absent from an issued credential (checked only when all disclosures are present).";
    PID_FORMAT = "eudi.pid.attribute.format", Error, "EUDI PID Rulebook §4",
        "A disclosed PID attribute does not have the encoding of the rulebook.";
    // ---- policy
    KIND_NOT_ACCEPTED = "token.kind.not-accepted", Error, "TokenPolicy.accepted_kinds",
        "The policy does not accept this kind of token.";
    LOA_ASSIGNED = "token.loa.assigned", Info, "TokenPolicy.loa",
        "A level of assurance was assigned to the verified token.";
    // ---- national profile token rules (profiles/<id>.toml [tokens], docs/profiles.md)
    PROFILE_KIND = "profile.tokens.kind-not-accepted", Error, "profile [tokens].kinds (docs/profiles.md)",
        "The national profile does not accept this kind of token (jwt, jws-json, sd-jwt, sd-jwt-vc, pid).";
    PROFILE_ALG = "profile.tokens.alg-not-allowed", Fatal, "profile [tokens].algorithms (docs/profiles.md), RFC 8725 §3.1",
        "The JWS algorithm is not among those the national profile accepts for tokens.";
    PROFILE_ISSUER = "profile.tokens.issuer-not-accepted", Error, "profile [tokens].issuers (docs/profiles.md)",
        "No accepted issuer of the national profile matches the token's iss and the origin of its key (x5c or configured).";
    PROFILE_CLAIM = "profile.tokens.claim-missing", Error, "profile [tokens].required_claims (docs/profiles.md)",
        "A claim the national profile requires is absent after disclosures are applied.";
    PROFILE_KEY_BINDING = "profile.tokens.key-binding-required", Error, "profile [tokens].key_binding (docs/profiles.md), RFC 9901 §7.3",
        "The national profile requires key binding and the SD-JWT has no KB-JWT.";
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_and_cited() {
        let mut seen = HashSet::new();
        for d in CATALOGUE {
            assert!(seen.insert(d.id), "duplicate id {}", d.id);
            assert!(!d.citation.is_empty() && !d.summary.is_empty());
        }
        assert!(CATALOGUE.len() > 60);
    }
}
