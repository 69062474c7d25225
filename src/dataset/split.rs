//! Finding a RON dataset's `statements` list while the file is read, and cutting it
//! between elements, so that a large file is parsed in pieces (see `chunked.rs`) and never
//! held whole.
//!
//! The pieces are exactly the file: the head is the file with the list's elements taken
//! out (`…statements: [` + `]…`), and the elements follow one another, each run cut after
//! a comma that separates two of them. A cut made where ron would not see that comma
//! (inside a string, a comment, a nested value) leaves a piece that ron refuses, since
//! the token it ends in is never closed there; so pieces that all parse are the file's
//! own elements, and a file whose shape is unusual is read whole instead.

use std::io::Read;

use super::load::BOM;
use super::ron_tokens::{Lexed, Token, next_token};

/// How much is read and parsed at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Sizes {
    /// A run of the list is handed on once it is this long (at the next comma).
    pub chunk: usize,
    /// Bytes read at a time, unless a long token needs more.
    pub block: usize,
}

/// The file around its statement list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Outline {
    /// The file with its statement list emptied, without a byte order mark.
    pub head: Vec<u8>,
}

/// Where the reading is.
enum Phase {
    /// Before the dataset's value: attributes (`#![enable(…)]`), comments, white space.
    Preamble { in_attribute: bool },
    /// In the dataset's value, before its statement list.
    Head { field: Field },
    /// In the statement list.
    List,
}

/// How much of `statements: [` the last tokens at the top of the value were.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Other,
    Name,
    Colon,
}

/// Reads `reader` to its end, giving `on_chunk` the statement list's elements in order,
/// in runs of at least `sizes.chunk` bytes (but the last) that end after the comma following
/// an element, with the text that precedes the dataset's value (attributes, which every
/// piece must be read with). `None` if the file has no statement list at the top of its
/// value, cannot be read, is longer than `limit`, or ends inside a token, or if
/// `on_chunk` returns `false`.
pub(super) fn split(
    reader: impl Read,
    sizes: Sizes,
    limit: u64,
    mut on_chunk: impl FnMut(&[u8], &[u8]) -> bool,
) -> Option<Outline> {
    let mut source = Source {
        reader,
        block: sizes.block,
        read: 0,
        limit,
        at_end: false,
    };
    let mut buf = Vec::new();
    while buf.len() < BOM.len() && !source.at_end {
        source.fill(&mut buf, BOM.len())?;
    }
    let mut start = if buf.starts_with(BOM) { BOM.len() } else { 0 };
    let mut preamble = Vec::new();
    let mut head = Vec::new();
    let mut phase = Phase::Preamble {
        in_attribute: false,
    };
    let mut depth = 0usize;
    let mut at = start;
    loop {
        let lexed = if at < buf.len() {
            next_token(&buf[at..], source.at_end)
        } else if source.at_end {
            return None;
        } else {
            Lexed::NeedMore
        };
        let (token, len) = match lexed {
            Lexed::Token(token, len) => (token, len),
            Lexed::Unclosed => return None,
            Lexed::NeedMore => {
                // At least as much as the unfinished token already holds, so that a long
                // token is lexed again only a few times.
                let unfinished = buf.len() - at;
                source.fill(&mut buf, unfinished)?;
                continue;
            }
        };
        let byte = buf[at];
        at += len;
        match &mut phase {
            Phase::Preamble { in_attribute } => match token {
                Token::Opaque => {}
                Token::Hash if depth == 0 => *in_attribute = true,
                _ if *in_attribute => {
                    depth = nest(depth, token)?;
                    *in_attribute = depth > 0 || token != Token::Close;
                }
                _ => {
                    // The dataset's value starts with this token: read it again as the
                    // head's first.
                    at -= len;
                    preamble = buf[start..at].to_vec();
                    phase = Phase::Head {
                        field: Field::Other,
                    };
                }
            },
            Phase::Head { field } => {
                let top = depth == 1;
                depth = nest(depth, token)?;
                *field = match (token, *field) {
                    (Token::Opaque, field) if top => field,
                    (Token::Ident, _) if top && &buf[at - len..at] == b"statements" => Field::Name,
                    (Token::Colon, Field::Name) if top => Field::Colon,
                    (Token::Open, Field::Colon) if top && byte == b'[' => {
                        head = buf[start..at].to_vec();
                        buf.drain(..at);
                        (start, at) = (0, 0);
                        phase = Phase::List;
                        continue;
                    }
                    _ => Field::Other,
                };
                if depth == 0 && token == Token::Close {
                    return None;
                }
            }
            Phase::List => match token {
                Token::Comma if depth == 2 && at >= sizes.chunk => {
                    if !on_chunk(&preamble, &buf[..at]) {
                        return None;
                    }
                    buf.drain(..at);
                    at = 0;
                }
                Token::Close if depth == 2 => {
                    if !on_chunk(&preamble, &buf[..at - len]) {
                        return None;
                    }
                    head.extend_from_slice(&buf[at - len..]);
                    while !source.at_end {
                        source.fill(&mut head, 0)?;
                    }
                    return Some(Outline { head });
                }
                _ => depth = nest(depth, token)?,
            },
        }
    }
}

