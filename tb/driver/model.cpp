// The Verilated model: its ports, clock, waveform and the end of a design that stops.
#include "driver.h"
#include "ports.h"
#include "verilated.h"
#if VM_TRACE
#include "verilated_fst_c.h"
#endif
#include <cstdlib>
#include <cstring>
#include <vector>

static VerilatedContext* ctx;
static Top* top;
static std::vector<Port> ports;
static CData* clock_bit = nullptr;
static int max_words = 1;
// Scratch values for 1-bit ports: one is never written but its first word, the other takes any read.
static std::vector<uint32_t> bit_in, bit_out;
#if VM_TRACE
static VerilatedFstC* tfp = nullptr;
#endif
static uint64_t cycle = 0;
static bool dirty = true;
// Whether the waveform holds the current low phase (time 2 * cycle).
static bool low_dumped = false;

void model_close_trace() {
#if VM_TRACE
  if (tfp) { tfp->close(); delete tfp; tfp = nullptr; }
#endif
}

#if VM_TRACE
static void on_exit_cb(void*) { model_close_trace(); }
#endif

void model_final() { top->final(); }

void model_exit(int code) { exit(code); }

uint64_t current_cycle() { return cycle; }

// Only clock phases are dumped: evaluations for peeks happen at the time of the next falling
// edge, which dumps the same values, and a waveform may not repeat a timestamp. The dump comes
// before the $finish/$fatal check so the waveform shows the failing cycle.
static void settle(uint64_t time, bool dump) {
  ctx->time(time);
  top->eval();
#if VM_TRACE
  if (tfp && dump) tfp->dump(time);
#else
  (void)dump;
#endif
  dirty = false;
  if (ctx->gotFinish()) {
    fflush(stdout);
    fprintf(stderr, "harness: design %s at cycle %llu\n",
            ctx->gotError() ? "stopped with an error ($stop, $fatal or a failed assertion)" : "called $finish",
            (unsigned long long)cycle);
    model_close_trace();
    exit(ctx->gotError() ? 3 : 5);
  }
}

// The low phase of the current cycle: settled for a peek (not dumped, as later pokes may still
// change it) or, with dump, as it enters the waveform before the rising edge.
static void low_phase(bool dump) {
  if (dirty) {
    settle(2 * cycle, dump && !low_dumped);
  } else if (dump && !low_dumped) {
#if VM_TRACE
    if (tfp) tfp->dump(2 * cycle);
#endif
  }
  if (dump) low_dumped = true;
}

// Between cycles the clock stays low and the model has not yet seen that edge: the next
// evaluation (for pokes, peeks or the next cycle) settles the falling edge and the new inputs
// at once, so a cycle costs two model evaluations instead of three.
void tick() {
  low_phase(true);
  if (clock_bit) {
    *clock_bit = 1;
    settle(2 * cycle + 1, true);
    *clock_bit = 0;
    dirty = true;
  }
  ++cycle;
  low_dumped = false;
}

void eval_if_dirty() { low_phase(false); }

int port_count() { return (int)ports.size(); }

int port_words(int i) { return (ports[i].width + 31) / 32; }

int max_port_words() { return max_words; }

void set_port(int i, const uint32_t* w) {
  const Port& p = ports[i];
  if (!p.input) protocol_error("port %d is not an input", i);
  if (p.width <= 8) *(CData*)p.data = (CData)w[0];
  else if (p.width <= 16) *(SData*)p.data = (SData)w[0];
  else if (p.width <= 32) *(IData*)p.data = w[0];
  else if (p.width <= 64) *(QData*)p.data = (QData)w[0] | ((QData)w[1] << 32);
  else memcpy(p.data, w, sizeof(uint32_t) * port_words(i));
  dirty = true;
}

void get_port(int i, uint32_t* w) {
  const Port& p = ports[i];
  if (p.width <= 8) w[0] = *(CData*)p.data;
  else if (p.width <= 16) w[0] = *(SData*)p.data;
  else if (p.width <= 32) w[0] = *(IData*)p.data;
  else if (p.width <= 64) { const QData v = *(QData*)p.data; w[0] = (uint32_t)v; w[1] = (uint32_t)(v >> 32); }
  else memcpy(w, p.data, sizeof(uint32_t) * port_words(i));
}

void set_bit(int i, bool v) {
  bit_in[0] = v ? 1 : 0;
  set_port(i, bit_in.data());
}

bool get_bit(int i) {
  get_port(i, bit_out.data());
  return bit_out[0] & 1;
}

static void open_waves(const char* waves) {
#if VM_TRACE
  if (!waves) return;
  ctx->traceEverOn(true);
  tfp = new VerilatedFstC;
  top->trace(tfp, 99);
  tfp->open(waves);
  Verilated::addExitCb(on_exit_cb, nullptr);
#else
  if (waves) protocol_error("this simulator was built without waveform support");
#endif
}

void model_open(int argc, char** argv) {
  ctx = new VerilatedContext;
  // Without this $stop/$fatal abort() before our exit path can close the waveform.
  ctx->fatalOnError(false);
  // +verilator+seed+N and +verilator+rand+reset+2 pick the values a --x-initial unique build starts from.
  ctx->commandArgs(argc, argv);
  top = new Top{ctx};
  ports = ports_of(top);
  for (int i = 0; i < port_count(); ++i) {
    if (port_words(i) > max_words) max_words = port_words(i);
  }
  bit_in.assign(max_words, 0);
  bit_out.assign(max_words, 0);
  if (CLOCK_PORT >= 0) clock_bit = (CData*)ports[CLOCK_PORT].data;
  const char* waves = nullptr;
  for (int a = 1; a < argc; ++a)
    if (strncmp(argv[a], "--waves=", 8) == 0) waves = argv[a] + 8;
  open_waves(waves);
  if (clock_bit) *clock_bit = 0;
  settle(0, false);
}

int main(int argc, char** argv) { return driver_main(argc, argv); }
