//! Running things: timed commands, the benches, scratch trees.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use super::table::Row;
use crate::error::{Result, XtaskError};

/// Runs `cmd` to completion with its output captured; the wall time, or a
/// one-line reason it failed.
pub(super) fn timed(cmd: &mut Command) -> std::result::Result<Duration, String> {
    let start = Instant::now();
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    let elapsed = start.elapsed();
    if out.status.success() {
        Ok(elapsed)
    } else {
        Err(failure_line(&out.stderr, out.status.code()))
    }
}

pub(super) fn failure_line(stderr: &[u8], code: Option<i32>) -> String {
    let text = String::from_utf8_lossy(stderr);
    let last = text
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with("error"))
        .or_else(|| text.lines().rev().find(|l| !l.trim().is_empty()))
        .unwrap_or("")
        .trim();
    format!(
        "exit {}: {last}",
        code.map_or_else(|| "signal".into(), |c| c.to_string())
    )
}

/// `cargo`, as cargo itself names it to the xtask.
pub(super) fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// The arguments of `cargo bench` for bench `name` of the facade with
/// `features` (none: its default features).
pub(super) fn bench_args(name: &str, features: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = ["bench", "-p", "ibkr-client"].map(String::from).into();
    if !features.is_empty() {
        args.extend(["--features".into(), features.join(",")]);
    }
    args.extend(["--bench".into(), name.into()]);
    args
}

/// Runs `cargo bench -p ibkr-client [--features F] --bench NAME` in `root`,
/// echoing its standard output as it comes; the output, or why it failed.
pub(super) fn run_bench(
    root: &Path,
    name: &str,
    features: &[&str],
    env: &[(&str, &str)],
) -> std::result::Result<String, String> {
    let args = bench_args(name, features);
    let mut cmd = cargo();
    cmd.current_dir(root)
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let shown: String = env.iter().map(|(k, v)| format!("{k}={v} ")).collect();
    eprintln!("bench: {shown}cargo {}", args.join(" "));
    let mut child = cmd.spawn().map_err(|e| format!("cannot run cargo: {e}"))?;
    let mut output = String::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line.map_err(|e| format!("reading the bench's output: {e}"))?;
            println!("    {line}");
            output.push_str(&line);
            output.push('\n');
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("waiting for cargo: {e}"))?;
    if status.success() {
        Ok(output)
    } else {
        Err(format!(
            "`cargo bench --bench {name}` exited with {}",
            status
                .code()
                .map_or_else(|| "a signal".into(), |c| c.to_string())
        ))
    }
}

/// Copies `from` into `to`, leaving out top-level entries named in `skip`.
pub(super) fn copy_tree(from: &Path, to: &Path, skip: &[&str]) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if skip.iter().any(|s| name == *s) {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target, &[])?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

pub(super) fn remove_dir(dir: &Path) -> Result<()> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(XtaskError::io(dir, e)),
    }
}

pub(super) fn touch(path: &Path) -> Result<()> {
    std::fs::File::options()
        .append(true)
        .open(path)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .map_err(|e| XtaskError::io(path, e))
}

/// A bench of `crates/ibkr-client/benches/`, as `cargo xtask bench` runs it.
pub(super) struct Bench {
    pub(super) name: &'static str,
    /// The facade's features it needs (none: the default ones).
    pub(super) features: &'static [&'static str],
    /// Its environment in a full run (empty: the bench's defaults).
    pub(super) env: &'static [(&'static str, &'static str)],
    /// Its environment under `--quick` (fewer iterations).
    pub(super) quick_env: &'static [(&'static str, &'static str)],
    /// Its standard output → table rows.
    pub(super) rows: fn(&str) -> Vec<Row>,
}

impl Bench {
    /// Its environment in a full run, or under `--quick`.
    pub(super) fn env(&self, quick: bool) -> &'static [(&'static str, &'static str)] {
        if quick { self.quick_env } else { self.env }
    }
}

pub(super) fn bench_rows(root: &Path, bench: &Bench, quick: bool) -> Vec<Row> {
    match run_bench(root, bench.name, bench.features, bench.env(quick)) {
        Ok(output) => (bench.rows)(&output),
        Err(reason) => vec![Row::failed(format!("{} bench", bench.name), reason)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bench_commands_name_their_features() {
        assert_eq!(
            bench_args("overhead", &[]).join(" "),
            "bench -p ibkr-client --bench overhead"
        );
        assert_eq!(
            bench_args("stream", &["testing", "x"]).join(" "),
            "bench -p ibkr-client --features testing,x --bench stream"
        );
    }
}
