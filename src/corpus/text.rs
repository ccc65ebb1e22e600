//! The words of a generated corpus: news-desk vocabulary, names, publishers,
//! and the sentences, titles and claims made from them.

use super::rng::Rng;

/// Words of running text, the most frequent first ([`Rng::skewed`] draws
/// from the front far more often, as in real prose). `minister` and
/// `report` come early: the search tests and benchmark query them as the
/// typical, frequent pair.
#[rustfmt::skip]
const WORDS: &[&str] = &[
    "the", "minister", "report", "said", "government", "figures", "official", "data", "claim",
    "statement", "according", "to", "of", "in", "and", "that", "was", "were", "had", "has", "not",
    "than", "more", "less", "new", "last", "year", "month", "week", "percent", "million", "public",
    "national", "agency", "office", "budget", "spending", "prices", "wages", "jobs", "health",
    "hospital", "school", "water", "energy", "food", "housing", "rents", "transport", "border",
    "police", "court", "ruling", "vote", "election", "parliament", "council", "mayor", "president",
    "spokesperson", "interview", "speech", "remarks", "press", "conference", "video", "photo",
    "post", "shared", "widely", "online", "viral", "clip", "edited", "footage", "archive",
    "original", "context", "misleading", "accurate", "evidence", "documents", "published",
    "estimate", "survey", "census", "statistics", "bureau", "analysis", "record", "decline",
    "growth", "increase", "rise", "fall", "fell", "rose", "doubled", "halved", "compared", "since",
    "before", "after", "during", "however", "although", "while", "because", "despite", "several",
    "many", "most", "some", "few", "every", "regional", "international", "local", "private",
    "state", "secretary", "committee", "inquiry", "audit", "watchdog", "regulator", "campaign",
    "opposition", "coalition", "party", "candidate", "voters", "turnout", "poll", "tax", "debt",
    "deficit", "inflation", "unemployment", "trade", "exports", "imports", "market", "bank",
    "interest", "rates", "loans", "pensions", "benefits", "welfare", "crime", "arrests", "prisons",
    "migration", "asylum", "visas", "climate", "emissions", "floods", "drought", "heatwave",
    "farmers", "harvest", "vaccine", "doctors", "nurses", "waiting", "lists", "teachers", "pupils",
    "exams", "universities", "students", "roads", "railway", "airport", "bridge", "contract",
    "tender", "funding", "grant", "pledge", "promise", "target", "deadline", "timeline", "quote",
    "transcript", "headline", "caption", "screenshot", "account", "source", "location", "date",
    "version", "translation", "dataset", "table", "chart", "graph", "map", "series", "baseline",
    "average", "median", "total", "share", "rate", "count", "sample", "margin", "error", "revision",
    "correction", "methodology", "definition", "period",
];

/// Headings of a brief's sections, in order; the last holds the verdict.
pub(crate) const SECTIONS: &[&str] = &[
    "What was claimed",
    "What the sources show",
    "Context",
    "Our verdict",
];

/// Extra sections some briefs have before the verdict.
const EXTRA_SECTIONS: &[&str] = &[
    "What the figures say",
    "Where the claim comes from",
    "What the official record says",
    "What is still unknown",
];

#[rustfmt::skip]
const FIRST_NAMES: &[&str] = &[
    "Amara", "Bruno", "Chen", "Dalia", "Emeka", "Fatima", "Gustavo", "Hana", "Ibrahim", "Joanna",
    "Kofi", "Leila", "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Samir", "Tomás",
    "Ulla", "Vikram", "Wanjiru", "Xavier", "Yasmin", "Zoltán", "Aiko", "Björn", "Chiara", "Dmitri",
];

#[rustfmt::skip]
const LAST_NAMES: &[&str] = &[
    "Abebe", "Bergström", "Castillo", "Dlamini", "Evans", "Ferreira", "García", "Haddad", "Ivanova",
    "Jensen", "Kowalczyk", "Lindqvist", "Mensah", "Novak", "Okonkwo", "Petrović", "Quispe",
    "Rahman", "Sato", "Tanaka", "Usman", "Varga", "Walsh", "Xu", "Yilmaz", "Zapata", "Achterberg",
    "Byrne", "Chowdhury", "Dubois",
];

const ROLES: &[&str] = &[
    "Minister of Finance",
    "Minister of Health",
    "Member of Parliament",
    "Mayor",
    "Party spokesperson",
    "Opposition leader",
    "Regional governor",
    "Union leader",
    "Columnist",
    "Campaigner",
    "Television presenter",
    "Business owner",
];

const ORGANISATIONS: &[&str] = &[
    "Ministry of Finance",
    "Ministry of Health",
    "National Statistics Office",
    "Chamber of Commerce",
    "Workers' Union",
    "Citizens' Alliance",
    "Green Future Party",
    "Prosperity Party",
    "City Council",
    "Farmers' Association",
    "Patients' Forum",
    "Taxpayers' League",
];

/// Publishers of sources, each with the host of its web site.
pub(crate) const PUBLISHERS: &[(&str, &str)] = &[
    ("The Daily Ledger", "dailyledger.example"),
    ("Northern Courier", "northerncourier.example"),
    ("Metro Wire", "metrowire.example"),
    ("Coastal Times", "coastaltimes.example"),
    ("Global Press Agency", "gpa.example"),
    ("Harbour Radio", "harbourradio.example"),
    ("The Evening Standard-Bearer", "standardbearer.example"),
    ("Civic Data Lab", "civicdata.example"),
    ("National Statistics Office", "stats.gov.example"),
    ("Ministry of Finance", "finance.gov.example"),
    ("Parliamentary Record", "record.parliament.example"),
    ("Valley Gazette", "valleygazette.example"),
    ("Public Broadcaster", "broadcaster.example"),
    ("Open Budget Watch", "budgetwatch.example"),
];

