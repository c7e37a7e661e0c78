import { readFileSync } from 'node:fs';
import { SystemClock, bootstrapService } from '@duban/platform';
import { AppModule } from '../../apps/scheduler/src/app.module';

/**
 * The scheduler as the fault suite runs it: its own main and module, on a clock that stands
 * where the scenario says. `DUBAN_FAULT_CLOCK_FILE` holds an offset in milliseconds from real
 * time, re-read at most every 100 ms, so a scenario can put a deadline (midnight in China) a
 * few seconds ahead, or jump two days for escalations, and every replica agrees on "now".
 * Only the injected Clock moves: BullMQ delays, Kafka and token expiry keep real time, as the
 * scheduler's own integration test has it (it spies on Clock.now).
 */
const file = process.env.DUBAN_FAULT_CLOCK_FILE;
if (file) {
  let offset = 0;
  let readAt = 0;
  SystemClock.prototype.now = function now(): Date {
    const real = Date.now();
    if (real - readAt >= 100) {
      readAt = real;
      try {
        offset = Number(readFileSync(file, 'utf8').trim()) || 0;
      } catch {
        // Being rewritten: keep the last offset.
      }
    }
    return new Date(real + offset);
  };
}

void bootstrapService(AppModule);
