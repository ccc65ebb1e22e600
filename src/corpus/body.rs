//! Bodies of generated briefs and pages: sections of prose with every
//! declared source cited, links to other briefs and to taxonomy pages, a
//! quote, a list and sometimes a table.

use super::rng::Rng;
use super::{Brief, Cite, Corpus, Page, Part, text};

/// Fills in every brief's body and adds the free pages.
pub(super) fn fill(corpus: &mut Corpus, rng: &mut Rng) {
    let published: Vec<usize> = (0..corpus.briefs.len())
        .filter(|&i| !corpus.briefs[i].draft)
        .collect();
    for i in 0..corpus.briefs.len() {
        let count = rng.range(1, 3);
        let mut links = Vec::with_capacity(count);
        for _ in 0..count * 4 {
            if links.len() == count || published.len() < 2 {
                break;
            }
            let target = rng.pick(&published);
            if target != i && !links.contains(&target) {
                links.push(target);
            }
        }
        let body = Writer::new(rng, &corpus.briefs[i], links).brief();
        corpus.briefs[i].body = body;
    }
    corpus.pages = pages(rng, &published);
}

/// Writes one brief's body, drawing citations and links from its queues.
struct Writer<'a> {
    rng: &'a mut Rng,
    brief: &'a Brief,
    /// Sources not cited yet.
    uncited: Vec<usize>,
    /// Briefs not linked yet.
    links: Vec<usize>,
    parts: Vec<Part>,
}

