// The native fused trainer: K networks of the engine's family (ReLU MLP, per-slot BCE or squared error, Adam) trained
// over the same mini-batches, each network's weights and Adam moments kept in one contiguous block.
//
// Design (measured on a 2-core AVX2+FMA machine, see README "Native trainer"): networks are independent given the
// batch order, so each thread takes whole networks and runs all of an epoch's steps for one network before the next.
// One network's state (weights, both moments: about 130 KB at yeast's shapes) then stays in the core's L2 for the whole
// epoch, and forward, backward and the Adam update of each layer touch its weights while they are in cache: every
// weight is read and written from memory about once per epoch rather than several times per step. The products are
// small (64 x 103 x 64), so a register-blocked AVX2 kernel (AVX-512 where the CPU has it) on L1/L2-resident operands
// does them; there is no BLAS call.
// The epoch's rows, gathered in the order TypeScript drew, are built once per epoch and shared read-only by all threads.
//
// The JavaScript side (src/engine/native.ts) owns everything random (initial weights, batch order) and all model
// selection; this file only computes (an epoch's test losses ahead of the selection, where it will likely ask).
#ifndef TRA_KERNELS_ONLY
#include <node_api.h>
#endif

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <condition_variable>
#include <ctime>
#include <functional>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <thread>
#include <vector>

#if defined(__AVX2__) && defined(__FMA__)
#define TRA_AVX2 1
#endif
#ifdef __AVX512F__
#include <immintrin.h>
#endif

namespace {

/**
 * Allocates on 64-byte (cache-line) boundaries: a 512-bit load or store that straddles two lines costs about two, and
 * the products' operands (weights, activations, slopes) are read by whole registers from the start of their rows
 * (measured at yeast's shapes, npm run bench:products: products on operands 16 bytes off a line ran 4-20% slower).
 */
template <typename T>
struct LineAligned {
  using value_type = T;
  static constexpr std::align_val_t alignment{64};
  LineAligned() = default;
  template <typename U>
  LineAligned(const LineAligned<U>&) {}
  T* allocate(size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), alignment)); }
  void deallocate(T* p, size_t) { ::operator delete(p, alignment); }
  template <typename U>
  bool operator==(const LineAligned<U>&) const { return true; }
  template <typename U>
  bool operator!=(const LineAligned<U>&) const { return false; }
};
typedef std::vector<float, LineAligned<float>> AlignedFloats;

// ---------------------------------------------------------------------------------------------------------------------
// Products C[M x N] = op(A)[M x K] B[K x N], row-major, C with leading dimension N and B with ldb. op(A)[i][k] =
// A[i * rs + k * cs]: rs = K, cs = 1 reads A itself; rs = 1, cs = M reads it transposed in place (a layer's input, for
// its weight gradient), which spares a copy. What C starts from and what happens as it is stored are template
// parameters, so that a layer's bias, its ReLU and the ReLU's slope in the backward pass cost no pass of their own.

enum class Start { Zero, Accumulate, Bias };  // C = op(A) B; C += op(A) B; C = 1 biasᵀ + op(A) B
enum class Finish { Plain, Relu, Mask };      // stored as is; max(0, c); 0 where mask (shaped like C) is not > 0

struct Ends {
  const float* bias = nullptr;  // [N], Start::Bias
  const float* mask = nullptr;  // [M x N], Finish::Mask
};

template <Start start>
inline float initial(const float* C, const Ends& ends, size_t i, int j, int N) {
  return start == Start::Zero ? 0.0f : start == Start::Bias ? ends.bias[j] : C[i * N + j];
}

template <Finish finish>
inline float finished(float c, const Ends& ends, size_t at) {
  if (finish == Finish::Relu) return c > 0.0f ? c : 0.0f;
  if (finish == Finish::Mask) return ends.mask[at] > 0.0f ? c : 0.0f;
  return c;
}



#ifdef TRA_AVX2
// Registers of 8 and 16 floats as GCC/Clang vector types: one kernel template serves both widths, and a * b + c
// compiles to one FMA instruction (-ffp-contract=fast is the default outside ISO mode).
typedef float Lanes256 __attribute__((vector_size(32)));
typedef float Lanes512 __attribute__((vector_size(64)));
#ifdef __AVX512F__
typedef Lanes512 Widest;  // 512-bit lanes where the CPU has them (measured: 210 against 110 GFLOP/s per core on 64 x 103 x 64)
#else
typedef Lanes256 Widest;
#endif

template <typename V>
inline V load(const float* p) {  // unaligned: rows of C and B start anywhere
  V v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

/** out [cols x rows] = inᵀ: 8 x 8 tiles transposed in registers (three rounds of shuffles), the edges element-wise. */
void transpose(int rows, int cols, const float* __restrict in, float* __restrict out) {
  int r0 = 0;
  for (; r0 + 8 <= rows; r0 += 8) {
    int c0 = 0;
    for (; c0 + 8 <= cols; c0 += 8) {
      Lanes256 a[8], b[8];
      for (int i = 0; i < 8; i++) a[i] = load<Lanes256>(in + size_t(r0 + i) * cols + c0);
      for (int i = 0; i < 8; i += 2) {
        b[i] = __builtin_shufflevector(a[i], a[i + 1], 0, 8, 1, 9, 4, 12, 5, 13);
        b[i + 1] = __builtin_shufflevector(a[i], a[i + 1], 2, 10, 3, 11, 6, 14, 7, 15);
      }
      for (int i = 0; i < 8; i += 4)
        for (int j = 0; j < 2; j++) {
          a[i + j] = __builtin_shufflevector(b[i + j], b[i + j + 2], 0, 1, 8, 9, 4, 5, 12, 13);
          a[i + j + 2] = __builtin_shufflevector(b[i + j], b[i + j + 2], 2, 3, 10, 11, 6, 7, 14, 15);
        }
      for (int j = 0; j < 4; j++) {
        b[j] = __builtin_shufflevector(a[j], a[j + 4], 0, 1, 2, 3, 8, 9, 10, 11);
        b[j + 4] = __builtin_shufflevector(a[j], a[j + 4], 4, 5, 6, 7, 12, 13, 14, 15);
      }
      constexpr int column[8] = {0, 2, 1, 3, 4, 6, 5, 7};  // b[k] holds the tile's column column[k]
      for (int k = 0; k < 8; k++) std::memcpy(out + size_t(c0 + column[k]) * rows + r0, &b[k], sizeof(Lanes256));
    }
    for (; c0 < cols; c0++)
      for (int r = r0; r < r0 + 8; r++) out[size_t(c0) * rows + r] = in[size_t(r) * cols + c0];
  }
  for (; r0 < rows; r0++)
    for (int c = 0; c < cols; c++) out[size_t(c) * rows + r0] = in[size_t(r0) * cols + c];
}

/**
 * Column sums of g [rows x cols] into out [cols] (a bias's gradient), each column summed in row order. Several
 * registers of columns at a time: a single register's sum is a chain of dependent additions (measured, thread CPU time,
 * load 3: yeast's 64 x 64 in 89 against 156 ns).
 */
void columnSums(int rows, int cols, const float* g, float* out) {
  constexpr int width = sizeof(Widest) / sizeof(float), CHAINS = 64 / width;
  int j = 0;
  for (; j + CHAINS * width <= cols; j += CHAINS * width) {
    Widest sum[CHAINS];
    for (int c = 0; c < CHAINS; c++) sum[c] = Widest{};
    for (int r = 0; r < rows; r++)
#pragma GCC unroll 8
      for (int c = 0; c < CHAINS; c++) sum[c] += load<Widest>(g + size_t(r) * cols + j + c * width);
    std::memcpy(out + j, sum, sizeof sum);
  }
  for (; j + width <= cols; j += width) {
    Widest sum{};
    for (int r = 0; r < rows; r++) sum += load<Widest>(g + size_t(r) * cols + j);
    std::memcpy(out + j, &sum, sizeof sum);
  }
  for (; j < cols; j++) {
    float sum = 0.0f;
    for (int r = 0; r < rows; r++) sum += g[size_t(r) * cols + j];
    out[j] = sum;
  }
}

/** Columns [j, N) of an MR-row block in panels of NV registers, as far as whole panels go; returns where they stop. */
template <typename V, int MR, int NV, Start start, Finish finish>
inline int panels(int j, int K, int N, const float* A, int rs, int cs, const float* B, int ldb, float* C, const Ends& ends) {
  constexpr int width = sizeof(V) / sizeof(float);
  // locals, not ends' members: stores to C could alias those, and every store would reload them
  const float* const bias = ends.bias;
  const float* const mask = ends.mask;
  for (; j + NV * width <= N; j += NV * width) {
    V acc[MR][NV];
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++)
#pragma GCC unroll 4
      for (int v = 0; v < NV; v++)
        acc[r][v] = start == Start::Zero ? V{} : load<V>((start == Start::Bias ? bias : C + r * N) + j + v * width);
    for (int k = 0; k < K; k++) {
      V b[NV];
#pragma GCC unroll 4
      for (int v = 0; v < NV; v++) b[v] = load<V>(B + size_t(k) * ldb + j + v * width);
#pragma GCC unroll 16
      for (int r = 0; r < MR; r++) {
        const float a = A[r * rs + k * cs];
#pragma GCC unroll 4
        for (int v = 0; v < NV; v++) acc[r][v] += a * b[v];
      }
    }
    // unrolled, so that the accumulators stay in registers to the end (GCC 12 left 6 x 4 of them to the stack)
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++)
#pragma GCC unroll 4
      for (int v = 0; v < NV; v++) {
        V c = acc[r][v];
        if (finish == Finish::Relu) c = c > V{} ? c : V{};
        if (finish == Finish::Mask) c = load<V>(mask + r * N + j + v * width) > V{} ? c : V{};
        std::memcpy(C + r * N + j + v * width, &c, sizeof(V));
      }
  }
  return j;
}

