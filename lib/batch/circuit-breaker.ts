// Per-model circuit breaker for single-call batching: after `failureThreshold` batch calls in a row
// fail, that model's chunks go straight to parallel single calls for `cooldownMs`; then one batch
// call is tried again (half-open) and either closes the circuit or opens it for another cool-down.

export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;
  private halfOpenTrial = false;

  constructor(
    private readonly failureThreshold: number,
    private readonly cooldownMs: number,
  ) {}

  /** True while batching is suspended. Past the cool-down, lets exactly one trial call through. */
  isOpen(now: number): boolean {
    if (this.openUntil === 0) return false;
    if (now < this.openUntil) return true;
    if (this.halfOpenTrial) return true; // a trial is running; others keep going parallel
    this.halfOpenTrial = true;
    return false;
  }

  recordSuccess(): void {
    this.failures = 0;
    this.openUntil = 0;
    this.halfOpenTrial = false;
  }

  recordFailure(now: number): void {
    this.failures++;
    if (this.halfOpenTrial || this.failures >= this.failureThreshold) {
      this.openUntil = now + this.cooldownMs;
      this.halfOpenTrial = false;
    }
  }

  state(now: number): "closed" | "open" | "half-open" {
    if (this.openUntil === 0) return "closed";
    return now < this.openUntil ? "open" : "half-open";
  }
}
