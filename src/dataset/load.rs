//! Reading a dataset file: size limit, UTF-8 and BOM, RON parsing with positioned errors,
//! NFC, then validation with every problem located in the file.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use unicode_normalization::UnicodeNormalization;

use super::chunked::{FILE_SIZES, parse_in_chunks};
use super::error::{Excerpt, LoadError, Located, Position};
use super::line_index::LineIndex;
use super::model::{Dataset, Statement};
use super::normalize::{head_to_nfc, statements_to_nfc};
use super::problem::{Kind, Place, Problem};
use super::ron_tokens::{Token, fields, tokens};
use super::staged::Staged;
use super::validate::{StatementFields, validate};

/// Larger files are refused before reading: no real conference comes near, and reading
/// one would take the memory of a small machine.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// The bytes of the file at `path`, refusing files over [`MAX_FILE_BYTES`]; schedules,
/// and datasets that are not in regular files, are read through here.
pub fn read_file(path: &Path) -> Result<Vec<u8>, LoadError> {
    read_opened(&open_file(path)?, path)
}

/// The file at `path`, open for reading.
pub(crate) fn open_file(path: &Path) -> Result<File, LoadError> {
    File::open(path).map_err(|error| io_error(path, error))
}

/// [`read_file`] on a file already open; `path` names it in messages.
pub(crate) fn read_opened(file: &File, path: &Path) -> Result<Vec<u8>, LoadError> {
    let io = |source| io_error(path, source);
    let too_large = |size| LoadError::TooLarge {
        path: path.to_owned(),
        size,
        limit: MAX_FILE_BYTES,
    };
    let size = file.metadata().map_err(io)?.len();
    if size > MAX_FILE_BYTES {
        return Err(too_large(size));
    }
    // The metadata size can be 0 or stale (pipes, files still being written): bound the read itself.
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// What tells a schedule from a dataset (see `Format::detect`): the first byte of the
/// regular file open as `file` that is not white space, after a byte order mark, if
/// there is one within [`MAX_FILE_BYTES`]. The file is left at its start.
pub(crate) fn first_significant_byte(file: &File, path: &Path) -> Result<Option<u8>, LoadError> {
    let io = |error| io_error(path, error);
    let mut reader = std::io::BufReader::with_capacity(1 << 16, file.take(MAX_FILE_BYTES));
    let mut first = true;
    let found = loop {
        let block = reader.fill_buf().map_err(io)?;
        if block.is_empty() {
            break None;
        }
        let skip = if first && block.starts_with(BOM) {
            BOM.len()
        } else {
            0
        };
        first = false;
        let len = block.len();
        if let Some(&byte) = block[skip..]
            .iter()
            .find(|byte| !byte.is_ascii_whitespace())
        {
            break Some(byte);
        }
        reader.consume(len);
    };
    rewind(file, path)?;
    Ok(found)
}

/// Parses the RON dataset in the file open as `file` (at its start). A regular file is
/// parsed in pieces as it is read (see `chunked.rs`), and read again whole only if that
/// fails, for the message to say where and what.
pub(crate) fn parse_opened(file: &File, path: &Path) -> Result<Dataset<Staged>, LoadError> {
    let metadata = file.metadata().map_err(|error| io_error(path, error))?;
    if metadata.is_file() && metadata.len() <= MAX_FILE_BYTES {
        if let Some(dataset) = parse_in_chunks(file, FILE_SIZES, MAX_FILE_BYTES) {
            return Ok(dataset);
        }
        rewind(file, path)?;
    }
    parse_bytes(&read_opened(file, path)?, path)
}

fn rewind(mut file: &File, path: &Path) -> Result<(), LoadError> {
    file.seek(SeekFrom::Start(0))
        .map(drop)
        .map_err(|error| io_error(path, error))
}

fn io_error(path: &Path, source: std::io::Error) -> LoadError {
    LoadError::Io {
        path: path.to_owned(),
        source,
    }
}

/// A byte order mark, which a file may start with.
pub(super) const BOM: &[u8] = "\u{feff}".as_bytes();

/// Parses a dataset from a file's bytes, packing its statements as they are parsed (see
/// `staged.rs`); `path` only names the file in messages.
pub fn parse_bytes(bytes: &[u8], path: &Path) -> Result<Dataset<Staged>, LoadError> {
    parse_text(utf8(bytes, path)?, path)
}

/// How a parse gives statements: checked by [`validate`], and put in NFC here unless the
/// parse did so already.
pub trait ParsedStatements: StatementFields + DeserializeOwned + Default {
    fn to_nfc(&mut self);
}

impl ParsedStatements for Vec<Statement> {
    fn to_nfc(&mut self) {
        statements_to_nfc(self);
    }
}

impl ParsedStatements for Staged {
    /// Each statement was put in NFC as it was packed.
    fn to_nfc(&mut self) {}
}

/// The bytes as text, or an error at the first byte that is not UTF-8.
pub fn utf8<'a>(bytes: &'a [u8], path: &Path) -> Result<&'a str, LoadError> {
    std::str::from_utf8(bytes).map_err(|error| {
        let offset = error.valid_up_to();
        // The prefix up to the bad byte is valid UTF-8 by definition.
        let prefix = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
        // Columns leave a byte order mark out, as syntax errors' do.
        let prefix = prefix.strip_prefix('\u{feff}').unwrap_or(prefix);
        LoadError::NotUtf8 {
            path: path.to_owned(),
            position: Position::after(prefix),
            offset,
        }
    })
}

