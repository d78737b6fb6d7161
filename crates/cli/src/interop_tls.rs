//! `eidtrust interop serve-rp` and `eidtrust interop tls`: a live mutual-TLS check with a relying
//! party whose client-certificate verifier is eidtrust under a national profile.
//!
//! `serve-rp` listens on a TCP address, requires a client certificate, and validates it with
//! [`eidtrust::tls::ClientVerifier`] (the relying state's profile, the anchors it loads, client-auth
//! purpose, the leaf linted as the profile's authentication certificate). It prints one JSON line
//! when listening (with the bound address) and one per connection with the verdict; after an
//! accepted handshake it sends the verdict JSON to the client over TLS and closes.
//!
//! `tls` connects, performs the handshake with the caller's certificate and key, and reports
//! whether the relying party accepted it (with the relying party's verdict) or rejected it (with
//! the TLS alert and what it means). Exit 0 accepted, 1 rejected, 2 bad input or unreachable.

use crate::common::{self, CmdResult, Outcome, TextOrJson, UsageError};
use eidtrust::pki::cert::Certificate;
use eidtrust::pki::validate::RevocationMode;
use eidtrust::profile::{CertType, Profile};
use eidtrust::tls::rustls;
use eidtrust::tls::{ClientVerifier, Clock, DecisionLog, FixedClock, LeafCheck, ServerVerifier, SystemClock};
use eidtrust::TrustContext;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, ClientConnection, DigitallySignedStruct, ServerConfig, ServerConnection, SignatureScheme};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The largest verdict a client reads back from a relying party (1 MiB; a verdict is a few KiB:
/// the cap bounds memory against a hostile or broken server — project limit).
pub const MAX_VERDICT_BYTES: u64 = 1024 * 1024;

/// Writes of the close sequence after the verdict (close_notify and any queued data) before
/// giving up on a peer that does not read (project limit; one or two suffice).
pub const MAX_CLOSE_WRITES: usize = 64;

/// Which types `--leaf-type` accepts besides the profile's certificate types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LeafTypeArg {
    PathOnly,
    Claimed,
    Type(CertType),
}

fn parse_leaf_type(s: &str) -> Result<LeafTypeArg, String> {
    match s {
        "path-only" => Ok(LeafTypeArg::PathOnly),
        "claimed" => Ok(LeafTypeArg::Claimed),
        _ => CertType::parse(s).map(LeafTypeArg::Type).ok_or_else(|| {
            let types: Vec<&str> = CertType::ALL.iter().map(|t| t.as_str()).collect();
            format!("expected path-only, claimed or a certificate type ({})", types.join(", "))
        }),
    }
}

/// `--revocation` of serve-rp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RevocationArg {
    /// Not checked.
    Off,
    /// Checked with the CRLs given; a certificate none covers passes with a warning.
    Prefer,
    /// Every certificate must be covered by a CRL given.
    Require,
}

/// `interop serve-rp`: run a relying-party TLS endpoint.
#[derive(clap::Args, Debug)]
pub struct ServeRpArgs {
    /// The relying state's profile (id or file).
    #[arg(long)]
    pub profile: String,
    /// Address to listen on, e.g. 127.0.0.1:8443 (port 0 picks a free port; the bound address is
    /// printed).
    #[arg(long)]
    pub listen: String,
    /// Trust anchors the relying party loads (PEM bundle or DER; repeatable). Default: what the
    /// relying state loads in the interop matrix: its own synthetic root, foreign synthetic
    /// anchors its profile lists, and for a `lotl` source the EU members' qualified CAs.
    #[arg(long = "anchors", value_name = "FILE")]
    pub anchors: Vec<String>,
    /// CRLs to check client certificates against (repeatable).
    #[arg(long = "crl", value_name = "FILE")]
    pub crls: Vec<String>,
    /// Revocation checking (default: prefer when --crl is given, else off).
    #[arg(long, value_enum)]
    pub revocation: Option<RevocationArg>,
    /// Validation time (RFC 3339); default: the system clock at each handshake.
    #[arg(long)]
    pub at: Option<String>,
    /// How the client's leaf is linted: a certificate type of the profile (default auth), `claimed`
    /// (the type it claims) or `path-only` (RFC 5280 path validation only).
    #[arg(long = "leaf-type", default_value = "auth", value_parser = parse_leaf_type)]
    leaf_type: LeafTypeArg,
    /// Stop after one connection.
    #[arg(long, conflicts_with = "max_connections")]
    pub once: bool,
    /// Stop after N connections (default: serve until killed).
    #[arg(long = "max-connections", value_name = "N")]
    pub max_connections: Option<u64>,
    /// The server's certificate chain (PEM); default: an ephemeral CA and server certificate.
    #[arg(long, requires = "key")]
    pub cert: Option<String>,
    /// The server's private key (PKCS#8, SEC1 or PKCS#1 PEM).
    #[arg(long, requires = "cert")]
    pub key: Option<String>,
    /// DNS names of the ephemeral server certificate (repeatable; default localhost; the listening
    /// IP address is always included).
    #[arg(long = "server-name", value_name = "NAME")]
    pub server_names: Vec<String>,
    /// Write the ephemeral server CA certificate (PEM) here, for clients to pin with
    /// `interop tls --server-anchors`.
    #[arg(long = "server-ca-out", value_name = "FILE", conflicts_with = "cert")]
    pub server_ca_out: Option<String>,
    /// Read/write timeout per connection, in seconds.
    #[arg(long, default_value_t = 10)]
    pub timeout: u64,
}

