//! A national profile's `[tokens]` table (profiles/<id>.toml, docs/profiles.md) as a
//! [`TokenPolicy`]: the token kinds, JWS algorithms, issuers, required claims, key binding and
//! LoA mapping the state's relying parties apply.

use crate::keys::Alg;
use crate::policy::{IssuerRule, KeyBinding, KeyOrigin, LoaRule, TokenClass, TokenKind, TokenPolicy};
use profile::schema::{IssuerKeySource, JwsAlgorithm, Loa, TokenKeyBinding, TokenKindRule, TokenRules};
use profile::Profile;

/// The token-side algorithm of a profile's JWS algorithm name.
pub fn alg_of(a: JwsAlgorithm) -> Alg {
    match a {
        JwsAlgorithm::ES256 => Alg::ES256,
        JwsAlgorithm::ES384 => Alg::ES384,
        JwsAlgorithm::ES512 => Alg::ES512,
        JwsAlgorithm::RS256 => Alg::RS256,
        JwsAlgorithm::RS384 => Alg::RS384,
        JwsAlgorithm::RS512 => Alg::RS512,
        JwsAlgorithm::PS256 => Alg::PS256,
        JwsAlgorithm::PS384 => Alg::PS384,
        JwsAlgorithm::PS512 => Alg::PS512,
        JwsAlgorithm::EdDSA => Alg::EdDSA,
        JwsAlgorithm::Ed25519 => Alg::Ed25519,
    }
}

fn class_of(k: TokenKindRule) -> TokenClass {
    match k {
        TokenKindRule::Jwt => TokenClass::Jwt,
        TokenKindRule::JwsJson => TokenClass::JwsJson,
        TokenKindRule::SdJwt => TokenClass::SdJwt,
        TokenKindRule::SdJwtVc => TokenClass::SdJwtVc,
        TokenKindRule::Pid => TokenClass::Pid,
    }
}

fn origin_of(k: IssuerKeySource) -> KeyOrigin {
    match k {
        IssuerKeySource::X5c => KeyOrigin::X5c,
        IssuerKeySource::Configured => KeyOrigin::Configured,
        IssuerKeySource::Any => KeyOrigin::Any,
    }
}

/// The eIDAS level's name as reported (`"low"`, `"substantial"`, `"high"`).
pub fn loa_name(l: Loa) -> &'static str {
    match l {
        Loa::Low => "low",
        Loa::Substantial => "substantial",
        Loa::High => "high",
    }
}

/// Restricts `policy` to the profile's `[tokens]` rules. Nothing is loosened: kinds, algorithms
/// and issuers are intersected with what the policy already admits, and required claims and key
/// binding are added.
pub fn apply_rules(policy: &mut TokenPolicy, profile_id: &str, t: &TokenRules) {
    let algs: Vec<Alg> = t.algorithms.iter().map(|a| alg_of(*a)).collect();
    policy.allowed_algs.retain(|a| algs.contains(a));
    let classes: Vec<TokenClass> = t.kinds.iter().map(|k| class_of(*k)).collect();
    let sd = classes.iter().any(|c| matches!(c, TokenClass::SdJwt | TokenClass::SdJwtVc | TokenClass::Pid));
    policy.accepted_kinds.retain(|k| match k {
        TokenKind::Jwt => classes.contains(&TokenClass::Jwt),
        TokenKind::JwsJson => classes.contains(&TokenClass::JwsJson),
        TokenKind::SdJwt | TokenKind::SdJwtKb => sd,
    });
    if policy.accepted_classes.is_empty() {
        policy.accepted_classes = classes;
    } else {
        policy.accepted_classes.retain(|c| c.accepted_by(&classes));
    }
    policy.issuer_rules.extend(t.issuers.iter().map(|i| IssuerRule { iss: i.iss.clone(), key: origin_of(i.key) }));
    for c in &t.required_claims {
        if !policy.required_claims.contains(c) {
            policy.required_claims.push(c.clone());
        }
    }
    if t.key_binding == TokenKeyBinding::Required {
        policy.key_binding = KeyBinding::Required;
        policy.profile_key_binding = true;
    }
    policy.loa.extend(t.loa.iter().map(|l| LoaRule {
        issuer: l.iss.clone(),
        vct_prefix: None,
        kind: None,
        class: l.kind.map(class_of),
        key: l.key.map(origin_of),
        claim: l.claim.clone().zip(l.value.clone()),
        loa: loa_name(l.eidas).to_string(),
    }));
    policy.profile = Some(profile_id.to_string());
}

