//! The help overlay, in two pages that each fit an 80×24 terminal whole: the keys,
//! generated from the keymap table so it cannot drift from them, and the search pane's
//! query language, the README's table (a test keeps the two the same).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
use crate::action::Action;
use crate::keymap::{Mode, first_key_in, help_rows, mode_hints};
use crate::state::{HelpPage, State};

const POPUP_WIDTH: u16 = 78;

/// The query language: each kind of term and what it matches, as README.md's table
/// gives them.
const QUERY_TERMS: [(&str, &str); 11] = [
    (
        "word",
        "fuzzy: the letters in order, gaps allowed; an unbroken match ranks first",
    ),
    ("'word, \"a phrase\"", "exactly that text"),
    ("^word, ^\"a phrase\"", "at the start of a field"),
    ("word$, \"a phrase\"$", "at the end of a field"),
    ("^word$", "the whole field"),
    ("!word", "items that do not contain it"),
    (
        "speaker:pham",
        "in the speaker's name (or native name) only",
    ),
    ("session:press", "in the session's title only"),
    (
        "country:ecuador",
        "in the speaker's country or organisation only",
    ),
    ("kind:verbatim, kind:paraphrase", "statements of that kind"),
    (
        "date:2025-10-26, date:2025-10",
        "items of that day (or month)",
    ),
];

/// What the search page says below the table.
const QUERY_NOTES: [&str; 2] = [
    "Terms are separated by spaces and all must match: \
     speaker:guterres 'human rights !ratif",
    "Accents never matter: thu tuong finds Thủ tướng, dang finds Đặng. A capital letter \
     in the text looked for makes the query case-sensitive.",
];

/// How the help is closed, as each page says last.
const CLOSE_NOTE: &str = "Esc, ? or q closes this help.";

/// Actions shown together on one row ("j ↓ / k ↑  move down / move up"), so the whole
/// help fits an 80×24 terminal.
const PAIRS: [(Action, Action); 8] = [
    (Action::MoveDown, Action::MoveUp),
    (Action::Top, Action::Bottom),
    (Action::PageDown, Action::PageUp),
    (Action::HalfPageDown, Action::HalfPageUp),
    (Action::FocusNext, Action::FocusPrev),
    (Action::Copy, Action::CopyAs),
    (Action::BasketAdd, Action::BasketShow),
    (Action::BasketExport, Action::ToggleBookmark),
];

/// The normal-mode rows, paired where `PAIRS` says: (keys, description).
fn rows() -> Vec<(String, String)> {
    let rows = help_rows(Mode::Normal);
    let keys_of = |action: &Action| {
        rows.iter()
            .find(|(a, _)| a == action)
            .map(|(_, keys)| keys.join(" "))
    };
    let mut out = Vec::new();
    for (action, keys) in &rows {
        if PAIRS
            .iter()
            .any(|(first, second)| second == action && keys_of(first).is_some())
        {
            continue;
        }
        let pair = PAIRS
            .iter()
            .find(|(first, _)| first == action)
            .and_then(|(_, second)| Some((second, keys_of(second)?)));
        out.push(match pair {
            Some((second, second_keys)) => (
                format!("{} / {second_keys}", keys.join(" ")),
                format!("{} / {}", action.describe(), second.describe()),
            ),
            None => (keys.join(" "), action.describe().to_owned()),
        });
    }
    out
}

pub fn render(state: &State, page: HelpPage, frame: &mut Frame, area: Rect) {
    let theme = state.theme;
    let width = area.width.min(POPUP_WIDTH);
    let other_page = first_key_in(Mode::Help, &Action::HelpPage).unwrap_or_default();
    let (title, lines) = match page {
        HelpPage::Keys => (
            format!("Keys · {other_page}: search syntax"),
            keys_page(width, theme),
        ),
        HelpPage::Search => (
            format!("Search syntax · {other_page}: keys"),
            search_page(width, theme),
        ),
    };
    super::popup(frame, area, width, &title, lines, theme);
}

fn keys_page(width: u16, theme: Theme) -> Vec<Line<'static>> {
    let rows = rows();
    let notes = [
        format!("Searching: {}.", mode_hints(Mode::Search)),
        format!("Basket: {}.", mode_hints(Mode::Basket)),
        format!("Mouse: click selects, the wheel scrolls. {CLOSE_NOTE}"),
    ];
    let mut lines = table(&rows, width, theme);
    for note in notes {
        lines.extend(note_lines(&note, width, theme));
    }
    lines
}

