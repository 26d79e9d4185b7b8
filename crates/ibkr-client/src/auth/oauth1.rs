//! OAuth 1.0a for the Web API (IBKR's first-party "Self Service" flow), as
//! an [`AuthProvider`].
//!
//! [`OAuth1`] obtains a live session token (LST) from
//! `POST /oauth/live_session_token` with a Diffie-Hellman exchange and an
//! RSA-SHA256 signature, then signs every request with HMAC-SHA256 keyed by
//! the LST, and renews the LST before it expires:
//!
//! 1. **Prepend**: the access token secret is base64-decoded and decrypted
//!    with the consumer's private encryption key (RSA PKCS#1 v1.5); its hex
//!    form is the "prepend".
//! 2. **DH challenge**: `A = g^a mod p` for a random 256-bit `a`, lowercase hex.
//! 3. **LST request**: OAuth parameters `oauth_consumer_key`, `oauth_nonce`,
//!    `oauth_signature_method=RSA-SHA256`, `oauth_timestamp`, `oauth_token`
//!    and `diffie_hellman_challenge`; the RFC 5849 signature base string
//!    with the prepend in front is signed RSA-SHA256 (PKCS#1 v1.5) with the
//!    signature key.
//! 4. **LST**: `K = B^a mod p` for IBKR's `diffie_hellman_response` `B`; K as
//!    big-endian bytes with a leading zero byte when its bit length is a
//!    multiple of 8 (Java's `BigInteger.toByteArray`);
//!    `LST = base64(HMAC-SHA1(K bytes, prepend bytes))`.
//! 5. **Validation**: `hex(HMAC-SHA1(LST, consumer key))` must equal
//!    `live_session_token_signature`.
//! 6. **Requests**: the same OAuth parameters without the challenge,
//!    `oauth_signature_method=HMAC-SHA256`, signed with
//!    `HMAC-SHA256(LST, base string)`; query parameters are part of the base
//!    string. The header is `Authorization: OAuth realm="...", k="v", ...`
//!    with the keys sorted.
//!
//! After the first request the caller opens the brokerage session with
//! `POST /iserver/auth/ssodh/init`, as with any other credentials.
//!
//! # Where the LST request goes
//!
//! Given to a [`Client`](crate::Client) (through
//! [`Config::web`](crate::Config::web)), the provider is bound to it
//! ([`AuthProvider::bind`]): the LST request goes to
//! `{host}/v1/api/oauth/live_session_token` on the client's configured host
//! (the sandbox included), through the client's HTTP client (its TLS
//! policy, no redirect to another host, no proxy from the environment
//! unless configured). Settings made on the provider itself win, by
//! choice: [`OAuth1Config::base_url`] sends the LST request to that base
//! even if the client was configured with another host (a warning is
//! logged when the client binds the provider), and
//! [`OAuth1::with_http_client`] replaces the client's HTTP client, with its
//! own redirect and proxy policy. A provider used on its own (never given
//! to a client) sends to [`OAuth1Config::DEFAULT_BASE_URL`] or its own
//! base, through a client that follows no redirect and uses no proxy.
//! A provider shared by several clients is bound by the first one; the
//! token requests keep going to that client's host (a later client with
//! another host logs a warning), since the cached token belongs to it.
//!
//! The building blocks are public in [`primitives`], for tests and for
//! debugging an integration. Nonces, timestamps and the DH secret come from
//! an [`OAuth1Entropy`], replaceable for deterministic tests.
//!
//! # Secrets
//!
//! `Debug` output redacts every credential; errors and logs never contain a
//! key, token, LST or signature. A wrong encryption key or secret fails
//! at [`OAuth1::new`]: the secret does not decrypt to a well-formed
//! PKCS#1 v1.5 block (explicit rejection). With odds of about 2^-16, a
//! wrong one still does, and then shows as a failed LST validation.

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use num_bigint::BigUint;
use reqwest::Url;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use ring::hmac;

use crate::auth::der::{INTEGER, SEQUENCE, element};
use crate::auth::rsa::{self, RsaKey};
use crate::auth::{AuthProvider, BoxFuture};
use crate::decode::LenientDeserialize;
use crate::error::Error;

const LST_OPERATION: &str = "live_session_token";
/// The LST endpoint, below the API base (`…/v1/api`).
const LST_PATH: &str = "/oauth/live_session_token";

/// Time and randomness for the OAuth 1.0a flow; replace it in tests.
pub trait OAuth1Entropy: Send + Sync + 'static {
    /// The current time (timestamps and LST expiry).
    fn now(&self) -> SystemTime;
    /// A fresh nonce (IBKR accepts 16 alphanumeric characters).
    fn nonce(&self) -> String;
    /// The 256-bit Diffie-Hellman secret `a`, big-endian.
    fn dh_random(&self) -> [u8; 32];
}

/// The system clock and a cryptographically secure random generator.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemEntropy;

