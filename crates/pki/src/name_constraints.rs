//! Name constraints: RFC 5280 §4.2.1.10 and the path-validation steps §6.1.3 (b)(c) and §6.1.4 (g).
//!
//! The validator calls [`check`] once for each CA certificate of the path that carries
//! nameConstraints, against each certificate below it (except self-issued intermediates,
//! §6.1.3 (b); the leaf is always checked). Checking each CA's constraints on their own is the
//! same as RFC 5280's running intersection of permitted subtrees and union of excluded ones: a
//! name passes the path when it passes every CA's constraints.
//!
//! Which names of a certificate are checked:
//!
//! - the subject DN, when not empty, against directoryName subtrees (§4.2.1.10: "MUST be applied
//!   to the subject field ... when the certificate includes a non-empty subject field");
//! - every subjectAltName entry, by its form;
//! - every emailAddress attribute of the subject DN against rfc822Name subtrees (§4.2.1.10 makes
//!   this a MUST when there is no SAN; it is done always, as OpenSSL and BoringSSL do, since a
//!   mailbox in the DN that the CA may not certify is no better for sitting beside a SAN);
//! - for the leaf only, when it has no subjectAltName extension at all: each commonName that is a
//!   DNS host name (with at least one dot) against dNSName subtrees, and each that is an IP address
//!   in text form against iPAddress subtrees. RFC 5280 does not ask for this, but a legacy client
//!   that still falls back to the CN would otherwise take a name the CA was forbidden to certify;
//!   BoringSSL, Chromium and rustls-webpki do the same. No x509-limbo case contradicts it: every
//!   BetterTLS case with a leaf without SAN expects FAILURE.
//!
//! Matching per form (all comparisons of DNS labels are ASCII case-insensitive):
//!
//! - dNSName: a name satisfies `example.com` when it is `example.com` or ends with
//!   `.example.com`; the empty constraint matches every name. A SAN wildcard `*.X` stands for
//!   every name of one more label than `X`: it is within a permitted subtree only when *all* those
//!   names are (`X` within it), and within an excluded subtree when *any* is (`X` within it, or
//!   the subtree is one label above `X`) — so `*.example.com` is refused under "exclude
//!   bar.example.com" and under "permit foo.example.com" (CVE-2025-61727 and its variant);
//! - iPAddress: 8 octets (IPv4 address and mask) or 32 (IPv6); an IPv4 address is never within an
//!   IPv6 subtree nor the reverse;
//! - rfc822Name: `user@host` is one mailbox (local part case-sensitive, RFC 5280 §7.5), `host` every
//!   mailbox at that host, `.example.com` every mailbox at a host below example.com; characters
//!   such as `*` are literal;
//! - URI: the constraint applies to the host of the URI; `.example.com` is every host below it,
//!   `host.example.com` that host only; a URI without a host, or whose host is an IP literal,
//!   cannot be checked and is refused when URI constraints exist;
//! - directoryName: [`Name::is_within`] (RDN prefix, §7.1 comparison);
//! - otherName, x400Address, ediPartyName, registeredID: not processed. A certificate that has a
//!   name of such a form under a constraint of the same form is refused (§4.2.1.10: "MUST either
//!   process the constraint or reject the certificate"); constraints of those forms on a path
//!   whose certificates have no such names change nothing.
//!
//! Names that are malformed (a SAN dNSName outside the preferred name syntax, an iPAddress that
//! is not 4 or 16 octets, an rfc822Name that is not a mailbox) are refused when constraints of
//! their form exist, since they cannot be shown to be inside the permitted namespace.
//!
//! Work is bounded: every comparison of one name with one subtree costs one unit of
//! [`Budget::name_constraints`] (250,000 by default, see [`crate::budget::Limits`]), charged before
//! the comparisons are made.

use crate::budget::{Budget, Exhausted};
use crate::cert::{self, Certificate, GeneralSubtree};
use crate::hostname::{dns_syntax, Syntax, OID_COMMON_NAME};
use crate::name::{GeneralName, Name};
use report::{FindingDef, Severity};
use std::net::IpAddr;

/// The OID of the emailAddress attribute (PKCS #9, RFC 5280 §4.1.2.6).
const OID_EMAIL_ADDRESS: &str = "1.2.840.113549.1.9.1";

/// The finding ids of this module. Budget exhaustion is reported with the path-wide id
/// `rfc5280.path.budget-exhausted` of [`crate::findings`].
pub static FINDINGS: &[FindingDef] = &[
    FindingDef {
        id: "rfc5280.name-constraints.not-permitted",
        severity: Severity::Error,
        citation: "RFC 5280 §4.2.1.10; §6.1.3 (b)",
        summary: "A name of the certificate is outside every permitted subtree of its form.",
    },
    FindingDef {
        id: "rfc5280.name-constraints.excluded",
        severity: Severity::Error,
        citation: "RFC 5280 §4.2.1.10; §6.1.3 (c)",
        summary: "A name of the certificate lies within an excluded subtree.",
    },
    FindingDef {
        id: "rfc5280.name-constraints.unsupported-form",
        severity: Severity::Error,
        citation: "RFC 5280 §4.2.1.10",
        summary: "A name of a form this validator does not process (otherName, x400Address, ediPartyName, registeredID) is under a constraint of that form: the certificate is rejected.",
    },
    FindingDef {
        id: "rfc5280.name-constraints.malformed-name",
        severity: Severity::Error,
        citation: "RFC 5280 §4.2.1.6; §4.2.1.10",
        summary: "A name under constraint is malformed, so it cannot be shown to be within the permitted subtrees.",
    },
    FindingDef {
        id: "rfc5280.name-constraints.malformed",
        severity: Severity::Error,
        citation: "RFC 5280 §4.2.1.10",
        summary: "The nameConstraints extension holds a malformed subtree (bad DNS syntax, an IP mask that is not a prefix, a wrong length, an invalid mailbox).",
    },
    FindingDef {
        id: "rfc5280.name-constraints.empty",
        severity: Severity::Error,
        citation: "RFC 5280 §4.2.1.10; CABF BR §7.1.2.5.2",
        summary: "The nameConstraints extension has neither permittedSubtrees nor excludedSubtrees, or an empty one.",
    },
];

