//! What both schedule formats say, read into one shape, and its mapping to a hanoi-tui
//! [`Dataset`]: conference → event and source, events → sessions, persons → speakers.
//! A schedule has no statements: abstracts describe talks, they are nobody's words.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::Path;

use chrono::{NaiveDate, NaiveTime};

use super::Format;
use super::error::{Fault, Problem};
use super::ids::Ids;
use super::times::Slot;
use crate::dataset::{
    Dataset, Event, Position, Session, Source, Speaker, SpeakerKind, UtcOffset, to_nfc,
};
use crate::text::fold;

/// Stands in for the event's venue and city, which these formats do not carry (FOSDEM's
/// Pentabarf files do, and are used when present).
pub const NOT_GIVEN: &str = "(not given in the schedule)";

#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub conference: Conference,
    /// In file order.
    pub events: Vec<ScheduleEvent>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Conference {
    /// Where the conference is described, for problems with it.
    pub position: Position,
    pub title: String,
    pub acronym: Option<String>,
    pub description: Option<String>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub day_dates: Vec<NaiveDate>,
    pub time_zone: Option<String>,
    pub base_url: Option<String>,
    pub venue: Option<String>,
    pub city: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleEvent {
    pub position: Position,
    /// How messages name it: `<event id="12">` or `event "…"`.
    pub element: String,
    pub guid: Option<String>,
    pub code: Option<String>,
    pub id: Option<String>,
    pub slot: Slot,
    pub duration_minutes: Option<u32>,
    pub room: Option<String>,
    pub title: String,
    pub subtitle: Option<String>,
    pub track: Option<String>,
    pub kind: Option<String>,
    pub language: Option<String>,
    pub abstract_text: Option<String>,
    pub description: Option<String>,
    pub persons: Vec<Person>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub guid: Option<String>,
    pub id: Option<String>,
    pub code: Option<String>,
    pub name: String,
}

/// What identifies an event: its guid, else its code, else its id with its slot (ids
/// repeat when a talk is given twice).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum EventKey {
    Guid(String),
    Code(String),
    Slot(String, NaiveDate, NaiveTime),
}

impl EventKey {
    fn of(event: &ScheduleEvent) -> Result<Self, Fault> {
        let slot = event.slot;
        match (&event.guid, &event.code, &event.id) {
            (Some(guid), _, _) => Ok(Self::Guid(guid.to_lowercase())),
            (None, Some(code), _) => Ok(Self::Code(code.clone())),
            (None, None, Some(id)) => Ok(Self::Slot(id.clone(), slot.date, slot.start)),
            (None, None, None) => Err(Fault::new(
                event.position,
                Problem::Missing {
                    element: event.element.clone(),
                    field: "guid, code or id".to_owned(),
                },
            )),
        }
    }

    fn field(&self) -> &'static str {
        match self {
            Self::Guid(_) => "guid",
            Self::Code(_) => "code",
            Self::Slot(..) => "id, date and start",
        }
    }

    /// The key as written: the base of the session's id.
    fn value(&self) -> String {
        match self {
            Self::Guid(value) | Self::Code(value) => value.clone(),
            Self::Slot(id, date, start) => format!("{id} {date} {}", start.format("%H:%M")),
        }
    }
}

/// What identifies a person across events: guid, else id, else code, else the name
/// (compared without case or diacritics).
fn person_key(person: &Person) -> String {
    match (&person.guid, &person.id, &person.code) {
        (Some(guid), _, _) => format!("guid {}", guid.to_lowercase()),
        (None, Some(id), _) => format!("id {id}"),
        (None, None, Some(code)) => format!("code {code}"),
        (None, None, None) => format!("name {}", fold(&person.name).to_lowercase()),
    }
}

/// The id of the one source every imported session cites: the schedule file.
const SOURCE_ID: &str = "schedule";

