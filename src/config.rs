//! `site.yaml` → [`SiteConfig`]: every key optional, every default here,
//! including the default verdict scale of SPEC §5.

use crate::dates::Date;
use crate::diagnostics::{Diagnostic, Diagnostics, suggest_or_list};
use crate::fields::{Doc, Fields, check_http_url};
use crate::{fs, slug, yaml};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The settings of one site, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteConfig {
    /// The site's name.
    pub title: String,
    /// Absolute base URL without a trailing slash.
    pub base_url: String,
    /// The path every internal link starts with, ending in `/` (`/desk/`).
    pub root: String,
    /// One sentence about the site.
    pub description: Option<String>,
    /// BCP 47 language tag of the content.
    pub language: String,
    /// Who publishes the checks.
    pub publisher: Publisher,
    /// Authors by id.
    pub authors: BTreeMap<String, Author>,
    /// Briefs per page on the home page.
    pub per_page: usize,
    /// Entries in each Atom feed.
    pub feed_limit: usize,
    /// What happens to raw HTML in Markdown bodies (`raw_html:`,
    /// `embed_hosts:`; `safe: true` is the old spelling of `raw_html: none`).
    pub raw_html: RawHtml,
    /// Write the `_headers` file for static hosts (`headers: false` stops it).
    pub headers: bool,
    /// The verdict scale, best first.
    pub verdicts: Vec<Verdict>,
    /// Rules the desk holds its own briefs to (`policy:`).
    pub policy: Policy,
    /// Where `policy:` is written in `site.yaml` (line, column).
    pub policy_at: (usize, usize),
    /// The free pages that say how the desk works (`transparency:`).
    pub transparency: Transparency,
    /// The line under a claimant's tally saying what the shares do not
    /// mean (`claimant_note:`).
    pub claimant_note: String,
    /// The `User-Agent` of `verity sources` (`user_agent:`); by default one
    /// naming Verity and the site.
    pub user_agent: Option<String>,
    /// Write a share card per brief (`cards: false` stops it).
    pub cards: bool,
    /// The licence of the site's data (`license:`): an SPDX licence id or
    /// the URL of a licence.
    pub license: Option<License>,
}

/// The licence a site publishes its briefs under (`license:`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct License {
    /// As written: an SPDX id (`CC-BY-4.0`) or a URL.
    pub id: String,
    /// A URL for it: the URL written, or the SPDX page of the id.
    pub url: String,
}

impl License {
    /// The licence written as `text`: a URL is taken as it is; anything
    /// else must look like an SPDX id or expression (letters, digits and
    /// `.-+()`, words joined by spaces such as `CC-BY-4.0 OR MIT`). The
    /// SPDX list itself is not checked: new ids appear every year.
    pub fn parse(text: &str) -> Result<License, String> {
        let text = text.trim();
        if text.contains("://") {
            check_http_url(text)?;
            return Ok(License {
                id: text.to_string(),
                url: text.to_string(),
            });
        }
        let valid = !text.is_empty()
            && text.chars().any(|c| c.is_ascii_alphanumeric())
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-+() ".contains(c));
        if !valid {
            return Err(format!(
                "`license` must be an SPDX licence id (such as `CC-BY-4.0`) or an http(s) URL, not `{text}`"
            ));
        }
        let url = if text.contains(' ') || text.contains('(') {
            "https://spdx.org/licenses/".to_string()
        } else {
            format!("https://spdx.org/licenses/{text}.html")
        };
        Ok(License {
            id: text.to_string(),
            url,
        })
    }
}

/// `policy:` in `site.yaml`: rules that `check` and `build` enforce on top
/// of the content contract. Every rule is off unless set; a new rule is a
/// new field here (with `#[serde(default)]`) and a check that reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// Every cited source must have an `archived` copy.
    pub require_archive: bool,
    /// A published brief declares at least this many sources.
    pub min_sources: Option<usize>,
    /// A published brief's sources come from at least this many distinct
    /// publishers.
    pub min_publishers: Option<usize>,
    /// A published brief says when the claim was made (`claim_date`).
    pub require_claim_date: bool,
    /// A published brief names where the claim appeared (`appearance`).
    pub require_appearance: bool,
    /// Every page of `transparency:` is mapped, exists and is published.
    pub require_transparency: bool,
    /// Whether a broken rule fails the build (`error`, the default) or is
    /// only reported (`warning`).
    pub level: PolicyLevel,
}