// The register block: ROWS rows of C by PANEL registers. Every shape sums each element of C in k order, so the bits
// do not depend on it.
#ifdef __AVX512F__
// 6 x 4: 24 accumulators of the 32 registers, 4 loads and 6 broadcasts per 24 FMAs. Measured (npm run bench:products,
// Intel Xeon with AVX-512): 4% faster per epoch than 8 x 2; 7 x 4 and 4 x 4 were 1% slower than 8 x 2.
constexpr int ROWS = 6, PANEL = 4;
#else
// 8 x 2: 16 accumulators, measured 4% faster per epoch than 6 rows; AVX2's 16 registers cannot hold 6 x 4 (22% slower
// per epoch, the same Xeon built for x86-64-v3).
constexpr int ROWS = 8, PANEL = 2;
#endif

template <int MR, Start start, Finish finish>
inline void rowsBlock(int K, int N, const float* A, int rs, int cs, const float* B, int ldb, float* C, const Ends& ends) {
  int j = panels<Widest, MR, PANEL, start, finish>(0, K, N, A, rs, cs, B, ldb, C, ends);
  if (PANEL > 2) j = panels<Widest, MR, 2, start, finish>(j, K, N, A, rs, cs, B, ldb, C, ends);
  j = panels<Lanes256, MR, 2, start, finish>(j, K, N, A, rs, cs, B, ldb, C, ends);
  j = panels<Lanes256, MR, 1, start, finish>(j, K, N, A, rs, cs, B, ldb, C, ends);
  for (; j < N; j++)
    for (int r = 0; r < MR; r++) {
      float s = initial<start>(C, ends, r, j, N);
      for (int k = 0; k < K; k++) s += A[r * rs + k * cs] * B[size_t(k) * ldb + j];
      C[r * N + j] = finished<finish>(s, ends, size_t(r) * N + j);
    }
}

/** The last `rows` (< ROWS) rows as one block of their own height, from R down. */
template <int R, Start start, Finish finish>
inline void lastRows(int rows, int K, int N, const float* A, int rs, int cs, const float* B, int ldb, float* C, const Ends& ends) {
  if (rows == R) return rowsBlock<R, start, finish>(K, N, A, rs, cs, B, ldb, C, ends);
  if constexpr (R > 1) lastRows<R - 1, start, finish>(rows, K, N, A, rs, cs, B, ldb, C, ends);
}

/** C = op(A) B in blocks of ROWS rows, the last rows in one smaller block. */
template <Start start, Finish finish>
void wideGemm(int M, int K, int N, const float* A, int rs, int cs, const float* B, int ldb, float* C, Ends ends) {
  int i = 0;
  const float* mask = ends.mask;
  auto at = [&](int row) {
    if (finish == Finish::Mask) ends.mask = mask + size_t(row) * N;
    return ends;
  };
  // a last row alone runs at about half speed (its 4 accumulators wait on the FMA latency): with the block before it,
  // 7 rows (28 accumulators). Measured (thread CPU time, load 3, alternating): dW of yeast's first layer (M = 103)
  // 0.8-1.1% faster, the 43-row last batch's forward 0.7-1.1%; 7-row blocks for other tails (64 = 4 x 7 + 6 x 6,
  // 128, 99) gained nothing.
  const int whole = ROWS == 6 && M % ROWS == 1 && M > ROWS ? M - 7 : M;
  for (; i + ROWS <= whole; i += ROWS) rowsBlock<ROWS, start, finish>(K, N, A + i * rs, rs, cs, B, ldb, C + size_t(i) * N, at(i));
  if (whole < M) return rowsBlock<7, start, finish>(K, N, A + i * rs, rs, cs, B, ldb, C + size_t(i) * N, at(i));
  if (i < M) lastRows<ROWS - 1, start, finish>(M - i, K, N, A + i * rs, rs, cs, B, ldb, C + size_t(i) * N, at(i));
}

/** The sum of a register's lanes, pairwise. */
template <typename V>
inline float lanesSum(V v) {
  constexpr int width = sizeof(V) / sizeof(float);
  float lanes[width];
  std::memcpy(lanes, &v, sizeof v);
  for (int half = width / 2; half > 0; half /= 2)
    for (int l = 0; l < half; l++) lanes[l] += lanes[l + half];
  return lanes[0];
}

/** One dot product of length K over contiguous a and b. */
inline float dot(int K, const float* a, const float* b) {
  constexpr int width = sizeof(Widest) / sizeof(float);
  Widest acc0{}, acc1{};
  int k = 0;
  for (; k + 2 * width <= K; k += 2 * width) {
    acc0 += load<Widest>(a + k) * load<Widest>(b + k);
    acc1 += load<Widest>(a + k + width) * load<Widest>(b + k + width);
  }
  for (; k + width <= K; k += width) acc0 += load<Widest>(a + k) * load<Widest>(b + k);
  float sum = lanesSum(acc0 + acc1);
  for (; k < K; k++) sum += a[k] * b[k];
  return sum;
}
#ifdef __AVX512F__
/**
 * Sixteen registers' lane sums as one register (lane q: the sum of v[q]'s lanes): four rounds, each adding pairs of
 * registers' halves. Fed in bit-reversed order, the sums come out in order.
 */
