//! The status bar: which pane has focus and where in it, a transient message, and key
//! hints taken from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::action::Action;
use crate::keymap::{Mode, first_key_in};
use crate::state::State;
use crate::text::sanitize_line;

/// The actions hinted at, with the short word the hint uses.
const HINTS: &[(Action, &str)] = &[
    (Action::ToggleHelp, "help"),
    (Action::Quit, "quit"),
    (Action::FocusNext, "pane"),
    (Action::Enter, "open"),
    (Action::Back, "back"),
    (Action::JumpToSpeaker, "speaker"),
    (Action::Copy, "copy"),
    (Action::BasketAdd, "basket"),
];

/// The hints while the search pane has the keys.
const SEARCH_HINTS: &[(Action, &str)] = &[
    (Action::SearchOpen, "open"),
    (Action::CloseSearch, "back"),
    (Action::MoveDown, "next"),
    (Action::MoveUp, "previous"),
    (Action::SearchClear, "clear"),
    (Action::Copy, "copy"),
];

pub fn render(state: &State, frame: &mut Frame, area: Rect) {
    let theme = state.theme;
    let (title, len, selected) = match &state.search {
        Some(search) => ("Search", search.hits.len(), search.selected),
        None => (
            state.focus.title(),
            state.len(state.focus),
            state.selected(state.focus),
        ),
    };
    let position = if len == 0 {
        "0/0".to_owned()
    } else {
        format!("{}/{len}", selected + 1)
    };
    let mut spans = vec![Span::styled(
        format!(" {title} {position} "),
        theme.status(),
    )];
    // The basket's size stays in view while quotes are collected.
    let basket = state.collection.basket.len();
    if basket > 0 {
        spans.push(Span::styled(format!(" basket {basket} "), theme.heading()));
    }
    let used = spans.iter().map(Span::width).sum::<usize>();
    match &state.status {
        Some(message) => spans.push(Span::styled(
            format!(" {}", sanitize_line(message)),
            theme.message(),
        )),
        None => {
            let mut width = used;
            let (mode, hints) = if state.searching() {
                (Mode::Search, SEARCH_HINTS)
            } else {
                (Mode::Normal, HINTS)
            };
            for (action, word) in hints {
                let Some(key) = first_key_in(mode, action) else {
                    continue;
                };
                let hint = format!("  {key} {word}");
                width += hint.chars().count();
                if width > usize::from(area.width) {
                    break;
                }
                spans.push(Span::styled(hint, theme.dim()));
            }
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
