//! Shared plumbing of the commands: exit codes, caller errors, bounded file reading.

use std::fmt;
use std::path::Path;
use std::process::ExitCode;

/// What a command decided: valid/conformant (exit 0) or not (exit 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Valid,
    NotValid,
}

impl Outcome {
    pub fn from_valid(valid: bool) -> Self {
        if valid {
            Outcome::Valid
        } else {
            Outcome::NotValid
        }
    }
}

/// A caller error: bad flags, unreadable files, unusable anchors/keys/profiles. Exit 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl UsageError {
    pub fn new(msg: impl Into<String>) -> Self {
        UsageError(msg.into())
    }
}

pub type CmdResult = Result<Outcome, UsageError>;

pub fn finish(result: CmdResult) -> ExitCode {
    match result {
        Ok(Outcome::Valid) => ExitCode::SUCCESS,
        Ok(Outcome::NotValid) => ExitCode::from(1),
        Err(e) => {
            eprintln!("eidtrust: error: {e}");
            ExitCode::from(2)
        }
    }
}

/// The largest input file any command reads (64 MiB). A certificate bundle, a token or a trusted
/// list larger than this is refused before it is read, so memory stays bounded.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a file (or standard input for `-`) with the [`MAX_INPUT_BYTES`] cap; every failure names
/// the file.
pub fn read_input(path: &str) -> Result<Vec<u8>, UsageError> {
    use std::io::Read;
    let mut buf = Vec::new();
    if path == "-" {
        std::io::stdin()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| UsageError::new(format!("cannot read standard input: {e}")))?;
    } else {
        let p = Path::new(path);
        let f = std::fs::File::open(p).map_err(|e| UsageError::new(format!("cannot open {path}: {e}")))?;
        let meta = f.metadata().map_err(|e| UsageError::new(format!("cannot read {path}: {e}")))?;
        if meta.is_dir() {
            return Err(UsageError::new(format!("{path} is a directory, not a file")));
        }
        if meta.len() > MAX_INPUT_BYTES {
            return Err(UsageError::new(format!(
                "{path} is {} bytes, over the input limit of {} bytes",
                meta.len(),
                MAX_INPUT_BYTES
            )));
        }
        f.take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| UsageError::new(format!("cannot read {path}: {e}")))?;
    }
    if buf.len() as u64 > MAX_INPUT_BYTES {
        return Err(UsageError::new(format!("{path} is over the input limit of {MAX_INPUT_BYTES} bytes")));
    }
    Ok(buf)
}

/// Output format shared by the commands that offer only text and JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TextOrJson {
    Text,
    Json,
}

/// Parses an RFC 3339 time (`2024-01-01T00:00:00Z`) into Unix seconds.
pub fn parse_rfc3339(s: &str) -> Result<i64, UsageError> {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .map(|t| t.unix_timestamp())
        .map_err(|e| UsageError::new(format!("--at {s:?} is not an RFC 3339 time ({e})")))
}

/// The current time, read only when the caller did not give one.
pub fn now_unix() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// A malformed subject (leaf, intermediate, CRL) as a FORMAT_FAILURE finding naming the file; a
/// verdict, not a usage error.
pub fn subject_format_failure(file: &str, what: &str, err: impl fmt::Display) -> eidtrust::report::Finding {
    use eidtrust::report::{Finding, Location};
    Finding::from_def(&eidtrust::pki::findings::MALFORMED, format!("{what} in {file} is malformed: {err}"))
        .at(Location::none().with_file(file))
}

