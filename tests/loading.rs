//! The loading phase: its screen (snapshots), and its loop driven with scripted events
//! and a load the test holds back, so quitting before the data is in is tested without
//! any race.

use std::collections::VecDeque;
use std::io;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, mpsc};
use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use hanoi_tui::app::EventSource;
use hanoi_tui::dataset::{Conference, LoadError};
use hanoi_tui::loading::{self, Loaded, Loader, Outcome};
use hanoi_tui::ui::{LoadingView, Theme, render_loading};
use insta::assert_snapshot;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn draw(view: &LoadingView, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal
        .draw(|frame| render_loading(view, Theme::default(), frame))
        .expect("draw");
    terminal
}

fn big_file() -> LoadingView {
    LoadingView {
        name: "archive/load100k.ron".into(),
        bytes: Some(46_958_191),
        elapsed: Duration::from_millis(1_340),
    }
}

#[test]
fn the_loading_screen_names_the_file_its_size_and_the_time_so_far() {
    assert_snapshot!("loading_80x24", draw(&big_file(), 80, 24).backend());
    let small = LoadingView {
        name: "data/hanoi-convention-2025.ron (built in)".into(),
        bytes: None,
        elapsed: Duration::ZERO,
    };
    assert_snapshot!("loading_built_in_40x10", draw(&small, 40, 10).backend());
}

#[test]
fn the_loading_screen_draws_at_any_size_without_panicking() {
    for (width, height) in [(1, 1), (5, 2), (20, 3), (250, 80)] {
        let terminal = draw(&big_file(), width, height);
        assert_eq!(terminal.backend().buffer().area.width, width);
    }
}

/// Plays back a script; once it is over, a wait runs `on_idle` (once) and passes with
/// nothing, briefly, up to a bound, so a loop that never ends fails instead of hanging.
struct Script {
    events: VecDeque<Event>,
    on_idle: Option<Box<dyn FnOnce()>>,
    idle_turns_left: usize,
}

impl Script {
    fn new(events: impl IntoIterator<Item = Event>) -> Self {
        Self {
            events: events.into_iter().collect(),
            on_idle: None,
            idle_turns_left: 1_000,
        }
    }
}

impl EventSource for Script {
    fn next_event(&mut self, _timeout: Duration) -> io::Result<Option<Event>> {
        if let Some(event) = self.events.pop_front() {
            return Ok(Some(event));
        }
        self.idle_turns_left = self
            .idle_turns_left
            .checked_sub(1)
            .ok_or_else(|| io::Error::other("the loading loop never ended"))?;
        if let Some(on_idle) = self.on_idle.take() {
            on_idle();
        }
        std::thread::sleep(Duration::from_millis(5));
        Ok(None)
    }
}

fn key(code: KeyCode, modifiers: KeyModifiers) -> Event {
    Event::Key(KeyEvent::new(code, modifiers))
}

/// A loader whose answer the test gives (or never does) through the returned sender.
fn held_loader() -> (Loader, mpsc::Sender<Loaded>) {
    let (give, take) = mpsc::channel::<Loaded>();
    let loader = Loader::start(
        "big.ron".into(),
        Some(2_500_000),
        || {},
        move |answer| {
            if let Ok(loaded) = take.recv() {
                answer(loaded);
            }
        },
    );
    (loader, give)
}

fn wait(loader: &Loader, script: &mut Script) -> (Outcome, Terminal<TestBackend>) {
    let mut terminal = Terminal::new(TestBackend::new(60, 12)).expect("test terminal");
    let stop = AtomicBool::new(false);
    let outcome = loading::wait(&mut terminal, Theme::default(), script, loader, &stop)
        .expect("the loop runs");
    (outcome, terminal)
}

fn screen(terminal: &Terminal<TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    buffer.content().iter().map(|cell| cell.symbol()).collect()
}

#[test]
fn q_esc_and_ctrl_c_quit_while_the_data_is_still_loading() {
    for quit in [
        key(KeyCode::Char('q'), KeyModifiers::NONE),
        key(KeyCode::Esc, KeyModifiers::NONE),
        key(KeyCode::Char('c'), KeyModifiers::CONTROL),
    ] {
        let (loader, _held) = held_loader();
        let ignored = key(KeyCode::Char('j'), KeyModifiers::NONE);
        let (outcome, terminal) = wait(&loader, &mut Script::new([ignored, quit.clone()]));
        assert!(matches!(outcome, Outcome::Quit), "{quit:?}: {outcome:?}");
        assert!(
            screen(&terminal).contains("Loading big.ron… (2.5 MB)"),
            "{}",
            screen(&terminal)
        );
    }
}

