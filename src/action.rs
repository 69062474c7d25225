//! Every user intent and every effect result the reducer handles; `describe` gives the
//! words the help overlay shows for each.

use std::path::PathBuf;

use crate::collection::Loaded;
use crate::state::Pane;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Select the previous item in the focused pane.
    MoveUp,
    /// Select the next item in the focused pane.
    MoveDown,
    /// Select the first item in the focused pane.
    Top,
    /// Select the last item in the focused pane.
    Bottom,
    /// Move the selection up by a page.
    PageUp,
    /// Move the selection down by a page.
    PageDown,
    /// Move the selection up by half a page.
    HalfPageUp,
    /// Move the selection down by half a page.
    HalfPageDown,
    /// Focus the next pane (timeline → statements → speaker).
    FocusNext,
    /// Focus the previous pane.
    FocusPrev,
    /// Drill into the selection: session → its statements → the statement's speaker;
    /// in the speaker pane, open the selected statement in its session.
    Enter,
    /// Go back to where the last drill or jump came from.
    Back,
    /// Show the speaker of the selected statement.
    JumpToSpeaker,
    /// Open the search pane.
    OpenSearch,
    /// Close the search pane and return to where it was opened.
    CloseSearch,
    /// Type a character into the search query.
    SearchInput(char),
    /// Delete the last character of the search query.
    SearchBackspace,
    /// Clear the search query.
    SearchClear,
    /// Open the selected search result in its context and close the search.
    SearchOpen,
    /// Copy the selected statement, with its attribution, to the clipboard.
    Copy,
    /// Show or hide the key help.
    ToggleHelp,
    /// Switch the help between its pages: the keys and the search syntax.
    HelpPage,
    /// Leave the app.
    Quit,
    /// The terminal now has this many columns and rows.
    Resize { width: u16, height: u16 },
    /// A click on `pane`, on the item at `index` when the click hit one.
    Click { pane: Pane, index: Option<usize> },
    /// The mouse wheel turned over `pane`: `delta` items down (negative: up).
    Scroll { pane: Pane, delta: i32 },
    /// The clipboard effect finished: where the text went, or why it could not.
    CopyDone(Result<String, String>),
    /// An answer from the search worker (perhaps to a query since replaced).
    SearchResults(crate::search::worker::SearchResults),
    /// Choose a format, then copy the selected statement in it.
    CopyAs,
    /// Add the selected statement to the quote basket.
    BasketAdd,
    /// Show or hide the quote basket.
    BasketShow,
    /// Move the basket's selected quote one place up.
    BasketRaise,
    /// Move the basket's selected quote one place down.
    BasketLower,
    /// Remove the basket's selected quote.
    BasketRemove,
    /// Choose a format and a file, then export the basket to it.
    BasketExport,
    /// Close the basket and open its selected quote in its session.
    BasketOpen,
    /// Mark or unmark the selected statement as bookmarked.
    ToggleBookmark,
    /// Accept the open dialog: the chosen format, the typed path, "yes, overwrite".
    Confirm,
    /// Close the open dialog without doing anything.
    Cancel,
    /// Type a character into the dialog's text field.
    PromptInput(char),
    /// Delete the last character of the dialog's text field.
    PromptBackspace,
    /// An export finished: the file written, or why not.
    ExportDone(Result<PathBuf, ExportFailure>),
    /// Saving the basket and bookmarks finished: the collection as saved (merged with
    /// another instance's changes), or why it failed.
    SaveDone(Result<Loaded, String>),
}

/// Why an export was not written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportFailure {
    /// The file exists; the user is asked before it is replaced.
    Exists(PathBuf),
    Other(String),
}

impl Action {
    /// What the action does, in a few words for the help overlay.
    pub fn describe(&self) -> &'static str {
        match self {
            Action::MoveUp => "move up",
            Action::MoveDown => "move down",
            Action::Top => "go to the top",
            Action::Bottom => "go to the bottom",
            Action::PageUp => "page up",
            Action::PageDown => "page down",
            Action::HalfPageUp => "half a page up",
            Action::HalfPageDown => "half a page down",
            Action::FocusNext => "next pane",
            Action::FocusPrev => "previous pane",
            Action::Enter => "open: session → statements → speaker",
            Action::Back => "go back",
            Action::JumpToSpeaker => "show the statement's speaker",
            Action::OpenSearch => "search",
            Action::CloseSearch => "back",
            Action::SearchInput(_) => "type",
            Action::SearchBackspace => "delete",
            Action::SearchClear => "clear",
            Action::SearchOpen => "open in context",
            Action::Copy => "copy with attribution",
            Action::ToggleHelp => "show or hide this help",
            Action::HelpPage => "switch between the keys and the search syntax",
            Action::Quit => "quit",
            Action::Resize { .. } => "terminal resized",
            Action::Click { .. } => "click",
            Action::Scroll { .. } => "mouse wheel",
            Action::CopyDone(_) => "copy finished",
            Action::SearchResults(_) => "search results",
            Action::CopyAs => "copy in a chosen format",
            Action::BasketAdd => "add to the basket",
            Action::BasketShow => "show the basket",
            Action::BasketRaise => "raise",
            Action::BasketLower => "lower",
            Action::BasketRemove => "remove",
            Action::BasketExport => "export the basket",
            Action::BasketOpen => "open in its session",
            Action::ToggleBookmark => "bookmark",
            Action::Confirm => "accept",
            Action::Cancel => "close",
            Action::PromptInput(_) => "type",
            Action::PromptBackspace => "delete",
            Action::ExportDone(_) => "export finished",
            Action::SaveDone(_) => "saved",
        }
    }
}
