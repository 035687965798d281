//! Helpers shared by the integration tests; each test file declares
//! `mod common;` and uses what it needs.
//!
//! - [`run`]: how a run of the kanbao binary ended;
//! - [`server`]: a small HTTP/1.1 server on 127.0.0.1 with scripted
//!   responses (status codes, redirects, 304s, gzip, stalls, truncation,
//!   huge, chunked and slow bodies) that records the requests it gets;
//! - [`text`]: an article's text and its Han characters;
//! - [`keys`]: keys as a user types them, into the reader's `update`;
//! - [`papers`]: a synthetic archive of two papers over several days;
//! - [`png`]: a plain PNG and a decompression bomb, for the photo tests;
//! - [`screen`]: the sample's reader drawn on a test terminal;
//! - [`ttrss`], [`coldsweat`]: real feed servers for the sync tests
//!   (TT-RSS, a Fever server), started and stopped by PID ([`process`]).

pub mod coldsweat;
pub mod keys;
pub mod papers;
pub mod png;
pub mod process;
pub mod run;
pub mod screen;
pub mod server;
pub mod text;
pub mod ttrss;
