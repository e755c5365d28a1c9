//! Operations on a DAG (retry, cancel, pass, rollback) and on a failed node (pass). Only what the
//! agent would accept now (`check_operation`, `check_node_pass`) is a button; the others are
//! listed, with the agent's reason, behind one disclosure (a reason on demand, not a paragraph
//! under every disabled button). Retry is the one primary action; the operations that give up
//! work (pass, rollback, mark a node succeeded) are secondary buttons whose danger is said in
//! their confirmation. Every operation goes through a confirmation dialog that says what it
//! will do; the component only reports the confirmed request, the page sends it.

use crate::components::modal::Modal;
use crate::i18n::{text, text_with, use_i18n};
use leptos::prelude::*;
use obshell_proto::dag::{DagDetail, DagOperation, OperatorRequest, TaskState};
use obshell_proto::AgentError;
use obshell_proto::Lang;
use wasm_bindgen::JsCast;

/// A confirmed operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpRequest {
    /// `POST /api/v1/task/dag/{id}` `{"operator": …}`.
    Dag { dag_id: String, op: DagOperation },
    /// `POST /api/v1/task/node/{id}` `{"operator":"PASS"}`.
    NodePass { node_id: String, node_name: String },
}

impl OpRequest {
    pub fn target(&self) -> crate::routes::ApiTarget {
        match self {
            OpRequest::Dag { dag_id, .. } => crate::routes::dag_operation(dag_id),
            OpRequest::NodePass { node_id, .. } => crate::routes::node_operation(node_id),
        }
    }

    /// Only `{"operator": …}`: an `id` key would override the path id.
    pub fn body(&self) -> serde_json::Value {
        let operator = match self {
            OpRequest::Dag { op, .. } => op.operator(),
            OpRequest::NodePass { .. } => "PASS",
        };
        serde_json::to_value(OperatorRequest {
            operator: operator.to_string(),
        })
        .unwrap_or_default()
    }

    /// Stable element id of its button.
    pub fn button_id(&self) -> String {
        match self {
            OpRequest::Dag { op, .. } => format!("op-{}", op.operator().to_ascii_lowercase()),
            OpRequest::NodePass { node_id, .. } => format!("op-node-pass-{}", sanitize_id(node_id)),
        }
    }

    /// The i18n key of what it is called and of what it does.
    fn keys(&self) -> (&'static str, &'static str) {
        match self {
            OpRequest::Dag {
                op: DagOperation::Retry,
                ..
            } => ("op.retry", "op.retry_effect"),
            OpRequest::Dag {
                op: DagOperation::Cancel,
                ..
            } => ("op.cancel", "op.cancel_effect"),
            OpRequest::Dag {
                op: DagOperation::Pass, ..
            } => ("op.pass", "op.pass_effect"),
            OpRequest::Dag {
                op: DagOperation::Rollback,
                ..
            } => ("op.rollback", "op.rollback_effect"),
            OpRequest::NodePass { .. } => ("op.node_pass", "op.node_pass_effect"),
        }
    }

    pub fn title(&self, lang: Lang) -> String {
        let (k, _) = self.keys();
        match self {
            OpRequest::NodePass { node_name, .. } => text_with(lang, k, &[("node", node_name)]),
            _ => text(lang, k),
        }
    }

    /// What the operation does, for the confirmation dialog, with the node it concerns.
    pub fn effect(&self, lang: Lang, node: &str, stage: i32) -> String {
        let (_, k) = self.keys();
        let node = match self {
            OpRequest::NodePass { node_name, .. } => node_name.as_str(),
            _ => node,
        };
        text_with(lang, k, &[("node", node), ("stage", &stage.to_string())])
    }

    /// Operations that give up work the task should have done (or undo it): a secondary button,
    /// and a red confirm button in their dialog.
    fn destructive(&self) -> bool {
        !matches!(
            self,
            OpRequest::Dag {
                op: DagOperation::Retry | DagOperation::Cancel,
                ..
            }
        )
    }

