//! Server identity verification: does a leaf certificate name the server the caller wants to reach?
//!
//! The rules are those of RFC 9525 (which obsoletes RFC 6125) as the CA/Browser Forum Baseline
//! Requirements narrow them, which is what x509-limbo's `webpki::san::*` cases expect:
//!
//! - only `subjectAltName` is consulted: a DNS reference identifier is compared with `dNSName`
//!   entries, an IP reference identifier with `iPAddress` entries; the subject commonName is never
//!   used as an identifier (RFC 9525 §6.3, "MUST NOT" for CN-ID fallback when SANs are supported);
//! - DNS names compare label by label, ASCII case-insensitively (RFC 9525 §6.3; RFC 4343);
//!   internationalized names are compared as the A-labels the certificate carries (RFC 5280 §7.2);
//! - a wildcard is only the whole left-most label, `*.example.com`, and it matches exactly one label
//!   (RFC 9525 §6.3 rules 1-2; CABF BR §1.6.1 "Wildcard Domain Name"): `f*.example.com`,
//!   `foo.*.example.com`, `xn--*-x.example.com` and a bare `*` never match;
//! - a wildcard must stand above a registrable domain: `*.com` (a single-label base) never matches
//!   (CABF BR §3.2.2.6). See [`WildcardPolicy`] for what this does *not* know (the full Public
//!   Suffix List);
//! - every `dNSName` in the leaf's SAN must be in the "preferred name syntax" (RFC 5280 §4.2.1.6,
//!   RFC 1034 §3.5 as amended by RFC 1123 §2.1), with at most a left-most `*` label; a malformed entry
//!   (an underscore, a leading dot, an all-numeric top label such as `8.8.8.8`) rejects the
//!   certificate, as does an `iPAddress` entry that is not 4 or 16 octets;
//! - when the subject carries a commonName, it must be encoded as CABF BR §7.1.4.3 requires for the
//!   SAN value it copies: an IP address in canonical text (RFC 3986 §3.2.2 dotted decimal, RFC 5952
//!   §4 for IPv6), a domain name as an A-label string character for character (no U-labels, no case
//!   changes). A commonName that names something absent from the SAN is *not* rejected: BetterTLS
//!   (in x509-limbo) expects such certificates to be accepted, and the CN is never an identifier
//!   here anyway.

