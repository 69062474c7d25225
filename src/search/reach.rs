//! What scoring a pattern in a text tells of the patterns typed after it, its chars
//! followed by more: how high they can score there. A search narrowed as letters are
//! typed at the end of a term (see [`super::worker`]) then scores only the texts where
//! the longer pattern could still rank among the best; at a million statements,
//! letters found only scattered match most of them.
//!
//! In SkimMatcherV2's matrix (see [`super::skim`] for its cells `m` and `p`), the rows of
//! a pattern's own chars are the same whatever chars follow them. A row added for a char
//! typed:
//! - reads its `m` from the row before it, one cell back: that row's `m` plus the match
//!   and a consecutive bonus (16 + 4, or up to 16 + 8 after a char that is not a letter
//!   or digit, or before a capital), or its `p` plus the match and at most a word
//!   start's bonus (16 + 8);
//! - starts from the cell the row two before it left ([`super::skim`] says why), so its
//!   opening `p` is at most that row's `m` or `p`;
//! - has a `p` no higher than its opening or its best `m` less 4.
//!
//! So the best `m` of the last two rows (`best`) and the most their `p` holds from their
//! openings (`opening`) bound every cell of the next two, and the longer pattern's score:
//! its last row's best `m`, or the `m` its last row started from, two rows back.

use super::skim::{
    BONUS_CONSECUTIVE, CharType, GAP_EXTENSION, GAP_START, MOST_PER_CHAR, MOST_ROWS, SCORE_MATCH,
};

/// What a row's `p` holds in the cell after a match, less that match's `m`: the most
/// its `p` holds after its first match.
const AFTER_A_MATCH: i32 = GAP_START + GAP_EXTENSION;

/// How high a pattern's last two rows reach in one text, anywhere in it: enough to bound
/// the score of the pattern with chars added at its end ([`Extension`]).
///
/// Worked out only for texts short enough that any pattern of up to [`MOST_ROWS`] chars
/// fits them (see `skim::fits`), so SkimMatcherV2's scores there all come from real
/// starts. Kept in 16 bits a side: a search keeps one per match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reach {
    /// The best `m` of the last two rows.
    best: i16,
    /// The most their `p` holds from their openings, at least the gap extension (which
    /// the second row starts from, as if the row before the first held it).
    opening: i16,
}

/// How far below the best so far a match's ceiling must fall for the match to go
/// unscored. A carried reach grows by 20 a letter where scores grow by about 12, so one
/// carried over letters soon rules out little; scoring the matches that come near now
/// works their reach out again and spreads the work over the keys rather than leaving it
/// to the one after two cheap ones (tuned on the synthetic dataset: at a million
/// statements, the slowest key of `cprtn` takes about 125 ms rather than 145). Changes
/// the work done, never the results.
pub const REFRESH_MARGIN: i64 = 2;

impl Reach {
    /// Nothing known: what a text scored otherwise has.
    pub const UNKNOWN: Reach = Reach {
        best: i16::MAX,
        opening: i16::MAX,
    };

    /// From the scorer's values: one too low for 16 bits (one no match reaches) is kept
    /// as the lowest there is, which bounds it still; unknown if one is too high (no
    /// score of a text short enough for a reach is).
    pub(super) fn new(best: i32, opening: i32) -> Reach {
        let narrow = |value: i32| i16::try_from(value.max(i32::from(i16::MIN)));
        match (narrow(best), narrow(opening)) {
            (Ok(best), Ok(opening)) if best < i16::MAX && opening < i16::MAX => {
                Reach { best, opening }
            }
            _ => Reach::UNKNOWN,
        }
    }

    /// For a reach an [`Extension`] gave, the most the longer pattern scores; `None` if
    /// unknown. (A reach worked out by scoring does not bound its own pattern's score:
    /// the last row's answer also takes the cell it started from, which the row two
    /// before it left, and that row is not among the last two.)
    pub fn ceiling(self) -> Option<i64> {
        (self.best != i16::MAX).then_some(i64::from(self.best))
    }
}

/// How a reach grows from a pattern to one that adds chars at its end, worked out once
/// per pair of patterns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    /// For each char added, the most its row's best `m` gains over the best `m` of the
    /// row before it.
    gains: Vec<i32>,
}

impl Extension {
    /// From the pattern made of the first `shorter_chars` chars of `longer`, to
    /// `longer`; `None` unless `longer` has more chars, and no more than [`MOST_ROWS`].
    pub fn new(longer: &str, shorter_chars: usize) -> Option<Extension> {
        let chars: Vec<char> = longer.chars().collect();
        if shorter_chars == 0 || chars.len() <= shorter_chars || chars.len() > MOST_ROWS {
            return None;
        }
        let word = |c: char| matches!(CharType::of(c), CharType::Lower | CharType::Number);
        let gains = (chars[shorter_chars - 1..].windows(2))
            .map(|pair| match (CharType::of(pair[0]), word(pair[1])) {
                // After a letter or digit, a letter or digit earns no bonus of its own:
                // an unbroken run earns the consecutive bonus, and a word start comes
                // after a gap, which costs at least 4.
                (CharType::Upper | CharType::Lower | CharType::Number, true) => {
                    SCORE_MATCH + BONUS_CONSECUTIVE
                }
                _ => MOST_PER_CHAR,
            })
            .collect();
        Some(Extension { gains })
    }

