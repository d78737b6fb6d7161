//! QCStatements (RFC 3739 §3.2.6, ETSI EN 319 412-5 §4) read with the bounded [`crate::der`]
//! reader.
//!
//! ```text
//! QCStatements ::= SEQUENCE OF QCStatement
//! QCStatement  ::= SEQUENCE { statementId OBJECT IDENTIFIER, statementInfo ANY OPTIONAL }
//! QcType       ::= SEQUENCE OF OBJECT IDENTIFIER                         -- EN 319 412-5 §4.2.3
//! PdsLocations ::= SEQUENCE SIZE (1..MAX) OF PdsLocation                 -- EN 319 412-5 §4.3.4
//! PdsLocation  ::= SEQUENCE { url IA5String, language PrintableString (SIZE(2)) }
//! QcCClegislation ::= SEQUENCE OF PrintableString (SIZE (2))            -- EN 319 412-5 §4.2.4
//! SemanticsInformation ::= SEQUENCE { semanticsIdentifier OBJECT IDENTIFIER OPTIONAL,
//!                                     nameRegistrationAuthorities NameRegistrationAuthorities OPTIONAL }
//! ```

use crate::der::{oid_to_string, tag, DerError, Reader};
use crate::oids;

/// Most QCStatements read from one extension. EN 319 412-5 defines seven statements and RFC 3739
/// two; 32 leaves room for private statements while bounding the work (project limit).
pub const MAX_QC_STATEMENTS: usize = 32;
/// Most entries read in one inner list (QcType OIDs, PDS locations, legislation countries);
/// project limit, far above any real certificate (EN 319 412-5 lists three QcTypes).
pub const MAX_QC_LIST_ENTRIES: usize = 16;

/// One PDS location (EN 319 412-5 §4.3.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdsLocation {
    pub url: String,
    pub language: String,
}

/// The decoded statements. Unknown statements are kept by OID.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QcStatements {
    pub compliance: bool,
    pub sscd: bool,
    /// QcType OIDs, in order (empty if the statement is absent).
    pub types: Vec<String>,
    pub type_present: bool,
    pub pds: Vec<PdsLocation>,
    pub pds_present: bool,
    /// QcCClegislation country codes, `None` if absent.
    pub cc_legislation: Option<Vec<String>>,
    /// The semantics identifier OID of an id-qcs-pkixQCSyntax-v2 statement.
    pub semantics_id: Option<String>,
    pub retention_period: Option<i64>,
    pub limit_value_present: bool,
    /// Statement ids that appear more than once.
    pub duplicates: Vec<String>,
    pub unknown: Vec<String>,
}

