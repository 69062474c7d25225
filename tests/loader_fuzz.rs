//! Fuzzing the loader with proptest: whatever the bytes, loading returns a dataset or an
//! error with a message, and never panics. Runs briefly in `cargo test`.

mod common;

use std::path::Path;

use hanoi_tui::dataset::{EMBEDDED_RON, parse_bytes, parse_str};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        if let Err(error) = parse_bytes(&bytes, Path::new("fuzz.ron")) {
            prop_assert!(!error.to_string().is_empty());
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let _ = parse_str(&text, Path::new("fuzz.ron")).map_err(|e| e.to_string());
    }

    /// Small edits of the real dataset reach deep into the parser and validator.
    #[test]
    fn edited_real_dataset_never_panics(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0usize..4, "[\\PC\\n\"()\\[\\],:]{0,3}"), 1..6)
    ) {
        let mut text = EMBEDDED_RON.to_owned();
        common::apply_edits(&mut text, edits);
        if let Err(error) = parse_str(&text, Path::new("edited.ron")) {
            let message = error.to_string();
            prop_assert!(message.starts_with("edited.ron"), "{}", message);
        }
    }
}