/// The JWS algorithms (RFC 7518 §3.1 names) a relying party under `p` accepts: the profile's
/// `[tokens].algorithms` when it has a `[tokens]` table, else those its `[algorithms]` rules
/// allow (the token side of the same ETSI TS 119 312 rules the path check applies).
pub fn jws_algs(p: &Profile) -> Vec<Alg> {
    use profile::schema::{Curve, SignatureAlgorithm as S};
    if let Some(t) = &p.tokens {
        return t.algorithms.iter().map(|a| alg_of(*a)).collect();
    }
    let rules = &p.algorithms;
    let has = |s: S| rules.signature_algorithms.contains(&s);
    let curve = |c: Curve| rules.curves.contains(&c);
    [
        (Alg::ES256, has(S::EcdsaSha256) && curve(Curve::P256)),
        (Alg::ES384, has(S::EcdsaSha384) && curve(Curve::P384)),
        (Alg::ES512, has(S::EcdsaSha512) && curve(Curve::P521)),
        (Alg::RS256, has(S::Sha256WithRsa)),
        (Alg::RS384, has(S::Sha384WithRsa)),
        (Alg::RS512, has(S::Sha512WithRsa)),
        (Alg::PS256, has(S::RsassaPss)),
        (Alg::PS384, has(S::RsassaPss)),
        (Alg::PS512, has(S::RsassaPss)),
        (Alg::EdDSA, has(S::Ed25519) || rules.allow_eddsa),
        (Alg::Ed25519, has(S::Ed25519) || rules.allow_eddsa),
    ]
    .into_iter()
    .filter_map(|(a, ok)| ok.then_some(a))
    .collect()
}

/// The token policy of a relying party under `p`: the strict defaults restricted by the
/// profile's `[tokens]` table, or — for a profile without one — to the JWS algorithms of its
/// `[algorithms]` rules ([`jws_algs`]).
pub fn policy_for_profile(p: &Profile) -> TokenPolicy {
    let mut policy = TokenPolicy::default();
    match &p.tokens {
        Some(t) => apply_rules(&mut policy, &p.id, t),
        None => {
            policy.allowed_algs = jws_algs(p);
            policy.profile = Some(p.id.clone());
        }
    }
    policy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_builtin_profile_becomes_a_policy() {
        let p = profile::builtin("rs").unwrap();
        let pol = policy_for_profile(&p);
        assert_eq!(pol.profile.as_deref(), Some("rs"));
        assert!(pol.allowed_algs.contains(&Alg::ES256) && !pol.allowed_algs.iter().any(|a| a.is_hmac()));
        assert_eq!(pol.accepted_classes, vec![TokenClass::Jwt, TokenClass::SdJwtVc]);
        assert!(!pol.accepted_kinds.contains(&TokenKind::JwsJson));
        assert_eq!(
            pol.issuer_rules,
            vec![IssuerRule { iss: Some("https://pid.rs.testpki.example.com".into()), key: KeyOrigin::X5c }]
        );
        assert_eq!(pol.required_claims, vec!["iss".to_string(), "exp".to_string()]);
        assert_eq!(pol.key_binding, KeyBinding::Optional);
        assert!(!pol.profile_key_binding);
        let pid = pol.loa.first().unwrap();
        assert_eq!((pid.class, pid.key, pid.loa.as_str()), (Some(TokenClass::Pid), Some(KeyOrigin::X5c), "high"));
        assert_eq!(jws_algs(&p), pol.allowed_algs);
    }

    #[test]
    fn the_tokens_table_decides_the_algorithms_and_never_loosens() {
        let mut p = profile::builtin("rs").unwrap();
        let t = p.tokens.as_mut().unwrap();
        t.algorithms = vec![JwsAlgorithm::ES384];
        t.key_binding = TokenKeyBinding::Required;
        assert_eq!(jws_algs(&p), vec![Alg::ES384]);
        let mut pol = TokenPolicy { allowed_algs: vec![Alg::ES256], ..TokenPolicy::default() };
        apply_rules(&mut pol, "rs", p.tokens.as_ref().unwrap());
        assert!(pol.allowed_algs.is_empty(), "intersection, not union");
        assert_eq!(pol.key_binding, KeyBinding::Required);
        assert!(pol.profile_key_binding);
        // Without a [tokens] table: the [algorithms] mapping, and no kind or issuer rules.
        p.tokens = None;
        let pol = policy_for_profile(&p);
        assert!(pol.allowed_algs.contains(&Alg::PS256) && pol.allowed_algs.contains(&Alg::RS256));
        assert!(pol.accepted_classes.is_empty() && pol.issuer_rules.is_empty() && pol.loa.is_empty());
    }

    #[test]
    fn every_algorithm_name_maps_to_the_same_jws_name() {
        for a in JwsAlgorithm::ALL {
            assert_eq!(alg_of(a).name(), a.name());
        }
    }
}
