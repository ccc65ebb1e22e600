//! The template contract (documented in `templates/README.md`): one typed
//! view per page kind, made of one view per thing a template shows.
//!
//! A view borrows from the resolved site and is cheap to make. It is both
//! what a template receives (`Serialize`) and what decides whether a page
//! changed (`Hash`): a page is a pure function of its template and its view,
//! so a long-running session compares the hash of a page's view with the
//! last one instead of rendering it. Nothing else is hashed, and no list of
//! keys is kept beside the views: adding a field to a view adds it to both.

use super::claimreview::{self, ClaimReview, OrganizationLd};

use crate::config::{SiteConfig, Verdict};
use crate::content::Correction;
use crate::dates::Date;
use crate::resolve::{Body, BriefNode, ClaimantNode, Site, SourceNode, TagNode};
use crate::urls::{self, Scope};
use serde::{Serialize, Serializer};
use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

/// A rendered body, printed as it is (it is HTML already escaped where it
/// is text); hashed by its fingerprint rather than its bytes.
#[derive(Clone, Copy)]
pub struct Html<'a>(pub &'a Body);

impl Serialize for Html<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        tera::Value::safe_string(&self.0.html).serialize(s)
    }
}

impl Hash for Html<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u128(self.0.hash);
    }
}

/// A date as templates print it in machine form: `YYYY-MM-DD`.
#[derive(Clone, Copy, Hash)]
pub struct Iso(Date);

impl Serialize for Iso {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.iso())
    }
}

/// A date as readers read it: `6 January 2025`.
#[derive(Clone, Copy, Hash)]
pub struct Display(Date);

impl Serialize for Display {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.display())
    }
}

/// The URL path of a verdict's page, made when it is printed.
#[derive(Clone, Copy)]
pub struct VerdictUrl<'a> {
    config: &'a SiteConfig,
    key: &'a str,
}

impl Serialize for VerdictUrl<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.config.url(&urls::verdict(self.key)))
    }
}

impl Hash for VerdictUrl<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (&self.config.root, self.key).hash(state);
    }
}

/// `site` in every template.
#[derive(Serialize, Hash)]
pub struct SiteView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    language: &'a str,
    base_url: &'a str,
    root: &'a str,
    publisher: PublisherView<'a>,
    verdicts: Vec<VerdictView<'a>>,
    license: Option<LicenseView<'a>>,
    /// The published transparency pages, linked from every brief and the
    /// footer.
    transparency: Vec<TransparencyLink>,
    /// The line under a claimant's tally (`claimant_note:`).
    claimant_note: &'a str,
}

/// A link to one transparency page.
#[derive(Serialize, Hash)]
struct TransparencyLink {
    key: &'static str,
    label: &'static str,
    url: String,
}

/// The licence of the site's briefs (`license:` in `site.yaml`).
#[derive(Serialize, Hash)]
pub struct LicenseView<'a> {
    /// As written: an SPDX id or a URL.
    pub id: &'a str,
    /// A URL for it.
    pub url: &'a str,
}

#[derive(Serialize, Hash)]
struct PublisherView<'a> {
    name: &'a str,
    url: Option<&'a str>,
    logo: Option<String>,
}

/// `page` in every template.
#[derive(Serialize, Hash)]
pub struct PageMeta<'a> {
    /// Path of the page under the site, with the base path.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// Title without the site's.
    pub title: String,
    /// One-line description.
    pub description: Option<String>,
    /// Open Graph type: `article` for briefs, else `website`.
    pub kind: &'static str,
    /// RFC 3339 publication time (briefs).
    pub published: Option<String>,
    /// RFC 3339 modification time (briefs).
    pub modified: Option<String>,
    /// Atom feeds about this page: `{title, url}`.
    pub feeds: Vec<FeedLink>,
    /// ClaimReview JSON-LD, safe inside a `<script>` element (briefs that
    /// are not retracted).
    pub jsonld: Option<JsonLd<'a>>,
    /// The publisher's Organization as JSON-LD (the home page).
    pub organization: Option<OrganizationLd<'a>>,
    /// The share card, for `og:image` (briefs, unless `cards: false`).
    pub image: Option<ImageMeta>,
    /// The absolute URL of the oEmbed response, for its discovery link
    /// (briefs).
    pub oembed: Option<String>,
}

/// An image that stands for a page when it is shared.
#[derive(Serialize, Hash)]
pub struct ImageMeta {
    /// Absolute URL.
    pub url: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// What it shows, as text.
    pub alt: String,
}

/// The copyable `<iframe>` of a brief's embeddable verdict.
#[derive(Serialize, Hash)]
pub struct EmbedView {
    /// Absolute URL of the embed page.
    pub url: String,
    /// The `<iframe>` element to paste (plain text: templates escape it).
    pub code: String,
}

