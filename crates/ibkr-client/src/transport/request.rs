//! Requests built from the operation table.
//!
//! A facade method names its [`Operation`] and fills in its arguments:
//!
//! ```ignore
//! self.client
//!     .op(&ops::accounts::SUMMARY)?
//!     .arg(account_id)?
//!     .fetch::<AccountSummary>()
//!     .await
//! ```
//!
//! [`Client::op`] picks the route of the client's variant (or fails with
//! [`Error::Unsupported`]), [`Call::arg`] fills the path template's next
//! placeholder, [`Call::query`] and [`Call::json`] add the rest, and
//! [`Call::send`] sends it through [`Transport::execute`](super::Transport::execute).
//! The `fetch…` methods decode the body with [`crate::decode`].

use std::fmt::{Display, Write as _};

use bytes::Bytes;
use ibkr_ops::{IfMissing, Operation, Route};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::decode;
use crate::error::{Error, Result, Variant};

/// One request of a facade operation, being built.
pub(crate) struct Call<'c> {
    client: &'c Client,
    op: &'static Operation,
    route: Route,
    args: Vec<String>,
    query: Vec<(&'static str, String)>,
    body: Option<Vec<u8>>,
    /// The body's media type: JSON unless [`Call::body_bytes`] says otherwise.
    content_type: &'static str,
}

impl Client {
    /// Starts a request of `op` on this client's variant.
    pub(crate) fn op(&self, op: &'static Operation) -> Result<Call<'_>> {
        let variant = self.variant();
        let route = match variant {
            Variant::Web => op.web,
            Variant::Gateway => op.gateway,
        };
        let unsupported = || Error::Unsupported {
            operation: op.name,
            variant,
        };
        let route = route.ok_or_else(unsupported)?;
        if op.if_missing == IfMissing::Unsupported
            && route.documented
            && !in_vendored_spec(variant, &route)
        {
            return Err(unsupported());
        }
        Ok(Call {
            client: self,
            op,
            route,
            args: Vec::new(),
            query: Vec::new(),
            body: None,
            content_type: "application/json",
        })
    }
}

/// Whether the vendored spec of `variant` still has `route`.
pub(crate) fn in_vendored_spec(variant: Variant, route: &Route) -> bool {
    let routes = match variant {
        Variant::Web => ibkr_ops::routes::WEB,
        Variant::Gateway => ibkr_ops::routes::GATEWAY,
    };
    has_route(routes, route)
}

/// Whether `routes` (method, template) has `route`, placeholder names
/// aside (`{accountId}` matches `{id}`).
pub(crate) fn has_route(routes: &[(&str, &str)], route: &Route) -> bool {
    let key = template_key(route.path);
    routes
        .iter()
        .any(|(method, path)| *method == route.method.as_str() && template_key(path) == key)
}

fn template_key(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

impl<'c> Call<'c> {
    /// Fills the next `{…}` placeholder of the path. Refuses an empty
    /// value, `.`, `..` and control characters; percent-encodes the rest,
    /// so a value is always exactly one path segment (IBKR's device ids
    /// such as `apn://mtws@…` arrive as `apn%3A%2F%2Fmtws%40…`).
    pub(crate) fn arg(mut self, value: impl Display) -> Result<Self> {
        let value = value.to_string();
        let name = self
            .route
            .params()
            .nth(self.args.len())
            .unwrap_or("argument");
        if value.is_empty() || value == "." || value == ".." || value.chars().any(char::is_control)
        {
            return Err(Error::InvalidArgument(format!(
                "{}: invalid {name} {value:?}",
                self.op.name
            )));
        }
        self.args.push(value);
        Ok(self)
    }

    /// Adds a query parameter.
    pub(crate) fn query(mut self, name: &'static str, value: impl Display) -> Self {
        self.query.push((name, value.to_string()));
        self
    }

    /// Adds a query parameter when `value` is `Some`.
    pub(crate) fn query_opt(self, name: &'static str, value: Option<impl Display>) -> Self {
        match value {
            Some(v) => self.query(name, v),
            None => self,
        }
    }

    /// Sets the JSON body.
    pub(crate) fn json(mut self, body: &impl Serialize) -> Result<Self> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::InvalidArgument(format!("{}: {e}", self.op.name)))?;
        self.body = Some(bytes);
        Ok(self)
    }

    /// Sets a body that is not JSON: `bytes` as they are, sent with
    /// `content_type` (the signed JWT of an account management request,
    /// `application/jwt`).
    pub(crate) fn body_bytes(
        mut self,
        content_type: &'static str,
        bytes: impl Into<Vec<u8>>,
    ) -> Self {
        self.body = Some(bytes.into());
        self.content_type = content_type;
        self
    }

