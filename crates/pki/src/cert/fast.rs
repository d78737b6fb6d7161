//! The fast path of [`Certificate::from_der`]: one strict DER walk (X.690 §10) over the shape
//! nearly every end-entity and CA certificate has, building the owned model directly.
//!
//! It is an accelerator, not a second authority. It returns `None` for anything outside the
//! subset it knows — another version, unique identifiers, an algorithm or string type it does
//! not map, an extension x509-parser interprets and this walk does not, a non-minimal or
//! otherwise unusual encoding, and every malformation — and [`Certificate::from_der`] then parses
//! with x509-parser, which decides. Where it answers, it builds exactly what the x509-parser path
//! builds: `tests/fast_parse.rs` holds both to that over every certificate in x509-limbo and
//! `test-vectors/` and over mutations of them, and the `cert` fuzz target checks it on every input.
//!
//! Why it exists: the leaf is parsed on every validation, and x509-parser's eager, general
//! parse of it was the largest cost outside the signature verifications (issue #2's table in
//! docs/benchmarks.md).

use super::{
    AccessDescription, AuthorityKeyId, BasicConstraints, Certificate, Curve, DerBytes, DistributionPointName, Ext,
    Extensions, Hash, KeyKind, KeyUsage, OtherExtension, PolicyInfo, PublicKeyInfo, SignatureAlgorithm,
};
use crate::name::{Attribute, GeneralName, Name};
use crate::oid::dotted;

/// A DER reader that gives up (`None`) on anything unusual: high tag numbers, indefinite or
/// non-minimal lengths (X.690 §10.1), lengths past the input.
pub(crate) struct Der<'a> {
    rest: &'a [u8],
}

impl<'a> Der<'a> {
    fn new(rest: &'a [u8]) -> Self {
        Der { rest }
    }

    fn done(&self) -> Option<()> {
        self.rest.is_empty().then_some(())
    }

    /// `SIZE (1..MAX)`: at least one element follows.
    fn non_empty(&self) -> Option<()> {
        self.rest.first().map(|_| ())
    }

    fn peek(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// The next TLV: (tag octet, contents, whole encoding).
    fn tlv(&mut self) -> Option<(u8, &'a [u8], &'a [u8])> {
        let b = self.rest;
        let tag = *b.first()?;
        if tag & 0x1f == 0x1f {
            return None;
        }
        let l0 = *b.get(1)?;
        let (len, header) = if l0 < 0x80 {
            (usize::from(l0), 2)
        } else {
            let n = usize::from(l0 & 0x7f);
            if n == 0 || n > 3 {
                return None;
            }
            let octets = b.get(2..2 + n)?;
            if octets.first() == Some(&0) {
                return None;
            }
            let len = octets.iter().fold(0usize, |acc, o| acc << 8 | usize::from(*o));
            if len < 0x80 {
                return None;
            }
            (len, 2 + n)
        };
        let end = header.checked_add(len)?;
        let raw = b.get(..end)?;
        self.rest = b.get(end..)?;
        Some((tag, raw.get(header..)?, raw))
    }

    fn expect(&mut self, tag: u8) -> Option<&'a [u8]> {
        let (t, content, _) = self.tlv()?;
        (t == tag).then_some(content)
    }

    /// The contents of the next element if it has `tag`; `Some(None)` when another tag (or
    /// nothing) follows.
    fn optional(&mut self, tag: u8) -> Option<Option<&'a [u8]>> {
        if self.peek() == Some(tag) {
            self.expect(tag).map(Some)
        } else {
            Some(None)
        }
    }
}

const SEQ: u8 = 0x30;
const SET: u8 = 0x31;
const OID: u8 = 0x06;
const INTEGER: u8 = 0x02;
const BOOLEAN: u8 = 0x01;
const BIT_STRING: u8 = 0x03;
const OCTET_STRING: u8 = 0x04;
const NULL: &[u8] = &[0x05, 0x00];

