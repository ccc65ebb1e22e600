//! `.verity/linkcache.json`: what each link answered, and when.
//!
//! An answer is reused while it is young enough for its state: `ok` and
//! `redirected` for 7 days, `blocked` for 3, `dead` for 1. `transient`
//! answers and 429s are never stored. An entry also remembers which quotes
//! were found on the page, so a new quote makes the page be fetched again.
//! A cache that cannot be read is ignored (and rewritten).

use crate::content::source::LinkState;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file, under the site's folder.
pub const PATH: &str = ".verity/linkcache.json";

const VERSION: u32 = 1;

/// The cache.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Cache {
    version: u32,
    links: BTreeMap<String, Entry>,
}

/// One link's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The state's name.
    pub state: String,
    /// The status of the last answer.
    pub http_status: Option<u16>,
    /// Where redirects led.
    pub final_url: Option<String>,
    /// Why, for people.
    pub reason: Option<String>,
    /// When it was checked (Unix seconds).
    pub checked_at: u64,
    /// Normalised quotes → found on the page; `None` when the page is not
    /// text (its quotes cannot be checked).
    pub quotes: Option<BTreeMap<String, bool>>,
}

/// How long an answer in `state` stays good, in seconds.
pub fn ttl(state: LinkState) -> Option<u64> {
    const DAY: u64 = 24 * 60 * 60;
    match state {
        LinkState::Ok | LinkState::Redirected => Some(7 * DAY),
        LinkState::Blocked => Some(3 * DAY),
        LinkState::Dead => Some(DAY),
        LinkState::Transient => None,
    }
}

impl Entry {
    /// The entry's state, if it names one.
    pub fn link_state(&self) -> Option<LinkState> {
        LinkState::parse(&self.state)
    }

    fn fresh(&self, now: u64) -> bool {
        self.link_state()
            .and_then(ttl)
            .is_some_and(|ttl| now >= self.checked_at && now - self.checked_at < ttl)
    }
}

impl Cache {
    /// The cache of the site at `root`; empty when there is none or it
    /// cannot be read (the second value says why, then).
    pub fn load(root: &Path) -> (Cache, Option<String>) {
        let path = root.join(PATH);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Cache::default(), None),
            Err(e) => return (Cache::default(), Some(format!("cannot read {PATH}: {e}"))),
        };
        match serde_json::from_slice::<Cache>(&bytes) {
            Ok(c) if c.version == VERSION => (c, None),
            Ok(_) => (Cache::default(), None),
            Err(e) => (
                Cache::default(),
                Some(format!("{PATH} is not a link cache ({e}); starting afresh")),
            ),
        }
    }

    /// A fresh answer for `url` that knows every one of `quotes`
    /// (normalised), if the cache has one at `now` (Unix seconds).
    pub fn lookup(&self, url: &str, now: u64, quotes: &[String]) -> Option<&Entry> {
        let e = self.links.get(url)?;
        if !e.fresh(now) {
            return None;
        }
        let page = matches!(e.link_state(), Some(LinkState::Ok | LinkState::Redirected));
        let knows_quotes = match &e.quotes {
            None => true,
            Some(found) => quotes.iter().all(|q| found.contains_key(q)),
        };
        (!page || knows_quotes).then_some(e)
    }

    /// Stores an answer (the caller checked it may be cached).
    pub fn store(&mut self, url: &str, entry: Entry) {
        self.links.insert(url.to_string(), entry);
    }

    /// Writes the cache, dropping stale answers; the folder is created.
    pub fn save(mut self, root: &Path, now: u64) -> anyhow::Result<PathBuf> {
        self.version = VERSION;
        self.links.retain(|_, e| e.fresh(now));
        let path = root.join(PATH);
        let json = serde_json::to_vec_pretty(&self)?;
        let tmp = path.with_extension("json.tmp");
        crate::fs::write(&tmp, &json)?;
        crate::fs::rename(&tmp, &path)?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(state: &str, at: u64) -> Entry {
        Entry {
            state: state.to_string(),
            http_status: Some(200),
            final_url: None,
            reason: None,
            checked_at: at,
            quotes: Some(BTreeMap::from([("a".to_string(), true)])),
        }
    }

    #[test]
    fn each_state_lives_for_its_own_time() {
        const DAY: u64 = 86_400;
        let mut c = Cache::default();
        c.store("ok", entry("ok", 0));
        c.store("blocked", entry("blocked", 0));
        c.store("dead", entry("dead", 0));
        c.store("transient", entry("transient", 0));
        let alive = |c: &Cache, now| {
            ["ok", "blocked", "dead", "transient"]
                .into_iter()
                .filter(|u| c.lookup(u, now, &[]).is_some())
                .collect::<Vec<_>>()
        };
        assert_eq!(alive(&c, DAY - 1), ["ok", "blocked", "dead"]);
        assert_eq!(alive(&c, DAY), ["ok", "blocked"]);
        assert_eq!(alive(&c, 3 * DAY), ["ok"]);
        assert!(alive(&c, 7 * DAY).is_empty());
    }

    #[test]
    fn a_new_quote_misses_the_cache() {
        let mut c = Cache::default();
        c.store("u", entry("ok", 0));
        assert!(c.lookup("u", 1, &["a".to_string()]).is_some());
        assert!(c.lookup("u", 1, &["b".to_string()]).is_none());
    }

    #[test]
    fn saved_and_loaded_with_stale_entries_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Cache::default();
        c.store("https://a.example/", entry("ok", 100));
        c.store("https://b.example/", entry("dead", 100));
        c.save(dir.path(), 100 + 2 * 86_400).unwrap();
        let (c, warning) = Cache::load(dir.path());
        assert!(warning.is_none());
        assert!(
            c.lookup("https://a.example/", 100 + 2 * 86_400, &[])
                .is_some()
        );
        assert!(!c.links.contains_key("https://b.example/"));
        std::fs::write(dir.path().join(PATH), "not json").unwrap();
        let (c, warning) = Cache::load(dir.path());
        assert!(c.links.is_empty());
        assert!(warning.unwrap().contains("not a link cache"));
    }
}
