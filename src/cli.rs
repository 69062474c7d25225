//! The command line: arguments (clap) and the non-interactive commands `check`, `search`,
//! `quote`, `export` and `import`. Output is written to a caller-supplied writer, so tests
//! read it directly; nothing from the data reaches it without passing through `text::sanitize`.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use serde::Serialize;

use crate::collection::{DocumentFormat, render_ids};
use crate::dataset::{Conference, DatasetCache, Item, LoadError};
use crate::export::{Format, format_statement};
use crate::search::SearchIndex;
use crate::text::sanitize_line;

/// Exit code for bad input: an invalid dataset, an unknown id, a bad argument.
pub const EXIT_BAD_INPUT: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "hanoi-tui",
    version,
    about = "Explore who said what at a conference: sessions, speakers and their exact words.",
    long_about = "Explore who said what at a conference: sessions, speakers and their exact words.\n\n\
                  Without a command, opens the explorer on the built-in dataset (the signing \
                  ceremony of the UN Convention against Cybercrime, Hanoi, 25–26 October 2025) \
                  or on --data FILE."
)]
pub struct Cli {
    /// Dataset file (RON), or a schedule (frab XML, c3voc JSON), to use instead of the
    /// built-in one.
    #[arg(long, global = true, value_name = "FILE")]
    pub data: Option<PathBuf>,

