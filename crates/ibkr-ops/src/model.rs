//! The types of the table.

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
    /// `PATCH`
    Patch,
}

impl Method {
    /// The method as it appears on the wire (`GET`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
        }
    }

    /// The method as an OpenAPI path item key (`get`).
    pub const fn openapi_key(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Post => "post",
            Method::Put => "put",
            Method::Delete => "delete",
            Method::Patch => "patch",
        }
    }
}

/// What an operation does, as far as sending it again is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    /// An idempotent read: retried after transient failures.
    Read,
    /// A write that does not affect orders: sent once.
    Write,
    /// Places, modifies, cancels or confirms an order: sent exactly once,
    /// and an unknown outcome is `Error::Ambiguous`.
    Order,
}

/// What the facade does when the vendored spec no longer has an
/// operation's endpoint (IBKR removed it from its spec).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IfMissing {
    /// Send it anyway: IBKR keeps serving endpoints it stops documenting,
    /// and the facade does not need the spec to build the request.
    Send,
    /// Fail with `Error::Unsupported` without sending anything.
    Unsupported,
}

/// Who an operation is for: IBKR serves some families only to certain
/// kinds of customers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Audience {
    /// Any account holder (the default).
    #[default]
    Everyone,
    /// Financial advisors managing client accounts (allocation groups and
    /// presets, advisor orders).
    Advisors,
    /// Brokers and introducing firms managing their clients' accounts
    /// (account management: applications, KYC, funding, transfers,
    /// reporting, SSO sessions on behalf of end users).
    Brokers,
}

impl Audience {
    /// The audience as the coverage table writes it (`everyone`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Audience::Everyone => "everyone",
            Audience::Advisors => "advisors",
            Audience::Brokers => "brokers",
        }
    }
}

/// One variant's endpoint for an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Route {
    /// The HTTP method.
    pub method: Method,
    /// The path template as the vendored spec writes it, relative to the
    /// variant's API base (`/portfolio/{accountId}/summary`). Path
    /// arguments fill the `{…}` placeholders in order.
    pub path: &'static str,
    /// Whether the variant's spec documents the endpoint. `false` for an
    /// endpoint the variant serves although its spec never listed it (the
    /// checks skip it; the coverage table says so).
    pub documented: bool,
}

impl Route {
    /// The placeholder names of the path template, in order.
    pub fn params(&self) -> impl Iterator<Item = &'static str> + use<> {
        let path = self.path;
        path.split('{')
            .skip(1)
            .filter_map(|part| part.split_once('}').map(|(name, _)| name))
    }
}

/// One facade operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Operation {
    /// The facade method (`Accounts::summary`); also the operation named
    /// in the facade's errors.
    pub name: &'static str,
    /// Read, write or order write.
    pub class: Class,
    /// The endpoint on the Web API, if it serves the operation.
    pub web: Option<Route>,
    /// The endpoint on the Client Portal Gateway, if it serves it.
    pub gateway: Option<Route>,
    /// The query parameters the facade may send (wire names).
    pub query: &'static [&'static str],
    /// Whether the facade sends a request body: JSON, or for a few account
    /// management operations a signed JWT (`application/jwt`).
    pub body: bool,
    /// What happens when the vendored spec lacks the endpoint.
    pub if_missing: IfMissing,
    /// Who the operation is for ([`Audience::Everyone`] unless declared).
    pub audience: Audience,
}

const fn new(name: &'static str, class: Class) -> Operation {
    Operation {
        name,
        class,
        web: None,
        gateway: None,
        query: &[],
        body: false,
        if_missing: IfMissing::Send,
        audience: Audience::Everyone,
    }
}

impl Operation {
    /// A read (retried after transient failures).
    pub const fn read(name: &'static str) -> Operation {
        new(name, Class::Read)
    }

    /// A write that does not affect orders.
    pub const fn write(name: &'static str) -> Operation {
        new(name, Class::Write)
    }

    /// An order write (sent exactly once).
    pub const fn order(name: &'static str) -> Operation {
        new(name, Class::Order)
    }

    /// The same endpoint on both variants.
    pub const fn both(self, method: Method, path: &'static str) -> Operation {
        self.web(method, path).gateway(method, path)
    }

    /// The Web API's endpoint.
    pub const fn web(mut self, method: Method, path: &'static str) -> Operation {
        self.web = Some(Route {
            method,
            path,
            documented: true,
        });
        self
    }

    /// The Gateway's endpoint.
    pub const fn gateway(mut self, method: Method, path: &'static str) -> Operation {
        self.gateway = Some(Route {
            method,
            path,
            documented: true,
        });
        self
    }

    /// The Gateway's endpoint, served although the Gateway's spec does not
    /// list it.
    pub const fn gateway_undocumented(mut self, method: Method, path: &'static str) -> Operation {
        self.gateway = Some(Route {
            method,
            path,
            documented: false,
        });
        self
    }

    /// The query parameters the facade may send.
    pub const fn query(mut self, names: &'static [&'static str]) -> Operation {
        self.query = names;
        self
    }

    /// The facade sends a request body (JSON, or a signed JWT).
    pub const fn body(mut self) -> Operation {
        self.body = true;
        self
    }

    /// Fail with `Unsupported` when the vendored spec lacks the endpoint.
    pub const fn unsupported_if_missing(mut self) -> Operation {
        self.if_missing = IfMissing::Unsupported;
        self
    }

    /// Declares who the operation is for (the default is
    /// [`Audience::Everyone`]).
    pub const fn audience(mut self, audience: Audience) -> Operation {
        self.audience = audience;
        self
    }

    /// The route for a variant (`"web"` or `"gateway"`).
    pub fn route(&self, variant: &str) -> Option<Route> {
        match variant {
            "web" => self.web,
            "gateway" => self.gateway,
            _ => None,
        }
    }
}