/// Parses trust anchors from `(file name, contents)` pairs (PEM bundles or DER). Anchors are the
/// caller's configuration: anything unusable is an error naming the file and the certificate.
pub fn parse_anchor_files(files: &[(String, Vec<u8>)]) -> Result<Vec<eidtrust::pki::cert::Certificate>, UsageError> {
    use eidtrust::pki::cert::Certificate;
    use eidtrust::pki::input::{self, Kind};
    let mut anchors = Vec::new();
    for (f, data) in files {
        let ders = input::read(data, Kind::Certificate).map_err(|e| UsageError::new(format!("anchors {f}: {e}")))?;
        for (i, der) in ders.iter().enumerate() {
            let c = Certificate::from_der(der)
                .map_err(|e| UsageError::new(format!("anchors {f}: certificate {} is unusable: {e}", i + 1)))?;
            anchors.push(c);
        }
    }
    Ok(anchors)
}

/// The subjects of a chain validation, parsed: the leaf (the first certificate of its file; the
/// others join the intermediates), the intermediates and the CRLs. Malformed subjects become
/// FORMAT_FAILURE findings, returned in `Err`, as `chain verify` reports them.
pub struct ChainSubjects {
    pub leaf: eidtrust::pki::cert::Certificate,
    pub intermediates: Vec<eidtrust::pki::cert::Certificate>,
    pub crls: Vec<eidtrust::pki::crl::Crl>,
}

/// Parses the subjects of a chain validation from `(file name, contents)` pairs, the same way
/// `chain verify` does.
pub fn parse_chain_subjects(
    leaf: (&str, &[u8]),
    intermediates: &[(String, Vec<u8>)],
    crls: &[(String, Vec<u8>)],
) -> Result<ChainSubjects, Vec<eidtrust::report::Finding>> {
    use eidtrust::pki::cert::Certificate;
    use eidtrust::pki::crl::Crl;
    use eidtrust::pki::input::{self, Kind};
    let mut problems = Vec::new();
    let mut the_leaf = None;
    let mut inters = Vec::new();
    let (leaf_name, leaf_data) = leaf;
    match input::read(leaf_data, Kind::Certificate) {
        Ok(ders) => {
            for (i, der) in ders.iter().enumerate() {
                match Certificate::from_der(der) {
                    Ok(c) if i == 0 => the_leaf = Some(c),
                    Ok(c) => inters.push(c),
                    Err(e) => problems.push(subject_format_failure(leaf_name, &format!("certificate {}", i + 1), e)),
                }
            }
        }
        Err(e) => problems.push(subject_format_failure(leaf_name, "the leaf", e)),
    }
    for (f, data) in intermediates {
        match input::read(data, Kind::Certificate) {
            Ok(ders) => {
                for (i, der) in ders.iter().enumerate() {
                    match Certificate::from_der(der) {
                        Ok(c) => inters.push(c),
                        Err(e) => {
                            problems.push(subject_format_failure(f, &format!("intermediate certificate {}", i + 1), e))
                        }
                    }
                }
            }
            Err(e) => problems.push(subject_format_failure(f, "the intermediates file", e)),
        }
    }
    let mut the_crls = Vec::new();
    for (f, data) in crls {
        match input::read(data, Kind::Crl) {
            Ok(ders) => {
                for (i, der) in ders.iter().enumerate() {
                    match Crl::from_der(der) {
                        Ok(c) => the_crls.push(c),
                        Err(e) => problems.push(subject_format_failure(f, &format!("CRL {}", i + 1), e)),
                    }
                }
            }
            Err(e) => problems.push(subject_format_failure(f, "the CRL file", e)),
        }
    }
    match the_leaf {
        Some(leaf) if problems.is_empty() => Ok(ChainSubjects { leaf, intermediates: inters, crls: the_crls }),
        None if problems.is_empty() => Err(vec![subject_format_failure(leaf_name, "the leaf", "no certificate found")]),
        _ => Err(problems),
    }
}

/// Whether OCSP requests carry a nonce (RFC 6960 §4.4.1, RFC 8954).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NonceArg {
    /// Send no nonce (responders may answer with pre-produced responses).
    Off,
    /// Send a nonce; a response without it is accepted with a warning.
    Send,
    /// Send a nonce and require the responder to echo it.
    Require,
}

