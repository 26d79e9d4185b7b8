//! Connection settings: which variant, where, and how.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::auth::AuthProvider;
use crate::error::Variant;
use crate::transport::pacing::{Pacer, PacingTable};
use crate::transport::retry::RetryPolicy;

/// The Gateway's default base URL (the local Client Portal Gateway).
pub const DEFAULT_GATEWAY_URL: &str = "https://localhost:5000/v1/api";
/// The Web API's default host.
pub const DEFAULT_WEB_HOST: &str = "https://api.ibkr.com";
/// The Web API's sandbox host.
pub const SANDBOX_WEB_HOST: &str = "https://qa.interactivebrokers.com";
/// The default request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Clone)]
pub(crate) enum Target {
    Gateway,
    Web(Arc<dyn AuthProvider>),
}

/// How to reach IBKR. Build one with [`Config::gateway`] or [`Config::web`],
/// adjust it with the builder methods, then pass it to
/// [`Client::new`](crate::Client::new).
///
/// ```
/// use std::time::Duration;
/// use ibkr_client::{BearerToken, Config};
///
/// let gateway = Config::gateway()
///     .base_url("https://localhost:5000/v1/api")
///     .accept_self_signed_certificate()
///     .timeout(Duration::from_secs(10));
/// let web = Config::web(BearerToken::new("token from your SSO flow"));
/// # let _ = (gateway, web);
/// ```
#[derive(Clone)]
pub struct Config {
    pub(crate) target: Target,
    pub(crate) base_url: String,
    pub(crate) timeout: Duration,
    pub(crate) accept_self_signed: bool,
    pub(crate) env_proxy: bool,
    pub(crate) user_agent: Option<String>,
    pub(crate) pacing: Pacing,
    pub(crate) retry: RetryPolicy,
}

/// Where a client's pacer comes from.
#[derive(Clone)]
pub(crate) enum Pacing {
    /// A new pacer for the variant's documented limits, or for a table.
    Table {
        table: Option<PacingTable>,
        max_wait: Duration,
    },
    /// A pacer shared with other clients.
    Shared(Arc<Pacer>),
}

impl Pacing {
    /// The pacer a new client of `variant` uses.
    pub(crate) fn build(&self, variant: Variant) -> Arc<Pacer> {
        match self {
            Pacing::Table { table, max_wait } => Arc::new(
                Pacer::new(
                    table
                        .clone()
                        .unwrap_or_else(|| PacingTable::for_variant(variant)),
                )
                .with_max_wait(*max_wait),
            ),
            Pacing::Shared(pacer) => pacer.clone(),
        }
    }
}

impl Default for Pacing {
    fn default() -> Self {
        Pacing::Table {
            table: None,
            max_wait: Pacer::DEFAULT_MAX_WAIT,
        }
    }
}

impl Config {
    /// The Client Portal Gateway at [`DEFAULT_GATEWAY_URL`].
    ///
    /// The gateway keeps its session in a cookie set after you log in through
    /// its web page; the client stores and resends cookies. TLS certificates
    /// are verified unless you opt in to
    /// [`accept_self_signed_certificate`](Config::accept_self_signed_certificate).
    pub fn gateway() -> Self {
        Config {
            target: Target::Gateway,
            base_url: DEFAULT_GATEWAY_URL.into(),
            timeout: DEFAULT_TIMEOUT,
            accept_self_signed: false,
            env_proxy: false,
            user_agent: None,
            pacing: Pacing::default(),
            retry: RetryPolicy::default(),
        }
    }

    /// The Web API at [`DEFAULT_WEB_HOST`], authenticating every request with
    /// `auth` (for example a [`BearerToken`](crate::BearerToken)).
    pub fn web(auth: impl AuthProvider) -> Self {
        Self::web_with(Arc::new(auth))
    }

    /// Like [`Config::web`] with a shared provider.
    pub fn web_with(auth: Arc<dyn AuthProvider>) -> Self {
        Config {
            target: Target::Web(auth),
            base_url: DEFAULT_WEB_HOST.into(),
            timeout: DEFAULT_TIMEOUT,
            accept_self_signed: false,
            env_proxy: false,
            user_agent: None,
            pacing: Pacing::default(),
            retry: RetryPolicy::default(),
        }
    }