/// Why a certificate fails name constraints, or a nameConstraints extension is malformed.
/// Display names the certificate and the name and cites the clause.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameConstraintError {
    #[error(
        "{cert}: the {name} is not within any permitted {form} subtree ({subtrees}) (RFC 5280 §4.2.1.10, §6.1.3 (b))"
    )]
    NotPermitted { cert: String, name: String, form: &'static str, subtrees: String },
    #[error("{cert}: the {name} lies within the excluded subtree {subtree} (RFC 5280 §4.2.1.10, §6.1.3 (c))")]
    Excluded { cert: String, name: String, subtree: String },
    #[error("{cert}: the {name} is under {form} name constraints, which this validator does not process, so the certificate is rejected (RFC 5280 §4.2.1.10)")]
    UnsupportedForm { cert: String, name: String, form: &'static str },
    #[error("{cert}: the {name} is under name constraints but malformed: {reason} (RFC 5280 §4.2.1.6, §4.2.1.10)")]
    MalformedName { cert: String, name: String, reason: String },
    #[error("nameConstraints has a malformed {which} subtree {subtree}: {reason} (RFC 5280 §4.2.1.10)")]
    Malformed { which: &'static str, subtree: String, reason: String },
    #[error("nameConstraints {detail} (RFC 5280 §4.2.1.10: either permittedSubtrees or excludedSubtrees MUST be present, each with at least one subtree)")]
    Empty { detail: &'static str },
    #[error("{cert}: name-constraint checking stopped: {exhausted} ({limit} comparisons) ran out")]
    Budget { cert: String, exhausted: Exhausted, limit: u64 },
}

impl NameConstraintError {
    /// The stable finding id of this error (see [`FINDINGS`]).
    pub fn finding_id(&self) -> &'static str {
        match self {
            NameConstraintError::NotPermitted { .. } => "rfc5280.name-constraints.not-permitted",
            NameConstraintError::Excluded { .. } => "rfc5280.name-constraints.excluded",
            NameConstraintError::UnsupportedForm { .. } => "rfc5280.name-constraints.unsupported-form",
            NameConstraintError::MalformedName { .. } => "rfc5280.name-constraints.malformed-name",
            NameConstraintError::Malformed { .. } => "rfc5280.name-constraints.malformed",
            NameConstraintError::Empty { .. } => "rfc5280.name-constraints.empty",
            NameConstraintError::Budget { .. } => crate::findings::BUDGET.id,
        }
    }
}

/// The name forms of GeneralName (RFC 5280 §4.2.1.6), used to pair names with subtrees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Dns,
    Ip,
    Email,
    Uri,
    Directory,
    OtherName,
    X400,
    EdiParty,
    RegisteredId,
    /// A name whose content did not decode; the tag is kept for the message only.
    Invalid,
}

impl Form {
    const COUNT: usize = 10;

    fn of(g: &GeneralName) -> Form {
        match g {
            GeneralName::Dns(_) => Form::Dns,
            GeneralName::Ip(_) => Form::Ip,
            GeneralName::Rfc822(_) => Form::Email,
            GeneralName::Uri(_) => Form::Uri,
            GeneralName::Directory(_) => Form::Directory,
            GeneralName::OtherName { .. } => Form::OtherName,
            GeneralName::X400Address => Form::X400,
            GeneralName::EdiPartyName => Form::EdiParty,
            GeneralName::RegisteredId(_) => Form::RegisteredId,
            GeneralName::Invalid { .. } => Form::Invalid,
        }
    }
    fn processed(self) -> bool {
        matches!(self, Form::Dns | Form::Ip | Form::Email | Form::Uri | Form::Directory)
    }
}

/// A name of the subject certificate to check, borrowed where possible.
enum Subject<'a> {
    San(&'a GeneralName),
    /// The subject DN as a directoryName.
    Dn(&'a Name),
    /// An emailAddress attribute of the subject DN, as an rfc822Name.
    DnEmail(String),
    /// A commonName of a leaf without SAN, taken as a dNSName.
    CnDns(String),
    /// A commonName of a leaf without SAN, taken as an iPAddress.
    CnIp(IpAddr),
}

impl Subject<'_> {
    fn form(&self) -> Form {
        match self {
            Subject::San(g) => Form::of(g),
            Subject::Dn(_) => Form::Directory,
            Subject::DnEmail(_) => Form::Email,
            Subject::CnDns(_) => Form::Dns,
            Subject::CnIp(_) => Form::Ip,
        }
    }
    fn describe(&self) -> String {
        match self {
            Subject::San(g) => format!("subjectAltName {} {}", g.form(), g),
            Subject::Dn(n) => format!("subject DN {n}"),
            Subject::DnEmail(e) => format!("subject emailAddress {e}"),
            Subject::CnDns(c) => format!("subject commonName {c} (taken as a dNSName: the leaf has no subjectAltName)"),
            Subject::CnIp(ip) => {
                format!("subject commonName {ip} (taken as an iPAddress: the leaf has no subjectAltName)")
            }
        }
    }
}

/// Checks the names of `subject` against one CA's `constraints` (RFC 5280 §6.1.3 (b)(c)).
///
/// `is_leaf` enables the commonName rule for leaves without SAN (see the module documentation).
/// The caller skips self-issued intermediates; this function checks whatever it is given.
pub fn check(
    constraints: &cert::NameConstraints,
    subject: &Certificate,
    is_leaf: bool,
    budget: &mut Budget,
) -> Result<(), NameConstraintError> {
    let permitted = constraints.permitted.as_deref().unwrap_or(&[]);
    let excluded = constraints.excluded.as_deref().unwrap_or(&[]);
    if permitted.is_empty() && excluded.is_empty() {
        return Ok(());
    }
    let names = subject_names(subject, is_leaf);
    let groups = Grouped::new(permitted, excluded);

    // Charge the budget for every (name, subtree) pair of the same form before comparing.
    let cost = names
        .iter()
        .map(|n| {
            let g = groups.of(n.form());
            (g.permitted.len() + g.excluded.len()) as u64
        })
        .fold(0u64, u64::saturating_add);
    if let Err(exhausted) = budget.name_constraints(cost) {
        return Err(NameConstraintError::Budget {
            cert: subject.label(),
            exhausted,
            limit: budget.limits.name_constraint_checks,
        });
    }

    for name in &names {
        check_one(subject, name, &groups)?;
    }
    Ok(())
}

/// The subtrees of one form.
#[derive(Default)]
struct Subtrees<'a> {
    permitted: Vec<&'a GeneralName>,
    excluded: Vec<&'a GeneralName>,
}

