//! Importing published conference schedules (frab / Pentabarf `schedule.xml`, c3voc
//! `schedule.json`) as hanoi-tui datasets: which format a file is, and the conversion.
//! Each format's reader fills the shared [`schedule::Schedule`], which one mapping turns
//! into a [`Dataset`].

mod c3voc;
mod error;
mod frab;
mod ids;
mod output;
mod schedule;
mod times;
mod xml;

use std::path::Path;

pub use error::{Fault, ImportError, Problem};
pub use output::{WriteError, to_ron, write_new_file};
pub use schedule::NOT_GIVEN;

use crate::dataset::{Dataset, LineIndex, LoadError, Position, read_file, utf8};

/// A schedule format hanoi-tui can import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// frab / Pentabarf `schedule.xml`.
    Frab,
    /// c3voc `schedule.json`.
    C3voc,
}

impl Format {
    /// The schedule format of a file, or `None` for a native RON dataset. A `.ron` file is
    /// always a dataset; otherwise the content decides (`<` is XML, `{` is JSON), then the
    /// extension, so a schedule saved under any name opens.
    pub fn detect(path: &Path, bytes: &[u8]) -> Option<Self> {
        let extension = path
            .extension()
            .and_then(|extension| extension.to_str())
            .map(str::to_ascii_lowercase);
        let first = bytes
            .strip_prefix("\u{feff}".as_bytes())
            .unwrap_or(bytes)
            .iter()
            .find(|byte| !byte.is_ascii_whitespace());
        match (extension.as_deref(), first) {
            (Some("ron"), _) => None,
            (_, Some(b'<')) | (Some("xml"), _) => Some(Self::Frab),
            (_, Some(b'{')) | (Some("json"), _) => Some(Self::C3voc),
            _ => None,
        }
    }

    /// The format's name, for messages and the imported source's title.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Frab => "frab schedule.xml",
            Self::C3voc => "c3voc schedule.json",
        }
    }
}

/// Reads and converts the schedule at `path`; a RON dataset is refused, since it needs
/// no import.
pub fn import_file(path: &Path) -> Result<(Format, Dataset), LoadError> {
    let bytes = read_file(path)?;
    let Some(format) = Format::detect(path, &bytes) else {
        let problem = Problem::Syntax {
            format: "schedule",
            message: "this is neither a frab schedule.xml nor a c3voc schedule.json \
                      (a .ron file is already a dataset: open it with --data)"
                .to_owned(),
        };
        return Err(failed(
            path,
            Fault::new(Position { line: 1, column: 1 }, problem),
        ));
    };
    Ok((format, import_bytes(format, &bytes, path)?))
}

/// Converts a schedule of `format` held in `bytes`; `path` names it in messages and in
/// the dataset's source.
pub fn import_bytes(format: Format, bytes: &[u8], path: &Path) -> Result<Dataset, LoadError> {
    let text = utf8(bytes, path)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let schedule = match format {
        Format::Frab => frab::parse(text),
        Format::C3voc => c3voc::parse(text),
    };
    schedule
        .and_then(|schedule| schedule::to_dataset(schedule, format, path))
        .map_err(|fault| failed(path, fault))
}

fn failed(path: &Path, fault: Fault) -> LoadError {
    LoadError::Import(Box::new(ImportError {
        path: path.to_owned(),
        fault,
    }))
}

/// The position of byte `offset` in `text`.
pub(crate) fn position_at(text: &str, offset: usize) -> Position {
    LineIndex::new(text).position(offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_comes_from_the_content_then_the_extension_and_ron_stays_ron() {
        let detect = |name: &str, text: &str| Format::detect(Path::new(name), text.as_bytes());
        assert_eq!(
            detect("schedule.xml", "<?xml?><schedule/>"),
            Some(Format::Frab)
        );
        assert_eq!(
            detect("schedule", "\u{feff}\n  <schedule/>"),
            Some(Format::Frab)
        );
        assert_eq!(
            detect("export.txt", " {\"schedule\": {}}"),
            Some(Format::C3voc)
        );
        assert_eq!(detect("schedule.JSON", "garbage"), Some(Format::C3voc));
        assert_eq!(detect("schedule.xml", ""), Some(Format::Frab));
        assert_eq!(detect("data.ron", "{"), None);
        assert_eq!(detect("data", "Dataset("), None);
        assert_eq!(detect("data", "// a comment\n("), None);
    }
}
