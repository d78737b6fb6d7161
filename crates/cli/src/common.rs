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
