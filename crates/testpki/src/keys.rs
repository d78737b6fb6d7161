//! Deterministic ECDSA keys and signatures.
//!
//! A key is derived from a label (`"rs/root"`, `"rs/leaf/qualified-esig"`) by hashing it with a
//! fixed domain prefix and using the digest as the private scalar; signatures are RFC 6979
//! deterministic ECDSA. The same label therefore always yields the same key, and the same
//! to-be-signed bytes always the same signature — which is what lets a test regenerate the
//! vectors and compare them byte for byte.
//!
//! These keys are test material and public by construction: never use them for anything real.

use crate::der;
use p256::ecdsa::signature::Signer;
use sha2::{Digest, Sha256, Sha384};

/// Domain separation for the key derivation; bump the version to rotate every key.
const KEY_DOMAIN: &str = "eidtrust-testpki/key/v1/";

/// The curves the generator uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curve {
    /// NIST P-256 with ecdsa-with-SHA256 (FIPS 186-4, RFC 5758 §3.2).
    P256,
    /// NIST P-384 with ecdsa-with-SHA384.
    P384,
}

/// Object identifiers of the key and signature algorithms (RFC 5480 §2.1.1, RFC 5758 §3.2).
pub mod oids {
    pub const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
    pub const SECP256R1: &str = "1.2.840.10045.3.1.7";
    pub const SECP384R1: &str = "1.3.132.0.34";
    pub const ECDSA_WITH_SHA256: &str = "1.2.840.10045.4.3.2";
    pub const ECDSA_WITH_SHA384: &str = "1.2.840.10045.4.3.3";
}

#[derive(Clone)]
enum Inner {
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
}

/// A deterministic signing key.
#[derive(Clone)]
pub struct TestKey {
    label: String,
    inner: Inner,
}

impl std::fmt::Debug for TestKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TestKey({}, {:?})", self.label, self.curve())
    }
}

impl TestKey {
    /// The key for `label` on `curve`. Same inputs, same key, on every machine.
    pub fn derive(label: &str, curve: Curve) -> TestKey {
        let mut counter: u32 = 0;
        loop {
            let mut h = Sha384::new();
            h.update(KEY_DOMAIN.as_bytes());
            h.update(label.as_bytes());
            h.update(counter.to_be_bytes());
            let digest = h.finalize();
            // A digest that is zero or not below the group order is rejected by `from_slice`
            // (probability about 2^-128); the counter then picks the next candidate.
            let inner = match curve {
                Curve::P256 => {
                    digest.get(..32).and_then(|b| p256::ecdsa::SigningKey::from_slice(b).ok()).map(Inner::P256)
                }
                Curve::P384 => p384::ecdsa::SigningKey::from_slice(&digest).ok().map(Inner::P384),
            };
            if let Some(inner) = inner {
                return TestKey { label: label.to_string(), inner };
            }
            counter = counter.wrapping_add(1);
        }
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn curve(&self) -> Curve {
        match self.inner {
            Inner::P256(_) => Curve::P256,
            Inner::P384(_) => Curve::P384,
        }
    }

    /// The uncompressed SEC1 public point (the subjectPublicKey bits).
    pub fn public_point(&self) -> Vec<u8> {
        match &self.inner {
            Inner::P256(k) => k.verifying_key().to_encoded_point(false).as_bytes().to_vec(),
            Inner::P384(k) => k.verifying_key().to_encoded_point(false).as_bytes().to_vec(),
        }
    }

    /// SubjectPublicKeyInfo DER (RFC 5480 §2).
    pub fn spki(&self) -> Vec<u8> {
        let curve_oid = match self.curve() {
            Curve::P256 => oids::SECP256R1,
            Curve::P384 => oids::SECP384R1,
        };
        der::seq([
            der::seq([der::oid(oids::EC_PUBLIC_KEY), der::oid(curve_oid)]),
            der::bit_string(&self.public_point()),
        ])
    }

    /// RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits.
    pub fn key_id(&self) -> Vec<u8> {
        use sha1::Sha1;
        Sha1::digest(self.public_point()).to_vec()
    }

    /// The AlgorithmIdentifier of this key's signatures (RFC 5758 §3.2: parameters absent).
    pub fn signature_algorithm(&self) -> Vec<u8> {
        match self.curve() {
            Curve::P256 => der::seq([der::oid(oids::ECDSA_WITH_SHA256)]),
            Curve::P384 => der::seq([der::oid(oids::ECDSA_WITH_SHA384)]),
        }
    }

    /// JOSE algorithm name (RFC 7518 §3.1), for token signing in later issues.
    pub fn jose_alg(&self) -> &'static str {
        match self.curve() {
            Curve::P256 => "ES256",
            Curve::P384 => "ES384",
        }
    }

