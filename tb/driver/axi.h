// The AXI4 slave memory of stream runs (axi.cpp); streams.cpp owns the run loop.
#pragma once
#include "driver.h"
#include <deque>
#include <string>
#include <vector>

struct Rng {
  uint32_t s[4];
  explicit Rng(uint64_t seed) {
    // splitmix64 spreads any seed, including 0, over the whole xoshiro state.
    for (int k = 0; k < 2; ++k) {
      uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      z ^= z >> 31;
      s[2 * k] = (uint32_t)z;
      s[2 * k + 1] = (uint32_t)(z >> 32);
    }
  }
  static uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }
  uint32_t next() {
    const uint32_t r = rotl(s[1] * 5, 7) * 9;
    const uint32_t t = s[1] << 9;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return r;
  }
  bool chance(uint64_t threshold) { return (uint64_t)next() < threshold; }
};

// The order of a slave spec's port indices (tb/sim.ts AXI_READ_PORT_NAMES, AXI_WRITE_PORT_NAMES).
enum AxiReadPort { AXI_ARVALID, AXI_ARREADY, AXI_ARADDR, AXI_ARLEN, AXI_ARSIZE, AXI_ARBURST, AXI_ARID,
                   AXI_RVALID, AXI_RREADY, AXI_RDATA, AXI_RRESP, AXI_RLAST, AXI_RID, AXI_READ_PORTS };
enum AxiWritePort { AXI_AWVALID, AXI_AWREADY, AXI_AWADDR, AXI_AWLEN, AXI_AWSIZE, AXI_AWBURST, AXI_AWID,
                    AXI_WVALID, AXI_WREADY, AXI_WDATA, AXI_WSTRB, AXI_WLAST,
                    AXI_BVALID, AXI_BREADY, AXI_BRESP, AXI_BID, AXI_WRITE_PORTS };

struct AxiSlave {
  struct Burst {
    uint64_t addr;
    uint32_t len, beat, id;
    uint64_t ready_at;
    bool bad;
  };
  struct Held {
    uint64_t addr, len, size, burst, id;
  };
  struct Response {
    uint64_t ready_at;
    uint32_t id, resp;
  };
  bool has_read = false, has_write = false;
  int port[AXI_READ_PORTS];
  int wport[AXI_WRITE_PORTS];
  // Write side: accepted AW bursts waiting for their beats, the responses due, the held W beat.
  std::deque<Burst> wbursts;
  std::deque<Response> responses;
  bool awready_now = false, wready_now = false, aw_pending = false, w_pending = false, bvalid_now = false;
  Held aw_held{};
  std::vector<uint32_t> w_held_data, w_held_strb;
  bool w_held_last = false;
  uint64_t wburst_count = 0, wbeat_count = 0;
  // Ranges of words returned after the run: (byte address, words).
  std::vector<std::pair<uint64_t, uint64_t>> readback;
  uint64_t latency = 0, jitter_threshold = 0, jitter_max = 0, arready_threshold = 0, rvalid_threshold = 0, bytes_per_cycle = 0, base = 0;
  int beat_words = 1;
  uint64_t beat_bytes = 4, tokens = 0;
  // The slave whose memory and bandwidth bucket this one uses (its index; -1 and `this`: its own).
  int share = -1;
  AxiSlave* owner = this;
  std::vector<uint32_t> mem;
  std::deque<Burst> bursts;
  bool arready_now = false, offering = false, ar_pending = false;
  Held held{};
  uint64_t burst_count = 0, beat_count = 0;
  std::string violation;

  void read_spec();
  void drive(Rng& rng);
  void sample(Rng& rng);
  void idle_outputs();
  void report(FILE* f) const;

 private:
  uint64_t get_u64(int which);
  uint64_t get_w64(int which);
  bool check_burst(const char* channel, uint64_t addr, uint64_t len, uint64_t size, uint64_t burst);
  bool address_taken(const char* channel, bool valid, bool ready, const Held& now, bool& pending, Held& waiting);
  bool in_memory(uint64_t addr) const;
  bool beat_allowed() const;
  void spend(bool take);
  void drive_write(Rng& rng);
  void sample_write(Rng& rng);
  void violate(const char* channel, const std::string& rule);
};