fn search_page(width: u16, theme: Theme) -> Vec<Line<'static>> {
    let mut lines = table(&QUERY_TERMS, width, theme);
    for note in QUERY_NOTES.into_iter().chain([CLOSE_NOTE]) {
        lines.extend(note_lines(note, width, theme));
    }
    lines
}

/// Two columns, the first as wide as its widest entry; second-column text that does not
/// fit wraps under itself.
fn table(
    rows: &[(impl AsRef<str>, impl AsRef<str>)],
    width: u16,
    theme: Theme,
) -> Vec<Line<'static>> {
    let first_width = (rows.iter())
        .map(|(first, _)| first.as_ref().width())
        .max()
        .unwrap_or(0);
    // One space before each column, two between them, one and the border after.
    let second_width = usize::from(width).saturating_sub(first_width + 6);
    let mut lines = Vec::new();
    for (first, second) in rows {
        let wrapped = super::wrap(
            second.as_ref(),
            u16::try_from(second_width).unwrap_or(u16::MAX),
            0,
        );
        for (index, part) in wrapped.into_iter().enumerate() {
            let first = if index == 0 { first.as_ref() } else { "" };
            lines.push(Line::from(vec![
                Span::styled(format!(" {first:<first_width$}  "), theme.speaker()),
                Span::raw(part),
            ]));
        }
    }
    lines
}

fn note_lines(note: &str, width: u16, theme: Theme) -> Vec<Line<'static>> {
    super::wrap(note, width.saturating_sub(4), 0)
        .into_iter()
        .map(|line| Line::styled(format!(" {line}"), theme.dim()))
        .collect()
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::test_support::{dispatch, explorer_state};
    use crate::ui::Viewport;

    /// README.md's table of the query language, each row's two cells without backticks.
    fn readme_query_table() -> Vec<(String, String)> {
        let readme = include_str!("../../README.md");
        (readme.lines())
            .skip_while(|line| *line != "| term | matches |")
            .skip(2)
            .take_while(|line| line.starts_with('|'))
            .map(|row| {
                let cells: Vec<&str> = row.trim_matches('|').split(" | ").map(str::trim).collect();
                (cells[0].replace('`', ""), cells[1..].join(" | "))
            })
            .collect()
    }

    #[test]
    fn the_search_page_gives_the_readme_query_table() {
        let readme = readme_query_table();
        let help: Vec<(String, String)> = (QUERY_TERMS.iter())
            .map(|&(term, matches)| (term.to_owned(), matches.to_owned()))
            .collect();
        assert_eq!(help, readme);
    }

    /// What an 80×24 terminal shows with the help open, its page turned `page_switches`
    /// times.
    fn screen_at_80x24(page_switches: usize) -> String {
        let mut state = explorer_state();
        dispatch(
            &mut state,
            Action::Resize {
                width: 80,
                height: 24,
            },
        );
        dispatch(&mut state, Action::ToggleHelp);
        for _ in 0..page_switches {
            dispatch(&mut state, Action::HelpPage);
        }
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test terminal");
        let mut viewport = Viewport::default();
        (terminal.draw(|frame| crate::ui::render(&state, &mut viewport, frame))).expect("draw");
        terminal.backend().to_string()
    }

    #[test]
    fn each_page_fits_an_80x24_terminal_whole() {
        let search = screen_at_80x24(1);
        // Each term on a line of its own, with the start of what it matches beside it.
        for (term, matches) in QUERY_TERMS {
            let first_words: String = matches.split(' ').take(2).collect::<Vec<_>>().join(" ");
            assert!(
                (search.lines()).any(|line| line.contains(&format!("│ {term} "))
                    && line.contains(&first_words)),
                "{term} ({first_words}) missing:\n{search}"
            );
        }
        assert!(search.contains("Search syntax · Tab: keys"), "{search}");
        assert!(
            search.contains(CLOSE_NOTE),
            "the last note is cut off:\n{search}"
        );
        let keys = screen_at_80x24(2);
        for (keys_of, describe) in rows() {
            assert!(keys.contains(&describe), "{keys_of} missing:\n{keys}");
        }
        assert!(keys.contains("Tab: search syntax"), "{keys}");
        assert!(
            keys.contains(CLOSE_NOTE),
            "the last note is cut off:\n{keys}"
        );
    }
}
