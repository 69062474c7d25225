//! Speaker detail: who they are, the sessions a schedule lists them in, and every statement
//! of theirs across sessions.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Paragraph, Wrap};

use super::list::{Entry, draw};
use super::statements::{marked, statement_text};
use super::timeline::{session_lines, when_and_where};
use super::{Viewport, wrap};
use crate::dataset::SpeakerKind;
use crate::state::{Pane, State};
use crate::text::sanitize_line;

/// The rows the statement list keeps below the header, at the least.
const LIST_ROWS_KEPT: u16 = 3;

pub fn render(state: &State, viewport: &mut Viewport, frame: &mut Frame, area: Rect) {
    let Some(index) = state.speaker else {
        frame.render_widget(Paragraph::new("No speaker selected."), area);
        return;
    };
    let theme = state.theme;
    let speaker = &state.conference.data.speakers[index];
    // Wrapped here rather than by the paragraph, so that the header's height is known.
    let wrapped = |text: &str, style: Style| {
        wrap(&sanitize_line(text), area.width, 0)
            .into_iter()
            .map(move |line| Line::styled(line, style))
    };
    let mut lines: Vec<Line> = wrapped(&speaker.name, theme.speaker()).collect();
    let details = [&speaker.native_name, &speaker.role, &speaker.affiliation];
    for value in details.into_iter().flatten() {
        lines.extend(wrapped(value, Style::new()));
    }
    let kind = match speaker.kind {
        SpeakerKind::Person => None,
        SpeakerKind::Role => Some("an office-holder the sources do not name"),
        SpeakerKind::Delegation => Some("a delegation"),
        SpeakerKind::Group => Some("several speakers reported together"),
    };
    if let Some(kind) = kind {
        lines.extend(wrapped(kind, theme.dim()));
    }
    // A schedule lists who presents each session; show where this speaker is on it.
    let sessions = state.conference.sessions_of_speaker(index);
    if !sessions.is_empty() {
        lines.push(Line::styled("Sessions", theme.heading()));
    }
    for &session in sessions {
        let session = &state.conference.data.sessions[session];
        let meta = format!(
            "{} {}",
            session.date.format("%a %-d %b"),
            when_and_where(session)
        );
        lines.extend(session_lines(session, &meta, area.width, state));
    }
    let statements = state.speaker_statements();
    lines.push(Line::from(vec![Span::styled(
        format!(
            "{} statement{}",
            statements.len(),
            if statements.len() == 1 { "" } else { "s" }
        ),
        theme.heading(),
    )]));
    let header = Text::from(lines);
    // The statements keep a few rows whatever the header holds: the selected one is what
    // `y`, `a` and Enter act on, so it must be in view.
    let header_rows = u16::try_from(header.height())
        .unwrap_or(u16::MAX)
        .min(area.height.saturating_sub(LIST_ROWS_KEPT));
    let [header_area, list_area] =
        Layout::vertical([Constraint::Length(header_rows), Constraint::Min(0)]).areas(area);
    frame.render_widget(
        Paragraph::new(header).wrap(Wrap { trim: false }),
        header_area,
    );
    let entries = statements
        .iter()
        .enumerate()
        .map(|(position, &statement)| Entry {
            text: marked(
                state,
                statement,
                statement_text(&state.conference, statement, area.width, theme, false),
            ),
            index: Some(position),
        })
        .collect();
    let focused = state.focus == Pane::Speaker;
    draw(
        frame,
        &mut viewport.speaker,
        list_area,
        entries,
        Some(state.speaker_statement),
        focused,
        theme,
    );
}
