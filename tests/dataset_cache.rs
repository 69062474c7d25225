//! The dataset cache: a hit gives exactly the dataset the RON file gives; a changed file,
//! another schema, a damaged or foreign entry are misses that get rewritten; a cache that
//! cannot be written never stops a load.

#[path = "common/hanoi.rs"]
mod hanoi;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use hanoi::hanoi;
use hanoi_tui::cli::{self, Command};
use hanoi_tui::dataset::{
    Conference, Dataset, DatasetCache, EMBEDDED_RON, Opened, SCHEMA_VERSION, SourceFile, SourceKey,
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
        pending.write(&opened.conference).expect("entry written");
        opened.conference.to_dataset()
    }

    fn entry(&self) -> PathBuf {
        let key = SourceKey::of(&self.source()).expect("source key");
        self.cache.entry_path(&key.path)
    }

    /// Puts `entry` in place of the entry; checks it misses and the load rewrites it.
    fn replaced_entry_misses_and_is_rewritten(&self, entry: &[u8], data: &Dataset) {
        fs::write(self.entry(), entry).expect("rewrite entry");
        assert!(!self.hits_with(data));
        assert_eq!(&self.open_and_fill(), data);
        assert!(self.hits_with(data));
    }

    /// Whether opening now is a hit; a hit must give `expected`.
    fn hits_with(&self, expected: &Dataset) -> bool {
        let opened = self.open();
        if opened.pending.is_none() {
            assert_eq!(
                &opened.conference.to_dataset(),
                expected,
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
    // Statements with every column filled, and none at all.
    for ron in [EMBEDDED_RON.to_owned(), synthetic_ron(2_003), empty] {
        let setup = Setup::new(&ron);
        let from_ron = setup.open_and_fill();
        assert_eq!(
            from_ron,
            Conference::open(&setup.source())
                .expect("opens")
                .to_dataset()
        );
        let key = SourceKey::of(&setup.source()).expect("key");
        let read = setup.cache.read(&key).map(|c| c.to_dataset());
        assert_eq!(read.as_ref(), Some(&from_ron));
        assert!(setup.hits_with(&from_ron));
        // The conference built from the entry answers as the one built from RON.
        let cached = setup.open().conference;
        let parsed = Conference::open(&setup.source()).expect("opens");
        for i in 0..parsed.statements().len() {
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
    setup.replaced_entry_misses_and_is_rewritten(&entry, &data);
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
    assert!(pending.write(&opened.conference).is_err());
    let (code, out) = quote(&setup.source(), &cache);
    assert_eq!(
        code,
        std::process::ExitCode::SUCCESS,
        "the cache's failure is ignored"
    );
    assert!(!out.is_empty());
}

/// Runs `quote` on the first statement of `source` through `cache`: its exit code and
/// output.
fn quote(source: &Path, cache: &DatasetCache) -> (std::process::ExitCode, String) {
    let command = Command::Quote {
        id: "pmc-new-beginning".into(),
        format: hanoi_tui::export::Format::Plain,
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = cli::run_command(&command, Some(source), Some(cache), &mut out, &mut err);
    (code, String::from_utf8(out).expect("UTF-8"))
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
    assert_ne!(quote(&invalid, &cache).0, std::process::ExitCode::SUCCESS);
    let written = fs::read_dir(cache_dir.path()).expect("cache dir").count();
    assert_eq!(written, 0);
}

#[test]
fn commands_fill_the_cache_unless_told_not_to() {
    let setup = Setup::new(EMBEDDED_RON);
    let cache_dir = setup.dir.path().join("cache");
    let search = |extra: &[&str]| {
        let output = hanoi()
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

#[test]
fn a_command_that_fails_on_a_valid_file_still_fills_the_cache() {
    let setup = Setup::new(EMBEDDED_RON);
    let command = Command::Quote {
        id: "no-such-statement".into(),
        format: hanoi_tui::export::Format::Plain,
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = cli::run_command(
        &command,
        Some(&setup.source()),
        Some(&setup.cache),
        &mut out,
        &mut err,
    );
    assert_ne!(code, std::process::ExitCode::SUCCESS);
    assert!(
        setup.open().pending.is_none(),
        "the parse is kept: the next open is a hit"
    );
}

/// The shipped dataset with the city renamed, keeping the file's size.
fn same_size_edit() -> String {
    let edited = EMBEDDED_RON.replacen("city: \"Hanoi\"", "city: \"HaNoi\"", 1);
    assert_eq!(edited.len(), EMBEDDED_RON.len());
    edited
}

#[test]
fn a_file_replaced_with_the_same_size_and_mtime_misses_and_its_new_content_is_loaded() {
    // As `cp -p` or `rsync -t` do: new content in a new file, renamed over the old one,
    // with the old one's mtime.
    let setup = Setup::new(EMBEDDED_RON);
    let first = setup.open_and_fill();
    let mtime = fs::metadata(setup.source())
        .and_then(|m| m.modified())
        .expect("mtime");
    let replacement = setup.dir.path().join("replacement.ron");
    fs::write(&replacement, same_size_edit()).expect("write replacement");
    fs::File::options()
        .write(true)
        .open(&replacement)
        .and_then(|f| f.set_modified(mtime))
        .expect("set mtime");
    fs::rename(&replacement, setup.source()).expect("replace");
    let opened = setup.open();
    assert!(opened.pending.is_some(), "another file: a miss");
    assert_eq!(opened.conference.data.event.city, "HaNoi");
    assert_ne!(opened.conference.to_dataset(), first);
}

#[test]
fn a_file_edited_in_place_keeping_size_and_mtime_misses_and_its_new_content_is_loaded() {
    // As an editor followed by `touch -r`: same inode, size and mtime; only the ctime
    // (which no one can set) tells.
    let setup = Setup::new(EMBEDDED_RON);
    setup.open_and_fill();
    let before = SourceKey::of(&setup.source()).expect("key");
    let mtime = fs::metadata(setup.source())
        .and_then(|m| m.modified())
        .expect("mtime");
    let file = fs::File::options()
        .write(true)
        .open(setup.source())
        .expect("source opens");
    fs::write(setup.source(), same_size_edit()).expect("edit in place");
    file.set_modified(mtime).expect("set mtime back");
    // The ctime has the kernel's clock tick as its grain: touch again (not wait) until
    // the tick has passed; bounded, so a key without the ctime fails instead of hanging.
    for _ in 0..1_000_000 {
        let now = SourceKey::of(&setup.source()).expect("key");
        if now.stamp.ctime_ns != before.stamp.ctime_ns {
            break;
        }
        file.set_modified(mtime).expect("set mtime back");
    }
    let now = SourceKey::of(&setup.source()).expect("key");
    assert_eq!(
        (now.stamp.size, now.stamp.mtime_ns, now.stamp.inode),
        (before.stamp.size, before.stamp.mtime_ns, before.stamp.inode),
        "size, mtime and inode kept"
    );
    let opened = setup.open();
    assert!(
        opened.pending.is_some(),
        "an edit keeping size and mtime: a miss"
    );
    assert_eq!(opened.conference.data.event.city, "HaNoi");
}

#[cfg(unix)]
#[test]
fn a_symlink_retargeted_while_loading_gets_no_entry() {
    let setup = Setup::new(EMBEDDED_RON);
    let other = setup.dir.path().join("other.ron");
    fs::write(&other, same_size_edit()).expect("other dataset");
    let link = setup.dir.path().join("link.ron");
    std::os::unix::fs::symlink(setup.source(), &link).expect("symlink");

    let source = SourceFile::open(&link).expect("opens");
    let key = source.key().expect("a key").clone();
    assert_eq!(
        key.path,
        fs::canonicalize(setup.source()).expect("canonical")
    );
    // Retargeted after the key was taken, before the bytes are read.
    fs::remove_file(&link).expect("unlink");
    std::os::unix::fs::symlink(&other, &link).expect("retarget");
    let bytes = source.read().expect("reads");
    assert_eq!(
        bytes,
        EMBEDDED_RON.as_bytes(),
        "read from the file the key describes"
    );
    assert_eq!(
        source.key_if_unchanged(),
        None,
        "the path now leads elsewhere"
    );

    // Loaded through the link now: the other file's content, under the other's name.
    let opened = Conference::open_cached(&link, &setup.cache).expect("opens");
    assert_eq!(opened.conference.data.event.city, "HaNoi");
    let pending = opened.pending.expect("a miss");
    pending.write(&opened.conference).expect("written");
    assert!(
        setup
            .cache
            .entry_path(&fs::canonicalize(&other).expect("canonical"))
            .exists()
    );
    assert!(
        !setup.entry().exists(),
        "no entry under the first file's name"
    );
}

#[test]
fn a_file_written_to_after_it_was_opened_gets_no_entry() {
    let setup = Setup::new(EMBEDDED_RON);
    let source = SourceFile::open(&setup.source()).expect("opens");
    // Written to through another handle while this one is open (the mtime set an hour
    // back, so the change shows whatever the clock's grain).
    let writer = fs::File::options()
        .write(true)
        .open(setup.source())
        .expect("opens for writing");
    fs::write(setup.source(), same_size_edit()).expect("edit");
    writer
        .set_modified(SystemTime::now() - Duration::from_secs(3_600))
        .expect("set mtime");
    source.read().expect("reads");
    assert_eq!(source.key_if_unchanged(), None);
}

#[test]
fn an_entry_from_another_build_misses_and_is_rewritten() {
    let setup = Setup::new(EMBEDDED_RON);
    let data = setup.open_and_fill();
    let mut entry = fs::read(setup.entry()).expect("entry");
    let version = env!("CARGO_PKG_VERSION").as_bytes();
    let at = entry
        .windows(version.len())
        .position(|w| w == version)
        .expect("the entry names the build's version");
    entry[at + version.len() - 1] ^= 0x01;
    setup.replaced_entry_misses_and_is_rewritten(&entry, &data);
}

#[cfg(unix)]
#[test]
fn a_fifo_in_place_of_an_entry_is_a_miss_without_blocking() {
    let setup = Setup::new(EMBEDDED_RON);
    let data = setup.open_and_fill();
    fs::remove_file(setup.entry()).expect("remove entry");
    let status = std::process::Command::new("mkfifo")
        .arg(setup.entry())
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    // Opening a FIFO for reading would block until a writer came: none ever does.
    assert!(!setup.hits_with(&data));
}

/// A pipe given as the dataset gives other bytes on every read, with a stamp that need
/// not change: it has no key, so what it gave once is never cached for the next load.
#[cfg(unix)]
#[test]
fn a_fifo_given_as_the_dataset_has_no_cache_key() {
    let setup = Setup::new("");
    let fifo = setup.dir.path().join("pipe.ron");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::write(fifo, EMBEDDED_RON))
    };
    let source = SourceFile::open(&fifo).expect("the pipe opens once a writer comes");
    assert!(source.key().is_none(), "a pipe is never keyed");
    assert_eq!(source.read().expect("read").len(), EMBEDDED_RON.len());
    writer.join().expect("writer").expect("written");
}

#[cfg(unix)]
#[test]
fn entries_are_private_and_stale_temp_files_are_cleared_on_write() {
    use std::os::unix::fs::PermissionsExt;
    let setup = Setup::new(EMBEDDED_RON);
    let cache_dir = setup.dir.path().join("cache");
    fs::create_dir(&cache_dir).expect("cache dir");
    let abandoned = cache_dir.join(".0123456789abcdef.dataset.4242.0badcafe.tmp");
    let fresh = cache_dir.join(".0123456789abcdef.dataset.4243.00000001.tmp");
    for path in [&abandoned, &fresh] {
        fs::write(path, "left by a killed writer").expect("temp file");
    }
    fs::File::options()
        .write(true)
        .open(&abandoned)
        .and_then(|f| f.set_modified(SystemTime::now() - Duration::from_secs(3_600)))
        .expect("age it");
    setup.open_and_fill();
    assert!(!abandoned.exists(), "an hour old: removed");
    assert!(fresh.exists(), "maybe a write under way: kept");
    let mode = fs::metadata(setup.entry())
        .expect("entry")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}
