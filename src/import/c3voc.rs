//! The c3voc `schedule.json` format: `{"schedule": {"conference": {…, "days": [{"date",
//! "rooms": {"Room name": [event, …]}}]}}}`. Each event is kept as raw JSON until read,
//! so its place in the file is known for messages.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use super::error::{Fault, Problem};
use super::schedule::{Conference, Person, Schedule, ScheduleEvent};
use super::times::{self, Stamp};
use crate::dataset::LineIndex;
use crate::dataset::Position;

const FORMAT: &str = "c3voc schedule.json";

#[derive(Deserialize)]
struct File<'a> {
    #[serde(borrow)]
    schedule: ScheduleJson<'a>,
}

#[derive(Deserialize)]
struct ScheduleJson<'a> {
    #[serde(default)]
    base_url: Option<String>,
    #[serde(borrow)]
    conference: ConferenceJson<'a>,
}

#[derive(Deserialize)]
struct ConferenceJson<'a> {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    acronym: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    start: Option<String>,
    #[serde(default)]
    end: Option<String>,
    #[serde(default)]
    time_zone_name: Option<String>,
    /// Read one by one, each knowing its place in the file.
    #[serde(default, borrow)]
    days: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct DayJson<'a> {
    date: String,
    #[serde(default)]
    day_start: Option<String>,
    /// Events by room name (the order of rooms does not matter: events are put back in
    /// file order).
    #[serde(default, borrow)]
    rooms: BTreeMap<String, Vec<&'a RawValue>>,
}

/// What identifies an event or a person.
#[derive(Deserialize)]
struct Keys {
    #[serde(default, deserialize_with = "number_or_text")]
    id: Option<String>,
    #[serde(default)]
    guid: Option<String>,
    #[serde(default)]
    code: Option<String>,
}

#[derive(Deserialize)]
struct EventJson {
    #[serde(flatten)]
    keys: Keys,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    start: Option<String>,
    #[serde(default)]
    duration: Option<String>,
    #[serde(default)]
    room: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    subtitle: Option<String>,
    #[serde(default)]
    track: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    language: Option<String>,
    #[serde(default, rename = "abstract")]
    abstract_text: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    persons: Vec<PersonJson>,
}

#[derive(Deserialize)]
struct PersonJson {
    #[serde(flatten)]
    keys: Keys,
    #[serde(default)]
    public_name: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    full_name: Option<String>,
}

/// Ids are numbers in frab's export and strings in others.
fn number_or_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(
        match Option::<serde_json::Value>::deserialize(deserializer)? {
            Some(serde_json::Value::String(text)) => Some(text),
            Some(serde_json::Value::Number(number)) => Some(number.to_string()),
            Some(other) => {
                return Err(serde::de::Error::custom(format!(
                    "expected a number or a string for an id, found {other}"
                )));
            }
            None => None,
        },
    )
}

/// A text field's value, trimmed; `None` when absent or blank.
fn given(text: Option<String>) -> Option<String> {
    text.map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty())
}

