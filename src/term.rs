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
                // A terminal that reports no size (0 × 0: `script`, some CI runners and
                // `docker -t`) is one of unknown width, not a 40-column one (a helper's sweep).
                .filter(|w| *w > 0)
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
/// to the terminal width falls on the text columns before them ([`layout`]). Call after adding
/// the rows.
pub fn numbers_from(t: &mut Table, from: usize) {
    layout(t, &[], Some(from));
}

/// Keeps the given columns at their content width (short labels), so that wrapping falls on
/// the others ([`layout`]). Call after adding the rows.
pub fn keep_width(t: &mut Table, columns: &[usize]) {
    layout(t, columns, None);
}

/// Lays out a table whose `labels` columns and columns from `numbers_from` on (right-aligned)
/// are held at their content width, wrapping falling on the other (text) columns. When the
/// terminal is too narrow for that, the widths are set here ([`share`]) so that no column is
/// squeezed to a character or two per line and nothing wraps inside a word: the table is wider
/// than the terminal only when its words are. Call once, after adding the rows.
pub fn layout(t: &mut Table, labels: &[usize], numbers_from: Option<usize>) {
    layout_to(t, labels, numbers_from, width());
}

/// [`layout`] for a terminal of `columns` characters.
fn layout_to(t: &mut Table, labels: &[usize], numbers_from: Option<usize>, columns: usize) {
    let n = t.column_iter().count();
    if let Some(from) = numbers_from {
        for i in from..n {
            if let Some(c) = t.column_mut(i) {
                c.set_cell_alignment(CellAlignment::Right);
            }
        }
    }
    let cols: Vec<Measure> = measure(t)
        .into_iter()
        .enumerate()
        .map(|(i, mut m)| {
            m.held = labels.contains(&i) || numbers_from.is_some_and(|f| i >= f);
            m
        })
        .collect();
    let room = columns.saturating_sub(table_frame_chars(n));
    let wanted: usize = cols
        .iter()
        .map(|m| if m.held { m.full() } else { m.soft() })
        .sum();
    if wanted <= room {
        for (i, _) in cols.iter().enumerate().filter(|(_, m)| m.held) {
            if let Some(c) = t.column_mut(i) {
                c.set_constraint(ColumnConstraint::ContentWidth);
            }
        }
        return;
    }
    for (i, w) in share(room, &cols).into_iter().enumerate() {
        if let Some(c) = t.column_mut(i) {
            let with_padding = u16::try_from(w + 2).unwrap_or(u16::MAX);
            c.set_constraint(ColumnConstraint::Absolute(comfy_table::Width::Fixed(
                with_padding,
            )));
        }
    }
}

/// What one column's text needs, in characters.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Measure {
    /// Held at its content width (numbers, short labels) rather than wrapped first.
    held: bool,
    /// Widest line of the body's cells.
    body: usize,
    /// The header's width on one line, and its longest word.
    header: usize,
    header_word: usize,
    /// Longest word anywhere in the column (header included).
    word: usize,
}

impl Measure {
    /// Nothing wrapped.
    fn full(&self) -> usize {
        self.body.max(self.header)
    }
    /// The body on one line, the header wrapped at its spaces.
    fn whole(&self) -> usize {
        self.body.max(self.header_word)
    }
    /// A text column's comfortable least: its longest word, at least 8 and at most 16.
    fn soft(&self) -> usize {
        self.full().min(self.word.clamp(8, 16))
    }
    /// The least any column gets: its longest word (no wider than its line).
    fn least(&self) -> usize {
        self.word.max(1)
    }
}

