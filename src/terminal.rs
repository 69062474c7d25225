//! The terminal edge: refuse to start without a terminal, enter and leave raw mode and the
//! alternate screen (the loading screen first, then the app), and restore the terminal
//! however the app ends — normal quit, error, panic, or SIGTERM/SIGHUP/SIGINT — with
//! mouse capture disabled too.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use ratatui::DefaultTerminal;

use crate::app;
use crate::clipboard::{Chain, SystemClipboard};
use crate::dataset::{Conference, DatasetCache, LoadError};
use crate::input::TerminalEvents;
use crate::loading::{self, Loader, Outcome};
use crate::search::worker::SearchWorker;
use crate::state::State;
use crate::ui::Theme;

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
    /// The dataset did not load; said after the terminal is restored.
    #[error(transparent)]
    Load(LoadError),
}

/// What the explorer opens, and how.
pub struct Launch<'a> {
    /// The dataset file (`--data`), or `None` for the built-in one.
    pub data: Option<PathBuf>,
    pub cache: Option<DatasetCache>,
    /// For the loading screen (the app's own theme is in the state `make_state` builds).
    pub theme: Theme,
    /// From the config: tried before the usual clipboard programs.
    pub clipboard_command: Option<&'a [String]>,
}

/// Refuses to start without a terminal on both standard input and output.
pub fn require_terminal() -> Result<(), TuiError> {
    if !io::stdin().is_terminal() {
        return Err(TuiError::NotATerminal("input"));
    }
    if !io::stdout().is_terminal() {
        return Err(TuiError::NotATerminal("output"));
    }
    Ok(())
}

/// Runs the explorer full-screen until the user quits or a termination signal arrives.
/// The loading screen comes first, at once; the dataset loads behind it, and
/// `make_state` turns it into the app's state.
pub fn run(
    launch: Launch,
    make_state: impl FnOnce(Arc<Conference>) -> State,
) -> Result<(), TuiError> {
    require_terminal()?;
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
    keep_the_terminal_on_background_panics();
    let restore = RestoreOnDrop;
    execute!(io::stdout(), EnableMouseCapture)?;
    inject_panic_for_tests();
    let mut events = TerminalEvents::new()?;
    let loader = Loader::spawn(launch.data, launch.cache, events.waker()?);
    let explored = explore(
        &mut terminal,
        &mut events,
        &loader,
        &stop,
        launch.theme,
        launch.clipboard_command,
        make_state,
    );
    // The terminal is the user's again before any wait for the cache entry to be written;
    // a signal (the stop flag) ends that wait.
    drop(restore);
    loader.finish(&stop);
    // Last, so that nothing the terminal or the loader does on the way out follows it.
    drop(terminal);
    gave_the_terminal_back();
    explored
}

/// The loading screen until the dataset is in, then the app until it ends.
fn explore(
    terminal: &mut DefaultTerminal,
    events: &mut TerminalEvents,
    loader: &Loader,
    stop: &AtomicBool,
    theme: Theme,
    clipboard_command: Option<&[String]>,
    make_state: impl FnOnce(Arc<Conference>) -> State,
) -> Result<(), TuiError> {
    let conference = match loading::wait(terminal, theme, events, loader, stop)? {
        Outcome::Loaded(conference) => conference,
        Outcome::Failed(error) => return Err(TuiError::Load(error)),
        Outcome::Quit => return Ok(()),
    };
    let mut state = make_state(conference);
    let mut clipboard = Chain::for_terminal(
        io::stdout(),
        Some(SystemClipboard::new()),
        clipboard_command,
        state.paths.clipboard_file(),
    );
    let wake = events.waker()?;
    let mut searcher = SearchWorker::spawn(Arc::clone(&state.conference), wake);
    app::run(
        terminal,
        &mut state,
        events,
        &mut clipboard,
        &mut searcher,
        stop,
    )?;
    Ok(())
}

/// Debug builds only: panics once the terminal is in raw mode with mouse capture on, when
/// HANOI_TUI_INJECT_PANIC is set, so the end-to-end tests can check that a panic leaves
/// the terminal usable. Release builds carry no such switch.
fn inject_panic_for_tests() {
    if !cfg!(debug_assertions) {
        return;
    }
    match std::env::var("HANOI_TUI_INJECT_PANIC").as_deref() {
        Ok("background") => {
            let thread = std::thread::spawn(|| panic!("injected background panic"));
            let _ = thread.join();
        }
        Ok(_) => panic!("injected panic (HANOI_TUI_INJECT_PANIC)"),
        Err(_) => {}
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

/// What background threads' panics said while the app held the terminal.
static BACKGROUND_PANICS: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// Whether the app holds the terminal (raw mode, the alternate screen): from just after
/// it takes it until it has given it back.
static HOLDING_THE_TERMINAL: AtomicBool = AtomicBool::new(false);

/// The hooks so far restore the terminal and print the panic; they are the process's, so
/// a panic in any thread (a search, the clipboard's worker, the cache writer) would leave
/// the app running on a terminal restored under it, and print over its screen. While the
/// app holds the terminal, only the UI thread's panic does that (and prints the kept
/// ones too, as the app ends with it); a background thread's is kept and printed once the
/// terminal is given back (a search that panicked answers nothing; the app goes on).
fn keep_the_terminal_on_background_panics() {
    let ui_thread = std::thread::current().id();
    let restoring = std::panic::take_hook();
    HOLDING_THE_TERMINAL.store(true, Ordering::SeqCst);
    std::panic::set_hook(Box::new(move |info| {
        let background = std::thread::current().id() != ui_thread;
        if background && HOLDING_THE_TERMINAL.load(Ordering::SeqCst) {
            if let Ok(mut panics) = BACKGROUND_PANICS.lock() {
                panics.push(info.to_string());
            }
            return;
        }
        restoring(info);
        if !background {
            report_background_panics();
        }
    }));
}

/// The terminal is the user's again: prints the background panics kept meanwhile, and
/// lets later ones through to the usual hooks.
fn gave_the_terminal_back() {
    HOLDING_THE_TERMINAL.store(false, Ordering::SeqCst);
    report_background_panics();
}

/// Prints the background panics kept while the app held the terminal.
fn report_background_panics() {
    let panics = BACKGROUND_PANICS
        .lock()
        .map(|mut panics| std::mem::take(&mut *panics))
        .unwrap_or_default();
    for panic in panics {
        eprintln!("hanoi-tui: a background thread failed: {panic}");
    }
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
