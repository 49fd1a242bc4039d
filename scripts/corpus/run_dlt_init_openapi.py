"""Runs dlt-init-openapi's own parser, detector and renderer on one document, offline, and prints what it found as JSON.

dlt-init-openapi's command line first downloads dlt's rest_api source from GitHub at every run (it cannot
run offline); the generation itself is what this calls, as its command line does after that download:
Project.parse(), .detect(), .render() (post-processing hooks off: they only reformat the code).
Usage: python run_dlt_init_openapi.py SPEC OUTDIR
"""
import json
import re
import sys
import traceback
from pathlib import Path

from dlt_init_openapi import _get_project_for_url_or_path
from dlt_init_openapi.config import Config

spec, out = sys.argv[1], Path(sys.argv[2])
# render() ends by copying dlt's rest_api source, which its command line downloads first, next to the
# package; what is counted is the generated source, not that copy: an empty stand-in lets render() end.
from dlt_init_openapi.config import REST_API_SOURCE_LOCATION  # noqa: E402

Path(REST_API_SOURCE_LOCATION).mkdir(parents=True, exist_ok=True)
result = {"ok": False}
try:
    config = Config(spec_path=spec, output_path=out, post_hooks=[], allow_openapi_2=True, project_name="source")
    project = _get_project_for_url_or_path(config=config)
    project.parse()
    project.detect()
    endpoints = project.openapi.endpoints.all_endpoints_to_render
    rendered = None
    try:
        project.render()
        files = [p for p in out.rglob("*.py") if p.name == "__init__.py" and "rest_api" not in p.parts]
        rendered = "\n".join(p.read_text() for p in files)
    except Exception as e:  # noqa: BLE001  - the render's own failure is part of the measure
        result["render_error"] = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:200]
    # A decided paginator: the endpoint's own, else the global one its rendered source runs with; not auto
    # (dlt-init-openapi never writes single_page: a single object gets the global paginator, or none).
    def decided(e):
        p = e.detected_pagination or e.detected_global_pagination
        cfg = p.paginator_config if p else None
        return bool(cfg and cfg.get("type") not in (None, "auto"))
    paginated = sum(1 for e in endpoints if decided(e))
    result.update({
        "ok": rendered is not None,
        "resources": len(endpoints),
        "lists": sum(1 for e in endpoints if e.is_list),
        "paginated": paginated,
        "lists_paginated": sum(1 for e in endpoints if e.is_list and decided(e)),
        # a parent it names, and one whose key fills the path (a transformer)
        "children_mapped": sum(1 for e in endpoints if e.parent and e.transformer),
        "keyed": sum(1 for e in endpoints if e.primary_key),
        "children": sum(1 for e in endpoints if e.parent),
        "fill_me_in": len(re.findall(r"FILL_ME_IN", rendered)) if rendered else None,
        "auth": bool(rendered and re.search(r'"auth"\s*:|auth\s*=', rendered)),
        "paginator_types": sorted({(e.detected_pagination or e.detected_global_pagination).paginator_config.get("type") for e in endpoints if (e.detected_pagination or e.detected_global_pagination)}),
    })
except Exception as e:  # noqa: BLE001
    result["error"] = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:300]
    result["trace"] = traceback.format_exc().splitlines()[-3:]
print(json.dumps(result))
