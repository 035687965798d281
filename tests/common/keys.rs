//! Keys as a user types them, for the tests that drive the reader's
//! `update` without a terminal: `press(&mut app, "jj<Enter>G")`.
//! Characters are keys (`'\n'` is Enter); `<Name>` names the others
//! (`<Enter>`, `<Esc>`, `<Tab>`, `<S-Tab>`, `<Down>`, `<Space>`, `<C-c>` …).
//!
//! Effects come back to the caller; an article's text that the reader
//! asks to read ([`Effect::Read`]) is read here, as the loop reads it, when
//! the feeds are given ([`press_reading`]).

#![allow(dead_code, reason = "each test crate uses a subset")]

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use kanbao::config::FeedConfig;
use kanbao::ui::app::App;
use kanbao::ui::input::translate;
use kanbao::ui::update::{Effect, update};

/// Types `keys`; returns the effects `update` asked for.
pub fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    press_reading(app, keys, &[])
}

/// Types `keys`, reading the articles' text the reader asks for from
/// `feeds` as the loop would; returns the other effects.
pub fn press_reading(app: &mut App, keys: &str, feeds: &[FeedConfig]) -> Vec<Effect> {
    let mut effects = Vec::new();
    let mut chars = keys.chars();
    while let Some(c) = chars.next() {
        let event = match c {
            '<' => {
                let name: String = chars.by_ref().take_while(|c| *c != '>').collect();
                key_named(&name)
            }
            '\n' => KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
            c => KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
        };
        if let Some(msg) = translate(app, Event::Key(event)) {
            let asked = update(app, msg);
            effects.extend(perform_reads(app, asked, feeds));
        }
    }
    effects
}

/// Reads the articles `effects` ask for (when `feeds` are given) and
/// updates `app` with them, until none is asked for; returns the rest.
pub fn perform_reads(app: &mut App, effects: Vec<Effect>, feeds: &[FeedConfig]) -> Vec<Effect> {
    let mut rest = Vec::new();
    let mut todo = effects;
    while !todo.is_empty() {
        let mut next = Vec::new();
        for effect in todo {
            match effect {
                Effect::Read { index, then } if !feeds.is_empty() => {
                    let msg = kanbao::ui::read_article(app, feeds, index, then);
                    let asked = update(app, msg);
                    next.extend(asked);
                }
                other => rest.push(other),
            }
        }
        todo = next;
    }
    rest
}

pub fn key_named(name: &str) -> KeyEvent {
    let plain = |code| KeyEvent::new(code, KeyModifiers::NONE);
    match name {
        "Enter" => plain(KeyCode::Enter),
        "Esc" => plain(KeyCode::Esc),
        "Tab" => plain(KeyCode::Tab),
        "S-Tab" => KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
        "Down" => plain(KeyCode::Down),
        "Up" => plain(KeyCode::Up),
        "Left" => plain(KeyCode::Left),
        "Right" => plain(KeyCode::Right),
        "Space" => plain(KeyCode::Char(' ')),
        "PageDown" => plain(KeyCode::PageDown),
        "PageUp" => plain(KeyCode::PageUp),
        "Home" => plain(KeyCode::Home),
        "End" => plain(KeyCode::End),
        "BS" => plain(KeyCode::Backspace),
        "C-c" => KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
        other => panic!("no key named <{other}>"),
    }
}
