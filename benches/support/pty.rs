//! A program run in its own pseudo-terminal, for the terminal bench: start it at a given
//! size, read what it draws with a timestamp on each read, press keys, sample its CPU
//! counters, quit it or hang up on it. Dropping a `Pty` kills the program if it still
//! runs, so no process outlives the bench, whatever failed.
//!
//! The pty is opened here rather than through `script`: with stdin a pipe, `script` gives
//! its pty a 0×0 size (the app would draw "too small"), and it would add a shell and a
//! relay process between the bench and the app.

use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::BorrowedFd;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags, Timespec};
use rustix::fs::{Mode, OFlags};
use rustix::pty::OpenptFlags;
use rustix::termios::Winsize;

/// No output for this long means a frame is complete. A frame goes out in a few writes
/// microseconds apart, so this is generous; it is also what paces the keys.
pub const QUIET: Duration = Duration::from_millis(15);
/// How long anything may take before the bench gives up on the program.
pub const PATIENCE: Duration = Duration::from_secs(5);

/// What one read of the pty brought, and when.
struct Chunk {
    at: Instant,
    bytes: Vec<u8>,
}

/// How a program answered keys written to it.
pub struct Answer {
    /// Until the first byte came back.
    pub first: Duration,
    /// Until the last byte before `QUIET`.
    pub complete: Duration,
    pub bytes: usize,
}

/// CPU used and sleeps taken, summed over the program's threads.
#[derive(Clone, Copy)]
pub struct Counters {
    /// utime+stime from /proc/PID/stat, in milliseconds, counted in whole clock ticks.
    pub ticks_ms: u64,
    /// Time on a CPU from /proc/PID/task/*/schedstat: nanosecond resolution.
    pub cpu_ns: u64,
    pub voluntary_switches: u64,
}

impl Counters {
    pub fn since(self, before: Counters) -> Counters {
        Counters {
            ticks_ms: self.ticks_ms - before.ticks_ms,
            cpu_ns: self.cpu_ns - before.cpu_ns,
            voluntary_switches: self.voluntary_switches - before.voluntary_switches,
        }
    }
}

pub struct Pty {
    child: Child,
    /// `None` once hung up.
    master: Option<File>,
    output: Receiver<Chunk>,
    /// Tells the reader to close its end of the master too, so the pty really hangs up.
    hang_up: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
    /// Everything read so far, to find marks split across reads.
    seen: Vec<u8>,
    started: Instant,
}

impl Pty {
    /// Starts `command` as the session leader of a new `width`×`height` pty, which is its
    /// stdin, stdout, stderr and controlling terminal (crossterm opens /dev/tty for the
    /// size, as in a real terminal).
    pub fn start(mut command: Command, (width, height): (u16, u16)) -> io::Result<Self> {
        // CLOEXEC: a master the program inherited would keep the pty alive after
        // `hang_up`, so closing ours would not hang it up.
        let master =
            rustix::pty::openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC)?;
        rustix::pty::grantpt(&master)?;
        rustix::pty::unlockpt(&master)?;
        let winsize = Winsize {
            ws_col: width,
            ws_row: height,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        rustix::termios::tcsetwinsize(&master, winsize)?;
        let name = rustix::pty::ptsname(&master, Vec::new())?;
        let flags = OFlags::RDWR | OFlags::NOCTTY | OFlags::CLOEXEC;
        let pts = File::from(rustix::fs::open(name.as_c_str(), flags, Mode::empty())?);
        command
            .stdin(Stdio::from(pts.try_clone()?))
            .stdout(Stdio::from(pts.try_clone()?))
            .stderr(Stdio::from(pts));
        // SAFETY: setsid and ioctl are plain system calls, safe between fork and exec.
        unsafe {
            command.pre_exec(|| {
                rustix::process::setsid()?;
                rustix::process::ioctl_tiocsctty(BorrowedFd::borrow_raw(0))?;
                Ok(())
            });
        }
        let started = Instant::now();
        let child = command.spawn()?;
        // The command holds the pty's program end: with it gone, reads end when the
        // program does.
        drop(command);
        let master = File::from(master);
        let hang_up = Arc::new(AtomicBool::new(false));
        let (output, reader) = reader(master.try_clone()?, Arc::clone(&hang_up));
        Ok(Self {
            child,
            master: Some(master),
            output,
            hang_up,
            reader: Some(reader),
            seen: Vec::new(),
            started,
        })
    }

