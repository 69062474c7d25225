//! The terminal edge: refuse to start without a terminal, enter and leave raw mode and the
//! alternate screen, and restore the terminal however the app ends — normal quit, error,
//! panic, or SIGTERM/SIGHUP/SIGINT — with mouse capture disabled too.

use std::io::{self, IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;

use crate::app;
use crate::clipboard::{Chain, SystemClipboard};
use crate::input::TerminalEvents;
use crate::search::worker::SearchWorker;
use crate::state::State;

/// Why the explorer could not run.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error(
        "the explorer needs a terminal, but standard {0} is not one; \
         for scripts use `hanoi-tui search QUERY` or `hanoi-tui quote ID`"
    )]
    NotATerminal(&'static str),
    #[error("terminal error: {0}")]
    Io(#[from] io::Error),
}

/// Runs the explorer full-screen until the user quits or a termination signal arrives.
/// `clipboard_command` (from the config) is tried before the usual clipboard programs.
pub fn run(mut state: State, clipboard_command: Option<&[String]>) -> Result<(), TuiError> {
    if !io::stdin().is_terminal() {
        return Err(TuiError::NotATerminal("input"));
    }
    if !io::stdout().is_terminal() {
        return Err(TuiError::NotATerminal("output"));
    }
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
    ] {
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    install_panic_hook();
    let mut terminal = ratatui::try_init()?;
    let _restore = RestoreOnDrop;
    execute!(io::stdout(), EnableMouseCapture)?;
    inject_panic_for_tests();
    let mut clipboard = Chain::for_terminal(
        io::stdout(),
        Some(SystemClipboard::new()),
        clipboard_command,
        state.paths.clipboard_file(),
    );
    let mut events = TerminalEvents::new()?;
    let wake = events.waker()?;
    let mut searcher = SearchWorker::spawn(Arc::clone(&state.conference), wake);
    app::run(
        &mut terminal,
        &mut state,
        &mut events,
        &mut clipboard,
        &mut searcher,
        &stop,
    )?;
    Ok(())
}

/// Debug builds only: panics once the terminal is in raw mode with mouse capture on, when
/// HANOI_TUI_INJECT_PANIC is set, so the end-to-end tests can check that a panic leaves
/// the terminal usable. Release builds carry no such switch.
fn inject_panic_for_tests() {
    if cfg!(debug_assertions) && std::env::var_os("HANOI_TUI_INJECT_PANIC").is_some() {
        panic!("injected panic (HANOI_TUI_INJECT_PANIC)");
    }
}

/// Leaves the terminal as it was found when dropped: on return and on error alike.
struct RestoreOnDrop;

impl Drop for RestoreOnDrop {
    fn drop(&mut self) {
        disable_mouse_capture();
        ratatui::restore();
    }
}

fn disable_mouse_capture() {
    let mut stdout = io::stdout();
    let _ = execute!(stdout, DisableMouseCapture);
    let _ = stdout.flush();
}

/// Installed before ratatui's own hook (which leaves raw mode and the alternate screen,
/// then calls this one): this one turns mouse capture off, which ratatui's does not,
/// so the shell is not left printing mouse reports, then prints the panic as usual.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        disable_mouse_capture();
        previous(info);
    }));
}
