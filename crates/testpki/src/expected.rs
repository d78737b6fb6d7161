//! Expected finding ids per defect — only ids defined in the `pki` or `profile` catalogues.
//!
//! A defect missing from this table is written to the manifest with `"ids_pending": true` and an
//! empty `finding_ids`: the generator never invents an id. That covers ids that do not exist yet
//! and defects whose id legitimately depends on the implementation (noted below). The test
//! `tests/expected_ids.rs` checks that every id listed here is defined in `crates/pki/src` or
//! `crates/profile/src`, so an id renamed there fails here.
//!
//! `{jmbg}` stands for the state's JMBG/EMBG id prefix (`rs.jmbg`, `me.jmbg`, `ba.jmbg`, `mk.embg`).
//!
//! Left pending on purpose: `anchor-key-mismatch` (a path builder may report the failed signature
//! or that no issuer was found).

/// `(kind, defect, ids)`: the ids a correct validator or linter must report for the defect.
pub const EXPECTED: &[(&str, &str, &[&str])] = &[
    // Chain defects: crates/pki/src/findings.rs.
    ("chain", "leaf-expired", &["rfc5280.validity.expired"]),
    ("chain", "leaf-not-yet-valid", &["rfc5280.validity.not-yet-valid"]),
    ("chain", "leaf-revoked", &["rfc5280.revocation.revoked"]),
    ("chain", "leaf-revoked-ordinary-ca", &["rfc5280.revocation.revoked"]),
    ("chain", "leaf-bad-signature", &["rfc5280.signature.invalid"]),
    ("chain", "leaf-unknown-critical-extension", &["rfc5280.extensions.unknown-critical"]),
    ("chain", "ca-expired", &["rfc5280.validity.expired"]),
    ("chain", "ca-revoked", &["rfc5280.revocation.revoked"]),
    ("chain", "ca-not-ca", &["rfc5280.basic-constraints.ca-false"]),
    ("chain", "ca-key-cert-sign-missing", &["rfc5280.key-usage.key-cert-sign-missing"]),
    ("chain", "path-length-exceeded", &["rfc5280.basic-constraints.path-len-exceeded"]),
    ("chain", "intermediate-missing", &["rfc5280.path.no-issuer"]),
    ("chain", "crl-stale", &["rfc5280.revocation.status-unknown"]),
    ("chain", "crl-bad-signature", &["rfc5280.revocation.status-unknown"]),
    // Lint defects: crates/profile/src/findings.rs.
    ("lint", "qcs-compliance-missing", &["etsi.en319412-5.qcs.compliance-missing"]),
    ("lint", "qcs-qctype-missing", &["etsi.en319412-5.qcs.qctype-missing"]),
    ("lint", "qcs-qctype-mismatch", &["etsi.en319412-5.qcs.qctype-mismatch"]),
    ("lint", "qcs-qctype-mismatch-eseal", &["etsi.en319412-5.qcs.qctype-mismatch"]),
    ("lint", "qcs-qctype-mismatch-web", &["etsi.en319412-5.qcs.qctype-mismatch"]),
    ("lint", "qcs-qctype-multiple", &["etsi.en319412-5.qcs.qctype-multiple"]),
    ("lint", "qcs-sscd-missing", &["etsi.en319412-5.qcs.sscd-inconsistent"]),
    ("lint", "qcs-pds-not-https", &["etsi.en319412-5.qcs.pds-not-https"]),
    ("lint", "qcs-pds-language-invalid", &["etsi.en319412-5.qcs.pds-language-invalid"]),
    ("lint", "qcs-cclegislation-missing", &["etsi.en319412-5.qcs.cc-legislation-missing"]),
    ("lint", "qcs-cclegislation-present", &["etsi.en319412-5.qcs.cc-legislation-present-eu"]),
    ("lint", "policy-missing", &["etsi.en319412-2.certificate-policies.missing"]),
    ("lint", "policy-mismatch", &["etsi.en319411-2.policy.qcp-mismatch"]),
    ("lint", "key-usage-non-repudiation-missing", &["etsi.en319412-2.key-usage.not-content-commitment"]),
    ("lint", "subject-country-missing", &["etsi.en319412-2.subject.attribute-missing"]),
    ("lint", "subject-name-missing", &["etsi.en319412-2.subject.attribute-missing"]),
    ("lint", "jmbg-check-digit", &["{jmbg}.check-digit"]),
    ("lint", "jmbg-date-invalid", &["{jmbg}.format"]),
    ("lint", "semantics-id-country-mismatch", &["profile.identifier.country-mismatch"]),
    ("lint", "semantics-id-type-unknown", &["etsi.en319412-1.semantics.serial-number-type"]),
    ("lint", "serial-negative", &["rfc5280.serial.not-positive"]),
    ("lint", "serial-zero", &["rfc5280.serial.not-positive"]),
    ("lint", "serial-too-long", &["rfc5280.serial.too-long"]),
    ("lint", "validity-generalized-time-before-2050", &["rfc5280.validity.utctime-required"]),
    ("lint", "authority-key-identifier-missing", &["rfc5280.aki.missing"]),
    ("lint", "extension-duplicate", &["rfc5280.extensions.duplicate"]),
    ("lint", "subject-empty", &["rfc5280.subject.empty-without-critical-san"]),
    ("lint", "subject-organization-identifier-missing", &["etsi.en319412-3.subject.attribute-missing"]),
    ("lint", "subject-organization-identifier-malformed", &["etsi.en319412-1.semantics.org-id-format"]),
    ("lint", "subject-organization-missing", &["etsi.en319412-3.subject.attribute-missing"]),
    ("lint", "eku-server-auth-missing", &["etsi.en319412-4.eku.server-auth-missing"]),
    ("lint", "san-missing", &["etsi.en319412-4.san.dns-name-missing"]),
];

/// The JMBG/EMBG id prefix of a state, for `{jmbg}`.
pub fn jmbg_prefix(state: &str) -> Option<&'static str> {
    match state {
        "rs" => Some("rs.jmbg"),
        "me" => Some("me.jmbg"),
        "ba" => Some("ba.jmbg"),
        "mk" => Some("mk.embg"),
        _ => None,
    }
}

/// The expected ids of `defect` in a case of `kind` for `state`, if known.
pub fn finding_ids_for(kind: &str, defect: &str, state: &str) -> Option<Vec<String>> {
    let (_, _, ids) = EXPECTED.iter().find(|(k, d, _)| *k == kind && *d == defect)?;
    ids.iter()
        .map(|id| match id.strip_prefix("{jmbg}") {
            Some(rest) => jmbg_prefix(state).map(|p| format!("{p}{rest}")),
            None => Some((*id).to_string()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_resolve_per_state() {
        assert_eq!(finding_ids_for("lint", "jmbg-check-digit", "mk"), Some(vec!["mk.embg.check-digit".to_string()]));
        assert_eq!(finding_ids_for("lint", "jmbg-check-digit", "hr"), None);
        assert_eq!(finding_ids_for("chain", "leaf-expired", "hr"), Some(vec!["rfc5280.validity.expired".to_string()]));
        assert_eq!(finding_ids_for("chain", "anchor-key-mismatch", "rs"), None);
    }
}
