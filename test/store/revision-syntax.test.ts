import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseApproxidate } from '../../lib/store/approxidate.ts';
import { parseRevisionRange, splitRevisionPath } from '../../lib/store/revision-syntax.ts';

const now = Date.parse('2026-11-20T12:00:00Z');
const ago = (seconds: number) => now / 1000 - seconds;

test('relative times as git reads them, short forms, ISO; anything else is undefined', () => {
  assert.is(parseApproxidate('now', now), ago(0));
  assert.is(parseApproxidate('yesterday', now), ago(86400));
  assert.is(parseApproxidate('2 hours ago', now), ago(7200));
  assert.is(parseApproxidate('2.hours.ago', now), ago(7200));
  assert.is(parseApproxidate('1 week ago', now), ago(604800));
  assert.is(parseApproxidate('1h', now), ago(3600));
  assert.is(parseApproxidate('30m', now), ago(1800));
  assert.is(parseApproxidate('2d', now), ago(172800));
  assert.is(parseApproxidate('2026-11-20T10:00Z', now), Date.parse('2026-11-20T10:00Z') / 1000);
  assert.is(parseApproxidate('soonish', now), undefined);
  assert.is(parseApproxidate('1 fortnight ago', now), undefined);
});

test('ranges and REV:PATH; the dots and colons inside @{...} belong to the revision', () => {
  assert.equal(parseRevisionRange('HEAD~1..HEAD'), { from: 'HEAD~1', to: 'HEAD', symmetric: false });
  assert.equal(parseRevisionRange('main...side'), { from: 'main', to: 'side', symmetric: true });
  assert.equal(parseRevisionRange('..HEAD~2'), { from: 'HEAD', to: 'HEAD~2', symmetric: false });
  assert.is(parseRevisionRange('main@{2.days.ago}'), undefined);
  assert.equal(parseRevisionRange('main@{2.days.ago}..main'), {
    from: 'main@{2.days.ago}',
    to: 'main',
    symmetric: false,
  });
  assert.equal(splitRevisionPath('HEAD:shop/configmaps/web-config.yaml'), ['HEAD', 'shop/configmaps/web-config.yaml']);
  assert.equal(splitRevisionPath('main@{2026-11-20 10:00}:shop/'), ['main@{2026-11-20 10:00}', 'shop/']);
  assert.equal(splitRevisionPath('HEAD~1'), ['HEAD~1', undefined]);
});

test.run();
