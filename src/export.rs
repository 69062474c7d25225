//! Quote export: one statement as text a writer can paste, attributed to who said it,
//! where and when, with its source. The CLI's `quote` and the clipboard share these
//! functions, so both always carry the same bytes.
//!
//! A paraphrase is never put in quotation marks: it is labelled as reported speech, so
//! no one can quote it as the speaker's own words.

use std::fmt::Write as _;

use crate::dataset::{
    Conference, Delivery, Event, Session, Source, Speaker, Statement, StatementKind,
};
use crate::text::sanitize_line;

/// `value` as indented JSON ending in a newline, as every JSON export is written.
pub fn pretty_json(value: &serde_json::Value) -> String {
    // A `Value` always serializes; the fallback only keeps this function total.
    let mut out = serde_json::to_string_pretty(value).unwrap_or_default();
    out.push('\n');
    out
}

/// The formats a statement can be exported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Text in typographic quotes, then "— Name, Role, Session, City, Date" and the source.
    #[default]
    Plain,
    /// A blockquote with the attribution and a linked source.
    Markdown,
    /// One JSON object with every field.
    Json,
}

/// The statement at `index` in `format`, ending with a newline.
pub fn format_statement(conference: &Conference, index: usize, format: Format) -> String {
    let quote = Quote::new(conference, index);
    match format {
        Format::Plain => quote.plain(),
        Format::Markdown => quote.markdown(),
        Format::Json => quote.json(),
    }
}

/// The statement at `index` as the JSON object `Format::Json` prints (a basket exports
/// an array of these).
pub fn statement_json(conference: &Conference, index: usize) -> serde_json::Value {
    Quote::new(conference, index).json_value()
}

/// Everything an export says about one statement, already sanitized.
struct Quote<'a> {
    statement: Statement,
    speaker: &'a Speaker,
    session: &'a Session,
    event: &'a Event,
    verbatim: bool,
    text: String,
    /// "Name, Role"
    speaker_label: String,
    /// ", in a message to the session (read by …)", or empty.
    delivery: String,
    /// "Session, City, 25 October 2025"
    occasion: String,
    sources: Vec<&'a Source>,
    /// The dataset's caveat on attribution or wording: it travels with the quote.
    note: Option<String>,
}

const PARAPHRASE_LABEL: &str = "Paraphrase (reported speech, not a direct quote):";

impl<'a> Quote<'a> {
    fn new(conference: &'a Conference, index: usize) -> Self {
        let statement = conference.statement(index);
        let speaker = conference.speaker_of(index);
        let session = conference.session_of(index);
        let speaker_line = speaker_label(speaker);
        let delivery = match &statement.delivery {
            Delivery::InPerson => String::new(),
            Delivery::Message { read_by: None } => ", in a message to the session".to_owned(),
            Delivery::Message {
                read_by: Some(reader),
            } => format!(", in a message to the session read by {reader}"),
        };
        let occasion = format!(
            "{}, {}, {}",
            session.title,
            conference.data.event.city,
            session.date.format("%-d %B %Y")
        );
        Self {
            speaker,
            session,
            event: &conference.data.event,
            verbatim: statement.kind == StatementKind::Verbatim,
            text: sanitize_line(&statement.text),
            note: statement.note.as_deref().map(sanitize_line),
            speaker_label: sanitize_line(&speaker_line),
            delivery: sanitize_line(&delivery),
            occasion: sanitize_line(&occasion),
            sources: conference.statement_sources(index).collect(),
            statement,
        }
    }

    fn attribution(&self) -> String {
        format!(
            "— {}{}, {}",
            self.speaker_label, self.delivery, self.occasion
        )
    }

    fn plain(&self) -> String {
        let mut out = String::new();
        if self.verbatim {
            let _ = writeln!(out, "“{}”", self.text);
        } else {
            let _ = writeln!(out, "{PARAPHRASE_LABEL} {}", self.text);
        }
        let _ = writeln!(out, "{}", self.attribution());
        for source in &self.sources {
            let _ = writeln!(out, "Source: {}", plain_source(source));
        }
        if let Some(note) = &self.note {
            let _ = writeln!(out, "Note: {note}");
        }
        out
    }

