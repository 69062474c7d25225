//! The optional `config.ron`: key overrides by action name, theme colours, the default
//! copy and export formats, and a clipboard command. A bad file never stops the app: the
//! error (with file:line:column) is shown and the defaults are used.
//!
//! ```ron
//! (
//!     keys: { "copy": ["c"], "basket_add": ["+", "Ctrl-a"] },
//!     theme: (accent: "light-blue", verbatim: "#00aa00"),
//!     copy_format: "markdown",
//!     export_format: "csv",
//!     clipboard_command: ["wl-copy", "--type", "text/plain"],
//! )
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::style::Color;
use serde::Deserialize;
use serde::de::{self, Deserializer};

use crate::collection::DocumentFormat;
use crate::export::Format;
use crate::keymap::{BINDABLE, Binding, parse_key, with_overrides};
use crate::text::sanitize_line;
use crate::ui::Theme;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Normal-mode keys by action name; the keys given replace the action's defaults.
    #[serde(default)]
    pub keys: BTreeMap<ActionName, Vec<Key>>,
    #[serde(default)]
    pub theme: ThemeColors,
    /// What `y` copies in (plain, markdown, json).
    #[serde(default, deserialize_with = "format_name")]
    pub copy_format: Option<Format>,
    /// What a basket export suggests (md, csv, json).
    #[serde(default, deserialize_with = "format_name")]
    pub export_format: Option<DocumentFormat>,
    /// A program and its arguments that take the text on standard input, tried before the
    /// usual clipboard programs.
    #[serde(default)]
    pub clipboard_command: Option<Vec<String>>,
}

/// Colours by role; unset roles keep the default. Ignored under NO_COLOR.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeColors {
    pub accent: Option<Colour>,
    pub verbatim: Option<Colour>,
    pub paraphrase: Option<Colour>,
    pub heading: Option<Colour>,
    pub dim: Option<Colour>,
    pub matched: Option<Colour>,
    pub status: Option<Colour>,
    pub message: Option<Colour>,
}

/// An action a config may bind: an index into `keymap::BINDABLE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ActionName(usize);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key(pub KeyCode, pub KeyModifiers);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour(pub Color);

/// Reads a string and turns it into `T`, or fails with `expected` (where ron adds the
/// position).
fn from_name<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    parse: impl Fn(&str) -> Option<T>,
    expected: impl Fn(&str) -> String,
) -> Result<T, D::Error> {
    let text = String::deserialize(deserializer)?;
    parse(&text).ok_or_else(|| de::Error::custom(expected(&sanitize_line(&text))))
}

/// A format by the name the command line uses for it (`--format`).
fn format_name<'de, D: Deserializer<'de>, F: clap::ValueEnum>(
    deserializer: D,
) -> Result<Option<F>, D::Error> {
    from_name(
        deserializer,
        |name| F::from_str(name, true).ok(),
        |name| {
            let known: Vec<String> = F::value_variants()
                .iter()
                .filter_map(|v| Some(v.to_possible_value()?.get_name().to_owned()))
                .collect();
            format!("unknown format \"{name}\" (formats: {})", known.join(", "))
        },
    )
    .map(Some)
}

impl<'de> Deserialize<'de> for ActionName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        from_name(
            deserializer,
            |name| {
                BINDABLE
                    .iter()
                    .position(|(n, _)| *n == name)
                    .map(ActionName)
            },
            // The list of names is in the README; in full it would push everything else
            // out of the status bar.
            |name| format!("unknown action \"{name}\" (the README lists action names)"),
        )
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        from_name(
            deserializer,
            |text| parse_key(text).map(|(code, modifiers)| Key(code, modifiers)),
            |text| {
                format!(
                    "unknown key \"{text}\" (write keys as the help shows them: \
                     j, Y, Ctrl-a, Enter, Esc, Tab, PgDn, ↑, F5)"
                )
            },
        )
    }
}

impl<'de> Deserialize<'de> for Colour {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        from_name(
            deserializer,
            |text| text.parse::<Color>().ok().map(Colour),
            |text| {
                format!(
                    "unknown colour \"{text}\" (a name like cyan or light-blue, 0–255, or #rrggbb)"
                )
            },
        )
    }
}

/// Why the config was not used, with where in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The config at `path`: none if there is no file; on any error, the defaults and the
/// error ("config.ron:3:14: unknown action \"cpy\" …").
pub fn load(path: Option<&Path>) -> (Config, Option<ConfigError>) {
    let Some(path) = path else {
        return (Config::default(), None);
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return (Config::default(), None);
        }
        Err(error) => {
            let message = format!("{}: {error}", path.display());
            return (Config::default(), Some(ConfigError(message)));
        }
    };
    // An editor may save a byte order mark, which RON does not take for white space.
    match parse(text.strip_prefix('\u{feff}').unwrap_or(&text)) {
        Ok(config) => (config, None),
        Err(error) => {
            let start = error.span.start;
            let message = format!(
                "{}:{}:{}: {}",
                path.display(),
                start.line,
                start.col,
                error.code
            );
            (
                Config::default(),
                Some(ConfigError(sanitize_line(&message))),
            )
        }
    }
}

fn parse(text: &str) -> Result<Config, ron::error::SpannedError> {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(text)
}

impl Config {
    /// The key table with this config's overrides, if it has any.
    pub fn bindings(&self) -> Option<Vec<Binding>> {
        if self.keys.is_empty() {
            return None;
        }
        let overrides: Vec<_> = self
            .keys
            .iter()
            .map(|(ActionName(index), keys)| {
                let keys = keys.iter().map(|Key(code, modifiers)| (*code, *modifiers));
                (BINDABLE[*index].1.clone(), keys.collect())
            })
            .collect();
        Some(with_overrides(&overrides))
    }

