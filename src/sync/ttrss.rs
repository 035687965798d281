//! A small client for Tiny Tiny RSS's JSON API (level 15, as Debian's
//! `tt-rss` package speaks it), on the project's `ureq` and `serde_json`.
//!
//! Every call is one POST of a JSON object to `<url>/api/`; the answer is
//! `{"status": 0, "content": …}` or `{"status": 1, "content": {"error":
//! "…"}}`. A session that expired (`NOT_LOGGED_IN`) is logged in again
//! once and the call repeated. Failures are one line naming the server and
//! what to do.

use std::io::Read;
use std::time::Duration;

use serde_json::{Map, Value, json};
use ureq::Agent;

use std::collections::{HashMap, HashSet};

use crate::config::{ServerFeed, SyncConfig};

use super::{Mark, Remote, RemoteItem, SyncError};

/// Headlines a call returns at most (the API's own cap).
pub const PAGE: usize = 200;
/// The largest answer accepted: a page of 200 full articles fits easily.
const MAX_ANSWER_BYTES: u64 = 64 * 1024 * 1024;

/// A logged-in (or about to be) connection to one TT-RSS.
pub struct Client {
    agent: Agent,
    endpoint: String,
    user: String,
    password: String,
    session: Option<String>,
}

/// A category of feeds (→ a section).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: i64,
    pub title: String,
}

/// A subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    pub id: i64,
    pub title: String,
    pub cat_id: Option<i64>,
    pub feed_url: String,
}

/// One article as `getHeadlines` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Headline {
    pub id: i64,
    pub feed_id: i64,
    pub unread: bool,
    pub marked: bool,
    /// Unix seconds.
    pub updated: i64,
    pub title: String,
    pub link: String,
    pub author: String,
    /// Cleaned HTML (`show_content`), Chinese as numeric entities.
    pub content: String,
}

/// `view_mode` of `getHeadlines`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewMode {
    AllArticles,
    Unread,
}

/// A field `updateArticle` sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// 0: starred.
    Starred,
    /// 2: unread.
    Unread,
}

/// The special feed of all articles.
pub const ALL_ARTICLES: i64 = -4;
/// The special feed of starred articles.
pub const STARRED: i64 = -1;

impl Client {
    pub fn new(config: &SyncConfig, password: String) -> Client {
        let timeout = Duration::from_secs(u64::from(config.timeout_secs));
        let agent = Agent::config_builder()
            .http_status_as_error(false)
            .user_agent(concat!("kanbao/", env!("CARGO_PKG_VERSION")))
            .timeout_connect(Some(timeout.min(Duration::from_secs(10))))
            .timeout_global(Some(timeout))
            .max_redirects(5)
            .build()
            .new_agent();
        let base = config.url.trim_end_matches('/');
        let endpoint = if base.ends_with("/api") {
            format!("{base}/")
        } else {
            format!("{base}/api/")
        };
        Client {
            agent,
            endpoint,
            user: config.user.clone(),
            password,
            session: None,
        }
    }

    /// Logs in; the API level must be at least 15... or at least speak
    /// what kanbao uses, which every level since 8 does.
    pub fn login(&mut self) -> Result<(), SyncError> {
        let body = json!({"op": "login", "user": self.user, "password": self.password});
        let content = self.post(&body)?.map_err(|error| match error.as_str() {
            "LOGIN_ERROR" => SyncError(format!(
                "TT-RSS at {} refused user \"{}\": wrong user or password; check user and \
                 password_command in [sync]",
                self.endpoint, self.user
            )),
            "API_DISABLED" => SyncError(format!(
                "TT-RSS at {} has the API switched off for user \"{}\"; tick \"Enable API\" \
                 in its Preferences",
                self.endpoint, self.user
            )),
            other => self.refused("login", other),
        })?;
        let session = content
            .get("session_id")
            .and_then(Value::as_str)
            .ok_or_else(|| self.not_ttrss("no session_id"))?;
        self.session = Some(session.to_owned());
        Ok(())
    }

    pub fn categories(&mut self) -> Result<Vec<Category>, SyncError> {
        let content = self.call("getCategories", json!({"include_empty": true}))?;
        Ok(array(&content)
            .iter()
            .filter_map(|c| {
                Some(Category {
                    id: int(c.get("id")?)?,
                    title: text(c.get("title")),
                })
            })
            .collect())
    }

