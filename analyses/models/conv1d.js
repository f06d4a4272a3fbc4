// A small 1-D convolutional trunk over the emotions clips' 72 audio features, read as an ordered vector (the features
// come in blocks of related statistics, so neighbours are related): the model of analyses/emotions-conv1d.json.
// The toolkit adds one linear head per task, trains every network of the sweep with this trunk and hands in the tf
// namespace it trains with (never import @tensorflow/tfjs here: one tfjs-core per process).
//
// Each convolution has stride = kernel size, written as a dense layer applied to every window (a dense layer on a 3-D
// input shares its weights across the middle axis). That is the same function as tf.layers.conv1d with
// strides = kernelSize, and it trains on the wasm backend too, which has no gradient kernels for tfjs's convolutions
// (Conv2DBackpropFilter); tf.layers.conv1d works as well, on the tensorflow or (slow) cpu backend.

const WINDOW = 4;

/** @type {import('task-relations').TrunkBuilder} */
export function trunk(input, { tf, inputShape }) {
  const [width] = inputShape;
  if (width % (WINDOW * 3) !== 0) throw new Error(`expects a multiple of ${WINDOW * 3} features, got ${width}`);
  // [batch, 72] -> [batch, 18 windows, 4 features] -> 8 filters per window
  let x = tf.layers.reshape({ targetShape: [width / WINDOW, WINDOW] }).apply(input);
  x = tf.layers.dense({ units: 8, activation: 'relu', name: 'conv1' }).apply(x);
  // 3 neighbouring windows of 8 filters -> 16 filters: [batch, 6, 16]
  x = tf.layers.reshape({ targetShape: [width / WINDOW / 3, 3 * 8] }).apply(x);
  x = tf.layers.dense({ units: 16, activation: 'relu', name: 'conv2' }).apply(x);
  x = tf.layers.flatten().apply(x);
  return tf.layers.dense({ units: 32, activation: 'relu', name: 'representation' }).apply(x);
}
