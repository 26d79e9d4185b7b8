//! `cargo xtask drift <variant> [source]`: how far an upstream spec has moved
//! from the vendored one.
//!
//! The upstream document goes through the same import pipeline as `import`
//! (in memory, nothing is written) and is compared with the vendored
//! `openapi/<variant>.json`, or with another imported spec given by
//! `--against`. Both sides are therefore repaired, canonical documents, and
//! operations can be matched by their derived operation ids.
//!
//! The comparison is structural: operations, their parameters, request
//! bodies and responses, and component schemas with their properties,
//! required lists and enum values. Prose is not compared (the pipeline
//! strips it). Every change is classified by [`is_breaking`].

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Map, Value, json};

use crate::canonical::to_canonical_string;
use crate::error::{Result, XtaskError};
use crate::pipeline;
use crate::repairs::{METHODS, template_names};
use crate::source::{Source, parse_document};
use crate::upstream;
use crate::variant::Variant;

/// How the report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A count line, then one line per change, grouped by section.
    Text,
    /// A sorted JSON document with `summary` and `changes`.
    Json,
    /// A heading with the counts and one table per section.
    Markdown,
}

/// Runs `drift` and prints the report on stdout. Returns whether any
/// structural drift was found.
pub fn run(
    root: &Path,
    variant: Variant,
    source: Option<&str>,
    against: Option<&str>,
    format: Format,
) -> Result<bool> {
    let location = match source {
        Some(s) => s.to_string(),
        None => upstream::upstream_url(root, variant)?,
    };
    let new = pipeline::import(&Source::load(&location)?)?;
    let (old_spec, old_name) = match against {
        Some(baseline) => (
            pipeline::import(&Source::load(baseline)?)?.spec,
            baseline.to_string(),
        ),
        None => {
            let path = variant.spec_path(root);
            let bytes = std::fs::read(&path).map_err(|e| XtaskError::io(&path, e))?;
            let name = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .display()
                .to_string();
            (parse_document(&name, &bytes)?, name)
        }
    };
    let report = diff(&old_spec, &new.spec);
    let sides = Sides {
        variant,
        baseline: (old_name, info_version(&old_spec)),
        upstream: (location, new.info_version.clone()),
    };
    let out = match format {
        Format::Text => render_text(&report, &sides),
        Format::Json => render_json(&report, &sides),
        Format::Markdown => render_markdown(&report, &sides),
    };
    print!("{out}");
    Ok(!report.changes.is_empty())
}

fn info_version(doc: &Value) -> String {
    doc.pointer("/info/version")
        .and_then(Value::as_str)
        .unwrap_or("unknown")
        .to_string()
}

/// What was compared, for the report's header.
struct Sides {
    variant: Variant,
    /// (source, info.version) of the old side.
    baseline: (String, String),
    /// (source, info.version) of the new side.
    upstream: (String, String),
}

// ---------------------------------------------------------------------------
// The model of a change

/// What a change is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Subject {
    /// An operation: its id, upper-case method and path template.
    Operation {
        /// Path template as in the spec.
        path: String,
        /// `GET`, `POST`, ...
        method: String,
        /// The derived operation id.
        id: String,
    },
    /// A component schema, by name.
    Schema(String),
}

/// One structural difference between the old and the new spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// The operation exists only in the new spec. `replaces` names a removed
    /// operation with the same method and path shape (a path parameter was
    /// renamed, so the derived id changed).
    OperationAdded { replaces: Option<String> },
    /// The operation exists only in the old spec; `replaced_by` as above.
    OperationRemoved { replaced_by: Option<String> },
    /// A new parameter.
    ParameterAdded {
        name: String,
        location: String,
        required: bool,
        ty: String,
    },
    /// A parameter that is gone.
    ParameterRemoved {
        name: String,
        location: String,
        required: bool,
        ty: String,
    },
    /// A path parameter at the same template position with another spelling
    /// (`{replyid}` → `{replyId}`): the URL is built the same way.
    ParameterRenamed { from: String, to: String },
    /// A parameter moved, e.g. from the query string to a header.
    ParameterLocationChanged {
        name: String,
        from: String,
        to: String,
    },
    /// A parameter became required (`to == true`) or optional.
    ParameterRequiredChanged {
        name: String,
        location: String,
        to: bool,
    },
    /// A parameter's type changed.
    ParameterTypeChanged {
        name: String,
        location: String,
        from: String,
        to: String,
    },
    /// The operation now takes a request body.
    RequestBodyAdded { required: bool, ty: String },
    /// The operation no longer takes a request body.
    RequestBodyRemoved { ty: String },
    /// The request body became required (`to == true`) or optional.
    RequestBodyRequiredChanged { to: bool },
    /// The request body's type (schema name or structure, media type) changed.
    RequestBodyTypeChanged { from: String, to: String },
    /// A response status that was not documented before.
    ResponseAdded { status: String, ty: String },
    /// A response status that is no longer documented.
    ResponseRemoved { status: String, ty: String },
    /// The body of a response status changed type.
    ResponseTypeChanged {
        status: String,
        from: String,
        to: String,
    },
    /// A component schema exists only in the new spec.
    SchemaAdded,
    /// A component schema exists only in the old spec.
    SchemaRemoved,
    /// A schema's own type changed (`object` → `array<X>`, a `oneOf`'s
    /// alternatives, ...); property changes are reported separately.
    SchemaTypeChanged { from: String, to: String },
    /// A new property.
    PropertyAdded { property: String, ty: String },
    /// A property that is gone.
    PropertyRemoved { property: String, ty: String },
    /// A property's type changed.
    PropertyTypeChanged {
        property: String,
        from: String,
        to: String,
    },
    /// A property is now in the schema's `required` list.
    RequiredAdded { property: String },
    /// A property that still exists is no longer in the `required` list.
    RequiredRemoved { property: String },
    /// A new enum value, of the schema itself (`property == None`) or of
    /// one of its properties (or the items of an array property).
    EnumValueAdded {
        property: Option<String>,
        value: String,
    },
    /// An enum value that is gone; `property` as above.
    EnumValueRemoved {
        property: Option<String>,
        value: String,
    },
}

