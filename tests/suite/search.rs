use crate::support::{SiteTest, attrs, broken_links, html, texts};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The search index of a built site, read as JSON, decoded as the script
/// decodes it.
struct Index {
    dir: PathBuf,
    manifest: Value,
    /// term → (brief number, field bits), from every term chunk.
    terms: BTreeMap<String, Vec<(usize, u64)>>,
    /// Brief metadata, by brief number.
    docs: Vec<Value>,
}

fn json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

impl Index {
    fn read(out: &Path) -> Index {
        let dir = out.join("search");
        let manifest = json(&dir.join("index.json"));
        assert_eq!(manifest["version"], 1);
        let mut terms = BTreeMap::new();
        for i in 0..manifest["chunks"].as_array().unwrap().len() {
            let chunk = json(&dir.join(format!("t/{i}.json")));
            for (term, values) in chunk.as_object().unwrap() {
                let mut doc: i64 = -1;
                let postings = values
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| {
                        let v = v.as_u64().unwrap();
                        doc += (v / 16) as i64;
                        (doc as usize, v % 16)
                    })
                    .collect();
                terms.insert(term.clone(), postings);
            }
        }
        let n = manifest["docs"].as_u64().unwrap() as usize;
        let per = manifest["meta_chunk"].as_u64().unwrap() as usize;
        let mut docs = Vec::new();
        for k in 0..n.div_ceil(per) {
            docs.extend(
                json(&dir.join(format!("m/{k}.json")))
                    .as_array()
                    .unwrap()
                    .iter()
                    .cloned(),
            );
        }
        assert_eq!(docs.len(), n);
        Index {
            dir,
            manifest,
            terms,
            docs,
        }
    }

    /// The URLs of the briefs holding `term`, with its field bits.
    fn lookup(&self, term: &str) -> Vec<(String, u64)> {
        self.terms
            .get(term)
            .map(|p| {
                p.iter()
                    .map(|&(doc, bits)| (self.docs[doc]["url"].as_str().unwrap().to_string(), bits))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn urls(&self) -> Vec<&str> {
        self.docs
            .iter()
            .map(|d| d["url"].as_str().unwrap())
            .collect()
    }

    /// The term chunk holding `term`, as the script finds it: the last whose
    /// first term is not after it (JavaScript compares UTF-16 code units).
    fn chunk_of(&self, term: &str) -> Option<usize> {
        let t: Vec<u16> = term.encode_utf16().collect();
        self.manifest["chunks"]
            .as_array()
            .unwrap()
            .iter()
            .rposition(|first| first.as_str().unwrap().encode_utf16().collect::<Vec<_>>() <= t)
    }

    fn size(&self, path: &str) -> u64 {
        std::fs::metadata(self.dir.join(path)).unwrap().len()
    }
}

/// The fixture's third brief with a word, Quillwort, that only its body has.
const QUILLWORT_BRIEF: &str = "---\ntitle: Third brief\ndate: 2025-02-01\nclaim: Someone else said it.\nclaimant: John Roe\n\
     verdict: mixed\ntags: [geography]\nsources: [beta-article]\n---\n\
     Only one citation [@beta-article], and the word Quillwort.\n";

const BODY: u64 = 1;
const TITLE: u64 = 8;

#[test]
fn the_index_holds_published_briefs_only_and_finds_a_word_of_one_body() {
    let t = SiteTest::fixture("basic");
    t.write("content/briefs/2025/third.md", QUILLWORT_BRIEF);
    t.write(
        "content/briefs/2025/secret.md",
        "---\ntitle: Secret draft\ndate: 2025-03-01\nclaim: Not yet.\nclaimant: John Roe\n\
         verdict: mixed\nsources: [beta-article]\ndraft: true\n---\nDraft body with Zanzibarite [@beta-article].\n",
    );
    // Drafts stay out of the index even when the build shows them.
    for args in [&["build"][..], &["build", "--drafts"]] {
        t.run(args).ok();
        let index = Index::read(&t.path().join("public"));
        assert_eq!(
            index.urls(),
            [
                "/desk/briefs/third/",
                "/desk/briefs/newer-brief/",
                "/desk/briefs/older/"
            ],
            "published briefs, newest first"
        );
        assert_eq!(index.manifest["docs"], 3);
        assert_eq!(
            index.lookup("quillwort"),
            [("/desk/briefs/third/".to_string(), BODY)]
        );
        assert!(index.lookup("zanzibarite").is_empty(), "{args:?}");
        assert!(index.lookup("secret").is_empty(), "{args:?}");
        // Ranking data: a title word carries the title bit.
        assert!(
            index
                .lookup("third")
                .iter()
                .any(|(u, bits)| u == "/desk/briefs/third/" && bits & TITLE != 0)
        );
        // The claimant's name is searchable.
        assert!(!index.lookup("roe").is_empty());
        // Each hit carries its verdict for display.
        let third = &index.docs[0];
        let verdict = &index.manifest["verdicts"][third["verdict"].as_u64().unwrap() as usize];
        assert_eq!(verdict["key"], "mixed");
        assert_eq!(verdict["label"], "Mixed");
        assert_eq!(third["claimant"], "John Roe");
        assert_eq!(third["date"], "2025-02-01");
    }
}

#[test]
fn text_from_yaml_is_only_ever_json_string_data() {
    let t = SiteTest::fixture("basic");
    t.write(
        "content/claimants/jane-doe.yaml",
        "name: \"Jane <b onmouseover=x>Doe</b>\"\n",
    );
    t.run(&["build"]).ok();
    let out = t.path().join("public");
    // No index file holds a markup character, not even inside a string.
    for (path, bytes) in t.snapshot("public/search") {
        if path.ends_with(".json") {
            let text = String::from_utf8(bytes).unwrap();
            assert!(!text.contains(['<', '>']), "{path}: {text}");
        }
    }
    // Parsed as JSON, the same text comes back, as data.
    let index = Index::read(&out);
    let older = index
        .docs
        .iter()
        .find(|d| d["url"] == "/desk/briefs/older/")
        .unwrap();
    assert_eq!(
        older["title"],
        "Did the minister say <script>alert(1)</script> prices fell?"
    );
    assert_eq!(
        older["claim"],
        "Prices fell by 5% & wages rose. </script><!-- \"quoted\" \\ back \u{202e}RTL 🎉"
    );
    assert_eq!(older["claimant"], "Jane <b onmouseover=x>Doe</b>");
    // `script` is a word of the older brief's title (and of the newer one's
    // body, which links to it by title); the markup of bodies is not indexed.
    assert!(
        index
            .lookup("script")
            .iter()
            .any(|(u, bits)| u == "/desk/briefs/older/" && bits & TITLE != 0)
    );
    for tag_word in ["href", "class", "sup", "span"] {
        assert!(index.lookup(tag_word).is_empty(), "{tag_word}");
    }
    // The script inserts index data as text only.
    let script = t.read("public/search/search.js");
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
    ] {
        assert!(!script.contains(sink), "search.js uses {sink}");
    }
}

#[test]
fn the_search_page_and_its_links_honour_a_sub_path() {
    let t = SiteTest::fixture("basic");
    t.run(&["build"]).ok();
    let out = t.path().join("public");
    let page = html(&t.read("public/search/index.html"));
    assert_eq!(texts(&page, "h1"), ["Search"]);
    assert_eq!(
        attrs(&page, "script[src]", "src"),
        ["/desk/search/search.js"]
    );
    assert_eq!(attrs(&page, "form", "data-index"), ["/desk/search/"]);
    assert_eq!(attrs(&page, "form", "action"), ["/desk/search/"]);
    assert_eq!(attrs(&page, "label[for=search-input]", "for").len(), 1);
    assert_eq!(
        attrs(&page, "[role=status][aria-live=polite]", "id"),
        ["search-status"]
    );
    // Without JavaScript: a message linking to the tag and claimant indexes
    // (scraper, like a browser with scripts, reads <noscript> as text).
    let noscript = texts(&page, "noscript").join(" ");
    assert!(noscript.contains("href=\"/desk/tags/\""), "{noscript}");
    assert!(noscript.contains("href=\"/desk/claimants/\""), "{noscript}");
    // Every page links to it from the navigation.
    let home = html(&t.read("public/index.html"));
    assert!(attrs(&home, "nav a", "href").contains(&"/desk/search/".to_string()));
    assert!(broken_links(&out, "/desk/").is_empty());
    let index = Index::read(&out);
    assert!(index.urls().iter().all(|u| u.starts_with("/desk/briefs/")));
    for v in index.manifest["verdicts"].as_array().unwrap() {
        assert!(v["url"].as_str().unwrap().starts_with("/desk/verdicts/"));
    }

    // --base-url moves every URL, in the page and in the index.
    t.run(&["build", "--base-url", "https://other.example/fact/"])
        .ok();
    let page = html(&t.read("public/search/index.html"));
    assert_eq!(
        attrs(&page, "script[src]", "src"),
        ["/fact/search/search.js"]
    );
    assert_eq!(attrs(&page, "form", "data-index"), ["/fact/search/"]);
    let index = Index::read(&out);
    assert!(index.urls().iter().all(|u| u.starts_with("/fact/briefs/")));
    assert!(broken_links(&out, "/fact/").is_empty());
}

#[test]
fn on_a_generated_site_a_first_query_downloads_little_and_finds_a_body_word() {
    let (t, corpus) = crate::support::corpus(300);
    // Plant a word in one published body: the corpus draws every word from
    // one small vocabulary, so no word of its own is unique to a brief.
    let brief = corpus.published().nth(150).unwrap();
    let planted = &t.path().join(brief.file());
    let mut text = std::fs::read_to_string(planted).unwrap();
    text.push_str("\nAn archive note mentions zqxjvorple only here.\n");
    std::fs::write(planted, text).unwrap();
    let slug = &brief.slug;

    t.run(&["build"]).ok();
    let out = t.path().join("public");
    let index = Index::read(&out);
    assert_eq!(index.docs.len(), corpus.published().count());
    assert_eq!(
        index.lookup("zqxjvorple"),
        [(format!("/briefs/{slug}/"), BODY)]
    );

    // A typical first query, "minister report": the page, its stylesheet
    // and script, the manifest, the term chunks the two words need (the
    // last one as a prefix too) and the metadata of the first ten hits.
    let m = &index.manifest;
    let chunks = m["chunks"].as_array().unwrap();
    let first = index.chunk_of("minister").unwrap();
    let last = index.chunk_of("report").unwrap();
    let last_prefix = index.chunk_of("report\u{ffff}").unwrap();
    let mut needed: Vec<usize> = vec![first];
    needed.extend(last..=last_prefix);
    needed.sort_unstable();
    needed.dedup();
    assert!(needed.len() <= 3, "{needed:?} of {} chunks", chunks.len());
    // The hits: briefs with both words, best first (as search.js ranks them).
    let a: BTreeMap<usize, u64> = index.terms["minister"].iter().copied().collect();
    let mut hits: Vec<(usize, u64)> = index.terms["report"]
        .iter()
        .filter_map(|&(d, b)| a.get(&d).map(|&ba| (d, b + ba)))
        .collect();
    hits.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    assert!(!hits.is_empty());
    let per = m["meta_chunk"].as_u64().unwrap() as usize;
    let mut metas: Vec<usize> = hits.iter().take(10).map(|h| h.0 / per).collect();
    metas.sort_unstable();
    metas.dedup();
    let mut total = 0;
    for path in ["index.html", "search.js", "index.json"] {
        total += index.size(path);
    }
    total += std::fs::metadata(out.join("verity.css")).unwrap().len();
    for i in &needed {
        total += index.size(&format!("t/{i}.json"));
    }
    for k in &metas {
        total += index.size(&format!("m/{k}.json"));
    }
    eprintln!(
        "300 briefs: first query downloads {total} bytes ({} term chunks, {} metadata chunks)",
        needed.len(),
        metas.len()
    );
    assert!(total < 150_000, "first query downloads {total} bytes");
    // No term chunk is large unless one term's postings make it so.
    for i in 0..chunks.len() {
        let size = index.size(&format!("t/{i}.json"));
        let chunk = json(&index.dir.join(format!("t/{i}.json")));
        assert!(
            size <= 20_000 || chunk.as_object().unwrap().len() == 1,
            "t/{i}.json: {size} bytes"
        );
    }
}

/// A real browser runs the script: the page served from 127.0.0.1 under the
/// site's sub-path finds a brief by a word of its body (typed in part: the
/// last word matches as a prefix), and shows a title holding `<script>` as
/// text. Skipped where Chromium is not installed.
#[test]
fn in_chromium_the_search_page_finds_a_body_word_and_shows_markup_as_text() {
    let t = SiteTest::fixture("basic");
    t.write("content/briefs/2025/third.md", QUILLWORT_BRIEF);
    t.run(&["build"]).ok();
    let server = crate::support::StaticServer::start(&t.path().join("public"), "/desk/");
    let base = format!("http://127.0.0.1:{}/desk/search/", server.port);
    let Some(dom) = crate::support::chromium_dom(&format!("{base}?q=quillw")) else {
        eprintln!("skipped: headless chromium is not installed");
        return;
    };
    let doc = html(&dom);
    assert_eq!(texts(&doc, "#search-status"), ["1 brief matches “quillw”."]);
    assert_eq!(
        attrs(&doc, "#search-results .brief-item__title a", "href"),
        ["/desk/briefs/third/"]
    );
    assert_eq!(
        texts(&doc, "#search-results .verdict-badge"),
        ["Verdict: Mixed"]
    );
    // The script folds case and diacritics as the build does.
    let dom = crate::support::chromium_dom(&format!("{base}?q=QU%C3%8DLLW")).unwrap();
    assert_eq!(
        attrs(&html(&dom), "#search-results .brief-item__title a", "href"),
        ["/desk/briefs/third/"]
    );
    let fetched: Vec<String> = server
        .log
        .lock()
        .unwrap()
        .iter()
        .map(|(p, _)| p.clone())
        .collect();
    assert!(
        fetched
            .iter()
            .any(|p| p.starts_with("/desk/search/t/0.json?v=")),
        "{fetched:?}"
    );

    let dom = crate::support::chromium_dom(&format!("{base}?q=alert%20prices")).unwrap();
    let doc = html(&dom);
    assert_eq!(
        texts(&doc, "#search-results .brief-item__title a")[0],
        "Did the minister say <script>alert(1)</script> prices fell?"
    );
    assert_eq!(attrs(&doc, "script", "src"), ["/desk/search/search.js"]);
    assert_eq!(
        attrs(&doc, "#search-results b, #search-results script", "src").len(),
        0
    );
}

/// The "done when", on the example site: a word that occurs only in
/// one brief's body finds that brief, in the index and in a browser.
#[test]
fn on_the_example_site_a_word_only_in_one_body_finds_its_brief() {
    let t = SiteTest::example();
    let file = t.read("content/briefs/2025/jns-white-house-threat.md");
    let (front, body) = file[3..].split_once("\n---\n").unwrap();
    assert!(body.contains("imprecisions") && !front.contains("imprecisions"));
    t.run(&["build"]).ok();
    let index = Index::read(&t.path().join("public"));
    assert_eq!(
        index.lookup("imprecisions"),
        [("/briefs/jns-white-house-threat/".to_string(), BODY)]
    );
    let server = crate::support::StaticServer::start(&t.path().join("public"), "/");
    let url = format!("http://127.0.0.1:{}/search/?q=imprecisions", server.port);
    let Some(dom) = crate::support::chromium_dom(&url) else {
        eprintln!("skipped the browser check: headless chromium is not installed");
        return;
    };
    let doc = html(&dom);
    assert_eq!(
        attrs(&doc, "#search-results .brief-item__title a", "href"),
        ["/briefs/jns-white-house-threat/"]
    );
}
