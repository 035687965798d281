//! Overlays: the key bindings (from the keymap itself) and the warnings
//! from loading the archive.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, Clear, Widget};

use crate::typeset::truncate;

use super::super::app::{App, Overlay};
use super::style::Styles;
use super::text::put;

pub fn draw(buf: &mut Buffer, area: Rect, app: &App, which: Overlay, styles: &Styles) {
    let amb = app.prefs.text.ambiguous_width;
    let _ = area;
    let Some((rect, content)) = app.overlay_view(which) else {
        return;
    };
    Clear.render(rect, buf);
    let title = match which {
        Overlay::Help => " 按键 Keys (? or Esc to close) ",
        Overlay::Warnings => " 警告 Warnings (Esc to close) ",
    };
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(styles.border)
        .title(truncate(
            title,
            usize::from(rect.width.saturating_sub(2)),
            amb,
        ));
    let inner = block.inner(rect);
    block.render(rect, buf);
    let visible = usize::from(inner.height);
    let top = app.overlay_top;
    for (row, line) in content.iter().skip(top).take(visible).enumerate() {
        put(buf, inner, row as u16, &[(line, styles.body)], amb);
    }
}
