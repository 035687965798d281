//! kanbao (看报) — read Chinese-language newspapers and feeds in a terminal.
//!
//! From bytes to screen, data flows one way:
//!
//! ```text
//!  network ─ feed::{http, fetch, epaper} ─ feed::store ─▶ item files ┐
//!                                                                   ▼
//!  files on disk ─ source::{decode, page, feed_file, item, html, epaper} ─▶ model::Article
//!                                                            │
//!        library: walks the feed folders, ids, sections, warnings
//!                                                            │
//!        index: per-file cache of what library read + Chinese search
//!                                                            │
//!        typeset: an Article at a width → lines (CJK line breaking)
//!                                                            │
//!                       cli: printed output      ui: the reader
//! ```
//!
//! From key to effect, inside the reader:
//!
//! ```text
//!  terminal event ─ ui::input (keymap: key → Action) ─▶ ui::msg::Msg
//!    ─ ui::update (pure: changes ui::app::App) ─▶ ui::msg::Effect
//!    ─ the loop in ui performs it (read a body, save marks, fetch, open a link)
//!    ─▶ Msg back to update; ui::view draws from &App
//! ```
//!
//! The modules, each importing only from those listed below it
//! (`A → B` means A uses B):
//!
//! - [`cli`]: the command-line subcommands, printing only
//!   → ui, sync, feed, index, library, marks, typeset, source, config, script,
//!   atomic, model.
//! - [`ui`]: the terminal reader (ratatui): state, update, views, terminal,
//!   workers → sync, feed, index, library, marks, typeset, config, keymap,
//!   browser, script, sanitize, photo, model.
//! - [`feed`]: web feeds and e-paper editions, the network side — HTTP,
//!   fetching into stores, photos into the image cache, OPML → source,
//!   config, atomic, io_message.
//! - [`sync`]: two-way sync with a feed server (TT-RSS, Fever): its feeds into
//!   the archive, read and starred marks both ways → feed, library, marks,
//!   source, config, atomic, io_message, sanitize.
//! - [`index`]: the archive's index under the cache folder — start-up
//!   without parsing, Chinese full-text search → library, source, config,
//!   atomic, io_message, model.
//! - [`marks`]: read and starred marks by article id, kept in `state.json`
//!   → atomic, model.
//! - [`library`]: the archive — walks feed folders, assigns stable ids, groups by
//!   feed, date and section, collects warnings → source, config,
//!   io_message, model.
//! - [`typeset`]: CJK-aware wrapping (hanging punctuation, filled lines),
//!   indentation and punctuation display → config, script, sanitize, model.
//! - [`source`]: every stored format read — byte decoding, the page parser,
//!   feed files (repaired when ill-formed), stored items (their paragraphs
//!   read by the page parser's recognisers), item HTML, e-paper pages →
//!   io_message, sanitize, model.
//! - [`config`]: `config.toml` — feeds, text options, keys, theme, ui; lookup
//!   and validation, and the commented file `kanbao init` writes → keymap,
//!   browser, script.
//! - [`browser`]: opens a link in the browser — http(s) only, one argument,
//!   no shell → sanitize.
//! - [`keymap`]: actions and the keys bound to them (`[keys]` in config.toml).
//! - [`model`]: plain data — [`model::Article`], [`model::Byline`], [`model::Photo`].
//! - [`photo`]: a photo's bytes → pixels, checked before decoding (no
//!   decompression bombs), and the cells a picture takes.
//! - [`sanitize`]: strips control characters and escape sequences from stored text.
//! - [`script`]: simplified ⇄ traditional conversion for display (OpenCC).
//! - [`atomic`]: crash-safe file writes (temporary file, fsync, rename).
//! - [`io_message`]: an I/O error told as a reason and a fix.
//!
//! Synthetic archives for the benchmarks and tests are made by the
//! workspace's `kanbao-synth` crate (`synth/`), which is not shipped.

pub mod atomic;
pub mod browser;
pub mod cli;
pub mod config;
pub mod feed;
pub mod index;
pub mod io_message;
pub mod keymap;
pub mod library;
pub mod marks;
pub mod model;
pub mod photo;
pub mod sanitize;
pub mod script;
pub mod source;
pub mod sync;
pub mod typeset;
pub mod ui;