use crate::cert::Certificate;
use crate::name::GeneralName;
use report::{FindingDef, Severity};
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The longest DNS name accepted, in octets of its text form: 253 (RFC 1035 §2.3.4: 255 octets
/// on the wire, which is 253 characters without the trailing dot).
pub const MAX_DNS_NAME_LEN: usize = 253;
/// The longest DNS label: 63 octets (RFC 1035 §2.3.4).
pub const MAX_DNS_LABEL_LEN: usize = 63;

/// The OID of the commonName attribute (X.520, RFC 5280 Appendix A).
pub(crate) const OID_COMMON_NAME: &str = "2.5.4.3";

/// The finding ids of this module.
pub static FINDINGS: &[FindingDef] = &[
    FindingDef {
        id: "rfc9525.server-name.mismatch",
        severity: Severity::Error,
        citation: "RFC 9525 §6.3; RFC 6125 §6.4; CABF BR §1.6.1",
        summary: "No subjectAltName dNSName or iPAddress of the leaf matches the server name asked for.",
    },
    FindingDef {
        id: "rfc9525.server-name.no-san",
        severity: Severity::Error,
        citation: "RFC 9525 §6.3; CABF BR §7.1.2.7.12",
        summary: "The leaf has no subjectAltName, and the commonName is never used as a server identity.",
    },
    FindingDef {
        id: "rfc5280.san.dns-name-malformed",
        severity: Severity::Error,
        citation: "RFC 5280 §4.2.1.6; RFC 1034 §3.5; RFC 1123 §2.1",
        summary: "A subjectAltName dNSName is not in the preferred name syntax (or has a wildcard other than a whole left-most label).",
    },
    FindingDef {
        id: "rfc5280.san.ip-address-malformed",
        severity: Severity::Error,
        citation: "RFC 5280 §4.2.1.6",
        summary: "A subjectAltName iPAddress is not 4 (IPv4) or 16 (IPv6) octets.",
    },
    FindingDef {
        id: "cabf.san.wildcard-public-suffix",
        severity: Severity::Error,
        citation: "CABF BR §3.2.2.6; RFC 9525 §6.3",
        summary: "A wildcard dNSName stands directly above a top-level (public-suffix) domain, such as *.com.",
    },
    FindingDef {
        id: "cabf.cn.not-canonical",
        severity: Severity::Error,
        citation: "CABF BR §7.1.4.3; RFC 3986 §3.2.2; RFC 5952 §4",
        summary: "The subject commonName is not encoded as the SAN value it must copy (non-canonical IP text, U-label, or different letter case).",
    },
    FindingDef {
        id: "rfc9525.reference.invalid",
        severity: Severity::Error,
        citation: "RFC 9525 §6.2; RFC 1123 §2.1",
        summary: "The server name given by the caller is neither a DNS name nor an IP address.",
    },
];

/// Why a server name could not be verified against a certificate. Display names the certificate,
/// the name and the clause.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HostnameError {
    /// The caller's reference identifier is not a DNS name or IP address.
    #[error("the server name {name:?} is neither a DNS name nor an IP address: {reason} (RFC 9525 §6.2)")]
    InvalidReference { name: String, reason: &'static str },
    /// No SAN entry matches.
    #[error("{cert} is not valid for {name}: its subjectAltName names {presented} (RFC 9525 §6.3)")]
    Mismatch { cert: String, name: String, presented: String },
    /// The leaf has no SAN (the commonName is never used).
    #[error("{cert} has no subjectAltName, so it names no server; the commonName is not used (RFC 9525 §6.3, CABF BR §7.1.2.7.12)")]
    NoSubjectAltName { cert: String },
    /// A SAN dNSName entry is malformed.
    #[error("{cert} has a malformed subjectAltName dNSName {value:?}: {reason} (RFC 5280 §4.2.1.6)")]
    MalformedDnsName { cert: String, value: String, reason: &'static str },
    /// A SAN iPAddress entry has the wrong length.
    #[error("{cert} has a subjectAltName iPAddress of {len} octets; it must be 4 or 16 (RFC 5280 §4.2.1.6)")]
    MalformedIpAddress { cert: String, len: usize },
    /// A wildcard over a public suffix.
    #[error("{cert} has the wildcard dNSName {value:?}, whose base is a public suffix; it matches nothing (CABF BR §3.2.2.6)")]
    WildcardPublicSuffix { cert: String, value: String },
    /// The commonName is not encoded as CABF BR §7.1.4.3 requires.
    #[error("{cert} has the commonName {cn:?}, {reason} (CABF BR §7.1.4.3)")]
    CommonNameNotCanonical { cert: String, cn: String, reason: String },
}

impl HostnameError {
    /// The stable finding id of this error (see [`FINDINGS`]).
    pub fn finding_id(&self) -> &'static str {
        match self {
            HostnameError::InvalidReference { .. } => "rfc9525.reference.invalid",
            HostnameError::Mismatch { .. } => "rfc9525.server-name.mismatch",
            HostnameError::NoSubjectAltName { .. } => "rfc9525.server-name.no-san",
            HostnameError::MalformedDnsName { .. } => "rfc5280.san.dns-name-malformed",
            HostnameError::MalformedIpAddress { .. } => "rfc5280.san.ip-address-malformed",
            HostnameError::WildcardPublicSuffix { .. } => "cabf.san.wildcard-public-suffix",
            HostnameError::CommonNameNotCanonical { .. } => "cabf.cn.not-canonical",
        }
    }
}

/// A reference identifier: the server the caller means to reach (RFC 9525 §6.2).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ServerName {
    /// A DNS name in lower case, A-labels as given, without a trailing dot.
    Dns(String),
    Ip(IpAddr),
}

