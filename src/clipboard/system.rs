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

pub struct SystemClipboard {
    /// Texts to set, for the worker thread that owns the arboard handle: the handle lives
    /// there for the app's whole run, and a server that hangs blocks only that thread.
    requests: Option<mpsc::Sender<Request>>,
    replies: mpsc::Receiver<Result<Option<String>, String>>,
    /// A request went unanswered: the worker is stuck, so do not queue behind it.
    stuck: bool,
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
        let (requests, inbox) = mpsc::channel::<Request>();
        let (outbox, replies) = mpsc::channel();
        thread::spawn(move || {
            // Connected on the first copy, so a session without a display costs nothing.
            let mut handle: Option<arboard::Clipboard> = None;
            for request in inbox {
                let result = serve(&mut handle, request);
                if outbox.send(result).is_err() {
                    break;
                }
            }
        });
        Self {
            requests: Some(requests),
            replies,
            stuck: false,
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
    /// Sends `request` to the worker and waits (boundedly) for its answer.
    fn ask(&mut self, request: Request) -> Result<Option<String>, String> {
        if self.stuck {
            // The late answer to the request that timed out, if it came by now.
            match self.replies.try_recv() {
                Ok(_) => self.stuck = false,
                Err(_) => {
                    return Err("system clipboard: the display server is not answering".into());
                }
            }
        }
        let requests = self.requests.as_ref().ok_or("system clipboard: closed")?;
        requests
            .send(request)
            .map_err(|_| "system clipboard: unavailable".to_owned())?;
        self.replies.recv_timeout(TIMEOUT).unwrap_or_else(|_| {
            self.stuck = true;
            Err(format!(
                "system clipboard: no answer within {} s",
                TIMEOUT.as_secs()
            ))
        })
    }
}

impl Clipboard for SystemClipboard {
    fn copy(&mut self, text: &str) -> Result<String, String> {
        self.ask(Request::Set(text.to_owned()))?;
        self.owned = Some(text.to_owned());
        Ok("system clipboard".to_owned())
    }
}

/// Does `request` through `handle`, connecting first if needed (in the worker thread).
fn serve(
    handle: &mut Option<arboard::Clipboard>,
    request: Request,
) -> Result<Option<String>, String> {
    let failed = |error: arboard::Error| format!("system clipboard: {error}");
    if handle.is_none() {
        *handle = Some(arboard::Clipboard::new().map_err(failed)?);
    }
    let Some(handle) = handle else {
        return Err("system clipboard: unavailable".to_owned());
    };
    match request {
        Request::Set(text) => handle.set_text(text).map(|()| None).map_err(failed),
        Request::Read => handle.get_text().map(Some).map_err(failed),
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
    use super::x11_socket;

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
