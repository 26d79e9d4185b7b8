//! Comparing two [`Model`]s into a [`Report`] of classified changes.
//!
//! Operations are matched by derived operation id; an operation only on
//! one side is paired with one of the same method and path shape on the
//! other (a renamed path parameter changes the derived id, not the URL).
//! Schemas are matched by name.

use std::collections::{BTreeMap, BTreeSet};

use super::change::{Change, Endpoint, Kind, Report, Subject};
use super::model::{Body, Model, Operation, Param, Payload, Schema, Usage, extends};
use crate::openapi::template_names;

/// Compares `old` (the baseline) with `new` (the upstream).
pub fn diff(old: &Model, new: &Model) -> Report {
    let mut changes = Vec::new();
    diff_operations(old, new, &mut changes);
    diff_schemas(old, new, &mut changes);
    Report::new(changes)
}

fn subject(id: &str, op: &Operation) -> Subject {
    Subject::Operation(Endpoint {
        path: op.path.clone(),
        method: op.method.clone(),
        id: id.to_string(),
    })
}

/// Endpoint shape → ids of the operations of `ops` that `other` lacks.
fn unmatched_shapes(
    ops: &BTreeMap<String, Operation>,
    other: &BTreeMap<String, Operation>,
) -> BTreeMap<String, Vec<String>> {
    let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (id, op) in ops.iter().filter(|(id, _)| !other.contains_key(*id)) {
        m.entry(op.endpoint()).or_default().push(id.clone());
    }
    m
}

/// The unique unmatched operation of the same shape, if there is one.
fn counterpart(shapes: &BTreeMap<String, Vec<String>>, op: &Operation) -> Option<String> {
    shapes
        .get(&op.endpoint())
        .filter(|ids| ids.len() == 1)
        .map(|ids| ids[0].clone())
}

fn diff_operations(old: &Model, new: &Model, out: &mut Vec<Change>) {
    let (old_ops, new_ops) = (&old.operations, &new.operations);
    let removed_shapes = unmatched_shapes(old_ops, new_ops);
    let added_shapes = unmatched_shapes(new_ops, old_ops);
    let none = Usage::default();
    for (id, op) in old_ops {
        let (new_id, kind) = match new_ops.get(id) {
            Some(_) => (Some(id.clone()), None),
            None => {
                let replaced_by = counterpart(&added_shapes, op);
                (
                    replaced_by.clone(),
                    Some(Kind::OperationRemoved { replaced_by }),
                )
            }
        };
        if let Some(kind) = kind {
            out.push(Change::new(subject(id, op), kind, none));
        }
        if let Some(new_id) = new_id {
            let new_op = &new_ops[&new_id];
            let subject = subject(&new_id, new_op);
            let mut push = |kind: Kind| out.push(Change::new(subject.clone(), kind, none));
            diff_operation(op, new_op, &mut push);
        }
    }
    for (id, op) in new_ops.iter().filter(|(id, _)| !old_ops.contains_key(*id)) {
        let kind = Kind::OperationAdded {
            replaces: counterpart(&removed_shapes, op),
        };
        out.push(Change::new(subject(id, op), kind, none));
    }
}

/// The differences inside two versions of one operation, reported under
/// the new one (its path spelling).
fn diff_operation(old: &Operation, new: &Operation, push: &mut impl FnMut(Kind)) {
    diff_params(old, new, push);
    diff_body(old.body.as_ref(), new.body.as_ref(), push);
    diff_responses(&old.responses, &new.responses, push);
}

fn diff_params(old_op: &Operation, new_op: &Operation, push: &mut impl FnMut(Kind)) {
    let (mut old, mut new) = (old_op.params.clone(), new_op.params.clone());
    let mut pairs: Vec<(Param, Param)> = Vec::new();
    // Path parameters pair up by their position in the template: the same
    // shape, only the spelling of names can differ.
    let find_path = |params: &[Param], name: &str| {
        params
            .iter()
            .position(|p| p.location == "path" && p.name == name)
    };
    for (o, n) in template_names(&old_op.path)
        .iter()
        .zip(template_names(&new_op.path).iter())
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
                name: b.name,
                location: b.location,
                from: a.ty,
                to: b.ty,
            });
        }
    }
    old.into_iter()
        .for_each(|p| push(Kind::ParameterRemoved(p)));
    new.into_iter().for_each(|p| push(Kind::ParameterAdded(p)));
}

