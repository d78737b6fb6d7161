//! `eidtrust cert lint`: lint certificates against a national profile.
//!
//! Exit codes: 0 when every certificate is conformant, 1 when any has an error or fatal finding
//! (a malformed certificate included), 2 for usage errors (unknown profile, unreadable file, empty
//! directory).

use crate::common::{read_input, CmdResult, Outcome, UsageError};
use eidtrust::profile::{self, findings, CertType, LintReport};
use eidtrust::report::Severity;
use std::path::{Path, PathBuf};

/// Prints a line to standard output, ignoring a closed pipe (`| head`) instead of panicking.
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($t)*);
    }};
}

#[derive(clap::Subcommand)]
pub enum Command {
    /// Lint certificates (DER or PEM files, or directories of them) against a profile.
    Lint(LintArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    /// One JSON object per file and per line: {"file","profile","type","type_source","claims","conformant","findings"}.
    Json,
    /// SARIF 2.1.0.
    Sarif,
}

#[derive(clap::Args)]
pub struct LintArgs {
    /// Certificate files or directories (directories are searched for .pem .crt .cer .der files).
    #[arg(required = true)]
    paths: Vec<String>,
    /// A built-in profile id (`eidtrust profile list`) or a path to a profile TOML file.
    #[arg(long)]
    profile: String,
    /// Lint as this type; without it the type the certificate claims is used and reported.
    #[arg(long = "type", value_parser = parse_type)]
    cert_type: Option<CertType>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

fn parse_type(s: &str) -> Result<CertType, String> {
    CertType::parse(s).ok_or_else(|| {
        let all: Vec<&str> = CertType::ALL.iter().map(|t| t.as_str()).collect();
        format!("unknown certificate type {s:?} (one of: {})", all.join(", "))
    })
}

/// Most files one invocation lints (project limit; keeps memory bounded with the 64 MiB per-file cap
/// in practice far lower for certificates).
const MAX_FILES: usize = 100_000;
/// Deepest directory level searched (project limit; also stops symlink loops).
const MAX_DIR_DEPTH: usize = 16;

fn is_cert_file(p: &Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref(),
        Some("pem" | "crt" | "cer" | "der")
    )
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> Result<(), UsageError> {
    if depth > MAX_DIR_DEPTH {
        return Err(UsageError::new(format!("{} is nested deeper than {MAX_DIR_DEPTH} levels", dir.display())));
    }
    let rd =
        std::fs::read_dir(dir).map_err(|e| UsageError::new(format!("cannot read directory {}: {e}", dir.display())))?;
    let mut entries: Vec<PathBuf> = Vec::new();
    for e in rd {
        let e = e.map_err(|e| UsageError::new(format!("cannot read directory {}: {e}", dir.display())))?;
        entries.push(e.path());
    }
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, depth + 1, out)?;
        } else if is_cert_file(&p) {
            out.push(p);
        }
        if out.len() > MAX_FILES {
            return Err(UsageError::new(format!("more than {MAX_FILES} certificate files given")));
        }
    }
    Ok(())
}

fn collect(paths: &[String]) -> Result<Vec<String>, UsageError> {
    let mut files = Vec::new();
    for p in paths {
        let path = Path::new(p);
        if path.is_dir() {
            let mut found = Vec::new();
            walk(path, 0, &mut found)?;
            if found.is_empty() {
                return Err(UsageError::new(format!("directory {p} holds no .pem/.crt/.cer/.der files")));
            }
            files.extend(found.into_iter().map(|f| f.display().to_string()));
        } else {
            files.push(p.clone());
        }
        if files.len() > MAX_FILES {
            return Err(UsageError::new(format!("more than {MAX_FILES} certificate files given")));
        }
    }
    Ok(files)
}

pub fn run(cmd: Command) -> CmdResult {
    match cmd {
        Command::Lint(a) => lint(a),
    }
}

fn lint(a: LintArgs) -> CmdResult {
    let prof = profile::resolve(&a.profile).map_err(|e| UsageError::new(e.to_string()))?;
    let files = collect(&a.paths)?;
    let mut inputs = Vec::with_capacity(files.len());
    for f in &files {
        inputs.push(read_input(f)?);
    }
    let mut reports = profile::lint_many(&inputs, &prof, a.cert_type);
    for (r, f) in reports.iter_mut().zip(&files) {
        for finding in r.findings.iter_mut() {
            finding.location.file = Some(f.clone());
        }
    }
    let all_ok = reports.iter().all(|r| r.conformant);
    match a.format {
        Format::Text => print_text(&files, &reports),
        Format::Json => {
            for (f, r) in files.iter().zip(&reports) {
                outln!("{}", json_line(f, r));
            }
        }
        Format::Sarif => outln!("{}", sarif(&files, &reports)),
    }
    Ok(Outcome::from_valid(all_ok))
}

