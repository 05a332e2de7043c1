#!/usr/bin/env bash
# Set up everything softmax-video needs, idempotently; a second run takes seconds.
#   1. Debian packages manim needs here (Cairo, Pango, LaTeX, dvisvgm) and, with
#      --with-browser, Chromium for the gallery test.
#   2. A virtual environment in .venv with the package and its test extra.
# Exit status 2 when system packages are missing and we are not root.
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PACKAGES=(
  pkg-config libcairo2-dev libpango1.0-dev            # pycairo / manimpango build + runtime
  texlive-latex-base texlive-latex-extra texlive-fonts-recommended dvisvgm  # MathTex / Tex
  espeak-ng ffmpeg                                    # fallback voice; loudness and audio checks
)
EXTRAS="test,slides,voice,batch"
for arg in "$@"; do
  case "$arg" in
    --with-browser) SYSTEM_PACKAGES+=(chromium) ;;
    --extras=*) EXTRAS="${arg#--extras=}" ;;
    *) echo "bootstrap: unknown option $arg (allowed: --with-browser, --extras=a,b)" >&2; exit 2 ;;
  esac
done

missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# npm fetches reveal.js once, so the slides HTML works offline; any npm will do.
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]})); then
  install_cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then
    echo "bootstrap: missing system packages: ${missing[*]}" >&2
    echo "bootstrap: run as root: $install_cmd" >&2
    exit 2
  fi
  echo "bootstrap: installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "bootstrap: Python >= 3.11 is needed; $PYTHON is $("$PYTHON" --version 2>&1)" >&2; exit 2; }
  echo "bootstrap: creating .venv"
  "$PYTHON" -m venv .venv
fi

# Reinstall only when the dependency list or the extras change.
stamp=".venv/.softmax-video-installed"
want="$(sha256sum pyproject.toml | cut -d' ' -f1) $EXTRAS"
if [[ ! -f $stamp ]] || [[ $(cat "$stamp") != "$want" ]]; then
  echo "bootstrap: installing softmax-video[$EXTRAS] into .venv"
  log=.venv/pip-install.log
  if ! { .venv/bin/python -m pip install --upgrade pip &&
         .venv/bin/python -m pip install -e ".[$EXTRAS]"; } >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "bootstrap: pip install failed; full log in $log" >&2
    exit 1
  fi
  echo "$want" > "$stamp"
fi
echo "bootstrap: ready"
