//! The key bindings, in one table: mode-scoped bindings first, then global ones. The help
//! overlay and the status-bar hints are generated from this table.

use std::sync::OnceLock;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::action::Action;
use crate::state::State;

/// Which bindings apply: the help overlay takes keys before the panes do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Help,
    /// Typing a search: printable keys go to the query (see `lookup`).
    Search,
    /// The quote basket overlay.
    Basket,
    /// A format chooser.
    Choose,
    /// Typing a path: printable keys go to the field (see `lookup`).
    Prompt,
    /// A yes/no question.
    Confirm,
}

/// Which bindings apply in `state`: the innermost thing open takes the keys.
pub fn mode_of(state: &State) -> Mode {
    match (&state.dialog, state.help.is_some()) {
        (_, true) => Mode::Help,
        (Some(dialog), false) => dialog.mode(),
        (None, false) if state.basket_view.is_some() => Mode::Basket,
        (None, false) if state.searching() => Mode::Search,
        (None, false) => Mode::Normal,
    }
}

/// One key bound to one action; `mode: None` binds it everywhere.
#[derive(Debug, Clone)]
pub struct Binding {
    pub mode: Option<Mode>,
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
    pub action: Action,
}

const fn key(mode: Option<Mode>, code: KeyCode, action: Action) -> Binding {
    Binding {
        mode,
        code,
        modifiers: KeyModifiers::NONE,
        action,
    }
}

const fn ctrl(mode: Option<Mode>, c: char, action: Action) -> Binding {
    Binding {
        mode,
        code: KeyCode::Char(c),
        modifiers: KeyModifiers::CONTROL,
        action,
    }
}

const N: Option<Mode> = Some(Mode::Normal);
const H: Option<Mode> = Some(Mode::Help);
const S: Option<Mode> = Some(Mode::Search);
const B: Option<Mode> = Some(Mode::Basket);
const C: Option<Mode> = Some(Mode::Choose);
const P: Option<Mode> = Some(Mode::Prompt);
const Y: Option<Mode> = Some(Mode::Confirm);
const ALL: Option<Mode> = None;

