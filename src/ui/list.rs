//! Scrolling lists of multi-line items, and the record of where they were drawn: a
//! `Viewport` outlives frames (it keeps each list's scroll offset) and answers which pane
//! and item a mouse position falls on.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::Text;
use ratatui::widgets::Paragraph;

use super::Theme;
use crate::state::Pane;

/// One pane's list as last drawn.
#[derive(Debug, Default, Clone)]
pub struct ListView {
    /// The first entry drawn; kept between frames so the view scrolls only when the
    /// selection would leave it.
    pub offset: usize,
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
    pub basket: ListView,
}

impl Viewport {
    pub fn clear_areas(&mut self) {
        self.panes.clear();
        for list in [
            &mut self.timeline,
            &mut self.statements,
            &mut self.speaker,
            &mut self.search,
            &mut self.basket,
        ] {
            list.rows.clear();
            list.area = Rect::default();
        }
    }

    pub fn set_pane_area(&mut self, pane: Pane, area: Rect) {
        self.panes.push((pane, area));
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
/// view, and records the rows each visible entry took. Unlike ratatui's `List`, the last
/// entry is drawn in part when it does not fit whole, so a tall statement below the
/// selection never leaves the pane blank.
pub fn draw(
    frame: &mut Frame,
    view: &mut ListView,
    area: Rect,
    entries: Vec<Entry<'_>>,
    selected: Option<usize>,
    focused: bool,
    theme: Theme,
) {
    view.area = area;
    if entries.is_empty() || area.is_empty() {
        view.offset = 0;
        return;
    }
    let heights: Vec<usize> = entries.iter().map(|e| e.text.height()).collect();
    let selected_row = selected.and_then(|s| entries.iter().position(|e| e.index == Some(s)));
    view.offset = scroll(
        view.offset,
        &heights,
        selected_row,
        usize::from(area.height),
    );
    let highlight = theme.selected(focused);
    let mut top = area.y;
    for (row, entry) in entries.into_iter().enumerate().skip(view.offset) {
        if top >= area.bottom() {
            break;
        }
        let first = top;
        let style = if Some(row) == selected_row {
            highlight
        } else {
            Style::new()
        };
        for line in entry.text.lines {
            if top >= area.bottom() {
                break;
            }
            let line_area = Rect::new(area.x, top, area.width, 1);
            frame.render_widget(Paragraph::new(line).style(style), line_area);
            top += 1;
        }
        if let Some(index) = entry.index {
            view.rows.push((first, top - first, index));
        }
    }
}

/// The first entry to draw so that the selected one is in view: the old offset if it
/// still is, else the least change that brings it in; and the top of the list whenever
/// everything down to the selection fits, so day headings are not left scrolled away.
fn scroll(offset: usize, heights: &[usize], selected: Option<usize>, rows: usize) -> usize {
    let Some(selected) = selected else {
        return offset.min(heights.len().saturating_sub(1));
    };
    let mut offset = offset.min(selected);
    // Scroll down until the selected entry fits, or is at the top if it cannot.
    while offset < selected && heights[offset..=selected].iter().sum::<usize>() > rows {
        offset += 1;
    }
    if offset == selected && heights[..selected].iter().sum::<usize>() + heights[selected] <= rows {
        offset = 0;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::scroll;

    #[test]
    fn the_offset_holds_while_the_selection_is_in_view() {
        let heights = [3, 3, 3, 3, 3];
        assert_eq!(scroll(0, &heights, Some(1), 7), 0);
        assert_eq!(scroll(1, &heights, Some(2), 7), 1);
    }

    #[test]
    fn moving_below_the_view_scrolls_just_enough() {
        let heights = [3, 3, 3, 3, 3];
        assert_eq!(scroll(0, &heights, Some(2), 7), 1);
        assert_eq!(scroll(0, &heights, Some(4), 7), 3);
    }

    #[test]
    fn moving_above_the_view_puts_the_selection_on_top() {
        assert_eq!(scroll(3, &[3, 3, 3, 3, 3], Some(2), 7), 2);
        // Once everything above fits too, the view returns to the top.
        assert_eq!(scroll(3, &[3, 3, 3, 3, 3], Some(1), 7), 0);
    }

    #[test]
    fn an_entry_taller_than_the_view_is_shown_from_its_top() {
        assert_eq!(scroll(0, &[2, 20, 2], Some(1), 5), 1);
    }

    #[test]
    fn headings_above_the_first_item_come_back_at_the_top() {
        assert_eq!(scroll(1, &[1, 2, 2], Some(1), 10), 0);
    }
}
