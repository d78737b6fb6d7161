//! `eidtrust conformance run DIR`: runs every case of the project's test-vector manifests
//! (`DIR/*/manifest.json`, schema `eidtrust-test-vectors/1`, see docs/test-vectors.md) through the
//! real validators and reports in text, JSON, JUnit XML, SARIF 2.1.0 or one-file HTML.
//!
//! - `chain` cases: RFC 5280 path validation with `eidtrust::pki` (the same parsing as
//!   `chain verify`), revocation *required* against exactly the case's CRLs when it lists any,
//!   then the leaf linted as the case's type under the case's profile (`eidtrust::profile`), as
//!   `chain verify --profile P --type T` is specified to do (issue 3, point 5).
//! - `lint` cases: `eidtrust::profile::lint_input` as the case's type under its profile.
//! - `token` cases: `eidtrust token verify --profile P` on the token in `files.leaf` with the
//!   case's anchors, audience and nonce (see [`crate::conformance::run_token`]).
//!
//! A case passes when the outcome (valid / invalid) is as expected AND, unless `ids_pending`, every
//! expected finding id is among the error/fatal findings. Exit 0 when every selected case passes,
//! 1 otherwise (a skipped or errored case is not a pass), 2 for an unreadable or malformed
//! manifest (the message names the file and the JSON path), an unusable `--include`, an
//! unwritable `--output`, or a selection with no case.

use crate::common::{
    parse_anchor_files, parse_chain_subjects, parse_rfc3339, read_input, CmdResult, Outcome, UsageError,
};
use eidtrust::pki::validate::{Options, RevocationMode, Rules, Store, Usage, Validator};
use eidtrust::profile::{self, CertType, Profile};
use eidtrust::report::render::{self, Case as ReportCase, Document, Outcome as CaseOutcome};
use eidtrust::report::{Finding, FindingDef, Verdict};
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};
use std::path::{Component, Path, PathBuf};

/// Report formats of `conformance run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
    Junit,
    Sarif,
    Html,
}

impl From<ReportFormat> for render::Format {
    fn from(f: ReportFormat) -> Self {
        match f {
            ReportFormat::Text => render::Format::Text,
            ReportFormat::Json => render::Format::Json,
            ReportFormat::Junit => render::Format::Junit,
            ReportFormat::Sarif => render::Format::Sarif,
            ReportFormat::Html => render::Format::Html,
        }
    }
}

