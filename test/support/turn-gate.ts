/**
 * Holds test turns at a point the test chooses, so that "the turn is still
 * running" is a state the test sets and ends, not a race against a sleep.
 */
export class TurnGate {
  private gate: Promise<void> | undefined;
  private release: (() => void) | undefined;
  /** How many turns have reached the gate (held or not). */
  arrived = 0;

  /** From now on, turns wait at the gate until `open`. */
  hold(): void {
    this.gate = new Promise<void>((resolve) => (this.release = resolve));
  }

  /** Lets the waiting turns (and every later one) through. */
  open(): void {
    this.release?.();
    this.gate = undefined;
    this.release = undefined;
  }

  /** Called by a test's turn logic. */
  async pass(): Promise<void> {
    this.arrived++;
    if (this.gate) await this.gate;
  }
}
