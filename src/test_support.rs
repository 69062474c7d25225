//! Fixtures shared by the unit tests (compiled for tests only).

use std::path::Path;
use std::sync::Arc;

use crate::dataset::Conference;
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