#[derive(clap::Args)]
pub struct RunArgs {
    /// The directory holding `<state>/manifest.json` files (the project's test-vectors/).
    dir: String,
    /// Report format.
    #[arg(long, value_enum, default_value = "text")]
    format: ReportFormat,
    /// Write the report to this file instead of standard output (a one-line summary is printed).
    #[arg(long)]
    output: Option<String>,
    /// Run only the cases whose id matches this regular expression.
    #[arg(long)]
    include: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// The manifest schema (docs/test-vectors.md), mirrored.

/// The only manifest schema this runner reads.
pub const SCHEMA: &str = "eidtrust-test-vectors/1";

/// Most cases one run reads across all manifests (project limit: the generated tree has about 70
/// per state; this bounds memory and time on a hostile or runaway tree).
pub const MAX_CASES: usize = 100_000;

/// Most manifests (state directories) one run reads (project limit, same reason).
pub const MAX_MANIFESTS: usize = 1_000;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    schema: String,
    state: String,
    #[allow(dead_code)]
    country: String,
    profile: String,
    #[allow(dead_code)]
    eu_member: bool,
    #[allow(dead_code)]
    note: String,
    cases: Vec<ManifestCase>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestCase {
    id: String,
    kind: Kind,
    description: String,
    profile: String,
    #[serde(rename = "type")]
    cert_type: String,
    defect: Option<String>,
    clause: Option<String>,
    validation_time: String,
    files: Files,
    /// Only for `token` cases.
    #[serde(default)]
    token: Option<crate::conformance::TokenInputs>,
    expected: Expected,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Chain,
    Lint,
    Token,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Files {
    leaf: String,
    intermediates: Vec<String>,
    anchors: Vec<String>,
    crls: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    outcome: Expect,
    exit_code: u8,
    finding_ids: Vec<String>,
    ids_pending: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Expect {
    Valid,
    Invalid,
}

impl Expect {
    fn as_str(self) -> &'static str {
        match self {
            Expect::Valid => "valid",
            Expect::Invalid => "invalid",
        }
    }
}

/// A case ready to run: checked, with its paths resolved and its time parsed.
#[derive(Debug)]
struct Job {
    id: String,
    group: String,
    kind: Kind,
    description: String,
    profile: String,
    /// `None` for token cases, whose `type` is a token type ([`Job::type_name`]).
    cert_type: Option<CertType>,
    type_name: String,
    token: Option<crate::conformance::TokenInputs>,
    defect: Option<String>,
    clause: Option<String>,
    time: i64,
    leaf: PathBuf,
    intermediates: Vec<PathBuf>,
    anchors: Vec<PathBuf>,
    crls: Vec<PathBuf>,
    expect: Expect,
    expected_ids: Vec<String>,
    ids_pending: bool,
}

fn malformed(file: &Path, path: &str, msg: impl std::fmt::Display) -> UsageError {
    UsageError::new(format!("{}: {path}: {msg}", file.display()))
}

/// A manifest path: relative, without `..`, joined to the manifest's directory.
fn resolve_path(base: &Path, rel: &str, file: &Path, json_path: &str) -> Result<PathBuf, UsageError> {
    let p = Path::new(rel);
    if rel.is_empty() {
        return Err(malformed(file, json_path, "empty path"));
    }
    for c in p.components() {
        match c {
            Component::Normal(_) | Component::CurDir => {}
            _ => {
                return Err(malformed(
                    file,
                    json_path,
                    format!("{rel:?} must be a path relative to the manifest's directory, without '..'"),
                ))
            }
        }
    }
    Ok(base.join(p))
}

/// Parses one manifest; every error names the file and the JSON path.
fn parse_manifest(file: &Path, data: &[u8]) -> Result<Manifest, UsageError> {
    let de = &mut serde_json::Deserializer::from_slice(data);
    let m: Manifest = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { "(document)".to_string() } else { path };
        malformed(file, &path, e.into_inner())
    })?;
    if m.schema != SCHEMA {
        return Err(malformed(
            file,
            "schema",
            format!("{:?} is not supported (this build reads {SCHEMA:?})", m.schema),
        ));
    }
    Ok(m)
}

/// Checks a manifest's cases and turns them into jobs.
fn manifest_jobs(file: &Path, m: Manifest, seen: &mut HashSet<String>) -> Result<Vec<Job>, UsageError> {
    let base = file.parent().unwrap_or(Path::new("."));
    if profile::builtin_source(&m.profile).is_none() {
        return Err(malformed(file, "profile", format!("{:?} is not a built-in profile", m.profile)));
    }
    let mut jobs = Vec::with_capacity(m.cases.len());
    for (i, c) in m.cases.into_iter().enumerate() {
        let at = |field: &str| format!("cases[{i}].{field}");
        if !seen.insert(c.id.clone()) {
            return Err(malformed(file, &at("id"), format!("{:?} is used by another case", c.id)));
        }
        if profile::builtin_source(&c.profile).is_none() {
            return Err(malformed(file, &at("profile"), format!("{:?} is not a built-in profile", c.profile)));
        }
        let cert_type =
            if c.kind == Kind::Token {
                crate::conformance::check_token_case(&c.cert_type).map_err(|e| malformed(file, &at("type"), e))?;
                None
            } else {
                if c.token.is_some() {
                    return Err(malformed(file, &at("token"), "only token cases take token inputs"));
                }
                Some(CertType::parse(&c.cert_type).ok_or_else(|| {
                    malformed(file, &at("type"), format!("{:?} is not a certificate type", c.cert_type))
                })?)
            };
        let time = parse_rfc3339(&c.validation_time).map_err(|_| {
            malformed(file, &at("validation_time"), format!("{:?} is not an RFC 3339 time", c.validation_time))
        })?;
        let want_exit = match c.expected.outcome {
            Expect::Valid => 0,
            Expect::Invalid => 1,
        };
        if c.expected.exit_code != want_exit {
            return Err(malformed(
                file,
                &at("expected.exit_code"),
                format!(
                    "{} does not match outcome {:?} (expected {want_exit})",
                    c.expected.exit_code,
                    c.expected.outcome.as_str()
                ),
            ));
        }
        if c.kind == Kind::Chain && c.files.anchors.is_empty() {
            return Err(malformed(file, &at("files.anchors"), "a chain case needs at least one anchor"));
        }
        let leaf = resolve_path(base, &c.files.leaf, file, &at("files.leaf"))?;
        let list = |v: &[String], field: &str| -> Result<Vec<PathBuf>, UsageError> {
            v.iter()
                .enumerate()
                .map(|(j, p)| resolve_path(base, p, file, &at(&format!("files.{field}[{j}]"))))
                .collect()
        };
        jobs.push(Job {
            intermediates: list(&c.files.intermediates, "intermediates")?,
            anchors: list(&c.files.anchors, "anchors")?,
            crls: list(&c.files.crls, "crls")?,
            leaf,
            id: c.id,
            group: m.state.clone(),
            kind: c.kind,
            description: c.description,
            profile: c.profile,
            cert_type,
            type_name: c.cert_type,
            token: c.token,
            defect: c.defect,
            clause: c.clause,
            time,
            expect: c.expected.outcome,
            expected_ids: c.expected.finding_ids,
            ids_pending: c.expected.ids_pending,
        });
    }
    Ok(jobs)
}