/// The classification rules, in one place. A change is *breaking* when a
/// client generated from the old (vendored) spec can fail against a server
/// that implements the new (upstream) one:
///
/// - operations: removed is breaking (the client calls an endpoint that is
///   gone); added is compatible.
/// - parameters: a new *required* parameter is breaking (the client does not
///   send it), a new optional one compatible; a removed parameter is
///   breaking (the client still sends it and the server rejects or ignores
///   it); a changed location or type is breaking; becoming required is
///   breaking, becoming optional compatible; a path parameter spelled
///   differently at the same position is compatible (same URL).
/// - request bodies: the same rules as parameters (new required body or
///   removed body breaking, new optional body compatible, type changed
///   breaking).
/// - responses: a changed body type is breaking (the client fails to decode
///   it); an added or removed status is compatible (an undocumented status
///   reaches the caller as an unexpected response that still carries the
///   status and body).
/// - schemas: removed is breaking, added compatible; a changed type of the
///   schema or of a property is breaking; a removed property is breaking;
///   an added property is compatible (unknown fields are ignored when
///   decoding).
/// - `required` lists: a change either way is breaking. Whether a schema is
///   sent or received is not considered: a newly required property breaks
///   requests built without it, and one that is no longer required may be
///   missing from responses decoded into a non-optional field.
/// - enums: an added value is breaking (a generated Rust enum cannot decode
///   a value it does not know); a removed value is compatible (the client
///   simply never receives it).
pub fn is_breaking(kind: &Kind) -> bool {
    match kind {
        Kind::OperationAdded { .. } => false,
        Kind::OperationRemoved { .. } => true,
        Kind::ParameterAdded { required, .. } => *required,
        Kind::ParameterRemoved { .. } => true,
        Kind::ParameterRenamed { .. } => false,
        Kind::ParameterLocationChanged { .. } => true,
        Kind::ParameterRequiredChanged { to, .. } => *to,
        Kind::ParameterTypeChanged { .. } => true,
        Kind::RequestBodyAdded { required, .. } => *required,
        Kind::RequestBodyRemoved { .. } => true,
        Kind::RequestBodyRequiredChanged { to } => *to,
        Kind::RequestBodyTypeChanged { .. } => true,
        Kind::ResponseAdded { .. } => false,
        Kind::ResponseRemoved { .. } => false,
        Kind::ResponseTypeChanged { .. } => true,
        Kind::SchemaAdded => false,
        Kind::SchemaRemoved => true,
        Kind::SchemaTypeChanged { .. } => true,
        Kind::PropertyAdded { .. } => false,
        Kind::PropertyRemoved { .. } => true,
        Kind::PropertyTypeChanged { .. } => true,
        Kind::RequiredAdded { .. } => true,
        Kind::RequiredRemoved { .. } => true,
        Kind::EnumValueAdded { .. } => true,
        Kind::EnumValueRemoved { .. } => false,
    }
}

/// One change with its subject and classification.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// The operation or schema concerned.
    pub subject: Subject,
    /// What changed.
    pub kind: Kind,
    /// `is_breaking(&kind)`.
    pub breaking: bool,
}

/// The report sections, in print order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    /// Operations only in the new spec.
    OperationsAdded,
    /// Operations only in the old spec.
    OperationsRemoved,
    /// Changes inside operations present in both.
    OperationsChanged,
    /// Schemas only in the new spec.
    SchemasAdded,
    /// Schemas only in the old spec.
    SchemasRemoved,
    /// Changes inside schemas present in both.
    SchemasChanged,
}

impl Section {
    const ALL: [Section; 6] = [
        Section::OperationsAdded,
        Section::OperationsRemoved,
        Section::OperationsChanged,
        Section::SchemasAdded,
        Section::SchemasRemoved,
        Section::SchemasChanged,
    ];

    fn title(self) -> &'static str {
        match self {
            Section::OperationsAdded => "Operations added",
            Section::OperationsRemoved => "Operations removed",
            Section::OperationsChanged => "Operations changed",
            Section::SchemasAdded => "Schemas added",
            Section::SchemasRemoved => "Schemas removed",
            Section::SchemasChanged => "Schemas changed",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Section::OperationsAdded => "operations_added",
            Section::OperationsRemoved => "operations_removed",
            Section::OperationsChanged => "operations_changed",
            Section::SchemasAdded => "schemas_added",
            Section::SchemasRemoved => "schemas_removed",
            Section::SchemasChanged => "schemas_changed",
        }
    }
}

impl Change {
    fn new(subject: Subject, kind: Kind) -> Self {
        let breaking = is_breaking(&kind);
        Change {
            subject,
            kind,
            breaking,
        }
    }

    /// The section the change is listed in.
    pub fn section(&self) -> Section {
        match self.kind {
            Kind::OperationAdded { .. } => Section::OperationsAdded,
            Kind::OperationRemoved { .. } => Section::OperationsRemoved,
            Kind::SchemaAdded => Section::SchemasAdded,
            Kind::SchemaRemoved => Section::SchemasRemoved,
            _ => match self.subject {
                Subject::Operation { .. } => Section::OperationsChanged,
                Subject::Schema(_) => Section::SchemasChanged,
            },
        }
    }

