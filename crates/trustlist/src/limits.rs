//! Explicit limits on hostile input, each with its origin. Every limit has a test that it is
//! enforced (`tests/limits.rs`).

/// Largest list accepted: 32 MiB. Origin: the largest EU national lists are a few MiB (the five in
/// the shared corpus are 0.06–0.7 MB); 32 MiB leaves a wide margin and stays below the CLI's
/// 64 MiB input cap.
pub const MAX_LIST_BYTES: usize = 32 * 1024 * 1024;

/// Largest number of XML nodes (elements, attributes' owners, text) roxmltree may build: 4 million.
/// Origin: the largest list in the corpus has about 40 thousand nodes; a 32 MiB document of
/// minimal elements has at most ~8 million, so this bounds memory at a level real lists never
/// approach.
pub const MAX_NODES: u32 = 4_000_000;

/// Deepest element nesting: 64. Origin: the TS 119 612 schema's deepest path (a CriteriaList in a
/// history instance's Qualifications extension, under a signature's XAdES properties) is about 16
/// levels; nested CriteriaLists add one each. 64 also keeps any recursive processing (ours, and the
/// signature library's) well within the stack.
pub const MAX_DEPTH: usize = 64;

/// Most attributes (namespace declarations included) on one element: 64. Origin: real lists
/// have at most 8 (the root's namespace declarations); the XML parser's duplicate-attribute check
/// is quadratic per element, so the cap also bounds that work (found by the `tl_parse` fuzz
/// target: 5,000 attributes on one element took over a second).
pub const MAX_ATTRIBUTES: usize = 64;

/// Most certificates read from one `ServiceDigitalIdentity` or pointer: 64. Origin: real pointers
/// declare at most a handful (the LOTL's own pointer declares 8 in the corpus); services one.
pub const MAX_IDENTITY_CERTS: usize = 64;

/// Deepest nesting of `CriteriaList` inside `CriteriaList`: 8 (TS 119 612 §5.5.9.2.2 allows
/// nesting; no real list nests more than once).
pub const MAX_CRITERIA_NESTING: usize = 8;

/// Most mutual recognition equivalence entries read from one agreement (each
/// `TrustServiceEquivalenceInformation` and each of its `TrustServiceEquivalenceHistoryInstance`s
/// counts one): 16; the rest are skipped with a `tl.quirk.unreadable-value` finding. Origin: the
/// EU LOTL carries one agreement with one equivalence and no history; every entry can add a
/// reading of each service in [`crate::mra::translate`], so the count bounds that multiplication.
pub const MAX_MRA_EQUIVALENCE_ENTRIES: usize = 16;

/// Most lists `qualify` accepts in one call: 64 (the EU has 31 national lists plus the LOTL).
/// More are refused by `qualify` itself with the finding `tl.limit.too-many-lists`.
pub const MAX_LISTS: usize = 64;

/// Per-request timeout when fetching a list: 30 s. Origin: the largest national lists are a few
/// MiB; 7 MiB over a 2 Mbit/s link takes about 28 s (pki's 10 s OCSP timeout is for responses of
/// a few KiB).
pub const FETCH_PER_REQUEST_SECS: u64 = 30;

/// Total time for fetching the lists of one LOTL: 300 s. Origin: ten stalled lists at the
/// per-request timeout, or the EU's 31 national lists at about 10 s each.
pub const FETCH_TOTAL_SECS: u64 = 300;

/// Most lists fetched for one LOTL: [`MAX_LISTS`] (the EU LOTL has about 45 pointers, a third
/// of them to PDF renderings, which are never fetched).
pub const MAX_FETCHES: u32 = MAX_LISTS as u32;
