//! `eidtrust profile list|show|check`: the national profiles.

use crate::common::{CmdResult, Outcome, TextOrJson, UsageError};
use eidtrust::profile::{self, schema::Status, Profile, ProfileError};

/// Prints a line to standard output, ignoring a closed pipe (`| head`) instead of panicking.
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($t)*);
    }};
}

#[derive(clap::Subcommand)]
pub enum Command {
    /// List the built-in profiles.
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: TextOrJson,
    },
    /// Show one profile (a built-in id or a path to a TOML file).
    Show {
        profile: String,
        #[arg(long, value_enum, default_value = "text")]
        format: TextOrJson,
    },
    /// Check profile files (or, without arguments, every built-in profile): schema, vocabulary and
    /// consistency. Exit 1 if any profile is invalid.
    Check { files: Vec<String> },
}

pub fn run(cmd: Command) -> CmdResult {
    match cmd {
        Command::List { format } => list(format),
        Command::Show { profile, format } => show(&profile, format),
        Command::Check { files } => check(&files),
    }
}

fn list(format: TextOrJson) -> CmdResult {
    let all = profile::builtins().map_err(|e| UsageError::new(e.to_string()))?;
    match format {
        TextOrJson::Json => {
            let v: Vec<_> = all
                .iter()
                .map(|p| {
                    serde_json::json!({"id": p.id, "name": p.name, "country": p.country.0,
                                       "eu_member": p.eu_member, "test_material": p.test_material})
                })
                .collect();
            outln!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        TextOrJson::Text => {
            for p in &all {
                let eu = if p.eu_member { "EU" } else { "non-EU" };
                let tm = if p.test_material { "  [synthetic anchors: test material]" } else { "" };
                outln!("{:<9} {:<3} {:<7} {}{tm}", p.id, p.country.0, eu, p.name);
            }
        }
    }
    Ok(Outcome::Valid)
}

fn status(s: Status) -> &'static str {
    match s {
        Status::Confirmed => "confirmed",
        Status::Unconfirmed => "UNCONFIRMED",
    }
}

fn show(id: &str, format: TextOrJson) -> CmdResult {
    let p = profile::resolve(id).map_err(|e| UsageError::new(e.to_string()))?;
    match format {
        TextOrJson::Json => outln!("{}", serde_json::to_string_pretty(&p).unwrap_or_default()),
        TextOrJson::Text => print_profile(&p),
    }
    Ok(Outcome::Valid)
}

fn print_profile(p: &Profile) {
    outln!("{} — {} ({}, {})", p.id, p.name, p.country.0, if p.eu_member { "EU member" } else { "not an EU member" });
    if !p.description.is_empty() {
        outln!("  {}", p.description);
    }
    outln!("legal basis:");
    for l in &p.legal_basis {
        outln!("  - {} — {} [{}]", l.title, l.citation, status(l.status));
    }
    let sb = &p.supervisory_body;
    outln!("supervisory body: {} [{}]", sb.name.as_deref().unwrap_or("(not recorded)"), status(sb.status));
    if sb.status == Status::Unconfirmed && !sb.source.is_empty() {
        outln!("  note: {}", sb.source);
    }
    outln!("trust sources:");
    for t in &p.trust_sources {
        let tm = if t.test_material { " (TEST MATERIAL)" } else { "" };
        outln!("  - {:?}: {}{tm} [{}]", t.kind, t.location, status(t.status));
    }
    outln!("levels of assurance:");
    for l in &p.loa {
        outln!("  - {} -> eIDAS {:?} [{}]", l.national, l.eidas, status(l.status));
    }
    let a = &p.algorithms;
    let sigs: Vec<&str> = a.signature_algorithms.iter().map(|s| s.name()).collect();
    let curves: Vec<&str> = a.curves.iter().map(|c| c.name()).collect();
    outln!("algorithms ({}):", a.citation);
    outln!("  signatures: {}", sigs.join(", "));
    outln!(
        "  RSA >= {} bits; curves: {}; EdDSA: {}",
        a.rsa_min_bits,
        curves.join(", "),
        if a.allow_eddsa { "allowed" } else { "not allowed" }
    );
    let cc: Vec<&str> = p.identifiers.countries.iter().map(|c| c.0.as_str()).collect();
    outln!("identifier countries: {}", if cc.is_empty() { "any".to_string() } else { cc.join(", ") });
    for n in &p.identifiers.national {
        let rem = n.remainder_one.map(|r| format!(", remainder 1: {r:?}")).unwrap_or_default();
        outln!("  - {} for {}{rem} [{}]", n.scheme.as_str(), n.type_refs.join("/"), status(n.status));
    }
    for n in &p.notes {
        outln!("note: {n}");
    }
}

fn check(files: &[String]) -> CmdResult {
    let mut ok = true;
    let results: Vec<(String, Result<Profile, ProfileError>)> = if files.is_empty() {
        profile::BUILTIN_IDS.iter().map(|id| (format!("{id} (built-in)"), profile::builtin(id))).collect()
    } else {
        files.iter().map(|f| (f.clone(), profile::load_file(std::path::Path::new(f)))).collect()
    };
    for (name, r) in results {
        match r {
            Ok(p) => {
                let unconfirmed = p.legal_basis.iter().filter(|l| l.status == Status::Unconfirmed).count()
                    + usize::from(p.supervisory_body.status == Status::Unconfirmed)
                    + p.trust_sources.iter().filter(|t| t.status == Status::Unconfirmed).count()
                    + p.loa.iter().filter(|l| l.status == Status::Unconfirmed).count()
                    + p.identifiers.national.iter().filter(|n| n.status == Status::Unconfirmed).count();
                outln!("{name}: ok (profile {}, {unconfirmed} unconfirmed facts)", p.id);
            }
            Err(ProfileError::Io { file, source }) => {
                return Err(UsageError::new(format!("cannot read profile {file}: {source}")));
            }
            Err(e) => {
                ok = false;
                outln!("{name}: invalid: {e}");
            }
        }
    }
    Ok(Outcome::from_valid(ok))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_reports_invalid_files_as_not_valid() {
        let dir = std::env::temp_dir().join(format!("eidtrust-profile-check-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("good.toml");
        let bad = dir.join("bad.toml");
        let src = profile::builtin_source("me").unwrap();
        std::fs::write(&good, src).unwrap();
        std::fs::write(&bad, src.replacen("eu_member = false", "eu_member = false\nbogus = 1", 1)).unwrap();
        let g = good.display().to_string();
        let b = bad.display().to_string();
        assert_eq!(check(std::slice::from_ref(&g)).unwrap(), Outcome::Valid);
        assert_eq!(check(&[g, b]).unwrap(), Outcome::NotValid);
        assert!(check(&[dir.join("missing.toml").display().to_string()]).is_err());
        assert_eq!(check(&[]).unwrap(), Outcome::Valid);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
