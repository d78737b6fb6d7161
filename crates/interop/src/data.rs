//! Loading the matrix inputs: the profiles of the eleven states, the recognition instruments and
//! each state's sample credentials and CA certificates.
//!
//! By default everything comes from the repository as embedded at build time (`profiles/*.toml`
//! via the profile crate, `profiles/agreements/*.toml` and `test-vectors/<state>/` via this
//! crate's build script). [`Universe::load_dir`] reads the same layout from a directory instead.

use crate::agreement::{self, AgreementError, Instrument, STATES};
use crate::Kind;
use eidtrust::pki::Certificate;
use eidtrust::profile::{self, Profile, ProfileError};
use std::path::{Path, PathBuf};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// Largest sample or certificate file read (1 MiB; the samples are a few KiB).
pub const MAX_SAMPLE_BYTES: u64 = 1024 * 1024;

/// Largest number of agreement files read from a directory (a bound on caller input; the
/// repository ships nine).
pub const MAX_AGREEMENT_FILES: usize = 256;

/// Why the inputs could not be loaded (a caller or installation error, never a verdict).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Profile(#[from] ProfileError),
    #[error(transparent)]
    Agreement(#[from] AgreementError),
    #[error("cannot read {file}: {reason}")]
    Read { file: String, reason: String },
    #[error("{file}: {reason}")]
    Invalid { file: String, reason: String },
    #[error("{file} is over the limit of {limit} bytes")]
    TooLarge { file: String, limit: u64 },
    #[error("{dir} holds more than {MAX_AGREEMENT_FILES} agreement files")]
    TooManyAgreements { dir: String },
}

/// Where the files come from.
#[derive(Debug, Clone)]
pub enum Root {
    /// The repository's files embedded at build time.
    Embedded,
    /// A directory with the repository's layout.
    Dir(PathBuf),
}

impl Root {
    fn read(&self, rel: &str) -> Result<Vec<u8>, LoadError> {
        match self {
            Root::Embedded => {
                embedded::FILES.iter().find(|(p, _)| *p == rel).map(|(_, b)| b.to_vec()).ok_or_else(|| {
                    LoadError::Read { file: rel.to_string(), reason: "not embedded in this build".into() }
                })
            }
            Root::Dir(d) => read_capped(&d.join(rel), MAX_SAMPLE_BYTES),
        }
    }

    fn name(&self, rel: &str) -> String {
        match self {
            Root::Embedded => format!("{rel} (built-in)"),
            Root::Dir(d) => d.join(rel).display().to_string(),
        }
    }
}

fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, LoadError> {
    use std::io::Read;
    let file = path.display().to_string();
    let f = std::fs::File::open(path).map_err(|e| LoadError::Read { file: file.clone(), reason: e.to_string() })?;
    let mut out = Vec::new();
    f.take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| LoadError::Read { file: file.clone(), reason: e.to_string() })?;
    if out.len() as u64 > limit {
        return Err(LoadError::TooLarge { file, limit });
    }
    Ok(out)
}

/// A sample credential.
#[derive(Debug, Clone)]
pub enum Credential {
    Cert { leaf: Box<Certificate>, intermediates: Vec<Certificate> },
    Token(Vec<u8>),
}

/// One sample of an issuer state.
#[derive(Debug, Clone)]
pub struct Sample {
    pub id: String,
    pub kind: Kind,
    /// Path relative to the repository root.
    pub file: String,
    pub expected_valid: bool,
    pub defect: Option<String>,
    /// The identifier as issued (`PNORS-...`, `VATRS-...` or a PID personal_administrative_number).
    pub identifier: String,
    pub credential: Credential,
}

/// Which CA of a state a relying party trusts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// The whole synthetic PKI (the root): the state's own relying parties and foreign anchors.
    Root,
    /// Only the qualified issuing CA: what a trusted list lists (qualified services).
    QualifiedCa,
}

/// One state: its profile, its CAs and its samples.
#[derive(Debug, Clone)]
pub struct StateData {
    pub id: &'static str,
    pub profile: Profile,
    pub root: Certificate,
    pub qualified_ca: Certificate,
    pub ca: Certificate,
    pub samples: Vec<Sample>,
}

