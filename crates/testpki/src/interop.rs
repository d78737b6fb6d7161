//! Sample credentials for the cross-border interop matrix (issue 6): per national state and
//! credential kind, ten samples under `test-vectors/<state>/interop/<kind>/` with a
//! `test-vectors/<state>/interop/samples.json` manifest (schema in docs/test-vectors.md).
//!
//! Kinds: qualified e-signature, qualified e-seal and QWAC certificates (ETSI EN 319 412-2/-3/-4
//! with QCStatements per EN 319 412-5), authentication certificates (with their PKCS#8 private
//! key, for mutual TLS), and EUDI PIDs as SD-JWT VCs (RFC 9901, draft-ietf-oauth-sd-jwt-vc, PID
//! Rulebook §2 claims) signed by a PID provider certificate of the state's PKI, sent in `x5c`.
//!
//! Samples 01..08 are valid at [`SAMPLE_TIME`] and differ in their subject; sample 09 is expired
//! and sample 10 carries a corrupted signature, so a relying party that accepts them is wrong.
//! This module only adds files: the vectors of [`crate::vectors`] are unchanged.

use crate::etsi::CertType;
use crate::keys::{Curve, TestKey};
use crate::pki::{serial_for, IssuingCa, LeafSpec, StatePki};
use crate::states::State;
use crate::x509::{attr, ku, GeneralName};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine as _;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use time::macros::datetime;
use time::OffsetDateTime;

/// The manifest schema identifier.
pub const SCHEMA: &str = "eidtrust-interop-samples/1";

/// The time at which samples 01..08 are valid (and the interop matrix's default date).
pub const SAMPLE_TIME: OffsetDateTime = datetime!(2026-06-01 00:00:00 UTC);

/// Samples per state and kind.
pub const SAMPLES_PER_KIND: usize = 10;

const LEAF_FROM: OffsetDateTime = datetime!(2025-09-01 00:00:00 UTC);
const LEAF_TO: OffsetDateTime = datetime!(2027-09-01 00:00:00 UTC);
/// QWACs: 365 days (CA/B Forum BR §6.3.2 caps subscriber certificates at 398 days).
const QWAC_FROM: OffsetDateTime = datetime!(2026-01-01 00:00:00 UTC);
const QWAC_TO: OffsetDateTime = datetime!(2026-12-31 23:59:59 UTC);
const EXPIRED_FROM: OffsetDateTime = datetime!(2023-01-01 00:00:00 UTC);
const EXPIRED_TO: OffsetDateTime = datetime!(2025-01-01 00:00:00 UTC);
const PID_IAT: OffsetDateTime = datetime!(2026-01-01 00:00:00 UTC);
const PID_EXP: OffsetDateTime = datetime!(2027-01-01 00:00:00 UTC);
const PID_EXPIRED_IAT: OffsetDateTime = datetime!(2024-01-01 00:00:00 UTC);
const PID_EXPIRED_EXP: OffsetDateTime = datetime!(2025-01-01 00:00:00 UTC);

/// The credential kinds of the matrix, with their directory names.
pub const KINDS: [&str; 5] = ["qualified-esig", "qualified-eseal", "qwac", "auth", "pid"];

/// `samples.json` of one state.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub schema: &'static str,
    pub state: &'static str,
    pub country: &'static str,
    pub eu_member: bool,
    pub note: &'static str,
    /// RFC 3339 time at which the valid samples are valid.
    pub sample_time: String,
    pub samples: Vec<Sample>,
}

/// One sample credential; paths are relative to the manifest's directory.
#[derive(Debug, Clone, Serialize)]
pub struct Sample {
    pub id: String,
    pub kind: &'static str,
    pub index: usize,
    /// The certificate (PEM) or the SD-JWT VC (text).
    pub file: String,
    /// Untrusted intermediates offered with the certificate (PEM), empty for PIDs (in x5c).
    pub intermediates: Vec<String>,
    /// PKCS#8 PEM private key (authentication samples only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Leaf and issuing CA in one PEM file (authentication samples only, for TLS clients).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chain: Option<String>,
    /// `valid` or `invalid` at `sample_time` for a relying party that trusts the issuer.
    pub expected: &'static str,
    /// What is wrong with an invalid sample.
    pub defect: Option<&'static str>,
    /// The subject's national identifier as issued (EN 319 412-1 semantics identifier or PID
    /// personal_administrative_number).
    pub identifier: String,
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

fn defect_of(index: usize) -> Option<&'static str> {
    match index {
        9 => Some("expired"),
        10 => Some("bad-signature"),
        _ => None,
    }
}

