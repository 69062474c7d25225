//! End-to-end: the built binary in a real terminal (tmux, on a private server with no
//! user config), driven with send-keys and read with capture-pane. Waits are bounded
//! guards against hangs, not timing assertions.

#[path = "common/tmux.rs"]
mod tmux;

use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

use hanoi_tui::dataset::Conference;
use hanoi_tui::export::{Format, format_statement};
use tmux::{BIN, PATIENCE, Tmux};

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
    tmux.wait_for_text("copy the statement with attribution");
    tmux.keys(&["Escape"]);
    tmux.wait_for("help to close", |s| {
        !s.contains("copy the statement with attribution")
    });
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
    let id = &conference.data.statements[first_plenary_statement(&conference)].id;
    let quote = Command::new(BIN)
        .args(["quote", id])
        .output()
        .expect("quote");
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
