// The native trainer's products at a data set's shapes, timed on one thread (thread CPU time, so other processes slow
// it only through shared caches): a step's forward products, weight gradients (the layer's input read transposed in
// place) and masked input gradients (with the weight transpose before them), for batches of `rows` rows. With
// -DTRA_BEFORE='"path"' a second copy of the kernels (another version of native/trainer.cc) is compiled beside these
// and the two are timed in alternation, round after round, on the same operands; their outputs are compared bit for bit.
//
//   sh bench/native/products.sh [d] [h] [slots] [rows] [weight shift] [other shift] [rounds]
//   (defaults: yeast, 103 64 2 64 0 0 15)
//
// weight shift, other shift: floats by which the weights (a network block's start in the trainer) and the other
// operands (batch rows, activations, slopes, gradients) start past a 64-byte boundary.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#define TRA_KERNELS_ONLY
namespace after {
#include "../../native/trainer.cc"
}
#ifdef TRA_BEFORE
#undef TRA_AVX2
namespace before {
#include TRA_BEFORE
}
#endif

namespace {

struct Shapes {
  int d, h, slots, rows;
};

/** 64-byte aligned floats, `shift` floats past the boundary. */
struct Floats {
  Floats(size_t n, size_t shift, float scale) : raw(static_cast<float*>(std::aligned_alloc(64, ((n + shift) * 4 + 63) / 64 * 64))), p(raw + shift) {
    uint32_t state = 12345 + uint32_t(n);
    for (size_t i = 0; i < n; i++) {
      state = state * 1664525u + 1013904223u;
      p[i] = scale * (float(state >> 8) / float(1 << 24) - 0.5f);
    }
  }
  ~Floats() { std::free(raw); }
  float* raw;
  float* p;
};

/** One network's operands: x [rows x d], weights d -> h -> h -> slots with biases, activations, slopes. */
struct Operands {
  Operands(const Shapes& s, size_t shift, size_t scratch)
      : x(size_t(s.rows) * s.d, scratch, 1.0f),
        w(size_t(s.d) * s.h + s.h + size_t(s.h) * s.h + s.h + size_t(s.h) * s.slots + s.slots, shift, 0.2f),
        z1(size_t(s.rows) * s.h, scratch, 0), z2(size_t(s.rows) * s.h, scratch, 0), out(size_t(s.rows) * s.slots, scratch, 0),
        g2(size_t(s.rows) * s.slots, scratch, 0.01f), g1(size_t(s.rows) * s.h, scratch, 0.01f), down(size_t(s.rows) * s.h, scratch, 0),
        dW2(size_t(s.h) * s.slots, scratch, 0), dW1(size_t(s.h) * s.h, scratch, 0), dW0(size_t(s.d) * s.h, scratch, 0),
        WT(size_t(s.h) * s.h, scratch, 0) {}
  Floats x, w, z1, z2, out, g2, g1, down, dW2, dW1, dW0, WT;
};

// FLOPs of one step's products by kind: forward, weight gradients, input gradients (2 M K N each).
double forwardFlops(const Shapes& s) { return 2.0 * s.rows * (double(s.d) * s.h + double(s.h) * s.h + double(s.h) * s.slots); }
double weightFlops(const Shapes& s) { return forwardFlops(s); }
double inputFlops(const Shapes& s) { return 2.0 * s.rows * (double(s.h) * s.h + double(s.h) * s.slots); }

}  // namespace

// One step's products of one kind with a namespace's kernels, `steps` times; returns thread CPU seconds.
#define TRA_STEPS                                                                                                    \
  double forwardSteps(const Shapes& s, Operands& o, int steps) {                                                     \
    float* w0 = o.w.p;                                                                                               \
    float *b0 = w0 + size_t(s.d) * s.h, *w1 = b0 + s.h, *b1 = w1 + size_t(s.h) * s.h, *w2 = b1 + s.h,                \
          *b2 = w2 + size_t(s.h) * s.slots;                                                                          \
    const double start = threadSeconds();                                                                            \
    for (int t = 0; t < steps; t++) {                                                                                \
      gemm<Start::Bias, Finish::Relu>(s.rows, s.d, s.h, o.x.p, s.d, 1, w0, o.z1.p, {b0});                            \
      gemm<Start::Bias, Finish::Relu>(s.rows, s.h, s.h, o.z1.p, s.h, 1, w1, o.z2.p, {b1});                           \
      gemm<Start::Bias, Finish::Plain>(s.rows, s.h, s.slots, o.z2.p, s.h, 1, w2, o.out.p, {b2});                     \
    }                                                                                                                \
    return threadSeconds() - start;                                                                                  \
  }                                                                                                                  \
  double weightSteps(const Shapes& s, Operands& o, int steps) {                                                      \
    const double start = threadSeconds();                                                                            \
    for (int t = 0; t < steps; t++) {                                                                                \
      gemm<Start::Zero, Finish::Plain>(s.h, s.rows, s.slots, o.z2.p, 1, s.h, o.g2.p, o.dW2.p);                        \
      gemm<Start::Zero, Finish::Plain>(s.h, s.rows, s.h, o.z1.p, 1, s.h, o.g1.p, o.dW1.p);                            \
      gemm<Start::Zero, Finish::Plain>(s.d, s.rows, s.h, o.x.p, 1, s.d, o.g1.p, o.dW0.p);                             \
    }                                                                                                                \
    return threadSeconds() - start;                                                                                  \
  }                                                                                                                  \
  double inputSteps(const Shapes& s, Operands& o, int steps) {                                                       \
    float *w1 = o.w.p + size_t(s.d) * s.h + s.h, *w2 = w1 + size_t(s.h) * s.h + s.h;                                 \
    const double start = threadSeconds();                                                                            \
    for (int t = 0; t < steps; t++) {                                                                                \
      transpose(s.h, s.slots, w2, o.WT.p);                                                                           \
      gemm<Start::Zero, Finish::Mask>(s.rows, s.slots, s.h, o.g2.p, s.slots, 1, o.WT.p, o.down.p, {nullptr, o.z2.p}); \
      transpose(s.h, s.h, w1, o.WT.p);                                                                               \
      gemm<Start::Zero, Finish::Mask>(s.rows, s.h, s.h, o.g1.p, s.h, 1, o.WT.p, o.down.p, {nullptr, o.z1.p});        \
    }                                                                                                                \
    return threadSeconds() - start;                                                                                  \
  }

