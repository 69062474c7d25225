//! End-to-end figures for the real release binary in a real pseudo-terminal: exec to the
//! first frame, a key press to the redrawn frame, the CPU the app uses while idle, and
//! what it does when its terminal goes away. Prints a table and asserts nothing: timings
//! on a shared machine are figures to read, not a verdict.

#[path = "support/pty.rs"]
mod pty;

use std::io;
use std::process::{Command, ExitCode};
use std::thread;
use std::time::Duration;

use pty::{Counters, Pty};

const BIN: &str = env!("CARGO_BIN_EXE_hanoi-tui");
/// The wide layout: all three panes drawn.
const SIZE: (u16, u16) = (160, 48);
/// A pane title: only a drawn frame contains it.
const FIRST_FRAME_MARK: &[u8] = b"Sessions";
const STARTUP_RUNS: usize = 20;
const KEYS: usize = 50;
/// Keys arriving together (key repeat, fast typing) should cost one frame, not one each:
/// the loop takes everything queued before it draws. Three downs, then three ups, stay
/// within the shipped timeline (four sessions), so each burst changes the screen.
const BURSTS: [&[u8]; 2] = [b"jjj", b"kkk"];
const BURST_RUNS: usize = 20;
const IDLE: Duration = Duration::from_secs(3);
const HANG_UP_PATIENCE: Duration = Duration::from_secs(2);

fn main() -> ExitCode {
    // `cargo bench` passes `--bench` and any filter; there is nothing to choose here.
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("terminal bench failed: {error}");
            ExitCode::FAILURE
        }
    }
}

fn app() -> io::Result<Pty> {
    let mut command = Command::new(BIN);
    command.env("TERM", "xterm-256color");
    Pty::start(command, SIZE)
}

fn run() -> io::Result<()> {
    let cpus = thread::available_parallelism().map_or(0, usize::from);
    println!("hanoi-tui {}x{} in a pty: {BIN}", SIZE.0, SIZE.1);
    println!("machine: nproc {cpus}");
    let (mut startups, mut clean) = startups()?;
    let mut session = Session::default();
    clean += usize::from(session.measure()?);
    let mut floor = round_trip_floor()?;
    let hang_up = after_hang_up()?;

    println!();
    println!("| metric | target | median | p95 | n | notes |");
    println!("| --- | --- | --- | --- | --- | --- |");
    let note = "spawn to \"Sessions\" read back";
    row("exec → first frame", "≤ 30 ms", &mut startups, note);
    session.print();
    let note = "harness floor: `cat` in raw mode echoing a key";
    row("pty round trip", "–", &mut floor, note);
    let note = "pty master closed under the app";
    println!("| terminal hung up | exits | {hang_up} | – | 1 | {note} |");
    println!();
    let runs = STARTUP_RUNS + 1;
    println!("clean quits (`q`, exit 0, alternate screen left): {clean}/{runs}");
    println!(
        "caveat: times include the pty and this harness (a reader thread stamps each read; \
         see the round-trip floor); on a {cpus}-core machine shared with builds and tests \
         they vary from run to run"
    );
    Ok(())
}

/// Exec to first frame, `STARTUP_RUNS` times; also how many runs quit cleanly.
fn startups() -> io::Result<(Vec<Duration>, usize)> {
    // One unmeasured run first, so the binary and its libraries are in the page cache.
    let mut warm = app()?;
    warm.until(FIRST_FRAME_MARK)?;
    warm.quit(b"q")?;
    let (mut times, mut clean) = (Vec::new(), 0);
    for _ in 0..STARTUP_RUNS {
        let mut app = app()?;
        times.push(app.until(FIRST_FRAME_MARK)?);
        clean += usize::from(quit_cleanly(app)?);
    }
    Ok((times, clean))
}

/// One app driven by keys, then left idle.
#[derive(Default)]
struct Session {
    first: Vec<Duration>,
    complete: Vec<Duration>,
    key_bytes: Vec<usize>,
    bursts: Vec<Duration>,
    burst_bytes: Vec<usize>,
    idle: Option<(Counters, usize)>,
}

