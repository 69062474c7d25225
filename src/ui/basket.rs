//! The quote basket overlay: the collected statements in export order, each as the
//! statements pane shows it, with the basket's keys (read from the keymap) below.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Text};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::list::{Entry, draw};
use super::statements::statement_text;
use super::{Viewport, wrap};
use crate::keymap::{Mode, mode_hints};
use crate::state::State;
use crate::text::sanitize_line;
use crate::update::basket_statements;

pub fn render(
    state: &State,
    selected: usize,
    viewport: &mut Viewport,
    frame: &mut Frame,
    area: Rect,
) {
    let theme = state.theme;
    let count = state.collection.basket.len();
    let block = Block::bordered()
        .border_style(theme.border(true))
        .title(Line::from(" Quote basket ").style(theme.border(true)))
        .title(Line::from(format!(" {count} ")).right_aligned());
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let hints = wrap(&mode_hints(Mode::Basket), inner.width, 1);
    let hint_rows = u16::try_from(hints.len()).unwrap_or(u16::MAX);
    let [list_area, hint_area] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(hint_rows)]).areas(inner);
    let hint_lines: Vec<Line> = hints
        .into_iter()
        .map(|h| Line::styled(format!(" {h}"), theme.dim()))
        .collect();
    frame.render_widget(Paragraph::new(hint_lines), hint_area);
    if count == 0 {
        frame.render_widget(
            Paragraph::new("The basket is empty: select a statement and press a to add it.")
                .wrap(Wrap { trim: true }),
            list_area,
        );
        return;
    }
    let entries = basket_statements(state)
        .into_iter()
        .zip(&state.collection.basket)
        .enumerate()
        .map(|(position, (statement, id))| Entry {
            text: match statement {
                Some(statement) => {
                    statement_text(&state.conference, statement, list_area.width, theme, true)
                }
                None => Text::from(vec![
                    Line::styled(
                        format!(
                            "{} is not in this dataset (left out of exports)",
                            sanitize_line(id)
                        ),
                        theme.dim(),
                    ),
                    Line::default(),
                ]),
            },
            index: Some(position),
        })
        .collect();
    draw(
        frame,
        &mut viewport.basket,
        list_area,
        entries,
        Some(selected),
        true,
        theme,
    );
}
