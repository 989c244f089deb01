#!/usr/bin/env bash
# Every wheel the images install, in build/wheels, checked before Docker sees it
# (`make image` runs this when requirements.txt or requirements.in change):
#   1. every pin of requirements.txt as a wheel (build tools included: Rasa
#      needs setuptools and wheel at run time);
#   2. build/wheels/runtime.in: what the Rasa image installs (the runtime block
#      of requirements.in) and actions.in: what the action server image installs;
#   3. the same installs resolved from build/wheels alone, with no index and no
#      pip configuration of this machine: a missing wheel stops here, with its
#      name, not in a Docker build on another machine;
#   4. build/wheels/MANIFEST.sha256: the wheels' names and hashes. The
#      Dockerfiles copy it in before their install step, so Docker's cache key
#      for that step changes whenever the set of wheels does (the wheels come
#      over HTTP, which Docker does not hash).
# Usage: deploy/wheels.sh [PIP]   (default .venv/bin/pip)
set -euo pipefail
cd "$(dirname "$0")/.."
pip=${1:-.venv/bin/pip}
wheels=build/wheels

rm -rf "$wheels"
"$pip" wheel -q --no-deps --wheel-dir "$wheels" -r requirements.txt
sed '/^# development/,$d; s/#.*//; /^[[:space:]]*$/d' requirements.in >"$wheels/runtime.in"
printf '%s\n' rasa-sdk jsonschema >"$wheels/actions.in"
for wanted in runtime.in actions.in; do
  PIP_CONFIG_FILE=/dev/null "$pip" install --quiet --dry-run --ignore-installed \
    --no-index --find-links "$wheels" -c requirements.txt -r "$wheels/$wanted" \
    || { echo "build/wheels cannot install $wanted on its own (above: what is missing)" >&2; exit 1; }
done
(cd "$wheels" && sha256sum -- *.whl runtime.in actions.in >MANIFEST.sha256)
echo "$(ls "$wheels"/*.whl | wc -l) wheels in $wheels, each install resolved from them alone"