    fn class(&self) -> &'static str {
        if self.breaking {
            "breaking"
        } else {
            "compatible"
        }
    }

    /// The change in words, without its subject.
    pub fn detail(&self) -> String {
        let opt = |required: bool| if required { "required" } else { "optional" };
        let prop = |p: &Option<String>| match p {
            Some(p) => format!("property `{p}`"),
            None => "schema".to_string(),
        };
        match &self.kind {
            Kind::OperationAdded {
                replaces: Some(old),
            } => {
                format!("added; replaces `{old}` (path parameter renamed)")
            }
            Kind::OperationRemoved {
                replaced_by: Some(new),
            } => {
                format!("removed; replaced by `{new}` (path parameter renamed)")
            }
            Kind::OperationAdded { replaces: None } => "added".into(),
            Kind::OperationRemoved { replaced_by: None } => "removed".into(),
            Kind::ParameterAdded {
                name,
                location,
                required,
                ty,
            } => {
                format!(
                    "{location} parameter `{name}` added ({}, {ty})",
                    opt(*required)
                )
            }
            Kind::ParameterRemoved {
                name,
                location,
                required,
                ty,
            } => {
                format!(
                    "{location} parameter `{name}` removed (was {}, {ty})",
                    opt(*required)
                )
            }
            Kind::ParameterRenamed { from, to } => {
                format!("path parameter `{from}` renamed to `{to}`")
            }
            Kind::ParameterLocationChanged { name, from, to } => {
                format!("parameter `{name}` moved from {from} to {to}")
            }
            Kind::ParameterRequiredChanged { name, location, to } => {
                format!("{location} parameter `{name}` became {}", opt(*to))
            }
            Kind::ParameterTypeChanged {
                name,
                location,
                from,
                to,
            } => {
                format!("{location} parameter `{name}` retyped: {from} → {to}")
            }
            Kind::RequestBodyAdded { required, ty } => {
                format!("request body added ({}, {ty})", opt(*required))
            }
            Kind::RequestBodyRemoved { ty } => format!("request body removed (was {ty})"),
            Kind::RequestBodyRequiredChanged { to } => {
                format!("request body became {}", opt(*to))
            }
            Kind::RequestBodyTypeChanged { from, to } => {
                format!("request body retyped: {from} → {to}")
            }
            Kind::ResponseAdded { status, ty } => format!("response {status} added ({ty})"),
            Kind::ResponseRemoved { status, ty } => {
                format!("response {status} removed (was {ty})")
            }
            Kind::ResponseTypeChanged { status, from, to } => {
                format!("response {status} retyped: {from} → {to}")
            }
            Kind::SchemaAdded => "added".into(),
            Kind::SchemaRemoved => "removed".into(),
            Kind::SchemaTypeChanged { from, to } => format!("retyped: {from} → {to}"),
            Kind::PropertyAdded { property, ty } => format!("property `{property}` added ({ty})"),
            Kind::PropertyRemoved { property, ty } => {
                format!("property `{property}` removed (was {ty})")
            }
            Kind::PropertyTypeChanged { property, from, to } => {
                format!("property `{property}` retyped: {from} → {to}")
            }
            Kind::RequiredAdded { property } => format!("property `{property}` became required"),
            Kind::RequiredRemoved { property } => {
                format!("property `{property}` is no longer required")
            }
            Kind::EnumValueAdded { property, value } => {
                format!("{} enum value {value} added", prop(property))
            }
            Kind::EnumValueRemoved { property, value } => {
                format!("{} enum value {value} removed", prop(property))
            }
        }
    }

    /// The change as a JSON object: `kind`, `breaking`, the subject and the
    /// kind's own fields.
    fn to_json(&self) -> Value {
        let mut o = Map::new();
        let mut put = |k: &str, v: Value| {
            o.insert(k.to_string(), v);
        };
        match &self.subject {
            Subject::Operation { path, method, id } => {
                put("operation", json!(id));
                put("method", json!(method));
                put("path", json!(path));
            }
            Subject::Schema(name) => put("schema", json!(name)),
        }
        put("breaking", json!(self.breaking));
        put("section", json!(self.section().key()));
        put("detail", json!(self.detail()));
        let kind = match &self.kind {
            Kind::OperationAdded { replaces } => {
                if let Some(old) = replaces {
                    put("replaces", json!(old));
                }
                "operation_added"
            }
            Kind::OperationRemoved { replaced_by } => {
                if let Some(new) = replaced_by {
                    put("replaced_by", json!(new));
                }
                "operation_removed"
            }
            Kind::ParameterAdded {
                name,
                location,
                required,
                ty,
            } => {
                put("parameter", json!(name));
                put("in", json!(location));
                put("required", json!(required));
                put("type", json!(ty));
                "parameter_added"
            }
            Kind::ParameterRemoved {
                name,
                location,
                required,
                ty,
            } => {
                put("parameter", json!(name));
                put("in", json!(location));
                put("required", json!(required));
                put("type", json!(ty));
                "parameter_removed"
            }
            Kind::ParameterRenamed { from, to } => {
                put("in", json!("path"));
                put("from", json!(from));
                put("to", json!(to));
                "parameter_renamed"
            }
            Kind::ParameterLocationChanged { name, from, to } => {
                put("parameter", json!(name));
                put("from", json!(from));
                put("to", json!(to));
                "parameter_location_changed"
            }
            Kind::ParameterRequiredChanged { name, location, to } => {
                put("parameter", json!(name));
                put("in", json!(location));
                put("required", json!(to));
                "parameter_required_changed"
            }
            Kind::ParameterTypeChanged {
                name,
                location,
                from,
                to,
            } => {
                put("parameter", json!(name));
                put("in", json!(location));
                put("from", json!(from));
                put("to", json!(to));
                "parameter_type_changed"
            }
            Kind::RequestBodyAdded { required, ty } => {
                put("required", json!(required));
                put("type", json!(ty));
                "request_body_added"
            }
            Kind::RequestBodyRemoved { ty } => {
                put("type", json!(ty));
                "request_body_removed"
            }
            Kind::RequestBodyRequiredChanged { to } => {
                put("required", json!(to));
                "request_body_required_changed"
            }
            Kind::RequestBodyTypeChanged { from, to } => {
                put("from", json!(from));
                put("to", json!(to));
                "request_body_type_changed"
            }
            Kind::ResponseAdded { status, ty } => {
                put("status", json!(status));
                put("type", json!(ty));
                "response_added"
            }
            Kind::ResponseRemoved { status, ty } => {
                put("status", json!(status));
                put("type", json!(ty));
                "response_removed"
            }
            Kind::ResponseTypeChanged { status, from, to } => {
                put("status", json!(status));
                put("from", json!(from));
                put("to", json!(to));
                "response_type_changed"
            }
            Kind::SchemaAdded => "schema_added",
            Kind::SchemaRemoved => "schema_removed",
            Kind::SchemaTypeChanged { from, to } => {
                put("from", json!(from));
                put("to", json!(to));
                "schema_type_changed"
            }
            Kind::PropertyAdded { property, ty } => {
                put("property", json!(property));
                put("type", json!(ty));
                "property_added"
            }
            Kind::PropertyRemoved { property, ty } => {
                put("property", json!(property));
                put("type", json!(ty));
                "property_removed"
            }
            Kind::PropertyTypeChanged { property, from, to } => {
                put("property", json!(property));
                put("from", json!(from));
                put("to", json!(to));
                "property_type_changed"
            }
            Kind::RequiredAdded { property } => {
                put("property", json!(property));
                "required_added"
            }
            Kind::RequiredRemoved { property } => {
                put("property", json!(property));
                "required_removed"
            }
            Kind::EnumValueAdded { property, value }
            | Kind::EnumValueRemoved { property, value } => {
                if let Some(p) = property {
                    put("property", json!(p));
                }
                put("value", json!(value));
                if matches!(self.kind, Kind::EnumValueAdded { .. }) {
                    "enum_value_added"
                } else {
                    "enum_value_removed"
                }
            }
        };
        o.insert("kind".into(), json!(kind));
        Value::Object(o)
    }
}

/// Every difference between two specs, sorted by section, then subject,
/// then change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The changes, in report order.
    pub changes: Vec<Change>,
}

impl Report {
    fn count(&self, section: Section) -> usize {
        self.changes
            .iter()
            .filter(|c| c.section() == section)
            .count()
    }

    fn breaking(&self) -> usize {
        self.changes.iter().filter(|c| c.breaking).count()
    }

    /// Number of distinct subjects with changes in `section`.
    fn subjects(&self, section: Section) -> usize {
        self.changes
            .iter()
            .filter(|c| c.section() == section)
            .map(|c| &c.subject)
            .collect::<BTreeSet<_>>()
            .len()
    }

    fn in_section(&self, section: Section) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.section() == section)
    }
}

// ---------------------------------------------------------------------------
// Comparison

/// Compares two canonical OpenAPI 3.0 documents: `old` is the baseline,
/// `new` the upstream.
pub fn diff(old: &Value, new: &Value) -> Report {
    let mut changes = Vec::new();
    diff_operations(old, new, &mut changes);
    diff_schemas(old, new, &mut changes);
    changes.sort_by(|a, b| (a.section(), a).cmp(&(b.section(), b)));
    Report { changes }
}

/// One operation of a document.
struct Operation<'a> {
    path: &'a str,
    method: &'static str,
    item: &'a Value,
    op: &'a Value,
}

impl Operation<'_> {
    fn subject(&self, id: &str) -> Subject {
        Subject::Operation {
            path: self.path.to_string(),
            method: self.method.to_uppercase(),
            id: id.to_string(),
        }
    }
}

/// Operations by id. Canonical documents always carry the derived id; an
/// operation without one is keyed by `METHOD path`.
fn operations(doc: &Value) -> BTreeMap<String, Operation<'_>> {
    let mut out = BTreeMap::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        for method in METHODS {
            let Some(op) = item.get(*method).filter(|o| o.is_object()) else {
                continue;
            };
            let id = op
                .get("operationId")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| format!("{} {path}", method.to_uppercase()));
            out.insert(
                id,
                Operation {
                    path,
                    method,
                    item,
                    op,
                },
            );
        }
    }
    out
}

/// `METHOD /a/{}/b`: the endpoint with path parameter names erased, used to
/// recognise an operation whose id changed only through a renamed parameter.
fn endpoint_shape(op: &Operation<'_>) -> String {
    let path: Vec<String> = op
        .path
        .split('/')
        .map(|s| {
            if s.starts_with('{') && s.ends_with('}') {
                "{}".to_string()
            } else {
                s.to_string()
            }
        })
        .collect();
    format!("{} {}", op.method, path.join("/"))
}

