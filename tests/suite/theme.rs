use crate::support::{SiteTest, html, texts};

#[test]
fn a_site_template_overrides_the_built_in_one_and_extends_its_base() {
    let t = SiteTest::fixture("basic");
    t.write(
        "templates/tag.html",
        "{% extends \"base.html\" %}{% block content %}<h1 class=\"custom\">Custom tag {{ tag.name }}</h1>{% endblock %}",
    );
    t.run(&["build"]).ok();
    let page = html(&t.read("public/tags/economy/index.html"));
    assert_eq!(texts(&page, "h1.custom"), ["Custom tag economy"]);
    // Still inside the built-in layout, with its navigation.
    assert!(!texts(&page, "nav a").is_empty());
    // Other pages keep the built-in templates.
    let brief = html(&t.read("public/briefs/older/index.html"));
    assert!(texts(&brief, "h1.custom").is_empty());
}

#[test]
fn pages_make_no_external_requests_and_only_search_has_a_script() {
    let t = SiteTest::example();
    t.run(&["build"]).ok();
    for (path, bytes) in t.snapshot("public") {
        if !path.ends_with(".html") {
            continue;
        }
        let doc = html(&String::from_utf8(bytes).unwrap());
        let loaded = crate::support::attrs(
            &doc,
            "link[rel=stylesheet], script[src], img[src], link[rel=preload]",
            "href",
        );
        assert!(
            loaded.iter().all(|h| h.starts_with('/')),
            "{path}: {loaded:?}"
        );
        // The one script is the search page's own.
        let scripts = crate::support::attrs(&doc, "script", "src");
        if path == "search/index.html" {
            assert_eq!(scripts, ["/search/search.js"]);
        } else {
            assert!(scripts.is_empty(), "{path} loads a script");
        }
        // No inline code (JSON-LD data is not code).
        for script in doc.select(&scraper::Selector::parse("script").unwrap()) {
            let e = script.value();
            assert!(
                e.attr("src").is_some() || e.attr("type") == Some("application/ld+json"),
                "{path} has an inline script"
            );
        }
    }
}

/// Every page passes the Nu HTML Checker. CI installs it (.ci/run); a
/// developer without java or the jar gets a skip message saying how.
#[test]
fn every_page_is_valid_html() {
    let jar = std::env::var("VNU_JAR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| crate::support::test_tool("vnu-jar/build/dist/vnu.jar"));
    let Some(jar) = crate::support::installed(jar, "the Nu HTML Checker (it needs java)") else {
        return;
    };
    for site in [
        SiteTest::example(),
        SiteTest::fixture("basic"),
        SiteTest::fixture("record"),
    ] {
        site.run(&["build", "--drafts"]).ok();
        let out = std::process::Command::new("java")
            .arg("-jar")
            .arg(&jar)
            .args(["--errors-only", "--skip-non-html"])
            .arg(site.path().join("public"))
            .output()
            .unwrap();
        let report = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "HTML errors:\n{report}");
    }
}
