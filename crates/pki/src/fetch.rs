//! Opt-in fetching of revocation data and missing issuers: OCSP responders (RFC 6960
//! Appendix A), CRL distribution points (RFC 5280 §4.2.1.13) and AIA caIssuers (§4.2.2.1).
//!
//! The library never reaches the network on its own: everything goes through the [`Fetcher`]
//! trait, whose default ([`Offline`]) refuses. An embedding service supplies its own fetcher or
//! the reqwest-based [`HttpFetcher`] (cargo feature `fetch`; without it, `HttpFetcher::new`
//! returns [`FetchError::NotCompiled`]).
//!
//! - [`FetchSession`] bounds one validation: at most [`FetchLimits::max_fetches`] fetches and
//!   [`FetchLimits::total`] time in all, each request at most [`FetchLimits::per_request`]; a
//!   chain whose every URL stalls therefore finishes within the total timeout.
//! - [`CachingFetcher`] keeps CRLs and OCSP responses until their nextUpdate (and AIA
//!   certificates for a configured time), reading the time from a [`Clock`] the caller gives.
//! - [`HttpFetcher`] allows only http and https, caps the body size per kind, follows at most 3
//!   redirects and only to http(s), and uses no proxy unless asked.

use crate::cert::Certificate;
use crate::crl::Crl;
use crate::name::GeneralName;
use report::{FindingDef, Severity};
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What is fetched; decides the HTTP method, the media types and the size cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FetchKind {
    /// An OCSP request POSTed to a responder (RFC 6960 Appendix A.1).
    Ocsp,
    /// A CRL from a distribution point (RFC 5280 §4.2.1.13: DER, `application/pkix-crl`).
    Crl,
    /// A certificate from an AIA caIssuers URL (RFC 5280 §4.2.2.1).
    CaIssuers,
}

impl FetchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FetchKind::Ocsp => "OCSP response",
            FetchKind::Crl => "CRL",
            FetchKind::CaIssuers => "caIssuers certificate",
        }
    }
}

/// One fetch.
#[derive(Debug, Clone, Copy)]
pub struct FetchRequest<'a> {
    pub url: &'a str,
    pub kind: FetchKind,
    /// The body to POST (OCSP requests); `None` for a GET.
    pub body: Option<&'a [u8]>,
    /// The longest this fetch may take (what is left of the session's total time, at most the
    /// per-request timeout). Implementations must respect it.
    pub timeout: Duration,
}

/// Why a fetch gave nothing. Display names the URL and the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("fetching is off (offline by default); {url} was not fetched")]
    Offline { url: String },
    #[error("{url}: only http and https URLs are fetched")]
    UnsupportedScheme { url: String },
    #[error("{url} is not a usable URL: {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error("{url} did not answer within {} ms", after.as_millis())]
    Timeout { url: String, after: Duration },
    #[error("{url} sent more than {limit} bytes for a {kind}")]
    TooLarge { url: String, kind: &'static str, limit: usize },
    #[error("{url} answered HTTP {status}")]
    HttpStatus { url: String, status: u16 },
    #[error("{url}: redirect refused: {reason}")]
    Redirect { url: String, reason: String },
    #[error("{url} could not be reached: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("the limit of {limit} fetches per validation is spent")]
    FetchLimit { limit: u32 },
    #[error("the total fetch time of {} ms per validation is spent", limit.as_millis())]
    TotalTimeout { limit: Duration },
    #[error("this build has no HTTP fetcher (enable the `fetch` feature of eidtrust-pki)")]
    NotCompiled,
}

impl FetchError {
    /// The stable finding id of this error.
    pub fn finding_id(&self) -> &'static str {
        match self {
            FetchError::Offline { .. } => "fetch.offline",
            FetchError::UnsupportedScheme { .. } | FetchError::InvalidUrl { .. } => "fetch.url-refused",
            FetchError::Timeout { .. } => "fetch.timeout",
            FetchError::TooLarge { .. } => "fetch.too-large",
            FetchError::HttpStatus { .. } => "fetch.http-status",
            FetchError::Redirect { .. } => "fetch.redirect-refused",
            FetchError::Unreachable { .. } => "fetch.unreachable",
            FetchError::FetchLimit { .. } => "fetch.count-limit",
            FetchError::TotalTimeout { .. } => "fetch.total-timeout",
            FetchError::NotCompiled => "fetch.not-compiled",
        }
    }

    /// This error as a finding (severity from [`FINDINGS`]).
    pub fn to_finding(&self) -> report::Finding {
        let id = self.finding_id();
        let d = FINDINGS.iter().find(|d| d.id == id);
        report::Finding::new(
            id,
            d.map(|d| d.severity).unwrap_or(Severity::Error),
            format!("{self} ({})", d.map(|d| d.citation).unwrap_or("limit of this fetcher")),
        )
    }
}

