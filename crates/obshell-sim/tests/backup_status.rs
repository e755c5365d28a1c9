//! Backup status for demos and tests: seeded history, backup job duration, many tenants, and the
//! exact key order of the status endpoints (docs/protocol.md §5.4).

mod support;
use obshell_sim::Config;
use serde_json::{json, Value};
use support::*;

const HOUR: i128 = 3_600_000_000_000;

fn nanos(v: &Value) -> i128 {
    obshell_proto::go::time::parse_rfc3339(v.as_str().unwrap_or_else(|| panic!("not a time: {v}"))).unwrap()
}

fn agent_now() -> i128 {
    now_secs() as i128 * 1_000_000_000
}

#[tokio::test]
async fn seeded_history_is_ten_days_of_jobs_with_a_failure_and_a_cancel() {
    let sim = start_default().await;
    let c = &sim.client;
    let seeded = c
        .control("POST", "/__sim/seed-history", Some(r#"{"tenant":"t1"}"#))
        .await;
    assert_eq!(
        seeded,
        json!({"tenant":"t1","tenant_id":1002,"jobs":6,"backup_set_ids":[1,2,3,4,5,6],"archive_status":"DOING"})
    );
    // Destinations as `--seed-backup` writes them.
    assert_eq!(
        c.get("/api/v1/tenant/t1/backup/config/storage").await.assert_ok(),
        json!({"tenant_id":1002,"archive_base_uri":"file:///data/backup/1/1002/clog","data_base_uri":"file:///data/backup/1/1002/data"})
    );

    let failed = c.get("/api/v1/tenant/t1/backup/tasks?status=FAILED").await.assert_ok();
    assert_eq!(
        failed["page"],
        json!({"total_elements":1,"total_pages":1,"size":2147483647,"number":1})
    );
    let f = &failed["contents"][0];
    assert_eq!(
        (
            &f["tenant_id"],
            &f["backup_set_id"],
            &f["backup_type"],
            &f["plus_archivelog"],
            &f["status"],
            &f["result"],
            &f["path"]
        ),
        (
            &json!(1002),
            &json!(4),
            &json!("INC"),
            &json!("OFF"),
            &json!("FAILED"),
            &json!(-4009),
            &json!("file:///data/backup/1/1002/data/backup_set_4_inc")
        )
    );
    assert!(
        f["comment"].as_str().unwrap().contains("IO error, ret=-4009") && f["end_timestamp"].is_string(),
        "{f}"
    );
    let canceled = c
        .get("/api/v1/tenant/t1/backup/tasks?status=CANCELED")
        .await
        .assert_ok();
    assert_eq!(
        (
            &canceled["contents"][0]["backup_set_id"],
            &canceled["contents"][0]["result"],
            &canceled["contents"][0]["comment"],
            &canceled["contents"][0]["backup_type"]
        ),
        (&json!(5), &json!(-4072), &json!("backup canceled"), &json!("FULL"))
    );

    // Newest first; start times within the last ten days, each job minutes long.
    let all = c.get("/api/v1/tenant/t1/backup/tasks").await.assert_ok();
    let jobs = all["contents"].as_array().unwrap();
    let col = |k: &str| jobs.iter().map(|j| j[k].clone()).collect::<Vec<_>>();
    assert_eq!(col("backup_set_id"), [6, 5, 4, 3, 2, 1].map(|i| json!(i)));
    assert_eq!(
        col("status"),
        ["COMPLETED", "CANCELED", "FAILED", "COMPLETED", "COMPLETED", "COMPLETED"].map(|s| json!(s))
    );
    assert_eq!(
        col("backup_type"),
        ["FULL", "FULL", "INC", "INC", "INC", "FULL"].map(|s| json!(s))
    );
    assert_eq!(col("job_id"), [6, 5, 4, 3, 2, 1].map(|i| json!(i)));
    let now = agent_now();
    for j in jobs {
        let (start, end) = (nanos(&j["start_timestamp"]), nanos(&j["end_timestamp"]));
        assert!(start > now - 240 * HOUR && start < now - 24 * HOUR, "{j}");
        let minutes = (end - start) / (HOUR / 60);
        assert!((1..60).contains(&minutes), "{j}");
        let kind = if j["backup_type"] == "INC" { "inc" } else { "full" };
        assert_eq!(
            j["path"],
            format!(
                "file:///data/backup/1/1002/data/backup_set_{}_{kind}",
                j["backup_set_id"]
            )
        );
    }

    // The overview shows the newest job, the newest full one.
    let ov = c.get("/api/v1/tenant/t1/backup/overview").await.assert_ok()["status"].clone();
    assert_eq!(
        (&ov["status"], &ov["backup_set_id"], &ov["result"], &ov["path"]),
        (
            &json!("COMPLETED"),
            &json!(6),
            &json!(0),
            &json!("file:///data/backup/1/1002/data/backup_set_6_full")
        )
    );
    assert_eq!(ov["start_timestamp"], jobs[0]["start_timestamp"]);
    let cluster = c.get("/api/v1/obcluster/backup/overview").await.assert_ok();
    assert_eq!(
        cluster["statuses"].as_array().unwrap().len(),
        1,
        "t2 has no backup: {cluster}"
    );
    c.get("/api/v1/tenant/t2/backup/overview")
        .await
        .assert_err(404, "Task.NotFound", "Task not found: no backup task");

    // Archiving DOING, the round started before the first backup.
    let log = c.get("/api/v1/tenant/t1/backup/log/tasks").await.assert_ok();
    assert_eq!(
        (&log["contents"][0]["status"], &log["contents"][0]["round_id"]),
        (&json!("DOING"), &json!(1))
    );
    assert!(nanos(&log["contents"][0]["start_time"]) < nanos(&jobs[5]["start_timestamp"]));
    let info = c.get("/api/v1/tenant/t1/backup/info").await.assert_ok();
    assert_eq!(info["lastest_data_backup_time"], jobs[0]["start_timestamp"]);

    // The next backup continues the history: an incremental one is allowed and takes set 7.
    let dag = c
        .post("/api/v1/tenant/t1/backup", r#"{"mode":"incremental"}"#)
        .await
        .assert_ok();
    assert_eq!(c.wait_finished(dag["id"].as_str().unwrap()).await["state"], "SUCCEED");
    let ov = c.get("/api/v1/tenant/t1/backup/overview").await.assert_ok()["status"].clone();
    assert_eq!(
        (&ov["backup_set_id"], &ov["path"]),
        (&json!(7), &json!("file:///data/backup/1/1002/data/backup_set_7_inc"))
    );

    // Seeding again replaces the history (same sets); the default tenant is the first user one.
    let again = c.control("POST", "/__sim/seed-history", None).await;
    assert_eq!((&again["tenant"], &again["jobs"]), (&json!("t1"), &json!(6)));
    let all = c.get("/api/v1/tenant/t1/backup/tasks").await.assert_ok();
    assert_eq!(all["page"]["total_elements"], 6);
    for bad in [r#"{"tenant":"sys"}"#, r#"{"tenant":"nope"}"#, r#"{"tenant":3}"#] {
        let r = raw(sim.addr, "POST", "/__sim/seed-history", &[], Some(bad.as_bytes()))
            .await
            .unwrap();
        assert_eq!(r.status, 400, "{bad}: {}", r.text());
    }
    sim.handle.shutdown().await;
}

#[tokio::test]
async fn seed_history_at_start_for_named_tenants() {
    let sim = start(Config {
        seed_history: Some(vec!["t2".into()]),
        ..Config::for_tests()
    })
    .await;
    let c = &sim.client;
    let ov = c.get("/api/v1/obcluster/backup/overview").await.assert_ok();
    let statuses = ov["statuses"].as_array().unwrap();
    assert_eq!(statuses.len(), 1, "{ov}");
    assert_eq!(
        (&statuses[0]["tenant_id"], &statuses[0]["backup_set_id"]),
        (&json!(1004), &json!(6))
    );
    let failed = c.get("/api/v1/tenant/t2/backup/tasks?status=FAILED").await.assert_ok();
    assert_eq!(
        failed["contents"][0]["path"],
        "file:///data/backup/1/1004/data/backup_set_4_inc"
    );
    sim.handle.shutdown().await;
    let refused = obshell_sim::serve(Config {
        seed_history: Some(vec!["sys".into()]),
        ..Config::for_tests()
    })
    .await;
    assert!(refused.is_err_and(|e| e.to_string().contains("no user tenant \"sys\"")));
}

/// Overview's job id and status of t1.
async fn t1_job(c: &Client) -> (i64, String) {
    let r = c.get("/api/v1/tenant/t1/backup/overview").await;
    if r.status == 404 {
        return (0, String::new());
    }
    let s = r.assert_ok()["status"].clone();
    (s["job_id"].as_i64().unwrap(), s["status"].as_str().unwrap().to_string())
}

/// Ticks until t1's overview shows a job newer than `after`; returns its id (status INIT).
async fn tick_until_job(sim: &Sim, after: i64) -> i64 {
    for _ in 0..100 {
        let (id, status) = t1_job(&sim.client).await;
        if id > after {
            assert_eq!(status, "INIT");
            return id;
        }
        sim.handle.state.tick(1);
    }
    panic!("no backup job started");
}

#[tokio::test]
async fn backup_ticks_keep_a_job_running_until_it_is_cancelled() {
    let sim = start(Config {
        backup_ticks: 4,
        ..Config::for_tests()
    })
    .await;
    let c = &sim.client;
    c.control("POST", "/__sim/scheduler", Some(r#"{"paused":true}"#)).await;
    c.control("POST", "/__sim/seed-history", None).await;
    assert_eq!(c.control("GET", "/__sim/backup", None).await, json!({"ticks":4}));

    // `--backup-ticks 4`: DOING after 3 ticks, COMPLETED on the 4th.
    let dag = c.post("/api/v1/tenant/t1/backup", "{}").await.assert_ok();
    let dag = dag["id"].as_str().unwrap().to_string();
    let first = tick_until_job(&sim, 6).await;
    for _ in 0..3 {
        sim.handle.state.tick(1);
        assert_eq!(t1_job(c).await, (first, "DOING".into()));
    }
    sim.handle.state.tick(1);
    assert_eq!(t1_job(c).await, (first, "COMPLETED".into()));
    for _ in 0..50 {
        if c.get_dag(&dag).await["state"] == "SUCCEED" {
            break;
        }
        sim.handle.state.tick(1);
    }
    assert_eq!(c.get_dag(&dag).await["state"], "SUCCEED");

    // At run time: 30 ticks, so the next job is still DOING after 29 of them; then cancel.
    assert_eq!(
        c.control("POST", "/__sim/backup", Some(r#"{"ticks":30}"#)).await,
        json!({"ticks":30})
    );
    let dag = c.post("/api/v1/tenant/t1/backup", "{}").await.assert_ok();
    let dag = dag["id"].as_str().unwrap().to_string();
    let second = tick_until_job(&sim, first).await;
    sim.handle.state.tick(29);
    assert_eq!(t1_job(c).await, (second, "DOING".into()));
    c.patch("/api/v1/tenant/t1/backup", "").await.assert_ok();
    assert_eq!(t1_job(c).await, (second, "CANCELING".into()));
    sim.handle.state.tick(1);
    assert_eq!(t1_job(c).await, (second, "CANCELED".into()));
    let canceled = c
        .get("/api/v1/tenant/t1/backup/tasks?status=CANCELED")
        .await
        .assert_ok();
    let newest = &canceled["contents"][0];
    assert_eq!(
        (&newest["job_id"], &newest["result"], &newest["comment"]),
        (&json!(second), &json!(-4072), &json!("backup canceled"))
    );
    // The DAG's wait ends with the job gone from CDB_OB_BACKUP_JOBS.
    for _ in 0..50 {
        if c.get_dag(&dag).await["state"] == "SUCCEED" {
            break;
        }
        sim.handle.state.tick(1);
    }
    assert_eq!(c.get_dag(&dag).await["state"], "SUCCEED");

    for bad in [r#"{"ticks":0}"#, r#"{"ticks":"5"}"#, "{}"] {
        let r = raw(sim.addr, "POST", "/__sim/backup", &[], Some(bad.as_bytes()))
            .await
            .unwrap();
        assert_eq!(r.status, 400, "{bad}: {}", r.text());
    }
    sim.handle.shutdown().await;
}

#[test]
fn tenants_flag_takes_names_or_a_count() {
    let t = obshell_sim::parse_tenants("50").unwrap();
    assert_eq!((t.len(), t[0].as_str(), t[49].as_str()), (50, "t1", "t50"));
    assert_eq!(obshell_sim::parse_tenants(" t1, t2,,t3 ").unwrap(), ["t1", "t2", "t3"]);
    assert_eq!(obshell_sim::parse_tenants("t1,50").unwrap(), ["t1", "50"]);
    assert!(obshell_sim::parse_tenants("0").is_err());
    assert!(obshell_sim::parse_tenants("1001").is_err());
    assert_eq!(obshell_sim::parse_tenants("1000").unwrap().len(), 1000);
}

#[tokio::test]
async fn fifty_tenants() {
    let sim = start(Config {
        tenants: obshell_sim::parse_tenants("50").unwrap(),
        ..Config::for_tests()
    })
    .await;
    let c = &sim.client;
    let all = c.get("/api/v1/tenants/overview").await.assert_ok();
    let ids: Vec<i64> = all["contents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["tenant_id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 51, "sys and t1..t50");
    assert_eq!((ids[1], ids[50]), (1002, 1100));
    // One cluster-level configuration for all fifty, then history for the last one.
    let dag = c
        .post(
            "/api/v1/obcluster/backup/config",
            r#"{"backup_base_uri":"file:///data/backup"}"#,
        )
        .await
        .assert_ok();
    assert_eq!(c.wait_finished(dag["id"].as_str().unwrap()).await["state"], "SUCCEED");
    assert_eq!(
        c.get("/api/v1/tenant/t50/backup/config/storage").await.assert_ok()["data_base_uri"],
        "file:///data/backup/1/1100/data"
    );
    let seeded = c
        .control("POST", "/__sim/seed-history", Some(r#"{"tenant":"t50"}"#))
        .await;
    assert_eq!(seeded["tenant_id"], 1100);
    let ov = c.get("/api/v1/obcluster/backup/overview").await.assert_ok();
    assert_eq!(ov["statuses"][0]["tenant_id"], 1100, "{ov}");
    sim.handle.shutdown().await;
}

/// Every object's keys in document order, with the dotted path of the object (`[]` for an array
/// element): `serde_json::Value` sorts keys, so the order is read from the raw bytes.
fn objects(text: &str) -> Vec<(String, Vec<String>)> {
    let b = text.as_bytes();
    let mut done: Vec<(usize, String, Vec<String>)> = Vec::new();
    // Open containers: (is object, path, keys, index in `done` order).
    let mut stack: Vec<(bool, String, Vec<String>)> = Vec::new();
    let mut order = 0usize;
    let mut opened: Vec<usize> = Vec::new();
    let mut key: Option<String> = None;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                let start = i + 1;
                i += 1;
                while b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                let s = &text[start..i];
                let mut j = i + 1;
                while b[j].is_ascii_whitespace() {
                    j += 1;
                }
                if b[j] == b':' {
                    stack.last_mut().expect("a key inside an object").2.push(s.to_string());
                    key = Some(s.to_string());
                }
            }
            b'{' | b'[' => {
                let path = match stack.last() {
                    None => String::new(),
                    Some((true, p, _)) => {
                        let k = key.take().expect("a value's key");
                        if p.is_empty() {
                            k
                        } else {
                            format!("{p}.{k}")
                        }
                    }
                    Some((false, p, _)) => format!("{p}[]"),
                };
                stack.push((b[i] == b'{', path, Vec::new()));
                opened.push(order);
                order += 1;
            }
            b'}' | b']' => {
                let (is_obj, path, keys) = stack.pop().unwrap();
                let n = opened.pop().unwrap();
                if is_obj {
                    done.push((n, path, keys));
                }
            }
            b',' => key = None,
            _ => {}
        }
        i += 1;
    }
    done.sort_by_key(|d| d.0);
    done.into_iter().map(|(_, p, k)| (p, k)).collect()
}

fn keys_at(body: &Resp, path: &str) -> Vec<Vec<String>> {
    objects(&body.text())
        .into_iter()
        .filter(|(p, _)| p == path)
        .map(|(_, k)| k)
        .collect()
}

#[tokio::test]
async fn status_answers_keep_the_agent_s_key_order() {
    let sim = start_default().await;
    let c = &sim.client;
    c.control("POST", "/__sim/seed-history", None).await;
    let task = "tenant_id task_id job_id incarnation backup_set_id start_timestamp end_timestamp status start_scn \
        end_scn user_ls_start_scn encryption_mode input_bytes output_bytes output_rate_bytes extra_meta_bytes \
        tablet_count finish_tablet_count macro_block_count finish_macro_block_count file_count meta_turn_id \
        data_turn_id result comment path";
    let split = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();

    let ov = c.get("/api/v1/tenant/t1/backup/overview").await;
    assert_eq!(keys_at(&ov, "data"), [split("status")]);
    assert_eq!(keys_at(&ov, "data.status"), [split(task)]);
    let cl = c.get("/api/v1/obcluster/backup/overview").await;
    assert_eq!(keys_at(&cl, "data"), [split("statuses")]);
    assert_eq!(keys_at(&cl, "data.statuses[]"), [split(task)]);

    let info = c.get("/api/v1/tenant/t1/backup/info").await;
    assert_eq!(
        keys_at(&info, "data"),
        [split(
            "tenant_id lastest_archive_log_checkpoint lastest_data_backup_time archive_log_delay"
        )]
    );
    let none = c.get("/api/v1/tenant/t2/backup/info").await;
    assert_eq!(keys_at(&none, "data"), [split("tenant_id")]);

    let log = c.get("/api/v1/tenant/t1/backup/log/tasks").await;
    assert_eq!(
        keys_at(&log, "data.contents[]"),
        [split(
            "tenant_id tenant_name round_id status path delay checkpoint start_time"
        )]
    );

    // A running job has no end_timestamp.
    c.control("POST", "/__sim/scheduler", Some(r#"{"paused":true}"#)).await;
    c.control("POST", "/__sim/backup", Some(r#"{"ticks":1000}"#)).await;
    c.post("/api/v1/tenant/t1/backup", "{}").await.assert_ok();
    tick_until_job(&sim, 6).await;
    let tasks = c.get("/api/v1/tenant/t1/backup/tasks?size=2").await;
    assert_eq!(keys_at(&tasks, "data"), [split("contents page")]);
    assert_eq!(
        keys_at(&tasks, "data.page"),
        [split("total_elements total_pages size number")]
    );
    let job = "tenant_id job_id backup_set_id plus_archivelog backup_type start_timestamp end_timestamp status \
        result comment description path";
    let running = split(job).into_iter().filter(|k| k != "end_timestamp").collect();
    assert_eq!(keys_at(&tasks, "data.contents[]"), [running, split(job)]);
    assert_eq!(
        tasks.data()["page"],
        json!({"total_elements":7,"total_pages":4,"size":2,"number":1})
    );
    // Go's int conversions: a size of 2^63 makes the slice start negative and the agent panic
    // (gin's recovery answers); a page past the end is empty; 2^63 - 1 is just large.
    c.get("/api/v1/tenant/t1/backup/tasks?size=9223372036854775808")
        .await
        .assert_err(500, "Common.Unexpected", "Unexpected error: Internal Server Error");
    c.get("/api/v1/tenant/t1/backup/tasks?page=3&size=4611686018427387904")
        .await
        .assert_err(500, "Common.Unexpected", "Unexpected error: Internal Server Error");
    let past = c.get("/api/v1/tenant/t1/backup/tasks?page=9&size=2").await;
    assert_eq!(past.data()["contents"], json!([]));
    let all = c.get("/api/v1/tenant/t1/backup/tasks?size=9223372036854775807").await;
    assert_eq!(all.data()["contents"].as_array().map(Vec::len), Some(7));
    sim.handle.shutdown().await;
}
