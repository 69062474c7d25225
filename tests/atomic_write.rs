//! A process killed in the middle of writing a file through `fs_atomic` leaves the old
//! file or the new one, whole: never a mix, never a truncated file. The writer is this
//! test binary itself, started again as a child that rewrites one file in a loop.

use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hanoi_tui::fs_atomic::{self, Overwrite};

/// Set in the child's environment: the file it rewrites.
const TARGET_ENV: &str = "HANOI_TUI_ATOMIC_WRITE_TARGET";
/// Large enough that a write takes a while, so the kill lands inside one.
const SIZE: usize = 4 << 20;
const PATIENCE: Duration = Duration::from_secs(30);

/// Not a test: the child process of the test below (it runs only when started by it).
#[test]
#[ignore = "the child process of a_writer_killed_mid_write_leaves_one_whole_file"]
fn rewrite_forever() {
    let Some(target) = std::env::var_os(TARGET_ENV) else {
        return;
    };
    let contents = ["a".repeat(SIZE), "b".repeat(SIZE)];
    loop {
        for text in &contents {
            fs_atomic::write(Path::new(&target), text.as_bytes(), Overwrite::Allow).expect("write");
        }
    }
}

fn temp_files(dir: &Path) -> HashSet<String> {
    std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect()
}

#[test]
fn a_writer_killed_mid_write_leaves_one_whole_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("quotes.md");
    std::fs::write(&target, "o".repeat(SIZE)).expect("the old file");
    for round in 0..5 {
        let before = temp_files(dir.path());
        let mut child = Command::new(std::env::current_exe().expect("test binary"))
            .args(["--exact", "rewrite_forever", "--ignored", "--nocapture"])
            .env(TARGET_ENV, &target)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("child");
        // A new temp file means a write is under way: kill the writer in it.
        let start = Instant::now();
        while temp_files(dir.path()).is_subset(&before) {
            assert!(
                start.elapsed() < PATIENCE,
                "the child never started writing"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        child.kill().expect("kill");
        child.wait().expect("reaped");
        let now = std::fs::read(&target).expect("the target always exists");
        assert_eq!(now.len(), SIZE, "round {round}: truncated");
        let first = now[0];
        assert!(
            [b'o', b'a', b'b'].contains(&first) && now.iter().all(|&b| b == first),
            "round {round}: a mix of two writes"
        );
    }
}
