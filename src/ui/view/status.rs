//! The status line: where you are, a message, the filter or a link's
//! number being typed, key hints, and the warnings count.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::keymap::Action;
use crate::typeset::{cut_words, sanitize, str_width};

use super::super::app::{App, Input};
use super::super::archive::Row;
use super::super::layout::{Focus, TWO_PANES};
use super::style::Styles;
use super::text::{fill, put};

pub fn draw(buf: &mut Buffer, area: Rect, app: &App, styles: &Styles) {
    let amb = app.prefs.text.ambiguous_width.columns();
    let width = usize::from(area.width);
    let key = |action: Action| {
        app.prefs
            .keymap
            .keys(action)
            .first()
            .map(ToString::to_string)
            .unwrap_or_default()
    };
    let find = app
        .reader
        .find
        .as_ref()
        .filter(|_| app.focus == Focus::Reader);
    // Whether the left side is the message (a prompt or progress line may
    // stand in its place).
    let mut shows_message = false;
    let left = if let Input::LinkNumber(typed) = &app.input {
        link_prompt(app, typed)
    } else if let Input::Date(typed) = &app.input {
        format!(
            " jump to date: {}▏ e.g. 2023-03-10, 3-10, 10 · Enter go · Esc cancel",
            sanitize(typed)
        )
    } else if let (Input::Find, Some(find)) = (&app.input, find) {
        // Nothing typed yet is nothing looked for, not "no match".
        if find.typed.trim().is_empty() {
            " find: ▏ type what to find · Esc cancel".to_owned()
        } else {
            format!(
                " find: {}▏ {} · Enter keep · Esc clear",
                sanitize(&find.typed),
                matches(find.matches.len())
            )
        }
    } else if let Some(find) = find.filter(|f| !f.is_empty() && app.status.message.is_none()) {
        let what = if find.typed.is_empty() {
            find.terms.join(" ")
        } else {
            find.typed.clone()
        };
        let at = if find.matches.is_empty() {
            "no match".to_owned()
        } else {
            format!("{}/{}", find.current + 1, find.matches.len())
        };
        format!(
            " find: {} {at} · {} {} next/prev · {} clear",
            sanitize(&what),
            key(Action::NextArticle),
            key(Action::PrevArticle),
            key(Action::Cancel)
        )
    } else if let Some(f) = &app.status.fetching {
        format!(" fetching {}/{}: {}", f.done, f.total, f.running.join(" "))
    } else if let Some((done, total)) = app.status.indexing.filter(|&(_, total)| total > 0) {
        format!(" indexing {done}/{total} files…")
    } else if app.typing_filter() {
        let scope = if app.nav.everywhere {
            "全部"
        } else {
            "本版"
        };
        // The labels in the reader's script; the query echoed as typed.
        let scope = app
            .prefs
            .text
            .script
            .convert(&format!("范围：{scope} ({} 切换)", key(Action::Scope)))
            .into_owned();
        format!(
            " /{}▏ Enter keep · Esc clear · {scope}",
            app.archive.query()
        )
    } else if let Some(message) = &app.status.message {
        shows_message = true;
        format!(" {}", sanitize(message))
    } else {
        let unsaved = if app.status.unsaved {
            " ✗ marks not saved ·"
        } else {
            ""
        };
        // In the reader's script, as the tree shows them.
        let script = app.prefs.text.script;
        let label = script.convert(&app.scope_label()).into_owned();
        match app.scope_feed() {
            Some(feed) if !matches!(app.nav.row, Row::Feed(_)) => {
                let feed = script.convert(&sanitize(feed)).into_owned();
                format!("{unsaved} {feed} · {label}")
            }
            Some(_) => format!("{unsaved} {label}"),
            None => format!("{unsaved} kanbao"),
        }
    };
    // What the Back key does here (see `keys::act`): the one-pane layout's
    // list goes up to the sections.
    let back = match app.focus {
        Focus::Reader => "back",
        Focus::Articles if app.size.width < TWO_PANES => "back",
        Focus::Articles | Focus::Sections => "quit",
    };
    let mut right = format!("{} help  {} {back} ", key(Action::Help), key(Action::Back));
    if !app.archive.warnings.is_empty() {
        right = format!(
            "⚠ {} ({})  {right}",
            app.archive.warnings.len(),
            key(Action::Warnings)
        );
    }
    let script = app.prefs.text.script.label();
    if let Some(label) = script {
        right = format!("{label}  {right}");
    }
    // What is being typed and what just happened come before the hints;
    // the script stays while there is room for it.
    let urgent = app.input != Input::Browse || app.status.message.is_some();
    let crowded = str_width(&left, amb) + str_width(&right, amb) + 1 > width;
    let right = if str_width(&right, amb) + 10 > width || (urgent && crowded) {
        script
            .filter(|l| str_width(&left, amb) + str_width(l, amb) + 2 <= width)
            .map(|l| format!("{l} "))
            .unwrap_or_default()
    } else {
        right
    };
    let room = width.saturating_sub(str_width(&right, amb) + 1);
    // A message cut short says where it is whole (W shows the message).
    let cut = str_width(&left, amb) > room && shows_message;
    let left = if cut {
        let more = format!(" ({})", key(Action::Warnings));
        let cut = cut_words(&left, room.saturating_sub(str_width(&more, amb)), amb);
        format!("{cut}{more}")
    } else {
        cut_words(&left, room, amb)
    };
    let pad = " ".repeat(width.saturating_sub(str_width(&left, amb) + str_width(&right, amb)));
    let written = put(
        buf,
        area,
        0,
        &[
            (&left, styles.status),
            (&pad, styles.status),
            (&right, styles.status),
        ],
        amb,
    );
    fill(buf, area, 0, written, styles.status);
}

/// ` open link (1-3, Enter = article): 2▏ Esc cancel`
fn link_prompt(app: &App, typed: &str) -> String {
    let article = app.target().and_then(|i| app.archive.article(i));
    let links = article.as_ref().map_or(0, |a| a.links.len());
    let numbers = if links == 1 {
        "1".to_owned()
    } else {
        format!("1-{links}")
    };
    let enter = if article.is_some_and(|a| a.url.is_some()) {
        "article"
    } else {
        "1"
    };
    format!(" open link ({numbers}, Enter = {enter}): {typed}▏ Esc cancel")
}

/// `3 matches`, `1 match`, `no match`.
fn matches(count: usize) -> String {
    match count {
        0 => "no match".to_owned(),
        1 => "1 match".to_owned(),
        n => format!("{n} matches"),
    }
}
