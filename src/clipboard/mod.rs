//! The real clipboard: which ways of copying are tried, in what order, and what the status
//! bar is told. OSC 52 goes through the terminal and cannot confirm delivery, so it is sent
//! whenever the terminal probably honours it *and* a clipboard that can confirm is tried
//! too: the system clipboard (arboard), else the first external command that succeeds.
//! Only when none of these did anything is the text appended to a file in the data dir.

mod external;
mod fallback;
mod system;

use std::io::Write;
use std::path::PathBuf;

use external::{ExternalCommand, detect_commands};
pub use fallback::AppendToFile;
pub use system::{SystemClipboard, serve_selection};

use crate::effect::{Clipboard, Osc52};
use crate::text::sanitize;

/// Every way of copying, tried in the order the module doc gives.
pub struct Chain {
    /// OSC 52, when the terminal probably honours it.
    terminal: Option<Box<dyn Clipboard>>,
    /// Clipboards that confirm delivery; the first that succeeds is used.
    confirmed: Vec<Box<dyn Clipboard>>,
    /// The last resort.
    fallback: Option<Box<dyn Clipboard>>,
}

impl Chain {
    pub fn new(
        terminal: Option<Box<dyn Clipboard>>,
        confirmed: Vec<Box<dyn Clipboard>>,
        fallback: Option<Box<dyn Clipboard>>,
    ) -> Self {
        Self {
            terminal,
            confirmed,
            fallback,
        }
    }

    /// The chain for the real app: OSC 52 on `out` if the environment suggests the terminal
    /// takes it, the system clipboard, `command` (from the config) then the usual external
    /// commands found on PATH, and the fallback file.
    pub fn for_terminal<W: Write + 'static>(
        out: W,
        system: Option<SystemClipboard>,
        command: Option<&[String]>,
        fallback_file: Option<PathBuf>,
    ) -> Self {
        let env = |name: &str| std::env::var(name).unwrap_or_default();
        let terminal = osc52_likely(&env("TERM"), &env("TERM_PROGRAM"), |name| {
            std::env::var_os(name).is_some()
        })
        .then(|| Box::new(Osc52::new(out)) as Box<dyn Clipboard>);
        let mut confirmed: Vec<Box<dyn Clipboard>> = Vec::new();
        if let Some(system) = system {
            confirmed.push(Box::new(system));
        }
        if let Some(command) = command.and_then(ExternalCommand::from_words) {
            confirmed.push(Box::new(command));
        }
        confirmed.extend(
            detect_commands()
                .into_iter()
                .map(|c| Box::new(c) as Box<dyn Clipboard>),
        );
        let fallback =
            fallback_file.map(|path| Box::new(AppendToFile::new(path)) as Box<dyn Clipboard>);
        Self::new(terminal, confirmed, fallback)
    }
}

impl Clipboard for Chain {
    fn copy(&mut self, text: &str) -> Result<String, String> {
        // Export text is sanitized already; this keeps any other caller honest too.
        let text = sanitize(text);
        let mut done = Vec::new();
        let mut failures = Vec::new();
        if let Some(terminal) = &mut self.terminal {
            match terminal.copy(&text) {
                Ok(destination) => done.push(destination),
                Err(reason) => failures.push(reason),
            }
        }
        for clipboard in &mut self.confirmed {
            match clipboard.copy(&text) {
                Ok(destination) => {
                    // The confirmed one first: it is the one that surely holds the text.
                    done.insert(0, destination);
                    break;
                }
                Err(reason) => failures.push(reason),
            }
        }
        if done.is_empty()
            && let Some(fallback) = &mut self.fallback
        {
            match fallback.copy(&text) {
                Ok(destination) => done.push(destination),
                Err(reason) => failures.push(reason),
            }
        }
        if done.is_empty() {
            if failures.is_empty() {
                failures.push("no clipboard is available".to_owned());
            }
            return Err(failures.join("; "));
        }
        Ok(done.join(" and the "))
    }
}

