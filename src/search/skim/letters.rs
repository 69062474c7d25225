//! SkimMatcherV2's score for a pattern of a few distinct ASCII chars (`cprtn`) in a short
//! text, worked out from where each pattern char occurs, one bit per byte.
//!
//! Scattered letters match most texts, and each match needs its score (see
//! [`super::Pattern`]). Here one pass of compares (32 or 16 bytes at a time, see
//! [`compare`]) gives each pattern char's places as a bit mask of the whole text, and
//! from the masks alone come whether the pattern occurs unbroken (the caller scores that
//! its own way), whether it occurs at all, and where the greedy match puts each row's
//! first place (where the row starts from the row two before, see [`super`]). Then the
//! rows are filled at their places in the text's order, as the one-read scorer fills
//! them, but with each place's row looked up once and no branch on which row it is:
//! places come in no order a processor could predict, and a wrong guess costs more than
//! the work done at a place.
//!
//! Before the rows, where the scan has a floor, a bound from the masks alone ([`most`])
//! may show that a match cannot reach it, and the rows are not filled.
//!
//! Tests check it against SkimMatcherV2 itself and against the one-read scorer.

use super::super::reach::Reach;
use super::compare::{self, MOST_BYTES, Mask, WORDS};
use super::{
    BONUS_FIRST_CHAR_MULTIPLIER, FIRST_ROW_MOST, GAP_EXTENSION, GAP_START, SCORE_MATCH, UNREACHED,
    bonus_by_kind, byte_bonuses,
};
use most::Most;

mod most;

/// The most pattern chars scored here.
const MOST_LETTERS: usize = 16;

/// Rows of the table: one per pattern char, after one for the row before the first, and
/// room to spare so that a row's index needs no check.
const TABLE_ROWS: usize = 32;

/// A pattern of distinct ASCII chars, made ready to be scored in many texts.
#[derive(Debug)]
pub struct Letters {
    pattern: Vec<u8>,
    /// Each ASCII char's row in the table (its place in the pattern plus one), zero for
    /// chars not in the pattern.
    row_of: [u8; 128],
    /// Bounds the pattern's score in a text.
    most: Most,
}

/// What the masks tell about a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// The pattern is not a subsequence of the text.
    Absent,
    /// It occurs unbroken somewhere.
    Unbroken,
    /// It occurs only scattered, with this score.
    Scattered(i32),
    /// It occurs only scattered, scoring at most this, which is below the floor asked
    /// for: not worked out further.
    Below(i32),
}

impl Letters {
    /// `None` unless the pattern is 2 to [`MOST_LETTERS`] distinct ASCII chars: one
    /// char occurs unbroken wherever it occurs at all, which the masks would only repeat.
    pub fn new(pattern: &str) -> Option<Self> {
        let bytes = pattern.as_bytes();
        if !pattern.is_ascii() || bytes.len() < 2 || bytes.len() > MOST_LETTERS {
            return None;
        }
        let mut row_of = [0; 128];
        for (row, &byte) in (1..).zip(bytes) {
            let slot = &mut row_of[usize::from(byte)];
            if *slot != 0 {
                return None;
            }
            *slot = row;
        }
        Some(Self {
            pattern: bytes.to_vec(),
            row_of,
            most: Most::new(bytes),
        })
    }

