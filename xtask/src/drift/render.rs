//! The report as text, Markdown or JSON.
//!
//! All three give the same figures and the same order: the facade's
//! impacts first, then the sections of [`Section::ALL`], each with its
//! breaking groups first. Identical changes are one line (one table row,
//! one JSON entry) with their count and subjects. The JSON is the
//! serde serialisation of the report types, with keys sorted.

use std::fmt::Write as _;

use serde::Serialize;

use super::Drift;
use super::change::{Group, Section, Subjects};
use super::facade::Impact;
use crate::canonical::to_canonical_string;

/// One side of the comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Side {
    /// The file, URL or vendored path it was read from.
    pub source: String,
    /// Its `info.version`.
    pub info_version: String,
}

/// The figures of the report's first line and of the JSON `summary`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Summary {
    operations_added: usize,
    operations_removed: usize,
    operations_changed: usize,
    schemas_added: usize,
    schemas_removed: usize,
    schemas_changed: usize,
    /// Entries of `changes`: identical changes count once.
    changes: usize,
    breaking: usize,
    compatible: usize,
    /// Every change, identical ones counted apart.
    changes_before_grouping: usize,
    breaking_before_grouping: usize,
    /// Entries of `facade`.
    facade: usize,
    facade_breaking: usize,
}

fn summary(drift: &Drift, groups: &[Group]) -> Summary {
    let subjects = |s| drift.report.subjects(s);
    let breaking = groups.iter().filter(|g| g.breaking).count();
    Summary {
        operations_added: subjects(Section::OperationsAdded),
        operations_removed: subjects(Section::OperationsRemoved),
        operations_changed: subjects(Section::OperationsChanged),
        schemas_added: subjects(Section::SchemasAdded),
        schemas_removed: subjects(Section::SchemasRemoved),
        schemas_changed: subjects(Section::SchemasChanged),
        changes: groups.len(),
        breaking,
        compatible: groups.len() - breaking,
        changes_before_grouping: drift.report.changes.len(),
        breaking_before_grouping: drift.report.changes.iter().filter(|c| c.breaking).count(),
        facade: drift.facade.len(),
        facade_breaking: drift.facade.iter().filter(|i| i.breaking).count(),
    }
}

fn summary_line(drift: &Drift, s: &Summary) -> String {
    let mut line = format!(
        "drift {}: {} operations added, {} removed; {} breaking, {} compatible changes",
        drift.variant, s.operations_added, s.operations_removed, s.breaking, s.compatible
    );
    if s.changes_before_grouping != s.changes {
        let _ = write!(line, " ({} before grouping)", s.changes_before_grouping);
    }
    if s.facade > 0 {
        let _ = write!(
            line,
            "; facade: {}, {} breaking",
            plural(s.facade, "route change"),
            s.facade_breaking
        );
    }
    line
}

fn sides_line(drift: &Drift) -> String {
    let (b, u) = (&drift.baseline, &drift.upstream);
    format!(
        "baseline {} ({}) → upstream {} ({})",
        b.source, b.info_version, u.source, u.info_version
    )
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn class(breaking: bool) -> &'static str {
    if breaking { "breaking" } else { "compatible" }
}

/// A section's size as shown in its heading: `15` for added or removed
/// operations and schemas, `88 changes in 20 operations, 12 distinct` for
/// the others.
fn section_count(drift: &Drift, groups: &[&Group], section: Section) -> String {
    let changes = drift.report.in_section(section).count();
    if section.lists_subjects() {
        return changes.to_string();
    }
    let what = match section {
        Section::OperationsChanged => "operation",
        _ => "schema",
    };
    let mut out = format!(
        "{} in {}",
        plural(changes, "change"),
        plural(drift.report.subjects(section), what)
    );
    if groups.len() != changes {
        let _ = write!(out, ", {} distinct", groups.len());
    }
    out
}

/// The subjects of a group, one string each: `GET /path (id)` or a name.
fn subject_names(group: &Group) -> Vec<String> {
    match &group.subjects {
        Subjects::Operations(ops) => ops
            .iter()
            .map(|e| format!("{} {} ({})", e.method, e.path, e.id))
            .collect(),
        Subjects::Schemas(names) => names.clone(),
    }
}

/// The section's groups, non-empty sections only.
fn sections(groups: &[Group]) -> Vec<(Section, Vec<&Group>)> {
    Section::ALL
        .iter()
        .map(|&s| (s, groups.iter().filter(|g| g.section == s).collect()))
        .filter(|(_, gs): &(Section, Vec<&Group>)| !gs.is_empty())
        .collect()
}

/// The facade section when the change touches none of its routes.
const NO_ROUTE: &str = "no route of the facade is affected";

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn facade_line(i: &Impact) -> String {
    format!("`{}` ({}): {}", i.operation, i.variant, i.detail)
}