fn check_case_count(total: usize) -> Result<(), UsageError> {
    if total > MAX_CASES {
        return Err(UsageError::new(format!("the manifests hold more than {MAX_CASES} cases (the limit of one run)")));
    }
    Ok(())
}

/// Finds `DIR/*/manifest.json` (sorted by directory name).
fn find_manifests(dir: &Path) -> Result<Vec<PathBuf>, UsageError> {
    let rd =
        std::fs::read_dir(dir).map_err(|e| UsageError::new(format!("cannot read directory {}: {e}", dir.display())))?;
    let mut out = Vec::new();
    for e in rd {
        let e = e.map_err(|e| UsageError::new(format!("cannot read directory {}: {e}", dir.display())))?;
        let m = e.path().join("manifest.json");
        if e.path().is_dir() && m.exists() {
            out.push(m);
            if out.len() > MAX_MANIFESTS {
                return Err(UsageError::new(format!(
                    "{} holds more than {MAX_MANIFESTS} manifests (the limit of one run)",
                    dir.display()
                )));
            }
        }
    }
    out.sort();
    if out.is_empty() {
        return Err(UsageError::new(format!("no */manifest.json found under {}", dir.display())));
    }
    Ok(out)
}

/// Reads, checks and selects every case under `dir`.
fn load_jobs(dir: &Path, include: Option<&regex::Regex>) -> Result<Vec<Job>, UsageError> {
    let mut jobs = Vec::new();
    let mut seen = HashSet::new();
    for file in find_manifests(dir)? {
        let data = read_input(&file.display().to_string())?;
        let m = parse_manifest(&file, &data)?;
        check_case_count(jobs.len().saturating_add(m.cases.len()))?;
        jobs.extend(manifest_jobs(&file, m, &mut seen)?);
    }
    if let Some(re) = include {
        jobs.retain(|j| re.is_match(&j.id));
        if jobs.is_empty() {
            return Err(UsageError::new(format!("--include {:?} matches no case", re.as_str())));
        }
    }
    Ok(jobs)
}

// ---------------------------------------------------------------------------------------------
// Running

/// What a validator said about a case.
struct Actual {
    valid: bool,
    verdict: String,
    findings: Vec<Finding>,
}

fn verdict_text(v: &Verdict) -> String {
    match v.sub_indication {
        Some(sub) => format!("{}/{sub}", v.indication),
        None => v.indication.to_string(),
    }
}

fn read_named(p: &Path) -> Result<(String, Vec<u8>), String> {
    let name = p.display().to_string();
    read_input(&name).map(|d| (name, d)).map_err(|e| e.to_string())
}

fn read_all(ps: &[PathBuf]) -> Result<Vec<(String, Vec<u8>)>, String> {
    ps.iter().map(|p| read_named(p)).collect()
}

