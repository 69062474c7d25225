//! `hanoi-tui check` on good and bad files: the message names the file, line, column and
//! id, the exit code is 2, and nothing panics.

#[path = "common/hanoi.rs"]
mod hanoi;

use std::path::PathBuf;
use std::process::Output;

use hanoi::hanoi;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn check(path: &std::path::Path) -> Output {
    hanoi()
        .arg("check")
        .arg(path)
        .output()
        .expect("run hanoi-tui")
}

/// Runs `check` on a fixture expected to fail; returns its stderr.
fn check_fails(name: &str) -> String {
    let output = check(&fixture(name));
    let stderr = String::from_utf8(output.stderr).expect("stderr is UTF-8");
    assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
    assert!(output.stdout.is_empty(), "{name}: nothing on stdout");
    assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    assert!(
        stderr.starts_with(&format!("error: {}", fixture(name).display())),
        "{name}: the message starts with the file: {stderr}"
    );
    stderr
}

#[test]
fn valid_files_print_counts_and_exit_0() {
    for name in ["minimal.ron", "bom.ron", "nfd.ron"] {
        let output = check(&fixture(name));
        let stdout = String::from_utf8(output.stdout).expect("UTF-8");
        assert_eq!(output.status.code(), Some(0), "{name}");
        assert!(
            stdout.ends_with(
                ": ok: 1 sessions, 1 speakers, 1 statements (1 verbatim), 1 sources, 0 disputes\n"
            ),
            "{name}: {stdout}"
        );
    }
}

#[test]
fn the_built_in_dataset_checks() {
    let output = hanoi().arg("check").output().expect("run");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.starts_with("data/hanoi-convention-2025.ron (built in): ok: 4 sessions"),
        "{stdout}"
    );
}

#[test]
fn syntax_error_in_vietnamese_text_shows_line_column_and_caret() {
    let stderr = check_fails("syntax_error_vietnamese.ron");
    let expected = "syntax_error_vietnamese.ron:25:35: Expected comma\n   |\n25 |             text: \"Thủ tướng nói \"không ai\" bị bỏ lại\",\n   |                                   ^\n";
    assert!(stderr.ends_with(expected), "{stderr}");
}

#[test]
fn unterminated_string_names_where_it_opens() {
    let stderr = check_fails("runaway_string.ron");
    assert!(
        stderr.contains("note: the string opened at ")
            && stderr.contains("runaway_string.ron:25:19 runs over several lines"),
        "{stderr}"
    );
}

#[test]
fn unknown_speaker_names_the_statement_and_the_speaker() {
    let stderr = check_fails("unknown_speaker.ron");
    assert!(
        stderr.contains("unknown_speaker.ron:21:17: statement \"s1\": `speaker` names unknown speaker \"nobody\""),
        "{stderr}"
    );
}

#[test]
fn duplicate_id_names_both_places() {
    let stderr = check_fails("duplicate_id.ron");
    assert!(
        stderr.contains(
            "duplicate_id.ron:17:21: duplicate id \"opening\" (first defined at line 14)"
        ),
        "{stderr}"
    );
}

#[test]
fn unknown_field_names_the_field_and_the_expected_ones() {
    let stderr = check_fails("unknown_field.ron");
    assert!(
        stderr.contains("unknown_field.ron:25:13: Unexpected field named `mood` in `Statement`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("25 |             mood: \"hopeful\","),
        "{stderr}"
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let stderr = check_fails("many_problems.ron");
    assert!(stderr.contains("4 problems in the dataset"), "{stderr}");
    for needle in [
        "statement id \"S 1\" is not lowercase kebab-case",
        "unknown speaker \"ghost\"",
        "unknown session \"nowhere\"",
        "unknown source \"missing-source\"",
    ] {
        assert!(stderr.contains(needle), "{needle}: {stderr}");
    }
}

#[test]
fn session_ending_before_start_and_empty_text_are_named() {
    let stderr = check_fails("session_ends_before_start.ron");
    assert!(
        stderr.contains(":14:21: session \"opening\" ends before it starts"),
        "{stderr}"
    );
    let stderr = check_fails("empty_text.ron");
    assert!(
        stderr.contains(":21:17: statement \"s1\": `text` is empty"),
        "{stderr}"
    );
}

#[test]
fn event_problems_empty_ids_and_repeated_items_are_placed() {
    let stderr = check_fails("event_and_repeated_items.ron");
    assert_reports(
        &stderr,
        &[
            ":9:19: the event's end_date is before its start_date",
            ":5:15: event: `name` is empty",
            ":23:23: statement id is empty",
            ":24:23: statement id is empty",
            ":24:23: duplicate id \"\" (first defined at line 23)",
            // The second "s1", not the first (line 21).
            ":22:23: statement \"s1\": `speaker` names unknown speaker \"ghost\"",
            ":24:23: statement with an empty id: `text` is empty",
        ],
    );
}

#[test]
fn problems_are_placed_at_their_item_whatever_the_order_of_collections_and_id_spelling() {
    let stderr = check_fails("collections_out_of_order.ron");
    assert_reports(
        &stderr,
        &[
            // The statement "x" is written before the session "x" it repeats the id of.
            ":6:23: duplicate id \"x\" (also defined at line 12)",
            ":12:21: session \"x\": `title` is empty",
            ":6:23: statement \"x\": `speaker` names unknown speaker \"ghost\"",
            // `r#id: "s1"`, then `id: r"s1"`.
            ":8:23: duplicate id \"s1\" (first defined at line 7)",
            ":7:25: statement \"s1\": `speaker` names unknown speaker \"nobody\"",
            ":8:23: statement \"s1\": `text` is empty",
        ],
    );
}

/// Checks that a report holds each of `lines` (a position and a message).
fn assert_reports(stderr: &str, lines: &[&str]) {
    for line in lines {
        assert!(stderr.contains(line), "{line}: {stderr}");
    }
}

#[test]
fn empty_file_and_binary_garbage_are_named() {
    let stderr = check_fails("empty.ron");
    assert!(stderr.contains("empty.ron: the file is empty"), "{stderr}");
    let stderr = check_fails("binary_garbage.bin");
    assert!(stderr.contains("binary_garbage.bin:2:"), "{stderr}");
    assert!(stderr.contains("not UTF-8 text"), "{stderr}");
}

#[test]
fn deep_nesting_of_100k_levels_is_an_error_not_a_crash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("deep.ron");
    let depth = 100_000;
    let text = format!(
        "Dataset(event: Event(name: {}{}))",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    std::fs::write(&path, text).expect("write");
    let output = check(&path);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("deep.ron:1:"), "{stderr}");
    assert!(
        stderr.len() < 1_000,
        "the excerpt is a window, not the 200k-character line"
    );
}

#[test]
fn a_missing_file_is_named() {
    let output = check(&fixture("does-not-exist.ron"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr.contains("does-not-exist.ron: cannot read the file"),
        "{stderr}"
    );
}

#[test]
fn data_flag_feeds_every_command() {
    let output = hanoi()
        .args(["--data"])
        .arg(fixture("unknown_speaker.ron"))
        .args(["quote", "s1"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown speaker \"nobody\""));
}
