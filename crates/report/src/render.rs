//! Renderers: one report document, many formats (text, JSON, JUnit XML, SARIF 2.1.0, one-file HTML).
//!
//! A [`Document`] is a list of [`Case`]s (a chain validation, a linted file, a conformance vector,
//! an interop cell), each with its outcome and findings. Every command that produces a report
//! builds a `Document` and hands it to one of these functions ([`text`], [`json`], [`junit`],
//! [`sarif`], [`html`], or [`render`] with a [`Format`]).
//!
//! Every string of a document may be hostile (a certificate subject, a token claim): the XML and
//! HTML renderers escape markup characters, and characters that XML 1.0 §2.2 does not allow at all
//! (C0 controls other than tab, line feed and carriage return, U+FFFE, U+FFFF) — and, for safety in
//! terminals and browsers, DEL and the C1 controls — are written as the visible text `\u{XXXX}`.
//! The text renderer does the same so that a report cannot carry terminal escape sequences.

use crate::{Finding, FindingDef, Severity};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::fmt::Write as _;

/// How a case ended, relative to what was expected of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "status", content = "reason")]
pub enum Outcome {
    /// As expected / valid / conformant.
    Pass,
    /// Not as expected / not valid / not conformant.
    Fail,
    /// Not run, with the reason.
    Skip(String),
    /// Could not be run (broken input, tool error), with the reason.
    Error(String),
}

impl Outcome {
    /// `pass`, `fail`, `skip` or `error`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Skip(_) => "skip",
            Outcome::Error(_) => "error",
        }
    }

    /// The reason of a skip or an error.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Outcome::Skip(r) | Outcome::Error(r) => Some(r),
            Outcome::Pass | Outcome::Fail => None,
        }
    }
}

/// One case of a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Case {
    /// Stable case name (a vector id, a file name, `rs->hr/qualified-esig`).
    pub name: String,
    /// A group (suite, state, file set) for JUnit classname and HTML sections.
    pub group: String,
    pub outcome: Outcome,
    /// The verdict as text (`TOTAL_PASSED`, `INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<String>,
    /// The file the case is about, for SARIF locations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    pub findings: Vec<Finding>,
    /// Free text shown under the case (expected vs actual, citations).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub details: String,
    /// Named values shown with the case, in this order (`expected` / `actual`, `defect`, `clause`).
    /// JSON and SARIF give them as an object, JUnit as `<properties>`, text and HTML as a list.
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "ordered_map")]
    pub properties: Vec<(String, String)>,
}

fn ordered_map<S: Serializer>(pairs: &[(String, String)], s: S) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(Some(pairs.len()))?;
    for (k, v) in pairs {
        m.serialize_entry(k, v)?;
    }
    m.end()
}

impl Case {
    /// A case with no verdict, file, findings, details or properties yet.
    pub fn new(name: impl Into<String>, group: impl Into<String>, outcome: Outcome) -> Case {
        Case {
            name: name.into(),
            group: group.into(),
            outcome,
            verdict: None,
            file: None,
            findings: Vec::new(),
            details: String::new(),
            properties: Vec::new(),
        }
    }
    pub fn with_verdict(mut self, verdict: impl Into<String>) -> Case {
        self.verdict = Some(verdict.into());
        self
    }
    pub fn with_file(mut self, file: impl Into<String>) -> Case {
        self.file = Some(file.into());
        self
    }
    pub fn with_findings(mut self, findings: Vec<Finding>) -> Case {
        self.findings = findings;
        self
    }
    pub fn with_details(mut self, details: impl Into<String>) -> Case {
        self.details = details.into();
        self
    }
    pub fn with_property(mut self, key: impl Into<String>, value: impl Into<String>) -> Case {
        self.properties.push((key.into(), value.into()));
        self
    }
}

/// A whole report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    /// The tool run, e.g. `eidtrust conformance run`.
    pub title: String,
    pub cases: Vec<Case>,
}

/// Number of cases per outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub total: usize,
    pub pass: usize,
    pub fail: usize,
    pub skip: usize,
    pub error: usize,
}

impl Summary {
    /// Every case passed (skips allowed, errors not).
    pub fn all_passed(&self) -> bool {
        self.fail == 0 && self.error == 0
    }
}

impl Document {
    pub fn new(title: impl Into<String>) -> Document {
        Document { title: title.into(), cases: Vec::new() }
    }

    pub fn summary(&self) -> Summary {
        summarise(self.cases.iter())
    }

