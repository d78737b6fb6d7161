//! Verification keys the caller configures (JWK, JWKS, PEM) and the signature algorithms.
//!
//! The algorithm comes from the key, not from the header (RFC 8725 §3.1): every key knows the
//! algorithms it may be used with ([`VerifyingKey::allowed_algs`]), and a header `alg` outside that
//! set is refused before any cryptography runs. `kid` is only a lookup among configured keys.
//! Keys found in a token (`jwk`, `jku`, `x5u`) are never used or fetched.

use crate::b64;
use crate::json;
use ring::signature as rs;
use serde_json::{Map, Value};
use std::fmt;

/// The JWS algorithms this crate knows (RFC 7518 §3.1, RFC 8037 §3.1, RFC 9864 for `Ed25519`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Alg {
    ES256,
    ES384,
    ES512,
    EdDSA,
    Ed25519,
    RS256,
    RS384,
    RS512,
    PS256,
    PS384,
    PS512,
    HS256,
    HS384,
    HS512,
}

impl Alg {
    pub const ALL: &'static [Alg] = &[
        Alg::ES256,
        Alg::ES384,
        Alg::ES512,
        Alg::EdDSA,
        Alg::Ed25519,
        Alg::RS256,
        Alg::RS384,
        Alg::RS512,
        Alg::PS256,
        Alg::PS384,
        Alg::PS512,
        Alg::HS256,
        Alg::HS384,
        Alg::HS512,
    ];

    /// The exact, case-sensitive JWA name (RFC 7515 §4.1.1: `alg` is case-sensitive).
    pub fn from_name(name: &str) -> Option<Alg> {
        Alg::ALL.iter().copied().find(|a| a.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Alg::ES256 => "ES256",
            Alg::ES384 => "ES384",
            Alg::ES512 => "ES512",
            Alg::EdDSA => "EdDSA",
            Alg::Ed25519 => "Ed25519",
            Alg::RS256 => "RS256",
            Alg::RS384 => "RS384",
            Alg::RS512 => "RS512",
            Alg::PS256 => "PS256",
            Alg::PS384 => "PS384",
            Alg::PS512 => "PS512",
            Alg::HS256 => "HS256",
            Alg::HS384 => "HS384",
            Alg::HS512 => "HS512",
        }
    }

    pub fn is_hmac(self) -> bool {
        matches!(self, Alg::HS256 | Alg::HS384 | Alg::HS512)
    }

    /// The asymmetric algorithms accepted for eID tokens by default.
    pub fn asymmetric() -> Vec<Alg> {
        Alg::ALL.iter().copied().filter(|a| !a.is_hmac()).collect()
    }
}

impl fmt::Display for Alg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The smallest RSA modulus accepted, in bits (issue 4; NIST SP 800-57 Part 1 Rev. 5 Table 2;
/// ring's own floor for RSA verification is the same).
pub const MIN_RSA_BITS: usize = 2048;

/// The largest RSA modulus accepted, in bits (ring's verification limit).
pub const MAX_RSA_BITS: usize = 8192;

/// How many keys one key file or JWKS may hold. A JWKS larger than this is a configuration error,
/// and trial verification over candidate keys stays bounded.
pub const MAX_KEYS: usize = 64;

/// Whether symmetric (`oct`) keys may be configured at all. eID tokens never use HMAC: an
/// issuer cannot share a secret with every relying party (issue 4, RFC 8725 §3.2), so only the
/// conformance harness opts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HmacKeys {
    #[default]
    Reject,
    /// Test suites only (Wycheproof JWS): accept `oct` keys and `HS*` algorithms.
    AllowForConformanceTests,
}

