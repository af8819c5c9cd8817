// An AXI4 slave memory on a design's `m_axi_*` read channels, run cycle by cycle inside a stream
// run (streams.cpp): the C++ side is the DRAM. It answers INCR read bursts in order after a
// fixed latency plus seeded random delays, under a bytes-per-cycle limit and random AR
// backpressure, and checks the master side of the protocol on every cycle.
#include "axi.h"
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

static const char* kPortNames[AXI_READ_PORTS] = {"arvalid", "arready", "araddr", "arlen", "arsize", "arburst", "arid",
                                                  "rvalid",  "rready",  "rdata",  "rresp", "rlast",  "rid"};

static std::string line_or_die(const char* what) {
  std::string line;
  if (!std::getline(std::cin, line)) protocol_error("axi %s missing", what);
  return line;
}

void AxiSlave::read_spec() {
  const std::string spec = line_or_die("slave spec");
  Tokens t(spec.c_str());
  for (int& p : port) p = t.port();
  latency = t.num();
  jitter_threshold = t.num();
  jitter_max = t.num();
  arready_threshold = t.num();
  rvalid_threshold = t.num();
  bytes_per_cycle = t.num();
  base = t.num();
  const uint64_t words = t.num();
  beat_words = port_words(port[AXI_RDATA]);
  beat_bytes = 4ull * (uint64_t)beat_words;
  mem.reserve(words);
  while (mem.size() < words) {
    const std::string row = line_or_die("memory row");
    const char* p = row.c_str();
    while (*p) {
      while (*p == ' ') ++p;
      if (!*p) break;
      char* end;
      mem.push_back((uint32_t)strtoul(p, &end, 16));
      p = end;
    }
  }
  if (mem.size() != words) protocol_error("axi memory has %zu words, %llu announced", mem.size(), (unsigned long long)words);
  tokens = beat_bytes;
}

uint64_t AxiSlave::get_u64(int which) {
  uint32_t w[2] = {0, 0};
  if (port_words(port[which]) > 2) protocol_error("axi port %s wider than 64 bits", kPortNames[which]);
  get_port(port[which], w);
  return (uint64_t)w[0] | ((uint64_t)(port_words(port[which]) > 1 ? w[1] : 0) << 32);
}

void AxiSlave::violate(const char* channel, const std::string& rule) {
  if (!violation.empty()) return;
  violation = std::string(channel) + " channel, cycle " + std::to_string(current_cycle()) + ": " + rule;
}

// Drives the slave's outputs for this cycle (before the design settles).
void AxiSlave::drive(Rng& rng) {
  if (bytes_per_cycle == 0) tokens = beat_bytes;
  else tokens = std::min(tokens + bytes_per_cycle, bytes_per_cycle + beat_bytes);
  arready_now = rng.chance(arready_threshold);
  set_bit(port[AXI_ARREADY], arready_now);
  // A beat once offered stays offered, payload unchanged, until the master takes it.
  if (!offering && !bursts.empty() && bursts.front().ready_at <= current_cycle() && tokens >= beat_bytes && rng.chance(rvalid_threshold)) {
    Burst& b = bursts.front();
    offering = true;
    tokens -= beat_bytes;
    std::vector<uint32_t> data(beat_words, 0);
    const uint64_t addr = b.addr + (uint64_t)b.beat * beat_bytes;
    bool ok = !b.bad;
    for (int k = 0; ok && k < beat_words; ++k) {
      const uint64_t a = addr + 4ull * k;
      if (a < base || (a - base) / 4 >= mem.size()) ok = false;
      else data[k] = mem[(a - base) / 4];
    }
    if (!ok) std::fill(data.begin(), data.end(), 0);
    set_port(port[AXI_RDATA], data.data());
    uint32_t resp = ok ? 0u : 2u;  // OKAY, or SLVERR outside the image
    set_port(port[AXI_RRESP], &resp);
    set_bit(port[AXI_RLAST], b.beat == b.len);
    uint32_t id = b.id;
    set_port(port[AXI_RID], &id);
  }
  set_bit(port[AXI_RVALID], offering);
}

// Samples the master after the design settled, checks the rules, takes the handshakes.
void AxiSlave::sample(Rng& rng) {
  const bool arvalid = get_bit(port[AXI_ARVALID]);
  const uint64_t araddr = get_u64(AXI_ARADDR), arlen = get_u64(AXI_ARLEN), arsize = get_u64(AXI_ARSIZE), arburst = get_u64(AXI_ARBURST);
  const uint64_t arid = get_u64(AXI_ARID);
  if (ar_pending) {
    if (!arvalid) violate("AR", "arvalid fell before arready took the request (valid must be held until ready)");
    else if (araddr != held.addr || arlen != held.len || arsize != held.size || arburst != held.burst || arid != held.id)
      violate("AR", "the request changed while arvalid waited for arready (the payload must stay stable)");
  }
  if (arvalid && arready_now) {
    ar_pending = false;
    Burst b{araddr, (uint32_t)arlen, 0, (uint32_t)arid, current_cycle() + latency, false};
    if (jitter_max > 0 && jitter_threshold > 0) {
      // Extra cycles before the first beat, seeded like everything else in the run.
      for (uint64_t k = 0; k < jitter_max; ++k) if (rng.chance(jitter_threshold)) ++b.ready_at;
    }
    const uint64_t bytes = 1ull << arsize;
    if (arburst != 1) violate("AR", "arburst " + std::to_string(arburst) + ": only INCR bursts (1) are used");
    else if (bytes > beat_bytes) violate("AR", "arsize " + std::to_string(arsize) + " is wider than the data bus");
    else if (araddr % bytes != 0) violate("AR", "araddr " + std::to_string(araddr) + " is not aligned to arsize");
    else if (araddr / 4096 != (araddr + (arlen + 1) * bytes - 1) / 4096)
      violate("AR", "burst at " + std::to_string(araddr) + " of " + std::to_string(arlen + 1) + " beats crosses a 4 KB boundary");
    if (bytes != beat_bytes) b.bad = true;  // narrow bursts are legal AXI, but this model answers full beats only
    bursts.push_back(b);
    ++burst_count;
  } else if (arvalid) {
    ar_pending = true;
    held = {araddr, arlen, arsize, arburst, arid};
  } else {
    ar_pending = false;
  }
  if (offering && get_bit(port[AXI_RREADY])) {
    offering = false;
    ++beat_count;
    Burst& b = bursts.front();
    if (b.beat == b.len) bursts.pop_front();
    else ++b.beat;
  }
}

void AxiSlave::idle_outputs() {
  set_bit(port[AXI_ARREADY], false);
  set_bit(port[AXI_RVALID], false);
}
