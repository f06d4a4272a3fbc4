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
// selection; this file only computes.
#include <node_api.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#if defined(__AVX2__) && defined(__FMA__)
#define TRA_AVX2 1
#endif

namespace {

// ---------------------------------------------------------------------------------------------------------------------
// C[M x N] (+)= A[M x K] * B[K x N], row-major, B and C with leading dimensions equal to their widths; A may be read
// transposed (strides), which spares copying a layer's input to transpose it for its weight gradient.

/**
 * C[M x N] (+)= op(A) B for N < 8 (a head with a few slots): as dot products over K of op(A)'s rows with B's columns,
 * so that K, not N, fills the vector lanes.
 */
void narrowGemm(int M, int K, int N, const float* A, int rs, int cs, const float* B, float* C, bool accumulate) {
  thread_local std::vector<float> row, column;
  row.resize(K);
  column.resize(size_t(K) * N);
  for (int k = 0; k < K; k++)
    for (int j = 0; j < N; j++) column[size_t(j) * K + k] = B[k * N + j];
  for (int i = 0; i < M; i++) {
    const float* a = A + size_t(i) * rs;
    if (cs != 1) {
      for (int k = 0; k < K; k++) row[k] = a[size_t(k) * cs];
      a = row.data();
    }
    for (int j = 0; j < N; j++) {
      const float* b = column.data() + size_t(j) * K;
      float lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};  // eight partial sums: the compiler vectorises this without reassociating
      int k = 0;
      for (; k + 8 <= K; k += 8)
        for (int l = 0; l < 8; l++) lanes[l] += a[k + l] * b[k + l];
      float sum = accumulate ? C[i * N + j] : 0.0f;
      for (int l = 0; l < 8; l++) sum += lanes[l];
      for (; k < K; k++) sum += a[k] * b[k];
      C[i * N + j] = sum;
    }
  }
}

#ifdef TRA_AVX2
// Registers of 8 and 16 floats as GCC/Clang vector types: one kernel template serves both widths, and a * b + c
// compiles to one FMA instruction (-ffp-contract=fast is the default outside ISO mode).
typedef float Lanes256 __attribute__((vector_size(32)));
typedef float Lanes512 __attribute__((vector_size(64)));

template <typename V, int MR, int NV>
inline int panels(int j, int K, int N, const float* A, int rs, int cs, const float* B, float* C, bool accumulate) {
  constexpr int width = sizeof(V) / sizeof(float);
  auto load = [](const float* p) {  // unaligned: rows of C and B start anywhere
    V v;
    std::memcpy(&v, p, sizeof v);
    return v;
  };
  for (; j + NV * width <= N; j += NV * width) {
    V acc[MR][NV];
    for (int r = 0; r < MR; r++)
      for (int v = 0; v < NV; v++) acc[r][v] = accumulate ? load(C + r * N + j + v * width) : V{};
    for (int k = 0; k < K; k++) {
      V b[NV];
      for (int v = 0; v < NV; v++) b[v] = load(B + k * N + j + v * width);
      for (int r = 0; r < MR; r++) {
        const float a = A[r * rs + k * cs];
        for (int v = 0; v < NV; v++) acc[r][v] += a * b[v];
      }
    }
    for (int r = 0; r < MR; r++)
      for (int v = 0; v < NV; v++) std::memcpy(C + r * N + j + v * width, &acc[r][v], sizeof(V));
  }
  return j;
}

template <int MR>
inline void rowsBlock(int K, int N, const float* A, int rs, int cs, const float* B, float* C, bool accumulate) {
  int j = 0;
#ifdef __AVX512F__
  // 512-bit lanes where the CPU has them (measured: 210 against 110 GFLOP/s per core on 64 x 103 x 64)
  j = panels<Lanes512, MR, 2>(j, K, N, A, rs, cs, B, C, accumulate);
#endif
  j = panels<Lanes256, MR, 2>(j, K, N, A, rs, cs, B, C, accumulate);
  j = panels<Lanes256, MR, 1>(j, K, N, A, rs, cs, B, C, accumulate);
  for (; j < N; j++)
    for (int r = 0; r < MR; r++) {
      float s = accumulate ? C[r * N + j] : 0.0f;
      for (int k = 0; k < K; k++) s += A[r * rs + k * cs] * B[k * N + j];
      C[r * N + j] = s;
    }
}