    /// Deterministic ECDSA (RFC 6979) over `msg`, DER-encoded `Ecdsa-Sig-Value` (RFC 5480 §2.2 / RFC 3279 §2.2.3).
    pub fn sign_der(&self, msg: &[u8]) -> Vec<u8> {
        match &self.inner {
            Inner::P256(k) => {
                let sig: p256::ecdsa::Signature = k.sign(msg);
                sig.to_der().as_bytes().to_vec()
            }
            Inner::P384(k) => {
                let sig: p384::ecdsa::Signature = k.sign(msg);
                sig.to_der().as_bytes().to_vec()
            }
        }
    }

    /// Deterministic ECDSA over `msg` as raw `r || s` (JWS, RFC 7518 §3.4).
    pub fn sign_raw(&self, msg: &[u8]) -> Vec<u8> {
        match &self.inner {
            Inner::P256(k) => {
                let sig: p256::ecdsa::Signature = k.sign(msg);
                sig.to_bytes().to_vec()
            }
            Inner::P384(k) => {
                let sig: p384::ecdsa::Signature = k.sign(msg);
                sig.to_bytes().to_vec()
            }
        }
    }

    /// The private key as PKCS#8 DER (RFC 5958), for tools outside this crate (openssl, token
    /// signers of other libraries).
    pub fn pkcs8_der(&self) -> Vec<u8> {
        use p256::pkcs8::EncodePrivateKey;
        let doc = match &self.inner {
            Inner::P256(k) => k.to_pkcs8_der(),
            Inner::P384(k) => k.to_pkcs8_der(),
        };
        // Encoding a valid in-memory key cannot fail; an empty result would be caught by any user.
        doc.map(|d| d.as_bytes().to_vec()).unwrap_or_default()
    }

    /// The private key as PKCS#8 PEM.
    pub fn pkcs8_pem(&self) -> String {
        der::pem("PRIVATE KEY", &self.pkcs8_der())
    }
}

/// SHA-256, re-exported for users that hash (for example `x5t#S256`).
pub fn sha256(data: &[u8]) -> Vec<u8> {
    Sha256::digest(data).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivation_is_deterministic_and_label_dependent() {
        let a = TestKey::derive("rs/root", Curve::P256);
        let b = TestKey::derive("rs/root", Curve::P256);
        let c = TestKey::derive("me/root", Curve::P256);
        assert_eq!(a.public_point(), b.public_point());
        assert_ne!(a.public_point(), c.public_point());
        assert_eq!(a.public_point().len(), 65);
        assert_eq!(TestKey::derive("x", Curve::P384).public_point().len(), 97);
    }

    #[test]
    fn signatures_are_deterministic_and_verify() {
        use p256::ecdsa::signature::Verifier;
        let k = TestKey::derive("t", Curve::P256);
        let s1 = k.sign_der(b"hello");
        assert_eq!(s1, k.sign_der(b"hello"));
        let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(&k.public_point()).unwrap();
        let sig = p256::ecdsa::Signature::from_der(&s1).unwrap();
        assert!(vk.verify(b"hello", &sig).is_ok());
        assert!(vk.verify(b"hellO", &sig).is_err());
        assert_eq!(k.sign_raw(b"x").len(), 64);
    }

    #[test]
    fn pkcs8_round_trips() {
        use p256::pkcs8::DecodePrivateKey;
        let k = TestKey::derive("t", Curve::P256);
        let back = p256::ecdsa::SigningKey::from_pkcs8_der(&k.pkcs8_der()).unwrap();
        assert_eq!(back.verifying_key().to_encoded_point(false).as_bytes(), &k.public_point()[..]);
        assert!(k.pkcs8_pem().starts_with("-----BEGIN PRIVATE KEY-----\n"));
    }
}
