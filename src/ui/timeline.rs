//! The session timeline: sessions grouped by day, with their time and venue, and the
//! selected session's chairs, speakers and description beneath.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Paragraph, Wrap};

use super::list::{Entry, draw};
use super::{Viewport, wrap};
use crate::dataset::{Item, Session};
use crate::state::{Pane, State};
use crate::text::sanitize_line;

pub fn render(state: &State, viewport: &mut Viewport, frame: &mut Frame, area: Rect) {
    let theme = state.theme;
    let sessions = &state.conference.data.sessions;
    if sessions.is_empty() {
        frame.render_widget(Paragraph::new("This dataset has no sessions."), area);
        return;
    }
    let mut entries = Vec::new();
    let mut day = None;
    for (position, &index) in state.timeline.iter().enumerate() {
        let session = &sessions[index];
        if day != Some(session.date) {
            day = Some(session.date);
            let heading = session.date.format("%A %-d %B %Y").to_string();
            entries.push(Entry {
                text: Text::from(Line::styled(heading, theme.heading())),
                index: None,
            });
        }
        entries.push(Entry {
            text: session_text(session, area.width, state),
            index: Some(position),
        });
    }
    let details = details(state, area.width);
    let details_rows = u16::try_from(details.height()).unwrap_or(u16::MAX);
    // The details get what the list leaves, and only if that is enough to be useful.
    let list_rows: usize = entries.iter().map(|entry| entry.text.height()).sum();
    let list_rows = u16::try_from(list_rows).unwrap_or(u16::MAX);
    let [list_area, details_area] = if area.height > list_rows.saturating_add(3) {
        Layout::vertical([Constraint::Length(list_rows), Constraint::Min(0)]).areas(area)
    } else {
        [area, Rect::default()]
    };
    let focused = state.focus == Pane::Timeline;
    draw(
        frame,
        &mut viewport.timeline,
        list_area,
        entries,
        Some(state.session),
        focused,
        theme,
    );
    if details_area.height > 1 && details_rows > 0 {
        let [_, text_area] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(details_area);
        frame.render_widget(
            Paragraph::new(details).wrap(Wrap { trim: false }),
            text_area,
        );
    }
}

/// "14:00–15:30 · Hall A": the time and the venue, where given.
pub(super) fn when_and_where(session: &Session) -> String {
    let mut meta = when(session);
    if let Some(venue) = &session.venue {
        meta.push_str(&format!(" · {}", sanitize_line(venue)));
    }
    meta
}

/// "14:00–15:30" or "afternoon", whichever the dataset knows.
fn when(session: &Session) -> String {
    match (session.start, session.end_time(), &session.time_of_day) {
        (Some(start), Some(end), _) => format!("{}–{}", start.format("%H:%M"), end.format("%H:%M")),
        (Some(start), None, _) => start.format("%H:%M").to_string(),
        (None, _, Some(words)) => sanitize_line(words),
        (None, _, None) => "time not given".to_owned(),
    }
}

fn session_text(session: &Session, width: u16, state: &State) -> Text<'static> {
    Text::from(session_lines(
        session,
        &when_and_where(session),
        width,
        state,
    ))
}

/// A session as the lists show it: its title, then `meta` dimmed, both indented.
pub(super) fn session_lines(
    session: &Session,
    meta: &str,
    width: u16,
    state: &State,
) -> Vec<Line<'static>> {
    let mut lines: Vec<Line> = wrap(&sanitize_line(&session.title), width, 2)
        .into_iter()
        .map(|line| Line::from(format!("  {line}")))
        .collect();
    lines.extend(
        wrap(meta, width, 2)
            .into_iter()
            .map(|line| Line::styled(format!("  {line}"), state.theme.dim())),
    );
    lines
}

/// Chairs, speakers, kind and description of the selected session.
fn details(state: &State, width: u16) -> Text<'static> {
    let Some(index) = state.session_index() else {
        return Text::default();
    };
    let data = &state.conference.data;
    let session = &data.sessions[index];
    let mut lines = Vec::new();
    let names = |ids: &[String]| -> Vec<String> {
        ids.iter()
            .filter_map(|id| match state.conference.item(id) {
                Some(Item::Speaker(i)) => data.speakers.get(i),
                _ => None,
            })
            .map(|s| sanitize_line(&s.name))
            .collect()
    };
    // What a schedule says of the session: who presents it, its kind, track, language,
    // and the UTC offset of the local times shown.
    let kind: Vec<String> = [&session.kind, &session.track, &session.language]
        .into_iter()
        .flatten()
        .map(|text| sanitize_line(text))
        .chain(session.utc_offset.map(|offset| format!("UTC{}", offset.0)))
        .collect();
    for (label, values, separator) in [
        ("Chairs: ", names(&session.chairs), ", "),
        ("Speakers: ", names(&session.speakers), ", "),
        ("", kind, " · "),
    ] {
        if !values.is_empty() {
            lines.push(Line::from(vec![
                Span::styled(label, state.theme.heading()),
                Span::raw(values.join(separator)),
            ]));
        }
    }
    if let Some(description) = &session.description {
        for line in wrap(&sanitize_line(description), width, 0) {
            lines.push(Line::from(line));
        }
    }
    Text::from(lines)
}
