//! (width: first 2 bytes as u16 LE, options: third byte, text: the rest) →
//! `typeset::wrap` of the whole text and `typeset::layout` of an article
//! built from its lines, checking that no line is wider than
//! max(width, MIN_WIDTH) columns by `typeset::str_width`.
#![no_main]

use kanbao::config::TextOptions;
use kanbao::model::{Article, Photo};
use kanbao::typeset::{self, Context, MIN_WIDTH};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let width = usize::from(u16::from_le_bytes([data[0], data[1]])).max(1);
    let opts = data[2];
    let Ok(text) = std::str::from_utf8(&data[3..]) else {
        return;
    };
    let options = TextOptions {
        indent: (opts & 0x0f) % 9,
        fullwidth_punctuation: opts & 0x10 != 0,
        ambiguous_width: if opts & 0x20 != 0 { 2 } else { 1 },
    };
    let amb = options.ambiguous_width;
    let limit = width.max(MIN_WIDTH);

    for line in typeset::wrap(text, width, usize::from(options.indent), amb) {
        let w = typeset::str_width(&line, amb);
        assert!(w <= limit, "wrap: line {line:?} is {w} columns wide, width {width}");
    }

    // An article from the text's lines: kicker, title, subtitle, column,
    // then paragraphs; a line starting with '#' is a photo caption.
    let mut article = Article::new("fuzz.txt", 1, 1);
    let mut lines = text.split('\n');
    let mut next = || lines.next().map(str::to_owned);
    article.kicker = next();
    article.title = next();
    article.subtitle = next();
    article.column = next();
    article.editor_code = next();
    for line in text.split('\n').skip(5) {
        if let Some(caption) = line.strip_prefix('#') {
            article.photos.push(Photo {
                caption: caption.to_owned(),
                credit: Some("记者 王伟 摄".to_owned()),
                code: None,
                url: None,
            });
        } else {
            article.paragraphs.push(line.to_owned());
        }
    }
    let context = Context {
        feed_title: Some("驻马店日报"),
    };
    for line in typeset::layout(&article, context, width, &options) {
        let w = typeset::str_width(&line.text, amb);
        assert!(
            w <= limit,
            "layout: {:?} line {:?} is {w} columns wide, width {width}",
            line.role,
            line.text
        );
    }
});