fn diff_body(old: Option<&Body>, new: Option<&Body>, push: &mut impl FnMut(Kind)) {
    match (old, new) {
        (None, None) => {}
        (None, Some(b)) => push(Kind::RequestBodyAdded {
            required: b.required,
            ty: b.payload.ty.clone(),
        }),
        (Some(b), None) => push(Kind::RequestBodyRemoved {
            ty: b.payload.ty.clone(),
        }),
        (Some(a), Some(b)) => {
            if a.required != b.required {
                push(Kind::RequestBodyRequiredChanged { to: b.required });
            }
            let (a, b) = (&a.payload, &b.payload);
            if a.ty != b.ty {
                push(Kind::RequestBodyTypeChanged {
                    from: a.ty.clone(),
                    to: b.ty.clone(),
                    extended: extends(&a.content, &b.content, true),
                });
            }
        }
    }
}

fn diff_responses(
    old: &BTreeMap<String, Payload>,
    new: &BTreeMap<String, Payload>,
    push: &mut impl FnMut(Kind),
) {
    for (status, a) in old {
        match new.get(status) {
            None => push(Kind::ResponseRemoved {
                status: status.clone(),
                ty: a.ty.clone(),
            }),
            Some(b) if a.ty != b.ty => push(Kind::ResponseTypeChanged {
                status: status.clone(),
                from: a.ty.clone(),
                to: b.ty.clone(),
                extended: extends(&a.content, &b.content, false),
            }),
            Some(_) => {}
        }
    }
    for (status, b) in new.iter().filter(|(s, _)| !old.contains_key(*s)) {
        push(Kind::ResponseAdded {
            status: status.clone(),
            ty: b.ty.clone(),
        });
    }
}

fn diff_schemas(old: &Model, new: &Model, out: &mut Vec<Change>) {
    for (name, schema) in &old.schemas {
        let subject = Subject::Schema(name.clone());
        match new.schemas.get(name) {
            None => out.push(Change::new(subject, Kind::SchemaRemoved, schema.usage)),
            Some(new_schema) => {
                let usage = schema.usage.union(new_schema.usage);
                let mut push = |kind: Kind| out.push(Change::new(subject.clone(), kind, usage));
                diff_schema(schema, new_schema, &mut push);
            }
        }
    }
    for (name, schema) in &new.schemas {
        if !old.schemas.contains_key(name) {
            let subject = Subject::Schema(name.clone());
            out.push(Change::new(subject, Kind::SchemaAdded, schema.usage));
        }
    }
}

fn diff_schema(old: &Schema, new: &Schema, push: &mut impl FnMut(Kind)) {
    if old.kind != new.kind {
        push(Kind::SchemaTypeChanged {
            from: old.kind.clone(),
            to: new.kind.clone(),
        });
    }
    diff_enum(None, &old.enum_values, &new.enum_values, push);
    for (property, p) in &old.properties {
        match new.properties.get(property) {
            None => push(Kind::PropertyRemoved {
                property: property.clone(),
                ty: p.ty.clone(),
                required: old.required.contains(property),
            }),
            Some(q) => {
                if p.ty != q.ty {
                    push(Kind::PropertyTypeChanged {
                        property: property.clone(),
                        from: p.ty.clone(),
                        to: q.ty.clone(),
                    });
                }
                diff_enum(Some(property), &p.enum_values, &q.enum_values, push);
            }
        }
    }
    for (property, p) in &new.properties {
        if !old.properties.contains_key(property) {
            push(Kind::PropertyAdded {
                property: property.clone(),
                ty: p.ty.clone(),
            });
        }
    }
    // A removed property's `required` entry is not reported on its own: the
    // removal already says everything.
    for property in new.required.difference(&old.required) {
        push(Kind::RequiredAdded {
            property: property.clone(),
        });
    }
    for property in old.required.difference(&new.required) {
        if new.properties.contains_key(property) {
            push(Kind::RequiredRemoved {
                property: property.clone(),
            });
        }
    }
}

fn diff_enum(
    property: Option<&String>,
    old: &BTreeSet<String>,
    new: &BTreeSet<String>,
    push: &mut impl FnMut(Kind),
) {
    let added: Vec<String> = new.difference(old).cloned().collect();
    if !added.is_empty() {
        push(Kind::EnumValuesAdded {
            property: property.cloned(),
            values: added,
        });
    }
    let removed: Vec<String> = old.difference(new).cloned().collect();
    if !removed.is_empty() {
        push(Kind::EnumValuesRemoved {
            property: property.cloned(),
            values: removed,
        });
    }
}

#[cfg(test)]
#[path = "diff_tests.rs"]
mod tests;
