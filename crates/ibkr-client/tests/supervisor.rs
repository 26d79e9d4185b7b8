//! The keepalive supervisor against a fake session, in paused tokio time.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ibkr_client::Error;
use ibkr_client::supervisor::{
    SessionOps, SessionState, SessionStatus, Supervisor, SupervisorConfig,
};
use tokio::time::Instant;

const HOUR: Duration = Duration::from_secs(3600);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Call {
    Tickle,
    Status,
    Init,
}

/// What the fake server does.
#[derive(Default)]
struct Script {
    /// The brokerage session drops every this often (since the start).
    drop_every: Option<Duration>,
    /// Transient failures of tickle within these windows (from the start).
    outages: Vec<(Duration, Duration)>,
    /// Status to report instead of the simulated one.
    forced_status: Option<SessionStatus>,
    /// Tickle answers 401.
    expired: bool,
    /// Init fails this many times first.
    init_failures: u32,
}

struct Fake {
    start: Instant,
    script: Mutex<Script>,
    calls: Mutex<Vec<(Call, Instant)>>,
    authenticated: Mutex<bool>,
    drops_done: Mutex<u32>,
}

impl Fake {
    fn new(script: Script) -> Arc<Fake> {
        Arc::new(Fake {
            start: Instant::now(),
            script: Mutex::new(script),
            calls: Mutex::new(Vec::new()),
            authenticated: Mutex::new(true),
            drops_done: Mutex::new(0),
        })
    }

    fn record(&self, call: Call) {
        self.calls.lock().unwrap().push((call, Instant::now()));
    }

    fn times(&self, call: Call) -> Vec<Instant> {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .filter(|(c, _)| *c == call)
            .map(|(_, t)| *t)
            .collect()
    }

    fn count(&self) -> usize {
        self.calls.lock().unwrap().len()
    }

    /// Applies the drops due by now.
    fn advance(&self) {
        let script = self.script.lock().unwrap();
        if let Some(every) = script.drop_every {
            let due = (self.start.elapsed().as_secs() / every.as_secs()) as u32;
            let mut done = self.drops_done.lock().unwrap();
            if due > *done {
                *done = due;
                *self.authenticated.lock().unwrap() = false;
            }
        }
    }

    fn in_outage(&self) -> bool {
        let at = self.start.elapsed();
        self.script
            .lock()
            .unwrap()
            .outages
            .iter()
            .any(|(from, to)| at >= *from && at < *to)
    }
}

/// A request takes 50 ms.
async fn latency() {
    tokio::time::sleep(Duration::from_millis(50)).await;
}

impl SessionOps for Fake {
    async fn tickle(&self) -> Result<(), Error> {
        self.record(Call::Tickle);
        latency().await;
        self.advance();
        if self.in_outage() {
            return Err(Error::Transport("connection refused".into()));
        }
        if self.script.lock().unwrap().expired {
            return Err(Error::NotAuthenticated("HTTP 401".into()));
        }
        Ok(())
    }

    async fn auth_status(&self) -> Result<SessionStatus, Error> {
        self.record(Call::Status);
        latency().await;
        self.advance();
        if let Some(forced) = self.script.lock().unwrap().forced_status {
            return Ok(forced);
        }
        let authenticated = *self.authenticated.lock().unwrap();
        Ok(SessionStatus {
            authenticated,
            connected: true,
            competing: false,
        })
    }

    async fn init_brokerage_session(&self) -> Result<(), Error> {
        self.record(Call::Init);
        latency().await;
        {
            let mut script = self.script.lock().unwrap();
            if script.init_failures > 0 {
                script.init_failures -= 1;
                return Err(Error::Http {
                    operation: "init_brokerage_session",
                    status: 503,
                    body: String::new(),
                });
            }
        }
        *self.authenticated.lock().unwrap() = true;
        Ok(())
    }
}

