//! The one-engine promise: after any sequence of edits, what `verity watch`
//! has written is byte for byte what a fresh `verity build --drafts` of the
//! same files writes, and every URL of such a build (made with the
//! server's base URL) is served by `verity serve` with the same bytes, the
//! live-reload script aside. A seeded random walk adds, edits, renames and
//! deletes briefs and sources, moves folders, edits templates, static files
//! and settings, breaks the site and fixes it, and compares after every
//! step.

use crate::live::{Running, get, poll, without_script};
use crate::support::{SiteTest, files};
use std::collections::BTreeMap;
use std::path::Path;

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.below(items.len())])
    }
}

type Files = BTreeMap<String, Vec<u8>>;

/// The site's own files (what an editor edits).
fn sources(root: &Path) -> Files {
    let mut all = files(root);
    all.retain(|k, _| {
        k == "site.yaml"
            || ["content/", "templates/", "static/"]
                .iter()
                .any(|d| k.starts_with(d))
    });
    all
}

/// Makes the site's files exactly `want` (an editor reverting).
fn restore(root: &Path, want: &Files) {
    for path in sources(root).keys() {
        if !want.contains_key(path) {
            std::fs::remove_file(root.join(path)).unwrap();
        }
    }
    for (path, bytes) in want {
        let p = root.join(path);
        if std::fs::read(&p).ok().as_ref() != Some(bytes) {
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        }
    }
}

const VERDICTS: &[&str] = &[
    "accurate",
    "mixed",
    "false",
    "unverifiable",
    "Mostly-Accurate",
];
const TAGS: &[&str] = &["economy", "geography", "Prices", "health", "energy"];

fn brief(rng: &mut Rng, n: usize, sources: &[String]) -> String {
    let source = rng
        .pick(sources)
        .cloned()
        .unwrap_or_else(|| "alpha-report".into());
    let tag = TAGS[rng.below(TAGS.len())];
    let link = [
        "[[older]]",
        "[[newer-brief|the newer one]]",
        "[[tag:economy]]",
        "",
    ][rng.below(4)];
    format!(
        "---\ntitle: Random brief {n}\ndate: 202{}-0{}-1{}\nclaim: Claim {n}.\nclaimant: {}\nverdict: {}\ntags: [{tag}]\nsources: [{source}]\n---\nBody {n} cites [@{source}]. {link}\n",
        3 + rng.below(3),
        1 + rng.below(9),
        rng.below(10),
        ["Jane Doe", "John Roe", "Ann Other"][rng.below(3)],
        VERDICTS[rng.below(VERDICTS.len())],
    )
}

