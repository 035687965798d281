//! The reader pane: which article it shows, its text laid out at the
//! pane's width, where it is scrolled to and where each article was left.
//! An article that came from the index without its text is read by the
//! loop ([`Effect::Read`]); a long one is read and typeset on a worker
//! ([`Effect::Typeset`]).

use crate::marks::Place;
use crate::model::{Article, Warning};
use crate::typeset;

use super::super::app::{App, LONG_TEXT, Typeset};
use super::super::msg::{Effect, Then};
use super::super::pictures::{picture_box, with_pictures};
use super::links::{choose_link, open_link};

/// Shows article `index` in the reader, remembering where the last one was
/// left.
pub(super) fn show(app: &mut App, index: usize) {
    if app.reader.article == Some(index) {
        return;
    }
    remember_place(app);
    app.reader.article = Some(index);
    app.reader.lines.clear();
    app.reader.width = 0;
    app.reader.typesetting = None;
    app.reader.reading = false;
    app.reader
        .ticket
        .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    app.reader.top = 0;
    app.reader.find_pending = false;
    let place = app.archive.place(index).unwrap_or_default();
    app.reader.anchor = place.block;
    app.reader.anchor_line = place.line;
    app.reader.at_end = place.end;
}

/// Keeps where the reader's article was left (in the state file, with the
/// read marks).
pub fn remember_place(app: &mut App) {
    let r = &app.reader;
    // Until its lines are laid out, the place is still the one kept.
    if let Some(index) = r.article.filter(|_| !r.lines.is_empty()) {
        let place = Place {
            block: r.anchor,
            line: r.anchor_line,
            end: r.at_end,
        };
        app.archive.set_place(index, place);
    }
}

/// Lays the reader's article out at its pane's width, when the width or
/// the article changed: at once, or, for an article whose text must first
/// be read or that is long, through an effect.
pub(super) fn lay_out(app: &mut App, effects: &mut Vec<Effect>) {
    let Some(text) = app.panes.reader.map(|p| p.text()) else {
        app.reader.height = 0;
        return;
    };
    let Some(index) = app.reader.article else {
        return;
    };
    let width = usize::from(text.width);
    app.reader.height = usize::from(text.height);
    if width != app.reader.width || app.reader.lines.is_empty() {
        let Some(article) = app.archive.article(index) else {
            return;
        };
        if is_long(&article) {
            app.reader.width = width;
            if app.reader.typesetting != Some(width) {
                app.reader.typesetting = Some(width);
                app.reader.lines = head_lines(app, index, width);
                effects.push(Effect::Typeset { index, width });
            }
        } else if article.stub.is_some() {
            if !app.reader.reading {
                app.reader.reading = true;
                effects.push(Effect::Read {
                    index,
                    then: Then::Show,
                });
            }
        } else {
            app.reader.width = width;
            app.reader.typesetting = None;
            let lines = typeset::layout(
                &article,
                app.archive.context(&article),
                width,
                &app.prefs.text,
            );
            place(app, lines);
        }
    }
    if app.reader.at_end {
        app.reader.top = app.reader.max_top();
    }
    app.reader.top = app.reader.top.min(app.reader.max_top());
}

/// An article's text, read by the loop: the stub is replaced, and what
/// waited for it goes on. An article that cannot be read is a message and
/// shows its head.
pub(super) fn read(
    app: &mut App,
    id: &str,
    result: Result<Box<Article>, Warning>,
    then: Then,
    effects: &mut Vec<Effect>,
) {
    let Some(index) = app.archive.position(id) else {
        return;
    };
    let shown = app.reader.article == Some(index);
    if shown {
        app.reader.reading = false;
    }
    match result {
        Ok(full) => {
            app.archive.set_text(index, *full);
            if shown {
                app.reader.lines.clear();
            }
            if then == Then::OpenLink {
                open_link(app, effects);
            }
        }
        Err(e) => {
            app.status.message = Some(e.to_string());
            if then == Then::OpenLink {
                // What the index knows of its address will do.
                choose_link(app, index, effects);
            }
            if shown && let Some(text) = app.panes.reader.map(|p| p.text()) {
                // The head, as the index knows it.
                let width = usize::from(text.width);
                let Some(article) = app.archive.article(index) else {
                    return;
                };
                let lines = typeset::layout(
                    &article,
                    app.archive.context(&article),
                    width,
                    &app.prefs.text,
                );
                app.reader.width = width;
                place(app, lines);
            }
        }
    }
}

/// Puts the reader's new `lines` in place, keeping the place across the
/// relayout: the block scrolled to (or the end). The photos' rows go in
/// first ([`with_pictures`]). A find runs again over them; one waiting for
/// the article's text shows its first match.
pub(super) fn place(app: &mut App, lines: Vec<typeset::Line>) {
    let lines = match app.panes.reader.map(|p| p.text()) {
        Some(text) => with_pictures(
            lines,
            &app.reader.pictures,
            app.prefs.graphics,
            picture_box(usize::from(text.width), usize::from(text.height)),
            app.prefs.text.ambiguous_width.columns(),
        ),
        None => lines,
    };
    let anchor = app.reader.anchor;
    let first = lines.iter().position(|l| l.block >= anchor).unwrap_or(0);
    let block_lines = lines[first..]
        .iter()
        .take_while(|l| l.block == lines[first].block)
        .count();
    app.reader.top = first + app.reader.anchor_line.min(block_lines.saturating_sub(1));
    app.reader.lines = lines;
    if app.reader.at_end {
        app.reader.top = app.reader.max_top();
    }
    if let Some(find) = app.reader.find.as_mut() {
        find.run(&app.reader.lines);
        if app.reader.find_pending && app.reader.typesetting.is_none() {
            app.reader.find_pending = false;
            find.current = 0;
            if let Some(line) = find.line_of(0) {
                show_line(app, line);
            }
        }
    }
}

