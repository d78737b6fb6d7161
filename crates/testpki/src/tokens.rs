//! Per-state signed eID token vectors (issue 4, item 6): `test-vectors/<state>/token/`.
//!
//! For every state: a valid EUDI PID as an SD-JWT VC (without and with a KB-JWT) and a valid JWT
//! from the state's synthetic identity provider, all signed by the state's PID provider
//! certificate ([`crate::interop::pid_provider`], alone in `x5c`), whose issuing CA `ca/ca.pem`
//! is the relying party's anchor — as a trusted list makes the CA service that issues PID
//! provider certificates an anchor (ETSI TS 119 612 §5.5; a one-certificate x5c keeps the 576
//! tokens small) — and one negative variant per item of the JOSE / SD-JWT checklist of issue 4,
//! each broken in exactly one way from a valid token and re-signed, so that only the named defect
//! can explain a rejection. The cases go into the state's `manifest.json` with `kind` `token`
//! (schema: docs/tokens.md, "Test vectors"), where `files.leaf` is the token file.
//!
//! Deterministic like the rest of testpki: keys from labels, RFC 6979 ECDSA, fixed salts and
//! times, JSON written with sorted members.

use crate::interop::{b64, pid_provider, sorted_json, SAMPLE_TIME};
use crate::keys::{sha256, Curve, TestKey};
use crate::pki::{IssuingCa, StatePki};

/// The relying party's anchor: the CA that issues PID provider certificates.
const ANCHOR: &str = "ca/ca.pem";
use crate::states::State;
use crate::vectors::{Expected, Files};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// A 1024-bit RSA private key — TEST MATERIAL ONLY. It was made once with
/// `openssl genrsa -traditional 1024` and is committed so that the RSA-below-2048 variant is
/// deterministic; it exists to be refused (RFC 7518 §3.3 requires 2048 bits) and protects nothing.
const RSA_1024_TEST_KEY: &str = concat!(
    "-----BEGIN RSA PRIVATE KEY-----\n",
    "MIICXAIBAAKBgQC55PbNUISijQx9R1k4BZnWFKTENMaGEKn2axBD4+YhDuSNknZZ\n",
    "pfJn14Gq/o1mgcAwAiNugD0zXiSmW10CTGjbt/+FUELfEkDYamIiX1d2ffpjr2Ph\n",
    "/Wly+vDArAD7RXilZTOlSMBgH4jJjHOF7S/2JTXXtcdxuTByPYpowwCX+wIDAQAB\n",
    "AoGBAK17YVwgXXd5nIM516hxiayBXXcCLZcl7AfcyLQi9jw5ss/wNGTbeoqwUwGq\n",
    "R3m3cw0aochZA0RyAlACCZ3Ag0WZAefM7hcCCIrGnhFDKVwnYrqvL7m/H7tLLaRJ\n",
    "UwDY/Eqozxw252UPGE0580+8wDglofKZJnv5Mc/8+g4BzENxAkEA7kjtLh74vpfd\n",
    "7J7zezlWajG7eaDwrSxKuhkX1kDIt5B+j200mSzP0z84SAdHyVjw8+Ao232TtXnd\n",
    "dIsystYv0wJBAMe27yIeqNWk1M6Vkoe0KeTM1HPzVV9ihWBk8NhuvUamO6ZmArHU\n",
    "d4VcmS5rsQhE4dDmi0YoPkLgPHsZ8fVrBjkCQBHlVDrUhKX7zeUJgwvMIJtVJNlb\n",
    "pve6jdowLEQhFXID3h1zfDHM1cbtxpJSSafrkB0gxrDFW6SThHhOQ/5+a5UCQDvk\n",
    "ipaK50sa4Y8KoCT+TMoG+3fCc8nlO+aKnwfpPe4gECd41DoMY8Ok33NibHb0YVxK\n",
    "p13k17cqlDi+sSdOb1ECQF2EfnD1SGGLBVpYXS/NK5ZjE9t2EGLpKWa31E9SvrG6\n",
    "qfSaRbGxz6HZ5WDmq5vsEJKwkRNA1RlGJ7vjiS465vA=\n",
    "-----END RSA PRIVATE KEY-----\n",
);

/// The DER prefix of a SHA-256 DigestInfo (RFC 8017 §9.2, note 1).
const SHA256_DIGEST_INFO: [u8; 19] =
    [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];

/// The 1024-bit test key and its SubjectPublicKeyInfo (RFC 3279 §2.3.1).
struct Rsa1024 {
    key: rsa::RsaPrivateKey,
    spki: Vec<u8>,
    /// The subjectPublicKey bits (the RSAPublicKey DER), for the key identifier.
    public_key: Vec<u8>,
}

impl Rsa1024 {
    fn load() -> Option<Rsa1024> {
        use crate::der;
        use rsa::pkcs1::DecodeRsaPrivateKey;
        use rsa::traits::PublicKeyParts;
        let key = rsa::RsaPrivateKey::from_pkcs1_der(&der::from_pem(RSA_1024_TEST_KEY)?).ok()?;
        let public_key = der::seq([der::uint(&key.n().to_bytes_be()), der::uint(&key.e().to_bytes_be())]);
        let spki = der::seq([der::seq([der::oid("1.2.840.113549.1.1.1"), der::null()]), der::bit_string(&public_key)]);
        Some(Rsa1024 { key, spki, public_key })
    }

    /// RS256 (RFC 7518 §3.3): RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2), deterministic.
    fn sign(&self, msg: &[u8]) -> Vec<u8> {
        let mut digest_info = SHA256_DIGEST_INFO.to_vec();
        digest_info.extend_from_slice(&sha256(msg));
        self.key.sign(rsa::Pkcs1v15Sign::new_unprefixed(), &digest_info).unwrap_or_default()
    }

