//! Mutation test of `import` and `generate`: a seeded generator damages
//! IBKR's shared specs the way a careless release could (keys deleted,
//! `null`s, values of the wrong type, dangling `$ref`s, duplicate operation
//! ids, odd path templates) and runs every mutant through the import
//! pipeline and the code generator, in process.
//!
//! The invariant: each mutant imports and generates, or fails with one
//! line that names the place (a JSON pointer, a Swagger location or an
//! operation). Never a panic, never a hang: each mutant gets
//! [`TIME_LIMIT`]. The counts (ok, clean errors by class, the slowest
//! mutant) are printed.
//!
//! Runs without the test harness (`harness = false`): the xtask is a
//! binary, so its modules are compiled in here (their unit tests are not
//! run).
//! `MUTATION_COUNT` (default 600; 8 in a debug build), `MUTATION_SEED`
//! and `MUTATION_THREADS` (default: up to 2) override the run,
//! `MUTATION_ONLY=<n>` runs mutant `n` alone; the full
//! run is `cargo test -p xtask --release --test mutation`. Skipped, with a
//! message, when `../shared/ibkr-openapi` is absent.

// The modules are compiled in for `pipeline::import` and
// `generate::generate_from_value`; most of the rest of them is unused here.
#![allow(dead_code, unused_imports)]

#[path = "../src/canonical.rs"]
mod canonical;
#[path = "../src/error.rs"]
mod error;
#[path = "../src/generate.rs"]
mod generate;
#[path = "../src/openapi.rs"]
mod openapi;
#[path = "../src/pipeline.rs"]
mod pipeline;
#[path = "../src/repairs/mod.rs"]
mod repairs;
#[path = "../src/source.rs"]
mod source;
#[path = "../src/swagger2.rs"]
mod swagger2;
#[path = "../src/variant.rs"]
mod variant;
// Only named by `generate`'s unit tests (compiled here, not run).
#[path = "../src/write_or_check.rs"]
mod write_or_check;

use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::source::Source;
use crate::variant::Variant;

/// Longest any one mutant may take (import and generate together).
const TIME_LIMIT: Duration = Duration::from_secs(60);
/// The default seed: the same mutants on every run unless overridden.
const SEED: u64 = 0x1b4b_2011;

/// splitmix64: small, seedable, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.below(items.len())])
    }
}

/// One shared spec, parsed once.
struct Base {
    name: String,
    variant: Variant,
    doc: Value,
    /// Pointers of the nodes worth mutating (not inside prose or examples).
    nodes: Vec<String>,
    /// The nodes at most two levels below the root.
    shallow: Vec<String>,
    /// Pointers of the `$ref` strings.
    refs: Vec<String>,
    /// The path templates.
    paths: Vec<String>,
}

const PROSE: &[&str] = &[
    "description",
    "summary",
    "example",
    "examples",
    "x-codeSamples",
];

fn collect(value: &Value, pointer: &str, nodes: &mut Vec<String>, refs: &mut Vec<String>) {
    let mut visit = |key: String, child: &Value| {
        let at = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
        if key == "$ref" {
            refs.push(at.clone());
        }
        nodes.push(at.clone());
        collect(child, &at, nodes, refs);
    };
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if !PROSE.contains(&k.as_str()) {
                    visit(k.clone(), v);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                visit(i.to_string(), v);
            }
        }
        _ => {}
    }
}

fn load(path: &Path) -> Base {
    let variant = if path
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|n| n == "web")
    {
        Variant::Web
    } else {
        Variant::Gateway
    };
    let doc: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let (mut nodes, mut refs) = (Vec::new(), Vec::new());
    collect(&doc, "", &mut nodes, &mut refs);
    let paths = doc["paths"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    let shallow = nodes
        .iter()
        .filter(|p| p.matches('/').count() <= 2)
        .cloned()
        .collect();
    Base {
        name: path.file_stem().unwrap().to_string_lossy().into_owned(),
        variant,
        doc,
        shallow,
        nodes,
        refs,
        paths,
    }
}

fn split(pointer: &str) -> (&str, String) {
    let (parent, last) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    (parent, last.replace("~1", "/").replace("~0", "~"))
}

