//! The report's vocabulary: what a change is about ([`Subject`]), what
//! changed ([`Kind`], with its breaking rule), and identical changes
//! grouped ([`Group`]).
//!
//! **Breaking** means: a caller of the generated client or of the facade,
//! built from the old (baseline) spec, sees a call that used to work fail
//! against a server that implements the new (upstream) spec: the request
//! is rejected or loses what the caller asked for, or a success response
//! no longer decodes. Error (non-2xx) bodies are kept as bytes by both
//! clients, so nothing about them is breaking. Every other change is
//! *compatible*. The rule of each kind is documented on the kind.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::model::{Param, Usage, is_success};

/// An operation as the report names it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Endpoint {
    /// Path template as in the spec.
    pub path: String,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The derived operation id.
    #[serde(rename = "operation")]
    pub id: String,
}

/// What a change is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Subject {
    /// An operation.
    Operation(Endpoint),
    /// A component schema, by name.
    Schema(String),
}

/// One structural difference between the old and the new spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Kind {
    /// The operation exists only in the new spec. `replaces` names a removed
    /// operation with the same method and path shape (a path parameter was
    /// renamed, so the derived id changed). Never breaking.
    OperationAdded {
        #[serde(skip_serializing_if = "Option::is_none")]
        replaces: Option<String>,
    },
    /// The operation exists only in the old spec. Breaking (the endpoint
    /// is gone), unless `replaced_by` names an operation with the same
    /// method and path shape: then the URL the client builds is the same,
    /// and the pair's other differences are reported on the new operation.
    OperationRemoved {
        #[serde(skip_serializing_if = "Option::is_none")]
        replaced_by: Option<String>,
    },
    /// A new parameter. Breaking when required (the client does not send
    /// it), compatible when optional.
    ParameterAdded(Param),
    /// A parameter that is gone. Breaking: the client still sends it, and
    /// the server rejects it or ignores what the caller asked for.
    ParameterRemoved(Param),
    /// A path parameter at the same template position with another spelling
    /// (`{replyid}` → `{replyId}`). Compatible: the URL is built the same
    /// way.
    ParameterRenamed { from: String, to: String },
    /// A parameter moved, e.g. from the query string to a header.
    /// Breaking: the client sends it where the server no longer looks.
    ParameterLocationChanged {
        #[serde(rename = "parameter")]
        name: String,
        from: String,
        to: String,
    },
    /// A parameter became required (`to == true`) or optional. Becoming
    /// required is breaking (callers may omit it), optional compatible.
    ParameterRequiredChanged {
        #[serde(rename = "parameter")]
        name: String,
        #[serde(rename = "in")]
        location: String,
        #[serde(rename = "required")]
        to: bool,
    },
    /// A parameter's type changed. Breaking: the client may send values
    /// the server no longer accepts.
    ParameterTypeChanged {
        #[serde(rename = "parameter")]
        name: String,
        #[serde(rename = "in")]
        location: String,
        from: String,
        to: String,
    },
    /// The operation now takes a request body. Breaking when required,
    /// compatible when optional.
    RequestBodyAdded {
        required: bool,
        #[serde(rename = "type")]
        ty: String,
    },
    /// The operation no longer takes a request body. Breaking: the client
    /// still sends one.
    RequestBodyRemoved {
        #[serde(rename = "type")]
        ty: String,
    },
    /// The request body became required (`to == true`, breaking) or
    /// optional (compatible).
    RequestBodyRequiredChanged {
        #[serde(rename = "required")]
        to: bool,
    },
    /// The request body's type (schema name or structure, media type)
    /// changed. Breaking (the server expects another body), unless
    /// `extended`: the new inline type only adds optional properties, so
    /// what the client sends is still accepted.
    RequestBodyTypeChanged {
        from: String,
        to: String,
        extended: bool,
    },
    /// A response status that was not documented before. Breaking for a
    /// success (2xx) status: the old client treats it as an unexpected
    /// response, so a call that succeeded fails. Compatible for an error
    /// status (the caller gets an error either way, body as bytes).
    ResponseAdded {
        status: String,
        #[serde(rename = "type")]
        ty: String,
    },
    /// A response status that is no longer documented. Compatible: the
    /// client simply never receives it.
    ResponseRemoved {
        status: String,
        #[serde(rename = "type")]
        ty: String,
    },
    /// The body of a response status changed type or media type. Breaking
    /// for a success status (the client fails to decode it) unless
    /// `extended`: the new inline type only adds properties or drops
    /// optional ones, which decoding ignores. Compatible for an error
    /// status, whose body is kept as bytes.
    ResponseTypeChanged {
        status: String,
        from: String,
        to: String,
        extended: bool,
    },
    /// A component schema exists only in the new spec. Compatible.
    SchemaAdded,
    /// A component schema exists only in the old spec. Compatible in
    /// itself: every operation or schema that used it changed type, and
    /// that change is reported (and classified) where it is.
    SchemaRemoved,
    /// A schema's own type changed (`object` → `array<X>`, a `oneOf`'s
    /// alternatives, ...); property changes are reported separately.
    /// Breaking when the schema is sent in a request or decoded from a
    /// success response; compatible when only errors (or nothing) use it.
    SchemaTypeChanged { from: String, to: String },
    /// A new property. Compatible: decoding ignores unknown fields, and a
    /// newly required one is reported as [`Kind::RequiredAdded`].
    PropertyAdded {
        property: String,
        #[serde(rename = "type")]
        ty: String,
    },
    /// A property that is gone (`required`: it was required). Breaking
    /// when the schema is sent (the server drops what the caller set), or
    /// decoded from a success response and the property was required (the
    /// client insists on it).
    PropertyRemoved {
        property: String,
        #[serde(rename = "type")]
        ty: String,
        required: bool,
    },
    /// A property's type changed. Breaking when the schema is sent or
    /// decoded from a success response.
    PropertyTypeChanged {
        property: String,
        from: String,
        to: String,
    },
    /// A property is now in the schema's `required` list. Breaking when
    /// the schema is sent (callers may omit it); decoding a field that is
    /// now always present is fine.
    RequiredAdded { property: String },
    /// A property that still exists is no longer required. Breaking when
    /// the schema is decoded from a success response (the client insists
    /// on a field the server may now omit).
    RequiredRemoved { property: String },
    /// New enum values (as JSON, in order), of the schema itself
    /// (`property == None`) or of one of its properties (or the items of an
    /// array property). Breaking when decoded from a success response: a
    /// generated Rust enum cannot decode a value it does not know.
    EnumValuesAdded {
        #[serde(skip_serializing_if = "Option::is_none")]
        property: Option<String>,
        values: Vec<String>,
    },
    /// Enum values that are gone; `property` as above. Breaking when the
    /// schema is sent: callers may still send those values.
    EnumValuesRemoved {
        #[serde(skip_serializing_if = "Option::is_none")]
        property: Option<String>,
        values: Vec<String>,
    },
}

