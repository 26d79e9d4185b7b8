//! OAuth 2.0 for the Web API (`private_key_jwt` client authentication), as
//! an [`AuthProvider`].
//!
//! [`OAuth2`] runs IBKR's two-step flow and keeps both tokens fresh:
//!
//! 1. **Access token**: `POST {host}/oauth2/api/v1/token`, form-encoded
//!    `grant_type=client_credentials`,
//!    `client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer`,
//!    `client_assertion=<JWT>` and `scope=sso-sessions.write`. The client
//!    assertion is a JWT signed RS256 with the client's private key, with
//!    the key id in its header (`kid`) and the claims `iss` = `sub` = client
//!    id, `aud` = `/token`, `exp` = now + 20 s, `iat` = now − 10 s.
//! 2. **SSO session**: `POST {host}/gw/api/v1/sso-sessions` with
//!    `Authorization: Bearer <access token>` and an `application/jwt` body:
//!    a JWT signed the same way carrying `ip` (the caller's public IP),
//!    `credential` (the IBKR username), `iss` (the client id), `iat` and
//!    `exp` = `iat` + the validity (at most 86400 s). The answer's token is
//!    the bearer token for `/v1/api`.
//!
//! Requests then carry `Authorization: Bearer <SSO token>`. Both tokens are
//! renewed shortly before they expire (`expires_in` of each answer). After
//! the first request the caller opens the brokerage session with
//! `POST /iserver/auth/ssodh/init` and validates it periodically with
//! `/sso/validate`.
//!
//! The notes this follows name the SSO request's `ip` and `credential` and
//! a validity; carrying the validity as `iat`/`exp` and the client id as
//! `iss` are the JWT conventions. The SSO answer's token is read from
//! `access_token` (or `token`), its lifetime from `expires_in`.
//!
//! # Where the token requests go
//!
//! Given to a [`Client`](crate::Client) (through
//! [`Config::web`](crate::Config::web)), the provider is bound to it
//! ([`AuthProvider::bind`]): both requests go to the client's configured
//! host (the sandbox included) through the client's HTTP client (its TLS
//! policy, no redirect to another host, no proxy from the environment
//! unless configured). Settings made on the provider itself win, by
//! choice: [`OAuth2Config::host`] sends both requests to that host even if
//! the client was configured with another one (a warning is logged when
//! the client binds the provider), and [`OAuth2::with_http_client`]
//! replaces the client's HTTP client, with its own redirect and proxy
//! policy. A provider used on its own (never given to a client) sends to
//! [`OAuth2Config::DEFAULT_HOST`] or its own host, through a client that
//! follows no redirect and uses no proxy.
//! A provider shared by several clients is bound by the first one; the
//! token requests keep going to that client's host (a later client with
//! another host logs a warning), since the cached token belongs to it.
//!
//! `Debug` output, errors and logs never contain a key, token or JWT.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use reqwest::Url;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use serde_json::{Value, json};

use crate::auth::rsa::RsaKey;
use crate::auth::{AuthProvider, BoxFuture};
use crate::error::Error;
use crate::oauth1::{KeySource, TokenRoute, transport_error};

const TOKEN_OPERATION: &str = "oauth2_token";
const SSO_OPERATION: &str = "sso_sessions";
const TOKEN_PATH: &str = "/oauth2/api/v1/token";
const SSO_PATH: &str = "/gw/api/v1/sso-sessions";
const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// The credentials and settings of an [`OAuth2`] provider.
#[derive(Clone)]
pub struct OAuth2Config {
    client_id: String,
    key_id: String,
    private_key: KeySource,
    credential: String,
    ip: String,
    scope: String,
    /// `None`: the bound client's host, else [`OAuth2Config::DEFAULT_HOST`].
    host: Option<String>,
    audience: String,
    session_validity: Duration,
    renew_before: Duration,
    timeout: Duration,
}

impl fmt::Debug for OAuth2Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth2Config")
            .field("client_id", &self.client_id)
            .field("key_id", &self.key_id)
            .field("private_key", &"<redacted>")
            .field("credential", &"<redacted>")
            .field("scope", &self.scope)
            .field("host", &self.host)
            .field("session_validity", &self.session_validity)
            .finish_non_exhaustive()
    }
}

impl OAuth2Config {
    /// The Web API's host.
    pub const DEFAULT_HOST: &str = "https://api.ibkr.com";
    /// The longest SSO session IBKR grants: 24 h.
    pub const MAX_SESSION_VALIDITY: Duration = Duration::from_secs(86_400);

