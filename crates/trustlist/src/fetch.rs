//! Opt-in fetching of the lists a LOTL points to (ETSI TS 119 612 §5.3.13), with a local cache.
//!
//! Nothing here reaches the network unless the caller passes a [`Fetch`] (which holds a
//! `pki::fetch::FetchSession`: http and https only, a per-request and a total timeout, a count
//! limit, redirects only to http(s)). For each pointer of a LOTL, [`resolve`] decides which list is
//! used and says so ([`ListSource`]):
//!
//! 1. a **local** list given by the caller whose SchemeTerritory (and LOTL-ness) matches the
//!    pointer;
//! 2. else, with fetching on, a **cached** copy: the cache directory holds one file per list,
//!    `<TERRITORY>-<TSLSequenceNumber>.xml`. The copy with the highest sequence number for the
//!    territory is reused without any network access when it still verifies against the
//!    certificates the pointer declares *now* and the evaluation time is before its NextUpdate
//!    (TS 119 612 §5.3.15: until then it is the current list). Otherwise the list is fetched;
//! 3. else the list is **fetched** from `TSLLocation`, capped at [`FetchConfig::max_bytes`],
//!    verified against the pointer's certificates (never its own KeyInfo alone), checked to be of
//!    the pointer's territory and not older (by sequence number) than a cached copy, and then
//!    written to the cache;
//! 4. **failed** (with the reason) or **none** (PDF pointers, the LOTL's pointer to itself,
//!    fetching off).
//!
//! A fetched or cached list is used only if its signature verifies against the pointer.

use crate::findings as f;
use crate::limits;
use crate::model::{OtherTslPointer, TrustedList};
use crate::verify::{self, Anchor, VerifyOutcome};
use pki::fetch::{FetchError, FetchKind, FetchSession};
use report::Finding;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Where the list used for a pointer came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ListSource {
    /// A list file the caller gave.
    Local { file: String },
    /// A copy in the cache directory, reused without fetching.
    Cache { path: String },
    /// Fetched from the pointer's location; `cached_as` is the cache file written, if any.
    Fetched { url: String, cached_as: Option<String> },
    /// Fetching (or the fetched list) failed; nothing is used for this pointer.
    Failed { reason: String },
    /// No list for this pointer: not fetched, with the reason.
    None { reason: String },
}

impl ListSource {
    pub fn kind(&self) -> &'static str {
        match self {
            ListSource::Local { .. } => "local",
            ListSource::Cache { .. } => "cache",
            ListSource::Fetched { .. } => "fetched",
            ListSource::Failed { .. } => "failed",
            ListSource::None { .. } => "none",
        }
    }

    /// One line for people.
    pub fn describe(&self) -> String {
        match self {
            ListSource::Local { file } => format!("local {file}"),
            ListSource::Cache { path } => format!("cache {path}"),
            ListSource::Fetched { url, cached_as: Some(c) } => format!("fetched {url} (cached as {c})"),
            ListSource::Fetched { url, cached_as: None } => format!("fetched {url} (not cached)"),
            ListSource::Failed { reason } => format!("FAILED: {reason}"),
            ListSource::None { reason } => format!("none ({reason})"),
        }
    }
}

/// What [`resolve`] decided for one pointer.
#[derive(Debug, Clone)]
pub struct PointerResult {
    /// Position of the pointer in the LOTL.
    pub index: usize,
    pub territory: String,
    pub location: String,
    pub source: ListSource,
    /// The verification of the list against the pointer's certificates (when a list was read).
    pub verify: Option<VerifyOutcome>,
    /// Fetch and cache findings (the verification findings are in `verify`).
    pub findings: Vec<Finding>,
}

impl PointerResult {
    /// The list, when one was found and its signature verified against the pointer.
    pub fn verified_list(&self) -> Option<&TrustedList> {
        self.verify.as_ref().filter(|o| o.verified()).and_then(|o| o.list.as_ref())
    }

    /// Whether a list was read and verified (`None` when there was no list to verify).
    pub fn verified(&self) -> Option<bool> {
        self.verify.as_ref().map(|o| o.verified())
    }

    /// Fetch/cache findings followed by the verification findings.
    pub fn all_findings(&self) -> Vec<Finding> {
        let mut v = self.findings.clone();
        if let Some(o) = &self.verify {
            v.extend(o.verdict.findings.iter().cloned());
        }
        v
    }
}

