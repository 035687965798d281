//! Terminal events → [`Msg`]s: keys through the keymap, text into the
//! filter or the link prompt while one is being typed, mouse and resize
//! events.

use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers, MouseEventKind};

use crate::keymap::{Action, Key};

use super::app::App;
use super::update::Msg;

/// What a terminal event asks of the reader, if anything.
pub fn translate(app: &App, event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            let bound = app.prefs.keymap.action(Key::from_event(key));
            if app.link_prompt.is_some() {
                return match key.code {
                    _ if bound == Some(Action::Quit) => Some(Msg::Action(Action::Quit)),
                    KeyCode::Enter => Some(Msg::Submit),
                    KeyCode::Esc => Some(Msg::Action(Action::Cancel)),
                    KeyCode::Backspace => Some(Msg::Backspace),
                    KeyCode::Char(c) if c.is_ascii_digit() && key.modifiers.is_empty() => {
                        Some(Msg::Text(c.to_string()))
                    }
                    _ => None,
                };
            }
            if app.nav.editing {
                return match key.code {
                    _ if bound == Some(Action::Quit) => Some(Msg::Action(Action::Quit)),
                    _ if bound == Some(Action::Scope) => Some(Msg::Action(Action::Scope)),
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
                    KeyCode::Down | KeyCode::Up => bound.map(Msg::Action),
                    _ => None,
                };
            }
            bound.map(Msg::Action)
        }
        Event::Paste(text) if app.nav.editing => {
            let line: String = text.chars().filter(|c| !c.is_control()).collect();
            Some(Msg::Text(line))
        }
        Event::Resize(width, height) => Some(Msg::Resize(width, height)),
        Event::Mouse(mouse) if app.prefs.mouse && app.link_prompt.is_none() => match mouse.kind {
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
        },
        _ => None,
    }
}
