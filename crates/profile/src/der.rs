//! A small, bounded DER reader (ITU-T X.690 §8 and §10) for the parts of a certificate the linter
//! reads itself: the QCStatements extension (ETSI EN 319 412-5), the raw validity times and the raw
//! extension list (RFC 5280 §4.1).
//!
//! It is deliberately minimal: single-octet tags only (every tag the linter needs is low-tag-number
//! form), definite lengths only, lengths in minimal form (X.690 §10.1), and no recursion: callers
//! descend one level at a time, so nesting depth is bounded by the code, not by the input.

use std::fmt;

/// Universal tags used by the linter (X.690 §8.x / X.680 §8.4).
pub mod tag {
    pub const BOOLEAN: u8 = 0x01;
    pub const INTEGER: u8 = 0x02;
    pub const BIT_STRING: u8 = 0x03;
    pub const OCTET_STRING: u8 = 0x04;
    pub const OID: u8 = 0x06;
    pub const UTF8_STRING: u8 = 0x0c;
    pub const PRINTABLE_STRING: u8 = 0x13;
    pub const IA5_STRING: u8 = 0x16;
    pub const UTC_TIME: u8 = 0x17;
    pub const GENERALIZED_TIME: u8 = 0x18;
    pub const SEQUENCE: u8 = 0x30;
    pub const SET: u8 = 0x31;
}

/// Why a DER element could not be read; `offset` is relative to the buffer given to [`Reader::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DerError {
    pub offset: usize,
    pub kind: DerErrorKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DerErrorKind {
    Truncated,
    HighTagNumber,
    IndefiniteLength,
    NonMinimalLength,
    LengthTooLarge,
    UnexpectedTag { expected: u8, found: u8 },
    TrailingData,
    BadOid,
}

impl fmt::Display for DerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            DerErrorKind::Truncated => "element runs past the end of its container".to_string(),
            DerErrorKind::HighTagNumber => "high-tag-number form is not expected here".to_string(),
            DerErrorKind::IndefiniteLength => "indefinite length is not allowed in DER".to_string(),
            DerErrorKind::NonMinimalLength => "length is not in minimal form (X.690 §10.1)".to_string(),
            DerErrorKind::LengthTooLarge => "length does not fit in 4 octets".to_string(),
            DerErrorKind::UnexpectedTag { expected, found } => {
                format!("expected tag 0x{expected:02x}, found 0x{found:02x}")
            }
            DerErrorKind::TrailingData => "unexpected data after the last element".to_string(),
            DerErrorKind::BadOid => "malformed OBJECT IDENTIFIER".to_string(),
        };
        write!(f, "DER error at byte {}: {what}", self.offset)
    }
}

impl std::error::Error for DerError {}

/// One tag-length-value element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    pub tag: u8,
    pub value: &'a [u8],
    /// Offset of the tag octet in the reader's buffer.
    pub offset: usize,
    /// Offset of the first value octet in the reader's buffer.
    pub value_offset: usize,
}

/// A cursor over a sequence of DER elements.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Reader { data, pos: 0, base: 0 }
    }

    /// A reader over the value of `tlv`, keeping offsets relative to the outer buffer.
    pub fn inside(tlv: &Tlv<'a>) -> Self {
        Reader { data: tlv.value, pos: 0, base: tlv.value_offset }
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    fn err(&self, at: usize, kind: DerErrorKind) -> DerError {
        DerError { offset: self.base + at, kind }
    }

    /// The tag of the next element, without consuming it.
    pub fn peek_tag(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    /// Reads the next element.
    pub fn read(&mut self) -> Result<Tlv<'a>, DerError> {
        let start = self.pos;
        let tag = *self.data.get(start).ok_or_else(|| self.err(start, DerErrorKind::Truncated))?;
        if tag & 0x1f == 0x1f {
            return Err(self.err(start, DerErrorKind::HighTagNumber));
        }
        let l0 = *self.data.get(start + 1).ok_or_else(|| self.err(start + 1, DerErrorKind::Truncated))?;
        let (len, hdr) = if l0 < 0x80 {
            (l0 as usize, 2usize)
        } else if l0 == 0x80 {
            return Err(self.err(start + 1, DerErrorKind::IndefiniteLength));
        } else {
            let n = (l0 & 0x7f) as usize;
            if n > 4 {
                return Err(self.err(start + 1, DerErrorKind::LengthTooLarge));
            }
            let bytes =
                self.data.get(start + 2..start + 2 + n).ok_or_else(|| self.err(start + 2, DerErrorKind::Truncated))?;
            let mut len = 0usize;
            for b in bytes {
                len = (len << 8) | (*b as usize);
            }
            if bytes.first() == Some(&0) || len < 0x80 {
                return Err(self.err(start + 1, DerErrorKind::NonMinimalLength));
            }
            (len, 2 + n)
        };
        let vstart = start + hdr;
        let vend = vstart.checked_add(len).ok_or_else(|| self.err(start, DerErrorKind::Truncated))?;
        let value = self.data.get(vstart..vend).ok_or_else(|| self.err(vstart, DerErrorKind::Truncated))?;
        self.pos = vend;
        Ok(Tlv { tag, value, offset: self.base + start, value_offset: self.base + vstart })
    }

    /// Reads the next element and checks its tag.
    pub fn expect(&mut self, tag: u8) -> Result<Tlv<'a>, DerError> {
        let at = self.pos;
        let tlv = self.read()?;
        if tlv.tag != tag {
            return Err(self.err(at, DerErrorKind::UnexpectedTag { expected: tag, found: tlv.tag }));
        }
        Ok(tlv)
    }

    /// Reads the next element if it has `tag`.
    pub fn optional(&mut self, tag: u8) -> Result<Option<Tlv<'a>>, DerError> {
        if self.peek_tag() == Some(tag) {
            self.read().map(Some)
        } else {
            Ok(None)
        }
    }

    /// Fails if anything is left.
    pub fn finish(&self) -> Result<(), DerError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self.err(self.pos, DerErrorKind::TrailingData))
        }
    }
}