inline Lanes512 laneSums16(const Lanes512* v) {
  constexpr int reversed[16] = {0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15};
  Lanes512 a[16];
  for (int q = 0; q < 16; q++) a[q] = v[reversed[q]];
  for (int q = 0; q < 16; q += 2)
    a[q / 2] = __builtin_shufflevector(a[q], a[q + 1], 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23) +
               __builtin_shufflevector(a[q], a[q + 1], 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
  for (int q = 0; q < 8; q += 2)
    a[q / 2] = __builtin_shufflevector(a[q], a[q + 1], 0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27) +
               __builtin_shufflevector(a[q], a[q + 1], 4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31);
  for (int q = 0; q < 4; q += 2)
    a[q / 2] = __builtin_shufflevector(a[q], a[q + 1], 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29) +
               __builtin_shufflevector(a[q], a[q + 1], 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31);
  return __builtin_shufflevector(a[0], a[1], 0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30) +
         __builtin_shufflevector(a[0], a[1], 1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31);
}

/**
 * Rows [0, M - M % (16 / N)) of C = A B for N dividing 16 (a head of 1, 2 or 4 slots), A read as itself and B's columns
 * given contiguous: 16 / N rows at a time, whose 16 dot products with the columns are summed as one register, which
 * is then exactly those rows of C. Returns the rows done.
 */
template <int N, Start start, Finish finish>
int headRows(int M, int K, const float* A, int rs, const float* columns, float* C, const Ends& ends) {
  // N a template parameter: with it known, the 16 accumulators stay in registers (with N at run time GCC kept them in
  // memory): measured (thread CPU time, load 3) 172 against 583 ns for yeast's 64 x 64 x 2 forward, 322 against 1143
  // for an evaluation chunk's 128 rows
  constexpr int rowsPer = 16 / N;
  alignas(64) float pattern[16];  // the bias of lane q = r N + j
  for (int q = 0; q < 16; q++) pattern[q] = start == Start::Bias ? ends.bias[q % N] : 0.0f;
  const Lanes512 patterns = load<Lanes512>(pattern);
  int i = 0;
  for (; i + rowsPer <= M; i += rowsPer) {
    Lanes512 acc[16];
    for (int q = 0; q < 16; q++) acc[q] = Lanes512{};
    int k = 0;
    for (; k + 16 <= K; k += 16)
#pragma GCC unroll 16
      for (int r = 0; r < rowsPer; r++) {
        const Lanes512 a = load<Lanes512>(A + size_t(i + r) * rs + k);
#pragma GCC unroll 4
        for (int j = 0; j < N; j++) acc[r * N + j] += a * load<Lanes512>(columns + size_t(j) * K + k);
      }
    const Lanes512 sums = laneSums16(acc);
    float* const out = C + size_t(i) * N;  // lane q: row i + q / N, column q % N
    if (k == K) {  // the scalar loop's sums below, 16 lanes at once
      Lanes512 value = (start == Start::Accumulate ? load<Lanes512>(out) : patterns) + sums;
      if (finish == Finish::Relu) value = value > Lanes512{} ? value : Lanes512{};
      if (finish == Finish::Mask) value = load<Lanes512>(ends.mask + size_t(i) * N) > Lanes512{} ? value : Lanes512{};
      std::memcpy(out, &value, sizeof value);
      continue;
    }
    float c[16];
    std::memcpy(c, &sums, sizeof c);
    for (int q = 0; q < 16; q++) {
      const size_t at = size_t(i) * N + q;
      float value = start == Start::Accumulate ? C[at] : pattern[q];
      value += c[q];
      for (int kk = k; kk < K; kk++) value += A[size_t(i + q / N) * rs + kk] * columns[size_t(q % N) * K + kk];
      C[at] = finished<finish>(value, ends, at);
    }
  }
  return i;
}
#endif
#else
// Portable fallback (no AVX2/FMA at build time): the i-k-j order, which compilers vectorise over j.
/** out [cols x rows] = inᵀ, in tiles so that reads and writes both stay within a few cache lines. */
void transpose(int rows, int cols, const float* __restrict in, float* __restrict out) {
  constexpr int TILE = 16;
  for (int r0 = 0; r0 < rows; r0 += TILE)
    for (int c0 = 0; c0 < cols; c0 += TILE) {
      const int r1 = std::min(rows, r0 + TILE), c1 = std::min(cols, c0 + TILE);
      for (int c = c0; c < c1; c++)
        for (int r = r0; r < r1; r++) out[size_t(c) * rows + r] = in[size_t(r) * cols + c];
    }
}

/** Column sums of g [rows x cols] into out [cols] (a bias's gradient). */
void columnSums(int rows, int cols, const float* __restrict g, float* __restrict out) {
  std::fill(out, out + cols, 0.0f);
  for (int r = 0; r < rows; r++)
    for (int j = 0; j < cols; j++) out[j] += g[size_t(r) * cols + j];
}

template <Start start, Finish finish>
void wideGemm(int M, int K, int N, const float* A, int rs, int cs, const float* B, int ldb, float* C, Ends ends) {
  for (int i = 0; i < M; i++) {
    float* c = C + size_t(i) * N;
    for (int j = 0; j < N; j++) c[j] = initial<start>(C, ends, i, j, N);
    for (int k = 0; k < K; k++) {
      const float a = A[i * rs + k * cs];
      const float* b = B + size_t(k) * ldb;
      for (int j = 0; j < N; j++) c[j] += a * b[j];
    }
    for (int j = 0; j < N; j++) c[j] = finished<finish>(c[j], ends, size_t(i) * N + j);
  }
}

inline float dot(int K, const float* a, const float* b) {
  float lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};  // eight partial sums: the compiler vectorises this without reassociating
  int k = 0;
  for (; k + 8 <= K; k += 8)
    for (int l = 0; l < 8; l++) lanes[l] += a[k + l] * b[k + l];
  float sum = 0.0f;
  for (int l = 0; l < 8; l++) sum += lanes[l];
  for (; k < K; k++) sum += a[k] * b[k];
  return sum;
}
#endif

/** Scratch of the narrow products, per thread. */
thread_local AlignedFloats narrowScratch;

/**
 * C = op(A) B for N < 8 (a head with a few slots), where N cannot fill a register. With A read as itself, as dot
 * products over K of A's rows with B's columns (copied contiguous once); with A read transposed (a weight gradient),
 * as Cᵀ = Bᵀ Aᵀ, whose rows are M wide, then transposed.
 */
template <Start start, Finish finish>
void narrowGemm(int M, int K, int N, const float* A, int rs, int cs, const float* B, int ldb, float* C, const Ends& ends) {
  if (rs == 1 && cs == M && start == Start::Zero && finish == Finish::Plain && N > 0) {
    narrowScratch.resize(size_t(N) * M);
    float* transposed = narrowScratch.data();
    wideGemm<Start::Zero, Finish::Plain>(N, K, M, B, 1, ldb, A, cs, transposed, {});
    return transpose(N, M, transposed, C);
  }
  narrowScratch.resize(size_t(K) * N + size_t(K));
  float* column = narrowScratch.data();
  float* row = column + size_t(K) * N;
  for (int k = 0; k < K; k++)
    for (int j = 0; j < N; j++) column[size_t(j) * K + k] = B[size_t(k) * ldb + j];
  int i = 0;
#ifdef __AVX512F__
  if (cs == 1 && N == 1) i = headRows<1, start, finish>(M, K, A, rs, column, C, ends);
  if (cs == 1 && N == 2) i = headRows<2, start, finish>(M, K, A, rs, column, C, ends);
  if (cs == 1 && N == 4) i = headRows<4, start, finish>(M, K, A, rs, column, C, ends);
#endif
  for (; i < M; i++) {
    const float* a = A + size_t(i) * rs;
    if (cs != 1) {
      for (int k = 0; k < K; k++) row[k] = a[size_t(k) * cs];
      a = row;
    }
    for (int j = 0; j < N; j++)
      C[size_t(i) * N + j] =
          finished<finish>(initial<start>(C, ends, i, j, N) + dot(K, a, column + size_t(j) * K), ends, size_t(i) * N + j);
  }
}

/** C[M x N] = op(A) B, starting from and finishing as the template says (see Start, Finish). */
template <Start start, Finish finish>
void gemm(int M, int K, int N, const float* A, int rs, int cs, const float* B, float* C, const Ends& ends = {}) {
  if (N < 8) return narrowGemm<start, finish>(M, K, N, A, rs, cs, B, N, C, ends);
  wideGemm<start, finish>(M, K, N, A, rs, cs, B, N, C, ends);
}

// ---------------------------------------------------------------------------------------------------------------------

struct Part {
  int rows = 0;
  std::vector<float> x;  // [rows x d]
  std::vector<float> y;  // [rows x T]
};

/**
 * Freed models' weight and moment buffers, kept for the next model: a sweep creates a model for every replication (105
 * networks x 3 x 44 KB at yeast's shapes), and fresh memory costs a page fault per 4 KB on first touch (92,000 in a run to
 * reliability 0.7). A buffer is taken when it is large enough; none is kept while a larger one has to be allocated, so
 * the spares never add to the largest model's memory, and at most 64 MB are kept.
 */
class SpareBuffers {
 public:
  AlignedFloats take(size_t size) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto fits = std::find_if(spare_.begin(), spare_.end(), [&](const AlignedFloats& b) { return b.capacity() >= size; });
    if (fits == spare_.end()) {
      spare_.clear();
      return {};
    }
    AlignedFloats buffer = std::move(*fits);
    spare_.erase(fits);
    return buffer;
  }
  void give(AlignedFloats&& buffer) {
    std::lock_guard<std::mutex> lock(mutex_);
    size_t floats = buffer.capacity();
    for (const auto& b : spare_) floats += b.capacity();
    if (spare_.size() < kept && floats * sizeof(float) <= keptBytes) spare_.push_back(std::move(buffer));
  }

 private:
  static constexpr size_t kept = 3;  // one model's weights and two moments
  // a large sweep's batches (up to 256 MB at 174 tasks) are freed rather than held past the sweep's end
  static constexpr size_t keptBytes = size_t(64) << 20;
  std::mutex mutex_;
  std::vector<AlignedFloats> spare_;
};

