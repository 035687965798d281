//! The terminal reader: ratatui on crossterm.
//!
//! - [`app`]: the state, plain data;
//! - [`input`]: terminal events → messages (keys through the keymap);
//! - [`update`]: messages → state changes and effects;
//! - [`layout`]: where the panes go at a size;
//! - [`view`]: drawing from `&App`;
//! - [`terminal`]: raw mode, the alternate screen and restoring them.
//!
//! The loop blocks on the next terminal event (an idle reader uses no CPU),
//! turns it into a message, updates, performs the effects, and draws again
//! only when a message changed something.

pub mod app;
pub mod input;
pub mod layout;
pub mod terminal;
pub mod update;
pub mod view;

use crossterm::event;

use crate::config::Config;
use crate::library::Library;
use crate::state::{self, StateStore};

use app::{App, Prefs};
use update::{Effect, Msg, update};

/// Whether `NO_COLOR` asks for no colours (set and not empty).
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Opens the reader on the configured archive until the user quits.
pub fn run(config: &Config) -> Result<(), String> {
    let library = Library::load(config);
    let (store, marks, warnings) = state::open();
    let prefs = Prefs {
        keymap: config.keymap.clone(),
        theme: config.theme.clone(),
        text: config.text.clone(),
        mouse: config.ui.mouse,
        no_color: no_color(),
    };
    let mut app = App::new(library, marks, prefs, warnings);
    let mut tui =
        terminal::init(app.prefs.mouse).map_err(|e| format!("cannot open the terminal: {e}"))?;
    let result = terminal::watch_signals()
        .map_err(|e| format!("cannot watch for signals: {e}"))
        .and_then(|()| event_loop(&mut tui, &mut app, store.as_ref()));
    let saved = store.as_ref().map(|s| s.save(&app.marks));
    terminal::restore();
    result?;
    match saved {
        Some(Err(e)) => Err(e),
        _ => Ok(()),
    }
}

fn event_loop(
    tui: &mut terminal::Tui,
    app: &mut App,
    store: Option<&StateStore>,
) -> Result<(), String> {
    let io = |e: std::io::Error| format!("terminal: {e}");
    let size = tui.size().map_err(io)?;
    update(app, Msg::Resize(size.width, size.height));
    loop {
        {
            let _guard = terminal::lock();
            tui.draw(|frame| view::draw(frame, app)).map_err(io)?;
        }
        if app.quit {
            return Ok(());
        }
        // Block until something happens; redraw only if it mattered.
        let msg = loop {
            if let Some(msg) = input::translate(app, event::read().map_err(io)?) {
                break msg;
            }
        };
        for effect in update(app, msg) {
            match effect {
                Effect::SaveMarks => {
                    if let Some(Err(e)) = store.map(|s| s.save(&app.marks)) {
                        update(app, Msg::Notice(e));
                    }
                }
            }
        }
    }
}
