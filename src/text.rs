//! Text helpers shared by search, export and terminal output: folding for matching, and
//! stripping what must never reach a terminal or clipboard.

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

/// Folds text for matching: case, diacritics and Unicode form no longer matter, so
/// "thu tuong" matches "Thủ tướng" and "Dang" matches "Đặng".
///
/// Đ/đ carry no Unicode decomposition (the bar is not a combining mark), so they are
/// mapped by hand; so are the other barred/stroked Latin letters a Vietnamese or
/// European name may carry.
pub fn fold(text: &str) -> String {
    let mut lower = String::with_capacity(text.len());
    push_fold(text, &mut lower);
    lower
}

/// Appends `text`'s lowercase fold (as [`fold`] gives it) to `out`, without the
/// per-char bookkeeping of [`Folded`]: a search index folds every statement this way.
pub fn push_fold(text: &str, out: &mut String) {
    if text.is_ascii() {
        // Nothing to decompose or strip: lowercasing is all folding does to ASCII.
        let start = out.len();
        out.push_str(text);
        out[start..].make_ascii_lowercase();
        return;
    }
    for c in text.chars() {
        push_fold_char(c, out);
    }
}

/// Appends one char's lowercase fold to `out`: [`push_fold`] is this, char by char, so a
/// text's fold can be taken apart at char boundaries of the original.
pub fn push_fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else {
        for_each_base(c, |base| out.push(lowercase_first(base)));
    }
}

/// Text folded for matching, remembering for each folded character which character of
/// the original it came from, so matches can be highlighted in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folded {
    /// Diacritics removed, case kept: for case-sensitive (smart case) matching.
    pub marks_removed: String,
    /// Diacritics removed and lowercased.
    pub lower: String,
    /// For each char of `lower` (and of `marks_removed`, which has the same chars up to
    /// case), the index of the original char.
    pub origin: Vec<usize>,
}

impl Folded {
    pub fn new(text: &str) -> Self {
        let mut marks_removed = String::with_capacity(text.len());
        let mut lower = String::with_capacity(text.len());
        let mut origin = Vec::with_capacity(text.len());
        for (index, c) in text.chars().enumerate() {
            for_each_base(c, |base| {
                marks_removed.push(base);
                lower.push(lowercase_first(base));
                origin.push(index);
            });
        }
        Self {
            marks_removed,
            lower,
            origin,
        }
    }

    /// Original char indices for the given folded char indices, deduplicated, in order.
    pub fn original_indices(&self, folded: &[usize]) -> Vec<usize> {
        let mut indices: Vec<usize> = folded
            .iter()
            .filter_map(|&i| self.origin.get(i).copied())
            .collect();
        indices.dedup();
        indices
    }
}

/// Calls `each` with the chars `c` folds to: its decomposition without combining marks,
/// strokes and bars stripped, case kept.
fn for_each_base(c: char, mut each: impl FnMut(char)) {
    let mut buffer = [0u8; 4];
    for base in c
        .encode_utf8(&mut buffer)
        .nfd()
        .filter(|&c| !is_combining_mark(c))
    {
        each(strip_stroke(base));
    }
}

