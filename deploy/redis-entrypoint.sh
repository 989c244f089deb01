#!/bin/sh
# Redis in the base image (Debian's redis-server), on 127.0.0.1:REDIS_PORT,
# only for locks: nothing is saved to disk. The password (REDIS_PASSWORD) goes
# to Redis on its standard input, as configuration, never on a command line
# where `ps` would show it.
set -eu
: "${REDIS_PASSWORD:?set REDIS_PASSWORD}"
case $REDIS_PASSWORD in
  *[!A-Za-z0-9._~+/=-]*)
    echo "REDIS_PASSWORD may hold only letters, digits and ._~+/=- (e.g. openssl rand -hex 32)" >&2
    exit 2 ;;
esac
printf 'port %s\nbind 127.0.0.1\nprotected-mode yes\nrequirepass %s\nsave ""\nappendonly no\ndir /tmp\n' \
  "${REDIS_PORT:-6379}" "$REDIS_PASSWORD" | exec redis-server -