fn diff_operations(old_doc: &Value, new_doc: &Value, out: &mut Vec<Change>) {
    let old = operations(old_doc);
    let new = operations(new_doc);
    let shapes = |ops: &BTreeMap<String, Operation<'_>>,
                  other: &BTreeMap<String, Operation<'_>>| {
        let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (id, op) in ops.iter().filter(|(id, _)| !other.contains_key(*id)) {
            m.entry(endpoint_shape(op)).or_default().push(id.clone());
        }
        m
    };
    let removed_shapes = shapes(&old, &new);
    let added_shapes = shapes(&new, &old);
    // A unique counterpart of the same shape, if there is exactly one.
    let counterpart = |shapes: &BTreeMap<String, Vec<String>>, op: &Operation<'_>| {
        shapes
            .get(&endpoint_shape(op))
            .filter(|ids| ids.len() == 1)
            .map(|ids| ids[0].clone())
    };
    for (id, op) in &old {
        match new.get(id) {
            None => out.push(Change::new(
                op.subject(id),
                Kind::OperationRemoved {
                    replaced_by: counterpart(&added_shapes, op),
                },
            )),
            Some(new_op) => diff_operation(id, old_doc, op, new_doc, new_op, out),
        }
    }
    for (id, op) in new.iter().filter(|(id, _)| !old.contains_key(*id)) {
        out.push(Change::new(
            op.subject(id),
            Kind::OperationAdded {
                replaces: counterpart(&removed_shapes, op),
            },
        ));
    }
}

/// Follows a local `$ref` (parameters, bodies and responses are inlined by
/// the pipeline, but a hand-written baseline may still refer to them).
fn deref<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    let mut v = v;
    for _ in 0..8 {
        match v
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| doc.pointer(p))
        {
            Some(target) => v = target,
            None => break,
        }
    }
    v
}

/// A parameter reduced to what the comparison looks at.
#[derive(Debug, Clone)]
struct Param {
    name: String,
    location: String,
    required: bool,
    ty: String,
}

/// The parameters of an operation, path-level ones included (an
/// operation-level parameter overrides a path-level one of the same name and
/// location).
fn params(doc: &Value, op: &Operation<'_>) -> Vec<Param> {
    let list = |v: &Value| -> Vec<Param> {
        v.get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|p| {
                let p = deref(doc, p);
                let schema = p.get("schema").or_else(|| {
                    p.get("content")
                        .and_then(Value::as_object)
                        .and_then(|c| c.values().next())
                        .and_then(|m| m.get("schema"))
                });
                Param {
                    name: str_of(p, "name"),
                    location: str_of(p, "in"),
                    required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                    ty: schema.map_or_else(|| "any".to_string(), type_string),
                }
            })
            .collect()
    };
    let mut out = list(op.op);
    for p in list(op.item) {
        if !out
            .iter()
            .any(|q| q.name == p.name && q.location == p.location)
        {
            out.push(p);
        }
    }
    out
}

fn str_of(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn diff_operation(
    id: &str,
    old_doc: &Value,
    old: &Operation<'_>,
    new_doc: &Value,
    new: &Operation<'_>,
    out: &mut Vec<Change>,
) {
    // Changes are reported under the new operation (its path spelling).
    let subject = new.subject(id);
    let mut push = |kind: Kind| out.push(Change::new(subject.clone(), kind));
    diff_params(
        params(old_doc, old),
        old.path,
        params(new_doc, new),
        new.path,
        &mut push,
    );
    diff_body(old_doc, old.op, new_doc, new.op, &mut push);
    diff_responses(old_doc, old.op, new_doc, new.op, &mut push);
}

fn diff_params(
    mut old: Vec<Param>,
    old_path: &str,
    mut new: Vec<Param>,
    new_path: &str,
    push: &mut impl FnMut(Kind),
) {
    let mut pairs: Vec<(Param, Param)> = Vec::new();
    // Path parameters pair up by their position in the template: the same
    // id means the same path shape, only the spelling of names can differ.
    let find_path = |params: &[Param], name: &str| {
        params
            .iter()
            .position(|p| p.location == "path" && p.name == name)
    };
    for (o, n) in template_names(old_path)
        .iter()
        .zip(template_names(new_path).iter())
    {
        if let (Some(i), Some(j)) = (find_path(&old, o), find_path(&new, n)) {
            let (a, b) = (old.remove(i), new.remove(j));
            if a.name != b.name {
                push(Kind::ParameterRenamed {
                    from: a.name.clone(),
                    to: b.name.clone(),
                });
            }
            pairs.push((a, b));
        }
    }
    // Then by name and location, then by name alone (a moved parameter).
    for same_location in [true, false] {
        let mut i = 0;
        while i < old.len() {
            let found = new.iter().position(|n| {
                n.name == old[i].name && (!same_location || n.location == old[i].location)
            });
            match found {
                Some(j) => pairs.push((old.remove(i), new.remove(j))),
                None => i += 1,
            }
        }
    }
    for (a, b) in pairs {
        if a.location != b.location {
            push(Kind::ParameterLocationChanged {
                name: b.name.clone(),
                from: a.location.clone(),
                to: b.location.clone(),
            });
        }
        if a.required != b.required {
            push(Kind::ParameterRequiredChanged {
                name: b.name.clone(),
                location: b.location.clone(),
                to: b.required,
            });
        }
        if a.ty != b.ty {
            push(Kind::ParameterTypeChanged {
                name: b.name.clone(),
                location: b.location.clone(),
                from: a.ty,
                to: b.ty,
            });
        }
    }
    for p in old {
        push(Kind::ParameterRemoved {
            name: p.name,
            location: p.location,
            required: p.required,
            ty: p.ty,
        });
    }
    for p in new {
        push(Kind::ParameterAdded {
            name: p.name,
            location: p.location,
            required: p.required,
            ty: p.ty,
        });
    }
}

/// The type of a body (request or response): the schema's type string, with
/// the media type appended when it is not `application/json`; several media
/// types are listed in name order. `none` when there is no content.
fn body_type(body: &Value) -> String {
    let Some(content) = body
        .get("content")
        .and_then(Value::as_object)
        .filter(|c| !c.is_empty())
    else {
        return "none".to_string();
    };
    let mut parts: Vec<String> = content
        .iter()
        .map(|(media, m)| {
            let ty = m
                .get("schema")
                .map_or_else(|| "any".to_string(), type_string);
            if media == "application/json" {
                ty
            } else {
                format!("{ty} as {media}")
            }
        })
        .collect();
    parts.sort();
    parts.join(", ")
}

fn diff_body(
    old_doc: &Value,
    old: &Value,
    new_doc: &Value,
    new: &Value,
    push: &mut impl FnMut(Kind),
) {
    let body = |doc: &'_ Value, op: &Value| {
        op.get("requestBody").map(|b| {
            let b = deref(doc, b);
            (
                b.get("required").and_then(Value::as_bool).unwrap_or(false),
                body_type(b),
            )
        })
    };
    match (body(old_doc, old), body(new_doc, new)) {
        (None, None) => {}
        (None, Some((required, ty))) => push(Kind::RequestBodyAdded { required, ty }),
        (Some((_, ty)), None) => push(Kind::RequestBodyRemoved { ty }),
        (Some((old_required, old_ty)), Some((new_required, new_ty))) => {
            if old_required != new_required {
                push(Kind::RequestBodyRequiredChanged { to: new_required });
            }
            if old_ty != new_ty {
                push(Kind::RequestBodyTypeChanged {
                    from: old_ty,
                    to: new_ty,
                });
            }
        }
    }
}

