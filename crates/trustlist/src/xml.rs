//! Hostile-input XML front end: size, encoding, DTD, node-count and depth checks before any
//! element is interpreted, and namespace-aware helpers for the parser.

use crate::limits;
use crate::Error;
use roxmltree::{Document, Node};

/// Checks the raw bytes and returns the text to parse (UTF-8, without a byte order mark).
pub(crate) fn precheck(bytes: &[u8]) -> Result<&str, Error> {
    if bytes.len() > limits::MAX_LIST_BYTES {
        return Err(Error::TooLarge { size: bytes.len(), limit: limits::MAX_LIST_BYTES });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| Error::NotUtf8 { offset: e.valid_up_to() })?;
    // roxmltree refuses DTDs with an internal subset but accepts an empty `<!DOCTYPE x>`; a
    // trusted list never needs either, so any DOCTYPE is refused.
    if let Some(pos) = memchr::memmem::find(text.as_bytes(), b"<!DOCTYPE") {
        return Err(Error::Dtd { offset: pos });
    }
    Ok(text)
}

/// XML 1.0 §2.11 end-of-line handling done up front: every `\r\n` and lone `\r` becomes `\n`
/// (what a conforming parser does before parsing anyway). roxmltree would otherwise copy every
/// text node holding a line end into a new string (SI's list is written with CRLF: that was a
/// fifth of its parse time); here it is one pass and one allocation, and only when a `\r` exists.
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

/// Parses with DTDs forbidden and the node cap, then enforces the depth cap.
pub(crate) fn parse_document(text: &str) -> Result<Document<'_>, Error> {
    // roxmltree descends recursively, one stack frame per open element: 10,000 nested elements
    // overflow a 2 MiB thread stack before its own result could be checked (found by the
    // tl_parse fuzz target). So the nesting is measured lexically first.
    // Its duplicate-attribute check is quadratic in the attributes of one element (5,000
    // attributes took over a second, found by the same target): they are counted here too.
    lexical_precheck(text)?;
    let opts = roxmltree::ParsingOptions { allow_dtd: false, nodes_limit: limits::MAX_NODES };
    let doc = Document::parse_with_options(text, opts).map_err(|e| match e {
        roxmltree::Error::DtdDetected => Error::Dtd { offset: 0 },
        roxmltree::Error::NodesLimitReached => Error::TooManyNodes { limit: limits::MAX_NODES },
        other => Error::Xml(other.to_string()),
    })?;
    // The depth cap was enforced lexically (for well-formed XML the lexical nesting is the tree's).
    Ok(doc)
}

