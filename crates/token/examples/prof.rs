//! A fixed-iteration driver for profiling (`perf stat -e instructions:u`, `perf record -g`):
//! the benchmark's 700-byte ES256 JWT and its SD-JWT with 10 disclosures and a KB-JWT.
//!
//! `cargo run --release -p eidtrust-token --example prof -- jwt|jwt-ring|sd|sd-ring|none [N]`
//! (`none` builds the tokens and stops: the set-up cost to subtract).

use eidtrust_token::policy::TokenPolicy;
use eidtrust_token::{b64, verify_token, HmacKeys, KeySet, VerifyContext};
use ring::rand::SystemRandom;
use ring::signature::{
    EcdsaKeyPair, KeyPair, UnparsedPublicKey, ECDSA_P256_SHA256_FIXED, ECDSA_P256_SHA256_FIXED_SIGNING,
};
use serde_json::{json, Value};
use sha2::Digest;
use std::hint::black_box;

const AT: i64 = 1_800_000_000;

struct Key {
    kp: EcdsaKeyPair,
    rng: SystemRandom,
}

impl Key {
    /// A new key, or with `PROF_KEYS=DIR` the key saved there as `name.p8` (written on first use),
    /// so that runs compare like with like (ring's verification time depends on the key).
    fn new(name: &str) -> Option<Key> {
        let rng = SystemRandom::new();
        let path = std::env::var_os("PROF_KEYS").map(|d| std::path::Path::new(&d).join(format!("{name}.p8")));
        let pkcs8 = match path.as_ref().and_then(|p| std::fs::read(p).ok()) {
            Some(b) => b,
            None => {
                let b = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).ok()?.as_ref().to_vec();
                if let Some(p) = &path {
                    std::fs::write(p, &b).ok()?;
                }
                b
            }
        };
        let kp = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &pkcs8, &rng).ok()?;
        Some(Key { kp, rng })
    }
    fn jwk(&self) -> Value {
        let p = self.kp.public_key().as_ref();
        json!({"kty": "EC", "crv": "P-256", "x": b64::encode(p.get(1..33).unwrap_or_default()),
            "y": b64::encode(p.get(33..65).unwrap_or_default())})
    }
    fn compact(&self, header: &str, payload: &str) -> Option<String> {
        let input = format!("{}.{}", b64::encode(header.as_bytes()), b64::encode(payload.as_bytes()));
        let sig = self.kp.sign(&self.rng, input.as_bytes()).ok()?;
        Some(format!("{input}.{}", b64::encode(sig.as_ref())))
    }
}