/// Waits through `events` on a load that gives `loaded` only once they are all read.
fn wait_through(events: Vec<Event>, loaded: Loaded) -> Outcome {
    let (loader, held) = held_loader();
    let mut script = Script::new(events);
    script.on_idle = Some(Box::new(move || {
        let _ = held.send(loaded);
    }));
    let outcome = wait(&loader, &mut script).0;
    loader.finish(&AtomicBool::new(false));
    outcome
}

#[test]
fn other_keys_and_a_resize_wait_on_until_the_conference_is_in() {
    let conference = Arc::new(Conference::embedded().expect("shipped dataset"));
    let events = vec![
        key(KeyCode::Char('c'), KeyModifiers::NONE),
        key(KeyCode::Char('j'), KeyModifiers::NONE),
        Event::Resize(30, 5),
    ];
    match wait_through(events, Ok(Arc::clone(&conference))) {
        Outcome::Loaded(loaded) => assert!(Arc::ptr_eq(&loaded, &conference)),
        other => panic!("expected the conference, got {other:?}"),
    }
}

#[test]
fn a_load_error_ends_the_wait() {
    let error = LoadError::Empty {
        path: "big.ron".into(),
    };
    let outcome = wait_through(Vec::new(), Err(error));
    assert!(
        matches!(outcome, Outcome::Failed(LoadError::Empty { .. })),
        "{outcome:?}"
    );
}

#[test]
fn a_termination_signal_ends_the_wait_before_anything_is_drawn() {
    let (loader, _held) = held_loader();
    let mut terminal = Terminal::new(TestBackend::new(60, 12)).expect("test terminal");
    let stop = AtomicBool::new(true);
    let mut script = Script::new([]);
    let outcome = loading::wait(&mut terminal, Theme::default(), &mut script, &loader, &stop)
        .expect("the loop runs");
    assert!(matches!(outcome, Outcome::Quit), "{outcome:?}");
    assert!(!screen(&terminal).contains("Loading"));
}

#[test]
fn the_real_loader_opens_a_file_and_reports_a_bad_one() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let loader = Loader::spawn(Some(fixtures.join("explorer.ron")), None, || {});
    let outcome = wait(&loader, &mut Script::new([])).0;
    assert!(matches!(outcome, Outcome::Loaded(_)), "{outcome:?}");
    loader.finish(&AtomicBool::new(false));

    let loader = Loader::spawn(Some(fixtures.join("unknown_speaker.ron")), None, || {});
    match wait(&loader, &mut Script::new([])).0 {
        Outcome::Failed(error) => assert!(error.to_string().contains("unknown_speaker.ron:")),
        other => panic!("expected the load error, got {other:?}"),
    }
}

/// A loader that answers at once, then stays busy (as when writing the cache entry)
/// until the returned sender releases it, then says "entry written" on the receiver.
fn busy_loader() -> (Loader, mpsc::Sender<()>, mpsc::Receiver<&'static str>) {
    let (release, released) = mpsc::channel::<()>();
    let (busy, wrote) = mpsc::channel();
    let loader = Loader::start(
        "big.ron".into(),
        None,
        || {},
        move |answer| {
            answer(Err(LoadError::Empty {
                path: "big.ron".into(),
            }));
            let _ = released.recv();
            let _ = busy.send("entry written");
        },
    );
    let outcome = wait(&loader, &mut Script::new([])).0;
    assert!(matches!(outcome, Outcome::Failed(_)), "{outcome:?}");
    (loader, release, wrote)
}

#[test]
fn finishing_waits_for_a_loader_that_answered_but_not_for_one_still_loading() {
    let (still_loading, held) = held_loader();
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        still_loading.finish(&AtomicBool::new(false));
        let _ = done.send(());
    });
    // A bound against a hang, not a timing: finish must return while the load is held.
    let returned = finished.recv_timeout(Duration::from_secs(10));
    drop(held);
    assert!(returned.is_ok(), "finish waited for a load still running");

    // Answered, then still busy: finish waits until the work is released. The release
    // comes from another thread a little later, so a finish that returned at once would
    // find nothing written; a finish that waits passes however late the release comes.
    let (loader, release, wrote) = busy_loader();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        let _ = release.send(());
    });
    loader.finish(&AtomicBool::new(false));
    assert_eq!(wrote.try_recv(), Ok("entry written"));
}

#[test]
fn a_termination_signal_ends_the_wait_for_the_cache_entry() {
    let (loader, release, wrote) = busy_loader();
    let stop = Arc::new(AtomicBool::new(false));
    let (done, finished) = mpsc::channel();
    let flag = Arc::clone(&stop);
    std::thread::spawn(move || {
        loader.finish(&flag);
        let _ = done.send(());
    });
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    // A bound against a hang, not a timing: the work is never released before this.
    let returned = finished.recv_timeout(Duration::from_secs(10));
    assert!(returned.is_ok(), "finish went on waiting after the signal");
    assert!(wrote.try_recv().is_err(), "the work was still held");
    drop(release);
}
