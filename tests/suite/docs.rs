//! The repository as a user gets it: the README's test command is what CI
//! runs, every link of the documentation leads somewhere, and nothing
//! refers to a folder outside the repository.

use crate::support::repo;
use std::path::{Path, PathBuf};

/// The files of the repository a user gets (no build output, no git data).
fn repository_files() -> Vec<PathBuf> {
    walkdir::WalkDir::new(repo())
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            !(e.depth() == 1 && (name == "target" || name == ".git"))
                && !(name == "target" && e.path().parent() == Some(&repo().join("fuzz")))
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

#[test]
fn ci_runs_the_readme_test_command() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let mut lines = readme.lines();
    lines.find(|l| l.trim() == "# 2. Run the tests").unwrap();
    let command = lines.next().unwrap().trim();
    assert!(command.ends_with("cargo test"), "{command}");
    let ci = std::fs::read_to_string(repo().join(".ci/run")).unwrap();
    assert!(
        ci.lines().any(|l| l.trim() == command),
        ".ci/run does not run `{command}`"
    );
}

#[test]
fn nothing_refers_to_a_folder_beside_the_repository() {
    // Built at run time, so that this file does not match itself.
    let outside = format!("..{}shared", '/');
    let mut found = Vec::new();
    for file in repository_files() {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue; // not text
        };
        for (n, line) in text.lines().enumerate() {
            if line.contains(&outside) {
                found.push(format!("{}:{}", file.display(), n + 1));
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

/// GitHub's anchor for a heading: lowercase, spaces to dashes, other
/// punctuation dropped.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The links (and image sources) of a Markdown page, and the anchors of
/// its headings, as a Markdown reader sees them (not inside code).
fn links_and_anchors(markdown: &str) -> (Vec<String>, Vec<String>) {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let (mut links, mut anchors) = (Vec::new(), Vec::new());
    let mut heading: Option<String> = None;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                links.push(dest_url.to_string())
            }
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => anchors.extend(heading.take().map(|h| anchor(&h))),
            _ => {}
        }
    }
    (links, anchors)
}

#[test]
fn every_link_of_the_documentation_resolves() {
    let mut pages = vec![repo().join("README.md"), repo().join("templates/README.md")];
    pages.extend(
        std::fs::read_dir(repo().join("docs"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "md")),
    );
    let mut broken = Vec::new();
    for page in &pages {
        let text = std::fs::read_to_string(page).unwrap();
        let dir = page.parent().unwrap();
        for target in links_and_anchors(&text).0 {
            if target.starts_with("http://") || target.starts_with("https://") {
                continue;
            }
            let (path, fragment) = match target.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (target.as_str(), None),
            };
            let file: &Path = if path.is_empty() {
                page
            } else {
                &dir.join(path)
            };
            if !file.exists() {
                broken.push(format!("{}: {target}", page.display()));
                continue;
            }
            if let Some(fragment) = fragment {
                let (_, headings) = links_and_anchors(&std::fs::read_to_string(file).unwrap());
                if !headings.iter().any(|a| a == fragment) {
                    broken.push(format!("{}: {target} (no such heading)", page.display()));
                }
            }
        }
    }
    assert!(broken.is_empty(), "{broken:#?}");
}
