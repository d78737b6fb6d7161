//! Synthetic national PKIs for eidtrust's tests — a dev/test tool, never a runtime dependency.
//!
//! For every state of the toolkit's profiles (rs, me, mk, al, ba, xk, hr, si, bg, ro, el) and an EU
//! test TSP, [`vectors::generate`] builds a root, a qualified and an ordinary issuing CA, leaves of
//! every certificate type with national identifiers and ETSI QCStatements, revoked and expired
//! variants, CRLs, and variants broken in exactly one way, plus a `manifest.json` of expected
//! outcomes per state (schema: docs/test-vectors.md). Everything is deterministic: keys come from
//! labels ([`keys::TestKey::derive`]), signatures are RFC 6979 ECDSA, serials and times are fixed,
//! so regenerating gives the same bytes and a test can diff against `test-vectors/`.
//!
//! Later issues build on the library API: [`pki::StatePki`] gives every CA with its key (to sign
//! trusted lists, OCSP responses or PID credentials), [`pki::LeafSpec`] / [`x509::CertTemplate`]
//! describe certificates field by field, and [`keys::TestKey`] signs JWS (raw r||s) as well as DER.
#![forbid(unsafe_code)]

pub mod der;
pub mod etsi;
pub mod expected;
pub mod ids;
pub mod interop;
pub mod keys;
pub mod ocsp_server;
pub mod pki;
pub mod states;
pub mod tl;
pub mod tokens;
pub mod vectors;
pub mod x509;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Why writing or checking the vectors failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot serialise a manifest: {0}")]
    Manifest(#[from] serde_json::Error),
}

/// Every generated file: path relative to the output directory -> bytes.
pub fn generate_files() -> Result<BTreeMap<String, Vec<u8>>, Error> {
    let mut files = vectors::generate().finish()?;
    interop::generate(&mut files)?;
    files.extend(tl::files()?);
    tokens::generate(&mut files)?;
    Ok(files)
}

/// Write every generated file under `dir` (created if missing). Files already there and not
/// generated are left alone; [`compare_dir`] reports them.
pub fn write_dir(dir: &Path) -> Result<usize, Error> {
    let files = generate_files()?;
    for (rel, bytes) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Write { path: parent.to_path_buf(), source })?;
        }
        std::fs::write(&path, bytes).map_err(|source| Error::Write { path: path.clone(), source })?;
    }
    Ok(files.len())
}

/// One difference between a directory and freshly generated vectors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    /// Generated but absent from the directory.
    Missing(String),
    /// Present in the directory but not generated (stale).
    Extra(String),
    /// Present in both with different bytes.
    Differs(String),
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drift::Missing(p) => write!(f, "missing: {p} (generated, not in the directory)"),
            Drift::Extra(p) => write!(f, "extra: {p} (in the directory, not generated)"),
            Drift::Differs(p) => write!(f, "differs: {p}"),
        }
    }
}

/// Compare `dir` with `files` byte for byte, both ways. Hidden files (`.gitkeep`...) are ignored.
pub fn compare_dir(dir: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<Vec<Drift>, Error> {
    let mut on_disk = BTreeMap::new();
    collect(dir, dir, &mut on_disk)?;
    let mut drift = Vec::new();
    for (rel, bytes) in files {
        match on_disk.get(rel) {
            None => drift.push(Drift::Missing(rel.clone())),
            Some(path) => {
                let have = std::fs::read(path).map_err(|source| Error::Read { path: path.clone(), source })?;
                if &have != bytes {
                    drift.push(Drift::Differs(rel.clone()));
                }
            }
        }
    }
    for rel in on_disk.keys() {
        if !files.contains_key(rel) {
            drift.push(Drift::Extra(rel.clone()));
        }
    }
    Ok(drift)
}

fn collect(root: &Path, dir: &Path, out: &mut BTreeMap<String, PathBuf>) -> Result<(), Error> {
    let rd = std::fs::read_dir(dir).map_err(|source| Error::Read { path: dir.to_path_buf(), source })?;
    for entry in rd {
        let entry = entry.map_err(|source| Error::Read { path: dir.to_path_buf(), source })?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect(root, &path, out)?;
        } else if let Ok(rel) = path.strip_prefix(root) {
            let rel =
                rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/");
            out.insert(rel, path);
        }
    }
    Ok(())
}

/// The finding catalogue of this crate: empty, because testpki validates nothing — it only
/// produces material. Kept so every crate answers the same question the same way.
pub mod findings {
    pub static CATALOGUE: &[report::FindingDef] = &[];
}
