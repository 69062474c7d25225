//! Semantic checks that serde cannot make: ids unique and well formed, references that
//! resolve, times in order, no empty texts. Every problem is collected, none stops the rest.

use std::fmt;
use std::hash::BuildHasher;

use foldhash::{HashMap, HashMapExt};
use hashbrown::{HashTable, hash_table};

use super::model::{Dataset, Statement};

/// The item a problem is in: its id, and which of the items with that id it is (0 = the
/// first). Ids are meant to be unique, but a file may repeat one (or leave several
/// empty), and a problem in the second item with an id is placed at that item, not the
/// first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemId {
    pub text: String,
    pub occurrence: usize,
}

/// The first item with an id: what a test names a problem's item by.
impl From<&str> for ItemId {
    fn from(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            occurrence: 0,
        }
    }
}

impl PartialEq<str> for ItemId {
    fn eq(&self, text: &str) -> bool {
        self.text == text
    }
}

impl fmt::Display for ItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// An item's id as validation reads it, made an [`ItemId`] only for a problem.
#[derive(Debug, Clone, Copy)]
struct Item<'a> {
    id: &'a str,
    occurrence: usize,
}

impl Item<'_> {
    fn to_owned(self) -> ItemId {
        ItemId {
            text: self.id.to_owned(),
            occurrence: self.occurrence,
        }
    }
}

/// One thing wrong with a dataset, naming the item (by id) it is wrong in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The same id is used twice (ids are unique across all collections).
    DuplicateId {
        id: String,
        /// Which definition of the id this is (0 = the first); the locator uses it.
        occurrence: usize,
    },
    /// Ids are lowercase kebab-case so they survive shells, URLs and file names.
    MalformedId {
        kind: &'static str,
        id: ItemId,
    },
    /// A text field that is empty or only white space; of the event if `kind` is
    /// "event" (whose `id` is then empty).
    EmptyText {
        kind: &'static str,
        id: ItemId,
        field: &'static str,
    },
    UnknownReference {
        kind: &'static str,
        id: ItemId,
        field: &'static str,
        target_kind: &'static str,
        target: String,
    },
    SessionEndsBeforeStart {
        id: ItemId,
    },
    SessionOutsideEvent {
        id: ItemId,
    },
    EventEndsBeforeStart,
    StatementWithoutSource {
        id: ItemId,
    },
    DisputeWithoutVariants {
        id: ItemId,
    },
}

/// Where in a file a problem is: what the locator looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place<'a> {
    /// The `id: "…"` field of the item with this id, the `occurrence`th (0 = the first).
    Item { id: &'a str, occurrence: usize },
    /// This field of the event.
    EventField(&'static str),
}

impl Problem {
    /// Where the problem is: the item it is in, or the event's field.
    pub fn place(&self) -> Place<'_> {
        match self {
            Problem::DuplicateId { id, occurrence } => Place::Item {
                id,
                occurrence: *occurrence,
            },
            Problem::EmptyText {
                kind: "event",
                field,
                ..
            } => Place::EventField(field),
            Problem::MalformedId { id, .. }
            | Problem::EmptyText { id, .. }
            | Problem::UnknownReference { id, .. }
            | Problem::SessionEndsBeforeStart { id }
            | Problem::SessionOutsideEvent { id }
            | Problem::StatementWithoutSource { id }
            | Problem::DisputeWithoutVariants { id } => Place::Item {
                id: &id.text,
                occurrence: id.occurrence,
            },
            Problem::EventEndsBeforeStart => Place::EventField("end_date"),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::DuplicateId { id, .. } => write!(f, "duplicate id \"{id}\""),
            Problem::MalformedId { kind, id } if id.text.is_empty() => {
                write!(f, "{kind} id is empty")
            }
            Problem::MalformedId { kind, id } => write!(
                f,
                "{kind} id \"{id}\" is not lowercase kebab-case (a-z, 0-9, '-')"
            ),
            Problem::EmptyText { kind, id, field } if id.text.is_empty() => {
                write!(f, "{kind}: `{field}` is empty")
            }
            Problem::EmptyText { kind, id, field } => {
                write!(f, "{kind} \"{id}\": `{field}` is empty")
            }
            Problem::UnknownReference {
                kind,
                id,
                field,
                target_kind,
                target,
            } => write!(
                f,
                "{kind} \"{id}\": `{field}` names unknown {target_kind} \"{target}\""
            ),
            Problem::SessionEndsBeforeStart { id } => {
                write!(f, "session \"{id}\" ends before it starts")
            }
            Problem::SessionOutsideEvent { id } => {
                write!(f, "session \"{id}\" is dated outside the event's dates")
            }
            Problem::EventEndsBeforeStart => {
                write!(f, "the event's end_date is before its start_date")
            }
            Problem::StatementWithoutSource { id } => {
                write!(f, "statement \"{id}\" cites no source")
            }
            Problem::DisputeWithoutVariants { id } => {
                write!(f, "dispute \"{id}\" has no variants")
            }
        }
    }
}

