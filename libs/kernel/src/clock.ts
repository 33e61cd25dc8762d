/**
 * Port for the current time. Domain code asks a Clock instead of calling `new Date()`, so the statutory-clock rules
 * can be tested at any instant (after office hours, on Tết, on a make-up Saturday).
 */
export abstract class Clock {
  /** The current instant. */
  abstract now(): Date;
}

/** The machine's clock. */
export class SystemClock extends Clock {
  override now(): Date {
    return new Date();
  }
}

/** A clock that stays where it is put; for tests. */
export class FixedClock extends Clock {
  constructor(private current: Date) {
    super();
  }

  override now(): Date {
    return new Date(this.current.getTime());
  }

  /** Moves the clock to `instant`. */
  set(instant: Date): void {
    this.current = new Date(instant.getTime());
  }

  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
