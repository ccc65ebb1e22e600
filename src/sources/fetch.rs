//! One link, checked politely and within budget: redirects followed by
//! hand, retries with exponential backoff and jitter or as `Retry-After`
//! asks, at most [`Limits::per_host`] requests at a time to one host and
//! [`Limits::host_interval`] between two starts.

use super::classify::{self, Verdict};
use super::clock::Clock;
use super::http::{NetError, Reply, Request, Transport};
use crate::content::source::LinkState;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Every bound of the link checker. The defaults are the ones Verity
/// runs with; tests shrink them.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Giving up on connecting (and on resolving the name).
    pub connect_timeout: Duration,
    /// One request, body included: a slow drip of bytes stops here.
    pub request_timeout: Duration,
    /// Everything spent on one link: every try, redirect and wait.
    pub link_budget: Duration,
    /// Bytes of a body read at most, counted after decompression.
    pub max_body: usize,
    /// Redirects followed; one more makes the link `dead`.
    pub max_redirects: usize,
    /// Retries after the first try (timeouts, resets, 408, 429, 5xx).
    pub retries: u32,
    /// The first backoff; each retry doubles it, jitter takes up to half off.
    pub backoff: Duration,
    /// The longest `Retry-After` honoured; a longer one is cut to this.
    pub retry_after_cap: Duration,
    /// Requests at a time to one host.
    pub per_host: usize,
    /// Least time between two requests to one host.
    pub host_interval: Duration,
    /// Requests at a time, all hosts together.
    pub concurrency: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(20),
            link_budget: Duration::from_secs(120),
            max_body: 4 * 1024 * 1024,
            max_redirects: 10,
            retries: 3,
            backoff: Duration::from_secs(1),
            retry_after_cap: Duration::from_secs(60),
            per_host: 2,
            host_interval: Duration::from_millis(500),
            concurrency: 8,
        }
    }
}

/// What checking one link found.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Its state.
    pub state: LinkState,
    /// The status of the last answer, if there was one.
    pub http_status: Option<u16>,
    /// Where redirects led, when there were any.
    pub final_url: Option<String>,
    /// Requests tried (redirects of one try count once).
    pub attempts: u32,
    /// Why, for people (`HTTP 404 Not Found`, `timed out` …).
    pub reason: Option<String>,
    /// Whether the answer may be cached (never `transient`, never a 429).
    pub cacheable: bool,
    /// The page, for quote checks, when the answer was 2xx.
    pub page: Option<Page>,
}

/// A fetched page.
#[derive(Debug, Clone)]
pub struct Page {
    /// At most [`Limits::max_body`] bytes of it.
    pub body: Vec<u8>,
    /// Its `Content-Type`.
    pub content_type: Option<String>,
    /// Whether it went on past the cap.
    pub truncated: bool,
}

/// The network side of `verity sources`: the transport, the clock, the
/// limits and the per-host gate, shared by every worker.
pub struct Net {
    /// Makes the requests.
    pub transport: Arc<dyn Transport>,
    /// Tells the time and sleeps.
    pub clock: Arc<dyn Clock>,
    /// The bounds.
    pub limits: Limits,
    gate: HostGate,
}

/// One try: a final outcome, or one worth retrying.
enum Try {
    Done(Outcome),
    Again {
        outcome: Outcome,
        retry_after: Option<Duration>,
    },
}

fn outcome(state: LinkState, reason: impl Into<String>) -> Outcome {
    Outcome {
        state,
        http_status: None,
        final_url: None,
        attempts: 0,
        reason: Some(reason.into()),
        cacheable: state != LinkState::Transient,
        page: None,
    }
}

impl Net {
    /// A network context.
    pub fn new(transport: Arc<dyn Transport>, clock: Arc<dyn Clock>, limits: Limits) -> Net {
        Net {
            transport,
            clock,
            limits,
            gate: HostGate::default(),
        }
    }

