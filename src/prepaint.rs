//! The sign-in form that `index.html` shows before the wasm has arrived (`#obshell-prepaint`,
//! handled until then by `src/prepaint.js`): the standalone start takes over what the user did
//! there and removes it, in the same task that mounts the console (no frame without a form).
//!
//! Taken over: the typed password (moved into the console's input, then cleared from the old
//! one), a submit (Enter or the button: the console signs in as soon as the agent's key is
//! there), the language the user picked, and the focus with the caret. Not the "Show" state:
//! the console's field starts masked.

use obshell_proto::Lang;
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use web_sys::{Document, HtmlInputElement};

const ROOT_ID: &str = "obshell-prepaint";
const PASSWORD_ID: &str = "obshell-prepaint-password";

/// What the user did on the page's own form, until the console's sign-in page takes it.
#[derive(Default)]
struct Handoff {
    password: String,
    submitted: bool,
    /// The caret (selection start and end) when the password input had the focus.
    focus: Option<(u32, u32)>,
}

thread_local! {
    static TAKEN: RefCell<Option<Handoff>> = const { RefCell::new(None) };
}

fn document() -> Option<Document> {
    web_sys::window()?.document()
}

/// Reads the page's form and removes it. Returns the language picked with the form's own switch
/// (`None`: not switched, or no form: a host page, a test). The password and submit wait for
/// the sign-in page ([`take_sign_in`]).
pub fn take_over() -> Option<Lang> {
    let doc = document()?;
    let root = doc.get_element_by_id(ROOT_ID)?;
    let input = doc
        .get_element_by_id(PASSWORD_ID)
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok());
    // prepaint.js writes the page language's tag there, as the console's `Lang::tag` spells it.
    let lang = root
        .get_attribute("data-lang-chosen")
        .map(|l| if l == Lang::Zh.tag() { Lang::Zh } else { Lang::En });
    let mut handoff = Handoff {
        submitted: root.query_selector("form[data-submitted]").ok().flatten().is_some(),
        ..Handoff::default()
    };
    if let Some(input) = input {
        handoff.password = input.value();
        let focused = doc
            .active_element()
            .is_some_and(|a| a == *input.unchecked_ref::<web_sys::Element>());
        if focused {
            let end = handoff.password.encode_utf16().count() as u32;
            let start = input.selection_start().ok().flatten().unwrap_or(end);
            handoff.focus = Some((start, input.selection_end().ok().flatten().unwrap_or(start)));
        }
        // The old input goes with its element; its value must not outlive the hand-over.
        input.set_value("");
    }
    root.remove();
    TAKEN.with(|t| *t.borrow_mut() = Some(handoff));
    lang
}

/// The password and whether it was submitted, once (the first sign-in page of the page).
pub fn take_sign_in() -> Option<(String, bool)> {
    TAKEN.with(|t| {
        let mut t = t.borrow_mut();
        let h = t.as_mut()?;
        Some((std::mem::take(&mut h.password), std::mem::take(&mut h.submitted)))
    })
}

/// Puts the focus and caret back, in the console's password input, if they were in the page's.
pub fn restore_focus() {
    let Some((start, end)) = TAKEN.with(|t| t.borrow_mut().as_mut().and_then(|h| h.focus.take())) else {
        return;
    };
    let input = document()
        .and_then(|d| {
            d.query_selector("form input[autocomplete=current-password]")
                .ok()
                .flatten()
        })
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok());
    if let Some(input) = input {
        let _ = input.focus();
        let _ = input.set_selection_range(start, end);
    }
}