/** The process's spare buffers (never destroyed: a model's finalizer may run as the process exits). */
SpareBuffers& spareBuffers() {
  static SpareBuffers* spare = new SpareBuffers();
  return *spare;
}

/** `size` copies of `value` in a spare buffer when one is large enough. */
AlignedFloats reused(size_t size, float value) {
  AlignedFloats buffer = spareBuffers().take(size);
  buffer.assign(size, value);
  return buffer;
}

struct Scratch;

/**
 * A model's helper threads, started with it and kept until it is freed: a replication calls the trainer about 50 times
 * (an epoch, a validation pass, a test pass at improvements), and a thread started per call would cost its start, a
 * fresh stack and scratch each time. run(job) hands the job to the helpers, runs it on the calling thread too and
 * returns when every thread that took it has returned; a helper that wakes after the caller finished does not take it.
 */
class Helpers {
 public:
  explicit Helpers(int count) {
    for (int t = 0; t < count; t++) threads_.emplace_back([this] { serve(); });
  }
  ~Helpers() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
  }
  int count() const { return int(threads_.size()); }
  void run(int helpers, const std::function<void()>& job) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = &job;
      open_ = helpers;
    }
    if (helpers > 0) wake_.notify_all();
    job();
    std::unique_lock<std::mutex> lock(mutex_);
    open_ = 0;
    finished_.wait(lock, [&] { return running_ == 0; });
    job_ = nullptr;
  }

 private:
  void serve() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return stopping_ || open_ > 0; });
      if (stopping_) return;
      open_--;
      running_++;
      const std::function<void()>* job = job_;
      lock.unlock();
      (*job)();
      lock.lock();
      if (--running_ == 0) finished_.notify_one();
    }
  }
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_, finished_;
  const std::function<void()>* job_ = nullptr;
  int open_ = 0, running_ = 0;
  bool stopping_ = false;
};

struct Model {
  ~Model() { release(); }
  /** Joins the helpers and hands the weight and moment buffers to the next model; the model cannot be used after. */
  void release() {
    helpers.reset();
    for (auto* buffer : {&w, &m, &v})
      if (buffer->capacity() > 0) spareBuffers().give(std::move(*buffer));
    released = true;
  }
  bool released = false;
  std::unique_ptr<Helpers> helpers;
  std::vector<int> widths;  // d, hidden..., S
  int layers = 0;           // widths.size() - 1
  int slots = 0, tasks = 0, networks = 0, threads = 1;
  size_t parameters = 0;                                  // per network
  size_t stride = 0;  // floats from a network's block to the next: parameters rounded up to whole cache lines
  std::vector<size_t> weightOffset, biasOffset;           // per layer, into a network's block
  AlignedFloats w, m, v;                                  // [networks x stride]
  std::vector<int> slotTask;                              // [networks x S]
  std::vector<float> slotWeight;                          // [networks x S], 0 for empty slots
  std::vector<uint8_t> slotBinary;                        // [networks x S]
  Part train, validation, test;
  double learningRate = 1e-3, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
  int steps = 0;
  int maxWidth = 0;
};

/** Scratch of one thread for batches of up to `rows` rows. */
struct Scratch {
  std::vector<AlignedFloats> act;  // act[l]: input of layer l [rows x widths[l]]; act[layers]: output
  AlignedFloats upstream, down, transposed, gradient;
  Scratch(const Model& model, int rows) {
    act.resize(model.layers + 1);
    for (int l = 0; l <= model.layers; l++) act[l].resize(size_t(rows) * model.widths[l]);
    const size_t wide = size_t(rows) * model.maxWidth;
    upstream.resize(wide);
    down.resize(wide);
    transposed.resize(std::max(wide, size_t(model.maxWidth) * model.maxWidth));
    gradient.resize(size_t(model.maxWidth) * model.maxWidth + model.maxWidth);
  }
};

/** Forward pass of network k over `rows` rows of x (row-major [rows x d]); leaves the layers' inputs and the output in s.act. */
void forward(const Model& model, int k, const float* x, int rows, Scratch& s) {
  const float* w = model.w.data() + size_t(k) * model.stride;
  const float* input = x;
  for (int l = 0; l < model.layers; l++) {
    const int in = model.widths[l], out = model.widths[l + 1];
    const float* weight = w + model.weightOffset[l];
    const float* bias = w + model.biasOffset[l];
    float* z = s.act[l + 1].data();
    if (l < model.layers - 1)
      gemm<Start::Bias, Finish::Relu>(rows, in, out, input, in, 1, weight, z, {bias});
    else
      gemm<Start::Bias, Finish::Plain>(rows, in, out, input, in, 1, weight, z, {bias});
    input = z;
  }
}

inline float bce(float o, float y) { return std::max(o, 0.0f) - o * y + std::log1p(std::exp(-std::fabs(o))); }

/** Adam's update of n parameters with the hardware's square root and division. */
void adamHardware(const Model& model, float* w, float* m, float* v, const float* g, size_t n, float stepSize, float epsilon) {
  const float b1 = float(model.beta1), b2 = float(model.beta2), c1 = float(1 - model.beta1), c2 = float(1 - model.beta2);
  for (size_t i = 0; i < n; i++) {
    const float mi = m[i] * b1 + g[i] * c1;
    const float vi = v[i] * b2 + (g[i] * g[i]) * c2;
    m[i] = mi;
    v[i] = vi;
    w[i] -= (mi / (std::sqrt(vi) + epsilon)) * stepSize;
  }
}

#ifdef __AVX512F__
// Adam's square root in software, its division in hardware. On an Intel Xeon (family 6 model 167) vsqrtps and vdivps
// share one divider (a register of 16 floats: 13 and 11 cycles), which bounds the hardware pass; a square root from
// vrsqrt14ps and FMAs runs on the two FMA pipes instead, beside the division. Measured (npm run bench:adam, thread
// CPU time, yeast's layers in L2): 4.0-4.4 against 6.1-6.4 ns per 16 parameters. The division stays in hardware: a
// correctly rounded one in software (vrcp14ps, two Newton steps, Markstein's correction of the quotient) took 7.7 ns
// with the square root, more than the divider, and splitting the divisions between the divider and that software
// division was slower too (see adamSoftware): with the square roots on them, the FMA pipes are the bottleneck. Both
// passes give the same bits: checkAdam compares them.

/**
 * Bits of 2^-100. The residual v - g^2 in sqrtRounded is a multiple of about v 2^-46, exact only while that is above
 * the least subnormal, 2^-149: the exhaustive check finds misrounded square roots from 2^-103 down.
 */
constexpr int32_t SOFTWARE_SQRT_LOWEST = 0x0d800000;

/** Lanes sqrtRounded leaves to vsqrtps: v below 2^-100 (zero included), negative, infinite or NaN. */
inline __mmask16 sqrtInHardware(__m512 v) {
  const __m512i above = _mm512_sub_epi32(_mm512_castps_si512(v), _mm512_set1_epi32(SOFTWARE_SQRT_LOWEST));
  return _mm512_cmp_epu32_mask(above, _mm512_set1_epi32(0x7f800000 - SOFTWARE_SQRT_LOWEST), _MM_CMPINT_NLT);
}

/**
 * The correctly rounded square root: y ~ 1/sqrt(v) from vrsqrt14ps (relative error < 2^-14); one coupled Newton step
 * takes g = v y ~ sqrt(v) and h = y / 2 ~ 1 / (2 sqrt(v)) to about 2^-28; then g + (v - g^2) h, the residual exact in
 * one FMA, rounds once to sqrt(v) (checkAdam compares every non-negative float with vsqrtps).
 */
inline __m512 sqrtRounded(__m512 v) {
  // maskz with every lane: the unmasked intrinsics trip -Wuninitialized in GCC 12's header
  const __m512 half = _mm512_set1_ps(0.5f), y = _mm512_maskz_rsqrt14_ps(0xffff, v);
  __m512 g = _mm512_mul_ps(v, y), h = _mm512_mul_ps(y, half);
  const __m512 r = _mm512_fnmadd_ps(g, h, half);
  g = _mm512_fmadd_ps(g, r, g);
  h = _mm512_fmadd_ps(h, r, h);
  const __m512 s = _mm512_fmadd_ps(_mm512_fnmadd_ps(g, g, v), h, g);
  const __mmask16 hardware = sqrtInHardware(v);
  return hardware ? _mm512_mask_sqrt_ps(s, hardware, v) : s;  // rare in training: 0.2% of a yeast sweep's registers
}

