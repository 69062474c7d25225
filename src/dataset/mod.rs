//! The conference dataset: model types, loading with precise errors, and the validated,
//! indexed [`Conference`] the rest of the app reads.

mod cache;
mod cache_payload;
mod chunked;
mod error;
mod line_index;
mod load;
mod model;
mod normalize;
mod problem;
mod references;
mod ron_tokens;
mod source;
mod split;
mod staged;
mod statements;
mod validate;
mod words;

use crate::import::Format;
use load::{first_significant_byte, open_file, parse_opened, read_opened};
use statements::{IntoStatements, Positions};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::File;
use std::path::Path;

pub use cache::{CacheError, DatasetCache, Opened, PendingEntry, SCHEMA_VERSION, open};
pub use error::{Excerpt, LoadError, Located, Position};
pub(crate) use line_index::LineIndex;
pub use load::{MAX_FILE_BYTES, parse_bytes, parse_str, read_file, utf8};
pub use model::{
    Dataset, Delivery, Dispute, Event, Head, Session, Source, Speaker, SpeakerKind, Statement,
    StatementKind, UtcOffset, Variant,
};
pub use normalize::to_nfc;
pub use problem::{ItemId, Kind, Problem};
pub use source::{SourceFile, SourceKey, Stamp};
pub use staged::Staged;
pub use statements::{Extras, Statements};
pub use validate::validate;
pub use words::Words;

/// The dataset shipped inside the binary.
pub const EMBEDDED_RON: &str = include_str!("../../data/hanoi-convention-2025.ron");
/// The name messages give the shipped dataset.
pub const EMBEDDED_NAME: &str = "data/hanoi-convention-2025.ron (built in)";

/// A validated dataset with its cross-references resolved to indices.
#[derive(Debug, Clone)]
pub struct Conference {
    /// Everything but the statements, as read.
    pub data: Head,
    statements: Statements,
    session_statements: Vec<Vec<usize>>,
    speaker_statements: Vec<Vec<usize>>,
    /// For each speaker, the sessions that list them as a speaker (imported schedules).
    speaker_sessions: Vec<Vec<usize>>,
    /// Every item but the statements (which [`Statements::find`] finds), by id.
    by_id: HashMap<String, Item>,
}

/// An item of the dataset, by kind and index in its collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Item {
    Source(usize),
    Session(usize),
    Speaker(usize),
    Statement(usize),
    Dispute(usize),
}

/// `data` if it passes validation; otherwise its problems, without file positions (it
/// was built in memory). `name` names it in messages.
pub fn validated(data: Dataset, name: &str) -> Result<Dataset, LoadError> {
    let problems = validate(&data);
    if problems.is_empty() {
        return Ok(data);
    }
    Err(LoadError::Invalid {
        path: name.into(),
        problems: problems
            .into_iter()
            .map(|item| Located {
                position: None,
                first_defined: None,
                item,
            })
            .collect(),
    })
}

impl Conference {
    /// Loads the shipped dataset.
    pub fn embedded() -> Result<Self, LoadError> {
        // The loader has validated it (with positions in the file): index it directly.
        let path = Path::new(EMBEDDED_NAME);
        Self::index_validated(parse_str(EMBEDDED_RON, path)?, path)
    }

    /// Loads the dataset at `path`: a RON dataset, or a published schedule (frab XML,
    /// c3voc JSON) converted in memory.
    pub fn open(path: &Path) -> Result<Self, LoadError> {
        Self::from_opened(path, &open_file(path)?).map(|(conference, _)| conference)
    }

    /// The conference in the file open as `file` (at its start), and the schedule format
    /// it was converted from, if it is one. A RON dataset in a regular file is parsed as
    /// it is read (see `chunked.rs`), never held whole.
    fn from_opened(path: &Path, file: &File) -> Result<(Self, Option<Format>), LoadError> {
        if file.metadata().is_ok_and(|metadata| metadata.is_file()) {
            let first: Vec<u8> = first_significant_byte(file, path)?.into_iter().collect();
            if Format::detect(path, &first).is_none() {
                let data = parse_opened(file, path)?;
                return Ok((Self::index_validated(data, path)?, None));
            }
        }
        let bytes = read_opened(file, path)?;
        let format = Format::detect(path, &bytes);
        Ok((Self::from_file(path, bytes, format)?, format))
    }

