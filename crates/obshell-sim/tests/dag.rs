//! DAG behaviour over time: progression, failure, retry, pass, cancel, rollback, locks.

mod support;
use serde_json::Value;
use std::time::Duration;
use support::*;

const T: Duration = Duration::from_secs(20);

fn states(d: &Value, path: &str) -> Vec<String> {
    d["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|n| match path {
            "node" => vec![format!(
                "{}/{}",
                n["state"].as_str().unwrap(),
                n["operator"].as_str().unwrap()
            )],
            _ => n["sub_tasks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| format!("{}/{}", t["state"].as_str().unwrap(), t["operator"].as_str().unwrap()))
                .collect(),
        })
        .collect()
}

#[tokio::test]
async fn cluster_config_dag_runs_through_stages_with_exact_logs() {
    let sim = start_default().await;
    let c = &sim.client;
    // Archive log DOING first, so node 2 has to close it and wait for STOP.
    c.post(
        "/api/v1/obcluster/backup/config",
        r#"{"backup_base_uri":"file:///data/backup"}"#,
    )
    .await
    .assert_ok();
    let first = c.get("/api/v1/task/dags/ob?show_details=false").await.assert_ok();
    let first_id = first["contents"][0]["id"].as_str().unwrap().to_string();
    c.wait_finished(&first_id).await;
    // `PATCH …/backup/log {"status":"DOING"}` does nothing while a tenant has no archive round
    // yet (`startArchiveLog` has no case for ""); a full backup opens the archive log.
    c.patch("/api/v1/obcluster/backup/log", r#"{"status":"DOING"}"#)
        .await
        .assert_ok();
    sim.handle.state.tick(3);
    assert_eq!(
        c.get("/api/v1/tenant/t1/backup/log/tasks").await.assert_ok()["contents"],
        serde_json::json!([])
    );
    let backup = c.post("/api/v1/obcluster/backup", "{}").await.assert_ok()["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(c.wait_finished(&backup).await["state"], "SUCCEED");
    assert_eq!(
        c.get("/api/v1/tenant/t1/backup/log/tasks").await.assert_ok()["contents"][0]["status"],
        "DOING"
    );

    // Step the scheduler by hand to see every intermediate state.
    c.control("POST", "/__sim/scheduler", Some(r#"{"paused":true}"#)).await;
    let body = r#"{"backup_base_uri":"file:///data/backup","log_archive_concurrency":100,"binding":"Mandatory","ha_low_thread_score":35,"piece_switch_interval":"6d","archive_lag_target":"2H","delete_policy":{"policy":"","recovery_window":"5d"}}"#;
    let created = c.post("/api/v1/obcluster/backup/config", body).await.assert_ok();
    assert_eq!(created["name"], "Set obcluster backup config");
    assert_eq!(created["state"], "READY");
    assert_eq!(created["operator"], "RUN");
    assert_eq!(created["stage"], 1);
    assert_eq!(created["max_stage"], 2);
    assert_eq!(created["maintenance_type"], 1);
    assert_eq!(created["maintenance_key"], "");
    assert_eq!(created["start_time"], "0001-01-01T00:00:00Z");
    assert_eq!(created["end_time"], "0001-01-01T00:00:00Z");
    assert!(created["nodes"].is_null() && created["additional_data"].is_null());
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(id, format!("1{}", created["dag_id"]));

    let step = |n: u32| {
        c.control(
            "POST",
            "/__sim/tick",
            Some(Box::leak(format!(r#"{{"count":{n}}}"#).into_boxed_str())),
        )
    };
    let d = c.get_dag(&id).await;
    assert_eq!((d["state"].as_str(), d["stage"].as_i64()), (Some("READY"), Some(1)));
    assert_eq!(states(&d, "node"), ["PENDING/RUN", "PENDING/RUN"]);
    assert!(d["nodes"][0]["sub_tasks"][0]["task_logs"].is_null());
    assert_eq!(d["start_time"], d["end_time"]);
    step(1).await;
    let d = c.get_dag(&id).await;
    assert_eq!((d["state"].as_str(), d["stage"].as_i64()), (Some("RUNNING"), Some(1)));
    assert_eq!(
        states(&d, "sub"),
        ["READY/RUN", "READY/RUN", "READY/RUN", "PENDING/RUN"]
    );
    assert_eq!(d["nodes"][0]["sub_tasks"][0]["execute_times"], 1);
    step(1).await;
    let d = c.get_dag(&id).await;
    assert_eq!(
        states(&d, "sub"),
        ["SUCCEED/RUN", "SUCCEED/RUN", "SUCCEED/RUN", "PENDING/RUN"]
    );
    assert_eq!(states(&d, "node"), ["RUNNING/RUN", "PENDING/RUN"]);
    step(1).await;
    let d = c.get_dag(&id).await;
    assert_eq!((d["state"].as_str(), d["stage"].as_i64()), (Some("RUNNING"), Some(2)));
    assert_eq!(states(&d, "node"), ["SUCCEED/RUN", "PENDING/RUN"]);
    step(1).await;
    let d = c.get_dag(&id).await;
    assert_eq!(states(&d, "node"), ["SUCCEED/RUN", "RUNNING/RUN"]);
    assert_eq!(states(&d, "sub")[3], "READY/RUN");
    step(1).await;
    let d = c.get_dag(&id).await;
    assert_eq!(states(&d, "sub")[3], "RUNNING/RUN");
    // Waiting for the archive log to reach STOP takes a few ticks.
    assert_eq!(
        node_logs(&d, 2)[0].last().unwrap(),
        "Wait for t1(1002) archive log to be 'STOP'"
    );
    c.control("POST", "/__sim/scheduler", Some(r#"{"paused":false}"#)).await;
    let (seen, d) = c.wait_dag(&id, T, |d| d["state"] == "SUCCEED").await;
    assert_eq!(seen.last().unwrap(), &("SUCCEED".to_string(), 2));
    assert_eq!(d["additional_data"], serde_json::json!({}));
    assert_eq!(states(&d, "node"), ["SUCCEED/RUN", "SUCCEED/RUN"]);
    let n1 = &d["nodes"][0];
    assert_eq!(n1["name"], "Check backup config");
    assert_eq!(n1["sub_tasks"].as_array().unwrap().len(), 3);
    let agents: Vec<String> = n1["sub_tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["execute_agent"]["ip"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(agents, ["10.0.0.1", "10.0.0.2", "10.0.0.3"]);
    for logs in node_logs(&d, 1) {
        assert_eq!(
            logs,
            [
                "Check archive path for all tenants",
                "Storage type is 'file'",
                "Check 't1' wirte permission",
                "Check 't2' wirte permission",
                "Check data path for all tenants",
                "Storage type is 'file'",
                "Check 't1' wirte permission",
                "Check 't2' wirte permission"
            ]
        );
    }
    let expected = [
        "Close archive log for t1(1002)",
        "Archive log has been closed for t1(1002)",
        "Close archive log for t2(1004)",
        "Archive log has been closed for t2(1004)",
        "Wait for t1(1002) to close archive log",
        "Wait for t1(1002) archive log to be 'STOP'",
        "Archive log has been closed for t1(1002)",
        "Wait for t2(1004) to close archive log",
        "Wait for t2(1004) archive log to be 'STOP'",
        "Archive log has been closed for t2(1004)",
        "Set log archive concurrency to '100' for t1(1002)",
        "Set log archive concurrency to '100' for t2(1004)",
        "Archive log has been closed for t1(1002)",
        "Archive log has been closed for t2(1004)",
        "Wait for t1(1002) to close archive log",
        "Wait for t1(1002) archive log to be 'STOP'",
        "Archive log has been closed for t1(1002)",
        "Wait for t2(1004) to close archive log",
        "Wait for t2(1004) archive log to be 'STOP'",
        "Archive log has been closed for t2(1004)",
        "Set log archive dest binding to MANDATORY",
        "Set log archive dest piece switch interval to 6d",
        "Set log archive dest for t1(1002)",
        "URI is 'file:///data/backup/1/1002/clog'",
        "Set log archive dest for t2(1004)",
        "URI is 'file:///data/backup/1/1004/clog'",
        "Set archive lag target to 2h",
        "Set data backup dest for t1(1002)",
        "URI is 'file:///data/backup/1/1002/data'",
        "Set data backup dest for t2(1004)",
        "URI is 'file:///data/backup/1/1004/data'",
        "Set ha low thread score for t1(1002) to 35",
        "Set ha low thread score for t2(1004) to 35",
        "Set delete policy to {default 5d} for t1(1002)",
        "Set delete policy to {default 5d} for t2(1004)",
    ];
    assert_eq!(node_logs(&d, 2), vec![expected.to_vec()]);
    let st = &d["nodes"][1]["sub_tasks"][0];
    assert_eq!(st["execute_times"], 1);
    assert_eq!(st["execute_agent"], serde_json::json!({"ip":"10.0.0.1","port":2886}));

    // Readback of what node 2 applied.
    let s = c.get("/api/v1/tenant/t2/backup/config/storage").await.assert_ok();
    assert_eq!(
        s,
        serde_json::json!({"tenant_id":1004,"archive_base_uri":"file:///data/backup/1/1004/clog","data_base_uri":"file:///data/backup/1/1004/data"})
    );
    let p = c
        .get("/api/v1/tenant/t1/parameter/log_archive_concurrency")
        .await
        .assert_ok();
    assert_eq!(
        (p["name"].as_str(), p["value"].as_str(), p["data_type"].as_str()),
        (Some("log_archive_concurrency"), Some("100"), Some("INT"))
    );
    let ps = c
        .get("/api/v1/tenant/t1/parameters?filter=%25archive%25")
        .await
        .assert_ok();
    let names: Vec<(&str, &str)> = ps["contents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["value"].as_str().unwrap()))
        .collect();
    assert_eq!(
        names,
        [("archive_lag_target", "2h"), ("log_archive_concurrency", "100")]
    );
    let ha = c
        .get("/api/v1/tenant/t2/parameter/ha_low_thread_score")
        .await
        .assert_ok();
    assert_eq!(ha["value"], "35");
    // Archive log stays off after a config change.
    let st = c.control("GET", "/__sim/state", None).await;
    assert_eq!(st["tenants"][1]["archive_status"], "STOP");
    assert_eq!(st["tenants"][1]["archive_dest"]["binding"], "MANDATORY");

    // Logs endpoint mirrors task_logs.
    let sub_id = d["nodes"][1]["sub_tasks"][0]["id"].as_str().unwrap();
    let logs = c.get(&format!("/api/v1/task/sub_task/{sub_id}/logs")).await.assert_ok();
    let rows = logs["contents"].as_array().unwrap();
    assert_eq!(rows.len(), expected.len());
    assert_eq!(rows[0]["log_content"], expected[0]);
    assert_eq!(rows[0]["execute_times"], 1);
    assert_eq!(rows[0]["sub_task_id"].as_i64().unwrap().to_string(), &sub_id[1..]);
    sim.handle.shutdown().await;
}

async fn create(c: &Client, uri: &str, body: &str) -> String {
    c.post(uri, body).await.assert_ok()["id"].as_str().unwrap().to_string()
}

async fn op(c: &Client, id: &str, operator: &str) -> Resp {
    c.post(
        &format!("/api/v1/task/dag/{id}"),
        &format!(r#"{{"operator":"{operator}"}}"#),
    )
    .await
}

#[tokio::test]
async fn failed_dag_retry_then_pass() {
    let sim = start_default().await;
    let c = &sim.client;
    let id = create(
        c,
        "/api/v1/obcluster/backup/config",
        r#"{"backup_base_uri":"file://data/backup"}"#,
    )
    .await;
    let d = c.wait_finished(&id).await;
    assert_eq!(
        (d["state"].as_str(), d["operator"].as_str(), d["stage"].as_i64()),
        (Some("FAILED"), Some("RUN"), Some(1))
    );
    assert_eq!(states(&d, "node"), ["FAILED/RUN", "PENDING/RUN"]);
    let line = "ERROR: [OB.Storage.URI.Invalid]: check archive path: get archive storage interface: Invalid storage URI: invalid file path, must start with '/'";
    for logs in node_logs(&d, 1) {
        assert_eq!(logs, ["Check archive path for all tenants", line]);
    }
    // A cluster (non-maintenance) DAG that failed is finished: not in ob/unfinish.
    let un = c.get("/api/v1/task/dag/ob/unfinish").await.assert_ok();
    assert_eq!(un["contents"], serde_json::json!([]));

    // Operations refused on a failed DAG.
    op(c, &id, "CANCEL").await.assert_err(
        400,
        "Task.Dag.Operator.CancelFinishedDag",
        "Failed to cancel DAG: DAG is finished",
    );
    op(c, &id, "run")
        .await
        .assert_err(400, "Task.Dag.Operator.NotSupport", "Operator run is not supported");
    c.post(&format!("/api/v1/task/dag/{id}"), "{}").await.assert_err(
        400,
        "Common.BindJsonFailed",
        "Bind JSON failed: Key: 'DagOperator.Operator' Error:Field validation for 'Operator' failed on the 'required' tag",
    );
    // The whole DagOperator is bound: its DTO fields are type-checked, an empty id is refused,
    // and gin lists every failed rule.
    let dag_url = format!("/api/v1/task/dag/{id}");
    c.post(&dag_url, r#"{"operator":"retry","stage":"x"}"#).await.assert_err(
        400,
        "Common.BindJsonFailed",
        "Bind JSON failed: json: cannot unmarshal string into Go struct field DagOperator.DagDetailDTO.DagDetail.stage of type int",
    );
    c.post(&dag_url, r#"{"operator":"retry","dag_id":1.5}"#).await.assert_err(
        400,
        "Common.BindJsonFailed",
        "Bind JSON failed: json: cannot unmarshal number 1.5 into Go struct field DagOperator.DagDetailDTO.DagDetail.dag_id of type int64",
    );
    // A time Go cannot parse stops the decoding: it wins over an earlier type error.
    c.post(&dag_url, r#"{"stage":"x","start_time":"yesterday","operator":"retry"}"#).await.assert_err(
        400,
        "Common.BindJsonFailed",
        r#"Bind JSON failed: parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006""#,
    );
    c.post(&dag_url, r#"{"operator":"retry","end_time":0}"#)
        .await
        .assert_err(
            400,
            "Common.BindJsonFailed",
            "Bind JSON failed: Time.UnmarshalJSON: input is not a JSON string",
        );
    c.post(&dag_url, r#"{"id":""}"#).await.assert_err(
        400,
        "Common.BindJsonFailed",
        "Bind JSON failed: Key: 'DagOperator.DagDetailDTO.GenericDTO.GenericID' Error:Field validation for 'GenericID' failed on the 'required' tag\nKey: 'DagOperator.Operator' Error:Field validation for 'Operator' failed on the 'required' tag",
    );
    let node_url = format!("/api/v1/task/node/{}", d["nodes"][0]["id"].as_str().unwrap());
    c.post(&node_url, r#"{"operator":"PASS","id":null}"#).await.assert_err(
        400,
        "Common.BindJsonFailed",
        "Bind JSON failed: Key: 'DagOperator.DagDetailDTO.GenericDTO.GenericID' Error:Field validation for 'GenericID' failed on the 'required' tag",
    );

    // RETRY: READY/RUN, node PENDING/RETRY, sub-tasks go through READY/ROLLBACK, execute_times +2.
    c.control("POST", "/__sim/scheduler", Some(r#"{"paused":true}"#)).await;
    op(c, &id, "retry").await.assert_ok();
    let d = c.get_dag(&id).await;
    assert_eq!(
        (d["state"].as_str(), d["operator"].as_str()),
        (Some("READY"), Some("RUN"))
    );
    assert_eq!(d["start_time"], "1970-01-01T08:00:00+08:00");
    assert_eq!(states(&d, "node")[0], "PENDING/RETRY");
    // Next ticks: node RUNNING, failed sub-tasks READY/ROLLBACK, then RUN again.
    c.control("POST", "/__sim/tick", Some(r#"{"count":1}"#)).await;
    let d = c.get_dag(&id).await;
    assert_eq!(
        states(&d, "sub")[..3],
        ["READY/ROLLBACK", "READY/ROLLBACK", "READY/ROLLBACK"]
    );
    assert_eq!(d["nodes"][0]["sub_tasks"][0]["execute_times"], 2);
    // A READY sub-task shows no logs (the agent reads them only once it runs or has finished);
    // its full log rows are still there.
    let sub = d["nodes"][0]["sub_tasks"][0].clone();
    assert_eq!(sub["task_logs"], serde_json::Value::Null);
    let sub_id = sub["id"].as_str().unwrap();
    assert_eq!(
        c.get(&format!("/api/v1/task/sub_task/{sub_id}")).await.assert_ok()["task_logs"],
        serde_json::Value::Null
    );
    let rows = c.get(&format!("/api/v1/task/sub_task/{sub_id}/logs")).await.assert_ok();
    let rows = rows["contents"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    for row in rows {
        // OceanBase's log table: no `is_sync` column, `TIMESTAMP` without fraction.
        assert_eq!(row["is_sync"], false);
        let t = row["create_time"].as_str().unwrap();
        assert!(t.len() == "2026-05-11T10:00:01+08:00".len() && !t.contains('.'), "{t}");
        assert_eq!(row["update_time"], row["create_time"]);
    }
    c.control("POST", "/__sim/scheduler", Some(r#"{"paused":false}"#)).await;
    let (_, d) = c.wait_dag(&id, T, |d| d["state"] == "FAILED").await;
    assert_eq!(d["nodes"][0]["sub_tasks"][0]["execute_times"], 3);
    assert_eq!(d["nodes"][0]["operator"], "RETRY");
    let logs = &node_logs(&d, 1)[0];
    assert_eq!(logs.len(), 4, "{logs:?}");
    assert_eq!(logs[3], line);

    // PASS: synchronous SUCCEED/PASS.
    op(c, &id, "PASS").await.assert_ok();
    let d = c.get_dag(&id).await;
    assert_eq!(
        (d["state"].as_str(), d["operator"].as_str()),
        (Some("SUCCEED"), Some("PASS"))
    );
    assert_eq!(states(&d, "node"), ["SUCCEED/PASS", "SUCCEED/PASS"]);
    assert!(states(&d, "sub").iter().all(|s| s == "SUCCEED/PASS"));
    op(c, &id, "PASS").await.assert_err(
        400,
        "Task.Dag.Operator.PassNotFailedDag",
        "Failed to pass DAG: DAG is not failed",
    );
}

#[tokio::test]
async fn denied_path_fails_write_test_and_rollback_is_accepted_in_stage_1() {
    let sim = start_default().await;
    let c = &sim.client;
    let id = create(
        c,
        "/api/v1/tenant/t1/backup/config",
        r#"{"data_base_uri":"file:///denied/data","archive_base_uri":"file:///denied/clog"}"#,
    )
    .await;
    let d = c.wait_finished(&id).await;
    assert_eq!(d["state"], "FAILED");
    assert_eq!(d["name"], "Set obcluster backup config for t1");
    assert_eq!(
        (d["maintenance_type"].as_i64(), d["maintenance_key"].as_str()),
        (Some(3), Some("t1"))
    );
    for logs in node_logs(&d, 1) {
        assert_eq!(
            logs,
            [
                "Check archive path for all tenants",
                "Storage type is 'file'",
                "Check 't1' wirte permission",
                "ERROR: [Common.Unexpected]: Unexpected error: check archive path: check write permission: mkdir /denied/clog/: permission denied"
            ]
        );
    }
    // A failed tenant DAG keeps the tenant lock and stays "unfinished".
    let un = c
        .get("/api/v1/task/dag/ob/unfinish?show_details=false")
        .await
        .assert_ok();
    assert_eq!(un["contents"][0]["id"], id.as_str());
    assert!(un["contents"][0]["nodes"].is_null());
    c.post("/api/v1/tenant/t1/backup/config", r#"{"data_base_uri":"file:///d","archive_base_uri":"file:///a"}"#).await.assert_err(
        500,
        "OB.Tenant.UnderMaintenance",
        "Create task 'Set obcluster backup config for t1' failed: Tenant 't1' is under maintenance, please try again later.",
    );
    // Other tenants are not locked.
    create(
        c,
        "/api/v1/tenant/t2/backup/config",
        r#"{"data_base_uri":"file:///d","archive_base_uri":"file:///a"}"#,
    )
    .await;
    let m = c.get("/api/v1/task/dag/maintain/ob").await.assert_ok();
    assert_eq!(m["maintenance_key"], "t2");

    // ROLLBACK of a stage-1 failure: walks back, ends SUCCEED/ROLLBACK at stage 1, lock released.
    c.control("POST", "/__sim/scheduler", Some(r#"{"paused":true}"#)).await;
    op(c, &id, "ROLLBACK").await.assert_ok();
    let d = c.get_dag(&id).await;
    assert_eq!(
        (d["state"].as_str(), d["operator"].as_str()),
        (Some("READY"), Some("ROLLBACK"))
    );
    assert_eq!(states(&d, "node"), ["PENDING/ROLLBACK", "PENDING/RUN"]);
    c.control("POST", "/__sim/scheduler", Some(r#"{"paused":false}"#)).await;
    let (_, d) = c.wait_dag(&id, T, |d| d["state"] == "SUCCEED").await;
    assert_eq!(
        (d["operator"].as_str(), d["stage"].as_i64()),
        (Some("ROLLBACK"), Some(1))
    );
    assert!(
        states(&d, "sub")[..3].iter().all(|s| s == "SUCCEED/ROLLBACK"),
        "{:?}",
        states(&d, "sub")
    );
    create(
        c,
        "/api/v1/tenant/t1/backup/config",
        r#"{"data_base_uri":"file:///d","archive_base_uri":"file:///a"}"#,
    )
    .await;
}

#[tokio::test]
async fn stage_2_failure_refuses_rollback_and_node_pass_continues() {
    let sim = start_default().await;
    let c = &sim.client;
    // recovery_window is not validated by the agent; OceanBase rejects it in node 2.
    let id = create(
        c,
        "/api/v1/obcluster/backup/config",
        r#"{"backup_base_uri":"file:///b","delete_policy":{"recovery_window":"soon"}}"#,
    )
    .await;
    let d = c.wait_finished(&id).await;
    assert_eq!((d["state"].as_str(), d["stage"].as_i64()), (Some("FAILED"), Some(2)));
    let logs = &node_logs(&d, 2)[0];
    assert_eq!(logs.last().unwrap(), "ERROR: [MySQL.Error]: MySQL error: set delete policy: Error 1210 (HY000): Incorrect arguments to recovery_window");
    assert!(
        logs.contains(&"Set delete policy to {default soon} for t1(1002)".to_string()),
        "{logs:?}"
    );
    op(c, &id, "ROLLBACK").await.assert_err(
        400,
        "Task.Dag.Operator.RollbackNotAllowed",
        "Failed to set DAG rollback: node Set backup config cannot rollback",
    );
    // Node PASS: only failed nodes of a failed DAG.
    let n1 = d["nodes"][0]["id"].as_str().unwrap();
    let n2 = d["nodes"][1]["id"].as_str().unwrap();
    c.post(&format!("/api/v1/task/node/{n1}"), r#"{"operator":"PASS"}"#)
        .await
        .assert_err(
            400,
            "Task.Node.Operator.PassNotFailedNode",
            "Failed to pass node: node Check backup config is not failed",
        );
    c.post(&format!("/api/v1/task/node/{n2}"), r#"{"operator":"RETRY"}"#)
        .await
        .assert_err(400, "Task.Node.Operator.NotSupport", "Operator RETRY is not supported");
    c.post(&format!("/api/v1/task/node/{n2}"), r#"{"operator":"pass"}"#)
        .await
        .assert_ok();
    let (_, d) = c.wait_dag(&id, T, |d| d["state"] == "SUCCEED").await;
    assert_eq!((d["operator"].as_str(), d["stage"].as_i64()), (Some("RUN"), Some(2)));
    assert_eq!(states(&d, "node"), ["SUCCEED/RUN", "SUCCEED/PASS"]);
    c.post(&format!("/api/v1/task/node/{n2}"), r#"{"operator":"pass"}"#)
        .await
        .assert_err(
            400,
            "Task.Node.Operator.PassNotFailedDag",
            "Failed to pass node: assigned DAG is not failed",
        );
    // Unvalidated lag target (PATCH without backup_base_uri) and empty piece interval fail in OceanBase.
    let id = c
        .patch("/api/v1/obcluster/backup/config", r#"{"archive_lag_target":"3h"}"#)
        .await
        .assert_ok()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let d = c.wait_finished(&id).await;
    assert_eq!(node_logs(&d, 2)[0].last().unwrap(), "ERROR: [MySQL.Error]: MySQL error: set archive lag target for t1(1002): Error 1210 (HY000): Incorrect arguments to archive_lag_target");
    let r = c
        .patch(
            "/api/v1/obcluster/backup/config",
            r#"{"backup_base_uri":"file:///b","piece_switch_interval":""}"#,
        )
        .await
        .assert_ok();
    let d = c.wait_finished(r["id"].as_str().unwrap()).await;
    assert_eq!(node_logs(&d, 2)[0].last().unwrap(), "ERROR: [MySQL.Error]: MySQL error: set log archive: Error 1210 (HY000): Incorrect arguments to PIECE_SWITCH_INTERVAL");
}

#[tokio::test]
async fn cancel_running_dag() {
    let cfg = obshell_sim::Config {
        task_ticks: 5,
        ..obshell_sim::Config::for_tests()
    };
    let sim = start(cfg).await;
    let c = &sim.client;
    // Deterministic: step the scheduler by hand until node 1's sub-tasks are RUNNING.
    c.control("POST", "/__sim/scheduler", Some(r#"{"paused":true}"#)).await;
    let id = create(
        c,
        "/api/v1/tenant/t1/backup/config",
        r#"{"data_base_uri":"file:///d","archive_base_uri":"file:///a"}"#,
    )
    .await;
    c.control("POST", "/__sim/tick", Some(r#"{"count":2}"#)).await;
    let d = c.get_dag(&id).await;
    assert_eq!(states(&d, "sub")[..3], ["RUNNING/RUN", "RUNNING/RUN", "RUNNING/RUN"]);
    op(c, &id, "cancel").await.assert_ok();
    let d = c.get_dag(&id).await;
    assert_eq!(
        (d["state"].as_str(), d["operator"].as_str()),
        (Some("READY"), Some("CANCEL"))
    );
    assert_eq!(states(&d, "node"), ["PENDING/CANCEL", "PENDING/RUN"]);
    // One tick: RUNNING/CANCEL, the running sub-tasks fail with "sub task cancelled", DAG FAILED.
    c.control("POST", "/__sim/tick", Some(r#"{"count":1}"#)).await;
    c.control("POST", "/__sim/scheduler", Some(r#"{"paused":false}"#)).await;
    let (_, d) = c.wait_dag(&id, T, |d| d["state"] == "FAILED").await;
    assert_eq!(d["operator"], "CANCEL");
    let n1 = &node_logs(&d, 1);
    assert!(
        n1.iter()
            .all(|l| l.last().map(String::as_str) == Some("sub task cancelled")),
        "{n1:?}"
    );
    op(c, &id, "CANCEL").await.assert_err(
        400,
        "Task.Dag.Operator.CancelFinishedDag",
        "Failed to cancel DAG: DAG is finished",
    );
    // A cancelled DAG can be retried to success.
    op(c, &id, "RETRY").await.assert_ok();
    let (_, d) = c
        .wait_dag(&id, Duration::from_secs(30), |d| d["state"] == "SUCCEED")
        .await;
    assert_eq!(d["operator"], "RUN");
}

#[tokio::test]
async fn ids_details_and_lists() {
    let sim = start_default().await;
    let c = &sim.client;
    let id = c.patch("/api/v1/obcluster/backup/config", "").await.assert_ok()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let d = c.wait_finished(&id).await;
    assert_eq!(d["state"], "SUCCEED");
    assert_eq!(
        node_logs(&d, 1)[0],
        [
            "Check archive path for all tenants",
            "Path is empty, skip check",
            "Check data path for all tenants",
            "Path is empty, skip check"
        ]
    );
    let n = &id[1..];
    c.get(&format!("/api/v1/task/dag/100{n}")).await.assert_err(
        404,
        "Task.NotFound",
        "Task not found: dag id not match",
    );
    c.get("/api/v1/task/dag/1999")
        .await
        .assert_err(404, "Task.NotFound", "Task not found: record not found");
    c.get("/api/v1/task/dag/1")
        .await
        .assert_err(400, "Task.GenericID.Invalid", "Invalid ID: 1");
    c.get("/api/v1/task/dag/9x")
        .await
        .assert_err(400, "Task.GenericID.Invalid", "Invalid ID: 9x: invalid generic id");
    c.get("/api/v1/task/dag/1abc").await.assert_err(
        400,
        "Task.GenericID.Invalid",
        "Invalid ID: 1abc: strconv.ParseInt: parsing \"abc\": invalid syntax",
    );
    c.get("/api/v1/task/dag/22130706433028869").await.assert_err(
        404,
        "Task.NotFound",
        "Task not found: record not found",
    );
    // show_details.
    let brief = c
        .get(&format!("/api/v1/task/dag/{id}?show_details=false"))
        .await
        .assert_ok();
    assert!(brief["nodes"].is_null() && brief["additional_data"].is_null());
    let r = c.get(&format!("/api/v1/task/dag/{id}?show_details=maybe")).await;
    r.assert_err(500, "Common.Unexpected", "Unexpected error: Internal Server Error");
    assert_eq!(r.json()["traceId"], "");
    let node_id = d["nodes"][0]["id"].as_str().unwrap();
    let node = c.get(&format!("/api/v1/task/node/{node_id}")).await.assert_ok();
    assert_eq!(node["additional_data"], serde_json::json!({}));
    assert_eq!(node["sub_tasks"].as_array().unwrap().len(), 3);
    c.get(&format!("/api/v1/task/node/{node_id}?show_details=false"))
        .await
        .assert_err(500, "Common.Unexpected", "Unexpected error: Internal Server Error");
    let single = c
        .get(&format!("/api/v1/task/node/{}", d["nodes"][1]["id"].as_str().unwrap()))
        .await
        .assert_ok();
    assert!(single["additional_data"].is_null());
    let sub = c
        .get(&format!(
            "/api/v1/task/sub_task/{}",
            d["nodes"][1]["sub_tasks"][0]["id"].as_str().unwrap()
        ))
        .await
        .assert_ok();
    assert_eq!(sub["name"], "Set backup config");
    assert_eq!(sub["task_logs"], serde_json::json!([]));
    // Lists.
    let all = c.get("/api/v1/task/dags/ob").await.assert_ok();
    assert_eq!(all["contents"].as_array().unwrap().len(), 1);
    assert_eq!(
        c.get("/api/v1/task/dags/agent").await.assert_ok(),
        serde_json::json!({"contents":[]})
    );
    assert_eq!(
        c.get("/api/v1/task/dag/agent/unfinish").await.assert_ok(),
        serde_json::json!({"contents":[]})
    );
    // Go appends nothing to a nil slice: nil, `{"contents":null}`.
    assert_eq!(
        c.get("/api/v1/task/dag/unfinish").await.assert_ok(),
        serde_json::json!({"contents":null})
    );
    assert_eq!(
        c.get("/api/v1/task/dag/ob/unfinish").await.assert_ok(),
        serde_json::json!({"contents":[]})
    );
    // Agent lists read `show_details` only per DAG: with none, a bad value does no harm.
    assert_eq!(
        c.get("/api/v1/task/dags/agent?show_details=maybe").await.assert_ok(),
        serde_json::json!({"contents":[]})
    );
    c.get("/api/v1/task/dag/agent/unfinish?show_details=maybe")
        .await
        .assert_err(500, "Common.Unexpected", "Unexpected error: Internal Server Error");
    c.get("/api/v1/task/dag/maintain/ob").await.assert_err(
        404,
        "Task.NotFound",
        "Task not found: Cluster is not under maintenance",
    );
    c.get("/api/v1/task/dag/maintain/agent").await.assert_err(
        404,
        "Task.NotFound",
        "Task not found: Agent is not under maintenance",
    );
    // No local maintenance DAG: the agent dereferences nil (the pre-built panic answer).
    for path in ["/api/v1/task/dag/maintain/agents", "/api/v1/task/dag/agent/main_dags"] {
        c.get(path)
            .await
            .assert_err(500, "Common.Unexpected", "Unexpected error: Internal Server Error");
    }
    // Other identities.
    c.control("POST", "/__sim/agent", Some(r#"{"identity":"SINGLE"}"#))
        .await;
    assert_eq!(
        c.get("/api/v1/task/dag/unfinish").await.assert_ok(),
        serde_json::json!({"contents":[]})
    );
    for path in ["/api/v1/task/dag/ob/unfinish", "/api/v1/task/dags/ob"] {
        c.get(path).await.assert_err(
            500,
            "Common.Unexpected",
            "Unexpected error: ocsagent cannot build response body",
        );
    }
    c.control("POST", "/__sim/agent", Some(r#"{"identity":"FOLLOWER"}"#))
        .await;
    c.get("/api/v1/task/dag/unfinish")
        .await
        .assert_err(500, "Agent.NoMaster", "Master agent is not found");
    c.control("POST", "/__sim/agent", Some(r#"{"identity":"SCALING OUT"}"#))
        .await;
    c.get("/api/v1/task/dag/unfinish").await.assert_err(
        500,
        "Agent.Identify.Unknown",
        "Agent identify is unknown: SCALING OUT",
    );
    c.control("POST", "/__sim/agent", Some(r#"{"identity":"CLUSTER AGENT"}"#))
        .await;
    // Key order of a DAG on the wire.
    let raw = c.get(&format!("/api/v1/task/dag/{id}?show_details=false")).await.text();
    let data = &raw[raw.find("\"data\":").unwrap()..];
    let order = [
        "\"id\"",
        "\"dag_id\"",
        "\"name\"",
        "\"stage\"",
        "\"max_stage\"",
        "\"maintenance_type\"",
        "\"maintenance_key\"",
        "\"state\"",
        "\"operator\"",
        "\"start_time\"",
        "\"end_time\"",
        "\"additional_data\"",
        "\"nodes\"",
    ];
    let pos: Vec<usize> = order.iter().map(|k| data.find(k).unwrap()).collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "{data}");
}

#[tokio::test]
async fn start_backup_dag_opens_archive_and_finishes() {
    let sim = start_default().await;
    let c = &sim.client;
    c.post("/api/v1/tenant/t1/backup", "{}").await.assert_err(
        400,
        "OB.Backup.ArchiveDestEmpty",
        "Archive destination is empty, tenant: t1(1002)",
    );
    let id = create(
        c,
        "/api/v1/tenant/t1/backup/config",
        r#"{"data_base_uri":"file:///bk/data","archive_base_uri":"file:///bk/clog"}"#,
    )
    .await;
    c.wait_finished(&id).await;
    let s = c.get("/api/v1/tenant/t1/backup/config/storage").await.assert_ok();
    assert_eq!(
        s,
        serde_json::json!({"tenant_id":1002,"archive_base_uri":"file:///bk/clog/","data_base_uri":"file:///bk/data/"})
    );
    c.get("/api/v1/tenant/t1/backup/overview")
        .await
        .assert_err(404, "Task.NotFound", "Task not found: no backup task");
    c.get("/api/v1/obcluster/backup/overview").await.assert_err(
        404,
        "Common.NotFound",
        "Element not found: backup task",
    );
    c.post("/api/v1/tenant/t1/backup", r#"{"mode":"diff"}"#)
        .await
        .assert_err(
            400,
            "OB.Backup.Mode.Invalid",
            "Invalid backup mode: diff, must be full or incremental",
        );
    c.post("/api/v1/obcluster/backup", "{}").await.assert_err(
        400,
        "OB.Backup.ArchiveDestEmpty",
        "Archive destination is empty, tenant: t2(1004)",
    );
    let dag = c
        .post("/api/v1/tenant/t1/backup", r#"{"mode":"FULL"}"#)
        .await
        .assert_ok();
    assert_eq!(
        (dag["name"].as_str(), dag["max_stage"].as_i64()),
        (Some("Obcluster start full backup for t1"), Some(4))
    );
    let d = c.wait_finished(dag["id"].as_str().unwrap()).await;
    assert_eq!(d["state"], "SUCCEED", "{d}");
    let names: Vec<&str> = d["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Check destination",
            "Open archive log",
            "Start backup",
            "Wait backup Finish"
        ]
    );
    let open = &node_logs(&d, 2)[0];
    assert_eq!(open[0], "Open archive log of t1(1002)");
    assert!(
        open.contains(&"Wait for t1(1002) archive log to be 'DOING'".to_string()),
        "{open:?}"
    );
    assert_eq!(node_logs(&d, 3)[0], ["Start full backup of t1(1002)"]);
    assert_eq!(
        node_logs(&d, 4)[0],
        ["Wait t1(1002) backup finish", "t1(1002) backup finished"]
    );
    let ov = c.get("/api/v1/tenant/t1/backup/overview").await.assert_ok();
    assert_eq!(ov["status"]["status"], "COMPLETED");
    assert_eq!(ov["status"]["path"], "file:///bk/data/backup_set_1_full");
    let tasks = c.get("/api/v1/tenant/t1/backup/tasks?page=1&size=10").await.assert_ok();
    assert_eq!(
        tasks["page"],
        serde_json::json!({"total_elements":1,"total_pages":1,"size":10,"number":1})
    );
    assert_eq!(tasks["contents"][0]["backup_type"], "FULL");
    let logt = c.get("/api/v1/tenant/t1/backup/log/tasks").await.assert_ok();
    assert_eq!(logt["contents"][0]["status"], "DOING");
    assert_eq!(logt["contents"][0]["tenant_name"], "");
    // From here the clock only moves by hand: a scheduler tick between reading the checkpoint
    // and stopping the archive would move the round's checkpoint on (a flaky comparison below).
    c.control("POST", "/__sim/scheduler", Some(r#"{"paused":true}"#)).await;
    let info = c.get("/api/v1/tenant/t1/backup/info").await.assert_ok();
    assert!(
        info.get("lastest_data_backup_time").is_some() && info.get("archive_log_delay").is_some(),
        "{info}"
    );
    // Archive-log control and cancel-backup.
    c.patch("/api/v1/tenant/t1/backup/log", r#"{"status":"pause"}"#)
        .await
        .assert_err(
            400,
            "OB.Backup.ArchiveLogStatus.Invalid",
            "Invalid archive log status: 'PAUSE', must be 'STOP' or 'DOING'",
        );
    c.patch("/api/v1/tenant/t1/backup/log", "").await.assert_ok();
    sim.handle.state.tick(2);
    assert_eq!(
        c.get("/api/v1/tenant/t1/backup/log/tasks").await.assert_ok(),
        serde_json::json!({"contents":[]})
    );
    // The stopped round is still the newest in the summary: info keeps its checkpoint.
    let stopped = c.get("/api/v1/tenant/t1/backup/info").await.assert_ok();
    assert_eq!(
        stopped["lastest_archive_log_checkpoint"], info["lastest_archive_log_checkpoint"],
        "{stopped}"
    );
    // Timestamps from TIMESTAMP(6) columns: at most six fraction digits.
    let start = tasks["contents"][0]["start_timestamp"].as_str().unwrap();
    assert!(
        start.split(['.', '+', 'Z']).nth(1).is_none_or(|f| f.len() <= 6),
        "{start}"
    );
    // gin's query binding: uint64 page/size, Go's time parser, the first field in order fails.
    let q = |s: &str| format!("/api/v1/tenant/t1/backup/tasks?{s}");
    let bind = |m: &str| format!("Bind JSON failed: {m}");
    c.get(&q("page=-1")).await.assert_err(
        400,
        "Common.BindJsonFailed",
        &bind(r#"strconv.ParseUint: parsing "-1": invalid syntax"#),
    );
    c.get(&q("page=x&start_time=2024-01-01")).await.assert_err(
        400,
        "Common.BindJsonFailed",
        &bind(r#"parsing time "2024-01-01" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T""#),
    );
    assert_eq!(
        c.get(&q("end_time=")).await.assert_ok()["contents"],
        serde_json::json!([]),
        "an empty end_time is Go's zero time"
    );
    assert_eq!(
        c.get(&q("sort=start_timestamp,ASC")).await.assert_ok()["page"]["total_elements"],
        1
    );
    c.patch("/api/v1/tenant/t1/backup", r#"{"status":"done"}"#)
        .await
        .assert_err(
            400,
            "OB.Backup.Status.Invalid",
            "Invalid backup status: 'done', must be 'canceled'",
        );
    c.patch("/api/v1/tenant/t1/backup", r#"{"status":"CANCELED"}"#)
        .await
        .assert_ok();
}

#[tokio::test]
async fn retrying_a_failed_start_backup_does_not_cancel_the_running_backup() {
    let sim = start_default().await;
    let c = &sim.client;
    let config = create(
        c,
        "/api/v1/tenant/t1/backup/config",
        r#"{"data_base_uri":"file:///bk/data","archive_base_uri":"file:///bk/clog"}"#,
    )
    .await;
    c.wait_finished(&config).await;
    c.control("POST", "/__sim/scheduler", Some(r#"{"paused":true}"#)).await;
    let first = create(c, "/api/v1/tenant/t1/backup", "{}").await;
    let second = create(c, "/api/v1/tenant/t1/backup", "{}").await;
    let tick = || c.control("POST", "/__sim/tick", Some(r#"{"count":1}"#));
    for _ in 0..30 {
        if c.get_dag(&second).await["state"] == "FAILED" {
            break;
        }
        tick().await;
    }
    let d = c.get_dag(&second).await;
    assert_eq!(d["state"], "FAILED", "{d}");
    assert_eq!(
        node_logs(&d, 3)[0].last().unwrap(),
        "ERROR: [MySQL.Error]: MySQL error: start full backup: Error 9043 (HY000): backup is already in progress"
    );
    // The agent's "Start backup" has no rollback of its own: RETRY re-runs it, nothing is
    // cancelled, and the first backup completes.
    op(c, &second, "RETRY").await.assert_ok();
    c.control("POST", "/__sim/scheduler", Some(r#"{"paused":false}"#)).await;
    let first = c.wait_finished(&first).await;
    assert_eq!(first["state"], "SUCCEED");
    c.wait_finished(&second).await;
    let tasks = c.get("/api/v1/tenant/t1/backup/tasks").await.assert_ok();
    let statuses: Vec<&str> = tasks["contents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["status"].as_str().unwrap())
        .collect();
    assert!(!statuses.contains(&"CANCELED"), "{statuses:?}");
}
