//! A tenant's backup history: its data backup jobs (`GET …/backup/tasks` with the agent's own
//! parameters: page and size, status filter, start-time range, sort) and its active archive
//! rounds (`…/backup/log/tasks`). A job links to the task that started it when the task list
//! has one for the same tenant and time.

use crate::api::AgentClient;
use crate::components::dag::model::format_duration;
use crate::components::error_panel::ErrorPanel;
use crate::components::time::agent_time_of;
use crate::components::untrusted::{fill_values, untrusted, visible, Mode};
use crate::i18n::{text, text_with, use_i18n};
use crate::ids::uid;
use crate::nav::{Link, Route};
use crate::pages::overview::model::duration_ms;
use crate::routes;
use leptos::prelude::*;
use obshell_proto::backup_ops::{ArchiveLogTask, BackupJob, BackupJobs, JobState, JOB_STATUSES};
use obshell_proto::dag::DagDetail;
use obshell_proto::envelope::Contents;
use obshell_proto::time::known;

/// The query of the jobs list, as the agent takes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobQuery {
    pub page: u32,
    pub size: u32,
    /// `""` or one of [`JOB_STATUSES`].
    pub status: String,
    /// RFC 3339 or `""` (filter on the start time).
    pub from: String,
    pub to: String,
    /// `start_timestamp,desc` and the like.
    pub sort: String,
}

impl Default for JobQuery {
    fn default() -> Self {
        JobQuery {
            page: 1,
            size: 20,
            status: String::new(),
            from: String::new(),
            to: String::new(),
            sort: "start_timestamp,desc".into(),
        }
    }
}

impl JobQuery {
    /// The request: only the parameters that are set (an empty `start_time` would mean Go's
    /// zero time to the agent).
    pub fn target(&self, tenant: &str) -> routes::ApiTarget {
        let mut t = routes::tenant_backup_jobs(tenant)
            .query("page", self.page.to_string())
            .query("size", self.size.to_string());
        for (k, v) in [
            ("status", &self.status),
            ("start_time", &self.from),
            ("end_time", &self.to),
        ] {
            if !v.is_empty() {
                t = t.query(k, v.clone());
            }
        }
        t.query("sort", self.sort.clone())
    }
}

/// A `datetime-local` value (`2026-05-11T10:05`, the browser's zone) as RFC 3339 with the
/// browser's offset, `""` when empty or malformed.
pub fn local_input_to_rfc3339(v: &str, offset_minutes_east: i32) -> String {
    let ok = v.len() >= 16 && v.as_bytes()[10] == b'T';
    if !ok {
        return String::new();
    }
    let secs = if v.len() == 16 { ":00" } else { "" };
    let sign = if offset_minutes_east < 0 { '-' } else { '+' };
    let m = offset_minutes_east.abs();
    format!("{v}{secs}{sign}{:02}:{:02}", m / 60, m % 60)
}

/// The DAG that most likely started `job`: a backup DAG of the same tenant (or the cluster's)
/// whose run covers the job's start.
pub fn task_of_job<'a>(job: &BackupJob, tenant: &str, dags: &'a [DagDetail]) -> Option<&'a DagDetail> {
    let start = known(&job.start_timestamp)?.unix_millis();
    dags.iter()
        .filter(|d| {
            let n = &d.name;
            let backup =
                n.starts_with("Obcluster start full backup") || n.starts_with("Obcluster start increment backup");
            let ours = !n.contains(" for ") || n.ends_with(&format!(" for {tenant}"));
            backup && ours
        })
        .filter(|d| {
            let (Some(s), e) = (known(&d.start_time), known(&d.end_time)) else {
                return false;
            };
            let s = s.unix_millis();
            // A finished DAG ends after its job; a running one has no end yet.
            let e = e.map(|e| e.unix_millis()).filter(|e| *e >= s).unwrap_or(i64::MAX);
            s - 1000 <= start && start <= e
        })
        .max_by_key(|d| d.dag_id)
}