/** C[M x N] (+)= op(A) B, op(A)[i][k] = A[i * rs + k * cs]: rs = K, cs = 1 for A itself, rs = 1, cs = M for Aᵀ. */
void gemm(int M, int K, int N, const float* A, int rs, int cs, const float* B, float* C, bool accumulate) {
  if (N < 8) return narrowGemm(M, K, N, A, rs, cs, B, C, accumulate);
  int i = 0;
  for (; i + 6 <= M; i += 6) rowsBlock<6>(K, N, A + i * rs, rs, cs, B, C + i * N, accumulate);
  const float* a = A + i * rs;
  float* c = C + i * N;
  switch (M - i) {
    case 5: rowsBlock<5>(K, N, a, rs, cs, B, c, accumulate); break;
    case 4: rowsBlock<4>(K, N, a, rs, cs, B, c, accumulate); break;
    case 3: rowsBlock<3>(K, N, a, rs, cs, B, c, accumulate); break;
    case 2: rowsBlock<2>(K, N, a, rs, cs, B, c, accumulate); break;
    case 1: rowsBlock<1>(K, N, a, rs, cs, B, c, accumulate); break;
    default: break;
  }
}
#else
// Portable fallback (no AVX2/FMA at build time): the i-k-j order, which compilers vectorise over j.
void gemm(int M, int K, int N, const float* A, int rs, int cs, const float* B, float* C, bool accumulate) {
  if (N < 8) return narrowGemm(M, K, N, A, rs, cs, B, C, accumulate);
  for (int i = 0; i < M; i++) {
    float* c = C + i * N;
    if (!accumulate) std::fill(c, c + N, 0.0f);
    for (int k = 0; k < K; k++) {
      const float a = A[i * rs + k * cs];
      const float* b = B + k * N;
      for (int j = 0; j < N; j++) c[j] += a * b[j];
    }
  }
}
#endif

void transpose(int rows, int cols, const float* in, float* out) {
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++) out[c * rows + r] = in[r * cols + c];
}

// ---------------------------------------------------------------------------------------------------------------------

struct Part {
  int rows = 0;
  std::vector<float> x;  // [rows x d]
  std::vector<float> y;  // [rows x T]
};

struct Model {
  std::vector<int> widths;  // d, hidden..., S
  int layers = 0;           // widths.size() - 1
  int slots = 0, tasks = 0, networks = 0, threads = 1;
  size_t parameters = 0;                                  // per network
  std::vector<size_t> weightOffset, biasOffset;           // per layer, into a network's block
  std::vector<float> w, m, v;                             // [networks x parameters]
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
  std::vector<std::vector<float>> act;  // act[l]: input of layer l [rows x widths[l]]; act[layers]: output
  std::vector<float> grad, upstream, down, transposed, gradient;
  Scratch(const Model& model, int rows) {
    act.resize(model.layers + 1);
    for (int l = 0; l <= model.layers; l++) act[l].resize(size_t(rows) * model.widths[l]);
    const size_t wide = size_t(rows) * model.maxWidth;
    grad.resize(wide);
    upstream.resize(wide);
    down.resize(wide);
    transposed.resize(std::max(wide, size_t(model.maxWidth) * model.maxWidth));
    gradient.resize(size_t(model.maxWidth) * model.maxWidth + model.maxWidth);
  }
};

