//! The help overlay, generated from the keymap table so it cannot drift from the keys.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::keymap::{Mode, help_rows};
use crate::state::State;

pub fn render(state: &State, frame: &mut Frame, area: Rect) {
    let theme = state.theme;
    let rows = help_rows(Mode::Normal);
    let key_width = rows
        .iter()
        .map(|(_, keys)| keys.join(" ").chars().count())
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
    lines.push(Line::default());
    lines.push(Line::styled(
        " Mouse: click selects and focuses; the wheel scrolls.",
        theme.dim(),
    ));
    lines.push(Line::styled(" Esc, ? or q closes this help.", theme.dim()));
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let [popup] = Layout::horizontal([Constraint::Max(64)])
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