/// `policy.level`: what a broken rule of `policy:` is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PolicyLevel {
    /// The build fails.
    #[default]
    Error,
    /// The build goes on; the finding is printed.
    Warning,
}

impl<'de> Deserialize<'de> for PolicyLevel {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        match text.trim() {
            "error" => Ok(PolicyLevel::Error),
            "warning" => Ok(PolicyLevel::Warning),
            other => Err(serde::de::Error::custom(format!(
                "`level` must be `error` or `warning`, not `{other}`"
            ))),
        }
    }
}

/// The pages a desk publishes about how it works, as `transparency:` maps
/// them (each to the slug of a free page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TransparencyPage {
    /// How claims are chosen and checked (`methodology`).
    Methodology,
    /// How errors are corrected (`corrections_policy`).
    CorrectionsPolicy,
    /// Who owns and funds the desk (`ownership_funding`).
    OwnershipFunding,
    /// How to reach the desk (`contact`).
    Contact,
    /// The desk's ethics code (`ethics`).
    Ethics,
}

impl TransparencyPage {
    /// Every page, in the order the theme lists them.
    pub const ALL: [TransparencyPage; 5] = [
        TransparencyPage::Methodology,
        TransparencyPage::CorrectionsPolicy,
        TransparencyPage::OwnershipFunding,
        TransparencyPage::Ethics,
        TransparencyPage::Contact,
    ];

    /// Its key under `transparency:`.
    pub fn key(self) -> &'static str {
        match self {
            TransparencyPage::Methodology => "methodology",
            TransparencyPage::CorrectionsPolicy => "corrections_policy",
            TransparencyPage::OwnershipFunding => "ownership_funding",
            TransparencyPage::Contact => "contact",
            TransparencyPage::Ethics => "ethics",
        }
    }

    /// The link text readers see.
    pub fn label(self) -> &'static str {
        match self {
            TransparencyPage::Methodology => "How we check claims",
            TransparencyPage::CorrectionsPolicy => "Corrections policy",
            TransparencyPage::OwnershipFunding => "Ownership and funding",
            TransparencyPage::Contact => "Contact",
            TransparencyPage::Ethics => "Ethics",
        }
    }
}

/// `transparency:` in `site.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transparency {
    /// Each mapped page: which one, the slug of its free page, and where
    /// the slug is written in `site.yaml` (line, column).
    pub pages: Vec<(TransparencyPage, String, (usize, usize))>,
    /// Where `transparency:` is written (line, column), if it is.
    pub at: Option<(usize, usize)>,
}

impl Transparency {
    /// The slug mapped to `page`, if any.
    pub fn slug(&self, page: TransparencyPage) -> Option<&str> {
        self.pages
            .iter()
            .find(|(p, _, _)| *p == page)
            .map(|(_, slug, _)| slug.as_str())
    }
}

/// The default of `claimant_note:`.
pub const DEFAULT_CLAIMANT_NOTE: &str = "We choose claims to check because they are prominent or consequential, not at random. These counts describe the claims we checked, not how often this claimant is right.";

/// What a build does with raw HTML in Markdown bodies (`raw_html:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RawHtmlMode {
    /// `sanitize` (the default): keep what the allowlist of
    /// `markdown::sanitize` permits, drop the rest with a warning.
    #[default]
    Sanitize,
    /// `trusted`: publish raw HTML exactly as written.
    Trusted,
    /// `none` (or `safe: true`): replace every raw HTML block and tag with
    /// `<!-- raw HTML omitted -->`.
    Omit,
}

/// The raw-HTML settings of a site.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawHtml {
    /// What happens to raw HTML.
    pub mode: RawHtmlMode,
    /// Hosts (lowercase) whose `https:` iframes survive sanitising
    /// (`embed_hosts:`).
    pub embed_hosts: Vec<String>,
}