impl StateData {
    pub fn country(&self) -> &str {
        &self.profile.country.0
    }
    pub fn eu_member(&self) -> bool {
        self.profile.eu_member
    }
}

/// Everything the matrix reads.
#[derive(Debug, Clone)]
pub struct Universe {
    pub states: Vec<StateData>,
    pub instruments: Vec<Instrument>,
    /// Where the inputs came from, for reports.
    pub origin: String,
}

#[derive(serde::Deserialize)]
struct ManifestIn {
    state: String,
    samples: Vec<SampleIn>,
}

#[derive(serde::Deserialize)]
struct SampleIn {
    id: String,
    kind: Kind,
    file: String,
    #[serde(default)]
    intermediates: Vec<String>,
    expected: String,
    #[serde(default)]
    defect: Option<String>,
    identifier: String,
}

fn cert(root: &Root, rel: &str) -> Result<Certificate, LoadError> {
    let bytes = root.read(rel)?;
    let ders = eidtrust::pki::input::read(&bytes, eidtrust::pki::input::Kind::Certificate)
        .map_err(|e| LoadError::Invalid { file: root.name(rel), reason: format!("{e:?}") })?;
    let der =
        ders.first().ok_or_else(|| LoadError::Invalid { file: root.name(rel), reason: "no certificate".into() })?;
    Certificate::from_der(der).map_err(|e| LoadError::Invalid { file: root.name(rel), reason: e.to_string() })
}

