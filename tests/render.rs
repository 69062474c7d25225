//! Snapshots of every pane and mode at 80×24 (stacked) and 160×48 (side by side).

mod common;

use common::{apply, draw, empty_state, explorer_state};
use hanoi_tui::action::Action;
use hanoi_tui::keymap::Mode;
use hanoi_tui::state::Pane;
use hanoi_tui::ui::Theme;
use insta::assert_snapshot;
use ratatui::style::{Color, Modifier};

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn snapshot(name: &str, actions: &[Action]) {
    for (width, height) in SIZES {
        let mut state = explorer_state();
        apply(&mut state, actions);
        let terminal = draw(&mut state, width, height);
        assert_snapshot!(format!("{name}_{width}x{height}"), terminal.backend());
    }
}

#[test]
fn timeline() {
    snapshot("timeline", &[]);
}

#[test]
fn statements() {
    snapshot("statements", &[Action::Enter, Action::MoveDown]);
}

#[test]
fn speaker_detail() {
    snapshot("speaker", &[Action::Enter, Action::JumpToSpeaker]);
}

#[test]
fn help_overlay() {
    snapshot("help", &[Action::ToggleHelp]);
}

#[test]
fn help_search_syntax_page() {
    snapshot(
        "help_search_syntax",
        &[Action::ToggleHelp, Action::HelpPage],
    );
}

#[test]
fn empty_session() {
    snapshot("empty_session", &[Action::MoveDown, Action::Enter]);
}

#[test]
fn long_statement_scrolled_into_view() {
    snapshot("long_statement", &[Action::Enter, Action::Bottom]);
}

#[test]
fn status_message_after_copy() {
    snapshot(
        "copied",
        &[
            Action::Enter,
            Action::CopyDone(Ok("terminal clipboard (OSC 52)".into())),
        ],
    );
}

#[test]
fn too_small_is_one_line() {
    let mut state = explorer_state();
    let terminal = draw(&mut state, 39, 9);
    assert_snapshot!("too_small", terminal.backend());
}

#[test]
fn nfd_vietnamese_renders_composed() {
    let mut state = explorer_state();
    apply(&mut state, &[Action::Enter, Action::JumpToSpeaker]);
    let terminal = draw(&mut state, 160, 48);
    let screen = terminal.backend().to_string();
    assert!(screen.contains("Nguyễn Văn A"), "{screen}");
    assert!(
        screen.contains("“Không ai bị bỏ lại phía sau trong kỷ nguyên số”"),
        "{screen}"
    );
}

#[test]
fn no_color_uses_no_colour_but_keeps_the_selection_visible() {
    for (width, height) in SIZES {
        let mut state = explorer_state();
        state.theme = Theme {
            color: false,
            ..Theme::default()
        };
        apply(&mut state, &[Action::Enter]);
        let terminal = draw(&mut state, width, height);
        let buffer = terminal.backend().buffer();
        assert!(
            buffer
                .content
                .iter()
                .all(|cell| cell.fg == Color::Reset && cell.bg == Color::Reset),
            "a coloured cell under NO_COLOR"
        );
        let reversed = buffer
            .content
            .iter()
            .filter(|cell| cell.modifier.contains(Modifier::REVERSED))
            .count();
        assert!(reversed > 0, "the focused selection is reversed");
        let italic = buffer
            .content
            .iter()
            .any(|cell| cell.modifier.contains(Modifier::ITALIC));
        assert!(
            italic,
            "paraphrases stay distinct from quotes without colour"
        );
    }
}

#[test]
fn colour_marks_focus_and_kinds_when_allowed() {
    let mut state = explorer_state();
    apply(&mut state, &[Action::Enter]);
    assert_eq!(state.focus, Pane::Statements);
    let terminal = draw(&mut state, 160, 48);
    let buffer = terminal.backend().buffer();
    assert!(
        buffer.content.iter().any(|cell| cell.fg == Color::Green),
        "verbatim in green"
    );
    assert!(
        buffer.content.iter().any(|cell| cell.fg == Color::Yellow),
        "paraphrase in yellow"
    );
}

#[test]
fn control_characters_in_the_data_never_reach_the_screen() {
    let mut state = common::fixture_state("control_chars.ron");
    apply(&mut state, &[Action::Enter]);
    let terminal = draw(&mut state, 160, 48);
    let screen = terminal.backend().to_string();
    assert!(
        screen.contains("Không ai [2J]52;c;aGk= bị bỏ lại"),
        "{screen}"
    );
    assert!(screen.contains("Phiên khai[1m mạc"), "{screen}");
    let buffer = terminal.backend().buffer();
    assert!(
        buffer
            .content
            .iter()
            .all(|cell| !cell.symbol().chars().any(char::is_control))
    );
}

#[test]
fn an_empty_dataset_renders_in_every_pane() {
    for (width, height) in SIZES {
        for actions in [
            &[][..],
            &[Action::FocusNext],
            &[Action::FocusNext, Action::FocusNext],
        ] {
            let mut state = empty_state();
            apply(&mut state, actions);
            let screen = draw(&mut state, width, height).backend().to_string();
            assert!(screen.contains("This dataset has no sessions."), "{screen}");
        }
    }
    let mut state = empty_state();
    let terminal = draw(&mut state, 80, 24);
    assert_snapshot!("empty_dataset_80x24", terminal.backend());
}

