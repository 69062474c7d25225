//! Nothing in the shipped dataset is invented: every statement's text, and every disputed
//! variant, occurs exactly in each source document it cites, and a statement marked
//! verbatim stands inside quotation marks there. A failure here is a release blocker.
//!
//! The source documents live in `../shared/seeds/` beside the repository (override with
//! `HANOI_SEEDS_DIR`). Their absence fails the test: skipping would let a misquote ship.

use std::collections::HashMap;
use std::path::PathBuf;

use hanoi_tui::dataset::{Conference, StatementKind};
use unicode_normalization::UnicodeNormalization;

const OPENING_QUOTES: &[char] = &['"', '“', '‘', '\''];
const CLOSING_QUOTES: &[char] = &['"', '”', '’', '\''];

fn seeds_dir() -> PathBuf {
    std::env::var_os("HANOI_SEEDS_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds"),
        PathBuf::from,
    )
}

/// Each cited source file's lines, in NFC like the loaded dataset.
fn seed_lines(conference: &Conference) -> HashMap<String, Vec<String>> {
    let dir = seeds_dir();
    conference
        .data
        .sources
        .iter()
        .map(|source| {
            let path = dir.join(&source.file);
            let text = std::fs::read_to_string(&path).unwrap_or_else(|error| {
                panic!(
                    "source \"{}\" cites {}, which cannot be read ({error}); \
                     set HANOI_SEEDS_DIR to the seeds folder",
                    source.id,
                    path.display()
                )
            });
            let nfc: String = text.nfc().collect();
            (source.id.clone(), nfc.lines().map(str::to_owned).collect())
        })
        .collect()
}

/// Whether `text` occurs in one line of the source and, when `quoted`, stands between
/// quotation marks (a closing quote may follow one punctuation mark, as in `…itself," she said`).
fn occurs(lines: &[String], text: &str, quoted: bool) -> bool {
    lines.iter().any(|line| {
        line.match_indices(text).any(|(at, _)| {
            if !quoted {
                return true;
            }
            let before = line[..at].chars().next_back();
            let mut after = line[at + text.len()..].chars();
            let next = after.next();
            let closing = match next {
                Some(',' | '.' | ';' | '!' | '?') => after.next(),
                other => other,
            };
            before.is_some_and(|c| OPENING_QUOTES.contains(&c))
                && (next.is_some_and(|c| CLOSING_QUOTES.contains(&c))
                    || closing.is_some_and(|c| CLOSING_QUOTES.contains(&c)))
        })
    })
}

#[test]
fn every_statement_occurs_exactly_in_each_cited_source() {
    let conference = Conference::embedded().expect("shipped dataset loads");
    let seeds = seed_lines(&conference);
    let mut failures = Vec::new();
    let statements = conference.to_dataset().statements;
    for statement in &statements {
        let verbatim = statement.kind == StatementKind::Verbatim;
        for source in &statement.sources {
            if !occurs(&seeds[source], &statement.text, verbatim) {
                failures.push(format!(
                    "statement \"{}\": text not found {}in source \"{source}\"",
                    statement.id,
                    if verbatim {
                        "between quotation marks "
                    } else {
                        ""
                    }
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        statements.len() >= 30,
        "the sources report far more statements than {}",
        statements.len()
    );
}

#[test]
fn every_disputed_variant_occurs_in_its_source_and_matches_its_statement() {
    let conference = Conference::embedded().expect("shipped dataset loads");
    let seeds = seed_lines(&conference);
    let mut failures = Vec::new();
    for dispute in &conference.data.disputes {
        if dispute.variants.len() < 2 {
            failures.push(format!(
                "dispute \"{}\" has fewer than two variants",
                dispute.id
            ));
        }
        for variant in &dispute.variants {
            if !occurs(&seeds[&variant.source], &variant.text, false) {
                failures.push(format!(
                    "dispute \"{}\", variant \"{}\": text not found in source \"{}\"",
                    dispute.id, variant.value, variant.source
                ));
            }
            if let Some(id) = &variant.statement {
                let index = conference.statement_index(id).expect("validated");
                let statement = conference.statement(index);
                if !statement.sources.contains(&variant.source) {
                    failures.push(format!(
                        "dispute \"{}\": statement \"{id}\" does not cite the variant's source \"{}\"",
                        dispute.id, variant.source
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for required in ["signatory-count", "five-pushes-name", "russia-message"] {
        assert!(
            conference.data.disputes.iter().any(|d| d.id == required),
            "dispute \"{required}\" is recorded"
        );
    }
}

#[test]
fn the_quotation_check_rejects_a_paraphrase_marked_verbatim() {
    let lines = vec![
        "Vice President Maria Jose Pinto said: \"We must build systems.\"".to_owned(),
        "\"Let's ensure it,\" Maria Jose Pinto affirmed.".to_owned(),
    ];
    assert!(occurs(&lines, "We must build systems.", true));
    assert!(occurs(&lines, "Let's ensure it", true));
    assert!(!occurs(&lines, "Maria Jose Pinto said", true));
    assert!(occurs(&lines, "Maria Jose Pinto said", false));
    assert!(
        !occurs(&lines, "We must build", true),
        "a partial quote is not the quote"
    );
}