/// The flags of opt-in fetching, shared by `chain verify` and `revocation check`.
#[derive(clap::Args, Debug, Clone)]
pub struct FetchArgs {
    /// Ask the OCSP responders, CRL distribution points and (chain verify) caIssuers named in the
    /// certificates: http and https only, bounded in count, time and size. Off by default.
    #[arg(long)]
    pub fetch: bool,
    /// With --fetch: ask this OCSP responder instead of those in the certificate, repeatable.
    #[arg(long = "ocsp-url")]
    pub ocsp_urls: Vec<String>,
    /// With --fetch: whether to send a nonce in OCSP requests.
    #[arg(long, value_enum, default_value = "send")]
    pub nonce: NonceArg,
    /// With --fetch: the per-request timeout in seconds.
    #[arg(long, default_value_t = 10)]
    pub timeout: u64,
    /// With --fetch: the total time for all fetches in seconds.
    #[arg(long, default_value_t = 30)]
    pub total_timeout: u64,
}

impl FetchArgs {
    /// The HTTP fetcher when `--fetch` was given (checked flags first: exit 2 on misuse).
    pub fn fetcher(&self) -> Result<Option<eidtrust::pki::fetch::HttpFetcher>, UsageError> {
        use eidtrust::pki::fetch::{self, HttpConfig, HttpFetcher};
        if !self.ocsp_urls.is_empty() && !self.fetch {
            return Err(UsageError::new("--ocsp-url needs --fetch"));
        }
        for u in &self.ocsp_urls {
            if !fetch::is_http_url(u) {
                return Err(UsageError::new(format!("--ocsp-url {u:?}: only http and https URLs are fetched")));
            }
        }
        if self.timeout == 0 || self.total_timeout == 0 {
            return Err(UsageError::new("--timeout and --total-timeout must be at least 1 second"));
        }
        if !self.fetch {
            return Ok(None);
        }
        let cfg = HttpConfig { timeout: std::time::Duration::from_secs(self.timeout), ..HttpConfig::default() };
        HttpFetcher::new(cfg).map(Some).map_err(|e| UsageError::new(format!("--fetch: {e}")))
    }

    pub fn limits(&self) -> eidtrust::pki::fetch::FetchLimits {
        eidtrust::pki::fetch::FetchLimits {
            per_request: std::time::Duration::from_secs(self.timeout),
            total: std::time::Duration::from_secs(self.total_timeout),
            ..Default::default()
        }
    }

    pub fn nonce_mode(&self) -> eidtrust::pki::ocsp::NonceMode {
        use eidtrust::pki::ocsp::NonceMode;
        match self.nonce {
            NonceArg::Off => NonceMode::Off,
            NonceArg::Send => NonceMode::Send,
            NonceArg::Require => NonceMode::Require,
        }
    }
}

/// OCSP response files (`--ocsp-response`): DER, or PEM with any label (RFC 7468). Whether each
/// is usable is decided by the revocation check, which reports it: bytes that are neither are
/// passed on as they are and reported there as a malformed response.
pub fn read_ocsp_responses(files: &[String]) -> Result<Vec<eidtrust::pki::revocation::GivenOcsp>, UsageError> {
    use base64::engine::{general_purpose::GeneralPurpose, DecodePaddingMode, GeneralPurposeConfig};
    use base64::Engine;
    const B64: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    files
        .iter()
        .map(|f| {
            let data = read_input(f)?;
            let pem = std::str::from_utf8(&data).ok().filter(|t| t.contains("-----BEGIN ")).and_then(|t| {
                let b64: String = t
                    .lines()
                    .skip_while(|l| !l.starts_with("-----BEGIN "))
                    .skip(1)
                    .take_while(|l| !l.starts_with("-----END "))
                    .map(str::trim)
                    .collect();
                B64.decode(b64).ok()
            });
            Ok(eidtrust::pki::revocation::GivenOcsp::new(f.clone(), pem.unwrap_or(data)))
        })
        .collect()
}