/// What a share card shows: `card` in `card.svg`, and nothing else (its
/// hash is the card's cache key). Text is XML-safe; the claim comes whole
/// and wrapped for the built-in layout.
#[derive(Serialize, Hash)]
pub struct CardView<'a> {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The bundled font family.
    pub font: &'static str,
    /// The site's name, cut to one line of 30 px.
    pub site: String,
    /// The claim as written.
    pub claim: String,
    /// The claim in at most 4 lines of 52 px bold, 1056 px wide, the last
    /// ending in `…` when it is cut.
    pub claim_lines: Vec<String>,
    /// The claimant's name, cut to one line of 32 px.
    pub claimant: String,
    /// The verdict.
    pub verdict: CardVerdict<'a>,
    /// `YYYY-MM-DD`.
    pub date: Iso,
    /// `6 January 2025`.
    pub date_display: Display,
}

/// The verdict on a card.
#[derive(Serialize, Hash)]
pub struct CardVerdict<'a> {
    /// Its key.
    pub key: &'a str,
    /// Its label, cut to one line of 36 px bold.
    pub label: String,
    /// Its colour (as in `site.yaml`).
    pub color: String,
    /// White or near-black, whichever reads better on `color`.
    pub text_color: &'static str,
    /// The width of the label's badge: the label's width plus 32 px on
    /// each side.
    pub badge_width: u32,
}

/// A ClaimReview as the text of a `<script type="application/ld+json">`.
pub struct JsonLd<'a>(pub ClaimReview<'a>);

/// A feed to announce with `<link rel="alternate">`.
#[derive(Serialize, Hash)]
pub struct FeedLink {
    /// Its title.
    pub title: String,
    /// Its URL path.
    pub url: String,
}

/// A verdict of the scale.
#[derive(Serialize, Hash)]
pub struct VerdictView<'a> {
    key: &'a str,
    label: &'a str,
    rating: Option<i64>,
    color: &'a str,
    /// White or near-black, whichever reads better on `color`.
    text_color: &'static str,
    description: Option<&'a str>,
    url: VerdictUrl<'a>,
    count: usize,
    retired: Option<Iso>,
    retired_display: Option<Display>,
    replaced_by: Option<Replacement<'a>>,
}

/// The verdict that replaces a retired one.
#[derive(Serialize, Hash)]
struct Replacement<'a> {
    key: &'a str,
    label: &'a str,
    url: VerdictUrl<'a>,
}

/// A claimant.
#[derive(Serialize, Hash)]
pub struct ClaimantView<'a> {
    id: &'a str,
    name: &'a str,
    url: &'a str,
    role: Option<&'a str>,
    description: Option<&'a str>,
    website: Option<&'a str>,
    same_as: &'a [String],
    count: usize,
}

/// A tag.
#[derive(Serialize, Hash)]
pub struct TagView<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    count: usize,
}

/// A source.
#[derive(Serialize, Hash)]
pub struct SourceView<'a> {
    id: &'a str,
    url: &'a str,
    original_url: &'a str,
    archived_url: Option<&'a str>,
    title: &'a str,
    publisher: &'a str,
    author: Option<&'a str>,
    published: Option<Iso>,
    published_display: Option<Display>,
    accessed: Option<Iso>,
    accessed_display: Option<Display>,
    kind: &'a str,
    notes: Option<&'a str>,
    count: usize,
    checked: Option<CheckedView>,
}

/// The last recorded link check of a source's original.
#[derive(Serialize, Hash)]
struct CheckedView {
    date: String,
    date_display: String,
    state: &'static str,
}

/// A brief as listed on other pages.
pub struct SummaryView<'a> {
    /// What is made of it once per run: a site lists each brief on many
    /// pages.
    memo: &'a SummaryMemo,
    fields: SummaryFields<'a>,
}

/// Per brief, its summary's fingerprint and template value, made once per
/// run when first needed.
#[derive(Default)]
pub struct SummaryMemo {
    fingerprint: OnceLock<u128>,
    /// The summary as the template engine holds it (its maps and lists are
    /// shared, so every page listing the brief takes it without copying).
    value: OnceLock<tera::Value>,
}

impl Serialize for SummaryView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if let Some(value) = self.memo.value.get() {
            return value.serialize(s);
        }
        match tera::Value::try_from_serializable(&self.fields) {
            Ok(value) => self.memo.value.get_or_init(|| value).serialize(s),
            Err(_) => self.fields.serialize(s),
        }
    }
}

impl Hash for SummaryView<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u128(*self.memo.fingerprint.get_or_init(|| {
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            self.fields.hash(&mut h);
            h.digest128()
        }));
    }
}

/// What a brief's summary shows.
#[derive(Serialize, Hash)]
struct SummaryFields<'a> {
    slug: &'a str,
    url: &'a str,
    title: &'a str,
    claim: &'a str,
    claimant: Option<ClaimantView<'a>>,
    verdict: Option<VerdictView<'a>>,
    date: Iso,
    date_display: Display,
    summary: Option<&'a str>,
    draft: bool,
    retracted: bool,
}

