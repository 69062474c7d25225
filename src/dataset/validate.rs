//! Semantic checks that serde cannot make: ids unique and well formed, references that
//! resolve, times in order, no empty texts. Every problem is collected, none stops the rest.

use std::hash::BuildHasher;

use foldhash::{HashMap, HashMapExt};
use hashbrown::{HashTable, hash_table};

use super::model::{Dataset, Statement};
use super::problem::{ItemId, Kind, Problem};

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

/// An item as validation reads it: made an [`ItemId`] only for a problem.
#[derive(Debug, Clone, Copy)]
struct Item<'a> {
    kind: Kind,
    id: &'a str,
    occurrence: usize,
}

impl Item<'_> {
    fn to_item_id(self) -> ItemId {
        ItemId {
            kind: self.kind,
            id: self.id.to_owned(),
            occurrence: self.occurrence,
        }
    }
}

/// Every id in the dataset, found by its text: a table of positions in the ids taken in
/// order (sources, sessions, speakers, statements, disputes), which name the id and its
/// kind. A map from id texts to kinds took four times the room: at a million statements
/// that was 70 MB at the peak of a first launch.
struct IdTable<'a, S> {
    dataset: &'a Dataset<S>,
    starts: Starts,
    table: HashTable<usize>,
    hasher: foldhash::fast::RandomState,
    /// For each item that repeats an id, by its position among the ids: which of the
    /// items of its kind with that id it is (the others are the first). Ids are rarely
    /// repeated.
    repeats: HashMap<usize, usize>,
    /// For each kind of item a repeated id is given to: how many items of that kind have
    /// it (counted as far as the build has read).
    repeated: HashMap<(Kind, &'a str), usize>,
}

impl<'a, S: StatementFields> IdTable<'a, S> {
    fn build(dataset: &'a Dataset<S>, problems: &mut Vec<Problem>) -> Self {
        let starts = Starts::of(dataset);
        let mut ids = Self {
            dataset,
            starts,
            // Room made at once: growing it a million entries long took most of a second.
            table: HashTable::with_capacity(starts.end),
            hasher: foldhash::fast::RandomState::default(),
            repeats: HashMap::new(),
            repeated: HashMap::new(),
        };
        for at in 0..starts.end {
            let (kind, id) = starts.kind_and_id(dataset, at);
            let hash = ids.hasher.hash_one(id);
            let (table, hasher) = (&mut ids.table, &ids.hasher);
            let id_at = |at: usize| starts.kind_and_id(dataset, at).1;
            let first = match table.entry(
                hash,
                |&other| id_at(other) == id,
                |&other| hasher.hash_one(id_at(other)),
            ) {
                hash_table::Entry::Vacant(vacant) => {
                    vacant.insert(at);
                    None
                }
                hash_table::Entry::Occupied(first) => Some(*first.get()),
            };
            if let Some(first) = first {
                let first_kind = starts.kind_and_id(dataset, first).0;
                let count =
                    (ids.repeated.entry((kind, id))).or_insert(usize::from(first_kind == kind));
                ids.repeats.insert(at, *count);
                *count += 1;
            }
            let item = ids.item(at);
            if !is_well_formed_id(id) {
                problems.push(Problem::MalformedId {
                    item: item.to_item_id(),
                });
            }
            if let Some(first) = first {
                problems.push(Problem::DuplicateId {
                    item: item.to_item_id(),
                    first: ids.item(first).to_item_id(),
                });
            }
        }
        ids
    }

    /// The item at `at` among the ids taken in order.
    fn item(&self, at: usize) -> Item<'a> {
        let (kind, id) = self.starts.kind_and_id(self.dataset, at);
        Item {
            kind,
            id,
            occurrence: self.repeats.get(&at).copied().unwrap_or(0),
        }
    }

    /// A collection's items, each with its value, the first at `first` among the ids.
    fn items<'b, T>(
        &'b self,
        first: usize,
        collection: &'b [T],
    ) -> impl Iterator<Item = (Item<'a>, &'b T)> + 'b {
        (collection.iter().enumerate()).map(move |(i, value)| (self.item(first + i), value))
    }

    /// Whether an item of `kind` has the id `id`: the first with it, or another (when the
    /// id is repeated, on an item of another kind first).
    fn is(&self, id: &str, kind: Kind) -> bool {
        let hash = self.hasher.hash_one(id);
        let first = (self.table).find(hash, |&at| {
            self.starts.kind_and_id(self.dataset, at).1 == id
        });
        first.is_some_and(|&at| {
            self.starts.kind_and_id(self.dataset, at).0 == kind
                || (!self.repeated.is_empty() && self.repeated.contains_key(&(kind, id)))
        })
    }

    /// Records a problem unless `target` is the id of a `target_kind`.
    fn expect(
        &self,
        problems: &mut Vec<Problem>,
        (item, field): (Item, &'static str),
        target_kind: Kind,
        target: &str,
    ) {
        if !self.is(target, target_kind) {
            problems.push(Problem::UnknownReference {
                item: item.to_item_id(),
                field,
                target_kind,
                target: target.to_owned(),
            });
        }
    }
}

