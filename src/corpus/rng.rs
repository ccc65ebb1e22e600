//! The corpus's random numbers: SplitMix64 and the few draws built on it.
//!
//! Decision: hand-written rather than the `rand` crate. A corpus must be the
//! same for a given seed on every machine and for every future version, so
//! benchmark figures stay comparable; `rand` documents that neither `StdRng`
//! nor its sampling helpers (`gen_range`, `choose`, `shuffle`) keep their
//! output from one release to the next. SplitMix64 is fixed by its
//! published constants and is a dozen lines.

/// A deterministic stream of pseudo-random numbers.
pub(crate) struct Rng(u64);

impl Rng {
    /// The stream for `seed`.
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5eed_5eed_5eed_5eed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`0` when `n` is 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// A number in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// A number in `[0, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One item of a non-empty slice.
    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// An index in `0..n` drawn with a skew towards 0: the first items of a
    /// list come up far more often than the last, as common words and
    /// prolific sources do.
    pub(crate) fn skewed(&mut self, n: usize) -> usize {
        let u = self.unit();
        ((u * u * n as f64) as usize).min(n.saturating_sub(1))
    }

    /// An item of `weighted` (item, weight) in proportion to its weight.
    pub(crate) fn weighted<T: Copy>(&mut self, weighted: &[(T, u32)]) -> T {
        let total: u32 = weighted.iter().map(|(_, w)| w).sum();
        let mut left = self.below(total as usize) as u32;
        for &(item, w) in weighted {
            if left < w {
                return item;
            }
            left -= w;
        }
        weighted[weighted.len() - 1].0
    }
}

#[cfg(test)]
mod tests {
    use super::Rng;

    #[test]
    fn one_seed_gives_one_stream_and_draws_stay_in_range() {
        let a: Vec<usize> = (0..50)
            .scan(Rng::new(7), |r, _| Some(r.below(10)))
            .collect();
        let b: Vec<usize> = (0..50)
            .scan(Rng::new(7), |r, _| Some(r.below(10)))
            .collect();
        let c: Vec<usize> = (0..50)
            .scan(Rng::new(8), |r, _| Some(r.below(10)))
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(a.iter().all(|&x| x < 10));
        let mut r = Rng::new(1);
        for _ in 0..1000 {
            let x = r.range(3, 5);
            assert!((3..=5).contains(&x));
            assert!(r.skewed(4) < 4);
            assert!((0.0..1.0).contains(&r.unit()));
        }
    }

    #[test]
    fn the_stream_is_fixed_across_versions() {
        // SplitMix64's published constants: any change to them would
        // silently change every generated corpus.
        let mut r = Rng(0);
        assert_eq!(r.next_u64(), 0xe220_a839_7b1d_cdaf);
    }
}
