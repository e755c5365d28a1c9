//! English and Chinese UI texts.
//!
//! Texts live in `locales/{en,zh}.json` (flat `"key": "text"` maps, `{name}` placeholders) and are
//! compiled in. A native test checks both files have the same keys and that every key the
//! sources use exists. Agent error messages are not here: they come from the protocol crate's
//! catalogue in the same language, and `Accept-Language` makes the agent answer in it too.

use leptos::prelude::*;
use obshell_proto::Lang;
use std::collections::HashMap;
use std::sync::OnceLock;

const EN: &str = include_str!("../locales/en.json");
const ZH: &str = include_str!("../locales/zh.json");

fn table(lang: Lang) -> &'static HashMap<String, String> {
    static EN_T: OnceLock<HashMap<String, String>> = OnceLock::new();
    static ZH_T: OnceLock<HashMap<String, String>> = OnceLock::new();
    let (cell, src) = match lang {
        Lang::En => (&EN_T, EN),
        Lang::Zh => (&ZH_T, ZH),
    };
    cell.get_or_init(|| serde_json::from_str(src).expect("locale files are checked by tests"))
}

/// The text for `key` in `lang`; the key itself if missing (visible, never a crash).
pub fn text(lang: Lang, key: &str) -> String {
    table(lang).get(key).cloned().unwrap_or_else(|| key.to_string())
}

/// `text` with `{name}` placeholders replaced.
pub fn text_with(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let mut s = text(lang, key);
    for (k, v) in args {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

/// The app-wide language, provided as context.
#[derive(Clone, Copy)]
pub struct I18n {
    pub lang: RwSignal<Lang>,
}

impl I18n {
    pub fn new(lang: Lang) -> Self {
        I18n {
            lang: RwSignal::new(lang),
        }
    }

    /// Reactive text: re-renders when the language changes.
    pub fn t(&self, key: &'static str) -> impl Fn() -> String + Send + Sync + Clone + 'static {
        let lang = self.lang;
        move || text(lang.get(), key)
    }

    /// The text in the current language; inside a reactive closure it re-renders on a language
    /// switch (the language is read tracked).
    pub fn now(&self, key: &str) -> String {
        text(self.lang.get(), key)
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// The language a browser prefers, from `navigator.language`.
pub fn browser_lang() -> Lang {
    let nav = web_sys::window()
        .map(|w| w.navigator().language().unwrap_or_default())
        .unwrap_or_default();
    if nav.to_ascii_lowercase().starts_with("zh") {
        Lang::Zh
    } else {
        Lang::En
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(src: &str) -> BTreeSet<String> {
        serde_json::from_str::<HashMap<String, String>>(src)
            .unwrap()
            .into_keys()
            .collect()
    }

    #[test]
    fn both_locales_have_the_same_keys() {
        let (en, zh) = (keys(EN), keys(ZH));
        assert_eq!(
            en.difference(&zh).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "missing in zh"
        );
        assert_eq!(
            zh.difference(&en).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "missing in en"
        );
    }

    #[test]
    fn every_key_used_in_the_sources_exists() {
        let en = keys(EN);
        let mut missing = Vec::new();
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut stack = vec![std::path::PathBuf::from(root)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let p = entry.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let src = std::fs::read_to_string(&p).unwrap();
                // Keys are string literals passed to t(…), now(…), text(…), text_with(…, …).
                for pat in [".t(\"", ".now(\"", "text(lang, \"", "tk(\"", "text_with(lang, \""] {
                    for part in src.split(pat).skip(1) {
                        let key = part.split('"').next().unwrap();
                        if !en.contains(key) {
                            missing.push(format!("{}: {key}", p.display()));
                        }
                    }
                }
            }
        }
        assert!(missing.is_empty(), "keys used but not defined: {missing:#?}");
    }
}
