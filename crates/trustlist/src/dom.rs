//! The crate's own XML 1.0 + Namespaces 1.0 reader: one pass over the text into a flat, read-only
//! tree, with the API subset of `roxmltree` that the crate uses (which it replaced: roxmltree
//! spent about 55 instructions a byte on the real lists, a tenth of the oracle's whole time).
//!
//! What it accepts is well-formed XML 1.0 (Fifth Edition) without a DTD, namespace-well-formed
//! (Namespaces in XML 1.0, Third Edition). What it checks, with the clause:
//!
//! - XML 1.0 §2.2 `Char`: no C0 control other than tab, line feed and carriage return, no U+FFFE or
//!   U+FFFF, anywhere in the text (one vectorised pass), nor produced by a character reference
//!   (§4.1 WFC: Legal Character);
//! - §2.3 `Name` for element, attribute and PI names (the full `NameStartChar`/`NameChar` ranges);
//!   Namespaces §3 `QName`: at most one colon, with a non-empty prefix and local part;
//! - §2.4: `]]>` not in character data; `<` and `&` only as markup;
//! - §2.5 comments without `--`; §2.6 PI targets other than `xml` (any case), the XML declaration
//!   (§2.8) only at the very start, with `version`, then optional `encoding` and `standalone`
//!   (`yes`/`no`) in that order;
//! - §2.8 no DTD (refused, [`Error::Dtd`]); exactly one document element, only comments, PIs and
//!   whitespace around it; §3 WFC Element Type Match (end tag = start tag);
//! - §3.1 WFC Unique Att Spec, both by qualified name and (Namespaces §6.3) by expanded name;
//!   whitespace required between attributes; `<` not in attribute values (WFC: No < in Attribute
//!   Values);
//! - §4.1 references: only the five predefined entities (WFC: Entity Declared — there is no DTD),
//!   decimal and hexadecimal character references;
//! - §3.3.3 attribute-value normalisation (CDATA: each whitespace character becomes a space,
//!   references replaced); §2.11 line ends are normalised by the caller before parsing
//!   ([`crate::xml::normalize_line_ends`]);
//! - Namespaces §3 and §5: every prefix used is declared (`xml` is predefined), `xmlns:p=""` is
//!   refused, `xml` may only be bound to its namespace and that namespace to no other prefix,
//!   `xmlns` is never declared nor bound.
//!
//! Limits (from [`crate::limits`]): [`limits::MAX_NODES`], [`limits::MAX_DEPTH`] (the tree is
//! built iteratively, so depth is only a policy) and [`limits::MAX_ATTRIBUTES`] per element (the
//! duplicate check is quadratic in them).
//!
//! The tree mirrors roxmltree's: a root node whose children are the comments, PIs and the
//! document element; adjacent character data, references and CDATA sections form one text node;
//! whitespace outside the document element is not a node; namespace declarations are not
//! attributes. Nodes are stored in document order, so a subtree is a contiguous range.

use crate::limits;
use crate::Error;
use std::borrow::Cow;

/// The namespace bound to the `xml` prefix (Namespaces in XML 1.0 §3).
pub(crate) const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
/// The namespace of namespace declarations, which may not be declared (Namespaces in XML 1.0 §3).
const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";
const NONE: u32 = u32::MAX;

/// A node's index in its document.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub(crate) struct NodeId(u32);

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum NodeType {
    Root,
    Element,
    Text,
    Comment,
    PI,
}

/// A string of the document: a range of the input when it needed no change, else an owned one.
#[derive(Clone, Copy, Debug)]
enum Str {
    Src(u32, u32),
    Own(u32),
}

#[derive(Debug)]
struct NodeData {
    kind: NodeType,
    /// Element: its source text is its canonical form (see [`Node::is_verbatim`]).
    verbatim: bool,
    parent: u32,
    prev_sibling: u32,
    next_sibling: u32,
    first_child: u32,
    last_child: u32,
    /// One past the last node of the subtree (document order).
    subtree_end: u32,
    /// The node's source range (an element: from `<` to the end of its end tag).
    range: (u32, u32),
    /// Element: the qualified name; PI: the target (source ranges).
    name: (u32, u32),
    /// Element: length of the prefix plus colon (0 without prefix).
    local_at: u32,
    /// Element: its namespace (index into `namespaces`), or NONE.
    ns: u32,
    /// Element: its attributes (range of `attrs`).
    attrs: (u32, u32),
    /// Text, comment: the text; PI: the data (an empty range when there is none).
    value: Str,
}

#[derive(Debug)]
struct AttrData {
    name: (u32, u32),
    local_at: u32,
    ns: u32,
    value: Str,
}

/// A parsed document.
pub(crate) struct Document<'i> {
    text: &'i str,
    nodes: Vec<NodeData>,
    attrs: Vec<AttrData>,
    namespaces: Vec<Cow<'i, str>>,
    owned: Vec<String>,
}

impl std::fmt::Debug for Document<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Document({} nodes)", self.nodes.len())
    }
}

/// A node of a [`Document`].
#[derive(Clone, Copy)]
pub(crate) struct Node<'a, 'i> {
    doc: &'a Document<'i>,
    id: u32,
    d: &'a NodeData,
}

impl PartialEq for Node<'_, '_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.doc, other.doc) && self.id == other.id
    }
}

impl std::fmt::Debug for Node<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}#{} {}", self.d.kind, self.id, self.qname())
    }
}

/// An element's expanded name (Namespaces in XML 1.0 §2.1).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct ExpandedName<'a> {
    ns: Option<&'a str>,
    name: &'a str,
}

impl<'a> ExpandedName<'a> {
    pub(crate) fn name(&self) -> &'a str {
        self.name
    }
    pub(crate) fn namespace(&self) -> Option<&'a str> {
        self.ns
    }
}

/// An attribute of an element.
#[derive(Clone, Copy)]
pub(crate) struct Attribute<'a, 'i> {
    doc: &'a Document<'i>,
    a: &'a AttrData,
}

impl<'a> Attribute<'a, '_> {
    /// The qualified name as written.
    pub(crate) fn qname(&self) -> &'a str {
        self.doc.src(self.a.name)
    }
    pub(crate) fn name(&self) -> &'a str {
        self.qname().get(self.a.local_at as usize..).unwrap_or("")
    }
    pub(crate) fn namespace(&self) -> Option<&'a str> {
        self.doc.ns(self.a.ns)
    }
    /// The normalised value (XML 1.0 §3.3.3).
    pub(crate) fn value(&self) -> &'a str {
        self.doc.string(self.a.value)
    }
}

/// A processing instruction.
pub(crate) struct PI<'a> {
    pub(crate) target: &'a str,
    pub(crate) value: Option<&'a str>,
}

/// What [`Node::attribute`] looks up: a local name in no namespace, or `(namespace, local name)`.
pub(crate) trait AttrKey {
    fn matches(&self, ns: Option<&str>, local: &str) -> bool;
}

impl AttrKey for &str {
    fn matches(&self, ns: Option<&str>, local: &str) -> bool {
        ns.is_none() && local == *self
    }
}

impl AttrKey for (&str, &str) {
    fn matches(&self, ns: Option<&str>, local: &str) -> bool {
        ns == Some(self.0) && local == self.1
    }
}

