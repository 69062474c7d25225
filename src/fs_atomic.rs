//! Writing a file whole or not at all: the bytes go to a temporary file in the same
//! directory, are flushed to disk, and only then take the target's name, so a reader, a
//! crash or a kill at any moment finds either the old file or the new one, never a part.
//! Every file the app writes (exports, saved state) goes through here.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Whether an existing file at the target may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    Allow,
    /// Fail with [`WriteError::Exists`] instead: a user's file is never replaced unasked.
    Refuse,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{} already exists", .0.display())]
    Exists(PathBuf),
    #[error("cannot write {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
}

/// The steps of a write, named so tests can stop a write after any of them, as a crash would.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    TempCreated,
    TempWritten,
    TempSynced,
    Renamed,
}

/// Writes `bytes` to `path` atomically, creating its directory if needed.
pub fn write(path: &Path, bytes: &[u8], overwrite: Overwrite) -> Result<(), WriteError> {
    write_until(path, bytes, overwrite, None)
}

/// [`write`], stopping right after `stop` as if the process died there (tests only use
/// `Some`); the temporary file is then left behind, as a crash would leave it.
pub fn write_until(
    path: &Path,
    bytes: &[u8],
    overwrite: Overwrite,
    stop: Option<Step>,
) -> Result<(), WriteError> {
    let io_error = |source| WriteError::Io {
        path: path.to_owned(),
        source,
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir).map_err(io_error)?;
    let (temp_path, mut temp) = create_temp(dir, path).map_err(io_error)?;
    let stopped = |step: Step| stop == Some(step);
    let result = (|| {
        if stopped(Step::TempCreated) {
            return Ok(false);
        }
        temp.write_all(bytes).map_err(io_error)?;
        if stopped(Step::TempWritten) {
            return Ok(false);
        }
        temp.sync_all().map_err(io_error)?;
        if stopped(Step::TempSynced) {
            return Ok(false);
        }
        put_in_place(&temp_path, path, overwrite)?;
        // The rename itself is only durable once the directory is flushed too.
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io_error)?;
        Ok(true)
    })();
    match result {
        Ok(false) => Ok(()),
        Ok(true) => {
            // With `Refuse` the temp file was linked, not renamed: its old name goes now.
            let _ = fs::remove_file(&temp_path);
            Ok(())
        }
        Err(error) => {
            let _ = fs::remove_file(&temp_path);
            Err(error)
        }
    }
}

/// A new, uniquely named temporary file beside `target` (dot-prefixed, so listings hide it).
fn create_temp(dir: &Path, target: &Path) -> io::Result<(PathBuf, File)> {
    let name = target
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    loop {
        let candidate = dir.join(format!(
            ".{name}.{}.{:08x}.tmp",
            std::process::id(),
            fastrand::u32(..)
        ));
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(file) => return Ok((candidate, file)),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(error),
        }
    }
}

/// Gives the finished temp file the target's name. Refusing to overwrite uses a hard link,
/// which fails if the name is taken, so no check-then-write race can replace a file that
/// appeared meanwhile; where links are not supported, it falls back to check-then-rename.
fn put_in_place(temp: &Path, target: &Path, overwrite: Overwrite) -> Result<(), WriteError> {
    let io_error = |source| WriteError::Io {
        path: target.to_owned(),
        source,
    };
    match overwrite {
        Overwrite::Allow => fs::rename(temp, target).map_err(io_error),
        Overwrite::Refuse => match fs::hard_link(temp, target) {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                Err(WriteError::Exists(target.to_owned()))
            }
            Err(_) if target.exists() => Err(WriteError::Exists(target.to_owned())),
            Err(_) => fs::rename(temp, target).map_err(io_error),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_a_new_file_and_creates_its_directory() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a/b/quotes.md");
        write(&path, "Thủ tướng\n".as_bytes(), Overwrite::Refuse).expect("written");
        assert_eq!(fs::read_to_string(&path).expect("read"), "Thủ tướng\n");
        assert!(leftovers(&dir.path().join("a/b")).is_empty());
    }

    #[test]
    fn refuses_to_replace_an_existing_file_unless_allowed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("mine.md");
        fs::write(&path, "the user's own words").expect("seed");
        let error = write(&path, b"new", Overwrite::Refuse).expect_err("refused");
        assert!(
            matches!(&error, WriteError::Exists(p) if *p == path),
            "{error}"
        );
        assert_eq!(
            fs::read_to_string(&path).expect("read"),
            "the user's own words"
        );
        assert!(leftovers(dir.path()).is_empty(), "no temp file left");
        write(&path, b"new", Overwrite::Allow).expect("allowed");
        assert_eq!(fs::read_to_string(&path).expect("read"), "new");
    }

    #[test]
    fn a_crash_at_any_step_leaves_the_old_file_or_the_new_one() {
        for step in [
            Step::TempCreated,
            Step::TempWritten,
            Step::TempSynced,
            Step::Renamed,
        ] {
            let dir = tempfile::tempdir().expect("tempdir");
            let path = dir.path().join("state.ron");
            fs::write(&path, "old").expect("seed");
            write_until(&path, b"new", Overwrite::Allow, Some(step)).expect("stopped");
            let now = fs::read_to_string(&path).expect("the target always exists");
            let expected = if step == Step::Renamed { "new" } else { "old" };
            assert_eq!(now, expected, "stopped after {step:?}");
        }
    }

    #[test]
    fn an_unwritable_directory_is_an_error_naming_the_path() {
        let dir = tempfile::tempdir().expect("tempdir");
        let blocker = dir.path().join("file");
        fs::write(&blocker, "").expect("seed");
        let error = write(&blocker.join("x.md"), b"x", Overwrite::Allow).expect_err("fails");
        assert!(error.to_string().contains("x.md"), "{error}");
    }
}
