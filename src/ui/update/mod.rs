//! `update`: the one place where the reader's state changes.
//!
//! Every input arrives as a [`Msg`] (a key already turned into an
//! [`Action`] by the keymap, text typed into the filter, a resize, a mouse
//! event, a report from the loop or a worker). `update` applies it, then
//! settles the state: panes for the new size and focus, selection and
//! scroll offsets clamped, the reader's text laid out at its pane's width.
//! Everything that touches a disk, the network, a thread or the browser
//! (save the marks, fetch, read an article's text from its file, typeset a
//! long one, open a link) comes back as [`Effect`]s for the loop: `update`
//! itself does no I/O.
//!
//! - [`keys`]: actions and typed text;
//! - [`links`]: an article's links, `o` and the link prompt;
//! - [`reader`]: what the reader pane shows and how it scrolls;
//! - [`pointer`]: clicks and the wheel;
//! - [`background`]: what the loop and the workers report.

mod background;
mod keys;
mod links;
mod pointer;
mod reader;

use super::app::App;
use super::archive::SectionRow;
use super::layout::{Focus, Size, panes};

pub use super::msg::{Effect, Msg};

/// Applies `msg` to `app`.
pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    let mut effects = Vec::new();
    // A message stays until the user does something.
    if matches!(
        msg,
        Msg::Action(_)
            | Msg::Text(_)
            | Msg::Backspace
            | Msg::Submit
            | Msg::Click { .. }
            | Msg::Wheel { .. }
    ) {
        app.status.message = None;
    }
    match msg {
        Msg::Action(action) => keys::action(app, action, &mut effects),
        Msg::Text(text) => keys::text(app, &text),
        Msg::Backspace => keys::backspace(app),
        Msg::Submit => keys::submit(app, &mut effects),
        Msg::Resize(width, height) => app.size = Size { width, height },
        Msg::Click { column, row } => pointer::click(app, column, row, &mut effects),
        Msg::Wheel { column, row, down } => pointer::wheel(app, column, row, down),
        Msg::Read { id, result, then } => reader::read(app, &id, result, then, &mut effects),
        Msg::Typeset(done) => reader::typeset_done(app, *done),
        other => background::report(app, other, &mut effects),
    }
    settle(app, &mut effects);
    let max_top = app.overlay_max_top();
    if let Some(shown) = app.overlay.as_mut() {
        shown.top = shown.top.min(max_top);
    }
    effects
}

/// Lines in a page: the reader's or the list's height, less one for context.
fn page(app: &App) -> usize {
    let height = usize::from(app.size.height.saturating_sub(3));
    height.max(1)
}

fn moved(index: usize, by: usize, down: bool, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    if down {
        index.saturating_add(by).min(len - 1)
    } else {
        index.saturating_sub(by)
    }
}

/// Makes the state consistent after any change: panes, selection, offsets,
/// the reader's article and its layout, the scroll position.
fn settle(app: &mut App, effects: &mut Vec<Effect>) {
    // Clamp the selection.
    let sections = app.archive.sections.len();
    app.nav.section = app.nav.section.min(sections.saturating_sub(1));
    let articles = app.listed().len();
    app.nav.article = app.nav.article.min(articles.saturating_sub(1));

    app.panes = panes(app.size, app.focus);
    if app.focus == Focus::Reader && app.reader.article.is_none() {
        app.focus = Focus::Articles;
        app.panes = panes(app.size, app.focus);
    }

    // Which article the reader pane shows: the opened one, else a preview.
    if !app.reader.opened {
        match app.selected() {
            Some(index) if app.panes.reader.is_some() => reader::show(app, index),
            _ => {
                reader::remember_place(app);
                app.reader.article = None;
                app.reader.lines.clear();
            }
        }
    }
    reader::lay_out(app, effects);
    keep_lists_in_view(app);
}

fn keep_lists_in_view(app: &mut App) {
    if let Some(pane) = app.panes.sections {
        let rows = app.archive.section_rows();
        let selected = rows
            .iter()
            .position(|r| *r == SectionRow::Section(app.nav.section))
            .unwrap_or(0);
        // Show the feed's name above its first section.
        let wanted = match selected.checked_sub(1).map(|i| rows[i]) {
            Some(SectionRow::Feed(_)) => selected - 1,
            _ => selected,
        };
        app.nav.section_offset = in_view(
            app.nav.section_offset,
            wanted,
            selected,
            usize::from(pane.body.height),
        );
    }
    if let Some(pane) = app.panes.articles {
        let height = usize::from(pane.body.height);
        app.nav.article_offset = in_view(
            app.nav.article_offset,
            app.nav.article,
            app.nav.article,
            height,
        );
    }
}

/// An offset that shows rows `first..=last` in a window of `height` rows,
/// moving `offset` as little as possible.
fn in_view(offset: usize, first: usize, last: usize, height: usize) -> usize {
    if height == 0 {
        return offset.min(first);
    }
    if first < offset {
        first
    } else if last >= offset + height {
        last + 1 - height
    } else {
        offset
    }
}
