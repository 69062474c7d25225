//! The help overlay, generated from the keymap table so it cannot drift from the keys.
//! Kept to 23 rows so that it fits an 80×24 terminal whole.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::action::Action;
use crate::keymap::{BINDINGS, Mode, help_rows};
use crate::state::State;

const POPUP_WIDTH: u16 = 78;

/// The search-mode keys in one short line: "Esc back · Enter open · ↓ Ctrl-n ↑ … move · …".
/// Only keys bound in search mode are listed (the global ones are above); the moves share
/// one word so the whole help still fits 80×24.
fn search_keys() -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut moves: Vec<String> = Vec::new();
    for (action, keys) in help_rows(Mode::Search) {
        let search_only = BINDINGS
            .iter()
            .any(|b| b.mode == Some(Mode::Search) && b.action == action);
        if !search_only {
            continue;
        }
        match action {
            Action::MoveUp | Action::MoveDown | Action::PageUp | Action::PageDown => {
                moves.extend(keys)
            }
            _ => parts.push(format!("{} {}", keys.join(" "), action.describe())),
        }
    }
    if !moves.is_empty() {
        parts.insert(2.min(parts.len()), format!("{} move", moves.join(" ")));
    }
    parts.join(" · ")
}

pub fn render(state: &State, frame: &mut Frame, area: Rect) {
    let theme = state.theme;
    let width = area.width.min(POPUP_WIDTH);
    let rows = help_rows(Mode::Normal);
    let key_width = rows
        .iter()
        .map(|(_, keys)| keys.join(" ").width())
        .max()
        .unwrap_or(0);
    let mut lines: Vec<Line> = rows
        .iter()
        .map(|(action, keys)| {
            Line::from(vec![
                Span::styled(
                    format!(" {:<key_width$}  ", keys.join(" ")),
                    theme.speaker(),
                ),
                Span::raw(action.describe()),
            ])
        })
        .collect();
    let notes = [
        format!("Searching: {}.", search_keys()),
        "Mouse: click selects and focuses; the wheel scrolls.".to_owned(),
        "Esc, ? or q closes this help.".to_owned(),
    ];
    for note in notes {
        let wrapped = super::wrap(&note, width.saturating_sub(4), 0);
        lines.extend(
            wrapped
                .into_iter()
                .map(|line| Line::styled(format!(" {line}"), theme.dim())),
        );
    }
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let [popup] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::vertical([Constraint::Max(height)])
        .flex(Flex::Center)
        .areas(popup);
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .title(" Keys ")
        .border_style(theme.border(true));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        popup,
    );
}
