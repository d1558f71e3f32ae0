// The client's option tables against the Apiframe contract as the simulator writes it down on its own
// (test/simulator/apiframe.ts): two independent copies of the documentation, so a wrong value in either fails.
import * as assert from 'assert';
import * as client from '../../src/shared/options';
import * as documented from '../simulator/apiframe';

describe('client options match the documented Apiframe contract', () => {
  it('model, ratios, formats, MIME types, prompt length and pixel sizes', () => {
    assert.strictEqual(client.MODEL_ID, documented.MODEL_ID);
    assert.deepStrictEqual([...client.ASPECT_RATIOS].sort(), [...documented.ASPECT_RATIOS].sort());
    assert.deepStrictEqual([...client.OUTPUT_FORMATS].sort(), [...documented.OUTPUT_FORMATS].sort());
    assert.deepStrictEqual(client.MIME_TYPES, documented.MIME_TYPES);
    assert.strictEqual(client.PROMPT_MAX_LENGTH, documented.PROMPT_MAX_LENGTH);
    assert.deepStrictEqual(client.ULTRA_SIZES, documented.ULTRA_SIZES);
  });
});
