use crate::support::{SiteTest, attrs, broken_links, html, texts};

fn built() -> SiteTest {
    let t = SiteTest::fixture("basic");
    t.run(&["build"]).ok();
    t
}

#[test]
fn writes_every_page_of_the_url_table() {
    let t = built();
    for path in [
        "index.html",
        "page/2/index.html",
        "briefs/newer-brief/index.html",
        "briefs/older/index.html",
        "briefs/third/index.html",
        "sources/index.html",
        "sources/alpha-report/index.html",
        "sources/gamma-inline/index.html",
        "claimants/index.html",
        "claimants/jane-doe/index.html",
        "claimants/john-roe/index.html",
        "tags/index.html",
        "tags/economy/index.html",
        "tags/prices/index.html",
        "verdicts/index.html",
        "verdicts/false/index.html",
        "verdicts/unverifiable/index.html",
        "about/index.html",
        "404.html",
        "verity.css",
    ] {
        assert!(t.exists(&format!("public/{path}")), "missing {path}");
    }
    assert!(
        !t.exists("public/briefs/secret/index.html"),
        "drafts are not built"
    );
}

#[test]
fn every_internal_link_resolves_under_the_sub_path() {
    let t = built();
    let broken = broken_links(&t.path().join("public"), "/desk/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    let home = html(&t.read("public/index.html"));
    assert!(
        attrs(&home, "a[href]", "href")
            .iter()
            .any(|h| h == "/desk/briefs/third/")
    );
    assert_eq!(
        attrs(&home, "link[rel=canonical]", "href"),
        ["https://example.org/desk/"]
    );
}

#[test]
fn citations_are_numbered_in_order_of_first_use_with_back_links() {
    let t = built();
    let doc = html(&t.read("public/briefs/newer-brief/index.html"));
    // heading, list (2 sources), blockquote, table, footnote.
    assert_eq!(
        texts(&doc, "sup.citation a"),
        ["1", "2", "3, para. 2", "1", "2", "3"],
        "marks in body order: beta=1, alpha=2, gamma=3"
    );
    assert_eq!(
        attrs(&doc, "sup.citation a", "href")[..3],
        ["#ref-1", "#ref-2", "#ref-3"]
    );
    // The heading, list item, blockquote, table cell and footnote each hold one.
    for container in ["h2", "li", "blockquote", "td", ".footnote-definition"] {
        assert!(
            !texts(&doc, &format!("{container} sup.citation")).is_empty(),
            "no citation in {container}"
        );
    }
    // The reference list: publisher, linked title, archived copy, back-links.
    let refs = texts(&doc, "#ref-2");
    assert!(refs[0].contains("Alpha News"), "{refs:?}");
    assert!(
        refs[0].contains("Alpha report <b>bold</b>"),
        "YAML text is escaped, not markup: {refs:?}"
    );
    let links = attrs(&doc, "#ref-2 a", "href");
    assert!(
        links.contains(&"https://news.example.com/alpha".to_string()),
        "{links:?}"
    );
    assert!(
        links
            .iter()
            .any(|l| l.starts_with("https://web.archive.org/")),
        "{links:?}"
    );
    assert!(
        links.contains(&"#cite-2-1".to_string()) && links.contains(&"#cite-2-2".to_string()),
        "{links:?}"
    );
    assert!(attrs(&doc, "[id=cite-2-2]", "id").len() == 1);
}

#[test]
fn code_and_email_are_not_citations() {
    let t = built();
    let page = t.read("public/briefs/older/index.html");
    let doc = html(&page);
    assert_eq!(texts(&doc, "code"), ["[@not-a-cite]", "[@also-not-a-cite]"]);
    assert_eq!(texts(&doc, "sup.citation a"), ["1, p. 3"]);
    assert!(page.contains("desk@example.org"));
}

#[test]
fn cross_links_resolve_with_titles() {
    let t = built();
    let doc = html(&t.read("public/briefs/newer-brief/index.html"));
    let body = ".brief__body a";
    let pairs: Vec<(String, String)> = texts(&doc, body)
        .into_iter()
        .zip(attrs(&doc, body, "href"))
        .collect();
    let want = [
        (
            "Did the minister say <script>alert(1)</script> prices fell?",
            "/desk/briefs/older/",
        ),
        ("the old one", "/desk/briefs/older/"),
        ("Alpha report <b>bold</b>", "/desk/sources/alpha-report/"),
        ("Jane Doe", "/desk/claimants/jane-doe/"),
        ("economy", "/desk/tags/economy/"),
        ("False", "/desk/verdicts/false/"),
        ("a file link", "/desk/briefs/older/#main"),
    ];
    for (text, href) in want {
        assert!(
            pairs.iter().any(|(t, h)| t == text && h == href),
            "no link {text} → {href} in {pairs:#?}"
        );
    }
}

#[test]
fn yaml_text_never_becomes_markup() {
    let t = built();
    let page = t.read("public/briefs/older/index.html");
    assert!(!page.contains("<script>alert(1)</script>"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(page.contains("Prices fell by 5% &amp; wages rose."));
}

#[test]
fn entity_pages_link_to_each_other() {
    let t = built();
    let brief = html(&t.read("public/briefs/newer-brief/index.html"));
    let hrefs = attrs(&brief, "a[href]", "href");
    for h in [
        "/desk/claimants/jane-doe/",
        "/desk/verdicts/accurate/",
        "/desk/tags/geography/",
        "/desk/sources/beta-article/",
    ] {
        assert!(hrefs.iter().any(|x| x == h), "brief does not link {h}");
    }
    assert!(
        texts(&brief, "h2, h3")
            .iter()
            .any(|t| t.contains("Corrections"))
    );
    assert!(brief.html().contains("Fixed the length."));
    // Related: the explicit one first.
    let related = attrs(&brief, ".related a[href^='/desk/briefs/']", "href");
    assert_eq!(
        related.first().map(String::as_str),
        Some("/desk/briefs/older/"),
        "{related:?}"
    );

    let source = html(&t.read("public/sources/alpha-report/index.html"));
    let citing = attrs(&source, "main a[href^='/desk/briefs/']", "href");
    assert!(
        citing.contains(&"/desk/briefs/newer-brief/".into())
            && citing.contains(&"/desk/briefs/older/".into()),
        "{citing:?}"
    );

    let claimant = html(&t.read("public/claimants/jane-doe/index.html"));
    let text = claimant.root_element().text().collect::<String>();
    assert!(text.contains("Minister of Examples"));
    let tally: Vec<String> = texts(&claimant, "main").into_iter().collect();
    assert!(
        tally[0].contains("Accurate") && tally[0].contains("False"),
        "{tally:?}"
    );
    let john = html(&t.read("public/claimants/john-roe/index.html"));
    assert_eq!(texts(&john, "h1"), ["John Roe"]);
}

#[test]
fn home_is_paginated_newest_first() {
    let t = built();
    let home = html(&t.read("public/index.html"));
    let titles = texts(&home, ".brief-item__title a");
    assert_eq!(titles, ["Third brief", "Newer brief"]);
    let page2 = html(&t.read("public/page/2/index.html"));
    assert_eq!(
        texts(&page2, ".brief-item__title a"),
        ["Did the minister say <script>alert(1)</script> prices fell?"]
    );
}

#[test]
fn drafts_are_built_with_the_flag() {
    let t = SiteTest::fixture("basic");
    t.run(&["build", "--drafts"]).ok();
    assert!(t.exists("public/briefs/secret/index.html"));
}

#[test]
fn base_url_flag_overrides_site_yaml() {
    let t = SiteTest::fixture("basic");
    t.run(&["build", "--base-url", "https://other.example/"])
        .ok();
    let home = html(&t.read("public/index.html"));
    assert_eq!(
        attrs(&home, "link[rel=canonical]", "href"),
        ["https://other.example/"]
    );
    assert!(broken_links(&t.path().join("public"), "/").is_empty());
}

#[test]
fn the_example_site_builds_with_every_link_resolving() {
    let t = SiteTest::example();
    let run = t.run(&["build"]).ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let broken = broken_links(&t.path().join("public"), "/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    assert!(
        t.read("public/briefs/blinken-aid-threat/index.html")
            .contains("Corrections")
    );
}

#[test]
fn a_generated_corpus_builds_with_every_link_resolving() {
    let (t, corpus) = crate::support::corpus(300);
    let run = t.run(&["build"]).ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    // Every published brief has its page; no draft has one.
    for b in &corpus.briefs {
        let page = format!("public/briefs/{}/index.html", b.slug);
        assert_eq!(t.exists(&page), !b.draft, "{page}");
    }
    assert!(corpus.briefs.iter().any(|b| b.draft));
    let broken = broken_links(&t.path().join("public"), "/");
    assert!(
        broken.is_empty(),
        "{} broken links, e.g.\n{}",
        broken.len(),
        broken[..broken.len().min(10)].join("\n")
    );
}