/// The organisation that publishes the site.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publisher {
    /// Its name.
    pub name: String,
    /// Its home page.
    #[serde(default)]
    pub url: Option<String>,
    /// Its logo: an absolute URL or a path under the site.
    #[serde(default)]
    pub logo: Option<String>,
}

/// A person or team writing briefs.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Author {
    /// Display name.
    pub name: String,
    /// Profile page.
    #[serde(default)]
    pub url: Option<String>,
}

/// One step of the verdict scale.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verdict {
    /// What briefs write in `verdict:` (matched case-insensitively).
    pub key: String,
    /// What readers see.
    pub label: String,
    /// Numeric rating for ClaimReview, higher is better; `None` for no rating.
    #[serde(default)]
    pub rating: Option<i64>,
    /// Badge colour (CSS).
    #[serde(default = "default_color")]
    pub color: String,
    /// What the verdict means.
    #[serde(default)]
    pub description: Option<String>,
    /// `retired: YYYY-MM-DD`: briefs dated on or after it may no longer
    /// use the verdict (as written; read into `retired_on`).
    #[serde(default)]
    pub retired: Option<String>,
    /// The key of the verdict that replaces a retired one.
    #[serde(default)]
    pub replaced_by: Option<String>,
    /// `retired`, parsed.
    #[serde(skip)]
    pub retired_on: Option<Date>,
}

fn default_color() -> String {
    "#555555".to_string()
}

const KEYS: &[&str] = &[
    "title",
    "base_url",
    "description",
    "language",
    "publisher",
    "authors",
    "per_page",
    "feed_limit",
    "safe",
    "raw_html",
    "embed_hosts",
    "headers",
    "verdicts",
    "policy",
    "transparency",
    "claimant_note",
    "user_agent",
    "cards",
    "license",
];

/// Base URL used when `site.yaml` sets none: the preview server's address.
pub const DEFAULT_BASE_URL: &str = "http://127.0.0.1:1111";

impl SiteConfig {
    /// The settings of a site without `site.yaml`.
    pub fn default_for(base_url: &str) -> SiteConfig {
        let (base_url, root) = split_base_url(base_url);
        SiteConfig {
            title: "Verity".to_string(),
            base_url,
            root,
            description: None,
            language: "en".to_string(),
            publisher: Publisher {
                name: "Verity".to_string(),
                url: None,
                logo: None,
            },
            authors: BTreeMap::new(),
            per_page: 20,
            feed_limit: 20,
            raw_html: RawHtml::default(),
            headers: true,
            verdicts: default_verdicts(),
            policy: Policy::default(),
            policy_at: (1, 1),
            transparency: Transparency::default(),
            claimant_note: DEFAULT_CLAIMANT_NOTE.to_string(),
            user_agent: None,
            cards: true,
            license: None,
        }
    }

    /// Sets the base URL (from `--base-url`).
    pub fn set_base_url(&mut self, base_url: &str) {
        (self.base_url, self.root) = split_base_url(base_url);
    }

    /// The URL path of `path` under the site (`briefs/x/` → `/desk/briefs/x/`);
    /// `path` comes from [`crate::urls`].
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.root, path)
    }

    /// The absolute URL of a URL path made by [`SiteConfig::url`].
    pub fn permalink(&self, url: &str) -> String {
        let rest = url
            .strip_prefix(&self.root)
            .unwrap_or(url.trim_start_matches('/'));
        format!("{}/{}", self.base_url, rest)
    }

    /// The position in the scale of the verdict with exactly this key
    /// (briefs hold the canonical key after loading).
    pub fn verdict_index(&self, key: &str) -> Option<usize> {
        self.verdicts.iter().position(|v| v.key == key)
    }

    /// The verdict whose key matches `key` case-insensitively.
    pub fn verdict(&self, key: &str) -> Option<&Verdict> {
        self.verdicts
            .iter()
            .find(|v| v.key.eq_ignore_ascii_case(key.trim()))
    }
}

/// `https://example.org/desk/` → (`https://example.org/desk`, `/desk/`).
fn split_base_url(base_url: &str) -> (String, String) {
    let trimmed = base_url.trim().trim_end_matches('/').to_string();
    let path = url::Url::parse(&trimmed)
        .map(|u| u.path().trim_end_matches('/').to_string())
        .unwrap_or_default();
    (trimmed, format!("{path}/"))
}

