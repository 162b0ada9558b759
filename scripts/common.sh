# Shared helpers for scripts/demo and scripts/test. Sourced, not executed.
# shellcheck shell=bash

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BEAUTY_ADDONS="beauty_customer_profile,beauty_treatment,beauty_membership,beauty_marketing"
PG_PORT=${BEAUTY_PG_PORT:-54329}
PYTHON=${PYTHON:-python3}

die() {
    echo "ERROR: $*" >&2
    exit 2
}

info() {
    echo ">>> $*"
}

# Parse the options both commands share: --odoo PATH.
parse_common_args() {
    REMAINING_ARGS=()
    while [ $# -gt 0 ]; do
        case "$1" in
            --odoo) ODOO_PATH="$2"; shift 2 ;;
            --odoo=*) ODOO_PATH="${1#--odoo=}"; shift ;;
            *) REMAINING_ARGS+=("$1"); shift ;;
        esac
    done
}

# Find Odoo 19: ODOO_PATH (a source tree holding odoo-bin) or an importable `odoo`.
# Sets ODOO_CMD (array). Never downloads anything.
find_odoo() {
    local how="Provide Odoo 19.0 Community: install it so that 'python3 -m odoo --version' prints 19.0 \
(official package, or 'pip install -e <odoo-19-source>'), or point to a source tree with \
ODOO_PATH=/path/to/odoo (the folder holding odoo-bin) or --odoo /path/to/odoo."
    if [ -n "${ODOO_PATH:-}" ]; then
        [ -f "$ODOO_PATH/odoo-bin" ] || die "ODOO_PATH=$ODOO_PATH holds no odoo-bin. $how"
        ODOO_CMD=("$PYTHON" "$ODOO_PATH/odoo-bin")
    elif (cd / && "$PYTHON" -c "import odoo.release" >/dev/null 2>&1); then
        ODOO_CMD=("$PYTHON" -m odoo)
    else
        die "Odoo 19.0 was not found. $how"
    fi
    local version
    version=$(cd / && timeout 60 "${ODOO_CMD[@]}" --version 2>/dev/null | tail -n 1)
    case "$version" in
        *" 19.0"*) ;;
        *) die "Odoo 19.0 is required, found '${version:-nothing}'. $how" ;;
    esac
}

install_python_deps() {
    info "Checking the project's Python dependencies"
    "$PYTHON" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -r "$REPO_ROOT/requirements.txt" "$@" \
        || die "Could not install the Python dependencies listed in requirements.txt"
}

# PostgreSQL: use BEAUTY_DB_HOST/BEAUTY_DB_PORT/BEAUTY_DB_USER when given, otherwise a throwaway
# cluster of our own on 127.0.0.1:$PG_PORT. PostgreSQL refuses to run as root, so as root the
# cluster runs as the 'postgres' (or 'nobody') system user.
pg_run() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u "$PG_OS_USER" -- "$@"
    else
        "$@"
    fi
}

setup_postgres() {
    if [ -n "${BEAUTY_DB_HOST:-}" ]; then
        DB_ARGS=(--db_host "$BEAUTY_DB_HOST" --db_port "${BEAUTY_DB_PORT:-5432}"
                 --db_user "${BEAUTY_DB_USER:-odoo}" --db_password "${BEAUTY_DB_PASSWORD:-}")
        return
    fi
    local bindir
    bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$bindir" ] || bindir=$(dirname "$(command -v pg_ctl 2>/dev/null || echo /nonexistent/x)")
    [ -x "$bindir/pg_ctl" ] || die "PostgreSQL binaries (pg_ctl, initdb) were not found. Install PostgreSQL >= 13."
    PG_BIN=$bindir
    PG_OS_USER=$(id -un)
    PGDATA_DIR="$REPO_ROOT/.local/pgdata"
    if [ "$(id -u)" = 0 ]; then
        PG_OS_USER=postgres
        id postgres >/dev/null 2>&1 || PG_OS_USER=nobody
        mkdir -p "$REPO_ROOT/.local"
        # The clone may live where that user cannot enter (/root): use a folder it can reach.
        if ! runuser -u "$PG_OS_USER" -- test -x "$REPO_ROOT/.local"; then
            PGDATA_DIR="/var/tmp/beauty-pg-$(echo "$REPO_ROOT" | md5sum | cut -c1-10)"
        fi
    fi
    if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
        info "Creating a local PostgreSQL cluster in $PGDATA_DIR"
        mkdir -p "$PGDATA_DIR"
        [ "$(id -u)" = 0 ] && chown "$PG_OS_USER" "$PGDATA_DIR"
        chmod 700 "$PGDATA_DIR"
        pg_run "$PG_BIN/initdb" -D "$PGDATA_DIR" -U beauty --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null \
            || die "initdb failed for $PGDATA_DIR"
    fi
    if ! "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
        info "Starting PostgreSQL on 127.0.0.1:$PG_PORT"
        pg_run "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w -t 60 \
            -o "-p $PG_PORT -k $PGDATA_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" \
            start >/dev/null || die "PostgreSQL did not start; see $PGDATA_DIR/server.log"
    fi
    DB_ARGS=(--db_host 127.0.0.1 --db_port "$PG_PORT" --db_user beauty --db_password "")
}

# The encryption key of sensitive data comes from the environment (or the Odoo config option
# beauty_encryption_keys), never from the database: a local key file is made once for the
# demo and the tests, in the git-ignored .local/ folder.
ensure_encryption_key() {
    if [ -z "${BEAUTY_ENCRYPTION_KEYS:-}" ]; then
        local keyfile="$REPO_ROOT/.local/encryption.keys"
        if [ ! -s "$keyfile" ]; then
            mkdir -p "$REPO_ROOT/.local"
            (umask 077 && "$PYTHON" -c "import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())" > "$keyfile")
        fi
        BEAUTY_ENCRYPTION_KEYS=$(cat "$keyfile")
        export BEAUTY_ENCRYPTION_KEYS
    fi
}

psql_cmd() {
    if [ -n "${BEAUTY_DB_HOST:-}" ]; then
        PGPASSWORD="${BEAUTY_DB_PASSWORD:-}" psql -h "$BEAUTY_DB_HOST" -p "${BEAUTY_DB_PORT:-5432}" \
            -U "${BEAUTY_DB_USER:-odoo}" "$@"
    else
        "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U beauty "$@"
    fi
}

db_exists() {
    [ "$(psql_cmd -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]
}

ensure_chromium() {
    if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
            || command -v google-chrome >/dev/null 2>&1; then
        return
    fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        info "Installing Chromium for the browser tests"
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 \
            || die "Could not install Chromium (apt-get install chromium); browser tests need it"
    else
        die "Chromium is needed for the browser tests: install the 'chromium' package"
    fi
}
