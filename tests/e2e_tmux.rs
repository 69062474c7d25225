//! End-to-end: the built binary in a real terminal (tmux, on a private server with no
//! user config), driven with send-keys and read with capture-pane. Waits are bounded
//! guards against hangs, not timing assertions.

#[path = "common/hanoi.rs"]
mod hanoi;
#[path = "common/tmux.rs"]
mod tmux;

use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

use hanoi::hanoi;
use hanoi_tui::dataset::Conference;
use hanoi_tui::export::{Format, format_statement};
use tmux::{PATIENCE, Tmux};

const RESTORED: &str = "alt=0 mouse=000";

/// The first statement of the first plenary in the shipped dataset.
fn first_plenary_statement(conference: &Conference) -> usize {
    let session = conference
        .data
        .sessions
        .iter()
        .position(|s| s.id == "plenary-1")
        .expect("plenary-1 exists");
    conference.statements_in_session(session)[0]
}

#[test]
fn launch_navigate_to_a_session_and_a_speaker_open_help_and_quit() {
    let conference = Conference::embedded().expect("loads");
    let statement = first_plenary_statement(&conference);
    let speaker = conference.speaker_of(statement).name.clone();
    let tmux = Tmux::start("navigate", 80, 24, &[]);
    tmux.wait_for_text("Signing Ceremony of the Hanoi Convention");
    assert_eq!(
        tmux.format("#{alternate_on}"),
        "1",
        "full-screen on the alternate screen"
    );
    tmux.keys(&["j", "Enter"]);
    tmux.wait_for(&speaker, |s| {
        s.contains(&speaker) && s.contains(" Statements 1/")
    });
    tmux.keys(&["s"]);
    tmux.wait_for("the speaker pane", |s| {
        s.contains(" Speaker 1/") && s.contains(&speaker)
    });
    tmux.keys(&["Escape"]);
    tmux.wait_for_text(" Statements 1/");
    tmux.keys(&["?"]);
    tmux.wait_for_text("copy with attribution");
    // Tab turns to the search syntax, whole at 80×24, and back.
    tmux.keys(&["Tab"]);
    tmux.wait_for_all(&["Search syntax", "date:2025-10-26", "closes this help"]);
    tmux.keys(&["BTab"]);
    tmux.wait_for_text("copy with attribution");
    tmux.keys(&["Escape"]);
    tmux.wait_for("help to close", |s| !s.contains("copy with attribution"));
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_for_exit(), "0");
    assert_eq!(tmux.modes_left_behind(), RESTORED);
}

#[test]
fn y_copies_the_selected_statement_through_osc52_byte_for_byte() {
    let conference = Conference::embedded().expect("loads");
    let expected = format_statement(
        &conference,
        first_plenary_statement(&conference),
        Format::Plain,
    );
    let tmux = Tmux::start("clipboard", 100, 30, &[]);
    tmux.wait_for_text("Signing Ceremony");
    tmux.keys(&["j", "Enter", "y"]);
    tmux.wait_for_text("Copied with attribution to the terminal clipboard (OSC 52)");
    let buffer = tmux.run(&["show-buffer"]).stdout;
    assert_eq!(String::from_utf8(buffer).expect("UTF-8 intact"), expected);
    // And it is what `hanoi-tui quote` prints.
    let id = conference.statement_id(first_plenary_statement(&conference));
    let quote = hanoi().args(["quote", id]).output().expect("quote");
    assert_eq!(String::from_utf8(quote.stdout).expect("UTF-8"), expected);
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_for_exit(), "0");
}

#[test]
fn termination_signals_restore_the_terminal_and_exit_0() {
    for signal in ["TERM", "HUP", "INT"] {
        let tmux = Tmux::start(&format!("signal-{signal}"), 80, 24, &[]);
        tmux.wait_for_text("Signing Ceremony");
        let pid = tmux.app_pid();
        let kill = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .expect("kill");
        assert!(kill.success());
        assert_eq!(tmux.wait_for_exit(), "0", "SIG{signal}");
        assert_eq!(tmux.modes_left_behind(), RESTORED, "SIG{signal}");
    }
}

