//! The conference dataset: model types, loading with precise errors, and the validated,
//! indexed [`Conference`] the rest of the app reads.

mod cache;
mod cache_payload;
mod error;
mod load;
mod model;
mod normalize;
mod source;
mod validate;

use crate::import::Format;
use std::collections::HashMap;
use std::path::Path;

pub use cache::{CacheError, DatasetCache, Opened, PendingEntry, SCHEMA_VERSION, open};
pub use error::{Excerpt, LoadError, Located, Position};
pub use load::{MAX_FILE_BYTES, parse_bytes, parse_str, read_file, utf8};
pub use model::{
    Dataset, Delivery, Dispute, Event, Session, Source, Speaker, SpeakerKind, Statement,
    StatementKind, UtcOffset, Variant,
};
pub use normalize::to_nfc;
pub use source::{SourceFile, SourceKey, Stamp};
pub use validate::{Problem, validate};

/// The dataset shipped inside the binary.
pub const EMBEDDED_RON: &str = include_str!("../../data/hanoi-convention-2025.ron");
/// The name messages give the shipped dataset.
pub const EMBEDDED_NAME: &str = "data/hanoi-convention-2025.ron (built in)";

/// A validated dataset with its cross-references resolved to indices.
#[derive(Debug, Clone)]
pub struct Conference {
    pub data: Dataset,
    statement_speaker: Vec<usize>,
    statement_session: Vec<usize>,
    session_statements: Vec<Vec<usize>>,
    speaker_statements: Vec<Vec<usize>>,
    /// For each speaker, the sessions that list them as a speaker (imported schedules).
    speaker_sessions: Vec<Vec<usize>>,
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
        let bytes = read_file(path)?;
        Self::from_file(path, &bytes, Format::detect(path, &bytes))
    }

    /// The conference in `bytes`, read from the file at `path`: a schedule in `format`,
    /// or RON when there is none (see [`Format::detect`]).
    fn from_file(path: &Path, bytes: &[u8], format: Option<Format>) -> Result<Self, LoadError> {
        match format {
            Some(format) => Self::from_dataset(
                crate::import::import_bytes(format, bytes, path)?,
                &path.display().to_string(),
            ),
            None => Self::index_validated(parse_bytes(bytes, path)?, path),
        }
    }

    /// Validates and indexes a dataset built in memory (by an importer or a test);
    /// `name` names it in messages.
    pub fn from_dataset(data: Dataset, name: &str) -> Result<Self, LoadError> {
        Self::index_validated(validated(data, name)?, Path::new(name))
    }

    /// [`Conference::index`] for a dataset that passed validation, whose references all
    /// resolve: one that does not is a validator bug, reported rather than hidden.
    fn index_validated(data: Dataset, path: &Path) -> Result<Self, LoadError> {
        Self::index(data).ok_or_else(|| LoadError::Unresolved {
            path: path.to_owned(),
        })
    }

    /// Resolves a validated dataset's references to indices. On archives this is a good
    /// part of loading, so the map of every id is built while another thread resolves
    /// the statements' speakers and sessions. `None` if a statement's speaker or session,
    /// or a session's speaker, does not resolve: the indices would then be wrong.
    fn index(data: Dataset) -> Option<Self> {
        let (by_id, owners) = std::thread::scope(|scope| {
            let owners = scope.spawn(|| statement_owners(&data));
            let by_id: HashMap<String, Item> = ids_of(&data.sources, |s| &s.id, Item::Source)
                .chain(ids_of(&data.sessions, |s| &s.id, Item::Session))
                .chain(ids_of(&data.speakers, |s| &s.id, Item::Speaker))
                .chain(ids_of(&data.statements, |s| &s.id, Item::Statement))
                .chain(ids_of(&data.disputes, |d| &d.id, Item::Dispute))
                .collect();
            let owners = owners
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (by_id, owners)
        });
        let (statement_speaker, statement_session) = owners?;
        let index_of = |id: &str| by_id.get(id).copied();
        let session_statements = group(&statement_session, data.sessions.len());
        let speaker_statements = group(&statement_speaker, data.speakers.len());
        let mut speaker_sessions = vec![Vec::new(); data.speakers.len()];
        for (session, listed) in data.sessions.iter().enumerate() {
            for id in &listed.speakers {
                let Some(Item::Speaker(speaker)) = index_of(id) else {
                    return None;
                };
                speaker_sessions[speaker].push(session);
            }
        }
        Some(Self {
            data,
            statement_speaker,
            statement_session,
            session_statements,
            speaker_statements,
            speaker_sessions,
            by_id,
        })
    }

    pub fn item(&self, id: &str) -> Option<Item> {
        self.by_id.get(id).copied()
    }

    pub fn statement_index(&self, id: &str) -> Option<usize> {
        match self.item(id) {
            Some(Item::Statement(i)) => Some(i),
            _ => None,
        }
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        match self.item(id) {
            Some(Item::Source(i)) => self.data.sources.get(i),
            _ => None,
        }
    }

    pub fn speaker_of(&self, statement: usize) -> &Speaker {
        &self.data.speakers[self.statement_speaker[statement]]
    }

    pub fn session_of(&self, statement: usize) -> &Session {
        &self.data.sessions[self.statement_session[statement]]
    }

    /// The text a result row shows for an item, which search highlights index into: a
    /// statement's words, a speaker's name, a session's title, a source's title, a
    /// dispute's question.
    pub fn shown_text(&self, item: Item) -> &str {
        let data = &self.data;
        match item {
            Item::Statement(i) => &data.statements[i].text,
            Item::Speaker(i) => &data.speakers[i].name,
            Item::Session(i) => &data.sessions[i].title,
            Item::Source(i) => &data.sources[i].title,
            Item::Dispute(i) => &data.disputes[i].question,
        }
    }

    /// Index of the speaker of `statement`.
    pub fn speaker_index(&self, statement: usize) -> usize {
        self.statement_speaker[statement]
    }

    /// Index of the session of `statement`.
    pub fn session_index(&self, statement: usize) -> usize {
        self.statement_session[statement]
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

/// For each statement, the index of its speaker and of its session. Looked up in maps of
/// the speakers and the sessions alone, which stay in the processor's cache where the map
/// of every id would not. `None` if a reference does not resolve.
fn statement_owners(data: &Dataset) -> Option<(Vec<usize>, Vec<usize>)> {
    fn positions<T>(items: &[T], id: fn(&T) -> &String) -> HashMap<&str, usize> {
        items
            .iter()
            .enumerate()
            .map(|(index, item)| (id(item).as_str(), index))
            .collect()
    }
    let speakers = positions(&data.speakers, |s| &s.id);
    let sessions = positions(&data.sessions, |s| &s.id);
    let resolve = |map: &HashMap<&str, usize>, id: &String| map.get(id.as_str()).copied();
    let owners: Option<Vec<(usize, usize)>> = data
        .statements
        .iter()
        .map(|s| {
            Some((
                resolve(&speakers, &s.speaker)?,
                resolve(&sessions, &s.session)?,
            ))
        })
        .collect();
    Some(owners?.into_iter().unzip())
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
fn group(owner_of: &[usize], len: usize) -> Vec<Vec<usize>> {
    let mut groups = vec![Vec::new(); len];
    for (item, &owner) in owner_of.iter().enumerate() {
        if let Some(group) = groups.get_mut(owner) {
            group.push(item);
        }
    }
    groups
}
