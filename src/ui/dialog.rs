//! The quote dialogs drawn over the screen: a format chooser, the export path being typed,
//! or the overwrite question, each with its keys (read from the keymap) below.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::wrap;
use crate::dialog::Dialog;
use crate::keymap::mode_hints;
use crate::state::State;
use crate::text::sanitize_line;

const WIDTH: u16 = 64;

pub fn render(state: &State, dialog: &Dialog, frame: &mut Frame, area: Rect) {
    let theme = state.theme;
    let width = area.width.min(WIDTH);
    let inner_width = width.saturating_sub(2);
    let mut lines: Vec<Line> = Vec::new();
    let (choices, selected) = dialog.choices();
    for (i, choice) in choices.iter().enumerate() {
        let line = format!(" {} {choice}", if i == selected { "▸" } else { " " });
        lines.push(if i == selected {
            Line::styled(line, theme.selected(true))
        } else {
            Line::from(line)
        });
    }
    match dialog {
        Dialog::CopyFormat { .. } | Dialog::ExportFormat { .. } => {}
        Dialog::ExportPath { path, .. } => {
            // The cursor takes a column after the path: wrapped as if part of it.
            let parts = wrap(&format!("{}▏", sanitize_line(path)), inner_width, 3);
            for (i, part) in parts.into_iter().enumerate() {
                let lead = if i == 0 { " > " } else { "   " };
                lines.push(Line::from(vec![
                    Span::styled(lead, theme.heading()),
                    Span::raw(part),
                ]));
            }
        }
        Dialog::Overwrite { path, .. } => {
            let question = format!("{} exists. Replace it?", path.display());
            for part in wrap(&sanitize_line(&question), inner_width, 1) {
                lines.push(Line::from(format!(" {part}")));
            }
        }
    }
    lines.push(Line::default());
    for part in wrap(&mode_hints(dialog.mode()), inner_width, 1) {
        lines.push(Line::styled(format!(" {part}"), theme.dim()));
    }
    super::popup(frame, area, width, dialog.title(), lines, theme);
}
