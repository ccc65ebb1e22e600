//! The only module that names the YAML crate.
//!
//! `serde_yaml` is deprecated upstream; its maintained forks (for example
//! `serde_norway`) keep the same API, so replacing it is a change of the
//! `use` line below and of `Cargo.toml`. Everything else in Verity sees
//! [`Value`], [`Mapping`], [`parse`] and [`from_value`].

use serde::de::DeserializeOwned;
use serde_yaml as backend;

/// A parsed YAML document.
pub type Value = backend::Value;
/// A YAML mapping (keys in document order).
pub type Mapping = backend::Mapping;

/// A YAML syntax error with its 1-based position inside the parsed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line inside the parsed text.
    pub line: usize,
    /// 1-based column inside the parsed text.
    pub col: usize,
    /// What the parser said, without its own position suffix.
    pub message: String,
}

/// Parses one YAML document. An empty document is `Value::Null`.
pub fn parse(text: &str) -> Result<Value, YamlError> {
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    backend::from_str::<Value>(text).map_err(|e| {
        let (line, col) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        YamlError {
            line,
            col,
            message: strip_position(&e.to_string()),
        }
    })
}

/// Converts an already parsed value into a typed one; the error is the
/// deserializer's message without position (values carry none).
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    backend::from_value(value).map_err(|e| strip_position(&e.to_string()))
}

/// The parser appends " at line L column C" to its messages; Verity prints
/// positions itself, in `file:line:col` form.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// The text of a scalar: strings as they are, booleans and numbers as YAML
/// wrote them (so `verdict: false` is the key `false`). `None` for null,
/// sequences and mappings.
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Tagged(t) => scalar_text(&t.value),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_carry_a_position() {
        let err = parse("title: ok\nclaim: [unclosed\n").unwrap_err();
        assert!(err.line >= 2, "{err:?}");
        assert!(!err.message.contains(" at line "));
    }

    #[test]
    fn scalars_become_text() {
        assert_eq!(
            scalar_text(&parse("false").unwrap()).as_deref(),
            Some("false")
        );
        assert_eq!(scalar_text(&parse("3").unwrap()).as_deref(), Some("3"));
        assert_eq!(scalar_text(&parse("[a]").unwrap()), None);
    }
}
