//! Every statement's text and tags, folded for matching once per dataset, on every core:
//! at a million statements folding is most of the time before the first search.

use super::texts::Texts;
use crate::dataset::Statement;
use crate::text::push_fold;

#[derive(Debug, Default)]
pub struct StatementFolds {
    /// Each statement's text, folded and lowercased.
    pub texts: Texts,
    /// Every statement's tags, folded and lowercased, statement after statement;
    /// statement `i`'s are `tag_ends[i - 1]..tag_ends[i]`.
    pub tags: Texts,
    pub tag_ends: Vec<u32>,
}

impl StatementFolds {
    pub fn new(statements: &[Statement]) -> Self {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let part = statements.len().div_ceil(threads).max(1);
        let parts: Vec<Self> = std::thread::scope(|scope| {
            let folding: Vec<_> = statements
                .chunks(part)
                .map(|part| scope.spawn(|| Self::new_on_this_thread(part)))
                .collect();
            folding
                .into_iter()
                .map(|thread| {
                    thread
                        .join()
                        .unwrap_or_else(|p| std::panic::resume_unwind(p))
                })
                .collect()
        });
        let mut parts = parts.into_iter();
        let mut all = parts.next().unwrap_or_default();
        for part in parts {
            all.append(part);
        }
        all
    }

    fn new_on_this_thread(statements: &[Statement]) -> Self {
        let text_bytes = statements.iter().map(|s| s.text.len()).sum();
        let mut folds = Self {
            texts: Texts::with_capacity(statements.len(), text_bytes),
            tags: Texts::default(),
            tag_ends: Vec::with_capacity(statements.len()),
        };
        for statement in statements {
            folds
                .texts
                .push_with(|buffer| push_fold(&statement.text, buffer));
            for tag in &statement.tags {
                folds.tags.push_with(|buffer| push_fold(tag, buffer));
            }
            folds
                .tag_ends
                .push(u32::try_from(folds.tags.len()).unwrap_or(u32::MAX));
        }
        folds
    }

    fn append(&mut self, other: Self) {
        let tags_before = u32::try_from(self.tags.len()).unwrap_or(u32::MAX);
        self.texts.append(other.texts);
        self.tags.append(other.tags);
        self.tag_ends.extend(
            other
                .tag_ends
                .iter()
                .map(|end| end.saturating_add(tags_before)),
        );
    }

    /// Bytes held, for memory reports.
    pub fn heap_bytes(&self) -> usize {
        self.texts.heap_bytes() + self.tags.heap_bytes() + self.tag_ends.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_in_parts_gives_what_folding_in_one_go_gives() {
        let data = crate::synthetic::generate(501, 3);
        let mut statements = data.statements;
        for (i, statement) in statements.iter_mut().enumerate().step_by(7) {
            statement.tags = vec![format!("Tag {i}"), "Hợp tác".to_owned()];
        }
        let whole = StatementFolds::new_on_this_thread(&statements);
        let mut parts = StatementFolds::default();
        for part in statements.chunks(100) {
            parts.append(StatementFolds::new_on_this_thread(part));
        }
        let parallel = StatementFolds::new(&statements);
        for folds in [&parts, &parallel] {
            assert_eq!(folds.tag_ends, whole.tag_ends);
            assert!((0..statements.len()).all(|i| folds.texts.get(i) == whole.texts.get(i)));
            assert!((0..whole.tags.len()).all(|i| folds.tags.get(i) == whole.tags.get(i)));
        }
        assert_eq!(whole.tags.get(1), "hop tac");
    }
}
