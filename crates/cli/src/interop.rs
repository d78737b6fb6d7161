//! `eidtrust interop`: cross-border recognition (legal) against technical acceptance.
//!
//! `matrix` and `explain` run the issuer x relying-state matrix of the interop crate (method in
//! docs/interop.md). Exit codes: 0 when no cell is a trust leak and no validator accepted a
//! deliberately invalid sample; 1 when one is (and, with `--fail-on-gap`, when any cell is an
//! interop gap); 2 for bad flags and unreadable or invalid data files (file:line:column).
//! Interop gaps alone exit 0 by default: they describe the legal and technical situation of
//! other states, which the caller usually cannot change; JUnit output still shows them as
//! failures.

use crate::common::{now_unix, parse_rfc3339, CmdResult, Outcome, UsageError};
use crate::interop_tls;
use interop::{matrix, render, Kind, Universe};

#[derive(clap::Subcommand)]
pub enum Command {
    /// The issuer x relying-state matrix: legal recognition against technical acceptance.
    Matrix(MatrixArgs),
    /// One cell in full: legal basis, instruments considered, every sample, identifier mapping.
    Explain(ExplainArgs),
    /// Run a relying-party TLS endpoint whose client-certificate check is eidtrust under a profile.
    ServeRp(interop_tls::ServeRpArgs),
    /// Perform a mutual-TLS handshake with a relying party and report whether and why it accepted.
    Tls(interop_tls::TlsArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MatrixFormat {
    Text,
    Json,
    Junit,
    Markdown,
    Html,
}

#[derive(clap::Args, Debug)]
pub struct DataArgs {
    /// The date of the matrix, RFC 3339, or `now` (reads the clock). Default
    /// 2026-06-01T00:00:00Z, when every valid sample credential is inside its validity period.
    #[arg(long)]
    at: Option<String>,
    /// Read profiles/, profiles/agreements/ and test-vectors/ from this directory instead of the
    /// data built into the binary.
    #[arg(long)]
    root: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct MatrixArgs {
    #[command(flatten)]
    data: DataArgs,
    /// States (issuers and relying parties), comma-separated: rs,me,mk,al,ba,xk,hr,si,bg,ro,el.
    #[arg(long, value_delimiter = ',')]
    states: Vec<String>,
    /// Credential kinds, comma-separated: qualified-esig,qualified-eseal,qwac,auth,pid.
    #[arg(long, value_delimiter = ',')]
    kinds: Vec<String>,
    #[arg(long, value_enum, default_value = "text")]
    format: MatrixFormat,
    /// Write the report to this file instead of standard output.
    #[arg(long)]
    output: Option<String>,
    /// Exit 1 when any cell is an interop gap (recognised but rejected), not only on leaks.
    #[arg(long)]
    fail_on_gap: bool,
}

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// Issuer state A (e.g. mk).
    issuer: String,
    /// Relying state B (e.g. rs).
    relying: String,
    /// Credential kind: qualified-esig, qualified-eseal, qwac, auth or pid.
    kind: String,
    #[command(flatten)]
    data: DataArgs,
    #[arg(long, value_enum, default_value = "text")]
    format: crate::common::TextOrJson,
}

pub fn run(cmd: Command) -> CmdResult {
    match cmd {
        Command::Matrix(a) => run_matrix(&a),
        Command::Explain(a) => explain(&a),
        Command::ServeRp(a) => interop_tls::serve_rp(&a),
        Command::Tls(a) => interop_tls::tls(&a),
    }
}

fn load(d: &DataArgs) -> Result<(Universe, i64), UsageError> {
    let at = match d.at.as_deref() {
        None => interop::DEFAULT_AT,
        Some("now") => now_unix(),
        Some(s) => parse_rfc3339(s)?,
    };
    let u = match &d.root {
        None => Universe::embedded(),
        Some(dir) => Universe::load_dir(std::path::Path::new(dir)),
    }
    .map_err(|e| UsageError::new(e.to_string()))?;
    Ok((u, at))
}

fn state_index(u: &Universe, s: &str) -> Result<usize, UsageError> {
    let id = s.trim().to_ascii_lowercase();
    u.index(&id).ok_or_else(|| {
        UsageError::new(format!("unknown state {s:?} (states: {})", interop::agreement::STATES.join(", ")))
    })
}

fn kind(s: &str) -> Result<Kind, UsageError> {
    Kind::parse(s.trim()).ok_or_else(|| {
        let all: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        UsageError::new(format!("unknown credential kind {s:?} (kinds: {})", all.join(", ")))
    })
}

fn exit(m: &matrix::Matrix, fail_on_gap: bool) -> Outcome {
    let bad = m.summary.leaks > 0 || m.summary.invalid_accepted > 0 || (fail_on_gap && m.summary.gaps > 0);
    Outcome::from_valid(!bad)
}

fn run_matrix(a: &MatrixArgs) -> CmdResult {
    let (u, at) = load(&a.data)?;
    let states: Vec<usize> = if a.states.is_empty() {
        (0..u.states.len()).collect()
    } else {
        let mut v = Vec::new();
        for s in &a.states {
            let i = state_index(&u, s)?;
            if !v.contains(&i) {
                v.push(i);
            }
        }
        v
    };
    let kinds: Vec<Kind> = if a.kinds.is_empty() {
        Kind::ALL.to_vec()
    } else {
        let mut v = Vec::new();
        for k in &a.kinds {
            let k = kind(k)?;
            if !v.contains(&k) {
                v.push(k);
            }
        }
        v
    };
    let total = (states.len() * states.len() * kinds.len()) as u64;
    let bar = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        let b = indicatif::ProgressBar::new(total);
        if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} cells {elapsed}") {
            b.set_style(style);
        }
        Some(b)
    } else {
        None
    };
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    let m = matrix::run(&u, at, &states, &states, &kinds, &tick);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let out = match a.format {
        MatrixFormat::Text => render::text(&m),
        MatrixFormat::Json => render::json(&m) + "\n",
        MatrixFormat::Junit => render::junit(&m),
        MatrixFormat::Markdown => render::markdown(&m),
        MatrixFormat::Html => render::html(&m),
    };
    match &a.output {
        Some(f) => std::fs::write(f, out).map_err(|e| UsageError::new(format!("cannot write {f}: {e}")))?,
        None => print!("{out}"),
    }
    Ok(exit(&m, a.fail_on_gap))
}

fn explain(a: &ExplainArgs) -> CmdResult {
    let (u, at) = load(&a.data)?;
    let ai = state_index(&u, &a.issuer)?;
    let bi = state_index(&u, &a.relying)?;
    let k = kind(&a.kind)?;
    let m = matrix::run(&u, at, &[ai], &[bi], &[k], &|| {});
    let c = m.cells.first().ok_or_else(|| UsageError::new("the cell could not be computed"))?;
    match a.format {
        crate::common::TextOrJson::Text => print!("{}", render::explain(c, &m.at)),
        crate::common::TextOrJson::Json => {
            println!("{}", serde_json::to_string_pretty(c).unwrap_or_default())
        }
    }
    Ok(exit(&m, false))
}
