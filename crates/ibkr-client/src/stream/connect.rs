//! Opening the socket: the URL, the credentials, TLS and the HTTP upgrade.
//!
//! - **URL**: the client's API base with `/ws`, `https` → `wss` (plain `ws`
//!   only where the client allows plain `http`: loopback).
//! - **Credentials**: the `session` of a `/tickle` answer. Gateway: cookie
//!   `api={"session":"…"}`; Web API: cookie `api=…`, the `oauth_token`
//!   query parameter ([`StreamConfig::oauth_token`], else
//!   [`AuthProvider::stream_token`](crate::AuthProvider::stream_token)),
//!   the provider's own authorization headers and a `User-Agent`
//!   (`ClientPortalGW/1` unless configured). The client's other cookies for
//!   the host go along.
//! - **TLS**: the facade's one rustls configuration (`transport/tls.rs`),
//!   as REST: the platform's verifier; with
//!   [`Config::accept_self_signed_certificate`](crate::Config::accept_self_signed_certificate)
//!   the Gateway's own certificate is accepted for the configured host
//!   only (the socket never goes anywhere else). Handshake signatures are
//!   always checked.
//! - **Upgrade**: written and read here rather than by tungstenite, whose
//!   TRACE log prints the whole request (cookie and token included). No
//!   credential is ever logged or put into an error: every error text
//!   passes through [`Secrets::redact`].

use std::fmt::Write as _;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};

use super::StreamConfig;
use crate::client::Client;
use crate::error::{Error, Result, Variant};

/// A byte stream the socket runs on (TCP, or TLS over TCP).
pub(crate) trait Io: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> Io for T {}

/// An open WebSocket.
pub(crate) type Socket = WebSocketStream<Box<dyn Io>>;

/// The operation name in errors.
const OPERATION: &str = "Stream::connect";

/// The credentials of one connection, to keep out of every text.
#[derive(Default)]
pub(crate) struct Secrets(Vec<String>);

impl Secrets {
    fn add(&mut self, secret: &str) {
        if secret.len() >= 4 {
            self.0.push(secret.to_string());
        }
    }

    /// Adds the credentials of another connection.
    pub(crate) fn extend(&mut self, other: Secrets) {
        self.0.extend(other.0);
    }

    /// `text` with every credential replaced by `<redacted>`.
    pub(crate) fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for s in &self.0 {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), "<redacted>");
            }
        }
        out
    }
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secrets(<{} redacted>)", self.0.len())
    }
}

/// Where the socket goes.
struct Target {
    /// `https://host:port/v1/api/ws` (for cookies and the provider); no
    /// credential in it.
    http_url: reqwest::Url,
    tls: bool,
    host: String,
    port: u16,
    /// The request target, possibly with the `oauth_token`: a secret.
    path_and_query: String,
}

fn target(client: &Client, token: Option<&str>) -> Result<Target> {
    let base = client.api_base_url().trim_end_matches('/');
    let http_url = reqwest::Url::parse(&format!("{base}/ws")).map_err(|e| {
        Error::InvalidArgument(format!("cannot build the stream URL from {base:?}: {e}"))
    })?;
    let tls = http_url.scheme() == "https";
    let host = http_url.host_str().unwrap_or_default();
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host)
        .to_string();
    let port = http_url
        .port_or_known_default()
        .unwrap_or(if tls { 443 } else { 80 });
    let mut with_query = http_url.clone();
    if let Some(token) = token {
        with_query
            .query_pairs_mut()
            .append_pair("oauth_token", token);
    }
    let mut path_and_query = with_query.path().to_string();
    if let Some(q) = with_query.query() {
        path_and_query.push('?');
        path_and_query.push_str(q);
    }
    Ok(Target {
        http_url,
        tls,
        host,
        port,
        path_and_query,
    })
}

/// The stream URL without credentials, for logs.
pub(crate) fn display_url(client: &Client) -> String {
    let base = client.api_base_url().trim_end_matches('/');
    let base = base
        .strip_prefix("https://")
        .map(|rest| format!("wss://{rest}"))
        .or_else(|| {
            base.strip_prefix("http://")
                .map(|rest| format!("ws://{rest}"))
        })
        .unwrap_or_else(|| base.to_string());
    format!("{base}/ws")
}

