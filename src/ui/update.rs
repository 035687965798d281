//! `update`: the one place where the reader's state changes.
//!
//! Every input arrives as a [`Msg`] (a key already turned into an
//! [`Action`] by the keymap, text typed into the filter, a resize, a mouse
//! event). `update` applies it, then settles the state: panes for the new
//! size and focus, selection and scroll offsets clamped, the reader's text
//! laid out at its pane's width. What the loop must do afterwards (save the
//! read marks, open a link) comes back as [`Effect`]s.

use crate::browser::{OpenError, Refusal};
use crate::feed::fetch;
use crate::index::Opened;
use crate::keymap::Action;
use crate::library::Library;
use crate::model::Warning;
use crate::typeset::{self, sanitize, str_width, truncate};

use super::app::{App, LONG_TEXT, Overlay, SectionRow, Typeset};
use super::layout::{Focus, Size, panes};
use super::worker::Worker;

pub use super::msg::{Effect, Msg};

/// Lines the mouse wheel scrolls.
const WHEEL_LINES: usize = 3;

/// Digits a link's number may have in the prompt.
const LINK_DIGITS: usize = 4;

/// Columns a link in a message keeps at least, however narrow the screen.
const MIN_LINK_COLUMNS: usize = 12;

/// Columns the status line keeps for its key hints (`? help  q back`).
const HINT_COLUMNS: usize = 16;

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
        app.message = None;
    }
    match msg {
        Msg::Action(action) => {
            if app.link_prompt.is_some() {
                // Only Cancel and Quit reach here from the prompt.
                app.link_prompt = None;
                app.quit |= action == Action::Quit;
            } else if app.overlay.is_some() {
                overlay_action(app, action);
            } else {
                act(app, action, &mut effects);
            }
        }
        Msg::Text(text) => {
            if let Some(typed) = app.link_prompt.as_mut() {
                let room = LINK_DIGITS.saturating_sub(typed.len());
                typed.extend(text.chars().filter(char::is_ascii_digit).take(room));
            } else if app.nav.editing {
                app.nav.filter.push_str(&text);
                app.nav.article = 0;
                app.run_search();
            }
        }
        Msg::Backspace => {
            if let Some(typed) = app.link_prompt.as_mut() {
                typed.pop();
            } else if app.nav.editing {
                app.nav.filter.pop();
                app.nav.article = 0;
                app.run_search();
            }
        }
        Msg::Submit if app.link_prompt.is_some() => submit_link(app, &mut effects),
        Msg::Submit => app.nav.editing = false,
        Msg::Resize(width, height) => app.size = Size { width, height },
        Msg::Click { column, row } => click(app, column, row, &mut effects),
        Msg::Wheel { column, row, down } => wheel(app, column, row, down),
        Msg::Notice(text) => app.message = Some(text),
        Msg::Saved(result) => {
            app.unsaved = result.is_err();
            if let Err(e) = result {
                app.message = Some(e);
            }
        }
        Msg::FetchStarted(total) => {
            app.fetching = Some(super::app::Fetching {
                total,
                ..Default::default()
            });
        }
        Msg::Fetch(event) => fetch_progress(app, event),
        Msg::FetchDone(results) => {
            fetch_done(app, &results);
            effects.push(Effect::Reload);
        }
        Msg::Reloaded(library) => {
            // A search index belongs to the library it was opened with.
            app.search = None;
            reloaded(app, *library);
        }
        Msg::Indexing(done, total) => app.indexing = Some((done, total)),
        Msg::Typeset(done) => typeset_done(app, *done),
        Msg::Loaded(opened) => {
            let Opened { library, search } = *opened;
            app.search = Some(search);
            reloaded(app, library);
        }
        Msg::Indexed(opened) => {
            app.indexing = None;
            if let Some(opened) = opened {
                let Opened { library, search } = *opened;
                app.search = Some(search);
                reloaded(app, library);
            }
        }
        Msg::LinkOpened { url, result } => app.message = Some(link_message(app, &url, &result)),
        Msg::WorkerFailed { worker, message } => {
            worker_failed(app, &worker, &message, &mut effects)
        }
    }
    settle(app, &mut effects);
    app.overlay_top = app.overlay_top.min(app.overlay_max_top());
    effects
}

