//! Polling: a small pure state machine that decides *when* to fetch ([`PollMachine`]), and a
//! browser driver that runs it ([`spawn_poller`]).
//!
//! Rules (issue 5): about one request per interval while the thing polled is active, never two
//! in flight, nothing while the page is hidden, stop on a terminal state (but keep going for a
//! few polls after an operation, until it is active and then terminal again), exponential
//! backoff with a visible "reconnecting" phase on network errors, automatic resumption, and a
//! clean stop when the owning component unmounts.

use crate::api::ApiError;
use futures::channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};
use futures::future::{self, Either, LocalBoxFuture};
use futures::StreamExt;
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Timing of a poller, in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PollPolicy {
    /// From the start of one request to the start of the next while active.
    pub interval_ms: f64,
    /// At least this long between the end of a request and the start of the next.
    pub min_gap_ms: f64,
    /// First reconnect delay; doubles with every failure up to `backoff_max_ms`.
    pub backoff_initial_ms: f64,
    pub backoff_max_ms: f64,
    /// After an operation, how many terminal answers are tolerated before stopping (the agent
    /// may still show the old terminal state for a moment).
    pub follow_polls: u32,
    /// Never stop on a terminal answer (lists, badges).
    pub forever: bool,
}

impl PollPolicy {
    /// One DAG: ~1 s (the agent's scheduler ticks at 1 s), backoff 1 s → 30 s.
    pub const DAG: PollPolicy = PollPolicy {
        interval_ms: 1000.0,
        min_gap_ms: 150.0,
        backoff_initial_ms: 1000.0,
        backoff_max_ms: 30_000.0,
        follow_polls: 5,
        forever: false,
    };

    /// A periodic refresh that never finishes (task list, indicator).
    pub const fn every(interval_ms: f64) -> PollPolicy {
        PollPolicy {
            interval_ms,
            min_gap_ms: 150.0,
            backoff_initial_ms: 2000.0,
            backoff_max_ms: 60_000.0,
            follow_polls: 0,
            forever: true,
        }
    }

    /// Reconnect delay after `failures` consecutive failures (1-based).
    pub fn backoff_ms(&self, failures: u32) -> f64 {
        let exp = failures.saturating_sub(1).min(30);
        (self.backoff_initial_ms * 2f64.powi(exp as i32)).min(self.backoff_max_ms)
    }
}

/// How one request ended, as far as scheduling is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Answer received; the thing is still moving (PENDING/READY/RUNNING).
    Active,
    /// Answer received; the thing is finished (SUCCEED/FAILED).
    Terminal,
    /// No answer (network, proxy, agent 5xx): try again later, with backoff.
    Retryable,
    /// An answer that polling again will not change (404, 400, sign-in cancelled): stop.
    Fatal,
}

impl Outcome {
    /// Classifies a request error.
    pub fn of_error(e: &ApiError) -> Outcome {
        match e {
            ApiError::Network { .. } => Outcome::Retryable,
            // Not the agent's envelope (a proxy's page, a truncated or garbled answer): the next
            // answer may well be fine, so try again with backoff rather than end the updates.
            ApiError::BadResponse { .. } => Outcome::Retryable,
            ApiError::Agent { status, .. } => {
                if *status >= 500 {
                    Outcome::Retryable
                } else {
                    Outcome::Fatal
                }
            }
            ApiError::Crypto(_) | ApiError::SignInCancelled => Outcome::Fatal,
        }
    }
}

/// Where a poller is, for the UI.
#[derive(Clone, Debug, PartialEq)]
pub enum PollPhase {
    /// Nothing answered yet.
    Starting,
    /// Following changes.
    Live,
    /// The last `failures` requests got no answer; the next try is at `retry_at_ms`.
    Reconnecting { failures: u32, retry_at_ms: f64 },
    /// Terminal state reached; no more requests until asked.
    Finished,
    /// A fatal error; no more requests until asked.
    Stopped,
}

/// What the driver should do next.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Action {
    /// Send a request now.
    Fetch,
    /// Nothing until this time (or a wake-up).
    WaitUntil(f64),
    /// Nothing until a wake-up (hidden, finished, stopped, or a request in flight).
    Sleep,
}