/// Column widths within `room` characters when the held columns do not all fit at their
/// content width. Every column starts at its longest word; what is left goes, in this order,
/// to the held columns' bodies on one line (smallest shortfall first), to the text columns up
/// to 8–16 characters, to the held columns' headers on one line, and evenly to the text
/// columns up to their content. So numbers wrap last, headers before them, and text columns
/// take the squeeze.
fn share(room: usize, cols: &[Measure]) -> Vec<usize> {
    let mut w: Vec<usize> = cols.iter().map(Measure::least).collect();
    let mut left = room.saturating_sub(w.iter().sum());
    let raise = |w: &mut Vec<usize>, i: usize, to: usize, left: &mut usize| {
        let give = to.saturating_sub(w[i]).min(*left);
        w[i] += give;
        *left -= give;
    };
    let mut held: Vec<usize> = (0..cols.len()).filter(|&i| cols[i].held).collect();
    held.sort_by_key(|&i| cols[i].whole().saturating_sub(w[i]));
    let text: Vec<usize> = (0..cols.len()).filter(|&i| !cols[i].held).collect();
    for &i in &held {
        raise(&mut w, i, cols[i].whole(), &mut left);
    }
    for &i in &text {
        raise(&mut w, i, cols[i].soft(), &mut left);
    }
    for &i in &held {
        raise(&mut w, i, cols[i].full(), &mut left);
    }
    loop {
        let hungry: Vec<usize> = text
            .iter()
            .copied()
            .filter(|&i| w[i] < cols[i].full())
            .collect();
        if hungry.is_empty() || left == 0 {
            break;
        }
        let each = (left / hungry.len()).max(1);
        for i in hungry {
            let to = (w[i] + each).min(cols[i].full());
            raise(&mut w, i, to, &mut left);
        }
    }
    w
}

/// Characters of the widest line of `text`.
pub fn line_width(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// Each column's [`Measure`] (not yet marked held).
fn measure(t: &Table) -> Vec<Measure> {
    let word_width = |text: &str| {
        text.split_whitespace()
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0)
    };
    let mut out = vec![Measure::default(); t.column_iter().count()];
    if let Some(header) = t.header() {
        for (m, cell) in out.iter_mut().zip(header.cell_iter()) {
            let text = cell.content();
            m.header = line_width(&text);
            m.header_word = word_width(&text);
            m.word = m.header_word;
        }
    }
    for row in t.row_iter() {
        for (m, cell) in out.iter_mut().zip(row.cell_iter()) {
            let text = cell.content();
            m.body = m.body.max(line_width(&text));
            m.word = m.word.max(word_width(&text));
        }
    }
    out
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

/// `print!` that never panics: where stdout cannot be written (a full disk, a closed
/// descriptor) the command ends with [`output_failed`]'s message and status 1, not `print!`'s
/// panic. (A closed pipe ends the process quietly before this: see `main`.)
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = write!(std::io::stdout(), $($arg)*) {
            $crate::term::output_failed(&e);
        }
    }};
}

/// `println!` that never panics ([`out!`]).
#[macro_export]
macro_rules! outln {
    () => { $crate::out!("\n") };
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout(), $($arg)*) {
            $crate::term::output_failed(&e);
        }
    }};
}

/// `eprintln!` that never panics: a message stderr cannot take is dropped (there is nowhere
/// left to say so), and the command goes on to its own exit status.
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `note: TEXT` on stderr, wrapped: what a run says beside its output, heard also when stdout
/// holds CSV or JSON. Control characters in it (from a file a note quotes) are shown, not sent
/// ([`visible_lines`]).
pub fn note(text: &str) {
    let text = visible_lines(text);
    crate::errln!("{}", wrap(&format!("note: {text}"), "  "));
}

/// `warning: TEXT` on stderr, wrapped like a [`note`] and in yellow when colouring; control
/// characters in it are shown, not sent.
pub fn warning(text: &str) {
    let text = visible_lines(text);
    crate::errln!("{}", warn(&wrap(&format!("warning: {text}"), "  ")));
}

/// Ends the process after a failed write to stdout: the reason on stderr (if it can take it)
/// and status 1. Reports and other files are written, atomically, before anything is printed,
/// so nothing is left half-written.
pub fn output_failed(e: &std::io::Error) -> ! {
    let kept = WRITTEN
        .lock()
        .map(|files| files.join(", "))
        .unwrap_or_default();
    let kept = if kept.is_empty() {
        String::new()
    } else {
        format!("; the files written before it are whole: {kept}")
    };
    crate::errln!(
        "Error: cannot write the output ({e}){kept}; free space on the device, or send the \
         output to another file"
    );
    std::process::exit(1)
}

/// Files this process has written whole, named by [`output_failed`]: a run whose summary could
/// not be printed had written its reports, and the error had not said so (a helper's sweep:
/// `run … > /dev/full`).
static WRITTEN: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// Records `paths` as written whole, for [`output_failed`] to name.
pub fn record_written(paths: &[std::path::PathBuf]) {
    if let Ok(mut files) = WRITTEN.lock() {
        files.extend(paths.iter().map(|p| p.display().to_string()));
    }
}

/// Writes `bytes` to stdout and flushes it; a failed write ends the process as [`out!`]'s
/// does ([`output_failed`]).
pub fn write_stdout(bytes: &[u8]) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(bytes).and_then(|()| out.flush()) {
        output_failed(&e);
    }
}