/// A list file given by the caller.
#[derive(Debug, Clone)]
pub struct LocalList {
    pub file: String,
    pub bytes: Vec<u8>,
}

/// The configuration of fetching.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// Largest list accepted from the network or the cache: [`limits::MAX_LIST_BYTES`] by default.
    /// (Give the HTTP fetcher the same cap so it stops reading there.)
    pub max_bytes: usize,
    /// The cache directory (created when missing); `None` caches nothing.
    pub cache_dir: Option<PathBuf>,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig { max_bytes: limits::MAX_LIST_BYTES, cache_dir: None }
    }
}

/// Fetching, switched on: a session (bounds and the HTTP fetcher) and the configuration.
pub struct Fetch<'s> {
    pub session: &'s FetchSession<'s>,
    pub config: FetchConfig,
}

/// The fetch kind used for lists. `pki::fetch::FetchKind` has no trusted-list kind; `CaIssuers`
/// is a plain GET with no Accept header, and the HTTP fetcher's cap for it must be set to
/// [`FetchConfig::max_bytes`] (see [`http_config`]).
pub const LIST_FETCH_KIND: FetchKind = FetchKind::CaIssuers;

/// An HTTP configuration for fetching lists: `base` with the size cap of the fetch kind lists use
/// set to `max_bytes`.
pub fn http_config(base: pki::fetch::HttpConfig, max_bytes: usize) -> pki::fetch::HttpConfig {
    pki::fetch::HttpConfig { max_ca_issuers_bytes: max_bytes, ..base }
}

fn is_lotl_pointer(p: &OtherTslPointer) -> bool {
    p.tsl_type.as_deref().is_some_and(|t| t.to_ascii_lowercase().ends_with("listofthelists"))
}

/// The cache key of a territory: its code upper-cased, when it is 1 to 16 ASCII letters or digits
/// (anything else is never used to name a file).
fn cache_key(territory: &str) -> Option<String> {
    let ok = !territory.is_empty() && territory.len() <= 16 && territory.bytes().all(|b| b.is_ascii_alphanumeric());
    ok.then(|| territory.to_ascii_uppercase())
}

/// The cached copies of `key`: (sequence number, path), highest sequence first.
fn cached_copies(dir: &Path, key: &str) -> Vec<(u64, PathBuf)> {
    let Ok(rd) = std::fs::read_dir(dir) else { return Vec::new() };
    let prefix = format!("{key}-");
    let mut v: Vec<(u64, PathBuf)> = rd
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let seq = name.strip_prefix(&prefix)?.strip_suffix(".xml")?.parse().ok()?;
            Some((seq, e.path()))
        })
        .collect();
    v.sort_by_key(|e| std::cmp::Reverse(e.0));
    v
}

/// Reads at most `cap` bytes of a file; `None` when unreadable or larger.
fn read_capped(path: &Path, cap: usize) -> Option<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path).ok()?;
    let mut buf = Vec::new();
    file.take(cap as u64 + 1).read_to_end(&mut buf).ok()?;
    (buf.len() <= cap).then_some(buf)
}