/// Generates the samples of every national state (not the EU test TSP) into `files`.
pub fn generate(files: &mut BTreeMap<String, Vec<u8>>) -> Result<(), serde_json::Error> {
    for state in crate::states::all().into_iter().filter(|s| s.code != "eu") {
        let m = generate_state(&state, files);
        let mut text = serde_json::to_string_pretty(&m)?;
        text.push('\n');
        files.insert(format!("{}/interop/samples.json", state.code), text.into_bytes());
    }
    Ok(())
}

fn cert_type(kind: &str) -> Option<CertType> {
    match kind {
        "qualified-esig" => Some(CertType::QualifiedEsig),
        "qualified-eseal" => Some(CertType::QualifiedEseal),
        "qwac" => Some(CertType::Qwac),
        "auth" => Some(CertType::Auth),
        _ => None,
    }
}

/// The samples of one state.
pub fn generate_state(state: &State, files: &mut BTreeMap<String, Vec<u8>>) -> Manifest {
    let pki = StatePki::build(state);
    let mut put = |rel: &str, bytes: Vec<u8>| {
        files.insert(format!("{}/interop/{rel}", state.code), bytes);
    };
    let mut samples = Vec::new();
    for kind in KINDS {
        for index in 1..=SAMPLES_PER_KIND {
            let defect = defect_of(index);
            let expected = if defect.is_none() { "valid" } else { "invalid" };
            let id = format!("{}/interop/{kind}/{index:02}", state.code);
            if let Some(t) = cert_type(kind) {
                let (leaf, identifier) = sample_cert(state, &pki, t, index);
                let which = IssuingCa::for_type(t);
                let ca = pki.issuing(which);
                let file = format!("{kind}/{index:02}.pem");
                put(&file, leaf.pem().into_bytes());
                let (key, chain) = if t == CertType::Auth {
                    let k = format!("{kind}/{index:02}.key");
                    let c = format!("{kind}/{index:02}.chain.pem");
                    put(&k, leaf.key.pkcs8_pem().into_bytes());
                    put(&c, format!("{}{}", leaf.pem(), ca.pem()).into_bytes());
                    (Some(k), Some(c))
                } else {
                    (None, None)
                };
                samples.push(Sample {
                    id,
                    kind,
                    index,
                    file,
                    intermediates: vec![format!("../ca/{}.pem", which.file_stem())],
                    key,
                    chain,
                    expected,
                    defect,
                    identifier,
                });
            } else {
                let (token, identifier) = sample_pid(state, &pki, index);
                let file = format!("{kind}/{index:02}.sd-jwt");
                put(&file, token.into_bytes());
                samples.push(Sample {
                    id,
                    kind,
                    index,
                    file,
                    intermediates: Vec::new(),
                    key: None,
                    chain: None,
                    expected,
                    defect,
                    identifier,
                });
            }
        }
    }
    // The PID provider's certificate, for people reading the samples.
    put("pid/provider.pem", pid_provider(state, &pki).pem().into_bytes());
    Manifest {
        schema: SCHEMA,
        state: state.code,
        country: state.country,
        eu_member: state.eu_member,
        note: "Synthetic interop samples generated by eidtrust-testpki; every name, number and key is fictitious.",
        sample_time: rfc3339(SAMPLE_TIME),
        samples,
    }
}