    /// The groups in order of first appearance, each with its cases in document order.
    pub fn groups(&self) -> Vec<(&str, Vec<&Case>)> {
        let mut out: Vec<(&str, Vec<&Case>)> = Vec::new();
        for c in &self.cases {
            match out.iter_mut().find(|(g, _)| *g == c.group.as_str()) {
                Some((_, cases)) => cases.push(c),
                None => out.push((c.group.as_str(), vec![c])),
            }
        }
        out
    }
}

fn summarise<'a>(cases: impl Iterator<Item = &'a Case>) -> Summary {
    let mut s = Summary::default();
    for c in cases {
        s.total += 1;
        match c.outcome {
            Outcome::Pass => s.pass += 1,
            Outcome::Fail => s.fail += 1,
            Outcome::Skip(_) => s.skip += 1,
            Outcome::Error(_) => s.error += 1,
        }
    }
    s
}

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Junit,
    Sarif,
    Html,
}

/// Renders `doc` in `format`; `rules` is the finding catalogue SARIF lists (ignored otherwise).
pub fn render(doc: &Document, format: Format, rules: &[FindingDef]) -> String {
    match format {
        Format::Text => text(doc),
        Format::Json => json(doc),
        Format::Junit => junit(doc),
        Format::Sarif => sarif(doc, rules),
        Format::Html => html(doc),
    }
}

// ---------------------------------------------------------------------------------------------
// Escaping

/// A character XML 1.0 §2.2 (`Char`) does not allow, or a control we refuse to emit raw
/// (DEL, C1). Tab, line feed and carriage return are allowed.
fn is_unsafe_char(c: char) -> bool {
    match c {
        '\t' | '\n' | '\r' => false,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}' => true,
        _ => false,
    }
}

fn push_visible(out: &mut String, c: char) {
    let _ = write!(out, "\\u{{{:04X}}}", c as u32);
}

/// Text for a terminal or a plain file: unsafe characters made visible; with `one_line`, line
/// breaks and tabs too.
fn clean(s: &str, one_line: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_unsafe_char(c) || (one_line && matches!(c, '\n' | '\r' | '\t')) {
            push_visible(&mut out, c);
        } else {
            out.push(c);
        }
    }
    out
}