fn default_verdicts() -> Vec<Verdict> {
    let v = |key: &str, label: &str, rating: Option<i64>, color: &str, description: &str| Verdict {
        key: key.to_string(),
        label: label.to_string(),
        rating,
        color: color.to_string(),
        description: Some(description.to_string()),
        retired: None,
        replaced_by: None,
        retired_on: None,
    };
    vec![
        v(
            "accurate",
            "Accurate",
            Some(5),
            "#1b7f3b",
            "The claim is correct and nothing significant is missing.",
        ),
        v(
            "mostly-accurate",
            "Mostly accurate",
            Some(4),
            "#4d7c0f",
            "The claim is correct but needs clarification or additional information.",
        ),
        v(
            "mixed",
            "Mixed",
            Some(3),
            "#a16207",
            "The claim is partly correct and partly wrong.",
        ),
        v(
            "misleading",
            "Misleading",
            Some(2),
            "#c2410c",
            "The claim contains some truth but leaves a false impression.",
        ),
        v("false", "False", Some(1), "#b91c1c", "The claim is wrong."),
        v(
            "unverifiable",
            "Unverifiable",
            None,
            "#4b5563",
            "The available evidence can neither prove nor disprove the claim.",
        ),
    ]
}

/// Reads `ROOT/site.yaml` (defaults when absent).
pub fn load(root: &Path) -> anyhow::Result<Result<SiteConfig, Diagnostics>> {
    let path = root.join("site.yaml");
    if !path.exists() {
        return Ok(Ok(SiteConfig::default_for(DEFAULT_BASE_URL)));
    }
    let text = fs::read_text(&path)?;
    Ok(parse(&text))
}

/// Parses the text of `site.yaml`.
pub fn parse(text: &str) -> Result<SiteConfig, Diagnostics> {
    let file = "site.yaml";
    let doc = Doc {
        file,
        first_line: 1,
    };
    let mut diagnostics = Diagnostics::new();
    let value = match yaml::parse(text) {
        Ok(v) => v,
        Err(e) => {
            diagnostics.push(Diagnostic::error(
                file,
                e.line,
                e.col,
                format!("invalid YAML: {}", e.message),
            ));
            return Err(diagnostics);
        }
    };
    let mut f = Fields::read(doc, value, KEYS, "site settings");
    let base = f.url("base_url", false);
    let mut config = SiteConfig::default_for(base.as_deref().unwrap_or(DEFAULT_BASE_URL));
    if let Some(title) = f.text("title", false) {
        config.title = title;
    }
    config.description = f.text("description", false);
    if let Some(language) = f.text("language", false) {
        config.language = language;
    }
    if let Some(n) = f.count("per_page") {
        config.per_page = n;
    }
    if let Some(n) = f.count("feed_limit") {
        config.feed_limit = n;
    }
    config.raw_html = raw_html(&mut f, &config.base_url);
    config.headers = f.flag_or("headers", true);
    if let Some((publisher, node)) = typed::<Publisher>(&mut f, "publisher") {
        check_optional_url(
            &mut f,
            "publisher",
            publisher.url.as_deref(),
            node.get("url"),
        );
        config.publisher = publisher;
    } else {
        config.publisher.name = config.title.clone();
    }
    if let Some((authors, node)) = typed::<BTreeMap<String, Author>>(&mut f, "authors") {
        for (id, author) in &authors {
            let (key, value) = node.entry(id).unzip();
            if !slug::is_valid(id) {
                let d = f
                    .error_in(
                        "authors",
                        key,
                        format!("author id `{id}` must be lowercase letters, digits and dashes"),
                    )
                    .with_help(format!("use `{}`", slug::slugify(id)));
                f.push(d);
            }
            let url = value.and_then(|v| v.get("url"));
            check_optional_url(&mut f, "authors", author.url.as_deref(), url);
        }
        config.authors = authors;
    }
    if let Some((mut verdicts, node)) = typed::<Vec<Verdict>>(&mut f, "verdicts") {
        check_verdicts(&mut f, &mut verdicts, node.items());
        config.verdicts = verdicts;
    }
    config.policy_at = f.key_pos("policy");
    if let Some((policy, _)) = typed::<Policy>(&mut f, "policy") {
        config.policy = policy;
    }
    config.transparency = transparency(&mut f);
    if let Some(note) = f.text("claimant_note", false) {
        config.claimant_note = note;
    }
    config.user_agent = f.text("user_agent", false);
    config.cards = f.flag_or("cards", true);
    if let Some(text) = f.text("license", false) {
        match License::parse(&text) {
            Ok(license) => config.license = Some(license),
            Err(message) => {
                let d = f.error_at_value("license", message);
                f.push(d);
            }
        }
    }
    diagnostics.extend(f.diagnostics);
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        Ok(config)
    }
}

