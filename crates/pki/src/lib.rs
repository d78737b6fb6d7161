//! RFC 5280 certificate path building and validation for eidtrust.
//!
//! - [`input`]: PEM and DER reading with explicit limits.
//! - [`cert`] and [`name`]: the owned certificate model, parsed once; [`bytes`]: the shared
//!   buffer its byte fields are ranges of; names are parsed into attributes on demand.
//! - [`crypto`]: signature verification behind one trait (ring first).
//! - [`validate`]: path building with backtracking and RFC 5280 §6.1 path validation.
//! - [`name_constraints`], [`policy`], [`hostname`], [`crl`]: the parts of §6.1 and §6.3 that
//!   carry their own state.
//! - [`findings`]: the catalogue of finding ids this crate emits.
//!
//! Time is always an input: nothing here reads the clock or the network.
#![forbid(unsafe_code)]

/// `pub static FINDINGS: &[FindingDef]` from rows of `id, Severity, citation, summary;` — the
/// module catalogues that [`findings::catalogue`] merges. Expects `FindingDef` and `Severity` in
/// scope at the call site.
macro_rules! finding_list {
    ($doc:literal; $($id:literal, $sev:ident, $cite:literal, $sum:literal;)*) => {
        #[doc = $doc]
        pub static FINDINGS: &[FindingDef] = &[
            $(FindingDef { id: $id, severity: Severity::$sev, citation: $cite, summary: $sum },)*
        ];
    };
}

pub mod budget;
pub mod bytes;
pub mod cert;
pub mod crl;
pub mod crypto;
pub mod fetch;
pub mod findings;
pub mod hostname;
pub mod input;
pub mod name;
pub mod name_constraints;
pub mod ocsp;
pub mod oid;
pub mod policy;
pub mod revocation;
pub mod validate;

pub use budget::Budget;
pub use cert::Certificate;
pub use validate::{Options, SignatureCache, Store, Usage, Validation, Validator};
