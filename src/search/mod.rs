//! Ranked search over statements, speakers and sessions, shared by `hanoi-tui search` and
//! the search pane so both always agree.
//!
//! Each item is folded once when the index is built. A query (see [`query`]) is a list of
//! terms that must all hold; fuzzy terms are scored by fuzzy-matcher's SkimMatcherV2, and
//! a term found as one unbroken substring scores above any scattered match. An item's
//! score is the sum of its terms' scores; equal scores keep dataset order.

pub mod query;

use std::cmp::Reverse;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::dataset::{Conference, Item, Speaker, StatementKind};
use crate::text::Folded;
pub use query::{Field, Match, Query, QueryError, Term, parse};

/// Added to a term's score when it occurs unbroken, so substring hits rank first.
const SUBSTRING_BONUS: i64 = 1_000;
/// Added when a term matches the text a row shows, so a speaker named "Delegate B"
/// ranks above the statements that only match through their speaker's name.
const SHOWN_BONUS: i64 = 10;

/// One result: which item, how well it matched, and which characters of its shown text
/// (statement text, speaker name or session title) matched, as char indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub item: Item,
    pub score: i64,
    pub highlights: Vec<usize>,
}

/// Which part of an item a folded text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// The text a result row shows: highlights refer to it.
    Shown,
    Speaker,
    Session,
    Country,
    /// Other words that find the item (tags, role, venue, native name…).
    Other,
}

struct Entry {
    item: Item,
    kind: Option<StatementKind>,
    date: String,
    parts: Vec<(Part, Folded)>,
}

/// The folded text of every searchable item, built once per dataset.
pub struct SearchIndex {
    entries: Vec<Entry>,
    matcher: SkimMatcherV2,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SearchIndex({} items)", self.entries.len())
    }
}