    /// The state's PID provider certificate re-issued by the same CA for this key: the same
    /// template with another serial, subject CN and key identifier, and the RSA key in place
    /// of the P-256 one. The chain validates; only the key size is wrong.
    fn provider_cert(&self, state: &State, pki: &StatePki) -> Option<Vec<u8>> {
        use crate::der;
        use crate::x509::{attr, ext, Extension, Serial};
        use sha1::{Digest, Sha1};
        let provider = pid_provider(state, pki);
        let issuer = pki.issuing(IssuingCa::Ordinary);
        let mut t = provider.template.clone();
        t.serial = Serial::from_u64(0x0001_0024_0000_0001);
        t.subject.set(attr::COMMON_NAME, &format!("{} PID Provider RSA-1024 (TEST)", state.name_en));
        if t.extension(ext::SUBJECT_KEY_IDENTIFIER).is_some() {
            t.put_extension(Extension::subject_key_id(&Sha1::digest(&self.public_key)));
        }
        let ec_tbs = t.tbs(&provider.key, &issuer.key);
        let ec_spki = provider.key.spki();
        let (outer, _) = der::read_tlv(&ec_tbs)?;
        let fields = der::children(outer.content)?;
        if !fields.iter().any(|f| f.raw == ec_spki.as_slice()) {
            return None;
        }
        let tbs =
            der::seq(
                fields.iter().map(|f| if f.raw == ec_spki.as_slice() { self.spki.clone() } else { f.raw.to_vec() }),
            );
        let sig = issuer.key.sign_der(&tbs);
        Some(der::seq([tbs, issuer.key.signature_algorithm(), der::bit_string(&sig)]))
    }
}

/// The PID's issuance and expiry (within the provider certificate's validity, around
/// [`SAMPLE_TIME`], the cases' validation time).
const IAT: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z
const EXP: i64 = 1_798_761_600; // 2027-01-01T00:00:00Z
/// A time before [`SAMPLE_TIME`] for expired tokens, and one after it for future ones.
const PAST: i64 = 1_735_689_600; // 2025-01-01T00:00:00Z
const FUTURE: i64 = 1_830_297_600; // 2028-01-01T00:00:00Z
/// The nonce the relying party issued (RFC 9901 §4.3).
const NONCE: &str = "n-0S6_WzA2Mj-testpki";
/// How deep the nesting variant goes (the verifier's cap is 32, token::json::MAX_JSON_DEPTH).
const DEEP: usize = 40;
/// The P-256 group order n (SEC 2 §2.4.2), for the CVE-2022-21449 variants.
const P256_N: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa,
    0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

/// One token case of a manifest (the chain/lint case shape, with `kind` `token` and the
/// verifier's inputs in `token`).
#[derive(Debug, Clone, Serialize)]
pub struct TokenCase {
    pub id: String,
    pub kind: &'static str,
    pub description: String,
    pub profile: &'static str,
    /// `pid-sd-jwt-vc`, `pid-sd-jwt-vc+kb`, `jwt`, `sd-jwt` or `jws-json`.
    #[serde(rename = "type")]
    pub token_type: &'static str,
    pub defect: Option<&'static str>,
    pub clause: Option<&'static str>,
    pub validation_time: String,
    pub files: Files,
    pub token: TokenInputs,
    pub expected: Expected,
}

/// What `token verify` is given besides the file, anchors and profile.
#[derive(Debug, Clone, Serialize)]
pub struct TokenInputs {
    pub audience: Option<String>,
    pub nonce: Option<String>,
    /// The level of assurance a valid token maps to under the profile.
    pub loa: Option<&'static str>,
}

/// A compact JWS over the given header and payload texts (taken verbatim, so a variant can
/// carry JSON that a serializer would never write).
fn sign_text(key: &TestKey, header: &str, payload: &str) -> String {
    let input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
    let sig = key.sign_raw(input.as_bytes());
    format!("{input}.{}", b64(&sig))
}

fn sign(key: &TestKey, header: &Value, payload: &Value) -> String {
    sign_text(key, &sorted_json(header), &sorted_json(payload))
}

/// A disclosure `[salt, name, value]` (RFC 9901 §4.2.1) and its digest.
fn disclosure_text(text: &str) -> (String, String) {
    let enc = b64(text.as_bytes());
    let digest = b64(&sha256(enc.as_bytes()));
    (enc, digest)
}

fn disclosure(salt_label: &str, name: &str, value: &Value) -> (String, String) {
    let salt = b64(sha256(salt_label.as_bytes()).get(..16).unwrap_or_default());
    disclosure_text(&sorted_json(&json!([salt, name, value])))
}

/// Everything a state's token variants are built from.
struct Ctx<'a> {
    state: &'a State,
    key: TestKey,
    x5c: Vec<String>,
    holder: TestKey,
    iss: String,
    audience: String,
    /// The 1024-bit RSA test key and its certificate (standard base64), for the RSA variant.
    rsa: Option<(Rsa1024, String)>,
}

/// The parts of an SD-JWT VC before signing.
#[derive(Clone)]
struct Pid {
    header: Value,
    payload: Value,
    disclosures: Vec<String>,
}

impl<'a> Ctx<'a> {
    fn new(state: &'a State, pki: &StatePki) -> Self {
        let provider = pid_provider(state, pki);
        Ctx {
            state,
            key: provider.key.clone(),
            x5c: vec![STANDARD.encode(&provider.der)],
            holder: TestKey::derive(&format!("{}/token/holder", state.code), Curve::P256),
            iss: format!("https://{}", state.host("pid")),
            audience: format!("https://{}", state.host("rp")),
            rsa: Rsa1024::load().and_then(|k| {
                let cert = k.provider_cert(state, pki)?;
                Some((k, STANDARD.encode(cert)))
            }),
        }
    }