/// `raw_html:` (with its alias `safe: true`) and `embed_hosts:`.
fn raw_html(f: &mut Fields<'_>, base_url: &str) -> RawHtml {
    let safe = f.flag("safe");
    let written = f.text("raw_html", false);
    let mode = match written.as_deref().map(str::trim) {
        None if safe => RawHtmlMode::Omit,
        None | Some("sanitize") => RawHtmlMode::Sanitize,
        Some("trusted") => RawHtmlMode::Trusted,
        Some("none") => RawHtmlMode::Omit,
        Some(other) => {
            let d = f
                .error_at_value(
                    "raw_html",
                    format!("`raw_html` must be `sanitize`, `trusted` or `none`, not `{other}`"),
                )
                .with_optional_help(crate::diagnostics::suggest(
                    other,
                    ["sanitize", "trusted", "none"],
                ));
            f.push(d);
            RawHtmlMode::Sanitize
        }
    };
    if safe && written.is_some() && mode != RawHtmlMode::Omit {
        let d = f
            .error_at("safe", "`safe: true` contradicts `raw_html`")
            .with_help("`safe: true` is the old spelling of `raw_html: none`; keep one of the two");
        f.push(d);
    }
    let own_host = url::Url::parse(base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase));
    let mut embed_hosts = Vec::new();
    for written in f.list("embed_hosts") {
        let file = f.doc().file;
        let (line, col) = written.at;
        let written = written.text;
        match embed_host(&written) {
            Ok(host) if Some(&host) == own_host.as_ref() => {
                let d = Diagnostic::error(
                    file,
                    line,
                    col,
                    format!("`embed_hosts` cannot list the site's own host `{host}`"),
                )
                .with_help(
                    "embedded players run scripts in a sandbox that is only safe for another site",
                );
                f.push(d);
            }
            Ok(host) => embed_hosts.push(host),
            Err(help) => {
                let d = Diagnostic::error(
                    file,
                    line,
                    col,
                    format!("`embed_hosts`: `{}` is not a host name", written.trim()),
                )
                .with_help(help);
                f.push(d);
            }
        }
    }
    RawHtml { mode, embed_hosts }
}

/// A host name as written in `embed_hosts` (`www.youtube-nocookie.com`),
/// lowercased; `Err` carries a hint.
fn embed_host(written: &str) -> Result<String, String> {
    let written = written.trim();
    let parsed = url::Url::parse(&format!("https://{written}/"));
    match parsed {
        Ok(u)
            if u.host_str()
                .is_some_and(|h| h.eq_ignore_ascii_case(written))
                && u.port().is_none()
                && matches!(u.host(), Some(url::Host::Domain(_))) =>
        {
            Ok(written.to_ascii_lowercase())
        }
        _ => {
            let bare = url::Url::parse(written)
                .ok()
                .and_then(|u| u.host_str().map(str::to_string));
            Err(match bare {
                Some(host) => format!("write the host alone: `{host}`"),
                None => "write a host name alone, e.g. `www.youtube-nocookie.com`".to_string(),
            })
        }
    }
}

/// The value of `key` read into `T`, with its node for the positions of
/// its parts.
fn typed<T: serde::de::DeserializeOwned>(f: &mut Fields<'_>, key: &str) -> Option<(T, yaml::Node)> {
    let value = f.take(key)?;
    match yaml::from_node::<T>(&value) {
        Ok(t) => Some((t, value)),
        Err(message) => {
            let d = f.error_at(key, format!("`{key}`: {message}"));
            f.push(d);
            None
        }
    }
}