#[test]
fn three_hundred_resizes_down_to_1x1_and_back_do_not_crash() {
    let tmux = Tmux::start("resize", 120, 40, &[]);
    tmux.wait_for_text("Signing Ceremony");
    let sizes = (0..300u16).map(|i| {
        // Down to 1×1 and back up, three times over.
        let phase = i % 100;
        let step = if phase < 50 { 49 - phase } else { phase - 50 };
        (1 + step * 4, 1 + step)
    });
    for (width, height) in sizes {
        let (w, h) = (width.to_string(), height.to_string());
        assert!(
            tmux.run(&["resize-window", "-t", "app", "-x", &w, "-y", &h])
                .status
                .success()
        );
    }
    tmux.run(&["resize-window", "-t", "app", "-x", "1", "-y", "1"]);
    tmux.run(&["resize-window", "-t", "app", "-x", "80", "-y", "24"]);
    tmux.wait_for("a full redraw at 80×24", |s| {
        s.contains("Sessions") && !s.contains("too small")
    });
    assert_eq!(tmux.format("#{pane_dead}"), "0", "still running");
    tmux.keys(&["?"]);
    tmux.wait_for_text("show or hide this help");
    // Escape and q sent together would read as Alt-q: wait for the help to close first.
    tmux.keys(&["Escape"]);
    tmux.wait_for("help to close", |s| !s.contains("show or hide this help"));
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_for_exit(), "0");
    assert_eq!(tmux.modes_left_behind(), RESTORED);
}

#[test]
fn a_too_small_terminal_shows_one_line_and_recovers() {
    let tmux = Tmux::start("small", 30, 8, &[]);
    tmux.wait_for_text("Terminal too small (30×8)");
    tmux.run(&["resize-window", "-t", "app", "-x", "80", "-y", "24"]);
    tmux.wait_for_text("Signing Ceremony");
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_for_exit(), "0");
}

#[test]
fn a_panic_restores_the_terminal_and_reports_the_panic() {
    // The debug binary panics right after entering raw mode with mouse capture on.
    let tmux = Tmux::start_with_env("panic", 80, 24, &[], "HANOI_TUI_INJECT_PANIC=1");
    assert_eq!(tmux.wait_for_exit(), "101");
    assert_eq!(tmux.modes_left_behind(), RESTORED);
    tmux.wait_for_text("injected panic (HANOI_TUI_INJECT_PANIC)");
}

/// A background thread's panic must not restore the terminal under the running app: it
/// goes on, and the panic is reported once the app ends.
#[test]
fn a_background_panic_leaves_the_app_running_and_is_reported_at_exit() {
    let tmux = Tmux::start_with_env("bgpanic", 80, 24, &[], "HANOI_TUI_INJECT_PANIC=background");
    tmux.wait_for_text("Signing Ceremony");
    tmux.keys(&["j"]);
    tmux.wait_for_text("Sessions 2/");
    let running = tmux.modes_left_behind();
    assert!(running.starts_with("alt=1"), "still full-screen: {running}");
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_for_exit(), "0");
    assert_eq!(tmux.modes_left_behind(), RESTORED);
    let printed = tmux.wait_for_printed("a background thread failed");
    assert!(printed.contains("injected background panic"), "{printed}");
}