/** Forward pass of network k over `rows` rows of x (row-major [rows x d]); leaves the layers' inputs and the output in s.act. */
void forward(const Model& model, int k, const float* x, int rows, Scratch& s) {
  const float* w = model.w.data() + size_t(k) * model.parameters;
  const float* input = x;
  for (int l = 0; l < model.layers; l++) {
    const int in = model.widths[l], out = model.widths[l + 1];
    const float* weight = w + model.weightOffset[l];
    const float* bias = w + model.biasOffset[l];
    float* z = s.act[l + 1].data();
    for (int r = 0; r < rows; r++) std::memcpy(z + size_t(r) * out, bias, sizeof(float) * out);
    gemm(rows, in, out, input, in, 1, weight, z, true);
    if (l < model.layers - 1)
      for (size_t i = 0, n = size_t(rows) * out; i < n; i++) z[i] = z[i] > 0.0f ? z[i] : 0.0f;
    input = z;
  }
}

inline float bce(float o, float y) { return std::max(o, 0.0f) - o * y + std::log1p(std::exp(-std::fabs(o))); }

void adam(const Model& model, float* w, float* m, float* v, const float* g, size_t n, float stepSize, float epsilon) {
  const float b1 = float(model.beta1), b2 = float(model.beta2), c1 = float(1 - model.beta1), c2 = float(1 - model.beta2);
  for (size_t i = 0; i < n; i++) {
    const float mi = m[i] * b1 + g[i] * c1;
    const float vi = v[i] * b2 + (g[i] * g[i]) * c2;
    m[i] = mi;
    v[i] = vi;
    w[i] -= (mi / (std::sqrt(vi) + epsilon)) * stepSize;
  }
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
  float* w = model.w.data() + size_t(k) * model.parameters;
  float* m = model.m.data() + size_t(k) * model.parameters;
  float* v = model.v.data() + size_t(k) * model.parameters;
  for (int l = L - 1; l >= 0; l--) {
    const int in = model.widths[l], out = model.widths[l + 1];
    // dW = inputᵀ g
    const float* input = l > 0 ? s.act[l].data() : x;
    float* dW = s.gradient.data();
    gemm(in, rows, out, input, 1, in, g, dW, false);
    float* dB = dW + size_t(in) * out;
    std::fill(dB, dB + out, 0.0f);
    for (int r = 0; r < rows; r++)
      for (int j = 0; j < out; j++) dB[j] += g[r * out + j];
    // d(input) = g Wᵀ, masked by the ReLU slope of the layer below, before W changes
    if (l > 0) {
      float* WT = s.transposed.data();
      transpose(in, out, w + model.weightOffset[l], WT);
      float* down = s.down.data();
      gemm(rows, out, in, g, out, 1, WT, down, false);
      const float* a = s.act[l].data();
      for (size_t i = 0, n = size_t(rows) * in; i < n; i++) down[i] = a[i] > 0.0f ? down[i] : 0.0f;
      std::swap(s.upstream, s.down);
      g = s.upstream.data();
    }
    // weights and biases are adjacent in the block: one Adam pass over both
    const size_t offset = model.weightOffset[l];
    adam(model, w + offset, m + offset, v + offset, dW, size_t(in) * out + out, stepSize, epsilon);
  }
}

/** Runs `work(i, scratch)` for i in [0, count) on the model's threads, handing out indices one at a time. */
template <typename Work>
void parallel(const Model& model, int count, int rows, Work work) {
  std::atomic<int> next{0};
  auto run = [&]() {
    Scratch s(model, rows);
    for (int i; (i = next.fetch_add(1)) < count;) work(i, s);
  };
  const int threads = std::max(1, std::min(model.threads, count));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; t++) pool.emplace_back(run);
  run();
  for (auto& t : pool) t.join();
}