/// The text report: the count line, the two sides, then the facade's
/// impacts and one line per group, section by section.
pub fn text(drift: &Drift) -> String {
    let groups = drift.report.groups();
    let s = summary(drift, &groups);
    let mut out = String::new();
    let _ = writeln!(out, "{}", summary_line(drift, &s));
    let _ = writeln!(out, "{}", sides_line(drift));
    if !drift.drifted() {
        let _ = writeln!(out, "no structural drift");
        return out;
    }
    if drift.facade.is_empty() {
        let _ = writeln!(out, "\nFacade: {NO_ROUTE}");
    } else {
        let _ = writeln!(out, "\nFacade ({}):", plural(s.facade, "route change"));
        for i in &drift.facade {
            let _ = writeln!(out, "[{}] {}", class(i.breaking), facade_line(i));
        }
    }
    for (section, gs) in sections(&groups) {
        let count = section_count(drift, &gs, section);
        let _ = writeln!(out, "\n{} ({count}):", section.title());
        for g in gs {
            let names = subject_names(g);
            let c = class(g.breaking);
            if section.lists_subjects() {
                // Plain additions and removals need no words.
                let detail = match g.detail.as_str() {
                    "added" | "removed" => String::new(),
                    detail => format!(": {detail}"),
                };
                for name in names {
                    let _ = writeln!(out, "[{c}] {name}{detail}");
                }
            } else if let [name] = names.as_slice() {
                let _ = writeln!(out, "[{c}] {name}: {}", g.detail);
            } else {
                let what = match g.subjects {
                    Subjects::Operations(_) => "operations",
                    Subjects::Schemas(_) => "schemas",
                };
                let _ = writeln!(
                    out,
                    "[{c}] {} ({} {what}: {})",
                    g.detail,
                    g.count,
                    names.join(", ")
                );
            }
        }
    }
    out
}

/// Escapes a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

fn code_list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{}`", cell(n))).collect();
    quoted.join(", ")
}

/// The Markdown report: a heading with the counts, then one table for the
/// facade and one per section.
pub fn markdown(drift: &Drift) -> String {
    let groups = drift.report.groups();
    let s = summary(drift, &groups);
    let mut out = String::new();
    let title = summary_line(drift, &s).replacen("drift", "Drift", 1);
    let _ = writeln!(out, "# {title}\n");
    let _ = writeln!(out, "{}", sides_line(drift));
    for w in &drift.warnings {
        let _ = writeln!(out, "\n> warning: {w}");
    }
    if !drift.drifted() {
        let _ = writeln!(out, "\nNo structural drift.");
        return out;
    }
    if drift.facade.is_empty() {
        let _ = writeln!(out, "\n## Facade\n\n{}.", capitalised(NO_ROUTE));
    } else {
        let _ = writeln!(out, "\n## Facade ({})\n", plural(s.facade, "route change"));
        let _ = writeln!(out, "| Class | Operation | Variant | Change |");
        let _ = writeln!(out, "|---|---|---|---|");
        for i in &drift.facade {
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {} |",
                class(i.breaking),
                i.operation,
                i.variant,
                cell(&i.detail)
            );
        }
    }
    for (section, gs) in sections(&groups) {
        let count = section_count(drift, &gs, section);
        let _ = writeln!(out, "\n## {} ({count})\n", section.title());
        let operations = matches!(
            section,
            Section::OperationsAdded | Section::OperationsRemoved
        );
        if operations {
            let _ = writeln!(out, "| Class | Method | Path | Operation | Change |");
            let _ = writeln!(out, "|---|---|---|---|---|");
        } else if section.lists_subjects() {
            let _ = writeln!(out, "| Class | Schema | Change |");
            let _ = writeln!(out, "|---|---|---|");
        } else {
            let what = match section {
                Section::OperationsChanged => "Operations",
                _ => "Schemas",
            };
            let _ = writeln!(out, "| Class | Change | Count | {what} |");
            let _ = writeln!(out, "|---|---|---|---|");
        }
        for g in gs {
            let (c, detail) = (class(g.breaking), cell(&g.detail));
            match &g.subjects {
                Subjects::Operations(ops) if operations => {
                    for e in ops {
                        let path = cell(&e.path);
                        let (m, id) = (&e.method, &e.id);
                        let _ = writeln!(out, "| {c} | {m} | `{path}` | `{id}` | {detail} |");
                    }
                }
                Subjects::Schemas(names) if section.lists_subjects() => {
                    for name in names {
                        let _ = writeln!(out, "| {c} | `{}` | {detail} |", cell(name));
                    }
                }
                _ => {
                    let names = code_list(&subject_names(g));
                    let _ = writeln!(out, "| {c} | {detail} | {} | {names} |", g.count);
                }
            }
        }
    }
    out
}

/// The JSON document: what was compared, `warnings`, `summary`, the
/// facade's impacts under `facade`, and the grouped `changes`.
#[derive(Serialize)]
struct Json<'a> {
    variant: &'static str,
    baseline: &'a Side,
    upstream: &'a Side,
    warnings: &'a [String],
    summary: Summary,
    facade: &'a [Impact],
    changes: Vec<Group>,
}

/// The JSON report, keys sorted (byte-for-byte stable).
pub fn json(drift: &Drift) -> Result<String, serde_json::Error> {
    let groups = drift.report.groups();
    let doc = Json {
        variant: drift.variant.name(),
        baseline: &drift.baseline,
        upstream: &drift.upstream,
        warnings: &drift.warnings,
        summary: summary(drift, &groups),
        facade: &drift.facade,
        changes: groups,
    };
    Ok(to_canonical_string(&serde_json::to_value(&doc)?))
}

#[cfg(test)]
#[path = "render_tests.rs"]
mod tests;
