//! OBJECT IDENTIFIER content octets to dotted text (X.690 §8.19), without the formatting
//! machinery: every certificate carries a few dozen OIDs, and turning them into text was the
//! largest single cost of parsing a leaf.

use x509_parser::der_parser::oid::Oid;

/// The dotted form of OID content octets; `None` for an empty or truncated encoding, a
/// non-minimal arc (X.690 §8.19.2: a leading 0x80 octet) or an arc of 2^63 or more (which
/// x509-parser's own conversion writes as hex).
pub fn dotted(content: &[u8]) -> Option<String> {
    let mut out = String::with_capacity(content.len() * 3);
    let mut v: u64 = 0;
    let mut in_arc = false;
    let mut first = true;
    for b in content {
        if !in_arc && *b == 0x80 {
            return None;
        }
        v = v.checked_mul(128)?.checked_add(u64::from(b & 0x7f))?;
        in_arc = b & 0x80 != 0;
        if in_arc {
            continue;
        }
        if v >= 1 << 63 {
            return None;
        }
        if first {
            // X.690 §8.19.4: the first two arcs share one subidentifier.
            let (a, b2) = match v {
                0..=39 => (0, v),
                40..=79 => (1, v - 40),
                _ => (2, v - 80),
            };
            push_u64(&mut out, a);
            out.push('.');
            push_u64(&mut out, b2);
            first = false;
        } else {
            out.push('.');
            push_u64(&mut out, v);
        }
        v = 0;
    }
    (!in_arc && !first).then_some(out)
}

/// The dotted form of a parsed OID, as x509-parser's `to_id_string` gives it (which it falls
/// back to for the encodings [`dotted`] refuses).
pub fn text(oid: &Oid) -> String {
    dotted(oid.as_bytes()).unwrap_or_else(|| oid.to_id_string())
}

fn push_u64(out: &mut String, mut n: u64) {
    if n < 10 {
        out.push(char::from(b'0' + n as u8));
        return;
    }
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    while n > 0 && i > 0 {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out.push_str(std::str::from_utf8(buf.get(i..).unwrap_or_default()).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known() {
        for (der, s) in [
            (&[0x55, 0x04, 0x03][..], "2.5.4.3"),
            (&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b][..], "1.2.840.113549.1.1.11"),
            (&[0x00][..], "0.0"),
            (&[0x88, 0x37, 0x01][..], "2.999.1"),
        ] {
            assert_eq!(dotted(der).as_deref(), Some(s));
        }
        assert_eq!(dotted(&[]), None);
        assert_eq!(dotted(&[0x80, 0x01]), None);
        assert_eq!(dotted(&[0x2b, 0x86]), None);
        assert_eq!(dotted(&[0xff; 11]), None);
    }

    proptest! {
        /// The same text as x509-parser's own conversion, for any arcs.
        /// (Arcs of 2^63 and more come out as hex from both, through the fallback.)
        #[test]
        fn agrees_with_asn1_rs(first in 0u64..3, second in 0u64..40, rest in proptest::collection::vec(any::<u64>(), 0..8)) {
            // asn1-rs writes 0.0 (content octet 0x00) as "0"; X.690 §8.19.4 makes it 0.0 (see `known`).
            prop_assume!(first != 0 || second != 0);
            let mut arcs = vec![first, second];
            arcs.extend(rest);
            let oid = Oid::from(&arcs).expect("valid arcs");
            prop_assert_eq!(text(&oid), oid.to_id_string());
        }
    }
}
