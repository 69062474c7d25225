//! The `hanoi-tui` binary: parse arguments, then run a command, or the explorer (which
//! loads the dataset behind its loading screen).

use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use hanoi_tui::cli::{Cli, EXIT_BAD_INPUT, Failure, finish, load, run_command};
use hanoi_tui::config::Config;
use hanoi_tui::dataset::Conference;
use hanoi_tui::paths::Paths;
use hanoi_tui::state::State;
use hanoi_tui::terminal::{self, Launch, TuiError};
use hanoi_tui::ui::Theme;
use hanoi_tui::{collection, config, keymap};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let paths = Paths::from_env(cli.config.as_deref());
    let cache = paths.dataset_cache().filter(|_| !cli.no_cache);
    if let Some(command) = &cli.command {
        return run_command(
            command,
            cli.data.as_deref(),
            cache.as_ref(),
            &mut io::stdout().lock(),
            &mut io::stderr().lock(),
        );
    }
    if let Err(error) = terminal::require_terminal() {
        // As before there was a loading screen: a bad dataset is reported first. Without
        // the cache: nothing will use the dataset, so writing an entry would only cost time.
        if let Err(failure) = load(cli.data.as_deref()) {
            return finish(Err(failure), &mut io::stderr().lock());
        }
        return report(error);
    }
    // A bad config or state file is said in the status bar; the app starts regardless.
    let (config, config_error) = config::load(paths.config_file.as_deref());
    if let Some(bindings) = config.bindings() {
        keymap::install(bindings);
    }
    let theme = config.theme(Theme::from_env());
    let launch = Launch {
        data: cli.data.clone(),
        cache,
        theme,
        clipboard_command: config.clipboard_command.as_deref(),
    };
    let make_state = |conference: Arc<Conference>| {
        let mut state = State::new(conference);
        state.paths = paths;
        state.theme = theme;
        configure(&mut state, &config, config_error.map(|e| e.to_string()));
        state
    };
    match terminal::run(launch, make_state) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => report(error),
    }
}

/// Applies the config's formats and the saved basket and bookmarks; `config_error` and
/// any problem with the saved file go to the status bar.
fn configure(state: &mut State, config: &Config, config_error: Option<String>) {
    state.copy_format = config.copy_format.unwrap_or_default();
    state.export_format = config.export_format.unwrap_or_default();
    let mut messages: Vec<String> = config_error.into_iter().collect();
    if let Some(path) = state.paths.state_file() {
        let loaded = collection::load(&path);
        state.saved_collection = loaded.collection.clone();
        state.collection = loaded.collection;
        messages.extend(loaded.warning);
    }
    if !messages.is_empty() {
        state.status = Some(messages.join(" · "));
    }
}

/// Says why the explorer stopped, on stderr (the terminal is restored by then).
fn report(error: TuiError) -> ExitCode {
    match error {
        // Said exactly as the commands say it.
        TuiError::Load(error) => finish(Err(Failure::from(error)), &mut io::stderr().lock()),
        TuiError::NotATerminal(_) => {
            let _ = writeln!(io::stderr(), "error: {error}");
            ExitCode::from(EXIT_BAD_INPUT)
        }
        TuiError::Io(_) => {
            let _ = writeln!(io::stderr(), "error: {error}");
            ExitCode::FAILURE
        }
    }
}