    /// What the pattern's places tell about `text`, with the pattern's [`Reach`] there
    /// for a scattered match if `reaching` asks for it (unknown otherwise), as the
    /// one-read scorer gives them; or `None` if the text is longer than [`MOST_BYTES`]
    /// or holds a char beyond ASCII where the pattern would be scored (the scores count
    /// chars, the masks bytes): from the pattern's first place to its last, or to the
    /// text's end for the reach of three chars or more. A scattered match that cannot
    /// score `floor` may be told only by a bound below it (see [`most`]).
    pub fn look(&self, text: &[u8], reaching: bool, floor: i32) -> Option<(Seen, Reach)> {
        if text.len() > MOST_BYTES {
            return None;
        }
        let n = self.pattern.len();
        let mut rows = [[0; WORDS]; MOST_LETTERS];
        let beyond_ascii = places(text, &self.pattern, &mut rows);
        let rows = &rows[..n];
        // Places where the pattern's first chars end unbroken, one more char each turn.
        let mut unbroken = rows[0];
        for places in &rows[1..] {
            unbroken = shifted_up(&unbroken);
            for (word, bits) in unbroken.iter_mut().zip(places) {
                *word &= bits;
            }
        }
        if unbroken != [0; WORDS] {
            return Some((Seen::Unbroken, Reach::UNKNOWN));
        }
        // Each row's first place, where the greedy match puts it.
        let mut firsts = [u32::MAX; TABLE_ROWS];
        let mut from = 0;
        for (row, places) in rows.iter().enumerate() {
            let Some(first) = next_at(places, from) else {
                return Some((Seen::Absent, Reach::UNKNOWN));
            };
            firsts[row + 1] = first as u32;
            from = first + 1;
        }
        // The reach of three letters or more takes the last two rows to the text's end.
        let last = match reaching && n > 2 {
            true => text.len() - 1,
            false => last_place(&rows[n - 1]),
        };
        let stretch = |word| from_place(word, firsts[1] as usize) & !from_place(word, last + 1);
        let beyond = (beyond_ascii.iter().enumerate())
            .fold(0, |beyond, (word, &high)| beyond | high & stretch(word));
        if beyond != 0 {
            return None;
        }
        let ends = (firsts[1] as usize, firsts[n] as usize);
        if let Some(most) = self.most.below(text, rows, ends, floor) {
            return Some((Seen::Below(most), Reach::UNKNOWN));
        }
        // The places the table reads, worked out only for a match it scores: from each
        // row's first to the last row's last.
        let mut read = [0; WORDS];
        for (places, &first) in rows.iter().zip(&firsts[1..]) {
            for (word, (read, &bits)) in read.iter_mut().zip(places).enumerate() {
                *read |= bits & from_place(word, first as usize);
            }
        }
        for (word, read) in read.iter_mut().enumerate() {
            *read &= !from_place(word, last + 1);
        }
        let mut table = Table::new();
        self.fill(&mut table, text, &read, &firsts);
        let reach = match reaching {
            true => table.reach(n),
            false => Reach::UNKNOWN,
        };
        Some((Seen::Scattered(table.answer(n)), reach))
    }

    /// Fills `table`'s rows at the places `read`, in the text's order, each starting at
    /// its first place (`firsts`, by table row).
    #[inline]
    fn fill(&self, table: &mut Table, text: &[u8], read: &Mask, firsts: &[u32; TABLE_ROWS]) {
        let mut read = *read;
        // The text's first char: after SkimMatcherV2's "empty" char, its bonus doubled;
        // only the first row matches there, which ignores the consecutive bonus. Taken
        // first, so that every other place has a char before it.
        if read[0] & 1 != 0 {
            read[0] &= !1;
            let unit = text[0];
            let row = usize::from(self.row_of[usize::from(unit & 0x7f)]) % TABLE_ROWS;
            // Only the first row's first place can be the text's first char.
            debug_assert_eq!(firsts[row], 0);
            table.start(row, 0);
            let bonus = bonus_by_kind('\0', char::from(unit));
            table.matched(row, 0, bonus * BONUS_FIRST_CHAR_MULTIPLIER, bonus);
        }
        for (word, &bits) in read.iter().enumerate() {
            let mut bits = bits;
            while bits != 0 {
                let at = word * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let Some(&[before, unit]) = text.get(at - 1..=at) else {
                    break;
                };
                let row = usize::from(self.row_of[usize::from(unit & 0x7f)]) % TABLE_ROWS;
                if at as u32 == firsts[row] {
                    table.start(row, at as i32);
                }
                let (bonus, consecutive) = byte_bonuses(before, unit);
                table.matched(row, at as i32, bonus, consecutive);
            }
        }
    }
}

/// Where each row stands as the text is read, row `r + 1` for pattern char `r`; row zero
/// stands for the row before the first. The same values as the one-read scorer's
/// [`super::Row`], but with its `base` folded into `run` (which only ever takes the
/// larger), and kept row by row in arrays.
struct Table {
    start_m: [i32; TABLE_ROWS],
    /// `p` in the cell of each row's first place, before its match there.
    opening: [i32; TABLE_ROWS],
    run: [i32; TABLE_ROWS],
    last_at: [i32; TABLE_ROWS],
    last_m: [i32; TABLE_ROWS],
    best: [i32; TABLE_ROWS],
}

