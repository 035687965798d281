//! A small client for the Fever API (as coldsweat, FreshRSS and Miniflux
//! serve it), on the project's `ureq` and `serde_json`.
//!
//! Every call is a POST to the configured address with `api` and the
//! command in the query and the key in the form: `api_key` is
//! `md5(email:password)`. Articles come 50 at a time from `since_id` up
//! (`&items&since_id=`); the marks as lists of ids (`&unread_item_ids`,
//! `&saved_item_ids`); a mark is set one article at a time
//! (`mark=item&as=read|unread|saved|unsaved&id=`). The API cannot
//! subscribe, so `--push-subscriptions` is TT-RSS's only.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::time::Duration;

use serde_json::Value;
use ureq::Agent;

use crate::config::{ServerFeed, SyncConfig};

use super::ttrss::int;
use super::{Mark, Remote, RemoteItem, SyncError};

/// The largest answer accepted.
const MAX_ANSWER_BYTES: u64 = 64 * 1024 * 1024;

/// A connection to one Fever server.
pub struct Client {
    agent: Agent,
    url: String,
    api_key: String,
    user: String,
}

impl Client {
    pub fn new(config: &SyncConfig, password: &str) -> Client {
        let timeout = Duration::from_secs(u64::from(config.timeout_secs));
        let agent = Agent::config_builder()
            .http_status_as_error(false)
            .user_agent(concat!("kanbao/", env!("CARGO_PKG_VERSION")))
            .timeout_connect(Some(timeout.min(Duration::from_secs(10))))
            .timeout_global(Some(timeout))
            .max_redirects(5)
            .build()
            .new_agent();
        Client {
            agent,
            url: config.url.clone(),
            api_key: super::md5::hex(format!("{}:{password}", config.user).as_bytes()),
            user: config.user.clone(),
        }
    }

    /// Whether the server knows the key: an error naming the user if not.
    pub fn check_key(&mut self) -> Result<(), SyncError> {
        self.call("", &[]).map(drop)
    }

    /// `command` (query, e.g. `items&since_id=3`) with `form` fields.
    fn call(&self, command: &str, form: &[(&str, &str)]) -> Result<Value, SyncError> {
        let separator = if self.url.contains('?') { '&' } else { '?' };
        let mut address = format!("{}{separator}api", self.url);
        if !command.is_empty() {
            address.push('&');
            address.push_str(command);
        }
        let mut fields = vec![("api_key", self.api_key.as_str())];
        fields.extend_from_slice(form);
        let mut response = self.agent.post(&address).send_form(fields).map_err(|e| {
            SyncError(format!(
                "cannot reach the Fever server at {}: {e}; check url in [sync] and that the \
                 server runs",
                self.url
            ))
        })?;
        let status = response.status();
        if !status.is_success() {
            return Err(SyncError(format!(
                "the Fever server at {} answered HTTP {}; check url in [sync] (the address of \
                 its Fever API, such as https://host/fever/)",
                self.url,
                status.as_u16()
            )));
        }
        let mut bytes = Vec::new();
        response
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER_BYTES)
            .reader()
            .read_to_end(&mut bytes)
            .map_err(|e| {
                SyncError(format!(
                    "the connection to the Fever server at {} broke off: {e}; sync again",
                    self.url
                ))
            })?;
        let answer: Value = serde_json::from_slice(&bytes).map_err(|_| {
            SyncError(format!(
                "{} does not answer as a Fever API (not JSON); check url in [sync]",
                self.url
            ))
        })?;
        if answer.get("auth").and_then(int) != Some(1) {
            return Err(SyncError(format!(
                "the Fever server at {} refused user \"{}\": wrong user or password; check \
                 user (for Fever, the e-mail address) and password_command in [sync]",
                self.url, self.user
            )));
        }
        Ok(answer)
    }

    /// A comma-separated list of ids, as the API sends marks.
    fn ids(&self, command: &str) -> Result<HashSet<i64>, SyncError> {
        let answer = self.call(command, &[])?;
        let list = answer.get(command).and_then(Value::as_str).unwrap_or("");
        Ok(list
            .split(',')
            .filter_map(|id| id.trim().parse().ok())
            .collect())
    }
}

