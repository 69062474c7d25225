//! The dataset cache: a hit gives exactly the dataset the RON file gives; a changed file,
//! another schema, a damaged or foreign entry are misses that get rewritten; a cache that
//! cannot be written never stops a load.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use hanoi_tui::cli;
use hanoi_tui::dataset::{
    Conference, Dataset, DatasetCache, EMBEDDED_RON, Opened, SCHEMA_VERSION, SourceKey,
};
use hanoi_tui::synthetic::generate;
use tempfile::TempDir;

/// A temporary dir holding `dataset.ron` (with `ron`) and a cache dir.
struct Setup {
    dir: TempDir,
    cache: DatasetCache,
}

impl Setup {
    fn new(ron: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("dataset.ron"), ron).expect("write dataset");
        let cache = DatasetCache::new(dir.path().join("cache"));
        Self { dir, cache }
    }

    fn source(&self) -> PathBuf {
        self.dir.path().join("dataset.ron")
    }

    fn open(&self) -> Opened {
        Conference::open_cached(&self.source(), &self.cache).expect("dataset opens")
    }

    /// Opens the source and writes the entry it asks for; returns its dataset.
    fn open_and_fill(&self) -> Dataset {
        let opened = self.open();
        let pending = opened.pending.expect("a miss asks for an entry");
        pending
            .write(&opened.conference.data)
            .expect("entry written");
        opened.conference.data
    }

    fn entry(&self) -> PathBuf {
        let key = SourceKey::of(&self.source()).expect("source key");
        self.cache.entry_path(&key.path)
    }

    /// Whether opening now is a hit; a hit must give `expected`.
    fn hits_with(&self, expected: &Dataset) -> bool {
        let opened = self.open();
        if opened.pending.is_none() {
            assert_eq!(
                &opened.conference.data, expected,
                "a hit gives the same data"
            );
        }
        opened.pending.is_none()
    }
}

fn synthetic_ron(statements: usize) -> String {
    ron::ser::to_string_pretty(&generate(statements, 7), ron::ser::PrettyConfig::default())
        .expect("synthetic dataset serializes")
}

#[test]
fn an_entry_gives_the_same_dataset_as_the_ron_file_shipped_synthetic_and_empty() {
    let empty = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/empty_dataset.ron");
    let empty = fs::read_to_string(empty).expect("fixture");
    // 2,003 statements do not divide evenly into the entry's sections.
    for ron in [EMBEDDED_RON.to_owned(), synthetic_ron(2_003), empty] {
        let setup = Setup::new(&ron);
        let from_ron = setup.open_and_fill();
        assert_eq!(
            from_ron,
            Conference::open(&setup.source()).expect("opens").data
        );
        let key = SourceKey::of(&setup.source()).expect("key");
        assert_eq!(setup.cache.read(&key).as_ref(), Some(&from_ron));
        assert!(setup.hits_with(&from_ron));
        // The conference built from the entry answers as the one built from RON.
        let cached = setup.open().conference;
        let parsed = Conference::open(&setup.source()).expect("opens");
        for i in 0..parsed.data.statements.len() {
            assert_eq!(cached.speaker_of(i), parsed.speaker_of(i));
            assert_eq!(cached.session_of(i), parsed.session_of(i));
        }
    }
}

#[test]
fn a_file_with_another_mtime_or_size_misses_and_its_new_content_is_loaded() {
    let setup = Setup::new(EMBEDDED_RON);
    let first = setup.open_and_fill();
    assert!(setup.hits_with(&first));

    let file = fs::File::options()
        .write(true)
        .open(setup.source())
        .expect("source opens");
    let earlier = SystemTime::now() - Duration::from_secs(3_600);
    file.set_modified(earlier).expect("set mtime");
    assert!(!setup.hits_with(&first), "same bytes, other mtime: a miss");
    setup.open_and_fill();
    assert!(setup.hits_with(&first));

    // Same mtime as the entry, other size and content: a miss, and the new words show.
    let edited = EMBEDDED_RON.replacen("city: \"Hanoi\"", "city: \"Ha Noi\"", 1);
    fs::write(setup.source(), &edited).expect("edit");
    file.set_modified(earlier).expect("set mtime");
    let opened = setup.open();
    assert!(opened.pending.is_some(), "other size: a miss");
    assert_eq!(opened.conference.data.event.city, "Ha Noi");
}

