//! What validation finds wrong in a dataset: each problem, the item it is in, and where in
//! the file it points.

use std::fmt;

/// An item a problem is in: its kind, its id, and which of the items of that kind with
/// that id it is (0 = the first). Ids are meant to be unique,
/// but a file may repeat one (or leave several empty), and a problem in the second
/// statement "s1" must point at that statement, not the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemId {
    pub kind: Kind,
    pub id: String,
    pub occurrence: usize,
}

impl ItemId {
    pub fn new(kind: Kind, id: &str, occurrence: usize) -> Self {
        Self {
            kind,
            id: id.to_owned(),
            occurrence,
        }
    }
}

impl fmt::Display for ItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.id.as_str() {
            "" => write!(f, "{} with an empty id", self.kind),
            id => write!(f, "{} \"{id}\"", self.kind),
        }
    }
}

/// The kinds of items that have ids, in the order validation counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Source,
    Session,
    Speaker,
    Statement,
    Dispute,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Source,
        Kind::Session,
        Kind::Speaker,
        Kind::Statement,
        Kind::Dispute,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Source => "source",
            Kind::Session => "session",
            Kind::Speaker => "speaker",
            Kind::Statement => "statement",
            Kind::Dispute => "dispute",
        }
    }

    /// The dataset's field a file writes the items of this kind in.
    pub fn collection(self) -> &'static str {
        match self {
            Kind::Source => "sources",
            Kind::Session => "sessions",
            Kind::Speaker => "speakers",
            Kind::Statement => "statements",
            Kind::Dispute => "disputes",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One thing wrong with a dataset, naming the item it is wrong in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// An id already used (ids are unique across all collections): `item` repeats the
    /// id of `first`.
    DuplicateId {
        item: ItemId,
        first: ItemId,
    },
    /// Ids are lowercase kebab-case so they survive shells, URLs and file names.
    MalformedId {
        item: ItemId,
    },
    /// A text field that is empty or only white space.
    EmptyText {
        item: ItemId,
        field: &'static str,
    },
    EmptyEventText {
        field: &'static str,
    },
    UnknownReference {
        item: ItemId,
        field: &'static str,
        target_kind: Kind,
        target: String,
    },
    SessionEndsBeforeStart {
        item: ItemId,
    },
    SessionOutsideEvent {
        item: ItemId,
    },
    EventEndsBeforeStart,
    StatementWithoutSource {
        item: ItemId,
    },
    DisputeWithoutVariants {
        item: ItemId,
    },
}

/// Where in a file a problem points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place<'a> {
    /// The `id: "…"` of an item.
    Item(&'a ItemId),
    /// A field of the event.
    EventField(&'static str),
}

impl Problem {
    /// Where the problem is: the item it is in, or the event's field.
    pub fn place(&self) -> Place<'_> {
        match self {
            Problem::DuplicateId { item, .. }
            | Problem::MalformedId { item }
            | Problem::EmptyText { item, .. }
            | Problem::UnknownReference { item, .. }
            | Problem::SessionEndsBeforeStart { item }
            | Problem::SessionOutsideEvent { item }
            | Problem::StatementWithoutSource { item }
            | Problem::DisputeWithoutVariants { item } => Place::Item(item),
            Problem::EmptyEventText { field } => Place::EventField(field),
            Problem::EventEndsBeforeStart => Place::EventField("end_date"),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::DuplicateId { item, .. } => write!(f, "duplicate id \"{}\"", item.id),
            Problem::MalformedId { item } if item.id.is_empty() => {
                write!(f, "{} id is empty", item.kind)
            }
            Problem::MalformedId { item } => write!(
                f,
                "{} id \"{}\" is not lowercase kebab-case (a-z, 0-9, '-')",
                item.kind, item.id
            ),
            Problem::EmptyText { item, field } => write!(f, "{item}: `{field}` is empty"),
            Problem::EmptyEventText { field } => write!(f, "event: `{field}` is empty"),
            Problem::UnknownReference {
                item,
                field,
                target_kind,
                target,
            } => write!(
                f,
                "{item}: `{field}` names unknown {target_kind} \"{target}\""
            ),
            Problem::SessionEndsBeforeStart { item } => write!(f, "{item} ends before it starts"),
            Problem::SessionOutsideEvent { item } => {
                write!(f, "{item} is dated outside the event's dates")
            }
            Problem::EventEndsBeforeStart => {
                write!(f, "the event's end_date is before its start_date")
            }
            Problem::StatementWithoutSource { item } => write!(f, "{item} cites no source"),
            Problem::DisputeWithoutVariants { item } => write!(f, "{item} has no variants"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(kind: Kind, id: &str) -> ItemId {
        ItemId::new(kind, id, 0)
    }

    #[test]
    fn messages_name_the_item_or_say_its_id_is_empty() {
        let cases = [
            (
                Problem::EmptyText {
                    item: item(Kind::Statement, "s1"),
                    field: "text",
                },
                "statement \"s1\": `text` is empty",
            ),
            (
                Problem::EmptyText {
                    item: item(Kind::Statement, ""),
                    field: "text",
                },
                "statement with an empty id: `text` is empty",
            ),
            (
                Problem::StatementWithoutSource {
                    item: item(Kind::Statement, ""),
                },
                "statement with an empty id cites no source",
            ),
            (
                Problem::MalformedId {
                    item: item(Kind::Speaker, ""),
                },
                "speaker id is empty",
            ),
            (
                Problem::EmptyEventText { field: "city" },
                "event: `city` is empty",
            ),
            (
                Problem::SessionEndsBeforeStart {
                    item: item(Kind::Session, "opening"),
                },
                "session \"opening\" ends before it starts",
            ),
        ];
        for (problem, message) in cases {
            assert_eq!(problem.to_string(), message);
        }
    }

    #[test]
    fn event_problems_point_at_the_event_field() {
        assert_eq!(
            Problem::EventEndsBeforeStart.place(),
            Place::EventField("end_date")
        );
        assert_eq!(
            Problem::EmptyEventText { field: "name" }.place(),
            Place::EventField("name")
        );
    }
}
