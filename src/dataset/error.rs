//! Why a dataset could not be loaded, in words that say where (file, line, column) and what.

use std::fmt;
use std::path::PathBuf;

use unicode_width::UnicodeWidthStr;

use super::problem::Problem;
use crate::text::sanitize_line;

/// A 1-based line and column (in characters), as ron reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    /// The position just past the end of `prefix` (the text before a byte offset).
    pub fn after(prefix: &str) -> Self {
        let line = 1 + prefix.matches('\n').count();
        let last_line = prefix.rsplit('\n').next().unwrap_or_default();
        Self {
            line,
            column: 1 + last_line.chars().count(),
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// The offending line of a file, kept so the message can show it with a caret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    pub position: Position,
    pub line_text: String,
}

impl Excerpt {
    /// The excerpt of `text` around `position`; `None` when the position is past the end.
    pub fn of(text: &str, position: Position) -> Option<Self> {
        let line_text = text.lines().nth(position.line.checked_sub(1)?)?;
        Some(Self {
            position,
            line_text: line_text.to_owned(),
        })
    }
}

impl fmt::Display for Excerpt {
    /// Renders the line as it would show in a terminal, with a caret under the column;
    /// controls are replaced one for one so the caret stays aligned.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let chars: Vec<char> = self
            .line_text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let column = self.position.column.saturating_sub(1).min(chars.len());
        // A minified or hostile file can have one enormous line: show a window around the column.
        let first = column.saturating_sub(EXCERPT_CONTEXT);
        let last = (column + EXCERPT_CONTEXT).min(chars.len());
        let lead = if first > 0 { "…" } else { "" };
        let tail = if last < chars.len() { "…" } else { "" };
        let before = sanitize_line(&chars[first..column].iter().collect::<String>());
        let after = sanitize_line(&chars[column..last].iter().collect::<String>());
        let number = self.position.line.to_string();
        let gutter = " ".repeat(number.len());
        writeln!(f, "{gutter} |")?;
        writeln!(f, "{number} | {lead}{before}{after}{tail}")?;
        write!(
            f,
            "{gutter} | {}^",
            " ".repeat(lead.width() + before.width())
        )
    }
}

/// How many characters an excerpt shows on each side of the column.
const EXCERPT_CONTEXT: usize = 80;

/// Everything that stops a dataset from loading.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: cannot read the file: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path}: the file is {size} bytes, more than the {limit} bytes a dataset may have; \
         is this the right file?"
    )]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    #[error("{path}: the file is empty; a dataset starts with `Dataset(`")]
    Empty { path: PathBuf },
    #[error(
        "{path}:{position}: the file is not UTF-8 text (invalid byte at offset {offset}); \
         is this a binary file?"
    )]
    NotUtf8 {
        path: PathBuf,
        position: Position,
        offset: usize,
    },
    #[error("{path}:{}: {message}\n{excerpt}{}", excerpt.position, runaway_note(path, *runaway))]
    Syntax {
        path: PathBuf,
        message: String,
        excerpt: Excerpt,
        /// Where a string that runs over several lines opens, when one ends just before the
        /// error: the usual cause is a missing closing quote there, not at the error.
        runaway: Option<Position>,
    },
    /// A syntax error reported past the end of the text (ron's "unexpected end").
    #[error("{path}:{position}: {message}")]
    SyntaxAtEnd {
        path: PathBuf,
        message: String,
        position: Position,
    },
    #[error("{}", invalid_report(path, problems))]
    Invalid {
        path: PathBuf,
        problems: Vec<Located<Problem>>,
    },
    /// A reference that validation passed did not resolve when indexing: a bug.
    #[error("{path}: a reference that passed validation does not resolve; please report this bug")]
    Unresolved { path: PathBuf },
    /// A published schedule that could not be converted (boxed: it is the largest variant).
    #[error(transparent)]
    Import(Box<crate::import::ImportError>),
}

/// A validation problem and where in the file the item it names is defined.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub position: Option<Position>,
    /// For a duplicate id: where the item it repeats the id of is.
    pub first_defined: Option<Position>,
    pub item: T,
}

fn runaway_note(path: &std::path::Path, runaway: Option<Position>) -> String {
    runaway.map_or_else(String::new, |at| {
        format!(
            "\nnote: the string opened at {}:{at} runs over several lines; is its closing quote missing?",
            path.display()
        )
    })
}

fn invalid_report(path: &std::path::Path, problems: &[Located<Problem>]) -> String {
    let count = problems.len();
    let mut report = format!(
        "{}: {count} problem{} in the dataset:",
        path.display(),
        if count == 1 { "" } else { "s" }
    );
    for problem in problems {
        report.push_str("\n  ");
        if let Some(position) = problem.position {
            report.push_str(&format!("{}:{position}: ", path.display()));
        }
        report.push_str(&sanitize_line(&problem.item.to_string()));
        if let Some(first) = problem.first_defined {
            // The first by the order ids are counted in, which a file may not follow.
            let written = match problem.position {
                Some(at) if (at.line, at.column) < (first.line, first.column) => "also",
                _ => "first",
            };
            report.push_str(&format!(" ({written} defined at line {})", first.line));
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{ItemId, Kind};

    #[test]
    fn a_duplicate_written_before_the_item_it_repeats_says_also_defined() {
        let duplicate = |line, column| Located {
            position: Some(Position { line, column }),
            first_defined: Some(Position {
                line: 3,
                column: 139,
            }),
            item: Problem::DuplicateId {
                item: ItemId::new(Kind::Statement, "x", 0),
                first: ItemId::new(Kind::Session, "x", 0),
            },
        };
        let path = std::path::Path::new("d.ron");
        let report = invalid_report(path, &[duplicate(3, 32), duplicate(3, 200)]);
        assert!(report.contains("d.ron:3:32: duplicate id \"x\" (also defined at line 3)"));
        assert!(report.contains("d.ron:3:200: duplicate id \"x\" (first defined at line 3)"));
    }

    #[test]
    fn excerpt_puts_the_caret_under_the_column_after_wide_and_accented_text() {
        let excerpt = Excerpt::of(
            "first\n  text: \"Thủ tướng\" x\n",
            Position {
                line: 2,
                column: 21,
            },
        )
        .expect("line 2 exists");
        let shown = excerpt.to_string();
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines[1], "2 |   text: \"Thủ tướng\" x");
        // The caret column counts display cells; it must land under the `x`.
        let caret = lines[2].find('^').expect("caret") - "  | ".len() + 1;
        assert_eq!(caret, 1 + "  text: \"Thu tuong\" ".len());
    }

    #[test]
    fn a_long_line_is_shown_as_a_window_around_the_column() {
        let line = format!("{}X{}", "(".repeat(100_000), ")".repeat(100_000));
        let excerpt = Excerpt::of(
            &line,
            Position {
                line: 1,
                column: 100_001,
            },
        )
        .expect("line");
        let shown = excerpt.to_string();
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(
            lines[1].chars().count(),
            "1 | ".len() + 2 * EXCERPT_CONTEXT + 2
        );
        let caret = lines[2].find('^').expect("caret");
        assert_eq!(lines[1].chars().nth(caret), Some('X'));
    }

    #[test]
    fn excerpt_past_the_end_is_none() {
        assert!(Excerpt::of("one line", Position { line: 3, column: 1 }).is_none());
    }
}
