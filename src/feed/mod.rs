//! Web feeds: RSS, Atom and JSON Feed items fetched into the archive.
//!
//! - [`http`]: fetching a feed's bytes (conditional GET, redirects,
//!   timeouts, size cap, gzip);
//! - [`html`]: item HTML → paragraphs, numbered links and photos;
//! - [`item`]: an item as stored, one UTF-8 file with TOML front matter;
//! - [`store`]: a feed's folder of items and its fetch state;
//! - [`parse`]: feed bytes in any encoding → items (feed-rs);
//! - [`fetch`]: fetching feeds into their stores, several at a time;
//! - [`opml`]: importing feed lists into config.toml, exporting them.

pub mod fetch;
pub mod html;
pub mod http;
pub mod item;
pub mod opml;
pub mod parse;
pub mod store;
