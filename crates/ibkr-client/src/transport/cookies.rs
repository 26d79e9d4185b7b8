//! The cookies of the client's one host (the Gateway's session cookie,
//! IBKR's load-balancer cookies), kept by the request path: stored from
//! every answer's `Set-Cookie`, sent back in `Cookie`, and given to the
//! stream's handshake.
//!
//! A client talks to the one host of its base URL, so the jar keeps only
//! that host's cookies (RFC 6265's host-only cookies; a `Domain` attribute
//! that does not cover the host is refused, as a browser refuses it) and
//! honours `Path`, `Secure`, `Max-Age` and `Expires`. Values are secrets:
//! they appear in no `Debug` output, log or error.
//!
//! (Not reqwest's jar, feature `cookies`: it serves any number of hosts,
//! with the public-suffix list, and brought 14 crates and 8.4 s of a cold
//! build's CPU time, `time` and its macros among them; BENCHMARKS.md.)

use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use reqwest::Url;
use reqwest::header::{HeaderMap, HeaderValue, SET_COOKIE};

/// The cookies of one host.
pub(crate) struct CookieJar {
    /// The host, lowercase (a name, an IPv4 address or a bracketed IPv6).
    host: String,
    cookies: Mutex<Vec<Cookie>>,
}

struct Cookie {
    name: String,
    value: String,
    path: String,
    secure: bool,
    expires: Option<SystemTime>,
}

impl fmt::Debug for CookieJar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = self.lock().iter().map(|c| c.name.clone()).collect();
        f.debug_struct("CookieJar")
            .field("host", &self.host)
            .field("names", &names)
            .finish_non_exhaustive()
    }
}

