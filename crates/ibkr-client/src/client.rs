//! The [`Client`]: one handle over either variant.
//!
//! With the feature `low-level` (off by default) it also hands out the
//! generated low-level clients of the `ibkr-api` crate, wired through the
//! facade's transport: `Client::web_api`, `Client::web_account_api` and
//! `Client::gateway_api` (the escape hatch). Without it the facade never
//! compiles generated code.

#![cfg_attr(not(all(feature = "web", feature = "gateway")), allow(unused))]

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::config::{Config, Target};
use crate::error::{Error, Result, Variant};
use crate::transport::cookies::CookieJar;
#[cfg(feature = "low-level")]
use crate::transport::hook::TransportHook;
use crate::transport::pacing::Pacer;
use crate::transport::{Transport, http};

/// A client for IBKR's Web API or Client Portal Gateway.
///
/// Cheap to clone: clones share the connection pool, the cookie store (the
/// Gateway's session) and the credentials.
///
/// ```no_run
/// # async fn f() -> ibkr_client::Result<()> {
/// use ibkr_client::{Client, Config};
///
/// let client = Client::new(Config::gateway().accept_self_signed_certificate())?;
/// let status = client.session().auth_status().await?;
/// println!("authenticated: {}", status.authenticated);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// What clones of a [`Client`] share (for weak references).
pub(crate) type Shared = Inner;

pub(crate) struct Inner {
    variant: Variant,
    /// Base of the trading/session paths (`…/v1/api`).
    api_base: String,
    transport: Arc<Transport>,
    /// The client's configuration, as given.
    config: Config,
    /// The generated clients of the escape hatch (feature `low-level`).
    #[cfg(feature = "low-level")]
    escape: EscapeHatch,
}

/// The generated low-level clients, sharing the facade's transport
/// (feature `low-level`).
#[cfg(feature = "low-level")]
enum EscapeHatch {
    #[cfg(feature = "web")]
    Web {
        api: ibkr_api::web::Client,
        account: ibkr_api::web::Client,
    },
    #[cfg(feature = "gateway")]
    Gateway { api: ibkr_api::gateway::Client },
}

