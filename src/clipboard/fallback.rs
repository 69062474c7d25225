//! The last resort when no clipboard takes a copy: append it to a file in the data dir and
//! say where, so the text is never simply lost.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::PathBuf;

use crate::effect::Clipboard;

pub struct AppendToFile {
    path: PathBuf,
}

impl AppendToFile {
    pub fn new(path: PathBuf) -> Self {
        Self { path }
    }
}

impl Clipboard for AppendToFile {
    /// Appends rather than rewrites (so not through `fs_atomic`): earlier copies stay, and
    /// each copy is one `write` of the whole text with a separating blank line.
    fn copy(&mut self, text: &str) -> Result<String, String> {
        let failed =
            |error: std::io::Error| format!("cannot append to {}: {error}", self.path.display());
        if let Some(dir) = self.path.parent() {
            fs::create_dir_all(dir).map_err(failed)?;
        }
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(failed)?;
        let mut entry = text.to_owned();
        if !entry.ends_with('\n') {
            entry.push('\n');
        }
        entry.push('\n');
        file.write_all(entry.as_bytes()).map_err(failed)?;
        Ok(format!(
            "end of {} (no clipboard was reachable)",
            self.path.display()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_accumulate_in_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("data/clipboard.txt");
        let mut file = AppendToFile::new(path.clone());
        let said = file.copy("one\n").expect("appended");
        assert!(said.contains("clipboard.txt"), "{said}");
        file.copy("hai").expect("appended");
        assert_eq!(fs::read_to_string(path).expect("read"), "one\n\nhai\n\n");
    }
}