fn lint(leaf: &[u8], prof: &Profile, t: CertType, file: &str) -> eidtrust::profile::LintReport {
    let mut r = profile::lint_input(leaf, prof, Some(t));
    for f in r.findings.iter_mut() {
        if f.location.file.is_none() {
            f.location.file = Some(file.to_string());
        }
    }
    r
}

fn cert_type_of(job: &Job) -> Result<CertType, String> {
    job.cert_type.ok_or_else(|| format!("{}: not a certificate case", job.id))
}

fn run_chain(job: &Job, prof: &Profile) -> Result<Actual, String> {
    let cert_type = cert_type_of(job)?;
    let leaf = read_named(&job.leaf)?;
    let inters = read_all(&job.intermediates)?;
    let crls = read_all(&job.crls)?;
    let anchors = parse_anchor_files(&read_all(&job.anchors)?).map_err(|e| e.to_string())?;
    let subjects = match parse_chain_subjects((&leaf.0, &leaf.1), &inters, &crls) {
        Ok(s) => s,
        Err(findings) => {
            let v = Verdict::failed(eidtrust::report::SubIndication::FormatFailure, findings);
            return Ok(Actual { valid: false, verdict: verdict_text(&v), findings: v.findings });
        }
    };
    let mut opts = Options::at(job.time);
    opts.usage = Usage::Any;
    opts.rules = Rules::Rfc5280;
    // docs/test-vectors.md: with CRLs, revocation is required for every non-anchor certificate.
    opts.revocation = if subjects.crls.is_empty() { RevocationMode::Off } else { RevocationMode::Require };
    let validator = Validator::new(Store::new(anchors));
    let v = validator.validate(&subjects.leaf, &subjects.intermediates, &subjects.crls, &opts).verdict;
    let mut findings = v.findings.clone();
    let mut valid = v.is_valid();
    let mut verdict = verdict_text(&v);
    // The profile's lint rules on the leaf, as the case's type.
    let r = lint(&leaf.1, prof, cert_type, &leaf.0);
    if !r.conformant {
        valid = false;
        verdict.push_str(" + leaf NOT_CONFORMANT");
    }
    findings.extend(r.findings);
    Ok(Actual { valid, verdict, findings })
}

fn run_lint(job: &Job, prof: &Profile) -> Result<Actual, String> {
    let cert_type = cert_type_of(job)?;
    let (name, data) = read_named(&job.leaf)?;
    let r = lint(&data, prof, cert_type, &name);
    let verdict = if r.conformant { "CONFORMANT" } else { "NOT_CONFORMANT" }.to_string();
    Ok(Actual { valid: r.conformant, verdict, findings: r.findings })
}