/**
 * adamHardware's update, 16 parameters a register; of every SOFT + HARD registers, the square roots of SOFT are
 * sqrtRounded's, on the FMA pipes, and those of HARD vsqrtps's, on the divider beside the divisions.
 */
template <int SOFT, int HARD>
void adamSplit(const Model& model, float* w, float* m, float* v, const float* g, size_t n, float stepSize, float epsilon) {
  const __m512 b1 = _mm512_set1_ps(float(model.beta1)), b2 = _mm512_set1_ps(float(model.beta2));
  const __m512 c1 = _mm512_set1_ps(float(1 - model.beta1)), c2 = _mm512_set1_ps(float(1 - model.beta2));
  const __m512 e = _mm512_set1_ps(epsilon), step = _mm512_set1_ps(stepSize);
  // adamHardware's roundings as the compiler fuses them: m b1 + RN(g c1), v b2 + RN(RN(g g) c2) and w - q step
  const auto moments = [&](size_t i, __mmask16 lanes, bool software, __m512& mi, __m512& d) {
    const __m512 gi = _mm512_maskz_loadu_ps(lanes, g + i);
    mi = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(lanes, m + i), b1, _mm512_mul_ps(gi, c1));
    const __m512 vi = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(lanes, v + i), b2, _mm512_mul_ps(_mm512_mul_ps(gi, gi), c2));
    _mm512_mask_storeu_ps(m + i, lanes, mi);
    _mm512_mask_storeu_ps(v + i, lanes, vi);
    d = _mm512_add_ps(software ? sqrtRounded(vi) : _mm512_maskz_sqrt_ps(0xffff, vi), e);
  };
  const auto update = [&](size_t i, __mmask16 lanes, __m512 q) {
    _mm512_mask_storeu_ps(w + i, lanes, _mm512_fnmadd_ps(q, step, _mm512_maskz_loadu_ps(lanes, w + i)));
  };
  constexpr int REGISTERS = SOFT + HARD;
  size_t i = 0;
  // several registers' square roots before their divisions: one register's chain alone waits on its own latencies
  // (measured: 4.9-5.3 against 4.0-4.4 ns per 16 parameters with two registers, both divided in hardware)
  for (; i + 16 * REGISTERS <= n; i += 16 * REGISTERS) {
    __m512 mi[REGISTERS], d[REGISTERS];
    for (int r = 0; r < REGISTERS; r++) moments(i + 16 * r, 0xffff, r < SOFT, mi[r], d[r]);
    for (int r = 0; r < REGISTERS; r++) update(i + 16 * r, 0xffff, _mm512_div_ps(mi[r], d[r]));
  }
  for (; i < n; i += 16) {
    const __mmask16 lanes = n - i >= 16 ? 0xffff : __mmask16((1u << (n - i)) - 1);
    __m512 mi, d;
    moments(i, lanes, true, mi, d);
    update(i, lanes, _mm512_div_ps(mi, d));
  }
}

/**
 * The trainer's pass on AVX-512: the FMA pipes, not the divider, bound adamSplit<2, 0> (about 13 cycles per register
 * against the divider's 10 for a division), so one square root in five goes back to vsqrtps. Measured (npm run
 * bench:adam, thread CPU time, load 3): 3.63-3.84 ns per 16 parameters against 3.96-4.14 for adamSplit<2, 0>, the pass
 * before, and 3.66-3.91 for 3:1, 3.63-3.96 for 5:1, 3.70-3.95 for 4:0 and 3:0. Dividing some registers in software instead
 * (vrcp14ps, two Newton steps, Markstein's correction) made it slower at every ratio (3:1 to 1:2: 4.2-4.9 ns).
 */
void adamSoftware(const Model& model, float* w, float* m, float* v, const float* g, size_t n, float stepSize, float epsilon) {
  adamSplit<4, 1>(model, w, m, v, g, n, stepSize, epsilon);
}

/** What checkAdam compared and how many results differed. */
struct AdamCheck {
  double sqrtMismatches = 0, sqrtSoftwareLanes = 0;  // every float's bits (2^32)
  double adamMismatches = 0, adamValues = 0;         // w, m and v after adamSoftware and adamHardware
};

/**
 * The software path against the hardware's, for the tests: sqrtRounded against vsqrtps on every float (zeros,
 * subnormals, negatives, infinities and NaNs included; a few seconds), then adamSoftware against adamHardware, three steps
 * each, on random states whose exponents span the float range (subnormals, zeros, a few infinities and NaNs), with
 * every tail length and a yeast first layer's size.
 */
AdamCheck checkAdam() {
  AdamCheck check;
  const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  for (uint64_t bits = 0; bits < (uint64_t(1) << 32); bits += 16) {
    const __m512 v = _mm512_castsi512_ps(_mm512_add_epi32(_mm512_set1_epi32(int32_t(bits)), lane));
    const __m512i soft = _mm512_castps_si512(sqrtRounded(v)), hard = _mm512_castps_si512(_mm512_maskz_sqrt_ps(0xffff, v));
    check.sqrtMismatches += __builtin_popcount(_mm512_cmpneq_epi32_mask(soft, hard));
    check.sqrtSoftwareLanes += 16 - __builtin_popcount(sqrtInHardware(v));
  }
  uint64_t state = 1;
  const auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return uint32_t(state >> 32);
  };
  const auto wide = [&](bool negative) {  // exponent uniform in [-150, 20]; 1 in 1,000 infinite or NaN
    const uint32_t r = next();
    if (r % 1000 == 0) return r & 2 ? INFINITY : NAN;
    if (r % 20 == 1) return 0.0f;
    const float x = std::ldexp(1.0f + float(next() >> 9) * 0x1p-23f, int(r >> 8) % 171 - 150);
    return negative && (r & 4) ? -x : x;
  };
  Model model;  // only Adam's constants are read
  for (int pass = 0; pass < 400; pass++) {
    const size_t n = pass < 396 ? 1 + pass % 99 : 6656 + pass;
    std::vector<float> w(n), m(n), v(n), g(n);
    for (size_t i = 0; i < n; i++) w[i] = wide(true), m[i] = wide(true), v[i] = wide(false), g[i] = wide(true);
    std::vector<float> w2 = w, m2 = m, v2 = v;
    for (int t = 0; t < 3; t++) {
      const float stepSize = std::ldexp(1.0f, -int(next() % 14)), epsilon = std::ldexp(1.0f + float(next() % 100) / 100, -int(next() % 60));
      adamSoftware(model, w.data(), m.data(), v.data(), g.data(), n, stepSize, epsilon);
      adamHardware(model, w2.data(), m2.data(), v2.data(), g.data(), n, stepSize, epsilon);
    }
    for (size_t i = 0; i < n; i++)
      check.adamMismatches += (std::memcmp(&w[i], &w2[i], 4) != 0) + (std::memcmp(&m[i], &m2[i], 4) != 0) + (std::memcmp(&v[i], &v2[i], 4) != 0);
    check.adamValues += 3.0 * n;
  }
  return check;
}
#endif

double threadSeconds();  // defined with the machine's peak, below

/** The median of timings (of an even count, the mean of the middle two); for fasterAdam and the benches. */
double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

using AdamPass = void (*)(const Model&, float*, float*, float*, const float*, size_t, float, float);

/**
 * The faster Adam pass on this CPU, timed once (about 0.2 ms) on a yeast first layer's shape, medians of alternating
 * runs in thread CPU time: both passes give the same bits, so the choice changes no number, and a CPU whose divider
 * is not the bottleneck keeps the hardware pass (on session 7's AMD Zen 5 Adam was bound by L2 traffic instead:
 * docs/BENCHMARKS.md; the software pass was not timed there).
 */
AdamPass fasterAdam(const Model& model) {
#ifdef __AVX512F__
  constexpr size_t n = 6656;
  std::vector<float> w(n, 0.5f), m(n, 0.0f), v(n, 0.0f), g(n);
  for (size_t i = 0; i < n; i++) g[i] = 1e-3f * float(int(i % 61) - 30);
  const AdamPass passes[2] = {adamHardware, adamSoftware};
  std::vector<double> seconds[2];
  for (int round = 0; round < 11; round++)
    for (int p = 0; p < 2; p++) {
      const double start = threadSeconds();
      for (int call = 0; call < 4; call++) passes[p](model, w.data(), m.data(), v.data(), g.data(), n, 1e-3f, 1e-8f);
      seconds[p].push_back(threadSeconds() - start);
    }
  return median(seconds[1]) < median(seconds[0]) ? adamSoftware : adamHardware;
#else
  (void)model;
  return adamHardware;
#endif
}

