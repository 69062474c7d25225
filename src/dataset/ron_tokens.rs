//! RON's tokens as far as cutting a file needs them: brackets, commas, colons, `#`, ASCII
//! identifiers, and everything else (white space, comments, strings, chars, numbers) as
//! one opaque token, so that no bracket or comma inside a string or comment is taken for
//! structure. It follows ron 0.12's lexer (`ron::parse`) where a token can hide another:
//! escaped strings, raw strings with any number of `#`, byte strings, chars, nested block
//! comments, raw identifiers. Where a file is not valid RON the reading may differ from
//! ron's, which then refuses the piece it lands in (see `split.rs`).

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Token {
    /// `(`, `[` or `{`.
    Open,
    /// `)`, `]` or `}`.
    Close,
    Comma,
    Colon,
    Hash,
    /// An ASCII identifier, a raw one (`r#name`) included.
    Ident,
    /// White space, a comment, a string, a char, a number, or any other byte.
    Opaque,
}

/// The token at the start of some bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lexed {
    /// The token and its length in bytes.
    Token(Token, usize),
    /// The bytes end inside the token: more of the file is needed to know where it ends.
    NeedMore,
    /// The file ends inside the token (a string or block comment never closed).
    Unclosed,
}

/// The token `bytes` starts with (`bytes` is not empty); `at_end` says the file ends
/// where `bytes` do.
pub(super) fn next_token(bytes: &[u8], at_end: bool) -> Lexed {
    let unfinished = unfinished(at_end);
    let token = |token, len| Lexed::Token(token, len);
    match bytes[0] {
        b'(' | b'[' | b'{' => token(Token::Open, 1),
        b')' | b']' | b'}' => token(Token::Close, 1),
        b',' => token(Token::Comma, 1),
        b':' => token(Token::Colon, 1),
        b'#' => token(Token::Hash, 1),
        _ if blank_len(bytes).is_some() => {
            let mut len = 0;
            while let Some(blank) = bytes.get(len..).and_then(blank_len) {
                len += blank;
            }
            token(Token::Opaque, len)
        }
        b'"' => escaped_end(bytes, 1, b'"').map_or(unfinished, |len| token(Token::Opaque, len)),
        b'\'' => char_literal(bytes, at_end),
        b'/' => comment(bytes, at_end),
        byte if is_ident_start(byte) => identifier(bytes, at_end),
        byte if byte.is_ascii_digit() => {
            let len = run(bytes, |byte| byte.is_ascii_alphanumeric() || byte == b'_');
            finished_run(len, bytes.len(), at_end, Token::Opaque)
        }
        _ => token(Token::Opaque, 1),
    }
}

/// The tokens of a whole file, each with its byte offset and length, up to the end or to
/// a token the file never closes.
pub(super) fn tokens(bytes: &[u8]) -> impl Iterator<Item = (usize, Token, usize)> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        let rest = bytes.get(at..).filter(|rest| !rest.is_empty())?;
        let Lexed::Token(token, len) = next_token(rest, true) else {
            return None;
        };
        at += len;
        Some((at - len, token, len))
    })
}

/// A field as a file writes it, `name: value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Field<'a> {
    /// The name, without the `r#` of a raw identifier.
    pub name: &'a [u8],
    /// The byte offset of the name.
    pub at: usize,
    /// How many brackets enclose it: 1 for a field of the file's top-level struct.
    pub depth: usize,
    /// The name of the top-level field it is in (its own at depth 1).
    pub within: &'a [u8],
    /// The first token of the value: its offset, kind and length.
    pub value: (usize, Token, usize),
}

/// Every `name: value` field of a whole file, in order, whatever it is nested in; white
/// space and comments may stand between the three parts.
pub(super) fn fields(bytes: &[u8]) -> impl Iterator<Item = Field<'_>> + '_ {
    let significant = tokens(bytes)
        .filter(|&(at, token, _)| token != Token::Opaque || !is_blank_or_comment(&bytes[at..]));
    let mut depth = 0usize;
    let mut within: &[u8] = &[];
    // The two significant tokens before the one read.
    let mut before: [Option<(usize, Token, usize)>; 2] = [None, None];
    significant.filter_map(move |here @ (_, token, _)| {
        let field = match before {
            [Some((at, Token::Ident, len)), Some((_, Token::Colon, _))] => {
                let written = &bytes[at..at + len];
                let name = written.strip_prefix(b"r#").unwrap_or(written);
                if depth == 1 {
                    within = name;
                }
                Some(Field {
                    name,
                    at,
                    depth,
                    within,
                    value: here,
                })
            }
            _ => None,
        };
        match token {
            Token::Open => depth += 1,
            Token::Close => depth = depth.saturating_sub(1),
            _ => {}
        }
        before = [before[1], Some(here)];
        field
    })
}

