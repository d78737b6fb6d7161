//! Distinguished names and general names (RFC 5280 §4.1.2.4, §4.2.1.6) and their comparison
//! (RFC 5280 §7.1).

use crate::bytes::DerBytes;
use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;
use x509_parser::prelude::FromDer;
use x509_parser::x509::{RelativeDistinguishedName, X509Name};

/// One AttributeTypeAndValue.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Attribute {
    /// The attribute type in dotted form (`2.5.4.3` for commonName).
    pub oid: String,
    /// The ASN.1 universal tag of the value (12 UTF8String, 19 PrintableString, 22 IA5String, ...).
    pub tag: u32,
    /// The value's content octets.
    pub value: Vec<u8>,
}

impl Attribute {
    /// The value as text when its string type allows (UTF8String, PrintableString, IA5String,
    /// TeletexString taken as Latin-1, BMPString, UniversalString, NumericString, VisibleString).
    pub fn text(&self) -> Option<String> {
        self.text_ref().map(Cow::into_owned)
    }

    /// [`Attribute::text`] without a copy for the UTF-8 and ASCII string types.
    pub fn text_ref(&self) -> Option<Cow<'_, str>> {
        string_value(self.tag, &self.value)
    }

    /// The comparison key of RFC 5280 §7.1 (after RFC 4518 in outline): for string values, case
    /// folded, with leading and trailing space removed and inner runs of space collapsed; other
    /// values compare as their tag and octets.
    fn key(&self, out: &mut impl KeySink) {
        attribute_key(&self.oid, self.tag, &self.value, out);
    }

    #[cfg(test)]
    fn unicode_key(&self, out: &mut Vec<u8>) {
        unicode_key(self.tag, &self.value, out);
    }
}

/// The text of a string value by its universal tag (UTF8String, PrintableString, IA5String,
/// TeletexString taken as Latin-1, BMPString, UniversalString, NumericString, VisibleString);
/// `None` for other types and for values that do not decode.
pub fn string_value(tag: u32, value: &[u8]) -> Option<Cow<'_, str>> {
    match tag {
        12 | 18 | 19 | 22 | 26 => std::str::from_utf8(value).ok().map(Cow::Borrowed),
        20 if value.is_ascii() => std::str::from_utf8(value).ok().map(Cow::Borrowed),
        20 => Some(Cow::Owned(value.iter().map(|b| *b as char).collect())),
        30 => {
            if value.len() % 2 != 0 {
                return None;
            }
            let units: Vec<u16> = value.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
            String::from_utf16(&units).ok().map(Cow::Owned)
        }
        28 => {
            if value.len() % 4 != 0 {
                return None;
            }
            value
                .chunks_exact(4)
                .map(|c| char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]])))
                .collect::<Option<String>>()
                .map(Cow::Owned)
        }
        _ => None,
    }
}

/// Where comparison keys are written: a buffer, or a running hash of the same bytes.
pub(crate) trait KeySink {
    fn put(&mut self, b: u8);
    fn put_all(&mut self, b: &[u8]);
}

impl KeySink for Vec<u8> {
    fn put(&mut self, b: u8) {
        self.push(b);
    }
    fn put_all(&mut self, b: &[u8]) {
        self.extend_from_slice(b);
    }
}

/// FNV-1a (64 bit) over the key bytes, counting them: a name's fingerprint.
struct Fnv {
    h: u64,
    n: u64,
}

impl Fnv {
    fn new() -> Fnv {
        Fnv { h: 0xcbf2_9ce4_8422_2325, n: 0 }
    }
}

