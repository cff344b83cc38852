#!/usr/bin/env bash
# Konsilo test command: lint, format check, type check, tests (SQLite + PostgreSQL).
#
#   bash scripts/test.sh [pytest args...]
#
# Extra arguments go to pytest. The PostgreSQL server the tests need is started by the
# `postgres_url` fixture in tests/conftest.py; this script only makes sure it is installed,
# and stops any server a crashed pytest run left behind.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf '\n==> %s\n' "$*" >&2; }

# --- Python environment ------------------------------------------------------------------
if [[ ! -x .venv/bin/python ]]; then
    log "creating .venv"
    python3 -m venv .venv
fi
log "installing konsilo[test] into .venv"
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/pip install -q -e '.[test]'

# --- Telegram emulator (Node.js) ------------------------------------------------------------
# The Telegram tests run the bot against telegram-test-api, pinned in the emulator's
# package-lock.json. npm ci runs when node_modules is missing or the lock changed since.
EMULATOR=tests/telegram/emulator
for tool in node npm; do
    command -v "$tool" >/dev/null || {
        echo "the Telegram tests need Node.js and npm ('$tool' is not on PATH);" \
            "on Debian: apt-get install nodejs npm" >&2
        exit 1
    }
done
if ! cmp -s "$EMULATOR/package-lock.json" "$EMULATOR/node_modules/.konsilo-lock"; then
    log "installing the Telegram emulator (npm ci in $EMULATOR)"
    (cd "$EMULATOR" && npm ci --no-audit --no-fund)
    cp "$EMULATOR/package-lock.json" "$EMULATOR/node_modules/.konsilo-lock"
fi

# --- PostgreSQL server binaries ----------------------------------------------------------
have_initdb() {
    local f
    for f in /usr/lib/postgresql/*/bin/initdb; do
        [[ -x "$f" ]] && return 0
    done
    return 1
}

if ! have_initdb; then
    log "PostgreSQL server not found: installing the Debian 'postgresql' package"
    sudo_cmd=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null || { echo "need root (or sudo) to install postgresql" >&2; exit 1; }
        sudo_cmd=(sudo)
    fi
    "${sudo_cmd[@]}" apt-get update
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
    # The package creates and may start a 'main' cluster; the tests don't use it.
    if command -v pg_lsclusters >/dev/null; then
        pg_lsclusters --no-header 2>/dev/null | while read -r ver name _port status _rest; do
            if [[ "$status" == online* ]]; then
                "${sudo_cmd[@]}" pg_ctlcluster "$ver" "$name" stop </dev/null || true
            fi
        done
    fi
    have_initdb || { echo "postgresql installed but no initdb under /usr/lib/postgresql/*/bin" >&2; exit 1; }
fi

# --- Throwaway-server safety net ---------------------------------------------------------
# The fixture puts its cluster under this directory and stops it itself; if pytest dies
# without running its teardown, stop whatever is still running here on the way out.
KONSILO_PG_TMPDIR="$(mktemp -d "${TMPDIR:-/tmp}/konsilo-test.XXXXXX")"
chmod 755 "$KONSILO_PG_TMPDIR"  # the postgres OS user must be able to reach its cluster
export KONSILO_PG_TMPDIR

cleanup() {
    local pidfile datadir pg_ctl
    for pidfile in "$KONSILO_PG_TMPDIR"/*/data/postmaster.pid; do
        [[ -e "$pidfile" ]] || continue
        datadir="$(dirname "$pidfile")"
        pg_ctl="$(ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -n 1 || true)"
        [[ -n "$pg_ctl" ]] || pg_ctl="$(command -v pg_ctl || true)"
        echo "stopping leftover PostgreSQL server in $datadir" >&2
        if [[ $(id -u) -eq 0 ]]; then
            runuser -u postgres -- "$pg_ctl" -D "$datadir" -m immediate -w stop >&2 || true
        else
            "$pg_ctl" -D "$datadir" -m immediate -w stop >&2 || true
        fi
    done
    rm -rf "$KONSILO_PG_TMPDIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- Checks --------------------------------------------------------------------------------
# Every check runs even if an earlier one fails, so one CI run shows all problems.
failed=()
run_step() {
    local name="$1"
    shift
    log "$name: $*"
    if ! "$@"; then
        failed+=("$name")
    fi
}

run_step "ruff check" .venv/bin/ruff check .
run_step "ruff format" .venv/bin/ruff format --check .
run_step "mypy" .venv/bin/mypy
run_step "pytest" .venv/bin/pytest "$@"

if ((${#failed[@]})); then
    log "FAILED: ${failed[*]}"
    exit 1
fi
log "all checks passed"