#[test]
fn search_typed_in_the_terminal_jumps_to_the_statement_in_context() {
    let conference = Conference::embedded().expect("loads");
    let id = "pinto-preserve-innocence";
    let index = conference
        .statement_index(id)
        .expect("the statement exists");
    let expected = format_statement(&conference, index, Format::Plain);
    let tmux = Tmux::start("search", 100, 30, &[]);
    tmux.wait_for_text("Signing Ceremony");
    tmux.keys(&["/"]);
    tmux.wait_for_text("Type to search");
    // Typed without diacritics, in two bursts, as a person would.
    tmux.keys(&["-l", "preserve "]);
    tmux.keys(&["-l", "innocence"]);
    tmux.wait_for("the quote among the results", |s| {
        s.contains("/ preserve innocence") && s.contains("We must build systems")
    });
    // F1 shows the query syntax over the search, and Esc goes back to it as it was.
    tmux.keys(&["F1"]);
    tmux.wait_for_all(&["Search syntax", "kind:verbatim, kind:paraphrase"]);
    tmux.keys(&["Escape"]);
    tmux.wait_for("the search again", |s| {
        !s.contains("Search syntax")
            && s.contains("/ preserve innocence")
            && s.contains("We must build systems")
    });
    tmux.keys(&["Enter"]);
    tmux.wait_for("the statement in its session", |s| {
        s.contains(" Statements ") && !s.contains("/ preserve")
    });
    tmux.keys(&["y"]);
    tmux.wait_for_text("Copied with attribution");
    let buffer = String::from_utf8(tmux.run(&["show-buffer"]).stdout).expect("UTF-8");
    assert_eq!(buffer, expected, "Enter selected the searched statement");
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_for_exit(), "0");
}

#[test]
fn the_app_exits_when_its_terminal_goes_away() {
    // Killing the tmux server closes the terminal; the app is not the session leader (the
    // wrapper shell is), so no SIGHUP reaches it: it must notice by itself, not spin.
    let tmux = Tmux::start("hangup", 80, 24, &[]);
    tmux.wait_for_text("Signing Ceremony");
    let pid = tmux.app_pid();
    assert!(tmux.run(&["kill-server"]).status.success());
    let start = Instant::now();
    let alive = || {
        // A zombie has exited; only its parent has not collected it yet.
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|stat| stat.split_whitespace().nth(2) != Some("Z"))
    };
    while alive() {
        if start.elapsed() > PATIENCE {
            let _ = Command::new("kill").args(["-9", &pid]).status();
            panic!("the app kept running after its terminal closed");
        }
        sleep(Duration::from_millis(50));
    }
}

/// The explorer fixture: its quote is in Vietnamese, and its city is "Hà Nội".
const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/explorer.ron");

/// What `hanoi-tui ARGS --data FIXTURE` prints.
fn cli_output(args: &[&str]) -> String {
    let output = hanoi()
        .args(args)
        .args(["--data", FIXTURE])
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[test]
fn shift_y_markdown_on_a_searched_statement_copies_the_markdown_export_byte_for_byte() {
    let expected = cli_output(&["quote", "a-quote", "--format", "markdown"]);
    assert!(expected.starts_with("> “Không ai bị bỏ lại phía sau trong kỷ nguyên số”"));
    assert!(expected.contains("Hà Nội"), "{expected}");
    let tmux = Tmux::start("markdown", 100, 30, &["--data", FIXTURE]);
    tmux.wait_for_text("Opening plenary");
    tmux.keys(&["/"]);
    tmux.wait_for_text("Type to search");
    tmux.keys(&["-l", "\"khong ai bi\""]);
    tmux.wait_for_text("1 result");
    tmux.keys(&["Enter"]);
    tmux.wait_for("the statement in its session", |s| {
        !s.contains("khong ai bi")
    });
    tmux.keys(&["Y"]);
    tmux.wait_for_text("Markdown (blockquote, linked source)");
    tmux.keys(&["j", "Enter"]);
    tmux.wait_for_text("Copied with attribution to the terminal clipboard (OSC 52)");
    let buffer = String::from_utf8(tmux.run(&["show-buffer"]).stdout).expect("UTF-8 intact");
    assert_eq!(buffer, expected);
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_for_exit(), "0");
}

