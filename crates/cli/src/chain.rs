//! `eidtrust chain verify`: build and validate a certificate path (RFC 5280 §6).

use crate::common::{
    now_unix, parse_anchor_files, parse_chain_subjects, parse_rfc3339, read_input, read_ocsp_responses, ChainSubjects,
    CmdResult, FetchArgs, Outcome, TextOrJson, UsageError,
};
use eidtrust::pki::fetch::{self, FetchSession};
use eidtrust::pki::hostname::ServerName;
use eidtrust::pki::revocation::{EvidenceItem, Sources};
use eidtrust::pki::validate::{Options, RevocationMode, RevocationScope, Rules, Sha1Policy, Store, Usage, Validator};
use eidtrust::report::{Indication, SubIndication, Verdict};

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

/// Which certificates of the path revocation is checked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ScopeArg {
    /// The leaf only.
    EndEntity,
    /// Every certificate below the anchor.
    Chain,
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
    /// ETSI TS 119 612 trusted lists, repeatable: their CA/QC services' certificates become trust
    /// anchors (with any --anchors), and the leaf's qualification at --at is reported.
    #[arg(long = "trusted-list")]
    trusted_lists: Vec<String>,
    /// With --trusted-list: the list of the lists whose pointers declare each list's signers.
    #[arg(long, requires = "trusted_lists")]
    lotl: Option<String>,
    /// With --trusted-list: a certificate that must have signed the lists (instead of --lotl).
    #[arg(long = "tl-signer", requires = "trusted_lists")]
    tl_signers: Vec<String>,
    /// CRLs (PEM or DER), repeatable.
    #[arg(long = "crl")]
    crls: Vec<String>,
    /// OCSP responses (DER or PEM), e.g. stapled ones, repeatable; each is used for the
    /// certificate of the path its CertID names.
    #[arg(long = "ocsp-response")]
    ocsp_responses: Vec<String>,
    #[command(flatten)]
    fetch: FetchArgs,
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
    /// Revocation checking (RFC 5280 §6.3) with the CRLs and OCSP responses given or fetched.
    /// Default: prefer when any is given or --fetch is on, else off.
    #[arg(long, value_enum)]
    revocation: Option<RevocationArg>,
    /// Which certificates revocation is checked for.
    #[arg(long, value_enum, default_value = "chain")]
    revocation_scope: ScopeArg,
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
    if a.anchors.is_empty() && a.trusted_lists.is_empty() {
        return Err(UsageError::new("no trust anchors: give at least one --anchors FILE or --trusted-list FILE"));
    }
    let http = a.fetch.fetcher()?;
    let anchor_data: Vec<(String, Vec<u8>)> =
        a.anchors.iter().map(|f| read_input(f).map(|d| (f.clone(), d))).collect::<Result<_, _>>()?;
    let mut anchors = parse_anchor_files(&anchor_data)?;
    let tl_signers = crate::tl::read_signers(&a.tl_signers)?;
    let lotl = a.lotl.as_deref().map(crate::tl::read_lotl).transpose()?;
    let (lists, tl_findings) = crate::tl::load_lists(&a.trusted_lists, &tl_signers, lotl.as_ref(), time)?;
    for der in crate::tl::ca_qc_certificates(&lists) {
        // A list entry that is not a usable certificate is the list operator's problem, not a
        // reason to refuse the run: it is reported and skipped.
        match eidtrust::pki::cert::Certificate::from_der(&der) {
            Ok(c) => anchors.push(c),
            Err(e) => eprintln!("eidtrust: note: a CA/QC service certificate of the trusted lists is unusable: {e}"),
        }
    }
    if anchors.is_empty() {
        return Err(UsageError::new("no trust anchors: the trusted lists given list no usable CA/QC certificate"));
    }
    let leaf_data = read_input(&a.leaf)?;
    let inter_data: Vec<(String, Vec<u8>)> =
        a.intermediates.iter().map(|f| read_input(f).map(|d| (f.clone(), d))).collect::<Result<_, _>>()?;
    let crl_data: Vec<(String, Vec<u8>)> =
        a.crls.iter().map(|f| read_input(f).map(|d| (f.clone(), d))).collect::<Result<_, _>>()?;
    let ocsp = read_ocsp_responses(&a.ocsp_responses)?;

    // Subjects: malformed ones are a FORMAT_FAILURE verdict.
    let (verdict, chain, evidence, qualification) =
        match parse_chain_subjects((&a.leaf, &leaf_data), &inter_data, &crl_data) {
            Ok(ChainSubjects { leaf, intermediates, crls }) => {
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
                let evidence_given = !crls.is_empty() || !ocsp.is_empty();
                opts.revocation = match a.revocation {
                    Some(RevocationArg::Off) => RevocationMode::Off,
                    Some(RevocationArg::Prefer) => RevocationMode::Prefer,
                    Some(RevocationArg::Require) => RevocationMode::Require,
                    None if evidence_given || a.fetch.fetch => RevocationMode::Prefer,
                    None => RevocationMode::Off,
                };
                opts.revocation_scope = match a.revocation_scope {
                    ScopeArg::EndEntity => RevocationScope::EndEntityOnly,
                    ScopeArg::Chain => RevocationScope::WholeChain,
                };
                if opts.revocation == RevocationMode::Off && evidence_given {
                    eprintln!(
                        "eidtrust: note: --revocation off: the {} CRL(s) and {} OCSP response(s) given are not used",
                        crls.len(),
                        ocsp.len()
                    );
                }
                if a.allow_sha1 {
                    opts.sha1 = Sha1Policy::AllowSha1;
                }
                let offline = fetch::Offline;
                let session = FetchSession::new(
                    http.as_ref().map(|h| h as &dyn fetch::Fetcher).unwrap_or(&offline),
                    a.fetch.limits(),
                );
                let sources = Sources {
                    crls: &crls,
                    ocsp: &ocsp,
                    fetch: a.fetch.fetch.then_some(&session),
                    nonce: Some(a.fetch.nonce_mode()),
                    ocsp_urls: (!a.fetch.ocsp_urls.is_empty()).then_some(a.fetch.ocsp_urls.as_slice()),
                };
                let (v, chain) = match profile {
                    Some(p) => {
                        let ctx = eidtrust::context::TrustContext::new(p, anchors);
                        ctx.tighten(&mut opts);
                        let v = ctx.validate_with(&leaf, &intermediates, &sources, &opts, cert_type);
                        let chain = v.chain(ctx.validator(), &leaf, &intermediates);
                        (v, chain)
                    }
                    None => {
                        let validator = Validator::new(Store::new(anchors));
                        let v = validator.validate_with(&leaf, &intermediates, &sources, &opts);
                        let chain = v.chain(&validator, &leaf, &intermediates);
                        (v, chain)
                    }
                };
                let qualification = (!a.trusted_lists.is_empty()).then(|| {
                    let refs: Vec<&eidtrust::trustlist::TrustedList> = lists.iter().collect();
                    let mut q = eidtrust::trustlist::qualify::qualify(leaf.der(), &refs, time);
                    // The lists' own findings (signature trust, freshness) belong to the qualification.
                    let mut fs = tl_findings.clone();
                    fs.append(&mut q.findings);
                    q.findings = fs;
                    q
                });
                (v.verdict, chain, v.revocation, qualification)
            }
            Err(problems) => (Verdict::failed(SubIndication::FormatFailure, problems), Vec::new(), Vec::new(), None),
        };
    print_verdict(&verdict, &chain, &evidence, qualification.as_ref(), a.format);
    Ok(Outcome::from_valid(verdict.is_valid()))
}