/// Why a configured key was refused. These are caller errors (exit code 2 in the CLI).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("the key is not valid JSON: {0}")]
    Json(#[from] json::JsonError),
    #[error("the JWK has no usable \"kty\" member")]
    MissingKty,
    #[error("the JWK key type {0:?} is not supported for signatures")]
    UnsupportedKty(String),
    #[error("the JWK member {0:?} is missing or not a base64url string")]
    BadMember(&'static str),
    #[error("the JWK curve {0:?} is not supported")]
    UnsupportedCurve(String),
    #[error("the EC point is not on the curve {0}")]
    InvalidPoint(&'static str),
    #[error("the JWK \"alg\" {alg:?} cannot be used with this key ({why})")]
    AlgMismatch { alg: String, why: &'static str },
    #[error("the JWK \"use\" is {0:?}, not \"sig\"")]
    WrongUse(String),
    #[error("the JWK \"key_ops\" does not allow \"verify\"")]
    WrongKeyOps,
    #[error("the RSA modulus has {bits} bits; between {MIN_RSA_BITS} and {MAX_RSA_BITS} are accepted")]
    RsaSize { bits: usize },
    #[error("the RSA public exponent is not an odd number of at least 3 and at most 2^33")]
    RsaExponent,
    #[error("the RSA modulus has the ROCA fingerprint (CVE-2017-15361): the key is weak")]
    RsaRoca,
    #[error("symmetric (oct) keys are not accepted for eID tokens")]
    SymmetricRejected,
    #[error("the symmetric key is {len} bytes; {alg} needs at least {min} (RFC 7518 §3.2)")]
    HmacKeyTooShort { len: usize, alg: &'static str, min: usize },
    #[error("the key set has two keys with kid {0:?}: a lookup would be ambiguous")]
    DuplicateKid(String),
    #[error("the key set mixes symmetric and asymmetric keys (algorithm confusion risk)")]
    MixedKeySet,
    #[error("the key set holds more than {MAX_KEYS} keys")]
    TooManyKeys,
    #[error("no key found in the input")]
    Empty,
    #[error("not a key the toolkit understands: {0}")]
    Unrecognised(String),
    #[error("the DER public key is malformed: {0}")]
    Der(String),
}

#[derive(Clone)]
pub(crate) enum Material {
    /// Uncompressed SEC1 point, validated on load.
    P256(Vec<u8>),
    P384(Vec<u8>),
    P521(p521::ecdsa::VerifyingKey),
    Ed25519(Vec<u8>),
    Rsa {
        n: Vec<u8>,
        e: Vec<u8>,
    },
    Hmac(Vec<u8>),
}

/// One configured verification key.
#[derive(Clone)]
pub struct VerifyingKey {
    pub kid: Option<String>,
    /// The algorithm pinned by the key's own `alg` member, if it had one.
    pub pinned_alg: Option<Alg>,
    pub(crate) material: Material,
}

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyingKey")
            .field("kid", &self.kid)
            .field("pinned_alg", &self.pinned_alg)
            .field("type", &self.type_name())
            .finish()
    }
}

/// Why a signature did not verify. Callers turn these into findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SigError {
    #[error("the signature is {got} bytes; {alg} signatures are {want} bytes")]
    Length { alg: Alg, got: usize, want: usize },
    #[error("ECDSA r or s is outside [1, n-1] (CVE-2022-21449)")]
    EcdsaRange,
    #[error("the signature does not verify")]
    Invalid,
    #[error("{alg} cannot be used with this key")]
    WrongAlg { alg: Alg },
}

// Group orders (big-endian) for the ECDSA range check.
const P256_N: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa,
    0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];
const P384_N: [u8; 48] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xc7, 0x63, 0x4d, 0x81, 0xf4, 0x37, 0x2d, 0xdf, 0x58, 0x1a, 0x0d, 0xb2, 0x48, 0xb0,
    0xa7, 0x7a, 0xec, 0xec, 0x19, 0x6a, 0xcc, 0xc5, 0x29, 0x73,
];

/// `bytes` (big-endian, fixed width) is in [1, n-1].
fn in_scalar_range(bytes: &[u8], n: &[u8]) -> bool {
    bytes.len() == n.len() && bytes.iter().any(|b| *b != 0) && bytes < n
}

/// Checks a raw r||s ECDSA signature of the given width against the group order: both halves
/// must be in [1, n-1] (RFC 7518 §3.4; the CVE-2022-21449 "psychic signature" is r = s = 0).
fn ecdsa_raw_in_range(sig: &[u8], n: &[u8]) -> bool {
    let w = n.len();
    match (sig.get(..w), sig.get(w..)) {
        (Some(r), Some(s)) => sig.len() == 2 * w && in_scalar_range(r, n) && in_scalar_range(s, n),
        _ => false,
    }
}

