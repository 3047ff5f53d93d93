#!/bin/sh
# What the test suite needs outside .venv, installed when missing (`make test` runs this first).
#   Debian packages: Chromium (browser tests), a JRE (the W3C Nu checker), CJK fonts (screenshots),
#   nginx, apache2 and caddy (the publishing recipes of the README, tests/test_publish.py), and
#   shellcheck (actionlint checks the workflow's run: scripts with it).
#   npm packages: `npm ci` when the repository has a package.json (into ./node_modules).
# As root, apt-get installs what is missing (services are not started); otherwise this stops at once
# and prints the exact command to run.
set -eu
cd "$(dirname "$0")/.."

need=""
[ -x /usr/bin/chromium ] || need="$need chromium"
command -v java >/dev/null 2>&1 || need="$need default-jre-headless"
dpkg-query -W -f '${Status}\n' fonts-noto-cjk 2>/dev/null | grep -q 'ok installed' || need="$need fonts-noto-cjk"
[ -x /usr/sbin/nginx ] || need="$need nginx"
[ -x /usr/sbin/apache2 ] || need="$need apache2"
[ -x /usr/bin/caddy ] || need="$need caddy"
command -v shellcheck >/dev/null 2>&1 || need="$need shellcheck"
if [ -f package.json ] && ! command -v npm >/dev/null 2>&1; then need="$need npm"; fi

if [ -n "$need" ]; then
  cmd="apt-get install -y --no-install-recommends$need"
  if [ "$(id -u)" != 0 ]; then
    echo "tests/deps.sh: missing Debian packages:$need" >&2
    echo "  run:  sudo apt-get update && sudo $cmd" >&2
    echo "  then: make test" >&2
    exit 1
  fi
  echo "tests/deps.sh: installing$need" >&2
  # Installing a web server must not start it (it would take port 80): a policy-rc.d that refuses
  # every service start, for the length of the install, unless the machine already has one.
  policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    policy=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy"
    trap 'rm -f "$policy"' EXIT INT TERM
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $need >/dev/null
  if [ -n "$policy" ]; then rm -f "$policy"; trap - EXIT INT TERM; fi
fi

if [ -f package.json ]; then
  if [ ! -f package-lock.json ]; then
    echo "tests/deps.sh: package.json has no package-lock.json beside it: run \`npm install\` and commit the lock file" >&2
    exit 1
  fi
  # npm ci writes node_modules/.package-lock.json; reinstall when the lock file is newer.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] \
     || [ package.json -nt node_modules/.package-lock.json ]; then
    echo "tests/deps.sh: npm ci" >&2
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi
