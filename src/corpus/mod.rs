//! Synthetic sites for tests and benchmarks: a desk of N briefs, the same
//! for a given N and seed on every machine.
//!
//! [`Corpus::generate`] makes the model: briefs with front matter and
//! bodies, sources (files, and some declared inline), claimants (most with
//! a profile), tags, authors and two free pages. [`Corpus::write`] writes
//! it as a Verity site. The benchmark's `gen-corpus` example
//! (`cargo run --release --example gen-corpus -- DIR --briefs N`) writes
//! the same corpus, and with `--hugo DIR` an equivalent Hugo site, from
//! this model; the tests call it directly.
//!
//! What makes it realistic, in numbers (per brief unless said): 3 to 6
//! sources, each cited at least once, some more than once, some several in
//! one mark (`[@a; @b]`) or with a locator (`[@a, p. 4]`); one in seven
//! briefs declares one more source inline; sources are shared, a few
//! wire-like ones by many briefs; one to three links to other briefs in
//! all three forms (`[[slug]]`, `[[slug|text]]`, a relative `.md` link),
//! and links to a source, the claimant, a tag and the verdict; two to four
//! tags drawn with a skew, so some tags are large; claimants likewise
//! (N/20 of them, a fifth without a profile page, named by name); about 600
//! to 800 words of body in four or five sections with a quote, a list and
//! now and then a table; `claim_date`, `appearance`, `related`, `updated`
//! with a correction, and a draft or two. N/2 shared sources, 12 + N/50
//! tags. Dates run over 2023 to 2025, in a folder per year.
//!
//! Every link target exists and no published brief links to a draft, so
//! the site builds without errors or warnings.

mod body;
mod rng;
mod text;
mod write;

use jiff::civil::Date;
use rng::Rng;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// How many briefs.
    pub briefs: usize,
    /// The seed: the same seed and count give the same corpus.
    pub seed: u64,
}

/// A generated desk.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// Authors named in `site.yaml`.
    pub authors: Vec<Author>,
    /// Sources, shared ones first; inline ones are cited by one brief.
    pub sources: Vec<Source>,
    /// Claimants, with or without a profile.
    pub claimants: Vec<Claimant>,
    /// Tag names (already slugs).
    pub tags: Vec<String>,
    /// The briefs, in the order generated.
    pub briefs: Vec<Brief>,
    /// Free pages.
    pub pages: Vec<Page>,
}

/// An author of briefs.
#[derive(Debug, Clone)]
pub struct Author {
    /// The id briefs name.
    pub id: String,
    /// Display name.
    pub name: String,
}

/// A source.
#[derive(Debug, Clone)]
pub struct Source {
    /// Its id.
    pub id: String,
    /// Address of the article.
    pub url: String,
    /// Headline.
    pub title: String,
    /// Publisher.
    pub publisher: String,
    /// Writer, if named.
    pub author: Option<String>,
    /// Publication date, if known.
    pub published: Option<Date>,
    /// When the desk read it.
    pub accessed: Date,
    /// An archived copy.
    pub archived: Option<String>,
    /// One of the source kinds.
    pub kind: &'static str,
    /// A note for readers.
    pub notes: Option<String>,
    /// Declared inline in its one brief rather than in a file.
    pub inline: bool,
}

/// A person or organisation whose claims are checked.
#[derive(Debug, Clone)]
pub struct Claimant {
    /// Its id (the slug of its name).
    pub id: String,
    /// Its name.
    pub name: String,
    /// An organisation rather than a person.
    pub organization: bool,
    /// Role, for people.
    pub role: Option<&'static str>,
    /// A sentence about them.
    pub description: Option<String>,
    /// Pages about the same entity.
    pub same_as: Vec<String>,
    /// Has a profile file; otherwise briefs name them by name.
    pub profile: bool,
}