impl VerifyingKey {
    pub fn type_name(&self) -> &'static str {
        match &self.material {
            Material::P256(_) => "EC P-256",
            Material::P384(_) => "EC P-384",
            Material::P521(_) => "EC P-521",
            Material::Ed25519(_) => "Ed25519",
            Material::Rsa { .. } => "RSA",
            Material::Hmac(_) => "symmetric",
        }
    }

    pub fn is_symmetric(&self) -> bool {
        matches!(self.material, Material::Hmac(_))
    }

    /// The algorithms this key may verify: its own `alg` if it had one, else the algorithms of
    /// its type (RFC 8725 §3.1). An RSA key without `alg` serves RS* and PS* (same key, same
    /// primitive family); an EC key serves exactly the algorithm of its curve.
    pub fn allowed_algs(&self) -> Vec<Alg> {
        if let Some(a) = self.pinned_alg {
            return vec![a];
        }
        match &self.material {
            Material::P256(_) => vec![Alg::ES256],
            Material::P384(_) => vec![Alg::ES384],
            Material::P521(_) => vec![Alg::ES512],
            Material::Ed25519(_) => vec![Alg::EdDSA, Alg::Ed25519],
            Material::Rsa { .. } => {
                vec![Alg::RS256, Alg::RS384, Alg::RS512, Alg::PS256, Alg::PS384, Alg::PS512]
            }
            Material::Hmac(k) => {
                [Alg::HS256, Alg::HS384, Alg::HS512].into_iter().filter(|a| k.len() >= hmac_min_len(*a)).collect()
            }
        }
    }

    /// Whether `alg` is one of [`Self::allowed_algs`] (without building the list).
    pub fn allows(&self, alg: Alg) -> bool {
        if let Some(a) = self.pinned_alg {
            return a == alg;
        }
        match &self.material {
            Material::P256(_) => alg == Alg::ES256,
            Material::P384(_) => alg == Alg::ES384,
            Material::P521(_) => alg == Alg::ES512,
            Material::Ed25519(_) => matches!(alg, Alg::EdDSA | Alg::Ed25519),
            Material::Rsa { .. } => {
                matches!(alg, Alg::RS256 | Alg::RS384 | Alg::RS512 | Alg::PS256 | Alg::PS384 | Alg::PS512)
            }
            Material::Hmac(k) => alg.is_hmac() && k.len() >= hmac_min_len(alg),
        }
    }

    /// Verifies `sig` over `msg` with `alg`, which must be one of [`Self::allowed_algs`].
    pub fn verify(&self, alg: Alg, msg: &[u8], sig: &[u8]) -> Result<(), SigError> {
        if !self.allows(alg) {
            return Err(SigError::WrongAlg { alg });
        }
        match (&self.material, alg) {
            (Material::P256(point), Alg::ES256) => {
                check_len(alg, sig, 64)?;
                if !ecdsa_raw_in_range(sig, &P256_N) {
                    return Err(SigError::EcdsaRange);
                }
                ring_verify(&rs::ECDSA_P256_SHA256_FIXED, point, msg, sig)
            }
            (Material::P384(point), Alg::ES384) => {
                check_len(alg, sig, 96)?;
                if !ecdsa_raw_in_range(sig, &P384_N) {
                    return Err(SigError::EcdsaRange);
                }
                ring_verify(&rs::ECDSA_P384_SHA384_FIXED, point, msg, sig)
            }
            (Material::P521(vk), Alg::ES512) => {
                use p521::ecdsa::signature::Verifier;
                check_len(alg, sig, 132)?;
                // from_slice refuses r or s outside [1, n-1].
                let s = p521::ecdsa::Signature::from_slice(sig).map_err(|_| SigError::EcdsaRange)?;
                vk.verify(msg, &s).map_err(|_| SigError::Invalid)
            }
            (Material::Ed25519(pk), Alg::EdDSA | Alg::Ed25519) => {
                check_len(alg, sig, 64)?;
                ring_verify(&rs::ED25519, pk, msg, sig)
            }
            (Material::Rsa { n, e, .. }, _) => {
                let params: &rs::RsaParameters = match alg {
                    Alg::RS256 => &rs::RSA_PKCS1_2048_8192_SHA256,
                    Alg::RS384 => &rs::RSA_PKCS1_2048_8192_SHA384,
                    Alg::RS512 => &rs::RSA_PKCS1_2048_8192_SHA512,
                    Alg::PS256 => &rs::RSA_PSS_2048_8192_SHA256,
                    Alg::PS384 => &rs::RSA_PSS_2048_8192_SHA384,
                    Alg::PS512 => &rs::RSA_PSS_2048_8192_SHA512,
                    _ => return Err(SigError::WrongAlg { alg }),
                };
                rs::RsaPublicKeyComponents { n: n.as_slice(), e: e.as_slice() }
                    .verify(params, msg, sig)
                    .map_err(|_| SigError::Invalid)
            }
            (Material::Hmac(k), Alg::HS256 | Alg::HS384 | Alg::HS512) => {
                let a = match alg {
                    Alg::HS256 => ring::hmac::HMAC_SHA256,
                    Alg::HS384 => ring::hmac::HMAC_SHA384,
                    _ => ring::hmac::HMAC_SHA512,
                };
                ring::hmac::verify(&ring::hmac::Key::new(a, k), msg, sig).map_err(|_| SigError::Invalid)
            }
            _ => Err(SigError::WrongAlg { alg }),
        }
    }

    /// Reads one JWK (RFC 7517 §4). Private members are ignored: only the public part is kept.
    pub fn from_jwk(jwk: &Map<String, Value>, hmac: HmacKeys) -> Result<Self, KeyError> {
        let kty = jwk.get("kty").and_then(Value::as_str).ok_or(KeyError::MissingKty)?;
        if let Some(u) = jwk.get("use") {
            match u.as_str() {
                Some("sig") => {}
                _ => return Err(KeyError::WrongUse(u.to_string())),
            }
        }
        if let Some(ops) = jwk.get("key_ops") {
            let ok = ops.as_array().is_some_and(|a| a.iter().any(|o| o.as_str() == Some("verify")));
            if !ok {
                return Err(KeyError::WrongKeyOps);
            }
        }
        let kid = jwk.get("kid").and_then(Value::as_str).map(str::to_owned);
        let alg_name = match jwk.get("alg") {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => return Err(KeyError::AlgMismatch { alg: other.to_string(), why: "not a string" }),
        };
        let material = match kty {
            "EC" => {
                let crv = jwk.get("crv").and_then(Value::as_str).ok_or(KeyError::BadMember("crv"))?;
                let width = match crv {
                    "P-256" => 32,
                    "P-384" => 48,
                    "P-521" => 66,
                    other => return Err(KeyError::UnsupportedCurve(other.to_owned())),
                };
                // RFC 7518 §6.2.1.2/3: x and y are the full coordinate width.
                let x = member_b64(jwk, "x")?;
                let y = member_b64(jwk, "y")?;
                if x.len() != width || y.len() != width {
                    return Err(KeyError::BadMember(if x.len() != width { "x" } else { "y" }));
                }
                let mut point = Vec::with_capacity(1 + 2 * width);
                point.push(4);
                point.extend_from_slice(&x);
                point.extend_from_slice(&y);
                ec_material(crv, point)?
            }
            "OKP" => {
                let crv = jwk.get("crv").and_then(Value::as_str).ok_or(KeyError::BadMember("crv"))?;
                if crv != "Ed25519" {
                    return Err(KeyError::UnsupportedCurve(crv.to_owned()));
                }
                let x = member_b64(jwk, "x")?;
                if x.len() != 32 {
                    return Err(KeyError::BadMember("x"));
                }
                Material::Ed25519(x)
            }
            "RSA" => rsa_material(member_b64(jwk, "n")?, member_b64(jwk, "e")?)?,
            "oct" => {
                if hmac == HmacKeys::Reject {
                    return Err(KeyError::SymmetricRejected);
                }
                let k = jwk.get("k").and_then(Value::as_str).ok_or(KeyError::BadMember("k"))?;
                let k = b64::decode(k).map_err(|_| KeyError::BadMember("k"))?;
                if k.is_empty() {
                    return Err(KeyError::BadMember("k"));
                }
                Material::Hmac(k)
            }
            other => return Err(KeyError::UnsupportedKty(other.to_owned())),
        };
        let key = VerifyingKey { kid, pinned_alg: None, material };
        key.pin_alg(alg_name.as_deref())
    }

    fn pin_alg(mut self, alg_name: Option<&str>) -> Result<Self, KeyError> {
        let Some(name) = alg_name else { return Ok(self) };
        let mismatch = |why| KeyError::AlgMismatch { alg: name.to_owned(), why };
        let alg = Alg::from_name(name).ok_or_else(|| mismatch("not a JWS signature algorithm"))?;
        if let Material::Hmac(k) = &self.material {
            let min = hmac_min_len(alg);
            if alg.is_hmac() && k.len() < min {
                return Err(KeyError::HmacKeyTooShort { len: k.len(), alg: alg.name(), min });
            }
        }
        if !self.allowed_algs().contains(&alg) {
            return Err(mismatch("the key type or curve belongs to another algorithm"));
        }
        self.pinned_alg = Some(alg);
        Ok(self)
    }

    /// Reads a DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7; RFC 5480, RFC 8410, RFC 8017).
    pub fn from_spki_der(der: &[u8]) -> Result<Self, KeyError> {
        use x509_parser::prelude::FromDer;
        let (rest, spki) =
            x509_parser::x509::SubjectPublicKeyInfo::from_der(der).map_err(|e| KeyError::Der(e.to_string()))?;
        if !rest.is_empty() {
            return Err(KeyError::Der("trailing bytes after the SubjectPublicKeyInfo".into()));
        }
        Self::from_spki(&spki)
    }

    pub(crate) fn from_spki(spki: &x509_parser::x509::SubjectPublicKeyInfo<'_>) -> Result<Self, KeyError> {
        let oid = spki.algorithm.algorithm.to_id_string();
        let data = spki.subject_public_key.data.to_vec();
        let material = match oid.as_str() {
            "1.2.840.10045.2.1" => {
                let curve = spki
                    .algorithm
                    .parameters
                    .as_ref()
                    .and_then(|p| p.as_oid().ok())
                    .map(|o| o.to_id_string())
                    .ok_or_else(|| KeyError::Der("EC key without a named curve".into()))?;
                let crv = match curve.as_str() {
                    "1.2.840.10045.3.1.7" => "P-256",
                    "1.3.132.0.34" => "P-384",
                    "1.3.132.0.35" => "P-521",
                    other => return Err(KeyError::UnsupportedCurve(other.to_owned())),
                };
                ec_material(crv, data)?
            }
            "1.3.101.112" => {
                if data.len() != 32 {
                    return Err(KeyError::Der("an Ed25519 key is 32 bytes".into()));
                }
                Material::Ed25519(data)
            }
            "1.2.840.113549.1.1.1" => {
                let parsed = spki.parsed().map_err(|e| KeyError::Der(e.to_string()))?;
                match parsed {
                    x509_parser::public_key::PublicKey::RSA(r) => {
                        rsa_material(strip_zeros(r.modulus).to_vec(), strip_zeros(r.exponent).to_vec())?
                    }
                    _ => return Err(KeyError::Der("malformed RSA public key".into())),
                }
            }
            other => return Err(KeyError::Unrecognised(format!("public key algorithm {other}"))),
        };
        Ok(VerifyingKey { kid: None, pinned_alg: None, material })
    }
}

