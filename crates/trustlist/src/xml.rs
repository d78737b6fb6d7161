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
    if let Some(pos) = text.find("<!DOCTYPE") {
        return Err(Error::Dtd { offset: pos });
    }
    Ok(text)
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
    let find = |from: usize, pat: &[u8]| -> usize {
        b.get(from..)
            .and_then(|rest| rest.windows(pat.len()).position(|w| w == pat))
            .map_or(b.len(), |p| from + p + pat.len())
    };
    let mut depth = 0usize;
    let mut i = 0usize;
    while i < b.len() {
        if b.get(i) != Some(&b'<') {
            i = b.get(i..).and_then(|r| r.iter().position(|&c| c == b'<')).map_or(b.len(), |p| i + p);
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
            // A start tag or an empty-element tag: find its '>' outside quoted values.
            let mut j = i + 1;
            let mut quote: Option<u8> = None;
            let mut last = 0u8;
            let mut attributes = 0usize;
            while let Some(&c) = b.get(j) {
                match quote {
                    Some(q) if c == q => quote = None,
                    Some(_) => {}
                    None if c == b'"' || c == b'\'' => quote = Some(c),
                    None if c == b'>' => break,
                    None if c == b'=' => {
                        attributes += 1;
                        if attributes > limits::MAX_ATTRIBUTES {
                            return Err(Error::TooManyAttributes { limit: limits::MAX_ATTRIBUTES });
                        }
                    }
                    None => {}
                }
                if quote.is_none() && !c.is_ascii_whitespace() {
                    last = c;
                }
                j += 1;
            }
            if last != b'/' {
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
