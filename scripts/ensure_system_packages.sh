#!/usr/bin/env bash
# Make sure the Debian packages the test suite needs are present:
#   chromium    -> /usr/bin/chromium, driven by Playwright in the browser tests
#   postgresql  -> initdb/pg_ctl, for the throwaway PostgreSQL test server
# Installs them with apt-get when running as root; otherwise prints the command to run.
set -euo pipefail

missing=()

if [[ ! -x /usr/bin/chromium ]]; then
    missing+=(chromium)
fi

have_pg() {
    local tool
    for tool in initdb pg_ctl; do
        if command -v "$tool" >/dev/null 2>&1; then
            continue
        fi
        if compgen -G "/usr/lib/postgresql/*/bin/$tool" >/dev/null; then
            continue
        fi
        return 1
    done
    return 0
}

if ! have_pg; then
    missing+=(postgresql)
fi

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "System packages: chromium and PostgreSQL are present."
    exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
    echo "Installing missing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y "${missing[@]}"
else
    echo "Missing system packages: ${missing[*]}" >&2
    echo "Install them with:" >&2
    echo "    sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
