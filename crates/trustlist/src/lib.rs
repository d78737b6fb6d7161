//! ETSI TS 119 612 trusted lists and the EU list of the lists (LOTL): parse, verify the enveloped
//! XML signature, and decide the qualified status of a certificate at a time T (ETSI TS 119 615).
//!
//! - [`parse`]: a namespace-aware reader of v5 and v6 lists into [`TrustedList`]; hostile input is
//!   bounded by [`limits`] (no DTD, size, depth and node caps); quirks of real lists are accepted
//!   and reported as findings in [`TrustedList::quirks`].
//! - [`verify::verify`]: the enveloped XML signature (exclusive/inclusive c14n, RSA and ECDSA with
//!   SHA-256/384/512) checked natively on the parsed tree (exclusive c14n streamed into the
//!   digests) with `bergshamra`'s complete verifier behind it, the `URI=""` reference checked to
//!   cover the document, and the signer taken from an explicit certificate or a LOTL pointer,
//!   never from the list's own KeyInfo alone ([`verify::TrustSource`] says which was used).
//! - [`qualify::qualify`]: ETSI TS 119 615 qualification of a certificate against one or more
//!   lists: matching CA/QC services, status at issuance and at T, the Qualifications extension
//!   applied over the certificate's own QC statements; [`mra::translate`] reads a third-country
//!   list through its LOTL pointer's mutual recognition equivalences first (the equivalence in
//!   force at each time, from its history; certificate-content equivalences applied to the
//!   certificate's claims).
//!
//! - [`fetch::resolve`]: opt-in fetching of the lists a LOTL points to (http(s) only, bounded,
//!   cached by territory and sequence number), each verified against its pointer's certificates.
//!
//! Nothing here reads the clock, and nothing reaches the network unless the caller passes a fetch
//! session ([`fetch::Fetch`]): times are inputs.
#![forbid(unsafe_code)]

pub mod build;
mod c14n;
mod dom;
mod dsig;
pub mod fetch;
pub mod findings;
pub mod limits;
pub mod model;
pub mod mra;
mod parse;
pub mod qualify;
pub mod uri;
pub mod verify;
mod xml;

pub use model::*;
pub use parse::parse;

/// Runs the crate's XML reader and roxmltree on `bytes` (after the same pre-check and line-end
/// normalisation `parse` does) and says where they disagree (`dom::differential`). For the fuzz
/// targets; not part of the API.
#[cfg(feature = "oracle")]
#[doc(hidden)]
pub fn xml_differential(bytes: &[u8]) -> Result<(), String> {
    let Ok(text) = xml::precheck(bytes) else { return Ok(()) };
    dom::differential(&xml::normalize_line_ends(text))
}

/// Why a document could not be read as a trusted list at all. Everything milder is a finding.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Error {
    #[error("the list is {size} bytes, over the limit of {limit} bytes")]
    TooLarge { size: usize, limit: usize },
    #[error("the list is not UTF-8 (invalid byte at offset {offset})")]
    NotUtf8 { offset: usize },
    #[error("the list contains a DTD (<!DOCTYPE) at byte {offset}; trusted lists never need one and it is refused")]
    Dtd { offset: usize },
    #[error("the list has more than {limit} XML nodes")]
    TooManyNodes { limit: u32 },
    #[error("the list nests elements {depth} deep, over the limit of {limit}")]
    TooDeep { depth: usize, limit: usize },
    #[error("an element of the list has more than {limit} attributes")]
    TooManyAttributes { limit: usize },
    #[error("the list is not well-formed XML: {0}")]
    Xml(String),
    #[error("the root element is {found}, not a TS 119 612 TrustServiceStatusList")]
    NotATrustedList { found: String },
    #[error("the mandatory element {0} is missing")]
    Missing(&'static str),
    #[error("the element {element} has an unreadable value {value:?}")]
    Invalid { element: &'static str, value: String },
}

impl Error {
    /// The finding this error is reported as (all are FORMAT_FAILURE in ETSI terms).
    pub fn to_finding(&self) -> report::Finding {
        let def = match self {
            Error::Dtd { .. } => &findings::FORMAT_DTD,
            Error::TooLarge { .. }
            | Error::TooManyNodes { .. }
            | Error::TooDeep { .. }
            | Error::TooManyAttributes { .. } => &findings::FORMAT_LIMIT,
            Error::Missing(_) | Error::Invalid { .. } => &findings::FORMAT_MISSING,
            _ => &findings::FORMAT_MALFORMED,
        };
        report::Finding::from_def(def, self.to_string())
    }
}

/// Reads certificates from a file's bytes: a PEM bundle, a single DER certificate, or bare base64
/// DER (as copied from a list's `X509Certificate`). Returns the DER of each readable certificate.
pub fn certificates_from_bytes(bytes: &[u8]) -> Vec<Vec<u8>> {
    use base64::Engine;
    if x509_parser::parse_x509_certificate(bytes).is_ok() {
        return vec![bytes.to_vec()];
    }
    let mut out = Vec::new();
    for pem in x509_parser::pem::Pem::iter_from_buffer(bytes).flatten() {
        if pem.label == "CERTIFICATE" && x509_parser::parse_x509_certificate(&pem.contents).is_ok() {
            out.push(pem.contents);
        }
    }
    if out.is_empty() {
        let clean: String = String::from_utf8_lossy(bytes).chars().filter(|c| !c.is_whitespace()).collect();
        if let Ok(der) = base64::engine::general_purpose::STANDARD.decode(clean) {
            if x509_parser::parse_x509_certificate(&der).is_ok() {
                out.push(der);
            }
        }
    }
    out
}