impl OAuth1Entropy for SystemEntropy {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn nonce(&self) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        (0..16)
            .map(|_| ALPHABET[rand::random_range(0..ALPHABET.len())] as char)
            .collect()
    }

    fn dh_random(&self) -> [u8; 32] {
        rand::random()
    }
}

/// Where a PEM-encoded RSA private key comes from.
#[derive(Clone)]
pub(crate) enum KeySource {
    Pem(String),
    File(PathBuf),
}

impl KeySource {
    /// The signing key.
    pub(crate) fn load(&self, what: &str) -> Result<RsaKey, Error> {
        RsaKey::from_pem(&self.pem(what)?, what)
    }

    /// The PEM text.
    pub(crate) fn pem(&self, what: &str) -> Result<String, Error> {
        Ok(match self {
            KeySource::Pem(pem) => pem.clone(),
            KeySource::File(path) => std::fs::read_to_string(path).map_err(|e| {
                Error::InvalidArgument(format!(
                    "cannot read the {what} from {}: {e}",
                    path.display()
                ))
            })?,
        })
    }
}

/// The credentials and settings of an [`OAuth1`] provider.
#[derive(Clone)]
pub struct OAuth1Config {
    consumer_key: String,
    access_token: String,
    access_token_secret: String,
    signature_key: Option<KeySource>,
    encryption_key: Option<KeySource>,
    dh_prime: Option<String>,
    dh_generator: u32,
    realm: Option<String>,
    /// `None`: the bound client's host, else [`OAuth1Config::DEFAULT_BASE_URL`].
    base_url: Option<String>,
    renew_before: Duration,
    timeout: Duration,
}

impl fmt::Debug for OAuth1Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth1Config")
            .field("consumer_key", &"<redacted>")
            .field("access_token", &"<redacted>")
            .field("access_token_secret", &"<redacted>")
            .field("signature_key", &"<redacted>")
            .field("encryption_key", &"<redacted>")
            .field("dh_generator", &self.dh_generator)
            .field("realm", &self.realm)
            .field("base_url", &self.base_url)
            .field("renew_before", &self.renew_before)
            .finish_non_exhaustive()
    }
}

impl OAuth1Config {
    /// The Web API's base URL.
    pub const DEFAULT_BASE_URL: &str = "https://api.ibkr.com/v1/api";

    /// Credentials from IBKR's Self Service portal: the consumer key, the
    /// access token and the access token secret (base64, as issued).
    /// Add the keys and the DH prime with the other methods.
    pub fn new(
        consumer_key: impl Into<String>,
        access_token: impl Into<String>,
        access_token_secret: impl Into<String>,
    ) -> OAuth1Config {
        OAuth1Config {
            consumer_key: consumer_key.into(),
            access_token: access_token.into(),
            access_token_secret: access_token_secret.into(),
            signature_key: None,
            encryption_key: None,
            dh_prime: None,
            dh_generator: 2,
            realm: None,
            base_url: None,
            renew_before: Duration::from_secs(10 * 60),
            timeout: Duration::from_secs(30),
        }
    }

    /// The private signature key, PEM (PKCS#8 or PKCS#1).
    pub fn signature_key_pem(mut self, pem: impl Into<String>) -> OAuth1Config {
        self.signature_key = Some(KeySource::Pem(pem.into()));
        self
    }

    /// The private signature key, from a PEM file.
    pub fn signature_key_file(mut self, path: impl Into<PathBuf>) -> OAuth1Config {
        self.signature_key = Some(KeySource::File(path.into()));
        self
    }

    /// The private encryption key, PEM (PKCS#8 or PKCS#1).
    pub fn encryption_key_pem(mut self, pem: impl Into<String>) -> OAuth1Config {
        self.encryption_key = Some(KeySource::Pem(pem.into()));
        self
    }

    /// The private encryption key, from a PEM file.
    pub fn encryption_key_file(mut self, path: impl Into<PathBuf>) -> OAuth1Config {
        self.encryption_key = Some(KeySource::File(path.into()));
        self
    }

    /// The Diffie-Hellman prime as hex (`openssl dhparam -in dhparam.pem
    /// -text` prints it; colons, whitespace and a `0x` prefix are ignored).
    pub fn dh_prime_hex(mut self, hex: impl Into<String>) -> OAuth1Config {
        self.dh_prime = Some(hex.into());
        self
    }

    /// The Diffie-Hellman prime and generator from the contents of a
    /// `dhparam.pem` file (`BEGIN DH PARAMETERS`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] if it is not a PEM DH parameters block.
    pub fn dh_param_pem(mut self, pem: &str) -> Result<OAuth1Config, Error> {
        let (prime, generator) = parse_dh_params(pem)?;
        self.dh_prime = Some(prime.to_str_radix(16));
        self.dh_generator = u32::try_from(generator).map_err(|_| {
            Error::InvalidArgument("the DH generator does not fit into 32 bits".into())
        })?;
        Ok(self)
    }

    /// The Diffie-Hellman generator (default 2).
    pub fn dh_generator(mut self, generator: u32) -> OAuth1Config {
        self.dh_generator = generator;
        self
    }