/// Checks `url`, the value of `node` inside the value of `key`.
fn check_optional_url(f: &mut Fields<'_>, key: &str, url: Option<&str>, node: Option<&yaml::Node>) {
    if let Some(url) = url
        && let Err(message) = check_http_url(url)
    {
        let d = f.error_in(key, node, format!("`{key}`: {message}"));
        f.push(d);
    }
}

/// `transparency:`: each known page mapped to a valid slug.
fn transparency(f: &mut Fields<'_>) -> Transparency {
    let doc = f.doc();
    let at = f.key_pos("transparency");
    let Some(value) = f.take("transparency") else {
        return Transparency::default();
    };
    let keys = TransparencyPage::ALL.map(TransparencyPage::key);
    let mut out = Transparency {
        pages: Vec::new(),
        at: Some(at),
    };
    let yaml::Kind::Mapping(pairs) = &value.kind else {
        let d = f
            .error_at("transparency", "`transparency` must map pages to slugs")
            .with_help("e.g. `transparency: { methodology: how-we-work, contact: contact }`");
        f.push(d);
        return out;
    };
    for (key, slug) in pairs {
        let name = key.text().unwrap_or_default();
        let Some(page) = TransparencyPage::ALL.into_iter().find(|p| p.key() == name) else {
            let help = suggest_or_list(name, &keys);
            let d = doc
                .error(key.at, format!("unknown transparency page `{name}`"))
                .with_help(help);
            f.push(d);
            continue;
        };
        match slug.text() {
            Some(s) if slug::is_valid(s) => out.pages.push((page, s.to_string(), doc.pos(slug.at))),
            written => {
                let d = doc
                    .error(
                        slug.at,
                        format!("`transparency.{name}` must be the slug of a free page"),
                    )
                    .with_help(format!(
                        "write the slug of a page under content/pages/, e.g. `{}`",
                        written.map_or_else(|| "methodology".to_string(), slug::slugify)
                    ));
                f.push(d);
            }
        }
    }
    out
}

/// Checks the scale, and reads each `retired` date; `nodes` are the
/// verdicts' entries as parsed.
fn check_verdicts(f: &mut Fields<'_>, verdicts: &mut [Verdict], nodes: &[yaml::Node]) {
    let all: Vec<String> = verdicts.iter().map(|v| v.key.clone()).collect();
    for (v, node) in verdicts.iter_mut().zip(nodes) {
        if let Some(written) = &v.retired {
            match Date::parse(written) {
                Ok(date) => v.retired_on = Some(date),
                Err(message) => {
                    let d = f.error_in(
                        "verdicts",
                        node.get("retired"),
                        format!("`retired`: {message}"),
                    );
                    f.push(d);
                }
            }
        }
        if let Some(next) = &v.replaced_by {
            if v.retired.is_none() {
                let d = f
                    .error_in(
                        "verdicts",
                        node.get("replaced_by"),
                        format!(
                            "verdict `{}` has `replaced_by` but no `retired` date",
                            v.key
                        ),
                    )
                    .with_help("add `retired: YYYY-MM-DD`, the day briefs stop using it");
                f.push(d);
            }
            match all.iter().find(|k| k.eq_ignore_ascii_case(next.trim())) {
                Some(k) if *k == v.key => {
                    let d = f.error_in(
                        "verdicts",
                        node.get("replaced_by"),
                        format!("verdict `{}` cannot replace itself", v.key),
                    );
                    f.push(d);
                }
                Some(k) => v.replaced_by = Some(k.clone()),
                None => {
                    let keys: Vec<&str> = all.iter().map(String::as_str).collect();
                    let help = suggest_or_list(next, &keys);
                    let d = f
                        .error_in(
                            "verdicts",
                            node.get("replaced_by"),
                            format!("`replaced_by` names `{next}`, which is not on the scale"),
                        )
                        .with_help(help);
                    f.push(d);
                }
            }
        }
    }
    check_keys(f, verdicts, nodes);
}

