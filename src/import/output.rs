//! Writing an imported dataset: as RON text, and to a file that appears whole or not at
//! all, never over a file that is already there unless asked.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::dataset::Dataset;

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

/// Writes `contents` to `path` through a temporary file in the same directory, synced
/// before it is renamed into place: a crash or a full disk leaves the old state, not half
/// a file. Without `replace`, an existing `path` is left alone and reported.
pub fn write_new_file(path: &Path, contents: &[u8], replace: bool) -> Result<(), WriteError> {
    let fail = |source| WriteError::Io {
        path: path.to_owned(),
        source,
    };
    if !replace && fs::symlink_metadata(path).is_ok() {
        return Err(WriteError::Exists(path.to_owned()));
    }
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned());
    // Random, so neither another import nor a file left by a crashed one is in the way.
    let temporary = directory.join(format!(
        ".{}.{:016x}.tmp",
        name.as_deref().unwrap_or("hanoi-tui-import"),
        fastrand::u64(..)
    ));
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temporary)
        .map_err(fail)?;
    // From here the temporary file is ours, and goes on any failure.
    let placed = file
        .write_all(contents)
        .and_then(|()| file.sync_all())
        .and_then(|()| {
            if replace {
                fs::rename(&temporary, path)
            } else {
                place_new(&temporary, path)
            }
        });
    if let Err(error) = placed {
        let _ = fs::remove_file(&temporary);
        return Err(if error.kind() == io::ErrorKind::AlreadyExists {
            WriteError::Exists(path.to_owned())
        } else {
            fail(error)
        });
    }
    // The rename is durable once the directory is synced; not every system allows it.
    if let Ok(directory) = File::open(&directory) {
        let _ = directory.sync_all();
    }
    Ok(())
}

/// Gives `temporary` the name `path` unless that is taken, even at the last moment: a
/// hard link fails where a rename would replace.
fn place_new(temporary: &Path, path: &Path) -> io::Result<()> {
    match fs::hard_link(temporary, path) {
        Ok(()) => fs::remove_file(temporary),
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => Err(error),
        // Some file systems have no hard links: rename, the name having been free just now.
        Err(_) if fs::symlink_metadata(path).is_err() => fs::rename(temporary, path),
        Err(error) => Err(error),
    }
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