// OBJECT IDENTIFIER contents (X.690 §8.19).
const SHA1_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05];
const SHA256_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
const SHA384_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c];
const SHA512_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d];
const ECDSA_SHA1: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01];
const ECDSA_SHA256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
const ECDSA_SHA384: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03];
const ECDSA_SHA512: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04];
const ED25519: &[u8] = &[0x2b, 0x65, 0x70];
const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
const P521: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];

/// id-ce (2.5.29) extensions are `55 1d nn`.
const fn id_ce(n: u8) -> [u8; 3] {
    [0x55, 0x1d, n]
}
const AIA: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01];
/// Extensions x509-parser 0.18 interprets (its `EXTENSION_PARSERS`) that this walk does not:
/// x509-parser rejects the certificate when one of them does not parse, so they go the slow way.
const X509_PARSER_ONLY: &[&[u8]] = &[
    &id_ce(18),                                                    // issuerAltName
    &id_ce(30),                                                    // nameConstraints
    &id_ce(33),                                                    // policyMappings
    &id_ce(36),                                                    // policyConstraints
    &id_ce(54),                                                    // inhibitAnyPolicy
    &id_ce(20),                                                    // cRLNumber
    &id_ce(21),                                                    // reasonCode
    &id_ce(24),                                                    // invalidityDate
    &id_ce(28),                                                    // issuingDistributionPoint
    &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x0b],             // subjectInfoAccess
    &[0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x02], // CT SCT list
    &[0x60, 0x86, 0x48, 0x01, 0x86, 0xf8, 0x42, 0x01, 0x01],       // nsCertType
    &[0x60, 0x86, 0x48, 0x01, 0x86, 0xf8, 0x42, 0x01, 0x0d],       // nsComment
];

/// Parses `der` if it has the common shape; `None` sends it to the x509-parser path.
pub(super) fn parse(input: &[u8]) -> Option<Certificate> {
    // The one copy of the bytes, made first: every field below is a range of it (an input
    // that turns out to need the slow path wastes this one allocation).
    let buf: std::sync::Arc<[u8]> = std::sync::Arc::from(input);
    let der: &[u8] = &buf;
    let part = |inner: &[u8]| DerBytes::within(&buf, der, inner);
    let mut outer = Der::new(der);
    let cert = outer.expect(SEQ)?;
    outer.done()?;
    let mut c = Der::new(cert);
    let (tag, tbs, tbs_raw) = c.tlv()?;
    if tag != SEQ {
        return None;
    }
    let (tag, sig_alg, sig_alg_raw) = c.tlv()?;
    if tag != SEQ {
        return None;
    }
    let signature = bit_string(c.expect(BIT_STRING)?)?;
    c.done()?;

    let mut t = Der::new(tbs);
    // RFC 5280 §4.1.2.1: v3 only here (v1 and v2 take the slow path).
    if t.expect(0xa0)? != [INTEGER, 0x01, 0x02] {
        return None;
    }
    let serial = t.expect(INTEGER)?;
    // Positive and minimally encoded (X.690 §8.3.2); anything else takes the slow path.
    match serial {
        [] => return None,
        [first, ..] if first & 0x80 != 0 => return None,
        [0, second, ..] if second & 0x80 == 0 => return None,
        _ => {}
    }
    let (tag, _, tbs_sig_raw) = t.tlv()?;
    // RFC 5280 §4.1.1.2: the two fields must be identical; a difference goes to the slow path,
    // which reports it.
    if tag != SEQ || tbs_sig_raw != sig_alg_raw {
        return None;
    }
    let signature_algorithm = signature_algorithm(sig_alg)?;
    let issuer = name(&mut t)?;
    let mut validity = Der::new(t.expect(SEQ)?);
    let not_before = time(&mut validity)?;
    let not_after = time(&mut validity)?;
    validity.done()?;
    let subject = name(&mut t)?;
    let (tag, spki, spki_raw) = t.tlv()?;
    if tag != SEQ {
        return None;
    }
    let (kind, key) = public_key_info(spki)?;
    let mut exts = Der::new(t.expect(0xa3)?);
    t.done()?;
    let list = exts.expect(SEQ)?;
    exts.done()?;
    let extensions = extensions(list, &part)?;

    let tbs_start = super::subslice_offset(der, tbs_raw)?;
    let tbs = tbs_start..tbs_start + tbs_raw.len();
    let (serial, issuer, subject) = (part(serial)?, part(issuer)?, part(subject)?);
    let public_key = PublicKeyInfo { der: part(spki_raw)?, kind, key: part(key)? };
    let signature = part(signature)?;
    Some(Certificate {
        // The buffer itself, last: every part above holds a reference to it.
        der: DerBytes::whole(buf),
        tbs,
        version: 2,
        serial,
        signature_algorithm,
        issuer: Name::from_checked_der(issuer),
        subject: Name::from_checked_der(subject),
        not_before,
        not_after,
        public_key,
        signature,
        issuer_unique_id: false,
        subject_unique_id: false,
        extensions,
        memo: super::Derived::default(),
    })
}