/// Subtrees grouped by form once per call, so that the work per name is proportional to the
/// subtrees of its own form (the ones the budget is charged for).
struct Grouped<'a> {
    forms: [Subtrees<'a>; Form::COUNT],
}

impl<'a> Grouped<'a> {
    fn new(permitted: &'a [GeneralSubtree], excluded: &'a [GeneralSubtree]) -> Self {
        let mut forms: [Subtrees<'a>; Form::COUNT] = Default::default();
        for s in permitted {
            if let Some(g) = forms.get_mut(Form::of(&s.base) as usize) {
                g.permitted.push(&s.base);
            }
        }
        for s in excluded {
            if let Some(g) = forms.get_mut(Form::of(&s.base) as usize) {
                g.excluded.push(&s.base);
            }
        }
        Grouped { forms }
    }
    fn of(&self, f: Form) -> &Subtrees<'a> {
        const EMPTY: &Subtrees<'static> = &Subtrees { permitted: Vec::new(), excluded: Vec::new() };
        self.forms.get(f as usize).unwrap_or(EMPTY)
    }
}

fn subject_names(subject: &Certificate, is_leaf: bool) -> Vec<Subject<'_>> {
    let mut names = Vec::new();
    if !subject.subject.is_empty() {
        names.push(Subject::Dn(&subject.subject));
    }
    for a in subject.subject.attributes().filter(|a| a.oid == OID_EMAIL_ADDRESS) {
        // A value that is not text cannot be a mailbox; keep it so that it is refused under
        // rfc822Name constraints.
        names.push(Subject::DnEmail(a.text().unwrap_or_default()));
    }
    match subject.extensions.subject_alt_name.as_ref() {
        Some(san) => names.extend(san.value.iter().map(Subject::San)),
        None if is_leaf => {
            for cn in subject.subject.values_of(OID_COMMON_NAME) {
                if let Ok(ip) = cn.parse::<IpAddr>() {
                    names.push(Subject::CnIp(ip));
                } else if cn.contains('.') && dns_syntax(&cn, Syntax::Host).is_ok() {
                    names.push(Subject::CnDns(cn));
                }
            }
        }
        None => {}
    }
    names
}

fn check_one(cert: &Certificate, name: &Subject<'_>, groups: &Grouped<'_>) -> Result<(), NameConstraintError> {
    let form = name.form();
    if form == Form::Invalid {
        // The form of an undecodable name is unknown: it cannot be cleared under any constraint
        // (check() returns early when there are none).
        return Err(NameConstraintError::MalformedName {
            cert: cert.label(),
            name: name.describe(),
            reason: "its content does not decode".into(),
        });
    }
    let Subtrees { permitted, excluded } = groups.of(form);
    if permitted.is_empty() && excluded.is_empty() {
        return Ok(());
    }
    if !form.processed() {
        return Err(NameConstraintError::UnsupportedForm {
            cert: cert.label(),
            name: name.describe(),
            form: form_name(form),
        });
    }

    let malformed =
        |reason: String| NameConstraintError::MalformedName { cert: cert.label(), name: name.describe(), reason };
    let parsed = Parsed::from(name).map_err(malformed)?;

    if let Some(s) = excluded.iter().find(|s| parsed.within(s, Quantifier::Any)) {
        return Err(NameConstraintError::Excluded {
            cert: cert.label(),
            name: name.describe(),
            subtree: s.to_string(),
        });
    }
    if !permitted.is_empty() && !permitted.iter().any(|s| parsed.within(s, Quantifier::All)) {
        const SHOWN: usize = 5;
        let mut list = permitted.iter().take(SHOWN).map(|s| s.to_string()).collect::<Vec<_>>().join(", ");
        if permitted.len() > SHOWN {
            list.push_str(&format!(" and {} more", permitted.len() - SHOWN));
        }
        return Err(NameConstraintError::NotPermitted {
            cert: cert.label(),
            name: name.describe(),
            form: form_name(form),
            subtrees: list,
        });
    }
    Ok(())
}

fn form_name(f: Form) -> &'static str {
    match f {
        Form::Dns => "dNSName",
        Form::Ip => "iPAddress",
        Form::Email => "rfc822Name",
        Form::Uri => "uniformResourceIdentifier",
        Form::Directory => "directoryName",
        Form::OtherName => "otherName",
        Form::X400 => "x400Address",
        Form::EdiParty => "ediPartyName",
        Form::RegisteredId => "registeredID",
        Form::Invalid => "malformed",
    }
}

/// For a name that stands for a set of names (a wildcard), whether the subtree must hold all of
/// them (permitted) or any of them (excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quantifier {
    All,
    Any,
}

