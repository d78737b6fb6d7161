//! A minimal DER writer (ITU-T X.690 §10, §8) — just what certificates, CRLs and the ETSI
//! extensions need.
//!
//! The generator writes every byte itself instead of going through a certificate library, so that
//! each deliberately broken variant differs from its valid base in exactly one field (a negative
//! serial, a GeneralizedTime before 2050, a duplicated extension...), which no high-level builder
//! would let us produce.

use time::OffsetDateTime;

/// Universal tags used here (X.680 §8.4, Table 1).
pub mod tag {
    pub const BOOLEAN: u8 = 0x01;
    pub const INTEGER: u8 = 0x02;
    pub const BIT_STRING: u8 = 0x03;
    pub const OCTET_STRING: u8 = 0x04;
    pub const NULL: u8 = 0x05;
    pub const OID: u8 = 0x06;
    pub const ENUMERATED: u8 = 0x0a;
    pub const UTF8_STRING: u8 = 0x0c;
    pub const PRINTABLE_STRING: u8 = 0x13;
    pub const IA5_STRING: u8 = 0x16;
    pub const UTC_TIME: u8 = 0x17;
    pub const GENERALIZED_TIME: u8 = 0x18;
    pub const SEQUENCE: u8 = 0x30;
    pub const SET: u8 = 0x31;
}

/// One TLV with a definite, minimal length (X.690 §10.1).
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    out.push(tag);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        let significant = bytes.get(skip..).unwrap_or(&[]);
        out.push(0x80 | significant.len() as u8);
        out.extend_from_slice(significant);
    }
    out.extend_from_slice(content);
    out
}

/// A SEQUENCE of already encoded elements.
pub fn seq<I, T>(items: I) -> Vec<u8>
where
    I: IntoIterator<Item = T>,
    T: AsRef<[u8]>,
{
    tlv(tag::SEQUENCE, &concat(items))
}

/// A SET OF already encoded elements, sorted as X.690 §11.6 requires for DER.
pub fn set_of<I, T>(items: I) -> Vec<u8>
where
    I: IntoIterator<Item = T>,
    T: AsRef<[u8]>,
{
    let mut parts: Vec<Vec<u8>> = items.into_iter().map(|i| i.as_ref().to_vec()).collect();
    parts.sort();
    tlv(tag::SET, &concat(parts))
}

pub fn concat<I, T>(items: I) -> Vec<u8>
where
    I: IntoIterator<Item = T>,
    T: AsRef<[u8]>,
{
    let mut out = Vec::new();
    for i in items {
        out.extend_from_slice(i.as_ref());
    }
    out
}

/// `[n] EXPLICIT` (constructed context-specific tag around a complete TLV).
pub fn explicit(n: u8, inner: &[u8]) -> Vec<u8> {
    tlv(0xa0 | n, inner)
}

/// `[n] IMPLICIT` on a primitive type: the content octets with a context-specific primitive tag.
pub fn implicit_primitive(n: u8, content: &[u8]) -> Vec<u8> {
    tlv(0x80 | n, content)
}

/// `[n] IMPLICIT` on a constructed type (SEQUENCE...): the content with a constructed tag.
pub fn implicit_constructed(n: u8, content: &[u8]) -> Vec<u8> {
    tlv(0xa0 | n, content)
}

pub fn boolean(v: bool) -> Vec<u8> {
    tlv(tag::BOOLEAN, &[if v { 0xff } else { 0x00 }])
}

pub fn null() -> Vec<u8> {
    tlv(tag::NULL, &[])
}

/// A non-negative INTEGER from big-endian magnitude bytes, minimally encoded (X.690 §8.3.2).
pub fn uint(magnitude: &[u8]) -> Vec<u8> {
    let skip = magnitude.iter().take_while(|b| **b == 0).count();
    let trimmed = magnitude.get(skip..).unwrap_or(&[]);
    let mut content = Vec::with_capacity(trimmed.len() + 1);
    match trimmed.first() {
        None => content.push(0),
        Some(b) if *b >= 0x80 => {
            content.push(0);
            content.extend_from_slice(trimmed);
        }
        Some(_) => content.extend_from_slice(trimmed),
    }
    tlv(tag::INTEGER, &content)
}

pub fn small_uint(v: u64) -> Vec<u8> {
    uint(&v.to_be_bytes())
}

/// An INTEGER whose content octets are given as is (two's complement), used to write the
/// negative serial number of a broken variant.
pub fn int_raw(content: &[u8]) -> Vec<u8> {
    tlv(tag::INTEGER, content)
}

pub fn enumerated(v: u8) -> Vec<u8> {
    tlv(tag::ENUMERATED, &[v])
}