finding_list! {
    "The finding ids of fetching, merged into [`crate::findings`]'s catalogue.";
    "fetch.offline", Error, "ARCHITECTURE: nothing reads the network unless the caller asks", "Revocation data was needed but fetching is off.";
    "fetch.url-refused", Error, "RFC 5280 §4.2.1.13, §4.2.2.1 (http URIs); limit of this fetcher", "The URL is not an http(s) URL this fetcher may use.";
    "fetch.timeout", Error, "limit of this fetcher (per-request timeout)", "The server did not answer within the per-request timeout.";
    "fetch.too-large", Error, "limit of this fetcher (size caps per kind)", "The server sent more bytes than the cap for this kind of object.";
    "fetch.http-status", Error, "RFC 6960 Appendix A.2; RFC 9110 §15", "The server answered with an HTTP status other than 200.";
    "fetch.redirect-refused", Error, "limit of this fetcher (at most 3 redirects, only to http(s))", "A redirect went to a non-HTTP scheme or past the redirect limit.";
    "fetch.unreachable", Error, "ETSI EN 319 102-1 §5.2.5", "The server could not be reached.";
    "fetch.count-limit", Error, "limit of this fetcher (fetches per validation)", "The number of fetches allowed for one validation is spent.";
    "fetch.total-timeout", Error, "limit of this fetcher (total time per validation)", "The total fetch time allowed for one validation is spent.";
    "fetch.ca-issuers-malformed", Warning, "RFC 5280 §4.2.2.1", "A caIssuers URL gave something other than a DER or PEM certificate.";
    "fetch.not-compiled", Error, "cargo feature `fetch` of eidtrust-pki", "Fetching was asked for but this build has no HTTP fetcher.";
}

/// Fetches bytes for a URL. Implementations must respect [`FetchRequest::timeout`] and refuse
/// what they will not fetch with a [`FetchError`]; they must not panic.
pub trait Fetcher: Send + Sync {
    fn fetch(&self, req: &FetchRequest<'_>) -> Result<Vec<u8>, FetchError>;
}

impl<F: Fetcher + ?Sized> Fetcher for Arc<F> {
    fn fetch(&self, req: &FetchRequest<'_>) -> Result<Vec<u8>, FetchError> {
        (**self).fetch(req)
    }
}

impl<F: Fetcher + ?Sized> Fetcher for &F {
    fn fetch(&self, req: &FetchRequest<'_>) -> Result<Vec<u8>, FetchError> {
        (**self).fetch(req)
    }
}

/// The default fetcher: refuses every fetch (offline by default).
#[derive(Debug, Default, Clone, Copy)]
pub struct Offline;

impl Fetcher for Offline {
    fn fetch(&self, req: &FetchRequest<'_>) -> Result<Vec<u8>, FetchError> {
        Err(FetchError::Offline { url: req.url.to_string() })
    }
}

/// The bounds of one validation's fetching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FetchLimits {
    /// Fetches per validation: 10, an OCSP request and a CRL for each of the four non-anchor
    /// certificates of the deepest eIDAS hierarchies (see [`crate::budget::Limits`]) plus two
    /// caIssuers fetches for missing intermediates.
    pub max_fetches: u32,
    /// The longest one fetch may take: 10 s, Firefox's hard-fail OCSP timeout
    /// (`security.OCSP.timeoutMilliseconds.hard`).
    pub per_request: Duration,
    /// The longest all fetches of one validation may take together: 30 s, three stalled
    /// requests at the per-request timeout.
    pub total: Duration,
}

impl Default for FetchLimits {
    fn default() -> Self {
        FetchLimits { max_fetches: 10, per_request: Duration::from_secs(10), total: Duration::from_secs(30) }
    }
}

/// The fetching of one validation: counts fetches and watches the total time (a monotonic
/// clock, started when the session is made — which only a caller that asked for fetching does).
pub struct FetchSession<'f> {
    fetcher: &'f dyn Fetcher,
    limits: FetchLimits,
    used: AtomicU32,
    started: Instant,
}

