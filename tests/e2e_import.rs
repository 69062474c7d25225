//! End-to-end: the built binary opens a published schedule (`--data schedule.xml`)
//! converted in memory, and its timeline shows the sessions in local conference time.

#[path = "common/hanoi.rs"]
mod hanoi;
#[path = "common/tmux.rs"]
mod tmux;

use std::path::Path;

use tmux::Tmux;

fn schedule(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/schedules")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn an_imported_frab_schedule_opens_on_its_timeline() {
    let path = schedule("frab.xml");
    let tmux = Tmux::start("import-frab", 160, 40, &["--data", &path]);
    tmux.wait_for_all(&[
        "Opening keynote: Ownership & Borrowing",
        "Friday 14 March 2025",
        "10:00–10:45 · Hall A",
        "Async Rust without tears",
        "14:00–16:00 · Workshop Room",
        "Saturday 15 March 2025",
        // After midnight, under the day it falls on, in local time.
        "00:30–01:30 · Hall A",
        "Speakers: Ada Lovelace, Đặng Thị Ngọc",
        "Talk · Keynotes · en · UTC+01:00",
    ]);
    // The next session's details follow the selection.
    tmux.keys(&["j"]);
    tmux.wait_for_text("Speakers: Grace Hopper");
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_for_exit(), "0");
}

#[test]
fn an_imported_c3voc_schedule_opens_and_a_bad_one_exits_2_with_its_position() {
    let tmux = Tmux::start(
        "import-c3voc",
        120,
        30,
        &["--data", &schedule("c3voc.json")],
    );
    tmux.wait_for("the c3voc sessions", |s| {
        s.contains("Welcome to the camp") && s.contains("14:00–15:30 · Tent")
    });
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_for_exit(), "0");
    let bad = schedule("duplicate_guid.json");
    let tmux = Tmux::start("import-bad", 120, 30, &["--data", &bad]);
    assert_eq!(tmux.wait_for_exit(), "2");
    let printed = tmux.wait_for_printed("duplicate_guid.json:12:13: event");
    assert!(printed.contains("has the same guid"), "{printed}");
}
