#![cfg(not(target_arch = "wasm32"))]
//! DAG wire types (the backup API spec's JSON examples, a mid-run DAG and the envelopes of
//! `docs/protocol.md` §3 and §6.3, round-trip) and the operation rules.

use obshell_proto::dag::{self, DagDetail, DagOperation, GenericId, TaskOperator, TaskState};
use obshell_proto::envelope::{AgentStatus, Compatibility, Envelope, Identity};
use serde_json::json;

const MID_RUN: &str = r#"{
    "id": "142", "dag_id": 42, "name": "Set obcluster backup config", "stage": 1, "max_stage": 2,
    "maintenance_type": 1, "maintenance_key": "",
    "state": "RUNNING", "operator": "RUN",
    "start_time": "2026-05-11T10:00:01.004511+08:00", "end_time": "2026-05-11T10:00:00.471902+08:00",
    "additional_data": {},
    "nodes": [
      { "id": "1101", "node_id": 101, "name": "Check backup config", "state": "RUNNING", "operator": "RUN",
        "start_time": "2026-05-11T10:00:01.010877+08:00", "end_time": "2026-05-11T10:00:01.010877+08:00",
        "additional_data": null,
        "sub_tasks": [
          { "id": "1201", "task_id": 201, "name": "Check backup config", "state": "SUCCEED", "operator": "RUN",
            "start_time": "2026-05-11T10:00:01.502114+08:00", "end_time": "2026-05-11T10:00:01.611730+08:00",
            "additional_data": null, "execute_times": 1, "execute_agent": { "ip": "10.0.0.1", "port": 2886 },
            "task_logs": [ "Check archive path for all tenants", "Storage type is 'file'" ] },
          { "id": "1202", "task_id": 202, "name": "Check backup config", "state": "RUNNING", "operator": "RUN",
            "start_time": "2026-05-11T10:00:01.533005+08:00", "end_time": "2026-05-11T10:00:00.471902+08:00",
            "additional_data": null, "execute_times": 1, "execute_agent": { "ip": "10.0.0.2", "port": 2886 },
            "task_logs": [] } ] },
      { "id": "1102", "node_id": 102, "name": "Set backup config", "state": "PENDING", "operator": "RUN",
        "start_time": "2026-05-11T10:00:00.471902+08:00", "end_time": "2026-05-11T10:00:00.471902+08:00",
        "additional_data": null,
        "sub_tasks": [
          { "id": "1204", "task_id": 204, "name": "Set backup config", "state": "PENDING", "operator": "RUN",
            "start_time": "2026-05-11T10:00:00.471902+08:00", "end_time": "2026-05-11T10:00:00.471902+08:00",
            "additional_data": null, "execute_times": 0, "execute_agent": { "ip": "10.0.0.1", "port": 2886 },
            "task_logs": null } ] }
    ]
}"#;

fn dag(v: &str) -> DagDetail {
    serde_json::from_str(v).unwrap()
}

#[test]
fn spec_examples_round_trip_byte_for_byte_in_value() {
    let d = dag(MID_RUN);
    let back = serde_json::to_value(&d).unwrap();
    assert_eq!(back, serde_json::from_str::<serde_json::Value>(MID_RUN).unwrap());
    let env = r#"{"successful":true,"timestamp":"2026-05-11T10:00:00.482113251+08:00","duration":37,"status":200,"traceId":"9f1c2a7b3d4e5f60","data":{"id":"142","dag_id":42,"name":"Set obcluster backup config","stage":1,"max_stage":2,"maintenance_type":1,"maintenance_key":"","state":"READY","operator":"RUN","start_time":"0001-01-01T00:00:00Z","end_time":"0001-01-01T00:00:00Z","additional_data":null,"nodes":null}}"#;
    let e: Envelope<DagDetail> = serde_json::from_str(env).unwrap();
    assert_eq!(
        serde_json::to_string(&e).unwrap(),
        env,
        "key order and omission match the agent"
    );
    let err = r#"{"successful":false,"timestamp":"2026-05-11T10:00:00.482113251+08:00","duration":3,"status":400,"traceId":"b3a1c2d4e5f60718","error":{"errCode":"OB.Backup.PieceSwitchInterval.Invalid","message":"piece_switch_interval must be between 24h0m0s and 168h0m0s"}}"#;
    let e: Envelope<serde_json::Value> = serde_json::from_str(err).unwrap();
    assert_eq!(serde_json::to_string(&e).unwrap(), err);
    let auth = r#"{"successful":false,"timestamp":"t","duration":0,"status":401,"traceId":"x","error":{"code":10008,"errCode":"Security.Authentication.IncorrectOceanbasePassword","message":"Unauthorized: OceanBase password is incorrect"}}"#;
    let e: Envelope<serde_json::Value> = serde_json::from_str(auth).unwrap();
    assert_eq!(e.error.as_ref().unwrap().code, 10008);
    assert_eq!(serde_json::to_string(&e).unwrap(), auth);
}

