//! `eidtrust`: the command-line front end.
//!
//! Exit codes are a contract: 0 valid / conformant, 1 not valid (including a malformed subject:
//! certificate, CRL, token or list), 2 usage errors, unreadable files and unusable configuration
//! given by the caller (anchors, keys, profiles). Nothing panics on input.
#![forbid(unsafe_code)]

mod cert;
mod chain;
mod common;
mod conformance;
mod findings;
mod interop;
mod interop_tls;
mod profile;
mod revocation;
mod tl;
mod token;
mod vectors;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "eidtrust", version, about = "eID trust and cross-border interoperability conformance")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Certificate chains: build and validate per RFC 5280.
    #[command(subcommand)]
    Chain(chain::Command),
    /// Certificates: lint against a national profile.
    #[command(subcommand)]
    Cert(cert::Command),
    /// National profiles: list, show, check.
    #[command(subcommand)]
    Profile(profile::Command),
    /// List every finding id with its severity and citation.
    Findings(findings::Args),
    /// Signed eID tokens: JWS, JWT, SD-JWT, SD-JWT VC.
    #[command(subcommand)]
    Token(token::Command),
    /// ETSI TS 119 612 trusted lists.
    #[command(subcommand)]
    Tl(tl::Command),
    /// Conformance runs over public suites and the project's vectors.
    #[command(subcommand)]
    Conformance(conformance::Command),
    /// Revocation status of one certificate (OCSP, CRLs).
    #[command(subcommand)]
    Revocation(revocation::Command),
    /// Cross-border interoperability: recognition and technical acceptance.
    #[command(subcommand)]
    Interop(interop::Command),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Chain(c) => chain::run(c),
        Command::Cert(c) => cert::run(c),
        Command::Profile(c) => profile::run(c),
        Command::Findings(a) => findings::run(a),
        Command::Token(c) => token::run(c),
        Command::Tl(c) => tl::run(c),
        Command::Conformance(c) => conformance::run(c),
        Command::Revocation(c) => revocation::run(c),
        Command::Interop(c) => interop::run(c),
    };
    common::finish(result)
}