/// Reads a c3voc schedule.json.
pub fn parse(text: &str) -> Result<Schedule, Fault> {
    let file: File = serde_json::from_str(text).map_err(|error| json_fault(&error, None))?;
    let lines = LineIndex::new(text);
    // The conference object's place, for problems with it as a whole.
    let conference_at = text
        .find("\"conference\"")
        .map_or(Position { line: 1, column: 1 }, |offset| {
            lines.position(offset)
        });
    let conference = file.schedule.conference;
    let value = Value::new;
    let place = |raw: &RawValue| lines.position(offset_in(text, raw));
    let mut day_dates = Vec::new();
    // (offset in the file, event, room name, the day's date and start)
    let mut raw_events = Vec::new();
    for raw_day in &conference.days {
        let at = place(raw_day);
        let day: DayJson =
            serde_json::from_str(raw_day.get()).map_err(|error| json_fault(&error, Some(at)))?;
        let day_date = value(at, "day", "date", &Some(day.date), times::DATE)
            .read(times::date)?
            .ok_or_else(|| missing(at, "day", "date"))?;
        let day_start = value(at, "day", "day_start", &day.day_start, times::DATE_TIME)
            .read(times::date_time)?;
        day_dates.push(day_date);
        for (room, events) in day.rooms {
            for raw in events {
                raw_events.push((offset_in(text, raw), raw, room.clone(), day_date, day_start));
            }
        }
    }
    raw_events.sort_by_key(|(offset, ..)| *offset);
    let events = raw_events
        .into_iter()
        .map(|(offset, raw, room, day_date, day_start)| {
            event(
                raw.get(),
                lines.position(offset),
                &room,
                day_date,
                day_start,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Schedule {
        conference: Conference {
            position: conference_at,
            title: given(conference.title.clone())
                .ok_or_else(|| missing(conference_at, "conference", "title"))?,
            acronym: given(conference.acronym.clone()),
            description: given(conference.description.clone()),
            start: value(
                conference_at,
                "conference",
                "start",
                &conference.start,
                times::DATE,
            )
            .read(times::date)?,
            end: value(
                conference_at,
                "conference",
                "end",
                &conference.end,
                times::DATE,
            )
            .read(times::date)?,
            day_dates,
            time_zone: given(conference.time_zone_name.clone()),
            base_url: given(file.schedule.base_url),
            venue: None,
            city: None,
        },
        events,
    })
}

/// Where a raw value (borrowed from `text`) starts in it.
fn offset_in(text: &str, raw: &RawValue) -> usize {
    (raw.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize)
}

/// Reads one event, given as its JSON text found at `at`.
fn event(
    json: &str,
    at: Position,
    room: &str,
    day_date: chrono::NaiveDate,
    day_start: Option<Stamp>,
) -> Result<ScheduleEvent, Fault> {
    let event: EventJson =
        serde_json::from_str(json).map_err(|error| json_fault(&error, Some(at)))?;
    let element = match (&event.keys.guid, &event.keys.id) {
        (Some(guid), _) => format!("event (guid \"{guid}\")"),
        (None, Some(id)) => format!("event (id {id})"),
        (None, None) => "event".to_owned(),
    };
    let missing = |field| missing(at, &element, field);
    let field =
        |name, text: &Option<String>, expected| Value::new(at, &element, name, text, expected);
    let date = field("date", &event.date, times::DATE_TIME).read(times::date_time)?;
    let start = field("start", &event.start, times::CLOCK).read(times::clock)?;
    let slot = times::slot(date, start, day_date, day_start).ok_or_else(|| missing("start"))?;
    let duration_minutes =
        field("duration", &event.duration, times::DURATION).read(times::duration_minutes)?;
    let persons = event
        .persons
        .into_iter()
        .map(|person| {
            let name = given(person.public_name)
                .or(given(person.name))
                .or(given(person.full_name))
                .ok_or_else(|| missing("persons[].name"))?;
            Ok(Person {
                guid: given(person.keys.guid),
                id: given(person.keys.id),
                code: given(person.keys.code),
                name,
            })
        })
        .collect::<Result<Vec<_>, Fault>>()?;
    Ok(ScheduleEvent {
        position: at,
        title: given(event.title).ok_or_else(|| missing("title"))?,
        element,
        guid: given(event.keys.guid),
        code: given(event.keys.code),
        id: given(event.keys.id),
        slot,
        duration_minutes,
        room: given(event.room).or_else(|| Some(room.to_owned())),
        subtitle: given(event.subtitle),
        track: given(event.track),
        kind: given(event.kind),
        language: given(event.language),
        abstract_text: given(event.abstract_text),
        description: given(event.description),
        persons,
    })
}

fn missing(at: Position, element: &str, field: &str) -> Fault {
    Fault::new(
        at,
        Problem::Missing {
            element: element.to_owned(),
            field: format!("field \"{field}\""),
        },
    )
}

/// A text field, to be read as a date, a time or a duration.
struct Value<'a> {
    at: Position,
    element: &'a str,
    name: &'static str,
    text: Option<String>,
    expected: &'static str,
}

impl<'a> Value<'a> {
    fn new(
        at: Position,
        element: &'a str,
        name: &'static str,
        text: &Option<String>,
        expected: &'static str,
    ) -> Self {
        Self {
            at,
            element,
            name,
            text: given(text.clone()),
            expected,
        }
    }

    fn read<T>(self, parse: fn(&str) -> Option<T>) -> Result<Option<T>, Fault> {
        let Some(text) = self.text else {
            return Ok(None);
        };
        match parse(&text) {
            Some(value) => Ok(Some(value)),
            None => Err(Fault::new(
                self.at,
                Problem::Invalid {
                    element: self.element.to_owned(),
                    field: format!("field \"{}\"", self.name),
                    value: text,
                    expected: self.expected,
                },
            )),
        }
    }
}

/// A serde_json error at its line and column; for an event parsed on its own, `within`
/// is where that event starts in the file.
fn json_fault(error: &serde_json::Error, within: Option<Position>) -> Fault {
    let (line, column) = (error.line(), error.column());
    let position = match within {
        Some(start) if line <= 1 => Position {
            line: start.line,
            column: start.column + column.saturating_sub(1),
        },
        Some(start) => Position {
            line: start.line + line - 1,
            column,
        },
        None => Position { line, column },
    };
    // serde_json ends its messages with " at line L column C": the position says it.
    let message = error.to_string();
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(text, _)| text)
        .to_owned();
    let format = match error.classify() {
        serde_json::error::Category::Data => FORMAT,
        _ => "JSON file",
    };
    Fault::new(position, Problem::Syntax { format, message })
}

