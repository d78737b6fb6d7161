//! Distinguished names and general names (RFC 5280 §4.1.2.4, §4.2.1.6) and their comparison
//! (RFC 5280 §7.1).

use std::borrow::Cow;
use std::fmt;
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
        match self.tag {
            12 | 18 | 19 | 22 | 26 => std::str::from_utf8(&self.value).ok().map(Cow::Borrowed),
            20 if self.value.is_ascii() => std::str::from_utf8(&self.value).ok().map(Cow::Borrowed),
            20 => Some(Cow::Owned(self.value.iter().map(|b| *b as char).collect())),
            30 => {
                if self.value.len() % 2 != 0 {
                    return None;
                }
                let units: Vec<u16> = self.value.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
                String::from_utf16(&units).ok().map(Cow::Owned)
            }
            28 => {
                if self.value.len() % 4 != 0 {
                    return None;
                }
                self.value
                    .chunks(4)
                    .map(|c| char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]])))
                    .collect::<Option<String>>()
                    .map(Cow::Owned)
            }
            _ => None,
        }
    }

    /// The comparison key of RFC 5280 §7.1 (after RFC 4518 in outline): for string values, case
    /// folded, with leading and trailing space removed and inner runs of space collapsed; other
    /// values compare as their tag and octets.
    fn key(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.oid.as_bytes());
        out.push(b'=');
        // ASCII values in a single-octet string type (nearly all real names) take the same key
        // without decoding into a String: Unicode case folding and white space restricted to
        // ASCII are the ASCII ones.
        if matches!(self.tag, 12 | 18 | 19 | 20 | 22 | 26) && self.value.is_ascii() {
            out.push(b's');
            let words = self.value.split(|b| matches!(b, b' ' | 0x09..=0x0d)).filter(|w| !w.is_empty());
            for (i, word) in words.enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                out.extend(word.iter().map(u8::to_ascii_lowercase));
            }
            out.push(0);
        } else {
            self.unicode_key(out);
        }
    }

    fn unicode_key(&self, out: &mut Vec<u8>) {
        match self.text() {
            Some(t) => {
                out.push(b's');
                let folded = t.to_lowercase();
                for (i, word) in folded.split_whitespace().enumerate() {
                    if i > 0 {
                        out.push(b' ');
                    }
                    out.extend_from_slice(word.as_bytes());
                }
            }
            None => {
                out.push(b'b');
                out.extend_from_slice(&self.tag.to_be_bytes());
                out.extend_from_slice(&self.value);
            }
        }
        out.push(0);
    }
}

/// A distinguished name: a sequence of RDNs, each a set of attributes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Name {
    /// The Name DER as encoded in the certificate.
    pub der: Vec<u8>,
    pub rdns: Vec<Vec<Attribute>>,
    /// One comparison key per RDN (attributes sorted), see [`Attribute`]'s key.
    rdn_keys: Vec<Vec<u8>>,
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
        let rdn_keys = rdns
            .iter()
            .map(|rdn| {
                if let [a] = rdn.as_slice() {
                    let mut k = Vec::with_capacity(a.oid.len() + a.value.len() + 4);
                    a.key(&mut k);
                    return k;
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
                keys.concat()
            })
            .collect();
        Name { der, rdns, rdn_keys }
    }

    /// The comparison key: one key per RDN, equal exactly when the names match (§7.1).
    pub fn match_key(&self) -> &[Vec<u8>] {
        &self.rdn_keys
    }

    /// An empty name (no RDNs).
    pub fn is_empty(&self) -> bool {
        self.rdns.is_empty()
    }

    /// RFC 5280 §7.1 name matching: same number of RDNs, each RDN the same set of attributes,
    /// string values compared case-insensitively with white space folded.
    pub fn matches(&self, other: &Name) -> bool {
        (!self.der.is_empty() && self.der == other.der) || self.rdn_keys == other.rdn_keys
    }

    /// This name lies within the subtree `base` (RFC 5280 §4.2.1.10 directoryName: `base`'s RDNs
    /// are a prefix of this name's).
    pub fn is_within(&self, base: &Name) -> bool {
        base.rdn_keys.len() <= self.rdn_keys.len() && self.rdn_keys.iter().zip(&base.rdn_keys).all(|(a, b)| a == b)
    }

    /// All attributes in order.
    pub fn attributes(&self) -> impl Iterator<Item = &Attribute> {
        self.rdns.iter().flatten()
    }

    /// The text values of the attributes of one type (e.g. `2.5.4.3`, commonName).
    pub fn values_of<'a>(&'a self, oid: &'a str) -> impl Iterator<Item = String> + 'a {
        self.attributes().filter(move |a| a.oid == oid).filter_map(|a| a.text())
    }

    /// The commonName, else the whole name in RFC 4514 style.
    pub fn display_short(&self) -> String {
        match self.attributes().filter(|a| a.oid == "2.5.4.3").find_map(Attribute::text_ref) {
            Some(cn) => format!("CN={cn}"),
            None => self.to_string(),
        }
    }
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
        if self.rdns.is_empty() {
            return f.write_str("(empty name)");
        }
        for (i, rdn) in self.rdns.iter().rev().enumerate() {
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
