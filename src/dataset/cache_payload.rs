//! The payload of a dataset cache entry: a conference as it is held in memory, so that
//! reading it back is little more than reading the file. Everything but the statements
//! is one MessagePack section (with named fields: the model's `default` and
//! `skip_serializing_if` need a self-describing encoding); the statements follow column
//! by column ([`Statements`]), each column a section of raw little-endian numbers or
//! text, and their few extras (tags, notes) a last MessagePack section.
//!
//! Each section is its length (u64), its checksum (u64) and its bytes, read straight into
//! the column it becomes (numbers pass through their bytes, one column at a time): the
//! statements never sit in memory twice.

use std::io::{self, Read, Write};

use super::Conference;
use super::model::{Head, StatementKind};
use super::statements::{Extras, Statements};
use super::words::Words;
use crate::texts::Texts;

/// Writes `conference` as a payload to `out` (after an entry's header, say), a section
/// at a time: at a million statements the payload is hundreds of megabytes, not to be
/// gathered before it is written.
pub fn encode(conference: &Conference, out: &mut dyn Write) -> io::Result<()> {
    let statements = conference.statements();
    let (folds, patches, patch_ends) = statements.words.parts();
    let mut section = |bytes: &[u8]| {
        out.write_all(&(bytes.len() as u64).to_le_bytes())?;
        out.write_all(&checksum(bytes).to_le_bytes())?;
        out.write_all(bytes)
    };
    section(&messagepack(&conference.data)?)?;
    section(statements.ids.bytes().as_bytes())?;
    section(&u32_bytes(statements.ids.ends()))?;
    section(&u32_bytes(&statements.by_id))?;
    section(&u32_bytes(&statements.speakers))?;
    section(&u32_bytes(&statements.sessions))?;
    section(
        &statements
            .kinds
            .iter()
            .map(|&k| kind_byte(k))
            .collect::<Vec<_>>(),
    )?;
    section(folds.bytes().as_bytes())?;
    section(&u32_bytes(folds.ends()))?;
    section(patches)?;
    section(&u32_bytes(patch_ends))?;
    section(&u32_bytes(&statements.sources))?;
    section(&u32_bytes(&statements.source_ends))?;
    section(&messagepack(&statements.extras)?)
}

/// The conference in the `len` bytes `payload` has left, or `None` if they do not hold
/// one: a section cut short or damaged, a column that does not decode, or columns that do
/// not hang together (see [`Statements::checked`]).
pub fn decode(payload: &mut impl Read, len: u64) -> Option<Conference> {
    let mut sections = Sections { payload, left: len };
    let head: Head = rmp_serde::from_slice(&sections.next()?).ok()?;
    let ids = texts(sections.next()?, sections.next()?)?;
    let by_id = u32s(&sections.next()?)?;
    let speakers = u32s(&sections.next()?)?;
    let sessions = u32s(&sections.next()?)?;
    let kinds = sections
        .next()?
        .into_iter()
        .map(byte_kind)
        .collect::<Option<_>>()?;
    let folds = texts(sections.next()?, sections.next()?)?;
    let patches = sections.next()?;
    let words = Words::from_parts(folds, patches, u32s(&sections.next()?)?)?;
    let sources = u32s(&sections.next()?)?;
    let source_ends = u32s(&sections.next()?)?;
    let extras: Vec<(u32, Extras)> = rmp_serde::from_slice(&sections.next()?).ok()?;
    if sections.left != 0 {
        return None;
    }
    let statements = Statements {
        ids,
        by_id,
        speakers,
        sessions,
        kinds,
        words,
        sources,
        source_ends,
        extras,
    }
    .checked(head.speakers.len(), head.sessions.len(), head.sources.len())?;
    Conference::assemble(head, statements)
}

/// The sections of a payload, read one by one.
struct Sections<'a, R> {
    payload: &'a mut R,
    /// Bytes of the payload not yet read: no section may claim more.
    left: u64,
}

impl<R: Read> Sections<'_, R> {
    /// The next section's bytes, or `None` if it runs past the payload or its checksum
    /// does not match (a flipped bit that still decodes could break references).
    fn next(&mut self) -> Option<Vec<u8>> {
        let mut sizes = [0; 16];
        self.payload.read_exact(&mut sizes).ok()?;
        let (len, sum) = sizes.split_at(8);
        let len = u64::from_le_bytes(len.try_into().ok()?);
        let sum = u64::from_le_bytes(sum.try_into().ok()?);
        self.left = self.left.checked_sub(16)?.checked_sub(len)?;
        let mut bytes = vec![0; usize::try_from(len).ok()?];
        self.payload.read_exact(&mut bytes).ok()?;
        (checksum(&bytes) == sum).then_some(bytes)
    }
}

