//! Share cards: a brief's verdict as a 1200×630 PNG for social feeds.
//!
//! A card is the theme's `card.svg` template (Tera → SVG) rasterised by
//! resvg, a pure-Rust SVG renderer, with the fonts bundled in the
//! repository (`fonts/`, Noto Sans under the SIL Open Font License). Only
//! those fonts are loaded, never the machine's, so a card is the same
//! bytes on every machine and in every build.
//!
//! Decisions:
//! - **What a card shows** is its view ([`CardView`]): the
//!   template receives that alone (`card`), not the whole site, so that
//!   the view's hash is exactly what the card depends on. SVG has no line
//!   wrapping, so the view carries the claim already wrapped
//!   ([`wrap`], measured with the bundled fonts) as well as whole.
//! - **Scripts.** Noto Sans covers Latin (with every European diacritic),
//!   Greek and Cyrillic, which is everything the example desk and the
//!   generated corpus write. A character no bundled font has (Arabic,
//!   Hebrew, Devanagari, Chinese, emoji …) is drawn as the font's
//!   "missing glyph" box and measured as one em wide: the card is still
//!   made, and the page's `og:image:alt` carries the text itself.
//! - **Cache.** Rendering a card costs milliseconds; looking one up costs
//!   a file-system check. Each card is kept in `.verity/cache/cards/`
//!   under the site's folder, named by the hash of its view, of every
//!   `.svg` template and of [`VERSION`] (which names the fonts and the
//!   renderer). `build` hard-links a cached card into the output (copying
//!   when the two folders are on different file systems), so a build whose
//!   cards are all cached writes no card bytes at all. The folder is only
//!   ever added to; deleting it is always safe.

use super::views::{CardView, Views};
use super::{RenderError, Renderer, Route};
use crate::diagnostics::Diagnostic;
use skrifa::MetadataProvider as _;
use skrifa::raw::TableProvider as _;
use std::hash::{Hash as _, Hasher as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// Width of a card in pixels (the size Open Graph consumers expect).
pub const WIDTH: u32 = 1200;
/// Height of a card in pixels.
pub const HEIGHT: u32 = 630;

/// The family name of the bundled fonts, for `font-family` in `card.svg`.
pub const FAMILY: &str = "Noto Sans";

/// Part of every cache key: changes whenever the bundled fonts, the
/// renderer or the wrapping change how the same SVG becomes pixels.
pub const VERSION: &str = "card-1 resvg-0.49 noto-sans-2.007";

/// The template a card is made from.
pub const TEMPLATE: &str = "card.svg";

/// Where cards are cached, under the site's folder.
pub const CACHE_DIR: &str = ".verity/cache/cards";

/// The bundled fonts, by file name.
const FONTS: [(&str, &[u8]); 2] = [
    (
        "NotoSans-Regular.ttf",
        include_bytes!("../../fonts/NotoSans-Regular.ttf"),
    ),
    (
        "NotoSans-Bold.ttf",
        include_bytes!("../../fonts/NotoSans-Bold.ttf"),
    ),
];

/// The fonts, loaded once per process and shared by every card.
struct Fonts {
    /// What resvg draws text with.
    db: Arc<resvg::usvg::fontdb::Database>,
    /// Advance widths for wrapping: regular, bold.
    faces: [Face; 2],
}

/// One font's character map and advance widths, in em units.
struct Face {
    charmap: skrifa::charmap::Charmap<'static>,
    metrics: skrifa::metrics::GlyphMetrics<'static>,
    units_per_em: f32,
}

impl Face {
    fn new(data: &'static [u8]) -> Option<Face> {
        let font = skrifa::FontRef::new(data).ok()?;
        Some(Face {
            charmap: font.charmap(),
            metrics: font.glyph_metrics(
                skrifa::instance::Size::unscaled(),
                skrifa::instance::LocationRef::default(),
            ),
            units_per_em: f32::from(font.head().ok()?.units_per_em()),
        })
    }

    /// The advance of `text` at `size` pixels.
    fn width(&self, text: &str, size: f32) -> f32 {
        let units: f32 = text
            .chars()
            .map(|c| {
                self.charmap
                    .map(c)
                    .and_then(|g| self.metrics.advance_width(g))
                    .unwrap_or(self.units_per_em)
            })
            .sum();
        units / self.units_per_em * size
    }
}

fn fonts() -> Option<&'static Fonts> {
    static FONTS_ONCE: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS_ONCE
        .get_or_init(|| {
            let mut db = resvg::usvg::fontdb::Database::new();
            for (_, data) in FONTS {
                db.load_font_data(data.to_vec());
            }
            db.set_sans_serif_family(FAMILY);
            Some(Fonts {
                db: Arc::new(db),
                faces: [Face::new(FONTS[0].1)?, Face::new(FONTS[1].1)?],
            })
        })
        .as_ref()
}