    fn markdown(&self) -> String {
        let mut out = String::new();
        if self.verbatim {
            let _ = writeln!(out, "> “{}”", markdown_escape(&self.text));
        } else {
            let _ = writeln!(
                out,
                "> *{PARAPHRASE_LABEL}* {}",
                markdown_escape(&self.text)
            );
        }
        let _ = writeln!(out, ">");
        let _ = writeln!(out, "> {}", markdown_escape(&self.attribution()));
        for source in &self.sources {
            let _ = writeln!(out, "\nSource: {}", markdown_source(source));
        }
        if let Some(note) = &self.note {
            let _ = writeln!(out, "\nNote: {}", markdown_escape(note));
        }
        out
    }

    fn json(&self) -> String {
        pretty_json(&self.json_value())
    }

    fn json_value(&self) -> serde_json::Value {
        let (statement, speaker, session) = (&self.statement, self.speaker, self.session);
        serde_json::json!({
            "id": statement.id,
            "kind": statement.kind,
            "verbatim": self.verbatim,
            "text": self.text,
            "speaker": sanitize_line(&speaker.name),
            "speaker_id": speaker.id,
            "speaker_role": speaker.role.as_deref().map(sanitize_line),
            "session": sanitize_line(&session.title),
            "session_id": session.id,
            "date": session.date.to_string(),
            "event": sanitize_line(&self.event.name),
            "city": sanitize_line(&self.event.city),
            "message": !matches!(statement.delivery, Delivery::InPerson),
            "attribution": self.attribution(),
            "note": self.note,
            "sources": self.sources.iter().map(|s| serde_json::json!({
                "id": s.id,
                "title": sanitize_line(&s.title),
                "publisher": s.publisher.as_deref().map(sanitize_line),
                "url": s.url.as_deref().map(sanitize_line),
                "file": sanitize_line(&s.file),
            })).collect::<Vec<_>>(),
        })
    }
}

/// "Name, Role, Affiliation", leaving out a part the earlier ones already say, so that
/// "The Russian President" is not followed by ", Russia" nor "Minister of Testing" by
/// a repeated country.
pub fn speaker_label(speaker: &Speaker) -> String {
    let mut label = speaker.name.clone();
    for part in [&speaker.role, &speaker.affiliation].into_iter().flatten() {
        if !says(&label, part) {
            label.push_str(", ");
            label.push_str(part);
        }
    }
    label
}

/// Whether `label` already names `part`: as whole words, or for a name of four letters or
/// more, as the start of its adjective ("Russian" says "Russia"); ignoring case, but for a
/// shorter part (an acronym: "Un Ning" does not say "UN"). Only so: "Sun Yuxi" does not
/// say "UN", nor "Indiana" "India", and an affiliation left out wrongly would
/// misattribute the quote.
fn says(label: &str, part: &str) -> bool {
    const ADJECTIVE_ENDINGS: [&str; 3] = ["n", "an", "ian"];
    let long = part.chars().count() >= 4;
    let (label, part) = match long {
        true => (label.to_lowercase(), part.to_lowercase()),
        false => (label.to_owned(), part.to_owned()),
    };
    let starts_word = |at: usize| {
        !label[..at]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
    };
    label.match_indices(&part).any(|(at, _)| {
        let after = &label[at + part.len()..];
        let rest_of_word = &after[..after
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(after.len())];
        starts_word(at)
            && (rest_of_word.is_empty() || (long && ADJECTIVE_ENDINGS.contains(&rest_of_word)))
    })
}

fn plain_source(source: &Source) -> String {
    let mut line = format!("“{}”", sanitize_line(&source.title));
    if let Some(publisher) = &source.publisher {
        let _ = write!(line, ", {}", sanitize_line(publisher));
    }
    match &source.url {
        Some(url) => {
            let _ = write!(line, ", {}", sanitize_line(url));
        }
        None => {
            let _ = write!(line, " (archived as {})", sanitize_line(&source.file));
        }
    }
    line
}

