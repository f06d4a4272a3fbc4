/**
 * A max-heap of (value, index) pairs in typed arrays: the largest value on top, the lowest index among equal values.
 * That order is a linear scan's "first strict maximum", so a lazy greedy that keeps stale values here picks exactly
 * what a scan over every fresh value would.
 */
export class MaxHeap {
  private readonly values: Float64Array;
  private readonly indices: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.values = new Float64Array(capacity);
    this.indices = new Int32Array(capacity);
  }

  /** Whether (value a, index i) comes before (value b, index j). */
  static before(a: number, i: number, b: number, j: number): boolean {
    return a > b || (a === b && i < j);
  }

  get topValue(): number {
    return this.values[0];
  }

  get topIndex(): number {
    return this.indices[0];
  }

  push(value: number, index: number): void {
    let at = this.size++;
    while (at > 0) {
      const up = (at - 1) >> 1;
      if (!MaxHeap.before(value, index, this.values[up], this.indices[up])) break;
      this.values[at] = this.values[up];
      this.indices[at] = this.indices[up];
      at = up;
    }
    this.values[at] = value;
    this.indices[at] = index;
  }

  /** Removes the top. */
  pop(): void {
    const last = --this.size;
    if (last <= 0) return;
    const value = this.values[last];
    const index = this.indices[last];
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= last) break;
      const right = left + 1;
      const child =
        right < last && MaxHeap.before(this.values[right], this.indices[right], this.values[left], this.indices[left])
          ? right
          : left;
      if (!MaxHeap.before(this.values[child], this.indices[child], value, index)) break;
      this.values[at] = this.values[child];
      this.indices[at] = this.indices[child];
      at = child;
    }
    this.values[at] = value;
    this.indices[at] = index;
  }
}