#[derive(Serialize, Hash)]
struct ReferenceView<'a> {
    number: usize,
    anchor: String,
    source: Option<SourceView<'a>>,
    locators: &'a [String],
    backlinks: Vec<Backlink<'a>>,
}

#[derive(Serialize, Hash)]
struct Backlink<'a> {
    anchor: &'a str,
    label: String,
}

#[derive(Serialize, Hash)]
struct AuthorView<'a> {
    id: &'a str,
    name: &'a str,
}

/// One entry of a brief's corrections log.
#[derive(Serialize, Hash)]
pub struct CorrectionView<'a> {
    number: usize,
    anchor: String,
    kind: &'static str,
    kind_label: &'static str,
    date: Iso,
    date_display: Display,
    note: &'a str,
    previous_verdict: Option<VerdictView<'a>>,
}

/// A verdict a brief had before a verdict change, and when it changed.
#[derive(Serialize, Hash)]
struct PreviousVerdict<'a> {
    verdict: VerdictView<'a>,
    until: Iso,
    until_display: Display,
}

/// A correction as listed on `/corrections/` and in its feed.
#[derive(Serialize, Hash)]
pub struct LoggedCorrection<'a> {
    brief: SummaryView<'a>,
    #[serde(flatten)]
    correction: CorrectionView<'a>,
    /// Its URL path on the brief's page.
    url: String,
    /// Its absolute URL (the Atom entry's id).
    permalink: String,
    /// RFC 3339 time of its date (Atom).
    updated: String,
}

/// The full brief, on its own page.
#[derive(Serialize, Hash)]
pub struct BriefView<'a> {
    #[serde(flatten)]
    summary: SummaryFields<'a>,
    updated: Option<Iso>,
    updated_display: Option<Display>,
    claim_date: Option<Iso>,
    claim_date_display: Option<Display>,
    appearance: Option<SourceView<'a>>,
    tags: Vec<TagView<'a>>,
    authors: Vec<AuthorView<'a>>,
    content: Html<'a>,
    references: Vec<ReferenceView<'a>>,
    uncited: Vec<SourceView<'a>>,
    corrections: Vec<CorrectionView<'a>>,
    retraction: Option<CorrectionView<'a>>,
    previous_verdicts: Vec<PreviousVerdict<'a>>,
    related: Vec<SummaryView<'a>>,
    embed: EmbedView,
}

/// One link of the home pages' pager; `number: none` marks a gap.
#[derive(Serialize, Hash)]
pub struct PagerEntry {
    number: Option<usize>,
    url: Option<String>,
    current: bool,
}

/// The pager of the home pages.
#[derive(Serialize, Hash)]
pub struct Pager {
    current: usize,
    total: usize,
    prev_url: Option<String>,
    next_url: Option<String>,
    pages: Vec<PagerEntry>,
}

/// A verdict and how many of a claimant's briefs have it.
#[derive(Serialize, Hash)]
pub struct TallyEntry<'a> {
    verdict: VerdictView<'a>,
    count: usize,
}

/// An Atom feed's own data.
#[derive(Serialize, Hash)]
pub struct FeedView {
    full: bool,
    title: String,
    self_url: String,
    alternate: String,
    updated: String,
}

/// A brief as an Atom entry.
#[derive(Serialize, Hash)]
pub struct EntryView<'a> {
    title: &'a str,
    permalink: String,
    published: String,
    updated: String,
    authors: Vec<&'a str>,
    verdict: &'a str,
    verdict_key: &'a str,
    tags: &'a [String],
    claimant: &'a str,
    claim: &'a str,
    summary: Option<&'a str>,
    retracted: bool,
    /// The full text (the site's feed only), escaped for XML.
    content: Option<FeedContent<'a>>,
}