fn strip_zeros(b: &[u8]) -> &[u8] {
    let i = b.iter().position(|x| *x != 0).unwrap_or(b.len());
    b.get(i..).unwrap_or_default()
}

pub(crate) fn hmac_min_len(alg: Alg) -> usize {
    match alg {
        Alg::HS256 => 32,
        Alg::HS384 => 48,
        Alg::HS512 => 64,
        _ => 0,
    }
}

fn check_len(alg: Alg, sig: &[u8], want: usize) -> Result<(), SigError> {
    if sig.len() != want {
        return Err(SigError::Length { alg, got: sig.len(), want });
    }
    Ok(())
}

fn ring_verify(a: &'static dyn rs::VerificationAlgorithm, key: &[u8], msg: &[u8], sig: &[u8]) -> Result<(), SigError> {
    rs::UnparsedPublicKey::new(a, key).verify(msg, sig).map_err(|_| SigError::Invalid)
}

fn member_b64(jwk: &Map<String, Value>, name: &'static str) -> Result<Vec<u8>, KeyError> {
    let s = jwk.get(name).and_then(Value::as_str).ok_or(KeyError::BadMember(name))?;
    b64::decode(s).map_err(|_| KeyError::BadMember(name))
}

/// Validates an uncompressed SEC1 point with the RustCrypto curve crates (ring has no point
/// parser of its own that we could keep) and keeps it in the form ring verifies with.
fn ec_material(crv: &str, point: Vec<u8>) -> Result<Material, KeyError> {
    match crv {
        "P-256" => {
            if point.len() != 65 || p256::PublicKey::from_sec1_bytes(&point).is_err() {
                return Err(KeyError::InvalidPoint("P-256"));
            }
            Ok(Material::P256(point))
        }
        "P-384" => {
            if point.len() != 97 || p384::PublicKey::from_sec1_bytes(&point).is_err() {
                return Err(KeyError::InvalidPoint("P-384"));
            }
            Ok(Material::P384(point))
        }
        "P-521" => {
            if point.len() != 133 {
                return Err(KeyError::InvalidPoint("P-521"));
            }
            p521::ecdsa::VerifyingKey::from_sec1_bytes(&point)
                .map(Material::P521)
                .map_err(|_| KeyError::InvalidPoint("P-521"))
        }
        other => Err(KeyError::UnsupportedCurve(other.to_owned())),
    }
}