/// The width of `text` in pixels at `size` pixels, bold or regular, as
/// [`wrap`] measures it.
pub fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    fonts().map_or(text.chars().count() as f32 * size * 0.6, |f| {
        f.faces[usize::from(bold)].width(text, size)
    })
}

/// `text` in at most `max_lines` lines no wider than `width` pixels at
/// `size` pixels (bold or regular). Lines break between words; a word
/// wider than a line (or text without spaces) breaks between characters.
/// Text that does not fit ends with `…` on the last line.
pub fn wrap(text: &str, size: f32, width: f32, max_lines: usize, bold: bool) -> Vec<String> {
    let Some(fonts) = fonts() else {
        return vec![text.to_string()];
    };
    let face = &fonts.faces[usize::from(bold)];
    let fits = |s: &str| face.width(s, size) <= width;
    // Advances add up (no kerning is applied), so a line's width is kept
    // as it grows instead of measuring it again for each word.
    let space = face.width(" ", size);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut line_width = 0.0;
    for word in text.split_whitespace() {
        let word_width = face.width(word, size);
        let joined = if line.is_empty() {
            word_width
        } else {
            line_width + space + word_width
        };
        if joined <= width {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
            line_width = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        line_width = 0.0;
        if word_width <= width {
            line.push_str(word);
            line_width = word_width;
            continue;
        }
        // A word too long for a line of its own breaks anywhere.
        for c in word.chars() {
            let mut buf = [0u8; 4];
            let w = face.width(c.encode_utf8(&mut buf), size);
            if line_width + w > width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
            }
            line.push(c);
            line_width += w;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            last.push('…');
            while !fits(last) && last.chars().count() > 1 {
                last.pop();
                last.pop();
                let trimmed = last.trim_end().len();
                last.truncate(trimmed);
                last.push('…');
            }
        }
    }
    lines
}

/// Text safe for an XML document: the control characters XML 1.0 cannot
/// hold (which would make the SVG unreadable) become spaces.
pub fn xml_text(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' || c == '\u{fffe}' || c == '\u{ffff}' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// The text colour readable on `background` (a `#rgb` or `#rrggbb`
/// colour): white, or near-black when white would contrast less. Other
/// CSS colours get white.
pub fn text_on(background: &str) -> &'static str {
    let hex = background.trim().trim_start_matches('#');
    let digits: Vec<u32> = hex.chars().filter_map(|c| c.to_digit(16)).collect();
    let rgb = match (hex.len(), digits.len()) {
        (3, 3) => [digits[0] * 17, digits[1] * 17, digits[2] * 17],
        (6, 6) => [
            digits[0] * 16 + digits[1],
            digits[2] * 16 + digits[3],
            digits[4] * 16 + digits[5],
        ],
        _ => return "#ffffff",
    };
    let linear = |v: u32| {
        let c = v as f64 / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2]);
    // Contrast with white: 1.05 / (l + 0.05); with #111111 (l ≈ 0.0056):
    // (l + 0.05) / 0.0556.
    if 1.05 / (l + 0.05) >= (l + 0.05) / 0.0556 {
        "#ffffff"
    } else {
        "#111111"
    }
}

/// The PNG of an SVG document, or why it cannot be made.
pub fn rasterise(svg: &str) -> Result<Vec<u8>, String> {
    let fonts = fonts().ok_or("the bundled fonts cannot be read")?;
    let options = resvg::usvg::Options {
        fontdb: fonts.db.clone(),
        font_family: FAMILY.to_string(),
        // Nothing outside the template: no files, no network.
        image_href_resolver: resvg::usvg::ImageHrefResolver {
            resolve_data: resvg::usvg::ImageHrefResolver::default_data_resolver(),
            resolve_string: Box::new(|_, _| None),
        },
        ..resvg::usvg::Options::default()
    };
    let tree = resvg::usvg::Tree::from_str(svg, &options)
        .map_err(|e| format!("card.svg is not a valid SVG document: {e}"))?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or("empty card")?;
    let size = tree.size();
    let transform = resvg::tiny_skia::Transform::from_scale(
        WIDTH as f32 / size.width(),
        HEIGHT as f32 / size.height(),
    );
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    pixmap
        .encode_png()
        .map_err(|e| format!("cannot encode the card: {e}"))
}

