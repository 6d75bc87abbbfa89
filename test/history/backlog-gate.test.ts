// BacklogGate on its own: a source waits once the backlog reaches max, goes on when wake() finds room, and never
// waits while the writer is idle (held for a first sync, or stopped), since no commit would come to make room.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BacklogGate } from '../../lib/history/backlog-gate.ts';
import { settled } from './settled.ts';

function gate(max: number) {
  const state = { backlog: 0, idle: false };
  const backlogGate = new BacklogGate({ max, backlog: () => state.backlog, idle: () => state.idle });
  return { state, gate: backlogGate };
}

test('below max there is room; at max the source waits', () => {
  const { state, gate: g } = gate(3);
  state.backlog = 2;
  assert.is(g.roomForMore(), undefined);
  state.backlog = 3;
  assert.ok(g.roomForMore());
});

test('wake() lets every waiting source go once the backlog is below max, not before', async () => {
  const { state, gate: g } = gate(3);
  state.backlog = 5;
  const first = g.roomForMore();
  const second = g.roomForMore();
  g.wake();
  assert.not.ok(await settled(first), 'still full: nobody goes');
  state.backlog = 2;
  g.wake();
  assert.ok(await settled(first));
  assert.ok(await settled(second));
});

test('idle, nobody waits however full the backlog, and the waiting sources go', async () => {
  const { state, gate: g } = gate(3);
  state.backlog = 10;
  const waiting = g.roomForMore();
  state.idle = true;
  assert.is(g.roomForMore(), undefined, 'held or stopped: no wait');
  g.wake();
  assert.ok(await settled(waiting));
});

test.run();