#[test]
fn the_basket_exports_to_a_file_like_the_export_command_and_persists_across_runs() {
    let expected = cli_output(&["export", "--ids", "a-quote,b-paraphrase", "--format", "md"]);
    let home = tempfile::tempdir().expect("home");
    let tmux = Tmux::start_in(home.path(), "basket", 100, 30, &["--data", FIXTURE], "");
    tmux.wait_for_text("Opening plenary");
    tmux.keys(&["Enter", "a", "j", "a"]);
    tmux.wait_for_text("basket 2");
    tmux.keys(&["e"]);
    tmux.wait_for_text("Export the basket as");
    tmux.keys(&["Enter"]);
    tmux.wait_for_text("quotes.md");
    tmux.keys(&["Enter"]);
    tmux.wait_for_text("Exported 2 quotes to");
    let file = home.path().join("data/quotes.md");
    assert_eq!(std::fs::read_to_string(&file).expect("written"), expected);
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_for_exit(), "0");
    // A second run in the same home finds the basket as it was left.
    drop(tmux);
    let again = Tmux::start_in(
        home.path(),
        "basket-again",
        100,
        30,
        &["--data", FIXTURE],
        "",
    );
    again.wait_for_text("basket 2");
    again.keys(&["b"]);
    again.wait_for_text("Quote basket");
    again.keys(&["q"]);
    again.wait_for("the basket to close", |s| !s.contains("Quote basket"));
    again.keys(&["q"]);
    assert_eq!(again.wait_for_exit(), "0");
}

#[test]
fn a_config_rebinds_copy_and_sets_its_format() {
    let home = tempfile::tempdir().expect("home");
    std::fs::write(
        home.path().join("config.ron"),
        "(keys: { \"copy\": [\"c\"] }, copy_format: \"markdown\")",
    )
    .expect("config");
    let expected = cli_output(&["quote", "a-quote", "--format", "markdown"]);
    let tmux = Tmux::start_in(home.path(), "config", 100, 30, &["--data", FIXTURE], "");
    tmux.wait_for_text("Opening plenary");
    tmux.keys(&["Enter", "c"]);
    tmux.wait_for_text("Copied with attribution");
    let buffer = String::from_utf8(tmux.run(&["show-buffer"]).stdout).expect("UTF-8");
    assert_eq!(buffer, expected);
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_for_exit(), "0");
}

#[test]
fn a_bad_config_and_a_corrupt_state_file_are_reported_and_the_app_still_runs() {
    let home = tempfile::tempdir().expect("home");
    std::fs::write(
        home.path().join("config.ron"),
        "(\n  keys: {\n    \"cpy\": [\"c\"],\n  },\n)\n",
    )
    .expect("config");
    std::fs::create_dir_all(home.path().join("state")).expect("state dir");
    std::fs::write(home.path().join("state/saved.ron"), "(basket: [oops").expect("state");
    let tmux = Tmux::start_in(home.path(), "bad-config", 250, 30, &["--data", FIXTURE], "");
    tmux.wait_for_all(&["unknown action \"cpy\"", "config.ron:3:", "moved to"]);
    let aside = std::fs::read_dir(home.path().join("state"))
        .expect("state dir")
        .filter_map(Result::ok)
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("saved.ron.corrupt-")
        });
    assert!(aside, "the corrupt file is kept aside");
    // Defaults apply: y still copies.
    tmux.keys(&["Enter", "y"]);
    tmux.wait_for_text("Copied with attribution");
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_for_exit(), "0");
}

/// A private X server (Xvfb) for the system-clipboard test; killed on drop.
struct XServer {
    display: String,
    process: std::process::Child,
}

impl XServer {
    fn start() -> Self {
        // -displayfd: Xvfb picks a free display and writes its number to our pipe once
        // it accepts connections, so two test runs never share a server.
        let mut process = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-nolisten",
                "tcp",
                "-screen",
                "0",
                "640x480x24",
            ])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("Xvfb is installed (.ci/run installs it)");
        let mut line = String::new();
        let stdout = process.stdout.take().expect("piped");
        std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line)
            .expect("Xvfb says its display");
        let number = line.trim();
        assert!(!number.is_empty(), "Xvfb did not start");
        let server = Self {
            display: format!(":{number}"),
            process,
        };
        assert!(server.clipboard_ready(), "Xvfb does not answer");
        server
    }

    /// Whether the server answers (xclip can ask it for the clipboard, even if empty).
    fn clipboard_ready(&self) -> bool {
        Command::new("xclip")
            .args(["-selection", "clipboard", "-o"])
            .env("DISPLAY", &self.display)
            .stderr(std::process::Stdio::piped())
            .output()
            .is_ok_and(|o| !String::from_utf8_lossy(&o.stderr).contains("Can't open display"))
    }

    /// Waits until the clipboard holds `expected`, failing after [`PATIENCE`].
    fn wait_for_clipboard(&self, expected: &str) {
        let start = Instant::now();
        loop {
            let now = self.clipboard();
            if now == expected {
                return;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "the clipboard holds {now:?}, not {expected:?}"
            );
            sleep(Duration::from_millis(50));
        }
    }

    fn clipboard(&self) -> String {
        let output = Command::new("xclip")
            .args(["-selection", "clipboard", "-o"])
            .env("DISPLAY", &self.display)
            .output()
            .expect("xclip is installed (.ci/run installs it)");
        String::from_utf8(output.stdout).expect("UTF-8")
    }
}