    /// Sets where requests go.
    ///
    /// - Gateway: the full base including the API prefix, e.g.
    ///   `https://localhost:5000/v1/api`.
    /// - Web API: the host only, e.g. `https://api.ibkr.com` or
    ///   [`SANDBOX_WEB_HOST`]. Trading, session, portfolio and market data
    ///   paths go to `{host}/v1/api`; account management (`/gw/api/v1/...`)
    ///   and OAuth 2.0 (`/oauth2/api/v1/...`) paths go to `{host}`.
    ///
    /// A trailing `/` is ignored.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        let url: String = url.into();
        self.base_url = url.trim_end_matches('/').to_string();
        self
    }

    /// Sets the timeout of each request (default 15 s). A call that takes
    /// longer fails with [`Error::Timeout`](crate::Error::Timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Replaces the pacing limits (default: IBKR's documented limits for the
    /// variant, [`PacingTable::for_variant`]). Requests wait for their slot
    /// before they are sent; the request timeout starts after the wait.
    /// [`PacingTable::unlimited`] turns pacing off.
    ///
    /// ```
    /// use std::time::Duration;
    /// use ibkr_client::Config;
    /// use ibkr_client::pacing::{Limit, PacingTable, Rate};
    ///
    /// // Snapshots at 5/s instead of 10/s, the rest as documented.
    /// let table = PacingTable::gateway()
    ///     .with_rule("/iserver/marketdata/snapshot", Limit::Rate(Rate::per_second(5)));
    /// let config = Config::gateway().pacing(table).max_pacing_wait(Duration::from_secs(5));
    /// # let _ = config;
    /// ```
    pub fn pacing(mut self, table: PacingTable) -> Self {
        let max_wait = match self.pacing {
            Pacing::Table { max_wait, .. } => max_wait,
            Pacing::Shared(ref pacer) => pacer.max_wait(),
        };
        self.pacing = Pacing::Table {
            table: Some(table),
            max_wait,
        };
        self
    }

    /// Sets the longest a call waits for its pacing slot (default 30 s);
    /// a call whose slot is further away fails at once with
    /// [`Error::RateLimited`](crate::Error::RateLimited). Ignored with
    /// [`Config::shared_pacer`].
    pub fn max_pacing_wait(mut self, max_wait: Duration) -> Self {
        if let Pacing::Table { table, .. } = self.pacing {
            self.pacing = Pacing::Table { table, max_wait };
        }
        self
    }

    /// Paces this client with a pacer shared with other clients: IBKR's
    /// limits apply per username, so clients of the same username should
    /// share one.
    pub fn shared_pacer(mut self, pacer: Arc<Pacer>) -> Self {
        self.pacing = Pacing::Shared(pacer);
        self
    }

    /// Sets how idempotent reads are retried after a connection error or
    /// HTTP 429, 502, 503 or 504 (default: 3 attempts, jittered backoff from
    /// 250 ms; [`RetryPolicy::none`] never retries). Writes and order
    /// requests are never retried, whatever the policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sends requests through the proxy named by the environment
    /// (`HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`). Off by default: a proxy
    /// picked up from the environment would see every request. Ignored
    /// with [`accept_self_signed_certificate`](Config::accept_self_signed_certificate).
    pub fn use_env_proxy(mut self) -> Self {
        self.env_proxy = true;
        self
    }

    /// Accepts the Gateway's self-signed TLS certificate (Gateway only; the
    /// Web API always has a valid certificate and
    /// [`Client::new`](crate::Client::new) refuses this setting for it).
    ///
    /// Certificate verification is relaxed for the configured host name
    /// only: every other host is verified normally (also through
    /// [`Client::http_client`](crate::Client::http_client)), and the
    /// handshake signatures are always checked. The client only ever sends
    /// requests to the configured base URL, refuses redirects to any other
    /// host or port, and ignores proxy settings from the environment. The
    /// check sees the host name, not the port: another port on the same
    /// host would be accepted too. Use it only for a gateway you run
    /// yourself, on `localhost` or a network you trust.
    pub fn accept_self_signed_certificate(mut self) -> Self {
        self.accept_self_signed = true;
        self
    }

    /// The variant this configuration talks to.
    pub fn variant(&self) -> Variant {
        match self.target {
            Target::Gateway => Variant::Gateway,
            Target::Web(_) => Variant::Web,
        }
    }

    /// The configured base URL (Gateway) or host (Web API).
    pub fn url(&self) -> &str {
        &self.base_url
    }

    /// The configured request timeout.
    pub fn request_timeout(&self) -> Duration {
        self.timeout
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Config");
        d.field("variant", &self.variant());
        if let Target::Web(auth) = &self.target {
            // Providers redact their own secrets in Debug.
            d.field("auth", auth);
        }
        d.field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("accept_self_signed", &self.accept_self_signed)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}
