//! Puts every text of a parsed dataset in Unicode NFC, so that equal-looking names and
//! quotes compare, search and export the same whichever form the file was saved in.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use super::model::{Dataset, Delivery, Statement};

pub fn to_nfc(dataset: &mut Dataset) {
    head_to_nfc(dataset);
    statements_to_nfc(&mut dataset.statements);
}

/// [`to_nfc`] for the statements.
pub fn statements_to_nfc(statements: &mut [Statement]) {
    statements.iter_mut().for_each(statement_to_nfc);
}

/// [`to_nfc`] for all but the statements.
pub fn head_to_nfc<S>(dataset: &mut Dataset<S>) {
    let event = &mut dataset.event;
    for text in [&mut event.name, &mut event.venue, &mut event.city] {
        nfc(text);
    }
    for text in [
        &mut event.short_name,
        &mut event.description,
        &mut event.time_zone,
    ] {
        nfc_opt(text);
    }
    for source in &mut dataset.sources {
        for text in [&mut source.id, &mut source.file, &mut source.title] {
            nfc(text);
        }
        nfc_opt(&mut source.publisher);
        nfc_opt(&mut source.url);
    }
    for session in &mut dataset.sessions {
        nfc(&mut session.id);
        nfc(&mut session.title);
        for text in [
            &mut session.time_of_day,
            &mut session.venue,
            &mut session.description,
            &mut session.track,
            &mut session.kind,
            &mut session.language,
        ] {
            nfc_opt(text);
        }
        session.chairs.iter_mut().for_each(nfc);
        session.speakers.iter_mut().for_each(nfc);
        session.sources.iter_mut().for_each(nfc);
    }
    for speaker in &mut dataset.speakers {
        nfc(&mut speaker.id);
        nfc(&mut speaker.name);
        for text in [
            &mut speaker.native_name,
            &mut speaker.role,
            &mut speaker.affiliation,
        ] {
            nfc_opt(text);
        }
    }
    for dispute in &mut dataset.disputes {
        nfc(&mut dispute.id);
        nfc(&mut dispute.question);
        for variant in &mut dispute.variants {
            for text in [&mut variant.value, &mut variant.text, &mut variant.source] {
                nfc(text);
            }
            nfc_opt(&mut variant.statement);
        }
    }
}

/// [`to_nfc`] for one statement.
pub fn statement_to_nfc(statement: &mut Statement) {
    for text in [
        &mut statement.id,
        &mut statement.speaker,
        &mut statement.session,
        &mut statement.text,
    ] {
        nfc(text);
    }
    if let Delivery::Message { read_by } = &mut statement.delivery {
        nfc_opt(read_by);
    }
    statement.sources.iter_mut().for_each(nfc);
    statement.tags.iter_mut().for_each(nfc);
    nfc_opt(&mut statement.note);
}

fn nfc(text: &mut String) {
    // Most text is NFC already; the quick checks avoid reallocating it (ASCII always is).
    if !text.is_ascii() && is_nfc_quick(text.chars()) != IsNormalized::Yes {
        *text = text.nfc().collect();
    }
}

fn nfc_opt(text: &mut Option<String>) {
    if let Some(text) = text {
        nfc(text);
    }
}
