//! Why a schedule could not be imported, located at a line and column of the file.

use std::fmt;
use std::path::PathBuf;

use crate::dataset::Position;
use crate::text::sanitize_line;

/// A problem in a schedule file, with where it is.
#[derive(Debug, thiserror::Error)]
#[error("{}:{}: {}", path.display(), fault.position, fault.problem)]
pub struct ImportError {
    pub path: PathBuf,
    pub fault: Fault,
}

/// A problem and its position, before the file's name is attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub position: Position,
    pub problem: Problem,
}

impl Fault {
    pub fn new(position: Position, problem: Problem) -> Self {
        Self { position, problem }
    }
}

/// What is wrong. `element` and `field` are written as the format spells them
/// (`<event id="12">`, `<title>`; `event`, `field "title"`), so the reader can find them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Not well-formed XML or JSON, or not the structure the format requires.
    Syntax {
        format: &'static str,
        message: String,
    },
    /// A required element, attribute or field is absent or empty.
    Missing { element: String, field: String },
    /// A value that cannot be read as what the format says it is.
    Invalid {
        element: String,
        field: String,
        value: String,
        expected: &'static str,
    },
    /// Two events (or persons) with the same key, which must identify one.
    Duplicate {
        element: String,
        field: &'static str,
        value: String,
        first: Position,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Syntax { format, message } => {
                write!(f, "not a valid {format}: {}", sanitize_line(message))
            }
            Problem::Missing { element, field } => write!(
                f,
                "{} has no {}, which is required",
                sanitize_line(element),
                sanitize_line(field)
            ),
            Problem::Invalid {
                element,
                field,
                value,
                expected,
            } => write!(
                f,
                "{} {}: \"{}\" is not {expected}",
                sanitize_line(element),
                sanitize_line(field),
                sanitize_line(value)
            ),
            Problem::Duplicate {
                element,
                field,
                value,
                first,
            } => write!(
                f,
                "{} has the same {field} \"{}\" as the one at line {}, column {}",
                sanitize_line(element),
                sanitize_line(value),
                first.line,
                first.column
            ),
        }
    }
}
