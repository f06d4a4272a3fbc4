import * as tf from '@tensorflow/tfjs';

/**
 * Adam (Kingma & Ba 2015) over a list of variables, with its moments held in the variables' own layout so that the
 * fused engine can drop finished networks from the moments exactly as from the weights (`keep`). It applies the
 * paper's efficient form, θ -= α·√(1−β₂ᵗ)/(1−β₁ᵗ) · m / (√v + ε·√(1−β₂ᵗ)), which equals tf.train.adam's update up to
 * float rounding in 12 element-wise passes instead of 14 (the update is memory-bound: 1.1 M weights on yeast).
 */
export class Adam {
  private firstMoments: tf.Tensor[];
  private secondMoments: tf.Tensor[];
  private steps = 0;

  constructor(
    variables: readonly tf.Variable[],
    private readonly learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {
    this.firstMoments = variables.map((v) => tf.zerosLike(v));
    this.secondMoments = variables.map((v) => tf.zerosLike(v));
  }

  /** One update of `variables` (the constructor's, in its order, or their `keep`-ed successors) with their gradients. */
  step(variables: readonly tf.Variable[], gradients: readonly tf.Tensor[]): void {
    this.steps++;
    const [first, second] = tf.tidy(() => {
      const { deltas, first, second } = this.update(gradients, this.steps, (moments) => moments);
      variables.forEach((v, i) => v.assign(tf.sub(v, deltas[i])));
      return [first.map((m) => tf.keep(m)), second.map((v) => tf.keep(v))]; // kept: step runs inside the caller's tidy
    });
    tf.dispose([...this.firstMoments, ...this.secondMoments]);
    this.firstMoments = first;
    this.secondMoments = second;
  }

  /**
   * What the next step would subtract from each variable for these gradients, without taking it: the moments are
   * first mapped by `spread` (e.g. copied to several lookahead networks laid out like the gradients). Neither the
   * moments nor the step count change.
   */
  nextUpdate(gradients: readonly tf.Tensor[], spread: (moments: tf.Tensor[]) => tf.Tensor[]): tf.Tensor[] {
    return this.update(gradients, this.steps + 1, spread).deltas;
  }

  private update(
    gradients: readonly tf.Tensor[],
    step: number,
    spread: (moments: tf.Tensor[]) => tf.Tensor[],
  ): { deltas: tf.Tensor[]; first: tf.Tensor[]; second: tf.Tensor[] } {
    const firstCorrection = 1 - this.beta1 ** step;
    const secondCorrection = Math.sqrt(1 - this.beta2 ** step);
    const stepSize = (this.learningRate * secondCorrection) / firstCorrection;
    const epsilon = this.epsilon * secondCorrection;
    const [firstMoments, secondMoments] = [spread(this.firstMoments), spread(this.secondMoments)];
    const first = gradients.map((g, i) => tf.add(tf.mul(firstMoments[i], this.beta1), tf.mul(g, 1 - this.beta1)));
    const second = gradients.map((g, i) =>
      tf.add(tf.mul(secondMoments[i], this.beta2), tf.mul(tf.square(g), 1 - this.beta2)),
    );
    const deltas = first.map((m, i) => tf.mul(tf.div(m, tf.add(tf.sqrt(second[i]), epsilon)), stepSize));
    return { deltas, first, second };
  }

  /** Replaces the moments by `select(moments)` (e.g. the rows of the networks that go on training). */
  keep(select: (moments: tf.Tensor[]) => tf.Tensor[]): void {
    const [first, second] = [select(this.firstMoments), select(this.secondMoments)];
    tf.dispose([...this.firstMoments, ...this.secondMoments]);
    this.firstMoments = first;
    this.secondMoments = second;
  }

  dispose(): void {
    tf.dispose([...this.firstMoments, ...this.secondMoments]);
  }
}