/// What a page kind's template receives besides `site` and `page`.
#[derive(Serialize, Hash)]
#[serde(untagged)]
pub enum Fields<'a> {
    /// `index.html`.
    Home {
        /// The page's briefs.
        briefs: Vec<SummaryView<'a>>,
        /// The links to the other pages.
        pager: Pager,
    },
    /// `brief.html`.
    Brief {
        /// The brief.
        brief: Box<BriefView<'a>>,
    },
    /// `sources.html`.
    Sources {
        /// By publisher, then title.
        sources: Vec<SourceView<'a>>,
    },
    /// `source.html`.
    Source {
        /// The source.
        source: SourceView<'a>,
        /// Its briefs.
        briefs: Vec<SummaryView<'a>>,
    },
    /// `claimants.html`.
    Claimants {
        /// By name.
        claimants: Vec<ClaimantView<'a>>,
    },
    /// `claimant.html`.
    Claimant {
        /// The claimant.
        claimant: ClaimantView<'a>,
        /// Their briefs.
        briefs: Vec<SummaryView<'a>>,
        /// Their verdicts, counted.
        tally: Vec<TallyEntry<'a>>,
    },
    /// `tags.html`.
    Tags {
        /// By name.
        tags: Vec<TagView<'a>>,
    },
    /// `tag.html`.
    Tag {
        /// The tag.
        tag: TagView<'a>,
        /// Its briefs.
        briefs: Vec<SummaryView<'a>>,
    },
    /// `verdict.html`.
    Verdict {
        /// The verdict.
        verdict: VerdictView<'a>,
        /// Its briefs.
        briefs: Vec<SummaryView<'a>>,
    },
    /// `page.html`.
    Page {
        /// The body.
        content: Html<'a>,
    },
    /// `feed.xml`.
    Feed {
        /// The feed.
        feed: FeedView,
        /// Its entries.
        entries: Vec<EntryView<'a>>,
    },
    /// `embed.html`: a brief's embeddable verdict.
    Embed {
        /// The brief as listed.
        brief: Box<SummaryView<'a>>,
        /// Its absolute URL (the embed opens it in a new tab).
        permalink: String,
        /// The claim, cut to at most [`EMBED_CLAIM`] characters.
        claim: String,
    },
    /// `corrections.html` and `corrections.xml`.
    Corrections {
        /// The feed's own data (`corrections.xml`).
        feed: Option<FeedView>,
        /// Newest first (the feed: its newest `feed_limit`).
        corrections: Vec<LoggedCorrection<'a>>,
    },
    /// Templates that need only `site` and `page`.
    None {},
}

/// The longest claim an embed shows whole (longer ones are cut at a word
/// with `…`), so the verdict stays visible in a 320 px tall frame.
pub const EMBED_CLAIM: usize = 200;

/// Width of the `<iframe>` of an embed (it shrinks with its container).
pub const EMBED_WIDTH: u32 = 560;
/// Height of the `<iframe>` of an embed.
pub const EMBED_HEIGHT: u32 = 320;

/// The whole context of a page.
#[derive(Serialize, Hash)]
pub struct PageView<'a> {
    /// `site`.
    pub site: SiteView<'a>,
    /// `page`.
    pub page: PageMeta<'a>,
    /// The rest.
    #[serde(flatten)]
    pub fields: Fields<'a>,
}

fn iso(d: &Option<Date>) -> Option<Iso> {
    d.map(Iso)
}

fn display(d: &Option<Date>) -> Option<Display> {
    d.map(Display)
}

/// Makes the views of one site.
///
/// Every brief a view shows is read through `Views::node`, which notes
/// its index when asked to ([`Views::noting`]): `watch` keeps a page's
/// fingerprint until one of the briefs it read changes. Reading
/// `site.briefs` directly here would hide that dependency (the debug
/// build's check in [`crate::mirror`] catches it).
#[derive(Clone, Copy)]
pub struct Views<'a> {
    site: &'a Site,
    /// Per brief, what is made of its summary once per run.
    summaries: &'a [SummaryMemo],
    /// Where the indices of the briefs read are noted, if anywhere.
    reads: Option<&'a RefCell<Vec<u32>>>,
}

impl<'a> Views<'a> {
    /// The views of `site`; `summaries` holds one slot per brief.
    pub fn new(site: &'a Site, summaries: &'a [SummaryMemo]) -> Self {
        Views {
            site,
            summaries,
            reads: None,
        }
    }

    /// The same views, noting in `reads` every brief they read.
    pub fn noting(self, reads: &'a RefCell<Vec<u32>>) -> Self {
        Views {
            reads: Some(reads),
            ..self
        }
    }

