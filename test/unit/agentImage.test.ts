// The agent's picture: a real 4-megapixel Flux-sized JPEG comes back ≤ 1024 px on its long side, same aspect,
// well under 5 MB, still the picture (colours kept); formats not read here and damaged files give none.
import * as assert from 'assert';
import sharp from 'sharp';
import { AGENT_IMAGE_MAX_SIDE, agentImage, shrinkToFit } from '../../src/jobs/agentImage';

describe('the image the agent sees', () => {
  it('a 2752 × 1536 JPEG becomes a 1024 × 572 JPEG well under 5 MB with the same colours', async function () {
    this.timeout(20_000);
    const left = { r: 200, g: 40, b: 40 };
    const right = { r: 30, g: 60, b: 220 };
    const half = await sharp({ create: { width: 1376, height: 1536, channels: 3, background: left } }).png().toBuffer();
    const original = await sharp({ create: { width: 2752, height: 1536, channels: 3, background: right } })
      .composite([{ input: half, left: 0, top: 0 }])
      .jpeg({ quality: 90 })
      .toBuffer();
    const started = Date.now();
    const small = agentImage(original, 'jpg');
    const ms = Date.now() - started;
    assert.ok(small);
    const meta = await sharp(small).metadata();
    assert.deepStrictEqual([meta.format, meta.width, meta.height], ['jpeg', AGENT_IMAGE_MAX_SIDE, 572]);
    assert.ok(small.length < 1024 * 1024, `${small.length} bytes`);
    const { data, info } = await sharp(small).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number) => [...data.subarray((200 * info.width + x) * info.channels, (200 * info.width + x) * info.channels + 3)];
    for (const [actual, expected] of [[at(100), left], [at(900), right]] as const) {
      assert.ok(Math.abs(actual[0] - expected.r) < 12 && Math.abs(actual[1] - expected.g) < 12 && Math.abs(actual[2] - expected.b) < 12, `${actual} vs ${JSON.stringify(expected)}`);
    }
    console.log(`      (decode + shrink + encode of 2752 × 1536: ${ms} ms, ${small.length} bytes)`);
  });

  it('leaves a small image as it is, and averages whole footprints when shrinking', () => {
    const tiny = { data: new Uint8Array(2 * 1 * 4).fill(7), width: 2, height: 1 };
    assert.strictEqual(shrinkToFit(tiny, 1024), tiny);
    const stripes = { data: new Uint8Array([0, 0, 0, 255, 255, 255, 255, 255, 0, 0, 0, 255, 255, 255, 255, 255]), width: 4, height: 1 };
    assert.deepStrictEqual([...shrinkToFit(stripes, 2).data], [128, 128, 128, 255, 128, 128, 128, 255]);
  });

  it('gives no picture for PNG and WebP (not read here) or a damaged JPEG', () => {
    assert.strictEqual(agentImage(new Uint8Array([0x89, 0x50, 0x4e, 0x47]), 'png'), undefined);
    assert.strictEqual(agentImage(new Uint8Array([0xff, 0xd8, 0xff, 0x00, 1, 2, 3]), 'jpg'), undefined);
  });
});
