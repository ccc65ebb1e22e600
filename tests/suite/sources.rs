//! `verity sources check` and `verity sources archive` against a fake web
//! on loopback: every state, quotes, the cache, `--record`, the archive
//! lookups, `--write` and the `require_archive` policy. Nothing here leaves
//! 127.0.0.0/8: host names under `.invalid` never resolve.

use crate::fake_web::{Act, BadTls, FakeWeb, Routes, closed_port};
use crate::support::{Run, SiteTest, attrs, html, texts};
use std::process::Command;

/// Runs `verity ARGS --root SITE` with no proxy and the given variables.
fn verity(site: &SiteTest, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_verity"));
    cmd.args(args).arg("--root").arg(site.path());
    for v in [
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
        "VERITY_WAYBACK_URL",
        "VERITY_WAYBACK_ACCESS_KEY",
        "VERITY_WAYBACK_SECRET_KEY",
    ] {
        cmd.env_remove(v);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    crate::support::run(cmd)
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}\nstdout:\n{}\nstderr:\n{}", run.stdout, run.stderr))
}

/// A site whose one brief declares and cites every source in `sources`
/// (id, YAML body of content/sources/<id>.yaml).
fn site_with(sources: &[(&str, String)], extra_front: &str, body_extra: &str) -> SiteTest {
    let t = SiteTest::empty();
    t.write(
        "site.yaml",
        "title: Fake Desk\nbase_url: https://desk.example.org\nauthors:\n  desk:\n    name: Desk\n",
    );
    for (id, yaml) in sources {
        t.write(&format!("content/sources/{id}.yaml"), yaml);
    }
    let ids: Vec<&str> = sources.iter().map(|(id, _)| *id).collect();
    let list: String = ids.iter().map(|id| format!("  - {id}\n")).collect();
    let cites: String = ids.iter().map(|id| format!("[@{id}] ")).collect();
    t.write(
        "content/briefs/links.md",
        &format!(
            "---\ntitle: \"All the links\"\ndate: 2025-01-06\nclaim: \"Something was said.\"\nclaimant: Someone\nverdict: accurate\nsources:\n{list}{extra_front}---\nThe body cites {cites}{body_extra}\n"
        ),
    );
    t
}

fn source(url: &str, more: &str) -> String {
    format!("url: {url}\ntitle: A page\npublisher: A publisher\naccessed: 2025-01-06\n{more}")
}

const PAGE: &str = "<!doctype html><html><head><title>Report</title><script>var s = 'I\u{2019}m going to call the president';</script></head>\
<body><article><p>Blinken said: \u{201C}I\u{2019}m going to call&nbsp;the president and tell him\n not to come.\u{201D}</p></article></body></html>";