    /// The OAuth realm (default `limited_poa`, or `test_realm` for IBKR's
    /// test consumer key `TESTCONS`).
    pub fn realm(mut self, realm: impl Into<String>) -> OAuth1Config {
        self.realm = Some(realm.into());
        self
    }

    /// The API base URL, including `/v1/api`; the LST comes from
    /// `{base}/oauth/live_session_token`. `https`, or plain `http` to a
    /// loopback host only.
    ///
    /// Leave it unset to use the host of the [`Client`](crate::Client) the
    /// provider is given to (`{host}/v1/api`, the sandbox included), or
    /// [`OAuth1Config::DEFAULT_BASE_URL`] for a provider used on its own.
    /// When set, it wins over the client's host: the LST request (which
    /// carries the access token and its signature) goes here even if the
    /// client was configured with another host; a warning is logged when
    /// the client binds the provider.
    pub fn base_url(mut self, base_url: impl Into<String>) -> OAuth1Config {
        self.base_url = Some(base_url.into());
        self
    }

    /// How long before its expiry the LST is renewed (default 10 min).
    pub fn renew_before(mut self, margin: Duration) -> OAuth1Config {
        self.renew_before = margin;
        self
    }

    /// The timeout of the LST request (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> OAuth1Config {
        self.timeout = timeout;
        self
    }
}

/// The live session token and its expiry.
struct LiveSession {
    token: Vec<u8>,
    expires_at: SystemTime,
}

/// An [`AuthProvider`] signing Web API requests with OAuth 1.0a.
pub struct OAuth1 {
    consumer_key: String,
    access_token: String,
    prepend: Vec<u8>,
    signature_key: RsaKey,
    dh_prime: BigUint,
    dh_generator: BigUint,
    realm: String,
    route: TokenRoute,
    renew_before: Duration,
    timeout: Duration,
    entropy: Arc<dyn OAuth1Entropy>,
    session: tokio::sync::Mutex<Option<LiveSession>>,
}

impl fmt::Debug for OAuth1 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth1")
            .field("credentials", &"<redacted>")
            .field("realm", &self.realm)
            .field("lst_url", &self.route.describe(LST_PATH))
            .finish_non_exhaustive()
    }
}

impl OAuth1 {
    /// A provider for `config`. Decrypts the access token secret and checks
    /// the keys and the DH prime; nothing is sent yet.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] if a key, the secret or the prime is
    /// missing or malformed (the message never contains the material).
    pub fn new(config: OAuth1Config) -> Result<OAuth1, Error> {
        let missing = |what: &str| Error::InvalidArgument(format!("OAuth 1.0a needs the {what}"));
        let signature_key = config
            .signature_key
            .as_ref()
            .ok_or_else(|| missing("signature key"))?
            .load("signature key")?;
        let encryption_key = config
            .encryption_key
            .as_ref()
            .ok_or_else(|| missing("encryption key"))?
            .pem("encryption key")?;
        let prepend = decrypt_secret(&encryption_key, &config.access_token_secret)?;
        let prime = config
            .dh_prime
            .as_deref()
            .ok_or_else(|| missing("Diffie-Hellman prime"))?;
        let dh_prime = parse_hex_uint(prime, "Diffie-Hellman prime")?;
        if dh_prime.bits() < 256 {
            return Err(Error::InvalidArgument(
                "the Diffie-Hellman prime is too short".into(),
            ));
        }
        let route = TokenRoute::new(
            "OAuth 1.0a",
            config.base_url.as_deref(),
            OAuth1Config::DEFAULT_BASE_URL,
            "/v1/api",
            LST_PATH,
        )?;
        let realm = config.realm.clone().unwrap_or_else(|| {
            if config.consumer_key == "TESTCONS" {
                "test_realm".into()
            } else {
                "limited_poa".into()
            }
        });
        Ok(OAuth1 {
            consumer_key: config.consumer_key,
            access_token: config.access_token,
            prepend,
            signature_key,
            dh_prime,
            dh_generator: BigUint::from(config.dh_generator),
            realm,
            route,
            renew_before: config.renew_before,
            timeout: config.timeout,
            entropy: Arc::new(SystemEntropy),
            session: tokio::sync::Mutex::new(None),
        })
    }

    /// Replaces the source of time and randomness (for tests).
    pub fn with_entropy(mut self, entropy: impl OAuth1Entropy) -> OAuth1 {
        self.entropy = Arc::new(entropy);
        self
    }

    /// Uses `http` for the LST request instead of the HTTP client of the
    /// [`Client`](crate::Client) the provider is given to (or, for a
    /// provider used on its own, a client that follows no redirect and uses
    /// no proxy). `http`'s own redirect, proxy and TLS policy then apply to
    /// the request that carries the access token.
    pub fn with_http_client(mut self, http: reqwest::Client) -> OAuth1 {
        self.route.explicit_http = Some(http);
        self
    }

    /// When the current LST expires, if there is one.
    pub async fn live_session_token_expiration(&self) -> Option<SystemTime> {
        self.session.lock().await.as_ref().map(|s| s.expires_at)
    }

    /// Obtains a new LST now, replacing the current one.
    ///
    /// # Errors
    ///
    /// As [`AuthProvider::authorize`].
    pub async fn refresh(&self) -> Result<(), Error> {
        let mut session = self.session.lock().await;
        *session = Some(self.request_live_session_token().await?);
        Ok(())
    }

    /// The LST, obtaining or renewing it first when needed.
    async fn live_session_token(&self) -> Result<Vec<u8>, Error> {
        let mut session = self.session.lock().await;
        let now = self.entropy.now();
        let fresh = session
            .as_ref()
            .is_some_and(|s| now + self.renew_before < s.expires_at);
        if !fresh {
            if session.is_some() {
                tracing::debug!("live session token expires soon; renewing it");
            }
            *session = Some(self.request_live_session_token().await?);
        }
        Ok(session.as_ref().expect("just set").token.clone())
    }

    fn timestamp(&self) -> String {
        self.entropy
            .now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs()
            .to_string()
    }

    /// Steps 2 to 5: the DH exchange, the signed LST request, validation.
    async fn request_live_session_token(&self) -> Result<LiveSession, Error> {
        let a = BigUint::from_bytes_be(&self.entropy.dh_random());
        let challenge = self
            .dh_generator
            .modpow(&a, &self.dh_prime)
            .to_str_radix(16);
        let nonce = self.entropy.nonce();
        let timestamp = self.timestamp();
        let params = [
            ("diffie_hellman_challenge", challenge.as_str()),
            ("oauth_consumer_key", self.consumer_key.as_str()),
            ("oauth_nonce", nonce.as_str()),
            ("oauth_signature_method", "RSA-SHA256"),
            ("oauth_timestamp", timestamp.as_str()),
            ("oauth_token", self.access_token.as_str()),
        ];
        let lst_url = self.route.endpoint(LST_PATH)?;
        let base = format!(
            "{}{}",
            hex_encode(&self.prepend),
            base_string("POST", &lst_url, &params, &[])
        );
        let signature = rsa_sha256(&self.signature_key, &base)?;
        let mut header_params = params.to_vec();
        header_params.push(("oauth_signature", signature.as_str()));
        let header = header_value(&authorization_header(&self.realm, &header_params))?;

        tracing::debug!(url = %lst_url, "requesting a live session token");
        let response = self
            .route
            .http()?
            .post(lst_url)
            .header(AUTHORIZATION, header)
            .header(reqwest::header::CONTENT_LENGTH, "0")
            .timeout(self.timeout)
            .send()
            .await
            .map_err(|e| transport_error(LST_OPERATION, e, self.timeout))?;
        let status = response.status();
        let body = response
            .text()
            .await
            .map_err(|e| transport_error(LST_OPERATION, e, self.timeout))?;
        if !status.is_success() {
            let body: String = body.chars().take(500).collect();
            return Err(if status == reqwest::StatusCode::UNAUTHORIZED {
                Error::NotAuthenticated(format!(
                    "the live session token request was rejected (HTTP 401): {body}"
                ))
            } else {
                Error::Http {
                    operation: LST_OPERATION,
                    status: status.as_u16(),
                    body,
                }
            });
        }
        let decode_error = |message: &str| Error::Decode {
            operation: LST_OPERATION,
            message: message.to_string(),
            body: "<omitted: holds key material>".into(),
        };
        let reply: LstResponse =
            serde_json::from_str(&body).map_err(|e| decode_error(&e.to_string()))?;
        let server_public = parse_hex_uint(&reply.diffie_hellman_response, "DH response")
            .map_err(|_| decode_error("diffie_hellman_response is not hex"))?;
        let token = derive_lst(&server_public, &a, &self.dh_prime, &self.prepend)
            .ok_or_else(|| decode_error("diffie_hellman_response is out of range"))?;
        let expected = hex_decode(&reply.live_session_token_signature)
            .ok_or_else(|| decode_error("live_session_token_signature is not hex"))?;
        let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, &token);
        if hmac::verify(&key, self.consumer_key.as_bytes(), &expected).is_err() {
            return Err(Error::NotAuthenticated(
                "the live session token failed validation: check the access token secret, \
                 the encryption key and the Diffie-Hellman prime"
                    .into(),
            ));
        }
        let expires_at = UNIX_EPOCH + Duration::from_millis(reply.live_session_token_expiration);
        tracing::debug!(?expires_at, "live session token obtained and validated");
        Ok(LiveSession { token, expires_at })
    }

    /// Step 6: signs `request` with the LST (HMAC-SHA256).
    fn sign_with(&self, lst: &[u8], request: &mut reqwest::Request) -> Result<(), Error> {
        let nonce = self.entropy.nonce();
        let timestamp = self.timestamp();
        let params = [
            ("oauth_consumer_key", self.consumer_key.as_str()),
            ("oauth_nonce", nonce.as_str()),
            ("oauth_signature_method", "HMAC-SHA256"),
            ("oauth_timestamp", timestamp.as_str()),
            ("oauth_token", self.access_token.as_str()),
        ];
        let form = form_params(request);
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let base = base_string(request.method().as_str(), request.url(), &params, &form);
        let signature = hmac_sha256(lst, &base);
        let mut header_params = params.to_vec();
        header_params.push(("oauth_signature", signature.as_str()));
        let value = header_value(&authorization_header(&self.realm, &header_params))?;
        tracing::trace!(method = %request.method(), path = request.url().path(), "request signed");
        request.headers_mut().insert(AUTHORIZATION, value);
        Ok(())
    }
}

