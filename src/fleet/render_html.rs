//! The fleet report as one self-contained HTML page: the Markdown report's headings, tables
//! and paragraphs as HTML (so both formats always hold the same figures), with CRITICAL and WARN
//! cells coloured.

use crate::report::html::escape;

const STYLE: &str = "body{font:14px system-ui,sans-serif;margin:2em;max-width:90em}\
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .5em;\
text-align:left}th{background:#f3f3f3}.CRITICAL{background:#f8d0d0;font-weight:bold}\
.WARN{background:#fbeec4}code{font-size:90%}";

/// A line of the Markdown report as HTML: `code` and **bold** spans, and the escapes that
/// [`super::render::md`] writes (a backslash before `|`, `` ` ``, `*`, `_`, `~`, `[`, `]`, `\`;
/// `&lt;` and `&amp;`) read back as the characters they stand for, every character then
/// HTML-escaped.
fn inline(md: &str) -> String {
    let mut out = String::new();
    let mut text = String::new();
    let (mut code, mut bold) = (false, false);
    let mut chars = md.char_indices().peekable();
    let flush = |text: &mut String, out: &mut String| out.push_str(&escape(&std::mem::take(text)));
    while let Some((i, c)) = chars.next() {
        match c {
            // In a code span only the table's `\|` is an escape.
            '\\' if chars
                .peek()
                .is_some_and(|&(_, n)| n == '|' || (!code && "`*_~[]\\".contains(n))) =>
            {
                text.extend(chars.next().map(|(_, n)| n));
            }
            '`' => {
                flush(&mut text, &mut out);
                out.push_str(if code { "</code>" } else { "<code>" });
                code = !code;
            }
            '*' if !code && chars.peek().is_some_and(|&(_, n)| n == '*') => {
                chars.next();
                flush(&mut text, &mut out);
                out.push_str(if bold { "</b>" } else { "<b>" });
                bold = !bold;
            }
            '&' if !code && md[i..].starts_with("&lt;") => {
                text.push('<');
                for _ in 0..3 {
                    chars.next();
                }
            }
            '&' if !code && md[i..].starts_with("&amp;") => {
                text.push('&');
                for _ in 0..4 {
                    chars.next();
                }
            }
            c => text.push(c),
        }
    }
    flush(&mut text, &mut out);
    if code {
        out.push_str("</code>");
    }
    if bold {
        out.push_str("</b>");
    }
    out
}

/// A table row's cells: split at every `|` that is not escaped as `\|`.
fn cells(line: &str) -> Vec<&str> {
    let t = line.trim().trim_start_matches('|');
    let t = t
        .strip_suffix('|')
        .filter(|r| !r.ends_with('\\'))
        .unwrap_or(t);
    let mut out = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in t.char_indices() {
        match c {
            '\\' => escaped = !escaped,
            '|' if !escaped => {
                out.push(t[start..i].trim());
                start = i + 1;
            }
            _ => escaped = false,
        }
    }
    out.push(t[start..].trim());
    out
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

    /// Names escaped for the Markdown come back as written: one cell each, never markup.
    #[test]
    fn escaped_names_are_shown_as_written() {
        use crate::fleet::render::md;
        let name = "gpu|node <script>x</script> **b** `c` a\\b _u_ [l](http://e) ~~s~~ n&lt;b";
        let escaped = md(name);
        for raw in ["_u_", "[l]", "~~", "&lt;b"] {
            assert!(!escaped.contains(raw), "{raw} left as markup in {escaped}");
        }
        let html = from_markdown(&format!("| a | b |\n|---|---|\n| {escaped} | z |\n"));
        assert!(
            html.contains(
                "<td>gpu|node &lt;script&gt;x&lt;/script&gt; **b** `c` a\\b _u_ [l](http://e) \
                 ~~s~~ n&amp;lt;b</td><td>z</td></tr>"
            ),
            "{html}"
        );
        // A code span keeps its escaped pipe as a pipe, and nothing else is read in it.
        assert!(from_markdown("| `a\\|b*` |\n").contains("<th><code>a|b*</code></th>"));
    }
}
