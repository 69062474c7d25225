//! The reducer's part for the search pane: typing runs the query, moves go through the
//! results, Enter opens a result in its context, Esc returns to where search was opened.

use crate::action::Action;
use crate::dataset::Item;
use crate::effect::Effect;
use crate::search::parse;
use crate::search::worker::{SearchRequest, SearchResults};
use crate::state::{Pane, SEARCH_LIMIT, Search, State};

/// Whether `action` is the search pane's to handle while it is open.
pub fn handles(action: &Action) -> bool {
    matches!(
        action,
        Action::MoveUp
            | Action::MoveDown
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom
            | Action::CloseSearch
            | Action::SearchInput(_)
            | Action::SearchBackspace
            | Action::SearchClear
            | Action::SearchOpen
            | Action::OpenSearch
            | Action::SearchResults(_)
    )
}

pub fn open(state: &mut State) {
    state.help = None;
    state.search_generation += 1;
    state.search = Some(Search {
        query: String::new(),
        hits: Vec::new(),
        matched: 0,
        pending: false,
        open_when_ready: false,
        selected: 0,
        error: None,
        origin: state.location(),
    });
}

pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    let page = state.page(Pane::Timeline);
    let Some(search) = state.search.as_mut() else {
        return Vec::new();
    };
    if let Some(moved) = super::moved_in_list(search.selected, &action, page, search.hits.len()) {
        search.selected = moved;
        return Vec::new();
    }
    match action {
        Action::SearchInput(c) => {
            search.query.push(c);
            return run(state);
        }
        Action::SearchBackspace => {
            search.query.pop();
            return run(state);
        }
        Action::SearchClear => {
            search.query.clear();
            return run(state);
        }
        Action::CloseSearch => {
            let origin = search.origin;
            state.search = None;
            state.restore(origin);
        }
        Action::SearchOpen if search.pending => {
            // The results on screen are for what was typed before, or only the first
            // part of this query's: open its best result once the complete answer is in.
            search.open_when_ready = true;
        }
        Action::SearchOpen => open_selected(state),
        Action::SearchResults(results) => receive(state, results),
        _ => {}
    }
    Vec::new()
}

/// Sends the query as it now stands to the search worker; an invalid query keeps the
/// last results visible under an inline error, so a half-typed `speaker:` does not
/// blank the list.
fn run(state: &mut State) -> Vec<Effect> {
    let Some(search) = state.search.as_mut() else {
        return Vec::new();
    };
    search.open_when_ready = false;
    match parse(&search.query) {
        Ok(query) if query.is_empty() => {
            // An answer still on its way is for text no longer typed.
            state.search_generation += 1;
            search.hits.clear();
            search.matched = 0;
            search.error = None;
            search.pending = false;
            search.selected = 0;
            Vec::new()
        }
        Ok(query) => {
            search.error = None;
            search.pending = true;
            // A new query's best result comes first: select it as soon as it shows.
            search.selected = 0;
            state.search_generation += 1;
            vec![Effect::Search(SearchRequest {
                generation: state.search_generation,
                query,
                limit: SEARCH_LIMIT,
            })]
        }
        Err(error) => {
            search.error = Some(error.to_string());
            Vec::new()
        }
    }
}

/// Shows an answer if it is for the query last sent; a complete one may open its best
/// result (Enter was pressed while it ran).
fn receive(state: &mut State, results: SearchResults) {
    let Some(search) = state.search.as_mut() else {
        return;
    };
    if results.generation != state.search_generation {
        return;
    }
    // A result the user moved to stays selected where the complete answer moves it (a
    // copy or Enter pressed just as it arrives must act on that result, not on whatever
    // took its row); if it is gone, the best is selected, as the first row stays the
    // first.
    let chosen = (search.selected > 0)
        .then(|| search.hits.get(search.selected).map(|hit| hit.item))
        .flatten();
    search.hits = results.hits;
    search.matched = results.matched;
    search.pending = !results.complete;
    let kept = chosen.map(|item| search.hits.iter().position(|hit| hit.item == item));
    search.selected = match kept {
        Some(kept) => kept.unwrap_or(0),
        None => search.selected.min(search.hits.len().saturating_sub(1)),
    };
    if results.complete && search.open_when_ready {
        // Enter was pressed on results that were not yet the query's: it opens the best.
        search.open_when_ready = false;
        search.selected = 0;
        open_selected(state);
    }
}

