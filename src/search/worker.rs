//! Searching off the UI thread. The loop hands each query to a worker thread and goes on
//! reading keys; the worker answers with results and a wake-up. A newer query cancels
//! the one running (the scan checks between stretches of the index). The worker keeps,
//! stretch by stretch, the matches of the last query that scanned each ([`Known`]), a
//! cancelled search's included, and the next search starts where a cancelled one
//! stopped: where a query only narrows that one (more letters typed) it looks only at
//! its matches, and letters typed at the end of a lone fuzzy term also carry each
//! match's reach (see [`super::reach`]). The last search's best set a floor.
//!
//! When more than [`FIRST_BATCH`] items are to be looked at, the worker answers twice:
//! first with the best of the first stretches it scans that hold that many, so
//! something shows at once, then with the complete results.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};

use super::reach::Reach;
use super::score::is_subsequence;
use super::{CHUNK, Candidates, Found, Hit, Match, Query, Scored, SearchIndex, Term, best};
use crate::dataset::Conference;

/// About how many items are looked at before the first, partial answer, when there are
/// more.
pub const FIRST_BATCH: usize = 65_536;

/// A query to run; the newest generation wins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    pub generation: u64,
    pub query: Query,
    pub limit: usize,
}

/// The answer to a request: the best hits so far and how many items matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchResults {
    pub generation: u64,
    pub hits: Vec<Hit>,
    pub matched: usize,
    /// False for the early answer from the first part of a large index.
    pub complete: bool,
}

/// How a search is cut up: the index positions in a stretch, scanned at a time and kept
/// by [`Known`]; and how many candidates make a search large enough to answer early, once
/// the first stretches holding that many are scanned.
#[derive(Debug, Clone, Copy)]
struct Sizes {
    stretch: usize,
    first_batch: usize,
}

const WORKER_SIZES: Sizes = Sizes {
    stretch: CHUNK,
    first_batch: FIRST_BATCH,
};

/// What the worker knows from the searches it ran, stretch by stretch of the index: the
/// matches there of the last query that scanned all of it. A search cancelled midway
/// (a key typed before it finished) leaves what it finished for the next, which starts
/// where it stopped: typed faster than searches finish, each key's search takes up
/// the work rather than starting over.
struct Known {
    sizes: Sizes,
    /// Whether searches work out each match's reach for the next query: a worker's do,
    /// a one-off search's need not.
    tracks_reaches: bool,
    /// One per stretch, in index order; `None` where no query has scanned it yet.
    stretches: Vec<Option<Stretch>>,
    /// The index positions of the best matches of the last search, finished or not.
    best: Vec<u32>,
    /// The stretch the next search scans first: the first the last one did not finish.
    resume: usize,
}

/// The matches in one stretch of the index of the last query that scanned it.
struct Stretch {
    query: Arc<Query>,
    /// Index positions, in index order.
    matches: Vec<u32>,
    /// The query's reach in each match, if its scan tracked them and one is known (see
    /// [`Scan::reaches`]); empty otherwise.
    ///
    /// [`Scan::reaches`]: super::Scan::reaches
    reaches: Vec<Reach>,
}

impl Known {
    /// Nothing known yet, for searches whose findings are kept for the next query.
    fn new(index: &SearchIndex, sizes: Sizes) -> Self {
        Self {
            sizes,
            tracks_reaches: true,
            stretches: std::iter::repeat_with(|| None)
                .take(index.len().div_ceil(sizes.stretch))
                .collect(),
            best: Vec::new(),
            resume: 0,
        }
    }

    /// Nothing known, for one search whose findings are thrown away.
    fn one_off(index: &SearchIndex, sizes: Sizes) -> Self {
        Self {
            tracks_reaches: false,
            ..Self::new(index, sizes)
        }
    }

    /// The stretches in the order a search scans them: from [`Known::resume`] on.
    fn scan_order(&self) -> Vec<usize> {
        let count = self.stretches.len();
        (0..count).map(|k| (self.resume + k) % count).collect()
    }

