//! `eidtrust interop serve-rp` and `eidtrust interop tls`: a live mutual-TLS check with a relying
//! party whose client-certificate verifier is eidtrust under a national profile.

use crate::common::{CmdResult, UsageError};

/// `interop serve-rp`: run a relying-party TLS endpoint.
#[derive(clap::Args, Debug)]
pub struct ServeRpArgs {
    /// The relying state's profile (id or file).
    #[arg(long)]
    pub profile: String,
    /// Address to listen on, e.g. 127.0.0.1:8443.
    #[arg(long)]
    pub listen: String,
}

/// `interop tls`: perform a mutual-TLS handshake and report whether and why it was accepted.
#[derive(clap::Args, Debug)]
pub struct TlsArgs {
    /// HOST:PORT of the relying party.
    #[arg(long)]
    pub connect: String,
    /// The client certificate chain (PEM).
    #[arg(long)]
    pub cert: String,
    /// The client private key (PKCS#8 PEM).
    #[arg(long)]
    pub key: String,
}

pub fn serve_rp(_a: &ServeRpArgs) -> CmdResult {
    Err(UsageError::new("interop serve-rp is not implemented yet"))
}

pub fn tls(_a: &TlsArgs) -> CmdResult {
    Err(UsageError::new("interop tls is not implemented yet"))
}