fn citation(id: &str) -> Option<&'static str> {
    crate::findings::all().into_iter().find(|d| d.id == id).map(|d| d.citation)
}

fn print_verdict(
    v: &Verdict,
    chain: &[String],
    evidence: &[(usize, EvidenceItem)],
    qualification: Option<&eidtrust::trustlist::qualify::Qualification>,
    format: TextOrJson,
) {
    match format {
        TextOrJson::Json => {
            let mut doc = serde_json::json!({
                "valid": v.is_valid(),
                "indication": v.indication,
                "sub_indication": v.sub_indication,
                "chain": chain,
                "revocation": evidence.iter().map(|(depth, e)| serde_json::json!({
                    "depth": depth, "kind": e.kind, "source": e.source, "status": e.status, "detail": e.detail,
                })).collect::<Vec<_>>(),
                "findings": v.findings,
            });
            if let Some(q) = qualification {
                doc["qualification"] = serde_json::to_value(q).unwrap_or_default();
            }
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
            if let Some(q) = qualification {
                println!(
                    "\nQualification (trusted lists, ETSI TS 119 615): {}",
                    if q.qualified { "QUALIFIED" } else { "NOT qualified" }
                );
                println!("  type: {}", q.qc_type.map(|t| t.as_str()).unwrap_or("-"));
                println!("  qscd: {}", q.qscd.map(|b| if b { "yes" } else { "no" }).unwrap_or("-"));
                println!("  tsp:  {}", q.tsp.as_deref().unwrap_or("-"));
                println!("  service: {}", q.service.as_deref().unwrap_or("-"));
                for f in &q.findings {
                    println!("  {:<7} {} [{}]", f.severity.as_str().to_uppercase(), f.message, f.id);
                }
            }
            if !evidence.is_empty() {
                println!("\nRevocation evidence:");
                for (depth, e) in evidence {
                    println!("  [{depth}] {} from {}: {}", e.kind.to_uppercase(), e.source, e.status);
                    println!("      {}", e.detail);
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