    /// What `query` need look at in stretch `k`: the matches there of a query it
    /// narrows, with their reaches when it extends that query's lone fuzzy term; else
    /// all of it.
    fn candidates(&self, k: usize, query: &Query, index_len: usize) -> Candidates<'_> {
        let stretch = self.sizes.stretch;
        match &self.stretches[k] {
            Some(known) if narrows(query, &known.query) => {
                match extended_chars(query, &known.query) {
                    Some(shorter_chars) if !known.reaches.is_empty() => Candidates::Extending {
                        orders: &known.matches,
                        reaches: &known.reaches,
                        shorter_chars,
                    },
                    _ => Candidates::Only(&known.matches),
                }
            }
            _ => Candidates::Range(k * stretch..((k + 1) * stretch).min(index_len)),
        }
    }

    /// Keeps what a search of `query` found in the stretches it scanned, in `order`, as
    /// far as it went, and has the next search start from the first it did not finish.
    fn record(&mut self, query: &Arc<Query>, order: &[usize], found: Vec<Option<Found>>) {
        let mut unfinished = None;
        for (&k, found) in order.iter().zip(found) {
            match found {
                Some(found) => {
                    self.stretches[k] = Some(Stretch {
                        query: Arc::clone(query),
                        matches: found.matched,
                        reaches: found.reaches,
                    });
                }
                None => {
                    unfinished.get_or_insert(k);
                }
            }
        }
        if let Some(k) = unfinished {
            self.resume = k;
        }
    }
}

/// Runs `request` on `index`, calling `publish` with each answer: one, or two when it
/// has more candidates than [`Sizes::first_batch`]. Returns `None` if `cancelled`
/// said so midway. Looks at only what it must of each stretch from what earlier
/// searches found there, as `known` keeps it, and keeps there what this one finds,
/// finished or not.
fn execute(
    index: &SearchIndex,
    request: &SearchRequest,
    known: &mut Known,
    cancelled: &(dyn Fn() -> bool + Sync),
    publish: &mut dyn FnMut(SearchResults),
) -> Option<()> {
    let mut prepared = index.prepare(&request.query);
    if known.tracks_reaches {
        prepared.track_reaches();
    }
    let first_batch = known.sizes.first_batch;
    let limit = request.limit;
    let order = known.scan_order();
    // The best of the last search, if they match this query, often still rank high:
    // what ranks below the worst of them need not be scored. Not in the first part of
    // a large search, whose early answer shows its own best.
    let floor = index.floor(&prepared, &known.best, limit);
    let parts: Vec<Candidates> = (order.iter())
        .map(|&k| known.candidates(k, &request.query, index.len()))
        .collect();
    let total: usize = parts.iter().map(Candidates::len).sum();
    let large = total > first_batch;
    // The first part of a large search: its first stretches, up to the one that takes
    // the count of candidates to `first_batch`.
    let first_count = match large {
        true => {
            let mut before = 0;
            (parts.iter())
                .take_while(|part| {
                    let starts_below = before < first_batch;
                    before += part.len();
                    starts_below
                })
                .count()
        }
        false => parts.len(),
    };
    let (first, rest) = parts.split_at(first_count);
    let first_floor = if large { None } else { floor };
    let mut scan = index.scan_parts(&prepared, first, limit, first_floor, cancelled);
    let answer = |best: &[Scored], matched: usize, complete: bool| SearchResults {
        generation: request.generation,
        hits: index.hits(&prepared, best),
        matched,
        complete,
    };
    if large && scan.is_complete() {
        publish(answer(&scan.best, scan.matched(), false));
        // Nor what ranks below the worst of the first part's best, if that is higher.
        let first_worst = scan.best.last().filter(|_| scan.best.len() == limit);
        let floor = (first_worst.copied().into_iter())
            .chain(floor)
            .min_by_key(Scored::rank);
        let more = index.scan_parts(&prepared, rest, limit, floor, cancelled);
        scan.best.extend(more.best);
        best(&mut scan.best, limit);
        scan.parts.extend(more.parts);
    }
    scan.parts.resize_with(parts.len(), || None);
    drop(parts);
    let complete = scan.is_complete();
    if complete {
        publish(answer(&scan.best, scan.matched(), true));
    }
    known.best = scan.best.iter().map(|scored| scored.order).collect();
    known.record(&Arc::new(request.query.clone()), &order, scan.parts);
    complete.then_some(())
}

/// Runs `request` on the calling thread; the complete answer.
pub fn search_now(index: &SearchIndex, request: &SearchRequest) -> SearchResults {
    let mut last = None;
    let sizes = Sizes {
        stretch: CHUNK,
        first_batch: usize::MAX,
    };
    let mut known = Known::one_off(index, sizes);
    execute(index, request, &mut known, &|| false, &mut |results| {
        last = Some(results)
    });
    last.unwrap_or(SearchResults {
        generation: request.generation,
        hits: Vec::new(),
        matched: 0,
        complete: true,
    })
}

