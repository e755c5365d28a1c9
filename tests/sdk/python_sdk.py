"""The official obshell Python SDK (PyPI `obshell`, pinned in scripts/install-tools.sh) against
the simulator: a real client must not be able to tell it from an agent for these endpoints.

Usage: python_sdk.py <simulator binary>   (starts its own simulator on a free loopback port)
Prints one line per check and a closing "N passed, M failed" line.
"""
import socket
import subprocess
import sys
import time
import urllib.request

from obshell import ClientV1, OBShellHandleError, TaskExecuteFailedError
from obshell.auth.password import PasswordAuth

PASSWORD = "sdk-Pa55"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(sim_bin):
    port = free_port()
    sim = subprocess.Popen([sim_bin, "--listen", f"127.0.0.1:{port}", "--password", PASSWORD, "--tick-ms", "50"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
    finally:
        sim.terminate()
        sim.wait(timeout=10)
    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