/// Collects every state published.
fn record_states(
    mut rx: tokio::sync::watch::Receiver<SessionState>,
) -> Arc<Mutex<Vec<(SessionState, Instant)>>> {
    let seen = Arc::new(Mutex::new(vec![(*rx.borrow(), Instant::now())]));
    let out = seen.clone();
    tokio::spawn(async move {
        while rx.changed().await.is_ok() {
            let state = *rx.borrow_and_update();
            out.lock().unwrap().push((state, Instant::now()));
        }
    });
    seen
}

#[tokio::test(start_paused = true)]
async fn a_day_with_a_drop_every_three_hours_recovers_every_time() {
    let fake = Fake::new(Script {
        drop_every: Some(3 * HOUR),
        ..Script::default()
    });
    let handle = Supervisor::spawn(fake.clone(), SupervisorConfig::default());
    let states = record_states(handle.subscribe());
    tokio::time::sleep(24 * HOUR - Duration::from_secs(1)).await;

    // Drops at 3, 6, ..., 21 h: 7 within the day, each re-initialised once.
    assert_eq!(*fake.drops_done.lock().unwrap(), 7);
    let inits = fake.times(Call::Init);
    assert_eq!(inits.len(), 7);
    for (i, at) in inits.iter().enumerate() {
        let drop_at = fake.start + 3 * HOUR * (i as u32 + 1);
        // Noticed at the first round after the drop.
        assert!(
            *at >= drop_at && *at <= drop_at + Duration::from_secs(61),
            "init {i}"
        );
    }
    assert_eq!(handle.state(), SessionState::Authenticated);
    let states: Vec<SessionState> = states.lock().unwrap().iter().map(|(s, _)| *s).collect();
    let mut expected = vec![SessionState::Starting, SessionState::Authenticated];
    for _ in 0..7 {
        expected.extend([SessionState::Connected, SessionState::Authenticated]);
    }
    assert_eq!(states, expected);
    // Still on schedule despite the re-initialisations.
    let tickles = fake.times(Call::Tickle);
    assert_eq!(tickles.len(), 1440);
    for pair in tickles.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(
            gap.abs_diff(Duration::from_secs(60)) <= Duration::from_secs(1),
            "{gap:?}"
        );
    }
    handle.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn tickles_at_the_configured_interval() {
    for interval in [Duration::from_secs(60), Duration::from_secs(45)] {
        let fake = Fake::new(Script::default());
        let handle = Supervisor::spawn(fake.clone(), SupervisorConfig::with_interval(interval));
        tokio::time::sleep(HOUR).await;
        let tickles = fake.times(Call::Tickle);
        assert_eq!(tickles[0], fake.start, "the first round runs at once");
        let expected = (HOUR.as_secs() / interval.as_secs()) as usize;
        assert!(tickles.len().abs_diff(expected) <= 1, "{}", tickles.len());
        for pair in tickles.windows(2) {
            assert!((pair[1] - pair[0]).abs_diff(interval) <= Duration::from_secs(1));
        }
        // One status check per tickle, no init.
        assert_eq!(fake.times(Call::Status).len(), tickles.len());
        assert!(fake.times(Call::Init).is_empty());
        handle.shutdown().await;
    }
}

#[tokio::test(start_paused = true)]
async fn nothing_is_sent_after_shutdown_or_drop() {
    let fake = Fake::new(Script::default());
    let handle = Supervisor::spawn(fake.clone(), SupervisorConfig::default());
    let mut rx = handle.subscribe();
    tokio::time::sleep(Duration::from_secs(150)).await;
    let before = fake.count();
    assert_eq!(before, 6); // rounds at 0, 60 and 120 s
    handle.shutdown().await;
    assert_eq!(*rx.borrow_and_update(), SessionState::Stopped);
    tokio::time::sleep(24 * HOUR).await;
    assert_eq!(fake.count(), before);

    // Shutdown in the middle of a call abandons it.
    let fake = Fake::new(Script::default());
    let handle = Supervisor::spawn(fake.clone(), SupervisorConfig::default());
    tokio::time::sleep(Duration::from_millis(10)).await; // inside the first tickle
    handle.shutdown().await;
    tokio::time::sleep(HOUR).await;
    assert_eq!(fake.count(), 1);

    // Dropping the handle stops it too.
    let fake = Fake::new(Script::default());
    let handle = Supervisor::spawn(fake.clone(), SupervisorConfig::default());
    tokio::time::sleep(Duration::from_secs(61)).await;
    drop(handle);
    let before = fake.count();
    tokio::time::sleep(HOUR).await;
    assert_eq!(fake.count(), before);
}

