//! Times as a DBA reads them: every agent timestamp in the browser's zone (the zone of the
//! instant shown: summer time moves it), with the agent's own time (in its zone, e.g. `+08:00`)
//! on hover, on keyboard focus and as the element's accessible description; relative times
//! ("3 min ago") where the age is what matters; and the one "last updated" stamp of the live
//! views. The arithmetic is `obshell_proto::time`'s (tested natively); this module only asks the
//! browser for its zone and renders.

use crate::components::untrusted::untrusted;
use crate::i18n::{text_with, use_i18n};
use leptos::prelude::*;
use obshell_proto::time::{offset_of_js_timezone_offset, relative, Amount, Precision, Relative, Timestamp};
use obshell_proto::Lang;
use std::time::Duration;

/// The browser's zone offset (seconds east of UTC) at the instant `unix_ms`.
pub fn browser_offset(unix_ms: i64) -> i32 {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(unix_ms as f64));
    offset_of_js_timezone_offset(d.get_timezone_offset())
}

/// `t` written in the browser's zone.
pub fn in_browser_zone(t: &Timestamp) -> Timestamp {
    t.in_zone(browser_offset(t.unix_millis()))
}

/// "3 min ago" (or "in 2 min" when the clocks are apart) for `elapsed_ms`.
pub fn relative_text(lang: Lang, elapsed_ms: i64) -> String {
    let (key, amount) = match relative(elapsed_ms) {
        Relative::Ago(a) => ("time.ago", a),
        Relative::In(a) => ("time.in", a),
    };
    let (unit, n) = match amount {
        Amount::Seconds(n) => ("time.s", n),
        Amount::Minutes(n) => ("time.min", n),
        Amount::Hours(n) => ("time.h", n),
        Amount::Days(n) => ("time.d", n),
    };
    let amount = text_with(lang, unit, &[("n", &n.to_string())]);
    text_with(lang, key, &[("amount", &amount)])
}

/// An agent's time: `<time>` in the browser's zone, focusable, its accessible name the time
/// shown and its description (and tooltip, and the popup on keyboard focus: `style/main.css`)
/// the agent's own, in the agent's zone.
pub fn agent_time(lang: Lang, t: &Timestamp, precision: Precision) -> AnyView {
    let local = in_browser_zone(t).wall(precision);
    let agent = text_with(lang, "time.agent", &[("time", &t.wall(precision))]);
    let label = local.clone();
    view! {
        <time class="at" datetime=t.to_rfc3339_nano() tabindex="0" aria-label=label title=agent>{local}</time>
    }
    .into_any()
}

/// A time string from the agent: its [`agent_time`]; `—` when it means "unknown" (Go's zero
/// time, the reset sentinel) or is empty; an unreadable one as the agent wrote it.
pub fn agent_time_of(lang: Lang, s: &str) -> AnyView {
    match Timestamp::parse(s) {
        Some(t) if !t.is_unknown() => agent_time(lang, &t, Precision::Seconds),
        None if !s.trim().is_empty() => untrusted(s),
        _ => "—".into_any(),
    }
}

/// The browser's clock, read again every `every` while its owner lives.
pub fn ticking_clock(every: Duration) -> RwSignal<f64> {
    ticking(every, js_sys::Date::now)
}

/// A clock (`read`, Unix ms) read again every `every` while its owner lives.
pub fn ticking(every: Duration, read: impl Fn() -> f64 + 'static) -> RwSignal<f64> {
    let now = RwSignal::new(read());
    if let Ok(t) = set_interval_with_handle(move || now.set(read()), every) {
        on_cleanup(move || t.clear());
    }
    now
}

/// `HH:MM:SS` of a browser-clock instant in the browser's zone.
fn local_clock_time(ms: f64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    format!("{:02}:{:02}:{:02}", d.get_hours(), d.get_minutes(), d.get_seconds())
}

/// When a live view last heard from the agent: "Updated 3 s ago." (ticking), or, once the
/// agent stopped answering after it had, "Stale: the agent has not answered since 10:00:01 (2 min
/// ago)."; with a button that refreshes now. The one stamp of the overview, the task list and
/// the task view. Not a live region: a text that changes every second must not be read out
/// every second (the views announce losing the agent on their own).
#[component]
pub fn UpdatedStamp(
    /// The last good answer (browser clock, Unix ms).
    #[prop(into)]
    at_ms: Signal<Option<f64>>,
    /// Since when the agent has not answered (the last good answer before failures).
    #[prop(optional, into)]
    stale_since: Signal<Option<f64>>,
    /// "Refresh"; without it no button.
    #[prop(optional)]
    on_refresh: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let now = ticking_clock(Duration::from_secs(1));
    let line = move || {
        let lang = i18n.lang.get();
        let n = now.get();
        let ago = |t: f64| relative_text(lang, (n - t) as i64);
        match (stale_since.get(), at_ms.get()) {
            (Some(since), _) => Some((
                "updated-stale",
                text_with(
                    lang,
                    "overview.stale",
                    &[("time", &local_clock_time(since)), ("ago", &ago(since))],
                ),
            )),
            (None, Some(at)) => Some((
                "updated-fresh",
                text_with(lang, "overview.updated", &[("ago", &ago(at))]),
            )),
            _ => None,
        }
    };
    view! {
        <p class="updated">
            {move || line().map(|(class, t)| view! { <span class=class>{t}</span> })}
            {on_refresh.map(|cb| view! {
                " "<button type="button" class="link" on:click=move |_| cb.run(())>{i18n.t("overview.refresh")}</button>
            })}
        </p>
    }
}
