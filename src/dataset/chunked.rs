//! Parsing a RON dataset file in pieces on every core while it is read, so that a large
//! file is never held whole: its statement list is cut between elements (`split.rs`),
//! each run is parsed into staged columns (`staged.rs`) by a worker, and the runs are
//! appended in file order; the head, the file with its list emptied, is parsed last.
//!
//! This only ever gives a dataset the whole-file parse would give, and gives up (`None`)
//! on anything else: a piece ron refuses, text that is not UTF-8, a validation problem.
//! The caller then parses the file whole, which says precisely where and what is wrong.
//! (A panic in ron is not caught, as it was not when files were parsed whole.)

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, mpsc};

use serde::Deserialize;

use super::model::Dataset;
use super::normalize::head_to_nfc;
use super::split::{Sizes, split};
use super::staged::Staged;
use super::validate::validate;

/// How a file is read: runs of the statement list large enough that starting a parse
/// costs nothing next to them, small enough that the few in flight are little memory.
pub(super) const FILE_SIZES: Sizes = Sizes {
    chunk: 1 << 20,
    block: 1 << 20,
};

/// Workers at most: the reader keeps about two busy, and each holds a run and a part in
/// memory, so many cores would add memory for no speed.
const MOST_WORKERS: usize = 4;

/// A worker's stack, as large as the main thread's, where files were parsed before:
/// ron's recursion limit is reached well within it, in debug builds too.
const WORKER_STACK: usize = 8 << 20;

/// A run of the statement list, parsed as a document of its own: `Dataset(statements:
/// [ … ])`. Its statements sit as deep as in the dataset, so ron's recursion limit treats
/// them alike, and it bears the dataset's name, for a file whose attributes ask for names.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename = "Dataset")]
struct Part {
    statements: Staged,
}

/// The dataset `reader` holds, validated, with its statements staged; `None` if the file
/// is not a dataset this can read in pieces, or has any problem at all.
pub(super) fn parse_in_chunks(
    reader: impl Read,
    sizes: Sizes,
    limit: u64,
) -> Option<Dataset<Staged>> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(MOST_WORKERS));
    let failed = AtomicBool::new(false);
    let (runs, run_queue) = mpsc::sync_channel::<(usize, Vec<u8>)>(workers);
    let run_queue = Mutex::new(run_queue);
    let (parsed, parts) = mpsc::channel::<(usize, Option<Staged>)>();
    let (outline, statements) = std::thread::scope(|scope| {
        let mut started = 0;
        for _ in 0..workers {
            let parsed = parsed.clone();
            let (run_queue, failed) = (&run_queue, &failed);
            let worker = std::thread::Builder::new().stack_size(WORKER_STACK);
            let spawned = worker.spawn_scoped(scope, move || {
                let _drain = DrainOnPanic(run_queue, failed);
                // The lock is held only to take the next run, not while parsing it.
                while let Some((index, document)) = next_run(run_queue) {
                    let part = (!failed.load(Ordering::Relaxed))
                        .then(|| parse_part(&document))
                        .flatten();
                    failed.fetch_or(part.is_none(), Ordering::Relaxed);
                    if parsed.send((index, part)).is_err() {
                        break;
                    }
                }
            });
            started += usize::from(spawned.is_ok());
        }
        drop(parsed);
        if started == 0 {
            // Nothing would take the runs: the whole-file parse needs no thread.
            return (None, None);
        }
        let mut in_order = InOrder::default();
        let mut sent = 0;
        let outline = split(reader, sizes, limit, |preamble, elements| {
            let document = [preamble, b"Dataset(statements:[", elements, b"])"].concat();
            if runs.send((sent, document)).is_err() {
                return false;
            }
            sent += 1;
            for (index, part) in parts.try_iter() {
                in_order.add(index, part);
            }
            !failed.load(Ordering::Relaxed)
        });
        failed.fetch_or(outline.is_none(), Ordering::Relaxed);
        // Closing the queue lets the workers finish; `parts` then ends with the last one.
        drop(runs);
        for (index, part) in parts.iter() {
            in_order.add(index, part);
        }
        (outline, in_order.finish(sent))
    });
    let (statements, outline) = (statements?, outline?);
    let text = std::str::from_utf8(&outline.head).ok()?;
    let head: Dataset<Emptied> = ron::Options::default().from_str(text).ok()?;
    if !head.statements.0 {
        return None;
    }
    let mut dataset = Dataset {
        event: head.event,
        sources: head.sources,
        sessions: head.sessions,
        speakers: head.speakers,
        statements,
        disputes: head.disputes,
    };
    head_to_nfc(&mut dataset);
    validate(&dataset).is_empty().then_some(dataset)
}

