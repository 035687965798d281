//! The reader pane: the article's laid-out lines from the top line on,
//! with a position indicator in the header.

use ratatui::buffer::Buffer;

use crate::typeset::{str_width, truncate};

use super::super::app::App;
use super::super::layout::Focus;
use super::super::layout::Pane;
use super::style::Styles;
use super::text::put;

pub fn draw(buf: &mut Buffer, pane: Pane, app: &App, styles: &Styles) {
    let amb = app.prefs.text.ambiguous_width;
    let r = &app.reader;
    let focused = app.focus == Focus::Reader;
    let header_style = if focused { styles.header } else { styles.dim };
    let width = usize::from(pane.header.width);
    if r.article.is_none() {
        put(
            buf,
            pane.header,
            0,
            &[(&truncate("阅读 Reader", width, amb), header_style)],
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
        .skip(r.top)
        .take(usize::from(text.height))
        .enumerate()
    {
        put(
            buf,
            text,
            row as u16,
            &[(&line.text, styles.role(line.role))],
            amb,
        );
    }
}
