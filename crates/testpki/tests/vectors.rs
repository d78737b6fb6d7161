//! The committed `test-vectors/` against the generator, and the generated cases against an
//! independent validator (rustls-webpki) and parser (x509-parser).

use eidtrust_testpki::der::{self, children, from_pem, read_tlv};
use rustls_pki_types::{CertificateDer, UnixTime};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

fn generated() -> &'static BTreeMap<String, Vec<u8>> {
    static FILES: OnceLock<BTreeMap<String, Vec<u8>>> = OnceLock::new();
    FILES.get_or_init(|| eidtrust_testpki::generate_files().unwrap())
}

fn committed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors")
}

fn manifests() -> Vec<(String, Value)> {
    generated()
        .iter()
        .filter(|(k, _)| k.ends_with("/manifest.json"))
        .map(|(k, v)| (k.trim_end_matches("/manifest.json").to_string(), serde_json::from_slice(v).unwrap()))
        .collect()
}

fn file(state: &str, rel: &str) -> Vec<u8> {
    let bytes = generated().get(&format!("{state}/{rel}")).unwrap_or_else(|| panic!("{state}/{rel} not generated"));
    if rel.ends_with(".pem") {
        from_pem(std::str::from_utf8(bytes).unwrap()).unwrap()
    } else {
        bytes.clone()
    }
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
}

