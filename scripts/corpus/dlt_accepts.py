"""Whether dlt itself accepts a generated rest_api definition: dlt's rest_api_source() builds its resources
(the definition validated, paginators, auth and parent links resolved), no request made.
Every {config.*} placeholder is filled with a test value first, as a config would.
Usage: python dlt_accepts.py SOURCE_YAML   (prints one JSON line: {"ok": true, "resources": N} or {"ok": false, "error": ...})
"""
import json
import re
import sys

import yaml

result = {"ok": False}
try:
    from dlt.sources.rest_api import rest_api_source

    def fill(v):
        if isinstance(v, str):
            return re.sub(r"\{config\.([A-Za-z_][A-Za-z0-9_]*)\}", lambda m: "http://127.0.0.1:9" if m.group(1) == "base_url" else "1", v)
        if isinstance(v, list):
            return [fill(x) for x in v]
        if isinstance(v, dict):
            return {k: fill(x) for k, x in v.items()}
        return v

    definition = fill(yaml.safe_load(open(sys.argv[1])))
    source = rest_api_source(definition)
    result = {"ok": True, "resources": len(source.resources)}
except Exception as e:  # noqa: BLE001  - dlt's refusal is the measure
    result["error"] = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:300]
print(json.dumps(result))