impl AuthProvider for OAuth1 {
    fn authorize<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
    ) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            let lst = self.live_session_token().await?;
            self.sign_with(&lst, request)
        })
    }

    fn invalidate(&self) -> BoxFuture<'_, bool> {
        Box::pin(async move {
            tracing::debug!("HTTP 401: dropping the live session token");
            *self.session.lock().await = None;
            true
        })
    }

    /// Sends the LST request to the client's host through the client's HTTP
    /// client, unless [`OAuth1Config::base_url`] or
    /// [`OAuth1::with_http_client`] chose otherwise.
    fn bind(&self, http: &reqwest::Client, base_url: &Url) {
        self.route.bind(http, base_url);
    }

    /// The access token: the WebSocket stream's `oauth_token` (a secret).
    fn stream_token(&self) -> Option<String> {
        Some(self.access_token.clone())
    }
}

#[derive(LenientDeserialize)]
struct LstResponse {
    diffie_hellman_response: String,
    live_session_token_signature: String,
    live_session_token_expiration: u64,
}

/// Maps a reqwest error of a token request: the message and its sources
/// (a refused redirect shows as such), without the URL. Neither holds a
/// credential: those travel in headers and bodies.
pub(crate) fn transport_error(
    operation: &'static str,
    e: reqwest::Error,
    timeout: Duration,
) -> Error {
    if e.is_timeout() {
        return Error::Timeout {
            operation,
            after: timeout,
        };
    }
    let e = e.without_url();
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    Error::Transport(message)
}

/// Where a provider's own token requests go, and through which HTTP client.
///
/// In order of precedence: what the user set on the provider (its base,
/// its HTTP client); what [`AuthProvider::bind`] gave (the
/// [`Client`](crate::Client)'s host and hardened HTTP client); the
/// provider's default base and a fallback client that follows no redirect
/// and uses no proxy.
pub(crate) struct TokenRoute {
    /// For logs and errors: `OAuth 1.0a`, `OAuth 2.0`.
    provider: &'static str,
    /// The base set on the provider's config, checked, without a trailing `/`.
    explicit_base: Option<String>,
    default_base: &'static str,
    /// Appended to the bound client's base URL to give this provider's base.
    bound_suffix: &'static str,
    pub(crate) explicit_http: Option<reqwest::Client>,
    /// Set once, by the first client the provider is given to.
    bound: OnceLock<Bound>,
    fallback: OnceLock<reqwest::Client>,
}

struct Bound {
    http: reqwest::Client,
    base: String,
}

impl TokenRoute {
    /// Checks the explicit base (and that `path` makes a URL below it).
    pub(crate) fn new(
        provider: &'static str,
        explicit_base: Option<&str>,
        default_base: &'static str,
        bound_suffix: &'static str,
        path: &str,
    ) -> Result<TokenRoute, Error> {
        let explicit_base = match explicit_base {
            Some(base) => {
                let base = base.trim_end_matches('/').to_string();
                check_token_url(provider, &format!("{base}{path}"))?;
                Some(base)
            }
            None => None,
        };
        Ok(TokenRoute {
            provider,
            explicit_base,
            default_base,
            bound_suffix,
            explicit_http: None,
            bound: OnceLock::new(),
            fallback: OnceLock::new(),
        })
    }

    /// Records the client's HTTP client and base URL. The first binding
    /// stays: the provider's cached token belongs to that host.
    pub(crate) fn bind(&self, http: &reqwest::Client, base_url: &Url) {
        let base = format!(
            "{}{}",
            base_url.as_str().trim_end_matches('/'),
            self.bound_suffix
        );
        let provider = self.provider;
        if let Some(bound) = self.bound.get() {
            if bound.base != base {
                tracing::warn!(
                    provider,
                    bound = %origin(&bound.base),
                    ignored = %origin(&base),
                    "the provider is already bound to another client's host; its token requests keep going there"
                );
            }
            return;
        }
        if let Some(explicit) = &self.explicit_base
            && origin(explicit) != origin(&base)
        {
            tracing::warn!(
                provider,
                token_host = %origin(explicit),
                client_host = %origin(&base),
                "the provider's explicitly configured base differs from the client's host; its token requests go to the explicit base"
            );
        }
        if self.explicit_http.is_some() {
            tracing::debug!(
                provider,
                "the provider's own HTTP client (with_http_client) sends its token requests"
            );
        }
        let _ = self.bound.set(Bound {
            http: http.clone(),
            base,
        });
    }

