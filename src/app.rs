//! The event loop: draw, wait for an event, turn it into an action, update, perform the
//! effects, and draw again only if something happened. Generic over the terminal backend,
//! the event source, the clipboard and where searches run, so tests drive the whole app
//! with scripted events.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossterm::event::{Event, MouseButton, MouseEventKind};
use ratatui::Terminal;
use ratatui::backend::Backend;

use crate::action::Action;
use crate::dataset::Conference;
use crate::effect::{Clipboard, Effect};
use crate::keymap::{self, Mode};
use crate::search::SearchIndex;
use crate::search::worker::{SearchRequest, SearchResults, SearchWorker, search_now};
use crate::state::State;
use crate::ui::{self, Viewport};
use crate::update::update;

/// How long the loop waits for input before looking at the stop flag and the terminal
/// again: only a safety net, since signals and a hang-up wake the loop at once. Nothing
/// is redrawn on a timeout.
pub const POLL_INTERVAL: Duration = Duration::from_secs(1);

/// Where input events come from.
pub trait EventSource {
    /// The next event, or `None` if none came within `timeout`.
    fn next_event(&mut self, timeout: Duration) -> io::Result<Option<Event>>;

    /// Whether the source is gone for good (the terminal was closed).
    fn closed(&self) -> bool {
        false
    }
}

/// Where searches run.
pub trait Searcher {
    /// Starts `request`: its complete answer if it is ready at once, or `None` when the
    /// answers come later from [`Searcher::answers`].
    fn start(&mut self, request: SearchRequest) -> Option<SearchResults>;
    /// The answers that came in since the last call.
    fn answers(&mut self) -> Vec<SearchResults>;
}

/// The app's searcher: a worker thread, so typing never waits for a search.
impl Searcher for SearchWorker {
    fn start(&mut self, request: SearchRequest) -> Option<SearchResults> {
        self.submit(request);
        None
    }

    fn answers(&mut self) -> Vec<SearchResults> {
        SearchWorker::answers(self)
    }
}

/// Runs each search to completion when it starts, on the calling thread: for tests and
/// benches, where a result must be there as soon as the key is handled.
pub struct InlineSearcher {
    conference: Arc<Conference>,
    index: Option<SearchIndex>,
}

impl InlineSearcher {
    pub fn new(conference: Arc<Conference>) -> Self {
        Self {
            conference,
            index: None,
        }
    }
}

impl Searcher for InlineSearcher {
    fn start(&mut self, request: SearchRequest) -> Option<SearchResults> {
        let conference = &self.conference;
        let index = self
            .index
            .get_or_insert_with(|| SearchIndex::new(Arc::clone(conference)));
        Some(search_now(index, &request))
    }

    /// Every answer was given by `start`.
    fn answers(&mut self) -> Vec<SearchResults> {
        Vec::new()
    }
}

/// Runs the app until the user quits or `stop` is set (by a signal handler).
pub fn run<B: Backend, E: EventSource, C: Clipboard, S: Searcher>(
    terminal: &mut Terminal<B>,
    state: &mut State,
    events: &mut E,
    clipboard: &mut C,
    searcher: &mut S,
    stop: &AtomicBool,
) -> io::Result<()> {
    let mut viewport = Viewport::default();
    let size = terminal.size().map_err(backend_error)?;
    update(
        state,
        Action::Resize {
            width: size.width,
            height: size.height,
        },
    );
    draw(terminal, state, &mut viewport)?;
    while state.running && !stop.load(Ordering::Relaxed) {
        let mut changed = false;
        match events.next_event(POLL_INTERVAL)? {
            Some(event) => {
                changed = handle(event, state, &viewport, clipboard, searcher);
                // Take everything already queued (a resize storm, a paste, fast typing)
                // before drawing, so the screen catches up in one frame instead of lagging.
                while state.running {
                    match events.next_event(Duration::ZERO)? {
                        Some(event) => {
                            changed |= handle(event, state, &viewport, clipboard, searcher);
                        }
                        None => break,
                    }
                }
            }
            None if events.closed() => break,
            None => {}
        }
        // The search worker wakes the loop when it answers, as input does. Its answers are
        // taken after the input: reading input also takes the wake-ups that came
        // meanwhile, and their answers are in by then, so none waits for the next event.
        changed |= receive_answers(state, clipboard, searcher);
        if changed && state.running {
            draw(terminal, state, &mut viewport)?;
        }
    }
    Ok(())
}