/// The default bindings. Order matters only for display: the first key of an action is
/// the one hints show.
pub static BINDINGS: &[Binding] = &[
    key(H, KeyCode::Esc, Action::ToggleHelp),
    key(H, KeyCode::Char('?'), Action::ToggleHelp),
    key(H, KeyCode::Char('q'), Action::ToggleHelp),
    key(H, KeyCode::F(1), Action::ToggleHelp),
    key(H, KeyCode::Tab, Action::HelpPage),
    key(H, KeyCode::BackTab, Action::HelpPage),
    key(S, KeyCode::Esc, Action::CloseSearch),
    key(S, KeyCode::Enter, Action::SearchOpen),
    key(S, KeyCode::Down, Action::MoveDown),
    ctrl(S, 'n', Action::MoveDown),
    key(S, KeyCode::Up, Action::MoveUp),
    ctrl(S, 'p', Action::MoveUp),
    key(S, KeyCode::PageDown, Action::PageDown),
    key(S, KeyCode::PageUp, Action::PageUp),
    key(S, KeyCode::Backspace, Action::SearchBackspace),
    ctrl(S, 'u', Action::SearchClear),
    ctrl(S, 'y', Action::Copy),
    // `?` is typed into the query there: the syntax is a function key away.
    key(S, KeyCode::F(1), Action::ToggleHelp),
    key(C, KeyCode::Enter, Action::Confirm),
    key(C, KeyCode::Esc, Action::Cancel),
    key(C, KeyCode::Down, Action::MoveDown),
    key(C, KeyCode::Char('j'), Action::MoveDown),
    key(C, KeyCode::Up, Action::MoveUp),
    key(C, KeyCode::Char('k'), Action::MoveUp),
    key(C, KeyCode::Char('q'), Action::Cancel),
    key(P, KeyCode::Enter, Action::Confirm),
    key(P, KeyCode::Esc, Action::Cancel),
    key(P, KeyCode::Backspace, Action::PromptBackspace),
    key(Y, KeyCode::Char('y'), Action::Confirm),
    key(Y, KeyCode::Char('n'), Action::Cancel),
    key(Y, KeyCode::Esc, Action::Cancel),
    key(B, KeyCode::Char('j'), Action::MoveDown),
    key(B, KeyCode::Down, Action::MoveDown),
    key(B, KeyCode::Char('k'), Action::MoveUp),
    key(B, KeyCode::Up, Action::MoveUp),
    key(B, KeyCode::Char('J'), Action::BasketLower),
    key(B, KeyCode::Char('K'), Action::BasketRaise),
    key(B, KeyCode::Char('d'), Action::BasketRemove),
    key(B, KeyCode::Char('x'), Action::BasketRemove),
    key(B, KeyCode::Char('e'), Action::BasketExport),
    key(B, KeyCode::Char('y'), Action::Copy),
    key(B, KeyCode::Char('Y'), Action::CopyAs),
    key(B, KeyCode::Enter, Action::BasketOpen),
    key(B, KeyCode::Esc, Action::Cancel),
    key(B, KeyCode::Char('b'), Action::BasketShow),
    key(B, KeyCode::Char('q'), Action::Cancel),
    key(N, KeyCode::Char('j'), Action::MoveDown),
    key(N, KeyCode::Down, Action::MoveDown),
    key(N, KeyCode::Char('k'), Action::MoveUp),
    key(N, KeyCode::Up, Action::MoveUp),
    key(N, KeyCode::Char('g'), Action::Top),
    key(N, KeyCode::Home, Action::Top),
    key(N, KeyCode::Char('G'), Action::Bottom),
    key(N, KeyCode::End, Action::Bottom),
    key(N, KeyCode::PageDown, Action::PageDown),
    key(N, KeyCode::PageUp, Action::PageUp),
    ctrl(N, 'd', Action::HalfPageDown),
    ctrl(N, 'u', Action::HalfPageUp),
    key(N, KeyCode::Tab, Action::FocusNext),
    key(N, KeyCode::BackTab, Action::FocusPrev),
    key(N, KeyCode::Enter, Action::Enter),
    key(N, KeyCode::Char('l'), Action::Enter),
    key(N, KeyCode::Esc, Action::Back),
    key(N, KeyCode::Backspace, Action::Back),
    key(N, KeyCode::Char('h'), Action::Back),
    key(N, KeyCode::Char('s'), Action::JumpToSpeaker),
    key(N, KeyCode::Char('/'), Action::OpenSearch),
    key(N, KeyCode::Char('y'), Action::Copy),
    key(N, KeyCode::Char('Y'), Action::CopyAs),
    key(N, KeyCode::Char('a'), Action::BasketAdd),
    key(N, KeyCode::Char('b'), Action::BasketShow),
    key(N, KeyCode::Char('e'), Action::BasketExport),
    key(N, KeyCode::Char('m'), Action::ToggleBookmark),
    key(N, KeyCode::Char('?'), Action::ToggleHelp),
    key(N, KeyCode::Char('q'), Action::Quit),
    ctrl(ALL, 'c', Action::Quit),
];

/// The table in force: `BINDINGS` with the user's overrides, once `install` ran.
static ACTIVE: OnceLock<Vec<Binding>> = OnceLock::new();

/// Makes `bindings` (the defaults with the config's overrides, see `with_overrides`) the
/// table for the rest of the run. Called once, before the loop starts: the table is a
/// constant of the run, like the dataset, so it is not threaded through the state.
/// Returns `false` if a table was installed already.
pub fn install(bindings: Vec<Binding>) -> bool {
    ACTIVE.set(bindings).is_ok()
}

/// The key table in force.
pub fn bindings() -> &'static [Binding] {
    ACTIVE.get().map_or(BINDINGS, Vec::as_slice)
}

/// The defaults with each overridden action's normal-mode keys replaced by `keys`; a key
/// given to an action is taken from whatever normal-mode action had it.
pub fn with_overrides(overrides: &[(Action, Vec<(KeyCode, KeyModifiers)>)]) -> Vec<Binding> {
    let mut table = BINDINGS.to_vec();
    for (action, keys) in overrides {
        table.retain(|b| {
            let normal = b.mode == Some(Mode::Normal);
            let same_key = keys
                .iter()
                .any(|&(code, modifiers)| b.code == code && b.modifiers == modifiers);
            !(normal && (b.action == *action || same_key))
        });
        for &(code, modifiers) in keys {
            table.push(Binding {
                mode: Some(Mode::Normal),
                code,
                modifiers,
                action: action.clone(),
            });
        }
    }
    table
}

