//! In-process benchmarks of the explorer's two hot paths, on the shipped dataset: startup
//! to the first frame, and one key's action to the redrawn frame. They exclude the real
//! terminal (a `TestBackend` stands in for it); `benches/terminal.rs` measures the real
//! binary in a pseudo-terminal. Figures are printed, never asserted.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use hanoi_tui::action::Action;
use hanoi_tui::dataset::Conference;
use hanoi_tui::state::State;
use hanoi_tui::ui::{Viewport, render};
use hanoi_tui::update::update;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The "wide" layout (three panes side by side) and the smallest usual terminal.
const SIZES: [(u16, u16); 2] = [(160, 48), (80, 24)];

/// Short runs: the goals have margins of milliseconds, so a few seconds per figure is
/// plenty, and the whole bench stays well under a minute.
fn configured() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30)
        // The default 100 000 bootstrap resamples cost seconds per figure without rayon.
        .nresamples(10_000)
}

fn terminal(width: u16, height: u16) -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(width, height)).expect("a test terminal never fails")
}

/// What `main` and the loop do before the first frame: parse and validate the embedded
/// dataset, build the state (and its search index), learn the size, draw.
fn startup(c: &mut Criterion) {
    let mut group = c.benchmark_group("startup");
    group.bench_function("load_embedded_dataset", |b| {
        b.iter(|| Conference::embedded().expect("the shipped dataset loads"));
    });
    group.bench_function("first_frame_160x48", |b| {
        b.iter(|| {
            let conference = Conference::embedded().expect("the shipped dataset loads");
            let mut state = State::new(Arc::new(conference));
            update(
                &mut state,
                Action::Resize {
                    width: 160,
                    height: 48,
                },
            );
            let mut terminal = terminal(160, 48);
            let mut viewport = Viewport::default();
            terminal
                .draw(|frame| render(&state, &mut viewport, frame))
                .expect("drawing to a test terminal never fails");
            black_box(terminal)
        });
    });
    group.finish();
}

/// Drill in, show the speaker, come back twice, step; then the same stepping the other
/// way. Every `Back` undoes one push, so the history stays bounded however long it runs.
const MIX: [Action; 10] = [
    Action::Enter,
    Action::JumpToSpeaker,
    Action::Back,
    Action::Back,
    Action::MoveDown,
    Action::Enter,
    Action::JumpToSpeaker,
    Action::Back,
    Action::Back,
    Action::MoveUp,
];

/// Selects the session with the most statements and moves into its statements: the
/// heaviest view, since drawing costs grow with the selected session's statements.
fn open_busiest_session(state: &mut State) {
    let busiest = (0..state.timeline.len())
        .max_by_key(|&row| {
            let session = state.timeline[row];
            state.conference.statements_in_session(session).len()
        })
        .unwrap_or(0);
    for _ in 0..busiest {
        update(state, Action::MoveDown);
    }
    update(state, Action::Enter);
}

/// Where a scenario starts, and the actions it then cycles through.
type Scenario = (&'static str, fn(&mut State), &'static [Action]);

const SCENARIOS: [Scenario; 3] = [
    ("move_down_up", |_| {}, &[Action::MoveDown, Action::MoveUp]),
    ("enter_speaker_back", |_| {}, &MIX),
    (
        "busiest_session_down_up",
        open_busiest_session,
        &[Action::MoveDown, Action::MoveUp],
    ),
];

/// One action then one frame, as the loop does after a key. The terminal keeps its
/// previous buffer between iterations, so ratatui's diff does the same work it does live.
/// Down and up alternate so that every frame really changes.
fn key_to_frame(c: &mut Criterion) {
    let conference = Arc::new(Conference::embedded().expect("the shipped dataset loads"));
    let mut group = c.benchmark_group("key_to_frame");
    for (width, height) in SIZES {
        for (name, setup, actions) in SCENARIOS {
            let mut state = State::new(Arc::clone(&conference));
            update(&mut state, Action::Resize { width, height });
            setup(&mut state);
            let mut terminal = terminal(width, height);
            let mut viewport = Viewport::default();
            terminal
                .draw(|frame| render(&state, &mut viewport, frame))
                .expect("drawing to a test terminal never fails");
            let mut next = actions.iter().cycle();
            group.bench_function(format!("{name}_{width}x{height}"), |b| {
                b.iter(|| {
                    let action = next.next().expect("a cycle never ends").clone();
                    black_box(update(&mut state, action));
                    terminal
                        .draw(|frame| render(&state, &mut viewport, frame))
                        .expect("drawing to a test terminal never fails");
                });
            });
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = configured();
    targets = startup, key_to_frame
}
criterion_main!(benches);