    /// Checks `url`: every try, redirect and wait, within the link's budget.
    pub fn check(&self, url: &str) -> Outcome {
        let Ok(start) = url::Url::parse(url) else {
            return outcome(LinkState::Dead, "not a valid address");
        };
        let deadline = self.clock.now() + self.limits.link_budget;
        let mut attempts = 0;
        loop {
            attempts += 1;
            let (mut result, retry_after) = match self.try_once(&start, deadline) {
                Try::Done(o) => (o, None),
                Try::Again {
                    outcome,
                    retry_after,
                } => (outcome, Some(retry_after)),
            };
            result.attempts = attempts;
            let Some(retry_after) = retry_after else {
                return result;
            };
            if attempts > self.limits.retries {
                append(&mut result, &format!("{attempts} tries"));
                return result;
            }
            let wait = self.wait_before(attempts, retry_after);
            if self.clock.now() + wait >= deadline {
                append(
                    &mut result,
                    &format!("{attempts} tries; the link's time budget ran out"),
                );
                return result;
            }
            self.clock.sleep(wait);
        }
    }

    /// The wait before retry number `n` (1-based): `Retry-After` when the
    /// server sent one (at most [`Limits::retry_after_cap`]), else
    /// exponential backoff with jitter: between half and all of
    /// `backoff × 2^(n-1)`.
    pub fn wait_before(&self, n: u32, retry_after: Option<Duration>) -> Duration {
        match retry_after {
            Some(d) => d.min(self.limits.retry_after_cap),
            None => {
                let full = self
                    .limits
                    .backoff
                    .saturating_mul(2u32.saturating_pow(n.saturating_sub(1)));
                full.mul_f64(0.5 + 0.5 * self.clock.jitter().clamp(0.0, 1.0))
            }
        }
    }

