//! Keys: actions from the keymap, and text typed into the search or the
//! link prompt. What the keys do depends on what they are typing
//! ([`Input`]), then on the overlay, then on the focused pane.

use crate::keymap::Action;

use super::super::app::{App, Input, Overlay, Shown};
use super::super::layout::Focus;
use super::super::msg::Effect;
use super::links::{open_link, submit_link};
use super::reader::{reader_page, scroll, scroll_to, show};
use super::{moved, page};

/// Digits a link's number may have in the prompt.
const LINK_DIGITS: usize = 4;

/// An action from the keymap.
pub(super) fn action(app: &mut App, action: Action, effects: &mut Vec<Effect>) {
    match app.input {
        Input::LinkNumber(_) => {
            // Only Cancel and Quit reach here from the prompt.
            app.input = Input::Browse;
            app.quit |= action == Action::Quit;
        }
        _ if app.overlay.is_some() => overlay_action(app, action),
        _ => act(app, action, effects),
    }
}

/// Text typed (or pasted, or composed by an input method).
pub(super) fn text(app: &mut App, text: &str) {
    match &mut app.input {
        Input::LinkNumber(typed) => {
            let room = LINK_DIGITS.saturating_sub(typed.len());
            typed.extend(text.chars().filter(char::is_ascii_digit).take(room));
        }
        Input::Filter => {
            let mut query = app.archive.query().to_owned();
            query.push_str(text);
            app.archive.set_query(query);
            app.nav.article = 0;
        }
        Input::Browse => {}
    }
}

pub(super) fn backspace(app: &mut App) {
    match &mut app.input {
        Input::LinkNumber(typed) => {
            typed.pop();
        }
        Input::Filter => {
            let mut query = app.archive.query().to_owned();
            query.pop();
            app.archive.set_query(query);
            app.nav.article = 0;
        }
        Input::Browse => {}
    }
}

/// Enter while typing: the search is kept, or the link is opened.
pub(super) fn submit(app: &mut App, effects: &mut Vec<Effect>) {
    match std::mem::take(&mut app.input) {
        Input::LinkNumber(typed) => submit_link(app, &typed, effects),
        Input::Filter | Input::Browse => {}
    }
}

fn overlay_action(app: &mut App, action: Action) {
    let page = page(app);
    let Some(which) = app.overlay.map(|s| s.which) else {
        return;
    };
    match action {
        Action::Help if which == Overlay::Help => app.overlay = None,
        Action::Warnings if which == Overlay::Warnings => app.overlay = None,
        Action::Help => show_overlay(app, Overlay::Help),
        Action::Warnings => show_overlay(app, Overlay::Warnings),
        Action::Back | Action::Cancel => app.overlay = None,
        Action::Quit => app.quit = true,
        _ => {
            if let Some(shown) = app.overlay.as_mut() {
                shown.top = match action {
                    Action::Down => shown.top + 1,
                    Action::Up => shown.top.saturating_sub(1),
                    Action::PageDown => shown.top + page,
                    Action::PageUp => shown.top.saturating_sub(page),
                    Action::Top => 0,
                    Action::Bottom => usize::MAX,
                    _ => shown.top,
                };
            }
        }
    }
}

pub(super) fn scroll_overlay(app: &mut App, down: bool) {
    overlay_action(app, if down { Action::Down } else { Action::Up });
}

fn show_overlay(app: &mut App, which: Overlay) {
    app.overlay = Some(Shown { which, top: 0 });
}