/// The actions a config may bind, by the names it uses for them.
pub const BINDABLE: &[(&str, Action)] = &[
    ("move_down", Action::MoveDown),
    ("move_up", Action::MoveUp),
    ("top", Action::Top),
    ("bottom", Action::Bottom),
    ("page_down", Action::PageDown),
    ("page_up", Action::PageUp),
    ("half_page_down", Action::HalfPageDown),
    ("half_page_up", Action::HalfPageUp),
    ("next_pane", Action::FocusNext),
    ("previous_pane", Action::FocusPrev),
    ("open", Action::Enter),
    ("back", Action::Back),
    ("speaker", Action::JumpToSpeaker),
    ("search", Action::OpenSearch),
    ("copy", Action::Copy),
    ("copy_as", Action::CopyAs),
    ("basket_add", Action::BasketAdd),
    ("basket_show", Action::BasketShow),
    ("basket_export", Action::BasketExport),
    ("bookmark", Action::ToggleBookmark),
    ("help", Action::ToggleHelp),
    ("quit", Action::Quit),
];

/// A key as help writes it ("j", "Y", "Ctrl-a", "Enter", "PgDn", "↑" or "Up"), parsed.
pub fn parse_key(text: &str) -> Option<(KeyCode, KeyModifiers)> {
    let (modifiers, base) = match text.strip_prefix("Ctrl-") {
        Some(rest) if !rest.is_empty() => (KeyModifiers::CONTROL, rest),
        _ => (KeyModifiers::NONE, text),
    };
    let mut chars = base.chars();
    let code = match (chars.next(), chars.next()) {
        (Some(c), None) => match c {
            '↑' => KeyCode::Up,
            '↓' => KeyCode::Down,
            '←' => KeyCode::Left,
            '→' => KeyCode::Right,
            c if c.is_control() => return None,
            c => KeyCode::Char(c),
        },
        _ => match base {
            "Enter" => KeyCode::Enter,
            "Esc" => KeyCode::Esc,
            "Tab" => KeyCode::Tab,
            "Shift-Tab" => KeyCode::BackTab,
            "Backspace" => KeyCode::Backspace,
            "Space" => KeyCode::Char(' '),
            "Up" => KeyCode::Up,
            "Down" => KeyCode::Down,
            "Left" => KeyCode::Left,
            "Right" => KeyCode::Right,
            "Home" => KeyCode::Home,
            "End" => KeyCode::End,
            "PgUp" => KeyCode::PageUp,
            "PgDn" => KeyCode::PageDown,
            "Delete" => KeyCode::Delete,
            f => KeyCode::F(
                f.strip_prefix('F')?
                    .parse()
                    .ok()
                    .filter(|n| (1..=12).contains(n))?,
            ),
        },
    };
    Some((code, modifiers))
}

/// The action bound to `event` in `mode`, if any. Releases are ignored (only presses and
/// repeats act), and Shift is ignored on characters, whose case already says it. In
/// search mode an unbound printable character is typed into the query, and in prompt
/// mode into the prompt's field.
pub fn lookup(mode: Mode, event: &KeyEvent) -> Option<Action> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    let bound = lookup_binding(mode, event);
    if bound.is_none()
        && let KeyCode::Char(c) = event.code
        && !event
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    {
        match mode {
            Mode::Search => return Some(Action::SearchInput(c)),
            Mode::Prompt => return Some(Action::PromptInput(c)),
            _ => {}
        }
    }
    bound
}

fn lookup_binding(mode: Mode, event: &KeyEvent) -> Option<Action> {
    let relevant = |code: KeyCode| match code {
        KeyCode::Char(_) | KeyCode::BackTab => KeyModifiers::CONTROL | KeyModifiers::ALT,
        _ => KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT,
    };
    let matches = |binding: &&Binding| {
        binding.code == event.code
            && binding.modifiers & relevant(binding.code) == event.modifiers & relevant(event.code)
    };
    let in_mode = bindings()
        .iter()
        .filter(|b| b.mode == Some(mode))
        .find(matches);
    in_mode
        .or_else(|| bindings().iter().filter(|b| b.mode.is_none()).find(matches))
        .map(|binding| binding.action.clone())
}

/// How a key is written in help and hints: "j", "↓", "Ctrl-d", "Shift-Tab".
pub fn key_label(code: KeyCode, modifiers: KeyModifiers) -> String {
    let base = match code {
        KeyCode::Char(' ') => "Space".to_owned(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Up => "↑".to_owned(),
        KeyCode::Down => "↓".to_owned(),
        KeyCode::Left => "←".to_owned(),
        KeyCode::Right => "→".to_owned(),
        KeyCode::PageUp => "PgUp".to_owned(),
        KeyCode::PageDown => "PgDn".to_owned(),
        KeyCode::BackTab => "Shift-Tab".to_owned(),
        other => other.to_string(),
    };
    if modifiers.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{base}")
    } else {
        base
    }
}

