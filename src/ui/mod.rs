//! The view: `render` draws the whole screen from the `State`. This file owns the layout
//! (side by side when wide, stacked when narrow, one line when too small); each pane is
//! drawn by its own module.

mod basket;
mod dialog;
mod help;
mod list;
mod loading;
mod search;
mod speaker;
mod statements;
mod status;
mod theme;
mod timeline;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

pub use list::{ListView, Viewport};
pub use loading::{LOADING_TICK, LoadingView, render as render_loading};
pub use theme::Theme;

use crate::state::{Pane, State};

/// Below this size nothing but a "too small" line is drawn.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;
/// From this width on, the three panes stand side by side.
pub const WIDE_WIDTH: u16 = 120;

/// Draws the screen, and records in `viewport` where each pane and row landed (for
/// mouse clicks) and each list's scroll offset (kept between frames).
pub fn render(state: &State, viewport: &mut Viewport, frame: &mut Frame) {
    let area = frame.area();
    viewport.clear_areas();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let line = Line::from(format!(
            "Terminal too small ({}×{}): need {MIN_WIDTH}×{MIN_HEIGHT}",
            area.width, area.height
        ));
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    let [main, status_area] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    if let Some(search) = &state.search {
        search::render(state, search, viewport, frame, main);
    } else {
        for (pane, pane_area) in pane_areas(state, main) {
            draw_pane(state, viewport, frame, pane, pane_area);
        }
    }
    if let Some(selected) = state.basket_view {
        basket::render(state, selected, viewport, frame, main);
    }
    status::render(state, frame, status_area);
    if let Some(dialog) = &state.dialog {
        dialog::render(state, dialog, frame, main);
    }
    if let Some(page) = state.help {
        help::render(state, page, frame, main);
    }
}

/// Where each visible pane goes. Wide: three columns. Narrow: the timeline above, and
/// below it the statements, or the speaker when the speaker pane has focus.
pub fn pane_areas(state: &State, main: Rect) -> Vec<(Pane, Rect)> {
    if main.width >= WIDE_WIDTH {
        let [timeline, statements, speaker] = Layout::horizontal([
            Constraint::Percentage(28),
            Constraint::Percentage(44),
            Constraint::Percentage(28),
        ])
        .areas(main);
        vec![
            (Pane::Timeline, timeline),
            (Pane::Statements, statements),
            (Pane::Speaker, speaker),
        ]
    } else {
        let timeline_rows = u16::try_from(state.timeline.len() + 6).unwrap_or(u16::MAX);
        let [timeline, lower] = Layout::vertical([
            Constraint::Max(timeline_rows.min(main.height * 2 / 5)),
            Constraint::Min(1),
        ])
        .areas(main);
        let lower_pane = if state.focus == Pane::Speaker {
            Pane::Speaker
        } else {
            Pane::Statements
        };
        vec![(Pane::Timeline, timeline), (lower_pane, lower)]
    }
}

fn draw_pane(state: &State, viewport: &mut Viewport, frame: &mut Frame, pane: Pane, area: Rect) {
    let focused = state.focus == pane;
    let position = match state.len(pane) {
        0 => String::new(),
        len => format!(" {}/{len} ", state.selected(pane) + 1),
    };
    let block = Block::bordered()
        .border_style(state.theme.border(focused))
        .title(Line::from(format!(" {} ", pane.title())).style(state.theme.border(focused)))
        .title(Line::from(position).right_aligned().style(Style::new()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    viewport.set_pane_area(pane, area);
    match pane {
        Pane::Timeline => timeline::render(state, viewport, frame, inner),
        Pane::Statements => statements::render(state, viewport, frame, inner),
        Pane::Speaker => speaker::render(state, viewport, frame, inner),
    }
}

/// Draws `lines` in a bordered box titled `title`, `width` wide and as tall as the lines
/// (at most `area`), centred in `area` over whatever is beneath.
pub fn popup(
    frame: &mut Frame,
    area: Rect,
    width: u16,
    title: &str,
    lines: Vec<Line>,
    theme: Theme,
) {
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let [popup] = Layout::horizontal([Constraint::Length(width)])
        .flex(ratatui::layout::Flex::Center)
        .areas(area);
    let [popup] = Layout::vertical([Constraint::Max(height)])
        .flex(ratatui::layout::Flex::Center)
        .areas(popup);
    frame.render_widget(ratatui::widgets::Clear, popup);
    let block = Block::bordered()
        .title(format!(" {title} "))
        .border_style(theme.border(true));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(ratatui::widgets::Wrap { trim: false })
            .block(block),
        popup,
    );
}

/// Wraps `text` to fit `width` columns less `indent`, by display width. Words are never
/// split at their hyphens ("cross-border", "Ctrl-p"): a quote should read as printed.
pub fn wrap(text: &str, width: u16, indent: u16) -> Vec<String> {
    let width = usize::from(width.saturating_sub(indent)).max(1);
    let options =
        textwrap::Options::new(width).word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::wrap(text, options)
        .into_iter()
        .map(std::borrow::Cow::into_owned)
        .collect()
}