    /// A client `client_id` whose private key has the id `key_id` (the
    /// JWT `kid`), the PEM private key (PKCS#8 or PKCS#1), the IBKR
    /// username (`credential`) and the caller's public IP address.
    pub fn new(
        client_id: impl Into<String>,
        key_id: impl Into<String>,
        private_key_pem: impl Into<String>,
        credential: impl Into<String>,
        ip: impl Into<String>,
    ) -> OAuth2Config {
        OAuth2Config {
            client_id: client_id.into(),
            key_id: key_id.into(),
            private_key: KeySource::Pem(private_key_pem.into()),
            credential: credential.into(),
            ip: ip.into(),
            scope: "sso-sessions.write".into(),
            host: None,
            audience: "/token".into(),
            session_validity: OAuth2Config::MAX_SESSION_VALIDITY,
            renew_before: Duration::from_secs(60),
            timeout: Duration::from_secs(30),
        }
    }

    /// Reads the private key from a PEM file instead.
    pub fn private_key_file(mut self, path: impl Into<PathBuf>) -> OAuth2Config {
        self.private_key = KeySource::File(path.into());
        self
    }

    /// The host of the token and SSO endpoints, e.g. `https://api.ibkr.com`
    /// or `https://qa.interactivebrokers.com` (the sandbox). `https`, or
    /// plain `http` to a loopback host only.
    ///
    /// Leave it unset to use the host of the [`Client`](crate::Client) the
    /// provider is given to, or [`OAuth2Config::DEFAULT_HOST`] for a
    /// provider used on its own. When set, it wins over the client's host:
    /// the token requests (which carry the signed client assertion and the
    /// access token) go here even if the client was configured with another
    /// host; a warning is logged when the client binds the provider.
    pub fn host(mut self, host: impl Into<String>) -> OAuth2Config {
        self.host = Some(host.into());
        self
    }

    /// The token scope (default `sso-sessions.write`).
    pub fn scope(mut self, scope: impl Into<String>) -> OAuth2Config {
        self.scope = scope.into();
        self
    }

    /// The client assertion's `aud` (default `/token`).
    pub fn audience(mut self, audience: impl Into<String>) -> OAuth2Config {
        self.audience = audience.into();
        self
    }

    /// The validity requested for the SSO session (default and maximum 24 h).
    pub fn session_validity(mut self, validity: Duration) -> OAuth2Config {
        self.session_validity = validity.min(OAuth2Config::MAX_SESSION_VALIDITY);
        self
    }

    /// How long before expiry a token is renewed (default 60 s).
    pub fn renew_before(mut self, margin: Duration) -> OAuth2Config {
        self.renew_before = margin;
        self
    }

    /// The timeout of each token request (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> OAuth2Config {
        self.timeout = timeout;
        self
    }
}

struct Token {
    value: String,
    expires_at: SystemTime,
}

#[derive(Default)]
struct Tokens {
    access: Option<Token>,
    bearer: Option<Token>,
}

/// The source of the current time.
type Now = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// An [`AuthProvider`] for OAuth 2.0 with `private_key_jwt`.
pub struct OAuth2 {
    client_id: String,
    key_id: String,
    key: RsaKey,
    credential: String,
    ip: String,
    scope: String,
    audience: String,
    route: TokenRoute,
    session_validity: Duration,
    renew_before: Duration,
    timeout: Duration,
    now: Now,
    tokens: tokio::sync::Mutex<Tokens>,
}

impl fmt::Debug for OAuth2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth2")
            .field("client_id", &self.client_id)
            .field("credentials", &"<redacted>")
            .field("token_url", &self.route.describe(TOKEN_PATH))
            .finish_non_exhaustive()
    }
}

impl OAuth2 {
    /// A provider for `config`; checks the key, sends nothing yet.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for a malformed key or host.
    pub fn new(config: OAuth2Config) -> Result<OAuth2, Error> {
        let key = config.private_key.load("OAuth 2.0 private key")?;
        let route = TokenRoute::new(
            "OAuth 2.0",
            config.host.as_deref(),
            OAuth2Config::DEFAULT_HOST,
            "",
            TOKEN_PATH,
        )?;
        Ok(OAuth2 {
            route,
            client_id: config.client_id,
            key_id: config.key_id,
            key,
            credential: config.credential,
            ip: config.ip,
            scope: config.scope,
            audience: config.audience,
            session_validity: config.session_validity,
            renew_before: config.renew_before,
            timeout: config.timeout,
            now: Arc::new(SystemTime::now),
            tokens: tokio::sync::Mutex::new(Tokens::default()),
        })
    }

