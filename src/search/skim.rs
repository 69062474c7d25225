//! SkimMatcherV2's score (fuzzy-matcher 0.3.7, default scores, case respected, no
//! positions) worked out the way a fresh matcher works it out, in buffers kept from one
//! text to the next.
//!
//! The scan uses it as the last bound on a scattered match: every score a user sees still
//! comes from SkimMatcherV2 itself, which runs only on the matches whose bound could still
//! place them among the best. A fresh SkimMatcherV2 (see `score::matcher`) costs a dozen small
//! allocations per text, so at a million statements scoring every scattered match with it
//! took seconds; this copy of its dynamic programme allocates nothing once warm. A test
//! checks it gives SkimMatcherV2's score on any text and needle; were it ever to give
//! more, the scan would only score more, and were it to give less, a match could be
//! left out of the best, which that test guards against.

use std::cell::RefCell;

/// SkimMatcherV2's default scores.
pub(super) const SCORE_MATCH: i32 = 16;
pub(super) const GAP_START: i32 = -3;
pub(super) const GAP_EXTENSION: i32 = -1;
pub(super) const BONUS_HEAD: i32 = SCORE_MATCH / 2;
const BONUS_BREAK: i32 = SCORE_MATCH / 2 + GAP_EXTENSION;
const BONUS_CAMEL: i32 = SCORE_MATCH / 2 + 2 * GAP_EXTENSION;
const BONUS_CONSECUTIVE: i32 = -(GAP_START + GAP_EXTENSION);
pub(super) const BONUS_FIRST_CHAR_MULTIPLIER: i32 = 2;
/// What the matrix starts from, as in fuzzy-matcher.
const NEG_INFINITY: i32 = i16::MIN as i32;

/// One cell of the two-row matrix: the best score with the pattern char matched here
/// (`m`) or the text char skipped (`p`), and the bonus a following match would carry.
#[derive(Debug, Clone, Copy)]
struct Cell {
    m: i32,
    p: i32,
    bonus: i32,
}

const FRESH: Cell = Cell {
    m: NEG_INFINITY,
    p: NEG_INFINITY,
    bonus: 0,
};

#[derive(Debug, Default)]
struct Buffers {
    choice: Vec<char>,
    pattern: Vec<char>,
    first_matches: Vec<usize>,
    bonuses: Vec<i32>,
    cells: Vec<Cell>,
}

thread_local! {
    static BUFFERS: RefCell<Buffers> = RefCell::default();
}

/// What SkimMatcherV2 scores `pattern` in `choice`, or `None` if it does not match.
pub fn score(choice: &str, pattern: &str) -> Option<i64> {
    BUFFERS.with(|buffers| buffers.borrow_mut().score(choice, pattern))
}

impl Buffers {
    fn score(&mut self, choice: &str, pattern: &str) -> Option<i64> {
        if pattern.is_empty() {
            return Some(0);
        }
        self.choice.clear();
        self.choice.extend(choice.chars());
        self.pattern.clear();
        self.pattern.extend(pattern.chars());
        if !self.first_matches() {
            return None;
        }
        let cols = self.choice.len() + 1;
        self.in_place_bonuses();
        // A fresh matrix: every cell as fuzzy-matcher makes a new one.
        self.cells.clear();
        self.cells.resize(2 * cols, FRESH);
        let (even, odd) = self.cells.split_at_mut(cols);
        even[0] = FRESH;
        odd[self.first_matches[0]] = FRESH;
        for cell in even.iter_mut() {
            *cell = Cell {
                p: GAP_EXTENSION,
                ..FRESH
            };
        }
        for (i, &p_ch) in self.pattern.iter().enumerate() {
            // Pattern char i fills row i + 1 from row i, the two rows taking turns.
            let (cur, prev) = if i.is_multiple_of(2) {
                (&mut *odd, &*even)
            } else {
                (&mut *even, &*odd)
            };
            let to_skip = self.first_matches[i];
            let choice = &self.choice[to_skip..];
            let bonuses = &self.bonuses[to_skip + 1..];
            let prev = &prev[to_skip..];
            let cur = &mut cur[to_skip..];
            for (j, (&c_ch, &in_place)) in choice.iter().zip(bonuses).enumerate() {
                // `cur[j]` is the cell before (same row), `cur[j + 1]` this one.
                let last = cur[j];
                let mut this = cur[j + 1];
                if c_ch == p_ch {
                    let consecutive = last.bonus.max(in_place.max(BONUS_CONSECUTIVE));
                    cur[j].bonus = consecutive;
                    let score_match = prev[j].m + consecutive;
                    let score_skip = prev[j].p + in_place;
                    this.m = score_match.max(score_skip) + SCORE_MATCH;
                } else {
                    this.m = NEG_INFINITY;
                    this.bonus = 0;
                }
                let open = GAP_START + GAP_EXTENSION + last.m;
                let extend = GAP_EXTENSION + last.p;
                this.p = open.max(extend);
                cur[j + 1] = this;
            }
        }
        let last_first = *self.first_matches.last()?;
        let last_row = if self.pattern.len().is_multiple_of(2) {
            even
        } else {
            odd
        };
        last_row[last_first..]
            .iter()
            .map(|cell| i64::from(cell.m))
            .max()
    }

