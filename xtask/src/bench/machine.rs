//! The machine: where and when the figures were taken.

use std::process::Command;
use std::time::SystemTime;

/// Where and when the figures were taken.
pub struct Machine {
    /// UTC date, `YYYY-MM-DD`.
    pub date: String,
    /// Logical cores.
    pub cores: usize,
    /// Total memory, from /proc/meminfo.
    pub memory: String,
    /// `rustc -V`.
    pub rustc: String,
    /// /proc/loadavg at the start.
    pub load: String,
}

impl Machine {
    pub(super) fn probe() -> Machine {
        let secs = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let memory = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|m| mem_total(&m))
            .map_or_else(
                || "unknown".into(),
                |kib| format!("{:.1} GiB", kib as f64 / 1_048_576.0),
            );
        let rustc = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
            .arg("-V")
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_else(|| "unknown".into());
        Machine {
            date: civil_date(secs),
            cores: std::thread::available_parallelism().map_or(0, |n| n.get()),
            memory,
            rustc,
            load: load_average(),
        }
    }
}

pub(super) fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// `MemTotal` in KiB from the text of /proc/meminfo.
pub fn mem_total(meminfo: &str) -> Option<u64> {
    meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

/// `YYYY-MM-DD` (UTC) of a Unix time.
pub fn civil_date(unix_secs: u64) -> String {
    // Howard Hinnant's days-to-civil algorithm.
    let z = (unix_secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machine_facts_are_read() {
        assert_eq!(
            mem_total("MemFree: 1 kB\nMemTotal:       24551868 kB\n"),
            Some(24_551_868)
        );
        assert_eq!(mem_total("nothing"), None);
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(951_782_400), "2000-02-29");
        assert_eq!(civil_date(1_767_225_599), "2025-12-31");
    }
}
