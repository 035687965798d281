//! Keys: actions from the keymap, and text typed into the search or the
//! link prompt. What the keys do depends on what they are typing
//! ([`Input`]), then on the overlay, then on the focused pane.

use crate::keymap::Action;

use super::super::app::{App, Input, Overlay, Shown, Undo};
use super::super::archive::Row;
use super::super::find::Find;
use super::super::layout::{Focus, TWO_PANES};
use super::super::msg::Effect;
use super::super::tree;
use super::links::{open_link, submit_link};
use super::reader::{find_moved, find_typed, reader_page, scroll, scroll_to, show};
use super::{moved, page};

/// Digits a link's number may have in the prompt.
const LINK_DIGITS: usize = 4;

/// An action from the keymap.
pub(super) fn action(app: &mut App, action: Action, effects: &mut Vec<Effect>) {
    match app.input {
        Input::LinkNumber(_) | Input::Date(_) => {
            // Only Cancel and Quit reach here from the prompts.
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
        Input::Find => {
            if let Some(find) = app.reader.find.as_mut() {
                find.typed.push_str(text);
            }
            find_typed(app);
        }
        Input::Date(typed) => {
            let room = DATE_CHARS.saturating_sub(typed.chars().count());
            typed.extend(text.chars().filter(|c| !c.is_control()).take(room));
        }
        Input::Browse => {}
    }
}

/// Characters a date may have in the prompt (`2023年10月01日` and room).
const DATE_CHARS: usize = 16;

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
        Input::Find => {
            if let Some(find) = app.reader.find.as_mut() {
                find.typed.pop();
            }
            find_typed(app);
        }
        Input::Date(typed) => {
            typed.pop();
        }
        Input::Browse => {}
    }
}