impl Kind {
    /// The rules documented on each kind, in one place. `usage` is where
    /// the schema of a schema-level change is used (in either spec); it is
    /// ignored for operation-level changes.
    pub fn is_breaking(&self, usage: Usage) -> bool {
        let sent_or_decoded = usage.request || usage.success;
        match self {
            Kind::OperationAdded { .. } => false,
            Kind::OperationRemoved { replaced_by } => replaced_by.is_none(),
            Kind::ParameterAdded(p) => p.required,
            Kind::ParameterRemoved(_) => true,
            Kind::ParameterRenamed { .. } => false,
            Kind::ParameterLocationChanged { .. } => true,
            Kind::ParameterRequiredChanged { to, .. } => *to,
            Kind::ParameterTypeChanged { .. } => true,
            Kind::RequestBodyAdded { required, .. } => *required,
            Kind::RequestBodyRemoved { .. } => true,
            Kind::RequestBodyRequiredChanged { to } => *to,
            Kind::RequestBodyTypeChanged { extended, .. } => !extended,
            Kind::ResponseAdded { status, .. } => is_success(status),
            Kind::ResponseRemoved { .. } => false,
            Kind::ResponseTypeChanged {
                status, extended, ..
            } => is_success(status) && !extended,
            Kind::SchemaAdded | Kind::SchemaRemoved => false,
            Kind::SchemaTypeChanged { .. } => sent_or_decoded,
            Kind::PropertyAdded { .. } => false,
            Kind::PropertyRemoved { required, .. } => usage.request || (usage.success && *required),
            Kind::PropertyTypeChanged { .. } => sent_or_decoded,
            Kind::RequiredAdded { .. } => usage.request,
            Kind::RequiredRemoved { .. } => usage.success,
            Kind::EnumValuesAdded { .. } => usage.success,
            Kind::EnumValuesRemoved { .. } => usage.request,
        }
    }

