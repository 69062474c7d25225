//! Reading a dataset file: size limit, UTF-8 and BOM, RON parsing with positioned errors,
//! NFC, then validation with every problem located in the file.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::error::{Excerpt, LoadError, Located, Position};
use super::model::Dataset;
use super::normalize::to_nfc;
use super::validate::{Problem, validate};

/// Larger files are refused before reading: no real conference comes near, and reading
/// one would take the memory of a small machine.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// Reads, parses and validates the dataset at `path`.
pub fn load_file(path: &Path) -> Result<Dataset, LoadError> {
    let io = |source| LoadError::Io {
        path: path.to_owned(),
        source,
    };
    let file = File::open(path).map_err(io)?;
    let too_large = |size| LoadError::TooLarge {
        path: path.to_owned(),
        size,
        limit: MAX_FILE_BYTES,
    };
    let size = file.metadata().map_err(io)?.len();
    if size > MAX_FILE_BYTES {
        return Err(too_large(size));
    }
    // The metadata size can be 0 or stale (pipes, files still being written): bound the read itself.
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    parse_bytes(&bytes, path)
}

/// Parses a dataset from raw bytes; `path` only names the file in messages.
pub fn parse_bytes(bytes: &[u8], path: &Path) -> Result<Dataset, LoadError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_str(text, path),
        Err(error) => {
            let offset = error.valid_up_to();
            // The prefix up to the bad byte is valid UTF-8 by definition.
            let prefix = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
            Err(LoadError::NotUtf8 {
                path: path.to_owned(),
                position: end_position(prefix),
                offset,
            })
        }
    }
}

/// Parses a dataset from text; `path` only names the file in messages.
pub fn parse_str(text: &str, path: &Path) -> Result<Dataset, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(LoadError::Empty {
            path: path.to_owned(),
        });
    }
    // Default options keep ron's recursion limit, so hostile nesting is an error, not a stack overflow.
    let mut dataset: Dataset = ron::Options::default()
        .from_str(text)
        .map_err(|error| syntax_error(text, path, &error))?;
    to_nfc(&mut dataset);
    let problems = validate(&dataset);
    if problems.is_empty() {
        Ok(dataset)
    } else {
        Err(LoadError::Invalid {
            path: path.to_owned(),
            problems: locate(text, problems),
        })
    }
}

fn syntax_error(text: &str, path: &Path, error: &ron::error::SpannedError) -> LoadError {
    let start = error.span.start;
    let position = Position {
        line: start.line,
        column: start.col,
    };
    let path: PathBuf = path.to_owned();
    let message = error.code.to_string();
    match Excerpt::of(text, position) {
        Some(excerpt) => LoadError::Syntax {
            path,
            message,
            excerpt,
        },
        None => LoadError::SyntaxAtEnd {
            path,
            message,
            position,
        },
    }
}

/// The position just past the end of `prefix`.
fn end_position(prefix: &str) -> Position {
    let line = 1 + prefix.matches('\n').count();
    let last_line = prefix.rsplit('\n').next().unwrap_or_default();
    Position {
        line,
        column: 1 + last_line.chars().count(),
    }
}

/// Attaches to each problem the position of the `id: "…"` that defines its subject.
fn locate(text: &str, problems: Vec<Problem>) -> Vec<Located<Problem>> {
    problems
        .into_iter()
        .map(|item| Located {
            position: item
                .subject()
                .and_then(|(id, occurrence)| id_definitions(text, id).nth(occurrence))
                .map(|offset| end_position(&text[..offset])),
            item,
        })
        .collect()
}

/// Byte offsets of each `id: "<id>"` field in the text, in order.
fn id_definitions<'a>(text: &'a str, id: &str) -> impl Iterator<Item = usize> + 'a {
    let literal = format!("\"{id}\"");
    text.match_indices(&literal)
        .map(|(offset, _)| offset)
        .filter(move |&offset| {
            let before = text[..offset].trim_end();
            before
                .strip_suffix(':')
                .map(str::trim_end)
                .and_then(|field| field.strip_suffix("id"))
                .is_some_and(|rest| {
                    !rest
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_')
                })
        })
        .collect::<Vec<_>>()
        .into_iter()
}
