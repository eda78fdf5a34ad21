//! The terminal a person reads: its width (`COLUMNS`, else the terminal's, else 100), whether
//! to colour (`--color auto|always|never`, `NO_COLOR`), one table style for every command, and
//! word wrapping of prose to the width. Formatting of numbers lives in [`crate::units`].

use comfy_table::{
    Attribute, Cell, CellAlignment, Color, ColumnConstraint, ContentArrangement, LineStyle, Table,
    TableStyle,
};
use std::io::IsTerminal;
use std::sync::OnceLock;

/// Width used when neither `COLUMNS` nor a terminal says otherwise (a pipe or a file).
pub const FALLBACK_COLUMNS: usize = 100;
/// Narrowest width honoured: below it tables cannot hold their columns legibly.
const MIN_COLUMNS: usize = 40;

/// When to colour output (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and `NO_COLOR` is unset.
    #[default]
    Auto,
    Always,
    Never,
}

static COLOR: OnceLock<bool> = OnceLock::new();

/// Decides colouring once for the process; later calls keep the first decision.
pub fn init_color(choice: ColorChoice) {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
    let on = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => !no_color && !dumb && std::io::stdout().is_terminal(),
    };
    let _ = COLOR.set(on);
}

/// Whether output is coloured (false until [`init_color`] says otherwise).
pub fn color() -> bool {
    COLOR.get().copied().unwrap_or(false)
}

/// Columns available: `COLUMNS` when set to a number, else the terminal's width, else
/// [`FALLBACK_COLUMNS`]; never below 40.
pub fn width() -> usize {
    let from_env = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok());
    let w = from_env
        .or_else(|| {
            std::io::stdout()
                .is_terminal()
                .then(|| Table::new().width().map(usize::from))
                .flatten()
        })
        .unwrap_or(FALLBACK_COLUMNS);
    w.max(MIN_COLUMNS)
}

/// The one table style: rules above, under the header and below; no vertical lines and no
/// row separators (columns are two spaces apart).
const STYLE: TableStyle = TableStyle::new()
    .top_border(LineStyle::none().fill('─').junction('─'))
    .header_separator(LineStyle::none().fill('─').junction('─'))
    .bottom_border(LineStyle::none().fill('─').junction('─'));

