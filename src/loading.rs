//! The loading phase: the dataset loads on its own thread while the terminal shows the
//! loading screen and still answers q, Esc, Ctrl-C, signals and a hang-up at once, so a
//! large file never means a blank, unresponsive terminal.

use std::cell::Cell;
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, TryRecvError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::Backend;

use crate::app::EventSource;
use crate::dataset::{self, Conference, DatasetCache, EMBEDDED_NAME, LoadError};
use crate::ui::{self, LOADING_TICK, LoadingView, Theme};

/// What a load gives: the conference, shared from the start with the thread that may
/// still be writing its cache entry.
pub type Loaded = Result<Arc<Conference>, LoadError>;

/// How the loading phase ended.
#[derive(Debug)]
pub enum Outcome {
    Loaded(Arc<Conference>),
    Failed(LoadError),
    /// The user quit, a termination signal came, or the terminal went away.
    Quit,
}

/// A dataset loading on its own thread.
pub struct Loader {
    name: String,
    bytes: Option<u64>,
    started: Instant,
    answer: Receiver<Loaded>,
    /// Whether the answer came: the thread may then still be writing the cache entry.
    answered: Cell<bool>,
    /// Disconnected when the thread ends, however it ends (a panic included). A wait on
    /// it ends the moment the thread does, where polling `JoinHandle::is_finished` between
    /// looks at the stop flag would add up to a poll's length to every quit.
    ended: Receiver<()>,
    thread: JoinHandle<()>,
}

/// How often [`Loader::finish`] looks at the stop flag while it waits.
const FINISH_POLL: Duration = Duration::from_millis(50);

impl Loader {
    /// Starts loading `path` (or the built-in dataset) through `cache`; `wake` is called
    /// when the answer is in, to wake the loop. After answering, the thread writes the
    /// cache entry if the cache missed.
    pub fn spawn(
        path: Option<PathBuf>,
        cache: Option<DatasetCache>,
        wake: impl Fn() + Send + 'static,
    ) -> Self {
        let name = path
            .as_ref()
            .map_or_else(|| EMBEDDED_NAME.to_owned(), |p| p.display().to_string());
        let bytes = path
            .as_ref()
            .and_then(|p| std::fs::metadata(p).ok())
            .map(|m| m.len());
        Self::start(name, bytes, wake, move |answer| {
            match dataset::open(path.as_deref(), cache.as_ref()) {
                Ok(opened) => {
                    let conference = Arc::new(opened.conference);
                    answer(Ok(Arc::clone(&conference)));
                    if let Some(pending) = opened.pending {
                        pending.fill(&conference);
                    }
                }
                Err(error) => answer(Err(error)),
            }
        })
    }

    /// Runs `work` on a new thread; `work` hands its answer to the function it is given,
    /// once. Named `name`, of `bytes` bytes, on the loading screen.
    pub fn start(
        name: String,
        bytes: Option<u64>,
        wake: impl Fn() + Send + 'static,
        work: impl FnOnce(&dyn Fn(Loaded)) + Send + 'static,
    ) -> Self {
        let (sender, answer) = mpsc::channel();
        let (ending, ended) = mpsc::channel::<()>();
        let thread = thread::spawn(move || {
            let _ending = ending;
            work(&|loaded| {
                let _ = sender.send(loaded);
                wake();
            });
        });
        Self {
            name,
            bytes,
            started: Instant::now(),
            answer,
            answered: Cell::new(false),
            ended,
            thread,
        }
    }

    /// What the loading screen shows now.
    pub fn view(&self) -> LoadingView {
        LoadingView {
            name: self.name.clone(),
            bytes: self.bytes,
            elapsed: self.started.elapsed(),
        }
    }

    /// Waits for what the thread still does after answering (writing the cache entry),
    /// so the process does not end in the middle of it and leave a temporary file; but
    /// not for a load still running, which quitting must not wait for, nor once `stop` is
    /// set: the signal handlers only set that flag, so without looking at it a wait after
    /// `q` could not be interrupted by Ctrl-C or SIGTERM (after a signal, it does not wait).
    pub fn finish(self, stop: &AtomicBool) {
        if !(self.answered.get() || self.answer.try_recv().is_ok()) {
            return;
        }
        loop {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            match self.ended.recv_timeout(FINISH_POLL) {
                Err(RecvTimeoutError::Timeout) => {}
                Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        let _ = self.thread.join();
    }

    /// The answer, once it is in.
    fn answer(&self) -> Option<Loaded> {
        match self.answer.try_recv() {
            Ok(loaded) => {
                self.answered.set(true);
                Some(loaded)
            }
            Err(TryRecvError::Empty) => None,
            // The thread ended without answering: it panicked, and said so on stderr.
            Err(TryRecvError::Disconnected) => Some(Err(LoadError::Io {
                path: self.name.clone().into(),
                source: io::Error::other("the loading thread stopped"),
            })),
        }
    }
}

/// Shows the loading screen until the dataset is in or the user gives up. Unlike the
/// app's loop, this one redraws on a timer (every [`LOADING_TICK`]): here time passing
/// is the news, and it lasts only as long as the load.
pub fn wait<B: Backend, E: EventSource>(
    terminal: &mut Terminal<B>,
    theme: Theme,
    events: &mut E,
    loader: &Loader,
    stop: &AtomicBool,
) -> io::Result<Outcome> {
    loop {
        if stop.load(Ordering::Relaxed) {
            return Ok(Outcome::Quit);
        }
        match loader.answer() {
            Some(Ok(conference)) => return Ok(Outcome::Loaded(conference)),
            Some(Err(error)) => return Ok(Outcome::Failed(error)),
            None => {}
        }
        let view = loader.view();
        terminal
            .draw(|frame| ui::render_loading(&view, theme, frame))
            .map_err(crate::app::backend_error)?;
        match events.next_event(LOADING_TICK)? {
            Some(Event::Key(key)) if quits(&key) => return Ok(Outcome::Quit),
            None if events.closed() => return Ok(Outcome::Quit),
            // A resize is drawn at the next turn; anything else waits for the app.
            _ => {}
        }
    }
}

/// The keys that quit while loading. Fixed, not from the keymap: the keymap's modes
/// belong to the app's state, which does not exist yet.
fn quits(key: &KeyEvent) -> bool {
    key.kind != KeyEventKind::Release
        && match key.code {
            KeyCode::Char('q') | KeyCode::Esc => true,
            KeyCode::Char('c') => key.modifiers.contains(KeyModifiers::CONTROL),
            _ => false,
        }
}
