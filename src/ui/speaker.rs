//! Speaker detail: who they are, the sessions a schedule lists them in, and every statement
//! of theirs across sessions.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Paragraph, Wrap};

use super::Viewport;
use super::list::{Entry, draw};
use super::statements::{marked, statement_text};
use super::timeline::{session_lines, when_and_where};
use crate::dataset::SpeakerKind;
use crate::state::{Pane, State};
use crate::text::sanitize_line;

pub fn render(state: &State, viewport: &mut Viewport, frame: &mut Frame, area: Rect) {
    let Some(index) = state.speaker else {
        frame.render_widget(Paragraph::new("No speaker selected."), area);
        return;
    };
    let theme = state.theme;
    let speaker = &state.conference.data.speakers[index];
    let mut lines = vec![Line::styled(sanitize_line(&speaker.name), theme.speaker())];
    if let Some(native) = &speaker.native_name {
        lines.push(Line::from(sanitize_line(native)));
    }
    for value in [&speaker.role, &speaker.affiliation].into_iter().flatten() {
        lines.push(Line::from(sanitize_line(value)));
    }
    let kind = match speaker.kind {
        SpeakerKind::Person => None,
        SpeakerKind::Role => Some("an office-holder the sources do not name"),
        SpeakerKind::Delegation => Some("a delegation"),
        SpeakerKind::Group => Some("several speakers reported together"),
    };
    if let Some(kind) = kind {
        lines.push(Line::styled(kind, theme.dim()));
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
    let header_rows = u16::try_from(header.height())
        .unwrap_or(u16::MAX)
        .min(area.height);
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
