//! Which `Host:` names the preview server answers: a guard against DNS
//! rebinding.
//!
//! A page on any website can point its own domain at 127.0.0.1 and then
//! read the preview, drafts included, as same-origin content. The browser
//! still sends that domain as the `Host` header, so the server answers only
//! requests whose host (any port) is `localhost`, `127.0.0.1` or `[::1]`,
//! the address it listens on, or a name given with `--allowed-host`. When
//! it listens on every address (`0.0.0.0` or `::`), any IP address is "the
//! address it listens on": an address typed as digits cannot be rebound,
//! because no DNS lookup is involved. Everything else, a missing `Host`
//! included, gets 403 with a one-line reason, on pages and on the
//! live-reload stream alike ([`guard`] wraps the whole router).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::uri::Authority;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use std::net::IpAddr;
use std::sync::Arc;

/// The reason a refused request is given.
pub const REFUSAL: &str = "403 Forbidden: this preview answers only for localhost, 127.0.0.1, [::1], the address it listens on and names given with --allowed-host (a guard against DNS rebinding)\n";

/// The host names and addresses the server answers for.
#[derive(Debug, Clone)]
pub struct AllowedHosts {
    bound: IpAddr,
    names: Vec<String>,
}

impl AllowedHosts {
    /// For a server listening on `bound`, plus `names` (`--allowed-host`).
    pub fn new(bound: IpAddr, names: Vec<String>) -> AllowedHosts {
        let names = names.into_iter().map(|n| n.to_ascii_lowercase()).collect();
        AllowedHosts { bound, names }
    }

    /// Whether a request with this `Host` header value is answered.
    pub fn allows(&self, host: Option<&str>) -> bool {
        let Some(authority) = host.and_then(|h| h.parse::<Authority>().ok()) else {
            return false;
        };
        if authority.as_str().contains('@') {
            return false;
        }
        let name = authority.host().to_ascii_lowercase();
        if matches!(name.as_str(), "localhost" | "127.0.0.1" | "[::1]")
            || self.names.contains(&name)
        {
            return true;
        }
        let Ok(ip) = name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
        else {
            return false;
        };
        ip == self.bound || self.bound.is_unspecified()
    }
}

/// Checks a name given with `--allowed-host`: a host alone, no port,
/// scheme or path.
pub fn parse_name(written: &str) -> Result<String, String> {
    match written.parse::<Authority>() {
        Ok(a) if a.port().is_none() && !a.as_str().contains('@') && !a.host().is_empty() => {
            Ok(a.host().to_ascii_lowercase())
        }
        _ => Err(format!(
            "`{written}` is not a host name; give the name alone, e.g. `preview.lan`"
        )),
    }
}

/// The middleware: answers 403 unless the `Host` header is allowed.
pub async fn guard(
    State(allowed): State<Arc<AllowedHosts>>,
    request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok());
    if allowed.allows(host) {
        return next.run(request).await;
    }
    let mut response = Response::new(Body::from(REFUSAL));
    *response.status_mut() = StatusCode::FORBIDDEN;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_the_bound_address_and_allowed_names() {
        let local = AllowedHosts::new("127.0.0.1".parse().unwrap(), vec!["Preview.lan".into()]);
        for ok in [
            "localhost",
            "localhost:1111",
            "LOCALHOST:80",
            "127.0.0.1",
            "127.0.0.1:54321",
            "[::1]",
            "[::1]:1111",
            "preview.lan",
            "preview.lan:1111",
        ] {
            assert!(local.allows(Some(ok)), "{ok}");
        }
        for refused in [
            "evil.example",
            "evil.example:1111",
            "127.0.0.1.evil.example",
            "localhost.evil.example",
            "127.0.0.2",
            "2130706433",
            "user@localhost",
            "",
            "local host",
        ] {
            assert!(!local.allows(Some(refused)), "{refused}");
        }
        assert!(!local.allows(None));

        let lan = AllowedHosts::new("192.168.1.5".parse().unwrap(), Vec::new());
        assert!(lan.allows(Some("192.168.1.5:1111")));
        assert!(!lan.allows(Some("192.168.1.6:1111")));
        let any = AllowedHosts::new("0.0.0.0".parse().unwrap(), Vec::new());
        assert!(any.allows(Some("10.0.0.7:1111")));
        assert!(any.allows(Some("[fe80::1]:1111")));
        assert!(!any.allows(Some("evil.example")));
    }

    #[test]
    fn allowed_names_are_hosts_alone() {
        assert_eq!(parse_name("Preview.LAN").as_deref(), Ok("preview.lan"));
        for bad in ["preview.lan:1111", "http://preview.lan", "a/b", "u@h", ""] {
            assert!(parse_name(bad).is_err(), "{bad}");
        }
    }
}
