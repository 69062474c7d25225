//! The basket and bookmarks on disk (`saved.ron` in the state dir).
//!
//! Two running instances must not corrupt the file, nor lose each other's changes. Each
//! save takes an exclusive lock on a sidecar `saved.ron.lock` (fs4), reads what is saved,
//! merges this instance's change into it (`Collection::merged`) and replaces the file
//! atomically (`fs_atomic`): a reader always finds a whole file, and no save can slip in
//! between another's read and write. A
//! file that cannot be read is moved aside with a timestamp and the app starts empty,
//! saying where the old file went: never a crash, and nothing silently lost.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::thread::sleep;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::Collection;
use crate::fs_atomic::{self, Overwrite};

/// What loading (or saving) found, and anything the user should be told about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    pub collection: Collection,
    pub warning: Option<String>,
}

/// Nothing to tell about it.
impl From<Collection> for Loaded {
    fn from(collection: Collection) -> Self {
        Self {
            collection,
            warning: None,
        }
    }
}

/// How long a save waits for another instance's save to finish before giving up (with a
/// message); saves take milliseconds, so only a stuck process could make this run out.
const LOCK_PATIENCE: Duration = Duration::from_secs(2);

pub fn load(path: &Path) -> Loaded {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            return Collection::default().into();
        }
        Err(error) => return set_aside(path, &error.to_string()),
    };
    match ron::from_str::<Collection>(&text) {
        Ok(collection) => collection.into(),
        Err(error) => set_aside(path, &error.to_string()),
    }
}

/// Moves an unreadable state file to `saved.ron.corrupt-<unix seconds>`.
fn set_aside(path: &Path, problem: &str) -> Loaded {
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut aside = path.as_os_str().to_owned();
    aside.push(format!(".corrupt-{stamp}"));
    let aside = PathBuf::from(aside);
    let warning = match fs::rename(path, &aside) {
        Ok(()) => format!(
            "Saved basket and bookmarks unreadable ({problem}), moved to {}",
            aside.display()
        ),
        Err(error) => format!(
            "Saved basket and bookmarks were unreadable ({problem}) and could not be moved aside ({error})",
        ),
    };
    Loaded {
        collection: Collection::default(),
        warning: Some(warning),
    }
}

/// Saves `ours` to `path`, atomically and under the lock, merged with whatever another
/// instance saved since `base` (the collection as this instance last loaded or saved it);
/// returns the collection as saved, with a warning if the file there could not be read
/// (it is moved aside, as [`load`] does, never written over).
pub fn save(path: &Path, base: &Collection, ours: &Collection) -> Result<Loaded, String> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let mut lock_path = path.as_os_str().to_owned();
    lock_path.push(".lock");
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| format!("cannot open {}: {e}", PathBuf::from(&lock_path).display()))?;
    acquire(&lock)?;
    let result = (|| {
        // Missing, nobody saved since: what we based the change on. Unreadable (edited by
        // hand, or written by another version): moved aside, and ours is saved.
        let on_disk = path.exists().then(|| load(path));
        let warning = on_disk.as_ref().and_then(|loaded| loaded.warning.clone());
        if let Some(warning) = warning.as_ref().filter(|_| path.exists()) {
            // Unreadable, and it could not be moved aside: it is not written over.
            return Err(format!("{warning}; not saved"));
        }
        let disk = match &on_disk {
            Some(Loaded {
                collection,
                warning: None,
            }) => collection,
            _ => base,
        };
        let merged = Collection::merged(base, ours, disk);
        let text = ron::ser::to_string_pretty(&merged, ron::ser::PrettyConfig::default())
            .map_err(|error| error.to_string())?;
        fs_atomic::write(path, text.as_bytes(), Overwrite::Allow).map_err(|e| e.to_string())?;
        Ok(Loaded {
            collection: merged,
            warning,
        })
    })();
    // Closing the file releases the lock too; unlocking first just says so.
    let _ = fs4::FileExt::unlock(&lock);
    result
}

