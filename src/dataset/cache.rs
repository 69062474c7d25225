//! The binary cache of validated datasets: parsing a large RON file takes seconds, reading
//! the same data back in a binary encoding a fraction of that. The RON file stays the
//! source of truth: an entry is used only while the file keeps the size and modification
//! time it had when the entry was written, and anything wrong with an entry (missing,
//! stale, truncated, corrupt, from another schema) is a miss, never an error.
//!
//! An entry is one file in the cache dir, named after a hash of the source's canonical
//! path: a header (magic, [`SCHEMA_VERSION`], the source's path, size and mtime, the
//! payload's length and checksum), then the payload: the [`Dataset`] in MessagePack
//! sections (see `cache_payload`).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use super::cache_payload;
use super::load::read_file;
use super::model::Dataset;
use super::{Conference, LoadError};
use crate::fs_atomic::{self, Overwrite};

/// The version of the cached model. Bump it on any change to the types in
/// `src/dataset/model.rs` (a field added, removed, renamed or retyped, a variant added),
/// and on any change to what loading does to the data before it is cached (such as NFC):
/// entries written by other versions are then misses and get rewritten.
pub const SCHEMA_VERSION: u32 = 1;

/// Opens every entry; a file without it is not ours. Its last byte is the layout of the
/// entry (header and payload sections): change it with the layout.
const MAGIC: &[u8; 8] = b"HANOIDS\x02";

/// What identifies the source file an entry was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceKey {
    /// Canonical, so two spellings of one path share an entry.
    pub path: PathBuf,
    pub size: u64,
    /// Nanoseconds since the Unix epoch (negative before it).
    pub mtime_ns: i128,
}

impl SourceKey {
    /// The key of the file at `path` as it is now.
    pub fn of(path: &Path) -> io::Result<Self> {
        let path = fs::canonicalize(path)?;
        let metadata = fs::metadata(&path)?;
        let modified = metadata.modified()?;
        let mtime_ns = match modified.duration_since(UNIX_EPOCH) {
            Ok(after) => i128::try_from(after.as_nanos()).unwrap_or(i128::MAX),
            Err(before) => -i128::try_from(before.duration().as_nanos()).unwrap_or(i128::MAX),
        };
        Ok(Self {
            path,
            size: metadata.len(),
            mtime_ns,
        })
    }
}

/// Why an entry could not be written (reading has no errors: it hits or misses).
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("cannot encode the dataset: {0}")]
    Encode(#[from] rmp_serde::encode::Error),
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

    /// The cached dataset for `key`, if a valid entry matches it.
    pub fn read(&self, key: &SourceKey) -> Option<Dataset> {
        let bytes = fs::read(self.entry_path(&key.path)).ok()?;
        let payload = payload_for(&bytes, key)?;
        cache_payload::decode(payload)
    }

    /// Stores `data`, which must have passed validation, as the entry for `key`.
    pub fn write(&self, key: &SourceKey, data: &Dataset) -> Result<(), CacheError> {
        let payload = cache_payload::encode(data)?;
        let mut bytes = header(key, &payload);
        bytes.extend_from_slice(&payload);
        fs_atomic::write(&self.entry_path(&key.path), &bytes, Overwrite::Allow)?;
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
    /// Writes `data`, the dataset of the conference this entry was opened with.
    pub fn write(&self, data: &Dataset) -> Result<(), CacheError> {
        self.cache.write(&self.key, data)
    }

    /// [`PendingEntry::write`], ignoring failure: the cache only saves time, and a cache
    /// dir that cannot be written is no reason to stop (the next load parses again).
    pub fn fill(&self, data: &Dataset) {
        let _ = self.write(data);
    }
}

impl Conference {
    /// [`Conference::open`] through `cache`: a RON dataset whose entry matches is decoded
    /// instead of parsed; one that misses is parsed and validated as usual and comes with
    /// the entry to write. Schedules (frab, c3voc) are converted as usual, never cached.
    pub fn open_cached(path: &Path, cache: &DatasetCache) -> Result<Opened, LoadError> {
        // Taken before the file is read: if the file changes in between, the entry written
        // names the old size and mtime and misses next time, rather than vouching for
        // content it does not hold.
        let key = SourceKey::of(path).ok();
        if let Some(data) = key.as_ref().and_then(|key| cache.read(key)) {
            return Ok(Opened {
                conference: Self::index(data),
                pending: None,
            });
        }
        let bytes = read_file(path)?;
        let conference = Self::from_file(path, &bytes)?;
        let is_schedule = crate::import::Format::detect(path, &bytes).is_some();
        let pending = key.filter(|_| !is_schedule).map(|key| PendingEntry {
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

/// The header of an entry for `key` holding `payload`.
fn header(key: &SourceKey, payload: &[u8]) -> Vec<u8> {
    let path = key.path.as_os_str().as_encoded_bytes();
    let mut out = Vec::with_capacity(64 + path.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&SCHEMA_VERSION.to_le_bytes());
    out.extend_from_slice(&(path.len() as u64).to_le_bytes());
    out.extend_from_slice(path);
    out.extend_from_slice(&key.size.to_le_bytes());
    out.extend_from_slice(&key.mtime_ns.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&checksum(payload).to_le_bytes());
    out
}

/// The payload of `entry` if its header matches `key` and the payload is whole and
/// intact. The checksum matters: a flipped bit that still decodes could break the
/// references validation vouched for, and the indexing that trusts them.
fn payload_for<'a>(entry: &'a [u8], key: &SourceKey) -> Option<&'a [u8]> {
    let mut reader = Reader(entry);
    let path = key.path.as_os_str().as_encoded_bytes();
    let matches = reader.take(MAGIC.len())? == MAGIC
        && reader.array()? == SCHEMA_VERSION.to_le_bytes()
        && usize::try_from(u64::from_le_bytes(reader.array()?)).ok()? == path.len()
        && reader.take(path.len())? == path
        && reader.array()? == key.size.to_le_bytes()
        && reader.array()? == key.mtime_ns.to_le_bytes();
    if !matches {
        return None;
    }
    let len = usize::try_from(u64::from_le_bytes(reader.array()?)).ok()?;
    let sum = u64::from_le_bytes(reader.array()?);
    let payload = reader.0;
    (payload.len() == len && checksum(payload) == sum).then_some(payload)
}

/// Reads an entry's fields front to back; `None` once it runs out.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize) -> Option<&'a [u8]> {
        if self.0.len() < len {
            return None;
        }
        let (head, rest) = self.0.split_at(len);
        self.0 = rest;
        Some(head)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }
}

/// FNV-1a: stable across Rust releases (std's hasher is not), so an entry keeps its name.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A checksum against accidental damage (not an adversary). Four independent lanes of
/// eight bytes each, so the processor overlaps their multiplications: a payload of
/// hundreds of megabytes costs tens of milliseconds.
fn checksum(bytes: &[u8]) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mix = |lane: u64, word: &[u8]| {
        let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
        (lane ^ word).wrapping_mul(PRIME).rotate_left(29)
    };
    let mut blocks = bytes.chunks_exact(32);
    let seed = (bytes.len() as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let mut lanes = [seed, seed ^ 1, seed ^ 2, seed ^ 3];
    for block in &mut blocks {
        for (lane, word) in lanes.iter_mut().zip(block.chunks_exact(8)) {
            *lane = mix(*lane, word);
        }
    }
    let mut tail = [0u8; 32];
    tail[..blocks.remainder().len()].copy_from_slice(blocks.remainder());
    lanes
        .iter()
        .zip(tail.chunks_exact(8))
        .fold(0, |sum, (lane, word)| mix(sum ^ lane, word))
}
