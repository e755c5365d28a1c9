"""What the official obshell Python SDK reads of each tenant's backup status, as ONE JSON object,
for comparing with what the console shows (tests/e2e/operations.test.mjs).

Usage: backup_status.py <base_url_or_port> <password> <tenant>...
  base_url_or_port: http://127.0.0.1:2886 (https:// is accepted, certificates not verified) or a
  bare port on 127.0.0.1.

Prints one line (keys in this order, tenants in the order given):

  {"tenants": {"t1": {"last_backup": {"status": "COMPLETED", "backup_set_id": 6, "type": "FULL"},
                      "archive": {"status": "DOING"}},
               "t2": {"last_backup": null, "archive": {"status": null}}}}

- last_backup: from ClientV1.get_tenant_backup_overview (GET /api/v1/tenant/{t}/backup/overview,
  the running data backup task, else the latest one): its `status` (the agent's word: INIT,
  DOING, COMPLETED, CANCELING, CANCELED, FAILED, …) and `backup_set_id`. `type` ("FULL" or
  "INC") is that job's `backup_type` in GET /api/v1/tenant/{t}/backup/tasks (matched by job_id),
  and is left out when the job is not listed there. `null` when the agent answers the overview
  with 404 Task.NotFound ("no backup task": no backup yet).
- archive.status: the status of the round GET /api/v1/tenant/{t}/backup/log/tasks lists (only
  rounds in BEGINNING, DOING, STOPPING, PREPARE or SUSPEND are listed); when none is listed,
  "STOP" if GET /api/v1/tenant/{t}/backup/info still reports an archive checkpoint (a round
  existed and was stopped), else null (archiving never started). This is how the console
  derives the archive status.

The SDK has public methods for the overview only; backup/tasks, backup/log/tasks and
backup/info are read through the SDK's own signed request (ClientV1.create_request and
_handle_ret_request), so they are authenticated and parsed exactly as the SDK does for its
other calls. Any other agent error (unknown tenant, wrong password, …) goes to stderr and the
exit status is 1; nothing is printed on stdout then.
"""
import json
import sys
from urllib.parse import urlparse

from obshell import ClientV1, OBShellHandleError
from obshell.auth.password import PasswordAuth
from obshell.request import ProtocolOptions


def connect(base, password):
    """A ClientV1 for `http://host:port`, `https://host:port` or a bare port on 127.0.0.1."""
    if base.isdigit():
        return ClientV1("127.0.0.1", int(base), PasswordAuth(password))
    u = urlparse(base if "://" in base else "http://" + base)
    options = ProtocolOptions.https_insecure() if u.scheme == "https" else ProtocolOptions.http()
    return ClientV1(u.hostname, u.port or 2886, PasswordAuth(password), protocol_options=options)


def _data(client, uri):
    """The `data` of a GET, through the SDK's signed request (raises OBShellHandleError)."""
    return client._handle_ret_request(client.create_request(uri, "GET"), str)


def tenant_status(client, tenant):
    try:
        overview = client.get_tenant_backup_overview(tenant)
        # The SDK's CdbObBackupResponse keeps the tenant overview's `status` as a plain dict.
        task = overview.status
    except OBShellHandleError as e:
        if e.err_code != "Task.NotFound":
            raise
        task = None
    last = None
    if task is not None:
        last = {"status": task.get("status"), "backup_set_id": task.get("backup_set_id")}
        jobs = (_data(client, f"/api/v1/tenant/{tenant}/backup/tasks") or {}).get("contents") or []
        kind = next((j.get("backup_type") for j in jobs if j.get("job_id") == task.get("job_id")), None)
        if kind is not None:
            last["type"] = kind
    rounds = (_data(client, f"/api/v1/tenant/{tenant}/backup/log/tasks") or {}).get("contents") or []
    if rounds:
        archive = rounds[0].get("status")
    else:
        info = _data(client, f"/api/v1/tenant/{tenant}/backup/info") or {}
        archive = "STOP" if info.get("lastest_archive_log_checkpoint") else None
    return {"last_backup": last, "archive": {"status": archive}}


def summarise(client, tenants):
    return {"tenants": {t: tenant_status(client, t) for t in tenants}}


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    client = connect(argv[0], argv[1])
    try:
        out = summarise(client, argv[2:])
    except OBShellHandleError as e:
        print(f"backup_status.py: {e}", file=sys.stderr)
        return 1
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
