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
    let opts = roxmltree::ParsingOptions { allow_dtd: false, nodes_limit: limits::MAX_NODES };
    let doc = Document::parse_with_options(text, opts).map_err(|e| match e {
        roxmltree::Error::DtdDetected => Error::Dtd { offset: 0 },
        roxmltree::Error::NodesLimitReached => Error::TooManyNodes { limit: limits::MAX_NODES },
        other => Error::Xml(other.to_string()),
    })?;
    let depth = max_depth(&doc);
    if depth > limits::MAX_DEPTH {
        return Err(Error::TooDeep { depth, limit: limits::MAX_DEPTH });
    }
    Ok(doc)
}

/// The deepest element nesting, computed without recursion.
pub(crate) fn max_depth(doc: &Document<'_>) -> usize {
    let mut depths: Vec<u32> = vec![0; doc.descendants().count() + 1];
    let mut max = 0u32;
    for node in doc.descendants() {
        let idx = node.id().get_usize();
        let parent_depth = node.parent().and_then(|p| depths.get(p.id().get_usize()).copied()).unwrap_or(0);
        let d = if node.is_element() { parent_depth + 1 } else { parent_depth };
        if let Some(slot) = depths.get_mut(idx) {
            *slot = d;
        }
        max = max.max(d);
    }
    max as usize
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