/// BIT STRING contents with no unused bits (X.690 §8.6.2).
fn bit_string(content: &[u8]) -> Option<&[u8]> {
    match content {
        [0, rest @ ..] => Some(rest),
        _ => None,
    }
}

/// The algorithms [`super::signature_algorithm`] maps, with the same parameter rules (RFC 4055
/// §5, RFC 5758 §3.2, RFC 8410 §3); RSA-PSS and the rest take the slow path.
fn signature_algorithm(content: &[u8]) -> Option<SignatureAlgorithm> {
    let mut d = Der::new(content);
    let oid = d.expect(OID)?;
    let params = d.rest;
    let pkcs1 = |h| (params.is_empty() || params == NULL).then_some(SignatureAlgorithm::RsaPkcs1(h));
    let ecdsa = |h| params.is_empty().then_some(SignatureAlgorithm::Ecdsa(h));
    match oid {
        SHA256_RSA => pkcs1(Hash::Sha256),
        SHA384_RSA => pkcs1(Hash::Sha384),
        SHA512_RSA => pkcs1(Hash::Sha512),
        SHA1_RSA => pkcs1(Hash::Sha1),
        ECDSA_SHA256 => ecdsa(Hash::Sha256),
        ECDSA_SHA384 => ecdsa(Hash::Sha384),
        ECDSA_SHA512 => ecdsa(Hash::Sha512),
        ECDSA_SHA1 => ecdsa(Hash::Sha1),
        ED25519 => params.is_empty().then_some(SignatureAlgorithm::Ed25519),
        _ => None,
    }
}

/// SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) for RSA (RFC 3279 §2.3.1), EC on the named NIST
/// curves (RFC 5480 §2) and Ed25519 (RFC 8410 §4).
fn public_key_info(content: &[u8]) -> Option<(KeyKind, &[u8])> {
    let mut d = Der::new(content);
    let mut alg = Der::new(d.expect(SEQ)?);
    let key = bit_string(d.expect(BIT_STRING)?)?;
    d.done()?;
    let oid = alg.expect(OID)?;
    let kind = match oid {
        RSA_ENCRYPTION => {
            if !(alg.rest.is_empty() || alg.rest == NULL) {
                return None;
            }
            let mut k = Der::new(key);
            let mut rsa = Der::new(k.expect(SEQ)?);
            k.done()?;
            let modulus = rsa.expect(INTEGER)?;
            rsa.expect(INTEGER)?;
            rsa.done()?;
            KeyKind::Rsa { bits: super::rsa_bits(modulus) }
        }
        EC_PUBLIC_KEY => {
            let curve = alg.expect(OID)?;
            alg.done()?;
            KeyKind::Ec(match curve {
                P256 => Curve::P256,
                P384 => Curve::P384,
                P521 => Curve::P521,
                _ => return None,
            })
        }
        ED25519 => {
            alg.done()?;
            KeyKind::Ed25519
        }
        _ => return None,
    };
    Some((kind, key))
}

