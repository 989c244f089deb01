#!/bin/sh
# PostgreSQL in the base image (Debian's postgresql-15): create the cluster and
# the `rasa` role (password DB_PASSWORD) on first start, then run it on
# 127.0.0.1:DB_PORT as the postgres user. Data in /var/lib/postgresql/data.
# The password reaches psql through the environment (\getenv) and SQL as a
# quoted literal (:'password'), never spliced into a statement or a command line.
# A failed statement is not written to the server's log with its values (her
# message, in an INSERT's parameters): log_min_error_statement=panic, and
# errors without DETAIL (log_error_verbosity=terse).
set -eu
: "${DB_PASSWORD:?set DB_PASSWORD}"
port=${DB_PORT:-15432}
data=/var/lib/postgresql/data
bin=$(ls -d /usr/lib/postgresql/*/bin | tail -1)
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
mkdir -p "$data" /run/postgresql
chown -R postgres:postgres "$data" /run/postgresql
chmod 700 "$data"
if [ ! -s "$data/PG_VERSION" ]; then
  as_postgres "$bin/initdb" -D "$data" -U postgres \
    --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  as_postgres "$bin/pg_ctl" -D "$data" -w start \
    -o "-c listen_addresses='' -k /run/postgresql" >/dev/null
  as_postgres "$bin/psql" -h /run/postgresql -U postgres -v ON_ERROR_STOP=1 -q <<'SQL'
\getenv password DB_PASSWORD
CREATE ROLE rasa LOGIN PASSWORD :'password';
CREATE DATABASE rasa OWNER rasa;
SQL
  as_postgres "$bin/pg_ctl" -D "$data" -w stop >/dev/null
fi
exec setpriv --reuid=postgres --regid=postgres --init-groups \
  "$bin/postgres" -D "$data" -p "$port" -c listen_addresses=127.0.0.1 -k /run/postgresql \
  -c log_min_error_statement=panic -c log_error_verbosity=terse