fn failure_ids(findings: &[Finding]) -> Vec<&str> {
    let mut ids: Vec<&str> = findings.iter().filter(|f| f.severity.is_failure()).map(|f| &*f.id).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn describe_expected(job: &Job) -> String {
    if job.ids_pending {
        format!("{} (finding ids pending)", job.expect.as_str())
    } else if job.expected_ids.is_empty() {
        job.expect.as_str().to_string()
    } else {
        format!("{} with {}", job.expect.as_str(), job.expected_ids.join(", "))
    }
}

/// Runs one job and compares it with the expectation.
fn run_job(job: &Job, profiles: &BTreeMap<String, Result<Profile, String>>) -> ReportCase {
    let mut case = ReportCase::new(job.id.clone(), job.group.clone(), CaseOutcome::Pass)
        .with_file(job.leaf.display().to_string())
        .with_property(
            "kind",
            match job.kind {
                Kind::Chain => "chain",
                Kind::Lint => "lint",
                Kind::Token => "token",
            },
        )
        .with_property("profile", job.profile.clone())
        .with_property("type", job.type_name.clone());
    if let Some(d) = &job.defect {
        case = case.with_property("defect", d.clone());
    }
    if let Some(c) = &job.clause {
        case = case.with_property("clause", c.clone());
    }
    case = case.with_property("expected", describe_expected(job));
    let prof = match profiles.get(&job.profile) {
        Some(Ok(p)) => p,
        Some(Err(e)) => {
            case.outcome = CaseOutcome::Error(format!("profile {} cannot be loaded: {e}", job.profile));
            return case.with_details(job.description.clone());
        }
        None => {
            case.outcome = CaseOutcome::Error(format!("profile {} was not loaded", job.profile));
            return case.with_details(job.description.clone());
        }
    };
    let actual = match job.kind {
        Kind::Chain => run_chain(job, prof),
        Kind::Lint => run_lint(job, prof),
        Kind::Token => crate::conformance::run_token(&job.leaf, &job.anchors, job.token.as_ref(), job.time, prof)
            .map(|(valid, verdict, findings)| Actual { valid, verdict, findings }),
    };
    let actual = match actual {
        Ok(a) => a,
        Err(e) => {
            case.outcome = CaseOutcome::Error(e);
            return case.with_details(job.description.clone());
        }
    };
    let got = if actual.valid { Expect::Valid } else { Expect::Invalid };
    let ids = failure_ids(&actual.findings);
    let missing: Vec<&str> = if job.ids_pending {
        Vec::new()
    } else {
        job.expected_ids.iter().map(String::as_str).filter(|id| !ids.contains(id)).collect()
    };
    let actual_text =
        if ids.is_empty() { got.as_str().to_string() } else { format!("{} with {}", got.as_str(), ids.join(", ")) };
    case = case.with_property("actual", actual_text).with_verdict(actual.verdict);
    let mut details = job.description.clone();
    if got != job.expect {
        case.outcome = CaseOutcome::Fail;
        let what = if got == Expect::Valid { "a false accept" } else { "a false reject" };
        details.push_str(&format!("\nexpected {}, got {} ({what})", job.expect.as_str(), got.as_str()));
    }
    if !missing.is_empty() {
        case.outcome = CaseOutcome::Fail;
        details.push_str(&format!("\nmissing error finding ids: {}", missing.join(", ")));
        case = case.with_property("missing", missing.join(", "));
    }
    case.with_details(details).with_findings(actual.findings)
}

/// Runs every job in parallel; the cases come back in job order.
fn run_jobs(jobs: &[Job]) -> Vec<ReportCase> {
    let mut profiles: BTreeMap<String, Result<Profile, String>> = BTreeMap::new();
    for j in jobs {
        if !profiles.contains_key(&j.profile) {
            profiles.insert(j.profile.clone(), profile::builtin(&j.profile).map_err(|e| e.to_string()));
        }
    }
    jobs.par_iter().map(|j| run_job(j, &profiles)).collect()
}

/// The finding catalogue the SARIF report lists: pki's, profile's and token's.
fn catalogue() -> Vec<FindingDef> {
    let mut v = eidtrust::pki::findings::catalogue();
    v.extend_from_slice(eidtrust::profile::findings::CATALOGUE);
    v.extend_from_slice(eidtrust::token::findings::CATALOGUE);
    v
}

/// Writes the report to standard output; a closed pipe (`| head`) ends the output quietly, any
/// other write error is reported (exit 2) — never a panic as `print!` would give.
fn write_stdout(text: &str) -> Result<(), UsageError> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(UsageError::new(format!("cannot write the report to standard output: {e}"))),
    }
}

