//! The search query language, parsed into terms every item must satisfy:
//!
//! | syntax | meaning |
//! | --- | --- |
//! | `word` | fuzzy match |
//! | `'word` or `"two words"` | exact substring |
//! | `^word` (or `^"two words"`) | at the start of a field |
//! | `word$` (or `"two words"$`) | at the end of a field |
//! | `^word$` | the whole field |
//! | `!word` | must not occur (exact) |
//! | `speaker:` `session:` `country:` | the term applies to that field only |
//! | `kind:verbatim` / `kind:paraphrase` | statements of that kind |
//! | `date:2025-10-26` (or `date:2025-10`) | items on that date |
//!
//! Matching ignores diacritics always, and case unless the query has a capital letter
//! (smart case).

use std::fmt;

use crate::dataset::StatementKind;

/// The fields a term can be limited to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Speaker,
    Session,
    Country,
}

/// How a term's text must occur.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    Fuzzy,
    Substring,
    Prefix,
    Suffix,
    /// `^word$`: the whole field.
    Whole,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// Text to find, folded like the items (diacritics removed; lowercased unless the
    /// query is case-sensitive).
    Text {
        text: String,
        how: Match,
        field: Option<Field>,
        negated: bool,
    },
    Kind {
        kind: StatementKind,
        negated: bool,
    },
    /// A date or the start of one ("2025-10").
    Date {
        prefix: String,
        negated: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    pub terms: Vec<Term>,
    /// Smart case: the query has a capital letter.
    pub case_sensitive: bool,
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The text of the query's only text term, if it is fuzzy and looked for anywhere
    /// (not excluded, not limited to a field): the queries whose letters typed at the end
    /// carry each match's reach (see the search worker).
    pub fn lone_fuzzy_text(&self) -> Option<&str> {
        let mut texts = (self.terms.iter()).filter(|t| matches!(t, Term::Text { .. }));
        match (texts.next(), texts.next()) {
            (
                Some(Term::Text {
                    text,
                    how: Match::Fuzzy,
                    field: None,
                    negated: false,
                }),
                None,
            ) => Some(text),
            _ => None,
        }
    }
}

/// Why a query could not be understood, with the char position of the offending term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryError {
    UnknownField { name: String, position: usize },
    MissingValue { field: String, position: usize },
    BadKind { value: String, position: usize },
    BadDate { value: String, position: usize },
    UnclosedQuote { position: usize },
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::UnknownField { name, position } => {
                let names = Filter::NAMED.map(|(known, _)| format!("{known}:"));
                write!(
                    f,
                    "unknown field \"{name}:\" at {}; fields are {} (write '{name}: to search the text)",
                    position + 1,
                    names.join(", "),
                )
            }
            QueryError::MissingValue { field, position } => {
                write!(f, "\"{field}:\" at {} needs a value", position + 1)
            }
            QueryError::BadKind { value, position } => write!(
                f,
                "kind:{value} at {}: kind is verbatim or paraphrase",
                position + 1
            ),
            QueryError::BadDate { value, position } => write!(
                f,
                "date:{value} at {}: write a date as 2025-10-26 (or 2025-10)",
                position + 1
            ),
            QueryError::UnclosedQuote { position } => {
                write!(f, "the quote opened at {} is not closed", position + 1)
            }
        }
    }
}

/// Parses a query; an empty or blank query has no terms. The search is case-sensitive
/// when the text looked for has a capital (smart case); a field's name or a `kind:`
/// value written with one does not count. A term whose text is empty once folded (`'`
/// alone, a lone combining mark) is left out: it would match, or exclude, everything.
pub fn parse(input: &str) -> Result<Query, QueryError> {
    let mut terms = Vec::new();
    for (position, token) in tokens(input)? {
        terms.push(term(position, &token)?);
    }
    let case_sensitive = terms.iter().any(|term| match term {
        Term::Text { text, .. } => text.chars().any(char::is_uppercase),
        Term::Kind { .. } | Term::Date { .. } => false,
    });
    for term in &mut terms {
        if let Term::Text { text, .. } = term {
            let folded = crate::text::Folded::new(text);
            *text = match case_sensitive {
                true => folded.marks_removed,
                false => folded.lower,
            };
        }
    }
    terms.retain(|term| !matches!(term, Term::Text { text, .. } if text.is_empty()));
    Ok(Query {
        terms,
        case_sensitive,
    })
}