impl KeySink for Fnv {
    fn put(&mut self, b: u8) {
        self.h = (self.h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        self.n = self.n.wrapping_add(1);
    }
    fn put_all(&mut self, b: &[u8]) {
        for x in b {
            self.put(*x);
        }
    }
}

/// One attribute's comparison key (see [`Attribute`]'s `key`): the type in dotted form, `=`,
/// then the value's part ([`value_key`]).
fn attribute_key(oid: &str, tag: u32, value: &[u8], out: &mut impl KeySink) {
    out.put_all(oid.as_bytes());
    out.put(b'=');
    value_key(tag, value, out);
}

/// The value's part of an attribute key: `s` and the folded text, or `b`, the tag and the
/// octets; a 0 octet ends it.
fn value_key(tag: u32, value: &[u8], out: &mut impl KeySink) {
    // ASCII values in a single-octet string type (nearly all real names) take the same key
    // without decoding into a String: Unicode case folding and white space restricted to
    // ASCII are the ASCII ones.
    if matches!(tag, 12 | 18 | 19 | 20 | 22 | 26) && value.is_ascii() {
        out.put(b's');
        // Words lower-cased, joined by one space; leading and trailing space dropped.
        let (mut any, mut gap) = (false, false);
        for b in value {
            if matches!(b, b' ' | 0x09..=0x0d) {
                gap = any;
                continue;
            }
            if gap {
                out.put(b' ');
                gap = false;
            }
            out.put(b.to_ascii_lowercase());
            any = true;
        }
        out.put(0);
    } else {
        unicode_key(tag, value, out);
    }
}

fn unicode_key(tag: u32, value: &[u8], out: &mut impl KeySink) {
    match string_value(tag, value) {
        Some(t) => {
            out.put(b's');
            let folded = t.to_lowercase();
            for (i, word) in folded.split_whitespace().enumerate() {
                if i > 0 {
                    out.put(b' ');
                }
                out.put_all(word.as_bytes());
            }
        }
        None => {
            out.put(b'b');
            out.put_all(&tag.to_be_bytes());
            out.put_all(value);
        }
    }
    out.put(0);
}

/// A distinguished name: a sequence of RDNs, each a set of attributes.
///
/// A name read from a certificate keeps its DER; the parsed attributes, the comparison key and
/// the fingerprint are derived from it on first use and kept (path validation compares names by
/// their DER first, so a leaf's names are usually never parsed into attributes).
#[derive(Clone)]
pub struct Name {
    /// The Name DER as encoded in the certificate (empty for names made by hand), shared with
    /// the certificate.
    der: DerBytes,
    /// Boxed on first use: a leaf's names, compared by their DER, usually never need it, and
    /// the name stays small (a certificate has two, a GeneralName may hold one).
    memo: OnceLock<Box<Memo>>,
}

/// What a [`Name`] derives from its DER when asked.
#[derive(Clone, Default)]
struct Memo {
    rdns: OnceLock<Vec<Vec<Attribute>>>,
    /// One comparison key per RDN (attributes sorted), see [`Attribute`]'s key.
    rdn_keys: OnceLock<Vec<Vec<u8>>>,
    /// A hash of `rdn_keys` (equal keys, equal fingerprints).
    fingerprint: OnceLock<u64>,
}

impl PartialEq for Name {
    fn eq(&self, other: &Name) -> bool {
        self.der == other.der && self.rdns() == other.rdns()
    }
}

impl Eq for Name {}

impl std::hash::Hash for Name {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.der.hash(state);
        self.rdns().hash(state);
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Name").field("der", &self.der.as_slice()).field("rdns", &self.rdns()).finish()
    }
}

impl Name {
    pub(crate) fn from_x509(n: &X509Name) -> Name {
        let rdns: Vec<Vec<Attribute>> = n.iter_rdn().map(rdn_attrs).collect();
        Name::from_parts(n.as_raw().to_vec(), rdns)
    }

    pub(crate) fn from_rdn(rdn: &RelativeDistinguishedName) -> Name {
        Name::from_parts(Vec::new(), vec![rdn_attrs(rdn)])
    }

    /// Builds a name from its parts; `der` may be empty for names made by hand.
    pub fn from_parts(der: Vec<u8>, rdns: Vec<Vec<Attribute>>) -> Name {
        let memo = Memo { rdns: OnceLock::from(rdns), ..Memo::default() };
        Name { der: DerBytes::from(der), memo: OnceLock::from(Box::new(memo)) }
    }

    /// A name whose DER (a whole Name TLV) the certificate fast path has walked
    /// ([`crate::cert::fast::walk_name`] accepted its contents): its attributes are read from
    /// the DER when first asked for.
    pub(crate) fn from_checked_der(der: DerBytes) -> Name {
        Name { der, memo: OnceLock::new() }
    }

    fn memo(&self) -> &Memo {
        self.memo.get_or_init(Box::default)
    }

    /// The attributes if they are built already.
    fn built_rdns(&self) -> Option<&Vec<Vec<Attribute>>> {
        self.memo.get().and_then(|m| m.rdns.get())
    }

    /// The Name DER as encoded (empty for a name made by hand).
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The RDNs in encoded order (the most general first), each a set of attributes.
    pub fn rdns(&self) -> &[Vec<Attribute>] {
        self.memo().rdns.get_or_init(|| {
            crate::cert::fast::name_contents(&self.der)
                .and_then(crate::cert::fast::parse_rdns)
                .or_else(|| match X509Name::from_der(&self.der) {
                    Ok(([], n)) => Some(n.iter_rdn().map(rdn_attrs).collect()),
                    _ => None,
                })
                .unwrap_or_default()
        })
    }