/// Escapes for XML/HTML character data and attribute values (either quote style): `& < > " '`
/// as entities, unsafe characters made visible. In attributes, tab, line feed and carriage
/// return become character references so that attribute-value normalisation (XML 1.0 §3.3.3)
/// keeps them.
fn esc(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' if attribute => out.push_str("&#13;"),
            c if is_unsafe_char(c) => push_visible(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

fn text_esc(s: &str) -> String {
    esc(s, false)
}

fn attr_esc(s: &str) -> String {
    esc(s, true)
}

/// A file path as a relative URI reference (RFC 3986): unreserved characters and `/` kept,
/// backslashes turned into `/`, everything else percent-encoded (UTF-8).
fn path_to_uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn finding_line(f: &Finding) -> String {
    let mut s = format!("{} [{}] {}", f.severity, f.id, f.message);
    if !f.location.is_empty() {
        let _ = write!(s, " ({})", f.location);
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Text

/// A report for people: one line per case; for cases that did not pass, the reason, the
/// properties, the details and the findings, indented; then the totals.
pub fn text(doc: &Document) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", clean(&doc.title, true));
    let _ = writeln!(out);
    for c in &doc.cases {
        let status = c.outcome.as_str().to_uppercase();
        let _ = write!(out, "{status:<5}  {}", clean(&c.name, true));
        if let Some(v) = &c.verdict {
            let _ = write!(out, "  ({})", clean(v, true));
        }
        let _ = writeln!(out);
        if c.outcome == Outcome::Pass {
            continue;
        }
        if let Some(r) = c.outcome.reason() {
            let _ = writeln!(out, "       reason: {}", clean(r, true));
        }
        for (k, v) in &c.properties {
            let _ = writeln!(out, "       {}: {}", clean(k, true), clean(v, true));
        }
        for line in c.details.lines() {
            let _ = writeln!(out, "       {}", clean(line, true));
        }
        for f in &c.findings {
            let _ = writeln!(out, "       - {}", clean(&finding_line(f), true));
        }
    }
    let s = doc.summary();
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{} cases: {} passed, {} failed, {} skipped, {} errors",
        s.total, s.pass, s.fail, s.skip, s.error
    );
    out
}

// ---------------------------------------------------------------------------------------------
// JSON

#[derive(Serialize)]
struct JsonDoc<'a> {
    title: &'a str,
    summary: Summary,
    cases: &'a [Case],
}

/// `{"title", "summary": {"total","pass","fail","skip","error"}, "cases": [Case...]}`, pretty
/// printed. A case is `{"name","group","outcome":{"status","reason"?},"verdict"?,"file"?,
/// "findings":[...],"details"?,"properties"?}`.
pub fn json(doc: &Document) -> String {
    let d = JsonDoc { title: &doc.title, summary: doc.summary(), cases: &doc.cases };
    // Serialising these types cannot fail: every map key is a string and no value is a float.
    serde_json::to_string_pretty(&d).unwrap_or_else(|e| format!("{{\"error\":{:?}}}", e.to_string()))
}

// ---------------------------------------------------------------------------------------------
// JUnit XML

/// JUnit XML as Jenkins and GitLab read it: `<testsuites>` with one `<testsuite>` per group (in
/// order of first appearance), one `<testcase name classname>` per case, `<failure>` for `Fail`,
/// `<error>` for `Error`, `<skipped>` for `Skip`; the verdict, properties, details and findings
/// go into the failure/error text and `<system-out>`.
pub fn junit(doc: &Document) -> String {
    let mut out = String::new();
    let all = doc.summary();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
        attr_esc(&doc.title),
        all.total,
        all.fail,
        all.error,
        all.skip
    );
    for (group, cases) in doc.groups() {
        let s = summarise(cases.iter().copied());
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
            attr_esc(group),
            s.total,
            s.fail,
            s.error,
            s.skip
        );
        for c in cases {
            junit_case(&mut out, c);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn case_body(c: &Case) -> String {
    let mut body = String::new();
    if let Some(v) = &c.verdict {
        let _ = writeln!(body, "verdict: {v}");
    }
    for (k, v) in &c.properties {
        let _ = writeln!(body, "{k}: {v}");
    }
    if !c.details.is_empty() {
        let _ = writeln!(body, "{}", c.details);
    }
    if !c.findings.is_empty() {
        body.push_str("findings:\n");
        for f in &c.findings {
            let _ = writeln!(body, "  {}", finding_line(f));
        }
    }
    body
}

fn junit_case(out: &mut String, c: &Case) {
    let _ = write!(out, "    <testcase name=\"{}\" classname=\"{}\"", attr_esc(&c.name), attr_esc(&c.group));
    if let Some(f) = &c.file {
        let _ = write!(out, " file=\"{}\"", attr_esc(f));
    }
    out.push_str(">\n");
    if !c.properties.is_empty() {
        out.push_str("      <properties>\n");
        for (k, v) in &c.properties {
            let _ = writeln!(out, "        <property name=\"{}\" value=\"{}\"/>", attr_esc(k), attr_esc(v));
        }
        out.push_str("      </properties>\n");
    }
    let body = case_body(c);
    match &c.outcome {
        Outcome::Pass => {}
        Outcome::Fail => {
            let msg = match c.findings.iter().filter(|f| f.severity.is_failure()).count() {
                0 => "not as expected".to_string(),
                n => format!("not as expected ({n} error findings)"),
            };
            let _ = writeln!(
                out,
                "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                attr_esc(&msg),
                attr_esc(c.verdict.as_deref().unwrap_or("fail")),
                text_esc(&body)
            );
        }
        Outcome::Error(reason) => {
            let _ = writeln!(
                out,
                "      <error message=\"{}\" type=\"error\">{}</error>",
                attr_esc(reason),
                text_esc(&body)
            );
        }
        Outcome::Skip(reason) => {
            let _ = writeln!(out, "      <skipped message=\"{}\"/>", attr_esc(reason));
        }
    }
    if !body.is_empty() {
        let _ = writeln!(out, "      <system-out>{}</system-out>", text_esc(&body));
    }
    out.push_str("    </testcase>\n");
}

// ---------------------------------------------------------------------------------------------
// SARIF 2.1.0

/// Rule id of the result SARIF gives for a case whose outcome is `Fail` (listed in
/// [`CASE_RULES`]).
pub const CASE_FAIL_RULE: &str = "report.case.not-as-expected";
/// Rule id of the result SARIF gives for a case whose outcome is `Error`.
pub const CASE_ERROR_RULE: &str = "report.case.error";

/// The two rules the SARIF renderer adds to any catalogue, so that a case that failed without
/// an error finding (say, a false accept in a conformance run) still shows up as a result.
pub static CASE_RULES: &[FindingDef] = &[
    FindingDef {
        id: CASE_FAIL_RULE,
        severity: Severity::Error,
        citation: "eidtrust report model (render::Outcome::Fail)",
        summary: "The case did not end as expected (outcome or finding ids differ).",
    },
    FindingDef {
        id: CASE_ERROR_RULE,
        severity: Severity::Error,
        citation: "eidtrust report model (render::Outcome::Error)",
        summary: "The case could not be run (unreadable input or tool error).",
    },
];

/// SARIF level of a finding severity: fatal and error → `error`, warning → `warning`; notice and
/// info give no result.
fn sarif_level(s: Severity) -> Option<&'static str> {
    match s {
        Severity::Fatal | Severity::Error => Some("error"),
        Severity::Warning => Some("warning"),
        Severity::Notice | Severity::Info => None,
    }
}

fn sarif_rule_level(s: Severity) -> &'static str {
    match s {
        Severity::Fatal | Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Notice | Severity::Info => "note",
    }
}