/// `--tls-version` of the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TlsVersionArg {
    /// TLS 1.3 or 1.2, as negotiated.
    Any,
    #[value(name = "1.2")]
    V12,
    #[value(name = "1.3")]
    V13,
}

/// `interop tls`: perform a mutual-TLS handshake and report whether and why it was accepted.
#[derive(clap::Args, Debug)]
pub struct TlsArgs {
    /// HOST:PORT of the relying party.
    #[arg(long)]
    pub connect: String,
    /// The client certificate chain (PEM: the leaf first, then intermediates).
    #[arg(long)]
    pub cert: String,
    /// The client private key (PKCS#8 PEM; SEC1 and PKCS#1 PEM are read too).
    #[arg(long)]
    pub key: String,
    /// Anchors to verify the relying party's server certificate with (repeatable).
    #[arg(long = "server-anchors", value_name = "FILE", required_unless_present_any = ["insecure_server_cert", "server_trust"])]
    pub server_anchors: Vec<String>,
    /// Validate the server certificate as a relying party of this state does (a citizen's browser
    /// in that state): its profile and the anchors it loads by default (see `serve-rp --anchors`).
    #[arg(long = "server-trust", value_name = "PROFILE", conflicts_with_all = ["server_anchors", "server_profile"])]
    pub server_trust: Option<String>,
    /// How the server's leaf is linted: `path-only` (default), `claimed`, or a certificate type of
    /// the server profile (`qwac`: the profile's QWAC rules, EN 319 412-4).
    #[arg(long = "server-type", default_value = "path-only", value_parser = parse_leaf_type)]
    server_type: LeafTypeArg,
    /// Do not verify the relying party's server certificate (the handshake signatures are still
    /// checked). For test endpoints only.
    #[arg(long = "insecure-server-cert", conflicts_with_all = ["server_anchors", "server_trust"])]
    pub insecure_server_cert: bool,
    /// The server name to expect (default: the host of --connect).
    #[arg(long = "server-name")]
    pub server_name: Option<String>,
    /// Profile the server certificate is validated under (algorithm rules; default eu-eidas).
    #[arg(long = "server-profile")]
    pub server_profile: Option<String>,
    /// Validation time of the server certificate (RFC 3339); default: the system clock.
    #[arg(long)]
    pub at: Option<String>,
    /// TLS version to offer.
    #[arg(long = "tls-version", value_enum, default_value = "any")]
    pub tls_version: TlsVersionArg,
    /// Connect and read timeout, in seconds.
    #[arg(long, default_value_t = 10)]
    pub timeout: u64,
    #[arg(long, value_enum, default_value = "text")]
    pub format: TextOrJson,
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Certificate rules per foreign anchor (see `ClientVerifier::issuer_rules`).
type IssuerRules = Vec<(Certificate, Profile)>;

/// One anchor a relying party loads, and why.
struct ConfiguredAnchor {
    /// The file it came from, or the trust source of the built-in relying configuration.
    source: String,
    subject: String,
    /// The foreign state whose credentials chain to it (`None`: the relying state's own).
    issuer: Option<String>,
}

/// The anchors a relying party under `p` loads by default: exactly the interop matrix's relying
/// configuration (`interop::matrix::Relying`), so the live check and the matrix agree by
/// construction of their inputs. Foreign anchors' chains are linted as the matrix does, under
/// the issuer's legislation with the relying state's algorithm rules
/// (`interop::matrix::foreign_view`).
fn relying_trust(p: &Profile) -> Result<(Vec<Certificate>, IssuerRules, Vec<ConfiguredAnchor>), UsageError> {
    let u = interop::Universe::embedded().map_err(|e| UsageError::new(format!("built-in interop data: {e}")))?;
    let relying = u.index(&p.id).and_then(|i| interop::matrix::Relying::build(&u, i)).ok_or_else(|| {
        UsageError::new(format!("no built-in relying configuration for profile {}; give the anchors", p.id))
    })?;
    let mut anchors = Vec::new();
    let mut rules = Vec::new();
    let mut configured = Vec::new();
    for ra in relying.anchors(&u) {
        let foreign = ra.issuer != p.id;
        if foreign {
            if let Some(issuer) = u.state(&ra.issuer) {
                rules.push((ra.cert.clone(), interop::matrix::foreign_view(&issuer.profile, p)));
            }
        }
        configured.push(ConfiguredAnchor {
            source: ra.source,
            subject: ra.cert.subject.display_short(),
            issuer: foreign.then_some(ra.issuer),
        });
        anchors.push(ra.cert);
    }
    Ok((anchors, rules, configured))
}

fn read_files(files: &[String]) -> Result<Vec<(String, Vec<u8>)>, UsageError> {
    files.iter().map(|f| common::read_input(f).map(|d| (f.clone(), d))).collect()
}

fn load_anchors(files: &[String]) -> Result<Vec<Certificate>, UsageError> {
    let anchors = common::parse_anchor_files(&read_files(files)?)?;
    if anchors.is_empty() {
        return Err(UsageError::new(format!("no certificates in the anchor files {}", files.join(", "))));
    }
    Ok(anchors)
}

fn load_chain(file: &str) -> Result<Vec<CertificateDer<'static>>, UsageError> {
    let data = common::read_input(file)?;
    let certs: Vec<CertificateDer<'static>> = match CertificateDer::pem_slice_iter(&data).collect() {
        Ok(c) => c,
        Err(e) => return Err(UsageError::new(format!("{file}: cannot read the certificate chain: {e}"))),
    };
    if certs.is_empty() {
        // A single DER certificate.
        if Certificate::from_der(&data).is_ok() {
            return Ok(vec![CertificateDer::from(data)]);
        }
        return Err(UsageError::new(format!("{file}: no CERTIFICATE in the file")));
    }
    Ok(certs)
}