    /// The conference in `bytes`, read whole from the file at `path` (a schedule, or a
    /// dataset in a file that is not regular, such as a pipe): a schedule in `format`, or
    /// RON when there is none (see [`Format::detect`]). RON statements are packed as
    /// they are parsed, and the bytes let go before their references are resolved: at a
    /// million statements they are hundreds of megabytes that would otherwise add to the
    /// peak.
    fn from_file(path: &Path, bytes: Vec<u8>, format: Option<Format>) -> Result<Self, LoadError> {
        match format {
            Some(format) => {
                let data = crate::import::import_bytes(format, &bytes, path)?;
                drop(bytes);
                Self::from_dataset(data, &path.display().to_string())
            }
            None => {
                let data = parse_bytes(&bytes, path)?;
                drop(bytes);
                Self::index_validated(data, path)
            }
        }
    }

    /// Validates and indexes a dataset built in memory (by an importer or a test);
    /// `name` names it in messages.
    pub fn from_dataset(data: Dataset, name: &str) -> Result<Self, LoadError> {
        Self::index_validated(validated(data, name)?, Path::new(name))
    }

    /// [`Conference::index`] for a dataset that passed validation, whose references all
    /// resolve: one that does not is a validator bug, reported rather than hidden.
    fn index_validated<S: IntoStatements>(
        data: Dataset<S>,
        path: &Path,
    ) -> Result<Self, LoadError> {
        Self::index(data).ok_or_else(|| LoadError::Unresolved {
            path: path.to_owned(),
        })
    }

    /// Resolves a validated dataset's references to indices. `None` if a statement's
    /// speaker, session or source, or a session's speaker, does not resolve: the indices
    /// would then be wrong.
    fn index<S: IntoStatements>(data: Dataset<S>) -> Option<Self> {
        let (head, statements) = data.split();
        let positions = Positions {
            speakers: positions(&head.speakers, |s| &s.id),
            sessions: positions(&head.sessions, |s| &s.id),
            sources: positions(&head.sources, |s| &s.id),
        };
        let statements = statements.into_statements(&positions)?;
        drop(positions);
        Self::assemble(head, statements)
    }

    /// The conference of `head` and its `statements`, whose references index it; `None`
    /// if a session's speaker does not resolve.
    fn assemble(data: Head, statements: Statements) -> Option<Self> {
        let by_id: HashMap<String, Item> = ids_of(&data.sources, |s| &s.id, Item::Source)
            .chain(ids_of(&data.sessions, |s| &s.id, Item::Session))
            .chain(ids_of(&data.speakers, |s| &s.id, Item::Speaker))
            .chain(ids_of(&data.disputes, |d| &d.id, Item::Dispute))
            .collect();
        // Ids are unique across kinds (validation sees to it; a cache entry is checked
        // here): a statement sharing an item's id would be found as that item.
        if by_id.len()
            != data.sources.len() + data.sessions.len() + data.speakers.len() + data.disputes.len()
            || by_id.keys().any(|id| statements.find(id).is_some())
        {
            return None;
        }
        let all = &statements;
        let owners =
            |owner: fn(&Statements, usize) -> usize| (0..all.len()).map(move |i| owner(all, i));
        let session_statements = group(owners(Statements::session), data.sessions.len());
        let speaker_statements = group(owners(Statements::speaker), data.speakers.len());
        let mut speaker_sessions = vec![Vec::new(); data.speakers.len()];
        for (session, listed) in data.sessions.iter().enumerate() {
            for id in &listed.speakers {
                let Some(Item::Speaker(speaker)) = by_id.get(id.as_str()).copied() else {
                    return None;
                };
                speaker_sessions[speaker].push(session);
            }
        }
        Some(Self {
            data,
            statements,
            session_statements,
            speaker_statements,
            speaker_sessions,
            by_id,
        })
    }