    /// Sends one request through the per-host gate, with a timeout that
    /// also respects `deadline`.
    pub fn send(&self, mut request: Request, deadline: Instant) -> Result<Reply, NetError> {
        let remaining = deadline.saturating_duration_since(self.clock.now());
        if remaining.is_zero() {
            return Err(NetError::Timeout);
        }
        request.timeout = request.timeout.min(remaining);
        let host = url::Url::parse(&request.url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
            .unwrap_or_default();
        let _slot = self.gate.enter(&host, &*self.clock, &self.limits);
        self.transport.send(&request)
    }

    /// Sends an API request (the Wayback Machine's), retrying timeouts,
    /// resets, 408, 429 and 5xx like [`Net::check`] does, within one
    /// link's budget. Redirects are not followed. The error says why, for
    /// people.
    pub fn call(&self, request: &Request) -> Result<Reply, String> {
        let deadline = self.clock.now() + self.limits.link_budget;
        let mut attempts = 0;
        loop {
            attempts += 1;
            let (why, retry_after) = match self.send(request.clone(), deadline) {
                Ok(r) if matches!(r.status, 408 | 429 | 500..=599) => (
                    super::http::status_text(r.status),
                    r.header("retry-after")
                        .and_then(|v| classify::parse_retry_after(v, self.clock.wall())),
                ),
                Ok(r) => return Ok(r),
                Err(e @ (NetError::Timeout | NetError::Reset)) => (e.to_string(), None),
                Err(e) => return Err(e.to_string()),
            };
            if attempts > self.limits.retries {
                return Err(format!("{why}, {attempts} tries"));
            }
            let wait = self.wait_before(attempts, retry_after);
            if self.clock.now() + wait >= deadline {
                return Err(format!("{why}, {attempts} tries; the time budget ran out"));
            }
            self.clock.sleep(wait);
        }
    }

    /// One try of `start`: its redirects followed, the answer classified.
    fn try_once(&self, start: &url::Url, deadline: Instant) -> Try {
        let mut current = start.clone();
        let mut seen: HashSet<String> = HashSet::from([current.to_string()]);
        let mut hops = 0;
        loop {
            let request = Request::get(
                current.as_str(),
                self.limits.request_timeout,
                self.limits.max_body,
            );
            let redirected = (hops > 0).then(|| current.to_string());
            let reply = match self.send(request, deadline) {
                Ok(reply) => reply,
                Err(e) => {
                    let state = match e {
                        NetError::Dns => LinkState::Dead,
                        _ => LinkState::Transient,
                    };
                    let mut o = outcome(state, e.to_string());
                    o.final_url = redirected;
                    return match e {
                        NetError::Timeout | NetError::Reset => Try::Again {
                            outcome: o,
                            retry_after: None,
                        },
                        _ => Try::Done(o),
                    };
                }
            };
            let status = reply.status;
            if matches!(status, 301 | 302 | 303 | 307 | 308) {
                let dead = |reason: String, to: Option<String>| {
                    let mut o = outcome(LinkState::Dead, reason);
                    o.http_status = Some(status);
                    o.final_url = to;
                    Try::Done(o)
                };
                let Some(location) = reply.header("location") else {
                    let mut o = outcome(
                        LinkState::Transient,
                        format!("HTTP {status} redirect without a Location"),
                    );
                    o.http_status = Some(status);
                    return Try::Done(o);
                };
                let next = match current.join(location.trim()) {
                    Ok(next) => next,
                    Err(_) => {
                        return dead(
                            format!("redirects to `{location}`, which is not an address"),
                            None,
                        );
                    }
                };
                if !matches!(next.scheme(), "http" | "https") {
                    return dead(
                        format!("redirects to a `{}:` address", next.scheme()),
                        Some(next.to_string()),
                    );
                }
                if !seen.insert(next.to_string()) {
                    return dead("a redirect loop".to_string(), Some(next.to_string()));
                }
                if hops == self.limits.max_redirects {
                    return dead(
                        format!("more than {} redirects", self.limits.max_redirects),
                        Some(next.to_string()),
                    );
                }
                hops += 1;
                current = next;
                continue;
            }
            let mut o = outcome(LinkState::Transient, "");
            o.http_status = Some(status);
            o.final_url = redirected;
            return match classify::reply(&reply, self.clock.wall()) {
                Verdict::Final(state, reason) => {
                    o.state = state;
                    o.reason = Some(reason);
                    o.cacheable = state != LinkState::Transient;
                    Try::Done(o)
                }
                Verdict::Retry {
                    state,
                    reason,
                    retry_after,
                    cacheable,
                } => {
                    o.state = state;
                    o.reason = Some(reason);
                    o.cacheable = cacheable;
                    Try::Again {
                        outcome: o,
                        retry_after,
                    }
                }
                Verdict::Page => {
                    let same = hops == 0 || classify::same_page(start, &current);
                    o.state = if same {
                        LinkState::Ok
                    } else {
                        LinkState::Redirected
                    };
                    o.reason = (!same).then(|| format!("now at {current}"));
                    o.cacheable = true;
                    o.page = Some(Page {
                        content_type: reply.header("content-type").map(str::to_string),
                        truncated: reply.truncated,
                        body: reply.body,
                    });
                    Try::Done(o)
                }
            };
        }
    }
}

fn append(o: &mut Outcome, note: &str) {
    o.reason = Some(match o.reason.take() {
        Some(r) if !r.is_empty() => format!("{r}, {note}"),
        _ => note.to_string(),
    });
}

/// At most [`Limits::per_host`] requests at a time to one host, and
/// [`Limits::host_interval`] between the starts of two.
#[derive(Default)]
struct HostGate {
    hosts: Mutex<HashMap<String, HostState>>,
    freed: Condvar,
}

#[derive(Default)]
struct HostState {
    active: usize,
    next_start: Option<Instant>,
}

/// A request in flight to a host; leaving frees the place.
struct Slot<'g> {
    gate: &'g HostGate,
    host: String,
}

