//! 2b. Side by side with the closest peer: the scratch crates and their
//! builds.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use super::Options;
use super::parse::parse_records;
use super::peer::{
    FACADE_EDIT, PEER, PEER_VERSION, Side, peer_rows, peer_skipped_rows, round_order,
    scratch_manifest, side_line, toml_string,
};
use super::process::{cargo, copy_tree, failure_line, remove_dir, timed, touch};
use super::table::Row;
use crate::error::{Result, XtaskError};

/// The directory and library source file of package `name` `version` in
/// the output of `cargo metadata --format-version 1`.
pub fn package_lib(metadata: &Value, name: &str, version: &str) -> Option<(PathBuf, PathBuf)> {
    let package = metadata.get("packages")?.as_array()?.iter().find(|p| {
        p.get("name").and_then(Value::as_str) == Some(name)
            && p.get("version").and_then(Value::as_str) == Some(version)
    })?;
    let manifest = PathBuf::from(package.get("manifest_path")?.as_str()?);
    let lib = package.get("targets")?.as_array()?.iter().find(|t| {
        t.get("kind")
            .and_then(Value::as_array)
            .is_some_and(|kinds| kinds.iter().any(|k| k == "lib"))
    })?;
    let src = PathBuf::from(lib.get("src_path")?.as_str()?);
    Some((manifest.parent()?.to_path_buf(), src))
}

/// A scratch crate of the side-by-side builds, with its own target
/// directory.
struct SideCrate {
    side: Side,
    dir: PathBuf,
}

impl SideCrate {
    fn target(&self) -> PathBuf {
        self.dir.join("target")
    }

    fn cargo(&self, args: &[&str]) -> Command {
        let mut cmd = cargo();
        cmd.current_dir(&self.dir)
            .args(args)
            .env("CARGO_TARGET_DIR", self.target())
            .env_remove("RUSTFLAGS")
            .env("CARGO_TERM_COLOR", "never");
        cmd
    }

    /// A build with cargo's incremental compilation as the profile says
    /// (on for path dependencies, such as the facade here).
    fn build(&self) -> std::result::Result<f64, String> {
        timed(&mut self.cargo(&["build"])).map(|d| d.as_secs_f64())
    }

    /// A cold build, every side built as a dependency from a registry or a
    /// git repository is built: without incremental compilation. Cargo
    /// turns it on only for path dependencies, so without this the facade
    /// (a path dependency of its scratch crate) would also write
    /// incremental state that no user who depends on it ever has, while
    /// the peer (from crates.io) does not.
    fn cold_build(&self) -> std::result::Result<f64, String> {
        timed(self.cargo(&["build"]).env("CARGO_INCREMENTAL", "0")).map(|d| d.as_secs_f64())
    }
}

/// The side-by-side builds with [`PEER`], in a temporary directory removed
/// afterwards: a snapshot of the workspace (so the facade's edit and other
/// people's edits never reach the real tree), one scratch crate per side.
pub(super) fn peer(root: &Path, opts: &Options) -> Result<Vec<Row>> {
    let sides: &[Side] = if opts.quick {
        &[Side::Peer, Side::FacadeBoth]
    } else {
        &Side::ALL
    };
    let base = std::env::temp_dir().join(format!("ibkr-bench-peer-{}", std::process::id()));
    remove_dir(&base)?;
    let result = peer_in(root, &base, sides, opts);
    remove_dir(&base)?;
    result
}

