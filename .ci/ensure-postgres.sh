#!/usr/bin/env bash
# The storage suite and the scale-out tests need a real PostgreSQL on 127.0.0.1:5432:
# user postgres without a password (trust), and a database named `test`.
# Starts the cluster if it is stopped, installs Debian's postgresql if it is missing,
# and on a fresh install allows password-less TCP logins from 127.0.0.1 only.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
PSQL=(psql -X -q -h 127.0.0.1 -p 5432 -U postgres -d postgres -v ON_ERROR_STOP=1)

ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if ! ready; then
  if ! command -v pg_ctlcluster >/dev/null; then
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
  fi
  version="$(ls /etc/postgresql | sort -V | tail -1)"
  if [ -z "$version" ] || [ ! -d "/etc/postgresql/$version/main" ]; then
    version="$(ls /usr/lib/postgresql | sort -V | tail -1)"
    pg_createcluster "$version" main
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do ready && break; sleep 1; done
  ready || { echo "PostgreSQL did not become ready on 127.0.0.1:5432" >&2; exit 1; }
fi

# Debian's default is scram for TCP; the tests log in as postgres without a password.
if ! "${PSQL[@]}" -c 'select 1' >/dev/null 2>&1; then
  hba="$(runuser -u postgres -- psql -X -tAc 'show hba_file')"
  sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba"
  runuser -u postgres -- psql -X -qc 'select pg_reload_conf()' >/dev/null
  sleep 1
  "${PSQL[@]}" -c 'select 1' >/dev/null || { echo "cannot log in to PostgreSQL as postgres on 127.0.0.1" >&2; exit 1; }
fi

if [ "$("${PSQL[@]}" -tAc "select 1 from pg_database where datname = 'test'")" != 1 ]; then
  "${PSQL[@]}" -c 'create database test'
fi
echo "PostgreSQL ready: $("${PSQL[@]}" -tAc 'show server_version')"