/// The head's statements: whether ron read them as the list the splitter emptied, given
/// (not left to its default) and empty. Anything else (the field missing, so that what
/// was taken for it was not; elements left in it) and the pieces are not the file.
#[derive(Default)]
struct Emptied(bool);

impl<'de> Deserialize<'de> for Emptied {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let list = Vec::<serde::de::IgnoredAny>::deserialize(deserializer)?;
        Ok(Self(list.is_empty()))
    }
}

fn next_run(queue: &Mutex<mpsc::Receiver<(usize, Vec<u8>)>>) -> Option<(usize, Vec<u8>)> {
    queue.lock().ok()?.recv().ok()
}

/// Should a worker panic, takes the runs still queued, so that the reader is never left
/// waiting on a queue no one empties; the panic then ends the scope as usual.
struct DrainOnPanic<'a>(&'a Mutex<mpsc::Receiver<(usize, Vec<u8>)>>, &'a AtomicBool);

impl Drop for DrainOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.1.store(true, Ordering::Relaxed);
            while next_run(self.0).is_some() {}
        }
    }
}

fn parse_part(document: &[u8]) -> Option<Staged> {
    let text = std::str::from_utf8(document).ok()?;
    let part: Part = ron::Options::default().from_str(text).ok()?;
    Some(part.statements)
}

/// The parts, appended in file order as they come in any order.
#[derive(Default)]
struct InOrder {
    all: Staged,
    next: usize,
    waiting: BTreeMap<usize, Staged>,
    failed: bool,
}

impl InOrder {
    fn add(&mut self, index: usize, part: Option<Staged>) {
        let Some(part) = part else {
            self.failed = true;
            return;
        };
        self.waiting.insert(index, part);
        while let Some(part) = self.waiting.remove(&self.next) {
            self.failed |= self.all.append(part).is_none();
            self.next += 1;
        }
    }

