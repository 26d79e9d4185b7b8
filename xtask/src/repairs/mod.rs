//! Repairs of defects in IBKR's published specs.
//!
//! Each repair is a named function that fixes one *class* of defect (never
//! one spec version), records every place it changed in the [`Report`], and
//! has a unit test on a small fixture reproducing the defect. [`apply_all`]
//! runs them in the order in which they depend on each other.

use std::collections::BTreeMap;

use serde_json::Value;

mod media;
mod names;
mod params;
mod responses;
pub(crate) mod schemas;
pub(crate) mod shape;
mod values;

/// What the repairs changed: per repair, how often it fired and the first
/// place it fired at.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    entries: BTreeMap<&'static str, Entry>,
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// How many places the repair changed.
    pub count: usize,
    /// The first place it changed (`METHOD /path` or a schema pointer).
    pub example: String,
}

impl Report {
    /// Records that `repair` changed something at `location`.
    pub fn hit(&mut self, repair: &'static str, location: impl Into<String>) {
        let location = location.into();
        self.entries
            .entry(repair)
            .and_modify(|e| e.count += 1)
            .or_insert(Entry {
                count: 1,
                example: location,
            });
    }

    /// How often `repair` fired (0 if never).
    #[cfg(test)]
    pub fn count(&self, repair: &str) -> usize {
        self.entries.get(repair).map_or(0, |e| e.count)
    }

    /// Repair name → count, for the lock file.
    pub fn counts(&self) -> BTreeMap<String, usize> {
        self.entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.count))
            .collect()
    }

    /// The report as printed by `import`: one line per repair.
    pub fn render(&self) -> String {
        if self.entries.is_empty() {
            return "  (no repairs needed)\n".to_string();
        }
        let width = self.entries.keys().map(|k| k.len()).max().unwrap_or(0);
        let mut out = String::new();
        for (name, e) in &self.entries {
            out.push_str(&format!(
                "  {name:<width$}  {:>4}  e.g. {}\n",
                e.count, e.example
            ));
        }
        out
    }
}

/// Runs every repair on an OpenAPI 3.0 document, in dependency order.
pub fn apply_all(doc: &mut Value, report: &mut Report) {
    // Nodes that do not fit the OpenAPI 3.0 model, first: the later
    // repairs then find every node in the shape they expect. Type lists
    // before the rest, which would drop a `type` that is not a string.
    schemas::schema_type_lists(doc, report);
    node_repairs(doc, report);
    // Path templates and parameters first: operation ids are derived from
    // the repaired templates.
    params::malformed_path_templates(doc, report);
    params::colon_path_params(doc, report);
    params::inline_parameter_refs(doc, report);
    params::drop_cookie_params(doc, report);
    params::align_path_template_spelling(doc, report);
    params::rename_unmatched_path_param(doc, report);
    params::demote_untemplated_path_params(doc, report);
    params::declare_missing_path_params(doc, report);
    params::require_path_params(doc, report);
    params::fix_parameter_styles(doc, report);
    params::parameter_without_schema(doc, report);
    params::flatten_object_query_params(doc, report);
    params::csv_array_query_params(doc, report);
    names::duplicate_operation_ids(doc, report);
    names::synthesize_operation_ids(doc, report);
    // Bodies and responses.
    media::inline_request_body_refs(doc, report);
    media::single_request_media_type(doc, report);
    media::unsupported_request_media_type(doc, report);
    responses::inline_response_refs(doc, report);
    media::json_response_media_types(doc, report);
    responses::drop_empty_success_alternative(doc, report);
    responses::unify_success_responses(doc, report);
    responses::unify_error_responses(doc, report);
    responses::schemaless_error_bodies(doc, report);
    media::media_type_without_schema(doc, report);
    media::media_type_encoding(doc, report);
    media::raw_request_body_schemas(doc, report);
    // Schemas.
    schemas::schema_type_case(doc, report);
    schemas::unknown_schema_types(doc, report);
    schemas::infer_missing_schema_type(doc, report);
    schemas::widen_int32(doc, report);
    schemas::enum_value_type_mismatch(doc, report);
    schemas::colliding_property_names(doc, report);
    names::dedupe_colliding_schema_names(doc, report);
}

/// The node repairs of [`apply_all`], run on a Swagger 2.0 document (with
/// the Swagger 2.0 model) before it is converted: the conversion then
/// meets only nodes of the shape it expects.
pub fn apply_to_swagger2(doc: &mut Value, report: &mut Report) {
    node_repairs(doc, report);
}

/// The repairs of nodes that do not fit the document's model, in order:
/// what is dropped or coerced first, then what is incomplete, then
/// references.
fn node_repairs(doc: &mut Value, report: &mut Report) {
    values::null_values(doc, report);
    values::coerce_scalar_types(doc, report);
    values::drop_misshapen_values(doc, report);
    values::fill_required_fields(doc, report);
    values::drop_incomplete_objects(doc, report);
    values::path_item_refs(doc, report);
    values::dangling_refs(doc, report);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_counts_and_keeps_first_example() {
        let mut r = Report::default();
        r.hit("b_repair", "GET /x");
        r.hit("a_repair", "POST /y");
        r.hit("b_repair", "GET /z");
        assert_eq!(r.count("b_repair"), 2);
        assert_eq!(r.count("nope"), 0);
        assert_eq!(
            r.render(),
            "  a_repair     1  e.g. POST /y\n  b_repair     2  e.g. GET /x\n"
        );
    }
}
