//! The system clipboard through arboard (X11, and Wayland through the data-control
//! protocol). On Linux a clipboard's contents live in the program that set them, so the
//! handle is kept for the app's life (in a worker thread, so a display server that does
//! not answer costs a copy a timeout, never a frozen screen) and, on exit, if the
//! clipboard still holds our last copy, a detached copy of this binary (the hidden
//! `clipboard-daemon` command) takes the selection over and serves it until something
//! else is copied: arboard's documented way of making a copy outlive the app.

use std::io::{Read, Write};
use std::process::{Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::effect::Clipboard;

/// The hidden command that serves a selection after the app has quit.
pub const DAEMON_COMMAND: &str = "clipboard-daemon";

/// How long a copy waits for the display server before it counts as failed; a server that
/// does not answer (stopped, or behind a dead SSH forward) must not freeze the app.
pub const TIMEOUT: Duration = Duration::from_secs(2);

/// What the worker thread is asked to do; it answers `Ok(None)` to `Set` and
/// `Ok(Some(text))` to `Read`.
enum Request {
    Set(String),
    Read,
}

/// A reply of the worker, with the number of the request it answers.
type Reply = (u64, Result<Option<String>, String>);

/// A system clipboard the worker thread sets and reads.
trait Selection: Send + 'static {
    fn set(&mut self, text: String) -> Result<(), String>;
    fn get(&mut self) -> Result<String, String>;
}

/// arboard's clipboard, connected on the first request, so that a session without a
/// display costs nothing.
#[derive(Default)]
struct Arboard(Option<arboard::Clipboard>);

impl Arboard {
    fn connected(&mut self) -> Result<&mut arboard::Clipboard, String> {
        if self.0.is_none() {
            self.0 = Some(arboard::Clipboard::new().map_err(failed)?);
        }
        self.0
            .as_mut()
            .ok_or_else(|| "system clipboard: unavailable".to_owned())
    }
}

fn failed(error: arboard::Error) -> String {
    format!("system clipboard: {error}")
}

impl Selection for Arboard {
    fn set(&mut self, text: String) -> Result<(), String> {
        self.connected()?.set_text(text).map_err(failed)
    }

    fn get(&mut self) -> Result<String, String> {
        self.connected()?.get_text().map_err(failed)
    }
}

pub struct SystemClipboard {
    /// Requests, numbered, for the worker thread that owns the clipboard handle: the
    /// handle lives there for the app's whole run, and a server that hangs blocks only
    /// that thread.
    requests: Option<mpsc::Sender<(u64, Request)>>,
    replies: mpsc::Receiver<Reply>,
    /// The number of the last request sent, and of the last one answered: while a
    /// request that timed out is unanswered, the worker is stuck.
    sent: u64,
    answered: u64,
    /// The text we last set, which the daemon takes over on exit.
    owned: Option<String>,
}

impl Default for SystemClipboard {
    fn default() -> Self {
        Self::new()
    }
}

impl SystemClipboard {
    pub fn new() -> Self {
        Self::with_selection(Arboard::default())
    }

    fn with_selection(mut selection: impl Selection) -> Self {
        let (requests, inbox) = mpsc::channel::<(u64, Request)>();
        let (outbox, replies) = mpsc::channel();
        thread::spawn(move || {
            for (number, request) in inbox {
                let result = match request {
                    Request::Set(text) => selection.set(text).map(|()| None),
                    Request::Read => selection.get().map(Some),
                };
                if outbox.send((number, result)).is_err() {
                    break;
                }
            }
        });
        Self {
            requests: Some(requests),
            replies,
            sent: 0,
            answered: 0,
            owned: None,
        }
    }