    pub fn subscriptions(&mut self) -> Result<Vec<Feed>, SyncError> {
        // cat_id -3: every feed, whatever its category.
        let content = self.call("getFeeds", json!({"cat_id": -3, "include_nested": false}))?;
        Ok(array(&content)
            .iter()
            .filter_map(|f| {
                let id = int(f.get("id")?)?;
                // Negative ids are the special feeds (starred, published …).
                (id > 0).then(|| Feed {
                    id,
                    title: text(f.get("title")),
                    cat_id: f.get("cat_id").and_then(int),
                    feed_url: text(f.get("feed_url")),
                })
            })
            .collect())
    }

    /// One page of headlines of `feed`, newer than `since_id`, from `skip`.
    pub fn headlines(
        &mut self,
        feed: i64,
        view_mode: ViewMode,
        show_content: bool,
        since_id: i64,
        skip: usize,
    ) -> Result<Vec<Headline>, SyncError> {
        let mode = match view_mode {
            ViewMode::AllArticles => "all_articles",
            ViewMode::Unread => "unread",
        };
        let params = json!({
            "feed_id": feed,
            "limit": PAGE,
            "skip": skip,
            "view_mode": mode,
            "show_content": show_content,
            "since_id": since_id,
            "include_attachments": false,
        });
        let content = self.call("getHeadlines", params)?;
        Ok(array(&content)
            .iter()
            .filter_map(|h| {
                Some(Headline {
                    id: int(h.get("id")?)?,
                    feed_id: h.get("feed_id").and_then(int).unwrap_or(0),
                    unread: h.get("unread").and_then(Value::as_bool).unwrap_or(true),
                    marked: h.get("marked").and_then(Value::as_bool).unwrap_or(false),
                    updated: h.get("updated").and_then(int).unwrap_or(0),
                    title: text(h.get("title")),
                    link: text(h.get("link")),
                    author: text(h.get("author")),
                    content: text(h.get("content")),
                })
            })
            .collect())
    }

    /// Sets `field` of the articles `ids` on (`true`) or off.
    pub fn update_articles(
        &mut self,
        ids: &[i64],
        field: Field,
        on: bool,
    ) -> Result<(), SyncError> {
        if ids.is_empty() {
            return Ok(());
        }
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        let field = match field {
            Field::Starred => 0,
            Field::Unread => 2,
        };
        let params = json!({
            "article_ids": list.join(","),
            "mode": i32::from(on),
            "field": field,
        });
        self.call("updateArticle", params).map(drop)
    }

    /// Marks every article of feed `id` read.
    pub fn catchup_feed(&mut self, id: i64) -> Result<(), SyncError> {
        self.call("catchupFeed", json!({"feed_id": id, "is_cat": false}))
            .map(drop)
    }

    /// Subscribes to `url`; the answer's status code (0: already
    /// subscribed, 1: added, others: refused).
    pub fn subscribe(&mut self, url: &str) -> Result<i64, SyncError> {
        let content = self.call("subscribeToFeed", json!({"feed_url": url}))?;
        Ok(content
            .get("status")
            .and_then(|s| s.get("code"))
            .and_then(int)
            .unwrap_or(-1))
    }

    pub fn unsubscribe(&mut self, id: i64) -> Result<(), SyncError> {
        self.call("unsubscribeFeed", json!({"feed_id": id}))
            .map(drop)
    }

    /// Calls `op` in the session, logging in first or again when needed.
    fn call(&mut self, op: &str, params: Value) -> Result<Value, SyncError> {
        if self.session.is_none() {
            self.login()?;
        }
        for attempt in 0..2 {
            let mut body = match params.clone() {
                Value::Object(map) => map,
                _ => Map::new(),
            };
            body.insert("op".to_owned(), Value::from(op));
            body.insert(
                "sid".to_owned(),
                Value::from(self.session.clone().unwrap_or_default()),
            );
            match self.post(&Value::Object(body))? {
                Ok(content) => return Ok(content),
                Err(error) if error == "NOT_LOGGED_IN" && attempt == 0 => self.login()?,
                Err(error) => return Err(self.refused(op, &error)),
            }
        }
        Err(self.refused(op, "NOT_LOGGED_IN"))
    }