/// The pure scheduling state. Times are milliseconds on any monotonic clock.
#[derive(Clone, Debug)]
pub struct PollMachine {
    policy: PollPolicy,
    phase: PollPhase,
    in_flight: bool,
    hidden: bool,
    /// Fetch as soon as possible (operation done, user asked, became visible while stale).
    kick: bool,
    follow: u32,
    last_start: Option<f64>,
    last_end: Option<f64>,
    requests: u64,
}

impl PollMachine {
    pub fn new(policy: PollPolicy) -> PollMachine {
        PollMachine {
            policy,
            phase: PollPhase::Starting,
            in_flight: false,
            hidden: false,
            kick: false,
            follow: 0,
            last_start: None,
            last_end: None,
            requests: 0,
        }
    }

    pub fn policy(&self) -> &PollPolicy {
        &self.policy
    }
    pub fn phase(&self) -> &PollPhase {
        &self.phase
    }
    pub fn in_flight(&self) -> bool {
        self.in_flight
    }
    pub fn hidden(&self) -> bool {
        self.hidden
    }
    /// Requests started so far.
    pub fn requests(&self) -> u64 {
        self.requests
    }

    pub fn next(&self, now: f64) -> Action {
        if self.in_flight {
            return Action::Sleep;
        }
        let gap_ok_at = self
            .last_end
            .map(|e| e + self.policy.min_gap_ms)
            .unwrap_or(f64::NEG_INFINITY);
        if self.kick {
            return if now >= gap_ok_at {
                Action::Fetch
            } else {
                Action::WaitUntil(gap_ok_at)
            };
        }
        if self.hidden {
            return Action::Sleep;
        }
        let due = match &self.phase {
            PollPhase::Starting => return Action::Fetch,
            PollPhase::Live => self
                .last_start
                .map(|s| s + self.policy.interval_ms)
                .unwrap_or(now)
                .max(gap_ok_at),
            PollPhase::Reconnecting { retry_at_ms, .. } => *retry_at_ms,
            PollPhase::Finished | PollPhase::Stopped => return Action::Sleep,
        };
        if now >= due {
            Action::Fetch
        } else {
            Action::WaitUntil(due)
        }
    }

    /// A request starts. Refused (false) while one is in flight.
    pub fn start(&mut self, now: f64) -> bool {
        if self.in_flight {
            return false;
        }
        self.in_flight = true;
        self.kick = false;
        self.last_start = Some(now);
        self.requests += 1;
        true
    }

    /// The request ended with `outcome`.
    pub fn finish(&mut self, now: f64, outcome: Outcome) {
        self.in_flight = false;
        self.last_end = Some(now);
        self.phase = match outcome {
            Outcome::Active => {
                self.follow = 0;
                PollPhase::Live
            }
            Outcome::Terminal if self.policy.forever => PollPhase::Live,
            Outcome::Terminal if self.follow > 0 => {
                self.follow -= 1;
                PollPhase::Live
            }
            Outcome::Terminal => PollPhase::Finished,
            Outcome::Retryable => {
                let failures = match self.phase {
                    PollPhase::Reconnecting { failures, .. } => failures + 1,
                    _ => 1,
                };
                PollPhase::Reconnecting {
                    failures,
                    retry_at_ms: now + self.policy.backoff_ms(failures),
                }
            }
            Outcome::Fatal => {
                self.follow = 0;
                PollPhase::Stopped
            }
        };
    }

    /// Fetch as soon as possible (after the request in flight, if any); resumes a finished or
    /// stopped poller for at least one request.
    pub fn kick(&mut self) {
        self.kick = true;
    }

    /// An operation was accepted: refresh at once and keep polling until the thing is active
    /// and then terminal again (or `follow_polls` terminal answers in a row).
    pub fn after_operation(&mut self) {
        self.kick = true;
        self.follow = self.policy.follow_polls.max(1);
        if matches!(self.phase, PollPhase::Finished | PollPhase::Stopped) {
            self.phase = PollPhase::Live;
        }
    }