fn jwt_700(k: &Key) -> Option<String> {
    let mut pad = String::new();
    loop {
        let claims = json!({
            "iss": "https://eid.gov.rs", "sub": "2512989710011", "aud": "https://portal.gov.rs",
            "iat": AT - 60, "nbf": AT - 60, "exp": 4_000_000_000i64, "nonce": "n-0S6_WzA2Mj",
            "given_name": "Marko", "family_name": "Marković", "birthdate": "1989-12-25",
            "acr": "http://eidas.europa.eu/LoA/high", "amr": ["hwk", "pin"], "pad": pad,
        });
        let t = k.compact(r#"{"alg":"ES256","typ":"JWT"}"#, &claims.to_string())?;
        if t.len() >= 700 {
            return Some(t);
        }
        pad.push('x');
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "jwt".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(20_000);
    let (Some(k), Some(holder)) = (Key::new("issuer"), Key::new("holder")) else { return };
    let policy = TokenPolicy::default();
    match mode.as_str() {
        "jwt" | "jwt-ring" | "jwt-json" | "jwt-json1" | "jwt-serde" | "jwt-b64" => {
            let Some(token) = jwt_700(&k) else { return };
            let mut keys = KeySet::new();
            if keys.add_from_bytes(k.jwk().to_string().as_bytes(), HmacKeys::Reject).is_err() {
                return;
            }
            let mut cx = VerifyContext::new(&keys, &policy, AT);
            cx.audience = Some("https://portal.gov.rs");
            cx.nonce = Some("n-0S6_WzA2Mj");
            let point = k.kp.public_key().as_ref().to_vec();
            let Some((input, sig)) = token.rsplit_once('.') else { return };
            let Ok(sig) = b64::decode(sig) else { return };
            let mut parts = token.split('.');
            let (Some(h), Some(pl)) = (parts.next(), parts.next()) else { return };
            let (Ok(hb), Ok(pb)) = (b64::decode(h), b64::decode(pl)) else { return };
            let mut buf = Vec::new();
            match mode.as_str() {
                "jwt-json" => {
                    let mut ok = 0usize;
                    for _ in 0..n {
                        ok += usize::from(eidtrust_token::json::parse_strict(black_box(&pb)).is_ok());
                        ok += usize::from(eidtrust_token::json::parse_strict(black_box(&hb)).is_ok());
                    }
                    println!("{mode}: {ok}");
                    return;
                }
                "jwt-serde" => {
                    let mut ok = 0usize;
                    for _ in 0..n {
                        ok += usize::from(serde_json::from_slice::<Value>(black_box(&pb)).is_ok());
                    }
                    println!("{mode}: {ok}");
                    return;
                }
                "jwt-json1" => {
                    let mut ok = 0usize;
                    for _ in 0..n {
                        ok += usize::from(eidtrust_token::json::parse_strict(black_box(&pb)).is_ok());
                    }
                    println!("{mode}: {ok}");
                    return;
                }
                "jwt-b64" => {
                    let mut ok = 0usize;
                    for _ in 0..n {
                        ok += usize::from(b64::decode_into(black_box(pl), &mut buf).is_ok());
                        ok += usize::from(b64::decode_into(black_box(h), &mut buf).is_ok());
                    }
                    println!("{mode}: {ok}");
                    return;
                }
                _ => {}
            }
            let mut ok = 0usize;
            for _ in 0..n {
                ok += usize::from(if mode == "jwt" {
                    verify_token(black_box(token.as_bytes()), &cx).is_valid()
                } else {
                    UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &point)
                        .verify(black_box(input.as_bytes()), &sig)
                        .is_ok()
                });
            }
            println!("{mode}: {ok}/{n} valid");
        }
        "sd" | "sd-ring" => {
            let mut ds = Vec::new();
            for i in 0..10 {
                let d = json!([format!("salt-{i}-abcdefghij"), format!("claim_{i}"), format!("value number {i}")]);
                ds.push(b64::encode(d.to_string().as_bytes()));
            }
            let digests: Vec<String> = ds.iter().map(|d| b64::encode(&sha2::Sha256::digest(d.as_bytes()))).collect();
            let payload = json!({"iss": "https://pid.gov.rs", "iat": AT - 60, "exp": AT + 86400,
                "vct": "urn:eudi:pid:rs:1", "_sd_alg": "sha-256", "_sd": digests, "cnf": {"jwk": holder.jwk()}});
            let Some(jwt) = k.compact(r#"{"alg":"ES256","typ":"dc+sd-jwt"}"#, &payload.to_string()) else { return };
            let base = format!("{jwt}~{}~", ds.join("~"));
            let sd_hash = b64::encode(&sha2::Sha256::digest(base.as_bytes()));
            let kbp = json!({"iat": AT - 1, "aud": "https://rp.gov.rs", "nonce": "abc", "sd_hash": sd_hash});
            let Some(kb) = holder.compact(r#"{"alg":"ES256","typ":"kb+jwt"}"#, &kbp.to_string()) else { return };
            let token = format!("{base}{kb}");
            let mut keys = KeySet::new();
            if keys.add_from_bytes(k.jwk().to_string().as_bytes(), HmacKeys::Reject).is_err() {
                return;
            }
            let mut cx = VerifyContext::new(&keys, &policy, AT);
            cx.audience = Some("https://rp.gov.rs");
            cx.nonce = Some("abc");
            let ip = k.kp.public_key().as_ref().to_vec();
            let hp = holder.kp.public_key().as_ref().to_vec();
            let (Some((i_in, i_sig)), Some((k_in, k_sig))) = (jwt.rsplit_once('.'), kb.rsplit_once('.')) else {
                return;
            };
            let (Ok(i_sig), Ok(k_sig)) = (b64::decode(i_sig), b64::decode(k_sig)) else { return };
            let mut ok = 0usize;
            for _ in 0..n {
                ok += usize::from(if mode == "sd" {
                    verify_token(black_box(token.as_bytes()), &cx).is_valid()
                } else {
                    UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &ip)
                        .verify(black_box(i_in.as_bytes()), &i_sig)
                        .is_ok()
                        && UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &hp)
                            .verify(black_box(k_in.as_bytes()), &k_sig)
                            .is_ok()
                });
            }
            println!("{mode}: {ok}/{n} valid");
        }
        _ => println!("set-up only"),
    }
}
