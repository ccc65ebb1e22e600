//! The one place that talks HTTP: a [`Transport`] trait the link checker and
//! the archive lookups call, and its real implementation on `ureq` with
//! rustls.
//!
//! The transport makes exactly one request: it never follows redirects
//! (the checker does, to tell `ok` from `redirected`, to catch loops and
//! non-web targets), reads at most `body_cap` bytes of a body *after*
//! decompression (so a gzip bomb costs a few megabytes at most), and stops
//! at `timeout` however slowly the server sends. A TLS failure is an error
//! like any other: certificates are always verified.

use std::io::Read as _;
use std::time::Duration;

/// An HTTP method the checker uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST` with a form body (Save Page Now).
    Post,
}

/// One request.
#[derive(Debug, Clone)]
pub struct Request {
    /// The method.
    pub method: Method,
    /// The absolute URL.
    pub url: String,
    /// Extra headers.
    pub headers: Vec<(&'static str, String)>,
    /// `application/x-www-form-urlencoded` fields of a `POST`.
    pub form: Vec<(&'static str, String)>,
    /// The whole call, body included.
    pub timeout: Duration,
    /// Read at most this many (decompressed) bytes of the body.
    pub body_cap: usize,
}

impl Request {
    /// A `GET` of `url`.
    pub fn get(url: &str, timeout: Duration, body_cap: usize) -> Request {
        Request {
            method: Method::Get,
            url: url.to_string(),
            headers: Vec::new(),
            form: Vec::new(),
            timeout,
            body_cap,
        }
    }
}

/// A response, with at most `body_cap` bytes of its body.
#[derive(Debug, Clone, Default)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// Headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The (decompressed) body, cut at the cap. Empty for redirects.
    pub body: Vec<u8>,
    /// Whether the body went on past the cap.
    pub truncated: bool,
}

impl Reply {
    /// The first header called `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
impl Reply {
    /// A whole answer, for tests.
    pub(crate) fn fake(status: u16, headers: &[(&str, &str)], body: &str) -> Reply {
        Reply {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
            truncated: false,
        }
    }
}

/// Why a request got no response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetError {
    /// The host name does not resolve.
    Dns,
    /// No answer in time (connecting, waiting or reading the body).
    Timeout,
    /// The connection was reset or closed mid-answer.
    Reset,
    /// Nothing listens there.
    Refused,
    /// The TLS handshake failed (an invalid certificate, for one).
    Tls(String),
    /// Anything else (a broken response, for one).
    Other(String),
}

impl std::fmt::Display for NetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NetError::Dns => f.write_str("the host name does not resolve"),
            NetError::Timeout => f.write_str("timed out"),
            NetError::Reset => f.write_str("the connection was reset"),
            NetError::Refused => f.write_str("the connection was refused"),
            NetError::Tls(m) => write!(f, "TLS failure: {m}"),
            NetError::Other(m) => f.write_str(m),
        }
    }
}

/// Makes one HTTP request. Implementations must be usable from many
/// threads at once.
pub trait Transport: Send + Sync {
    /// Sends `request` and reads the answer.
    fn send(&self, request: &Request) -> Result<Reply, NetError>;
}

/// The standard reason phrase of a status (`404` → `Not Found`), if any.
pub fn reason_phrase(status: u16) -> Option<&'static str> {
    ureq::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
}

/// `HTTP 404 Not Found`.
pub fn status_text(status: u16) -> String {
    match reason_phrase(status) {
        Some(r) => format!("HTTP {status} {r}"),
        None => format!("HTTP {status}"),
    }
}

/// The real transport: `ureq` on rustls with the Mozilla roots
/// (`webpki-roots`), so no system OpenSSL and the same trust everywhere.
/// Proxies come from the usual `HTTP(S)_PROXY`/`NO_PROXY` variables.
#[derive(Debug)]
pub struct UreqTransport {
    agent: ureq::Agent,
}

/// Whether requests go through a proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proxies {
    /// The one named by `ALL_PROXY`, `HTTPS_PROXY` or `HTTP_PROXY`, except
    /// for the hosts of `NO_PROXY` (what `verity sources` uses).
    FromEnvironment,
    /// None: every request goes straight to its host (the test suite's
    /// loopback servers).
    Direct,
}