impl fmt::Display for ServerName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServerName::Dns(d) => f.write_str(d),
            ServerName::Ip(ip) => write!(f, "{ip}"),
        }
    }
}

impl ServerName {
    /// Parses a server name: an IPv4 address in dotted decimal, an IPv6 address (optionally in
    /// brackets), or a DNS name (ASCII; a single trailing dot is dropped; letters are lowered).
    ///
    /// Reference names are read a little more leniently than presented ones: an underscore is
    /// allowed in a label (service names such as `_sip._tcp.example.com` are looked up that way),
    /// so that a certificate that *presents* such a name is reported as the defective party.
    pub fn parse(s: &str) -> Result<ServerName, HostnameError> {
        let invalid = |reason| HostnameError::InvalidReference { name: s.to_string(), reason };
        let inner = s.strip_prefix('[').and_then(|r| r.strip_suffix(']'));
        if let Some(v6) = inner {
            return v6
                .parse::<Ipv6Addr>()
                .map(|a| ServerName::Ip(IpAddr::V6(a)))
                .map_err(|_| invalid("not an IPv6 address"));
        }
        if let Ok(ip) = s.parse::<IpAddr>() {
            return Ok(ServerName::Ip(ip));
        }
        let name = s.strip_suffix('.').unwrap_or(s);
        match dns_syntax(name, Syntax::Reference) {
            Ok(()) => Ok(ServerName::Dns(name.to_ascii_lowercase())),
            Err(reason) => Err(invalid(reason)),
        }
    }
}

/// Which wildcard bases are refused. The Public Suffix List is not bundled: a `*.co.uk` or
/// `*.s3.amazonaws.com` wildcard is accepted (x509-limbo's `pedantic-public-suffix-wildcard`
/// cases); single-label bases such as `*.com` are always refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WildcardPolicy {
    /// `*.X` matches one label above `X` when `X` has at least two labels (CABF BR §3.2.2.6 in
    /// its simplest approximation).
    #[default]
    RequireTwoLabelBase,
    /// Wildcards never match (for profiles that forbid them, e.g. some eID authentication
    /// certificates).
    Forbid,
}

/// How the subject commonName of the leaf is checked (it is never used as an identifier).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CommonNamePolicy {
    /// CABF BR §7.1.4.3 encoding rules: a CN that is an IP address must be in canonical text, a CN
    /// that is a domain name must be ASCII (A-labels) and, when it equals a SAN dNSName
    /// ignoring case, equal it exactly. A CN naming something outside the SAN is accepted
    /// (BetterTLS expects that).
    #[default]
    CheckEncoding,
    /// The commonName is not looked at.
    Ignore,
}

/// Options of [`verify_with`]; [`verify`] uses the defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    pub wildcards: WildcardPolicy,
    pub common_name: CommonNamePolicy,
}

/// Verifies that `leaf` is a certificate for `name` with the default [`Options`].
pub fn verify(leaf: &Certificate, name: &ServerName) -> Result<(), HostnameError> {
    verify_with(leaf, name, &Options::default())
}