    /// Where each pattern char first matches, each after the last; `false` if one does
    /// not.
    fn first_matches(&mut self) -> bool {
        self.first_matches.clear();
        let mut pattern = self.pattern.iter().peekable();
        for (at, c) in self.choice.iter().enumerate() {
            match pattern.peek() {
                Some(&&p) if p == *c => {
                    self.first_matches.push(at);
                    pattern.next();
                }
                Some(_) => {}
                None => break,
            }
        }
        pattern.peek().is_none()
    }

    /// The bonus for matching each text char where it stands (index 0 is before the
    /// text); the first char's is doubled.
    fn in_place_bonuses(&mut self) {
        self.bonuses.clear();
        self.bonuses.push(0);
        let mut prev = CharType::of('\0');
        for &c in &self.choice {
            let this = CharType::of(c);
            self.bonuses.push(match (prev, this) {
                (CharType::Empty | CharType::HardSep, _) => BONUS_HEAD,
                (CharType::SoftSep, _) => BONUS_BREAK,
                (CharType::Lower | CharType::Number, CharType::Upper) => BONUS_CAMEL,
                _ => 0,
            });
            prev = this;
        }
        if let Some(first) = self.bonuses.get_mut(1) {
            *first *= BONUS_FIRST_CHAR_MULTIPLIER;
        }
    }
}

/// fuzzy-matcher's kinds of chars, which it does not export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CharType {
    Empty,
    Upper,
    Lower,
    Number,
    HardSep,
    SoftSep,
}

impl CharType {
    pub(super) fn of(c: char) -> Self {
        match c {
            '\0' => CharType::Empty,
            ' ' | '/' | '\\' | '|' | '(' | ')' | '[' | ']' | '{' | '}' => CharType::HardSep,
            '!'..='\'' | '*'..='.' | ':'..='@' | '^'..='`' | '~' => CharType::SoftSep,
            '0'..='9' => CharType::Number,
            'A'..='Z' => CharType::Upper,
            _ => CharType::Lower,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fuzzy_matcher::FuzzyMatcher;
    use fuzzy_matcher::skim::SkimMatcherV2;
    use proptest::prelude::*;

    fn skim(choice: &str, pattern: &str) -> Option<i64> {
        SkimMatcherV2::default()
            .respect_case()
            .fuzzy_match(choice, pattern)
    }

    #[test]
    fn scores_as_skim_on_examples() {
        for (choice, pattern) in [
            ("international cooperation", "itcn"),
            ("cooperation", "cprtn"),
            ("c o o p", "coop"),
            ("Cc Oo Oo Pp", "COOP"),
            ("a-b_c/d e.f", "abcdef"),
            ("aaaaaa", "aaa"),
            ("abcabcabc", "cab"),
            ("fooBar foo_bar", "fb"),
            ("hợp tác quốc tế", "hptc"),
            ("x", "y"),
            ("", "a"),
            ("abc", ""),
        ] {
            assert_eq!(
                score(choice, pattern),
                skim(choice, pattern),
                "{pattern} in {choice}"
            );
        }
    }

    #[test]
    fn scores_as_skim_on_statement_texts() {
        let data = crate::synthetic::generate(300, 9);
        for statement in &data.statements {
            let text = crate::text::fold(&statement.text);
            for pattern in ["cprtn", "hptc", "a", "ntn", "sec", "dlg"] {
                assert_eq!(
                    score(&text, pattern),
                    skim(&text, pattern),
                    "{pattern} in {text}"
                );
            }
        }
    }

    proptest! {
        #[test]
        fn scores_as_skim_on_any_text(
            choice in "[abcAB .,_/0-9ạ]{0,40}",
            pattern in "[abcAB .0]{1,6}",
        ) {
            prop_assert_eq!(score(&choice, &pattern), skim(&choice, &pattern));
        }

        #[test]
        fn scores_as_skim_on_words(
            choice in "([a-z]{1,9}[ .,-]){1,12}",
            pattern in "[a-z]{1,7}",
        ) {
            prop_assert_eq!(score(&choice, &pattern), skim(&choice, &pattern));
        }
    }
}
