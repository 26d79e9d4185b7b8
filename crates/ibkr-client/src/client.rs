//! The [`Client`]: one handle over either variant.

#![cfg_attr(not(all(feature = "web", feature = "gateway")), allow(unused))]

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use crate::call::{self, ErrorBody, Outcome};
use crate::config::{Config, Target};
use crate::error::{Error, Result, Variant};
use crate::pacing::Pacer;
use crate::transport::{Transport, TransportHook, order_safe};

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
    backend: BackendInner,
    /// Base of the trading/session paths (`…/v1/api`).
    api_base: String,
    timeout: Duration,
    transport: Arc<Transport>,
}

enum BackendInner {
    #[cfg(feature = "web")]
    Web {
        api: ibkr_api::web::Client,
        account: ibkr_api::web::Client,
    },
    #[cfg(feature = "gateway")]
    Gateway { api: ibkr_api::gateway::Client },
}

/// Borrowed generated clients, for the facade's area handles.
pub(crate) enum Backend<'a> {
    /// The Web API: `api` for `/v1/api` paths, `account` for `/gw/api/v1`
    /// and `/oauth2` paths.
    #[cfg(feature = "web")]
    Web {
        api: &'a ibkr_api::web::Client,
        #[allow(dead_code)]
        account: &'a ibkr_api::web::Client,
    },
    /// The Gateway.
    #[cfg(feature = "gateway")]
    Gateway(&'a ibkr_api::gateway::Client),
}

impl Client {
    /// Builds a client. Fails with [`Error::InvalidArgument`] for a base URL
    /// that is not an `http`/`https` URL, or for
    /// [`accept_self_signed_certificate`](Config::accept_self_signed_certificate)
    /// on the Web API. Nothing is sent.
    pub fn new(config: Config) -> Result<Client> {
        let variant = config.variant();
        let url = reqwest::Url::parse(&config.base_url).map_err(|e| {
            Error::InvalidArgument(format!("invalid base URL {:?}: {e}", config.base_url))
        })?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(Error::InvalidArgument(format!(
                "base URL {:?} must be an http or https URL with a host",
                config.base_url
            )));
        }
        if config.accept_self_signed && variant == Variant::Web {
            return Err(Error::InvalidArgument(
                "accept_self_signed_certificate is only for the Gateway".into(),
            ));
        }

