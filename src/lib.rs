//! kanbao (看报) — read Chinese-language newspapers and feeds in a terminal.
//!
//! Data flows one way:
//!
//! ```text
//! bytes ─ source::decode ─▶ text ─ source::page ─▶ model::Article
//!       ─ library (feeds, ids, grouping) ─▶ typeset (lines) ─▶ cli output
//! ```
//!
//! - [`atomic`]: crash-safe file writes (temporary file, fsync, rename).
//! - [`browser`]: opens a link in the browser — http(s) only, one argument, no shell.
//! - [`config`]: `config.toml` — feeds, text options, keys, theme, ui; lookup and validation.
//! - [`feed`]: web feeds — fetching, item HTML, OPML.
//! - [`index`]: the archive's index under the cache folder — start-up without
//!   parsing, Chinese full-text search.
//! - [`keymap`]: actions and the keys bound to them (`[keys]` in config.toml).
//! - [`model`]: plain data — [`model::Article`], [`model::Byline`], [`model::Photo`].
//! - [`sanitize`]: strips control characters and escape sequences from stored text.
//! - [`source`]: readers of stored pages — byte decoding and the page parser.
//! - [`library`]: the archive — walks feed folders, assigns stable ids, groups by
//!   feed, date and section, collects warnings.
//! - [`state`]: read and starred marks by article id, kept in `state.json`.
//! - [`synth`]: synthetic archives built from the sample page, for benchmarks
//!   and tests.
//! - [`typeset`]: CJK-aware wrapping, indentation and punctuation display.
//! - [`ui`]: the terminal reader (ratatui): state, update, views, terminal,
//!   workers.
//! - [`cli`]: the command-line subcommands, printing only.

pub mod atomic;
pub mod browser;
pub mod cli;
pub mod config;
pub mod feed;
pub mod index;
pub mod io_message;
pub mod keymap;
pub mod library;
pub mod model;
pub mod sanitize;
pub mod source;
pub mod state;
pub mod synth;
pub mod typeset;
pub mod ui;
