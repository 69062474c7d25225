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
//! - every text is folded (case, diacritics) once, into one buffer ([`texts`]); only the
//!   lowercase fold is kept for statements, and a case-sensitive query re-folds just the
//!   candidates a lowercase test let through;
//! - what statements share (their speaker's names, their session's title) is scored once
//!   per speaker and session, not once per statement;
//! - a byte-level test rules out most texts before the scorer runs ([`score::may_match`]);
//! - the scan runs on every core, in chunks, and can be abandoned between chunks;
//! - the best `limit` are selected without sorting every match, and highlights are
//!   computed only for those.

pub mod query;
mod score;
mod texts;
pub mod worker;

use std::cmp::Reverse;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::dataset::{Conference, Item};
use crate::text::Folded;
pub use query::{Field, Match, Query, QueryError, Term, parse};
pub use score::SUBSTRING_BONUS;
use score::{Scorer, may_match};
use texts::Texts;

/// Added when a term matches the text a row shows, so a speaker named "Delegate B"
/// ranks above the statements that only match through their speaker's name.
const SHOWN_BONUS: i64 = 10;

/// Items scanned between two looks at whether the search is still wanted.
const CHUNK: usize = 8_192;

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
    /// Each statement's text, folded and lowercased.
    statement_texts: Texts,
    /// Every statement's tags, folded and lowercased, statement after statement;
    /// statement `i`'s are `tag_ends[i - 1]..tag_ends[i]`.
    tags: Texts,
    tag_ends: Vec<u32>,
    speakers: Vec<SpeakerTexts>,
    sessions: Vec<SessionTexts>,
    scorer: Scorer,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SearchIndex({} items)", self.len())
    }
}

/// A text term, with what the scan needs precomputed.
struct TextTerm<'q> {
    text: &'q str,
    /// `text` lowercased, to rule statements out on their lowercase fold even when the
    /// query is case-sensitive.
    lower: String,
    how: Match,
    field: Option<Field>,
    negated: bool,
    /// Per speaker: the best score over the speaker's parts this term may match.
    speaker_best: Vec<Option<i64>>,
    /// Per session: the score on its title, if this term may match there.
    session_best: Vec<Option<i64>>,
}

/// A query made ready for scanning; see [`SearchIndex::prepare`].
pub struct Prepared<'q> {
    case_sensitive: bool,
    filters: Vec<&'q Term>,
    texts: Vec<TextTerm<'q>>,
}

