//! Shared by the integration tests: fixture states and rendering to a test backend.

use std::path::Path;
use std::sync::Arc;

use hanoi_tui::action::Action;
use hanoi_tui::app::{InlineSearcher, dispatch};
use hanoi_tui::dataset::Conference;
use hanoi_tui::effect::RecordingClipboard;
use hanoi_tui::state::State;
use hanoi_tui::ui::{Viewport, render};
use hanoi_tui::update::update;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The app's state on `tests/fixtures/<name>`, loaded as `--data` would load it.
#[allow(dead_code)]
pub fn fixture_state(name: &str) -> State {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let conference = Conference::open(&path).unwrap_or_else(|error| panic!("{error}"));
    State::new(Arc::new(conference))
}

/// The explorer fixture: two days, an empty session, a long statement, NFD Vietnamese.
#[allow(dead_code)]
pub fn explorer_state() -> State {
    fixture_state("explorer.ron")
}

/// A dataset with an event and nothing else.
#[allow(dead_code)]
pub fn empty_state() -> State {
    fixture_state("empty_dataset.ron")
}

/// The shipped dataset.
#[allow(dead_code)]
pub fn shipped_state() -> State {
    State::new(Arc::new(
        Conference::embedded().expect("shipped dataset loads"),
    ))
}

/// Applies `actions` as the loop would, performing their effects: searches run at once
/// (as if the worker answered before the next key), copies go to a recording clipboard.
#[allow(dead_code)]
pub fn apply(state: &mut State, actions: &[Action]) {
    let mut clipboard = RecordingClipboard::default();
    let mut searcher = InlineSearcher::new(Arc::clone(&state.conference));
    for action in actions {
        dispatch(state, action.clone(), &mut clipboard, &mut searcher);
    }
}

/// Renders `state` at `width`×`height`, as the loop does after a resize.
#[allow(dead_code)]
pub fn draw(state: &mut State, width: u16, height: u16) -> Terminal<TestBackend> {
    update(state, Action::Resize { width, height });
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    let mut viewport = Viewport::default();
    terminal
        .draw(|frame| render(state, &mut viewport, frame))
        .expect("draw");
    terminal
}

/// Applies fuzzing edits to `text`: at each index, delete up to that many bytes (widened
/// to whole characters) and insert the string.
#[allow(dead_code)]
pub fn apply_edits(text: &mut String, edits: Vec<(proptest::sample::Index, usize, String)>) {
    for (at, delete, insert) in edits {
        let mut start = at.index(text.len() + 1);
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (start + delete).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        text.replace_range(start..end, &insert);
    }
}
