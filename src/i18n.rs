//! English and Chinese UI texts.
//!
//! Texts live in `locales/` as flat `"key": "text"` maps (`{name}` placeholders), compiled in, in
//! two parts: `{en,zh}.json`, what the first load needs (sign-in page, shell, error messages,
//! page titles), and `{en,zh}.pages.json`, the signed-in pages' texts. In the split release build
//! the second part travels with the pages' code (`pages::chunks::page_texts`, installed here by
//! [`install_page_texts`] before a page is shown), not in the sign-in page's download; in every
//! other build it is there from the start. Native tests check that both languages have the
//! same keys, that no key is in both parts, that every key the sources use exists, and that the
//! sources of the first load use only first-load keys. Agent error messages are not here: they
//! come from the protocol crate's catalogue in the same language, and `Accept-Language` makes
//! the agent answer in it too.

use leptos::prelude::*;
use obshell_proto::Lang;
use std::collections::HashMap;
use std::sync::OnceLock;

const EN: &str = include_str!("../locales/en.json");
const ZH: &str = include_str!("../locales/zh.json");
/// The pages' texts (constants: their bytes go where they are used, i.e. with the pages' code
/// in the split build).
pub const PAGES_EN: &str = include_str!("../locales/en.pages.json");
pub const PAGES_ZH: &str = include_str!("../locales/zh.pages.json");

type Table = HashMap<String, String>;

fn parse(src: &str) -> Table {
    serde_json::from_str(src).expect("locale files are checked by tests")
}

fn table(lang: Lang) -> &'static Table {
    static EN_T: OnceLock<Table> = OnceLock::new();
    static ZH_T: OnceLock<Table> = OnceLock::new();
    let (cell, src) = match lang {
        Lang::En => (&EN_T, EN),
        Lang::Zh => (&ZH_T, ZH),
    };
    cell.get_or_init(|| parse(src))
}

static PAGE_TEXTS: OnceLock<[Table; 2]> = OnceLock::new();

/// Installs the pages' texts (both languages; once, later calls do nothing).
pub fn install_page_texts(en: &str, zh: &str) {
    if PAGE_TEXTS.get().is_none() {
        let _ = PAGE_TEXTS.set([parse(en), parse(zh)]);
    }
}

fn page_table(lang: Lang) -> Option<&'static Table> {
    #[cfg(not(feature = "split"))]
    install_page_texts(PAGES_EN, PAGES_ZH);
    let [en, zh] = PAGE_TEXTS.get()?;
    Some(match lang {
        Lang::En => en,
        Lang::Zh => zh,
    })
}

/// The text for `key` in `lang`; the key itself if missing (visible, never a crash).
pub fn text(lang: Lang, key: &str) -> String {
    table(lang)
        .get(key)
        .or_else(|| page_table(lang)?.get(key))
        .cloned()
        .unwrap_or_else(|| key.to_string())
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
        parse(src).into_keys().collect()
    }

    fn all(lang_first: &str, lang_pages: &str) -> BTreeSet<String> {
        keys(lang_first).union(&keys(lang_pages)).cloned().collect()
    }

    #[test]
    fn both_locales_have_the_same_keys_and_no_key_is_in_both_parts() {
        for (en, zh) in [(EN, ZH), (PAGES_EN, PAGES_ZH)] {
            let (en, zh) = (keys(en), keys(zh));
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
        let both: Vec<_> = keys(EN).intersection(&keys(PAGES_EN)).cloned().collect();
        assert!(both.is_empty(), "in both parts: {both:?}");
    }

    /// Keys the sources name: string literals passed to t(…), now(…), text(…), text_with(…, …).
    fn keys_used_in(src: &str) -> Vec<String> {
        let mut out = Vec::new();
        for pat in [".t(\"", ".now(\"", "text(lang, \"", "tk(\"", "text_with(lang, \""] {
            for part in src.split(pat).skip(1) {
                out.push(part.split('"').next().unwrap().to_string());
            }
        }
        out
    }

    #[test]
    fn the_first_load_uses_first_load_texts_only() {
        // The modules of the sign-in page and the shell (the split build's main module): a key
        // they show from the pages' part would read as the bare key until a page was opened.
        let first = keys(EN);
        let mut wrong = Vec::new();
        for file in [
            "app.rs",
            "embed.rs",
            "config.rs",
            "context.rs",
            "nav.rs",
            "prepaint.rs",
            "pages/sign_in.rs",
            "pages/chunks.rs",
            "components/reauth_dialog.rs",
            "components/error_panel.rs",
            "components/modal.rs",
            "components/form/secret.rs",
            "components/form/frame.rs",
            "api/client.rs",
            "api/error.rs",
            "api/http.rs",
        ] {
            let src = std::fs::read_to_string(format!("{}/src/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
            wrong.extend(
                keys_used_in(&src)
                    .into_iter()
                    .filter(|k| !first.contains(k))
                    .map(|k| format!("{file}: {k}")),
            );
        }
        assert!(
            wrong.is_empty(),
            "first-load sources using the pages' texts: {wrong:#?}"
        );
    }

    #[test]
    fn every_key_used_in_the_sources_exists() {
        let en = all(EN, PAGES_EN);
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
                for key in keys_used_in(&src) {
                    if !en.contains(&key) {
                        missing.push(format!("{}: {key}", p.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "keys used but not defined: {missing:#?}");
    }
}
