//! A memo of LOAD: each content file's parse, kept while the file is
//! unchanged, and the bytes of each static file.
//!
//! "Unchanged" is decided as git decides it: same length, modification time
//! and inode as when the file was last read. A file whose modification time
//! was too close to the moment it was read (file-system timestamps are
//! coarse, so an edit in the same tick keeps the time) is "racily clean" and
//! is read again and compared by content hash. Only changed files are read.

use crate::config::SiteConfig;
use crate::content::{self, Kind, Parsed};
use crate::fs;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// How close a modification time may be to the moment of reading before
/// the stamp alone cannot be trusted.
const RACY: Duration = Duration::from_secs(2);

/// What identifies one version of a file without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    mtime: i128,
    ino: u64,
}

impl Stamp {
    fn of(meta: &std::fs::Metadata) -> Stamp {
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
        #[cfg(unix)]
        let ino = std::os::unix::fs::MetadataExt::ino(meta);
        #[cfg(not(unix))]
        let ino = 0;
        Stamp {
            len: meta.len(),
            mtime,
            ino,
        }
    }
}

struct Entry<T> {
    stamp: Stamp,
    /// When the file was read.
    read_at: SystemTime,
    mtime: SystemTime,
    hash: u128,
    value: T,
}

impl<T> Entry<T> {
    /// Whether the stamp proves the file unchanged without reading it.
    fn trusted(&self, stamp: Stamp) -> bool {
        self.stamp == stamp
            && self
                .read_at
                .duration_since(self.mtime)
                .is_ok_and(|d| d > RACY)
    }
}

/// Per-path memo of a value made from a file's bytes.
pub(crate) struct FileMemo<T> {
    entries: Mutex<HashMap<PathBuf, Arc<Entry<T>>>>,
}

impl<T> Default for FileMemo<T> {
    fn default() -> Self {
        FileMemo {
            entries: Mutex::new(HashMap::new()),
        }
    }
}

/// Whether a file was read afresh.
pub(crate) type Fresh = bool;

impl<T: Clone + Send + Sync> FileMemo<T> {
    /// The value for `path`: remembered, or made by `make` from its bytes.
    pub(crate) fn get(
        &self,
        path: &Path,
        make: impl FnOnce(Vec<u8>) -> T,
    ) -> anyhow::Result<(T, Fresh)> {
        let meta = std::fs::metadata(path)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
        let stamp = Stamp::of(&meta);
        let old = self.lock().get(path).cloned();
        if let Some(old) = &old
            && old.trusted(stamp)
        {
            return Ok((old.value.clone(), false));
        }
        let read_at = SystemTime::now();
        let bytes = fs::read(path)?;
        let hash = xxhash_rust::xxh3::xxh3_128(&bytes);
        let stamp = Stamp {
            len: bytes.len() as u64,
            ..stamp
        };
        let mtime = meta.modified().unwrap_or(read_at);
        let (value, fresh) = match old {
            Some(old) if old.hash == hash => (old.value.clone(), false),
            _ => (make(bytes), true),
        };
        let entry = Entry {
            stamp,
            read_at,
            mtime,
            hash,
            value: value.clone(),
        };
        self.lock().insert(path.to_path_buf(), Arc::new(entry));
        Ok((value, fresh))
    }

    /// Forgets every path not in `keep`.
    pub(crate) fn retain(&self, keep: &std::collections::HashSet<&Path>) {
        self.lock().retain(|p, _| keep.contains(p.as_path()));
    }

    /// Forgets everything.
    pub(crate) fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Arc<Entry<T>>>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Loads the site's content through the memo; returns the parsed files in
/// `content::files` order and how many were parsed afresh.
pub(crate) fn load(
    memo: &FileMemo<Arc<Parsed>>,
    root: &Path,
    config: &SiteConfig,
) -> anyhow::Result<(Vec<Arc<Parsed>>, usize)> {
    let files = content::files(root)?;
    let results: Vec<anyhow::Result<(Arc<Parsed>, Fresh)>> = files
        .par_iter()
        .map(|(kind, path): &(Kind, PathBuf)| {
            // Links are refused, not followed (content::read says why).
            if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
                return Ok((Arc::new(content::read(root, *kind, path, config)), true));
            }
            memo.get(path, |bytes| {
                Arc::new(content::parse_keeping_bodies(
                    root, *kind, path, bytes, config,
                ))
            })
        })
        .collect();
    let mut parsed = Vec::with_capacity(files.len());
    let mut fresh = 0;
    for r in results {
        let (p, f) = r?;
        fresh += usize::from(f);
        parsed.push(p);
    }
    memo.retain(&files.iter().map(|(_, p)| p.as_path()).collect());
    Ok((parsed, fresh))
}

/// Every file under `root/static/` (relative path, bytes), through the memo.
pub(crate) fn statics(
    memo: &FileMemo<Arc<[u8]>>,
    root: &Path,
) -> anyhow::Result<Vec<(String, Arc<[u8]>)>> {
    let dir = root.join("static");
    let mut out = Vec::new();
    let mut paths = Vec::new();
    if dir.is_dir() {
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.map_err(|e| anyhow::anyhow!("cannot list {}: {e}", dir.display()))?;
            if entry.file_type().is_file() {
                paths.push(entry.into_path());
            }
        }
    }
    for path in &paths {
        let (bytes, _) = memo.get(path, Arc::from)?;
        out.push((fs::relative(&dir, path), bytes));
    }
    memo.retain(&paths.iter().map(PathBuf::as_path).collect());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two saves of the same length within one file-system tick keep the
    /// stamp; the memo must still see the second one.
    #[test]
    fn a_same_length_edit_in_the_same_tick_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        let memo: FileMemo<String> = FileMemo::default();
        let make = |b: Vec<u8>| String::from_utf8(b).unwrap();
        std::fs::write(&path, "one").unwrap();
        assert_eq!(memo.get(&path, make).unwrap(), ("one".to_string(), true));
        assert_eq!(memo.get(&path, make).unwrap(), ("one".to_string(), false));
        std::fs::write(&path, "two").unwrap();
        assert_eq!(memo.get(&path, make).unwrap(), ("two".to_string(), true));
        memo.retain(&std::collections::HashSet::new());
        assert!(memo.lock().is_empty(), "forgotten files free their memory");
    }
}