impl CookieJar {
    /// An empty jar for the host of `base`.
    pub(crate) fn new(base: &Url) -> CookieJar {
        CookieJar {
            host: base.host_str().unwrap_or_default().to_ascii_lowercase(),
            cookies: Mutex::new(Vec::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Cookie>> {
        // A panic while the lock was held left a list of whole cookies.
        self.cookies.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn serves(&self, url: &Url) -> bool {
        url.host_str()
            .is_some_and(|h| h.eq_ignore_ascii_case(&self.host))
    }

    /// Stores the `Set-Cookie` headers of an answer from `url` (none from
    /// another host). A cookie replaces the one of the same name and path;
    /// an expired one removes it.
    pub(crate) fn store(&self, url: &Url, headers: &HeaderMap) {
        if !self.serves(url) {
            return;
        }
        let mut set = headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .peekable();
        if set.peek().is_none() {
            return;
        }
        let now = SystemTime::now();
        let mut cookies = self.lock();
        for line in set {
            let Some(cookie) = parse(line, url, &self.host, now) else {
                continue;
            };
            let live = cookie.expires.is_none_or(|at| at > now);
            let same = cookies
                .iter()
                .position(|c| c.name == cookie.name && c.path == cookie.path);
            // A replaced cookie keeps its place (its creation time, RFC
            // 6265 5.3), which orders cookies of the same path.
            match (same, live) {
                (Some(at), true) => cookies[at] = cookie,
                (Some(at), false) => {
                    cookies.remove(at);
                }
                (None, true) => cookies.push(cookie),
                (None, false) => {}
            }
        }
    }

    /// The `Cookie` header for a request to `url`: the live cookies whose
    /// path covers it (secure ones over `https` only), longest path first.
    pub(crate) fn header(&self, url: &Url) -> Option<HeaderValue> {
        if !self.serves(url) {
            return None;
        }
        let now = SystemTime::now();
        let https = url.scheme() == "https";
        let mut cookies = self.lock();
        cookies.retain(|c| c.expires.is_none_or(|at| at > now));
        let mut chosen: Vec<&Cookie> = cookies
            .iter()
            .filter(|c| (https || !c.secure) && path_matches(url.path(), &c.path))
            .collect();
        if chosen.is_empty() {
            return None;
        }
        chosen.sort_by_key(|c| std::cmp::Reverse(c.path.len()));
        let text = chosen
            .iter()
            .map(|c| format!("{}={}", c.name, c.value))
            .collect::<Vec<_>>()
            .join("; ");
        let mut value = HeaderValue::from_str(&text).ok()?;
        value.set_sensitive(true);
        Some(value)
    }
}

/// One `Set-Cookie` line from `url`, or `None` if it is refused (no
/// `name=value`, or a `Domain` that does not cover `host`).
fn parse(line: &str, url: &Url, host: &str, now: SystemTime) -> Option<Cookie> {
    let mut parts = line.split(';');
    let (name, value) = parts.next()?.split_once('=')?;
    let (name, value) = (name.trim(), value.trim());
    if name.is_empty() {
        return None;
    }
    let mut cookie = Cookie {
        name: name.to_string(),
        value: value.to_string(),
        path: default_path(url.path()),
        secure: false,
        expires: None,
    };
    let mut max_age = None;
    for attribute in parts {
        let (key, value) = match attribute.split_once('=') {
            Some((k, v)) => (k.trim(), v.trim()),
            None => (attribute.trim(), ""),
        };
        if key.eq_ignore_ascii_case("max-age") {
            // RFC 6265 5.2.2: digits with an optional leading `-`; zero or
            // less expires it now.
            if let Ok(seconds) = value.parse::<i64>() {
                max_age = Some(match u64::try_from(seconds) {
                    Ok(s) if s > 0 => now.checked_add(Duration::from_secs(s)),
                    _ => Some(SystemTime::UNIX_EPOCH),
                });
            }
        } else if key.eq_ignore_ascii_case("expires") {
            if let Ok(at) = httpdate::parse_http_date(value) {
                cookie.expires = Some(at);
            }
        } else if key.eq_ignore_ascii_case("domain") {
            let domain = value.trim_start_matches('.').to_ascii_lowercase();
            let covers = domain.is_empty()
                || host == domain
                || host
                    .strip_suffix(domain.as_str())
                    .is_some_and(|rest| rest.ends_with('.'));
            if !covers {
                return None;
            }
        } else if key.eq_ignore_ascii_case("path") {
            if value.starts_with('/') {
                cookie.path = value.to_string();
            }
        } else if key.eq_ignore_ascii_case("secure") {
            cookie.secure = true;
        }
    }
    // Max-Age wins over Expires; a Max-Age too far ahead is a session cookie.
    if let Some(at) = max_age {
        cookie.expires = at;
    }
    Some(cookie)
}

/// RFC 6265 5.1.4: the directory of a request path.
fn default_path(path: &str) -> String {
    match path.rfind('/') {
        Some(0) | None => "/".to_string(),
        Some(at) => path[..at].to_string(),
    }
}

/// RFC 6265 5.1.4: whether a cookie of path `cookie` goes with `request`.
fn path_matches(request: &str, cookie: &str) -> bool {
    request == cookie
        || request
            .strip_prefix(cookie)
            .is_some_and(|rest| cookie.ends_with('/') || rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    fn answer(lines: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for line in lines {
            headers.append(SET_COOKIE, HeaderValue::from_str(line).unwrap());
        }
        headers
    }

    fn sent(jar: &CookieJar, to: &str) -> Option<String> {
        jar.header(&url(to))
            .map(|v| v.to_str().unwrap().to_string())
    }

    #[test]
    fn cookies_go_back_to_their_host_only() {
        let base = url("https://localhost:5000/v1/api");
        let jar = CookieJar::new(&base);
        jar.store(
            &url("https://localhost:5000/v1/api/tickle"),
            &answer(&["x-sess-uuid=abc; Path=/; HttpOnly", "lb=1"]),
        );
        // `lb` has the default path of `/v1/api/tickle`: `/v1/api`.
        assert_eq!(
            sent(&jar, "https://localhost:5000/v1/api/iserver/accounts").as_deref(),
            Some("lb=1; x-sess-uuid=abc")
        );
        assert_eq!(
            sent(&jar, "https://localhost:5000/other").as_deref(),
            Some("x-sess-uuid=abc")
        );
        // Another host gets none, and stores none.
        assert_eq!(sent(&jar, "https://example.com/v1/api"), None);
        jar.store(&url("https://example.com/"), &answer(&["evil=1; Path=/"]));
        assert_eq!(
            sent(&jar, "https://localhost:5000/").as_deref(),
            Some("x-sess-uuid=abc")
        );
        // Values never show in Debug.
        let debug = format!("{jar:?}");
        assert!(
            debug.contains("x-sess-uuid") && !debug.contains("abc"),
            "{debug}"
        );
        assert!(jar.header(&base).unwrap().is_sensitive());
    }

    #[test]
    fn a_cookie_is_replaced_and_removed_as_its_attributes_say() {
        let base = url("https://api.ibkr.com/v1/api");
        let jar = CookieJar::new(&base);
        jar.store(
            &base,
            &answer(&["a=1; Path=/", "b=2; Path=/; Max-Age=3600"]),
        );
        jar.store(&base, &answer(&["a=3; Path=/"]));
        assert_eq!(
            sent(&jar, "https://api.ibkr.com/x").as_deref(),
            Some("a=3; b=2")
        );
        // Max-Age=0, and an Expires in the past, remove.
        jar.store(
            &base,
            &answer(&[
                "a=; Path=/; Max-Age=0",
                "b=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
            ]),
        );
        assert_eq!(sent(&jar, "https://api.ibkr.com/x"), None);
        // Max-Age wins over Expires; an Expires ahead keeps it.
        jar.store(
            &base,
            &answer(&[
                "c=1; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60",
                "d=1; Path=/; Expires=Fri, 01 Jan 2100 00:00:00 GMT",
                "e=1; Path=/; Expires=not a date",
            ]),
        );
        assert_eq!(
            sent(&jar, "https://api.ibkr.com/x").as_deref(),
            Some("c=1; d=1; e=1")
        );
    }

    #[test]
    fn domain_secure_and_path_attributes() {
        let base = url("http://127.0.0.1:5000/v1/api");
        let jar = CookieJar::new(&base);
        jar.store(
            &base,
            &answer(&[
                "s=1; Path=/; Secure",
                "d=1; Path=/; Domain=example.com",
                "ok=1; Path=/; Domain=127.0.0.1",
                "p=1; Path=/v1/api/iserver",
                "=nameless; Path=/",
                "novalue",
            ]),
        );
        // A secure cookie is not sent over http; a foreign Domain was refused.
        assert_eq!(
            sent(&jar, "http://127.0.0.1:5000/v1").as_deref(),
            Some("ok=1")
        );
        assert_eq!(
            sent(&jar, "http://127.0.0.1:5000/v1/api/iserver/accounts").as_deref(),
            Some("p=1; ok=1")
        );
        assert_eq!(
            sent(&jar, "http://127.0.0.1:5000/v1/api/iserverx").as_deref(),
            Some("ok=1")
        );
        let named = CookieJar::new(&url("https://api.ibkr.com"));
        named.store(
            &url("https://api.ibkr.com/"),
            &answer(&["a=1; Domain=.ibkr.com", "b=1; Domain=kr.com"]),
        );
        assert_eq!(
            sent(&named, "https://API.ibkr.com/").as_deref(),
            Some("a=1")
        );
    }

    #[test]
    fn default_paths_and_path_matching() {
        assert_eq!(default_path(""), "/");
        assert_eq!(default_path("/"), "/");
        assert_eq!(default_path("/tickle"), "/");
        assert_eq!(default_path("/v1/api/tickle"), "/v1/api");
        assert!(path_matches("/v1/api", "/v1/api"));
        assert!(path_matches("/v1/api/x", "/v1/api"));
        assert!(path_matches("/v1/api/x", "/v1/"));
        assert!(!path_matches("/v1/apix", "/v1/api"));
        assert!(!path_matches("/v1", "/v1/api"));
    }
}
