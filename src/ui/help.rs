//! The help overlay, generated from the keymap table so it cannot drift from the keys.
//! The keys are kept to 23 rows so that they fit an 80×24 terminal whole; the query
//! language follows where there is room.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::action::Action;
use crate::keymap::{Mode, help_rows, mode_hints};
use crate::state::State;

const POPUP_WIDTH: u16 = 78;

/// The query language, as the README's table gives it.
const QUERY_NOTE: &str = "Query: terms separated by spaces, all must match. word fuzzy (its \
    letters in order) · 'word or \"a phrase\" exactly · ^word at the start · word$ at the \
    end · !word not · in one field: speaker:pham session:press country:ecuador · \
    kind:verbatim or kind:paraphrase · date:2025-10-26 or date:2025-10. Accents never \
    matter; a capital letter makes the query case-sensitive.";

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

pub fn render(state: &State, frame: &mut Frame, area: Rect) {
    let theme = state.theme;
    let width = area.width.min(POPUP_WIDTH);
    let rows = rows();
    let key_width = rows.iter().map(|(keys, _)| keys.width()).max().unwrap_or(0);
    let mut lines: Vec<Line> = rows
        .iter()
        .map(|(keys, describe)| {
            Line::from(vec![
                Span::styled(format!(" {keys:<key_width$}  "), theme.speaker()),
                Span::raw(describe.clone()),
            ])
        })
        .collect();
    let notes = [
        format!("Searching: {}.", mode_hints(Mode::Search)),
        format!("Basket: {}.", mode_hints(Mode::Basket)),
        "Mouse: click selects, the wheel scrolls. Esc, ? or q closes this help.".to_owned(),
    ];
    let note_lines = |note: &str| -> Vec<Line<'static>> {
        super::wrap(note, width.saturating_sub(4), 0)
            .into_iter()
            .map(|line| Line::styled(format!(" {line}"), theme.dim()))
            .collect()
    };
    for note in notes {
        lines.extend(note_lines(&note));
    }
    // The query language, where the terminal has room for it (an 80×24 one has none; the
    // search pane shows it in short while the query is empty).
    let query = note_lines(QUERY_NOTE);
    if lines.len() + query.len() + 2 <= usize::from(area.height) {
        lines.extend(query);
    }
    super::popup(frame, area, width, "Keys", lines, theme);
}