fn peer_in(root: &Path, base: &Path, sides: &[Side], opts: &Options) -> Result<Vec<Row>> {
    let ws = base.join("ws");
    copy_tree(root, &ws, &["target", ".git"]).map_err(|e| XtaskError::io(&ws, e))?;
    let facade = ws.join("crates").join("ibkr-client");
    let mut crates = Vec::new();
    for &side in sides {
        let dir = base.join(side.key());
        let manifest =
            scratch_manifest(&format!("bench-{}", side.key()), &side.dependency(&facade));
        // Cargo builds every dependency, used or not; naming none keeps
        // the scratch crates alike and independent of the library names
        // (bezant-core's library is called `bezant`).
        let lib = "//! A scratch crate: its one dependency is what is built.\n";
        let write = || -> std::io::Result<()> {
            std::fs::create_dir_all(dir.join("src"))?;
            std::fs::write(dir.join("Cargo.toml"), &manifest)?;
            std::fs::write(dir.join("src").join("lib.rs"), lib)?;
            if side != Side::Peer {
                // The versions the workspace builds and tests with.
                std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
            }
            Ok(())
        };
        write().map_err(|e| XtaskError::io(&dir, e))?;
        crates.push(SideCrate { side, dir });
    }
    eprintln!(
        "bench: side by side with {PEER} {PEER_VERSION}, scratch crates in {}",
        base.display()
    );

    // Sources first (the peer's from crates.io), so no build downloads.
    let mut failures: Vec<(String, String)> = Vec::new();
    for c in &crates {
        if let Err(reason) = timed(&mut c.cargo(&["fetch"])) {
            if c.side == Side::Peer {
                let reason = format!("cannot fetch {PEER} {PEER_VERSION} from crates.io: {reason}");
                eprintln!("bench: side by side skipped: {reason}");
                return Ok(peer_skipped_rows(sides, &reason));
            }
            for kind in ["cold", "incremental"] {
                failures.push((format!("peer.{kind}.{}", c.side.key()), reason.clone()));
            }
        }
    }

    let mut lines = String::new();
    let mut record = |line: String| {
        println!("    {line}");
        lines.push_str(&line);
        lines.push('\n');
    };
    let failed =
        |failures: &[(String, String)], name: &str| failures.iter().any(|(n, _)| n == name);
    let rounds = opts.runs.min(2);
    for round in 0..rounds {
        for side in round_order(sides, round) {
            let c = crates
                .iter()
                .find(|c| c.side == side)
                .expect("a crate per side");
            let name = format!("peer.cold.{}", side.key());
            if failed(&failures, &name) {
                continue;
            }
            remove_dir(&c.target())?;
            eprintln!(
                "bench: round {}/{rounds}: cold build of {} …",
                round + 1,
                side.label()
            );
            match c.cold_build() {
                Ok(secs) => record(side_line("cold", side, secs, round + 1)),
                Err(reason) => failures.push((name, reason)),
            }
        }
    }

    // Incremental: each library edited, its dependent rebuilt over the last
    // cold build and one untimed build with incremental compilation (which
    // the cold builds went without). The peer becomes a path dependency (a
    // copy of its source, patched in) so that an edit of it is seen, as the
    // facade is one; that patch makes its untimed build.
    for c in &crates {
        let name = format!("peer.incremental.{}", c.side.key());
        if failed(&failures, &name) || failed(&failures, &format!("peer.cold.{}", c.side.key())) {
            continue;
        }
        let edit = match c.side {
            Side::Peer => match patch_peer(c, base) {
                Ok(file) => file,
                Err(reason) => {
                    failures.push((name, reason));
                    continue;
                }
            },
            Side::FacadeBoth => {
                if let Err(reason) = c.build() {
                    failures.push((name, reason));
                    continue;
                }
                ws.join(FACADE_EDIT)
            }
            Side::FacadeLowLevel | Side::FacadeGateway | Side::FacadeWeb => continue,
        };
        eprintln!("bench: incremental rebuild of {} …", c.side.label());
        for run in 1..=opts.runs {
            touch(&edit)?;
            match c.build() {
                Ok(secs) => record(side_line("incremental", c.side, secs, run)),
                Err(reason) => {
                    failures.push((name.clone(), reason));
                    break;
                }
            }
        }
    }
    Ok(peer_rows(&parse_records(&lines), &failures, sides))
}

/// Makes the peer's scratch crate build a copy of the peer's source as a
/// path dependency, built once (untimed); returns the copy's library file,
/// the one to touch.
fn patch_peer(c: &SideCrate, base: &Path) -> std::result::Result<PathBuf, String> {
    let out = c
        .cargo(&["metadata", "--format-version", "1"])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err(failure_line(&out.stderr, out.status.code()));
    }
    let metadata: Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("cargo metadata: {e}"))?;
    let (dir, lib) = package_lib(&metadata, PEER, PEER_VERSION)
        .ok_or_else(|| format!("cargo metadata lists no library of {PEER} {PEER_VERSION}"))?;
    let copy = base.join("peer-src").join(format!("{PEER}-{PEER_VERSION}"));
    copy_tree(&dir, &copy, &["target"]).map_err(|e| format!("copying {}: {e}", dir.display()))?;
    let lib = copy.join(lib.strip_prefix(&dir).map_err(|e| e.to_string())?);
    let manifest = c.dir.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).map_err(|e| e.to_string())?;
    let _ = write!(
        text,
        "\n[patch.crates-io]\n{PEER} = {{ path = {} }}\n",
        toml_string(&copy.display().to_string())
    );
    std::fs::write(&manifest, text).map_err(|e| e.to_string())?;
    c.build()?;
    Ok(lib)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_peers_library_is_found_in_cargo_metadata() {
        let metadata = serde_json::json!({"packages": [
            {"name": "bezant-core", "version": "0.3.9", "manifest_path": "/r/old/Cargo.toml",
             "targets": [{"kind": ["lib"], "src_path": "/r/old/src/lib.rs"}]},
            {"name": "bezant-core", "version": "0.4.0",
             "manifest_path": "/r/bezant-core-0.4.0/Cargo.toml",
             "targets": [
                {"kind": ["custom-build"], "src_path": "/r/bezant-core-0.4.0/build.rs"},
                {"kind": ["lib"], "src_path": "/r/bezant-core-0.4.0/src/lib.rs"}]}
        ]});
        assert_eq!(
            package_lib(&metadata, "bezant-core", "0.4.0"),
            Some((
                PathBuf::from("/r/bezant-core-0.4.0"),
                PathBuf::from("/r/bezant-core-0.4.0/src/lib.rs")
            ))
        );
        assert_eq!(package_lib(&metadata, "bezant-core", "0.5.0"), None);
        assert_eq!(
            package_lib(&serde_json::json!({}), "bezant-core", "0.4.0"),
            None
        );
    }
}
