//! The app's binary as the tests run it: its dataset cache goes under target/, never into
//! a real home.

use std::process::Command;

pub const BIN: &str = env!("CARGO_BIN_EXE_hanoi-tui");

/// A command running the binary, with the cache redirected.
#[allow(dead_code)]
pub fn hanoi() -> Command {
    let mut command = Command::new(BIN);
    command.env(
        "HANOI_TUI_CACHE_DIR",
        concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"),
    );
    command
}