/// The cache of rendered cards of one site.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// The cache under the site folder `root`.
    pub fn new(root: &Path) -> Cache {
        Cache {
            dir: root.join(CACHE_DIR),
        }
    }

    /// The file of the card with key `key`.
    pub fn path(&self, key: u128) -> PathBuf {
        self.dir.join(format!("{key:032x}.png"))
    }

    /// The cached card of `key`, if there is one.
    pub fn get(&self, key: u128) -> Option<PathBuf> {
        let path = self.path(key);
        path.is_file().then_some(path)
    }

    /// Keeps `bytes` as the card of `key`: written beside its name and
    /// renamed, so a reader (another build) never sees half a card. A
    /// cache that cannot be written is no error: the card is made again
    /// next time.
    pub fn put(&self, key: u128, bytes: &[u8]) -> Option<PathBuf> {
        let path = self.path(key);
        std::fs::create_dir_all(&self.dir).ok()?;
        let temp = self.dir.join(format!(
            ".{key:032x}.tmp-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::write(&temp, bytes).ok()?;
        if std::fs::rename(&temp, &path).is_err() {
            let _ = std::fs::remove_file(&temp);
            return None;
        }
        Some(path)
    }
}

/// A rendered share card: in the card cache, or only in memory when the
/// cache cannot be written.
pub(super) enum CardFile {
    Cached(PathBuf),
    Bytes(Vec<u8>),
}

impl Renderer {
    /// The same renderer, keeping share cards in the card cache of the
    /// site folder `root` (`.verity/cache/cards/`).
    pub fn with_card_cache(mut self, root: &Path) -> Renderer {
        self.cards = Some(Cache::new(root));
        self
    }

    /// The cache key of brief `i`'s card: a hash of what it shows, of the
    /// `.svg` templates and of the renderer's [`VERSION`].
    pub fn card_key(&self, i: usize) -> u128 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        VERSION.hash(&mut h);
        h.write_u128(self.theme.svg_fingerprint);
        Views::new(&self.site, &self.summaries).card(i).hash(&mut h);
        h.digest128()
    }

    /// Brief `i`'s card, from the cache or rendered (and then cached).
    pub(super) fn card(&self, i: usize) -> Result<CardFile, RenderError> {
        let key = self.card_key(i);
        if let Some(path) = self.cards.as_ref().and_then(|c| c.get(key)) {
            return Ok(CardFile::Cached(path));
        }
        let site = &self.site;
        let page = || site.url(&Route::Card(i).path(site));
        let failed =
            |e: &tera::Error| RenderError::Template(self.theme.diagnostic(e, Some(&page())));
        #[derive(serde::Serialize)]
        struct Context<'a> {
            card: CardView<'a>,
        }
        let view = Views::new(site, &self.summaries).card(i);
        let context =
            tera::Context::from_serialize(&Context { card: view }).map_err(|e| failed(&e))?;
        let svg = self
            .theme
            .tera
            .render(TEMPLATE, &context)
            .map_err(|e| failed(&e))?;
        let png = rasterise(&svg).map_err(|message| {
            RenderError::Template(diagnostic(&self.theme.origin(TEMPLATE), &page(), &message))
        })?;
        match self.cards.as_ref().and_then(|c| c.put(key, &png)) {
            Some(path) => Ok(CardFile::Cached(path)),
            None => Ok(CardFile::Bytes(png)),
        }
    }
}

/// A diagnostic for a card that the renderer refused, at `card.svg`.
pub fn diagnostic(origin: &str, page: &str, message: &str) -> Diagnostic {
    Diagnostic::error(origin, 1, 1, format!("while rendering {page}: {message}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_wraps_and_ends_with_an_ellipsis() {
        let text = "word ".repeat(200);
        let lines = wrap(&text, 50.0, 600.0, 3, true);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].ends_with('…'), "{lines:?}");
        let short = wrap("A short claim", 50.0, 1000.0, 3, true);
        assert_eq!(short, ["A short claim"]);
        let unbroken = wrap(&"x".repeat(500), 50.0, 600.0, 2, false);
        assert_eq!(unbroken.len(), 2);
        assert!(unbroken[1].ends_with('…'));
    }

    #[test]
    fn label_text_contrasts_with_its_colour() {
        assert_eq!(text_on("#b91c1c"), "#ffffff");
        assert_eq!(text_on("#fde047"), "#111111");
        assert_eq!(text_on("#fff"), "#111111");
        assert_eq!(text_on("rebeccapurple"), "#ffffff");
    }

    #[test]
    fn control_characters_leave_xml_text() {
        assert_eq!(xml_text("a\u{1}b\u{ffff}"), "a b ");
    }

    #[test]
    fn a_card_is_a_png_of_the_card_size() {
        let svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}"><text x="10" y="100" font-size="40">Ünïcode ΑΒΓ Жж</text></svg>"#
        );
        let png = rasterise(&svg).unwrap();
        assert_eq!(&png[1..4], b"PNG");
        let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
        let height = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
        assert_eq!((width, height), (WIDTH, HEIGHT));
        assert_eq!(rasterise(&svg).unwrap(), png);
        assert!(rasterise("<svg").is_err());
    }
}