/// Lowercasing may change the char count (İ → i̇); folded strings stay char-aligned
/// with their case-kept twin by taking the first char.
pub fn lowercase_first(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// Letters whose stroke or bar (or missing dot) is part of the letter rather than a
/// combining mark, so no decomposition takes it off: Turkish ı is an i to a searcher.
fn strip_stroke(c: char) -> char {
    match c {
        'ı' => 'i',
        'đ' => 'd',
        'Đ' => 'D',
        'ł' => 'l',
        'Ł' => 'L',
        'ø' => 'o',
        'Ø' => 'O',
        'ħ' => 'h',
        'Ħ' => 'H',
        _ => c,
    }
}

/// Removes control characters (including ESC, so no escape sequence survives) from text
/// that came from a data file, keeping line breaks as `\n`; a tab becomes a space.
pub fn sanitize(text: &str) -> String {
    sanitized_chars(text).map(|(_, c)| c).collect()
}

/// Like [`sanitize`] but also folds line breaks into spaces, for one-line output.
pub fn sanitize_line(text: &str) -> String {
    sanitize_line_chars(text).map(|(_, c)| c).collect()
}

/// [`sanitize_line`]'s chars, each with the index of the char of `text` it stands for:
/// to mark chars of the text (search highlights) in what is shown of it.
pub fn sanitize_line_chars(text: &str) -> impl Iterator<Item = (usize, char)> {
    sanitized_chars(text).map(|(index, c)| (index, if c == '\n' { ' ' } else { c }))
}

/// [`sanitize`]'s chars with their indices in `text`. Every line break (LF, CR LF, a lone
/// CR, NEL, a vertical tab or form feed, a line or paragraph separator) becomes one
/// `\n`, never nothing: the words on either side must not run together in a quote.
fn sanitized_chars(text: &str) -> impl Iterator<Item = (usize, char)> {
    let mut chars = text.chars().enumerate().peekable();
    std::iter::from_fn(move || {
        loop {
            let (index, c) = chars.next()?;
            let kept = match c {
                '\r' if chars.peek().is_some_and(|&(_, next)| next == '\n') => None,
                '\n' | '\r' | '\u{85}' | '\u{b}' | '\u{c}' | '\u{2028}' | '\u{2029}' => Some('\n'),
                '\t' => Some(' '),
                c if c.is_control() || is_bidi_control(c) => None,
                c => Some(c),
            };
            if let Some(kept) = kept {
                return Some((index, kept));
            }
        }
    })
}

/// Bidirectional overrides can make a terminal show text in an order other than it is
/// stored ("Trojan Source"); a quote must read as it is.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_char_folds_to_more_than_three_times_its_bytes() {
        // What `Texts` relies on to hold a folded dataset file in `u32` offsets.
        let mut folded = String::new();
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            folded.clear();
            push_fold_char(c, &mut folded);
            assert!(
                folded.len() <= 3 * c.len_utf8(),
                "{c:?} folds to {folded:?}"
            );
        }
    }

    #[test]
    fn fold_removes_vietnamese_diacritics_and_case() {
        assert_eq!(fold("Phạm Minh Chính"), "pham minh chinh");
        assert_eq!(fold("Thủ tướng"), "thu tuong");
        assert_eq!(fold("Đặng"), "dang");
        assert_eq!(fold("đường"), "duong");
        assert_eq!(
            fold("Istanbul ıstanbul İstanbul"),
            "istanbul istanbul istanbul"
        );
    }

    #[test]
    fn the_fast_fold_agrees_with_the_mapped_one() {
        for text in [
            "International COOPERATION, 2025!",
            "Phạm Minh Chính",
            "ĐẶNG Thị ngọc Thịnh",
            "İstanbul Łódź Ørsted",
            "",
        ] {
            let mut fast = String::from("kept|");
            push_fold(text, &mut fast);
            assert_eq!(fast, format!("kept|{}", Folded::new(text).lower), "{text}");
        }
    }

    #[test]
    fn fold_treats_nfc_and_nfd_alike() {
        let nfc: String = "Lương Tam Quang".nfc().collect();
        let nfd: String = "Lương Tam Quang".nfd().collect();
        assert_ne!(nfc, nfd);
        assert_eq!(fold(&nfc), fold(&nfd));
    }

    #[test]
    fn folded_text_maps_back_to_original_characters() {
        let folded = Folded::new("Đặng Thủ");
        assert_eq!(folded.lower, "dang thu");
        assert_eq!(folded.marks_removed, "Dang Thu");
        // "thu" is folded chars 5..8, the original's chars 5..8 too.
        assert_eq!(folded.original_indices(&[5, 6, 7]), vec![5, 6, 7]);
        let nfd: String = "ấ".nfd().collect();
        let folded = Folded::new(&format!("x{nfd}y"));
        assert_eq!(folded.lower, "xay");
        // The NFD "ấ" is three chars in the original; its folded 'a' maps to the first.
        assert_eq!(folded.original_indices(&[1, 2]), vec![1, 4]);
    }

    #[test]
    fn sanitize_strips_escape_sequences_and_controls_but_keeps_newlines() {
        assert_eq!(
            sanitize("a\u{1b}[31mred\u{1b}[0m\u{7}\r\nb\tc"),
            "a[31mred[0m\nb c"
        );
        assert_eq!(sanitize("x\u{9b}2Jy"), "x2Jy", "C1 CSI is a control too");
        assert_eq!(sanitize("ab\u{202E}cd"), "abcd");
        assert_eq!(sanitize_line("one\ntwo"), "one two");
        // A line break never vanishes, so words do not run together.
        for brk in [
            "\r", "\r\n", "\u{85}", "\u{b}", "\u{c}", "\u{2028}", "\u{2029}",
        ] {
            let text = format!("line one{brk}line two");
            assert_eq!(sanitize(&text), "line one\nline two", "{brk:?}");
            assert_eq!(sanitize_line(&text), "line one line two", "{brk:?}");
        }
        let indexed: Vec<(usize, char)> = sanitize_line_chars("a\u{7}\r\nb").collect();
        assert_eq!(indexed, [(0, 'a'), (3, ' '), (4, 'b')]);
    }
}
