// The model under Icarus Verilog: a VPI module that drives the generated testbench (tb/icarus.ts).
//
// Icarus owns the main loop and time only advances while the testbench runs, so the protocol loop
// (driver_main) runs on a thread of its own and the two strictly take turns: the testbench calls
// $eyeriss_wait, which hands the turn to the driver and blocks until the driver needs simulated
// time (to settle its pokes, or for a clock cycle) or quits; $eyeriss_wait then returns that
// request and the testbench acts on it. Only one thread ever runs, so the driver's VPI calls, made
// while the simulator is parked inside $eyeriss_wait, never race the simulator's own.
#include "driver.h"
#include <vpi_user.h>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

// What $eyeriss_wait returns; the testbench's case statement uses the same numbers.
enum Op { OP_SETTLE = 0, OP_CYCLE = 1, OP_QUIT = 2 };

struct VpiPort {
  vpiHandle h;
  std::string name;
  int width;
  bool input;
};

std::vector<VpiPort> ports;
int clock_port = -1;
int max_words = 1;
uint64_t cycle = 0;
bool dirty = true;
std::vector<s_vpi_vecval> vec;
std::vector<uint32_t> bit_io;

std::mutex m;
std::condition_variable cv;
bool driver_turn = false;
Op request = OP_SETTLE;
std::vector<std::string> args;

// Called on the driver thread: gives the turn to the simulator for `op` and waits for it back.
void yield_to_simulator(Op op) {
  std::unique_lock<std::mutex> lock(m);
  request = op;
  driver_turn = false;
  cv.notify_all();
  if (op != OP_QUIT) cv.wait(lock, [] { return driver_turn; });
}

bool opened = false;
std::thread* driver = nullptr;

void driver_thread() {
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  driver_main((int)args.size(), argv.data());
  yield_to_simulator(OP_QUIT);
}

// $eyeriss_start(clock_index, port...): the testbench's regs and wires in DesignSources order.
PLI_INT32 start_calltf(PLI_BYTE8*) {
  vpiHandle self = vpi_handle(vpiSysTfCall, nullptr);
  vpiHandle it = vpi_iterate(vpiArgument, self);
  vpiHandle a = vpi_scan(it);
  s_vpi_value v;
  v.format = vpiIntVal;
  vpi_get_value(a, &v);
  clock_port = v.value.integer;
  while ((a = vpi_scan(it)) != nullptr) {
    const int width = vpi_get(vpiSize, a);
    ports.push_back({a, vpi_get_str(vpiName, a), width, vpi_get(vpiType, a) == vpiReg});
    if ((width + 31) / 32 > max_words) max_words = (width + 31) / 32;
  }
  vec.assign(max_words, s_vpi_vecval{0, 0});
  bit_io.assign(max_words, 0);
  s_vpi_vlog_info info;
  vpi_get_vlog_info(&info);
  for (int i = 0; i < info.argc; ++i) args.emplace_back(info.argv[i]);
  driver = new std::thread(driver_thread);
  // driver_main moves stdout to stderr before it opens the model: once it has, nothing the
  // simulator prints (the $dumpfile notice, $display) can reach the protocol.
  std::unique_lock<std::mutex> lock(m);
  cv.wait(lock, [] { return opened; });
  return 0;
}

// $eyeriss_wait: the driver's turn until it asks for time; returns what it asked for.
PLI_INT32 wait_calltf(PLI_BYTE8*) {
  Op op;
  {
    std::unique_lock<std::mutex> lock(m);
    driver_turn = true;
    cv.notify_all();
    cv.wait(lock, [] { return !driver_turn; });
    op = request;
  }
  // vvp unloads this module at $finish, so the driver thread must be gone before it, not
  // still running the module's code.
  if (op == OP_QUIT) driver->join();
  s_vpi_value v;
  v.format = vpiIntVal;
  v.value.integer = op;
  vpi_put_value(vpi_handle(vpiSysTfCall, nullptr), &v, nullptr, vpiNoDelay);
  return 0;
}

PLI_INT32 wait_sizetf(PLI_BYTE8*) { return 32; }

void register_tasks() {
  s_vpi_systf_data start = {vpiSysTask, 0, (PLI_BYTE8*)"$eyeriss_start", start_calltf, nullptr, nullptr, nullptr};
  vpi_register_systf(&start);
  s_vpi_systf_data wait = {vpiSysFunc, vpiIntFunc, (PLI_BYTE8*)"$eyeriss_wait", wait_calltf, nullptr, wait_sizetf, nullptr};
  vpi_register_systf(&wait);
}

}  // namespace

extern "C" {
void (*vlog_startup_routines[])() = {register_tasks, nullptr};
}

// The testbench writes the waveform itself ($dumpfile), and Icarus closes it at $finish.
void model_open(int, char**) {
  std::unique_lock<std::mutex> lock(m);
  opened = true;
  cv.notify_all();
  cv.wait(lock, [] { return driver_turn; });
}
void model_close_trace() {}

// The driver thread cannot run exit(): its handlers would wait on the simulator thread, which
// is parked in $eyeriss_wait until the driver gives the turn back.
void model_exit(int code) {
  fflush(nullptr);
  _exit(code);
}
void model_final() {}

uint64_t current_cycle() { return cycle; }
int port_count() { return (int)ports.size(); }
int port_words(int i) { return (ports[i].width + 31) / 32; }
int max_port_words() { return max_words; }

void eval_if_dirty() {
  if (!dirty) return;
  yield_to_simulator(OP_SETTLE);
  dirty = false;
}

void tick() {
  eval_if_dirty();
  if (clock_port >= 0) yield_to_simulator(OP_CYCLE);
  ++cycle;
}

void set_port(int i, const uint32_t* w) {
  const VpiPort& p = ports[i];
  if (!p.input) protocol_error("port %d is not an input", i);
  if (i == clock_port) protocol_error("port %d is the clock, which the testbench drives", i);
  for (int k = 0; k < port_words(i); ++k) vec[k] = s_vpi_vecval{(PLI_INT32)w[k], 0};
  s_vpi_value v;
  v.format = vpiVectorVal;
  v.value.vector = vec.data();
  vpi_put_value(p.h, &v, nullptr, vpiNoDelay);
  dirty = true;
}

// Four-state values reach two-state TypeScript only when defined: an X or Z on a port the
// harness reads means the design depends on a value nothing set, which Verilator would hide.
void get_port(int i, uint32_t* w) {
  const VpiPort& p = ports[i];
  s_vpi_value v;
  v.format = vpiVectorVal;
  vpi_get_value(p.h, &v);
  const int nw = port_words(i);
  const int top_bits = p.width % 32;
  for (int k = 0; k < nw; ++k) {
    uint32_t b = (uint32_t)v.value.vector[k].bval;
    if (k == nw - 1 && top_bits != 0) b &= (1u << top_bits) - 1;
    if (b != 0) {
      fflush(stdout);
      fprintf(stderr, "harness: port %s is X or Z at cycle %llu (bits 0x%08x of word %d): the design reads a value no reset or input set\n",
              p.name.c_str(), (unsigned long long)cycle, b, k);
      model_exit(6);
    }
    w[k] = (uint32_t)v.value.vector[k].aval;
  }
  if (top_bits != 0) w[nw - 1] &= (1u << top_bits) - 1;
}

void set_bit(int i, bool v) {
  // A stream's valid or ready: one bit, so set_port reads only the first word.
  bit_io[0] = v ? 1 : 0;
  set_port(i, bit_io.data());
}

bool get_bit(int i) {
  get_port(i, bit_io.data());
  return bit_io[0] & 1;
}
