//! The interop samples (`<state>/interop/`) against independent implementations: every valid
//! certificate sample verifies with rustls-webpki under its state's root at the sample time and
//! the invalid ones do not; every PID's JWS signature verifies with p256 directly (except the
//! deliberately broken one) and its disclosures are bound by digest.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use eidtrust_testpki::der::from_pem;
use rustls_pki_types::{CertificateDer, UnixTime};
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::Duration;

fn generated() -> BTreeMap<String, Vec<u8>> {
    eidtrust_testpki::generate_files().unwrap()
}

fn pem(files: &BTreeMap<String, Vec<u8>>, rel: &str) -> Vec<u8> {
    from_pem(std::str::from_utf8(&files[rel]).unwrap()).unwrap()
}

#[test]
fn certificate_samples_agree_with_rustls_webpki() {
    let files = generated();
    let at =
        UnixTime::since_unix_epoch(Duration::from_secs(eidtrust_testpki::interop::SAMPLE_TIME.unix_timestamp() as u64));
    let mut checked = 0;
    for (rel, bytes) in files.iter().filter(|(k, _)| k.ends_with("/interop/samples.json")) {
        let state = rel.split('/').next().unwrap();
        let m: Value = serde_json::from_slice(bytes).unwrap();
        let root = pem(&files, &format!("{state}/ca/root.pem"));
        let anchors =
            vec![webpki::anchor_from_trusted_cert(&CertificateDer::from(root.as_slice())).unwrap().to_owned()];
        for s in m["samples"].as_array().unwrap() {
            let kind = s["kind"].as_str().unwrap();
            if kind == "pid" {
                continue;
            }
            let leaf = pem(&files, &format!("{state}/interop/{}", s["file"].as_str().unwrap()));
            let inter: Vec<CertificateDer<'static>> = s["intermediates"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| {
                    let p = format!("{state}/{}", i.as_str().unwrap().trim_start_matches("../"));
                    CertificateDer::from(pem(&files, &p))
                })
                .collect();
            let leaf_der = CertificateDer::from(leaf.as_slice());
            let ee = webpki::EndEntityCert::try_from(&leaf_der).unwrap();
            let usage = if kind == "auth" { webpki::KeyUsage::client_auth() } else { webpki::KeyUsage::server_auth() };
            let r = ee.verify_for_usage(webpki::ALL_VERIFICATION_ALGS, &anchors, &inter, at, usage, None, None);
            assert_eq!(r.is_ok(), s["expected"] == "valid", "{}: {:?}", s["id"], r.err());
            if let Some(k) = s["key"].as_str() {
                let key = std::str::from_utf8(&files[&format!("{state}/interop/{k}")]).unwrap().to_string();
                assert!(key.starts_with("-----BEGIN PRIVATE KEY-----"), "{k}");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 11 * 4 * 10);
}

#[test]
fn pid_samples_verify_independently() {
    use p256::ecdsa::signature::Verifier;
    let files = generated();
    let mut checked = 0;
    for (rel, bytes) in files.iter().filter(|(k, _)| k.contains("/interop/pid/") && k.ends_with(".sd-jwt")) {
        let text = std::str::from_utf8(bytes).unwrap();
        let parts: Vec<&str> = text.split('~').collect();
        assert_eq!(parts.last(), Some(&""), "{rel}: an SD-JWT without KB-JWT ends with ~");
        let jws: Vec<&str> = parts[0].split('.').collect();
        let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(jws[0]).unwrap()).unwrap();
        let payload: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(jws[1]).unwrap()).unwrap();
        assert_eq!(header["typ"], "dc+sd-jwt");
        assert_eq!(payload["vct"], "urn:eudi:pid:1");
        let x5c0 = STANDARD.decode(header["x5c"][0].as_str().unwrap()).unwrap();
        let (_, cert) = x509_parser::parse_x509_certificate(&x5c0).unwrap();
        let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(&cert.public_key().subject_public_key.data).unwrap();
        let sig = p256::ecdsa::Signature::from_slice(&URL_SAFE_NO_PAD.decode(jws[2]).unwrap()).unwrap();
        let ok = key.verify(format!("{}.{}", jws[0], jws[1]).as_bytes(), &sig).is_ok();
        assert_eq!(ok, !rel.ends_with("/10.sd-jwt"), "{rel}");
        let sd: Vec<&str> = payload["_sd"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        let mut names = Vec::new();
        for d in &parts[1..parts.len() - 1] {
            let digest = URL_SAFE_NO_PAD.encode(eidtrust_testpki::keys::sha256(d.as_bytes()));
            assert!(sd.contains(&digest.as_str()), "{rel}");
            let arr: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(d).unwrap()).unwrap();
            names.push(arr[1].as_str().unwrap().to_string());
        }
        for want in ["given_name", "family_name", "birthdate", "place_of_birth", "nationalities"] {
            assert!(names.iter().any(|n| n == want), "{rel}: {want}");
        }
        checked += 1;
    }
    assert_eq!(checked, 11 * 10);
}
