// An AXI4 slave memory on a design's `m_axi_*` channels, run cycle by cycle inside a stream run
// (streams.cpp): the C++ side is the DRAM. It answers INCR bursts in order after a fixed latency
// plus seeded random delays, under a bytes-per-cycle limit shared by reads and writes and random
// backpressure, and checks the master's side of the protocol on every cycle. Slaves on several
// ports of one master can share one memory and one bandwidth limit (one DRAM, several ports).
#include "axi.h"
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

static const char* kReadNames[AXI_READ_PORTS] = {"arvalid", "arready", "araddr", "arlen", "arsize", "arburst", "arid",
                                                 "rvalid",  "rready",  "rdata",  "rresp", "rlast",  "rid"};
static const char* kWriteNames[AXI_WRITE_PORTS] = {"awvalid", "awready", "awaddr", "awlen", "awsize", "awburst", "awid", "wvalid",
                                                   "wready",  "wdata",   "wstrb",  "wlast", "bvalid", "bready",  "bresp", "bid"};

static std::string line_or_die(const char* what) {
  std::string line;
  if (!std::getline(std::cin, line)) protocol_error("axi %s missing", what);
  return line;
}

void AxiSlave::read_spec() {
  const std::string spec = line_or_die("slave spec");
  Tokens t(spec.c_str());
  has_read = t.num() != 0;
  if (has_read) for (int& p : port) p = t.port();
  has_write = t.num() != 0;
  if (has_write) for (int& p : wport) p = t.port();
  latency = t.num();
  jitter_threshold = t.num();
  jitter_max = t.num();
  arready_threshold = t.num();
  rvalid_threshold = t.num();
  bytes_per_cycle = t.num();
  base = t.num();
  share = (int)t.num() - 1;
  const uint64_t ranges = t.num();
  for (uint64_t r = 0; r < ranges; ++r) {
    const uint64_t addr = t.num();
    readback.emplace_back(addr, t.num());
  }
  const uint64_t words = t.num();
  beat_words = port_words(has_read ? port[AXI_RDATA] : wport[AXI_WDATA]);
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
  if (share >= 0 && words != 0) protocol_error("axi slave sharing slave %d's memory sent %llu words of its own", share, (unsigned long long)words);
  tokens = beat_bytes;
}

static uint64_t read_u64(int port_index, const char* name) {
  uint32_t w[2] = {0, 0};
  if (port_words(port_index) > 2) protocol_error("axi port %s wider than 64 bits", name);
  get_port(port_index, w);
  return (uint64_t)w[0] | ((uint64_t)(port_words(port_index) > 1 ? w[1] : 0) << 32);
}

uint64_t AxiSlave::get_u64(int which) { return read_u64(port[which], kReadNames[which]); }
uint64_t AxiSlave::get_w64(int which) { return read_u64(wport[which], kWriteNames[which]); }

void AxiSlave::violate(const char* channel, const std::string& rule) {
  if (!violation.empty()) return;
  violation = std::string(channel) + " channel, cycle " + std::to_string(current_cycle()) + ": " + rule;
}

bool AxiSlave::in_memory(uint64_t a) const { return a >= base && (a - base) / 4 < owner->mem.size(); }

// A beat may move when the shared bucket holds its bytes (always, with no limit); it takes them.
bool AxiSlave::beat_allowed() const { return owner->bytes_per_cycle == 0 || owner->tokens >= beat_bytes; }
void AxiSlave::spend(bool take) {
  if (owner->bytes_per_cycle == 0) return;
  if (take) owner->tokens -= beat_bytes;
  else owner->tokens += beat_bytes;
}

// The address-channel rules both directions share; false when the burst breaks one.
bool AxiSlave::check_burst(const char* ch, uint64_t addr, uint64_t len, uint64_t size, uint64_t burst) {
  const uint64_t bytes = 1ull << size;
  const std::string pre = ch[0] == 'A' && ch[1] == 'W' ? "aw" : "ar";
  if (burst != 1) violate(ch, pre + "burst " + std::to_string(burst) + ": only INCR bursts (1) are used");
  else if (bytes > beat_bytes) violate(ch, pre + "size " + std::to_string(size) + " is wider than the data bus");
  else if (addr % bytes != 0) violate(ch, pre + "addr " + std::to_string(addr) + " is not aligned to " + pre + "size");
  else if (addr / 4096 != (addr + (len + 1) * bytes - 1) / 4096)
    violate(ch, "burst at " + std::to_string(addr) + " of " + std::to_string(len + 1) + " beats crosses a 4 KB boundary");
  else return true;
  return false;
}

