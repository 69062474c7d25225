//! Search at archive scale, on synthetic datasets (`hanoi_tui::synthetic`): building the
//! index, and one keystroke's query, for 10k and 100k statements. 1M runs only with
//! HANOI_BENCH_1M=1: the index of today keeps several folded copies per statement, so a
//! million statements need gigabytes (the redesign is the open part of the search issue).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use hanoi_tui::dataset::Conference;
use hanoi_tui::search::{SearchIndex, parse};
use hanoi_tui::synthetic::generate;

/// Queries as a user types them: a plain word, an unaccented Vietnamese phrase, a field
/// filter with an exact term, and one letter (the worst case: almost everything matches).
const QUERIES: [&str; 4] = [
    "cooperation",
    "hop tac quoc te",
    "country:ghana 'human",
    "c",
];

fn scales() -> Vec<usize> {
    let mut scales = vec![10_000, 100_000];
    if std::env::var_os("HANOI_BENCH_1M").is_some() {
        scales.push(1_000_000);
    }
    scales
}

fn search(c: &mut Criterion) {
    for statements in scales() {
        let conference = Conference::from_dataset(generate(statements, 1), "synthetic")
            .expect("generated data is valid");
        let started = Instant::now();
        let index = SearchIndex::new(&conference);
        println!(
            "index of {statements} statements built in {:?}",
            started.elapsed()
        );
        let mut group = c.benchmark_group(format!("search_{statements}"));
        group
            .sample_size(10)
            .measurement_time(Duration::from_secs(3));
        for query in QUERIES {
            let parsed = parse(query).expect("valid query");
            group.bench_with_input(BenchmarkId::from_parameter(query), &parsed, |b, parsed| {
                b.iter(|| black_box(index.search(parsed, 200)));
            });
        }
        group.finish();
    }
}

criterion_group!(benches, search);
criterion_main!(benches);
