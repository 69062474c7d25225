//! The `hanoi-tui` binary: parse arguments, load the dataset, run the explorer or a command.

use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use hanoi_tui::cli::{Cli, EXIT_BAD_INPUT, finish, load, run_command};
use hanoi_tui::paths::Paths;
use hanoi_tui::state::State;
use hanoi_tui::terminal::{self, TuiError};
use hanoi_tui::ui::Theme;
use hanoi_tui::{collection, config, keymap};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(command) = &cli.command {
        return run_command(
            command,
            cli.data.as_deref(),
            &mut io::stdout().lock(),
            &mut io::stderr().lock(),
        );
    }
    let conference = match load(cli.data.as_deref()) {
        Ok(conference) => conference,
        Err(failure) => return finish(Err(failure), &mut io::stderr().lock()),
    };
    let mut state = State::new(Arc::new(conference));
    state.paths = Paths::from_env(cli.config.as_deref());
    // A bad config or state file is said in the status bar; the app starts regardless.
    let (config, config_error) = config::load(state.paths.config_file.as_deref());
    if let Some(bindings) = config.bindings() {
        keymap::install(bindings);
    }
    state.theme = config.theme(Theme::from_env());
    state.copy_format = config.copy_format.unwrap_or_default();
    state.export_format = config.export_format.unwrap_or_default();
    let mut messages: Vec<String> = config_error.map(|e| e.to_string()).into_iter().collect();
    if let Some(path) = state.paths.state_file() {
        let loaded = collection::load(&path);
        state.collection = loaded.collection;
        messages.extend(loaded.warning);
    }
    if !messages.is_empty() {
        state.status = Some(messages.join(" · "));
    }
    match terminal::run(state, config.clipboard_command.as_deref()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(io::stderr(), "error: {error}");
            match error {
                TuiError::NotATerminal(_) => ExitCode::from(EXIT_BAD_INPUT),
                TuiError::Io(_) => ExitCode::FAILURE,
            }
        }
    }
}