    /// The whole dataset, statements rebuilt.
    pub fn to_dataset(&self) -> Dataset {
        let statements = (0..self.statements.len())
            .map(|i| self.statement(i))
            .collect();
        self.data.clone().with_statements(statements)
    }

    /// The statements, column by column.
    pub fn statements(&self) -> &Statements {
        &self.statements
    }

    /// Statement `i`, rebuilt as the dataset gives it.
    pub fn statement(&self, i: usize) -> Statement {
        self.statements.get(i, &self.data)
    }

    pub fn statement_id(&self, i: usize) -> &str {
        self.statements.id(i)
    }

    /// The sources of statement `i`, in the dataset's order.
    pub fn statement_sources(&self, i: usize) -> impl Iterator<Item = &Source> {
        self.statements.sources(i).map(|s| &self.data.sources[s])
    }

    pub fn item(&self, id: &str) -> Option<Item> {
        self.by_id
            .get(id)
            .copied()
            .or_else(|| self.statements.find(id).map(Item::Statement))
    }

    pub fn statement_index(&self, id: &str) -> Option<usize> {
        match self.item(id) {
            Some(Item::Statement(i)) => Some(i),
            _ => None,
        }
    }

    pub fn speaker_of(&self, statement: usize) -> &Speaker {
        &self.data.speakers[self.statements.speaker(statement)]
    }

    pub fn session_of(&self, statement: usize) -> &Session {
        &self.data.sessions[self.statements.session(statement)]
    }

    /// The text a result row shows for an item, which search highlights index into: a
    /// statement's words, a speaker's name, a session's title, a source's title, a
    /// dispute's question.
    pub fn shown_text(&self, item: Item) -> Cow<'_, str> {
        let data = &self.data;
        match item {
            Item::Statement(i) => Cow::Owned(self.statements.text(i)),
            Item::Speaker(i) => Cow::Borrowed(&data.speakers[i].name),
            Item::Session(i) => Cow::Borrowed(&data.sessions[i].title),
            Item::Source(i) => Cow::Borrowed(&data.sources[i].title),
            Item::Dispute(i) => Cow::Borrowed(&data.disputes[i].question),
        }
    }

    /// Index of the speaker of `statement`.
    pub fn speaker_index(&self, statement: usize) -> usize {
        self.statements.speaker(statement)
    }

    /// Index of the session of `statement`.
    pub fn session_index(&self, statement: usize) -> usize {
        self.statements.session(statement)
    }

    /// Indices of the statements made in `session`, in dataset order.
    pub fn statements_in_session(&self, session: usize) -> &[usize] {
        self.session_statements
            .get(session)
            .map_or(&[], Vec::as_slice)
    }

    /// Indices of the sessions that list `speaker` among their speakers, in dataset order.
    pub fn sessions_of_speaker(&self, speaker: usize) -> &[usize] {
        self.speaker_sessions
            .get(speaker)
            .map_or(&[], Vec::as_slice)
    }

    /// Indices of the statements made by `speaker`, in dataset order.
    pub fn statements_by_speaker(&self, speaker: usize) -> &[usize] {
        self.speaker_statements
            .get(speaker)
            .map_or(&[], Vec::as_slice)
    }
}

/// Each item's index by its id.
fn positions<T>(items: &[T], id: fn(&T) -> &String) -> foldhash::HashMap<&str, usize> {
    items
        .iter()
        .enumerate()
        .map(|(index, item)| (id(item).as_str(), index))
        .collect()
}

fn ids_of<'a, T>(
    items: &'a [T],
    id: fn(&T) -> &String,
    item: fn(usize) -> Item,
) -> impl Iterator<Item = (String, Item)> + 'a {
    items
        .iter()
        .enumerate()
        .map(move |(index, value)| (id(value).clone(), item(index)))
}

/// For each of `len` owners, the indices of the items whose owner it is, in order.
fn group(owner_of: impl Iterator<Item = usize>, len: usize) -> Vec<Vec<usize>> {
    let mut groups = vec![Vec::new(); len];
    for (item, owner) in owner_of.enumerate() {
        if let Some(group) = groups.get_mut(owner) {
            group.push(item);
        }
    }
    groups
}
