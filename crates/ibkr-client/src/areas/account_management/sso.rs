//! SSO sessions on behalf of an end user, and the echo endpoints that test
//! your firm's access.
//!
//! Both session requests take a **signed JWT** of IBKR's request
//! (`{"credential": <the user name>, "ip": <the user's IP>, ...}`), signed
//! with your firm's key. The OAuth 2.0 provider
//! ([`oauth2`](crate::oauth2)) opens the client's own SSO session by itself;
//! these methods are for sessions of your end users.
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client, signed: String) -> ibkr_client::Result<()> {
//! let am = client.account_management();
//! let echo = am.echo_https().await?;
//! println!("{:?} over {:?}", echo.request_method, echo.security_policy);
//! let browser = am.create_sso_browser_session(&signed).await?;
//! println!("open {:?}", browser.url);
//! # Ok(()) }
//! ```

pub use ibkr_model::areas::account_management::sso::*;

use ibkr_ops::areas::account_management as ops;

use super::{AccountManagement, fetch};
use crate::error::Result;

impl AccountManagement<'_> {
    /// Opens an SSO session for an end user: `signed_request` is the signed
    /// JWT of IBKR's `{"credential": …, "ip": …}` request
    /// (`POST /gw/api/v1/sso-sessions`).
    pub async fn create_sso_session(&self, signed_request: &str) -> Result<SsoSession> {
        self.send_jwt(&ops::CREATE_SSO_SESSION, signed_request)
            .await
    }

    /// Opens an SSO browser session for an end user: `signed_request` is
    /// the signed JWT of IBKR's `{"credential": …, "ip": …}` request
    /// (`POST /gw/api/v1/sso-browser-sessions`).
    pub async fn create_sso_browser_session(
        &self,
        signed_request: &str,
    ) -> Result<SsoBrowserSession> {
        self.send_jwt(&ops::CREATE_SSO_BROWSER_SESSION, signed_request)
            .await
    }

    /// Echoes a plain HTTPS request back: tests the firm's access
    /// (`GET /gw/api/v1/echo/https`).
    pub async fn echo_https(&self) -> Result<Echo> {
        let call = self.client.op(&ops::ECHO_HTTPS)?;
        fetch(&ops::ECHO_HTTPS, call).await
    }

    /// Echoes a signed-JWT request back: tests the firm's signing key
    /// (`POST /gw/api/v1/echo/signed-jwt`).
    pub async fn echo_signed_jwt(&self, signed_jwt: &str) -> Result<Echo> {
        self.send_jwt(&ops::ECHO_SIGNED_JWT, signed_jwt).await
    }
}