#[test]
fn help_lists_every_bound_action_and_how_to_close_it() {
    let mut state = explorer_state();
    apply(&mut state, &[Action::ToggleHelp]);
    let screen = draw(&mut state, 160, 48).backend().to_string();
    for binding in hanoi_tui::keymap::BINDINGS {
        let shown = match binding.mode {
            Some(Mode::Help) if binding.action == Action::ToggleHelp => {
                "Esc, ? or q closes this help.".to_owned()
            }
            // The page's title names the key to the other page.
            Some(Mode::Help) => format!(
                "{}: search syntax",
                hanoi_tui::keymap::first_key_in(Mode::Help, &binding.action).expect("bound")
            ),
            Some(Mode::Search | Mode::Basket) => {
                hanoi_tui::keymap::key_label(binding.code, binding.modifiers)
            }
            // Dialogs list their own keys (see `dialogs_show_their_keys`).
            Some(Mode::Choose | Mode::Prompt | Mode::Confirm) => continue,
            Some(Mode::Normal) | None => binding.action.describe().to_owned(),
        };
        assert!(
            screen.contains(&shown),
            "{:?} ({shown}) missing from help:\n{screen}",
            binding.action
        );
        let key = hanoi_tui::keymap::key_label(binding.code, binding.modifiers);
        assert!(screen.contains(&key), "key {key} missing from help");
    }
}

#[test]
fn search_pane() {
    let typed: Vec<Action> = "kỷ nguyên".chars().map(Action::SearchInput).collect();
    snapshot("search", &[&[Action::OpenSearch][..], &typed].concat());
    snapshot("search_empty_query", &[Action::OpenSearch]);
    let nothing: Vec<Action> = "zzqq".chars().map(Action::SearchInput).collect();
    snapshot(
        "search_no_results",
        &[&[Action::OpenSearch][..], &nothing].concat(),
    );
    let invalid: Vec<Action> = "topic:x".chars().map(Action::SearchInput).collect();
    snapshot(
        "search_invalid",
        &[&[Action::OpenSearch][..], &invalid].concat(),
    );
}

#[test]
fn search_highlights_the_matched_characters_of_the_original_text() {
    let mut state = explorer_state();
    let typed: Vec<Action> = "\"bo lai\"".chars().map(Action::SearchInput).collect();
    apply(&mut state, &[&[Action::OpenSearch][..], &typed].concat());
    let terminal = draw(&mut state, 160, 48);
    let buffer = terminal.backend().buffer();
    let marked: String = buffer
        .content
        .iter()
        .filter(|cell| cell.modifier.contains(Modifier::UNDERLINED) && cell.fg == Color::Yellow)
        .map(|cell| cell.symbol())
        .collect();
    assert_eq!(
        marked, "bỏ lại",
        "the original, accented characters are marked"
    );
}

#[test]
fn quote_basket_and_dialogs() {
    let add_two = [
        Action::Enter,
        Action::BasketAdd,
        Action::MoveDown,
        Action::BasketAdd,
    ];
    snapshot("basket", &[&add_two[..], &[Action::BasketShow]].concat());
    snapshot("copy_as", &[Action::Enter, Action::CopyAs]);
    snapshot(
        "export_path",
        &[&add_two[..], &[Action::BasketExport, Action::Confirm]].concat(),
    );
}

#[test]
fn dialogs_show_their_keys() {
    let dialogs: [(&[Action], Mode); 3] = [
        (&[Action::Enter, Action::CopyAs], Mode::Choose),
        (
            &[
                Action::Enter,
                Action::BasketAdd,
                Action::BasketExport,
                Action::Confirm,
            ],
            Mode::Prompt,
        ),
        (
            &[
                Action::Enter,
                Action::BasketAdd,
                Action::ExportDone(Err(hanoi_tui::action::ExportFailure::Exists(
                    "/x/quotes.md".into(),
                ))),
            ],
            Mode::Confirm,
        ),
    ];
    for (actions, mode) in dialogs {
        let mut state = explorer_state();
        apply(&mut state, actions);
        assert_eq!(hanoi_tui::keymap::mode_of(&state), mode);
        let screen = draw(&mut state, 160, 48).backend().to_string();
        for binding in hanoi_tui::keymap::BINDINGS
            .iter()
            .filter(|b| b.mode == Some(mode))
        {
            let key = hanoi_tui::keymap::key_label(binding.code, binding.modifiers);
            assert!(
                screen.contains(&key),
                "{mode:?}: key {key} missing:\n{screen}"
            );
        }
    }
}

#[test]
fn a_bookmarked_statement_is_marked_and_the_basket_count_shows() {
    let mut state = explorer_state();
    apply(
        &mut state,
        &[Action::Enter, Action::ToggleBookmark, Action::BasketAdd],
    );
    let screen = draw(&mut state, 160, 48).backend().to_string();
    assert!(screen.contains("★ “” QUOTE  Nguyen Van A"), "{screen}");
    assert_eq!(
        screen.matches('★').count(),
        2,
        "in the statements and speaker panes"
    );
    assert!(screen.contains(" basket 1 "), "{screen}");
}

/// However tall the speaker's header, their statements keep rows in view: the selected one
/// is what `y`, `a` and Enter act on.
#[test]
fn a_tall_speaker_header_leaves_the_selected_statement_in_view() {
    let mut state = explorer_state();
    apply(&mut state, &[Action::Enter, Action::JumpToSpeaker]);
    assert_eq!(state.focus, Pane::Speaker);
    let screen = draw(&mut state, 80, 12).backend().to_string();
    assert!(screen.contains("Nguyen Van A"), "{screen}");
    assert!(screen.contains("Không ai bị bỏ lại"), "{screen}");
}