    /// The longer pattern's reach in a text where `reach` is the shorter one's.
    pub fn apply(&self, reach: Reach) -> Reach {
        if reach.ceiling().is_none() {
            return Reach::UNKNOWN;
        }
        let start = (i32::from(reach.best), i32::from(reach.opening));
        let (best, opening) = self.gains.iter().fold(start, |(best, opening), gain| {
            // The row added, from the row before it (its `m`, or its `p`: at most its
            // opening, or its best less 4, plus a word start's bonus); and the opening
            // of the row added, from the row two before it.
            (
                (best + gain).max(opening + MOST_PER_CHAR),
                opening.max(best + AFTER_A_MATCH),
            )
        });
        Reach::new(best, opening)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::skim::{Pattern, skim};
    use proptest::prelude::*;

    fn reached(choice: &str, pattern: &str) -> Option<(i64, Reach)> {
        let reached = Pattern::new(pattern).score_reaching(choice, true);
        reached.map(|r| (r.score, r.reach))
    }

    fn within(reach: Reach, bound: Reach) -> bool {
        reach.best <= bound.best && reach.opening <= bound.opening
    }

    /// Two texts where `xabc` scores far above every cell of `xab`'s last row, as the
    /// reach of `xab` must allow, and does only just:
    /// - `xabc` starts its last row from the cell before that row's first place, left
    ///   by the row two before: `xa` at the end, which the reach of `xab` sees only when
    ///   the text is read past `b`'s last place;
    /// - `b`'s row starts from the `x` just before it, which its opening holds. (`xab`
    ///   itself scores 23 there, from that same start: above its reach's best.)
    #[test]
    fn the_reach_takes_the_last_two_rows_to_the_texts_end_and_their_openings() {
        let gap = " ".repeat(60);
        let extension = Extension::new("xabc", 3).expect("longer");
        for (choice, scores, reach, ceiling) in [
            (format!("x{gap}a{gap}b{gap}xac"), (-38, 43), (43, -1), 63),
            (format!("x{gap}a{gap}xb c"), (23, 42), (-8, 19), 43),
        ] {
            let (score, shorter) = reached(&choice, "xab").expect("matches");
            assert_eq!(score, scores.0);
            assert_eq!(shorter, Reach::new(reach.0, reach.1));
            let (longer, _) = reached(&choice, "xabc").expect("matches");
            assert_eq!(Some(longer), skim(&choice, "xabc"));
            assert_eq!(longer, scores.1);
            assert_eq!(extension.apply(shorter).ceiling(), Some(ceiling));
            // Without asking, the text is read only as far as the score needs.
            let unasked = Pattern::new("xab").score_reaching(&choice, false);
            assert_eq!(
                unasked.map(|r| (r.score, r.reach)),
                Some((scores.0, Reach::UNKNOWN))
            );
        }
    }

    #[test]
    fn extends_only_to_longer_patterns_the_scorer_reads_itself() {
        assert_eq!(Extension::new("abc", 3), None);
        assert_eq!(Extension::new("abc", 0), None);
        assert!(Extension::new(&"a".repeat(MOST_ROWS), MOST_ROWS - 1).is_some());
        assert_eq!(Extension::new(&"a".repeat(MOST_ROWS + 1), MOST_ROWS), None);
        // A letter after a letter gains what an unbroken run does; after a separator, or
        // a capital after a letter, as much as a char can.
        let gains = |longer, before| Extension::new(longer, before).map(|e| e.gains);
        assert_eq!(gains("abcd", 2), Some(vec![20, 20]));
        assert_eq!(gains("a.b9", 1), Some(vec![24, 24, 20]));
        assert_eq!(gains("aB", 1), Some(vec![24]));
        let unknown = Extension::new("ab", 1).map(|e| e.apply(Reach::UNKNOWN));
        assert_eq!(unknown, Some(Reach::UNKNOWN));
    }

    proptest! {
        /// Chars added to a pattern score no more than its reach allows, and the longer
        /// pattern's own reach is within the one extended: in texts of few distinct chars,
        /// where rows often start from what the row two before left, and in short words
        /// far apart, where a row's best comes late.
        #[test]
        fn a_longer_pattern_stays_within_the_reach(
            choice in prop_oneof![
                "[abcAB .,ạ]{0,80}",
                "([abcx]{1,3}( |  |                                                  )){1,8}",
            ],
            pattern in "[abcxA .ạ]{1,6}",
            added in "[abcxA .ạ]{1,4}",
        ) {
            let longer = format!("{pattern}{added}");
            let shorter = reached(&choice, &pattern);
            prop_assert_eq!(shorter.map(|r| r.0), skim(&choice, &pattern));
            let scored = reached(&choice, &longer);
            prop_assert_eq!(scored.map(|r| r.0), skim(&choice, &longer));
            if let (Some((_, shorter)), Some((score, reach))) = (shorter, scored) {
                let extension = Extension::new(&longer, pattern.chars().count());
                let extended = extension.map(|e| e.apply(shorter));
                let ceiling = extended.and_then(Reach::ceiling);
                prop_assert!(ceiling.is_some(), "texts this short have a reach");
                prop_assert!(Some(score) <= ceiling, "{} above {:?}", score, ceiling);
                prop_assert!(
                    extended.is_some_and(|e| within(reach, e)),
                    "{:?} above {:?}", reach, extended
                );
            }
        }
    }
}