/// SARIF 2.1.0 (OASIS): one run whose `tool.driver.rules` are `rules` (deduplicated by id, in
/// order) followed by [`CASE_RULES`] — each with `id`, `shortDescription`, a default level and
/// `properties.citation` (no `helpUri`) — and one result per error/fatal/warning finding of every
/// case, plus one per case that failed or errored. A result has `ruleId` (and `ruleIndex` when the
/// id is in the catalogue), `level`, `message.text`, a `physicalLocation` when the finding or its
/// case names a file, a `logicalLocation` for a chain depth / ASN.1 path / JSON pointer, and
/// `properties` with the case name, group and outcome.
pub fn sarif(doc: &Document, rules: &[FindingDef]) -> String {
    use serde_json::{json, Map, Value};
    let mut defs: Vec<&FindingDef> = Vec::new();
    for d in rules.iter().chain(CASE_RULES.iter()) {
        if !defs.iter().any(|x| x.id == d.id) {
            defs.push(d);
        }
    }
    let rule_index = |id: &str| defs.iter().position(|d| d.id == id);
    let sarif_rules: Vec<Value> = defs
        .iter()
        .map(|d| {
            json!({
                "id": d.id,
                "shortDescription": {"text": d.summary},
                "defaultConfiguration": {"level": sarif_rule_level(d.severity)},
                "properties": {"citation": d.citation, "severity": d.severity.as_str()},
            })
        })
        .collect();

    let mut results: Vec<Value> = Vec::new();
    let result =
        |rule_id: &str, level: &str, message: String, file: Option<&str>, logical: Option<String>, c: &Case| {
            let mut r = Map::new();
            r.insert("ruleId".into(), json!(rule_id));
            if let Some(i) = rule_index(rule_id) {
                r.insert("ruleIndex".into(), json!(i));
            }
            r.insert("level".into(), json!(level));
            r.insert("message".into(), json!({ "text": message }));
            let mut loc = Map::new();
            if let Some(f) = file {
                loc.insert("physicalLocation".into(), json!({"artifactLocation": {"uri": path_to_uri(f)}}));
            }
            if let Some(l) = logical {
                loc.insert("logicalLocations".into(), json!([{ "fullyQualifiedName": l }]));
            }
            if !loc.is_empty() {
                r.insert("locations".into(), json!([Value::Object(loc)]));
            }
            let mut props = Map::new();
            props.insert("case".into(), json!(c.name));
            props.insert("group".into(), json!(c.group));
            props.insert("outcome".into(), json!(c.outcome.as_str()));
            if let Some(v) = &c.verdict {
                props.insert("verdict".into(), json!(v));
            }
            r.insert("properties".into(), Value::Object(props));
            Value::Object(r)
        };
    for c in &doc.cases {
        for f in &c.findings {
            let Some(level) = sarif_level(f.severity) else { continue };
            let file = f.location.file.as_deref().or(c.file.as_deref());
            let logical = {
                let mut parts = Vec::new();
                if let Some(d) = f.location.depth {
                    parts.push(format!("depth {d}"));
                }
                if let Some(p) = &f.location.path {
                    parts.push(p.clone());
                }
                (!parts.is_empty()).then(|| format!("{}: {}", c.name, parts.join(", ")))
            };
            results.push(result(&f.id, level, f.message.to_string(), file, logical, c));
        }
        let case_result = match &c.outcome {
            Outcome::Fail => Some((CASE_FAIL_RULE, format!("{}: not as expected. {}", c.name, c.details.trim()))),
            Outcome::Error(reason) => Some((CASE_ERROR_RULE, format!("{}: could not be run: {reason}", c.name))),
            Outcome::Pass | Outcome::Skip(_) => None,
        };
        if let Some((rule, msg)) = case_result {
            results.push(result(rule, "error", msg.trim().to_string(), c.file.as_deref(), None, c));
        }
    }

    let s = doc.summary();
    let doc_json = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "eidtrust",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": sarif_rules,
            }},
            "automationDetails": {"description": {"text": doc.title}},
            "results": results,
            "properties": {"summary": s},
        }],
    });
    serde_json::to_string_pretty(&doc_json).unwrap_or_else(|e| format!("{{\"error\":{:?}}}", e.to_string()))
}