    /// The page became hidden or visible. Becoming visible retries a reconnect at once and
    /// fetches at once if the last answer is older than one interval.
    pub fn set_hidden(&mut self, hidden: bool, now: f64) {
        let was = self.hidden;
        self.hidden = hidden;
        if was && !hidden {
            match &mut self.phase {
                PollPhase::Reconnecting { retry_at_ms, .. } => *retry_at_ms = now,
                PollPhase::Live
                    if self
                        .last_start
                        .map(|s| now - s >= self.policy.interval_ms)
                        .unwrap_or(true) =>
                {
                    self.kick = true
                }
                _ => {}
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Browser driver

enum Wake {
    Kick,
    AfterOperation,
    Visibility(bool),
    Stop,
}

/// Controls a running poller; cheap to clone, `Send + Sync` (usable from callbacks).
#[derive(Clone)]
pub struct PollHandle {
    tx: UnboundedSender<Wake>,
    stopped: Arc<AtomicBool>,
    /// The phase, for the UI ("reconnecting…").
    pub phase: RwSignal<PollPhase>,
}

impl PollHandle {
    /// Refresh now (user asked).
    pub fn refresh(&self) {
        let _ = self.tx.unbounded_send(Wake::Kick);
    }
    /// An operation was accepted: refresh now and follow until terminal again.
    pub fn after_operation(&self) {
        let _ = self.tx.unbounded_send(Wake::AfterOperation);
    }
    /// Ends the poller (also done automatically when the owner is cleaned up).
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        let _ = self.tx.unbounded_send(Wake::Stop);
    }
    pub fn is_stopped(&self) -> bool {
        self.stopped.load(Ordering::SeqCst)
    }
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_else(js_sys::Date::now)
}

pub fn document_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .map(|d| d.hidden())
        .unwrap_or(false)
}

/// The request a poller sends.
pub type Fetch<T> = Rc<dyn Fn() -> LocalBoxFuture<'static, Result<T, ApiError>>>;

/// Starts polling with `fetch`; `on_result` applies each answer and says whether the thing is
/// active or terminal (errors are classified by [`Outcome::of_error`] unless it decides
/// otherwise). Stops when the current reactive owner is cleaned up (component unmount).
pub fn spawn_poller<T: 'static>(
    policy: PollPolicy,
    fetch: Fetch<T>,
    on_result: impl Fn(Result<T, ApiError>) -> Outcome + 'static,
) -> PollHandle {
    let (tx, rx) = unbounded::<Wake>();
    let stopped = Arc::new(AtomicBool::new(false));
    let phase = RwSignal::new(PollPhase::Starting);
    let handle = PollHandle {
        tx: tx.clone(),
        stopped: stopped.clone(),
        phase,
    };

    let vis_tx = tx.clone();
    let listener = window_event_listener_untyped("visibilitychange", move |_| {
        let _ = vis_tx.unbounded_send(Wake::Visibility(document_hidden()));
    });
    let listener = Arc::new(std::sync::Mutex::new(Some(listener)));
    {
        let handle = handle.clone();
        on_cleanup(move || {
            handle.stop();
            if let Some(l) = listener.lock().ok().and_then(|mut l| l.take()) {
                l.remove();
            }
        });
    }

    let mut machine = PollMachine::new(policy);
    machine.set_hidden(document_hidden(), now_ms());
    let machine = Rc::new(RefCell::new(machine));
    leptos::task::spawn_local(drive(machine, rx, stopped, phase, fetch, on_result));
    handle
}

async fn drive<T: 'static>(
    machine: Rc<RefCell<PollMachine>>,
    mut rx: UnboundedReceiver<Wake>,
    stopped: Arc<AtomicBool>,
    phase: RwSignal<PollPhase>,
    fetch: Fetch<T>,
    on_result: impl Fn(Result<T, ApiError>) -> Outcome + 'static,
) {
    let apply = |m: &mut PollMachine, w: Wake| -> bool {
        match w {
            Wake::Kick => m.kick(),
            Wake::AfterOperation => m.after_operation(),
            Wake::Visibility(h) => m.set_hidden(h, now_ms()),
            Wake::Stop => return false,
        }
        true
    };
    loop {
        if stopped.load(Ordering::SeqCst) {
            return;
        }
        // Take every wake-up already queued.
        while let Ok(w) = rx.try_recv() {
            if !apply(&mut machine.borrow_mut(), w) {
                return;
            }
        }
        let action = machine.borrow().next(now_ms());
        match action {
            Action::Fetch => {
                if !machine.borrow_mut().start(now_ms()) {
                    continue;
                }
                let result = fetch().await;
                if stopped.load(Ordering::SeqCst) {
                    return;
                }
                let outcome = on_result(result);
                let mut m = machine.borrow_mut();
                m.finish(now_ms(), outcome);
                let p = m.phase().clone();
                drop(m);
                if phase.get_untracked() != p {
                    phase.set(p);
                }
            }
            Action::WaitUntil(t) => {
                let ms = (t - now_ms()).clamp(0.0, 3_600_000.0).ceil() as u32;
                let timer = gloo_timers::future::TimeoutFuture::new(ms);
                match future::select(timer, rx.next()).await {
                    Either::Left(_) => {}
                    Either::Right((Some(w), _)) => {
                        if !apply(&mut machine.borrow_mut(), w) {
                            return;
                        }
                    }
                    Either::Right((None, _)) => return,
                }
            }
            Action::Sleep => match rx.next().await {
                Some(w) => {
                    if !apply(&mut machine.borrow_mut(), w) {
                        return;
                    }
                }
                None => return,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_until_fetch(m: &PollMachine, now: f64) -> f64 {
        match m.next(now) {
            Action::Fetch => now,
            Action::WaitUntil(t) => t,
            Action::Sleep => panic!("sleeping at {now}: {m:?}"),
        }
    }

    #[test]
    fn polls_once_per_interval_while_active_and_never_twice_in_flight() {
        let mut m = PollMachine::new(PollPolicy::DAG);
        assert_eq!(m.next(0.0), Action::Fetch);
        assert!(m.start(0.0));
        assert!(!m.start(10.0), "second request while one is in flight");
        assert_eq!(m.next(10.0), Action::Sleep);
        m.finish(300.0, Outcome::Active);
        assert_eq!(m.phase(), &PollPhase::Live);
        assert_eq!(m.next(300.0), Action::WaitUntil(1000.0));
        assert_eq!(m.next(1000.0), Action::Fetch);
        // A slow answer: the next request waits for the minimum gap.
        m.start(1000.0);
        m.finish(2500.0, Outcome::Active);
        assert_eq!(m.next(2500.0), Action::WaitUntil(2650.0));
    }

    #[test]
    fn stops_on_terminal_and_follows_after_an_operation() {
        let mut m = PollMachine::new(PollPolicy::DAG);
        m.start(0.0);
        m.finish(100.0, Outcome::Terminal);
        assert_eq!(m.phase(), &PollPhase::Finished);
        assert_eq!(m.next(5000.0), Action::Sleep);
        m.after_operation();
        assert_eq!(m.next(5000.0), Action::Fetch, "refresh at once after an operation");
        // The agent still shows the old terminal state for a moment: keep polling.
        m.start(5000.0);
        m.finish(5100.0, Outcome::Terminal);
        assert_eq!(m.phase(), &PollPhase::Live);
        let t = run_until_fetch(&m, 5100.0);
        m.start(t);
        m.finish(t + 50.0, Outcome::Active);
        // Active once, then terminal: stop at once.
        let t = run_until_fetch(&m, t + 50.0);
        m.start(t);
        m.finish(t + 50.0, Outcome::Terminal);
        assert_eq!(m.phase(), &PollPhase::Finished);
    }

    #[test]
    fn follow_gives_up_after_a_few_unchanged_terminal_answers() {
        let mut m = PollMachine::new(PollPolicy::DAG);
        m.start(0.0);
        m.finish(0.0, Outcome::Terminal);
        m.after_operation();
        let mut now = 0.0;
        let mut polls = 0u32;
        while m.phase() != &PollPhase::Finished {
            now = run_until_fetch(&m, now);
            m.start(now);
            m.finish(now, Outcome::Terminal);
            polls += 1;
            assert!(polls < 20);
        }
        assert_eq!(polls, PollPolicy::DAG.follow_polls + 1);
    }

    #[test]
    fn backs_off_exponentially_and_resumes() {
        let mut m = PollMachine::new(PollPolicy::DAG);
        let mut now = 0.0;
        let mut delays = vec![];
        for _ in 0..7 {
            now = run_until_fetch(&m, now);
            m.start(now);
            m.finish(now, Outcome::Retryable);
            match m.phase() {
                PollPhase::Reconnecting { retry_at_ms, .. } => delays.push(retry_at_ms - now),
                p => panic!("{p:?}"),
            }
        }
        assert_eq!(delays, vec![1000.0, 2000.0, 4000.0, 8000.0, 16000.0, 30000.0, 30000.0]);
        assert!(matches!(m.phase(), PollPhase::Reconnecting { failures: 7, .. }));
        now = run_until_fetch(&m, now);
        m.start(now);
        m.finish(now, Outcome::Active);
        assert_eq!(m.phase(), &PollPhase::Live);
        // The failure count starts over.
        now = run_until_fetch(&m, now);
        m.start(now);
        m.finish(now, Outcome::Retryable);
        assert_eq!(
            m.phase(),
            &PollPhase::Reconnecting {
                failures: 1,
                retry_at_ms: now + 1000.0
            }
        );
    }

    #[test]
    fn hidden_pauses_and_visible_resumes_at_once_when_stale() {
        let mut m = PollMachine::new(PollPolicy::DAG);
        m.start(0.0);
        m.finish(100.0, Outcome::Active);
        m.set_hidden(true, 200.0);
        assert_eq!(m.next(60_000.0), Action::Sleep);
        m.set_hidden(false, 60_000.0);
        assert_eq!(m.next(60_000.0), Action::Fetch);
        // Reconnecting while hidden: retry at once when visible again.
        m.start(60_000.0);
        m.finish(60_000.0, Outcome::Retryable);
        m.set_hidden(true, 60_001.0);
        assert_eq!(m.next(70_000.0), Action::Sleep);
        m.set_hidden(false, 70_000.0);
        assert_eq!(m.next(70_000.0), Action::Fetch);
    }

    #[test]
    fn fatal_errors_stop_until_asked() {
        let mut m = PollMachine::new(PollPolicy::DAG);
        m.start(0.0);
        m.finish(10.0, Outcome::Fatal);
        assert_eq!(m.phase(), &PollPhase::Stopped);
        assert_eq!(m.next(10_000.0), Action::Sleep);
        m.kick();
        assert_eq!(m.next(10_000.0), Action::Fetch);
        assert_eq!(m.requests(), 1);
    }

    #[test]
    fn a_kick_during_a_request_fetches_right_after_it() {
        let mut m = PollMachine::new(PollPolicy::DAG);
        m.start(0.0);
        m.kick();
        assert_eq!(m.next(10.0), Action::Sleep);
        m.finish(100.0, Outcome::Active);
        assert_eq!(m.next(100.0), Action::WaitUntil(250.0));
        assert_eq!(m.next(250.0), Action::Fetch);
    }

    #[test]
    fn forever_pollers_never_finish() {
        let mut m = PollMachine::new(PollPolicy::every(5000.0));
        m.start(0.0);
        m.finish(10.0, Outcome::Terminal);
        assert_eq!(m.phase(), &PollPhase::Live);
        assert_eq!(m.next(10.0), Action::WaitUntil(5000.0));
    }

    #[test]
    fn errors_are_classified() {
        let agent = |status| ApiError::Agent {
            status,
            err_code: "X".into(),
            message: String::new(),
            trace_id: String::new(),
        };
        assert_eq!(Outcome::of_error(&agent(404)), Outcome::Fatal);
        assert_eq!(Outcome::of_error(&agent(400)), Outcome::Fatal);
        assert_eq!(Outcome::of_error(&agent(500)), Outcome::Retryable);
        assert_eq!(
            Outcome::of_error(&ApiError::Network {
                url: "u".into(),
                detail: "d".into()
            }),
            Outcome::Retryable
        );
        assert_eq!(
            Outcome::of_error(&ApiError::BadResponse {
                url: "u".into(),
                status: 502,
                detail: String::new()
            }),
            Outcome::Retryable
        );
        assert_eq!(
            Outcome::of_error(&ApiError::BadResponse {
                url: "u".into(),
                status: 200,
                detail: String::new()
            }),
            Outcome::Retryable,
            "one truncated answer must not end the live view"
        );
    }
}