/// Whether an opaque token at the start of `bytes` is white space or a comment.
fn is_blank_or_comment(bytes: &[u8]) -> bool {
    bytes.first() == Some(&b'/') || blank_len(bytes).is_some()
}

/// The length of the char of white space `bytes` start with, as ron 0.12 reads white
/// space (`ron::parse::is_whitespace_char`, which it does not export): ASCII's, NEL, the
/// left-to-right and right-to-left marks, and the line and paragraph separators.
pub(super) fn blank_len(bytes: &[u8]) -> Option<usize> {
    const WIDE: [&[u8]; 5] = [
        "\u{85}".as_bytes(),
        "\u{200E}".as_bytes(),
        "\u{200F}".as_bytes(),
        "\u{2028}".as_bytes(),
        "\u{2029}".as_bytes(),
    ];
    match bytes.first()? {
        b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => Some(1),
        byte if byte.is_ascii() => None,
        _ => (WIDE.iter()).find_map(|wide| bytes.starts_with(wide).then_some(wide.len())),
    }
}

/// What a token cut short by the end of the bytes at hand is.
fn unfinished(at_end: bool) -> Lexed {
    if at_end {
        Lexed::Unclosed
    } else {
        Lexed::NeedMore
    }
}

fn is_ident_start(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || byte == b'_'
}

fn is_ident_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// How many leading bytes satisfy `keep`.
fn run(bytes: &[u8], keep: impl Fn(u8) -> bool) -> usize {
    bytes
        .iter()
        .position(|&byte| !keep(byte))
        .unwrap_or(bytes.len())
}

/// A token of `len` bytes that runs while its bytes match: it may go on past the bytes
/// at hand unless the file ends there.
fn finished_run(len: usize, available: usize, at_end: bool, token: Token) -> Lexed {
    if len == available && !at_end {
        Lexed::NeedMore
    } else {
        Lexed::Token(token, len)
    }
}

/// The length up to and including the `close` that ends a string whose content starts
/// at `from`, `\` escaping the byte after it; `None` if the bytes end first.
fn escaped_end(bytes: &[u8], from: usize, close: u8) -> Option<usize> {
    let mut at = from;
    loop {
        at += memchr::memchr2(close, b'\\', bytes.get(at..)?)?;
        if bytes[at] == close {
            return Some(at + 1);
        }
        at += 2;
    }
}

/// `'c'` or `'\…'`: ron reads one char, or an escape, then wants `'`. Anything else is a
/// syntax error, so the quote alone is taken and ron says what is wrong.
fn char_literal(bytes: &[u8], at_end: bool) -> Lexed {
    let Some(&first) = bytes.get(1) else {
        return finished_run(1, 1, at_end, Token::Opaque);
    };
    if first == b'\\' {
        // No escape holds a quote but `\'`, whose quote the skip passes over.
        return match escaped_end(bytes, 1, b'\'') {
            Some(len) => Lexed::Token(Token::Opaque, len),
            None if at_end => Lexed::Token(Token::Opaque, 1),
            None => Lexed::NeedMore,
        };
    }
    let close = 1 + utf8_len(first);
    match bytes.get(close) {
        Some(b'\'') => Lexed::Token(Token::Opaque, close + 1),
        None if !at_end => Lexed::NeedMore,
        _ => Lexed::Token(Token::Opaque, 1),
    }
}

/// The length of the UTF-8 char whose first byte is `lead` (1 for a stray byte).
fn utf8_len(lead: u8) -> usize {
    match lead.leading_ones() {
        2 => 2,
        3 => 3,
        4 => 4,
        _ => 1,
    }
}

/// `// …` up to and including its newline, or `/* … */` with nesting as ron has it.
fn comment(bytes: &[u8], at_end: bool) -> Lexed {
    match bytes.get(1) {
        Some(b'/') => match memchr::memchr(b'\n', &bytes[2..]) {
            Some(newline) => Lexed::Token(Token::Opaque, 2 + newline + 1),
            None => finished_run(bytes.len(), bytes.len(), at_end, Token::Opaque),
        },
        Some(b'*') => block_comment(bytes, at_end),
        Some(_) => Lexed::Token(Token::Opaque, 1),
        None => finished_run(1, 1, at_end, Token::Opaque),
    }
}

