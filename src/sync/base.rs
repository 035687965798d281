//! What kanbao and the server last agreed on: `sync.json` in the state
//! folder, beside `state.json`.
//!
//! For every server article kanbao holds: its kanbao id and the read and
//! starred marks both sides had at the end of the last sync, and the
//! highest article id seen (`since_id` of the next sync). A mark in
//! `state.json` that differs from this is a change made in kanbao since —
//! the queue of marks to push, kept however long the server cannot be
//! reached; one on the server that differs is a change made there. The
//! file is replaced atomically ([`crate::atomic`]) and only after a sync
//! ended and its marks were saved, so a sync that fails anywhere leaves
//! the queue as it was.

use std::collections::BTreeMap;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::SyncError;

/// The `version` this kanbao writes and reads.
const VERSION: u64 = 1;

/// The agreed state of one server article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreed {
    /// The article's id in kanbao.
    pub id: String,
    pub read: bool,
    pub starred: bool,
}

/// `sync.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Base {
    version: u64,
    /// `kind url user`: a base agreed with another server or user is not
    /// this one's.
    pub server: String,
    /// The highest server article id fetched.
    pub since_id: i64,
    /// By server article id.
    pub items: BTreeMap<i64, Agreed>,
}

impl Base {
    /// An empty base for `server`.
    pub fn new(server: &str) -> Base {
        Base {
            version: VERSION,
            server: server.to_owned(),
            since_id: 0,
            items: BTreeMap::new(),
        }
    }

    /// `sync.json` in `folder`, or an empty base when there is none or it
    /// is another server's. One that cannot be read is an error naming it.
    pub fn load(folder: &Path, server: &str) -> Result<Base, SyncError> {
        let path = path(folder);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Base::new(server)),
            Err(e) => {
                return Err(SyncError(format!(
                    "cannot read {}: {}; make it readable, or remove it to sync from scratch",
                    path.display(),
                    crate::io_message::io_message(&e)
                )));
            }
        };
        let base: Base = serde_json::from_slice(&bytes).map_err(|e| {
            SyncError(format!(
                "{} is not a sync state kanbao can read ({e}); remove it to sync from scratch \
                 (marks made offline since the last sync are then taken as agreed)",
                path.display()
            ))
        })?;
        if base.version > VERSION {
            return Err(SyncError(format!(
                "{} was written by a newer kanbao (version {}); use that kanbao, or remove \
                 the file to sync from scratch",
                path.display(),
                base.version
            )));
        }
        if base.server != server {
            return Ok(Base::new(server));
        }
        Ok(base)
    }

    /// Replaces `sync.json` in `folder` atomically.
    pub fn save(&self, folder: &Path) -> Result<(), String> {
        let path = path(folder);
        let mut bytes =
            serde_json::to_vec(self).map_err(|e| format!("cannot save sync state: {e}"))?;
        bytes.push(b'\n');
        fs::create_dir_all(folder)
            .and_then(|()| crate::atomic::write(&path, &bytes))
            .map_err(|e| {
                format!(
                    "cannot save the sync state to {}: {}; the marks are pushed again at the \
                     next sync",
                    path.display(),
                    crate::io_message::io_message(&e)
                )
            })
    }
}

/// `sync.json` in the state folder `folder`.
pub fn path(folder: &Path) -> PathBuf {
    folder.join("sync.json")
}
