//! The frab / Pentabarf `schedule.xml` format: `<schedule>` holds `<conference>` and
//! `<day date>` elements, each day `<room name>` elements, each room `<event>`s.

use super::error::{Fault, Problem};
use super::schedule::{Conference, Person, Schedule, ScheduleEvent};
use super::times::{self, Stamp};
use super::xml::{self, Element};
use crate::dataset::LineIndex;

/// Reads a frab schedule.xml.
pub fn parse(text: &str) -> Result<Schedule, Fault> {
    let root = xml::parse(text)?;
    let reader = Reader {
        lines: LineIndex::new(text),
    };
    if root.name != "schedule" {
        return Err(Fault::new(
            reader.at(&root),
            Problem::Syntax {
                format: "frab schedule.xml",
                message: format!("the root element is <{}>, not <schedule>", root.name),
            },
        ));
    }
    let conference = reader.conference(&root)?;
    let mut events = Vec::new();
    let mut day_dates = Vec::new();
    for day in root.children_named("day") {
        let date = reader
            .optional(day, DAY_DATE, times::date)?
            .ok_or_else(|| reader.missing(day, &DAY_DATE.label()))?;
        let day_start =
            reader.optional(day, attribute("start", times::DATE_TIME), times::date_time)?;
        day_dates.push(date);
        for room in day.children_named("room") {
            for event in room.children_named("event") {
                events.push(reader.event(event, room, date, day_start)?);
            }
        }
    }
    Ok(Schedule {
        conference: Conference {
            day_dates,
            ..conference
        },
        events,
    })
}

const DAY_DATE: Field = attribute("date", times::DATE);

struct Reader<'a> {
    lines: LineIndex<'a>,
}

/// A value of an element that the importer reads: an attribute or a child's text.
#[derive(Clone, Copy)]
struct Field {
    name: &'static str,
    attribute: bool,
    /// What the value should look like, for messages.
    expected: &'static str,
}

const fn attribute(name: &'static str, expected: &'static str) -> Field {
    Field {
        name,
        attribute: true,
        expected,
    }
}

const fn child(name: &'static str, expected: &'static str) -> Field {
    Field {
        name,
        attribute: false,
        expected,
    }
}

impl Field {
    fn label(self) -> String {
        if self.attribute {
            format!("attribute {}", self.name)
        } else {
            format!("<{}>", self.name)
        }
    }

    fn text(self, element: &Element) -> Option<&str> {
        if self.attribute {
            element.attribute(self.name)
        } else {
            element.child_text(self.name)
        }
    }

    /// The element to point at when the value is wrong.
    fn place(self, element: &Element) -> &Element {
        if self.attribute {
            element
        } else {
            element.child(self.name).unwrap_or(element)
        }
    }
}

