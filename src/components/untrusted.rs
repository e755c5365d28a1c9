//! Strings the console did not write (tenant names, paths and URIs, hosts, task and node names,
//! log lines, the agent's error messages, what the user typed, echoed back), shown so that they
//! cannot mislead: each in a bidi isolate of its own (`<bdi>`: a right-to-left name or a stray
//! override never reorders the text around it), every character without a glyph of its own as a
//! visible escape `⟨U+202E⟩` in a style of its own (the rules are `obshell_proto::untrusted`'s),
//! and a value longer than its limit shortened to its head and tail with a button that shows it
//! all. Always text nodes, never HTML. Inputs are not shown through here: what the user types
//! stays exactly as typed.

use crate::i18n::{text, text_with, use_i18n};
use leptos::prelude::*;
use obshell_proto::untrusted::{escape, pieces, shorten, Piece};
pub use obshell_proto::untrusted::{visible, Mode};
use obshell_proto::Lang;

/// Characters of a value (name, path, URI) shown whole; a longer one is shortened.
pub const VALUE_LIMIT: usize = 300;
/// Characters of a message or a command shown whole.
pub const TEXT_LIMIT: usize = 3000;

/// The runs of `s`: text nodes, and a `.ctl` span for each hidden character.
fn runs(s: &str, mode: Mode) -> Vec<AnyView> {
    pieces(s, mode)
        .into_iter()
        .map(|p| match p {
            Piece::Text(t) => t.to_string().into_any(),
            Piece::Hidden(c) => view! { <span class="ctl">{escape(c)}</span> }.into_any(),
        })
        .collect()
}

/// How an untrusted string is shown.
#[derive(Clone, Copy, Debug, Default)]
pub struct Show {
    pub mode: Mode,
    /// Inside a control (a button, a link): a shortened value gets no button of its own; its
    /// whole text is the element's title.
    pub inert: bool,
    /// Characters shown whole (default by mode: [`VALUE_LIMIT`], [`TEXT_LIMIT`]); 0: never
    /// shortened.
    pub limit: usize,
}

impl Show {
    pub const VALUE: Show = Show {
        mode: Mode::Value,
        inert: false,
        limit: VALUE_LIMIT,
    };
    pub const TEXT: Show = Show {
        mode: Mode::Text,
        inert: false,
        limit: TEXT_LIMIT,
    };
    /// A value inside a button or link.
    pub const INERT: Show = Show {
        mode: Mode::Value,
        inert: true,
        limit: VALUE_LIMIT,
    };
}

/// A value (name, path, host, id): isolated, hidden characters visible, shortened past
/// [`VALUE_LIMIT`].
pub fn untrusted(value: impl Into<String>) -> AnyView {
    untrusted_as(value.into(), Show::VALUE)
}

/// An untrusted string shown as `how` says.
pub fn untrusted_as(value: String, how: Show) -> AnyView {
    let cut = if how.limit == 0 {
        None
    } else {
        shorten(&value, how.limit)
    };
    let Some(short) = cut else {
        return view! { <bdi class="untrusted">{runs(&value, how.mode)}</bdi> }.into_any();
    };
    let mode = how.mode;
    let (head, tail, total) = (short.head.to_string(), short.tail.to_string(), short.total);
    let shortened = move || {
        let mut v = runs(&head, mode);
        v.push(view! { <span class="cut" aria-hidden="true">"…"</span> }.into_any());
        v.extend(runs(&tail, mode));
        v
    };
    if how.inert {
        return view! { <bdi class="untrusted" title=visible(&value, mode)>{shortened()}</bdi> }.into_any();
    }
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    view! {
        <bdi class="untrusted">{move || if open.get() { runs(&value, mode) } else { shortened() }}</bdi>
        " "
        <button type="button" class="link more" aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|o| *o = !*o)>
            {move || {
                let lang = i18n.lang.get();
                if open.get() {
                    text(lang, "untrusted.show_less")
                } else {
                    text_with(lang, "untrusted.show_all", &[("count", &total.to_string())])
                }
            }}
        </button>
    }
    .into_any()
}

/// A localized text cut at its `{name}` placeholders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part<'a> {
    Text(&'a str),
    Arg(&'a str),
}

pub fn template_parts(template: &str) -> Vec<Part<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        if open > 0 {
            out.push(Part::Text(&rest[..open]));
        }
        out.push(Part::Arg(&rest[open + 1..close]));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        out.push(Part::Text(rest));
    }
    out
}

/// The text of `key` in `lang` with each `{name}` placeholder replaced by the view `arg` gives
/// for it (placeholders it has none for stay as written).
pub fn fill(lang: Lang, key: &str, arg: &mut dyn FnMut(&str) -> Option<AnyView>) -> Vec<AnyView> {
    template_parts(&text(lang, key))
        .into_iter()
        .map(|p| match p {
            Part::Text(t) => t.to_string().into_any(),
            Part::Arg(name) => arg(name).unwrap_or_else(|| format!("{{{name}}}").into_any()),
        })
        .collect()
}

/// [`fill`] with untrusted values: each isolated, its hidden characters visible.
pub fn fill_values(lang: Lang, key: &str, args: &[(&str, &str)]) -> Vec<AnyView> {
    fill(lang, key, &mut |name| {
        args.iter().find(|(k, _)| *k == name).map(|(_, v)| untrusted(*v))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_cut_at_their_placeholders() {
        use Part::*;
        assert_eq!(
            template_parts("Agent {addr}, version {version}"),
            [Text("Agent "), Arg("addr"), Text(", version "), Arg("version")]
        );
        assert_eq!(template_parts("{ago}更新。"), [Arg("ago"), Text("更新。")]);
        assert_eq!(template_parts("no args"), [Text("no args")]);
        assert_eq!(template_parts("open { only"), [Text("open { only")]);
        assert_eq!(template_parts(""), []);
        // Every key rendered with fill has the placeholders its call sites name.
        for (key, args) in [
            ("signin.agent", &["addr", "version", "identity"][..]),
            ("history.title", &["tenant"]),
            ("overview.finished", &["end", "took"]),
            ("overview.started", &["start"]),
            ("overview.checkpoint", &["time"]),
            ("logs.title_for", &["node", "stage", "agent"]),
            ("error.network", &["url", "detail"]),
            ("error.gateway", &["url", "status", "detail"]),
        ] {
            for lang in [Lang::En, Lang::Zh] {
                let t = text(lang, key);
                let named: Vec<_> = template_parts(&t)
                    .into_iter()
                    .filter_map(|p| match p {
                        Arg(a) => Some(a),
                        Text(_) => None,
                    })
                    .collect();
                for a in args {
                    assert!(named.contains(a), "{key} ({lang:?}) lacks {{{a}}}");
                }
            }
        }
    }
}
