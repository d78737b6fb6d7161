//! `eidtrust conformance`: public suites and the project's vectors.

use crate::common::{now_unix, read_input, CmdResult, Outcome, UsageError};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Run an x509-limbo file and print the harness result document (JSON).
    Limbo(LimboArgs),
    /// Run every case of the manifests under a directory (the project's test-vectors/).
    Run(crate::vectors::RunArgs),
}

#[derive(clap::Args)]
pub struct LimboArgs {
    /// The limbo.json file.
    file: String,
    /// Run only the testcases whose id matches this regular expression.
    #[arg(long)]
    include: Option<String>,
}

pub fn run(cmd: Command) -> CmdResult {
    match cmd {
        Command::Limbo(a) => limbo(a),
        Command::Run(a) => crate::vectors::run(a),
    }
}

fn limbo(a: LimboArgs) -> CmdResult {
    let include = match &a.include {
        Some(r) => Some(regex::Regex::new(r).map_err(|e| UsageError::new(format!("--include {r:?}: {e}")))?),
        None => None,
    };
    let data = read_input(&a.file)?;
    let limbo = eidtrust::limbo::parse(&data).map_err(|e| UsageError::new(format!("{}: {e}", a.file)))?;
    let doc = eidtrust::limbo::run(&limbo, include.as_ref(), now_unix());
    println!("{}", serde_json::to_string_pretty(&doc).map_err(|e| UsageError::new(e.to_string()))?);
    Ok(Outcome::Valid)
}
