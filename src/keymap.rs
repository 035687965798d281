//! Actions and the keys bound to them.
//!
//! A key press never changes state directly: the keymap turns it into an
//! [`Action`], and `ui::update` carries the action out. Actions deserialize
//! from their snake_case names, so `[keys]` in config.toml is checked by
//! serde; keys are written as in the help screen: `j`, `G`, `?`, `Enter`,
//! `Esc`, `Tab`, `BackTab`, `Space`, `Up`, `PageDown`, `Ctrl-c`, `F1` ….

use std::collections::BTreeMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

/// Everything a key can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Move the selection down, or scroll the reader one line down.
    Down,
    /// Move the selection up, or scroll the reader one line up.
    Up,
    /// Focus the pane to the left.
    Left,
    /// Focus the pane to the right.
    Right,
    /// Focus the next pane.
    NextPane,
    /// Focus the previous pane.
    PrevPane,
    /// Open the selected section or article.
    Open,
    /// Go back; on the list, quit.
    Back,
    /// Close the overlay, clear the search or go back; never quits.
    Cancel,
    /// Quit from anywhere.
    Quit,
    /// One page down.
    PageDown,
    /// One page up.
    PageUp,
    /// To the top.
    Top,
    /// To the bottom.
    Bottom,
    /// The next article (while reading).
    NextArticle,
    /// The previous article (while reading).
    PrevArticle,
    /// The next section.
    NextSection,
    /// The previous section.
    PrevSection,
    /// Search the archive (typed in a prompt).
    Filter,
    /// Mark the selected article read or unread.
    ToggleRead,
    /// Star or unstar the selected article.
    ToggleStar,
    /// Open the article's web address, or one of its numbered links, in
    /// the browser.
    OpenLink,
    /// Show or hide the key bindings.
    Help,
    /// Show or hide the warnings from loading the archive.
    Warnings,
    /// Fetch the web feeds in the background.
    Fetch,
    /// Search this section or the whole archive.
    Scope,
    /// The next unread article, across sections, days and feeds.
    NextUnread,
    /// The previous unread article.
    PrevUnread,
    /// Mark every article the list shows read (a section's, a day's or a
    /// feed's); the next key may undo it.
    MarkAllRead,
    /// Show all articles, the unread only, or the starred only.
    View,
    /// Show the text as stored, simplified or traditional (`[text] script`).
    Script,
    /// Fold every day of the sections tree.
    FoldAll,
    /// Jump to a date (typed in a prompt).
    JumpDate,
}

impl Action {
    /// Every action, in the order the help screen lists them.
    pub const ALL: [Action; 33] = [
        Action::Down,
        Action::Up,
        Action::Left,
        Action::Right,
        Action::NextPane,
        Action::PrevPane,
        Action::Open,
        Action::Back,
        Action::Cancel,
        Action::Quit,
        Action::PageDown,
        Action::PageUp,
        Action::Top,
        Action::Bottom,
        Action::NextArticle,
        Action::PrevArticle,
        Action::NextSection,
        Action::PrevSection,
        Action::Filter,
        Action::ToggleRead,
        Action::ToggleStar,
        Action::OpenLink,
        Action::Help,
        Action::Warnings,
        Action::Fetch,
        Action::Scope,
        Action::NextUnread,
        Action::PrevUnread,
        Action::MarkAllRead,
        Action::View,
        Action::Script,
        Action::FoldAll,
        Action::JumpDate,
    ];

