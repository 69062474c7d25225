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
            (Some(guid), _, _) => Ok(Self::Guid(guid_key(guid))),
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

/// A guid as compared: a UUID in either case is one UUID, but frab also writes base64
/// guids ("HOqeNIb6G7M4hYFKFRkCmQ"), where case matters.
fn guid_key(guid: &str) -> String {
    if guid.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        guid.to_ascii_lowercase()
    } else {
        guid.to_owned()
    }
}

/// What identifies a person across events: guid, else id, else code, else the name
/// (compared without case or diacritics).
fn person_key(person: &Person) -> String {
    match (&person.guid, &person.id, &person.code) {
        (Some(guid), _, _) => format!("guid {}", guid_key(guid)),
        (None, Some(id), _) => format!("id {id}"),
        (None, None, Some(code)) => format!("code {code}"),
        (None, None, None) => format!("name {}", fold(&person.name)),
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

#[cfg(test)]
mod tests {
    use super::super::times;
    use super::*;
    use crate::dataset::validate;

    const FRAB: &str = include_str!("../../tests/fixtures/schedules/frab.xml");
    const FOSDEM: &str = include_str!("../../tests/fixtures/schedules/fosdem.xml");

    fn frab(text: &str) -> Result<Dataset, Fault> {
        to_dataset(
            super::super::frab::parse(text)?,
            Format::Frab,
            Path::new("dir/schedule.xml"),
        )
    }

    /// A one-day frab schedule with the given events.
    fn with_events(events: &str) -> String {
        format!(
            "<schedule><conference><title>T</title></conference>\n\
             <day date=\"2025-03-14\"><room name=\"R\">\n{events}</room></day></schedule>"
        )
    }

    #[test]
    fn a_schedule_becomes_sessions_and_deduplicated_speakers_and_no_statements() {
        let data = frab(FRAB).expect("valid");
        assert_eq!(validate(&data), vec![]);
        assert!(data.statements.is_empty() && data.disputes.is_empty());
        let names: Vec<&str> = data.speakers.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Ada Lovelace",
                "Đặng Thị Ngọc",
                "Grace Hopper",
                "Linus Example"
            ]
        );
        let ids: Vec<&str> = data.speakers.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "ada-lovelace",
                "dang-thi-ngoc",
                "grace-hopper",
                "linus-example"
            ]
        );
        // In time order; at the same time, in the file's (room) order.
        let order: Vec<(String, &str)> = data
            .sessions
            .iter()
            .map(|s| {
                (
                    format!(
                        "{} {}",
                        s.date,
                        s.start.map(|t| t.to_string()).unwrap_or_default()
                    ),
                    s.title.as_str(),
                )
            })
            .collect();
        assert_eq!(order[0].1, "Opening keynote: Ownership & Borrowing");
        assert_eq!(order[1].1, "Async Rust without tears");
        assert_eq!(
            order[3],
            ("2025-03-15 00:30:00".to_owned(), "Night hacking session")
        );
        let keynote = &data.sessions[0];
        assert_eq!(keynote.id, "session-6f1c3e52-8d3a-4c1e-9a51-2a0f5f1b0101");
        assert_eq!(keynote.speakers, ["ada-lovelace", "dang-thi-ngoc"]);
        assert_eq!(keynote.end_time(), times::clock("10:45"));
        assert_eq!(
            keynote.utc_offset.map(|o| o.0.to_string()).as_deref(),
            Some("+01:00")
        );
        assert_eq!(
            keynote.description.as_deref(),
            Some(
                "Why the borrow checker is your friend\n\nHow the borrow checker shapes the programs we write.\n\nA tour of <em>ownership</em> for newcomers."
            )
        );
        // Abstract and description saying the same thing are said once.
        assert_eq!(
            data.sessions[1].description.as_deref(),
            Some("Futures, executors and what they cost.")
        );
        let event = &data.event;
        assert_eq!(
            (event.name.as_str(), event.short_name.as_deref()),
            ("Rust Days 2025", Some("rd25"))
        );
        assert_eq!(
            (event.venue.as_str(), event.city.as_str()),
            (NOT_GIVEN, NOT_GIVEN)
        );
        assert_eq!(event.time_zone.as_deref(), Some("Europe/Berlin"));
        let source = &data.sources[0];
        assert_eq!(
            (source.id.as_str(), source.file.as_str()),
            ("schedule", "schedule.xml")
        );
        assert_eq!(
            source.url.as_deref(),
            Some("https://rustdays.example.org/2025/")
        );
        assert!(data.sessions.iter().all(|s| s.sources == ["schedule"]));
    }

    #[test]
    fn events_without_guids_are_keyed_by_id_and_slot() {
        let data = frab(FOSDEM).expect("valid");
        assert_eq!(validate(&data), vec![]);
        let ids: Vec<&str> = data.sessions.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "session-5001-2026-01-31-09-30",
                "session-5002-2026-01-31-10-00",
                "session-5002-2026-02-01-10-00"
            ]
        );
        assert_eq!(data.event.city, "Brussels");
        assert_eq!(data.speakers.len(), 2, "persons matched by id");
        // Without a guid, a code (pretalx's, as an attribute or an element) keys the event.
        let coded = with_events(
            "<event id=\"1\" code=\"XYZ9\"><title>A</title><start>10:00</start></event>\n\
             <event id=\"1\"><code>Q7</code><title>B</title><start>10:00</start></event>",
        );
        let ids: Vec<String> = frab(&coded)
            .expect("valid")
            .sessions
            .into_iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(ids, ["session-xyz9", "session-q7"]);
        let twice = with_events(
            "<event id=\"1\"><title>A</title><start>10:00</start></event>\n\
             <event id=\"1\"><title>B</title><start>10:00</start></event>",
        );
        let fault = frab(&twice).expect_err("same id, same slot");
        assert_eq!(fault.position.line, 4);
        assert!(
            fault
                .problem
                .to_string()
                .contains("same id, date and start \"1 2025-03-14 10:00\" as the one at line 3"),
            "{}",
            fault.problem
        );
    }

    #[test]
    fn duplicate_guids_are_refused_uuids_in_any_case_and_keyless_events_too() {
        let twice = with_events(
            "<event guid=\"AB-1\"><title>A</title><start>10:00</start></event>\n\
             <event guid=\"ab-1\"><title>B</title><start>11:00</start></event>",
        );
        let fault = frab(&twice).expect_err("same guid");
        assert!(
            matches!(fault.problem, Problem::Duplicate { field: "guid", .. }),
            "{:?}",
            fault.problem
        );
        // frab's base64 guids differ by case alone; they are two events.
        let base64 = with_events(
            "<event guid='HOqeNIb6G7M4hYFKFRkCmQ'><title>A</title><start>10:00</start></event>\n\
             <event guid='hoqeNIb6G7M4hYFKFRkCmQ'><title>B</title><start>11:00</start></event>",
        );
        let data = frab(&base64).expect("two events");
        let ids: Vec<&str> = data.sessions.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "session-hoqenib6g7m4hyfkfrkcmq",
                "session-hoqenib6g7m4hyfkfrkcmq-2"
            ]
        );
        let keyless = with_events("<event><title>A</title><start>10:00</start></event>");
        let fault = frab(&keyless).expect_err("no key");
        assert_eq!(
            fault.problem.to_string(),
            "<event> has no guid, code or id, which is required"
        );
    }

    #[test]
    fn persons_without_ids_match_by_name_and_namesakes_with_ids_stay_apart() {
        let events = with_events(
            "<event id=\"1\"><title>A</title><start>10:00</start><persons>\
               <person>Jo Ng</person><person id=\"7\">Sam</person></persons></event>\n\
             <event id=\"2\"><title>B</title><start>11:00</start><persons>\
               <person>JO NG</person><person id=\"8\">Sam</person><person>Jo Ng</person></persons></event>",
        );
        let data = frab(&events).expect("valid");
        let ids: Vec<&str> = data.speakers.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["jo-ng", "sam", "sam-2"]);
        assert_eq!(data.sessions[1].speakers, ["jo-ng", "sam-2"], "listed once");
        assert_eq!(validate(&data), vec![]);
    }

    #[test]
    fn the_event_spans_every_session_and_a_schedule_without_dates_is_refused() {
        let late = "<schedule><conference><title>T</title><start>2025-03-14</start><end>2025-03-14</end></conference>\n\
                    <day date=\"2025-03-14\"><room name=\"R\"><event id=\"1\"><title>A</title>\
                    <date>2025-03-15T01:00:00+01:00</date><start>01:00</start></event></room></day></schedule>";
        let data = frab(late).expect("valid");
        assert_eq!(data.event.end_date.to_string(), "2025-03-15");
        assert_eq!(validate(&data), vec![]);
        let fault = frab("<schedule><conference><title>T</title></conference></schedule>")
            .expect_err("no dates");
        assert!(
            fault.problem.to_string().contains("start date"),
            "{}",
            fault.problem
        );
    }
}
