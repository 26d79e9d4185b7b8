//! Per-request hooks for the generated clients.
//!
//! Every generated `Client` holds a [`Hooks`] value (progenitor's "inner
//! type") and calls it around each request through progenitor's
//! `ClientHooks` trait, implemented below for both variants. Authentication
//! (a bearer token, OAuth 1.0a signatures), pacing, retries and observation
//! of responses plug in here, without touching generated code.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A boxed future, as returned by [`RequestHook::on_request`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Customises requests of the generated clients.
pub trait RequestHook: Send + Sync + 'static {
    /// Called with every request just before it is sent; may add headers or
    /// sign it. `operation_id` names the operation (`tickle_post`). An
    /// error aborts the call with `Error::Custom` carrying the message.
    fn on_request<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
        operation_id: &'static str,
    ) -> BoxFuture<'a, Result<(), String>>;

    /// Sends the request (called after [`RequestHook::on_request`]). The
    /// default sends it once through `client`; an override may pace,
    /// re-sign and resend it, as long as it returns the response (or the
    /// transport error) the caller should see.
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: reqwest::Request,
        operation_id: &'static str,
    ) -> BoxFuture<'a, reqwest::Result<reqwest::Response>> {
        let _ = operation_id;
        Box::pin(client.execute(request))
    }

    /// Called with every response (or transport error) before it is decoded.
    fn on_response(&self, result: &reqwest::Result<reqwest::Response>, operation_id: &'static str) {
        let _ = (result, operation_id);
    }
}

/// The hooks a generated client calls; `Hooks::default()` calls none.
#[derive(Clone, Default)]
pub struct Hooks {
    hook: Option<Arc<dyn RequestHook>>,
}

impl Hooks {
    /// Hooks that call `hook` around every request.
    pub fn new(hook: Arc<dyn RequestHook>) -> Self {
        Hooks { hook: Some(hook) }
    }

    /// The installed hook, if any.
    pub fn hook(&self) -> Option<&Arc<dyn RequestHook>> {
        self.hook.as_ref()
    }
}

impl fmt::Debug for Hooks {
    // Hooks may hold credentials: print only whether one is installed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hooks")
            .field("installed", &self.hook.is_some())
            .finish()
    }
}

macro_rules! impl_client_hooks {
    ($client:ty) => {
        impl progenitor_client::ClientHooks<Hooks> for $client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                info: &progenitor_client::OperationInfo,
            ) -> Result<(), progenitor_client::Error<E>> {
                use progenitor_client::ClientInfo;
                match self.inner().hook() {
                    Some(hook) => hook
                        .on_request(request, info.operation_id)
                        .await
                        .map_err(progenitor_client::Error::Custom),
                    None => Ok(()),
                }
            }

            async fn exec(
                &self,
                request: reqwest::Request,
                info: &progenitor_client::OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                use progenitor_client::ClientInfo;
                match self.inner().hook() {
                    Some(hook) => {
                        hook.execute(self.client(), request, info.operation_id)
                            .await
                    }
                    None => self.client().execute(request).await,
                }
            }

            async fn post<E>(
                &self,
                result: &reqwest::Result<reqwest::Response>,
                info: &progenitor_client::OperationInfo,
            ) -> Result<(), progenitor_client::Error<E>> {
                use progenitor_client::ClientInfo;
                if let Some(hook) = self.inner().hook() {
                    hook.on_response(result, info.operation_id);
                }
                Ok(())
            }
        }
    };
}

#[cfg(feature = "web")]
impl_client_hooks!(crate::web::Client);
#[cfg(feature = "gateway")]
impl_client_hooks!(crate::gateway::Client);