impl HostGate {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, HostState>> {
        self.hosts.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn enter(&self, host: &str, clock: &dyn Clock, limits: &Limits) -> Slot<'_> {
        let mut hosts = self.lock();
        loop {
            let h = hosts.entry(host.to_string()).or_default();
            if h.active < limits.per_host.max(1) {
                let now = clock.now();
                match h.next_start {
                    Some(t) if t > now => {
                        let wait = t - now;
                        drop(hosts);
                        clock.sleep(wait);
                        hosts = self.lock();
                        continue;
                    }
                    _ => {
                        h.active += 1;
                        h.next_start = Some(now + limits.host_interval);
                        return Slot {
                            gate: self,
                            host: host.to_string(),
                        };
                    }
                }
            }
            hosts = self
                .freed
                .wait_timeout(hosts, Duration::from_millis(200))
                .map(|(g, _)| g)
                .unwrap_or_else(|e| e.into_inner().0);
        }
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut hosts = self.gate.lock();
        if let Some(h) = hosts.get_mut(&self.host) {
            h.active = h.active.saturating_sub(1);
        }
        drop(hosts);
        self.gate.freed.notify_all();
    }
}

/// Runs `work` on every job with [`Limits::concurrency`] threads, jobs of
/// different hosts interleaved so that one slow host does not hold up the
/// rest; `done` is called after each. Results come back in job order.
pub fn run_all<J: Sync, R: Send>(
    limits: &Limits,
    jobs: &[J],
    host: impl Fn(&J) -> String,
    work: impl Fn(&J) -> R + Sync,
    done: &(dyn Fn() + Sync),
) -> Vec<R> {
    let order = interleave(jobs.iter().map(&host).collect());
    let next = Mutex::new(0usize);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..jobs.len()).map(|_| None).collect());
    let threads = limits.concurrency.clamp(1, jobs.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = {
                        let mut n = next.lock().unwrap_or_else(|e| e.into_inner());
                        let Some(&i) = order.get(*n) else { break };
                        *n += 1;
                        i
                    };
                    let r = work(&jobs[i]);
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(r);
                    done();
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .flatten()
        .collect()
}

/// Job indices ordered round-robin over hosts (first host's first job,
/// second host's first job, …).
fn interleave(hosts: Vec<String>) -> Vec<usize> {
    let total = hosts.len();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut by_host: Vec<Vec<usize>> = Vec::new();
    for (i, h) in hosts.into_iter().enumerate() {
        let k = *index.entry(h).or_insert_with(|| {
            by_host.push(Vec::new());
            by_host.len() - 1
        });
        by_host[k].push(i);
    }
    let mut out = Vec::with_capacity(total);
    let mut round = 0;
    while out.len() < total {
        for v in &by_host {
            if let Some(&i) = v.get(round) {
                out.push(i);
            }
        }
        round += 1;
    }
    out
}

