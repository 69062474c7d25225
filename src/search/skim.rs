//! SkimMatcherV2's score (fuzzy-matcher 0.3.7, default scores, case respected, no
//! positions), worked out in one read of the text that stops only where it holds one of
//! the pattern's chars, rather than cell by cell of SkimMatcherV2's matrix.
//!
//! The scan ranks scattered matches by it, and SkimMatcherV2 itself scores only the best
//! a scan returns (`SearchIndex::confirm`), so every score a user sees still comes from
//! SkimMatcherV2. A fresh SkimMatcherV2 ([`matcher`]) costs a dozen small allocations
//! per text and fills a matrix of text × pattern cells; at a million statements a
//! scattered query has hundreds of thousands of matches, so this works out the same
//! score from the cells that matter, without allocating once warm. Tests check it gives
//! SkimMatcherV2's score on any text and needle: were it ever to give a different one, a
//! match could rank wrongly or be left out of the best, which is what they guard against
//! (debug builds also check every returned score against SkimMatcherV2's).
//!
//! How SkimMatcherV2 fills its matrix, and what that allows here. Row `i` holds pattern
//! char `i`; the cell for text char `t` holds `m`, the best score with the pattern char
//! matched there, and `p`, the best with it matched earlier and text skipped since:
//! - `m(t)` is `SCORE_MATCH` plus the better of the previous row's `m(t - 1)` plus the
//!   consecutive bonus and its `p(t - 1)` plus char `t`'s own bonus, where the text char
//!   is the pattern char, and nothing elsewhere;
//! - `p(t)` is the better of `m(t - 1)` less a gap's start and `p(t - 1)` less one char,
//!   so it is `max over earlier matches t' of m(t') + t' - 3, less t`: a running maximum
//!   over the row's matches ([`Row`]), not a cell per char;
//! - the consecutive bonus it carries from cell to cell always comes out as
//!   `max(bonus(t), BONUS_CONSECUTIVE)`: in a fresh matrix, the bonus kept in the cell
//!   before char `t` is only ever zeroed (a mismatch there) or set from char `t`'s own
//!   bonus (a match at `t`), and only a match at `t` reads it;
//! - the matrix has two rows that take turns, and a row is filled only from its pattern
//!   char's first possible place (where the greedy match puts it): the cell just before
//!   that place still holds what the row two before left there (or the starting values),
//!   and that is where the row starts from. The last row's answer also looks at that
//!   cell. The tests below name a text for each of these.
//!
//! Scores that can only come from the matrix's "minus infinity" (`i16::MIN`) are left out:
//! once the text and pattern are short enough ([`fits`]), any score reached from a real
//! start is above them, and the greedy match always gives one. Longer texts, and patterns
//! of more than 64 chars, go to SkimMatcherV2 itself.
//!
//! A pattern of a few distinct ASCII chars in a short text is first read by bit masks
//! ([`letters`]), which fill the same rows at the same places, more cheaply.

use std::cell::RefCell;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use super::reach::Reach;

mod compare;
mod letters;

use letters::Letters;
pub use letters::Seen;

/// SkimMatcherV2's default scores.
pub(super) const SCORE_MATCH: i32 = 16;
pub(super) const GAP_START: i32 = -3;
pub(super) const GAP_EXTENSION: i32 = -1;
pub(super) const BONUS_HEAD: i32 = SCORE_MATCH / 2;
const BONUS_BREAK: i32 = SCORE_MATCH / 2 + GAP_EXTENSION;
const BONUS_CAMEL: i32 = SCORE_MATCH / 2 + 2 * GAP_EXTENSION;
pub(super) const BONUS_CONSECUTIVE: i32 = -(GAP_START + GAP_EXTENSION);
pub(super) const BONUS_FIRST_CHAR_MULTIPLIER: i32 = 2;

/// The most a matched char earns: the match itself plus its largest bonus, a word
/// start's (also what an unbroken run carries). Only the text's first char earns more.
pub(super) const MOST_PER_CHAR: i32 = SCORE_MATCH + BONUS_HEAD;

/// The most the first row's `m` holds past the text's first char: a match after the
/// row before the first (its `p` is the gap extension), with a word start's bonus.
pub(super) const FIRST_ROW_MOST: i32 = SCORE_MATCH + GAP_EXTENSION + BONUS_HEAD;

/// The most rows [`Buffers::score`] fills; also the longest pattern a [`Reach`] is
/// worked out for.
pub(super) const MOST_ROWS: usize = 64;

/// A score no match can reach: what cells start from where SkimMatcherV2's start from
/// its minus infinity (and so are never reached from a real start). Far enough from `i32::MIN` that a text's length taken from it
/// does not wrap.
pub(super) const UNREACHED: i32 = i32::MIN / 4;

/// Whether every score reachable from a real start is above every score reachable from
/// SkimMatcherV2's minus infinity (`i16::MIN`): a real one loses at most 1 per text char
/// and 3 more per pattern char, one from minus infinity gains at most 32 per pattern
/// char.
pub(super) fn fits(text_chars: usize, pattern_chars: usize) -> bool {
    text_chars.saturating_add(pattern_chars.saturating_mul(40)) < 32_000
}

/// [`Unit::places`] by looking each unit up.
fn looked_up_places<T: Unit>(block: &[T], pattern: &Pattern) -> u64 {
    (block.iter().enumerate()).fold(0, |places, (k, &unit)| {
        places | u64::from(pattern.rows_of(unit.char()) != 0) << k
    })
}

/// Up to how many distinct pattern chars [`Unit::places`] compares blocks of an ASCII
/// text with each, rather than looking each byte up.
const MOST_COMPARED: usize = 12;

/// A text unit the scorer compares: a byte, where the pattern and the stretch of text
/// read are ASCII, or a char.
trait Unit: Copy + Eq {
    fn char(self) -> char;

    /// The rows whose pattern char this unit is, one bit each (see [`Pattern::rows_of`]);
    /// for a unit at one of [`Unit::places`].
    fn rows(self, pattern: &Pattern) -> u64 {
        pattern.rows_of(self.char())
    }

    /// The bonus for matching `this` just after `before`.
    fn bonus(before: Self, this: Self) -> i32 {
        bonus_by_kind(before.char(), this.char())
    }

    /// Which of `block`'s (at most 64) units are among the pattern's chars, one bit each;
    /// `None` if the block holds a unit that is not a whole char (a byte of a char
    /// beyond ASCII).
    fn places(block: &[Self], pattern: &Pattern) -> Option<u64> {
        // No branch per unit: units come in no order a processor could predict.
        Some(looked_up_places(block, pattern))
    }

    /// Where `unit` first occurs in `hay`.
    fn first(hay: &[Self], unit: Self) -> Option<usize> {
        hay.iter().position(|&u| u == unit)
    }

    /// Where `unit` last occurs in `hay`.
    fn last(hay: &[Self], unit: Self) -> Option<usize> {
        hay.iter().rposition(|&u| u == unit)
    }
}

impl Unit for u8 {
    fn char(self) -> char {
        char::from(self)
    }

    fn rows(self, pattern: &Pattern) -> u64 {
        // Places are only ever found in blocks of ASCII bytes.
        debug_assert!(self.is_ascii());
        pattern.ascii_rows[usize::from(self & 0x7f)]
    }

    fn bonus(before: u8, this: u8) -> i32 {
        // Bytes are scored only for an ASCII pattern, whose chars are the `this`.
        byte_bonus(before, this)
    }

    fn places(block: &[u8], pattern: &Pattern) -> Option<u64> {
        let Some(distinct) = pattern.ascii_distinct.as_deref() else {
            return block.is_ascii().then(|| looked_up_places(block, pattern));
        };
        let mut places = 0;
        let beyond_ascii = compare::places(block, distinct, |_, _, bits| places |= bits);
        (beyond_ascii == [0; compare::WORDS]).then_some(places)
    }

    fn first(hay: &[u8], unit: u8) -> Option<usize> {
        memchr::memchr(unit, hay)
    }

    fn last(hay: &[u8], unit: u8) -> Option<usize> {
        memchr::memrchr(unit, hay)
    }
}

impl Unit for char {
    fn char(self) -> char {
        self
    }
}

/// Where one pattern char's row stands as the text is read: what it started from and
/// its matches so far, enough to give its `m` and `p` in the cell just read.
#[derive(Debug, Clone, Copy)]
struct Row {
    /// `m` in the cell before the row's first place, as the row two before left it.
    start_m: i32,
    /// What `p` starts from, in the form `run` has: `p(t)` is the larger of this and
    /// `run`, less `t`.
    base: i32,
    /// The largest `m(t') + t' - 3` over the row's matches before its last.
    run: i32,
    /// The row's last match (-1 before its first), and its `m`.
    last_at: i32,
    last_m: i32,
    /// The row's best `m`.
    best: i32,
}

// Rows are read and written without a branch on where the last match is (a text's
// chars come in no order a processor could predict): a missing match is a score of
// `UNREACHED` at -1, which no maximum takes.
impl Row {
    const UNSTARTED: Row = Row {
        start_m: UNREACHED,
        base: UNREACHED,
        run: UNREACHED,
        last_at: -1,
        last_m: UNREACHED,
        best: UNREACHED,
    };

    /// `(m, p)` in the cell of text char `t`, once the row has read it (and no further).
    fn cell(&self, t: i32) -> (i32, i32) {
        let here = self.last_at == t;
        let with_last = self.run.max(self.last_m + GAP_START + self.last_at);
        let run = if here { self.run } else { with_last };
        let m = if here { self.last_m } else { UNREACHED };
        (m, self.base.max(run) - t)
    }

    fn matched(&mut self, t: i32, m: i32) {
        self.run = self.run.max(self.last_m + GAP_START + self.last_at);
        self.last_at = t;
        self.last_m = m;
        self.best = self.best.max(m);
    }
}

#[derive(Debug, Default)]
struct Buffers {
    choice: Vec<char>,
    rows: Vec<Row>,
}

thread_local! {
    static BUFFERS: RefCell<Buffers> = RefCell::default();
}

/// A pattern made ready to be scored in many texts.
#[derive(Debug)]
pub struct Pattern {
    text: String,
    chars: Vec<char>,
    /// For each ASCII char, the rows whose pattern char it is, one bit each.
    ascii_rows: [u64; 128],
    /// Whether the pattern is ASCII, so that it can be scored on a text's bytes.
    ascii: bool,
    /// The pattern's distinct chars, if it is ASCII and has few enough of them that
    /// comparing a block of text with each is quicker than looking each unit up.
    ascii_distinct: Option<Vec<u8>>,
    /// The pattern made ready to be scored by bit masks, if its chars are few, distinct
    /// and ASCII.
    letters: Option<Letters>,
}

impl Pattern {
    pub fn new(text: &str) -> Self {
        let mut ascii_rows = [0; 128];
        for (row, c) in text.chars().enumerate().take(64) {
            if let Some(slot) = ascii_rows.get_mut(c as usize) {
                *slot |= 1 << row;
            }
        }
        let mut distinct: Vec<u8> = text.bytes().take(64).collect();
        distinct.sort_unstable();
        distinct.dedup();
        Self {
            text: text.to_owned(),
            chars: text.chars().collect(),
            ascii_rows,
            ascii: text.is_ascii(),
            ascii_distinct: (text.is_ascii() && distinct.len() <= MOST_COMPARED)
                .then_some(distinct),
            letters: Letters::new(text),
        }
    }

    /// What bit masks of where each pattern char occurs tell about `choice`: whether the
    /// pattern occurs there, unbroken, or only scattered with SkimMatcherV2's score
    /// there (and the pattern's [`Reach`] there if `reaching` asks for it, as
    /// [`Pattern::score_reaching`] gives it), or only a bound on that score where it is
    /// below `floor`; `None` where they cannot tell (a pattern of one char, of repeated
    /// or many chars, or beyond ASCII; a long text, or one with chars beyond ASCII where
    /// the pattern would be scored).
    pub fn look_by_letters(
        &self,
        choice: &str,
        reaching: bool,
        floor: i32,
    ) -> Option<(Seen, Reach)> {
        self.letters
            .as_ref()?
            .look(choice.as_bytes(), reaching, floor)
    }

    /// The rows whose pattern char is `unit`, one bit each (of the first 64).
    fn rows_of(&self, unit: char) -> u64 {
        match self.ascii_rows.get(unit as usize) {
            Some(&rows) => rows,
            None => (self.chars.iter().take(64).enumerate())
                .filter(|&(_, &p)| p == unit)
                .fold(0, |rows, (row, _)| rows | 1 << row),
        }
    }