/// Why a QCStatements value could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QcsError {
    #[error("{0}")]
    Der(#[from] DerError),
    #[error("more than {MAX_QC_STATEMENTS} QCStatements")]
    TooManyStatements,
    #[error("more than {MAX_QC_LIST_ENTRIES} entries in statement {0}")]
    TooManyEntries(String),
    #[error("statement {0}: {1}")]
    BadValue(String, &'static str),
}

fn text(tlv: &crate::der::Tlv<'_>) -> Option<String> {
    std::str::from_utf8(tlv.value).ok().map(str::to_owned)
}

fn small_int(v: &[u8]) -> Option<i64> {
    if v.is_empty() || v.len() > 8 {
        return None;
    }
    let mut n: i64 = if v.first().is_some_and(|b| b & 0x80 != 0) { -1 } else { 0 };
    for b in v {
        n = (n << 8) | i64::from(*b);
    }
    Some(n)
}

/// Decodes the extension value (the contents of the extnValue OCTET STRING).
pub fn parse(ext_value: &[u8]) -> Result<QcStatements, QcsError> {
    let mut out = QcStatements::default();
    let mut top = Reader::new(ext_value);
    let seq = top.expect(tag::SEQUENCE)?;
    top.finish()?;
    let mut stmts = Reader::inside(&seq);
    let mut seen: Vec<String> = Vec::new();
    let mut count = 0usize;
    while !stmts.is_empty() {
        count += 1;
        if count > MAX_QC_STATEMENTS {
            return Err(QcsError::TooManyStatements);
        }
        let st = stmts.expect(tag::SEQUENCE)?;
        let mut r = Reader::inside(&st);
        let id_tlv = r.expect(tag::OID)?;
        let id = oid_to_string(id_tlv.value, id_tlv.value_offset)?;
        let info = if r.is_empty() { None } else { Some(r.read()?) };
        r.finish()?;
        if seen.contains(&id) {
            if !out.duplicates.contains(&id) {
                out.duplicates.push(id.clone());
            }
        } else {
            seen.push(id.clone());
        }
        let bad = |why: &'static str| QcsError::BadValue(id.clone(), why);
        match id.as_str() {
            oids::QCS_COMPLIANCE => out.compliance = true,
            oids::QCS_SSCD => out.sscd = true,
            oids::QCS_TYPE => {
                out.type_present = true;
                let info = info.ok_or_else(|| bad("QcType without statementInfo"))?;
                if info.tag != tag::SEQUENCE {
                    return Err(bad("QcType is not a SEQUENCE OF OBJECT IDENTIFIER"));
                }
                let mut l = Reader::inside(&info);
                while !l.is_empty() {
                    if out.types.len() >= MAX_QC_LIST_ENTRIES {
                        return Err(QcsError::TooManyEntries(id.clone()));
                    }
                    let o = l.expect(tag::OID)?;
                    out.types.push(oid_to_string(o.value, o.value_offset)?);
                }
            }
            oids::QCS_PDS => {
                out.pds_present = true;
                let info = info.ok_or_else(|| bad("QcPDS without statementInfo"))?;
                if info.tag != tag::SEQUENCE {
                    return Err(bad("QcPDS is not a SEQUENCE OF PdsLocation"));
                }
                let mut l = Reader::inside(&info);
                while !l.is_empty() {
                    if out.pds.len() >= MAX_QC_LIST_ENTRIES {
                        return Err(QcsError::TooManyEntries(id.clone()));
                    }
                    let loc = l.expect(tag::SEQUENCE)?;
                    let mut lr = Reader::inside(&loc);
                    let url = lr.expect(tag::IA5_STRING)?;
                    let lang = lr.expect(tag::PRINTABLE_STRING)?;
                    lr.finish()?;
                    out.pds.push(PdsLocation {
                        url: text(&url).ok_or_else(|| bad("PDS url is not text"))?,
                        language: text(&lang).ok_or_else(|| bad("PDS language is not text"))?,
                    });
                }
            }
            oids::QCS_CC_LEGISLATION => {
                let info = info.ok_or_else(|| bad("QcCClegislation without statementInfo"))?;
                if info.tag != tag::SEQUENCE {
                    return Err(bad("QcCClegislation is not a SEQUENCE OF PrintableString"));
                }
                let mut l = Reader::inside(&info);
                let mut list = Vec::new();
                while !l.is_empty() {
                    if list.len() >= MAX_QC_LIST_ENTRIES {
                        return Err(QcsError::TooManyEntries(id.clone()));
                    }
                    let c = l.expect(tag::PRINTABLE_STRING)?;
                    list.push(text(&c).ok_or_else(|| bad("country code is not text"))?);
                }
                out.cc_legislation = Some(list);
            }
            oids::QCS_PKIX_SYNTAX_V2 => {
                if let Some(info) = info {
                    if info.tag != tag::SEQUENCE {
                        return Err(bad("SemanticsInformation is not a SEQUENCE"));
                    }
                    let mut l = Reader::inside(&info);
                    if let Some(o) = l.optional(tag::OID)? {
                        out.semantics_id = Some(oid_to_string(o.value, o.value_offset)?);
                    }
                    // nameRegistrationAuthorities (GeneralNames) is not interpreted.
                }
            }
            oids::QCS_RETENTION_PERIOD => {
                let info = info.ok_or_else(|| bad("QcRetentionPeriod without statementInfo"))?;
                if info.tag != tag::INTEGER {
                    return Err(bad("QcRetentionPeriod is not an INTEGER"));
                }
                out.retention_period = Some(small_int(info.value).ok_or_else(|| bad("retention period out of range"))?);
            }
            oids::QCS_LIMIT_VALUE => out.limit_value_present = true,
            _ => out.unknown.push(id.clone()),
        }
    }
    Ok(out)
}

/// DER encoders used by the tests (and by callers building fixtures).
pub mod encode {
    fn len(n: usize) -> Vec<u8> {
        if n < 0x80 {
            vec![n as u8]
        } else {
            let bytes: Vec<u8> = n.to_be_bytes().iter().copied().skip_while(|b| *b == 0).collect();
            let mut v = vec![0x80 | bytes.len() as u8];
            v.extend(bytes);
            v
        }
    }
    /// One TLV.
    pub fn tlv(tag: u8, value: &[u8]) -> Vec<u8> {
        let mut v = vec![tag];
        v.extend(len(value.len()));
        v.extend_from_slice(value);
        v
    }
    /// An OBJECT IDENTIFIER from dotted form; panics on malformed input (fixtures only).
    pub fn oid(dotted: &str) -> Vec<u8> {
        let arcs: Vec<u64> = dotted.split('.').map(|a| a.parse().unwrap_or(0)).collect();
        let mut body = Vec::new();
        let first = arcs.first().copied().unwrap_or(0) * 40 + arcs.get(1).copied().unwrap_or(0);
        for arc in std::iter::once(first).chain(arcs.iter().skip(2).copied()) {
            let mut stack = vec![(arc & 0x7f) as u8];
            let mut a = arc >> 7;
            while a > 0 {
                stack.push(0x80 | (a & 0x7f) as u8);
                a >>= 7;
            }
            stack.reverse();
            body.extend(stack);
        }
        tlv(0x06, &body)
    }
    pub fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
        tlv(0x30, &parts.concat())
    }
    /// A QCStatement with an optional statementInfo.
    pub fn statement(id: &str, info: Option<Vec<u8>>) -> Vec<u8> {
        let mut parts = vec![oid(id)];
        if let Some(i) = info {
            parts.push(i);
        }
        seq(&parts)
    }
    /// QcType with the given type OIDs.
    pub fn qc_type(types: &[&str]) -> Vec<u8> {
        statement(crate::oids::QCS_TYPE, Some(seq(&types.iter().map(|t| oid(t)).collect::<Vec<_>>())))
    }
    /// QcPDS with (url, language) pairs.
    pub fn qc_pds(locs: &[(&str, &str)]) -> Vec<u8> {
        let l: Vec<Vec<u8>> =
            locs.iter().map(|(u, g)| seq(&[tlv(0x16, u.as_bytes()), tlv(0x13, g.as_bytes())])).collect();
        statement(crate::oids::QCS_PDS, Some(seq(&l)))
    }
    /// QcCClegislation with the given country codes.
    pub fn qc_cc_legislation(cc: &[&str]) -> Vec<u8> {
        let l: Vec<Vec<u8>> = cc.iter().map(|c| tlv(0x13, c.as_bytes())).collect();
        statement(crate::oids::QCS_CC_LEGISLATION, Some(seq(&l)))
    }
    /// id-qcs-pkixQCSyntax-v2 with a semantics identifier.
    pub fn semantics(id: &str) -> Vec<u8> {
        statement(crate::oids::QCS_PKIX_SYNTAX_V2, Some(seq(&[oid(id)])))
    }
}

