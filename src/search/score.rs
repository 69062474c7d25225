//! How well one term's text matches one folded text: the scorer (fuzzy-matcher's
//! SkimMatcherV2, with a bonus for unbroken matches) and the cheap byte-level test that
//! rules most texts out before the scorer runs.

use fuzzy_matcher::FuzzyMatcher;
use memchr::memmem;

use super::query::Match;
use super::reach::Reach;
use super::skim::{self, CharType, Seen, matcher};

/// Added to a term's score when it occurs unbroken, so substring hits rank first.
pub const SUBSTRING_BONUS: i64 = 1_000;

/// The most a matched char can earn ([`skim::MOST_PER_CHAR`]); only the text's first
/// char earns more: twice the word-start bonus, less the 1 the scorer starts from
/// ([`FIRST_CHAR_EXTRA`]).
const MOST_PER_CHAR: i64 = skim::MOST_PER_CHAR as i64;
const FIRST_CHAR_EXTRA: i64 =
    (skim::BONUS_HEAD * (skim::BONUS_FIRST_CHAR_MULTIPLIER - 1) + skim::GAP_EXTENSION) as i64;

/// What the scorer takes for each gap inside a match, besides 1 per char skipped.
const GAP_START: i64 = -skim::GAP_START as i64;

/// What a look at one text tells about a needle's score there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Estimate {
    /// The needle does not occur as asked.
    Absent,
    /// It occurs, and this is its score.
    Exact(i64),
    /// It occurs, scattered; the scorer would give it at most this.
    AtMost(i64),
}

impl Estimate {
    fn bound(self) -> Option<i64> {
        match self {
            Estimate::Absent => None,
            Estimate::Exact(score) | Estimate::AtMost(score) => Some(score),
        }
    }

    pub fn from_score(score: Option<i64>) -> Self {
        score.map_or(Estimate::Absent, Estimate::Exact)
    }

    pub fn plus(self, bonus: i64) -> Self {
        match self {
            Estimate::Absent => Estimate::Absent,
            Estimate::Exact(score) => Estimate::Exact(score + bonus),
            Estimate::AtMost(score) => Estimate::AtMost(score + bonus),
        }
    }

    /// The better of two places a term may match: exact when the best is known exactly.
    pub fn or(self, other: Self) -> Self {
        match (self, other) {
            (Estimate::Absent, either) | (either, Estimate::Absent) => either,
            (Estimate::Exact(a), Estimate::Exact(b)) => Estimate::Exact(a.max(b)),
            (Estimate::Exact(a), Estimate::AtMost(b))
            | (Estimate::AtMost(b), Estimate::Exact(a))
                if a >= b =>
            {
                Estimate::Exact(a)
            }
            (a, b) => Estimate::AtMost(a.bound().max(b.bound()).unwrap_or_default()),
        }
    }

    /// Two terms' scores together: absent if either is, exact if both are.
    pub fn and(self, other: Self) -> Self {
        match (self, other) {
            (Estimate::Absent, _) | (_, Estimate::Absent) => Estimate::Absent,
            (Estimate::Exact(a), Estimate::Exact(b)) => Estimate::Exact(a + b),
            (a, b) => {
                Estimate::AtMost(a.bound().unwrap_or_default() + b.bound().unwrap_or_default())
            }
        }
    }
}

/// How closely to look at a text, each step costlier than the last: a scattered match
/// is scored only while its bound could rank it among the best (or while any scattered
/// match could, when the scan looks closely at once: see `SearchIndex::consider`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// Scattered matches get the bound that holds for every text.
    Estimate,
    /// Scattered matches get SkimMatcherV2's score as [`skim`] works it out, without its
    /// matrix or allocations: what a scan ranks by.
    Tight,
    /// Scattered matches are scored by SkimMatcherV2 itself: what a scan's best are
    /// scored with in the end.
    Exact,
}

