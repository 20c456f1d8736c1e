#!/usr/bin/env bash
# Installs the pinned js-libp2p packages the interop tests start (npm ci from package-lock.json).
#
# Usage: scripts/interop/install.sh [--if-needed]
#   --if-needed  do nothing when node_modules was installed from the current package-lock.json
#
# Needs Node.js >= 20.19 (the @noble 2.x packages libp2p uses require it; libp2p itself asks for
# Promise.withResolvers, which peer.mjs polyfills on Node 20) and npm.
set -euo pipefail

MIN_NODE_MAJOR=20
MIN_NODE_MINOR=19

dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
stamp="$dir/node_modules/.parley-lock-sha256"

die() { printf 'scripts/interop/install.sh: %s\n' "$*" >&2; exit 1; }

command -v node >/dev/null 2>&1 \
  || die "node is not on the PATH; install Node.js >= $MIN_NODE_MAJOR.$MIN_NODE_MINOR (Debian: apt-get install nodejs npm)"
command -v npm >/dev/null 2>&1 \
  || die "npm is not on the PATH; install npm for $(node --version)"

version=$(node -p 'process.versions.node')
major=${version%%.*}
rest=${version#*.}
minor=${rest%%.*}
if (( major < MIN_NODE_MAJOR || (major == MIN_NODE_MAJOR && minor < MIN_NODE_MINOR) )); then
  die "node $version is too old: the pinned js-libp2p packages need Node.js >= $MIN_NODE_MAJOR.$MIN_NODE_MINOR"
fi

[ -f "$dir/package-lock.json" ] || die "$dir/package-lock.json is missing: it pins every package version"

lock_sum=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
if [ "${1:-}" = "--if-needed" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_sum" ]; then
  echo "scripts/interop: node_modules is up to date with package-lock.json"
  exit 0
fi

echo "scripts/interop: npm ci (node $version, npm $(npm --version 2>/dev/null))"
# p-retry 8 and nanoid 6 declare node >= 22 but run on 20: npm's engine warning is expected there.
# --ignore-scripts: no package here needs an install script (js-libp2p is plain JavaScript), and
# webtorrent's dependency ip-set runs "npx only-allow pnpm", which fails under npm. WebTorrent's
# WebRTC binary (node-datachannel) is then absent: webtorrent-bench.mjs runs with no-webrtc.mjs.
( cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error ) \
  || die "npm ci failed in $dir (see npm's message above); the npm registry must be reachable"

node --input-type=module -e "
  import('$dir/polyfill.mjs').then(() => import('$dir/node_modules/libp2p/dist/src/version.js'))
    .then(v => console.log('scripts/interop: js-libp2p ' + v.version + ' ready'))
" || die "the installed packages do not load on node $version"

# @libp2p/webrtc's node-datachannel (0.33) ships its binary as an optional npm package, which
# --ignore-scripts keeps; check that it loads (the --webrtc peers need it).
( cd "$dir/node_modules/@libp2p/webrtc" && node --input-type=module -e "await import('node-datachannel')" ) \
  || die "@libp2p/webrtc's node-datachannel does not load: its optional package @node-datachannel/linux-x64-gnu is missing or does not fit this platform"

echo "$lock_sum" > "$stamp"