/// A value of another JSON type than `v`, as IBKR's generator might write
/// it.
fn wrong_type(rng: &mut Rng, v: &Value) -> Value {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let choices: Vec<Value> = match v {
        Value::String(s) => vec![json!(7), json!(true), json!({"value": s}), json!([s])],
        Value::Number(_) => vec![json!(text(v)), json!(false), json!([v])],
        Value::Bool(b) => vec![json!(b.to_string()), json!(u8::from(*b)), json!("yes")],
        Value::Object(_) => vec![json!("object"), json!([v]), json!(42)],
        Value::Array(items) => vec![
            json!({"items": items}),
            json!(items.first().map(text).unwrap_or_default()),
        ],
        Value::Null => vec![json!(0)],
    };
    rng.pick(&choices).cloned().unwrap_or(Value::Null)
}

const ODD_TEMPLATES: &[fn(&str) -> String] = &[
    |p| format!("{p}/{{"),
    |p| format!("{p}/{{}}"),
    |p| format!("{p}/:id"),
    |p| p.replacen('/', "//", 1),
    |p| format!("{p}/a b"),
    |p| format!("{p} "),
    |p| format!("{p}/{{x}}{{y}}"),
    |p| format!("{p}/{{ id }}"),
    |p| format!("{p}/}}"),
    |p| format!("{p}/"),
    |p| p.replace(['{', '}'], ""),
    |p| format!("{p}/{{{{nested}}}}"),
];

/// A node to damage: one in ten is near the root (`/paths`,
/// `/components/schemas`, `/info/title`, ...), where damage is hardest to
/// repair, the others anywhere.
fn pick_node(rng: &mut Rng, base: &Base) -> Option<String> {
    if rng.below(10) == 0 {
        rng.pick(&base.shallow).cloned()
    } else {
        rng.pick(&base.nodes).cloned()
    }
}

/// Applies one random mutation to `doc`; what it did.
fn mutate(rng: &mut Rng, base: &Base, doc: &mut Value) -> String {
    match rng.below(12) {
        0..=2 => {
            let Some(at) = pick_node(rng, base) else {
                return "nothing".into();
            };
            let (parent, key) = split(&at);
            match doc.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.remove(&key);
                }
                Some(Value::Array(items)) => {
                    if let Ok(i) = key.parse::<usize>()
                        && i < items.len()
                    {
                        items.remove(i);
                    }
                }
                _ => {}
            }
            format!("deleted {at}")
        }
        3..=5 => {
            let Some(at) = pick_node(rng, base) else {
                return "nothing".into();
            };
            if let Some(v) = doc.pointer_mut(&at) {
                *v = Value::Null;
            }
            format!("null at {at}")
        }
        6..=8 => {
            let Some(at) = pick_node(rng, base) else {
                return "nothing".into();
            };
            if let Some(v) = doc.pointer_mut(&at) {
                *v = wrong_type(rng, v);
            }
            format!("wrong type at {at}")
        }
        9 => {
            let Some(at) = rng.pick(&base.refs).cloned() else {
                return "nothing".into();
            };
            let dangling = [
                "#/components/schemas/DoesNotExist",
                "#/definitions/DoesNotExist",
                "#/components/parameters/Gone",
                "other.json#/components/schemas/X",
                "#/",
                "",
            ];
            let target = rng.pick(&dangling).copied().unwrap_or_default();
            if let Some(v) = doc.pointer_mut(&at) {
                *v = json!(target);
            }
            format!("dangling ref {target:?} at {at}")
        }
        10 => {
            let ops = crate::openapi::operations(doc)
                .iter()
                .map(|o| (o.path.to_string(), o.method))
                .collect::<Vec<_>>();
            let (Some(a), Some(b)) = (rng.pick(&ops).cloned(), rng.pick(&ops).cloned()) else {
                return "nothing".into();
            };
            for (path, method) in [&a, &b] {
                doc["paths"][path.as_str()][*method]["operationId"] = json!("sameId");
            }
            format!(
                "duplicate operationId on {} {} and {} {}",
                a.1, a.0, b.1, b.0
            )
        }
        _ => {
            let Some(path) = rng.pick(&base.paths).cloned() else {
                return "nothing".into();
            };
            let odd = ODD_TEMPLATES[rng.below(ODD_TEMPLATES.len())](&path);
            if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut)
                && let Some(item) = paths.remove(&path)
            {
                paths.insert(odd.clone(), item);
            }
            format!("path {path:?} renamed {odd:?}")
        }
    }
}

