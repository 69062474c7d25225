//! Serializing a dataset and parsing it back gives the same dataset, so a tool that
//! rewrites RON (an importer, an editor) loses nothing.

use std::path::Path;

use hanoi_tui::dataset::{Conference, Dataset, parse_str};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

fn roundtrip(dataset: &Dataset) -> Dataset {
    let text =
        ron::ser::to_string_pretty(dataset, ron::ser::PrettyConfig::default()).expect("serialize");
    parse_str(&text, Path::new("roundtrip.ron"))
        .unwrap_or_else(|error| panic!("re-parse failed: {error}\n{text}"))
}

#[test]
fn the_shipped_dataset_round_trips() {
    let dataset = Conference::embedded().expect("loads").to_dataset();
    assert_eq!(roundtrip(&dataset), dataset);
}

#[test]
fn the_minimal_fixture_round_trips() {
    let text = include_str!("fixtures/minimal.ron");
    let dataset = parse_str(text, Path::new("minimal.ron")).expect("loads");
    assert_eq!(roundtrip(&dataset), dataset);
}

proptest! {
    /// Any text a statement or speaker may hold (quotes, backslashes, newlines, RON syntax,
    /// any script) survives the trip; the loader keeps text in NFC, so the input is NFC.
    #[test]
    fn any_text_round_trips(text in "\\PC+", name in ".+") {
        let mut dataset = parse_str(include_str!("fixtures/minimal.ron"), Path::new("m.ron"))
            .expect("loads");
        let nfc = |s: &str| -> String { s.nfc().collect() };
        prop_assume!(!text.trim().is_empty() && !name.trim().is_empty());
        dataset.statements[0].text = nfc(&text);
        dataset.speakers[0].name = nfc(&name);
        dataset.statements[0].note = Some(nfc(&format!("{name}\"){text}")));
        prop_assert_eq!(roundtrip(&dataset), dataset);
    }
}
