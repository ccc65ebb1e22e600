//! Machine-read outputs: ClaimReview JSON-LD, the DataFeed, Atom feeds,
//! sitemap and robots.txt — each parsed with a real parser.

use crate::support::{SiteTest, attrs, html, texts};
use serde_json::Value;
use std::path::Path;

fn built(args: &[&str]) -> SiteTest {
    let t = SiteTest::fixture("basic");
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    t.run(&all).ok();
    t
}

/// The one JSON-LD object of a page.
fn json_ld(t: &SiteTest, page: &str) -> Value {
    let doc = html(&t.read(page));
    let sel = scraper::Selector::parse("script[type='application/ld+json']").unwrap();
    let scripts: Vec<String> = doc.select(&sel).map(|e| e.text().collect()).collect();
    assert_eq!(scripts.len(), 1, "{page}: {scripts:?}");
    serde_json::from_str(&scripts[0]).unwrap_or_else(|e| panic!("{page}: {e}: {}", scripts[0]))
}

#[test]
fn every_brief_carries_a_claim_review_matching_its_front_matter() {
    let t = built(&[]);
    let r = json_ld(&t, "public/briefs/newer-brief/index.html");
    assert_eq!(r["@context"], "https://schema.org");
    assert_eq!(r["@type"], "ClaimReview");
    assert_eq!(r["url"], "https://example.org/desk/briefs/newer-brief/");
    assert_eq!(r["claimReviewed"], "The river is long.");
    assert_eq!(r["datePublished"], "2025-01-06");
    assert_eq!(r["dateModified"], "2025-01-08");
    // No `authors` in this brief: the publisher alone.
    assert_eq!(
        r["author"],
        serde_json::json!({"@type": "Organization", "name": "Test Desk", "url": "https://example.org/desk"})
    );
    assert_eq!(r["reviewRating"]["@type"], "Rating");
    assert_eq!(r["reviewRating"]["ratingValue"], 5);
    assert_eq!(r["reviewRating"]["bestRating"], 5);
    assert_eq!(r["reviewRating"]["worstRating"], 1);
    assert_eq!(r["reviewRating"]["alternateName"], "Accurate");
    let claim = &r["itemReviewed"];
    assert_eq!(claim["@type"], "Claim");
    assert_eq!(claim["author"]["@type"], "Person");
    assert_eq!(claim["author"]["name"], "Jane Doe");
    assert_eq!(
        claim["author"]["sameAs"][0],
        "https://en.wikipedia.org/wiki/John_Doe"
    );
    assert_eq!(claim["datePublished"], "2025-01-04");
    for key in ["appearance", "firstAppearance"] {
        assert_eq!(claim[key]["@type"], "CreativeWork");
        assert_eq!(claim[key]["url"], "https://news.example.com/beta");
        assert_eq!(claim[key]["headline"], "Beta article");
        assert_eq!(claim[key]["publisher"]["name"], "Beta Times");
    }
}

#[test]
fn a_verdict_without_rating_gets_only_its_name_and_brief_authors_are_persons() {
    let t = SiteTest::fixture("basic");
    t.write(
        "content/briefs/2025/third.md",
        "---\ntitle: Third\ndate: 2025-02-01\nclaim: c\nclaimant: John Roe\nverdict: unverifiable\nauthors: [desk]\nsources: [beta-article]\n---\n[@beta-article]\n",
    );
    t.run(&["build"]).ok();
    let r = json_ld(&t, "public/briefs/third/index.html");
    assert_eq!(
        r["reviewRating"],
        serde_json::json!({"@type": "Rating", "alternateName": "Unverifiable"})
    );
    assert_eq!(
        r["author"][1],
        serde_json::json!({"@type": "Person", "name": "Desk staff"})
    );
}

#[test]
fn hostile_claim_text_stays_inside_valid_json() {
    let t = built(&[]);
    let page = t.read("public/briefs/older/index.html");
    let r = json_ld(&t, "public/briefs/older/index.html");
    assert_eq!(
        r["claimReviewed"],
        "Prices fell by 5% & wages rose. </script><!-- \"quoted\" \\ back \u{202e}RTL 🎉"
    );
    let script = page
        .split("application/ld+json\">")
        .nth(1)
        .unwrap()
        .split("</script>")
        .next()
        .unwrap();
    assert!(
        !script.contains("<!--") && !script.contains("</"),
        "{script}"
    );
}