/// Splits on white space, keeping "quoted phrases" whole; yields (char position, token).
fn tokens(input: &str) -> Result<Vec<(usize, String)>, QueryError> {
    let mut tokens = Vec::new();
    let mut chars = input.chars().enumerate().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut token = String::new();
        let mut quote_open: Option<usize> = None;
        while let Some(&(at, c)) = chars.peek() {
            if c.is_whitespace() && quote_open.is_none() {
                break;
            }
            if c == '"' {
                quote_open = if quote_open.is_some() { None } else { Some(at) };
            }
            token.push(c);
            chars.next();
        }
        if let Some(position) = quote_open {
            return Err(QueryError::UnclosedQuote { position });
        }
        tokens.push((start, token));
    }
    Ok(tokens)
}

/// One token's term, its text as written (folded by [`parse`]).
fn term(position: usize, token: &str) -> Result<Term, QueryError> {
    let (negated, rest) = match token.strip_prefix('!') {
        Some(rest) if !rest.is_empty() => (true, rest),
        _ => (false, token),
    };
    let (field, value) = split_field(position, rest)?;
    // `speaker:!pham` is `!speaker:pham`, as one would read it.
    let (negated, value) = match value.strip_prefix('!') {
        Some(rest) if field.is_some() && !negated && !rest.is_empty() => (true, rest),
        _ => (negated, value),
    };
    match field {
        Some(Filter::Kind) => {
            let kind = match value.to_lowercase().as_str() {
                "verbatim" | "quote" => StatementKind::Verbatim,
                "paraphrase" => StatementKind::Paraphrase,
                _ => {
                    return Err(QueryError::BadKind {
                        value: value.to_owned(),
                        position,
                    });
                }
            };
            Ok(Term::Kind { kind, negated })
        }
        Some(Filter::Date) => {
            if !is_date_prefix(value) {
                return Err(QueryError::BadDate {
                    value: value.to_owned(),
                    position,
                });
            }
            Ok(Term::Date {
                prefix: value.to_owned(),
                negated,
            })
        }
        Some(Filter::Text(_)) | None => {
            let field = match field {
                Some(Filter::Text(field)) => Some(field),
                _ => None,
            };
            let (how, text) = text_match(value, negated);
            Ok(Term::Text {
                text: text.to_owned(),
                how,
                field,
                negated,
            })
        }
    }
}

/// Whether `value` is a year, a month or a day as `date:` takes them: 2025, 2025-10 or
/// 2025-10-26 (a part such as `2025-1` would match months 10 to 12 as a prefix).
fn is_date_prefix(value: &str) -> bool {
    let number = |part: &str, most: u32| {
        part.len() == 2
            && part.bytes().all(|b| b.is_ascii_digit())
            && part.parse::<u32>().is_ok_and(|n| (1..=most).contains(&n))
    };
    let mut parts = value.split('-');
    let year = parts.next().unwrap_or_default();
    let year_valid = year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit());
    let month_valid = parts.next().is_none_or(|month| number(month, 12));
    let day_valid = parts.next().is_none_or(|day| number(day, 31));
    year_valid && month_valid && day_valid && parts.next().is_none()
}

/// What a term's `name:` limits it to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Filter {
    /// Its text, looked for in that field only.
    Text(Field),
    /// Statements of a kind.
    Kind,
    /// Items on a date.
    Date,
}