/// Applies one random edit; returns its name.
fn edit(rng: &mut Rng, root: &Path, step: usize, good: &Files) -> String {
    let site = sources(root);
    let briefs: Vec<String> = site
        .keys()
        .filter(|k| k.starts_with("content/briefs/"))
        .cloned()
        .collect();
    let added: Vec<String> = briefs
        .iter()
        .filter(|k| k.contains("/r"))
        .cloned()
        .collect();
    let source_ids: Vec<String> = site
        .keys()
        .filter_map(|k| {
            k.strip_prefix("content/sources/")?
                .strip_suffix(".yaml")
                .map(str::to_string)
        })
        .collect();
    let write = |path: &str, text: &str| {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    let text = |path: &str| String::from_utf8(site[path].clone()).unwrap();
    match rng.below(16) {
        0 | 1 => {
            let dir = [
                "content/briefs/2025",
                "content/briefs/2026/deep",
                "content/briefs",
            ][rng.below(3)];
            write(&format!("{dir}/r{step}.md"), &brief(rng, step, &source_ids));
            "add brief".into()
        }
        2 | 3 => {
            let path = rng.pick(&briefs).unwrap().clone();
            let t = text(&path);
            let t = match rng.below(4) {
                0 => format!("{t}\nMore text {step}.\n"),
                1 => t.replacen("title: ", &format!("title: T{step} "), 1),
                2 => t
                    .replace(
                        "verdict: ",
                        &format!("verdict: {}\nx: ", VERDICTS[rng.below(VERDICTS.len())]),
                    )
                    .replace("\nx: ", "\nsummary: "),
                _ => t.replacen("---\n", "---\ndraft: true\n", 1),
            };
            write(&path, &t);
            "edit brief".into()
        }
        4 => match rng.pick(&added) {
            Some(path) => {
                let to = path.replace("/r", "/rn");
                std::fs::rename(root.join(path), root.join(&to)).unwrap();
                "rename brief".into()
            }
            None => edit(rng, root, step, good),
        },
        5 => match rng.pick(&added) {
            Some(path) => {
                std::fs::remove_file(root.join(path)).unwrap();
                "delete brief".into()
            }
            None => edit(rng, root, step, good),
        },
        6 => {
            write(
                &format!("content/sources/src-{step}.yaml"),
                &format!(
                    "url: https://example.com/{step}\ntitle: Source {step}\npublisher: Pub {}\nkind: report\n",
                    rng.below(3)
                ),
            );
            "add source".into()
        }
        7 => {
            let id = rng.pick(&source_ids).unwrap().clone();
            let path = format!("content/sources/{id}.yaml");
            write(
                &path,
                &text(&path).replacen("title: ", &format!("title: S{step} "), 1),
            );
            "edit source".into()
        }
        8 => match rng.pick(
            &source_ids
                .iter()
                .filter(|s| s.starts_with("src-"))
                .cloned()
                .collect::<Vec<_>>(),
        ) {
            Some(id) => {
                std::fs::remove_file(root.join(format!("content/sources/{id}.yaml"))).unwrap();
                "delete source".into()
            }
            None => edit(rng, root, step, good),
        },
        9 => {
            let path = rng.pick(&briefs).unwrap().clone();
            let broken = match rng.below(3) {
                0 => text(&path).replacen("title: ", "title: [unclosed ", 1),
                1 => text(&path).replacen("[@", "[@no-such-source; @", 1),
                _ => text(&path).replacen("verdict: ", "verdict: wrong-", 1),
            };
            write(&path, &broken);
            "break a brief".into()
        }
        10 => {
            restore(root, good);
            "fix everything".into()
        }
        11 => {
            let base = std::fs::read_to_string(crate::support::repo().join("templates/brief.html"))
                .unwrap();
            match rng.below(3) {
                0 => write(
                    "templates/brief.html",
                    &base.replacen("</article>", &format!("<p>v{step}</p></article>"), 1),
                ),
                1 => write(
                    "templates/partials/verdict-badge.html",
                    &format!("<span class=\"badge\">{{{{ verdict.label }}}} {step}</span>"),
                ),
                _ => write(
                    "templates/brief.html",
                    "{% extends \"base.html\" %}{% block main %}{{ brief.title }{% endblock %}",
                ),
            }
            "edit a template".into()
        }
        12 => {
            let overrides: Vec<String> = site
                .keys()
                .filter(|k| k.starts_with("templates/"))
                .cloned()
                .collect();
            match rng.pick(&overrides) {
                Some(path) => {
                    std::fs::remove_file(root.join(path)).unwrap();
                    "remove a template override".into()
                }
                None => edit(rng, root, step, good),
            }
        }
        13 => {
            let statics: Vec<String> = site
                .keys()
                .filter(|k| k.starts_with("static/"))
                .cloned()
                .collect();
            match (rng.below(3), rng.pick(&statics)) {
                (0, Some(path)) => {
                    std::fs::remove_file(root.join(path)).unwrap();
                    "delete a static file".into()
                }
                (1, _) => {
                    write(
                        "static/verity.css",
                        &format!("body {{ color: #{:06x} }}\n", rng.below(0xffffff)),
                    );
                    "override the stylesheet".into()
                }
                _ => {
                    write(
                        &format!("static/files/f{}.txt", rng.below(3)),
                        &format!("static {step}\n"),
                    );
                    "write a static file".into()
                }
            }
        }
        14 => {
            let dirs: Vec<std::path::PathBuf> = std::fs::read_dir(root.join("content/briefs"))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.is_dir())
                .collect();
            let from = rng.pick(&dirs).unwrap().clone();
            std::fs::rename(&from, root.join(format!("content/briefs/m{step}"))).unwrap();
            "move a folder".into()
        }
        _ => {
            let t = text("site.yaml");
            let t = if t.contains("per_page: 2") {
                t.replace("per_page: 2", "per_page: 3")
            } else {
                t.replace("per_page: 3", "per_page: 2")
            };
            write("site.yaml", &t);
            "edit the settings".into()
        }
    }
}

/// `verity watch --drafts` into a temporary folder and `verity serve` on a
/// free port, both running on one site and past their first build.
struct Live {
    outs: tempfile::TempDir,
    w: Running,
    server: Running,
}

