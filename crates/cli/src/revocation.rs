//! `eidtrust revocation check`: the revocation status of one certificate from OCSP (a stapled
//! response given as a file, or the responders asked with `--fetch`) and CRLs (given, or fetched
//! from the distribution points with `--fetch`), with the evidence used.
//!
//! Evidence is consulted in the order of `eidtrust::pki::revocation` (shared with `chain verify`),
//! and the first conclusive answer (good or revoked) decides: the `--ocsp-response` files, the
//! `--crl` files, the OCSP responders (`--fetch`), the CRLs of the distribution points
//! (`--fetch`). Nothing conclusive is INDETERMINATE/TRY_LATER (exit 1), never a pass. Nothing
//! touches the network without `--fetch`.

use crate::common::{
    now_unix, parse_rfc3339, read_input, read_ocsp_responses, CmdResult, FetchArgs, Outcome, TextOrJson, UsageError,
};
use eidtrust::pki::budget::{Budget, Limits};
use eidtrust::pki::cert::Certificate;
use eidtrust::pki::crl::Crl;
use eidtrust::pki::crypto::RingVerifier;
use eidtrust::pki::fetch::{self, FetchSession};
use eidtrust::pki::input::{self, Kind};
use eidtrust::pki::revocation::{self, EvidenceItem, Sources, Status};
use eidtrust::report::{Finding, Indication, Location, Severity, SubIndication, Verdict};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Check the revocation status of a certificate with OCSP and CRLs. Exit 0 good, 1 revoked
    /// or status not established, 2 bad input.
    Check(CheckArgs),
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
    /// A DER (or PEM "OCSP RESPONSE") OCSP response to use, e.g. a stapled one; repeatable.
    #[arg(long = "ocsp-response")]
    ocsp_responses: Vec<String>,
    /// CRLs (PEM or DER) to use, repeatable.
    #[arg(long = "crl")]
    crls: Vec<String>,
    #[command(flatten)]
    fetch: FetchArgs,
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

fn check(a: CheckArgs) -> CmdResult {
    let time = match &a.at {
        Some(s) => parse_rfc3339(s)?,
        None => now_unix(),
    };
    if a.ocsp_responses.is_empty() && a.crls.is_empty() && !a.fetch.fetch {
        return Err(UsageError::new(
            "nothing to check with: give --ocsp-response FILE, --crl FILE, or --fetch to ask the certificate's responders",
        ));
    }
    let http = a.fetch.fetcher()?;
    let issuer_data = read_input(&a.issuer)?;
    let issuer = first_cert(&issuer_data).map_err(|e| UsageError::new(format!("--issuer {}: {e}", a.issuer)))?;
    let cert_data = read_input(&a.cert)?;
    let given = read_ocsp_responses(&a.ocsp_responses)?;
    let crl_data: Vec<(String, Vec<u8>)> =
        a.crls.iter().map(|f| read_input(f).map(|d| (f.clone(), d))).collect::<Result<_, _>>()?;

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

    // CRL files that do not parse are reported and not used; the others are evidence.
    let mut findings: Vec<Finding> = Vec::new();
    let mut crls = Vec::new();
    for (f, data) in &crl_data {
        match input::read(data, Kind::Crl) {
            Ok(ders) => {
                for (i, der) in ders.iter().enumerate() {
                    match Crl::from_der(der) {
                        Ok(c) => crls.push(c),
                        Err(e) => findings.push(
                            Finding::new(
                                e.finding_id(),
                                Severity::Error,
                                format!("CRL {} in {f} is malformed: {e}", i + 1),
                            )
                            .at(Location::none().with_file(f)),
                        ),
                    }
                }
            }
            Err(e) => findings.push(Finding::new(
                "rfc5280.crl.malformed",
                Severity::Error,
                format!("{f} holds no readable CRL: {e}"),
            )),
        }
    }

    let offline = fetch::Offline;
    let session =
        FetchSession::new(http.as_ref().map(|h| h as &dyn fetch::Fetcher).unwrap_or(&offline), a.fetch.limits());
    let sources = Sources {
        crls: &crls,
        ocsp: &given,
        fetch: a.fetch.fetch.then_some(&session),
        nonce: Some(a.fetch.nonce_mode()),
        ocsp_urls: (!a.fetch.ocsp_urls.is_empty()).then_some(a.fetch.ocsp_urls.as_slice()),
    };
    // Indirect CRL issuers are not looked up here: this command checks one certificate against
    // its issuer; `chain verify` validates indirect CRL signers along the path.
    let no_signer = |_: &eidtrust::pki::name::Name, _: Option<&[u8]>| -> Option<Certificate> { None };
    let mut budget = Budget::new(Limits::default());
    let st = revocation::check(&cert, &issuer, &sources, time, &RingVerifier, &no_signer, &mut budget);
    let demote = matches!(st.status, Status::Good);
    findings.extend(st.findings);
    if demote {
        for f in &mut findings {
            if f.severity.is_failure() {
                f.severity = Severity::Notice;
            }
        }
    }
    let (status, verdict) = match st.status {
        Status::Revoked { .. } => {
            let v = match a.role {
                RoleArg::InUse => Verdict::failed(SubIndication::Revoked, findings),
                RoleArg::Signing => Verdict::indeterminate(SubIndication::RevokedNoPoe, findings),
                RoleArg::SigningCa => Verdict::indeterminate(SubIndication::RevokedCaNoPoe, findings),
            };
            ("revoked", v)
        }
        Status::Good => ("good", Verdict::passed(findings)),
        Status::Unknown => {
            if findings.is_empty() {
                findings.push(Finding::new(
                    "rfc6960.responder.unreachable",
                    Severity::Error,
                    "no revocation information was available (ETSI EN 319 102-1 §5.2.5)",
                ));
            }
            ("no-status", Verdict::indeterminate(SubIndication::TryLater, findings))
        }
    };
    print(&verdict, Some(&cert), status, &st.evidence, a.format);
    Ok(Outcome::from_valid(verdict.is_valid()))
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn print(v: &Verdict, cert: Option<&Certificate>, status: &str, evidence: &[EvidenceItem], format: TextOrJson) {
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