/// What validation reads of each statement, however the statements are held: as
/// [`Statement`]s, or packed as a file is parsed.
pub trait StatementFields {
    fn count(&self) -> usize;
    fn id(&self, i: usize) -> &str;
    fn speaker(&self, i: usize) -> &str;
    fn session(&self, i: usize) -> &str;
    /// Whether the text is empty or only white space.
    fn text_is_blank(&self, i: usize) -> bool;
    fn sources(&self, i: usize) -> impl Iterator<Item = &str>;
}

impl StatementFields for Vec<Statement> {
    fn count(&self) -> usize {
        self.len()
    }

    fn id(&self, i: usize) -> &str {
        &self[i].id
    }

    fn speaker(&self, i: usize) -> &str {
        &self[i].speaker
    }

    fn session(&self, i: usize) -> &str {
        &self[i].session
    }

    fn text_is_blank(&self, i: usize) -> bool {
        is_blank(&self[i].text)
    }

    fn sources(&self, i: usize) -> impl Iterator<Item = &str> {
        self[i].sources.iter().map(String::as_str)
    }
}

/// Checks everything and returns every problem, in file order per collection.
pub fn validate<S: StatementFields>(dataset: &Dataset<S>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let ids = IdTable::build(dataset, &mut problems);
    check_event(dataset, &ids, &mut problems);
    check_sessions(dataset, &ids, &mut problems);
    check_speakers(dataset, &ids, &mut problems);
    for i in 0..dataset.statements.count() {
        check_statement(&dataset.statements, i, &ids, &mut problems);
    }
    check_disputes(dataset, &ids, &mut problems);
    problems
}

/// Every id in the dataset, found by its text: a table of positions in the ids taken in
/// order (sources, sessions, speakers, statements, disputes), which name the id and its
/// kind. A map from id texts to kinds took four times the room: at a million statements
/// that was 70 MB at the peak of a first launch.
struct IdTable<'a, S> {
    dataset: &'a Dataset<S>,
    table: HashTable<usize>,
    hasher: foldhash::fast::RandomState,
    /// Which occurrence of its id each item that repeats an earlier one's is, by its
    /// place among the ids (the others are the first).
    repeats: HashMap<usize, usize>,
}

impl<'a, S: StatementFields> IdTable<'a, S> {
    fn build(dataset: &'a Dataset<S>, problems: &mut Vec<Problem>) -> Self {
        let count = dataset.sources.len()
            + dataset.sessions.len()
            + dataset.speakers.len()
            + dataset.statements.count()
            + dataset.disputes.len();
        let mut ids = Self {
            dataset,
            // Room made at once: growing it a million entries long took most of a second.
            table: HashTable::with_capacity(count),
            hasher: foldhash::fast::RandomState::default(),
            repeats: HashMap::new(),
        };
        // How often each repeated id was seen: ids are rarely repeated.
        let mut repeated: HashMap<&str, usize> = HashMap::new();
        for at in 0..count {
            let (kind, id) = ids_of(dataset, at);
            let hash = ids.hasher.hash_one(id);
            let (table, hasher) = (&mut ids.table, &ids.hasher);
            let id_at = |at: usize| ids_of(dataset, at).1;
            let occurrence = match table.entry(
                hash,
                |&other| id_at(other) == id,
                |&other| hasher.hash_one(id_at(other)),
            ) {
                hash_table::Entry::Vacant(first) => {
                    first.insert(at);
                    0
                }
                hash_table::Entry::Occupied(_) => {
                    let seen = repeated.entry(id).or_insert(1);
                    *seen += 1;
                    ids.repeats.insert(at, *seen - 1);
                    *seen - 1
                }
            };
            if !is_well_formed_id(id) {
                problems.push(Problem::MalformedId {
                    kind,
                    id: Item { id, occurrence }.to_owned(),
                });
            }
            if occurrence > 0 {
                problems.push(Problem::DuplicateId {
                    id: id.to_owned(),
                    occurrence,
                });
            }
        }
        ids
    }