    /// Config file to use instead of config.ron in the config dir (also HANOI_TUI_CONFIG).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Parse the --data file even if the cache holds it, and do not cache it.
    #[arg(long, global = true)]
    pub no_cache: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a dataset: print its counts, or every problem with file:line:column (exit 2).
    Check {
        /// The file to check; without it, --data or the built-in dataset.
        file: Option<PathBuf>,
    },
    /// Search statements, speakers and sessions; best match first.
    Search {
        /// Terms that must all match: words (fuzzy), 'exact, ^prefix, suffix$, !exclude,
        /// "a phrase", speaker: session: country: kind:verbatim|paraphrase date:2025-10-26.
        /// Diacritics are ignored; case too, unless the query has a capital.
        query: String,
        /// At most this many results.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// One JSON object per line instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Print one statement with its attribution, exactly as the clipboard export carries it.
    Quote {
        /// The statement's id (see `search`).
        id: String,
        #[arg(long, value_enum, default_value_t = Format::Plain)]
        format: Format,
    },
    /// Convert a published schedule (frab schedule.xml, c3voc schedule.json) to a dataset:
    /// sessions and speakers, no statements. `--data schedule.xml` opens one directly.
    Import {
        /// The schedule; its format is read from its content and extension.
        file: PathBuf,
        /// Write the dataset (RON) to this file instead of standard output.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// Replace OUT if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Print several statements as one document, as the basket export writes it.
    Export {
        /// Statement ids, comma-separated, in the order wanted.
        #[arg(long, value_delimiter = ',', required = true, num_args = 1..)]
        ids: Vec<String>,
        #[arg(long, value_enum, default_value_t = DocumentFormat::Markdown)]
        format: DocumentFormat,
    },
    /// Serves the system clipboard's selection after the explorer quits (started by it).
    #[command(name = "clipboard-daemon", hide = true)]
    ClipboardDaemon,
}

/// Runs a non-interactive command, writing its output to `out` and errors to `err`;
/// `cache` (if any) speeds up loading `data`.
pub fn run_command(
    command: &Command,
    data: Option<&Path>,
    cache: Option<&DatasetCache>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitCode {
    let result = match command {
        // Checking means parsing: a cache hit would vouch for the file without reading it.
        Command::Check { file } => check(file.as_deref().or(data), out),
        Command::Search { query, limit, json } => with_dataset(data, cache, out, |c, out| {
            search(c, query, *limit, *json, out)
        }),
        Command::Quote { id, format } => {
            with_dataset(data, cache, out, |c, out| quote(&c, id, *format, out))
        }
        Command::Import {
            file,
            output,
            force,
        } => import(file, output.as_deref(), *force, out),
        Command::Export { ids, format } => {
            with_dataset(data, cache, out, |c, out| export(&c, ids, *format, out))
        }
        Command::ClipboardDaemon => return crate::clipboard::serve_selection(),
    };
    finish(result, err)
}

/// What went wrong in a command, and how it should exit.
pub enum Failure {
    BadInput(String),
    /// The reader went away (`| head`): not an error worth a word.
    BrokenPipe,
    Io(io::Error),
}

impl From<LoadError> for Failure {
    fn from(error: LoadError) -> Self {
        Failure::BadInput(error.to_string())
    }
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        if error.kind() == io::ErrorKind::BrokenPipe {
            Failure::BrokenPipe
        } else {
            Failure::Io(error)
        }
    }
}

/// Turns a command's result into its exit code, reporting any failure on `err`.
pub fn finish(result: Result<(), Failure>, err: &mut dyn Write) -> ExitCode {
    match result {
        Ok(()) | Err(Failure::BrokenPipe) => ExitCode::SUCCESS,
        Err(Failure::BadInput(message)) => {
            let _ = writeln!(err, "error: {message}");
            ExitCode::from(EXIT_BAD_INPUT)
        }
        Err(Failure::Io(error)) => {
            let _ = writeln!(err, "error: cannot write output: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The dataset at `path`, or the built-in one, parsed (no cache).
pub fn load(path: Option<&Path>) -> Result<Conference, Failure> {
    Ok(crate::dataset::open(path, None)?.conference)
}

/// Runs `command` on the dataset at `path` (or the built-in one), through `cache`; on a
/// miss, the entry is written only once the command's output to `out` is flushed, so a
/// script reading it does not wait for the entry. It is written even if the command
/// fails (an unknown id, a bad query): the file parsed, and the next run need not parse
/// it again.
fn with_dataset(
    path: Option<&Path>,
    cache: Option<&DatasetCache>,
    out: &mut dyn Write,
    command: impl FnOnce(Arc<Conference>, &mut dyn Write) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let opened = crate::dataset::open(path, cache)?;
    let conference = Arc::new(opened.conference);
    let ran = command(Arc::clone(&conference), out);
    let flushed = out.flush();
    if let Some(pending) = opened.pending {
        pending.fill(&conference);
    }
    ran?;
    Ok(flushed?)
}

fn check(path: Option<&Path>, out: &mut dyn Write) -> Result<(), Failure> {
    let conference = load(path)?;
    let data = &conference.data;
    let name = path.map_or_else(
        || crate::dataset::EMBEDDED_NAME.to_owned(),
        |p| p.display().to_string(),
    );
    writeln!(
        out,
        "{}: ok: {} sessions, {} speakers, {} statements ({} verbatim), {} sources, {} disputes",
        sanitize_line(&name),
        data.sessions.len(),
        data.speakers.len(),
        conference.statements().len(),
        (0..conference.statements().len())
            .filter(|&i| conference.statements().kind(i) == crate::dataset::StatementKind::Verbatim)
            .count(),
        data.sources.len(),
        data.disputes.len(),
    )?;
    Ok(())
}

/// One search result as `--json` prints it: the contract scripts rely on.
#[derive(Debug, Serialize)]
pub struct JsonHit {
    pub kind: &'static str,
    pub id: String,
    pub score: i64,
    pub text: String,
    #[serde(flatten)]
    pub statement: Option<JsonStatement>,
}

#[derive(Debug, Serialize)]
pub struct JsonStatement {
    pub speaker: String,
    pub speaker_id: String,
    pub session: String,
    pub session_id: String,
    pub date: String,
    pub verbatim: bool,
    pub sources: Vec<String>,
}

impl JsonHit {
    pub fn new(conference: &Conference, item: Item, score: i64) -> Option<Self> {
        let data = &conference.data;
        let (kind, id, statement) = match item {
            Item::Statement(i) => {
                let speaker = conference.speaker_of(i);
                let session = conference.session_of(i);
                let sources = conference
                    .statement_sources(i)
                    .flat_map(|source| std::iter::once(&source.file).chain(&source.url))
                    .map(|text| sanitize_line(text))
                    .collect();
                let detail = JsonStatement {
                    speaker: sanitize_line(&speaker.name),
                    speaker_id: speaker.id.clone(),
                    session: sanitize_line(&session.title),
                    session_id: session.id.clone(),
                    date: session.date.to_string(),
                    verbatim: conference.statements().kind(i)
                        == crate::dataset::StatementKind::Verbatim,
                    sources,
                };
                ("statement", conference.statement_id(i), Some(detail))
            }
            Item::Speaker(i) => ("speaker", data.speakers[i].id.as_str(), None),
            Item::Session(i) => ("session", data.sessions[i].id.as_str(), None),
            Item::Source(_) | Item::Dispute(_) => return None,
        };
        Some(Self {
            kind,
            id: sanitize_line(id),
            score,
            text: sanitize_line(&conference.shown_text(item)),
            statement,
        })
    }
}

fn search(
    conference: Arc<Conference>,
    query: &str,
    limit: usize,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let query = crate::search::parse(query)
        .map_err(|error| Failure::BadInput(format!("invalid query: {error}")))?;
    let index = SearchIndex::new(Arc::clone(&conference));
    let hits = index.search(&query, limit);
    for hit in &hits {
        let Some(row) = JsonHit::new(&conference, hit.item, hit.score) else {
            continue;
        };
        if json {
            let line = serde_json::to_string(&row).map_err(|e| Failure::Io(e.into()))?;
            writeln!(out, "{line}")?;
        } else {
            write_text_hit(&row, out)?;
        }
    }
    if hits.is_empty() && !json {
        writeln!(out, "no results")?;
    }
    Ok(())
}

fn write_text_hit(row: &JsonHit, out: &mut dyn Write) -> io::Result<()> {
    match &row.statement {
        Some(s) => {
            let kind = if s.verbatim { "quote" } else { "paraphrase" };
            writeln!(
                out,
                "{}  [{kind}] {} — {}, {}",
                row.id, s.speaker, s.session, s.date
            )?;
            writeln!(out, "    {}", row.text)
        }
        None => writeln!(out, "{}  [{}] {}", row.id, row.kind, row.text),
    }
}

fn quote(
    conference: &Conference,
    id: &str,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let Some(index) = conference.statement_index(id) else {
        let what = match conference.item(id) {
            Some(Item::Speaker(_)) => "is a speaker, not a statement",
            Some(Item::Session(_)) => "is a session, not a statement",
            Some(Item::Source(_) | Item::Dispute(_)) => "is not a statement",
            Some(Item::Statement(_)) | None => "is not a statement id in this dataset",
        };
        return Err(Failure::BadInput(format!(
            "\"{}\" {what}; `hanoi-tui search WORDS` lists statement ids",
            sanitize_line(id)
        )));
    };
    out.write_all(format_statement(conference, index, format).as_bytes())?;
    Ok(())
}

fn import(
    file: &Path,
    output: Option<&Path>,
    force: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    use crate::import::{WriteError, import_file, to_ron, write_new_file};
    let (format, dataset) = import_file(file)?;
    // Validated as `check` would: what is written must load.
    let dataset = crate::dataset::validated(dataset, &file.display().to_string())?;
    let origin = format!("{} ({})", file.display(), format.describe());
    let ron = to_ron(&dataset, &origin).map_err(|e| Failure::Io(io::Error::other(e)))?;
    match output {
        None => out.write_all(ron.as_bytes())?,
        Some(path) => write_new_file(path, ron.as_bytes(), force).map_err(|error| match error {
            WriteError::Exists(_) => Failure::BadInput(error.to_string()),
            WriteError::Io { .. } => Failure::Io(io::Error::other(error.to_string())),
        })?,
    }
    Ok(())
}

fn export(
    conference: &Conference,
    ids: &[String],
    format: DocumentFormat,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let document = render_ids(conference, ids, format).map_err(|unknown| {
        Failure::BadInput(format!(
            "{unknown}; `hanoi-tui search WORDS` lists statement ids"
        ))
    })?;
    out.write_all(document.as_bytes())?;
    Ok(())
}
