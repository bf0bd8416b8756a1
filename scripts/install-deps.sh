#!/usr/bin/env bash
# Installs the Debian packages tfcrnn needs at run time (espeak-ng for the synthetic dataset) and what the
# tests use (python3-onnx: the ONNX checker on exported graphs; chromium, npm and web/'s npm packages: the web
# page in headless Chromium), only where they are missing. Uses sudo when not root.
set -euo pipefail
missing=()
command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
/usr/bin/python3 -c "import onnx" >/dev/null 2>&1 || missing+=(python3-onnx)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing ${missing[*]} (Debian packages)" >&2
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ ! -d "$root/web/node_modules/playwright-core" ]; then
  echo "installing web/'s npm packages (npm ci)" >&2
  (cd "$root/web" && npm ci --no-audit --no-fund >/dev/null)
fi