void adam(const Model& model, float* w, float* m, float* v, const float* g, size_t n, float stepSize, float epsilon) {
  static const AdamPass pass = fasterAdam(model);  // at the process's first Adam update
  pass(model, w, m, v, g, n, stepSize, epsilon);
}

/**
 * One step of network k on a batch: forward, the loss's slope, backward layer by layer with each layer's Adam update
 * applied as soon as its gradient (and the slope it passes down) is computed.
 */
void step(Model& model, int k, const float* x, const float* y, int rows, float stepSize, float epsilon, Scratch& s) {
  forward(model, k, x, rows, s);
  const int S = model.slots, T = model.tasks, L = model.layers;
  const int* task = model.slotTask.data() + size_t(k) * S;
  const float* weight = model.slotWeight.data() + size_t(k) * S;
  const uint8_t* binary = model.slotBinary.data() + size_t(k) * S;
  const float* out = s.act[L].data();
  float* g = s.upstream.data();  // slope of the summed objective w.r.t. the current layer's output [rows x out]
  for (int r = 0; r < rows; r++)
    for (int j = 0; j < S; j++) {
      const float o = out[r * S + j], target = y[size_t(r) * T + task[j]];
      const float slope = binary[j] ? 1.0f / (1.0f + std::exp(-o)) - target : 2.0f * (o - target);
      g[r * S + j] = slope * (weight[j] / float(rows));
    }
  float* w = model.w.data() + size_t(k) * model.stride;
  float* m = model.m.data() + size_t(k) * model.stride;
  float* v = model.v.data() + size_t(k) * model.stride;
  for (int l = L - 1; l >= 0; l--) {
    const int in = model.widths[l], out = model.widths[l + 1];
    // dW = inputᵀ g
    const float* input = l > 0 ? s.act[l].data() : x;
    float* dW = s.gradient.data();
    gemm<Start::Zero, Finish::Plain>(in, rows, out, input, 1, in, g, dW);
    columnSums(rows, out, g, dW + size_t(in) * out);
    // d(input) = g Wᵀ, masked by the ReLU slope of the layer below, before W changes
    if (l > 0) {
      float* WT = s.transposed.data();
      transpose(in, out, w + model.weightOffset[l], WT);
      float* down = s.down.data();
      gemm<Start::Zero, Finish::Mask>(rows, out, in, g, out, 1, WT, down, {nullptr, s.act[l].data()});
      std::swap(s.upstream, s.down);
      g = s.upstream.data();
    }
    // weights and biases are adjacent in the block: one Adam pass over both
    const size_t offset = model.weightOffset[l];
    adam(model, w + offset, m + offset, v + offset, dW, size_t(in) * out + out, stepSize, epsilon);
  }
}

/**
 * This thread's scratch for batches of up to `rows` rows of `model`'s shapes, kept between calls (every value in it is
 * written before it is read); a few shapes at a time, for the batch and the evaluation chunk.
 */
Scratch& scratchFor(const Model& model, int rows) {
  struct Kept {
    std::vector<int> widths;
    int rows;
    std::unique_ptr<Scratch> scratch;
  };
  thread_local std::vector<Kept> kept;
  // the most recently used last, so that a call's two scratches (a batch's and an evaluation chunk's) never evict each other
  auto found = std::find_if(kept.begin(), kept.end(), [&](const Kept& k) { return k.rows == rows && k.widths == model.widths; });
  if (found != kept.end()) {
    std::rotate(found, found + 1, kept.end());
  } else {
    if (kept.size() == 4) kept.erase(kept.begin());
    kept.push_back({model.widths, rows, std::make_unique<Scratch>(model, rows)});
  }
  return *kept.back().scratch;
}

/** Runs `work(i, scratch)` for i in [0, count) on the model's threads, handing out indices one at a time. */
template <typename Work>
void parallel(const Model& model, int count, int rows, Work work) {
  std::atomic<int> next{0};
  const std::function<void()> run = [&]() {
    Scratch& s = scratchFor(model, rows);
    for (int i; (i = next.fetch_add(1)) < count;) work(i, s);
  };
  const int helpers = model.helpers ? std::min(model.helpers->count(), count - 1) : 0;
  if (helpers > 0)
    model.helpers->run(helpers, run);
  else
    run();
}

/** Rows of a part a forward pass of evaluation takes at a time. */
constexpr int EVALUATION_ROWS = 128;

/** Network k's mean loss per slot over a part's rows, into out [S]; s: scratch for EVALUATION_ROWS rows. */
void partLosses(const Model& model, const Part& part, int k, Scratch& s, float* out) {
  const int S = model.slots, T = model.tasks, d = model.widths[0];
  std::vector<double> sums(S, 0.0);
  for (int start = 0; start < part.rows; start += EVALUATION_ROWS) {
    const int n = std::min(EVALUATION_ROWS, part.rows - start);
    forward(model, k, &part.x[size_t(start) * d], n, s);
    const float* output = s.act[model.layers].data();
    for (int r = 0; r < n; r++)
      for (int j = 0; j < S; j++) {
        const float o = output[r * S + j], target = part.y[size_t(start + r) * T + model.slotTask[size_t(k) * S + j]];
        sums[j] += model.slotBinary[size_t(k) * S + j] ? bce(o, target) : (o - target) * (o - target);
      }
  }
  for (int j = 0; j < S; j++) out[j] = float(sums[j] / part.rows);
}

/**
 * One epoch of every network in `networks`, each followed at once by its validation losses and, when their weighted
 * total is below best[i] (the network's lowest so far, as the training loop keeps it), its test losses: one call and
 * one meeting of the threads per epoch instead of three, each network evaluated while its weights are in cache.
 * Returns [2 x networks x S]: the validation losses, then the test losses (NaN where not evaluated). The totals and
 * the comparison are those of src/engine/native.ts (float products summed in double, rounded to float); they only
 * decide what to evaluate ahead, since the training loop still chooses, and asks again for any test loss not evaluated.
 */
std::vector<float> trainEpoch(Model& model, const int32_t* order, int rows, int batchSize, const std::vector<int>& networks, const float* best) {
  const int d = model.widths[0], T = model.tasks, S = model.slots;
  const int batches = (rows + batchSize - 1) / batchSize;
  std::vector<float> x(size_t(rows) * d), y(size_t(rows) * T);
  for (int r = 0; r < rows; r++) {
    std::memcpy(&x[size_t(r) * d], &model.train.x[size_t(order[r]) * d], sizeof(float) * d);
    std::memcpy(&y[size_t(r) * T], &model.train.y[size_t(order[r]) * T], sizeof(float) * T);
  }
  const size_t n = networks.size();
  std::vector<float> losses(2 * n * S, std::nanf(""));
  const int firstStep = model.steps;
  parallel(model, int(n), batchSize, [&](int i, Scratch& s) {
    const int k = networks[i];
    for (int b = 0; b < batches; b++) {
      const int t = firstStep + b + 1;
      const double secondCorrection = std::sqrt(1 - std::pow(model.beta2, t));
      const float stepSize = float(model.learningRate * secondCorrection / (1 - std::pow(model.beta1, t)));
      const float epsilon = float(model.epsilon * secondCorrection);
      const int start = b * batchSize, rowsHere = std::min(batchSize, rows - start);
      step(model, k, &x[size_t(start) * d], &y[size_t(start) * T], rowsHere, stepSize, epsilon, s);
    }
    Scratch& e = scratchFor(model, EVALUATION_ROWS);
    float* validation = &losses[size_t(i) * S];
    partLosses(model, model.validation, k, e, validation);
    double total = 0;
    for (int j = 0; j < S; j++) total += double(validation[j]) * double(model.slotWeight[size_t(k) * S + j]);
    if (float(total) < best[i]) partLosses(model, model.test, k, e, &losses[(n + i) * S]);
  });
  model.steps += batches;
  return losses;
}

