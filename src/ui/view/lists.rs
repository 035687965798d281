//! The sections pane and the articles pane.

use ratatui::buffer::Buffer;
use ratatui::style::Style;

use crate::typeset::{str_width, truncate};

use super::super::app::{App, Focus, SectionRow};
use super::super::layout::Pane;
use super::style::Styles;
use super::text::{fill, put};

fn header(buf: &mut Buffer, pane: Pane, title: &str, focused: bool, styles: &Styles, amb: u8) {
    let style = if focused { styles.header } else { styles.dim };
    let title = truncate(title, usize::from(pane.header.width), amb);
    put(buf, pane.header, 0, &[(&title, style)], amb);
}

/// Feeds, dates and sections with their article and unread counts.
pub fn sections(buf: &mut Buffer, pane: Pane, app: &App, styles: &Styles) {
    let amb = app.prefs.text.ambiguous_width;
    let focused = app.focus == Focus::Sections;
    header(buf, pane, "版面 Sections", focused, styles, amb);
    let width = usize::from(pane.body.width);
    let rows = app.section_rows();
    for (row, item) in rows
        .iter()
        .skip(app.nav.section_offset)
        .take(usize::from(pane.body.height))
        .enumerate()
    {
        let row = row as u16;
        match *item {
            SectionRow::Feed(i) => {
                let title = crate::typeset::sanitize(&app.nav.sections[i].feed_title);
                put(
                    buf,
                    pane.body,
                    row,
                    &[(&truncate(&title, width, amb), styles.feed)],
                    amb,
                );
            }
            SectionRow::Section(i) => {
                let count = app.visible(i).len();
                let unread = app.unread(i);
                let counts = format!(" {unread}/{count}");
                let label_room = width.saturating_sub(str_width(&counts, amb) + 1);
                let label = truncate(
                    &format!(" {}", app.nav.sections[i].label()),
                    label_room,
                    amb,
                );
                let pad = width.saturating_sub(str_width(&label, amb) + str_width(&counts, amb));
                let selected = i == app.nav.section;
                let base = match (selected, focused) {
                    (true, true) => styles.selected,
                    (true, false) => styles.selected_idle,
                    _ => Style::new(),
                };
                let count_style = if unread > 0 && !selected {
                    styles.unread
                } else {
                    base
                };
                let spaces = " ".repeat(pad);
                let written = put(
                    buf,
                    pane.body,
                    row,
                    &[(&label, base), (&spaces, base), (&counts, count_style)],
                    amb,
                );
                if selected {
                    fill(buf, pane.body, row, written, base);
                }
            }
        }
    }
}

/// The selected section's articles: unread and star markers, headline,
/// byline.
pub fn articles(buf: &mut Buffer, pane: Pane, app: &App, styles: &Styles) {
    let amb = app.prefs.text.ambiguous_width;
    let focused = app.focus == Focus::Articles;
    let visible = app.visible(app.nav.section);
    let title = match app.section() {
        Some(s) if app.nav.editing || !app.nav.filter.is_empty() => {
            format!("{} · {} 篇 · /{}", s.label(), visible.len(), app.nav.filter)
        }
        Some(s) => format!("{} · {} 篇", s.label(), visible.len()),
        None => "文章 Articles".to_owned(),
    };
    header(buf, pane, &title, focused, styles, amb);
    let width = usize::from(pane.body.width);
    if visible.is_empty() {
        let note = if app.articles.is_empty() {
            "No articles: add page files to a feed folder (see kanbao check)."
        } else {
            "No article matches the filter; Esc clears it."
        };
        put(
            buf,
            pane.body,
            0,
            &[(&truncate(note, width, amb), styles.dim)],
            amb,
        );
        return;
    }
    for (row, &index) in visible
        .iter()
        .enumerate()
        .skip(app.nav.article_offset)
        .take(usize::from(pane.body.height))
    {
        let article = &app.articles[index];
        let selected = row == app.nav.article;
        let screen_row = (row - app.nav.article_offset) as u16;
        let base = match (selected, focused) {
            (true, true) => styles.selected,
            (true, false) => styles.selected_idle,
            _ => Style::new(),
        };
        let unread = !app.marks.is_read(&article.id);
        let starred = app.marks.is_starred(&article.id);
        let marker = if unread { "●" } else { " " };
        let star = if starred { "★" } else { " " };
        let marker_style = if selected { base } else { styles.unread };
        let star_style = if selected { base } else { styles.starred };
        let used = str_width(marker, amb) + str_width(star, amb) + 1;
        let room = width.saturating_sub(used);
        let byline = article
            .byline
            .as_ref()
            .map(|b| b.text.as_str())
            .unwrap_or("");
        let headline = article.display_title();
        let title_w = str_width(headline, amb);
        let (title, byline) = if title_w + 2 + str_width(byline, amb) <= room || byline.is_empty() {
            (truncate(headline, room, amb), byline.to_owned())
        } else {
            let title_room = room.saturating_sub(room / 3).max(room.min(8));
            let title = truncate(headline, title_room, amb);
            let byline_room = room.saturating_sub(str_width(&title, amb) + 2);
            // A byline cut to a role word says nothing: show it only with
            // room for a name.
            let byline = if byline_room >= 8 {
                truncate(byline, byline_room, amb)
            } else {
                String::new()
            };
            (title, byline)
        };
        let gap = if byline.is_empty() { "" } else { "  " };
        let byline_style = if selected { base } else { styles.dim };
        let written = put(
            buf,
            pane.body,
            screen_row,
            &[
                (marker, marker_style),
                (star, star_style),
                (" ", base),
                (&title, base),
                (gap, base),
                (&byline, byline_style),
            ],
            amb,
        );
        if selected {
            fill(buf, pane.body, screen_row, written, base);
        }
    }
}