/// A brief.
#[derive(Debug, Clone)]
pub struct Brief {
    /// Its slug (and file stem).
    pub slug: String,
    /// Title.
    pub title: String,
    /// Publication date.
    pub date: Date,
    /// Date of the last update, with a correction.
    pub updated: Option<Date>,
    /// The claim checked.
    pub claim: String,
    /// Index into [`Corpus::claimants`].
    pub claimant: usize,
    /// Front matter names the claimant by name rather than by id.
    pub claimant_by_name: bool,
    /// When the claim was made.
    pub claim_date: Option<Date>,
    /// The source where the claim appeared (index into [`Corpus::sources`]).
    pub appearance: Option<usize>,
    /// A verdict key of the default scale.
    pub verdict: &'static str,
    /// One-paragraph summary.
    pub summary: String,
    /// Indexes into [`Corpus::tags`].
    pub tags: Vec<usize>,
    /// Indexes into [`Corpus::authors`].
    pub authors: Vec<usize>,
    /// Declared sources (indexes into [`Corpus::sources`]).
    pub sources: Vec<usize>,
    /// Related briefs (indexes into [`Corpus::briefs`]).
    pub related: Vec<usize>,
    /// Corrections, oldest first.
    pub corrections: Vec<Correction>,
    /// Not published without `--drafts`.
    pub draft: bool,
    /// The body.
    pub body: Vec<Part>,
}

/// One entry of a corrections log.
#[derive(Debug, Clone)]
pub struct Correction {
    /// When.
    pub date: Date,
    /// What was corrected.
    pub note: String,
}

/// A free page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Its slug (and file stem).
    pub slug: String,
    /// Title.
    pub title: String,
    /// The body (cross-links only: pages do not cite).
    pub body: Vec<Part>,
}

/// A piece of a body, written in each target's own syntax.
#[derive(Debug, Clone)]
pub enum Part {
    /// Markdown text.
    Text(String),
    /// A citation mark of one or more sources.
    Cite(Vec<Cite>),
    /// A link to another brief, with its title or the given text.
    Brief {
        /// Index into [`Corpus::briefs`].
        target: usize,
        /// Link text; none for the target's title.
        text: Option<String>,
    },
    /// A Markdown link to another brief's file.
    BriefFile {
        /// Index into [`Corpus::briefs`].
        target: usize,
        /// Link text.
        text: String,
    },
    /// A link to a source's page.
    Source(usize),
    /// A link to a claimant's page.
    Claimant(usize),
    /// A link to a tag's page.
    Tag(usize),
    /// A link to a verdict's page.
    Verdict(&'static str),
}

/// One source in a citation mark.
#[derive(Debug, Clone)]
pub struct Cite {
    /// Index into [`Corpus::sources`].
    pub source: usize,
    /// Where in the source (`para. 4`).
    pub locator: Option<String>,
}

impl Brief {
    /// The year folder the brief's file is in.
    pub fn year(&self) -> i16 {
        self.date.year()
    }

    /// Its file, relative to the site: `content/briefs/<year>/<slug>.md`.
    pub fn file(&self) -> String {
        format!("content/briefs/{}/{}.md", self.year(), self.slug)
    }
}

/// The first publication day of a corpus, and how many days it spans.
const FIRST_DAY: Date = jiff::civil::date(2023, 1, 1);
const DAYS: usize = 3 * 365;

fn day(offset: usize) -> Date {
    FIRST_DAY
        .checked_add(jiff::Span::new().days(offset.min(DAYS) as i64))
        .unwrap_or(FIRST_DAY)
}

fn days_before(date: Date, days: usize) -> Date {
    date.checked_sub(jiff::Span::new().days(days as i64))
        .unwrap_or(date)
}

fn days_after(date: Date, days: usize) -> Date {
    date.checked_add(jiff::Span::new().days(days as i64))
        .unwrap_or(date)
}

/// A slug made unique among `taken` by a numeric suffix.
fn unique(taken: &mut std::collections::HashSet<String>, slug: String) -> String {
    let mut candidate = slug.clone();
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{slug}-{n}");
        n += 1;
    }
    candidate
}

/// The slug of the first `words` words of `text`.
fn short_slug(text: &str, words: usize) -> String {
    let head: Vec<&str> = text.split_whitespace().take(words).collect();
    crate::slug::slugify(&head.join(" "))
}

