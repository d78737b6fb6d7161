//! A stand-in for `eidtrust cert lint ... --format json` built from this crate alone, so the
//! oracle and throughput scripts can run while the CLI crate does not build. Same library calls
//! (resolve, lint_many with rayon), same JSON lines.
//!
//! lint_json cert lint PATH... --profile ID [--type TYPE] --format json

use eidtrust_profile::{lint_many, resolve, CertType};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut paths = Vec::new();
    let mut profile = None;
    let mut ty = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "cert" | "lint" => {}
            "--profile" => profile = it.next().cloned(),
            "--type" => ty = it.next().and_then(|t| CertType::parse(t)),
            "--format" => {
                it.next();
            }
            p => paths.push(p.to_string()),
        }
    }
    let Some(profile) = profile.and_then(|p| resolve(&p).ok()) else {
        eprintln!("usage: lint_json cert lint PATH... --profile ID [--type TYPE] --format json");
        std::process::exit(2);
    };
    let mut files = Vec::new();
    for p in paths {
        let path = std::path::Path::new(&p);
        if path.is_dir() {
            let mut v: Vec<String> = std::fs::read_dir(path)
                .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path().display().to_string()).collect())
                .unwrap_or_default();
            v.retain(|f| f.ends_with(".pem") || f.ends_with(".der"));
            v.sort();
            files.extend(v);
        } else {
            files.push(p);
        }
    }
    let inputs: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap_or_default()).collect();
    let reports = lint_many(&inputs, &profile, ty);
    let mut ok = true;
    let mut out = String::new();
    for (f, r) in files.iter().zip(&reports) {
        ok &= r.conformant;
        let mut v = serde_json::to_value(r).unwrap_or_default();
        if let Some(o) = v.as_object_mut() {
            o.insert("file".into(), serde_json::Value::String(f.clone()));
        }
        out.push_str(&v.to_string());
        out.push('\n');
    }
    print!("{out}");
    std::process::exit(if ok { 0 } else { 1 });
}
