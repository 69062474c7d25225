//! The payload of a dataset cache entry: the dataset as MessagePack with named fields (the
//! model's `default` and `skip_serializing_if` need a self-describing encoding), cut into
//! sections that decode in parallel: one for everything but the statements, then the
//! statements in at most [`STATEMENT_SECTIONS`] runs of at least
//! [`MIN_STATEMENTS_PER_SECTION`] (one run for a small dataset). Decoding is most of a
//! cache hit's time, and the statements are nearly all of the data.

use std::thread;

use serde::{Deserialize, Serialize};

use super::model::{Dataset, Dispute, Event, Session, Source, Speaker, Statement};

/// Into how many sections the statements of a large dataset go: enough to keep a few
/// cores busy.
const STATEMENT_SECTIONS: usize = 8;

/// The fewest statements a section holds (but the last): each section is a thread at
/// decoding, which a few hundred statements (the shipped dataset has 84) do not repay.
const MIN_STATEMENTS_PER_SECTION: usize = 1_000;

/// The dataset without its statements, borrowed for encoding.
#[derive(Serialize)]
struct HeadRef<'a> {
    event: &'a Event,
    sources: &'a [Source],
    sessions: &'a [Session],
    speakers: &'a [Speaker],
    disputes: &'a [Dispute],
}

/// The dataset without its statements, decoded.
#[derive(Deserialize)]
struct Head {
    event: Event,
    sources: Vec<Source>,
    sessions: Vec<Session>,
    speakers: Vec<Speaker>,
    disputes: Vec<Dispute>,
}

/// `data` as a payload: each section's length (u64, little-endian), then its bytes.
pub fn encode(data: &Dataset) -> Result<Vec<u8>, rmp_serde::encode::Error> {
    let head = HeadRef {
        event: &data.event,
        sources: &data.sources,
        sessions: &data.sessions,
        speakers: &data.speakers,
        disputes: &data.disputes,
    };
    let run = data
        .statements
        .len()
        .div_ceil(STATEMENT_SECTIONS)
        .max(MIN_STATEMENTS_PER_SECTION);
    let mut payload = Vec::new();
    let mut section = |bytes: Vec<u8>| {
        payload.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        payload.extend_from_slice(&bytes);
    };
    section(rmp_serde::to_vec_named(&head)?);
    for statements in data.statements.chunks(run) {
        section(rmp_serde::to_vec_named(statements)?);
    }
    Ok(payload)
}

/// The dataset in `payload`, or `None` if it does not decode.
pub fn decode(payload: &[u8]) -> Option<Dataset> {
    let sections = split(payload)?;
    let (head, runs) = sections.split_first()?;
    thread::scope(|scope| {
        let runs: Vec<_> = runs
            .iter()
            .map(|run| scope.spawn(move || rmp_serde::from_slice::<Vec<Statement>>(run).ok()))
            .collect();
        let head: Head = rmp_serde::from_slice(head).ok()?;
        let runs = runs
            .into_iter()
            .map(|run| run.join().ok().flatten())
            .collect::<Option<Vec<_>>>()?;
        let mut statements = Vec::with_capacity(runs.iter().map(Vec::len).sum());
        runs.into_iter().for_each(|run| statements.extend(run));
        Some(Dataset {
            event: head.event,
            sources: head.sources,
            sessions: head.sessions,
            speakers: head.speakers,
            statements,
            disputes: head.disputes,
        })
    })
}

/// The sections of `payload`, or `None` if a length runs past its end.
fn split(mut payload: &[u8]) -> Option<Vec<&[u8]>> {
    let mut sections = Vec::new();
    while !payload.is_empty() {
        let (len, rest) = payload.split_first_chunk::<8>()?;
        let len = usize::try_from(u64::from_le_bytes(*len)).ok()?;
        if rest.len() < len {
            return None;
        }
        let (section, rest) = rest.split_at(len);
        sections.push(section);
        payload = rest;
    }
    Some(sections)
}