    /// Replaces the clock (for tests).
    pub fn with_clock(mut self, now: impl Fn() -> SystemTime + Send + Sync + 'static) -> OAuth2 {
        self.now = Arc::new(now);
        self
    }

    /// Uses `http` for the token and SSO requests instead of the HTTP
    /// client of the [`Client`](crate::Client) the provider is given to
    /// (or, for a provider used on its own, a client that follows no
    /// redirect and uses no proxy). `http`'s own redirect, proxy and TLS
    /// policy then apply to the requests that carry the credentials.
    pub fn with_http_client(mut self, http: reqwest::Client) -> OAuth2 {
        self.route.explicit_http = Some(http);
        self
    }

    /// When the current SSO bearer token expires, if there is one.
    pub async fn session_expiration(&self) -> Option<SystemTime> {
        self.tokens
            .lock()
            .await
            .bearer
            .as_ref()
            .map(|t| t.expires_at)
    }

    /// Obtains a new SSO session (and access token, if needed) now.
    ///
    /// # Errors
    ///
    /// As [`AuthProvider::authorize`].
    pub async fn refresh(&self) -> Result<(), Error> {
        let mut tokens = self.tokens.lock().await;
        tokens.bearer = None;
        self.ensure_bearer(&mut tokens).await.map(drop)
    }

    fn fresh(&self, token: &Option<Token>) -> bool {
        let now = (self.now)();
        token
            .as_ref()
            .is_some_and(|t| now + self.renew_before < t.expires_at)
    }

    async fn bearer(&self) -> Result<String, Error> {
        let mut tokens = self.tokens.lock().await;
        self.ensure_bearer(&mut tokens).await
    }

    async fn ensure_bearer(&self, tokens: &mut Tokens) -> Result<String, Error> {
        if self.fresh(&tokens.bearer) {
            return Ok(tokens.bearer.as_ref().expect("fresh").value.clone());
        }
        let mut retried = false;
        loop {
            if !self.fresh(&tokens.access) {
                tokens.access = Some(self.request_access_token().await?);
            }
            let access = tokens.access.as_ref().expect("just set").value.clone();
            match self.request_sso_session(&access).await {
                Ok(bearer) => {
                    let value = bearer.value.clone();
                    tokens.bearer = Some(bearer);
                    return Ok(value);
                }
                // The access token may have been revoked early: once more
                // with a new one.
                Err(Error::NotAuthenticated(_)) if !retried => {
                    retried = true;
                    tokens.access = None;
                }
                Err(e) => return Err(e),
            }
        }
    }

    fn unix_now(&self) -> u64 {
        (self.now)()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs()
    }

    /// The client assertion: RS256, `kid`, iss = sub = client id.
    fn client_assertion(&self) -> Result<String, Error> {
        let now = self.unix_now();
        sign_jwt(
            &self.key,
            &self.key_id,
            &json!({
                "iss": self.client_id,
                "sub": self.client_id,
                "aud": self.audience,
                "exp": now + 20,
                "iat": now.saturating_sub(10),
            }),
        )
    }

