//! An article's links: `o` opens its address or asks which numbered link,
//! and the link prompt's number chooses one.

use super::super::app::{App, Input};
use super::super::msg::{Effect, Then};

/// `o`: an article without numbered links opens its address at once; with
/// them, the prompt asks which. An article from the index is read first:
/// it comes without its links.
pub(super) fn open_link(app: &mut App, effects: &mut Vec<Effect>) {
    let Some(index) = app.target() else {
        return;
    };
    if app.archive.article(index).is_some_and(|a| a.stub.is_some()) {
        effects.push(Effect::Read {
            index,
            then: Then::OpenLink,
        });
        return;
    }
    choose_link(app, index, effects);
}

/// The link `o` opens for article `index`, or the prompt, as it has them.
pub(super) fn choose_link(app: &mut App, index: usize, effects: &mut Vec<Effect>) {
    let Some(article) = app.archive.article(index) else {
        return;
    };
    match (&article.url, article.links.is_empty()) {
        (_, false) => app.input = Input::LinkNumber(String::new()),
        (Some(url), true) => effects.push(Effect::OpenLink(url.clone())),
        (None, true) => app.status.message = Some("this article has no link to open".to_owned()),
    }
}

/// Enter in the link prompt: link n, or without a number the article's
/// address (link 1 when it has none).
pub(super) fn submit_link(app: &mut App, typed: &str, effects: &mut Vec<Effect>) {
    let Some(article) = app.target().and_then(|i| app.archive.article(i)) else {
        return;
    };
    let links = &article.links;
    let url = if typed.is_empty() {
        article.url.as_ref().or(links.first().map(|l| &l.url))
    } else {
        typed
            .parse::<usize>()
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|n| links.get(n))
            .map(|l| &l.url)
    };
    match url {
        Some(url) => effects.push(Effect::OpenLink(url.clone())),
        None if links.is_empty() => {
            app.status.message = Some("this article has no link to open".to_owned());
        }
        None => {
            let count = match links.len() {
                1 => "1 link".to_owned(),
                n => format!("{n} links"),
            };
            app.status.message = Some(format!("no link {typed}: this article has {count}"));
        }
    }
}
