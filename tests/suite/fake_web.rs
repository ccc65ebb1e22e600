//! A fake web on loopback for `verity sources`: answers scripted per path,
//! served on several loopback addresses (127.0.0.2, 127.0.0.3 …) so that
//! the checker's per-host politeness does not make a test slow. Every
//! request is logged. The servers stop when dropped (and after two minutes
//! whatever happens).

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Hit {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// The loopback address it came to.
    pub ip: String,
    pub at: Instant,
    /// Requests to the same address not yet answered when this one
    /// arrived (itself included).
    pub in_flight: usize,
}

impl Hit {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// A query (or form body) parameter, decoded.
    pub fn param(&self, name: &str) -> Option<String> {
        let from = |s: &str| {
            url::form_urlencoded::parse(s.as_bytes())
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        };
        from(&self.query).or_else(|| from(&self.body))
    }
}

/// What to answer.
pub enum Act {
    /// A whole response.
    Reply(u16, Vec<(String, String)>, Vec<u8>),
    /// The head, then one byte of body every `every`, `bytes` times.
    Drip { every: Duration, bytes: usize },
    /// Close the connection without a word.
    Close,
    /// Wait, then act.
    After(Duration, Box<Act>),
}

impl Act {
    pub fn status(code: u16) -> Act {
        Act::Reply(code, Vec::new(), Vec::new())
    }

    pub fn html(body: &str) -> Act {
        Act::Reply(
            200,
            vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
            body.as_bytes().to_vec(),
        )
    }

    pub fn json(body: &str) -> Act {
        Act::Reply(
            200,
            vec![("Content-Type".into(), "application/json".into())],
            body.as_bytes().to_vec(),
        )
    }

    pub fn redirect(code: u16, to: &str) -> Act {
        Act::Reply(code, vec![("Location".into(), to.into())], Vec::new())
    }

    pub fn header(self, name: &str, value: &str) -> Act {
        match self {
            Act::Reply(c, mut h, b) => {
                h.push((name.into(), value.into()));
                Act::Reply(c, h, b)
            }
            other => other,
        }
    }
}

type Handler = Arc<dyn Fn(&Hit, usize) -> Act + Send + Sync>;

/// Routes by path (`/web/*` matches every path under `/web/`): the handler
/// gets the request and how many requests that path had before it (0 for
/// the first), across all addresses.
#[derive(Default, Clone)]
pub struct Routes(HashMap<String, Handler>);

impl Routes {
    pub fn new() -> Routes {
        Routes::default()
    }

    pub fn on(
        mut self,
        path: &str,
        f: impl Fn(&Hit, usize) -> Act + Send + Sync + 'static,
    ) -> Routes {
        self.0.insert(path.to_string(), Arc::new(f));
        self
    }
}

pub struct FakeWeb {
    /// (ip, port) of each server.
    pub servers: Vec<(String, u16)>,
    pub log: Arc<Mutex<Vec<Hit>>>,
    stop: Arc<AtomicBool>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl FakeWeb {
    /// `n` servers, on 127.0.0.2 … 127.0.0.(n+1), all answering `routes`.
    pub fn start(n: usize, routes: Routes) -> FakeWeb {
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let counts: Arc<Mutex<HashMap<String, usize>>> = Default::default();
        let routes = Arc::new(routes);
        let mut servers = Vec::new();
        let mut threads = Vec::new();
        for i in 0..n {
            let ip = format!("127.0.0.{}", i + 2);
            let listener = TcpListener::bind((ip.as_str(), 0)).unwrap();
            listener.set_nonblocking(true).unwrap();
            servers.push((ip.clone(), listener.local_addr().unwrap().port()));
            let (log, stop, counts, routes) =
                (log.clone(), stop.clone(), counts.clone(), routes.clone());
            let active = Arc::new(AtomicUsize::new(0));
            let deadline = Instant::now() + Duration::from_secs(120);
            threads.push(std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                    let Ok((stream, _)) = listener.accept() else {
                        std::thread::sleep(Duration::from_millis(2));
                        continue;
                    };
                    let (log, stop, counts, routes, active, ip) = (
                        log.clone(),
                        stop.clone(),
                        counts.clone(),
                        routes.clone(),
                        active.clone(),
                        ip.clone(),
                    );
                    std::thread::spawn(move || {
                        let pending = Pending::new(&active);
                        serve(stream, &ip, &pending, &routes, &log, &counts, &stop);
                    });
                }
            }));
        }
        FakeWeb {
            servers,
            log,
            stop,
            threads,
        }
    }

    /// `http://IP:PORT` of server `i` (wrapping around).
    pub fn base(&self, i: usize) -> String {
        let (ip, port) = &self.servers[i % self.servers.len()];
        format!("http://{ip}:{port}")
    }

    /// The requests so far to `path`.
    pub fn hits(&self, path: &str) -> Vec<Hit> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|h| h.path == path)
            .cloned()
            .collect()
    }

    pub fn total(&self) -> usize {
        self.log.lock().unwrap().len()
    }
}

