//! The sections pane and the articles pane.

use ratatui::buffer::Buffer;
use ratatui::style::Style;

use crate::model::Article;
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
        let (title, byline) = row_text(article, room, amb);
        let byline_style = if selected { base } else { styles.dim };
        let highlight = if selected {
            base.patch(styles.highlight)
        } else {
            styles.highlight
        };
        let mut pieces: Vec<(&str, Style)> =
            vec![(marker, marker_style), (star, star_style), (" ", base)];
        pieces.extend(highlighted(&title, app.nav.filter.trim(), base, highlight));
        if !byline.is_empty() {
            pieces.push(("  ", base));
            pieces.push((&byline, byline_style));
        }
        let written = put(buf, pane.body, screen_row, &pieces, amb);
        if selected {
            fill(buf, pane.body, screen_row, written, base);
        }
    }
}

/// The headline and the names of the byline that fit in `room` columns: the
/// headline first, then whole names (never half a name), `…` when some
/// did not fit.
fn row_text(article: &Article, room: usize, amb: u8) -> (String, String) {
    let title = truncate(article.display_title(), room, amb);
    let names: Vec<&str> = match &article.byline {
        Some(b) if !b.reporters.is_empty() || !b.correspondents.is_empty() => b
            .reporters
            .iter()
            .chain(&b.correspondents)
            .map(String::as_str)
            .collect(),
        Some(b) => vec![b.text.as_str()],
        None => Vec::new(),
    };
    let mut left = room.saturating_sub(str_width(&title, amb) + 2);
    let mut shown = String::new();
    for (i, name) in names.iter().enumerate() {
        let sep = usize::from(!shown.is_empty());
        let w = str_width(name, amb);
        let more = i + 1 < names.len();
        // Keep room for the `…` that says names were left out.
        let reserve = if more { 2 } else { 0 };
        if sep + w + reserve > left {
            if !shown.is_empty() && left >= 2 {
                shown.push_str(" …");
            }
            break;
        }
        if sep == 1 {
            shown.push(' ');
        }
        shown.push_str(name);
        left -= sep + w;
    }
    (title, shown)
}

/// `text` cut into pieces, the parts matching `query` (case-blind) in the
/// highlight style.
fn highlighted<'a>(
    text: &'a str,
    query: &str,
    base: Style,
    highlight: Style,
) -> Vec<(&'a str, Style)> {
    if query.is_empty() {
        return vec![(text, base)];
    }
    let lower = text.to_lowercase();
    let query = query.to_lowercase();
    // Lower-casing can change byte lengths; highlight only when it did not.
    if lower.len() != text.len() {
        return vec![(text, base)];
    }
    let mut pieces = Vec::new();
    let mut at = 0;
    for (start, _) in lower.match_indices(&query) {
        if start < at
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(start + query.len())
        {
            continue;
        }
        pieces.push((&text[at..start], base));
        pieces.push((&text[start..start + query.len()], highlight));
        at = start + query.len();
    }
    pieces.push((&text[at..], base));
    pieces
}
