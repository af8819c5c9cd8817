#!/usr/bin/env bash
# One-shot setup for a fresh Debian/Ubuntu machine: system tools, npm packages, then the
# main job on the default configuration (generate the paper chip's Verilog into rtl-out/paper/,
# and the small test chip's into rtl-out/small/).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1 || ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "eyeriss-ts needs Node.js >= 20.19 with npm (found: $(node --version 2>/dev/null || echo none))." >&2
  echo "Install it from your distribution or nodejs.org, then run this script again." >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
# Verilator builds the simulators (g++, make; zlib for FST waveforms); yosys checks synthesis.
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y verilator yosys g++ make zlib1g-dev

npm ci --no-audit --no-fund
npx tsx scripts/eyeriss.ts generate
npx tsx scripts/eyeriss.ts generate --arch small
