//! Raw HTML in bodies through the real binary: the default sanitises and
//! warns at `file:line:col` (the build still succeeds), `raw_html: trusted`
//! publishes as written, `raw_html: none` and its old spelling `safe: true`
//! omit, `embed_hosts` lets exactly the listed players in, and bad
//! settings are errors. The allowlist itself, class by class, and the XSS
//! cheat-sheet cases are unit tests in `src/markdown/raw_html_tests.rs`.

use crate::support::{SiteTest, attrs, html, texts};

const THIRD: &str = "content/briefs/2025/third.md";
const PAGE: &str = "public/briefs/third/index.html";

/// The fixture's third brief with `body` (its body starts on line 9).
fn with_body(t: &SiteTest, body: &str) {
    t.write(
        THIRD,
        &format!(
            "---\ntitle: Third brief\ndate: 2025-02-01\nclaim: Someone else said it.\nclaimant: John Roe\nverdict: mixed\nsources: [beta-article]\n---\n{body}"
        ),
    );
}

fn settings(t: &SiteTest, extra: &str) {
    let site = t.read("site.yaml");
    t.write("site.yaml", &format!("{site}{extra}"));
}

const HOSTILE: &str = "Only one citation [@beta-article] and <mark>marked</mark>.\n\
\n\
<img src=\"/desk/chart.png\" alt=\"Chart\" onerror=\"alert(1)\">\n\
\n\
<script>alert(2)</script>\n\
\n\
<span class=\"kept\">inline</span> and <a href=\"javascript:alert(3)\">a link</a>.\n";

#[test]
fn the_default_sanitises_warns_and_builds() {
    let t = SiteTest::fixture("basic");
    with_body(&t, HOSTILE);
    let run = t.run(&["build"]).ok();
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("raw HTML"))
        .collect();
    assert_eq!(
        warnings,
        [
            "content/briefs/2025/third.md:11:1: warning: raw HTML removed: `onerror` on <img>",
            "content/briefs/2025/third.md:13:1: warning: raw HTML removed: <script> and its content",
            "content/briefs/2025/third.md:15:1: warning: raw HTML removed: `class` on <span>",
            "content/briefs/2025/third.md:15:38: warning: raw HTML removed: `href` on <a> (a `javascript:` URL)",
        ],
        "{}",
        run.stderr
    );
    let page = html(&t.read(PAGE));
    assert!(texts(&page, "script:not([type='application/ld+json'])").is_empty());
    assert!(attrs(&page, "img", "onerror").is_empty());
    assert_eq!(attrs(&page, "img[alt='Chart']", "src"), ["/desk/chart.png"]);
    assert_eq!(texts(&page, ".brief__body p > mark"), ["marked"]);
    assert_eq!(texts(&page, ".brief__body p > span"), ["inline"]);
    assert!(texts(&page, "span.kept").is_empty());
    assert_eq!(attrs(&page, "sup.citation a", "id"), ["cite-1-1"]);
    assert!(
        attrs(&page, "a", "href")
            .iter()
            .all(|h| !h.to_ascii_lowercase().contains("javascript"))
    );
}

#[test]
fn trusted_passes_raw_html_through() {
    let t = SiteTest::fixture("basic");
    with_body(&t, HOSTILE);
    settings(&t, "raw_html: trusted\n");
    let run = t.run(&["build"]).ok();
    assert!(!run.stderr.contains("raw HTML"), "{}", run.stderr);
    let page = html(&t.read(PAGE));
    assert_eq!(attrs(&page, "img[alt='Chart']", "onerror"), ["alert(1)"]);
    assert_eq!(texts(&page, "span.kept"), ["inline"]);
}

