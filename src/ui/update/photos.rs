//! The photos of the opened article: asked for when it is opened (never
//! for a preview while browsing the lists), put among the reader's lines as
//! each arrives, and asked for again when the pane's size changes the
//! cells they take.

use super::super::app::App;
use super::super::msg::Effect;
use super::super::pictures::{Picture, Shown, picture_box};
use super::reader;

/// Wants the photos of the article open in the reader, once its text is
/// read; forgets them when it closes or another opens; fits them again
/// after a resize.
pub(super) fn settle(app: &mut App, effects: &mut Vec<Effect>) {
    let Some(text) = app.panes.reader.map(|p| p.text()) else {
        if app.reader.pictures.article.is_some() {
            app.reader.pictures.clear();
        }
        return;
    };
    let area = picture_box(usize::from(text.width), usize::from(text.height));
    let index = app.reader.article;
    let article = index
        .filter(|_| app.reader.opened && app.prefs.graphics.is_some())
        .and_then(|i| app.archive.article(i))
        .filter(|a| a.stub.is_none())
        .filter(|a| a.photos.iter().any(|p| has_address(p.url.as_deref())));
    let wanted = article.as_ref().map(|a| a.id.clone());
    if wanted != app.reader.pictures.article {
        let items = article
            .map(|a| {
                a.photos
                    .iter()
                    .map(|p| has_address(p.url.as_deref()).then_some(Picture::Loading))
                    .collect()
            })
            .unwrap_or_default();
        app.reader.pictures.clear();
        if let (Some(id), Some(index)) = (wanted, index) {
            app.reader.pictures.article = Some(id);
            app.reader.pictures.items = items;
            app.reader.pictures.asked = area;
            effects.push(Effect::Photos { index, area });
        }
        relayout(app);
        return;
    }
    let pictures = &mut app.reader.pictures;
    if let Some(index) = index
        && pictures.article.is_some()
        && pictures.asked != area
    {
        pictures.asked = area;
        let refit = pictures
            .items
            .iter()
            .any(|p| matches!(p, Some(Picture::Loading | Picture::Shown(_))));
        if refit {
            // The worker of the old size stops before its next photo.
            pictures
                .ticket
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            effects.push(Effect::Photos { index, area });
        }
        relayout(app);
    }
}

fn has_address(url: Option<&str>) -> bool {
    url.is_some_and(|u| !u.trim().is_empty())
}

/// Photo `photo` of `article` arrived, or why it could not.
pub(super) fn arrived(app: &mut App, article: &str, photo: usize, result: Result<Shown, String>) {
    let pictures = &mut app.reader.pictures;
    if pictures.article.as_deref() != Some(article) {
        return;
    }
    let Some(item @ Some(_)) = pictures.items.get_mut(photo) else {
        return;
    };
    *item = Some(match result {
        Ok(shown) => Picture::Shown(shown),
        Err(why) => Picture::Note(why),
    });
    relayout(app);
}

/// The photos' worker stopped on a panic: the photos it had not brought
/// say so.
pub(super) fn stopped(app: &mut App, article: &str) {
    let pictures = &mut app.reader.pictures;
    if pictures.article.as_deref() != Some(article) {
        return;
    }
    for item in pictures.items.iter_mut().flatten() {
        if *item == Picture::Loading {
            *item = Picture::Note("stopped on an internal error".to_owned());
        }
    }
    relayout(app);
}

/// Puts the photos' rows among the reader's lines again, keeping its place.
fn relayout(app: &mut App) {
    let lines = std::mem::take(&mut app.reader.lines);
    if !lines.is_empty() {
        reader::place(app, lines);
    }
}