    /// What SkimMatcherV2 scores the pattern in `choice` (`None` if it does not match),
    /// with the pattern's [`Reach`] in `choice` if `reaching` asks for it: unknown
    /// otherwise, for an empty pattern, in texts too long for [`MOST_ROWS`] rows to fit,
    /// and where SkimMatcherV2 itself scores the text. For a pattern of three chars or
    /// more, the reach reads the text to its end, not just to the pattern's last char's
    /// last place.
    pub fn score_reaching(&self, choice: &str, reaching: bool) -> Option<Reached> {
        if self.text.is_empty() {
            return Some(Reached {
                score: 0,
                reach: Reach::UNKNOWN,
            });
        }
        let unfit = || {
            skim(choice, &self.text).map(|score| Reached {
                score,
                reach: Reach::UNKNOWN,
            })
        };
        BUFFERS.with(|buffers| {
            let buffers = &mut *buffers.borrow_mut();
            // An ASCII pattern is scored on the text's bytes where the stretch read is
            // ASCII, whatever comes before or after it: an ASCII byte is never part of
            // another char, the scores depend only on distances within the stretch (and
            // on whether it starts the text), and a char beyond ASCII just before it is of
            // the same kind (lowercase) to the scorer as any byte of one.
            if self.ascii
                && let Read::Scored(score) = buffers.score(
                    choice.as_bytes(),
                    self.text.as_bytes(),
                    self,
                    reaching,
                    unfit,
                )
            {
                return score;
            }
            let mut chars = std::mem::take(&mut buffers.choice);
            chars.clear();
            chars.extend(choice.chars());
            let read = buffers.score(&chars, &self.chars, self, reaching, unfit);
            buffers.choice = chars;
            match read {
                Read::Scored(score) => score,
                // Chars are always whole.
                Read::NotWhole => unfit(),
            }
        })
    }
}

/// SkimMatcherV2's score itself: what this module works out, and what it falls back to
/// for texts too long for [`fits`] and patterns of more than 64 chars.
pub(super) fn skim(choice: &str, pattern: &str) -> Option<i64> {
    matcher().fuzzy_match(choice, pattern)
}

/// A SkimMatcherV2 for one call. fuzzy-matcher 0.3.7 reuses a score matrix per thread
/// and per matcher without clearing it, so a matcher's scores depend on the texts it
/// scored before (by up to 8 per char); a fresh one scores the same text the same way
/// every time, which the bounds of the search and reproducible rankings both need, and
/// is what this module reproduces. Texts and needles are folded for case by the caller
/// (smart case), so it compares them as they are.
pub(super) fn matcher() -> SkimMatcherV2 {
    SkimMatcherV2::default().respect_case()
}

/// A pattern's score in a text, and its reach there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reached {
    pub score: i64,
    pub reach: Reach,
}

/// What reading a text gave.
enum Read {
    /// The score and reach, or `None` if the pattern does not match.
    Scored(Option<Reached>),
    /// The stretch read holds units that are not whole chars: read it as chars.
    NotWhole,
}

