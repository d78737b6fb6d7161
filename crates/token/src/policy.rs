//! What a relying party accepts: the token policy a national profile fills in.
//!
//! Every permissive option is named as such; the defaults are the strict eID reading of issue 4.

use crate::keys::{Alg, HmacKeys};
use serde::{Deserialize, Serialize};

/// The kinds of token the verifier recognises (the `kind` of the CLI output).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TokenKind {
    /// A compact JWS whose payload is a JWT claims set.
    #[serde(rename = "jwt")]
    Jwt,
    /// A JWS JSON serialization (general or flattened) with a JWT claims set.
    #[serde(rename = "jws-json")]
    JwsJson,
    /// An SD-JWT without key binding (compact or JSON).
    #[serde(rename = "sd-jwt")]
    SdJwt,
    /// An SD-JWT presentation with a KB-JWT.
    #[serde(rename = "sd-jwt+kb")]
    SdJwtKb,
}

impl TokenKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Jwt => "jwt",
            TokenKind::JwsJson => "jws-json",
            TokenKind::SdJwt => "sd-jwt",
            TokenKind::SdJwtKb => "sd-jwt+kb",
        }
    }
}

/// `typ` rule for plain JWTs (RFC 8725 §3.11: explicit typing keeps one kind of JWT from being
/// accepted as another).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum JwtTyp {
    /// `typ` absent, `JWT` or `application/jwt` (RFC 7519 §5.1); any other type (`kb+jwt`,
    /// `dc+sd-jwt`, `at+jwt`, ...) belongs to another kind of token and is refused.
    AbsentOrJwt,
    /// `typ` must be one of these (compared as media types, case-insensitively).
    OneOf(Vec<String>),
}

/// `typ` values accepted for an SD-JWT VC (draft-ietf-oauth-sd-jwt-vc §3.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum VcTyp {
    /// Only `dc+sd-jwt`.
    #[default]
    DcSdJwtOnly,
    /// Also the pre-2024 `vc+sd-jwt` (with a notice).
    AllowLegacyVcSdJwt,
}

/// Whether `exp` must be present (it is always checked when present).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ExpRule {
    #[default]
    Optional,
    Required,
}

/// Whether an SD-JWT must be presented with a KB-JWT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum KeyBinding {
    #[default]
    Optional,
    Required,
}

/// What to do with a JWS that carries several signatures (RFC 7515 §7.2.1 leaves it to the
/// application).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum MultiSignature {
    /// One signature only; more is a finding (the eID default: one issuer, one signature).
    #[default]
    RejectMultiple,
    /// Every signature must verify with a configured key or a validated x5c chain.
    RequireAll,
    /// Permissive: one verifying signature suffices; the others become warnings.
    AllowAnyOne,
}

/// EUDI PID rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum PidRule {
    /// Apply the PID rules to every SD-JWT VC whose vct is in `urn:eudi:pid:`.
    #[default]
    WhenVctIsPid,
    /// The token must be a PID (vct in `urn:eudi:pid:`), and the PID rules apply.
    RequirePid,
}

/// Whether mandatory PID attributes are checked. A verifier of a presentation must not treat an
/// undisclosed attribute as missing (draft-ietf-oauth-sd-jwt-vc §"claim metadata"; EUDI PID
/// Rulebook §2.1), so this is only for checking issued credentials with all disclosures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum PidCompleteness {
    #[default]
    Presentation,
    IssuedCredential,
}

/// What a verified token is, finer than its [`TokenKind`]: the vocabulary of a profile's
/// `[tokens].kinds` (an SD-JWT VC is an SD-JWT with `vct` or typ `dc+sd-jwt`; a PID is an SD-JWT
/// VC whose vct is in `urn:eudi:pid:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TokenClass {
    #[serde(rename = "jwt")]
    Jwt,
    #[serde(rename = "jws-json")]
    JwsJson,
    #[serde(rename = "sd-jwt")]
    SdJwt,
    #[serde(rename = "sd-jwt-vc")]
    SdJwtVc,
    #[serde(rename = "pid")]
    Pid,
}

impl TokenClass {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenClass::Jwt => "jwt",
            TokenClass::JwsJson => "jws-json",
            TokenClass::SdJwt => "sd-jwt",
            TokenClass::SdJwtVc => "sd-jwt-vc",
            TokenClass::Pid => "pid",
        }
    }

    /// Whether a token of class `self` is accepted by a list naming `accepted`: a PID is also an
    /// SD-JWT VC.
    pub fn accepted_by(self, accepted: &[TokenClass]) -> bool {
        accepted.contains(&self) || (self == TokenClass::Pid && accepted.contains(&TokenClass::SdJwtVc))
    }
}

/// Where the issuer's verification key came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyOrigin {
    /// An `x5c` chain validated by the caller's chain validator (the anchor never from x5c).
    X5c,
    /// A key the caller configured (JWK, JWKS, PEM).
    Configured,
    /// Either (only as a rule, never as an observed origin).
    Any,
}

