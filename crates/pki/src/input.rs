//! Reading certificates and CRLs from PEM or DER, with explicit limits.
//!
//! PEM follows RFC 7468: text outside the `-----BEGIN ...-----`/`-----END ...-----` lines is
//! ignored (explanatory text is allowed, §5.2), the base64 inside must be strict (padding, no
//! stray characters), and BEGIN and END labels must match. DER input may hold several
//! concatenated SEQUENCEs. Either way at most [`MAX_BLOCKS`] objects are read.

use base64::Engine;
use std::fmt;

/// The most objects (certificates or CRLs) read from one input: 20,000. Origin: a bound on memory
/// and indexing work; the largest real bundles (Mozilla's root store, a full EU LOTL expansion)
/// hold a few thousand.
pub const MAX_BLOCKS: usize = 20_000;

/// The largest single DER object accepted: 16 MiB (a large CRL; certificates have their own,
/// smaller cap in [`crate::cert::MAX_CERT_BYTES`]).
pub const MAX_OBJECT_BYTES: usize = 16 * 1024 * 1024;

/// Why an input could not be read. Display names the block and the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    Empty,
    /// A PEM block is broken: index (1-based) and reason.
    Pem {
        block: usize,
        reason: String,
    },
    /// The DER framing is broken at a byte offset.
    Der {
        offset: usize,
        reason: String,
    },
    /// No object of the wanted kind was found (the labels that were found are listed).
    NoneFound {
        wanted: &'static str,
        found: Vec<String>,
    },
    TooMany {
        limit: usize,
    },
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Empty => f.write_str("the input is empty"),
            InputError::Pem { block, reason } => write!(f, "PEM block {block}: {reason}"),
            InputError::Der { offset, reason } => write!(f, "DER at byte {offset}: {reason}"),
            InputError::NoneFound { wanted, found } if found.is_empty() => {
                write!(f, "no {wanted} found (neither PEM nor DER)")
            }
            InputError::NoneFound { wanted, found } => {
                write!(f, "no {wanted} found; the PEM blocks found are: {}", found.join(", "))
            }
            InputError::TooMany { limit } => write!(f, "more than {limit} objects in one input"),
        }
    }
}

impl std::error::Error for InputError {}

/// What kind of object to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Certificate,
    Crl,
}

impl Kind {
    fn labels(self) -> &'static [&'static str] {
        match self {
            Kind::Certificate => &["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"],
            Kind::Crl => &["X509 CRL"],
        }
    }
    fn name(self) -> &'static str {
        match self {
            Kind::Certificate => "certificate",
            Kind::Crl => "CRL",
        }
    }
}

/// Reads every object of `kind` from PEM or DER `data`, returning their DER.
///
/// PEM blocks of other kinds (a private key in the same file, say) are skipped; if no block of the
/// wanted kind is present, the error lists what was found.
pub fn read(data: &[u8], kind: Kind) -> Result<Vec<Vec<u8>>, InputError> {
    if data.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(InputError::Empty);
    }
    if looks_like_pem(data) {
        read_pem(data, kind)
    } else {
        read_der_sequence(data, kind)
    }
}

fn looks_like_pem(data: &[u8]) -> bool {
    data.windows(11).any(|w| w == b"-----BEGIN ")
}

fn read_pem(data: &[u8], kind: Kind) -> Result<Vec<Vec<u8>>, InputError> {
    let text = String::from_utf8_lossy(data);
    let mut out = Vec::new();
    let mut others = Vec::new();
    let mut lines = text.lines();
    let mut block = 0usize;
    while let Some(line) = lines.next() {
        let line = line.trim_end();
        let Some(label) = line.strip_prefix("-----BEGIN ").and_then(|l| l.strip_suffix("-----")) else {
            continue;
        };
        block += 1;
        if block > MAX_BLOCKS {
            return Err(InputError::TooMany { limit: MAX_BLOCKS });
        }
        let end = format!("-----END {label}-----");
        let mut b64 = String::new();
        let mut closed = false;
        for l in lines.by_ref() {
            let l = l.trim();
            if l == end {
                closed = true;
                break;
            }
            if l.starts_with("-----") {
                return Err(InputError::Pem { block, reason: format!("{l:?} inside a {label} block") });
            }
            // RFC 7468 §2: headers (RFC 1421 style) are not allowed in these labels.
            if l.contains(':') {
                return Err(InputError::Pem { block, reason: format!("unexpected header line {l:?}") });
            }
            b64.push_str(l);
            if b64.len() > MAX_OBJECT_BYTES * 4 / 3 + 4 {
                return Err(InputError::Pem { block, reason: format!("block larger than {MAX_OBJECT_BYTES} bytes") });
            }
        }
        if !closed {
            return Err(InputError::Pem { block, reason: format!("no {end} line (truncated?)") });
        }
        if !kind.labels().contains(&label) {
            others.push(label.to_string());
            continue;
        }
        let der = base64::engine::general_purpose::STANDARD
            .decode(b64.as_bytes())
            .map_err(|e| InputError::Pem { block, reason: format!("bad base64: {e}") })?;
        if der.is_empty() {
            return Err(InputError::Pem { block, reason: "empty block".into() });
        }
        out.push(der);
    }
    if out.is_empty() {
        return Err(InputError::NoneFound { wanted: kind.name(), found: others });
    }
    Ok(out)
}

