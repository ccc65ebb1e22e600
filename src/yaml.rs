//! The only module that names the YAML crate.
//!
//! Everything else in Verity sees [`Node`]: a parsed document in which every
//! key, value and list item carries its [`Pos`] in the text. Diagnostics take
//! their `line:col` from these positions; nothing searches the text.
//!
//! # Why saphyr
//!
//! `serde_yaml` is deprecated and gives no position for a value. Of the
//! maintained parsers, two were tried:
//!
//! - `saphyr` (with its event parser `saphyr-parser`), chosen. Its loader
//!   builds a tree in which every node has a span, keys included; with early
//!   parsing off a scalar keeps its text as written, its quoting and its tag,
//!   and the YAML 1.2 core schema is applied only when a typed value is asked
//!   for. Its loader caps the nodes that aliases may add (a "billion laughs"
//!   stops at the first alias past the budget, with that alias's position),
//!   rejects duplicate keys at the second key, and its syntax errors carry a
//!   position.
//! - `serde-saphyr` has `Spanned<T>`, depth and node budgets, and the same
//!   positions, but it deserializes into Rust types. Read as a generic tree
//!   (Verity reads front matter key by key to report every problem), a
//!   scalar arrives already typed: `1.10` is the number 1.1, `0x1F` is 31,
//!   and by default `yes`, `no`, `on`, `off` are booleans (YAML 1.1), so
//!   the text as written, which Verity keeps, would be lost.
//!
//! `saphyr_parser::Parser::load` recurses once per nesting level, and so
//! would dropping a very deep tree; [`parse`] therefore feeds the parser's
//! events to the loader itself and stops past [`MAX_DEPTH`] levels, as
//! libyaml did.
//!
//! Not kept from `serde_yaml`: its (libyaml's) wording of syntax errors.
//! Positions of syntax errors mostly agree; where they differ, saphyr's
//! point at the cause (an unclosed quote at its opening quote rather than
//! at the end of the text, a duplicate key at its second occurrence rather
//! than at the mapping, a second document at its `---`), except that a tab
//! in indentation is reported at the text after it.
//!
//! # Semantics (YAML 1.2 core schema)
//!
//! - `true`/`false` (also `True`, `TRUE` …) are booleans; `yes`, `no`, `on`,
//!   `off` are text, as they were with `serde_yaml` 0.9.
//! - `~`, `null` and an empty value are null, which Verity reads as absent.
//! - A scalar read as text is the text as written: `verdict: false` is the
//!   key `false`, `title: 1.10` is `1.10` (`serde_yaml` printed the number it
//!   had parsed, `1.1`), a quoted `"007"` is `007`.
//! - Numbers: `0o17` is octal, `0x1F` hexadecimal; `010` is the integer 10
//!   (YAML 1.2; `serde_yaml` kept it as text, so `per_page: 010` was refused).
//! - A file holds one document; a second `---` is an error at that line.

use saphyr::{MarkedYaml, Scalar as Resolved, ScalarStyle, Tag, YamlData, YamlLoader};
use saphyr_parser::{Event, Marker, Parser, ScanError, SpannedEventReceiver};
use serde::de::value::{Error as DeError, MapDeserializer, SeqDeserializer};
use serde::de::{DeserializeOwned, Deserializer, IntoDeserializer, Visitor};
use std::borrow::Cow;

/// Deepest nesting of lists and mappings accepted (libyaml's limit, which
/// `serde_yaml` had).
pub const MAX_DEPTH: usize = 128;

/// Most nodes that aliases may add to one document. Front matter and
/// settings need a handful; a "billion laughs" needs millions.
pub const ALIAS_BUDGET: usize = 10_000;

/// A 1-based position inside the parsed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub col: usize,
}

impl Pos {
    fn of(marker: Marker) -> Pos {
        Pos {
            line: marker.line(),
            col: marker.col() + 1,
        }
    }
}

/// One node of a parsed document and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the node starts: of a scalar, its text (inside the quotes of a
    /// quoted one; at its tag or anchor when it has one); of a block scalar
    /// (`|`, `>`), its first line of text; of a list item, the item after
    /// its `- `; of a block mapping, its first key; of a flow list or
    /// mapping, its bracket.
    pub at: Pos,
    /// What it holds.
    pub kind: Kind,
}

/// What a node holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// `~`, `null` or nothing.
    Null,
    /// Text, a boolean or a number.
    Scalar(Scalar),
    /// A list.
    Sequence(Vec<Node>),
    /// A mapping, in document order.
    Mapping(Vec<(Node, Node)>),
}