/// UTCTime `YYMMDDHHMMSSZ` (years 50-99 are 19xx, RFC 5280 §4.1.2.5.1) or GeneralizedTime
/// `YYYYMMDDHHMMSSZ` (§4.1.2.5.2) as Unix seconds; other forms take the slow path.
fn time(d: &mut Der) -> Option<i64> {
    let (tag, c, _) = d.tlv()?;
    // Two decimal digits at `i` of `s`.
    let two = |s: &[u8], i: usize| -> Option<i64> {
        match (s.get(i), s.get(i + 1)) {
            (Some(a @ b'0'..=b'9'), Some(b @ b'0'..=b'9')) => Some(i64::from(a - b'0') * 10 + i64::from(b - b'0')),
            _ => None,
        }
    };
    let (year, rest) = match (tag, c.len()) {
        (0x17, 13) => {
            let yy = two(c, 0)?;
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, c.get(2..)?)
        }
        (0x18, 15) => (two(c, 0)? * 100 + two(c, 2)?, c.get(4..)?),
        _ => return None,
    };
    if rest.get(10) != Some(&b'Z') {
        return None;
    }
    super::unix_seconds(year, two(rest, 0)?, two(rest, 2)?, two(rest, 4)?, two(rest, 6)?, two(rest, 8)?)
}

/// A Name (RFC 5280 §4.1.2.4) whose values are primitive universal strings: its whole
/// encoding. Only walked here: its attributes are built from the DER when first asked for
/// ([`Name::rdns`]).
fn name<'a>(d: &mut Der<'a>) -> Option<&'a [u8]> {
    let (tag, content, raw) = d.tlv()?;
    if tag != SEQ {
        return None;
    }
    walk_name(content, |set| walk_rdn(set, |_, _, _| {}))?;
    Some(raw)
}

/// The contents of a whole Name TLV (`der` is exactly one SEQUENCE).
pub(crate) fn name_contents(der: &[u8]) -> Option<&[u8]> {
    let mut d = Der::new(der);
    let content = d.expect(SEQ)?;
    d.done()?;
    Some(content)
}

/// Walks the RDNs of a Name's contents, calling `f` with each RDN's SET contents; `None` when
/// an element is not a SET or `f` gives `None`.
pub(crate) fn walk_name(content: &[u8], mut f: impl FnMut(&[u8]) -> Option<()>) -> Option<()> {
    let mut seq = Der::new(content);
    while seq.peek().is_some() {
        f(seq.expect(SET)?)?;
    }
    Some(())
}

/// Walks one RDN's attributes in the fast path's subset, calling `f(type OID contents, tag,
/// value contents)`: `None` for an empty SET, an OID without a dotted form
/// ([`crate::oid::dotted`]), or a value that is not one of the primitive string types.
pub(crate) fn walk_rdn(set: &[u8], mut f: impl FnMut(&[u8], u8, &[u8])) -> Option<()> {
    let mut set = Der::new(set);
    set.non_empty()?;
    while set.peek().is_some() {
        let mut atv = Der::new(set.expect(SEQ)?);
        let oid = atv.expect(OID)?;
        if !crate::oid::has_dotted(oid) {
            return None;
        }
        let (tag, value, _) = atv.tlv()?;
        atv.done()?;
        // UTF8String, NumericString, PrintableString, TeletexString, IA5String,
        // VisibleString, UniversalString, BMPString.
        if !matches!(tag, 12 | 18 | 19 | 20 | 22 | 26 | 28 | 30) {
            return None;
        }
        f(oid, tag, value);
    }
    Some(())
}

/// The attributes of a Name's contents that [`walk_name`] and [`walk_rdn`] accept.
pub(crate) fn parse_rdns(content: &[u8]) -> Option<Vec<Vec<Attribute>>> {
    let mut rdns = Vec::new();
    walk_name(content, |set| {
        let mut attrs = Vec::with_capacity(1);
        let mut ok = true;
        walk_rdn(set, |oid, tag, value| match dotted(oid) {
            Some(oid) => attrs.push(Attribute { oid, tag: u32::from(tag), value: value.to_vec() }),
            None => ok = false,
        })?;
        rdns.push(attrs);
        ok.then_some(())
    })?;
    Some(rdns)
}