#[component]
pub fn HistoryPage(#[prop(into)] tenant: String) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<AgentClient>();
    let query = RwSignal::new(JobQuery::default());
    let tenant = StoredValue::new(tenant);
    let jobs = {
        let client = client.clone();
        LocalResource::new(move || {
            let client = client.clone();
            let q = query.get();
            let t = tenant.get_value();
            async move {
                client
                    .get::<BackupJobs>(q.target(&t))
                    .await
                    .map(Option::unwrap_or_default)
            }
        })
    };
    let rounds = {
        let client = client.clone();
        LocalResource::new(move || {
            let client = client.clone();
            let t = tenant.get_value();
            async move {
                client
                    .get::<Contents<ArchiveLogTask>>(routes::tenant_archive_rounds(&t))
                    .await
                    .map(|c| c.map(|c| c.contents).unwrap_or_default())
            }
        })
    };
    // The backup DAGs, to link jobs to their tasks (a failure only loses the links).
    let dags = {
        let client = client.clone();
        LocalResource::new(move || {
            let client = client.clone();
            async move {
                client
                    .get::<Contents<DagDetail>>(routes::dag_history())
                    .await
                    .ok()
                    .flatten()
                    .map(|c| c.contents)
                    .unwrap_or_default()
            }
        })
    };
    let offset = -(js_sys::Date::new_0().get_timezone_offset() as i32);
    let set = move |f: fn(&mut JobQuery, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            query.update(|q| {
                f(q, v);
                q.page = 1;
            });
        }
    };

    let job_rows = move || {
        let lang = i18n.lang.get();
        let t = tenant.get_value();
        let dags = dags.get().unwrap_or_default();
        jobs.get().map(|r| match r {
            Err(e) => {
                view! { <tr><td colspan="8"><ErrorPanel error=Signal::derive(move || Some(e.clone()))/></td></tr> }
                    .into_any()
            }
            Ok(j) if j.contents.is_empty() => {
                view! { <tr><td colspan="8" class="muted">{text(lang, "history.none")}</td></tr> }.into_any()
            }
            Ok(j) => j
                .contents
                .iter()
                .map(|job| job_row(lang, job, task_of_job(job, &t, &dags).map(|d| d.id.clone())))
                .collect_view()
                .into_any(),
        })
    };
    let paging = move || {
        let lang = i18n.lang.get();
        jobs.get().and_then(|r| r.ok()).map(|j| {
            let pages = j.page.total_pages.max(1);
            let page = query.with(|q| q.page) as u64;
            view! {
                <nav class="pager" aria-label=text(lang, "overview.pages")>
                    <button type="button" disabled={page <= 1} on:click=move |_| query.update(|q| q.page = q.page.saturating_sub(1).max(1))>
                        {text(lang, "overview.previous")}
                    </button>
                    <span>{text_with(lang, "history.page", &[("page", &page.to_string()), ("pages", &pages.to_string()), ("total", &j.page.total_elements.to_string())])}</span>
                    <button type="button" disabled={page >= pages} on:click=move |_| query.update(|q| q.page += 1)>
                        {text(lang, "overview.next")}
                    </button>
                </nav>
            }
        })
    };
    let round_rows = move || {
        let lang = i18n.lang.get();
        rounds.get().map(|r| match r {
            Err(e) => {
                view! { <tr><td colspan="6"><ErrorPanel error=Signal::derive(move || Some(e.clone()))/></td></tr> }
                    .into_any()
            }
            Ok(list) if list.is_empty() => {
                view! { <tr><td colspan="6" class="muted">{text(lang, "history.no_rounds")}</td></tr> }.into_any()
            }
            Ok(list) => list
                .into_iter()
                .map(|r| {
                    view! {
                        <tr>
                            <th scope="row">{r.round_id}</th>
                            <td data-status=r.status.clone()>{untrusted(r.status.clone())}</td>
                            <td>{agent_time_of(lang, &r.start_time)}</td>
                            <td>{agent_time_of(lang, &r.checkpoint)}</td>
                            <td>{format_duration((r.delay * 1000.0) as i64)}</td>
                            <td>{untrusted(r.path.clone())}</td>
                        </tr>
                    }
                })
                .collect_view()
                .into_any(),
        })
    };

    view! {
        <section class="card wide history" aria-labelledby=uid("history-title")>
            <h1 id=uid("history-title")>{move || fill_values(i18n.lang.get(), "history.title", &[("tenant", &tenant.get_value())])}</h1>
            <p><Link route=Route::Overview>{i18n.t("history.back")}</Link></p>
            <h2 id=uid("history-jobs")>{i18n.t("history.jobs")}</h2>
            <div class="filters">
                <div class="field">
                    <label for=uid("history-status")>{i18n.t("history.status")}</label>
                    <select id=uid("history-status") on:change=set(|q, v| q.status = v)>
                        <option value="">{i18n.t("history.all_statuses")}</option>
                        {JOB_STATUSES.iter().map(|s| view! { <option value=*s>{*s}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=uid("history-from")>{i18n.t("history.from")}</label>
                    <input type="datetime-local" id=uid("history-from") on:change=move |ev| {
                        let v = local_input_to_rfc3339(&event_target_value(&ev), offset);
                        query.update(|q| { q.from = v; q.page = 1; });
                    }/>
                </div>
                <div class="field">
                    <label for=uid("history-to")>{i18n.t("history.to")}</label>
                    <input type="datetime-local" id=uid("history-to") on:change=move |ev| {
                        let v = local_input_to_rfc3339(&event_target_value(&ev), offset);
                        query.update(|q| { q.to = v; q.page = 1; });
                    }/>
                </div>
                <div class="field">
                    <label for=uid("history-sort")>{i18n.t("history.sort")}</label>
                    <select id=uid("history-sort") on:change=set(|q, v| q.sort = v)>
                        <option value="start_timestamp,desc">{i18n.t("history.sort_start_desc")}</option>
                        <option value="start_timestamp,asc">{i18n.t("history.sort_start_asc")}</option>
                        <option value="end_timestamp,desc">{i18n.t("history.sort_end_desc")}</option>
                        <option value="end_timestamp,asc">{i18n.t("history.sort_end_asc")}</option>
                    </select>
                </div>
            </div>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby=uid("history-jobs")>
                <table class="history-jobs">
                    <thead>
                        <tr>
                            <th scope="col">{i18n.t("history.set")}</th>
                            <th scope="col">{i18n.t("history.type")}</th>
                            <th scope="col">{i18n.t("history.status")}</th>
                            <th scope="col">{i18n.t("history.start")}</th>
                            <th scope="col">{i18n.t("history.end")}</th>
                            <th scope="col">{i18n.t("history.took")}</th>
                            <th scope="col">{i18n.t("history.result")}</th>
                            <th scope="col">{i18n.t("history.task")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <Suspense fallback=move || view! { <tr><td colspan="8" class="muted">{i18n.t("common.loading")}</td></tr> }>
                            {job_rows}
                        </Suspense>
                    </tbody>
                </table>
            </div>
            <Suspense fallback=|| ()>{paging}</Suspense>
            <h2 id=uid("history-rounds")>{i18n.t("history.rounds")}</h2>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby=uid("history-rounds")>
                <table class="history-rounds">
                    <thead>
                        <tr>
                            <th scope="col">{i18n.t("history.round")}</th>
                            <th scope="col">{i18n.t("history.status")}</th>
                            <th scope="col">{i18n.t("history.start")}</th>
                            <th scope="col">{i18n.t("history.checkpoint")}</th>
                            <th scope="col">{i18n.t("history.delay")}</th>
                            <th scope="col">{i18n.t("history.path")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <Suspense fallback=|| ()>{round_rows}</Suspense>
                    </tbody>
                </table>
            </div>
        </section>
    }
}

fn job_row(lang: obshell_proto::Lang, job: &BackupJob, task: Option<String>) -> impl IntoView {
    let state = JobState::of(&job.status);
    let kind = match job.backup_type.as_str() {
        "INC" => text(lang, "overview.incremental"),
        _ => text(lang, "overview.full"),
    };
    let end = job.end_timestamp.clone().unwrap_or_default();
    let took = duration_ms(&job.start_timestamp, &end)
        .map(format_duration)
        .unwrap_or_else(|| "—".into());
    let result = if job.result == 0 {
        "—".to_string()
    } else {
        format!("{} {}", job.result, job.comment)
    };
    let class = match state {
        JobState::Completed => "ok",
        JobState::Failed => "bad",
        JobState::Canceled | JobState::Canceling => "warn",
        JobState::Running => "info",
    };
    view! {
        <tr data-job=job.job_id.to_string()>
            <th scope="row">{format!("#{}", job.backup_set_id)}</th>
            <td>{kind}{(job.plus_archivelog == "ON").then(|| format!(" + {}", text(lang, "history.plus_archive")))}</td>
            <td><span class=format!("status status-{class}") data-status=job.status.clone()>{untrusted(job.status.clone())}</span></td>
            <td>{agent_time_of(lang, &job.start_timestamp)}</td>
            <td>{agent_time_of(lang, &end)}</td>
            <td>{took}</td>
            <td>{untrusted(result)}</td>
            <td>{task.map(|id| view! { <Link route=Route::Task(id.clone())>{text_with(lang, "history.task_link", &[("id", &visible(&id, Mode::Value))])}</Link> })}</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_jobs_query_sends_only_what_is_set() {
        let q = JobQuery::default();
        assert_eq!(
            q.target("t1").to_string(),
            "/api/v1/tenant/t1/backup/tasks?page=1&size=20&sort=start_timestamp,desc"
        );
        let q = JobQuery {
            status: "FAILED".into(),
            from: "2026-05-01T00:00:00+02:00".into(),
            ..Default::default()
        };
        assert_eq!(
            q.target("t1").to_string(),
            "/api/v1/tenant/t1/backup/tasks?page=1&size=20&status=FAILED&start_time=2026-05-01T00:00:00+02:00&sort=start_timestamp,desc"
        );
    }

    #[test]
    fn datetime_local_becomes_rfc3339_in_the_browser_zone() {
        assert_eq!(
            local_input_to_rfc3339("2026-05-11T10:05", 120),
            "2026-05-11T10:05:00+02:00"
        );
        assert_eq!(
            local_input_to_rfc3339("2026-05-11T10:05:30", -330),
            "2026-05-11T10:05:30-05:30"
        );
        assert_eq!(local_input_to_rfc3339("", 0), "");
    }

    #[test]
    fn a_job_links_to_the_backup_task_of_its_tenant_and_time() {
        let dag = |id: i64, name: &str, start: &str, end: &str| {
            DagDetail {
            id: format!("1{id}"),
            dag_id: id,
            name: name.into(),
            start_time: start.into(),
            end_time: end.into(),
            ..serde_json::from_str(r#"{"id":"1","dag_id":1,"name":"","stage":1,"max_stage":4,"state":"SUCCEED","operator":"RUN","start_time":"","end_time":""}"#).unwrap()
        }
        };
        let dags = vec![
            dag(
                1,
                "Obcluster start full backup for t2",
                "2026-05-11T10:00:00+08:00",
                "2026-05-11T10:10:00+08:00",
            ),
            dag(
                2,
                "Obcluster start full backup for t1",
                "2026-05-11T10:00:00+08:00",
                "2026-05-11T10:10:00+08:00",
            ),
            dag(
                3,
                "Set obcluster backup config",
                "2026-05-11T10:00:00+08:00",
                "2026-05-11T10:10:00+08:00",
            ),
        ];
        let job = BackupJob {
            start_timestamp: "2026-05-11T10:00:05+08:00".into(),
            ..Default::default()
        };
        assert_eq!(task_of_job(&job, "t1", &dags).map(|d| d.dag_id), Some(2));
        let later = BackupJob {
            start_timestamp: "2026-05-11T11:00:00+08:00".into(),
            ..Default::default()
        };
        assert_eq!(task_of_job(&later, "t1", &dags), None);
    }
}