/// `value` in MessagePack, with named fields.
fn messagepack(value: &impl serde::Serialize) -> io::Result<Vec<u8>> {
    rmp_serde::to_vec_named(value).map_err(io::Error::other)
}

fn kind_byte(kind: StatementKind) -> u8 {
    match kind {
        StatementKind::Verbatim => 0,
        StatementKind::Paraphrase => 1,
    }
}

fn byte_kind(byte: u8) -> Option<StatementKind> {
    match byte {
        0 => Some(StatementKind::Verbatim),
        1 => Some(StatementKind::Paraphrase),
        _ => None,
    }
}

fn u32_bytes(numbers: &[u32]) -> Vec<u8> {
    numbers.iter().flat_map(|n| n.to_le_bytes()).collect()
}

fn u32s(bytes: &[u8]) -> Option<Vec<u32>> {
    let words = bytes.chunks_exact(4);
    if !words.remainder().is_empty() {
        return None;
    }
    Some(
        words
            .map(|word| u32::from_le_bytes(word.try_into().unwrap_or_default()))
            .collect(),
    )
}

fn texts(bytes: Vec<u8>, ends_section: Vec<u8>) -> Option<Texts> {
    Texts::from_parts(String::from_utf8(bytes).ok()?, u32s(&ends_section)?)
}

/// A checksum against accidental damage (not an adversary). Four independent lanes of
/// eight bytes each, so the processor overlaps their multiplications: a payload of
/// hundreds of megabytes costs tens of milliseconds.
fn checksum(bytes: &[u8]) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mix = |lane: u64, word: &[u8]| {
        let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
        (lane ^ word).wrapping_mul(PRIME).rotate_left(29)
    };
    let mut blocks = bytes.chunks_exact(32);
    let seed = (bytes.len() as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let mut lanes = [seed, seed ^ 1, seed ^ 2, seed ^ 3];
    for block in &mut blocks {
        for (lane, word) in lanes.iter_mut().zip(block.chunks_exact(8)) {
            *lane = mix(*lane, word);
        }
    }
    let mut tail = [0u8; 32];
    tail[..blocks.remainder().len()].copy_from_slice(blocks.remainder());
    lanes
        .iter()
        .zip(tail.chunks_exact(8))
        .fold(0, |sum, (lane, word)| mix(sum ^ lane, word))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Delivery;

    fn conference() -> Conference {
        let mut data = crate::synthetic::generate(300, 5);
        let statement = &mut data.statements[17];
        statement.tags = vec!["Hợp tác".into()];
        statement.note = Some("A note".into());
        statement.delivery = Delivery::Message {
            read_by: Some("A reader".into()),
        };
        Conference::from_dataset(data, "test").expect("valid")
    }

    fn encoded(conference: &Conference) -> Vec<u8> {
        let mut payload = Vec::new();
        encode(conference, &mut payload).expect("encodes");
        payload
    }

    fn decoded(payload: &[u8]) -> Option<Conference> {
        decode(&mut &payload[..], payload.len() as u64)
    }

    #[test]
    fn a_payload_decodes_to_the_conference_it_encodes() {
        let conference = conference();
        let payload = encoded(&conference);
        let back = decoded(&payload).expect("decodes");
        assert_eq!(back.to_dataset(), conference.to_dataset());
        assert_eq!(back.statement(17).note.as_deref(), Some("A note"));
        assert_eq!(back.item("statement-200"), conference.item("statement-200"));
    }

    #[test]
    fn a_reference_out_of_range_a_cut_or_a_flipped_bit_is_refused() {
        let mut conference = conference();
        conference.statements.speakers[3] = conference.data.speakers.len() as u32;
        assert!(decoded(&encoded(&conference)).is_none());

        let payload = encoded(&self::conference());
        assert!(decoded(&payload[..payload.len() - 1]).is_none());
        let mut longer = payload.clone();
        longer.extend_from_slice(&[0; 16]);
        assert!(decoded(&longer).is_none());
        for at in (0..payload.len()).step_by(997) {
            let mut damaged = payload.clone();
            damaged[at] ^= 0x04;
            assert!(decoded(&damaged).is_none(), "a bit flipped at {at}");
        }
    }

    #[test]
    fn an_order_by_id_out_of_order_is_refused() {
        let mut conference = conference();
        conference.statements.by_id.swap(0, 1);
        assert!(decoded(&encoded(&conference)).is_none());
    }
}
