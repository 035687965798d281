//! The reader pane: the article's laid-out lines from the top line on,
//! with a position indicator in the header, and the photos' pictures on
//! the rows laid out for them.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;
use ratatui_image::sliced::{SignedPosition, SlicedImage};

use crate::typeset::{Role, str_width, truncate};

use super::super::app::App;
use super::super::layout::Focus;
use super::super::layout::Pane;
use super::super::pictures::{Picture, picture_box, slot};
use super::style::Styles;
use super::text::put;

pub fn draw(buf: &mut Buffer, pane: Pane, app: &App, styles: &Styles) {
    let amb = app.prefs.text.ambiguous_width.columns();
    // The pane's labels in the reader's script, like the text.
    let script = app.prefs.text.script;
    let r = &app.reader;
    let focused = app.focus == Focus::Reader;
    let header_style = if focused { styles.header } else { styles.dim };
    let width = usize::from(pane.header.width);
    if r.article.is_none() {
        put(
            buf,
            pane.header,
            0,
            &[(
                &truncate(&script.convert("阅读 Reader"), width, amb),
                header_style,
            )],
            amb,
        );
        return;
    }
    let position = if r.typesetting.is_some() {
        "排版中…".to_owned()
    } else if r.lines.len() <= r.height {
        "全文".to_owned()
    } else {
        format!("{}%", r.percent())
    };
    let label = if r.opened { "阅读" } else { "预览" };
    let (label, position) = (script.convert(label), script.convert(&position));
    let room = width.saturating_sub(str_width(&position, amb) + 1);
    let left = truncate(&format!(" {label}"), room, amb);
    let pad = " ".repeat(width.saturating_sub(str_width(&left, amb) + str_width(&position, amb)));
    put(
        buf,
        pane.header,
        0,
        &[
            (&left, header_style),
            (&pad, header_style),
            (&position, header_style),
        ],
        amb,
    );
    let text = pane.text();
    for (row, line) in r
        .lines
        .iter()
        .enumerate()
        .skip(r.top)
        .take(usize::from(text.height))
    {
        if let Role::Picture { photo, row: 0 } = line.role {
            picture(buf, text, app, photo, (row - r.top) as u16, 0);
        } else if let Role::Picture { photo, row: part } = line.role
            && row == r.top
        {
            // Scrolled into: drawn from the row at the top.
            picture(buf, text, app, photo, 0, part);
        }
        let style = styles.role(line.role);
        let spans = r.find.as_ref().map(|f| f.spans_on(row)).unwrap_or_default();
        let pieces = lit(&line.text, &spans, style, styles);
        let pieces: Vec<(&str, Style)> = pieces.iter().map(|(t, s)| (t.as_str(), *s)).collect();
        put(buf, text, (row - r.top) as u16, &pieces, amb);
    }
}

/// Draws photo `photo`'s picture from its row `part` on, at row `at` of
/// the reader's `text` area, centred, cut at the area's bottom; only when
/// it was encoded for the cells it takes now (after a resize, until the
/// worker brings it again, its rows stay blank).
fn picture(buf: &mut Buffer, text: Rect, app: &App, photo: usize, at: u16, part: u16) {
    let (Some(graphics), Some(Some(Picture::Shown(shown)))) =
        (app.prefs.graphics, app.reader.pictures.items.get(photo))
    else {
        return;
    };
    let area = picture_box(usize::from(text.width), usize::from(text.height));
    let (columns, rows) = slot(shown, graphics, area);
    if shown.encoded.size != (columns, rows) || columns > text.width {
        return;
    }
    let left = (text.width - columns) / 2;
    let visible = (rows - part.min(rows)).min(text.height.saturating_sub(at));
    let target = Rect::new(text.x + left, text.y + at, columns, visible);
    let position = SignedPosition::from((0, -i16::try_from(part).unwrap_or(i16::MAX)));
    SlicedImage::new(&shown.encoded.protocol, position).render(target, buf);
}

/// A line in pieces: the find's matches on it highlighted, the current
/// one as the selection.
fn lit(
    text: &str,
    spans: &[(usize, usize, bool)],
    style: Style,
    styles: &Styles,
) -> Vec<(String, Style)> {
    if spans.is_empty() {
        return vec![(text.to_owned(), style)];
    }
    let mut pieces: Vec<(String, Style)> = Vec::new();
    for (n, c) in text.chars().enumerate() {
        let lit = spans
            .iter()
            .find(|(start, end, _)| (*start..*end).contains(&n));
        let style = match lit {
            Some((_, _, true)) => style.patch(styles.selected),
            Some(_) => style.patch(styles.highlight),
            None => style,
        };
        match pieces.last_mut() {
            Some((s, st)) if *st == style => s.push(c),
            _ => pieces.push((c.to_string(), style)),
        }
    }
    pieces
}