fn extensions(list: &[u8], part: &dyn Fn(&[u8]) -> Option<DerBytes>) -> Option<Extensions> {
    let mut out = Extensions::default();
    // The OIDs seen so far, on the stack: more than 24 extensions take the slow path.
    // A duplicate (RFC 5280 §4.2) takes the slow path, which rejects it: a known extension is
    // a duplicate when its field is already set; other OIDs are kept here, on the stack (more
    // than 24 of them take the slow path).
    let mut others: [&[u8]; 24] = [&[]; 24];
    let mut n_others = 0;
    let mut d = Der::new(list);
    d.non_empty()?;
    while d.peek().is_some() {
        let mut e = Der::new(d.expect(SEQ)?);
        let oid = e.expect(OID)?;
        // DER: a critical FALSE is omitted (X.690 §11.5); only TRUE (0xff) is encoded.
        let critical = match e.optional(BOOLEAN)? {
            Some([0xff]) => true,
            Some(_) => return None,
            None => false,
        };
        let value = e.expect(OCTET_STRING)?;
        e.done()?;
        match oid {
            [0x55, 0x1d, 19] => set(&mut out.basic_constraints, || basic_constraints(value), critical)?,
            [0x55, 0x1d, 15] => set(&mut out.key_usage, || key_usage(value), critical)?,
            [0x55, 0x1d, 37] => set(&mut out.ext_key_usage, || ext_key_usage(value), critical)?,
            [0x55, 0x1d, 17] => set(&mut out.subject_alt_name, || general_names(value), critical)?,
            [0x55, 0x1d, 35] => set(&mut out.authority_key_id, || authority_key_id(value, part), critical)?,
            [0x55, 0x1d, 14] => set(&mut out.subject_key_id, || part(single(value, OCTET_STRING)?), critical)?,
            [0x55, 0x1d, 32] => set(&mut out.certificate_policies, || policies(value), critical)?,
            [0x55, 0x1d, 31] => set(&mut out.crl_distribution_points, || distribution_points(value), critical)?,
            AIA => set(&mut out.authority_info_access, || info_access(value), critical)?,
            _ if X509_PARSER_ONLY.contains(&oid) => return None,
            _ => {
                if others.get(..n_others)?.contains(&oid) {
                    return None;
                }
                *others.get_mut(n_others)? = oid;
                n_others += 1;
                out.other.push(OtherExtension { oid: dotted(oid)?, critical, value: value.to_vec() });
            }
        }
    }
    Some(out)
}

/// Sets an extension's field from its parsed value; `None` when the field is already set (a
/// duplicate) or the value does not parse.
fn set<T>(slot: &mut Option<Ext<T>>, value: impl FnOnce() -> Option<T>, critical: bool) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(Ext { critical, value: value()? });
    Some(())
}

/// The contents of `value` when it is exactly one element with `tag`.
fn single(value: &[u8], tag: u8) -> Option<&[u8]> {
    let mut d = Der::new(value);
    let content = d.expect(tag)?;
    d.done()?;
    Some(content)
}

/// A non-negative INTEGER that fits in 32 bits, minimally encoded (X.690 §8.3.2).
fn small_uint(c: &[u8]) -> Option<u32> {
    let digits = match c {
        [] => return None,
        [first, ..] if first & 0x80 != 0 => return None,
        [0, second, ..] if second & 0x80 == 0 => return None,
        [0, rest @ ..] if !rest.is_empty() => rest,
        _ => c,
    };
    if digits.len() > 4 {
        return None;
    }
    Some(digits.iter().fold(0u32, |acc, b| acc << 8 | u32::from(*b)))
}