/// Enter while typing: the search or the find is kept, the date jumped to,
/// or the link opened.
pub(super) fn submit(app: &mut App, effects: &mut Vec<Effect>) {
    match std::mem::take(&mut app.input) {
        Input::LinkNumber(typed) => submit_link(app, &typed, effects),
        Input::Date(typed) => jump_to_date(app, &typed),
        Input::Find => {
            if app.reader.find.as_ref().is_some_and(Find::is_empty) {
                app.reader.find = None;
            }
        }
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
    let tree = app.focus == Focus::Sections;
    let finding = reading && app.reader.find.as_ref().is_some_and(|f| !f.is_empty());
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
            Focus::Sections => fold(app),
        },
        Action::Right | Action::Open => match app.focus {
            Focus::Sections => unfold(app),
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
        Action::Back => match app.focus {
            Focus::Reader => close_reader(app),
            // One pane at a time: the list goes up to the sections first.
            Focus::Articles if app.size.width < TWO_PANES => app.focus = Focus::Sections,
            Focus::Articles | Focus::Sections => app.quit = true,
        },
        Action::Cancel => {
            if finding || (reading && app.reader.find.is_some()) {
                // Typing cancelled: back where the find started.
                let origin = app.reader.find.take().and_then(|f| f.origin);
                if let (Input::Find, Some(top)) = (&app.input, origin) {
                    scroll_to(app, top);
                }
                app.input = Input::Browse;
            } else if !app.archive.query().is_empty() || app.input == Input::Filter {
                app.archive.set_query(String::new());
                app.input = Input::Browse;
            } else if reading {
                close_reader(app);
            }
        }
        Action::Quit => app.quit = true,
        Action::NextArticle if finding => find_moved(app, true),
        Action::PrevArticle if finding => find_moved(app, false),
        Action::NextArticle => next_article(app, true, effects),
        Action::PrevArticle => next_article(app, false, effects),
        Action::NextSection | Action::PrevSection => {
            let before = app.nav.row;
            next_section(app, action == Action::NextSection);
            // While reading, the reader follows: the section's first
            // article, as `n` does at a section's end.
            if app.reader.opened && app.nav.row != before {
                open(app, effects);
            }
        }
        Action::Filter if reading => {
            let top = app.reader.top;
            let find = app.reader.find.get_or_insert_with(Find::default);
            find.typed.clear();
            find.terms.clear();
            find.origin = Some(top);
            app.input = Input::Find;
            find_typed(app);
        }
        Action::Filter => {
            app.input = Input::Filter;
            if tree {
                app.focus = Focus::Articles;
            }
        }
        Action::ToggleRead => {
            if let Some(index) = app.target() {
                let read = app.archive.toggle_read(index);
                app.status.message =
                    Some(if read { "marked read" } else { "marked unread" }.to_owned());
                effects.push(Effect::SaveMarks);
            }
        }
        Action::ToggleStar => {
            if let Some(index) = app.target() {
                let starred = app.archive.toggle_star(index);
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
            if app.archive.warnings.is_empty() && app.status.long_message.is_none() {
                app.status.message = Some("no warnings: everything loaded".to_owned());
            } else {
                show_overlay(app, Overlay::Warnings);
            }
        }
        Action::NextUnread => next_unread(app, true, effects),
        Action::PrevUnread => next_unread(app, false, effects),
        Action::MarkAllRead => mark_all_read(app, effects),
        Action::View => {
            let view = app.archive.view().next();
            app.archive.set_view(view);
            app.nav.article = 0;
            app.nav.article_offset = 0;
            let (unread, count) = app.archive.counts(0..app.archive.sections.len());
            app.status.message = Some(match view {
                super::super::archive::View::All => format!("showing all {count} articles"),
                super::super::archive::View::Unread => format!("showing the {unread} unread only"),
                super::super::archive::View::Starred if count == 0 => {
                    let star = app.prefs.keymap.keys(Action::ToggleStar);
                    let star = star.first().map(ToString::to_string).unwrap_or_default();
                    format!("showing the 0 starred only · {star} stars an article")
                }
                super::super::archive::View::Starred => format!("showing the {count} starred only"),
            });
        }
        Action::Script => {
            let script = app.prefs.text.script.next();
            app.prefs.text.script = script;
            // Laid out again, in the new script, when the frame settles.
            app.reader.lines.clear();
            app.reader.typesetting = None;
            app.status.message = Some(format!("script: {}", script.name()));
        }
        Action::FoldAll => {
            app.nav.folds.fold_all();
            if let Row::Section(s) = app.nav.row
                && let Some(day) = app.archive.sections.get(s).map(|s| s.day)
            {
                app.nav.row = Row::Day(day);
                app.nav.article = 0;
            }
        }
        Action::JumpDate => app.input = Input::Date(String::new()),
    }
}

/// `h` in the sections tree: a section goes up to its day, an open day or
/// feed folds, a folded day goes up to its feed.
fn fold(app: &mut App) {
    let archive = &app.archive;
    match app.nav.row {
        Row::Section(s) => {
            if let Some(day) = archive.sections.get(s).map(|s| s.day) {
                app.nav.folds.set_day(archive, day, false);
                select_row(app, Row::Day(day));
            }
        }
        Row::Day(d) if app.nav.folds.day_open(archive, d) => {
            app.nav.folds.set_day(archive, d, false);
        }
        Row::Day(d) => {
            if let Some(feed) = archive.days.get(d).map(|d| d.feed) {
                select_row(app, Row::Feed(feed));
            }
        }
        Row::Feed(f) => app.nav.folds.set_feed(archive, f, false),
    }
}

/// `l` or Enter in the sections tree: a folded day or feed opens; else
/// the article list takes the keys.
fn unfold(app: &mut App) {
    let archive = &app.archive;
    match app.nav.row {
        Row::Day(d) if !app.nav.folds.day_open(archive, d) => {
            app.nav.folds.set_day(archive, d, true);
        }
        Row::Feed(f) if !app.nav.folds.feed_open(archive, f) => {
            app.nav.folds.set_feed(archive, f, true);
        }
        _ => app.focus = Focus::Articles,
    }
}

/// A click on the selected row of the tree: a day or feed opens or folds.
pub(super) fn toggle_fold(app: &mut App) {
    let archive = &app.archive;
    match app.nav.row {
        Row::Day(d) => {
            let open = app.nav.folds.day_open(archive, d);
            app.nav.folds.set_day(archive, d, !open);
        }
        Row::Feed(f) => {
            let open = app.nav.folds.feed_open(archive, f);
            app.nav.folds.set_feed(archive, f, !open);
        }
        Row::Section(_) => app.focus = Focus::Articles,
    }
}

/// Selects a row of the sections tree and its first article.
pub(super) fn select_row(app: &mut App, row: Row) {
    if row != app.nav.row {
        app.nav.row = row;
        app.nav.article = 0;
        app.nav.article_offset = 0;
    }
}

/// Selects article `index`: its section (opening its day) and its row in
/// the list.
pub(super) fn select_article(app: &mut App, index: usize) {
    let Some(section) = app.archive.section_of(index) else {
        return;
    };
    // A day or a feed that holds the article stays selected.
    // (The list is in rank order while a search is shown: no binary search.)
    if !app.scope().contains(&section) || !app.listed().contains(index) {
        app.nav.folds.reveal(&app.archive, section);
        select_row(app, Row::Section(section));
    }
    if let Some(at) = app.listed().position(index) {
        app.nav.article = at;
    }
}

/// `u`/`U`: the next (previous) unread article the view shows, in
/// library order from the one read or selected; opened when reading.
fn next_unread(app: &mut App, forward: bool, effects: &mut Vec<Effect>) {
    match app.archive.next_unread(app.target(), forward) {
        Some(index) => {
            select_article(app, index);
            if app.reader.opened {
                open(app, effects);
            }
        }
        None => {
            app.status.message = Some(
                if forward {
                    "no unread article after this one"
                } else {
                    "no unread article before this one"
                }
                .to_owned(),
            );
        }
    }
}

/// `A`: every article the list shows is marked read; the next key may
/// take it back (Esc).
fn mark_all_read(app: &mut App, effects: &mut Vec<Effect>) {
    let listed = app.listed().to_vec();
    let marked: Vec<usize> = listed
        .into_iter()
        .filter(|&i| app.archive.set_read(i, true))
        .collect();
    let what = app.scope_label();
    if marked.is_empty() {
        app.status.message = Some(format!("nothing unread in {what}"));
        return;
    }
    let key = app
        .prefs
        .keymap
        .keys(Action::Cancel)
        .first()
        .map(ToString::to_string)
        .unwrap_or_default();
    // What undoes it comes before what was marked, which a narrow status
    // line cuts.
    app.status.message = Some(format!(
        "marked {} read · {key} undoes · {what}",
        marked.len()
    ));
    app.status.undo = Some(Undo { articles: marked });
    effects.push(Effect::SaveMarks);
}

/// Takes back the marks of the last `A`.
pub(super) fn undo(app: &mut App, undo: Undo, effects: &mut Vec<Effect>) {
    for &i in &undo.articles {
        app.archive.set_read(i, false);
    }
    app.status.message = Some(format!("undone: {} unread again", undo.articles.len()));
    effects.push(Effect::SaveMarks);
}

/// `:` then a date: selects that day of the feed shown (else of the first
/// feed that has it), opened.
fn jump_to_date(app: &mut App, typed: &str) {
    let Some(wanted) = DateQuery::parse(typed) else {
        app.status.message = Some(format!(
            "not a date: \"{}\"; type 2023-03-10, 3-10 or 10",
            crate::typeset::sanitize(typed.trim())
        ));
        return;
    };
    // The feed shown first (the first of the smallest keys), then the rest.
    let current = app.archive.feed_of(app.nav.row);
    let day = (app.archive.days.iter().enumerate())
        .filter(|(_, d)| d.date.as_deref().is_some_and(|s| wanted.matches(s)))
        .min_by_key(|(_, d)| Some(d.feed) != current)
        .map(|(n, _)| n);
    match day {
        Some(d) => {
            app.nav.folds.set_day(&app.archive, d, true);
            select_row(app, Row::Day(d));
            // The date near the top of the tree, its 版面 below it in view
            // (the feed's name takes the row above).
            let rows = tree::rows(&app.archive, &app.nav.folds);
            if let Some(at) = rows.iter().position(|r| *r == Row::Day(d)) {
                app.nav.section_offset = at.saturating_sub(1);
            }
            if app.panes.sections.is_some() || app.focus == Focus::Reader {
                app.reader.opened = false;
                app.focus = Focus::Sections;
            }
            let (unread, count) = app.archive.day_counts(d);
            app.status.message = Some(format!(
                "{} · {count} 篇, {unread} unread",
                app.scope_label()
            ));
        }
        None => {
            app.status.message = Some(format!(
                "no date {} in the archive",
                crate::typeset::sanitize(typed.trim())
            ));
        }
    }
}

/// A date as typed after `:`: year, month and day, each optional but the
/// day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateQuery {
    year: Option<u32>,
    month: Option<u32>,
    day: u32,
}