impl<'i> Document<'i> {
    /// Parses `text` (line ends already normalised) under the crate's limits.
    pub(crate) fn parse(text: &'i str) -> Result<Document<'i>, Error> {
        Parser::new(text)?.run()
    }

    pub(crate) fn root(&self) -> Node<'_, 'i> {
        self.node(0)
    }

    /// The document element (the parser guarantees there is one).
    pub(crate) fn root_element(&self) -> Node<'_, 'i> {
        let root = self.root();
        root.children().find(|c| c.is_element()).unwrap_or(root)
    }

    /// Every node in document order, the root first.
    pub(crate) fn descendants(&self) -> impl Iterator<Item = Node<'_, 'i>> + '_ {
        self.root().descendants()
    }

    fn node(&self, id: u32) -> Node<'_, 'i> {
        // Ids come from the tree itself; index 0 (the root) always exists.
        let d = self.nodes.get(id as usize).or_else(|| self.nodes.first()).unwrap_or(&ROOT_PLACEHOLDER);
        Node { doc: self, id, d }
    }

    fn get(&self, id: u32) -> Option<Node<'_, 'i>> {
        (id != NONE).then(|| self.node(id))
    }

    fn src(&self, r: (u32, u32)) -> &'i str {
        self.text.get(r.0 as usize..r.1 as usize).unwrap_or("")
    }

    fn string(&self, s: Str) -> &str {
        match s {
            Str::Src(a, b) => self.src((a, b)),
            Str::Own(i) => self.owned.get(i as usize).map_or("", String::as_str),
        }
    }

    fn ns(&self, i: u32) -> Option<&str> {
        if i == NONE {
            None
        } else {
            self.namespaces.get(i as usize).map(|c| c.as_ref())
        }
    }
}

static ROOT_PLACEHOLDER: NodeData = NodeData {
    kind: NodeType::Root,
    verbatim: false,
    parent: NONE,
    prev_sibling: NONE,
    next_sibling: NONE,
    first_child: NONE,
    last_child: NONE,
    subtree_end: 1,
    range: (0, 0),
    name: (0, 0),
    local_at: 0,
    ns: NONE,
    attrs: (0, 0),
    value: Str::Src(0, 0),
};

impl<'a, 'i> Node<'a, 'i> {
    pub(crate) fn id(&self) -> NodeId {
        NodeId(self.id)
    }
    pub(crate) fn node_type(&self) -> NodeType {
        self.d.kind
    }
    pub(crate) fn is_element(&self) -> bool {
        self.d.kind == NodeType::Element
    }
    pub(crate) fn is_text(&self) -> bool {
        self.d.kind == NodeType::Text
    }
    pub(crate) fn is_pi(&self) -> bool {
        self.d.kind == NodeType::PI
    }
    pub(crate) fn document(&self) -> &'a Document<'i> {
        self.doc
    }
    /// The source range of the node.
    #[cfg(test)]
    pub(crate) fn range(&self) -> std::ops::Range<usize> {
        self.d.range.0 as usize..self.d.range.1 as usize
    }

    /// An element's qualified name as written ("" for other nodes).
    pub(crate) fn qname(&self) -> &'i str {
        if self.is_element() {
            self.doc.src(self.d.name)
        } else {
            ""
        }
    }

    /// An element's expanded name (empty for other nodes).
    pub(crate) fn tag_name(&self) -> ExpandedName<'a> {
        let q = self.qname();
        ExpandedName { ns: self.doc.ns(self.d.ns), name: q.get(self.d.local_at as usize..).unwrap_or("") }
    }

    pub(crate) fn attributes(&self) -> impl Iterator<Item = Attribute<'a, 'i>> + 'a {
        let doc = self.doc;
        let (a, b) = if self.is_element() { self.d.attrs } else { (0, 0) };
        doc.attrs.get(a as usize..b as usize).unwrap_or(&[]).iter().map(move |a| Attribute { doc, a })
    }

    /// The value of an attribute: `"name"` (no namespace) or `(namespace, "name")`.
    pub(crate) fn attribute(&self, key: impl AttrKey) -> Option<&'a str> {
        self.attributes().find(|a| key.matches(a.namespace(), a.name())).map(|a| a.value())
    }

    /// A text or comment node's text; an element's first child's text when that is a text node
    /// (roxmltree's rule).
    pub(crate) fn text(&self) -> Option<&'a str> {
        match self.d.kind {
            NodeType::Text | NodeType::Comment => Some(self.doc.string(self.d.value)),
            NodeType::Element => self.first_child().filter(|c| c.is_text()).map(|c| c.doc.string(c.d.value)),
            _ => None,
        }
    }

    /// Whether the element's source text (from its `<` to the end of its end tag) is exactly
    /// its canonical form (Canonical XML 1.0 §2.3) in any context that has already rendered its
    /// prefix with its namespace: start and end tags written `<qname>` and `</qname>` (no
    /// attribute, namespace declaration or whitespace, not an empty-element tag), and nothing
    /// inside but text as written without `>` (so nothing to escape) and elements of the same
    /// prefix and namespace that are verbatim themselves; no comment, PI, reference or CDATA
    /// section. Exclusive c14n then writes the whole subtree in one piece.
    pub(crate) fn is_verbatim(&self) -> bool {
        self.d.verbatim
    }

    /// The node's source text.
    pub(crate) fn source(&self) -> &'i str {
        self.doc.src(self.d.range)
    }

    /// Whether `id` is this node or one of its descendants.
    pub(crate) fn contains(&self, id: NodeId) -> bool {
        (self.id..self.d.subtree_end).contains(&id.0)
    }

    /// A text node's text when it is exactly a range of the input (no reference or CDATA
    /// section in it), so it holds no `&`, `<` or carriage return.
    pub(crate) fn source_text(&self) -> Option<&'a str> {
        match (self.d.kind, self.d.value) {
            (NodeType::Text, Str::Src(a, b)) => Some(self.doc.src((a, b))),
            _ => None,
        }
    }

    pub(crate) fn pi(&self) -> Option<PI<'a>> {
        if !self.is_pi() {
            return None;
        }
        let value = self.doc.string(self.d.value);
        let range_empty = matches!(self.d.value, Str::Src(a, b) if a == b);
        Some(PI { target: self.doc.src(self.d.name), value: (!range_empty).then_some(value) })
    }

    pub(crate) fn parent(&self) -> Option<Node<'a, 'i>> {
        self.doc.get(self.d.parent)
    }
    fn first_child(&self) -> Option<Node<'a, 'i>> {
        self.doc.get(self.d.first_child)
    }

    pub(crate) fn children(&self) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
        let doc = self.doc;
        std::iter::successors(self.first_child(), move |n| doc.get(n.d.next_sibling))
    }

    /// This node and its ancestors, innermost first.
    pub(crate) fn ancestors(&self) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
        let doc = self.doc;
        std::iter::successors(Some(*self), move |n| doc.get(n.d.parent))
    }

    /// This node and its previous siblings, nearest first.
    pub(crate) fn prev_siblings(&self) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
        let doc = self.doc;
        std::iter::successors(Some(*self), move |n| doc.get(n.d.prev_sibling))
    }

    /// This node and its descendants in document order.
    pub(crate) fn descendants(&self) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
        let doc = self.doc;
        (self.id..self.d.subtree_end).map(move |i| doc.node(i))
    }
}

