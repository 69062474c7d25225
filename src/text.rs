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
    text.nfd()
        .filter(|&c| !is_combining_mark(c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            'ł' | 'Ł' => 'l',
            'ø' | 'Ø' => 'o',
            'ħ' | 'Ħ' => 'h',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Removes control characters (including ESC, so no escape sequence survives) from text
/// that came from a data file, keeping line breaks; a tab becomes a space.
pub fn sanitize(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' => Some(' '),
            c if c.is_control() || is_bidi_control(c) => None,
            c => Some(c),
        })
        .collect()
}

/// Like [`sanitize`] but also folds line breaks into spaces, for one-line output.
pub fn sanitize_line(text: &str) -> String {
    sanitize(text).replace('\n', " ")
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
    fn fold_removes_vietnamese_diacritics_and_case() {
        assert_eq!(fold("Phạm Minh Chính"), "pham minh chinh");
        assert_eq!(fold("Thủ tướng"), "thu tuong");
        assert_eq!(fold("Đặng"), "dang");
        assert_eq!(fold("đường"), "duong");
    }

    #[test]
    fn fold_treats_nfc_and_nfd_alike() {
        let nfc: String = "Lương Tam Quang".nfc().collect();
        let nfd: String = "Lương Tam Quang".nfd().collect();
        assert_ne!(nfc, nfd);
        assert_eq!(fold(&nfc), fold(&nfd));
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
    }
}