    /// Brief `i`, noted as read.
    fn node(&self, i: usize) -> &'a BriefNode {
        if let Some(reads) = self.reads {
            reads.borrow_mut().push(i as u32);
        }
        &self.site.briefs[i]
    }

    fn config(&self) -> &'a SiteConfig {
        &self.site.config
    }

    /// `site`.
    pub fn site(&self) -> SiteView<'a> {
        let c = self.config();
        let logo = c.publisher.logo.as_ref().map(|l| self.logo(l));
        SiteView {
            title: &c.title,
            description: c.description.as_deref(),
            language: &c.language,
            base_url: &c.base_url,
            root: &c.root,
            publisher: PublisherView {
                name: &c.publisher.name,
                url: c.publisher.url.as_deref(),
                logo,
            },
            verdicts: (0..c.verdicts.len()).map(|k| self.verdict(k)).collect(),
            transparency: crate::policy::transparency_pages(self.site)
                .into_iter()
                .map(|(page, url)| TransparencyLink {
                    key: page.key(),
                    label: page.label(),
                    url,
                })
                .collect(),
            claimant_note: &c.claimant_note,
            license: c.license.as_ref().map(|l| LicenseView {
                id: &l.id,
                url: &l.url,
            }),
        }
    }

    /// The publisher's logo as an absolute URL.
    pub fn logo(&self, logo: &str) -> String {
        if logo.starts_with('/') {
            self.site
                .permalink(&self.site.url(logo.trim_start_matches('/')))
        } else {
            logo.to_string()
        }
    }

    /// Verdict `k` of the scale.
    pub fn verdict(&self, k: usize) -> VerdictView<'a> {
        let v: &'a Verdict = &self.config().verdicts[k];
        VerdictView {
            key: &v.key,
            label: &v.label,
            rating: v.rating,
            color: &v.color,
            text_color: super::card::text_on(&v.color),
            description: v.description.as_deref(),
            url: VerdictUrl {
                config: self.config(),
                key: &v.key,
            },
            count: self.site.verdicts[k].1.len(),
            retired: v.retired_on.map(Iso),
            retired_display: v.retired_on.map(Display),
            replaced_by: v
                .replaced_by
                .as_deref()
                .and_then(|key| self.config().verdicts.iter().find(|r| r.key == key))
                .map(|r| Replacement {
                    key: &r.key,
                    label: &r.label,
                    url: VerdictUrl {
                        config: self.config(),
                        key: &r.key,
                    },
                }),
        }
    }

    /// Entry `n` (from 0) of a brief's corrections log.
    fn correction(&self, n: usize, c: &'a Correction) -> CorrectionView<'a> {
        CorrectionView {
            number: n + 1,
            anchor: format!("correction-{}", n + 1),
            kind: c.kind.key(),
            kind_label: c.kind.label(),
            date: Iso(c.date),
            date_display: Display(c.date),
            note: &c.note,
            previous_verdict: c
                .previous_verdict
                .as_deref()
                .and_then(|key| self.config().verdict_index(key))
                .map(|k| self.verdict(k)),
        }
    }

    /// Every correction of the briefs, newest first (by date, then the
    /// briefs' order, then the later entry of one log first); `feed`
    /// leaves drafts out and keeps the newest `feed_limit`.
    pub fn corrections(&self, feed: bool) -> Vec<LoggedCorrection<'a>> {
        let site = self.site;
        // Every brief's log is read, so the page depends on every brief.
        let mut all: Vec<(usize, usize, &'a Correction)> = (0..site.briefs.len())
            .map(|i| (i, self.node(i)))
            .filter(|(_, n)| !(feed && n.brief.draft))
            .flat_map(|(i, n)| {
                n.brief
                    .corrections
                    .iter()
                    .enumerate()
                    .map(move |(k, c)| (i, k, c))
            })
            .collect();
        all.sort_by(|a, b| {
            b.2.date
                .cmp(&a.2.date)
                .then(a.0.cmp(&b.0))
                .then(b.1.cmp(&a.1))
        });
        if feed {
            all.truncate(site.config.feed_limit);
        }
        all.into_iter()
            .map(|(i, k, c)| {
                let url = site.url(&urls::correction(&self.node(i).brief.slug, k + 1));
                LoggedCorrection {
                    brief: self.summary(i),
                    correction: self.correction(k, c),
                    permalink: site.permalink(&url),
                    url,
                    updated: c.date.rfc3339(),
                }
            })
            .collect()
    }

    /// The data of the corrections feed, given its entries.
    pub fn corrections_feed(&self, entries: &[LoggedCorrection<'a>]) -> FeedView {
        let site = self.site;
        FeedView {
            full: false,
            title: format!("{}: corrections", self.config().title),
            self_url: site.permalink(&site.url(urls::CORRECTIONS_FEED)),
            alternate: site.permalink(&site.url(urls::CORRECTIONS)),
            updated: entries
                .first()
                .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |e| e.updated.clone()),
        }
    }

    /// The `<link rel="alternate">` of the corrections feed.
    pub fn corrections_feed_link(&self) -> FeedLink {
        FeedLink {
            title: format!("{}: corrections", self.config().title),
            url: self.site.url(urls::CORRECTIONS_FEED),
        }
    }

    /// A claimant.
    pub fn claimant(&self, c: &'a ClaimantNode) -> ClaimantView<'a> {
        let p = &c.claimant;
        ClaimantView {
            id: &p.id,
            name: &p.name,
            url: &c.url,
            role: p.role.as_deref(),
            description: p.description.as_deref(),
            website: p.url.as_deref(),
            same_as: &p.same_as,
            count: c.briefs.len(),
        }
    }

    /// A tag.
    pub fn tag(&self, slug: &'a str, t: &'a TagNode) -> TagView<'a> {
        TagView {
            name: &t.name,
            slug,
            url: &t.url,
            count: t.briefs.len(),
        }
    }

    /// A source.
    pub fn source(&self, s: &'a SourceNode) -> SourceView<'a> {
        let src = &s.source;
        SourceView {
            id: &src.id,
            url: &s.url,
            original_url: &src.url,
            archived_url: src.archived.as_deref(),
            title: &src.title,
            publisher: &src.publisher,
            author: src.author.as_deref(),
            published: iso(&src.published),
            published_display: display(&src.published),
            accessed: iso(&src.accessed),
            accessed_display: display(&src.accessed),
            kind: &src.kind,
            notes: src.notes.as_deref(),
            count: s.briefs.len(),
            checked: src.checked.map(|c| CheckedView {
                date: c.date.iso(),
                date_display: c.date.display(),
                state: c.state.as_str(),
            }),
        }
    }

    fn source_by_id(&self, id: &str) -> Option<SourceView<'a>> {
        self.site.sources.get(id).map(|s| self.source(s))
    }

    /// Brief `i` as listed.
    pub fn summary(&self, i: usize) -> SummaryView<'a> {
        SummaryView {
            memo: &self.summaries[i],
            fields: self.summary_fields(i),
        }
    }

    fn summary_fields(&self, i: usize) -> SummaryFields<'a> {
        let site = self.site;
        let node = self.node(i);
        let b = &node.brief;
        SummaryFields {
            slug: &b.slug,
            url: &node.url,
            title: &b.title,
            claim: &b.claim,
            claimant: site.claimants.get(&node.claimant).map(|c| self.claimant(c)),
            verdict: site
                .config
                .verdict_index(&b.verdict)
                .map(|k| self.verdict(k)),
            date: Iso(b.date),
            date_display: Display(b.date),
            summary: b.summary.as_deref(),
            draft: b.draft,
            retracted: b.retraction().is_some(),
        }
    }

    /// The briefs at `indices`, as listed.
    pub fn summaries(&self, indices: impl IntoIterator<Item = usize>) -> Vec<SummaryView<'a>> {
        indices.into_iter().map(|i| self.summary(i)).collect()
    }

    /// The full view of brief `i`.
    pub fn brief(&self, i: usize) -> BriefView<'a> {
        let site = self.site;
        let node: &'a BriefNode = self.node(i);
        let b = &node.brief;
        BriefView {
            summary: self.summary_fields(i),
            updated: iso(&b.updated),
            updated_display: display(&b.updated),
            claim_date: iso(&b.claim_date),
            claim_date_display: display(&b.claim_date),
            appearance: b.appearance.as_deref().and_then(|id| self.source_by_id(id)),
            tags: node
                .tags
                .iter()
                .filter_map(|t| site.tags.get_key_value(t))
                .map(|(slug, t)| self.tag(slug, t))
                .collect(),
            authors: b
                .authors
                .iter()
                .map(|id| AuthorView {
                    id,
                    name: site
                        .config
                        .authors
                        .get(id)
                        .map_or(id.as_str(), |a| a.name.as_str()),
                })
                .collect(),
            content: Html(&node.body),
            references: node
                .cited
                .iter()
                .map(|c| ReferenceView {
                    number: c.number,
                    anchor: format!("ref-{}", c.number),
                    source: self.source_by_id(&c.id),
                    locators: &c.locators,
                    backlinks: c
                        .anchors
                        .iter()
                        .enumerate()
                        .map(|(k, a)| Backlink {
                            anchor: a,
                            label: letter_label(k),
                        })
                        .collect(),
                })
                .collect(),
            uncited: node
                .uncited
                .iter()
                .filter_map(|id| self.source_by_id(id))
                .collect(),
            corrections: b
                .corrections
                .iter()
                .enumerate()
                .map(|(n, c)| self.correction(n, c))
                .collect(),
            retraction: b
                .corrections
                .iter()
                .enumerate()
                .find(|(_, c)| c.kind == crate::content::correction::Kind::Retraction)
                .map(|(n, c)| self.correction(n, c)),
            previous_verdicts: b
                .corrections
                .iter()
                .rev()
                .filter_map(|c| {
                    let k = self
                        .config()
                        .verdict_index(c.previous_verdict.as_deref()?)?;
                    Some(PreviousVerdict {
                        verdict: self.verdict(k),
                        until: Iso(c.date),
                        until_display: Display(c.date),
                    })
                })
                .collect(),
            related: self.summaries(node.related.iter().copied()),
            embed: self.embed(i),
        }
    }

    /// The `<iframe>` of brief `i`'s embed.
    pub fn embed(&self, i: usize) -> EmbedView {
        let site = self.site;
        let b = &self.node(i).brief;
        let url = site.permalink(&site.url(&urls::embed(&b.slug)));
        let title = format!("Fact check: {}", b.title);
        let mut code = String::new();
        code.push_str("<iframe src=\"");
        pulldown_cmark_escape::escape_href(&mut code, &url).ok();
        code.push_str("\" title=\"");
        pulldown_cmark_escape::escape_html(&mut code, &title).ok();
        code.push_str(&format!(
            "\" width=\"{EMBED_WIDTH}\" height=\"{EMBED_HEIGHT}\" style=\"border:0;max-width:100%\" loading=\"lazy\"></iframe>"
        ));
        EmbedView { url, code }
    }

    /// The embed page of brief `i`.
    pub fn embed_fields(&self, i: usize) -> Fields<'a> {
        let site = self.site;
        let node = self.node(i);
        Fields::Embed {
            brief: Box::new(self.summary(i)),
            permalink: site.permalink(&node.url),
            claim: cut(&node.brief.claim, EMBED_CLAIM),
        }
    }

    /// What brief `i`'s share card shows.
    pub fn card(&self, i: usize) -> CardView<'a> {
        use super::card::{self, wrap, xml_text};
        let site = self.site;
        let node = self.node(i);
        let b = &node.brief;
        let claim = xml_text(&b.claim);
        let one_line = |text: &str, size: f32, width: f32, bold: bool| {
            wrap(&xml_text(text), size, width, 1, bold)
                .into_iter()
                .next()
                .unwrap_or_default()
        };
        let verdict = site
            .config
            .verdict_index(&b.verdict)
            .map(|k| &site.config.verdicts[k]);
        let (key, label, color) = match verdict {
            Some(v) => (v.key.as_str(), v.label.as_str(), v.color.as_str()),
            None => (b.verdict.as_str(), b.verdict.as_str(), "#555555"),
        };
        let label = one_line(label, 36.0, 700.0, true);
        let badge_width = card::text_width(&label, 36.0, true).ceil() as u32 + 64;
        CardView {
            width: card::WIDTH,
            height: card::HEIGHT,
            font: card::FAMILY,
            site: one_line(&site.config.title, 30.0, 1056.0, true),
            claim_lines: wrap(&claim, 52.0, 1056.0, 4, true),
            claim,
            claimant: one_line(site.claimant_name(node), 32.0, 1056.0, false),
            verdict: CardVerdict {
                key,
                label,
                color: xml_text(color),
                text_color: card::text_on(color),
                badge_width,
            },
            date: Iso(b.date),
            date_display: Display(b.date),
        }
    }

    /// `page` for the page at `path` (under the site).
    pub fn meta(&self, path: &str, title: String, description: Option<String>) -> PageMeta<'a> {
        let url = self.site.url(path);
        PageMeta {
            permalink: self.site.permalink(&url),
            url,
            title,
            description,
            kind: "website",
            published: None,
            modified: None,
            feeds: vec![self.feed_link(&Scope::Site)],
            jsonld: None,
            organization: None,
            image: None,
            oembed: None,
        }
    }

    /// The `<link rel="alternate">` of a feed.
    pub fn feed_link(&self, scope: &Scope) -> FeedLink {
        FeedLink {
            title: self.feed_title(scope),
            url: self.site.url(&urls::feed(scope)),
        }
    }

    /// A feed's title.
    pub fn feed_title(&self, scope: &Scope) -> String {
        let title = &self.config().title;
        match scope {
            Scope::Site => title.clone(),
            Scope::Claimant(id) => {
                let name = self
                    .site
                    .claimants
                    .get(id)
                    .map_or(id.as_str(), |c| c.claimant.name.as_str());
                format!("{title}: claims by {name}")
            }
            Scope::Tag(slug) => {
                let name = self.site.tags.get(slug).map_or(slug.as_str(), |t| &t.name);
                format!("{title}: {name}")
            }
        }
    }

    /// `page` of brief `i`: an article with its ClaimReview.
    pub fn brief_meta(&self, i: usize) -> PageMeta<'a> {
        let b = &self.node(i).brief;
        let mut meta = self.meta(
            &urls::brief(&b.slug),
            b.title.clone(),
            Some(b.summary.clone().unwrap_or_else(|| b.claim.clone())),
        );
        meta.kind = "article";
        meta.published = Some(b.date.rfc3339());
        meta.modified = Some(b.modified().rfc3339());
        if b.retraction().is_none() {
            meta.jsonld = Some(JsonLd(claimreview::review(self.site, i)));
        }
        if !b.corrections.is_empty() {
            meta.feeds.push(self.corrections_feed_link());
        }
        let site = self.site;
        if site.config.cards {
            let node = self.node(i);
            let verdict = site.verdict_label(node);
            meta.image = Some(ImageMeta {
                url: site.permalink(&site.url(&urls::card(&b.slug))),
                width: super::card::WIDTH,
                height: super::card::HEIGHT,
                alt: format!(
                    "Claim by {}: “{}” Verdict: {}.",
                    site.claimant_name(node),
                    b.claim,
                    verdict
                ),
            });
        }
        meta.oembed = Some(site.permalink(&site.url(&urls::oembed(&b.slug))));
        meta
    }

    /// The pager of home page `current`: links to the first, last, and two
    /// on each side of the current one; `number: none` marks a gap.
    pub fn pager(&self, current: usize, total: usize) -> Pager {
        let url = |n: usize| self.site.url(&urls::home(n));
        let mut numbers: Vec<usize> = vec![1, total];
        numbers.extend(current.saturating_sub(2).max(1)..=(current + 2).min(total));
        numbers.sort_unstable();
        numbers.dedup();
        let mut pages = Vec::with_capacity(numbers.len() + 2);
        for (k, &n) in numbers.iter().enumerate() {
            if k > 0 && n > numbers[k - 1] + 1 {
                pages.push(PagerEntry {
                    number: None,
                    url: None,
                    current: false,
                });
            }
            pages.push(PagerEntry {
                number: Some(n),
                url: Some(url(n)),
                current: n == current,
            });
        }
        Pager {
            current,
            total,
            prev_url: (current > 1).then(|| url(current - 1)),
            next_url: (current < total).then(|| url(current + 1)),
            pages,
        }
    }

    /// The verdicts of `briefs`, counted, in scale order.
    pub fn tally(&self, briefs: &[usize]) -> Vec<TallyEntry<'a>> {
        let site = self.site;
        let mut counts = vec![0usize; site.config.verdicts.len()];
        for &i in briefs {
            // A retracted finding is not counted.
            let b = &self.node(i).brief;
            if b.retraction().is_some() {
                continue;
            }
            if let Some(k) = site.config.verdict_index(&b.verdict) {
                counts[k] += 1;
            }
        }
        counts
            .into_iter()
            .enumerate()
            .filter(|(_, n)| *n > 0)
            .map(|(k, count)| TallyEntry {
                verdict: self.verdict(k),
                count,
            })
            .collect()
    }

    /// The feed of `scope`: its data and its entries.
    pub fn feed(&self, scope: &Scope) -> (FeedView, Vec<EntryView<'a>>) {
        let site = self.site;
        let briefs: &[usize] = match scope {
            Scope::Site => &[],
            Scope::Claimant(id) => site.claimants.get(id).map_or(&[], |c| &c.briefs),
            Scope::Tag(slug) => site.tags.get(slug).map_or(&[], |t| &t.briefs),
        };
        let limit = site.config.feed_limit;
        // The site's feed carries each brief's full text; a claimant's or a
        // tag's feed (hundreds of them on a large site) carries the claim,
        // verdict and summary, and links to the full text.
        let full = *scope == Scope::Site;
        let chosen: Vec<usize> = match scope {
            Scope::Site => (0..site.briefs.len().min(limit)).collect(),
            _ => briefs.iter().copied().take(limit).collect(),
        };
        let entries: Vec<EntryView<'a>> = chosen.iter().map(|&i| self.entry(i, full)).collect();
        let updated = chosen
            .iter()
            .map(|&i| self.node(i).brief.modified())
            .max()
            .map(|d| d.rfc3339())
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
        let feed = FeedView {
            full,
            title: self.feed_title(scope),
            self_url: site.permalink(&site.url(&urls::feed(scope))),
            alternate: site.permalink(&site.url(&scope.page())),
            updated,
        };
        (feed, entries)
    }

    /// Brief `i` as an Atom entry; with `full`, its whole text as `content`.
    fn entry(&self, i: usize, full: bool) -> EntryView<'a> {
        let site = self.site;
        let node = self.node(i);
        let b = &node.brief;
        EntryView {
            title: &b.title,
            published: b.date.rfc3339(),
            updated: b.modified().rfc3339(),
            authors: b
                .authors
                .iter()
                .map(|a| {
                    site.config
                        .authors
                        .get(a)
                        .map_or(a.as_str(), |x| x.name.as_str())
                })
                .collect(),
            verdict: site.verdict_label(node),
            verdict_key: &b.verdict,
            tags: &node.tags,
            claimant: site.claimant_name(node),
            claim: &b.claim,
            summary: b.summary.as_deref(),
            retracted: b.retraction().is_some(),
            permalink: site.permalink(&node.url),
            content: full.then_some(FeedContent { site, node }),
        }
    }
}

