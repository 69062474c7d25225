//! A conference's statements, kept column by column rather than as a [`Statement`] each.
//!
//! Archives hold a million statements. As structs of `String`s they cost about half a
//! kilobyte each beyond their words (nine 24-byte fields, an allocation per id, per
//! reference and per source, a map repeating every id); here references are indices,
//! ids share one buffer, the words are kept once (see [`Words`]), and what few statements
//! have (tags, a note, a message's reader) sits in a short list of its own. A
//! [`Statement`] is rebuilt on demand, for the few on screen or being exported.

use foldhash::HashMap;

use serde::{Deserialize, Serialize};

use super::model::{Delivery, Head, Statement, StatementKind};
use super::staged::Staged;
use super::words::Words;
use crate::texts::{Texts, span};

#[derive(Debug, Clone, Default)]
pub struct Statements {
    pub(super) ids: Texts,
    /// Statement indices in the order of their ids, to find one by id.
    pub(super) by_id: Vec<u32>,
    pub(super) speakers: Vec<u32>,
    pub(super) sessions: Vec<u32>,
    pub(super) kinds: Vec<StatementKind>,
    pub(super) words: Words,
    /// Every statement's source indices, statement after statement; statement `i`'s
    /// end at `source_ends[i]`.
    pub(super) sources: Vec<u32>,
    pub(super) source_ends: Vec<u32>,
    /// What few statements have, by statement index, in order.
    pub(super) extras: Vec<(u32, Extras)>,
}

/// The parts of a statement most have empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Extras {
    pub delivery: Delivery,
    pub tags: Vec<String>,
    pub note: Option<String>,
}

/// Positions of a conference's speakers, sessions and sources by id, to turn a statement's
/// references into indices: three look-ups per statement, with foldhash rather than the
/// standard library's slower hash.
pub struct Positions<'a> {
    pub speakers: HashMap<&'a str, usize>,
    pub sessions: HashMap<&'a str, usize>,
    pub sources: HashMap<&'a str, usize>,
}

/// Statements as a dataset holds them, made into [`Statements`].
pub trait IntoStatements {
    /// `None` if a reference does not resolve with `positions` or a column would outgrow
    /// its `u32` offsets.
    fn into_statements(self, positions: &Positions) -> Option<Statements>;
}

impl IntoStatements for Vec<Statement> {
    fn into_statements(self, positions: &Positions) -> Option<Statements> {
        Statements::new(self, positions)
    }
}

impl IntoStatements for Staged {
    fn into_statements(self, positions: &Positions) -> Option<Statements> {
        self.resolve(positions)
    }
}

impl Statements {
    /// The statements, packed on every core, then their references resolved with
    /// `positions`; `None` if a reference does not resolve or a column would outgrow its
    /// `u32` offsets.
    pub fn new(statements: Vec<Statement>, positions: &Positions) -> Option<Self> {
        u32::try_from(statements.len()).ok()?;
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let part = statements.len().div_ceil(threads).max(1);
        let mut parts = std::thread::scope(|scope| {
            let packing: Vec<_> = (statements.chunks(part))
                .map(|part| scope.spawn(|| Staged::of(part)))
                .collect();
            (packing.into_iter())
                .map(|thread| {
                    thread
                        .join()
                        .unwrap_or_else(|p| std::panic::resume_unwind(p))
                })
                .collect::<Option<Vec<_>>>()
        })?
        .into_iter();
        drop(statements);
        let mut all = parts.next().unwrap_or_default();
        for part in parts {
            all.append(part)?;
        }
        all.resolve(positions)
    }

    /// These statements if they hang together: every column as long as the ids, every
    /// reference below the number of `speakers`, `sessions` and `sources` there are, the
    /// order by id a permutation in strict order (ids are unique), extras in order of
    /// statement. What a cache entry decodes to is checked this way before it is trusted.
    pub(super) fn checked(self, speakers: usize, sessions: usize, sources: usize) -> Option<Self> {
        let n = self.len();
        let below = |column: &[u32], len: usize| column.iter().all(|&i| (i as usize) < len);
        let columns_fit = [
            self.by_id.len(),
            self.speakers.len(),
            self.sessions.len(),
            self.kinds.len(),
            self.words.len(),
            self.source_ends.len(),
        ]
        .iter()
        .all(|&len| len == n);
        let sources_fit = self.source_ends.is_sorted()
            && self.source_ends.last().map_or(0, |&end| end as usize) == self.sources.len()
            && below(&self.sources, sources);
        let mut seen = vec![false; n];
        let by_id_fits = self.by_id.iter().all(|&i| {
            seen.get_mut(i as usize)
                .is_some_and(|seen| !std::mem::replace(seen, true))
        }) && self
            .by_id
            .windows(2)
            .all(|pair| self.id(pair[0] as usize) < self.id(pair[1] as usize));
        let extras_fit = self.extras.windows(2).all(|pair| pair[0].0 < pair[1].0)
            && self.extras.last().is_none_or(|&(i, _)| (i as usize) < n);
        (columns_fit
            && sources_fit
            && by_id_fits
            && extras_fit
            && below(&self.speakers, speakers)
            && below(&self.sessions, sessions))
        .then_some(self)
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn id(&self, i: usize) -> &str {
        self.ids.get(i)
    }

    /// The index of the statement with this id.
    pub fn find(&self, id: &str) -> Option<usize> {
        let at = self
            .by_id
            .binary_search_by(|&i| self.id(i as usize).cmp(id))
            .ok()?;
        Some(self.by_id[at] as usize)
    }

    /// Index of the statement's speaker.
    pub fn speaker(&self, i: usize) -> usize {
        self.speakers[i] as usize
    }

    /// Index of the statement's session.
    pub fn session(&self, i: usize) -> usize {
        self.sessions[i] as usize
    }

    pub fn kind(&self, i: usize) -> StatementKind {
        self.kinds[i]
    }

    /// The statement's words, exactly as in the dataset.
    pub fn text(&self, i: usize) -> String {
        self.words.original(i)
    }

    /// Every statement's words, folded for search and rebuilt for quoting.
    pub fn words(&self) -> &Words {
        &self.words
    }

    /// Indices of the statement's sources, in the dataset's order.
    pub fn sources(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.sources[span(&self.source_ends, i)]
            .iter()
            .map(|&s| s as usize)
    }

    /// The statement's tags, note and delivery, if any differs from the default.
    pub fn extras(&self, i: usize) -> Option<&Extras> {
        let at = self
            .extras
            .binary_search_by_key(&(i as u32), |&(j, _)| j)
            .ok()?;
        Some(&self.extras[at].1)
    }

    /// Statements with extras, by index in order.
    pub fn all_extras(&self) -> &[(u32, Extras)] {
        &self.extras
    }

    /// Statement `i` as the dataset gives it; `head` is what its references index.
    pub fn get(&self, i: usize, head: &Head) -> Statement {
        let extras = self.extras(i).cloned().unwrap_or_default();
        Statement {
            id: self.id(i).to_owned(),
            speaker: head.speakers[self.speaker(i)].id.clone(),
            session: head.sessions[self.session(i)].id.clone(),
            kind: self.kind(i),
            delivery: extras.delivery,
            text: self.text(i),
            sources: self
                .sources(i)
                .map(|s| head.sources[s].id.clone())
                .collect(),
            tags: extras.tags,
            note: extras.note,
        }
    }
}
