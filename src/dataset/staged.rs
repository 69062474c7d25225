//! Statements packed into columns as they come, before their references are resolved.
//!
//! A file's statements are parsed one by one into this, so that a million of them never
//! stand as `Statement` structs (about half a kilobyte each) beside the file's text:
//! that pair was most of a first launch's memory. References stay ids until the head
//! (speakers, sessions, sources) is known, which a file may give before or after its
//! statements; [`Staged::resolve`] then turns them into indices. Validation reads the
//! staged columns as it reads `Statement`s ([`StatementFields`]), so a file's problems
//! are the same either way.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};

use super::model::{Statement, StatementKind};
use super::normalize::statement_to_nfc;
use super::references::References;
use super::statements::{Extras, Positions, Statements};
use super::validate::{StatementFields, is_blank};
use super::words::Words;
use crate::texts::{Texts, span};

/// A dataset's statements as [`parse_bytes`](super::parse_bytes) packs them.
#[derive(Debug, Clone, Default)]
pub struct Staged {
    ids: Texts,
    speakers: References,
    sessions: References,
    kinds: Vec<StatementKind>,
    words: Words,
    /// Whether each text is empty or white space, for validation (the words keep only
    /// what folding needs to give the text back).
    blank: Vec<bool>,
    /// Every statement's source ids, statement after statement; statement `i`'s end at
    /// `source_ends[i]`.
    sources: References,
    source_ends: Vec<u32>,
    /// What few statements have, by statement index, in order.
    extras: Vec<(u32, Extras)>,
}

impl Staged {
    /// `statements`, packed; `None` if a column would outgrow its `u32` offsets.
    pub fn of(statements: &[Statement]) -> Option<Self> {
        let n = statements.len();
        let mut staged = Self {
            ids: Texts::with_capacity(n, statements.iter().map(|s| s.id.len()).sum()),
            words: Words::with_capacity(n, statements.iter().map(|s| s.text.len()).sum()),
            ..Self::default()
        };
        for statement in statements {
            staged.push(statement)?;
        }
        Some(staged)
    }

    /// Appends `statement`; `None`, and the columns left uneven, if one would outgrow its
    /// `u32` offsets (the staged statements are then to be dropped).
    pub fn push(&mut self, statement: &Statement) -> Option<()> {
        let i = u32::try_from(self.ids.len()).ok()?;
        self.ids.push(&statement.id)?;
        self.speakers.push(&statement.speaker)?;
        self.sessions.push(&statement.session)?;
        self.kinds.push(statement.kind);
        self.words.push(&statement.text)?;
        self.blank.push(is_blank(&statement.text));
        for source in &statement.sources {
            self.sources.push(source)?;
        }
        self.source_ends
            .push(u32::try_from(self.sources.len()).ok()?);
        let extras = Extras {
            delivery: statement.delivery.clone(),
            tags: statement.tags.clone(),
            note: statement.note.clone(),
        };
        if extras != Extras::default() {
            self.extras.push((i, extras));
        }
        Some(())
    }

    /// Appends `other`'s statements after these; `None` if a column would outgrow its
    /// `u32` offsets.
    pub fn append(&mut self, other: Self) -> Option<()> {
        let statements_before = u32::try_from(self.ids.len()).ok()?;
        let sources_before = u32::try_from(self.sources.len()).ok()?;
        u32::try_from(self.sources.len() + other.sources.len()).ok()?;
        self.ids.append(other.ids)?;
        self.speakers.append(&other.speakers)?;
        self.sessions.append(&other.sessions)?;
        self.kinds.extend(other.kinds);
        self.words.append(other.words)?;
        self.blank.extend(other.blank);
        self.sources.append(&other.sources)?;
        self.source_ends
            .extend(other.source_ends.iter().map(|end| end + sources_before));
        self.extras
            .extend((other.extras.into_iter()).map(|(i, extras)| (i + statements_before, extras)));
        Some(())
    }

    /// The statements with their references as indices; `None` if one does not resolve
    /// (validation sees that they all do).
    pub fn resolve(self, positions: &Positions) -> Option<Statements> {
        let n = self.ids.len();
        let mut statements = Statements {
            by_id: (0..u32::try_from(n).ok()?).collect(),
            speakers: self.speakers.resolve(&positions.speakers)?,
            sessions: self.sessions.resolve(&positions.sessions)?,
            sources: self.sources.resolve(&positions.sources)?,
            ids: self.ids,
            kinds: self.kinds,
            words: self.words,
            source_ends: self.source_ends,
            extras: self.extras,
        };
        let ids = &statements.ids;
        (statements.by_id).sort_unstable_by(|&a, &b| ids.get(a as usize).cmp(ids.get(b as usize)));
        Some(statements)
    }
}

impl StatementFields for Staged {
    fn count(&self) -> usize {
        self.ids.len()
    }

