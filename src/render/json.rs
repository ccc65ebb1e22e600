//! JSON that is safe to place in HTML: every output that writes JSON (the
//! ClaimReview in a page's `<script>`, the DataFeed, the search index)
//! writes it through here.

use serde::Serialize;

/// `value` as JSON text with `<`, `>` and `&` written as `\u003c`,
/// `\u003e` and `\u0026`: the same data (they can only occur inside
/// strings), and never markup, so no text can close a `<script>` element or
/// open a comment in it.
pub fn safe<T: Serialize + ?Sized>(value: &T) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "null".to_string());
    if !text.contains(['<', '>', '&']) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn safe_json_never_holds_markup_characters() {
        let v = serde_json::json!({"claim": "</script><!-- \"x\" & y"});
        let s = super::safe(&v);
        assert!(!s.contains(['<', '>', '&']), "{s}");
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