/// A scalar: its text as written (quotes and escapes resolved) and what the
/// core schema reads it as.
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    /// The text as written.
    pub text: String,
    /// The typed reading.
    pub value: Typed,
}

/// The core-schema reading of a scalar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Typed {
    /// Text (any quoted scalar, and plain ones that are nothing else).
    Text,
    /// `true` or `false`.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A number with a fraction or exponent, `.inf`, `.nan`.
    Float(f64),
}

impl Node {
    /// The text of a scalar as written (so `verdict: false` is `false`);
    /// `None` for null, lists and mappings.
    pub fn text(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar(s) => Some(&s.text),
            _ => None,
        }
    }

    /// Whether the node is null.
    pub fn is_null(&self) -> bool {
        self.kind == Kind::Null
    }

    /// A boolean, when the node is one.
    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            Kind::Scalar(Scalar {
                value: Typed::Bool(b),
                ..
            }) => Some(*b),
            _ => None,
        }
    }

    /// A whole number of 0 or more, when the node is one.
    pub fn as_u64(&self) -> Option<u64> {
        match &self.kind {
            Kind::Scalar(Scalar {
                value: Typed::Int(n),
                ..
            }) => u64::try_from(*n).ok(),
            _ => None,
        }
    }

    /// The items of a list (none for anything else).
    pub fn items(&self) -> &[Node] {
        match &self.kind {
            Kind::Sequence(items) => items,
            _ => &[],
        }
    }

    /// The key and value of `key` in a mapping (the first, should a
    /// differently quoted spelling repeat it).
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        match &self.kind {
            Kind::Mapping(pairs) => pairs
                .iter()
                .find(|(k, _)| k.text() == Some(key))
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    /// The value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }
}

/// A YAML syntax error with its 1-based position inside the parsed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line inside the parsed text.
    pub line: usize,
    /// 1-based column inside the parsed text.
    pub col: usize,
    /// What is wrong, without position.
    pub message: String,
}

impl YamlError {
    fn at(marker: Marker, message: impl Into<String>) -> YamlError {
        let Pos { line, col } = Pos::of(marker);
        YamlError {
            line,
            col,
            message: message.into(),
        }
    }

    fn scan(e: &ScanError) -> YamlError {
        YamlError::at(*e.marker(), e.info())
    }

    /// Names the flow list or mapping still open at the error, which the
    /// parser's message may not mention (`tags: [a, b` then `date: …` is
    /// "illegal placement of ':' indicator" on the next line).
    fn within(mut self, text: &str, open: Option<&Marker>) -> YamlError {
        let Some(open) = open else { return self };
        if self.message.contains("flow") {
            return self;
        }
        let rest: String = text
            .chars()
            .skip(open.index())
            .take_while(|&c| c != '\n')
            .take(24)
            .collect();
        let what = match rest.chars().next() {
            Some('[') => "list",
            Some('{') => "mapping",
            _ => return self,
        };
        self.message = format!(
            "{}, while the {what} `{}` is still open",
            self.message,
            rest.trim_end()
        );
        self
    }
}

/// Parses one YAML document. An empty document (or only comments) is null
/// at 1:1.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    let mut parser = Parser::new_from_str(text);
    let mut loader = YamlLoader::<MarkedYaml>::default();
    loader.early_parse(false);
    loader.alias_limit(ALIAS_BUDGET);
    // Where each list and mapping still open started.
    let mut open: Vec<Marker> = Vec::new();
    let mut documents = 0usize;
    while let Some(next) = parser.next_event() {
        let (event, mut span) = next.map_err(|e| YamlError::scan(&e).within(text, open.last()))?;
        match &event {
            // A quoted scalar's text starts after its quote (when no tag or
            // anchor comes first, the span starts at the quote).
            Event::Scalar(_, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted, 0, None) => {
                let start = span.start;
                span.start = Marker::new(start.index() + 1, start.line(), start.col() + 1);
            }
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(YamlError::at(
                        span.start,
                        "a second YAML document starts here; only one is allowed",
                    ));
                }
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                open.push(span.start);
                if open.len() > MAX_DEPTH {
                    return Err(YamlError::at(
                        span.start,
                        format!("lists and mappings nest more than {MAX_DEPTH} deep"),
                    ));
                }
            }
            Event::SequenceEnd | Event::MappingEnd => {
                open.pop();
            }
            _ => {}
        }
        loader.on_event(event, span);
        if let Some(e) = loader.error() {
            return Err(YamlError::scan(e));
        }
    }
    Ok(loader
        .into_documents()
        .into_iter()
        .next()
        .map(node)
        .unwrap_or(Node {
            at: Pos { line: 1, col: 1 },
            kind: Kind::Null,
        }))
}