/// Scrolls so that line `line` is in view, a little below the top.
fn show_line(app: &mut App, line: usize) {
    let r = &app.reader;
    if line >= r.top && line < r.top + r.height {
        return;
    }
    scroll_to(app, line.saturating_sub(r.height / 3));
}

/// The find's text changed: the first match from where the find started
/// (else the top of the view) on; with none, the view goes back there.
pub(super) fn find_typed(app: &mut App) {
    let Some(find) = app.reader.find.as_mut() else {
        return;
    };
    find.run(&app.reader.lines);
    let from = find.origin.unwrap_or(app.reader.top);
    find.current = find.from_line(from);
    match (find.line_of(find.current), find.origin) {
        (Some(line), _) => show_line(app, line),
        (None, Some(origin)) => scroll_to(app, origin),
        (None, None) => {}
    }
}

/// `n`/`N` with a find: the next (previous) match, round the end.
pub(super) fn find_moved(app: &mut App, forward: bool) {
    let Some(find) = app.reader.find.as_mut() else {
        return;
    };
    let count = find.matches.len();
    if count == 0 {
        let what = find.typed.trim().to_owned();
        app.status.message = Some(format!(
            "no match for {what} in this article; Esc ends the find"
        ));
        return;
    }
    let wrapped = if forward {
        find.current + 1 >= count
    } else {
        find.current == 0
    };
    find.current = if forward {
        (find.current + 1) % count
    } else {
        (find.current + count - 1) % count
    };
    let (current, line) = (find.current, find.line_of(find.current));
    // The status line shows which match this is; going round the end is
    // worth a word.
    if wrapped {
        let from = if forward { "top" } else { "end" };
        app.status.message = Some(format!(
            "match {}/{count}: from the {from} again",
            current + 1
        ));
    }
    if let Some(line) = line {
        show_line(app, line);
    }
}

/// Whether the article is long enough to be typeset on a worker. A loaded
/// text is measured in bytes, three to a Chinese character, so that the
/// check costs nothing however long the text.
fn is_long(article: &Article) -> bool {
    let title = article.title.as_ref().map_or(0, String::len) / 3;
    let text = match &article.stub {
        Some(stub) => stub.counts.characters,
        None => article.paragraphs.iter().map(String::len).sum::<usize>() / 3,
    };
    text + title >= LONG_TEXT
}

/// What the reader shows while a long article is typeset: its head block
/// and how long its text is.
fn head_lines(app: &mut App, index: usize, width: usize) -> Vec<typeset::Line> {
    let Some(article) = app.archive.article(index) else {
        return Vec::new();
    };
    let characters = article.counts().characters;
    // Its head block only: the text, photos and links are left out.
    let mut head = article.into_owned();
    head.paragraphs.clear();
    head.photos.clear();
    head.links.clear();
    let mut lines = typeset::layout(&head, app.archive.context(&head), width, &app.prefs.text);
    let note = format!("正在排版全文 · {characters} 字 · typesetting…");
    let block = lines.last().map_or(0, |l| l.block + 1);
    for text in typeset::wrap(&note, width, 0, app.prefs.text.ambiguous_width.columns()) {
        lines.push(typeset::Line {
            role: typeset::Role::Meta,
            text,
            block,
        });
    }
    lines
}

/// A worker's layout of a long article: its text is kept, and its lines
/// shown if the reader still shows it at that width.
pub(super) fn typeset_done(app: &mut App, done: Typeset) {
    let Some(index) = app.archive.position(&done.id) else {
        return;
    };
    if let Some(full) = done.article
        && !app.archive.has_text(index)
    {
        app.archive.set_text(index, full);
    }
    let current = app.reader.article == Some(index)
        && app.reader.typesetting == Some(done.width)
        && app.prefs.text.script == done.script;
    if !current {
        return;
    }
    app.reader.typesetting = None;
    match done.lines {
        Ok(lines) => place(app, lines),
        Err(e) => app.status.message = Some(e.to_string()),
    }
}

pub(super) fn reader_page(app: &App) -> usize {
    app.reader.height.saturating_sub(1).max(1)
}

pub(super) fn scroll(app: &mut App, lines: usize, down: bool) {
    let r = &app.reader;
    let top = if down {
        r.top.saturating_add(lines).min(r.max_top())
    } else {
        r.top.saturating_sub(lines)
    };
    scroll_to(app, top);
}

/// Scrolls the reader to `top`, remembering the block there as the place.
pub(super) fn scroll_to(app: &mut App, top: usize) {
    let r = &mut app.reader;
    r.top = top.min(r.max_top());
    // While a long text is typeset, the end asked for is where it will be.
    r.at_end = (r.top > 0 || r.typesetting.is_some()) && r.top == r.max_top();
    if let Some(line) = r.lines.get(r.top) {
        r.anchor = line.block;
        let block = line.block;
        r.anchor_line = r.lines[..r.top]
            .iter()
            .rev()
            .take_while(|l| l.block == block)
            .count();
    }
}