impl Session {
    /// Returns whether the app quit cleanly at the end.
    fn measure(&mut self) -> io::Result<bool> {
        let mut app = app()?;
        app.until(FIRST_FRAME_MARK)?;
        app.wait_quiet()?;
        for i in 0..KEYS {
            // Down then up: every key really changes the screen, so every key draws.
            let answer = app.keys(if i % 2 == 0 { b"j" } else { b"k" })?;
            self.first.push(answer.first);
            self.complete.push(answer.complete);
            self.key_bytes.push(answer.bytes);
        }
        for i in 0..BURST_RUNS {
            let answer = app.keys(BURSTS[i % 2])?;
            self.bursts.push(answer.complete);
            self.burst_bytes.push(answer.bytes);
        }
        app.wait_quiet()?;
        let before = app.counters()?;
        let drawn = app.sit(IDLE)?;
        self.idle = Some((app.counters()?.since(before), drawn));
        quit_cleanly(app)
    }

    fn print(&mut self) {
        let note = "`j`/`k` written to first byte read";
        row("key → first output", "≤ 5 ms", &mut self.first, note);
        let key_bytes = median(&mut self.key_bytes);
        let note = format!("to the last byte before 15 ms of quiet; {key_bytes} bytes a frame");
        row("key → frame complete", "≤ 5 ms", &mut self.complete, &note);
        let note = format!(
            "`jjj`/`kkk` in one write; {} bytes drawn (one key: {key_bytes}); \
             several times more is a frame per key",
            median(&mut self.burst_bytes)
        );
        let metric = "3-key burst → frame complete";
        row(metric, "≤ 5 ms", &mut self.bursts, &note);
        if let Some((idle, drawn)) = self.idle {
            println!(
                "| idle CPU over {} s | 0 | {:.2} ms | – | 1 | utime+stime {} ms; \
                 {drawn} bytes drawn; {} wakeups |",
                IDLE.as_secs(),
                ms_ns(idle.cpu_ns),
                idle.ticks_ms,
                idle.voluntary_switches,
            );
        }
    }
}

fn quit_cleanly(app: Pty) -> io::Result<bool> {
    let (status, restored) = app.quit(b"q")?;
    Ok(status.success() && restored)
}

/// What any program pays here between a key written and its answer read: the pty, two
/// wake-ups and this harness.
fn round_trip_floor() -> io::Result<Vec<Duration>> {
    let mut command = Command::new("sh");
    command.args(["-c", "stty raw -echo && exec cat"]);
    let mut cat = Pty::start(command, SIZE)?;
    cat.wait_quiet()?;
    // Let stty finish before the first key, or the line discipline may echo it.
    thread::sleep(Duration::from_millis(100));
    (0..KEYS)
        .map(|_| cat.keys(b"j").map(|answer| answer.first))
        .collect()
}

/// Closes the terminal under an idle app: the app should notice and exit. If it has not
/// within `HANG_UP_PATIENCE`, says how much CPU it burns per second instead (and the
/// `Pty` kills it when dropped).
fn after_hang_up() -> io::Result<String> {
    let mut app = app()?;
    app.until(FIRST_FRAME_MARK)?;
    app.wait_quiet()?;
    if let Some(took) = app.hang_up(HANG_UP_PATIENCE)? {
        return Ok(format!("exited in {:.0} ms", ms(took)));
    }
    let before: Counters = app.counters()?;
    thread::sleep(Duration::from_secs(1));
    let used = app.counters()?.since(before);
    Ok(format!(
        "still running after {} s, using {:.0} ms CPU per s",
        HANG_UP_PATIENCE.as_secs(),
        ms_ns(used.cpu_ns)
    ))
}

fn median<T: Ord + Copy>(samples: &mut [T]) -> T {
    samples.sort();
    samples[samples.len() / 2]
}

fn row(metric: &str, target: &str, samples: &mut [Duration], notes: &str) {
    let median = median(samples);
    // Nearest rank.
    let p95 = samples[(samples.len() * 95).div_ceil(100) - 1];
    println!(
        "| {metric} | {target} | {:.2} ms | {:.2} ms | {} | {notes} |",
        ms(median),
        ms(p95),
        samples.len()
    );
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

#[allow(clippy::cast_precision_loss)] // nanoseconds of a few seconds fit in an f64
fn ms_ns(nanos: u64) -> f64 {
    nanos as f64 / 1e6
}