/// Splits concatenated DER SEQUENCEs (definite lengths only, as DER requires).
fn read_der_sequence(data: &[u8], kind: Kind) -> Result<Vec<Vec<u8>>, InputError> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    while pos < data.len() {
        if out.len() >= MAX_BLOCKS {
            return Err(InputError::TooMany { limit: MAX_BLOCKS });
        }
        let rest = data.get(pos..).unwrap_or_default();
        let len = der_object_len(rest).map_err(|reason| {
            if pos == 0 {
                InputError::NoneFound { wanted: kind.name(), found: vec![] }
            } else {
                InputError::Der { offset: pos, reason }
            }
        })?;
        let obj = rest.get(..len).ok_or_else(|| InputError::Der { offset: pos, reason: "truncated".into() })?;
        out.push(obj.to_vec());
        pos += len;
    }
    Ok(out)
}

/// The total length (header + content) of the DER SEQUENCE at the start of `d`.
fn der_object_len(d: &[u8]) -> Result<usize, String> {
    match d.first() {
        Some(0x30) => {}
        Some(t) => return Err(format!("expected a SEQUENCE (0x30), found tag 0x{t:02x}")),
        None => return Err("no data".into()),
    }
    let first = *d.get(1).ok_or("truncated length")?;
    let (len, hdr) = if first < 0x80 {
        (first as usize, 2)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 {
            return Err(format!("unsupported length encoding 0x{first:02x}"));
        }
        let bytes = d.get(2..2 + n).ok_or("truncated length")?;
        let len = bytes.iter().fold(0usize, |a, b| (a << 8) | *b as usize);
        (len, 2 + n)
    };
    if len > MAX_OBJECT_BYTES {
        return Err(format!("object of {len} bytes, over the {MAX_OBJECT_BYTES}-byte limit"));
    }
    let total = hdr + len;
    if total > d.len() {
        return Err(format!("object claims {total} bytes but only {} remain (truncated)", d.len()));
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEM: &str = "junk before\n-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\ntrailing junk\n";

    #[test]
    fn pem_with_junk_around_is_read() {
        assert_eq!(read(PEM.as_bytes(), Kind::Certificate).unwrap(), vec![vec![0x30, 3, 2, 1, 1]]);
    }

    #[test]
    fn pem_errors_name_the_block() {
        let bad = "-----BEGIN CERTIFICATE-----\nMAM*AQE=\n-----END CERTIFICATE-----\n";
        let e = read(bad.as_bytes(), Kind::Certificate).unwrap_err();
        assert!(e.to_string().starts_with("PEM block 1: bad base64"), "{e}");
        let trunc = "-----BEGIN CERTIFICATE-----\nMAMCAQE=\n";
        assert!(read(trunc.as_bytes(), Kind::Certificate).unwrap_err().to_string().contains("truncated"));
        let key = "-----BEGIN PRIVATE KEY-----\nMAMCAQE=\n-----END PRIVATE KEY-----\n";
        assert_eq!(
            read(key.as_bytes(), Kind::Certificate).unwrap_err().to_string(),
            "no certificate found; the PEM blocks found are: PRIVATE KEY"
        );
    }

    #[test]
    fn der_concatenation_and_truncation() {
        let two = [0x30, 1, 0, 0x30, 0];
        assert_eq!(read(&two, Kind::Certificate).unwrap().len(), 2);
        let e = read(&[0x30, 5, 0], Kind::Certificate).unwrap_err();
        assert!(matches!(e, InputError::NoneFound { .. }));
        let e = read(&[0x30, 0, 0x30, 9, 1], Kind::Certificate).unwrap_err();
        assert!(e.to_string().contains("truncated"), "{e}");
        assert_eq!(read(b"  \n", Kind::Certificate).unwrap_err(), InputError::Empty);
    }

    #[test]
    fn block_count_is_capped() {
        let one = "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n";
        let many = one.repeat(MAX_BLOCKS + 1);
        assert_eq!(read(many.as_bytes(), Kind::Certificate).unwrap_err(), InputError::TooMany { limit: MAX_BLOCKS });
    }
}