fn json_line(file: &str, r: &LintReport) -> String {
    let mut v = serde_json::to_value(r).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.insert("file".into(), serde_json::Value::String(file.to_string()));
    }
    v.to_string()
}

fn print_text(files: &[String], reports: &[LintReport]) {
    let mut bad = 0;
    for (f, r) in files.iter().zip(reports) {
        let ty = match (r.cert_type, r.type_source) {
            (Some(t), profile::TypeSource::Given) => format!("{t} (given)"),
            (Some(t), _) => format!("{t} (claimed by the certificate)"),
            (None, _) => "no type".to_string(),
        };
        let verdict = if r.conformant { "conformant" } else { "NOT conformant" };
        if !r.conformant {
            bad += 1;
        }
        outln!("{f}: {verdict} as {ty} under profile {}", r.profile);
        let mut sorted: Vec<_> = r.findings.iter().collect();
        sorted.sort_by_key(|x| std::cmp::Reverse(x.severity));
        for x in sorted {
            let path = x.location.path.as_deref().unwrap_or("");
            outln!("  {:<7} {}: {} ({path})", x.severity, x.id, x.message);
        }
    }
    if files.len() > 1 {
        outln!("{} files, {} conformant, {} not conformant", files.len(), files.len() - bad, bad);
    }
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Fatal | Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Notice | Severity::Info => "note",
    }
}

fn sarif(files: &[String], reports: &[LintReport]) -> String {
    use serde_json::json;
    let rules: Vec<_> = findings::CATALOGUE
        .iter()
        .map(|d| {
            json!({
                "id": d.id,
                "shortDescription": {"text": d.summary},
                "help": {"text": format!("{} ({})", d.summary, d.citation)},
                "properties": {"citation": d.citation, "severity": d.severity.as_str()},
                "defaultConfiguration": {"level": sarif_level(d.severity)},
            })
        })
        .collect();
    let mut results = Vec::new();
    for (f, r) in files.iter().zip(reports) {
        for x in &r.findings {
            results.push(json!({
                "ruleId": x.id,
                "level": sarif_level(x.severity),
                "message": {"text": x.message},
                "locations": [{
                    "physicalLocation": {"artifactLocation": {"uri": f}},
                    "logicalLocations": [{"fullyQualifiedName": x.location.path.clone().unwrap_or_default()}],
                }],
                "properties": {"severity": x.severity.as_str(), "profile": r.profile,
                               "type": r.cert_type.map(|t| t.as_str())},
            }));
        }
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "eidtrust cert lint", "informationUri": "https://example.invalid/eidtrust", "rules": rules}},
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_parse() {
        assert_eq!(parse_type("qwac"), Ok(CertType::Qwac));
        assert!(parse_type("premium").unwrap_err().contains("qualified-esig"));
    }

    #[test]
    fn directories_are_searched_for_certificate_files() {
        let dir = std::env::temp_dir().join(format!("eidtrust-cert-lint-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("a.pem"), b"x").unwrap();
        std::fs::write(dir.join("sub/b.DER"), b"x").unwrap();
        std::fs::write(dir.join("notes.txt"), b"x").unwrap();
        let files = collect(&[dir.display().to_string()]).unwrap();
        assert_eq!(files.len(), 2);
        assert!(files[0].ends_with("a.pem") && files[1].ends_with("b.DER"));
        std::fs::create_dir_all(dir.join("empty")).unwrap();
        assert!(collect(&[dir.join("empty").display().to_string()]).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn json_and_sarif_shapes() {
        let p = profile::builtin("rs").unwrap();
        let r = profile::lint_input(b"junk", &p, Some(CertType::Qwac));
        let line: serde_json::Value = serde_json::from_str(&json_line("x.pem", &r)).unwrap();
        assert_eq!(line["file"], "x.pem");
        assert_eq!(line["profile"], "rs");
        assert_eq!(line["type"], "qwac");
        assert_eq!(line["conformant"], false);
        assert_eq!(line["findings"][0]["id"], "lint.input.malformed");
        let s: serde_json::Value = serde_json::from_str(&sarif(&["x.pem".into()], &[r])).unwrap();
        assert_eq!(s["version"], "2.1.0");
        assert_eq!(s["runs"][0]["results"][0]["ruleId"], "lint.input.malformed");
        assert_eq!(s["runs"][0]["results"][0]["level"], "error");
        assert!(s["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap().len() == findings::CATALOGUE.len());
    }
}