/** Mean loss per slot over a part's rows, for each of `networks`: [networks x S]. */
std::vector<float> evaluate(const Model& model, const Part& part, const std::vector<int>& networks) {
  const int S = model.slots;
  std::vector<float> result(networks.size() * S);
  parallel(model, int(networks.size()), EVALUATION_ROWS,
           [&](int i, Scratch& s) { partLosses(model, part, networks[i], s, &result[size_t(i) * S]); });
  return result;
}

// ---------------------------------------------------------------------------------------------------------------------
// The machine's peak, measured for the benchmark's "share of peak": per thread, the rate of independent fused
// multiply-adds on the widest registers the build uses (as many chains as keep two FMA pipes busy), and the scalar
// clock (a chain of dependent integer additions, one per cycle) to express it per cycle. Both are timed in thread CPU
// time, so a loaded machine slows them only through its caches, not its scheduler.

double threadSeconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

struct CoreRate {
  double clockHz = 0, flopsPerSecond = 0;
};

CoreRate measureCore() {
  CoreRate rate;
  const long additions = 200000000;
  // Adds a register the compiler cannot see is 1: some cores' renamers fold additions of a small constant (an Intel Xeon,
  // family 6 model 167, ran a chain of `chain += 1` at 8 per cycle, a "clock" of 21 GHz), never a register's.
  unsigned long chain = 0, one = 1;
  asm volatile("" : "+r"(one));
  double start = threadSeconds();
  for (long i = 0; i < additions; i += 8)
    for (int u = 0; u < 8; u++) {
      chain += one;
      asm volatile("" : "+r"(chain));  // one dependent addition per step: no folding, no reordering
    }
  rate.clockHz = double(additions) / (threadSeconds() - start);
#ifdef TRA_AVX2
  typedef Widest V;
#else
  typedef float V __attribute__((vector_size(16)));
#endif
  constexpr int width = sizeof(V) / sizeof(float), CHAINS = 12;  // 12 chains cover 2 pipes x 4-6 cycles of latency
  V acc[CHAINS], scale, shift;
  for (int l = 0; l < width; l++) scale[l] = 0.999f, shift[l] = 0.001f;
  for (int c = 0; c < CHAINS; c++) acc[c] = scale * float(c);
  const long rounds = 20000000;
  start = threadSeconds();
  for (long i = 0; i < rounds; i++)
    for (int c = 0; c < CHAINS; c++) acc[c] = acc[c] * scale + shift;
  const double seconds = threadSeconds() - start;
  V total{};
  for (int c = 0; c < CHAINS; c++) total += acc[c];
  rate.flopsPerSecond = total[0] == 12345.0f ? 0 : 2.0 * width * CHAINS * double(rounds) / seconds;
  return rate;
}

/** One CoreRate per thread, all threads measuring at once (the clock of a fully loaded machine). */
std::vector<CoreRate> measurePeak(int threads) {
  std::vector<CoreRate> rates(threads);
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; t++) pool.emplace_back([&rates, t] { rates[t] = measureCore(); });
  rates[0] = measureCore();
  for (auto& t : pool) t.join();
  return rates;
}

#ifdef TRA_KERNELS_ONLY  // bench/native/*.cc include the kernels above without the glue
}  // namespace
#else

// ---------------------------------------------------------------------------------------------------------------------
// N-API glue

#define CHECK(call)                                                   \
  do {                                                                \
    if ((call) != napi_ok) {                                          \
      napi_throw_error(env, nullptr, "native trainer: " #call " failed"); \
      return nullptr;                                                 \
    }                                                                 \
  } while (0)

napi_value fail(napi_env env, const std::string& message) {
  napi_throw_error(env, nullptr, ("native trainer: " + message).c_str());
  return nullptr;
}

bool property(napi_env env, napi_value object, const char* name, napi_value* out) {
  bool has = false;
  return napi_has_named_property(env, object, name, &has) == napi_ok && has && napi_get_named_property(env, object, name, out) == napi_ok;
}

bool number(napi_env env, napi_value object, const char* name, double* out) {
  napi_value value;
  return property(env, object, name, &value) && napi_get_value_double(env, value, out) == napi_ok;
}

/** A typed array's elements (of the expected type) and length. */
template <typename T>
bool typedArray(napi_env env, napi_value value, napi_typedarray_type expected, const T** data, size_t* length) {
  napi_typedarray_type type;
  void* raw;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &type, length, &raw, &buffer, &offset) != napi_ok || type != expected) return false;
  *data = static_cast<const T*>(raw);
  return true;
}

template <typename T>
bool typedProperty(napi_env env, napi_value object, const char* name, napi_typedarray_type expected, const T** data, size_t* length) {
  napi_value value;
  return property(env, object, name, &value) && typedArray(env, value, expected, data, length);
}

bool readPart(napi_env env, napi_value spec, const char* name, int d, int T, Part* part) {
  napi_value object;
  double rows;
  const float *x, *y;
  size_t nx, ny;
  if (!property(env, spec, name, &object) || !number(env, object, "rows", &rows) ||
      !typedProperty(env, object, "features", napi_float32_array, &x, &nx) || !typedProperty(env, object, "targets", napi_float32_array, &y, &ny))
    return false;
  part->rows = int(rows);
  if (nx != size_t(part->rows) * d || ny != size_t(part->rows) * T) return false;
  part->x.assign(x, x + nx);
  part->y.assign(y, y + ny);
  return true;
}

Model* unwrap(napi_env env, napi_value value) {
  void* model = nullptr;
  if (napi_get_value_external(env, value, &model) != napi_ok) return nullptr;
  return static_cast<Model*>(model);
}

std::vector<int> networkList(napi_env env, napi_value value, const Model& model, bool* ok) {
  const int32_t* data;
  size_t length;
  std::vector<int> list;
  *ok = typedArray(env, value, napi_int32_array, &data, &length);
  for (size_t i = 0; *ok && i < length; i++) {
    if (data[i] < 0 || data[i] >= model.networks) *ok = false;
    list.push_back(data[i]);
  }
  return list;
}

napi_value floats(napi_env env, const float* values, size_t length) {
  napi_value buffer, array;
  void* data;
  if (napi_create_arraybuffer(env, length * sizeof(float), &data, &buffer) != napi_ok) return nullptr;
  std::memcpy(data, values, length * sizeof(float));
  if (napi_create_typedarray(env, napi_float32_array, length, buffer, 0, &array) != napi_ok) return nullptr;
  return array;
}

// create({ widths: Int32Array, tasks, threads, learningRate, slotTask: Int32Array, slotWeight: Float32Array,
//          slotBinary: Uint8Array, start: Float32Array (one network's parameters), train, validation, test })
napi_value Create(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value spec;
  CHECK(napi_get_cb_info(env, info, &argc, &spec, nullptr, nullptr));
  auto model = new Model();
  auto bad = [&](const char* what) {
    delete model;
    return fail(env, std::string("bad argument: ") + what);
  };
  const int32_t* widths;
  size_t nWidths;
  double tasks, threads, learningRate;
  if (!typedProperty(env, spec, "widths", napi_int32_array, &widths, &nWidths) || nWidths < 2) return bad("widths");
  if (!number(env, spec, "tasks", &tasks) || !number(env, spec, "threads", &threads) || !number(env, spec, "learningRate", &learningRate)) return bad("tasks/threads/learningRate");
  model->widths.assign(widths, widths + nWidths);
  model->layers = int(nWidths) - 1;
  model->slots = model->widths.back();
  model->tasks = int(tasks);
  model->threads = std::max(1, int(threads));
  model->learningRate = learningRate;
  for (int l = 0; l < model->layers; l++) {
    model->weightOffset.push_back(model->parameters);
    model->parameters += size_t(model->widths[l]) * model->widths[l + 1];
    model->biasOffset.push_back(model->parameters);
    model->parameters += model->widths[l + 1];
  }
  model->stride = (model->parameters + 15) / 16 * 16;
  model->maxWidth = *std::max_element(model->widths.begin(), model->widths.end());
  const int32_t* slotTask;
  const float *slotWeight, *start;
  const uint8_t* slotBinary;
  size_t nTask, nWeight, nBinary, nStart;
  if (!typedProperty(env, spec, "slotTask", napi_int32_array, &slotTask, &nTask) || !typedProperty(env, spec, "slotWeight", napi_float32_array, &slotWeight, &nWeight) ||
      !typedProperty(env, spec, "slotBinary", napi_uint8_array, &slotBinary, &nBinary) || nTask % model->slots != 0 || nWeight != nTask || nBinary != nTask)
    return bad("slotTask/slotWeight/slotBinary");
  model->networks = int(nTask / model->slots);
  for (size_t i = 0; i < nTask; i++)
    if (slotTask[i] < 0 || slotTask[i] >= model->tasks) return bad("slotTask");
  model->slotTask.assign(slotTask, slotTask + nTask);
  model->slotWeight.assign(slotWeight, slotWeight + nWeight);
  model->slotBinary.assign(slotBinary, slotBinary + nBinary);
  if (!typedProperty(env, spec, "start", napi_float32_array, &start, &nStart) || nStart != model->parameters) return bad("start");
  const size_t size = model->stride * model->networks;
  model->w = reused(size, 0.0f);
  for (int k = 0; k < model->networks; k++) std::memcpy(&model->w[k * model->stride], start, sizeof(float) * model->parameters);
  model->m = reused(size, 0.0f);
  model->v = reused(size, 0.0f);
  const int d = model->widths[0], T = model->tasks;
  if (!readPart(env, spec, "train", d, T, &model->train) || !readPart(env, spec, "validation", d, T, &model->validation) || !readPart(env, spec, "test", d, T, &model->test))
    return bad("train/validation/test");
  if (model->threads > 1) model->helpers = std::make_unique<Helpers>(model->threads - 1);
  napi_value external;
  CHECK(napi_create_external(env, model, [](napi_env, void* data, void*) { delete static_cast<Model*>(data); }, nullptr, &external));
  return external;
}

