//! Reducer tests for the quote features: the effects asked for, with their exact text,
//! and the state left behind.

use std::path::{Path, PathBuf};

use crate::action::{Action, ExportFailure};
use crate::collection::{Collection, DocumentFormat, render_ids};
use crate::dialog::Dialog;
use crate::effect::Effect;
use crate::export::{Format, format_statement};
use crate::paths::Paths;
use crate::state::State;
use crate::update::update;

fn state() -> State {
    let mut state = crate::test_support::explorer_state();
    state.paths = Paths::under(Path::new("/home/test"));
    state
}

fn index(state: &State, id: &str) -> usize {
    state.conference.statement_index(id).expect("statement")
}

/// Reports the last save asked for as done, as the loop does after performing it.
fn saved(state: &mut State) {
    let collection = state.collection.clone();
    update(state, Action::SaveDone(Ok(collection.into())));
}

fn save_of(base: &Collection, state: &State) -> Effect {
    Effect::SaveCollection {
        path: PathBuf::from("/home/test/state/saved.ron"),
        base: base.clone(),
        collection: state.collection.clone(),
    }
}

#[test]
fn y_copies_the_selected_statement_in_plain_text_with_attribution() {
    let mut state = state();
    update(&mut state, Action::Enter);
    let effects = update(&mut state, Action::Copy);
    let expected = format_statement(&state.conference, index(&state, "a-quote"), Format::Plain);
    assert_eq!(
        expected,
        "“Không ai bị bỏ lại phía sau trong kỷ nguyên số”\n\
         — Nguyen Van A, Minister of Testing, Viet Nam, Opening plenary, Hà Nội, 25 October 2025\n\
         Source: “Report A”, Test Wire, https://example.org/report-a\n"
    );
    assert_eq!(effects, vec![Effect::CopyToClipboard { text: expected }]);
}

#[test]
fn y_in_search_results_copies_the_selected_result() {
    let mut state = state();
    update(&mut state, Action::OpenSearch);
    for c in "shared commitment".chars() {
        // Run each search as the loop would, so the results are in.
        crate::test_support::dispatch(&mut state, Action::SearchInput(c));
    }
    let effects = update(&mut state, Action::Copy);
    let text = format_statement(&state.conference, index(&state, "a-closing"), Format::Plain);
    assert!(text.starts_with("Paraphrase (reported speech, not a direct quote): the conference"));
    assert_eq!(effects, vec![Effect::CopyToClipboard { text }]);
    assert!(state.searching(), "copying does not close the search");
}

#[test]
fn shift_y_chooses_a_format_and_copies_in_it() {
    let mut state = state();
    update(&mut state, Action::Enter);
    update(&mut state, Action::MoveDown);
    assert!(update(&mut state, Action::CopyAs).is_empty());
    let paraphrase = index(&state, "b-paraphrase");
    assert_eq!(
        state.dialog,
        Some(Dialog::CopyFormat {
            statement: paraphrase,
            selected: 0
        }),
        "plain is the default"
    );
    update(&mut state, Action::MoveDown);
    let effects = update(&mut state, Action::Confirm);
    let markdown = format_statement(&state.conference, paraphrase, Format::Markdown);
    assert!(markdown.starts_with("> *Paraphrase (reported speech, not a direct quote):*"));
    assert_eq!(effects, vec![Effect::CopyToClipboard { text: markdown }]);
    assert_eq!(state.dialog, None);
    update(&mut state, Action::CopyAs);
    update(&mut state, Action::Cancel);
    assert_eq!(state.dialog, None, "Esc closes without copying");
}

#[test]
fn a_adds_once_shows_the_count_and_saves() {
    let mut state = state();
    update(&mut state, Action::Enter);
    let effects = update(&mut state, Action::BasketAdd);
    assert_eq!(state.collection.basket, ["a-quote"]);
    assert_eq!(effects, vec![save_of(&Collection::default(), &state)]);
    assert_eq!(
        state.status.as_deref(),
        Some("Added to the basket (1; b shows it)")
    );
    assert!(
        update(&mut state, Action::BasketAdd).is_empty(),
        "no change, no save"
    );
    assert_eq!(
        state.status.as_deref(),
        Some("Already in the basket (1; b shows it)")
    );
}

