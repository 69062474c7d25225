//! The dataset's types: what a conference record holds, exactly as it is written in RON.
//!
//! Ids are plain strings so the file stays readable; `validate` checks that every
//! reference resolves. Every text that a user may quote carries its sources.

use chrono::{FixedOffset, NaiveDate, NaiveTime, TimeDelta};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A whole conference record: one event, the documents it was built from, and what was said.
/// Its statements are a list of [`Statement`]s, or as a file is parsed, packed as they
/// come (`Staged`, see `staged.rs`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dataset<S = Vec<Statement>> {
    pub event: Event,
    /// The documents statements are taken from.
    #[serde(default)]
    pub sources: Vec<Source>,
    /// In chronological order.
    #[serde(default)]
    pub sessions: Vec<Session>,
    #[serde(default)]
    pub speakers: Vec<Speaker>,
    /// Grouped by session, in the order they were made.
    #[serde(default)]
    pub statements: S,
    /// Points on which the sources disagree; each variant keeps its own source.
    #[serde(default)]
    pub disputes: Vec<Dispute>,
}

/// A dataset without its statements: the part a [`crate::dataset::Conference`] keeps as
/// read (it keeps statements in columns, see `statements.rs`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Head {
    pub event: Event,
    pub sources: Vec<Source>,
    pub sessions: Vec<Session>,
    pub speakers: Vec<Speaker>,
    pub disputes: Vec<Dispute>,
}

impl<S> Dataset<S> {
    /// The dataset as its head and its statements.
    pub fn split(self) -> (Head, S) {
        let head = Head {
            event: self.event,
            sources: self.sources,
            sessions: self.sessions,
            speakers: self.speakers,
            disputes: self.disputes,
        };
        (head, self.statements)
    }
}

impl Head {
    /// The dataset with these parts and `statements`.
    pub fn with_statements(self, statements: Vec<Statement>) -> Dataset {
        Dataset {
            event: self.event,
            sources: self.sources,
            sessions: self.sessions,
            speakers: self.speakers,
            statements,
            disputes: self.disputes,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub name: String,
    /// A shorter name for narrow places such as the status bar.
    #[serde(default)]
    pub short_name: Option<String>,
    /// Venue, as a reader would write it in a citation ("National Convention Centre").
    pub venue: String,
    /// City (and country), used in attributions: "Hanoi".
    pub city: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    #[serde(default)]
    pub description: Option<String>,
    /// The conference's time zone as its schedule names it ("Europe/Brussels"); session
    /// times are local to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

/// A document statements are drawn from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    /// File name of the document as archived (the seed file for the shipped dataset).
    pub file: String,
    pub title: String,
    #[serde(default)]
    pub publisher: Option<String>,
    /// The article's address, where the document gives one.
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub published: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    pub id: String,
    pub title: String,
    pub date: NaiveDate,
    /// Free words such as "afternoon", where the sources give no clock time.
    #[serde(default)]
    pub time_of_day: Option<String>,
    #[serde(default)]
    pub start: Option<NaiveTime>,
    #[serde(default)]
    pub end: Option<NaiveTime>,
    #[serde(default)]
    pub venue: Option<String>,
    /// Speaker ids of those who chaired it.
    #[serde(default)]
    pub chairs: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Sources that establish the session's date, time, venue and chairs.
    #[serde(default)]
    pub sources: Vec<String>,
    // The fields below come from published schedules (see `crate::import`); they are
    // skipped when empty so hand-written datasets stay as they were.
    /// Length in minutes, where a schedule gives a duration rather than an end (it may
    /// run past midnight, which `end` cannot say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_minutes: Option<u32>,
    /// The UTC offset the schedule gives for the session; `start` and `end` stay local time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_offset: Option<UtcOffset>,
    /// Speaker ids of those the programme lists for the session.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub speakers: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track: Option<String>,
    /// What kind of session the programme calls it ("Talk", "Workshop").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The language it is held in, as the schedule writes it ("en").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

impl Session {
    /// When the session ends: `end`, or `start` plus `duration_minutes` (past midnight,
    /// the clock wraps).
    pub fn end_time(&self) -> Option<NaiveTime> {
        self.end.or_else(|| {
            let minutes = TimeDelta::minutes(i64::from(self.duration_minutes?));
            Some(self.start? + minutes)
        })
    }
}

/// An offset from UTC, written as in ISO 8601 ("+01:00", "-05:00").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UtcOffset(pub FixedOffset);

impl Serialize for UtcOffset {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.to_string())
    }
}

impl<'de> Deserialize<'de> for UtcOffset {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map(UtcOffset).map_err(|_| {
            serde::de::Error::custom(format!(
                "invalid UTC offset \"{text}\", expected one like \"+01:00\""
            ))
        })
    }
}

/// What kind of party a speaker is; unnamed roles and delegations are speakers too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SpeakerKind {
    /// A named individual.
    Person,
    /// An office-holder the sources do not name ("the Russian President").
    Role,
    /// A country or organisation speaking as a whole ("Australia").
    Delegation,
    /// Several speakers reported together ("representatives of 18 countries").
    Group,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Speaker {
    pub id: String,
    /// As the sources write it.
    pub name: String,
    /// In the speaker's own script, with diacritics ("Phạm Minh Chính").
    #[serde(default)]
    pub native_name: Option<String>,
    pub kind: SpeakerKind,
    /// Role or title at the event.
    #[serde(default)]
    pub role: Option<String>,
    /// Country or organisation represented.
    #[serde(default)]
    pub affiliation: Option<String>,
}

/// Whether the words are the speaker's own or a report of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StatementKind {
    /// The source prints these words inside quotation marks.
    Verbatim,
    /// Reported speech: the source's words about what the speaker said.
    Paraphrase,
}

/// How the statement reached the session.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Delivery {
    /// Said by the speaker in person.
    #[default]
    InPerson,
    /// A written message sent to the session; `read_by` names who delivered it, when known.
    Message { read_by: Option<String> },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    pub id: String,
    pub speaker: String,
    pub session: String,
    pub kind: StatementKind,
    #[serde(default)]
    pub delivery: Delivery,
    /// Exactly as printed in the first cited source (no added quotation marks).
    pub text: String,
    /// Source ids; the text occurs in each of them.
    pub sources: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Editorial remark on attribution or wording, shown beside the statement.
    #[serde(default)]
    pub note: Option<String>,
}

/// A point on which sources disagree, such as how many countries signed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dispute {
    pub id: String,
    /// The question the variants answer differently.
    pub question: String,
    pub variants: Vec<Variant>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// The answer in short ("65", "5 pushes").
    pub value: String,
    /// The passage that gives it, exactly as printed in `source`.
    pub text: String,
    pub source: String,
    /// The statement that carries this variant, when a speaker made it.
    #[serde(default)]
    pub statement: Option<String>,
}