/// One mutant: which spec, which mutations.
struct Mutant {
    index: usize,
    base: usize,
    doc: Value,
    what: Vec<String>,
}

fn mutant(bases: &[Base], seed: u64, index: usize) -> Mutant {
    let mut rng = Rng(seed ^ (index as u64).wrapping_mul(0x2545_f491_4f6c_dd1d));
    let base = rng.below(bases.len());
    let mut doc = bases[base].doc.clone();
    let count = 1 + rng.below(4);
    let what = (0..count)
        .map(|_| mutate(&mut rng, &bases[base], &mut doc))
        .collect();
    Mutant {
        index,
        base,
        doc,
        what,
    }
}

/// How a mutant ended.
enum Outcome {
    Ok,
    CleanError { class: String, text: String },
    Violation(String),
}

fn is_one_line(text: &str) -> bool {
    !text.trim_end().contains('\n')
}

/// The top-level keys a Swagger 2.0 conversion error's location starts
/// with (`paths./a.get.parameters[0]`).
const SWAGGER_ROOTS: &[&str] = &[
    "swagger",
    "info",
    "host",
    "basePath",
    "schemes",
    "consumes",
    "produces",
    "paths",
    "definitions",
    "parameters",
    "responses",
    "securityDefinitions",
    "security",
    "tags",
];

/// Whether an error message names where the problem is.
fn names_place(text: &str) -> bool {
    let has_method = crate::openapi::METHODS
        .iter()
        .any(|m| text.contains(&format!("{} /", m.to_ascii_uppercase())));
    has_method
        || text.contains(" at /")
        || text.contains("(in the document root)")
        || text.contains("in components/schemas")
        || text.contains("`paths`")
        || text
            .split("cannot convert Swagger 2.0: ")
            .nth(1)
            .and_then(|rest| rest.split(": ").next())
            .is_some_and(|location| {
                location == "$"
                    || SWAGGER_ROOTS
                        .iter()
                        .any(|root| location == *root || location.starts_with(&format!("{root}.")))
            })
}

/// The class of a clean error, for the counts.
fn class_of(stage: &str, text: &str) -> String {
    let kind = if text.contains("cannot convert Swagger 2.0") {
        "Swagger 2.0 conversion"
    } else if text.contains("not a valid OpenAPI 3.0 document after repairs") {
        "not valid OpenAPI 3.0 after repairs"
    } else if text.contains("`paths`") {
        "no paths"
    } else if text.contains("progenitor panicked") {
        "generator panic (caught)"
    } else {
        "generator error"
    };
    format!("{stage}: {kind}")
}

/// Total time spent importing and generating, in microseconds.
static IMPORT_MICROS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
static GENERATE_MICROS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn add_time(total: &std::sync::atomic::AtomicU64, since: Instant) {
    total.fetch_add(since.elapsed().as_micros() as u64, Ordering::Relaxed);
}

/// Generation results by the imported document's sha256: a mutant the
/// repairs undo entirely imports to a document already generated.
static GENERATED: std::sync::Mutex<BTreeMap<String, Result<(), String>>> =
    std::sync::Mutex::new(BTreeMap::new());

fn run_one(bases: &[Base], m: &Mutant) -> Outcome {
    let base = &bases[m.base];
    let source = Source {
        name: format!("{}#{}", base.name, m.index),
        bytes: serde_json::to_vec(&m.doc).unwrap(),
    };
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        let t = Instant::now();
        let imported = pipeline::import(&source);
        add_time(&IMPORT_MICROS, t);
        let imported = match imported {
            Ok(imported) => imported,
            Err(e) => return Err(("import", e.to_string())),
        };
        let key = format!(
            "{} {}",
            base.variant,
            pipeline::sha256_hex(imported.text.as_bytes())
        );
        let known = GENERATED.lock().unwrap().get(&key).cloned();
        let generated = known.unwrap_or_else(|| {
            let t = Instant::now();
            let generated =
                generate::generate_from_value(&imported.spec, base.variant, generate::INTERFACE)
                    .map(|_| ())
                    .map_err(|e| e.to_string());
            add_time(&GENERATE_MICROS, t);
            GENERATED.lock().unwrap().insert(key, generated.clone());
            generated
        });
        generated.map_err(|e| ("generate", e))
    }));
    match result {
        Ok(Ok(())) => Outcome::Ok,
        Ok(Err((stage, text))) => {
            if !is_one_line(&text) {
                Outcome::Violation(format!("{stage} error of several lines: {text}"))
            } else if !names_place(&text) {
                Outcome::Violation(format!("{stage} error naming no place: {text}"))
            } else {
                Outcome::CleanError {
                    class: class_of(stage, &text),
                    text,
                }
            }
        }
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Outcome::Violation(format!("panicked: {message}"))
        }
    }
}