impl Corpus {
    /// Generates the corpus of `options.briefs` briefs for `options.seed`.
    pub fn generate(options: Options) -> Corpus {
        let n = options.briefs;
        let mut rng = Rng::new(options.seed);
        let authors = authors();
        let claimants = claimants(&mut rng, (n / 20).max(3));
        let tags: Vec<String> = (0..12 + n / 50).map(text::tag).collect();
        let mut sources = shared_sources(&mut rng, (n / 2).max(4));
        let mut briefs = Vec::with_capacity(n);
        let mut slugs = std::collections::HashSet::new();
        for i in 0..n {
            let brief = brief(&mut rng, i, &mut sources, &claimants, &tags, &authors);
            let slug = unique(&mut slugs, brief.slug.clone());
            let related = related(&mut rng, &briefs);
            briefs.push(Brief {
                slug,
                related,
                ..brief
            });
        }
        let mut corpus = Corpus {
            authors,
            sources,
            claimants,
            tags,
            briefs,
            pages: Vec::new(),
        };
        body::fill(&mut corpus, &mut rng);
        corpus
    }

    /// Briefs that are published (not drafts).
    pub fn published(&self) -> impl Iterator<Item = &Brief> {
        self.briefs.iter().filter(|b| !b.draft)
    }

    /// A line for people: how many of everything, and words per brief.
    pub fn summary(&self) -> String {
        let words: usize = self
            .briefs
            .iter()
            .flat_map(|b| &b.body)
            .map(|p| match p {
                Part::Text(t) => t.split_whitespace().count(),
                _ => 1,
            })
            .sum();
        format!(
            "{} briefs ({} drafts), {} sources ({} inline), {} claimants ({} with a profile), {} tags, about {} words a brief",
            self.briefs.len(),
            self.briefs.len() - self.published().count(),
            self.sources.len(),
            self.sources.iter().filter(|s| s.inline).count(),
            self.claimants.len(),
            self.claimants.iter().filter(|c| c.profile).count(),
            self.tags.len(),
            words / self.briefs.len().max(1),
        )
    }
}

fn authors() -> Vec<Author> {
    let mut authors = vec![Author {
        id: "desk".into(),
        name: "Desk staff".into(),
    }];
    for k in 0..5 {
        // Names far from the claimants' first ones.
        let (name, _) = text::claimant_name(900 - 1 - k * 37);
        authors.push(Author {
            id: crate::slug::slugify(&name),
            name,
        });
    }
    authors
}

fn claimants(rng: &mut Rng, count: usize) -> Vec<Claimant> {
    (0..count)
        .map(|k| {
            let (name, organization) = text::claimant_name(k);
            let id = crate::slug::slugify(&name);
            Claimant {
                role: (!organization).then(|| text::role(rng)),
                description: rng.chance(0.5).then(|| text::sentence(rng, 10, 20)),
                same_as: if rng.chance(0.3) {
                    vec![format!("https://encyclopedia.example/wiki/{id}")]
                } else {
                    Vec::new()
                },
                // Every fifth, counting from the fourth, has no profile.
                profile: k % 5 != 3,
                id,
                name,
                organization,
            }
        })
        .collect()
}

fn shared_sources(rng: &mut Rng, count: usize) -> Vec<Source> {
    let mut ids = std::collections::HashSet::new();
    (0..count)
        .map(|_| {
            let (publisher, host) = rng.pick(text::PUBLISHERS);
            let published = day(rng.below(DAYS));
            let title = text::sentence(rng, 6, 12).trim_end_matches('.').to_string();
            let slug = short_slug(&title, 6);
            let id = unique(
                &mut ids,
                format!("{}-{}", short_slug(publisher, 2), short_slug(&title, 3)),
            );
            let url = format!(
                "https://{host}/{}/{:02}/{slug}",
                published.year(),
                published.month()
            );
            Source {
                author: rng
                    .chance(0.5)
                    .then(|| text::claimant_name(rng.below(900)).0),
                published: rng.chance(0.9).then_some(published),
                accessed: days_after(published, rng.below(20)),
                archived: rng.chance(0.6).then(|| {
                    format!(
                        "https://web.archive.org/web/{}{:02}{:02}000000/{url}",
                        published.year(),
                        published.month(),
                        published.day()
                    )
                }),
                kind: rng.weighted(text::SOURCE_KINDS),
                notes: rng.chance(0.2).then(|| text::sentence(rng, 8, 16)),
                inline: false,
                id,
                url,
                title,
                publisher: publisher.to_string(),
            }
        })
        .collect()
}