/// Reads `text` lexically (start tags, end tags, empty-element tags; comments, CDATA sections,
/// processing instructions and declarations skipped, quoted attribute values respected) and
/// refuses it as soon as the element nesting exceeds [`limits::MAX_DEPTH`] or one element has
/// more than [`limits::MAX_ATTRIBUTES`] attributes (namespace declarations included). For
/// well-formed XML the depth is the element tree's depth; malformed text is left to the
/// parser.
pub(crate) fn lexical_precheck(text: &str) -> Result<(), Error> {
    let b = text.as_bytes();
    // Position just after the next `pat` at or after `from` (or the end).
    let find = |from: usize, pat: &[u8]| -> usize {
        b.get(from..).and_then(|rest| memchr::memmem::find(rest, pat)).map_or(b.len(), |p| from + p + pat.len())
    };
    let mut depth = 0usize;
    let mut i = 0usize;
    while i < b.len() {
        if b.get(i) != Some(&b'<') {
            i = b.get(i..).and_then(|r| memchr::memchr(b'<', r)).map_or(b.len(), |p| i + p);
            continue;
        }
        let rest = b.get(i..).unwrap_or(&[]);
        if rest.starts_with(b"<!--") {
            i = find(i + 4, b"-->");
        } else if rest.starts_with(b"<![CDATA[") {
            i = find(i + 9, b"]]>");
        } else if rest.starts_with(b"<?") {
            i = find(i + 2, b"?>");
        } else if rest.starts_with(b"<!") {
            i = find(i + 2, b">");
        } else if rest.starts_with(b"</") {
            depth = depth.saturating_sub(1);
            i = find(i + 2, b">");
        } else {
            // A start tag or an empty-element tag: find its '>' outside quoted values, jumping
            // from quote to quote; the '=' signs between values count the attributes.
            let mut j = i + 1;
            let mut attributes = 0usize;
            let mut empty = false;
            loop {
                let seg = b.get(j..).unwrap_or(&[]);
                let Some(k) = memchr::memchr3(b'"', b'\'', b'>', seg) else {
                    j = b.len();
                    break;
                };
                let outside = seg.get(..k).unwrap_or(&[]);
                attributes += memchr::memchr_iter(b'=', outside).count();
                if attributes > limits::MAX_ATTRIBUTES {
                    return Err(Error::TooManyAttributes { limit: limits::MAX_ATTRIBUTES });
                }
                match seg.get(k) {
                    Some(b'>') => {
                        // An empty-element tag ends in '/' (whitespace allowed before '>').
                        let before = outside.iter().rev().find(|c| !c.is_ascii_whitespace());
                        empty = match before {
                            Some(c) => *c == b'/',
                            // Only whitespace since the last quoted value: not an empty tag.
                            None => false,
                        };
                        j += k;
                        break;
                    }
                    Some(&q) => {
                        // Skip the quoted value.
                        let after = j + k + 1;
                        j = b.get(after..).and_then(|r| memchr::memchr(q, r)).map_or(b.len(), |p| after + p + 1);
                    }
                    None => {
                        j = b.len();
                        break;
                    }
                }
            }
            if !empty {
                depth += 1;
                if depth > limits::MAX_DEPTH {
                    return Err(Error::TooDeep { depth, limit: limits::MAX_DEPTH });
                }
            }
            i = j + 1;
        }
    }
    Ok(())
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

/// A simple XPath-like location for findings: `/TrustServiceStatusList/SchemeInformation[1]/...`.
pub(crate) fn path_of(node: Node<'_, '_>) -> String {
    let mut parts = Vec::new();
    let mut cur = Some(node);
    while let Some(n) = cur {
        if n.is_element() {
            let name = n.tag_name().name();
            let pos = n.prev_siblings().filter(|s| s.is_element() && s.tag_name().name() == name).count() + 1;
            parts.push(format!("{name}[{pos}]"));
        }
        cur = n.parent();
    }
    parts.reverse();
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_depth_and_attribute_counting_respect_quotes_and_empty_tags() {
        // '>' '/' '=' and the other quote inside values do not end or count anything.
        let ok = r#"<a x="1>/" y='a"=b' ><b/><c z="/"  /><d k='>'></d></a>"#;
        assert!(lexical_precheck(ok).is_ok());
        let deep = format!("{}{}", "<e a=\"/>\">".repeat(limits::MAX_DEPTH + 1), "</e>".repeat(limits::MAX_DEPTH + 1));
        assert!(matches!(lexical_precheck(&deep), Err(Error::TooDeep { .. })));
        // Empty-element tags do not nest, with or without whitespace before '/>'.
        let flat = format!("<r>{}</r>", "<e a=\"1\" />".repeat(1000));
        assert!(lexical_precheck(&flat).is_ok());
        let attrs: String = (0..=limits::MAX_ATTRIBUTES).map(|i| format!(" a{i}='v=v'")).collect();
        assert!(matches!(lexical_precheck(&format!("<r{attrs}/>")), Err(Error::TooManyAttributes { .. })));
        let attrs: String = (0..limits::MAX_ATTRIBUTES).map(|i| format!(" a{i}=\"v=v\"")).collect();
        assert!(lexical_precheck(&format!("<r{attrs}/>")).is_ok());
    }

    #[test]
    fn line_ends_are_normalised_as_xml_1_0_says() {
        assert!(matches!(normalize_line_ends("a\nb"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(normalize_line_ends("a\r\nb\rc\r\r\nd\r"), "a\nb\nc\n\nd\n");
        let crlf = "<r a=\"x\r\ny\">t\r\nu</r>";
        let plain = normalize_line_ends(crlf);
        let (d1, d2) = (Document::parse(crlf).unwrap(), Document::parse(&plain).unwrap());
        assert_eq!(d1.root_element().text(), d2.root_element().text());
        assert_eq!(d1.root_element().attribute("a"), d2.root_element().attribute("a"));
    }
}