impl<'f> FetchSession<'f> {
    pub fn new(fetcher: &'f dyn Fetcher, limits: FetchLimits) -> Self {
        FetchSession { fetcher, limits, used: AtomicU32::new(0), started: Instant::now() }
    }

    pub fn limits(&self) -> FetchLimits {
        self.limits
    }

    /// Fetches made so far.
    pub fn used(&self) -> u32 {
        self.used.load(Ordering::Relaxed)
    }

    /// One fetch within the session's bounds.
    pub fn fetch(&self, url: &str, kind: FetchKind, body: Option<&[u8]>) -> Result<Vec<u8>, FetchError> {
        let n = self.used.fetch_add(1, Ordering::Relaxed);
        if n >= self.limits.max_fetches {
            self.used.store(self.limits.max_fetches, Ordering::Relaxed);
            return Err(FetchError::FetchLimit { limit: self.limits.max_fetches });
        }
        let left = self.limits.total.saturating_sub(self.started.elapsed());
        if left.is_zero() {
            return Err(FetchError::TotalTimeout { limit: self.limits.total });
        }
        let timeout = left.min(self.limits.per_request);
        match self.fetcher.fetch(&FetchRequest { url, kind, body, timeout }) {
            Err(FetchError::Timeout { .. }) if timeout < self.limits.per_request => {
                Err(FetchError::TotalTimeout { limit: self.limits.total })
            }
            other => other,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Caching
// ---------------------------------------------------------------------------------------------

/// The source of "now" (Unix seconds) for whatever the caller lets read the time: a cache, a live
/// TLS verifier. Time is an input: tests and "as of" runs use [`FixedClock`]; a service that
/// chooses the real time passes [`SystemClock`].
pub trait Clock: std::fmt::Debug + Send + Sync {
    fn now(&self) -> i64;
}

/// The system clock (read only by a caller that chose it).
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
            .unwrap_or(0)
    }
}

/// A clock set by hand.
#[derive(Debug, Default)]
pub struct FixedClock(AtomicI64);

impl FixedClock {
    pub fn new(t: i64) -> Self {
        FixedClock(AtomicI64::new(t))
    }
    pub fn set(&self, t: i64) {
        self.0.store(t, Ordering::Relaxed);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// The bounds of a [`CachingFetcher`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheLimits {
    /// Entries kept: 1,024 (a service's working set of CAs and responders; own bound).
    pub max_entries: usize,
    /// Bytes kept in all: 64 MiB, four of the largest CRLs accepted ([`crate::crl::MAX_CRL_BYTES`]).
    pub max_bytes: usize,
    /// How long a caIssuers certificate is kept (they have no nextUpdate): 1 day, and never past
    /// the certificate's notAfter.
    pub ca_issuers_ttl: i64,
}

impl Default for CacheLimits {
    fn default() -> Self {
        CacheLimits { max_entries: 1024, max_bytes: 64 * 1024 * 1024, ca_issuers_ttl: 86_400 }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    kind: FetchKind,
    url: String,
    body: Option<Vec<u8>>,
}

#[derive(Debug, Clone)]
struct Entry {
    bytes: Vec<u8>,
    until: i64,
}

/// Counters of a [`CachingFetcher`].
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
    /// Responses not cached because they carry no nextUpdate, do not parse, or are too big.
    pub uncacheable: u64,
}

/// A cache in front of a fetcher. A CRL is kept until its nextUpdate, an OCSP response until the
/// earliest nextUpdate of its SingleResponses, a caIssuers certificate for
/// [`CacheLimits::ca_issuers_ttl`]; what has no nextUpdate (or does not parse) is not kept.
/// Keys are (kind, URL, request body): an OCSP request with a fresh nonce is never served from
/// the cache.
pub struct CachingFetcher<F> {
    inner: F,
    clock: Arc<dyn Clock>,
    limits: CacheLimits,
    state: Mutex<(HashMap<Key, Entry>, CacheStats)>,
}

impl<F: Fetcher> CachingFetcher<F> {
    pub fn new(inner: F, clock: Arc<dyn Clock>) -> Self {
        Self::with_limits(inner, clock, CacheLimits::default())
    }

    pub fn with_limits(inner: F, clock: Arc<dyn Clock>, limits: CacheLimits) -> Self {
        CachingFetcher { inner, clock, limits, state: Mutex::new((HashMap::new(), CacheStats::default())) }
    }