/// Verifies that `leaf` is a certificate for `name`: see the module documentation for the rules.
///
/// The certificate's own defects (a malformed SAN entry, a non-canonical commonName) are reported
/// before a mismatch, since they make the certificate unacceptable for any name.
pub fn verify_with(leaf: &Certificate, name: &ServerName, opts: &Options) -> Result<(), HostnameError> {
    let Some(san) = leaf.extensions.subject_alt_name.as_ref() else {
        return Err(HostnameError::NoSubjectAltName { cert: leaf.label() });
    };
    let san = san.value.as_slice();
    // The leaf's own SAN syntax (RFC 5280 §4.2.1.6).
    for g in san {
        match g {
            GeneralName::Dns(d) => {
                if let Err(reason) = dns_syntax(d, Syntax::Presented) {
                    return Err(HostnameError::MalformedDnsName { cert: leaf.label(), value: d.clone(), reason });
                }
            }
            GeneralName::Ip(b) if b.len() != 4 && b.len() != 16 => {
                return Err(HostnameError::MalformedIpAddress { cert: leaf.label(), len: b.len() });
            }
            _ => {}
        }
    }
    if opts.common_name == CommonNamePolicy::CheckEncoding {
        check_common_names(leaf, san)?;
    }
    let mut public_suffix_wildcard = None;
    let matched = match name {
        ServerName::Ip(ip) => san.iter().any(|g| match g {
            GeneralName::Ip(b) => ip_bytes_equal(ip, b),
            _ => false,
        }),
        ServerName::Dns(reference) => san.iter().any(|g| match g {
            GeneralName::Dns(presented) => match dns_matches(presented, reference, opts.wildcards) {
                DnsMatch::Yes => true,
                DnsMatch::No => false,
                DnsMatch::PublicSuffixWildcard => {
                    public_suffix_wildcard.get_or_insert_with(|| presented.clone());
                    false
                }
            },
            _ => false,
        }),
    };
    if matched {
        return Ok(());
    }
    if let Some(value) = public_suffix_wildcard {
        return Err(HostnameError::WildcardPublicSuffix { cert: leaf.label(), value });
    }
    Err(HostnameError::Mismatch { cert: leaf.label(), name: name.to_string(), presented: describe_san(san) })
}

fn describe_san(san: &[GeneralName]) -> String {
    const SHOWN: usize = 5;
    let relevant: Vec<String> =
        san.iter().filter(|g| matches!(g, GeneralName::Dns(_) | GeneralName::Ip(_))).map(|g| g.to_string()).collect();
    if relevant.is_empty() {
        return "no DNS name or IP address".to_string();
    }
    let mut s = relevant.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
    if relevant.len() > SHOWN {
        s.push_str(&format!(" and {} more", relevant.len() - SHOWN));
    }
    s
}

fn ip_bytes_equal(ip: &IpAddr, b: &[u8]) -> bool {
    match ip {
        IpAddr::V4(a) => b == a.octets().as_slice(),
        IpAddr::V6(a) => b == a.octets().as_slice(),
    }
}

enum DnsMatch {
    Yes,
    No,
    PublicSuffixWildcard,
}

/// Compares a presented dNSName (already syntax-checked) with a reference name (lower case).
fn dns_matches(presented: &str, reference: &str, wildcards: WildcardPolicy) -> DnsMatch {
    let presented = presented.strip_suffix('.').unwrap_or(presented);
    if let Some(base) = presented.strip_prefix("*.") {
        if wildcards == WildcardPolicy::Forbid {
            return DnsMatch::No;
        }
        // The wildcard stands for exactly one whole label (RFC 9525 §6.3 rule 2).
        let Some((first, rest)) = reference.split_once('.') else { return DnsMatch::No };
        if first.is_empty() || !rest.eq_ignore_ascii_case(base) {
            return DnsMatch::No;
        }
        if !base.contains('.') {
            return DnsMatch::PublicSuffixWildcard;
        }
        return DnsMatch::Yes;
    }
    if presented.eq_ignore_ascii_case(reference) {
        DnsMatch::Yes
    } else {
        DnsMatch::No
    }
}

/// CABF BR §7.1.4.3 encoding of the commonName against the SAN values.
fn check_common_names(leaf: &Certificate, san: &[GeneralName]) -> Result<(), HostnameError> {
    // Read from the subject's DER: the leaf's names are not parsed into attributes for this.
    let mut outcome = Ok(());
    leaf.subject.for_each_value(OID_COMMON_NAME, |tag, value| {
        let Some(cn) = crate::name::string_value(tag, value) else { return true };
        outcome = check_common_name(leaf, &cn, san);
        outcome.is_ok()
    });
    outcome
}

