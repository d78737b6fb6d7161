//! Embeds the repository's recognition instruments (`profiles/agreements/*.toml`) and the interop
//! samples and CA certificates of `test-vectors/<state>/` into the crate, so that the matrix runs
//! from any directory. A root directory given at run time replaces them (tests, edited data).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let root = manifest.join("../..");
    let mut files = Vec::new();
    let agreements = root.join("profiles/agreements");
    println!("cargo:rerun-if-changed={}", agreements.display());
    walk(&agreements, &mut files);
    let tv = root.join("test-vectors");
    for state in ["rs", "me", "mk", "al", "ba", "xk", "hr", "si", "bg", "ro", "el"] {
        let interop = tv.join(state).join("interop");
        println!("cargo:rerun-if-changed={}", interop.display());
        walk(&interop, &mut files);
        for ca in ["root", "qualified-ca", "ca"] {
            let p = tv.join(state).join("ca").join(format!("{ca}.pem"));
            println!("cargo:rerun-if-changed={}", p.display());
            files.push(p);
        }
    }
    let mut src = String::from(
        "/// Embedded files: path relative to the repository root, bytes.\npub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for f in &files {
        let name = f.to_string_lossy();
        // Private keys and TLS chain files are for other tools, not for the matrix.
        if name.ends_with(".key") || name.ends_with(".chain.pem") || !f.is_file() {
            continue;
        }
        let Ok(rel) = f.strip_prefix(&root) else { continue };
        let rel = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/");
        let abs = f.canonicalize().unwrap_or_else(|_| f.clone());
        let _ = writeln!(src, "    ({rel:?}, include_bytes!({:?})),", abs.to_string_lossy());
    }
    src.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("embedded.rs");
    if let Err(e) = std::fs::write(&out, src) {
        panic!("cannot write {}: {e}", out.display());
    }
}
