//! The non-interactive command-line contract that scripts and other tools rely on:
//! `search --json` fields, `quote` formats, `--help`/`--version`, and output that never
//! carries control characters from the data.

#[path = "common/hanoi.rs"]
mod hanoi;

use std::path::PathBuf;
use std::process::Output;

use hanoi::hanoi;

fn run(args: &[&str]) -> Output {
    hanoi().args(args).output().expect("run hanoi-tui")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn search_json_prints_one_object_per_line_with_the_documented_fields() {
    let output = run(&["search", "human rights", "--json", "--limit", "10"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    let rows: Vec<serde_json::Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect();
    assert!(!rows.is_empty() && rows.len() <= 10, "{text}");
    let scores: Vec<i64> = rows
        .iter()
        .map(|r| r["score"].as_i64().expect("score"))
        .collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "best first: {scores:?}"
    );
    for row in &rows {
        let kind = row["kind"].as_str().expect("kind");
        assert!(["statement", "speaker", "session"].contains(&kind), "{row}");
        assert!(row["id"].is_string() && row["text"].is_string(), "{row}");
        if kind == "statement" {
            for field in ["speaker", "speaker_id", "session", "session_id", "date"] {
                assert!(row[field].is_string(), "{field} in {row}");
            }
            assert!(row["verbatim"].is_boolean(), "{row}");
            let date = row["date"].as_str().expect("date");
            assert!(date.len() == 10 && date.starts_with("2025-10-2"), "{date}");
            let sources = row["sources"].as_array().expect("sources");
            assert!(
                sources
                    .iter()
                    .any(|s| s.as_str().is_some_and(|s| s.ends_with(".txt"))),
                "{row}"
            );
        }
    }
    assert!(rows.iter().any(|r| r["kind"] == "statement"), "{text}");
}

#[test]
fn search_json_statement_row_matches_the_dataset() {
    let output = run(&["search", "preserve innocence", "--json", "--limit", "1"]);
    let row: serde_json::Value = serde_json::from_str(stdout(&output).trim()).expect("JSON");
    assert_eq!(row["id"], "pinto-preserve-innocence");
    assert_eq!(row["speaker"], "Maria Jose Pinto");
    assert_eq!(row["speaker_id"], "maria-jose-pinto");
    assert_eq!(row["session_id"], "plenary-1");
    assert_eq!(row["date"], "2025-10-25");
    assert_eq!(row["verbatim"], true);
    assert_eq!(
        row["sources"],
        serde_json::json!(["000_9042c8b5ed771bef.txt"])
    );
}

#[test]
fn search_without_results_says_so_in_text_and_prints_nothing_in_json() {
    let output = run(&["search", "zzqqxxjj"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "no results\n");
    let output = run(&["search", "zzqqxxjj", "--json"]);
    assert_eq!(stdout(&output), "");
}

#[test]
fn quote_plain_wraps_verbatim_text_in_typographic_quotes_with_attribution() {
    let output = run(&["quote", "pinto-preserve-innocence"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("“We must build systems that not only protect information"),
        "{text}"
    );
    assert!(
        lines[0].ends_with("rather than isolates people.”"),
        "{text}"
    );
    assert!(
        lines[1].starts_with("— Maria Jose Pinto, Vice President"),
        "{text}"
    );
    assert!(lines[1].ends_with(", Hanoi, 25 October 2025"), "{text}");
    assert!(
        lines[2].starts_with("Source: “Prime Minister Pham Minh Chinh emphasizes"),
        "{text}"
    );
}

#[test]
fn quote_never_puts_a_paraphrase_in_quotation_marks() {
    let output = run(&["quote", "pinto-social-welfare"]);
    let text = stdout(&output);
    let first = text.lines().next().expect("a line");
    assert!(
        first.starts_with("Paraphrase (reported speech, not a direct quote): cybersecurity"),
        "{text}"
    );
    assert!(!first.contains('“') && !first.contains('”'), "{text}");
    let markdown = stdout(&run(&[
        "quote",
        "pinto-social-welfare",
        "--format",
        "markdown",
    ]));
    assert!(
        markdown.starts_with("> *Paraphrase (reported speech, not a direct quote):* cybersecurity"),
        "{markdown}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&run(&[
        "quote",
        "pinto-social-welfare",
        "--format",
        "json",
    ])))
    .expect("JSON");
    assert_eq!(json["verbatim"], false);
    assert_eq!(json["kind"], "Paraphrase");
}

#[test]
fn quote_formats_agree_on_text_and_attribution() {
    let id = "pinto-preserve-innocence";
    let plain = stdout(&run(&["quote", id, "--format", "plain"]));
    let markdown = stdout(&run(&["quote", id, "--format", "markdown"]));
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["quote", id, "--format", "json"]))).expect("JSON");
    let text = json["text"].as_str().expect("text");
    let attribution = json["attribution"].as_str().expect("attribution");
    assert!(
        plain.starts_with(&format!("“{text}”\n{attribution}\n")),
        "{plain}"
    );
    assert!(
        markdown.starts_with(&format!("> “{text}”\n>\n> {attribution}\n")),
        "{markdown}"
    );
    assert_eq!(json["id"], id);
    assert_eq!(json["speaker_id"], "maria-jose-pinto");
    assert_eq!(json["sources"][0]["file"], "000_9042c8b5ed771bef.txt");
}