impl KeyOrigin {
    fn admits(self, got: KeyOrigin) -> bool {
        self == KeyOrigin::Any || self == got
    }
}

/// An accepted issuer: an `iss` value (any when `None`) whose key came from `key`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuerRule {
    pub iss: Option<String>,
    pub key: KeyOrigin,
}

impl IssuerRule {
    pub fn admits(&self, iss: Option<&str>, key: KeyOrigin) -> bool {
        self.iss.as_deref().is_none_or(|i| Some(i) == iss) && self.key.admits(key)
    }
}

/// Maps a verified token to a level of assurance (eIDAS LoA or a national scale).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoaRule {
    /// The rule applies only to this issuer (`iss`), when set.
    pub issuer: Option<String>,
    /// The rule applies only to SD-JWT VCs whose vct starts with this, when set.
    pub vct_prefix: Option<String>,
    /// The rule applies only to this kind, when set.
    pub kind: Option<TokenKind>,
    /// The rule applies only to this class, when set (a PID also matches `SdJwtVc`).
    pub class: Option<TokenClass>,
    /// The rule applies only when the issuer key came from this origin, when set.
    pub key: Option<KeyOrigin>,
    /// The rule applies only when this claim (after disclosures) is this string, when set.
    pub claim: Option<(String, String)>,
    /// The level assigned, e.g. `high`.
    pub loa: String,
}

/// The facts about a verified token that LoA rules look at.
#[derive(Debug, Clone, Copy)]
pub struct LoaInput<'a> {
    pub kind: TokenKind,
    pub class: TokenClass,
    pub key: KeyOrigin,
    pub claims: &'a serde_json::Map<String, serde_json::Value>,
}

/// The token rules of a relying party; a national profile fills it in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenPolicy {
    /// Signature algorithms accepted (RFC 8725 §3.1). Never `none`; HMAC only with [`HmacKeys`].
    pub allowed_algs: Vec<Alg>,
    #[serde(skip)]
    pub hmac: HmacKeys,
    /// Accepted issuers (`iss`); empty accepts any issuer whose key is configured.
    pub issuers: Vec<String>,
    pub jwt_typ: JwtTyp,
    pub vc_typ: VcTyp,
    /// Clock skew tolerated on exp, nbf and iat, in seconds (RFC 7519 §4.1.4 "some small leeway").
    pub leeway_seconds: i64,
    pub exp: ExpRule,
    pub key_binding: KeyBinding,
    /// How old a KB-JWT's iat may be, in seconds (RFC 9901 §7.3 step 5: "within an acceptable window").
    pub kb_max_age_seconds: i64,
    /// `_sd_alg` values accepted (IANA "Named Information Hash Algorithm" names).
    pub sd_algs: Vec<String>,
    pub multi_signature: MultiSignature,
    pub accepted_kinds: Vec<TokenKind>,
    pub pid: PidRule,
    pub pid_completeness: PidCompleteness,
    /// Claims that must be present after disclosures are applied.
    pub required_claims: Vec<String>,
    pub loa: Vec<LoaRule>,
    /// Token classes accepted (a profile's `[tokens].kinds`); empty: any class that
    /// [`TokenPolicy::accepted_kinds`] admits.
    pub accepted_classes: Vec<TokenClass>,
    /// Accepted issuers and the origin of their keys (a profile's `[tokens].issuers`); empty: any
    /// issuer whose key verifies (and [`TokenPolicy::issuers`], when set).
    pub issuer_rules: Vec<IssuerRule>,
    /// The profile whose `[tokens]` table filled this policy, when one did: its rules are then
    /// reported with the `profile.tokens.*` finding ids.
    pub profile: Option<String>,
    /// Whether [`TokenPolicy::key_binding`] `Required` comes from the profile's
    /// `[tokens].key_binding` (reported as `profile.tokens.key-binding-required`).
    pub profile_key_binding: bool,
}

/// Default leeway: 60 s, the usual skew allowance of OpenID deployments.
pub const DEFAULT_LEEWAY_SECONDS: i64 = 60;
/// Default KB-JWT age window: 5 minutes (HAIP and OpenID4VP deployments use minutes).
pub const DEFAULT_KB_MAX_AGE_SECONDS: i64 = 300;

