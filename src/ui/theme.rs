//! Colours and emphasis. With NO_COLOR set, no colour is used and every distinction the
//! colours make (selection, verbatim vs paraphrase, focus) is made with modifiers instead.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    /// The colours used when `color` is on (the config may change them).
    pub palette: Palette,
}

impl Default for Theme {
    fn default() -> Self {
        Self {
            color: true,
            palette: Palette::default(),
        }
    }
}

/// One colour per role. Every role also has a modifier (bold, italics, reverse), so
/// nothing depends on colour alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// The focused pane's border and title, and speaker names.
    pub accent: Color,
    pub verbatim: Color,
    pub paraphrase: Color,
    pub heading: Color,
    /// Secondary text and unfocused borders.
    pub dim: Color,
    /// Characters a search matched.
    pub matched: Color,
    pub status: Color,
    pub message: Color,
}

impl Default for Palette {
    fn default() -> Self {
        Self {
            accent: Color::Cyan,
            verbatim: Color::Green,
            paraphrase: Color::Yellow,
            heading: Color::Magenta,
            dim: Color::DarkGray,
            matched: Color::Yellow,
            status: Color::Blue,
            message: Color::Yellow,
        }
    }
}

impl Theme {
    /// Colour unless NO_COLOR is set to a non-empty value (no-color.org).
    pub fn from_env() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self {
            color: !no_color,
            palette: Palette::default(),
        }
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
            self.tint(
                Style::new().add_modifier(Modifier::BOLD),
                self.palette.accent,
            )
        } else {
            self.tint(Style::new(), self.palette.dim)
        }
    }

    pub fn verbatim(self) -> Style {
        self.tint(
            Style::new().add_modifier(Modifier::BOLD),
            self.palette.verbatim,
        )
    }

    pub fn paraphrase(self) -> Style {
        self.tint(
            Style::new().add_modifier(Modifier::ITALIC),
            self.palette.paraphrase,
        )
    }

    pub fn speaker(self) -> Style {
        self.tint(
            Style::new().add_modifier(Modifier::BOLD),
            self.palette.accent,
        )
    }

    pub fn heading(self) -> Style {
        self.tint(
            Style::new().add_modifier(Modifier::BOLD),
            self.palette.heading,
        )
    }

    pub fn dim(self) -> Style {
        if self.color {
            Style::new().fg(self.palette.dim)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    /// Characters a search matched.
    pub fn matched(self) -> Style {
        self.tint(
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            self.palette.matched,
        )
    }

    pub fn status(self) -> Style {
        self.tint(
            Style::new().add_modifier(Modifier::REVERSED),
            self.palette.status,
        )
    }

    pub fn message(self) -> Style {
        self.tint(
            Style::new().add_modifier(Modifier::BOLD),
            self.palette.message,
        )
    }
}
