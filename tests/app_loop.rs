//! The whole app driven through its loop: scripted terminal events in, a test backend and a
//! recording clipboard out. Everything but the real terminal is the real code.

mod common;

use std::collections::VecDeque;
use std::io;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use common::explorer_state;
use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use hanoi_tui::app::{EventSource, InlineSearcher, Searcher, run};
use hanoi_tui::collection::{self, DocumentFormat, render_ids};
use hanoi_tui::effect::RecordingClipboard;
use hanoi_tui::export::{Format, format_statement};
use hanoi_tui::paths::Paths;
use hanoi_tui::search::SearchIndex;
use hanoi_tui::search::worker::{SearchRequest, SearchResults, search_now};
use hanoi_tui::state::{Pane, State};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Plays back a script. Like a terminal, it answers "nothing yet" to a look without
/// waiting; waiting on an empty script is an error, so a script that forgets to quit
/// fails instead of hanging.
struct Script(VecDeque<Event>);

impl EventSource for Script {
    fn next_event(&mut self, timeout: Duration) -> io::Result<Option<Event>> {
        match self.0.pop_front() {
            Some(event) => Ok(Some(event)),
            None if timeout.is_zero() => Ok(None),
            None => Err(io::Error::new(io::ErrorKind::UnexpectedEof, "script ended")),
        }
    }
}

