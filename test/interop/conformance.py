"""Independent Singer conformance check of a tap's stdout, with Python's jsonschema (not our ajv code).

Usage: python conformance.py SINGER_OUTPUT_FILE
Prints a JSON summary {"records": {stream: n}, "errors": [...]} and exits 1 when anything is wrong.
"""
import json
import re
import sys

from jsonschema import Draft7Validator, FormatChecker

RFC3339_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|\+00:00)$")


def main(path):
    errors = []
    schemas, validators, keys, seen_keys, records = {}, {}, {}, {}, {}
    last_state = None
    previous_state_text = None
    checker = FormatChecker()
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if len(errors) > 20:
                break
            try:
                msg = json.loads(line)
            except ValueError as e:
                errors.append(f"line {n}: not JSON ({e})")
                continue
            kind = msg.get("type")
            if kind != "STATE":
                previous_state_text = None
            if kind == "SCHEMA":
                stream, schema = msg.get("stream"), msg.get("schema")
                if not re.fullmatch(r"[a-z_0-9]+", stream or ""):
                    errors.append(f"line {n}: stream name {stream!r} is not [a-z_0-9]+")
                try:
                    Draft7Validator.check_schema(schema)
                except Exception as e:  # noqa: BLE001 - report any schema problem
                    errors.append(f"line {n}: SCHEMA {stream}: invalid JSON Schema: {e}")
                    continue
                if "$ref" in json.dumps(schema):
                    errors.append(f"line {n}: SCHEMA {stream} still has a $ref")
                kp = msg.get("key_properties")
                if not isinstance(kp, list):
                    errors.append(f"line {n}: SCHEMA {stream} has no key_properties list")
                    kp = []
                for k in kp:
                    if k not in schema.get("properties", {}):
                        errors.append(f"line {n}: SCHEMA {stream}: key {k} is not a top-level property")
                for b in msg.get("bookmark_properties") or []:
                    if b not in schema.get("properties", {}):
                        errors.append(f"line {n}: SCHEMA {stream}: bookmark property {b} is not a property")
                schemas[stream] = schema
                validators[stream] = Draft7Validator(schema, format_checker=checker)
                keys[stream] = kp
                seen_keys.setdefault(stream, set())
            elif kind == "RECORD":
                stream = msg.get("stream")
                if stream not in validators:
                    errors.append(f"line {n}: RECORD for {stream} before its SCHEMA")
                    continue
                record = msg.get("record")
                for e in validators[stream].iter_errors(record):
                    errors.append(f"line {n}: RECORD {stream} invalid at {list(e.absolute_path)}: {e.message}")
                    break
                key = tuple(json.dumps(record.get(k)) for k in keys[stream])
                if any(record.get(k) is None for k in keys[stream]):
                    errors.append(f"line {n}: RECORD {stream} has a null key {key}")
                elif keys[stream] and key in seen_keys[stream]:
                    errors.append(f"line {n}: RECORD {stream} repeats key {key}")
                seen_keys[stream].add(key)
                te = msg.get("time_extracted")
                if te is not None and not RFC3339_UTC.match(te):
                    errors.append(f"line {n}: time_extracted {te!r} is not RFC 3339 UTC")
                records[stream] = records.get(stream, 0) + 1
            elif kind == "STATE":
                value = msg.get("value")
                text = json.dumps(value, sort_keys=True)
                # A STATE equal to the one just before it, with no message between, says nothing; after
                # other messages (records, a SCHEMA) it confirms they are covered: Singer allows it, and
                # the kit does so when a stream ends without moving a bookmark or two streams end at once.
                if text == previous_state_text:
                    errors.append(f"line {n}: STATE repeats the STATE just before it")
                previous_state_text = text
                if not isinstance(value, dict) or not isinstance(value.get("bookmarks", {}), dict):
                    errors.append(f"line {n}: STATE value has no bookmarks object")
                else:
                    for s, bm in value.get("bookmarks", {}).items():
                        if "replication_key_value" in bm and "replication_key" not in bm:
                            errors.append(f"line {n}: STATE bookmark {s} has a value but no replication_key")
                last_state = value
            elif kind == "ACTIVATE_VERSION":
                if not isinstance(msg.get("version"), int):
                    errors.append(f"line {n}: ACTIVATE_VERSION without an integer version")
            else:
                errors.append(f"line {n}: unknown message type {kind!r}")
    if last_state is None:
        errors.append("no STATE message")
    print(json.dumps({"records": records, "errors": errors}))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