#[tokio::test(start_paused = true)]
async fn transient_failures_back_off_and_never_kill_it() {
    // The server is unreachable from 10 min to 10 min 20 s.
    let fake = Fake::new(Script {
        outages: vec![(Duration::from_secs(600), Duration::from_secs(620))],
        ..Script::default()
    });
    let handle = Supervisor::spawn(fake.clone(), SupervisorConfig::default());
    let states = record_states(handle.subscribe());
    tokio::time::sleep(Duration::from_secs(900)).await;

    let offsets: Vec<u64> = fake
        .times(Call::Tickle)
        .iter()
        .map(|t| (*t - fake.start).as_millis() as u64)
        .filter(|ms| (590_000..700_000).contains(ms))
        .collect();
    // Round at 600 s fails; retries after 1, 2, 4, 8 s (each call takes 50 ms),
    // the one at ~615 s fails, the next (16 s later) succeeds; then every 60 s.
    assert_eq!(
        offsets,
        vec![
            600_000, 601_050, 603_100, 607_150, 615_200, 631_250, 691_250
        ]
    );
    let states: Vec<SessionState> = states.lock().unwrap().iter().map(|(s, _)| *s).collect();
    assert_eq!(
        states,
        vec![
            SessionState::Starting,
            SessionState::Authenticated,
            SessionState::Disconnected,
            SessionState::Authenticated
        ]
    );
    assert_eq!(handle.state(), SessionState::Authenticated);
    handle.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn a_failed_reinit_is_retried() {
    let fake = Fake::new(Script {
        drop_every: Some(HOUR),
        init_failures: 1,
        ..Script::default()
    });
    let handle = Supervisor::spawn(fake.clone(), SupervisorConfig::default());
    tokio::time::sleep(HOUR + Duration::from_secs(90)).await;
    let inits = fake.times(Call::Init);
    assert_eq!(inits.len(), 2);
    // The retry follows after the first backoff (1 s) plus the round's calls.
    assert!(inits[1] - inits[0] < Duration::from_secs(2));
    assert_eq!(handle.state(), SessionState::Authenticated);
    handle.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn expired_and_competing_sessions_are_reported() {
    let fake = Fake::new(Script {
        forced_status: Some(SessionStatus {
            authenticated: true,
            connected: true,
            competing: true,
        }),
        ..Script::default()
    });
    let handle = Supervisor::spawn(fake.clone(), SupervisorConfig::default());
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(handle.state(), SessionState::Competing);

    // The tickle succeeds but the status says `connected: false`: the
    // bridge is gone, so the supervisor re-initialises it; when it stays
    // down, the state is Expired (a new login is needed).
    // (The round takes the init's settle time, 2 s, on top.)
    fake.script.lock().unwrap().forced_status = Some(SessionStatus::default());
    tokio::time::sleep(Duration::from_secs(65)).await;
    assert_eq!(handle.state(), SessionState::Expired);
    assert_eq!(
        fake.times(Call::Init).len(),
        1,
        "ssodh/init after connected: false"
    );

    fake.script.lock().unwrap().expired = true;
    fake.script.lock().unwrap().forced_status = None;
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(handle.state(), SessionState::Expired);

    // Back to normal: the supervisor kept checking at the regular interval.
    fake.script.lock().unwrap().expired = false;
    tokio::time::sleep(Duration::from_secs(55)).await;
    assert_eq!(handle.state(), SessionState::Authenticated);
    assert_eq!(fake.times(Call::Tickle).len(), 4);
    handle.shutdown().await;
}
