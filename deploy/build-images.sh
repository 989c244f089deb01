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
# Environment: PYTHON310 (the interpreter to copy), DOCKER (docker client),
# WHEELS_PORT (18765).
set -euo pipefail
cd "$(dirname "$0")/.."

docker=${DOCKER:-docker}
python310=${PYTHON310:?PYTHON310 must name a Python 3.10 interpreter}
base=baekkenloesning/base:bookworm
packages=ca-certificates,libssl3,libffi8,libsqlite3-0,libbz2-1.0,liblzma5,zlib1g,libexpat1,libreadline8,libncursesw6,libuuid1,libgdbm6,libgdbm-compat4,libnsl2,libgomp1,postgresql-15,redis-server,haproxy

if ! "$docker" image inspect "$base" >/dev/null 2>&1; then
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
    - "$base" >/dev/null
  echo "built $base in $((SECONDS - started)) s"
fi

# the wheels, on loopback for the builds (a fixed port: the URL is part of
# Docker's cache key for the install step, which should be built only once)
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
    -f "deploy/$name.Dockerfile" -t "baekkenloesning/$name:latest" . \
    >"build/image-$name.log" 2>&1 || { tail -30 "build/image-$name.log"; exit 1; }
  echo "built baekkenloesning/$name in $((SECONDS - started)) s"
done