    /// The name used in `[keys]`.
    pub fn name(self) -> &'static str {
        match self {
            Action::Down => "down",
            Action::Up => "up",
            Action::Left => "left",
            Action::Right => "right",
            Action::NextPane => "next_pane",
            Action::PrevPane => "prev_pane",
            Action::Open => "open",
            Action::Back => "back",
            Action::Cancel => "cancel",
            Action::Quit => "quit",
            Action::PageDown => "page_down",
            Action::PageUp => "page_up",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::NextArticle => "next_article",
            Action::PrevArticle => "prev_article",
            Action::NextSection => "next_section",
            Action::PrevSection => "prev_section",
            Action::Filter => "filter",
            Action::ToggleRead => "toggle_read",
            Action::ToggleStar => "toggle_star",
            Action::OpenLink => "open_link",
            Action::Help => "help",
            Action::Warnings => "warnings",
            Action::Fetch => "fetch",
            Action::Scope => "scope",
            Action::NextUnread => "next_unread",
            Action::PrevUnread => "prev_unread",
            Action::MarkAllRead => "mark_all_read",
            Action::View => "view",
            Action::Script => "script",
            Action::FoldAll => "fold_all",
            Action::JumpDate => "jump_date",
        }
    }

    /// What the action does, for the help screen.
    pub fn describe(self) -> &'static str {
        match self {
            Action::Down => "move down / scroll down",
            Action::Up => "move up / scroll up",
            Action::Left => "pane to the left",
            Action::Right => "pane to the right",
            Action::NextPane => "next pane",
            Action::PrevPane => "previous pane",
            Action::Open => "open",
            Action::Back => "back; quit from the list",
            Action::Cancel => "close, clear the search, back",
            Action::Quit => "quit",
            Action::PageDown => "page down",
            Action::PageUp => "page up",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::NextArticle => "next article; next match of a find",
            Action::PrevArticle => "previous article; previous match",
            Action::NextSection => "next section",
            Action::PrevSection => "previous section",
            Action::Filter => "search the archive; in the reader, find",
            Action::ToggleRead => "toggle read",
            Action::ToggleStar => "toggle star",
            Action::OpenLink => "open the link in the browser, or link [n]",
            Action::Help => "this help",
            Action::Warnings => "warnings from loading",
            Action::Fetch => "fetch web feeds",
            Action::Scope => "search: this section / everything",
            Action::NextUnread => "next unread article",
            Action::PrevUnread => "previous unread article",
            Action::MarkAllRead => "mark the list read (Esc undoes)",
            Action::View => "show all / unread / starred",
            Action::Script => "script: as stored / 简 / 繁 / 臺 / 港",
            Action::FoldAll => "fold every date",
            Action::JumpDate => "jump to a date",
        }
    }

    /// The keys bound to the action unless `[keys]` says otherwise.
    pub fn default_keys(self) -> &'static [&'static str] {
        match self {
            Action::Down => &["j", "Down"],
            Action::Up => &["k", "Up"],
            Action::Left => &["h", "Left"],
            Action::Right => &["l", "Right"],
            Action::NextPane => &["Tab"],
            Action::PrevPane => &["BackTab"],
            Action::Open => &["Enter"],
            Action::Back => &["q"],
            Action::Cancel => &["Esc"],
            Action::Quit => &["Ctrl-c"],
            Action::PageDown => &["Space", "PageDown"],
            Action::PageUp => &["b", "PageUp"],
            Action::Top => &["g", "Home"],
            Action::Bottom => &["G", "End"],
            Action::NextArticle => &["n"],
            Action::PrevArticle => &["N"],
            Action::NextSection => &["J"],
            Action::PrevSection => &["K"],
            Action::Filter => &["/"],
            Action::ToggleRead => &["r"],
            Action::ToggleStar => &["s"],
            Action::OpenLink => &["o"],
            Action::Help => &["?"],
            Action::Warnings => &["W"],
            Action::Fetch => &["R"],
            Action::Scope => &["Ctrl-t"],
            Action::NextUnread => &["u"],
            Action::PrevUnread => &["U"],
            Action::MarkAllRead => &["A"],
            Action::View => &["v"],
            Action::Script => &["T"],
            Action::FoldAll => &["z"],
            Action::JumpDate => &[":"],
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One key with its modifiers, as written in config.toml.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    /// Only Ctrl and Alt; Shift is part of the character (`G`).
    pub modifiers: KeyModifiers,
}

const NAMED: [(&str, KeyCode); 16] = [
    ("Enter", KeyCode::Enter),
    ("Esc", KeyCode::Esc),
    ("Tab", KeyCode::Tab),
    ("BackTab", KeyCode::BackTab),
    ("Space", KeyCode::Char(' ')),
    ("Backspace", KeyCode::Backspace),
    ("Delete", KeyCode::Delete),
    ("Insert", KeyCode::Insert),
    ("Up", KeyCode::Up),
    ("Down", KeyCode::Down),
    ("Left", KeyCode::Left),
    ("Right", KeyCode::Right),
    ("PageUp", KeyCode::PageUp),
    ("PageDown", KeyCode::PageDown),
    ("Home", KeyCode::Home),
    ("End", KeyCode::End),
];

/// Why a key could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyError(pub String);

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Key {
    type Err = KeyError;

    fn from_str(text: &str) -> Result<Key, KeyError> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.len() > 2 && (lower.starts_with("ctrl-") || lower.starts_with("c-")) {
                modifiers |= KeyModifiers::CONTROL;
                rest = &rest[rest.find('-').map_or(0, |i| i + 1)..];
            } else if rest.len() > 2 && (lower.starts_with("alt-") || lower.starts_with("a-")) {
                modifiers |= KeyModifiers::ALT;
                rest = &rest[rest.find('-').map_or(0, |i| i + 1)..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_control() => KeyCode::Char(c),
            _ => {
                if let Some((_, code)) = NAMED.iter().find(|(n, _)| n.eq_ignore_ascii_case(rest)) {
                    *code
                } else if let Some(n) = rest
                    .strip_prefix(['F', 'f'])
                    .and_then(|n| n.parse::<u8>().ok())
                    .filter(|n| (1..=12).contains(n))
                {
                    KeyCode::F(n)
                } else {
                    let names: Vec<&str> = NAMED.iter().map(|(n, _)| *n).collect();
                    return Err(KeyError(format!(
                        "unknown key \"{text}\"; write one character (\"j\", \"G\", \"?\"), F1-F12, or one of: {}, with an optional Ctrl- or Alt- prefix",
                        names.join(", ")
                    )));
                }
            }
        };
        // Ctrl with a letter is case-blind in terminals.
        let code = match code {
            KeyCode::Char(c) if modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            other => other,
        };
        Ok(Key { code, modifiers })
    }
}

impl Key {
    /// The key of a terminal key event, normalised as [`Key`]s are.
    pub fn from_event(event: KeyEvent) -> Key {
        let modifiers = event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let code = match event.code {
            KeyCode::Char(c) if modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            // Some terminals send Shift-Tab as Tab with Shift.
            KeyCode::Tab if event.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            other => other,
        };
        Key { code, modifiers }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if let Some((name, _)) = NAMED.iter().find(|(_, code)| *code == self.code) {
            return f.write_str(name);
        }
        match self.code {
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// Keys to actions: the defaults, with `[keys]` replacing an action's keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    bindings: Vec<(Key, Action)>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::with_overrides(&BTreeMap::new()).unwrap_or(Keymap {
            bindings: Vec::new(),
        })
    }
}

