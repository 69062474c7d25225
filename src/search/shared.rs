//! What statements share — their speaker's names and country, their session's title —
//! scored once per query for each speaker and session rather than once per statement.

/// Each text term's score on each owner (speaker or session), owner by owner: a
/// statement's lookups for all terms then fall in one cache line, which matters when a
/// million statements each look up a speaker among tens of thousands.
#[derive(Debug, Default)]
pub struct SharedScores {
    terms: usize,
    scores: Vec<i32>,
}

/// Stored for a term that does not match an owner.
const NO_MATCH: i32 = i32::MIN;

impl SharedScores {
    /// `score(term, owner)` for every owner below `owners` and every term below `terms`.
    pub fn new(owners: usize, terms: usize, score: impl Fn(usize, usize) -> Option<i64>) -> Self {
        let mut scores = Vec::with_capacity(owners * terms);
        for owner in 0..owners {
            for term in 0..terms {
                // Scores are in the low thousands; the clamp only keeps the sentinel apart.
                scores.push(score(term, owner).map_or(NO_MATCH, |s| {
                    i32::try_from(s).unwrap_or(i32::MAX).max(NO_MATCH + 1)
                }));
            }
        }
        Self { terms, scores }
    }

    pub fn get(&self, owner: usize, term: usize) -> Option<i64> {
        let score = self.scores[owner * self.terms + term];
        (score != NO_MATCH).then_some(i64::from(score))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gives_back_each_owners_score_for_each_term() {
        let shared = SharedScores::new(3, 2, |term, owner| {
            (owner != 1).then_some((owner * 10 + term) as i64 - 5)
        });
        assert_eq!(shared.get(0, 0), Some(-5));
        assert_eq!(shared.get(0, 1), Some(-4));
        assert_eq!(shared.get(1, 0), None);
        assert_eq!(shared.get(2, 1), Some(16));
    }
}