/// A table in the one style every command uses ([`STYLE`]), columns fitted to [`width`]
/// (long cells wrap), bold header when colouring.
pub fn table<S: ToString>(header: impl IntoIterator<Item = S>) -> Table {
    let mut t = Table::new();
    t.load_style(STYLE)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(u16::try_from(width()).unwrap_or(u16::MAX));
    if color() {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    let cells: Vec<Cell> = header
        .into_iter()
        .map(|h| {
            let c = Cell::new(h.to_string());
            if color() {
                c.add_attribute(Attribute::Bold)
            } else {
                c
            }
        })
        .collect();
    t.set_header(cells);
    t
}

/// Keeps columns `from..` at their content width, right-aligned (numbers), so that wrapping
/// to the terminal width falls on the text columns before them. Call after adding the rows.
pub fn numbers_from(t: &mut Table, from: usize) {
    let n = t.column_count();
    for i in from..n {
        if let Some(c) = t.column_mut(i) {
            c.set_constraint(ColumnConstraint::ContentWidth)
                .set_cell_alignment(CellAlignment::Right);
        }
    }
}

/// Keeps the given columns at their content width (short labels), so that wrapping falls on
/// the others. Call after adding the rows.
pub fn keep_width(t: &mut Table, columns: &[usize]) {
    for &i in columns {
        if let Some(c) = t.column_mut(i) {
            c.set_constraint(ColumnConstraint::ContentWidth);
        }
    }
}

/// Keeps the given columns at least `chars` wide, so that wrapping splits no word that short.
/// Call after adding the rows.
pub fn min_width(t: &mut Table, columns: &[usize], chars: u16) {
    for &i in columns {
        if let Some(c) = t.column_mut(i) {
            c.set_constraint(ColumnConstraint::LowerBoundary(comfy_table::Width::Fixed(
                chars,
            )));
        }
    }
}

/// A cell shown in red when colouring (failures, regressions).
pub fn alert_cell(text: impl ToString) -> Cell {
    let c = Cell::new(text.to_string());
    if color() {
        c.fg(Color::Red).add_attribute(Attribute::Bold)
    } else {
        c
    }
}

/// `text` in bold when colouring.
pub fn bold(text: &str) -> String {
    if color() {
        format!("\x1b[1m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// `text` in yellow when colouring (warnings).
pub fn warn(text: &str) -> String {
    if color() {
        format!("\x1b[33m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// `println!` of prose wrapped to the terminal width (continuation lines indented by two
/// spaces more than the line's own indent). Not for tables: wrapping collapses inner spaces.
#[macro_export]
macro_rules! wrapln {
    () => { println!() };
    ($($arg:tt)*) => { println!("{}", $crate::term::wrap(&format!($($arg)*), "  ")) };
}

/// Greedy word wrap of `text` to [`width`]; continuation lines start with `indent`. Words
/// longer than the width stay whole.
pub fn wrap(text: &str, indent: &str) -> String {
    wrap_to(text, indent, width())
}

/// [`wrap`] at an explicit width.
pub fn wrap_to(text: &str, indent: &str, columns: usize) -> String {
    let mut out = String::new();
    for (i, para) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if para.chars().count() <= columns {
            out.push_str(para);
            continue;
        }
        let lead: String = para.chars().take_while(|c| *c == ' ').collect();
        let mut line = lead.clone();
        let mut line_len = line.chars().count();
        let mut empty = true;
        for word in para.split_whitespace() {
            let n = word.chars().count();
            if !empty && line_len + 1 + n > columns {
                out.push_str(&line);
                out.push('\n');
                line = format!("{lead}{indent}");
                line_len = line.chars().count();
                empty = true;
            }
            if !empty {
                line.push(' ');
                line_len += 1;
            }
            line.push_str(word);
            line_len += n;
            empty = false;
        }
        out.push_str(&line);
    }
    out
}

/// `id` (no spaces, e.g. a case id) on lines of at most `columns` characters, broken after a
/// `sep` so that each line stays a readable piece; a piece longer than `columns` keeps its own
/// line whole. For table cells, whose own wrapping splits such ids at any character.
pub fn break_after(id: &str, sep: char, columns: usize) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for piece in id.split_inclusive(sep) {
        let n = piece.chars().count();
        if line_len > 0 && line_len + n > columns {
            out.push('\n');
            line_len = 0;
        }
        out.push_str(piece);
        line_len += n;
    }
    out
}

/// Columns a table in [`STYLE`] draws beyond its cells' text: one on each side of every
/// column and one between neighbours.
pub fn table_frame_chars(columns: usize) -> usize {
    3 * columns
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_to_the_width_with_an_indent() {
        let text = "one two three four five six seven eight nine ten";
        let w = wrap_to(text, "  ", 20);
        assert!(w.lines().all(|l| l.chars().count() <= 20), "{w}");
        assert!(w.lines().skip(1).all(|l| l.starts_with("  ")), "{w}");
        assert_eq!(w.split_whitespace().count(), 10);
        assert_eq!(wrap_to("  a b", "", 20), "  a b");
    }

    #[test]
    fn breaks_ids_after_the_separator() {
        let id = "attention-decode-f16-h8-kv1024-d128";
        let b = break_after(id, '-', 20);
        assert_eq!(b, "attention-decode-\nf16-h8-kv1024-d128");
        assert_eq!(b.replace('\n', ""), id);
        assert_eq!(break_after("short-id", '-', 20), "short-id");
        assert_eq!(
            break_after("averyveryverylongpiece-x", '-', 8),
            "averyveryverylongpiece-\nx"
        );
    }
}