#[test]
fn b_shows_the_basket_where_quotes_are_reordered_removed_copied_and_opened() {
    let mut state = state();
    update(&mut state, Action::Enter);
    for _ in 0..3 {
        update(&mut state, Action::BasketAdd);
        saved(&mut state);
        update(&mut state, Action::MoveDown);
    }
    assert_eq!(
        state.collection.basket,
        ["a-quote", "b-paraphrase", "b-long"]
    );
    update(&mut state, Action::BasketShow);
    assert_eq!(state.basket_view, Some(0));
    let before = state.collection.clone();
    let effects = update(&mut state, Action::BasketLower);
    assert_eq!(
        state.collection.basket,
        ["b-paraphrase", "a-quote", "b-long"]
    );
    assert_eq!(
        state.basket_view,
        Some(1),
        "the selection moves with the quote"
    );
    assert_eq!(effects, vec![save_of(&before, &state)]);
    saved(&mut state);
    assert!(update(&mut state, Action::MoveDown).is_empty());
    let copy = update(&mut state, Action::Copy);
    let long = format_statement(&state.conference, index(&state, "b-long"), Format::Plain);
    assert_eq!(copy, vec![Effect::CopyToClipboard { text: long }]);
    let before = state.collection.clone();
    let effects = update(&mut state, Action::BasketRemove);
    assert_eq!(state.collection.basket, ["b-paraphrase", "a-quote"]);
    assert_eq!(
        state.basket_view,
        Some(1),
        "stays within the shorter basket"
    );
    assert_eq!(effects, vec![save_of(&before, &state)]);
    update(&mut state, Action::MoveUp);
    update(&mut state, Action::BasketOpen);
    assert_eq!(state.basket_view, None);
    assert_eq!(
        state.selected_statement(),
        Some(index(&state, "b-paraphrase"))
    );
    update(&mut state, Action::BasketShow);
    update(&mut state, Action::Cancel);
    assert_eq!(state.basket_view, None);
}

#[test]
fn e_exports_through_format_and_path_and_asks_before_replacing_a_file() {
    let mut state = state();
    assert!(update(&mut state, Action::BasketExport).is_empty());
    assert_eq!(
        state.status.as_deref(),
        Some("The basket is empty: a adds the selected statement")
    );
    update(&mut state, Action::Enter);
    update(&mut state, Action::BasketAdd);
    update(&mut state, Action::MoveDown);
    update(&mut state, Action::BasketAdd);
    update(&mut state, Action::BasketExport);
    assert_eq!(state.dialog, Some(Dialog::ExportFormat { selected: 0 }));
    update(&mut state, Action::MoveDown);
    update(&mut state, Action::Confirm);
    assert_eq!(
        state.dialog,
        Some(Dialog::ExportPath {
            format: DocumentFormat::Csv,
            path: "/home/test/data/quotes.csv".to_owned()
        }),
        "the default path is in the data dir"
    );
    for _ in 0..".csv".len() {
        update(&mut state, Action::PromptBackspace);
    }
    for c in "-ab.csv".chars() {
        update(&mut state, Action::PromptInput(c));
    }
    let effects = update(&mut state, Action::Confirm);
    let ids = ["a-quote".to_owned(), "b-paraphrase".to_owned()];
    let contents = render_ids(&state.conference, &ids, DocumentFormat::Csv).expect("ids");
    let path = PathBuf::from("/home/test/data/quotes-ab.csv");
    assert_eq!(
        effects,
        vec![Effect::WriteExport {
            path: path.clone(),
            contents: contents.clone(),
            overwrite: false
        }]
    );
    // The file was there: ask, and replace only on yes.
    update(
        &mut state,
        Action::ExportDone(Err(ExportFailure::Exists(path.clone()))),
    );
    assert_eq!(
        state.dialog,
        Some(Dialog::Overwrite {
            path: path.clone(),
            contents: contents.clone()
        })
    );
    update(&mut state, Action::Cancel);
    assert_eq!(
        state.status.as_deref(),
        Some("Not exported: /home/test/data/quotes-ab.csv is kept as it was")
    );
    update(
        &mut state,
        Action::ExportDone(Err(ExportFailure::Exists(path.clone()))),
    );
    let effects = update(&mut state, Action::Confirm);
    assert_eq!(
        effects,
        vec![Effect::WriteExport {
            path: path.clone(),
            contents,
            overwrite: true
        }]
    );
    update(&mut state, Action::ExportDone(Ok(path)));
    assert_eq!(
        state.status.as_deref(),
        Some("Exported 2 quotes to /home/test/data/quotes-ab.csv")
    );
    update(
        &mut state,
        Action::ExportDone(Err(ExportFailure::Other("disk full".into()))),
    );
    assert_eq!(state.status.as_deref(), Some("Export failed: disk full"));
}

