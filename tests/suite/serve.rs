//! `verity serve`: the real binary on an ephemeral port, files edited on
//! disk, and assertions on what the server answers.

use crate::live::{Events, Running, get, poll, request, without_script};
use crate::support::{SiteTest, THIRD};

fn serving(t: &SiteTest) -> (Running, u16) {
    let server = Running::start(t.path(), &["serve", "--port", "0"]);
    let port = server.port();
    server.wait_line(0, |l| l.starts_with("built "));
    (server, port)
}

/// Polls `path` until its body satisfies `ok`; returns the response.
#[track_caller]
fn wait_page(
    port: u16,
    path: &str,
    ok: impl Fn(&crate::live::Response) -> bool,
) -> crate::live::Response {
    poll(|| Some(get(port, path)).filter(|r| ok(r))).unwrap_or_else(|| {
        panic!(
            "{path} never became as expected; last: {:?}",
            get(port, path).text()
        )
    })
}

/// Saves that change only a brief's body take the engine's shortest path
/// (the last site patched): each one, not only the first, must show.
#[test]
fn every_one_of_several_body_saves_of_one_brief_is_served() {
    let t = SiteTest::fixture("basic");
    let (_server, port) = serving(&t);
    let original = t.read(THIRD);
    for k in 0..4 {
        let marker = format!("Body save number {k}.");
        t.write(THIRD, &format!("{}\n\n{marker}\n", original.trim_end()));
        wait_page(port, "/briefs/third/", |r| r.text().contains(&marker));
    }
}

#[test]
fn an_edit_appears_and_drafts_are_served() {
    let t = SiteTest::fixture("basic");
    let (server, port) = serving(&t);
    let page = get(port, "/briefs/third/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Third brief"));
    assert!(page.text().contains("<script data-verity-livereload>"));
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let css = get(port, "/verity.css");
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(
        !css.text().contains("verity-livereload"),
        "only HTML gets the script"
    );
    assert_eq!(
        get(port, "/briefs/secret/").status,
        200,
        "serve shows drafts"
    );
    assert_eq!(get(port, "/briefs/third").status, 301);

    t.write(
        THIRD,
        &t.read(THIRD).replace("Third brief", "Third brief, edited"),
    );
    wait_page(port, "/briefs/third/", |r| {
        r.text().contains("Third brief, edited")
    });
    let line = server.wait_line(0, |l| l.contains("third.md changed"));
    // What is served is what `build --drafts` writes for the same address.
    let out = t.path().join("fresh");
    let base = format!("http://127.0.0.1:{port}");
    t.run(&[
        "build",
        "--drafts",
        "--base-url",
        &base,
        "--output",
        out.to_str().unwrap(),
    ])
    .ok();
    for page in [
        "index.html",
        "briefs/third/index.html",
        "briefs/secret/index.html",
        "feed.xml",
    ] {
        let url = format!("/{}", page.trim_end_matches("index.html"));
        assert_eq!(
            without_script(&get(port, &url).body),
            std::fs::read(out.join(page)).unwrap(),
            "{page}"
        );
    }
    std::fs::remove_dir_all(&out).unwrap();
    assert!(
        line.contains(" changed: checked in ") && line.contains(" ms"),
        "{line}"
    );
    assert!(!t.exists("public"), "serve never writes the site's public/");
    assert_eq!(server.interrupt(), 0);
}

#[test]
fn every_rebuild_sends_a_live_reload_event() {
    let t = SiteTest::fixture("basic");
    let (_server, port) = serving(&t);
    let mut events = Events::open(port);
    let first = events.next_build();
    let page = get(port, "/").text();
    assert!(
        page.contains(&format!("var served = \"{first}\"")),
        "the page knows its build"
    );
    t.write(THIRD, &t.read(THIRD).replace("Only one", "Just one"));
    let next = events.next_build();
    assert!(next > first);
}

