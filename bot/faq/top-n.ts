/**
 * The n best of many scored items, best first, without sorting them all: a
 * min-heap of the n best so far, whose root is the score to beat. The FAQ
 * search touches thousands of questions per message on a large knowledge base
 * and keeps about 30.
 */
export interface Scored {
  score: number;
  id: number;
}

export function topN<T extends Scored>(items: Iterable<T>, n: number): T[] {
  const heap: T[] = [];
  const below = (i: number, j: number) => heap[i]!.score < heap[j]!.score;
  const swap = (i: number, j: number) => ([heap[i], heap[j]] = [heap[j]!, heap[i]!]);
  for (const item of items) {
    if (heap.length >= n && item.score <= heap[0]!.score) continue;
    if (heap.length < n) {
      heap.push(item);
      for (let i = heap.length - 1; i > 0 && below(i, (i - 1) >> 1); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
    } else {
      heap[0] = item;
      for (let i = 0; ; ) {
        const [l, r] = [2 * i + 1, 2 * i + 2];
        let m = i;
        if (l < heap.length && below(l, m)) m = l;
        if (r < heap.length && below(r, m)) m = r;
        if (m === i) break;
        swap(i, m);
        i = m;
      }
    }
  }
  return heap.sort((x, y) => y.score - x.score || x.id - y.id);
}