impl Keymap {
    /// The defaults, with the keys of each action in `overrides` replaced.
    /// Errors name the action and the key: an unreadable key, or a key
    /// bound to two actions.
    pub fn with_overrides(overrides: &BTreeMap<Action, Vec<String>>) -> Result<Keymap, KeyError> {
        let mut bindings: Vec<(Key, Action)> = Vec::new();
        for action in Action::ALL {
            let keys: Vec<&str> = match overrides.get(&action) {
                Some(keys) => keys.iter().map(String::as_str).collect(),
                None => action.default_keys().to_vec(),
            };
            for text in keys {
                let key: Key = text
                    .parse()
                    .map_err(|e: KeyError| KeyError(format!("[keys] {}: {e}", action.name())))?;
                if let Some((_, other)) = bindings.iter().find(|(k, _)| *k == key) {
                    let (first, second) = if overrides.contains_key(&action) {
                        (*other, action)
                    } else {
                        (action, *other)
                    };
                    return Err(KeyError(format!(
                        "[keys] {}: key \"{text}\" is already bound to {}; bind {} to another key",
                        second.name(),
                        first.name(),
                        first.name()
                    )));
                }
                bindings.push((key, action));
            }
        }
        Ok(Keymap { bindings })
    }

    /// The action bound to a key, if any.
    pub fn action(&self, key: Key) -> Option<Action> {
        self.bindings
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, a)| *a)
    }

    /// The keys bound to an action, in the order they were given.
    pub fn keys(&self, action: Action) -> Vec<Key> {
        self.bindings
            .iter()
            .filter(|(_, a)| *a == action)
            .map(|(k, _)| *k)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::letter("j", KeyCode::Char('j'), KeyModifiers::NONE)]
    #[case::capital("G", KeyCode::Char('G'), KeyModifiers::NONE)]
    #[case::symbol("?", KeyCode::Char('?'), KeyModifiers::NONE)]
    #[case::han("看", KeyCode::Char('看'), KeyModifiers::NONE)]
    #[case::enter("Enter", KeyCode::Enter, KeyModifiers::NONE)]
    #[case::case_blind_name("pagedown", KeyCode::PageDown, KeyModifiers::NONE)]
    #[case::space("Space", KeyCode::Char(' '), KeyModifiers::NONE)]
    #[case::ctrl("Ctrl-c", KeyCode::Char('c'), KeyModifiers::CONTROL)]
    #[case::ctrl_short_upper("C-C", KeyCode::Char('c'), KeyModifiers::CONTROL)]
    #[case::alt("Alt-Enter", KeyCode::Enter, KeyModifiers::ALT)]
    #[case::function("F5", KeyCode::F(5), KeyModifiers::NONE)]
    fn keys_parse(#[case] text: &str, #[case] code: KeyCode, #[case] modifiers: KeyModifiers) {
        assert_eq!(text.parse::<Key>(), Ok(Key { code, modifiers }));
    }

    #[rstest]
    #[case::word("jump")]
    #[case::empty("")]
    #[case::bad_function("F13")]
    fn bad_keys_are_refused(#[case] text: &str) {
        let err = text.parse::<Key>().err().map(|e| e.0).unwrap_or_default();
        assert!(err.starts_with(&format!("unknown key \"{text}\"")), "{err}");
    }

    #[test]
    fn defaults_bind_every_action_without_conflict() {
        let map = Keymap::with_overrides(&BTreeMap::new()).map_err(|e| e.0);
        let map = map.unwrap_or_else(|e| panic!("{e}"));
        for action in Action::ALL {
            assert!(!map.keys(action).is_empty(), "{action}");
        }
        assert_eq!(
            map.action(Key::from_event(KeyEvent::from(KeyCode::Char('j')))),
            Some(Action::Down)
        );
    }

    #[test]
    fn an_override_replaces_the_defaults_of_its_action() {
        let overrides = BTreeMap::from([(Action::Down, vec!["Ctrl-n".to_owned()])]);
        let map = Keymap::with_overrides(&overrides).unwrap_or_default();
        let ctrl_n = Key {
            code: KeyCode::Char('n'),
            modifiers: KeyModifiers::CONTROL,
        };
        assert_eq!(map.action(ctrl_n), Some(Action::Down));
        let j = Key {
            code: KeyCode::Char('j'),
            modifiers: KeyModifiers::NONE,
        };
        assert_eq!(map.action(j), None);
    }

    #[test]
    fn a_key_bound_twice_is_an_error() {
        let overrides = BTreeMap::from([(Action::Help, vec!["j".to_owned()])]);
        let err = Keymap::with_overrides(&overrides).err().map(|e| e.0);
        assert_eq!(
            err.as_deref(),
            Some("[keys] help: key \"j\" is already bound to down; bind down to another key")
        );
    }

    #[test]
    fn every_action_is_listed_once() {
        let mut names: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Action::ALL.len());
    }
}
