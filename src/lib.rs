//! hanoi-tui: explore who said what at a conference. The library holds everything; the
//! binary only parses arguments and wires it together, so tests and benches reach it all.

pub mod action;
pub mod app;
pub mod cli;
pub mod clipboard;
pub mod collection;
pub mod config;
pub mod dataset;
pub mod dialog;
pub mod effect;
pub mod export;
pub mod fs_atomic;
pub mod import;
pub mod input;
pub mod keymap;
pub mod loading;
pub mod paths;
pub mod search;
pub mod state;
pub mod synthetic;
pub mod terminal;
#[cfg(test)]
mod test_support;
pub mod text;
pub mod texts;
pub mod ui;
pub mod update;
