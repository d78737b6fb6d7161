//! Signature verification behind one small trait.
//!
//! [`RingVerifier`] verifies with ring wherever ring serves (RSA PKCS#1 v1.5 and PSS with 2048 to
//! 8192-bit keys, ECDSA P-256/P-384 with SHA-256/384, Ed25519) and falls back to the RustCrypto
//! crates only where ring cannot: ECDSA P-256 or P-384 with SHA-512 (used by some trusted lists and
//! CAs) and P-521. ring is about 5x faster than the p256 crate here, so the fallback is the
//! exception, not the rule.

use crate::cert::{Curve, Hash, KeyKind, PublicKeyInfo, SignatureAlgorithm};
use std::fmt;

/// Why a signature did not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureError {
    /// The signature is well-formed for the algorithm but does not match.
    Invalid,
    /// The algorithm is not one this verifier supports.
    UnsupportedAlgorithm(String),
    /// The key does not fit the algorithm (an RSA key for ECDSA, P-384 key for a P-256 signature).
    KeyMismatch(String),
    /// The public key is malformed or out of the supported range (e.g. RSA below 2048 bits).
    BadKey(String),
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureError::Invalid => f.write_str("the signature does not verify"),
            SignatureError::UnsupportedAlgorithm(a) => write!(f, "unsupported signature algorithm {a}"),
            SignatureError::KeyMismatch(s) => write!(f, "the key does not fit the algorithm: {s}"),
            SignatureError::BadKey(s) => write!(f, "unusable public key: {s}"),
        }
    }
}

/// Verifies `signature` over `message` with `key` under `alg`.
pub trait SignatureVerifier: Send + Sync {
    fn verify(
        &self,
        alg: &SignatureAlgorithm,
        key: &PublicKeyInfo,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), SignatureError>;

    /// [`SignatureVerifier::verify`] for a caller that keeps the SHA-256 of `message` (the signed
    /// bytes of a certificate or of a parsed OCSP response, hashed once): a verifier that caches
    /// verified signatures may key on it instead of hashing `message` again. The default ignores
    /// it.
    fn verify_with_digest(
        &self,
        alg: &SignatureAlgorithm,
        key: &PublicKeyInfo,
        message: &[u8],
        message_sha256: &[u8; 32],
        signature: &[u8],
    ) -> Result<(), SignatureError> {
        let _ = message_sha256;
        self.verify(alg, key, message, signature)
    }
}

/// The default verifier: ring first, RustCrypto where ring cannot serve.
#[derive(Debug, Default, Clone, Copy)]
pub struct RingVerifier;

impl SignatureVerifier for RingVerifier {
    fn verify(
        &self,
        alg: &SignatureAlgorithm,
        key: &PublicKeyInfo,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), SignatureError> {
        use ring::signature as rs;
        let ring_alg: &dyn rs::VerificationAlgorithm = match (alg, &key.kind) {
            (SignatureAlgorithm::RsaPkcs1(h), KeyKind::Rsa { bits }) => {
                check_rsa_bits(*bits)?;
                match h {
                    Hash::Sha1 => &rs::RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY,
                    Hash::Sha256 => &rs::RSA_PKCS1_2048_8192_SHA256,
                    Hash::Sha384 => &rs::RSA_PKCS1_2048_8192_SHA384,
                    Hash::Sha512 => &rs::RSA_PKCS1_2048_8192_SHA512,
                }
            }
            (SignatureAlgorithm::RsaPss(h), KeyKind::Rsa { bits }) => {
                check_rsa_bits(*bits)?;
                match h {
                    Hash::Sha256 => &rs::RSA_PSS_2048_8192_SHA256,
                    Hash::Sha384 => &rs::RSA_PSS_2048_8192_SHA384,
                    Hash::Sha512 => &rs::RSA_PSS_2048_8192_SHA512,
                    Hash::Sha1 => return Err(SignatureError::UnsupportedAlgorithm("RSASSA-PSS with SHA-1".into())),
                }
            }
            (SignatureAlgorithm::Ecdsa(h), KeyKind::Ec(curve)) => match (curve, h) {
                (Curve::P256, Hash::Sha256) => &rs::ECDSA_P256_SHA256_ASN1,
                (Curve::P256, Hash::Sha384) => &rs::ECDSA_P256_SHA384_ASN1,
                (Curve::P384, Hash::Sha256) => &rs::ECDSA_P384_SHA256_ASN1,
                (Curve::P384, Hash::Sha384) => &rs::ECDSA_P384_SHA384_ASN1,
                (curve, hash) => return rustcrypto_ecdsa(*curve, *hash, &key.key, message, signature),
            },
            (SignatureAlgorithm::Ed25519, KeyKind::Ed25519) => &rs::ED25519,
            (SignatureAlgorithm::Unsupported(oid), _) => return Err(SignatureError::UnsupportedAlgorithm(oid.clone())),
            (alg, kind) => return Err(SignatureError::KeyMismatch(format!("{alg} with a {kind} key"))),
        };
        rs::UnparsedPublicKey::new(ring_alg, &key.key).verify(message, signature).map_err(|_| SignatureError::Invalid)
    }
}

/// RSA keys below 2048 bits are refused (NIST SP 800-131A Rev. 2 §3; ring's own floor), and above
/// 8192 bits too (ring's ceiling, and a bound on verification work).
fn check_rsa_bits(bits: usize) -> Result<(), SignatureError> {
    if !(2048..=8192).contains(&bits) {
        return Err(SignatureError::BadKey(format!("RSA key of {bits} bits (2048 to 8192 supported)")));
    }
    Ok(())
}

fn rustcrypto_ecdsa(curve: Curve, hash: Hash, point: &[u8], msg: &[u8], sig: &[u8]) -> Result<(), SignatureError> {
    use sha2::Digest;
    let digest: Vec<u8> = match hash {
        Hash::Sha256 => sha2::Sha256::digest(msg).to_vec(),
        Hash::Sha384 => sha2::Sha384::digest(msg).to_vec(),
        Hash::Sha512 => sha2::Sha512::digest(msg).to_vec(),
        Hash::Sha1 => return Err(SignatureError::UnsupportedAlgorithm("ECDSA with SHA-1".into())),
    };
    let bad_key = |e: &dyn fmt::Display| SignatureError::BadKey(format!("EC point: {e}"));
    match curve {
        Curve::P256 => {
            use p256::ecdsa::signature::hazmat::PrehashVerifier;
            let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|e| bad_key(&e))?;
            let s = p256::ecdsa::Signature::from_der(sig).map_err(|_| SignatureError::Invalid)?;
            vk.verify_prehash(&digest, &s).map_err(|_| SignatureError::Invalid)
        }
        Curve::P384 => {
            use p384::ecdsa::signature::hazmat::PrehashVerifier;
            let vk = p384::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|e| bad_key(&e))?;
            let s = p384::ecdsa::Signature::from_der(sig).map_err(|_| SignatureError::Invalid)?;
            vk.verify_prehash(&digest, &s).map_err(|_| SignatureError::Invalid)
        }
        Curve::P521 => {
            use p521::ecdsa::signature::hazmat::PrehashVerifier;
            let vk = p521::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|e| bad_key(&e))?;
            let s = p521::ecdsa::Signature::from_der(sig).map_err(|_| SignatureError::Invalid)?;
            vk.verify_prehash(&digest, &s).map_err(|_| SignatureError::Invalid)
        }
    }
}

/// SHA-256 with ring.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(ring::digest::digest(&ring::digest::SHA256, data).as_ref());
    out
}