/// Parses a dataset from text; `path` only names the file in messages.
pub fn parse_str(text: &str, path: &Path) -> Result<Dataset, LoadError> {
    parse_text(text, path)
}

/// [`parse_str`], with the statements held as `S`.
fn parse_text<S: ParsedStatements>(text: &str, path: &Path) -> Result<Dataset<S>, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(LoadError::Empty {
            path: path.to_owned(),
        });
    }
    // Default options keep ron's recursion limit, so hostile nesting is an error, not a stack overflow.
    let mut dataset: Dataset<S> = ron::Options::default()
        .from_str(text)
        .map_err(|error| syntax_error(text, path, &error))?;
    head_to_nfc(&mut dataset);
    dataset.statements.to_nfc();
    let problems = validate(&dataset);
    if problems.is_empty() {
        Ok(dataset)
    } else {
        Err(LoadError::Invalid {
            path: path.to_owned(),
            problems: locate(text, problems),
        })
    }
}

fn syntax_error(text: &str, path: &Path, error: &ron::error::SpannedError) -> LoadError {
    let start = error.span.start;
    let position = Position {
        line: start.line,
        column: start.col,
    };
    let path: PathBuf = path.to_owned();
    let message = error.code.to_string();
    match Excerpt::of(text, position) {
        Some(excerpt) => LoadError::Syntax {
            path,
            message,
            runaway: runaway_string_before(text, offset_of(text, position)),
            excerpt,
        },
        None => LoadError::SyntaxAtEnd {
            path,
            message,
            position,
        },
    }
}

/// The byte offset of a line/column position (columns count characters).
fn offset_of(text: &str, position: Position) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(position.line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = &text[line_start.min(text.len())..];
    line_start
        + rest
            .char_indices()
            .nth(position.column.saturating_sub(1))
            .map_or(rest.len(), |(offset, _)| offset)
}

/// The opening position of the last string literal that closes before `offset`, if that
/// string spans several lines. Read with RON's tokens, so quotes inside comments (and
/// chars) do not count.
fn runaway_string_before(text: &str, offset: usize) -> Option<Position> {
    let bytes = text.as_bytes();
    let strings =
        tokens(bytes).filter(|&(at, token, _)| token == Token::Opaque && bytes[at] == b'"');
    // (open, close) of the last string closed before `offset`.
    let (open, close) = strings
        .map(|(at, _, len)| (at, at + len - 1))
        .take_while(|&(_, close)| close < offset)
        .last()?;
    text[open..close]
        .contains('\n')
        .then(|| Position::after(&text[..open]))
}

/// Attaches to each problem its position: that of the `id: "…"` of the item it is in, or
/// of the event's field it is about.
fn locate(text: &str, problems: Vec<Problem>) -> Vec<Located<Problem>> {
    let definitions = id_definitions(text);
    let lines = LineIndex::new(text);
    let at = |place: Place| {
        let offset = match place {
            Place::Item(item) => {
                let written = definitions.get(&item.id)?;
                let first = written.partition_point(|&(kind, _)| kind < item.kind);
                let &(kind, at) = written.get(first + item.occurrence)?;
                (kind == item.kind).then_some(at)?
            }
            Place::EventField(field) => event_field(text, field)?,
        };
        Some(lines.position(offset))
    };
    problems
        .into_iter()
        .map(|item| Located {
            position: at(item.place()),
            first_defined: match &item {
                Problem::DuplicateId { first, .. } => at(Place::Item(first)),
                _ => None,
            },
            item,
        })
        .collect()
}