/// A subject name in the form comparisons need.
enum Parsed<'a> {
    /// A DNS name in lower case; `wildcard` when it was `*.` followed by this base.
    Dns {
        name: String,
        wildcard: bool,
    },
    Ip(&'a [u8]),
    IpOwned(Vec<u8>),
    Mailbox {
        local: String,
        domain: String,
    },
    /// The lower-case host of a URI.
    UriHost(String),
    Directory(&'a Name),
}

impl<'a> Parsed<'a> {
    fn from(name: &'a Subject<'a>) -> Result<Parsed<'a>, String> {
        match name {
            Subject::San(GeneralName::Dns(d)) => parse_dns(d),
            Subject::San(GeneralName::Ip(b)) => {
                if b.len() == 4 || b.len() == 16 {
                    Ok(Parsed::Ip(b))
                } else {
                    Err(format!("an iPAddress must be 4 or 16 octets, this one has {}", b.len()))
                }
            }
            Subject::San(GeneralName::Rfc822(m)) | Subject::DnEmail(m) => parse_mailbox(m),
            Subject::San(GeneralName::Uri(u)) => uri_host(u).map(Parsed::UriHost),
            Subject::San(GeneralName::Directory(n)) => Ok(Parsed::Directory(n)),
            Subject::Dn(n) => Ok(Parsed::Directory(n)),
            Subject::CnDns(c) => parse_dns(c),
            Subject::CnIp(IpAddr::V4(a)) => Ok(Parsed::IpOwned(a.octets().to_vec())),
            Subject::CnIp(IpAddr::V6(a)) => Ok(Parsed::IpOwned(a.octets().to_vec())),
            Subject::San(_) => Err("not a processed name form".into()),
        }
    }

    /// Whether this name lies within the subtree `base` (of the same form).
    fn within(&self, base: &GeneralName, q: Quantifier) -> bool {
        match (self, base) {
            (Parsed::Dns { name, wildcard }, GeneralName::Dns(c)) => {
                if dns_within(name, c) {
                    return true;
                }
                // `*.name` also reaches into a subtree one label above `name`, for some labels.
                *wildcard
                    && q == Quantifier::Any
                    && strip_suffix_ignore_case(c, name)
                        .and_then(|h| h.strip_suffix('.'))
                        .is_some_and(|h| !h.is_empty() && !h.contains('.'))
            }
            (Parsed::Ip(a), GeneralName::Ip(c)) => ip_within(a, c),
            (Parsed::IpOwned(a), GeneralName::Ip(c)) => ip_within(a, c),
            (Parsed::Mailbox { local, domain }, GeneralName::Rfc822(c)) => mailbox_within(local, domain, c),
            (Parsed::UriHost(h), GeneralName::Uri(c)) => host_within_uri_constraint(h, c),
            (Parsed::Directory(n), GeneralName::Directory(b)) => n.is_within(b),
            _ => false,
        }
    }
}

fn parse_dns(d: &str) -> Result<Parsed<'static>, String> {
    dns_syntax(d, Syntax::Presented).map_err(|r| format!("not a DNS name in preferred name syntax: {r}"))?;
    let lower = d.to_ascii_lowercase();
    Ok(match lower.strip_prefix("*.") {
        Some(base) => Parsed::Dns { name: base.to_string(), wildcard: true },
        None => Parsed::Dns { name: lower, wildcard: false },
    })
}

/// `name` equals `c` or is below it, ignoring ASCII case; the empty constraint holds every name.
fn dns_within(name: &str, c: &str) -> bool {
    c.is_empty() || strip_suffix_ignore_case(name, c).is_some_and(|h| h.is_empty() || h.ends_with('.'))
}

/// `s` without the suffix `suffix`, compared ignoring ASCII case.
fn strip_suffix_ignore_case<'s>(s: &'s str, suffix: &str) -> Option<&'s str> {
    let cut = s.len().checked_sub(suffix.len())?;
    let tail = s.get(cut..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| s.get(..cut)).flatten()
}

fn ip_within(addr: &[u8], c: &[u8]) -> bool {
    let n = addr.len();
    if c.len() != 2 * n {
        return false;
    }
    let (net, mask) = c.split_at(n);
    addr.iter().zip(net).zip(mask).all(|((a, b), m)| a & m == b & m)
}

/// Splits a mailbox (RFC 5322 §3.4.1 addr-spec without comments or folding white space) into
/// local part and lower-case domain.
fn parse_mailbox(m: &str) -> Result<Parsed<'static>, String> {
    let (local, domain) = split_mailbox(m)?;
    Ok(Parsed::Mailbox { local: local.to_string(), domain: domain.to_ascii_lowercase() })
}

fn split_mailbox(m: &str) -> Result<(&str, &str), String> {
    let Some((local, domain)) = m.rsplit_once('@') else {
        return Err("an rfc822Name must be a mailbox (local-part@domain)".into());
    };
    if !valid_local_part(local) {
        return Err(format!("{local:?} is not a valid local part (RFC 5322 §3.4.1)"));
    }
    dns_syntax(domain, Syntax::Host).map_err(|r| format!("the domain {domain:?} is not a host name: {r}"))?;
    Ok((local, domain))
}

/// RFC 5322 §3.4.1 local-part: a dot-atom of atext, or a quoted-string of printable ASCII.
fn valid_local_part(local: &str) -> bool {
    if local.is_empty() {
        return false;
    }
    if let Some(q) = local.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        let mut escaped = false;
        for c in q.chars() {
            if escaped {
                escaped = false;
                continue;
            }
            match c {
                '\\' => escaped = true,
                '"' => return false,
                ' '..='~' => {}
                _ => return false,
            }
        }
        return !escaped;
    }
    const SPECIAL: &str = "!#$%&'*+-/=?^_`{|}~";
    local
        .split('.')
        .all(|atom| !atom.is_empty() && atom.chars().all(|c| c.is_ascii_alphanumeric() || SPECIAL.contains(c)))
}

fn mailbox_within(local: &str, domain: &str, c: &str) -> bool {
    if let Some((c_local, c_domain)) = c.rsplit_once('@') {
        // A particular mailbox: local part exactly, domain ignoring case (RFC 5280 §7.5).
        return local == c_local && domain.eq_ignore_ascii_case(c_domain);
    }
    if c.starts_with('.') {
        // Any host below the domain.
        return domain.len() > c.len()
            && domain.get(domain.len() - c.len()..).is_some_and(|t| t.eq_ignore_ascii_case(c));
    }
    domain.eq_ignore_ascii_case(c)
}