pub fn octet_string(v: &[u8]) -> Vec<u8> {
    tlv(tag::OCTET_STRING, v)
}

/// A BIT STRING holding whole octets (keys, signatures).
pub fn bit_string(v: &[u8]) -> Vec<u8> {
    let mut content = Vec::with_capacity(v.len() + 1);
    content.push(0);
    content.extend_from_slice(v);
    tlv(tag::BIT_STRING, &content)
}

/// A named-bit-list BIT STRING (KeyUsage): bit 0 is the most significant bit of the first octet;
/// trailing zero bits are removed as X.690 §11.2.2 requires for DER.
pub fn named_bits(bits: &[usize]) -> Vec<u8> {
    let Some(highest) = bits.iter().copied().max() else {
        return tlv(tag::BIT_STRING, &[0]);
    };
    let n_octets = highest / 8 + 1;
    let mut octets = vec![0u8; n_octets];
    for b in bits {
        if let Some(o) = octets.get_mut(b / 8) {
            *o |= 0x80 >> (b % 8);
        }
    }
    let unused = 7 - (highest % 8);
    let mut content = vec![unused as u8];
    content.extend_from_slice(&octets);
    tlv(tag::BIT_STRING, &content)
}

pub fn utf8(s: &str) -> Vec<u8> {
    tlv(tag::UTF8_STRING, s.as_bytes())
}

pub fn printable(s: &str) -> Vec<u8> {
    tlv(tag::PRINTABLE_STRING, s.as_bytes())
}

pub fn ia5(s: &str) -> Vec<u8> {
    tlv(tag::IA5_STRING, s.as_bytes())
}

/// An OBJECT IDENTIFIER from its dotted form (X.690 §8.19). The OIDs are constants of this crate;
/// a malformed one is a programming error reported as an empty content.
pub fn oid(dotted: &str) -> Vec<u8> {
    tlv(tag::OID, &oid_content(dotted))
}

pub fn oid_content(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u64> = dotted.split('.').filter_map(|a| a.parse().ok()).collect();
    let mut out = Vec::new();
    let (Some(first), Some(second)) = (arcs.first(), arcs.get(1)) else {
        return out;
    };
    let mut push_arc = |mut v: u64| {
        let mut tmp = vec![(v & 0x7f) as u8];
        v >>= 7;
        while v > 0 {
            tmp.push(0x80 | (v & 0x7f) as u8);
            v >>= 7;
        }
        tmp.reverse();
        out.extend_from_slice(&tmp);
    };
    push_arc(first * 40 + second);
    for a in arcs.iter().skip(2) {
        push_arc(*a);
    }
    out
}

/// How a certificate or CRL time is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeEncoding {
    /// RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
    Rfc5280,
    /// GeneralizedTime regardless of the year (wrong before 2050; used by one broken variant).
    AlwaysGeneralized,
}

/// A time as RFC 5280 §4.1.2.5.1/§4.1.2.5.2 wants it: Zulu, seconds, no fractions.
pub fn time(t: OffsetDateTime, enc: TimeEncoding) -> Vec<u8> {
    let t = t.to_offset(time::UtcOffset::UTC);
    let (y, mo, d, h, mi, s) = (t.year(), u8::from(t.month()), t.day(), t.hour(), t.minute(), t.second());
    if enc == TimeEncoding::Rfc5280 && (1950..2050).contains(&y) {
        let s = format!("{:02}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z", y % 100);
        tlv(tag::UTC_TIME, s.as_bytes())
    } else {
        let s = format!("{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z");
        tlv(tag::GENERALIZED_TIME, s.as_bytes())
    }
}

/// PEM armour (RFC 7468 §2: base64 lines of 64 characters).
pub fn pem(label: &str, der: &[u8]) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    let bytes = b64.as_bytes();
    for chunk in bytes.chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// One TLV read back: its tag, its content, and the whole encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    pub tag: u8,
    pub content: &'a [u8],
    pub raw: &'a [u8],
}

/// Read one definite-length TLV with a one-octet tag from the front of `input`; returns it and
/// the rest. `None` on truncation or an unsupported length form. (For inspecting generated
/// material in tests; not a validating parser.)
pub fn read_tlv(input: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let tag = *input.first()?;
    let first = *input.get(1)?;
    let (len, header) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for b in input.get(2..2 + n)? {
            len = (len << 8) | usize::from(*b);
        }
        (len, 2 + n)
    };
    let end = header.checked_add(len)?;
    let content = input.get(header..end)?;
    let raw = input.get(..end)?;
    Some((Tlv { tag, content, raw }, input.get(end..)?))
}