fn diff_responses(
    old_doc: &Value,
    old: &Value,
    new_doc: &Value,
    new: &Value,
    push: &mut impl FnMut(Kind),
) {
    let responses = |doc: &Value, op: &Value| -> BTreeMap<String, String> {
        op.get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(status, r)| (status.clone(), body_type(deref(doc, r))))
            .collect()
    };
    let old = responses(old_doc, old);
    let new = responses(new_doc, new);
    for (status, from) in &old {
        match new.get(status) {
            None => push(Kind::ResponseRemoved {
                status: status.clone(),
                ty: from.clone(),
            }),
            Some(to) if to != from => push(Kind::ResponseTypeChanged {
                status: status.clone(),
                from: from.clone(),
                to: to.clone(),
            }),
            Some(_) => {}
        }
    }
    for (status, ty) in new.iter().filter(|(s, _)| !old.contains_key(*s)) {
        push(Kind::ResponseAdded {
            status: status.clone(),
            ty: ty.clone(),
        });
    }
}

fn component_schemas(doc: &Value) -> BTreeMap<&str, &Value> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.as_str(), v))
        .collect()
}

fn diff_schemas(old_doc: &Value, new_doc: &Value, out: &mut Vec<Change>) {
    let old = component_schemas(old_doc);
    let new = component_schemas(new_doc);
    for (name, schema) in &old {
        let subject = Subject::Schema(name.to_string());
        match new.get(name) {
            None => out.push(Change::new(subject, Kind::SchemaRemoved)),
            Some(new_schema) => {
                let mut push = |kind: Kind| out.push(Change::new(subject.clone(), kind));
                diff_schema(schema, new_schema, &mut push);
            }
        }
    }
    for name in new.keys().filter(|n| !old.contains_key(*n)) {
        out.push(Change::new(
            Subject::Schema(name.to_string()),
            Kind::SchemaAdded,
        ));
    }
}

fn properties(schema: &Value) -> BTreeMap<&str, &Value> {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.as_str(), v))
        .collect()
}

fn required(schema: &Value) -> BTreeSet<&str> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

/// The enum values of a schema, or of its items when it is an array, each
/// written as JSON (`"LMT"`, `1`).
fn enum_values(schema: &Value) -> BTreeSet<String> {
    schema
        .get("enum")
        .or_else(|| schema.get("items").and_then(|i| i.get("enum")))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(Value::to_string)
        .collect()
}

/// A schema's own type for [`Kind::SchemaTypeChanged`]: `object` for any
/// object with properties (their changes are reported one by one), the
/// full type string otherwise.
fn schema_kind(schema: &Value) -> String {
    if schema.get("properties").is_some_and(Value::is_object) {
        let object = match schema.get("additionalProperties") {
            Some(extra) if extra.is_object() => format!("object+map<{}>", type_string(extra)),
            _ => "object".to_string(),
        };
        nullable(schema, object)
    } else {
        type_string(schema)
    }
}

fn diff_schema(old: &Value, new: &Value, push: &mut impl FnMut(Kind)) {
    let (from, to) = (schema_kind(old), schema_kind(new));
    if from != to {
        push(Kind::SchemaTypeChanged { from, to });
    }
    diff_enum(None, old, new, push);
    let old_props = properties(old);
    let new_props = properties(new);
    for (property, schema) in &old_props {
        match new_props.get(property) {
            None => push(Kind::PropertyRemoved {
                property: property.to_string(),
                ty: type_string(schema),
            }),
            Some(new_schema) => {
                let (from, to) = (type_string(schema), type_string(new_schema));
                if from != to {
                    push(Kind::PropertyTypeChanged {
                        property: property.to_string(),
                        from,
                        to,
                    });
                }
                diff_enum(Some(property), schema, new_schema, push);
            }
        }
    }
    for (property, schema) in new_props
        .iter()
        .filter(|(p, _)| !old_props.contains_key(*p))
    {
        push(Kind::PropertyAdded {
            property: property.to_string(),
            ty: type_string(schema),
        });
    }
    // A removed property's `required` entry is not reported on its own: the
    // removal already says everything.
    let (old_req, new_req) = (required(old), required(new));
    for property in new_req.difference(&old_req) {
        push(Kind::RequiredAdded {
            property: property.to_string(),
        });
    }
    for property in old_req.difference(&new_req) {
        if new_props.contains_key(property) {
            push(Kind::RequiredRemoved {
                property: property.to_string(),
            });
        }
    }
}

fn diff_enum(property: Option<&str>, old: &Value, new: &Value, push: &mut impl FnMut(Kind)) {
    let (old, new) = (enum_values(old), enum_values(new));
    let property = property.map(str::to_string);
    for value in new.difference(&old) {
        push(Kind::EnumValueAdded {
            property: property.clone(),
            value: value.clone(),
        });
    }
    for value in old.difference(&new) {
        push(Kind::EnumValueRemoved {
            property: property.clone(),
            value: value.clone(),
        });
    }
}

/// A short, comparable description of a schema's type:
/// - a `$ref` is the referenced name (`Order`);
/// - `type` with `format` is `integer(int64)`, without it `string`;
/// - arrays are `array<T>`, maps (`additionalProperties`) `map<T>`;
/// - inline objects list their properties in name order,
///   `{id: integer, name?: string}` (`?` marks an optional property);
/// - `oneOf`/`anyOf`/`allOf` list their alternatives;
/// - `nullable` adds ` | null`; a schema without any of these is `any`.
///
/// Enum values are not part of it (they are compared on their own).
pub fn type_string(schema: &Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return nullable(schema, r.rsplit('/').next().unwrap_or(r).to_string());
    }
    for (keyword, sep) in [("oneOf", " | "), ("anyOf", " | "), ("allOf", " & ")] {
        if let Some(items) = schema.get(keyword).and_then(Value::as_array) {
            let parts: Vec<String> = items.iter().map(type_string).collect();
            return nullable(schema, format!("{keyword}<{}>", parts.join(sep)));
        }
    }
    let ty = schema.get("type").and_then(Value::as_str);
    let props = properties(schema);
    let base = match ty {
        Some("array") => format!(
            "array<{}>",
            schema
                .get("items")
                .map_or_else(|| "any".to_string(), type_string)
        ),
        Some("object") | None if !props.is_empty() => {
            let req = required(schema);
            let fields: Vec<String> = props
                .iter()
                .map(|(name, s)| {
                    let mark = if req.contains(name) { "" } else { "?" };
                    format!("{name}{mark}: {}", type_string(s))
                })
                .collect();
            format!("{{{}}}", fields.join(", "))
        }
        Some("object") | None => match schema.get("additionalProperties") {
            Some(extra) if extra.is_object() => format!("map<{}>", type_string(extra)),
            _ if ty.is_some() => "object".to_string(),
            _ => "any".to_string(),
        },
        Some(t) => match schema.get("format").and_then(Value::as_str) {
            Some(f) => format!("{t}({f})"),
            None => t.to_string(),
        },
    };
    nullable(schema, base)
}

fn nullable(schema: &Value, ty: String) -> String {
    if schema.get("nullable").and_then(Value::as_bool) == Some(true) {
        format!("{ty} | null")
    } else {
        ty
    }
}