    /// The base the token requests go to now.
    fn base(&self) -> &str {
        match (&self.explicit_base, self.bound.get()) {
            (Some(base), _) => base,
            (None, Some(bound)) => &bound.base,
            (None, None) => self.default_base,
        }
    }

    /// The URL of the endpoint at `path` below the base, for `Debug`.
    pub(crate) fn describe(&self, path: &str) -> String {
        format!("{}{path}", self.base())
    }

    /// The URL of the endpoint at `path` below the base.
    pub(crate) fn endpoint(&self, path: &str) -> Result<Url, Error> {
        Url::parse(&self.describe(path)).map_err(|e| {
            Error::InvalidArgument(format!("invalid {} token URL: {e}", self.provider))
        })
    }

    /// The HTTP client the token requests go through now.
    pub(crate) fn http(&self) -> Result<&reqwest::Client, Error> {
        if let Some(http) = &self.explicit_http {
            return Ok(http);
        }
        if let Some(bound) = self.bound.get() {
            return Ok(&bound.http);
        }
        if let Some(http) = self.fallback.get() {
            return Ok(http);
        }
        let builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy();
        // The facade's TLS (ring provider, platform verifier): reqwest has no
        // crypto provider of its own.
        let http = crate::transport::tls::configure(builder, &self.endpoint("")?, false)?
            .build()
            .map_err(|e| Error::Transport(format!("cannot build the HTTP client: {e}")))?;
        Ok(self.fallback.get_or_init(|| http))
    }
}

/// `scheme://host:port` of a base, for logs (a base holds no credential).
fn origin(base: &str) -> String {
    Url::parse(base)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_else(|_| base.to_string())
}

/// A token endpoint must be `https`, or plain `http` to a loopback host
/// (as the client's own base URL).
fn check_token_url(provider: &str, url: &str) -> Result<(), Error> {
    let parsed = Url::parse(url)
        .map_err(|e| Error::InvalidArgument(format!("invalid {provider} base URL: {e}")))?;
    let host = parsed.host_str().unwrap_or_default();
    let ok = match parsed.scheme() {
        "https" => !host.is_empty(),
        "http" => crate::transport::http::is_loopback(host),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidArgument(format!(
            "{provider} base URL {}://{host}: use https (plain http only to a loopback host)",
            parsed.scheme()
        )))
    }
}

fn header_value(value: &str) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(value).map_err(|_| {
        Error::InvalidArgument("the OAuth header holds characters not allowed in a header".into())
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// The parameters of a form-encoded body (part of the base string per RFC
/// 5849); IBKR's JSON bodies are not.
fn form_params(request: &reqwest::Request) -> Vec<(String, String)> {
    let is_form = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let body = request.body().and_then(|b| b.as_bytes());
    match (is_form, body.and_then(|b| std::str::from_utf8(b).ok())) {
        (true, Some(body)) => {
            let mut url = Url::parse("http://form.invalid/").expect("valid URL");
            url.set_query(Some(body));
            url.query_pairs().into_owned().collect()
        }
        _ => Vec::new(),
    }
}

/// The prepend: the access token secret decrypted with the encryption key
/// (PEM), which is read for this and not kept.
fn decrypt_secret(encryption_key_pem: &str, secret_b64: &str) -> Result<Vec<u8>, Error> {
    let ciphertext = B64.decode(secret_b64.trim()).map_err(|_| {
        Error::InvalidArgument("the access token secret is not valid base64".into())
    })?;
    rsa::decrypt_pkcs1v15(encryption_key_pem, "encryption key", &ciphertext)?.ok_or_else(|| {
        Error::InvalidArgument(
            "the access token secret cannot be decrypted with the encryption key".into(),
        )
    })
}

/// K = B^a mod p as Java-style bytes, then HMAC-SHA1(K, prepend).
fn derive_lst(b: &BigUint, a: &BigUint, p: &BigUint, prepend: &[u8]) -> Option<Vec<u8>> {
    let one = BigUint::from(1u32);
    if *b <= one || *b >= p - &one {
        return None;
    }
    let k = b.modpow(a, p);
    Some(hmac_sha1(&java_bytes(&k), prepend))
}

/// Big-endian bytes of a positive integer with a leading zero byte when its
/// top bit is set (bit length a multiple of 8), as Java's
/// `BigInteger.toByteArray` writes it.
fn java_bytes(k: &BigUint) -> Vec<u8> {
    let mut bytes = k.to_bytes_be();
    if k.bits().is_multiple_of(8) {
        bytes.insert(0, 0);
    }
    bytes
}

fn rsa_sha256(key: &RsaKey, message: &str) -> Result<String, Error> {
    key.sign_sha256(message.as_bytes())
        .map(|sig| B64.encode(sig))
}

/// HMAC-SHA256 of `message` under `key`, base64.
fn hmac_sha256(key: &[u8], message: &str) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, key);
    B64.encode(hmac::sign(&key, message.as_bytes()))
}