/// The host part of a URI (RFC 3986 §3.2.2), lower case. URIs without an authority, with an
/// empty host, or with an IP-literal or IPv4 host cannot be checked against URI constraints
/// (RFC 5280 §4.2.1.10 speaks of "the host part of the name", a domain name).
fn uri_host(u: &str) -> Result<String, String> {
    let Some((scheme, rest)) = u.split_once(':') else { return Err("a URI must have a scheme".into()) };
    if scheme.is_empty() || !scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) {
        return Err("a URI must start with a scheme".into());
    }
    let Some(after) = rest.strip_prefix("//") else {
        return Err("the URI has no authority, so there is no host to check against URI constraints".into());
    };
    let authority = after.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host_port.starts_with('[') {
        return Err("the URI host is an IP literal; URI constraints name domains".into());
    }
    let host = match host_port.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        Some(_) => return Err("the URI authority has an invalid port".into()),
        None => host_port,
    };
    if host.parse::<std::net::Ipv4Addr>().is_ok() {
        return Err("the URI host is an IP address; URI constraints name domains".into());
    }
    dns_syntax(host, Syntax::Host).map_err(|r| format!("the URI host {host:?} is not a DNS name: {r}"))?;
    Ok(host.to_ascii_lowercase())
}

fn host_within_uri_constraint(host: &str, c: &str) -> bool {
    if c.starts_with('.') {
        return host.len() > c.len() && host.get(host.len() - c.len()..).is_some_and(|t| t.eq_ignore_ascii_case(c));
    }
    host.eq_ignore_ascii_case(c)
}

/// Well-formedness of a nameConstraints extension (RFC 5280 §4.2.1.10), checked once per CA
/// certificate: at least one non-empty list of subtrees; dNSName subtrees in preferred name syntax
/// (no wildcard, no leading period; empty means every name); iPAddress subtrees of 8 or 32 octets
/// whose mask is a prefix (ones then zeros); rfc822Name subtrees a mailbox, a host or `.domain`;
/// URI subtrees a host or `.domain`; no undecodable subtree.
///
/// Criticality is not checked here: RFC 5280 says MUST be critical, the CABF BRs allow
/// non-critical (x509-limbo has both cases); the validator decides (`rfc5280.name-constraints.not-critical`).
pub fn validate_extension(nc: &cert::Ext<cert::NameConstraints>) -> Result<(), NameConstraintError> {
    let v = &nc.value;
    match (&v.permitted, &v.excluded) {
        (None, None) => {
            return Err(NameConstraintError::Empty { detail: "has neither permittedSubtrees nor excludedSubtrees" })
        }
        (Some(p), _) if p.is_empty() => {
            return Err(NameConstraintError::Empty { detail: "has an empty permittedSubtrees" })
        }
        (_, Some(e)) if e.is_empty() => {
            return Err(NameConstraintError::Empty { detail: "has an empty excludedSubtrees" })
        }
        _ => {}
    }
    for (which, list) in [("permitted", &v.permitted), ("excluded", &v.excluded)] {
        for s in list.iter().flatten() {
            if let Err(reason) = subtree_syntax(&s.base) {
                return Err(NameConstraintError::Malformed { which, subtree: s.base.to_string(), reason });
            }
        }
    }
    Ok(())
}