    pub fn stats(&self) -> CacheStats {
        self.state.lock().map(|s| s.1).unwrap_or_default()
    }

    /// Entries currently held.
    pub fn len(&self) -> usize {
        self.state.lock().map(|s| s.0.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drops every entry for `url`.
    pub fn invalidate(&self, url: &str) {
        if let Ok(mut s) = self.state.lock() {
            s.0.retain(|k, _| k.url != url);
        }
    }

    fn until(&self, kind: FetchKind, bytes: &[u8], now: i64) -> Option<i64> {
        match kind {
            FetchKind::Crl => Crl::from_der(bytes).ok()?.next_update,
            FetchKind::Ocsp => crate::ocsp::OcspResponse::from_der(bytes).ok()?.next_update(),
            FetchKind::CaIssuers => {
                let ttl = now.saturating_add(self.limits.ca_issuers_ttl);
                match Certificate::from_der(bytes) {
                    Ok(c) => Some(ttl.min(c.not_after)),
                    Err(_) => Some(ttl),
                }
            }
        }
    }
}

impl<F: Fetcher> Fetcher for CachingFetcher<F> {
    fn fetch(&self, req: &FetchRequest<'_>) -> Result<Vec<u8>, FetchError> {
        let key = Key { kind: req.kind, url: req.url.to_string(), body: req.body.map(<[u8]>::to_vec) };
        let now = self.clock.now();
        if let Ok(mut s) = self.state.lock() {
            let fresh = s.0.get(&key).filter(|e| now < e.until).map(|e| e.bytes.clone());
            match fresh {
                Some(b) => {
                    s.1.hits += 1;
                    return Ok(b);
                }
                None => {
                    s.0.remove(&key);
                    s.1.misses += 1;
                }
            }
        }
        let bytes = self.inner.fetch(req)?;
        let until = self.until(req.kind, &bytes, now).filter(|u| *u > now);
        if let Ok(mut s) = self.state.lock() {
            let (map, stats) = &mut *s;
            match until {
                Some(until) if bytes.len() <= self.limits.max_bytes => {
                    // Make room: drop expired entries, then those expiring soonest.
                    map.retain(|_, e| now < e.until);
                    let mut total: usize = map.values().map(|e| e.bytes.len()).sum();
                    while !map.is_empty()
                        && (map.len() >= self.limits.max_entries || total + bytes.len() > self.limits.max_bytes)
                    {
                        let Some(k) = map.iter().min_by_key(|(_, e)| e.until).map(|(k, _)| k.clone()) else { break };
                        if let Some(e) = map.remove(&k) {
                            total = total.saturating_sub(e.bytes.len());
                        }
                    }
                    if self.limits.max_entries > 0 {
                        map.insert(key, Entry { bytes: bytes.clone(), until });
                    }
                }
                _ => stats.uncacheable += 1,
            }
        }
        Ok(bytes)
    }
}

// ---------------------------------------------------------------------------------------------
// URLs named in certificates
// ---------------------------------------------------------------------------------------------

/// Whether `url` is an http or https URL (the only schemes fetched).
pub fn is_http_url(url: &str) -> bool {
    let lower = url.get(..8).map(str::to_ascii_lowercase).unwrap_or_default();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The full-name URIs of `cert`'s cRLDistributionPoints, in order (RFC 5280 §4.2.1.13).
pub fn crl_urls(cert: &Certificate) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(dps) = &cert.extensions.crl_distribution_points {
        for dp in &dps.value {
            if let Some(crate::cert::DistributionPointName::FullName(names)) = &dp.name {
                for n in names {
                    if let GeneralName::Uri(u) = n {
                        out.push(u.clone());
                    }
                }
            }
        }
    }
    out
}

/// The caIssuers URIs of `cert`'s authorityInfoAccess, in order (RFC 5280 §4.2.2.1).
pub fn ca_issuers_urls(cert: &Certificate) -> Vec<String> {
    cert.extensions
        .authority_info_access
        .as_ref()
        .map(|a| {
            a.value
                .iter()
                .filter(|d| d.method == "1.3.6.1.5.5.7.48.2")
                .filter_map(|d| match &d.location {
                    GeneralName::Uri(u) => Some(u.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Fetches the CRLs of `cert`'s http(s) distribution points. Returns the CRLs that parse and a
/// finding for each URL that gave none (LDAP and other schemes are skipped with a finding).
pub fn fetch_crls(cert: &Certificate, session: &FetchSession<'_>) -> (Vec<Crl>, Vec<report::Finding>) {
    let mut crls = Vec::new();
    let mut findings = Vec::new();
    for url in crl_urls(cert) {
        if !is_http_url(&url) {
            findings.push(FetchError::UnsupportedScheme { url }.to_finding());
            continue;
        }
        match session.fetch(&url, FetchKind::Crl, None) {
            Ok(bytes) => match Crl::from_der(&bytes) {
                Ok(c) => crls.push(c),
                Err(e) => findings.push(report::Finding::new(
                    e.finding_id(),
                    Severity::Error,
                    format!("the CRL from {url} for {} is malformed: {e}", cert.label()),
                )),
            },
            Err(e) => findings.push(e.to_finding()),
        }
    }
    (crls, findings)
}

/// The most certificates read from one caIssuers response: 16 (a CA's certificate with its
/// cross-certificates; own bound).
pub const MAX_CA_ISSUERS_CERTS: usize = 16;

/// The certificates of a caIssuers response: a DER certificate (RFC 5280 §4.2.2.1), a DER
/// "certs-only" CMS SignedData (`.p7c`), or PEM certificates.
fn certificates_of(bytes: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    match crate::ocsp::certs_only_cms(bytes, MAX_CA_ISSUERS_CERTS) {
        Ok(v) => return Ok(v),
        Err(e @ crate::ocsp::OcspError::TooMany { .. }) => return Err(format!("a CMS bundle: {e}")),
        Err(_) => {}
    }
    let v = crate::input::read(bytes, crate::input::Kind::Certificate).map_err(|e| e.to_string())?;
    if v.len() > MAX_CA_ISSUERS_CERTS {
        return Err(format!("more than {MAX_CA_ISSUERS_CERTS} certificates"));
    }
    Ok(v)
}

/// Fetches the certificates named by `cert`'s AIA caIssuers URLs: a DER certificate, a DER
/// certs-only CMS bundle (`.p7c`) or PEM; at most [`MAX_CA_ISSUERS_CERTS`] per URL.
pub fn fetch_ca_issuers(cert: &Certificate, session: &FetchSession<'_>) -> (Vec<Certificate>, Vec<report::Finding>) {
    let mut out = Vec::new();
    let mut findings = Vec::new();
    for url in ca_issuers_urls(cert) {
        if !is_http_url(&url) {
            findings.push(FetchError::UnsupportedScheme { url }.to_finding());
            continue;
        }
        match session.fetch(&url, FetchKind::CaIssuers, None) {
            Ok(bytes) => match certificates_of(&bytes) {
                Ok(ders) => {
                    for der in ders {
                        match Certificate::from_der(&der) {
                            Ok(c) => out.push(c),
                            Err(e) => findings.push(report::Finding::new(
                                "fetch.ca-issuers-malformed",
                                Severity::Warning,
                                format!("the caIssuers certificate from {url} is malformed: {e}"),
                            )),
                        }
                    }
                }
                Err(e) => findings.push(report::Finding::new(
                    "fetch.ca-issuers-malformed",
                    Severity::Warning,
                    format!("{url} did not give a certificate: {e}"),
                )),
            },
            Err(e) => findings.push(e.to_finding()),
        }
    }
    (out, findings)
}

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

/// Whether the HTTP fetcher uses the proxies named by the environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyPolicy {
    /// Connect directly (the default: no environment variable changes where requests go).
    Direct,
    /// Permissive: use `HTTP_PROXY`/`HTTPS_PROXY`/`NO_PROXY` from the environment.
    AllowSystemProxy,
}

/// The configuration of [`HttpFetcher`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpConfig {
    /// Connect timeout and the per-request timeout when the request carries none (10 s, as
    /// [`FetchLimits::per_request`]).
    pub timeout: Duration,
    /// Cap on an OCSP response: [`crate::ocsp::MAX_RESPONSE_BYTES`].
    pub max_ocsp_bytes: usize,
    /// Cap on a CRL: [`crate::crl::MAX_CRL_BYTES`].
    pub max_crl_bytes: usize,
    /// Cap on a caIssuers object: 1 MiB (a certificate is at most [`crate::cert::MAX_CERT_BYTES`];
    /// a PKCS#7 bundle of a few).
    pub max_ca_issuers_bytes: usize,
    /// Redirects followed: 3 (only to http or https).
    pub max_redirects: usize,
    pub proxy: ProxyPolicy,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            timeout: Duration::from_secs(10),
            max_ocsp_bytes: crate::ocsp::MAX_RESPONSE_BYTES,
            max_crl_bytes: crate::crl::MAX_CRL_BYTES,
            max_ca_issuers_bytes: 1024 * 1024,
            max_redirects: 3,
            proxy: ProxyPolicy::Direct,
        }
    }
}

impl HttpConfig {
    #[cfg_attr(not(feature = "fetch"), allow(dead_code))]
    fn cap(&self, kind: FetchKind) -> usize {
        match kind {
            FetchKind::Ocsp => self.max_ocsp_bytes,
            FetchKind::Crl => self.max_crl_bytes,
            FetchKind::CaIssuers => self.max_ca_issuers_bytes,
        }
    }
}

/// An HTTP(S) fetcher on reqwest's blocking client with rustls (cargo feature `fetch`).
pub struct HttpFetcher {
    config: HttpConfig,
    #[cfg(feature = "fetch")]
    client: reqwest::blocking::Client,
}

impl std::fmt::Debug for HttpFetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpFetcher").field("config", &self.config).finish()
    }
}

impl HttpFetcher {
    /// The fetcher; [`FetchError::NotCompiled`] when the crate was built without `fetch`.
    pub fn new(config: HttpConfig) -> Result<HttpFetcher, FetchError> {
        #[cfg(feature = "fetch")]
        {
            let max = config.max_redirects;
            let policy = reqwest::redirect::Policy::custom(move |attempt| {
                let scheme = attempt.url().scheme().to_ascii_lowercase();
                if scheme != "http" && scheme != "https" {
                    let to = attempt.url().to_string();
                    attempt.error(format!("redirect to the non-HTTP URL {to}"))
                } else if attempt.previous().len() > max {
                    attempt.error(format!("more than {max} redirects"))
                } else {
                    attempt.follow()
                }
            });
            let mut b = reqwest::blocking::Client::builder()
                .redirect(policy)
                .connect_timeout(config.timeout)
                .timeout(config.timeout)
                .user_agent(concat!("eidtrust/", env!("CARGO_PKG_VERSION")));
            if config.proxy == ProxyPolicy::Direct {
                b = b.no_proxy();
            }
            let client = b
                .build()
                .map_err(|e| FetchError::Unreachable { url: String::new(), reason: format!("HTTP client: {e}") })?;
            Ok(HttpFetcher { config, client })
        }
        #[cfg(not(feature = "fetch"))]
        {
            let _ = config;
            Err(FetchError::NotCompiled)
        }
    }

    pub fn config(&self) -> &HttpConfig {
        &self.config
    }
}

#[cfg(feature = "fetch")]
fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(c) = src {
        let m = c.to_string();
        if !s.contains(&m) {
            s.push_str(": ");
            s.push_str(&m);
        }
        src = c.source();
    }
    s
}

#[cfg(feature = "fetch")]
fn is_timeout(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(e);
    while let Some(c) = cur {
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::TimedOut {
                return true;
            }
        }
        if let Some(r) = c.downcast_ref::<reqwest::Error>() {
            if r.is_timeout() {
                return true;
            }
        }
        cur = c.source();
    }
    false
}

impl Fetcher for HttpFetcher {
    #[cfg(not(feature = "fetch"))]
    fn fetch(&self, _req: &FetchRequest<'_>) -> Result<Vec<u8>, FetchError> {
        Err(FetchError::NotCompiled)
    }