fn rsa_material(n: Vec<u8>, e: Vec<u8>) -> Result<Material, KeyError> {
    let n = strip_zeros(&n).to_vec();
    let e = strip_zeros(&e).to_vec();
    let bits = n.first().map_or(0, |b| (n.len() - 1) * 8 + (8 - b.leading_zeros() as usize));
    if !(MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
        return Err(KeyError::RsaSize { bits });
    }
    // ring accepts exponents in [3, 2^33 - 1]; an even exponent or 1 is never a valid key.
    let e_val = e.iter().try_fold(0u64, |acc, b| if acc >> 56 == 0 { Some(acc << 8 | u64::from(*b)) } else { None });
    match e_val {
        Some(v) if v >= 3 && v % 2 == 1 && v < (1u64 << 33) => {}
        _ => return Err(KeyError::RsaExponent),
    }
    if has_roca_fingerprint(&n) {
        return Err(KeyError::RsaRoca);
    }
    Ok(Material::Rsa { n, e })
}

/// The ROCA test (Nemec et al., CCS 2017; CVE-2017-15361): moduli made by the vulnerable
/// generator are, modulo each small prime p below, in the subgroup generated by 65537.
fn has_roca_fingerprint(n: &[u8]) -> bool {
    const PRIMES: [u32; 38] = [
        3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107,
        109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167,
    ];
    PRIMES.iter().all(|&p| {
        let r = n.iter().fold(0u32, |acc, b| (acc * 256 + u32::from(*b)) % p);
        // Walk the subgroup <65537 mod p>.
        let g = 65537 % p;
        let mut x = 1u32;
        for _ in 0..p {
            if x == r {
                return true;
            }
            x = x * g % p;
            if x == 1 {
                break;
            }
        }
        false
    })
}

