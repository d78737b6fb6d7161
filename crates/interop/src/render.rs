//! Renderers of a [`Matrix`]: text, JSON, JUnit XML (one testcase per cell; gaps and leaks fail),
//! Markdown (docs/interop.md) and one self-contained HTML page.

use crate::matrix::{Cell, Class, Matrix};
use crate::Kind;
use std::fmt::Write as _;

fn grid_rows(m: &Matrix, kind: Kind) -> Vec<(&str, Vec<Option<&Cell>>)> {
    m.relying.iter().map(|b| (b.as_str(), m.issuers.iter().map(|a| m.cell(a, b, kind)).collect())).collect()
}

fn first_reason(c: &Cell) -> String {
    match c.class {
        Class::Gap => c.technical.reasons.first().cloned().unwrap_or_else(|| "partially accepted".into()),
        Class::Leak => format!(
            "accepted ({} of {} valid samples) without an instrument in force",
            c.technical.valid_accepted, c.technical.valid_samples
        ),
        Class::RecognisedAccepted => c.legal.basis.as_ref().map(|b| format!("by {}", b.instrument)).unwrap_or_default(),
        Class::Neither => String::new(),
    }
}

/// The legend of the cell labels.
pub const LEGEND: &str = "OK = recognised and accepted; GAP = recognised but rejected (interop gap); LEAK = accepted without legal basis (trust leak); - = neither";

/// Plain text: a grid per kind (rows: relying state B, columns: issuer state A), then every gap
/// and leak with its first reason.
pub fn text(m: &Matrix) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "eidtrust interop matrix at {} ({})", m.at, m.origin);
    let _ = writeln!(s, "{LEGEND}");
    for &k in &m.kinds {
        let _ = writeln!(s, "\n{} — rows: relying state, columns: issuer state", k.as_str());
        let _ = write!(s, "{:>6}", "");
        for a in &m.issuers {
            let _ = write!(s, "{:>6}", a.to_uppercase());
        }
        s.push('\n');
        for (b, row) in grid_rows(m, k) {
            let _ = write!(s, "{:>6}", b.to_uppercase());
            for c in row {
                let _ = write!(s, "{:>6}", c.map_or("", |c| c.class.label()));
            }
            s.push('\n');
        }
    }
    let flagged: Vec<&Cell> = m.cells.iter().filter(|c| matches!(c.class, Class::Gap | Class::Leak)).collect();
    if !flagged.is_empty() {
        let _ = writeln!(s, "\ngaps and leaks:");
        for c in flagged {
            let _ = writeln!(s, "  {:<28} {:<5} {}", c.id, c.class.label(), first_reason(c));
        }
    }
    let x = &m.summary;
    let _ = writeln!(
        s,
        "\n{} cells: {} recognised and accepted, {} gaps, {} leaks, {} neither{}",
        m.cells.len(),
        x.recognised_accepted,
        x.gaps,
        x.leaks,
        x.neither,
        if x.invalid_accepted > 0 {
            format!("; {} cells accepted a deliberately invalid sample", x.invalid_accepted)
        } else {
            String::new()
        }
    );
    s
}

