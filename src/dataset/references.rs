//! A column of ids that repeat, each distinct id kept once: a statement's speaker, its
//! session, its sources. A million statements name a few thousand speakers and sessions,
//! and their ids written out statement by statement were some 50 MB at the peak of a
//! first launch; one `u32` each is 4 MB, and resolving an id is then done once per
//! distinct id rather than once per statement.

use std::hash::BuildHasher;

use foldhash::HashMap;
use hashbrown::{HashTable, hash_table};

use crate::texts::Texts;

#[derive(Debug, Clone, Default)]
pub struct References {
    /// Each distinct id, once.
    names: Texts,
    /// Positions in `names`, found by their text.
    table: HashTable<u32>,
    hasher: foldhash::fast::RandomState,
    /// Each reference, as a position in `names`.
    refs: Vec<u32>,
}

impl References {
    /// Appends a reference to `id`; `None` if the ids would outgrow their `u32` offsets.
    pub fn push(&mut self, id: &str) -> Option<()> {
        let name = self.intern(id)?;
        self.refs.push(name);
        Some(())
    }

    /// Appends `other`'s references after these.
    pub fn append(&mut self, other: &Self) -> Option<()> {
        let names: Vec<u32> = (0..other.names.len())
            .map(|name| self.intern(other.names.get(name)))
            .collect::<Option<_>>()?;
        (self.refs).extend(other.refs.iter().map(|&name| names[name as usize]));
        Some(())
    }

    pub fn len(&self) -> usize {
        self.refs.len()
    }

    /// The id reference `i` names.
    pub fn get(&self, i: usize) -> &str {
        self.names.get(self.refs[i] as usize)
    }

    /// Each reference as the position `positions` gives its id; `None` if an id has none.
    pub fn resolve(&self, positions: &HashMap<&str, usize>) -> Option<Vec<u32>> {
        let resolved: Vec<Option<u32>> = (0..self.names.len())
            .map(|name| {
                let at = positions.get(self.names.get(name))?;
                u32::try_from(*at).ok()
            })
            .collect();
        self.refs
            .iter()
            .map(|&name| resolved[name as usize])
            .collect()
    }

    /// The position of `id` in `names`, added if it is not there yet.
    fn intern(&mut self, id: &str) -> Option<u32> {
        let names = &mut self.names;
        let hasher = &self.hasher;
        let hash = hasher.hash_one(id);
        let entry = self.table.entry(
            hash,
            |&name| names.get(name as usize) == id,
            |&name| hasher.hash_one(names.get(name as usize)),
        );
        match entry {
            hash_table::Entry::Occupied(found) => Some(*found.get()),
            hash_table::Entry::Vacant(room) => {
                let name = u32::try_from(names.len()).ok()?;
                names.push(id)?;
                room.insert(name);
                Some(name)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn references(ids: &[&str]) -> References {
        let mut references = References::default();
        for id in ids {
            references.push(id).expect("fits");
        }
        references
    }

    fn all(references: &References) -> Vec<&str> {
        (0..references.len()).map(|i| references.get(i)).collect()
    }

    #[test]
    fn references_come_back_in_order_with_each_id_kept_once() {
        let ids = ["speaker-1", "speaker-2", "speaker-1", "", "speaker-2"];
        let references = references(&ids);
        assert_eq!(all(&references), ids);
        assert_eq!(references.names.len(), 3);
    }

    #[test]
    fn appended_references_follow_and_share_their_ids() {
        let mut first = references(&["a", "b"]);
        first.append(&references(&["c", "a", "c"])).expect("fits");
        assert_eq!(all(&first), ["a", "b", "c", "a", "c"]);
        assert_eq!(first.names.len(), 3);
    }

    #[test]
    fn references_resolve_to_positions_or_not_at_all() {
        let references = references(&["b", "a", "b"]);
        let positions: HashMap<&str, usize> = [("a", 0), ("b", 7)].into_iter().collect();
        assert_eq!(references.resolve(&positions), Some(vec![7, 0, 7]));
        let missing: HashMap<&str, usize> = [("a", 0)].into_iter().collect();
        assert_eq!(references.resolve(&missing), None);
    }
}