/// As ron reads one: `/*` opens a level and `*/` closes one, checked at each `/` or `*`.
fn block_comment(bytes: &[u8], at_end: bool) -> Lexed {
    let unfinished = unfinished(at_end);
    let mut level = 1;
    let mut at = 2;
    while level > 0 {
        let Some(found) = memchr::memchr2(b'/', b'*', &bytes[at..]) else {
            return unfinished;
        };
        at += found;
        match (bytes[at], bytes.get(at + 1)) {
            (_, None) => return unfinished,
            (b'/', Some(b'*')) => {
                level += 1;
                at += 2;
            }
            (b'*', Some(b'/')) => {
                level -= 1;
                at += 2;
            }
            _ => at += 1,
        }
    }
    Lexed::Token(Token::Opaque, at)
}

/// An identifier, or the string it prefixes: `r"…"`, `r#"…"#`, `br"…"`, `b"…"`. A raw
/// identifier `r#name` is one identifier.
fn identifier(bytes: &[u8], at_end: bool) -> Lexed {
    let len = run(bytes, is_ident_char);
    let Some(&after) = bytes.get(len) else {
        return finished_run(len, len, at_end, Token::Ident);
    };
    match (&bytes[..len], after) {
        (b"b", b'"') => escaped_end(bytes, len + 1, b'"')
            .map_or(unfinished(at_end), |end| Lexed::Token(Token::Opaque, end)),
        (b"r" | b"br", b'"' | b'#') => raw_string(bytes, len, at_end),
        _ => Lexed::Token(Token::Ident, len),
    }
}

