//! Copying through an external program (`wl-copy`, `xclip`, `xsel`, `pbcopy`, or the
//! command the config names): the text goes to its standard input, and a program that
//! does not finish in time is killed, so a stuck clipboard tool can never hang the UI.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::effect::Clipboard;

/// How long a clipboard program may take before it is killed and the copy counted failed.
pub const TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalCommand {
    program: PathBuf,
    args: Vec<String>,
    timeout: Duration,
}

impl ExternalCommand {
    pub fn new(program: impl Into<PathBuf>, args: &[&str], timeout: Duration) -> Self {
        Self {
            program: program.into(),
            args: args.iter().map(|&a| a.to_owned()).collect(),
            timeout,
        }
    }

    /// A command given as words (`["xclip", "-selection", "clipboard"]`); `None` if empty.
    pub fn from_words(words: &[String]) -> Option<Self> {
        let (program, args) = words.split_first()?;
        Some(Self {
            program: program.into(),
            args: args.to_vec(),
            timeout: TIMEOUT,
        })
    }

    fn name(&self) -> String {
        self.program
            .file_name()
            .unwrap_or(self.program.as_os_str())
            .to_string_lossy()
            .into_owned()
    }
}

impl Clipboard for ExternalCommand {
    fn copy(&mut self, text: &str) -> Result<String, String> {
        let name = self.name();
        // Output goes nowhere: a tool that forks to serve the selection (xclip, wl-copy)
        // would otherwise hold our pipes open, and its output must not reach the screen.
        let mut child = Command::new(&self.program)
            .args(&self.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|error| format!("{name}: {error}"))?;
        let mut stdin = child.stdin.take();
        let bytes = text.as_bytes().to_vec();
        // Written from a thread that is never joined: a program that never reads (or a
        // child it forked that keeps our pipe open) would block the write, and the UI with it.
        thread::spawn(move || {
            if let Some(stdin) = stdin.as_mut() {
                let _ = stdin.write_all(&bytes);
            }
        });
        let start = Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Ok(status),
                Ok(None) if start.elapsed() < self.timeout => {
                    thread::sleep(Duration::from_millis(5));
                }
                Ok(None) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break Err(format!(
                        "{name} did not finish within {} ms",
                        self.timeout.as_millis()
                    ));
                }
                Err(error) => break Err(format!("{name}: {error}")),
            }
        };
        match status? {
            status if status.success() => Ok(format!("system clipboard ({name})")),
            status => Err(format!("{name} failed ({status})")),
        }
    }
}

/// The usual clipboard programs found on PATH, for the display the session has.
pub fn detect_commands() -> Vec<ExternalCommand> {
    let wayland = std::env::var_os("WAYLAND_DISPLAY").is_some();
    let x11 = std::env::var_os("DISPLAY").is_some();
    let candidates: [(&str, &[&str], bool); 4] = [
        ("wl-copy", &[], wayland),
        ("xclip", &["-selection", "clipboard"], x11),
        ("xsel", &["--clipboard", "--input"], x11),
        ("pbcopy", &[], cfg!(target_os = "macos")),
    ];
    let path = std::env::var_os("PATH").unwrap_or_default();
    candidates
        .into_iter()
        .filter(|(_, _, usable)| *usable)
        .filter_map(|(program, args, _)| {
            find_on_path(program, &path).map(|found| ExternalCommand::new(found, args, TIMEOUT))
        })
        .collect()
}

fn find_on_path(program: &str, path: &std::ffi::OsStr) -> Option<PathBuf> {
    std::env::split_paths(path)
        .map(|dir| dir.join(program))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str, timeout: Duration) -> ExternalCommand {
        ExternalCommand::new("sh", &["-c", script], timeout)
    }

    #[test]
    fn the_text_reaches_the_program_on_standard_input() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("got");
        let script = format!("cat > '{}'", out.display());
        let result = sh(&script, TIMEOUT).copy("“Không ai bị bỏ lại phía sau”\n");
        assert_eq!(result, Ok("system clipboard (sh)".to_owned()));
        assert_eq!(
            std::fs::read_to_string(out).expect("written"),
            "“Không ai bị bỏ lại phía sau”\n"
        );
    }

    #[test]
    fn a_failing_or_missing_program_is_an_error_not_a_panic() {
        let failed = sh("exit 3", TIMEOUT).copy("x").expect_err("fails");
        assert!(failed.contains("sh failed"), "{failed}");
        let missing = ExternalCommand::new("/nonexistent/wl-copy", &[], TIMEOUT)
            .copy("x")
            .expect_err("missing");
        assert!(missing.starts_with("wl-copy: "), "{missing}");
    }

    #[test]
    fn a_program_that_hangs_without_reading_is_killed() {
        // 1 MB does not fit a pipe: the writer blocks until the kill closes the pipe.
        let big = "x".repeat(1_000_000);
        let error = sh("exec sleep 30", Duration::from_millis(100))
            .copy(&big)
            .expect_err("timed out");
        assert!(error.contains("did not finish within 100 ms"), "{error}");
    }

    #[test]
    fn words_from_the_config_make_a_command() {
        let words = [
            "xclip".to_owned(),
            "-selection".to_owned(),
            "clipboard".to_owned(),
        ];
        let command = ExternalCommand::from_words(&words).expect("command");
        assert_eq!(
            command,
            ExternalCommand::new("xclip", &["-selection", "clipboard"], TIMEOUT)
        );
        assert_eq!(ExternalCommand::from_words(&[]), None);
    }
}
