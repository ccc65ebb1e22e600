//! Snapshots (insta) of what users read in full: the `check` report of a
//! site with many kinds of mistake, and the `<main>` of each kind of page.
//! A change to them shows as a diff of the snapshot files under
//! `tests/suite/snapshots/`; review it with `cargo insta review` (or move
//! the `.snap.new` file over the `.snap` one) when the change is meant.

use crate::support::{SiteTest, html};

#[test]
fn check_report_of_a_site_with_many_mistakes() {
    let t = SiteTest::fixture("broken");
    let human = t.run(&["check"]).code(1);
    assert_eq!(human.stdout, "");
    insta::assert_snapshot!("check_human", human.stderr);
    let json = t.run(&["check", "--format", "json"]).code(1);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    insta::assert_snapshot!("check_json", serde_json::to_string_pretty(&report).unwrap());
    // Nothing was written.
    assert!(!t.exists("public"));
}

/// The `<main>` element of a built page, as written.
fn main_of(t: &SiteTest, page: &str) -> String {
    let doc = html(&t.read(page));
    let main = scraper::Selector::parse("main").unwrap();
    let mut found = doc.select(&main);
    let element = found
        .next()
        .unwrap_or_else(|| panic!("{page} has no <main>"));
    assert!(found.next().is_none(), "{page} has two <main>");
    element.html()
}

#[test]
fn main_element_of_each_kind_of_page() {
    let t = SiteTest::fixture("basic");
    t.run(&["build"]).ok();
    insta::assert_snapshot!(
        "main_brief",
        main_of(&t, "public/briefs/newer-brief/index.html")
    );
    insta::assert_snapshot!(
        "main_source",
        main_of(&t, "public/sources/alpha-report/index.html")
    );
    insta::assert_snapshot!(
        "main_claimant",
        main_of(&t, "public/claimants/jane-doe/index.html")
    );
    insta::assert_snapshot!("main_index", main_of(&t, "public/index.html"));
}