impl UreqTransport {
    /// A transport sending `user_agent`, giving up connecting after
    /// `connect_timeout`.
    pub fn new(user_agent: &str, connect_timeout: Duration, proxies: Proxies) -> UreqTransport {
        let proxy = match proxies {
            Proxies::FromEnvironment => ureq::Proxy::try_from_env(),
            Proxies::Direct => None,
        };
        let config = ureq::Agent::config_builder()
            .proxy(proxy)
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(user_agent)
            .accept("text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
            .timeout_connect(Some(connect_timeout))
            .timeout_resolve(Some(connect_timeout))
            .max_response_header_size(64 * 1024)
            .build();
        let agent = ureq::Agent::with_parts(
            config,
            ureq::unversioned::transport::DefaultConnector::default(),
            Resolver::default(),
        );
        UreqTransport { agent }
    }
}

impl Transport for UreqTransport {
    fn send(&self, request: &Request) -> Result<Reply, NetError> {
        let response = match request.method {
            Method::Get => {
                let mut b = self.agent.get(&request.url);
                for (name, value) in &request.headers {
                    b = b.header(*name, value);
                }
                b.config()
                    .timeout_global(Some(request.timeout))
                    .build()
                    .call()
            }
            Method::Post => {
                let mut b = self.agent.post(&request.url);
                for (name, value) in &request.headers {
                    b = b.header(*name, value);
                }
                let form: Vec<(&str, &str)> =
                    request.form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                b.config()
                    .timeout_global(Some(request.timeout))
                    .build()
                    .send_form(form)
            }
        }
        .map_err(net_error)?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let mut reply = Reply {
            status,
            headers,
            body: Vec::new(),
            truncated: false,
        };
        if (300..400).contains(&status) || request.body_cap == 0 {
            return Ok(reply);
        }
        let cap = request.body_cap as u64;
        let reader = response.into_body().into_reader();
        reader
            .take(cap + 1)
            .read_to_end(&mut reply.body)
            .map_err(io_error)?;
        if reply.body.len() as u64 > cap {
            reply.body.truncate(request.body_cap);
            reply.truncated = true;
        }
        Ok(reply)
    }
}

fn net_error(e: ureq::Error) -> NetError {
    use ureq::Error as E;
    match e {
        E::HostNotFound => NetError::Dns,
        E::Timeout(_) | E::BodyStalled => NetError::Timeout,
        E::Io(e) => io_kind(&e),
        E::ConnectionFailed => NetError::Refused,
        E::Tls(m) => NetError::Tls(m.to_string()),
        E::Rustls(e) => NetError::Tls(e.to_string()),
        E::Pem(e) => NetError::Tls(e.to_string()),
        E::TlsRequired => NetError::Tls("the server requires TLS".to_string()),
        E::Decompress(_, _) => NetError::Other("the body's compression is broken".to_string()),
        E::LargeResponseHeader(_, _) => {
            NetError::Other("the response headers are too large".to_string())
        }
        E::Protocol(e) => NetError::Other(format!("not a valid HTTP answer ({e})")),
        other => NetError::Other(other.to_string()),
    }
}

/// Errors while reading the body come through `std::io`, with ureq's own
/// error inside when it has one.
fn io_error(e: std::io::Error) -> NetError {
    if e.get_ref().is_some_and(|inner| inner.is::<ureq::Error>()) {
        return match e.into_inner().map(|b| b.downcast::<ureq::Error>()) {
            Some(Ok(u)) => net_error(*u),
            Some(Err(other)) => NetError::Other(other.to_string()),
            None => NetError::Other("the body could not be read".to_string()),
        };
    }
    io_kind(&e)
}

fn io_kind(e: &std::io::Error) -> NetError {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::ConnectionRefused => NetError::Refused,
        K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe | K::UnexpectedEof => {
            NetError::Reset
        }
        K::TimedOut | K::WouldBlock => NetError::Timeout,
        _ => match e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
            Some(tls) => NetError::Tls(tls.to_string()),
            None => NetError::Other(e.to_string()),
        },
    }
}

/// Name resolution for the checker: the system's, except that names under
/// `.invalid` (RFC 6761) never resolve and are never asked of DNS, and
/// every failure to resolve is reported as "does not resolve".
#[derive(Debug, Default)]
struct Resolver(ureq::unversioned::resolver::DefaultResolver);

impl ureq::unversioned::resolver::Resolver for Resolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: ureq::unversioned::transport::NextTimeout,
    ) -> Result<ureq::unversioned::resolver::ResolvedSocketAddrs, ureq::Error> {
        let host = uri.host().unwrap_or("").trim_end_matches('.');
        if is_reserved_invalid(host) {
            return Err(ureq::Error::HostNotFound);
        }
        match self.0.resolve(uri, config, timeout) {
            Err(ureq::Error::Io(_)) => Err(ureq::Error::HostNotFound),
            other => other,
        }
    }
}

/// Whether `host` is `invalid` or under `.invalid`.
pub fn is_reserved_invalid(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    host == "invalid" || host.ends_with(".invalid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_names_are_reserved() {
        assert!(is_reserved_invalid("dead.example.invalid"));
        assert!(is_reserved_invalid("X.INVALID."));
        assert!(!is_reserved_invalid("invalid.example.org"));
    }

    #[test]
    fn status_texts() {
        assert_eq!(status_text(404), "HTTP 404 Not Found");
        assert_eq!(status_text(999), "HTTP 999");
    }
}