/// The items' `id` fields, by the id as loading reads it (unescaped, in NFC): each as
/// the item's kind (that of the collection it is written in, wherever the collection
/// stands in the file) and the byte offset of its value, by kind and then in file order,
/// so that the nth item of a kind with an id is found at once however often the id is
/// repeated. One pass over RON's tokens, so that a field in a comment or a string is never
/// taken for one, and a file with many problems is read once, not once per problem.
fn id_definitions(text: &str) -> HashMap<String, Vec<(Kind, usize)>> {
    let mut definitions: HashMap<String, Vec<(Kind, usize)>> = HashMap::new();
    for field in fields(text.as_bytes()) {
        let kind =
            (Kind::ALL.into_iter()).find(|kind| kind.collection().as_bytes() == field.within);
        let (at, token, len) = field.value;
        let (Some(kind), b"id", Token::Opaque) = (kind, field.name, token) else {
            continue;
        };
        // Any string ron reads: quoted, escaped or raw.
        if let Ok(id) = ron::from_str::<String>(text.get(at..at + len).unwrap_or_default()) {
            let id: String = id.nfc().collect();
            definitions.entry(id).or_default().push((kind, at));
        }
    }
    for written in definitions.values_mut() {
        // Stable: each kind's stay in file order.
        written.sort_by_key(|&(kind, _)| kind);
    }
    definitions
}