impl Table {
    fn new() -> Self {
        Self {
            start_m: [UNREACHED; TABLE_ROWS],
            opening: [UNREACHED; TABLE_ROWS],
            run: [UNREACHED; TABLE_ROWS],
            last_at: [-1; TABLE_ROWS],
            last_m: [UNREACHED; TABLE_ROWS],
            best: [UNREACHED; TABLE_ROWS],
        }
    }

    /// `(m, p)` in row `row`'s cell of text char `t`, once the row has read it: chosen
    /// by masks rather than branches.
    #[inline]
    fn cell(&self, row: usize, t: i32) -> (i32, i32) {
        let row = row % TABLE_ROWS;
        let (run, last_at, last_m) = (self.run[row], self.last_at[row], self.last_m[row]);
        let here = -i32::from(last_at == t);
        let with_last = run.max(last_m + GAP_START + last_at);
        let run = (run & here) | (with_last & !here);
        let m = (last_m & here) | (UNREACHED & !here);
        (m, run - t)
    }

    /// Row `row` starts at `t`, its first place: from the starting values in the first
    /// two rows (the second's `p` is the gap extension), then from what the row two
    /// before left in the cell before.
    fn start(&mut self, row: usize, t: i32) {
        let (m, p) = match row {
            2 => (UNREACHED, GAP_EXTENSION),
            3.. => self.cell(row - 2, t - 1),
            _ => (UNREACHED, UNREACHED),
        };
        let row = row % TABLE_ROWS;
        self.start_m[row] = m;
        self.run[row] = (p + GAP_EXTENSION + t).max(m + GAP_START + GAP_EXTENSION + t);
        self.opening[row] = self.run[row] - t;
    }

    /// Row `row`'s pattern char at `t`, with these bonuses (after a gap, and after a
    /// match of the char before).
    #[inline]
    fn matched(&mut self, row: usize, t: i32, bonus: i32, consecutive: i32) {
        let row = row % TABLE_ROWS;
        let (m_before, p_before) = self.cell(row.wrapping_sub(1) % TABLE_ROWS, t - 1);
        // The first row reads the row before it, which has no matches and whose `p` is
        // the gap extension.
        let first = -i32::from(row == 1);
        let p_before = (GAP_EXTENSION & first) | (p_before & !first);
        let m = SCORE_MATCH + (m_before + consecutive).max(p_before + bonus);
        self.run[row] = self.run[row].max(self.last_m[row] + GAP_START + self.last_at[row]);
        self.last_at[row] = t;
        self.last_m[row] = m;
        self.best[row] = self.best[row].max(m);
    }

    /// The last row's answer, which also takes the cell before its first place.
    fn answer(&self, rows: usize) -> i32 {
        let row = rows % TABLE_ROWS;
        self.best[row].max(self.start_m[row])
    }

    /// The pattern's reach, from the last two rows, as the one-read scorer works it out:
    /// for two letters, the first row is read only to the last one's last place, and the
    /// most it holds past the text's first char stands for the rest.
    fn reach(&self, rows: usize) -> Reach {
        let last_two = rows.saturating_sub(1).max(1) % TABLE_ROWS..=rows % TABLE_ROWS;
        let first_row_unread = if rows == 2 { FIRST_ROW_MOST } else { UNREACHED };
        Reach::new(
            self.best[last_two.clone()]
                .iter()
                .fold(first_row_unread, |a, &b| a.max(b)),
            // The second row starts from the gap extension.
            (self.opening[last_two].iter()).fold(GAP_EXTENSION, |a, &b| a.max(b)),
        )
    }
}

/// Each pattern char's places in `text` (at most [`MOST_BYTES`]), and the bytes beyond
/// ASCII.
fn places(text: &[u8], pattern: &[u8], rows: &mut [Mask; MOST_LETTERS]) -> Mask {
    compare::places(text, pattern, |row, word, bits| {
        rows[row % MOST_LETTERS][word % WORDS] = bits;
    })
}

