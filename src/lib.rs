//! hanoi-tui: explore who said what at a conference. The library holds everything; the
//! binary only parses arguments and wires it together, so tests and benches reach it all.

pub mod cli;
pub mod dataset;
pub mod export;
pub mod search;
pub mod text;
