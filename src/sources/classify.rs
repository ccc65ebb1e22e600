//! From an HTTP answer to a [`LinkState`]: the table of the link checker,
//! in one place.
//!
//! | state | when |
//! |---|---|
//! | `ok` | 2xx, also after redirects that change only the scheme or a trailing slash |
//! | `redirected` | 2xx after a redirect to another host or path |
//! | `blocked` | 401, 403, 451, 999, a bot challenge, 429 still after retries, any other 4xx |
//! | `dead` | 404, 410, a host that does not resolve, a redirect loop, more than 10 redirects, a redirect to a non-web address |
//! | `transient` | 5xx, 408, a timeout, a reset or refused connection, a TLS failure (after retries where they apply) |
//!
//! Other 4xx answers (400, 405, 406 …) count as `blocked`: the server
//! refuses to serve us, which is no proof the page is gone.

use super::http::{Reply, status_text};
use crate::content::source::LinkState;
use std::time::{Duration, SystemTime};

/// What one answer means, before retries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Final: no retry would change it.
    Final(LinkState, String),
    /// Worth another try (408, 429, 5xx, timeouts, resets); the state is
    /// what to report when no try is left. `retry_after` is the server's wish.
    Retry {
        /// The state if this was the last try.
        state: LinkState,
        /// Why.
        reason: String,
        /// `Retry-After`, if the server sent one we could read.
        retry_after: Option<Duration>,
        /// Whether the answer may be cached (never for 429).
        cacheable: bool,
    },
    /// A 2xx page.
    Page,
}

/// Classifies the final (non-redirect) answer to a request.
pub fn reply(reply: &Reply, now: SystemTime) -> Verdict {
    let status = reply.status;
    let retry_after = reply
        .header("retry-after")
        .and_then(|v| parse_retry_after(v, now));
    match status {
        200..=299 if is_challenge(reply) => {
            Verdict::Final(LinkState::Blocked, "a bot challenge page".to_string())
        }
        200..=299 => Verdict::Page,
        401 | 403 | 451 | 999 if is_challenge(reply) => Verdict::Final(
            LinkState::Blocked,
            format!("a bot challenge, {}", status_text(status)),
        ),
        401 | 403 | 451 | 999 => Verdict::Final(LinkState::Blocked, status_text(status)),
        404 | 410 => Verdict::Final(LinkState::Dead, status_text(status)),
        429 => Verdict::Retry {
            state: LinkState::Blocked,
            reason: status_text(status),
            retry_after,
            cacheable: false,
        },
        408 => Verdict::Retry {
            state: LinkState::Transient,
            reason: status_text(status),
            retry_after,
            cacheable: false,
        },
        500..=599 if is_challenge(reply) => Verdict::Final(
            LinkState::Blocked,
            format!("a bot challenge, {}", status_text(status)),
        ),
        500..=599 => Verdict::Retry {
            state: LinkState::Transient,
            reason: status_text(status),
            retry_after,
            cacheable: false,
        },
        400..=499 => Verdict::Final(LinkState::Blocked, status_text(status)),
        _ => Verdict::Final(
            LinkState::Transient,
            format!("unexpected answer {}", status_text(status)),
        ),
    }
}

/// Whether an answer is a bot check rather than the page: the marks that
/// the common bot-protection services put in their challenge pages.
pub fn is_challenge(reply: &Reply) -> bool {
    if reply
        .header("cf-mitigated")
        .is_some_and(|v| v.eq_ignore_ascii_case("challenge"))
    {
        return true;
    }
    let head = &reply.body[..reply.body.len().min(64 * 1024)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    const MARKS: &[&str] = &[
        "<title>just a moment...</title>",
        "<title>attention required! | cloudflare</title>",
        "/cdn-cgi/challenge-platform/",
        "captcha-delivery.com",
        "px-captcha",
        "_incapsula_resource",
        "<title>access denied</title>",
        "please enable js and disable any ad blocker",
    ];
    MARKS.iter().any(|m| text.contains(m))
}

/// `Retry-After` as seconds or as an HTTP date (then relative to `now`;
/// a date in the past is zero).
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Whether a redirect from `from` to `to` leads to the same page: only
/// the scheme, a default port, the host's case or a trailing slash differ.
pub fn same_page(from: &url::Url, to: &url::Url) -> bool {
    let key = |u: &url::Url| {
        (
            u.host_str().map(str::to_ascii_lowercase),
            u.port(),
            u.path().trim_end_matches('/').to_string(),
            u.query().map(str::to_string),
        )
    };
    key(from) == key(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> Reply {
        Reply::fake(status, headers, body)
    }

    #[test]
    fn the_table() {
        let now = SystemTime::UNIX_EPOCH;
        let state = |r: Reply| match reply(&r, now) {
            Verdict::Final(s, _) => s.as_str().to_string(),
            Verdict::Retry { state, .. } => format!("retry→{state}"),
            Verdict::Page => "page".to_string(),
        };
        assert_eq!(state(answer(200, &[], "<p>hi</p>")), "page");
        for s in [401, 403, 451, 999, 400, 406] {
            assert_eq!(state(answer(s, &[], "")), "blocked", "{s}");
        }
        for s in [404, 410] {
            assert_eq!(state(answer(s, &[], "")), "dead", "{s}");
        }
        assert_eq!(state(answer(429, &[], "")), "retry→blocked");
        for s in [408, 500, 502, 503] {
            assert_eq!(state(answer(s, &[], "")), "retry→transient", "{s}");
        }
        let challenge = answer(
            200,
            &[],
            "<html><head><title>Just a moment...</title></head></html>",
        );
        assert_eq!(state(challenge), "blocked");
        assert_eq!(
            state(answer(503, &[("cf-mitigated", "challenge")], "")),
            "blocked"
        );
        assert_eq!(state(answer(304, &[], "")), "transient");
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_736_150_400); // 2025-01-06 08:00:00 UTC
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Mon, 06 Jan 2025 08:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Mon, 06 Jan 2025 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn same_page_ignores_scheme_and_trailing_slash_only() {
        let u = |s: &str| url::Url::parse(s).unwrap();
        assert!(same_page(&u("http://a.org/x"), &u("https://a.org/x/")));
        assert!(same_page(&u("http://A.org/x/"), &u("https://a.org/x")));
        assert!(!same_page(&u("https://a.org/x"), &u("https://www.a.org/x")));
        assert!(!same_page(&u("https://a.org/x"), &u("https://a.org/y")));
        assert!(!same_page(&u("https://a.org/x?a=1"), &u("https://a.org/x")));
    }
}
