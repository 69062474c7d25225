//! A private tmux server running the built binary, for end-to-end tests: started with no
//! user config on its own socket, driven with send-keys and read with capture-pane. Waits
//! are bounded guards against hangs, not timing assertions. Included by each e2e test
//! file with `#[path]`, so each uses only part of it.
#![allow(dead_code)]

use std::process::{Command, Output};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// How long to wait for the screen to show something before failing.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// A private tmux server running the app in session "app"; killed on drop.
pub struct Tmux {
    pub socket: String,
    /// Where the wrapper shell writes the app's exit status.
    pub status_file: tempfile::TempPath,
    /// The app's data, state, cache and config paths point in here, never at a real home.
    pub home: std::path::PathBuf,
    /// Owns `home` when this server made it.
    pub _home_dir: Option<tempfile::TempDir>,
    /// The server's socket file, which tmux leaves behind when the server is killed.
    socket_path: Option<std::path::PathBuf>,
}

impl Tmux {
    pub fn start(name: &str, width: u16, height: u16, args: &[&str]) -> Self {
        Self::start_with_env(name, width, height, args, "")
    }

    /// Starts the app with `env` ("NAME=value", or empty) in its environment.
    pub fn start_with_env(name: &str, width: u16, height: u16, args: &[&str], env: &str) -> Self {
        let home = tempfile::tempdir().expect("home");
        let mut tmux = Self::start_in(home.path(), name, width, height, args, env);
        tmux._home_dir = Some(home);
        tmux
    }

    /// Starts the app with its files in `home` (which may hold a previous run's files).
    pub fn start_in(
        home: &std::path::Path,
        name: &str,
        width: u16,
        height: u16,
        args: &[&str],
        env: &str,
    ) -> Self {
        let mut tmux = Self {
            socket: format!("hanoi-e2e-{}-{name}", std::process::id()),
            status_file: tempfile::NamedTempFile::new()
                .expect("temp file")
                .into_temp_path(),
            home: home.to_owned(),
            _home_dir: None,
            socket_path: None,
        };
        // tmux 3.3 does not always reap a pane's process (it can stay a zombie, with no
        // exit status), so a shell runs the app and writes its exit status to a file.
        let script = format!("\"$0\" \"$@\"; echo $? > '{}'", tmux.status_file.display());
        let script = if env.is_empty() {
            script
        } else {
            format!("export {env}; {script}")
        };
        // No display (unless `env` gives one): the system clipboard must not be the
        // developer's own.
        let home = tmux.home.display();
        let script = format!(
            "unset DISPLAY WAYLAND_DISPLAY; export HANOI_TUI_DATA_DIR='{home}/data' \
             HANOI_TUI_STATE_DIR='{home}/state' HANOI_TUI_CACHE_DIR='{home}/cache' \
             HANOI_TUI_CONFIG='{home}/config.ron'; {script}"
        );
        let mut command = vec![
            "sh".to_owned(),
            "-c".to_owned(),
            script,
            crate::hanoi::BIN.to_owned(),
        ];
        command.extend(args.iter().map(|a| (*a).to_owned()));
        let (w, h) = (width.to_string(), height.to_string());
        // remain-on-exit keeps the pane after the app exits, to read the terminal modes it
        // left behind; set-clipboard lets OSC 52 reach the paste buffer.
        let output = tmux.run(
            &[
                "start-server",
                ";",
                "set",
                "-g",
                "remain-on-exit",
                "on",
                ";",
                "set",
                "-s",
                "set-clipboard",
                "on",
                ";",
                "new-session",
                "-d",
                "-s",
                "app",
                "-x",
                &w,
                "-y",
                &h,
                "--",
            ]
            .iter()
            .copied()
            .chain(command.iter().map(String::as_str))
            .collect::<Vec<_>>(),
        );
        assert!(
            output.status.success(),
            "tmux: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let socket_path = tmux
            .run(&["display-message", "-p", "#{socket_path}"])
            .stdout;
        let socket_path = String::from_utf8_lossy(&socket_path).trim().to_owned();
        tmux.socket_path = (!socket_path.is_empty()).then(|| socket_path.into());
        tmux
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .expect("tmux is installed (.ci/run installs it)")
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "app"];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success());
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "app"]).stdout).into_owned()
    }

    pub fn format(&self, format: &str) -> String {
        let output = self.run(&["display", "-p", "-t", "app", format]);
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    /// Waits until `condition` holds for the screen; fails with the screen otherwise.
    pub fn wait_for(&self, what: &str, condition: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if condition(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            sleep(Duration::from_millis(50));
        }
    }

    pub fn wait_for_text(&self, text: &str) -> String {
        self.wait_for(text, |screen| screen.contains(text))
    }

    /// Waits until the screen shows every one of `texts` at once: a screen read as soon
    /// as one of them shows may hold a frame only partly drawn.
    pub fn wait_for_all(&self, texts: &[&str]) -> String {
        self.wait_for(&format!("all of {texts:?}"), |screen| {
            texts.iter().all(|text| screen.contains(text))
        })
    }

    /// Everything the pane printed, scrolled-off lines included and wrapped lines joined:
    /// for plain output such as an error message, not for the full-screen explorer.
    pub fn printed(&self) -> String {
        let output = self.run(&["capture-pane", "-p", "-J", "-S", "-", "-t", "app"]);
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Waits until the pane has printed `text` (see [`Self::printed`]).
    pub fn wait_for_printed(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let printed = self.printed();
            if printed.contains(text) {
                return printed;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "timed out waiting for {text}; printed:\n{printed}"
            );
            sleep(Duration::from_millis(50));
        }
    }

    /// Waits for the app to exit; returns its exit status as the shell reports it
    /// (128 + N when signal N killed it).
    pub fn wait_for_exit(&self) -> String {
        let start = Instant::now();
        loop {
            let status = std::fs::read_to_string(&self.status_file).unwrap_or_default();
            if status.ends_with('\n') {
                return status.trim().to_owned();
            }
            assert!(
                start.elapsed() < PATIENCE,
                "the app did not exit; screen:\n{}",
                self.screen()
            );
            sleep(Duration::from_millis(20));
        }
    }

    /// The app's process id: the child of the wrapper shell in the pane.
    pub fn app_pid(&self) -> String {
        let shell = self.format("#{pane_pid}");
        let start = Instant::now();
        loop {
            let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children"))
                .unwrap_or_default();
            if let Some(pid) = children.split_whitespace().next() {
                return pid.to_owned();
            }
            assert!(
                start.elapsed() < PATIENCE,
                "no app process under the pane's shell"
            );
            sleep(Duration::from_millis(20));
        }
    }

    /// The terminal modes after exit: alternate screen, and the three mouse modes.
    pub fn modes_left_behind(&self) -> String {
        self.format(
            "alt=#{alternate_on} mouse=#{mouse_any_flag}#{mouse_button_flag}#{mouse_sgr_flag}",
        )
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
        // So that test runs do not pile socket files up.
        if let Some(socket_path) = &self.socket_path {
            let _ = std::fs::remove_file(socket_path);
        }
    }
}
