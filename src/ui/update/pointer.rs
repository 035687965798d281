//! The mouse: a click selects (a second click opens), the wheel scrolls
//! the pane under the pointer.

use super::super::app::App;
use super::super::layout::Focus;
use super::super::msg::Effect;
use super::keys::{self, next_section, open, scroll_overlay, select_row};
use super::moved;
use super::reader::scroll;
use super::sticky_feed;

/// Lines the mouse wheel scrolls.
const WHEEL_LINES: usize = 3;

pub(super) fn click(app: &mut App, column: u16, row: u16, effects: &mut Vec<Effect>) {
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
            let line = usize::from(row - body.y);
            if line == 0 && sticky_feed(app, usize::from(body.height)).is_some() {
                // The feed's name kept at the top.
                return;
            }
            let at = app.nav.section_offset + line;
            if let Some(&clicked) = app.nav.rows.get(at) {
                if clicked == app.nav.row {
                    // A second click opens or folds it, as Enter and h do.
                    keys::toggle_fold(app);
                } else {
                    select_row(app, clicked);
                }
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

pub(super) fn wheel(app: &mut App, column: u16, row: u16, down: bool) {
    if app.overlay.is_some() {
        scroll_overlay(app, down);
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
