//! The one `State` of the app and its invariants: every selection is an index within the
//! list it selects in (or 0 for an empty list), and the speaker pane shows the speaker of
//! the selected statement unless the user went to a speaker on purpose.

use std::sync::Arc;

use crate::collection::{Collection, DocumentFormat};
use crate::dataset::Conference;
use crate::dialog::Dialog;
use crate::export::Format;
use crate::paths::Paths;
use crate::search::Hit;
use crate::ui::Theme;

/// The panes that can have focus, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Timeline,
    Statements,
    Speaker,
}

impl Pane {
    pub const ALL: [Pane; 3] = [Pane::Timeline, Pane::Statements, Pane::Speaker];

    pub fn title(self) -> &'static str {
        match self {
            Pane::Timeline => "Sessions",
            Pane::Statements => "Statements",
            Pane::Speaker => "Speaker",
        }
    }
}

/// The search pane's query, its results and where it was opened from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    pub query: String,
    pub hits: Vec<Hit>,
    /// How many items matched in all (`hits` keeps the best [`SEARCH_LIMIT`]).
    pub matched: usize,
    /// The query runs and its complete answer has not come yet.
    pub pending: bool,
    /// Enter was pressed while the query ran: open the best result when it is in.
    pub open_when_ready: bool,
    pub selected: usize,
    /// Why the query cannot be run, shown in place of results.
    pub error: Option<String>,
    /// Where the user was when the pane opened: Esc returns there.
    pub origin: Location,
}

/// How many results the search pane keeps.
pub const SEARCH_LIMIT: usize = 200;

/// Where the user was: what `Back` returns to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub focus: Pane,
    pub session: usize,
    pub statement: usize,
    pub speaker: Option<usize>,
    pub speaker_statement: usize,
}

/// The help overlay's two pages: the keys, and the search pane's query language (too
/// long to share a page with the keys on an 80×24 terminal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpPage {
    Keys,
    Search,
}

#[derive(Debug, Clone)]
pub struct State {
    pub conference: Arc<Conference>,
    /// Session indices in chronological order: the timeline's rows.
    pub timeline: Vec<usize>,
    pub focus: Pane,
    /// Position in `timeline`.
    pub session: usize,
    /// Position in the selected session's statements.
    pub statement: usize,
    /// The speaker the speaker pane shows.
    pub speaker: Option<usize>,
    /// Position in that speaker's statements.
    pub speaker_statement: usize,
    /// The help overlay's page, while it is open.
    pub help: Option<HelpPage>,
    /// The search pane, while it is open.
    pub search: Option<Search>,
    /// The generation of what the search pane shows: a new one for each query sent, for
    /// an empty query and for each opening of the pane, so an answer to anything older
    /// (even from a search pane since closed) is recognised and ignored.
    pub search_generation: u64,
    /// A transient message for the status bar, cleared by the next key.
    pub status: Option<String>,
    pub history: Vec<Location>,
    pub running: bool,
    /// Terminal size in columns and rows, for page-sized moves.
    pub size: (u16, u16),
    pub theme: Theme,
    /// The quote basket and bookmarks (saved in the state dir after each change).
    pub collection: Collection,
    /// The basket and bookmarks as this instance last loaded or saved them: what a save
    /// merges from. A failed save leaves it as it was, so that the next save still
    /// carries the change that failed (rather than taking it for another instance's).
    pub saved_collection: Collection,
    /// The basket overlay, while it is open: its selected entry.
    pub basket_view: Option<usize>,
    /// A format chooser, path prompt or overwrite question, while one is open.
    pub dialog: Option<Dialog>,
    /// Where files go.
    pub paths: Paths,
    /// What `y` copies in, and what a basket export suggests (from the config).
    pub copy_format: Format,
    pub export_format: DocumentFormat,
}

/// Session indices by day. Within a day, sessions are ordered by start time when all of
/// them have one; otherwise they keep the dataset's order, since "afternoon" or a missing
/// time cannot be placed against a clock time, and the file's order is the author's word.
pub fn chronological(sessions: &[crate::dataset::Session]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..sessions.len()).collect();
    order.sort_by_key(|&i| sessions[i].date);
    for day in order.chunk_by_mut(|&a, &b| sessions[a].date == sessions[b].date) {
        if day.iter().all(|&i| sessions[i].start.is_some()) {
            day.sort_by_key(|&i| sessions[i].start);
        }
    }
    order
}

/// How many `Back` steps are remembered.
pub const HISTORY_LIMIT: usize = 100;

impl State {
    pub fn new(conference: Arc<Conference>) -> Self {
        let timeline = chronological(&conference.data.sessions);
        let mut state = Self {
            conference,
            timeline,
            focus: Pane::Timeline,
            session: 0,
            statement: 0,
            speaker: None,
            speaker_statement: 0,
            help: None,
            search: None,
            search_generation: 0,
            status: None,
            history: Vec::new(),
            running: true,
            size: (80, 24),
            theme: Theme::default(),
            collection: Collection::default(),
            saved_collection: Collection::default(),
            basket_view: None,
            dialog: None,
            paths: Paths::default(),
            copy_format: Format::Plain,
            export_format: DocumentFormat::Markdown,
        };
        state.follow_statement();
        state
    }