impl<'a> Writer<'a> {
    fn new(rng: &'a mut Rng, brief: &'a Brief, links: Vec<usize>) -> Writer<'a> {
        let mut uncited = brief.sources.clone();
        uncited.reverse();
        Writer {
            rng,
            brief,
            uncited,
            links,
            parts: Vec::new(),
        }
    }

    fn text(&mut self, text: impl Into<String>) {
        self.parts.push(Part::Text(text.into()));
    }

    fn cite(&mut self, source: usize) -> Cite {
        Cite {
            source,
            locator: text::locator(self.rng),
        }
    }

    /// After a sentence: maybe a citation (of a source not cited yet, or
    /// again of one), maybe a link to another brief.
    fn after_sentence(&mut self) {
        if self.rng.chance(0.45) {
            let first = match self.uncited.pop() {
                Some(s) => s,
                None if self.rng.chance(0.3) => self.rng.pick(&self.brief.sources),
                None => return self.text(" "),
            };
            let mut cites = vec![self.cite(first)];
            if self.rng.chance(0.15)
                && let Some(second) = self.uncited.pop()
            {
                cites.push(self.cite(second));
            }
            // The mark goes before the full stop the sentence ended with.
            if let Some(Part::Text(t)) = self.parts.last_mut()
                && t.ends_with('.')
            {
                t.pop();
                t.push(' ');
                self.parts.push(Part::Cite(cites));
                self.text(". ");
                return;
            }
            self.parts.push(Part::Cite(cites));
            self.text(" ");
        } else if self.rng.chance(0.2)
            && let Some(target) = self.links.pop()
        {
            self.text(" See also ");
            self.link(target);
            self.text(". ");
        } else {
            self.text(" ");
        }
    }

    /// A link to brief `target` in one of the three forms.
    fn link(&mut self, target: usize) {
        let part = match self.rng.below(4) {
            0 | 1 => Part::Brief { target, text: None },
            2 => Part::Brief {
                target,
                text: Some("our earlier brief".into()),
            },
            _ => Part::BriefFile {
                target,
                text: "the brief on that claim".into(),
            },
        };
        self.parts.push(part);
    }

    fn paragraph(&mut self, sentences: usize) {
        for _ in 0..sentences {
            let s = text::sentence(self.rng, 8, 24);
            self.text(s);
            self.after_sentence();
        }
        self.text("\n\n");
    }

    fn heading(&mut self, heading: &str) {
        self.text(format!("## {heading}\n\n"));
    }

    fn brief(mut self) -> Vec<Part> {
        let lede = self.rng.range(2, 3);
        self.paragraph(lede);
        let extra = text::extra_section(self.rng);
        let last = text::SECTIONS.len() - 1;
        for (k, heading) in text::SECTIONS.iter().enumerate() {
            if k == last
                && let Some(extra) = extra
            {
                self.heading(extra);
                let n = self.rng.range(3, 5);
                self.paragraph(n);
            }
            self.heading(heading);
            match k {
                0 => self.claimed(),
                1 => self.evidence(),
                2 => self.context(),
                _ => self.verdict(),
            }
        }
        // Whatever is left: every declared source is cited, every chosen
        // brief linked.
        if !self.uncited.is_empty() {
            self.text("Further reading ");
            let cites = std::mem::take(&mut self.uncited)
                .into_iter()
                .rev()
                .map(|s| self.cite(s))
                .collect();
            self.parts.push(Part::Cite(cites));
            self.text(".\n\n");
        }
        while let Some(target) = self.links.pop() {
            self.text("Related: ");
            self.link(target);
            self.text(".\n\n");
        }
        self.parts
    }

    fn claimed(&mut self) {
        for _ in 0..self.rng.range(2, 3) {
            let n = self.rng.range(3, 5);
            self.paragraph(n);
        }
        if self.rng.chance(0.3) {
            self.text("The claim was made by ");
            self.parts.push(Part::Claimant(self.brief.claimant));
            self.text(". ");
            let n = self.rng.range(2, 3);
            self.paragraph(n);
        }
    }

    fn evidence(&mut self) {
        let n = self.rng.range(3, 5);
        self.paragraph(n);
        let quote = text::sentence(self.rng, 14, 26);
        self.text(format!("> {quote}"));
        match self.uncited.pop() {
            Some(s) => {
                self.text(" ");
                let cite = self.cite(s);
                self.parts.push(Part::Cite(vec![cite]));
            }
            None => self.text(""),
        }
        self.text("\n\n");
        for _ in 0..3 {
            let item = text::sentence(self.rng, 6, 12);
            self.text(format!("- {item}\n"));
        }
        self.text("\n");
        let n = self.rng.range(3, 5);
        self.paragraph(n);
        if self.rng.chance(0.1) {
            self.table();
        }
    }

    fn table(&mut self) {
        self.text("| period | figure | change |\n|---|---:|---:|\n");
        for year in 2021..2025 {
            let figure = self.rng.range(100, 999);
            let change = self.rng.range(1, 19);
            self.text(format!("| {year} | {figure} | {change} % |\n"));
        }
        self.text("\n");
    }

    fn context(&mut self) {
        for _ in 0..self.rng.range(2, 3) {
            let n = self.rng.range(3, 5);
            self.paragraph(n);
        }
        if self.rng.chance(0.5) {
            let source = self.rng.pick(&self.brief.sources);
            self.text("Every brief that relies on it is listed on the page of ");
            self.parts.push(Part::Source(source));
            self.text(".\n\n");
        }
        if self.rng.chance(0.3) {
            let tag = self.rng.pick(&self.brief.tags);
            self.text("More checks on this subject are under ");
            self.parts.push(Part::Tag(tag));
            self.text(".\n\n");
        }
    }

    fn verdict(&mut self) {
        let n = self.rng.range(2, 4);
        self.paragraph(n);
        self.text("We rate the claim ");
        self.parts.push(Part::Verdict(self.brief.verdict));
        self.text(".\n\n");
    }
}

/// The free pages: an about page and a methodology page with links to
/// every verdict and to a few briefs.
fn pages(rng: &mut Rng, published: &[usize]) -> Vec<Page> {
    let mut about = vec![Part::Text(format!(
        "{}\n\n{}\n\n",
        text::sentence(rng, 15, 25),
        text::sentence(rng, 15, 25)
    ))];
    if let Some(&first) = published.first() {
        about.push(Part::Text("A typical check: ".into()));
        about.push(Part::Brief {
            target: first,
            text: None,
        });
        about.push(Part::Text(".\n".into()));
    }
    let mut methodology = vec![Part::Text("## Our verdicts\n\n".into())];
    for (key, _) in text::VERDICTS {
        methodology.push(Part::Text("- ".into()));
        methodology.push(Part::Verdict(key));
        methodology.push(Part::Text(format!(": {}\n", text::sentence(rng, 8, 16))));
    }
    methodology.push(Part::Text(format!(
        "\n## How we choose claims\n\n{}\n",
        text::sentence(rng, 20, 30)
    )));
    vec![
        Page {
            slug: "about".into(),
            title: "About the desk".into(),
            body: about,
        },
        Page {
            slug: "methodology".into(),
            title: "How we check claims".into(),
            body: methodology,
        },
    ]
}