/// A term's text, made ready to be looked for in many texts.
pub struct Needle {
    text: String,
    how: Match,
    finder: memmem::Finder<'static>,
    /// An ASCII needle is a subsequence of a text's chars exactly when it is one of its
    /// bytes: an ASCII byte is never part of another char's encoding.
    ascii: bool,
    /// The needle as [`skim`] scores it.
    skim: skim::Pattern,
    /// The scorer's score for an unbroken occurrence, by what precedes it.
    unbroken: [i64; Before::ALL.len()],
    /// The most a scattered match can score: every char earning [`MOST_PER_CHAR`], the
    /// first [`FIRST_CHAR_EXTRA`] more, less [`GAP_START`] for the one gap it has at least.
    scattered_at_most: i64,
    /// Its length in chars.
    chars: usize,
}

impl Needle {
    /// Its length in bytes.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// About the most the needle scores in a text where it matches only scattered, or
    /// for an exact needle (which never does), the most it scores at all.
    pub fn scattered_ceiling(&self) -> i64 {
        match self.how {
            Match::Fuzzy => self.scattered_at_most,
            how => exact_score(&self.text, 0, how),
        }
    }

    /// Whether and how well the needle occurs in `hay`, without running the scorer on
    /// scattered matches.
    pub fn estimate(&self, hay: &str) -> Estimate {
        match self.how {
            Match::Fuzzy => match self.best_unbroken(hay) {
                Some((score, _)) => Estimate::Exact(SUBSTRING_BONUS + score),
                None if self.is_scattered_in(hay) => Estimate::AtMost(self.scattered_at_most),
                None => Estimate::Absent,
            },
            how => Estimate::from_score(
                self.exact_at(hay)
                    .map(|byte| exact_score(&self.text, byte, how)),
            ),
        }
    }

    /// The reach in `hay` of a needle of one or two chars found there unbroken, with
    /// this score. One char's matrix is one row, whose best is the score itself (the
    /// best of its places, each scored as the unbroken table scores it), with the gap
    /// extension for the opening: what the scorer would give, without its read of the
    /// text. Two chars need that read. Unknown for a text the scorer gives none in.
    fn unbroken_reach(&self, hay: &str, score: i64) -> Reach {
        // A text's length in bytes bounds its length in chars, which the scorer goes by.
        if self.chars == 1 && skim::fits(hay.len(), skim::MOST_ROWS) {
            return i32::try_from(score)
                .map_or(Reach::UNKNOWN, |best| Reach::new(best, skim::GAP_EXTENSION));
        }
        let reached = self.skim.score_reaching(hay, true);
        reached.map_or(Reach::UNKNOWN, |r| r.reach)
    }

    /// The best-scoring unbroken occurrence: its score (without the bonus) and byte offset.
    fn best_unbroken(&self, hay: &str) -> Option<(i64, usize)> {
        let best_possible = self.unbroken.iter().copied().max().unwrap_or_default();
        let mut best: Option<(i64, usize)> = None;
        // Overlapping occurrences count too ("1.1" in "v1.1.1" is best after the dot), so
        // each search resumes one byte after the last hit, not after its end (a match of
        // a whole needle starts on a char boundary, so the next one cannot start inside
        // the char skipped).
        let mut from = 0;
        while let Some(found) = self.finder.find(&hay.as_bytes()[from..]) {
            let at = from + found;
            let score = self.unbroken[Before::of(hay[..at].chars().next_back()) as usize];
            if best.is_none_or(|(most, _)| score > most) {
                best = Some((score, at));
                if score == best_possible {
                    break;
                }
            }
            from = at + 1;
            if from > hay.len() {
                break;
            }
        }
        best
    }

    fn is_scattered_in(&self, hay: &str) -> bool {
        if self.ascii {
            return is_byte_subsequence(self.text.as_bytes(), hay.as_bytes());
        }
        is_subsequence(&self.text, hay)
    }

    /// The byte offset where an exact (non-fuzzy) needle occurs as asked.
    fn exact_at(&self, hay: &str) -> Option<usize> {
        let needle = self.text.as_str();
        match self.how {
            Match::Substring | Match::Fuzzy => self.finder.find(hay.as_bytes()),
            Match::Prefix => hay.starts_with(needle).then_some(0),
            Match::Suffix => hay.ends_with(needle).then(|| hay.len() - needle.len()),
            Match::Whole => (hay == needle).then_some(0),
        }
    }
}

