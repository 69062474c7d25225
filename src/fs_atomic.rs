//! Writing a file whole or not at all: the bytes go to a temporary file in the same
//! directory, are flushed to disk, and only then take the target's name, so a reader, a
//! crash or a kill at any moment finds either the old file or the new one, never a part.
//! Every file the app writes goes through here: the user's files (exports, saved state)
//! and its own dataset cache entries, which are private and not flushed (see [`Kind`]).

use std::fs::{self, DirBuilder, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Whether an existing file at the target may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    Allow,
    /// Fail with [`WriteError::Exists`] instead: a user's file is never replaced unasked.
    Refuse,
}

/// Whose file is written, which decides who may read it and whether it is flushed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The user's (exports, the saved basket): a new file gets the permissions the umask
    /// gives, a replaced one keeps its own; synced to disk before it takes its name, so a
    /// crash never loses it; written through a symlink.
    User,
    /// The app's own cache entry, which may copy a private dataset: readable by the user
    /// only (a 0600 file in a 0700 dir, on unix), and not synced: after a crash it may be
    /// empty or torn, which its checksum rejects, whereas syncing hundreds of megabytes
    /// would keep a quitting app waiting.
    Cache,
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

/// Writes the user's file `path` atomically, creating its directory if needed.
pub fn write(path: &Path, bytes: &[u8], overwrite: Overwrite) -> Result<(), WriteError> {
    write_until(path, bytes, overwrite, Kind::User, None)
}

/// Writes the cache entry `path` atomically (see [`Kind::Cache`]), replacing any, with
/// what `content` writes: an entry can be hundreds of megabytes, never held whole.
pub fn write_cache_entry(
    path: &Path,
    content: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), WriteError> {
    write_with(path, Overwrite::Allow, Kind::Cache, None, content)
}

/// [`write`], stopping right after `stop` as if the process died there (tests only use
/// `Some`); the temporary file is then left behind, as a crash would leave it.
pub fn write_until(
    path: &Path,
    bytes: &[u8],
    overwrite: Overwrite,
    kind: Kind,
    stop: Option<Step>,
) -> Result<(), WriteError> {
    write_with(path, overwrite, kind, stop, |out| out.write_all(bytes))
}