/// The keys a caller configured. `kid` values are unique; symmetric and asymmetric keys never mix.
#[derive(Debug, Clone, Default)]
pub struct KeySet {
    keys: Vec<VerifyingKey>,
}

impl KeySet {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn keys(&self) -> &[VerifyingKey] {
        &self.keys
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Adds a key, keeping the set unambiguous.
    pub fn add(&mut self, key: VerifyingKey) -> Result<(), KeyError> {
        if self.keys.len() >= MAX_KEYS {
            return Err(KeyError::TooManyKeys);
        }
        if let Some(kid) = &key.kid {
            // Two keys with one kid are ambiguous when they serve a common algorithm; an RSA and
            // an EC key sharing a kid (RFC 7520 §4.8) are told apart by the header alg.
            let algs = key.allowed_algs();
            if self
                .keys
                .iter()
                .any(|k| k.kid.as_ref() == Some(kid) && k.allowed_algs().iter().any(|a| algs.contains(a)))
            {
                return Err(KeyError::DuplicateKid(kid.clone()));
            }
        }
        if self.keys.iter().any(|k| k.is_symmetric() != key.is_symmetric()) {
            return Err(KeyError::MixedKeySet);
        }
        self.keys.push(key);
        Ok(())
    }

    /// Reads a JWK, a JWKS (`{"keys": [...]}`, RFC 7517 §5) or PEM (`PUBLIC KEY` and
    /// `CERTIFICATE` blocks) and adds every key in it.
    pub fn add_from_bytes(&mut self, bytes: &[u8], hmac: HmacKeys) -> Result<usize, KeyError> {
        let text = std::str::from_utf8(bytes).map_err(|_| KeyError::Unrecognised("not UTF-8 text".into()))?;
        let trimmed = text.trim_start();
        let before = self.keys.len();
        if trimmed.starts_with('{') {
            let obj = json::parse_object(trimmed.as_bytes())?;
            self.add_jwk_or_jwks(&obj, hmac)?;
        } else if trimmed.starts_with("-----BEGIN") {
            for pem in x509_parser::pem::Pem::iter_from_buffer(bytes) {
                let pem = pem.map_err(|e| KeyError::Der(e.to_string()))?;
                let key = match pem.label.as_str() {
                    "PUBLIC KEY" => VerifyingKey::from_spki_der(&pem.contents)?,
                    "CERTIFICATE" => {
                        let (_, cert) = x509_parser::parse_x509_certificate(&pem.contents)
                            .map_err(|e| KeyError::Der(e.to_string()))?;
                        VerifyingKey::from_spki(cert.public_key())?
                    }
                    other => return Err(KeyError::Unrecognised(format!("PEM block {other:?}"))),
                };
                self.add(key)?;
            }
        } else {
            return Err(KeyError::Unrecognised("expected a JWK, a JWKS or PEM".into()));
        }
        let added = self.keys.len() - before;
        if added == 0 {
            return Err(KeyError::Empty);
        }
        Ok(added)
    }

