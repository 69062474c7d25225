//! `hanoi-tui import` and schedules opened with `--data` / `check`: the RON written loads
//! back to the same sessions and speakers, bad files are refused with their line and
//! column and exit 2, and no output file is left half-written or silently replaced.

mod common;
#[path = "common/hanoi.rs"]
mod hanoi;

use std::path::{Path, PathBuf};
use std::process::Output;

use hanoi::hanoi;
use hanoi_tui::action::Action;
use hanoi_tui::dataset::{Conference, parse_str};

fn schedule(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/schedules")
        .join(name)
}

fn run(args: &[&str]) -> Output {
    hanoi().args(args).output().expect("run hanoi-tui")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

/// Asserts the command exited 0, showing its errors otherwise; returns its stdout.
fn succeeded(output: &Output, what: &str) -> String {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{what}: {}",
        text(&output.stderr)
    );
    text(&output.stdout)
}

const GOOD: [(&str, &str); 3] = [
    ("frab.xml", "6 sessions, 4 speakers, 0 statements"),
    ("c3voc.json", "3 sessions, 3 speakers, 0 statements"),
    ("fosdem.xml", "3 sessions, 2 speakers, 0 statements"),
];

#[test]
fn check_opens_schedules_directly() {
    for (name, counts) in GOOD {
        let path = schedule(name);
        let stdout = succeeded(&run(&["check", path.to_str().expect("path")]), name);
        assert!(
            stdout.ends_with(&format!(
                ": ok: {counts} (0 verbatim), 1 sources, 0 disputes\n"
            )),
            "{name}: {stdout}"
        );
    }
}

#[test]
fn imported_ron_checks_and_reloads_to_the_same_sessions_and_speakers() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, counts) in GOOD {
        let input = schedule(name);
        let out = dir.path().join(format!("{name}.ron"));
        let (input_arg, out_arg) = (input.to_str().expect("path"), out.to_str().expect("path"));
        let stdout = succeeded(&run(&["import", input_arg, "-o", out_arg]), name);
        assert!(stdout.is_empty(), "{name}: the dataset went to the file");
        assert!(
            succeeded(&run(&["check", out_arg]), name).contains(counts),
            "{name}"
        );
        // The written file is the in-memory conversion that --data uses, item for item.
        let written = Conference::open(&out)
            .unwrap_or_else(|e| panic!("{e}"))
            .to_dataset();
        let direct = Conference::open(&input)
            .unwrap_or_else(|e| panic!("{e}"))
            .to_dataset();
        assert_eq!(written.sessions, direct.sessions, "{name}");
        assert_eq!(written.speakers, direct.speakers, "{name}");
        assert_eq!(written, direct, "{name}");
    }
}

#[test]
fn without_output_the_dataset_goes_to_stdout() {
    let input = schedule("c3voc.json");
    let ron = succeeded(&run(&["import", input.to_str().expect("path")]), "import");
    assert!(ron.starts_with("// Imported by hanoi-tui from "), "{ron}");
    let data = parse_str(&ron, Path::new("stdout.ron")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(data, Conference::open(&input).expect("opens").to_dataset());
    assert_eq!(
        data.sources[0].url.as_deref(),
        Some("https://camp.example.org/2025/")
    );
}

#[test]
fn an_existing_output_is_kept_unless_forced() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("mine.ron");
    std::fs::write(&out, "my own notes").expect("write");
    let input = schedule("frab.xml");
    let (input, out_arg) = (input.to_str().expect("path"), out.to_str().expect("path"));
    let refused = run(&["import", input, "-o", out_arg]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused.stderr).contains("--force"),
        "{}",
        text(&refused.stderr)
    );
    assert_eq!(std::fs::read_to_string(&out).expect("read"), "my own notes");
    succeeded(
        &run(&["import", input, "-o", out_arg, "--force"]),
        "--force",
    );
    assert!(
        std::fs::read_to_string(&out)
            .expect("read")
            .contains("Rust Days 2025")
    );
}

