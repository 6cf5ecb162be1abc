#!/usr/bin/env bash
# Install Debian's Chromium and a Japanese font for the browser tests, with apt-get.
# Never downloads a browser build. Where nothing can be installed (no apt-get, not
# root and no sudo), it says so and exits 0: the browser tests then skip, or fail
# when CI or REQUIRE_BROWSER=1 is set.
set -u
chromium="${1:-/usr/bin/chromium}"
packages=(chromium fonts-ipafont-gothic)

if [ -x "$chromium" ] && dpkg -s "${packages[@]}" >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "install-browser: no apt-get here; install Chromium yourself and set CHROMIUM=/path/to/it" >&2
  exit 0
fi
sudo=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "install-browser: not root and no password-less sudo; run: sudo apt-get install ${packages[*]}" >&2
    exit 0
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q >/dev/null \
  && "${sudo[@]}" apt-get install -y -q "${packages[@]}" >/dev/null \
  || echo "install-browser: apt-get could not install ${packages[*]}" >&2
exit 0
