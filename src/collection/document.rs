//! Several statements as one document (Markdown, CSV or JSON): the basket export and the
//! `export` command. Each statement's text comes from `export`, so a basket carries the
//! same words and attribution as a single copy.

use crate::dataset::Conference;
use crate::export::{Format, format_statement, pretty_json, statement_json};
use crate::text::sanitize_line;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum DocumentFormat {
    /// Each statement as a Markdown blockquote with attribution and sources.
    #[default]
    #[value(name = "md", alias = "markdown")]
    Markdown,
    /// One row per statement, with a header row.
    Csv,
    /// An array of the objects `quote --format json` prints.
    Json,
}

impl DocumentFormat {
    pub const ALL: [DocumentFormat; 3] = [Self::Markdown, Self::Csv, Self::Json];

    pub fn extension(self) -> &'static str {
        match self {
            Self::Markdown => "md",
            Self::Csv => "csv",
            Self::Json => "json",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Markdown => "Markdown",
            Self::Csv => "CSV",
            Self::Json => "JSON",
        }
    }
}

/// An id the dataset has no statement for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a statement id in this dataset")]
pub struct UnknownId(pub String);

/// The statements with these `ids`, in order, as one document; the first unknown id is an error.
pub fn render_ids(
    conference: &Conference,
    ids: &[String],
    format: DocumentFormat,
) -> Result<String, UnknownId> {
    let statements = ids
        .iter()
        .map(|id| {
            conference
                .statement_index(id)
                .ok_or_else(|| UnknownId(sanitize_line(id)))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(render(conference, &statements, format))
}

/// The statements at `statements`, in order, as one document.
pub fn render(conference: &Conference, statements: &[usize], format: DocumentFormat) -> String {
    match format {
        DocumentFormat::Markdown => statements
            .iter()
            .map(|&i| format_statement(conference, i, Format::Markdown))
            .collect::<Vec<_>>()
            .join("\n---\n\n"),
        DocumentFormat::Json => {
            let values = statements
                .iter()
                .map(|&i| statement_json(conference, i))
                .collect();
            pretty_json(&serde_json::Value::Array(values))
        }
        DocumentFormat::Csv => csv(conference, statements),
    }
}

/// CSV columns, read from the JSON form so both always say the same thing.
const CSV_COLUMNS: [&str; 9] = [
    "id",
    "kind",
    "text",
    "attribution",
    "speaker",
    "session",
    "date",
    "sources",
    "note",
];

/// A cell a spreadsheet will take as text: one that begins as a formula does (`=`, `+`,
/// `-`, `@`, a tab or CR) gets an apostrophe first, or a quote such as "-5% growth" would
/// show as an error, and a hostile "=HYPERLINK(…)" in a dataset would run (OWASP's advice
/// against CSV injection). The JSON and Markdown exports keep the text as it is.
fn spreadsheet_safe(cell: String) -> String {
    match cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        true => format!("'{cell}"),
        false => cell,
    }
}

fn csv(conference: &Conference, statements: &[usize]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(CSV_COLUMNS);
    for &index in statements {
        let value = statement_json(conference, index);
        let field = |name: &str| value[name].as_str().unwrap_or_default().to_owned();
        // Spelled out, so a paraphrase in a spreadsheet is never taken for a quote.
        let kind = if value["verbatim"].as_bool() == Some(true) {
            "verbatim quote"
        } else {
            "paraphrase (reported speech, not a direct quote)"
        };
        let sources = value["sources"]
            .as_array()
            .map(|sources| {
                sources
                    .iter()
                    .map(|s| {
                        let url = s["url"].as_str().or(s["file"].as_str()).unwrap_or_default();
                        format!("{} ({url})", s["title"].as_str().unwrap_or_default())
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default();
        let record = [
            field("id"),
            kind.to_owned(),
            field("text"),
            field("attribution"),
            field("speaker"),
            field("session"),
            field("date"),
            sources,
            field("note"),
        ];
        let _ = writer.write_record(record.map(spreadsheet_safe));
    }
    // Writing to a Vec cannot fail.
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::explorer_conference;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|&s| s.to_owned()).collect()
    }

    #[test]
    fn markdown_joins_the_single_quote_exports_in_order() {
        let conference = explorer_conference();
        let document = render_ids(
            &conference,
            &ids(&["b-paraphrase", "a-quote"]),
            DocumentFormat::Markdown,
        )
        .expect("known ids");
        let first = conference.statement_index("b-paraphrase").expect("id");
        let second = conference.statement_index("a-quote").expect("id");
        assert_eq!(
            document,
            format!(
                "{}\n---\n\n{}",
                format_statement(&conference, first, Format::Markdown),
                format_statement(&conference, second, Format::Markdown)
            )
        );
    }

    #[test]
    fn csv_has_a_header_and_one_row_per_statement_and_labels_paraphrases() {
        let conference = explorer_conference();
        let document = render_ids(
            &conference,
            &ids(&["a-quote", "b-paraphrase"]),
            DocumentFormat::Csv,
        )
        .expect("known ids");
        let mut reader = csv::Reader::from_reader(document.as_bytes());
        let header = reader.headers().expect("header").clone();
        assert_eq!(header.iter().collect::<Vec<_>>(), CSV_COLUMNS);
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][0], "a-quote");
        assert_eq!(&rows[0][1], "verbatim quote");
        assert_eq!(
            &rows[0][2],
            "Không ai bị bỏ lại phía sau trong kỷ nguyên số"
        );
        assert!(rows[1][1].starts_with("paraphrase"));
    }

    #[test]
    fn csv_cells_that_begin_like_a_formula_are_kept_as_text() {
        for cell in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+84 24",
            "-5% growth",
            "@SUM(A1)",
            "\tx",
        ] {
            assert_eq!(spreadsheet_safe(cell.to_owned()), format!("'{cell}"));
        }
        for cell in ["Không ai", "5 = 5", "", "'quoted"] {
            assert_eq!(spreadsheet_safe(cell.to_owned()), cell);
        }
    }

    #[test]
    fn json_is_an_array_of_the_quote_objects() {
        let conference = explorer_conference();
        let document =
            render_ids(&conference, &ids(&["a-quote"]), DocumentFormat::Json).expect("known ids");
        let parsed: serde_json::Value = serde_json::from_str(&document).expect("JSON");
        let index = conference.statement_index("a-quote").expect("id");
        assert_eq!(
            parsed,
            serde_json::json!([statement_json(&conference, index)])
        );
    }

    #[test]
    fn an_unknown_id_is_named() {
        let conference = explorer_conference();
        let error = render_ids(&conference, &ids(&["a-quote", "nope"]), DocumentFormat::Csv)
            .expect_err("unknown");
        assert_eq!(error, UnknownId("nope".to_owned()));
        assert_eq!(
            error.to_string(),
            "\"nope\" is not a statement id in this dataset"
        );
    }
}
