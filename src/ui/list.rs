//! Scrolling lists of multi-line items, and the record of where they were drawn: a
//! `Viewport` outlives frames (it keeps each list's scroll offset) and answers which pane
//! and item a mouse position falls on.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::Text;
use ratatui::widgets::{List, ListItem, ListState};

use super::Theme;
use crate::state::Pane;

/// One pane's list as last drawn.
#[derive(Debug, Default, Clone)]
pub struct ListView {
    pub state: ListState,
    /// Screen rows of the visible items: (first row, rows, item index).
    pub rows: Vec<(u16, u16, usize)>,
    pub area: Rect,
}

#[derive(Debug, Default, Clone)]
pub struct Viewport {
    pub panes: Vec<(Pane, Rect)>,
    pub timeline: ListView,
    pub statements: ListView,
    pub speaker: ListView,
    pub search: ListView,
}

impl Viewport {
    pub fn clear_areas(&mut self) {
        self.panes.clear();
        for list in [
            &mut self.timeline,
            &mut self.statements,
            &mut self.speaker,
            &mut self.search,
        ] {
            list.rows.clear();
            list.area = Rect::default();
        }
    }

    pub fn set_pane_area(&mut self, pane: Pane, area: Rect) {
        self.panes.push((pane, area));
    }

    pub fn list_mut(&mut self, pane: Pane) -> &mut ListView {
        match pane {
            Pane::Timeline => &mut self.timeline,
            Pane::Statements => &mut self.statements,
            Pane::Speaker => &mut self.speaker,
        }
    }

    fn list(&self, pane: Pane) -> &ListView {
        match pane {
            Pane::Timeline => &self.timeline,
            Pane::Statements => &self.statements,
            Pane::Speaker => &self.speaker,
        }
    }

    /// The pane under a screen position, and the item there if any.
    pub fn hit(&self, column: u16, row: u16) -> Option<(Pane, Option<usize>)> {
        let point = Position::new(column, row);
        let &(pane, _) = self.panes.iter().find(|(_, area)| area.contains(point))?;
        let list = self.list(pane);
        let index = list
            .area
            .contains(point)
            .then(|| {
                list.rows
                    .iter()
                    .find(|&&(top, height, _)| row >= top && row < top + height)
                    .map(|&(_, _, index)| index)
            })
            .flatten();
        Some((pane, index))
    }
}

/// An item of a list: its text, and the selection index it stands for (`None` for
/// headings that cannot be selected).
pub struct Entry<'a> {
    pub text: Text<'a>,
    pub index: Option<usize>,
}

/// Draws `entries` in `area` with the entry for `selected` highlighted and scrolled into
/// view, and records the rows each visible entry took.
pub fn draw(
    frame: &mut Frame,
    view: &mut ListView,
    area: Rect,
    entries: Vec<Entry<'_>>,
    selected: Option<usize>,
    focused: bool,
    theme: Theme,
) {
    let row_of_selected = selected.and_then(|s| entries.iter().position(|e| e.index == Some(s)));
    let heights: Vec<(u16, Option<usize>)> = entries
        .iter()
        .map(|e| (u16::try_from(e.text.height()).unwrap_or(u16::MAX), e.index))
        .collect();
    let items: Vec<ListItem> = entries.into_iter().map(|e| ListItem::new(e.text)).collect();
    let list = List::new(items).highlight_style(theme.selected(focused));
    view.state.select(row_of_selected);
    // Headings above the first item stay visible when the list is scrolled to the top.
    if row_of_selected.is_some_and(|row| row <= view.state.offset())
        && heights
            .iter()
            .take(row_of_selected.unwrap_or(0))
            .all(|(_, i)| i.is_none())
    {
        *view.state.offset_mut() = 0;
    }
    frame.render_stateful_widget(list, area, &mut view.state);
    view.area = area;
    let mut top = area.y;
    for &(height, index) in heights.iter().skip(view.state.offset()) {
        if top >= area.bottom() {
            break;
        }
        if let Some(index) = index {
            view.rows
                .push((top, height.min(area.bottom() - top), index));
        }
        top = top.saturating_add(height);
    }
}