/// What precedes an occurrence, as SkimMatcherV2 tells chars apart ([`CharType`]), or
/// the start of the text: an unbroken occurrence's score depends on nothing else, so it
/// is scored once per kind rather than once per text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Before {
    Start,
    HardSeparator,
    SoftSeparator,
    Digit,
    Upper,
    Other,
}

impl Before {
    const ALL: [Before; 6] = [
        Before::Start,
        Before::HardSeparator,
        Before::SoftSeparator,
        Before::Digit,
        Before::Upper,
        Before::Other,
    ];

    fn of(c: Option<char>) -> Self {
        let Some(c) = c else {
            return Before::Start;
        };
        match CharType::of(c) {
            // The scorer's "empty" char earns a word start's bonus, like a hard separator,
            // but only the text's first char gets it doubled.
            CharType::Empty | CharType::HardSep => Before::HardSeparator,
            CharType::SoftSep => Before::SoftSeparator,
            CharType::Number => Before::Digit,
            CharType::Upper => Before::Upper,
            CharType::Lower => Before::Other,
        }
    }

    /// Two chars of this kind, so one of them differs from any needle's first char
    /// (which could otherwise match in its place); none for the start of the text.
    fn examples(self) -> Option<[char; 2]> {
        match self {
            Before::Start => None,
            Before::HardSeparator => Some([' ', '/']),
            Before::SoftSeparator => Some(['.', ',']),
            Before::Digit => Some(['0', '1']),
            Before::Upper => Some(['A', 'B']),
            Before::Other => Some(['a', 'b']),
        }
    }
}

/// The most a scattered match scores: a needle of 42 chars or more could otherwise score
/// past [`SUBSTRING_BONUS`] scattered, and unbroken matches must rank first.
const SCATTERED_MOST: i64 = SUBSTRING_BONUS - 1;

fn scattered_score(hay: &str, needle: &str) -> Option<i64> {
    skim::skim(hay, needle).map(|score| score.min(SCATTERED_MOST))
}

impl Needle {
    pub fn new(text: &str, how: Match) -> Self {
        let first = text.chars().next();
        let unbroken = Before::ALL.map(|before| {
            let hay = match before.examples() {
                None => text.to_owned(),
                Some(examples) => {
                    let example = examples.into_iter().find(|&c| Some(c) != first);
                    example.into_iter().chain(text.chars()).collect()
                }
            };
            // The only way the needle fits `hay` is unbroken after the example char.
            matcher().fuzzy_match(&hay, text).unwrap_or_default()
        });
        Self {
            text: text.to_owned(),
            how,
            finder: memmem::Finder::new(text.as_bytes()).into_owned(),
            ascii: text.is_ascii(),
            skim: skim::Pattern::new(text),
            unbroken,
            chars: text.chars().count(),
            scattered_at_most: (MOST_PER_CHAR * text.chars().count() as i64 + FIRST_CHAR_EXTRA
                - GAP_START)
                .min(SCATTERED_MOST),
        }
    }

    /// The needle's score in `hay` if it occurs as asked. An unbroken occurrence scores
    /// [`SUBSTRING_BONUS`] plus the scorer's score for the best such occurrence; a
    /// scattered one, the scorer's score.
    pub fn score(&self, hay: &str) -> Option<i64> {
        match self.look(hay, Precision::Exact) {
            Estimate::Exact(score) => Some(score),
            _ => None,
        }
    }

    /// Looks at `hay` as closely as asked.
    pub fn look(&self, hay: &str, precision: Precision) -> Estimate {
        self.look_reaching(hay, precision, None, None).0
    }