fn act(app: &mut App, action: Action, effects: &mut Vec<Effect>) {
    let reading = app.focus == Focus::Reader;
    match action {
        Action::Down if reading => scroll(app, 1, true),
        Action::Up if reading => scroll(app, 1, false),
        Action::Down => step(app, 1, true),
        Action::Up => step(app, 1, false),
        Action::PageDown if reading => scroll(app, reader_page(app), true),
        Action::PageUp if reading => scroll(app, reader_page(app), false),
        Action::PageDown => step(app, list_page(app), true),
        Action::PageUp => step(app, list_page(app), false),
        Action::Top if reading => scroll_to(app, 0),
        Action::Bottom if reading => scroll_to(app, app.reader.max_top()),
        Action::Top => step(app, usize::MAX, false),
        Action::Bottom => step(app, usize::MAX, true),
        Action::Left => match app.focus {
            Focus::Reader => close_reader(app),
            Focus::Articles => app.focus = Focus::Sections,
            Focus::Sections => {}
        },
        Action::Right => match app.focus {
            Focus::Sections => app.focus = Focus::Articles,
            Focus::Articles => open(app, effects),
            Focus::Reader => {}
        },
        Action::NextPane => match app.focus {
            Focus::Sections => app.focus = Focus::Articles,
            Focus::Articles => open(app, effects),
            Focus::Reader => {
                close_reader(app);
                app.focus = Focus::Sections;
            }
        },
        Action::PrevPane => match app.focus {
            Focus::Sections => open(app, effects),
            Focus::Articles => app.focus = Focus::Sections,
            Focus::Reader => close_reader(app),
        },
        Action::Open => match app.focus {
            Focus::Sections => app.focus = Focus::Articles,
            Focus::Articles => open(app, effects),
            Focus::Reader => {}
        },
        Action::Back => match app.focus {
            Focus::Reader => close_reader(app),
            Focus::Articles | Focus::Sections => app.quit = true,
        },
        Action::Cancel => {
            if !app.archive.query().is_empty() || app.input == Input::Filter {
                app.archive.set_query(String::new());
                app.input = Input::Browse;
            } else if reading {
                close_reader(app);
            }
        }
        Action::Quit => app.quit = true,
        Action::NextArticle => next_article(app, true, effects),
        Action::PrevArticle => next_article(app, false, effects),
        Action::NextSection | Action::PrevSection => {
            let before = app.nav.section;
            next_section(app, action == Action::NextSection);
            // While reading, the reader follows: the section's first
            // article, as `n` does at a section's end.
            if app.reader.opened && app.nav.section != before {
                open(app, effects);
            }
        }
        Action::Filter => {
            app.input = Input::Filter;
            if app.focus == Focus::Sections {
                app.focus = Focus::Articles;
            }
        }
        Action::ToggleRead => {
            if let Some(id) = target_id(app) {
                let read = app.archive.toggle_read(&id);
                app.status.message =
                    Some(if read { "marked read" } else { "marked unread" }.to_owned());
                effects.push(Effect::SaveMarks);
            }
        }
        Action::ToggleStar => {
            if let Some(id) = target_id(app) {
                let starred = app.archive.toggle_star(&id);
                app.status.message = Some(if starred { "starred" } else { "unstarred" }.to_owned());
                effects.push(Effect::SaveMarks);
            }
        }
        Action::OpenLink => open_link(app, effects),
        Action::Help => show_overlay(app, Overlay::Help),
        Action::Scope => {
            app.nav.everywhere = !app.nav.everywhere;
            app.nav.article = 0;
            app.status.message = Some(
                if app.nav.everywhere {
                    "search: everything"
                } else {
                    "search: this section"
                }
                .to_owned(),
            );
        }
        Action::Fetch => {
            if app.status.fetching.is_some() {
                app.status.message = Some("already fetching".to_owned());
            } else {
                effects.push(Effect::StartFetch);
            }
        }
        Action::Warnings => {
            if app.archive.warnings.is_empty() {
                app.status.message = Some("no warnings: everything loaded".to_owned());
            } else {
                show_overlay(app, Overlay::Warnings);
            }
        }
    }
}

/// The article that read/star marks apply to.
fn target_id(app: &App) -> Option<String> {
    app.target()
        .and_then(|i| app.archive.articles.get(i))
        .map(|a| a.id.clone())
}

fn list_page(app: &App) -> usize {
    let pane = match app.focus {
        Focus::Sections => app.panes.sections,
        _ => app.panes.articles,
    };
    pane.map_or(1, |p| usize::from(p.body.height).max(1))
}

/// Moves the selection in the focused list.
fn step(app: &mut App, by: usize, down: bool) {
    match app.focus {
        Focus::Sections => {
            let section = moved(app.nav.section, by, down, app.archive.sections.len());
            select_section(app, section);
        }
        _ => {
            let len = app.listed().len();
            app.nav.article = moved(app.nav.article, by, down, len);
        }
    }
}

/// Opens the selected article in the reader and marks it read.
pub(super) fn open(app: &mut App, effects: &mut Vec<Effect>) {
    let Some(index) = app.selected() else {
        app.status.message = Some("no article here".to_owned());
        return;
    };
    app.focus = Focus::Reader;
    app.reader.opened = true;
    show(app, index);
    let id = app.archive.articles[index].id.clone();
    if !app.archive.marks().is_read(&id) {
        app.archive.set_read(&id, true);
        effects.push(Effect::SaveMarks);
    }
}

fn close_reader(app: &mut App) {
    app.reader.opened = false;
    app.focus = Focus::Articles;
}

fn next_article(app: &mut App, forward: bool, effects: &mut Vec<Effect>) {
    let len = app.listed().len();
    let at_end = if forward {
        app.nav.article + 1 >= len
    } else {
        app.nav.article == 0
    };
    if at_end {
        let before = app.nav.section;
        next_section(app, forward);
        if app.nav.section == before {
            app.status.message = Some(
                if forward {
                    "last article"
                } else {
                    "first article"
                }
                .to_owned(),
            );
            return;
        }
        if !forward {
            let len = app.listed().len();
            app.nav.article = len.saturating_sub(1);
        }
    } else if forward {
        app.nav.article += 1;
    } else {
        app.nav.article -= 1;
    }
    if app.reader.opened {
        open(app, effects);
    }
}

pub(super) fn next_section(app: &mut App, forward: bool) {
    let section = moved(app.nav.section, 1, forward, app.archive.sections.len());
    select_section(app, section);
}

/// Selects a section and its first article.
pub(super) fn select_section(app: &mut App, section: usize) {
    if section != app.nav.section {
        app.nav.section = section;
        app.nav.article = 0;
        app.nav.article_offset = 0;
    }
}