/// A source declared inline by brief `i`: a post or statement only it cites.
fn inline_source(rng: &mut Rng, i: usize, date: Date) -> Source {
    let (name, _) = text::claimant_name(rng.below(900));
    let handle = crate::slug::slugify(&name).replace('-', "_");
    Source {
        id: format!("post-{i}"),
        url: format!(
            "https://social.example/{handle}/status/{}",
            1_000_000 + i * 7
        ),
        title: text::sentence(rng, 5, 10).trim_end_matches('.').to_string(),
        publisher: format!("@{handle}"),
        author: Some(name),
        published: Some(date),
        accessed: date,
        archived: rng.chance(0.5).then(|| {
            format!("https://web.archive.org/web/2025/https://social.example/{handle}/status/{i}")
        }),
        kind: "social-post",
        notes: None,
        inline: true,
    }
}

/// Brief number `i`, without its body, slug uniqueness or related briefs.
fn brief(
    rng: &mut Rng,
    i: usize,
    sources: &mut Vec<Source>,
    claimants: &[Claimant],
    tags: &[String],
    authors: &[Author],
) -> Brief {
    let shared = sources.iter().take_while(|s| !s.inline).count();
    let date = day(rng.below(DAYS + 1));
    let claimant = rng.skewed(claimants.len());
    let title = text::title(rng, &claimants[claimant].name);
    let draft = i >= 10 && rng.chance(0.01);
    let count = rng.range(3, 6);
    let mut declared = distinct(rng, count, |rng| {
        // A third of all picks come from the few sources every desk cites.
        if rng.chance(0.35) {
            rng.skewed((shared / 20).max(1))
        } else {
            rng.below(shared)
        }
    });
    if !draft && rng.chance(0.15) {
        let posted = days_before(date, rng.below(5));
        sources.push(inline_source(rng, i, posted));
        declared.push(sources.len() - 1);
    }
    let updated = rng.chance(0.08).then(|| days_after(date, rng.range(1, 40)));
    Brief {
        slug: short_slug(&title, 8),
        claim: text::claim(rng),
        claimant_by_name: claimants[claimant].profile && rng.chance(0.3),
        claim_date: rng.chance(0.7).then(|| days_before(date, rng.below(15))),
        appearance: rng.chance(0.4).then(|| rng.pick(&declared)),
        verdict: rng.weighted(text::VERDICTS),
        summary: format!(
            "{} {}",
            text::sentence(rng, 10, 22),
            text::sentence(rng, 10, 22)
        ),
        tags: {
            let count = rng.range(2, 4).min(tags.len());
            distinct(rng, count, |rng| rng.skewed(tags.len()))
        },
        authors: {
            let count = rng.range(1, 2);
            distinct(rng, count, |rng| rng.below(authors.len()))
        },
        corrections: updated
            .map(|date| Correction {
                date,
                note: format!("Corrected: {}", text::sentence(rng, 8, 14)),
            })
            .into_iter()
            .collect(),
        sources: declared,
        related: Vec::new(),
        body: Vec::new(),
        title,
        date,
        updated,
        claimant,
        draft,
    }
}