fn load_key(file: &str) -> Result<PrivateKeyDer<'static>, UsageError> {
    let data = common::read_input(file)?;
    PrivateKeyDer::from_pem_slice(&data)
        .map_err(|e| UsageError::new(format!("{file}: no usable private key (PKCS#8, SEC1 or PKCS#1 PEM): {e}")))
}

fn clock(at: &Option<String>) -> Result<Arc<dyn Clock>, UsageError> {
    Ok(match at {
        Some(t) => Arc::new(FixedClock::new(common::parse_rfc3339(t)?)),
        None => Arc::new(SystemClock),
    })
}

fn load_crls(files: &[String]) -> Result<Vec<eidtrust::pki::crl::Crl>, UsageError> {
    use eidtrust::pki::input::{self, Kind};
    let mut out = Vec::new();
    for (f, data) in read_files(files)? {
        let ders = input::read(&data, Kind::Crl).map_err(|e| UsageError::new(format!("CRL {f}: {e}")))?;
        for der in ders {
            let c = eidtrust::pki::crl::Crl::from_der(&der)
                .map_err(|e| UsageError::new(format!("CRL {f} is unusable: {e}")))?;
            out.push(c);
        }
    }
    Ok(out)
}

/// The server's certificate chain and key: the caller's, or an ephemeral CA and server
/// certificate made with rcgen (and the CA's PEM, to pin).
fn server_credential(
    a: &ServeRpArgs,
    bound: &SocketAddr,
) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>, Option<String>), UsageError> {
    if let (Some(c), Some(k)) = (&a.cert, &a.key) {
        return Ok((load_chain(c)?, load_key(k)?, None));
    }
    let err = |e: rcgen::Error| UsageError::new(format!("cannot make the ephemeral server certificate: {e}"));
    let ca_key = rcgen::KeyPair::generate().map_err(err)?;
    let mut ca_params = rcgen::CertificateParams::default();
    ca_params.distinguished_name = rcgen::DistinguishedName::new();
    ca_params.distinguished_name.push(rcgen::DnType::CommonName, "eidtrust serve-rp ephemeral CA (TEST ONLY)");
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Constrained(0));
    ca_params.key_usages = vec![rcgen::KeyUsagePurpose::KeyCertSign, rcgen::KeyUsagePurpose::CrlSign];
    let ca = ca_params.self_signed(&ca_key).map_err(err)?;
    let names = if a.server_names.is_empty() { vec!["localhost".to_string()] } else { a.server_names.clone() };
    let mut params = rcgen::CertificateParams::new(names).map_err(err)?;
    params.subject_alt_names.push(rcgen::SanType::IpAddress(bound.ip()));
    params.distinguished_name = rcgen::DistinguishedName::new();
    params.distinguished_name.push(rcgen::DnType::CommonName, "eidtrust serve-rp (TEST ONLY)");
    params.is_ca = rcgen::IsCa::ExplicitNoCa;
    params.key_usages = vec![rcgen::KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    params.use_authority_key_identifier_extension = true;
    let key = rcgen::KeyPair::generate().map_err(err)?;
    let leaf = params.signed_by(&key, &ca, &ca_key).map_err(err)?;
    let chain = vec![leaf.der().clone(), ca.der().clone()];
    let key = PrivateKeyDer::Pkcs8(key.serialize_der().into());
    Ok((chain, key, Some(ca.pem())))
}