/// `println!` of prose wrapped to the terminal width (continuation lines indented by two
/// spaces more than the line's own indent). Not for tables: wrapping collapses inner spaces.
/// Never panics ([`outln!`]).
#[macro_export]
macro_rules! wrapln {
    () => { $crate::outln!() };
    ($($arg:tt)*) => { $crate::outln!("{}", $crate::term::wrap(&format!($($arg)*), "  ")) };
}

/// What in `text` no name a report records may hold, if anything: a line break or tab (they
/// break tables and fleet lines), another control character (an escape sequence or bell would
/// reach a terminal), or a direction override. The report reader refuses such text, so what a
/// run would copy into its report (a price file's source, an output folder, a suite file's path)
/// is refused before the run.
pub fn unprintable(text: &str) -> Option<&'static str> {
    text.chars().find_map(|c| match c {
        '\n' | '\r' | '\t' => Some("a line break or tab"),
        c if c.is_control() => Some("a control character (an escape sequence or bell)"),
        c if is_direction_override(c) => Some("a direction override"),
        _ => None,
    })
}

/// A Unicode character that reverses the order text is shown in (`U+202A`–`U+202E`,
/// `U+2066`–`U+2069`).
fn is_direction_override(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every character [`unprintable`] names (line breaks and tabs included) written as
/// a Rust string literal writes it (`\u{1b}`, `\n`, `\u{202e}`), every other character kept,
/// accents and symbols too: how a value from a file or an argument is quoted into a message, so
/// that an escape sequence in it is read on the terminal, not run by it. Escaping twice changes
/// nothing more.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    escape_where(text, |_| false)
}

/// [`visible`] for a whole message, whose own line breaks and tabs (a `fix:` line, an indented
/// list) stay as they are; a carriage return, which would let a line overwrite itself, is shown
/// as `\r`. `main` prints every error through it, and [`note`] every note.
pub fn visible_lines(text: &str) -> std::borrow::Cow<'_, str> {
    escape_where(text, |c| matches!(c, '\n' | '\t'))
}

