//! ES256 compact JWT verification against jsonwebtoken (rust_crypto backend) and josekit
//! (OpenSSL), and the floor: base64url + one ring P-256 verify + serde_json. Also an SD-JWT with
//! 10 disclosures and a KB-JWT against the cost of its two signature verifications.
//!
//! Run: `cargo bench -p eidtrust-token --bench verify`. Compare ratios, not absolute times.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use eidtrust_token::policy::TokenPolicy;
use eidtrust_token::{b64, verify_token, HmacKeys, KeySet, VerifyContext};
use ring::rand::SystemRandom;
use ring::signature::{
    EcdsaKeyPair, KeyPair, UnparsedPublicKey, ECDSA_P256_SHA256_FIXED, ECDSA_P256_SHA256_FIXED_SIGNING,
};
use serde_json::{json, Value};
use sha2::Digest;

const AT: i64 = 1_800_000_000;

struct Key {
    kp: EcdsaKeyPair,
    rng: SystemRandom,
}

impl Key {
    fn new() -> Key {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        let kp = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng).unwrap();
        Key { kp, rng }
    }
    fn xy(&self) -> (String, String) {
        let p = self.kp.public_key().as_ref();
        (b64::encode(&p[1..33]), b64::encode(&p[33..65]))
    }
    fn jwk(&self) -> Value {
        let (x, y) = self.xy();
        json!({"kty": "EC", "crv": "P-256", "x": x, "y": y})
    }
    fn compact(&self, header: &str, payload: &str) -> String {
        let input = format!("{}.{}", b64::encode(header.as_bytes()), b64::encode(payload.as_bytes()));
        let sig = self.kp.sign(&self.rng, input.as_bytes()).unwrap();
        format!("{input}.{}", b64::encode(sig.as_ref()))
    }
}

/// A ~700-byte ES256 JWT with realistic eID claims.
fn jwt_700(k: &Key) -> String {
    let mut pad = String::new();
    loop {
        let claims = json!({
            "iss": "https://eid.gov.rs", "sub": "2512989710011", "aud": "https://portal.gov.rs",
            "iat": AT - 60, "nbf": AT - 60, "exp": 4_000_000_000i64, "nonce": "n-0S6_WzA2Mj",
            "given_name": "Marko", "family_name": "Marković", "birthdate": "1989-12-25",
            "acr": "http://eidas.europa.eu/LoA/high", "amr": ["hwk", "pin"], "pad": pad,
        });
        let t = k.compact(r#"{"alg":"ES256","typ":"JWT"}"#, &claims.to_string());
        if t.len() >= 700 {
            return t;
        }
        pad.push('x');
    }
}

fn bench_jwt(c: &mut Criterion) {
    let k = Key::new();
    let token = jwt_700(&k);
    eprintln!("token length: {} bytes", token.len());
    let mut keys = KeySet::new();
    keys.add_from_bytes(k.jwk().to_string().as_bytes(), HmacKeys::Reject).unwrap();
    let policy = TokenPolicy::default();
    let mut cx = VerifyContext::new(&keys, &policy, AT);
    cx.audience = Some("https://portal.gov.rs");
    cx.nonce = Some("n-0S6_WzA2Mj");
    assert!(verify_token(token.as_bytes(), &cx).is_valid());

    let (x, y) = k.xy();
    let jwt_key = jsonwebtoken::DecodingKey::from_ec_components(&x, &y).unwrap();
    let mut jwt_val = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::ES256);
    jwt_val.set_audience(&["https://portal.gov.rs"]);
    jwt_val.set_issuer(&["https://eid.gov.rs"]);
    assert!(jsonwebtoken::decode::<Value>(&token, &jwt_key, &jwt_val).is_ok());

    let jk = josekit::jwk::Jwk::from_bytes(k.jwk().to_string().as_bytes()).unwrap();
    let jose_verifier = josekit::jws::ES256.verifier_from_jwk(&jk).unwrap();
    assert!(josekit::jwt::decode_with_verifier(&token, &jose_verifier).is_ok());

    let point = k.kp.public_key().as_ref().to_vec();
    let floor = |t: &str| -> bool {
        let mut it = t.rsplitn(2, '.');
        let (Some(sig), Some(input)) = (it.next(), it.next()) else { return false };
        let Some(payload) = input.split('.').nth(1) else { return false };
        let (Ok(sig), Ok(pl)) = (b64::decode(sig), b64::decode(payload)) else { return false };
        let ok = UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &point).verify(input.as_bytes(), &sig).is_ok();
        ok && serde_json::from_slice::<Value>(&pl).is_ok()
    };
    assert!(floor(&token));

    let mut g = c.benchmark_group("es256_jwt_700B");
    g.sample_size(60);
    g.measurement_time(std::time::Duration::from_secs(4));
    g.bench_function("eidtrust", |b| b.iter(|| verify_token(black_box(token.as_bytes()), &cx).is_valid()));
    g.bench_function("jsonwebtoken_rust_crypto", |b| {
        b.iter(|| jsonwebtoken::decode::<Value>(black_box(&token), &jwt_key, &jwt_val).is_ok())
    });
    g.bench_function("josekit_openssl", |b| {
        b.iter(|| josekit::jwt::decode_with_verifier(black_box(&token), &jose_verifier).is_ok())
    });
    g.bench_function("floor_b64_ring_serde", |b| b.iter(|| floor(black_box(&token))));
    g.bench_function("ring_p256_verify_only", |b| {
        let (input, sig) = token.rsplit_once('.').unwrap();
        let sig = b64::decode(sig).unwrap();
        b.iter(|| {
            UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &point).verify(black_box(input.as_bytes()), &sig).is_ok()
        })
    });
    g.finish();
}

