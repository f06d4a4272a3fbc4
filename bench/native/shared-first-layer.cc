// The shared first layer as one GEMM, measured (issue 32): the native trainer runs each network's whole epoch before
// the next, so its first layer is one [64 x d] x [d x h] product per network per step, and its weights and Adam
// moments stay in L2. The alternative multiplies a batch once by every network's first-layer weights side by side
// ([64 x d] x [d x (networks x h)]), computes every network's weight gradient as one product too, and then streams
// all networks' weights and moments through Adam each step. This program times both on one thread (thread CPU time,
// so other processes slow it only through shared caches) at a data set's shapes, with the trainer's own kernels: it
// includes native/trainer.cc. Only the first layer is timed; the layers above are the same in both schemes.
//
//   npm run bench:first-layer -- [d] [h] [networks] [steps]   (defaults: yeast, 103 64 105 23; emotions: 72 64 21 8)
#define TRA_KERNELS_ONLY
#include "../../native/trainer.cc"

#include <cstdio>
#include <cstdlib>

namespace {

struct Shapes {
  int rows = 64, d, h, networks, steps;
};

// FLOPs of the first layer per step and network: the forward product and the weight gradient (2 rows x d x h each).
double flops(const Shapes& s) { return 4.0 * s.rows * s.d * s.h * double(s.networks) * s.steps; }

std::vector<float> filled(size_t n, float scale) {
  std::vector<float> v(n);
  uint32_t state = 12345;
  for (auto& x : v) {
    state = state * 1664525u + 1013904223u;
    x = scale * (float(state >> 8) / float(1 << 24) - 0.5f);
  }
  return v;
}

// Per network (the trainer's scheme): for each network, all steps; weights [d x h] + bias per network, contiguous.
double perNetwork(const Shapes& s, const std::vector<float>& x, const std::vector<float>& slope) {
  const size_t block = size_t(s.d) * s.h + s.h;
  auto w = filled(block * s.networks, 0.1f), m = filled(block * s.networks, 0.0f),
       v = filled(block * s.networks, 0.0f);
  Model model;  // only Adam's constants are read
  std::vector<float> z(size_t(s.rows) * s.h), gradient(block);
  const double start = threadSeconds();
  for (int k = 0; k < s.networks; k++) {
    float* wk = w.data() + block * k;
    for (int t = 0; t < s.steps; t++) {
      const float* xb = x.data() + size_t(t) * s.rows * s.d;
      gemm<Start::Bias, Finish::Relu>(s.rows, s.d, s.h, xb, s.d, 1, wk, z.data(), {wk + size_t(s.d) * s.h});
      gemm<Start::Zero, Finish::Plain>(s.d, s.rows, s.h, xb, 1, s.d, slope.data(), gradient.data());
      columnSums(s.rows, s.h, slope.data(), gradient.data() + size_t(s.d) * s.h);
      adam(model, wk, m.data() + block * k, v.data() + block * k, gradient.data(), block, 1e-3f, 1e-8f);
    }
  }
  const double seconds = threadSeconds() - start;
  if (z[0] == 12345.0f) std::puts("");  // keeps the products alive
  return seconds;
}

// Shared: for each step, one product with every network's weights side by side ([d x networks*h] + biases), one
// weight-gradient product over every network's slopes, and Adam over all networks' first-layer weights.
double shared(const Shapes& s, const std::vector<float>& x, const std::vector<float>& slope) {
  const int wide = s.networks * s.h;
  const size_t block = size_t(s.d) * wide + wide;
  auto w = filled(block, 0.1f), m = filled(block, 0.0f), v = filled(block, 0.0f);
  Model model;
  std::vector<float> z(size_t(s.rows) * wide), slopes(size_t(s.rows) * wide), gradient(block);
  for (int k = 0; k < s.networks; k++)
    for (int r = 0; r < s.rows; r++)
      std::memcpy(&slopes[size_t(r) * wide + size_t(k) * s.h], &slope[size_t(r) * s.h], sizeof(float) * s.h);
  const double start = threadSeconds();
  for (int t = 0; t < s.steps; t++) {
    const float* xb = x.data() + size_t(t) * s.rows * s.d;
    gemm<Start::Bias, Finish::Relu>(s.rows, s.d, wide, xb, s.d, 1, w.data(), z.data(), {w.data() + size_t(s.d) * wide});
    gemm<Start::Zero, Finish::Plain>(s.d, s.rows, wide, xb, 1, s.d, slopes.data(), gradient.data());
    columnSums(s.rows, wide, slopes.data(), gradient.data() + size_t(s.d) * wide);
    adam(model, w.data(), m.data(), v.data(), gradient.data(), block, 1e-3f, 1e-8f);
  }
  const double seconds = threadSeconds() - start;
  if (z[0] == 12345.0f) std::puts("");
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  Shapes s;
  s.d = argc > 1 ? std::atoi(argv[1]) : 103;
  s.h = argc > 2 ? std::atoi(argv[2]) : 64;
  s.networks = argc > 3 ? std::atoi(argv[3]) : 105;
  s.steps = argc > 4 ? std::atoi(argv[4]) : 23;
  const auto x = filled(size_t(s.steps) * s.rows * s.d, 1.0f), slope = filled(size_t(s.rows) * s.h, 0.01f);
  std::printf("first layer, %d rows x %d inputs x %d units, %d networks, %d steps (one epoch), one thread\n", s.rows,
              s.d, s.h, s.networks, s.steps);
  std::printf("%-12s %9s %9s %9s %9s %9s\n", "round", "per-net ms", "shared ms", "per-net GF", "shared GF",
              "shared/per");
  for (int round = 1; round <= 5; round++) {
    const double a = perNetwork(s, x, slope), b = shared(s, x, slope);
    std::printf("%-12d %9.2f %9.2f %9.1f %9.1f %9.2f\n", round, 1e3 * a, 1e3 * b, flops(s) / a / 1e9,
                flops(s) / b / 1e9, b / a);
  }
  return 0;
}
