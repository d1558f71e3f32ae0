// An agent turn's images: up to 8 pass, more need the user; a pause longer than the gap (measured from the
// end of the previous call) starts a new turn; other chats (tokens) count apart.
import * as assert from 'assert';
import { AgentTurns, TURN_GAP_MS, TURN_IMAGE_LIMIT } from '../../src/jobs/agentTurns';

describe('agent turns', () => {
  let now: number;
  let turns: AgentTurns;

  beforeEach(() => {
    now = 1_000_000;
    turns = new AgentTurns(() => now);
  });

  it('two calls of 4 fit, a third does not; another token counts apart', () => {
    assert.strictEqual(TURN_IMAGE_LIMIT, 8);
    for (let call = 0; call < 2; call++) {
      assert.strictEqual(turns.fits('a', 4), true);
      turns.count('a', 4);
      now += 30_000; // the images take a while
      turns.ended('a');
      now += 5_000;
    }
    assert.strictEqual(turns.fits('a', 1), false);
    assert.strictEqual(turns.current('a'), 8);
    assert.strictEqual(turns.fits('b', 4), true);
  });

  it('a call long after the previous one ended is a new turn, however long the previous call took', () => {
    turns.count('a', 8);
    now += 10 * TURN_GAP_MS; // a slow job
    turns.ended('a');
    now += TURN_GAP_MS - 1;
    assert.strictEqual(turns.fits('a', 1), false, 'still the same turn');
    now += 2;
    assert.strictEqual(turns.fits('a', 4), true, 'a new turn');
  });

  it('once the user allows more, the count starts again from that call', () => {
    turns.count('a', 8);
    turns.count('a', 4, true);
    assert.strictEqual(turns.current('a'), 4);
    assert.strictEqual(turns.fits('a', 4), true);
    assert.strictEqual(turns.fits('a', 5), false);
  });
});