// ---------------------------------------------------------------------------------------------
// HTML

const CSS: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#1b1b1b;background:#fff}\
h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.6em;border-bottom:1px solid #ccc}\
table.sum td,table.sum th{padding:.2em .8em;text-align:right}\
details{margin:.15em 0;border-left:6px solid #999;padding:.1em .6em;background:#fafafa}\
details.pass{border-color:#2e7d32}details.fail{border-color:#c62828;background:#fff5f5}\
details.skip{border-color:#9e9e9e;background:#f5f5f5}details.error{border-color:#ef6c00;background:#fff8ee}\
summary{cursor:pointer}.st{display:inline-block;min-width:3.5em;font-weight:bold;font-family:monospace}\
.pass .st,td.pass{color:#2e7d32}.fail .st,td.fail{color:#c62828}.skip .st,td.skip{color:#616161}\
.error .st,td.error{color:#ef6c00}.v{color:#555;margin-left:.6em}\
pre{white-space:pre-wrap;background:#f0f0f0;padding:.5em}\
table.f{border-collapse:collapse;margin:.4em 0}table.f td,table.f th{border:1px solid #ddd;padding:.2em .5em;vertical-align:top}\
.sev-fatal,.sev-error{color:#c62828;font-weight:bold}.sev-warning{color:#ef6c00}.sev-notice,.sev-info{color:#555}\
code{font-size:.95em}";

/// One self-contained HTML file: inline CSS, no scripts; a summary table, then one section per
/// group with every case as a `<details>` element (colour per outcome) that expands to its
/// reason, properties, details and findings. Every string is escaped.
pub fn html(doc: &Document) -> String {
    let s = doc.summary();
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    let _ = writeln!(out, "<title>{}</title>", text_esc(&doc.title));
    let _ = writeln!(out, "<style>{CSS}</style>\n</head>\n<body>");
    let _ = writeln!(out, "<h1>{}</h1>", text_esc(&doc.title));
    out.push_str("<table class=\"sum\"><tr><th>total</th><th>pass</th><th>fail</th><th>skip</th><th>error</th></tr>\n");
    let _ = writeln!(
        out,
        "<tr><td>{}</td><td class=\"pass\">{}</td><td class=\"fail\">{}</td><td class=\"skip\">{}</td><td class=\"error\">{}</td></tr></table>",
        s.total, s.pass, s.fail, s.skip, s.error
    );
    for (group, cases) in doc.groups() {
        let gs = summarise(cases.iter().copied());
        let _ = writeln!(
            out,
            "<section>\n<h2>{} <small>({} of {} passed)</small></h2>",
            text_esc(group),
            gs.pass,
            gs.total
        );
        for c in cases {
            html_case(&mut out, c);
        }
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn html_case(out: &mut String, c: &Case) {
    let class = c.outcome.as_str();
    // Failed and errored cases start open: they are what the reader looks for.
    let open = if matches!(c.outcome, Outcome::Fail | Outcome::Error(_)) { " open" } else { "" };
    let _ = write!(
        out,
        "<details class=\"{class}\"{open}><summary><span class=\"st\">{}</span> <code>{}</code>",
        class.to_uppercase(),
        text_esc(&c.name)
    );
    if let Some(v) = &c.verdict {
        let _ = write!(out, "<span class=\"v\">{}</span>", text_esc(v));
    }
    out.push_str("</summary>\n");
    if let Some(r) = c.outcome.reason() {
        let _ = writeln!(out, "<p>Reason: {}</p>", text_esc(r));
    }
    if let Some(f) = &c.file {
        let _ = writeln!(out, "<p>File: <code>{}</code></p>", text_esc(f));
    }
    if !c.properties.is_empty() {
        out.push_str("<table class=\"f\">\n");
        for (k, v) in &c.properties {
            let _ = writeln!(out, "<tr><th>{}</th><td>{}</td></tr>", text_esc(k), text_esc(v));
        }
        out.push_str("</table>\n");
    }
    if !c.details.is_empty() {
        let _ = writeln!(out, "<pre>{}</pre>", text_esc(&c.details));
    }
    if c.findings.is_empty() {
        out.push_str("<p>No findings.</p>\n");
    } else {
        out.push_str("<table class=\"f\"><tr><th>severity</th><th>id</th><th>message</th><th>location</th></tr>\n");
        for f in &c.findings {
            let _ = writeln!(
                out,
                "<tr><td class=\"sev-{0}\">{0}</td><td><code>{1}</code></td><td>{2}</td><td>{3}</td></tr>",
                f.severity.as_str(),
                text_esc(&f.id),
                text_esc(&f.message),
                text_esc(&f.location.to_string())
            );
        }
        out.push_str("</table>\n");
    }
    out.push_str("</details>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Location;

    const HOSTILE: &str = "<script>alert(\"x&y\")</script> ]]> 'q' \u{0}nul \u{1b}[31m \u{7f}";

    fn sample() -> Document {
        let mut d = Document::new("eidtrust test <run>");
        d.cases.push(
            Case::new("rs/chain/valid", "rs", Outcome::Pass)
                .with_verdict("TOTAL_PASSED")
                .with_file("test-vectors/rs/leaf/q.pem"),
        );
        d.cases.push(
            Case::new("rs/chain/bad", "rs", Outcome::Fail)
                .with_verdict("TOTAL_FAILED/SIG_CRYPTO_FAILURE")
                .with_file("test-vectors/rs/chain/bad sig.pem")
                .with_property("expected", "invalid [a.b]")
                .with_property("actual", "valid")
                .with_details("expected invalid, got valid")
                .with_findings(vec![
                    Finding::new("a.b", Severity::Error, "bad").at(Location::depth(0).with_path("tbs.signature")),
                    Finding::new("w.x", Severity::Warning, "meh"),
                    Finding::new("n.y", Severity::Notice, "fyi"),
                ]),
        );
        d.cases.push(Case::new("hr/lint/x", "hr", Outcome::Skip("profile not ready".into())));
        d.cases.push(Case::new("hr/lint/y", "hr", Outcome::Error("cannot read hr/x.pem".into())));
        d
    }

    fn hostile() -> Document {
        let mut d = Document::new(HOSTILE);
        d.cases.push(
            Case::new(HOSTILE, HOSTILE, Outcome::Fail)
                .with_verdict(HOSTILE)
                .with_file(HOSTILE)
                .with_details(HOSTILE)
                .with_property(HOSTILE, HOSTILE)
                .with_findings(vec![
                    Finding::new(HOSTILE, Severity::Fatal, HOSTILE).at(Location::path(HOSTILE).with_file(HOSTILE))
                ]),
        );
        d.cases.push(Case::new("s", HOSTILE, Outcome::Skip(HOSTILE.into())));
        d.cases.push(Case::new("e", HOSTILE, Outcome::Error(HOSTILE.into())));
        d
    }

    /// A small XML well-formedness check: balanced tags, quoted attributes, only known entities
    /// and character references, no characters XML 1.0 forbids, no `]]>` in character data.
    fn assert_well_formed_xml(xml: &str) {
        let body = xml.strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n").expect("xml declaration");
        assert!(!body.contains("]]>"), "]]> in character data");
        for c in body.chars() {
            assert!(!is_unsafe_char(c), "forbidden char {:?}", c);
        }
        let mut stack: Vec<String> = Vec::new();
        let mut rest = body;
        while let Some(i) = rest.find(['<', '&']) {
            let (text, tail) = rest.split_at(i);
            assert!(!text.contains('>'), "raw > in character data: {text}");
            if tail.starts_with('&') {
                let end = tail.find(';').expect("entity end");
                let ent = &tail[1..end];
                assert!(
                    matches!(ent, "amp" | "lt" | "gt" | "quot" | "apos")
                        || (ent.starts_with('#') && ent[1..].bytes().all(|b| b.is_ascii_digit())),
                    "unknown entity {ent}"
                );
                rest = &tail[end + 1..];
                continue;
            }
            let end = tail.find('>').expect("tag end");
            let tag = &tail[1..end];
            assert!(!tag.contains('<'), "< inside tag {tag}");
            // attribute values: quotes balanced and no raw < or &-less markup
            assert_eq!(tag.matches('"').count() % 2, 0, "unbalanced quotes in {tag}");
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop().as_deref(), Some(name), "mismatched close {name}");
            } else if !tag.ends_with('/') {
                stack.push(tag.split_whitespace().next().unwrap().to_string());
            }
            rest = &tail[end + 1..];
        }
        assert!(stack.is_empty(), "unclosed {stack:?}");
    }

    #[test]
    fn summary_and_groups() {
        let d = sample();
        let s = d.summary();
        assert_eq!((s.total, s.pass, s.fail, s.skip, s.error), (4, 1, 1, 1, 1));
        assert!(!s.all_passed());
        let g = d.groups();
        assert_eq!(g.iter().map(|(n, c)| (*n, c.len())).collect::<Vec<_>>(), vec![("rs", 2), ("hr", 2)]);
    }

    #[test]
    fn text_lists_cases_and_explains_failures() {
        let t = text(&sample());
        assert!(t.contains("PASS   rs/chain/valid  (TOTAL_PASSED)"));
        assert!(t.contains("FAIL   rs/chain/bad"));
        assert!(t.contains("expected: invalid [a.b]"));
        assert!(t.contains("- error [a.b] bad (depth 0, tbs.signature)"));
        assert!(t.contains("reason: profile not ready"));
        assert!(t.ends_with("4 cases: 1 passed, 1 failed, 1 skipped, 1 errors\n"));
    }

    #[test]
    fn text_neutralises_control_characters() {
        let t = text(&hostile());
        assert!(!t.contains('\u{1b}') && !t.contains('\u{0}') && !t.contains('\u{7f}'));
        assert!(t.contains("\\u{001B}[31m") && t.contains("\\u{0000}nul"));
    }

    #[test]
    fn json_has_summary_and_structured_cases() {
        let v: serde_json::Value = serde_json::from_str(&json(&sample())).unwrap();
        assert_eq!(v["summary"]["total"], 4);
        assert_eq!(v["summary"]["fail"], 1);
        let c = &v["cases"][1];
        assert_eq!(c["outcome"]["status"], "fail");
        assert_eq!(c["properties"]["expected"], "invalid [a.b]");
        assert_eq!(c["findings"][0]["location"]["depth"], 0);
        assert_eq!(v["cases"][2]["outcome"], serde_json::json!({"status":"skip","reason":"profile not ready"}));
        // properties keep their order
        let raw = json(&sample());
        assert!(raw.find("\"expected\"").unwrap() < raw.find("\"actual\"").unwrap());
    }

    #[test]
    fn json_round_trips_hostile_strings() {
        let v: serde_json::Value = serde_json::from_str(&json(&hostile())).unwrap();
        assert_eq!(v["title"], HOSTILE);
        assert_eq!(v["cases"][0]["findings"][0]["message"], HOSTILE);
    }

    #[test]
    fn junit_structure() {
        let x = junit(&sample());
        assert_well_formed_xml(&x);
        assert!(x.contains(
            "<testsuites name=\"eidtrust test &lt;run&gt;\" tests=\"4\" failures=\"1\" errors=\"1\" skipped=\"1\">"
        ));
        assert!(x.contains("<testsuite name=\"rs\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\">"));
        assert!(x.contains("<testcase name=\"rs/chain/bad\" classname=\"rs\""));
        assert!(x.contains(
            "<failure message=\"not as expected (1 error findings)\" type=\"TOTAL_FAILED/SIG_CRYPTO_FAILURE\">"
        ));
        assert!(x.contains("<skipped message=\"profile not ready\"/>"));
        assert!(x.contains("<error message=\"cannot read hr/x.pem\" type=\"error\">"));
        assert!(x.contains("<property name=\"expected\" value=\"invalid [a.b]\"/>"));
        // a passing case has no failure element
        let pass = &x[x.find("rs/chain/valid").unwrap()..x.find("rs/chain/bad").unwrap()];
        assert!(!pass.contains("<failure"));
    }

    #[test]
    fn junit_escapes_hostile_strings() {
        let x = junit(&hostile());
        assert_well_formed_xml(&x);
        assert!(!x.contains("<script>"));
        assert!(x.contains("&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt; ]]&gt; &#39;q&#39; \\u{0000}nul"));
        assert!(!x.contains('\u{0}') && !x.contains('\u{1b}'));
    }

    #[test]
    fn attribute_escaping_keeps_line_breaks() {
        assert_eq!(attr_esc("a\nb\tc\rd"), "a&#10;b&#9;c&#13;d");
        assert_eq!(text_esc("a\nb"), "a\nb");
        assert_eq!(text_esc("\u{fffe}\u{ffff}\u{85}"), "\\u{FFFE}\\u{FFFF}\\u{0085}");
    }

    #[test]
    fn sarif_rules_results_and_levels() {
        let rules = [
            FindingDef { id: "a.b", severity: Severity::Error, citation: "RFC 5280 §4.1.1.3", summary: "sig" },
            FindingDef { id: "w.x", severity: Severity::Warning, citation: "X §1", summary: "w" },
            FindingDef { id: "a.b", severity: Severity::Error, citation: "dup", summary: "dup" },
        ];
        let v: serde_json::Value = serde_json::from_str(&sarif(&sample(), &rules)).unwrap();
        assert_eq!(v["version"], "2.1.0");
        assert_eq!(v["runs"].as_array().unwrap().len(), 1);
        let driver = &v["runs"][0]["tool"]["driver"];
        assert_eq!(driver["name"], "eidtrust");
        let r = driver["rules"].as_array().unwrap();
        assert_eq!(r.len(), 2 + CASE_RULES.len(), "deduplicated, plus the case rules");
        assert_eq!(r[0]["id"], "a.b");
        assert_eq!(r[0]["shortDescription"]["text"], "sig");
        assert_eq!(r[0]["properties"]["citation"], "RFC 5280 §4.1.1.3");
        assert!(r[0].get("helpUri").is_none());
        let res = v["runs"][0]["results"].as_array().unwrap();
        // error + warning findings (notice dropped), the failed case, the errored case
        assert_eq!(res.len(), 4);
        assert_eq!(res[0]["ruleId"], "a.b");
        assert_eq!(res[0]["ruleIndex"], 0);
        assert_eq!(res[0]["level"], "error");
        assert_eq!(
            res[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "test-vectors/rs/chain/bad%20sig.pem"
        );
        assert_eq!(
            res[0]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
            "rs/chain/bad: depth 0, tbs.signature"
        );
        assert_eq!(res[1]["level"], "warning");
        assert_eq!(res[2]["ruleId"], CASE_FAIL_RULE);
        assert_eq!(res[2]["ruleIndex"], 2);
        assert_eq!(res[3]["ruleId"], CASE_ERROR_RULE);
        assert!(res[3].get("locations").is_none(), "no file, no location");
        assert_eq!(v["runs"][0]["properties"]["summary"]["total"], 4);
    }

    #[test]
    fn sarif_unknown_rule_has_no_index_and_hostile_strings_round_trip() {
        let v: serde_json::Value = serde_json::from_str(&sarif(&hostile(), &[])).unwrap();
        let res = v["runs"][0]["results"].as_array().unwrap();
        assert_eq!(res[0]["ruleId"], HOSTILE);
        assert!(res[0].get("ruleIndex").is_none());
        assert_eq!(res[0]["message"]["text"], HOSTILE);
        let uri = res[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.bytes().all(|b| b.is_ascii_graphic() && b != b'<' && b != b'"'), "{uri}");
    }

    #[test]
    fn html_is_self_contained_and_coloured() {
        let h = html(&sample());
        assert!(h.starts_with("<!DOCTYPE html>"));
        assert!(h.contains("<style>") && !h.contains("<script") && !h.contains("<link"));
        assert!(h.contains("<details class=\"pass\"><summary>"));
        assert!(h.contains("<details class=\"fail\" open><summary>"));
        assert!(h.contains("<details class=\"skip\">") && h.contains("<details class=\"error\" open>"));
        assert!(h.contains("<td class=\"sev-error\">error</td><td><code>a.b</code></td>"));
        assert_eq!(h.matches("<details").count(), 4);
        assert_eq!(h.matches("</details>").count(), 4);
        assert_eq!(h.matches("<section>").count(), 2);
    }

    #[test]
    fn html_escapes_hostile_strings() {
        let h = html(&hostile());
        assert!(!h.contains("<script>") && !h.contains("</script>"));
        assert!(h.contains("&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt; ]]&gt; &#39;q&#39; \\u{0000}nul"));
        assert!(!h.contains('\u{0}') && !h.contains('\u{1b}') && !h.contains('\u{7f}'));
        // every tag we emit is one of ours
        for tag in h.split('<').skip(1) {
            let name: String =
                tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '!').collect();
            assert!(
                [
                    "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "h1", "h2", "small", "table", "tr",
                    "th", "td", "section", "details", "summary", "span", "code", "p", "pre"
                ]
                .contains(&name.as_str()),
                "unexpected tag {name:?}"
            );
        }
    }

    #[test]
    fn render_dispatches() {
        let d = sample();
        assert_eq!(render(&d, Format::Text, &[]), text(&d));
        assert_eq!(render(&d, Format::Junit, &[]), junit(&d));
        assert_eq!(render(&d, Format::Html, &[]), html(&d));
        assert_eq!(render(&d, Format::Json, &[]), json(&d));
        assert_eq!(render(&d, Format::Sarif, &[]), sarif(&d, &[]));
    }
}