    /// The URL: the route's base ([`Client::base_url_for`]: the API base,
    /// or the host for the Web API's `/gw/api/v1/...` paths), the template
    /// with its arguments, the query.
    fn url(&self) -> Result<String> {
        let base = self.client.base_url_for(self.route.path);
        let mut url = String::with_capacity(base.len() + self.route.path.len() + 32);
        url.push_str(base);
        let mut args = self.args.iter();
        let mut rest = self.route.path;
        while let Some(open) = rest.find('{') {
            url.push_str(&rest[..open]);
            let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
            let arg = args.next().ok_or_else(|| {
                Error::InvalidArgument(format!("{}: missing path argument", self.op.name))
            })?;
            encode_into(&mut url, arg);
            rest = &rest[close..];
        }
        url.push_str(rest);
        if args.next().is_some() {
            return Err(Error::InvalidArgument(format!(
                "{}: too many path arguments",
                self.op.name
            )));
        }
        for (i, (name, value)) in self.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            encode_into(&mut url, name);
            url.push('=');
            encode_into(&mut url, value);
        }
        Ok(url)
    }

    /// Sends the request; the body of a 2xx answer.
    pub(crate) async fn send(self) -> Result<Bytes> {
        let url = self.url()?;
        let method = match self.route.method {
            ibkr_ops::Method::Get => reqwest::Method::GET,
            ibkr_ops::Method::Post => reqwest::Method::POST,
            ibkr_ops::Method::Put => reqwest::Method::PUT,
            ibkr_ops::Method::Delete => reqwest::Method::DELETE,
            ibkr_ops::Method::Patch => reqwest::Method::PATCH,
        };
        let transport = self.client.transport();
        let body = self.body.map(Bytes::from);
        let content_type = self.content_type;
        // Built again for a retry, rather than copied before every first
        // attempt.
        let build = || {
            let mut builder = transport
                .http
                .request(method.clone(), url.as_str())
                .header(ACCEPT, HeaderValue::from_static("application/json"));
            if let Some(body) = &body {
                builder = builder
                    .header(CONTENT_TYPE, HeaderValue::from_static(content_type))
                    .body(body.clone());
            }
            builder.build()
        };
        let request = build()
            .map_err(|e| Error::InvalidArgument(format!("cannot build {}: {e}", self.op.name)))?;
        transport
            .execute(self.op.name, self.op.class, request, Some(&|| build().ok()))
            .await
    }

    /// Sends and decodes an object (a one-element list is that object).
    pub(crate) async fn fetch<T: DeserializeOwned>(self) -> Result<T> {
        let op = self.op;
        let body = self.send().await?;
        decode::object(op.name, op.class, &body)
    }

    /// Like [`Call::fetch`], but an empty body (or `[]`, `{}`-less `null`)
    /// gives `T::default()`.
    pub(crate) async fn fetch_or_default<T: DeserializeOwned + Default>(self) -> Result<T> {
        let op = self.op;
        let body = self.send().await?;
        decode::object_or_default(op.name, op.class, &body)
    }

    /// Sends and decodes a list (a single object is a one-element list;
    /// `null` or an empty body is an empty list).
    pub(crate) async fn fetch_list<T: DeserializeOwned>(self) -> Result<Vec<T>> {
        let op = self.op;
        let body = self.send().await?;
        decode::list(op.name, op.class, &body)
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters and the
/// `,` and `:` IBKR's lists and codes use.
fn encode_into(out: &mut String, value: &str) {
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b',' | b':') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ibkr_ops::Method;

    #[test]
    fn routes_match_whatever_the_placeholder_names() {
        let route = Route {
            method: Method::Get,
            path: "/iserver/account/alert/{alertId}",
            documented: true,
        };
        assert!(has_route(&[("GET", "/iserver/account/alert/{id}")], &route));
        assert!(!has_route(
            &[("POST", "/iserver/account/alert/{id}")],
            &route
        ));
        assert!(!has_route(
            &[("GET", "/iserver/account/alerts/{id}")],
            &route
        ));
    }

    /// An endpoint no vendored spec has, declared both ways.
    const GONE_SEND: Operation =
        Operation::read("Test::gone_send").both(Method::Get, "/no/such/endpoint/{id}");
    const GONE_UNSUPPORTED: Operation = Operation::read("Test::gone_unsupported")
        .both(Method::Get, "/no/such/endpoint/{id}")
        .unsupported_if_missing();

    #[test]
    fn a_route_missing_from_the_vendored_spec_follows_if_missing() {
        for config in [
            crate::Config::gateway(),
            crate::Config::web(crate::BearerToken::new("t")),
        ] {
            let client = Client::new(config).unwrap();
            let call = client.op(&GONE_SEND).and_then(|c| c.arg("1")).unwrap();
            assert!(call.url().unwrap().ends_with("/no/such/endpoint/1"));
            match client.op(&GONE_UNSUPPORTED) {
                Err(Error::Unsupported { operation, .. }) => {
                    assert_eq!(operation, "Test::gone_unsupported")
                }
                Err(e) => panic!("{e:?}"),
                Ok(_) => panic!("a dropped endpoint declared unsupported_if_missing was built"),
            }
            // A route the spec has is unaffected by the declaration.
            assert!(client.op(&ibkr_ops::areas::session::REAUTHENTICATE).is_ok());
        }
    }

    #[test]
    fn encoding_keeps_lists_readable() {
        let mut s = String::new();
        encode_into(&mut s, "1,2:STK a/b?&=");
        assert_eq!(s, "1,2:STK%20a%2Fb%3F%26%3D");
    }
}