    /// Hands the selection to a detached daemon so that it survives the app (Linux only;
    /// elsewhere the system keeps the contents). Returns why not, if it could not.
    fn hand_over(&mut self) -> Result<(), String> {
        let Some(text) = self.owned.take() else {
            return Ok(());
        };
        if !cfg!(target_os = "linux") {
            return Ok(());
        }
        // The user may have copied something else since: never bring our text back over it.
        if self.ask(Request::Read)? != Some(text.clone()) {
            return Ok(());
        }
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let mut command = Command::new(exe);
        command
            .arg(DAEMON_COMMAND)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .current_dir("/");
        // Its own process group: the terminal's hang-up must not reach it.
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = command.spawn().map_err(|e| e.to_string())?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(text.as_bytes())
                .map_err(|e| e.to_string())?;
        }
        // Wait (boundedly) for the daemon to say it owns the selection, so that the
        // clipboard is never empty between our exit and its start. The daemon itself is
        // not waited for: it runs until the selection is replaced.
        let mut ready = child.stdout.take().ok_or("no pipe from the daemon")?;
        let (said, heard) = mpsc::channel();
        thread::spawn(move || {
            let mut byte = [0u8; 1];
            let _ = said.send(ready.read(&mut byte).is_ok_and(|n| n == 1));
        });
        match heard.recv_timeout(TIMEOUT) {
            Ok(true) => Ok(()),
            _ => Err("the clipboard daemon did not take the selection".to_owned()),
        }
    }
}

/// Dropped when the app ends (however it ends): the last copy must outlive it.
impl Drop for SystemClipboard {
    fn drop(&mut self) {
        // Nowhere to report a failure: the terminal is being restored. The copy was made;
        // only its life after the app is lost.
        let _ = self.hand_over();
        // Ends the worker (and drops its handle) once it is idle; never joined, in case
        // it is stuck on a server that does not answer.
        self.requests = None;
    }
}

impl SystemClipboard {
    /// Sends `request` to the worker and waits (boundedly) for its answer. While the
    /// worker is stuck on a request that timed out, the request is still queued behind
    /// it but not waited for: when the server answers, the worker carries out every copy
    /// in order, so the clipboard ends with the newest, never with the stuck one.
    fn ask(&mut self, request: Request) -> Result<Option<String>, String> {
        // Late answers to requests that timed out.
        while let Ok((number, _)) = self.replies.try_recv() {
            self.answered = number;
        }
        let stuck = self.answered < self.sent;
        let requests = self.requests.as_ref().ok_or("system clipboard: closed")?;
        self.sent += 1;
        let number = self.sent;
        requests
            .send((number, request))
            .map_err(|_| "system clipboard: unavailable".to_owned())?;
        if stuck {
            return Err("system clipboard: the display server is not answering".into());
        }
        let waited = std::time::Instant::now();
        loop {
            let left = TIMEOUT.saturating_sub(waited.elapsed());
            match self.replies.recv_timeout(left) {
                Ok((answered, result)) => {
                    self.answered = answered;
                    if answered == number {
                        return result;
                    }
                }
                Err(_) => {
                    return Err(format!(
                        "system clipboard: no answer within {} s",
                        TIMEOUT.as_secs()
                    ));
                }
            }
        }
    }
}

impl Clipboard for SystemClipboard {
    fn copy(&mut self, text: &str) -> Result<String, String> {
        let result = self.ask(Request::Set(text.to_owned()));
        // Even a copy that timed out or is queued may be set once the server answers: the
        // daemon takes it over on exit if the clipboard holds it then (`hand_over` reads
        // the clipboard first).
        self.owned = Some(text.to_owned());
        result.map(|_| "system clipboard".to_owned())
    }
}