// ---------------------------------------------------------------------------------------------
// The parser.

/// One open element.
struct Open {
    node: u32,
    name: (u32, u32),
    /// Length of the namespace scope when the element opened.
    scope_mark: usize,
    /// The start tag is exactly `<qname>` (no attribute, declaration or whitespace).
    plain_start: bool,
    /// Every child so far keeps the element verbatim (see [`Node::is_verbatim`]).
    uniform: bool,
}

/// An attribute as read, before namespaces are resolved.
struct RawAttr {
    name: (u32, u32),
    colon: Option<u32>,
    value: Str,
}

struct Parser<'i> {
    text: &'i str,
    b: &'i [u8],
    pos: usize,
    doc: Document<'i>,
    /// In-scope namespace declarations, innermost last: (prefix, namespace index or NONE for
    /// `xmlns=""`).
    scope: Vec<(&'i str, u32)>,
    open: Vec<Open>,
    /// Where the declarations of the tag being read start in `scope`.
    tag_scope: usize,
    raw: Vec<RawAttr>,
    /// The text node being accumulated: (start, end) of its source, and its owned form once a
    /// reference or a second piece made one necessary.
    text_start: Option<usize>,
    text_end: usize,
    text_owned: Option<String>,
    /// The text being accumulated holds a '>'.
    text_gt: bool,
}

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

/// ASCII bytes that are XML 1.0 §2.3 NameChars, ':' excepted (QNames are split on it).
static ASCII_NAME_CHAR: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.';
        c += 1;
    }
    t
};

/// XML 1.0 §2.3 NameStartChar (without ':' — names are read as QNames, Namespaces §3).
fn is_name_start(c: char) -> bool {
    matches!(c, 'A'..='Z' | 'a'..='z' | '_'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}' | '\u{370}'..='\u{37D}'
        | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}'
        | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}'
        | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

