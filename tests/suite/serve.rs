//! `verity serve`: the real binary on an ephemeral port, files edited on
//! disk, and assertions on what the server answers.

use crate::live::{Events, Running, get, poll, request, without_script};
use crate::support::SiteTest;

const THIRD: &str = "content/briefs/2025/third.md";

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
        line.contains("re-rendered") && line.contains(" ms"),
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
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
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