/// The byte offset of the value of `field` in the dataset's `event`, or of `event` itself
/// where the event does not write that field.
fn event_field(text: &str, field: &str) -> Option<usize> {
    let mut fields = fields(text.as_bytes()).skip_while(|f| (f.depth, f.name) != (1, b"event"));
    let event = fields.next()?;
    let mut in_event = fields.take_while(|f| f.depth > 1);
    let written = in_event.find(|f| f.depth == 2 && f.name == field.as_bytes());
    Some(written.map_or(event.at, |f| f.value.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Delivery;

    const MINIMAL: &str = include_str!("../../tests/fixtures/minimal.ron");

    fn parse(text: &str) -> Result<Dataset, LoadError> {
        parse_str(text, Path::new("test.ron"))
    }

    #[test]
    fn bom_is_stripped() {
        let with_bom = format!("\u{feff}{MINIMAL}");
        assert_eq!(parse(&with_bom).ok(), parse(MINIMAL).ok());
    }

    #[test]
    fn text_is_normalised_to_nfc() {
        let nfd: String = MINIMAL.nfd().collect();
        let data = parse(&nfd).expect("NFD file loads");
        assert_eq!(
            data.speakers[0].native_name.as_deref(),
            Some("Phạm Minh Chính")
        );
        assert_eq!(data, parse(MINIMAL).expect("NFC file loads"));
    }

    #[test]
    fn syntax_error_carries_line_column_and_the_offending_line() {
        let broken = MINIMAL.replace("kind: Verbatim,", "kind: Verbatim");
        let Err(LoadError::Syntax {
            excerpt, message, ..
        }) = parse(&broken)
        else {
            panic!("expected a syntax error");
        };
        assert!(message.contains("comma"), "{message}");
        assert!(excerpt.line_text.contains("text:"), "{}", excerpt.line_text);
        assert_eq!(excerpt.position.column, 13);
    }

    #[test]
    fn a_misspelled_field_of_a_message_is_an_error_not_dropped() {
        let with = |field: &str| {
            MINIMAL.replace(
                "kind: Verbatim,",
                &format!("kind: Verbatim, delivery: Message({field}: Some(\"A reader\")),"),
            )
        };
        let read = parse(&with("read_by")).expect("a message with its reader loads");
        assert!(read.statements.iter().any(|s| s.delivery
            == Delivery::Message {
                read_by: Some("A reader".into())
            }));
        let Err(LoadError::Syntax { message, .. }) = parse(&with("reed_by")) else {
            panic!("expected the misspelled field to be refused");
        };
        assert!(message.contains("reed_by"), "{message}");
    }

    #[test]
    fn unterminated_string_points_at_where_it_opens() {
        let broken = MINIMAL.replace("phía sau\",", "phía sau,");
        let error = parse(&broken).expect_err("broken");
        let LoadError::Syntax {
            runaway: Some(at), ..
        } = &error
        else {
            panic!("expected a runaway-string note: {error}");
        };
        let line = MINIMAL
            .lines()
            .position(|l| l.contains("phía sau"))
            .expect("line")
            + 1;
        assert_eq!(at.line, line);
        assert!(error.to_string().contains("closing quote"));
    }

    #[test]
    fn invalid_utf8_reports_the_position_of_the_bad_byte() {
        let mut bytes = b"Dataset(\n  ev\xffent".to_vec();
        bytes.push(b'\n');
        let Err(LoadError::NotUtf8 {
            position, offset, ..
        }) = parse_bytes(&bytes, Path::new("x.ron"))
        else {
            panic!("expected NotUtf8");
        };
        assert_eq!((position.line, position.column, offset), (2, 5, 13));
        let Err(LoadError::NotUtf8 { position, .. }) =
            parse_bytes(b"\xEF\xBB\xBFDat\xFF", Path::new("x.ron"))
        else {
            panic!("expected NotUtf8");
        };
        assert_eq!(
            (position.line, position.column),
            (1, 4),
            "the mark is no column"
        );
    }

    #[test]
    fn empty_and_blank_files_are_refused_by_name() {
        for text in ["", "  \n\t", "\u{feff}"] {
            assert!(
                matches!(parse(text), Err(LoadError::Empty { .. })),
                "{text:?}"
            );
        }
    }

    #[test]
    fn semantic_problems_are_located_at_the_id_that_defines_the_item() {
        let broken = MINIMAL.replace("speaker: \"pmc\",", "speaker: \"ghost\",");
        let Err(LoadError::Invalid { problems, .. }) = parse(&broken) else {
            panic!("expected validation problems");
        };
        let line = MINIMAL
            .lines()
            .position(|l| l.contains("id: \"s1\""))
            .expect("line")
            + 1;
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].position.map(|p| p.line), Some(line));
    }

    #[test]
    fn id_definitions_ignore_references_other_fields_comments_and_strings() {
        let text = r#"(sessions: [(id: "a", speaker: "a", speaker_id: "a", id : "a")])"#;
        let at = |needle: &str| text.find(needle).expect("in text");
        let session = |at| (Kind::Session, at);
        assert_eq!(
            id_definitions(text)["a"],
            [session(at(r#""a""#)), session(at(r#"id : "a""#) + 5)]
        );
        let text = "(sources: // (id: \"a\"),\n/* id: \"a\" */ [(text: \"id: \\\"a\\\"\", id: /* c */ \"a\")])";
        assert_eq!(
            id_definitions(text)["a"],
            [(Kind::Source, text.rfind("\"a\"").expect("last"))]
        );
        // As loading reads the id: unescaped, raw or in NFC, and written `r#id` too.
        let text = "(speakers: [(id: \"s\\u{31}\"), (r#id: r\"s2\"), (id: \"e\u{301}\")])";
        let definitions = id_definitions(text);
        assert_eq!(
            definitions["s1"],
            [(Kind::Speaker, text.find("\"s").expect("s1"))]
        );
        assert_eq!(
            definitions["s2"],
            [(Kind::Speaker, text.find("r\"").expect("s2"))]
        );
        assert!(definitions.contains_key("\u{e9}"));
        // Any white space ron reads, multi-byte too, between the name and the value.
        let text = "(statements: [(id:\x0c\"a\"), (id\u{2028}:\u{2028}\"a\"), (id:\u{85}\"a\")])";
        let offsets: Vec<_> = (id_definitions(text)["a"].iter())
            .map(|&(_, at)| at)
            .collect();
        let quotes: Vec<_> = text
            .match_indices('"')
            .map(|(at, _)| at)
            .step_by(2)
            .collect();
        assert_eq!(offsets, quotes);
        // Ids only of the collections' items, wherever the collections stand, by kind.
        let text = "(disputes: [(id: \"x\")], event: (id: \"x\"), sources: [(id: \"x\")])";
        let kinds: Vec<_> = (id_definitions(text)["x"].iter())
            .map(|&(kind, _)| kind)
            .collect();
        assert_eq!(kinds, [Kind::Source, Kind::Dispute]);
    }

    #[test]
    fn locate_finds_the_nth_item_of_its_kind_with_an_id() {
        let text = "(statements: [\n(id: \"x\"),\n(id: \"x\"),\n], sessions: [\n(id: \"x\"),\n(id: \"x\"),\n])";
        let empty = |kind, occurrence| Problem::EmptyText {
            item: crate::dataset::ItemId::new(kind, "x", occurrence),
            field: "text",
        };
        let problems = [
            empty(Kind::Statement, 1),
            empty(Kind::Session, 0),
            empty(Kind::Session, 1),
            empty(Kind::Session, 2),
            empty(Kind::Speaker, 0),
        ];
        let lines: Vec<_> = locate(text, problems.to_vec())
            .iter()
            .map(|located| located.position.map(|at| at.line))
            .collect();
        assert_eq!(lines, [Some(3), Some(5), Some(6), None, None]);
    }

    #[test]
    fn event_field_finds_the_events_own_field_only() {
        let text = "Dataset(\n  sessions: [Session(end_date: \"x\")],\n  event: Event( // end_date: \"c\"\n    name: \"n\", end_date: /* */ \"d\",\n  ),\n  other: (end_date: \"y\"),\n)";
        assert_eq!(event_field(text, "end_date"), text.find("\"d\""));
        assert_eq!(event_field(text, "name"), text.find("\"n\""));
        // A field the event does not write: the event itself.
        assert_eq!(event_field(text, "city"), text.find("event"));
        assert_eq!(event_field("Dataset(sessions: [])", "city"), None);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let depth = 100_000;
        let text = format!("Dataset(event: {}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(matches!(parse(&text), Err(LoadError::Syntax { .. })));
    }

    /// What `parse_opened` gives for a file holding `text`, and what `parse_bytes` does.
    fn opened_and_whole(text: &str) -> (Result<Dataset, String>, Result<Dataset, String>) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("data.ron");
        std::fs::write(&path, text).expect("written");
        let file = File::open(&path).expect("opens");
        let conference = |data| {
            crate::dataset::Conference::index(data)
                .expect("resolves")
                .to_dataset()
        };
        let result = |parsed: Result<Dataset<Staged>, LoadError>| {
            parsed.map(conference).map_err(|error| error.to_string())
        };
        (
            result(parse_opened(&file, &path)),
            result(parse_bytes(text.as_bytes(), &path)),
        )
    }

    #[test]
    fn an_opened_file_gives_what_its_bytes_give_and_the_same_messages() {
        let valid = format!("\u{feff}{MINIMAL}");
        let broken_syntax = MINIMAL.replace("kind: Verbatim,", "kind: Verbatim");
        let unknown_speaker = MINIMAL.replace("speaker: \"pmc\",", "speaker: \"ghost\",");
        let (opened, whole) = opened_and_whole(&valid);
        assert!(opened.is_ok(), "{opened:?}");
        assert_eq!(opened, whole);
        let pieces = parse_in_chunks(valid.as_bytes(), FILE_SIZES, MAX_FILE_BYTES);
        assert!(pieces.is_some(), "read in pieces, not by the fallback");
        for broken in [broken_syntax, unknown_speaker] {
            let (opened, whole) = opened_and_whole(&broken);
            assert!(opened.is_err(), "{opened:?}");
            assert_eq!(opened, whole);
        }
        let mut not_utf8 = MINIMAL.as_bytes().to_vec();
        let at = MINIMAL.find("phía sau").expect("text");
        not_utf8[at] = 0xff;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("data.ron");
        std::fs::write(&path, &not_utf8).expect("written");
        let file = File::open(&path).expect("opens");
        let error = parse_opened(&file, &path).expect_err("not UTF-8");
        let expected = parse_bytes(&not_utf8, &path).expect_err("not UTF-8");
        assert_eq!(error.to_string(), expected.to_string());
    }

    #[test]
    fn the_first_significant_byte_is_found_past_white_space_and_the_file_rewound() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("schedule");
        for (text, expected) in [
            (
                format!("\u{feff}{}<schedule/>", " \n".repeat(100_000)),
                Some(b'<'),
            ),
            (" \t\r\n".repeat(40_000), None),
            (String::new(), None),
            ("\u{feff}".to_owned(), None),
        ] {
            std::fs::write(&path, &text).expect("written");
            let file = File::open(&path).expect("opens");
            let found = first_significant_byte(&file, &path).expect("reads");
            assert_eq!(found, expected, "{:?}", &text[..text.len().min(8)]);
            assert_eq!(read_opened(&file, &path).expect("reads"), text.as_bytes());
        }
    }

    #[test]
    fn files_over_the_limit_are_refused_before_reading() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("huge.ron");
        let file = File::create(&path).expect("create");
        // Sparse: takes no disk space, but its length is over the limit.
        file.set_len(MAX_FILE_BYTES + 1).expect("set_len");
        let Err(LoadError::TooLarge { size, .. }) = read_file(&path) else {
            panic!("expected TooLarge");
        };
        assert_eq!(size, MAX_FILE_BYTES + 1);
    }

    #[test]
    fn a_missing_file_names_the_path() {
        let error = read_file(Path::new("/nonexistent/dir/data.ron")).expect_err("missing");
        assert!(
            error
                .to_string()
                .starts_with("/nonexistent/dir/data.ron: cannot read")
        );
    }
}