    /// The comparison key: one key per RDN, equal exactly when the names match (§7.1).
    pub fn match_key(&self) -> &[Vec<u8>] {
        self.memo().rdn_keys.get_or_init(|| {
            self.rdns()
                .iter()
                .map(|rdn| {
                    let mut k = Vec::new();
                    rdn_key(rdn, &mut k);
                    k
                })
                .collect()
        })
    }

    /// A 64-bit hash of [`Name::match_key`]: names that match have the same fingerprint. Read
    /// from the DER without building the attributes when they are not built yet.
    ///
    /// Per RDN: a single-valued RDN contributes the part of its key after the attribute type
    /// (the folded value), a multi-valued one its whole key; then the length of what it
    /// contributed. Equal keys give equal fingerprints, whichever way they are computed.
    pub fn fingerprint(&self) -> u64 {
        *self.memo().fingerprint.get_or_init(|| {
            if self.built_rdns().is_none() {
                if let Some(h) = self.streamed_fingerprint() {
                    return h;
                }
            }
            let mut f = Fnv::new();
            for (rdn, k) in self.rdns().iter().zip(self.match_key()) {
                let start = f.n;
                match rdn.as_slice() {
                    // The key is the type, `=`, then the value's part.
                    [a] => f.put_all(k.get(a.oid.len() + 1..).unwrap_or_default()),
                    _ => f.put_all(k),
                }
                let len = f.n.wrapping_sub(start);
                f.put_all(&len.to_le_bytes());
            }
            f.h
        })
    }

    /// [`Name::fingerprint`], taken from the first of `known` with the same DER (equal DER,
    /// equal fingerprint; computed and kept there if need be). Path building uses it for a
    /// leaf's issuer, which is usually byte for byte the subject of an intermediate that is
    /// parsed once and used for many leaves.
    pub fn fingerprint_from<'a>(&self, known: impl IntoIterator<Item = &'a Name>) -> u64 {
        if self.memo.get().and_then(|m| m.fingerprint.get()).is_none() && !self.der.is_empty() {
            if let Some(same) = known.into_iter().find(|k| k.der == self.der) {
                return same.fingerprint();
            }
        }
        self.fingerprint()
    }

    /// [`Name::fingerprint`] from the DER, when every RDN is single-valued.
    fn streamed_fingerprint(&self) -> Option<u64> {
        let content = crate::cert::fast::name_contents(&self.der)?;
        let mut f = Fnv::new();
        crate::cert::fast::walk_name(content, |set| {
            let start = f.n;
            let mut count = 0;
            crate::cert::fast::walk_rdn(set, |_, tag, value| {
                count += 1;
                value_key(u32::from(tag), value, &mut f);
            })?;
            if count != 1 {
                return None;
            }
            let len = f.n.wrapping_sub(start);
            f.put_all(&len.to_le_bytes());
            Some(())
        })?;
        Some(f.h)
    }

    /// An empty name (no RDNs).
    pub fn is_empty(&self) -> bool {
        match self.built_rdns() {
            Some(r) => r.is_empty(),
            // A checked DER name: `30 00` is the empty SEQUENCE.
            None => self.der.len() == 2,
        }
    }

    /// RFC 5280 §7.1 name matching: same number of RDNs, each RDN the same set of attributes,
    /// string values compared case-insensitively with white space folded.
    pub fn matches(&self, other: &Name) -> bool {
        (!self.der.is_empty() && self.der == other.der)
            || (self.fingerprint() == other.fingerprint() && self.match_key() == other.match_key())
    }

    /// This name lies within the subtree `base` (RFC 5280 §4.2.1.10 directoryName: `base`'s RDNs
    /// are a prefix of this name's).
    pub fn is_within(&self, base: &Name) -> bool {
        let (own, base) = (self.match_key(), base.match_key());
        base.len() <= own.len() && own.iter().zip(base).all(|(a, b)| a == b)
    }

    /// All attributes in order.
    pub fn attributes(&self) -> impl Iterator<Item = &Attribute> {
        self.rdns().iter().flatten()
    }

    /// The text values of the attributes of one type (e.g. `2.5.4.3`, commonName).
    pub fn values_of<'a>(&'a self, oid: &'a str) -> impl Iterator<Item = String> + 'a {
        self.attributes().filter(move |a| a.oid == oid).filter_map(|a| a.text())
    }

    /// Calls `f(tag, value octets)` for each attribute of type `oid` (dotted), in order, until
    /// it returns `false`; reads the DER directly when the attributes are not built yet.
    pub fn for_each_value(&self, oid: &str, mut f: impl FnMut(u32, &[u8]) -> bool) {
        if self.built_rdns().is_none() {
            if let Some(content) = crate::cert::fast::name_contents(&self.der) {
                let mut go_on = true;
                let walked = crate::cert::fast::walk_name(content, |set| {
                    crate::cert::fast::walk_rdn(set, |t, tag, value| {
                        if go_on && crate::oid::is(t, oid) {
                            go_on = f(u32::from(tag), value);
                        }
                    })
                });
                if walked.is_some() {
                    return;
                }
            }
        }
        for a in self.attributes().filter(|a| a.oid == oid) {
            if !f(a.tag, &a.value) {
                return;
            }
        }
    }

    /// The commonName, else the whole name in RFC 4514 style.
    pub fn display_short(&self) -> String {
        // The first commonName with a text value, read from the DER when not parsed yet.
        let mut short = None;
        self.for_each_value("2.5.4.3", |tag, value| match string_value(tag, value) {
            Some(cn) => {
                let mut s = String::with_capacity(cn.len() + 3);
                s.push_str("CN=");
                s.push_str(&cn);
                short = Some(s);
                false
            }
            None => true,
        });
        short.unwrap_or_else(|| self.to_string())
    }
}

