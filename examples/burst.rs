use hanoi_tui::dataset::Conference;
use hanoi_tui::search::parse;
use hanoi_tui::search::worker::{SearchRequest, SearchWorker};
use hanoi_tui::synthetic::generate;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn req(g: u64, t: &str) -> SearchRequest {
    SearchRequest {
        generation: g,
        query: parse(t).unwrap(),
        limit: 200,
    }
}

fn main() {
    let n: usize = std::env::args().nth(1).unwrap().parse().unwrap();
    let typed: Vec<String> = std::env::args()
        .skip(2)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let gaps: Vec<u64> = std::env::var("GAPS")
        .unwrap_or("0,30,50,80,120,9999".into())
        .split(',')
        .map(|s| s.parse().unwrap())
        .collect();
    let conference = Arc::new(Conference::from_dataset(generate(n, 1), "synthetic").unwrap());
    let (woken, wakes) = std::sync::mpsc::channel();
    let worker = SearchWorker::spawn(conference, move || {
        let _ = woken.send(());
    });
    let mut g = 0;
    let wait = |g: u64| -> Instant {
        loop {
            wakes.recv().unwrap();
            if worker
                .answers()
                .iter()
                .any(|a| a.generation == g && a.complete)
            {
                return Instant::now();
            }
        }
    };
    g += 1;
    worker.submit(req(g, "zzzzqqq"));
    wait(g);
    for word in &typed {
        for gap in gaps.clone() {
            let mut lat = Vec::new();
            for _ in 0..7 {
                g += 1;
                worker.submit(req(g, "zzzzqqq"));
                wait(g);
                let starts: Vec<usize> = if gap == 0 {
                    vec![word.len()]
                } else {
                    (1..=word.len()).collect()
                };
                let mut last = Instant::now();
                for (k, &end) in starts.iter().enumerate() {
                    if k > 0 {
                        if gap == 9999 {
                            wait(g);
                        } else {
                            std::thread::sleep(Duration::from_millis(gap));
                        }
                    }
                    g += 1;
                    last = Instant::now();
                    worker.submit(req(g, &word[..end]));
                }
                let done = wait(g);
                lat.push(done - last);
            }
            lat.sort();
            println!(
                "{word:>8} gap {gap:>3} ms: last key -> complete median {:?} max {:?}",
                lat[3], lat[6]
            );
        }
    }
}