fn check_common_name(leaf: &Certificate, cn: &str, san: &[GeneralName]) -> Result<(), HostnameError> {
    let bad = |reason: String| HostnameError::CommonNameNotCanonical { cert: leaf.label(), cn: cn.to_string(), reason };
    if let Some(ip) = lenient_ip(cn) {
        let canonical = ip.to_string();
        if canonical != cn {
            return Err(bad(format!("an IP address not in canonical text form (write it {canonical})")));
        }
        return Ok(());
    }
    if !cn.is_ascii() && looks_like_domain(cn) {
        return Err(bad(
            "a domain name in U-label form; a commonName must copy the A-label dNSName from the subjectAltName"
                .to_string(),
        ));
    }
    for g in san {
        if let GeneralName::Dns(d) = g {
            if d != cn && d.eq_ignore_ascii_case(cn) {
                return Err(bad(format!(
                    "which differs in letter case from the subjectAltName dNSName {d:?} it copies"
                )));
            }
        }
    }
    Ok(())
}

/// Whether a non-ASCII string has the shape of a domain name: dot-separated, non-empty labels
/// without spaces or control characters.
fn looks_like_domain(s: &str) -> bool {
    s.contains('.') && s.split('.').all(|l| !l.is_empty() && !l.chars().any(|c| c.is_whitespace() || c.is_control()))
}

/// An IP address in any textual form a resolver might accept: RFC 5952 / RFC 4291 IPv6 text in any
/// case, and IPv4 in the inet_aton forms (1 to 4 parts, each decimal, octal with a leading 0, or
/// hex with 0x). Used only to recognise commonNames that *denote* an address.
fn lenient_ip(s: &str) -> Option<IpAddr> {
    if s.contains(':') {
        return s.parse::<Ipv6Addr>().ok().map(IpAddr::V6);
    }
    // Every IPv4 form is made of these characters; most commonNames stop here.
    if !s.bytes().all(|b| b.is_ascii_hexdigit() || matches!(b, b'.' | b'x' | b'X')) {
        return None;
    }
    let parts: Vec<&str> = s.split('.').collect();
    // Fewer than four parts is an address only with an explicit hex part (`0xC0A80101`): a bare
    // number such as `12345` is far more often a plain value than an address.
    let hex = |p: &&str| p.starts_with("0x") || p.starts_with("0X");
    if parts.is_empty() || parts.len() > 4 || (parts.len() < 4 && !parts.iter().any(hex)) {
        return None;
    }
    let mut nums = Vec::with_capacity(parts.len());
    for p in &parts {
        let v = if let Some(h) = p.strip_prefix("0x").or_else(|| p.strip_prefix("0X")) {
            if h.is_empty() || !h.chars().all(|c| c.is_ascii_hexdigit()) || h.len() > 8 {
                return None;
            }
            u32::from_str_radix(h, 16).ok()?
        } else if p.len() > 1 && p.starts_with('0') {
            if !p.chars().all(|c| ('0'..='7').contains(&c)) || p.len() > 12 {
                return None;
            }
            u32::from_str_radix(p, 8).ok()?
        } else {
            if p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()) || p.len() > 10 {
                return None;
            }
            p.parse::<u32>().ok()?
        };
        nums.push(v);
    }
    let (last, head) = nums.split_last()?;
    let head_bits = 8 * head.len() as u32;
    if head.iter().any(|n| *n > 255) || (head_bits > 0 && u64::from(*last) >= 1u64 << (32 - head_bits)) {
        return None;
    }
    let mut v: u32 = 0;
    for (i, n) in head.iter().enumerate() {
        v |= n << (24 - 8 * i as u32);
    }
    v |= last;
    Some(IpAddr::V4(Ipv4Addr::from(v)))
}

/// Which DNS name syntax to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    /// A SAN dNSName: preferred name syntax, a whole left-most `*` label allowed.
    Presented,
    /// A dNSName name constraint: preferred name syntax, no wildcard; the empty string (every
    /// name) is allowed, a leading period is not (RFC 5280 §4.2.1.10 allows it only for URI and
    /// rfc822Name constraints).
    Constraint,
    /// The host of an rfc822Name or URI: preferred name syntax, no wildcard.
    Host,
    /// A reference identifier: as `Host`, and underscores are tolerated.
    Reference,
}