fn print_line(v: &serde_json::Value) {
    let mut out = std::io::stdout().lock();
    // A closed stdout cannot be reported anywhere better; the server goes on.
    let _ = writeln!(out, "{v}");
    let _ = out.flush();
}

pub fn serve_rp(a: &ServeRpArgs) -> CmdResult {
    let profile = eidtrust::profile::resolve(&a.profile).map_err(|e| UsageError::new(e.to_string()))?;
    let (anchors, issuer_rules, configured) = if a.anchors.is_empty() {
        relying_trust(&profile)?
    } else {
        let anchors = load_anchors(&a.anchors)?;
        let configured = anchors
            .iter()
            .map(|c| ConfiguredAnchor { source: "--anchors".into(), subject: c.subject.display_short(), issuer: None })
            .collect();
        (anchors, Vec::new(), configured)
    };
    let anchor_subjects: Vec<String> = anchors.iter().map(|c| c.subject.display_short()).collect();
    let crls = load_crls(&a.crls)?;
    let revocation = match a.revocation {
        Some(RevocationArg::Off) => RevocationMode::Off,
        Some(RevocationArg::Prefer) => RevocationMode::Prefer,
        Some(RevocationArg::Require) => RevocationMode::Require,
        None if crls.is_empty() => RevocationMode::Off,
        None => RevocationMode::Prefer,
    };
    let clock = clock(&a.at)?;
    let leaf = match a.leaf_type {
        LeafTypeArg::PathOnly => LeafCheck::PathOnly,
        LeafTypeArg::Claimed => LeafCheck::ClaimedType,
        LeafTypeArg::Type(t) => LeafCheck::AsType(t),
    };
    let profile_id = profile.id.clone();
    let ctx = Arc::new(TrustContext::new(profile, anchors));
    let mut base = ClientVerifier::new(ctx, clock).leaf_check(leaf).crls(crls, revocation);
    for (anchor, rules) in &issuer_rules {
        base = base.issuer_rules(anchor, rules.clone());
    }

    let listener =
        TcpListener::bind(&a.listen).map_err(|e| UsageError::new(format!("cannot listen on {}: {e}", a.listen)))?;
    let bound = listener.local_addr().map_err(|e| UsageError::new(format!("cannot read the bound address: {e}")))?;
    let (chain, key, ca_pem) = server_credential(a, &bound)?;
    if let (Some(out), Some(pem)) = (&a.server_ca_out, &ca_pem) {
        std::fs::write(out, pem).map_err(|e| UsageError::new(format!("cannot write {out}: {e}")))?;
    }
    // Check the credential once, so a bad --cert/--key is a usage error before any client comes.
    make_server_config(&base, &chain, &key)?;
    let timeout = Duration::from_secs(a.timeout.max(1));
    let max = if a.once { Some(1) } else { a.max_connections };
    print_line(&serde_json::json!({
        "event": "listening",
        "address": bound.to_string(),
        "profile": profile_id,
        "anchors": anchor_subjects,
        "anchor_sources": configured
            .iter()
            .map(|r| serde_json::json!({"subject": r.subject, "source": r.source, "issuer_rules": r.issuer}))
            .collect::<Vec<_>>(),
        "leaf_type": match leaf {
            LeafCheck::PathOnly => "path-only".to_string(),
            LeafCheck::ClaimedType => "claimed".to_string(),
            LeafCheck::AsType(t) => t.as_str().to_string(),
        },
        "revocation": format!("{revocation:?}").to_lowercase(),
        "crls": a.crls.len(),
        "time": a.at.clone().unwrap_or_else(|| "system clock".to_string()),
        "server_ca": a.server_ca_out,
    }));
    eprintln!("eidtrust: relying party (profile {profile_id}) listening on {bound}");
    let mut served = 0u64;
    while max.is_none_or(|m| served < m) {
        let event = match listener.accept() {
            Ok((sock, _)) => serve_one(&base, &chain, &key, sock, timeout),
            Err(e) => {
                serde_json::json!({"event": "connection", "accepted": false, "error": format!("accept failed: {e}")})
            }
        };
        print_line(&event);
        served += 1;
    }
    Ok(Outcome::Valid)
}

