//! The binary cache of validated datasets: parsing a large RON file takes seconds, reading
//! the same data back in a binary encoding a fraction of that. The RON file stays the
//! source of truth: an entry is used only while the file keeps the stamp it had when the
//! entry was written (size, mtime, ctime, inode, device: see [`Stamp`]) and only by the
//! build that wrote it, and anything wrong with an entry (missing, stale, truncated,
//! corrupt, from another schema or build, references that do not resolve) is a miss,
//! never an error.
//!
//! An entry is one private file in the cache dir, named after a hash of the source's
//! canonical path: a header (magic, [`SCHEMA_VERSION`], the build (see [`build`]), the source's
//! path and stamp), then the payload: the [`Conference`] as it is held in memory, in
//! checksummed sections (see `cache_payload`).

use std::fs::{self, File, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::cache_payload;
use super::source::{SourceFile, SourceKey, Stamp};
use super::{Conference, LoadError};
use crate::fs_atomic;

/// The version of the cached model. Bump it on any change to the types in
/// `src/dataset/model.rs` (a field added, removed, renamed or retyped, a variant added),
/// to the statement columns (`statements.rs`, `Extras`, the patches of `words.rs`), to
/// folding (`text::push_fold_char`: entries hold the folds search scans), and on any
/// change to what loading does to the data before it is cached (such as NFC):
/// entries written by other versions are then misses and get rewritten. Entries also
/// name the build ([`build`]), so another build never trusts them even if this is not
/// bumped.
pub const SCHEMA_VERSION: u32 = 3;

/// Opens every entry; a file without it is not ours. Its last byte is the layout of the
/// entry (header and payload sections): change it with the layout.
const MAGIC: &[u8; 8] = b"HANOIDS\x04";

/// The build that writes and reads entries: its version, and the size and modification
/// time of its executable, so that a rebuild (a developer's, or a package of the same
/// version built again) never trusts an entry that another build wrote.
fn build() -> &'static str {
    static BUILD: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    BUILD.get_or_init(|| {
        let version = env!("CARGO_PKG_VERSION");
        let executable = std::env::current_exe().and_then(std::fs::metadata);
        match executable.and_then(|m| Ok((m.len(), m.modified()?))) {
            Ok((size, modified)) => {
                let nanos = modified
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos());
                format!("{version}+{size}.{nanos}")
            }
            Err(_) => version.to_owned(),
        }
    })
}

/// A temporary file in the cache dir this old was left by a writer that was killed: a
/// write under way keeps touching its file, and even the largest takes seconds.
const STALE_TEMP_AGE: Duration = Duration::from_secs(10 * 60);

/// Why an entry could not be written (reading has no errors: it hits or misses).
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// The entry could not be written, or its dataset encoded (said as the write's cause).
    #[error(transparent)]
    Write(#[from] fs_atomic::WriteError),
}

/// The cache dir and the entries in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetCache {
    dir: PathBuf,
}

impl DatasetCache {
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    /// The entry for the source at the canonical path `source`.
    pub fn entry_path(&self, source: &Path) -> PathBuf {
        let hash = fnv1a(source.as_os_str().as_encoded_bytes());
        self.dir.join(format!("{hash:016x}.dataset"))
    }

    /// The cached conference for `key`, if a valid entry matches it. The header is read
    /// and compared first, so a stale entry costs a few bytes, not its whole payload.
    pub fn read(&self, key: &SourceKey) -> Option<Conference> {
        let (file, metadata) = open_regular(&self.entry_path(&key.path))?;
        let mut file = std::io::BufReader::with_capacity(1 << 16, file);
        let expected = header(key);
        let mut found = vec![0; expected.len()];
        file.read_exact(&mut found).ok()?;
        if found != expected {
            return None;
        }
        let payload_len = metadata.len().checked_sub(found.len() as u64)?;
        cache_payload::decode(&mut file, payload_len)
    }

    /// Stores `conference`, which must have passed validation, as the entry for `key`;
    /// first clears out what killed writers left.
    pub fn write(&self, key: &SourceKey, conference: &Conference) -> Result<(), CacheError> {
        fs_atomic::remove_stale_temps(&self.dir, STALE_TEMP_AGE);
        fs_atomic::write_cache_entry(&self.entry_path(&key.path), |out| {
            out.write_all(&header(key))?;
            cache_payload::encode(conference, out)
        })?;
        Ok(())
    }
}