/// Shows `library` in place of the archive, keeping the fetch's warnings.
fn reloaded(app: &mut App, mut library: Library) {
    let fetch_warnings: Vec<Warning> = app
        .warnings
        .iter()
        .filter(|w| w.path.starts_with("fetch "))
        .cloned()
        .collect();
    library.warnings.extend(fetch_warnings);
    app.warnings = std::mem::take(&mut library.warnings);
    app.replace_library(library);
}

fn overlay_action(app: &mut App, action: Action) {
    match action {
        Action::Help if app.overlay == Some(Overlay::Help) => app.overlay = None,
        Action::Warnings if app.overlay == Some(Overlay::Warnings) => app.overlay = None,
        Action::Help => show_overlay(app, Overlay::Help),
        Action::Warnings => show_overlay(app, Overlay::Warnings),
        Action::Back | Action::Cancel => app.overlay = None,
        Action::Quit => app.quit = true,
        Action::Down => app.overlay_top += 1,
        Action::Up => app.overlay_top = app.overlay_top.saturating_sub(1),
        Action::PageDown => app.overlay_top += page(app),
        Action::PageUp => app.overlay_top = app.overlay_top.saturating_sub(page(app)),
        Action::Top => app.overlay_top = 0,
        Action::Bottom => app.overlay_top = usize::MAX,
        _ => {}
    }
}

fn show_overlay(app: &mut App, overlay: Overlay) {
    app.overlay = Some(overlay);
    app.overlay_top = 0;
}

/// Lines in a page: the reader's or the list's height, less one for context.
fn page(app: &App) -> usize {
    let height = usize::from(app.size.height.saturating_sub(3));
    height.max(1)
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
            if !app.nav.filter.is_empty() || app.nav.editing {
                app.nav.filter.clear();
                app.nav.editing = false;
                app.run_search();
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
            app.nav.editing = true;
            if app.focus == Focus::Sections {
                app.focus = Focus::Articles;
            }
        }
        Action::ToggleRead => {
            if let Some(id) = target_id(app) {
                let read = app.marks.toggle_read(&id);
                app.message = Some(if read { "marked read" } else { "marked unread" }.to_owned());
                effects.push(Effect::SaveMarks);
            }
        }
        Action::ToggleStar => {
            if let Some(id) = target_id(app) {
                let starred = app.marks.toggle_star(&id);
                app.message = Some(if starred { "starred" } else { "unstarred" }.to_owned());
                effects.push(Effect::SaveMarks);
            }
        }
        Action::OpenLink => open_link(app, effects),
        Action::Help => show_overlay(app, Overlay::Help),
        Action::Scope => {
            app.nav.everywhere = !app.nav.everywhere;
            app.nav.article = 0;
            app.message = Some(
                if app.nav.everywhere {
                    "search: everything"
                } else {
                    "search: this section"
                }
                .to_owned(),
            );
        }
        Action::Fetch => {
            if app.fetching.is_some() {
                app.message = Some("already fetching".to_owned());
            } else {
                effects.push(Effect::StartFetch);
            }
        }
        Action::Warnings => {
            if app.warnings.is_empty() {
                app.message = Some("no warnings: everything loaded".to_owned());
            } else {
                show_overlay(app, Overlay::Warnings);
            }
        }
    }
}

fn fetch_progress(app: &mut App, event: fetch::Event) {
    let Some(f) = app.fetching.as_mut() else {
        return;
    };
    match event {
        fetch::Event::Started { feed } => f.running.push(feed),
        fetch::Event::Finished { feed, outcome } => {
            f.running.retain(|r| r != &feed);
            f.done += 1;
            match outcome {
                fetch::Outcome::Stored(r) => {
                    f.new += r.new;
                    f.updated += r.updated;
                }
                fetch::Outcome::Failed(reason) => f.failures.push(format!("{feed}: {reason}")),
                fetch::Outcome::NotModified | fetch::Outcome::TooSoon { .. } => {}
            }
        }
    }
}