impl Buffers {
    /// Reads the text once, filling each pattern char's row where the text has that
    /// char, from the place the greedy match reaches it on; to the text's end if
    /// `reaching`, for the [`Reach`].
    fn score<T: Unit>(
        &mut self,
        choice: &[T],
        pattern: &[T],
        prepared: &Pattern,
        reaching: bool,
        unfit: impl FnOnce() -> Option<Reached>,
    ) -> Read {
        if pattern.len() > MOST_ROWS || !fits(choice.len(), pattern.len()) {
            return Read::Scored(unfit());
        }
        let rows = &mut self.rows;
        rows.clear();
        rows.resize(pattern.len(), Row::UNSTARTED);
        // How many rows have started: the greedy match's progress; and those rows, one bit
        // each.
        let mut started = 0;
        let mut started_rows = 0u64;
        // For the reach, the last two rows' `p` in the cell of their first place: the
        // most it holds before their first match (after a match `m`, at most that `m`
        // less 4).
        let mut openings = [UNREACHED; 2];
        // Only from the first pattern char's first place to the last one's last place:
        // no row starts before the first, and past the last no row reaches the answer
        // (the cells rows start from are before it too).
        let (Some(from), Some(last_place)) = (
            T::first(choice, pattern[0]),
            T::last(choice, pattern[pattern.len() - 1]),
        ) else {
            return Read::Scored(None);
        };
        // The reach takes the whole of the last two rows, and the one before the last
        // may match past the last one's last place: the text is read to its end, unless
        // that row is the first, whose `m` past the text's first char is at most
        // `FIRST_ROW_MOST`.
        let reaching = reaching && fits(choice.len(), MOST_ROWS);
        let to = if reaching && pattern.len() > 2 {
            choice.len() - 1
        } else {
            last_place
        };
        let read = choice.get(from..=to).unwrap_or_default();
        // The places holding one of the pattern's chars, 64 at a time.
        for (block_index, block) in read.chunks(64).enumerate() {
            let Some(mut places) = T::places(block, prepared) else {
                return Read::NotWhole;
            };
            while places != 0 {
                let at = from + block_index * 64 + places.trailing_zeros() as usize;
                places &= places - 1;
                let unit = choice[at];
                // `fits` keeps texts far shorter than `i32::MAX`.
                let t = at as i32;
                if started < pattern.len() && pattern[started] == unit {
                    rows[started] = start(rows, started, t);
                    // The last two rows' openings, the one before the last first.
                    if let Some(of_last_two) = (started + 2).checked_sub(pattern.len()) {
                        openings[of_last_two] = rows[started].base - t;
                    }
                    started += 1;
                    started_rows = started_rows << 1 | 1;
                }
                // Rows that have started, last first, so each reads the one before it as
                // it stood in the cell before.
                let mut matching = unit.rows(prepared) & started_rows;
                if matching == 0 {
                    continue;
                }
                let bonus = match at.checked_sub(1) {
                    Some(b) => T::bonus(choice[b], unit),
                    // The text's first char: after SkimMatcherV2's "empty" char, doubled.
                    None => bonus_by_kind('\0', unit.char()) * BONUS_FIRST_CHAR_MULTIPLIER,
                };
                while matching != 0 {
                    let row = 63 - matching.leading_zeros() as usize;
                    matching &= !(1 << row);
                    let (m_before, p_before) = match row {
                        // The row before the first: no matches, and `p` is the gap
                        // extension.
                        0 => (UNREACHED, GAP_EXTENSION),
                        _ => rows[row - 1].cell(t - 1),
                    };
                    let m = SCORE_MATCH
                        + (m_before + bonus.max(BONUS_CONSECUTIVE)).max(p_before + bonus);
                    rows[row].matched(t, m);
                }
            }
        }
        if started < pattern.len() {
            return Read::Scored(None);
        }
        // The last row's answer also takes the cell before its first place.
        let last = rows[pattern.len() - 1];
        let best = last.best.max(last.start_m);
        debug_assert!(best > UNREACHED / 2, "the greedy match always scores");
        let reach = match reaching {
            true => {
                let last_two = &rows[pattern.len().saturating_sub(2)..];
                let first_row_unread = if pattern.len() == 2 {
                    FIRST_ROW_MOST
                } else {
                    UNREACHED
                };
                Reach::new(
                    (last_two.iter().map(|row| row.best)).fold(first_row_unread, i32::max),
                    // The second row starts from the gap extension, as if the row before
                    // the first held it in its `p`.
                    openings.into_iter().fold(GAP_EXTENSION, i32::max),
                )
            }
            false => Reach::UNKNOWN,
        };
        Read::Scored(Some(Reached {
            score: i64::from(best),
            reach,
        }))
    }
}

/// Row `row` as it starts at text char `t`, its pattern char's first place: from what
/// its buffer held in the cell before, the starting values in the first two rows (the
/// second's `p` is the gap extension), then what the row two before left there.
fn start(rows: &[Row], row: usize, t: i32) -> Row {
    let (start_m, start_p) = match row {
        0 => (UNREACHED, UNREACHED),
        1 => (UNREACHED, GAP_EXTENSION),
        _ => rows[row - 2].cell(t - 1),
    };
    Row {
        start_m,
        base: (start_p + GAP_EXTENSION + t).max(start_m + GAP_START + GAP_EXTENSION + t),
        ..Row::UNSTARTED
    }
}

