//! Terminal events → [`Msg`]s: keys through the keymap, text into the
//! search or the link prompt while one is being typed, mouse and resize
//! events. What a key means depends on what the keys are typing
//! ([`Input`]): one `match`.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEventKind};

use crate::keymap::{Action, Key};

use super::app::{App, Input};
use super::msg::Msg;

/// What a terminal event asks of the reader, if anything.
pub fn translate(app: &App, event: Event) -> Option<Msg> {
    match (&app.input, event) {
        (input, Event::Key(key)) if key.kind != KeyEventKind::Release => {
            let bound = app.prefs.keymap.action(Key::from_event(key));
            match input {
                Input::LinkNumber(_) => link_key(key, bound),
                Input::Filter => filter_key(key, bound),
                Input::Find | Input::Date(_) => prompt_key(key, bound),
                Input::Browse => bound.map(Msg::Action),
            }
        }
        (Input::Filter | Input::Find | Input::Date(_), Event::Paste(text)) => {
            let line: String = text.chars().filter(|c| !c.is_control()).collect();
            Some(Msg::Text(line))
        }
        (_, Event::Resize(width, height)) => Some(Msg::Resize(width, height)),
        (Input::Browse | Input::Filter, Event::Mouse(mouse)) if app.prefs.mouse => {
            match mouse.kind {
                MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => Some(Msg::Wheel {
                    column: mouse.column,
                    row: mouse.row,
                    down: mouse.kind == MouseEventKind::ScrollDown,
                }),
                MouseEventKind::Down(_) => Some(Msg::Click {
                    column: mouse.column,
                    row: mouse.row,
                }),
                _ => None,
            }
        }
        _ => None,
    }
}

/// A key while a link's number is typed: digits, Enter, Esc, Backspace.
fn link_key(key: KeyEvent, bound: Option<Action>) -> Option<Msg> {
    match key.code {
        _ if bound == Some(Action::Quit) => Some(Msg::Action(Action::Quit)),
        KeyCode::Enter => Some(Msg::Submit),
        KeyCode::Esc => Some(Msg::Action(Action::Cancel)),
        KeyCode::Backspace => Some(Msg::Backspace),
        KeyCode::Char(c) if c.is_ascii_digit() && key.modifiers.is_empty() => {
            Some(Msg::Text(c.to_string()))
        }
        _ => None,
    }
}

/// A key while the search is typed: text, and the few actions that still
/// work (quit, scope, the arrows).
fn filter_key(key: KeyEvent, bound: Option<Action>) -> Option<Msg> {
    match key.code {
        _ if bound == Some(Action::Scope) => Some(Msg::Action(Action::Scope)),
        KeyCode::Down | KeyCode::Up if bound != Some(Action::Quit) => bound.map(Msg::Action),
        _ => prompt_key(key, bound),
    }
}

/// A key while a find or a date is typed: text, Enter, Esc, Backspace,
/// and quit.
fn prompt_key(key: KeyEvent, bound: Option<Action>) -> Option<Msg> {
    match key.code {
        _ if bound == Some(Action::Quit) => Some(Msg::Action(Action::Quit)),
        KeyCode::Enter => Some(Msg::Submit),
        KeyCode::Esc => Some(Msg::Action(Action::Cancel)),
        KeyCode::Backspace => Some(Msg::Backspace),
        KeyCode::Char(c)
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(Msg::Text(c.to_string()))
        }
        _ => None,
    }
}