    /// The change in words, without its subject.
    pub fn detail(&self) -> String {
        let opt = |required: bool| if required { "required" } else { "optional" };
        let prop = |p: &Option<String>| match p {
            Some(p) => format!("property `{p}`"),
            None => "schema".to_string(),
        };
        match self {
            Kind::OperationAdded {
                replaces: Some(old),
            } => {
                format!("added; replaces `{old}` (path parameter renamed)")
            }
            Kind::OperationRemoved {
                replaced_by: Some(new),
            } => format!("removed; replaced by `{new}` (path parameter renamed, same URL)"),
            Kind::OperationAdded { replaces: None } | Kind::SchemaAdded => "added".into(),
            Kind::OperationRemoved { replaced_by: None } | Kind::SchemaRemoved => "removed".into(),
            Kind::ParameterAdded(p) => format!(
                "{} parameter `{}` added ({}, {})",
                p.location,
                p.name,
                opt(p.required),
                p.ty
            ),
            Kind::ParameterRemoved(p) => format!(
                "{} parameter `{}` removed (was {}, {})",
                p.location,
                p.name,
                opt(p.required),
                p.ty
            ),
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
            } => format!("{location} parameter `{name}` retyped: {from} → {to}"),
            Kind::RequestBodyAdded { required, ty } => {
                format!("request body added ({}, {ty})", opt(*required))
            }
            Kind::RequestBodyRemoved { ty } => format!("request body removed (was {ty})"),
            Kind::RequestBodyRequiredChanged { to } => {
                format!("request body became {}", opt(*to))
            }
            Kind::RequestBodyTypeChanged { from, to, extended } => {
                format!("request body {}: {from} → {to}", retyped(*extended))
            }
            Kind::ResponseAdded { status, ty } => format!("response {status} added ({ty})"),
            Kind::ResponseRemoved { status, ty } => {
                format!("response {status} removed (was {ty})")
            }
            Kind::ResponseTypeChanged {
                status,
                from,
                to,
                extended,
            } => format!("response {status} {}: {from} → {to}", retyped(*extended)),
            Kind::SchemaTypeChanged { from, to } => format!("retyped: {from} → {to}"),
            Kind::PropertyAdded { property, ty } => format!("property `{property}` added ({ty})"),
            Kind::PropertyRemoved {
                property,
                ty,
                required,
            } => format!(
                "property `{property}` removed (was {}, {ty})",
                opt(*required)
            ),
            Kind::PropertyTypeChanged { property, from, to } => {
                format!("property `{property}` retyped: {from} → {to}")
            }
            Kind::RequiredAdded { property } => format!("property `{property}` became required"),
            Kind::RequiredRemoved { property } => {
                format!("property `{property}` is no longer required")
            }
            Kind::EnumValuesAdded { property, values } => {
                format!("{} {} added", prop(property), enum_values(values))
            }
            Kind::EnumValuesRemoved { property, values } => {
                format!("{} {} removed", prop(property), enum_values(values))
            }
        }
    }
}

/// `extended` for a type change a client can live with, else `retyped`.
fn retyped(extended: bool) -> &'static str {
    if extended { "extended" } else { "retyped" }
}

/// `enum value "A"` or `enum values "A", "B"`.
fn enum_values(values: &[String]) -> String {
    match values {
        [one] => format!("enum value {one}"),
        _ => format!("enum values {}", values.join(", ")),
    }
}