/// Maps a schedule read from `path` to a dataset (in NFC, sessions in time order).
pub fn to_dataset(schedule: Schedule, format: Format, path: &Path) -> Result<Dataset, Fault> {
    let Schedule { conference, events } = schedule;
    let mut ids = Ids::default();
    let source = ids.claim(SOURCE_ID, SOURCE_ID);
    let mut seen: HashMap<EventKey, Position> = HashMap::new();
    let mut speaker_of: HashMap<String, usize> = HashMap::new();
    let mut speakers: Vec<Speaker> = Vec::new();
    let mut sessions = Vec::with_capacity(events.len());
    for event in events {
        let key = EventKey::of(&event)?;
        match seen.entry(key.clone()) {
            Entry::Occupied(first) => {
                return Err(Fault::new(
                    event.position,
                    Problem::Duplicate {
                        element: event.element,
                        field: key.field(),
                        value: key.value(),
                        first: *first.get(),
                    },
                ));
            }
            Entry::Vacant(slot) => {
                slot.insert(event.position);
            }
        }
        let mut presenters: Vec<String> = Vec::new();
        for person in &event.persons {
            let index = *speaker_of.entry(person_key(person)).or_insert_with(|| {
                speakers.push(Speaker {
                    id: ids.claim(&person.name, "speaker"),
                    name: person.name.clone(),
                    native_name: None,
                    kind: SpeakerKind::Person,
                    role: None,
                    affiliation: None,
                });
                speakers.len() - 1
            });
            let id = &speakers[index].id;
            if !presenters.contains(id) {
                presenters.push(id.clone());
            }
        }
        let id = ids.claim(&format!("session {}", key.value()), "session");
        sessions.push(session(event, id, presenters, &source));
    }
    // Stable: sessions at the same time keep the file's (room) order.
    sessions.sort_by_key(|s: &Session| (s.date, s.start));
    let mut dataset = Dataset {
        event: event(&conference, &sessions)?,
        sources: vec![Source {
            id: source,
            file: path.file_name().map_or_else(
                || path.display().to_string(),
                |name| name.to_string_lossy().into_owned(),
            ),
            title: format!("{}: schedule ({})", conference.title, format.describe()),
            publisher: None,
            url: conference.base_url.clone(),
            published: None,
        }],
        sessions,
        speakers,
        statements: Vec::new(),
        disputes: Vec::new(),
    };
    to_nfc(&mut dataset);
    Ok(dataset)
}

fn event(conference: &Conference, sessions: &[Session]) -> Result<Event, Fault> {
    // The event spans its stated dates, widened to every day and session it holds, so
    // a night session after the last day still falls inside it.
    let dates = || {
        conference
            .start
            .iter()
            .chain(&conference.end)
            .chain(&conference.day_dates)
            .copied()
            .chain(sessions.iter().map(|s| s.date))
    };
    let (Some(start_date), Some(end_date)) = (dates().min(), dates().max()) else {
        return Err(Fault::new(
            conference.position,
            Problem::Missing {
                element: "the conference".to_owned(),
                field: "start date (and no days or events to take one from)".to_owned(),
            },
        ));
    };
    Ok(Event {
        name: conference.title.clone(),
        short_name: conference.acronym.clone(),
        venue: conference
            .venue
            .clone()
            .unwrap_or_else(|| NOT_GIVEN.to_owned()),
        city: conference
            .city
            .clone()
            .unwrap_or_else(|| NOT_GIVEN.to_owned()),
        start_date,
        end_date,
        description: conference.description.clone(),
        time_zone: conference.time_zone.clone(),
    })
}

fn session(event: ScheduleEvent, id: String, speakers: Vec<String>, source: &str) -> Session {
    // Subtitle, abstract and description, each once, as paragraphs.
    let mut paragraphs: Vec<String> = Vec::new();
    for text in [event.subtitle, event.abstract_text, event.description]
        .into_iter()
        .flatten()
    {
        if !paragraphs.contains(&text) {
            paragraphs.push(text);
        }
    }
    Session {
        id,
        title: event.title,
        date: event.slot.date,
        time_of_day: None,
        start: Some(event.slot.start),
        end: None,
        venue: event.room,
        chairs: Vec::new(),
        description: Some(paragraphs.join("\n\n")).filter(|text| !text.is_empty()),
        sources: vec![source.to_owned()],
        duration_minutes: event.duration_minutes.filter(|&minutes| minutes > 0),
        utc_offset: event.slot.offset.map(UtcOffset),
        speakers,
        track: event.track,
        kind: event.kind,
        language: event.language,
    }
}
