//! Hostile-input XML front end: size, encoding, DTD, node-count and depth checks before any
//! element is interpreted, and namespace-aware helpers for the parser.

use crate::dom::Node;
use crate::limits;
use crate::Error;

/// Checks the raw bytes and returns the text to parse (UTF-8, without a byte order mark).
pub(crate) fn precheck(bytes: &[u8]) -> Result<&str, Error> {
    if bytes.len() > limits::MAX_LIST_BYTES {
        return Err(Error::TooLarge { size: bytes.len(), limit: limits::MAX_LIST_BYTES });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| Error::NotUtf8 { offset: e.valid_up_to() })?;
    // A trusted list never needs a DTD: any DOCTYPE is refused, even inside a comment or a
    // value, before parsing (the parser refuses it in place too).
    if let Some(pos) = memchr::memmem::find(text.as_bytes(), b"<!DOCTYPE") {
        return Err(Error::Dtd { offset: pos });
    }
    Ok(text)
}

/// XML 1.0 §2.11 end-of-line handling done up front: every `\r\n` and lone `\r` becomes `\n`
/// (what a conforming parser does before parsing anyway). Text nodes then stay ranges of the input
/// instead of copies (SI's list is written with CRLF); one pass and one allocation, and only when
/// a `\r` exists.
pub(crate) fn normalize_line_ends(text: &str) -> std::borrow::Cow<'_, str> {
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(p) = memchr::memchr(b'\r', rest.as_bytes()) {
        out.push_str(rest.get(..p).unwrap_or(""));
        out.push('\n');
        rest = rest.get(p + 1..).unwrap_or("");
        rest = rest.strip_prefix('\n').unwrap_or(rest);
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Whether `node` is the element `ns:name`.
pub(crate) fn is(node: Node<'_, '_>, ns: &str, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace() == Some(ns)
}

/// The first child element `ns:name`.
pub(crate) fn child<'a, 'i>(node: Node<'a, 'i>, ns: &str, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| is(*c, ns, name))
}

/// All child elements `ns:name`.
pub(crate) fn children<'a, 'i: 'a>(
    node: Node<'a, 'i>,
    ns: &'a str,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children().filter(move |c| is(*c, ns, name))
}

/// The trimmed text content of an element (text and CDATA children), or "".
pub(crate) fn text(node: Node<'_, '_>) -> String {
    let mut kids = node.children();
    match (kids.next(), kids.next()) {
        (None, _) => return String::new(),
        (Some(only), None) => {
            return if only.is_text() {
                only.text().map(|t| t.trim().to_string()).unwrap_or_default()
            } else {
                String::new()
            }
        }
        _ => {}
    }
    let mut out = String::new();
    for c in node.children() {
        if c.is_text() {
            if let Some(t) = c.text() {
                out.push_str(t);
            }
        }
    }
    out.trim().to_string()
}

/// The trimmed text of child `ns:name`, if present.
pub(crate) fn child_text(node: Node<'_, '_>, ns: &str, name: &str) -> Option<String> {
    child(node, ns, name).map(text)
}

/// A simple XPath-like location for findings: `/TrustServiceStatusList[1]/SchemeInformation[1]/...`
/// (each step's position counts the earlier siblings of the same name). Built in one string: a
/// list with hundreds of quirks (SI's bare OIDs) asks for hundreds of paths.
pub(crate) fn path_of(node: Node<'_, '_>) -> String {
    let steps: Vec<(&str, usize)> = node
        .ancestors()
        .filter(|n| n.is_element())
        .map(|n| {
            let name = n.tag_name().name();
            // prev_siblings() starts at the node itself: the count is the 1-based position.
            (name, n.prev_siblings().filter(|s| s.is_element() && s.tag_name().name() == name).count())
        })
        .collect();
    let mut out = String::with_capacity(steps.iter().map(|(name, _)| name.len() + 6).sum());
    for (name, pos) in steps.iter().rev() {
        use std::fmt::Write;
        let _ = write!(out, "/{name}[{pos}]");
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// The five real lists of `../shared` (HR, SI, BG, CY, LOTL), line ends normalised, for the unit
/// tests; a missing one is a notice, or a failure under `EIDTRUST_REQUIRE_SHARED=1`.
#[cfg(test)]
pub(crate) fn shared_lists() -> Vec<(&'static str, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors/trusted-lists");
    let mut out = Vec::new();
    for name in ["TSL_HR.xml", "TSL_SI.xml", "TSL_BG.xml", "TSL_CY.xml", "eu-lotl.xml"] {
        match std::fs::read(dir.join(name)) {
            Ok(b) => out.push((name, normalize_line_ends(std::str::from_utf8(&b).unwrap()).into_owned())),
            Err(_) => {
                assert_ne!(std::env::var("EIDTRUST_REQUIRE_SHARED").as_deref(), Ok("1"), "{name} missing");
                eprintln!("notice: {name} not found in ../shared; skipping");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dom::Document;

    #[test]
    fn paths_count_same_name_siblings_from_one() {
        let doc = Document::parse("<r><a/><b/><a><c/>t<c/></a></r>").unwrap();
        let last_c = doc.descendants().filter(|n| n.tag_name().name() == "c").last().unwrap();
        assert_eq!(path_of(last_c), "/r[1]/a[2]/c[2]");
        assert_eq!(path_of(doc.root_element()), "/r[1]");
        assert_eq!(path_of(doc.root()), "/");
    }

    #[test]
    fn line_ends_are_normalised_as_xml_1_0_says() {
        assert!(matches!(normalize_line_ends("a\nb"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(normalize_line_ends("a\r\nb\rc\r\r\nd\r"), "a\nb\nc\n\nd\n");
        let crlf = "<r a=\"x\r\ny\">t\r\nu</r>";
        let plain = normalize_line_ends(crlf);
        // The reader relies on it: a carriage return left in the text is refused.
        assert!(matches!(Document::parse(crlf), Err(Error::Xml(_))));
        let doc = Document::parse(&plain).unwrap();
        assert_eq!(doc.root_element().text(), Some("t\nu"));
        // Attribute-value normalisation (§3.3.3) then turns the line end into a space.
        assert_eq!(doc.root_element().attribute("a"), Some("x y"));
    }
}