/// `text` with the characters [`unprintable`] names, less those `keep` keeps, escaped.
fn escape_where(text: &str, keep: impl Fn(char) -> bool) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| !keep(c) && (c.is_control() || is_direction_override(c));
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if hidden(c) {
            // `\u{…}` for every such character (escape_debug would keep a few, e.g. U+2066,
            // as they are).
            match c {
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            }
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
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
        // A unit that starts with `%` stays on the line of its number (`12 %/yr`).
        let mut words: Vec<String> = Vec::new();
        for word in para.split_whitespace() {
            match words.last_mut() {
                Some(prev) if word.starts_with('%') => {
                    prev.push(' ');
                    prev.push_str(word);
                }
                _ => words.push(word.to_string()),
            }
        }
        for word in &words {
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
    break_after_any(id, &[sep], columns)
}

/// [`break_after`] at any of `seps`: a path broken after its `/` and, within a long file name,
/// after its `-` (`ledger list`'s report column).
pub fn break_after_any(id: &str, seps: &[char], columns: usize) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for piece in id.split_inclusive(seps) {
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

/// Characters left at [`width`] for the first column of a table whose other columns (headers
/// `others`, cells `rows`, each row without its first cell) keep their content width, never
/// fewer than `min`: how wide to [`break_after`] the ids of a first column.
pub fn first_column_chars<R: AsRef<[String]>>(others: &[&str], rows: &[R], min: usize) -> usize {
    let taken: usize = others
        .iter()
        .enumerate()
        .map(|(i, h)| {
            rows.iter()
                .filter_map(|r| r.as_ref().get(i))
                .map(|c| line_width(c))
                .chain([line_width(h)])
                .max()
                .unwrap_or(0)
        })
        .sum();
    width()
        .saturating_sub(taken + table_frame_chars(others.len() + 1))
        .max(min)
}

/// Columns a table in [`STYLE`] draws beyond its cells' text: a space of padding on each side
/// of every column and a blank border between neighbours.
pub fn table_frame_chars(columns: usize) -> usize {
    (3 * columns).saturating_sub(1)
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
        // A percent sign never starts a line: it goes with its number.
        assert_eq!(
            wrap_to("falls no faster than 13 %/yr here", "  ", 22),
            "falls no faster than\n  13 %/yr here"
        );
    }

    #[test]
    fn unprintable_text_is_named() {
        assert_eq!(unprintable("vendor quote, 2025 (€ → $)"), None);
        assert_eq!(unprintable("a\nb"), Some("a line break or tab"));
        assert!(unprintable("evil\u{1b}[31m")
            .unwrap()
            .contains("control character"));
        assert!(unprintable("x\u{7}").unwrap().contains("control character"));
        assert_eq!(unprintable("x\u{202e}y"), Some("a direction override"));
    }

    #[test]
    fn control_characters_are_shown_not_sent() {
        // An OSC title-set, a bell, a clear-screen and a C1 CSI, from a sweep's file.
        let evil = "H100\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}2J";
        let shown = visible(evil);
        assert_eq!(shown, "H100\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\u{9b}2J");
        assert_eq!(unprintable(&shown), None);
        // Escaping twice changes nothing more.
        assert_eq!(visible(&shown), shown);
        // Ordinary text, accents and symbols included, is borrowed as it is.
        let plain = "Radeon™ Pro W7900 — vendor quote, 2025 (€ → $)";
        assert!(matches!(visible(plain), std::borrow::Cow::Borrowed(p) if p == plain));
        // A quoted value shows its line breaks and direction overrides; a message keeps its own
        // lines and tabs, not a carriage return.
        assert_eq!(
            visible("a\nb\tc\u{202e}d\u{2066}"),
            "a\\nb\\tc\\u{202e}d\\u{2066}"
        );
        assert_eq!(
            visible_lines("bad 'x\u{1b}[2J'\n  fix: \tdo\r"),
            "bad 'x\\u{1b}[2J'\n  fix: \tdo\\r"
        );
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

    /// A table like `depreciate`'s summary: a text column, then numbers with units and bands.
    fn summary_table(columns: usize) -> Table {
        let mut t = table([
            "chip bought",
            "rent $/h",
            "decline/yr at 3 y",
            "life, y",
            "book vs economic",
        ]);
        t.set_width(u16::try_from(columns).unwrap());
        t.add_row([
            "NVIDIA H100 SXM5 80GB 2022-09-15",
            "2.51",
            "14 % (5 %–19 %)",
            "8.2 (5.2–14.2)",
            "-15 % (-45 %–+27 %)",
        ]);
        t.add_row([
            "AMD Instinct MI300X 2023-12-15",
            "1.75",
            "19 % (7 %–28 %)",
            "6.9 (3.9–14.9)",
            "-9 % (-60 %–+118 %)",
        ]);
        layout_to(&mut t, &[], Some(1), columns);
        t
    }

    #[test]
    fn a_narrow_terminal_wraps_between_words_and_squeezes_no_column() {
        for columns in [40, 50, 60, 80, 100, 140] {
            let text = summary_table(columns).to_string();
            let widest = text.lines().map(|l| l.chars().count()).max().unwrap();
            // Held numbers wrap only at spaces; the text column keeps 8 characters.
            for word in [
                "NVIDIA",
                "SXM5",
                "2022-09-15",
                "(5.2–14.2)",
                "(7",
                "%–28",
                "decline/yr",
            ] {
                assert!(
                    text.contains(word),
                    "{columns} columns: {word:?} split\n{text}"
                );
            }
            // The longest words (10 + 10 + 4 + 10 + 10 + 6 and the frame) are what may exceed it.
            assert!(
                widest <= columns.max(64),
                "{columns} columns: {widest} wide\n{text}"
            );
            if columns >= 100 {
                assert!(
                    text.contains("14 % (5 %–19 %)"),
                    "{columns}: numbers kept whole\n{text}"
                );
            }
        }
    }

    #[test]
    fn shared_room_goes_to_numbers_first_then_text() {
        let text = Measure {
            held: false,
            body: 40,
            header: 4,
            header_word: 4,
            word: 4,
        };
        let number = Measure {
            held: true,
            body: 10,
            header: 12,
            header_word: 6,
            word: 6,
        };
        // Least 4 and 6; the number's body on one line (+4) before the text's 8 (+2 of 4).
        assert_eq!(share(16, &[text, number]), vec![6, 10]);
        // Then the number's header on one line (12), then the text up to its content.
        assert_eq!(share(30, &[text, number]), vec![18, 12]);
        // Too little room: each keeps its longest word.
        assert_eq!(share(5, &[text, number]), vec![4, 6]);
    }
}
