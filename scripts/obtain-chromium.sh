#!/usr/bin/env bash
# The browser of the console's end-to-end tests: Debian's Chromium (playwright-core drives it; the
# Playwright browser download does not work offline), with a CJK font (WenQuanYi Micro Hei) so the
# screenshots show the Chinese pages as people see them. Installed from Debian's packages when
# missing; prints the browser's path.
set -euo pipefail
CHROMIUM=/usr/bin/chromium
FONT=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
if [[ ! -x "$CHROMIUM" || ! -f "$FONT" ]]; then
  echo "Installing Debian's chromium and a CJK font for the end-to-end tests..." >&2
  sudo_cmd=()
  # Never wait at a password prompt: without root or password-less sudo, fail at once.
  [[ "$(id -u)" -ne 0 ]] && sudo_cmd=(sudo -n)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get install -y --no-install-recommends chromium fonts-wqy-microhei >&2 \
    || { "${sudo_cmd[@]}" apt-get update >&2 && "${sudo_cmd[@]}" apt-get install -y --no-install-recommends chromium fonts-wqy-microhei >&2; }
fi
# (Debian's launcher script prints a shell warning of its own on some machines; only the version matters.)
"$CHROMIUM" --version >&2 2>/dev/null
echo "$CHROMIUM"