pub fn run(a: RunArgs) -> CmdResult {
    let include = match &a.include {
        Some(r) => Some(regex::Regex::new(r).map_err(|e| UsageError::new(format!("--include {r:?}: {e}")))?),
        None => None,
    };
    let jobs = load_jobs(Path::new(&a.dir), include.as_ref())?;
    let doc = Document { title: format!("eidtrust conformance run {}", a.dir), cases: run_jobs(&jobs) };
    let summary = doc.summary();
    let out = render::render(&doc, a.format.into(), &catalogue());
    match &a.output {
        Some(f) => {
            std::fs::write(f, out.as_bytes()).map_err(|e| UsageError::new(format!("cannot write {f}: {e}")))?;
            write_stdout(&format!(
                "{} cases: {} passed, {} failed, {} skipped, {} errors; report written to {f}\n",
                summary.total, summary.pass, summary.fail, summary.skip, summary.error
            ))?;
        }
        None => write_stdout(&out)?,
    }
    Ok(Outcome::from_valid(summary.total > 0 && summary.pass == summary.total))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case_json(id: &str) -> String {
        format!(
            r#"{{"id":"{id}","kind":"lint","description":"d","profile":"rs","type":"qualified-esig","defect":null,"clause":null,
            "validation_time":"2025-06-01T00:00:00Z","files":{{"leaf":"leaf/x.pem","intermediates":[],"anchors":[],"crls":[]}},
            "expected":{{"outcome":"valid","exit_code":0,"finding_ids":[],"ids_pending":false}}}}"#
        )
    }

    fn manifest_json(cases: &[String]) -> String {
        format!(
            r#"{{"schema":"eidtrust-test-vectors/1","state":"rs","country":"RS","profile":"rs","eu_member":false,"note":"n","cases":[{}]}}"#,
            cases.join(",")
        )
    }

    fn jobs_of(json: &str) -> Result<Vec<Job>, String> {
        let file = Path::new("t/rs/manifest.json");
        let m = parse_manifest(file, json.as_bytes()).map_err(|e| e.0)?;
        manifest_jobs(file, m, &mut HashSet::new()).map_err(|e| e.0)
    }

    #[test]
    fn good_manifest_gives_jobs_with_resolved_paths() {
        let jobs = jobs_of(&manifest_json(&[case_json("rs/lint/a"), case_json("rs/lint/b")])).unwrap();
        assert_eq!(jobs.len(), 2);
        assert_eq!(jobs[0].leaf, Path::new("t/rs/leaf/x.pem"));
        assert_eq!(jobs[0].cert_type, Some(CertType::QualifiedEsig));
        assert_eq!(jobs[0].time, 1_748_736_000);
        assert_eq!(jobs[1].group, "rs");
    }

    #[test]
    fn errors_name_the_file_and_json_path() {
        let bad = manifest_json(&[case_json("a"), case_json("b").replace("\"valid\"", "\"maybe\"")]);
        let e = jobs_of(&bad).unwrap_err();
        assert!(e.starts_with("t/rs/manifest.json: cases[1].expected.outcome: unknown variant `maybe`"), "{e}");

        let unknown = manifest_json(&[case_json("a").replace("\"clause\":null", "\"clause\":null,\"extra\":1")]);
        let e = jobs_of(&unknown).unwrap_err();
        assert!(e.contains("cases[0]") && e.contains("unknown field `extra`"), "{e}");

        let e = jobs_of(&manifest_json(&[]).replace("test-vectors/1", "test-vectors/2")).unwrap_err();
        assert!(e.contains(": schema: ") && e.contains("not supported"), "{e}");

        let e = jobs_of("{\"schema\": ").unwrap_err();
        assert!(e.starts_with("t/rs/manifest.json: "), "{e}");
    }

    #[test]
    fn semantic_checks_name_the_json_path() {
        let dup = manifest_json(&[case_json("a"), case_json("a")]);
        assert!(jobs_of(&dup).unwrap_err().contains("cases[1].id: \"a\" is used by another case"));
        let t = manifest_json(&[case_json("a").replace("qualified-esig", "nope")]);
        assert!(jobs_of(&t).unwrap_err().contains("cases[0].type: \"nope\" is not a certificate type"));
        let p = manifest_json(&[case_json("a").replace("\"profile\":\"rs\"", "\"profile\":\"zz\"")]);
        assert!(jobs_of(&p).unwrap_err().contains("cases[0].profile: \"zz\""));
        let x = manifest_json(&[case_json("a").replace("\"exit_code\":0", "\"exit_code\":1")]);
        assert!(jobs_of(&x).unwrap_err().contains("cases[0].expected.exit_code"));
        let tm = manifest_json(&[case_json("a").replace("2025-06-01T00:00:00Z", "yesterday")]);
        assert!(jobs_of(&tm).unwrap_err().contains("cases[0].validation_time"));
        let esc = manifest_json(&[case_json("a").replace("leaf/x.pem", "../../etc/passwd")]);
        assert!(jobs_of(&esc).unwrap_err().contains("cases[0].files.leaf"));
        let abs = manifest_json(&[case_json("a").replace("leaf/x.pem", "/etc/passwd")]);
        assert!(jobs_of(&abs).unwrap_err().contains("cases[0].files.leaf"));
        let chain = manifest_json(&[case_json("a").replace("\"kind\":\"lint\"", "\"kind\":\"chain\"")]);
        assert!(jobs_of(&chain).unwrap_err().contains("cases[0].files.anchors"));
    }

    #[test]
    fn case_limit_is_enforced() {
        assert!(check_case_count(MAX_CASES).is_ok());
        assert!(check_case_count(MAX_CASES + 1).unwrap_err().0.contains("more than 100000 cases"));
    }

    #[test]
    fn manifest_limit_is_enforced() {
        let dir = std::env::temp_dir().join(format!("eidtrust-vectors-limit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for i in 0..=MAX_MANIFESTS {
            let d = dir.join(format!("s{i}"));
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(d.join("manifest.json"), "{}").unwrap();
        }
        let e = find_manifests(&dir).unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(e.0.contains("more than 1000 manifests"), "{}", e.0);
    }

    fn job(kind: Kind, expect: Expect, ids: &[&str], pending: bool) -> Job {
        Job {
            id: "x/lint/y".into(),
            group: "x".into(),
            kind,
            description: "desc".into(),
            profile: "rs".into(),
            cert_type: Some(CertType::QualifiedEsig),
            type_name: "qualified-esig".into(),
            token: None,
            defect: None,
            clause: None,
            time: 0,
            leaf: PathBuf::from("/nonexistent/eidtrust/leaf.pem"),
            intermediates: vec![],
            anchors: vec![],
            crls: vec![],
            expect,
            expected_ids: ids.iter().map(|s| s.to_string()).collect(),
            ids_pending: pending,
        }
    }

    #[test]
    fn unreadable_files_and_unloadable_profiles_are_errors_not_passes() {
        let mut profiles = BTreeMap::new();
        profiles.insert("rs".to_string(), profile::builtin("rs").map_err(|e| e.to_string()));
        let c = run_job(&job(Kind::Lint, Expect::Valid, &[], false), &profiles);
        assert!(
            matches!(&c.outcome, CaseOutcome::Error(r) if r.contains("/nonexistent/eidtrust/leaf.pem")),
            "{:?}",
            c.outcome
        );
        profiles.insert("rs".to_string(), Err("broken".into()));
        let c = run_job(&job(Kind::Chain, Expect::Valid, &[], false), &profiles);
        assert!(matches!(&c.outcome, CaseOutcome::Error(r) if r.contains("broken")));
    }

    #[test]
    fn garbage_leaf_is_a_format_failure_and_ids_are_compared() {
        let dir = std::env::temp_dir().join(format!("eidtrust-vectors-garbage-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let leaf = dir.join("leaf.pem");
        std::fs::write(&leaf, b"not a certificate").unwrap();
        let mut profiles = BTreeMap::new();
        profiles.insert("rs".to_string(), profile::builtin("rs").map_err(|e| e.to_string()));
        let anchors = vec![leaf.clone()];
        // chain: invalid with the malformed id expected -> pass; a missing id -> fail
        let mut j = job(Kind::Chain, Expect::Invalid, &["rfc5280.format.malformed"], false);
        j.leaf = leaf.clone();
        j.anchors = anchors.clone();
        // anchors are unusable too: an error, not a pass
        let c = run_job(&j, &profiles);
        assert!(matches!(c.outcome, CaseOutcome::Error(_)), "{:?}", c.outcome);
        // lint: garbage is not conformant
        let mut j = job(Kind::Lint, Expect::Invalid, &[], true);
        j.leaf = leaf.clone();
        assert_eq!(run_job(&j, &profiles).outcome, CaseOutcome::Pass);
        let mut j = job(Kind::Lint, Expect::Valid, &[], false);
        j.leaf = leaf.clone();
        let c = run_job(&j, &profiles);
        assert_eq!(c.outcome, CaseOutcome::Fail);
        assert!(c.details.contains("expected valid, got invalid (a false reject)"));
        let mut j = job(Kind::Lint, Expect::Invalid, &["no.such.id"], false);
        j.leaf = leaf;
        let c = run_job(&j, &profiles);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(c.outcome, CaseOutcome::Fail);
        assert!(c.details.contains("missing error finding ids: no.such.id"));
    }
}