    /// The button's look: the one safe way forward stands out, the others do not.
    fn button_class(&self) -> &'static str {
        match self {
            OpRequest::Dag {
                op: DagOperation::Retry,
                ..
            } => "primary",
            _ if self.destructive() => "secondary danger-text",
            _ => "secondary",
        }
    }
}

fn sanitize_id(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Why the agent would refuse, in the UI language, with its errCode, said as a reason (the
/// agent's own words read like an error that just happened).
pub fn refusal(lang: Lang, e: &AgentError) -> String {
    text_with(
        lang,
        "op.not_now",
        &[("why", &format!("{} ({})", e.message(lang), e.err_code()))],
    )
}

/// One operation as shown: request, and the refusal when not allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
struct OpState {
    req: OpRequest,
    refused: Option<AgentError>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct OpsModel {
    ops: Vec<OpState>,
    /// The node the DAG operations concern: the failed node, else the current one.
    node: String,
    stage: i32,
}

fn ops_model(d: &DagDetail) -> OpsModel {
    let mut ops: Vec<OpState> = DagOperation::ALL
        .into_iter()
        .map(|op| OpState {
            req: OpRequest::Dag {
                dag_id: d.id.clone(),
                op,
            },
            refused: d.check_operation(op).err(),
        })
        .collect();
    // Node pass: offered for failed nodes (the only ones it can apply to).
    for n in d.nodes().iter().filter(|n| n.state == TaskState::Failed) {
        ops.push(OpState {
            req: OpRequest::NodePass {
                node_id: n.id.clone(),
                node_name: n.name.clone(),
            },
            refused: d.check_node_pass(n).err(),
        });
    }
    let focus = d
        .nodes()
        .iter()
        .find(|n| n.state == TaskState::Failed)
        .or_else(|| d.current_node());
    let stage = focus
        .and_then(|f| d.nodes().iter().position(|n| std::ptr::eq(n, f)))
        .map(|i| i as i32 + 1)
        .unwrap_or(d.stage);
    OpsModel {
        ops,
        node: focus.map(|n| n.name.clone()).unwrap_or_default(),
        stage,
    }
}

#[component]
pub fn DagOperations(
    #[prop(into)] dag: Signal<Option<DagDetail>>,
    /// Called with the confirmed request.
    on_confirm: Callback<OpRequest>,
    /// An operation is being sent: every button waits.
    #[prop(into, default = Signal::stored(false))]
    busy: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let model = Memo::new(move |_| dag.with(|d| d.as_ref().map(ops_model)));
    let pending = RwSignal::new(None::<OpRequest>);
    // Closing the dialog (unmounting the Modal) gives the focus back to the button that opened it.
    let shut = move || -> Option<OpRequest> {
        let req = pending.get_untracked()?;
        pending.set(None);
        Some(req)
    };
    let back = Callback::new(move |()| {
        shut();
    });
    let confirm = move |_| {
        if let Some(req) = shut() {
            on_confirm.run(req);
        }
    };
    // Ids are per mount (several consoles on one page): computed here, where the mount's
    // context is at hand, not in the event handlers.
    let id_prefix = StoredValue::new(crate::ids::uid(""));
    let ops = move || model.with(|m| m.as_ref().map(|m| m.ops.clone())).unwrap_or_default();
    let buttons = move || {
        let lang = i18n.lang.get();
        ops().into_iter().filter(|o| o.refused.is_none()).map(|o| {
            let id = format!("{}{}", id_prefix.get_value(), o.req.button_id());
            let req = o.req.clone();
            view! {
                <li class="op">
                    <button type="button" id=id class=o.req.button_class() disabled=move || busy.get()
                        on:click=move |ev: web_sys::MouseEvent| {
                            // The dialog gives the focus back to what had it when it opened: make
                            // that this button (Safari does not focus clicked buttons).
                            if let Some(b) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                                let _ = b.focus();
                            }
                            pending.set(Some(req.clone()));
                        }>
                        {o.req.title(lang)}
                    </button>
                </li>
            }
        }).collect_view()
    };
    let none_offered = move || ops().iter().all(|o| o.refused.is_some());
    // What is not possible now, each with the agent's reason: one line, opened on demand.
    let unavailable = move || {
        let lang = i18n.lang.get();
        let refused: Vec<OpState> = ops().into_iter().filter(|o| o.refused.is_some()).collect();
        (!refused.is_empty()).then(|| {
            let count = refused.len().to_string();
            let items = refused
                .into_iter()
                .map(|o| {
                    let why_id = format!("{}{}-why", id_prefix.get_value(), o.req.button_id());
                    let why = o.refused.as_ref().map(|e| refusal(lang, e)).unwrap_or_default();
                    view! {
                        <li>
                            <span class="op-name">{o.req.title(lang)}</span>
                            " "
                            <span class="op-why" id=why_id>{why}</span>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <details class="op-unavailable">
                    <summary>{text_with(lang, "op.unavailable", &[("count", &count)])}</summary>
                    <ul>{items}</ul>
                </details>
            }
        })
    };
    let confirm_dialog = move || {
        pending.get().map(|req| {
            let lang = move || i18n.lang.get();
            let effect = {
                let req = req.clone();
                move || model.with(|m| m.as_ref().map(|m| req.effect(lang(), &m.node, m.stage)).unwrap_or_default())
            };
            let title = {
                let req = req.clone();
                move || req.title(lang())
            };
            view! {
                <Modal class="confirm-dialog" labelled_by=crate::ids::uid("op-dialog-title") described_by=crate::ids::uid("op-dialog-body")
                    initial_focus=crate::ids::uid("op-back") on_cancel=back>
                    <h2 id=crate::ids::uid("op-dialog-title")>{title}</h2>
                    <p id=crate::ids::uid("op-dialog-body")>{effect}</p>
                    <div class="actions">
                        <button type="button" id=crate::ids::uid("op-confirm") class=if req.destructive() { "danger" } else { "primary" } on:click=confirm>{i18n.t("op.confirm")}</button>
                        <button type="button" id=crate::ids::uid("op-back") on:click=move |_| back.run(())>{i18n.t("op.back")}</button>
                    </div>
                </Modal>
            }
        })
    };
    view! {
        <section class="dag-ops" aria-labelledby=crate::ids::uid("ops-title")>
            <h2 id=crate::ids::uid("ops-title")>{i18n.t("op.title")}</h2>
            <Show when=none_offered>
                <p class="hint op-none">{i18n.t("op.none")}</p>
            </Show>
            <ul class="op-list">{buttons}</ul>
            {unavailable}
            {confirm_dialog}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_texts() {
        let ops: Vec<OpRequest> = DagOperation::ALL
            .into_iter()
            .map(|op| OpRequest::Dag {
                dag_id: "142".into(),
                op,
            })
            .chain([OpRequest::NodePass {
                node_id: "1101".into(),
                node_name: "Check backup config".into(),
            }])
            .collect();
        for r in &ops {
            for lang in [Lang::En, Lang::Zh] {
                let (t, e) = r.keys();
                assert_ne!(r.title(lang), t);
                assert_ne!(r.effect(lang, "N", 1), e);
            }
        }
        assert_eq!(ops[0].target(), "/api/v1/task/dag/142");
        assert_eq!(ops[0].body(), serde_json::json!({"operator": "RETRY"}));
        assert_eq!(ops[4].target(), "/api/v1/task/node/1101");
        assert_eq!(ops[4].body(), serde_json::json!({"operator": "PASS"}));
        assert_eq!(ops[4].button_id(), "op-node-pass-1101");
        assert!(ops[4].title(Lang::En).contains("Check backup config"));
    }
}