/// Every key of the scale is a valid slug, and appears once.
fn check_keys(f: &mut Fields<'_>, verdicts: &[Verdict], nodes: &[yaml::Node]) {
    if verdicts.is_empty() {
        let d = f.error_at("verdicts", "`verdicts` must list at least one verdict");
        f.push(d);
    }
    let mut seen = std::collections::BTreeSet::new();
    for (v, node) in verdicts.iter().zip(nodes) {
        let key = node.get("key");
        if !slug::is_valid(&v.key) {
            let d = f
                .error_in(
                    "verdicts",
                    key,
                    format!(
                        "verdict key `{}` must be lowercase letters, digits and dashes",
                        v.key
                    ),
                )
                .with_help(format!("use `{}`", slug::slugify(&v.key)));
            f.push(d);
        }
        if !seen.insert(v.key.to_lowercase()) {
            let d = f.error_in(
                "verdicts",
                key,
                format!("verdict key `{}` appears twice", v.key),
            );
            f.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_sub_path() {
        let c = parse("title: Desk\nbase_url: https://example.org/desk/\n").unwrap();
        assert_eq!(c.base_url, "https://example.org/desk");
        assert_eq!(c.root, "/desk/");
        assert_eq!(c.verdicts.len(), 6);
        assert_eq!(c.publisher.name, "Desk");
        assert_eq!(c.verdict("FALSE").map(|v| v.rating), Some(Some(1)));
    }

    #[test]
    fn policy_is_off_unless_set_and_rejects_unknown_rules() {
        assert!(!parse("title: x\n").unwrap().policy.require_archive);
        let c = parse("policy:\n  require_archive: true\n").unwrap();
        assert!(c.policy.require_archive);
        let err = parse("policy: {require_archiv: true}\n").unwrap_err();
        assert!(err.human().contains("site.yaml:1:1"), "{}", err.human());
        assert!(err.human().contains("require_archiv"), "{}", err.human());
    }

    #[test]
    fn cards_and_license() {
        let c = parse("title: x\n").unwrap();
        assert!(c.cards);
        assert_eq!(c.license, None);
        let c = parse("cards: false\nlicense: CC-BY-4.0\n").unwrap();
        assert!(!c.cards);
        let license = c.license.unwrap();
        assert_eq!(license.url, "https://spdx.org/licenses/CC-BY-4.0.html");
        let c = parse("license: https://example.org/terms\n").unwrap();
        assert_eq!(c.license.unwrap().url, "https://example.org/terms");
        let err = parse("license: \"<b>free</b>\"\n").unwrap_err();
        assert!(err.human().contains("site.yaml:1:"), "{}", err.human());
        assert!(parse("license: ftp://x.org/l\n").is_err());
    }

    #[test]
    fn transparency_policy_and_retirements_are_read_with_their_positions() {
        let c = parse(
            "transparency:\n  ethics: our-ethics\npolicy:\n  min_sources: 2\n  level: warning\nverdicts:\n  - { key: a, label: A, retired: 2025-03-01, replaced_by: B }\n  - { key: b, label: B }\n",
        )
        .unwrap();
        assert_eq!(
            c.transparency.slug(TransparencyPage::Ethics),
            Some("our-ethics")
        );
        assert_eq!(c.transparency.pages[0].2, (2, 11));
        assert_eq!(c.transparency.slug(TransparencyPage::Contact), None);
        assert_eq!(c.policy.min_sources, Some(2));
        assert_eq!(c.policy.level, PolicyLevel::Warning);
        assert_eq!(c.policy_at, (3, 1));
        assert_eq!(
            c.verdicts[0].retired_on.map(|d| d.iso()).as_deref(),
            Some("2025-03-01")
        );
        assert_eq!(c.verdicts[0].replaced_by.as_deref(), Some("b"));
        assert_eq!(c.claimant_note, DEFAULT_CLAIMANT_NOTE);
    }

    #[test]
    fn bad_settings_are_all_reported() {
        let err = parse("titel: x\nbase_url: ftp://x.org\nper_page: 0\n").unwrap_err();
        assert_eq!(err.error_count(), 3, "{}", err.human());
    }
}
