//! `eidtrust tl ...`: ETSI TS 119 612 trusted lists — inspect, verify, qualify, lotl.
//!
//! Exit codes: 0 valid (parsed / verified / qualified), 1 not valid (malformed list, failed
//! signature, not qualified), 2 usage errors and unreadable files.

use crate::common::{now_unix, parse_rfc3339, read_input, CmdResult, Outcome, TextOrJson, UsageError};
use eidtrust::report::Finding;
use eidtrust::trustlist::{self as tl, verify::Anchor, TrustedList};
use serde_json::{json, Value};

/// Prints a line; a closed standard output (`| head`) ends the output quietly instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

#[derive(clap::Subcommand)]
pub enum Command {
    /// Print a list's scheme information, providers and services. Exit 0 parsed, 1 malformed.
    Inspect(InspectArgs),
    /// Verify a list's enveloped XML signature. Exit 0 verified, 1 not.
    Verify(VerifyArgs),
    /// Decide whether a certificate is qualified at a time (ETSI TS 119 615). Exit 0 qualified, 1 not.
    Qualify(QualifyArgs),
    /// Show a list of the lists' pointers and which local list each one is.
    Lotl(LotlArgs),
}

#[derive(clap::Args)]
pub struct InspectArgs {
    /// The trusted list (XML).
    file: String,
    #[arg(long, value_enum, default_value = "text")]
    format: TextOrJson,
}

#[derive(clap::Args)]
pub struct VerifyArgs {
    /// The trusted list (XML).
    file: String,
    /// A certificate allowed to sign the list (PEM, DER or base64), repeatable. Without --signer or
    /// --lotl, the signature is checked only against the list's own KeyInfo certificate and the
    /// output says it is not anchored.
    #[arg(long = "signer")]
    signers: Vec<String>,
    /// A list of the lists whose pointer for this list's territory declares the signers.
    #[arg(long)]
    lotl: Option<String>,
    /// Evaluation time (RFC 3339) for the signer-expiry and NextUpdate warnings. Default: now.
    #[arg(long)]
    at: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    format: TextOrJson,
}

/// Opt-in fetching of the lists a LOTL points to (`tl lotl`, `tl qualify --lotl`).
#[derive(clap::Args)]
pub struct TlFetchArgs {
    /// Fetch the XML lists the LOTL points to that no --tl file provides: http and https only,
    /// bounded in time, count and size, each verified against the certificates its pointer
    /// declares (never its own KeyInfo alone). Off by default.
    #[arg(long)]
    fetch: bool,
    /// With --fetch: keep fetched lists in DIR as <TERRITORY>-<SEQUENCE>.xml; the cached copy with
    /// the highest sequence number is reused without fetching while it verifies against the
    /// pointer and the evaluation time is before its NextUpdate.
    #[arg(long = "cache-dir", requires = "fetch")]
    cache_dir: Option<String>,
    /// With --fetch: the per-request timeout in seconds.
    #[arg(long, default_value_t = tl::limits::FETCH_PER_REQUEST_SECS)]
    timeout: u64,
    /// With --fetch: the total time for all fetches in seconds.
    #[arg(long, default_value_t = tl::limits::FETCH_TOTAL_SECS)]
    total_timeout: u64,
}

impl TlFetchArgs {
    /// The HTTP fetcher and limits when --fetch was given.
    fn fetcher(
        &self,
    ) -> Result<Option<(eidtrust::pki::fetch::HttpFetcher, eidtrust::pki::fetch::FetchLimits)>, UsageError> {
        use eidtrust::pki::fetch::{FetchLimits, HttpConfig, HttpFetcher};
        use std::time::Duration;
        if self.timeout == 0 || self.total_timeout == 0 {
            return Err(UsageError::new("--timeout and --total-timeout must be at least 1 second"));
        }
        if !self.fetch {
            return Ok(None);
        }
        let base = HttpConfig { timeout: Duration::from_secs(self.timeout), ..HttpConfig::default() };
        let http = HttpFetcher::new(tl::fetch::http_config(base, tl::limits::MAX_LIST_BYTES))
            .map_err(|e| UsageError::new(format!("--fetch: {e}")))?;
        let limits = FetchLimits {
            max_fetches: tl::limits::MAX_FETCHES,
            per_request: Duration::from_secs(self.timeout),
            total: Duration::from_secs(self.total_timeout),
        };
        Ok(Some((http, limits)))
    }