/// The `p` formula above takes one per char skipped.
const _: () = assert!(GAP_EXTENSION == -1);

/// The bonus for a char of each kind (second index) after a char of each kind (first),
/// looked up rather than matched.
const BONUSES: [[i32; CharType::ALL.len()]; CharType::ALL.len()] = {
    let mut bonuses = [[0; CharType::ALL.len()]; CharType::ALL.len()];
    let mut before = 0;
    while before < CharType::ALL.len() {
        let mut this = 0;
        while this < CharType::ALL.len() {
            bonuses[before][this] = match (CharType::ALL[before], CharType::ALL[this]) {
                (CharType::Empty | CharType::HardSep, _) => BONUS_HEAD,
                (CharType::SoftSep, _) => BONUS_BREAK,
                (CharType::Lower | CharType::Number, CharType::Upper) => BONUS_CAMEL,
                _ => 0,
            };
            this += 1;
        }
        before += 1;
    }
    bonuses
};

/// The bonus for matching `this` just after `before`, from their kinds.
pub(super) fn bonus_by_kind(before: char, this: char) -> i32 {
    BONUSES[CharType::of(before) as usize][CharType::of(this) as usize]
}

/// The bonus for matching ASCII char `this` just after byte `before`.
#[inline]
pub(super) fn byte_bonus(before: u8, this: u8) -> i32 {
    debug_assert!(this.is_ascii());
    i32::from(BYTE_BONUSES[usize::from(before)][usize::from(this & 0x7f)])
}

/// The bonus for matching ASCII char `this` just after byte `before`, after a gap and
/// after a match of `before` (at least [`BONUS_CONSECUTIVE`]); the second looked up
/// rather than compared, which compilers may turn into a branch no processor predicts.
#[inline]
pub(super) fn byte_bonuses(before: u8, this: u8) -> (i32, i32) {
    let bonus = byte_bonus(before, this);
    let consecutive = CONSECUTIVE_BONUSES[bonus as usize % CONSECUTIVE_BONUSES.len()];
    (bonus, i32::from(consecutive))
}

/// The bonus after a match, by the bonus (all of which are below 16).
static CONSECUTIVE_BONUSES: [i8; 16] = {
    let mut bonuses = [0; 16];
    let mut bonus = 0;
    while bonus < 16 {
        bonuses[bonus] = if (bonus as i32) < BONUS_CONSECUTIVE {
            BONUS_CONSECUTIVE as i8
        } else {
            bonus as i8
        };
        bonus += 1;
    }
    bonuses
};

