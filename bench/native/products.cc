// The native trainer's products at a data set's shapes, timed on one thread (thread CPU time, so other processes slow
// it only through shared caches): a step's forward products, weight gradients (the layer's input read transposed in
// place) and masked input gradients (with the weight transpose before them), for batches of `rows` rows. With
// -DTRA_BEFORE='"path"' a second copy of the kernels (another version of native/trainer.cc) is compiled beside these
// and the two are timed in alternation, round after round, on the same operands; their outputs are compared bit for bit.
//
//   npm run bench:products -- [d] [h] [slots] [rows] [weight shift] [other shift] [rounds]
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
#ifdef __AVX512F__
#include <immintrin.h>  // here, not in the namespaces below: its include guard would hide it from the second
#endif

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

/** Floats for n values of a model's buffer type, filled as Floats fills. */
template <typename Buffer>
void fill(Buffer& b, size_t n, float scale) {
  Floats f(n, 0, scale);
  b.assign(f.p, f.p + n);
}

/** A network block's floats: the model's stride where its trainer pads blocks, else its parameters. */
template <typename M>
auto setBlock(M& model, int) -> decltype(model.stride = 0, size_t()) {
  return model.stride = (model.parameters + 15) / 16 * 16;
}
template <typename M>
size_t setBlock(M& model, long) {
  return model.parameters;
}

/** A model as the addon's create makes it: `networks` networks of s's widths, every slot binary, random rows. */
template <typename M>
void setUp(M& model, const Shapes& s, int networks, int trainRows, int evaluationRows) {
  model.widths = {s.d, s.h, s.h, s.slots};
  model.layers = 3, model.slots = s.slots, model.tasks = s.slots, model.networks = networks, model.threads = 1;
  for (int l = 0; l < model.layers; l++) {
    model.weightOffset.push_back(model.parameters);
    model.parameters += size_t(model.widths[l]) * model.widths[l + 1];
    model.biasOffset.push_back(model.parameters);
    model.parameters += model.widths[l + 1];
  }
  const size_t block = setBlock(model, 0);
  model.maxWidth = std::max(s.d, std::max(s.h, s.slots));
  fill(model.w, block * networks, 0), fill(model.m, block * networks, 0), fill(model.v, block * networks, 0);
  const Floats start(model.parameters, 0, 0.2f);  // every network starts from the same weights, as in create
  for (int k = 0; k < networks; k++) std::copy(start.p, start.p + model.parameters, &model.w[k * block]);
  for (int k = 0; k < networks; k++)
    for (int j = 0; j < s.slots; j++) model.slotTask.push_back(j), model.slotWeight.push_back(1), model.slotBinary.push_back(1);
  for (auto [part, rows] : {std::pair{&model.train, trainRows}, {&model.validation, evaluationRows}, {&model.test, evaluationRows}}) {
    part->rows = rows;
    fill(part->x, size_t(rows) * s.d, 2.0f), fill(part->y, size_t(rows) * s.slots, 0);
    for (size_t i = 0; i < part->y.size(); i++) part->y[i] = float((i * 2654435761u >> 7) & 1);
  }
}

/** Thread CPU seconds of `epochs` epochs of every network of a model, test losses included (best is +inf). */
template <typename M, typename Train>
double epochs(M& model, int epochs, Train train) {
  std::vector<int32_t> order(model.train.rows);
  std::vector<int> networks(model.networks);
  for (int r = 0; r < model.train.rows; r++) order[r] = int32_t((r * 7919) % model.train.rows);
  for (int k = 0; k < model.networks; k++) networks[k] = k;
  const std::vector<float> best(model.networks, INFINITY);
  const double start = after::threadSeconds();
  for (int e = 0; e < epochs; e++) train(model, order.data(), model.train.rows, 64, networks, best.data());
  return after::threadSeconds() - start;
}

/** Every network's parameters, without the padding between blocks. */
template <typename M>
std::vector<float> weights(const M& model) {
  const size_t block = model.w.size() / model.networks;
  std::vector<float> all;
  for (int k = 0; k < model.networks; k++) all.insert(all.end(), &model.w[k * block], &model.w[k * block] + model.parameters);
  return all;
}

