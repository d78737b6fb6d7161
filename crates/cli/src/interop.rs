//! `eidtrust interop`: cross-border recognition (legal) against technical acceptance.

use crate::common::CmdResult;
use crate::interop_tls;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Run a relying-party TLS endpoint whose client-certificate check is eidtrust under a profile.
    ServeRp(interop_tls::ServeRpArgs),
    /// Perform a mutual-TLS handshake with a relying party and report whether and why it accepted.
    Tls(interop_tls::TlsArgs),
}

pub fn run(cmd: Command) -> CmdResult {
    match cmd {
        Command::ServeRp(a) => interop_tls::serve_rp(&a),
        Command::Tls(a) => interop_tls::tls(&a),
    }
}