fn markdown_source(source: &Source) -> String {
    let title = markdown_escape(&sanitize_line(&source.title));
    let mut line = match &source.url {
        Some(url) => format!("[{title}](<{}>)", link_target(url)),
        None => format!("“{title}”"),
    };
    if let Some(publisher) = &source.publisher {
        let _ = write!(line, ", {}", markdown_escape(&sanitize_line(publisher)));
    }
    if source.url.is_none() {
        let _ = write!(
            line,
            " (archived as {})",
            markdown_escape(&sanitize_line(&source.file))
        );
    }
    line
}

/// A URL as a Markdown link's `<…>` target, which may hold no `<`, `>` or line break; a
/// space is encoded too, as some renderers end the link there.
fn link_target(url: &str) -> String {
    sanitize_line(url)
        .replace('<', "%3C")
        .replace('>', "%3E")
        .replace(' ', "%20")
}

/// Escapes the characters that would change how Markdown renders the text (`~` strikes
/// through, `&copy;` is an entity).
fn markdown_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::SpeakerKind;

    fn speaker(name: &str, role: Option<&str>, affiliation: Option<&str>) -> Speaker {
        Speaker {
            id: "x".into(),
            name: name.into(),
            native_name: None,
            kind: SpeakerKind::Person,
            role: role.map(Into::into),
            affiliation: affiliation.map(Into::into),
        }
    }

    #[test]
    fn speaker_label_adds_role_and_affiliation_without_repeating_them() {
        let pinto = speaker("Maria Jose Pinto", Some("Vice President"), Some("Ecuador"));
        assert_eq!(
            speaker_label(&pinto),
            "Maria Jose Pinto, Vice President, Ecuador"
        );
        let russia = speaker("The Russian President", None, Some("Russia"));
        assert_eq!(speaker_label(&russia), "The Russian President");
        let minister = speaker(
            "A",
            Some("Minister of Testing of Viet Nam"),
            Some("Viet Nam"),
        );
        assert_eq!(
            speaker_label(&minister),
            "A, Minister of Testing of Viet Nam"
        );
        assert_eq!(
            speaker_label(&speaker("Australia", None, Some("Australia"))),
            "Australia"
        );
    }

    /// A part found inside another word is not said: leaving it out would misattribute.
    #[test]
    fn speaker_label_keeps_a_part_found_only_inside_other_words() {
        for (name, affiliation) in [
            ("Sun Yuxi", "UN"),
            ("Roman Petrov", "Oman"),
            ("Indiana Jones", "India"),
            ("Eun-ha Kim", "EU"),
            ("Spain's envoy", "Spa"),
            ("Un Ning", "UN"),
        ] {
            assert_eq!(
                speaker_label(&speaker(name, Some("Ambassador"), Some(affiliation))),
                format!("{name}, Ambassador, {affiliation}")
            );
        }
        assert_eq!(
            speaker_label(&speaker("The Indian delegate", None, Some("India"))),
            "The Indian delegate"
        );
        assert_eq!(
            speaker_label(&speaker("Head of the UN team", None, Some("UN"))),
            "Head of the UN team"
        );
    }

    #[test]
    fn markdown_escape_neutralises_markup_only() {
        assert_eq!(
            markdown_escape("a *b* [c](d) <e> #f"),
            "a \\*b\\* \\[c\\](d) \\<e\\> \\#f"
        );
        assert_eq!(markdown_escape("Thủ tướng, 3-5%"), "Thủ tướng, 3-5%");
        assert_eq!(
            markdown_escape("~10 to ~20 &copy;"),
            "\\~10 to \\~20 \\&copy;"
        );
        assert_eq!(
            link_target("https://e.org/a>b<c d"),
            "https://e.org/a%3Eb%3Cc%20d"
        );
    }
}
