//! `eidtrust interop matrix` and `eidtrust interop explain` through the built binary: formats,
//! exit codes, and file:line errors for bad data files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eidtrust")).args(args).output().unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("eidtrust-interop-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn text_matrix_shows_the_treaty_gap_and_exits_0_without_leaks() {
    let o = run(&["interop", "matrix", "--states", "rs,mk,hr", "--kinds", "qualified-esig,auth"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("mk->rs/qualified-esig") && out.contains("RS does not load TL-MK"), "{out}");
    assert!(out.contains("18 cells"), "{out}");
    // not a terminal: no progress bar on standard error
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    // gaps fail only on request
    let o = run(&["interop", "matrix", "--states", "rs,mk", "--kinds", "qualified-esig", "--fail-on-gap"]);
    assert_eq!(code(&o), 1);
}

#[test]
fn json_has_every_cell_with_findings() {
    let o = run(&["interop", "matrix", "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let cells = v["cells"].as_array().unwrap();
    assert_eq!(cells.len(), 11 * 11 * 5);
    let c = cells.iter().find(|c| c["id"] == "mk->rs/qualified-esig").unwrap();
    assert_eq!(c["class"], "gap");
    assert_eq!(c["legal"]["basis"]["instrument"], "rs-mk-qts-2019");
    assert!(c["findings"].as_array().unwrap().iter().any(|f| f["id"] == "interop.gap.trust-source-not-loaded"));
    assert_eq!(c["technical"]["samples"].as_array().unwrap().len(), 10);
    assert_eq!(v["at"], "2026-06-01T00:00:00Z");
}

#[test]
fn junit_has_one_testcase_per_cell_and_gaps_fail() {
    let o = run(&["interop", "matrix", "--states", "rs,mk,hr,al", "--format", "junit"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let xml = stdout(&o);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let cases: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("testcase")).collect();
    assert_eq!(cases.len(), 4 * 4 * 5);
    let failing = cases.iter().filter(|c| c.children().any(|x| x.has_tag_name("failure"))).count();
    let json = run(&["interop", "matrix", "--states", "rs,mk,hr,al", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let gaps = v["summary"]["gaps"].as_u64().unwrap() + v["summary"]["leaks"].as_u64().unwrap();
    assert_eq!(failing as u64, gaps);
    assert!(gaps > 0);
}

#[test]
fn markdown_and_html_outputs() {
    let o = run(&["interop", "matrix", "--format", "markdown"]);
    assert_eq!(code(&o), 0);
    let md = stdout(&o);
    assert!(md.contains("| relying \\ issuer | RS | ME | MK |"), "{md}");
    // docs/interop.md embeds exactly this output
    let doc = std::fs::read_to_string(repo().join("docs/interop.md")).unwrap();
    assert!(doc.contains(&md), "docs/interop.md is stale");
    let d = tmpdir("html");
    let f = d.join("m.html");
    let o = run(&["interop", "matrix", "--format", "html", "--output", f.to_str().unwrap()]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).is_empty());
    let html = std::fs::read_to_string(&f).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<td class=\"gap\" id=\"mk-&gt;rs/qualified-esig\"><details><summary>GAP</summary>"));
    assert!(html.contains("rs-mk-qts-2019"));
    assert!(!html.contains("<script") && !html.contains("http://") && !html.contains("<link"), "self-contained");
}

#[test]
fn explain_prints_one_cell_in_full() {
    let o = run(&["interop", "explain", "mk", "rs", "qualified-esig"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    for want in [
        "GAP",
        "rs-mk-qts-2019",
        "RS does not load TL-MK",
        "mk/interop/qualified-esig/10",
        "MK/RS/",
        "tirana-memorandum-2020",
    ] {
        assert!(out.contains(want), "{want}: {out}");
    }
    let o =
        run(&["interop", "explain", "mk", "rs", "qualified-esig", "--at", "2019-09-01T00:00:00Z", "--format", "json"]);
    assert_eq!(code(&o), 0);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["legal"]["recognised"], false);
    assert_eq!(v["class"], "neither");
}

#[test]
fn bad_flags_exit_2() {
    for args in [
        vec!["interop", "matrix", "--states", "rs,zz"],
        vec!["interop", "matrix", "--kinds", "qes"],
        vec!["interop", "matrix", "--at", "yesterday"],
        vec!["interop", "matrix", "--format", "pdf"],
        vec!["interop", "explain", "rs", "mk"],
        vec!["interop", "explain", "rs", "mk", "qes"],
        vec!["interop", "matrix", "--root", "/nonexistent/eidtrust"],
    ] {
        let o = run(&args);
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).is_empty());
    }
    let d = tmpdir("out");
    let o = run(&["interop", "matrix", "--states", "rs", "--output", d.join("no/such/dir/m.txt").to_str().unwrap()]);
    assert_eq!(code(&o), 2);
}

/// A data root with copied profiles and agreements (test-vectors linked), to edit.
#[cfg(unix)]
fn data_copy(name: &str) -> PathBuf {
    let d = tmpdir(name);
    std::fs::create_dir_all(d.join("profiles/agreements")).unwrap();
    for sub in ["profiles", "profiles/agreements"] {
        for e in std::fs::read_dir(repo().join(sub)).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                std::fs::copy(&p, d.join(sub).join(p.file_name().unwrap())).unwrap();
            }
        }
    }
    std::os::unix::fs::symlink(repo().join("test-vectors").canonicalize().unwrap(), d.join("test-vectors")).unwrap();
    d
}

#[cfg(unix)]
#[test]
fn bad_data_files_give_file_line_errors() {
    let d = data_copy("bad");
    let f = d.join("profiles/agreements/open-balkan-eid.toml");
    let text = std::fs::read_to_string(&f)
        .unwrap()
        .replace("effect = \"identifier-linking\"", "efect = \"identifier-linking\"");
    std::fs::write(&f, text).unwrap();
    let o = run(&["interop", "matrix", "--root", d.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    let e = stderr(&o);
    assert!(e.contains("open-balkan-eid.toml:") && e.contains("efect"), "{e}");
    let line_col = e.split("open-balkan-eid.toml:").nth(1).unwrap();
    assert!(line_col.split(':').take(2).all(|n| n.parse::<usize>().is_ok()), "{e}");
}

#[cfg(unix)]
#[test]
fn a_trust_leak_exits_1() {
    let d = data_copy("leak");
    let me = d.join("profiles/me.toml");
    let text = std::fs::read_to_string(&me).unwrap().replacen(
        "[[loa]]",
        "[[trust_sources]]\nkind = \"foreign-synthetic-anchors\"\nlocation = \"test-vectors/rs/\"\ntest_material = true\nstatus = \"unconfirmed\"\nsource = \"test\"\n\n[[loa]]",
        1,
    );
    std::fs::write(&me, text).unwrap();
    let o =
        run(&["interop", "matrix", "--root", d.to_str().unwrap(), "--states", "rs,me", "--kinds", "qualified-esig"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stdout(&o).contains("rs->me/qualified-esig") && stdout(&o).contains("LEAK"), "{}", stdout(&o));
}