/// Decodes the contents of an OBJECT IDENTIFIER (X.690 §8.19) into dotted form. Arcs are limited
/// to 64 bits, which covers every OID in the standards the linter cites.
pub fn oid_to_string(value: &[u8], offset: usize) -> Result<String, DerError> {
    let bad = || DerError { offset, kind: DerErrorKind::BadOid };
    if value.is_empty() || value.last().is_some_and(|b| b & 0x80 != 0) {
        return Err(bad());
    }
    let mut arcs: Vec<u64> = Vec::new();
    let mut cur: u64 = 0;
    let mut fresh = true;
    for &b in value {
        if fresh && b == 0x80 {
            return Err(bad()); // non-minimal encoding of a subidentifier
        }
        if cur > (u64::MAX >> 7) {
            return Err(bad());
        }
        cur = (cur << 7) | u64::from(b & 0x7f);
        fresh = b & 0x80 == 0;
        if fresh {
            arcs.push(cur);
            cur = 0;
        }
    }
    let mut out = String::new();
    let first = *arcs.first().ok_or_else(bad)?;
    let (a, b) = if first < 40 {
        (0, first)
    } else if first < 80 {
        (1, first - 40)
    } else {
        (2, first - 80)
    };
    out.push_str(&format!("{a}.{b}"));
    for arc in arcs.iter().skip(1) {
        out.push_str(&format!(".{arc}"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nested_sequence() {
        let der = [0x30, 0x06, 0x02, 0x01, 0x05, 0x04, 0x01, 0xaa];
        let mut r = Reader::new(&der);
        let seq = r.expect(tag::SEQUENCE).unwrap();
        r.finish().unwrap();
        let mut inner = Reader::inside(&seq);
        assert_eq!(inner.expect(tag::INTEGER).unwrap().value, &[5]);
        let os = inner.expect(tag::OCTET_STRING).unwrap();
        assert_eq!(os.value_offset, 7);
        inner.finish().unwrap();
    }

    #[test]
    fn rejects_bad_lengths() {
        assert_eq!(Reader::new(&[0x30, 0x80]).read().unwrap_err().kind, DerErrorKind::IndefiniteLength);
        assert_eq!(Reader::new(&[0x30, 0x81, 0x05]).read().unwrap_err().kind, DerErrorKind::NonMinimalLength);
        assert_eq!(Reader::new(&[0x30, 0x05, 0x00]).read().unwrap_err().kind, DerErrorKind::Truncated);
        assert_eq!(Reader::new(&[0x30]).read().unwrap_err().kind, DerErrorKind::Truncated);
        assert_eq!(Reader::new(&[0x1f, 0x01, 0x00]).read().unwrap_err().kind, DerErrorKind::HighTagNumber);
        assert_eq!(Reader::new(&[0x30, 0x85, 1, 1, 1, 1, 1]).read().unwrap_err().kind, DerErrorKind::LengthTooLarge);
    }

    #[test]
    fn decodes_oids() {
        // 0.4.0.1862.1.1 (QcCompliance)
        assert_eq!(oid_to_string(&[0x04, 0x00, 0x8e, 0x46, 0x01, 0x01], 0).unwrap(), "0.4.0.1862.1.1");
        // 2.5.4.5
        assert_eq!(oid_to_string(&[0x55, 0x04, 0x05], 0).unwrap(), "2.5.4.5");
        assert!(oid_to_string(&[0x55, 0x84], 0).is_err());
        assert!(oid_to_string(&[], 0).is_err());
        assert!(oid_to_string(&[0x55, 0x80, 0x01], 0).is_err());
    }

    #[test]
    fn never_panics_on_short_garbage() {
        for a in 0u8..=255 {
            for b in [0u8, 1, 0x7f, 0x80, 0x81, 0x82, 0x84, 0xff] {
                let buf = [a, b, 0x01, 0x00];
                let mut r = Reader::new(&buf);
                while r.read().is_ok() {}
                let _ = oid_to_string(&buf, 0);
            }
        }
    }
}
