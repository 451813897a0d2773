# Shared by ./quickstart and ./test: a .venv at the repository root, created once and
# reused; reinstalled only when pyproject.toml changes. Source it, then call the functions.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
warn() { printf '\033[1;33m!!! %s\033[0m\n' "$*" >&2; }

find_python() {
    for candidate in python3.13 python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    echo "contractsync needs Python 3.11 or newer; install it (e.g. apt-get install python3)" >&2
    return 1
}

# ensure_venv EXTRAS: create .venv if missing and install contractsync with EXTRAS.
ensure_venv() {
    local extras="$1" python stamp wanted
    if [ ! -x "$VENV/bin/python" ]; then
        python="$(find_python)"
        say "Creating $VENV with $python"
        "$python" -m venv "$VENV"
    fi
    stamp="$VENV/.contractsync-installed"
    digest="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
    # An install with the test extras also serves a plain run.
    if [ -f "$stamp" ] && { [ "$(cat "$stamp")" = "$digest [$extras]" ] ||
        { [ -z "$extras" ] && [ "$(cat "$stamp")" = "$digest [test]" ]; }; }; then
        return 0
    fi
    say "Installing contractsync${extras:+[$extras]} into .venv"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -e "$ROOT${extras:+[$extras]}"
    echo "$digest [$extras]" >"$stamp"
}

# ensure_system_packages: OCR for scanned contracts (Debian's tesseract-ocr) and a font
# for the tests that draw scans. Installed when missing and we are allowed to.
ensure_system_packages() {
    local missing=()
    command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr tesseract-ocr-eng)
    [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "Installing ${missing[*]} (OCR for scanned contracts)"
        apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        warn "Missing ${missing[*]}: scanned contracts cannot be read. Install them with apt-get."
    fi
}