#[test]
fn a_broken_save_shows_an_overlay_until_fixed() {
    let t = SiteTest::fixture("basic");
    let (server, port) = serving(&t);
    let good = t.read(THIRD);
    t.write(THIRD, &good.replace("verdict: mixed", "verdict: <mixd>"));
    let broken = wait_page(port, "/briefs/third/", |r| {
        r.text().contains("verity-error-overlay")
    });
    let text = broken.text();
    assert_eq!(broken.status, 200);
    assert!(
        text.contains("Third brief"),
        "the last good page stays served"
    );
    assert!(
        text.contains("content/briefs/2025/third.md:6:10: error: unknown verdict `&lt;mixd&gt;`"),
        "{text}"
    );
    assert!(!text.contains("<mixd>"), "diagnostics are escaped");
    // The terminal shows exactly what `verity check` shows.
    let check = t.run(&["check", "--drafts"]).code(1);
    for line in check.stderr.lines() {
        server.wait_line(0, |l| l == line);
    }
    // An unknown citation and a template syntax error too.
    t.write(THIRD, &good.replace("[@beta-article]", "[@nope]"));
    wait_page(port, "/briefs/third/", |r| {
        r.text()
            .contains("cites a source this brief does not declare")
    });
    t.write(THIRD, &good);
    t.write(
        "templates/brief.html",
        "{% extends \"base.html\" %}{% block main %}{{ brief.title }{% endblock %}",
    );
    wait_page(port, "/", |r| r.text().contains("templates/brief.html:1:"));
    std::fs::remove_file(t.path().join("templates/brief.html")).unwrap();
    let fixed = wait_page(port, "/briefs/third/", |r| {
        !r.text().contains("verity-error-overlay")
    });
    assert!(fixed.text().contains("Third brief"));
    assert!(server.lines().iter().all(|l| !l.contains("panicked")));
}

#[test]
fn deleted_pages_return_404() {
    let t = SiteTest::fixture("basic");
    let (_server, port) = serving(&t);
    assert_eq!(get(port, "/briefs/third/").status, 200);
    t.remove(THIRD);
    let gone = wait_page(port, "/briefs/third/", |r| r.status == 404);
    assert!(
        gone.text().contains("Page not found"),
        "the site's own 404 page"
    );
    assert!(gone.text().contains("verity-livereload"));
}

#[test]
fn no_file_outside_the_site_is_served() {
    let t = SiteTest::fixture("basic");
    t.write("secret.txt", "TOP SECRET");
    let (_server, port) = serving(&t);
    for target in [
        "/../secret.txt",
        "/briefs/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/.%2e/.%2e/secret.txt",
        "//secret.txt",
        "/site.yaml",
        "/content/briefs/2025/third.md",
        "/etc/passwd",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/briefs/%00/",
        "http://127.0.0.1/../secret.txt",
    ] {
        let r = get(port, target);
        assert_ne!(r.status, 200, "{target} was served");
        assert!(
            !r.text().contains("TOP SECRET") && !r.text().contains("root:"),
            "{target}"
        );
        assert!(!r.text().contains("base_url"), "{target}");
    }
    let r = request(
        port,
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(r.status, 405);
}

#[test]
fn a_taken_port_moves_to_the_next_and_ctrl_c_stops_cleanly() {
    let t = SiteTest::fixture("basic");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let server = Running::start(t.path(), &["serve", "--port", &port.to_string()]);
    let line = server.wait_line(0, |l| l.contains("is taken"));
    assert!(
        line.starts_with(&format!("port {port} is taken; using ")),
        "{line}"
    );
    let actual = server.port();
    assert_ne!(actual, port);
    server.wait_line(0, |l| l.starts_with("built "));
    assert_eq!(get(actual, "/").status, 200);
    assert_eq!(server.interrupt(), 0);
    let left: Vec<String> = walkdir::WalkDir::new(t.path())
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            e.path()
                .strip_prefix(t.path())
                .unwrap()
                .display()
                .to_string()
        })
        .filter(|p| p.contains(".tmp") || p.contains("public"))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn a_bad_bind_address_is_a_usage_error() {
    let t = SiteTest::fixture("basic");
    t.run(&["serve", "--bind", "not-an-ip"]).code(2);
}