fn key(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn code(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn click(column: u16, row: u16) -> Event {
    Event::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

type Played = (
    io::Result<()>,
    State,
    Terminal<TestBackend>,
    RecordingClipboard,
);

fn play(events: Vec<Event>, size: (u16, u16)) -> Played {
    play_from(explorer_state(), events, size)
}

fn play_from(mut state: State, events: Vec<Event>, size: (u16, u16)) -> Played {
    let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).expect("terminal");
    let mut clipboard = RecordingClipboard::default();
    let stop = AtomicBool::new(false);
    let mut searcher = InlineSearcher::new(Arc::clone(&state.conference));
    let result = run(
        &mut terminal,
        &mut state,
        &mut Script(events.into()),
        &mut clipboard,
        &mut searcher,
        &stop,
    );
    (result, state, terminal, clipboard)
}

#[test]
fn keys_navigate_copy_and_quit() {
    let events = vec![code(KeyCode::Enter), key('j'), key('y'), key('q')];
    let (result, state, _, clipboard) = play(events, (80, 24));
    result.expect("the loop ends cleanly on q");
    assert!(!state.running);
    let index = state.selected_statement().expect("a statement");
    assert_eq!(state.conference.statement_id(index), "b-paraphrase");
    assert_eq!(
        clipboard.copies,
        vec![format_statement(&state.conference, index, Format::Plain)]
    );
    assert!(
        clipboard.copies[0]
            .starts_with("Paraphrase (reported speech, not a direct quote): cooperation")
    );
}

#[test]
fn the_copy_result_shows_in_the_status_bar() {
    // No `q`: the script runs out after the copy, and the last frame stays on screen.
    let events = vec![code(KeyCode::Enter), key('y')];
    let (result, _, terminal, _) = play(events, (80, 24));
    assert_eq!(
        result.expect_err("script ran out").kind(),
        io::ErrorKind::UnexpectedEof
    );
    let screen = terminal.backend().to_string();
    assert!(
        screen.contains("Copied with attribution to the recording clipboard"),
        "{screen}"
    );
}

#[test]
fn a_click_selects_the_item_under_the_mouse_and_focuses_its_pane() {
    // 160×48: statements pane from column 45; its first item (the quote) takes rows 1–4,
    // the paraphrase starts on row 5.
    let events = vec![click(70, 6), key('y'), key('q')];
    let (result, state, _, clipboard) = play(events, (160, 48));
    result.expect("clean exit");
    assert_eq!(state.focus, Pane::Statements);
    let index = state.selected_statement().expect("selected");
    assert_eq!(state.conference.statement_id(index), "b-paraphrase");
    assert_eq!(clipboard.copies.len(), 1);
}

#[test]
fn a_resize_storm_ends_in_one_consistent_frame() {
    let mut events: Vec<Event> = (0..300)
        .map(|i| Event::Resize(1 + (i % 200) as u16, 1 + (i % 60) as u16))
        .collect();
    events.push(Event::Resize(100, 30));
    let (result, state, _, _) = play(events, (100, 30));
    assert_eq!(
        result.expect_err("script ran out").kind(),
        io::ErrorKind::UnexpectedEof
    );
    assert_eq!(state.size, (100, 30));
    assert!(state.in_bounds());
}

#[test]
fn a_stop_request_ends_the_loop_like_a_quit() {
    let mut state = explorer_state();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let stop = AtomicBool::new(true);
    let mut events = Script(VecDeque::new());
    let mut searcher = InlineSearcher::new(Arc::clone(&state.conference));
    run(
        &mut terminal,
        &mut state,
        &mut events,
        &mut RecordingClipboard::default(),
        &mut searcher,
        &stop,
    )
    .expect("a set stop flag ends the loop before reading any event");
}

#[test]
fn shift_y_then_markdown_copies_the_markdown_export() {
    let events = vec![
        code(KeyCode::Enter),
        key('Y'),
        key('j'),
        code(KeyCode::Enter),
        key('q'),
    ];
    let (result, state, _, clipboard) = play(events, (80, 24));
    result.expect("clean exit");
    let index = state.selected_statement().expect("a statement");
    assert_eq!(
        clipboard.copies,
        vec![format_statement(&state.conference, index, Format::Markdown)]
    );
}

#[test]
fn the_basket_is_collected_exported_to_a_file_and_saved_through_the_loop() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut state = explorer_state();
    state.paths = Paths::under(dir.path());
    // Add the quote and the paraphrase, export as JSON to the default path, then export
    // again: the file exists, so the app asks, and `y` replaces it.
    let mut events = vec![code(KeyCode::Enter), key('a'), key('j'), key('a'), key('e')];
    events.extend([
        key('j'),
        key('j'),
        code(KeyCode::Enter),
        code(KeyCode::Enter),
    ]);
    events.extend([
        key('e'),
        code(KeyCode::Enter),
        code(KeyCode::Enter),
        key('y'),
    ]);
    let (result, state, terminal, _) = play_from(state, events, (100, 30));
    assert_eq!(
        result.expect_err("script ran out").kind(),
        io::ErrorKind::UnexpectedEof
    );
    let screen = terminal.backend().to_string();
    let written = dir.path().join("data/quotes.json");
    assert!(
        screen.contains(&format!("Exported 2 quotes to {}", written.display())),
        "{screen}"
    );
    let ids = ["a-quote".to_owned(), "b-paraphrase".to_owned()];
    let expected = render_ids(&state.conference, &ids, DocumentFormat::Json).expect("ids");
    assert_eq!(
        std::fs::read_to_string(&written).expect("exported"),
        expected
    );
    let saved = collection::load(&dir.path().join("state/saved.ron"));
    assert_eq!(saved.warning, None);
    assert_eq!(saved.collection.basket, ids);
}

/// Answers each search on its next look for answers, as the worker thread does, rather
/// than from `start` as the inline searcher does.
struct AnswersLater {
    index: SearchIndex,
    ready: Vec<SearchResults>,
}

impl Searcher for AnswersLater {
    fn start(&mut self, request: SearchRequest) -> Option<SearchResults> {
        self.ready.push(search_now(&self.index, &request));
        None
    }

    fn answers(&mut self) -> Vec<SearchResults> {
        std::mem::take(&mut self.ready)
    }
}

/// An answer that comes in while keys are handled is drawn in that turn, not after the
/// next event (the script then ends, as a terminal would then wait).
#[test]
fn a_search_answer_that_comes_while_typing_is_drawn_at_once() {
    let mut state = explorer_state();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let mut searcher = AnswersLater {
        index: SearchIndex::new(Arc::clone(&state.conference)),
        ready: Vec::new(),
    };
    let result = run(
        &mut terminal,
        &mut state,
        &mut Script(vec![key('/'), key('g'), key('r'), key('e'), key('e'), key('t')].into()),
        &mut RecordingClipboard::default(),
        &mut searcher,
        &AtomicBool::new(false),
    );
    assert_eq!(
        result.expect_err("script ran out").kind(),
        io::ErrorKind::UnexpectedEof
    );
    let screen = terminal.backend().to_string();
    assert!(screen.contains("/ greet"), "{screen}");
    assert!(!screen.contains("Searching"), "{screen}");
    assert!(screen.contains("result"), "{screen}");
}
