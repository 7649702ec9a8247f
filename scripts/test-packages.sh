#!/usr/bin/env bash
# Installs the Debian packages some tests drive, when a command they provide is missing:
#   chromium, chromedriver  the status service's campaign-page test in a headless browser
#   ffprobe (ffmpeg)        the emulator's GeneratedMediaIT decodes its MP4s with an independent tool
# Needs root or password-less sudo; otherwise says what is missing and leaves it (those tests skip).
set -euo pipefail
declare -A PROVIDES=([chromium]=chromium [chromedriver]=chromium-driver [ffprobe]=ffmpeg)
missing=()
for command in "${!PROVIDES[@]}"; do
  command -v "$command" >/dev/null 2>&1 || missing+=("${PROVIDES[$command]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
readarray -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "test-packages: ${missing[*]} missing and no root: the tests that need them will skip" >&2
  exit 0
fi
echo "test-packages: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
if ! { "${sudo[@]}" apt-get update -qq && \
       "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
  echo "test-packages: installing ${missing[*]} failed: the tests that need them will skip" >&2
fi
