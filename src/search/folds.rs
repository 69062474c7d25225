//! Every statement's tags, folded for matching once per dataset. (Statement texts come
//! folded with the dataset: see [`crate::dataset::Words`].)

use std::ops::Range;

use crate::dataset::Statements;
use crate::text::push_fold;
use crate::texts::{Texts, span};

#[derive(Debug, Default)]
pub struct TagFolds {
    /// Every statement's tags, folded and lowercased, statement after statement.
    tags: Texts,
    /// Statement `i`'s tags are `ends[i - 1]..ends[i]` (from 0 for the first).
    ends: Vec<u32>,
}

impl TagFolds {
    pub fn new(statements: &Statements) -> Self {
        let mut folds = Self {
            tags: Texts::default(),
            ends: Vec::with_capacity(statements.len()),
        };
        let tags_so_far = |tags: &Texts| u32::try_from(tags.len()).unwrap_or(u32::MAX);
        for (statement, extras) in statements.all_extras() {
            let end = tags_so_far(&folds.tags);
            folds.ends.resize(*statement as usize, end);
            for tag in &extras.tags {
                // Should not fail: the dataset came from a file under 1 GiB, and folding
                // at most triples a char. Were it to, the tags after would go unsearched.
                if folds
                    .tags
                    .push_with(|buffer| push_fold(tag, buffer))
                    .is_none()
                {
                    break;
                }
            }
            folds.ends.push(tags_so_far(&folds.tags));
        }
        let end = tags_so_far(&folds.tags);
        folds.ends.resize(statements.len(), end);
        folds
    }

    /// The positions of statement `i`'s tags, for [`TagFolds::get`] (and, less the
    /// start, in the statement's own list).
    pub fn of(&self, i: usize) -> Range<usize> {
        span(&self.ends, i)
    }

    pub fn get(&self, tag: usize) -> &str {
        self.tags.get(tag)
    }

    /// Bytes held, for memory reports.
    pub fn heap_bytes(&self) -> usize {
        self.tags.heap_bytes() + self.ends.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Conference;

    #[test]
    fn each_statement_gets_its_own_tags_folded() {
        let mut data = crate::synthetic::generate(50, 3);
        for (i, statement) in data.statements.iter_mut().enumerate().step_by(7) {
            statement.tags = vec![format!("Tag {i}"), "Hợp tác".to_owned()];
        }
        let conference = Conference::from_dataset(data.clone(), "test").expect("valid");
        let folds = TagFolds::new(conference.statements());
        for (i, statement) in data.statements.iter().enumerate() {
            let folded: Vec<&str> = folds.of(i).map(|tag| folds.get(tag)).collect();
            let expected: Vec<String> = statement
                .tags
                .iter()
                .map(|t| crate::text::fold(t))
                .collect();
            assert_eq!(folded, expected, "statement {i}");
        }
        assert_eq!(folds.of(49).end, 16);
    }
}
