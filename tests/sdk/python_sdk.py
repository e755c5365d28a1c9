"""The official obshell Python SDK (PyPI `obshell`, pinned in scripts/install-tools.sh) against
the simulator: a real client must not be able to tell it from an agent for these endpoints.

Usage: python_sdk.py <simulator binary>   (starts its own simulator on a free loopback port)
Prints one line per check and a closing "N passed, M failed" line.

The backup status checks also run tests/sdk/backup_status.py (as a module and as a command) and
use the simulator's control API (/__sim/seed-history, /__sim/backup) to seed history and keep a
backup running.
"""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

from obshell import ClientV1, OBShellHandleError, TaskExecuteFailedError
from obshell.auth.password import PasswordAuth
from obshell.model.ob import CdbObBackupTask

import backup_status

PASSWORD = "sdk-Pa55"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def expect_agent_error(fn, code):
    """Runs `fn`, which must fail with the agent error `code`; returns the error."""
    try:
        fn()
    except OBShellHandleError as e:
        assert e.err_code == code, e
        return e
    raise AssertionError(f"no {code} error")


def until(fn, what, timeout=20):
    """Polls `fn` until it returns a truthy value; returns it."""
    deadline = time.time() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def main(sim_bin):
    port = free_port()
    sim = subprocess.Popen([sim_bin, "--listen", f"127.0.0.1:{port}", "--password", PASSWORD, "--tick-ms", "50",
                            "--enable-faults"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def control(path, body):
        req = urllib.request.Request(f"http://127.0.0.1:{port}/__sim/{path}", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(req, timeout=5) as r:
            return json.loads(r.read())
    results = []

    def check(name, fn):
        try:
            fn()
            results.append(True)
            print(f"ok - {name}")
        except Exception as e:  # noqa: BLE001 - report any failure of the client
            results.append(False)
            print(f"FAILED - {name}: {type(e).__name__}: {e}")

    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/info", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        c = ClientV1("127.0.0.1", port, PasswordAuth(PASSWORD))

        def cluster_set():
            dag = c.post_cluster_backup_config_sync(
                "file:///data/backup", log_archive_concurrency=10, binding="Mandatory",
                piece_switch_interval="6d", archive_lag_target="2h", delete_policy="default",
                delete_recovery_window="5d")
            assert (dag.name, dag.state, dag.operator) == ("Set obcluster backup config", "SUCCEED", "RUN"), dag

        def cluster_patch():
            dag = c.patch_cluster_backup_config_sync(ha_low_thread_score=35)
            assert dag.state == "SUCCEED", dag

        def tenant_set():
            dag = c.post_tenant_backup_config_sync("t1", "file:///data/t1/data", "file:///data/t1/clog")
            assert dag.name == "Set obcluster backup config for t1" and dag.state == "SUCCEED", dag

        def agent_error():
            try:
                c.post_cluster_backup_config("obs://bucket/path")
            except OBShellHandleError as e:
                assert e.err_code == "OB.Storage.URI.Invalid", e
                assert e.message == "Invalid storage URI: invalid path type", e
                return
            raise AssertionError("accepted an obs:// URI")

        def failed_dag():
            try:
                c.post_cluster_backup_config_sync("file://data/backup")
            except TaskExecuteFailedError as e:
                assert "ERROR: [OB.Storage.URI.Invalid]" in e.message and "must start with '/'" in e.message, e.message
                assert e.dag.state == "FAILED", e.dag
                return
            raise AssertionError("a relative file path succeeded")

        def wrong_password():
            bad = ClientV1("127.0.0.1", port, PasswordAuth("wrong"))
            try:
                bad.post_cluster_backup_config("file:///data/x")
            except OBShellHandleError as e:
                assert e.err_code == "Security.Authentication.IncorrectOceanbasePassword", e
                return
            raise AssertionError("wrong password accepted")

        def dag_reads():
            dag = c.post_cluster_backup_config_sync("file:///data/reads")
            again = c.get_dag(dag.generic_id)
            assert (again.generic_id, again.state, len(again.nodes)) == (dag.generic_id, "SUCCEED", 2), again
            node = c.get_node(dag.nodes[0].generic_id)
            assert node.name == dag.nodes[0].name and node.state == "SUCCEED", node
            sub = c.get_sub_task(node.sub_tasks[0].generic_id)
            assert sub.state == "SUCCEED", sub
            assert c.get_unfinished_dags() == [] and c.get_cluster_unfinished_dag() == [], "nothing left running"

        def tenant_patch():
            dag = c.patch_tenant_backup_config_sync("t1", archive_lag_target="2m")
            assert dag.state == "SUCCEED", dag

        def start_backups():
            assert c.start_cluster_backup_sync().state == "SUCCEED"
            assert c.start_tenant_backup_sync("t1").state == "SUCCEED"
            assert c.patch_tenant_backup_log_status("t1", "STOP") is True

        def rollback_failed():
            try:
                c.post_cluster_backup_config_sync("file:///denied/backup")
                raise AssertionError("a denied destination succeeded")
            except TaskExecuteFailedError as e:
                failed = e.dag
            assert c.operate_dag(failed.generic_id, "rollback") is True
            deadline = time.time() + 10
            while (d := c.get_dag(failed.generic_id)).state != "SUCCEED" and time.time() < deadline:
                time.sleep(0.1)
            assert (d.state, d.operator) == ("SUCCEED", "ROLLBACK"), (d.state, d.operator)

        def no_backup_yet():
            expect_agent_error(c.get_cluster_backup_overview, "Common.NotFound")
            e = expect_agent_error(lambda: c.get_tenant_backup_overview("t1"), "Task.NotFound")
            assert e.message == "Task not found: no backup task", e
            got = backup_status.summarise(c, ["t1"])
            assert got == {"tenants": {"t1": {"last_backup": None, "archive": {"status": None}}}}, got

        def overviews():
            cl = c.get_cluster_backup_overview()
            assert all(isinstance(t, CdbObBackupTask) for t in cl.statuses), cl
            got = [(t.tenant_id, t.status, t.backup_set_id, t.result) for t in cl.statuses]
            # t1: the cluster backup (set 1), then its own (set 2); t2: the cluster backup.
            assert got == [(1002, "COMPLETED", 2, 0), (1004, "COMPLETED", 1, 0)], got
            assert cl.statuses[0].path.endswith("/backup_set_2_full"), cl.statuses[0].path
            t1 = c.get_tenant_backup_overview("t1")
            # The SDK parses the cluster overview's tasks but keeps the tenant's as a plain dict.
            assert isinstance(t1.status, dict), type(t1.status)
            assert t1.status == vars(cl.statuses[0]), (t1.status, vars(cl.statuses[0]))

        def archive_log():
            status = lambda *ts: [backup_status.summarise(c, ts)["tenants"][t]["archive"]["status"] for t in ts]
            assert status("t1") == ["STOP"], status("t1")
            assert c.patch_tenant_backup_log_status("t1", "doing") is True
            until(lambda: status("t1") == ["DOING"], "t1 archiving")
            assert c.patch_cluster_backup_log_status("stop") is True
            until(lambda: status("t1", "t2") == ["STOP", "STOP"], "archiving stopped")
            assert c.patch_cluster_backup_log_status("doing") is True
            until(lambda: status("t1", "t2") == ["DOING", "DOING"], "archiving again")
            expect_agent_error(lambda: c.patch_tenant_backup_log_status("t1", "pause"),
                               "OB.Backup.ArchiveLogStatus.Invalid")

        def cancel_backup():
            assert control("backup", {"ticks": 100000}) == {"ticks": 100000}
            try:
                dag = c.start_tenant_backup("t1", mode="incremental")
                ov = until(lambda: (o := c.get_tenant_backup_overview("t1").status)["backup_set_id"] == 3
                           and o["status"] == "DOING" and o, "the incremental backup running")
                assert ov["end_timestamp"] == "0001-01-01T00:00:00Z", ov
                expect_agent_error(lambda: c.patch_tenant_backup_status("t1", "done"), "OB.Backup.Status.Invalid")
                # The SDK sends {"status": ""} by default: the agent reads it as canceled.
                assert c.patch_tenant_backup_status("t1") is True
                ov = until(lambda: (o := c.get_tenant_backup_overview("t1").status)["status"] == "CANCELED" and o,
                           "the backup canceled")
                assert (ov["backup_set_id"], ov["result"], ov["comment"]) == (3, -4072, "backup canceled"), ov
                # The task's last node waits for the job to leave CDB_OB_BACKUP_JOBS: it succeeds.
                assert c.wait_dag_succeed(dag.generic_id).state == "SUCCEED"
                assert c.patch_cluster_backup_status() is True, "nothing running: nothing to cancel"
            finally:
                control("backup", {"ticks": 3})

        def seeded_history():
            seeded = control("seed-history", {"tenant": "t2"})
            assert (seeded["tenant"], seeded["jobs"]) == ("t2", 6), seeded
            t2 = c.get_tenant_backup_overview("t2").status
            assert (t2["status"], t2["backup_set_id"], t2["result"]) == ("COMPLETED", 6, 0), t2
            want = {"tenants": {
                "t1": {"last_backup": {"status": "CANCELED", "backup_set_id": 3, "type": "INC"},
                       "archive": {"status": "DOING"}},
                "t2": {"last_backup": {"status": "COMPLETED", "backup_set_id": 6, "type": "FULL"},
                       "archive": {"status": "DOING"}},
            }}
            got = backup_status.summarise(c, ["t1", "t2"])
            assert got == want, got
            script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "backup_status.py")
            for base in (f"http://127.0.0.1:{port}", str(port)):
                out = subprocess.run([sys.executable, script, base, PASSWORD, "t1", "t2"], capture_output=True,
                                     text=True, timeout=60, check=True).stdout
                assert out.count("\n") == 1 and json.loads(out) == want, out
            bad = subprocess.run([sys.executable, script, str(port), PASSWORD, "nope"], capture_output=True,
                                 text=True, timeout=60)
            assert bad.returncode == 1 and bad.stdout == "" and "OB.Tenant.NotExist" in bad.stderr, bad
            # An incremental backup continues the seeded history.
            assert c.start_tenant_backup_sync("t2", mode="incremental").state == "SUCCEED"
            t2 = c.get_tenant_backup_overview("t2").status
            assert (t2["status"], t2["backup_set_id"]) == ("COMPLETED", 7), t2

        check("no backup yet: overviews are 404s, backup_status.py says null", no_backup_yet)
        check("POST cluster backup config, wait for the DAG", cluster_set)
        check("PATCH cluster backup config", cluster_patch)
        check("POST tenant backup config", tenant_set)
        check("agent validation error (errCode, message)", agent_error)
        check("failed DAG reported with its ERROR line", failed_dag)
        check("wrong password refused", wrong_password)
        check("DAG, node and sub-task reads; nothing unfinished", dag_reads)
        check("PATCH tenant backup config", tenant_patch)
        check("start cluster and tenant backups, stop tenant log archiving", start_backups)
        check("a failed DAG rolled back with operate_dag", rollback_failed)
        check("cluster and tenant backup overviews parsed by the SDK", overviews)
        check("archive log DOING/STOP, tenant and cluster, read back", archive_log)
        check("cancel a running incremental backup", cancel_backup)
        check("seeded history read by the SDK and backup_status.py", seeded_history)
    finally:
        sim.terminate()
        sim.wait(timeout=10)
    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
