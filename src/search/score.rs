//! How well one term's text matches one folded text: the scorer (fuzzy-matcher's
//! SkimMatcherV2, with a bonus for unbroken matches) and the cheap byte-level test that
//! rules most texts out before the scorer runs.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use memchr::memmem;

use super::query::Match;

/// Added to a term's score when it occurs unbroken, so substring hits rank first.
pub const SUBSTRING_BONUS: i64 = 1_000;

pub struct Scorer {
    matcher: SkimMatcherV2,
}

impl Default for Scorer {
    fn default() -> Self {
        // Texts and needles are folded for case by the caller (smart case), so the
        // matcher must compare them as they are.
        Self {
            matcher: SkimMatcherV2::default().respect_case(),
        }
    }
}

impl Scorer {
    /// The score of `needle` in `hay` if it occurs as asked.
    pub fn score(&self, hay: &str, needle: &str, how: Match) -> Option<i64> {
        if !may_match(hay, needle, how) {
            return None;
        }
        match how {
            Match::Fuzzy => match memmem::find(hay.as_bytes(), needle.as_bytes()) {
                Some(_) => {
                    Some(SUBSTRING_BONUS + self.matcher.fuzzy_match(hay, needle).unwrap_or(0))
                }
                None => self.matcher.fuzzy_match(hay, needle),
            },
            _ => exact_at(hay, needle, how).map(|byte| exact_score(needle, byte, how)),
        }
    }

    /// Like [`Scorer::score`], with the char indices in `hay` that matched.
    pub fn score_with_indices(
        &self,
        hay: &str,
        needle: &str,
        how: Match,
    ) -> Option<(i64, Vec<usize>)> {
        if !may_match(hay, needle, how) {
            return None;
        }
        let span = |byte: usize| {
            let start = hay[..byte].chars().count();
            (start..start + needle.chars().count()).collect::<Vec<_>>()
        };
        match how {
            Match::Fuzzy => match memmem::find(hay.as_bytes(), needle.as_bytes()) {
                Some(byte) => {
                    let fuzzy = self.matcher.fuzzy_match(hay, needle).unwrap_or(0);
                    Some((SUBSTRING_BONUS + fuzzy, span(byte)))
                }
                None => self.matcher.fuzzy_indices(hay, needle),
            },
            _ => {
                exact_at(hay, needle, how).map(|byte| (exact_score(needle, byte, how), span(byte)))
            }
        }
    }
}

/// Whether `needle` can match `hay` at all: exact kinds are decided here; a fuzzy needle
/// must at least be a subsequence of the bytes (chars in order imply their UTF-8 bytes in
/// order), which memchr tests far faster than the scorer's full comparison.
pub fn may_match(hay: &str, needle: &str, how: Match) -> bool {
    match how {
        Match::Fuzzy => is_byte_subsequence(hay.as_bytes(), needle.as_bytes()),
        _ => exact_at(hay, needle, how).is_some(),
    }
}

fn is_byte_subsequence(hay: &[u8], needle: &[u8]) -> bool {
    let mut rest = hay;
    for &byte in needle {
        match memchr::memchr(byte, rest) {
            Some(at) => rest = &rest[at + 1..],
            None => return false,
        }
    }
    true
}

/// The byte offset where an exact (non-fuzzy) needle occurs as asked.
fn exact_at(hay: &str, needle: &str, how: Match) -> Option<usize> {
    match how {
        Match::Substring | Match::Fuzzy => memmem::find(hay.as_bytes(), needle.as_bytes()),
        Match::Prefix => hay.starts_with(needle).then_some(0),
        Match::Suffix => hay.ends_with(needle).then(|| hay.len() - needle.len()),
        Match::Whole => (hay == needle).then_some(0),
    }
}

fn exact_score(needle: &str, byte: usize, how: Match) -> i64 {
    // Earlier and in shorter fields is better, as with fuzzy scores; a whole field
    // matched counts as doubly unbroken.
    let whole = if how == Match::Whole {
        SUBSTRING_BONUS
    } else {
        0
    };
    SUBSTRING_BONUS + 2 * needle.chars().count() as i64 - (byte as i64).min(100) / 10 + whole
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subsequence_prefilter_agrees_with_the_scorer() {
        let scorer = Scorer::default();
        for (hay, needle) in [
            ("international cooperation", "coop"),
            ("international cooperation", "itcn"),
            ("international cooperation", "zz"),
            ("hop tac quoc te", "hoptac"),
            ("abc", "cba"),
            ("", "a"),
        ] {
            assert_eq!(
                may_match(hay, needle, Match::Fuzzy),
                scorer.matcher.fuzzy_match(hay, needle).is_some(),
                "{needle} in {hay}"
            );
        }
    }

    #[test]
    fn scores_with_and_without_indices_agree() {
        let scorer = Scorer::default();
        for how in [
            Match::Fuzzy,
            Match::Substring,
            Match::Prefix,
            Match::Suffix,
            Match::Whole,
        ] {
            for (hay, needle) in [
                ("closing session", "closing"),
                ("closing session", "csn"),
                ("abc", "abc"),
            ] {
                assert_eq!(
                    scorer.score(hay, needle, how),
                    scorer.score_with_indices(hay, needle, how).map(|(s, _)| s),
                    "{how:?} {needle} in {hay}"
                );
            }
        }
    }

    #[test]
    fn unbroken_beats_scattered_and_whole_beats_prefix() {
        let scorer = Scorer::default();
        let unbroken = scorer
            .score("the closing words", "closing", Match::Fuzzy)
            .expect("match");
        let scattered = scorer
            .score("color of a singer, going", "closing", Match::Fuzzy)
            .expect("match");
        assert!(
            unbroken >= SUBSTRING_BONUS && scattered < SUBSTRING_BONUS,
            "{unbroken} {scattered}"
        );
        let whole = scorer
            .score("closing", "closing", Match::Whole)
            .expect("match");
        let prefix = scorer
            .score("closing", "closing", Match::Prefix)
            .expect("match");
        assert!(whole > prefix);
    }
}
