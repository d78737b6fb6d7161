//! OBJECT IDENTIFIER content octets to dotted text (X.690 §8.19), without the formatting
//! machinery: every certificate carries a few dozen OIDs, and turning them into text was the
//! largest single cost of parsing a leaf.

use x509_parser::der_parser::oid::Oid;

/// The dotted form of OID content octets; `None` for an empty or truncated encoding, a
/// non-minimal arc (X.690 §8.19.2: a leading 0x80 octet) or an arc of 2^63 or more (which
/// x509-parser's own conversion writes as hex).
pub fn dotted(content: &[u8]) -> Option<String> {
    let mut out = String::with_capacity(content.len() * 3);
    write_dotted(content, &mut |piece| out.push_str(piece))?;
    Some(out)
}

/// Writes the dotted form of OID content octets piece by piece to `out`, without allocating;
/// `None` (after a partial write) exactly when [`dotted`] gives `None`.
pub(crate) fn write_dotted(content: &[u8], out: &mut impl FnMut(&str)) -> Option<()> {
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
            push_u64(out, a);
            out(".");
            push_u64(out, b2);
            first = false;
        } else {
            out(".");
            push_u64(out, v);
        }
        v = 0;
    }
    (!in_arc && !first).then_some(())
}

/// Whether [`dotted`] gives `Some` for these content octets, without writing anything: not
/// empty, no arc with a leading 0x80 octet (X.690 §8.19.2), the last octet ends an arc, and no
/// arc of more than nine 7-bit groups (2^63 and more).
pub(crate) fn has_dotted(content: &[u8]) -> bool {
    let mut groups = 0u32;
    for b in content {
        if groups == 0 && *b == 0x80 {
            return false;
        }
        groups += 1;
        if groups > 9 {
            return false;
        }
        if b & 0x80 == 0 {
            groups = 0;
        }
    }
    !content.is_empty() && groups == 0
}

/// Whether OID content octets are the OID `dotted_text`: the text is encoded (X.690 §8.19)
/// into a small buffer and compared, without allocating.
pub(crate) fn is(content: &[u8], dotted_text: &str) -> bool {
    // The attribute types looked up most (commonName, emailAddress) without encoding.
    match dotted_text {
        "2.5.4.3" => return content == [0x55, 0x04, 0x03],
        "1.2.840.113549.1.9.1" => return content == [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01],
        _ => {}
    }
    let mut buf = [0u8; 64];
    match encode(dotted_text, &mut buf) {
        Some(n) => buf.get(..n) == Some(content) && has_dotted(content),
        None => dotted(content).as_deref() == Some(dotted_text),
    }
}

/// The content octets of a dotted OID written into `buf`; `None` when the text is not a
/// plain dotted OID of at least two arcs, or does not fit.
fn encode(text: &str, buf: &mut [u8]) -> Option<usize> {
    let mut arcs = text.split('.').map(|a| {
        if a.is_empty() || a.len() > 20 || (a.len() > 1 && a.starts_with('0')) || !a.bytes().all(|b| b.is_ascii_digit())
        {
            None
        } else {
            a.parse::<u64>().ok()
        }
    });
    let first = arcs.next()??;
    let second = arcs.next()??;
    if first > 2 || (first < 2 && second > 39) {
        return None;
    }
    let mut n = 0;
    let mut put = |mut v: u64| -> Option<()> {
        let mut tmp = [0u8; 10];
        let mut i = tmp.len();
        loop {
            i -= 1;
            *tmp.get_mut(i)? = (v & 0x7f) as u8 | if i == tmp.len() - 1 { 0 } else { 0x80 };
            v >>= 7;
            if v == 0 {
                break;
            }
        }
        for b in tmp.get(i..)? {
            *buf.get_mut(n)? = *b;
            n += 1;
        }
        Some(())
    };
    put(first.checked_mul(40)?.checked_add(second)?)?;
    for a in arcs {
        put(a?)?;
    }
    Some(n)
}

/// The dotted form of a parsed OID, as x509-parser's `to_id_string` gives it (which it falls
/// back to for the encodings [`dotted`] refuses).
pub fn text(oid: &Oid) -> String {
    dotted(oid.as_bytes()).unwrap_or_else(|| oid.to_id_string())
}

fn push_u64(out: &mut impl FnMut(&str), mut n: u64) {
    const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    if n < 10 {
        out(DIGITS.get(n as usize).copied().unwrap_or("0"));
        return;
    }
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    while n > 0 && i > 0 {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out(std::str::from_utf8(buf.get(i..).unwrap_or_default()).unwrap_or_default());
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
        assert!(is(&[0x55, 0x04, 0x03], "2.5.4.3"));
        assert!(!is(&[0x55, 0x04, 0x03], "2.5.4.31"));
        assert!(!is(&[0x55, 0x04, 0x1f], "2.5.4.3"));
        assert!(!is(&[0x55, 0x04], "2.5.4.3"));
        assert!(!is(&[0x80, 0x01], "0.1"));
        assert!(is(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b], "1.2.840.113549.1.1.11"));
        assert!(is(&[0x88, 0x37, 0x01], "2.999.1"));
        assert!(!is(&[0x55, 0x04, 0x03], "2.5.4.03"));
        let email = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01];
        assert_eq!(dotted(&email).as_deref(), Some("1.2.840.113549.1.9.1"));
        assert!(is(&email, "1.2.840.113549.1.9.1"));
    }

    proptest! {
        /// `has_dotted` and `is` agree with `dotted` on any octets.
        #[test]
        fn checks_agree_with_dotted(content in proptest::collection::vec(any::<u8>(), 0..24)) {
            let d = dotted(&content);
            prop_assert_eq!(has_dotted(&content), d.is_some());
            if let Some(text) = d {
                prop_assert!(is(&content, &text));
                let mut buf = [0u8; 64];
                prop_assert_eq!(encode(&text, &mut buf).and_then(|n| buf.get(..n).map(<[u8]>::to_vec)), Some(content.clone()));
            }
        }
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
