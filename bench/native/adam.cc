// Adam's update alone on the native trainer's two passes (issue 32): adamHardware (vsqrtps, vdivps) against
// adamSoftware (sqrtRounded, vdivps), at yeast's layer sizes, on one thread (thread CPU time, alternating the two, the
// median of many repetitions), with the trainer's own code: it includes native/trainer.cc. Prints the pass the trainer
// chooses at run time too.
//
//   npm run bench:adam -- [rounds]   (default 400)
#define TRA_KERNELS_ONLY
#include "../../native/trainer.cc"

#include <cstdio>
#include <cstdlib>

namespace {

double median(std::vector<double> times) {
  std::nth_element(times.begin(), times.begin() + times.size() / 2, times.end());
  return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
#ifndef __AVX512F__
  std::puts("no AVX-512: the trainer has only adamHardware");
  return 0;
#else
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 400, calls = 20;
  Model model;  // only Adam's constants are read
  std::printf("the trainer chooses %s\n", fasterAdam(model) == adamSoftware ? "adamSoftware" : "adamHardware");
  // yeast's layers: 103 x 64 (+64 biases), 64 x 64 (+64), 64 x 14 (+14)
  for (const size_t n : {size_t(6656), size_t(4160), size_t(910)}) {
    std::vector<float> g(n), w[2], m[2], v[2];
    uint32_t state = 12345;
    for (auto& x : g) {
      state = state * 1664525u + 1013904223u;
      x = 2e-3f * (float(state >> 8) / float(1 << 24) - 0.5f);
    }
    for (int p = 0; p < 2; p++) w[p] = g, m[p].assign(n, 0.0f), v[p].assign(n, 0.0f);
    const AdamPass passes[2] = {adamHardware, adamSoftware};
    std::vector<double> seconds[2];
    for (int r = 0; r < rounds; r++)
      for (int p = 0; p < 2; p++) {
        const double start = threadSeconds();
        for (int c = 0; c < calls; c++) passes[p](model, w[p].data(), m[p].data(), v[p].data(), g.data(), n, 1e-3f, 1e-8f);
        seconds[p].push_back((threadSeconds() - start) / calls);
      }
    const bool same = w[0] == w[1] && m[0] == m[1] && v[0] == v[1];
    const double hardware = median(seconds[0]), software = median(seconds[1]);
    std::printf("%5zu parameters: hardware %.2f us, software %.2f us (%.2f ns against %.2f per 16), %.2fx; same bits: %s\n", n,
                hardware * 1e6, software * 1e6, hardware * 16e9 / n, software * 16e9 / n, hardware / software, same ? "yes" : "NO");
  }
  return 0;
#endif
}
