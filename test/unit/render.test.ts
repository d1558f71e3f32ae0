// The simulator's images: small placeholders by default (fast tests), real-size ones on request
// (benchmarks measure downloads and thumbnails of the size Ultra really sends).
import * as assert from 'assert';
import sharp from 'sharp';
import { renderImage, type RenderSpec } from '../simulator/render';

const SPEC: RenderSpec = { prompt: 'A lighthouse on a rocky cliff at dusk', seed: 42, aspectRatio: '16:9', format: 'jpg', quality: 90, model: 'flux-1.1-pro-ultra' };
const MB = 1e6;

describe('simulator images', function () {
  // Texturing and encoding 4 MP takes a second or two on a busy machine.
  this.timeout(30_000);

  it('the default placeholder stays small', async () => {
    const jpeg = await renderImage(SPEC);
    assert.ok(jpeg.length < 0.5 * MB, `${jpeg.length} bytes`);
  });

  it("the 'photo' style has the byte size of real Ultra output, at full resolution", async () => {
    const jpeg = await renderImage({ ...SPEC, style: 'photo' });
    const png = await renderImage({ ...SPEC, style: 'photo', format: 'png' });
    assert.ok(jpeg.length > 1.5 * MB && jpeg.length < 3 * MB, `JPEG ${(jpeg.length / MB).toFixed(2)} MB`);
    assert.ok(png.length > 8 * MB && png.length < 15 * MB, `PNG ${(png.length / MB).toFixed(2)} MB`);
    const { width, height, format } = await sharp(png).metadata();
    assert.deepStrictEqual({ width, height, format }, { width: 2752, height: 1536, format: 'png' });
  });
});
