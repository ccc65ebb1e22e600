//! `verity watch`: rebuilds of the output folder on every change.

use crate::live::{Running, poll};
use crate::support::{SiteTest, THIRD};

fn rebuilds(w: &Running) -> usize {
    w.lines()
        .iter()
        .filter(|l| l.contains(" changed: "))
        .count()
}

#[test]
fn rebuilds_on_each_save_and_keeps_the_last_good_output() {
    let t = SiteTest::fixture("basic");
    let w = Running::start(t.path(), &["watch"]);
    w.wait_line(0, |l| l.starts_with("built "));
    assert!(
        t.read("public/briefs/third/index.html")
            .contains("Third brief")
    );
    assert!(
        !t.read("public/index.html").contains("livereload"),
        "watch writes what build writes"
    );

    t.write(
        THIRD,
        &t.read(THIRD).replace("Third brief", "Third, edited"),
    );
    let line = w.wait_line(0, |l| l.contains("third.md changed"));
    assert!(
        line.contains("re-rendered") && line.ends_with(" ms"),
        "{line}"
    );
    assert!(
        t.read("public/briefs/third/index.html")
            .contains("Third, edited")
    );

    let before = t.snapshot("public");
    t.write(
        THIRD,
        &t.read(THIRD).replace("verdict: mixed", "verdict: mixd"),
    );
    w.wait_line(0, |l| l.contains("keeping the last good site"));
    assert!(
        w.lines()
            .iter()
            .any(|l| l == "  help: did you mean `mixed`?")
    );
    assert_eq!(
        t.snapshot("public"),
        before,
        "a failed rebuild writes nothing"
    );

    let seen = w.lines().len();
    t.remove(THIRD);
    w.wait_line(seen, |l| l.contains("third.md changed: re-rendered"));
    assert!(
        !t.exists("public/briefs/third"),
        "removed pages and their folders go"
    );
    assert_eq!(w.interrupt(), 0);
    let temp: Vec<_> = walkdir::WalkDir::new(t.path())
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(temp.is_empty(), "temporary files left: {temp:?}");
}

#[test]
fn a_burst_of_saves_is_one_rebuild_of_the_final_state() {
    let t = SiteTest::fixture("basic");
    let w = Running::start(t.path(), &["watch"]);
    w.wait_line(0, |l| l.starts_with("built "));
    // An editor's atomic save: a temporary file renamed over the original.
    let temp = t.path().join("content/briefs/2025/.third.md.tmp-42");
    std::fs::write(&temp, t.read(THIRD).replace("Third brief", "Atomic")).unwrap();
    std::fs::rename(&temp, t.path().join(THIRD)).unwrap();
    w.wait_line(0, |l| l.contains(" changed: re-rendered"));
    assert!(t.read("public/briefs/third/index.html").contains("Atomic"));
    assert_eq!(rebuilds(&w), 1, "{:?}", w.lines());

    // A checkout touching 200 files at once.
    let texts: Vec<(String, String)> = (0..200)
        .map(|i| {
            (
                format!("content/briefs/bulk/b{i}.md"),
                format!(
                    "---\ntitle: Bulk {i}\ndate: 2023-01-01\nclaim: C.\nclaimant: Bulk Person\nverdict: mixed\nsources: [beta-article]\n---\nText [@beta-article].\n"
                ),
            )
        })
        .collect();
    std::fs::create_dir_all(t.path().join("content/briefs/bulk")).unwrap();
    for (path, text) in &texts {
        std::fs::write(t.path().join(path), text).unwrap();
    }
    let done = poll(|| (rebuilds(&w) == 2).then_some(()));
    assert!(done.is_some(), "{:?}", w.lines());
    assert!(t.exists("public/briefs/b199/index.html"), "{:?}", w.lines());
    // Quiet for a while: no second rebuild from the same burst.
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(rebuilds(&w), 2, "{:?}", w.lines());
}
