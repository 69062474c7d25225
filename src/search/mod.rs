//! Ranked search over statements, speakers and sessions, shared by `hanoi-tui search` and
//! the search pane so both always agree.
//!
//! A query (see [`query`]) is a list of terms that must all hold; fuzzy terms are scored
//! by fuzzy-matcher's SkimMatcherV2, and a term found as one unbroken substring scores
//! above any scattered match. A term scores the best of the places it may match (the text
//! a row shows, with a small bonus, then speaker, country, session, tags…); an item's
//! score is the sum of its terms' scores; equal scores keep dataset order.
//!
//! Built for archives of a million statements:
//! - every text is folded (case, diacritics) once, into one buffer: statement texts come
//!   folded with the dataset ([`crate::dataset::Words`]), tags are folded here; only the
//!   lowercase fold is kept for statements, and a case-sensitive query re-folds just the
//!   candidates a lowercase test let through;
//! - what statements share (their speaker's names, their session's title) is scored once
//!   per speaker and session, not once per statement;
//! - a cheap look at each text ([`score::Needle::estimate`]) rules most texts out, scores
//!   unbroken occurrences exactly (their score depends only on the char before them, so
//!   the scorer runs once per query for them), and bounds scattered ones;
//! - a scattered match is scored only when its bound could still place it among the best
//!   `limit` found so far ([`top::TopK`]): once that many unbroken hits are found,
//!   scattered ones are counted, not scored; it is scored by SkimMatcherV2's score worked
//!   out without its matrix or allocations ([`skim`]), and SkimMatcherV2 itself scores
//!   only the best a scan returns;
//! - letters typed at the end of a lone fuzzy term bound each match's score from the
//!   last query's scoring ([`reach`]), and the last query's best, scored again, set a
//!   floor below which nothing is scored ([`SearchIndex::floor`]);
//! - the scan runs on every core, in chunks, and can be abandoned between chunks; the
//!   search worker keeps what the chunks it finished found, for the next query
//!   ([`worker`]);
//! - highlights are computed only for the hits returned.

mod folds;
pub mod query;
mod reach;
mod score;
mod shared;
mod skim;
mod top;
pub mod worker;

use std::cmp::Reverse;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::dataset::{Conference, Item};
use crate::text::{Folded, lowercase_first};
use folds::TagFolds;
pub use query::{Field, Match, Query, QueryError, Term, parse};
use reach::{Extension, Reach};
pub use score::SUBSTRING_BONUS;
use score::{Estimate, Needle, Precision};
use shared::SharedScores;
use top::TopK;

/// Added when a term matches the text a row shows, so a speaker named "Delegate B"
/// ranks above the statements that only match through their speaker's name.
const SHOWN_BONUS: i64 = 10;

/// Items scanned between two looks at whether the search is still wanted; also the
/// index positions in each stretch the search worker keeps matches for.
pub(super) const CHUNK: usize = 8_192;

/// One result: which item, how well it matched, and which characters of its shown text
/// (statement text, speaker name or session title) matched, as char indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub item: Item,
    pub score: i64,
    pub highlights: Vec<usize>,
}

/// A matching item before it is turned into a [`Hit`]: its score and its position in
/// the index (statements, then speakers, then sessions, each in dataset order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scored {
    pub score: i64,
    pub order: u32,
}

impl Scored {
    /// Best first; equal scores in dataset order.
    fn rank(&self) -> (Reverse<i64>, u32) {
        (Reverse(self.score), self.order)
    }
}

struct SpeakerTexts {
    name: Folded,
    native_name: Option<Folded>,
    affiliation: Option<Folded>,
    role: Option<Folded>,
}

struct SessionTexts {
    title: Folded,
    /// Venue, time of day, description: words that find the session itself.
    others: Vec<Folded>,
    date: String,
}

/// The folded text of every searchable item, built once per dataset.
pub struct SearchIndex {
    conference: Arc<Conference>,
    /// Each statement's tags, folded.
    tags: TagFolds,
    speakers: Vec<SpeakerTexts>,
    sessions: Vec<SessionTexts>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SearchIndex({} items)", self.len())
    }
}

/// A text term, with what the scan needs precomputed.
struct TextTerm {
    needle: Needle,
    /// The needle lowercased, to rule statements out on their lowercase fold when the
    /// query is case-sensitive.
    lower: Needle,
    field: Option<Field>,
    negated: bool,
    /// Its place in the query's text terms, to look up its [`SharedScores`].
    slot: usize,
}

