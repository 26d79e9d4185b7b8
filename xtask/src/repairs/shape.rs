//! The shape of an OpenAPI 3.0 document as the generator reads it
//! (`openapiv3`'s model), and of a Swagger 2.0 document as the converter
//! reads it: which object kinds exist and what each of their keywords
//! holds.
//!
//! The repairs in [`super::values`] walk a document with [`fit`], which
//! tells them, for every node, the shape expected there (a document with a
//! `swagger` field is read with the Swagger 2.0 model); the strict parse in
//! `crate::pipeline` uses [`children`] to narrow a parse failure down to
//! one node. Keys the model does not know are ignored by the generator and
//! so are skipped here; `x-` extensions, examples and defaults hold any
//! value.

use serde_json::{Map, Value};

/// An object kind of OpenAPI 3.0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The document root.
    Document,
    /// `info`.
    Info,
    /// `info.contact`.
    Contact,
    /// `info.license`.
    License,
    /// An entry of `servers`.
    Server,
    /// A value of `servers[].variables`.
    ServerVariable,
    /// `paths`: path templates → path items.
    Paths,
    /// A path item.
    PathItem,
    /// An operation.
    Operation,
    /// A parameter.
    Parameter,
    /// A request body.
    RequestBody,
    /// `responses`: status codes → responses.
    Responses,
    /// A response.
    Response,
    /// A media type object (a value of `content`).
    MediaType,
    /// A value of a media type's `encoding`.
    Encoding,
    /// A header.
    Header,
    /// `components`.
    Components,
    /// A security scheme.
    SecurityScheme,
    /// `flows` of an OAuth 2.0 security scheme.
    OAuthFlows,
    /// The `implicit` flow.
    ImplicitFlow,
    /// The `password` or `clientCredentials` flow.
    TokenFlow,
    /// The `authorizationCode` flow.
    AuthorizationCodeFlow,
    /// An entry of `security`: scheme names → scope lists.
    SecurityRequirement,
    /// An entry of `tags`.
    Tag,
    /// `externalDocs`.
    ExternalDocs,
    /// A schema.
    Schema,
    /// A schema's `discriminator`.
    Discriminator,
    /// An example object.
    Example,
    /// A link.
    Link,
    /// A callback: expressions → path items.
    Callback,
    /// A Swagger 2.0 document root.
    Swagger,
    /// Swagger 2.0 `paths`.
    SwPaths,
    /// A Swagger 2.0 path item.
    SwPathItem,
    /// A Swagger 2.0 operation.
    SwOperation,
    /// A Swagger 2.0 parameter (body, form, query, path or header).
    SwParameter,
    /// A Swagger 2.0 `items` of a non-body parameter or header.
    SwItems,
    /// A Swagger 2.0 response header.
    SwHeader,
    /// Swagger 2.0 `responses`.
    SwResponses,
    /// A Swagger 2.0 response.
    SwResponse,
    /// A Swagger 2.0 schema (`discriminator` is a property name).
    SwSchema,
    /// A Swagger 2.0 security definition.
    SwSecurityScheme,
}

impl Kind {
    /// The kind of a document's root: Swagger 2.0 when it says so.
    pub fn root_of(doc: &Value) -> Kind {
        if doc.get("swagger").is_some() {
            Kind::Swagger
        } else {
            Kind::Document
        }
    }
}