/// One certificate sample: the valid leaf of the type with the sample's own subject, serial and
/// key; sample 09 expired, sample 10 with a corrupted signature.
fn sample_cert(state: &State, pki: &StatePki, t: CertType, index: usize) -> (crate::pki::Issued, String) {
    let label = format!("interop/{}/{index:02}", t.as_str());
    let mut spec = LeafSpec::valid(state, t, &label);
    spec.serial = serial_for(&format!("{}/{label}", state.code));
    let n = format!("{index:02}");
    let identifier;
    if t.is_natural_person() {
        spec.subject.set(attr::COMMON_NAME, &format!("{} {} {n}", state.given_name, state.surname));
        identifier = state.person_semantics_id();
    } else if t == CertType::Qwac {
        let host = state.host(&format!("www{n}"));
        spec.subject.set(attr::COMMON_NAME, &host);
        spec.san = vec![GeneralName::Dns(host)];
        identifier = state.ntr_semantics_id();
    } else {
        spec.subject.set(attr::COMMON_NAME, &format!("{} seal {n}", state.organisation));
        identifier = state.vat_semantics_id();
    }
    let (from, to) = if t == CertType::Qwac { (QWAC_FROM, QWAC_TO) } else { (LEAF_FROM, LEAF_TO) };
    spec.not_before = from;
    spec.not_after = to;
    match defect_of(index) {
        Some("expired") => {
            spec.not_before = EXPIRED_FROM;
            spec.not_after = EXPIRED_TO;
        }
        Some("bad-signature") => spec.corrupt_signature = true,
        _ => {}
    }
    let key = TestKey::derive(&format!("{}/{label}", state.code), Curve::P256);
    (spec.issue(&key, pki.issuing(IssuingCa::for_type(t))), identifier)
}

/// The PID provider's signing certificate: a legal-person certificate of the ordinary CA with
/// keyUsage digitalSignature (a JWS signature is a digital signature, RFC 5280 §4.2.1.3).
pub fn pid_provider(state: &State, pki: &StatePki) -> crate::pki::Issued {
    let label = "interop/pid-provider";
    let mut spec = LeafSpec::valid(state, CertType::Eseal, label);
    spec.subject.set(attr::COMMON_NAME, &format!("{} PID Provider (TEST)", state.name_en));
    spec.key_usage = vec![ku::DIGITAL_SIGNATURE];
    spec.not_before = LEAF_FROM;
    spec.not_after = LEAF_TO;
    let key = TestKey::derive(&format!("{}/{label}", state.code), Curve::P256);
    spec.issue(&key, pki.issuing(IssuingCa::Ordinary))
}

/// JSON text with object members in sorted order, whatever serde_json's `preserve_order` feature
/// (which another crate of a workspace build may switch on): the generated files must not depend
/// on the feature set they were built with.
pub(crate) fn sorted_json(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let members: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", Value::String(k.clone()), m.get(k).map(sorted_json).unwrap_or_default()))
                .collect();
            format!("{{{}}}", members.join(","))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(sorted_json).collect::<Vec<_>>().join(",")),
        other => other.to_string(),
    }
}

pub(crate) fn b64(data: &[u8]) -> String {
    B64.encode(data)
}