/// [`write_until`], with what `content` writes.
fn write_with(
    path: &Path,
    overwrite: Overwrite,
    kind: Kind,
    stop: Option<Step>,
    content: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), WriteError> {
    let io_error = |source| WriteError::Io {
        path: path.to_owned(),
        source,
    };
    // A name taken by a link, even one that leads nowhere, is taken.
    if overwrite == Overwrite::Refuse && fs::symlink_metadata(path).is_ok() {
        return Err(WriteError::Exists(path.to_owned()));
    }
    // A user's symlink stays a link: the file it leads to is the one written.
    let resolved = match kind {
        Kind::User => followed(path).map_err(io_error)?,
        Kind::Cache => path.to_owned(),
    };
    let path = resolved.as_path();
    let dir = dir_of(path);
    create_dir(dir, kind).map_err(io_error)?;
    let (temp_path, mut temp) = create_temp(dir, path, kind).map_err(io_error)?;
    let stopped = |step: Step| stop == Some(step);
    let result = (|| {
        if stopped(Step::TempCreated) {
            return Ok(false);
        }
        let mut out = BufWriter::with_capacity(1 << 16, &mut temp);
        content(&mut out)
            .and_then(|()| out.flush())
            .map_err(io_error)?;
        drop(out);
        if stopped(Step::TempWritten) {
            return Ok(false);
        }
        let durable = kind == Kind::User;
        if durable {
            // A file replaced keeps its permissions (a private export stays private).
            if let Ok(old) = fs::metadata(path) {
                temp.set_permissions(old.permissions()).map_err(io_error)?;
            }
            temp.sync_all().map_err(io_error)?;
        }
        if stopped(Step::TempSynced) {
            return Ok(false);
        }
        put_in_place(&temp_path, path, overwrite)?;
        if durable {
            // The rename itself is only durable once the directory is flushed too.
            File::open(dir)
                .and_then(|d| d.sync_all())
                .map_err(io_error)?;
        }
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

/// The path `path` leads to through any symlinks (which need not exist yet): what a write
/// to `path` must replace, rather than the link.
fn followed(path: &Path) -> io::Result<PathBuf> {
    let mut path = path.to_owned();
    // As many links as the system itself follows before it gives up.
    for _ in 0..40 {
        match fs::symlink_metadata(&path) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                path = dir_of(&path).join(fs::read_link(&path)?);
            }
            _ => return Ok(path),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// The directory `path` is in: its parent, or the current directory for a bare name.
pub fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// Creates `dir` and its missing parents: private ones for [`Kind::Cache`].
fn create_dir(dir: &Path, kind: Kind) -> io::Result<()> {
    let mut builder = DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    if kind == Kind::Cache {
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    }
    builder.create(dir)
}

/// A new, uniquely named temporary file beside `target` (dot-prefixed, so listings hide
/// it), private from its creation for [`Kind::Cache`].
fn create_temp(dir: &Path, target: &Path, kind: Kind) -> io::Result<(PathBuf, File)> {
    let mut name = target
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    // The temporary name adds about 25 bytes, and a name may be at most 255: a long
    // target's is shortened (at a char boundary) rather than made impossible to write.
    let mut end = name.len().min(200);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    name.truncate(end);
    loop {
        let candidate = dir.join(temp_name(&name, std::process::id(), fastrand::u32(..)));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        if kind == Kind::Cache {
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        }
        match options.open(&candidate) {
            Ok(file) => return Ok((candidate, file)),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(error),
        }
    }
}

/// The temporary name of a write to `name` by process `pid`: `.NAME.PID.RAND.tmp`.
fn temp_name(name: &str, pid: u32, random: u32) -> String {
    format!(".{name}.{pid}.{random:08x}.tmp")
}

/// Whether `file_name` is one [`temp_name`] gives.
fn is_temp_name(file_name: &str) -> bool {
    let Some(inner) = file_name
        .strip_prefix('.')
        .and_then(|n| n.strip_suffix(".tmp"))
    else {
        return false;
    };
    let mut parts = inner.rsplitn(3, '.');
    let random = parts.next().unwrap_or_default();
    let pid = parts.next().unwrap_or_default();
    let name = parts.next().unwrap_or_default();
    random.len() == 8
        && random.bytes().all(|b| b.is_ascii_hexdigit())
        && !pid.is_empty()
        && pid.bytes().all(|b| b.is_ascii_digit())
        && !name.is_empty()
}

/// Removes the temporary files in `dir` last modified more than `age` ago: a writer
/// killed mid-write leaves its temporary file, which nothing else would ever remove
/// (a cache entry's is as large as the entry). A write under way keeps touching its
/// file, so only abandoned ones are that old. Best effort: failures are ignored.
pub fn remove_stale_temps(dir: &Path, age: Duration) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.filter_map(Result::ok) {
        let stale = entry.file_name().to_str().is_some_and(is_temp_name)
            && entry.metadata().is_ok_and(|metadata| {
                metadata.is_file()
                    && metadata
                        .modified()
                        .ok()
                        .and_then(|modified| now.duration_since(modified).ok())
                        .is_some_and(|elapsed| elapsed > age)
            });
        if stale {
            let _ = fs::remove_file(entry.path());
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

    /// A user's symlink stays a link to the file written, and a file replaced keeps its
    /// permissions: a private (0600) export must not become readable by others.
    #[cfg(unix)]
    #[test]
    fn a_symlink_is_written_through_and_permissions_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let real = dir.path().join("real");
        fs::create_dir(&real).expect("dir");
        let target = real.join("quotes.md");
        fs::write(&target, "old").expect("target");
        fs::set_permissions(&target, fs::Permissions::from_mode(0o600)).expect("chmod");
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink("real/quotes.md", &link).expect("symlink");
        write(&link, b"new", Overwrite::Allow).expect("written");
        assert!(
            fs::symlink_metadata(&link)
                .expect("link")
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&target).expect("target"), "new");
        let mode = fs::metadata(&target).expect("target").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(leftovers(&real), Vec::<String>::new());
        // Refused, the link's own name is the one taken, even where it leads nowhere.
        let dangling = dir.path().join("dangling.md");
        std::os::unix::fs::symlink("nowhere/quotes.md", &dangling).expect("symlink");
        for taken in [&link, &dangling] {
            match write(taken, b"newer", Overwrite::Refuse) {
                Err(WriteError::Exists(path)) => assert_eq!(&path, taken),
                other => panic!("{other:?}"),
            }
        }
        assert!(
            !dir.path().join("nowhere").exists(),
            "nothing made where it leads"
        );
    }

    #[test]
    fn a_name_as_long_as_the_system_allows_can_be_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join(format!("{}.md", "é".repeat(125)));
        write(&target, b"text", Overwrite::Refuse).expect("written");
        assert_eq!(fs::read_to_string(&target).expect("target"), "text");
        assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    }

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
            write_until(&path, b"new", Overwrite::Allow, Kind::User, Some(step)).expect("stopped");
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

    #[test]
    fn only_temp_files_older_than_the_age_are_removed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let old = SystemTime::now() - Duration::from_secs(3_600);
        let file = |name: &str, modified: Option<SystemTime>| {
            let path = dir.path().join(name);
            let file = File::create(&path).expect("create");
            if let Some(modified) = modified {
                file.set_modified(modified).expect("set mtime");
            }
        };
        let abandoned = temp_name("a.dataset", 42, 0x0bad_cafe);
        let under_way = temp_name("b.dataset", 43, 0x0000_0001);
        file(&abandoned, Some(old));
        file(&under_way, None);
        for other in [
            "a.dataset",
            ".a.dataset.tmp",
            ".x.42.nothex00.tmp",
            ".42.0badcafe.tmp",
        ] {
            file(other, Some(old));
        }
        remove_stale_temps(dir.path(), Duration::from_secs(600));
        let mut left: Vec<String> = fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        let mut expected = vec![
            under_way,
            "a.dataset".to_owned(),
            ".a.dataset.tmp".to_owned(),
            ".x.42.nothex00.tmp".to_owned(),
            ".42.0badcafe.tmp".to_owned(),
        ];
        expected.sort();
        assert_eq!(left, expected);
    }

    #[cfg(unix)]
    #[test]
    fn a_cache_entry_and_the_dir_made_for_it_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = dir.path().join("cache");
        let entry = cache.join("e.dataset");
        write_cache_entry(&entry, |out| out.write_all(b"entry")).expect("written");
        let mode = |path: &Path| fs::metadata(path).expect("metadata").permissions().mode() & 0o777;
        assert_eq!(mode(&cache), 0o700);
        assert_eq!(mode(&entry), 0o600);
        assert_eq!(fs::read(&entry).expect("read"), b"entry");
    }
}
