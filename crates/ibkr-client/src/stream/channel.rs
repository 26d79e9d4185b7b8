//! The bounded channels between the connection task and the subscriptions.
//!
//! - Market data ([`QuoteSink`]): one slot per subscription holding the
//!   newest merged quote and a count of the updates merged since the
//!   consumer last looked. Memory stays constant however slow the consumer.
//! - Everything else ([`EventSink`]): a bounded queue. Nothing is dropped:
//!   when a slow consumer lets it fill up, the subscription ends, and after
//!   the events already queued the consumer gets
//!   [`StreamError::Overflow`].

use std::any::Any;
use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use futures_util::Stream;
use tokio::sync::mpsc;

use super::market::{Quote, QuoteUpdate};
use super::{Event, FrameError, StreamError};

/// Whether a delivery fitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Delivered {
    Yes,
    /// The buffer is full: the subscription must end.
    Overflow,
}

/// The connection task's end of a subscription.
pub(crate) trait Sink: Send {
    /// A decoded item; items of another type are ignored.
    fn data(&mut self, item: &(dyn Any + Send)) -> Delivered;
    /// A frame of this subscription that could not be decoded.
    fn error(&mut self, error: FrameError) -> Delivered;
    /// The subscription was sent again after a gap.
    fn reconnected(&mut self) -> Delivered;
    /// Ends the subscription, with an error or cleanly.
    fn end(&mut self, error: Option<StreamError>);
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// How a subscription ended, for its consumer.
type Terminal = Arc<Mutex<Option<StreamError>>>;

/// A bounded, lossless queue of events.
pub(crate) struct EventSink<T> {
    tx: Option<mpsc::Sender<Event<T>>>,
    terminal: Terminal,
}

/// The consumer's end of an [`EventSink`].
pub(crate) struct EventSource<T> {
    rx: mpsc::Receiver<Event<T>>,
    terminal: Terminal,
    done: bool,
}

/// A lossless channel of `capacity` events.
pub(crate) fn events<T>(capacity: usize) -> (EventSink<T>, EventSource<T>) {
    let (tx, rx) = mpsc::channel(capacity.max(1));
    let terminal = Terminal::default();
    (
        EventSink {
            tx: Some(tx),
            terminal: terminal.clone(),
        },
        EventSource {
            rx,
            terminal,
            done: false,
        },
    )
}

impl<T: Send> EventSink<T> {
    fn push(&mut self, event: Event<T>) -> Delivered {
        let Some(tx) = &self.tx else {
            return Delivered::Yes;
        };
        match tx.try_send(event) {
            Ok(()) => Delivered::Yes,
            Err(mpsc::error::TrySendError::Full(_)) => Delivered::Overflow,
            // The consumer is gone; its unsubscribe is on its way.
            Err(mpsc::error::TrySendError::Closed(_)) => Delivered::Yes,
        }
    }
}

impl<T: Clone + Send + 'static> Sink for EventSink<T> {
    fn data(&mut self, item: &(dyn Any + Send)) -> Delivered {
        match item.downcast_ref::<T>() {
            Some(value) => self.push(Event::Data(value.clone())),
            None => Delivered::Yes,
        }
    }

    fn error(&mut self, error: FrameError) -> Delivered {
        self.push(Event::Error(error))
    }

    fn reconnected(&mut self) -> Delivered {
        self.push(Event::Reconnected)
    }

    fn end(&mut self, error: Option<StreamError>) {
        if let Some(error) = error {
            *lock(&self.terminal) = Some(error);
        }
        self.tx = None;
    }
}

impl<T> Stream for EventSource<T> {
    type Item = Result<Event<T>, StreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        match self.rx.poll_recv(cx) {
            Poll::Ready(Some(event)) => Poll::Ready(Some(Ok(event))),
            Poll::Ready(None) => {
                self.done = true;
                Poll::Ready(lock(&self.terminal).take().map(Err))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

/// At most this many undelivered decode errors are kept per market data
/// subscription; older ones are counted in [`FrameError::skipped`].
const MAX_QUEUED_ERRORS: usize = 32;

#[derive(Default)]
struct Slot {
    quote: Quote,
    pending: bool,
    skipped: u64,
    reconnected: bool,
    errors: VecDeque<FrameError>,
    errors_skipped: u64,
    ended: bool,
    terminal: Option<StreamError>,
    waker: Option<Waker>,
}

/// The connection task's end of a market data subscription.
pub(crate) struct QuoteSink {
    slot: Arc<Mutex<Slot>>,
}

/// The consumer's end of a market data subscription.
pub(crate) struct QuoteSource {
    slot: Arc<Mutex<Slot>>,
    since: u64,
    done: bool,
}

/// A coalescing market data channel.
pub(crate) fn quotes() -> (QuoteSink, QuoteSource) {
    let slot = Arc::new(Mutex::new(Slot::default()));
    (
        QuoteSink { slot: slot.clone() },
        QuoteSource {
            slot,
            since: 0,
            done: false,
        },
    )
}

impl QuoteSink {
    fn update(&mut self, f: impl FnOnce(&mut Slot)) -> Delivered {
        let waker = {
            let mut slot = lock(&self.slot);
            f(&mut slot);
            slot.waker.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
        Delivered::Yes
    }
}

impl Sink for QuoteSink {
    fn data(&mut self, item: &(dyn Any + Send)) -> Delivered {
        let Some(quote) = item.downcast_ref::<Quote>() else {
            return Delivered::Yes;
        };
        self.update(|slot| {
            slot.quote.clone_from(quote);
            if slot.pending {
                slot.skipped += 1;
            }
            slot.pending = true;
        })
    }

    fn error(&mut self, error: FrameError) -> Delivered {
        self.update(|slot| {
            if slot.errors.len() >= MAX_QUEUED_ERRORS {
                slot.errors.pop_front();
                slot.errors_skipped += 1;
            }
            slot.errors.push_back(error);
        })
    }

    fn reconnected(&mut self) -> Delivered {
        self.update(|slot| slot.reconnected = true)
    }

    fn end(&mut self, error: Option<StreamError>) {
        self.update(|slot| {
            slot.ended = true;
            slot.terminal = error;
        });
    }
}

impl Stream for QuoteSource {
    type Item = Result<Event<QuoteUpdate>, StreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        let since = self.since;
        let mut slot = lock(&self.slot);
        if std::mem::take(&mut slot.reconnected) {
            return Poll::Ready(Some(Ok(Event::Reconnected)));
        }
        if let Some(mut error) = slot.errors.pop_front() {
            error.skipped = std::mem::take(&mut slot.errors_skipped);
            return Poll::Ready(Some(Ok(Event::Error(error))));
        }
        if std::mem::take(&mut slot.pending) {
            let update = QuoteUpdate {
                quote: slot.quote.clone(),
                skipped: std::mem::take(&mut slot.skipped),
                since,
            };
            drop(slot);
            self.since = update.quote.seq;
            return Poll::Ready(Some(Ok(Event::Data(update))));
        }
        if slot.ended {
            let terminal = slot.terminal.take();
            drop(slot);
            self.done = true;
            return Poll::Ready(terminal.map(Err));
        }
        slot.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}