/// What a node must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Any JSON value, `null` included (examples, defaults, extensions).
    Any,
    /// A string.
    Str,
    /// `true` or `false`.
    Bool,
    /// A number.
    Num,
    /// A non-negative integer (`minLength`, `maxItems`, ...).
    Count,
    /// A list, each item of the inner shape.
    List(&'static Shape),
    /// An object whose keys are names chosen by the author, each value of
    /// the inner shape.
    Map(&'static Shape),
    /// An object of the kind.
    Node(Kind),
    /// An object of the kind, or a `{"$ref": ...}` to one.
    RefOr(Kind),
    /// A schema's `enum`: a list of any values.
    Enum,
    /// `additionalProperties`: `true`, `false` or a schema of the kind.
    BoolOr(Kind),
}

const STR: Shape = Shape::Str;
const STRS: Shape = Shape::List(&STR);
const SCHEMA: Shape = Shape::RefOr(Kind::Schema);
const SCHEMAS: Shape = Shape::List(&SCHEMA);
const SERVER: Shape = Shape::Node(Kind::Server);
const SERVERS: Shape = Shape::List(&SERVER);
const PARAMETER: Shape = Shape::RefOr(Kind::Parameter);
const PARAMETERS: Shape = Shape::List(&PARAMETER);
const REQUIREMENT: Shape = Shape::Node(Kind::SecurityRequirement);
const REQUIREMENTS: Shape = Shape::List(&REQUIREMENT);
const TAG: Shape = Shape::Node(Kind::Tag);
const MEDIA_TYPE: Shape = Shape::Node(Kind::MediaType);
const CONTENT: Shape = Shape::Map(&MEDIA_TYPE);
const EXAMPLE: Shape = Shape::RefOr(Kind::Example);
const EXAMPLES: Shape = Shape::Map(&EXAMPLE);
const HEADER: Shape = Shape::RefOr(Kind::Header);
const HEADERS: Shape = Shape::Map(&HEADER);
const LINK: Shape = Shape::RefOr(Kind::Link);
const ANY: Shape = Shape::Any;
const SW_SCHEMA: Shape = Shape::RefOr(Kind::SwSchema);
const SW_PARAMETER: Shape = Shape::RefOr(Kind::SwParameter);

/// The shape of the keyword `key` in an object of `kind`; `None` when the
/// generator ignores that key (unknown keywords, or in `paths` and
/// `responses` keys that are neither templates nor status codes).
pub fn field(kind: Kind, key: &str) -> Option<Shape> {
    use Shape::{Bool, Count, Map, Node, Num, RefOr, Str};
    if key.starts_with("x-") && !matches!(kind, Kind::SecurityRequirement | Kind::Callback) {
        return Some(Shape::Any);
    }
    if let Some(shape) = swagger_field(kind, key) {
        return shape;
    }
    let shape = match (kind, key) {
        (Kind::Document, "openapi") => Str,
        (Kind::Document, "info") => Node(Kind::Info),
        (Kind::Document, "paths") => Node(Kind::Paths),
        (Kind::Document, "components") => Node(Kind::Components),
        (Kind::Document | Kind::Operation, "security") => REQUIREMENTS,
        (Kind::Document, "tags") => Shape::List(&TAG),
        (Kind::Document | Kind::PathItem | Kind::Operation, "servers") => SERVERS,
        (Kind::Document | Kind::Operation | Kind::Tag | Kind::Schema, "externalDocs") => {
            Node(Kind::ExternalDocs)
        }
        (Kind::Info, "title" | "version" | "termsOfService") => Str,
        (Kind::Info, "contact") => Node(Kind::Contact),
        (Kind::Info, "license") => Node(Kind::License),
        (Kind::Contact, "name" | "url" | "email") => Str,
        (Kind::License | Kind::ExternalDocs | Kind::Server, "url") => Str,
        (Kind::License | Kind::Tag, "name") => Str,
        (Kind::Server, "variables") => Map(&Node(Kind::ServerVariable)),
        (Kind::ServerVariable, "default") => Str,
        (Kind::ServerVariable, "enum") => STRS,
        (Kind::Paths, k) if k.starts_with('/') => RefOr(Kind::PathItem),
        (Kind::Paths, _) => return None,
        (Kind::PathItem, "$ref") => Str,
        (Kind::PathItem, m) if crate::openapi::METHODS.contains(&m) => Node(Kind::Operation),
        (Kind::PathItem | Kind::Operation, "parameters") => PARAMETERS,
        (Kind::Operation, "tags") => STRS,
        (Kind::Operation | Kind::Link, "operationId") => Str,
        (Kind::Operation, "requestBody") => RefOr(Kind::RequestBody),
        (Kind::Operation, "responses") => Node(Kind::Responses),
        (Kind::Operation, "callbacks") => Map(&Node(Kind::Callback)),
        (Kind::Operation | Kind::Parameter | Kind::Header | Kind::Schema, "deprecated") => Bool,
        (Kind::Parameter, "name" | "in") => Str,
        (Kind::Parameter | Kind::RequestBody | Kind::Header, "required") => Bool,
        (Kind::Parameter | Kind::Header | Kind::MediaType, "schema") => SCHEMA,
        (Kind::Parameter | Kind::Header | Kind::RequestBody | Kind::Response, "content") => CONTENT,
        (Kind::Parameter | Kind::Header | Kind::MediaType | Kind::Schema, "example") => ANY,
        (Kind::Parameter | Kind::Header | Kind::MediaType, "examples") => EXAMPLES,
        (Kind::Parameter | Kind::Header | Kind::Encoding, "style") => Str,
        (Kind::Parameter | Kind::Encoding, "explode" | "allowReserved") => Bool,
        (Kind::Parameter, "allowEmptyValue") => Bool,
        (Kind::Responses, "default") => RefOr(Kind::Response),
        (Kind::Responses, code) if is_status_code(code) => RefOr(Kind::Response),
        (Kind::Responses, _) => return None,
        (Kind::Response | Kind::Encoding, "headers") => HEADERS,
        (Kind::Response, "links") => Map(&LINK),
        (Kind::MediaType, "encoding") => Map(&Node(Kind::Encoding)),
        (Kind::Encoding, "contentType") => Str,
        (Kind::Components, "schemas") => Map(&SCHEMA),
        (Kind::Components, "responses") => Map(&RefOr(Kind::Response)),
        (Kind::Components, "parameters") => Map(&PARAMETER),
        (Kind::Components, "examples") => EXAMPLES,
        (Kind::Components, "requestBodies") => Map(&RefOr(Kind::RequestBody)),
        (Kind::Components, "headers") => HEADERS,
        (Kind::Components, "securitySchemes") => Map(&RefOr(Kind::SecurityScheme)),
        (Kind::Components, "links") => Map(&LINK),
        (Kind::Components, "callbacks") => Map(&RefOr(Kind::Callback)),
        (
            Kind::SecurityScheme,
            "type" | "in" | "name" | "scheme" | "bearerFormat" | "openIdConnectUrl",
        ) => Str,
        (Kind::SecurityScheme, "flows") => Node(Kind::OAuthFlows),
        (Kind::OAuthFlows, "implicit") => Node(Kind::ImplicitFlow),
        (Kind::OAuthFlows, "password" | "clientCredentials") => Node(Kind::TokenFlow),
        (Kind::OAuthFlows, "authorizationCode") => Node(Kind::AuthorizationCodeFlow),
        (
            Kind::ImplicitFlow | Kind::TokenFlow | Kind::AuthorizationCodeFlow,
            "authorizationUrl" | "tokenUrl" | "refreshUrl",
        ) => Str,
        (Kind::ImplicitFlow | Kind::TokenFlow | Kind::AuthorizationCodeFlow, "scopes") => Map(&STR),
        (Kind::SecurityRequirement, _) => STRS,
        (Kind::Schema, "nullable" | "readOnly" | "writeOnly" | "uniqueItems") => Bool,
        (Kind::Schema, "exclusiveMinimum" | "exclusiveMaximum") => Bool,
        (Kind::Schema, "title" | "type" | "pattern" | "format") => Str,
        (Kind::Schema, "default") => ANY,
        (Kind::Schema, "discriminator") => Node(Kind::Discriminator),
        (Kind::Schema, "multipleOf" | "minimum" | "maximum") => Num,
        (Kind::Schema, "properties") => Map(&SCHEMA),
        (Kind::Schema, "required") => STRS,
        (Kind::Schema, "additionalProperties") => Shape::BoolOr(Kind::Schema),
        (
            Kind::Schema,
            "minProperties" | "maxProperties" | "minItems" | "maxItems" | "minLength" | "maxLength",
        ) => Count,
        (Kind::Schema, "items" | "not") => SCHEMA,
        (Kind::Schema, "enum") => Shape::Enum,
        (Kind::Schema, "oneOf" | "allOf" | "anyOf") => SCHEMAS,
        (Kind::Discriminator, "propertyName") => Str,
        (Kind::Discriminator, "mapping") => Map(&STR),
        (Kind::Example, "value") => ANY,
        (Kind::Example, "externalValue") => Str,
        (Kind::Link, "operationRef") => Str,
        (Kind::Link, "parameters") => Map(&ANY),
        (Kind::Link, "requestBody") => ANY,
        (Kind::Link, "server") => SERVER,
        (Kind::Callback, _) => Node(Kind::PathItem),
        _ => return None,
    };
    Some(shape)
}

/// The shape of `key` in a Swagger 2.0 object: `None` when `kind` is not a
/// Swagger 2.0 kind, `Some(None)` when the converter ignores the key.
fn swagger_field(kind: Kind, key: &str) -> Option<Option<Shape>> {
    use Shape::{Bool, Map, Node, RefOr, Str};
    let shape = match (kind, key) {
        (Kind::Swagger, "swagger" | "host" | "basePath") => Str,
        (Kind::Swagger, "info") => Node(Kind::Info),
        (Kind::Swagger | Kind::SwOperation, "schemes" | "consumes" | "produces") => STRS,
        (Kind::Swagger, "paths") => Node(Kind::SwPaths),
        (Kind::Swagger, "definitions") => Map(&SW_SCHEMA),
        (Kind::Swagger, "parameters") => Map(&Node(Kind::SwParameter)),
        (Kind::Swagger, "responses") => Map(&Node(Kind::SwResponse)),
        (Kind::Swagger, "securityDefinitions") => Map(&Node(Kind::SwSecurityScheme)),
        (Kind::Swagger | Kind::SwOperation, "security") => REQUIREMENTS,
        (Kind::Swagger, "tags") => Shape::List(&TAG),
        (Kind::Swagger | Kind::SwOperation | Kind::SwSchema, "externalDocs") => {
            Node(Kind::ExternalDocs)
        }
        (Kind::SwPaths, k) if k.starts_with('/') => RefOr(Kind::SwPathItem),
        (Kind::SwPathItem, "$ref") => Str,
        (Kind::SwPathItem, m) if crate::openapi::METHODS.contains(&m) => Node(Kind::SwOperation),
        (Kind::SwPathItem | Kind::SwOperation, "parameters") => Shape::List(&SW_PARAMETER),
        (Kind::SwOperation, "tags") => STRS,
        (Kind::SwOperation, "summary" | "description" | "operationId") => Str,
        (Kind::SwOperation, "responses") => Node(Kind::SwResponses),
        (Kind::SwOperation, "deprecated") => Bool,
        (Kind::SwParameter, "name" | "in" | "description") => Str,
        (Kind::SwParameter, "required" | "allowEmptyValue") => Bool,
        (Kind::SwParameter | Kind::SwResponse, "schema") => SW_SCHEMA,
        (Kind::SwParameter | Kind::SwItems | Kind::SwHeader, k) => return Some(simple_keyword(k)),
        (Kind::SwResponses, "default") => RefOr(Kind::SwResponse),
        (Kind::SwResponses, code) if is_status_code(code) => RefOr(Kind::SwResponse),
        (Kind::SwResponse, "description") => Str,
        (Kind::SwResponse, "headers") => Map(&Node(Kind::SwHeader)),
        (Kind::SwResponse, "examples") => ANY,
        (Kind::SwSchema, "discriminator") => Str,
        (Kind::SwSchema, "properties") => Map(&SW_SCHEMA),
        (Kind::SwSchema, "items") => SW_SCHEMA,
        (Kind::SwSchema, "allOf") => Shape::List(&SW_SCHEMA),
        (Kind::SwSchema, "additionalProperties") => Shape::BoolOr(Kind::SwSchema),
        (Kind::SwSchema, "oneOf" | "anyOf" | "not" | "nullable" | "writeOnly") => {
            return Some(None);
        }
        (Kind::SwSchema, k) => return Some(field(Kind::Schema, k)),
        (
            Kind::SwSecurityScheme,
            "type" | "description" | "name" | "in" | "flow" | "authorizationUrl" | "tokenUrl",
        ) => Str,
        (Kind::SwSecurityScheme, "scopes") => Map(&STR),
        (
            Kind::Swagger
            | Kind::SwPaths
            | Kind::SwPathItem
            | Kind::SwOperation
            | Kind::SwResponses
            | Kind::SwResponse
            | Kind::SwSecurityScheme,
            _,
        ) => return Some(None),
        _ => return None,
    };
    Some(Some(shape))
}

/// The keywords a Swagger 2.0 non-body parameter, `items` or header states
/// about its value.
fn simple_keyword(key: &str) -> Option<Shape> {
    Some(match key {
        "type" | "format" | "collectionFormat" | "pattern" | "description" => Shape::Str,
        "items" => Shape::Node(Kind::SwItems),
        "default" => ANY,
        "maximum" | "minimum" | "multipleOf" => Shape::Num,
        "exclusiveMaximum" | "exclusiveMinimum" | "uniqueItems" => Shape::Bool,
        "maxLength" | "minLength" | "maxItems" | "minItems" => Shape::Count,
        "enum" => Shape::Enum,
        _ => return None,
    })
}

/// Whether `key` is a response status code as the generator reads one:
/// `100`–`999` or a range `1XX`–`5XX`.
fn is_status_code(key: &str) -> bool {
    match key.as_bytes() {
        [d, b'X', b'X'] => (b'1'..=b'5').contains(d),
        [a, b, c] => a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit() && *a != b'0',
        _ => false,
    }
}

/// The JSON pointer token of `key`.
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The children of `value` that the model knows, given that `value` is
/// expected to be `shape`: (pointer token, child shape). An object with a
/// `$ref` where a reference is allowed has one child, the `$ref`, which
/// must be a string.
pub fn children(value: &Value, shape: Shape) -> Vec<(String, Shape)> {
    match (shape, value) {
        (Shape::List(inner), Value::Array(items)) => {
            (0..items.len()).map(|i| (i.to_string(), *inner)).collect()
        }
        (_, Value::Object(map)) => {
            let has_ref = map.contains_key("$ref");
            map.keys()
                .filter_map(|k| member(shape, has_ref, k).map(|s| (k.clone(), s)))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The shape of the member `key` of an object expected to be `shape`
/// (`has_ref`: whether the object has a `$ref`).
fn member(shape: Shape, has_ref: bool, key: &str) -> Option<Shape> {
    match shape {
        Shape::Map(inner) => Some(*inner),
        Shape::BoolOr(kind) => member(Shape::RefOr(kind), has_ref, key),
        Shape::RefOr(_) if has_ref => (key == "$ref").then_some(Shape::Str),
        Shape::Node(kind) | Shape::RefOr(kind) => field(kind, key),
        _ => None,
    }
}

/// Appends `/token`, escaped, to a JSON pointer.
fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    if token.contains(['~', '/']) {
        pointer.push_str(&escape(token));
    } else {
        pointer.push_str(token);
    }
}

/// Whether an object is a reference (a `$ref` next to which the generator
/// ignores everything).
pub fn is_reference(map: &Map<String, Value>) -> bool {
    map.get("$ref").is_some_and(Value::is_string)
}

/// What a repair does with one node.
#[derive(Debug, PartialEq)]
pub enum Fix {
    /// Leave it (and look inside it).
    Keep,
    /// Remove it from its object or list.
    Drop,
    /// Put this value in its place (and look inside that).
    Replace(Value),
}

/// Walks every node of `doc` below the root that the model knows, parents
/// before children, calling `fix(node, expected shape, JSON pointer)` and
/// applying what it returns.
pub fn fit(doc: &mut Value, fix: &mut dyn FnMut(&Value, Shape, &str) -> Fix) {
    let root = Shape::Node(Kind::root_of(doc));
    fit_children(doc, root, &mut String::new(), fix);
}

/// Applies `fix` to the children of `value` (expected to be `shape`) and
/// their children; `pointer` is `value`'s, and is left as it was found.
fn fit_children(
    value: &mut Value,
    shape: Shape,
    pointer: &mut String,
    fix: &mut dyn FnMut(&Value, Shape, &str) -> Fix,
) {
    let len = pointer.len();
    match (shape, value) {
        (Shape::List(inner), Value::Array(items)) => {
            let old = std::mem::take(items);
            for (i, mut item) in old.into_iter().enumerate() {
                push_token(pointer, &i.to_string());
                let keep = match fix(&item, *inner, pointer) {
                    Fix::Drop => false,
                    Fix::Replace(new) => {
                        item = new;
                        true
                    }
                    Fix::Keep => true,
                };
                if keep {
                    fit_children(&mut item, *inner, pointer, fix);
                    items.push(item);
                }
                pointer.truncate(len);
            }
        }
        (_, Value::Object(map)) => {
            let has_ref = map.contains_key("$ref");
            let mut dropped = Vec::new();
            for (key, child) in map.iter_mut() {
                let Some(child_shape) = member(shape, has_ref, key) else {
                    continue;
                };
                push_token(pointer, key);
                match fix(child, child_shape, pointer) {
                    Fix::Drop => dropped.push(key.clone()),
                    Fix::Replace(new) => {
                        *child = new;
                        fit_children(child, child_shape, pointer, fix);
                    }
                    Fix::Keep => fit_children(child, child_shape, pointer, fix),
                }
                pointer.truncate(len);
            }
            for key in dropped {
                map.remove(&key);
            }
        }
        _ => {}
    }
}

/// Calls `f(object, pointer)` on every object of `kind` in `doc` (not on
/// references to one), parents first.
pub fn for_each_node_mut(
    doc: &mut Value,
    kind: Kind,
    f: &mut dyn FnMut(&mut Map<String, Value>, &str),
) {
    let root = Shape::Node(Kind::root_of(doc));
    visit_kind(doc, root, &mut String::new(), kind, f);
}

fn visit_kind(
    value: &mut Value,
    shape: Shape,
    pointer: &mut String,
    kind: Kind,
    f: &mut dyn FnMut(&mut Map<String, Value>, &str),
) {
    let is_kind = match shape {
        Shape::Node(k) | Shape::RefOr(k) | Shape::BoolOr(k) => k == kind,
        _ => false,
    };
    if is_kind
        && let Value::Object(map) = value
        && !is_reference(map)
    {
        f(map, pointer);
    }
    let len = pointer.len();
    match (shape, value) {
        (Shape::List(inner), Value::Array(items)) => {
            for (i, item) in items.iter_mut().enumerate() {
                push_token(pointer, &i.to_string());
                visit_kind(item, *inner, pointer, kind, f);
                pointer.truncate(len);
            }
        }
        (_, Value::Object(map)) => {
            let has_ref = map.contains_key("$ref");
            for (key, child) in map.iter_mut() {
                if let Some(child_shape) = member(shape, has_ref, key) {
                    push_token(pointer, key);
                    visit_kind(child, child_shape, pointer, kind, f);
                    pointer.truncate(len);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_follow_the_kind() {
        assert_eq!(field(Kind::Schema, "required"), Some(STRS));
        assert_eq!(field(Kind::Parameter, "required"), Some(Shape::Bool));
        assert_eq!(field(Kind::Schema, "x-anything"), Some(Shape::Any));
        assert_eq!(field(Kind::Schema, "unknownKeyword"), None);
        assert_eq!(
            field(Kind::Paths, "/a/{b}"),
            Some(Shape::RefOr(Kind::PathItem))
        );
        assert_eq!(field(Kind::Paths, "nonsense"), None);
        assert_eq!(
            field(Kind::Responses, "404"),
            Some(Shape::RefOr(Kind::Response))
        );
        assert_eq!(
            field(Kind::Responses, "2XX"),
            Some(Shape::RefOr(Kind::Response))
        );
        assert_eq!(field(Kind::Responses, "ok"), None);
        assert_eq!(field(Kind::SecurityRequirement, "x-key"), Some(STRS));
    }

    #[test]
    fn swagger_documents_have_their_own_model() {
        let doc = json!({"swagger": "2.0"});
        assert_eq!(Kind::root_of(&doc), Kind::Swagger);
        assert_eq!(Kind::root_of(&json!({"openapi": "3.0.3"})), Kind::Document);
        assert_eq!(field(Kind::SwSchema, "discriminator"), Some(Shape::Str));
        assert_eq!(
            field(Kind::Schema, "discriminator"),
            Some(Shape::Node(Kind::Discriminator))
        );
        assert_eq!(field(Kind::SwSchema, "maxLength"), Some(Shape::Count));
        assert_eq!(
            field(Kind::SwParameter, "items"),
            Some(Shape::Node(Kind::SwItems))
        );
        assert_eq!(field(Kind::SwParameter, "schema"), Some(SW_SCHEMA));
        assert_eq!(field(Kind::SwItems, "collectionFormat"), Some(Shape::Str));
        assert_eq!(field(Kind::SwOperation, "requestBody"), None);
        assert_eq!(
            field(Kind::Swagger, "definitions"),
            Some(Shape::Map(&SW_SCHEMA))
        );
        let mut doc = json!({"swagger": "2.0", "definitions": {"A": {"discriminator": "kind",
            "properties": {"b": {"type": "string"}}}},
            "paths": {"/a": {"get": {"parameters": [{"in": "body", "name": "b",
                "schema": {"$ref": "#/definitions/A"}}], "responses": {"200": {"schema": {}}}}}}});
        let mut seen = Vec::new();
        for_each_node_mut(&mut doc, Kind::SwSchema, &mut |_, at| {
            seen.push(at.to_string())
        });
        assert_eq!(
            seen,
            [
                "/definitions/A",
                "/definitions/A/properties/b",
                "/paths/~1a/get/responses/200/schema"
            ]
        );
    }

    #[test]
    fn fit_visits_parents_first_and_applies_fixes() {
        let mut doc = json!({"openapi": "3.0.3", "tags": [{"name": "a"}, 5],
            "paths": {"/a~b/c": {"get": {"tags": ["x", null], "responses": {}}}}});
        let mut seen = Vec::new();
        fit(&mut doc, &mut |v, shape, at| {
            seen.push(at.to_string());
            match (shape, v) {
                (Shape::Str, Value::Null) => Fix::Drop,
                (Shape::Node(Kind::Tag), Value::Number(_)) => Fix::Replace(json!({"name": "5"})),
                _ => Fix::Keep,
            }
        });
        assert_eq!(doc["tags"], json!([{"name": "a"}, {"name": "5"}]));
        assert_eq!(doc["paths"]["/a~b/c"]["get"]["tags"], json!(["x"]));
        assert!(seen.contains(&"/paths/~1a~0b~1c/get/tags/1".to_string()));
        assert!(seen.contains(&"/tags/1/name".to_string()));
        let parent = seen.iter().position(|p| p == "/paths").unwrap();
        let child = seen.iter().position(|p| p == "/paths/~1a~0b~1c").unwrap();
        assert!(parent < child);
    }

    #[test]
    fn references_have_only_their_target() {
        let v = json!({"$ref": "#/components/schemas/A", "type": 5});
        assert_eq!(children(&v, SCHEMA), vec![("$ref".to_string(), Shape::Str)]);
        // Where no reference is allowed, `$ref` is just an unknown key.
        assert!(children(&v, Shape::Node(Kind::Tag)).is_empty());
    }

    #[test]
    fn every_schema_is_found() {
        let mut doc = json!({
            "components": {"schemas": {"A": {"properties": {"b": {"items": {"type": "string"}}},
                "additionalProperties": {"type": "integer"}, "anyOf": [{"$ref": "#/x"}]}}},
            "paths": {"/p": {"get": {"parameters": [{"name": "q", "in": "query",
                "schema": {"type": "string"}}],
                "responses": {"200": {"content": {"application/json": {"schema": {"not": {}}}}}}}}}
        });
        let mut seen = Vec::new();
        for_each_node_mut(&mut doc, Kind::Schema, &mut |_, at| {
            seen.push(at.to_string())
        });
        assert_eq!(
            seen,
            [
                "/components/schemas/A",
                "/components/schemas/A/additionalProperties",
                "/components/schemas/A/properties/b",
                "/components/schemas/A/properties/b/items",
                "/paths/~1p/get/parameters/0/schema",
                "/paths/~1p/get/responses/200/content/application~1json/schema",
                "/paths/~1p/get/responses/200/content/application~1json/schema/not",
            ]
        );
    }
}