fn fetch_done(app: &mut App, results: &[(String, fetch::Outcome)]) {
    let failed: Vec<&(String, fetch::Outcome)> =
        results.iter().filter(|(_, o)| o.failed()).collect();
    let (mut new, mut updated) = (0, 0);
    for (_, outcome) in results {
        if let fetch::Outcome::Stored(r) = outcome {
            new += r.new;
            updated += r.updated;
        }
    }
    // Failures of the last fetch replace those of the one before.
    app.warnings.retain(|w| !w.path.starts_with("fetch "));
    for (feed, outcome) in &failed {
        if let fetch::Outcome::Failed(reason) = outcome {
            app.warnings
                .push(Warning::new(&format!("fetch {feed}"), None, reason.clone()));
        }
    }
    let feeds = if results.len() == 1 { "feed" } else { "feeds" };
    let mut message = format!(
        "fetched {} {feeds}: {new} new, {updated} updated",
        results.len()
    );
    if !failed.is_empty() {
        message.push_str(&format!(", {} failed (W shows why)", failed.len()));
    }
    app.message = Some(message);
    app.fetching = None;
}

/// The article that read/star marks apply to.
fn target_id(app: &App) -> Option<String> {
    app.target()
        .and_then(|i| app.articles.get(i))
        .map(|a| a.id.clone())
}

/// `o`: an article without numbered links opens its address at once; with
/// them, the prompt asks which.
fn open_link(app: &mut App, effects: &mut Vec<Effect>) {
    let Some(index) = app.target() else {
        return;
    };
    // Articles from the index come without their links.
    app.load_body(index);
    let Some(article) = app.articles.get(index) else {
        return;
    };
    match (&article.url, article.links.is_empty()) {
        (_, false) => app.link_prompt = Some(String::new()),
        (Some(url), true) => effects.push(Effect::OpenLink(url.clone())),
        (None, true) => app.message = Some("this article has no link to open".to_owned()),
    }
}

/// Enter in the link prompt: link n, or without a number the article's
/// address (link 1 when it has none).
fn submit_link(app: &mut App, effects: &mut Vec<Effect>) {
    let typed = app.link_prompt.take().unwrap_or_default();
    let Some(article) = app.target().and_then(|i| app.articles.get(i)) else {
        return;
    };
    let links = &article.links;
    let url = if typed.is_empty() {
        article.url.as_ref().or(links.first().map(|l| &l.url))
    } else {
        typed
            .parse::<usize>()
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|n| links.get(n))
            .map(|l| &l.url)
    };
    match url {
        Some(url) => effects.push(Effect::OpenLink(url.clone())),
        None if links.is_empty() => {
            app.message = Some("this article has no link to open".to_owned());
        }
        None => {
            let count = match links.len() {
                1 => "1 link".to_owned(),
                n => format!("{n} links"),
            };
            app.message = Some(format!("no link {typed}: this article has {count}"));
        }
    }
}

/// The status line after the browser was asked to open `url`, the link
/// made safe to show and shortened so that the line fits the screen.
fn link_message(app: &App, url: &str, result: &Result<String, OpenError>) -> String {
    let (before, after) = match result {
        Ok(browser) => ("opened ".to_owned(), format!(" in {browser}")),
        Err(OpenError::Refused(why)) if *why != Refusal::Empty => {
            (format!("cannot open link: {why} ("), ")".to_owned())
        }
        Err(e) => return format!("cannot open link: {e}"),
    };
    let amb = app.prefs.text.ambiguous_width;
    let used = 1 + str_width(&before, amb) + str_width(&after, amb) + HINT_COLUMNS;
    let room = usize::from(app.size.width)
        .saturating_sub(used)
        .max(MIN_LINK_COLUMNS);
    let shown = truncate(&sanitize(url), room, amb);
    format!("{before}{shown}{after}")
}

fn reader_page(app: &App) -> usize {
    app.reader.height.saturating_sub(1).max(1)
}

fn list_page(app: &App) -> usize {
    let pane = match app.focus {
        Focus::Sections => app.panes.sections,
        _ => app.panes.articles,
    };
    pane.map_or(1, |p| usize::from(p.body.height).max(1))
}

fn scroll(app: &mut App, lines: usize, down: bool) {
    let r = &app.reader;
    let top = if down {
        r.top.saturating_add(lines).min(r.max_top())
    } else {
        r.top.saturating_sub(lines)
    };
    scroll_to(app, top);
}

