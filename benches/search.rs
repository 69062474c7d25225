//! Search at archive scale, on synthetic datasets (`hanoi_tui::synthetic`): building the
//! index, one query from scratch, and typing (each keystroke's query, narrowed from the
//! last as the search worker does), for 10k and 100k statements; 1M too with
//! HANOI_BENCH_1M=1. Also prints the time to the first (partial) and the complete answer,
//! which is what the search pane shows.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use hanoi_tui::dataset::Conference;
use hanoi_tui::search::worker::{SearchRequest, SearchWorker, search_now};
use hanoi_tui::search::{SearchIndex, parse};
use hanoi_tui::synthetic::generate;

/// Queries as a user types them: a plain word, an unaccented Vietnamese phrase, a field
/// filter with an exact term, one letter (almost everything matches), and letters found
/// only scattered (the worst case: every match is a candidate for the scorer).
const QUERIES: [&str; 5] = [
    "cooperation",
    "hop tac quoc te",
    "country:ghana 'human",
    "c",
    "cprtn",
];

/// What is typed, key by key, in the typing measurement: words, and letters found only
/// scattered.
const TYPED: [&str; 4] = ["hop tac cooperation", "cprtn", "dlgtns", "prtcn"];

fn scales() -> Vec<usize> {
    let mut scales = vec![10_000, 100_000];
    if std::env::var_os("HANOI_BENCH_1M").is_some() {
        scales.push(1_000_000);
    }
    scales
}

fn request(generation: u64, text: &str) -> SearchRequest {
    SearchRequest {
        generation,
        query: parse(text).expect("valid query"),
        limit: 200,
    }
}

fn search(c: &mut Criterion) {
    for statements in scales() {
        let conference = Arc::new(
            Conference::from_dataset(generate(statements, 1), "synthetic")
                .expect("generated data is valid"),
        );
        let started = Instant::now();
        let index = SearchIndex::new(Arc::clone(&conference));
        println!(
            "index of {statements} statements built in {:?}, {} MB beyond the dataset",
            started.elapsed(),
            index.heap_bytes() / 1_000_000
        );
        let mut group = c.benchmark_group(format!("search_{statements}"));
        group
            .sample_size(10)
            .measurement_time(Duration::from_secs(3));
        for query in QUERIES {
            let request = request(1, query);
            group.bench_with_input(BenchmarkId::from_parameter(query), &request, |b, r| {
                b.iter(|| black_box(search_now(&index, r)));
            });
        }
        group.finish();
        drop(index);
        for typed in TYPED {
            typing(&conference, statements, typed);
        }
    }
}

/// Types `typed` into a real search worker, a key at a time, waiting for each complete
/// answer as the pane would: prints per-keystroke latency (to the first answer and to
/// the complete one), median and 95th percentile over several rounds, and each key's
/// median to the complete answer.
fn typing(conference: &Arc<Conference>, statements: usize, typed: &str) {
    let (woken, wakes) = std::sync::mpsc::channel();
    let worker = SearchWorker::spawn(Arc::clone(conference), move || {
        let _ = woken.send(());
    });
    let mut first = Vec::new();
    let mut complete = Vec::new();
    let mut by_key = vec![Vec::new(); typed.len()];
    let mut generation = 0;
    for _round in 0..5 {
        for end in 1..=typed.len() {
            generation += 1;
            let started = Instant::now();
            worker.submit(request(generation, &typed[..end]));
            let mut seen_first = false;
            loop {
                wakes.recv().expect("the worker answers");
                let answers = worker.answers();
                if answers.iter().any(|a| a.generation == generation) && !seen_first {
                    seen_first = true;
                    first.push(started.elapsed());
                }
                if answers
                    .iter()
                    .any(|a| a.generation == generation && a.complete)
                {
                    complete.push(started.elapsed());
                    by_key[end - 1].push(started.elapsed());
                    break;
                }
            }
        }
        // Start the next round from scratch, not narrowed from the full text.
        generation += 1;
        worker.submit(request(generation, "zzzzqqq"));
        while !worker
            .answers()
            .iter()
            .any(|a| a.generation == generation && a.complete)
        {
            wakes.recv().expect("the worker answers");
        }
    }
    println!(
        "typing {typed:?} at {statements} statements: first answer median {:?} p95 {:?}; complete median {:?} p95 {:?}",
        percentile(&mut first, 50),
        percentile(&mut first, 95),
        percentile(&mut complete, 50),
        percentile(&mut complete, 95),
    );
    let keys: Vec<String> = (by_key.iter_mut().enumerate())
        .map(|(k, times)| format!("{:?} {:?}", &typed[..=k], percentile(times, 50)))
        .collect();
    println!("  complete, median by key: {}", keys.join(", "));
}

fn percentile(samples: &mut [Duration], p: usize) -> Duration {
    samples.sort_unstable();
    samples[(samples.len() * p / 100).min(samples.len() - 1)]
}

criterion_group!(benches, search);
criterion_main!(benches);
