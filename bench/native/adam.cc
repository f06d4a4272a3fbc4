// Adam's update alone on the native trainer's passes (issue 32): adamHardware (vsqrtps, vdivps) against the software
// square root's passes, adamSplit<SOFT, HARD> (of every SOFT + HARD registers' square roots, SOFT by sqrtRounded and
// HARD by vsqrtps; adamSoftware is the trainer's split), at yeast's layer sizes, on one thread (thread CPU time,
// alternating the passes, the median of many repetitions), with the trainer's own code: it includes
// native/trainer.cc. Prints the pass the trainer chooses at run time too.
//
//   npm run bench:adam -- [rounds]   (default 400)
#define TRA_KERNELS_ONLY
#include "../../native/trainer.cc"

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
#ifndef __AVX512F__
  std::puts("no AVX-512: the trainer has only adamHardware");
  return 0;
#else
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 400, calls = 20;
  Model model;  // only Adam's constants are read
  std::printf("the trainer chooses %s\n", fasterAdam(model) == adamSoftware ? "adamSoftware" : "adamHardware");
  const std::pair<const char*, AdamPass> passes[] = {{"hardware", adamHardware}, {"software", adamSoftware},
                                                     {"split 2:0", adamSplit<2, 0>},   {"split 4:0", adamSplit<4, 0>},
                                                     {"split 3:1", adamSplit<3, 1>},   {"split 5:1", adamSplit<5, 1>}};
  constexpr int P = sizeof passes / sizeof passes[0];
  // yeast's layers: 103 x 64 (+64 biases), 64 x 64 (+64), 64 x 14 (+14)
  for (const size_t n : {size_t(6656), size_t(4160), size_t(910)}) {
    std::vector<float> g(n), w[P], m[P], v[P];
    uint32_t state = 12345;
    for (auto& x : g) {
      state = state * 1664525u + 1013904223u;
      x = 2e-3f * (float(state >> 8) / float(1 << 24) - 0.5f);
    }
    for (int p = 0; p < P; p++) w[p] = g, m[p].assign(n, 0.0f), v[p].assign(n, 0.0f);
    std::vector<double> seconds[P];
    for (int r = 0; r < rounds; r++)
      for (int p = 0; p < P; p++) {
        const double start = threadSeconds();
        for (int c = 0; c < calls; c++) passes[p].second(model, w[p].data(), m[p].data(), v[p].data(), g.data(), n, 1e-3f, 1e-8f);
        seconds[p].push_back((threadSeconds() - start) / calls);
      }
    std::printf("%5zu parameters (ns per 16, same bits as hardware):", n);
    for (int p = 0; p < P; p++) {
      const bool same = w[p] == w[0] && m[p] == m[0] && v[p] == v[0];
      std::printf("  %s %.2f %s", passes[p].first, median(seconds[p]) * 16e9 / n, same ? "yes" : "NO");
    }
    std::printf("\n");
  }
  return 0;
#endif
}