    pub fn add_jwk_or_jwks(&mut self, obj: &Map<String, Value>, hmac: HmacKeys) -> Result<(), KeyError> {
        if let Some(keys) = obj.get("keys") {
            let arr = keys.as_array().ok_or(KeyError::BadMember("keys"))?;
            if arr.len() > MAX_KEYS {
                return Err(KeyError::TooManyKeys);
            }
            for k in arr {
                let k = k.as_object().ok_or(KeyError::BadMember("keys"))?;
                self.add(VerifyingKey::from_jwk(k, hmac)?)?;
            }
            Ok(())
        } else {
            self.add(VerifyingKey::from_jwk(obj, hmac)?)
        }
    }

    /// The candidate keys for a header: when the header names a `kid` (only a lookup), the keys
    /// with that kid, or if none has it, the keys configured without a kid (a PEM key has none);
    /// among those, every key whose algorithms include `alg`.
    pub fn candidates(&self, kid: Option<&str>, alg: Alg) -> Vec<&VerifyingKey> {
        self.candidate_iter(kid, alg).collect()
    }

    /// [`Self::candidates`] without collecting them.
    pub(crate) fn candidate_iter<'s, 'k>(
        &'s self,
        kid: Option<&'k str>,
        alg: Alg,
    ) -> impl Iterator<Item = &'s VerifyingKey> + Clone + use<'s, 'k> {
        let exact = kid.is_some_and(|kid| self.keys.iter().any(|k| k.kid.as_deref() == Some(kid)));
        self.keys
            .iter()
            .filter(move |k| match kid {
                Some(kid) if exact => k.kid.as_deref() == Some(kid),
                Some(_) => k.kid.is_none(),
                None => true,
            })
            .filter(move |k| k.allows(alg))
    }

    /// Whether a header `kid` can name a configured key: one has that kid, or one has no kid.
    pub fn has_kid(&self, kid: &str) -> bool {
        self.keys.iter().any(|k| k.kid.as_deref() == Some(kid) || k.kid.is_none())
    }
}

/// Raw ECDSA verification helpers for the Wycheproof suites and for callers that hold a SEC1 point.
pub mod raw {
    use super::*;