/// One change with its subject and classification.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// The operation or schema concerned.
    pub subject: Subject,
    /// What changed.
    pub kind: Kind,
    /// `kind.is_breaking(usage)`.
    pub breaking: bool,
}

impl Change {
    /// A classified change; `usage` as in [`Kind::is_breaking`].
    pub fn new(subject: Subject, kind: Kind, usage: Usage) -> Self {
        let breaking = kind.is_breaking(usage);
        Change {
            subject,
            kind,
            breaking,
        }
    }

    /// The section the change is listed in.
    pub fn section(&self) -> Section {
        match (&self.kind, &self.subject) {
            (Kind::OperationAdded { .. }, _) => Section::OperationsAdded,
            (Kind::OperationRemoved { .. }, _) => Section::OperationsRemoved,
            (Kind::SchemaAdded, _) => Section::SchemasAdded,
            (Kind::SchemaRemoved, _) => Section::SchemasRemoved,
            (_, Subject::Operation(_)) => Section::OperationsChanged,
            (_, Subject::Schema(_)) => Section::SchemasChanged,
        }
    }
}

/// The report sections, in print order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
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
    /// Every section, in print order.
    pub const ALL: [Section; 6] = [
        Section::OperationsAdded,
        Section::OperationsRemoved,
        Section::OperationsChanged,
        Section::SchemasAdded,
        Section::SchemasRemoved,
        Section::SchemasChanged,
    ];

    /// The heading.
    pub fn title(self) -> &'static str {
        match self {
            Section::OperationsAdded => "Operations added",
            Section::OperationsRemoved => "Operations removed",
            Section::OperationsChanged => "Operations changed",
            Section::SchemasAdded => "Schemas added",
            Section::SchemasRemoved => "Schemas removed",
            Section::SchemasChanged => "Schemas changed",
        }
    }

    /// Whether the section lists added or removed subjects (one line each,
    /// the change being the subject itself).
    pub fn lists_subjects(self) -> bool {
        !matches!(self, Section::OperationsChanged | Section::SchemasChanged)
    }
}

/// The subjects of a group: all operations or all schemas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Subjects {
    /// Operations, in report order.
    Operations(Vec<Endpoint>),
    /// Schema names, in order.
    Schemas(Vec<String>),
}

/// Identical changes (same kind with the same before and after, same
/// classification) that differ only by their subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    /// Where it is listed.
    pub section: Section,
    /// What changed.
    #[serde(flatten)]
    pub kind: Kind,
    /// Breaking or compatible.
    pub breaking: bool,
    /// `kind.detail()`.
    pub detail: String,
    /// How many subjects.
    pub count: usize,
    /// The operations or schemas it happened to.
    #[serde(flatten)]
    pub subjects: Subjects,
}

/// Every difference between two specs, sorted by section, then subject,
/// then change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The changes, in report order.
    pub changes: Vec<Change>,
}

impl Report {
    /// A report of `changes`, sorted.
    pub fn new(mut changes: Vec<Change>) -> Self {
        changes.sort_by(|a, b| (a.section(), a).cmp(&(b.section(), b)));
        Report { changes }
    }