    fn config(&self) -> tl::fetch::FetchConfig {
        tl::fetch::FetchConfig {
            max_bytes: tl::limits::MAX_LIST_BYTES,
            cache_dir: self.cache_dir.as_ref().map(std::path::PathBuf::from),
        }
    }
}

#[derive(clap::Args)]
pub struct QualifyArgs {
    /// Trusted lists to search, repeatable (with --lotl --fetch, the lists not given are fetched).
    #[arg(long = "tl", required_unless_present = "fetch")]
    tls: Vec<String>,
    /// The certificate to qualify (PEM or DER).
    #[arg(long)]
    cert: String,
    /// Evaluation time (RFC 3339). Default: now.
    #[arg(long)]
    at: Option<String>,
    /// A list of the lists: each list's signature is then checked against its pointer's
    /// certificates (otherwise against the list's own KeyInfo certificate, reported as unanchored).
    #[arg(long)]
    lotl: Option<String>,
    #[command(flatten)]
    fetch: TlFetchArgs,
    #[arg(long, value_enum, default_value = "text")]
    format: TextOrJson,
}

#[derive(clap::Args)]
pub struct LotlArgs {
    /// The list of the lists (XML).
    file: String,
    /// Local national lists to match against the pointers, repeatable.
    #[arg(long = "tl")]
    tls: Vec<String>,
    /// Evaluation time (RFC 3339). Default: now.
    #[arg(long)]
    at: Option<String>,
    #[command(flatten)]
    fetch: TlFetchArgs,
    #[arg(long, value_enum, default_value = "text")]
    format: TextOrJson,
}

pub fn run(cmd: Command) -> CmdResult {
    match cmd {
        Command::Inspect(a) => inspect(a),
        Command::Verify(a) => verify(a),
        Command::Qualify(a) => qualify(a),
        Command::Lotl(a) => lotl(a),
    }
}

fn at_or_now(at: &Option<String>) -> Result<i64, UsageError> {
    match at {
        Some(s) => parse_rfc3339(s),
        None => Ok(now_unix()),
    }
}

fn print_findings(findings: &[Finding]) {
    for f in findings {
        say!("  {f}");
    }
}

fn name(v: &[tl::LangString]) -> Value {
    tl::pick_english(v).map(|s| Value::String(s.to_string())).unwrap_or(Value::Null)
}

/// Prints a malformed-list result (exit 1).
fn malformed(file: &str, e: &tl::Error, format: TextOrJson) -> CmdResult {
    let finding = e.to_finding();
    match format {
        TextOrJson::Json => say!(
            "{}",
            json!({"file": file, "valid": false, "indication": "TOTAL_FAILED", "sub_indication": "FORMAT_FAILURE", "findings": [finding]})
        ),
        TextOrJson::Text => {
            say!("{file}: not a readable trusted list (FORMAT_FAILURE)");
            print_findings(&[finding]);
        }
    }
    Ok(Outcome::NotValid)
}