/// Locators of citations, `{}` being a number.
const LOCATORS: &[&str] = &["para. {}", "p. {}", "table {}", "at 0{}:15", "section {}"];

/// Themes that tags are made of.
#[rustfmt::skip]
const THEMES: &[&str] = &[
    "elections", "health", "economy", "prices", "housing", "migration", "climate", "crime",
    "education", "transport", "energy", "budget", "taxes", "jobs", "pensions", "water", "farming",
    "courts", "media-accuracy", "viral-images", "statistics", "foreign-aid", "defence",
    "local-government",
];

#[rustfmt::skip]
const REGIONS: &[&str] = &[
    "north", "south", "coast", "capital", "valley", "islands", "east", "west", "borderlands",
];

/// A word of running text.
pub(crate) fn word(rng: &mut Rng) -> &'static str {
    WORDS[rng.skewed(WORDS.len())]
}

/// `count` words joined by spaces.
fn words(rng: &mut Rng, count: usize) -> String {
    let mut out = String::new();
    for k in 0..count {
        if k > 0 {
            out.push(' ');
        }
        // Numbers, as briefs are full of them.
        if rng.chance(0.04) {
            out.push_str(&rng.range(2, 98).to_string());
        } else {
            out.push_str(word(rng));
        }
    }
    out
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A sentence of `lo..=hi` words, capitalised, with a full stop.
pub(crate) fn sentence(rng: &mut Rng, lo: usize, hi: usize) -> String {
    let count = rng.range(lo, hi);
    let mut text = words(rng, count);
    if count > 12 && rng.chance(0.4) {
        // A clause: a comma after a word in the middle.
        let cut = text
            .match_indices(' ')
            .nth(count / 2)
            .map_or(text.len(), |(i, _)| i);
        text.insert(cut, ',');
    }
    format!("{}.", capitalised(&text))
}

/// A brief's title: a question about the claim.
pub(crate) fn title(rng: &mut Rng, claimant: &str) -> String {
    let count = rng.range(4, 8);
    let what = words(rng, count);
    match rng.below(4) {
        0 => format!("Did {claimant} say {what}?"),
        1 => format!("Is it true that {what}?"),
        2 => format!("Do the figures show {what}?"),
        _ => format!("{}?", capitalised(&what)),
    }
}

/// A claim, quoted as said.
pub(crate) fn claim(rng: &mut Rng) -> String {
    sentence(rng, 12, 28)
}

/// A citation locator, or none.
pub(crate) fn locator(rng: &mut Rng) -> Option<String> {
    rng.chance(0.3).then(|| {
        rng.pick(LOCATORS)
            .replace("{}", &rng.range(1, 9).to_string())
    })
}

/// The extra section a brief has, if any.
pub(crate) fn extra_section(rng: &mut Rng) -> Option<&'static str> {
    rng.chance(0.4).then(|| rng.pick(EXTRA_SECTIONS))
}

/// The name of claimant number `k`: a person, or every fifth an organisation.
/// Names repeat only after every combination is used, then with an initial.
pub(crate) fn claimant_name(k: usize) -> (String, bool) {
    if k % 5 == 4 && k / 5 < ORGANISATIONS.len() {
        return (ORGANISATIONS[k / 5].to_string(), true);
    }
    let (f, l) = (FIRST_NAMES.len(), LAST_NAMES.len());
    // A stride coprime with the grid walks every (first, last) pair once.
    let cell = (k * 7919) % (f * l);
    let name = format!("{} {}", FIRST_NAMES[cell % f], LAST_NAMES[cell / f]);
    let round = k / (f * l);
    if round == 0 {
        (name, false)
    } else {
        let initial = char::from(b'A' + (round % 26) as u8);
        let (first, last) = name.split_once(' ').unwrap_or((&name, ""));
        match round / 26 {
            0 => (format!("{first} {initial}. {last}"), false),
            n => (format!("{first} {initial}. {last} {}", n + 1), false),
        }
    }
}

/// A claimant's role.
pub(crate) fn role(rng: &mut Rng) -> &'static str {
    rng.pick(ROLES)
}

/// Tag number `k`: a theme, then themes by region once every theme is used.
pub(crate) fn tag(k: usize) -> String {
    let theme = THEMES[k % THEMES.len()];
    match k / THEMES.len() {
        0 => theme.to_string(),
        r => format!("{theme}-{}-{}", REGIONS[(r - 1) % REGIONS.len()], r),
    }
}

/// The kinds of source, weighted as a desk cites them.
pub(crate) const SOURCE_KINDS: &[(&str, u32)] = &[
    ("article", 50),
    ("report", 15),
    ("statement", 10),
    ("interview", 8),
    ("dataset", 7),
    ("video", 5),
    ("social-post", 5),
];

/// Verdict keys of the default scale, weighted as desks publish them
/// (checks skew to what turned out wrong).
pub(crate) const VERDICTS: &[(&str, u32)] = &[
    ("accurate", 12),
    ("mostly-accurate", 12),
    ("mixed", 15),
    ("misleading", 25),
    ("false", 26),
    ("unverifiable", 10),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claimant_names_are_distinct() {
        let names: std::collections::HashSet<String> =
            (0..5000).map(|k| claimant_name(k).0).collect();
        assert_eq!(names.len(), 5000);
    }

    #[test]
    fn tags_are_distinct_slugs() {
        let tags: std::collections::HashSet<String> = (0..2000).map(tag).collect();
        assert_eq!(tags.len(), 2000);
        assert!(tags.iter().all(|t| crate::slug::is_valid(t)));
    }
}