/// basicConstraints (RFC 5280 §4.2.1.9).
fn basic_constraints(value: &[u8]) -> Option<BasicConstraints> {
    let mut s = Der::new(single(value, SEQ)?);
    let ca = match s.optional(BOOLEAN)? {
        Some([0xff]) => true,
        Some(_) => return None,
        None => false,
    };
    let path_len = match s.optional(INTEGER)? {
        Some(c) => Some(small_uint(c)?),
        None => None,
    };
    s.done()?;
    Some(BasicConstraints { ca, path_len })
}

/// keyUsage (RFC 5280 §4.2.1.3): one or two octets, unused bits zero (X.690 §11.2.1); the flag
/// word as x509-parser computes it (bit 0 = digitalSignature).
fn key_usage(value: &[u8]) -> Option<KeyUsage> {
    let (unused, bits) = single(value, BIT_STRING)?.split_first()?;
    if bits.is_empty() || bits.len() > 2 || *unused > 7 {
        return None;
    }
    if bits.last().is_some_and(|b| b & ((1u8 << unused) - 1) != 0) {
        return None;
    }
    Some(KeyUsage(bits.iter().rev().fold(0u16, |acc, b| (acc << 8) | u16::from(b.reverse_bits()))))
}

/// extKeyUsage (RFC 5280 §4.2.1.12), in the order the x509-parser path gives: the well-known
/// purposes first in a fixed order, then the others as they appear, each once.
fn ext_key_usage(value: &[u8]) -> Option<Vec<std::borrow::Cow<'static, str>>> {
    const KNOWN: [(&[u8], &str); 7] = [
        (&[0x55, 0x1d, 0x25, 0x00], "2.5.29.37.0"),
        (&[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01], "1.3.6.1.5.5.7.3.1"),
        (&[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02], "1.3.6.1.5.5.7.3.2"),
        (&[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x03], "1.3.6.1.5.5.7.3.3"),
        (&[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x04], "1.3.6.1.5.5.7.3.4"),
        (&[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x08], "1.3.6.1.5.5.7.3.8"),
        (&[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x09], "1.3.6.1.5.5.7.3.9"),
    ];
    let mut known = [false; 7];
    let mut other: Vec<&[u8]> = Vec::new();
    let mut d = Der::new(single(value, SEQ)?);
    while d.peek().is_some() {
        let oid = d.expect(OID)?;
        // id-kp (1.3.6.1.5.5.7.3.n) purposes by their last octet, anyExtendedKeyUsage by itself.
        let at = match oid {
            [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, n] => {
                KNOWN.iter().skip(1).position(|(k, _)| k.last() == Some(n)).map(|i| i + 1)
            }
            [0x55, 0x1d, 0x25, 0x00] => Some(0),
            _ => None,
        };
        match at {
            Some(i) => *known.get_mut(i)? = true,
            None if !other.contains(&oid) => other.push(oid),
            None => {}
        }
    }
    let mut out: Vec<std::borrow::Cow<'static, str>> = KNOWN
        .iter()
        .zip(known)
        .filter(|(_, set)| *set)
        .map(|((_, text), _)| std::borrow::Cow::Borrowed(*text))
        .collect();
    for oid in other {
        out.push(std::borrow::Cow::Owned(dotted(oid)?));
    }
    Some(out)
}

/// One GeneralName (RFC 5280 §4.2.1.6) of the forms leaves carry: rfc822Name, dNSName and URI
/// (as UTF-8, as x509-parser reads them), iPAddress and directoryName.
fn general_name(tag: u8, content: &[u8]) -> Option<GeneralName> {
    let text = || std::str::from_utf8(content).ok().map(str::to_string);
    Some(match tag {
        0x81 => GeneralName::Rfc822(text()?),
        0x82 => GeneralName::Dns(text()?),
        0x86 => GeneralName::Uri(text()?),
        0x87 => GeneralName::Ip(content.to_vec()),
        0xa4 => {
            let mut d = Der::new(content);
            let n = name(&mut d)?;
            d.done()?;
            GeneralName::Directory(Name::from_checked_der(DerBytes::from(n)))
        }
        _ => return None,
    })
}