/// The loader's node as a [`Node`]. Depth is bounded by [`MAX_DEPTH`] plus
/// what [`ALIAS_BUDGET`] lets aliases add.
fn node(yaml: MarkedYaml<'_>) -> Node {
    let at = Pos::of(yaml.span.start);
    let kind = match yaml.data {
        YamlData::Representation(text, style, tag) => scalar(text, style, tag),
        YamlData::Sequence(items) => Kind::Sequence(items.into_iter().map(node).collect()),
        YamlData::Mapping(pairs) => {
            Kind::Mapping(pairs.into_iter().map(|(k, v)| (node(k), node(v))).collect())
        }
        // A list or mapping with an application tag (`!mine [a]`): the tag
        // means nothing to Verity.
        YamlData::Tagged(_, inner) => return Node { at, ..node(*inner) },
        // Early parsing is off, so no `Value`; an alias is resolved by the
        // loader; a bad value only follows an error, which `parse` returned.
        YamlData::Value(_) | YamlData::Alias(_) | YamlData::BadValue => Kind::Null,
    };
    Node { at, kind }
}

fn scalar(text: Cow<'_, str>, style: ScalarStyle, tag: Option<Cow<'_, Tag>>) -> Kind {
    let value = match Resolved::parse_from_cow_and_metadata(text.clone(), style, tag.as_ref()) {
        Some(Resolved::Null) => return Kind::Null,
        Some(Resolved::Boolean(b)) => Typed::Bool(b),
        Some(Resolved::Integer(n)) => Typed::Int(n),
        Some(Resolved::FloatingPoint(f)) => Typed::Float(f.into_inner()),
        // Text, or a value its tag refuses (`!!int abc`): the text.
        Some(Resolved::String(_)) | None => Typed::Text,
    };
    Kind::Scalar(Scalar {
        text: text.into_owned(),
        value,
    })
}

/// Reads a node into a typed value (serde). Scalars read as text keep the
/// text as written, as [`Node::text`] does; the error is serde's message,
/// without position (the caller knows the node's).
pub fn from_node<T: DeserializeOwned>(node: &Node) -> Result<T, String> {
    T::deserialize(Reader(node)).map_err(|e| e.to_string())
}

/// A [`Node`] as a serde deserializer.
#[derive(Clone, Copy)]
struct Reader<'a>(&'a Node);