fn make_server_config(
    base: &ClientVerifier,
    chain: &[CertificateDer<'static>],
    key: &PrivateKeyDer<'static>,
) -> Result<ServerConfig, UsageError> {
    let mut config = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| UsageError::new(format!("TLS configuration: {e}")))?
        .with_client_cert_verifier(Arc::new(base.clone()))
        .with_single_cert(chain.to_vec(), key.clone_key())
        .map_err(|e| UsageError::new(format!("the server certificate and key are unusable: {e}")))?;
    config.send_tls13_tickets = 0;
    Ok(config)
}

/// One connection: handshake with a per-connection decision log, the verdict JSON back to an
/// accepted client, and the event line for the server's log.
fn serve_one(
    base: &ClientVerifier,
    chain: &[CertificateDer<'static>],
    key: &PrivateKeyDer<'static>,
    mut sock: TcpStream,
    timeout: Duration,
) -> serde_json::Value {
    let peer = sock.peer_addr().map(|a| a.to_string()).unwrap_or_else(|_| "unknown".to_string());
    let event = |accepted: bool, decision: Option<serde_json::Value>, error: Option<String>| {
        serde_json::json!({
            "event": "connection",
            "peer": peer,
            "accepted": accepted,
            "decision": decision,
            "error": error,
        })
    };
    if let Err(e) = sock.set_read_timeout(Some(timeout)).and_then(|()| sock.set_write_timeout(Some(timeout))) {
        return event(false, None, Some(format!("cannot set socket timeouts: {e}")));
    }
    let log = DecisionLog::new(4);
    let verifier = base.clone().log(log.clone());
    let config = match make_server_config(&verifier, chain, key) {
        Ok(c) => c,
        Err(e) => return event(false, None, Some(e.to_string())),
    };
    let mut conn = match ServerConnection::new(Arc::new(config)) {
        Ok(c) => c,
        Err(e) => return event(false, None, Some(format!("TLS setup failed: {e}"))),
    };
    let result = handshake(&mut conn, &mut sock, timeout);
    let decision = log.latest();
    let decision_json = decision.as_ref().map(|d| d.to_json());
    if let Err(e) = result {
        let _ = conn.write_tls(&mut sock);
        return event(false, decision_json, Some(describe_io_error(&e)));
    }
    let accepted = decision.as_ref().is_some_and(|d| d.accepted());
    let body = decision_json.clone().unwrap_or(serde_json::Value::Null);
    let mut text = body.to_string();
    text.push('\n');
    let sent = conn
        .writer()
        .write_all(text.as_bytes())
        .and_then(|()| {
            conn.send_close_notify();
            let mut rounds = 0;
            while conn.wants_write() && rounds < MAX_CLOSE_WRITES {
                conn.write_tls(&mut sock)?;
                rounds += 1;
            }
            sock.flush()
        })
        .err()
        .map(|e| format!("handshake accepted but the verdict could not be sent: {e}"));
    let _ = sock.shutdown(std::net::Shutdown::Write);
    event(accepted, decision_json, sent)
}

/// Drives a handshake to completion within `budget` (wall time), reading one record's worth at a
/// time so a peer that trickles bytes cannot stretch it: each read waits at most for what is left
/// of the budget. The socket's read timeout is restored to `budget` afterwards.
fn handshake<S: rustls::SideData>(
    conn: &mut rustls::ConnectionCommon<S>,
    sock: &mut TcpStream,
    budget: Duration,
) -> std::io::Result<()> {
    use std::io::{Error, ErrorKind};
    let deadline = Instant::now() + budget;
    while conn.is_handshaking() {
        while conn.wants_write() {
            conn.write_tls(sock)?;
        }
        if !conn.is_handshaking() {
            break;
        }
        if !conn.wants_read() {
            return Err(Error::other("the TLS handshake stalled"));
        }
        let left = deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or_else(|| Error::new(ErrorKind::TimedOut, format!("handshake not complete within {budget:?}")))?;
        sock.set_read_timeout(Some(left))?;
        if conn.read_tls(sock)? == 0 {
            return Err(Error::from(ErrorKind::UnexpectedEof));
        }
        if let Err(e) = conn.process_new_packets() {
            // Send the alert describing the error, if any (a last-gasp write).
            let _ = conn.write_tls(sock);
            return Err(Error::new(ErrorKind::InvalidData, e));
        }
    }
    while conn.wants_write() {
        conn.write_tls(sock)?;
    }
    sock.set_read_timeout(Some(budget))?;
    Ok(())
}

fn tls_error(e: &std::io::Error) -> Option<&rustls::Error> {
    e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>())
}