/// `mask` with each place moved to the next.
fn shifted_up(mask: &Mask) -> Mask {
    std::array::from_fn(|w| {
        let carried = w.checked_sub(1).map_or(0, |below| mask[below] >> 63);
        mask[w] << 1 | carried
    })
}

/// The bits of word `word` for places from `first` on.
fn from_place(word: usize, first: usize) -> u64 {
    match first.saturating_sub(word * 64) {
        shift @ 0..64 => u64::MAX << shift,
        _ => 0,
    }
}

/// The first place at or after `from`.
fn next_at(mask: &Mask, from: usize) -> Option<usize> {
    (mask.iter().enumerate()).find_map(|(word, &bits)| {
        let bits = bits & from_place(word, from);
        (bits != 0).then(|| word * 64 + bits.trailing_zeros() as usize)
    })
}

/// The last place, in a mask that has one.
fn last_place(mask: &Mask) -> usize {
    (mask.iter().enumerate().rev())
        .find_map(|(word, &bits)| {
            (bits != 0).then(|| word * 64 + 63 - bits.leading_zeros() as usize)
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::{Pattern, skim};
    use super::*;

    /// What the masks tell, checked against SkimMatcherV2 itself and the one-read
    /// scorer (the reach too, when asked for); `None` where they cannot tell.
    fn checked_look(choice: &str, pattern: &str) -> Option<Seen> {
        let letters = Letters::new(pattern)?;
        let (seen, unknown) = letters.look(choice.as_bytes(), false, i32::MIN)?;
        assert_eq!(unknown, Reach::UNKNOWN);
        let skimmed = skim(choice, pattern);
        let one_read = Pattern::new(pattern).score_reaching(choice, true);
        match seen {
            Seen::Absent => assert_eq!(skimmed, None, "{pattern} in {choice:?}"),
            Seen::Unbroken => {
                assert!(choice.contains(pattern), "{pattern} in {choice:?}");
                assert!(skimmed.is_some());
            }
            Seen::Scattered(score) => {
                assert!(!choice.contains(pattern), "{pattern} in {choice:?}");
                assert_eq!(skimmed, Some(i64::from(score)), "{pattern} in {choice:?}");
                let reaching = letters.look(choice.as_bytes(), true, i32::MIN);
                let one_read = one_read.expect("the one-read scorer finds it too");
                assert_eq!(one_read.score, i64::from(score));
                // Read to the text's end, a char beyond ASCII may now be where it scores.
                if reaching.is_some() || choice.is_ascii() {
                    assert_eq!(
                        reaching,
                        Some((seen, one_read.reach)),
                        "{pattern} in {choice:?}"
                    );
                }
            }
            Seen::Below(_) => panic!("a bound, with no floor asked for"),
        }
        Some(seen)
    }

    /// What the masks tell with a floor: a scattered match's score, or only a bound
    /// when that is below the floor, never below the score (checked against
    /// SkimMatcherV2 itself); the rest as with no floor.
    fn checked_look_above(choice: &str, pattern: &str, floor: i32) -> Option<Seen> {
        let letters = Letters::new(pattern)?;
        let without = letters.look(choice.as_bytes(), false, i32::MIN);
        let with = letters.look(choice.as_bytes(), false, floor);
        match (with, without) {
            (Some((Seen::Below(most), reach)), Some((Seen::Scattered(score), _))) => {
                assert_eq!(reach, Reach::UNKNOWN);
                assert!(
                    most < floor,
                    "{pattern} in {choice:?}: {most} not below {floor}"
                );
                assert!(
                    score <= most,
                    "{pattern} in {choice:?}: {score} above {most}"
                );
                assert_eq!(skim(choice, pattern), Some(i64::from(score)));
            }
            (with, without) => assert_eq!(with, without, "{pattern} in {choice:?}"),
        }
        with.map(|(seen, _)| seen)
    }

    #[test]
    fn scores_as_skim_on_examples() {
        for (choice, pattern, seen) in [
            ("international cooperation", "itcn", Seen::Scattered(57)),
            ("cooperation", "cprtn", Seen::Scattered(77)),
            // The text's first char earns its bonus twice.
            ("cxp", "cp", Seen::Scattered(43)),
            ("a-b_c/d e.f", "abcdef", Seen::Scattered(128)),
            ("fooBar foo_bar", "fB", Seen::Scattered(48)),
            ("x", "yz", Seen::Absent),
            ("pc", "cp", Seen::Absent),
            ("", "ab", Seen::Absent),
            ("the cooperation", "oper", Seen::Unbroken),
            ("ab", "ab", Seen::Unbroken),
            // The last row's answer takes the cell left by the row two before it.
            (
                "babbbb,bbbbbbbbb,bbbbbb bbbpaax,",
                "apx",
                Seen::Scattered(15),
            ),
            // The second row starts from the gap extension, not from minus infinity.
            (
                "aq,aaaaaa aaaa,aaaaaaaaa aa aayap ",
                "qyp",
                Seen::Scattered(13),
            ),
            // NUL, which pads the last block, in the pattern.
            ("a\0b", "\0b", Seen::Unbroken),
            ("\0ab", "\0b", Seen::Scattered(43)),
        ] {
            assert_eq!(
                checked_look(choice, pattern),
                Some(seen),
                "{pattern} in {choice:?}"
            );
        }
    }

    /// An unbroken occurrence across two words of bits, and across the others.
    #[test]
    fn finds_unbroken_occurrences_across_words_of_bits() {
        for at in [62, 63, 127, 191, 251] {
            let choice = format!("{}cprt{}", "x".repeat(at), "x".repeat(251 - at));
            assert_eq!(
                checked_look(&choice, "cprt"),
                Some(Seen::Unbroken),
                "at {at}"
            );
            // With a letter put inside it, the pattern is only scattered.
            let broken = choice.replacen("cprt", "cpxrt", 1);
            assert!(
                matches!(checked_look(&broken, "cprt"), Some(Seen::Scattered(_))),
                "at {at}"
            );
        }
    }

    #[test]
    fn leaves_to_the_one_read_scorer_what_masks_cannot_read() {
        // Too few, repeated, too many, or beyond ASCII.
        for pattern in ["", "c", "coop", "abcdefghijklmnopq", "hợp"] {
            assert!(Letters::new(pattern).is_none(), "{pattern}");
        }
        assert!(Letters::new("abcdefghijklmnop").is_some());
        let letters = Letters::new("cpn").expect("distinct ASCII letters");
        // A char beyond ASCII where the pattern is scored counts as one char, not two
        // bytes; elsewhere it does not matter.
        assert_eq!(letters.look("cạp n".as_bytes(), false, i32::MIN), None);
        assert!(matches!(
            letters.look("ạ cp n ạ".as_bytes(), false, i32::MIN),
            Some((Seen::Scattered(_), _))
        ));
        assert_eq!(
            letters.look("ạ".as_bytes(), false, i32::MIN),
            Some((Seen::Absent, Reach::UNKNOWN))
        );
        // Up to four words of bits.
        let long = |bytes: usize| format!("c{}pn", " ".repeat(bytes - 3));
        assert!(matches!(
            letters.look(long(MOST_BYTES).as_bytes(), true, i32::MIN),
            Some((Seen::Scattered(_), _))
        ));
        assert_eq!(
            letters.look(long(MOST_BYTES + 1).as_bytes(), false, i32::MIN),
            None
        );
    }

    #[test]
    fn scores_as_skim_on_statement_texts() {
        let data = crate::synthetic::generate(300, 9);
        let mut scattered = 0;
        for statement in &data.statements {
            let text = crate::text::fold(&statement.text);
            for pattern in ["cprtn", "hptc", "dlgtns", "sec", "at", "zq"] {
                let seen = checked_look(&text, pattern);
                assert!(
                    seen.is_some() || !text.is_ascii() || text.len() > MOST_BYTES,
                    "{pattern} in {text}"
                );
                scattered += usize::from(matches!(seen, Some(Seen::Scattered(_))));
            }
        }
        assert!(scattered > 300, "only {scattered} scattered matches");
    }

    /// Two or more distinct chars drawn from `chars`, in any order.
    fn distinct(chars: &str, most: usize) -> impl Strategy<Value = String> {
        proptest::sample::subsequence(chars.chars().collect::<Vec<_>>(), 2..=most)
            .prop_shuffle()
            .prop_map(|chars| chars.into_iter().collect())
    }

    proptest! {
        #[test]
        fn scores_as_skim_on_any_text(
            choice in "[abcAB .,_/0-9ạ\\x00]{0,300}",
            pattern in distinct("abcAB .0\u{0}", 6),
        ) {
            checked_look(&choice, &pattern);
        }

        /// Few distinct chars, so patterns match in many ways and rows start from what
        /// the row two before left.
        #[test]
        fn scores_as_skim_on_repetitive_text(
            choice in "[aab .Ab]{0,40}",
            pattern in distinct("ab.A", 4),
        ) {
            checked_look(&choice, &pattern);
        }

        #[test]
        fn scores_as_skim_on_words(
            choice in "([a-z]{1,9}[ .,-]){1,30}",
            pattern in distinct("abcdefghijklmnopqrstuvwxyz", 16),
        ) {
            checked_look(&choice, &pattern);
        }

        #[test]
        fn scores_as_skim_on_words_of_few_letters(
            choice in "([a-f]{1,6}[ .,-]){1,40}",
            pattern in distinct("abcdef", 6),
        ) {
            checked_look(&choice, &pattern);
        }

        /// Floors around the scores texts give: a bound stands in for a score only
        /// below the floor, and never below the score, in texts of every kind of char,
        /// where matches repeat (and rows start from the row two before), and of words.
        #[test]
        fn bounds_a_score_only_below_the_floor_and_never_below_the_score(
            choice in prop_oneof![
                "[abcAB .,_/0-9ạ\x00]{0,200}",
                "[aab .Ab]{0,40}",
                "([a-f]{1,6}[ .,-]){1,40}",
            ],
            pattern in prop_oneof![distinct("abcAB .0", 6), distinct("ab.A", 4), distinct("abcdef", 6)],
            floors in prop::collection::vec(-40..160i32, 6),
        ) {
            for floor in floors {
                checked_look_above(&choice, &pattern, floor);
            }
        }
    }

    #[test]
    fn bounds_a_match_whose_chars_lie_far_apart() {
        let choice = format!("c{}prtn", "a".repeat(30));
        // From the text's start, `c` earns 31 and each further char at most 20, and the
        // gaps (30 chars) lose at least 30 less one for each char after the first: 85.
        assert_eq!(skim(&choice, "cprtn"), Some(74));
        assert_eq!(
            checked_look_above(&choice, "cprtn", 85),
            Some(Seen::Scattered(74))
        );
        assert_eq!(
            checked_look_above(&choice, "cprtn", 86),
            Some(Seen::Below(85))
        );
        // Not at the text's start, `c` earns 15 and its bonus: here none, 16 less.
        let choice = format!("x{choice}");
        assert_eq!(
            checked_look_above(&choice, "cprtn", 70),
            Some(Seen::Below(69))
        );
        // A later start may end nearer, and is tried too.
        let choice = format!("{choice} c p r t n");
        assert!(matches!(
            checked_look_above(&choice, "cprtn", 90),
            Some(Seen::Scattered(_))
        ));
        // Six letters: a match skipping two may score 23 + 3 * 20, as much as many
        // matches do, so none is ruled out below that.
        let choice = format!("xd{}lgtns", "a".repeat(60));
        assert!(matches!(
            checked_look_above(&choice, "dlgtns", 83),
            Some(Seen::Scattered(_))
        ));
        assert_eq!(
            checked_look_above(&choice, "dlgtns", 84),
            Some(Seen::Below(83))
        );
    }

    /// On statement texts, floors just above each score: bounds take the place of
    /// many scores, and never wrongly.
    #[test]
    fn bounds_scores_on_statement_texts() {
        let data = crate::synthetic::generate(1_500, 7);
        let mut below = 0;
        for statement in &data.statements {
            let text = crate::text::fold(&statement.text);
            for pattern in ["cprtn", "dlgtns", "hptc"] {
                let Some((Seen::Scattered(score), _)) =
                    Letters::new(pattern).and_then(|l| l.look(text.as_bytes(), false, i32::MIN))
                else {
                    continue;
                };
                for floor in [score + 1, score + 10, 89] {
                    let seen = checked_look_above(&text, pattern, floor);
                    below += usize::from(matches!(seen, Some(Seen::Below(_))));
                }
            }
        }
        assert!(below > 1_000, "only {below} bounds");
    }
}
