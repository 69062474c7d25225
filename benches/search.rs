//! Search at archive scale, on synthetic datasets (`hanoi_tui::synthetic`): building the
//! index, one query from scratch, and typing (each keystroke's query, narrowed from the
//! last as the search worker does), for 10k and 100k statements; 1M too with
//! HANOI_BENCH_1M=1. Also prints the time to the first (partial) and the complete answer,
//! which is what the search pane shows, and how long after the last key the complete
//! answer comes when keys come faster than searches finish, or a query is pasted.

use std::hint::black_box;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver};
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
        for typed in TYPED {
            bursts(&conference, statements, typed);
        }
    }
}

/// Types `typed` into a real search worker, a key at a time, waiting for each complete
/// answer as the pane would: prints per-keystroke latency (to the first answer and to
/// the complete one), median and 95th percentile over several rounds, and each key's
/// median to the complete answer.
fn typing(conference: &Arc<Conference>, statements: usize, typed: &str) {
    let (woken, wakes) = mpsc::channel();
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
        answered(&worker, &wakes, request(generation, RESET));
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

/// A query that matches nothing, so that what is typed next starts from scratch.
const RESET: &str = "zzzzqqq";

/// Sends `request` and waits for its complete answer; when it came.
fn answered(worker: &SearchWorker, wakes: &Receiver<()>, request: SearchRequest) -> Instant {
    let generation = request.generation;
    worker.submit(request);
    wait_complete(worker, wakes, generation)
}

/// Waits for the complete answer to `generation`; when it came.
fn wait_complete(worker: &SearchWorker, wakes: &Receiver<()>, generation: u64) -> Instant {
    loop {
        wakes.recv().expect("the worker answers");
        let answers = worker.answers();
        if (answers.iter()).any(|a| a.generation == generation && a.complete) {
            return Instant::now();
        }
    }
}

/// Types `typed` faster than searches finish, with keys `gap` apart (or pasted at
/// once), waiting only for the complete answer to the whole of it: prints how long
/// after the last key it came (median and worst of five rounds, each from scratch).
fn bursts(conference: &Arc<Conference>, statements: usize, typed: &str) {
    let (woken, wakes) = mpsc::channel();
    let worker = SearchWorker::spawn(Arc::clone(conference), move || {
        let _ = woken.send(());
    });
    let mut generation = 0;
    let mut figures = Vec::new();
    for gap_ms in [0, 50, 80, 120] {
        let mut latencies = Vec::new();
        for _round in 0..5 {
            generation += 1;
            answered(&worker, &wakes, request(generation, RESET));
            let prefixes = match gap_ms {
                0 => vec![typed],
                _ => (1..=typed.len()).map(|end| &typed[..end]).collect(),
            };
            let mut last_key = Instant::now();
            for (k, prefix) in prefixes.into_iter().enumerate() {
                if k > 0 {
                    std::thread::sleep(Duration::from_millis(gap_ms));
                }
                generation += 1;
                last_key = Instant::now();
                worker.submit(request(generation, prefix));
            }
            latencies.push(wait_complete(&worker, &wakes, generation) - last_key);
        }
        let how = match gap_ms {
            0 => "pasted".to_owned(),
            gap => format!("keys {gap} ms apart"),
        };
        figures.push(format!(
            "{how} {:?} / {:?}",
            percentile(&mut latencies, 50),
            percentile(&mut latencies, 100)
        ));
    }
    println!(
        "typing {typed:?} fast at {statements} statements, last key to complete answer (median / worst): {}",
        figures.join(", ")
    );
}

fn percentile(samples: &mut [Duration], p: usize) -> Duration {
    samples.sort_unstable();
    samples[(samples.len() * p / 100).min(samples.len() - 1)]
}

criterion_group!(benches, search);
criterion_main!(benches);
