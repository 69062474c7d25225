//! Property tests: no sequence of actions panics or leaves a selection out of bounds, and
//! the screen renders at every size without panicking.

mod common;

use common::{draw, empty_state, explorer_state, shipped_state};
use hanoi_tui::action::Action;
use hanoi_tui::state::{Pane, State};
use hanoi_tui::update::update;
use proptest::prelude::*;

fn pane() -> impl Strategy<Value = Pane> {
    prop_oneof![
        Just(Pane::Timeline),
        Just(Pane::Statements),
        Just(Pane::Speaker)
    ]
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![3 => explore_action(), 1 => quote_action()]
}

fn explore_action() -> impl Strategy<Value = Action> {
    prop_oneof![
        Just(Action::MoveUp),
        Just(Action::MoveDown),
        Just(Action::Top),
        Just(Action::Bottom),
        Just(Action::PageUp),
        Just(Action::PageDown),
        Just(Action::HalfPageUp),
        Just(Action::HalfPageDown),
        Just(Action::FocusNext),
        Just(Action::FocusPrev),
        Just(Action::Enter),
        Just(Action::Enter),
        Just(Action::Back),
        Just(Action::JumpToSpeaker),
        Just(Action::OpenSearch),
        Just(Action::Copy),
        Just(Action::ToggleHelp),
        (0u16..300, 0u16..100).prop_map(|(width, height)| Action::Resize { width, height }),
        (pane(), proptest::option::of(0usize..50))
            .prop_map(|(pane, index)| Action::Click { pane, index }),
        (pane(), -20i32..20).prop_map(|(pane, delta)| Action::Scroll { pane, delta }),
        Just(Action::CopyDone(Err("test".into()))),
    ]
}

/// The basket, bookmarks and their dialogs (effects are not performed here).
fn quote_action() -> impl Strategy<Value = Action> {
    prop_oneof![
        Just(Action::CopyAs),
        Just(Action::BasketAdd),
        Just(Action::BasketAdd),
        Just(Action::BasketShow),
        Just(Action::BasketRaise),
        Just(Action::BasketLower),
        Just(Action::BasketRemove),
        Just(Action::BasketOpen),
        Just(Action::BasketExport),
        Just(Action::ToggleBookmark),
        Just(Action::Confirm),
        Just(Action::Cancel),
        Just(Action::PromptInput('ệ')),
        Just(Action::PromptBackspace),
        Just(Action::ExportDone(Err(
            hanoi_tui::action::ExportFailure::Exists("/x/quotes.md".into())
        ))),
    ]
}

fn check_sequence(
    mut state: State,
    actions: Vec<Action>,
    size: (u16, u16),
) -> Result<(), TestCaseError> {
    for action in actions {
        update(&mut state, action.clone());
        prop_assert!(
            state.in_bounds(),
            "out of bounds after {:?}: {:?}",
            action,
            state.location()
        );
        prop_assert!(
            state
                .basket_view
                .is_none_or(|s| s < state.collection.basket.len().max(1)),
            "basket selection out of bounds after {:?}",
            action
        );
    }
    let _ = draw(&mut state, size.0, size.1);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_actions_keep_indices_in_bounds_on_the_fixture(
        actions in proptest::collection::vec(action(), 0..60),
        size in (1u16..250, 1u16..80),
    ) {
        check_sequence(explorer_state(), actions, size)?;
    }

    #[test]
    fn random_actions_keep_indices_in_bounds_on_the_shipped_data(
        actions in proptest::collection::vec(action(), 0..60),
        size in (1u16..250, 1u16..80),
    ) {
        check_sequence(shipped_state(), actions, size)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_actions_on_an_empty_dataset_never_panic(
        actions in proptest::collection::vec(action(), 0..40),
        size in (1u16..250, 1u16..80),
    ) {
        check_sequence(empty_state(), actions, size)?;
    }
}

#[test]
fn renders_at_every_size_from_1x1_to_200x60() {
    // Each size is drawn in one of the six screens, in turn, so every size and every
    // screen are covered without drawing 48,000 frames.
    let screens: [&[Action]; 6] = [
        &[],
        &[Action::Enter, Action::Bottom],
        &[Action::Enter, Action::JumpToSpeaker],
        &[Action::ToggleHelp],
        &[Action::Enter, Action::BasketAdd, Action::BasketShow],
        &[
            Action::Enter,
            Action::BasketAdd,
            Action::BasketExport,
            Action::Confirm,
        ],
    ];
    let mut states: Vec<State> = screens
        .iter()
        .map(|actions| {
            // The fixture has the hard cases (a very long statement, NFD text, an empty
            // session); the shipped data is covered at random sizes above.
            let mut state = explorer_state();
            common::apply(&mut state, actions);
            state
        })
        .collect();
    let mut turn = 0;
    for width in 1..=200 {
        for height in 1..=60 {
            let state = &mut states[turn % screens.len()];
            let _ = draw(state, width, height);
            turn += 1;
        }
    }
}