#[test]
fn unknown_states_and_operators_are_kept() {
    let d = dag(r#"{"id":"19","state":"PAUSED","operator":"RESUME"}"#);
    assert_eq!(d.state, TaskState::Unknown("PAUSED".into()));
    assert_eq!(d.operator.to_string(), "RESUME");
    assert_eq!(serde_json::to_value(&d).unwrap()["state"], "PAUSED");
    assert!(
        d.allowed_operations().is_empty(),
        "a DAG with an unknown state and no nodes allows nothing"
    );
}

#[test]
fn current_node_progress_elapsed() {
    let d = dag(MID_RUN);
    assert_eq!(d.current_node().unwrap().name, "Check backup config");
    assert!((d.progress() - 0.25).abs() < 1e-9, "{}", d.progress());
    let start = obshell_proto::time::Timestamp::parse("2026-05-11T10:00:01.004511+08:00")
        .unwrap()
        .unix_millis();
    assert_eq!(d.elapsed_ms(start + 1500), Some(1500));
    let mut done = d.clone();
    done.state = TaskState::Succeed;
    for n in done.nodes.as_mut().unwrap() {
        n.state = TaskState::Succeed;
    }
    assert_eq!(done.current_node().unwrap().name, "Set backup config", "last SUCCEED");
    assert_eq!(done.progress(), 1.0);
    let fresh = dag(r#"{"id":"14","state":"READY","start_time":"0001-01-01T00:00:00Z"}"#);
    assert_eq!(fresh.elapsed_ms(0), None);
}

fn failed_at(stage: usize, op: TaskOperator) -> DagDetail {
    let mut d = dag(MID_RUN);
    d.state = TaskState::Failed;
    d.stage = stage as i32;
    let nodes = d.nodes.as_mut().unwrap();
    for (i, n) in nodes.iter_mut().enumerate() {
        n.state = match (i + 1).cmp(&stage) {
            std::cmp::Ordering::Less => TaskState::Succeed,
            std::cmp::Ordering::Equal => TaskState::Failed,
            std::cmp::Ordering::Greater => TaskState::Pending,
        };
        n.operator = op.clone();
        for t in n.sub_tasks.as_mut().unwrap() {
            t.state = n.state.clone();
            if n.state == TaskState::Failed {
                t.task_logs = Some(vec![
                    "Check archive path for all tenants".into(),
                    "ERROR: [OB.Storage.URI.Invalid]: check archive path: x".into(),
                ]);
            }
        }
    }
    d
}

#[test]
fn operations_the_agent_accepts() {
    use DagOperation::*;
    let running = dag(MID_RUN);
    assert_eq!(running.allowed_operations(), vec![Cancel]);
    assert_eq!(
        running
            .check_operation(Retry)
            .unwrap_err()
            .message(obshell_proto::Lang::En),
        "Failed to set DAG retry: DAG state is not failed"
    );
    assert_eq!(
        running.check_operation(Pass).unwrap_err().err_code(),
        "Task.Dag.Operator.PassNotFailedDag"
    );
    assert_eq!(
        running.check_operation(Rollback).unwrap_err().err_code(),
        "Task.Dag.Operator.RollbackNotFailedDag"
    );

    let f1 = failed_at(1, TaskOperator::Run);
    assert_eq!(f1.allowed_operations(), vec![Retry, Pass, Rollback]);
    assert_eq!(
        f1.check_operation(Cancel).unwrap_err().message(obshell_proto::Lang::En),
        "Failed to cancel DAG: DAG is finished"
    );
    let line = f1.failure_line().unwrap();
    assert_eq!(line.parsed(), Some(("OB.Storage.URI.Invalid", "check archive path: x")));
    assert_eq!(line.node.name, "Check backup config");

    let f2 = failed_at(2, TaskOperator::Run);
    assert_eq!(f2.allowed_operations(), vec![Retry, Pass]);
    let e = f2.check_operation(Rollback).unwrap_err();
    assert_eq!(
        (e.err_code(), e.message(obshell_proto::Lang::En).as_str()),
        (
            "Task.Dag.Operator.RollbackNotAllowed",
            "Failed to set DAG rollback: node Set backup config cannot rollback"
        )
    );

    let node = &f2.nodes()[1];
    assert!(f2.check_node_pass(node).is_ok());
    assert_eq!(
        f2.check_node_pass(&f2.nodes()[0])
            .unwrap_err()
            .message(obshell_proto::Lang::En),
        "Failed to pass node: node Check backup config is not failed"
    );
    assert_eq!(
        running.check_node_pass(node).unwrap_err().err_code(),
        "Task.Node.Operator.PassNotFailedDag"
    );

    let mut succeeded = f2.clone();
    succeeded.state = TaskState::Succeed;
    assert!(succeeded.allowed_operations().is_empty());
    assert_eq!(DagOperation::parse("retry").unwrap(), Retry);
    assert_eq!(
        DagOperation::parse("paſs").unwrap(),
        Pass,
        "Go's strings.ToUpper maps ſ to S"
    );
    assert_eq!(
        DagOperation::parse("RUN").unwrap_err().message(obshell_proto::Lang::En),
        "Operator RUN is not supported"
    );
    assert_eq!(Cancel.success_state(), (TaskState::Failed, TaskOperator::Cancel));
}

#[test]
fn generic_ids() {
    assert_eq!(GenericId::parse("142").unwrap(), GenericId::Cluster(42));
    assert_eq!(GenericId::cluster(42), "142");
    let msg = |s: &str| GenericId::parse(s).unwrap_err().message(obshell_proto::Lang::En);
    assert_eq!(msg("1"), "Invalid ID: 1");
    assert_eq!(msg("9x"), "Invalid ID: 9x: invalid generic id");
    assert_eq!(
        msg("1abc"),
        "Invalid ID: 1abc: strconv.ParseInt: parsing \"abc\": invalid syntax"
    );
    assert_eq!(msg("2123"), "Invalid ID: 2123");
    assert_eq!(GenericId::parse("1abc").unwrap_err().status(), 400);
    assert_eq!(
        GenericId::parse("22130706433028869").unwrap(),
        GenericId::Local {
            kind: 2,
            ip: 0x7f00_0001,
            port: 2886,
            id: 9
        }
    );
    assert_eq!(
        msg("1+99999999999999999999"),
        "Invalid ID: 1+99999999999999999999: strconv.ParseInt: parsing \"+99999999999999999999\": value out of range"
    );
    assert_eq!(
        msg("19223372036854775808x"),
        "Invalid ID: 19223372036854775808x: strconv.ParseInt: parsing \"9223372036854775808x\": invalid syntax"
    );
    assert_eq!(GenericId::parse("1-5").unwrap(), GenericId::Cluster(-5));
    // The address must be a big integer whose bytes make an IP, the port a number.
    assert_eq!(
        msg("2abcdefghij000011"),
        "Invalid ID: 2abcdefghij000011: convert id to bigInt failed"
    );
    assert_eq!(
        msg("40000000000000001"),
        "Invalid ID: 40000000000000001: convert id to ip failed"
    );
    assert_eq!(
        msg("20000065535028869"),
        "Invalid ID: 20000065535028869: convert id to ip failed",
        "below 2^24: fewer than 4 bytes"
    );
    assert_eq!(
        msg("25000000000028869"),
        "Invalid ID: 25000000000028869: convert id to ip failed",
        "above 2^32"
    );
    assert_eq!(
        msg("221307064330x8869"),
        "Invalid ID: 221307064330x8869: parse port failed"
    );
    assert!(matches!(
        GenericId::parse("4+167772161-00019").unwrap(),
        GenericId::Local {
            kind: 4,
            ip: 167_772_161,
            port: -1,
            id: 9
        }
    ));
    let v6 = |ip: &str| format!("3{ip:0>39}02886{}", 7);
    assert!(
        matches!(
            GenericId::parse(&v6("2130706433")).unwrap(),
            GenericId::Local {
                kind: 3,
                port: 2886,
                id: 7,
                ..
            }
        ),
        "an IPv4 address in a v6 id"
    );
    assert!(matches!(
        GenericId::parse(&v6(&(1u128 << 127).to_string())).unwrap(),
        GenericId::Local { kind: 3, .. }
    ));
    assert!(msg(&v6(&(1u128 << 100).to_string())).ends_with("convert id to ip failed"));
    assert!(
        msg(&v6(&"9".repeat(39))).ends_with("convert id to ip failed"),
        "beyond 128 bits"
    );
    assert_eq!(dag::parse_error_line("ERROR: [A.B]: m: n"), Some(("A.B", "m: n")));
}

#[test]
fn agent_compatibility() {
    let info = |v: serde_json::Value| serde_json::from_value::<AgentStatus>(v).unwrap();
    let ok = info(json!({"identity":"CLUSTER AGENT","version":"4.5.0.0-20260508","supportedAuth":["v2"]}));
    assert_eq!(
        ok.compatibility(),
        Compatibility::Ok {
            sessions: true,
            sso: true
        }
    );
    let old = info(json!({"identity":"CLUSTER AGENT","version":"4.2.3.0"}));
    assert_eq!(
        old.compatibility(),
        Compatibility::Ok {
            sessions: false,
            sso: false
        }
    );
    assert_eq!(
        info(json!({"identity":"CLUSTER AGENT","version":"4.2.2.0"})).compatibility(),
        Compatibility::UnsupportedVersion
    );
    assert_eq!(
        info(json!({"identity":"SINGLE","version":"4.5.0.0","supportedAuth":["v2"]})).compatibility(),
        Compatibility::NotClusterAgent
    );
    assert_eq!(
        info(json!({"identity":"CLUSTER AGENT","version":"4.4.1.0"})).compatibility(),
        Compatibility::Ok {
            sessions: true,
            sso: false
        }
    );
    assert_eq!(
        info(json!({"identity":"NEW THING"})).identity,
        Identity::Other("NEW THING".into())
    );
}

#[test]
fn a_finished_dag_points_at_where_it_ended_and_keeps_why_it_failed() {
    let mut d: DagDetail = serde_json::from_str(include_str!("../../../tests/fixtures/rolled_back.json")).unwrap();
    // Rolled back at stage 1: stage 2 never ran.
    assert_eq!(d.current_node().map(|n| n.name.as_str()), Some("Check backup config"));
    assert!(d.progress() < 1.0, "rolled back: not done");
    let f = d.earlier_failure().expect("the failure before the rollback");
    assert!(f.line.starts_with("ERROR: [OB.Storage.URI.Invalid]"));
    assert!(d.failure_line().is_none());
    d.operator = TaskOperator::Run;
    assert!(
        d.earlier_failure().is_none(),
        "a DAG that simply succeeded has no earlier failure"
    );
}