/// The comparison key of one RDN: its attributes' keys, sorted and concatenated.
fn rdn_key(rdn: &[Attribute], out: &mut Vec<u8>) {
    if let [a] = rdn {
        out.reserve(a.oid.len() + a.value.len() + 4);
        a.key(out);
        return;
    }
    let mut keys: Vec<Vec<u8>> = rdn
        .iter()
        .map(|a| {
            let mut k = Vec::new();
            a.key(&mut k);
            k
        })
        .collect();
    keys.sort();
    out.extend(keys.concat());
}

fn rdn_attrs(rdn: &RelativeDistinguishedName) -> Vec<Attribute> {
    rdn.iter()
        .map(|a| Attribute {
            oid: crate::oid::text(a.attr_type()),
            tag: a.attr_value().header.tag().0,
            value: a.attr_value().data.to_vec(),
        })
        .collect()
}

fn short_type(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "2.5.4.3" => "CN",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.5" => "serialNumber",
        "2.5.4.4" => "SN",
        "2.5.4.42" => "GN",
        "2.5.4.97" => "organizationIdentifier",
        "1.2.840.113549.1.9.1" => "emailAddress",
        "0.9.2342.19200300.100.1.25" => "DC",
        _ => return None,
    })
}

impl fmt::Display for Name {
    /// RFC 4514 order (most specific RDN first), with escaping of the special characters.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.rdns().is_empty() {
            return f.write_str("(empty name)");
        }
        for (i, rdn) in self.rdns().iter().rev().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            for (j, a) in rdn.iter().enumerate() {
                if j > 0 {
                    f.write_str("+")?;
                }
                match short_type(&a.oid) {
                    Some(t) => f.write_str(t)?,
                    None => f.write_str(&a.oid)?,
                }
                f.write_str("=")?;
                match a.text_ref() {
                    Some(t) => {
                        // Runs of characters that need no escaping are written in one piece.
                        let mut plain = 0;
                        for (at, c) in t.char_indices() {
                            let special = matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';' | '=');
                            if !special && !c.is_control() {
                                continue;
                            }
                            f.write_str(t.get(plain..at).unwrap_or_default())?;
                            plain = at + c.len_utf8();
                            if special {
                                write!(f, "\\{c}")?;
                            } else {
                                write!(f, "\\{:02x}", c as u32)?;
                            }
                        }
                        f.write_str(t.get(plain..).unwrap_or_default())?;
                    }
                    None => {
                        f.write_str("#")?;
                        for b in &a.value {
                            write!(f, "{b:02x}")?;
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// A GeneralName (RFC 5280 §4.2.1.6).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GeneralName {
    Dns(String),
    Rfc822(String),
    Uri(String),
    /// 4 octets (IPv4) or 16 (IPv6); in nameConstraints 8 or 32 (address and mask).
    Ip(Vec<u8>),
    Directory(Name),
    OtherName {
        oid: String,
        value: Vec<u8>,
    },
    RegisteredId(String),
    X400Address,
    EdiPartyName,
    /// A name whose content did not decode (for example a dNSName that is not IA5String).
    Invalid {
        tag: u32,
    },
}

impl GeneralName {
    /// The name form, as RFC 5280 calls it.
    pub fn form(&self) -> &'static str {
        match self {
            GeneralName::Dns(_) => "dNSName",
            GeneralName::Rfc822(_) => "rfc822Name",
            GeneralName::Uri(_) => "uniformResourceIdentifier",
            GeneralName::Ip(_) => "iPAddress",
            GeneralName::Directory(_) => "directoryName",
            GeneralName::OtherName { .. } => "otherName",
            GeneralName::RegisteredId(_) => "registeredID",
            GeneralName::X400Address => "x400Address",
            GeneralName::EdiPartyName => "ediPartyName",
            GeneralName::Invalid { .. } => "malformed name",
        }
    }
}

impl fmt::Display for GeneralName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GeneralName::Dns(s) => write!(f, "DNS:{s}"),
            GeneralName::Rfc822(s) => write!(f, "email:{s}"),
            GeneralName::Uri(s) => write!(f, "URI:{s}"),
            GeneralName::Ip(b) => match b.len() {
                4 => write!(f, "IP:{}", std::net::Ipv4Addr::new(b[0], b[1], b[2], b[3])),
                16 => {
                    let mut a = [0u8; 16];
                    a.copy_from_slice(b);
                    write!(f, "IP:{}", std::net::Ipv6Addr::from(a))
                }
                _ => {
                    f.write_str("IP:")?;
                    for x in b {
                        write!(f, "{x:02x}")?;
                    }
                    Ok(())
                }
            },
            GeneralName::Directory(n) => write!(f, "DirName:{n}"),
            GeneralName::OtherName { oid, .. } => write!(f, "otherName:{oid}"),
            GeneralName::RegisteredId(o) => write!(f, "RID:{o}"),
            GeneralName::X400Address => f.write_str("x400Address"),
            GeneralName::EdiPartyName => f.write_str("ediPartyName"),
            GeneralName::Invalid { tag } => write!(f, "malformed name (tag {tag})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(oid: &str, tag: u32, v: &str) -> Attribute {
        Attribute { oid: oid.into(), tag, value: v.as_bytes().to_vec() }
    }

    #[test]
    fn ascii_key_is_the_unicode_key() {
        for v in ["Example  CA ", "\tA\x0bB\r\nc", "", "   ", "MiXeD-Case_1.2"] {
            for tag in [12, 19, 20, 22] {
                let a = attr("2.5.4.3", tag, v);
                let (mut fast, mut slow) = (Vec::new(), Vec::new());
                a.key(&mut fast);
                slow.extend_from_slice(b"2.5.4.3=");
                a.unicode_key(&mut slow);
                assert_eq!(fast, slow, "{v:?} tag {tag}");
            }
        }
    }

    #[test]
    fn rfc5280_7_1_case_and_space_folding() {
        let a = Name::from_parts(vec![], vec![vec![attr("2.5.4.3", 19, "Example  CA ")]]);
        let b = Name::from_parts(vec![], vec![vec![attr("2.5.4.3", 12, "example ca")]]);
        assert!(a.matches(&b));
        let c = Name::from_parts(vec![], vec![vec![attr("2.5.4.3", 12, "example cb")]]);
        assert!(!a.matches(&c));
    }

    #[test]
    fn rdn_sets_compare_unordered_and_prefixes() {
        let a = Name::from_parts(
            vec![],
            vec![vec![attr("2.5.4.6", 19, "RS")], vec![attr("2.5.4.10", 12, "X"), attr("2.5.4.3", 12, "Y")]],
        );
        let b = Name::from_parts(
            vec![],
            vec![vec![attr("2.5.4.6", 19, "rs")], vec![attr("2.5.4.3", 12, "Y"), attr("2.5.4.10", 12, "x")]],
        );
        assert!(a.matches(&b));
        let base = Name::from_parts(vec![], vec![vec![attr("2.5.4.6", 19, "RS")]]);
        assert!(a.is_within(&base));
        assert!(!base.is_within(&a));
        assert_eq!(a.to_string(), "O=X+CN=Y,C=RS");
        let odd = Name::from_parts(vec![], vec![vec![attr("2.5.4.3", 12, "a,b+c\"d\u{1}e=é")]]);
        assert_eq!(odd.to_string(), "CN=a\\,b\\+c\\\"d\\01e\\=é");
    }
}