#[cfg(test)]
mod tests {
    use super::*;

    const C3VOC: &str = include_str!("../../tests/fixtures/schedules/c3voc.json");

    fn one_event(event: &str) -> String {
        format!(
            "{{\"schedule\": {{\"conference\": {{\"title\": \"T\", \"days\": [\n\
             {{\"date\": \"2025-07-04\", \"rooms\": {{\"Stage\": [\n{event}\n]}}}}]}}}}}}"
        )
    }

    #[test]
    fn reads_rooms_keyed_by_name_in_file_order() {
        let schedule = parse(C3VOC).expect("valid");
        assert_eq!(schedule.conference.title, "Mini Camp 2025");
        assert_eq!(
            schedule.conference.base_url.as_deref(),
            Some("https://camp.example.org/2025/")
        );
        let ids: Vec<_> = schedule.events.iter().map(|e| e.id.as_deref()).collect();
        assert_eq!(ids, [Some("11"), Some("12"), Some("13")]);
        let welcome = &schedule.events[0];
        assert_eq!(welcome.code.as_deref(), Some("ABC123"));
        assert_eq!(welcome.track, None, "null is absent");
        assert_eq!(welcome.subtitle, None, "blank is absent");
        let names: Vec<&str> = schedule.events[2]
            .persons
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(
            names,
            ["Ana Rivera", "Çağla Öztürk"],
            "public_name, else name"
        );
        let line = C3VOC
            .lines()
            .position(|l| l.contains("\"guid\": \"c0ffee00-0000-4000-8000-000000000002\""))
            .expect("line");
        assert_eq!(
            schedule.events[1].position.line, line,
            "the event's opening brace"
        );
    }

    #[test]
    fn rooms_listed_out_of_alphabetical_order_keep_the_file_order() {
        let text = "{\"schedule\": {\"conference\": {\"title\": \"T\", \"days\": [{\"date\": \"2025-07-04\", \"rooms\": {\
                    \"Zelt\": [{\"id\": \"z\", \"start\": \"10:00\", \"title\": \"First\"}],\
                    \"Aula\": [{\"id\": 2, \"start\": \"10:00\", \"title\": \"Second\"}]}}]}}}";
        let schedule = parse(text).expect("valid");
        let titles: Vec<&str> = schedule.events.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles, ["First", "Second"]);
        assert_eq!(schedule.events[0].room.as_deref(), Some("Zelt"));
    }

    #[test]
    fn problems_inside_an_event_are_placed_in_the_whole_file() {
        let fault = parse(&one_event("  {\"id\": 1, \"start\": \"10:00\"}")).expect_err("no title");
        assert_eq!(
            fault.problem.to_string(),
            "event (id 1) has no field \"title\", which is required"
        );
        assert_eq!((fault.position.line, fault.position.column), (3, 3));
        let cases = [
            (
                "  {\"id\": 1,\n \"start\": 10, \"title\": \"X\"}",
                "invalid type",
                4,
            ),
            (
                "  {\"id\": [1], \"start\": \"10:00\", \"title\": \"X\"}",
                "a number or a string",
                3,
            ),
            (
                "  {\"id\": 1, \"start\": \"10:00\", \"title\": \"X\", \"persons\": [{\"id\": 4}]}",
                "persons[].name",
                3,
            ),
        ];
        for (event, message, line) in cases {
            let fault = parse(&one_event(event)).expect_err(message);
            let problem = fault.problem.to_string();
            assert!(problem.contains(message), "{problem}");
            assert_eq!(fault.position.line, line, "{problem}");
        }
    }

    #[test]
    fn malformed_json_and_a_missing_schedule_are_located() {
        let fault = parse("{\n  \"schedule\": {,\n}").expect_err("syntax");
        assert_eq!(fault.position.line, 2);
        assert!(
            fault
                .problem
                .to_string()
                .starts_with("not a valid JSON file"),
            "{}",
            fault.problem
        );
        let bad_day = "{\"schedule\": {\"conference\": {\"title\": \"T\", \"days\": [\n  {\"date\": \"2025-07-04\"},\n  {\"date\": \"4 July\"}]}}}";
        let fault = parse(bad_day).expect_err("bad day date");
        assert_eq!((fault.position.line, fault.position.column), (3, 3));
        assert_eq!(
            fault.problem.to_string(),
            "day field \"date\": \"4 July\" is not a date (YYYY-MM-DD)"
        );
        let fault = parse("{\"version\": 1}").expect_err("no schedule");
        assert_eq!(
            fault.problem.to_string(),
            "not a valid c3voc schedule.json: missing field `schedule`"
        );
        let fault =
            parse("{\"schedule\": {\"conference\": {\"days\": []}}}").expect_err("no title");
        assert!(
            fault
                .problem
                .to_string()
                .contains("conference has no field \"title\""),
            "{}",
            fault.problem
        );
    }
}