/// The file, read a block at a time up to a limit.
struct Source<R> {
    reader: R,
    block: usize,
    /// Bytes read so far.
    read: u64,
    limit: u64,
    at_end: bool,
}

impl<R: Read> Source<R> {
    /// Appends a block or `at_least` bytes to `buf`, whichever is more, or what is left;
    /// `None` if reading fails or passes the limit.
    fn fill(&mut self, buf: &mut Vec<u8>, at_least: usize) -> Option<()> {
        let before = buf.len();
        let want = u64::try_from(at_least.max(self.block)).ok()?;
        (&mut self.reader).take(want).read_to_end(buf).ok()?;
        let got = (buf.len() - before) as u64;
        // `read_to_end` stops short of `want` only at the end of the file.
        self.at_end = got < want;
        self.read += got;
        (self.read <= self.limit).then_some(())
    }
}

/// The nesting depth after `token`; `None` if it closes more than was opened.
fn nest(depth: usize, token: Token) -> Option<usize> {
    match token {
        Token::Open => Some(depth + 1),
        Token::Close => depth.checked_sub(1),
        _ => Some(depth),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `split` gives for `text`: the preamble each run came with, the runs, the head.
    fn pieces(text: &str, sizes: Sizes) -> Option<(Vec<String>, Vec<String>, String)> {
        let (mut preambles, mut runs) = (Vec::new(), Vec::new());
        let outline = split(text.as_bytes(), sizes, u64::MAX, |preamble, run| {
            preambles.push(String::from_utf8(preamble.to_vec()).expect("UTF-8"));
            runs.push(String::from_utf8(run.to_vec()).expect("UTF-8"));
            true
        })?;
        let head = String::from_utf8(outline.head).expect("UTF-8");
        Some((preambles, runs, head))
    }

    const EACH: Sizes = Sizes { chunk: 1, block: 1 };

    const TEXT: &str = "\u{feff}#![enable(implicit_some)] // a ( comment\n\
        Dataset(event: (name: \"statements: [\"), /* statements: [ */ statements: [\n  \
        (text: \"a, ]\"), r#\"b\"#, // ],\n  [1, (2, 3)], /* , */ 'x',\n], disputes: [(x: [])])\n";

    #[test]
    fn the_list_is_cut_after_each_separating_comma_and_the_head_keeps_the_rest() {
        let (preambles, runs, head) = pieces(TEXT, EACH).expect("split");
        let preamble = "#![enable(implicit_some)] // a ( comment\n";
        assert!(preambles.iter().all(|p| p == preamble), "{preambles:?}");
        assert_eq!(
            runs,
            [
                "\n  (text: \"a, ]\"),",
                " r#\"b\"#,",
                " // ],\n  [1, (2, 3)],",
                " /* , */ 'x',",
                "\n"
            ]
        );
        assert_eq!(
            head,
            "#![enable(implicit_some)] // a ( comment\nDataset(event: (name: \"statements: [\"), /* statements: [ */ statements: [\
             ], disputes: [(x: [])])\n"
        );
        let list = format!("statements: [{}]", runs.concat());
        let rebuilt = head.replacen("statements: []", &list, 1);
        assert_eq!(rebuilt, TEXT.trim_start_matches('\u{feff}'));
    }

    #[test]
    fn runs_grow_to_the_chunk_size_and_end_at_a_separating_comma() {
        let (_, runs, _) = pieces(
            TEXT,
            Sizes {
                chunk: 20,
                block: 7,
            },
        )
        .expect("split");
        assert_eq!(
            runs,
            [
                "\n  (text: \"a, ]\"), r#\"b\"#,",
                " // ],\n  [1, (2, 3)],",
                " /* , */ 'x',\n"
            ]
        );
    }

    #[test]
    fn any_block_size_gives_the_same_pieces() {
        let whole = pieces(TEXT, EACH);
        assert!(whole.is_some());
        for block in 1..=TEXT.len() + 1 {
            assert_eq!(
                pieces(TEXT, Sizes { chunk: 1, block }),
                whole,
                "block {block}"
            );
        }
    }

    #[test]
    fn files_without_a_statement_list_at_the_top_of_their_value_are_not_split() {
        for text in [
            "",
            "\u{feff}",
            "Dataset(event: (), sessions: [(statements: [1])])",
            "(statements: 5)",
            "(notes: \"statements: [\")",
            "(statements: [\"open",
            "(statements: [1, /* open",
            "#![enable(x)] (x: 1), (statements: [])",
            ")(statements: [])",
        ] {
            assert_eq!(pieces(text, EACH), None, "{text:?}");
        }
    }

    #[test]
    fn a_file_longer_than_the_limit_is_not_split() {
        let text = "(statements: [1, 2, 3])";
        let split_with = |limit| split(text.as_bytes(), EACH, limit, |_, _| true);
        assert!(split_with(text.len() as u64).is_some());
        assert_eq!(split_with(text.len() as u64 - 1), None);
    }

    #[test]
    fn a_refused_run_stops_the_reading() {
        let mut calls = 0;
        let outline = split(TEXT.as_bytes(), EACH, u64::MAX, |_, _| {
            calls += 1;
            calls < 2
        });
        assert_eq!((outline, calls), (None, 2));
    }
}