    #[cfg(feature = "fetch")]
    fn fetch(&self, req: &FetchRequest<'_>) -> Result<Vec<u8>, FetchError> {
        use std::io::Read;
        let url = req.url.to_string();
        if !is_http_url(req.url) {
            return Err(FetchError::UnsupportedScheme { url });
        }
        let parsed = reqwest::Url::parse(req.url)
            .map_err(|e| FetchError::InvalidUrl { url: url.clone(), reason: e.to_string() })?;
        let timeout = if req.timeout.is_zero() { self.config.timeout } else { req.timeout.min(self.config.timeout) };
        let cap = self.config.cap(req.kind);
        let rb = match (req.kind, req.body) {
            (_, Some(body)) => self
                .client
                .post(parsed)
                .header("Content-Type", "application/ocsp-request")
                .header("Accept", "application/ocsp-response")
                .body(body.to_vec()),
            (FetchKind::Crl, None) => self.client.get(parsed).header("Accept", "application/pkix-crl"),
            (_, None) => self.client.get(parsed),
        };
        let map_err = |e: reqwest::Error| {
            if e.is_timeout() || is_timeout(&e) {
                FetchError::Timeout { url: url.clone(), after: timeout }
            } else if e.is_redirect() {
                FetchError::Redirect { url: url.clone(), reason: describe(&e) }
            } else {
                FetchError::Unreachable { url: url.clone(), reason: describe(&e) }
            }
        };
        let resp = rb.timeout(timeout).send().map_err(map_err)?;
        let status = resp.status().as_u16();
        if (300..400).contains(&status) {
            // A redirect reqwest did not follow (a Location it cannot use: file:, data:, ...).
            let to = resp.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("(none)").to_string();
            return Err(FetchError::Redirect { url, reason: format!("HTTP {status} to {to} not followed") });
        }
        if status != 200 {
            return Err(FetchError::HttpStatus { url, status });
        }
        let too_large = || FetchError::TooLarge { url: url.clone(), kind: req.kind.as_str(), limit: cap };
        if resp.content_length().is_some_and(|n| n > cap as u64) {
            return Err(too_large());
        }
        let mut buf = Vec::new();
        resp.take(cap as u64 + 1).read_to_end(&mut buf).map_err(|e| {
            if is_timeout(&e) {
                FetchError::Timeout { url: url.clone(), after: timeout }
            } else {
                FetchError::Unreachable { url: url.clone(), reason: describe(&e) }
            }
        })?;
        if buf.len() > cap {
            return Err(too_large());
        }
        Ok(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Counting {
        calls: AtomicU32,
        sleep: Duration,
        body: Vec<u8>,
    }

    impl Fetcher for Counting {
        fn fetch(&self, req: &FetchRequest<'_>) -> Result<Vec<u8>, FetchError> {
            self.calls.fetch_add(1, Ordering::Relaxed);
            if !self.sleep.is_zero() {
                std::thread::sleep(self.sleep.min(req.timeout));
                if self.sleep > req.timeout {
                    return Err(FetchError::Timeout { url: req.url.into(), after: req.timeout });
                }
            }
            Ok(self.body.clone())
        }
    }

    fn counting(body: Vec<u8>) -> Counting {
        Counting { calls: AtomicU32::new(0), sleep: Duration::ZERO, body }
    }

    #[test]
    fn offline_refuses() {
        let s = FetchSession::new(&Offline, FetchLimits::default());
        let e = s.fetch("http://example.invalid/x.crl", FetchKind::Crl, None).unwrap_err();
        assert_eq!(e.finding_id(), "fetch.offline");
        assert!(e.to_string().contains("http://example.invalid/x.crl"));
    }

    #[test]
    fn fetch_count_is_bounded() {
        let f = counting(vec![1]);
        let limits = FetchLimits { max_fetches: 3, ..FetchLimits::default() };
        let s = FetchSession::new(&f, limits);
        for _ in 0..3 {
            s.fetch("http://a/", FetchKind::Crl, None).unwrap();
        }
        assert_eq!(s.fetch("http://a/", FetchKind::Crl, None), Err(FetchError::FetchLimit { limit: 3 }));
        assert_eq!(f.calls.load(Ordering::Relaxed), 3);
        assert_eq!(s.used(), 3);
    }

    #[test]
    fn total_time_is_bounded() {
        let f = Counting { calls: AtomicU32::new(0), sleep: Duration::from_secs(60), body: vec![] };
        let limits = FetchLimits {
            max_fetches: 100,
            per_request: Duration::from_millis(150),
            total: Duration::from_millis(400),
        };
        let s = FetchSession::new(&f, limits);
        let start = Instant::now();
        let mut errors = Vec::new();
        for _ in 0..10 {
            errors.push(s.fetch("http://stall/", FetchKind::Ocsp, Some(b"x")).unwrap_err());
        }
        let took = start.elapsed();
        assert!(took < Duration::from_millis(700), "took {took:?}");
        assert!(errors.iter().any(|e| matches!(e, FetchError::TotalTimeout { .. })), "{errors:?}");
        assert!(f.calls.load(Ordering::Relaxed) <= 4);
    }

    #[test]
    fn cache_keeps_ca_issuers_for_ttl_and_can_be_invalidated() {
        let clock = Arc::new(FixedClock::new(1_000));
        let f = CachingFetcher::new(counting(b"not a cert".to_vec()), clock.clone());
        let s = FetchSession::new(&f, FetchLimits::default());
        s.fetch("http://a/ca.cer", FetchKind::CaIssuers, None).unwrap();
        s.fetch("http://a/ca.cer", FetchKind::CaIssuers, None).unwrap();
        assert_eq!(f.stats().hits, 1);
        assert_eq!(f.inner.calls.load(Ordering::Relaxed), 1);
        clock.set(1_000 + 86_400);
        s.fetch("http://a/ca.cer", FetchKind::CaIssuers, None).unwrap();
        assert_eq!(f.inner.calls.load(Ordering::Relaxed), 2);
        f.invalidate("http://a/ca.cer");
        assert!(f.is_empty());
    }

    #[test]
    fn cache_does_not_keep_what_has_no_next_update() {
        let clock = Arc::new(FixedClock::new(1_000));
        let f = CachingFetcher::new(counting(b"garbage".to_vec()), clock);
        f.fetch(&FetchRequest {
            url: "http://a/x.crl",
            kind: FetchKind::Crl,
            body: None,
            timeout: Duration::from_secs(1),
        })
        .unwrap();
        f.fetch(&FetchRequest {
            url: "http://a/x.crl",
            kind: FetchKind::Crl,
            body: None,
            timeout: Duration::from_secs(1),
        })
        .unwrap();
        assert_eq!(f.inner.calls.load(Ordering::Relaxed), 2);
        assert_eq!(f.stats().uncacheable, 2);
    }

    #[test]
    fn cache_entry_limit_is_enforced() {
        let clock = Arc::new(FixedClock::new(1_000));
        let limits = CacheLimits { max_entries: 4, ..CacheLimits::default() };
        let f = CachingFetcher::with_limits(counting(b"x".to_vec()), clock, limits);
        for i in 0..20 {
            let url = format!("http://a/{i}");
            f.fetch(&FetchRequest {
                url: &url,
                kind: FetchKind::CaIssuers,
                body: None,
                timeout: Duration::from_secs(1),
            })
            .unwrap();
        }
        assert!(f.len() <= 4, "{}", f.len());
    }

    #[test]
    fn cache_byte_limit_is_enforced() {
        let clock = Arc::new(FixedClock::new(1_000));
        let limits = CacheLimits { max_bytes: 10, ..CacheLimits::default() };
        let f = CachingFetcher::with_limits(counting(vec![0u8; 4]), clock, limits);
        for i in 0..5 {
            let url = format!("http://a/{i}");
            f.fetch(&FetchRequest {
                url: &url,
                kind: FetchKind::CaIssuers,
                body: None,
                timeout: Duration::from_secs(1),
            })
            .unwrap();
        }
        assert!(f.len() <= 2, "{}", f.len());
    }

    #[test]
    fn schemes() {
        assert!(is_http_url("http://a/"));
        assert!(is_http_url("HTTPS://a/"));
        assert!(!is_http_url("ldap://a/"));
        assert!(!is_http_url("file:///etc/passwd"));
        assert!(!is_http_url("http:"));
    }

    #[test]
    fn http_fetcher_refuses_other_schemes_or_is_absent() {
        match HttpFetcher::new(HttpConfig::default()) {
            Ok(h) => {
                let r = FetchRequest {
                    url: "file:///etc/passwd",
                    kind: FetchKind::Crl,
                    body: None,
                    timeout: Duration::from_secs(1),
                };
                assert_eq!(h.fetch(&r).unwrap_err().finding_id(), "fetch.url-refused");
            }
            Err(e) => assert_eq!(e, FetchError::NotCompiled),
        }
    }

    #[test]
    fn finding_ids_are_catalogued() {
        let all = [
            FetchError::Offline { url: String::new() },
            FetchError::UnsupportedScheme { url: String::new() },
            FetchError::Timeout { url: String::new(), after: Duration::ZERO },
            FetchError::TooLarge { url: String::new(), kind: "", limit: 0 },
            FetchError::HttpStatus { url: String::new(), status: 500 },
            FetchError::Redirect { url: String::new(), reason: String::new() },
            FetchError::Unreachable { url: String::new(), reason: String::new() },
            FetchError::FetchLimit { limit: 0 },
            FetchError::TotalTimeout { limit: Duration::ZERO },
            FetchError::NotCompiled,
        ];
        for e in all {
            assert!(FINDINGS.iter().any(|d| d.id == e.finding_id()), "{}", e.finding_id());
        }
    }
}