/// Writes `bytes` to `dir/name` through a temporary file and a rename, so that a reader never sees
/// half a list.
fn write_cache(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(name);
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

/// A fetch error as a finding, with the size cap phrased for lists.
fn fetch_finding(e: &FetchError) -> (String, Finding) {
    match e {
        FetchError::TooLarge { url, limit, .. } => {
            let msg = format!("{url} sent more than {limit} bytes, the size cap for a trusted list");
            (msg.clone(), Finding::new(e.finding_id(), report::Severity::Error, msg))
        }
        other => (other.to_string(), other.to_finding()),
    }
}

/// Decides, for each pointer of `lotl`, which list is used (local, cached, fetched) and verifies
/// it against the certificates the pointer declares, at `at` (Unix seconds). With `fetch`
/// `None`, nothing is fetched or read from a cache.
pub fn resolve(lotl: &TrustedList, locals: &[LocalList], fetch: Option<&Fetch<'_>>, at: i64) -> Vec<PointerResult> {
    // Each local list is parsed once: its scheme identity (territory, and whether it is a list
    // of lists) picks the first XML pointer with that identity not yet taken by an earlier local
    // list, and the same parse is verified against that pointer's certificates. A local list
    // whose identity cannot be read, or that no free pointer names, is not used.
    let mut local: Vec<Option<(String, VerifyOutcome)>> = lotl.pointers.iter().map(|_| None).collect();
    for l in locals {
        let mut taken = None;
        let outcome = verify::verify_choosing(&l.bytes, at, |identity| {
            let (territory, tsl_type) = identity.ok_or(())?;
            let is_lotl = tsl_type.to_ascii_lowercase().ends_with("listofthelists");
            let index = lotl
                .pointers
                .iter()
                .enumerate()
                .position(|(i, p)| {
                    local.get(i).is_some_and(Option::is_none)
                        && p.is_xml()
                        && is_lotl_pointer(p) == is_lotl
                        && p.scheme_territory.as_deref().unwrap_or_default().eq_ignore_ascii_case(territory)
                })
                .ok_or(())?;
            taken = Some(index);
            lotl.pointers.get(index).map(Anchor::from_pointer).ok_or(())
        });
        if let (Ok(outcome), Some(index)) = (outcome, taken) {
            if let Some(slot) = local.get_mut(index) {
                *slot = Some((l.file.clone(), outcome));
            }
        }
    }
    lotl.pointers
        .iter()
        .zip(local)
        .enumerate()
        .map(|(index, (p, local))| {
            let territory = p.scheme_territory.clone().unwrap_or_default();
            let is_self = is_lotl_pointer(p);
            let mut r = PointerResult {
                index,
                territory: territory.clone(),
                location: p.location.clone(),
                source: ListSource::None { reason: String::new() },
                verify: None,
                findings: Vec::new(),
            };
            if !p.is_xml() {
                r.source = ListSource::None {
                    reason: format!("not an XML list (MimeType {})", p.mime_type.as_deref().unwrap_or("unknown")),
                };
                return r;
            }
            if let Some((file, outcome)) = local {
                r.verify = Some(outcome);
                r.source = ListSource::Local { file };
                return r;
            }
            let Some(fx) = fetch else {
                r.source = ListSource::None { reason: "no local list; fetching is off (--fetch)".into() };
                return r;
            };
            if is_self {
                r.source = ListSource::None { reason: "the list of the lists itself is not fetched".into() };
                return r;
            }
            fetch_one(p, fx, at, &mut r);
            r
        })
        .collect()
}

fn fetch_one(p: &OtherTslPointer, fx: &Fetch<'_>, at: i64, r: &mut PointerResult) {
    let anchor = Anchor::from_pointer(p);
    let key = cache_key(&r.territory);
    let dir = fx.config.cache_dir.as_deref();
    if dir.is_some() && key.is_none() {
        r.findings.push(Finding::from_def(
            &f::FETCH_CACHE,
            format!("the pointer's territory {:?} cannot name a cache file; the list is not cached", r.territory),
        ));
    }
    // 1. The cache: the highest sequence number that still verifies against the pointer.
    let mut newest_cached: Option<u64> = None;
    if let (Some(dir), Some(key)) = (dir, key.as_deref()) {
        for (seq, path) in cached_copies(dir, key) {
            let shown = path.display().to_string();
            let Some(bytes) = read_capped(&path, fx.config.max_bytes) else {
                r.findings.push(Finding::from_def(
                    &f::FETCH_CACHE,
                    format!("the cached copy {shown} is unreadable or over the size cap; ignored"),
                ));
                continue;
            };
            let o = verify::verify(&bytes, &anchor, at);
            let good = o.verified()
                && o.list
                    .as_ref()
                    .is_some_and(|l| l.sequence_number == seq && l.scheme_territory.eq_ignore_ascii_case(&r.territory));
            if !good {
                r.findings.push(Finding::from_def(
                    &f::FETCH_CACHE,
                    format!(
                        "the cached copy {shown} does not verify against the pointer's certificates (or is not the list its name says); ignored"
                    ),
                ));
                continue;
            }
            let current = o.list.as_ref().and_then(|l| l.next_update.as_ref()).is_some_and(|nu| at < nu.unix);
            if current {
                r.source = ListSource::Cache { path: shown };
                r.verify = Some(o);
                return;
            }
            newest_cached = Some(seq);
            break;
        }
    }
    // 2. The network.
    if !pki::fetch::is_http_url(&p.location) {
        let e = FetchError::UnsupportedScheme { url: p.location.clone() };
        let (reason, finding) = fetch_finding(&e);
        r.findings.push(finding);
        r.source = ListSource::Failed { reason };
        return;
    }
    let bytes = match fx.session.fetch(&p.location, LIST_FETCH_KIND, None) {
        Ok(b) if b.len() > fx.config.max_bytes => {
            let e = FetchError::TooLarge { url: p.location.clone(), kind: "trusted list", limit: fx.config.max_bytes };
            let (reason, finding) = fetch_finding(&e);
            r.findings.push(finding);
            r.source = ListSource::Failed { reason };
            return;
        }
        Ok(b) => b,
        Err(e) => {
            let (reason, finding) = fetch_finding(&e);
            r.findings.push(finding);
            r.source = ListSource::Failed { reason };
            return;
        }
    };
    let o = verify::verify(&bytes, &anchor, at);
    if !o.verified() {
        let why = o
            .verdict
            .findings
            .iter()
            .find(|x| x.severity >= report::Severity::Error)
            .map(|x| x.message.to_string())
            .unwrap_or_else(|| o.verdict.indication.to_string());
        r.findings.push(Finding::from_def(
            &f::FETCH_NOT_VERIFIED,
            format!("the list fetched from {} does not verify against the pointer's certificates: {why}", p.location),
        ));
        r.source = ListSource::Failed { reason: format!("signature not verified against the pointer: {why}") };
        r.verify = Some(o);
        return;
    }
    let (list_territory, seq) =
        o.list.as_ref().map(|l| (l.scheme_territory.clone(), l.sequence_number)).unwrap_or_default();
    if !list_territory.eq_ignore_ascii_case(&r.territory) {
        let msg = format!(
            "the list fetched from {} is the list of {list_territory}, not of the pointer's territory {}",
            p.location, r.territory
        );
        r.findings.push(Finding::from_def(&f::FETCH_TERRITORY, msg.clone()));
        r.source = ListSource::Failed { reason: msg };
        return;
    }
    if let Some(cached) = newest_cached.filter(|c| *c > seq) {
        let msg = format!(
            "the list fetched from {} has sequence number {seq}, lower than the cached copy's {cached}: refused as a rollback",
            p.location
        );
        r.findings.push(Finding::from_def(&f::FETCH_ROLLBACK, msg.clone()));
        r.source = ListSource::Failed { reason: msg };
        return;
    }
    let cached_as = match (dir, key.as_deref()) {
        (Some(dir), Some(key)) => match write_cache(dir, &format!("{key}-{seq}.xml"), &bytes) {
            Ok(path) => Some(path.display().to_string()),
            Err(e) => {
                r.findings.push(Finding::from_def(
                    &f::FETCH_CACHE,
                    format!("the fetched list could not be written to the cache {}: {e}", dir.display()),
                ));
                None
            }
        },
        _ => None,
    };
    r.source = ListSource::Fetched { url: p.location.clone(), cached_as };
    r.verify = Some(o);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_keys_are_safe_file_names() {
        assert_eq!(cache_key("hr").as_deref(), Some("HR"));
        assert_eq!(cache_key("EU").as_deref(), Some("EU"));
        assert_eq!(cache_key("../x"), None);
        assert_eq!(cache_key(""), None);
        assert_eq!(cache_key("a/b"), None);
        assert_eq!(cache_key(&"A".repeat(17)), None);
    }

    #[test]
    fn cached_copies_are_ordered_by_sequence() {
        let dir = std::env::temp_dir().join(format!("tl-cache-order-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for name in ["HR-9.xml", "HR-10.xml", "HR-x.xml", "SI-99.xml", "HR-11.txt"] {
            std::fs::write(dir.join(name), b"x").unwrap();
        }
        let v: Vec<u64> = cached_copies(&dir, "HR").into_iter().map(|(s, _)| s).collect();
        assert_eq!(v, vec![10, 9]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn read_capped_enforces_the_cap() {
        let dir = std::env::temp_dir().join(format!("tl-cache-cap-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("big");
        std::fs::write(&p, vec![b'x'; 100]).unwrap();
        assert!(read_capped(&p, 99).is_none());
        assert_eq!(read_capped(&p, 100).map(|b| b.len()), Some(100));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
