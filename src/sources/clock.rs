//! Time as the link checker sees it: a trait, so tests drive retries,
//! backoff and `Retry-After` with a fake clock and assert the waits
//! without waiting.

use std::time::{Duration, Instant, SystemTime};

/// The clock and the sleep of the link checker.
pub trait Clock: Send + Sync {
    /// A monotonic instant, for time budgets and intervals.
    fn now(&self) -> Instant;
    /// The wall-clock time, for `Retry-After` dates, cache ages and the
    /// date written by `--record`.
    fn wall(&self) -> SystemTime;
    /// Waits `d`.
    fn sleep(&self, d: Duration);
    /// A number in `[0, 1)`: the jitter of retry backoff.
    fn jitter(&self) -> f64;
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn wall(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(&self, d: Duration) {
        std::thread::sleep(d);
    }

    fn jitter(&self) -> f64 {
        fastrand::f64()
    }
}

/// Seconds since the Unix epoch of a wall-clock time (0 before it).
pub fn unix_seconds(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The UTC calendar day of a Unix time, `YYYY-MM-DD`.
pub fn utc_day(unix: u64) -> String {
    jiff::Timestamp::from_second(i64::try_from(unix).unwrap_or(0))
        .map(|t| {
            t.to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .date()
                .to_string()
        })
        .unwrap_or_else(|_| "1970-01-01".to_string())
}

#[cfg(test)]
pub(crate) mod fake {
    //! A clock that only moves when someone sleeps.

    use super::Clock;
    use std::sync::Mutex;
    use std::time::{Duration, Instant, SystemTime};

    /// Starts at a fixed wall time; `sleep` advances it and is recorded.
    pub(crate) struct FakeClock {
        start: Instant,
        wall: SystemTime,
        state: Mutex<(Duration, Vec<Duration>)>,
        jitter: f64,
    }

    impl FakeClock {
        pub(crate) fn new(wall_unix: u64, jitter: f64) -> FakeClock {
            FakeClock {
                start: Instant::now(),
                wall: SystemTime::UNIX_EPOCH + Duration::from_secs(wall_unix),
                state: Mutex::new((Duration::ZERO, Vec::new())),
                jitter,
            }
        }

        /// Every sleep so far, in order.
        pub(crate) fn sleeps(&self) -> Vec<Duration> {
            self.state.lock().unwrap().1.clone()
        }
    }

    impl Clock for FakeClock {
        fn now(&self) -> Instant {
            self.start + self.state.lock().unwrap().0
        }
        fn wall(&self) -> SystemTime {
            self.wall + self.state.lock().unwrap().0
        }
        fn sleep(&self, d: Duration) {
            let mut s = self.state.lock().unwrap();
            s.0 += d;
            s.1.push(d);
        }
        fn jitter(&self) -> f64 {
            self.jitter
        }
    }
}
