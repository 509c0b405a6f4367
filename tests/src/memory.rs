//! A process's peak resident memory, read from `/proc/PID/status` (Linux). Tests use the growth
//! of the peak across a step to show that a flood of bytes was refused rather than buffered.

/// The peak resident set size (`VmHWM`) in bytes, `None` where `/proc` is not available.
pub fn peak_rss_bytes() -> Option<u64> {
    peak_rss_of("/proc/self/status")
}

/// The peak resident set size of the process `pid` (a child the test started), as
/// [`peak_rss_bytes`] reads its own.
pub fn peak_rss_bytes_of(pid: u32) -> Option<u64> {
    peak_rss_of(&format!("/proc/{pid}/status"))
}

fn peak_rss_of(status_path: &str) -> Option<u64> {
    let status = std::fs::read_to_string(status_path).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
}
