//! End-to-end test of `eidtrust conformance run` on the project's own `test-vectors/`: every
//! report format parses, agrees with the others on the counts, and the exit code follows the
//! contract (0 all pass, 1 otherwise, 2 for a malformed manifest or an empty selection).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_eidtrust")
}

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors")
}

fn run(args: &[&str]) -> Output {
    Command::new(bin()).args(args).output().expect("run the eidtrust binary")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code (not killed by a signal)")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

/// The number of cases in the manifests, counted independently of the runner.
fn manifest_case_count(dir: &Path) -> usize {
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let m = e.unwrap().path().join("manifest.json");
        if m.exists() {
            let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&m).unwrap()).unwrap();
            n += v["cases"].as_array().unwrap().len();
        }
    }
    n
}

fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("eidtrust-cli-conformance-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn every_format_parses_and_agrees_with_the_exit_code() {
    let dir = vectors_dir();
    let dir_s = dir.to_str().unwrap();
    let total = manifest_case_count(&dir);
    assert!(total > 100, "the generated tree holds hundreds of cases, found {total}");

    // JSON: the reference for the counts.
    let o = run(&["conformance", "run", dir_s, "--format", "json"]);
    let c = code(&o);
    assert!(c == 0 || c == 1, "exit {c}: {}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON report");
    let s = &v["summary"];
    assert_eq!(s["total"], total);
    let (pass, fail, skip, error) = (
        s["pass"].as_u64().unwrap(),
        s["fail"].as_u64().unwrap(),
        s["skip"].as_u64().unwrap(),
        s["error"].as_u64().unwrap(),
    );
    assert_eq!((pass + fail + skip + error) as usize, total);
    assert_eq!(c == 0, pass as usize == total, "exit code {c} vs summary {s}");
    let cases = v["cases"].as_array().unwrap();
    assert_eq!(cases.len(), total);
    // every case was actually run: referenced files exist, profiles load
    for case in cases {
        let st = case["outcome"]["status"].as_str().unwrap();
        assert!(st == "pass" || st == "fail", "{} ended {st}: {}", case["name"], case["outcome"]);
        assert!(case["properties"]["expected"].is_string() && case["properties"]["actual"].is_string());
        if st == "fail" {
            assert!(case["details"].as_str().unwrap().contains('\n'), "a failure says why: {case}");
        }
    }
    // Per-state counts, for the record (cargo test -- --nocapture).
    let mut per_state: std::collections::BTreeMap<String, (u32, u32)> = Default::default();
    for case in cases {
        let e = per_state.entry(case["group"].as_str().unwrap().to_string()).or_default();
        e.1 += 1;
        if case["outcome"]["status"] == "pass" {
            e.0 += 1;
        }
    }
    for (state, (p, t)) in &per_state {
        println!("{state}: {p}/{t} pass");
    }

    // JUnit XML: well-formed (roxmltree is a conforming XML 1.0 parser) with the same counts.
    let o = run(&["conformance", "run", dir_s, "--format", "junit"]);
    assert_eq!(code(&o), c);
    let xml = stdout(&o);
    let doc = roxmltree::Document::parse(&xml).expect("well-formed JUnit XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(root.attribute("tests"), Some(total.to_string().as_str()));
    assert_eq!(root.attribute("failures"), Some(fail.to_string().as_str()));
    let suites: Vec<_> = root.children().filter(|n| n.has_tag_name("testsuite")).collect();
    assert_eq!(suites.len(), per_state.len());
    let testcases = doc.descendants().filter(|n| n.has_tag_name("testcase")).count();
    assert_eq!(testcases, total);
    let failures = doc.descendants().filter(|n| n.has_tag_name("failure")).count();
    assert_eq!(failures as u64, fail);

    // SARIF 2.1.0: one run, the catalogue as rules, one result per failed case at least.
    let o = run(&["conformance", "run", dir_s, "--format", "sarif"]);
    assert_eq!(code(&o), c);
    let sarif: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("SARIF JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let rules = runs[0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "rfc5280.format.malformed"), "pki catalogue listed");
    assert!(rules.iter().all(|r| r["properties"]["citation"].is_string()));
    let results = runs[0]["results"].as_array().unwrap();
    let case_failures = results.iter().filter(|r| r["ruleId"] == "report.case.not-as-expected").count();
    assert_eq!(case_failures as u64, fail);
    for r in results {
        if let Some(uri) = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str() {
            assert!(uri.ends_with(".pem") || uri.ends_with(".crl") || uri.contains("/token/"), "{uri}");
        }
    }

    // HTML: one self-contained file, one <details> per case.
    let o = run(&["conformance", "run", dir_s, "--format", "html"]);
    assert_eq!(code(&o), c);
    let html = stdout(&o);
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    assert!(!html.contains("<script") && !html.contains("<link"));
    assert_eq!(html.matches("<details").count(), total);

    // Text: the totals line.
    let o = run(&["conformance", "run", dir_s]);
    assert_eq!(code(&o), c);
    let text = stdout(&o);
    let last = text.lines().last().unwrap();
    assert_eq!(last, format!("{total} cases: {pass} passed, {fail} failed, {skip} skipped, {error} errors"));
}

#[test]
fn include_and_output() {
    let dir = vectors_dir();
    let out_dir = temp_dir("output");
    let out = out_dir.join("report.xml");
    let o = run(&[
        "conformance",
        "run",
        dir.to_str().unwrap(),
        "--include",
        "^rs/lint/valid-",
        "--format",
        "junit",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(code(&o) == 0 || code(&o) == 1);
    assert!(stdout(&o).starts_with("6 cases: "), "{}", stdout(&o));
    let xml = std::fs::read_to_string(&out).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let names: Vec<&str> =
        doc.descendants().filter(|n| n.has_tag_name("testcase")).filter_map(|n| n.attribute("name")).collect();
    assert_eq!(names.len(), 6);
    assert!(names.iter().all(|n| n.starts_with("rs/lint/valid-")));
    std::fs::remove_dir_all(&out_dir).unwrap();

    // a selection with no case, a bad regex: exit 2
    let o = run(&["conformance", "run", dir.to_str().unwrap(), "--include", "^no-such-case$"]);
    assert_eq!(code(&o), 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("matches no case"));
    let o = run(&["conformance", "run", dir.to_str().unwrap(), "--include", "("]);
    assert_eq!(code(&o), 2);
}

#[test]
fn malformed_manifests_exit_2_naming_file_and_json_path() {
    let d = temp_dir("malformed");
    std::fs::create_dir_all(d.join("zz")).unwrap();
    let m = d.join("zz/manifest.json");
    std::fs::write(
        &m,
        r#"{"schema":"eidtrust-test-vectors/1","state":"zz","country":"ZZ","profile":"rs","eu_member":false,
        "note":"","cases":[{"id":"zz/lint/a","kind":"lint","description":"","profile":"rs","type":"qwac",
        "defect":null,"clause":null,"validation_time":"2025-06-01T00:00:00Z",
        "files":{"leaf":"a.pem","intermediates":[],"anchors":[],"crls":[]},
        "expected":{"outcome":"sometimes","exit_code":0,"finding_ids":[],"ids_pending":false}}]}"#,
    )
    .unwrap();
    let o = run(&["conformance", "run", d.to_str().unwrap(), "--format", "json"]);
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert_eq!(code(&o), 2, "{err}");
    assert!(err.contains("zz/manifest.json") && err.contains("cases[0].expected.outcome"), "{err}");
    assert!(o.stdout.is_empty());

    // not JSON at all
    std::fs::write(&m, b"\x00\xff garbage").unwrap();
    let o = run(&["conformance", "run", d.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("zz/manifest.json"));

    // no manifest at all, and a directory that does not exist
    std::fs::remove_file(&m).unwrap();
    let o = run(&["conformance", "run", d.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    let o = run(&["conformance", "run", d.join("nope").to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn a_referenced_file_missing_is_an_error_case_and_exit_1() {
    let d = temp_dir("missing");
    std::fs::create_dir_all(d.join("zz")).unwrap();
    std::fs::write(
        d.join("zz/manifest.json"),
        r#"{"schema":"eidtrust-test-vectors/1","state":"zz","country":"ZZ","profile":"rs","eu_member":false,
        "note":"","cases":[{"id":"zz/lint/a","kind":"lint","description":"<b>","profile":"rs","type":"qwac",
        "defect":null,"clause":null,"validation_time":"2025-06-01T00:00:00Z",
        "files":{"leaf":"missing.pem","intermediates":[],"anchors":[],"crls":[]},
        "expected":{"outcome":"valid","exit_code":0,"finding_ids":[],"ids_pending":false}}]}"#,
    )
    .unwrap();
    let o = run(&["conformance", "run", d.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code(&o), 1);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["cases"][0]["outcome"]["status"], "error");
    assert!(v["cases"][0]["outcome"]["reason"].as_str().unwrap().contains("missing.pem"));
    let o = run(&["conformance", "run", d.to_str().unwrap(), "--format", "html"]);
    assert_eq!(code(&o), 1);
    assert!(!stdout(&o).contains("<b>"), "description escaped");
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn a_closed_pipe_ends_the_output_without_a_panic() {
    use std::io::Read;
    use std::process::Stdio;
    let dir = vectors_dir();
    let mut child = Command::new(bin())
        .args(["conformance", "run", dir.to_str().unwrap(), "--format", "junit"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // stdout is dropped here: the reader went away after 16 bytes (like `| head -c 16`)
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(code(&o) == 0 || code(&o) == 1, "exit {:?}: {err}", o.status);
}