/// A brief's full text in a feed: made only when the feed is rendered.
pub struct FeedContent<'a> {
    site: &'a Site,
    node: &'a BriefNode,
}

impl Serialize for FeedContent<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        tera::Value::safe_string(&super::feeds::content(self.site, self.node)).serialize(s)
    }
}

impl Hash for FeedContent<'_> {
    /// Everything the text is made of that the entry's other fields do not
    /// already hold: the body, and the site's root and base URL that its
    /// links are made absolute with.
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u128(self.node.body.hash);
        self.site.config.root.hash(state);
        self.site.config.base_url.hash(state);
    }
}

/// `text` cut to at most `max` characters at a word, ending in `…` when cut.
pub fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let head: String = text.chars().take(max).collect();
    let at_word = match head.rfind(char::is_whitespace) {
        Some(k) if k > 0 => &head[..k],
        _ => head.as_str(),
    };
    format!("{}…", at_word.trim_end())
}

/// `a`, `b`, … `z`, `aa`, `ab` …: labels of back-links.
fn letter_label(mut n: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'a' + (n % 26) as u8);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn letter_labels() {
        let labels: Vec<String> = [0, 1, 25, 26, 27]
            .iter()
            .map(|&n| super::letter_label(n))
            .collect();
        assert_eq!(labels, ["a", "b", "z", "aa", "ab"]);
    }
}