#[test]
fn a_site_broken_from_the_start_is_served_once_fixed() {
    let t = SiteTest::fixture("basic");
    let good = t.read(THIRD);
    t.write(THIRD, &good.replace("verdict: mixed", "verdict: mixd"));
    let server = Running::start(t.path(), &["serve", "--port", "0"]);
    let port = server.port();
    let line = server.wait_line(0, |l| l.starts_with("first build: 1 error"));
    assert!(
        line.ends_with("watching for changes (Ctrl-C to stop)"),
        "{line}"
    );
    let broken = get(port, "/");
    assert_eq!(broken.status, 500);
    assert!(broken.text().contains("unknown verdict `mixd`"));
    t.write(THIRD, &good);
    let fixed = wait_page(port, "/", |r| r.status == 200);
    assert!(!fixed.text().contains("verity-error-overlay"));
}

/// Hardening of the preview server: a bind beyond loopback is announced,
/// oversized requests are refused, and slow or half-open clients do not
/// stop it serving others.
#[test]
fn a_bind_beyond_loopback_is_announced() {
    let t = SiteTest::fixture("basic");
    let server = Running::start(t.path(), &["serve", "--bind", "0.0.0.0", "--port", "0"]);
    let port = server.port();
    server.wait_line(0, |l| l.starts_with("warning: listening on 0.0.0.0"));
    server.wait_line(0, |l| l.starts_with("built "));
    // Only ever reached on loopback here.
    assert_eq!(get(port, "/").status, 200);
}

#[test]
fn oversized_requests_are_refused_and_slow_clients_do_not_block_others() {
    let t = SiteTest::fixture("basic");
    let (_server, port) = serving(&t);
    // Headers far beyond any browser's: refused, not buffered without end.
    let big: String = (0..200)
        .map(|i| format!("X-Pad-{i}: {}\r\n", "a".repeat(4096)))
        .collect();
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(crate::live::TIMEOUT)).unwrap();
    use std::io::{Read, Write};
    let _ = stream.write_all(format!("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n{big}\r\n").as_bytes());
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let head = String::from_utf8_lossy(&answer);
    assert!(
        !head.starts_with("HTTP/1.1 200"),
        "a 800 KB header block was served: {}",
        &head[..head.len().min(200)]
    );
    // Fifty clients that open a request and never finish it.
    let idle: Vec<std::net::TcpStream> = (0..50)
        .map(|_| {
            let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
            let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            s
        })
        .collect();
    let start = std::time::Instant::now();
    for _ in 0..20 {
        assert_eq!(get(port, "/briefs/third/").status, 200);
    }
    assert!(
        start.elapsed() < std::time::Duration::from_secs(5),
        "slow clients held up others: {:?}",
        start.elapsed()
    );
    drop(idle);
}

