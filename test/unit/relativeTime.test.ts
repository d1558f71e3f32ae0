import * as assert from 'assert';
import { relativeTime } from '../../src/shared/relativeTime';

describe('relative time', () => {
  const now = Date.UTC(2026, 11, 5, 12, 0, 0);
  const en = new Intl.RelativeTimeFormat('en', { numeric: 'auto', style: 'short' });
  const ko = new Intl.RelativeTimeFormat('ko', { numeric: 'auto', style: 'short' });

  it('says how long ago in the largest unit that fits', () => {
    assert.strictEqual(relativeTime(now - 2 * 60_000 - 5_000, now, en), '2 min. ago');
    assert.strictEqual(relativeTime(now - 3 * 3600_000, now, en), '3 hr. ago');
    assert.strictEqual(relativeTime(now - 26 * 3600_000, now, en), 'yesterday');
    assert.strictEqual(relativeTime(now - 10 * 24 * 3600_000, now, en), 'last wk.');
    assert.strictEqual(relativeTime(now - 400 * 24 * 3600_000, now, en), 'last yr.');
  });

  it('under a minute (or a clock that went back) is "now", in Korean too', () => {
    assert.strictEqual(relativeTime(now - 20_000, now, en), 'now');
    assert.strictEqual(relativeTime(now + 60_000, now, en), 'now');
    assert.strictEqual(relativeTime(now - 2 * 60_000, now, ko), '2분 전');
  });
});