impl Drop for XServer {
    fn drop(&mut self) {
        // Whatever serves the selection (our daemon) is a client of this server and
        // exits with it.
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

#[test]
fn y_reaches_the_system_clipboard_and_the_copy_outlives_the_app() {
    let expected = cli_output(&["quote", "a-quote"]);
    let x = XServer::start();
    let env = format!("DISPLAY={}", x.display);
    let tmux = Tmux::start_with_env("x11", 100, 30, &["--data", FIXTURE], &env);
    tmux.wait_for_text("Opening plenary");
    tmux.keys(&["Enter", "y"]);
    tmux.wait_for_text(
        "Copied with attribution to the system clipboard and the terminal clipboard (OSC 52)",
    );
    assert_eq!(
        x.clipboard(),
        expected,
        "the system clipboard has the same bytes"
    );
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_for_exit(), "0");
    // The app is gone; its clipboard-daemon serves the selection now.
    assert_eq!(x.clipboard(), expected, "the copy survives quitting");
    let display = format!("DISPLAY={}", x.display);
    assert_eq!(daemons_on(&display).len(), 1, "one daemon serves it");
    // And the daemon ends with the display server, instead of waiting forever.
    drop(x);
    let start = Instant::now();
    while !daemons_on(&display).is_empty() {
        assert!(
            start.elapsed() < PATIENCE,
            "the clipboard daemon outlived its display"
        );
        sleep(Duration::from_millis(100));
    }
}

#[test]
fn quitting_never_brings_an_old_copy_back_over_a_newer_one_from_elsewhere() {
    let x = XServer::start();
    let env = format!("DISPLAY={}", x.display);
    let tmux = Tmux::start_with_env("x11-newer", 100, 30, &["--data", FIXTURE], &env);
    tmux.wait_for_text("Opening plenary");
    tmux.keys(&["Enter", "y"]);
    tmux.wait_for_text("Copied with attribution to the system clipboard");
    // Another program copies something after us.
    let mut xclip = Command::new("xclip")
        .args(["-selection", "clipboard"])
        .env("DISPLAY", &x.display)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("xclip");
    std::io::Write::write_all(&mut xclip.stdin.take().expect("stdin"), b"newer words")
        .expect("written");
    xclip.wait().expect("xclip forks and returns");
    // xclip's parent returns before its forked child owns the selection.
    x.wait_for_clipboard("newer words");
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_for_exit(), "0");
    assert_eq!(
        x.clipboard(),
        "newer words",
        "the app's old copy did not come back"
    );
    assert!(daemons_on(&env).is_empty(), "nothing to hand over");
}

/// Running `hanoi-tui clipboard-daemon` processes (not zombies) with `display` in their
/// environment.
fn daemons_on(display: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|pid| pid.bytes().all(|b| b.is_ascii_digit()))
        .filter(|pid| {
            let read =
                |file: &str| std::fs::read(format!("/proc/{pid}/{file}")).unwrap_or_default();
            let cmdline = read("cmdline");
            let environ = read("environ");
            let running = !String::from_utf8_lossy(&read("stat")).contains(") Z ");
            running
                && cmdline
                    .split(|&b| b == 0)
                    .any(|arg| arg == b"clipboard-daemon")
                && environ
                    .split(|&b| b == 0)
                    .any(|var| var == display.as_bytes())
        })
        .collect()
}