    /// The valid JWT signed RS256 with the 1024-bit test key, its certificate alone in x5c.
    fn rsa_1024_jwt(&self) -> String {
        let Some((key, cert)) = &self.rsa else { return String::new() };
        let header = sorted_json(&json!({"alg": "RS256", "typ": "JWT", "x5c": [cert]}));
        let input = format!("{}.{}", b64(header.as_bytes()), b64(sorted_json(&self.jwt_payload()).as_bytes()));
        let sig = key.sign(input.as_bytes());
        format!("{input}.{}", b64(&sig))
    }

    fn header(&self, typ: &str) -> Value {
        json!({"alg": self.key.jose_alg(), "typ": typ, "x5c": self.x5c})
    }

    fn cnf(&self) -> Value {
        let point = self.holder.public_point();
        let (x, y) = (point.get(1..33).unwrap_or_default(), point.get(33..65).unwrap_or_default());
        json!({"jwk": {"kty": "EC", "crv": "P-256", "x": b64(x), "y": b64(y)}})
    }

    fn disclosed(&self) -> Vec<(&'static str, Value)> {
        let s = self.state;
        let (d, m, y) = s.birth;
        vec![
            ("given_name", json!(s.given_name)),
            ("family_name", json!(s.surname)),
            ("birthdate", json!(format!("{y:04}-{m:02}-{d:02}"))),
            ("place_of_birth", json!({"country": s.country, "locality": s.locality})),
            ("nationalities", json!([s.country])),
            ("personal_administrative_number", json!(s.person_id_value())),
        ]
    }

    /// The valid PID (RFC 9901 §4; draft-ietf-oauth-sd-jwt-vc §3; PID Rulebook §2).
    fn pid(&self) -> Pid {
        let mut disclosures = Vec::new();
        let mut digests = Vec::new();
        for (i, (name, value)) in self.disclosed().iter().enumerate() {
            let (enc, dig) = disclosure(&format!("{}/token/salt/{i}", self.state.code), name, value);
            disclosures.push(enc);
            digests.push(dig);
        }
        digests.sort();
        let payload = json!({
            "iss": self.iss,
            "iat": IAT,
            "exp": EXP,
            "vct": "urn:eudi:pid:1",
            "issuing_authority": format!("{} PID Provider (TEST)", self.state.name_en),
            "issuing_country": self.state.country,
            "_sd_alg": "sha-256",
            "_sd": digests,
            "cnf": self.cnf(),
        });
        Pid { header: self.header("dc+sd-jwt"), payload, disclosures }
    }

    fn issue(&self, p: &Pid) -> String {
        let mut out = sign(&self.key, &p.header, &p.payload);
        out.push('~');
        for d in &p.disclosures {
            out.push_str(d);
            out.push('~');
        }
        out
    }

    /// A KB-JWT over `sd_jwt` (which ends with '~'), RFC 9901 §4.3.
    fn kb(&self, sd_jwt: &str, header_text: Option<&str>, payload_text: Option<&str>) -> String {
        let sd_hash = b64(&sha256(sd_jwt.as_bytes()));
        let header = sorted_json(&json!({"alg": "ES256", "typ": "kb+jwt"}));
        let payload = sorted_json(&json!({
            "aud": self.audience, "iat": SAMPLE_TIME.unix_timestamp() - 30, "nonce": NONCE, "sd_hash": sd_hash,
        }));
        let payload = payload_text.map(|t| t.replace("{sd_hash}", &sd_hash)).unwrap_or(payload);
        format!("{sd_jwt}{}", sign_text(&self.holder, header_text.unwrap_or(&header), &payload))
    }

    fn kb_payload(&self, f: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
        let mut m = serde_json::Map::new();
        m.insert("aud".into(), json!(self.audience));
        m.insert("iat".into(), json!(SAMPLE_TIME.unix_timestamp() - 30));
        m.insert("nonce".into(), json!(NONCE));
        m.insert("sd_hash".into(), json!("{sd_hash}"));
        f(&mut m);
        sorted_json(&Value::Object(m))
    }

    /// The valid JWT of the state's identity provider (RFC 7519; acr with the eIDAS LoA URI).
    fn jwt_payload(&self) -> Value {
        json!({
            "iss": self.iss,
            "sub": self.state.person_id_value(),
            "aud": self.audience,
            "iat": IAT,
            "exp": EXP,
            "acr": "http://eidas.europa.eu/LoA/high",
            "given_name": self.state.given_name,
            "family_name": self.state.surname,
        })
    }

    fn jwt(&self, f: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
        let mut p = self.jwt_payload();
        if let Some(m) = p.as_object_mut() {
            f(m);
        }
        sign(&self.key, &self.header("JWT"), &p)
    }

    fn jwt_header(&self, f: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
        let mut h = self.header("JWT");
        if let Some(m) = h.as_object_mut() {
            f(m);
        }
        sign(&self.key, &h, &self.jwt_payload())
    }

    /// A valid JWT whose signature is replaced by `r || s`.
    fn jwt_with_sig(&self, r: [u8; 32], s: [u8; 32]) -> String {
        let t = self.jwt(|_| {});
        let input = t.rsplit_once('.').map_or(t.as_str(), |(i, _)| i);
        let mut sig = r.to_vec();
        sig.extend_from_slice(&s);
        format!("{input}.{}", b64(&sig))
    }

    fn pid_with(&self, f: impl FnOnce(&mut Pid)) -> String {
        let mut p = self.pid();
        f(&mut p);
        self.issue(&p)
    }