fn describe_io_error(e: &std::io::Error) -> String {
    match tls_error(e) {
        Some(t) => t.to_string(),
        None => format!("{e} ({:?})", e.kind()),
    }
}

/// Accepts any server certificate; the handshake signatures are still verified. For
/// `--insecure-server-cert` only.
#[derive(Debug)]
struct InsecureServerCert(rustls::crypto::WebPkiSupportedAlgorithms);

impl ServerCertVerifier for InsecureServerCert {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_schemes()
    }
}

/// What the client found.
struct Report {
    connect: String,
    server_name: String,
    accepted: bool,
    protocol: Option<String>,
    alert: Option<String>,
    reason: String,
    verdict: Option<serde_json::Value>,
    server_certificate: String,
    server_verdict: Option<serde_json::Value>,
}

impl Report {
    fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "connect": self.connect,
            "server_name": self.server_name,
            "outcome": if self.accepted { "accepted" } else { "rejected" },
            "protocol": self.protocol,
            "alert": self.alert,
            "reason": self.reason,
            "relying_party_verdict": self.verdict,
            "server_certificate": self.server_certificate,
            "server_verdict": self.server_verdict,
        })
    }

    fn text(&self) -> String {
        let mut s = format!(
            "{} by {} ({}): {}",
            if self.accepted { "ACCEPTED" } else { "REJECTED" },
            self.connect,
            self.protocol.as_deref().unwrap_or("no TLS session"),
            self.reason
        );
        if let Some(findings) = self.verdict.as_ref().and_then(|v| v.get("findings")).and_then(|f| f.as_array()) {
            for f in findings {
                let get = |k: &str| f.get(k).and_then(|v| v.as_str()).unwrap_or("");
                s.push_str(&format!("\n  {}: {} [{}]", get("severity"), get("message"), get("id")));
            }
        }
        s
    }
}

