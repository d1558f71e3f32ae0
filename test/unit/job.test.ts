// normalizeJob over every documented job shape and hostile ones, and parseRetryAfter.
import * as assert from 'assert';
import { parseRetryAfter } from '../../src/api/errors';
import { isFinished, normalizeJob, resultUrls } from '../../src/api/job';

const ID = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const URL_A = 'https://cdn.apiframe.ai/files/a.jpg';
const URL_B = 'https://cdn.apiframe.ai/files/b.jpg';

describe('normalizeJob', () => {
  it('reads a full documented COMPLETED job', () => {
    const job = normalizeJob({
      id: ID,
      status: 'COMPLETED',
      model: 'flux-1.1-pro-ultra',
      progress: 100,
      result: { images: [URL_A] },
      error: null,
      creditCost: 6,
      webhookStatus: null,
      createdAt: '2025-01-02T03:04:05.000Z',
      completedAt: '2025-01-02T03:04:20.500Z',
      input: { prompt: 'a fox' },
      expired: false,
    });
    assert.deepStrictEqual(job, {
      id: ID,
      status: 'COMPLETED',
      progress: 100,
      imageUrls: [URL_A],
      error: undefined,
      creditCost: 6,
      createdAt: Date.UTC(2025, 0, 2, 3, 4, 5),
      completedAt: Date.UTC(2025, 0, 2, 3, 4, 20, 500),
      expired: false,
      model: 'flux-1.1-pro-ultra',
      input: { prompt: 'a fox' },
    });
  });

  describe('result shapes', () => {
    const cases: Array<[string, unknown, string[]]> = [
      ['a string URL', URL_A, [URL_A]],
      ['{ images: [...] }', { images: [URL_A, URL_B] }, [URL_A, URL_B]],
      ['an array of URLs', [URL_A, URL_B], [URL_A, URL_B]],
      ['{ url }', { url: URL_B }, [URL_B]],
      ['BFL { sample }', { sample: URL_A }, [URL_A]],
      ['null', null, []],
      ['a number', 42, []],
      ['an empty object', {}, []],
      ['{ images: "not an array" }', { images: URL_A }, []],
    ];
    for (const [name, result, expected] of cases) {
      it(name, () => {
        assert.deepStrictEqual(normalizeJob({ id: ID, status: 'COMPLETED', result })?.imageUrls, expected);
        assert.deepStrictEqual(resultUrls(result), expected);
      });
    }

    it('drops non-http URLs (javascript:, file:, data:, relative, non-strings)', () => {
      const hostile = [
        'javascript:alert(1)',
        'file:///etc/passwd',
        'data:image/png;base64,AAAA',
        '/files/relative.jpg',
        'ftp://example.com/a.jpg',
        ' https://leading-space.example/a.jpg',
        42,
        null,
        { url: URL_A },
        URL_A,
        'HTTP://UPPER.EXAMPLE/b.jpg',
      ];
      assert.deepStrictEqual(resultUrls(hostile), [URL_A, 'HTTP://UPPER.EXAMPLE/b.jpg']);
      assert.deepStrictEqual(resultUrls({ images: hostile }), [URL_A, 'HTTP://UPPER.EXAMPLE/b.jpg']);
      assert.deepStrictEqual(resultUrls('javascript:alert(1)'), []);
      assert.deepStrictEqual(resultUrls({ url: 'file:///etc/passwd' }), []);
    });
  });

  describe('status', () => {
    it('accepts lower- and mixed-case statuses', () => {
      assert.strictEqual(normalizeJob({ id: ID, status: 'completed' })?.status, 'COMPLETED');
      assert.strictEqual(normalizeJob({ id: ID, status: 'Processing' })?.status, 'PROCESSING');
      assert.strictEqual(normalizeJob({ id: ID, status: 'queued' })?.status, 'QUEUED');
      assert.strictEqual(normalizeJob({ id: ID, status: 'failed' })?.status, 'FAILED');
    });

    it('CANCELLED is known and finished', () => {
      const job = normalizeJob({ id: ID, status: 'CANCELLED' });
      assert.strictEqual(job?.status, 'CANCELLED');
      assert.ok(isFinished(job!.status));
      assert.ok(!isFinished('PROCESSING') && !isFinished('QUEUED') && !isFinished('UNKNOWN'));
    });

    it('unknown, missing or non-string statuses become UNKNOWN', () => {
      for (const status of ['Ready', 'DONE', '', undefined, 3, null, { value: 'COMPLETED' }, 'COMPLETED ']) {
        assert.strictEqual(normalizeJob({ id: ID, status })?.status, 'UNKNOWN', JSON.stringify(status));
      }
    });
  });

  describe('progress', () => {
    it('clamps out-of-range values to 0–100', () => {
      assert.strictEqual(normalizeJob({ id: ID, status: 'PROCESSING', progress: 150 })?.progress, 100);
      assert.strictEqual(normalizeJob({ id: ID, status: 'PROCESSING', progress: -20 })?.progress, 0);
      assert.strictEqual(normalizeJob({ id: ID, status: 'PROCESSING', progress: 42.5 })?.progress, 42.5);
    });

    it('non-numeric progress falls back to 0, or 100 when COMPLETED', () => {
      for (const progress of [NaN, Infinity, '50', null, undefined]) {
        assert.strictEqual(normalizeJob({ id: ID, status: 'PROCESSING', progress })?.progress, 0, String(progress));
        assert.strictEqual(normalizeJob({ id: ID, status: 'COMPLETED', progress })?.progress, 100, String(progress));
      }
    });
  });

  describe('id', () => {
    it('uses id, then jobId, then the fallback', () => {
      assert.strictEqual(normalizeJob({ id: 'a', jobId: 'b' }, 'c')?.id, 'a');
      assert.strictEqual(normalizeJob({ jobId: 'b' }, 'c')?.id, 'b');
      assert.strictEqual(normalizeJob({ status: 'QUEUED' }, 'c')?.id, 'c');
      assert.strictEqual(normalizeJob({ id: 7 }, 'c')?.id, 'c');
    });

    it('is undefined without any id', () => {
      assert.strictEqual(normalizeJob({ status: 'QUEUED' }), undefined);
      assert.strictEqual(normalizeJob({ id: '' }), undefined);
    });
  });

  it('non-object payloads are undefined', () => {
    for (const raw of [null, undefined, 'COMPLETED', 42, true, [{ id: ID, status: 'COMPLETED' }], []]) {
      assert.strictEqual(normalizeJob(raw, ID), undefined, JSON.stringify(raw));
    }
  });

  describe('error', () => {
    it('as text', () => {
      assert.strictEqual(normalizeJob({ id: ID, status: 'FAILED', error: 'Flagged' })?.error, 'Flagged');
    });

    it('as an object { message }', () => {
      assert.strictEqual(normalizeJob({ id: ID, status: 'FAILED', error: { message: 'Flagged', code: 7 } })?.error, 'Flagged');
    });

    it('other shapes are ignored, long texts cut to 500 characters', () => {
      assert.strictEqual(normalizeJob({ id: ID, error: { code: 7 } })?.error, undefined);
      assert.strictEqual(normalizeJob({ id: ID, error: 12 })?.error, undefined);
      assert.strictEqual(normalizeJob({ id: ID, error: ['x'] })?.error, undefined);
      assert.strictEqual(normalizeJob({ id: ID, error: 'x'.repeat(5_000) })?.error?.length, 500);
      assert.strictEqual(normalizeJob({ id: ID, error: { message: 'y'.repeat(5_000) } })?.error?.length, 500);
    });
  });

  describe('timestamps', () => {
    it('ISO strings and epoch milliseconds', () => {
      const job = normalizeJob({ id: ID, createdAt: '2025-06-01T12:00:00Z', completedAt: 1_748_779_215_000 });
      assert.strictEqual(job?.createdAt, Date.UTC(2025, 5, 1, 12));
      assert.strictEqual(job?.completedAt, 1_748_779_215_000);
    });

    it('garbage is undefined', () => {
      const job = normalizeJob({ id: ID, createdAt: 'yesterday-ish', completedAt: NaN });
      assert.strictEqual(job?.createdAt, undefined);
      assert.strictEqual(job?.completedAt, undefined);
      assert.strictEqual(normalizeJob({ id: ID, createdAt: null, completedAt: {} })?.completedAt, undefined);
    });
  });

  it('creditCost, expired, model only when well-typed', () => {
    const good = normalizeJob({ id: ID, creditCost: 0, expired: true, model: 'flux-1.1-pro-ultra' });
    assert.strictEqual(good?.creditCost, 0);
    assert.strictEqual(good?.expired, true);
    assert.strictEqual(good?.model, 'flux-1.1-pro-ultra');
    const bad = normalizeJob({ id: ID, creditCost: '6', expired: 'true', model: 5 });
    assert.strictEqual(bad?.creditCost, undefined);
    assert.strictEqual(bad?.expired, false);
    assert.strictEqual(bad?.model, undefined);
  });
});