    fn id(&self, i: usize) -> &str {
        self.ids.get(i)
    }

    fn speaker(&self, i: usize) -> &str {
        self.speakers.get(i)
    }

    fn session(&self, i: usize) -> &str {
        self.sessions.get(i)
    }

    fn text_is_blank(&self, i: usize) -> bool {
        self.blank[i]
    }

    fn sources(&self, i: usize) -> impl Iterator<Item = &str> {
        span(&self.source_ends, i).map(|source| self.sources.get(source))
    }
}

/// A list of statements, each put in NFC and packed as soon as it is read.
impl<'de> Deserialize<'de> for Staged {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StatementList;

        impl<'de> Visitor<'de> for StatementList {
            type Value = Staged;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a sequence")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut list: A) -> Result<Staged, A::Error> {
                let mut staged = Staged::default();
                while let Some(mut statement) = list.next_element::<Statement>()? {
                    statement_to_nfc(&mut statement);
                    staged.push(&statement).ok_or_else(|| {
                        de::Error::custom("the statements hold more text than this app can")
                    })?;
                }
                Ok(staged)
            }
        }

        deserializer.deserialize_seq(StatementList)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::model::{Dataset, Delivery};
    use crate::dataset::statements::IntoStatements;
    use crate::dataset::{Conference, positions, to_nfc, validate};

    /// `dataset` written as RON and parsed back with its statements staged, as a file is.
    fn staged(dataset: &Dataset) -> Dataset<Staged> {
        let text = ron::ser::to_string(dataset).expect("serializes");
        ron::Options::default().from_str(&text).expect("parses")
    }

    /// A generated archive, with what few statements have (tags, notes, a message's
    /// reader, several sources) and text in NFD.
    fn varied() -> Dataset {
        let mut data = crate::synthetic::generate(3_000, 7);
        let second_source = data.sources[0].clone();
        for (i, statement) in data.statements.iter_mut().enumerate() {
            match i % 7 {
                0 => statement.tags = vec![format!("tag-{i}"), "Thủ tướng".into()],
                1 => statement.note = Some(format!("note {i}")),
                2 => {
                    statement.delivery = Delivery::Message {
                        read_by: Some("Đặng Văn A".into()),
                    }
                }
                3 => statement.text = format!("Thu\u{309} tu\u{31b}\u{301}o\u{31b}ng {i}"),
                _ => {}
            }
            if i % 5 == 0 {
                statement.sources.push(second_source.id.clone());
            }
        }
        data
    }

    #[test]
    fn staged_statements_become_what_listed_ones_do() {
        let listed = varied();
        let (head, statements) = staged(&listed).split();
        let mut normalized = listed.clone();
        to_nfc(&mut normalized);
        let expected = Conference::from_dataset(normalized, "listed").expect("valid");
        let positions = Positions {
            speakers: positions(&head.speakers, |s| &s.id),
            sessions: positions(&head.sessions, |s| &s.id),
            sources: positions(&head.sources, |s| &s.id),
        };
        let packed = statements.into_statements(&positions).expect("resolves");
        assert_eq!(packed.len(), expected.statements().len());
        for i in 0..packed.len() {
            assert_eq!(packed.get(i, &head), expected.statement(i), "statement {i}");
        }
        assert_eq!(
            packed.find("statement-2999"),
            expected.statements().find("statement-2999")
        );
    }

    #[test]
    fn a_file_loads_to_the_same_conference_as_its_dataset() {
        let listed = varied();
        let dir = std::env::temp_dir().join(format!("hanoi-staged-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("varied.ron");
        std::fs::write(
            &path,
            ron::ser::to_string_pretty(&listed, Default::default()).expect("ron"),
        )
        .expect("written");
        let loaded = Conference::open(&path).expect("loads");
        std::fs::remove_dir_all(&dir).expect("cleaned up");
        let mut normalized = listed;
        to_nfc(&mut normalized);
        let expected = Conference::from_dataset(normalized, "listed").expect("valid");
        assert_eq!(loaded.to_dataset(), expected.to_dataset());
    }

    #[test]
    fn validation_finds_the_same_problems_in_staged_statements() {
        let mut data = varied();
        let first_session = data.sessions[0].id.clone();
        let statements = &mut data.statements;
        statements[1].text = " \n\t".into();
        statements[2].sources.clear();
        statements[3].speaker = "nobody".into();
        statements[4].session = "nowhere".into();
        statements[5].sources.push("no-such-source".into());
        statements[6].id = statements[7].id.clone();
        statements[8].id = first_session.clone();
        statements[9].speaker = first_session;
        statements[10].id = "Not Well Formed".into();
        let expected = validate(&data);
        assert!(expected.len() >= 9, "{expected:?}");
        assert_eq!(validate(&staged(&data)), expected);
    }
}