/// One PID as an SD-JWT VC (RFC 9901 §4; draft-ietf-oauth-sd-jwt-vc §3): typ `dc+sd-jwt`, vct
/// `urn:eudi:pid:1`, the PID Rulebook §2 mandatory attributes as disclosures (issuing_authority,
/// issuing_country plain), x5c = [provider, ordinary CA], `cnf` with a holder key.
fn sample_pid(state: &State, pki: &StatePki, index: usize) -> (String, String) {
    let provider = pid_provider(state, pki);
    let n = format!("{index:02}");
    let (d, m, y) = state.birth;
    let identifier = state.person_id_value();
    let disclosed: Vec<(&str, Value)> = vec![
        ("given_name", json!(format!("{} {n}", state.given_name))),
        ("family_name", json!(state.surname)),
        ("birthdate", json!(format!("{y:04}-{m:02}-{d:02}"))),
        ("place_of_birth", json!({"country": state.country, "locality": state.locality})),
        ("nationalities", json!([state.country])),
        ("personal_administrative_number", json!(identifier)),
    ];
    let mut disclosures = Vec::new();
    let mut digests = Vec::new();
    for (i, (name, value)) in disclosed.iter().enumerate() {
        let salt = b64(&crate::keys::sha256(format!("{}/pid/{n}/salt/{i}", state.code).as_bytes())[..16]);
        let text = sorted_json(&json!([salt, name, value]));
        let enc = b64(text.as_bytes());
        digests.push(b64(&crate::keys::sha256(enc.as_bytes())));
        disclosures.push(enc);
    }
    digests.sort();
    let (iat, exp) =
        if defect_of(index) == Some("expired") { (PID_EXPIRED_IAT, PID_EXPIRED_EXP) } else { (PID_IAT, PID_EXP) };
    let holder = TestKey::derive(&format!("{}/pid/{n}/holder", state.code), Curve::P256);
    let point = holder.public_point();
    let (x, yc) = (point.get(1..33).unwrap_or_default(), point.get(33..65).unwrap_or_default());
    let payload = json!({
        "iss": format!("https://{}", state.host("pid")),
        "iat": iat.unix_timestamp(),
        "exp": exp.unix_timestamp(),
        "vct": "urn:eudi:pid:1",
        "issuing_authority": format!("{} PID Provider (TEST)", state.name_en),
        "issuing_country": state.country,
        "_sd_alg": "sha-256",
        "_sd": digests,
        "cnf": {"jwk": {"kty": "EC", "crv": "P-256", "x": b64(x), "y": b64(yc)}},
    });
    let ca = pki.issuing(IssuingCa::Ordinary);
    let header = json!({
        "alg": provider.key.jose_alg(),
        "typ": "dc+sd-jwt",
        "x5c": [
            base64::engine::general_purpose::STANDARD.encode(&provider.der),
            base64::engine::general_purpose::STANDARD.encode(&ca.der),
        ],
    });
    let signing_input = format!("{}.{}", b64(sorted_json(&header).as_bytes()), b64(sorted_json(&payload).as_bytes()));
    let mut sig = provider.key.sign_raw(signing_input.as_bytes());
    if defect_of(index) == Some("bad-signature") {
        if let Some(b) = sig.get_mut(10) {
            *b ^= 0x01;
        }
    }
    let mut out = format!("{signing_input}.{}~", b64(&sig));
    for d in &disclosures {
        out.push_str(d);
        out.push('~');
    }
    (out, identifier)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_samples_per_kind_and_state_with_two_invalid() {
        let mut files = BTreeMap::new();
        let s = crate::states::all().into_iter().find(|s| s.code == "mk").unwrap();
        let m = generate_state(&s, &mut files);
        assert_eq!(m.samples.len(), KINDS.len() * SAMPLES_PER_KIND);
        for k in KINDS {
            let of: Vec<&Sample> = m.samples.iter().filter(|x| x.kind == k).collect();
            assert_eq!(of.len(), SAMPLES_PER_KIND);
            assert_eq!(of.iter().filter(|x| x.expected == "invalid").count(), 2, "{k}");
        }
        for x in &m.samples {
            assert!(files.contains_key(&format!("mk/interop/{}", x.file)), "{}", x.file);
            if let Some(k) = &x.key {
                let pem = String::from_utf8(files[&format!("mk/interop/{k}")].clone()).unwrap();
                assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
            }
        }
    }

    #[test]
    fn pid_disclosure_digests_are_in_the_payload() {
        let s = crate::states::all().into_iter().find(|s| s.code == "rs").unwrap();
        let pki = StatePki::build(&s);
        let (tok, id) = sample_pid(&s, &pki, 1);
        let parts: Vec<&str> = tok.split('~').collect();
        let jws: Vec<&str> = parts[0].split('.').collect();
        let payload: Value = serde_json::from_slice(&B64.decode(jws[1]).unwrap()).unwrap();
        let sd: Vec<&str> = payload["_sd"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        for d in &parts[1..parts.len() - 1] {
            assert!(sd.contains(&b64(&crate::keys::sha256(d.as_bytes())).as_str()));
        }
        assert_eq!(id, s.person_id_value());
    }
}
