import { shuffler } from 'd3-array';
import { randomLcg, randomNormal, randomUniform } from 'd3-random';

/** A seeded source of uniform numbers in [0, 1); the same seed gives the same stream on every platform. */
export type Random = () => number;

/** Derives independent streams from one user seed, so that e.g. the split and the initialisation do not share numbers. */
export function seededRandom(seed: number, stream = 0): Random {
  return randomLcg(((seed * 0x9e3779b1) ^ (stream * 0x85ebca77)) >>> 0 || 1);
}

export function permutation(n: number, random: Random): Int32Array {
  // a plain loop: Int32Array.from with a mapping function was 85% of this function's time in a yeast sweep
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  shuffler(random)(order);
  return order;
}

export function normalSampler(random: Random, mean = 0, sd = 1): () => number {
  return randomNormal.source(random)(mean, sd);
}

export function uniformSampler(random: Random, low: number, high: number): () => number {
  return randomUniform.source(random)(low, high);
}