fn shared_specs() -> Option<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/ibkr-openapi");
    let mut files: Vec<PathBuf> = ["web", "gateway"]
        .iter()
        .flat_map(|v| {
            std::fs::read_dir(dir.join(v))
                .into_iter()
                .flatten()
                .flatten()
        })
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    if files.is_empty() {
        println!(
            "mutation: skipped, {} is absent (IBKR's upstream specs are not checked in)",
            dir.display()
        );
        return None;
    }
    Some(files)
}

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => {
            let v = v.trim();
            let parsed = match v.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => v.parse(),
            };
            parsed.unwrap_or_else(|_| panic!("{name}={v} is not a number"))
        }
        Err(_) => default,
    }
}

/// The invariant's own checks, on messages of each kind.
fn self_check() {
    let clean = [
        "web#1: not a valid OpenAPI 3.0 document after repairs: missing field `info` (in the document root)",
        "web#2: not a valid OpenAPI 3.0 document after repairs: invalid type: null, expected a string at /tags/0",
        "gw#3: cannot convert Swagger 2.0: paths./a b.get.parameters[0]: parameter has no `in`",
        "gw#6: cannot convert Swagger 2.0: $: the document must be a JSON object",
        "gw#4: the document has no `paths` object",
        "web#7: unknown spec version (neither `swagger` nor `openapi` field) at /openapi: expected `swagger: \"2.0\"` or `openapi: 3.0.x` (or 3.1.x)",
        "code generation failed for web: operation a_get (GET /a): progenitor panicked: x",
        "code generation failed for web: in components/schemas: progenitor panicked: x",
    ];
    for text in clean {
        assert!(is_one_line(text) && names_place(text), "{text}");
    }
    for text in [
        "code generation failed for web: progenitor panicked: not yet implemented",
        "gw#5: cannot convert Swagger 2.0: the document must be an object",
    ] {
        assert!(!names_place(text), "{text}");
    }
    assert!(!is_one_line("a\nb"));
    assert_eq!(
        class_of("import", clean[2]),
        "import: Swagger 2.0 conversion"
    );
}