/// For each action bound in `mode` (or globally), its keys, in table order.
pub fn help_rows(mode: Mode) -> Vec<(Action, Vec<String>)> {
    let mut rows: Vec<(Action, Vec<String>)> = Vec::new();
    for binding in bindings()
        .iter()
        .filter(|b| b.mode.is_none_or(|m| m == mode))
    {
        let label = key_label(binding.code, binding.modifiers);
        match rows
            .iter_mut()
            .find(|(action, _)| *action == binding.action)
        {
            Some((_, keys)) => keys.push(label),
            None => rows.push((binding.action.clone(), vec![label])),
        }
    }
    rows
}

/// The keys bound in `mode` itself (not the global ones) in one line:
/// "Esc back · Enter open in context · ↓ Ctrl-n ↑ Ctrl-p PgDn PgUp move · …". The moves
/// share one word, so the line stays short enough for help and dialogs.
pub fn mode_hints(mode: Mode) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut moves: Vec<String> = Vec::new();
    for (action, keys) in help_rows(mode) {
        let own = bindings()
            .iter()
            .any(|b| b.mode == Some(mode) && b.action == action);
        if !own {
            continue;
        }
        match action {
            Action::MoveUp | Action::MoveDown | Action::PageUp | Action::PageDown => {
                moves.extend(keys);
            }
            _ => parts.push(format!("{} {}", keys.join(" "), action.describe())),
        }
    }
    if !moves.is_empty() {
        parts.insert(2.min(parts.len()), format!("{} move", moves.join(" ")));
    }
    parts.join(" · ")
}

/// The first key bound to `action` in normal mode, for status-bar hints.
pub fn first_key(action: &Action) -> Option<String> {
    first_key_in(Mode::Normal, action)
}