/// One cell in full, for `eidtrust interop explain`.
pub fn explain(c: &Cell, at: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{} at {at}: {} ({})", c.id, c.class.label(), c.class.as_str());
    let _ = writeln!(s, "\nlegal: {}", if c.legal.recognised { "recognised" } else { "not recognised" });
    if let Some(b) = &c.legal.basis {
        let _ = writeln!(s, "  by {} — {}", b.instrument, b.title);
        let _ = writeln!(s, "  citation: {}", b.citation);
        let _ = writeln!(s, "  status: {}; since: {}", b.status, b.since);
        if let Some(l) = b.loa {
            let _ = writeln!(s, "  level of assurance: {l:?} or higher");
        }
        if !b.note.is_empty() {
            let _ = writeln!(s, "  {}", b.note);
        }
    }
    for k in &c.legal.considered {
        let _ = writeln!(
            s,
            "  considered {} [{}]: {}",
            k.instrument,
            if k.counted { "counted" } else { "not counted" },
            k.why
        );
    }
    let t = &c.technical;
    let _ = writeln!(
        s,
        "\ntechnical: {:?} — {} of {} valid samples accepted, {} of {} invalid samples accepted",
        t.verdict, t.valid_accepted, t.valid_samples, t.invalid_accepted, t.invalid_samples
    );
    if t.trust_sources.is_empty() {
        let _ =
            writeln!(s, "  trust sources of {} covering {}: none", c.relying.to_uppercase(), c.issuer.to_uppercase());
    } else {
        let _ = writeln!(s, "  trust sources: {}", t.trust_sources.join("; "));
    }
    for r in &t.reasons {
        let _ = writeln!(s, "  reason: {r}");
    }
    for x in &t.samples {
        let _ = writeln!(
            s,
            "  {:<34} expected {:<7} {:<8} {}{}",
            x.id,
            x.expected,
            if x.accepted { "ACCEPTED" } else { "rejected" },
            x.verdict,
            x.defect.as_ref().map(|d| format!(" ({d})")).unwrap_or_default()
        );
    }
    if let Some(i) = &c.identifier {
        let _ = writeln!(s, "\nidentifier: {} -> {}", i.issued, i.eidas);
        let _ = writeln!(s, "  {}", i.relying_rule);
    }
    let _ = writeln!(s, "\nfindings:");
    for f in &c.findings {
        let _ = writeln!(s, "  {f}");
    }
    s
}

/// Every cell with its findings, as JSON.
pub fn json(m: &Matrix) -> String {
    serde_json::to_string_pretty(m).unwrap_or_default()
}

/// The report crate's document: one case per cell; gaps and leaks fail.
pub fn document(m: &Matrix) -> report::render::Document {
    use report::render::{Case, Document, Outcome};
    let mut doc = Document::new(format!("eidtrust interop matrix at {}", m.at));
    for c in &m.cells {
        let outcome = match c.class {
            Class::Gap | Class::Leak => Outcome::Fail,
            Class::RecognisedAccepted | Class::Neither => Outcome::Pass,
        };
        let mut details = first_reason(c);
        if let Some(b) = &c.legal.basis {
            let _ = write!(details, "\nlegal basis: {} ({})", b.title, b.citation);
        }
        let case = Case::new(c.id.clone(), format!("interop.{}", c.kind.as_str()), outcome)
            .with_verdict(c.class.as_str())
            .with_findings(c.findings.clone())
            .with_details(details)
            .with_property("class", c.class.as_str())
            .with_property("legal", if c.legal.recognised { "recognised" } else { "not recognised" })
            .with_property("technical", format!("{:?}", c.technical.verdict));
        doc.cases.push(case);
    }
    doc
}

