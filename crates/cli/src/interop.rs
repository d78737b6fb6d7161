//! Placeholder: this command group is filled in by its issue.

use crate::common::{CmdResult, UsageError};

#[derive(clap::Subcommand)]
pub enum Command {}

pub fn run(cmd: Command) -> CmdResult {
    match cmd {}
}

#[allow(dead_code)]
fn _unused() -> UsageError {
    UsageError::new("")
}
