//! Strict base64url without padding (RFC 7515 §2 and Appendix C; RFC 4648 §5): no `=`, no
//! whitespace, no characters outside the URL-safe alphabet, and no non-zero trailing bits
//! (a non-canonical encoding would let two strings carry the same bytes).
//!
//! Decoding is a table lookup eight characters at a time into a caller's buffer
//! ([`decode_into`]), so a token's parts are decoded without per-part allocations.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not strict base64url: {0}")]
pub struct B64Error(String);

/// Marks a byte outside the base64url alphabet in [`DECODE`].
const INVALID: u8 = 0x80;

/// The base64url alphabet (RFC 4648 §5, Table 2) as a decoding table.
const DECODE: [u8; 256] = {
    let mut t = [INVALID; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut i = 0;
    while i < 64 {
        t[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    t
};

fn sextet(c: u8) -> u8 {
    DECODE.get(usize::from(c)).copied().unwrap_or(INVALID)
}

fn bad_char(s: &[u8]) -> B64Error {
    match s.iter().position(|c| sextet(*c) == INVALID) {
        Some(i) => B64Error(format!(
            "the character {:?} at offset {i} is not in the alphabet",
            s.get(i).map(|c| char::from(*c)).unwrap_or_default()
        )),
        None => B64Error("a character is not in the alphabet".into()),
    }
}

pub fn decode(s: &str) -> Result<Vec<u8>, B64Error> {
    let mut out = Vec::new();
    decode_into(s, &mut out)?;
    Ok(out)
}

/// Decodes into `out` (cleared first), so a caller can reuse one buffer.
pub fn decode_into(s: &str, out: &mut Vec<u8>) -> Result<(), B64Error> {
    let b = s.as_bytes();
    out.clear();
    if b.len() % 4 == 1 {
        return Err(B64Error(format!("a length of {} characters is impossible", b.len())));
    }
    // Full groups of eight characters (six bytes) go straight into the buffer, sized once.
    let groups = b.len() / 8;
    out.resize(groups * 6, 0);
    let mut chunks = b.chunks_exact(8);
    for (c, o) in (&mut chunks).zip(out.chunks_exact_mut(6)) {
        let mut acc: u64 = 0;
        let mut bad = 0u8;
        for &x in c {
            let v = sextet(x);
            bad |= v;
            acc = acc << 6 | u64::from(v);
        }
        if bad & INVALID != 0 {
            return Err(bad_char(b));
        }
        let bytes = acc.to_be_bytes();
        o.copy_from_slice(bytes.get(2..).unwrap_or(&[0; 6]));
    }
    let rest = chunks.remainder();
    // At most 7 characters, 42 bits.
    let mut acc: u64 = 0;
    let mut bad = 0u8;
    for &x in rest {
        let v = sextet(x);
        bad |= v;
        acc = acc << 6 | u64::from(v);
    }
    if bad & INVALID != 0 {
        return Err(bad_char(b));
    }
    // 0..7 characters are left: a group of four (3 bytes) and/or a tail of 2 or 3.
    let (full, tail) = (rest.len() / 4, rest.len() % 4);
    let tail_bits = tail * 6;
    let tail_bytes = tail_bits / 8; // 2 -> 1, 3 -> 2
    let unused = tail_bits % 8; // 4 or 2 trailing bits, which must be zero
    if acc & ((1u64 << unused) - 1) != 0 {
        return Err(B64Error("the last character has non-zero trailing bits".into()));
    }
    let bits = acc >> unused;
    let total = full * 3 + tail_bytes;
    let be = bits.to_be_bytes();
    out.extend_from_slice(be.get(8 - total..).unwrap_or_default());
    Ok(())
}

pub fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Standard, padded base64 — used only by the `x5c` header (RFC 7515 §4.1.6).
pub fn decode_std(s: &str) -> Result<Vec<u8>, B64Error> {
    STANDARD.decode(s).map_err(|e| B64Error(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strictness() {
        assert_eq!(decode("Zm9v").unwrap(), b"foo");
        assert!(decode("Zm9v=").is_err(), "padding");
        assert!(decode("Zm 9v").is_err(), "space");
        assert!(decode("Zm+v").is_err(), "standard alphabet");
        assert!(decode("Zh").is_err(), "non-zero trailing bits");
        assert!(decode("Zg").is_ok());
        assert!(decode("A").is_err(), "impossible length");
        assert_eq!(encode(b"foo"), "Zm9v");
    }

    /// The table decoder agrees with the base64 crate's strict URL_SAFE_NO_PAD engine on every
    /// length and on corrupted input.
    #[test]
    fn agrees_with_the_base64_crate() {
        let data: Vec<u8> = (0..200u32).map(|i| (i * 37 + 11) as u8).collect();
        for n in 0..data.len() {
            let enc = URL_SAFE_NO_PAD.encode(&data[..n]);
            assert_eq!(decode(&enc).unwrap(), &data[..n], "length {n}");
            for bad in ["=", "+", "/", " ", "\n", "é", "."] {
                for pos in [0, enc.len() / 2, enc.len()] {
                    let mut s = enc.clone();
                    s.insert_str(pos, bad);
                    assert_eq!(decode(&s).is_ok(), URL_SAFE_NO_PAD.decode(&s).is_ok(), "{s:?}");
                }
            }
            // Every last character: canonical or not.
            if !enc.is_empty() {
                for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".chars() {
                    let mut s = enc[..enc.len() - 1].to_string();
                    s.push(c);
                    assert_eq!(decode(&s).ok(), URL_SAFE_NO_PAD.decode(&s).ok(), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn the_buffer_is_reused() {
        let mut buf = Vec::new();
        decode_into("Zm9vYmFy", &mut buf).unwrap();
        assert_eq!(buf, b"foobar");
        decode_into("Zm9v", &mut buf).unwrap();
        assert_eq!(buf, b"foo");
        assert!(decode_into("Zm9v=", &mut buf).is_err());
    }
}