impl DateQuery {
    /// `2023-03-10`, `2023/3/10`, `2023年3月10日`, `3-10`, `3月10日` or `10`,
    /// in ASCII or full-width digits (`３-１０`, as input methods type
    /// them); `None` for a day the month does not have (`2-30`).
    pub fn parse(text: &str) -> Option<DateQuery> {
        let text: String = text
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                c => c,
            })
            .collect();
        let numbers: Vec<&str> = text
            .split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty())
            .collect();
        let number = |n: &str| n.parse::<u32>().ok();
        let (year, month, day) = match numbers.as_slice() {
            [d] if d.len() == 8 => (number(&d[..4]), number(&d[4..6]), number(&d[6..])?),
            [d] => (None, None, number(d)?),
            [m, d] => (None, Some(number(m)?), number(d)?),
            [y, m, d] => (Some(number(y)?), Some(number(m)?), number(d)?),
            _ => return None,
        };
        let leap =
            |y: u32| y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400));
        // The days of the month, February's 29 unless the year says not.
        let days = match month {
            Some(4 | 6 | 9 | 11) => 30,
            Some(2) if year.is_some_and(|y| !leap(y)) => 28,
            Some(2) => 29,
            _ => 31,
        };
        let valid = (1..=days).contains(&day)
            && month.is_none_or(|m| (1..=12).contains(&m))
            && year.is_none_or(|y| (1000..=9999).contains(&y));
        valid.then_some(DateQuery { year, month, day })
    }

    /// Whether `YYYY-MM-DD` is this date.
    pub fn matches(&self, date: &str) -> bool {
        let mut parts = date.split('-').map(|p| p.parse::<u32>().ok());
        let (Some(Some(y)), Some(Some(m)), Some(Some(d))) =
            (parts.next(), parts.next(), parts.next())
        else {
            return false;
        };
        d == self.day && self.month.is_none_or(|mm| mm == m) && self.year.is_none_or(|yy| yy == y)
    }
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
            let rows = tree::rows(&app.archive, &app.nav.folds);
            let at = rows.iter().position(|r| *r == app.nav.row).unwrap_or(0);
            if let Some(&row) = rows.get(moved(at, by, down, rows.len())) {
                select_row(app, row);
            }
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
    // Opened from the search's hits: the reader finds the search's terms.
    if let Some(Ok(found)) = app.archive.found() {
        let terms = found.query.terms().map(str::to_owned).collect();
        app.reader.find = Some(Find::of_terms(terms));
        app.reader.find_pending = true;
    } else if app.reader.find.as_ref().is_some_and(|f| f.typed.is_empty()) {
        // The last search's terms are not this article's find.
        app.reader.find = None;
    }
    if app.archive.set_read(index, true) {
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
        let before = app.nav.row;
        next_section(app, forward);
        if app.nav.row == before {
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

/// Selects the next (previous) section that shows articles, after (before)
/// the selected row's, opening its day.
pub(super) fn next_section(app: &mut App, forward: bool) {
    let scope = app.scope();
    let archive = &app.archive;
    let shows = |s: &usize| !archive.visible(*s).is_empty();
    let next = if forward {
        (scope.end..archive.sections.len()).find(shows)
    } else {
        (0..scope.start).rev().find(shows)
    };
    if let Some(s) = next {
        app.nav.folds.reveal(&app.archive, s);
        select_row(app, Row::Section(s));
    }
}