fn draw<B: Backend>(
    terminal: &mut Terminal<B>,
    state: &State,
    viewport: &mut Viewport,
) -> io::Result<()> {
    terminal
        .draw(|frame| ui::render(state, viewport, frame))
        .map(|_| ())
        .map_err(backend_error)
}

/// Backends have their own error types; the loop reports them all as I/O errors.
pub(crate) fn backend_error(error: impl std::fmt::Display) -> io::Error {
    io::Error::other(error.to_string())
}

/// Applies one event; returns whether anything may have changed on screen.
fn handle<C: Clipboard, S: Searcher>(
    event: Event,
    state: &mut State,
    viewport: &Viewport,
    clipboard: &mut C,
    searcher: &mut S,
) -> bool {
    let Some(action) = to_action(&event, state, viewport) else {
        return false;
    };
    dispatch(state, action, clipboard, searcher);
    true
}

/// Updates the state with `action` and performs the effects it returns, feeding each
/// effect's outcome back as an action.
pub fn dispatch<C: Clipboard, S: Searcher>(
    state: &mut State,
    action: Action,
    clipboard: &mut C,
    searcher: &mut S,
) {
    let mut pending = vec![action];
    while let Some(action) = pending.pop() {
        for effect in update(state, action) {
            pending.extend(perform(effect, clipboard, searcher));
        }
    }
}

/// Hands the searcher's answers to the reducer; returns whether there were any.
fn receive_answers<C: Clipboard, S: Searcher>(
    state: &mut State,
    clipboard: &mut C,
    searcher: &mut S,
) -> bool {
    let answers = searcher.answers();
    let any = !answers.is_empty();
    for answer in answers {
        dispatch(state, Action::SearchResults(answer), clipboard, searcher);
    }
    any
}

/// Performs an effect; the action that reports its outcome, if it has one now.
fn perform<C: Clipboard, S: Searcher>(
    effect: Effect,
    clipboard: &mut C,
    searcher: &mut S,
) -> Option<Action> {
    match effect {
        Effect::CopyToClipboard { text } => Some(Action::CopyDone(clipboard.copy(&text))),
        Effect::Search(request) => searcher.start(request).map(Action::SearchResults),
        Effect::WriteExport {
            path,
            contents,
            overwrite,
        } => Some(crate::effect::write_export(&path, &contents, overwrite)),
        Effect::SaveCollection {
            path,
            base,
            collection,
        } => Some(crate::effect::save_collection(&path, &base, &collection)),
    }
}

/// The action an input event stands for, if any.
pub fn to_action(event: &Event, state: &State, viewport: &Viewport) -> Option<Action> {
    let mode = keymap::mode_of(state);
    match event {
        Event::Key(key) => keymap::lookup(mode, key),
        Event::Resize(width, height) => Some(Action::Resize {
            width: *width,
            height: *height,
        }),
        Event::Mouse(mouse) => match mode {
            // The quote overlays are keyboard-only; a click must not act on the panes beneath.
            Mode::Basket | Mode::Choose | Mode::Prompt | Mode::Confirm => None,
            Mode::Help => {
                matches!(mouse.kind, MouseEventKind::Down(_)).then_some(Action::ToggleHelp)
            }
            Mode::Search => match mouse.kind {
                MouseEventKind::ScrollDown => Some(Action::MoveDown),
                MouseEventKind::ScrollUp => Some(Action::MoveUp),
                _ => None,
            },
            Mode::Normal => {
                let (pane, index) = viewport.hit(mouse.column, mouse.row)?;
                match mouse.kind {
                    MouseEventKind::Down(MouseButton::Left) => Some(Action::Click { pane, index }),
                    MouseEventKind::ScrollDown => Some(Action::Scroll { pane, delta: 1 }),
                    MouseEventKind::ScrollUp => Some(Action::Scroll { pane, delta: -1 }),
                    _ => None,
                }
            }
        },
        Event::FocusGained | Event::FocusLost | Event::Paste(_) => None,
    }
}