impl Drop for FakeWeb {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

/// A request not yet answered: counted from its connection until the
/// first byte of its answer is written (so that a client that has read an
/// answer never sees it counted).
struct Pending<'a> {
    active: &'a AtomicUsize,
    at_start: usize,
    done: std::cell::Cell<bool>,
}

impl<'a> Pending<'a> {
    fn new(active: &'a AtomicUsize) -> Pending<'a> {
        let at_start = active.fetch_add(1, Ordering::SeqCst) + 1;
        Pending {
            active,
            at_start,
            done: std::cell::Cell::new(false),
        }
    }

    fn answered(&self) {
        if !self.done.replace(true) {
            self.active.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

impl Drop for Pending<'_> {
    fn drop(&mut self) {
        self.answered();
    }
}

fn serve(
    mut stream: TcpStream,
    ip: &str,
    pending: &Pending<'_>,
    routes: &Routes,
    log: &Mutex<Vec<Hit>>,
    counts: &Mutex<HashMap<String, usize>>,
    stop: &AtomicBool,
) {
    stream.set_nonblocking(false).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if data.len() > 64 * 1024 {
            return;
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or("").split_whitespace();
    let method = first.next().unwrap_or("").to_string();
    let target = first.next().unwrap_or("/").to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
        .min(1024 * 1024);
    let mut body = data[head_end..].to_vec();
    while body.len() < length {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => body.extend_from_slice(&buf[..n]),
        }
    }
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (target.clone(), String::new()),
    };
    let hit = Hit {
        method,
        path: path.clone(),
        query,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
        ip: ip.to_string(),
        at: Instant::now(),
        in_flight: pending.at_start,
    };
    log.lock().unwrap().push(hit.clone());
    let n = {
        let mut c = counts.lock().unwrap();
        let n = c.entry(path.clone()).or_insert(0);
        *n += 1;
        *n - 1
    };
    // An exact route, else the longest `prefix*` route that matches.
    let route = routes.0.get(&path).or_else(|| {
        routes
            .0
            .iter()
            .filter(|(k, _)| k.strip_suffix('*').is_some_and(|p| path.starts_with(p)))
            .max_by_key(|(k, _)| k.len())
            .map(|(_, f)| f)
    });
    let act = match route {
        Some(f) => f(&hit, n),
        None => Act::status(404),
    };
    answer(&mut stream, act, stop, pending);
}

fn answer(stream: &mut TcpStream, act: Act, stop: &AtomicBool, pending: &Pending<'_>) {
    if !matches!(act, Act::After(..)) {
        pending.answered();
    }
    match act {
        Act::After(d, act) => {
            std::thread::sleep(d);
            answer(stream, *act, stop, pending)
        }
        Act::Close => {}
        Act::Reply(status, headers, body) => {
            let mut out = format!(
                "HTTP/1.1 {status} Fake\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (n, v) in headers {
                out.push_str(&format!("{n}: {v}\r\n"));
            }
            out.push_str("\r\n");
            let mut bytes = out.into_bytes();
            bytes.extend(body);
            let _ = stream.write_all(&bytes);
        }
        Act::Drip { every, bytes } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {bytes}\r\nConnection: close\r\n\r\n"
            );
            if stream.write_all(head.as_bytes()).is_err() {
                return;
            }
            for _ in 0..bytes {
                if stop.load(Ordering::Relaxed) || stream.write_all(b"x").is_err() {
                    return;
                }
                std::thread::sleep(every);
            }
        }
    }
}

/// A TLS server on 127.0.0.1 with a self-signed certificate, which no
/// client should accept. Returns its port; it answers until dropped.
pub struct BadTls {
    pub port: u16,
    pub handshakes: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl BadTls {
    pub fn start() -> BadTls {
        let key = rcgen::generate_simple_self_signed(vec![
            "localhost".to_string(),
            "127.0.0.1".to_string(),
        ])
        .unwrap();
        let cert = key.cert.der().clone();
        let private =
            rustls::pki_types::PrivateKeyDer::Pkcs8(key.signing_key.serialize_der().into());
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert], private)
        .unwrap();
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let handshakes = Arc::new(AtomicUsize::new(0));
        let (stop2, hs) = (stop.clone(), handshakes.clone());
        let deadline = Instant::now() + Duration::from_secs(120);
        let thread = std::thread::spawn(move || {
            while !stop2.load(Ordering::Relaxed) && Instant::now() < deadline {
                let Ok((tcp, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(2));
                    continue;
                };
                hs.fetch_add(1, Ordering::SeqCst);
                let config = config.clone();
                std::thread::spawn(move || {
                    tcp.set_nonblocking(false).unwrap();
                    tcp.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
                    let conn = rustls::ServerConnection::new(config).unwrap();
                    let mut tls = rustls::StreamOwned::new(conn, tcp);
                    let mut buf = [0u8; 1024];
                    if tls.read(&mut buf).is_ok() {
                        let _ = tls.write_all(
                            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
                        );
                    }
                });
            }
        });
        BadTls {
            port,
            handshakes,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for BadTls {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A port on 127.0.0.1 where nothing listens.
pub fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}