fn acquire(lock: &File) -> Result<(), String> {
    let waited = std::time::Instant::now();
    loop {
        match fs4::FileExt::try_lock(lock) {
            Ok(()) => return Ok(()),
            Err(fs4::TryLockError::WouldBlock) if waited.elapsed() < LOCK_PATIENCE => {
                sleep(Duration::from_millis(10));
            }
            Err(fs4::TryLockError::WouldBlock) => {
                return Err("another hanoi-tui is still saving; not saved".to_owned());
            }
            Err(fs4::TryLockError::Error(error)) => return Err(format!("cannot lock: {error}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Collection {
        let mut collection = Collection::default();
        collection.add("pham-backbone");
        collection.add("a-quote");
        collection.toggle_bookmark("b-long");
        collection
    }

    #[test]
    fn a_saved_collection_loads_back_the_same() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("state/saved.ron");
        let saved = save(&path, &Collection::default(), &sample())
            .expect("saved")
            .collection;
        assert_eq!(saved, sample());
        let loaded = load(&path);
        assert_eq!(
            loaded,
            Loaded {
                collection: sample(),
                warning: None
            }
        );
    }

    #[test]
    fn a_missing_file_is_an_empty_collection_without_a_word() {
        let dir = tempfile::tempdir().expect("tempdir");
        let loaded = load(&dir.path().join("saved.ron"));
        assert_eq!(loaded.collection, Collection::default());
        assert_eq!(loaded.warning, None);
    }

    /// The name of the one file set aside in `dir`, which must hold `text`.
    fn the_file_set_aside(dir: &Path, text: &str) -> String {
        let aside: Vec<_> = fs::read_dir(dir)
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("saved.ron.corrupt-"))
            .collect();
        assert_eq!(aside.len(), 1, "{aside:?}");
        let kept = fs::read_to_string(dir.join(&aside[0])).expect("kept");
        assert_eq!(kept, text);
        aside[0].clone()
    }

    #[test]
    fn a_corrupt_file_is_moved_aside_with_a_message() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("saved.ron");
        fs::write(&path, "(basket: [\"a\", oops").expect("seed");
        let loaded = load(&path);
        assert_eq!(loaded.collection, Collection::default());
        let warning = loaded.warning.expect("a message");
        assert!(warning.contains("unreadable"), "{warning}");
        assert!(!path.exists(), "moved away");
        let aside = the_file_set_aside(dir.path(), "(basket: [\"a\", oops");
        assert!(warning.contains(&aside), "{warning}");
    }

    /// A file that became unreadable since the app loaded it (edited by hand, written by
    /// another version) is moved aside, not written over, and the user is told.
    #[test]
    fn a_save_over_an_unreadable_file_moves_it_aside_first() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("saved.ron");
        fs::write(&path, "(basket: [\"hand-edited\", oops").expect("seed");
        let saved = save(&path, &Collection::default(), &sample()).expect("saved");
        assert_eq!(saved.collection, sample());
        let warning = saved.warning.expect("a message");
        assert!(warning.contains("unreadable"), "{warning}");
        assert_eq!(load(&path).collection, sample());
        let aside = the_file_set_aside(dir.path(), "(basket: [\"hand-edited\", oops");
        assert!(warning.contains(&aside), "{warning}");
    }

    #[test]
    fn two_instances_saving_in_turn_keep_each_others_changes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("saved.ron");
        let mut first = Collection::default();
        let mut second = Collection::default();
        let before = first.clone();
        first.add("from-first");
        first = save(&path, &before, &first).expect("saved").collection;
        let before = second.clone();
        second.add("from-second");
        second.toggle_bookmark("marked-by-second");
        second = save(&path, &before, &second).expect("saved").collection;
        assert_eq!(second.basket, ["from-first", "from-second"]);
        let before = first.clone();
        first.remove(0);
        first = save(&path, &before, &first).expect("saved").collection;
        assert_eq!(
            first.basket,
            ["from-second"],
            "the removal and the other's addition"
        );
        assert!(first.is_bookmarked("marked-by-second"));
        assert_eq!(load(&path).collection, first);
    }

    #[test]
    fn concurrent_saves_from_many_threads_always_leave_a_whole_file_and_lose_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("saved.ron");
        std::thread::scope(|scope| {
            for writer in 0..4 {
                let path = &path;
                scope.spawn(move || {
                    let mut mine = Collection::default();
                    for round in 0..20 {
                        let before = mine.clone();
                        mine.add(&format!("w{writer}-{round}"));
                        mine = save(path, &before, &mine).expect("saved").collection;
                        assert_eq!(load(path).warning, None, "always whole");
                    }
                });
            }
        });
        assert_eq!(
            load(&path).collection.basket.len(),
            80,
            "every addition kept"
        );
    }
}