#[test]
fn the_data_feed_lists_every_published_brief_once_newest_first() {
    let t = built(&[]);
    let feed: Value = serde_json::from_str(&t.read("public/claimreview.json")).unwrap();
    assert_eq!(feed["@type"], "DataFeed");
    assert_eq!(feed["dateModified"], "2025-02-01T00:00:00Z");
    let urls: Vec<&str> = feed["dataFeedElement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["url"].as_str().unwrap())
        .collect();
    assert_eq!(
        urls,
        [
            "https://example.org/desk/briefs/third/",
            "https://example.org/desk/briefs/newer-brief/",
            "https://example.org/desk/briefs/older/"
        ]
    );
    // Each element is the same review as the page's.
    assert_eq!(
        feed["dataFeedElement"][1],
        json_ld(&t, "public/briefs/newer-brief/index.html")
    );
}

/// The file a URL of the site points at.
fn file_for(out: &Path, url: &str, base: &str) -> std::path::PathBuf {
    let rest = url
        .strip_prefix(base)
        .unwrap_or_else(|| panic!("{url} is not under {base}"));
    let p = out.join(rest.trim_start_matches('/'));
    if url.ends_with('/') {
        p.join("index.html")
    } else {
        p
    }
}

#[test]
fn atom_feeds_parse_and_link_to_written_pages() {
    let t = built(&[]);
    let out = t.path().join("public");
    let feed = feed_rs::parser::parse(t.read("public/feed.xml").as_bytes()).unwrap();
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    let titles: Vec<String> = feed
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect();
    assert_eq!(
        titles,
        [
            "Third brief",
            "Newer brief",
            "Did the minister say <script>alert(1)</script> prices fell?"
        ]
    );
    let newer = &feed.entries[1];
    assert_eq!(
        newer.updated.unwrap().to_rfc3339(),
        "2025-01-08T00:00:00+00:00"
    );
    assert_eq!(
        newer.published.unwrap().to_rfc3339(),
        "2025-01-06T00:00:00+00:00"
    );
    let content = newer.content.as_ref().unwrap().body.as_ref().unwrap();
    assert!(
        content.contains("Accurate") && content.contains("The river is long."),
        "{content}"
    );
    assert!(
        content.contains("href=\"https://example.org/desk/briefs/older/\""),
        "links are absolute: {content}"
    );
    assert!(
        content.contains("href=\"https://example.org/desk/briefs/newer-brief/#ref-1\""),
        "{content}"
    );
    for entry in &feed.entries {
        let link = &entry.links[0].href;
        assert!(
            file_for(&out, link, "https://example.org/desk").is_file(),
            "{link}"
        );
    }
    // Claimant and tag feeds, announced by their pages.
    for (page, feed_url) in [
        (
            "public/claimants/jane-doe/index.html",
            "/desk/claimants/jane-doe/feed.xml",
        ),
        (
            "public/tags/economy/index.html",
            "/desk/tags/economy/feed.xml",
        ),
    ] {
        let doc = html(&t.read(page));
        let alternates = attrs(
            &doc,
            "link[rel=alternate][type='application/atom+xml']",
            "href",
        );
        assert!(
            alternates.contains(&feed_url.to_string()),
            "{page}: {alternates:?}"
        );
        let f = feed_rs::parser::parse(
            std::fs::read(out.join(feed_url.trim_start_matches("/desk/")))
                .unwrap()
                .as_slice(),
        )
        .unwrap();
        assert_eq!(f.entries.len(), 2, "{feed_url}");
    }
}

#[test]
fn the_sitemap_lists_every_page_with_lastmod_and_every_url_resolves() {
    let t = built(&[]);
    let out = t.path().join("public");
    let text = t.read("public/sitemap.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let urls: Vec<(String, Option<String>)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .map(|n| {
            let child = |name: &str| {
                n.children()
                    .find(|c| c.has_tag_name(name))
                    .and_then(|c| c.text())
                    .map(str::to_string)
            };
            (child("loc").unwrap(), child("lastmod"))
        })
        .collect();
    let html_files = t
        .snapshot("public")
        .into_iter()
        .filter(|(p, _)| p.ends_with("index.html") && !p.ends_with("/embed/index.html"))
        .count();
    assert_eq!(urls.len(), html_files, "every page but the embeds");
    for (loc, lastmod) in &urls {
        assert!(
            file_for(&out, loc, "https://example.org/desk").is_file(),
            "{loc}"
        );
        assert!(lastmod.is_some(), "{loc} has no lastmod");
    }
    assert!(
        urls.iter()
            .any(|(l, m)| l == "https://example.org/desk/briefs/newer-brief/"
                && m.as_deref() == Some("2025-01-08"))
    );
    assert!(!urls.iter().any(|(l, _)| l.contains("secret")), "no drafts");
    assert_eq!(
        t.read("public/robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/desk/sitemap.xml\n"
    );
}

#[test]
fn every_page_head_has_canonical_description_and_social_cards() {
    let t = built(&["--base-url", "https://mirror.example/sub"]);
    let doc = html(&t.read("public/briefs/newer-brief/index.html"));
    let meta = |sel: &str| attrs(&doc, sel, "content");
    assert_eq!(
        attrs(&doc, "link[rel=canonical]", "href"),
        ["https://mirror.example/sub/briefs/newer-brief/"]
    );
    assert_eq!(meta("meta[name=description]"), ["It is long."]);
    assert_eq!(meta("meta[property='og:type']"), ["article"]);
    assert_eq!(
        meta("meta[property='og:url']"),
        ["https://mirror.example/sub/briefs/newer-brief/"]
    );
    assert_eq!(meta("meta[property='og:title']"), ["Newer brief"]);
    assert_eq!(meta("meta[property='og:site_name']"), ["Test Desk"]);
    assert_eq!(
        meta("meta[property='article:published_time']"),
        ["2025-01-06T00:00:00Z"]
    );
    assert_eq!(
        meta("meta[property='article:modified_time']"),
        ["2025-01-08T00:00:00Z"]
    );
    // A brief has a share card.
    assert_eq!(meta("meta[name='twitter:card']"), ["summary_large_image"]);
    assert_eq!(attrs(&doc, "html", "lang"), ["en"]);
    // The brief has a corrections log: the corrections feed is announced too.
    assert_eq!(
        attrs(
            &doc,
            "link[rel=alternate][type='application/atom+xml']",
            "href"
        ),
        ["/sub/feed.xml", "/sub/corrections/feed.xml"]
    );
    // Without a summary, the description is the claim.
    let older = html(&t.read("public/briefs/older/index.html"));
    assert!(
        attrs(&older, "meta[name=description]", "content")[0]
            .starts_with("Prices fell by 5% & wages rose.")
    );
    let r = json_ld(&t, "public/briefs/newer-brief/index.html");
    assert_eq!(r["url"], "https://mirror.example/sub/briefs/newer-brief/");
    assert!(
        t.read("public/robots.txt")
            .contains("https://mirror.example/sub/sitemap.xml")
    );
    let _ = texts(&doc, "h1");
}
