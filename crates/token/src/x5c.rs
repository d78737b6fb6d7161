//! The seam to certificate path validation for `x5c` issuer keys (RFC 7515 §4.1.6).
//!
//! The token crate never decides trust in a certificate itself: it hands the `x5c` DER list to a
//! [`ChainValidator`] that holds the caller's anchors (or trusted lists) and validates the path at
//! the caller's time. The anchor is never taken from `x5c` itself: an implementation must treat
//! every element of the list, including a self-signed last one, as untrusted.

use report::Verdict;

/// What the signer's certificate must be good for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequiredUsage {
    /// keyUsage digitalSignature when the extension is present (RFC 5280 §4.2.1.3): a token
    /// signature is a digital signature.
    DigitalSignature,
}

/// Validates an x5c chain. `chain[0]` is the signer's certificate; the rest are intermediates
/// offered by the token, untrusted. `at` is Unix seconds. The verdict's findings are copied into
/// the token's report.
pub trait ChainValidator {
    fn validate(&self, chain: &[Vec<u8>], at: i64, usage: RequiredUsage) -> Verdict;
}

/// The largest x5c accepted (certificates). Real eID chains are 2-4 long; RFC 5280 sets no bound.
pub const MAX_X5C_CERTS: usize = 10;

use report::{Finding, Location, Severity, SubIndication};

/// The [`ChainValidator`] backed by the `pki` crate's RFC 5280 path validation, with the caller's
/// trust anchors. Anchors come only from the caller; a root included in `x5c` is just another
/// untrusted certificate to `pki`'s path builder.
pub struct PkiChainValidator {
    validator: pki::Validator,
}

/// Why anchors could not be loaded (a caller error).
#[derive(Debug, thiserror::Error)]
pub enum AnchorError {
    #[error("cannot read the anchors: {0:?}")]
    Input(pki::input::InputError),
    #[error("anchor {index}: {reason}")]
    Cert { index: usize, reason: String },
    #[error("no anchor certificate given")]
    Empty,
}

impl PkiChainValidator {
    /// Anchors from PEM or DER bytes (one or more certificates).
    pub fn from_anchor_bytes(data: &[u8]) -> Result<Self, AnchorError> {
        let ders = pki::input::read(data, pki::input::Kind::Certificate).map_err(AnchorError::Input)?;
        Self::from_anchor_ders(&ders)
    }

    pub fn from_anchor_ders(ders: &[Vec<u8>]) -> Result<Self, AnchorError> {
        if ders.is_empty() {
            return Err(AnchorError::Empty);
        }
        let mut certs = Vec::new();
        for (index, d) in ders.iter().enumerate() {
            certs.push(pki::Certificate::from_der(d).map_err(|e| AnchorError::Cert { index, reason: e.to_string() })?);
        }
        Ok(PkiChainValidator { validator: pki::Validator::new(pki::Store::new(certs)) })
    }

    pub fn from_validator(validator: pki::Validator) -> Self {
        PkiChainValidator { validator }
    }
}

impl ChainValidator for PkiChainValidator {
    fn validate(&self, chain: &[Vec<u8>], at: i64, usage: RequiredUsage) -> Verdict {
        let bad = |depth: usize, e: String| {
            let f = Finding::from_def(&crate::findings::X5C_INVALID, format!("x5c[{depth}] is not a certificate: {e}"))
                .at(Location::depth(depth));
            Verdict::failed(SubIndication::FormatFailure, vec![f])
        };
        let Some((leaf, rest)) = chain.split_first() else {
            return bad(0, "empty chain".into());
        };
        let leaf = match pki::Certificate::from_der(leaf) {
            Ok(c) => c,
            Err(e) => return bad(0, e.to_string()),
        };
        let mut intermediates = Vec::new();
        for (i, d) in rest.iter().enumerate() {
            match pki::Certificate::from_der(d) {
                Ok(c) => intermediates.push(c),
                Err(e) => return bad(i + 1, e.to_string()),
            }
        }
        let opts = pki::validate::Options::at(at);
        let v = self.validator.validate(&leaf, &intermediates, &[], &opts);
        if !v.is_valid() {
            return v.verdict;
        }
        let RequiredUsage::DigitalSignature = usage;
        if let Some(ku) = &leaf.extensions.key_usage {
            if !ku.value.has(pki::cert::KeyUsage::DIGITAL_SIGNATURE) {
                let mut findings = v.verdict.findings;
                findings.push(
                    Finding::new(
                        crate::findings::X5C_CHAIN.id,
                        Severity::Error,
                        "the signer certificate's keyUsage lacks digitalSignature (RFC 5280 §4.2.1.3)",
                    )
                    .at(Location::depth(0)),
                );
                return Verdict::indeterminate(SubIndication::ChainConstraintsFailure, findings);
            }
        }
        v.verdict
    }
}
