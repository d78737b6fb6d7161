//! Every limit in `limits` is enforced, and hostile XML is refused before interpretation.

use eidtrust_trustlist::verify::{verify, Anchor};
use eidtrust_trustlist::{findings as f, limits, parse, Error};

const MINI: &str = r#"<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#"><SchemeInformation><TSLVersionIdentifier>6</TSLVersionIdentifier><TSLSequenceNumber>1</TSLSequenceNumber><TSLType>http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric</TSLType><SchemeTerritory>XK</SchemeTerritory><ListIssueDateTime>2024-01-01T00:00:00Z</ListIssueDateTime><NextUpdate><dateTime>2024-07-01T00:00:00Z</dateTime></NextUpdate></SchemeInformation></TrustServiceStatusList>"#;

#[test]
fn minimal_list_parses() {
    let l = parse(MINI.as_bytes()).unwrap();
    assert_eq!(l.scheme_territory, "XK");
    assert!(!l.signed);
    let o = verify(MINI.as_bytes(), &Anchor::Unanchored, 0);
    assert!(!o.verified());
    assert!(o.verdict.findings.iter().any(|x| x.id == f::SIG_MISSING.id));
}

#[test]
fn size_limit() {
    let mut big = MINI.as_bytes().to_vec();
    big.resize(limits::MAX_LIST_BYTES + 1, b' ');
    assert!(matches!(parse(&big), Err(Error::TooLarge { .. })));
}

#[test]
fn depth_limit() {
    let deep = format!("{}{}{}", "<a>".repeat(limits::MAX_DEPTH + 1), "x", "</a>".repeat(limits::MAX_DEPTH + 1));
    assert!(matches!(parse(deep.as_bytes()), Err(Error::TooDeep { .. })));
    // Just under the limit is not refused for depth.
    let ok = format!("{}{}", "<a>".repeat(limits::MAX_DEPTH), "</a>".repeat(limits::MAX_DEPTH));
    assert!(matches!(parse(ok.as_bytes()), Err(Error::NotATrustedList { .. })));
}

#[test]
fn node_limit() {
    // MAX_NODES empty elements: each is one node, plus the root.
    let n = limits::MAX_NODES as usize;
    let mut s = String::with_capacity(n * 4 + 16);
    s.push_str("<r>");
    for _ in 0..n {
        s.push_str("<a/>");
    }
    s.push_str("</r>");
    assert!(s.len() <= limits::MAX_LIST_BYTES);
    assert!(matches!(parse(s.as_bytes()), Err(Error::TooManyNodes { .. })));
}

#[test]
fn dtds_and_entities_are_refused() {
    let xxe = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>{}",
        MINI.replace("XK", "&x;")
    );
    let e = parse(xxe.as_bytes()).unwrap_err();
    assert!(matches!(e, Error::Dtd { .. }));
    assert_eq!(e.to_finding().id, f::FORMAT_DTD.id);
    let empty_doctype = format!("<!DOCTYPE TrustServiceStatusList>{MINI}");
    assert!(matches!(parse(empty_doctype.as_bytes()), Err(Error::Dtd { .. })));
    let laughs = "<!DOCTYPE r [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><r>&b;</r>";
    assert!(matches!(parse(laughs.as_bytes()), Err(Error::Dtd { .. })));
    // verify refuses the same way, as a FORMAT_FAILURE.
    let o = verify(xxe.as_bytes(), &Anchor::Unanchored, 0);
    assert_eq!(o.verdict.sub_indication, Some(report::SubIndication::FormatFailure));
}

#[test]
fn criteria_nesting_limit() {
    let mut crit = String::new();
    for _ in 0..limits::MAX_CRITERIA_NESTING + 2 {
        crit.push_str("<ecc:CriteriaList assert=\"all\">");
    }
    for _ in 0..limits::MAX_CRITERIA_NESTING + 2 {
        crit.push_str("</ecc:CriteriaList>");
    }
    let svc = format!(
        r#"<TrustServiceProviderList><TrustServiceProvider><TSPInformation><TSPName><Name xml:lang="en">T</Name></TSPName></TSPInformation><TSPServices><TSPService><ServiceInformation><ServiceTypeIdentifier>http://uri.etsi.org/TrstSvc/Svctype/CA/QC</ServiceTypeIdentifier><ServiceName><Name xml:lang="en">S</Name></ServiceName><ServiceDigitalIdentity/><ServiceStatus>http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted</ServiceStatus><StatusStartingTime>2016-07-01T00:00:00Z</StatusStartingTime><ServiceInformationExtensions><Extension Critical="true"><ecc:Qualifications xmlns:ecc="http://uri.etsi.org/TrstSvc/SvcInfoExt/eSigDir-1999-93-EC-TrustedList/#"><ecc:QualificationElement><ecc:Qualifiers><ecc:Qualifier uri="http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/QCStatement"/></ecc:Qualifiers>{crit}</ecc:QualificationElement></ecc:Qualifications></Extension></ServiceInformationExtensions></ServiceInformation></TSPService></TSPServices></TrustServiceProvider></TrustServiceProviderList>"#
    );
    let doc = MINI.replace("</SchemeInformation>", &format!("</SchemeInformation>{svc}"));
    let l = parse(doc.as_bytes()).unwrap();
    let (_, s) = l.services().next().unwrap();
    let mut c = &s.current.extensions.qualifications[0].criteria;
    let mut depth = 0;
    while let Some(n) = c.nested.first() {
        c = n;
        depth += 1;
    }
    assert!(depth < limits::MAX_CRITERIA_NESTING);
    assert!(!c.unsupported.is_empty(), "the cut-off list is marked unevaluable");
}

#[test]
fn not_utf8_and_not_xml() {
    assert!(matches!(parse(b"\xff\xfe<a/>"), Err(Error::NotUtf8 { .. })));
    assert!(matches!(parse(b"<a><b></a>"), Err(Error::Xml(_))));
    assert!(matches!(parse(b"<a/>"), Err(Error::NotATrustedList { .. })));
    let missing = MINI.replace("<SchemeTerritory>XK</SchemeTerritory>", "");
    assert_eq!(parse(missing.as_bytes()).unwrap_err(), Error::Missing("SchemeTerritory"));
}
