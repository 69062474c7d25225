//! The best matches found so far, kept while a scan runs, so a match that could not
//! enter them need not be scored exactly.

use std::collections::BinaryHeap;

use super::Scored;

/// At most `limit` matches: the best offered, ranked as [`Scored::rank`] says, of
/// those that rank no lower than the floor.
#[derive(Debug)]
pub struct TopK {
    limit: usize,
    /// The lowest a match may rank to be kept: the worst of `limit` matches known to
    /// rank among the best (or the floor itself, when it is one of the matches offered).
    floor: Option<Scored>,
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
    /// Keeps only matches that rank no lower than `floor`, if given.
    pub fn above(limit: usize, floor: Option<Scored>) -> Self {
        Self {
            limit,
            floor,
            heap: BinaryHeap::with_capacity(limit.saturating_add(1).min(1 << 16)),
        }
    }

    /// Whether a match at `order` scoring `score` would be kept.
    pub fn admits(&self, score: i64, order: u32) -> bool {
        let rank = Scored { score, order }.rank();
        if self.floor.is_some_and(|floor| rank > floor.rank()) {
            return false;
        }
        if self.heap.len() < self.limit {
            return true;
        }
        self.heap.peek().is_some_and(|worst| rank < worst.0.rank())
    }

    /// The lowest score a match may have to be kept, wherever it is; `None` while any
    /// score would do.
    pub fn least_kept(&self) -> Option<i64> {
        let worst_kept = (self.heap.len() >= self.limit)
            .then(|| self.heap.peek().map_or(i64::MAX, |worst| worst.0.score));
        self.floor.map(|floor| floor.score).max(worst_kept)
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
        let mut top = TopK::above(2, None);
        for (score, order) in [(5, 0), (9, 1), (5, 2), (9, 3), (7, 4)] {
            top.offer(Scored { score, order });
        }
        let mut kept = top.into_vec();
        kept.sort_unstable_by_key(Scored::rank);
        assert_eq!(
            kept,
            [Scored { score: 9, order: 1 }, Scored { score: 9, order: 3 }]
        );
        let mut top = TopK::above(1, None);
        top.offer(Scored { score: 9, order: 3 });
        assert!(
            top.admits(9, 2),
            "an equal score earlier in order ranks first"
        );
        assert!(!top.admits(9, 4));
        assert!(!top.admits(8, 0));
        assert!(!TopK::above(0, None).admits(100, 0));
    }

    #[test]
    fn keeps_nothing_below_the_floor_but_the_floor_itself() {
        let floor = Scored { score: 7, order: 4 };
        let mut top = TopK::above(3, Some(floor));
        assert!(top.admits(7, 3) && top.admits(7, 4));
        assert!(!top.admits(7, 5) && !top.admits(6, 0));
        for (score, order) in [(7, 4), (9, 1), (6, 0), (7, 5)] {
            top.offer(Scored { score, order });
        }
        let mut kept = top.into_vec();
        kept.sort_unstable_by_key(Scored::rank);
        assert_eq!(kept, [Scored { score: 9, order: 1 }, floor]);
    }

    /// Below the least kept score nothing is admitted, anywhere; at it, something may be.
    #[test]
    fn the_least_kept_score_is_the_floors_or_once_full_the_worst_kept() {
        let mut top = TopK::above(2, None);
        assert_eq!(top.least_kept(), None);
        top.offer(Scored { score: 5, order: 3 });
        assert_eq!(top.least_kept(), None, "room for any score");
        top.offer(Scored { score: 8, order: 1 });
        assert_eq!(top.least_kept(), Some(5));
        assert!(top.admits(5, 2) && !top.admits(4, 0));
        let top = TopK::above(2, Some(Scored { score: 6, order: 9 }));
        assert_eq!(top.least_kept(), Some(6));
        assert!(top.admits(6, 8) && !top.admits(5, 0));
        assert_eq!(TopK::above(0, None).least_kept(), Some(i64::MAX));
    }
}
