//! `cargo xtask drift` on IBKR's real published specs (kept outside the
//! repository in `../shared/ibkr-openapi`; the tests that need them are
//! skipped with a message when that directory is absent), and on small
//! fixtures written to a scratch directory.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::Command;

use heck::ToSnakeCase;
use serde_json::Value;

const UPSTREAM: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/ibkr-openapi");

/// The directory of upstream specs, or `None` (with a message) when absent.
fn upstream() -> Option<PathBuf> {
    let dir = PathBuf::from(UPSTREAM);
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipping: {} not found (IBKR's upstream specs are not checked in)",
            dir.display()
        );
        None
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn xtask(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .expect("the xtask binary runs");
    Run {
        code: out.status.code().expect("exited normally"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    }
}

fn path_str(p: PathBuf) -> String {
    p.to_str().expect("UTF-8 path").to_string()
}

#[test]
fn drift_of_the_vendored_sources_is_empty() {
    let Some(dir) = upstream() else { return };
    for (variant, file) in [
        ("web", "web/ibkr-web-2.20.0.json"),
        ("gateway", "gateway/cp-gateway-2024-07-19.json"),
    ] {
        let run = xtask(&["drift", variant, &path_str(dir.join(file))]);
        assert_eq!(run.code, 0, "{variant}: {}\n{}", run.stderr, run.stdout);
        let first = run.stdout.lines().next().unwrap_or_default();
        assert_eq!(
            first,
            format!(
                "drift {variant}: 0 operations added, 0 removed; 0 breaking, 0 compatible changes"
            )
        );
    }
}

/// The operation id the import pipeline derives for `method path` (see
/// `repairs::names::operation_id`), restated here so that the expected
/// operation sets are computed independently of the binary.
fn operation_id(path: &str, method: &str) -> String {
    let mut words: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(
            |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(param) => {
                    let flat = param
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
                    match param.strip_suffix("id") {
                        Some(stem) if flat && stem.len() >= 4 => format!("{stem}_id"),
                        _ => param.to_snake_case(),
                    }
                }
                None => segment.to_snake_case(),
            },
        )
        .filter(|w| !w.is_empty())
        .collect();
    words.push(method.to_lowercase());
    words.join("_")
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// `operation id → (METHOD, path)` read straight from an upstream file.
/// Paths are kept as written (relative to a Swagger `basePath`), except that
/// Express-style `:name` segments are written `{name}` as the pipeline does.
fn raw_operations(file: &PathBuf) -> BTreeMap<String, (String, String)> {
    let doc: Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    let mut count = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let path: Vec<String> = path
            .split('/')
            .map(|s| match s.strip_prefix(':') {
                Some(name) if !name.is_empty() => format!("{{{name}}}"),
                _ => s.to_string(),
            })
            .collect();
        let path = path.join("/");
        for method in METHODS.iter().filter(|m| item.get(**m).is_some()) {
            count += 1;
            out.insert(
                operation_id(&path, method),
                (method.to_uppercase(), path.clone()),
            );
        }
    }
    // Distinct ids, so a set difference of ids is the pipeline's notion of
    // "the same operation".
    assert_eq!(
        out.len(),
        count,
        "{}: two operations derive the same id",
        file.display()
    );
    out
}

fn set_difference(
    a: &BTreeMap<String, (String, String)>,
    b: &BTreeMap<String, (String, String)>,
) -> BTreeSet<(String, String)> {
    a.iter()
        .filter(|(id, _)| !b.contains_key(*id))
        .map(|(_, v)| v.clone())
        .collect()
}

/// The operations of every group of `kind`.
fn reported(report: &Value, kind: &str) -> BTreeSet<(String, String)> {
    groups(report)
        .iter()
        .filter(|c| c["kind"] == kind)
        .flat_map(|c| c["operations"].as_array().unwrap())
        .map(|op| {
            (
                op["method"].as_str().unwrap().to_string(),
                op["path"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn groups(report: &Value) -> &Vec<Value> {
    report["changes"].as_array().expect("`changes` is a list")
}

#[test]
fn drift_between_releases_matches_the_raw_operation_sets() {
    let Some(dir) = upstream() else { return };
    for (variant, old, new) in [
        ("web", "web/ibkr-web-2.7.0.json", "web/ibkr-web-2.20.0.json"),
        (
            "gateway",
            "gateway/cp-gateway-2021-02-14.json",
            "gateway/cp-gateway-2024-07-19.json",
        ),
    ] {
        let (old, new) = (dir.join(old), dir.join(new));
        let run = xtask(&[
            "drift",
            variant,
            &path_str(new.clone()),
            "--against",
            &path_str(old.clone()),
            "--format",
            "json",
        ]);
        assert_eq!(run.code, 1, "{variant}: {}", run.stderr);
        let report: Value = serde_json::from_str(&run.stdout).expect("JSON report");
        let (old_ops, new_ops) = (raw_operations(&old), raw_operations(&new));
        let added = set_difference(&new_ops, &old_ops);
        let removed = set_difference(&old_ops, &new_ops);
        assert!(!added.is_empty(), "{variant}: releases should differ");
        assert_eq!(
            reported(&report, "operation_added"),
            added,
            "{variant}: added"
        );
        assert_eq!(
            reported(&report, "operation_removed"),
            removed,
            "{variant}: removed"
        );
        assert_eq!(report["summary"]["operations_added"], added.len());
        assert_eq!(report["summary"]["operations_removed"], removed.len());
        let summary = &report["summary"];
        assert_eq!(
            summary["breaking"].as_u64().unwrap() + summary["compatible"].as_u64().unwrap(),
            groups(&report).len() as u64
        );
        // Removing an operation is breaking unless a same-URL operation
        // replaces it; adding one never is.
        for change in groups(&report) {
            match change["kind"].as_str().unwrap() {
                "operation_removed" => {
                    assert_eq!(change["breaking"], change["replaced_by"].is_null())
                }
                "operation_added" => assert_eq!(change["breaking"], false),
                _ => {}
            }
        }
    }
}

#[test]
fn drift_text_and_markdown_reports_lead_with_the_counts() {
    let Some(dir) = upstream() else { return };
    let new = path_str(dir.join("gateway/cp-gateway-2024-07-19.json"));
    let old = path_str(dir.join("gateway/cp-gateway-2021-02-14.json"));
    let text = xtask(&["drift", "gateway", &new, "--against", &old]);
    assert_eq!(text.code, 1, "{}", text.stderr);
    let first = text.stdout.lines().next().unwrap();
    assert!(
        first.starts_with("drift gateway: 36 operations added, 3 removed; "),
        "{first}"
    );
    for heading in [
        "Operations added (36):",
        "Operations removed (3):",
        "Schemas added (",
    ] {
        assert!(text.stdout.contains(heading), "missing {heading}");
    }
    assert!(first.contains(" before grouping)"), "{first}");
    for line in text.stdout.lines().filter(|l| l.starts_with('[')) {
        assert!(
            line.starts_with("[breaking] ") || line.starts_with("[compatible] "),
            "{line}"
        );
    }
    let md = xtask(&[
        "drift",
        "gateway",
        &new,
        "--against",
        &old,
        "--format",
        "markdown",
    ]);
    assert_eq!(md.code, 1);
    assert!(
        md.stdout
            .starts_with("# Drift gateway: 36 operations added, 3 removed; ")
    );
    assert!(
        md.stdout.contains(
            "\n## Operations added (36)\n\n| Class | Method | Path | Operation | Change |"
        )
    );
    // The JSON report is byte-for-byte stable.
    let a = xtask(&[
        "drift",
        "gateway",
        &new,
        "--against",
        &old,
        "--format",
        "json",
    ]);
    let b = xtask(&[
        "drift",
        "gateway",
        &new,
        "--against",
        &old,
        "--format",
        "json",
    ]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn drift_errors_exit_with_2_and_one_line() {
    let run = xtask(&["drift", "web", "/nonexistent/spec.json"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("error: /nonexistent/spec.json: "),
        "{}",
        run.stderr
    );
    let run = xtask(&["drift", "nope", "/nonexistent/spec.json"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unknown variant `nope`"),
        "{}",
        run.stderr
    );
    let run = xtask(&["drift", "web", "x.json", "--format", "yaml"]);
    assert_eq!(run.code, 2);
}

/// The figures of a JSON report, checked for consistency.
struct Figures {
    before_grouping: u64,
    groups: u64,
    breaking: u64,
    facade: u64,
}

fn figures(report: &Value) -> Figures {
    let s = &report["summary"];
    let n = |k: &str| s[k].as_u64().unwrap_or_else(|| panic!("summary.{k}"));
    let groups = groups(report);
    // Each group's count is its subjects, and they add up to every change.
    let mut total = 0;
    for g in groups {
        let subjects = g["operations"]
            .as_array()
            .or_else(|| g["schemas"].as_array())
            .expect("operations or schemas");
        assert_eq!(g["count"].as_u64().unwrap(), subjects.len() as u64, "{g}");
        total += subjects.len() as u64;
    }
    assert_eq!(total, n("changes_before_grouping"));
    assert_eq!(n("changes"), groups.len() as u64);
    let facade = report["facade"].as_array().expect("`facade` is a list");
    assert_eq!(n("facade"), facade.len() as u64);
    for i in facade {
        assert!(i["operation"].as_str().unwrap().contains("::"), "{i}");
        assert!(
            i["detail"]
                .as_str()
                .unwrap()
                .starts_with(i["method"].as_str().unwrap())
        );
    }
    Figures {
        before_grouping: n("changes_before_grouping"),
        groups: n("changes"),
        breaking: n("breaking"),
        facade: n("facade"),
    }
}

#[test]
fn drift_between_releases_groups_changes_and_reports_the_facade() {
    let Some(dir) = upstream() else { return };
    for (variant, old, new) in [
        ("web", "web/ibkr-web-2.7.0.json", "web/ibkr-web-2.20.0.json"),
        (
            "gateway",
            "gateway/cp-gateway-2021-12-01.json",
            "gateway/cp-gateway-2024-07-19.json",
        ),
    ] {
        let (old, new) = (path_str(dir.join(old)), path_str(dir.join(new)));
        let run = |format: &str| {
            let run = xtask(&[
                "drift",
                variant,
                &new,
                "--against",
                &old,
                "--format",
                format,
            ]);
            assert_eq!(run.code, 1, "{variant} {format}: {}", run.stderr);
            run.stdout
        };
        let report: Value = serde_json::from_str(&run("json")).expect("JSON report");
        let f = figures(&report);
        println!(
            "{variant}: {} changes before grouping, {} after, {} breaking; {} facade route changes",
            f.before_grouping, f.groups, f.breaking, f.facade
        );
        assert!(f.groups < f.before_grouping, "{variant}: nothing grouped");
        // Both facades use routes that changed between the releases: the
        // Gateway gained trading routes since 2021, the Web API gained (and
        // retyped) account-management routes since 2.7.0.
        assert!(f.facade > 0, "{variant}: no facade section entries");
        assert!(
            groups(&report)
                .iter()
                .any(|g| g["count"].as_u64() > Some(1)),
            "{variant}"
        );
        let text = run("text");
        let first = text.lines().next().unwrap();
        assert!(
            first.contains(&format!(" ({} before grouping)", f.before_grouping)),
            "{first}"
        );
        // The facade section comes first, then the spec's sections.
        let facade = text.find("\nFacade").expect("facade section");
        let operations = text.find("\nOperations ").expect("operation sections");
        assert!(facade < operations, "{variant}");
        // A group of changes inside operations or schemas is one line.
        for g in groups(&report) {
            let count = g["count"].as_u64().unwrap();
            let what = match g["section"].as_str().unwrap() {
                "operations_changed" => "operations",
                "schemas_changed" => "schemas",
                _ => continue,
            };
            if count > 1 {
                let line = format!("{} ({count} {what}: ", g["detail"].as_str().unwrap());
                assert!(text.contains(&line), "{variant}: {line}");
            }
        }
        let md = run("markdown");
        assert!(md.contains("\n## Facade"), "{variant}");
    }
}

/// A scratch directory for fixture specs.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-drift-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn fixture(tickle: &str, extra: &str) -> String {
    format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}}, {extra}
            "paths": {{
              "/tickle": {{"post": {{"responses": {{"200": {{"description": "ok"}}}}}}}},
              "/iserver/reauthenticate": {{"get": {{"responses": {{"200": {{"description": "ok"}}}}}}}},
              "/{tickle}": {{"get": {{"responses": {{"200": {{"description": "ok"}}}}}}}}
            }}}}"#
    )
}

/// A `null` where OpenAPI requires a string no longer stops the import
/// (the `null_values` repair drops it), so such a release is compared like
/// any other, without a warning.
#[test]
fn drift_compares_a_document_with_repaired_nulls() {
    let dir = scratch("lenient");
    let old = dir.join("old.json");
    let new = dir.join("new.json");
    std::fs::write(&old, fixture("a", "")).unwrap();
    std::fs::write(&new, fixture("b", r#""security": [{"x": [null]}],"#)).unwrap();
    let run = xtask(&[
        "drift",
        "web",
        &path_str(new.clone()),
        "--against",
        &path_str(old),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    assert!(
        run.stdout
            .starts_with("drift web: 1 operations added, 1 removed; "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("\n[compatible] GET /b (b_get)\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("\n[breaking] GET /a (a_get)\n"),
        "{}",
        run.stdout
    );
    let json = xtask(&[
        "drift",
        "web",
        &path_str(new),
        "--against",
        &path_str(dir.join("old.json")),
        "--format",
        "json",
    ]);
    let report: Value = serde_json::from_str(&json.stdout).unwrap();
    assert!(
        report
            .get("warnings")
            .and_then(Value::as_array)
            .is_none_or(Vec::is_empty),
        "{report}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn drift_of_a_facade_route_removed_upstream_leads_the_report() {
    let dir = scratch("facade");
    let old = dir.join("old.json");
    let new = dir.join("new.json");
    std::fs::write(&old, fixture("a", "")).unwrap();
    let gone = fixture("a", "").replace("/iserver/reauthenticate", "/iserver/other");
    std::fs::write(&new, gone).unwrap();
    let run = xtask(&["drift", "web", &path_str(new), "--against", &path_str(old)]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[2], "", "{}", run.stdout);
    assert!(lines[3].starts_with("Facade ("), "{}", run.stdout);
    assert_eq!(
        lines[4],
        "[breaking] `Session::reauthenticate` (web): GET /iserver/reauthenticate removed upstream; the facade returns Unsupported"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