using after::median;

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
  const int steps = std::max(1, int(1e10 / forwardFlops(s)));  // about 0.05 s a kind
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
  std::vector<double> rates[2][3];  // GFLOP/s by build and kind, a round each
  for (int round = 1; round <= rounds; round++) {
    const double f = forwardFlops(s) * steps / 1e9, w = weightFlops(s) * steps / 1e9, in = inputFlops(s) * steps / 1e9;
    const double a[3] = {f / after::forwardSteps(s, o, steps), w / after::weightSteps(s, o, steps), in / after::inputSteps(s, o, steps)};
#ifdef TRA_BEFORE
    const double b[3] = {f / before::forwardSteps(s, o, steps), w / before::weightSteps(s, o, steps), in / before::inputSteps(s, o, steps)};
    std::printf("%-6d %10.1f %10.1f  %10.1f %10.1f  %10.1f %10.1f\n", round, a[0], b[0], a[1], b[1], a[2], b[2]);
    for (int k = 0; k < 3; k++) rates[1][k].push_back(b[k]);
#else
    std::printf("%-6d %10.1f %10.1f %10.1f\n", round, a[0], a[1], a[2]);
#endif
    for (int k = 0; k < 3; k++) rates[0][k].push_back(a[k]);
  }
#ifdef TRA_BEFORE
  std::printf("%-6s %10.1f %10.1f  %10.1f %10.1f  %10.1f %10.1f\n", "median", median(rates[0][0]), median(rates[1][0]),
              median(rates[0][1]), median(rates[1][1]), median(rates[0][2]), median(rates[1][2]));
#else
  std::printf("%-6s %10.1f %10.1f %10.1f\n", "median", median(rates[0][0]), median(rates[0][1]), median(rates[0][2]));
#endif

  // Whole epochs (every step's products, slopes, Adam, the evaluation passes) of 16 networks, yeast's fold sizes.
  const int networks = 16, trainRows = 1611, evaluationRows = 403, perRound = 2;
  const double epochFlops = networks * (trainRows * (forwardFlops(s) + weightFlops(s) + inputFlops(s)) +
                                        2.0 * evaluationRows * forwardFlops(s)) / s.rows * perRound / 1e9;
  after::Model a;
  setUp(a, s, networks, trainRows, evaluationRows);
  auto trainAfter = [](after::Model& m, const int32_t* order, int rows, int batch, const std::vector<int>& nets, const float* best) {
    after::trainEpoch(m, order, rows, batch, nets, best);
  };
#ifdef TRA_BEFORE
  before::Model b;
  setUp(b, s, networks, trainRows, evaluationRows);
  auto trainBefore = [](before::Model& m, const int32_t* order, int rows, int batch, const std::vector<int>& nets, const float* best) {
    before::trainEpoch(m, order, rows, batch, nets, best);
  };
  std::printf("\nepochs of %d networks, %d training and 2 x %d evaluation rows, %d a round (GFLOP/s of products)\n", networks,
              trainRows, evaluationRows, perRound);
  std::vector<double> epochRates[2];
  for (int round = 1; round <= rounds; round++) {
    epochRates[0].push_back(epochFlops / epochs(a, perRound, trainAfter));
    epochRates[1].push_back(epochFlops / epochs(b, perRound, trainBefore));
    std::printf("%-6d %10.1f %10.1f\n", round, epochRates[0].back(), epochRates[1].back());
  }
  std::printf("%-6s %10.1f %10.1f\nweights after every epoch bit-identical: %s\n", "median", median(epochRates[0]),
              median(epochRates[1]), weights(a) == weights(b) ? "yes" : "NO");
#else
  std::printf("\nepochs of %d networks, %d training and 2 x %d evaluation rows, %d a round (GFLOP/s of products)\n", networks,
              trainRows, evaluationRows, perRound);
  std::vector<double> epochRates;
  for (int round = 1; round <= rounds; round++) {
    epochRates.push_back(epochFlops / epochs(a, perRound, trainAfter));
    std::printf("%-6d %10.1f\n", round, epochRates.back());
  }
  std::printf("%-6s %10.1f\n", "median", median(epochRates));
#endif
  return 0;
}
