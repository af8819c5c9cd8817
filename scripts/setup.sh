#!/usr/bin/env bash
# One-shot setup for a fresh Debian/Ubuntu machine: system tools, npm packages, then the
# main job on the default configuration: generate the paper chip's Verilog into rtl-out/paper/
# (and the small test chip's into rtl-out/small/), then run the paper's benchmark, sparse
# MobileNet 0.5-128, all 28 layers, on the paper chip's RTL through its system top (descriptors
# and streams in memory behind the AXI memory ports, the harness as the DRAM; docs/system.md), checked
# bit for bit against the golden model, with the per-layer table in out/mobilenet-0.5-128-sparse/layers.md.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1 || ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "eyeriss-ts needs Node.js >= 20.19 with npm (found: $(node --version 2>/dev/null || echo none))." >&2
  echo "Install it from your distribution or nodejs.org, then run this script again." >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
# Verilator builds the simulators (g++, make; zlib for FST waveforms; ccache keeps compiled
# objects by content); yosys checks synthesis; Icarus Verilog (iverilog) and tclsh (tcl) check the
# hand-off files generate writes for other tools (docs/handoff.md); headless Chromium (chromium) renders
# the report.html a run writes in its test (test/cli/report-html.test.ts).
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y verilator yosys iverilog tcl g++ make zlib1g-dev ccache chromium

npm ci --no-audit --no-fund
npx tsx scripts/eyeriss.ts generate
npx tsx scripts/eyeriss.ts generate --arch small
# The first run builds the paper system top's simulator (about two minutes with hierarchical
# blocks), then caches it in build/sim-cache (or $EYERISS_SIM_CACHE) for later runs.
npx tsx scripts/eyeriss.ts run --network mobilenet-0.5-128 --sparse --backend rtl --top system --arch paper --out out/mobilenet-0.5-128-sparse
