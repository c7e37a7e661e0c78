/** Where "now" comes from: injected so tests can stand on any date without waiting for it. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
