//! The system clipboard through arboard (X11, and Wayland through the data-control
//! protocol). On Linux a clipboard's contents live in the program that set them, so the
//! handle is kept for the app's life and, on exit, a detached copy of this binary (the
//! hidden `clipboard-daemon` command) takes the selection over and serves it until
//! something else is copied: arboard's documented way of making a copy outlive the app.

use std::io::{Read, Write};
use std::process::{Command, ExitCode, Stdio};

use crate::effect::Clipboard;

/// The hidden command that serves a selection after the app has quit.
pub const DAEMON_COMMAND: &str = "clipboard-daemon";

#[derive(Default)]
pub struct SystemClipboard {
    /// Connected on the first copy, so a session without a display costs nothing.
    handle: Option<arboard::Clipboard>,
    /// The text we last set, which the daemon takes over on exit.
    owned: Option<String>,
}

impl SystemClipboard {
    pub fn new() -> Self {
        Self::default()
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
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let mut command = Command::new(exe);
        command
            .arg(DAEMON_COMMAND)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
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
        // Not waited for: it runs until the selection is replaced. Our handle is dropped
        // after this returns, once the daemon has the text.
        Ok(())
    }
}

/// Dropped when the app ends (however it ends): the last copy must outlive it.
impl Drop for SystemClipboard {
    fn drop(&mut self) {
        // Nowhere to report a failure: the terminal is being restored. The copy was made;
        // only its life after the app is lost.
        let _ = self.hand_over();
    }
}

impl Clipboard for SystemClipboard {
    fn copy(&mut self, text: &str) -> Result<String, String> {
        if self.handle.is_none() {
            let handle =
                arboard::Clipboard::new().map_err(|error| format!("system clipboard: {error}"))?;
            self.handle = Some(handle);
        }
        let handle = self.handle.as_mut().ok_or("system clipboard unavailable")?;
        handle
            .set_text(text)
            .map_err(|error| format!("system clipboard: {error}"))?;
        self.owned = Some(text.to_owned());
        Ok("system clipboard".to_owned())
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
    let serving = std::thread::spawn(move || {
        let mut clipboard = arboard::Clipboard::new().map_err(|_| ())?;
        #[cfg(target_os = "linux")]
        {
            use arboard::SetExtLinux as _;
            clipboard.set().wait().text(text).map_err(|_| ())
        }
        #[cfg(not(target_os = "linux"))]
        clipboard.set_text(text).map_err(|_| ())
    });
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