/// [`BONUSES`] for any byte before an ASCII char, by the byte, then the char: looked up
/// at once, without a branch, rather than through each one's kind. A byte beyond ASCII
/// (part of a char beyond it) is of the kind of its char, lowercase.
static BYTE_BONUSES: [[i8; 128]; 256] = {
    let mut bonuses = [[0; 128]; 256];
    let mut before = 0;
    while before < 256 {
        let mut this = 0;
        while this < 128 {
            let before_kind = CharType::classify(before as u8 as char) as usize;
            bonuses[before][this] = BONUSES[before_kind][ASCII_TYPES[this] as usize] as i8;
            this += 1;
        }
        before += 1;
    }
    bonuses
};

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
    /// Every kind, each at its own index.
    const ALL: [CharType; 6] = [
        CharType::Empty,
        CharType::Upper,
        CharType::Lower,
        CharType::Number,
        CharType::HardSep,
        CharType::SoftSep,
    ];

    #[inline]
    pub(super) fn of(c: char) -> Self {
        match ASCII_TYPES.get(c as usize) {
            Some(&ascii) => ascii,
            None => Self::classify(c),
        }
    }

    const fn classify(c: char) -> Self {
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

/// [`CharType::classify`] for each ASCII char, looked up rather than worked out.
const ASCII_TYPES: [CharType; 128] = {
    let mut types = [CharType::Empty; 128];
    let mut ascii = 0;
    while ascii < 128 {
        types[ascii] = CharType::classify(ascii as u8 as char);
        ascii += 1;
    }
    types
};

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn score(choice: &str, pattern: &str) -> Option<i64> {
        let reached = Pattern::new(pattern).score_reaching(choice, false);
        reached.map(|reached| reached.score)
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
            // A pattern char outside ASCII, in a text that has others.
            ("ạ ạa", "ạa"),
            ("Ạạ bạ", "ạ"),
            ("", "a"),
            ("abc", ""),
            ("aab", "ab"),
            ("a.a a", "aaa"),
            // The last row's answer takes the cell left by the row two before it.
            ("babbbb,bbbbbbbbb,bbbbbb bbbpaax,", "apx"),
            // The second row starts from the gap extension, not from minus infinity.
            ("aq,aaaaaa aaaa,aaaaaaaaa aa aayap ", "qyp"),
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

    /// A pattern fills at most 64 rows, one bit each; a longer one goes to
    /// SkimMatcherV2 itself.
    #[test]
    fn scores_the_longest_patterns_as_skim() {
        let text = "ab c".repeat(40);
        for pattern in ["ab".repeat(32), format!("{}a", "ab".repeat(32))] {
            assert_eq!(score(&text, &pattern), skim(&text, &pattern), "{pattern}");
            assert!(score(&text, &pattern).is_some());
        }
    }

    /// Texts past [`fits`] are scored by SkimMatcherV2 itself.
    #[test]
    fn scores_long_texts_as_skim() {
        let long = format!("c{}ooperation{}n", "x ".repeat(20_000), " t".repeat(100));
        assert!(!fits(long.chars().count(), 5));
        assert_eq!(score(&long, "cprtn"), skim(&long, "cprtn"));
        let fitting = &long[..2_000];
        assert!(fits(fitting.chars().count(), 3));
        assert_eq!(score(fitting, "cxx"), skim(fitting, "cxx"));
    }

    proptest! {
        #[test]
        fn scores_as_skim_on_any_text(
            choice in "[abcAB .,_/0-9ạ\\x00]{0,150}",
            pattern in "[abcAB .0ạ\\x00]{1,6}",
        ) {
            prop_assert_eq!(score(&choice, &pattern), skim(&choice, &pattern));
        }

        /// Few distinct chars, so patterns match in many ways and rows start from what
        /// the row two before left.
        #[test]
        fn scores_as_skim_on_repetitive_text(
            choice in "[aab .A]{0,30}",
            pattern in "[aab.A]{1,9}",
        ) {
            prop_assert_eq!(score(&choice, &pattern), skim(&choice, &pattern));
        }

        /// Patterns with more distinct chars than blocks of text are compared with one by
        /// one ([`MOST_COMPARED`]), in texts that hold them in order among other letters.
        #[test]
        fn scores_as_skim_with_many_distinct_chars(
            (pattern, fillers) in (
                proptest::sample::subsequence(
                    ('a'..='z').collect::<Vec<_>>(),
                    MOST_COMPARED + 1..=20,
                )
                .prop_shuffle(),
                proptest::collection::vec("[a-z .,]{0,6}", 20),
            ),
        ) {
            let pattern: String = pattern.into_iter().collect();
            let mut choice = String::new();
            for (c, filler) in pattern.chars().zip(&fillers) {
                choice.push_str(filler);
                choice.push(c);
            }
            prop_assert_eq!(score(&choice, &pattern), skim(&choice, &pattern));
        }

        /// ASCII texts over several blocks, the last one short, with NUL (the padding's
        /// byte) in texts and patterns.
        #[test]
        fn scores_as_skim_on_long_ascii_texts(
            choice in "[abc .\\x00]{60,200}",
            pattern in "[abc\\x00]{1,5}",
        ) {
            prop_assert_eq!(score(&choice, &pattern), skim(&choice, &pattern));
        }

        /// ASCII patterns in texts with chars beyond ASCII before, inside and after the
        /// stretch read, over several blocks: read as bytes where the stretch is ASCII,
        /// as chars where it is not.
        #[test]
        fn scores_as_skim_around_chars_beyond_ascii(
            choice in "([a-zđạảấ]{1,9}[ .,-]){1,20}",
            pattern in "[a-z .]{1,6}",
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