// An address channel's handshake this cycle: a request waiting since an earlier cycle must still
// be valid and unchanged; returns whether one is taken now, and remembers one left waiting.
bool AxiSlave::address_taken(const char* ch, bool valid, bool ready, const Held& now, bool& pending, Held& waiting) {
  const std::string p = ch[1] == 'W' ? "aw" : "ar";
  if (pending) {
    if (!valid) violate(ch, p + "valid fell before " + p + "ready took the request (valid must be held until ready)");
    else if (now.addr != waiting.addr || now.len != waiting.len || now.size != waiting.size || now.burst != waiting.burst || now.id != waiting.id)
      violate(ch, "the request changed while " + p + "valid waited for " + p + "ready (the payload must stay stable)");
  }
  pending = valid && !ready;
  if (pending) waiting = now;
  return valid && ready;
}

// Drives the slave's outputs for this cycle (before the design settles).
void AxiSlave::drive(Rng& rng) {
  // The bucket fills once a cycle, by the slave that owns it (drive runs in slave order, owners first).
  if (owner == this && bytes_per_cycle != 0) tokens = std::min(tokens + bytes_per_cycle, bytes_per_cycle + beat_bytes);
  if (has_write) drive_write(rng);
  if (!has_read) return;
  arready_now = rng.chance(arready_threshold);
  set_bit(port[AXI_ARREADY], arready_now);
  // A beat once offered stays offered, payload unchanged, until the master takes it.
  if (!offering && !bursts.empty() && bursts.front().ready_at <= current_cycle() && beat_allowed() && rng.chance(rvalid_threshold)) {
    Burst& b = bursts.front();
    offering = true;
    spend(true);
    std::vector<uint32_t> data(beat_words, 0);
    const uint64_t addr = b.addr + (uint64_t)b.beat * beat_bytes;
    bool ok = !b.bad;
    for (int k = 0; ok && k < beat_words; ++k) {
      if (!in_memory(addr + 4ull * k)) ok = false;
      else data[k] = owner->mem[(addr + 4ull * k - base) / 4];
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

void AxiSlave::drive_write(Rng& rng) {
  awready_now = rng.chance(arready_threshold);
  set_bit(wport[AXI_AWREADY], awready_now);
  // A beat is taken only when the bandwidth allows: wready reserves its bytes (refunded in
  // sample_write when no beat comes), so reads and writes share the limit.
  // Only while a write burst's address is in (this model's rule for W), so an idle write side never holds bytes from the reads.
  wready_now = !wbursts.empty() && beat_allowed() && rng.chance(rvalid_threshold);
  if (wready_now) spend(true);
  set_bit(wport[AXI_WREADY], wready_now);
  if (!bvalid_now && !responses.empty() && responses.front().ready_at <= current_cycle()) {
    bvalid_now = true;
    uint32_t id = responses.front().id, resp = responses.front().resp;
    set_port(wport[AXI_BID], &id);
    set_port(wport[AXI_BRESP], &resp);
  }
  set_bit(wport[AXI_BVALID], bvalid_now);
}

// Samples the master after the design settled, checks the rules, takes the handshakes.
void AxiSlave::sample(Rng& rng) {
  if (has_write) sample_write(rng);
  if (!has_read) return;
  const Held ar{get_u64(AXI_ARADDR), get_u64(AXI_ARLEN), get_u64(AXI_ARSIZE), get_u64(AXI_ARBURST), get_u64(AXI_ARID)};
  const uint64_t araddr = ar.addr, arlen = ar.len, arsize = ar.size, arburst = ar.burst, arid = ar.id;
  if (address_taken("AR", get_bit(port[AXI_ARVALID]), arready_now, ar, ar_pending, held)) {
    Burst b{araddr, (uint32_t)arlen, 0, (uint32_t)arid, current_cycle() + latency, false};
    // Extra cycles before the first beat, seeded like everything else in the run.
    for (uint64_t k = 0; k < jitter_max; ++k) if (rng.chance(jitter_threshold)) ++b.ready_at;
    check_burst("AR", araddr, arlen, arsize, arburst);
    if ((1ull << arsize) != beat_bytes) b.bad = true;  // narrow bursts are legal AXI, but this model answers full beats only
    bursts.push_back(b);
    ++burst_count;
  }
  if (offering && get_bit(port[AXI_RREADY])) {
    offering = false;
    ++beat_count;
    Burst& b = bursts.front();
    if (b.beat == b.len) bursts.pop_front();
    else ++b.beat;
  }
}

void AxiSlave::sample_write(Rng& rng) {
  const Held aw{get_w64(AXI_AWADDR), get_w64(AXI_AWLEN), get_w64(AXI_AWSIZE), get_w64(AXI_AWBURST), get_w64(AXI_AWID)};
  const uint64_t awaddr = aw.addr, awlen = aw.len, awsize = aw.size, awburst = aw.burst, awid = aw.id;
  if (address_taken("AW", get_bit(wport[AXI_AWVALID]), awready_now, aw, aw_pending, aw_held)) {
    Burst b{awaddr, (uint32_t)awlen, 0, (uint32_t)awid, 0, false};
    check_burst("AW", awaddr, awlen, awsize, awburst);
    if ((1ull << awsize) != beat_bytes) violate("AW", "awsize must be the full bus width in this model");
    wbursts.push_back(b);
    ++wburst_count;
  }

  const bool wvalid = get_bit(wport[AXI_WVALID]);
  std::vector<uint32_t> data(beat_words), strb((beat_bytes + 31) / 32);
  get_port(wport[AXI_WDATA], data.data());
  get_port(wport[AXI_WSTRB], strb.data());
  const bool wlast = get_bit(wport[AXI_WLAST]);
  if (w_pending) {
    if (!wvalid) violate("W", "wvalid fell before wready took the beat (valid must be held until ready)");
    else if (data != w_held_data || strb != w_held_strb || wlast != w_held_last)
      violate("W", "the beat changed while wvalid waited for wready (the payload must stay stable)");
  }
  // This model's rule: a write beat follows the address that names it (AW accepted first).
  if (wvalid && wbursts.empty()) violate("W", "write data before its write address was accepted");
  const bool beat_taken = wvalid && wready_now && !wbursts.empty();
  if (wready_now && !beat_taken) spend(false);
  if (beat_taken) {
    w_pending = false;
    Burst& b = wbursts.front();
    if (wlast != (b.beat == b.len))
      violate("W", std::string("wlast ") + (wlast ? "on beat " : "missing on the last beat, beat ") + std::to_string(b.beat + 1) + " of " +
                       std::to_string(b.len + 1));
    const uint64_t addr = b.addr + (uint64_t)b.beat * beat_bytes;
    for (int k = 0; k < beat_words; ++k) {
      const uint32_t nib = (strb[(4 * k) / 32] >> ((4 * k) % 32)) & 0xf;
      if (nib == 0) continue;
      if (!in_memory(addr + 4ull * k)) { b.bad = true; continue; }
      uint32_t& word = owner->mem[(addr + 4ull * k - base) / 4];
      for (int byte = 0; byte < 4; ++byte)
        if (nib & (1u << byte)) word = (word & ~(0xffu << (8 * byte))) | (data[k] & (0xffu << (8 * byte)));
    }
    ++wbeat_count;
    if (b.beat == b.len) {
      Response r{current_cycle() + latency, b.id, b.bad ? 2u : 0u};
      for (uint64_t k = 0; k < jitter_max; ++k) if (rng.chance(jitter_threshold)) ++r.ready_at;
      responses.push_back(r);
      wbursts.pop_front();
    } else {
      ++b.beat;
    }
  } else if (wvalid) {
    w_pending = true;
    w_held_data = data;
    w_held_strb = strb;
    w_held_last = wlast;
  } else {
    w_pending = false;
  }
  if (bvalid_now && get_bit(wport[AXI_BREADY])) {
    bvalid_now = false;
    responses.pop_front();
  }
}

void AxiSlave::idle_outputs() {
  if (has_read) {
    set_bit(port[AXI_ARREADY], false);
    set_bit(port[AXI_RVALID], false);
  }
  if (has_write) {
    set_bit(wport[AXI_AWREADY], false);
    set_bit(wport[AXI_WREADY], false);
    set_bit(wport[AXI_BVALID], false);
  }
}

// `a <readBursts> <readBeats> <readOpen> <writeBursts> <writeBeats> <writeOpen>`, then
// `m <range> <hex...>` per readback range.
void AxiSlave::report(FILE* f) const {
  fprintf(f, "a %llu %llu %zu %llu %llu %zu\n", (unsigned long long)burst_count, (unsigned long long)beat_count, bursts.size(),
          (unsigned long long)wburst_count, (unsigned long long)wbeat_count, wbursts.size() + responses.size());
  for (size_t r = 0; r < readback.size(); ++r) {
    fprintf(f, "m %zu", r);
    for (uint64_t k = 0; k < readback[r].second; ++k) {
      const uint64_t a = readback[r].first + 4 * k;
      fprintf(f, " %x", in_memory(a) ? owner->mem[(a - base) / 4] : 0u);
    }
    fputc('\n', f);
  }
}
