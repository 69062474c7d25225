//! Terminal input for the event loop: waits in poll(2) on the terminal and on a
//! self-pipe that signals write to, and reads events through crossterm only when there
//! is input. Waiting ourselves, rather than in crossterm's `poll`, gives three things:
//! - a hung-up terminal (its window closed, its tmux server killed) is seen as POLLHUP
//!   before crossterm reads it; crossterm 0.29 loops forever on the EOF it would read,
//!   and no SIGHUP reaches a process that is not the session leader;
//! - an idle app sleeps in the kernel, with no busy-waiting at the end of a timeout;
//! - a resize or a termination signal wakes the loop at once.

use std::io::{self, IsTerminal, Read, Write};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use crossterm::event::Event;
use rustix::event::{PollFd, PollFlags, Timespec, poll};

use crate::app::EventSource;

/// Signals that wake the loop: a resize, and the termination signals (whose handling,
/// the stop flag, is registered by the caller).
const WAKING_SIGNALS: [i32; 4] = [
    signal_hook::consts::SIGWINCH,
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGINT,
];

pub struct TerminalEvents {
    /// Read end of the self-pipe the signal handlers write a byte to.
    wake: UnixStream,
    /// Its write end, for [`TerminalEvents::waker`].
    notify: UnixStream,
    hung_up: bool,
}

/// What a wait found.
#[derive(Debug, Clone, Copy)]
struct Ready {
    /// The terminal has input (or, after a resize signal, crossterm has a Resize event to
    /// give, though the terminal itself has nothing to read).
    input: bool,
    /// A wake-up (a search answer, a signal) was taken from the pipe.
    woken: bool,
}

impl Ready {
    const NOTHING: Ready = Ready {
        input: false,
        woken: false,
    };
}

impl TerminalEvents {
    pub fn new() -> io::Result<Self> {
        let (wake, notify) = UnixStream::pair()?;
        wake.set_nonblocking(true)?;
        notify.set_nonblocking(true)?;
        for signal in WAKING_SIGNALS {
            signal_hook::low_level::pipe::register(signal, notify.try_clone()?)?;
        }
        Ok(Self {
            wake,
            notify,
            hung_up: false,
        })
    }

    /// A function another thread calls to wake the loop (the search worker, when it
    /// has an answer); the wait then returns with no event.
    pub fn waker(&self) -> io::Result<impl Fn() + Send + 'static> {
        let notify = self.notify.try_clone()?;
        // Non-blocking: a full pipe already holds a wake-up.
        Ok(move || {
            let _ = (&notify).write(&[1]);
        })
    }

    /// Waits up to `timeout` for input or a wake-up; says which came.
    fn wait(&mut self, timeout: Duration) -> io::Result<Ready> {
        let stdin = io::stdin();
        let mut fds = [
            PollFd::new(&stdin, PollFlags::IN),
            PollFd::new(&self.wake, PollFlags::IN),
        ];
        let timeout = Timespec::try_from(timeout).unwrap_or(Timespec {
            tv_sec: i64::MAX,
            tv_nsec: 0,
        });
        match poll(&mut fds, Some(&timeout)) {
            Ok(_) => {}
            Err(rustix::io::Errno::INTR) => {
                return Ok(Ready::NOTHING);
            }
            Err(error) => return Err(error.into()),
        }
        let terminal = fds[0].revents();
        let woken = !fds[1].revents().is_empty();
        if terminal.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) {
            self.hung_up = true;
            return Ok(Ready::NOTHING);
        }
        if woken {
            let mut drain = [0u8; 64];
            while matches!((&self.wake).read(&mut drain), Ok(n) if n > 0) {}
        }
        Ok(Ready {
            input: terminal.contains(PollFlags::IN) || woken,
            woken,
        })
    }
}

impl EventSource for TerminalEvents {
    fn next_event(&mut self, timeout: Duration) -> io::Result<Option<Event>> {
        if self.hung_up {
            return Ok(None);
        }
        // crossterm may hold events it has read already (several keys in one read);
        // those come first, without waiting. Asking it with a zero timeout is safe only
        // while the terminal is up, so look for a hang-up first.
        let ready = self.wait(Duration::ZERO)?;
        if !ready.input && self.hung_up {
            return Ok(None);
        }
        if crossterm::event::poll(Duration::ZERO)? {
            return crossterm::event::read().map(Some);
        }
        // A wake-up just taken (a search answer, a signal) is the caller's to act on now:
        // waiting on, its byte gone from the pipe, would sleep the whole timeout.
        if ready.woken || timeout.is_zero() || !self.wait(timeout)?.input {
            return Ok(None);
        }
        if crossterm::event::poll(Duration::ZERO)? {
            crossterm::event::read().map(Some)
        } else {
            Ok(None)
        }
    }

    fn closed(&self) -> bool {
        self.hung_up || !io::stdin().is_terminal()
    }
}
