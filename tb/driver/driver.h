// The simulator driver that Verilator links with every design (tb/README.md, "Protocol").
// The fixed code lives in driver.cpp (the line protocol), model.cpp (the Verilated model and
// its clock) and streams.cpp (ready/valid runs); what depends on the design is the generated
// ports.h, written by tb/driver.ts beside the build and included by model.cpp alone.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>

// One flattened port of the design, as the generated ports.h describes it.
struct Port {
  const char* name;
  int width;
  bool input;
  // The model's member: CData, SData, IData or QData by width up to 64 bits, else the words of a VlWide.
  void* data;
};

// Replies to the TypeScript side; the real stdout, which the design's own output never reaches.
extern FILE* proto;

[[noreturn]] void protocol_error(const char* fmt, ...);

// The protocol loop (driver.cpp): reads requests on stdin until `q` or end of input. Verilator's
// main calls it (model.cpp); under Icarus it runs on a thread of its own (model_vpi.cpp).
int driver_main(int argc, char** argv);

// The model (model.cpp for Verilator, model_vpi.cpp for Icarus).
void model_open(int argc, char** argv);
// Ends the process with a harness exit code (driver.cpp's header lists them).
[[noreturn]] void model_exit(int code);
void model_close_trace();
void model_final();
int port_count();
int port_words(int port);
int max_port_words();
void set_port(int port, const uint32_t* w);
void get_port(int port, uint32_t* w);
void set_bit(int port, bool v);
bool get_bit(int port);
void eval_if_dirty();
void tick();
uint64_t current_cycle();

// Values travel as lower-case hex without prefix, so ports of any width share one code path.
void put_hex(FILE* f, const uint32_t* w, int nw);

// The space-separated fields of one request line.
struct Tokens {
  const char* p;
  explicit Tokens(const char* s) : p(s) {}
  bool next(const char** start, size_t* len);
  uint64_t num();
  int port();
  void value(int port, uint32_t* w);
};

// `S ...`: a ready/valid stream run (streams.cpp).
void run_streams(Tokens& head);