/// HMAC-SHA1 (the LST's derivation and validation are IBKR's, SHA-1 included).
fn hmac_sha1(key: &[u8], message: &[u8]) -> Vec<u8> {
    let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, key);
    hmac::sign(&key, message).as_ref().to_vec()
}

/// RFC 5849 section 3.6 percent-encoding.
fn percent_encode(value: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// RFC 5849 section 3.4.1: `METHOD&enc(base URL)&enc(sorted params)`, the
/// params being the OAuth parameters, the query and `form` parameters.
fn base_string(method: &str, url: &Url, oauth: &[(&str, &str)], form: &[(&str, &str)]) -> String {
    let host = url.host_str().unwrap_or("").to_ascii_lowercase();
    let authority = match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    };
    let base_url = format!("{}://{}{}", url.scheme(), authority, url.path());
    let mut pairs: Vec<(String, String)> = oauth
        .iter()
        .chain(form.iter())
        .map(|(k, v)| (percent_encode(k), percent_encode(v)))
        .chain(
            url.query_pairs()
                .map(|(k, v)| (percent_encode(&k), percent_encode(&v))),
        )
        .collect();
    pairs.sort();
    let normalized = pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    format!(
        "{}&{}&{}",
        method.to_ascii_uppercase(),
        percent_encode(&base_url),
        percent_encode(&normalized)
    )
}

/// `OAuth realm="...", k="v", ...`, keys sorted, values percent-encoded.
fn authorization_header(realm: &str, params: &[(&str, &str)]) -> String {
    let mut params: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (percent_encode(k), percent_encode(v)))
        .collect();
    params.sort();
    let fields = params
        .iter()
        .map(|(k, v)| format!("{k}=\"{v}\""))
        .collect::<Vec<_>>()
        .join(", ");
    format!("OAuth realm=\"{realm}\", {fields}")
}

fn parse_hex_uint(hex: &str, what: &str) -> Result<BigUint, Error> {
    let cleaned: String = hex
        .trim()
        .trim_start_matches("0x")
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ':')
        .collect();
    BigUint::parse_bytes(cleaned.as_bytes(), 16)
        .ok_or_else(|| Error::InvalidArgument(format!("the {what} is not a hexadecimal number")))
}