impl Live {
    fn start(t: &SiteTest) -> Live {
        let outs = tempfile::tempdir().unwrap();
        let watched = outs.path().join("watched");
        let w = Running::start(
            t.path(),
            &["watch", "--drafts", "--output", watched.to_str().unwrap()],
        );
        w.wait_line(0, |l| l.starts_with("built "));
        let server = Running::start(t.path(), &["serve", "--port", "0"]);
        server.wait_line(0, |l| l.starts_with("built "));
        Live { outs, w, server }
    }

    /// The folder `watch` writes.
    fn watched(&self) -> std::path::PathBuf {
        self.outs.path().join("watched")
    }

    /// A fresh `build --drafts` of the site as it is now: its exit status
    /// and, when it succeeded, its files.
    fn fresh_build(&self, t: &SiteTest) -> (crate::support::Run, Files) {
        let fresh = self.outs.path().join("fresh");
        let build = t.run(&["build", "--drafts", "--output", fresh.to_str().unwrap()]);
        let out = if build.code == 0 {
            files(&fresh)
        } else {
            Files::new()
        };
        (build, out)
    }

    /// How many runs `watch` has reported failed so far.
    fn failures(&self) -> usize {
        self.w
            .lines()
            .iter()
            .filter(|l| l.contains("keeping the last good site"))
            .count()
    }

    /// After a save that broke the site (`failures` was `before`): waits
    /// for `watch` to report it and checks its folder is still `expected`.
    fn kept(&self, before: usize, expected: &Files, label: &str) {
        self.w.wait_line(0, |_| self.failures() > before);
        assert_eq!(
            files(&self.watched()),
            *expected,
            "{label}: a failed rebuild changed the output"
        );
    }

    /// Asserts that `watch`'s folder equals `expected` (a fresh `build
    /// --drafts`), and that `serve` serves every file of a fresh build made
    /// with its own base URL with the same bytes (the live-reload script
    /// aside).
    fn same_as_fresh(&self, t: &SiteTest, expected: &Files, label: &str) {
        let (w, server) = (&self.w, &self.server);
        let watched = self.watched();
        let served = self.outs.path().join("served");
        let port = server.port();
        let base = format!("http://127.0.0.1:{port}");
        let same = poll(|| (files(&watched) == *expected).then_some(()));
        t.run(&[
            "build",
            "--drafts",
            "--base-url",
            &base,
            "--output",
            served.to_str().unwrap(),
        ])
        .ok();
        let want = files(&served);
        let differ = |want: &Files| -> Vec<String> {
            want.iter()
                .filter(|(path, bytes)| {
                    let body = get(port, &format!("/{path}")).body;
                    let body = if path.ends_with(".html") {
                        without_script(&body)
                    } else {
                        body
                    };
                    body != **bytes
                })
                .map(|(path, _)| path.clone())
                .collect()
        };
        if poll(|| differ(&want).is_empty().then_some(())).is_none() {
            panic!(
                "{label}: serve differs from a fresh build in {:?}\n{}",
                differ(&want),
                server.lines().join("\n")
            );
        }
        if same.is_none() {
            let got = files(&watched);
            let differ: Vec<&String> = expected
                .keys()
                .chain(got.keys())
                .filter(|k| expected.get(*k) != got.get(*k))
                .collect();
            panic!(
                "{label}: the watched output differs from a fresh build in {differ:?}\n{}",
                w.lines().join("\n")
            );
        }
    }

    /// Stops both; each must exit cleanly.
    fn stop(self) {
        assert_eq!(self.w.interrupt(), 0);
        assert_eq!(self.server.interrupt(), 0);
    }
}

#[test]
fn random_edits_give_the_same_site_as_a_fresh_build() {
    let t = SiteTest::fixture("basic");
    let live = Live::start(&t);
    let mut expected = files(&live.watched());
    let mut good = sources(t.path());
    let mut rng = Rng(0x5eed_2026);
    let mut done: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut broken = false;
    for step in 0..100 {
        let errors_before = live.failures();
        // A broken site is fixed half the time, so most steps start good.
        let what = if broken && rng.below(2) == 0 {
            restore(t.path(), &good);
            "fix everything".to_string()
        } else {
            edit(&mut rng, t.path(), step, &good)
        };
        let (build, out) = live.fresh_build(&t);
        let tally = done.entry(what.clone()).or_default();
        broken = build.code != 0;
        let label = format!("step {step} ({what})");
        if build.code == 0 {
            tally.0 += 1;
            expected = out;
            good = sources(t.path());
            live.same_as_fresh(&t, &expected, &label);
        } else {
            tally.1 += 1;
            live.kept(errors_before, &expected, &label);
        }
    }
    // The walk must have covered good and broken states of every kind of edit.
    let (good_steps, bad_steps) = done.values().fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    eprintln!("edits (good, broken): {done:?}");
    assert!(good_steps >= 40 && bad_steps >= 10, "{done:?}");
    assert!(done.len() >= 15, "{done:?}");
    live.stop();
}

