//! Fuzzing the schedule importers with proptest: whatever the bytes, importing returns a
//! dataset that validates, or an error that names the file, and never panics. Runs
//! briefly in `cargo test`.

mod common;

use std::path::Path;

use hanoi_tui::dataset::Conference;
use hanoi_tui::import::{Format, import_bytes};
use proptest::prelude::*;

const FIXTURES: [(&str, Format); 3] = [
    (include_str!("fixtures/schedules/frab.xml"), Format::Frab),
    (include_str!("fixtures/schedules/c3voc.json"), Format::C3voc),
    (include_str!("fixtures/schedules/fosdem.xml"), Format::Frab),
];

/// Imports `bytes`; a success must be a valid dataset, a failure must name the file.
fn import_holds(format: Format, bytes: &[u8]) -> Result<(), TestCaseError> {
    match import_bytes(format, bytes, Path::new("fuzz.schedule")) {
        Ok(data) => {
            let checked = Conference::from_dataset(data, "fuzz.schedule");
            prop_assert!(
                checked.is_ok(),
                "{}",
                checked.err().map(|e| e.to_string()).unwrap_or_default()
            );
        }
        Err(error) => {
            let message = error.to_string();
            prop_assert!(message.starts_with("fuzz.schedule"), "{}", message);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        import_holds(Format::Frab, &bytes)?;
        import_holds(Format::C3voc, &bytes)?;
    }

    /// Small edits of the fixtures reach every reader and the mapping.
    #[test]
    fn edited_schedules_never_panic(
        which in 0usize..3,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0usize..4, "[\\PC\\n<>/&;\"{}\\[\\],:0-9]{0,3}"), 1..6)
    ) {
        let (text, format) = FIXTURES[which];
        let mut text = text.to_owned();
        common::apply_edits(&mut text, edits);
        import_holds(format, text.as_bytes())?;
    }
}
