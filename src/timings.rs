//! How long each pipeline stage took, for `verity build --timings` and the
//! benchmark: the figures that tell where a build spends its time.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// Wall time per stage, in pipeline order.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    stages: Vec<(&'static str, Duration)>,
}

impl Timings {
    /// Runs `f` and records its wall time under `stage`.
    pub fn time<T>(&mut self, stage: &'static str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let value = f();
        self.stages.push((stage, start.elapsed()));
        value
    }

    /// Records a duration measured elsewhere.
    pub fn record(&mut self, stage: &'static str, duration: Duration) {
        self.stages.push((stage, duration));
    }

    /// One line per stage: milliseconds and share of the total.
    pub fn report(&self) -> String {
        let total: Duration = self.stages.iter().map(|(_, d)| *d).sum();
        let mut out = String::new();
        for (stage, d) in &self.stages {
            let share = if total.is_zero() {
                0.0
            } else {
                d.as_secs_f64() / total.as_secs_f64() * 100.0
            };
            let _ = writeln!(
                out,
                "  {stage:<28} {:>8.1} ms {share:>5.1}%",
                d.as_secs_f64() * 1000.0
            );
        }
        let _ = writeln!(
            out,
            "  {:<28} {:>8.1} ms",
            "total",
            total.as_secs_f64() * 1000.0
        );
        out
    }
}
