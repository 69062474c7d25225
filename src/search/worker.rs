//! Searching off the UI thread. The loop hands each query to a worker thread and goes on
//! reading keys; the worker answers with results and a wake-up. A newer query cancels
//! the one running (the scan checks between chunks), and a query that only narrows the
//! last one (more letters typed) looks only at that query's matches, starting from the
//! last one's best as a floor; letters typed at the end of a lone fuzzy term also carry
//! each match's reach (see [`super::reach`]).
//!
//! On a large index the worker answers twice: first with the best of the first
//! [`FIRST_BATCH`] items, so something shows at once, then with the complete results.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};

use super::reach::Reach;
use super::score::is_subsequence;
use super::{Candidates, Hit, Match, Query, Scored, SearchIndex, Term, best, join_reaches};
use crate::dataset::Conference;

/// Items scanned before the first, partial answer.
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

/// The matches of the last completed query, kept to narrow the next one.
struct Previous {
    query: Query,
    /// Index positions of every match, in index order.
    matches: Vec<u32>,
    /// The query's reach in each match, if its scan tracked them and one is known (see
    /// [`Scan::reaches`]); empty otherwise.
    ///
    /// [`Scan::reaches`]: super::Scan::reaches
    reaches: Vec<Reach>,
    /// The index positions of its best matches.
    best: Vec<u32>,
}

/// Runs `request` on `index` to completion, calling `publish` with each answer: one, or
/// two when more than `first_batch` items are to be scanned. Returns `None` if
/// `cancelled` said so midway. With `kept`, narrows from the last query's matches kept
/// there when it can, and keeps this one's for the next.
fn execute(
    index: &SearchIndex,
    request: &SearchRequest,
    first_batch: usize,
    kept: Option<&mut Option<Previous>>,
    cancelled: &(dyn Fn() -> bool + Sync),
    publish: &mut dyn FnMut(SearchResults),
) -> Option<()> {
    let mut prepared = index.prepare(&request.query);
    if kept.is_some() {
        prepared.track_reaches();
    }
    let mut none = None;
    let previous = kept.unwrap_or(&mut none);
    let narrowed = previous
        .as_ref()
        .filter(|p| narrows(&request.query, &p.query));
    // Letters typed at the end of a lone fuzzy term carry its reach in each match.
    let extending = narrowed.filter(|p| !p.reaches.is_empty()).and_then(|p| {
        Some((
            extended_chars(&request.query, &p.query)?,
            p.reaches.as_slice(),
        ))
    });
    let narrowed = narrowed.map(|p| p.matches.as_slice());
    let total = narrowed.map_or(index.len(), <[u32]>::len);
    let only = |range: std::ops::Range<usize>| -> Candidates {
        let orders = narrowed.map_or(&[][..], |orders| &orders[range.clone()]);
        match extending {
            Some((shorter_chars, reaches)) => Candidates::Extending {
                orders,
                reaches: reaches.get(range).unwrap_or_default(),
                shorter_chars,
            },
            None => Candidates::Only(orders),
        }
    };
    let answer = |best: &[Scored], matched: usize, complete: bool| SearchResults {
        generation: request.generation,
        hits: index.hits(&prepared, best),
        matched,
        complete,
    };
    let large = total > first_batch;
    let (first, rest) = match (large, narrowed) {
        (true, Some(_)) => (only(0..first_batch), only(first_batch..total)),
        (true, None) => (
            Candidates::Range(0..first_batch),
            Candidates::Range(first_batch..total),
        ),
        (false, Some(_)) => (only(0..total), Candidates::Only(&[])),
        (false, None) => (Candidates::All, Candidates::Only(&[])),
    };
    // The best of the query this narrows are among its candidates and often still rank
    // high: what ranks below the worst of them need not be scored. Not in the first part
    // of a large index, whose early answer shows its own best.
    let floor = previous
        .as_ref()
        .filter(|_| narrowed.is_some())
        .and_then(|p| index.floor(&prepared, &p.best, request.limit));
    let first_floor = if large { None } else { floor };
    let mut scan = index.scan(&prepared, &first, request.limit, first_floor, cancelled)?;
    if large {
        publish(answer(&scan.best, scan.matched.len(), false));
        // Nor what ranks below the worst of the first part's best, if that is higher.
        let first_worst = scan
            .best
            .last()
            .filter(|_| scan.best.len() == request.limit);
        let floor = first_worst
            .copied()
            .into_iter()
            .chain(floor)
            .min_by_key(Scored::rank);
        let more = index.scan(&prepared, &rest, request.limit, floor, cancelled)?;
        // Both parts list their matches in index order, the first part's before the rest's.
        let before = scan.matched.len();
        if !(scan.reaches.is_empty() && more.reaches.is_empty()) {
            scan.reaches
                .reserve_exact(before + more.matched.len() - scan.reaches.len());
        }
        join_reaches(&mut scan.reaches, before, &more.reaches, more.matched.len());
        scan.matched.reserve_exact(more.matched.len());
        scan.matched.extend(more.matched);
        scan.best.extend(more.best);
        best(&mut scan.best, request.limit);
    }
    publish(answer(&scan.best, scan.matched.len(), true));
    *previous = Some(Previous {
        query: request.query.clone(),
        matches: scan.matched,
        reaches: scan.reaches,
        best: scan.best.iter().map(|scored| scored.order).collect(),
    });
    Some(())
}

/// Runs `request` on the calling thread; the complete answer.
pub fn search_now(index: &SearchIndex, request: &SearchRequest) -> SearchResults {
    let mut last = None;
    execute(
        index,
        request,
        usize::MAX,
        None,
        &|| false,
        &mut |results| last = Some(results),
    );
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
                    let mut previous = None;
                    while let Ok(mut request) = inbox.recv() {
                        // Only the newest of the queries typed meanwhile matters.
                        while let Ok(newer) = inbox.try_recv() {
                            request = newer;
                        }
                        let generation = request.generation;
                        let cancelled = || latest.load(Ordering::Relaxed) != generation;
                        let _ = execute(
                            &index,
                            &request,
                            FIRST_BATCH,
                            Some(&mut previous),
                            &cancelled,
                            &mut |answer| {
                                if outbox.send(answer).is_ok() {
                                    wake();
                                }
                            },
                        );
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
    use super::*;
    use crate::search::parse;

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
        let mut previous = None;
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
            execute(
                &index,
                &request,
                500,
                Some(&mut previous),
                &|| false,
                &mut |r| answers.push(r),
            )
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
        execute(&index, &request, 1_000, None, &|| false, &mut |r| {
            answers.push(r)
        })
        .expect("ran");
        assert_eq!(answers.len(), 2);
        assert!(!answers[0].complete && answers[1].complete);
        assert!(answers[0].matched <= answers[1].matched);
        assert_eq!(answers[1], search_now(&index, &request));
        let mut none = Vec::new();
        assert!(
            execute(&index, &request, 1_000, None, &|| true, &mut |r| none
                .push(r))
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
