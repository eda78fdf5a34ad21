//! Tokens of chip and adapter names: lower-case alphanumeric words; words in parentheses are
//! kept apart as "soft" words; a number followed by `GB` joins it (`80 GB` → `80gb`).

pub(crate) struct Tokens {
    /// Words outside parentheses.
    pub main: Vec<String>,
    /// Words inside parentheses.
    pub soft: Vec<String>,
}

pub(crate) fn tokenize(name: &str) -> Tokens {
    let lower: String = name
        .chars()
        .map(fold_width)
        .collect::<String>()
        .to_lowercase();
    let (mut main_text, mut soft_text) = (String::new(), String::new());
    let mut depth = 0u32;
    for ch in lower.chars() {
        match ch {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth > 0 => soft_text.push(ch),
            _ => main_text.push(ch),
        }
        if ch == '(' || ch == ')' {
            main_text.push(' ');
            soft_text.push(' ');
        }
    }
    Tokens {
        main: words(&main_text),
        soft: words(&soft_text),
    }
}

/// A full-width form (`Ｈ１００`, typed with an East Asian input method) as its ASCII letter, digit
/// or sign; the ideographic space as a space. Every other character is kept.
pub(crate) fn fold_width(ch: char) -> char {
    match ch {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(ch as u32 - 0xFEE0).unwrap_or(ch),
        '\u{3000}' => ' ',
        _ => ch,
    }
}

/// The first letter of `name` outside ASCII once full-width forms are read as ASCII: a Cyrillic
/// `Н` or Greek `Α` typed or pasted for a Latin one. Tokens keep ASCII only, so such a letter
/// would silently drop out of the name (`Н100` would match any `100`).
pub(crate) fn non_ascii_letter(name: &str) -> Option<char> {
    name.chars()
        .map(fold_width)
        .find(|c| c.is_alphabetic() && !c.is_ascii())
}

/// Alphanumeric words; a number followed by `gb` joins it (`80 gb` → `80gb`).
fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        if w.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some(prev) if w == "gb" && prev.chars().all(|c| c.is_ascii_digit()) => {
                prev.push_str("gb")
            }
            _ => out.push(w.to_string()),
        }
    }
    out
}

fn is_memory_size(t: &str) -> bool {
    t.strip_suffix("gb")
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// A model number: a token with a digit that is not a memory size.
pub(crate) fn is_strong(t: &str) -> bool {
    t.chars().any(|c| c.is_ascii_digit()) && !is_memory_size(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_look_alike_letter_is_found_and_full_width_ascii_is_not() {
        assert_eq!(non_ascii_letter("\u{41D}100 SXM"), Some('\u{41D}'));
        assert_eq!(non_ascii_letter("B\u{391}200"), Some('\u{391}'));
        assert_eq!(non_ascii_letter("\u{FF28}\u{FF11}\u{FF10}\u{FF10}"), None);
        assert_eq!(non_ascii_letter("H100 SXM5 80GB (per GPU) ×8"), None);
    }

    #[test]
    fn tokens_join_memory_sizes_and_split_parentheses() {
        let t = tokenize("NVIDIA A100 SXM4 80 GB (per GPU)");
        assert_eq!(t.main, ["nvidia", "a100", "sxm4", "80gb"]);
        assert_eq!(t.soft, ["per", "gpu"]);
    }

    #[test]
    fn full_width_forms_read_as_ascii() {
        let t = tokenize("Ｈ１００\u{3000}ＳＸＭ（８０ＧＢ）");
        assert_eq!(t.main, ["h100", "sxm"]);
        assert_eq!(t.soft, ["80gb"]);
    }
}