void trainEpoch(Model& model, const int32_t* order, int rows, int batchSize, const std::vector<int>& networks) {
  const int d = model.widths[0], T = model.tasks;
  const int batches = (rows + batchSize - 1) / batchSize;
  std::vector<float> x(size_t(rows) * d), y(size_t(rows) * T);
  for (int r = 0; r < rows; r++) {
    std::memcpy(&x[size_t(r) * d], &model.train.x[size_t(order[r]) * d], sizeof(float) * d);
    std::memcpy(&y[size_t(r) * T], &model.train.y[size_t(order[r]) * T], sizeof(float) * T);
  }
  const int firstStep = model.steps;
  parallel(model, int(networks.size()), batchSize, [&](int i, Scratch& s) {
    for (int b = 0; b < batches; b++) {
      const int t = firstStep + b + 1;
      const double secondCorrection = std::sqrt(1 - std::pow(model.beta2, t));
      const float stepSize = float(model.learningRate * secondCorrection / (1 - std::pow(model.beta1, t)));
      const float epsilon = float(model.epsilon * secondCorrection);
      const int start = b * batchSize, n = std::min(batchSize, rows - start);
      step(model, networks[i], &x[size_t(start) * d], &y[size_t(start) * T], n, stepSize, epsilon, s);
    }
  });
  model.steps += batches;
}

/** Mean loss per slot over a part's rows, for each of `networks`: [networks x S]. */
std::vector<float> evaluate(const Model& model, const Part& part, const std::vector<int>& networks) {
  const int S = model.slots, T = model.tasks, d = model.widths[0];
  constexpr int CHUNK = 128;
  std::vector<float> result(networks.size() * S);
  parallel(model, int(networks.size()), CHUNK, [&](int i, Scratch& s) {
    const int k = networks[i];
    std::vector<double> sums(S, 0.0);
    for (int start = 0; start < part.rows; start += CHUNK) {
      const int n = std::min(CHUNK, part.rows - start);
      forward(model, k, &part.x[size_t(start) * d], n, s);
      const float* out = s.act[model.layers].data();
      for (int r = 0; r < n; r++)
        for (int j = 0; j < S; j++) {
          const float o = out[r * S + j], target = part.y[size_t(start + r) * T + model.slotTask[size_t(k) * S + j]];
          sums[j] += model.slotBinary[size_t(k) * S + j] ? bce(o, target) : (o - target) * (o - target);
        }
    }
    for (int j = 0; j < S; j++) result[size_t(i) * S + j] = float(sums[j] / part.rows);
  });
  return result;
}

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
  model->w.resize(model->parameters * model->networks);
  for (int k = 0; k < model->networks; k++) std::memcpy(&model->w[k * model->parameters], start, sizeof(float) * model->parameters);
  model->m.assign(model->w.size(), 0.0f);
  model->v.assign(model->w.size(), 0.0f);
  const int d = model->widths[0], T = model->tasks;
  if (!readPart(env, spec, "train", d, T, &model->train) || !readPart(env, spec, "validation", d, T, &model->validation) || !readPart(env, spec, "test", d, T, &model->test))
    return bad("train/validation/test");
  napi_value external;
  CHECK(napi_create_external(env, model, [](napi_env, void* data, void*) { delete static_cast<Model*>(data); }, nullptr, &external));
  return external;
}

/** The call's `count` arguments, the first a model; null, with a JavaScript error pending, when they are not. */
Model* modelCall(napi_env env, napi_callback_info info, size_t count, napi_value* args, const char* usage) {
  size_t argc = count;
  Model* model = napi_get_cb_info(env, info, &argc, args, nullptr, nullptr) == napi_ok && argc == count ? unwrap(env, args[0]) : nullptr;
  if (!model) fail(env, usage);
  return model;
}

// trainEpoch(model, order: Int32Array, batchSize, networks: Int32Array)
napi_value TrainEpoch(napi_env env, napi_callback_info info) {
  napi_value args[4];
  Model* model = modelCall(env, info, 4, args, "trainEpoch(model, order, batchSize, networks)");
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
  trainEpoch(*model, order, int(rows), int(batchSize), networks);
  return nullptr;
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
  return floats(env, &model->w[size_t(k) * model->parameters], model->parameters);
}

napi_value Init(napi_env env, napi_value exports) {
  const napi_property_descriptor methods[] = {
      {"create", nullptr, Create, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"trainEpoch", nullptr, TrainEpoch, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"evaluate", nullptr, Evaluate, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"parameters", nullptr, Parameters, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof methods / sizeof methods[0], methods);
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