#[test]
fn bad_schedules_exit_2_naming_the_place_and_write_nothing() {
    let cases = [
        (
            "malformed.xml",
            "malformed.xml:10:24: not a valid XML file",
            "</titel>",
        ),
        (
            "missing_title.xml",
            "missing_title.xml:8:7: <event id=\"7\"",
            "has no <title>",
        ),
        (
            "duplicate_guid.xml",
            "duplicate_guid.xml:14:7: <event id=\"2\"",
            "as the one at line 8, column 7",
        ),
        (
            "malformed.json",
            "malformed.json:8:103: not a valid JSON file",
            "expected `,`",
        ),
        (
            "duplicate_guid.json",
            "duplicate_guid.json:12:13: event",
            "same guid",
        ),
        (
            "bad_time.json",
            "bad_time.json:8:11: event",
            "field \"start\": \"25:61\" is not a time of day",
        ),
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, place, what) in cases {
        let input = schedule(name);
        let out = dir.path().join("out.ron");
        for args in [
            vec![
                "import",
                input.to_str().expect("path"),
                "-o",
                out.to_str().expect("path"),
            ],
            vec!["check", input.to_str().expect("path")],
            vec!["--data", input.to_str().expect("path"), "search", "x"],
        ] {
            let output = run(&args);
            let stderr = text(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
            assert!(output.stdout.is_empty(), "{args:?}");
            assert!(
                stderr.starts_with(&format!("error: {}", input.display())),
                "{stderr}"
            );
            assert!(
                stderr.contains(place) && stderr.contains(what),
                "{name}: {stderr}"
            );
            assert!(!stderr.contains("panicked"), "{stderr}");
        }
        let left: Vec<_> = std::fs::read_dir(dir.path()).expect("list").collect();
        assert!(
            left.is_empty(),
            "{name}: no output file, not even a temporary one"
        );
    }
}

#[test]
fn importing_a_dataset_or_an_unknown_file_says_what_is_expected() {
    let ron = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal.ron");
    let output = run(&["import", ron.to_str().expect("path")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("neither a frab schedule.xml nor a c3voc schedule.json"));
    let output = run(&["import", "/nonexistent/schedule.xml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("/nonexistent/schedule.xml: cannot read"));
}

#[test]
fn search_finds_imported_sessions_and_speakers() {
    let input = schedule("frab.xml");
    let args = [
        "--data",
        input.to_str().expect("path"),
        "search",
        "--json",
        "ada lovelace",
    ];
    let stdout = succeeded(&run(&args), "search");
    assert!(
        stdout.contains("\"kind\":\"speaker\",\"id\":\"ada-lovelace\""),
        "{stdout}"
    );
}

#[test]
fn the_timeline_shows_an_imported_schedule_in_local_time() {
    let mut state = common::fixture_state("schedules/frab.xml");
    insta::assert_snapshot!(
        "imported_timeline_80x24",
        common::draw(&mut state, 80, 24).backend()
    );
    // The keynote's details: its speakers, kind, track and language.
    let mut state = common::fixture_state("schedules/frab.xml");
    insta::assert_snapshot!(
        "imported_timeline_160x48",
        common::draw(&mut state, 160, 48).backend()
    );
}

#[test]
fn a_scheduled_speaker_shows_the_sessions_that_list_them() {
    let mut state = common::fixture_state("schedules/frab.xml");
    let conference = state.conference.clone();
    let ada = conference
        .data
        .speakers
        .iter()
        .position(|s| s.id == "ada-lovelace")
        .expect("imported");
    let titles: Vec<&str> = conference
        .sessions_of_speaker(ada)
        .iter()
        .map(|&i| conference.data.sessions[i].title.as_str())
        .collect();
    assert_eq!(
        titles,
        [
            "Opening keynote: Ownership & Borrowing",
            "Embedded Rust workshop",
            "Closing panel"
        ]
    );
    // Found by search, opened in the speaker pane.
    let mut actions = vec![Action::OpenSearch];
    actions.extend("speaker:lovelace".chars().map(Action::SearchInput));
    actions.push(Action::SearchOpen);
    common::apply(&mut state, &actions);
    assert_eq!(state.speaker, Some(ada));
    insta::assert_snapshot!(
        "imported_speaker_160x48",
        common::draw(&mut state, 160, 48).backend()
    );
}
