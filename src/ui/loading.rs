//! The loading screen, drawn while the dataset loads: which file, how big, how long so
//! far, and how to give up. The event is not known yet, so nothing of it is shown.

use std::time::Duration;

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::Theme;
use crate::text::sanitize_line;

/// What the loading screen says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadingView {
    /// The file as the user named it, or the built-in dataset's name.
    pub name: String,
    /// The file's size, when known.
    pub bytes: Option<u64>,
    pub elapsed: Duration,
}

/// How often the loading screen is redrawn; the spinner turns once per tick, so a
/// screen that is alive is seen to be.
pub const LOADING_TICK: Duration = Duration::from_millis(250);

const SPINNER: [char; 4] = ['|', '/', '-', '\\'];

pub fn render(view: &LoadingView, theme: Theme, frame: &mut Frame) {
    let size = view.bytes.map(|bytes| format!(" ({})", megabytes(bytes)));
    let title = format!(
        "Loading {}…{}",
        sanitize_line(&view.name),
        size.unwrap_or_default()
    );
    let ticks = view.elapsed.as_millis() / LOADING_TICK.as_millis();
    let spinner = SPINNER[usize::try_from(ticks % 4).unwrap_or(0)];
    let tenths = view.elapsed.as_millis() / 100;
    let progress = format!("{spinner} {}.{} s", tenths / 10, tenths % 10);
    let lines = vec![
        Line::from(title).style(theme.heading()),
        Line::from(progress),
        Line::from("q, Esc or Ctrl-C to quit").style(theme.dim()),
    ];
    let [area] = Layout::vertical([Constraint::Length(3)])
        .flex(Flex::Center)
        .areas(frame.area());
    frame.render_widget(Paragraph::new(lines).centered(), area);
}

/// A size as people read it: one decimal in megabytes, kilobytes below one megabyte.
fn megabytes(bytes: u64) -> String {
    const MB: u64 = 1_000_000;
    if bytes < MB {
        format!("{} kB", bytes.div_ceil(1_000))
    } else {
        format!("{}.{} MB", bytes / MB, bytes % MB / 100_000)
    }
}
