//! `[sync]`: the feed server kanbao keeps its subscriptions and marks in
//! step with (issue 19), checked where its place in the file is known.
//!
//! ```toml
//! [sync]
//! kind = "ttrss"                         # or "fever"
//! url = "https://rss.example.org/tt-rss/"
//! user = "me"
//! password_command = ["pass", "show", "tt-rss"]
//! ```

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::{ConfigError, KeyList, Source, check_url};

/// A checked `[sync]` table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncConfig {
    pub kind: SyncKind,
    /// The server's address, as written (http or https).
    pub url: String,
    pub user: String,
    pub password: Password,
    /// Items fetched at most in one sync, the newest first (1-100000).
    pub max_items: usize,
    /// Seconds allowed for each request to the server (1-600).
    pub timeout_secs: u32,
    /// `FILE:LINE:COL` of the `[sync]` table, to begin later messages.
    pub location: String,
}

/// Which API the server speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SyncKind {
    /// Tiny Tiny RSS's JSON API (level 15 and later).
    Ttrss,
    /// The Fever API (coldsweat, FreshRSS, Miniflux …).
    Fever,
}

impl SyncKind {
    /// The name written in `config.toml`.
    pub fn name(self) -> &'static str {
        match self {
            SyncKind::Ttrss => "ttrss",
            SyncKind::Fever => "fever",
        }
    }
}

/// Where the password comes from.
#[derive(Clone, PartialEq, Eq)]
pub enum Password {
    /// `password_command`: the program and its arguments, run without a
    /// shell; the first line it prints is the password.
    Command(Vec<String>),
    /// `password`: written in the file (`kanbao check` warns).
    Plain(String),
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Password::Command(argv) => f.debug_tuple("Command").field(argv).finish(),
            Password::Plain(_) => f.write_str("Plain(…)"),
        }
    }
}

const DEFAULT_MAX_ITEMS: usize = 1_000;
const DEFAULT_TIMEOUT_SECS: u32 = 30;

/// `[sync]` as written; required keys are `Option`s so that a missing one
/// gets a message naming it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSync {
    kind: Option<Spanned<SyncKind>>,
    url: Option<Spanned<String>>,
    user: Option<Spanned<String>>,
    password: Option<Spanned<String>>,
    password_command: Option<Spanned<KeyList>>,
    max_items: Option<Spanned<i64>>,
    timeout: Option<Spanned<i64>>,
}

impl RawSync {
    pub(super) fn check(
        self,
        source: &Source<'_>,
        table: Range<usize>,
    ) -> Result<SyncConfig, ConfigError> {
        let missing = |key: &str, example: &str| {
            source.error(
                table.clone(),
                format!("missing \"{key}\" in [sync]; add {key} = {example}"),
            )
        };
        let kind = self
            .kind
            .ok_or_else(|| missing("kind", "\"ttrss\" or \"fever\""))?;
        let url = self
            .url
            .ok_or_else(|| missing("url", "\"https://…\", the server's address"))?;
        let text = url.get_ref();
        let web = ["http://", "https://"].iter().any(|scheme| {
            text.get(..scheme.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(scheme))
        });
        if !web {
            return Err(source.error(
                url.span(),
                format!(
                    "url {text:?} in [sync] does not start with http:// or https://; write the \
                     server's full address, such as \"https://rss.example.org/tt-rss/\""
                ),
            ));
        }
        check_url(source, &url, "[sync]")?;
        let user = self
            .user
            .ok_or_else(|| missing("user", "\"your user name on the server\""))?;
        if user.get_ref().trim().is_empty() {
            return Err(source.error(
                user.span(),
                "empty user in [sync]; write your user name on the server (for Fever, its e-mail address)",
            ));
        }
        let password = match (self.password, self.password_command) {
            (Some(plain), Some(command)) => {
                let later = if plain.span().start > command.span().start {
                    plain.span()
                } else {
                    command.span()
                };
                return Err(source.error(
                    later,
                    "[sync] has both password and password_command; keep password_command \
                     (the password stays out of the file) and remove password",
                ));
            }
            (None, None) => {
                return Err(missing(
                    "password_command",
                    "[\"pass\", \"show\", \"feeds\"] (a command printing the password), \
                     or password = \"…\"",
                ));
            }
            (Some(plain), None) => Password::Plain(plain.into_inner()),
            (None, Some(command)) => {
                let span = command.span();
                let argv: Vec<String> = match command.into_inner() {
                    KeyList::One(line) => line.split_whitespace().map(str::to_owned).collect(),
                    KeyList::Many(words) => words.into_iter().map(Spanned::into_inner).collect(),
                };
                if argv.first().is_none_or(|program| program.trim().is_empty()) {
                    return Err(source.error(
                        span,
                        "empty password_command in [sync]; name a program that prints the \
                         password, such as [\"pass\", \"show\", \"feeds\"]",
                    ));
                }
                Password::Command(argv)
            }
        };
        let max_items = match self.max_items {
            None => DEFAULT_MAX_ITEMS,
            Some(n) => match usize::try_from(*n.get_ref()) {
                Ok(value @ 1..=100_000) => value,
                _ => {
                    return Err(source.error(
                        n.span(),
                        format!(
                            "\"max_items\" in [sync] must be 1-100000 (items in one sync, the \
                             newest first), found {}; write a number in that range, or remove \
                             the line for the default, {DEFAULT_MAX_ITEMS}",
                            n.get_ref()
                        ),
                    ));
                }
            },
        };
        let timeout_secs = match self.timeout {
            None => DEFAULT_TIMEOUT_SECS,
            Some(t) => match u32::try_from(*t.get_ref()) {
                Ok(value @ 1..=600) => value,
                _ => {
                    return Err(source.error(
                        t.span(),
                        format!(
                            "\"timeout\" in [sync] must be 1-600 (seconds), found {}; write a \
                             number in that range, or remove the line for the default, \
                             {DEFAULT_TIMEOUT_SECS}",
                            t.get_ref()
                        ),
                    ));
                }
            },
        };
        Ok(SyncConfig {
            kind: *kind.get_ref(),
            url: url.into_inner(),
            user: user.into_inner(),
            password,
            max_items,
            timeout_secs,
            location: source.location(table),
        })
    }
}