#[cfg(test)]
mod tests {
    use super::encode::*;
    use super::*;

    #[test]
    fn parses_a_full_set() {
        let v = seq(&[
            statement(oids::QCS_COMPLIANCE, None),
            statement(oids::QCS_SSCD, None),
            qc_type(&[oids::QCT_ESIGN]),
            qc_pds(&[("https://example.test/pds_en.pdf", "en")]),
            semantics(oids::SEMANTICS_NATURAL),
            qc_cc_legislation(&["RS"]),
            statement(oids::QCS_RETENTION_PERIOD, Some(tlv(0x02, &[20]))),
        ]);
        let q = parse(&v).unwrap();
        assert!(q.compliance && q.sscd && q.type_present && q.pds_present);
        assert_eq!(q.types, vec![oids::QCT_ESIGN.to_string()]);
        assert_eq!(q.pds[0].language, "en");
        assert_eq!(q.cc_legislation, Some(vec!["RS".to_string()]));
        assert_eq!(q.semantics_id.as_deref(), Some(oids::SEMANTICS_NATURAL));
        assert_eq!(q.retention_period, Some(20));
        assert!(q.duplicates.is_empty());
    }

    #[test]
    fn records_duplicates_and_unknown() {
        let v = seq(&[
            statement(oids::QCS_COMPLIANCE, None),
            statement(oids::QCS_COMPLIANCE, None),
            statement("1.2.3.4", None),
        ]);
        let q = parse(&v).unwrap();
        assert_eq!(q.duplicates, vec![oids::QCS_COMPLIANCE.to_string()]);
        assert_eq!(q.unknown, vec!["1.2.3.4".to_string()]);
    }

    #[test]
    fn statement_count_limit_is_enforced() {
        let many: Vec<Vec<u8>> = (0..=MAX_QC_STATEMENTS).map(|_| statement(oids::QCS_COMPLIANCE, None)).collect();
        assert_eq!(parse(&seq(&many)), Err(QcsError::TooManyStatements));
        let ok: Vec<Vec<u8>> = (0..MAX_QC_STATEMENTS).map(|_| statement(oids::QCS_COMPLIANCE, None)).collect();
        assert!(parse(&seq(&ok)).is_ok());
    }

    #[test]
    fn list_entry_limit_is_enforced() {
        let types: Vec<&str> = (0..=MAX_QC_LIST_ENTRIES).map(|_| oids::QCT_ESIGN).collect();
        assert!(matches!(parse(&seq(&[qc_type(&types)])), Err(QcsError::TooManyEntries(_))));
    }

    #[test]
    fn malformed_values_are_errors() {
        assert!(parse(&[0x30, 0x03, 0x06, 0x01]).is_err());
        assert!(parse(&seq(&[statement(oids::QCS_TYPE, None)])).is_err());
        assert!(parse(&seq(&[statement(oids::QCS_PDS, Some(tlv(0x02, &[1])))])).is_err());
        let mut trailing = seq(&[statement(oids::QCS_COMPLIANCE, None)]);
        trailing.push(0);
        assert!(parse(&trailing).is_err());
    }
}
