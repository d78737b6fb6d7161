//! eidtrust: validate certificate chains and signed eID tokens under national profiles.
//!
//! This facade re-exports the role crates so that embedders depend on one crate:
//! [`pki`] (RFC 5280 paths and CRLs), [`trustlist`] (ETSI TS 119 612), [`profile`] (national
//! profiles and linting), [`token`] (JWS, JWT, SD-JWT) and [`report`] (findings and verdicts).
#![forbid(unsafe_code)]

pub use pki;
pub use profile;
pub use report;
pub use token;
pub use trustlist;

pub mod context;
pub mod fuzzcheck;
pub mod limbo;
pub mod tls;

pub use context::TrustContext;