    /// Like [`Needle::look`]. With `carried`, the needle's [`Reach`] in `hay` carried
    /// from a shorter needle it extends (see [`super::reach::Extension`]; unknown if
    /// none), which bounds a scattered match the cheap look finds; and the needle's own
    /// reach in `hay` as far as this look tells: worked out by the scorer, else the one
    /// carried (still true of this needle), unknown where the needle occurs unbroken or
    /// SkimMatcherV2 itself scores it. With `floor`, a scattered match a close look finds
    /// unable to score that much may come only with a bound below it (and with the reach
    /// carried, if any, as its own).
    #[inline]
    pub fn look_reaching(
        &self,
        hay: &str,
        precision: Precision,
        carried: Option<Reach>,
        floor: Option<i64>,
    ) -> (Estimate, Reach) {
        // A needle of a few distinct letters, looked at closely, is first looked for by
        // bit masks of where each letter is, which also give a scattered match's score
        // and reach, as the scorer below would; they leave the rest to the cheap test
        // and that scorer (an unbroken match, which is scored otherwise; a text they
        // cannot read).
        if precision == Precision::Tight && self.how == Match::Fuzzy {
            let floor = floor.map_or(i32::MIN, |f| {
                f.clamp(i32::MIN.into(), i32::MAX.into()) as i32
            });
            match self.skim.look_by_letters(hay, carried.is_some(), floor) {
                Some((Seen::Absent, _)) => return (Estimate::Absent, Reach::UNKNOWN),
                Some((Seen::Scattered(score), reach)) => {
                    let score = i64::from(score).min(SCATTERED_MOST);
                    return (Estimate::AtMost(score), reach);
                }
                // Not scored, so no reach worked out: the one carried is still true.
                Some((Seen::Below(most), _)) => {
                    let most = i64::from(most).min(SCATTERED_MOST);
                    return (Estimate::AtMost(most), carried.unwrap_or(Reach::UNKNOWN));
                }
                Some((Seen::Unbroken, _)) | None => {}
            }
        }
        // The cheap test comes first at every precision: where the needle is not in `hay`
        // at all, a chain of memchr calls stops sooner than the scorer's read.
        match (self.estimate(hay), precision) {
            (Estimate::AtMost(_), Precision::Tight) => {
                match self.skim.score_reaching(hay, carried.is_some()) {
                    Some(reached) => (
                        Estimate::AtMost(reached.score.min(SCATTERED_MOST)),
                        reached.reach,
                    ),
                    None => (Estimate::Absent, Reach::UNKNOWN),
                }
            }
            (Estimate::AtMost(_), Precision::Exact) => (
                Estimate::from_score(scattered_score(hay, &self.text)),
                Reach::UNKNOWN,
            ),
            (Estimate::AtMost(at_most), Precision::Estimate) => {
                let carried = carried.unwrap_or(Reach::UNKNOWN);
                let ceiling = carried.ceiling().map_or(at_most, |c| c.min(at_most));
                (Estimate::AtMost(ceiling), carried)
            }
            // Where one or two letters occur unbroken, their reach costs little and lets
            // the third letter, where most matches are scattered, skip scoring many.
            (estimate @ Estimate::Exact(score), _)
                if carried.is_some() && self.how == Match::Fuzzy && self.chars <= 2 =>
            {
                (estimate, self.unbroken_reach(hay, score - SUBSTRING_BONUS))
            }
            (estimate, _) => (estimate, Reach::UNKNOWN),
        }
    }

    /// Like [`Needle::score`], with the char indices in `hay` that matched.
    pub fn score_with_indices(&self, hay: &str) -> Option<(i64, Vec<usize>)> {
        let span = |byte: usize| {
            let start = hay[..byte].chars().count();
            (start..start + self.text.chars().count()).collect::<Vec<_>>()
        };
        match self.how {
            Match::Fuzzy => match self.best_unbroken(hay) {
                Some((score, byte)) => Some((SUBSTRING_BONUS + score, span(byte))),
                None => matcher()
                    .fuzzy_indices(hay, &self.text)
                    .map(|(score, indices)| (score.min(SCATTERED_MOST), indices)),
            },
            how => self
                .exact_at(hay)
                .map(|byte| (exact_score(&self.text, byte, how), span(byte))),
        }
    }
}

/// Whether `needle`'s chars all occur in `hay`, in order.
pub fn is_subsequence(needle: &str, hay: &str) -> bool {
    let mut hay = hay.chars();
    needle.chars().all(|c| hay.any(|h| h == c))
}