    /// Time from the spawn to the read that completed `mark`.
    pub fn until(&mut self, mark: &[u8]) -> io::Result<Duration> {
        self.until_any(&[mark], PATIENCE)
    }

    /// Time from the spawn to the read that completed any of `marks`, if one came
    /// within `patience` (loading a large dataset takes longer than [`PATIENCE`]).
    pub fn until_any(&mut self, marks: &[&[u8]], patience: Duration) -> io::Result<Duration> {
        let deadline = Instant::now() + patience;
        loop {
            let chunk = self.next(deadline)?;
            if marks.iter().any(|mark| contains(&self.seen, mark)) {
                return Ok(chunk.at - self.started);
            }
        }
    }

    /// Writes `keys` at once, reading nothing: for an answer waited for with
    /// [`Pty::until_any`].
    pub fn send(&mut self, keys: &[u8]) -> io::Result<()> {
        self.write(keys)
    }

    /// Writes `keys` at once and reads the answer until the screen goes quiet.
    pub fn keys(&mut self, keys: &[u8]) -> io::Result<Answer> {
        let pressed = Instant::now();
        let before = self.seen.len();
        self.write(keys)?;
        let first = self.next(Instant::now() + PATIENCE)?.at;
        let last = self.wait_quiet()?.unwrap_or(first);
        Ok(Answer {
            first: first - pressed,
            complete: last - pressed,
            bytes: self.seen.len() - before,
        })
    }

    /// Reads until nothing came for `QUIET`; returns when the last output came, if any did.
    pub fn wait_quiet(&mut self) -> io::Result<Option<Instant>> {
        let deadline = Instant::now() + PATIENCE;
        let mut last = None;
        loop {
            match self.output.recv_timeout(QUIET) {
                Ok(chunk) => {
                    last = Some(chunk.at);
                    self.seen.extend_from_slice(&chunk.bytes);
                }
                Err(RecvTimeoutError::Timeout) => return Ok(last),
                Err(RecvTimeoutError::Disconnected) => return Err(self.gone()),
            }
            if Instant::now() > deadline {
                return Err(io::Error::other("the program never stopped drawing"));
            }
        }
    }

    /// Leaves the program alone for `span`; returns how many bytes it drew meanwhile.
    pub fn sit(&mut self, span: Duration) -> io::Result<usize> {
        let deadline = Instant::now() + span;
        let mut bytes = 0;
        loop {
            let wait = deadline.saturating_duration_since(Instant::now());
            match self.output.recv_timeout(wait) {
                Ok(chunk) => bytes += chunk.bytes.len(),
                Err(RecvTimeoutError::Timeout) => return Ok(bytes),
                Err(RecvTimeoutError::Disconnected) => return Err(self.gone()),
            }
        }
    }

    pub fn counters(&self) -> io::Result<Counters> {
        let pid = self.child.id();
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
        // Fields after the parenthesised name (which may hold spaces); utime and stime
        // are fields 14 and 15 of proc(5), so 12 and 13 here.
        let rest = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        let fields: Vec<u64> = rest
            .split_whitespace()
            .map(|f| f.parse().unwrap_or(0))
            .collect();
        let ticks = fields.get(11).unwrap_or(&0) + fields.get(12).unwrap_or(&0);
        let mut counters = Counters {
            ticks_ms: ticks * 1000 / rustix::param::clock_ticks_per_second(),
            cpu_ns: 0,
            voluntary_switches: 0,
        };
        for task in std::fs::read_dir(format!("/proc/{pid}/task"))? {
            let task = task?.path();
            counters.cpu_ns += first_number(&std::fs::read_to_string(task.join("schedstat"))?);
            for line in std::fs::read_to_string(task.join("status"))?.lines() {
                if let Some(n) = line.strip_prefix("voluntary_ctxt_switches:") {
                    counters.voluntary_switches += first_number(n);
                }
            }
        }
        Ok(counters)
    }