/// JUnit XML: one testcase per cell, gaps and leaks as failures.
pub fn junit(m: &Matrix) -> String {
    report::render::junit(&document(m))
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Markdown: a table per kind and the list of gaps and leaks (docs/interop.md embeds it).
pub fn markdown(m: &Matrix) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Matrix at {} ({}). {LEGEND}.", m.at, m.origin);
    for &k in &m.kinds {
        let _ = writeln!(s, "\n### {}\n", k.as_str());
        let _ = write!(s, "| relying \\ issuer |");
        for a in &m.issuers {
            let _ = write!(s, " {} |", a.to_uppercase());
        }
        s.push_str("\n|---|");
        for _ in &m.issuers {
            s.push_str("---|");
        }
        s.push('\n');
        for (b, row) in grid_rows(m, k) {
            let _ = write!(s, "| **{}** |", b.to_uppercase());
            for c in row {
                let _ = write!(s, " {} |", c.map_or("", |c| c.class.label()));
            }
            s.push('\n');
        }
    }
    let flagged: Vec<&Cell> = m.cells.iter().filter(|c| matches!(c.class, Class::Gap | Class::Leak)).collect();
    if !flagged.is_empty() {
        s.push_str("\n### Gaps and leaks\n\n| cell | class | reason |\n|---|---|---|\n");
        for c in flagged {
            let _ = writeln!(s, "| `{}` | {} | {} |", c.id, c.class.label(), md_escape(&first_reason(c)));
        }
    }
    let x = &m.summary;
    let _ = writeln!(
        s,
        "\n{} cells: {} recognised and accepted, {} gaps, {} leaks, {} neither.",
        m.cells.len(),
        x.recognised_accepted,
        x.gaps,
        x.leaks,
        x.neither
    );
    s
}

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// One self-contained HTML page: a table per kind coloured by class; each cell opens
/// (details/summary) to its legal basis, the instruments considered, the technical reasons and
/// the findings.
pub fn html(m: &Matrix) -> String {
    let mut s = String::new();
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    let _ = write!(s, "<title>eidtrust interop matrix at {}</title>", esc(&m.at));
    s.push_str(
        "<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse;margin-bottom:1.5em}\
         th,td{border:1px solid #999;padding:2px 4px;vertical-align:top;font-size:12px}\
         td.recognised-accepted{background:#c8efc8}td.gap{background:#ffd27f}td.leak{background:#ff9a9a}\
         td.neither{background:#eee}details div{max-width:28em;white-space:normal}summary{cursor:pointer;font-weight:bold}\
         .legend span{padding:2px 6px;margin-right:6px}</style></head><body>\n",
    );
    let _ = writeln!(s, "<h1>eidtrust interop matrix</h1><p>Date: {} — data: {}</p>", esc(&m.at), esc(&m.origin));
    let x = &m.summary;
    let _ = writeln!(
        s,
        "<p class=\"legend\"><span style=\"background:#c8efc8\">OK recognised and accepted ({})</span>\
         <span style=\"background:#ffd27f\">GAP recognised but rejected ({})</span>\
         <span style=\"background:#ff9a9a\">LEAK accepted without legal basis ({})</span>\
         <span style=\"background:#eee\">- neither ({})</span></p>",
        x.recognised_accepted, x.gaps, x.leaks, x.neither
    );
    for &k in &m.kinds {
        let _ = writeln!(s, "<h2>{}</h2><table><tr><th>relying \\ issuer</th>", esc(k.title()));
        for a in &m.issuers {
            let _ = write!(s, "<th>{}</th>", esc(&a.to_uppercase()));
        }
        s.push_str("</tr>\n");
        for (b, row) in grid_rows(m, k) {
            let _ = write!(s, "<tr><th>{}</th>", esc(&b.to_uppercase()));
            for c in row {
                match c {
                    None => s.push_str("<td></td>"),
                    Some(c) => {
                        let _ = write!(
                            s,
                            "<td class=\"{}\" id=\"{}\"><details><summary>{}</summary><div>",
                            c.class.as_str(),
                            esc(&c.id),
                            esc(c.class.label())
                        );
                        let _ = write!(s, "<p><b>{}</b></p>", esc(&c.id));
                        match &c.legal.basis {
                            Some(bs) => {
                                let _ = write!(
                                    s,
                                    "<p>Recognised by <b>{}</b> — {} ({}; {}; since {})</p>",
                                    esc(&bs.instrument),
                                    esc(&bs.title),
                                    esc(&bs.citation),
                                    esc(&bs.status),
                                    esc(&bs.since)
                                );
                            }
                            None => s.push_str("<p>Not recognised by any instrument in force.</p>"),
                        }
                        for k in &c.legal.considered {
                            let _ = write!(s, "<p>Considered {}: {}</p>", esc(&k.instrument), esc(&k.why));
                        }
                        let t = &c.technical;
                        let _ = write!(
                            s,
                            "<p>Technical: {:?}, {}/{} valid samples accepted, {}/{} invalid accepted.</p>",
                            t.verdict, t.valid_accepted, t.valid_samples, t.invalid_accepted, t.invalid_samples
                        );
                        for r in &t.reasons {
                            let _ = write!(s, "<p>Reason: {}</p>", esc(r));
                        }
                        if let Some(i) = &c.identifier {
                            let _ = write!(
                                s,
                                "<p>Identifier: {} → {}<br>{}</p>",
                                esc(&i.issued),
                                esc(&i.eidas),
                                esc(&i.relying_rule)
                            );
                        }
                        s.push_str("<ul>");
                        for f in &c.findings {
                            let _ =
                                write!(s, "<li>{}: {} <code>{}</code></li>", f.severity, esc(&f.message), esc(&f.id));
                        }
                        s.push_str("</ul></div></details></td>");
                    }
                }
            }
            s.push_str("</tr>\n");
        }
        s.push_str("</table>\n");
    }
    s.push_str("</body></html>\n");
    s
}
