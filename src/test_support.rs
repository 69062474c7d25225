//! Fixtures shared by the unit tests (compiled for tests only).

use std::path::Path;
use std::sync::Arc;

use crate::action::Action;
use crate::app::InlineSearcher;
use crate::dataset::Conference;
use crate::effect::RecordingClipboard;
use crate::state::State;

/// tests/fixtures/explorer.ron: two days, an empty session, a long statement, NFD
/// Vietnamese, a message. Timeline: [opening, empty, closing].
pub fn explorer_conference() -> Conference {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/explorer.ron");
    Conference::open(&path).unwrap_or_else(|error| panic!("{error}"))
}

pub fn explorer_state() -> State {
    State::new(Arc::new(explorer_conference()))
}

/// A synthetic conference of `statements` statements (see `crate::synthetic`).
pub fn synthetic_conference(statements: usize) -> Conference {
    Conference::from_dataset(crate::synthetic::generate(statements, 1), "synthetic")
        .unwrap_or_else(|error| panic!("{error}"))
}

/// Applies `action` as the loop does, performing its effects: searches run at once, and
/// copies go to a recording clipboard, which is returned.
pub fn dispatch(state: &mut State, action: Action) -> RecordingClipboard {
    let mut clipboard = RecordingClipboard::default();
    let mut searcher = InlineSearcher::new(Arc::clone(&state.conference));
    crate::app::dispatch(state, action, &mut clipboard, &mut searcher);
    clipboard
}