    /// The program's peak resident memory so far (VmHWM), in bytes.
    pub fn peak_memory(&self) -> io::Result<u64> {
        let pid = self.child.id();
        let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
        let kib = status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .map(first_number)
            .ok_or_else(|| io::Error::other("no VmHWM in /proc/PID/status"))?;
        Ok(kib * 1024)
    }

    /// Writes `key` and waits for the program to exit. Returns its status and whether
    /// its output ends by leaving the alternate screen (the terminal was restored).
    pub fn quit(mut self, key: &[u8]) -> io::Result<(ExitStatus, bool)> {
        self.write(key)?;
        let deadline = Instant::now() + PATIENCE;
        while let Ok(chunk) = self
            .output
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            self.seen.extend_from_slice(&chunk.bytes);
        }
        let status = self.exit_by(deadline)?;
        let status = status.ok_or_else(|| io::Error::other("the program did not quit"))?;
        Ok((status, contains(&self.seen, b"\x1b[?1049l")))
    }

    /// Closes the terminal under the program, as closing a window or losing an ssh
    /// connection does; returns when the program exited, if it did within `patience`.
    pub fn hang_up(&mut self, patience: Duration) -> io::Result<Option<Duration>> {
        self.hang_up.store(true, Ordering::Relaxed);
        self.master = None;
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        let closed = Instant::now();
        let exited = self.exit_by(closed + patience)?;
        Ok(exited.map(|_| closed.elapsed()))
    }

    fn exit_by(&mut self, deadline: Instant) -> io::Result<Option<ExitStatus>> {
        // The pty closes as the program exits, a moment before it can be reaped.
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Ok(Some(status));
            }
            if Instant::now() > deadline {
                return Ok(None);
            }
            thread::sleep(Duration::from_millis(1));
        }
    }

    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        let master = self
            .master
            .as_mut()
            .ok_or_else(|| io::Error::other("hung up"))?;
        master.write_all(bytes)
    }

    fn next(&mut self, deadline: Instant) -> io::Result<Chunk> {
        let wait = deadline.saturating_duration_since(Instant::now());
        match self.output.recv_timeout(wait) {
            Ok(chunk) => {
                self.seen.extend_from_slice(&chunk.bytes);
                Ok(chunk)
            }
            Err(RecvTimeoutError::Timeout) => Err(io::Error::other(format!(
                "no output within {PATIENCE:?}; last output: {}",
                tail(&self.seen)
            ))),
            Err(RecvTimeoutError::Disconnected) => Err(self.gone()),
        }
    }

    fn gone(&mut self) -> io::Error {
        let status = self.child.wait().map(|s| s.to_string()).unwrap_or_default();
        io::Error::other(format!(
            "the program exited ({status}); last output: {}",
            tail(&self.seen)
        ))
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
        self.hang_up.store(true, Ordering::Relaxed);
    }
}

/// Reads the pty on its own thread and stamps each read as it returns, so timings do not
/// depend on when the bench gets round to looking. Ends when the program's side closes,
/// or when told to hang up (it wakes every 20 ms to look).
fn reader(mut master: File, hang_up: Arc<AtomicBool>) -> (Receiver<Chunk>, JoinHandle<()>) {
    let (sender, receiver) = mpsc::channel();
    let thread = thread::spawn(move || {
        let mut buffer = vec![0; 1 << 16];
        let tick = Timespec {
            tv_sec: 0,
            tv_nsec: 20_000_000,
        };
        while !hang_up.load(Ordering::Relaxed) {
            let mut fds = [PollFd::new(&master, PollFlags::IN)];
            match rustix::event::poll(&mut fds, Some(&tick)) {
                Ok(0) | Err(rustix::io::Errno::INTR) => continue,
                Ok(_) => {}
                Err(_) => break,
            }
            let Ok(n @ 1..) = master.read(&mut buffer) else {
                break;
            };
            let chunk = Chunk {
                at: Instant::now(),
                bytes: buffer[..n].to_vec(),
            };
            if sender.send(chunk).is_err() {
                break;
            }
        }
    });
    (receiver, thread)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn first_number(text: &str) -> u64 {
    text.split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// The end of the output, escaped, for error messages.
fn tail(seen: &[u8]) -> String {
    let start = seen.len().saturating_sub(300);
    String::from_utf8_lossy(&seen[start..])
        .escape_debug()
        .to_string()
}