impl<'de> IntoDeserializer<'de, DeError> for Reader<'_> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> Deserializer<'de> for Reader<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.0.kind {
            Kind::Null => visitor.visit_unit(),
            Kind::Scalar(s) => match s.value {
                Typed::Text => visitor.visit_str(&s.text),
                Typed::Bool(b) => visitor.visit_bool(b),
                Typed::Int(n) => visitor.visit_i64(n),
                Typed::Float(f) => visitor.visit_f64(f),
            },
            Kind::Sequence(items) => {
                let mut seq = SeqDeserializer::new(items.iter().map(Reader));
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            Kind::Mapping(pairs) => {
                let mut map =
                    MapDeserializer::new(pairs.iter().map(|(k, v)| (Reader(k), Reader(v))));
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(value)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0.kind {
            Kind::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0.text() {
            Some(text) => visitor.visit_str(text),
            None => self.deserialize_any(visitor),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize, col: usize) -> Pos {
        Pos { line, col }
    }

    #[test]
    fn keys_values_and_items_carry_their_positions() {
        let doc = parse(
            "title: x\ntags: [a, \"b c\"]\nsources:\n  - one\n  - id: two\n    url: u\nq: !!str 'x'\n",
        )
        .unwrap();
        let (key, value) = doc.entry("tags").unwrap();
        assert_eq!((key.at, value.at), (at(2, 1), at(2, 7)));
        let tags: Vec<(Option<&str>, Pos)> =
            value.items().iter().map(|n| (n.text(), n.at)).collect();
        assert_eq!(tags, [(Some("a"), at(2, 8)), (Some("b c"), at(2, 12))]);
        assert_eq!(doc.get("q").map(|n| n.at), Some(at(7, 4)));
        let sources = doc.get("sources").unwrap().items();
        assert_eq!(sources[0].at, at(4, 5));
        assert_eq!(sources[1].at, at(5, 5));
        assert_eq!(sources[1].get("url").map(|n| n.at), Some(at(6, 10)));
    }

    #[test]
    fn scalars_keep_their_text_and_read_as_yaml_1_2() {
        let doc = parse(
            "a: false\nb: 1.10\nc: yes\nd: off\ne: 0o17\nf: \"true\"\ng: ~\nh:\ni: TRUE\nj: 010\n",
        )
        .unwrap();
        let get = |k: &str| doc.get(k).unwrap();
        assert_eq!(get("a").text(), Some("false"));
        assert_eq!(get("a").as_bool(), Some(false));
        assert_eq!(get("b").text(), Some("1.10"));
        assert_eq!(get("c").as_bool(), None, "`yes` is text in YAML 1.2");
        assert_eq!(get("d").text(), Some("off"));
        assert_eq!(get("e").as_u64(), Some(15));
        assert_eq!(get("f").as_bool(), None, "a quoted scalar is text");
        assert!(get("g").is_null() && get("h").is_null());
        assert_eq!(get("i").as_bool(), Some(true));
        assert_eq!(get("j").as_u64(), Some(10));
        assert_eq!(parse("# only a comment\n").unwrap().kind, Kind::Null);
        assert_eq!(parse("").unwrap().kind, Kind::Null);
    }

    #[test]
    fn syntax_errors_carry_a_position() {
        let err = parse("title: ok\nclaim: [unclosed\ndate: x\n").unwrap_err();
        assert_eq!((err.line, err.col), (3, 5), "{err:?}");
        assert_eq!(
            err.message,
            "illegal placement of ':' indicator, while the list `[unclosed` is still open"
        );
        let err = parse("tags: [a, b\n").unwrap_err();
        assert_eq!(
            err.message,
            "while parsing a flow sequence, expected ',' or ']'"
        );
        let err = parse("tags: [a, @b]\n").unwrap_err();
        assert_eq!(
            err.message,
            "unexpected character: `@', while the list `[a, @b]` is still open"
        );
        let err = parse("title: x\ntitle: y\n").unwrap_err();
        assert_eq!((err.line, err.col), (2, 1), "{err:?}");
        let err = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert_eq!((err.line, err.col), (2, 1), "{err:?}");
    }

    #[test]
    fn alias_bombs_and_deep_nesting_stop_early() {
        let mut bomb = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
            .iter()
            .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            bomb.push_str(&format!(
                "{name}: &{name} [{}]\n",
                vec![format!("*{prev}"); 9].join(", ")
            ));
        }
        let start = std::time::Instant::now();
        let err = parse(&bomb).unwrap_err();
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
        assert!(err.message.contains("alias"), "{err:?}");
        for deep in ["- ".repeat(100_000), "[".repeat(100_000)] {
            let err = parse(&deep).unwrap_err();
            assert_eq!(err.line, 1, "{err:?}");
        }
        let nested: String = (0..1_000)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        assert!(parse(&nested).is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Any mix of YAML's indicators, quotes, tabs and line breaks parses
        /// or fails with a position inside the text (or just past its end),
        /// never panics.
        #[test]
        fn any_text_parses_or_fails_inside_it(
            text in "([-:?,\\[\\]{}#&*!|>'\"%@` \t\n]|key|é|1\\.5|~|true|---|\\.\\.\\.){0,60}"
        ) {
            let lines = text.split('\n').count().max(1);
            match parse(&text) {
                Ok(node) => {
                    let _ = from_node::<std::collections::BTreeMap<String, String>>(&node);
                }
                Err(e) => proptest::prop_assert!(
                    e.line >= 1 && e.line <= lines + 1 && e.col >= 1,
                    "{e:?} for {text:?}"
                ),
            }
        }
    }

    #[test]
    fn typed_values_read_text_as_written() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        #[serde(deny_unknown_fields)]
        struct Verdict {
            key: String,
            rating: Option<i64>,
        }
        let doc = parse("- key: false\n  rating: 1\n- key: mixed\n").unwrap();
        let v: Vec<Verdict> = from_node(&doc).unwrap();
        assert_eq!(
            v[0],
            Verdict {
                key: "false".into(),
                rating: Some(1)
            }
        );
        assert_eq!(v[1].rating, None);
        let err = from_node::<Vec<Verdict>>(&parse("- key: x\n  lable: y\n").unwrap()).unwrap_err();
        assert!(err.starts_with("unknown field `lable`"), "{err}");
        let err =
            from_node::<Vec<Verdict>>(&parse("- key: x\n  rating: high\n").unwrap()).unwrap_err();
        assert_eq!(err, "invalid type: string \"high\", expected i64");
    }
}
