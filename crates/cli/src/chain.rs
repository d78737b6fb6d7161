//! `eidtrust chain verify`: build and validate a certificate path (RFC 5280 §6).

use crate::common::{now_unix, parse_rfc3339, read_input, CmdResult, Outcome, TextOrJson, UsageError};
use eidtrust::pki::cert::Certificate;
use eidtrust::pki::crl::Crl;
use eidtrust::pki::findings as F;
use eidtrust::pki::hostname::ServerName;
use eidtrust::pki::input::{self, Kind};
use eidtrust::pki::validate::{Options, RevocationMode, Rules, Sha1Policy, Store, Usage, Validator};
use eidtrust::report::{Finding, Indication, Location, SubIndication, Verdict};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Validate a certificate chain. Exit 0 valid, 1 not valid, 2 bad input.
    Verify(VerifyArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RevocationArg {
    Off,
    Prefer,
    Require,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RulesArg {
    /// RFC 5280 path validation; certificate-profile deviations are warnings.
    Rfc5280,
    /// RFC 5280 plus its profile MUSTs and the CA/Browser Forum rules for TLS servers.
    Webpki,
}

#[derive(clap::Args)]
pub struct VerifyArgs {
    /// The end-entity certificate (PEM or DER). Further certificates in the file are used as
    /// intermediates.
    #[arg(long)]
    leaf: String,
    /// Untrusted intermediate certificates (PEM bundles or DER), repeatable.
    #[arg(long = "intermediates", alias = "intermediate")]
    intermediates: Vec<String>,
    /// Trust anchors as certificates (PEM bundles or DER), repeatable.
    #[arg(long = "anchors", alias = "anchor")]
    anchors: Vec<String>,
    /// CRLs (PEM or DER), repeatable.
    #[arg(long = "crl")]
    crls: Vec<String>,
    /// Validation time (RFC 3339). Default: now.
    #[arg(long)]
    at: Option<String>,
    /// Required purpose of the leaf: any, server-auth, client-auth, code-signing,
    /// email-protection, or a dotted OID.
    #[arg(long, default_value = "any")]
    usage: String,
    /// Verify the leaf for this DNS name or IP address (RFC 6125).
    #[arg(long)]
    hostname: Option<String>,
    /// The most intermediates allowed between leaf and anchor.
    #[arg(long)]
    max_depth: Option<usize>,
    /// user-initial-policy-set (RFC 5280 §6.1.1 (c)), repeatable; default anyPolicy.
    #[arg(long = "policy")]
    policies: Vec<String>,
    /// initial-explicit-policy (RFC 5280 §6.1.1 (f)).
    #[arg(long)]
    require_explicit_policy: bool,
    /// initial-policy-mapping-inhibit (RFC 5280 §6.1.1 (e)).
    #[arg(long)]
    inhibit_policy_mapping: bool,
    /// initial-any-policy-inhibit (RFC 5280 §6.1.1 (g)).
    #[arg(long)]
    inhibit_any_policy: bool,
    /// Revocation checking with the supplied CRLs. Default: prefer when CRLs are given, else off.
    #[arg(long, value_enum)]
    revocation: Option<RevocationArg>,
    /// Rule set; default webpki for --usage server-auth, rfc5280 otherwise.
    #[arg(long, value_enum)]
    rules: Option<RulesArg>,
    /// Permissive: accept SHA-1 signatures.
    #[arg(long)]
    allow_sha1: bool,
    /// A national profile (id such as `rs`, or a TOML file): its algorithm and key rules apply to
    /// every certificate of the path, and the leaf is linted as the type it claims.
    #[arg(long)]
    profile: Option<String>,
    /// With --profile: lint the leaf as this type instead of the one it claims.
    #[arg(long = "type", requires = "profile")]
    cert_type: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    format: TextOrJson,
}

fn parse_usage(s: &str) -> Result<Usage, UsageError> {
    Ok(match s {
        "any" => Usage::Any,
        "server-auth" => Usage::ServerAuth,
        "client-auth" => Usage::ClientAuth,
        "code-signing" => Usage::CodeSigning,
        "email-protection" => Usage::EmailProtection,
        oid if is_oid(oid) => Usage::Oid(oid.to_string()),
        other => {
            return Err(UsageError::new(format!(
            "--usage {other:?}: expected any, server-auth, client-auth, code-signing, email-protection or a dotted OID"
        )))
        }
    })
}

fn is_oid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() >= 2 && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// A subject (leaf, intermediate, CRL) that is malformed: a verdict, not a usage error.
fn format_failure(file: &str, what: &str, err: impl std::fmt::Display) -> Finding {
    Finding::from_def(&F::MALFORMED, format!("{what} in {file} is malformed: {err}"))
        .at(Location::none().with_file(file))
}

pub fn run(cmd: Command) -> CmdResult {
    match cmd {
        Command::Verify(a) => verify(a),
    }
}

fn verify(a: VerifyArgs) -> CmdResult {
    // Caller configuration first: anything wrong here is exit 2.
    let usage = parse_usage(&a.usage)?;
    let time = match &a.at {
        Some(s) => parse_rfc3339(s)?,
        None => now_unix(),
    };
    let server_name = match &a.hostname {
        Some(h) => Some(ServerName::parse(h).map_err(|e| UsageError::new(format!("--hostname {h:?}: {e}")))?),
        None => None,
    };
    for p in &a.policies {
        if !is_oid(p) {
            return Err(UsageError::new(format!("--policy {p:?} is not a dotted OID")));
        }
    }
    let profile = match &a.profile {
        Some(id) => Some(eidtrust::profile::resolve(id).map_err(|e| UsageError::new(format!("--profile {id}: {e}")))?),
        None => None,
    };
    let cert_type = match &a.cert_type {
        Some(t) => Some(
            eidtrust::profile::CertType::parse(t)
                .ok_or_else(|| UsageError::new(format!("--type {t:?} is not a certificate type")))?,
        ),
        None => None,
    };
    if a.anchors.is_empty() {
        return Err(UsageError::new("no trust anchors: give at least one --anchors FILE"));
    }
    let mut anchors = Vec::new();
    for f in &a.anchors {
        let data = read_input(f)?;
        let ders = input::read(&data, Kind::Certificate).map_err(|e| UsageError::new(format!("anchors {f}: {e}")))?;
        for (i, der) in ders.iter().enumerate() {
            let c = Certificate::from_der(der)
                .map_err(|e| UsageError::new(format!("anchors {f}: certificate {} is unusable: {e}", i + 1)))?;
            anchors.push(c);
        }
    }
    let leaf_data = read_input(&a.leaf)?;
    let inter_data: Vec<(String, Vec<u8>)> =
        a.intermediates.iter().map(|f| read_input(f).map(|d| (f.clone(), d))).collect::<Result<_, _>>()?;
    let crl_data: Vec<(String, Vec<u8>)> =
        a.crls.iter().map(|f| read_input(f).map(|d| (f.clone(), d))).collect::<Result<_, _>>()?;

    // Subjects: malformed ones are a FORMAT_FAILURE verdict.
    let mut format_findings = Vec::new();
    let mut leaf = None;
    let mut intermediates = Vec::new();
    match input::read(&leaf_data, Kind::Certificate) {
        Ok(ders) => {
            for (i, der) in ders.iter().enumerate() {
                match Certificate::from_der(der) {
                    Ok(c) if i == 0 => leaf = Some(c),
                    Ok(c) => intermediates.push(c),
                    Err(e) => format_findings.push(format_failure(&a.leaf, &format!("certificate {}", i + 1), e)),
                }
            }
        }
        Err(e) => format_findings.push(format_failure(&a.leaf, "the leaf", e)),
    }
    for (f, data) in &inter_data {
        match input::read(data, Kind::Certificate) {
            Ok(ders) => {
                for (i, der) in ders.iter().enumerate() {
                    match Certificate::from_der(der) {
                        Ok(c) => intermediates.push(c),
                        Err(e) => {
                            format_findings.push(format_failure(f, &format!("intermediate certificate {}", i + 1), e))
                        }
                    }
                }
            }
            Err(e) => format_findings.push(format_failure(f, "the intermediates file", e)),
        }
    }
    let mut crls = Vec::new();
    for (f, data) in &crl_data {
        match input::read(data, Kind::Crl) {
            Ok(ders) => {
                for (i, der) in ders.iter().enumerate() {
                    match Crl::from_der(der) {
                        Ok(c) => crls.push(c),
                        Err(e) => format_findings.push(format_failure(f, &format!("CRL {}", i + 1), e)),
                    }
                }
            }
            Err(e) => format_findings.push(format_failure(f, "the CRL file", e)),
        }
    }

    let (verdict, chain) = match leaf {
        Some(leaf) if format_findings.is_empty() => {
            let mut opts = Options::at(time);
            opts.usage = usage.clone();
            opts.server_name = server_name;
            opts.rules = match a.rules {
                Some(RulesArg::Webpki) => Rules::WebPki,
                Some(RulesArg::Rfc5280) => Rules::Rfc5280,
                None if usage == Usage::ServerAuth => Rules::WebPki,
                None => Rules::Rfc5280,
            };
            opts.max_intermediates = a.max_depth;
            opts.policy.user_initial_policy_set = a.policies.clone();
            opts.policy.initial_explicit_policy = a.require_explicit_policy;
            opts.policy.initial_policy_mapping_inhibit = a.inhibit_policy_mapping;
            opts.policy.initial_any_policy_inhibit = a.inhibit_any_policy;
            opts.revocation = match a.revocation {
                Some(RevocationArg::Off) => RevocationMode::Off,
                Some(RevocationArg::Prefer) => RevocationMode::Prefer,
                Some(RevocationArg::Require) => RevocationMode::Require,
                None if crls.is_empty() => RevocationMode::Off,
                None => RevocationMode::Prefer,
            };
            if opts.revocation == RevocationMode::Off && !crls.is_empty() {
                eprintln!("eidtrust: note: --revocation off: the {} CRL(s) given are not used", crls.len());
            }
            if a.allow_sha1 {
                opts.sha1 = Sha1Policy::AllowSha1;
            }
            let v = match profile {
                Some(p) => {
                    let ctx = eidtrust::context::TrustContext::new(p, anchors);
                    ctx.tighten(&mut opts);
                    ctx.validate(&leaf, &intermediates, &crls, &opts, cert_type)
                }
                None => Validator::new(Store::new(anchors)).validate(&leaf, &intermediates, &crls, &opts),
            };
            (v.verdict, v.chain)
        }
        _ => (Verdict::failed(SubIndication::FormatFailure, format_findings), Vec::new()),
    };
    print_verdict(&verdict, &chain, a.format);
    Ok(Outcome::from_valid(verdict.is_valid()))
}

fn citation(id: &str) -> Option<&'static str> {
    crate::findings::all().into_iter().find(|d| d.id == id).map(|d| d.citation)
}

pub fn print_verdict(v: &Verdict, chain: &[String], format: TextOrJson) {
    match format {
        TextOrJson::Json => {
            let doc = serde_json::json!({
                "valid": v.is_valid(),
                "indication": v.indication,
                "sub_indication": v.sub_indication,
                "chain": chain,
                "findings": v.findings,
            });
            println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        }
        TextOrJson::Text => {
            let head = if v.is_valid() { "VALID" } else { "NOT VALID" };
            match (v.indication, v.sub_indication) {
                (Indication::Passed, _) => println!("{head}: {}", v.indication),
                (_, Some(sub)) => println!("{head}: {} / {sub}", v.indication),
                (_, None) => println!("{head}: {}", v.indication),
            }
            if !chain.is_empty() {
                println!("\nPath (leaf first):");
                let last = chain.len() - 1;
                for (i, s) in chain.iter().enumerate() {
                    let role = if i == 0 {
                        "leaf"
                    } else if i == last && v.is_valid() {
                        "trust anchor"
                    } else {
                        "CA"
                    };
                    println!("  [{i}] {s}  ({role})");
                }
            }
            if !v.findings.is_empty() {
                println!("\nFindings:");
                for f in &v.findings {
                    let cite = citation(&f.id).map(|c| format!(" — {c}")).unwrap_or_default();
                    println!("  {:<7} {}", f.severity.as_str().to_uppercase(), f.message);
                    let loc = if f.location.is_empty() { String::new() } else { format!(" at {}", f.location) };
                    println!("          [{}{cite}]{loc}", f.id);
                }
            }
        }
    }
}