/// A query made ready for scanning; see [`SearchIndex::prepare`].
pub struct Prepared<'q> {
    case_sensitive: bool,
    filters: Vec<&'q Term>,
    texts: Vec<TextTerm>,
    shared: Shared,
    /// About the most an item scores with its fuzzy terms matched only scattered; see
    /// [`SearchIndex::consider`].
    scattered_ceiling: i64,
    /// Whether the scan works out each statement text's [`Reach`], for the query typed
    /// next (see [`Prepared::track_reaches`]).
    tracks_reach: bool,
    /// Whether the query is one that letters typed at its end extend: one fuzzy term
    /// looked for anywhere.
    extendable: bool,
}

impl Prepared<'_> {
    /// Has scans work out each match's [`Reach`] ([`Scan::reaches`]) if the query is one
    /// that letters typed extend: what a search that keeps its matches for the next
    /// query asks for, and a one-off search does not pay for.
    pub fn track_reaches(&mut self) {
        self.tracks_reach = self.extendable;
    }
}

/// Each text term's best score on each speaker's parts and each session's title.
#[derive(Debug, Default)]
struct Shared {
    speakers: SharedScores,
    sessions: SharedScores,
}

/// What a scan found: every match, and the best of them.
#[derive(Debug, Default)]
pub struct Scan {
    /// Index positions of every match, in the order the candidates were given.
    pub matched: Vec<u32>,
    /// If the query tracks it and one is known, the term's [`Reach`] in each match's
    /// shown text (unknown for speakers and sessions), in the same order; empty
    /// otherwise.
    pub reaches: Vec<Reach>,
    /// The best `limit` matches, best first.
    pub best: Vec<Scored>,
}

/// What a scan found in one part of its candidates (see [`SearchIndex::scan_parts`]).
#[derive(Debug, Default)]
pub struct Found {
    /// Index positions of the part's matches, in the order its candidates were given.
    pub matched: Vec<u32>,
    /// Their reaches, as [`Scan::reaches`] holds them: one per match, or none.
    pub reaches: Vec<Reach>,
}

/// What a scan of several parts found, as far as it went.
#[derive(Debug, Default)]
pub struct PartsScan {
    /// Each part's matches, in the order the parts were given; `None` for a part the
    /// scan did not finish.
    pub parts: Vec<Option<Found>>,
    /// The best `limit` matches of the parts finished, best first.
    pub best: Vec<Scored>,
}

impl PartsScan {
    /// Whether every part was finished.
    pub fn is_complete(&self) -> bool {
        self.parts.iter().all(Option::is_some)
    }

    /// How many matches the parts finished hold.
    pub fn matched(&self) -> usize {
        (self.parts.iter().flatten())
            .map(|part| part.matched.len())
            .sum()
    }
}

impl SearchIndex {
    pub fn new(conference: Arc<Conference>) -> Self {
        let data = &conference.data;
        let tags = TagFolds::new(conference.statements());
        let fold_all = |texts: &[&Option<String>]| -> Vec<Folded> {
            texts
                .iter()
                .filter_map(|t| t.as_deref())
                .map(Folded::new)
                .collect()
        };
        let speakers = data
            .speakers
            .iter()
            .map(|speaker| SpeakerTexts {
                name: Folded::new(&speaker.name),
                native_name: speaker.native_name.as_deref().map(Folded::new),
                affiliation: speaker.affiliation.as_deref().map(Folded::new),
                role: speaker.role.as_deref().map(Folded::new),
            })
            .collect();
        let sessions = data
            .sessions
            .iter()
            .map(|session| SessionTexts {
                title: Folded::new(&session.title),
                others: fold_all(&[&session.venue, &session.time_of_day, &session.description]),
                date: session.date.to_string(),
            })
            .collect();
        Self {
            tags,
            speakers,
            sessions,
            conference,
        }
    }

    pub fn conference(&self) -> &Arc<Conference> {
        &self.conference
    }

