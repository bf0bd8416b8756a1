#!/usr/bin/env bash
# Installs the Debian packages tfcrnn needs at run time (espeak-ng for the synthetic dataset; the MBROLA voices
# that espeak-ng speaks English with, and the SVOX Pico and RHVoice synthesisers with their English voices: Debian's
# contrib and non-free components, enabled here where they are not; TFCRNN_NO_MBROLA=1 leaves the MBROLA voices out,
# TFCRNN_NO_ENGINES=1 Pico and RHVoice) and what the tests use (python3-onnx: the ONNX checker on exported graphs;
# chromium, npm and web/'s npm packages: the web page in headless Chromium), only where they are missing. Uses sudo
# when not root.
set -euo pipefail
missing=()
command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
/usr/bin/python3 -c "import onnx" >/dev/null 2>&1 || missing+=(python3-onnx)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(npm)
# The order of VoiceCatalog.MbrolaVoices (a test checks it).
mbrola_databases=(us1 us2 us3 en1 af1 nl2 fr1 fr4 de1 de2 de3 de4 de5 de6 gr2 hu1 pl1 ro1 sw1 sw2)
mbrola=()
if [ "${TFCRNN_NO_MBROLA:-0}" != 1 ]; then
  command -v mbrola >/dev/null 2>&1 || mbrola+=(mbrola)
  for database in "${mbrola_databases[@]}"; do
    [ -e "/usr/share/mbrola/$database/$database" ] || mbrola+=("mbrola-$database")
  done
fi
# SVOX Pico's and RHVoice's packages (non-free), those VoiceCatalog.EngineVoices names (a test checks it).
engines=()
if [ "${TFCRNN_NO_ENGINES:-0}" != 1 ]; then
  [ -e /usr/share/pico/lang/en-US_ta.bin ] && command -v pico2wave >/dev/null 2>&1 || engines+=(libttspico-utils)
  command -v RHVoice-test >/dev/null 2>&1 || engines+=(rhvoice)
  [ -d /usr/share/RHVoice/voices/bdl ] || engines+=(rhvoice-english)
fi
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
updated=0
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} (Debian packages)" >&2
  $sudo apt-get update -qq >/dev/null && updated=1
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# The voices are optional: where they cannot be installed, the synthesis goes on without them.
install_nonfree() {
  [ "$updated" = 1 ] || { $sudo apt-get update -qq >/dev/null && updated=1; } || return 1
  local codename sources=/etc/apt/sources.list.d/tfcrnn-mbrola.sources
  # A package that is only referenced (no component provides it) still exits 0 from apt-cache show, with no record.
  if ! apt-cache show "$1" 2>/dev/null | grep -q '^Package:' && [ ! -e "$sources" ] && grep -qs '^ID=debian' /etc/os-release; then
    codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
    echo "enabling Debian's contrib and non-free components in $sources (TFCRNN_NO_MBROLA=1 and TFCRNN_NO_ENGINES=1 skip the voices)" >&2
    printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: %s\nComponents: contrib non-free\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      "$codename" | $sudo tee "$sources" >/dev/null || return 1
    $sudo apt-get update -qq >/dev/null || { $sudo rm -f "$sources"; return 1; }
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}
if [ ${#mbrola[@]} -gt 0 ]; then
  echo "installing ${mbrola[*]} (Debian packages, contrib and non-free)" >&2
  install_nonfree "${mbrola[@]}" || echo "could not install the MBROLA voices; the synthesis will go on without them" >&2
fi
if [ ${#engines[@]} -gt 0 ]; then
  echo "installing ${engines[*]} (Debian packages, non-free)" >&2
  install_nonfree "${engines[@]}" || echo "could not install SVOX Pico and RHVoice; the synthesis will go on without their voices" >&2
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ ! -d "$root/web/node_modules/playwright-core" ]; then
  echo "installing web/'s npm packages (npm ci)" >&2
  (cd "$root/web" && npm ci --no-audit --no-fund >/dev/null)
fi
