//! Synthetic datasets for benchmarks at archive scale (a UN General Debate-sized corpus
//! has about a million sentence-level statements): many speakers and sessions, 60–200
//! characters of varied vocabulary per statement, some of it Vietnamese with diacritics.
//! Deterministic for a given seed, so benchmark runs compare like with like.

use chrono::{Days, NaiveDate};

use crate::dataset::{
    Dataset, Delivery, Event, Session, Source, Speaker, SpeakerKind, Statement, StatementKind,
};

const WORDS: &[&str] = &[
    "cybercrime",
    "cooperation",
    "convention",
    "security",
    "digital",
    "evidence",
    "borders",
    "human",
    "rights",
    "capacity",
    "building",
    "privacy",
    "justice",
    "sovereignty",
    "trust",
    "implementation",
    "ratification",
    "framework",
    "children",
    "online",
    "fraud",
    "networks",
    "infrastructure",
    "assistance",
    "developing",
    "countries",
    "responsibility",
    "solidarity",
    "technology",
    "innovation",
    "criminal",
    "investigation",
    "extradition",
    "data",
    "protection",
    "multilateral",
    "dialogue",
    "peace",
    "development",
    "sustainable",
    "future",
    "generations",
    "an toàn",
    "không gian mạng",
    "hợp tác",
    "quốc tế",
    "chủ quyền",
    "tội phạm",
    "Đặng",
    "phát triển",
    "bền vững",
    "niềm tin",
    "trách nhiệm",
    "Hà Nội",
    "Thủ tướng",
];

const FIRST_NAMES: &[&str] = &[
    "Maria", "Ahmed", "Nguyễn", "Olga", "Kwame", "Li", "Sofia", "Juan", "Aiko", "Phạm", "Đặng",
    "Fatima", "Lukas", "Amara", "Ivan",
];

const LAST_NAMES: &[&str] = &[
    "Garcia",
    "Haddad",
    "Văn An",
    "Petrova",
    "Mensah",
    "Wei",
    "Rossi",
    "Pérez",
    "Tanaka",
    "Thị Hoa",
    "Minh Tuấn",
    "Al-Sayed",
    "Schmidt",
    "Okafor",
    "Novak",
];

const COUNTRIES: &[&str] = &[
    "Viet Nam", "Ecuador", "Poland", "Cambodia", "Ghana", "Japan", "Germany", "Brazil", "Kenya",
    "Egypt", "Chile", "Norway", "India", "Canada", "Fiji",
];

/// A dataset of `statements` statements spread over about one session per 200 statements
/// and one speaker per 50.
pub fn generate(statements: usize, seed: u64) -> Dataset {
    let mut rng = fastrand::Rng::with_seed(seed);
    let start = NaiveDate::from_ymd_opt(2025, 9, 22).unwrap_or_default();
    let session_count = statements.div_ceil(200).max(1);
    let speaker_count = statements.div_ceil(50).max(1);
    let days = u64::try_from(session_count.div_ceil(20)).unwrap_or(u64::MAX);
    let sessions: Vec<Session> = (0..session_count)
        .map(|i| Session {
            id: format!("session-{i}"),
            title: format!("Plenary meeting {} on {}", i + 1, phrase(&mut rng, 3)),
            date: start + Days::new(u64::try_from(i / 20).unwrap_or(0)),
            time_of_day: Some(if i % 2 == 0 { "morning" } else { "afternoon" }.to_owned()),
            start: None,
            end: None,
            venue: Some("General Assembly Hall".to_owned()),
            chairs: Vec::new(),
            description: None,
            sources: vec!["record".to_owned()],
            duration_minutes: None,
            utc_offset: None,
            speakers: Vec::new(),
            track: None,
            kind: None,
            language: None,
        })
        .collect();
    let speakers: Vec<Speaker> = (0..speaker_count)
        .map(|i| Speaker {
            id: format!("speaker-{i}"),
            name: format!(
                "{} {}",
                pick(&mut rng, FIRST_NAMES),
                pick(&mut rng, LAST_NAMES)
            ),
            native_name: None,
            kind: SpeakerKind::Person,
            role: Some("Head of delegation".to_owned()),
            affiliation: Some(pick(&mut rng, COUNTRIES).to_owned()),
        })
        .collect();
    let statements = (0..statements)
        .map(|i| Statement {
            id: format!("statement-{i}"),
            speaker: format!("speaker-{}", rng.usize(..speaker_count)),
            session: format!("session-{}", i * session_count / statements.max(1)),
            kind: if rng.u8(..4) == 0 {
                StatementKind::Verbatim
            } else {
                StatementKind::Paraphrase
            },
            delivery: Delivery::InPerson,
            text: sentence(&mut rng),
            sources: vec!["record".to_owned()],
            tags: Vec::new(),
            note: None,
        })
        .collect();
    Dataset {
        event: Event {
            name: "Synthetic General Debate".to_owned(),
            short_name: None,
            venue: "General Assembly Hall".to_owned(),
            city: "New York".to_owned(),
            start_date: start,
            end_date: start + Days::new(days),
            description: Some(
                "Generated for benchmarks; not a record of anything said.".to_owned(),
            ),
            time_zone: None,
        },
        sources: vec![Source {
            id: "record".to_owned(),
            file: "synthetic.txt".to_owned(),
            title: "Synthetic record".to_owned(),
            publisher: None,
            url: None,
            published: None,
        }],
        sessions,
        speakers,
        statements,
        disputes: Vec::new(),
    }
}

fn pick<'a>(rng: &mut fastrand::Rng, words: &[&'a str]) -> &'a str {
    words[rng.usize(..words.len())]
}

fn phrase(rng: &mut fastrand::Rng, words: usize) -> String {
    (0..words)
        .map(|_| pick(rng, WORDS))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A sentence of 60 to 200 characters.
fn sentence(rng: &mut fastrand::Rng) -> String {
    let target = rng.usize(60..=200);
    let mut text = String::with_capacity(target + 20);
    while text.chars().count() < target {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(pick(rng, WORDS));
    }
    let cut = text
        .char_indices()
        .nth(target)
        .map_or(text.len(), |(i, _)| i);
    text.truncate(cut);
    let mut text = text.trim_end().to_owned();
    text.push('.');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::validate;

    #[test]
    fn generated_datasets_are_valid_deterministic_and_sized_as_asked() {
        let data = generate(1_000, 7);
        assert_eq!(validate(&data), vec![]);
        assert_eq!(data.statements.len(), 1_000);
        assert!(
            data.statements
                .iter()
                .all(|s| (60..=201).contains(&s.text.chars().count()))
        );
        assert!(
            data.statements
                .iter()
                .any(|s| s.text.contains('ư') || s.text.contains('Đ'))
        );
        assert_eq!(data, generate(1_000, 7));
        assert_ne!(data, generate(1_000, 8));
    }
}