fn hex_encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hex_decode(hex: &str) -> Option<Vec<u8>> {
    let hex = hex.trim();
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Reads `SEQUENCE { prime INTEGER, generator INTEGER, ... }` from a PEM
/// `DH PARAMETERS` block.
fn parse_dh_params(pem: &str) -> Result<(BigUint, BigUint), Error> {
    let invalid = || Error::InvalidArgument("not a PEM `DH PARAMETERS` block".into());
    let body = pem
        .split("-----BEGIN DH PARAMETERS-----")
        .nth(1)
        .and_then(|rest| rest.split("-----END DH PARAMETERS-----").next())
        .ok_or_else(invalid)?;
    let der: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    let der = B64.decode(der).map_err(|_| invalid())?;

    let (seq, _) = element(&der, SEQUENCE).ok_or_else(invalid)?;
    let (prime, rest) = element(seq, INTEGER).ok_or_else(invalid)?;
    let (generator, _) = element(rest, INTEGER).ok_or_else(invalid)?;
    Ok((
        BigUint::from_bytes_be(prime),
        BigUint::from_bytes_be(generator),
    ))
}

/// The steps of the flow as plain functions, for tests and for debugging
/// an integration. They take and return the values IBKR's documentation
/// uses (hex, base64, PEM); several return secrets: handle with care.
pub mod primitives {
    use super::*;

    /// RFC 5849 percent-encoding (only `A-Z a-z 0-9 - . _ ~` stay as they are).
    pub fn percent_encode(value: &str) -> String {
        super::percent_encode(value)
    }

    /// The RFC 5849 signature base string of a request to `url` (its query
    /// parameters included) with the OAuth parameters `oauth_params`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] if `url` is not a URL.
    pub fn signature_base_string(
        method: &str,
        url: &str,
        oauth_params: &[(&str, &str)],
    ) -> Result<String, Error> {
        let url =
            Url::parse(url).map_err(|e| Error::InvalidArgument(format!("invalid URL: {e}")))?;
        Ok(base_string(method, &url, oauth_params, &[]))
    }

    /// The `Authorization` header value; `params` include `oauth_signature`
    /// (plain base64: it is percent-encoded here, like every value).
    pub fn authorization_header(realm: &str, params: &[(&str, &str)]) -> String {
        super::authorization_header(realm, params)
    }

    /// Step 1: decrypts the access token secret; returns the prepend (hex).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for a malformed key or secret.
    pub fn prepend(encryption_key_pem: &str, access_token_secret: &str) -> Result<String, Error> {
        decrypt_secret(encryption_key_pem, access_token_secret).map(|p| hex_encode(&p))
    }

    /// Step 2: the challenge `g^a mod p` (lowercase hex) for the secret `a`
    /// (big-endian bytes).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] if the prime is not hex.
    pub fn dh_challenge(prime_hex: &str, generator: u32, a: &[u8]) -> Result<String, Error> {
        let p = parse_hex_uint(prime_hex, "Diffie-Hellman prime")?;
        let a = BigUint::from_bytes_be(a);
        Ok(BigUint::from(generator).modpow(&a, &p).to_str_radix(16))
    }

    /// Step 3: RSA-SHA256 (PKCS#1 v1.5) signature of `base_string`, base64.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for a malformed key.
    pub fn rsa_sha256_signature(
        signature_key_pem: &str,
        base_string: &str,
    ) -> Result<String, Error> {
        let key = RsaKey::from_pem(signature_key_pem, "signature key")?;
        rsa_sha256(&key, base_string)
    }

    /// Step 4: the LST (base64) from IBKR's DH response, the secret `a` and
    /// the prepend.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for malformed hex or a response out of range.
    pub fn live_session_token(
        prime_hex: &str,
        a: &[u8],
        dh_response_hex: &str,
        prepend_hex: &str,
    ) -> Result<String, Error> {
        let p = parse_hex_uint(prime_hex, "Diffie-Hellman prime")?;
        let b = parse_hex_uint(dh_response_hex, "DH response")?;
        let prepend = hex_decode(prepend_hex)
            .ok_or_else(|| Error::InvalidArgument("the prepend is not hex".into()))?;
        derive_lst(&b, &BigUint::from_bytes_be(a), &p, &prepend)
            .map(|lst| B64.encode(lst))
            .ok_or_else(|| Error::InvalidArgument("the DH response is out of range".into()))
    }

    /// Step 5: `hex(HMAC-SHA1(LST, consumer key))`, to compare with
    /// `live_session_token_signature`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] if the LST is not base64.
    pub fn live_session_token_signature(lst: &str, consumer_key: &str) -> Result<String, Error> {
        let key = B64
            .decode(lst)
            .map_err(|_| Error::InvalidArgument("the LST is not base64".into()))?;
        Ok(hex_encode(&hmac_sha1(&key, consumer_key.as_bytes())))
    }

    /// Step 6: `base64(HMAC-SHA256(LST, base string))`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] if the LST is not base64.
    pub fn hmac_sha256_signature(lst: &str, base_string: &str) -> Result<String, Error> {
        let key = B64
            .decode(lst)
            .map_err(|_| Error::InvalidArgument("the LST is not base64".into()))?;
        Ok(hmac_sha256(&key, base_string))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoding_follows_rfc_5849() {
        assert_eq!(percent_encode("aZ09-._~"), "aZ09-._~");
        assert_eq!(percent_encode("a b+c/=&*%"), "a%20b%2Bc%2F%3D%26%2A%25");
        assert_eq!(percent_encode("é"), "%C3%A9");
    }

    #[test]
    fn java_bytes_add_a_sign_byte_only_when_needed() {
        assert_eq!(java_bytes(&BigUint::from(0x7fu32)), vec![0x7f]);
        assert_eq!(java_bytes(&BigUint::from(0x80u32)), vec![0, 0x80]);
        assert_eq!(java_bytes(&BigUint::from(0x1234u32)), vec![0x12, 0x34]);
        assert_eq!(java_bytes(&BigUint::from(0xff00u32)), vec![0, 0xff, 0]);
    }

    #[test]
    fn hex_helpers() {
        assert_eq!(hex_decode("00ff10"), Some(vec![0, 255, 16]));
        assert_eq!(hex_decode("0"), None);
        assert_eq!(hex_decode("zz"), None);
        assert_eq!(hex_encode(&[0, 255, 16]), "00ff10");
        assert_eq!(
            parse_hex_uint("0x00:ff\n 10", "x").unwrap(),
            BigUint::from(0xff10u32)
        );
    }

    #[test]
    fn base_string_uses_default_ports_and_query() {
        let url = Url::parse("HTTPS://API.ibkr.com:443/v1/api/x?b=2&a=1").unwrap();
        assert_eq!(
            base_string("get", &url, &[("oauth_nonce", "n")], &[]),
            "GET&https%3A%2F%2Fapi.ibkr.com%2Fv1%2Fapi%2Fx&a%3D1%26b%3D2%26oauth_nonce%3Dn"
        );
        let url = Url::parse("http://127.0.0.1:8080/p").unwrap();
        assert!(
            base_string("POST", &url, &[], &[])
                .starts_with("POST&http%3A%2F%2F127.0.0.1%3A8080%2Fp&")
        );
    }

    #[test]
    fn dh_params_pem() {
        // SEQUENCE { INTEGER 0x00c5 (197), INTEGER 2 }
        let der = [0x30, 0x07, 0x02, 0x02, 0x00, 0xc5, 0x02, 0x01, 0x02];
        let pem = format!(
            "-----BEGIN DH PARAMETERS-----\n{}\n-----END DH PARAMETERS-----\n",
            B64.encode(der)
        );
        let (p, g) = parse_dh_params(&pem).unwrap();
        assert_eq!(p, BigUint::from(197u32));
        assert_eq!(g, BigUint::from(2u32));
        assert!(parse_dh_params("nothing").is_err());
    }
}
