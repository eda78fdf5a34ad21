//! The fleet report as one self-contained HTML page: the Markdown report's headings, tables
//! and paragraphs as HTML (so both formats always hold the same figures), with CRITICAL and WARN
//! cells coloured.

use crate::report::html::escape;

const STYLE: &str = "body{font:14px system-ui,sans-serif;margin:2em;max-width:90em}\
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .5em;\
text-align:left}th{background:#f3f3f3}.CRITICAL{background:#f8d0d0;font-weight:bold}\
.WARN{background:#fbeec4}code{font-size:90%}";

/// Inline `code` and **bold** spans of an already-escaped line.
fn inline(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in escape(text).split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str(&format!("<code>{part}</code>"));
        } else {
            for (j, p) in part.split("**").enumerate() {
                if j % 2 == 1 {
                    out.push_str(&format!("<b>{p}</b>"));
                } else {
                    out.push_str(p);
                }
            }
        }
    }
    out
}

fn cells(line: &str) -> Vec<&str> {
    let t = line.trim().trim_start_matches('|').trim_end_matches('|');
    t.split(" | ").map(str::trim).collect()
}

/// The page for `markdown` (as `render::markdown` writes it).
pub fn from_markdown(markdown: &str) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>flopledger fleet report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
    );
    let mut in_table = false;
    let mut header_done = false;
    for line in markdown.lines() {
        if line.starts_with('|') {
            if line.starts_with("|---") {
                header_done = true;
                continue;
            }
            if !in_table {
                out.push_str("<table>\n");
                in_table = true;
                header_done = false;
            }
            let tag = if header_done { "td" } else { "th" };
            out.push_str("<tr>");
            for c in cells(line) {
                let class = match c {
                    "CRITICAL" | "WARN" => format!(" class=\"{c}\""),
                    _ => String::new(),
                };
                out.push_str(&format!("<{tag}{class}>{}</{tag}>", inline(c)));
            }
            out.push_str("</tr>\n");
            continue;
        }
        if in_table {
            out.push_str("</table>\n");
            in_table = false;
        }
        if let Some(h) = line.strip_prefix("## ") {
            out.push_str(&format!("<h2>{}</h2>\n", inline(h)));
        } else if let Some(h) = line.strip_prefix("# ") {
            out.push_str(&format!("<h1>{}</h1>\n", inline(h)));
        } else if !line.trim().is_empty() {
            out.push_str(&format!("<p>{}</p>\n", inline(line)));
        }
    }
    if in_table {
        out.push_str("</table>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_headings_and_status_classes() {
        let html =
            from_markdown("# T\n\n| a | b |\n|---|---|\n| CRITICAL | `x<y>` |\n\ntext **b**\n");
        assert!(html.contains("<h1>T</h1>"));
        assert!(html.contains("<th>a</th><th>b</th>"));
        assert!(
            html.contains("<td class=\"CRITICAL\">CRITICAL</td><td><code>x&lt;y&gt;</code></td>")
        );
        assert!(html.contains("<p>text <b>b</b></p>"));
    }
}
