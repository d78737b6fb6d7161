//! [`DerBytes`]: a part of a certificate's DER, shared with the certificate instead of copied.
//!
//! A certificate parsed on the fast path keeps its DER once (one allocation) and its serial
//! number, signature, key and names as ranges into it, so that parsing a leaf for every
//! validation costs one copy of its bytes, not one per field.

use std::fmt;
use std::ops::{Deref, Range};
use std::sync::Arc;

/// Bytes that dereference to `[u8]`, held as a range of a shared buffer. Equality, ordering
/// and hashing are those of the bytes.
#[derive(Clone)]
pub struct DerBytes {
    buf: Arc<[u8]>,
    range: Range<usize>,
}

impl DerBytes {
    /// The whole of `buf`.
    pub(crate) fn whole(buf: Arc<[u8]>) -> DerBytes {
        let range = 0..buf.len();
        DerBytes { buf, range }
    }

    /// The part of `buf` that `inner` is, when `inner` is a subslice of `outer` and `buf`
    /// holds the same bytes as `outer` (a copy of it); `None` otherwise.
    pub(crate) fn within(buf: &Arc<[u8]>, outer: &[u8], inner: &[u8]) -> Option<DerBytes> {
        let o = outer.as_ptr() as usize;
        let i = inner.as_ptr() as usize;
        if i < o || i + inner.len() > o + outer.len() || outer.len() != buf.len() {
            return None;
        }
        let start = i - o;
        Some(DerBytes { buf: Arc::clone(buf), range: start..start + inner.len() })
    }

    /// The bytes as a slice.
    pub fn as_slice(&self) -> &[u8] {
        self.buf.get(self.range.clone()).unwrap_or_default()
    }

    /// A copy of the bytes.
    pub fn to_vec(&self) -> Vec<u8> {
        self.as_slice().to_vec()
    }
}

impl Default for DerBytes {
    fn default() -> DerBytes {
        DerBytes::from(&[][..])
    }
}

impl From<&[u8]> for DerBytes {
    fn from(b: &[u8]) -> DerBytes {
        DerBytes { buf: Arc::from(b), range: 0..b.len() }
    }
}

impl From<Vec<u8>> for DerBytes {
    fn from(b: Vec<u8>) -> DerBytes {
        let len = b.len();
        DerBytes { buf: Arc::from(b), range: 0..len }
    }
}

impl Deref for DerBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl AsRef<[u8]> for DerBytes {
    fn as_ref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl PartialEq for DerBytes {
    fn eq(&self, other: &DerBytes) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for DerBytes {}

impl PartialEq<[u8]> for DerBytes {
    fn eq(&self, other: &[u8]) -> bool {
        self.as_slice() == other
    }
}

impl PartialEq<Vec<u8>> for DerBytes {
    fn eq(&self, other: &Vec<u8>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl PartialEq<DerBytes> for Vec<u8> {
    fn eq(&self, other: &DerBytes) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl std::hash::Hash for DerBytes {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

impl fmt::Debug for DerBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_slice().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_share_the_buffer_and_compare_as_bytes() {
        let der = vec![1u8, 2, 3, 4, 5];
        let buf: Arc<[u8]> = Arc::from(der.as_slice());
        let mid = DerBytes::within(&buf, &der, &der[1..3]).unwrap();
        assert_eq!(mid.as_slice(), &[2, 3]);
        assert_eq!(mid, DerBytes::from(vec![2, 3]));
        assert_eq!(mid, vec![2u8, 3]);
        assert_eq!(Arc::strong_count(&buf), 2);
        assert_eq!(DerBytes::whole(Arc::clone(&buf)).len(), 5);
        // Not a subslice of `outer`.
        let other = [2u8, 3];
        assert!(DerBytes::within(&buf, &der, &other).is_none());
        assert!(DerBytes::default().is_empty());
    }
}
