//! Runs all of x509-limbo (`../shared/vectors/x509-limbo/limbo.json`) and compares every result
//! with the expected one. Divergences must be listed, each with a reason, in
//! `tests/x509-limbo-exceptions.tsv` (id, actual result, reason); the test fails on any
//! unexpected outcome, on any false accept that is not listed, and on a listed exception that no
//! longer happens (so the list never goes stale).

use std::collections::BTreeMap;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn shared_or_skip(rel: &str) -> Option<PathBuf> {
    let p = root().join("..").join("shared").join(rel);
    if p.exists() {
        return Some(p);
    }
    if std::env::var("EIDTRUST_REQUIRE_SHARED").is_ok_and(|v| v == "1") {
        panic!("{} is missing and EIDTRUST_REQUIRE_SHARED=1", p.display());
    }
    eprintln!("NOTICE: {} not found; skipping the x509-limbo suite", p.display());
    None
}

#[test]
fn x509_limbo_all_cases_as_expected() {
    let Some(path) = shared_or_skip("vectors/x509-limbo/limbo.json") else { return };
    let data = std::fs::read(&path).unwrap();
    let limbo = eidtrust::limbo::parse(&data).unwrap();
    let exceptions_text = std::fs::read_to_string(root().join("tests/x509-limbo-exceptions.tsv")).unwrap();
    let mut exceptions: BTreeMap<String, (String, String)> = BTreeMap::new();
    for (n, line) in exceptions_text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.splitn(3, '\t');
        let (Some(id), Some(actual), Some(reason)) = (parts.next(), parts.next(), parts.next()) else {
            panic!("tests/x509-limbo-exceptions.tsv:{}: expected id<TAB>actual<TAB>reason", n + 1);
        };
        assert!(!reason.trim().is_empty(), "exception {id} has no reason");
        assert!(
            exceptions.insert(id.to_string(), (actual.to_string(), reason.to_string())).is_none(),
            "{id} listed twice"
        );
    }

    // Cases without a validation time mean "now"; their certificates are valid from 1970 to 2969.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let doc = eidtrust::limbo::run(&limbo, None, now);
    assert_eq!(doc.results.len(), limbo.testcases.len());
    let mut as_expected = 0;
    let mut false_accepts = Vec::new();
    let mut unexpected = Vec::new();
    let mut explained = 0;
    let mut seen_exceptions = 0;
    for (tc, r) in limbo.testcases.iter().zip(&doc.results) {
        let ok = r.actual_result == tc.expected_result;
        let exc = exceptions.get(&tc.id);
        if exc.is_some() {
            seen_exceptions += 1;
        }
        match (ok, exc) {
            (true, None) => as_expected += 1,
            (true, Some(_)) => {
                unexpected.push(format!("{}: listed as an exception but now {} as expected", tc.id, r.actual_result))
            }
            (false, Some((actual, _))) if *actual == r.actual_result => explained += 1,
            (false, _) => {
                if r.actual_result == "SUCCESS" {
                    false_accepts.push(tc.id.clone());
                }
                unexpected.push(format!(
                    "{}: expected {}, got {} ({:?})",
                    tc.id, tc.expected_result, r.actual_result, r.context
                ));
            }
        }
    }
    assert_eq!(seen_exceptions, exceptions.len(), "an exception names a case that is not in limbo.json");
    println!(
        "x509-limbo: {} cases, {as_expected} as expected, {explained} listed exceptions, {} unexpected, {} false accepts",
        limbo.testcases.len(),
        unexpected.len(),
        false_accepts.len()
    );
    for u in unexpected.iter().take(200) {
        println!("  {u}");
    }
    assert!(false_accepts.is_empty(), "false accepts: {false_accepts:?}");
    assert!(unexpected.is_empty(), "{} unexpected outcomes", unexpected.len());
}
