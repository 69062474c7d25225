//! The dataset file a cache entry is made from, opened once: its key comes from the open
//! handle's metadata and its bytes from the same handle, so a path retargeted or a file
//! replaced meanwhile cannot pair one file's key with another's content; and whether it is
//! still the same file is checked again once it is parsed, before any entry is written.

use std::fs::{self, File, Metadata};
use std::io;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use super::LoadError;
use super::load::{open_file, read_opened};

/// What identifies the source file an entry was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceKey {
    /// Canonical, so two spellings of one path share an entry. It only names the entry:
    /// the [`Stamp`] says which file, and which version of it, the entry holds.
    pub path: PathBuf,
    pub stamp: Stamp,
}

/// Which file, in which state: any write changes the ctime (which, unlike the mtime, no
/// `touch -r`, `cp -p` or `rsync -t` can set back), and a file put in its place has
/// another inode, so an edit that keeps the size and the mtime still changes the stamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub size: u64,
    /// Nanoseconds since the Unix epoch (negative before it).
    pub mtime_ns: i128,
    /// The inode change time in nanoseconds since the epoch (0 where there is none).
    pub ctime_ns: i128,
    /// 0 where there is none.
    pub inode: u64,
    /// 0 where there is none.
    pub device: u64,
}

impl Stamp {
    pub fn of(metadata: &Metadata) -> io::Result<Self> {
        let mtime_ns = match metadata.modified()?.duration_since(UNIX_EPOCH) {
            Ok(after) => i128::try_from(after.as_nanos()).unwrap_or(i128::MAX),
            Err(before) => -i128::try_from(before.duration().as_nanos()).unwrap_or(i128::MAX),
        };
        let (ctime_ns, inode, device) = identity(metadata);
        Ok(Self {
            size: metadata.len(),
            mtime_ns,
            ctime_ns,
            inode,
            device,
        })
    }

    /// The stamp as an entry's header holds it.
    pub fn to_bytes(self) -> Vec<u8> {
        [
            &self.size.to_le_bytes()[..],
            &self.mtime_ns.to_le_bytes(),
            &self.ctime_ns.to_le_bytes(),
            &self.inode.to_le_bytes(),
            &self.device.to_le_bytes(),
        ]
        .concat()
    }
}

#[cfg(unix)]
fn identity(metadata: &Metadata) -> (i128, u64, u64) {
    use std::os::unix::fs::MetadataExt;
    let ctime_ns = i128::from(metadata.ctime()) * 1_000_000_000 + i128::from(metadata.ctime_nsec());
    (ctime_ns, metadata.ino(), metadata.dev())
}

#[cfg(not(unix))]
fn identity(_: &Metadata) -> (i128, u64, u64) {
    (0, 0, 0)
}

impl SourceKey {
    /// The key of the file at `path` as it is now.
    pub fn of(path: &Path) -> io::Result<Self> {
        key_of(path, &File::open(path)?)
    }
}

/// Only a regular file has a key: a pipe or device gives other bytes on every read, so
/// what it gave once must never be kept for the next (its stamp need not change).
fn key_of(path: &Path, file: &File) -> io::Result<SourceKey> {
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(io::Error::other("not a regular file"));
    }
    Ok(SourceKey {
        path: fs::canonicalize(path)?,
        stamp: Stamp::of(&metadata)?,
    })
}

/// A dataset file, open.
#[derive(Debug)]
pub struct SourceFile {
    /// As given: it names the file in messages.
    path: PathBuf,
    file: File,
    /// `None` when the file's identity cannot be known (it is then never cached).
    key: Option<SourceKey>,
}

impl SourceFile {
    pub fn open(path: &Path) -> Result<Self, LoadError> {
        let file = open_file(path)?;
        let key = key_of(path, &file).ok();
        Ok(Self {
            path: path.to_owned(),
            file,
            key,
        })
    }

    pub fn key(&self) -> Option<&SourceKey> {
        self.key.as_ref()
    }

    /// The open file, the handle its key was taken from.
    pub fn file(&self) -> &File {
        &self.file
    }

    /// The file's bytes, read from the handle its key was taken from.
    pub fn read(&self) -> Result<Vec<u8>, LoadError> {
        read_opened(&self.file, &self.path)
    }

    /// The key, if the file is still as it was when opened: unchanged through the handle
    /// (not written to), and still the file its path leads to (not replaced, no symlink
    /// retargeted).
    pub fn key_if_unchanged(self) -> Option<SourceKey> {
        let key = self.key?;
        let now = |metadata: io::Result<Metadata>| metadata.and_then(|m| Stamp::of(&m)).ok();
        let unchanged = now(self.file.metadata()) == Some(key.stamp)
            && now(fs::metadata(&self.path)) == Some(key.stamp)
            && fs::canonicalize(&self.path).is_ok_and(|path| path == key.path);
        unchanged.then_some(key)
    }
}
