//! A relying party's trust context: a national profile and the anchors it loads, validating
//! paths under RFC 5280 and then under the profile's own rules.

use pki::cert::Certificate;
use pki::crl::Crl;
use pki::revocation::Sources;
use pki::validate::{Options, Store, Validation, Validator};
use profile::{CertType, Profile};
use report::{Finding, Indication, Location, SubIndication};

/// A profile and the anchors a relying party under it trusts, ready to validate many paths (the
/// validator's signature cache is shared across calls).
pub struct TrustContext {
    profile: Profile,
    validator: Validator,
}

impl TrustContext {
    pub fn new(profile: Profile, anchors: Vec<Certificate>) -> Self {
        TrustContext { profile, validator: Validator::new(Store::new(anchors)) }
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    pub fn validator(&self) -> &Validator {
        &self.validator
    }

    /// Path-validation options at `time` tightened by the profile (its RSA minimum).
    pub fn options(&self, time: i64) -> Options {
        let mut opts = Options::at(time);
        self.tighten(&mut opts);
        opts
    }

    /// Raises the caller's options to the profile's floor; never loosens them.
    pub fn tighten(&self, opts: &mut Options) {
        opts.min_rsa_bits = opts.min_rsa_bits.max(self.profile.algorithms.rsa_min_bits as usize);
    }

    /// RFC 5280 path validation, then the profile's algorithm rules on the path and the leaf
    /// linted as `cert_type` (see [`apply_profile`]).
    pub fn validate(
        &self,
        leaf: &Certificate,
        intermediates: &[Certificate],
        crls: &[Crl],
        opts: &Options,
        cert_type: Option<CertType>,
    ) -> Validation {
        self.validate_with(leaf, intermediates, &Sources { crls, ..Sources::default() }, opts, cert_type)
    }

    /// [`TrustContext::validate`] with OCSP responses and, when the caller allows, fetching (see
    /// [`pki::validate::Validator::validate_with`]).
    pub fn validate_with(
        &self,
        leaf: &Certificate,
        intermediates: &[Certificate],
        sources: &Sources<'_>,
        opts: &Options,
        cert_type: Option<CertType>,
    ) -> Validation {
        let mut v = self.validator.validate_with(leaf, intermediates, sources, opts);
        apply_profile(&mut v, &self.profile, cert_type, leaf, intermediates, &self.validator);
        v
    }
}

/// `--profile`: the profile's algorithm rules on every certificate of the path (ETSI TS 119 312
/// as the profile states it) and the leaf linted as its type. A path that is valid under RFC 5280
/// but breaks the profile is TOTAL_FAILED / CHAIN_CONSTRAINTS_FAILURE (crypto rules:
/// CRYPTO_CONSTRAINTS_FAILURE).
pub fn apply_profile(
    v: &mut crate::pki::Validation,
    p: &crate::profile::Profile,
    cert_type: Option<crate::profile::CertType>,
    leaf: &Certificate,
    intermediates: &[Certificate],
    validator: &Validator,
) {
    use crate::pki::cert::{Curve, Hash, KeyKind, SignatureAlgorithm as A};
    use crate::profile::findings as PF;
    let rules = &p.algorithms;
    let mut crypto = Vec::new();
    let last = v.path.len().saturating_sub(1);
    for (depth, src) in v.path.iter().enumerate() {
        let Some(c) = v.certificate(*src, validator, leaf, intermediates) else { continue };
        let who = crate::pki::validate::describe(c);
        // The anchor's own signature is not part of the path (RFC 5280 §6.1.1 (d)).
        if depth < last {
            let name = match &c.signature_algorithm {
                A::RsaPkcs1(Hash::Sha1) => Some("sha1WithRSAEncryption"),
                A::RsaPkcs1(Hash::Sha256) => Some("sha256WithRSAEncryption"),
                A::RsaPkcs1(Hash::Sha384) => Some("sha384WithRSAEncryption"),
                A::RsaPkcs1(Hash::Sha512) => Some("sha512WithRSAEncryption"),
                A::RsaPss(_) => Some("rsassa-pss"),
                A::Ecdsa(Hash::Sha1) => Some("ecdsa-with-SHA1"),
                A::Ecdsa(Hash::Sha256) => Some("ecdsa-with-SHA256"),
                A::Ecdsa(Hash::Sha384) => Some("ecdsa-with-SHA384"),
                A::Ecdsa(Hash::Sha512) => Some("ecdsa-with-SHA512"),
                A::Ed25519 | A::Unsupported(_) => None,
            };
            let allowed = match name {
                Some(n) => rules.allows_signature(n),
                None => matches!(c.signature_algorithm, A::Ed25519) && rules.allow_eddsa,
            };
            if !allowed {
                crypto.push(
                    Finding::from_def(
                        &PF::ALG_SIGNATURE_NOT_ALLOWED,
                        format!(
                            "{who} is signed with {}, which profile {} does not allow",
                            c.signature_algorithm, p.id
                        ),
                    )
                    .at(Location::depth(depth)),
                );
            }
        }
        let key_ok = match &c.public_key.kind {
            KeyKind::Rsa { .. } => true, // size already enforced through min_rsa_bits
            KeyKind::Ec(Curve::P256) => rules.allows_curve("P-256"),
            KeyKind::Ec(Curve::P384) => rules.allows_curve("P-384"),
            KeyKind::Ec(Curve::P521) => rules.allows_curve("P-521"),
            KeyKind::Ed25519 => rules.allow_eddsa,
            KeyKind::Other(_) => false,
        };
        if !key_ok {
            crypto.push(
                Finding::from_def(
                    &PF::ALG_CURVE_NOT_ALLOWED,
                    format!("{who} has a {} key, which profile {} does not allow", c.public_key.kind, p.id),
                )
                .at(Location::depth(depth)),
            );
        }
    }
    let lint = crate::profile::lint_certificate(leaf.der(), p, cert_type);
    let lint_failed = !lint.conformant;
    let crypto_failed = !crypto.is_empty();
    let verdict = &mut v.verdict;
    verdict.findings.extend(crypto);
    verdict.findings.extend(lint.findings.into_iter().map(|f| {
        let mut f = f;
        if f.location.depth.is_none() {
            f.location.depth = Some(0);
        }
        f
    }));
    if verdict.is_valid() && (crypto_failed || lint_failed) {
        verdict.indication = Indication::Failed;
        verdict.sub_indication = Some(if crypto_failed {
            SubIndication::CryptoConstraintsFailure
        } else {
            SubIndication::ChainConstraintsFailure
        });
    }
}

/// The JWS algorithms (RFC 7518 §3.1 names) a relying party under the profile accepts: its
/// `[tokens].algorithms` when the profile has a `[tokens]` table, else the token side of the same
/// ETSI TS 119 312 `[algorithms]` rules the path check applies (see
/// [`token::profile_rules::jws_algs`]).
pub fn jws_algs(p: &Profile) -> Vec<token::Alg> {
    token::profile_rules::jws_algs(p)
}

#[cfg(test)]
mod tests {
    use token::Alg;

    #[test]
    fn profile_algorithms_map_to_jws_algorithms() {
        let p = profile::builtin("rs").expect("the rs profile is built in");
        let algs = super::jws_algs(&p);
        assert!(algs.contains(&Alg::ES256) && algs.contains(&Alg::PS256) && algs.contains(&Alg::RS256));
        assert!(!algs.iter().any(|a| a.is_hmac()));
        // rs.toml: allow_eddsa = false and no Ed25519 in the list.
        assert!(!algs.contains(&Alg::EdDSA));
    }
}