    fn payload_mut(p: &mut Pid) -> Option<&mut serde_json::Map<String, Value>> {
        p.payload.as_object_mut()
    }

    /// Adds a disclosure and references it from the top-level `_sd`.
    fn add_disclosure(p: &mut Pid, enc: String, digest: String) {
        p.disclosures.push(enc);
        if let Some(Value::Array(a)) = p.payload.get_mut("_sd") {
            a.push(json!(digest));
        }
    }
}

/// One variant before it becomes a case.
struct Variant {
    name: &'static str,
    token_type: &'static str,
    token: String,
    description: String,
    defect: Option<&'static str>,
    clause: Option<&'static str>,
    ids: &'static [&'static str],
    audience: bool,
    nonce: bool,
    loa: Option<&'static str>,
}

#[allow(clippy::too_many_arguments)]
fn bad(
    name: &'static str,
    token_type: &'static str,
    token: String,
    description: &str,
    clause: &'static str,
    ids: &'static [&'static str],
) -> Variant {
    Variant {
        name,
        token_type,
        token,
        description: description.to_string(),
        defect: Some(name),
        clause: Some(clause),
        ids,
        audience: token_type == "jwt" || token_type.ends_with("+kb"),
        nonce: token_type.ends_with("+kb"),
        loa: None,
    }
}

