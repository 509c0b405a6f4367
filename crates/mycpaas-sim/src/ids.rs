//! Identifiers and randomness, all drawn from one seeded generator so a seeded
//! simulator hands out the same SIDs, ring times and random faults on every run
//! (given the same order of requests).

use parking_lot::Mutex;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The simulator's seeded source of SIDs and random choices.
#[derive(Debug)]
pub(crate) struct Randomness {
    rng: Mutex<StdRng>,
}

impl Randomness {
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            rng: Mutex::new(StdRng::seed_from_u64(seed)),
        }
    }

    /// A SID: a two-letter prefix (`CA`, `AC`, `RE`, ...) and 32 lower-case hex digits.
    pub(crate) fn sid(&self, prefix: &str) -> String {
        let value: u128 = self.rng.lock().random();
        format!("{prefix}{value:032x}")
    }

    /// A secret of 32 hex digits (auth tokens).
    pub(crate) fn token(&self) -> String {
        let value: u128 = self.rng.lock().random();
        format!("{value:032x}")
    }

    /// A whole number in `low..=high`.
    pub(crate) fn between(&self, low: u64, high: u64) -> u64 {
        self.rng.lock().random_range(low..=high)
    }

    /// `true` with probability `p` (clamped to 0..=1).
    pub(crate) fn chance(&self, p: f64) -> bool {
        self.rng.lock().random_bool(p.clamp(0.0, 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sids_have_the_documented_shape_and_follow_the_seed() {
        let a = Randomness::new(7);
        let b = Randomness::new(7);
        let sid = a.sid("CA");
        assert_eq!(sid.len(), 34);
        assert!(sid.starts_with("CA"));
        assert_eq!(sid, b.sid("CA"));
    }
}
