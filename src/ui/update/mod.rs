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
//! - [`photos`]: the photos of the opened article;
//! - [`pointer`]: clicks and the wheel;
//! - [`background`]: what the loop and the workers report.

mod background;
mod keys;
mod links;
mod photos;
mod pointer;
mod reader;

use super::app::App;
use super::archive::Row;
use super::layout::{Focus, Size, panes, text_limit};
use super::tree;

pub use super::msg::{Effect, Msg};
pub use reader::remember_place;

/// Applies `msg` to `app`.
pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    let mut effects = Vec::new();
    // A message stays until the user does something; so does the undo of
    // the last `A`, and the wait for the article to restore.
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
        app.nav.restore = None;
        if let Some(undo) = app.status.undo.take()
            && msg == Msg::Action(crate::keymap::Action::Cancel)
            && app.overlay.is_none()
        {
            keys::undo(app, undo, &mut effects);
            settle(app, &mut effects);
            return effects;
        }
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
        Msg::Picture {
            article,
            photo,
            result,
        } => photos::arrived(app, &article, photo, result),
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
    restore(app, effects);
    // The selected row is one the tree shows.
    app.nav.rows = tree::rows(&app.archive, &app.nav.folds);
    if !app.nav.rows.contains(&app.nav.row) {
        let row = shown_row(app);
        keys::select_row(app, row);
    }
    let articles = app.listed().len();
    app.nav.article = app.nav.article.min(articles.saturating_sub(1));

    let limit = text_limit(app.prefs.measure, app.prefs.text.hanging_punctuation);
    app.panes = panes(app.size, app.focus, limit);
    if app.focus == Focus::Reader && app.reader.article.is_none() {
        app.focus = Focus::Articles;
        app.panes = panes(app.size, app.focus, limit);
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
    photos::settle(app, effects);
    if let Some((query, search, ticket)) = app.archive.take_confirm() {
        effects.push(Effect::Confirm {
            query,
            search,
            ticket,
        });
    }
    keep_lists_in_view(app);
    // A message the status line cannot hold whole is kept for `W`.
    let room = usize::from(app.size.width).saturating_sub(1);
    let amb = app.prefs.text.ambiguous_width.columns();
    if let Some(message) = &app.status.message
        && crate::typeset::str_width(message, amb) > room
    {
        app.status.long_message = Some(message.clone());
    }
}

/// The row to select when the selected one is not shown (folded away, or
/// hidden by a search or the view): its day, else its feed, else the first
/// section shown after it, else the last row.
fn shown_row(app: &App) -> Row {
    let archive = &app.archive;
    let rows = &app.nav.rows;
    let day = match app.nav.row {
        Row::Section(s) => archive.sections.get(s).map(|s| s.day),
        _ => None,
    };
    let feed = archive.feed_of(app.nav.row);
    let narrowed = archive.narrowed();
    let start = app.scope().start;
    let candidates = [
        day.map(Row::Day).filter(|_| !narrowed),
        feed.map(Row::Feed).filter(|_| !narrowed),
        rows.iter()
            .copied()
            .find(|r| matches!(r, Row::Section(s) if *s >= start)),
        rows.iter()
            .rev()
            .copied()
            .find(|r| matches!(r, Row::Section(_))),
        rows.last().copied(),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|r| rows.contains(r))
        .unwrap_or(Row::Section(0))
}

/// The article that was open when the reader last quit, once the archive
/// holds it: selected and opened at its place.
fn restore(app: &mut App, effects: &mut Vec<Effect>) {
    let Some(id) = app.nav.restore.as_deref() else {
        return;
    };
    if app.size.width == 0 {
        return;
    }
    let Some(index) = app.archive.position(id) else {
        return;
    };
    app.nav.restore = None;
    keys::select_article(app, index);
    app.nav.rows = tree::rows(&app.archive, &app.nav.folds);
    if app.selected() == Some(index) {
        keys::open(app, effects);
    }
}

/// Rows the sections pane shows below its offset: the first is the
/// feed's name (kept in view while its rows scroll) unless the offset is
/// a feed's row.
pub fn sticky_feed(app: &App, height: usize) -> Option<usize> {
    let offset = app.nav.section_offset;
    if height < 3 || offset == 0 {
        return None;
    }
    match app.nav.rows.get(offset)? {
        Row::Feed(_) => None,
        row => app.archive.feed_of(*row),
    }
}

fn keep_lists_in_view(app: &mut App) {
    if let Some(pane) = app.panes.sections {
        let rows = &app.nav.rows;
        let selected = rows.iter().position(|r| *r == app.nav.row).unwrap_or(0);
        // Show the feed's name above its first day.
        let wanted = match selected.checked_sub(1).map(|i| rows[i]) {
            Some(Row::Feed(_)) => selected - 1,
            _ => selected,
        };
        let height = usize::from(pane.body.height);
        let offset = in_view(app.nav.section_offset, wanted, selected, height);
        // Rows folded away (`z`) leave no empty pane below the last.
        app.nav.section_offset = offset.min(rows.len().saturating_sub(height));
        // The feed's name, kept at the top, must not hide the selection.
        if selected == app.nav.section_offset && sticky_feed(app, height).is_some() {
            app.nav.section_offset -= 1;
        }
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