fn bench_sd_jwt(c: &mut Criterion) {
    let issuer = Key::new();
    let holder = Key::new();
    let mut ds = Vec::new();
    for i in 0..10 {
        let d = json!([format!("salt-{i}-abcdefghij"), format!("claim_{i}"), format!("value number {i}")]);
        ds.push(b64::encode(d.to_string().as_bytes()));
    }
    let digests: Vec<String> = ds.iter().map(|d| b64::encode(&sha2::Sha256::digest(d.as_bytes()))).collect();
    let payload = json!({"iss": "https://pid.gov.rs", "iat": AT - 60, "exp": AT + 86400, "vct": "urn:eudi:pid:rs:1",
        "_sd_alg": "sha-256", "_sd": digests, "cnf": {"jwk": holder.jwk()}});
    let jwt = issuer.compact(r#"{"alg":"ES256","typ":"dc+sd-jwt"}"#, &payload.to_string());
    let base = format!("{jwt}~{}~", ds.join("~"));
    let sd_hash = b64::encode(&sha2::Sha256::digest(base.as_bytes()));
    let kb = holder.compact(
        r#"{"alg":"ES256","typ":"kb+jwt"}"#,
        &json!({"iat": AT - 1, "aud": "https://rp.gov.rs", "nonce": "abc", "sd_hash": sd_hash}).to_string(),
    );
    let token = format!("{base}{kb}");
    let mut keys = KeySet::new();
    keys.add_from_bytes(issuer.jwk().to_string().as_bytes(), HmacKeys::Reject).unwrap();
    let policy = TokenPolicy::default();
    let mut cx = VerifyContext::new(&keys, &policy, AT);
    cx.audience = Some("https://rp.gov.rs");
    cx.nonce = Some("abc");
    let r = verify_token(token.as_bytes(), &cx);
    assert!(r.is_valid(), "{:?}", r.verdict);

    let ip = issuer.kp.public_key().as_ref().to_vec();
    let hp = holder.kp.public_key().as_ref().to_vec();
    let (i_in, i_sig) = jwt.rsplit_once('.').unwrap();
    let (k_in, k_sig) = kb.rsplit_once('.').unwrap();
    let (i_sig, k_sig) = (b64::decode(i_sig).unwrap(), b64::decode(k_sig).unwrap());
    let mut g = c.benchmark_group("sd_jwt_10_disclosures_kb");
    g.sample_size(60);
    g.measurement_time(std::time::Duration::from_secs(4));
    g.bench_function("eidtrust", |b| b.iter(|| verify_token(black_box(token.as_bytes()), &cx).is_valid()));
    g.bench_function("two_ring_verifies", |b| {
        b.iter(|| {
            UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &ip).verify(black_box(i_in.as_bytes()), &i_sig).is_ok()
                && UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &hp)
                    .verify(black_box(k_in.as_bytes()), &k_sig)
                    .is_ok()
        })
    });
    g.finish();
}

criterion_group!(benches, bench_jwt, bench_sd_jwt);
criterion_main!(benches);