describe('parseRetryAfter', () => {
  const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);

  it('delay-seconds', () => {
    assert.strictEqual(parseRetryAfter('7', NOW), 7_000);
    assert.strictEqual(parseRetryAfter('0', NOW), 0);
    assert.strictEqual(parseRetryAfter('  120 ', NOW), 120_000);
  });

  it('decimal seconds', () => {
    assert.strictEqual(parseRetryAfter('1.5', NOW), 1_500);
    assert.strictEqual(parseRetryAfter('0.25', NOW), 250);
  });

  it('HTTP date in the future', () => {
    assert.strictEqual(parseRetryAfter('Wed, 01 Jan 2025 12:00:30 GMT', NOW), 30_000);
    assert.strictEqual(parseRetryAfter(new Date(NOW + 5_000).toUTCString(), NOW), 5_000);
  });

  it('HTTP date in the past means now', () => {
    assert.strictEqual(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', NOW), 0);
  });

  it('absent or unreadable is undefined', () => {
    for (const value of [null, undefined, '', '   ', 'soon', 'abc', '10 seconds', '1e3', '1,000', 'Infinity', '12abc']) {
      assert.strictEqual(parseRetryAfter(value, NOW), undefined, JSON.stringify(value));
    }
  });

  // Regression: V8's Date.parse is lenient: '-1', '+5', '-5.5'
  // and 'soon 1' all parse as dates in 2001, so parseRetryAfter returns 0 ("retry right now")
  // instead of undefined ("unreadable: use your own backoff").
  it('garbage that V8 Date.parse happens to accept is undefined, not 0', () => {
    for (const value of ['-1', '+5', '-5.5', 'soon 1', 'Foo 12']) {
      assert.strictEqual(parseRetryAfter(value, NOW), undefined, JSON.stringify(value));
    }
  });
});