/// Joins `base` (a directory, `/`-separated) and a relative path that may start with `../`.
fn join(base: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for p in rel.split('/') {
        match p {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn load_state(root: &Root, id: &'static str, profile: Profile) -> Result<StateData, LoadError> {
    let base = format!("test-vectors/{id}");
    let root_cert = cert(root, &format!("{base}/ca/root.pem"))?;
    let qualified_ca = cert(root, &format!("{base}/ca/qualified-ca.pem"))?;
    let ca = cert(root, &format!("{base}/ca/ca.pem"))?;
    let mrel = format!("{base}/interop/samples.json");
    let mbytes = root.read(&mrel)?;
    let mut de = serde_json::Deserializer::from_slice(&mbytes);
    let m: ManifestIn = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| LoadError::Invalid { file: root.name(&mrel), reason: e.to_string() })?;
    if m.state != id {
        return Err(LoadError::Invalid {
            file: root.name(&mrel),
            reason: format!("state {:?} is not {id:?}", m.state),
        });
    }
    let dir = format!("{base}/interop");
    let mut samples = Vec::new();
    for s in m.samples {
        let file = join(&dir, &s.file);
        let credential = if s.kind == Kind::Pid {
            Credential::Token(root.read(&file)?)
        } else {
            let leaf = cert(root, &file)?;
            let mut intermediates = Vec::new();
            for i in &s.intermediates {
                intermediates.push(cert(root, &join(&dir, i))?);
            }
            Credential::Cert { leaf: Box::new(leaf), intermediates }
        };
        let expected_valid = match s.expected.as_str() {
            "valid" => true,
            "invalid" => false,
            other => {
                return Err(LoadError::Invalid {
                    file: root.name(&mrel),
                    reason: format!("sample {}: expected {other:?} is not valid or invalid", s.id),
                })
            }
        };
        samples.push(Sample {
            id: s.id,
            kind: s.kind,
            file,
            expected_valid,
            defect: s.defect,
            identifier: s.identifier,
            credential,
        });
    }
    Ok(StateData { id, profile, root: root_cert, qualified_ca, ca, samples })
}

impl Universe {
    /// The repository's data as embedded at build time.
    pub fn embedded() -> Result<Universe, LoadError> {
        let mut instruments = Vec::new();
        for (path, bytes) in embedded::FILES.iter().filter(|(p, _)| p.starts_with("profiles/agreements/")) {
            if !path.ends_with(".toml") {
                continue;
            }
            let text = String::from_utf8_lossy(bytes);
            instruments.push(agreement::parse_str(&text, &format!("{path} (built-in)"))?);
        }
        let mut states = Vec::new();
        for id in STATES {
            states.push(load_state(&Root::Embedded, id, profile::builtin(id)?)?);
        }
        Self::finish(states, instruments, "built-in data (profiles/, test-vectors/ of this build)".into())
    }

    /// The same layout read from `dir`: `dir/profiles/<state>.toml`, `dir/profiles/agreements/*.toml`
    /// and `dir/test-vectors/<state>/`.
    pub fn load_dir(dir: &Path) -> Result<Universe, LoadError> {
        let root = Root::Dir(dir.to_path_buf());
        let adir = dir.join("profiles/agreements");
        let rd = std::fs::read_dir(&adir)
            .map_err(|e| LoadError::Read { file: adir.display().to_string(), reason: e.to_string() })?;
        let mut paths: Vec<PathBuf> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        if paths.len() > MAX_AGREEMENT_FILES {
            return Err(LoadError::TooManyAgreements { dir: adir.display().to_string() });
        }
        paths.sort();
        let mut instruments = Vec::new();
        for p in paths {
            let bytes = read_capped(&p, agreement::MAX_AGREEMENT_BYTES as u64)?;
            let text = String::from_utf8(bytes)
                .map_err(|_| LoadError::Invalid { file: p.display().to_string(), reason: "not UTF-8 text".into() })?;
            instruments.push(agreement::parse_str(&text, &p.display().to_string())?);
        }
        let mut states = Vec::new();
        for id in STATES {
            let p = profile::load_file(&dir.join(format!("profiles/{id}.toml")))?;
            states.push(load_state(&root, id, p)?);
        }
        Self::finish(states, instruments, dir.display().to_string())
    }

    fn finish(states: Vec<StateData>, instruments: Vec<Instrument>, origin: String) -> Result<Universe, LoadError> {
        for (n, i) in instruments.iter().enumerate() {
            if instruments.iter().take(n).any(|j| j.id == i.id) {
                return Err(LoadError::Invalid { file: i.id.clone(), reason: "duplicate instrument id".into() });
            }
        }
        Ok(Universe { states, instruments, origin })
    }

    pub fn state(&self, id: &str) -> Option<&StateData> {
        self.states.iter().find(|s| s.id == id)
    }

    pub fn index(&self, id: &str) -> Option<usize> {
        self.states.iter().position(|s| s.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_resolves_parent_segments() {
        assert_eq!(join("test-vectors/rs/interop", "../ca/ca.pem"), "test-vectors/rs/ca/ca.pem");
        assert_eq!(join("test-vectors/rs/interop", "auth/01.pem"), "test-vectors/rs/interop/auth/01.pem");
    }

    #[test]
    fn the_embedded_data_loads() {
        let u = Universe::embedded().unwrap();
        assert_eq!(u.states.len(), 11);
        assert_eq!(u.instruments.len(), 9);
        for s in &u.states {
            assert_eq!(s.samples.len(), 50, "{}", s.id);
        }
    }

    #[test]
    fn the_agreement_file_count_is_bounded() {
        let d = std::env::temp_dir().join(format!("eidtrust-interop-many-{}", std::process::id()));
        let a = d.join("profiles/agreements");
        std::fs::create_dir_all(&a).unwrap();
        for i in 0..=MAX_AGREEMENT_FILES {
            std::fs::write(a.join(format!("a{i}.toml")), "").unwrap();
        }
        assert!(matches!(Universe::load_dir(&d), Err(LoadError::TooManyAgreements { .. })));
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn read_capped_enforces_its_limit() {
        let p = std::env::temp_dir().join(format!("eidtrust-interop-cap-{}", std::process::id()));
        std::fs::write(&p, vec![b'a'; 11]).unwrap();
        assert!(matches!(read_capped(&p, 10), Err(LoadError::TooLarge { .. })));
        assert_eq!(read_capped(&p, 11).unwrap().len(), 11);
        let _ = std::fs::remove_file(&p);
    }
}