/// Every state, quotes present and missing, an archived copy, retries and
/// `Retry-After`, as JSON and for people; exit status 1 for a cited dead
/// original without an archived copy.
#[test]
fn every_state_of_a_link() {
    let web = FakeWeb::start(
        8,
        Routes::new()
            .on("/ok", |_, _| Act::html(PAGE))
            .on("/slash", |_, _| Act::redirect(301, "/slash/"))
            .on("/slash/", |_, _| Act::html("<p>ok</p>"))
            .on("/moved", |_, _| Act::redirect(301, "/new-home"))
            .on("/new-home", |_, _| Act::html("<p>new</p>"))
            .on("/forbidden", |_, _| Act::status(403))
            .on("/legal", |_, _| Act::status(451))
            .on("/challenge", |_, _| {
                Act::status(503).header("cf-mitigated", "challenge")
            })
            .on("/busy", |_, _| Act::status(429).header("Retry-After", "0"))
            .on("/gone", |_, _| Act::status(404))
            .on("/removed", |_, _| Act::status(410))
            .on("/loop-a", |_, _| Act::redirect(302, "/loop-b"))
            .on("/loop-b", |_, _| Act::redirect(302, "/loop-a"))
            .on("/hop", |h, _| {
                let n: u32 = h.param("n").and_then(|n| n.parse().ok()).unwrap_or(0);
                Act::redirect(302, &format!("/hop?n={}", n + 1))
            })
            .on("/to-ftp", |_, _| {
                Act::redirect(302, "ftp://files.example.invalid/a")
            })
            .on("/broken", |_, _| {
                Act::status(503).header("Retry-After", "0")
            })
            .on("/flaky", |_, n| {
                if n < 2 {
                    Act::status(502).header("Retry-After", "0")
                } else {
                    Act::html("<p>fine now</p>")
                }
            })
            .on("/edited", |_, _| {
                Act::html("<p>The minister said the talks were \u{201C}over\u{201D}.</p>")
            })
            .on("/web/20250106000000/article", |_, _| Act::html(PAGE))
            .on("/web/20250106000000/lost", |_, _| Act::status(404)),
    );
    let tls = BadTls::start();
    let u = |i: usize, path: &str| format!("{}{path}", web.base(i));
    let sources = vec![
        (
            "a-ok",
            source(
                &u(0, "/ok"),
                "quotes:\n  - \"I'm going to call the president and tell him not to come.\"\n",
            ),
        ),
        ("b-slash", source(&u(1, "/slash"), "")),
        ("c-moved", source(&u(2, "/moved"), "")),
        ("d-forbidden", source(&u(3, "/forbidden"), "")),
        ("d-legal", source(&u(4, "/legal"), "")),
        ("e-challenge", source(&u(5, "/challenge"), "")),
        ("f-busy", source(&u(6, "/busy"), "")),
        ("g-gone", source(&u(7, "/gone"), "")),
        (
            "h-removed",
            source(
                &u(0, "/removed"),
                &format!("archived: {}\n", u(1, "/web/20250106000000/article")),
            ),
        ),
        (
            "i-nxdomain",
            source("https://no-such-host.example.invalid/story", ""),
        ),
        ("j-loop", source(&u(2, "/loop-a"), "")),
        ("k-hops", source(&u(3, "/hop?n=0"), "")),
        ("l-ftp", source(&u(4, "/to-ftp"), "")),
        ("m-broken", source(&u(5, "/broken"), "")),
        (
            "n-refused",
            source(&format!("http://127.0.0.1:{}/", closed_port()), ""),
        ),
        (
            "o-tls",
            source(&format!("https://127.0.0.1:{}/", tls.port), ""),
        ),
        ("p-flaky", source(&u(6, "/flaky"), "")),
        (
            "q-edited",
            source(
                &u(7, "/edited"),
                "quotes:\n  - talks were \"over\"\n  - the talks would resume\n",
            ),
        ),
        (
            "r-lost-copy",
            source(
                &u(0, "/ok"),
                &format!("archived: {}\n", u(1, "/web/20250106000000/lost")),
            ),
        ),
    ];
    let site = site_with(&sources, "", "");

    let run = verity(&site, &["sources", "check", "--format", "json"], &[]).code(1);
    let doc = json(&run);
    let links = doc["links"].as_array().unwrap();
    let get = |id: &str, field: &str| {
        links
            .iter()
            .find(|l| l["source"] == id && l["field"] == field)
            .unwrap_or_else(|| panic!("no {id} {field} in {links:#?}"))
    };
    let state = |id: &str| get(id, "url")["state"].as_str().unwrap().to_string();
    for (id, want) in [
        ("a-ok", "ok"),
        ("b-slash", "ok"),
        ("c-moved", "redirected"),
        ("d-forbidden", "blocked"),
        ("d-legal", "blocked"),
        ("e-challenge", "blocked"),
        ("f-busy", "blocked"),
        ("g-gone", "dead"),
        ("h-removed", "dead"),
        ("i-nxdomain", "dead"),
        ("j-loop", "dead"),
        ("k-hops", "dead"),
        ("l-ftp", "dead"),
        ("m-broken", "transient"),
        ("n-refused", "transient"),
        ("o-tls", "transient"),
        ("p-flaky", "ok"),
        ("q-edited", "ok"),
    ] {
        assert_eq!(state(id), want, "{id}: {:#}", get(id, "url"));
    }
    // Exactly the documented keys, with their types.
    let a = get("a-ok", "url");
    let mut keys: Vec<&str> = a.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "attempts",
            "field",
            "final_url",
            "http_status",
            "quote_missing",
            "source",
            "state",
            "url"
        ]
    );
    assert_eq!(a["http_status"], 200);
    assert_eq!(a["final_url"], serde_json::Value::Null);
    assert_eq!(a["attempts"], 1);
    assert_eq!(a["quote_missing"], serde_json::json!([]));
    assert_eq!(get("b-slash", "url")["final_url"], u(1, "/slash/"));
    assert_eq!(get("c-moved", "url")["final_url"], u(2, "/new-home"));
    assert_eq!(get("d-legal", "url")["http_status"], 451);
    assert_eq!(get("f-busy", "url")["attempts"], 4);
    assert_eq!(web.hits("/busy").len(), 4);
    assert_eq!(get("m-broken", "url")["attempts"], 4);
    assert_eq!(get("m-broken", "url")["http_status"], 503);
    assert_eq!(get("p-flaky", "url")["attempts"], 3);
    assert_eq!(get("g-gone", "url")["http_status"], 404);
    assert_eq!(
        get("i-nxdomain", "url")["http_status"],
        serde_json::Value::Null
    );
    assert_eq!(get("k-hops", "url")["attempts"], 1);
    assert_eq!(
        web.hits("/hop").len(),
        11,
        "ten redirects followed, the eleventh refused"
    );
    assert_eq!(
        get("l-ftp", "url")["final_url"],
        "ftp://files.example.invalid/a"
    );
    assert_eq!(get("o-tls", "url")["attempts"], 1);
    assert!(
        tls.handshakes.load(std::sync::atomic::Ordering::SeqCst) >= 1,
        "the TLS server was reached"
    );
    assert_eq!(
        get("q-edited", "url")["quote_missing"],
        serde_json::json!(["the talks would resume"])
    );
    assert_eq!(get("h-removed", "archived")["state"], "ok");
    assert_eq!(get("r-lost-copy", "archived")["state"], "dead");
    assert_eq!(links.len(), sources.len() + 2);
    let summary = &doc["summary"];
    assert_eq!(
        summary,
        &serde_json::json!({"ok": 6, "redirected": 1, "blocked": 4, "dead": 7, "transient": 3})
    );
    // Honest user agent, naming Verity and the site.
    let ua = web.hits("/ok")[0].header("user-agent").unwrap().to_string();
    assert!(
        ua.starts_with("Verity/")
            && ua.contains("Fake Desk")
            && ua.contains("https://desk.example.org"),
        "{ua}"
    );
    // Why it fails: the cited dead originals without a copy, and the dead copy.
    assert!(
        run.stderr.contains(
            "error: source `g-gone` is cited, its original is dead and it has no archived copy"
        ),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("`h-removed` is cited"),
        "h-removed has a live archived copy"
    );
    assert!(
        run.stderr
            .contains("error: the archived copy of source `r-lost-copy` is dead"),
        "{}",
        run.stderr
    );

    // The same for people, from the cache this time (transient answers and 429s asked again).
    let before = web.total();
    let run = verity(&site, &["sources", "check"], &[]).code(1);
    let out = &run.stdout;
    assert!(
        out.starts_with("21 links of 19 sources checked (17 answers from the cache)\n"),
        "{out}"
    );
    for (name, n) in [
        ("ok", 6),
        ("redirected", 1),
        ("blocked", 4),
        ("dead", 7),
        ("transient", 3),
        ("quotes missing", 1),
    ] {
        let row = format!("  {name:<15}{n:>5}");
        assert!(out.lines().any(|l| l == row), "no row {row:?} in\n{out}");
    }
    for line in [
        "content/sources/g-gone.yaml:1: source g-gone: dead (HTTP 404 Not Found; cached from ",
        "content/sources/i-nxdomain.yaml:1: source i-nxdomain: dead (the host name does not resolve; cached from ",
        "content/sources/j-loop.yaml:1: source j-loop: dead (a redirect loop; cached from ",
        "content/sources/k-hops.yaml:1: source k-hops: dead (more than 10 redirects; cached from ",
        "content/sources/l-ftp.yaml:1: source l-ftp: dead (redirects to a `ftp:` address; cached from ",
        "content/sources/m-broken.yaml:1: source m-broken: transient (HTTP 503 Service Unavailable, 4 tries)",
        "content/sources/f-busy.yaml:1: source f-busy: blocked (HTTP 429 Too Many Requests, 4 tries)",
        "content/sources/e-challenge.yaml:1: source e-challenge: blocked (a bot challenge, HTTP 503 Service Unavailable; cached from ",
        "content/sources/n-refused.yaml:1: source n-refused: transient (the connection was refused)",
        "content/sources/o-tls.yaml:1: source o-tls: transient (TLS failure: invalid peer certificate: UnknownIssuer)",
        "content/sources/q-edited.yaml:5: source q-edited: quote missing (\"the talks would resume\")",
        "content/sources/r-lost-copy.yaml:5: source r-lost-copy: archived: dead (HTTP 404 Not Found; cached from ",
        "content/sources/c-moved.yaml:1: source c-moved: redirected (now at ",
    ] {
        assert!(
            out.lines().any(|l| l.starts_with(line)),
            "no line starting {line:?} in\n{out}"
        );
    }
    assert!(
        !out.contains("source a-ok"),
        "ok links are no problem:\n{out}"
    );
    // Asked again: the 429 (4), the 503s (4), the refused and TLS links (none on the web), nothing else.
    let asked: Vec<String> = web.log.lock().unwrap()[before..]
        .iter()
        .map(|h| h.path.clone())
        .collect();
    let mut asked_paths = asked.clone();
    asked_paths.sort();
    asked_paths.dedup();
    assert_eq!(asked_paths, ["/broken", "/busy"], "{asked:?}");
}

