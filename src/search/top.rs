//! The best matches found so far, kept while a scan runs, so a match that could not
//! enter them need not be scored exactly.

use std::collections::BinaryHeap;

use super::Scored;

/// At most `limit` matches: the best offered, ranked as [`Scored::rank`] says.
#[derive(Debug)]
pub struct TopK {
    limit: usize,
    /// The worst kept on top, to be compared with and dropped first.
    heap: BinaryHeap<Ranked>,
}

/// A [`Scored`] ordered by rank, so that the worse is the greater.
#[derive(Debug, PartialEq, Eq)]
struct Ranked(Scored);

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.rank().cmp(&other.0.rank())
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl TopK {
    pub fn new(limit: usize) -> Self {
        Self {
            limit,
            heap: BinaryHeap::with_capacity(limit.saturating_add(1).min(1 << 16)),
        }
    }

    /// Whether a match at `order` scoring `score` would be kept.
    pub fn admits(&self, score: i64, order: u32) -> bool {
        if self.heap.len() < self.limit {
            return true;
        }
        self.heap
            .peek()
            .is_some_and(|worst| Scored { score, order }.rank() < worst.0.rank())
    }

    pub fn offer(&mut self, scored: Scored) {
        if !self.admits(scored.score, scored.order) {
            return;
        }
        self.heap.push(Ranked(scored));
        if self.heap.len() > self.limit {
            self.heap.pop();
        }
    }

    /// What is kept, in no particular order.
    pub fn into_vec(self) -> Vec<Scored> {
        self.heap.into_iter().map(|ranked| ranked.0).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_best_with_ties_in_order_and_admits_only_what_would_be_kept() {
        let mut top = TopK::new(2);
        for (score, order) in [(5, 0), (9, 1), (5, 2), (9, 3), (7, 4)] {
            top.offer(Scored { score, order });
        }
        let mut kept = top.into_vec();
        kept.sort_unstable_by_key(Scored::rank);
        assert_eq!(
            kept,
            [Scored { score: 9, order: 1 }, Scored { score: 9, order: 3 }]
        );
        let mut top = TopK::new(1);
        top.offer(Scored { score: 9, order: 3 });
        assert!(
            top.admits(9, 2),
            "an equal score earlier in order ranks first"
        );
        assert!(!top.admits(9, 4));
        assert!(!top.admits(8, 0));
        assert!(!TopK::new(0).admits(100, 0));
    }
}