    /// Every item, as candidates for a scan.
    pub fn everything(&self) -> Candidates<'static> {
        Candidates::Range(0..self.len())
    }

    /// How many items can be found: statements, speakers and sessions.
    pub fn len(&self) -> usize {
        self.conference.statements().len() + self.speakers.len() + self.sessions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes the index holds beyond the dataset, for memory reports.
    pub fn heap_bytes(&self) -> usize {
        let folded =
            |f: &Folded| f.lower.capacity() + f.marks_removed.capacity() + f.origin.capacity() * 8;
        self.tags.heap_bytes()
            + self
                .speakers
                .iter()
                .map(|s| {
                    folded(&s.name)
                        + [&s.native_name, &s.affiliation, &s.role]
                            .iter()
                            .filter_map(|f| f.as_ref())
                            .map(folded)
                            .sum::<usize>()
                })
                .sum::<usize>()
            + self
                .sessions
                .iter()
                .map(|s| folded(&s.title) + s.others.iter().map(folded).sum::<usize>())
                .sum::<usize>()
    }

    /// Parses `input` and searches; see [`SearchIndex::search`].
    pub fn search_str(&self, input: &str, limit: usize) -> Result<Vec<Hit>, QueryError> {
        Ok(self.search(&parse(input)?, limit))
    }

    /// The best `limit` hits for `query`, best first; an empty query matches nothing.
    pub fn search(&self, query: &Query, limit: usize) -> Vec<Hit> {
        if query.is_empty() || limit == 0 {
            return Vec::new();
        }
        let prepared = self.prepare(query);
        // Only the best are wanted: the matches are not joined into one list.
        let parts = self.everything().split(CHUNK);
        let scanned = self.scan_parts(&prepared, &parts, limit, None, &|| false);
        self.hits(&prepared, &scanned.best)
    }

    /// Scores what statements share (speakers, sessions) once for the whole query.
    pub fn prepare<'q>(&self, query: &'q Query) -> Prepared<'q> {
        let case = query.case_sensitive;
        let mut prepared = Prepared {
            case_sensitive: case,
            filters: Vec::new(),
            texts: Vec::new(),
            shared: Shared::default(),
            scattered_ceiling: 0,
            tracks_reach: false,
            extendable: query.lone_fuzzy_text().is_some(),
        };
        for term in &query.terms {
            let Term::Text {
                text,
                how,
                field,
                negated,
            } = term
            else {
                prepared.filters.push(term);
                continue;
            };
            let lower: String = text.chars().map(lowercase_first).collect();
            prepared.texts.push(TextTerm {
                needle: Needle::new(text, *how),
                lower: Needle::new(&lower, *how),
                field: *field,
                negated: *negated,
                slot: 0,
            });
        }
        // An item is ruled out by its first term that does not hold: look first for the
        // terms that hold least often, guessed to be the longest, and exclusions last.
        prepared
            .texts
            .sort_by_key(|t| (t.negated, Reverse(t.needle.len())));
        for (slot, term) in prepared.texts.iter_mut().enumerate() {
            term.slot = slot;
        }
        prepared.scattered_ceiling = (prepared.texts.iter())
            .filter(|t| !t.negated)
            .map(|t| t.needle.scattered_ceiling() + SHOWN_BONUS)
            .sum();
        let terms = &prepared.texts;
        prepared.shared = Shared {
            speakers: SharedScores::new(self.speakers.len(), terms.len(), |t, speaker| {
                self.speaker_parts_best(&terms[t], speaker, case)
            }),
            sessions: SharedScores::new(self.sessions.len(), terms.len(), |t, session| {
                allows(terms[t].field, Field::Session)
                    .then(|| self.folded_score(&self.sessions[session].title, &terms[t], case))
                    .flatten()
            }),
        };
        prepared
    }

    /// Every item among `candidates` that matches and the best `limit` of them that rank
    /// no lower than `floor` (see [`SearchIndex::floor`]), or `None` if `cancelled` said
    /// so between two chunks. Uses every available core.
    pub fn scan(
        &self,
        prepared: &Prepared,
        candidates: &Candidates,
        limit: usize,
        floor: Option<Scored>,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Option<Scan> {
        let parts = candidates.split(CHUNK);
        let scanned = self.scan_parts(prepared, &parts, limit, floor, cancelled);
        let found: Vec<Found> = scanned.parts.into_iter().collect::<Option<_>>()?;
        // Sized at once: at a million statements these hold most of them, and a vector
        // grown by doubling could take twice the room.
        let total = found.iter().map(|part| part.matched.len()).sum();
        let any_known = found.iter().any(|part| !part.reaches.is_empty());
        let mut matched = Vec::with_capacity(total);
        let mut reaches = Vec::with_capacity(if any_known { total } else { 0 });
        for part in found {
            join_reaches(
                &mut reaches,
                matched.len(),
                &part.reaches,
                part.matched.len(),
            );
            matched.extend(part.matched);
        }
        Some(Scan {
            matched,
            reaches,
            best: scanned.best,
        })
    }

    /// Scans each of `parts` as [`SearchIndex::scan`] scans its candidates, a part at a
    /// time on every available core, until `cancelled` says so between two parts: what
    /// each part finished holds, and the best `limit` of the matches in the parts
    /// finished, scored by SkimMatcherV2 itself if every part was.
    pub fn scan_parts(
        &self,
        prepared: &Prepared,
        parts: &[Candidates],
        limit: usize,
        floor: Option<Scored>,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> PartsScan {
        let next_part = AtomicUsize::new(0);
        // Each thread keeps its own best: the overall best are among the threads' best.
        let worker = || -> ThreadScan {
            let mut found = Vec::new();
            let mut top = TopK::above(limit, floor);
            loop {
                let part = next_part.fetch_add(1, Ordering::Relaxed);
                if part >= parts.len() || cancelled() {
                    return ThreadScan { found, top };
                }
                found.push((part, self.scan_part(prepared, &parts[part], &mut top)));
            }
        };
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(parts.len())
            .max(1);
        let threads_found = if threads == 1 {
            vec![worker()]
        } else {
            std::thread::scope(|scope| {
                let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(worker)).collect();
                let mut found = vec![worker()];
                // A helper that panicked finished none of its parts.
                found.extend(helpers.into_iter().filter_map(|h| h.join().ok()));
                found
            })
        };
        let mut scanned = PartsScan {
            parts: std::iter::repeat_with(|| None).take(parts.len()).collect(),
            best: Vec::new(),
        };
        for thread in threads_found {
            for (part, found) in thread.found {
                scanned.parts[part] = Some(found);
            }
            scanned.best.extend(thread.top.into_vec());
        }
        best(&mut scanned.best, limit);
        if scanned.is_complete() {
            self.confirm(prepared, &mut scanned.best);
        }
        scanned
    }

    /// The matches among one part's candidates, each offered to `top` if it may rank
    /// there, with their reaches if the query tracks them.
    fn scan_part(&self, prepared: &Prepared, candidates: &Candidates, top: &mut TopK) -> Found {
        let total = candidates.len();
        let order_at = |i: usize| match candidates {
            Candidates::Range(range) => range.start + i,
            Candidates::Only(orders) | Candidates::Extending { orders, .. } => orders[i] as usize,
        };
        let extension = match candidates {
            Candidates::Extending { shorter_chars, .. } if prepared.tracks_reach => {
                Extension::new(prepared.texts[0].needle.text(), *shorter_chars)
            }
            _ => None,
        };
        let carried_at = |i: usize| {
            prepared
                .tracks_reach
                .then(|| match (candidates, &extension) {
                    // None known for the matches (`reaches` empty): nothing carried.
                    (Candidates::Extending { reaches, .. }, Some(extension)) => reaches
                        .get(i)
                        .map_or(Reach::UNKNOWN, |&r| extension.apply(r)),
                    _ => Reach::UNKNOWN,
                })
        };
        // Sized for every candidate and trimmed after, rather than grown by doubling:
        // a worker keeps each part's matches for the next query.
        let mut found = Found {
            matched: Vec::with_capacity(total),
            reaches: Vec::new(),
        };
        for i in 0..total {
            let order = order_at(i);
            if let Some(reach) = self.consider(prepared, order, carried_at(i), top) {
                found.matched.push(order as u32);
                let one = std::slice::from_ref(&reach);
                join_reaches(&mut found.reaches, found.matched.len() - 1, one, 1);
            }
        }
        found.matched.shrink_to_fit();
        found.reaches.shrink_to_fit();
        found
    }

    /// Whether the item at `order` matches, with the term's reach in its shown text if
    /// the scan tracks it (`carried`, the reach carried from the query this one extends,
    /// is then `Some`); if it may rank among `top`, it is scored and offered to it. A
    /// scattered match's score is the scan's scorer's ([`Precision::Tight`]), which is
    /// SkimMatcherV2's; [`SearchIndex::confirm`] has SkimMatcherV2 itself score the best
    /// a scan returns.
    #[inline]
    fn consider(
        &self,
        prepared: &Prepared,
        order: usize,
        carried: Option<Reach>,
        top: &mut TopK,
    ) -> Option<Reach> {
        // Positions in the index fit in u32 (`Scan::matched` holds them so).
        let position = order as u32;
        // The cheap look first, and the scorer only where its bound may still rank the
        // item among the best. But while the best so far would take even a match scattered
        // in every fuzzy term, that bound rules nothing out and the cheap look is done
        // twice for nothing: scattered-only letters (`cprtn`) spend a tenth of their time
        // so. Only for a query of one text term: with more, a later term (`!the`, a rare
        // word) would often rule out an item the scorer had already read. Which look
        // comes first changes the time taken, never the results. A reach carried from the
        // query before may rule the shown text out too, which only the cheap look uses.
        let carried_ceiling = carried.and_then(Reach::ceiling);
        let margin = if carried_ceiling.is_some() {
            reach::REFRESH_MARGIN
        } else {
            0
        };
        let first_look = if prepared.texts.len() == 1
            && top.admits(prepared.scattered_ceiling, position)
            && carried_ceiling.is_none_or(|c| top.admits(c + SHOWN_BONUS + margin, position))
        {
            Precision::Tight
        } else {
            Precision::Estimate
        };
        // With one term, the item's score is the term's: one its shown text cannot reach
        // (the worst of the best so far, less the bonus for the shown text) need not be
        // worked out there, only bounded.
        let floor = match prepared.texts.len() {
            1 => top.least_kept().map(|least| least - SHOWN_BONUS),
            _ => None,
        };
        let (score, reach) = match self.evaluate(prepared, order, first_look, carried, floor) {
            (Estimate::Absent, _) => return None,
            (Estimate::Exact(score), reach) => (score, reach),
            // A close look's score, or a bound below the floor, which `top` refuses.
            (Estimate::AtMost(score), reach) if first_look == Precision::Tight => (score, reach),
            (Estimate::AtMost(bound), reach) if !top.admits(bound + margin, position) => {
                return Some(reach);
            }
            (Estimate::AtMost(_), _) => {
                match self.evaluate(prepared, order, Precision::Tight, carried, floor) {
                    // The cheap look found the letters in order and the scorer does not:
                    // trust the scorer.
                    (Estimate::Absent, _) => return None,
                    (Estimate::Exact(score) | Estimate::AtMost(score), reach) => (score, reach),
                }
            }
        };
        top.offer(Scored {
            score,
            order: position,
        });
        Some(reach)
    }

    /// The worst of the best `limit` of `orders` for the query, ranked as a scan ranks
    /// them, if `limit` of them match. The best `limit` of any items `orders` are among
    /// rank no lower, so a scan of those items need not score a match that cannot rank
    /// above it. Worth it for items likely to rank high: the best of the last query, say.
    pub fn floor(&self, prepared: &Prepared, orders: &[u32], limit: usize) -> Option<Scored> {
        let mut scored: Vec<Scored> = (orders.iter())
            .filter_map(|&order| {
                match self
                    .evaluate(prepared, order as usize, Precision::Tight, None, None)
                    .0
                {
                    Estimate::Absent => None,
                    Estimate::Exact(score) | Estimate::AtMost(score) => {
                        Some(Scored { score, order })
                    }
                }
            })
            .collect();
        best(&mut scored, limit);
        scored
            .last()
            .copied()
            .filter(|_| scored.len() == limit && limit > 0)
    }

    /// Scores `chosen` with SkimMatcherV2 itself and ranks them again. The scan ranked
    /// them by its scorers' scores, which are SkimMatcherV2's (tests check them on
    /// any text), so this changes nothing unless one of them is wrong; it makes sure that
    /// every score shown is SkimMatcherV2's, and costs a scorer run per result rather
    /// than one per match that entered the best along the way.
    fn confirm(&self, prepared: &Prepared, chosen: &mut [Scored]) {
        for scored in chosen.iter_mut() {
            let evaluated = self.evaluate(
                prepared,
                scored.order as usize,
                Precision::Exact,
                None,
                None,
            );
            let confirmed = match evaluated.0 {
                Estimate::Exact(score) => Some(score),
                Estimate::AtMost(_) | Estimate::Absent => None,
            };
            debug_assert_eq!(
                confirmed,
                Some(scored.score),
                "the scan's scorer and SkimMatcherV2 disagree on item {}",
                scored.order
            );
            scored.score = confirmed.unwrap_or(scored.score);
        }
        chosen.sort_unstable_by_key(Scored::rank);
    }

    /// Hits for the chosen matches, in the order given, with their highlights.
    pub fn hits(&self, prepared: &Prepared, chosen: &[Scored]) -> Vec<Hit> {
        chosen
            .iter()
            .map(|scored| {
                let item = self.item(scored.order as usize);
                Hit {
                    item,
                    score: scored.score,
                    highlights: self.highlights(prepared, item),
                }
            })
            .collect()
    }

    fn item(&self, order: usize) -> Item {
        let statements = self.conference.statements().len();
        let speakers = self.speakers.len();
        if order < statements {
            Item::Statement(order)
        } else if order < statements + speakers {
            Item::Speaker(order - statements)
        } else {
            Item::Session(order - statements - speakers)
        }
    }

    /// The item's score, as closely as asked, if every term holds (absent otherwise),
    /// and the last term's reach in the item's shown text (see [`Look::carried`]):
    /// unknown unless `carried` asks for it, which only a query of one term does. With
    /// `floor` (see [`Look::floor`]), a score below it may come as a bound.
    #[inline]
    fn evaluate(
        &self,
        prepared: &Prepared,
        order: usize,
        precision: Precision,
        carried: Option<Reach>,
        floor: Option<i64>,
    ) -> (Estimate, Reach) {
        let item = self.item(order);
        if !prepared.filters.iter().all(|f| self.passes(f, item)) {
            return (Estimate::Absent, Reach::UNKNOWN);
        }
        let look = Look {
            case: prepared.case_sensitive,
            precision,
            shared: &prepared.shared,
            carried,
            floor,
        };
        let mut total = Estimate::Exact(0);
        let mut reach = Reach::UNKNOWN;
        for term in &prepared.texts {
            match (self.term_score(term, item, look), term.negated) {
                ((Estimate::Absent, _), true) => {}
                (_, true) | ((Estimate::Absent, _), false) => {
                    return (Estimate::Absent, Reach::UNKNOWN);
                }
                ((score, term_reach), false) => {
                    total = total.and(score);
                    reach = term_reach;
                }
            }
        }
        (total, reach)
    }

    fn passes(&self, filter: &Term, item: Item) -> bool {
        match filter {
            Term::Kind { kind, negated } => {
                let is = match item {
                    Item::Statement(i) => self.conference.statements().kind(i) == *kind,
                    _ => false,
                };
                is != *negated
            }
            Term::Date { prefix, negated } => {
                let date = match item {
                    Item::Statement(i) => {
                        Some(&self.sessions[self.conference.session_index(i)].date)
                    }
                    Item::Session(i) => Some(&self.sessions[i].date),
                    _ => None,
                };
                date.is_some_and(|d| d.starts_with(prefix.as_str())) != *negated
            }
            Term::Text { .. } => true,
        }
    }

    /// A term's best score on an item: the shown text (with its bonus) or another part;
    /// and its reach in the shown text.
    #[inline]
    fn term_score(&self, term: &TextTerm, item: Item, look: Look) -> (Estimate, Reach) {
        let (shown, reach) = self.shown_score(term, item, look);
        let best = shown
            .plus(SHOWN_BONUS)
            .or(self.other_parts_best(term, item, look));
        (best, reach)
    }

    /// The term's score on the text the item's row shows, if it may match there, and
    /// its reach there (unknown but in a statement's text).
    #[inline]
    fn shown_score(&self, term: &TextTerm, item: Item, look: Look) -> (Estimate, Reach) {
        if !looks_in_shown_text(term.field, item) {
            return (Estimate::Absent, Reach::UNKNOWN);
        }
        let named = |folded: &Folded| {
            let score = self.folded_score(folded, term, look.case);
            (Estimate::from_score(score), Reach::UNKNOWN)
        };
        match item {
            Item::Statement(i) => self.statement_text_score(
                self.conference.statements().words().folded(i),
                || self.conference.statements().text(i),
                term,
                look,
            ),
            Item::Speaker(i) => named(&self.speakers[i].name),
            Item::Session(i) => named(&self.sessions[i].title),
            Item::Source(_) | Item::Dispute(_) => (Estimate::Absent, Reach::UNKNOWN),
        }
    }

    /// The term's best score on the item's parts other than its shown text.
    fn other_parts_best(&self, term: &TextTerm, item: Item, look: Look) -> Estimate {
        // A carried reach, and the floor, are the shown text's.
        let look = Look {
            carried: None,
            floor: None,
            ..look
        };
        let anywhere = term.field.is_none();
        let exact = |score: Option<i64>| Estimate::from_score(score);
        match item {
            Item::Statement(i) => {
                let speaker = look
                    .shared
                    .speakers
                    .get(self.conference.speaker_index(i), term.slot);
                let session = look
                    .shared
                    .sessions
                    .get(self.conference.session_index(i), term.slot);
                let shared = exact(speaker.max(session));
                if !anywhere {
                    return shared;
                }
                // The statement's extras are looked up only when it has tags: most have
                // none, and a look-up for each of a million statements would cost.
                let tags = self.tags.of(i);
                let first = tags.start;
                tags.fold(shared, |best, tag| {
                    let original = || {
                        let extras = self.conference.statements().extras(i);
                        extras.map_or_else(String::new, |e| e.tags[tag - first].clone())
                    };
                    let (tag_score, _) =
                        self.statement_text_score(self.tags.get(tag), original, term, look);
                    best.or(tag_score)
                })
            }
            Item::Speaker(i) => {
                let role = self.speakers[i].role.as_ref().filter(|_| anywhere);
                exact(
                    look.shared
                        .speakers
                        .get(i, term.slot)
                        .max(role.and_then(|r| self.folded_score(r, term, look.case))),
                )
            }
            Item::Session(i) => {
                let others = self.sessions[i].others.iter().filter(|_| anywhere);
                exact(
                    look.shared.sessions.get(i, term.slot).max(
                        others
                            .filter_map(|o| self.folded_score(o, term, look.case))
                            .max(),
                    ),
                )
            }
            Item::Source(_) | Item::Dispute(_) => Estimate::Absent,
        }
    }

    fn speaker_parts_best(&self, term: &TextTerm, speaker: usize, case: bool) -> Option<i64> {
        let texts = &self.speakers[speaker];
        let names = [Some(&texts.name), texts.native_name.as_ref()]
            .into_iter()
            .flatten()
            .filter(|_| allows(term.field, Field::Speaker));
        let country = texts
            .affiliation
            .as_ref()
            .filter(|_| allows(term.field, Field::Country));
        names
            .chain(country)
            .filter_map(|folded| self.folded_score(folded, term, case))
            .max()
    }

    fn folded_score(&self, folded: &Folded, term: &TextTerm, case: bool) -> Option<i64> {
        let hay = if case {
            &folded.marks_removed
        } else {
            &folded.lower
        };
        term.needle.score(hay)
    }

    /// Scores a statement's text (or tag) from its stored lowercase fold; a
    /// case-sensitive term re-folds the original, but only once the lowercase fold shows
    /// it can match. With the term's reach there, as [`Needle::look_reaching`] gives it.
    #[inline]
    fn statement_text_score(
        &self,
        lower: &str,
        original: impl FnOnce() -> String,
        term: &TextTerm,
        look: Look,
    ) -> (Estimate, Reach) {
        if !look.case {
            return (term.needle).look_reaching(lower, look.precision, look.carried, look.floor);
        }
        if term.lower.estimate(lower) == Estimate::Absent {
            return (Estimate::Absent, Reach::UNKNOWN);
        }
        let case_kept = Folded::new(&original()).marks_removed;
        (term.needle).look_reaching(&case_kept, look.precision, look.carried, look.floor)
    }

    /// Char indices of the item's shown text that matched: for each term whose best
    /// match is in the shown text (a term that matched only the speaker's name lights
    /// up nothing in a statement's text).
    fn highlights(&self, prepared: &Prepared, item: Item) -> Vec<usize> {
        let case = prepared.case_sensitive;
        let folded = Folded::new(&self.conference.shown_text(item));
        let hay = if case {
            &folded.marks_removed
        } else {
            &folded.lower
        };
        let mut highlights = Vec::new();
        for term in prepared
            .texts
            .iter()
            .filter(|t| !t.negated && looks_in_shown_text(t.field, item))
        {
            let Some((score, indices)) = term.needle.score_with_indices(hay) else {
                continue;
            };
            let exactly = Look {
                case,
                precision: Precision::Exact,
                shared: &prepared.shared,
                carried: None,
                floor: None,
            };
            let others = match self.other_parts_best(term, item, exactly) {
                Estimate::Exact(score) | Estimate::AtMost(score) => Some(score),
                Estimate::Absent => None,
            };
            if Some(score + SHOWN_BONUS) >= others {
                highlights.extend(folded.original_indices(&indices));
            }
        }
        highlights.sort_unstable();
        highlights.dedup();
        highlights
    }
}