#[test]
fn none_and_its_old_spelling_safe_omit_all_raw_html() {
    let t = SiteTest::fixture("basic");
    with_body(&t, HOSTILE);
    let site = t.read("site.yaml");
    let mut outputs = Vec::new();
    for extra in ["raw_html: none\n", "safe: true\n"] {
        t.write("site.yaml", &format!("{site}{extra}"));
        let run = t.run(&["build"]).ok();
        assert!(!run.stderr.contains("raw HTML"), "{extra}: {}", run.stderr);
        let text = t.read(PAGE);
        let page = html(&text);
        assert!(
            texts(
                &page,
                ".brief__body mark, .brief__body img, .brief__body span"
            )
            .is_empty(),
            "{extra}"
        );
        assert!(text.contains("<!-- raw HTML omitted -->"), "{extra}");
        assert_eq!(
            attrs(&page, "sup.citation a", "id"),
            ["cite-1-1"],
            "{extra}"
        );
        outputs.push(text);
    }
    assert_eq!(
        outputs[0], outputs[1],
        "safe: true is not the same as raw_html: none"
    );
}

#[test]
fn embed_hosts_let_exactly_those_players_in() {
    let t = SiteTest::fixture("basic");
    with_body(
        &t,
        "Watch [@beta-article]:\n\n\
         <iframe width=\"560\" height=\"315\" src=\"https://www.youtube-nocookie.com/embed/abc\" title=\"Clip\" allowfullscreen></iframe>\n\n\
         <iframe src=\"https://player.evil.example/embed/abc\"></iframe>\n",
    );
    settings(&t, "embed_hosts: [www.youtube-nocookie.com]\n");
    let run = t.run(&["build"]).ok();
    let page = html(&t.read(PAGE));
    assert_eq!(
        attrs(&page, "iframe", "src"),
        ["https://www.youtube-nocookie.com/embed/abc"]
    );
    assert_eq!(
        attrs(&page, "iframe", "sandbox"),
        ["allow-scripts allow-same-origin allow-presentation allow-popups"]
    );
    assert_eq!(attrs(&page, "iframe", "loading"), ["lazy"]);
    assert_eq!(
        attrs(&page, "iframe", "referrerpolicy"),
        ["strict-origin-when-cross-origin"]
    );
    assert!(run.stderr.lines().any(|l| l
        == "content/briefs/2025/third.md:13:1: warning: raw HTML removed: <iframe> from `player.evil.example` (only the hosts in `embed_hosts` may be embedded)"),
        "{}", run.stderr);

    // Without the setting, no iframe at all.
    let site = t
        .read("site.yaml")
        .replace("embed_hosts: [www.youtube-nocookie.com]\n", "");
    t.write("site.yaml", &site);
    t.run(&["build"]).ok();
    assert!(attrs(&html(&t.read(PAGE)), "iframe", "src").is_empty());
}

#[test]
fn bad_raw_html_settings_are_errors() {
    let t = SiteTest::fixture("basic");
    t.run(&["build"]).ok();
    let before = t.snapshot("public");
    settings(
        &t,
        "raw_html: trusted\nsafe: true\nembed_hosts:\n  - https://www.youtube-nocookie.com/embed\n  - example.org\n",
    );
    let run = t.run(&["build"]).code(1);
    for line in [
        "site.yaml:10:1: error: `safe: true` contradicts `raw_html`",
        "site.yaml:12:5: error: `embed_hosts`: `https://www.youtube-nocookie.com/embed` is not a host name",
        "  help: write the host alone: `www.youtube-nocookie.com`",
        "site.yaml:13:5: error: `embed_hosts` cannot list the site's own host `example.org`",
    ] {
        assert!(
            run.stderr.lines().any(|l| l == line),
            "missing {line:?} in:\n{}",
            run.stderr
        );
    }
    assert_eq!(before, t.snapshot("public"));

    let t = SiteTest::fixture("basic");
    settings(&t, "raw_html: sanitise\n");
    let run = t.run(&["build"]).code(1);
    assert!(run.stderr.lines().any(|l| l
        == "site.yaml:9:11: error: `raw_html` must be `sanitize`, `trusted` or `none`, not `sanitise`"),
        "{}", run.stderr);
    assert!(
        run.stderr.contains("did you mean `sanitize`?"),
        "{}",
        run.stderr
    );
}
