//! Limits added after fuzzing (`fuzz/regressions/tl_parse/`): the nesting depth is measured
//! before the XML parser runs (it recurses per element), and one element's attribute count is
//! capped (the parser's duplicate check is quadratic). Both are refused with a clear error.

use eidtrust_trustlist::limits::{MAX_ATTRIBUTES, MAX_DEPTH};
use eidtrust_trustlist::{parse, Error};
use std::time::{Duration, Instant};

const TSL: &str = "http://uri.etsi.org/02231/v2#";

/// 100,000 nested elements on a 2 MiB thread stack (the Rust default for spawned threads): a
/// clear TooDeep error, not a stack overflow.
#[test]
fn deep_nesting_is_refused_before_parsing() {
    let doc = format!(
        "<TrustServiceStatusList xmlns=\"{TSL}\">{}{}</TrustServiceStatusList>",
        "<a>".repeat(100_000),
        "</a>".repeat(100_000)
    );
    let unclosed = "<a>".repeat(100_000);
    let h = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let e = parse(doc.as_bytes()).unwrap_err();
            assert_eq!(e, Error::TooDeep { depth: MAX_DEPTH + 1, limit: MAX_DEPTH });
            assert!(e.to_string().contains("over the limit of 64"), "{e}");
            assert!(matches!(parse(unclosed.as_bytes()), Err(Error::TooDeep { .. })));
        })
        .unwrap();
    h.join().unwrap();
}

/// Comments, CDATA, processing instructions, quoted '>' and '/>' in attribute values, and
/// empty-element tags do not count as nesting.
#[test]
fn lexical_depth_ignores_what_is_not_an_element() {
    let inner = "<x a='>' b=\"/>\"/><!-- <y><y><y> --><![CDATA[<z><z>]]><?pi <w>?>";
    let doc = format!(
        "<TrustServiceStatusList xmlns=\"{TSL}\">{}{inner}{}</TrustServiceStatusList>",
        "<a>".repeat(MAX_DEPTH - 2),
        "</a>".repeat(MAX_DEPTH - 2)
    );
    // Depth: root 1 + 62 <a> + <x/> at 64 = exactly the limit; the parser may then refuse the
    // document for other reasons, but never as too deep.
    assert!(!matches!(parse(doc.as_bytes()), Err(Error::TooDeep { .. })), "{:?}", parse(doc.as_bytes()));
}

#[test]
fn attribute_count_limit() {
    let attrs = |n: usize| (0..n).map(|i| format!(" a{i}=\"x\"")).collect::<String>();
    let at = format!("<TrustServiceStatusList xmlns=\"{TSL}\"{}/>", attrs(MAX_ATTRIBUTES - 1));
    assert!(!matches!(parse(at.as_bytes()), Err(Error::TooManyAttributes { .. })));
    let over = format!("<TrustServiceStatusList xmlns=\"{TSL}\"{}/>", attrs(MAX_ATTRIBUTES));
    let e = parse(over.as_bytes()).unwrap_err();
    assert_eq!(e, Error::TooManyAttributes { limit: MAX_ATTRIBUTES });
    assert_eq!(e.to_finding().id, "tl.format.limit-exceeded");

    // The hostile shape the fuzzer found, at 32 MiB scale: many elements each at the cap stays
    // linear (about 2 MB here) and fast.
    let elem = format!("<e{}/>", attrs(MAX_ATTRIBUTES - 1));
    let big = format!("<TrustServiceStatusList xmlns=\"{TSL}\">{}</TrustServiceStatusList>", elem.repeat(2_000));
    let start = Instant::now();
    let _ = parse(big.as_bytes());
    assert!(start.elapsed() < Duration::from_secs(5), "took {:?}", start.elapsed());
}