#[test]
fn committed_vectors_match_the_generator_byte_for_byte() {
    let tmp = std::env::temp_dir().join(format!("eidtrust-testpki-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let n = eidtrust_testpki::write_dir(&tmp).unwrap();
    assert_eq!(n, generated().len());
    // What was written to disk is exactly what was generated...
    let drift = eidtrust_testpki::compare_dir(&tmp, generated()).unwrap();
    assert!(drift.is_empty(), "{drift:?}");
    // ...and the committed directory is exactly the regenerated one.
    let mut regenerated = BTreeMap::new();
    for rel in generated().keys() {
        regenerated.insert(rel.clone(), std::fs::read(tmp.join(rel)).unwrap());
    }
    let _ = std::fs::remove_dir_all(&tmp);
    let committed = committed_dir();
    assert!(
        committed.is_dir(),
        "{} is missing: run `cargo run -p eidtrust-testpki -- generate test-vectors/`",
        committed.display()
    );
    let drift = eidtrust_testpki::compare_dir(&committed, &regenerated).unwrap();
    assert!(
        drift.is_empty(),
        "test-vectors/ drifted from the generator ({} differences, first: {}); regenerate with \
         `cargo run -p eidtrust-testpki -- generate test-vectors/`",
        drift.len(),
        drift[0]
    );
}

#[test]
fn compare_dir_detects_each_kind_of_drift() {
    let tmp = std::env::temp_dir().join(format!("eidtrust-testpki-drift-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(tmp.join("a")).unwrap();
    std::fs::write(tmp.join("a/same"), b"1").unwrap();
    std::fs::write(tmp.join("a/changed"), b"2").unwrap();
    std::fs::write(tmp.join("a/stale"), b"3").unwrap();
    let mut want = BTreeMap::new();
    want.insert("a/same".to_string(), b"1".to_vec());
    want.insert("a/changed".to_string(), b"X".to_vec());
    want.insert("a/new".to_string(), b"4".to_vec());
    let drift = eidtrust_testpki::compare_dir(&tmp, &want).unwrap();
    let _ = std::fs::remove_dir_all(&tmp);
    use eidtrust_testpki::Drift;
    assert_eq!(
        drift,
        vec![Drift::Differs("a/changed".into()), Drift::Missing("a/new".into()), Drift::Extra("a/stale".into())]
    );
}

#[test]
fn generation_is_deterministic() {
    let again = eidtrust_testpki::generate_files().unwrap();
    assert!(again == *generated());
}

#[test]
fn total_size_is_small() {
    let total: usize = generated().values().map(Vec::len).sum();
    assert!(total < 5 * 1024 * 1024, "{total} bytes");
}

#[test]
fn manifests_are_consistent() {
    let ms = manifests();
    assert_eq!(ms.len(), 12);
    for (state, m) in &ms {
        assert_eq!(m["schema"], "eidtrust-test-vectors/1");
        assert_eq!(m["state"].as_str(), Some(state.as_str()));
        let cases = m["cases"].as_array().unwrap();
        let mut ids: Vec<&str> = cases.iter().map(|c| c["id"].as_str().unwrap()).collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate case ids in {state}");
        for c in cases {
            let kind = c["kind"].as_str().unwrap();
            assert!(kind == "chain" || kind == "lint" || kind == "token");
            let exp = &c["expected"];
            let valid = exp["outcome"] == "valid";
            assert_eq!(exp["exit_code"], if valid { 0 } else { 1 });
            assert_eq!(c["defect"].is_null(), valid, "{}", c["id"]);
            if !valid && exp["ids_pending"] == false {
                assert!(!exp["finding_ids"].as_array().unwrap().is_empty(), "{}", c["id"]);
            }
            let files = &c["files"];
            let mut all = vec![files["leaf"].as_str().unwrap().to_string()];
            for k in ["intermediates", "anchors", "crls"] {
                all.extend(strs(&files[k]));
            }
            for f in all {
                assert!(generated().contains_key(&format!("{state}/{f}")), "{}: {f}", c["id"]);
            }
            if kind == "chain" {
                assert!(!strs(&files["anchors"]).is_empty());
            }
        }
    }
}

/// Every chain case through rustls-webpki: valid cases must verify and invalid ones must not.
#[test]
fn chain_cases_agree_with_rustls_webpki() {
    let mut checked = 0;
    for (state, m) in manifests() {
        for c in m["cases"].as_array().unwrap() {
            if c["kind"] != "chain" {
                continue;
            }
            let files = &c["files"];
            let leaf = file(&state, files["leaf"].as_str().unwrap());
            let inters: Vec<CertificateDer<'static>> =
                strs(&files["intermediates"]).iter().map(|f| CertificateDer::from(file(&state, f))).collect();
            let anchor_ders: Vec<CertificateDer<'static>> =
                strs(&files["anchors"]).iter().map(|f| CertificateDer::from(file(&state, f))).collect();
            let anchors: Vec<_> =
                anchor_ders.iter().map(|d| webpki::anchor_from_trusted_cert(d).unwrap().to_owned()).collect();
            let crl_ders: Vec<Vec<u8>> = strs(&files["crls"]).iter().map(|f| file(&state, f)).collect();
            let mut crls = Vec::new();
            let mut crl_parse_failed = false;
            for d in &crl_ders {
                match webpki::OwnedCertRevocationList::from_der(d) {
                    Ok(c) => crls.push(webpki::CertRevocationList::from(c)),
                    Err(_) => crl_parse_failed = true,
                }
            }
            let crl_refs: Vec<&webpki::CertRevocationList<'_>> = crls.iter().collect();
            let revocation = webpki::RevocationOptionsBuilder::new(&crl_refs).ok().map(|b| {
                b.with_depth(webpki::RevocationCheckDepth::Chain)
                    .with_status_policy(webpki::UnknownStatusPolicy::Deny)
                    .with_expiration_policy(webpki::ExpirationPolicy::Enforce)
                    .build()
            });
            let time = UnixTime::since_unix_epoch(Duration::from_secs(1_748_736_000)); // 2025-06-01T00:00:00Z
            assert_eq!(c["validation_time"], "2025-06-01T00:00:00Z");
            let leaf_der = CertificateDer::from(leaf);
            let ee = webpki::EndEntityCert::try_from(&leaf_der);
            let usage = match c["type"].as_str().unwrap() {
                "auth" => webpki::KeyUsage::client_auth(),
                _ => webpki::KeyUsage::server_auth(),
            };
            let result = ee.map_err(|e| format!("{e:?}")).and_then(|ee| {
                ee.verify_for_usage(webpki::ALL_VERIFICATION_ALGS, &anchors, &inters, time, usage, revocation, None)
                    .map(|_| ())
                    .map_err(|e| format!("{e:?}"))
            });
            let result = if crl_parse_failed { Err("CRL rejected".to_string()) } else { result };
            let expected_valid = c["expected"]["outcome"] == "valid";
            let defect = c["defect"].as_str().unwrap_or("-");
            // rustls-webpki does not enforce keyUsage keyCertSign on issuers (its documented
            // scope); that defect is checked structurally in `ca_variants_differ_in_one_field`.
            if defect == "ca-key-cert-sign-missing" {
                continue;
            }
            assert_eq!(result.is_ok(), expected_valid, "{}: webpki says {result:?}", c["id"]);
            checked += 1;
        }
    }
    assert!(checked > 150, "{checked}");
}

/// The top-level TBSCertificate fields and extensions of a certificate, by name.
fn tbs_fields(cert: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let (outer, _) = read_tlv(cert).unwrap();
    let parts = children(outer.content).unwrap();
    let tbs = children(parts[0].content).unwrap();
    let names = ["version", "serial", "signature", "issuer", "validity", "subject", "spki"];
    let mut out = BTreeMap::new();
    for (name, t) in names.iter().zip(&tbs) {
        out.insert(name.to_string(), t.raw.to_vec());
    }
    if let Some(exts) = tbs.get(7) {
        let seq = children(exts.content).unwrap();
        let mut seen: BTreeMap<Vec<u8>, usize> = BTreeMap::new();
        for e in children(seq[0].content).unwrap() {
            let oid = children(e.content).unwrap()[0].raw.to_vec();
            let n = seen.entry(oid.clone()).or_insert(0);
            *n += 1;
            out.insert(format!("ext {oid:02x?} #{n}"), e.raw.to_vec());
        }
    }
    out
}

/// The fields in which two certificates differ, ignoring those that differ by construction
/// between two distinct certificates (serial, key, subject key identifier).
fn differing(a: &[u8], b: &[u8], ignore_serial: bool) -> Vec<String> {
    let fa = tbs_fields(a);
    let fb = tbs_fields(b);
    let ski = format!("ext {:02x?} #1", der::oid("2.5.29.14"));
    let mut keys: Vec<&String> = fa.keys().chain(fb.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| !(k.as_str() == "spki" || **k == ski || (ignore_serial && k.as_str() == "serial")))
        .filter(|k| fa.get(*k) != fb.get(*k))
        .cloned()
        .collect()
}

#[test]
fn lint_variants_differ_from_their_base_in_exactly_one_field() {
    let mut checked = 0;
    for (state, m) in manifests() {
        for c in m["cases"].as_array().unwrap() {
            if c["kind"] != "lint" || c["defect"].is_null() {
                continue;
            }
            let defect = c["defect"].as_str().unwrap();
            let base = file(&state, &format!("leaf/{}.pem", c["type"].as_str().unwrap()));
            let variant = file(&state, c["files"]["leaf"].as_str().unwrap());
            let serial_defect = defect.starts_with("serial-");
            let diff = differing(&base, &variant, !serial_defect);
            assert_eq!(diff.len(), 1, "{}: differs in {diff:?}", c["id"]);
            if serial_defect {
                assert_eq!(diff, vec!["serial".to_string()]);
            }
            checked += 1;
        }
    }
    assert!(checked > 300, "{checked}");
}

#[test]
fn chain_leaf_variants_differ_in_one_field_or_only_in_signature() {
    for (state, _) in manifests() {
        let base = file(&state, "leaf/qualified-esig.pem");
        for (name, want) in [
            ("leaf-expired", vec!["validity"]),
            ("leaf-not-yet-valid", vec!["validity"]),
            ("leaf-revoked", vec![]),
            ("leaf-bad-signature", vec![]),
        ] {
            let v = file(&state, &format!("chain/{name}.pem"));
            assert_eq!(differing(&base, &v, true), want, "{state} {name}");
        }
        let v = file(&state, "chain/leaf-unknown-critical-extension.pem");
        let d = differing(&base, &v, true);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].starts_with("ext"));
        // The bad-signature leaf verifies nowhere; its signature is the only broken thing.
        let bad_der = file(&state, "chain/leaf-bad-signature.pem");
        let issuer_der = file(&state, "ca/qualified-ca.pem");
        let (_, parsed) = x509_parser::parse_x509_certificate(&bad_der).unwrap();
        let (_, issuer) = x509_parser::parse_x509_certificate(&issuer_der).unwrap();
        assert!(parsed.verify_signature(Some(issuer.public_key())).is_err());
        let (_, good) = x509_parser::parse_x509_certificate(&base).unwrap();
        assert!(good.verify_signature(Some(issuer.public_key())).is_ok());
    }
}

#[test]
fn ca_variants_differ_in_one_field() {
    for (state, _) in manifests() {
        let base = file(&state, "ca/qualified-ca.pem");
        for (name, want) in [
            ("qualified-ca-expired", "validity"),
            ("qualified-ca-not-ca", "ext"),
            ("qualified-ca-key-cert-sign-missing", "ext"),
        ] {
            let v = file(&state, &format!("ca/variants/{name}.pem"));
            let d = differing(&base, &v, true);
            assert_eq!(d.len(), 1, "{state} {name}: {d:?}");
            assert!(d[0].starts_with(want));
            // Same name and key: the valid leaf chains to the variant.
            assert_eq!(tbs_fields(&base)["spki"], tbs_fields(&v)["spki"]);
        }
        let v = file(&state, "ca/variants/qualified-ca-revoked.pem");
        assert!(differing(&base, &v, true).is_empty());
        assert_ne!(tbs_fields(&base)["serial"], tbs_fields(&v)["serial"]);
        let kcs_der = file(&state, "ca/variants/qualified-ca-key-cert-sign-missing.pem");
        let (_, kcs) = x509_parser::parse_x509_certificate(&kcs_der).unwrap();
        let ku = kcs.key_usage().unwrap().unwrap().value;
        assert!(!ku.key_cert_sign() && ku.crl_sign());
    }
}

/// Every certificate and CRL parses with x509-parser, and the valid leaves carry what their type
/// requires.
#[test]
fn everything_parses_and_valid_leaves_carry_their_type() {
    use x509_parser::prelude::*;
    for (rel, bytes) in generated() {
        if rel.ends_with(".pem") {
            let der = from_pem(std::str::from_utf8(bytes).unwrap()).unwrap();
            let strict = !rel.contains("/lint/serial-") && !rel.contains("/lint/extension-duplicate");
            let parsed = X509Certificate::from_der(&der);
            if strict {
                let (rest, _) = parsed.unwrap_or_else(|e| panic!("{rel}: {e}"));
                assert!(rest.is_empty(), "{rel}");
            }
        } else if rel.ends_with(".crl") {
            let (rest, crl) = CertificateRevocationList::from_der(bytes).unwrap_or_else(|e| panic!("{rel}: {e}"));
            assert!(rest.is_empty());
            let t = ASN1Time::from_timestamp(1_748_736_000).unwrap();
            if !rel.contains("stale") {
                assert!(crl.last_update() <= t && crl.next_update().unwrap() > t, "{rel}");
            }
        }
    }
    for (state, _) in manifests() {
        for (t, qctype) in [
            ("qualified-esig", Some("0.4.0.1862.1.6.1")),
            ("qualified-eseal", Some("0.4.0.1862.1.6.2")),
            ("qwac", Some("0.4.0.1862.1.6.3")),
            ("auth", None),
            ("esig", None),
            ("eseal", None),
        ] {
            let der = file(&state, &format!("leaf/{t}.pem"));
            let (_, cert) = X509Certificate::from_der(&der).unwrap();
            let qcs = cert
                .extensions()
                .iter()
                .find(|e| e.oid.to_id_string() == "1.3.6.1.5.5.7.1.3")
                .unwrap_or_else(|| panic!("{state} {t}: no qcStatements"));
            // Walk QCStatements with our reader: collect statement ids and QcType values.
            let (seq, _) = read_tlv(qcs.value).unwrap();
            let mut ids = Vec::new();
            let mut types = Vec::new();
            for st in children(seq.content).unwrap() {
                let parts = children(st.content).unwrap();
                ids.push(parts[0].raw.to_vec());
                if parts[0].raw == der::oid("0.4.0.1862.1.6") {
                    for t in children(parts[1].content).unwrap() {
                        types.push(t.raw.to_vec());
                    }
                }
            }
            match qctype {
                Some(q) => {
                    assert!(ids.contains(&der::oid("0.4.0.1862.1.1")), "{state} {t}: QcCompliance");
                    assert_eq!(types, vec![der::oid(q)], "{state} {t}");
                    let eu = ["hr", "si", "bg", "ro", "el", "eu"].contains(&state.as_str());
                    assert_eq!(ids.contains(&der::oid("0.4.0.1862.1.7")), !eu, "{state} {t}: QcCClegislation");
                }
                None => {
                    assert!(!ids.contains(&der::oid("0.4.0.1862.1.1")), "{state} {t}");
                    assert!(types.is_empty());
                }
            }
            assert!(cert.extensions().iter().any(|e| e.oid.to_id_string() == "2.5.29.32"), "{state} {t}: policies");
            let now = ASN1Time::from_timestamp(1_748_736_000).unwrap();
            assert!(cert.validity().is_valid_at(now));
        }
    }
}

/// JMBG/EMBG in the valid leaves of RS, ME, BA, MK are valid under the strict rule, computed here
/// independently of the generator.
#[test]
fn jmbg_subjects_have_valid_check_digits() {
    for state in ["rs", "me", "ba", "mk"] {
        let der = file(state, "leaf/qualified-esig.pem");
        let (_, cert) = x509_parser::parse_x509_certificate(&der).unwrap();
        let sn = cert.subject().iter_by_oid(&x509_parser::oid_registry::OID_X509_SERIALNUMBER).next().unwrap();
        let sn = sn.as_str().unwrap();
        let prefix = format!("PNO{}-", state.to_uppercase());
        assert!(sn.starts_with(&prefix), "{sn}");
        let d: Vec<u32> = sn[6..].chars().map(|c| c.to_digit(10).unwrap()).collect();
        assert_eq!(d.len(), 13);
        let w = [7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
        let sum: u32 = d.iter().zip(w).map(|(a, b)| a * b).sum();
        let r = sum % 11;
        assert_ne!(r, 1, "{sn} is in the disputed case");
        let k = if r == 0 { 0 } else { 11 - r };
        assert_eq!(d[12], k, "{sn}");
    }
}

/// Every chain case through `openssl verify` (a second, independent validator that, unlike
/// rustls-webpki, checks keyCertSign), when openssl is installed; skipped with a notice otherwise.
#[test]
fn chain_cases_agree_with_openssl_verify() {
    use std::process::Command;
    if Command::new("openssl").arg("version").output().is_err() {
        eprintln!("NOTICE: openssl not found on PATH; skipping the openssl cross-check");
        return;
    }
    let tmp = std::env::temp_dir().join(format!("eidtrust-testpki-openssl-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    let write = |name: &str, label: &str, der: &[u8]| -> PathBuf {
        let p = tmp.join(name);
        std::fs::write(&p, der::pem(label, der)).unwrap();
        p
    };
    let mut checked = 0;
    for (state, m) in manifests() {
        for c in m["cases"].as_array().unwrap() {
            if c["kind"] != "chain" {
                continue;
            }
            let files = &c["files"];
            let concat = |k: &str, label: &str| -> Vec<u8> {
                strs(&files[k]).iter().flat_map(|f| der::pem(label, &file(&state, f)).into_bytes()).collect()
            };
            let anchors = tmp.join("anchors.pem");
            std::fs::write(&anchors, concat("anchors", "CERTIFICATE")).unwrap();
            let inters = tmp.join("inters.pem");
            std::fs::write(&inters, concat("intermediates", "CERTIFICATE")).unwrap();
            let crls = tmp.join("crls.pem");
            std::fs::write(&crls, concat("crls", "X509 CRL")).unwrap();
            let leaf = write("leaf.pem", "CERTIFICATE", &file(&state, files["leaf"].as_str().unwrap()));
            let mut cmd = Command::new("openssl");
            cmd.arg("verify").arg("-attime").arg("1748736000").arg("-CAfile").arg(&anchors);
            if !strs(&files["intermediates"]).is_empty() {
                cmd.arg("-untrusted").arg(&inters);
            }
            if !strs(&files["crls"]).is_empty() {
                cmd.arg("-crl_check_all").arg("-CRLfile").arg(&crls);
            }
            let out = cmd.arg(&leaf).output().unwrap();
            let ok = out.status.success();
            let expected_valid = c["expected"]["outcome"] == "valid";
            assert_eq!(
                ok,
                expected_valid,
                "{}: openssl says {}{}",
                c["id"],
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            checked += 1;
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(checked > 150, "{checked}");
}
