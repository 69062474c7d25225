//! The most a pattern of distinct ASCII chars can score in a text, from where its chars
//! are: far cheaper than the score, and enough to leave unscored many matches that cannot
//! rank among the best (for `cprtn` at a million statements, the best 200 score 89 or
//! more, and a typical match about 60).
//!
//! How a match loses. Its first char earns the match and its bonus (doubled at the
//! text's start), less the gap extension that the row before the first holds: 15 plus
//! the bonus. Each char after it earns, right after the char before, the match and the
//! consecutive bonus, which the two chars' kinds fix (20 for two letters); after a gap of
//! `g` chars, the match and its bonus less the gap's start and length, `16 + bonus - 3 -
//! g`: at most 20 less `g - 1`, a word start's bonus being 8. So with `most` what a char
//! earns at most, a gap of `g` chars loses at least `g` plus `most - 21` (if below zero),
//! and the gaps of a match from place `s` to place `e` add up to `e - s - (n - 1)` chars.
//! The nearest end from a start is the greedy one from there.
//!
//! SkimMatcherV2 also scores, by the quirk by which a row starts from the row two before
//! it (see [`super::super`]), what amounts to a match skipping two of the pattern's
//! chars: at most a first char's most and the most of each of the others. For patterns of
//! six chars or more, that is often more than the best score: nothing is ruled out then.
//!
//! Tried and dropped: also counting that a char never found right after the one before it
//! must come after a gap, and that a letter with no separator before it earns no bonus
//! (which took a second read of the text, for its separators). It let through 41 % of
//! `cprtn`'s matches rather than 51 % (200,000 statements, best so far at 79), but at a
//! million cost more than it saved (cachegrind: a tenth more instructions for `cprtn`, 4 %
//! fewer for `dlgtns`).

use super::{Mask, next_at};
use crate::search::skim::{
    BONUS_CONSECUTIVE, BONUS_FIRST_CHAR_MULTIPLIER, BONUS_HEAD, GAP_EXTENSION, GAP_START,
    SCORE_MATCH, UNREACHED, bonus_by_kind, byte_bonus,
};

/// The most a match's first char scores away from the text's start: the match and a
/// word start's bonus, after the gap extension the row before the first holds.
const FIRST_MOST: i32 = SCORE_MATCH + GAP_EXTENSION + BONUS_HEAD;

/// What a char earns after a gap, less its bonus and the gap's length.
const AFTER_A_GAP: i32 = SCORE_MATCH + GAP_START;

/// A pattern made ready to be bounded in many texts.
#[derive(Debug)]
pub(super) struct Most {
    /// What the chars after the first earn at most, together.
    earned_after_first: i32,
    /// What they lose beyond the length of their gaps, at least (below zero: a char after
    /// a gap may earn a word start's bonus).
    lost_beyond_gaps: i32,
    /// The most a match skipping two of the chars scores, if its first char is not at
    /// the text's start; below any score for a pattern of two chars.
    skipping: i32,
}

impl Most {
    pub(super) fn new(pattern: &[u8]) -> Self {
        let after_first: Vec<i32> = (pattern.windows(2))
            .map(|pair| {
                let [before, this] = [pair[0], pair[1]].map(char::from);
                let unbroken = bonus_by_kind(before, this).max(BONUS_CONSECUTIVE);
                (SCORE_MATCH + unbroken).max(AFTER_A_GAP + BONUS_HEAD + GAP_EXTENSION)
            })
            .collect();
        let most_each = after_first.iter().copied().max().unwrap_or(0);
        Self {
            earned_after_first: after_first.iter().sum(),
            lost_beyond_gaps: (after_first.iter())
                .map(|&most| (most - AFTER_A_GAP - BONUS_HEAD).min(0))
                .sum(),
            skipping: match pattern.len() {
                0..3 => UNREACHED,
                n => FIRST_MOST + (n as i32 - 3) * most_each,
            },
        }
    }

    /// The most the pattern scores in `text`, if below `floor`; `None` if it may score
    /// that much. `rows` are the places of each of its chars, and the text is ASCII from
    /// the first of `ends`, its first char's first place, to the last char's last place;
    /// the second is where the greedy match ends.
    pub(super) fn below(
        &self,
        text: &[u8],
        rows: &[Mask],
        (first, greedy_end): (usize, usize),
        floor: i32,
    ) -> Option<i32> {
        let at_start = rows.iter().any(|places| places[0] & 1 != 0);
        let skipping = self.skipping + BONUS_HEAD * i32::from(at_start);
        if skipping >= floor {
            return None;
        }
        let n = rows.len();
        let mut most = skipping;
        let mut start = Some(first);
        let mut end = greedy_end;
        while let Some(s) = start {
            if s != first {
                // The greedy end from a later start is no nearer; without one, no match
                // starts there or later.
                match rows[1..]
                    .iter()
                    .try_fold(s, |at, places| next_at(places, at + 1))
                {
                    Some(greedy_end) => end = greedy_end,
                    None => break,
                }
            }
            let bonus = match s {
                0 => bonus_by_kind('\0', char::from(text[0])) * BONUS_FIRST_CHAR_MULTIPLIER,
                _ => byte_bonus(text[s - 1], text[s]),
            };
            let lost = ((end - s - (n - 1)) as i32 + self.lost_beyond_gaps).max(0);
            most = most.max(FIRST_MOST - BONUS_HEAD + bonus + self.earned_after_first - lost);
            if most >= floor {
                return None;
            }
            start = next_at(&rows[0], s + 1);
        }
        Some(most)
    }
}