fn today_utc() -> String {
    jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
        .to_string()
}

fn now_unix() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// Sets `checked_at` of the cached answer for `url` to `age_secs` ago.
fn age_cache_entry(site: &SiteTest, url: &str, age_secs: i64) {
    let path = ".verity/linkcache.json";
    let mut cache: serde_json::Value = serde_json::from_str(&site.read(path)).unwrap();
    cache["links"][url]["checked_at"] = serde_json::json!(now_unix() - age_secs);
    site.write(path, &serde_json::to_string(&cache).unwrap());
}

/// ok lives 7 days, blocked 3, dead 1; transient answers and 429s are never
/// stored; `--no-cache` asks again; a new quote asks again.
#[test]
fn the_cache_keeps_each_state_for_its_own_time() {
    let web = FakeWeb::start(
        5,
        Routes::new()
            .on("/fine", |_, _| Act::html("<p>The words are here.</p>"))
            .on("/missing", |_, _| Act::status(404))
            .on("/denied", |_, _| Act::status(403))
            .on("/down", |_, _| Act::status(500).header("Retry-After", "0"))
            .on("/rate", |_, _| Act::status(429).header("Retry-After", "0")),
    );
    let url = |i: usize, p: &str| format!("{}{p}", web.base(i));
    let (fine, missing, denied) = (url(0, "/fine"), url(1, "/missing"), url(2, "/denied"));
    let sources = vec![
        ("fine", source(&fine, "quotes: [The words are here.]\n")),
        ("missing", source(&missing, "")),
        ("denied", source(&denied, "")),
        ("down", source(&url(3, "/down"), "")),
        ("rate", source(&url(4, "/rate"), "")),
    ];
    let site = site_with(&sources, "", "");
    let asked = |web: &FakeWeb, run: &dyn Fn()| {
        let before = web.total();
        run();
        let mut paths: Vec<String> = web.log.lock().unwrap()[before..]
            .iter()
            .map(|h| h.path.clone())
            .collect();
        paths.sort();
        paths.dedup();
        paths
    };
    let check = || {
        verity(&site, &["sources", "check", "--format", "json"], &[]).code(1);
    };
    assert_eq!(
        asked(&web, &check),
        ["/denied", "/down", "/fine", "/missing", "/rate"]
    );
    let cache: serde_json::Value =
        serde_json::from_str(&site.read(".verity/linkcache.json")).unwrap();
    let mut stored: Vec<&str> = cache["links"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    stored.sort();
    let mut want = vec![denied.as_str(), fine.as_str(), missing.as_str()];
    want.sort();
    assert_eq!(stored, want, "transient answers and 429s are never cached");
    assert_eq!(cache["links"][&missing]["state"], "dead");

    // Everything fresh: only the uncached are asked again; the answers say attempts 0.
    let run = verity(&site, &["sources", "check", "--format", "json"], &[]).code(1);
    let doc = json(&run);
    let fine_link = doc["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["source"] == "fine")
        .unwrap()
        .clone();
    assert_eq!(
        (fine_link["state"].as_str(), fine_link["attempts"].as_u64()),
        (Some("ok"), Some(0))
    );
    assert_eq!(asked(&web, &check), ["/down", "/rate"]);

    // A day old: dead expires, blocked (3 days) and ok (7 days) do not.
    for u in [&fine, &missing, &denied] {
        age_cache_entry(&site, u, 24 * 3600 + 60);
    }
    assert_eq!(asked(&web, &check), ["/down", "/missing", "/rate"]);
    // Three days old: blocked expires too.
    for u in [&fine, &denied] {
        age_cache_entry(&site, u, 3 * 24 * 3600 + 60);
    }
    assert_eq!(asked(&web, &check), ["/denied", "/down", "/rate"]);
    // Seven days: ok expires.
    age_cache_entry(&site, &fine, 7 * 24 * 3600 + 60);
    assert_eq!(asked(&web, &check), ["/down", "/fine", "/rate"]);
    // --no-cache asks everything.
    let no_cache = || {
        verity(&site, &["sources", "check", "--no-cache"], &[]).code(1);
    };
    assert_eq!(
        asked(&web, &no_cache),
        ["/denied", "/down", "/fine", "/missing", "/rate"]
    );
    // A new quote is not in the cached answer: the page is fetched again.
    site.write(
        "content/sources/fine.yaml",
        &source(
            &fine,
            "quotes: [The words are here., The words are gone.]\n",
        ),
    );
    let mut fetched = Vec::new();
    let run_once = || {
        let run = verity(
            &site,
            &["sources", "check", "--format", "json", "--source", "fine"],
            &[],
        )
        .code(0);
        let doc = json(&run);
        assert_eq!(
            doc["links"][0]["quote_missing"],
            serde_json::json!(["The words are gone."])
        );
    };
    fetched.push(asked(&web, &run_once));
    fetched.push(asked(&web, &run_once));
    assert_eq!(fetched, [vec!["/fine".to_string()], vec![]]);
}

const GONE_FILE: &str = "# Kept for the record: the publisher took the page down.\nurl: {GONE}   # the original\ntitle: \"Gone: a page\"\npublisher: The Paper\naccessed: 2025-01-06\narchived: {COPY}\n\n# end of file\n";

fn brief_with_inline(web: &FakeWeb) -> String {
    format!(
        "---\ntitle: \"Links that died\"\ndate: 2025-01-06\nclaim: \"Something was said.\"\nclaimant: Someone\nverdict: accurate\nsources:\n  - gone  # a file source\n  # two inline ones, with comments\n  - id: inline-gone\n    url: {}/gone-too\n    title: Inline page # a note\n    publisher: Q\n  - id: inline-ok\n    url: {}/fine\n    title: Fine\n    publisher: Q\n\n  - id: inline-down\n    url: {}/down\n    title: Down\n    publisher: Q\ntags: [links]\n---\nThe body cites [@gone], [@inline-gone], [@inline-ok] and [@inline-down].\n",
        web.base(1),
        web.base(2),
        web.base(3)
    )
}

/// `--record` writes `checked:` and changes nothing else, byte for byte, in
/// a source file and in inline sources; `build` (offline) then shows the
/// dead originals as no longer available, archived copy first.
#[test]
fn record_writes_checked_and_build_shows_dead_originals() {
    let web = FakeWeb::start(
        4,
        Routes::new()
            .on("/gone", |_, _| Act::status(410))
            .on("/gone-too", |_, _| Act::status(404))
            .on("/fine", |_, _| Act::html("<p>fine</p>"))
            .on("/copy", |_, _| Act::html("<p>archived</p>"))
            .on("/down", |_, _| Act::status(503).header("Retry-After", "0")),
    );
    let gone_file = GONE_FILE
        .replace("{GONE}", &format!("{}/gone", web.base(0)))
        .replace("{COPY}", &format!("{}/copy", web.base(1)));
    let brief = brief_with_inline(&web);
    let site = SiteTest::empty();
    site.write(
        "site.yaml",
        "title: Fake Desk\nbase_url: https://desk.example.org\n",
    );
    site.write("content/sources/gone.yaml", &gone_file);
    site.write("content/briefs/died.md", &brief);

    let day_before = today_utc();
    let run = verity(&site, &["sources", "check", "--record"], &[]).code(1);
    let day_after = today_utc();
    let written = site.read("content/sources/gone.yaml");
    let day = if written.contains(&day_before) {
        day_before
    } else {
        day_after
    };
    assert_eq!(
        written,
        gone_file.replace(
            "\n\n# end of file\n",
            &format!("\nchecked: {{date: {day}, state: dead}}\n\n# end of file\n")
        ),
        "only `checked` was added"
    );
    let expected_brief = brief
        .replace(
            "    title: Inline page # a note\n    publisher: Q\n",
            &format!("    title: Inline page # a note\n    publisher: Q\n    checked: {{date: {day}, state: dead}}\n"),
        )
        .replace(
            "    title: Fine\n    publisher: Q\n",
            &format!("    title: Fine\n    publisher: Q\n    checked: {{date: {day}, state: ok}}\n"),
        );
    assert_eq!(site.read("content/briefs/died.md"), expected_brief);
    assert!(run.stdout.contains("note: source `inline-down`: not recorded: a transient answer tells nothing about the page"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("recorded `checked` at content/sources/gone.yaml:7"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains(
            "source `inline-gone` is cited, its original is dead and it has no archived copy"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("`gone` is cited"), "{}", run.stderr);

    // Once more: the same outcome on the same day changes no byte.
    verity(&site, &["sources", "check", "--record"], &[]).code(1);
    assert_eq!(site.read("content/sources/gone.yaml"), written);
    assert_eq!(site.read("content/briefs/died.md"), expected_brief);

    // The build reads only the files: no request, and dead originals marked.
    let before = web.total();
    verity(&site, &["build"], &[]).ok();
    assert_eq!(web.total(), before, "build never touches the network");
    let display = jiff::civil::Date::strptime("%Y-%m-%d", &day)
        .unwrap()
        .strftime("%-d %B %Y")
        .to_string();
    let page = html(&site.read("public/sources/gone/index.html"));
    assert_eq!(
        texts(&page, ".facts dt"),
        ["Publisher", "Type", "Accessed", "Archived copy", "Original"]
    );
    assert_eq!(
        texts(&page, ".facts .source-gone"),
        [format!("no longer available (checked {display})")]
    );
    let brief_page = html(&site.read("public/briefs/died/index.html"));
    let titles = attrs(&brief_page, ".references li a.cite__title", "href");
    assert_eq!(
        titles,
        [
            format!("{}/copy", web.base(1)),
            format!("{}/gone-too", web.base(1)),
            format!("{}/fine", web.base(2)),
            format!("{}/down", web.base(3)),
        ],
        "the archived copy first for a dead original that has one"
    );
    let gone_notes = texts(&brief_page, ".references li .cite__gone");
    assert_eq!(
        gone_notes,
        [
            format!("Original: no longer available (checked {display})."),
            format!("Original: no longer available (checked {display})."),
        ]
    );
    assert_eq!(
        attrs(&brief_page, ".references li .cite__gone a", "href"),
        [
            format!("{}/gone", web.base(0)),
            format!("{}/gone-too", web.base(1))
        ]
    );
    assert_eq!(
        texts(&brief_page, ".references li .cite__archive"),
        Vec::<String>::new()
    );
}

/// A fake Wayback Machine: the availability API knows `/a`, the CDX API
/// knows `/b` (and lists a non-200 capture that must be skipped), neither
/// knows `/c`, and both fail for `/d`.
fn wayback() -> FakeWeb {
    FakeWeb::start(
        2,
        Routes::new()
            .on("/wayback/available", |h, _| {
                let url = h.param("url").unwrap_or_default();
                if url.ends_with("/a") {
                    let base = format!("http://{}:{}", h.ip, h.header("host").and_then(|x| x.rsplit(':').next()).unwrap_or("80"));
                    Act::json(&format!(
                        r#"{{"url": "{url}", "archived_snapshots": {{"closest": {{"status": "200", "available": true, "url": "{base}/web/20250106120000/{url}", "timestamp": "20250106120000"}}}}}}"#
                    ))
                } else if url.ends_with("/d") {
                    Act::status(502).header("Retry-After", "0")
                } else {
                    Act::json(&format!(r#"{{"url": "{url}", "archived_snapshots": {{}}}}"#))
                }
            })
            .on("/cdx/search/cdx", |h, _| {
                let url = h.param("url").unwrap_or_default();
                if url.ends_with("/b") {
                    Act::json(&format!(
                        r#"[["timestamp","original","statuscode"],["20241201000000","{url}","302"],["20241202101010","{url}","200"],["20230101000000","{url}","200"]]"#
                    ))
                } else if url.ends_with("/d") {
                    Act::status(503).header("Retry-After", "0")
                } else {
                    Act::json("[]")
                }
            }),
    )
}

fn archive_site(origin: &str) -> (SiteTest, String, String) {
    let site = SiteTest::empty();
    site.write(
        "site.yaml",
        "title: Fake Desk\nbase_url: https://desk.example.org\n",
    );
    let a = format!(
        "# Source A.\nurl: {origin}/a\ntitle: A\npublisher: P\naccessed: 2025-01-06 # the day we read it\n"
    );
    site.write("content/sources/a.yaml", &a);
    site.write(
        "content/sources/c.yaml",
        &format!("url: {origin}/c\ntitle: C\npublisher: P\n"),
    );
    site.write(
        "content/sources/d.yaml",
        &format!("url: {origin}/d\ntitle: D\npublisher: P\n"),
    );
    site.write("content/sources/e.yaml", &format!("url: {origin}/e\ntitle: E\npublisher: P\narchived: https://web.archive.org/web/2024/{origin}/e\n"));
    let brief = format!(
        "---\ntitle: \"Archive me\"\ndate: 2025-01-06\nclaim: \"Something.\"\nclaimant: Someone\nverdict: accurate\nsources:\n  - a\n  - id: b   # inline\n    url: {origin}/b\n    title: B\n    publisher: P\n    published: 2024-12-01\n  - c\n  - d\n  - e\n---\nCites [@a] [@b] [@c] [@d] [@e].\n"
    );
    site.write("content/briefs/archive-me.md", &brief);
    (site, a, brief)
}

/// The availability API first (closest to `accessed`, else `published`),
/// then CDX (200 captures only); without `--write` nothing is written;
/// with it, `archived:` goes into the source file and the inline source,
/// nothing else changes.
#[test]
fn archive_finds_copies_and_writes_them_only_when_asked() {
    let wb = wayback();
    let origin = "https://news.example.invalid";
    let (site, a_text, brief_text) = archive_site(origin);
    let env = [("VERITY_WAYBACK_URL", wb.base(0))];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();

    let run = verity(&site, &["sources", "archive", "--format", "json"], &env).code(1);
    let doc = json(&run);
    let base = wb.base(0);
    assert_eq!(
        doc,
        serde_json::json!({
            "found": [
                {"source": "a", "url": format!("{origin}/a"), "archived": format!("{base}/web/20250106120000/{origin}/a"), "how": "available"},
                {"source": "b", "url": format!("{origin}/b"), "archived": format!("{base}/web/20241202101010/{origin}/b"), "how": "cdx"},
            ],
            "missing": ["c"],
            "errors": [{"source": "d", "message": "availability API: HTTP 502 Bad Gateway, 4 tries; CDX API: HTTP 503 Service Unavailable, 4 tries"}],
        })
    );
    // The dates asked for: accessed for a, published for b, none for c.
    let asked: Vec<(String, Option<String>)> = wb
        .hits("/wayback/available")
        .iter()
        .map(|h| (h.param("url").unwrap(), h.param("timestamp")))
        .collect();
    assert!(
        asked.contains(&(format!("{origin}/a"), Some("20250106".into()))),
        "{asked:?}"
    );
    assert!(
        asked.contains(&(format!("{origin}/b"), Some("20241201".into()))),
        "{asked:?}"
    );
    assert!(asked.contains(&(format!("{origin}/c"), None)), "{asked:?}");
    assert!(
        !asked.iter().any(|(u, _)| u.ends_with("/e")),
        "e has a copy already"
    );
    let cdx = wb.hits("/cdx/search/cdx");
    let b = cdx
        .iter()
        .find(|h| h.param("url").unwrap().ends_with("/b"))
        .unwrap();
    assert_eq!(b.param("filter").as_deref(), Some("statuscode:200"));
    assert_eq!(b.param("closest").as_deref(), Some("20241201"));
    assert!(
        !cdx.iter().any(|h| h.param("url").unwrap().ends_with("/a")),
        "a was found by the availability API"
    );
    assert_eq!(
        site.read("content/sources/a.yaml"),
        a_text,
        "nothing written without --write"
    );
    assert_eq!(site.read("content/briefs/archive-me.md"), brief_text);

    let run = verity(
        &site,
        &[
            "sources", "archive", "--source", "a", "--source", "b", "--source", "c",
        ],
        &env,
    )
    .code(0);
    let out = &run.stdout;
    assert!(out.contains(&format!("source a: found {base}/web/20250106120000/{origin}/a (availability API)\n  would add at content/sources/a.yaml:1: archived: {base}/web/20250106120000/{origin}/a\n")), "{out}");
    assert!(out.contains(&format!("  would add at content/briefs/archive-me.md:9: archived: {base}/web/20241202101010/{origin}/b\n")), "{out}");
    assert!(out.contains("source c: no archived copy found"), "{out}");
    assert!(
        out.ends_with("nothing was written: run with --write to add these\n"),
        "{out}"
    );

    let run = verity(
        &site,
        &[
            "sources", "archive", "--write", "--source", "a", "--source", "b",
        ],
        &env,
    )
    .code(0);
    assert!(
        run.stdout
            .contains("  wrote `archived:` at content/sources/a.yaml:6\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("  wrote `archived:` at content/briefs/archive-me.md:14\n"),
        "{}",
        run.stdout
    );
    assert_eq!(
        site.read("content/sources/a.yaml"),
        format!("{a_text}archived: {base}/web/20250106120000/{origin}/a\n")
    );
    assert_eq!(
        site.read("content/briefs/archive-me.md"),
        brief_text.replace(
            "    published: 2024-12-01\n",
            &format!(
                "    published: 2024-12-01\n    archived: {base}/web/20241202101010/{origin}/b\n"
            )
        )
    );
    verity(&site, &["check"], &[]).ok();
}

/// Save Page Now: keys are required (a usage error says where to get
/// them); a failed save job is reported per source.
#[test]
fn save_page_now_needs_keys_and_reports_failures() {
    let wb = FakeWeb::start(
        1,
        Routes::new()
            .on("/wayback/available", |_, _| Act::json(r#"{"archived_snapshots": {}}"#))
            .on("/cdx/search/cdx", |_, _| Act::json(""))
            .on("/save", |_, _| {
                Act::json(r#"{"status": "error", "status_ext": "error:blocked-url", "message": "This URL is in the Save Page Now service block list."}"#)
            }),
    );
    let site = site_with(
        &[("lonely", source("https://news.example.invalid/lonely", ""))],
        "",
        "",
    );
    let base = wb.base(0);
    let run = verity(
        &site,
        &["sources", "archive", "--save"],
        &[("VERITY_WAYBACK_URL", &base)],
    )
    .code(2);
    assert!(
        run.stderr.contains("VERITY_WAYBACK_ACCESS_KEY")
            && run.stderr.contains("VERITY_WAYBACK_SECRET_KEY"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("https://archive.org/account/s3.php"),
        "{}",
        run.stderr
    );
    assert_eq!(wb.total(), 0, "nothing asked without keys");

    let env = [
        ("VERITY_WAYBACK_URL", base.as_str()),
        ("VERITY_WAYBACK_ACCESS_KEY", "ak"),
        ("VERITY_WAYBACK_SECRET_KEY", "sk"),
    ];
    let run = verity(
        &site,
        &["sources", "archive", "--save", "--format", "json"],
        &env,
    )
    .code(1);
    assert_eq!(
        json(&run)["errors"],
        serde_json::json!([{"source": "lonely", "message": "Save Page Now: This URL is in the Save Page Now service block list."}])
    );
    let save = wb.hits("/save");
    assert_eq!(save.len(), 1);
    assert_eq!(save[0].method, "POST");
    assert_eq!(save[0].header("authorization"), Some("LOW ak:sk"));
    assert_eq!(
        save[0].param("url").as_deref(),
        Some("https://news.example.invalid/lonely")
    );
}

/// `policy: {require_archive: true}`: `check` and `build` report each cited
/// source without `archived` at its file:line; uncited ones are exempt.
#[test]
fn the_require_archive_policy() {
    let site = SiteTest::empty();
    site.write(
        "site.yaml",
        "title: Desk\npolicy:\n  require_archive: true\n",
    );
    site.write("content/sources/kept.yaml", "url: https://a.example.invalid/k\ntitle: K\npublisher: P\narchived: https://web.archive.org/web/2025/https://a.example.invalid/k\n");
    site.write(
        "content/sources/bare.yaml",
        "url: https://a.example.invalid/b\ntitle: B\npublisher: P\n",
    );
    site.write(
        "content/sources/unused.yaml",
        "url: https://a.example.invalid/u\ntitle: U\npublisher: P\n",
    );
    site.write(
        "content/briefs/x.md",
        "---\ntitle: X\ndate: 2025-01-06\nclaim: C\nclaimant: Someone\nverdict: accurate\nsources:\n  - kept\n  - bare\n  - unused\n  - id: inline-bare\n    url: https://a.example.invalid/i\n    title: I\n    publisher: P\n---\nCites [@kept] [@bare] [@inline-bare].\n",
    );
    let run = verity(&site, &["check"], &[]).code(1);
    let expected = [
        "content/briefs/x.md:11:1: error: source `inline-bare` is cited but has no archived copy (policy: require_archive)",
        "  help: run verity sources archive --write",
        "content/sources/bare.yaml:1:1: error: source `bare` is cited but has no archived copy (policy: require_archive)",
        "  help: run verity sources archive --write",
    ];
    for line in expected {
        assert!(
            run.stderr.lines().any(|l| l == line),
            "no {line:?} in\n{}",
            run.stderr
        );
    }
    assert!(
        !run.stderr.contains("error: source `unused`"),
        "uncited:\n{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("error: source `kept`"),
        "archived:\n{}",
        run.stderr
    );
    let run = verity(&site, &["check", "--format", "json"], &[]).code(1);
    assert_eq!(json(&run)["errors"], 2);
    let run = verity(&site, &["build"], &[]).code(1);
    assert!(
        run.stderr.contains(
            "content/sources/bare.yaml:1:1: error: source `bare` is cited but has no archived copy"
        ),
        "{}",
        run.stderr
    );
    assert!(!site.exists("public"));
    // Off by default; unknown rules are reported with a suggestion.
    site.write("site.yaml", "title: Desk\n");
    verity(&site, &["check"], &[]).ok();
    site.write("site.yaml", "title: Desk\npolicy: {require_archiv: true}\n");
    let run = verity(&site, &["check"], &[]).code(1);
    assert!(run.stderr.contains("site.yaml:2:1: error: `policy`: unknown field `require_archiv`, expected one of `require_archive`,"), "{}", run.stderr);
}

mod library {
    //! The checker's bounds, driven through the library with small limits
    //! (the binary's own are minutes long): hostile servers, politeness,
    //! and Save Page Now jobs with a clock that does not wait.

    use super::*;
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant, SystemTime};
    use verity::content::source::LinkState;
    use verity::sources::archive;
    use verity::sources::clock::{Clock, SystemClock};
    use verity::sources::fetch::{self, Limits, Net};
    use verity::sources::http::{Proxies, UreqTransport};

    fn net(limits: Limits, clock: Arc<dyn Clock>) -> Net {
        let transport = UreqTransport::new("Verity-test", limits.connect_timeout, Proxies::Direct);
        Net::new(Arc::new(transport), clock, limits)
    }

    fn quick() -> Limits {
        Limits {
            connect_timeout: Duration::from_secs(2),
            request_timeout: Duration::from_secs(2),
            link_budget: Duration::from_secs(10),
            max_body: 1024 * 1024,
            retries: 1,
            backoff: Duration::from_millis(10),
            host_interval: Duration::ZERO,
            ..Limits::default()
        }
    }

    fn gzip_bomb() -> Vec<u8> {
        use std::io::Write as _;
        let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(b"<html><body><p>").unwrap();
        let zeros = vec![b'0'; 1024 * 1024];
        for _ in 0..64 {
            z.write_all(&zeros).unwrap();
        }
        z.finish().unwrap()
    }

    #[test]
    fn hostile_servers_cannot_hang_or_exhaust_the_checker() {
        let bomb = Arc::new(gzip_bomb());
        assert!(
            bomb.len() < 256 * 1024,
            "the bomb is small on the wire: {}",
            bomb.len()
        );
        let b = bomb.clone();
        let web = FakeWeb::start(
            3,
            Routes::new()
                .on("/drip", |_, _| Act::Drip {
                    every: Duration::from_millis(100),
                    bytes: 10_000,
                })
                .on("/bomb", move |_, _| {
                    Act::Reply(
                        200,
                        vec![
                            ("Content-Type".into(), "text/html".into()),
                            ("Content-Encoding".into(), "gzip".into()),
                        ],
                        b.to_vec(),
                    )
                })
                .on("/huge", |_, _| {
                    Act::Reply(
                        200,
                        vec![("Content-Type".into(), "text/html".into())],
                        vec![b'a'; 32 * 1024 * 1024],
                    )
                })
                .on("/silent", |_, _| {
                    Act::After(Duration::from_secs(30), Box::new(Act::Close))
                }),
        );
        let net = net(quick(), Arc::new(SystemClock));

        // A slow drip of bytes: each try stops at the request timeout; a timeout is retried once.
        let start = Instant::now();
        let o = net.check(&format!("{}/drip", web.base(0)));
        assert_eq!((o.state, o.attempts), (LinkState::Transient, 2));
        assert_eq!(o.reason.as_deref(), Some("timed out, 2 tries"));
        assert!(
            start.elapsed() < Duration::from_secs(6),
            "{:?}",
            start.elapsed()
        );

        // A server that never answers, against a link budget shorter than one request.
        let mut tight = quick();
        tight.link_budget = Duration::from_millis(1500);
        tight.request_timeout = Duration::from_secs(20);
        let tight = net_with(tight);
        let start = Instant::now();
        let o = tight.check(&format!("{}/silent", web.base(1)));
        assert_eq!(o.state, LinkState::Transient);
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "the budget bounds the link: {:?}",
            start.elapsed()
        );

        // A gzip bomb: 64 MiB once decompressed; no more than the cap is read.
        let o = net.check(&format!("{}/bomb", web.base(2)));
        assert_eq!(o.state, LinkState::Ok);
        let page = o.page.unwrap();
        assert!(page.truncated);
        assert_eq!(page.body.len(), 1024 * 1024);
        assert!(page.body.starts_with(b"<html><body><p>000"));

        // A huge body, not compressed.
        let o = net.check(&format!("{}/huge", web.base(0)));
        assert_eq!(o.state, LinkState::Ok);
        let page = o.page.unwrap();
        assert!(page.truncated);
        assert_eq!(page.body.len(), 1024 * 1024);
    }

    fn net_with(limits: Limits) -> Net {
        net(limits, Arc::new(SystemClock))
    }

    #[test]
    fn at_most_two_requests_at_a_time_to_one_host_spaced_out() {
        let web = FakeWeb::start(
            1,
            Routes::new().on("/slow", |_, _| {
                Act::After(
                    Duration::from_millis(300),
                    Box::new(Act::html("<p>slow</p>")),
                )
            }),
        );
        let limits = Limits {
            host_interval: Duration::from_millis(100),
            concurrency: 6,
            ..quick()
        };
        let net = net_with(limits.clone());
        let urls: Vec<String> = (0..6)
            .map(|i| format!("{}/slow?i={i}", web.base(0)))
            .collect();
        let outcomes = fetch::run_all(
            &limits,
            &urls,
            |u| fetch::host_of(u),
            |u| net.check(u),
            &|| {},
        );
        assert!(outcomes.iter().all(|o| o.state == LinkState::Ok));
        let hits = web.hits("/slow");
        assert_eq!(hits.len(), 6);
        let most = hits.iter().map(|h| h.in_flight).max().unwrap();
        assert_eq!(most, 2, "two at a time, and never more");
        let mut starts: Vec<Instant> = hits.iter().map(|h| h.at).collect();
        starts.sort();
        // The gate spaces starts by 100 ms; arrival can shift by a little.
        for w in starts.windows(2) {
            assert!(
                w[1] - w[0] >= Duration::from_millis(60),
                "{:?}",
                w[1] - w[0]
            );
        }
    }

    /// A clock whose sleeps take no time and are recorded.
    struct TestClock {
        start: Instant,
        slept: Mutex<Vec<Duration>>,
    }

    impl Clock for TestClock {
        fn now(&self) -> Instant {
            self.start + self.slept.lock().unwrap().iter().sum::<Duration>()
        }
        fn wall(&self) -> SystemTime {
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_736_150_400)
        }
        fn sleep(&self, d: Duration) {
            self.slept.lock().unwrap().push(d);
        }
        fn jitter(&self) -> f64 {
            0.0
        }
    }

    #[test]
    fn save_page_now_jobs_polled_until_done_or_given_up() {
        let web = FakeWeb::start(
            1,
            Routes::new()
                .on("/wayback/available", |_, _| Act::json(r#"{"archived_snapshots": {}}"#))
                .on("/cdx/search/cdx", |_, _| Act::json("[]"))
                .on("/save", |h, _| {
                    let url = h.param("url").unwrap();
                    let job = url.rsplit('/').next().unwrap().to_string();
                    Act::json(&format!(r#"{{"url": "{url}", "job_id": "spn2-{job}"}}"#))
                })
                .on("/save/status/spn2-works", |_, n| {
                    if n < 2 {
                        Act::json(r#"{"status": "pending", "job_id": "spn2-works"}"#)
                    } else {
                        Act::json(r#"{"status": "success", "job_id": "spn2-works", "timestamp": "20250107080910", "original_url": "https://news.example.invalid/works", "duration_sec": 6.2}"#)
                    }
                })
                .on("/save/status/spn2-fails", |_, _| {
                    Act::json(r#"{"status": "error", "status_ext": "error:too-many-redirects", "message": "Too many redirects."}"#)
                })
                .on("/save/status/spn2-hangs", |_, _| Act::json(r#"{"status": "pending"}"#)),
        );
        let site = site_with(
            &[
                ("works", source("https://news.example.invalid/works", "")),
                ("fails", source("https://news.example.invalid/fails", "")),
                ("hangs", source("https://news.example.invalid/hangs", "")),
            ],
            "",
            "",
        );
        let inv = verity::sources::inventory(site.path()).unwrap();
        let base = web.base(0);
        let wb = archive::Wayback {
            archive_base: base.clone(),
            web_base: base.clone(),
            keys: Some(("ak".into(), "sk".into())),
            poll_every: Duration::from_secs(5),
            max_polls: 4,
        };
        let run = |id: &str| {
            let clock = Arc::new(TestClock {
                start: Instant::now(),
                slept: Mutex::new(Vec::new()),
            });
            let net = net(quick(), clock.clone());
            let r = archive::find(&net, &wb, &inv.sources[id].source, true);
            let slept = clock.slept.lock().unwrap().clone();
            (r, slept)
        };
        let (r, slept) = run("works");
        assert_eq!(
            r.unwrap(),
            Some((
                format!("{base}/web/20250107080910/https://news.example.invalid/works"),
                archive::How::Saved
            ))
        );
        assert_eq!(
            slept,
            [Duration::from_secs(5); 3],
            "polled every 5 s until done"
        );
        let status = web.hits("/save/status/spn2-works");
        assert_eq!(status.len(), 3);
        assert!(
            status
                .iter()
                .all(|h| h.header("authorization") == Some("LOW ak:sk"))
        );

        let (r, _) = run("fails");
        assert_eq!(
            r.unwrap_err(),
            "Save Page Now: the save job failed: Too many redirects."
        );
        let (r, slept) = run("hangs");
        assert_eq!(
            r.unwrap_err(),
            "Save Page Now: job spn2-hangs did not finish after 4 polls; run the command again later"
        );
        assert_eq!(slept.len(), 4);
    }
}

/// The example site, its source addresses pointed at the fake web: every
/// link ok, a quote from the stored text found, archived copies found and
/// written, and the policy then met.
#[test]
fn the_example_site_end_to_end() {
    let web = FakeWeb::start(
        3,
        Routes::new()
            .on("/jns", |_, _| Act::html("<p>Sullivan said he \u{201C}traveled with U.S. President Joe Biden to Israel 11 days later, on Oct. 18\u{201D}.</p>"))
            .on("/toi", |_, _| Act::html("<p>Liveblog.</p>"))
            .on("/wion", |_, _| Act::redirect(301, "/wion/"))
            .on("/wion/", |_, _| Act::html("<p>WION report.</p>"))
            .on("/web/*", |_, _| Act::html("<p>An archived page, without the quote.</p>"))
            .on("/wayback/available", |h, _| {
                let url = h.param("url").unwrap();
                let host = h.header("host").unwrap().to_string();
                Act::json(&format!(
                    r#"{{"archived_snapshots": {{"closest": {{"available": true, "status": "200", "url": "http://{host}/web/20250106000000/{url}", "timestamp": "20250106000000"}}}}}}"#
                ))
            }),
    );
    let site = SiteTest::example();
    // Each original address, wherever it is declared (the Times of Israel
    // source is also declared inline in a brief), now on the fake web.
    let content: Vec<std::path::PathBuf> = walkdir::WalkDir::new(site.path().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    for (i, (id, path)) in [
        ("jns-blinken-biden-visit", "/jns"),
        ("toi-blinken-liveblog", "/toi"),
        ("wion-blinken-aid-threat", "/wion"),
    ]
    .iter()
    .enumerate()
    {
        let text = site.read(&format!("content/sources/{id}.yaml"));
        let original = text
            .lines()
            .next()
            .unwrap()
            .strip_prefix("url: ")
            .unwrap()
            .to_string();
        assert!(original.starts_with("https://"), "{original}");
        for f in &content {
            let t = std::fs::read_to_string(f).unwrap();
            std::fs::write(f, t.replace(&original, &format!("{}{path}", web.base(i)))).unwrap();
        }
        if *id == "jns-blinken-biden-visit" {
            let file = format!("content/sources/{id}.yaml");
            let text = site.read(&file);
            site.write(&file, &format!("{text}quotes:\n  - \"traveled with U.S. President Joe Biden to Israel 11 days later, on Oct. 18\"\n"));
        }
    }
    let run = verity(&site, &["sources", "check", "--format", "json"], &[]).code(0);
    let doc = json(&run);
    assert_eq!(
        doc["summary"],
        serde_json::json!({"ok": 3, "redirected": 0, "blocked": 0, "dead": 0, "transient": 0})
    );
    assert!(
        doc["links"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["quote_missing"] == serde_json::json!([]))
    );

    let yaml = site.read("site.yaml");
    site.write(
        "site.yaml",
        // The example desk has a `policy:` block already: the rule joins it.
        &yaml.replace("\npolicy:\n", "\npolicy:\n  require_archive: true\n"),
    );
    let run = verity(&site, &["check"], &[]).code(1);
    assert_eq!(
        run.stderr.matches("(policy: require_archive)").count(),
        3,
        "{}",
        run.stderr
    );
    let env = [("VERITY_WAYBACK_URL", web.base(0))];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = verity(&site, &["sources", "archive", "--write"], &env).ok();
    assert_eq!(
        run.stdout.matches("  wrote `archived:` at").count(),
        4,
        "three files and the inline copy:\n{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("  wrote `archived:` at content/briefs/2025/oct-7-toll-and-hostages.md:19\n"),
        "{}",
        run.stdout
    );
    verity(&site, &["check"], &[]).ok();
    let run = verity(&site, &["sources", "check", "--format", "json"], &[]).code(0);
    let doc = json(&run);
    let links = doc["links"].as_array().unwrap();
    assert_eq!(links.len(), 6, "originals and archived copies");
    assert_eq!(doc["summary"]["ok"], 6);
    let copy = links
        .iter()
        .find(|l| l["source"] == "jns-blinken-biden-visit" && l["field"] == "archived")
        .unwrap();
    assert_eq!(
        copy["quote_missing"],
        serde_json::json!([
            "traveled with U.S. President Joe Biden to Israel 11 days later, on Oct. 18"
        ])
    );
    let run = verity(&site, &["sources", "check", "--strict"], &[]).code(1);
    assert!(run.stderr.contains("error: source `jns-blinken-biden-visit`: 1 quote missing from the archived copy (--strict)"), "{}", run.stderr);
}

/// Usage errors exit 2; a site with content errors is not checked; no
/// progress bar when the output is not a terminal.
#[test]
fn usage_errors_and_broken_sites() {
    let web = FakeWeb::start(1, Routes::new().on("/ok", |_, _| Act::html("<p>ok</p>")));
    let site = site_with(
        &[("wion-report", source(&format!("{}/ok", web.base(0)), ""))],
        "",
        "",
    );
    let run = verity(&site, &["sources", "check", "--source", "wion-reprot"], &[]).code(2);
    assert_eq!(
        run.stderr,
        "error: --source wion-reprot: the site has no source `wion-reprot` (did you mean `wion-report`?)\n"
    );
    verity(&site, &["sources", "check", "--format", "yaml"], &[]).code(2);
    verity(&site, &["sources", "archive", "--source", "nope"], &[]).code(2);
    assert_eq!(web.total(), 0);

    let run = verity(&site, &["sources", "check", "--source", "wion-report"], &[]).code(0);
    assert_eq!(run.stderr, "", "no progress bar when piped");
    assert!(
        run.stdout.starts_with("1 link of 1 source checked\n"),
        "{}",
        run.stdout
    );

    site.write(
        "content/sources/broken.yaml",
        "url: ftp://x.example.invalid/\ntitle: B\npublisher: P\n",
    );
    let run = verity(&site, &["sources", "check"], &[]).code(1);
    assert!(
        run.stderr
            .contains("content/sources/broken.yaml:1:6: error: `url`:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("fix these first"), "{}", run.stderr);
    assert_eq!(web.total(), 1, "nothing asked of a broken site");
}

/// `checked` and `quotes` are known keys, validated like the others; an
/// empty quote is reported at its item.
#[test]
fn checked_and_quotes_are_validated() {
    let site = site_with(
        &[(
            "x",
            "url: https://a.example.invalid/x\ntitle: X\npublisher: P\nquotes: [\"\"]\nchecked: {date: 2025-13-01, state: daed}\n".to_string(),
        )],
        "",
        "",
    );
    let run = verity(&site, &["check"], &[]).code(1);
    for line in [
        "content/sources/x.yaml:4:11: error: a quote must not be empty",
        "content/sources/x.yaml:5:17: error: `checked.date`: `2025-13-01` is not a valid date (expected YYYY-MM-DD)",
        "content/sources/x.yaml:5:36: error: unknown link state `daed` in `checked`",
        "  help: did you mean `dead`?",
    ] {
        assert!(
            run.stderr.lines().any(|l| l == line),
            "no {line:?} in\n{}",
            run.stderr
        );
    }
    site.write(
        "content/sources/x.yaml",
        "url: https://a.example.invalid/x\ntitle: X\npublisher: P\nchecked: {date: 2025-01-02, state: dead, by: me}\n",
    );
    let run = verity(&site, &["check"], &[]).code(1);
    assert!(
        run.stderr
            .contains("content/sources/x.yaml:4:1: error: `checked`: unknown field `by`"),
        "{}",
        run.stderr
    );
}