/// What one thread of a scan found: each part it finished, by its place among the
/// parts, and the best of their matches.
struct ThreadScan {
    found: Vec<(usize, Found)>,
    top: TopK,
}

/// Which items a scan looks at.
pub enum Candidates<'a> {
    /// Positions in the index: all of them ([`SearchIndex::everything`]), or a stretch
    /// of them.
    Range(std::ops::Range<usize>),
    /// The matches of a query this one narrows (see [`worker`]).
    Only(&'a [u32]),
    /// The matches of a query of one fuzzy term that this one's term extends at its end
    /// (see [`worker`]), with that term's [`Reach`] in each, as its scan gave them (one
    /// per match, or none where none is known), and that term's length in chars.
    Extending {
        orders: &'a [u32],
        reaches: &'a [Reach],
        shorter_chars: usize,
    },
}

impl<'a> Candidates<'a> {
    /// How many items there are.
    fn len(&self) -> usize {
        match self {
            Candidates::Range(range) => range.len(),
            Candidates::Only(orders) | Candidates::Extending { orders, .. } => orders.len(),
        }
    }

    /// The candidates in parts of `size` (the last one shorter), in order.
    fn split(&self, size: usize) -> Vec<Candidates<'a>> {
        let starts = (0..self.len()).step_by(size.max(1));
        let part = |start: usize| {
            let end = (start + size).min(self.len());
            match self {
                Candidates::Range(range) => {
                    Candidates::Range(range.start + start..range.start + end)
                }
                Candidates::Only(orders) => Candidates::Only(&orders[start..end]),
                Candidates::Extending {
                    orders,
                    reaches,
                    shorter_chars,
                } => Candidates::Extending {
                    orders: &orders[start..end],
                    // None known: none for any part.
                    reaches: reaches.get(start..end).unwrap_or_default(),
                    shorter_chars: *shorter_chars,
                },
            }
        };
        starts.map(part).collect()
    }
}

