//! Token-making helpers for the tests: a P-256 issuer and holder with ring, compact JWS and SD-JWT.
#![allow(dead_code)]

use eidtrust_token::b64;
use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
use serde_json::{json, Value};
use sha2::Digest;

pub struct Signer {
    pub kp: EcdsaKeyPair,
    pub pkcs8: Vec<u8>,
    rng: SystemRandom,
}

impl Signer {
    pub fn new() -> Self {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap().as_ref().to_vec();
        let kp = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &pkcs8, &rng).unwrap();
        Signer { kp, pkcs8, rng }
    }

    pub fn jwk(&self) -> Value {
        let p = self.kp.public_key().as_ref();
        json!({"kty": "EC", "crv": "P-256", "x": b64::encode(&p[1..33]), "y": b64::encode(&p[33..65])})
    }

    pub fn jwk_with_kid(&self, kid: &str) -> Value {
        let mut j = self.jwk();
        j["kid"] = json!(kid);
        j
    }

    pub fn sign_raw(&self, input: &[u8]) -> Vec<u8> {
        self.kp.sign(&self.rng, input).unwrap().as_ref().to_vec()
    }

    /// A compact JWS over the exact header and payload texts given.
    pub fn compact(&self, header: &str, payload: &str) -> String {
        let input = format!("{}.{}", b64::encode(header.as_bytes()), b64::encode(payload.as_bytes()));
        let sig = self.sign_raw(input.as_bytes());
        format!("{input}.{}", b64::encode(&sig))
    }
}

pub fn disclosure(salt: &str, name: Option<&str>, value: Value) -> String {
    let arr = match name {
        Some(n) => json!([salt, n, value]),
        None => json!([salt, value]),
    };
    b64::encode(arr.to_string().as_bytes())
}

pub fn digest(d: &str) -> String {
    b64::encode(&sha2::Sha256::digest(d.as_bytes()))
}

pub fn sd_hash(presentation_without_kb: &str) -> String {
    digest(presentation_without_kb)
}

pub const AT: i64 = 1_800_000_000;
pub const AUD: &str = "https://verifier.example.rs";
pub const NONCE: &str = "n-0S6_WzA2Mj";
