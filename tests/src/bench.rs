//! What the client crates' comparison benchmarks (`vs_ureq`, `vs_reqwest`) share: how many
//! rounds to run and how a figure is printed for `scripts/bench`.

/// Rounds and calls per round, from `MYCPAAS_BENCH_ROUNDS` / `MYCPAAS_BENCH_CALLS`. Without
/// `--bench` (`cargo test --benches` runs bench binaries that way) one tiny round checks that the
/// benchmark works.
pub fn plan() -> (usize, usize) {
    if !std::env::args().any(|arg| arg == "--bench") {
        return (1, 5);
    }
    let read = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .filter(|&n| n > 0)
            .unwrap_or(default)
    };
    (
        read("MYCPAAS_BENCH_ROUNDS", 7),
        read("MYCPAAS_BENCH_CALLS", 300),
    )
}

/// The median of `values` (the upper one of an even count); panics when there are none.
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Prints one figure as the JSON line `scripts/bench` reads: `{"id": ..., "value": ...,
/// "unit": ...}`.
pub fn report(id: &str, value: f64, unit: &str) {
    println!(r#"{{"id": "{id}", "value": {value:.1}, "unit": "{unit}"}}"#);
}