    /// The curves of the raw helpers.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Curve {
        P256,
        P384,
    }

    /// ECDSA over a raw r||s (IEEE P1363) signature, with the range check.
    pub fn ecdsa_p1363(curve: Curve, point: &[u8], msg: &[u8], sig: &[u8]) -> bool {
        let (alg, n): (&'static dyn rs::VerificationAlgorithm, &[u8]) = match curve {
            Curve::P256 => (&rs::ECDSA_P256_SHA256_FIXED, &P256_N),
            Curve::P384 => (&rs::ECDSA_P384_SHA384_FIXED, &P384_N),
        };
        ecdsa_raw_in_range(sig, n) && ring_verify(alg, point, msg, sig).is_ok()
    }

    /// ECDSA over a DER `Ecdsa-Sig-Value` (strict DER, as ring parses it).
    pub fn ecdsa_der(curve: Curve, point: &[u8], msg: &[u8], sig: &[u8]) -> bool {
        let alg: &'static dyn rs::VerificationAlgorithm = match curve {
            Curve::P256 => &rs::ECDSA_P256_SHA256_ASN1,
            Curve::P384 => &rs::ECDSA_P384_SHA384_ASN1,
        };
        ring_verify(alg, point, msg, sig).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(s: &str) -> Map<String, Value> {
        json::parse_object(s.as_bytes()).unwrap()
    }

    const EC: &str = r#"{"kty":"EC","crv":"P-256","x":"b28d4MwZMjw8-00CG4xfnn9SLMVMM19SlqZpVb_uNtQ","y":"Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqk8"}"#;

    #[test]
    fn ec_key_allows_only_its_curve_alg() {
        let k = VerifyingKey::from_jwk(&obj(EC), HmacKeys::Reject).unwrap();
        assert_eq!(k.allowed_algs(), vec![Alg::ES256]);
        assert_eq!(k.verify(Alg::HS256, b"m", &[0; 32]), Err(SigError::WrongAlg { alg: Alg::HS256 }));
        assert_eq!(k.verify(Alg::ES256, b"m", &[0; 64]), Err(SigError::EcdsaRange));
        assert!(matches!(k.verify(Alg::ES256, b"m", &[1; 63]), Err(SigError::Length { .. })));
    }

    #[test]
    fn jwk_alg_must_match_curve_and_use_must_be_sig() {
        let bad = EC.replace("\"kty\"", "\"alg\":\"ES384\",\"kty\"");
        assert!(matches!(VerifyingKey::from_jwk(&obj(&bad), HmacKeys::Reject), Err(KeyError::AlgMismatch { .. })));
        let enc = EC.replace("\"kty\"", "\"use\":\"enc\",\"kty\"");
        assert!(matches!(VerifyingKey::from_jwk(&obj(&enc), HmacKeys::Reject), Err(KeyError::WrongUse(_))));
        let ops = EC.replace("\"kty\"", "\"key_ops\":[\"encrypt\"],\"kty\"");
        assert_eq!(VerifyingKey::from_jwk(&obj(&ops), HmacKeys::Reject).unwrap_err(), KeyError::WrongKeyOps);
    }

    #[test]
    fn point_off_curve_is_refused() {
        let bad =
            EC.replace("Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqk8", "Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqkA");
        assert_eq!(VerifyingKey::from_jwk(&obj(&bad), HmacKeys::Reject).unwrap_err(), KeyError::InvalidPoint("P-256"));
    }

    #[test]
    fn symmetric_keys_rejected_by_default_and_keysets_stay_unambiguous() {
        let oct = r#"{"kty":"oct","k":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"}"#;
        assert_eq!(VerifyingKey::from_jwk(&obj(oct), HmacKeys::Reject).unwrap_err(), KeyError::SymmetricRejected);
        let mut set = KeySet::new();
        set.add(VerifyingKey::from_jwk(&obj(oct), HmacKeys::AllowForConformanceTests).unwrap()).unwrap();
        let ec = VerifyingKey::from_jwk(&obj(EC), HmacKeys::Reject).unwrap();
        assert_eq!(set.add(ec).unwrap_err(), KeyError::MixedKeySet);
        let mut set = KeySet::new();
        let with_kid = EC.replace("\"kty\"", "\"kid\":\"a\",\"kty\"");
        set.add_from_bytes(with_kid.as_bytes(), HmacKeys::Reject).unwrap();
        assert_eq!(
            set.add_from_bytes(with_kid.as_bytes(), HmacKeys::Reject).unwrap_err(),
            KeyError::DuplicateKid("a".into())
        );
    }

    #[test]
    fn rsa_floor_and_exponent() {
        let small_n = b64::encode(&[0xc1; 128]); // 1024 bits
        let j = format!(r#"{{"kty":"RSA","n":"{small_n}","e":"AQAB"}}"#);
        assert_eq!(VerifyingKey::from_jwk(&obj(&j), HmacKeys::Reject).unwrap_err(), KeyError::RsaSize { bits: 1024 });
        let mut n = vec![0xc1; 256];
        n[255] = 0x0f;
        let j = format!(r#"{{"kty":"RSA","n":"{}","e":"AQ"}}"#, b64::encode(&n));
        assert_eq!(VerifyingKey::from_jwk(&obj(&j), HmacKeys::Reject).unwrap_err(), KeyError::RsaExponent);
    }

    #[test]
    fn allows_agrees_with_allowed_algs() {
        let keys = [
            r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#,
            r#"{"kty":"EC","crv":"P-256","alg":"ES256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#,
            r#"{"kty":"oct","k":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}"#,
        ];
        for k in keys {
            let key = VerifyingKey::from_jwk(&obj(k), HmacKeys::AllowForConformanceTests).unwrap();
            for a in [
                Alg::ES256,
                Alg::ES384,
                Alg::ES512,
                Alg::EdDSA,
                Alg::RS256,
                Alg::PS512,
                Alg::HS256,
                Alg::HS384,
                Alg::HS512,
            ] {
                assert_eq!(key.allows(a), key.allowed_algs().contains(&a), "{k} {a}");
            }
        }
    }

    #[test]
    fn scalar_range() {
        assert!(!in_scalar_range(&[0; 32], &P256_N));
        assert!(!in_scalar_range(&P256_N, &P256_N));
        let mut nm1 = P256_N;
        nm1[31] -= 1;
        assert!(in_scalar_range(&nm1, &P256_N));
        assert!(!in_scalar_range(&[1; 31], &P256_N));
    }
}
