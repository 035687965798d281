//! Drawing: `draw(frame, &App)` and nothing else. Views read the state;
//! they never change it (offsets and line counts were settled by
//! `update`).

mod lists;
mod overlay;
mod reader;
mod status;
mod style;
mod text;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders};

use super::app::App;
use super::layout::Pane;

pub use style::Styles;

/// Draws the whole screen.
pub fn draw(frame: &mut Frame<'_>, app: &App) {
    let styles = Styles::new(&app.prefs.theme, app.prefs.no_color);
    let area = frame.area();
    let amb = app.prefs.text.ambiguous_width.columns();
    let buf = frame.buffer_mut();
    if (area.width, area.height) != (app.size.width, app.size.height) {
        // The terminal was resized after the panes were laid out; they
        // would reach past the frame. The resize event redraws.
        return;
    }
    if app.panes.too_small || area.width == 0 || area.height == 0 {
        too_small(buf, area, amb);
        return;
    }
    for pane in [app.panes.sections, app.panes.articles, app.panes.reader]
        .into_iter()
        .flatten()
    {
        separator(buf, pane, &styles);
    }
    if let Some(pane) = app.panes.sections {
        lists::sections(buf, pane, app, &styles);
    }
    if let Some(pane) = app.panes.articles {
        lists::articles(buf, pane, app, &styles);
    }
    if let Some(pane) = app.panes.reader {
        reader::draw(buf, pane, app, &styles);
    }
    status::draw(buf, app.panes.status, app, &styles);
    if let Some(shown) = app.overlay {
        overlay::draw(buf, area, app, shown, &styles);
    }
}

fn separator(buf: &mut ratatui::buffer::Buffer, pane: Pane, styles: &Styles) {
    if pane.bordered {
        use ratatui::widgets::Widget;
        let line = Rect::new(pane.area.x, pane.area.y, 1, pane.area.height);
        Block::new()
            .borders(Borders::LEFT)
            .border_style(styles.border)
            .render(line, buf);
    }
}

fn too_small(buf: &mut ratatui::buffer::Buffer, area: Rect, amb: u8) {
    let message = ["window too small", "窗口太小"];
    for (row, line) in message.iter().enumerate() {
        text::put(
            buf,
            area,
            row as u16,
            &[(line, ratatui::style::Style::new())],
            amb,
        );
    }
}
