//! Statement texts kept once for both uses: as the lowercase fold search scans, and as the
//! exact words a user quotes, rebuilt from the fold and what folding changed.
//!
//! At a million statements the texts are most of the data; keeping each as typed and
//! again folded would hold every byte twice. Folding changes few chars (capitals,
//! diacritics), so each text's fold is kept whole and each changed char as a patch: where
//! it is in the fold, how many fold bytes it became, and what it was.
//!
//! A text's patches are a run of bytes, entry after entry, each:
//! - the number of fold bytes since the previous entry's, unchanged (LEB128);
//! - `0` for an ASCII capital (one fold byte, the original is its uppercase); otherwise
//!   one more than the number of fold bytes the char became (LEB128), then the char in
//!   UTF-8.

use crate::text::{push_fold, push_fold_char};
use crate::texts::{Texts, span};

/// Texts stored as their fold and patches; see the module docs.
#[derive(Debug, Clone, Default)]
pub struct Words {
    folds: Texts,
    patches: Vec<u8>,
    /// Where text `i`'s patches end in `patches`. An entry takes at most two bytes more
    /// than its char (none for an ASCII capital), so patches take at most three times
    /// the bytes of their texts, and `u32` holds a dataset file's.
    patch_ends: Vec<u32>,
}

/// The code of an entry for an ASCII capital.
const ASCII_CAPITAL: usize = 0;

impl Words {
    pub fn with_capacity(texts: usize, bytes: usize) -> Self {
        Self {
            folds: Texts::with_capacity(texts, bytes),
            patches: Vec::new(),
            patch_ends: Vec::with_capacity(texts),
        }
    }

    /// Appends `text`; `None`, and nothing appended, once the folds would pass 4 GiB or
    /// the patches could.
    #[must_use]
    pub fn push(&mut self, text: &str) -> Option<()> {
        let patches_before = self.patches.len();
        // Checked before writing (see `patch_ends`): the folds may then still refuse.
        u32::try_from(patches_before + 3 * text.len()).ok()?;
        let pushed = if text.is_ascii() {
            self.push_ascii(text)
        } else {
            self.push_any(text)
        };
        if pushed.is_none() {
            self.patches.truncate(patches_before);
            return None;
        }
        self.patch_ends.push(self.patches.len() as u32);
        Some(())
    }

    fn push_any(&mut self, text: &str) -> Option<()> {
        let patches = &mut self.patches;
        self.folds.push_with(|fold| {
            let start = fold.len();
            let mut unchanged_from = start;
            for c in text.chars() {
                let at = fold.len();
                push_fold_char(c, fold);
                let became = &fold[at..];
                let mut utf8 = [0; 4];
                // Most chars of a Vietnamese text are ASCII, and of those folding changes
                // only capitals: told without comparing what was written (a call to
                // memcmp per char took a quarter of a first launch).
                let changed = if c.is_ascii() {
                    c.is_ascii_uppercase()
                } else {
                    became != c.encode_utf8(&mut utf8)
                };
                if !changed {
                    continue;
                }
                push_leb128(patches, at - unchanged_from);
                if c.is_ascii() {
                    push_leb128(patches, ASCII_CAPITAL);
                } else {
                    push_leb128(patches, became.len() + 1);
                    patches.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
                }
                unchanged_from = fold.len();
            }
        })
    }

    /// [`Words::push`] for ASCII, the common case: the only chars folding changes are
    /// capitals.
    fn push_ascii(&mut self, text: &str) -> Option<()> {
        let mut unchanged_from = 0;
        for (at, _) in text
            .bytes()
            .enumerate()
            .filter(|(_, b)| b.is_ascii_uppercase())
        {
            push_leb128(&mut self.patches, at - unchanged_from);
            push_leb128(&mut self.patches, ASCII_CAPITAL);
            unchanged_from = at + 1;
        }
        self.folds.push_with(|fold| push_fold(text, fold))
    }