/// Opens the socket: tickle for the session, then TCP, TLS and the
/// upgrade, all within the client's timeout.
pub(crate) async fn open(client: &Client, config: &StreamConfig) -> Result<(Socket, Secrets)> {
    let timeout = config.connect_timeout.unwrap_or_else(|| client.timeout());
    let mut secrets = Secrets::default();
    match tokio::time::timeout(timeout, open_inner(client, config, &mut secrets)).await {
        Ok(Ok(socket)) => Ok((socket, secrets)),
        Ok(Err(e)) => Err(e),
        Err(_) => Err(Error::Timeout {
            operation: OPERATION,
            after: timeout,
        }),
    }
}

async fn open_inner(
    client: &Client,
    config: &StreamConfig,
    secrets: &mut Secrets,
) -> Result<Socket> {
    let tickle = client.session().tickle().await?;
    let session = tickle.session.ok_or_else(|| {
        Error::NotAuthenticated("the tickle answer carries no session for the stream".into())
    })?;
    secrets.add(session.expose());
    let web = client.variant() == Variant::Web;
    let token = match (&config.oauth_token, web) {
        (Some(token), true) => Some(token.expose().to_string()),
        (None, true) => client
            .transport()
            .auth
            .as_ref()
            .and_then(|a| a.stream_token()),
        (_, false) => None,
    };
    if let Some(t) = &token {
        secrets.add(t);
    }
    let target = target(client, token.as_deref())?;

    // The cookie: the client's own for this host, and the session.
    let mut cookies: Vec<String> = client
        .cookies()
        .header(&target.http_url)
        .and_then(|v| v.to_str().ok().map(str::to_string))
        .map(|all| {
            all.split(';')
                .map(str::trim)
                .filter(|c| !c.is_empty() && !c.starts_with("api="))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    cookies.push(if web {
        format!("api={}", session.expose())
    } else {
        format!("api={{\"session\":\"{}\"}}", session.expose())
    });
    let user_agent = config.user_agent.clone().unwrap_or_else(|| {
        if web {
            "ClientPortalGW/1".to_string()
        } else {
            client
                .config()
                .user_agent
                .clone()
                .unwrap_or_else(|| concat!("ibkr-client/", env!("CARGO_PKG_VERSION")).into())
        }
    });
    // The Web API provider's own headers (a bearer token, an OAuth signature).
    let mut extra = Vec::new();
    if let (true, Some(auth)) = (web, client.transport().auth.as_ref()) {
        let mut probe = reqwest::Request::new(reqwest::Method::GET, target.http_url.clone());
        auth.authorize(&mut probe).await?;
        for (name, value) in probe.headers() {
            if let Ok(v) = value.to_str() {
                secrets.add(v);
                if let Some((_, credential)) = v.split_once(' ') {
                    secrets.add(credential);
                }
                extra.push((name.as_str().to_string(), v.to_string()));
            }
        }
    }

    let io = dial(client, &target)
        .await
        .map_err(|e| Error::Transport(secrets.redact(&e)))?;
    let key = B64.encode(rand::random::<[u8; 16]>());
    let mut request = String::with_capacity(512);
    let host_header = match (target.host.contains(':'), target.port) {
        (true, port) => format!("[{}]:{port}", target.host),
        (false, port) => format!("{}:{port}", target.host),
    };
    let _ = write!(
        request,
        "GET {} HTTP/1.1\r\nHost: {host_header}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nUser-Agent: {user_agent}\r\n\
         Cookie: {}\r\n",
        target.path_and_query,
        cookies.join("; ")
    );
    for (name, value) in &extra {
        let _ = write!(request, "{name}: {value}\r\n");
    }
    request.push_str("\r\n");
    upgrade(io, request, &key, secrets).await
}

/// TCP, then TLS for `wss`.
async fn dial(client: &Client, target: &Target) -> std::result::Result<Box<dyn Io>, String> {
    let tcp = TcpStream::connect((target.host.as_str(), target.port))
        .await
        .map_err(|e| format!("cannot connect the stream to {}: {e}", display_url(client)))?;
    let _ = tcp.set_nodelay(true);
    if !target.tls {
        return Ok(Box::new(tcp));
    }
    tls::wrap(client, &target.host, tcp).await
}

/// Writes the upgrade request and reads the answer's head.
async fn upgrade(
    mut io: Box<dyn Io>,
    request: String,
    key: &str,
    secrets: &Secrets,
) -> Result<Socket> {
    let transport = |e: String| Error::Transport(secrets.redact(&e));
    io.write_all(request.as_bytes())
        .await
        .map_err(|e| transport(format!("cannot send the stream's upgrade request: {e}")))?;
    drop(request);
    let mut buf = Vec::with_capacity(1024);
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        if buf.len() > 64 * 1024 {
            return Err(transport(
                "the stream's upgrade answer has no end of headers".into(),
            ));
        }
        let mut chunk = [0u8; 2048];
        let n = io
            .read(&mut chunk)
            .await
            .map_err(|e| transport(format!("cannot read the stream's upgrade answer: {e}")))?;
        if n == 0 {
            return Err(transport(
                "the server closed the connection during the stream's upgrade".into(),
            ));
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| transport("the stream's upgrade answer is not HTTP".into()))?;
    let header = |name: &str| {
        head.split("\r\n").skip(1).find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    };
    if status != 101 {
        let body = secrets.redact(String::from_utf8_lossy(&buf[head_end..]).trim());
        return Err(match status {
            401 | 403 => Error::NotAuthenticated(format!(
                "the stream's upgrade was refused with HTTP {status}{}",
                if body.is_empty() {
                    String::new()
                } else {
                    format!(": {body}")
                }
            )),
            _ => Error::Http {
                operation: OPERATION,
                status,
                body,
            },
        });
    }
    if header("sec-websocket-accept").as_deref() != Some(accept_key(key).as_str()) {
        return Err(transport(
            "the stream's upgrade answer has a wrong Sec-WebSocket-Accept".into(),
        ));
    }
    let rest = buf.split_off(head_end);
    let config = WebSocketConfig::default();
    Ok(WebSocketStream::from_partially_read(io, rest, Role::Client, Some(config)).await)
}

/// `Sec-WebSocket-Accept` for a `Sec-WebSocket-Key` (RFC 6455).
pub(crate) fn accept_key(key: &str) -> String {
    let mut sha = ring::digest::Context::new(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY);
    sha.update(key.trim().as_bytes());
    sha.update(b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    B64.encode(sha.finish())
}

#[cfg(feature = "rustls")]
mod tls {
    //! The socket's TLS: the facade's one rustls configuration
    //! (`transport/tls.rs`: `ring`, the platform verifier, the self-signed
    //! opt-in for the configured host only).

    use std::sync::Arc;

    use rustls::pki_types::ServerName;
    use tokio::net::TcpStream;
    use tokio_rustls::TlsConnector;

    use super::Io;
    use crate::client::Client;

    pub(super) async fn wrap(
        client: &Client,
        host: &str,
        tcp: TcpStream,
    ) -> Result<Box<dyn Io>, String> {
        let name = ServerName::try_from(host.to_string())
            .map_err(|_| format!("{host:?} is not a valid TLS server name"))?;
        let base = reqwest::Url::parse(client.api_base_url()).map_err(|e| e.to_string())?;
        let config =
            crate::transport::tls::client_config(&base, client.config().accept_self_signed)
                .map_err(|e| e.to_string())?;
        let tls = TlsConnector::from(Arc::new(config))
            .connect(name, tcp)
            .await
            .map_err(|e| format!("TLS handshake of the stream failed: {e}"))?;
        Ok(Box::new(tls))
    }
}

#[cfg(not(feature = "rustls"))]
mod tls {
    use super::Io;
    use crate::client::Client;

    pub(super) async fn wrap(
        _: &Client,
        _: &str,
        _: tokio::net::TcpStream,
    ) -> Result<Box<dyn Io>, String> {
        Err("a wss:// stream needs the `rustls` feature".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_key_of_rfc_6455() {
        assert_eq!(
            accept_key("dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
    }

    #[test]
    fn secrets_are_redacted() {
        let mut s = Secrets::default();
        s.add("abcdef123");
        s.add("xy");
        assert_eq!(
            s.redact("cookie api=abcdef123; a=xy"),
            "cookie api=<redacted>; a=xy"
        );
        assert_eq!(format!("{s:?}"), "Secrets(<1 redacted>)");
    }
}