    /// A collection's items with their [`Item`]s, the collection's first at `first` among
    /// the ids taken in order.
    fn with_items<'b, T>(
        &'b self,
        first: usize,
        collection: &'b [T],
    ) -> impl Iterator<Item = (Item<'a>, &'b T)> + 'b {
        (collection.iter().enumerate()).map(move |(i, value)| (self.item(first + i), value))
    }

    /// The item at `at` among the ids taken in order (see [`ids_of`]).
    fn item(&self, at: usize) -> Item<'a> {
        Item {
            id: ids_of(self.dataset, at).1,
            occurrence: match self.repeats.is_empty() {
                true => 0,
                false => self.repeats.get(&at).copied().unwrap_or(0),
            },
        }
    }

    fn is(&self, id: &str, kind: &str) -> bool {
        let hash = self.hasher.hash_one(id);
        (self.table)
            .find(hash, |&at| ids_of(self.dataset, at).1 == id)
            .is_some_and(|&at| ids_of(self.dataset, at).0 == kind)
    }

    /// Records a problem unless `target` is the id of a `target_kind`.
    fn expect(
        &self,
        problems: &mut Vec<Problem>,
        (kind, item, field): (&'static str, Item, &'static str),
        target_kind: &'static str,
        target: &str,
    ) {
        if !self.is(target, target_kind) {
            problems.push(Problem::UnknownReference {
                kind,
                id: item.to_owned(),
                field,
                target_kind,
                target: target.to_owned(),
            });
        }
    }
}

/// The kind and text of the id at `at` among the dataset's ids taken in order: sources,
/// sessions, speakers, statements, disputes.
fn ids_of<S: StatementFields>(dataset: &Dataset<S>, at: usize) -> (&'static str, &str) {
    let Starts {
        sessions,
        speakers,
        statements,
        disputes,
    } = Starts::of(dataset);
    if at < sessions {
        ("source", &dataset.sources[at].id)
    } else if at < speakers {
        ("session", &dataset.sessions[at - sessions].id)
    } else if at < statements {
        ("speaker", &dataset.speakers[at - speakers].id)
    } else if at < disputes {
        ("statement", dataset.statements.id(at - statements))
    } else {
        ("dispute", &dataset.disputes[at - disputes].id)
    }
}

/// Where each collection starts among the dataset's ids taken in order (sources first).
struct Starts {
    sessions: usize,
    speakers: usize,
    statements: usize,
    disputes: usize,
}

impl Starts {
    fn of<S: StatementFields>(dataset: &Dataset<S>) -> Self {
        let sessions = dataset.sources.len();
        let speakers = sessions + dataset.sessions.len();
        let statements = speakers + dataset.speakers.len();
        Self {
            sessions,
            speakers,
            statements,
            disputes: statements + dataset.statements.count(),
        }
    }
}

pub(crate) fn is_well_formed_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

pub(crate) fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

