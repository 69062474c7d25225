//! The search pane: the query line, an inline error, and the live results, each with its
//! kind, its text with the matched characters highlighted, and for a statement who said
//! it and where.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Paragraph};
use unicode_width::UnicodeWidthChar;

use super::list::{Entry, draw};
use super::{Theme, Viewport};
use crate::action::Action;
use crate::dataset::{Conference, Item};
use crate::keymap::{Mode, first_key_in};
use crate::search::Hit;
use crate::state::{Search, State};
use crate::text::{sanitize_line, sanitize_line_chars};

/// The title's count: how many matched, how many of them are listed, and whether the
/// search still runs (its first answer may cover only part of a large archive).
fn result_count(search: &Search) -> String {
    let listed = search.hits.len();
    let matched = search.matched.max(listed);
    let count = match (listed, matched) {
        (1, 1) => "1 result".to_owned(),
        (listed, matched) if listed == matched => format!("{matched} results"),
        (listed, matched) => format!("best {listed} of {matched}"),
    };
    if search.pending {
        format!(" searching… {count} so far ")
    } else {
        format!(" {count} ")
    }
}

pub fn render(
    state: &State,
    search: &Search,
    viewport: &mut Viewport,
    frame: &mut Frame,
    area: Rect,
) {
    let theme = state.theme;
    let block = Block::bordered()
        .border_style(theme.border(true))
        .title(Line::from(" Search ").style(theme.border(true)))
        .title(Line::from(result_count(search)).right_aligned());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [query_area, message_area, results_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(inner);
    let query = Line::from(vec![
        Span::styled("/ ", theme.heading()),
        Span::raw(sanitize_line(&search.query)),
        Span::styled("▏", theme.heading()),
    ]);
    frame.render_widget(Paragraph::new(query), query_area);
    let message = match (
        &search.error,
        search.hits.is_empty(),
        search.query.trim().is_empty(),
    ) {
        (Some(error), ..) => Line::styled(sanitize_line(error), theme.message()),
        (None, true, false) if search.pending => Line::styled("Searching…", theme.dim()),
        // The syntax's key comes first: a narrow pane cuts the end of the line.
        (None, _, true) => Line::styled(
            format!(
                "Type to search · {} syntax · 'exact ^start end$ !not \"a phrase\" speaker: session: \
                 country: kind: date:",
                first_key_in(Mode::Search, &Action::ToggleHelp).unwrap_or_default()
            ),
            theme.dim(),
        ),
        (None, true, false) => Line::styled("No results", theme.message()),
        (None, false, false) => Line::styled("↑↓ choose · Enter open · Esc back", theme.dim()),
    };
    frame.render_widget(Paragraph::new(message), message_area);
    let entries = search
        .hits
        .iter()
        .enumerate()
        .map(|(position, hit)| Entry {
            text: result_text(&state.conference, hit, results_area.width, theme),
            index: Some(position),
        })
        .collect();
    draw(
        frame,
        &mut viewport.search,
        results_area,
        entries,
        Some(search.selected),
        true,
        theme,
    );
}

/// A result as two lines: kind and highlighted text; then, for a statement, its speaker,
/// session and date.
fn result_text(conference: &Conference, hit: &Hit, width: u16, theme: Theme) -> Text<'static> {
    let data = &conference.data;
    let (kind, detail) = match hit.item {
        Item::Statement(i) => {
            let speaker = conference.speaker_of(i);
            let session = conference.session_of(i);
            let kind = match conference.statements().kind(i) {
                crate::dataset::StatementKind::Verbatim => "quote",
                crate::dataset::StatementKind::Paraphrase => "paraphrase",
            };
            let detail = format!("{} · {} · {}", speaker.name, session.title, session.date);
            (kind, Some(detail))
        }
        Item::Speaker(i) => ("speaker", data.speakers[i].role.clone()),
        Item::Session(i) => ("session", Some(data.sessions[i].date.to_string())),
        Item::Source(_) | Item::Dispute(_) => ("", None),
    };
    let shown = conference.shown_text(hit.item);
    let label = format!("{kind:>10}  ");
    let room = usize::from(width).saturating_sub(label.chars().count());
    let mut first = vec![Span::styled(label, theme.dim())];
    first.extend(highlighted(&shown, &hit.highlights, room, theme));
    let mut lines = vec![Line::from(first)];
    if let Some(detail) = detail {
        lines.push(Line::styled(
            format!("{:>10}  {}", "", sanitize_line(&detail)),
            theme.dim(),
        ));
    }
    Text::from(lines)
}

/// The text on one line of `room` cells, starting near the first match so it is in view,
/// with matched characters highlighted (`highlights` are indices of chars of `text`, some
/// of which are not shown: controls).
fn highlighted(text: &str, highlights: &[usize], room: usize, theme: Theme) -> Vec<Span<'static>> {
    let start = highlights
        .first()
        .map_or(0, |&first| first.saturating_sub(room / 4));
    let start = if highlights
        .last()
        .is_some_and(|&last| last < room.saturating_sub(1))
    {
        0
    } else {
        start
    };
    let mut spans = Vec::new();
    let mut width = 0;
    if start > 0 {
        spans.push(Span::styled("…", theme.dim()));
        width += 1;
    }
    let mut run = String::new();
    let mut run_marked = false;
    for (index, c) in sanitize_line_chars(text).skip_while(|&(index, _)| index < start) {
        let cells = c.width().unwrap_or(0);
        if width + cells > room {
            break;
        }
        width += cells;
        // A combining mark goes with the letter before it: a span that began with it
        // would lose it on screen (and it never matches on its own: folding drops it).
        let marked = match cells {
            0 if !run.is_empty() => run_marked,
            _ => highlights.binary_search(&index).is_ok(),
        };
        if marked != run_marked && !run.is_empty() {
            spans.push(span(std::mem::take(&mut run), run_marked, theme));
        }
        run_marked = marked;
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(span(run, run_marked, theme));
    }
    spans
}

fn span(text: String, marked: bool, theme: Theme) -> Span<'static> {
    if marked {
        Span::styled(text, theme.matched())
    } else {
        Span::styled(text, Style::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each span's text, with whether it is marked.
    fn runs(text: &str, highlights: &[usize]) -> Vec<(String, bool)> {
        let theme = Theme::default();
        highlighted(text, highlights, 80, theme)
            .into_iter()
            .map(|span| (span.content.into_owned(), span.style == theme.matched()))
            .collect()
    }

    /// Highlights index the text's chars; controls the pane leaves out must not shift them.
    #[test]
    fn highlights_stay_on_their_chars_past_controls_the_pane_leaves_out() {
        let text = "bidi \u{202B}x\u{202C}, bell\u{7}\u{7}\r\ntarget";
        let target = text.chars().position(|c| c == 't').expect("t");
        let highlights: Vec<usize> = (target..target + 6).collect();
        assert_eq!(
            runs(text, &highlights),
            [
                ("bidi x, bell ".to_owned(), false),
                ("target".to_owned(), true)
            ]
        );
    }

    /// A letter that NFC keeps as a letter and a combining mark keeps its mark inside the
    /// highlight (a span that begins with a mark loses it on screen).
    #[test]
    fn a_combining_mark_is_highlighted_with_its_letter() {
        let text = "\u{1ECC}\u{300}\u{1E63}un";
        assert_eq!(
            runs(text, &[0, 2]),
            [
                ("\u{1ECC}\u{300}\u{1E63}".to_owned(), true),
                ("un".to_owned(), false)
            ]
        );
    }
}
