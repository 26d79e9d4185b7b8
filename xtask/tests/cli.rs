//! Bad input to `cargo xtask import`: one line on stderr, exit code 2, no
//! panic trace, and nothing under `openapi/` touched.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn xtask(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(dir)
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("xtask runs")
}

/// A scratch workspace with an `openapi/` directory holding a known file.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("xtask")).unwrap();
    std::fs::create_dir_all(dir.join("openapi")).unwrap();
    std::fs::write(dir.join("Cargo.toml"), "[workspace]\n").unwrap();
    std::fs::write(dir.join("xtask/Cargo.toml"), "[package]\n").unwrap();
    std::fs::write(dir.join("openapi/web.json"), "{\"sentinel\": true}\n").unwrap();
    dir
}

fn assert_clean_failure(out: &Output, expected: &str, dir: &Path) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "one line expected, got: {stderr}"
    );
    assert!(
        stderr.contains(expected),
        "expected `{expected}` in: {stderr}"
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{stderr}"
    );
    let kept = std::fs::read_to_string(dir.join("openapi/web.json")).unwrap();
    assert_eq!(kept, "{\"sentinel\": true}\n", "openapi/ was modified");
    assert!(!dir.join("openapi/web.lock.json").exists());
}

#[test]
fn missing_file() {
    let dir = scratch("missing");
    let out = xtask(&dir, &["import", "web", "no/such/spec.json"]);
    assert_clean_failure(&out, "no/such/spec.json", &dir);
}

#[test]
fn not_json_or_yaml() {
    let dir = scratch("garbage");
    std::fs::write(dir.join("spec.bin"), [0xff, 0xfe, 0x00, 0x12]).unwrap();
    let out = xtask(&dir, &["import", "web", "spec.bin"]);
    assert_clean_failure(&out, "not UTF-8", &dir);
    std::fs::write(dir.join("spec.txt"), "this: is: not: [yaml").unwrap();
    let out = xtask(&dir, &["import", "web", "spec.txt"]);
    assert_clean_failure(&out, "spec.txt", &dir);
}

#[test]
fn unknown_spec_version() {
    let dir = scratch("version");
    std::fs::write(dir.join("v.json"), r#"{"openapi": "2.5.0", "paths": {}}"#).unwrap();
    let out = xtask(&dir, &["import", "web", "v.json"]);
    assert_clean_failure(&out, "unknown spec version openapi 2.5.0", &dir);
    std::fs::write(
        dir.join("v31.yaml"),
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
    )
    .unwrap();
    // OpenAPI 3.1 is converted to 3.0, not refused.
    let out = xtask(&dir, &["import", "web", "v31.yaml"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let imported = std::fs::read_to_string(dir.join("openapi/web.json")).unwrap();
    assert!(imported.contains("\"openapi\": \"3.0.3\""), "{imported}");
}

#[test]
fn unreachable_url() {
    let dir = scratch("url");
    let out = xtask(&dir, &["import", "web", "http://127.0.0.1:9/openapi.json"]);
    assert_clean_failure(&out, "cannot fetch http://127.0.0.1:9/openapi.json", &dir);
}

#[test]
fn unknown_variant() {
    let dir = scratch("variant");
    let out = xtask(&dir, &["import", "tws", "spec.json"]);
    assert_clean_failure(&out, "unknown variant `tws`", &dir);
}

#[test]
fn a_spec_that_makes_progenitor_panic_names_the_operation() {
    let dir = scratch("panic");
    // Valid OpenAPI that import accepts, but whose request body has two
    // media types neither of which progenitor can send: progenitor
    // panics ("more media types than expected") unless import repairs it,
    // so write it straight into openapi/ as a hand-edited spec would be.
    let spec = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
        "/ok": {"get": {"operationId": "ok_get", "responses": {"200": {"description": ""}}}},
        "/bad": {"post": {"operationId": "bad_post",
            "requestBody": {"content": {"application/a": {"schema": {"type": "string"}},
                                        "application/b": {"schema": {"type": "string"}}}},
            "responses": {"200": {"description": ""}}}}}}"#;
    std::fs::write(dir.join("openapi/web.json"), spec).unwrap();
    std::fs::write(
        dir.join("openapi/gateway.json"),
        spec.replace("bad", "fine"),
    )
    .unwrap();
    let out = xtask(&dir, &["generate", "--check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("operation bad_post (POST /bad)"),
        "{stderr}"
    );
    assert!(stderr.contains("progenitor panicked"), "{stderr}");
}

#[test]
fn ops_without_a_vendored_spec_fails_naming_it() {
    let dir = scratch("ops-missing");
    let out = xtask(&dir, &["ops", "--check"]);
    assert_clean_failure(&out, "gateway.json", &dir);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn ops_check_fails_on_a_spec_lacking_the_facade_operations() {
    let dir = scratch("ops-empty");
    for variant in ["web", "gateway"] {
        std::fs::write(
            dir.join(format!("openapi/{variant}.json")),
            "{\"paths\": {}}",
        )
        .unwrap();
    }
    let out = xtask(&dir, &["ops", "--check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "error: facade operation Session::tickle (web): POST /tickle is not in this spec; the facade sends it anyway"
        ),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("-> MISSING: sent anyway"), "{stdout}");
    // Without --check it only reports.
    assert_eq!(xtask(&dir, &["ops"]).status.code(), Some(0));
    std::fs::remove_dir_all(&dir).unwrap();
}