fn inspect(a: InspectArgs) -> CmdResult {
    let bytes = read_input(&a.file)?;
    let list = match tl::parse(&bytes) {
        Ok(l) => l,
        Err(e) => return malformed(&a.file, &e, a.format),
    };
    match a.format {
        TextOrJson::Json => {
            let providers: Vec<Value> = list
                .providers
                .iter()
                .map(|p| {
                    json!({
                        "name": name(&p.name),
                        "services": p.services.iter().map(|s| json!({
                            "name": name(&s.current.name),
                            "type": s.current.type_identifier,
                            "status": s.current.status,
                            "status_starting_time": s.current.status_starting_time.text,
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let v = json!({
                "scheme_territory": list.scheme_territory,
                "sequence_number": list.sequence_number,
                "issue_date_time": list.issue_date_time.text,
                "next_update": list.next_update.as_ref().map(|d| d.text.clone()),
                "providers": providers,
                "findings": list.quirks,
            });
            say!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        TextOrJson::Text => {
            let services: usize = list.providers.iter().map(|p| p.services.len()).sum();
            let history: usize = list.services().map(|(_, s)| s.history.len()).sum();
            say!("{}", a.file);
            say!("  territory:        {}", list.scheme_territory);
            say!("  type:             {}", list.tsl_type);
            say!("  version:          {}", list.version);
            say!("  sequence number:  {}", list.sequence_number);
            say!("  operator:         {}", tl::pick_english(&list.scheme_operator_name).unwrap_or("-"));
            say!("  issued:           {}", list.issue_date_time.text);
            say!(
                "  next update:      {}",
                list.next_update.as_ref().map(|d| d.text.as_str()).unwrap_or("(none: closed list)")
            );
            say!("  signed:           {}", if list.signed { "yes (use `tl verify`)" } else { "no" });
            say!("  pointers:         {}", list.pointers.len());
            say!("  providers:        {} ({services} services, {history} history entries)", list.providers.len());
            for p in &list.providers {
                say!("  - {}", tl::pick_english(&p.name).unwrap_or("-"));
                for s in &p.services {
                    say!(
                        "      {} | {} | {} since {}",
                        tl::pick_english(&s.current.name).unwrap_or("-"),
                        short(&s.current.type_identifier),
                        short(&s.current.status),
                        s.current.status_starting_time.text
                    );
                }
            }
            if !list.quirks.is_empty() {
                say!("  quirks ({}):", list.quirks.len());
                print_findings(&list.quirks);
            }
        }
    }
    Ok(Outcome::Valid)
}

/// The last path segment(s) of a TS 119 612 URI, for text output.
fn short(uri: &str) -> &str {
    uri.strip_prefix("http://uri.etsi.org/TrstSvc/Svctype/")
        .or_else(|| uri.strip_prefix("http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/"))
        .unwrap_or(uri)
}

pub fn read_signers(files: &[String]) -> Result<Vec<Vec<u8>>, UsageError> {
    let mut out = Vec::new();
    for f in files {
        let certs = tl::certificates_from_bytes(&read_input(f)?);
        if certs.is_empty() {
            return Err(UsageError::new(format!("{f}: no certificate found (expected PEM, DER or base64 DER)")));
        }
        out.extend(certs);
    }
    Ok(out)
}

pub fn read_lotl(path: &str) -> Result<TrustedList, UsageError> {
    let bytes = read_input(path)?;
    let lotl =
        tl::parse(&bytes).map_err(|e| UsageError::new(format!("{path}: not a usable list of the lists: {e}")))?;
    if lotl.pointers.is_empty() {
        return Err(UsageError::new(format!("{path}: the list has no pointers to other lists")));
    }
    Ok(lotl)
}

/// The anchor for `list`: explicit signers, else the LOTL pointer, else none.
/// The anchor for a list whose (SchemeTerritory, TSLType) is `list` (`None`: unreadable).
fn anchor_for(
    signers: &[Vec<u8>],
    lotl: Option<&TrustedList>,
    list: Option<(&str, &str)>,
) -> Result<Anchor, UsageError> {
    if !signers.is_empty() {
        return Ok(Anchor::Explicit(signers.to_vec()));
    }
    if let (Some(lotl), Some((territory, tsl_type))) = (lotl, list) {
        return tl::verify::anchor_from_lotl_for(lotl, territory, tsl_type)
            .ok_or_else(|| UsageError::new(format!("the list of the lists has no pointer for territory {territory}")));
    }
    Ok(Anchor::Unanchored)
}

fn verify_json(file: &str, o: &tl::verify::VerifyOutcome) -> Value {
    json!({
        "file": file,
        "verified": o.verified(),
        "indication": o.verdict.indication,
        "sub_indication": o.verdict.sub_indication,
        "trust": o.trust,
        "signer": o.signer,
        "signature_method": o.signature_method,
        "scheme_territory": o.list.as_ref().map(|l| l.scheme_territory.clone()),
        "sequence_number": o.list.as_ref().map(|l| l.sequence_number),
        "findings": o.verdict.findings,
    })
}

fn verify(a: VerifyArgs) -> CmdResult {
    let at = at_or_now(&a.at)?;
    let signers = read_signers(&a.signers)?;
    let lotl = a.lotl.as_deref().map(read_lotl).transpose()?;
    let bytes = read_input(&a.file)?;
    // The anchor from a LOTL depends on the list's territory: chosen once the list is parsed (one
    // parse; a malformed list is reported by verify itself).
    let o = tl::verify::verify_choosing(&bytes, at, |id| anchor_for(&signers, lotl.as_ref(), id))?;
    match a.format {
        TextOrJson::Json => say!("{}", serde_json::to_string_pretty(&verify_json(&a.file, &o)).unwrap_or_default()),
        TextOrJson::Text => {
            say!("{}: {}", a.file, if o.verified() { "signature VERIFIED" } else { "signature NOT verified" });
            say!(
                "  indication:  {}{}",
                o.verdict.indication,
                o.verdict.sub_indication.map(|s| format!(" / {s}")).unwrap_or_default()
            );
            say!("  trust:       {}", o.trust.describe());
            if let Some(m) = &o.signature_method {
                say!("  method:      {m}");
            }
            if let Some(s) = &o.signer {
                say!("  signer:      {}", s.subject);
                say!("  valid:       {} to {}", tl::verify::fmt_time(s.not_before), tl::verify::fmt_time(s.not_after));
                say!("  sha256:      {}", s.sha256);
            }
            if let Some(l) = &o.list {
                say!(
                    "  list:        {} seq {} issued {}",
                    l.scheme_territory,
                    l.sequence_number,
                    l.issue_date_time.text
                );
            }
            print_findings(&o.verdict.findings);
        }
    }
    Ok(Outcome::from_valid(o.verified()))
}

/// Reads and verifies trusted lists at `at`, each against `signers` if given, else its LOTL
/// pointer, else its own KeyInfo certificate (reported as unanchored). A list that does not verify
/// is not used, with a finding that says why; every list's findings name its file.
pub fn load_lists(
    files: &[String],
    signers: &[Vec<u8>],
    lotl: Option<&TrustedList>,
    at: i64,
) -> Result<(Vec<TrustedList>, Vec<Finding>), UsageError> {
    if files.len() > tl::limits::MAX_LISTS {
        return Err(UsageError::new(format!("at most {} lists may be given", tl::limits::MAX_LISTS)));
    }
    let mut lists = Vec::new();
    let mut findings = Vec::new();
    for f in files {
        let bytes = read_input(f)?;
        // The anchor is chosen once the list is parsed (one parse per list).
        let choose = |id: Option<(&str, &str)>| -> Result<Anchor, std::convert::Infallible> {
            Ok(if !signers.is_empty() {
                Anchor::Explicit(signers.to_vec())
            } else {
                match (lotl, id) {
                    (Some(l), Some((territory, tsl_type))) => {
                        tl::verify::anchor_from_lotl_for(l, territory, tsl_type).unwrap_or(Anchor::Explicit(Vec::new()))
                    }
                    _ => Anchor::Unanchored,
                }
            })
        };
        let o = match tl::verify::verify_choosing(&bytes, at, choose) {
            Ok(o) => o,
            Err(never) => match never {},
        };
        findings.extend(
            o.verdict.findings.iter().map(|x| Finding { message: format!("{f}: {}", x.message).into(), ..x.clone() }),
        );
        match (o.verified(), o.list) {
            (true, Some(l)) => {
                let (l, mut fs) = through_mra(lotl, l, at);
                findings.append(&mut fs);
                lists.push(l)
            }
            _ => findings.push(Finding::from_def(
                &tl::findings::QUAL_LIST_UNUSABLE,
                format!("{f}: the list was not used ({} via {})", o.verdict.indication, o.trust.describe()),
            )),
        }
    }
    Ok((lists, findings))
}

/// A third-country list read through the mutual recognition equivalences its LOTL pointer
/// declares (EU MRA schema); any other list as it is.
fn through_mra(lotl: Option<&TrustedList>, list: TrustedList, at: i64) -> (TrustedList, Vec<Finding>) {
    let mra = lotl
        .and_then(|l| tl::verify::pointer_for(l, &list.scheme_territory))
        .and_then(|p| p.mutual_recognition.as_ref());
    match mra {
        Some(m) => tl::mra::translate(&list, m, at),
        None => (list, Vec::new()),
    }
}

/// The certificates of the lists' CA/QC services (current or historical identities): the issuing
/// CAs whose certificates a relying party under an EU profile trusts (ETSI TS 119 612 §5.5.3).
pub fn ca_qc_certificates(lists: &[TrustedList]) -> Vec<Vec<u8>> {
    const CA_QC: &str = "http://uri.etsi.org/TrstSvc/Svctype/CA/QC";
    let mut out: Vec<Vec<u8>> = Vec::new();
    for l in lists {
        for (_, s) in l.services() {
            for info in std::iter::once(&s.current).chain(s.history.iter()) {
                if info.type_identifier == CA_QC {
                    for c in &info.digital_identity.certificates {
                        if !out.contains(c) {
                            out.push(c.clone());
                        }
                    }
                }
            }
        }
    }
    out
}

fn qualify(a: QualifyArgs) -> CmdResult {
    let at = at_or_now(&a.at)?;
    let cert_bytes = read_input(&a.cert)?;
    let lotl = a.lotl.as_deref().map(read_lotl).transpose()?;
    let http = a.fetch.fetcher()?;
    let (lists, mut pre_findings) = match (&http, &lotl) {
        (Some((fetcher, limits)), Some(lotl)) => {
            let session = eidtrust::pki::fetch::FetchSession::new(fetcher, *limits);
            let fx = tl::fetch::Fetch { session: &session, config: a.fetch.config() };
            resolved_lists(lotl, &read_locals(&a.tls)?, Some(&fx), at)
        }
        (Some(_), None) => return Err(UsageError::new("--fetch needs --lotl (the pointers say what to fetch)")),
        (None, _) => load_lists(&a.tls, &[], lotl.as_ref(), at)?,
    };
    let certs = tl::certificates_from_bytes(&cert_bytes);
    let Some(cert) = certs.first() else {
        let finding =
            Finding::from_def(&tl::findings::QUAL_CERT_MALFORMED, format!("{}: no readable certificate", a.cert));
        match a.format {
            TextOrJson::Json => say!(
                "{}",
                json!({"qualified": false, "type": null, "qscd": null, "tsp": null, "service": null, "findings": [finding]})
            ),
            TextOrJson::Text => {
                say!("{}: not a readable certificate (FORMAT_FAILURE)", a.cert);
                print_findings(&[finding]);
            }
        }
        return Ok(Outcome::NotValid);
    };
    let refs: Vec<&TrustedList> = lists.iter().collect();
    let mut q = tl::qualify::qualify(cert, &refs, at);
    pre_findings.append(&mut q.findings);
    q.findings = pre_findings;
    match a.format {
        TextOrJson::Json => say!("{}", serde_json::to_string_pretty(&q).unwrap_or_default()),
        TextOrJson::Text => {
            say!("{}: {}", a.cert, if q.qualified { "QUALIFIED" } else { "NOT qualified" });
            say!("  type:     {}", q.qc_type.map(|t| t.as_str()).unwrap_or("-"));
            say!(
                "  qscd:     {}",
                match q.qscd {
                    Some(true) => "yes",
                    Some(false) => "no",
                    None => "-",
                }
            );
            say!("  tsp:      {}", q.tsp.as_deref().unwrap_or("-"));
            say!("  service:  {}", q.service.as_deref().unwrap_or("-"));
            say!("  issued:   {}", q.issuance_time.as_deref().unwrap_or("-"));
            say!("  at:       {}", q.at);
            for s in &q.services {
                say!(
                    "  - {} / {} / {}: issuance {}, at T {} (matched by {})",
                    s.territory,
                    s.tsp,
                    s.service,
                    s.status_at_issuance.as_deref().map(short).unwrap_or("-"),
                    s.status_at_time.as_deref().map(short).unwrap_or("-"),
                    s.matched_by
                );
            }
            print_findings(&q.findings);
        }
    }
    Ok(Outcome::from_valid(q.qualified))
}

fn read_locals(files: &[String]) -> Result<Vec<tl::fetch::LocalList>, UsageError> {
    if files.len() > tl::limits::MAX_LISTS {
        return Err(UsageError::new(format!("at most {} lists may be given", tl::limits::MAX_LISTS)));
    }
    files.iter().map(|f| Ok(tl::fetch::LocalList { file: f.clone(), bytes: read_input(f)? })).collect()
}

/// The verified lists of every pointer (local, cached or fetched), and findings for the pointers
/// whose list failed and for local files no pointer matched.
fn resolved_lists(
    lotl: &TrustedList,
    locals: &[tl::fetch::LocalList],
    fx: Option<&tl::fetch::Fetch<'_>>,
    at: i64,
) -> (Vec<TrustedList>, Vec<Finding>) {
    let results = tl::fetch::resolve(lotl, locals, fx, at);
    let mut lists = Vec::new();
    let mut findings = Vec::new();
    for r in &results {
        let label = format!("{} ({})", r.territory, r.source.describe());
        let prefixed = |x: &Finding| Finding { message: format!("{label}: {}", x.message).into(), ..x.clone() };
        match r.verified_list() {
            Some(l) => {
                findings.extend(r.all_findings().iter().map(prefixed));
                let (l, fs) = through_mra(Some(lotl), l.clone(), at);
                findings.extend(fs.iter().map(prefixed));
                lists.push(l);
            }
            None if matches!(r.source, tl::fetch::ListSource::None { .. }) => {}
            None => {
                findings.extend(r.all_findings().iter().map(prefixed));
                findings.push(Finding::from_def(
                    &tl::findings::QUAL_LIST_UNUSABLE,
                    format!("{label}: the list for the pointer {} was not used", r.location),
                ));
            }
        }
    }
    for l in locals {
        let used =
            results.iter().any(|r| matches!(&r.source, tl::fetch::ListSource::Local { file } if *file == l.file));
        if !used {
            findings.push(Finding::from_def(
                &tl::findings::QUAL_LIST_UNUSABLE,
                format!("{}: no XML pointer of the list of the lists is for this list's territory; not used", l.file),
            ));
        }
    }
    (lists, findings)
}

fn lotl(a: LotlArgs) -> CmdResult {
    let at = at_or_now(&a.at)?;
    let http = a.fetch.fetcher()?;
    let bytes = read_input(&a.file)?;
    let lotl = match tl::parse(&bytes) {
        Ok(l) => l,
        Err(e) => return malformed(&a.file, &e, a.format),
    };
    let locals = read_locals(&a.tls)?;
    for l in &locals {
        if let Err(e) = tl::parse(&l.bytes) {
            return Err(UsageError::new(format!("{}: not a readable trusted list: {e}", l.file)));
        }
    }
    let session = http.as_ref().map(|(f, limits)| eidtrust::pki::fetch::FetchSession::new(f, *limits));
    let fx = session.as_ref().map(|s| tl::fetch::Fetch { session: s, config: a.fetch.config() });
    let results = tl::fetch::resolve(&lotl, &locals, fx.as_ref(), at);
    let mut all_ok = true;
    let mut rows = Vec::new();
    for (p, r) in lotl.pointers.iter().zip(&results) {
        if r.verified() == Some(false) || matches!(r.source, tl::fetch::ListSource::Failed { .. }) {
            all_ok = false;
        }
        let mut source = serde_json::to_value(&r.source).unwrap_or(Value::Null);
        if let (Some(obj), Some(l)) = (source.as_object_mut(), r.verify.as_ref().and_then(|o| o.list.as_ref())) {
            obj.insert("sequence_number".into(), json!(l.sequence_number));
        }
        rows.push(json!({
            "territory": r.territory,
            "tsl_type": p.tsl_type,
            "mime_type": p.mime_type,
            "location": p.location,
            "certificates": p.certificates().count(),
            "mutual_recognition": p.mutual_recognition.is_some(),
            "list": source,
            "verified": r.verified(),
            "trust": r.verify.as_ref().map(|o| o.trust.clone()),
            "findings": r.all_findings(),
        }));
    }
    match a.format {
        TextOrJson::Json => {
            let v = json!({
                "scheme_territory": lotl.scheme_territory,
                "sequence_number": lotl.sequence_number,
                "issue_date_time": lotl.issue_date_time.text,
                "next_update": lotl.next_update.as_ref().map(|d| d.text.clone()),
                "fetch": a.fetch.fetch,
                "pointers": rows,
                "findings": tl::verify::freshness(&lotl, at),
            });
            say!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        TextOrJson::Text => {
            say!(
                "{}: {} seq {} issued {}, {} pointers{}",
                a.file,
                lotl.scheme_territory,
                lotl.sequence_number,
                lotl.issue_date_time.text,
                lotl.pointers.len(),
                if a.fetch.fetch { " (fetching on)" } else { "" }
            );
            for (row, r) in rows.iter().zip(&results) {
                let verdict = match r.verified() {
                    Some(true) => " verified against the pointer",
                    Some(false) => " NOT verified against the pointer",
                    None => "",
                };
                let seq = r
                    .verify
                    .as_ref()
                    .and_then(|o| o.list.as_ref())
                    .map(|l| format!(" (seq {})", l.sequence_number))
                    .unwrap_or_default();
                say!(
                    "  {:3} {:5} {} certs  {}  -> {}{seq}{verdict}",
                    r.territory,
                    if row["mime_type"].as_str().is_some_and(|m| m.contains("pdf")) { "pdf" } else { "xml" },
                    row["certificates"],
                    r.location,
                    r.source.describe(),
                );
                for f in r.all_findings() {
                    say!("      {}: {} [{}]", f.severity, f.message, f.id);
                }
            }
            print_findings(&tl::verify::freshness(&lotl, at));
        }
    }
    Ok(Outcome::from_valid(all_ok))
}