/// The host of a URL, for the gate and for interleaving.
pub fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::clock::fake::FakeClock;

    /// Answers from a script: per URL, a list of answers played in order
    /// (the last one repeats). Records every request.
    struct Script {
        answers: HashMap<String, Vec<Result<Reply, NetError>>>,
        log: Mutex<Vec<String>>,
    }

    fn reply(status: u16, headers: &[(&str, &str)], body: &str) -> Result<Reply, NetError> {
        Ok(Reply::fake(status, headers, body))
    }

    impl Transport for Script {
        fn send(&self, request: &Request) -> Result<Reply, NetError> {
            let mut log = self.log.lock().unwrap();
            let n = log.iter().filter(|u| **u == request.url).count();
            log.push(request.url.clone());
            let list = &self.answers[&request.url];
            list[n.min(list.len() - 1)].clone()
        }
    }

    fn net(
        answers: Vec<(&str, Vec<Result<Reply, NetError>>)>,
        jitter: f64,
    ) -> (Net, Arc<FakeClock>, Arc<Script>) {
        let script = Arc::new(Script {
            answers: answers
                .into_iter()
                .map(|(u, a)| (u.to_string(), a))
                .collect(),
            log: Mutex::new(Vec::new()),
        });
        let clock = Arc::new(FakeClock::new(1_736_150_400, jitter));
        let limits = Limits {
            host_interval: Duration::ZERO,
            ..Limits::default()
        };
        (
            Net::new(script.clone(), clock.clone(), limits),
            clock,
            script,
        )
    }

    const U: &str = "https://news.example/a";

    #[test]
    fn backoff_doubles_with_jitter_then_gives_up() {
        let (net, clock, script) = net(vec![(U, vec![reply(503, &[], "")])], 0.0);
        let o = net.check(U);
        assert_eq!(o.state, LinkState::Transient);
        assert_eq!(o.attempts, 4);
        assert_eq!(o.http_status, Some(503));
        assert_eq!(
            o.reason.as_deref(),
            Some("HTTP 503 Service Unavailable, 4 tries")
        );
        assert!(!o.cacheable);
        // Jitter 0 takes half off: 0.5 s, 1 s, 2 s.
        assert_eq!(
            clock.sleeps(),
            [500, 1000, 2000].map(Duration::from_millis).to_vec()
        );
        assert_eq!(script.log.lock().unwrap().len(), 4);

        let (net, clock, _) = net_with_jitter(0.5);
        net.check(U);
        assert_eq!(
            clock.sleeps(),
            [750, 1500, 3000].map(Duration::from_millis).to_vec()
        );
    }

    fn net_with_jitter(j: f64) -> (Net, Arc<FakeClock>, Arc<Script>) {
        net(vec![(U, vec![reply(500, &[], "")])], j)
    }

    #[test]
    fn retry_after_in_seconds_and_as_a_date_capped_at_a_minute() {
        let (net, clock, _) = net(
            vec![(
                U,
                vec![
                    reply(429, &[("retry-after", "7")], ""),
                    reply(429, &[("retry-after", "Mon, 06 Jan 2025 08:00:37 GMT")], ""),
                    reply(503, &[("retry-after", "3600")], ""),
                    reply(200, &[("content-type", "text/html")], "<p>back</p>"),
                ],
            )],
            0.0,
        );
        let o = net.check(U);
        assert_eq!(o.state, LinkState::Ok);
        assert_eq!(o.attempts, 4);
        // 7 s; then the date, 37 s after the start minus the 7 s slept;
        // then 3600 s cut to 60 s.
        assert_eq!(
            clock.sleeps(),
            [7, 30, 60].map(Duration::from_secs).to_vec()
        );
        assert_eq!(o.page.unwrap().body, b"<p>back</p>");
    }

    #[test]
    fn too_many_requests_still_after_retries_is_blocked_and_never_cached() {
        let (net, _, _) = net(
            vec![(U, vec![reply(429, &[("retry-after", "1")], "")])],
            0.0,
        );
        let o = net.check(U);
        assert_eq!(o.state, LinkState::Blocked);
        assert_eq!(o.attempts, 4);
        assert!(!o.cacheable);
    }

    #[test]
    fn flaky_then_ok_timeouts_and_resets_are_retried_refusals_are_not() {
        let (net, clock, _) = net(
            vec![(
                U,
                vec![
                    Err(NetError::Timeout),
                    Err(NetError::Reset),
                    reply(200, &[], "ok"),
                ],
            )],
            0.0,
        );
        let o = net.check(U);
        assert_eq!((o.state, o.attempts), (LinkState::Ok, 3));
        assert_eq!(clock.sleeps().len(), 2);
        let (net, clock, _) = net_refused();
        let o = net.check(U);
        assert_eq!((o.state, o.attempts), (LinkState::Transient, 1));
        assert!(clock.sleeps().is_empty());
        assert_eq!(o.reason.as_deref(), Some("the connection was refused"));
    }

    fn net_refused() -> (Net, Arc<FakeClock>, Arc<Script>) {
        net(vec![(U, vec![Err(NetError::Refused)])], 0.0)
    }

    #[test]
    fn a_retry_that_would_overrun_the_budget_is_not_made() {
        let (mut net, clock, _) = net(
            vec![(U, vec![reply(503, &[("retry-after", "50")], "")])],
            0.0,
        );
        net.limits.link_budget = Duration::from_secs(90);
        let o = net.check(U);
        assert_eq!(o.attempts, 2);
        assert_eq!(clock.sleeps(), [Duration::from_secs(50)]);
        assert!(o.reason.unwrap().contains("time budget"));
    }

    #[test]
    fn redirects_scheme_only_is_ok_elsewhere_is_redirected() {
        let (net, _, _) = net(
            vec![
                (
                    "http://news.example/a",
                    vec![reply(301, &[("location", "https://news.example/a/")], "")],
                ),
                ("https://news.example/a/", vec![reply(200, &[], "")]),
                (
                    "https://news.example/old",
                    vec![reply(302, &[("location", "/new")], "")],
                ),
                ("https://news.example/new", vec![reply(200, &[], "")]),
            ],
            0.0,
        );
        let o = net.check("http://news.example/a");
        assert_eq!(o.state, LinkState::Ok);
        assert_eq!(o.final_url.as_deref(), Some("https://news.example/a/"));
        let o = net.check("https://news.example/old");
        assert_eq!(o.state, LinkState::Redirected);
        assert_eq!(o.final_url.as_deref(), Some("https://news.example/new"));
        assert_eq!(o.attempts, 1);
    }

    #[test]
    fn loops_endless_redirects_and_non_web_targets_are_dead() {
        let hop = |n: usize| format!("https://news.example/hop{n}");
        let mut answers: Vec<(String, Vec<Result<Reply, NetError>>)> = (0..=11)
            .map(|n| (hop(n), vec![reply(302, &[("location", &hop(n + 1))], "")]))
            .collect();
        answers.push((
            "https://news.example/loop".into(),
            vec![reply(301, &[("location", "/loop2")], "")],
        ));
        answers.push((
            "https://news.example/loop2".into(),
            vec![reply(301, &[("location", "/loop")], "")],
        ));
        answers.push((
            "https://news.example/ftp".into(),
            vec![reply(302, &[("location", "ftp://files.example/a")], "")],
        ));
        answers.push((
            "https://news.example/js".into(),
            vec![reply(302, &[("location", "javascript:alert(1)")], "")],
        ));
        let (net, _, script) = net(
            answers
                .iter()
                .map(|(u, a)| (u.as_str(), a.clone()))
                .collect(),
            0.0,
        );
        let o = net.check(&hop(0));
        assert_eq!(o.state, LinkState::Dead);
        assert_eq!(o.reason.as_deref(), Some("more than 10 redirects"));
        assert_eq!(script.log.lock().unwrap().len(), 11);
        let o = net.check("https://news.example/loop");
        assert_eq!(
            (o.state, o.reason.as_deref()),
            (LinkState::Dead, Some("a redirect loop"))
        );
        let o = net.check("https://news.example/ftp");
        assert_eq!(
            (o.state, o.reason.as_deref()),
            (LinkState::Dead, Some("redirects to a `ftp:` address"))
        );
        assert_eq!(o.final_url.as_deref(), Some("ftp://files.example/a"));
        let o = net.check("https://news.example/js");
        assert_eq!(o.state, LinkState::Dead);
    }

    #[test]
    fn dns_failures_are_dead_tls_failures_transient_and_not_retried() {
        let (net, _, _) = net(
            vec![
                ("https://gone.invalid/", vec![Err(NetError::Dns)]),
                (
                    U,
                    vec![Err(NetError::Tls(
                        "invalid peer certificate: UnknownIssuer".into(),
                    ))],
                ),
            ],
            0.0,
        );
        let o = net.check("https://gone.invalid/");
        assert_eq!((o.state, o.attempts), (LinkState::Dead, 1));
        let o = net.check(U);
        assert_eq!((o.state, o.attempts), (LinkState::Transient, 1));
        assert_eq!(
            o.reason.as_deref(),
            Some("TLS failure: invalid peer certificate: UnknownIssuer")
        );
    }

    #[test]
    fn the_host_gate_spaces_requests_to_one_host() {
        let (mut net, clock, _) = net(vec![(U, vec![reply(200, &[], "")])], 0.0);
        net.limits.host_interval = Duration::from_millis(500);
        for _ in 0..3 {
            net.check(U);
        }
        // The first goes at once, each next one waits out the interval.
        assert_eq!(clock.sleeps(), [Duration::from_millis(500); 2]);
    }

    #[test]
    fn interleaving_spreads_hosts() {
        let hosts = ["a", "a", "a", "b", "c", "b"].map(String::from).to_vec();
        assert_eq!(interleave(hosts), [0, 3, 4, 1, 5, 2]);
    }
}
