//! The reducer: `update` applies one `Action` to the `State` and returns the effects the
//! loop must perform. It does no I/O, so every behaviour is tested without a terminal.

mod quote;
#[cfg(test)]
mod quote_tests;
mod search;

pub use quote::basket_statements;

use crate::action::Action;
use crate::effect::Effect;
use crate::keymap::first_key;
use crate::state::{HelpPage, Pane, State};

pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    if !matches!(
        action,
        Action::CopyDone(_)
            | Action::Resize { .. }
            | Action::SearchResults(_)
            | Action::SaveDone(_)
            | Action::ExportDone(_)
    ) {
        state.status = None;
    }
    if state.dialog.is_some() && quote::dialog_handles(&action) {
        return quote::dialog(state, action);
    }
    if state.basket_view.is_some() && quote::basket_handles(&action) {
        return quote::basket(state, action);
    }
    if state.searching() && search::handles(&action) {
        return search::update(state, action);
    }
    match action {
        movement @ (Action::MoveUp
        | Action::MoveDown
        | Action::Top
        | Action::Bottom
        | Action::PageUp
        | Action::PageDown
        | Action::HalfPageUp
        | Action::HalfPageDown) => {
            if let Some(delta) = step_of(&movement, state.page(state.focus)) {
                move_by(state, delta);
            }
        }
        Action::FocusNext => cycle_focus(state, 1),
        Action::FocusPrev => cycle_focus(state, Pane::ALL.len() - 1),
        Action::Enter => enter(state),
        Action::Back => back(state),
        Action::JumpToSpeaker => jump_to_speaker(state),
        Action::OpenSearch => search::open(state),
        // Only meaningful while searching; handled above then.
        Action::CloseSearch
        | Action::SearchInput(_)
        | Action::SearchBackspace
        | Action::SearchClear
        | Action::SearchOpen
        // An answer that came after its search pane closed.
        | Action::SearchResults(_) => {}
        Action::Copy => return quote::copy(state, state.copy_format),
        Action::CopyAs => quote::copy_as(state),
        Action::BasketAdd => return quote::add_to_basket(state),
        Action::BasketShow => quote::toggle_basket_view(state),
        Action::BasketExport => quote::start_export(state),
        Action::ToggleBookmark => return quote::toggle_bookmark(state),
        // Only meaningful in the basket or a dialog; handled above then.
        Action::BasketRaise
        | Action::BasketOpen
        | Action::BasketLower
        | Action::BasketRemove
        | Action::Confirm
        | Action::Cancel
        | Action::PromptInput(_)
        | Action::PromptBackspace => {}
        Action::ExportDone(result) => quote::export_done(state, result),
        Action::SaveDone(result) => quote::save_done(state, result),
        Action::ToggleHelp => {
            state.help = match state.help {
                Some(_) => None,
                // Asked for while searching, it opens at the query syntax.
                None if state.searching() => Some(HelpPage::Search),
                None => Some(HelpPage::Keys),
            }
        }
        Action::HelpPage => {
            state.help = state.help.map(|page| match page {
                HelpPage::Keys => HelpPage::Search,
                HelpPage::Search => HelpPage::Keys,
            })
        }
        Action::Quit => state.running = false,
        Action::Resize { width, height } => state.size = (width, height),
        Action::Click { pane, index } => {
            state.focus = pane;
            if let Some(index) = index {
                state.select(pane, index);
            }
        }
        Action::Scroll { pane, delta } => {
            state.focus = pane;
            move_by(state, delta);
        }
        Action::CopyDone(result) => {
            state.status = Some(match result {
                Ok(destination) => format!("Copied with attribution to the {destination}"),
                Err(reason) => format!("Copy failed: {reason}"),
            });
        }
    }
    Vec::new()
}

/// How far a movement action moves a selection, in a list whose page holds `page`
/// entries: a signed step that callers clamp to their list (Top and Bottom step as far as
/// they can). `None` for an action that is not a movement.
fn step_of(action: &Action, page: usize) -> Option<i32> {
    let page = i32::try_from(page.max(1)).unwrap_or(i32::MAX);
    let half = (page / 2).max(1);
    Some(match action {
        Action::MoveUp => -1,
        Action::MoveDown => 1,
        Action::PageUp => -page,
        Action::PageDown => page,
        Action::HalfPageUp => -half,
        Action::HalfPageDown => half,
        Action::Top => i32::MIN,
        Action::Bottom => i32::MAX,
        _ => return None,
    })
}

