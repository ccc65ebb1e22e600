//! Reach: share cards, embeddable verdicts, oEmbed and the open data
//! exports, as a reader, a platform or a researcher gets them.

use crate::live::{Running, get, poll};
use crate::support::{SiteTest, THIRD, attrs, html, texts};
use std::collections::BTreeSet;
use std::path::Path;

const CARD: &str = "public/briefs/third/card.png";

fn bytes(t: &SiteTest, path: &str) -> Vec<u8> {
    std::fs::read(t.path().join(path)).unwrap()
}

/// Width and height from a PNG's header (after checking it is a PNG).
fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    assert_eq!(&png[12..16], b"IHDR");
    let n = |k: usize| u32::from_be_bytes([png[k], png[k + 1], png[k + 2], png[k + 3]]);
    (n(16), n(20))
}

/// The files of the card cache.
fn cached(t: &SiteTest) -> BTreeSet<String> {
    let dir = t.path().join(".verity/cache/cards");
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".png"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn every_brief_has_a_card_of_the_card_size_identical_from_build_to_build() {
    let t = SiteTest::fixture("basic");
    t.run(&["build"]).ok();
    let mut cards = Vec::new();
    for brief in ["third", "newer-brief", "older"] {
        let png = bytes(&t, &format!("public/briefs/{brief}/card.png"));
        assert_eq!(png_size(&png), (1200, 630), "{brief}");
        cards.push(png);
    }
    assert_ne!(cards[0], cards[1], "each card shows its own brief");
    assert!(!t.exists("public/briefs/secret/card.png"), "no draft card");

    // Another copy of the site, without the cache: the same bytes.
    let other = SiteTest::fixture("basic");
    other.run(&["build"]).ok();
    assert!(!cached(&other).is_empty());
    for (brief, png) in ["third", "newer-brief", "older"].iter().zip(&cards) {
        assert_eq!(
            &bytes(&other, &format!("public/briefs/{brief}/card.png")),
            png,
            "{brief}: a card rendered afresh is byte-identical"
        );
    }
    std::fs::remove_dir_all(other.path().join(".verity")).unwrap();
    other.run(&["build"]).ok();
    assert_eq!(bytes(&other, CARD), cards[0]);
}

#[test]
fn changing_the_claim_changes_the_card_and_the_body_does_not() {
    let t = SiteTest::fixture("basic");
    t.run(&["build"]).ok();
    let first = bytes(&t, CARD);
    let entries = cached(&t);

    t.write(
        THIRD,
        &t.read(THIRD)
            .replace("Only one citation", "A rewritten body, still one citation"),
    );
    t.run(&["build"]).ok();
    assert_eq!(bytes(&t, CARD), first, "the body is not on the card");
    assert_eq!(cached(&t), entries, "and the cached card is used");

    t.write(
        THIRD,
        &t.read(THIRD).replace(
            "claim: Someone else said it.",
            "claim: Someone else said something quite different.",
        ),
    );
    t.run(&["build"]).ok();
    assert_ne!(bytes(&t, CARD), first, "the claim is on the card");
    assert_eq!(cached(&t).len(), entries.len() + 1);
}

#[test]
fn cached_cards_are_linked_into_the_output_and_a_new_template_renders_them_again() {
    use std::os::unix::fs::MetadataExt;
    let t = SiteTest::fixture("basic");
    t.run(&["build"]).ok();
    let entries = cached(&t);
    assert_eq!(entries.len(), 3, "one card per published brief");
    let inode = |p: &Path| std::fs::metadata(p).unwrap().ino();
    let card = t.path().join(CARD);
    let in_cache: Vec<u64> = entries
        .iter()
        .map(|n| inode(&t.path().join(".verity/cache/cards").join(n)))
        .collect();
    assert!(
        in_cache.contains(&inode(&card)),
        "the output's card is the cached file, linked"
    );
    let modified = |n: &String| {
        std::fs::metadata(t.path().join(".verity/cache/cards").join(n))
            .unwrap()
            .modified()
            .unwrap()
    };
    let times: Vec<_> = entries.iter().map(modified).collect();
    let before = bytes(&t, CARD);

    t.run(&["build"]).ok();
    assert_eq!(cached(&t), entries, "a second build renders no card");
    assert_eq!(entries.iter().map(modified).collect::<Vec<_>>(), times);
    assert_eq!(bytes(&t, CARD), before);

    // A site's own card.svg replaces the theme's and every card changes.
    let theme = std::fs::read_to_string(crate::support::repo().join("templates/card.svg")).unwrap();
    t.write(
        "templates/card.svg",
        &theme.replace("FACT CHECK", "CHECKED BY THE DESK"),
    );
    t.run(&["build"]).ok();
    assert_ne!(bytes(&t, CARD), before);
    assert_eq!(cached(&t).len(), 6, "three new cards beside the old");

    // A template that makes no SVG is a clear error at the template, and
    // the last output stays.
    let kept = bytes(&t, CARD);
    t.write("templates/card.svg", "<svg>{{ card.claim }}");
    let run = t.run(&["build"]).code(1);
    assert!(run.stderr.contains("templates/card.svg"), "{}", run.stderr);
    assert!(run.stderr.contains("not a valid SVG"), "{}", run.stderr);
    assert_eq!(bytes(&t, CARD), kept);
}

#[test]
fn cards_false_writes_no_card_and_no_image_tags() {
    let t = SiteTest::fixture("basic");
    let settings = t.read("site.yaml");
    t.write("site.yaml", &format!("{settings}cards: false\n"));
    t.run(&["build"]).ok();
    assert!(!t.exists(CARD));
    assert!(cached(&t).is_empty());
    let doc = html(&t.read("public/briefs/third/index.html"));
    assert!(attrs(&doc, "meta[property='og:image']", "content").is_empty());
    assert_eq!(
        attrs(&doc, "meta[name='twitter:card']", "content"),
        ["summary"]
    );
    let oembed: serde_json::Value =
        serde_json::from_str(&t.read("public/briefs/third/oembed.json")).unwrap();
    assert!(oembed.get("thumbnail_url").is_none());
}

#[test]
fn a_brief_page_points_to_its_card_and_its_oembed_under_the_sub_path() {
    let t = SiteTest::fixture("basic");
    t.run(&["build"]).ok();
    let doc = html(&t.read("public/briefs/third/index.html"));
    let meta = |property: &str| attrs(&doc, &format!("meta[property='{property}']"), "content");
    assert_eq!(
        meta("og:image"),
        ["https://example.org/desk/briefs/third/card.png"]
    );
    assert_eq!(meta("og:image:width"), ["1200"]);
    assert_eq!(meta("og:image:height"), ["630"]);
    let alt = &meta("og:image:alt")[0];
    assert!(alt.contains("Someone else said it."), "{alt}");
    assert!(alt.contains("Mixed"), "the verdict in words: {alt}");
    assert_eq!(
        attrs(&doc, "meta[name='twitter:card']", "content"),
        ["summary_large_image"]
    );
    assert_eq!(
        attrs(
            &doc,
            "link[rel='alternate'][type='application/json+oembed']",
            "href"
        ),
        ["https://example.org/desk/briefs/third/oembed.json"]
    );
    // The copyable snippet, in a <details>.
    let code = texts(&doc, "details.embed-snippet textarea");
    assert_eq!(code.len(), 1);
    let snippet = html(&code[0]);
    assert_eq!(
        attrs(&snippet, "iframe", "src"),
        ["https://example.org/desk/briefs/third/embed/"]
    );
    // Other pages have no card.
    let home = html(&t.read("public/index.html"));
    assert!(attrs(&home, "meta[property='og:image']", "content").is_empty());
    // The embed page is not in the sitemap: it is part of the brief's page.
    assert!(!t.read("public/sitemap.xml").contains("/embed/"));
}

#[test]
fn the_embed_page_makes_no_request_and_runs_no_script() {
    let t = SiteTest::fixture("basic");
    t.write(
        THIRD,
        &t.read(THIRD).replace(
            "claim: Someone else said it.",
            "claim: \"<script>alert(1)</script> <img src=//evil.example/x> & 'quotes'\"",
        ),
    );
    t.run(&["build"]).ok();
    let text = t.read("public/briefs/third/embed/index.html");
    let doc = html(&text);
    assert!(
        texts(&doc, "blockquote")[0].contains("<script>alert(1)</script>"),
        "hostile text is shown as text"
    );
    let all = scraper::Selector::parse("*").unwrap();
    let mut links = 0;
    for e in doc.select(&all) {
        let e = e.value();
        let place = format!("<{}>", e.name());
        match e.name() {
            "script" | "style" | "img" | "iframe" | "object" | "embed" | "video" | "audio"
            | "source" | "picture" | "svg" | "form" | "input" | "base" => {
                panic!("{place} in the embed page")
            }
            "meta" => assert_eq!(e.attr("http-equiv"), None, "{place}"),
            "link" => match e.attr("rel") {
                Some("canonical") => {}
                Some("icon") => assert_eq!(e.attr("href"), Some("data:,"), "no favicon request"),
                other => panic!("<link rel={other:?}> would be fetched"),
            },
            "a" => {
                links += 1;
                assert_eq!(
                    e.attr("href"),
                    Some("https://example.org/desk/briefs/third/")
                );
                assert_eq!(e.attr("target"), Some("_blank"));
            }
            _ => {}
        }
        for (name, value) in e.attrs() {
            assert!(!name.starts_with("on"), "{place} has {name}");
            if name == "style" {
                assert!(!value.contains("url("), "{place} style loads {value}");
            }
        }
    }
    assert_eq!(links, 1);
    assert_eq!(texts(&doc, "strong"), ["Mixed"], "the verdict in words");
    assert!(text.contains("John Roe"));
}

#[test]
fn oembed_is_a_rich_response_holding_the_embed_iframe() {
    let t = SiteTest::fixture("basic");
    t.run(&["build"]).ok();
    let o: serde_json::Value =
        serde_json::from_str(&t.read("public/briefs/third/oembed.json")).unwrap();
    assert_eq!(o["version"], "1.0");
    assert_eq!(o["type"], "rich");
    assert_eq!(o["title"], "Third brief");
    assert_eq!(o["provider_name"], "Test Desk");
    assert_eq!(o["provider_url"], "https://example.org/desk/");
    assert_eq!(o["width"], 560);
    assert_eq!(o["height"], 320);
    assert_eq!(
        o["thumbnail_url"],
        "https://example.org/desk/briefs/third/card.png"
    );
    assert_eq!(o["thumbnail_width"], 1200);
    assert_eq!(o["thumbnail_height"], 630);
    let frame = html(o["html"].as_str().unwrap());
    assert_eq!(
        attrs(&frame, "iframe", "src"),
        ["https://example.org/desk/briefs/third/embed/"]
    );
    assert_eq!(attrs(&frame, "iframe", "width"), ["560"]);
    assert_eq!(
        attrs(&frame, "iframe", "title"),
        ["Fact check: Third brief"]
    );
}

/// A hostile brief: formula characters, markup and quotes in every field
/// a spreadsheet or a page would show.
fn hostile(t: &SiteTest) {
    t.write(
        "content/briefs/2025/hostile.md",
        &crate::support::brief(
            "title: \"=HYPERLINK(\\\"http://evil.example\\\",\\\"click\\\")\"\n\
             date: 2025-03-01\n\
             claim: \"+1 <b>bold</b> \\\"quoted\\\", with a comma\\nand a new line\"\n\
             claimant: \"@Someone & Co\"\n\
             verdict: false\n\
             summary: \"-2 then </script>\"\n\
             tags: [\"=cmd\"]\n\
             sources: [beta-article]",
            "Body [@beta-article].",
        ),
    );
}

#[test]
fn exports_validate_against_their_schema_and_leave_drafts_out() {
    let t = SiteTest::fixture("basic");
    hostile(&t);
    let settings = t.read("site.yaml");
    t.write("site.yaml", &format!("{settings}license: CC-BY-4.0\n"));
    t.run(&["build", "--drafts"]).ok();
    let export: serde_json::Value =
        serde_json::from_str(&t.read("public/api/briefs.json")).unwrap();
    let schema: serde_json::Value =
        serde_json::from_str(&t.read("public/api/schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&export)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The schema is strict: a misspelt field fails it.
    let mut wrong = export.clone();
    wrong["briefs"][0]["titel"] = "x".into();
    assert!(!validator.is_valid(&wrong));

    let briefs = export["briefs"].as_array().unwrap();
    let ids: Vec<&str> = briefs.iter().map(|b| b["id"].as_str().unwrap()).collect();
    assert!(!ids.contains(&"secret"), "drafts never appear: {ids:?}");
    assert_eq!(ids.len(), 4);
    assert_eq!(export["license"]["id"], "CC-BY-4.0");
    assert_eq!(
        export["license"]["url"],
        "https://spdx.org/licenses/CC-BY-4.0.html"
    );
    let newer = briefs.iter().find(|b| b["id"] == "newer-brief").unwrap();
    assert_eq!(newer["url"], "https://example.org/desk/briefs/newer-brief/");
    assert_eq!(newer["claimant"]["id"], "jane-doe");
    assert_eq!(newer["verdict"]["key"], "accurate");
    assert_eq!(newer["corrections"][0]["note"], "Fixed the length.");
    let sources: Vec<&str> = newer["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(sources.len(), 3, "{sources:?}");
    let hostile = briefs.iter().find(|b| b["id"] == "hostile").unwrap();
    assert_eq!(
        hostile["claim"], "+1 <b>bold</b> \"quoted\", with a comma\nand a new line",
        "JSON keeps text exactly"
    );

    // Deterministic: the same site exports the same bytes.
    let json = t.read("public/api/briefs.json");
    let csv = t.read("public/api/briefs.csv");
    t.run(&["build", "--drafts"]).ok();
    assert_eq!(t.read("public/api/briefs.json"), json);
    assert_eq!(t.read("public/api/briefs.csv"), csv);

    // The licence is in the footer and the ClaimReview feed too.
    let doc = html(&t.read("public/index.html"));
    assert_eq!(
        attrs(&doc, "footer a[rel='license']", "href"),
        ["https://spdx.org/licenses/CC-BY-4.0.html"]
    );
    let feed: serde_json::Value = serde_json::from_str(&t.read("public/claimreview.json")).unwrap();
    assert_eq!(feed["license"], "https://spdx.org/licenses/CC-BY-4.0.html");
}

#[test]
fn csv_cells_never_start_a_formula() {
    let t = SiteTest::fixture("basic");
    hostile(&t);
    t.run(&["build"]).ok();
    let text = t.read("public/api/briefs.csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(headers, verity::render::export::CSV_COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4, "one row per published brief");
    for row in &rows {
        assert_eq!(row.len(), headers.len());
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "unprotected cell: {cell:?}"
            );
        }
    }
    let row = rows.iter().find(|r| &r[0] == "hostile").unwrap();
    let col = |name: &str| &row[headers.iter().position(|h| h == name).unwrap()];
    assert_eq!(
        col("title"),
        "'=HYPERLINK(\"http://evil.example\",\"click\")"
    );
    assert_eq!(
        col("claim"),
        "'+1 <b>bold</b> \"quoted\", with a comma\nand a new line"
    );
    assert_eq!(col("claimant_name"), "'@Someone & Co");
    assert_eq!(col("summary"), "'-2 then </script>");
    assert_eq!(col("verdict_key"), "false");
    // The hostile claim's card is still made, its text escaped in the SVG.
    assert_eq!(
        png_size(&bytes(&t, "public/briefs/hostile/card.png")),
        (1200, 630)
    );
    let o: serde_json::Value =
        serde_json::from_str(&t.read("public/briefs/hostile/oembed.json")).unwrap();
    assert!(o["title"].as_str().unwrap().starts_with("=HYPERLINK"));
    let frame = html(o["html"].as_str().unwrap());
    assert_eq!(attrs(&frame, "iframe", "title").len(), 1);
}

#[test]
fn serve_renders_a_changed_card_on_request() {
    let t = SiteTest::fixture("basic");
    let server = Running::start(t.path(), &["serve", "--port", "0"]);
    let port = server.port();
    server.wait_line(0, |l| l.starts_with("built "));
    let first = get(port, "/briefs/third/card.png");
    assert_eq!(first.status, 200);
    assert_eq!(first.header("content-type"), Some("image/png"));
    assert_eq!(png_size(&first.body), (1200, 630));
    let oembed = get(port, "/briefs/third/oembed.json");
    assert!(
        oembed
            .text()
            .contains(&format!("http://127.0.0.1:{port}/briefs/third/embed/"))
    );
    t.write(
        THIRD,
        &t.read(THIRD)
            .replace("Someone else said it.", "Someone else said it twice."),
    );
    let changed = poll(|| {
        let r = get(port, "/briefs/third/card.png");
        (r.status == 200 && r.body != first.body).then_some(r)
    });
    assert!(changed.is_some(), "serve never showed the new card");
    assert_eq!(server.interrupt(), 0);
}

#[test]
fn watch_writes_a_changed_card() {
    let t = SiteTest::fixture("basic");
    let w = Running::start(t.path(), &["watch"]);
    w.wait_line(0, |l| l.starts_with("built "));
    let first = bytes(&t, CARD);
    t.write(
        THIRD,
        &t.read(THIRD)
            .replace("Someone else said it.", "Someone else said it twice."),
    );
    w.wait_line(0, |l| l.contains("third.md changed"));
    assert_ne!(bytes(&t, CARD), first);
    assert_eq!(png_size(&bytes(&t, CARD)), (1200, 630));
    assert_eq!(w.interrupt(), 0);
}