#[test]
fn quote_of_an_unknown_or_non_statement_id_exits_2_with_a_hint() {
    let output = run(&["quote", "no-such-id"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("\"no-such-id\" is not a statement id"),
        "{stderr}"
    );
    let output = run(&["quote", "maria-jose-pinto"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is a speaker, not a statement"));
}

#[test]
fn help_and_version_work() {
    let help = run(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    let text = stdout(&help);
    for command in ["check", "search", "quote", "--data"] {
        assert!(text.contains(command), "{command}: {text}");
    }
    let version = run(&["--version"]);
    assert_eq!(
        stdout(&version),
        format!("hanoi-tui {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn bad_arguments_exit_2() {
    assert_eq!(
        run(&["quote", "x", "--format", "pdf"]).status.code(),
        Some(2)
    );
    assert_eq!(run(&["search"]).status.code(), Some(2));
}

#[test]
fn output_never_carries_control_characters_from_the_data() {
    let data = fixture("control_chars.ron");
    let outputs = [
        run(&["--data", &data, "quote", "s1"]),
        run(&["--data", &data, "quote", "s1", "--format", "markdown"]),
        run(&["--data", &data, "quote", "s1", "--format", "json"]),
        run(&["--data", &data, "search", "khong", "--json"]),
        run(&["--data", &data, "search", "khong"]),
        run(&["check", &data]),
    ];
    for output in outputs {
        assert_eq!(output.status.code(), Some(0));
        let text = stdout(&output);
        assert!(
            text.contains("Không ai") || text.contains("control_chars.ron: ok"),
            "{text}"
        );
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "control character in {text:?}"
        );
        // In JSON a control character could also hide as an escape.
        assert!(
            !text.contains("\\u001b") && !text.contains("\\u0007"),
            "{text}"
        );
    }
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::process::Stdio;
    let mut child = hanoi()
        .args(["search", "e", "--limit", "100000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take()); // the reader goes away before reading anything
    let output = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}

#[test]
fn the_explorer_refuses_to_start_without_a_terminal() {
    use std::process::Stdio;
    let output = hanoi().stdin(Stdio::null()).output().expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("needs a terminal"), "{stderr}");
    assert!(
        stderr.contains("hanoi-tui search") && stderr.contains("hanoi-tui quote"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty(), "no escape sequences on a pipe");
}

#[test]
fn an_invalid_query_exits_2_and_says_what_is_wrong() {
    let output = run(&["search", "topic:cyber"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("invalid query: unknown field \"topic:\" at 1"),
        "{stderr}"
    );
}

#[test]
fn export_prints_the_statements_in_the_order_given_in_each_format() {
    let data = fixture("explorer.ron");
    let quote =
        |id: &str, format: &str| stdout(&run(&["quote", id, "--format", format, "--data", &data]));
    let md = run(&[
        "export",
        "--ids",
        "b-paraphrase,a-quote",
        "--format",
        "md",
        "--data",
        &data,
    ]);
    assert_eq!(md.status.code(), Some(0));
    assert_eq!(
        stdout(&md),
        format!(
            "{}\n---\n\n{}",
            quote("b-paraphrase", "markdown"),
            quote("a-quote", "markdown")
        )
    );
    let json = run(&[
        "export", "--ids", "a-quote", "--format", "json", "--data", &data,
    ]);
    let parsed: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("JSON");
    let single: serde_json::Value = serde_json::from_str(&quote("a-quote", "json")).expect("JSON");
    assert_eq!(parsed, serde_json::json!([single]));
    let csv = run(&[
        "export",
        "--ids",
        "a-quote,b-long",
        "--format",
        "csv",
        "--data",
        &data,
    ]);
    let text = stdout(&csv);
    assert!(text.starts_with("id,kind,text,attribution,speaker,session,date,sources,note\n"));
    assert_eq!(
        text.lines().filter(|l| l.starts_with("a-quote,")).count(),
        1
    );
}

#[test]
fn export_of_an_unknown_id_exits_2_naming_it() {
    let output = run(&[
        "export",
        "--ids",
        "a-quote,no-such-id",
        "--data",
        &fixture("explorer.ron"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "nothing half-printed");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("\"no-such-id\" is not a statement id in this dataset"),
        "{stderr}"
    );
    let missing = run(&["export"]);
    assert_eq!(missing.status.code(), Some(2), "--ids is required");
}
