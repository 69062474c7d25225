//! The selected session's statements: who spoke, whether the words are a verbatim quote
//! or a paraphrase (visibly different, with or without colour), the text, and its source.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Paragraph, Wrap};

use super::list::{Entry, draw};
use super::{Theme, Viewport, wrap};
use crate::dataset::{Conference, Delivery, StatementKind};
use crate::export::speaker_label;
use crate::state::{Pane, State};
use crate::text::sanitize_line;

pub fn render(state: &State, viewport: &mut Viewport, frame: &mut Frame, area: Rect) {
    let statements = state.session_statements();
    if statements.is_empty() {
        let message = if state.timeline.is_empty() {
            "No sessions."
        } else {
            "No statements are recorded for this session."
        };
        frame.render_widget(Paragraph::new(message).wrap(Wrap { trim: true }), area);
        return;
    }
    let entries = statements
        .iter()
        .enumerate()
        .map(|(position, &statement)| Entry {
            text: marked(
                state,
                statement,
                statement_text(&state.conference, statement, area.width, state.theme, true),
            ),
            index: Some(position),
        })
        .collect();
    let focused = state.focus == Pane::Statements;
    draw(
        frame,
        &mut viewport.statements,
        area,
        entries,
        Some(state.statement),
        focused,
        state.theme,
    );
}

/// `text` (a statement's list item) with a bookmark sign before its header if the user
/// bookmarked the statement.
pub fn marked(state: &State, statement: usize, mut text: Text<'static>) -> Text<'static> {
    let id = state.conference.statement_id(statement);
    if state.collection.is_bookmarked(id)
        && let Some(header) = text.lines.first_mut()
    {
        header
            .spans
            .insert(0, Span::styled("★ ", state.theme.heading()));
    }
    text
}

/// The marker that tells a quote from a paraphrase, in words as well as style.
pub fn kind_marker(conference: &Conference, statement: usize, theme: Theme) -> Span<'static> {
    let statements = conference.statements();
    let message = statements
        .extras(statement)
        .is_some_and(|extras| matches!(extras.delivery, Delivery::Message { .. }));
    let (label, style) = match statements.kind(statement) {
        StatementKind::Verbatim => ("“” QUOTE", theme.verbatim()),
        StatementKind::Paraphrase => ("≈ paraphrase", theme.paraphrase()),
    };
    let label = if message {
        format!("{label} · message")
    } else {
        label.to_owned()
    };
    Span::styled(label, style)
}

/// A statement as a list item: marker and speaker (or session), the wrapped text, the
/// source and any editorial note, then a blank line.
pub fn statement_text(
    conference: &Conference,
    statement: usize,
    width: u16,
    theme: Theme,
    show_speaker: bool,
) -> Text<'static> {
    // Read from the columns: rebuilding the whole statement would copy its ids, sources
    // and tags for every row drawn.
    let statements = conference.statements();
    let text = statements.text(statement);
    let note = statements
        .extras(statement)
        .and_then(|extras| extras.note.as_deref());
    let mut header = vec![kind_marker(conference, statement, theme), Span::raw("  ")];
    if show_speaker {
        let speaker = conference.speaker_of(statement);
        // The label starts with the name: the name stands out, the rest is dimmed.
        let label = speaker_label(speaker);
        let rest = label
            .strip_prefix(speaker.name.as_str())
            .unwrap_or_default();
        header.push(Span::styled(sanitize_line(&speaker.name), theme.speaker()));
        header.push(Span::styled(sanitize_line(rest), theme.dim()));
    } else {
        let session = conference.session_of(statement);
        header.push(Span::styled(sanitize_line(&session.title), theme.dim()));
    }
    let mut lines = vec![Line::from(header)];
    let (body, style) = match statements.kind(statement) {
        StatementKind::Verbatim => (
            format!("“{}”", sanitize_line(&text)),
            theme
                .verbatim()
                .remove_modifier(ratatui::style::Modifier::BOLD),
        ),
        StatementKind::Paraphrase => (sanitize_line(&text), theme.paraphrase()),
    };
    for line in wrap(&body, width, 2) {
        lines.push(Line::styled(format!("  {line}"), style));
    }
    let sources: Vec<String> = conference
        .statement_sources(statement)
        .map(|s| match &s.publisher {
            Some(publisher) => format!("{} ({})", sanitize_line(publisher), sanitize_line(&s.file)),
            None => sanitize_line(&s.file),
        })
        .collect();
    for line in wrap(&format!("Source: {}", sources.join("; ")), width, 2) {
        lines.push(Line::styled(format!("  {line}"), theme.dim()));
    }
    if let Some(note) = note {
        for line in wrap(&format!("Note: {}", sanitize_line(note)), width, 2) {
            lines.push(Line::styled(format!("  {line}"), theme.dim()));
        }
    }
    lines.push(Line::default());
    Text::from(lines)
}