fn main() -> ExitCode {
    // `cargo test -- --list` and filters: this target has one test.
    if std::env::args().any(|a| a == "--list") {
        println!("mutation: test");
        return ExitCode::SUCCESS;
    }
    self_check();
    let Some(files) = shared_specs() else {
        return ExitCode::SUCCESS;
    };
    let default_count = if cfg!(debug_assertions) { 8 } else { 600 };
    let count = env_number("MUTATION_COUNT", default_count) as usize;
    let seed = env_number("MUTATION_SEED", SEED);
    let threads = env_number(
        "MUTATION_THREADS",
        std::thread::available_parallelism().map_or(1, |n| n.get().min(2)) as u64,
    )
    .max(1) as usize;
    let started = Instant::now();
    let bases: Arc<Vec<Base>> = Arc::new(files.iter().map(|f| load(f)).collect());
    println!(
        "mutation: {count} mutants of {} shared specs, seed {seed:#x}, {threads} threads, {}s limit each{}",
        bases.len(),
        TIME_LIMIT.as_secs(),
        if cfg!(debug_assertions) {
            " (debug build; the full run is `cargo test -p xtask --release --test mutation`)"
        } else {
            ""
        }
    );

    if let Ok(only) = std::env::var("MUTATION_ONLY") {
        let index: usize = only
            .trim()
            .parse()
            .expect("MUTATION_ONLY is a mutant number");
        let m = mutant(&bases, seed, index);
        println!("#{index} ({}): {}", bases[m.base].name, m.what.join("; "));
        let t = Instant::now();
        let outcome = run_one(&bases, &m);
        let took = t.elapsed().as_millis();
        return match outcome {
            Outcome::Ok => {
                println!("ok in {took} ms");
                ExitCode::SUCCESS
            }
            Outcome::CleanError { text, .. } => {
                println!("clean error in {took} ms: {text}");
                ExitCode::SUCCESS
            }
            Outcome::Violation(why) => {
                println!("VIOLATION in {took} ms: {why}");
                ExitCode::FAILURE
            }
        };
    }
    let next = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = mpsc::channel::<(usize, Event)>();
    enum Event {
        Started(Vec<String>, usize),
        Done(Outcome, Duration),
    }
    for _ in 0..threads {
        let (bases, next, tx) = (bases.clone(), next.clone(), tx.clone());
        std::thread::spawn(move || {
            loop {
                let index = next.fetch_add(1, Ordering::SeqCst);
                if index >= count {
                    return;
                }
                let m = mutant(&bases, seed, index);
                let _ = tx.send((index, Event::Started(m.what.clone(), m.base)));
                let t = Instant::now();
                let outcome = run_one(&bases, &m);
                let _ = tx.send((index, Event::Done(outcome, t.elapsed())));
            }
        });
    }
    drop(tx);

    let mut running: BTreeMap<usize, (Instant, String)> = BTreeMap::new();
    let mut described: BTreeMap<usize, String> = BTreeMap::new();
    let (mut ok, mut clean) = (0usize, 0usize);
    let mut classes: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut times: Vec<Duration> = Vec::new();
    let mut violations: Vec<String> = Vec::new();
    let mut slowest: Option<(Duration, String)> = None;
    let mut done = 0;
    while done < count {
        match rx.recv_timeout(Duration::from_secs(1)) {
            Ok((index, Event::Started(what, base))) => {
                let text = format!("#{index} ({}: {})", bases[base].name, what.join("; "));
                running.insert(index, (Instant::now(), text.clone()));
                described.insert(index, text);
            }
            Ok((index, Event::Done(outcome, took))) => {
                done += 1;
                times.push(took);
                running.remove(&index);
                let text = described.remove(&index).unwrap_or_default();
                if slowest.as_ref().is_none_or(|(d, _)| took > *d) {
                    slowest = Some((took, text.clone()));
                }
                match outcome {
                    Outcome::Ok => ok += 1,
                    Outcome::CleanError {
                        class,
                        text: message,
                    } => {
                        clean += 1;
                        let entry = classes
                            .entry(class)
                            .or_insert_with(|| (0, format!("{text}: {message}")));
                        entry.0 += 1;
                    }
                    Outcome::Violation(why) => violations.push(format!("{text}: {why}")),
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        if let Some((_, (_, text))) = running.iter().find(|(_, (t, _))| t.elapsed() > TIME_LIMIT) {
            violations.push(format!(
                "{text}: still running after {}s",
                TIME_LIMIT.as_secs()
            ));
            break;
        }
    }

    println!(
        "mutation: {done} mutants in {:.1}s: {ok} ok, {clean} clean errors, {} violations",
        started.elapsed().as_secs_f64(),
        violations.len()
    );
    for (class, (n, example)) in &classes {
        let example: String = example.chars().take(300).collect();
        println!("  {n:>5}  {class}, e.g. {example}");
    }
    times.sort();
    let at = |q: f64| {
        times
            .get(((times.len() as f64 - 1.0) * q) as usize)
            .map_or(0, Duration::as_millis)
    };
    println!(
        "  time per mutant: median {} ms, 90% {} ms, max {} ms",
        at(0.5),
        at(0.9),
        at(1.0)
    );
    println!(
        "  {} distinct documents generated (the others imported to one already generated)",
        GENERATED.lock().unwrap().len()
    );
    println!(
        "  time in import {:.1}s, in generate {:.1}s (all threads)",
        IMPORT_MICROS.load(Ordering::Relaxed) as f64 / 1e6,
        GENERATE_MICROS.load(Ordering::Relaxed) as f64 / 1e6
    );
    if let Some((took, text)) = &slowest {
        println!("  slowest: {} ms, {text}", took.as_millis());
    }
    for v in violations.iter().take(20) {
        println!("VIOLATION {v}");
    }
    if violations.is_empty() && done == count {
        ExitCode::SUCCESS
    } else {
        println!(
            "mutation: FAILED (one mutant: MUTATION_SEED={seed:#x} MUTATION_ONLY=<n> cargo test -p xtask --release --test mutation)"
        );
        ExitCode::FAILURE
    }
}
