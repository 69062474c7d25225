//! Fixtures shared by the unit tests (compiled for tests only).

use std::path::Path;
use std::sync::Arc;

use crate::dataset::{Conference, parse_str};
use crate::state::State;

/// tests/fixtures/explorer.ron: two days, an empty session, a long statement, NFD
/// Vietnamese, a message. Timeline: [opening, empty, closing].
pub fn explorer_conference() -> Conference {
    let text = include_str!("../tests/fixtures/explorer.ron");
    let data = parse_str(text, Path::new("explorer.ron")).expect("fixture loads");
    Conference::from_dataset(data, "explorer.ron").expect("valid")
}

pub fn explorer_state() -> State {
    State::new(Arc::new(explorer_conference()))
}