/// `count` distinct values of `draw` (fewer only if it keeps repeating).
fn distinct(rng: &mut Rng, count: usize, mut draw: impl FnMut(&mut Rng) -> usize) -> Vec<usize> {
    let mut out = Vec::with_capacity(count);
    for _ in 0..count * 20 {
        if out.len() == count {
            break;
        }
        let x = draw(rng);
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}

/// The `related` list of the next brief: now and then one or two earlier
/// published briefs.
fn related(rng: &mut Rng, earlier: &[Brief]) -> Vec<usize> {
    if earlier.is_empty() || !rng.chance(0.15) {
        return Vec::new();
    }
    let count = rng.range(1, 2);
    distinct(rng, count, |rng| rng.below(earlier.len()))
        .into_iter()
        .filter(|&k| !earlier[k].draft)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, HashMap};

    fn written(corpus: &Corpus) -> BTreeMap<String, Vec<u8>> {
        let dir = tempfile::tempdir().unwrap();
        corpus.write(dir.path()).unwrap();
        walkdir::WalkDir::new(dir.path())
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir.path()).unwrap();
                (rel.display().to_string(), std::fs::read(e.path()).unwrap())
            })
            .collect()
    }

    #[test]
    fn the_same_count_and_seed_give_the_same_files() {
        let options = Options {
            briefs: 60,
            seed: 3,
        };
        let a = written(&Corpus::generate(options));
        assert_eq!(a, written(&Corpus::generate(options)));
        let other = written(&Corpus::generate(Options { seed: 4, ..options }));
        assert_ne!(a, other);
        assert!(a.keys().filter(|k| k.ends_with(".md")).count() >= 60);
    }

    #[test]
    fn bodies_cite_every_declared_source_and_never_link_to_a_draft() {
        let corpus = Corpus::generate(Options {
            briefs: 400,
            seed: 1,
        });
        for (i, b) in corpus.briefs.iter().enumerate() {
            let mut cited: Vec<usize> = b
                .body
                .iter()
                .filter_map(|p| match p {
                    Part::Cite(c) => Some(c.iter().map(|c| c.source)),
                    _ => None,
                })
                .flatten()
                .collect();
            cited.sort_unstable();
            cited.dedup();
            let mut declared = b.sources.clone();
            declared.sort_unstable();
            assert_eq!(cited, declared, "{}", b.slug);
            for p in &b.body {
                if let Part::Brief { target, .. } | Part::BriefFile { target, .. } = p {
                    assert!(!corpus.briefs[*target].draft && *target != i);
                }
            }
            assert!(b.related.iter().all(|&r| !corpus.briefs[r].draft));
            assert!(b.appearance.is_none_or(|a| b.sources.contains(&a)));
        }
    }

    #[test]
    fn sources_tags_and_claimants_are_shared_and_bodies_are_brief_sized() {
        let corpus = Corpus::generate(Options {
            briefs: 1000,
            seed: 1,
        });
        let mut citing: HashMap<usize, usize> = HashMap::new();
        for b in &corpus.briefs {
            for &s in &b.sources {
                *citing.entry(s).or_default() += 1;
            }
        }
        let most = citing.values().max().copied().unwrap_or(0);
        assert!(most >= 20, "the most cited source is in {most} briefs");
        let shared = citing.values().filter(|&&n| n > 1).count();
        assert!(shared * 2 > corpus.sources.len(), "{shared} shared sources");
        let inline = corpus.sources.iter().filter(|s| s.inline).count();
        assert!(
            inline > 50
                && citing
                    .iter()
                    .all(|(s, n)| !corpus.sources[*s].inline || *n == 1)
        );
        let mut per_claimant = vec![0; corpus.claimants.len()];
        for b in &corpus.briefs {
            per_claimant[b.claimant] += 1;
        }
        assert!(per_claimant.iter().max().unwrap() > &100);
        for b in &corpus.briefs {
            let words: usize = b
                .body
                .iter()
                .map(|p| match p {
                    Part::Text(t) => t.split_whitespace().count(),
                    _ => 1,
                })
                .sum();
            assert!((350..1400).contains(&words), "{}: {words} words", b.slug);
            assert!((2..=4).contains(&b.tags.len()));
            assert!((3..=7).contains(&b.sources.len()));
        }
        let drafts = corpus.briefs.len() - corpus.published().count();
        assert!((1..30).contains(&drafts), "{drafts} drafts");
    }
}