fn subtree_syntax(base: &GeneralName) -> Result<(), String> {
    match base {
        GeneralName::Dns(d) => {
            dns_syntax(d, Syntax::Constraint).map_err(|r| format!("not a DNS name in preferred name syntax: {r}"))
        }
        GeneralName::Ip(b) => {
            let n = match b.len() {
                8 => 4,
                32 => 16,
                l => {
                    return Err(format!(
                        "an iPAddress constraint is an address and a mask, 8 or 32 octets; this one has {l}"
                    ))
                }
            };
            let mask = b.get(n..).unwrap_or_default();
            let bits: Vec<bool> = mask.iter().flat_map(|m| (0..8).rev().map(move |i| m >> i & 1 == 1)).collect();
            if bits.windows(2).any(|w| matches!(w, [false, true])) {
                return Err("the mask is not a run of ones followed by zeros (not CIDR)".into());
            }
            Ok(())
        }
        GeneralName::Rfc822(c) => {
            if c.contains('@') {
                split_mailbox(c).map(|_| ())
            } else {
                let host = c.strip_prefix('.').unwrap_or(c);
                dns_syntax(host, Syntax::Host).map_err(|r| format!("not a mailbox, host or .domain: {r}"))
            }
        }
        GeneralName::Uri(c) => {
            let host = c.strip_prefix('.').unwrap_or(c);
            dns_syntax(host, Syntax::Host).map_err(|r| format!("a URI constraint must be a host or .domain: {r}"))
        }
        GeneralName::Invalid { tag } => Err(format!("the subtree's name (tag {tag}) does not decode")),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::budget::Limits;
    use crate::cert::{Ext, NameConstraints};
    use rcgen::{CertificateParams, DistinguishedName, DnType, DnValue, KeyPair, OtherNameValue, SanType};

    fn cert(dn: &[(DnType, DnValue)], sans: Vec<SanType>) -> Certificate {
        let mut p = CertificateParams::default();
        p.distinguished_name = DistinguishedName::new();
        for (t, v) in dn {
            p.distinguished_name.push(t.clone(), v.clone());
        }
        p.subject_alt_names = sans;
        let key = KeyPair::generate().unwrap();
        Certificate::from_der(p.self_signed(&key).unwrap().der()).unwrap()
    }
    fn dns(s: &str) -> SanType {
        SanType::DnsName(s.try_into().unwrap())
    }
    fn cn(s: &str) -> (DnType, DnValue) {
        (DnType::CommonName, DnValue::Utf8String(s.into()))
    }
    fn nc(permitted: Vec<GeneralName>, excluded: Vec<GeneralName>) -> NameConstraints {
        let wrap =
            |v: Vec<GeneralName>| (!v.is_empty()).then(|| v.into_iter().map(|base| GeneralSubtree { base }).collect());
        NameConstraints { permitted: wrap(permitted), excluded: wrap(excluded) }
    }
    fn run(c: &NameConstraints, subject: &Certificate, is_leaf: bool) -> Result<(), &'static str> {
        let mut budget = Budget::new(Limits::default());
        check(c, subject, is_leaf, &mut budget).map_err(|e| e.finding_id())
    }
    fn d(s: &str) -> GeneralName {
        GeneralName::Dns(s.into())
    }
    const NOT_PERMITTED: &str = "rfc5280.name-constraints.not-permitted";
    const EXCLUDED: &str = "rfc5280.name-constraints.excluded";
    const MALFORMED_NAME: &str = "rfc5280.name-constraints.malformed-name";

    #[test]
    fn dns_constraints_on_a_real_certificate() {
        let leaf = cert(&[cn("leaf")], vec![dns("foo.Example.com"), dns("bar.example.com")]);
        assert_eq!(run(&nc(vec![d("example.com")], vec![]), &leaf, true), Ok(()));
        assert_eq!(run(&nc(vec![d("EXAMPLE.COM")], vec![]), &leaf, true), Ok(()));
        assert_eq!(run(&nc(vec![d("foo.example.com")], vec![]), &leaf, true), Err(NOT_PERMITTED));
        assert_eq!(run(&nc(vec![d("other.com")], vec![]), &leaf, true), Err(NOT_PERMITTED));
        // Excluded wins over permitted, and the second SAN entry counts too.
        assert_eq!(run(&nc(vec![d("example.com")], vec![d("bar.example.com")]), &leaf, true), Err(EXCLUDED));
        // A constraint of another form says nothing about dNSNames.
        assert_eq!(run(&nc(vec![GeneralName::Ip(vec![192, 0, 2, 0, 255, 255, 255, 0])], vec![]), &leaf, true), Ok(()));
        let e = {
            let mut b = Budget::new(Limits::default());
            check(&nc(vec![d("other.com")], vec![]), &leaf, true, &mut b).unwrap_err()
        };
        let msg = e.to_string();
        assert!(msg.contains("CN=leaf") && msg.contains("foo.Example.com") && msg.contains("§6.1.3 (b)"), "{msg}");
    }

    #[test]
    fn wildcard_san_under_constraints() {
        let leaf = cert(&[], vec![dns("*.example.com")]);
        // CVE-2025-61727: the wildcard could stand for bar.example.com.
        assert_eq!(run(&nc(vec![], vec![d("bar.example.com")]), &leaf, true), Err(EXCLUDED));
        // ... and for names outside foo.example.com.
        assert_eq!(run(&nc(vec![d("foo.example.com")], vec![]), &leaf, true), Err(NOT_PERMITTED));
        assert_eq!(run(&nc(vec![d("example.com")], vec![]), &leaf, true), Ok(()));
        // Two labels below the wildcard base cannot be reached by one label.
        assert_eq!(run(&nc(vec![], vec![d("a.b.example.com")]), &leaf, true), Ok(()));
        assert_eq!(run(&nc(vec![], vec![d("example.com")]), &leaf, true), Err(EXCLUDED));
    }

    #[test]
    fn malformed_san_names_are_refused_under_constraints() {
        let leaf = cert(&[], vec![dns(".example.com")]);
        assert_eq!(run(&nc(vec![d("example.com")], vec![]), &leaf, true), Err(MALFORMED_NAME));
        // No dNSName constraints: the name is not this module's business.
        assert_eq!(run(&nc(vec![GeneralName::Rfc822("example.com".into())], vec![]), &leaf, true), Ok(()));
        let leaf = cert(&[], vec![SanType::Rfc822Name("invalid@address@example.com".try_into().unwrap())]);
        assert_eq!(run(&nc(vec![GeneralName::Rfc822("example.com".into())], vec![]), &leaf, true), Err(MALFORMED_NAME));
    }

    #[test]
    fn ip_constraints() {
        let v4 = cert(&[], vec![SanType::IpAddress("192.0.2.9".parse().unwrap())]);
        let v6 = cert(&[], vec![SanType::IpAddress("::1".parse().unwrap())]);
        let net24 = GeneralName::Ip(vec![192, 0, 2, 0, 255, 255, 255, 0]);
        let mut host128 = vec![0u8; 15];
        host128.push(1);
        host128.extend([0xff; 16]);
        let host128 = GeneralName::Ip(host128);
        assert_eq!(run(&nc(vec![net24.clone()], vec![]), &v4, true), Ok(()));
        assert_eq!(run(&nc(vec![], vec![net24.clone()]), &v4, true), Err(EXCLUDED));
        assert_eq!(
            run(&nc(vec![GeneralName::Ip(vec![192, 0, 3, 0, 255, 255, 255, 0])], vec![]), &v4, true),
            Err(NOT_PERMITTED)
        );
        // An IPv6 address is not within an IPv4 subtree.
        assert_eq!(run(&nc(vec![net24], vec![]), &v6, true), Err(NOT_PERMITTED));
        assert_eq!(run(&nc(vec![host128.clone()], vec![]), &v6, true), Ok(()));
        assert_eq!(run(&nc(vec![], vec![host128]), &v6, true), Err(EXCLUDED));
    }

    #[test]
    fn email_constraints_cover_san_and_subject_email_address() {
        let email = |s: &str| SanType::Rfc822Name(s.try_into().unwrap());
        let r = |s: &str| GeneralName::Rfc822(s.into());
        let leaf = cert(&[], vec![email("foo@example.com")]);
        assert_eq!(run(&nc(vec![r("foo@example.com")], vec![]), &leaf, false), Ok(()));
        assert_eq!(run(&nc(vec![r("example.com")], vec![]), &leaf, false), Ok(()));
        assert_eq!(run(&nc(vec![r(".example.com")], vec![]), &leaf, false), Err(NOT_PERMITTED));
        assert_eq!(run(&nc(vec![r("*@example.com")], vec![]), &leaf, false), Err(NOT_PERMITTED));
        let ia5 = DnValue::Ia5String("bob@evil.example".try_into().unwrap());
        let in_dn = cert(&[cn("bob"), (DnType::CustomDnType(vec![1, 2, 840, 113549, 1, 9, 1]), ia5)], vec![]);
        assert_eq!(run(&nc(vec![r("example.com")], vec![]), &in_dn, false), Err(NOT_PERMITTED));
        assert_eq!(run(&nc(vec![], vec![r("evil.example")]), &in_dn, false), Err(EXCLUDED));
    }

    #[test]
    fn uri_constraints() {
        let uri = |s: &str| SanType::URI(s.try_into().unwrap());
        let u = |s: &str| GeneralName::Uri(s.into());
        let leaf = cert(&[], vec![uri("https://www.example.com:8443/path")]);
        assert_eq!(run(&nc(vec![u(".example.com")], vec![]), &leaf, true), Ok(()));
        assert_eq!(run(&nc(vec![u("www.example.com")], vec![]), &leaf, true), Ok(()));
        assert_eq!(run(&nc(vec![u("example.com")], vec![]), &leaf, true), Err(NOT_PERMITTED));
        assert_eq!(run(&nc(vec![], vec![u(".example.com")]), &leaf, true), Err(EXCLUDED));
        let urn = cert(&[], vec![uri("urn:example:thing")]);
        assert_eq!(run(&nc(vec![u(".example.com")], vec![]), &urn, true), Err(MALFORMED_NAME));
    }

    #[test]
    fn directory_name_constraints_apply_to_the_subject() {
        let base = cert(&[cn("foo")], vec![]).subject;
        let foo = cert(&[cn("foo")], vec![dns("example.com")]);
        let bar = cert(&[cn("not-foo")], vec![dns("example.com")]);
        let dir = |n: &Name| GeneralName::Directory(n.clone());
        assert_eq!(run(&nc(vec![dir(&base)], vec![]), &foo, true), Ok(()));
        assert_eq!(run(&nc(vec![dir(&base)], vec![]), &bar, true), Err(NOT_PERMITTED));
        assert_eq!(run(&nc(vec![], vec![dir(&base)]), &foo, true), Err(EXCLUDED));
        // An empty subject is not checked (RFC 5280 §4.2.1.10).
        let empty = cert(&[], vec![dns("example.com")]);
        assert_eq!(run(&nc(vec![dir(&base)], vec![]), &empty, true), Ok(()));
    }

    #[test]
    fn unprocessed_forms_reject_only_when_present() {
        let upn = SanType::OtherName((
            vec![1, 3, 6, 1, 4, 1, 311, 20, 2, 3],
            OtherNameValue::Utf8String("u@example.com".into()),
        ));
        let with = cert(&[], vec![upn, dns("example.com")]);
        let without = cert(&[], vec![dns("example.com")]);
        let on = GeneralName::OtherName { oid: "1.3.6.1.4.1.311.20.2.3".into(), value: vec![] };
        assert_eq!(run(&nc(vec![], vec![on.clone()]), &with, true), Err("rfc5280.name-constraints.unsupported-form"));
        assert_eq!(run(&nc(vec![], vec![on]), &without, true), Ok(()));
    }

    #[test]
    fn common_name_of_a_leaf_without_san() {
        let leaf = cert(&[cn("bad.example.com")], vec![]);
        let excl = nc(vec![], vec![d("bad.example.com")]);
        assert_eq!(run(&excl, &leaf, true), Err(EXCLUDED));
        // Not for CA certificates, and not when a SAN exists.
        assert_eq!(run(&excl, &leaf, false), Ok(()));
        let with_san = cert(&[cn("bad.example.com")], vec![dns("good.example.com")]);
        assert_eq!(run(&excl, &with_san, true), Ok(()));
        // A CN that is no host name (no dot) is not taken as one.
        let plain = cert(&[cn("bad")], vec![]);
        assert_eq!(run(&nc(vec![], vec![d("bad")]), &plain, true), Ok(()));
        let ip_cn = cert(&[cn("192.0.2.1")], vec![]);
        assert_eq!(
            run(&nc(vec![], vec![GeneralName::Ip(vec![192, 0, 2, 0, 255, 255, 255, 0])]), &ip_cn, true),
            Err(EXCLUDED)
        );
    }

    #[test]
    fn the_comparison_budget_is_enforced() {
        // The default limit, 250,000 comparisons (budget.rs cites its origin): 600 subtrees of the
        // same form against 500 names is 300,000.
        let sans: Vec<SanType> = (0..500).map(|i| dns(&format!("h{i}.example.com"))).collect();
        let leaf = cert(&[], sans);
        let subtrees: Vec<GeneralName> = (0..600).map(|i| d(&format!("s{i}.example.org"))).collect();
        let many = nc(subtrees, vec![]);
        let mut budget = Budget::new(Limits::default());
        let e = check(&many, &leaf, true, &mut budget).unwrap_err();
        assert_eq!(e.finding_id(), "rfc5280.path.budget-exhausted");
        assert!(e.to_string().contains("250000 comparisons"), "{e}");
        // Under the limit the same work is done and decided on the names.
        let few = nc((0..400).map(|i| d(&format!("s{i}.example.org"))).collect(), vec![]);
        let mut budget = Budget::new(Limits::default());
        assert_eq!(check(&few, &leaf, true, &mut budget).map_err(|e| e.finding_id()), Err(NOT_PERMITTED));
        assert_eq!(budget.name_constraint_checks, 200_000);
        // Subtrees of another form cost nothing.
        let other: Vec<GeneralName> = (0..600).map(|i| GeneralName::Rfc822(format!("s{i}.example.org"))).collect();
        let mut budget = Budget::new(Limits::default());
        assert_eq!(check(&nc(other, vec![]), &leaf, true, &mut budget).map_err(|e| e.finding_id()), Ok(()));
        assert_eq!(budget.name_constraint_checks, 0);
    }

    #[test]
    fn extension_well_formedness() {
        let ext = |v: NameConstraints| Ext { critical: true, value: v };
        let id = |v: NameConstraints| validate_extension(&ext(v)).map_err(|e| e.finding_id());
        assert_eq!(id(NameConstraints::default()), Err("rfc5280.name-constraints.empty"));
        assert_eq!(
            id(NameConstraints { permitted: Some(vec![]), excluded: Some(vec![]) }),
            Err("rfc5280.name-constraints.empty")
        );
        assert_eq!(id(nc(vec![d("example.com")], vec![])), Ok(()));
        assert_eq!(id(nc(vec![d("")], vec![])), Ok(()));
        for bad in [
            d("*.example.com"),
            d(".example.com"),
            d("ex_ample.com"),
            GeneralName::Ip(vec![127, 0, 0, 1]),
            GeneralName::Ip(vec![10, 0, 0, 0, 255, 0, 255, 0]),
            GeneralName::Rfc822("invalid@invalid@example.com".into()),
            GeneralName::Uri("https://example.com/".into()),
            GeneralName::Invalid { tag: 2 },
        ] {
            assert_eq!(id(nc(vec![], vec![bad.clone()])), Err("rfc5280.name-constraints.malformed"), "{bad}");
        }
        for ok in [
            GeneralName::Rfc822(".example.com".into()),
            GeneralName::Rfc822("a@example.com".into()),
            GeneralName::Uri(".example.com".into()),
        ] {
            assert_eq!(id(nc(vec![ok.clone()], vec![])), Ok(()), "{ok}");
        }
    }

    #[test]
    fn extension_parsed_from_a_real_ca_certificate() {
        let mut p = CertificateParams::default();
        p.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        p.name_constraints = Some(rcgen::NameConstraints {
            permitted_subtrees: vec![rcgen::GeneralSubtree::DnsName("example.com".into())],
            excluded_subtrees: vec![rcgen::GeneralSubtree::IpAddress(rcgen::CidrSubnet::V4(
                [10, 0, 0, 0],
                [255, 0, 0, 0],
            ))],
        });
        let key = KeyPair::generate().unwrap();
        let ca = Certificate::from_der(p.self_signed(&key).unwrap().der()).unwrap();
        let ext = ca.extensions.name_constraints.as_ref().unwrap();
        assert_eq!(validate_extension(ext), Ok(()));
        let leaf = cert(&[cn("leaf")], vec![dns("www.example.com"), SanType::IpAddress("10.1.2.3".parse().unwrap())]);
        assert_eq!(run(&ext.value, &leaf, true), Err(EXCLUDED));
        let leaf = cert(&[cn("leaf")], vec![dns("www.example.com"), SanType::IpAddress("192.0.2.1".parse().unwrap())]);
        assert_eq!(run(&ext.value, &leaf, true), Ok(()));
    }

    proptest::proptest! {
        /// The text parsers never panic, whatever the input (names come from untrusted certificates).
        #[test]
        fn parsers_never_panic(s in "\\PC{0,40}", c in "[a-z.@*:/\\[\\]0-9_-]{0,24}") {
            let _ = parse_mailbox(&s);
            let _ = uri_host(&s);
            let _ = parse_dns(&s);
            let _ = subtree_syntax(&GeneralName::Rfc822(s.clone()));
            let _ = subtree_syntax(&GeneralName::Uri(s.clone()));
            let _ = crate::hostname::ServerName::parse(&s);
            let _ = dns_within(&s, &c);
            let _ = mailbox_within(&s, &c, &s);
            let _ = host_within_uri_constraint(&c, &s);
            if let Ok(p) = parse_dns(&c) {
                let _ = p.within(&GeneralName::Dns(s.clone()), Quantifier::Any);
            }
        }
    }

    #[test]
    fn dns_subtrees() {
        assert!(dns_within("foo.example.com", "Example.COM"));
        assert!(dns_within("example.com", "example.com"));
        assert!(dns_within("foo.bar.example.com", "example.com"));
        assert!(!dns_within("notexample.com", "example.com"));
        assert!(dns_within("anything", ""));
    }

    #[test]
    fn ip_subtrees() {
        let c = [192, 0, 2, 0, 255, 255, 255, 0];
        assert!(ip_within(&[192, 0, 2, 7], &c));
        assert!(!ip_within(&[192, 0, 3, 1], &c));
        assert!(!ip_within(&[0u8; 16], &c));
        assert!(subtree_syntax(&GeneralName::Ip(vec![192, 0, 2, 0, 255, 0, 255, 0])).is_err());
        assert!(subtree_syntax(&GeneralName::Ip(vec![127, 0, 0, 1])).is_err());
        assert!(subtree_syntax(&GeneralName::Ip(c.to_vec())).is_ok());
    }

    #[test]
    fn mailboxes() {
        let within = |m: &str, c: &str| match parse_mailbox(m).unwrap() {
            Parsed::Mailbox { local, domain } => mailbox_within(&local, &domain, c),
            _ => unreachable!(),
        };
        assert!(within("foo@example.com", "foo@example.com"));
        assert!(within("foo@EXAMPLE.com", "foo@example.com"));
        assert!(!within("Foo@example.com", "foo@example.com"));
        assert!(within("foo@example.com", "example.com"));
        assert!(!within("foo@sub.example.com", "example.com"));
        assert!(within("foo@sub.example.com", ".example.com"));
        assert!(!within("foo@example.com", ".example.com"));
        assert!(within("*@example.com", "*@example.com"));
        assert!(!within("user@example.com", "*@example.com"));
        assert!(parse_mailbox("invalid@address@example.com").is_err());
        assert!(parse_mailbox("\"a@b\"@example.com").is_ok());
        assert!(subtree_syntax(&GeneralName::Rfc822("invalid@invalid@example.com".into())).is_err());
    }

    #[test]
    fn uri_hosts() {
        assert_eq!(uri_host("https://user@Foo.Example.com:8443/x?y").unwrap(), "foo.example.com");
        assert!(uri_host("urn:isbn:123").is_err());
        assert!(uri_host("https://[::1]/").is_err());
        assert!(uri_host("https://192.0.2.1/").is_err());
        assert!(host_within_uri_constraint("foo.example.com", ".example.com"));
        assert!(!host_within_uri_constraint("example.com", ".example.com"));
        assert!(host_within_uri_constraint("example.com", "example.com"));
        assert!(!host_within_uri_constraint("foo.example.com", "example.com"));
    }
}
