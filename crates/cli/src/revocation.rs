//! `eidtrust revocation check`: the revocation status of one certificate from OCSP (a stapled
//! response given as a file, or the responders asked with `--fetch`) and CRLs (given, or fetched
//! from the distribution points with `--fetch`), with the evidence used.
//!
//! Evidence is consulted in this order, and the first conclusive answer (good or revoked)
//! decides: the `--ocsp-response` file, the OCSP responders (`--fetch`), the `--crl` files, the
//! CRLs of the distribution points (`--fetch`). Nothing conclusive is INDETERMINATE/TRY_LATER
//! (exit 1), never a pass. Nothing touches the network without `--fetch`.

use crate::common::{now_unix, parse_rfc3339, read_input, CmdResult, Outcome, TextOrJson, UsageError};
use eidtrust::pki::budget::{Budget, Limits};
use eidtrust::pki::cert::Certificate;
use eidtrust::pki::crl::{self, Crl, CrlContext, RevocationStatus};
use eidtrust::pki::crypto::RingVerifier;
use eidtrust::pki::fetch::{self, FetchLimits, FetchSession, HttpConfig, HttpFetcher};
use eidtrust::pki::input::{self, Kind};
use eidtrust::pki::ocsp::{self, CertRole, NonceMode, OcspOutcome, OnlineOptions};
use eidtrust::report::{Finding, Indication, Location, Severity, SubIndication, Verdict};
use std::time::Duration;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Check the revocation status of a certificate with OCSP and CRLs. Exit 0 good, 1 revoked
    /// or status not established, 2 bad input.
    Check(CheckArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NonceArg {
    /// Send no nonce (responders may answer with pre-produced responses).
    Off,
    /// Send a nonce; a response without it is accepted with a warning.
    Send,
    /// Send a nonce and require the responder to echo it.
    Require,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RoleArg {
    /// The certificate is used now (authentication, TLS): revoked is TOTAL_FAILED/REVOKED.
    InUse,
    /// The signing certificate of a signature: revoked is INDETERMINATE/REVOKED_NO_POE.
    Signing,
    /// A CA certificate in a signing certificate's chain: INDETERMINATE/REVOKED_CA_NO_POE.
    SigningCa,
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// The certificate whose status is checked (PEM or DER; the first certificate is used).
    #[arg(long)]
    cert: String,
    /// The certificate of its issuing CA (PEM or DER; the first certificate is used).
    #[arg(long)]
    issuer: String,
    /// A DER (or PEM "OCSP RESPONSE") OCSP response to use, e.g. a stapled one.
    #[arg(long = "ocsp-response")]
    ocsp_response: Option<String>,
    /// CRLs (PEM or DER) to use, repeatable.
    #[arg(long = "crl")]
    crls: Vec<String>,
    /// Ask the OCSP responders and CRL distribution points named in the certificate (http and
    /// https only, bounded in count, time and size).
    #[arg(long)]
    fetch: bool,
    /// With --fetch: ask this OCSP responder instead of those in the certificate, repeatable.
    #[arg(long = "ocsp-url")]
    ocsp_urls: Vec<String>,
    /// With --fetch: whether to send a nonce in OCSP requests.
    #[arg(long, value_enum, default_value = "send")]
    nonce: NonceArg,
    /// With --fetch: the per-request timeout in seconds.
    #[arg(long, default_value_t = 10)]
    timeout: u64,
    /// With --fetch: the total time for all fetches in seconds.
    #[arg(long, default_value_t = 30)]
    total_timeout: u64,
    /// The role of the certificate, which decides the ETSI sub-indication of "revoked".
    #[arg(long, value_enum, default_value = "in-use")]
    role: RoleArg,
    /// Validation time (RFC 3339). Default: now.
    #[arg(long)]
    at: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    format: TextOrJson,
}

pub fn run(cmd: Command) -> CmdResult {
    match cmd {
        Command::Check(a) => check(a),
    }
}

/// The first certificate of a file, or why there is none.
fn first_cert(data: &[u8]) -> Result<Certificate, String> {
    let ders = input::read(data, Kind::Certificate).map_err(|e| e.to_string())?;
    let der = ders.first().ok_or_else(|| "no certificate in it".to_string())?;
    Certificate::from_der(der).map_err(|e| e.to_string())
}

/// An OCSP response file: DER, or PEM with any label (RFC 7468 base64 between the lines).
fn response_bytes(data: &[u8]) -> Vec<u8> {
    let text = match std::str::from_utf8(data) {
        Ok(t) if t.contains("-----BEGIN ") => t,
        _ => return data.to_vec(),
    };
    let b64: String = text
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN "))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END "))
        .map(str::trim)
        .collect();
    base64_decode(&b64).unwrap_or_else(|| data.to_vec())
}

