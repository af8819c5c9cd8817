// The line protocol the TypeScript side (tb/sim.ts) speaks on stdin/stdout.
//
// Requests (one per line):
//   p <port> <hex>      poke an input (applied at the next eval)
//   g <port>            peek: evaluates combinational logic first, replies `v <hex>`
//   s <n>               n clock cycles: clock low, eval, clock high, eval
//   S <seed> <maxCycles> <nSources> <nSinks> <nAxiSlaves> <untilPort|-1>   stream run (until every
//       sink has its count, or without sinks every source is drained, and untilPort reads 1), followed by
//       per source: <valid> <ready> <threshold> <nFields> <field...> <nRows>, then nRows lines of nFields hex values
//       per sink:   <valid> <ready> <threshold> <nFields> <field...> <count>
//       per AXI slave (axi.cpp): <hasRead> [13 read-channel ports] <hasWrite> [16 write-channel ports]
//         <latency> <jitterThreshold> <jitterMax> <readyThreshold> <validThreshold> <bytesPerCycle>
//         <base> <nReadback> [<addr> <words>]... <nWords>, then lines of hex 32-bit words
//     replies `r <sink> <cycle> <hex...>` per accepted payload, `X <slave> <rule>` if a slave saw
//     the master break the AXI protocol (the run stops there), then `E <done 0|1> <cyclesRun>`,
//     then `c <rowsSent> <valid> <ready>` per source, `k <received> <valid> <ready>` per sink and
//     per AXI slave `a <readBursts> <readBeats> <readOpen> <writeBursts> <writeBeats> <writeOpen>`
//     and `m <range> <hex...>` per readback range
//   .                   end of batch: replies `. <cycle>` and flushes
//   q                   close the waveform and exit 0
// <port> is the index in DesignSources.ports (the order of the generated ports.h). <threshold>
// is probability * 2^32: an event happens in a cycle when a 32-bit draw of the driver's
// xoshiro128** is below it.
//
// Exit codes: 3 the design stopped with an error ($stop, $fatal, failed assertion),
// 4 protocol error (a harness bug), 5 the design called $finish, 6 (Icarus only) a port the
// harness read was X or Z.
#include "driver.h"
#include <cstdarg>
#include <cstdlib>
#include <iostream>
#include <string>
#include <unistd.h>
#include <vector>

FILE* proto;

void protocol_error(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "harness protocol error: ");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n");
  va_end(ap);
  model_exit(4);
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  protocol_error("bad hex digit '%c'", c);
}

static void parse_hex(const char* s, size_t len, uint32_t* w, int nw) {
  for (int k = 0; k < nw; ++k) w[k] = 0;
  for (size_t d = 0; d < len; ++d) {
    const size_t bit = 4 * d;
    const int v = hexval(s[len - 1 - d]);
    if (v == 0) continue;
    if ((int)(bit / 32) >= nw) protocol_error("hex value %.*s is wider than its port", (int)len, s);
    w[bit / 32] |= (uint32_t)v << (bit % 32);
  }
}

void put_hex(FILE* f, const uint32_t* w, int nw) {
  int k = nw - 1;
  while (k > 0 && w[k] == 0) --k;
  fprintf(f, "%x", w[k]);
  for (--k; k >= 0; --k) fprintf(f, "%08x", w[k]);
}

bool Tokens::next(const char** start, size_t* len) {
  while (*p == ' ') ++p;
  if (!*p) return false;
  *start = p;
  while (*p && *p != ' ') ++p;
  *len = (size_t)(p - *start);
  return true;
}

uint64_t Tokens::num() {
  const char* s;
  size_t n;
  if (!next(&s, &n)) protocol_error("missing number");
  return strtoull(s, nullptr, 10);
}

int Tokens::port() {
  const uint64_t i = num();
  if (i >= (uint64_t)port_count()) protocol_error("port index %llu out of range", (unsigned long long)i);
  return (int)i;
}

void Tokens::value(int port, uint32_t* w) {
  const char* s;
  size_t n;
  if (!next(&s, &n)) protocol_error("missing value");
  parse_hex(s, n, w, port_words(port));
}

static void peek(int port, uint32_t* w) {
  eval_if_dirty();
  get_port(port, w);
  fputs("v ", proto);
  put_hex(proto, w, port_words(port));
  fputc('\n', proto);
}

int driver_main(int argc, char** argv) {
  // Protocol replies keep the real stdout; everything the design or Verilator prints goes to
  // stderr so that a $display can never be mistaken for a reply.
  proto = fdopen(dup(1), "w");
  dup2(2, 1);
  // Line buffering lets each $display reach stderr before the reply that follows it.
  setvbuf(stdout, nullptr, _IOLBF, 0);
  setvbuf(proto, nullptr, _IOFBF, 1 << 16);
  std::ios::sync_with_stdio(false);
  model_open(argc, argv);

  std::string line;
  std::vector<uint32_t> w(max_port_words());
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    Tokens t(line.c_str() + 1);
    switch (line[0]) {
      case 'p': { const int port = t.port(); t.value(port, w.data()); set_port(port, w.data()); break; }
      case 'g': peek(t.port(), w.data()); break;
      case 's': { const uint64_t n = t.num(); for (uint64_t c = 0; c < n; ++c) tick(); break; }
      case 'S': run_streams(t); break;
      case '.': fprintf(proto, ". %llu\n", (unsigned long long)current_cycle()); fflush(proto); break;
      case 'q': model_close_trace(); model_final(); fflush(proto); return 0;
      default: protocol_error("unknown command '%s'", line.c_str());
    }
  }
  // stdin closed without 'q': the TypeScript side went away, so end without complaint.
  model_close_trace();
  return 0;
}
