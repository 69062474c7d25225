//! Writes a synthetic dataset of N statements as RON, for benchmarks and for trying the
//! explorer at archive scale: `cargo run --release --example generate -- 100000 > big.ron`
//! then `hanoi-tui --data big.ron`.

use std::io::{self, Write};
use std::process::ExitCode;

use hanoi_tui::synthetic::generate;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let count = args
        .next()
        .and_then(|n| n.replace('_', "").parse::<usize>().ok());
    let seed = args.next().and_then(|n| n.parse::<u64>().ok()).unwrap_or(1);
    let Some(count) = count else {
        eprintln!("usage: generate STATEMENTS [SEED] > dataset.ron");
        return ExitCode::from(2);
    };
    let data = generate(count, seed);
    let config = ron::ser::PrettyConfig::default();
    match ron::ser::to_string_pretty(&data, config) {
        Ok(text) => match io::stdout().lock().write_all(text.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("generate: {error}");
                ExitCode::FAILURE
            }
        },
        Err(error) => {
            eprintln!("generate: {error}");
            ExitCode::FAILURE
        }
    }
}
