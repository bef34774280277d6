/**
 * A min-heap of (due time, task id): the tracker's one timer always sleeps until the
 * earliest entry. Rescheduling a task just pushes a new entry; the old one is recognised
 * as stale when it surfaces (its due time no longer matches), which keeps every operation
 * O(log n) for ten thousand watches.
 */
export interface DueEntry {
  at: number;
  taskId: string;
  /** What to do when due: ask the API, or carry on with download and delivery. */
  job: 'poll' | 'finish' | 'refresh';
}

export class DueQueue {
  readonly #heap: DueEntry[] = [];

  get size(): number {
    return this.#heap.length;
  }

  push(entry: DueEntry): void {
    const heap = this.#heap;
    heap.push(entry);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if ((heap[parent] as DueEntry).at <= entry.at) break;
      heap[index] = heap[parent] as DueEntry;
      index = parent;
    }
    heap[index] = entry;
  }

  peek(): DueEntry | undefined {
    return this.#heap[0];
  }

  pop(): DueEntry | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child =
        right < heap.length && (heap[right] as DueEntry).at < (heap[left] as DueEntry).at
          ? right
          : left;
      if ((heap[child] as DueEntry).at >= last.at) break;
      heap[index] = heap[child] as DueEntry;
      index = child;
    }
    heap[index] = last;
    return top;
  }
}