/// Whether every item matching `new` also matches `old`, so `new` need only look at
/// `old`'s matches: each term of `old` is implied by a term of `new`.
pub fn narrows(new: &Query, old: &Query) -> bool {
    new.case_sensitive == old.case_sensitive
        && old
            .terms
            .iter()
            .all(|o| new.terms.iter().any(|n| implies(n, o)))
}

/// If `new` is `old` with chars typed at the end of its one term, a fuzzy term looked
/// for anywhere, and nothing else changed: how many chars `old`'s term has.
fn extended_chars(new: &Query, old: &Query) -> Option<usize> {
    let (new_text, old_text) = (new.lone_fuzzy_text()?, old.lone_fuzzy_text()?);
    let longer = new_text.len() > old_text.len() && new_text.starts_with(old_text);
    (longer && new.case_sensitive == old.case_sensitive && filters(new) == filters(old))
        .then(|| old_text.chars().count())
}

/// The query's terms other than text terms: kinds and dates.
fn filters(query: &Query) -> Vec<&Term> {
    (query.terms.iter())
        .filter(|t| !matches!(t, Term::Text { .. }))
        .collect()
}

fn implies(new: &Term, old: &Term) -> bool {
    if new == old {
        return true;
    }
    let (
        Term::Text {
            text: new_text,
            how: new_how,
            field: new_field,
            negated: false,
        },
        Term::Text {
            text: old_text,
            how: old_how,
            field: old_field,
            negated: false,
        },
    ) = (new, old)
    else {
        // Exclusions, kinds and dates narrow only when unchanged.
        return false;
    };
    // A term limited to a field matches a subset of the places an unlimited one does.
    let same_places = old_field.is_none() || new_field == old_field;
    let contiguous = *new_how != Match::Fuzzy;
    same_places
        && match old_how {
            // Chars in order in the new text are in order wherever the new text is.
            Match::Fuzzy => is_subsequence(old_text, new_text),
            Match::Substring => contiguous && new_text.contains(old_text.as_str()),
            Match::Prefix => {
                matches!(new_how, Match::Prefix | Match::Whole)
                    && new_text.starts_with(old_text.as_str())
            }
            Match::Suffix => {
                matches!(new_how, Match::Suffix | Match::Whole)
                    && new_text.ends_with(old_text.as_str())
            }
            Match::Whole => *new_how == Match::Whole && new_text == old_text,
        }
}

/// A thread that builds the index (so start-up does not wait for it) and runs queries.
pub struct SearchWorker {
    requests: Option<Sender<SearchRequest>>,
    results: Receiver<SearchResults>,
    latest: Arc<AtomicU64>,
    /// Set once the worker has built its index.
    indexed: Arc<AtomicBool>,
}

impl SearchWorker {
    /// Starts the worker on `conference`; `wake` is called after each answer is sent, to
    /// wake the loop that reads them.
    pub fn spawn(conference: Arc<Conference>, wake: impl Fn() + Send + 'static) -> Self {
        let (requests, inbox) = mpsc::channel::<SearchRequest>();
        let (outbox, results) = mpsc::channel();
        let latest = Arc::new(AtomicU64::new(0));
        let indexed = Arc::new(AtomicBool::new(false));
        {
            let latest = Arc::clone(&latest);
            let indexed = Arc::clone(&indexed);
            // If the thread cannot start, searches get no answer; the pane says it is
            // searching, and everything else works.
            let _ = std::thread::Builder::new()
                .name("search".into())
                .spawn(move || {
                    let index = SearchIndex::new(conference);
                    indexed.store(true, Ordering::Relaxed);
                    let mut known = Known::new(&index, WORKER_SIZES);
                    while let Ok(mut request) = inbox.recv() {
                        // Only the newest of the queries typed meanwhile matters.
                        while let Ok(newer) = inbox.try_recv() {
                            request = newer;
                        }
                        let generation = request.generation;
                        let cancelled = || latest.load(Ordering::Relaxed) != generation;
                        let _ = execute(&index, &request, &mut known, &cancelled, &mut |answer| {
                            if outbox.send(answer).is_ok() {
                                wake();
                            }
                        });
                    }
                });
        }
        Self {
            requests: Some(requests),
            results,
            latest,
            indexed,
        }
    }

    /// Asks for `request`, cancelling any older one still running.
    pub fn submit(&self, request: SearchRequest) {
        self.latest.store(request.generation, Ordering::Relaxed);
        if let Some(requests) = &self.requests {
            let _ = requests.send(request);
        }
    }

    /// Answers received since the last call.
    pub fn answers(&self) -> Vec<SearchResults> {
        self.results.try_iter().collect()
    }

    /// Whether the index is built (searches before that wait for it).
    pub fn ready(&self) -> bool {
        self.indexed.load(Ordering::Relaxed)
    }
}