fn require_text(
    problems: &mut Vec<Problem>,
    (kind, item): (&'static str, Item),
    field: &'static str,
    value: &str,
) {
    require(problems, (kind, item), field, is_blank(value));
}

fn require(
    problems: &mut Vec<Problem>,
    (kind, item): (&'static str, Item),
    field: &'static str,
    blank: bool,
) {
    if blank {
        problems.push(Problem::EmptyText {
            kind,
            id: item.to_owned(),
            field,
        });
    }
}

fn check_event<S: StatementFields>(
    dataset: &Dataset<S>,
    ids: &IdTable<S>,
    problems: &mut Vec<Problem>,
) {
    let event = &dataset.event;
    if event.end_date < event.start_date {
        problems.push(Problem::EventEndsBeforeStart);
    }
    let the_event = Item {
        id: "",
        occurrence: 0,
    };
    for (field, value) in [
        ("name", &event.name),
        ("venue", &event.venue),
        ("city", &event.city),
    ] {
        require_text(problems, ("event", the_event), field, value);
    }
    for (item, source) in ids.with_items(0, &dataset.sources) {
        require_text(problems, ("source", item), "file", &source.file);
        require_text(problems, ("source", item), "title", &source.title);
    }
}

fn check_sessions<S: StatementFields>(
    dataset: &Dataset<S>,
    ids: &IdTable<S>,
    problems: &mut Vec<Problem>,
) {
    let event = &dataset.event;
    let first = Starts::of(dataset).sessions;
    for (item, session) in ids.with_items(first, &dataset.sessions) {
        require_text(problems, ("session", item), "title", &session.title);
        if let (Some(start), Some(end)) = (session.start, session.end)
            && end < start
        {
            problems.push(Problem::SessionEndsBeforeStart {
                id: item.to_owned(),
            });
        }
        if session.date < event.start_date || session.date > event.end_date {
            problems.push(Problem::SessionOutsideEvent {
                id: item.to_owned(),
            });
        }
        for chair in &session.chairs {
            ids.expect(problems, ("session", item, "chairs"), "speaker", chair);
        }
        for speaker in &session.speakers {
            ids.expect(problems, ("session", item, "speakers"), "speaker", speaker);
        }
        for source in &session.sources {
            ids.expect(problems, ("session", item, "sources"), "source", source);
        }
    }
}

fn check_speakers<S: StatementFields>(
    dataset: &Dataset<S>,
    ids: &IdTable<S>,
    problems: &mut Vec<Problem>,
) {
    let first = Starts::of(dataset).speakers;
    for (item, speaker) in ids.with_items(first, &dataset.speakers) {
        require_text(problems, ("speaker", item), "name", &speaker.name);
    }
}

fn check_statement<S: StatementFields>(
    statements: &S,
    i: usize,
    ids: &IdTable<S>,
    problems: &mut Vec<Problem>,
) {
    let item = ids.item(Starts::of(ids.dataset).statements + i);
    require(
        problems,
        ("statement", item),
        "text",
        statements.text_is_blank(i),
    );
    ids.expect(
        problems,
        ("statement", item, "speaker"),
        "speaker",
        statements.speaker(i),
    );
    ids.expect(
        problems,
        ("statement", item, "session"),
        "session",
        statements.session(i),
    );
    if statements.sources(i).next().is_none() {
        problems.push(Problem::StatementWithoutSource {
            id: item.to_owned(),
        });
    }
    for source in statements.sources(i) {
        ids.expect(problems, ("statement", item, "sources"), "source", source);
    }
}

fn check_disputes<S: StatementFields>(
    dataset: &Dataset<S>,
    ids: &IdTable<S>,
    problems: &mut Vec<Problem>,
) {
    let first = Starts::of(dataset).disputes;
    for (item, dispute) in ids.with_items(first, &dataset.disputes) {
        require_text(problems, ("dispute", item), "question", &dispute.question);
        if dispute.variants.is_empty() {
            problems.push(Problem::DisputeWithoutVariants {
                id: item.to_owned(),
            });
        }
        for variant in &dispute.variants {
            require_text(problems, ("dispute", item), "variants.text", &variant.text);
            ids.expect(
                problems,
                ("dispute", item, "variants.source"),
                "source",
                &variant.source,
            );
            if let Some(statement) = &variant.statement {
                ids.expect(
                    problems,
                    ("dispute", item, "variants.statement"),
                    "statement",
                    statement,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::parse_str;
    use std::path::Path;

    const MINIMAL: &str = include_str!("../../tests/fixtures/minimal.ron");

    fn minimal() -> Dataset {
        parse_str(MINIMAL, Path::new("minimal.ron")).expect("fixture is valid")
    }

    #[test]
    fn minimal_dataset_has_no_problems() {
        assert_eq!(validate(&minimal()), vec![]);
    }

    #[test]
    fn unknown_speaker_and_session_are_both_reported() {
        let mut data = minimal();
        data.statements[0].speaker = "ghost".into();
        data.statements[0].session = "nowhere".into();
        let problems = validate(&data);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            matches!(&problems[0], Problem::UnknownReference { id, field: "speaker", target, .. } if id == "s1" && target == "ghost")
        );
        assert!(
            matches!(&problems[1], Problem::UnknownReference { field: "session", target, .. } if target == "nowhere")
        );
    }

    #[test]
    fn a_reference_to_an_id_of_the_wrong_kind_is_unknown() {
        let mut data = minimal();
        data.statements[0].speaker = "opening".into(); // a session id
        assert!(matches!(
            validate(&data).as_slice(),
            [Problem::UnknownReference {
                target_kind: "speaker",
                ..
            }]
        ));
    }

    #[test]
    fn a_problem_names_which_of_the_items_sharing_an_id_it_is_in() {
        let mut data = minimal();
        let mut second = data.statements[0].clone();
        second.speaker = "ghost".into();
        let mut empty = data.statements[0].clone();
        empty.id = String::new();
        data.statements.extend([second, empty.clone(), empty]);
        data.statements[3].sources.clear();
        let problems = validate(&data);
        let second_s1 = ItemId {
            text: "s1".into(),
            occurrence: 1,
        };
        assert!(problems.contains(&Problem::UnknownReference {
            kind: "statement",
            id: second_s1,
            field: "speaker",
            target_kind: "speaker",
            target: "ghost".into(),
        }));
        let empty_ids = |occurrence| ItemId {
            text: String::new(),
            occurrence,
        };
        for occurrence in [0, 1] {
            assert!(problems.contains(&Problem::MalformedId {
                kind: "statement",
                id: empty_ids(occurrence),
            }));
        }
        assert!(problems.contains(&Problem::StatementWithoutSource { id: empty_ids(1) }));
        assert_eq!(
            problems[0].place(),
            Place::Item {
                id: "s1",
                occurrence: 1
            }
        );
    }

    #[test]
    fn duplicate_ids_across_collections_are_reported_with_their_occurrence() {
        let mut data = minimal();
        data.speakers[0].id = "opening".into();
        data.statements[0].speaker = "opening".into();
        let problems = validate(&data);
        assert!(problems.contains(&Problem::DuplicateId {
            id: "opening".into(),
            occurrence: 1
        }));
        // A third use is the second repeat; the first use (a session) names the id's kind.
        data.speakers.push(data.speakers[0].clone());
        let problems = validate(&data);
        let repeats: Vec<_> = (problems.iter())
            .filter_map(|p| match p {
                Problem::DuplicateId { id, occurrence } => Some((id.as_str(), *occurrence)),
                _ => None,
            })
            .collect();
        assert_eq!(repeats, [("opening", 1), ("opening", 2)]);
        assert!(problems.contains(&Problem::UnknownReference {
            kind: "statement",
            id: data.statements[0].id.as_str().into(),
            field: "speaker",
            target_kind: "speaker",
            target: "opening".into(),
        }));
    }

    #[test]
    fn malformed_ids_are_reported() {
        for bad in ["", "Upper", "with space", "-lead", "trail-", "ü"] {
            assert!(!is_well_formed_id(bad), "{bad:?}");
        }
        for good in ["a", "s-1", "pham-minh-chinh-2025"] {
            assert!(is_well_formed_id(good), "{good:?}");
        }
    }

    #[test]
    fn session_ending_before_it_starts_and_outside_the_event_are_reported() {
        let mut data = minimal();
        let session = &mut data.sessions[0];
        session.start = chrono::NaiveTime::from_hms_opt(11, 0, 0);
        session.end = chrono::NaiveTime::from_hms_opt(10, 0, 0);
        session.date = chrono::NaiveDate::from_ymd_opt(2025, 11, 1).expect("valid date");
        let problems = validate(&data);
        assert!(problems.contains(&Problem::SessionEndsBeforeStart {
            id: "opening".into()
        }));
        assert!(problems.contains(&Problem::SessionOutsideEvent {
            id: "opening".into()
        }));
    }

    #[test]
    fn empty_text_and_missing_sources_are_reported() {
        let mut data = minimal();
        data.statements[0].text = " \n ".into();
        data.statements[0].sources.clear();
        data.event.city = String::new();
        let problems = validate(&data);
        assert!(problems.contains(&Problem::EmptyText {
            kind: "statement",
            id: "s1".into(),
            field: "text"
        }));
        assert!(problems.contains(&Problem::StatementWithoutSource { id: "s1".into() }));
        let city = Problem::EmptyText {
            kind: "event",
            id: "".into(),
            field: "city",
        };
        assert!(problems.contains(&city));
        assert_eq!(city.to_string(), "event: `city` is empty");
        assert_eq!(city.place(), Place::EventField("city"));
    }

    #[test]
    fn a_session_speaker_must_be_a_speaker() {
        let mut data = minimal();
        data.sessions[0].speakers = vec!["pmc".into(), "ghost".into()];
        assert!(matches!(
            validate(&data).as_slice(),
            [Problem::UnknownReference { field: "speakers", target, .. }] if target == "ghost"
        ));
    }

    #[test]
    fn event_dates_in_the_wrong_order_are_reported() {
        let mut data = minimal();
        std::mem::swap(&mut data.event.start_date, &mut data.event.end_date);
        assert!(validate(&data).contains(&Problem::EventEndsBeforeStart));
        assert_eq!(
            Problem::EventEndsBeforeStart.place(),
            Place::EventField("end_date")
        );
    }

    #[test]
    fn dispute_variants_must_resolve() {
        let mut data = minimal();
        data.disputes.push(crate::dataset::Dispute {
            id: "count".into(),
            question: "How many?".into(),
            variants: vec![crate::dataset::Variant {
                value: "65".into(),
                text: "65 countries".into(),
                source: "nope".into(),
                statement: Some("s404".into()),
            }],
        });
        data.disputes.push(crate::dataset::Dispute {
            id: "empty".into(),
            question: "?".into(),
            variants: vec![],
        });
        let problems = validate(&data);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems.contains(&Problem::DisputeWithoutVariants { id: "empty".into() }));
    }
}