/// Where each collection starts among the dataset's ids taken in order (sources first,
/// the order of [`COLLECTIONS`]), and where they end.
#[derive(Debug, Clone, Copy)]
struct Starts {
    sessions: usize,
    speakers: usize,
    statements: usize,
    disputes: usize,
    end: usize,
}

impl Starts {
    fn of<S: StatementFields>(dataset: &Dataset<S>) -> Self {
        let sessions = dataset.sources.len();
        let speakers = sessions + dataset.sessions.len();
        let statements = speakers + dataset.speakers.len();
        let disputes = statements + dataset.statements.count();
        Self {
            sessions,
            speakers,
            statements,
            disputes,
            end: disputes + dataset.disputes.len(),
        }
    }

    /// The kind and text of the id at `at` among the ids taken in order.
    fn kind_and_id<S: StatementFields>(self, dataset: &Dataset<S>, at: usize) -> (Kind, &str) {
        if at < self.sessions {
            (Kind::Source, &dataset.sources[at].id)
        } else if at < self.speakers {
            (Kind::Session, &dataset.sessions[at - self.sessions].id)
        } else if at < self.statements {
            (Kind::Speaker, &dataset.speakers[at - self.speakers].id)
        } else if at < self.disputes {
            (Kind::Statement, dataset.statements.id(at - self.statements))
        } else {
            (Kind::Dispute, &dataset.disputes[at - self.disputes].id)
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

fn require_text(problems: &mut Vec<Problem>, item: Item, field: &'static str, value: &str) {
    require(problems, item, field, is_blank(value));
}

fn require(problems: &mut Vec<Problem>, item: Item, field: &'static str, blank: bool) {
    if blank {
        problems.push(Problem::EmptyText {
            item: item.to_item_id(),
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
    for (field, value) in [
        ("name", &event.name),
        ("venue", &event.venue),
        ("city", &event.city),
    ] {
        if is_blank(value) {
            problems.push(Problem::EmptyEventText { field });
        }
    }
    for (item, source) in ids.items(0, &dataset.sources) {
        require_text(problems, item, "file", &source.file);
        require_text(problems, item, "title", &source.title);
    }
}

fn check_sessions<S: StatementFields>(
    dataset: &Dataset<S>,
    ids: &IdTable<S>,
    problems: &mut Vec<Problem>,
) {
    let event = &dataset.event;
    for (item, session) in ids.items(ids.starts.sessions, &dataset.sessions) {
        require_text(problems, item, "title", &session.title);
        if let (Some(start), Some(end)) = (session.start, session.end)
            && end < start
        {
            problems.push(Problem::SessionEndsBeforeStart {
                item: item.to_item_id(),
            });
        }
        if session.date < event.start_date || session.date > event.end_date {
            problems.push(Problem::SessionOutsideEvent {
                item: item.to_item_id(),
            });
        }
        for chair in &session.chairs {
            ids.expect(problems, (item, "chairs"), Kind::Speaker, chair);
        }
        for speaker in &session.speakers {
            ids.expect(problems, (item, "speakers"), Kind::Speaker, speaker);
        }
        for source in &session.sources {
            ids.expect(problems, (item, "sources"), Kind::Source, source);
        }
    }
}

fn check_speakers<S: StatementFields>(
    dataset: &Dataset<S>,
    ids: &IdTable<S>,
    problems: &mut Vec<Problem>,
) {
    for (item, speaker) in ids.items(ids.starts.speakers, &dataset.speakers) {
        require_text(problems, item, "name", &speaker.name);
    }
}

fn check_statement<S: StatementFields>(
    statements: &S,
    i: usize,
    ids: &IdTable<S>,
    problems: &mut Vec<Problem>,
) {
    let item = ids.item(ids.starts.statements + i);
    require(problems, item, "text", statements.text_is_blank(i));
    ids.expect(
        problems,
        (item, "speaker"),
        Kind::Speaker,
        statements.speaker(i),
    );
    ids.expect(
        problems,
        (item, "session"),
        Kind::Session,
        statements.session(i),
    );
    if statements.sources(i).next().is_none() {
        problems.push(Problem::StatementWithoutSource {
            item: item.to_item_id(),
        });
    }
    for source in statements.sources(i) {
        ids.expect(problems, (item, "sources"), Kind::Source, source);
    }
}

fn check_disputes<S: StatementFields>(
    dataset: &Dataset<S>,
    ids: &IdTable<S>,
    problems: &mut Vec<Problem>,
) {
    for (item, dispute) in ids.items(ids.starts.disputes, &dataset.disputes) {
        require_text(problems, item, "question", &dispute.question);
        if dispute.variants.is_empty() {
            problems.push(Problem::DisputeWithoutVariants {
                item: item.to_item_id(),
            });
        }
        for variant in &dispute.variants {
            require_text(problems, item, "variants.text", &variant.text);
            ids.expect(
                problems,
                (item, "variants.source"),
                Kind::Source,
                &variant.source,
            );
            if let Some(statement) = &variant.statement {
                ids.expect(
                    problems,
                    (item, "variants.statement"),
                    Kind::Statement,
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

    /// The `occurrence`th item of `kind` with `id`.
    fn nth(kind: Kind, id: &str, occurrence: usize) -> ItemId {
        ItemId::new(kind, id, occurrence)
    }

    fn first(kind: Kind, id: &str) -> ItemId {
        nth(kind, id, 0)
    }

    fn unknown(item: ItemId, field: &'static str, target_kind: Kind, target: &str) -> Problem {
        Problem::UnknownReference {
            item,
            field,
            target_kind,
            target: target.into(),
        }
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
        let s1 = first(Kind::Statement, "s1");
        assert_eq!(
            validate(&data),
            [
                unknown(s1.clone(), "speaker", Kind::Speaker, "ghost"),
                unknown(s1, "session", Kind::Session, "nowhere"),
            ]
        );
    }

    #[test]
    fn a_reference_to_an_id_of_the_wrong_kind_is_unknown() {
        let mut data = minimal();
        data.statements[0].speaker = "opening".into(); // a session id
        assert!(matches!(
            validate(&data).as_slice(),
            [Problem::UnknownReference {
                target_kind: Kind::Speaker,
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
        let second_s1 = nth(Kind::Statement, "s1", 1);
        assert!(problems.contains(&unknown(
            second_s1.clone(),
            "speaker",
            Kind::Speaker,
            "ghost"
        )));
        assert!(problems.contains(&Problem::DuplicateId {
            item: second_s1,
            first: first(Kind::Statement, "s1"),
        }));
        for occurrence in [0, 1] {
            assert!(problems.contains(&Problem::MalformedId {
                item: nth(Kind::Statement, "", occurrence),
            }));
        }
        assert!(problems.contains(&Problem::StatementWithoutSource {
            item: nth(Kind::Statement, "", 1)
        }));
    }

    #[test]
    fn occurrences_count_items_of_the_same_kind_only() {
        // The id "opening" on a session, then a speaker, then another speaker: each
        // repeat names its own item, counted among its kind, and the first.
        let mut data = minimal();
        data.speakers[0].id = "opening".into();
        data.speakers.push(data.speakers[0].clone());
        data.sessions[0].speakers = vec!["opening".into()];
        let problems = validate(&data);
        let session = first(Kind::Session, "opening");
        assert!(problems.contains(&Problem::DuplicateId {
            item: first(Kind::Speaker, "opening"),
            first: session.clone(),
        }));
        assert!(problems.contains(&Problem::DuplicateId {
            item: nth(Kind::Speaker, "opening", 1),
            first: session,
        }));
        // The id names a session first, and speakers too: the reference resolves.
        assert!(
            !(problems.iter()).any(|problem| matches!(
                problem,
                Problem::UnknownReference { target, .. } if target == "opening"
            )),
            "{problems:?}"
        );
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
        let item = first(Kind::Session, "opening");
        assert_eq!(
            validate(&data),
            [
                Problem::SessionEndsBeforeStart { item: item.clone() },
                Problem::SessionOutsideEvent { item },
            ]
        );
    }

    #[test]
    fn empty_text_and_missing_sources_are_reported() {
        let mut data = minimal();
        data.statements[0].text = " \n ".into();
        data.statements[0].sources.clear();
        data.event.city = String::new();
        let s1 = first(Kind::Statement, "s1");
        assert_eq!(
            validate(&data),
            [
                Problem::EmptyEventText { field: "city" },
                Problem::EmptyText {
                    item: s1.clone(),
                    field: "text"
                },
                Problem::StatementWithoutSource { item: s1 },
            ]
        );
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
        let count = first(Kind::Dispute, "count");
        assert_eq!(
            validate(&data),
            [
                unknown(count.clone(), "variants.source", Kind::Source, "nope"),
                unknown(count, "variants.statement", Kind::Statement, "s404"),
                Problem::DisputeWithoutVariants {
                    item: first(Kind::Dispute, "empty")
                },
            ]
        );
    }
}
