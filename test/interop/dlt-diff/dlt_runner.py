"""Runs dlt's own rest_api source over each case of the differential test and prints what it extracts.

Input (argv[1]): a JSON file, a list of {"id", "definition_file", "resources": [names]}; a definition
file is JSON or YAML, read as dlt users read theirs. Each resource is iterated directly (the items
dlt's extract step would hand to its normalizer, in-memory incremental state, no destination).
Output: one JSON line per case on stdout:
  {"id": ..., "records": {resource: [record, ...]}, "error": "Type: message" | null}
A case stops, as a loop, after MAX_REQUESTS requests or MAX_SECONDS seconds; its records so far are kept.
"""
import json
import os
import signal
import sys

os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
os.environ.setdefault("RUNTIME__LOG_LEVEL", "ERROR")

import requests  # noqa: E402
import yaml  # noqa: E402
from dlt.sources.rest_api import rest_api_source  # noqa: E402
from dlt.common.normalizers.json import wrap_in_dict  # noqa: E402

MAX_REQUESTS = 200
MAX_SECONDS = 120


class Loop(Exception):
    pass


sent = {"n": 0}
_send = requests.Session.send


def counting_send(self, request, **kwargs):
    sent["n"] += 1
    if sent["n"] > MAX_REQUESTS:
        raise Loop(f"stopped after {MAX_REQUESTS} requests")
    return _send(self, request, **kwargs)


requests.Session.send = counting_send


def on_alarm(signum, frame):
    raise Loop(f"stopped after {MAX_SECONDS} s")


signal.signal(signal.SIGALRM, on_alarm)


def root_cause(error):
    """The innermost error of dlt's wrapping (ResourceExtractionError, PipeException...), as one short line."""
    seen = set()
    while id(error) not in seen:
        seen.add(id(error))
        inner = error.__cause__ or error.__context__
        if inner is None or isinstance(error, Loop):
            break
        error = inner
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def load(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return json.loads(text) if path.endswith(".json") else yaml.safe_load(text)


def run_case(case):
    out = {"id": case["id"], "records": {}, "error": None}
    sent["n"] = 0
    signal.alarm(MAX_SECONDS)
    try:
        source = rest_api_source(load(case["definition_file"]))
        for name in case["resources"]:
            records = out["records"].setdefault(name, [])
            for item in source.resources[name]:
                # dlt's normaliser wraps an item that is not a dict as {"value": item}: what it loads.
                records.append(item if isinstance(item, dict) else wrap_in_dict("value", item))
                if len(records) > case["max_records"]:
                    raise Loop(f"stopped after {len(records) - 1} records")
    except BaseException as error:  # noqa: B036 - every failure is a result to report
        if isinstance(error, KeyboardInterrupt):
            raise
        out["error"] = root_cause(error)
    finally:
        signal.alarm(0)
    return out


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        cases = json.load(f)
    for case in cases:
        print(json.dumps(run_case(case), default=str), flush=True)


if __name__ == "__main__":
    main()