impl Filter {
    /// Every filter, by the name a query gives it, in the order help lists them.
    const NAMED: [(&'static str, Filter); 5] = [
        ("speaker", Filter::Text(Field::Speaker)),
        ("session", Filter::Text(Field::Session)),
        ("country", Filter::Text(Field::Country)),
        ("kind", Filter::Kind),
        ("date", Filter::Date),
    ];

    fn named(name: &str) -> Option<Filter> {
        (Self::NAMED.iter()).find_map(|&(known, filter)| (known == name).then_some(filter))
    }
}

/// `name:value` when `name` is a plain word; anything else is text (so "14:00" is text).
/// A plain word that names no filter is an error, with or without a value.
fn split_field(position: usize, token: &str) -> Result<(Option<Filter>, &str), QueryError> {
    match token.split_once(':') {
        Some((name, value))
            if !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphabetic())
                && !token.starts_with('\'') =>
        {
            let name = name.to_ascii_lowercase();
            let Some(filter) = Filter::named(&name) else {
                return Err(QueryError::UnknownField { name, position });
            };
            if value.is_empty() {
                return Err(QueryError::MissingValue {
                    field: name,
                    position,
                });
            }
            Ok((Some(filter), value))
        }
        _ => Ok((None, token)),
    }
}

/// The kind of match a term's text asks for, and the text without its markers. A
/// negated term is matched exactly, as in fzf: excluding fuzzy matches would exclude
/// almost everything.
fn text_match(value: &str, negated: bool) -> (Match, &str) {
    if let Some(exact) = value.strip_prefix('\'') {
        return (Match::Substring, exact);
    }
    let (prefix, value) = match value.strip_prefix('^') {
        Some(rest) if !rest.is_empty() => (true, rest),
        _ => (false, value),
    };
    let (suffix, value) = match value.strip_suffix('$') {
        Some(rest) if !rest.is_empty() => (true, rest),
        _ => (false, value),
    };
    let phrase = value.strip_prefix('"').and_then(|v| v.strip_suffix('"'));
    let how = match (prefix, suffix) {
        (true, true) => Match::Whole,
        (true, false) => Match::Prefix,
        (false, true) => Match::Suffix,
        (false, false) if negated || phrase.is_some() => Match::Substring,
        (false, false) => Match::Fuzzy,
    };
    (how, phrase.unwrap_or(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(text: &str, how: Match, field: Option<Field>, negated: bool) -> Term {
        Term::Text {
            text: text.into(),
            how,
            field,
            negated,
        }
    }

    #[test]
    fn each_operator_parses() {
        let query =
            parse("cyber 'exact ^pre suf$ ^whole$ !not \"two words\" ^\"a b\"$").expect("valid");
        assert_eq!(
            query.terms,
            vec![
                text("cyber", Match::Fuzzy, None, false),
                text("exact", Match::Substring, None, false),
                text("pre", Match::Prefix, None, false),
                text("suf", Match::Suffix, None, false),
                text("whole", Match::Whole, None, false),
                text("not", Match::Substring, None, true),
                text("two words", Match::Substring, None, false),
                text("a b", Match::Whole, None, false),
            ]
        );
        assert!(!query.case_sensitive);
    }

    #[test]
    fn each_field_parses() {
        let query = parse("speaker:pham session:^press country:viet kind:verbatim date:2025-10-26 !kind:paraphrase date:2025-10")
            .expect("valid");
        assert_eq!(
            query.terms,
            vec![
                text("pham", Match::Fuzzy, Some(Field::Speaker), false),
                text("press", Match::Prefix, Some(Field::Session), false),
                text("viet", Match::Fuzzy, Some(Field::Country), false),
                Term::Kind {
                    kind: StatementKind::Verbatim,
                    negated: false
                },
                Term::Date {
                    prefix: "2025-10-26".into(),
                    negated: false
                },
                Term::Kind {
                    kind: StatementKind::Paraphrase,
                    negated: true
                },
                Term::Date {
                    prefix: "2025-10".into(),
                    negated: false
                },
            ]
        );
    }

    #[test]
    fn smart_case_and_diacritics() {
        let query = parse("Thủ tướng").expect("valid");
        assert!(query.case_sensitive);
        assert_eq!(query.terms[0], text("Thu", Match::Fuzzy, None, false));
        let query = parse("đặng").expect("valid");
        assert!(!query.case_sensitive);
        assert_eq!(query.terms[0], text("dang", Match::Fuzzy, None, false));
    }

    #[test]
    fn a_negation_may_follow_the_field_name() {
        assert_eq!(
            parse("speaker:!pham").expect("valid").terms,
            vec![text("pham", Match::Substring, Some(Field::Speaker), true)]
        );
        assert_eq!(
            parse("kind:!verbatim").expect("valid").terms,
            vec![Term::Kind {
                kind: StatementKind::Verbatim,
                negated: true
            }]
        );
        assert_eq!(parse("date:2025").expect("valid").terms.len(), 1);
    }

    /// Only the text looked for decides the case: not a field's name, a `kind:` or a
    /// `date:` written with a capital.
    #[test]
    fn smart_case_looks_at_the_text_only() {
        for input in [
            "Speaker:pham",
            "kind:Verbatim cyber",
            "Date:2025-10-26 cyber",
        ] {
            let query = parse(input).expect("valid");
            assert!(!query.case_sensitive, "{input}");
        }
        assert_eq!(
            parse("Speaker:pham").expect("valid").terms,
            vec![text("pham", Match::Fuzzy, Some(Field::Speaker), false)]
        );
        assert!(parse("speaker:Pham").expect("valid").case_sensitive);
        assert!(parse("cyber !Pham").expect("valid").case_sensitive);
    }

    /// A term with nothing to look for would match (or exclude) everything: the first key
    /// of `'word` must not flash every item.
    #[test]
    fn terms_with_empty_text_are_left_out() {
        for input in [
            "'",
            "!'",
            "\"\"",
            "!\"\"",
            "\"\"$",
            "speaker:'",
            "speaker:\"\"",
            "\u{301}",
        ] {
            assert!(parse(input).expect("valid").is_empty(), "{input:?}");
        }
        assert_eq!(
            parse("' cyber").expect("valid").terms,
            vec![text("cyber", Match::Fuzzy, None, false)]
        );
    }

    #[test]
    fn errors_name_the_term_and_its_position() {
        assert_eq!(
            parse("cyber topic:x"),
            Err(QueryError::UnknownField {
                name: "topic".into(),
                position: 6
            })
        );
        assert_eq!(
            parse("kind:maybe"),
            Err(QueryError::BadKind {
                value: "maybe".into(),
                position: 0
            })
        );
        assert_eq!(
            parse("date:26/10"),
            Err(QueryError::BadDate {
                value: "26/10".into(),
                position: 0
            })
        );
        for bad in [
            "2025-1",
            "2025-10-2",
            "2025-13",
            "2025-10-32",
            "2025-10-26-1",
            "202",
        ] {
            assert_eq!(
                parse(&format!("date:{bad}")),
                Err(QueryError::BadDate {
                    value: bad.into(),
                    position: 0
                }),
                "{bad}"
            );
        }
        assert_eq!(
            parse("speaker:"),
            Err(QueryError::MissingValue {
                field: "speaker".into(),
                position: 0
            })
        );
        assert_eq!(
            parse("a \"open"),
            Err(QueryError::UnclosedQuote { position: 2 })
        );
        assert_eq!(
            parse("note:"),
            Err(QueryError::UnknownField {
                name: "note".into(),
                position: 0
            })
        );
        let message = parse("topic:x").expect_err("unknown").to_string();
        assert_eq!(
            message,
            "unknown field \"topic:\" at 1; fields are speaker:, session:, country:, kind:, date: (write 'topic: to search the text)"
        );
    }

    #[test]
    fn times_and_quoted_colons_are_text() {
        assert_eq!(
            parse("14:00").expect("valid").terms,
            vec![text("14:00", Match::Fuzzy, None, false)]
        );
        assert_eq!(
            parse("'note:").expect("valid").terms,
            vec![text("note:", Match::Substring, None, false)]
        );
    }

    #[test]
    fn lone_markers_are_text_and_blank_is_empty() {
        assert!(parse("   ").expect("valid").is_empty());
        assert_eq!(
            parse("!").expect("valid").terms,
            vec![text("!", Match::Fuzzy, None, false)]
        );
        assert_eq!(
            parse("^").expect("valid").terms,
            vec![text("^", Match::Fuzzy, None, false)]
        );
    }
}
