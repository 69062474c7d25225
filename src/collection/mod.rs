//! The user's own picks, kept across runs: the quote basket (an ordered list of statements
//! to export together) and bookmarks (statements marked to find again). Both hold statement
//! ids, not indices, so they survive a dataset that changed between runs.

mod document;
mod store;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

pub use document::{DocumentFormat, UnknownId, render, render_ids};
pub use store::{Loaded, load, save};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Collection {
    /// Statement ids in the order they will be exported.
    #[serde(default)]
    pub basket: Vec<String>,
    #[serde(default)]
    pub bookmarks: BTreeSet<String>,
}

impl Collection {
    /// Adds `id` at the end of the basket; `false` if it is there already.
    pub fn add(&mut self, id: &str) -> bool {
        if self.basket.iter().any(|b| b == id) {
            return false;
        }
        self.basket.push(id.to_owned());
        true
    }

    /// Removes the basket entry at `index`, if there is one.
    pub fn remove(&mut self, index: usize) -> Option<String> {
        (index < self.basket.len()).then(|| self.basket.remove(index))
    }

    /// Swaps the entry at `index` with its neighbour `delta` (±1) away; returns where the
    /// entry now is (unchanged at either end).
    pub fn shift(&mut self, index: usize, delta: isize) -> usize {
        let Some(target) = index.checked_add_signed(delta) else {
            return index;
        };
        if target >= self.basket.len() || index >= self.basket.len() {
            return index;
        }
        self.basket.swap(index, target);
        target
    }

    /// Bookmarks `id`, or removes its bookmark; returns whether it is now bookmarked.
    pub fn toggle_bookmark(&mut self, id: &str) -> bool {
        if self.bookmarks.remove(id) {
            false
        } else {
            self.bookmarks.insert(id.to_owned());
            true
        }
    }

    pub fn is_bookmarked(&self, id: &str) -> bool {
        self.bookmarks.contains(id)
    }

    /// `ours` (this instance's collection, changed from `base`) merged with `disk` (what
    /// is saved now, which another instance may have changed from `base` too): the other
    /// instance's additions and removals stay, ours are applied on top. When nobody else
    /// saved, that is just `ours`, order included; otherwise the saved order is kept and
    /// our additions go at the end.
    pub fn merged(base: &Collection, ours: &Collection, disk: &Collection) -> Collection {
        if disk == base {
            return ours.clone();
        }
        let removed = |id: &String| base.basket.contains(id) && !ours.basket.contains(id);
        let mut basket: Vec<String> = disk
            .basket
            .iter()
            .filter(|id| !removed(id))
            .cloned()
            .collect();
        for id in &ours.basket {
            if !base.basket.contains(id) && !basket.contains(id) {
                basket.push(id.clone());
            }
        }
        let mut bookmarks = disk.bookmarks.clone();
        let unmarked = |id: &String| base.bookmarks.contains(id) && !ours.bookmarks.contains(id);
        bookmarks.retain(|id| !unmarked(id));
        bookmarks.extend(ours.bookmarks.difference(&base.bookmarks).cloned());
        Collection { basket, bookmarks }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_basket_keeps_order_refuses_duplicates_and_reorders() {
        let mut collection = Collection::default();
        assert!(collection.add("a"));
        assert!(collection.add("b"));
        assert!(collection.add("c"));
        assert!(!collection.add("a"), "already there");
        assert_eq!(collection.shift(2, -1), 1);
        assert_eq!(collection.basket, ["a", "c", "b"]);
        assert_eq!(collection.shift(0, -1), 0, "the top stays");
        assert_eq!(collection.shift(2, 1), 2, "the bottom stays");
        assert_eq!(collection.remove(0).as_deref(), Some("a"));
        assert_eq!(collection.remove(5), None);
        assert_eq!(collection.basket, ["c", "b"]);
    }

    fn collection(basket: &[&str], bookmarks: &[&str]) -> Collection {
        Collection {
            basket: basket.iter().map(|&s| s.to_owned()).collect(),
            bookmarks: bookmarks.iter().map(|&s| s.to_owned()).collect(),
        }
    }

    #[test]
    fn merging_keeps_both_instances_changes() {
        let base = collection(&["a", "b", "c"], &["x", "y"]);
        // We removed b, added d, unbookmarked x, bookmarked z.
        let ours = collection(&["a", "c", "d"], &["y", "z"]);
        // Meanwhile the other instance added e, removed a, bookmarked w, unbookmarked y.
        let disk = collection(&["b", "c", "e"], &["w", "x"]);
        assert_eq!(
            Collection::merged(&base, &ours, &disk),
            collection(&["c", "e", "d"], &["w", "z"])
        );
    }

    #[test]
    fn merging_with_no_other_change_is_ours_including_its_order() {
        let base = collection(&["a", "b"], &[]);
        let ours = collection(&["b", "a"], &["a"]);
        assert_eq!(Collection::merged(&base, &ours, &base), ours);
    }

    #[test]
    fn bookmarks_toggle() {
        let mut collection = Collection::default();
        assert!(collection.toggle_bookmark("a"));
        assert!(collection.is_bookmarked("a"));
        assert!(!collection.toggle_bookmark("a"));
        assert!(!collection.is_bookmarked("a"));
    }
}