fn variants(c: &Ctx<'_>, foreign: &Ctx<'_>) -> Vec<Variant> {
    const PID: &str = "pid-sd-jwt-vc";
    const PID_KB: &str = "pid-sd-jwt-vc+kb";
    const JWT: &str = "jwt";
    let name = c.state.name_en;
    let mut v = vec![
        Variant {
            name: "valid-pid-sd-jwt",
            token_type: PID,
            token: c.issue(&c.pid()),
            description: format!("valid PID of {name}: SD-JWT VC with 6 disclosures, x5c to the state's root"),
            defect: None,
            clause: None,
            ids: &[],
            audience: false,
            nonce: false,
            loa: Some("high"),
        },
        Variant {
            name: "valid-pid-sd-jwt-kb",
            token_type: PID_KB,
            token: c.kb(&c.issue(&c.pid()), None, None),
            description: format!("valid PID presentation of {name} with a KB-JWT (aud, nonce, sd_hash)"),
            defect: None,
            clause: None,
            ids: &[],
            audience: true,
            nonce: true,
            loa: Some("high"),
        },
        Variant {
            name: "valid-jwt",
            token_type: JWT,
            token: c.jwt(|_| {}),
            description: format!("valid ID token of {name}'s identity provider, acr eIDAS high"),
            defect: None,
            clause: None,
            ids: &[],
            audience: true,
            nonce: false,
            loa: Some("high"),
        },
    ];
    let h = |t: &str| b64(t.as_bytes());
    let jwt_body = sorted_json(&c.jwt_payload());
    // ---- algorithm
    v.push(bad(
        "alg-none",
        JWT,
        format!("{}.{}.", h(r#"{"alg":"none","typ":"JWT"}"#), h(&jwt_body)),
        "unsecured JWT (alg none, empty signature)",
        "RFC 7518 §3.6, RFC 8725 §3.1",
        &["jws.alg.none-rejected"],
    ));
    {
        // HS256 keyed with the provider certificate's public key (the classic key-confusion attack).
        let spki_pem = c.x5c.first().cloned().unwrap_or_default();
        let input = format!("{}.{}", h(r#"{"alg":"HS256","typ":"JWT"}"#), h(&jwt_body));
        let mac = hmac_sha256(spki_pem.as_bytes(), input.as_bytes());
        v.push(bad(
            "alg-hs256-public-key-as-secret",
            JWT,
            format!("{input}.{}", b64(&mac)),
            "HS256 with the issuer certificate as the HMAC secret",
            "RFC 8725 §3.1-3.2",
            &["jws.alg.hmac-rejected"],
        ));
    }
    v.push(bad(
        "alg-header-key-mismatch",
        JWT,
        c.jwt_header(|m| {
            m.insert("alg".into(), json!("ES384"));
        }),
        "header alg ES384 while the x5c key is P-256 (the key decides)",
        "RFC 8725 §3.1",
        &["jws.alg.key-mismatch"],
    ));
    let zero = [0u8; 32];
    let mut one = [0u8; 32];
    if let Some(b) = one.last_mut() {
        *b = 1;
    }
    for (vname, r, s, what) in [
        ("ecdsa-r-zero", zero, one, "r = 0"),
        ("ecdsa-s-zero", one, zero, "s = 0"),
        ("ecdsa-r-equals-n", P256_N, one, "r = n"),
        ("ecdsa-s-equals-n", one, P256_N, "s = n"),
    ] {
        v.push(bad(
            vname,
            JWT,
            c.jwt_with_sig(r, s),
            &format!("ES256 signature with {what} (CVE-2022-21449)"),
            "RFC 7518 §3.4, FIPS 186-5 §6.4.2",
            &["jws.signature.ecdsa-range"],
        ));
    }
    {
        let t = c.jwt(|_| {});
        let mut parts: Vec<String> = t.split('.').map(str::to_string).collect();
        if let Some(p) = parts.get_mut(1) {
            while p.len() % 4 != 0 {
                p.push('=');
            }
            if !p.ends_with('=') {
                p.push_str("====");
            }
        }
        v.push(bad(
            "base64url-padded",
            JWT,
            parts.join("."),
            "payload segment with '=' padding (base64url without padding is required)",
            "RFC 7515 §2",
            &["jose.base64url.invalid"],
        ));
    }
    v.push(bad(
        "signature-invalid",
        JWT,
        {
            let t = c.jwt(|_| {});
            let (input, sig) = t.rsplit_once('.').unwrap_or((&t, ""));
            let mut raw = URL_SAFE_NO_PAD.decode(sig).unwrap_or_default();
            if let Some(b) = raw.get_mut(40) {
                *b ^= 0x01;
            }
            format!("{input}.{}", b64(&raw))
        },
        "one bit of s flipped",
        "RFC 7515 §5.2 step 8",
        &["jws.signature.invalid"],
    ));
    // ---- duplicate members
    {
        let header = sorted_json(&c.header("JWT"));
        let dup_header = header.replacen("{", "{\"alg\":\"ES256\",", 1);
        v.push(bad(
            "duplicate-header-member",
            JWT,
            sign_text(&c.key, &dup_header, &jwt_body),
            "protected header with alg twice",
            "RFC 7515 §4",
            &["jose.json.duplicate-member"],
        ));
        let dup_payload = jwt_body.replacen("{", "{\"iss\":\"https://pid.attacker.example\",", 1);
        v.push(bad(
            "duplicate-payload-member",
            JWT,
            sign_text(&c.key, &header, &dup_payload),
            "payload with iss twice (the first names another issuer)",
            "RFC 7519 §4",
            &["jose.json.duplicate-member"],
        ));
        let mut p = c.pid();
        let salt = b64(sha256(format!("{}/token/salt/dup", c.state.code).as_bytes()).get(..16).unwrap_or_default());
        let (enc, dig) = disclosure_text(&format!(
            "[\"{salt}\",\"place_of_birth\",{{\"country\":\"{}\",\"country\":\"XX\"}}]",
            c.state.country
        ));
        // Replace the place_of_birth disclosure (index 3) by the duplicated one.
        if let Some(d) = p.disclosures.get_mut(3) {
            let old = b64(&sha256(d.as_bytes()));
            *d = enc;
            if let Some(Value::Array(a)) = p.payload.get_mut("_sd") {
                for x in a.iter_mut() {
                    if x.as_str() == Some(old.as_str()) {
                        *x = json!(dig);
                    }
                }
            }
        }
        v.push(bad(
            "duplicate-disclosure-member",
            PID,
            c.issue(&p),
            "a disclosure whose value repeats the member country",
            "RFC 9901 §7.1, RFC 8259 §4",
            &["jose.json.duplicate-member"],
        ));
        let kb_dup = c.kb_payload(|_| {}).replacen("{", &format!("{{\"nonce\":\"{NONCE}-other\","), 1);
        v.push(bad(
            "duplicate-kb-jwt-member",
            PID_KB,
            c.kb(&c.issue(&c.pid()), None, Some(&kb_dup)),
            "KB-JWT payload with nonce twice",
            "RFC 9901 §4.3, RFC 7519 §4",
            &["jose.json.duplicate-member"],
        ));
    }
    // ---- crit, b64
    v.push(bad(
        "crit-unknown",
        JWT,
        c.jwt_header(|m| {
            m.insert("crit".into(), json!(["urn:example:must-understand"]));
            m.insert("urn:example:must-understand".into(), json!(true));
        }),
        "crit lists an extension the verifier does not understand",
        "RFC 7515 §4.1.11",
        &["jws.crit.unsupported"],
    ));
    v.push(bad(
        "b64-false-not-critical",
        JWT,
        c.jwt_header(|m| {
            m.insert("b64".into(), json!(false));
        }),
        "b64 false in the protected header without crit",
        "RFC 7797 §6",
        &["jws.b64.not-critical"],
    ));
    {
        let t = c.jwt(|_| {});
        let mut it = t.split('.');
        let (ph, pl, sg) = (it.next().unwrap_or(""), it.next().unwrap_or(""), it.next().unwrap_or(""));
        let json = sorted_json(&json!({"protected": ph, "header": {"b64": false}, "payload": pl, "signature": sg}));
        v.push(bad(
            "b64-false-unprotected",
            "jws-json",
            json,
            "flattened JWS JSON with b64 false in the unprotected header",
            "RFC 7797 §6, RFC 7515 §7.2.1",
            &["jws.b64.not-critical"],
        ));
    }
    {
        let mut deep = json!(1);
        for _ in 0..DEEP {
            deep = json!([deep]);
        }
        v.push(bad(
            "nesting-too-deep",
            JWT,
            c.jwt(|m| {
                m.insert("deep".into(), deep);
            }),
            "a claim nested 40 arrays deep (the cap is 32)",
            "RFC 8259 §9, RFC 8725 §2.1",
            &["jose.json.too-deep"],
        ));
    }
    // ---- time claims
    v.push(bad(
        "exp-not-numeric",
        JWT,
        c.jwt(|m| {
            m.insert("exp".into(), json!("2027-01-01T00:00:00Z"));
        }),
        "exp is a string, not a NumericDate",
        "RFC 7519 §2, §4.1.4",
        &["jwt.claim.not-numeric"],
    ));
    v.push(bad(
        "nbf-not-numeric",
        JWT,
        c.jwt(|m| {
            m.insert("nbf".into(), json!("yesterday"));
        }),
        "nbf is a string, not a NumericDate",
        "RFC 7519 §2, §4.1.5",
        &["jwt.claim.not-numeric"],
    ));
    v.push(bad(
        "iat-not-numeric",
        JWT,
        c.jwt(|m| {
            m.insert("iat".into(), json!(true));
        }),
        "iat is a boolean, not a NumericDate",
        "RFC 7519 §2, §4.1.6",
        &["jwt.claim.not-numeric"],
    ));
    v.push(bad(
        "exp-expired",
        JWT,
        c.jwt(|m| {
            m.insert("iat".into(), json!(PAST - 86_400));
            m.insert("exp".into(), json!(PAST));
        }),
        "expired on 2025-01-01",
        "RFC 7519 §4.1.4",
        &["jwt.exp.expired"],
    ));
    v.push(bad(
        "nbf-future",
        JWT,
        c.jwt(|m| {
            m.insert("nbf".into(), json!(FUTURE));
        }),
        "not valid before 2028-01-01",
        "RFC 7519 §4.1.5",
        &["jwt.nbf.not-yet-valid"],
    ));
    v.push(bad(
        "iat-future",
        JWT,
        c.jwt(|m| {
            m.insert("iat".into(), json!(FUTURE));
        }),
        "issued on 2028-01-01, after the validation time",
        "RFC 7519 §4.1.6",
        &["jwt.iat.future"],
    ));
    v.push(bad(
        "pid-expired",
        PID,
        c.pid_with(|p| {
            if let Some(m) = Ctx::payload_mut(p) {
                m.insert("iat".into(), json!(PAST - 86_400));
                m.insert("exp".into(), json!(PAST));
            }
        }),
        "a PID that expired on 2025-01-01",
        "RFC 7519 §4.1.4, EUDI PID Rulebook §2.4",
        &["jwt.exp.expired"],
    ));
    // ---- iss, aud, nonce
    v.push(bad(
        "iss-wrong",
        JWT,
        c.jwt(|m| {
            m.insert("iss".into(), json!("https://pid.attacker.example"));
        }),
        "iss names an issuer the profile does not accept (signature and x5c valid)",
        "RFC 7519 §4.1.1, profile [tokens].issuers",
        &["profile.tokens.issuer-not-accepted"],
    ));
    v.push(bad(
        "aud-wrong",
        JWT,
        c.jwt(|m| {
            m.insert("aud".into(), json!("https://other-rp.example"));
        }),
        "aud names another relying party",
        "RFC 7519 §4.1.3",
        &["jwt.aud.mismatch"],
    ));
    v.push(bad(
        "nonce-wrong",
        PID_KB,
        c.kb(
            &c.issue(&c.pid()),
            None,
            Some(&c.kb_payload(|m| {
                m.insert("nonce".into(), json!("a-replayed-nonce"));
            })),
        ),
        "KB-JWT with a nonce the relying party did not issue",
        "RFC 9901 §7.3 step 5",
        &["sdjwt.kb.nonce"],
    ));
    v.push(bad(
        "kb-aud-wrong",
        PID_KB,
        c.kb(
            &c.issue(&c.pid()),
            None,
            Some(&c.kb_payload(|m| {
                m.insert("aud".into(), json!("https://other-rp.example"));
            })),
        ),
        "KB-JWT addressed to another relying party",
        "RFC 9901 §7.3 step 5",
        &["sdjwt.kb.aud"],
    ));
    // ---- typ
    v.push(bad(
        "typ-missing",
        PID,
        c.pid_with(|p| {
            if let Some(h) = p.header.as_object_mut() {
                h.remove("typ");
            }
        }),
        "SD-JWT VC without typ",
        "draft-ietf-oauth-sd-jwt-vc §3.2.1, RFC 8725 §3.11",
        &["sdjwtvc.typ.invalid"],
    ));
    v.push(bad(
        "typ-wrong",
        JWT,
        c.jwt_header(|m| {
            m.insert("typ".into(), json!("kb+jwt"));
        }),
        "a JWT typed as a KB-JWT",
        "RFC 8725 §3.11",
        &["jws.typ.mismatch"],
    ));
    // ---- disclosures
    v.push(bad(
        "disclosure-referenced-twice",
        PID,
        c.pid_with(|p| {
            let first = p.payload.get("_sd").and_then(|a| a.get(0)).cloned();
            if let (Some(d), Some(Value::Array(a))) = (first, p.payload.get_mut("_sd")) {
                a.push(d);
            }
        }),
        "one digest twice in _sd",
        "RFC 9901 §7.1 step 4",
        &["sdjwt.digest.duplicate"],
    ));
    v.push(bad(
        "disclosure-presented-twice",
        PID,
        c.pid_with(|p| {
            if let Some(d) = p.disclosures.first().cloned() {
                p.disclosures.push(d);
            }
        }),
        "the same disclosure presented twice",
        "RFC 9901 §7.1 step 4",
        &["sdjwt.disclosure.duplicate"],
    ));
    v.push(bad(
        "disclosure-unreferenced",
        PID,
        c.pid_with(|p| {
            let (enc, _) = disclosure(&format!("{}/token/salt/extra", c.state.code), "age_over_18", &json!(true));
            p.disclosures.push(enc);
        }),
        "a disclosure whose digest the payload does not contain",
        "RFC 9901 §7.1 step 5",
        &["sdjwt.disclosure.unreferenced"],
    ));
    for (vname, claim, what) in [("disclosure-name-sd", "_sd", "_sd"), ("disclosure-name-ellipsis", "...", "...")] {
        v.push(bad(
            vname,
            PID,
            c.pid_with(|p| {
                let (enc, dig) = disclosure(&format!("{}/token/salt/{vname}", c.state.code), claim, &json!("x"));
                Ctx::add_disclosure(p, enc, dig);
            }),
            &format!("a referenced disclosure named {what:?}"),
            "RFC 9901 §4.2.1, §7.1 step 3",
            &["sdjwt.disclosure.reserved-name"],
        ));
    }
    v.push(bad(
        "disclosure-overwrites-claim",
        PID,
        c.pid_with(|p| {
            let (enc, dig) =
                disclosure(&format!("{}/token/salt/overwrite", c.state.code), "issuing_country", &json!("XX"));
            Ctx::add_disclosure(p, enc, dig);
        }),
        "a disclosure for issuing_country, which is a plain claim",
        "RFC 9901 §7.1 step 3.2.2.3",
        &["sdjwt.claim.overwrite"],
    ));
    v.push(bad(
        "sd-alg-not-allowed",
        PID,
        c.pid_with(|p| {
            if let Some(m) = Ctx::payload_mut(p) {
                m.insert("_sd_alg".into(), json!("md5"));
            }
        }),
        "_sd_alg md5",
        "RFC 9901 §4.1.1",
        &["sdjwt.sd-alg.not-allowed"],
    ));
    v.push(bad(
        "vct-selectively-disclosable",
        PID,
        c.pid_with(|p| {
            if let Some(m) = Ctx::payload_mut(p) {
                m.remove("vct");
            }
            let (enc, dig) = disclosure(&format!("{}/token/salt/vct", c.state.code), "vct", &json!("urn:eudi:pid:1"));
            Ctx::add_disclosure(p, enc, dig);
        }),
        "vct sent as a disclosure",
        "draft-ietf-oauth-sd-jwt-vc §3.2.2.2",
        &["sdjwtvc.claim.selectively-disclosed"],
    ));
    // ---- key binding
    v.push(bad(
        "kb-sd-hash-mismatch",
        PID_KB,
        {
            let sd = c.issue(&c.pid());
            let other = c.pid_with(|p| {
                p.disclosures.pop();
            });
            let kb = c.kb(&other, None, None);
            let kb_jwt = kb.rsplit_once('~').map_or("", |(_, k)| k).to_string();
            format!("{sd}{kb_jwt}")
        },
        "KB-JWT whose sd_hash is over another presentation (one disclosure fewer)",
        "RFC 9901 §4.3.1, §7.3 step 5",
        &["sdjwt.kb.sd-hash"],
    ));
    v.push(bad(
        "kb-typ-wrong",
        PID_KB,
        c.kb(&c.issue(&c.pid()), Some(&sorted_json(&json!({"alg": "ES256", "typ": "JWT"}))), None),
        "KB-JWT typed JWT instead of kb+jwt",
        "RFC 9901 §4.3",
        &["sdjwt.kb.typ"],
    ));
    // ---- keys
    v.push(bad(
        "x5c-anchor-not-configured",
        PID,
        foreign.issue(&Pid { header: foreign.header("dc+sd-jwt"), ..c.pid() }),
        &format!(
            "signed by {}'s PID provider, whose certificate chains to an anchor this relying party did not configure",
            foreign.state.name_en
        ),
        "RFC 7515 §4.1.6, RFC 5280 §6",
        &["jws.x5c.chain-invalid"],
    ));
    for (vname, param) in [("jku-only", "jku"), ("x5u-only", "x5u")] {
        v.push(bad(
            vname,
            JWT,
            c.jwt_header(|m| {
                m.remove("x5c");
                m.insert(param.into(), json!(format!("https://{}/keys", c.state.host("pid"))));
            }),
            &format!("the key is only referenced by {param} (never fetched)"),
            "RFC 8725 §3.10, RFC 7515 §4.1.2/§4.1.5",
            &["jws.key.not-found"],
        ));
    }
    v.push(bad(
        "rsa-1024",
        JWT,
        c.rsa_1024_jwt(),
        "RS256 with a 1024-bit RSA key, whose certificate (x5c) the state's CA issued: the chain \
         validation refuses the key size",
        "RFC 7518 §3.3",
        &["rfc5280.key.rsa-too-small"],
    ));
    // ---- the profile's [tokens] rules
    v.push(bad(
        "profile-kind-plain-sd-jwt",
        "sd-jwt",
        c.pid_with(|p| {
            if let Some(m) = Ctx::payload_mut(p) {
                m.remove("vct");
            }
            if let Some(h) = p.header.as_object_mut() {
                h.insert("typ".into(), json!("example+sd-jwt"));
            }
        }),
        "a plain SD-JWT (no vct), a kind the profile does not accept",
        "profile [tokens].kinds",
        &["profile.tokens.kind-not-accepted"],
    ));
    {
        let t = c.jwt(|_| {});
        let mut it = t.split('.');
        let (ph, pl, sg) = (it.next().unwrap_or(""), it.next().unwrap_or(""), it.next().unwrap_or(""));
        let mut var = bad(
            "profile-kind-jws-json",
            "jws-json",
            sorted_json(&json!({"protected": ph, "payload": pl, "signature": sg})),
            "the valid JWT in flattened JWS JSON form, a kind the profile does not accept",
            "profile [tokens].kinds",
            &["profile.tokens.kind-not-accepted"],
        );
        var.audience = true;
        v.push(var);
    }
    v.push(bad(
        "profile-claim-missing",
        JWT,
        c.jwt(|m| {
            m.remove("exp");
        }),
        "a JWT without exp, which the profile requires",
        "profile [tokens].required_claims",
        &["profile.tokens.claim-missing"],
    ));
    v
}

/// HMAC-SHA-256 (RFC 2104), for the key-confusion variant only.
fn hmac_sha256(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut k = if key.len() > 64 { sha256(key) } else { key.to_vec() };
    k.resize(64, 0);
    let ipad: Vec<u8> = k.iter().map(|b| b ^ 0x36).collect();
    let opad: Vec<u8> = k.iter().map(|b| b ^ 0x5c).collect();
    let inner = sha256(&[ipad, msg.to_vec()].concat());
    sha256(&[opad, inner].concat())
}

fn extension(token_type: &str) -> &'static str {
    match token_type {
        "jwt" => "jwt",
        "jws-json" => "json",
        _ => "sd-jwt",
    }
}

/// The cases of one state; writes the token files into `files`.
pub fn generate_state(state: &State, foreign: &State, files: &mut BTreeMap<String, Vec<u8>>) -> Vec<TokenCase> {
    let pki = StatePki::build(state);
    let fpki = StatePki::build(foreign);
    let c = Ctx::new(state, &pki);
    let f = Ctx::new(foreign, &fpki);
    let at = SAMPLE_TIME.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    variants(&c, &f)
        .into_iter()
        .map(|v| {
            let rel = format!("token/{}.{}", v.name, extension(v.token_type));
            let mut bytes = v.token.into_bytes();
            bytes.push(b'\n');
            files.insert(format!("{}/{rel}", state.code), bytes);
            let valid = v.defect.is_none();
            TokenCase {
                id: format!("{}/token/{}", state.code, v.name),
                kind: "token",
                description: v.description,
                profile: state.profile,
                token_type: v.token_type,
                defect: v.defect,
                clause: v.clause,
                validation_time: at.clone(),
                files: Files { leaf: rel, intermediates: vec![], anchors: vec![ANCHOR.into()], crls: vec![] },
                token: TokenInputs {
                    audience: v.audience.then(|| c.audience.clone()),
                    nonce: v.nonce.then(|| NONCE.to_string()),
                    loa: v.loa,
                },
                expected: Expected {
                    outcome: if valid { "valid" } else { "invalid" },
                    exit_code: if valid { 0 } else { 1 },
                    finding_ids: v.ids.iter().map(|s| s.to_string()).collect(),
                    ids_pending: false,
                },
            }
        })
        .collect()
}

/// Appends `cases` to the manifest text (the `"cases"` array, which ends the document as
/// `serde_json::to_string_pretty` writes it), keeping every existing byte.
fn append_cases(manifest: &str, cases: &[TokenCase]) -> Result<String, serde_json::Error> {
    let mut items = Vec::new();
    for c in cases {
        let text = serde_json::to_string_pretty(c)?;
        items.push(text.lines().map(|l| format!("    {l}")).collect::<Vec<_>>().join("\n"));
    }
    let joined = items.join(",\n");
    let body = manifest.trim_end();
    let out = if let Some(head) = body.strip_suffix("\"cases\": []\n}").or_else(|| body.strip_suffix("\"cases\": []}"))
    {
        format!("{head}\"cases\": [\n{joined}\n  ]\n}}\n")
    } else if let Some(head) = body.strip_suffix("\n  ]\n}") {
        format!("{head},\n{joined}\n  ]\n}}\n")
    } else {
        return Err(serde::ser::Error::custom("manifest.json does not end with its cases array"));
    };
    Ok(out)
}

/// Writes `<state>/token/*` for every state and appends the token cases to `<state>/manifest.json`
/// (which must already be in `files`).
pub fn generate(files: &mut BTreeMap<String, Vec<u8>>) -> Result<(), serde_json::Error> {
    let states = crate::states::all();
    for (i, state) in states.iter().enumerate() {
        // The foreign issuer of the anchor-not-configured variant: the next state.
        let Some(foreign) = states.get((i + 1) % states.len()) else { continue };
        let cases = generate_state(state, foreign, files);
        let key = format!("{}/manifest.json", state.code);
        let Some(text) = files.get(&key).and_then(|b| String::from_utf8(b.clone()).ok()) else {
            return Err(serde::ser::Error::custom(format!("{key} is not generated")));
        };
        let out = append_cases(&text, &cases)?;
        files.insert(key, out.into_bytes());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_are_appended_without_touching_existing_bytes() {
        let c = TokenCase {
            id: "x/token/a".into(),
            kind: "token",
            description: "d".into(),
            profile: "rs",
            token_type: "jwt",
            defect: None,
            clause: None,
            validation_time: "t".into(),
            files: Files { leaf: "token/a.jwt".into(), intermediates: vec![], anchors: vec![], crls: vec![] },
            token: TokenInputs { audience: None, nonce: None, loa: None },
            expected: Expected { outcome: "valid", exit_code: 0, finding_ids: vec![], ids_pending: false },
        };
        let m = "{\n  \"cases\": [\n    {\n      \"id\": \"old\"\n    }\n  ]\n}\n";
        let out = append_cases(m, std::slice::from_ref(&c)).unwrap();
        assert!(out.starts_with(
            "{\n  \"cases\": [\n    {\n      \"id\": \"old\"\n    },\n    {\n      \"id\": \"x/token/a\""
        ));
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["cases"].as_array().unwrap().len(), 2);
        let empty = append_cases("{\n  \"cases\": []\n}\n", std::slice::from_ref(&c)).unwrap();
        assert_eq!(serde_json::from_str::<Value>(&empty).unwrap()["cases"].as_array().unwrap().len(), 1);
        assert!(append_cases("{}", &[c]).is_err());
    }

    #[test]
    fn every_state_gets_valid_and_negative_token_cases_deterministically() {
        let states = crate::states::all();
        let (rs, me) = (&states[0], &states[1]);
        let mut a = BTreeMap::new();
        let mut b = BTreeMap::new();
        let cases = generate_state(rs, me, &mut a);
        generate_state(rs, me, &mut b);
        assert_eq!(a, b, "token files are deterministic");
        assert_eq!(cases.iter().filter(|c| c.expected.outcome == "valid").count(), 3);
        assert!(cases.len() > 40);
        let rsa = a.get("rs/token/rsa-1024.jwt").expect("the RSA-1024 variant");
        assert!(rsa.len() > 500 && rsa.starts_with(b"ey"), "RS256 token with x5c");
        for c in &cases {
            assert!(a.contains_key(&format!("rs/{}", c.files.leaf)), "{}", c.id);
            assert_eq!(c.expected.finding_ids.is_empty(), c.defect.is_none(), "{}", c.id);
        }
    }

    #[test]
    fn hmac_matches_rfc4231_case_2() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
}