#[test]
fn with_no_clipboard_at_all_the_copy_is_appended_to_a_file_in_the_data_dir() {
    let expected = cli_output(&["quote", "a-quote"]);
    // Not in tmux as far as the app knows, a terminal without OSC 52, no display.
    let tmux = Tmux::start_with_env(
        "fallback",
        120,
        30,
        &["--data", FIXTURE],
        "TERM=linux; unset TMUX",
    );
    tmux.wait_for_text("Opening plenary");
    tmux.keys(&["Enter", "y"]);
    let file = tmux.home.join("data/clipboard.txt");
    tmux.wait_for_text(&format!(
        "Copied with attribution to the end of {} (no clipboard was reachable)",
        file.display()
    ));
    assert_eq!(
        std::fs::read_to_string(&file).expect("appended"),
        format!("{expected}\n")
    );
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_for_exit(), "0");
}

#[test]
fn the_configured_clipboard_command_gets_the_text_on_standard_input() {
    let expected = cli_output(&["quote", "a-quote"]);
    let home = tempfile::tempdir().expect("home");
    let received = home.path().join("received.txt");
    std::fs::write(
        home.path().join("config.ron"),
        format!(
            "(clipboard_command: [\"sh\", \"-c\", \"cat > '{}'\"])",
            received.display()
        ),
    )
    .expect("config");
    let tmux = Tmux::start_in(home.path(), "command", 120, 30, &["--data", FIXTURE], "");
    tmux.wait_for_text("Opening plenary");
    tmux.keys(&["Enter", "y"]);
    tmux.wait_for_text(
        "Copied with attribution to the system clipboard (sh) and the terminal clipboard (OSC 52)",
    );
    assert_eq!(
        std::fs::read_to_string(&received).expect("received"),
        expected
    );
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_for_exit(), "0");
}

#[test]
fn the_first_run_writes_a_cache_entry_and_the_second_uses_it() {
    let home = tempfile::tempdir().expect("home");
    let cache = home.path().join("cache");
    let tmux = Tmux::start_in(home.path(), "cache", 100, 30, &["--data", FIXTURE], "");
    tmux.wait_for_text("Opening plenary");
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_for_exit(), "0");
    drop(tmux);
    let entries: Vec<_> = std::fs::read_dir(&cache)
        .expect("the cache dir was made")
        .map(|entry| entry.expect("entry").path())
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert!(entries[0].to_string_lossy().ends_with(".dataset"));
    let written = std::fs::metadata(&entries[0]).expect("entry").modified();

    let again = Tmux::start_in(
        home.path(),
        "cache-again",
        100,
        30,
        &["--data", FIXTURE],
        "",
    );
    again.wait_for_text("Opening plenary");
    again.keys(&["Enter", "a"]);
    again.wait_for_text("basket 1");
    again.keys(&["q"]);
    assert_eq!(again.wait_for_exit(), "0");
    // A hit reads the entry and leaves it as it was.
    let after = std::fs::metadata(&entries[0]).expect("entry").modified();
    assert_eq!(after.ok(), written.ok());
}

#[test]
fn q_quits_at_once_while_the_dataset_is_still_loading() {
    // A named pipe nobody writes to: the load waits on it for ever, as on a huge file.
    let dir = tempfile::tempdir().expect("dir");
    let fifo = dir.path().join("never.ron");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let fifo = fifo.to_str().expect("UTF-8 path");
    let tmux = Tmux::start("loading", 80, 24, &["--data", fifo]);
    tmux.wait_for_text("never.ron…");
    tmux.wait_for_text("q, Esc or Ctrl-C to quit");
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_for_exit(), "0");
    assert_eq!(tmux.modes_left_behind(), RESTORED);
}

#[test]
fn a_bad_dataset_restores_the_terminal_then_says_where_the_problem_is() {
    let bad = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/unknown_speaker.ron"
    );
    let tmux = Tmux::start("bad-data", 80, 24, &["--data", bad]);
    assert_eq!(tmux.wait_for_exit(), "2");
    assert_eq!(tmux.modes_left_behind(), RESTORED);
    tmux.wait_for_printed("unknown_speaker.ron:21:17: statement \"s1\"");
}
