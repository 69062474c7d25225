//! Many strings in one allocation. At a million statements a `String` each would cost a
//! 24-byte header and an allocation apiece; one buffer and its end offsets cost neither,
//! and scanning them walks memory in order. Offsets are `u32`, which holds what a dataset
//! file (at most [`crate::dataset::MAX_FILE_BYTES`]) can hold, even folded.

#[derive(Debug, Clone, Default)]
pub struct Texts {
    bytes: String,
    ends: Vec<u32>,
}

impl Texts {
    pub fn with_capacity(texts: usize, bytes: usize) -> Self {
        Self {
            bytes: String::with_capacity(bytes),
            ends: Vec::with_capacity(texts),
        }
    }

    /// Appends the text `write` adds to the buffer it is given; its id is the number of
    /// texts before it. `None`, and nothing appended, once the texts would pass 4 GiB.
    #[must_use]
    pub fn push_with(&mut self, write: impl FnOnce(&mut String)) -> Option<()> {
        let start = self.bytes.len();
        write(&mut self.bytes);
        let Ok(end) = u32::try_from(self.bytes.len()) else {
            self.bytes.truncate(start);
            return None;
        };
        self.ends.push(end);
        Some(())
    }

    #[must_use]
    pub fn push(&mut self, text: &str) -> Option<()> {
        self.push_with(|buffer| buffer.push_str(text))
    }

    /// Texts whose `ends` are offsets into `bytes`, as [`Texts::bytes`] and [`Texts::ends`]
    /// give them; `None` unless every end is at a char boundary, none comes before the one
    /// before it, and the last is the end of `bytes`.
    pub fn from_parts(bytes: String, ends: Vec<u32>) -> Option<Self> {
        let mut start = 0;
        for &end in &ends {
            if end < start || !bytes.is_char_boundary(end as usize) {
                return None;
            }
            start = end;
        }
        (start as usize == bytes.len()).then_some(Self { bytes, ends })
    }

    /// Every text, one after another.
    pub fn bytes(&self) -> &str {
        &self.bytes
    }

    /// Where each text ends in [`Texts::bytes`].
    pub fn ends(&self) -> &[u32] {
        &self.ends
    }

    /// Appends all of `other`'s texts after these; `None`, and nothing appended, if they
    /// would pass 4 GiB.
    #[must_use]
    pub fn append(&mut self, other: Texts) -> Option<()> {
        let shift = u32::try_from(self.bytes.len()).ok()?;
        u32::try_from(self.bytes.len() + other.bytes.len()).ok()?;
        self.bytes.push_str(&other.bytes);
        self.ends.extend(other.ends.iter().map(|end| end + shift));
        Some(())
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, id: usize) -> &str {
        &self.bytes[span(&self.ends, id)]
    }

    /// Bytes held, for memory reports.
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity() + self.ends.capacity() * size_of::<u32>()
    }
}

/// Where item `i` lies when `ends` holds where each item ends, the first starting at 0.
pub fn span(ends: &[u32], i: usize) -> std::ops::Range<usize> {
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    start..ends[i] as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_come_back_as_pushed_including_empty_ones() {
        let mut texts = Texts::default();
        for text in ["hợp tác", "", "x"] {
            texts.push(text).expect("fits");
        }
        assert_eq!(texts.len(), 3);
        assert_eq!(
            (0..3).map(|i| texts.get(i)).collect::<Vec<_>>(),
            ["hợp tác", "", "x"]
        );
        let parts = Texts::from_parts(texts.bytes().to_owned(), texts.ends().to_vec());
        assert_eq!(
            parts.map(|p| p.get(0).to_owned()),
            Some("hợp tác".to_owned())
        );
    }

    #[test]
    fn parts_that_split_a_char_or_go_backwards_are_refused() {
        let bytes = || "hợp".to_owned();
        assert!(Texts::from_parts(bytes(), vec![2]).is_none());
        assert!(Texts::from_parts(bytes(), vec![4, 1]).is_none());
        assert!(Texts::from_parts(bytes(), vec![6]).is_none());
        assert!(Texts::from_parts(bytes(), vec![1, 5]).is_some());
        assert!(
            Texts::from_parts(bytes(), vec![1]).is_none(),
            "bytes after the last"
        );
    }
}