/// `current` moved by `delta`, saturating at both ends.
fn stepped(current: usize, delta: i32) -> usize {
    let step = delta.unsigned_abs() as usize;
    if delta < 0 {
        current.saturating_sub(step)
    } else {
        current.saturating_add(step)
    }
}

/// Where a movement `action` takes the selection `current` in a list of `count` rows
/// (`page` of them on screen); `None` if `action` is not a movement.
fn moved_in_list(current: usize, action: &Action, page: usize, count: usize) -> Option<usize> {
    let delta = step_of(action, page)?;
    Some(stepped(current, delta).min(count.saturating_sub(1)))
}

fn move_by(state: &mut State, delta: i32) {
    let pane = state.focus;
    state.select(pane, stepped(state.selected(pane), delta));
}

fn cycle_focus(state: &mut State, step: usize) {
    let at = Pane::ALL
        .iter()
        .position(|&p| p == state.focus)
        .unwrap_or(0);
    state.focus = Pane::ALL[(at + step) % Pane::ALL.len()];
}

fn enter(state: &mut State) {
    match state.focus {
        Pane::Timeline => {
            state.push_history();
            state.focus = Pane::Statements;
            if state.session_statements().is_empty() {
                state.status = Some("No statements are recorded for this session".to_owned());
            }
        }
        Pane::Statements => jump_to_speaker(state),
        Pane::Speaker => {
            if let Some(statement) = state.selected_statement() {
                state.push_history();
                state.open_statement(statement);
                state.focus = Pane::Statements;
            }
        }
    }
}

fn jump_to_speaker(state: &mut State) {
    let Some(statement) = state.selected_statement() else {
        state.status = Some("No statement selected".to_owned());
        return;
    };
    if state.focus == Pane::Speaker {
        return;
    }
    state.push_history();
    // Re-select the statement so the speaker pane shows its speaker, selected at it.
    state.open_statement(statement);
    state.focus = Pane::Speaker;
}