/// Closes the search and shows the selected result where it belongs: a statement selected
/// in its session, a speaker in the speaker pane, a session in the timeline. Back returns
/// to where the search was opened.
fn open_selected(state: &mut State) {
    let Some(search) = state.search.as_ref() else {
        return;
    };
    let Some(hit) = search.hits.get(search.selected) else {
        state.status = Some("No result to open".to_owned());
        return;
    };
    let (item, origin) = (hit.item, search.origin);
    state.search = None;
    state.restore(origin);
    state.push_history();
    match item {
        Item::Statement(statement) => {
            state.open_statement(statement);
            state.focus = Pane::Statements;
        }
        Item::Speaker(speaker) => {
            state.speaker = Some(speaker);
            state.speaker_statement = 0;
            state.focus = Pane::Speaker;
        }
        Item::Session(session) => {
            if let Some(position) = state.timeline.iter().position(|&s| s == session) {
                state.select(Pane::Timeline, position);
            }
            state.focus = Pane::Timeline;
        }
        Item::Source(_) | Item::Dispute(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::dispatch as reduce;

    fn state() -> State {
        crate::test_support::explorer_state()
    }

    fn type_text(state: &mut State, text: &str) {
        for c in text.chars() {
            reduce(state, Action::SearchInput(c));
        }
    }

    fn selected_statement_id(state: &State) -> Option<String> {
        state
            .selected_statement()
            .map(|i| state.conference.statement_id(i).to_owned())
    }

    #[test]
    fn typing_updates_results_on_every_keystroke() {
        let mut state = state();
        reduce(&mut state, Action::OpenSearch);
        type_text(&mut state, "'greet");
        let search = state.search.as_ref().expect("open");
        assert_eq!(search.query, "'greet");
        assert_eq!(search.hits.len(), 1);
        reduce(&mut state, Action::SearchBackspace);
        reduce(&mut state, Action::SearchClear);
        let search = state.search.as_ref().expect("open");
        assert_eq!((search.query.as_str(), search.hits.len()), ("", 0));
    }

    #[test]
    fn enter_opens_a_statement_in_its_session_and_back_returns() {
        let mut state = state();
        reduce(&mut state, Action::OpenSearch);
        type_text(&mut state, "shared commitment");
        reduce(&mut state, Action::SearchOpen);
        assert!(state.search.is_none());
        assert_eq!(state.focus, Pane::Statements);
        assert_eq!(selected_statement_id(&state).as_deref(), Some("a-closing"));
        reduce(&mut state, Action::Back);
        assert_eq!((state.focus, state.session), (Pane::Timeline, 0));
    }

    #[test]
    fn enter_on_a_speaker_opens_the_speaker_detail() {
        let mut state = state();
        reduce(&mut state, Action::OpenSearch);
        type_text(&mut state, "delegate b");
        let first = state
            .search
            .as_ref()
            .and_then(|s| s.hits.first())
            .map(|h| h.item);
        let Some(Item::Speaker(speaker)) = first else {
            panic!("the speaker ranks first: {first:?}");
        };
        reduce(&mut state, Action::SearchOpen);
        assert_eq!((state.focus, state.speaker), (Pane::Speaker, Some(speaker)));
    }

    #[test]
    fn esc_restores_the_previous_view() {
        let mut state = state();
        reduce(&mut state, Action::Enter);
        reduce(&mut state, Action::MoveDown);
        let before = state.location();
        reduce(&mut state, Action::OpenSearch);
        type_text(&mut state, "closing");
        reduce(&mut state, Action::MoveDown);
        reduce(&mut state, Action::CloseSearch);
        assert!(state.search.is_none());
        assert_eq!(state.location(), before);
    }

    #[test]
    fn an_invalid_query_shows_an_error_and_keeps_the_last_results() {
        let mut state = state();
        reduce(&mut state, Action::OpenSearch);
        type_text(&mut state, "'greet e:");
        let search = state.search.as_ref().expect("open");
        assert!(
            search
                .error
                .as_deref()
                .is_some_and(|e| e.contains("\"e:\"")),
            "{search:?}"
        );
        assert_eq!(search.hits.len(), 1, "the results of \"'greet e\" stay");
        reduce(&mut state, Action::SearchOpen);
        assert!(state.search.is_none(), "Enter still opens the result shown");
    }

    /// An answer that arrives after the query changed, was cleared or the pane was
    /// reopened is for text no longer shown: it must not replace the results.
    #[test]
    fn late_answers_to_older_queries_are_ignored() {
        let mut state = state();
        let index = crate::search::SearchIndex::new(std::sync::Arc::clone(&state.conference));
        let sent = |state: &mut State, action| match crate::update::update(state, action).pop() {
            Some(Effect::Search(request)) => request,
            other => panic!("a search effect, not {other:?}"),
        };
        crate::update::update(&mut state, Action::OpenSearch);
        let late = sent(&mut state, Action::SearchInput('e'));
        let answer = crate::search::worker::search_now(&index, &late);
        assert!(!answer.hits.is_empty());
        crate::update::update(&mut state, Action::SearchClear);
        crate::update::update(&mut state, Action::SearchResults(answer.clone()));
        assert!(state.search.as_ref().is_some_and(|s| s.hits.is_empty()));
        crate::update::update(&mut state, Action::CloseSearch);
        crate::update::update(&mut state, Action::OpenSearch);
        crate::update::update(&mut state, Action::SearchResults(answer));
        assert!(state.search.as_ref().is_some_and(|s| s.hits.is_empty()));
        let current = sent(&mut state, Action::SearchInput('e'));
        let answer = crate::search::worker::search_now(&index, &current);
        crate::update::update(&mut state, Action::SearchResults(answer.clone()));
        assert_eq!(state.search.as_ref().map(|s| &s.hits), Some(&answer.hits));
    }

    /// A complete answer that reorders the early one keeps the result the user moved to.
    #[test]
    fn the_result_moved_to_stays_selected_when_the_complete_answer_reorders_them() {
        let mut state = state();
        let index = crate::search::SearchIndex::new(std::sync::Arc::clone(&state.conference));
        crate::update::update(&mut state, Action::OpenSearch);
        let effects = crate::update::update(&mut state, Action::SearchInput('e'));
        let Some(Effect::Search(request)) = effects.last() else {
            panic!("a search effect: {effects:?}");
        };
        let complete = crate::search::worker::search_now(&index, request);
        assert!(complete.hits.len() >= 3);
        let mut early = complete.clone();
        early.complete = false;
        early.hits.swap(1, 2);
        crate::update::update(&mut state, Action::SearchResults(early.clone()));
        crate::update::update(&mut state, Action::MoveDown);
        crate::update::update(&mut state, Action::SearchResults(complete));
        let search = state.search.as_ref().expect("open");
        assert_eq!(search.selected, 2);
        assert_eq!(search.hits[2].item, early.hits[1].item);

        // Gone from the complete answer: the best is selected.
        crate::update::update(&mut state, Action::SearchResults(early.clone()));
        assert_eq!(state.search.as_ref().map(|s| s.selected), Some(1));
        let mut complete = crate::search::worker::search_now(&index, request);
        complete.hits.retain(|hit| hit.item != early.hits[1].item);
        crate::update::update(&mut state, Action::SearchResults(complete));
        assert_eq!(state.search.as_ref().map(|s| s.selected), Some(0));

        // Enter pressed while the query ran opens its best result, wherever the
        // selection was on the early answer.
        let complete = crate::search::worker::search_now(&index, request);
        crate::update::update(&mut state, Action::SearchResults(early));
        crate::update::update(&mut state, Action::MoveDown);
        crate::update::update(&mut state, Action::SearchOpen);
        assert!(state.search.is_some(), "waits for the complete answer");
        let best = complete.hits[0].item;
        crate::update::update(&mut state, Action::SearchResults(complete));
        assert!(state.search.is_none(), "opened");
        let opened = match best {
            Item::Statement(i) => state.selected_statement() == Some(i),
            Item::Speaker(i) => state.speaker == Some(i) && state.focus == Pane::Speaker,
            Item::Session(i) => state.session_index() == Some(i),
            Item::Source(_) | Item::Dispute(_) => false,
        };
        assert!(opened, "{best:?}");
    }

    #[test]
    fn moves_stay_within_the_results_and_enter_without_results_says_so() {
        let mut state = state();
        reduce(&mut state, Action::OpenSearch);
        type_text(&mut state, "e");
        for _ in 0..50 {
            reduce(&mut state, Action::MoveDown);
        }
        let search = state.search.as_ref().expect("open");
        assert_eq!(search.selected, search.hits.len() - 1);
        reduce(&mut state, Action::SearchClear);
        reduce(&mut state, Action::SearchOpen);
        assert_eq!(state.status.as_deref(), Some("No result to open"));
        assert!(state.in_bounds());
    }
}