    /// `base` (which knows whether colour is allowed) with this config's colours.
    pub fn theme(&self, mut base: Theme) -> Theme {
        let colors = &self.theme;
        let palette = &mut base.palette;
        for (slot, colour) in [
            (&mut palette.accent, colors.accent),
            (&mut palette.verbatim, colors.verbatim),
            (&mut palette.paraphrase, colors.paraphrase),
            (&mut palette.heading, colors.heading),
            (&mut palette.dim, colors.dim),
            (&mut palette.matched, colors.matched),
            (&mut palette.status, colors.status),
            (&mut palette.message, colors.message),
        ] {
            if let Some(Colour(colour)) = colour {
                *slot = colour;
            }
        }
        base
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::Action;

    fn load_text(text: &str) -> (Config, Option<ConfigError>) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.ron");
        std::fs::write(&path, text).expect("write");
        let (config, error) = load(Some(&path));
        let error =
            error.map(|e| ConfigError(e.0.replace(&path.display().to_string(), "config.ron")));
        (config, error)
    }

    #[test]
    fn a_byte_order_mark_is_ignored() {
        let (config, error) = load_text("\u{feff}(copy_format: \"markdown\")");
        assert_eq!(error, None);
        assert_eq!(config.copy_format, Some(Format::Markdown));
    }

    #[test]
    fn the_documented_example_loads() {
        let example = r##"(
    keys: { "copy": ["c"], "basket_add": ["+", "Ctrl-a"] },
    theme: (accent: "light-blue", verbatim: "#00aa00"),
    copy_format: "markdown",
    export_format: "csv",
    clipboard_command: ["wl-copy", "--type", "text/plain"],
)"##;
        let (config, error) = load_text(example);
        assert_eq!(error, None);
        assert_eq!(config.copy_format, Some(Format::Markdown));
        assert_eq!(config.export_format, Some(DocumentFormat::Csv));
        assert_eq!(
            config.clipboard_command.as_deref(),
            Some(
                &[
                    "wl-copy".to_owned(),
                    "--type".to_owned(),
                    "text/plain".to_owned()
                ][..]
            )
        );
        let theme = config.theme(Theme::default());
        assert_eq!(theme.palette.accent, Color::LightBlue);
        assert_eq!(theme.palette.verbatim, Color::Rgb(0, 0xaa, 0));
        assert_eq!(
            theme.palette.paraphrase,
            Color::Yellow,
            "unset roles keep the default"
        );
        let table = config.bindings().expect("overrides");
        assert!(table.iter().any(|b| b.action == Action::BasketAdd
            && b.code == KeyCode::Char('a')
            && b.modifiers == KeyModifiers::CONTROL));
        assert!(!table.iter().any(|b| b.action == Action::Copy
            && b.code == KeyCode::Char('y')
            && b.mode == Some(crate::keymap::Mode::Normal)));
    }

    #[test]
    fn no_color_wins_over_configured_colours() {
        let (config, _) = load_text("(theme: (verbatim: \"red\"))");
        let plain = Theme {
            color: false,
            ..Theme::default()
        };
        let theme = config.theme(plain);
        assert!(!theme.color);
        assert_eq!(theme.verbatim().fg, None, "no colour under NO_COLOR");
        let coloured = config.theme(Theme::default());
        assert_eq!(coloured.verbatim().fg, Some(Color::Red));
    }

    #[test]
    fn no_file_is_the_defaults_without_a_word() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(
            load(Some(&dir.path().join("none.ron"))),
            (Config::default(), None)
        );
        assert_eq!(load(None), (Config::default(), None));
        assert!(Config::default().bindings().is_none());
    }

    #[test]
    fn an_unknown_action_is_reported_with_line_and_column() {
        let (config, error) = load_text("(\n    keys: {\n        \"cpy\": [\"c\"],\n    },\n)\n");
        assert_eq!(config, Config::default(), "defaults are used");
        let message = error.expect("error").0;
        assert!(message.starts_with("config.ron:3:"), "{message}");
        assert!(
            message.contains("unknown action \"cpy\" (the README"),
            "{message}"
        );
    }

    #[test]
    fn an_unknown_field_key_or_colour_is_reported_with_line_and_column() {
        let (_, error) = load_text("(\n  copy_fromat: \"json\",\n)");
        let message = error.expect("error").0;
        assert!(message.starts_with("config.ron:2:"), "{message}");
        assert!(message.contains("copy_fromat"), "{message}");
        let (_, error) = load_text("(keys: {\"copy\": [\"Hyper-c\"]})");
        let message = error.expect("error").0;
        assert!(message.starts_with("config.ron:1:"), "{message}");
        assert!(message.contains("unknown key \"Hyper-c\""), "{message}");
        let (_, error) = load_text("(theme: (accent: \"sky\\u{1b}[2J\"))");
        let message = error.expect("error").0;
        assert!(
            message.contains("unknown colour \"sky[2J\""),
            "escape stripped: {message}"
        );
        let (_, error) = load_text("(copy_format: \"pdf\")");
        assert!(error.expect("error").0.starts_with("config.ron:1:"));
    }

    #[test]
    fn a_syntax_error_is_reported_with_line_and_column() {
        let (_, error) = load_text("(\n  keys: { \"copy\": [\"c\" },\n)");
        let message = error.expect("error").0;
        assert!(message.starts_with("config.ron:2:"), "{message}");
    }
}