namespace after {
TRA_STEPS
}
#ifdef TRA_BEFORE
namespace before {
TRA_STEPS
}
#endif

namespace {

/** Every output of one step of each kind, for the bit comparison. */
template <typename F, typename W, typename I>
std::vector<float> outputs(const Shapes& s, Operands& o, F forward, W weight, I input) {
  std::vector<float> all;
  auto add = [&](const Floats& f, size_t n) { all.insert(all.end(), f.p, f.p + n); };
  forward(s, o, 1);
  add(o.z1, size_t(s.rows) * s.h), add(o.z2, size_t(s.rows) * s.h), add(o.out, size_t(s.rows) * s.slots);
  weight(s, o, 1);
  add(o.dW2, size_t(s.h) * s.slots), add(o.dW1, size_t(s.h) * s.h), add(o.dW0, size_t(s.d) * s.h);
  input(s, o, 1);
  add(o.down, size_t(s.rows) * s.h);
  return all;
}

}  // namespace

int main(int argc, char** argv) {
  Shapes s;
  s.d = argc > 1 ? std::atoi(argv[1]) : 103;
  s.h = argc > 2 ? std::atoi(argv[2]) : 64;
  s.slots = argc > 3 ? std::atoi(argv[3]) : 2;
  s.rows = argc > 4 ? std::atoi(argv[4]) : 64;
  const size_t shift = argc > 5 ? size_t(std::atoi(argv[5])) : 0;
  const size_t scratch = argc > 6 ? size_t(std::atoi(argv[6])) : 0;
  const int rounds = argc > 7 ? std::atoi(argv[7]) : 15;
  const int steps = std::max(1, int(2e10 / forwardFlops(s)));  // about 0.1 s a kind
  std::printf("products of a step: %d rows, %d -> %d -> %d -> %d, weights %zu and the rest %zu floats past 64 bytes, %d steps a round\n",
              s.rows, s.d, s.h, s.h, s.slots, shift, scratch, steps);
  Operands o(s, shift, scratch);
#ifdef TRA_BEFORE
  const bool same = outputs(s, o, after::forwardSteps, after::weightSteps, after::inputSteps) ==
                    outputs(s, o, before::forwardSteps, before::weightSteps, before::inputSteps);
  std::printf("outputs bit-identical to the other kernels: %s\n", same ? "yes" : "NO");
  std::printf("%-6s %22s %22s %22s\n", "round", "forward GF new/old", "weight grad GF new/old", "input grad GF new/old");
#else
  std::printf("%-6s %10s %10s %10s\n", "round", "forward GF", "weight GF", "input GF");
#endif
  double sums[2][3] = {};
  for (int round = 1; round <= rounds; round++) {
    const double f = forwardFlops(s) * steps / 1e9, w = weightFlops(s) * steps / 1e9, in = inputFlops(s) * steps / 1e9;
    const double a[3] = {f / after::forwardSteps(s, o, steps), w / after::weightSteps(s, o, steps), in / after::inputSteps(s, o, steps)};
#ifdef TRA_BEFORE
    const double b[3] = {f / before::forwardSteps(s, o, steps), w / before::weightSteps(s, o, steps), in / before::inputSteps(s, o, steps)};
    std::printf("%-6d %10.1f %10.1f  %10.1f %10.1f  %10.1f %10.1f\n", round, a[0], b[0], a[1], b[1], a[2], b[2]);
    for (int k = 0; k < 3; k++) sums[1][k] += b[k];
#else
    std::printf("%-6d %10.1f %10.1f %10.1f\n", round, a[0], a[1], a[2]);
#endif
    for (int k = 0; k < 3; k++) sums[0][k] += a[k];
  }
#ifdef TRA_BEFORE
  std::printf("%-6s %10.1f %10.1f  %10.1f %10.1f  %10.1f %10.1f\n", "mean", sums[0][0] / rounds, sums[1][0] / rounds,
              sums[0][1] / rounds, sums[1][1] / rounds, sums[0][2] / rounds, sums[1][2] / rounds);
#else
  std::printf("%-6s %10.1f %10.1f %10.1f\n", "mean", sums[0][0] / rounds, sums[0][1] / rounds, sums[0][2] / rounds);
#endif
  return 0;
}
