//! Effects the reducer asks for and the loop performs, and the clipboard they may use.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use base64::Engine as _;

use crate::action::{Action, ExportFailure};
use crate::collection::{self, Collection};
use crate::fs_atomic::{self, Overwrite, WriteError};

/// Work with side effects, returned by `update` as data. Its outcome comes back as an `Action`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Put `text` on the clipboard; the result comes back as `Action::CopyDone`.
    CopyToClipboard { text: String },
    /// Run a search off the UI thread; answers come back as `Action::SearchResults`.
    Search(crate::search::worker::SearchRequest),
    /// Write an export to `path` atomically, replacing an existing file only if
    /// `overwrite`; the result comes back as `Action::ExportDone`.
    WriteExport {
        path: PathBuf,
        contents: String,
        overwrite: bool,
    },
    /// Save the basket and bookmarks to `path`, merged with what another instance saved
    /// since `base`; the result comes back as `Action::SaveDone`.
    SaveCollection {
        path: PathBuf,
        base: Collection,
        collection: Collection,
    },
}

/// Performs `Effect::WriteExport`.
pub fn write_export(path: &Path, contents: &str, overwrite: bool) -> Action {
    let path = &crate::paths::expand_home(path);
    let overwrite = if overwrite {
        Overwrite::Allow
    } else {
        Overwrite::Refuse
    };
    Action::ExportDone(
        match fs_atomic::write(path, contents.as_bytes(), overwrite) {
            Ok(()) => Ok(path.to_owned()),
            Err(WriteError::Exists(path)) => Err(ExportFailure::Exists(path)),
            Err(error) => Err(ExportFailure::Other(error.to_string())),
        },
    )
}

/// Performs `Effect::SaveCollection`.
pub fn save_collection(path: &Path, base: &Collection, collection: &Collection) -> Action {
    Action::SaveDone(collection::save(path, base, collection))
}

/// Somewhere copied text can go.
pub trait Clipboard {
    /// Copies `text`; on success, says where it went ("terminal clipboard (OSC 52)").
    fn copy(&mut self, text: &str) -> Result<String, String>;
}

/// The largest text sent through OSC 52; terminals (and tmux, at about 1 MiB of base64)
/// drop larger payloads silently, so a larger copy is refused with a message instead.
pub const OSC52_MAX_BYTES: usize = 100_000;

/// Copies through the terminal with the OSC 52 escape: works over SSH and inside tmux
/// (with `set -s set-clipboard on`) without any system clipboard.
pub struct Osc52<W: Write> {
    out: W,
}

impl<W: Write> Osc52<W> {
    pub fn new(out: W) -> Self {
        Self { out }
    }
}

impl<W: Write> Clipboard for Osc52<W> {
    fn copy(&mut self, text: &str) -> Result<String, String> {
        if text.len() > OSC52_MAX_BYTES {
            return Err(format!(
                "not copied: {} bytes is more than the terminal clipboard takes ({OSC52_MAX_BYTES})",
                text.len()
            ));
        }
        let payload = base64::engine::general_purpose::STANDARD.encode(text);
        let write = |out: &mut W| -> io::Result<()> {
            write!(out, "\x1b]52;c;{payload}\x07")?;
            out.flush()
        };
        write(&mut self.out).map_err(|error| format!("not copied: {error}"))?;
        Ok("terminal clipboard (OSC 52)".to_owned())
    }
}

/// Records copies instead of making them: for tests, and a reminder of what a clipboard owes.
#[derive(Debug, Default)]
pub struct RecordingClipboard {
    pub copies: Vec<String>,
}

impl Clipboard for RecordingClipboard {
    fn copy(&mut self, text: &str) -> Result<String, String> {
        self.copies.push(text.to_owned());
        Ok("recording clipboard".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_writes_the_base64_of_the_utf8_text() {
        let mut out = Vec::new();
        let result = Osc52::new(&mut out).copy("“Thủ tướng”");
        assert_eq!(result, Ok("terminal clipboard (OSC 52)".to_owned()));
        let expected = base64::engine::general_purpose::STANDARD.encode("“Thủ tướng”");
        assert_eq!(out, format!("\x1b]52;c;{expected}\x07").into_bytes());
    }

    #[test]
    fn osc52_refuses_oversized_text_without_writing() {
        let mut out = Vec::new();
        let big = "x".repeat(OSC52_MAX_BYTES + 1);
        assert!(Osc52::new(&mut out).copy(&big).is_err());
        assert!(out.is_empty());
    }
}