impl Remote for Client {
    fn feeds(&mut self) -> Result<Vec<ServerFeed>, SyncError> {
        let answer = self.call("groups&feeds", &[])?;
        let groups: HashMap<i64, String> = list(&answer, "groups")
            .iter()
            .filter_map(|g| Some((int(g.get("id")?)?, text(g.get("title")))))
            .collect();
        let mut group_of: HashMap<i64, i64> = HashMap::new();
        for link in list(&answer, "feeds_groups") {
            let Some(group) = link.get("group_id").and_then(int) else {
                continue;
            };
            let feeds = link.get("feed_ids").and_then(Value::as_str).unwrap_or("");
            for feed in feeds.split(',').filter_map(|f| f.trim().parse().ok()) {
                group_of.entry(feed).or_insert(group);
            }
        }
        Ok(list(&answer, "feeds")
            .iter()
            .filter_map(|f| {
                let id = int(f.get("id")?)?;
                let url = text(f.get("url"));
                Some(ServerFeed {
                    id: format!("fever-{id}"),
                    server_id: id,
                    title: super::plain(&text(f.get("title"))).unwrap_or(url),
                    section: group_of
                        .get(&id)
                        .and_then(|g| groups.get(g))
                        .filter(|t| !t.trim().is_empty())
                        .cloned(),
                })
            })
            .collect())
    }

    /// The oldest first, 50 a request, each from the highest id so far.
    fn new_items(
        &mut self,
        since_id: i64,
        max: usize,
        progress: &dyn Fn(&str),
    ) -> Result<Vec<RemoteItem>, SyncError> {
        let mut items: Vec<RemoteItem> = Vec::new();
        let mut since = since_id;
        while items.len() < max {
            progress(&format!("items {}", items.len()));
            let answer = self.call(&format!("items&since_id={since}"), &[])?;
            let page: Vec<RemoteItem> = list(&answer, "items")
                .iter()
                .filter_map(|i| {
                    Some(RemoteItem {
                        id: int(i.get("id")?)?,
                        feed_id: i.get("feed_id").and_then(int).unwrap_or(0),
                        read: i.get("is_read").and_then(int) == Some(1),
                        starred: i.get("is_saved").and_then(int) == Some(1),
                        time: i.get("created_on_time").and_then(int).unwrap_or(0),
                        title: text(i.get("title")),
                        link: text(i.get("url")),
                        author: text(i.get("author")),
                        html: text(i.get("html")),
                    })
                })
                .filter(|i| i.id > since)
                .collect();
            let Some(highest) = page.iter().map(|i| i.id).max() else {
                break;
            };
            since = highest;
            items.extend(page);
        }
        // The oldest `max`: the next sync goes on from the last of them.
        items.sort_by_key(|i| i.id);
        items.truncate(max);
        Ok(items)
    }

    fn marks(&mut self) -> Result<(HashSet<i64>, HashSet<i64>), SyncError> {
        Ok((self.ids("unread_item_ids")?, self.ids("saved_item_ids")?))
    }

    fn set(&mut self, ids: &[i64], mark: Mark, on: bool) -> Result<(), SyncError> {
        let status = match (mark, on) {
            (Mark::Read, true) => "read",
            (Mark::Read, false) => "unread",
            (Mark::Starred, true) => "saved",
            (Mark::Starred, false) => "unsaved",
        };
        for id in ids {
            let id = id.to_string();
            self.call(
                "mark",
                &[("mark", "item"), ("as", status), ("id", id.as_str())],
            )?;
        }
        Ok(())
    }
}

fn list<'a>(answer: &'a Value, key: &str) -> &'a [Value] {
    answer
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn text(value: Option<&Value>) -> String {
    value.and_then(Value::as_str).unwrap_or_default().to_owned()
}