/// A raw string whose `#`s (if any) start at `from`, or a raw identifier `r#name`.
fn raw_string(bytes: &[u8], from: usize, at_end: bool) -> Lexed {
    let unfinished = unfinished(at_end);
    let hashes = run(&bytes[from..], |byte| byte == b'#');
    let open = from + hashes;
    match bytes.get(open) {
        None => return finished_run(open, open, at_end, Token::Opaque),
        Some(b'"') => {}
        // `r#name`: ron reads a raw identifier, whose chars include `.`, `+` and `-`.
        Some(_) if hashes == 1 && bytes[..from] == *b"r" => {
            let name = run(&bytes[open..], |byte| {
                is_ident_char(byte) || matches!(byte, b'.' | b'+' | b'-')
            });
            return finished_run(open + name, bytes.len(), at_end, Token::Ident);
        }
        // ron wants a quote here: the error is its to report.
        Some(_) => return Lexed::Token(Token::Opaque, open),
    }
    let closing = |at: usize| {
        bytes[at + 1..]
            .iter()
            .take(hashes)
            .take_while(|&&byte| byte == b'#')
            .count()
    };
    let mut at = open + 1;
    loop {
        let Some(found) = memchr::memchr(b'"', &bytes[at..]) else {
            return unfinished;
        };
        at += found;
        let matched = closing(at);
        if matched == hashes {
            return Lexed::Token(Token::Opaque, at + 1 + hashes);
        }
        if at + 1 + matched == bytes.len() {
            return unfinished;
        }
        at += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_is_what_ron_reads_as_white_space() {
        for blank in [
            " ", "\t", "\n", "\r", "\x0b", "\x0c", "\u{85}", "\u{200e}", "\u{200f}", "\u{2028}",
            "\u{2029}",
        ] {
            let text = format!("(id:{blank}{blank}\"a\")");
            let values: Vec<_> = fields(text.as_bytes())
                .map(|field| &text[field.value.0..field.value.0 + field.value.2])
                .collect();
            assert_eq!(values, ["\"a\""], "{blank:?}");
            assert!(
                ron::from_str::<ron::Value>(&text).is_ok(),
                "ron reads {blank:?}"
            );
        }
        for not_blank in ["\u{a0}", "\u{2003}", "\u{feff}"] {
            assert_eq!(blank_len(not_blank.as_bytes()), None, "{not_blank:?}");
        }
    }

    #[test]
    fn fields_give_name_depth_and_value_across_blanks_and_comments() {
        let text = "Dataset(a: 1, b /* c: 2 */ : [X(c: \"d: 3\")], r#e: // f: 4\n (g: r\"h\"))";
        let found: Vec<String> = fields(text.as_bytes())
            .map(|field| {
                let (at, _, len) = field.value;
                let name = String::from_utf8_lossy(field.name);
                let within = String::from_utf8_lossy(field.within);
                format!("{within} {name} {} {}", field.depth, &text[at..at + len])
            })
            .collect();
        assert_eq!(
            found,
            [
                "a a 1 1",
                "b b 1 [",
                "b c 3 \"d: 3\"",
                "e e 1 (",
                "e g 2 r\"h\""
            ]
        );
    }

    /// The tokens of a whole text, each as its kind and its bytes, or where it could not
    /// go on.
    fn tokens(text: &str) -> Result<Vec<String>, Lexed> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            match next_token(&bytes[at..], true) {
                Lexed::Token(token, len) => {
                    let text = String::from_utf8_lossy(&bytes[at..at + len]);
                    out.push(format!("{token:?} {text}"));
                    at += len;
                }
                other => return Err(other),
            }
        }
        Ok(out)
    }

    /// Only the tokens that carry structure.
    fn structure(text: &str) -> Vec<String> {
        let mut all = tokens(text).expect("lexes");
        all.retain(|token| !token.starts_with("Opaque"));
        all
    }

    #[test]
    fn brackets_and_commas_inside_strings_and_comments_are_not_structure() {
        let text = r##"(a: "x,]\"(", b: r#"y"],"#, c: br"z,]", d: b"\",", // ],
            e: /* ], /* nested ) */ , */ ',', f: '\'', g: ']')"##;
        let names: Vec<String> = structure(text)
            .into_iter()
            .map(|token| token.split_once(' ').expect("kind").1.to_owned())
            .collect();
        assert_eq!(
            names,
            [
                "(", "a", ":", ",", "b", ":", ",", "c", ":", ",", "d", ":", ",", "e", ":", ",",
                "f", ":", ",", "g", ":", ")"
            ]
        );
    }

    #[test]
    fn raw_strings_close_only_with_as_many_hashes() {
        let text = r###"r##"a"#b"##,"###;
        assert_eq!(
            tokens(text).expect("lexes"),
            [r###"Opaque r##"a"#b"##"###, "Comma ,"]
        );
    }

    #[test]
    fn raw_identifiers_and_string_prefixes_are_told_apart() {
        assert_eq!(structure("r#a.b-c:"), ["Ident r#a.b-c", "Colon :"]);
        assert_eq!(structure("rb\"x\""), ["Ident rb"]);
        assert_eq!(structure("xr\"],\"]"), ["Ident xr", "Close ]"]);
    }

    #[test]
    fn a_token_cut_by_the_end_of_the_bytes_asks_for_more() {
        for partial in [
            "\"abc",
            "\"ab\\",
            "r#\"a\"",
            "r##\"a\"#",
            "/* /* */",
            "/",
            "'",
            "'\\",
            "statem",
            "r",
            "b",
            "12",
            "// no newline yet",
            "/*x*",
        ] {
            assert_eq!(
                next_token(partial.as_bytes(), false),
                Lexed::NeedMore,
                "{partial:?}"
            );
        }
        assert_eq!(
            next_token(b"/* a */ ", false),
            Lexed::Token(Token::Opaque, 7)
        );
    }

    #[test]
    fn strings_and_comments_left_open_at_the_end_of_the_file_are_unclosed() {
        for open in ["\"abc", "r#\"a\"", "/* /* */", "b\"x"] {
            assert_eq!(
                next_token(open.as_bytes(), true),
                Lexed::Unclosed,
                "{open:?}"
            );
        }
        assert_eq!(
            next_token(b"// last line", true),
            Lexed::Token(Token::Opaque, 12)
        );
    }

    #[test]
    fn chars_hold_any_one_char_or_escape() {
        assert_eq!(structure("''',"), ["Comma ,"]);
        assert_eq!(structure("'\"',"), ["Comma ,"]);
        assert_eq!(structure("'ư',"), ["Comma ,"]);
        assert_eq!(structure("'\\u{5b}',"), ["Comma ,"]);
    }

    #[test]
    fn non_ascii_bytes_are_opaque_one_by_one() {
        // ron counts U+2028 as white space, so the `r"` after it opens a raw string.
        assert_eq!(structure("\u{2028}r\"\\\",x"), ["Comma ,", "Ident x"]);
    }
}