/// The elements of a constructed TLV's content, in order.
pub fn children(content: &[u8]) -> Option<Vec<Tlv<'_>>> {
    let mut out = Vec::new();
    let mut rest = content;
    while !rest.is_empty() {
        let (t, r) = read_tlv(rest)?;
        out.push(t);
        rest = r;
    }
    Some(out)
}

/// Decode PEM armour (the first block) back to DER.
pub fn from_pem(text: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    let b64: String = text
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN "))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END "))
        .collect();
    base64::engine::general_purpose::STANDARD.decode(b64).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn lengths_are_minimal() {
        assert_eq!(tlv(0x04, &[1, 2]), vec![0x04, 2, 1, 2]);
        let long = vec![0u8; 200];
        assert_eq!(&tlv(0x04, &long)[..3], &[0x04, 0x81, 200]);
        let longer = vec![0u8; 300];
        assert_eq!(&tlv(0x04, &longer)[..4], &[0x04, 0x82, 0x01, 0x2c]);
    }

    #[test]
    fn integers() {
        assert_eq!(uint(&[0, 0, 5]), vec![2, 1, 5]);
        assert_eq!(uint(&[0x80]), vec![2, 2, 0, 0x80]);
        assert_eq!(uint(&[]), vec![2, 1, 0]);
        assert_eq!(small_uint(0x1234), vec![2, 2, 0x12, 0x34]);
    }

    #[test]
    fn oids() {
        // 1.2.840.113549 -> 2a 86 48 86 f7 0d (X.690 §8.19.5 example style)
        assert_eq!(oid("1.2.840.113549"), vec![6, 6, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d]);
        assert_eq!(oid("0.4.0.1862.1.1"), vec![6, 6, 0x04, 0x00, 0x8e, 0x46, 0x01, 0x01]);
        assert_eq!(oid("2.5.29.15"), vec![6, 3, 0x55, 0x1d, 0x0f]);
    }

    #[test]
    fn named_bits_trim_trailing_zeros() {
        // digitalSignature only: 03 02 07 80
        assert_eq!(named_bits(&[0]), vec![3, 2, 7, 0x80]);
        // nonRepudiation only: 03 02 06 40
        assert_eq!(named_bits(&[1]), vec![3, 2, 6, 0x40]);
        // keyCertSign + cRLSign: 03 02 01 06
        assert_eq!(named_bits(&[5, 6]), vec![3, 2, 1, 0x06]);
        // decipherOnly needs a second octet: 03 03 07 00 80
        assert_eq!(named_bits(&[8]), vec![3, 3, 7, 0, 0x80]);
    }

    #[test]
    fn times_follow_rfc5280() {
        let t = datetime!(2025-06-01 12:30:05 UTC);
        assert_eq!(time(t, TimeEncoding::Rfc5280), tlv(tag::UTC_TIME, b"250601123005Z"));
        assert_eq!(time(t, TimeEncoding::AlwaysGeneralized), tlv(tag::GENERALIZED_TIME, b"20250601123005Z"));
        let late = datetime!(2050-01-01 00:00:00 UTC);
        assert_eq!(time(late, TimeEncoding::Rfc5280), tlv(tag::GENERALIZED_TIME, b"20500101000000Z"));
    }

    #[test]
    fn set_of_is_sorted() {
        assert_eq!(set_of([vec![2u8, 1, 9], vec![2u8, 1, 1]]), vec![0x31, 6, 2, 1, 1, 2, 1, 9]);
    }

    #[test]
    fn read_back() {
        let inner = [small_uint(5), utf8("é")];
        let s = seq(&inner);
        let (t, rest) = read_tlv(&s).unwrap();
        assert!(rest.is_empty());
        assert_eq!(t.tag, tag::SEQUENCE);
        let kids = children(t.content).unwrap();
        assert_eq!(kids.len(), 2);
        assert_eq!(kids[1].content, "é".as_bytes());
        let long = octet_string(&[7u8; 300]);
        assert_eq!(read_tlv(&long).unwrap().0.content.len(), 300);
        assert!(read_tlv(&long[..100]).is_none());
        assert_eq!(from_pem(&pem("X", &long)).unwrap(), long);
    }

    #[test]
    fn pem_wraps_at_64() {
        let p = pem("CERTIFICATE", &[0u8; 60]);
        let lines: Vec<&str> = p.lines().collect();
        assert_eq!(lines[0], "-----BEGIN CERTIFICATE-----");
        assert_eq!(lines[1].len(), 64);
        assert_eq!(lines.last().copied(), Some("-----END CERTIFICATE-----"));
    }
}