/// One edit of the corrections test: the file, what to replace, and with
/// what (an empty `from` appends).
type Change = (&'static str, &'static str, &'static str);

#[test]
fn corrections_transparency_and_policy_edits_give_the_same_site_as_a_fresh_build() {
    let t = SiteTest::fixture("record");
    let live = Live::start(&t);
    let plain = "content/briefs/plain.md";
    let kinds = "content/briefs/kinds.md";
    // (what, changes, whether the site stays good)
    let steps: &[(&str, &[Change], bool)] = &[
        (
            "retract a brief",
            &[(
                plain,
                "verdict: \"true\"\n",
                "verdict: \"true\"\ncorrections:\n  - { date: 2025-03-02, kind: retraction, note: \"Withdrawn <i>now</i>.\" }\n",
            )],
            true,
        ),
        (
            "change a correction's kind and add a hostile note",
            &[
                (kinds, "kind: clarification", "kind: update"),
                (
                    kinds,
                    "  - date: 2025-01-11\n",
                    "  - date: 2025-01-09\n    note: \"</script><script>x()</script>\"\n  - date: 2025-01-11\n",
                ),
            ],
            true,
        ),
        (
            "unmap a transparency page",
            &[("site.yaml", "  ethics: ethics\n", "")],
            true,
        ),
        (
            "make a transparency page a draft",
            &[(
                "content/pages/contact.md",
                "title: Contact\n",
                "title: Contact\ndraft: true\n",
            )],
            true,
        ),
        (
            "add policy rules as warnings",
            &[(
                "site.yaml",
                "",
                "policy:\n  level: warning\n  min_sources: 3\n  require_transparency: true\n",
            )],
            true,
        ),
        (
            "make them errors",
            &[("site.yaml", "level: warning", "level: error")],
            false,
        ),
        (
            "back to warnings",
            &[("site.yaml", "level: error", "level: warning")],
            true,
        ),
        (
            "set the claimant note",
            &[("site.yaml", "", "claimant_note: Chosen, not sampled.\n")],
            true,
        ),
        (
            "retire a verdict a later brief uses",
            &[(
                "site.yaml",
                "rating: 1, color: \"#b91c1c\"",
                "rating: 1, color: \"#b91c1c\", retired: 2025-01-01",
            )],
            false,
        ),
        (
            "move the retirement after it",
            &[("site.yaml", "retired: 2025-01-01", "retired: 2026-01-01")],
            true,
        ),
        (
            "drop a brief's corrections",
            &[(kinds, "corrections:\n", "old_corrections:\n")],
            false,
        ),
        (
            "fix the key",
            &[(kinds, "old_corrections:\n", "corrections:\n")],
            true,
        ),
        (
            "unretract",
            &[(plain, "kind: retraction", "kind: update")],
            true,
        ),
    ];
    let mut expected = files(&live.watched());
    for (step, (what, changes, good)) in steps.iter().enumerate() {
        let errors_before = live.failures();
        for (file, from, to) in *changes {
            let text = t.read(file);
            let text = if from.is_empty() {
                format!("{text}{to}")
            } else {
                assert!(text.contains(from), "{what}: {file} has no {from:?}");
                text.replacen(from, to, 1)
            };
            t.write(file, &text);
        }
        let (build, out) = live.fresh_build(&t);
        assert_eq!(build.code == 0, *good, "{what}: {}", build.stderr);
        let label = format!("step {step} ({what})");
        if *good {
            expected = out;
            live.same_as_fresh(&t, &expected, &label);
        } else {
            live.kept(errors_before, &expected, &label);
        }
    }
    // The walk did reach the states it meant to.
    let doc = crate::support::html(
        &String::from_utf8(expected["briefs/kinds/index.html"].clone()).unwrap(),
    );
    assert_eq!(
        crate::support::texts(&doc, ".corrections__list li").len(),
        5
    );
    assert_eq!(
        crate::support::texts(&doc, ".site-footer__transparency a").len(),
        3
    );
    live.stop();
}
