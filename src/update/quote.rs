//! The reducer's part for quotes: copying (`y`, `Y` and its format chooser), the basket
//! (add, show, reorder, remove, export with its path prompt and overwrite question) and
//! bookmarks. Files and the clipboard are only asked for, as effects.

use std::path::PathBuf;

use crate::action::{Action, ExportFailure};
use crate::collection::{DocumentFormat, Loaded, render};
use crate::dataset::Item;
use crate::dialog::{COPY_FORMATS, Dialog};
use crate::effect::Effect;
use crate::export::{Format, format_statement};
use crate::keymap::first_key;
use crate::state::{Pane, State};

/// The statement the quote keys act on: the basket's selection while the basket is open,
/// the selected result while searching (when it is a statement), else the selected one.
pub fn target(state: &State) -> Option<usize> {
    if let Some(selected) = state.basket_view {
        return basket_statements(state).get(selected).copied().flatten();
    }
    if let Some(search) = &state.search {
        return match search.hits.get(search.selected)?.item {
            Item::Statement(statement) => Some(statement),
            _ => None,
        };
    }
    state.selected_statement()
}

/// The basket's entries as statement indices; `None` for an id this dataset lacks.
pub fn basket_statements(state: &State) -> Vec<Option<usize>> {
    state
        .collection
        .basket
        .iter()
        .map(|id| state.conference.statement_index(id))
        .collect()
}

pub fn copy(state: &mut State, format: Format) -> Vec<Effect> {
    match target(state) {
        Some(statement) => vec![Effect::CopyToClipboard {
            text: format_statement(&state.conference, statement, format),
        }],
        None => {
            state.status = Some("No statement selected to copy".to_owned());
            Vec::new()
        }
    }
}

pub fn copy_as(state: &mut State) {
    let Some(statement) = target(state) else {
        state.status = Some("No statement selected to copy".to_owned());
        return;
    };
    let selected = COPY_FORMATS
        .iter()
        .position(|&f| f == state.copy_format)
        .unwrap_or(0);
    state.dialog = Some(Dialog::CopyFormat {
        statement,
        selected,
    });
}

pub fn add_to_basket(state: &mut State) -> Vec<Effect> {
    persist(state, add)
}

fn add(state: &mut State) {
    let Some(statement) = target(state) else {
        state.status = Some("No statement selected to add".to_owned());
        return;
    };
    let id = state.conference.statement_id(statement).to_owned();
    let added = state.collection.add(&id);
    let count = state.collection.basket.len();
    let show = first_key(&Action::BasketShow).unwrap_or_default();
    state.status = Some(if added {
        format!("Added to the basket ({count}; {show} shows it)")
    } else {
        format!("Already in the basket ({count}; {show} shows it)")
    });
}

pub fn toggle_bookmark(state: &mut State) -> Vec<Effect> {
    persist(state, bookmark)
}

fn bookmark(state: &mut State) {
    let Some(statement) = target(state) else {
        state.status = Some("No statement selected to bookmark".to_owned());
        return;
    };
    let id = state.conference.statement_id(statement).to_owned();
    let marked = state.collection.toggle_bookmark(&id);
    state.status = Some(
        if marked {
            "Bookmarked"
        } else {
            "Bookmark removed"
        }
        .to_owned(),
    );
}

pub fn toggle_basket_view(state: &mut State) {
    state.basket_view = match state.basket_view {
        Some(_) => None,
        None => Some(0),
    };
}

pub fn start_export(state: &mut State) {
    if basket_statements(state).iter().all(Option::is_none) {
        let add = first_key(&Action::BasketAdd).unwrap_or_default();
        state.status = Some(format!(
            "The basket is empty: {add} adds the selected statement"
        ));
        return;
    }
    let selected = DocumentFormat::ALL
        .iter()
        .position(|&f| f == state.export_format)
        .unwrap_or(0);
    state.dialog = Some(Dialog::ExportFormat { selected });
}

/// Whether the basket overlay takes `action` while it is open (and no dialog is).
pub fn basket_handles(action: &Action) -> bool {
    matches!(
        action,
        Action::MoveUp
            | Action::MoveDown
            | Action::BasketRaise
            | Action::BasketLower
            | Action::BasketRemove
            | Action::BasketOpen
            | Action::Cancel
    )
}

pub fn basket(state: &mut State, action: Action) -> Vec<Effect> {
    persist(state, |state| in_basket(state, action))
}

fn in_basket(state: &mut State, action: Action) {
    let Some(selected) = state.basket_view else {
        return;
    };
    let count = state.collection.basket.len();
    match action {
        Action::MoveUp | Action::MoveDown => {
            state.basket_view = super::moved_in_list(selected, &action, 1, count);
        }
        Action::BasketRaise | Action::BasketLower => {
            let delta = if action == Action::BasketRaise { -1 } else { 1 };
            let now = state.collection.shift(selected, delta);
            state.basket_view = Some(now);
        }
        Action::BasketRemove => remove(state, selected),
        Action::BasketOpen => {
            if let Some(statement) = target(state) {
                state.basket_view = None;
                state.push_history();
                state.open_statement(statement);
                state.focus = Pane::Statements;
            }
        }
        Action::Cancel => state.basket_view = None,
        _ => {}
    }
}