#[test]
fn an_entry_of_another_schema_version_misses_and_is_rewritten() {
    let setup = Setup::new(EMBEDDED_RON);
    let data = setup.open_and_fill();
    let mut entry = fs::read(setup.entry()).expect("entry");
    // The version follows the 8 magic bytes.
    assert_eq!(entry[8..12], SCHEMA_VERSION.to_le_bytes());
    entry[8..12].copy_from_slice(&(SCHEMA_VERSION + 1).to_le_bytes());
    fs::write(setup.entry(), &entry).expect("rewrite entry");
    assert!(!setup.hits_with(&data));
    setup.open_and_fill();
    assert!(setup.hits_with(&data));
}

#[test]
fn a_truncated_damaged_or_foreign_entry_misses_and_is_rewritten() {
    let setup = Setup::new(EMBEDDED_RON);
    let data = setup.open_and_fill();
    let whole = fs::read(setup.entry()).expect("entry");
    let mut flipped = whole.clone();
    let last = flipped.len() - 1;
    flipped[last / 2] ^= 0x20;
    let damaged: [(&str, Vec<u8>); 5] = [
        ("truncated", whole[..whole.len() / 2].to_vec()),
        ("header only", whole[..20].to_vec()),
        ("a flipped bit", flipped),
        ("empty", Vec::new()),
        ("not ours", b"(event: Event(name: \"x\"))".to_vec()),
    ];
    for (what, bytes) in damaged {
        fs::write(setup.entry(), bytes).expect("damage entry");
        assert!(!setup.hits_with(&data), "{what}: a miss");
        assert_eq!(setup.open_and_fill(), data, "{what}: loaded from RON");
        assert!(setup.hits_with(&data), "{what}: rewritten");
    }
}

#[test]
fn an_unwritable_cache_dir_still_loads() {
    let setup = Setup::new(EMBEDDED_RON);
    // A dir under a regular file cannot be made, whoever runs the test (root included).
    let blocker = setup.dir.path().join("blocker");
    fs::write(&blocker, "a file, not a dir").expect("blocker");
    let cache = DatasetCache::new(blocker.join("cache"));
    let opened = Conference::open_cached(&setup.source(), &cache).expect("still loads");
    let pending = opened.pending.expect("a miss");
    assert!(pending.write(&opened.conference.data).is_err());
    let conference = cli::load(Some(&setup.source()), Some(&cache))
        .unwrap_or_else(|_| panic!("the command's load ignores the cache's failure"));
    assert_eq!(conference.data, opened.conference.data);
}

#[test]
fn schedules_and_errors_are_never_cached() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let cache_dir = tempfile::tempdir().expect("temp dir");
    let cache = DatasetCache::new(cache_dir.path().to_owned());
    let schedule = fixtures.join("schedules/frab.xml");
    let opened = Conference::open_cached(&schedule, &cache).expect("schedule opens");
    assert!(opened.pending.is_none());
    let invalid = fixtures.join("unknown_speaker.ron");
    assert!(Conference::open_cached(&invalid, &cache).is_err());
    assert!(cli::load(Some(&invalid), Some(&cache)).is_err());
    let written = fs::read_dir(cache_dir.path()).expect("cache dir").count();
    assert_eq!(written, 0);
}

#[test]
fn commands_fill_the_cache_unless_told_not_to() {
    let setup = Setup::new(EMBEDDED_RON);
    let cache_dir = setup.dir.path().join("cache");
    let search = |extra: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_hanoi-tui"))
            .env("HANOI_TUI_CACHE_DIR", &cache_dir)
            .arg("--data")
            .arg(setup.source())
            .args(extra)
            .args(["search", "cybercrime", "--limit", "1"])
            .output()
            .expect("runs");
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).expect("UTF-8")
    };
    let entries = || fs::read_dir(&cache_dir).map_or(0, Iterator::count);
    let uncached = search(&["--no-cache"]);
    assert_eq!(entries(), 0);
    assert_eq!(search(&[]), uncached);
    assert_eq!(entries(), 1);
    assert!(setup.entry().exists());
    // And the answer from the entry is the same.
    assert_eq!(search(&[]), uncached);
}