/// A conference opened through the cache, and the entry to write if it missed.
#[derive(Debug)]
pub struct Opened {
    pub conference: Conference,
    pub pending: Option<PendingEntry>,
}

/// An entry the cache lacks, to write once the conference is in use (writing takes a
/// while on large datasets, and the user need not wait for it).
#[derive(Debug)]
pub struct PendingEntry {
    cache: DatasetCache,
    key: SourceKey,
}

impl PendingEntry {
    /// Writes `conference`, the one this entry was opened with.
    pub fn write(&self, conference: &Conference) -> Result<(), CacheError> {
        self.cache.write(&self.key, conference)
    }

    /// [`PendingEntry::write`], ignoring failure: the cache only saves time, and a cache
    /// dir that cannot be written is no reason to stop (the next load parses again).
    pub fn fill(&self, conference: &Conference) {
        let _ = self.write(conference);
    }
}

impl Conference {
    /// [`Conference::open`] through `cache`: a RON dataset whose entry matches is decoded
    /// instead of parsed; one that misses is parsed and validated as usual and comes with
    /// the entry to write. Schedules (frab, c3voc) are converted as usual, never cached.
    pub fn open_cached(path: &Path, cache: &DatasetCache) -> Result<Opened, LoadError> {
        // Opened once: the key is the handle's, and a hit or the parsed bytes are what
        // that handle's file held when the key was taken.
        let source = SourceFile::open(path)?;
        // An entry whose references do not resolve was not written by this code from a
        // validated dataset: a miss, never a conference with misattributed statements.
        let hit = source.key().and_then(|key| cache.read(key));
        if let Some(conference) = hit {
            return Ok(Opened {
                conference,
                pending: None,
            });
        }
        let (conference, format) = Self::from_opened(path, source.file())?;
        // Checked after parsing: a file written to or replaced while it was read gets no
        // entry, since its key would not describe what was parsed.
        let key = if format.is_some() {
            None
        } else {
            source.key_if_unchanged()
        };
        let pending = key.map(|key| PendingEntry {
            cache: cache.clone(),
            key,
        });
        Ok(Opened {
            conference,
            pending,
        })
    }
}

/// The dataset at `path` (through `cache` if there is one), or the built-in one.
pub fn open(path: Option<&Path>, cache: Option<&DatasetCache>) -> Result<Opened, LoadError> {
    let uncached = |conference| Opened {
        conference,
        pending: None,
    };
    match (path, cache) {
        (Some(path), Some(cache)) => Conference::open_cached(path, cache),
        (Some(path), None) => Conference::open(path).map(uncached),
        (None, _) => Conference::embedded().map(uncached),
    }
}

/// The regular file at `path`, open, and its metadata. Only a regular file can be an
/// entry. Opened non-blocking: opening a FIFO put in its place would otherwise wait for a
/// writer forever, where now it opens at once and is turned away (reads from a regular
/// file ignore the flag).
fn open_regular(path: &Path) -> Option<(File, fs::Metadata)> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let nonblocking = rustix::fs::OFlags::NONBLOCK.bits();
        options.custom_flags(i32::try_from(nonblocking).ok()?);
    }
    let file = options.open(path).ok()?;
    let metadata = file.metadata().ok()?;
    metadata.is_file().then_some((file, metadata))
}

/// The header an entry for `key` starts with (magic, schema and build versions, the
/// source's path and stamp); the payload follows it, its sections checksummed each.
fn header(key: &SourceKey) -> Vec<u8> {
    let path = key.path.as_os_str().as_encoded_bytes();
    let mut out = Vec::with_capacity(128 + path.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&SCHEMA_VERSION.to_le_bytes());
    for field in [build().as_bytes(), path] {
        out.extend_from_slice(&(field.len() as u64).to_le_bytes());
        out.extend_from_slice(field);
    }
    out.extend_from_slice(&Stamp::to_bytes(key.stamp));
    out
}

/// FNV-1a: stable across Rust releases (std's hasher is not), so an entry keeps its name.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