impl Reader<'_> {
    fn at(&self, element: &Element) -> crate::dataset::Position {
        self.lines.position(element.offset)
    }

    /// The element's `<name ...>` as messages show it: its name and identifying attributes.
    fn describe(element: &Element) -> String {
        let attributes: String = ["id", "guid", "date", "name"]
            .iter()
            .filter_map(|key| {
                element
                    .attribute(key)
                    .map(|value| format!(" {key}=\"{value}\""))
            })
            .collect();
        format!("<{}{attributes}>", element.name)
    }

    /// The field's value read with `read`; `None` when absent or blank.
    fn optional<T>(
        &self,
        element: &Element,
        field: Field,
        read: impl Fn(&str) -> Option<T>,
    ) -> Result<Option<T>, Fault> {
        let Some(text) = field.text(element) else {
            return Ok(None);
        };
        read(text).map(Some).ok_or_else(|| {
            Fault::new(
                self.at(field.place(element)),
                Problem::Invalid {
                    element: Self::describe(element),
                    field: field.label(),
                    value: text.to_owned(),
                    expected: field.expected,
                },
            )
        })
    }

    fn missing(&self, element: &Element, field: &str) -> Fault {
        Fault::new(
            self.at(element),
            Problem::Missing {
                element: Self::describe(element),
                field: field.to_owned(),
            },
        )
    }

    fn conference(&self, root: &Element) -> Result<Conference, Fault> {
        let conference = root
            .child("conference")
            .ok_or_else(|| self.missing(root, "<conference>"))?;
        let text = |name: &str| conference.child_text(name).map(str::to_owned);
        Ok(Conference {
            position: self.at(conference),
            title: text("title").ok_or_else(|| self.missing(conference, "<title>"))?,
            acronym: text("acronym"),
            description: text("description"),
            start: self.optional(conference, child("start", times::DATE), times::date)?,
            end: self.optional(conference, child("end", times::DATE), times::date)?,
            day_dates: Vec::new(),
            time_zone: text("time_zone_name"),
            base_url: text("base_url"),
            venue: text("venue"),
            city: text("city"),
        })
    }

    fn event(
        &self,
        event: &Element,
        room: &Element,
        day_date: chrono::NaiveDate,
        day_start: Option<Stamp>,
    ) -> Result<ScheduleEvent, Fault> {
        let text = |name: &str| event.child_text(name).map(str::to_owned);
        let attribute_or_child = |name: &str| {
            event
                .attribute(name)
                .or(event.child_text(name))
                .map(str::to_owned)
        };
        let date = self.optional(event, child("date", times::DATE_TIME), times::date_time)?;
        let start = self.optional(event, child("start", times::CLOCK), times::clock)?;
        let slot = times::slot(date, start, day_date, day_start)
            .ok_or_else(|| self.missing(event, "<start>"))?;
        let persons = event
            .child("persons")
            .map(|persons| {
                persons
                    .children_named("person")
                    .map(|person| self.person(person))
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?
            .unwrap_or_default();
        Ok(ScheduleEvent {
            position: self.at(event),
            element: Self::describe(event),
            // frab writes the guid as an attribute, some exporters (pretalx's code too)
            // as either.
            guid: attribute_or_child("guid"),
            code: attribute_or_child("code"),
            id: event.attribute("id").map(str::to_owned),
            slot,
            duration_minutes: self.optional(
                event,
                child("duration", times::DURATION),
                times::duration_minutes,
            )?,
            room: text("room").or_else(|| room.attribute("name").map(str::to_owned)),
            title: text("title").ok_or_else(|| self.missing(event, "<title>"))?,
            subtitle: text("subtitle"),
            track: text("track"),
            kind: text("type"),
            language: text("language"),
            abstract_text: text("abstract"),
            description: text("description"),
            persons,
        })
    }

    fn person(&self, person: &Element) -> Result<Person, Fault> {
        let attribute = |name: &str| person.attribute(name).map(str::to_owned);
        Ok(Person {
            guid: attribute("guid"),
            id: attribute("id"),
            code: attribute("code"),
            name: person
                .trimmed_text()
                .ok_or_else(|| self.missing(person, "name (its text)"))?
                .to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, NaiveTime};

    const FRAB: &str = include_str!("../../tests/fixtures/schedules/frab.xml");
    const FOSDEM: &str = include_str!("../../tests/fixtures/schedules/fosdem.xml");

    fn time(text: &str) -> NaiveTime {
        times::clock(text).expect("time")
    }

    fn date(text: &str) -> NaiveDate {
        times::date(text).expect("date")
    }

    #[test]
    fn reads_the_conference_days_rooms_events_and_persons() {
        let schedule = parse(FRAB).expect("valid");
        let conference = &schedule.conference;
        assert_eq!(conference.title, "Rust Days 2025");
        assert_eq!(conference.acronym.as_deref(), Some("rd25"));
        assert_eq!(conference.time_zone.as_deref(), Some("Europe/Berlin"));
        assert_eq!(
            conference.day_dates,
            [date("2025-03-14"), date("2025-03-15")]
        );
        let titles: Vec<&str> = schedule.events.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Opening keynote: Ownership & Borrowing",
                "Night hacking session",
                "Async Rust without tears",
                "Embedded Rust workshop",
                "Closing panel",
                "Macros by example"
            ]
        );
        let keynote = &schedule.events[0];
        assert_eq!(keynote.id.as_deref(), Some("101"));
        assert_eq!(keynote.duration_minutes, Some(45));
        assert_eq!(keynote.kind.as_deref(), Some("Talk"));
        assert_eq!(
            keynote.description.as_deref(),
            Some("A tour of <em>ownership</em> for newcomers.")
        );
        let names: Vec<&str> = keynote.persons.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Ada Lovelace", "Đặng Thị Ngọc"]);
        assert_eq!(
            keynote.element,
            "<event id=\"101\" guid=\"6f1c3e52-8d3a-4c1e-9a51-2a0f5f1b0101\">"
        );
        let line = FRAB
            .lines()
            .position(|l| l.contains("<event id=\"101\""))
            .expect("line")
            + 1;
        assert_eq!((keynote.position.line, keynote.position.column), (line, 7));
        // Listed under day 1, but after midnight: the date is the event's own.
        let night = &schedule.events[1];
        assert_eq!(
            (night.slot.date, night.slot.start),
            (date("2025-03-15"), time("00:30"))
        );
        assert_eq!(
            night.slot.offset.map(|o| o.to_string()).as_deref(),
            Some("+01:00")
        );
        // No <room> of its own: the enclosing room's name.
        assert_eq!(schedule.events[3].room.as_deref(), Some("Workshop Room"));
    }

    #[test]
    fn a_fosdem_style_file_needs_no_guids_day_times_or_event_dates() {
        let schedule = parse(FOSDEM).expect("valid");
        assert_eq!(schedule.conference.city.as_deref(), Some("Brussels"));
        let repeated: Vec<_> = schedule
            .events
            .iter()
            .filter(|e| e.id.as_deref() == Some("5002"))
            .map(|e| (e.guid.clone(), e.slot.date, e.slot.start, e.slot.offset))
            .collect();
        assert_eq!(
            repeated,
            [
                (None, date("2026-01-31"), time("10:00"), None),
                (None, date("2026-02-01"), time("10:00"), None)
            ]
        );
    }

    #[test]
    fn problems_name_the_element_and_field_at_their_line() {
        let cases = [
            (
                "<schedule><conference/></schedule>",
                "<conference> has no <title>",
                1,
            ),
            (
                "<programme/>",
                "the root element is <programme>, not <schedule>",
                1,
            ),
            (
                "<schedule><conference><title>T</title></conference>\n<day index=\"1\"/></schedule>",
                "<day> has no attribute date",
                2,
            ),
            (
                "<schedule><conference><title>T</title></conference>\n<day date=\"2025-03-14\"><room>\n<event id=\"9\"><title>X</title><start>10:00</start>\n<duration>90 minutes</duration></event></room></day></schedule>",
                "<event id=\"9\"> <duration>: \"90 minutes\" is not a duration (HH:MM)",
                4,
            ),
            (
                "<schedule><conference><title>T</title></conference>\n<day date=\"2025-03-14\"><room>\n<event id=\"9\"><title>X</title></event></room></day></schedule>",
                "<event id=\"9\"> has no <start>",
                3,
            ),
            (
                "<schedule><conference><title>T</title></conference>\n<day date=\"2025-03-14\"><room>\n<event id=\"9\"><title>X</title><start>10:00</start><persons>\n<person id=\"1\"> </person></persons></event></room></day></schedule>",
                "<person id=\"1\"> has no name (its text)",
                4,
            ),
        ];
        for (text, message, line) in cases {
            let fault = parse(text).expect_err(message);
            assert!(
                fault.problem.to_string().contains(message),
                "{}",
                fault.problem
            );
            assert_eq!(fault.position.line, line, "{message}");
        }
    }
}