/// Scrolls the reader to `top`, remembering the block there as the place.
fn scroll_to(app: &mut App, top: usize) {
    let r = &mut app.reader;
    r.top = top.min(r.max_top());
    // While a long text is typeset, the end asked for is where it will be.
    r.at_end = (r.top > 0 || r.typesetting.is_some()) && r.top == r.max_top();
    if let Some(line) = r.lines.get(r.top) {
        r.anchor = line.block;
    }
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

/// Moves the selection in the focused list.
fn step(app: &mut App, by: usize, down: bool) {
    match app.focus {
        Focus::Sections => {
            let section = moved(app.nav.section, by, down, app.nav.sections.len());
            select_section(app, section);
        }
        _ => {
            let len = app.listed().len();
            app.nav.article = moved(app.nav.article, by, down, len);
        }
    }
}

/// Opens the selected article in the reader and marks it read.
fn open(app: &mut App, effects: &mut Vec<Effect>) {
    let Some(index) = app.selected() else {
        app.message = Some("no article here".to_owned());
        return;
    };
    app.focus = Focus::Reader;
    app.reader.opened = true;
    show(app, index);
    let id = app.articles[index].id.clone();
    if !app.marks.is_read(&id) {
        app.marks.set_read(&id, true);
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
            app.message = Some(
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

fn next_section(app: &mut App, forward: bool) {
    let section = moved(app.nav.section, 1, forward, app.nav.sections.len());
    select_section(app, section);
}

/// Selects a section and its first article.
fn select_section(app: &mut App, section: usize) {
    if section != app.nav.section {
        app.nav.section = section;
        app.nav.article = 0;
        app.nav.article_offset = 0;
    }
}

fn click(app: &mut App, column: u16, row: u16, effects: &mut Vec<Effect>) {
    if app.overlay.is_some() {
        app.overlay = None;
        return;
    }
    let Some(pane) = app.panes.hit(column, row) else {
        return;
    };
    match pane {
        Focus::Sections => {
            app.focus = Focus::Sections;
            let Some(body) = app.panes.sections.map(|p| p.body) else {
                return;
            };
            if row < body.y {
                return;
            }
            let at = app.nav.section_offset + usize::from(row - body.y);
            if let Some(SectionRow::Section(i)) = app.section_rows().get(at).copied() {
                select_section(app, i);
            }
        }
        Focus::Articles => {
            let Some(body) = app.panes.articles.map(|p| p.body) else {
                return;
            };
            if row < body.y {
                app.focus = Focus::Articles;
                return;
            }
            let at = app.nav.article_offset + usize::from(row - body.y);
            if at < app.listed().len() {
                let again = at == app.nav.article && app.focus == Focus::Articles;
                app.nav.article = at;
                app.focus = Focus::Articles;
                if again {
                    open(app, effects);
                }
            } else {
                app.focus = Focus::Articles;
            }
        }
        Focus::Reader => {
            if app.reader.article.is_some() && app.focus != Focus::Reader {
                open(app, effects);
            }
        }
    }
}

fn wheel(app: &mut App, column: u16, row: u16, down: bool) {
    if app.overlay.is_some() {
        overlay_action(app, if down { Action::Down } else { Action::Up });
        return;
    }
    match app.panes.hit(column, row) {
        Some(Focus::Reader) => scroll(app, WHEEL_LINES, down),
        Some(Focus::Sections) => next_section(app, down),
        Some(Focus::Articles) => {
            let len = app.listed().len();
            app.nav.article = moved(app.nav.article, WHEEL_LINES, down, len);
        }
        None => {}
    }
}

/// Shows article `index` in the reader, remembering where the last one was
/// left.
fn show(app: &mut App, index: usize) {
    if app.reader.article == Some(index) {
        return;
    }
    remember_place(app);
    app.reader.article = Some(index);
    app.reader.lines.clear();
    app.reader.width = 0;
    app.reader.typesetting = None;
    app.reader
        .ticket
        .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    app.reader.top = 0;
    app.reader.at_end = false;
    app.reader.anchor = app
        .articles
        .get(index)
        .and_then(|a| app.reader.places.get(&a.id).copied())
        .unwrap_or(0);
}

fn remember_place(app: &mut App) {
    let r = &mut app.reader;
    if let Some(article) = r.article.and_then(|i| app.articles.get(i)) {
        r.places.insert(article.id.clone(), r.anchor);
    }
}

/// Makes the state consistent after any change: panes, selection, offsets,
/// the reader's article and its layout, the scroll position.
fn settle(app: &mut App, effects: &mut Vec<Effect>) {
    // Clamp the selection.
    let sections = app.nav.sections.len();
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
            Some(index) if app.panes.reader.is_some() => show(app, index),
            _ => {
                remember_place(app);
                app.reader.article = None;
                app.reader.lines.clear();
            }
        }
    }
    lay_out_reader(app, effects);
    keep_lists_in_view(app);
}

fn lay_out_reader(app: &mut App, effects: &mut Vec<Effect>) {
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
        app.reader.width = width;
        if is_long(&app.articles[index]) {
            if app.reader.typesetting != Some(width) {
                app.reader.typesetting = Some(width);
                app.reader.lines = head_lines(app, index, width);
                effects.push(Effect::Typeset { index, width });
            }
        } else {
            app.reader.typesetting = None;
            app.load_body(index);
            let article = &app.articles[index];
            let lines = typeset::layout(article, app.context(article), width, &app.prefs.text);
            place(app, lines);
        }
    }
    if app.reader.at_end {
        app.reader.top = app.reader.max_top();
    }
    app.reader.top = app.reader.top.min(app.reader.max_top());
}

/// Puts the reader's new `lines` in place, keeping the place across the
/// relayout: the block scrolled to.
fn place(app: &mut App, lines: Vec<typeset::Line>) {
    let anchor = app.reader.anchor;
    app.reader.top = lines.iter().position(|l| l.block >= anchor).unwrap_or(0);
    app.reader.lines = lines;
}

/// Whether the article is long enough to be typeset on a worker. A loaded
/// text is measured in bytes, three to a Chinese character, so that the
/// check costs nothing however long the text.
fn is_long(article: &crate::model::Article) -> bool {
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
    let characters = app.articles[index].counts().characters;
    let article = &mut app.articles[index];
    let paragraphs = std::mem::take(&mut article.paragraphs);
    let photos = std::mem::take(&mut article.photos);
    let links = std::mem::take(&mut article.links);
    let article = &app.articles[index];
    let mut lines = typeset::layout(article, app.context(article), width, &app.prefs.text);
    let note = format!("正在排版全文 · {characters} 字 · typesetting…");
    let block = lines.last().map_or(0, |l| l.block + 1);
    for text in typeset::wrap(&note, width, 0, app.prefs.text.ambiguous_width) {
        lines.push(typeset::Line {
            role: typeset::Role::Meta,
            text,
            block,
        });
    }
    let article = &mut app.articles[index];
    article.paragraphs = paragraphs;
    article.photos = photos;
    article.links = links;
    lines
}

/// A worker's layout of a long article: its text is kept, and its lines
/// shown if the reader still shows it at that width.
fn typeset_done(app: &mut App, done: Typeset) {
    let Some(index) = app.articles.iter().position(|a| a.id == done.id) else {
        return;
    };
    if let Some(full) = done.article
        && app.articles[index].stub.is_some()
    {
        app.articles[index] = full;
    }
    let current = app.reader.article == Some(index) && app.reader.typesetting == Some(done.width);
    if !current {
        return;
    }
    app.reader.typesetting = None;
    match done.lines {
        Ok(lines) => place(app, lines),
        Err(e) => app.message = Some(e),
    }
}

/// A worker panicked: the job it was doing is over, and the status line
/// says so once. Read marks and everything else shown stay as they are.
fn worker_failed(app: &mut App, worker: &Worker, message: &str, effects: &mut Vec<Effect>) {
    let (job, kept) = match worker {
        Worker::Fetch => {
            app.fetching = None;
            // The feeds fetched before it are stored: show them.
            effects.push(Effect::Reload);
            ("fetch", "what it stored is kept")
        }
        Worker::Index => {
            app.indexing = None;
            ("indexing", "the lists are as they were")
        }
        Worker::Typeset { id, width } => {
            let shown = app.reader.article.and_then(|i| app.articles.get(i));
            if shown.is_some_and(|a| a.id == *id) && app.reader.typesetting == Some(*width) {
                app.reader.typesetting = None;
            }
            ("typesetting", "the article shows its beginning only")
        }
    };
    app.message = Some(format!(
        "{job} stopped on an internal error; {kept}. Please report this: {}",
        sanitize(message).trim()
    ));
}

fn keep_lists_in_view(app: &mut App) {
    if let Some(pane) = app.panes.sections {
        let rows = app.section_rows();
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