impl Default for TokenPolicy {
    fn default() -> Self {
        TokenPolicy {
            allowed_algs: Alg::asymmetric(),
            hmac: HmacKeys::Reject,
            issuers: Vec::new(),
            jwt_typ: JwtTyp::AbsentOrJwt,
            vc_typ: VcTyp::DcSdJwtOnly,
            leeway_seconds: DEFAULT_LEEWAY_SECONDS,
            exp: ExpRule::Optional,
            key_binding: KeyBinding::Optional,
            kb_max_age_seconds: DEFAULT_KB_MAX_AGE_SECONDS,
            sd_algs: vec!["sha-256".into()],
            multi_signature: MultiSignature::RejectMultiple,
            accepted_kinds: vec![TokenKind::Jwt, TokenKind::JwsJson, TokenKind::SdJwt, TokenKind::SdJwtKb],
            pid: PidRule::WhenVctIsPid,
            pid_completeness: PidCompleteness::Presentation,
            required_claims: Vec::new(),
            loa: Vec::new(),
            accepted_classes: Vec::new(),
            issuer_rules: Vec::new(),
            profile: None,
            profile_key_binding: false,
        }
    }
}

impl TokenPolicy {
    /// The LoA of a verified token: the first matching rule.
    pub fn loa_for(&self, t: &LoaInput<'_>) -> Option<&str> {
        if self.loa.is_empty() {
            return None;
        }
        let s = |name: &str| t.claims.get(name).and_then(serde_json::Value::as_str);
        let (iss, vct) = (s("iss"), s("vct"));
        self.loa
            .iter()
            .find(|r| {
                r.kind.is_none_or(|k| k == t.kind)
                    && r.class.is_none_or(|c| t.class.accepted_by(&[c]))
                    && r.key.is_none_or(|k| k.admits(t.key))
                    && r.issuer.as_deref().is_none_or(|i| Some(i) == iss)
                    && r.vct_prefix.as_deref().is_none_or(|p| vct.is_some_and(|v| v.starts_with(p)))
                    && r.claim.as_ref().is_none_or(|(c, v)| s(c) == Some(v.as_str()))
            })
            .map(|r| r.loa.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_strict() {
        let p = TokenPolicy::default();
        assert!(p.allowed_algs.iter().all(|a| !a.is_hmac()));
        assert_eq!(p.hmac, HmacKeys::Reject);
        assert_eq!(p.multi_signature, MultiSignature::RejectMultiple);
        assert_eq!(p.sd_algs, vec!["sha-256".to_string()]);
    }

    fn rule(loa: &str) -> LoaRule {
        LoaRule { issuer: None, vct_prefix: None, kind: None, class: None, key: None, claim: None, loa: loa.into() }
    }

    #[test]
    fn loa_first_match() {
        let mut p = TokenPolicy::default();
        p.loa.push(LoaRule { vct_prefix: Some("urn:eudi:pid:".into()), ..rule("high") });
        p.loa.push(LoaRule { claim: Some(("acr".into(), "sub".into())), ..rule("substantial") });
        p.loa.push(LoaRule { key: Some(KeyOrigin::X5c), class: Some(TokenClass::SdJwtVc), ..rule("x5c-vc") });
        p.loa.push(rule("low"));
        let pid = serde_json::json!({"vct": "urn:eudi:pid:rs:1"});
        let acr = serde_json::json!({"iss": "x", "acr": "sub"});
        let vc = serde_json::json!({"vct": "urn:other"});
        let m = |v: &serde_json::Value| v.as_object().cloned().unwrap();
        let (pid, acr, vc) = (m(&pid), m(&acr), m(&vc));
        let t = |kind, class, key, claims| LoaInput { kind, class, key, claims };
        assert_eq!(p.loa_for(&t(TokenKind::SdJwt, TokenClass::Pid, KeyOrigin::X5c, &pid)), Some("high"));
        assert_eq!(p.loa_for(&t(TokenKind::Jwt, TokenClass::Jwt, KeyOrigin::Configured, &acr)), Some("substantial"));
        assert_eq!(p.loa_for(&t(TokenKind::SdJwt, TokenClass::SdJwtVc, KeyOrigin::X5c, &vc)), Some("x5c-vc"));
        assert_eq!(p.loa_for(&t(TokenKind::SdJwt, TokenClass::SdJwtVc, KeyOrigin::Configured, &vc)), Some("low"));
    }

    #[test]
    fn classes_and_issuer_rules() {
        assert!(TokenClass::Pid.accepted_by(&[TokenClass::SdJwtVc]));
        assert!(!TokenClass::SdJwtVc.accepted_by(&[TokenClass::Pid]));
        assert!(!TokenClass::SdJwt.accepted_by(&[TokenClass::SdJwtVc]));
        let r = IssuerRule { iss: Some("https://a".into()), key: KeyOrigin::X5c };
        assert!(r.admits(Some("https://a"), KeyOrigin::X5c));
        assert!(!r.admits(Some("https://a"), KeyOrigin::Configured));
        assert!(!r.admits(Some("https://b"), KeyOrigin::X5c));
        assert!(!r.admits(None, KeyOrigin::X5c));
        let any = IssuerRule { iss: None, key: KeyOrigin::Any };
        assert!(any.admits(None, KeyOrigin::Configured));
    }
}