pub fn tls(a: &TlsArgs) -> CmdResult {
    let chain = load_chain(&a.cert)?;
    let key = load_key(&a.key)?;
    let timeout = Duration::from_secs(a.timeout.max(1));
    let host = a
        .connect
        .rsplit_once(':')
        .map(|(h, _)| h.trim_start_matches('[').trim_end_matches(']').to_string())
        .ok_or_else(|| UsageError::new(format!("--connect {:?} is not HOST:PORT", a.connect)))?;
    let name_text = a.server_name.clone().unwrap_or(host);
    let server_name = ServerName::try_from(name_text.clone())
        .map_err(|e| UsageError::new(format!("server name {name_text:?} is invalid: {e}")))?;
    let server_log = DecisionLog::new(4);
    let (verifier, server_certificate): (Arc<dyn ServerCertVerifier>, String) = if a.insecure_server_cert {
        (
            Arc::new(InsecureServerCert(provider().signature_verification_algorithms)),
            "not verified (--insecure-server-cert)".to_string(),
        )
    } else {
        let (profile, anchors, issuer_rules, how) = match &a.server_trust {
            Some(state) => {
                let p = eidtrust::profile::resolve(state).map_err(|e| UsageError::new(e.to_string()))?;
                let (anchors, rules, _) = relying_trust(&p)?;
                let how = format!("verified as a relying party of {} does", p.id);
                (p, anchors, rules, how)
            }
            None => {
                let id = a.server_profile.as_deref().unwrap_or("eu-eidas");
                let p = eidtrust::profile::resolve(id).map_err(|e| UsageError::new(e.to_string()))?;
                let how = format!("verified against --server-anchors under profile {id}");
                (p, load_anchors(&a.server_anchors)?, Vec::new(), how)
            }
        };
        let ctx = Arc::new(TrustContext::new(profile, anchors));
        let check = match a.server_type {
            LeafTypeArg::PathOnly => LeafCheck::PathOnly,
            LeafTypeArg::Claimed => LeafCheck::ClaimedType,
            LeafTypeArg::Type(t) => LeafCheck::AsType(t),
        };
        let mut v = ServerVerifier::new(ctx, clock(&a.at)?).leaf_check(check).log(server_log.clone());
        for (anchor, rules) in &issuer_rules {
            v = v.issuer_rules(anchor, rules.clone());
        }
        (Arc::new(v), how)
    };
    let versions: &[&'static rustls::SupportedProtocolVersion] = match a.tls_version {
        TlsVersionArg::Any => rustls::DEFAULT_VERSIONS,
        TlsVersionArg::V12 => &[&rustls::version::TLS12],
        TlsVersionArg::V13 => &[&rustls::version::TLS13],
    };
    let config = ClientConfig::builder_with_provider(provider())
        .with_protocol_versions(versions)
        .map_err(|e| UsageError::new(format!("TLS configuration: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_client_auth_cert(chain, key)
        .map_err(|e| UsageError::new(format!("the client certificate and key are unusable: {e}")))?;

    let addr = a
        .connect
        .to_socket_addrs()
        .map_err(|e| UsageError::new(format!("cannot resolve {}: {e}", a.connect)))?
        .next()
        .ok_or_else(|| UsageError::new(format!("{} resolves to no address", a.connect)))?;
    let mut sock = TcpStream::connect_timeout(&addr, timeout)
        .map_err(|e| UsageError::new(format!("cannot connect to {}: {e}", a.connect)))?;
    sock.set_read_timeout(Some(timeout))
        .and_then(|()| sock.set_write_timeout(Some(timeout)))
        .map_err(|e| UsageError::new(format!("cannot set socket timeouts: {e}")))?;
    let mut conn = ClientConnection::new(Arc::new(config), server_name)
        .map_err(|e| UsageError::new(format!("TLS setup failed: {e}")))?;

    let mut report = Report {
        connect: a.connect.clone(),
        server_name: name_text,
        accepted: false,
        protocol: None,
        alert: None,
        reason: String::new(),
        verdict: None,
        server_certificate,
        server_verdict: None,
    };
    let outcome = match handshake(&mut conn, &mut sock, timeout) {
        Ok(()) => {
            report.protocol = conn.protocol_version().map(|v| format!("{v:?}"));
            // TLS 1.3: the client finishes first; the relying party's verdict on the client
            // certificate arrives next, as data (accepted) or as an alert (rejected).
            let mut body = Vec::new();
            let read = read_capped(rustls::Stream::new(&mut conn, &mut sock), MAX_VERDICT_BYTES, &mut body);
            match read {
                Ok(true) => accepted_with(&mut report, &body),
                Ok(false) => {
                    return Err(UsageError::new(format!(
                        "the relying party sent more than {MAX_VERDICT_BYTES} bytes after the handshake; not an eidtrust verdict"
                    )))
                }
                Err(e) => rejected_or_error(&mut report, &e, !body.is_empty())?,
            }
        }
        Err(e) => match tls_error(&e) {
            Some(rustls::Error::InvalidCertificate(c)) => {
                let why = server_log.latest().map(|d| d.summary()).unwrap_or_else(|| c.to_string());
                return Err(UsageError::new(format!(
                    "the relying party's server certificate was refused ({c}): {why}; give the right --server-anchors, --server-trust or --server-name"
                )));
            }
            _ => rejected_or_error(&mut report, &e, false)?,
        },
    };
    report.server_verdict = server_log.latest().map(|d| d.to_json());
    match a.format {
        TextOrJson::Json => println!("{}", serde_json::to_string_pretty(&report.json()).unwrap_or_default()),
        TextOrJson::Text => println!("{}", report.text()),
    }
    Ok(outcome)
}

/// Reads to the end into `out`, at most `limit` bytes: `Ok(false)` when there was more.
fn read_capped(r: impl Read, limit: u64, out: &mut Vec<u8>) -> std::io::Result<bool> {
    r.take(limit + 1).read_to_end(out)?;
    Ok(out.len() as u64 <= limit)
}

fn accepted_with(report: &mut Report, body: &[u8]) -> Outcome {
    let verdict: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let rp_accepted = verdict.as_ref().and_then(|v| v.get("accepted")).and_then(|v| v.as_bool());
    report.accepted = rp_accepted.unwrap_or(true);
    report.reason = match (&verdict, rp_accepted) {
        (Some(v), Some(_)) => {
            let profile = v.get("profile").and_then(|p| p.as_str()).unwrap_or("?");
            if report.accepted {
                format!("the relying party (profile {profile}) accepted the client certificate")
            } else {
                format!("the handshake completed but the relying party (profile {profile}) reports a rejection")
            }
        }
        _ => "the handshake completed; the relying party sent no eidtrust verdict".to_string(),
    };
    report.verdict = verdict;
    Outcome::from_valid(report.accepted)
}

/// A failed handshake or read: the relying party's alert is a rejection (exit 1); a timeout, a
/// refused server certificate or a protocol mismatch is not an answer about the client
/// certificate (exit 2).
fn rejected_or_error(report: &mut Report, e: &std::io::Error, partial: bool) -> Result<Outcome, UsageError> {
    use std::io::ErrorKind as K;
    match tls_error(e) {
        Some(rustls::Error::AlertReceived(alert)) => {
            report.alert = Some(alert_name(*alert));
            report.reason = format!(
                "the relying party sent the alert {}: {}",
                alert_name(*alert),
                eidtrust::tls::explain_alert(*alert)
            );
            Ok(Outcome::NotValid)
        }
        Some(rustls::Error::InvalidCertificate(c)) => Err(UsageError::new(format!(
            "the relying party's server certificate was refused ({c}); give the right --server-anchors or --server-name"
        ))),
        Some(other) => Err(UsageError::new(format!("the TLS handshake with {} failed: {other}", report.connect))),
        None => match e.kind() {
            K::UnexpectedEof | K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe if !partial => {
                report.reason = format!("the relying party closed the connection without a verdict ({e})");
                Ok(Outcome::NotValid)
            }
            K::TimedOut | K::WouldBlock => {
                Err(UsageError::new(format!("no answer from {} within the timeout", report.connect)))
            }
            _ => Err(UsageError::new(format!("connection to {} failed: {e}", report.connect))),
        },
    }
}

/// The RFC 8446 §6 name of an alert (`certificate_expired`).
fn alert_name(a: rustls::AlertDescription) -> String {
    let debug = format!("{a:?}");
    let mut out = String::new();
    for (i, ch) in debug.chars().enumerate() {
        if ch.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    match out.as_str() {
        "unknown_c_a" => "unknown_ca".to_string(),
        _ => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alert_names_are_the_rfc_ones() {
        assert_eq!(alert_name(rustls::AlertDescription::CertificateExpired), "certificate_expired");
        assert_eq!(alert_name(rustls::AlertDescription::UnknownCA), "unknown_ca");
        assert_eq!(alert_name(rustls::AlertDescription::BadCertificate), "bad_certificate");
    }

    #[test]
    fn verdict_size_is_capped() {
        let mut out = Vec::new();
        assert!(read_capped(&[b'x'; 10][..], 10, &mut out).unwrap());
        let mut out = Vec::new();
        assert!(!read_capped(&[b'x'; 11][..], 10, &mut out).unwrap());
        assert_eq!(out.len(), 11, "reads one byte past the limit, no more");
    }

    /// A peer that trickles a TLS record one byte at a time cannot stretch the handshake past its
    /// time budget.
    #[test]
    fn handshake_time_is_bounded() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let trickler = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            // A handshake record header announcing 16 KiB, then its body byte by byte.
            let _ = s.write_all(&[0x16, 0x03, 0x03, 0x40, 0x00]);
            for _ in 0..2000 {
                if s.write_all(&[0x00]).is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(2));
            }
        });
        let mut sock = TcpStream::connect(addr).unwrap();
        sock.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let config = ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .unwrap()
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(InsecureServerCert(
                provider().signature_verification_algorithms,
            )))
            .with_no_client_auth();
        let mut conn = ClientConnection::new(Arc::new(config), ServerName::try_from("localhost").unwrap()).unwrap();
        let started = Instant::now();
        let err = handshake(&mut conn, &mut sock, Duration::from_millis(300)).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::TimedOut, "{err}");
        assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
        drop(sock);
        trickler.join().unwrap();
    }

    #[test]
    fn leaf_type_values() {
        assert_eq!(parse_leaf_type("auth"), Ok(LeafTypeArg::Type(CertType::Auth)));
        assert_eq!(parse_leaf_type("path-only"), Ok(LeafTypeArg::PathOnly));
        assert!(parse_leaf_type("bogus").is_err());
    }
}