fn general_names(value: &[u8]) -> Option<Vec<GeneralName>> {
    let mut d = Der::new(single(value, SEQ)?);
    let mut out = Vec::new();
    while d.peek().is_some() {
        let (tag, content, _) = d.tlv()?;
        out.push(general_name(tag, content)?);
    }
    Some(out)
}

/// authorityKeyIdentifier (RFC 5280 §4.2.1.1) with a keyIdentifier only.
fn authority_key_id(value: &[u8], part: &dyn Fn(&[u8]) -> Option<DerBytes>) -> Option<AuthorityKeyId> {
    let mut d = Der::new(single(value, SEQ)?);
    let key_id = match d.optional(0x80)? {
        Some(k) => Some(part(k)?),
        None => None,
    };
    d.done()?;
    Some(AuthorityKeyId { key_id, issuer: None, serial: None })
}

/// certificatePolicies (RFC 5280 §4.2.1.4); a repeated policy takes the slow path, which rejects it.
fn policies(value: &[u8]) -> Option<Vec<PolicyInfo>> {
    let mut d = Der::new(single(value, SEQ)?);
    let mut out: Vec<PolicyInfo> = Vec::new();
    let mut seen: Vec<&[u8]> = Vec::new();
    d.non_empty()?;
    while d.peek().is_some() {
        let mut p = Der::new(d.expect(SEQ)?);
        let oid = p.expect(OID)?;
        if seen.contains(&oid) {
            return None;
        }
        seen.push(oid);
        let mut qualifiers = Vec::new();
        if let Some(list) = p.optional(SEQ)? {
            let mut q = Der::new(list);
            q.non_empty()?;
            while q.peek().is_some() {
                let mut info = Der::new(q.expect(SEQ)?);
                let id = dotted(info.expect(OID)?)?;
                // The qualifier as x509-parser keeps it: the rest of PolicyQualifierInfo.
                let (_, _, qualifier) = info.tlv()?;
                info.done()?;
                qualifiers.push((id, qualifier.to_vec()));
            }
        }
        p.done()?;
        out.push(PolicyInfo { oid: dotted(oid)?, qualifiers });
    }
    Some(out)
}

/// cRLDistributionPoints (RFC 5280 §4.2.1.13) when every point is a fullName of URIs with no
/// reasons and no cRLIssuer; other forms take the slow path (the CRL module's reader, after
/// x509-parser's).
fn distribution_points(value: &[u8]) -> Option<Vec<super::DistributionPoint>> {
    let mut d = Der::new(single(value, SEQ)?);
    let mut out = Vec::new();
    d.non_empty()?;
    while d.peek().is_some() {
        let mut dp = Der::new(d.expect(SEQ)?);
        let mut name = Der::new(dp.expect(0xa0)?);
        dp.done()?;
        let mut full = Der::new(name.expect(0xa0)?);
        name.done()?;
        let mut names = Vec::new();
        while full.peek().is_some() {
            let uri = full.expect(0x86)?;
            names.push(GeneralName::Uri(std::str::from_utf8(uri).ok()?.to_string()));
        }
        if names.is_empty() {
            return None;
        }
        out.push(super::DistributionPoint {
            name: Some(DistributionPointName::FullName(names)),
            reasons: None,
            crl_issuer: None,
        });
    }
    Some(out)
}

/// authorityInfoAccess (RFC 5280 §4.2.2.1).
fn info_access(value: &[u8]) -> Option<Vec<AccessDescription>> {
    let mut d = Der::new(single(value, SEQ)?);
    let mut out = Vec::new();
    d.non_empty()?;
    while d.peek().is_some() {
        let mut a = Der::new(d.expect(SEQ)?);
        let method = dotted(a.expect(OID)?)?;
        let (tag, content, _) = a.tlv()?;
        a.done()?;
        out.push(AccessDescription { method, location: general_name(tag, content)? });
    }
    Some(out)
}