impl Drop for SearchWorker {
    fn drop(&mut self) {
        // Cancel what runs and close the inbox so the thread ends; quitting does not wait
        // for it (an index of a million statements takes a while to build).
        self.latest.store(u64::MAX, Ordering::Relaxed);
        self.requests = None;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicUsize;

    use super::*;
    use crate::search::parse;

    /// Stretches small enough that a test's few thousand items make many, and an
    /// early answer after the first few.
    const SMALL_SIZES: Sizes = Sizes {
        stretch: 97,
        first_batch: 500,
    };

    fn narrows_str(new: &str, old: &str) -> bool {
        narrows(&parse(new).expect("valid"), &parse(old).expect("valid"))
    }

    #[test]
    fn typing_more_narrows_and_editing_does_not() {
        assert!(narrows_str("coop", "co"));
        assert!(narrows_str("co op", "co"));
        assert!(narrows_str("cp", "c"));
        assert!(narrows_str("'coop", "cop"));
        assert!(narrows_str("speaker:pham", "pham"));
        assert!(narrows_str("^coop", "^co"));
        assert!(narrows_str("!x kind:verbatim y", "!x kind:verbatim"));
        assert!(!narrows_str("co", "coop"), "shorter is wider");
        assert!(!narrows_str("pham", "speaker:pham"), "unlimited is wider");
        assert!(
            !narrows_str("!xy", "!x"),
            "a longer exclusion excludes less"
        );
        assert!(!narrows_str("'coop", "'cop"), "cop is not in coop");
        assert!(!narrows_str("coop", "'co"), "fuzzy does not imply exact");
        assert!(!narrows_str("Co", "co"), "case changes the folding");
        assert!(!narrows_str("speaker:p", "speaker"));
    }

    /// Narrowed searches must find exactly what a fresh search finds: typing words,
    /// letters found only scattered (which carry their reaches), with a filter, with
    /// capitals, and after editing (a char deleted, a letter typed in the middle).
    #[test]
    fn narrowed_results_equal_fresh_results() {
        let conference = Arc::new(crate::test_support::synthetic_conference(3_000));
        let index = SearchIndex::new(conference);
        let mut known = Known::new(&index, SMALL_SIZES);
        let mut queries: Vec<String> = Vec::new();
        for typed in [
            "hop tac cooperation",
            "cprtnl",
            "kind:verbatim dlgt",
            "Tprtn",
        ] {
            queries.extend((1..=typed.len()).map(|end| typed[..end].to_owned()));
        }
        queries.extend(["cprt", "cprtn", "cpxrtn", "cprtn"].map(str::to_owned));
        for typed in queries {
            // The pane searches only for valid queries ("kind:v" is not one).
            let Ok(query) = parse(&typed) else {
                continue;
            };
            let request = SearchRequest {
                generation: 1,
                query,
                limit: 50,
            };
            let mut answers = Vec::new();
            execute(&index, &request, &mut known, &|| false, &mut |r| {
                answers.push(r)
            })
            .expect("not cancelled");
            // The early answer shows the best of the first part, however many.
            for early in answers.iter().filter(|a| !a.complete) {
                assert_eq!(early.hits.len(), early.matched.min(50), "{typed:?}");
            }
            assert_eq!(
                answers.pop(),
                Some(search_now(&index, &request)),
                "after {typed:?}"
            );
        }
    }

    /// Searches cancelled midway, as keys typed faster than searches finish cancel
    /// them, keep what they finished for the next search, which starts where they
    /// stopped; whatever they finished, a search that completes finds exactly what a
    /// fresh one finds.
    #[test]
    fn cancelled_searches_keep_what_they_finished_and_later_ones_still_agree() {
        let conference = Arc::new(crate::test_support::synthetic_conference(3_000));
        let index = SearchIndex::new(conference);
        let mut known = Known::new(&index, SMALL_SIZES);
        let typed = [
            "c",
            "cp",
            "cpr",
            "cprt",
            "cprtn",
            "cprt",
            "cprtnl",
            "co",
            "coop",
            "coopr",
            "kind:verbatim dlgt",
            "dlgtn",
            "dlgtns",
            "hop tac",
            "hop tac c",
        ];
        let (mut cancelled_searches, mut completed) = (0, 0);
        for (i, text) in typed.iter().enumerate() {
            let request = SearchRequest {
                generation: 1,
                query: parse(text).expect("valid"),
                limit: 50,
            };
            // Every third search finishes; the others are cancelled after a few parts
            // (the scan asks once before each part), some in the first, some after.
            let allowed = if i % 3 == 2 { usize::MAX } else { 2 + 4 * i };
            let asked = AtomicUsize::new(0);
            let cancelled = || asked.fetch_add(1, Ordering::Relaxed) >= allowed;
            let mut answers = Vec::new();
            let finished = execute(&index, &request, &mut known, &cancelled, &mut |r| {
                answers.push(r)
            });
            if finished.is_some() {
                completed += 1;
                assert_eq!(
                    answers.pop(),
                    Some(search_now(&index, &request)),
                    "{text:?}"
                );
                continue;
            }
            cancelled_searches += 1;
            assert!(answers.iter().all(|a| !a.complete), "{text:?}");
            let kept = (known.stretches.iter().flatten())
                .filter(|stretch| *stretch.query == request.query)
                .count();
            assert!(
                kept >= allowed.min(known.stretches.len()) && kept < known.stretches.len(),
                "{text:?}: {kept} stretches kept"
            );
            assert!(
                known.stretches[known.resume]
                    .as_ref()
                    .is_none_or(|stretch| *stretch.query != request.query),
                "{text:?}: the next search starts where this one stopped"
            );
        }
        assert!(cancelled_searches >= 5 && completed >= 5);
    }

    #[test]
    fn letters_typed_at_the_end_of_a_lone_fuzzy_term_extend_it() {
        let extended = |new: &str, old: &str| {
            extended_chars(&parse(new).expect("valid"), &parse(old).expect("valid"))
        };
        assert_eq!(extended("cprt", "cpr"), Some(3));
        assert_eq!(extended("cprtn", "cp"), Some(2));
        assert_eq!(extended("hợp", "hợ"), Some(2), "counted in chars");
        assert_eq!(extended("kind:verbatim cprt", "kind:verbatim cpr"), Some(3));
        assert_eq!(extended("cpr", "cpr"), None, "nothing added");
        assert_eq!(extended("cxpr", "cpr"), None, "not at the end");
        assert_eq!(extended("cp", "cpr"), None);
        assert_eq!(extended("cpr x", "cpr"), None, "two terms");
        assert_eq!(extended("'cprt", "'cpr"), None, "exact");
        assert_eq!(extended("speaker:cprt", "speaker:cpr"), None, "a field");
        assert_eq!(extended("!cprt", "!cpr"), None);
        assert_eq!(
            extended("kind:verbatim cprt", "cpr"),
            None,
            "a filter added"
        );
        assert_eq!(extended("Cprt", "cpr"), None, "the case rule changed");
    }

    #[test]
    fn a_large_index_answers_early_then_completely_and_a_cancelled_search_stops() {
        let conference = Arc::new(crate::test_support::synthetic_conference(3_000));
        let index = SearchIndex::new(conference);
        let request = SearchRequest {
            generation: 7,
            query: parse("coop").expect("valid"),
            limit: 10,
        };
        let mut answers = Vec::new();
        let mut one_off = Known::one_off(&index, SMALL_SIZES);
        execute(&index, &request, &mut one_off, &|| false, &mut |r| {
            answers.push(r)
        })
        .expect("ran");
        assert_eq!(answers.len(), 2);
        assert!(!answers[0].complete && answers[1].complete);
        assert!(answers[0].matched <= answers[1].matched);
        assert_eq!(answers[1], search_now(&index, &request));
        let mut none = Vec::new();
        assert!(
            execute(
                &index,
                &request,
                &mut Known::one_off(&index, SMALL_SIZES),
                &|| true,
                &mut |r| none.push(r)
            )
            .is_none()
        );
        assert!(none.is_empty());
    }

    #[test]
    fn the_worker_answers_the_newest_request() {
        let conference = Arc::new(crate::test_support::explorer_conference());
        let (woken, wakes) = mpsc::channel();
        let worker = SearchWorker::spawn(Arc::clone(&conference), move || {
            let _ = woken.send(());
        });
        let index = SearchIndex::new(conference);
        let request = |generation, text: &str| SearchRequest {
            generation,
            query: parse(text).expect("valid"),
            limit: 10,
        };
        worker.submit(request(1, "greet"));
        worker.submit(request(2, "closing"));
        let mut last = None;
        while last
            .as_ref()
            .is_none_or(|r: &SearchResults| r.generation != 2)
        {
            wakes.recv().expect("the worker wakes the loop");
            if let Some(answer) = worker.answers().pop() {
                last = Some(answer);
            }
        }
        assert!(worker.ready());
        assert_eq!(last, Some(search_now(&index, &request(2, "closing"))));
    }
}
