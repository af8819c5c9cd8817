// Ready/valid stream runs inside the simulator: sources offer rows, sinks record what they accept.
#include "axi.h"
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

struct Endpoint {
  int valid, ready;
  uint64_t threshold;
  std::vector<int> fields;
  int stride = 0;
};

struct Source : Endpoint {
  std::vector<uint32_t> rows;
  uint64_t n = 0, sent = 0;
  bool offering = false;
};

struct Sink : Endpoint {
  uint64_t count = 0, received = 0;
  bool ready_now = false;
};

static void read_endpoint(Tokens& t, Endpoint& e) {
  e.valid = t.port();
  e.ready = t.port();
  e.threshold = t.num();
  const uint64_t nf = t.num();
  for (uint64_t f = 0; f < nf; ++f) {
    const int port = t.port();
    e.fields.push_back(port);
    e.stride += port_words(port);
  }
}

static std::string next_line(const char* what) {
  std::string line;
  if (!std::getline(std::cin, line)) protocol_error("stream %s missing", what);
  return line;
}

static void read_source(Source& s) {
  const std::string spec = next_line("source spec");
  Tokens t(spec.c_str());
  read_endpoint(t, s);
  s.n = t.num();
  s.rows.resize(s.n * s.stride);
  for (uint64_t r = 0; r < s.n; ++r) {
    const std::string row = next_line("source row");
    Tokens rt(row.c_str());
    uint32_t* w = &s.rows[r * s.stride];
    for (int port : s.fields) { rt.value(port, w); w += port_words(port); }
  }
}

static void read_sink(Sink& k) {
  const std::string spec = next_line("sink spec");
  Tokens t(spec.c_str());
  read_endpoint(t, k);
  k.count = t.num();
}

static bool finished(const std::vector<Source>& sources, const std::vector<Sink>& sinks) {
  if (!sinks.empty()) {
    for (const Sink& k : sinks) if (k.received < k.count) return false;
    return true;
  }
  for (const Source& s : sources) if (s.sent < s.n) return false;
  return true;
}

// One cycle of traffic: drive valid/payload and ready, settle, take the handshakes, clock.
static void stream_cycle(Rng& rng, std::vector<Source>& sources, std::vector<Sink>& sinks, std::vector<AxiSlave>& slaves, uint32_t* w) {
  for (Source& s : sources) {
    // A source keeps valid and its payload stable until the sink takes it, as ready/valid requires.
    if (!s.offering && s.sent < s.n && rng.chance(s.threshold)) {
      s.offering = true;
      const uint32_t* row = &s.rows[s.sent * s.stride];
      for (int port : s.fields) { set_port(port, row); row += port_words(port); }
    }
    set_bit(s.valid, s.offering);
  }
  for (Sink& k : sinks) {
    k.ready_now = k.received < k.count && rng.chance(k.threshold);
    set_bit(k.ready, k.ready_now);
  }
  for (AxiSlave& a : slaves) a.drive(rng);
  eval_if_dirty();
  for (AxiSlave& a : slaves) a.sample(rng);
  for (Source& s : sources) {
    if (s.offering && get_bit(s.ready)) { s.offering = false; ++s.sent; }
  }
  for (size_t i = 0; i < sinks.size(); ++i) {
    Sink& k = sinks[i];
    if (!k.ready_now || !get_bit(k.valid)) continue;
    fprintf(proto, "r %zu %llu", i, (unsigned long long)current_cycle());
    for (int port : k.fields) {
      get_port(port, w);
      fputc(' ', proto);
      put_hex(proto, w, port_words(port));
    }
    fputc('\n', proto);
    ++k.received;
  }
  tick();
}

void run_streams(Tokens& head) {
  Rng rng(head.num());
  const uint64_t max_cycles = head.num();
  std::vector<Source> sources(head.num());
  std::vector<Sink> sinks(head.num());
  std::vector<AxiSlave> slaves(head.num());
  // A 1-bit output that must also read 1 before the run counts as finished (-1: none).
  const char* until_start;
  size_t until_len;
  const bool has_until = head.next(&until_start, &until_len) && !(until_len == 2 && until_start[0] == '-');
  const int until = has_until ? atoi(until_start) : -1;
  for (Source& s : sources) read_source(s);
  for (Sink& k : sinks) read_sink(k);
  for (AxiSlave& a : slaves) a.read_spec();
  for (size_t i = 0; i < slaves.size(); ++i) {
    const int s = slaves[i].share;
    if (s < 0) continue;
    if ((size_t)s >= i || slaves[s].share >= 0) protocol_error("axi slave %zu shares slave %d, which is not an earlier slave with its own memory", i, s);
    slaves[i].owner = &slaves[s];
  }
  uint64_t run = 0;
  std::vector<uint32_t> w(max_port_words());
  const auto violated = [&]() {
    for (const AxiSlave& a : slaves) if (!a.violation.empty()) return true;
    return false;
  };
  const auto done = [&]() {
    if (!finished(sources, sinks)) return false;
    if (until < 0) return true;
    eval_if_dirty();
    return get_bit(until);
  };
  for (; !done() && !violated() && run < max_cycles; ++run) stream_cycle(rng, sources, sinks, slaves, w.data());
  eval_if_dirty();
  // A protocol violation ends the run at once: `X <slave> <rule>`, then the usual tail.
  for (size_t i = 0; i < slaves.size(); ++i)
    if (!slaves[i].violation.empty()) fprintf(proto, "X %zu %s\n", i, slaves[i].violation.c_str());
  fprintf(proto, "E %d %llu\n", done() ? 1 : 0, (unsigned long long)run);
  for (const Source& s : sources)
    fprintf(proto, "c %llu %d %d\n", (unsigned long long)s.sent, get_bit(s.valid), get_bit(s.ready));
  for (const Sink& k : sinks)
    fprintf(proto, "k %llu %d %d\n", (unsigned long long)k.received, get_bit(k.valid), get_bit(k.ready));
  for (const AxiSlave& a : slaves) a.report(proto);
  // Leave the bus idle so later pokes and steps start from a quiet interface.
  for (const Source& s : sources) set_bit(s.valid, false);
  for (const Sink& k : sinks) set_bit(k.ready, false);
  for (AxiSlave& a : slaves) a.idle_outputs();
}