impl SearchIndex {
    pub fn new(conference: &Conference) -> Self {
        let data = &conference.data;
        let mut entries =
            Vec::with_capacity(data.statements.len() + data.speakers.len() + data.sessions.len());
        for (index, statement) in data.statements.iter().enumerate() {
            let speaker = conference.speaker_of(index);
            let session = conference.session_of(index);
            let mut parts = vec![
                (
                    Part::Shown,
                    Folded::new(conference.shown_text(Item::Statement(index))),
                ),
                (Part::Session, Folded::new(&session.title)),
            ];
            parts.extend(speaker_parts(speaker));
            parts.extend(statement.tags.iter().map(|t| (Part::Other, Folded::new(t))));
            entries.push(Entry {
                item: Item::Statement(index),
                kind: Some(statement.kind),
                date: session.date.to_string(),
                parts,
            });
        }
        for (index, speaker) in data.speakers.iter().enumerate() {
            let mut parts = vec![(
                Part::Shown,
                Folded::new(conference.shown_text(Item::Speaker(index))),
            )];
            parts.extend(speaker_parts(speaker));
            parts.extend(speaker.role.iter().map(|r| (Part::Other, Folded::new(r))));
            entries.push(Entry {
                item: Item::Speaker(index),
                kind: None,
                date: String::new(),
                parts,
            });
        }
        for (index, session) in data.sessions.iter().enumerate() {
            let mut parts = vec![
                (
                    Part::Shown,
                    Folded::new(conference.shown_text(Item::Session(index))),
                ),
                (Part::Session, Folded::new(&session.title)),
            ];
            for words in [&session.venue, &session.time_of_day, &session.description]
                .into_iter()
                .flatten()
            {
                parts.push((Part::Other, Folded::new(words)));
            }
            entries.push(Entry {
                item: Item::Session(index),
                kind: None,
                date: session.date.to_string(),
                parts,
            });
        }
        Self {
            entries,
            // The texts are folded for case by the caller (smart case), so respect it here.
            matcher: SkimMatcherV2::default().respect_case(),
        }
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
        let mut hits: Vec<(usize, Hit)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(order, entry)| self.score(entry, query).map(|hit| (order, hit)))
            .collect();
        let rank = |(order, hit): &(usize, Hit)| (Reverse(hit.score), *order);
        if hits.len() > limit {
            hits.select_nth_unstable_by_key(limit - 1, rank);
            hits.truncate(limit);
        }
        hits.sort_unstable_by_key(rank);
        hits.into_iter().map(|(_, hit)| hit).collect()
    }

    /// The entry's hit if every term holds.
    fn score(&self, entry: &Entry, query: &Query) -> Option<Hit> {
        let mut score = 0;
        let mut highlights = Vec::new();
        for term in &query.terms {
            match term {
                Term::Kind { kind, negated } => {
                    if (entry.kind == Some(*kind)) == *negated {
                        return None;
                    }
                }
                Term::Date { prefix, negated } => {
                    let on = !entry.date.is_empty() && entry.date.starts_with(prefix.as_str());
                    if on == *negated {
                        return None;
                    }
                }
                Term::Text {
                    text,
                    how,
                    field,
                    negated,
                } => {
                    let best = entry
                        .parts
                        .iter()
                        .filter(|(part, _)| field.is_none_or(|f| part_is(*part, f)))
                        .filter_map(|(part, folded)| {
                            let hay = if query.case_sensitive {
                                &folded.marks_removed
                            } else {
                                &folded.lower
                            };
                            let bonus = if *part == Part::Shown { SHOWN_BONUS } else { 0 };
                            self.match_text(hay, text, *how)
                                .map(|(s, idx)| (s + bonus, *part, folded, idx))
                        })
                        .max_by_key(|(s, ..)| *s);
                    match (best, negated) {
                        (Some(_), true) | (None, false) => return None,
                        (None, true) => {}
                        (Some((term_score, part, folded, indices)), false) => {
                            score += term_score;
                            if part == Part::Shown {
                                highlights.extend(folded.original_indices(&indices));
                            }
                        }
                    }
                }
            }
        }
        highlights.sort_unstable();
        highlights.dedup();
        Some(Hit {
            item: entry.item,
            score,
            highlights,
        })
    }

    /// Score and matched char indices of `needle` in `hay`, if it occurs as asked.
    fn match_text(&self, hay: &str, needle: &str, how: Match) -> Option<(i64, Vec<usize>)> {
        let span = |byte: usize| {
            let start = hay[..byte].chars().count();
            (start..start + needle.chars().count()).collect::<Vec<_>>()
        };
        let exact_score = |byte: usize| {
            // Earlier and in shorter fields is better, as with fuzzy scores.
            SUBSTRING_BONUS + 2 * needle.chars().count() as i64 - (byte as i64).min(100) / 10
        };
        match how {
            Match::Fuzzy => {
                if let Some(byte) = hay.find(needle) {
                    let fuzzy = self.matcher.fuzzy_match(hay, needle).unwrap_or(0);
                    return Some((SUBSTRING_BONUS + fuzzy, span(byte)));
                }
                self.matcher.fuzzy_indices(hay, needle)
            }
            Match::Substring => hay.find(needle).map(|byte| (exact_score(byte), span(byte))),
            Match::Prefix => hay.starts_with(needle).then(|| (exact_score(0), span(0))),
            Match::Suffix => hay
                .ends_with(needle)
                .then(|| hay.len() - needle.len())
                .map(|byte| (exact_score(byte), span(byte))),
            Match::Whole => (hay == needle).then(|| (exact_score(0) + SUBSTRING_BONUS, span(0))),
        }
    }
}

/// What finds a speaker, for the speaker and for each of their statements: the name as
/// the sources write it, the native-script name, and the country or organisation.
fn speaker_parts(speaker: &Speaker) -> impl Iterator<Item = (Part, Folded)> + '_ {
    std::iter::once(&speaker.name)
        .chain(&speaker.native_name)
        .map(|name| (Part::Speaker, Folded::new(name)))
        .chain(
            speaker
                .affiliation
                .iter()
                .map(|a| (Part::Country, Folded::new(a))),
        )
}

fn part_is(part: Part, field: Field) -> bool {
    matches!(
        (part, field),
        (Part::Speaker, Field::Speaker)
            | (Part::Session, Field::Session)
            | (Part::Country, Field::Country)
    )
}

#[cfg(test)]
mod tests;