/// Watch under churn: a thousand rapid saves, files deleted and recreated,
/// a folder moved and the whole content/ replaced at once (as a `git
/// checkout` does). The server stays up, ends byte for byte where a fresh
/// build is, and its memory does not grow with the edits.
#[test]
fn the_server_survives_churn_and_ends_where_a_fresh_build_is() {
    let t = SiteTest::fixture("basic");
    let (server, port) = serving(&t);
    let rss_before = server.rss_kb();
    for i in 0..1000 {
        t.write(
            THIRD,
            &t.read(THIRD)
                .replace(&format!("Third brief {}", i.max(1) - 1), "Third brief")
                .replace("Third brief", &format!("Third brief {i}")),
        );
    }
    t.remove(THIRD);
    t.write(
        THIRD,
        &t.read("content/briefs/2024/older.md").replace(
            "title: \"Did the minister",
            "title: \"Recreated: did the minister",
        ),
    );
    std::fs::rename(
        t.path().join("content/briefs/2024"),
        t.path().join("content/briefs/2023"),
    )
    .unwrap();
    // Replace content/ wholesale.
    let fresh = SiteTest::fixture("basic");
    std::fs::rename(t.path().join("content"), t.path().join("content.old")).unwrap();
    std::fs::rename(fresh.path().join("content"), t.path().join("content")).unwrap();
    std::fs::remove_dir_all(t.path().join("content.old")).unwrap();
    t.write(
        THIRD,
        &t.read(THIRD).replace("Third brief", "Third brief, final"),
    );
    // The served site converges on a fresh build of the same files.
    let reference = SiteTest::empty();
    for d in ["content", "site.yaml"] {
        let _ = std::process::Command::new("cp")
            .arg("-r")
            .arg(t.path().join(d))
            .arg(reference.path())
            .status();
    }
    reference
        .run(&[
            "build",
            "--drafts",
            "--base-url",
            &format!("http://127.0.0.1:{port}"),
        ])
        .ok();
    let want = reference.snapshot("public");
    let converged = poll(|| {
        want.iter()
            .filter(|(p, _)| p.ends_with("index.html"))
            .all(|(p, bytes)| {
                let url = format!("/{}", p.trim_end_matches("index.html"));
                without_script(&get(port, &url).body) == *bytes
            })
            .then_some(())
    });
    assert!(
        converged.is_some(),
        "the served site never matched a fresh build; stderr:\n{}",
        server.lines().join("\n")
    );
    let rss_after = server.rss_kb();
    assert!(
        rss_after < rss_before + 64 * 1024,
        "memory grew from {rss_before} kB to {rss_after} kB over 1,000 saves"
    );
}

/// Sends `GET path` with `Host: host` and reads only the status and the
/// first line of the body (the stream of live reload never ends).
fn with_host(port: u16, host: &str, path: &str) -> (u16, String) {
    use std::io::{BufRead, BufReader, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(crate::live::TIMEOUT)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader.read_line(&mut status).unwrap();
    let status = status.split(' ').nth(1).unwrap().parse().unwrap();
    // Skip the headers, then read the first non-empty body line.
    let mut line = String::new();
    while reader.read_line(&mut line).unwrap() > 0 && line.trim() != "" {
        line.clear();
    }
    // The first line of text, past chunk-size lines of a chunked stream.
    let mut first = String::new();
    while reader.read_line(&mut first).unwrap() > 0
        && (first.trim().is_empty() || first.trim().bytes().all(|b| b.is_ascii_hexdigit()))
    {
        first.clear();
    }
    (status, first.trim().to_string())
}

#[test]
fn foreign_host_names_are_refused_on_pages_and_live_reload() {
    let t = SiteTest::fixture("basic");
    let server = Running::start(
        t.path(),
        &["serve", "--port", "0", "--allowed-host", "preview.test"],
    );
    let port = server.port();
    server.wait_line(0, |l| l.starts_with("built "));
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        "127.0.0.1.evil.example".to_string(),
        format!("localhost.evil.example:{port}"),
    ] {
        for path in ["/", "/briefs/secret/", "/__verity/livereload"] {
            let (status, body) = with_host(port, &host, path);
            assert_eq!(status, 403, "{host} {path}");
            assert_eq!(body, verity::serve::hosts::REFUSAL.trim(), "{host} {path}");
        }
    }
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "preview.test".to_string(),
        format!("preview.test:{port}"),
    ] {
        let page = request(
            port,
            &format!("GET /briefs/third/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        );
        assert_eq!(page.status, 200, "{host}");
        let doc = crate::support::html(&page.text());
        assert_eq!(crate::support::texts(&doc, "h1"), ["Third brief"], "{host}");
        let (status, event) = with_host(port, &host, "/__verity/livereload");
        assert_eq!(status, 200, "{host}");
        assert_eq!(event, "event: build", "{host}");
    }
    assert_eq!(server.interrupt(), 0);
}