    /// The changes in `section`.
    pub fn in_section(&self, section: Section) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.section() == section)
    }

    /// Number of distinct subjects with changes in `section`.
    pub fn subjects(&self, section: Section) -> usize {
        self.in_section(section)
            .map(|c| &c.subject)
            .collect::<BTreeSet<_>>()
            .len()
    }

    /// The changes grouped: by section, breaking groups first, then in
    /// kind order.
    pub fn groups(&self) -> Vec<Group> {
        let mut by_key: BTreeMap<(Section, bool, &Kind), Vec<&Subject>> = BTreeMap::new();
        for c in &self.changes {
            by_key
                .entry((c.section(), !c.breaking, &c.kind))
                .or_default()
                .push(&c.subject);
        }
        by_key
            .into_iter()
            .map(|((section, compatible, kind), subjects)| {
                let mut operations = Vec::new();
                let mut schemas = Vec::new();
                for s in subjects {
                    match s {
                        Subject::Operation(e) => operations.push(e.clone()),
                        Subject::Schema(name) => schemas.push(name.clone()),
                    }
                }
                let count = operations.len() + schemas.len();
                // A section holds either operations or schemas.
                let subjects = if schemas.is_empty() {
                    Subjects::Operations(operations)
                } else {
                    Subjects::Schemas(schemas)
                };
                Group {
                    section,
                    kind: kind.clone(),
                    breaking: !compatible,
                    detail: kind.detail(),
                    count,
                    subjects,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(id: &str) -> Subject {
        Subject::Operation(Endpoint {
            path: format!("/{id}"),
            method: "GET".into(),
            id: id.into(),
        })
    }

    #[test]
    fn identical_changes_group_by_kind_and_classification() {
        let retyped = Kind::ResponseTypeChanged {
            status: "401".into(),
            from: "string as text/plain".into(),
            to: "string(binary) as */*".into(),
            extended: false,
        };
        let mut changes: Vec<Change> = (0..100)
            .map(|i| Change::new(op(&format!("op{i:03}")), retyped.clone(), Usage::default()))
            .collect();
        changes.push(Change::new(
            op("op000"),
            Kind::ResponseTypeChanged {
                status: "200".into(),
                from: "A".into(),
                to: "B".into(),
                extended: false,
            },
            Usage::default(),
        ));
        let groups = Report::new(changes).groups();
        assert_eq!(groups.len(), 2, "{groups:?}");
        // Breaking first.
        assert!(groups[0].breaking);
        assert_eq!(groups[0].count, 1);
        assert_eq!(groups[1].kind, retyped);
        assert!(!groups[1].breaking);
        assert_eq!(groups[1].count, 100);
        let Subjects::Operations(ops) = &groups[1].subjects else {
            panic!("operations expected")
        };
        assert_eq!(ops.len(), 100);
        assert_eq!(ops[0].id, "op000");
    }

    #[test]
    fn schema_rules_follow_usage() {
        let request = Usage {
            request: true,
            ..Usage::default()
        };
        let success = Usage {
            success: true,
            ..Usage::default()
        };
        let error = Usage {
            error: true,
            ..Usage::default()
        };
        let removed = |required| Kind::PropertyRemoved {
            property: "p".into(),
            ty: "string".into(),
            required,
        };
        let enum_added = Kind::EnumValuesAdded {
            property: None,
            values: vec!["1".into()],
        };
        let enum_removed = Kind::EnumValuesRemoved {
            property: None,
            values: vec!["1".into()],
        };
        let required_added = Kind::RequiredAdded {
            property: "p".into(),
        };
        let required_removed = Kind::RequiredRemoved {
            property: "p".into(),
        };
        let retyped = Kind::SchemaTypeChanged {
            from: "a".into(),
            to: "b".into(),
        };
        // (kind, breaking when sent, when decoded, when only in errors)
        let cases = [
            (removed(true), true, true, false),
            (removed(false), true, false, false),
            (enum_added, false, true, false),
            (enum_removed, true, false, false),
            (required_added, true, false, false),
            (required_removed, false, true, false),
            (retyped, true, true, false),
            (Kind::SchemaRemoved, false, false, false),
        ];
        for (kind, sent, decoded, errors) in cases {
            assert_eq!(kind.is_breaking(request), sent, "{kind:?} sent");
            assert_eq!(kind.is_breaking(success), decoded, "{kind:?} decoded");
            assert_eq!(kind.is_breaking(error), errors, "{kind:?} errors");
        }
    }

    #[test]
    fn error_bodies_are_never_breaking() {
        for status in ["400", "401", "500", "default"] {
            let retyped = Kind::ResponseTypeChanged {
                status: status.into(),
                from: "string as text/plain".into(),
                to: "Error".into(),
                extended: false,
            };
            let added = Kind::ResponseAdded {
                status: status.into(),
                ty: "Error".into(),
            };
            assert!(!retyped.is_breaking(Usage::default()), "{status}");
            assert!(!added.is_breaking(Usage::default()), "{status}");
        }
        let added = Kind::ResponseAdded {
            status: "201".into(),
            ty: "Order".into(),
        };
        assert!(added.is_breaking(Usage::default()));
    }
}
