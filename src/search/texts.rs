//! Many strings in one allocation. At a million statements a `String` each would cost a
//! 24-byte header and an allocation apiece; one buffer and its end offsets cost neither,
//! and scanning them walks memory in order.

#[derive(Debug, Default)]
pub struct Texts {
    bytes: String,
    ends: Vec<usize>,
}

impl Texts {
    pub fn with_capacity(texts: usize, bytes: usize) -> Self {
        Self {
            bytes: String::with_capacity(bytes),
            ends: Vec::with_capacity(texts),
        }
    }

    /// Appends the text `write` adds to the buffer it is given; its id is the number of
    /// texts before it.
    pub fn push_with(&mut self, write: impl FnOnce(&mut String)) {
        write(&mut self.bytes);
        self.ends.push(self.bytes.len());
    }

    /// Appends all of `other`'s texts after these.
    pub fn append(&mut self, other: Texts) {
        let shift = self.bytes.len();
        self.bytes.push_str(&other.bytes);
        self.ends.extend(other.ends.iter().map(|end| end + shift));
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn get(&self, id: usize) -> &str {
        let start = if id == 0 { 0 } else { self.ends[id - 1] };
        &self.bytes[start..self.ends[id]]
    }

    /// Bytes held, for memory reports.
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity() + self.ends.capacity() * size_of::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_come_back_as_pushed_including_empty_ones() {
        let mut texts = Texts::default();
        for text in ["hợp tác", "", "x"] {
            texts.push_with(|buffer| buffer.push_str(text));
        }
        assert_eq!(texts.len(), 3);
        assert_eq!(
            (0..3).map(|i| texts.get(i)).collect::<Vec<_>>(),
            ["hợp tác", "", "x"]
        );
    }
}