    async fn request_access_token(&self) -> Result<Token, Error> {
        let assertion = self.client_assertion()?;
        let mut form = Url::parse("http://form.invalid/").expect("valid URL");
        form.query_pairs_mut()
            .append_pair("grant_type", "client_credentials")
            .append_pair("client_assertion_type", ASSERTION_TYPE)
            .append_pair("client_assertion", &assertion)
            .append_pair("scope", &self.scope);
        let body = form.query().unwrap_or("").to_string();
        let token_url = self.route.endpoint(TOKEN_PATH)?;
        tracing::debug!(url = %token_url, "requesting an OAuth 2.0 access token");
        let request = self
            .route
            .http()?
            .post(token_url)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body);
        let reply = self.send(TOKEN_OPERATION, request).await?;
        let token = read_token(TOKEN_OPERATION, &reply, self.now.as_ref(), None)?;
        tracing::debug!(expires_at = ?token.expires_at, "OAuth 2.0 access token obtained");
        Ok(token)
    }

    async fn request_sso_session(&self, access_token: &str) -> Result<Token, Error> {
        let now = self.unix_now();
        let jwt = sign_jwt(
            &self.key,
            &self.key_id,
            &json!({
                "ip": self.ip,
                "credential": self.credential,
                "iss": self.client_id,
                "iat": now,
                "exp": now + self.session_validity.as_secs(),
            }),
        )?;
        let mut authorization =
            HeaderValue::from_str(&format!("Bearer {access_token}")).map_err(|_| {
                Error::Decode {
                    operation: TOKEN_OPERATION,
                    message: "the access token holds characters not allowed in a header".into(),
                    body: String::new(),
                }
            })?;
        authorization.set_sensitive(true);
        let sso_url = self.route.endpoint(SSO_PATH)?;
        tracing::debug!(url = %sso_url, "requesting an SSO session");
        let request = self
            .route
            .http()?
            .post(sso_url)
            .header(AUTHORIZATION, authorization)
            .header(CONTENT_TYPE, "application/jwt")
            .body(jwt);
        let reply = self.send(SSO_OPERATION, request).await?;
        let token = read_token(
            SSO_OPERATION,
            &reply,
            self.now.as_ref(),
            Some(self.session_validity),
        )?;
        tracing::debug!(expires_at = ?token.expires_at, "SSO session obtained");
        Ok(token)
    }

    /// Sends a token request; returns the JSON answer.
    async fn send(
        &self,
        operation: &'static str,
        request: reqwest::RequestBuilder,
    ) -> Result<Value, Error> {
        let transport = |e: reqwest::Error| transport_error(operation, e, self.timeout);
        let response = request
            .timeout(self.timeout)
            .send()
            .await
            .map_err(transport)?;
        let status = response.status();
        let text = response.text().await.map_err(transport)?;
        if !status.is_success() {
            // OAuth error answers ({"error": ..., "error_description": ...})
            // hold no secret; anything else is cut short.
            let body: String = text.chars().take(500).collect();
            return Err(
                if status == 401 || (status == 400 && body.contains("invalid_client")) {
                    Error::NotAuthenticated(format!("{operation} rejected (HTTP {status}): {body}"))
                } else {
                    Error::Http {
                        operation,
                        status: status.as_u16(),
                        body,
                    }
                },
            );
        }
        serde_json::from_str(&text).map_err(|e| Error::Decode {
            operation,
            message: e.to_string(),
            body: "<omitted: holds a token>".into(),
        })
    }
}

/// Reads `access_token` (or `token`) and `expires_in` from an answer.
fn read_token(
    operation: &'static str,
    reply: &Value,
    now: &(dyn Fn() -> SystemTime + Send + Sync),
    default_lifetime: Option<Duration>,
) -> Result<Token, Error> {
    let value = reply
        .get("access_token")
        .or_else(|| reply.get("token"))
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| Error::Decode {
            operation,
            message: "the answer has no access_token".into(),
            body: "<omitted>".into(),
        })?;
    let lifetime = reply
        .get("expires_in")
        .and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok()))
        .map(Duration::from_secs)
        .or(default_lifetime)
        .unwrap_or(Duration::from_secs(600));
    Ok(Token {
        value: value.to_string(),
        expires_at: now() + lifetime,
    })
}

/// A compact JWS, RS256, with `kid` in the header.
fn sign_jwt(key: &RsaKey, kid: &str, claims: &Value) -> Result<String, Error> {
    let header = json!({ "alg": "RS256", "typ": "JWT", "kid": kid });
    let input = format!(
        "{}.{}",
        B64URL.encode(header.to_string()),
        B64URL.encode(claims.to_string())
    );
    let signature = key.sign_sha256(input.as_bytes())?;
    Ok(format!("{input}.{}", B64URL.encode(signature)))
}

impl AuthProvider for OAuth2 {
    fn authorize<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
    ) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            let bearer = self.bearer().await?;
            let mut value =
                HeaderValue::from_str(&format!("Bearer {bearer}")).map_err(|_| Error::Decode {
                    operation: SSO_OPERATION,
                    message: "the SSO token holds characters not allowed in a header".into(),
                    body: String::new(),
                })?;
            value.set_sensitive(true);
            request.headers_mut().insert(AUTHORIZATION, value);
            Ok(())
        })
    }

    fn invalidate(&self) -> BoxFuture<'_, bool> {
        Box::pin(async move {
            tracing::debug!("HTTP 401: dropping the SSO session and access token");
            let mut tokens = self.tokens.lock().await;
            tokens.bearer = None;
            tokens.access = None;
            true
        })
    }

    /// Sends the token and SSO requests to the client's host through the
    /// client's HTTP client, unless [`OAuth2Config::host`] or
    /// [`OAuth2::with_http_client`] chose otherwise.
    fn bind(&self, http: &reqwest::Client, base_url: &Url) {
        self.route.bind(http, base_url);
    }
}