/** The call's `count` arguments, the first a model; null, with a JavaScript error pending, when they are not. */
Model* modelCall(napi_env env, napi_callback_info info, size_t count, napi_value* args, const char* usage) {
  size_t argc = count;
  Model* model = napi_get_cb_info(env, info, &argc, args, nullptr, nullptr) == napi_ok && argc == count ? unwrap(env, args[0]) : nullptr;
  if (!model) fail(env, usage);
  if (model && model->released) {
    fail(env, "the model was released");
    return nullptr;
  }
  return model;
}

// release(model): frees the model's threads and buffers now (its weights' buffers go to the next model) instead of when
// it is garbage-collected; the model cannot be used after. Releasing twice does nothing.
napi_value Release(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value arg;
  Model* model = napi_get_cb_info(env, info, &argc, &arg, nullptr, nullptr) == napi_ok && argc == 1 ? unwrap(env, arg) : nullptr;
  if (!model) return fail(env, "release(model)");
  if (!model->released) model->release();
  return nullptr;
}

// trainEpoch(model, order: Int32Array, batchSize, networks: Int32Array, best: Float32Array) -> Float32Array
// [2 x networks x S]: validation losses, then test losses where the validation total is below best (else NaN)
napi_value TrainEpoch(napi_env env, napi_callback_info info) {
  napi_value args[5];
  Model* model = modelCall(env, info, 5, args, "trainEpoch(model, order, batchSize, networks, best)");
  if (!model) return nullptr;
  const int32_t* order;
  size_t rows;
  double batchSize;
  bool ok;
  if (!typedArray(env, args[1], napi_int32_array, &order, &rows) || rows != size_t(model->train.rows)) return fail(env, "order must hold every training row once");
  for (size_t r = 0; r < rows; r++)
    if (order[r] < 0 || order[r] >= model->train.rows) return fail(env, "order must hold every training row once");
  if (napi_get_value_double(env, args[2], &batchSize) != napi_ok || batchSize < 1) return fail(env, "batchSize");
  const std::vector<int> networks = networkList(env, args[3], *model, &ok);
  if (!ok) return fail(env, "networks");
  const float* best;
  size_t nBest;
  if (!typedArray(env, args[4], napi_float32_array, &best, &nBest) || nBest != networks.size()) return fail(env, "best must hold one total per network");
  const std::vector<float> losses = trainEpoch(*model, order, int(rows), int(batchSize), networks, best);
  return floats(env, losses.data(), losses.size());
}

// evaluate(model, part: 'validation' | 'test', networks: Int32Array) -> Float32Array [networks x S]
napi_value Evaluate(napi_env env, napi_callback_info info) {
  napi_value args[3];
  Model* model = modelCall(env, info, 3, args, "evaluate(model, part, networks)");
  if (!model) return nullptr;
  char name[16];
  size_t length;
  if (napi_get_value_string_utf8(env, args[1], name, sizeof name, &length) != napi_ok) return fail(env, "part");
  const std::string part(name, length);
  if (part != "validation" && part != "test") return fail(env, "part must be validation or test");
  bool ok;
  const std::vector<int> networks = networkList(env, args[2], *model, &ok);
  if (!ok) return fail(env, "networks");
  const std::vector<float> losses = evaluate(*model, part == "test" ? model->test : model->validation, networks);
  return floats(env, losses.data(), losses.size());
}

// parameters(model, k) -> Float32Array: network k's weights, layer by layer (weight [in x out] row-major, then bias)
napi_value Parameters(napi_env env, napi_callback_info info) {
  napi_value args[2];
  Model* model = modelCall(env, info, 2, args, "parameters(model, k)");
  int32_t k;
  if (!model) return nullptr;
  if (napi_get_value_int32(env, args[1], &k) != napi_ok || k < 0 || k >= model->networks) return fail(env, "parameters(model, k)");
  return floats(env, &model->w[size_t(k) * model->stride], model->parameters);
}

// machinePeak(threads) -> [{ clockHz, flopsPerSecond }] per thread, measured at once (see measurePeak)
napi_value MachinePeak(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value arg;
  int32_t threads;
  if (napi_get_cb_info(env, info, &argc, &arg, nullptr, nullptr) != napi_ok || argc != 1 ||
      napi_get_value_int32(env, arg, &threads) != napi_ok || threads < 1 || threads > 1024)
    return fail(env, "machinePeak(threads)");
  const std::vector<CoreRate> rates = measurePeak(threads);
  napi_value list;
  CHECK(napi_create_array_with_length(env, rates.size(), &list));
  for (size_t t = 0; t < rates.size(); t++) {
    napi_value entry, clock, flops;
    CHECK(napi_create_object(env, &entry));
    CHECK(napi_create_double(env, rates[t].clockHz, &clock));
    CHECK(napi_create_double(env, rates[t].flopsPerSecond, &flops));
    CHECK(napi_set_named_property(env, entry, "clockHz", clock));
    CHECK(napi_set_named_property(env, entry, "flopsPerSecond", flops));
    CHECK(napi_set_element(env, list, uint32_t(t), entry));
  }
  return list;
}

#ifdef __AVX512F__
// checkAdam() -> { sqrtMismatches, sqrtSoftwareLanes, adamMismatches, adamValues } (see checkAdam; for the tests)
napi_value CheckAdam(napi_env env, napi_callback_info) {
  const AdamCheck check = checkAdam();
  napi_value result, value;
  CHECK(napi_create_object(env, &result));
  const std::pair<const char*, double> fields[] = {{"sqrtMismatches", check.sqrtMismatches},
                                                    {"sqrtSoftwareLanes", check.sqrtSoftwareLanes},
                                                    {"adamMismatches", check.adamMismatches},
                                                    {"adamValues", check.adamValues}};
  for (const auto& [name, number] : fields) {
    CHECK(napi_create_double(env, number, &value));
    CHECK(napi_set_named_property(env, result, name, value));
  }
  return result;
}
#endif

napi_value Init(napi_env env, napi_value exports) {
  const napi_property_descriptor methods[] = {
      {"create", nullptr, Create, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"trainEpoch", nullptr, TrainEpoch, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"evaluate", nullptr, Evaluate, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"parameters", nullptr, Parameters, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"release", nullptr, Release, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"machinePeak", nullptr, MachinePeak, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof methods / sizeof methods[0], methods);
#ifdef __AVX512F__
  const napi_property_descriptor check = {"checkAdam", nullptr, CheckAdam, nullptr, nullptr, nullptr, napi_default, nullptr};
  napi_define_properties(env, exports, 1, &check);
#endif
  napi_value simd;
#ifdef TRA_AVX2
  napi_get_boolean(env, true, &simd);
#else
  napi_get_boolean(env, false, &simd);
#endif
  napi_set_named_property(env, exports, "avx2", simd);
  return exports;
}

}  // namespace

NAPI_MODULE_INIT() { return Init(env, exports); }

#endif  // TRA_KERNELS_ONLY