/// XML 1.0 §2.3 NameChar (without ':').
fn is_name_char(c: char) -> bool {
    is_name_start(c) || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// XML 1.0 §2.2 Char, for a character produced by a reference.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// XML 1.0 §2.2: the whole text holds only `Char`s (and no carriage return, see below). `&str` rules out surrogates and values over
/// U+10FFFF; what remains are C0 controls and U+FFFE/U+FFFF (UTF-8 `EF BF BE`/`EF BF BF`).
fn check_chars(b: &[u8]) -> Result<(), usize> {
    // Branch-free per chunk so that it vectorises; the position is found only on failure.
    // A carriage return is a `Char`, but the caller normalises line ends first (XML 1.0 §2.11):
    // one left in the text means that was skipped, and the tree would differ from the document's.
    let bad = |c: &u8| *c < 0x20 && !matches!(*c, b'\t' | b'\n');
    let any_bad = b.chunks(4096).any(|chunk| chunk.iter().fold(false, |acc, c| acc | bad(c)));
    if any_bad {
        return Err(b.iter().position(bad).unwrap_or(0));
    }
    for p in memchr::memmem::find_iter(b, b"\xEF\xBF") {
        if matches!(b.get(p + 2), Some(0xBE | 0xBF)) {
            return Err(p);
        }
    }
    Ok(())
}

impl<'i> Parser<'i> {
    fn new(text: &'i str) -> Result<Parser<'i>, Error> {
        if text.len() >= NONE as usize {
            return Err(Error::TooLarge { size: text.len(), limit: limits::MAX_LIST_BYTES });
        }
        let b = text.as_bytes();
        let mut p = Parser {
            text,
            b,
            pos: 0,
            doc: Document {
                text,
                nodes: Vec::with_capacity(text.len() / 64 + 16),
                attrs: Vec::with_capacity(text.len() / 512 + 16),
                namespaces: vec![Cow::Borrowed(XML_NS)],
                owned: Vec::new(),
            },
            scope: Vec::new(),
            open: Vec::new(),
            tag_scope: 0,
            raw: Vec::new(),
            text_start: None,
            text_end: 0,
            text_owned: None,
            text_gt: false,
        };
        if let Err(at) = check_chars(b) {
            return Err(p.err_at(at, "a character XML does not allow (XML 1.0 §2.2)"));
        }
        p.doc.nodes.push(NodeData { subtree_end: 1, ..ROOT_PLACEHOLDER });
        Ok(p)
    }

    // --- errors

    fn err_at(&self, at: usize, what: &str) -> Error {
        let before = self.b.get(..at.min(self.b.len())).unwrap_or(&[]);
        let line = memchr::memchr_iter(b'\n', before).count() + 1;
        let col = before.len() - memchr::memrchr(b'\n', before).map_or(0, |p| p + 1) + 1;
        Error::Xml(format!("{what} at {line}:{col}"))
    }

    fn err(&self, what: &str) -> Error {
        self.err_at(self.pos, what)
    }

    // --- cursor helpers

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn starts_with(&self, s: &[u8]) -> bool {
        self.b.get(self.pos..).is_some_and(|r| r.starts_with(s))
    }

    fn skip_ws(&mut self) -> bool {
        let start = self.pos;
        while self.peek().is_some_and(is_ws) {
            self.pos += 1;
        }
        self.pos > start
    }

    fn expect(&mut self, s: &[u8], what: &str) -> Result<(), Error> {
        if self.starts_with(s) {
            self.pos += s.len();
            Ok(())
        } else {
            Err(self.err(what))
        }
    }

    /// Position of the next `pat` at or after the cursor.
    fn find(&self, pat: &[u8]) -> Option<usize> {
        self.b.get(self.pos..).and_then(|r| memchr::memmem::find(r, pat)).map(|p| self.pos + p)
    }

    /// Moves past XML 1.0 §2.3 NameChars (':' among them when `colon`).
    fn skip_name_chars(&mut self, colon: bool) {
        loop {
            match self.peek() {
                Some(c) if ASCII_NAME_CHAR[usize::from(c)] || (colon && c == b':') => self.pos += 1,
                Some(c) if c >= 0x80 => {
                    match self.text.get(self.pos..).and_then(|r| r.chars().next()).filter(|ch| is_name_char(*ch)) {
                        Some(ch) => self.pos += ch.len_utf8(),
                        None => return,
                    }
                }
                _ => return,
            }
        }
    }

    /// Reads a QName (Namespaces §3 over XML 1.0 §2.3): returns its range and the colon's offset.
    fn qname(&mut self) -> Result<((u32, u32), Option<u32>), Error> {
        let start = self.pos;
        let mut colon: Option<usize> = None;
        loop {
            self.skip_name_chars(false);
            match self.peek() {
                Some(b':') if colon.is_none() && self.pos > start => {
                    colon = Some(self.pos);
                    self.pos += 1;
                }
                Some(b':') => return Err(self.err("a name with an empty or second prefix (Namespaces in XML §3)")),
                _ => break,
            }
        }
        // Each part (prefix, local part) starts with a NameStartChar.
        let starts_ok = |at: usize| {
            self.text.get(at..self.pos).and_then(|r| r.chars().next()).is_some_and(|c| c != ':' && is_name_start(c))
        };
        if self.pos == start || !starts_ok(start) {
            self.pos = start;
            return Err(self.err("a name was expected (XML 1.0 §2.3)"));
        }
        if let Some(c) = colon {
            if !starts_ok(c + 1) {
                return Err(self.err("a name with an empty local part (Namespaces in XML §3)"));
            }
        }
        Ok(((start as u32, self.pos as u32), colon.map(|c| (c - start) as u32)))
    }

    // --- tree building

    fn push_node(&mut self, mut n: NodeData) -> Result<u32, Error> {
        let id = self.doc.nodes.len() as u32;
        if id >= limits::MAX_NODES {
            return Err(Error::TooManyNodes { limit: limits::MAX_NODES });
        }
        let parent = self.open.last().map_or(0, |o| o.node);
        n.parent = parent;
        n.subtree_end = id + 1;
        if let Some(p) = self.doc.nodes.get_mut(parent as usize) {
            n.prev_sibling = p.last_child;
            if p.first_child == NONE {
                p.first_child = id;
            }
            let prev = p.last_child;
            p.last_child = id;
            if let Some(s) = self.doc.nodes.get_mut(prev as usize) {
                s.next_sibling = id;
            }
        }
        self.doc.nodes.push(n);
        Ok(id)
    }

    fn leaf(kind: NodeType, range: (u32, u32), name: (u32, u32), value: Str) -> NodeData {
        NodeData { kind, range, name, value, ..ROOT_PLACEHOLDER }
    }

    fn own(&mut self, s: String) -> Str {
        self.doc.owned.push(s);
        Str::Own((self.doc.owned.len() - 1) as u32)
    }

    /// Ends the text node being accumulated, if any.
    fn flush_text(&mut self) -> Result<(), Error> {
        let Some(start) = self.text_start.take() else { return Ok(()) };
        let end = self.text_end;
        let value = match self.text_owned.take() {
            Some(s) => {
                self.not_uniform();
                self.own(s)
            }
            None => {
                // Text as written holds no '&', '<' or CR; a '>' is escaped canonically.
                if self.text_gt {
                    self.not_uniform();
                }
                Str::Src(start as u32, end as u32)
            }
        };
        self.text_gt = false;
        self.push_node(Self::leaf(NodeType::Text, (start as u32, end as u32), (0, 0), value))?;
        Ok(())
    }

    /// Adds a piece to the current text node: the source range `from..to`, or a replacement for
    /// it (a reference's character, a CDATA section's content).
    fn add_text(&mut self, from: usize, to: usize, replacement: Option<&str>) {
        let contiguous_raw = replacement.is_none() && self.text_owned.is_none();
        match self.text_start {
            None if replacement.is_none() => self.text_start = Some(from),
            Some(_) if contiguous_raw && from == self.text_end => {}
            None => {
                self.text_start = Some(from);
                self.text_owned = Some(String::new());
            }
            Some(start) => {
                if self.text_owned.is_none() {
                    // The node's text is no longer one source range.
                    self.text_owned = Some(self.text.get(start..self.text_end).unwrap_or("").to_string());
                }
            }
        }
        if let Some(s) = self.text_owned.as_mut() {
            s.push_str(replacement.unwrap_or_else(|| self.text.get(from..to).unwrap_or("")));
        }
        self.text_end = to;
    }

    /// Reads a reference at the cursor (`&...;`, XML 1.0 §4.1) and returns its replacement.
    fn reference(&mut self) -> Result<char, Error> {
        let start = self.pos;
        let Some(semi) = self.b.get(start..).and_then(|r| memchr::memchr(b';', r)) else {
            return Err(self.err("an unterminated reference (XML 1.0 §4.1)"));
        };
        let body = self.text.get(start + 1..start + semi).unwrap_or("");
        let c = if let Some(num) = body.strip_prefix('#') {
            let v = match num.strip_prefix('x') {
                Some(hex) if !hex.is_empty() && hex.bytes().all(|c| c.is_ascii_hexdigit()) => {
                    u32::from_str_radix(hex, 16).ok()
                }
                None if !num.is_empty() && num.bytes().all(|c| c.is_ascii_digit()) => num.parse::<u32>().ok(),
                _ => None,
            };
            match v.and_then(char::from_u32).filter(|c| is_xml_char(*c)) {
                Some(c) => c,
                None => return Err(self.err("a character reference to a character XML does not allow (XML 1.0 §4.1)")),
            }
        } else {
            match body {
                "lt" => '<',
                "gt" => '>',
                "amp" => '&',
                "apos" => '\'',
                "quot" => '"',
                _ => return Err(self.err("a reference to an undeclared entity (XML 1.0 §4.1, no DTD)")),
            }
        };
        self.pos = start + semi + 1;
        Ok(c)
    }

    fn run(mut self) -> Result<Document<'i>, Error> {
        self.prolog()?;
        self.element_tree()?;
        self.misc(false)?;
        if self.pos < self.b.len() {
            return Err(self.err("content after the document element (XML 1.0 §2.1)"));
        }
        let count = self.doc.nodes.len() as u32;
        if let Some(root) = self.doc.nodes.first_mut() {
            root.subtree_end = count;
            root.range = (0, self.b.len() as u32);
        }
        Ok(self.doc)
    }

    /// The XML declaration (§2.8) if present, then Misc* up to the document element.
    fn prolog(&mut self) -> Result<(), Error> {
        if self.starts_with(b"<?xml") && self.b.get(5).is_some_and(|c| is_ws(*c)) {
            self.pos = 5;
            self.xml_decl()?;
        }
        self.misc(true)?;
        if self.peek() != Some(b'<') {
            return Err(self.err("no document element (XML 1.0 §2.1)"));
        }
        Ok(())
    }

    /// `version` (1.x), then optional `encoding` (EncName) and `standalone` (yes|no), then `?>`.
    fn xml_decl(&mut self) -> Result<(), Error> {
        let mut seen = 0;
        loop {
            let ws = self.skip_ws();
            if self.starts_with(b"?>") {
                self.pos += 2;
                break;
            }
            if !ws {
                return Err(self.err("a malformed XML declaration (XML 1.0 §2.8)"));
            }
            let (name, _) = self.qname()?;
            let name = self.doc.src(name);
            self.skip_ws();
            self.expect(b"=", "'=' expected in the XML declaration (XML 1.0 §2.8)")?;
            self.skip_ws();
            let q = self.peek().filter(|c| matches!(c, b'"' | b'\''));
            let Some(q) = q else { return Err(self.err("a quoted value expected (XML 1.0 §2.8)")) };
            self.pos += 1;
            let Some(end) = self.b.get(self.pos..).and_then(|r| memchr::memchr(q, r)).map(|p| self.pos + p) else {
                return Err(self.err("an unterminated value in the XML declaration (XML 1.0 §2.8)"));
            };
            let value = self.text.get(self.pos..end).unwrap_or("");
            let order = match name {
                "version" => 1,
                "encoding" => 2,
                "standalone" => 3,
                _ => 0,
            };
            let valid = match order {
                1 => value.strip_prefix("1.").is_some_and(|d| !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit())),
                2 => {
                    value.bytes().next().is_some_and(|c| c.is_ascii_alphabetic())
                        && value.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
                }
                3 => matches!(value, "yes" | "no"),
                _ => false,
            };
            if !valid || order <= seen || (seen == 0 && order != 1) {
                return Err(self.err_at(end, "a malformed XML declaration (XML 1.0 §2.8)"));
            }
            seen = order;
            self.pos = end + 1;
        }
        if seen == 0 {
            return Err(self.err("an XML declaration without a version (XML 1.0 §2.8)"));
        }
        Ok(())
    }

    /// Misc* (§2.8): comments, PIs and whitespace outside the document element.
    fn misc(&mut self, before: bool) -> Result<(), Error> {
        loop {
            self.skip_ws();
            if self.starts_with(b"<!--") {
                self.comment()?;
            } else if self.starts_with(b"<?") {
                self.pi()?;
            } else if self.starts_with(b"<!DOCTYPE") {
                return Err(Error::Dtd { offset: self.pos });
            } else if (before && self.starts_with(b"<") && !self.starts_with(b"<!")) || self.pos >= self.b.len() {
                return Ok(());
            } else {
                return Err(self.err(if before {
                    "text or markup before the document element (XML 1.0 §2.8)"
                } else {
                    "content after the document element (XML 1.0 §2.1)"
                }));
            }
        }
    }

    /// A comment (§2.5) at the cursor.
    fn comment(&mut self) -> Result<(), Error> {
        let start = self.pos;
        self.pos += 4;
        let Some(dd) = self.find(b"--") else { return Err(self.err("an unterminated comment (XML 1.0 §2.5)")) };
        if self.b.get(dd + 2) != Some(&b'>') {
            return Err(self.err_at(dd, "'--' inside a comment (XML 1.0 §2.5)"));
        }
        self.flush_text()?;
        self.not_uniform();
        let node =
            Self::leaf(NodeType::Comment, (start as u32, dd as u32 + 3), (0, 0), Str::Src(self.pos as u32, dd as u32));
        self.push_node(node)?;
        self.pos = dd + 3;
        Ok(())
    }

    /// A processing instruction (§2.6) at the cursor.
    fn pi(&mut self) -> Result<(), Error> {
        let start = self.pos;
        self.pos += 2;
        // PITarget is a Name (XML 1.0 §2.6), which may hold colons; Namespaces in XML §7 then
        // forbids any. Read as a name, so that a colon anywhere is reported as that.
        let from = self.pos;
        self.skip_name_chars(true);
        let t = self.text.get(from..self.pos).unwrap_or("");
        if t.contains(':') {
            return Err(self.err("a PI target with a colon (Namespaces in XML §7)"));
        }
        if !t.chars().next().is_some_and(is_name_start) {
            self.pos = from;
            return Err(self.err("a name was expected (XML 1.0 §2.3)"));
        }
        let target = (from as u32, self.pos as u32);
        if t.eq_ignore_ascii_case("xml") {
            return Err(self.err("an XML declaration that is not at the start (XML 1.0 §2.8)"));
        }
        let value = if self.starts_with(b"?>") {
            Str::Src(self.pos as u32, self.pos as u32)
        } else {
            if !self.skip_ws() {
                return Err(self.err("whitespace expected after a PI target (XML 1.0 §2.6)"));
            }
            let Some(end) = self.find(b"?>") else { return Err(self.err("an unterminated PI (XML 1.0 §2.6)")) };
            let v = Str::Src(self.pos as u32, end as u32);
            self.pos = end;
            v
        };
        self.pos += 2;
        self.flush_text()?;
        self.not_uniform();
        self.push_node(Self::leaf(NodeType::PI, (start as u32, self.pos as u32), target, value))?;
        Ok(())
    }

    /// The document element and everything in it, iteratively.
    fn element_tree(&mut self) -> Result<(), Error> {
        self.start_tag()?;
        while !self.open.is_empty() {
            // Character data up to the next markup, reference or '>'.
            let rest = self.b.get(self.pos..).unwrap_or(&[]);
            let Some(k) = memchr::memchr3(b'<', b'&', b'>', rest) else {
                return Err(self.err_at(self.b.len(), "the document ends inside an element (XML 1.0 §2.1)"));
            };
            if k > 0 {
                self.add_text(self.pos, self.pos + k, None);
                self.pos += k;
            }
            match self.peek() {
                Some(b'>') => {
                    // The two characters before it belong to this run of character data when
                    // k >= 2 (a run starts after markup, a reference or a '>').
                    if k >= 2 && self.b.get(self.pos - 2..self.pos) == Some(b"]]") {
                        self.pos -= 2;
                        return Err(self.err("']]>' in character data (XML 1.0 §2.4)"));
                    }
                    self.text_gt = true;
                    self.add_text(self.pos, self.pos + 1, None);
                    self.pos += 1;
                }
                Some(b'&') => {
                    let from = self.pos;
                    let c = self.reference()?;
                    let mut buf = [0u8; 4];
                    let s: &str = c.encode_utf8(&mut buf);
                    self.add_text(from, self.pos, Some(s));
                }
                _ => {
                    if self.starts_with(b"</") {
                        self.end_tag()?;
                    } else if self.starts_with(b"<!--") {
                        self.comment()?;
                    } else if self.starts_with(b"<![CDATA[") {
                        let from = self.pos;
                        self.pos += 9;
                        let Some(end) = self.find(b"]]>") else {
                            return Err(self.err("an unterminated CDATA section (XML 1.0 §2.7)"));
                        };
                        // CDATA is text as written: kept as a replacement so the node owns it.
                        let data = self.text.get(self.pos..end).unwrap_or("");
                        self.add_text(from, end + 3, Some(data));
                        self.pos = end + 3;
                    } else if self.starts_with(b"<?") {
                        self.pi()?;
                    } else if self.starts_with(b"<!DOCTYPE") {
                        return Err(Error::Dtd { offset: self.pos });
                    } else if self.starts_with(b"<!") {
                        return Err(self.err("unknown markup declaration (XML 1.0 §3)"));
                    } else {
                        self.start_tag()?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Looks up a prefix in scope (`xml` is predefined); `None` when undeclared.
    fn resolve(&self, prefix: &str) -> Option<u32> {
        if prefix == "xml" {
            return Some(0);
        }
        self.scope.iter().rev().find(|(p, _)| *p == prefix).map(|(_, ns)| *ns)
    }

    /// A start tag or empty-element tag (XML 1.0 §3.1) at the cursor.
    fn start_tag(&mut self) -> Result<(), Error> {
        self.flush_text()?;
        let start = self.pos;
        self.pos += 1;
        let (name, colon) = self.qname()?;
        let scope_mark = self.scope.len();
        self.tag_scope = scope_mark;
        self.raw.clear();
        let mut count = 0usize;
        let empty = loop {
            let ws = self.skip_ws();
            match self.peek() {
                Some(b'>') => {
                    self.pos += 1;
                    break false;
                }
                Some(b'/') => {
                    self.expect(b"/>", "'/>' expected (XML 1.0 §3.1)")?;
                    break true;
                }
                None => return Err(self.err("the document ends inside a tag (XML 1.0 §3.1)")),
                _ => {}
            }
            if !ws {
                return Err(self.err("whitespace expected before an attribute (XML 1.0 §3.1)"));
            }
            count += 1;
            if count > limits::MAX_ATTRIBUTES {
                return Err(Error::TooManyAttributes { limit: limits::MAX_ATTRIBUTES });
            }
            self.attribute()?;
        };
        // Namespaces §6.2: the element's prefix (or the default namespace).
        let qn = self.doc.src(name);
        let ns = match colon {
            Some(c) => {
                let prefix = qn.get(..c as usize).unwrap_or("");
                if prefix == "xmlns" {
                    return Err(self.err_at(start, "an element with the prefix xmlns (Namespaces in XML §3)"));
                }
                match self.resolve(prefix) {
                    Some(ns) => ns,
                    None => return Err(self.err_at(start, "an undeclared namespace prefix (Namespaces in XML §5.1)")),
                }
            }
            None => self.resolve("").unwrap_or(NONE),
        };
        // Attributes: namespaces resolved (§6.3: unprefixed ones are in no namespace), then
        // uniqueness by qualified and by expanded name (XML 1.0 §3.1, Namespaces §6.3).
        let first_attr = self.doc.attrs.len();
        for i in 0..self.raw.len() {
            let Some(ra) = self.raw.get(i) else { break };
            let (aname, acolon, avalue) = (ra.name, ra.colon, ra.value);
            let aq = self.doc.src(aname);
            let ans = match acolon {
                Some(c) => match self.resolve(aq.get(..c as usize).unwrap_or("")) {
                    Some(ns) if ns != NONE => ns,
                    _ => return Err(self.err_at(start, "an undeclared namespace prefix (Namespaces in XML §5.1)")),
                },
                None => NONE,
            };
            let local_at = acolon.map_or(0, |c| c + 1);
            let local = aq.get(local_at as usize..).unwrap_or("");
            let dup = self.doc.attrs.get(first_attr..).unwrap_or(&[]).iter().any(|o| {
                let oq = self.doc.src(o.name);
                oq == aq || (ans != NONE && oq.get(o.local_at as usize..) == Some(local) && self.same_ns(o.ns, ans))
            });
            if dup {
                return Err(self.err_at(start, "an attribute given twice (XML 1.0 §3.1, Namespaces in XML §6.3)"));
            }
            self.doc.attrs.push(AttrData { name: aname, local_at, ns: ans, value: avalue });
        }
        // Namespace indexes are per declaration, so equal URIs declared twice have two indexes:
        // the expanded-name check above compares the strings when the indexes differ.
        let attrs = (first_attr as u32, self.doc.attrs.len() as u32);
        let node = NodeData {
            kind: NodeType::Element,
            range: (start as u32, self.pos as u32),
            name,
            local_at: colon.map_or(0, |c| c + 1),
            ns,
            attrs,
            ..ROOT_PLACEHOLDER
        };
        let plain_start = !empty
            && self.raw.is_empty()
            && self.scope.len() == scope_mark
            && self.b.get(name.1 as usize) == Some(&b'>');
        let id = self.push_node(node)?;
        if empty {
            self.scope.truncate(scope_mark);
            // Canonically `<a></a>`: the parent's source is not its canonical form.
            self.not_uniform();
        } else {
            self.open.push(Open { node: id, name, scope_mark, plain_start, uniform: true });
            if self.open.len() > limits::MAX_DEPTH {
                return Err(Error::TooDeep { depth: self.open.len(), limit: limits::MAX_DEPTH });
            }
        }
        Ok(())
    }

    /// The open element's source is no longer its canonical form.
    fn not_uniform(&mut self) {
        if let Some(o) = self.open.last_mut() {
            o.uniform = false;
        }
    }

    fn same_ns(&self, a: u32, b: u32) -> bool {
        a == b || (a != NONE && b != NONE && self.doc.ns(a) == self.doc.ns(b))
    }

    /// One attribute (XML 1.0 §3.1 `Attribute`); namespace declarations go to the scope.
    fn attribute(&mut self) -> Result<(), Error> {
        let at = self.pos;
        let (name, colon) = self.qname()?;
        self.skip_ws();
        self.expect(b"=", "'=' expected after an attribute name (XML 1.0 §3.1)")?;
        self.skip_ws();
        let Some(q) = self.peek().filter(|c| matches!(c, b'"' | b'\'')) else {
            return Err(self.err("a quoted attribute value expected (XML 1.0 §3.1)"));
        };
        self.pos += 1;
        let vstart = self.pos;
        let Some(vlen) = self.b.get(vstart..).and_then(|r| memchr::memchr(q, r)) else {
            return Err(self.err("an unterminated attribute value (XML 1.0 §3.1)"));
        };
        let vend = vstart + vlen;
        let raw = self.b.get(vstart..vend).unwrap_or(&[]);
        if memchr::memchr(b'<', raw).is_some() {
            return Err(self.err("'<' in an attribute value (XML 1.0 §3.1)"));
        }
        let value = if memchr::memchr3(b'&', b'\t', b'\n', raw).is_none() && memchr::memchr(b'\r', raw).is_none() {
            Str::Src(vstart as u32, vend as u32)
        } else {
            // §3.3.3: references replaced, each literal whitespace character a space.
            let mut s = String::with_capacity(raw.len());
            self.pos = vstart;
            while self.pos < vend {
                let rest = self.b.get(self.pos..vend).unwrap_or(&[]);
                let k = rest.iter().position(|c| matches!(c, b'&' | b'\t' | b'\n' | b'\r')).unwrap_or(rest.len());
                s.push_str(self.text.get(self.pos..self.pos + k).unwrap_or(""));
                self.pos += k;
                match self.peek() {
                    Some(b'&') if self.pos < vend => {
                        let c = self.reference()?;
                        if self.pos > vend {
                            return Err(self.err("an unterminated reference (XML 1.0 §4.1)"));
                        }
                        s.push(c);
                    }
                    Some(_) if self.pos < vend => {
                        s.push(' ');
                        self.pos += 1;
                    }
                    _ => {}
                }
            }
            self.own(s)
        };
        self.pos = vend + 1;
        let qn = self.doc.src(name);
        let decl_prefix = match colon {
            None if qn == "xmlns" => Some(""),
            Some(5) if qn.starts_with("xmlns:") => Some(qn.get(6..).unwrap_or("")),
            _ => None,
        };
        let Some(prefix) = decl_prefix else {
            self.raw.push(RawAttr { name, colon, value });
            return Ok(());
        };
        // Namespaces §3: a declaration.
        let uri = self.doc.string(value).to_string();
        if self.scope.get(self.tag_scope..).unwrap_or(&[]).iter().any(|(p, _)| *p == prefix) {
            return Err(self.err_at(at, "a namespace declared twice on one element (XML 1.0 §3.1)"));
        }
        let bad = match prefix {
            "xmlns" => true,
            "xml" => uri != XML_NS,
            "" => uri == XML_NS || uri == XMLNS_NS,
            _ => uri.is_empty() || uri == XML_NS || uri == XMLNS_NS,
        };
        if bad {
            return Err(self.err_at(at, "a reserved or empty namespace declaration (Namespaces in XML §3)"));
        }
        let idx = if uri.is_empty() {
            NONE
        } else {
            let cow = match value {
                Str::Src(a, b) => Cow::Borrowed(self.doc.src((a, b))),
                Str::Own(_) => Cow::Owned(uri),
            };
            self.doc.namespaces.push(cow);
            (self.doc.namespaces.len() - 1) as u32
        };
        self.scope.push((prefix, idx));
        Ok(())
    }

    /// An end tag (XML 1.0 §3.1 ETag) at the cursor.
    fn end_tag(&mut self) -> Result<(), Error> {
        self.flush_text()?;
        let at = self.pos;
        self.pos += 2;
        let (name, _) = self.qname()?;
        let exact_end = self.peek() == Some(b'>');
        self.skip_ws();
        self.expect(b">", "'>' expected to close an end tag (XML 1.0 §3.1)")?;
        let Some(open) = self.open.pop() else { return Err(self.err_at(at, "an end tag without a start tag")) };
        if self.doc.src(open.name) != self.doc.src(name) {
            return Err(
                self.err_at(at, "an end tag that does not match its start tag (XML 1.0 §3, Element Type Match)")
            );
        }
        self.scope.truncate(open.scope_mark);
        let end = self.doc.nodes.len() as u32;
        let verbatim = open.plain_start && exact_end && open.uniform;
        if let Some(n) = self.doc.nodes.get_mut(open.node as usize) {
            n.subtree_end = end;
            n.range.1 = self.pos as u32;
            n.verbatim = verbatim;
        }
        // The parent stays verbatim only with children that are, under the same prefix and
        // namespace (so that the context that renders one renders all).
        let keeps_parent = match self.open.last() {
            Some(parent) if parent.uniform && verbatim => {
                match (self.doc.nodes.get(open.node as usize), self.doc.nodes.get(parent.node as usize)) {
                    (Some(c), Some(p)) => {
                        let prefix = |n: &NodeData| self.doc.src((n.name.0, n.name.0 + n.local_at));
                        self.same_ns(p.ns, c.ns) && prefix(p) == prefix(c)
                    }
                    _ => false,
                }
            }
            _ => false,
        };
        if !keeps_parent {
            self.not_uniform();
        }
        Ok(())
    }
}

/// Well-formedness rules this reader enforces and roxmltree 0.20 does not (found by the
/// differential tests), as they appear in the error messages.
#[cfg(any(test, feature = "oracle"))]
const STRICTER: &[&str] = &[
    // `<?xml[...?>`: roxmltree reads a PI whose target starts with "xml" past the name's end.
    "an XML declaration that is not at the start (XML 1.0 §2.8)",
    // `version='1.?0'`: roxmltree does not check VersionNum ('1.' [0-9]+).
    "a malformed XML declaration (XML 1.0 §2.8)",
    // `&#xD800;`: roxmltree accepts a reference to a surrogate (WFC: Legal Character).
    "a character reference to a character XML does not allow (XML 1.0 §4.1)",
    // `xmlns:p=""`: allowed by Namespaces 1.1 only; Namespaces 1.0 §3 says MUST NOT be empty.
    "a reserved or empty namespace declaration (Namespaces in XML §3)",
    // `<:a/>`: not a QName (Namespaces §3); roxmltree reads it as an unprefixed name.
    "a name with an empty or second prefix (Namespaces in XML §3)",
    // `<?p> v?>`: the PI target must be followed by S or `?>` (XML 1.0 §2.6).
    "whitespace expected after a PI target (XML 1.0 §2.6)",
    // `<?x:ml ...?>`: Namespaces in XML §7, no colon in a PI target.
    "a PI target with a colon (Namespaces in XML §7)",
];

/// Compares this reader with roxmltree (an independent, widely used reader) on `text` (line ends
/// already normalised): both must accept or both refuse, and accepted documents must give the
/// same tree (node kinds, expanded and qualified names, attributes and their normalised values,
/// texts, PIs). Differences that are this reader's documented policy are not disagreements: its
/// limits (depth, attributes per element), its refusal of every DOCTYPE, its refusal of a carriage
/// return left in the text, and the rules roxmltree does not enforce, listed in [`STRICTER`].
/// Used by the unit tests and by the `xml` fuzz target (feature `oracle`).
#[cfg(any(test, feature = "oracle"))]
#[doc(hidden)]
pub fn differential(text: &str) -> Result<(), String> {
    let ours = Document::parse(text);
    if roxmltree_can_take(text).is_err() {
        // Over the limits lexically: this reader must refuse it (for that or an earlier reason).
        return match ours {
            Err(_) => Ok(()),
            Ok(_) => Err("accepted here, but nested deeper or with more attributes than the limits".to_string()),
        };
    }
    let opts = roxmltree::ParsingOptions { allow_dtd: false, nodes_limit: limits::MAX_NODES };
    let theirs = roxmltree::Document::parse_with_options(text, opts);
    let (ours, theirs) = match (ours, theirs) {
        (Err(Error::TooDeep { .. } | Error::TooManyAttributes { .. } | Error::Dtd { .. }), _) => return Ok(()),
        (Err(_), _) if memchr::memchr(b'\r', text.as_bytes()).is_some() => return Ok(()),
        // roxmltree skips a byte order mark at the start of the text it is given; the caller
        // has already taken one off (xml::precheck), and a second is a character before the
        // document element (XML 1.0 §2.8, §4.3.3).
        (Err(_), Ok(_)) if text.starts_with('\u{FEFF}') => return Ok(()),
        (Err(_), Err(_)) => return Ok(()),
        (Ok(_), Err(e)) => return Err(format!("accepted here, refused by roxmltree: {e}")),
        (Err(e), Ok(_)) => {
            let msg = e.to_string();
            if STRICTER.iter().any(|s| msg.contains(s)) {
                return Ok(());
            }
            return Err(format!("refused here ({e}), accepted by roxmltree"));
        }
        (Ok(o), Ok(t)) => (o, t),
    };
    // roxmltree reads `<?xml` followed by a line feed or tab as a PI with the reserved target
    // `xml` instead of the XML declaration (XML 1.0 §2.8: any S may follow).
    if theirs.descendants().any(|n| n.pi().is_some_and(|p| p.target.eq_ignore_ascii_case("xml"))) {
        return Ok(());
    }
    let mut ours_nodes = ours.descendants();
    for t in theirs.descendants() {
        let Some(o) = ours_nodes.next() else { return Err(format!("roxmltree has more nodes, from {t:?}")) };
        let same = match t.node_type() {
            roxmltree::NodeType::Root => o.node_type() == NodeType::Root,
            roxmltree::NodeType::Element => {
                let ta: Vec<_> = t
                    .attributes()
                    .map(|a| (a.namespace(), a.name(), text.get(a.range_qname()).unwrap_or(""), a.value()))
                    .collect();
                let oa: Vec<_> = o.attributes().map(|a| (a.namespace(), a.name(), a.qname(), a.value())).collect();
                o.is_element()
                    && o.tag_name().name() == t.tag_name().name()
                    // roxmltree gives Some("") under `xmlns=""`: the same as no namespace.
                    && o.tag_name().namespace() == t.tag_name().namespace().filter(|n| !n.is_empty())
                    && ta == oa
            }
            roxmltree::NodeType::Text => o.is_text() && o.text() == t.text(),
            roxmltree::NodeType::Comment => o.node_type() == NodeType::Comment && o.text() == t.text(),
            roxmltree::NodeType::PI => {
                let (op, tp) = (o.pi(), t.pi());
                match (op, tp) {
                    (Some(op), Some(tp)) => {
                        op.target == tp.target && op.value.unwrap_or("").trim_end() == tp.value.unwrap_or("").trim_end()
                    }
                    _ => false,
                }
            }
        };
        if !same {
            return Err(format!("different nodes: ours {o:?} (text {:?}), roxmltree {t:?}", o.text()));
        }
    }
    if let Some(o) = ours_nodes.next() {
        return Err(format!("this reader has more nodes, from {o:?}"));
    }
    Ok(())
}

/// Whether roxmltree can be given `text` safely: it descends recursively (10,000 nested
/// elements overflow a 2 MiB stack) and its duplicate-attribute check is quadratic (5,000
/// attributes on one element took over a second), so the text is read lexically (tags, comments,
/// CDATA, PIs and quoted values respected) and refused as soon as the nesting exceeds
/// [`limits::MAX_DEPTH`] or one element has more than [`limits::MAX_ATTRIBUTES`] attributes.
#[cfg(any(test, feature = "oracle"))]
fn roxmltree_can_take(text: &str) -> Result<(), Error> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_tree_as_roxmltree_on_the_real_lists() {
        for (name, text) in crate::xml::shared_lists() {
            differential(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }

    /// Each case: well-formed or not, and roxmltree must agree.
    #[test]
    fn well_formedness_agrees_with_roxmltree() {
        let cases: &[(&str, bool)] = &[
            ("<a/>", true),
            ("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><a/>", true),
            ("<?xml version='1.0'?>\n<!-- c --><?pi x?><a/>\n<!--after-->\n", true),
            ("<a x='1' y=\"2\"/>", true),
            ("<a x='&lt;&#65;&#x42;&amp;&quot;&apos;&gt;'/>", true),
            ("<a x='t\tu\nv'/>", true),
            ("<a x='&#9;&#10;&#13;'/>", true),
            ("<a>t&amp;u<![CDATA[<&>]]>v<!--c-->w<?p d?>x</a>", true),
            ("<a>]]</a>", true),
            ("<a>]]&gt;</a>", true),
            ("<p:a xmlns:p='urn:p' p:x='1' x='2'><b xmlns='urn:d'><c xmlns=''/></b></p:a>", true),
            ("<a xml:lang='en'/>", true),
            ("<a xmlns:xml='http://www.w3.org/XML/1998/namespace'/>", true),
            ("<é\u{00B7}:ñ xmlns:é\u{00B7}='urn:x'/>", true),
            ("<a\n  x = '1'\n/>", true),
            ("<a></a >", true),
            ("", false),
            ("   ", false),
            ("text", false),
            ("<a>", false),
            ("<a></b>", false),
            ("<a/><b/>", false),
            ("<a/>text", false),
            ("text<a/>", false),
            ("<a x='1' x='2'/>", false),
            ("<a xmlns:p='urn:p' xmlns:q='urn:p' p:x='1' q:x='2'/>", false),
            ("<a x='1'y='2'/>", false),
            ("<a x=1/>", false),
            ("<a x='<'/>", false),
            ("<a x='&unknown;'/>", false),
            ("<a>&unknown;</a>", false),
            ("<a>&#0;</a>", false),
            ("<a>&#xD800;</a>", false),
            ("<a>&#xFFFE;</a>", false),
            ("<a>&#1114112;</a>", false),
            ("<a>&amp</a>", false),
            ("<a>]]></a>", false),
            ("<a>x]]]></a>", false),
            ("<a>&amp;]]></a>", false),
            ("<a>]>]></a>", true),
            ("<a>]] ></a>", true),
            ("<a>>]]</a>", true),
            ("<a><![CDATA[x]]>]></a>", true),
            ("<a><!-- a -- b --></a>", false),
            ("<a><!-- a ---></a>", false),
            ("<a><?xml version='1.0'?></a>", false),
            ("<a/><?xml version='1.0'?>", false),
            ("<?xml version='2.0'?><a/>", false),
            ("<?xml encoding='UTF-8'?><a/>", false),
            ("<?xml version='1.0' standalone='maybe'?><a/>", false),
            ("<p:a/>", false),
            ("<a p:x='1'/>", false),
            ("<a xmlns:p=''/>", false),
            ("<a:b:c xmlns:a='urn:a'/>", false),
            ("<a><?pp://x?></a>", false),
            ("<a><?p:q v?></a>", false),
            ("<:a/>", false),
            ("<a xmlns:xmlns='urn:x'/>", false),
            ("<a xmlns:xml='urn:x'/>", false),
            ("<a xmlns:p='http://www.w3.org/XML/1998/namespace'/>", false),
            ("<1a/>", false),
            ("<a>\u{1}</a>", false),
            ("<a>\u{FFFF}</a>", false),
            ("<a><![CDATA[x</a>", false),
            ("<a><!ELEMENT x></a>", false),
            ("<a x='1' / >", false),
            ("\u{FEFF}<a/>", false),
        ];
        for (xml, ok) in cases {
            let ours = Document::parse(xml);
            assert_eq!(ours.is_ok(), *ok, "{xml:?}: {ours:?}");
            differential(xml).unwrap_or_else(|e| panic!("{xml:?}: {e}"));
        }
    }

    #[test]
    fn policy_differences_from_roxmltree() {
        // Every DOCTYPE is refused (roxmltree accepts one without an internal subset).
        assert!(matches!(Document::parse("<!DOCTYPE a><a/>"), Err(Error::Dtd { .. })));
        // Depth: iterative, so 100,000 levels are refused by policy, not by the stack.
        let deep = format!("{}{}", "<e>".repeat(100_000), "</e>".repeat(100_000));
        assert!(matches!(Document::parse(&deep), Err(Error::TooDeep { .. })));
    }

    /// Byte mutations of a signed list and of small documents: the two readers agree on each.
    #[test]
    fn mutations_agree_with_roxmltree() {
        let mut seeds: Vec<String> = vec![
            "<?xml version='1.0'?><p:a xmlns:p='urn:p' xmlns='urn:d' p:x='&amp;1'><b y=\"2\">t&#65;<![CDATA[c]]><!--k--><?pi v?></b><c/></p:a>".into(),
        ];
        if let Some((_, cy)) = crate::xml::shared_lists().into_iter().find(|(n, _)| *n == "TSL_CY.xml") {
            seeds.push(cy.chars().take(6000).collect::<String>());
        }
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        const ALPHABET: &[u8] = b"<>/='\"&;#x:!-?[] \tabp\n";
        let mut checked = 0;
        for seed in &seeds {
            for _ in 0..3000 {
                let mut bytes = seed.clone().into_bytes();
                for _ in 0..1 + next() % 3 {
                    let i = (next() as usize) % bytes.len();
                    let c = ALPHABET[(next() as usize) % ALPHABET.len()];
                    match next() % 3 {
                        0 => bytes[i] = c,
                        1 => bytes.insert(i, c),
                        _ => {
                            bytes.remove(i);
                        }
                    }
                }
                let Ok(text) = String::from_utf8(bytes) else { continue };
                differential(&text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
                checked += 1;
            }
        }
        assert!(checked > 3000);
    }
}