/// Appends the reaches of `added` matches (empty if all unknown) to those of the
/// `before` matches ahead of them (empty if all unknown): one per match once any is
/// known, so that a word found unbroken everywhere, which knows none, keeps none.
pub(super) fn join_reaches(reaches: &mut Vec<Reach>, before: usize, more: &[Reach], added: usize) {
    let known = |reaches: &[Reach]| reaches.iter().any(|reach| reach.ceiling().is_some());
    if reaches.is_empty() && !known(more) {
        return;
    }
    reaches.resize(before, Reach::UNKNOWN);
    match more.is_empty() {
        true => reaches.resize(before + added, Reach::UNKNOWN),
        false => reaches.extend_from_slice(more),
    }
}

/// Keeps the best `limit` of `matches`, best first, selecting before sorting.
pub fn best(matches: &mut Vec<Scored>, limit: usize) {
    if matches.len() > limit && limit > 0 {
        matches.select_nth_unstable_by_key(limit - 1, Scored::rank);
    }
    matches.truncate(limit);
    matches.sort_unstable_by_key(Scored::rank);
}

fn allows(field: Option<Field>, part: Field) -> bool {
    field.is_none_or(|f| f == part)
}

/// Whether a term looked for in `field` (anywhere, if `None`) looks in the text `item`'s
/// row shows: `speaker:` in a speaker's name, `session:` in a session's title. Such a
/// match ranks the item above the items that only share it (a speaker above their
/// statements) and is highlighted.
fn looks_in_shown_text(field: Option<Field>, item: Item) -> bool {
    match (field, item) {
        (None, _) => true,
        (Some(Field::Speaker), Item::Speaker(_)) | (Some(Field::Session), Item::Session(_)) => true,
        (Some(_), _) => false,
    }
}

/// How a scan looks at texts: with the query's case rule, exactly or cheaply.
#[derive(Debug, Clone, Copy)]
struct Look<'p> {
    case: bool,
    precision: Precision,
    shared: &'p Shared,
    /// Whether to work out the term's reach in a statement's shown text (`Some`), and
    /// the reach there carried from the query this one extends, which bounds a scattered
    /// match the cheap look finds.
    carried: Option<Reach>,
    /// A score in a statement's shown text that need not be worked out if the term
    /// cannot reach it there: a bound below it will do (see [`Needle::look_reaching`]).
    floor: Option<i64>,
}

#[cfg(test)]
mod tests;