/// Whether OSC 52 will probably reach a clipboard: inside tmux or screen (which pass it on
/// with `set-clipboard on`), over SSH (where no other way exists), or in a terminal known
/// to take it. Terminals that do not know the sequence ignore it, so this errs on sending.
pub fn osc52_likely(term: &str, term_program: &str, is_set: impl Fn(&str) -> bool) -> bool {
    const MULTIPLEXERS_AND_SSH: [&str; 5] = ["TMUX", "STY", "SSH_CONNECTION", "SSH_TTY", "ZELLIJ"];
    const TERMS: [&str; 10] = [
        "xterm",
        "tmux",
        "screen",
        "alacritty",
        "foot",
        "kitty",
        "wezterm",
        "ghostty",
        "rxvt",
        "contour",
    ];
    const PROGRAMS: [&str; 4] = ["iTerm.app", "WezTerm", "ghostty", "vscode"];
    MULTIPLEXERS_AND_SSH.iter().any(|name| is_set(name))
        || TERMS.iter().any(|t| term.contains(t))
        || PROGRAMS.contains(&term_program)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A clipboard that answers as told and remembers what it was given.
    struct Fake {
        answer: Result<String, String>,
        got: std::rc::Rc<std::cell::RefCell<Vec<String>>>,
    }

    fn fake(
        answer: Result<&str, &str>,
    ) -> (
        Box<dyn Clipboard>,
        std::rc::Rc<std::cell::RefCell<Vec<String>>>,
    ) {
        let got = std::rc::Rc::default();
        let clipboard = Fake {
            answer: answer.map(str::to_owned).map_err(str::to_owned),
            got: std::rc::Rc::clone(&got),
        };
        (Box::new(clipboard), got)
    }

    impl Clipboard for Fake {
        fn copy(&mut self, text: &str) -> Result<String, String> {
            self.got.borrow_mut().push(text.to_owned());
            self.answer.clone()
        }
    }

    #[test]
    fn osc52_and_the_first_confirmed_clipboard_both_get_the_text() {
        let (osc, osc_got) = fake(Ok("terminal clipboard (OSC 52)"));
        let (broken, _) = fake(Err("arboard: no display"));
        let (xclip, xclip_got) = fake(Ok("system clipboard (xclip)"));
        let (never, never_got) = fake(Ok("unused"));
        let (file, file_got) = fake(Ok("file"));
        let mut chain = Chain::new(Some(osc), vec![broken, xclip, never], Some(file));
        assert_eq!(
            chain.copy("“Thủ tướng”\u{1b}[31m"),
            Ok("system clipboard (xclip) and the terminal clipboard (OSC 52)".to_owned())
        );
        assert_eq!(*osc_got.borrow(), ["“Thủ tướng”[31m"], "escape stripped");
        assert_eq!(*xclip_got.borrow(), ["“Thủ tướng”[31m"]);
        assert!(never_got.borrow().is_empty(), "stops at the first success");
        assert!(
            file_got.borrow().is_empty(),
            "no fallback when something worked"
        );
    }

    #[test]
    fn the_file_is_used_only_when_nothing_else_worked_and_failures_are_reported() {
        let (broken, _) = fake(Err("no display"));
        let (file, file_got) = fake(Ok("end of /d/clipboard.txt"));
        let mut chain = Chain::new(None, vec![broken], Some(file));
        assert_eq!(chain.copy("x"), Ok("end of /d/clipboard.txt".to_owned()));
        assert_eq!(file_got.borrow().len(), 1);
        let (broken, _) = fake(Err("no display"));
        let (full, _) = fake(Err("disk full"));
        let mut chain = Chain::new(None, vec![broken], Some(full));
        assert_eq!(chain.copy("x"), Err("no display; disk full".to_owned()));
        let mut empty = Chain::new(None, Vec::new(), None);
        assert_eq!(empty.copy("x"), Err("no clipboard is available".to_owned()));
    }

    #[test]
    fn osc52_is_sent_in_tmux_over_ssh_and_in_known_terminals_only() {
        let none = |_: &str| false;
        assert!(osc52_likely("", "", |name| name == "TMUX"));
        assert!(osc52_likely("", "", |name| name == "SSH_TTY"));
        assert!(osc52_likely("xterm-256color", "", none));
        assert!(osc52_likely("dumb-ish", "iTerm.app", none));
        assert!(
            !osc52_likely("linux", "", none),
            "the Linux console has no clipboard"
        );
        assert!(!osc52_likely("dumb", "", none));
    }
}
