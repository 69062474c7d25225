//! The help overlay, generated from the keymap table so it cannot drift from the keys.
//! Kept to 23 rows so that it fits an 80×24 terminal whole.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::action::Action;
use crate::keymap::{Mode, help_rows, mode_hints};
use crate::state::State;

const POPUP_WIDTH: u16 = 78;

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
    for note in notes {
        let wrapped = super::wrap(&note, width.saturating_sub(4), 0);
        lines.extend(
            wrapped
                .into_iter()
                .map(|line| Line::styled(format!(" {line}"), theme.dim())),
        );
    }
    super::popup(frame, area, width, "Keys", lines, theme);
}
