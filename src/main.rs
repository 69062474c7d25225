//! The `hanoi-tui` binary: parse arguments, load the dataset, run the command.

use std::io;
use std::process::ExitCode;

use clap::Parser;
use hanoi_tui::cli::{Cli, finish, load, run_command, summary};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut out = io::stdout().lock();
    let mut err = io::stderr().lock();
    match &cli.command {
        Some(command) => run_command(command, cli.data.as_deref(), &mut out, &mut err),
        None => {
            let result = load(cli.data.as_deref()).and_then(|c| summary(&c, &mut out));
            finish(result, &mut err)
        }
    }
}
