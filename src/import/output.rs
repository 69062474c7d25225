//! Writing an imported dataset: as RON text, and to a file that appears whole or not at
//! all, never over a file that is already there unless asked.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::dataset::Dataset;
use crate::fs_atomic::{self, Overwrite};

/// The dataset as a RON file, opening with a comment that says where it came from.
pub fn to_ron(dataset: &Dataset, origin: &str) -> Result<String, ron::Error> {
    let body = ron::ser::to_string_pretty(dataset, ron::ser::PrettyConfig::default())?;
    let origin: String = origin.chars().filter(|c| !c.is_control()).collect();
    Ok(format!(
        "// Imported by hanoi-tui from {origin}.\n\
         // Sessions and speakers only: a schedule's abstracts are not anyone's statements.\n\
         {body}\n"
    ))
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{}: the file exists; choose another name, or pass --force to replace it", .0.display())]
    Exists(PathBuf),
    #[error("{}: cannot write: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
}

/// Writes `contents` to `path` whole or not at all ([`fs_atomic::write`]). Without
/// `replace`, an existing `path` is left alone and reported.
pub fn write_new_file(path: &Path, contents: &[u8], replace: bool) -> Result<(), WriteError> {
    let fail = |source| WriteError::Io {
        path: path.to_owned(),
        source,
    };
    // Unlike an export's, an import's directory is the user's to make: a mistyped `-o`
    // is reported rather than created.
    fs::metadata(fs_atomic::dir_of(path)).map_err(fail)?;
    let overwrite = if replace {
        Overwrite::Allow
    } else {
        Overwrite::Refuse
    };
    fs_atomic::write(path, contents, overwrite).map_err(|error| match error {
        fs_atomic::WriteError::Exists(_) => WriteError::Exists(path.to_owned()),
        fs_atomic::WriteError::Io { source, .. } => fail(source),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_new_file_and_refuses_an_existing_one_unless_told() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("out.ron");
        write_new_file(&path, b"first", false).expect("new file");
        assert_eq!(fs::read(&path).expect("read"), b"first");
        let refused = write_new_file(&path, b"second", false).expect_err("exists");
        assert!(matches!(refused, WriteError::Exists(_)), "{refused}");
        assert_eq!(fs::read(&path).expect("read"), b"first", "left alone");
        write_new_file(&path, b"third", true).expect("replaced");
        assert_eq!(fs::read(&path).expect("read"), b"third");
        let names: Vec<_> = fs::read_dir(dir.path())
            .expect("list")
            .map(|entry| entry.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["out.ron"], "no temporary file left behind");
    }

    #[test]
    fn a_missing_directory_is_an_error_naming_the_file() {
        let error = write_new_file(Path::new("/nonexistent/dir/out.ron"), b"x", false)
            .expect_err("no directory");
        assert!(
            error
                .to_string()
                .starts_with("/nonexistent/dir/out.ron: cannot write")
        );
    }
}