// ---------------------------------------------------------------------------
// Rendering

fn summary_line(report: &Report, variant: Variant) -> String {
    let breaking = report.breaking();
    format!(
        "drift {variant}: {} operations added, {} removed; {breaking} breaking, {} compatible changes",
        report.count(Section::OperationsAdded),
        report.count(Section::OperationsRemoved),
        report.changes.len() - breaking,
    )
}

fn sides_line(sides: &Sides) -> String {
    format!(
        "baseline {} ({}) → upstream {} ({})",
        sides.baseline.0, sides.baseline.1, sides.upstream.0, sides.upstream.1
    )
}

/// The subject as printed: `GET /path (id)` or the schema name.
fn subject_text(subject: &Subject) -> String {
    match subject {
        Subject::Operation { path, method, id } => format!("{method} {path} ({id})"),
        Subject::Schema(name) => name.clone(),
    }
}

/// A section's size as shown in its heading: `15` for added or removed
/// operations and schemas, `88 changes in 20 operations` for the others.
fn section_count(report: &Report, section: Section) -> String {
    let changes = plural(report.count(section), "change");
    match section {
        Section::OperationsChanged => {
            format!(
                "{changes} in {}",
                plural(report.subjects(section), "operation")
            )
        }
        Section::SchemasChanged => {
            format!(
                "{changes} in {}",
                plural(report.subjects(section), "schema")
            )
        }
        _ => report.count(section).to_string(),
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn render_text(report: &Report, sides: &Sides) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", summary_line(report, sides.variant));
    let _ = writeln!(out, "{}", sides_line(sides));
    if report.changes.is_empty() {
        let _ = writeln!(out, "no structural drift");
        return out;
    }
    for section in Section::ALL {
        let changes: Vec<&Change> = report.in_section(section).collect();
        if changes.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n{} ({}):",
            section.title(),
            section_count(report, section)
        );
        for c in changes {
            let subject = subject_text(&c.subject);
            let line = match c.kind {
                Kind::OperationAdded { replaces: None }
                | Kind::OperationRemoved { replaced_by: None }
                | Kind::SchemaAdded
                | Kind::SchemaRemoved => subject,
                _ => format!("{subject}: {}", c.detail()),
            };
            let _ = writeln!(out, "[{}] {line}", c.class());
        }
    }
    out
}

/// The JSON report. `summary` counts operations and schemas (added,
/// removed, and with changes) and changes (`breaking`, `compatible`, and
/// their total `changes`); `changes` lists every change in report order.
fn render_json(report: &Report, sides: &Sides) -> String {
    let mut summary = Map::new();
    for section in Section::ALL {
        summary.insert(section.key().into(), json!(report.subjects(section)));
    }
    let breaking = report.breaking();
    summary.insert("breaking".into(), json!(breaking));
    summary.insert("compatible".into(), json!(report.changes.len() - breaking));
    summary.insert("changes".into(), json!(report.changes.len()));
    let doc = json!({
        "variant": sides.variant.name(),
        "baseline": {"source": sides.baseline.0, "info_version": sides.baseline.1},
        "upstream": {"source": sides.upstream.0, "info_version": sides.upstream.1},
        "summary": summary,
        "changes": report.changes.iter().map(Change::to_json).collect::<Vec<_>>(),
    });
    to_canonical_string(&doc)
}

/// Escapes a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

