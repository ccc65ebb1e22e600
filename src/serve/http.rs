//! The HTTP side of `serve`: request path → a file of the site, and the
//! live-reload event stream.
//!
//! Paths are percent-decoded first, then refused if they hold `..` or `.`
//! segments, backslashes, NUL or other control characters; what is left is
//! looked up among the site's own files only (its routes and the listed
//! files of `static/`), so no request can reach a file outside the site
//! whatever it says. A folder serves its `index.html`, a folder without its trailing
//! slash is redirected to it, and anything else gets the site's `404.html`
//! with status 404.

use super::overlay::{inject, injection};
use super::{Missing, Shared, Snapshot};
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
use std::sync::Arc;
use tokio_stream::{Stream, StreamExt as _, wrappers::WatchStream};

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer {
    /// This key of the output.
    File(String),
    /// Redirect to this path.
    Redirect(String),
    /// Nothing there.
    NotFound,
    /// A path no file can have.
    Bad,
}

/// Resolves a raw request path against the output's keys; `url_root` is the
/// site's URL root (`/` or `/desk/`).
pub fn resolve(raw: &str, url_root: &str, exists: impl Fn(&str) -> bool) -> Answer {
    let Ok(path) = percent_encoding::percent_decode_str(raw).decode_utf8() else {
        return Answer::Bad;
    };
    if !path.starts_with('/')
        || path.contains('\\')
        || path.chars().any(char::is_control)
        || path.split('/').any(|s| s == ".." || s == ".")
    {
        return Answer::Bad;
    }
    if path == url_root.trim_end_matches('/') || (path == "/" && url_root != "/") {
        return Answer::Redirect(url_root.to_string());
    }
    let Some(rest) = path.strip_prefix(url_root) else {
        return Answer::NotFound;
    };
    if rest.starts_with('/') {
        // `//x` names no file of the site (and is not an absolute path here).
        return Answer::NotFound;
    }
    if rest.is_empty() || rest.ends_with('/') {
        let key = format!("{rest}index.html");
        return if exists(&key) {
            Answer::File(key)
        } else {
            Answer::NotFound
        };
    }
    if exists(rest) {
        Answer::File(rest.to_string())
    } else if exists(&format!("{rest}/index.html")) {
        Answer::Redirect(format!("{path}/"))
    } else {
        Answer::NotFound
    }
}

/// The content type of a file, by extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// Every request that is not the event stream.
pub async fn page(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD").into_response();
    }
    let snapshot = shared.snapshot();
    let Some(site) = snapshot.site.clone() else {
        // No good build yet: a page that shows the errors, or waits.
        let status = if snapshot.errors.is_some() {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        };
        let body = b"<!DOCTYPE html><html><head><title>Verity</title></head><body><p>Building the site\xe2\x80\xa6</p></body></html>";
        return html(&snapshot, status, body);
    };
    let answer = resolve(uri.path(), site.url_root(), |k| site.exists(k));
    let (status, key) = match answer {
        Answer::File(key) => (StatusCode::OK, key),
        Answer::NotFound => (StatusCode::NOT_FOUND, crate::urls::NOT_FOUND.to_string()),
        Answer::Redirect(to) => {
            return Response::builder()
                .status(StatusCode::MOVED_PERMANENTLY)
                .header(header::LOCATION, to)
                .header(header::CACHE_CONTROL, "no-store")
                .body(Body::empty())
                .unwrap_or_default();
        }
        Answer::Bad => {
            return file(
                StatusCode::BAD_REQUEST,
                "text/plain; charset=utf-8",
                b"bad request path".to_vec(),
            );
        }
    };
    // Rendering is CPU work: off the threads that answer requests.
    let wanted = key.clone();
    let bytes = tokio::task::spawn_blocking(move || site.file(&wanted)).await;
    match bytes {
        Ok(Ok(bytes)) => {
            let kind = content_type(&key);
            if kind.starts_with("text/html") {
                html(&snapshot, status, &bytes)
            } else {
                file(status, kind, bytes.to_vec())
            }
        }
        Ok(Err(Missing::Failed(overlay))) => {
            let shown = Snapshot {
                errors: Some(overlay.into()),
                ..snapshot.clone()
            };
            let body =
                b"<!DOCTYPE html><html><head><title>Verity</title></head><body></body></html>";
            html(&shown, StatusCode::INTERNAL_SERVER_ERROR, body)
        }
        Ok(Err(Missing::NotFound)) | Err(_) => file(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            b"not found".to_vec(),
        ),
    }
}

fn html(snapshot: &Snapshot, status: StatusCode, bytes: &[u8]) -> Response {
    let insert = injection(snapshot.build, snapshot.errors.as_deref());
    file(status, "text/html; charset=utf-8", inject(bytes, &insert))
}

fn file(status: StatusCode, kind: &'static str, body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// `/__verity/livereload`: Server-Sent Events, one `build` event with the
/// current build number on connect and one after every rebuild.
pub async fn livereload(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let stream = WatchStream::new(shared.builds.subscribe())
        .map(|build| Ok(Event::default().event("build").data(build.to_string())));
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_paths_to_keys_only() {
        let keys = [
            "index.html",
            "briefs/a/index.html",
            "verity.css",
            "404.html",
        ];
        let exists = |k: &str| keys.contains(&k);
        let r = |p: &str| resolve(p, "/", exists);
        assert_eq!(r("/"), Answer::File("index.html".into()));
        assert_eq!(r("/briefs/a/"), Answer::File("briefs/a/index.html".into()));
        assert_eq!(r("/briefs/a"), Answer::Redirect("/briefs/a/".into()));
        assert_eq!(r("/verity.css"), Answer::File("verity.css".into()));
        assert_eq!(
            r("/briefs/%61/"),
            Answer::File("briefs/a/index.html".into())
        );
        assert_eq!(r("/nope/"), Answer::NotFound);
        for bad in [
            "/../etc/passwd",
            "/briefs/../index.html",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2fetc/passwd",
            "/./index.html",
            "/a\\..\\b",
            "/%5c..%5cb",
            "/a%00b",
            "/%ff",
            "etc/passwd",
        ] {
            assert_eq!(r(bad), Answer::Bad, "{bad}");
        }
        assert_eq!(r("//etc/passwd"), Answer::NotFound);
        assert_eq!(r("/etc/passwd"), Answer::NotFound);
    }

    #[test]
    fn serves_a_sub_path() {
        let exists = |k: &str| k == "index.html";
        assert_eq!(
            resolve("/", "/desk/", exists),
            Answer::Redirect("/desk/".into())
        );
        assert_eq!(
            resolve("/desk", "/desk/", exists),
            Answer::Redirect("/desk/".into())
        );
        assert_eq!(
            resolve("/desk/", "/desk/", exists),
            Answer::File("index.html".into())
        );
        assert_eq!(resolve("/other/", "/desk/", exists), Answer::NotFound);
    }
}