/// The `clipboard-daemon` command: reads the text from standard input, sets it and serves
/// it until another program takes the clipboard, or the display server goes away (arboard
/// would wait forever then, so the daemon watches the server's socket itself).
pub fn serve_selection() -> ExitCode {
    let mut text = String::new();
    if std::io::stdin().read_to_string(&mut text).is_err() {
        return ExitCode::FAILURE;
    }
    let server = display_socket();
    let (owned, owning) = mpsc::channel();
    let serving = thread::spawn(move || {
        let mut clipboard = arboard::Clipboard::new().map_err(|_| ())?;
        // Take the selection at once and say so (the app waits for that before it
        // exits), then set it again and wait until someone else replaces it.
        clipboard.set_text(text.clone()).map_err(|_| ())?;
        let _ = owned.send(());
        #[cfg(target_os = "linux")]
        {
            use arboard::SetExtLinux as _;
            clipboard.set().wait().text(text).map_err(|_| ())
        }
        #[cfg(not(target_os = "linux"))]
        Ok(())
    });
    if owning.recv().is_ok() {
        let mut stdout = std::io::stdout();
        let _ = stdout.write_all(b"1").and_then(|()| stdout.flush());
    }
    loop {
        if serving.is_finished() {
            return match serving.join() {
                Ok(Ok(())) => ExitCode::SUCCESS,
                _ => ExitCode::FAILURE,
            };
        }
        let gone = server
            .as_ref()
            .is_some_and(|socket| std::os::unix::net::UnixStream::connect(socket).is_err());
        if gone {
            return ExitCode::SUCCESS;
        }
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
}

/// The local socket of the display server the clipboard lives in: Wayland's, else X11's
/// (`:N` is `/tmp/.X11-unix/XN`). `None` for a remote display, which is not watched.
fn display_socket() -> Option<std::path::PathBuf> {
    if let Some(wayland) = std::env::var_os("WAYLAND_DISPLAY") {
        let wayland = std::path::PathBuf::from(wayland);
        if wayland.is_absolute() {
            return Some(wayland);
        }
        let runtime = std::env::var_os("XDG_RUNTIME_DIR")?;
        return Some(std::path::PathBuf::from(runtime).join(wayland));
    }
    x11_socket(&std::env::var("DISPLAY").ok()?)
}

fn x11_socket(display: &str) -> Option<std::path::PathBuf> {
    let number = display.strip_prefix(':')?.split('.').next()?;
    number.parse::<u32>().ok()?;
    Some(format!("/tmp/.X11-unix/X{number}").into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// A clipboard whose server answers each set only when the test lets it.
    struct Hanging {
        permits: mpsc::Receiver<()>,
        set: Arc<Mutex<Vec<String>>>,
    }

    impl Selection for Hanging {
        fn set(&mut self, text: String) -> Result<(), String> {
            self.permits.recv().map_err(|e| e.to_string())?;
            self.set.lock().map_err(|e| e.to_string())?.push(text);
            Ok(())
        }

        fn get(&mut self) -> Result<String, String> {
            let set = self.set.lock().map_err(|e| e.to_string())?;
            Ok(set.last().cloned().unwrap_or_default())
        }
    }

    /// A copy made while the server hangs must not be overtaken by the copy it hangs on:
    /// once the server answers, the clipboard holds the newest copy.
    #[test]
    fn a_copy_made_while_the_server_hangs_is_set_after_the_stuck_one() {
        let (permit, permits) = mpsc::channel();
        let set = Arc::new(Mutex::new(Vec::new()));
        let mut clipboard = SystemClipboard::with_selection(Hanging {
            permits,
            set: Arc::clone(&set),
        });
        let stuck = clipboard.copy("A").expect_err("no answer");
        assert!(stuck.contains("no answer"), "{stuck}");
        let queued = clipboard.copy("B").expect_err("still stuck");
        assert!(queued.contains("not answering"), "{queued}");
        permit.send(()).expect("worker");
        permit.send(()).expect("worker");
        // Every request answered: the worker has set both.
        while clipboard.answered < clipboard.sent {
            let (number, _) = clipboard
                .replies
                .recv_timeout(TIMEOUT * 5)
                .expect("answers");
            clipboard.answered = number;
        }
        assert_eq!(*set.lock().expect("lock"), ["A", "B"]);
        permit.send(()).expect("worker");
        assert_eq!(clipboard.copy("C"), Ok("system clipboard".to_owned()));
        assert_eq!(*set.lock().expect("lock"), ["A", "B", "C"]);
        // Nothing to hand over to a daemon in a test.
        clipboard.owned = None;
    }

    #[test]
    fn a_local_x11_display_names_its_socket_and_a_remote_one_none() {
        assert_eq!(
            x11_socket(":0").as_deref(),
            Some("/tmp/.X11-unix/X0".as_ref())
        );
        assert_eq!(
            x11_socket(":12.0").as_deref(),
            Some("/tmp/.X11-unix/X12".as_ref())
        );
        assert_eq!(x11_socket("localhost:10.0"), None);
        assert_eq!(x11_socket(":x"), None);
    }
}
