#!/usr/bin/env bash
# Build the container images (`make image`), on a machine without any image
# registry:
#   1. baekkenloesning/base:bookworm, once: Debian bookworm by debootstrap from
#      the mirror apt is configured with (scripts/debian_mirror.py), with the
#      runtime libraries, PostgreSQL, Redis and HAProxy from Debian's packages
#      and the project's CPython 3.10 (Debian bookworm ships 3.11, on which
#      Rasa 3.6 does not run), imported with `docker import`;
#   2. baekkenloesning/rasa and baekkenloesning/actions from deploy/*.Dockerfile,
#      installing the pinned wheels from build/wheels, served to the build on
#      127.0.0.1 only (the builds reach nothing else).
# Each image is tagged `latest` and the project's version (pyproject.toml).
# The base image carries a label with the hash of what it is made from (the
# package list, the Python); when that changes, it is made again.
# Environment: PYTHON310 (the interpreter to copy), DOCKER (docker client),
# WHEELS_PORT (18765), FRESH_IMAGES=1 (build from nothing: remove the
# project's images and Docker's build cache first, as on a new machine).
set -euo pipefail
cd "$(dirname "$0")/.."

docker=${DOCKER:-docker}
python310=${PYTHON310:?PYTHON310 must name a Python 3.10 interpreter}
base=baekkenloesning/base:bookworm
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' pyproject.toml)
packages=ca-certificates,libssl3,libffi8,libsqlite3-0,libbz2-1.0,liblzma5,zlib1g,libexpat1,libreadline8,libncursesw6,libuuid1,libgdbm6,libgdbm-compat4,libnsl2,libgomp1,postgresql-15,redis-server,haproxy
inputs=$( { echo "$packages"; "$python310" -VV; sed -n '/^# --- the base image/,/^# --- end of the base image/p' "$0"; } | sha256sum | cut -c1-16)

if [ "${FRESH_IMAGES:-}" = 1 ]; then
  echo "FRESH_IMAGES=1: removing the project's images and Docker's build cache"
  "$docker" image ls --format '{{.Repository}}:{{.Tag}}' \
    | { grep '^baekkenloesning/' || true; } | xargs -r "$docker" image rm -f >/dev/null
  "$docker" builder prune -af >/dev/null
fi

# --- the base image (the hash above covers this block) ---
if [ "$("$docker" image inspect --format '{{ index .Config.Labels "inputs" }}' "$base" 2>/dev/null)" != "$inputs" ]; then
  mirror=$(.venv/bin/python scripts/debian_mirror.py bookworm)
  rootfs=$(mktemp -d /tmp/rasa-rootfs.XXXXXX)
  trap 'rm -rf "$rootfs"' EXIT
  echo "debootstrap bookworm from $mirror ..."
  started=$SECONDS
  debootstrap --variant=minbase --include="$packages" bookworm "$rootfs" "$mirror" \
    >"$rootfs.log" 2>&1 || { tail -20 "$rootfs.log"; exit 1; }
  prefix=$("$python310" -c 'import sys; print(sys.base_prefix)')
  mkdir -p "$rootfs/opt/python"
  tar -C "$prefix" --exclude=./lib/python3.10/test --exclude='__pycache__' -c . \
    | tar -C "$rootfs/opt/python" -x
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs.log"
  tar -C "$rootfs" -c . | "$docker" import \
    --change 'ENV PATH=/opt/python/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LD_LIBRARY_PATH=/opt/python/lib' \
    --change 'ENV LANG=C.UTF-8' \
    --change "LABEL inputs=$inputs" \
    - "$base" >/dev/null
  echo "built $base in $((SECONDS - started)) s"
fi
# --- end of the base image ---

# the wheels, on loopback for the builds (a fixed port, so the URL in the
# install step's cache key stays the same; the wheels' manifest, copied in
# before that step, is what changes the key when the wheels change)
port=${WHEELS_PORT:-18765}
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "Port $port is taken; set WHEELS_PORT to a free one." >&2
  exit 1
fi
.venv/bin/python -m http.server --bind 127.0.0.1 --directory build/wheels "$port" \
  >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
trap 'kill $server 2>/dev/null || true; rm -rf "${rootfs:-/nonexistent}"' EXIT
for name in rasa actions; do
  started=$SECONDS
  "$docker" build --network host --build-arg "WHEELS=http://127.0.0.1:$port/" \
    -f "deploy/$name.Dockerfile" \
    -t "baekkenloesning/$name:latest" -t "baekkenloesning/$name:$version" . \
    >"build/image-$name.log" 2>&1 || { tail -30 "build/image-$name.log"; exit 1; }
  echo "built baekkenloesning/$name:$version in $((SECONDS - started)) s"
done