#[cfg(feature = "low-level")]
impl EscapeHatch {
    /// The generated clients of `variant`, their requests sent by
    /// `transport` (`transport/hook.rs`). `None` for a variant this build
    /// leaves out.
    fn new(
        variant: Variant,
        base: &str,
        api_base: &str,
        transport: &Arc<Transport>,
    ) -> Option<EscapeHatch> {
        let http = transport.http.clone();
        let hooks = ibkr_api::Hooks::new(Arc::new(TransportHook {
            transport: transport.clone(),
        }));
        match variant {
            #[cfg(feature = "web")]
            Variant::Web => Some(EscapeHatch::Web {
                api: ibkr_api::web::Client::new_with_client(api_base, http.clone(), hooks.clone()),
                account: ibkr_api::web::Client::new_with_client(base, http, hooks),
            }),
            #[cfg(feature = "gateway")]
            Variant::Gateway => Some(EscapeHatch::Gateway {
                api: ibkr_api::gateway::Client::new_with_client(base, http, hooks),
            }),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}

impl Client {
    /// Builds a client. Fails with [`Error::InvalidArgument`] for a base URL
    /// that is not an `https` URL (plain `http` only to a loopback host),
    /// or for
    /// [`accept_self_signed_certificate`](Config::accept_self_signed_certificate)
    /// on the Web API. Nothing is sent.
    pub fn new(config: Config) -> Result<Client> {
        let variant = config.variant();
        let url = http::check_base_url(&config)?;
        let http = http::build(&config, &url)?;

        let base = config.base_url.clone();
        let auth = match &config.target {
            Target::Web(provider) => Some(provider.clone()),
            Target::Gateway => None,
        };
        let api_base = match variant {
            Variant::Web => format!("{base}/v1/api"),
            Variant::Gateway => base.clone(),
        };
        let api_prefix = reqwest::Url::parse(&api_base)
            .map(|u| u.path().to_string())
            .unwrap_or_default();
        let transport = Arc::new(Transport::new(
            http,
            CookieJar::new(&url),
            auth,
            config.pacing.build(variant),
            config.retry,
            config.timeout,
            api_prefix,
        ));
        // A variant this build leaves out (feature `web` or `gateway`).
        let built = match variant {
            Variant::Web => cfg!(feature = "web"),
            Variant::Gateway => cfg!(feature = "gateway"),
        };
        let unsupported = || Error::Unsupported {
            operation: "Client::new",
            variant,
        };
        if !built {
            return Err(unsupported());
        }
        #[cfg(feature = "low-level")]
        let escape =
            EscapeHatch::new(variant, &base, &api_base, &transport).ok_or_else(unsupported)?;
        // Bound only once nothing can fail any more.
        if let Some(provider) = &transport.auth {
            provider.bind(&transport.http, &url);
        }
        Ok(Client {
            inner: Arc::new(Inner {
                variant,
                api_base,
                transport,
                config,
                #[cfg(feature = "low-level")]
                escape,
            }),
        })
    }

    /// A weak reference to this client's shared state.
    pub(crate) fn downgrade(&self) -> std::sync::Weak<Shared> {
        Arc::downgrade(&self.inner)
    }

    /// The client behind a weak reference, if a clone is still alive.
    pub(crate) fn from_shared(weak: &std::sync::Weak<Shared>) -> Option<Client> {
        weak.upgrade().map(|inner| Client { inner })
    }

    /// The request path.
    pub(crate) fn transport(&self) -> &Transport {
        &self.inner.transport
    }

    /// The cookie jar every request shares (the Gateway's session cookie,
    /// IBKR's load-balancer cookies).
    pub(crate) fn cookies(&self) -> &CookieJar {
        &self.inner.transport.cookies
    }

    /// The configuration the client was built from (TLS opt-in, base URL,
    /// timeout, credentials), for the stream.
    pub(crate) fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Which variant this client talks to.
    pub fn variant(&self) -> Variant {
        self.inner.variant
    }

    /// The base URL of the trading and session paths (`…/v1/api`).
    pub fn api_base_url(&self) -> &str {
        &self.inner.api_base
    }

    /// The base URL a facade route's `path` goes under: on the Web API, the
    /// host for the account management paths (`/gw/api/v1/...`), which
    /// live outside `/v1/api`; [`Client::api_base_url`] otherwise.
    pub(crate) fn base_url_for(&self, path: &str) -> &str {
        let api_base = self.inner.api_base.as_str();
        match self.inner.variant {
            Variant::Web if path.starts_with("/gw/") => {
                api_base.strip_suffix("/v1/api").unwrap_or(api_base)
            }
            _ => api_base,
        }
    }

    /// The configured request timeout.
    pub fn timeout(&self) -> Duration {
        self.inner.transport.timeout
    }

    /// The pacer every request of this client (and of its clones) waits
    /// for: inspect its table, or see whether an endpoint is paused after
    /// a 429.
    pub fn pacer(&self) -> &Pacer {
        &self.inner.transport.pacer
    }

    /// The HTTP client all requests go through (TLS settings, timeout,
    /// redirect policy). Requests sent directly through it are not
    /// authenticated by the Web API's [`AuthProvider`](crate::AuthProvider),
    /// and carry none of the cookies the facade keeps for its host (the
    /// facade's request path keeps them, not this client).
    pub fn http_client(&self) -> &reqwest::Client {
        &self.inner.transport.http
    }

    /// Whether the facade operation named `operation` (`"Session::reauthenticate"`)
    /// is served on this client's variant: it has a route there, and the
    /// vendored spec still lists it or the facade sends it anyway.
    pub fn supports(&self, operation: &str) -> bool {
        ibkr_ops::find(operation).is_some_and(|op| self.op(op).is_ok())
    }

    /// Escape hatch: the generated Web API client for `/v1/api` paths
    /// (trading, session, portfolio, market data), paced, authenticated and
    /// retried like the facade. `None` on the Gateway.
    ///
    /// Needs the features `low-level` (off by default) and `web`.
    #[cfg(all(feature = "low-level", feature = "web"))]
    pub fn web_api(&self) -> Option<&ibkr_api::web::Client> {
        match &self.inner.escape {
            EscapeHatch::Web { api, .. } => Some(api),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    /// Escape hatch: the generated Web API client whose base is the host,
    /// for the `/gw/api/v1/...` (account management, reporting, SSO
    /// sessions) and `/oauth2/api/v1/...` paths. `None` on the Gateway.
    ///
    /// Needs the features `low-level` (off by default) and `web`.
    #[cfg(all(feature = "low-level", feature = "web"))]
    pub fn web_account_api(&self) -> Option<&ibkr_api::web::Client> {
        match &self.inner.escape {
            EscapeHatch::Web { account, .. } => Some(account),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    /// Escape hatch: the generated Gateway client (sharing this client's
    /// cookie session and pacing). `None` on the Web API.
    ///
    /// Needs the features `low-level` (off by default) and `gateway`.
    #[cfg(all(feature = "low-level", feature = "gateway"))]
    pub fn gateway_api(&self) -> Option<&ibkr_api::gateway::Client> {
        match &self.inner.escape {
            EscapeHatch::Gateway { api } => Some(api),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("variant", &self.inner.variant)
            .field("api_base", &self.inner.api_base)
            .field("timeout", &self.inner.transport.timeout)
            .field("auth", &self.inner.transport.auth)
            .finish()
    }
}
