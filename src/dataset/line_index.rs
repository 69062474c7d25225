//! Line and column of byte offsets in a text, for the many positions a report can need
//! (a dataset's problems, a schedule's events): each found by binary search, never by
//! reading the text from its start.

use super::error::Position;

/// How far apart [`LineIndex`] marks long lines, in bytes.
const MARK_EVERY: usize = 64 * 1024;

pub(crate) struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset at which each line starts.
    starts: Vec<usize>,
    /// Marks in lines longer than [`MARK_EVERY`] bytes, about that far apart: each a byte
    /// offset on a char boundary and the chars from its line's start to it, so that a
    /// column is never counted over more than that (a dataset written on one line can
    /// have a million problems to place).
    marks: Vec<(usize, usize)>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let after_newlines = memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| at + 1);
        let starts: Vec<usize> = std::iter::once(0).chain(after_newlines).collect();
        let ends = starts.iter().skip(1).copied().chain([text.len()]);
        let mut marks = Vec::new();
        for (start, end) in starts.iter().copied().zip(ends) {
            let (mut mark, mut chars) = (start, 0);
            while end - mark > MARK_EVERY {
                let mut next = mark + MARK_EVERY;
                while !text.is_char_boundary(next) {
                    next += 1;
                }
                chars += text[mark..next].chars().count();
                marks.push((next, chars));
                mark = next;
            }
        }
        Self {
            text,
            starts,
            marks,
        }
    }

    /// The position of the character at `offset` (columns count characters): as
    /// `Position::after(&text[..offset])` where `offset` is a char boundary.
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&start| start <= offset);
        let start = self.starts[line.saturating_sub(1)];
        let marked = self.marks.partition_point(|&(at, _)| at <= offset);
        let (from, chars) = match marked.checked_sub(1).map(|m| self.marks[m]) {
            Some((at, chars)) if at >= start => (at, chars),
            _ => (start, 0),
        };
        Position {
            line: line.max(1),
            column: 1 + chars + self.text[from..offset].chars().count(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_lines_and_characters() {
        let text = "ab\nđặng x\n\nz";
        let lines = LineIndex::new(text);
        let at = |needle: &str| {
            lines
                .position(text.find(needle).expect("present"))
                .to_string()
        };
        assert_eq!(at("a"), "1:1");
        assert_eq!(at("x"), "2:6");
        assert_eq!(at("z"), "4:1");
        // Inside a multi-byte character: the character's own position.
        assert_eq!(
            lines
                .position(text.find('ặ').expect("present") + 1)
                .to_string(),
            "2:2"
        );
        assert_eq!(lines.position(usize::MAX).to_string(), "4:2");
    }

    #[test]
    fn positions_are_those_position_after_gives() {
        let text = "ab\nçd\r\n\nxyz";
        let lines = LineIndex::new(text);
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            assert_eq!(
                lines.position(offset),
                Position::after(&text[..offset]),
                "{offset}"
            );
        }
        // Lines long enough to be marked, of chars of one to three bytes.
        let long = "ạb€".repeat(MARK_EVERY);
        let text = format!("x\n{long}\nshort\n{long}");
        let lines = LineIndex::new(&text);
        assert!(lines.marks.len() > 10);
        let sampled = (text.char_indices()).filter(|(offset, _)| offset % 997 < 3);
        for (offset, _) in sampled.chain([(text.len(), ' ')]) {
            assert_eq!(
                lines.position(offset),
                Position::after(&text[..offset]),
                "{offset}"
            );
        }
    }
}
