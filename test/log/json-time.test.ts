// A json log line's time is the Clock's, as every other time of a running watch is.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { systemClock } from '../../lib/health/index.ts';
import { createLogger } from '../../lib/log/index.ts';

test("a json line carries the clock's time", () => {
  const lines: string[] = [];
  const logger = createLogger({
    format: 'json',
    stream: { write: (line: string) => lines.push(line) },
    clock: { ...systemClock, now: () => Date.parse('2026-05-04T03:02:01.000Z') },
  });
  logger.info('committed', { changes: 2 });
  assert.equal(JSON.parse(lines[0]), {
    time: '2026-05-04T03:02:01.000Z',
    level: 'info',
    msg: 'committed',
    changes: 2,
  });
});

test.run();