    pub fn len(&self) -> usize {
        self.folds.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Text `i` folded as [`crate::text::fold`] folds it.
    pub fn folded(&self, i: usize) -> &str {
        self.folds.get(i)
    }

    /// Text `i` exactly as it was pushed.
    pub fn original(&self, i: usize) -> String {
        let mut text = String::new();
        // Construction checks every text's patches (`push` writes them right,
        // `from_parts` refuses others), so this walk never stops early.
        let complete = walk(self.folded(i), self.patches_of(i), |piece| match piece {
            Piece::Kept(kept) => text.push_str(kept),
            Piece::Was(c) => text.push(c),
        });
        // Were it ever to, part of a text would be quoted as the whole: stopping is better.
        assert!(
            complete.is_some(),
            "bug: the patches of text {i} do not fit its fold"
        );
        text
    }

    fn patches_of(&self, i: usize) -> &[u8] {
        &self.patches[span(&self.patch_ends, i)]
    }

    /// Appends all of `other`'s texts after these; `None`, and nothing appended, if the
    /// folds would pass 4 GiB.
    #[must_use]
    pub fn append(&mut self, other: Words) -> Option<()> {
        let shift = u32::try_from(self.patches.len()).ok()?;
        u32::try_from(self.patches.len() + other.patches.len()).ok()?;
        self.folds.append(other.folds)?;
        self.patches.extend_from_slice(&other.patches);
        self.patch_ends
            .extend(other.patch_ends.iter().map(|end| end + shift));
        Some(())
    }

    /// The parts [`Words::from_parts`] takes back: folds, patches, where each text's
    /// patches end.
    pub fn parts(&self) -> (&Texts, &[u8], &[u32]) {
        (&self.folds, &self.patches, &self.patch_ends)
    }

    /// Words from the parts [`Words::parts`] gave, or `None` unless every text's patches
    /// fit its fold exactly.
    pub fn from_parts(folds: Texts, patches: Vec<u8>, patch_ends: Vec<u32>) -> Option<Self> {
        if patch_ends.len() != folds.len() {
            return None;
        }
        let mut start = 0;
        for (i, &end) in patch_ends.iter().enumerate() {
            let own = patches.get(start..end as usize)?;
            walk(folds.get(i), own, |_| {})?;
            start = end as usize;
        }
        (start == patches.len()).then_some(Self {
            folds,
            patches,
            patch_ends,
        })
    }
}

/// A stretch of the original: fold bytes folding left as they were, or a char it changed.
enum Piece<'a> {
    Kept(&'a str),
    Was(char),
}

/// Calls `each` with the original's pieces in order; `None` (having called it for some
/// of them) if the patches do not fit the fold: a patch past its end, splitting a char,
/// or not a whole entry.
fn walk<'a>(fold: &'a str, mut patches: &[u8], mut each: impl FnMut(Piece<'a>)) -> Option<()> {
    let mut at = 0usize;
    while !patches.is_empty() {
        let gap = read_leb128(&mut patches)?;
        let changed = at.checked_add(gap)?;
        each(Piece::Kept(fold.get(at..changed)?));
        let code = read_leb128(&mut patches)?;
        if code == ASCII_CAPITAL {
            let lower = *fold.as_bytes().get(changed)?;
            if !lower.is_ascii_lowercase() {
                return None;
            }
            each(Piece::Was(char::from(lower.to_ascii_uppercase())));
            at = changed + 1;
        } else {
            let became = code - 1;
            at = changed.checked_add(became)?;
            fold.get(changed..at)?;
            let width = utf8_width(*patches.first()?)?;
            let (bytes, rest) = patches.split_at_checked(width)?;
            let was = std::str::from_utf8(bytes).ok()?.chars().next()?;
            each(Piece::Was(was));
            patches = rest;
        }
    }
    each(Piece::Kept(fold.get(at..)?));
    Some(())
}

/// The length of the UTF-8 sequence `first` starts, or `None` if it starts none.
fn utf8_width(first: u8) -> Option<usize> {
    match first.leading_ones() {
        0 => Some(1),
        n @ 2..=4 => Some(n as usize),
        _ => None,
    }
}

fn push_leb128(out: &mut Vec<u8>, mut value: usize) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// A LEB128 number of at most 32 bits (offsets within one text): `None` for more, or
/// for bytes that run out first.
fn read_leb128(bytes: &mut &[u8]) -> Option<usize> {
    let mut value = 0u64;
    for shift in (0..35).step_by(7) {
        let (&byte, rest) = bytes.split_first()?;
        *bytes = rest;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return usize::try_from(u32::try_from(value).ok()?).ok();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold;
    use proptest::prelude::*;

    fn words(texts: &[&str]) -> Words {
        let mut words = Words::default();
        texts
            .iter()
            .for_each(|text| words.push(text).expect("fits"));
        words
    }

    const SAMPLES: [&str; 7] = [
        "Thủ tướng Phạm Minh Chính said ĐẶNG",
        "",
        "plain lowercase ascii",
        "NFD: Thu\u{309} tu\u{31b}\u{301}o\u{31b}ng, İstanbul, ǅ, ﬁ, Øresund",
        "a\u{301}\u{301}\u{301} stacked marks, \u{301} a mark alone",
        "emoji 🇻🇳 and CJK 河内 and Ω",
        "MANY CAPITALS IN A ROW",
    ];

    #[test]
    fn texts_come_back_exactly_and_fold_as_fold_does() {
        let words = words(&SAMPLES);
        for (i, text) in SAMPLES.iter().enumerate() {
            assert_eq!(words.original(i), *text);
            assert_eq!(words.folded(i), fold(text));
        }
    }

    #[test]
    fn parts_give_back_the_same_words_and_damaged_parts_are_refused() {
        let words = words(&SAMPLES);
        let (folds, patches, ends) = words.parts();
        let copy = |folds: &Texts| Texts::from_parts(folds.bytes().into(), folds.ends().into());
        let back = Words::from_parts(copy(folds).unwrap(), patches.to_vec(), ends.to_vec())
            .expect("whole parts are accepted");
        assert!((0..SAMPLES.len()).all(|i| back.original(i) == SAMPLES[i]));
        for damage in 0..patches.len() {
            let mut damaged = patches.to_vec();
            damaged[damage] ^= 0x80;
            // Damage a checksum would catch may still fit the folds; what fits must
            // rebuild without a panic.
            if let Some(back) = Words::from_parts(copy(folds).unwrap(), damaged, ends.to_vec()) {
                (0..SAMPLES.len()).for_each(|i| drop(back.original(i)));
            }
        }
        let short = patches[..patches.len() - 1].to_vec();
        assert!(Words::from_parts(copy(folds).unwrap(), short, ends.to_vec()).is_none());
    }

    #[test]
    fn words_appended_are_the_words_pushed() {
        let mut first = words(&SAMPLES[..3]);
        first.append(words(&SAMPLES[3..])).expect("fits");
        assert!((0..SAMPLES.len()).all(|i| first.original(i) == SAMPLES[i]));
    }

    #[test]
    fn a_capital_costs_two_bytes_of_patches() {
        let words = words(&["Hello World"]);
        assert_eq!(words.parts().1.len(), 4);
        assert_eq!(words.folded(0), "hello world");
    }

    proptest! {
        #[test]
        fn any_text_comes_back_exactly(texts in proptest::collection::vec(".*", 0..8)) {
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let words = words(&refs);
            for (i, text) in texts.iter().enumerate() {
                prop_assert_eq!(&words.original(i), text);
                prop_assert_eq!(words.folded(i), fold(text));
            }
        }
    }
}