impl SearchIndex {
    pub fn new(conference: Arc<Conference>) -> Self {
        let data = &conference.data;
        let text_bytes = data.statements.iter().map(|s| s.text.len()).sum();
        let mut statement_texts = Texts::with_capacity(data.statements.len(), text_bytes);
        let mut tags = Texts::default();
        let mut tag_ends = Vec::with_capacity(data.statements.len());
        for statement in &data.statements {
            statement_texts.push(&Folded::new(&statement.text).lower);
            for tag in &statement.tags {
                tags.push(&Folded::new(tag).lower);
            }
            tag_ends.push(u32::try_from(tags.len()).unwrap_or(u32::MAX));
        }
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
            statement_texts,
            tags,
            tag_ends,
            speakers,
            sessions,
            scorer: Scorer::default(),
            conference,
        }
    }

    pub fn conference(&self) -> &Arc<Conference> {
        &self.conference
    }

    /// How many items can be found: statements, speakers and sessions.
    pub fn len(&self) -> usize {
        self.statement_texts.len() + self.speakers.len() + self.sessions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes the index holds beyond the dataset, for memory reports.
    pub fn heap_bytes(&self) -> usize {
        let folded =
            |f: &Folded| f.lower.capacity() + f.marks_removed.capacity() + f.origin.capacity() * 8;
        self.statement_texts.heap_bytes()
            + self.tags.heap_bytes()
            + self.tag_ends.capacity() * 4
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
        let mut matches = self
            .scan(&prepared, &Candidates::All, &|| false)
            .unwrap_or_default();
        best(&mut matches, limit);
        self.hits(&prepared, &matches)
    }

    /// Scores what statements share (speakers, sessions) once for the whole query.
    pub fn prepare<'q>(&self, query: &'q Query) -> Prepared<'q> {
        let case = query.case_sensitive;
        let mut prepared = Prepared {
            case_sensitive: case,
            filters: Vec::new(),
            texts: Vec::new(),
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
            let mut term = TextTerm {
                text,
                lower: text.chars().map(lowercase_char).collect(),
                how: *how,
                field: *field,
                negated: *negated,
                speaker_best: Vec::new(),
                session_best: Vec::new(),
            };
            term.speaker_best = (0..self.speakers.len())
                .map(|s| self.speaker_parts_best(&term, s, case))
                .collect();
            term.session_best = self
                .sessions
                .iter()
                .map(|s| {
                    allows(term.field, Field::Session)
                        .then(|| self.folded_score(&s.title, &term, case))
                        .flatten()
                })
                .collect();
            prepared.texts.push(term);
        }
        prepared
    }

    /// Every item among `candidates` that matches, in no particular order, or `None` if
    /// `cancelled` said so between two chunks. Uses every available core.
    pub fn scan(
        &self,
        prepared: &Prepared,
        candidates: &Candidates,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Option<Vec<Scored>> {
        let total = match candidates {
            Candidates::All => self.len(),
            Candidates::Range(range) => range.len(),
            Candidates::Only(orders) => orders.len(),
        };
        let order_at = |i: usize| match candidates {
            Candidates::All => i,
            Candidates::Range(range) => range.start + i,
            Candidates::Only(orders) => orders[i] as usize,
        };
        let next_chunk = AtomicUsize::new(0);
        let worker = || -> Option<Vec<Scored>> {
            let mut found = Vec::new();
            loop {
                let start = next_chunk.fetch_add(CHUNK, Ordering::Relaxed);
                if start >= total {
                    return Some(found);
                }
                if cancelled() {
                    return None;
                }
                for i in start..(start + CHUNK).min(total) {
                    let order = order_at(i);
                    if let Some(score) = self.score(prepared, order) {
                        found.push(Scored {
                            score,
                            order: order as u32,
                        });
                    }
                }
            }
        };
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(total.div_ceil(CHUNK))
            .max(1);
        if threads == 1 {
            return worker();
        }
        std::thread::scope(|scope| {
            let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(worker)).collect();
            let mut all = worker()?;
            for helper in helpers {
                all.extend(helper.join().ok()??);
            }
            Some(all)
        })
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
        let statements = self.statement_texts.len();
        let speakers = self.speakers.len();
        if order < statements {
            Item::Statement(order)
        } else if order < statements + speakers {
            Item::Speaker(order - statements)
        } else {
            Item::Session(order - statements - speakers)
        }
    }

    /// The item's score if every term holds.
    fn score(&self, prepared: &Prepared, order: usize) -> Option<i64> {
        let item = self.item(order);
        for filter in &prepared.filters {
            if !self.passes(filter, item) {
                return None;
            }
        }
        // Rule the item out on every term's cheap test before scoring any term: the
        // scorer is the costly part, and a later term is often the selective one.
        if !prepared
            .texts
            .iter()
            .all(|term| term.negated || self.may_hold(term, item))
        {
            return None;
        }
        let mut total = 0;
        for term in &prepared.texts {
            let best = self.term_score(term, item, prepared.case_sensitive);
            match (best, term.negated) {
                (Some(_), true) | (None, false) => return None,
                (None, true) => {}
                (Some(score), false) => total += score,
            }
        }
        Some(total)
    }

    fn passes(&self, filter: &Term, item: Item) -> bool {
        match filter {
            Term::Kind { kind, negated } => {
                let is = match item {
                    Item::Statement(i) => self.conference.data.statements[i].kind == *kind,
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

    /// False when the term cannot match the item anywhere; true when it may (a statement's
    /// text and tags get the byte-level test, what it shares with others is known).
    fn may_hold(&self, term: &TextTerm, item: Item) -> bool {
        let Item::Statement(i) = item else {
            return true;
        };
        term.speaker_best[self.conference.speaker_index(i)].is_some()
            || term.session_best[self.conference.session_index(i)].is_some()
            || term.field.is_none()
                && (may_match(self.statement_texts.get(i), &term.lower, term.how)
                    || !self.conference.data.statements[i].tags.is_empty())
    }

    /// A term's best score on an item: the shown text (with its bonus) or another part.
    fn term_score(&self, term: &TextTerm, item: Item, case: bool) -> Option<i64> {
        let shown = self.shown_score(term, item, case).map(|s| s + SHOWN_BONUS);
        shown.max(self.other_parts_best(term, item, case))
    }

    /// The term's score on the text the item's row shows, if it may match there.
    fn shown_score(&self, term: &TextTerm, item: Item, case: bool) -> Option<i64> {
        if term.field.is_some() {
            return None;
        }
        match item {
            Item::Statement(i) => self.statement_text_score(
                self.statement_texts.get(i),
                &self.conference.data.statements[i].text,
                term,
                case,
            ),
            Item::Speaker(i) => self.folded_score(&self.speakers[i].name, term, case),
            Item::Session(i) => self.folded_score(&self.sessions[i].title, term, case),
            Item::Source(_) | Item::Dispute(_) => None,
        }
    }

    /// The term's best score on the item's parts other than its shown text.
    fn other_parts_best(&self, term: &TextTerm, item: Item, case: bool) -> Option<i64> {
        let anywhere = term.field.is_none();
        match item {
            Item::Statement(i) => {
                let speaker = term.speaker_best[self.conference.speaker_index(i)];
                let session = term.session_best[self.conference.session_index(i)];
                let tags = if anywhere {
                    let tags = &self.conference.data.statements[i].tags;
                    let first = if i == 0 {
                        0
                    } else {
                        self.tag_ends[i - 1] as usize
                    };
                    tags.iter()
                        .enumerate()
                        .filter_map(|(k, tag)| {
                            self.statement_text_score(self.tags.get(first + k), tag, term, case)
                        })
                        .max()
                } else {
                    None
                };
                speaker.max(session).max(tags)
            }
            Item::Speaker(i) => {
                let role = self.speakers[i].role.as_ref().filter(|_| anywhere);
                term.speaker_best[i].max(role.and_then(|r| self.folded_score(r, term, case)))
            }
            Item::Session(i) => {
                let others = self.sessions[i].others.iter().filter(|_| anywhere);
                term.session_best[i].max(
                    others
                        .filter_map(|o| self.folded_score(o, term, case))
                        .max(),
                )
            }
            Item::Source(_) | Item::Dispute(_) => None,
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
        self.scorer.score(hay, term.text, term.how)
    }

    /// Scores a statement's text (or tag) from its stored lowercase fold; a
    /// case-sensitive term re-folds the original, but only once the lowercase fold shows
    /// it can match.
    fn statement_text_score(
        &self,
        lower: &str,
        original: &str,
        term: &TextTerm,
        case: bool,
    ) -> Option<i64> {
        if !case {
            return self.scorer.score(lower, term.text, term.how);
        }
        if !may_match(lower, &term.lower, term.how) {
            return None;
        }
        self.scorer
            .score(&Folded::new(original).marks_removed, term.text, term.how)
    }

    /// Char indices of the item's shown text that matched: for each term whose best
    /// match is in the shown text (a term that matched only the speaker's name lights
    /// up nothing in a statement's text).
    fn highlights(&self, prepared: &Prepared, item: Item) -> Vec<usize> {
        let case = prepared.case_sensitive;
        let folded = Folded::new(self.conference.shown_text(item));
        let hay = if case {
            &folded.marks_removed
        } else {
            &folded.lower
        };
        let mut highlights = Vec::new();
        for term in prepared
            .texts
            .iter()
            .filter(|t| !t.negated && t.field.is_none())
        {
            let Some((score, indices)) = self.scorer.score_with_indices(hay, term.text, term.how)
            else {
                continue;
            };
            if Some(score + SHOWN_BONUS) >= self.other_parts_best(term, item, case) {
                highlights.extend(folded.original_indices(&indices));
            }
        }
        highlights.sort_unstable();
        highlights.dedup();
        highlights
    }
}

/// Which items a scan looks at.
pub enum Candidates<'a> {
    All,
    /// Positions in the index, e.g. the first part of a large index.
    Range(std::ops::Range<usize>),
    /// The matches of a query this one narrows (see [`worker`]).
    Only(&'a [u32]),
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

/// Lowercases a char the way [`Folded`] does, keeping the char count.
fn lowercase_char(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

#[cfg(test)]
mod tests;