#[test]
fn m_toggles_a_bookmark_and_saves() {
    let mut state = state();
    update(&mut state, Action::Enter);
    let effects = update(&mut state, Action::ToggleBookmark);
    assert!(state.collection.is_bookmarked("a-quote"));
    assert_eq!(effects, vec![save_of(&Collection::default(), &state)]);
    update(&mut state, Action::ToggleBookmark);
    assert!(!state.collection.is_bookmarked("a-quote"));
    assert_eq!(state.status.as_deref(), Some("Bookmark removed"));
}

#[test]
fn a_save_brings_in_what_another_instance_saved_meanwhile() {
    let mut state = state();
    update(&mut state, Action::Enter);
    update(&mut state, Action::BasketAdd);
    update(&mut state, Action::BasketShow);
    let mut merged = state.collection.clone();
    merged.add("b-long");
    update(&mut state, Action::SaveDone(Ok(merged.clone().into())));
    assert_eq!(state.collection, merged);
    update(&mut state, Action::MoveDown);
    assert_eq!(state.basket_view, Some(1));
    update(
        &mut state,
        Action::SaveDone(Ok(Collection::default().into())),
    );
    assert_eq!(
        state.basket_view,
        Some(0),
        "the selection stays within the basket"
    );
}

#[test]
fn a_failed_save_is_a_message_and_a_save_does_not_hide_the_last_one() {
    let mut state = state();
    update(&mut state, Action::Enter);
    update(&mut state, Action::BasketAdd);
    let saved = state.collection.clone();
    update(&mut state, Action::SaveDone(Ok(saved.into())));
    assert!(
        state
            .status
            .as_deref()
            .is_some_and(|s| s.starts_with("Added"))
    );
    update(&mut state, Action::SaveDone(Err("disk full".into())));
    assert_eq!(
        state.status.as_deref(),
        Some("Basket and bookmarks not saved: disk full")
    );
}

/// What the one save in `effects` writes over `disk`, as `collection::save` merges it.
fn saved_over(effects: &[Effect], disk: &Collection) -> Collection {
    let [
        Effect::SaveCollection {
            base, collection, ..
        },
    ] = effects
    else {
        panic!("one save asked for: {effects:?}");
    };
    Collection::merged(base, collection, disk)
}

/// A save that fails leaves the change in memory only: the next save must still carry it,
/// not take its absence on disk for another instance's removal (and the same for a
/// removal that failed to save).
#[test]
fn a_change_whose_save_failed_is_saved_with_the_next_one() {
    let mut state = state();
    update(&mut state, Action::Enter);
    update(&mut state, Action::BasketAdd);
    update(&mut state, Action::SaveDone(Err("disk full".into())));
    update(&mut state, Action::MoveDown);
    let effects = update(&mut state, Action::BasketAdd);
    // Nothing reached the disk: it still holds what it held at first.
    let merged = saved_over(&effects, &Collection::default());
    assert_eq!(merged.basket, ["a-quote", "b-paraphrase"]);
    update(&mut state, Action::SaveDone(Ok(merged.clone().into())));
    assert_eq!(state.collection, merged);

    update(&mut state, Action::BasketShow);
    update(&mut state, Action::BasketRemove);
    update(&mut state, Action::SaveDone(Err("disk full".into())));
    update(&mut state, Action::Cancel);
    let effects = update(&mut state, Action::ToggleBookmark);
    let merged = saved_over(&effects, &merged);
    assert_eq!(merged.basket, ["b-paraphrase"], "the removal is not undone");
}

#[test]
fn a_save_that_moved_an_unreadable_file_aside_says_so() {
    let mut state = state();
    update(&mut state, Action::Enter);
    update(&mut state, Action::BasketAdd);
    let saved = crate::collection::Loaded {
        collection: state.collection.clone(),
        warning: Some("Saved basket and bookmarks unreadable (x), moved to y".into()),
    };
    update(&mut state, Action::SaveDone(Ok(saved)));
    assert_eq!(
        state.status.as_deref(),
        Some("Saved basket and bookmarks unreadable (x), moved to y")
    );
}