fn render_markdown(report: &Report, sides: &Sides) -> String {
    let mut out = String::new();
    let title = summary_line(report, sides.variant).replacen("drift", "Drift", 1);
    let _ = writeln!(out, "# {title}\n");
    let _ = writeln!(out, "{}", sides_line(sides));
    if report.changes.is_empty() {
        let _ = writeln!(out, "\nNo structural drift.");
        return out;
    }
    for section in Section::ALL {
        let changes: Vec<&Change> = report.in_section(section).collect();
        if changes.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n## {} ({})\n",
            section.title(),
            section_count(report, section)
        );
        let operations = matches!(
            section,
            Section::OperationsAdded | Section::OperationsRemoved | Section::OperationsChanged
        );
        if operations {
            let _ = writeln!(out, "| Class | Method | Path | Operation | Change |");
            let _ = writeln!(out, "|---|---|---|---|---|");
        } else {
            let _ = writeln!(out, "| Class | Schema | Change |");
            let _ = writeln!(out, "|---|---|---|");
        }
        for c in changes {
            let detail = cell(&c.detail());
            match &c.subject {
                Subject::Operation { path, method, id } => {
                    let _ = writeln!(
                        out,
                        "| {} | {method} | `{}` | `{id}` | {detail} |",
                        c.class(),
                        cell(path)
                    );
                }
                Subject::Schema(name) => {
                    let _ = writeln!(out, "| {} | `{}` | {detail} |", c.class(), cell(name));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small document with one operation and one schema, to be varied.
    fn base() -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/orders/{accountId}": {
                    "get": {
                        "operationId": "orders_account_id_get",
                        "parameters": [
                            {"name": "accountId", "in": "path", "required": true, "schema": {"type": "string"}},
                            {"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int32"}}
                        ],
                        "responses": {
                            "200": {"content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Order"}}}}},
                            "401": {"content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}}
                        }
                    },
                    "post": {
                        "operationId": "orders_account_id_post",
                        "parameters": [
                            {"name": "accountId", "in": "path", "required": true, "schema": {"type": "string"}}
                        ],
                        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}},
                        "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}}}
                    }
                }
            },
            "components": {"schemas": {
                "Order": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {
                        "id": {"type": "integer", "format": "int64"},
                        "side": {"type": "string", "enum": ["BUY", "SELL"]},
                        "note": {"type": "string"}
                    }
                },
                "Status": {"type": "string", "enum": ["open", "filled"]}
            }}
        })
    }

    /// The changes of `base()` → `base()` modified by `edit`.
    fn changes(edit: impl FnOnce(&mut Value)) -> Vec<(Subject, Kind, bool)> {
        let old = base();
        let mut new = base();
        edit(&mut new);
        diff(&old, &new)
            .changes
            .into_iter()
            .map(|c| (c.subject, c.kind, c.breaking))
            .collect()
    }

    fn get_op() -> Subject {
        Subject::Operation {
            path: "/orders/{accountId}".into(),
            method: "GET".into(),
            id: "orders_account_id_get".into(),
        }
    }

    fn post_op() -> Subject {
        Subject::Operation {
            path: "/orders/{accountId}".into(),
            method: "POST".into(),
            id: "orders_account_id_post".into(),
        }
    }

    fn schema(name: &str) -> Subject {
        Subject::Schema(name.into())
    }

    fn get_params(doc: &mut Value) -> &mut Vec<Value> {
        doc["paths"]["/orders/{accountId}"]["get"]["parameters"]
            .as_array_mut()
            .unwrap()
    }

    fn order(doc: &mut Value) -> &mut Value {
        &mut doc["components"]["schemas"]["Order"]
    }

    #[test]
    fn identical_documents_have_no_drift() {
        assert_eq!(diff(&base(), &base()), Report::default());
    }

    #[test]
    fn operation_added_is_compatible() {
        let c = changes(|d| {
            d["paths"]["/tickle"] =
                json!({"post": {"operationId": "tickle_post", "responses": {}}});
        });
        let tickle = Subject::Operation {
            path: "/tickle".into(),
            method: "POST".into(),
            id: "tickle_post".into(),
        };
        assert_eq!(
            c,
            vec![(tickle, Kind::OperationAdded { replaces: None }, false)]
        );
    }

    #[test]
    fn operation_removed_is_breaking() {
        let c = changes(|d| {
            d["paths"]["/orders/{accountId}"]
                .as_object_mut()
                .unwrap()
                .remove("post");
        });
        assert_eq!(
            c,
            vec![(
                post_op(),
                Kind::OperationRemoved { replaced_by: None },
                true
            )]
        );
    }

    #[test]
    fn operation_with_a_renamed_path_parameter_names_its_counterpart() {
        let c = changes(|d| {
            let item = d["paths"]
                .as_object_mut()
                .unwrap()
                .remove("/orders/{accountId}")
                .unwrap();
            let mut post = item["post"].clone();
            post["operationId"] = json!("orders_acct_post");
            post["parameters"][0]["name"] = json!("acct");
            d["paths"]["/orders/{acct}"] = json!({"post": post});
            d["paths"]["/orders/{accountId}"] = json!({"get": item["get"].clone()});
        });
        let new = Subject::Operation {
            path: "/orders/{acct}".into(),
            method: "POST".into(),
            id: "orders_acct_post".into(),
        };
        assert_eq!(
            c,
            vec![
                (
                    new,
                    Kind::OperationAdded {
                        replaces: Some("orders_account_id_post".into())
                    },
                    false
                ),
                (
                    post_op(),
                    Kind::OperationRemoved {
                        replaced_by: Some("orders_acct_post".into())
                    },
                    true
                ),
            ]
        );
    }

    #[test]
    fn required_parameter_added_is_breaking_optional_is_compatible() {
        let c = changes(|d| {
            get_params(d).push(json!({"name": "side", "in": "query", "required": true, "schema": {"type": "string"}}));
            get_params(d)
                .push(json!({"name": "X-Trace", "in": "header", "schema": {"type": "string"}}));
        });
        assert_eq!(
            c,
            vec![
                (
                    get_op(),
                    Kind::ParameterAdded {
                        name: "X-Trace".into(),
                        location: "header".into(),
                        required: false,
                        ty: "string".into()
                    },
                    false
                ),
                (
                    get_op(),
                    Kind::ParameterAdded {
                        name: "side".into(),
                        location: "query".into(),
                        required: true,
                        ty: "string".into()
                    },
                    true
                ),
            ]
        );
    }

    #[test]
    fn parameter_removed_is_breaking() {
        let c = changes(|d| {
            get_params(d).remove(1);
        });
        assert_eq!(
            c,
            vec![(
                get_op(),
                Kind::ParameterRemoved {
                    name: "limit".into(),
                    location: "query".into(),
                    required: false,
                    ty: "integer(int32)".into()
                },
                true
            )]
        );
    }

    #[test]
    fn parameter_location_changed_is_breaking() {
        let c = changes(|d| get_params(d)[1]["in"] = json!("header"));
        assert_eq!(
            c,
            vec![(
                get_op(),
                Kind::ParameterLocationChanged {
                    name: "limit".into(),
                    from: "query".into(),
                    to: "header".into()
                },
                true
            )]
        );
    }

    #[test]
    fn parameter_becoming_required_is_breaking_becoming_optional_is_not() {
        let c = changes(|d| get_params(d)[1]["required"] = json!(true));
        let kind = |to| Kind::ParameterRequiredChanged {
            name: "limit".into(),
            location: "query".into(),
            to,
        };
        assert_eq!(c, vec![(get_op(), kind(true), true)]);
        // The other direction: new → old.
        let mut required = base();
        get_params(&mut required)[1]["required"] = json!(true);
        let back = diff(&required, &base()).changes;
        assert_eq!(back.len(), 1);
        assert_eq!(
            (back[0].kind.clone(), back[0].breaking),
            (kind(false), false)
        );
    }

    #[test]
    fn parameter_type_changed_is_breaking() {
        let c = changes(|d| {
            get_params(d)[1]["schema"] = json!({"type": "array", "items": {"type": "string"}})
        });
        assert_eq!(
            c,
            vec![(
                get_op(),
                Kind::ParameterTypeChanged {
                    name: "limit".into(),
                    location: "query".into(),
                    from: "integer(int32)".into(),
                    to: "array<string>".into()
                },
                true
            )]
        );
    }

    #[test]
    fn path_parameter_respelled_is_a_compatible_rename() {
        let c = changes(|d| {
            let paths = d["paths"].as_object_mut().unwrap();
            let item = paths.remove("/orders/{accountId}").unwrap();
            paths.insert("/orders/{accountid}".into(), item);
            get_params_at(d, "/orders/{accountid}")[0]["name"] = json!("accountid");
        });
        let subject = Subject::Operation {
            path: "/orders/{accountid}".into(),
            method: "GET".into(),
            id: "orders_account_id_get".into(),
        };
        assert!(c.contains(&(
            subject,
            Kind::ParameterRenamed {
                from: "accountId".into(),
                to: "accountid".into()
            },
            false
        )));
        // Only the GET's parameter was respelled; the POST's path parameter
        // is still `accountId`, matched by position all the same.
        assert_eq!(c.len(), 1, "{c:?}");
    }

    fn get_params_at<'a>(doc: &'a mut Value, path: &str) -> &'a mut Vec<Value> {
        doc["paths"][path]["get"]["parameters"]
            .as_array_mut()
            .unwrap()
    }

    #[test]
    fn request_body_added_required_is_breaking_optional_is_compatible() {
        for required in [true, false] {
            let c = changes(|d| {
                d["paths"]["/orders/{accountId}"]["get"]["requestBody"] = json!({
                    "required": required,
                    "content": {"application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"q": {"type": "string"}}}}}
                });
            });
            assert_eq!(
                c,
                vec![(
                    get_op(),
                    Kind::RequestBodyAdded {
                        required,
                        ty: "{q?: string} as application/x-www-form-urlencoded".into()
                    },
                    required
                )]
            );
        }
    }

    #[test]
    fn request_body_removed_retyped_or_required_changed() {
        let c = changes(|d| {
            d["paths"]["/orders/{accountId}"]["post"]
                .as_object_mut()
                .unwrap()
                .remove("requestBody");
        });
        assert_eq!(
            c,
            vec![(
                post_op(),
                Kind::RequestBodyRemoved { ty: "Order".into() },
                true
            )]
        );
        let c = changes(|d| {
            d["paths"]["/orders/{accountId}"]["post"]["requestBody"] = json!({
                "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Order"}}}}
            });
        });
        assert_eq!(
            c,
            vec![
                (
                    post_op(),
                    Kind::RequestBodyRequiredChanged { to: false },
                    false
                ),
                (
                    post_op(),
                    Kind::RequestBodyTypeChanged {
                        from: "Order".into(),
                        to: "array<Order>".into()
                    },
                    true
                ),
            ]
        );
    }

    #[test]
    fn response_status_added_and_removed_are_compatible() {
        let c = changes(|d| {
            let responses = d["paths"]["/orders/{accountId}"]["get"]["responses"]
                .as_object_mut()
                .unwrap();
            responses.remove("401");
            responses.insert("204".into(), json!({}));
        });
        assert_eq!(
            c,
            vec![
                (
                    get_op(),
                    Kind::ResponseAdded {
                        status: "204".into(),
                        ty: "none".into()
                    },
                    false
                ),
                (
                    get_op(),
                    Kind::ResponseRemoved {
                        status: "401".into(),
                        ty: "string(binary) as */*".into()
                    },
                    false
                ),
            ]
        );
    }

    #[test]
    fn response_schema_changed_is_breaking() {
        let c = changes(|d| {
            d["paths"]["/orders/{accountId}"]["get"]["responses"]["200"]["content"]["application/json"]
                ["schema"] = json!({"$ref": "#/components/schemas/Status"});
        });
        assert_eq!(
            c,
            vec![(
                get_op(),
                Kind::ResponseTypeChanged {
                    status: "200".into(),
                    from: "array<Order>".into(),
                    to: "Status".into()
                },
                true
            )]
        );
    }

    #[test]
    fn schema_added_is_compatible_removed_is_breaking() {
        let c = changes(|d| {
            let schemas = d["components"]["schemas"].as_object_mut().unwrap();
            schemas.remove("Status");
            schemas.insert("Fill".into(), json!({"type": "object"}));
        });
        assert_eq!(
            c,
            vec![
                (schema("Fill"), Kind::SchemaAdded, false),
                (schema("Status"), Kind::SchemaRemoved, true),
            ]
        );
    }

    #[test]
    fn schema_retyped_is_breaking() {
        let c = changes(|d| {
            d["components"]["schemas"]["Status"] =
                json!({"type": "integer", "enum": ["open", "filled"]})
        });
        assert_eq!(
            c,
            vec![(
                schema("Status"),
                Kind::SchemaTypeChanged {
                    from: "string".into(),
                    to: "integer".into()
                },
                true
            )]
        );
    }

    #[test]
    fn property_added_is_compatible_removed_and_retyped_are_breaking() {
        let c = changes(|d| {
            let props = order(d)["properties"].as_object_mut().unwrap();
            props.remove("note");
            props.insert("price".into(), json!({"type": "number", "nullable": true}));
            props.insert("id".into(), json!({"type": "string"}));
        });
        assert_eq!(
            c,
            vec![
                (
                    schema("Order"),
                    Kind::PropertyAdded {
                        property: "price".into(),
                        ty: "number | null".into()
                    },
                    false
                ),
                (
                    schema("Order"),
                    Kind::PropertyRemoved {
                        property: "note".into(),
                        ty: "string".into()
                    },
                    true
                ),
                (
                    schema("Order"),
                    Kind::PropertyTypeChanged {
                        property: "id".into(),
                        from: "integer(int64)".into(),
                        to: "string".into()
                    },
                    true
                ),
            ]
        );
    }

    #[test]
    fn required_changes_are_breaking_either_way() {
        let c = changes(|d| order(d)["required"] = json!(["note"]));
        assert_eq!(
            c,
            vec![
                (
                    schema("Order"),
                    Kind::RequiredAdded {
                        property: "note".into()
                    },
                    true
                ),
                (
                    schema("Order"),
                    Kind::RequiredRemoved {
                        property: "id".into()
                    },
                    true
                ),
            ]
        );
        // A removed property is reported once, not also as "no longer required".
        let c = changes(|d| {
            order(d)["properties"].as_object_mut().unwrap().remove("id");
            order(d).as_object_mut().unwrap().remove("required");
        });
        assert_eq!(c.len(), 1, "{c:?}");
        assert!(matches!(c[0].1, Kind::PropertyRemoved { .. }));
    }

    #[test]
    fn enum_value_added_is_breaking_removed_is_compatible() {
        let c = changes(|d| {
            d["components"]["schemas"]["Status"]["enum"] = json!(["open", "filled", "cancelled"]);
            order(d)["properties"]["side"]["enum"] = json!(["BUY"]);
        });
        assert_eq!(
            c,
            vec![
                (
                    schema("Order"),
                    Kind::EnumValueRemoved {
                        property: Some("side".into()),
                        value: "\"SELL\"".into()
                    },
                    false
                ),
                (
                    schema("Status"),
                    Kind::EnumValueAdded {
                        property: None,
                        value: "\"cancelled\"".into()
                    },
                    true
                ),
            ]
        );
    }

    #[test]
    fn type_strings_are_short_and_structural() {
        let cases = [
            (json!({"$ref": "#/components/schemas/Order"}), "Order"),
            (
                json!({"type": "string", "format": "date-time"}),
                "string(date-time)",
            ),
            (
                json!({"type": "array", "items": {"type": "integer"}}),
                "array<integer>",
            ),
            (
                json!({"type": "object", "additionalProperties": {"type": "string"}}),
                "map<string>",
            ),
            (json!({"type": "object"}), "object"),
            (json!({}), "any"),
            (
                json!({"type": "object", "required": ["a"], "properties": {"b": {"type": "boolean"}, "a": {"$ref": "#/x/A"}}}),
                "{a: A, b?: boolean}",
            ),
            (
                json!({"oneOf": [{"$ref": "#/x/A"}, {"type": "string"}]}),
                "oneOf<A | string>",
            ),
            (
                json!({"allOf": [{"$ref": "#/x/A"}], "nullable": true}),
                "allOf<A> | null",
            ),
        ];
        for (schema, expected) in cases {
            assert_eq!(type_string(&schema), expected, "{schema}");
        }
    }

    #[test]
    fn renderings_are_stable_and_classified() {
        let old = base();
        let mut new = base();
        get_params(&mut new).remove(1);
        d_add_schema(&mut new);
        let report = diff(&old, &new);
        let sides = Sides {
            variant: Variant::Web,
            baseline: ("openapi/web.json".into(), "1".into()),
            upstream: ("up.json".into(), "2".into()),
        };
        let text = render_text(&report, &sides);
        assert_eq!(
            text,
            "drift web: 0 operations added, 0 removed; 1 breaking, 1 compatible changes\n\
             baseline openapi/web.json (1) → upstream up.json (2)\n\
             \n\
             Operations changed (1 change in 1 operation):\n\
             [breaking] GET /orders/{accountId} (orders_account_id_get): query parameter `limit` removed (was optional, integer(int32))\n\
             \n\
             Schemas added (1):\n\
             [compatible] Fill\n"
        );
        let json: Value = serde_json::from_str(&render_json(&report, &sides)).unwrap();
        assert_eq!(json["summary"]["breaking"], 1);
        assert_eq!(json["summary"]["operations_changed"], 1);
        assert_eq!(json["summary"]["schemas_added"], 1);
        assert_eq!(json["changes"][0]["kind"], "parameter_removed");
        assert_eq!(json["changes"][0]["parameter"], "limit");
        assert_eq!(json["changes"][1]["kind"], "schema_added");
        assert_eq!(json["changes"][1]["schema"], "Fill");
        let md = render_markdown(&report, &sides);
        assert!(md.starts_with("# Drift web: 0 operations added"), "{md}");
        assert!(
            md.contains("| breaking | GET | `/orders/{accountId}` | `orders_account_id_get` |"),
            "{md}"
        );
        assert!(md.contains("| compatible | `Fill` | added |"), "{md}");
        let empty = render_text(&Report::default(), &sides);
        assert!(empty.ends_with("no structural drift\n"), "{empty}");
    }

    fn d_add_schema(doc: &mut Value) {
        doc["components"]["schemas"]["Fill"] = json!({"type": "object"});
    }
}
