#!/usr/bin/env bash
# The browser test's Chromium (tests/plugins/akhbar_ui/test_browser.py): Debian's `chromium`
# and `chromium-driver` (/usr/bin/chromium driven through /usr/bin/chromedriver), installed
# when missing and when this runs as root with apt-get. Never fails the build: where they
# cannot be installed the browser test is skipped and says why. Amiri (fonts-hosny-amiri) is
# the Arabic face of the pages' font stack, so that screenshots show real naskh.
set -uo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && [ -d /usr/share/fonts/opentype/fonts-hosny-amiri ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get > /dev/null 2>&1; then
  echo "chromium: not installed, and this is not root with apt-get; the browser test will be skipped"
  exit 0
fi
log="$(mktemp)"
echo "installing chromium, chromium-driver and fonts-hosny-amiri (Debian packages) for the browser test"
if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      chromium chromium-driver fonts-hosny-amiri) > "$log" 2>&1; then
  rm -f "$log"
else
  echo "chromium: apt-get failed, the browser test will be skipped:"
  tail -5 "$log"
  rm -f "$log"
fi
exit 0
