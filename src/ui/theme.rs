//! Colours and emphasis. With NO_COLOR set, no colour is used and every distinction the
//! colours make (selection, verbatim vs paraphrase, focus) is made with modifiers instead.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Self { color: true }
    }
}

impl Theme {
    /// Colour unless NO_COLOR is set to a non-empty value (no-color.org).
    pub fn from_env() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self { color: !no_color }
    }

    fn tint(self, style: Style, color: Color) -> Style {
        if self.color { style.fg(color) } else { style }
    }

    /// The selected row: reversed in the focused pane, bold elsewhere so the eye finds
    /// where each pane stands.
    pub fn selected(self, focused: bool) -> Style {
        if focused {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    pub fn border(self, focused: bool) -> Style {
        if focused {
            self.tint(Style::new().add_modifier(Modifier::BOLD), Color::Cyan)
        } else {
            self.tint(Style::new(), Color::DarkGray)
        }
    }

    pub fn verbatim(self) -> Style {
        self.tint(Style::new().add_modifier(Modifier::BOLD), Color::Green)
    }

    pub fn paraphrase(self) -> Style {
        self.tint(Style::new().add_modifier(Modifier::ITALIC), Color::Yellow)
    }

    pub fn speaker(self) -> Style {
        self.tint(Style::new().add_modifier(Modifier::BOLD), Color::Cyan)
    }

    pub fn heading(self) -> Style {
        self.tint(Style::new().add_modifier(Modifier::BOLD), Color::Magenta)
    }

    pub fn dim(self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    /// Characters a search matched.
    pub fn matched(self) -> Style {
        self.tint(
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            Color::Yellow,
        )
    }

    pub fn status(self) -> Style {
        self.tint(Style::new().add_modifier(Modifier::REVERSED), Color::Blue)
    }

    pub fn message(self) -> Style {
        self.tint(Style::new().add_modifier(Modifier::BOLD), Color::Yellow)
    }
}
