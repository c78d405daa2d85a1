// A counting semaphore: at most `limit` repair calls of one batch run at a time.

export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter so a newcomer cannot slip in between.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
