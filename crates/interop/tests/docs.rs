//! docs/interop.md embeds the current matrix; this test fails when it is stale and rewrites it
//! with `EIDTRUST_BLESS=1`.

use eidtrust_interop::{matrix, render, Kind, Universe, DEFAULT_AT};
use std::path::Path;

const BEGIN: &str = "<!-- BEGIN GENERATED MATRIX -->\n";
const END: &str = "<!-- END GENERATED MATRIX -->";

#[test]
fn docs_interop_md_is_current() {
    let u = Universe::embedded().unwrap();
    let all: Vec<usize> = (0..u.states.len()).collect();
    let m = matrix::run(&u, DEFAULT_AT, &all, &all, &Kind::ALL, &|| {});
    let generated = render::markdown(&m);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/interop.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let (head, rest) = doc.split_once(BEGIN).expect("docs/interop.md has the BEGIN marker");
    let (_, tail) = rest.split_once(END).expect("docs/interop.md has the END marker");
    let want = format!("{head}{BEGIN}{generated}{END}{tail}");
    if want != doc {
        if std::env::var_os("EIDTRUST_BLESS").is_some() {
            std::fs::write(&path, want).unwrap();
        } else {
            panic!("docs/interop.md is stale: rerun with EIDTRUST_BLESS=1");
        }
    }
}
