/**
 * Runs `work` over `items` with `concurrency` workers, as that many Lambda containers would: each
 * worker gets its own container state from `container()` and takes the next item when it is free.
 */
export async function inContainers<T, C>(
  items: readonly T[],
  concurrency: number,
  container: () => C,
  work: (item: T, index: number, container: C) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    const state = container();
    while (next < items.length) {
      const index = next++;
      await work(items[index] as T, index, state);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** A reproducible shuffle (Fisher–Yates) driven by `random`. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** `count` results of `make`, at most `size` at a time (seeding, through the seeding clients). */
export async function inBatches<T>(
  count: number,
  size: number,
  make: () => Promise<T>,
): Promise<T[]> {
  const out: T[] = [];
  while (out.length < count) {
    const n = Math.min(size, count - out.length);
    out.push(...(await Promise.all(Array.from({ length: n }, make))));
  }
  return out;
}