    /// Index (into the dataset's sessions) of the selected session.
    pub fn session_index(&self) -> Option<usize> {
        self.timeline.get(self.session).copied()
    }

    /// Statement indices of the selected session.
    pub fn session_statements(&self) -> &[usize] {
        self.session_index()
            .map_or(&[], |s| self.conference.statements_in_session(s))
    }

    /// Statement indices of the speaker pane's speaker.
    pub fn speaker_statements(&self) -> &[usize] {
        self.speaker
            .map_or(&[], |s| self.conference.statements_by_speaker(s))
    }

    /// The statement the user is on: in the speaker pane its selection, elsewhere the
    /// session's selected statement.
    pub fn selected_statement(&self) -> Option<usize> {
        match self.focus {
            Pane::Speaker => self
                .speaker_statements()
                .get(self.speaker_statement)
                .copied(),
            Pane::Timeline | Pane::Statements => {
                self.session_statements().get(self.statement).copied()
            }
        }
    }

    /// Whether the search pane has the keys.
    pub fn searching(&self) -> bool {
        self.search.is_some()
    }

    pub fn len(&self, pane: Pane) -> usize {
        match pane {
            Pane::Timeline => self.timeline.len(),
            Pane::Statements => self.session_statements().len(),
            Pane::Speaker => self.speaker_statements().len(),
        }
    }

    pub fn selected(&self, pane: Pane) -> usize {
        match pane {
            Pane::Timeline => self.session,
            Pane::Statements => self.statement,
            Pane::Speaker => self.speaker_statement,
        }
    }

    /// Selects `index` (clamped to the list) in `pane`, keeping the invariants.
    pub fn select(&mut self, pane: Pane, index: usize) {
        let index = index.min(self.len(pane).saturating_sub(1));
        match pane {
            Pane::Timeline => {
                if index != self.session {
                    self.session = index;
                    self.statement = 0;
                }
                self.follow_statement();
            }
            Pane::Statements => {
                self.statement = index;
                self.follow_statement();
            }
            Pane::Speaker => self.speaker_statement = index,
        }
    }

    /// Points the speaker pane at the speaker of the session's selected statement, or at
    /// nobody in a session without statements (it must not go on showing, and offering to
    /// copy, a statement of another session).
    fn follow_statement(&mut self) {
        let Some(&statement) = self.session_statements().get(self.statement) else {
            self.speaker = None;
            self.speaker_statement = 0;
            return;
        };
        let speaker = self.conference.speaker_index(statement);
        self.speaker = Some(speaker);
        self.speaker_statement = self
            .conference
            .statements_by_speaker(speaker)
            .iter()
            .position(|&s| s == statement)
            .unwrap_or(0);
    }

    pub fn location(&self) -> Location {
        Location {
            focus: self.focus,
            session: self.session,
            statement: self.statement,
            speaker: self.speaker,
            speaker_statement: self.speaker_statement,
        }
    }

    /// Remembers where the user is, so `Back` can return.
    pub fn push_history(&mut self) {
        if self.history.len() == HISTORY_LIMIT {
            self.history.remove(0);
        }
        self.history.push(self.location());
    }

    pub fn restore(&mut self, location: Location) {
        self.focus = location.focus;
        self.session = location.session;
        self.statement = location.statement;
        self.speaker = location.speaker;
        self.speaker_statement = location.speaker_statement;
    }

    /// Opens `statement` in its session: the session selected, the statement selected in it.
    pub fn open_statement(&mut self, statement: usize) {
        let session = self.conference.session_index(statement);
        if let Some(position) = self.timeline.iter().position(|&s| s == session) {
            self.session = position;
            self.statement = self
                .session_statements()
                .iter()
                .position(|&s| s == statement)
                .unwrap_or(0);
            self.follow_statement();
        }
    }

    /// Rows a page move covers in `pane`; statements take several rows each.
    pub fn page(&self, pane: Pane) -> usize {
        let rows = usize::from(self.size.1.saturating_sub(6)).max(1);
        match pane {
            Pane::Statements | Pane::Speaker => (rows / 4).max(1),
            Pane::Timeline => rows,
        }
    }

    /// Whether every selection is within its list (the invariant property tests check).
    pub fn in_bounds(&self) -> bool {
        Pane::ALL
            .iter()
            .all(|&pane| self.selected(pane) < self.len(pane).max(1))
            && self
                .speaker
                .is_none_or(|s| s < self.conference.data.speakers.len())
            && self
                .history
                .iter()
                .all(|l| l.session < self.timeline.len().max(1))
    }
}
