//! Ranked search over statements, speakers and sessions.
//!
//! Every term of the query must match (fuzzy, via SkimMatcherV2) the folded text of an
//! item; an item's score is the sum of its terms' scores. Folding makes case, diacritics
//! and Unicode form irrelevant, so "pham minh chinh" finds "Phạm Minh Chính".

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::dataset::{Conference, Item};
use crate::text::fold;

/// One result: which item, and how well it matched (higher is better).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub item: Item,
    pub score: i64,
}

/// The folded text of each searchable item, computed once.
pub struct SearchIndex {
    entries: Vec<(Item, String)>,
    matcher: SkimMatcherV2,
}

impl SearchIndex {
    pub fn new(conference: &Conference) -> Self {
        let data = &conference.data;
        let statements = data.statements.iter().enumerate().map(|(i, s)| {
            let speaker = conference.speaker_of(i);
            (Item::Statement(i), format!("{} {}", s.text, speaker.name))
        });
        let speakers = data.speakers.iter().enumerate().map(|(i, s)| {
            let fields = [&s.native_name, &s.role, &s.affiliation];
            let extra: Vec<&str> = fields.into_iter().flatten().map(String::as_str).collect();
            (Item::Speaker(i), format!("{} {}", s.name, extra.join(" ")))
        });
        let sessions = data.sessions.iter().enumerate().map(|(i, s)| {
            let fields = [&s.venue, &s.time_of_day, &s.description];
            let extra: Vec<&str> = fields.into_iter().flatten().map(String::as_str).collect();
            (Item::Session(i), format!("{} {}", s.title, extra.join(" ")))
        });
        let entries = statements
            .chain(speakers)
            .chain(sessions)
            .map(|(item, text)| (item, fold(&text)))
            .collect();
        Self {
            entries,
            matcher: SkimMatcherV2::default(),
        }
    }

    /// The best `limit` hits for `query`, best first; ties keep dataset order.
    /// An empty query matches nothing.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let folded = fold(query);
        let terms: Vec<&str> = folded.split_whitespace().collect();
        if terms.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<Hit> = self
            .entries
            .iter()
            .filter_map(|(item, text)| {
                let mut score = 0;
                for term in &terms {
                    score += self.matcher.fuzzy_match(text, term)?;
                }
                Some(Hit { item: *item, score })
            })
            .collect();
        // Stable sort: equal scores stay in dataset order, so results are reproducible.
        hits.sort_by_key(|hit| std::cmp::Reverse(hit.score));
        hits.truncate(limit);
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> (Conference, SearchIndex) {
        let conference = Conference::embedded().expect("shipped dataset loads");
        let index = SearchIndex::new(&conference);
        (conference, index)
    }

    #[test]
    fn unaccented_query_finds_vietnamese_speaker() {
        let (conference, index) = index();
        let hits = index.search("pham minh chinh", 50);
        let speaker = hits
            .iter()
            .find_map(|hit| match hit.item {
                Item::Speaker(i) => Some(&conference.data.speakers[i]),
                _ => None,
            })
            .expect("the Prime Minister is found");
        assert_eq!(speaker.native_name.as_deref(), Some("Phạm Minh Chính"));
    }

    #[test]
    fn accented_query_matches_unaccented_text() {
        let (conference, index) = index();
        // Typed with diacritics; the session title carries none.
        let hits = index.search("Guterrés Prime Minístér", 50);
        assert!(hits.iter().any(|hit| matches!(hit.item,
            Item::Session(i) if conference.data.sessions[i].id == "press-conference")));
    }

    #[test]
    fn every_term_must_match_and_empty_query_finds_nothing() {
        let (_, index) = index();
        assert!(index.search("   ", 10).is_empty());
        assert!(index.search("innocence zzzzqqq", 10).is_empty());
        let hits = index.search("preserve innocence", 10);
        assert!(!hits.is_empty());
    }

    #[test]
    fn results_are_sorted_best_first_and_limited() {
        let (_, index) = index();
        let hits = index.search("cyber", 5);
        assert_eq!(hits.len(), 5);
        assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
    }
}
