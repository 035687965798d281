//! The reader drawn without a terminal: the sample archive's app at a
//! size, and its screen on ratatui's `TestBackend`.

#![allow(dead_code, reason = "each test crate uses a subset")]

use std::path::Path;

use kanbao::config;
use kanbao::library::Library;
use kanbao::marks::Marks;
use kanbao::ui::app::{App, Prefs};
use kanbao::ui::archive::Archive;
use kanbao::ui::update::{Msg, update};
use kanbao::ui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The reader on the repository's `config.toml` (the sample page), laid
/// out for `width` × `height`.
pub fn sample(width: u16, height: u16) -> App {
    sample_with(width, height, |_| {})
}

/// [`sample`] with the library changed by `edit` before the reader takes
/// it.
pub fn sample_with(width: u16, height: u16, edit: impl FnOnce(&mut Library)) -> App {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let config = config::parse(&text, &path, "config.toml").unwrap_or_else(|e| panic!("{e}"));
    let prefs = Prefs::from_config(&config, false);
    let mut library = Library::load(&config);
    edit(&mut library);
    let archive = Archive::new(library, Marks::default(), Vec::new(), None);
    let mut app = App::new(archive, prefs);
    update(&mut app, Msg::Resize(width, height));
    app
}

/// The reader on `config`'s archive with its search (an index in memory),
/// not yet laid out: the caller sends the first `Msg::Resize`.
pub fn searchable(config: &config::Config) -> App {
    let opened = kanbao::index::in_memory(config, &|_| {});
    let archive = Archive::new(
        opened.library,
        Marks::default(),
        Vec::new(),
        Some(opened.search),
    );
    App::new(archive, Prefs::from_config(config, false))
}

/// Gives every photo of the library an address on 127.0.0.1.
pub fn with_photo_addresses(library: &mut Library) {
    for article in &mut library.articles {
        for (n, photo) in article.photos.iter_mut().enumerate() {
            photo.url = Some(format!("http://127.0.0.1/{n}.png"));
        }
    }
}

/// `app` drawn on a test terminal of its size.
pub fn screen(app: &App) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(app.size.width, app.size.height))
        .unwrap_or_else(|e| panic!("{e}"));
    terminal
        .draw(|frame| view::draw(frame, app))
        .unwrap_or_else(|e| panic!("{e}"));
    terminal
}