/// Checks `name` against the preferred name syntax of RFC 1034 §3.5 as amended by RFC 1123 §2.1
/// (labels of letters, digits and hyphens, not starting or ending with a hyphen, 1-63 octets; at
/// most 253 octets; the top-level label not all-numeric, so that `8.8.8.8` is never a DNS name).
/// Returns the reason when it fails.
pub(crate) fn dns_syntax(name: &str, syntax: Syntax) -> Result<(), &'static str> {
    if name.is_empty() {
        return if syntax == Syntax::Constraint { Ok(()) } else { Err("it is empty") };
    }
    if !name.is_ascii() {
        return Err("it is not ASCII (internationalized names must be A-labels, RFC 5280 §7.2)");
    }
    if name.len() > MAX_DNS_NAME_LEN {
        return Err("it is longer than 253 characters");
    }
    if name.starts_with('.') {
        return Err("it starts with a period");
    }
    if name.ends_with('.') {
        return Err("it ends with a period");
    }
    // One pass over the labels' bytes (this runs for every dNSName of every leaf).
    let underscore_ok = syntax == Syntax::Reference;
    let mut labels = name.as_bytes().split(|&b| b == b'.').peekable();
    let mut first = true;
    while let Some(label) = labels.next() {
        let last = labels.peek().is_none();
        if label.is_empty() {
            return Err("it has an empty label");
        }
        if label.len() > MAX_DNS_LABEL_LEN {
            return Err("it has a label longer than 63 characters");
        }
        if label.contains(&b'*') {
            if !(first && label == b"*" && syntax == Syntax::Presented) {
                return Err("a wildcard may only be the whole left-most label");
            }
            if last {
                return Err("a wildcard must be followed by a domain");
            }
        } else {
            if !label.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-' || (underscore_ok && b == b'_')) {
                return Err("it has a character other than a letter, digit or hyphen");
            }
            if label.first() == Some(&b'-') || label.last() == Some(&b'-') {
                return Err("a label starts or ends with a hyphen");
            }
        }
        if last && label.iter().all(u8::is_ascii_digit) {
            return Err("its top-level label is all digits (an IP address is not a DNS name)");
        }
        first = false;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair, SanType};

    fn cert(cns: &[&str], sans: Vec<SanType>) -> Certificate {
        let mut p = CertificateParams::default();
        p.distinguished_name = DistinguishedName::new();
        for c in cns {
            p.distinguished_name.push(DnType::CommonName, *c);
        }
        p.subject_alt_names = sans;
        let key = KeyPair::generate().unwrap();
        Certificate::from_der(p.self_signed(&key).unwrap().der()).unwrap()
    }
    fn dns(s: &str) -> SanType {
        SanType::DnsName(s.try_into().unwrap())
    }
    fn ip(s: &str) -> SanType {
        SanType::IpAddress(s.parse().unwrap())
    }
    fn check(c: &Certificate, name: &str) -> Result<(), &'static str> {
        verify(c, &ServerName::parse(name).unwrap()).map_err(|e| e.finding_id())
    }
    const MISMATCH: &str = "rfc9525.server-name.mismatch";

    #[test]
    fn dns_and_ip_identities() {
        let c = cert(&[], vec![dns("Example.com"), dns("*.example.net"), ip("192.0.2.1"), ip("2001:db8::1")]);
        assert_eq!(check(&c, "example.com"), Ok(()));
        assert_eq!(check(&c, "EXAMPLE.COM."), Ok(()));
        assert_eq!(check(&c, "www.example.com"), Err(MISMATCH));
        assert_eq!(check(&c, "foo.example.net"), Ok(()));
        assert_eq!(check(&c, "example.net"), Err(MISMATCH));
        assert_eq!(check(&c, "a.b.example.net"), Err(MISMATCH));
        assert_eq!(check(&c, "192.0.2.1"), Ok(()));
        assert_eq!(check(&c, "2001:db8:0::1"), Ok(()));
        assert_eq!(check(&c, "192.0.2.2"), Err(MISMATCH));
        // An IP address never matches a dNSName, nor a DNS name an iPAddress.
        let d = cert(&[], vec![dns("example.com")]);
        assert_eq!(check(&d, "192.0.2.1"), Err(MISMATCH));
        let e = verify(&c, &ServerName::parse("www.example.com").unwrap()).unwrap_err().to_string();
        assert!(e.contains("www.example.com") && e.contains("DNS:Example.com") && e.contains("RFC 9525"), "{e}");
    }

    #[test]
    fn never_the_common_name() {
        let c = cert(&["example.com"], vec![]);
        assert_eq!(check(&c, "example.com"), Err("rfc9525.server-name.no-san"));
        let c = cert(&["example.com"], vec![ip("192.0.2.1")]);
        assert_eq!(check(&c, "example.com"), Err(MISMATCH));
    }

    #[test]
    fn wildcard_rules() {
        assert_eq!(check(&cert(&[], vec![dns("*.com")]), "example.com"), Err("cabf.san.wildcard-public-suffix"));
        for bad in ["ba*.example.com", "foo.*.example.com", "*", "xn--*-1b3c148a.example.com"] {
            assert_eq!(
                check(&cert(&[], vec![dns(bad)]), "baz.example.com"),
                Err("rfc5280.san.dns-name-malformed"),
                "{bad}"
            );
        }
        let forbid = Options { wildcards: WildcardPolicy::Forbid, ..Options::default() };
        let c = cert(&[], vec![dns("*.example.com")]);
        let r = verify_with(&c, &ServerName::parse("foo.example.com").unwrap(), &forbid).map_err(|e| e.finding_id());
        assert_eq!(r, Err(MISMATCH));
    }

    #[test]
    fn malformed_san_entries_reject_the_certificate() {
        let c = cert(&[], vec![dns("foo_bar.example.com")]);
        assert_eq!(check(&c, "foo_bar.example.com"), Err("rfc5280.san.dns-name-malformed"));
        let c = cert(&[], vec![dns("8.8.8.8")]);
        assert_eq!(check(&c, "8.8.8.8"), Err("rfc5280.san.dns-name-malformed"));
    }

    #[test]
    fn common_name_encoding() {
        const CN: &str = "cabf.cn.not-canonical";
        assert_eq!(check(&cert(&["0xC0A80101"], vec![ip("192.168.1.1")]), "192.168.1.1"), Err(CN));
        assert_eq!(check(&cert(&["192.168.001.001"], vec![ip("192.168.1.1")]), "192.168.1.1"), Err(CN));
        assert_eq!(check(&cert(&["2001:DB8::1"], vec![ip("2001:db8::1")]), "2001:db8::1"), Err(CN));
        assert_eq!(check(&cert(&["Example.COM"], vec![dns("example.com")]), "example.com"), Err(CN));
        assert_eq!(
            check(&cert(&["test-\u{6e2c}\u{8a66}.com"], vec![dns("xn--test--wg5h0h.com")]), "xn--test--wg5h0h.com"),
            Err(CN)
        );
        // Canonical forms, and a CN outside the SAN (BetterTLS accepts those), pass.
        assert_eq!(check(&cert(&["192.168.1.1"], vec![ip("192.168.1.1")]), "192.168.1.1"), Ok(()));
        assert_eq!(check(&cert(&["bad.example.com"], vec![dns("test.localhost")]), "test.localhost"), Ok(()));
        assert_eq!(check(&cert(&["12345"], vec![dns("example.com")]), "example.com"), Ok(()));
        let ignore = Options { common_name: CommonNamePolicy::Ignore, ..Options::default() };
        let c = cert(&["Example.COM"], vec![dns("example.com")]);
        assert_eq!(verify_with(&c, &ServerName::parse("example.com").unwrap(), &ignore), Ok(()));
    }

    #[test]
    fn parse_reference_names() {
        assert_eq!(ServerName::parse("Example.COM.").unwrap(), ServerName::Dns("example.com".into()));
        assert_eq!(ServerName::parse("127.0.0.1").unwrap(), ServerName::Ip("127.0.0.1".parse().unwrap()));
        assert_eq!(ServerName::parse("[::1]").unwrap(), ServerName::Ip("::1".parse().unwrap()));
        assert_eq!(ServerName::parse("foo_bar.example.com").unwrap(), ServerName::Dns("foo_bar.example.com".into()));
        for bad in ["", "*.example.com", "a..b", "-a.com", "1.2.3.04", "exa mple.com", "ex\u{e9}.com", "[1.2.3.4]"] {
            let e = ServerName::parse(bad).unwrap_err();
            assert_eq!(e.finding_id(), "rfc9525.reference.invalid", "{bad}");
        }
    }

    #[test]
    fn dns_syntax_rules() {
        assert!(dns_syntax("example.com", Syntax::Presented).is_ok());
        assert!(dns_syntax("*.example.com", Syntax::Presented).is_ok());
        assert!(dns_syntax("localhost", Syntax::Presented).is_ok());
        assert!(dns_syntax("xn--n3h.com", Syntax::Presented).is_ok());
        assert!(dns_syntax("3com.com", Syntax::Presented).is_ok());
        for bad in [
            ".example.com",
            "example.com.",
            "foo_bar.example.com",
            "8.8.8.8",
            "*",
            "ba*.example.com",
            "foo.*.example.com",
            "a-.com",
            "",
            "a..b",
        ] {
            assert!(dns_syntax(bad, Syntax::Presented).is_err(), "{bad}");
        }
        assert!(dns_syntax("*.example.com", Syntax::Constraint).is_err());
        assert!(dns_syntax(".example.com", Syntax::Constraint).is_err());
        assert!(dns_syntax("", Syntax::Constraint).is_ok());
        let long = format!("{}.com", "a".repeat(64));
        assert!(dns_syntax(&long, Syntax::Presented).is_err());
        let label = "a".repeat(63);
        let too_long = [label.as_str(); 4].join(".");
        assert_eq!(too_long.len(), 255);
        assert_eq!(dns_syntax(&too_long, Syntax::Presented), Err("it is longer than 253 characters"));
    }

    #[test]
    fn wildcard_matching() {
        let m = |p: &str, r: &str| matches!(dns_matches(p, r, WildcardPolicy::default()), DnsMatch::Yes);
        assert!(m("*.example.com", "foo.example.com"));
        assert!(m("*.Example.com", "foo.example.com"));
        assert!(!m("*.example.com", "example.com"));
        assert!(!m("*.example.com", "foo.bar.example.com"));
        assert!(matches!(
            dns_matches("*.com", "example.com", WildcardPolicy::default()),
            DnsMatch::PublicSuffixWildcard
        ));
        assert!(!matches!(dns_matches("*.example.com", "foo.example.com", WildcardPolicy::Forbid), DnsMatch::Yes));
        assert!(m("EXAMPLE.com", "example.com"));
    }

    #[test]
    fn lenient_ip_forms() {
        let v4 = |s: &str| lenient_ip(s).map(|i| i.to_string());
        assert_eq!(v4("0xC0A80101").as_deref(), Some("192.168.1.1"));
        assert_eq!(v4("192.168.001.001").as_deref(), Some("192.168.1.1"));
        assert_eq!(v4("192.168.1.1").as_deref(), Some("192.168.1.1"));
        assert_eq!(v4("2001:DB8::1").as_deref(), Some("2001:db8::1"));
        assert_eq!(v4("example.com"), None);
        assert_eq!(v4("1.2.3.256"), None);
        assert_eq!(v4("09.1.1.1"), None);
        assert_eq!(v4("12345"), None);
        assert_eq!(v4("0x7f.1").as_deref(), Some("127.0.0.1"));
    }
}