fn back(state: &mut State) {
    if let Some(location) = state.history.pop() {
        state.restore(location);
        return;
    }
    match state.focus {
        Pane::Speaker => state.focus = Pane::Statements,
        Pane::Statements => state.focus = Pane::Timeline,
        Pane::Timeline => {
            let quit = first_key(&Action::Quit).unwrap_or_default();
            state.status = Some(format!("Nothing to go back to ({quit} quits)"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{Format, format_statement};

    fn state() -> State {
        crate::test_support::explorer_state()
    }

    fn statement_id(state: &State) -> Option<&str> {
        state
            .selected_statement()
            .map(|i| state.conference.statement_id(i))
    }

    fn run(state: &mut State, actions: &[Action]) {
        for action in actions {
            let effects = update(state, action.clone());
            assert!(effects.is_empty(), "{action:?} asked for {effects:?}");
        }
    }

    #[test]
    fn starts_on_the_first_session_in_chronological_order() {
        let state = state();
        let titles: Vec<&str> = state
            .timeline
            .iter()
            .map(|&i| state.conference.data.sessions[i].id.as_str())
            .collect();
        assert_eq!(titles, ["opening", "empty", "closing"]);
        assert_eq!(state.focus, Pane::Timeline);
        assert_eq!(statement_id(&state), Some("a-quote"));
        assert!(state.running);
    }

    #[test]
    fn moving_is_clamped_at_both_ends() {
        let mut state = state();
        run(&mut state, &[Action::MoveUp]);
        assert_eq!(state.session, 0);
        run(
            &mut state,
            &[Action::MoveDown, Action::MoveDown, Action::MoveDown],
        );
        assert_eq!(state.session, 2);
        run(&mut state, &[Action::Top]);
        assert_eq!(state.session, 0);
        run(&mut state, &[Action::Bottom]);
        assert_eq!(state.session, 2);
        run(&mut state, &[Action::PageUp]);
        assert_eq!(state.session, 0);
    }

    #[test]
    fn changing_session_resets_the_statement_and_follows_its_speaker() {
        let mut state = state();
        run(&mut state, &[Action::FocusNext, Action::Bottom]);
        assert_eq!(statement_id(&state), Some("b-message"));
        run(&mut state, &[Action::FocusPrev, Action::Bottom]);
        assert_eq!(state.statement, 0);
        assert_eq!(statement_id(&state), Some("a-closing"));
        let speaker = state
            .speaker
            .map(|s| state.conference.data.speakers[s].id.as_str());
        assert_eq!(speaker, Some("nguyen-van-a"));
    }

    #[test]
    fn enter_drills_from_session_to_statements_to_speaker_and_back_returns() {
        let mut state = state();
        run(&mut state, &[Action::Enter, Action::MoveDown]);
        assert_eq!(state.focus, Pane::Statements);
        assert_eq!(statement_id(&state), Some("b-paraphrase"));
        run(&mut state, &[Action::Enter]);
        assert_eq!(state.focus, Pane::Speaker);
        assert_eq!(
            statement_id(&state),
            Some("b-paraphrase"),
            "the speaker pane selects the same statement"
        );
        run(&mut state, &[Action::Back]);
        assert_eq!(
            (state.focus, statement_id(&state)),
            (Pane::Statements, Some("b-paraphrase"))
        );
        run(&mut state, &[Action::Back]);
        assert_eq!(state.focus, Pane::Timeline);
        run(&mut state, &[Action::Back]);
        assert!(
            state
                .status
                .as_deref()
                .is_some_and(|s| s.starts_with("Nothing to go back to"))
        );
        assert!(state.running, "Back never quits");
    }

    #[test]
    fn s_jumps_to_the_speaker_and_enter_there_opens_the_statement_in_its_session() {
        let mut state = state();
        run(&mut state, &[Action::Enter, Action::JumpToSpeaker]);
        assert_eq!(state.focus, Pane::Speaker);
        assert_eq!(
            state.speaker_statements().len(),
            2,
            "Nguyen Van A made two statements"
        );
        run(&mut state, &[Action::MoveDown]);
        assert_eq!(statement_id(&state), Some("a-closing"));
        run(&mut state, &[Action::Enter]);
        assert_eq!(state.focus, Pane::Statements);
        assert_eq!(
            state
                .session_index()
                .map(|s| state.conference.data.sessions[s].id.as_str()),
            Some("closing")
        );
        assert_eq!(statement_id(&state), Some("a-closing"));
        run(&mut state, &[Action::Back]);
        assert_eq!(
            (state.focus, statement_id(&state)),
            (Pane::Speaker, Some("a-closing"))
        );
    }

    #[test]
    fn an_empty_session_says_so_and_has_nothing_to_copy_or_jump_to() {
        let mut state = state();
        run(&mut state, &[Action::MoveDown, Action::Enter]);
        assert_eq!(state.session_statements().len(), 0);
        assert!(
            state
                .status
                .as_deref()
                .is_some_and(|s| s.contains("No statements"))
        );
        run(
            &mut state,
            &[Action::MoveDown, Action::Bottom, Action::JumpToSpeaker],
        );
        assert_eq!(state.status.as_deref(), Some("No statement selected"));
        assert_eq!(update(&mut state, Action::Copy), vec![]);
        assert_eq!(
            state.status.as_deref(),
            Some("No statement selected to copy")
        );
        assert!(state.in_bounds());
    }

    #[test]
    fn copy_returns_the_exact_export_text_and_the_result_becomes_a_status() {
        let mut state = state();
        run(&mut state, &[Action::Enter]);
        let effects = update(&mut state, Action::Copy);
        let index = state.selected_statement().expect("selected");
        let expected = format_statement(&state.conference, index, Format::Plain);
        assert!(expected.starts_with(
            "“Không ai bị bỏ lại phía sau trong kỷ nguyên số”\n— Nguyen Van A, Minister of Testing"
        ));
        assert_eq!(effects, vec![Effect::CopyToClipboard { text: expected }]);
        update(
            &mut state,
            Action::CopyDone(Ok("terminal clipboard (OSC 52)".into())),
        );
        assert_eq!(
            state.status.as_deref(),
            Some("Copied with attribution to the terminal clipboard (OSC 52)")
        );
        update(&mut state, Action::CopyDone(Err("no terminal".into())));
        assert_eq!(state.status.as_deref(), Some("Copy failed: no terminal"));
        run(&mut state, &[Action::MoveDown]);
        assert_eq!(state.status, None, "a key clears the transient message");
    }

    #[test]
    fn focus_cycles_through_all_panes_both_ways() {
        let mut state = state();
        let mut seen = Vec::new();
        for _ in 0..3 {
            run(&mut state, &[Action::FocusNext]);
            seen.push(state.focus);
        }
        assert_eq!(seen, [Pane::Statements, Pane::Speaker, Pane::Timeline]);
        run(&mut state, &[Action::FocusPrev]);
        assert_eq!(state.focus, Pane::Speaker);
    }

    #[test]
    fn page_moves_depend_on_the_terminal_height() {
        let mut state = state();
        run(
            &mut state,
            &[
                Action::Resize {
                    width: 80,
                    height: 12,
                },
                Action::FocusNext,
                Action::PageDown,
            ],
        );
        assert_eq!(state.statement, 1, "12 rows: a page is one statement");
        run(
            &mut state,
            &[
                Action::Resize {
                    width: 200,
                    height: 60,
                },
                Action::Top,
                Action::HalfPageDown,
            ],
        );
        assert_eq!(
            state.statement, 3,
            "60 rows: half a page reaches the last statement"
        );
        run(&mut state, &[Action::HalfPageUp]);
        assert_eq!(state.statement, 0);
    }

    #[test]
    fn click_focuses_and_selects_and_the_wheel_moves_the_pane_under_it() {
        let mut state = state();
        run(
            &mut state,
            &[Action::Click {
                pane: Pane::Statements,
                index: Some(2),
            }],
        );
        assert_eq!(
            (state.focus, statement_id(&state)),
            (Pane::Statements, Some("b-long"))
        );
        run(
            &mut state,
            &[Action::Click {
                pane: Pane::Timeline,
                index: None,
            }],
        );
        assert_eq!((state.focus, state.session), (Pane::Timeline, 0));
        run(
            &mut state,
            &[Action::Scroll {
                pane: Pane::Statements,
                delta: 1,
            }],
        );
        assert_eq!(
            (state.focus, statement_id(&state)),
            (Pane::Statements, Some("b-message"))
        );
    }

    #[test]
    fn help_toggles_and_quit_stops() {
        let mut state = state();
        run(&mut state, &[Action::ToggleHelp]);
        assert_eq!(state.help, Some(HelpPage::Keys));
        run(&mut state, &[Action::HelpPage]);
        assert_eq!(state.help, Some(HelpPage::Search));
        run(&mut state, &[Action::HelpPage]);
        assert_eq!(state.help, Some(HelpPage::Keys));
        run(&mut state, &[Action::HelpPage, Action::ToggleHelp]);
        assert_eq!(state.help, None);
        // Reopened, it starts from the keys again; switching pages needs it open.
        run(&mut state, &[Action::HelpPage]);
        assert_eq!(state.help, None);
        run(&mut state, &[Action::ToggleHelp]);
        assert_eq!(state.help, Some(HelpPage::Keys));
        run(&mut state, &[Action::ToggleHelp]);
        assert_eq!(state.help, None);
        run(&mut state, &[Action::Quit]);
        assert!(!state.running);
    }

    #[test]
    fn help_asked_for_while_searching_opens_at_the_syntax_and_closes_back_to_the_search() {
        let mut state = state();
        // Opening and typing ask for searches (effects), which this test does not run.
        for action in [Action::OpenSearch]
            .into_iter()
            .chain("coop".chars().map(Action::SearchInput))
        {
            update(&mut state, action);
        }
        run(&mut state, &[Action::ToggleHelp]);
        assert_eq!(state.help, Some(HelpPage::Search));
        run(&mut state, &[Action::ToggleHelp]);
        assert_eq!(state.help, None);
        assert_eq!(
            state.search.as_ref().map(|s| s.query.as_str()),
            Some("coop")
        );
    }
}
