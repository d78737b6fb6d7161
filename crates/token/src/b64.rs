//! Strict base64url without padding (RFC 7515 §2 and Appendix C; RFC 4648 §5): no `=`, no
//! whitespace, no characters outside the URL-safe alphabet, and no non-zero trailing bits
//! (a non-canonical encoding would let two strings carry the same bytes).

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not strict base64url: {0}")]
pub struct B64Error(String);

pub fn decode(s: &str) -> Result<Vec<u8>, B64Error> {
    URL_SAFE_NO_PAD.decode(s).map_err(|e| B64Error(e.to_string()))
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
}