        let origin = (
            url.scheme().to_string(),
            url.host_str().unwrap_or_default().to_string(),
            url.port_or_known_default(),
        );
        let redirect = reqwest::redirect::Policy::custom(move |attempt| {
            let next = attempt.url();
            let same = next.scheme() == origin.0
                && next.host_str() == Some(origin.1.as_str())
                && next.port_or_known_default() == origin.2;
            if !same {
                attempt.error("redirect to another host refused")
            } else if attempt.previous().len() >= 10 {
                attempt.error("too many redirects")
            } else {
                attempt.follow()
            }
        });
        let mut builder = reqwest::Client::builder()
            .cookie_store(true)
            .timeout(config.timeout)
            .redirect(redirect)
            .user_agent(
                config
                    .user_agent
                    .clone()
                    .unwrap_or_else(|| concat!("ibkr-client/", env!("CARGO_PKG_VERSION")).into()),
            );
        if config.accept_self_signed {
            builder = builder.no_proxy();
            #[cfg(feature = "rustls")]
            {
                builder = builder.tls_danger_accept_invalid_certs(true);
            }
        }
        let http = builder
            .build()
            .map_err(|e| Error::Transport(format!("cannot build the HTTP client: {e}")))?;

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
            http.clone(),
            auth.clone(),
            config.pacing.build(variant),
            config.retry,
            api_prefix,
        ));
        let hooks = ibkr_api::Hooks::new(Arc::new(TransportHook {
            transport: transport.clone(),
        }));
        let backend = match config.target {
            #[cfg(feature = "web")]
            Target::Web(_) => {
                let api =
                    ibkr_api::web::Client::new_with_client(&api_base, http.clone(), hooks.clone());
                let account = ibkr_api::web::Client::new_with_client(&base, http.clone(), hooks);
                BackendInner::Web { api, account }
            }
            #[cfg(feature = "gateway")]
            Target::Gateway => {
                let api = ibkr_api::gateway::Client::new_with_client(&base, http.clone(), hooks);
                BackendInner::Gateway { api }
            }
            #[allow(unreachable_patterns)]
            _ => {
                return Err(Error::Unsupported {
                    operation: "Client::new",
                    variant,
                });
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                variant,
                backend,
                api_base,
                timeout: config.timeout,
                transport,
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

    /// Which variant this client talks to.
    pub fn variant(&self) -> Variant {
        self.inner.variant
    }

    /// The base URL of the trading and session paths (`…/v1/api`).
    pub fn api_base_url(&self) -> &str {
        &self.inner.api_base
    }

    /// The configured request timeout.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// The pacer every request of this client (and of its clones) waits
    /// for: inspect its table, or see whether an endpoint is paused after
    /// a 429.
    pub fn pacer(&self) -> &Pacer {
        &self.inner.transport.pacer
    }

    /// The HTTP client all requests go through (shared cookie store, TLS
    /// settings, timeout, redirect policy). Requests sent directly through it
    /// are not authenticated by the Web API's [`AuthProvider`](crate::AuthProvider).
    pub fn http_client(&self) -> &reqwest::Client {
        &self.inner.transport.http
    }

    /// Escape hatch: the generated Web API client for `/v1/api` paths
    /// (trading, session, portfolio, market data), authenticated like the
    /// facade. `None` on the Gateway.
    #[cfg(feature = "web")]
    pub fn web_api(&self) -> Option<&ibkr_api::web::Client> {
        match &self.inner.backend {
            BackendInner::Web { api, .. } => Some(api),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    /// Escape hatch: the generated Web API client whose base is the host,
    /// for the `/gw/api/v1/...` (account management, reporting, SSO
    /// sessions) and `/oauth2/api/v1/...` paths. `None` on the Gateway.
    #[cfg(feature = "web")]
    pub fn web_account_api(&self) -> Option<&ibkr_api::web::Client> {
        match &self.inner.backend {
            BackendInner::Web { account, .. } => Some(account),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    /// Escape hatch: the generated Gateway client (sharing this client's
    /// cookie session). `None` on the Web API.
    #[cfg(feature = "gateway")]
    pub fn gateway_api(&self) -> Option<&ibkr_api::gateway::Client> {
        match &self.inner.backend {
            BackendInner::Gateway { api } => Some(api),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    /// The generated clients, for area handles.
    pub(crate) fn backend(&self) -> Backend<'_> {
        match &self.inner.backend {
            #[cfg(feature = "web")]
            BackendInner::Web { api, account } => Backend::Web { api, account },
            #[cfg(feature = "gateway")]
            BackendInner::Gateway { api } => Backend::Gateway(api),
        }
    }

    /// Runs a generated call with the facade's error mapping.
    pub(crate) async fn call<T, E, Fut>(
        &self,
        operation: &'static str,
        fut: Fut,
    ) -> Result<Outcome<T>>
    where
        E: ErrorBody,
        Fut: Future<Output = std::result::Result<ibkr_api::ResponseValue<T>, ibkr_api::Error<E>>>,
    {
        call::run(operation, self.inner.timeout, fut).await
    }

    /// The error for an operation this variant does not serve.
    pub(crate) fn unsupported(&self, operation: &'static str) -> Error {
        Error::Unsupported {
            operation,
            variant: self.inner.variant,
        }
    }

    /// Sends a request the generated client cannot express (for example an
    /// endpoint missing from one variant's spec), to `path` under the
    /// trading base (`…/v1/api`), with the facade's authentication and error
    /// mapping. The outcome is never [`Outcome::Typed`].
    pub(crate) async fn raw<T>(
        &self,
        operation: &'static str,
        method: reqwest::Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<Outcome<T>> {
        let url = format!("{}{}", self.inner.api_base, path);
        let mut builder = self
            .inner
            .transport
            .http
            .request(method.clone(), url)
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(body) = body {
            builder = builder.json(body);
        }
        let mut request = builder
            .build()
            .map_err(|e| Error::InvalidArgument(format!("cannot build {operation}: {e}")))?;
        let transport = &self.inner.transport;
        let permit = transport.admit(&mut request).await?;
        let timeout = self.inner.timeout;
        let unknown = |e: Error| order_safe(&method, path, operation, e);
        let response = transport
            .send(operation, request, permit)
            .await
            .map_err(|e| unknown(call::transport_error(operation, timeout, &e)))?;
        call::read_response(operation, timeout, response)
            .await
            .map_err(unknown)
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("variant", &self.inner.variant)
            .field("api_base", &self.inner.api_base)
            .field("timeout", &self.inner.timeout)
            .field("auth", &self.inner.transport.auth)
            .finish()
    }
}
