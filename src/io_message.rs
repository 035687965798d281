//! How an I/O error is told to a person: a short reason plus what to do.
//!
//! Shared by every layer that touches the disk ([`crate::source`],
//! [`crate::feed`], [`crate::library`], [`crate::index`]), so the same
//! failure reads the same wherever it is met.

use std::io::{Error, ErrorKind};

/// An I/O error as a short reason plus what to do about it.
pub fn io_message(e: &Error) -> String {
    match e.kind() {
        ErrorKind::NotFound => "no such file; check the path".to_owned(),
        ErrorKind::PermissionDenied => "permission denied; check the file's permissions".to_owned(),
        ErrorKind::IsADirectory => "is a folder, not a page file; name a .txt file".to_owned(),
        _ => format!("cannot read: {e}"),
    }
}