/// The first key bound to `action` in `mode` (or globally).
pub fn first_key_in(mode: Mode, action: &Action) -> Option<String> {
    bindings()
        .iter()
        .find(|b| b.action == *action && b.mode.is_none_or(|m| m == mode))
        .map(|b| key_label(b.code, b.modifiers))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn vim_and_arrow_keys_both_move() {
        for (code, action) in [
            (KeyCode::Char('j'), Action::MoveDown),
            (KeyCode::Down, Action::MoveDown),
            (KeyCode::Char('k'), Action::MoveUp),
            (KeyCode::Up, Action::MoveUp),
            (KeyCode::Char('g'), Action::Top),
            (KeyCode::PageDown, Action::PageDown),
        ] {
            assert_eq!(
                lookup(Mode::Normal, &press(code, KeyModifiers::NONE)),
                Some(action)
            );
        }
    }

    #[test]
    fn shifted_letters_and_back_tab_match_whatever_the_terminal_reports_for_shift() {
        for modifiers in [KeyModifiers::NONE, KeyModifiers::SHIFT] {
            assert_eq!(
                lookup(Mode::Normal, &press(KeyCode::Char('G'), modifiers)),
                Some(Action::Bottom)
            );
            assert_eq!(
                lookup(Mode::Normal, &press(KeyCode::BackTab, modifiers)),
                Some(Action::FocusPrev)
            );
        }
    }

    #[test]
    fn control_keys_need_control() {
        let ctrl_d = press(KeyCode::Char('d'), KeyModifiers::CONTROL);
        assert_eq!(lookup(Mode::Normal, &ctrl_d), Some(Action::HalfPageDown));
        assert_eq!(
            lookup(Mode::Normal, &press(KeyCode::Char('d'), KeyModifiers::NONE)),
            None
        );
        let ctrl_c = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(
            lookup(Mode::Help, &ctrl_c),
            Some(Action::Quit),
            "global binding"
        );
    }

    #[test]
    fn help_mode_takes_precedence_and_q_closes_help_instead_of_quitting() {
        let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(lookup(Mode::Help, &q), Some(Action::ToggleHelp));
        assert_eq!(lookup(Mode::Normal, &q), Some(Action::Quit));
        assert_eq!(
            lookup(Mode::Help, &press(KeyCode::Char('j'), KeyModifiers::NONE)),
            None
        );
    }

    #[test]
    fn search_mode_types_characters_and_keeps_its_own_keys() {
        let j = press(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(lookup(Mode::Search, &j), Some(Action::SearchInput('j')));
        let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(
            lookup(Mode::Search, &q),
            Some(Action::SearchInput('q')),
            "q types, not quits"
        );
        let ctrl_n = press(KeyCode::Char('n'), KeyModifiers::CONTROL);
        assert_eq!(lookup(Mode::Search, &ctrl_n), Some(Action::MoveDown));
        assert_eq!(
            lookup(Mode::Search, &press(KeyCode::Esc, KeyModifiers::NONE)),
            Some(Action::CloseSearch)
        );
        let ctrl_c = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(lookup(Mode::Search, &ctrl_c), Some(Action::Quit));
        let upper = press(KeyCode::Char('Đ'), KeyModifiers::SHIFT);
        assert_eq!(lookup(Mode::Search, &upper), Some(Action::SearchInput('Đ')));
    }

    #[test]
    fn the_path_prompt_types_characters_and_dialogs_keep_their_keys() {
        let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(lookup(Mode::Prompt, &q), Some(Action::PromptInput('q')));
        let enter = press(KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(lookup(Mode::Prompt, &enter), Some(Action::Confirm));
        assert_eq!(lookup(Mode::Choose, &q), Some(Action::Cancel));
        let y = press(KeyCode::Char('y'), KeyModifiers::NONE);
        assert_eq!(lookup(Mode::Confirm, &y), Some(Action::Confirm));
        assert_eq!(lookup(Mode::Confirm, &q), None, "only y replaces a file");
        let shift_k = press(KeyCode::Char('K'), KeyModifiers::SHIFT);
        assert_eq!(lookup(Mode::Basket, &shift_k), Some(Action::BasketRaise));
        let ctrl_y = press(KeyCode::Char('y'), KeyModifiers::CONTROL);
        assert_eq!(lookup(Mode::Search, &ctrl_y), Some(Action::Copy));
    }

    #[test]
    fn key_releases_do_nothing() {
        let mut release = press(KeyCode::Char('q'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(lookup(Mode::Normal, &release), None);
    }

    #[test]
    fn no_key_is_bound_twice_in_a_mode() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                let overlap = a.mode.is_none() || b.mode.is_none() || a.mode == b.mode;
                assert!(
                    !(overlap && a.code == b.code && a.modifiers == b.modifiers),
                    "{:?} {:?} bound twice",
                    a.code,
                    a.modifiers
                );
            }
        }
    }

    #[test]
    fn overrides_replace_an_actions_keys_and_take_the_key_from_its_old_action() {
        let c = parse_key("c").expect("key");
        let q = parse_key("q").expect("key");
        let table = with_overrides(&[(Action::Copy, vec![c, q])]);
        let normal = |code: KeyCode| {
            table
                .iter()
                .filter(|b| b.mode == Some(Mode::Normal) && b.code == code)
                .map(|b| b.action.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(normal(KeyCode::Char('c')), [Action::Copy]);
        assert_eq!(
            normal(KeyCode::Char('q')),
            [Action::Copy],
            "q no longer quits"
        );
        assert_eq!(normal(KeyCode::Char('y')), [], "y is no longer copy");
        assert!(
            table
                .iter()
                .any(|b| b.action == Action::Quit && b.code == KeyCode::Char('c')),
            "Ctrl-c still quits everywhere"
        );
        assert!(
            table
                .iter()
                .any(|b| b.mode == Some(Mode::Help) && b.code == KeyCode::Char('q')),
            "other modes keep their keys"
        );
    }

    #[test]
    fn keys_parse_as_help_writes_them() {
        assert_eq!(
            parse_key("Y"),
            Some((KeyCode::Char('Y'), KeyModifiers::NONE))
        );
        assert_eq!(
            parse_key("Ctrl-a"),
            Some((KeyCode::Char('a'), KeyModifiers::CONTROL))
        );
        assert_eq!(parse_key("↓"), Some((KeyCode::Down, KeyModifiers::NONE)));
        assert_eq!(
            parse_key("PgDn"),
            Some((KeyCode::PageDown, KeyModifiers::NONE))
        );
        assert_eq!(parse_key("F5"), Some((KeyCode::F(5), KeyModifiers::NONE)));
        for bad in ["", "Ctrl-", "Hyper-x", "F13", "\u{1b}", "jk"] {
            assert_eq!(parse_key(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn every_bindable_name_is_snake_case_and_every_normal_action_has_one() {
        for (name, _) in BINDABLE {
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{name}"
            );
        }
        for (action, _) in help_rows(Mode::Normal) {
            assert!(
                BINDABLE.iter().any(|(_, a)| *a == action),
                "{action:?} has no config name"
            );
        }
    }

    #[test]
    fn help_rows_group_keys_by_action() {
        let rows = help_rows(Mode::Normal);
        let down = rows
            .iter()
            .find(|(a, _)| *a == Action::MoveDown)
            .expect("bound");
        assert_eq!(down.1, vec!["j", "↓"]);
        assert_eq!(first_key(&Action::HalfPageDown).as_deref(), Some("Ctrl-d"));
        assert_eq!(first_key(&Action::FocusPrev).as_deref(), Some("Shift-Tab"));
    }
}
