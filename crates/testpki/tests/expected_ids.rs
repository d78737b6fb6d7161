//! Every finding id the manifests expect is defined in the pki or profile catalogue source, so the
//! generator never ships an invented id and a rename there is caught here.
//!
//! testpki must not depend on pki/profile (they depend on it for their tests), so this reads the
//! catalogue sources as text and looks for each id as a string literal.

use std::path::Path;

fn catalogue_sources() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut text = String::new();
    for krate in ["pki", "profile"] {
        let dir = root.join(krate).join("src");
        let Ok(rd) = std::fs::read_dir(&dir) else { continue };
        let mut paths: Vec<_> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            if p.extension().is_some_and(|e| e == "rs") {
                text.push_str(&std::fs::read_to_string(&p).unwrap_or_default());
            }
        }
    }
    text
}

#[test]
fn every_expected_id_is_defined_in_a_catalogue() {
    let src = catalogue_sources();
    let mut missing = Vec::new();
    for (_, defect, ids) in eidtrust_testpki::expected::EXPECTED {
        for id in *ids {
            let candidates: Vec<String> = match id.strip_prefix("{jmbg}") {
                Some(rest) => ["rs", "me", "ba", "mk"]
                    .iter()
                    .filter_map(|s| eidtrust_testpki::expected::jmbg_prefix(s))
                    .map(|p| format!("{p}{rest}"))
                    .collect(),
                None => vec![id.to_string()],
            };
            for c in candidates {
                if !src.contains(&format!("\"{c}\"")) {
                    missing.push(format!("{defect}: {c}"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "ids not found in crates/pki/src or crates/profile/src: {missing:#?}");
}

#[test]
fn manifests_carry_the_table() {
    let files = eidtrust_testpki::generate_files().unwrap();
    let m: serde_json::Value = serde_json::from_slice(&files["mk/manifest.json"]).unwrap();
    let case = m["cases"].as_array().unwrap().iter().find(|c| c["defect"] == "jmbg-check-digit").unwrap();
    assert_eq!(case["expected"]["finding_ids"], serde_json::json!(["mk.embg.check-digit"]));
    assert_eq!(case["expected"]["ids_pending"], false);
    let case = m["cases"].as_array().unwrap().iter().find(|c| c["defect"] == "anchor-key-mismatch").unwrap();
    assert_eq!(case["expected"]["ids_pending"], true);
    assert_eq!(case["expected"]["finding_ids"], serde_json::json!([]));
}