/// Standard base64 (RFC 4648 §4) with optional padding.
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for c in s.bytes().filter(|c| *c != b'=') {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// One piece of evidence consulted.
#[derive(serde::Serialize)]
struct EvidenceOut {
    kind: &'static str,
    source: String,
    status: &'static str,
    detail: String,
}

fn finding_message(id: &str, sev: Severity, msg: String) -> Finding {
    Finding::new(id, sev, msg)
}

fn check(a: CheckArgs) -> CmdResult {
    let time = match &a.at {
        Some(s) => parse_rfc3339(s)?,
        None => now_unix(),
    };
    if a.ocsp_response.is_none() && a.crls.is_empty() && !a.fetch {
        return Err(UsageError::new(
            "nothing to check with: give --ocsp-response FILE, --crl FILE, or --fetch to ask the certificate's responders",
        ));
    }
    if !a.ocsp_urls.is_empty() && !a.fetch {
        return Err(UsageError::new("--ocsp-url needs --fetch"));
    }
    for u in &a.ocsp_urls {
        if !fetch::is_http_url(u) {
            return Err(UsageError::new(format!("--ocsp-url {u:?}: only http and https URLs are fetched")));
        }
    }
    if a.timeout == 0 || a.total_timeout == 0 {
        return Err(UsageError::new("--timeout and --total-timeout must be at least 1 second"));
    }
    let issuer_data = read_input(&a.issuer)?;
    let issuer = first_cert(&issuer_data).map_err(|e| UsageError::new(format!("--issuer {}: {e}", a.issuer)))?;
    let cert_data = read_input(&a.cert)?;
    let ocsp_data = match &a.ocsp_response {
        Some(f) => Some(read_input(f)?),
        None => None,
    };
    let crl_data: Vec<(String, Vec<u8>)> =
        a.crls.iter().map(|f| read_input(f).map(|d| (f.clone(), d))).collect::<Result<_, _>>()?;
    let http = if a.fetch {
        let cfg = HttpConfig { timeout: Duration::from_secs(a.timeout), ..HttpConfig::default() };
        Some(HttpFetcher::new(cfg).map_err(|e| UsageError::new(format!("--fetch: {e}")))?)
    } else {
        None
    };

    let cert = match first_cert(&cert_data) {
        Ok(c) => c,
        Err(e) => {
            let f = Finding::from_def(
                &eidtrust::pki::findings::MALFORMED,
                format!("the certificate in {} is malformed: {e}", a.cert),
            )
            .at(Location::none().with_file(&a.cert));
            let v = Verdict::failed(SubIndication::FormatFailure, vec![f]);
            print(&v, None, "malformed", &[], a.format);
            return Ok(Outcome::NotValid);
        }
    };

    let role = match a.role {
        RoleArg::InUse => CertRole::InUse,
        RoleArg::Signing => CertRole::Signing,
        RoleArg::SigningCa => CertRole::SigningCa,
    };
    let verifier = RingVerifier;
    let mut budget = Budget::new(Limits::default());
    let mut findings: Vec<Finding> = Vec::new();
    let mut evidence: Vec<EvidenceOut> = Vec::new();
    // Some((true, _)) revoked, Some((false, _)) good, None: nothing conclusive yet.
    let mut decided: Option<(bool, Verdict)> = None;

    let limits = FetchLimits {
        per_request: Duration::from_secs(a.timeout),
        total: Duration::from_secs(a.total_timeout),
        ..FetchLimits::default()
    };
    let offline = fetch::Offline;
    let session = match &http {
        Some(h) => FetchSession::new(h, limits),
        None => FetchSession::new(&offline, limits),
    };

    // 1. A response given as a file.
    if let (Some(f), Some(data)) = (&a.ocsp_response, &ocsp_data) {
        let der = response_bytes(data);
        let mut st = ocsp::check_response(&cert, &issuer, &der, time, &verifier, None, &mut budget);
        if let Some(ev) = st.evidence.as_mut() {
            ev.source = Some(f.clone());
        }
        evidence.push(EvidenceOut {
            kind: "ocsp",
            source: f.clone(),
            status: outcome_name(st.outcome),
            detail: st.evidence.as_ref().map(|e| e.to_string()).unwrap_or_else(|| "no usable response".into()),
        });
        let v = st.verdict(role);
        findings.extend(st.findings);
        if matches!(st.outcome, OcspOutcome::Good | OcspOutcome::Revoked { .. }) {
            decided = Some((matches!(st.outcome, OcspOutcome::Revoked { .. }), v));
        }
    }

    // 2. The OCSP responders.
    if decided.is_none() && a.fetch {
        let opts = OnlineOptions {
            time,
            nonce: match a.nonce {
                NonceArg::Off => NonceMode::Off,
                NonceArg::Send => NonceMode::Send,
                NonceArg::Require => NonceMode::Require,
            },
            urls: (!a.ocsp_urls.is_empty()).then(|| a.ocsp_urls.clone()),
        };
        let st = ocsp::check_online(&cert, &issuer, &session, &opts, &verifier, &mut budget);
        let source = st
            .evidence
            .as_ref()
            .and_then(|e| e.source.clone())
            .unwrap_or_else(|| opts.urls.clone().unwrap_or_else(|| ocsp::responder_urls(&cert)).join(", "));
        evidence.push(EvidenceOut {
            kind: "ocsp",
            source: if source.is_empty() { "(no responder named)".into() } else { source },
            status: outcome_name(st.outcome),
            detail: st.evidence.as_ref().map(|e| e.to_string()).unwrap_or_else(|| "no usable response".into()),
        });
        let v = st.verdict(role);
        findings.extend(st.findings);
        if matches!(st.outcome, OcspOutcome::Good | OcspOutcome::Revoked { .. }) {
            decided = Some((matches!(st.outcome, OcspOutcome::Revoked { .. }), v));
        }
    }

    // 3-4. CRLs given, then fetched.
    if decided.is_none() {
        let mut crls = Vec::new();
        let mut sources = Vec::new();
        for (f, data) in &crl_data {
            match input::read(data, Kind::Crl) {
                Ok(ders) => {
                    for (i, der) in ders.iter().enumerate() {
                        match Crl::from_der(der) {
                            Ok(c) => {
                                crls.push(c);
                                sources.push(f.clone());
                            }
                            Err(e) => findings.push(
                                finding_message(
                                    e.finding_id(),
                                    Severity::Error,
                                    format!("CRL {} in {f} is malformed: {e}", i + 1),
                                )
                                .at(Location::none().with_file(f)),
                            ),
                        }
                    }
                }
                Err(e) => findings.push(finding_message(
                    "rfc5280.crl.malformed",
                    Severity::Error,
                    format!("{f} holds no readable CRL: {e}"),
                )),
            }
        }
        if a.fetch {
            let (fetched, fs) = fetch::fetch_crls(&cert, &session);
            let urls = fetch::crl_urls(&cert);
            findings.extend(fs);
            for c in fetched {
                sources.push(urls.first().cloned().unwrap_or_else(|| "a distribution point".into()));
                crls.push(c);
            }
        }
        if !crls.is_empty() {
            let no_signer = |_: &eidtrust::pki::name::Name, _: Option<&[u8]>| -> Option<Certificate> { None };
            let ctx = CrlContext { crls: &crls, time, verifier: &verifier, find_crl_signer: &no_signer };
            let status = crl::check(&cert, &issuer, &ctx, &mut budget);
            let fs = status.findings(&cert, &crls);
            match &status {
                RevocationStatus::Good => {
                    evidence.push(EvidenceOut {
                        kind: "crl",
                        source: sources.join(", "),
                        status: "good",
                        detail: format!(
                            "not listed on the current CRLs that cover it (RFC 5280 §6.3.3): {}",
                            crls.iter().map(|c| c.label()).collect::<Vec<_>>().join("; ")
                        ),
                    });
                    findings.extend(fs);
                    decided = Some((false, Verdict::passed(Vec::new())));
                }
                RevocationStatus::Revoked { crl_index, .. } => {
                    evidence.push(EvidenceOut {
                        kind: "crl",
                        source: sources.get(*crl_index).cloned().unwrap_or_default(),
                        status: "revoked",
                        detail: crls.get(*crl_index).map(|c| c.label()).unwrap_or_default(),
                    });
                    findings.extend(fs);
                    let v = match role {
                        CertRole::InUse => Verdict::failed(SubIndication::Revoked, Vec::new()),
                        CertRole::Signing => Verdict::indeterminate(SubIndication::RevokedNoPoe, Vec::new()),
                        CertRole::SigningCa => Verdict::indeterminate(SubIndication::RevokedCaNoPoe, Vec::new()),
                    };
                    decided = Some((true, v));
                }
                RevocationStatus::Unknown(_) => {
                    evidence.push(EvidenceOut {
                        kind: "crl",
                        source: sources.join(", "),
                        status: "no-status",
                        detail: "no usable CRL covers the certificate".into(),
                    });
                    findings.extend(fs);
                }
            }
        }
    }

    let (status, verdict) = match decided {
        Some((true, v)) => ("revoked", Verdict { findings: findings.clone(), ..v }),
        Some((false, v)) => {
            // Problems with evidence that was not needed are kept, but do not decide.
            let fs = findings
                .iter()
                .cloned()
                .map(|mut f| {
                    if f.severity.is_failure() {
                        f.severity = Severity::Notice;
                    }
                    f
                })
                .collect();
            ("good", Verdict { findings: fs, ..v })
        }
        None => {
            if findings.is_empty() {
                findings.push(Finding::new(
                    "rfc6960.responder.unreachable",
                    Severity::Error,
                    "no revocation information was available (ETSI EN 319 102-1 §5.2.5)",
                ));
            }
            ("no-status", Verdict::indeterminate(SubIndication::TryLater, findings.clone()))
        }
    };
    print(&verdict, Some(&cert), status, &evidence, a.format);
    Ok(Outcome::from_valid(verdict.is_valid()))
}

fn outcome_name(o: OcspOutcome) -> &'static str {
    match o {
        OcspOutcome::Good => "good",
        OcspOutcome::Revoked { .. } => "revoked",
        OcspOutcome::Unknown => "unknown",
        OcspOutcome::NoStatus => "no-status",
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn print(v: &Verdict, cert: Option<&Certificate>, status: &str, evidence: &[EvidenceOut], format: TextOrJson) {
    match format {
        TextOrJson::Json => {
            let doc = serde_json::json!({
                "valid": v.is_valid(),
                "status": status,
                "indication": v.indication,
                "sub_indication": v.sub_indication,
                "certificate": cert.map(|c| c.subject.display_short()),
                "serial": cert.map(|c| hex(&c.serial)),
                "evidence": evidence,
                "findings": v.findings,
            });
            println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        }
        TextOrJson::Text => {
            let head = match status {
                "good" => "GOOD",
                "revoked" => "REVOKED",
                "malformed" => "NOT VALID",
                _ => "STATUS NOT ESTABLISHED",
            };
            match (v.indication, v.sub_indication) {
                (Indication::Passed, _) => println!("{head}: {}", v.indication),
                (_, Some(sub)) => println!("{head}: {} / {sub}", v.indication),
                (_, None) => println!("{head}: {}", v.indication),
            }
            if let Some(c) = cert {
                println!("\nCertificate: {} (serial {})", c.subject.display_short(), hex(&c.serial));
            }
            if !evidence.is_empty() {
                println!("\nEvidence consulted:");
                for e in evidence {
                    println!("  {} from {}: {}", e.kind.to_uppercase(), e.source, e.status);
                    println!("      {}", e.detail);
                }
            }
            if !v.findings.is_empty() {
                println!("\nFindings:");
                for f in &v.findings {
                    println!("  {:<7} {}", f.severity.as_str().to_uppercase(), f.message);
                    let loc = if f.location.is_empty() { String::new() } else { format!(" at {}", f.location) };
                    println!("          [{}]{loc}", f.id);
                }
            }
        }
    }
}