/// Whether `needle`'s bytes all occur in `hay`, in order: each found with memchr from
/// just after the last.
fn is_byte_subsequence(needle: &[u8], hay: &[u8]) -> bool {
    let mut from = 0;
    needle.iter().all(|&byte| {
        memchr::memchr(byte, &hay[from..]).is_some_and(|at| {
            from += at + 1;
            true
        })
    })
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

    fn fuzzy(needle: &str) -> Needle {
        Needle::new(needle, Match::Fuzzy)
    }

    #[test]
    fn the_cheap_look_finds_exactly_what_the_scorer_finds() {
        for (hay, needle) in [
            ("international cooperation", "coop"),
            ("international cooperation", "itcn"),
            ("international cooperation", "zz"),
            ("hop tac quoc te", "hoptac"),
            ("abc", "cba"),
            ("", "a"),
            ("北京 合作", "北合"),
            ("北京 合作", "合北"),
        ] {
            assert_eq!(
                fuzzy(needle).estimate(hay) != Estimate::Absent,
                matcher().fuzzy_match(hay, needle).is_some(),
                "{needle} in {hay}"
            );
        }
    }

    /// The unbroken score is looked up by the kind of char before the occurrence: the
    /// lookup must give what the scorer gives for that occurrence, whatever precedes it.
    #[test]
    fn unbroken_scores_are_the_scorers_for_every_char_before_them() {
        for needle in ["coop", "c", "Ab", "9x", "-x"] {
            let prepared = fuzzy(needle);
            let first = needle.chars().next();
            let before = (' '..='~').chain(['\0', 'é', 'Đ', '北', '\t']);
            for c in before.filter(|&c| Some(c) != first) {
                let hay = format!("{c}{needle}");
                assert_eq!(
                    prepared.best_unbroken(&hay).map(|(score, _)| score),
                    matcher().fuzzy_match(&hay, needle),
                    "{needle:?} after {c:?}"
                );
            }
            assert_eq!(
                prepared.best_unbroken(needle).map(|(score, _)| score),
                matcher().fuzzy_match(needle, needle),
                "{needle:?} alone"
            );
        }
    }

    proptest::proptest! {
        /// A needle of one char found unbroken (wherever it occurs) takes its reach from
        /// its score, without the scorer's read, and must get the scorer's own.
        #[test]
        fn one_char_reaches_as_the_scorer_reads_it(
            hay in "[abAB .,_/0-9ạĐ\\x00]{0,80}",
            needle in "[abAB .0ạĐ]",
        ) {
            let prepared = fuzzy(&needle);
            let carried = Some(Reach::UNKNOWN);
            for precision in [Precision::Estimate, Precision::Tight, Precision::Exact] {
                let (estimate, reach) = prepared.look_reaching(&hay, precision, carried, None);
                let reached = prepared.skim.score_reaching(&hay, true);
                proptest::prop_assert_eq!(
                    estimate,
                    Estimate::from_score(reached.map(|r| r.score + SUBSTRING_BONUS))
                );
                proptest::prop_assert_eq!(reach, reached.map_or(Reach::UNKNOWN, |r| r.reach));
            }
        }
    }

    /// Around the longest text the scorer works a reach out in (about 29,400 chars, where
    /// it still scores one char up to about 31,900), and past both.
    #[test]
    fn one_char_has_a_reach_where_the_scorer_has_one() {
        let prepared = fuzzy("c");
        for (length, known) in [(29_000, true), (30_000, false), (40_000, false)] {
            let text = format!("a c{}", " ".repeat(length - 3));
            let (estimate, reach) =
                prepared.look_reaching(&text, Precision::Tight, Some(Reach::UNKNOWN), None);
            let reached = prepared.skim.score_reaching(&text, true);
            assert!(matches!(estimate, Estimate::Exact(_)), "{length}");
            assert_eq!(Some(reach), reached.map(|r| r.reach), "{length}");
            assert_eq!(reach != Reach::UNKNOWN, known, "{length}");
        }
    }

    #[test]
    fn the_best_unbroken_occurrence_counts_and_is_the_one_highlighted() {
        let needle = fuzzy("op");
        // Inside "cooperation", then at the start of a word.
        let hay = "cooperation op";
        let (score, indices) = needle.score_with_indices(hay).expect("match");
        assert_eq!(indices, [12, 13]);
        assert_eq!(Some(score), needle.score(hay));
        assert!(score > needle.score("cooperation").expect("match"));
    }

    #[test]
    fn overlapping_occurrences_are_looked_at_too() {
        for (hay, needle, at) in [
            ("v1.1.1", "1.1", 3),
            ("x2-2-2", "2-2", 3),
            ("ba/a/a", "a/a", 3),
        ] {
            let prepared = fuzzy(needle);
            let (_, indices) = prepared.score_with_indices(hay).expect("match");
            assert_eq!(indices[0], at, "{needle} in {hay}");
        }
    }

    /// What the scorer gave before must not change what it gives now: fuzzy-matcher's
    /// reused matrix once let an earlier text raise a later score above its bound.
    #[test]
    fn scores_do_not_depend_on_earlier_calls() {
        let fresh = fuzzy("aab");
        let fresh_score = fresh.score("a ab");
        let table = fuzzy("cc/").unbroken;
        let _ = fresh.score("aa/b.ca");
        let _ = fuzzy("1//").score("1-abb-//..");
        let _ = matcher().fuzzy_match("aaba ab a aa/b/b /", "a");
        assert_eq!(fresh.score("a ab"), fresh_score);
        assert_eq!(fuzzy("cc/").unbroken, table);
        let Estimate::AtMost(bound) = fresh.look("a ab", Precision::Tight) else {
            panic!("aab is scattered in \"a ab\"");
        };
        assert!(fresh_score.is_some_and(|score| score <= bound));
    }

    #[test]
    fn no_scattered_match_scores_above_its_bound() {
        for (hay, needle) in [
            ("c o o p", "coop"),
            ("Cc Oo Oo Pp", "COOP"),
            ("a-b_c/d e.f", "abcdef"),
            ("co-op", "coop"),
            ("xco op", "coop"),
            ("international cooperation", "itcn"),
            ("hop tac", "hptc"),
            ("ạh ôi ng", "hing"),
        ] {
            let prepared = fuzzy(needle);
            let score = matcher().fuzzy_match(hay, needle).expect("match");
            let Estimate::AtMost(bound) = prepared.look(hay, Precision::Tight) else {
                panic!("{needle} is scattered in {hay}");
            };
            assert!(score <= bound, "{needle} in {hay}: {score} > {bound}");
        }
    }

    #[test]
    fn scores_with_and_without_indices_agree() {
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
                let prepared = Needle::new(needle, how);
                assert_eq!(
                    prepared.score(hay),
                    prepared.score_with_indices(hay).map(|(s, _)| s),
                    "{how:?} {needle} in {hay}"
                );
            }
        }
    }

    #[test]
    fn unbroken_beats_scattered_and_whole_beats_prefix() {
        let closing = fuzzy("closing");
        let unbroken = closing.score("the closing words").expect("match");
        let scattered = closing.score("color of a singer, going").expect("match");
        assert!(
            unbroken >= SUBSTRING_BONUS && scattered < SUBSTRING_BONUS,
            "{unbroken} {scattered}"
        );
        // Long enough to pass the bonus if scattered scores were not capped below it.
        let long: String = "abcdefghij".repeat(5);
        let spread: String = long.chars().map(|c| format!("{c} ")).collect();
        assert!(matcher().fuzzy_match(&spread, &long) > Some(SUBSTRING_BONUS));
        let scattered = fuzzy(&long).score(&spread);
        assert!(
            scattered.is_some_and(|s| s < SUBSTRING_BONUS),
            "{scattered:?}"
        );
        let whole = Needle::new("closing", Match::Whole)
            .score("closing")
            .expect("match");
        let prefix = Needle::new("closing", Match::Prefix)
            .score("closing")
            .expect("match");
        assert!(whole > prefix);
    }
}
