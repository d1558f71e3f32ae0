// Renders media/icon.png (128×128, the Marketplace and gallery-tab icon) from the SVG below with sharp:
// a four-point spark over two flowing waves on a dark violet rounded square.
// Run: node scripts/make-icon.mjs [--svg]   (--svg also writes media/icon.svg for editing)
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'media', 'icon.png');

export const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#3a2470"/>
      <stop offset="1" stop-color="#140f26"/>
    </linearGradient>
    <linearGradient id="wave" x1="0" y1="0" x2="1" y2="0">
      <stop offset="0" stop-color="#7c5cff"/>
      <stop offset="1" stop-color="#ff7ad9"/>
    </linearGradient>
    <radialGradient id="glow" cx="0.5" cy="0.5" r="0.5">
      <stop offset="0" stop-color="#ffffff" stop-opacity="0.55"/>
      <stop offset="1" stop-color="#ffffff" stop-opacity="0"/>
    </radialGradient>
  </defs>
  <rect x="16" y="16" width="480" height="480" rx="104" fill="url(#bg)"/>
  <rect x="16.5" y="16.5" width="479" height="479" rx="103.5" fill="none" stroke="#ffffff" stroke-opacity="0.08" stroke-width="3"/>
  <path d="M84 356 C 164 276, 228 436, 308 356 S 428 300, 428 300" fill="none" stroke="url(#wave)" stroke-width="34" stroke-linecap="round"/>
  <path d="M84 416 C 164 336, 228 496, 308 416" fill="none" stroke="url(#wave)" stroke-opacity="0.45" stroke-width="20" stroke-linecap="round"/>
  <circle cx="300" cy="190" r="120" fill="url(#glow)"/>
  <path d="M300 74 C 312 150, 336 174, 412 190 C 336 206, 312 230, 300 306 C 288 230, 264 206, 188 190 C 264 174, 288 150, 300 74 Z" fill="#fff6d6"/>
  <path d="M168 92 C 173 118, 180 125, 206 130 C 180 135, 173 142, 168 168 C 163 142, 156 135, 130 130 C 156 125, 163 118, 168 92 Z" fill="#ffd9f3" fill-opacity="0.9"/>
</svg>
`;

export async function makeIcon({ out = OUT, size = 128 } = {}) {
  mkdirSync(path.dirname(out), { recursive: true });
  const png = await sharp(Buffer.from(ICON_SVG), { density: 72 * (size / 512) * 4 })
    .resize(size, size)
    .png({ compressionLevel: 9, palette: false })
    .toBuffer();
  writeFileSync(out, png);
  return { out, bytes: png.length };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--svg')) writeFileSync(path.join(ROOT, 'media', 'icon.svg'), ICON_SVG);
  const { out, bytes } = await makeIcon();
  const meta = await sharp(out).metadata();
  console.log(`[icon] wrote ${path.relative(ROOT, out)} (${meta.width}×${meta.height}, ${bytes} bytes)`);
}