fn remove(state: &mut State, selected: usize) {
    if state.collection.remove(selected).is_none() {
        return;
    }
    let left = state.collection.basket.len();
    state.basket_view = Some(selected.min(left.saturating_sub(1)));
    state.status = Some(format!("Removed from the basket ({left} left)"));
}

/// Whether the open dialog takes `action`.
pub fn dialog_handles(action: &Action) -> bool {
    matches!(
        action,
        Action::MoveUp
            | Action::MoveDown
            | Action::Confirm
            | Action::Cancel
            | Action::PromptInput(_)
            | Action::PromptBackspace
    )
}

pub fn dialog(state: &mut State, action: Action) -> Vec<Effect> {
    let Some(dialog) = state.dialog.take() else {
        return Vec::new();
    };
    if action == Action::Cancel {
        if let Dialog::Overwrite { path, .. } = &dialog {
            state.status = Some(format!(
                "Not exported: {} is kept as it was",
                path.display()
            ));
        }
        return Vec::new();
    }
    match (dialog, action) {
        (
            Dialog::CopyFormat {
                statement,
                selected,
            },
            Action::Confirm,
        ) => {
            let format = COPY_FORMATS.get(selected).copied().unwrap_or_default();
            return vec![Effect::CopyToClipboard {
                text: format_statement(&state.conference, statement, format),
            }];
        }
        (Dialog::ExportFormat { selected }, Action::Confirm) => {
            let format = DocumentFormat::ALL
                .get(selected)
                .copied()
                .unwrap_or_default();
            state.export_format = format;
            let path = state.paths.export_file(format.extension());
            state.dialog = Some(Dialog::ExportPath {
                format,
                path: path.display().to_string(),
            });
        }
        (Dialog::ExportPath { format, path }, Action::Confirm) => {
            if path.trim().is_empty() {
                state.status = Some("Not exported: no file name given".to_owned());
                return Vec::new();
            }
            return vec![Effect::WriteExport {
                path: PathBuf::from(path),
                contents: basket_document(state, format),
                overwrite: false,
            }];
        }
        (Dialog::Overwrite { path, contents }, Action::Confirm) => {
            return vec![Effect::WriteExport {
                path,
                contents,
                overwrite: true,
            }];
        }
        (Dialog::ExportPath { format, mut path }, Action::PromptInput(c)) => {
            path.push(c);
            state.dialog = Some(Dialog::ExportPath { format, path });
        }
        (Dialog::ExportPath { format, mut path }, Action::PromptBackspace) => {
            path.pop();
            state.dialog = Some(Dialog::ExportPath { format, path });
        }
        (mut dialog, action @ (Action::MoveUp | Action::MoveDown)) => {
            let count = dialog.choices().0.len();
            if let Dialog::CopyFormat { selected, .. } | Dialog::ExportFormat { selected } =
                &mut dialog
            {
                *selected = super::moved_in_list(*selected, &action, 1, count).unwrap_or(*selected);
            }
            state.dialog = Some(dialog);
        }
        (dialog, _) => state.dialog = Some(dialog),
    }
    Vec::new()
}

/// The basket as one document in `format`, leaving out ids this dataset lacks.
fn basket_document(state: &State, format: DocumentFormat) -> String {
    let statements: Vec<usize> = basket_statements(state).into_iter().flatten().collect();
    render(&state.conference, &statements, format)
}

pub fn export_done(state: &mut State, result: Result<PathBuf, ExportFailure>) {
    match result {
        Ok(path) => {
            let count = basket_statements(state).iter().flatten().count();
            let quotes = if count == 1 { "quote" } else { "quotes" };
            state.status = Some(format!("Exported {count} {quotes} to {}", path.display()));
        }
        Err(ExportFailure::Exists(path)) => {
            let contents = basket_document(state, state.export_format);
            state.dialog = Some(Dialog::Overwrite { path, contents });
        }
        Err(ExportFailure::Other(reason)) => {
            state.status = Some(format!("Export failed: {reason}"));
        }
    }
}

/// The save finished: on success, the collection as saved, which includes whatever another
/// running instance saved meanwhile (see `collection::save`).
pub fn save_done(state: &mut State, result: Result<Loaded, String>) {
    match result {
        Ok(Loaded {
            collection: saved,
            warning,
        }) => {
            if warning.is_some() {
                state.status = warning;
            }
            state.saved_collection = saved.clone();
            if saved != state.collection {
                state.collection = saved;
                let last = state.collection.basket.len().saturating_sub(1);
                state.basket_view = state.basket_view.map(|s| s.min(last));
            }
        }
        Err(reason) => {
            state.status = Some(format!("Basket and bookmarks not saved: {reason}"));
        }
    }
}

/// Runs `change`; if it changed the basket or bookmarks, asks for them to be saved (where
/// there is a state dir), with the collection as last loaded or saved as the base of the
/// merge.
fn persist(state: &mut State, change: impl FnOnce(&mut State)) -> Vec<Effect> {
    let before = state.collection.clone();
    change(state);
    if state.collection == before {
        return Vec::new();
    }
    state
        .paths
        .state_file()
        .map(|path| Effect::SaveCollection {
            path,
            base: state.saved_collection.clone(),
            collection: state.collection.clone(),
        })
        .into_iter()
        .collect()
}