    /// All the statements, if each of the `count` parts came and appended.
    fn finish(self, count: usize) -> Option<Staged> {
        (!self.failed && self.next == count).then_some(self.all)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use proptest::prelude::*;

    use super::*;
    use crate::dataset::model::{Delivery, Statement, StatementKind};
    use crate::dataset::{Conference, parse_bytes};

    fn conference(data: Dataset<Staged>) -> Dataset {
        Conference::index(data).expect("resolves").to_dataset()
    }

    /// What the whole-file parse gives for `text`: the dataset, or the message.
    fn whole(text: &str) -> Result<Dataset, String> {
        parse_bytes(text.as_bytes(), Path::new("test.ron"))
            .map(conference)
            .map_err(|error| error.to_string())
    }

    fn in_chunks(text: &str, sizes: Sizes) -> Option<Dataset> {
        parse_in_chunks(text.as_bytes(), sizes, u64::MAX).map(conference)
    }

    /// Writes datasets as people and tools may: any field order, strings escaped or raw,
    /// comments, line breaks (CRLF too) and any white space ron allows between the
    /// dataset's fields and in and between statements, with or without struct names,
    /// trailing commas and `implicit_some`.
    struct Writer {
        rng: fastrand::Rng,
        implicit_some: bool,
    }

    impl Writer {
        fn pick<'a>(&mut self, choices: &[&'a str]) -> &'a str {
            choices[self.rng.usize(..choices.len())]
        }

        fn gap(&mut self) -> String {
            let gaps = [
                "",
                " ",
                "\n    ",
                "\r\n\t",
                "\u{2028}\u{85}\x0b",
                " /* ], ( */ ",
                " // ,] \"\r\n",
                "/* /* , */ ] */",
            ];
            self.pick(&gaps).to_owned()
        }

        fn string(&mut self, text: &str) -> String {
            match self.rng.u8(..3) {
                0 => format!("{text:?}"),
                1 => {
                    let escaped: String = (text.chars())
                        .map(|c| match c {
                            '"' => "\\\"".to_owned(),
                            '\\' => "\\\\".to_owned(),
                            c if !c.is_ascii() => format!("\\u{{{:x}}}", u32::from(c)),
                            c => c.to_string(),
                        })
                        .collect();
                    format!("\"{escaped}\"")
                }
                _ => {
                    let hashes = "#".repeat(text.matches('#').count() + 1);
                    format!("r{hashes}\"{text}\"{hashes}")
                }
            }
        }

        fn list(&mut self, items: &[String]) -> String {
            let items: Vec<String> = items.iter().map(|item| self.string(item)).collect();
            self.sequence("[", &items, "]")
        }

        /// `items` between `open` and `close`, separated by commas, the last maybe too.
        fn sequence(&mut self, open: &str, items: &[String], close: &str) -> String {
            let mut out = format!("{open}{}", self.gap());
            for (i, item) in items.iter().enumerate() {
                out.push_str(item);
                if i + 1 < items.len() || self.rng.bool() {
                    out.push_str(&format!("{},{}", self.gap(), self.gap()));
                }
            }
            out.push_str(&format!("{}{close}", self.gap()));
            out
        }

        fn fields(&mut self, name: &str, mut fields: Vec<(&str, String)>) -> String {
            self.rng.shuffle(&mut fields);
            let fields: Vec<String> = (fields.into_iter())
                .map(|(field, value)| format!("{field}{}:{}{value}", self.gap(), self.gap()))
                .collect();
            let name = if self.rng.bool() { name } else { "" };
            self.sequence(&format!("{name}("), &fields, ")")
        }

        fn statement(&mut self, statement: &Statement) -> String {
            let kind = match statement.kind {
                StatementKind::Verbatim => "Verbatim",
                StatementKind::Paraphrase => "Paraphrase",
            };
            let mut fields = vec![
                ("id", self.string(&statement.id)),
                ("speaker", self.string(&statement.speaker)),
                ("session", self.string(&statement.session)),
                ("kind", kind.to_owned()),
                ("text", self.string(&statement.text)),
                ("sources", self.list(&statement.sources)),
            ];
            if !statement.tags.is_empty() {
                fields.push(("tags", self.list(&statement.tags)));
            }
            if let Some(note) = &statement.note {
                let note = self.string(note);
                let some = self.implicit_some && self.rng.bool();
                fields.push(("note", if some { note } else { format!("Some({note})") }));
            }
            if let Delivery::Message { read_by } = &statement.delivery {
                let read_by = match read_by {
                    Some(name) => format!("Some({})", self.string(name)),
                    None => "None".to_owned(),
                };
                fields.push(("delivery", format!("Message(read_by: {read_by})")));
            }
            self.fields("Statement", fields)
        }

        fn dataset(&mut self, data: &Dataset) -> String {
            let ron = |value: &dyn erased::Ron| value.ron();
            let statements: Vec<String> = (data.statements.iter())
                .map(|statement| self.statement(statement))
                .collect();
            let fields = vec![
                ("event", ron(&data.event)),
                ("sources", ron(&data.sources)),
                ("sessions", ron(&data.sessions)),
                ("speakers", ron(&data.speakers)),
                ("disputes", ron(&data.disputes)),
                ("statements", self.sequence("[", &statements, "]")),
            ];
            let preamble = if self.implicit_some {
                "#![enable(implicit_some)] // ( [\n"
            } else {
                "/* #![enable(implicit_some)] */\n"
            };
            format!("{preamble}{}\n", self.fields("Dataset", fields))
        }
    }

    /// The RON of any part of a dataset, through one function.
    mod erased {
        pub trait Ron {
            fn ron(&self) -> String;
        }

        impl<T: serde::Serialize> Ron for T {
            fn ron(&self) -> String {
                ron::ser::to_string(self).expect("serializes")
            }
        }
    }

    /// A generated dataset whose texts, notes and tags hold what could pass for RON.
    fn tricky_dataset(statements: usize, rng: &mut fastrand::Rng) -> Dataset {
        let mut data = crate::synthetic::generate(statements, rng.u64(..));
        let pieces = [
            ",",
            "]",
            "[",
            "(",
            ")",
            "\"",
            "'",
            "/*",
            "*/",
            "//",
            "#",
            "r#\"",
            "\\",
            "\n",
            "ạ",
            "Đ",
            "statements: [",
            " ",
            "x",
        ];
        let tricky = |rng: &mut fastrand::Rng| {
            let mut text = String::from("x");
            for _ in 0..rng.usize(..12) {
                text.push_str(pieces[rng.usize(..pieces.len())]);
            }
            text
        };
        for statement in &mut data.statements {
            statement.text = tricky(rng);
            match rng.u8(..4) {
                0 => statement.note = Some(tricky(rng)),
                1 => statement.tags = vec![tricky(rng), tricky(rng)],
                2 => {
                    statement.delivery = Delivery::Message {
                        read_by: rng.bool().then(|| tricky(rng)),
                    }
                }
                _ => {}
            }
        }
        data
    }

    fn sizes() -> impl Strategy<Value = Sizes> {
        (1..400usize, 1..64usize).prop_map(|(chunk, block)| Sizes { chunk, block })
    }

    proptest! {
        /// Every valid file is read in pieces, to the dataset the whole file gives.
        #[test]
        fn a_valid_file_in_pieces_is_the_whole_file(
            seed: u64,
            statements in 1..24usize,
            sizes in sizes(),
        ) {
            let mut rng = fastrand::Rng::with_seed(seed);
            let data = tricky_dataset(statements, &mut rng);
            let implicit_some = rng.bool();
            let text = Writer { rng, implicit_some }.dataset(&data);
            let expected = whole(&text);
            prop_assert!(expected.is_ok(), "{text}\n{expected:?}");
            prop_assert_eq!(in_chunks(&text, sizes), expected.ok(), "{}", text);
        }

        /// A damaged file read in pieces gives what the whole file gives, or nothing (the
        /// whole file is then parsed, for its message).
        #[test]
        fn a_damaged_file_in_pieces_is_the_whole_file_or_nothing(
            seed: u64,
            statements in 1..12usize,
            sizes in sizes(),
            damage in prop::collection::vec((any::<prop::sample::Index>(), 0..20usize), 1..4),
        ) {
            let mut rng = fastrand::Rng::with_seed(seed);
            let data = tricky_dataset(statements, &mut rng);
            let implicit_some = rng.bool();
            let mut text = Writer { rng, implicit_some }.dataset(&data);
            let snippets = [
                "[", "]", ",", "\"", "/*", "*/", "//", "'", "r#\"", "\"#", "\n", "(", ")",
                "statements: [", "\\", "#![enable(implicit_some)]", "Some(", "x",
            ];
            for (at, what) in damage {
                let boundaries: Vec<usize> = (0..=text.len())
                    .filter(|&i| text.is_char_boundary(i))
                    .collect();
                let at = boundaries[at.index(boundaries.len())];
                match snippets.get(what) {
                    Some(snippet) => text.insert_str(at, snippet),
                    None => {
                        let end = boundaries.iter().copied().find(|&i| i > at + what);
                        text.replace_range(at..end.unwrap_or(text.len()), "");
                    }
                }
            }
            if let Some(chunked) = in_chunks(&text, sizes) {
                prop_assert_eq!(Ok(chunked), whole(&text), "{}", text);
            }
        }
    }

    #[test]
    fn a_head_given_after_the_statements_is_read() {
        use erased::Ron;
        let data = tricky_dataset(20, &mut fastrand::Rng::with_seed(2));
        let text = format!(
            "(statements: {}, event: {}, sources: {}, sessions: {}, speakers: {})",
            data.statements.ron(),
            data.event.ron(),
            data.sources.ron(),
            data.sessions.ron(),
            data.speakers.ron()
        );
        let expected = whole(&text);
        assert!(expected.is_ok(), "{expected:?}");
        assert_eq!(
            in_chunks(&text, Sizes { chunk: 1, block: 3 }),
            expected.ok()
        );
    }

    #[test]
    fn a_file_that_asks_for_struct_names_is_read_in_pieces() {
        let data = tricky_dataset(20, &mut fastrand::Rng::with_seed(3));
        let config = ron::ser::PrettyConfig::new().struct_names(true);
        let named = ron::ser::to_string_pretty(&data, config).expect("serializes");
        let text = format!("#![enable(explicit_struct_names)]\n{named}");
        let expected = whole(&text);
        assert!(expected.is_ok(), "{expected:?}");
        assert_eq!(
            in_chunks(&text, Sizes { chunk: 1, block: 5 }),
            expected.ok()
        );
    }

    #[test]
    fn a_list_the_splitter_cannot_name_is_left_to_the_whole_file_parse() {
        let data = tricky_dataset(3, &mut fastrand::Rng::with_seed(4));
        let text = ron::ser::to_string(&data).expect("serializes");
        let raw = text.replacen("statements:", "r#statements:", 1);
        assert!(
            whole(&raw).is_ok(),
            "ron reads a raw identifier as the field"
        );
        assert_eq!(in_chunks(&raw, FILE_SIZES), None);
    }

    #[test]
    fn a_second_statement_list_is_left_to_the_whole_file_parse() {
        let data = tricky_dataset(3, &mut fastrand::Rng::with_seed(1));
        let text = ron::ser::to_string(&data).expect("serializes");
        let twice = text.replacen("disputes:", "statements: [], disputes:", 1);
        assert!(whole(&twice).is_err());
        assert_eq!(in_chunks(&twice, FILE_SIZES), None);
    }
}