    /// POSTs `body`; the content of a good answer, or the API's error code.
    fn post(&self, body: &Value) -> Result<Result<Value, String>, SyncError> {
        let sent = self
            .agent
            .post(&self.endpoint)
            .header("Content-Type", "application/json")
            .send(body.to_string());
        let mut response = sent.map_err(|e| {
            SyncError(format!(
                "cannot reach TT-RSS at {}: {e}; check url in [sync] and that the server runs",
                self.endpoint
            ))
        })?;
        let status = response.status();
        if !status.is_success() {
            return Err(SyncError(format!(
                "TT-RSS at {} answered HTTP {}; check url in [sync] (it ends in the folder \
                 of tt-rss, such as https://host/tt-rss/)",
                self.endpoint,
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
                    "the connection to TT-RSS at {} broke off: {e}; sync again",
                    self.endpoint
                ))
            })?;
        let answer: Value =
            serde_json::from_slice(&bytes).map_err(|_| self.not_ttrss("not JSON"))?;
        let content = answer.get("content").cloned().unwrap_or(Value::Null);
        match answer.get("status").and_then(int) {
            Some(0) => Ok(Ok(content)),
            Some(_) => Ok(Err(content
                .get("error")
                .and_then(Value::as_str)
                .unwrap_or("UNKNOWN")
                .to_owned())),
            None => Err(self.not_ttrss("no status")),
        }
    }

    fn refused(&self, op: &str, error: &str) -> SyncError {
        SyncError(format!(
            "TT-RSS at {} refused {op}: {error}; check the server's log",
            self.endpoint
        ))
    }

    fn not_ttrss(&self, what: &str) -> SyncError {
        SyncError(format!(
            "{} does not answer as TT-RSS's API ({what}); check url in [sync]: the address \
             of tt-rss itself, such as https://host/tt-rss/",
            self.endpoint
        ))
    }
}

impl Remote for Client {
    fn feeds(&mut self) -> Result<Vec<ServerFeed>, SyncError> {
        let categories: HashMap<i64, String> = self
            .categories()?
            .into_iter()
            .map(|c| (c.id, c.title))
            .collect();
        Ok(self
            .subscriptions()?
            .into_iter()
            .map(|f| ServerFeed {
                id: format!("ttrss-{}", f.id),
                server_id: f.id,
                title: super::plain(&f.title).unwrap_or(f.feed_url),
                // 0 is TT-RSS's "Uncategorized": no section.
                section: f
                    .cat_id
                    .filter(|c| *c > 0)
                    .and_then(|c| categories.get(&c))
                    .filter(|t| !t.trim().is_empty())
                    .cloned(),
            })
            .collect())
    }

    /// The newest first, 200 a request (`since_id`, `skip`).
    fn new_items(
        &mut self,
        since_id: i64,
        max: usize,
        progress: &dyn Fn(&str),
    ) -> Result<Vec<RemoteItem>, SyncError> {
        let mut items = Vec::new();
        while items.len() < max {
            progress(&format!("items {}", items.len()));
            let page = self.headlines(
                ALL_ARTICLES,
                ViewMode::AllArticles,
                true,
                since_id,
                items.len(),
            )?;
            let last = page.len() < PAGE;
            items.extend(page.into_iter().map(|h| RemoteItem {
                id: h.id,
                feed_id: h.feed_id,
                read: !h.unread,
                starred: h.marked,
                time: h.updated,
                title: h.title,
                link: h.link,
                author: h.author,
                html: h.content,
            }));
            if last {
                break;
            }
        }
        Ok(items)
    }

    fn marks(&mut self) -> Result<(HashSet<i64>, HashSet<i64>), SyncError> {
        let mut unread = HashSet::new();
        let mut starred = HashSet::new();
        for (feed, mode, set) in [
            (ALL_ARTICLES, ViewMode::Unread, &mut unread),
            (STARRED, ViewMode::AllArticles, &mut starred),
        ] {
            let mut skip = 0;
            loop {
                let page = self.headlines(feed, mode, false, 0, skip)?;
                skip += page.len();
                let last = page.len() < PAGE;
                set.extend(page.into_iter().map(|h| h.id));
                if last {
                    break;
                }
            }
        }
        Ok((unread, starred))
    }

    fn set(&mut self, ids: &[i64], mark: Mark, on: bool) -> Result<(), SyncError> {
        // TT-RSS keeps "unread", kanbao "read".
        match mark {
            Mark::Read => self.update_articles(ids, Field::Unread, !on),
            Mark::Starred => self.update_articles(ids, Field::Starred, on),
        }
    }
}

fn array(content: &Value) -> &[Value] {
    content.as_array().map_or(&[], Vec::as_slice)
}

/// A number, or a string of one (TT-RSS sends ids either way).
pub fn int(value: &Value) -> Option<i64> {
    value
        .as_i64()
        .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))
}

fn text(value: Option<&Value>) -> String {
    value.and_then(Value::as_str).unwrap_or_default().to_owned()
}
