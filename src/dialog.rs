//! The small dialogs the quote features open over the panes: a format chooser (for `Y`
//! and for the basket export), the export path, and "replace the existing file?".

use std::path::PathBuf;

use crate::collection::DocumentFormat;
use crate::export::Format;
use crate::keymap::Mode;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dialog {
    /// Which format to copy `statement` in; `selected` indexes `COPY_FORMATS`.
    CopyFormat { statement: usize, selected: usize },
    /// Which format to export the basket in; `selected` indexes `DocumentFormat::ALL`.
    ExportFormat { selected: usize },
    /// The file to export to, edited in place.
    ExportPath {
        format: DocumentFormat,
        path: String,
    },
    /// `path` exists: replace it with `contents`?
    Overwrite { path: PathBuf, contents: String },
}

/// The formats `Y` offers, in the order shown.
pub const COPY_FORMATS: [Format; 3] = [Format::Plain, Format::Markdown, Format::Json];

impl Dialog {
    /// Which bindings apply while it is open.
    pub fn mode(&self) -> Mode {
        match self {
            Dialog::CopyFormat { .. } | Dialog::ExportFormat { .. } => Mode::Choose,
            Dialog::ExportPath { .. } => Mode::Prompt,
            Dialog::Overwrite { .. } => Mode::Confirm,
        }
    }

    pub fn title(&self) -> &'static str {
        match self {
            Dialog::CopyFormat { .. } => "Copy as",
            Dialog::ExportFormat { .. } => "Export the basket as",
            Dialog::ExportPath { .. } => "Export to file",
            Dialog::Overwrite { .. } => "File exists",
        }
    }

    /// The choices of a chooser (empty for the other dialogs), and which one is selected.
    pub fn choices(&self) -> (Vec<&'static str>, usize) {
        match self {
            Dialog::CopyFormat { selected, .. } => (
                COPY_FORMATS.iter().map(|&f| copy_format_label(f)).collect(),
                *selected,
            ),
            Dialog::ExportFormat { selected } => (
                DocumentFormat::ALL.iter().map(|f| f.label()).collect(),
                *selected,
            ),
            Dialog::ExportPath { .. } | Dialog::Overwrite { .. } => (Vec::new(), 0),
        }
    }
}

pub fn copy_format_label(format: Format) -> &'static str {
    match format {
        Format::Plain => "Plain text with attribution",
        Format::Markdown => "Markdown (blockquote, linked source)",
        Format::Json => "JSON",
    }
}
