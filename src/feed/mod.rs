//! Web feeds, the network side: fetching feeds into the archive, and OPML.
//!
//! What a feed's bytes mean is read in [`crate::source`] (feed files, stored
//! items, item HTML); this folder gets the bytes and keeps them:
//!
//! - [`http`]: fetching a feed's bytes (conditional GET, redirects,
//!   timeouts, size cap, gzip);
//! - [`fetch`]: fetching feeds into their stores, several at a time;
//! - [`epaper`]: fetching e-paper editions, 版面 by 版面;
//! - [`store`]: a feed's folder of items and its fetch state;
//! - [`report`]: how a fetch ended, and its progress;
//! - [`pool`]: a job over a list on a few threads;
//! - [`photo`]: a photo's bytes, fetched with the feeds' rules into the image cache;
//! - [`opml`]: importing feed lists into config.toml, exporting them.

pub mod epaper;
pub mod fetch;
pub mod http;
pub mod opml;
pub mod photo;
pub mod pool;
pub mod report;
pub mod store;
