// Renders the simulator's "generated" image: the prompt text, word-wrapped in a large font, over a gradient
// whose colours derive from a hash of prompt + seed. A screenshot of it proves which prompt produced it.
// The 'placeholder' style compresses very well (a 4 MP JPEG of ~0.2 MB); the 'photo' style adds a
// procedural texture (fractal value noise and grain) so files have the byte size of real Ultra output:
// ~2 MB as JPEG or WebP at quality 90, ~12 MB as PNG.

import sharp from 'sharp';
import { ULTRA_SIZES, type AspectRatio, type OutputFormat } from './apiframe';
import { hash32, mulberry32 } from './prng';

/** 'placeholder': small, fast images (tests); 'photo': real-size images (benchmarks). */
export type ImageStyle = 'placeholder' | 'photo';

export interface RenderSpec {
  prompt: string;
  seed: number;
  aspectRatio: AspectRatio;
  format: OutputFormat;
  /** 0–100; ignored for png. */
  quality: number;
  model: string;
  style?: ImageStyle;
}

export function renderKey(spec: RenderSpec): string {
  return [spec.model, spec.style ?? 'placeholder', spec.aspectRatio, spec.format, spec.quality, spec.seed, spec.prompt].join('\u0000');
}

/** Escape text for XML and drop characters XML 1.0 cannot carry (control chars, lone surrogates). */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function hslToHex(h: number, s: number, l: number): string {
  s /= 100;
  l /= 100;
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  const hex = (x: number) => Math.round(x * 255).toString(16).padStart(2, '0');
  return `#${hex(f(0))}${hex(f(8))}${hex(f(4))}`;
}

/** Greedy word wrap by an estimated character budget; over-long words are hard-broken. */
export function wrapText(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\r?\n/)) {
    const words = paragraph.split(/\s+/).filter(Boolean);
    let line = '';
    for (let word of words) {
      while (Array.from(word).length > maxChars) {
        if (line) {
          lines.push(line);
          line = '';
        }
        const chars = Array.from(word);
        lines.push(chars.slice(0, maxChars).join(''));
        word = chars.slice(maxChars).join('');
      }
      if (!word) continue;
      const candidate = line ? `${line} ${word}` : word;
      if (Array.from(candidate).length > maxChars && line) {
        lines.push(line);
        line = word;
      } else {
        line = candidate;
      }
    }
    if (line) lines.push(line);
  }
  return lines.length ? lines : [''];
}

export function buildSvg(spec: RenderSpec, withText = true): string {
  const { width, height } = ULTRA_SIZES[spec.aspectRatio];
  const rand = mulberry32(hash32(`${spec.prompt}\u0000${spec.seed}`));
  const h1 = Math.floor(rand() * 360);
  const h2 = (h1 + 50 + Math.floor(rand() * 110)) % 360;
  const h3 = (h1 + 180 + Math.floor(rand() * 60)) % 360;
  const c1 = hslToHex(h1, 55 + rand() * 20, 30 + rand() * 12);
  const c2 = hslToHex(h2, 55 + rand() * 20, 45 + rand() * 12);
  const c3 = hslToHex(h3, 60 + rand() * 20, 55 + rand() * 10);
  const angle = Math.floor(rand() * 360);
  const bx = Math.round(width * (0.15 + rand() * 0.7));
  const by = Math.round(height * (0.15 + rand() * 0.7));

  const marginX = Math.round(width * 0.09);
  const marginY = Math.round(height * 0.1);
  const boxW = width - 2 * marginX;
  const boxH = height - 2 * marginY;
  const pad = Math.round(Math.min(width, height) * 0.04);
  const textW = boxW - 2 * pad;
  const textH = boxH - 2 * pad;
  const prompt = spec.prompt.trim();

  let fontSize = Math.round(Math.min(width, height) / 9);
  let lines: string[] = [];
  for (;;) {
    const maxChars = Math.max(4, Math.floor(textW / (fontSize * 0.6)));
    lines = wrapText(prompt, maxChars);
    if (lines.length * fontSize * 1.25 <= textH || fontSize <= 14) break;
    fontSize = Math.max(14, Math.floor(fontSize * 0.93));
  }
  const lineHeight = fontSize * 1.25;
  const blockH = lines.length * lineHeight;
  const firstBaseline = height / 2 - blockH / 2 + fontSize * 0.95;
  const fontFamily = "DejaVu Sans, Liberation Sans, Arial, sans-serif";
  const footerSize = Math.round(Math.min(width, height) / 48);
  const footer = `${spec.model} · seed ${spec.seed} · ${spec.aspectRatio} · ${width}×${height} · simulated`;

  const text = withText
    ? lines
        .map(
          (line, i) =>
            `<text x="${width / 2}" y="${(firstBaseline + i * lineHeight).toFixed(1)}" text-anchor="middle" font-family="${fontFamily}" font-size="${fontSize}" font-weight="bold" fill="#ffffff">${escapeXml(line)}</text>`,
        )
        .join('') +
      `<text x="${width / 2}" y="${height - Math.round(marginY / 2.5)}" text-anchor="middle" font-family="${fontFamily}" font-size="${footerSize}" fill="#ffffff" fill-opacity="0.8">${escapeXml(footer)}</text>`
    : '';

  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<defs>` +
    `<linearGradient id="bg" gradientUnits="objectBoundingBox" gradientTransform="rotate(${angle} 0.5 0.5)">` +
    `<stop offset="0" stop-color="${c1}"/><stop offset="1" stop-color="${c2}"/></linearGradient>` +
    `<radialGradient id="glow" cx="${bx}" cy="${by}" r="${Math.round(Math.max(width, height) * 0.55)}" gradientUnits="userSpaceOnUse">` +
    `<stop offset="0" stop-color="${c3}" stop-opacity="0.75"/><stop offset="1" stop-color="${c3}" stop-opacity="0"/></radialGradient>` +
    `</defs>` +
    `<rect width="${width}" height="${height}" fill="url(#bg)"/>` +
    `<rect width="${width}" height="${height}" fill="url(#glow)"/>` +
    `<rect x="${marginX}" y="${Math.round(height / 2 - blockH / 2 - pad)}" width="${boxW}" height="${Math.round(blockH + 2 * pad)}" rx="${pad}" fill="#000000" fill-opacity="0.28"/>` +
    text +
    `</svg>`
  );
}

function encode(pipeline: ReturnType<typeof sharp>, spec: RenderSpec): Promise<Buffer> {
  const quality = Math.min(100, Math.max(1, Math.round(spec.quality)));
  switch (spec.format) {
    case 'png':
      return pipeline.png({ compressionLevel: 4 }).toBuffer();
    case 'webp':
      return pipeline.webp({ quality, effort: 2 }).toBuffer();
    default:
      return pipeline.jpeg({ quality }).toBuffer();
  }
}

/** Smooth value noise in [-1, 1] on a grid `spacing` pixels apart (smoothstep interpolation). */
function valueNoise(rand: () => number, width: number, height: number, spacing: number): (x: number, y: number) => number {
  const columns = Math.ceil(width / spacing) + 2;
  const grid = Float32Array.from({ length: columns * (Math.ceil(height / spacing) + 2) }, () => rand() * 2 - 1);
  return (x, y) => {
    const gx = x / spacing;
    const gy = y / spacing;
    const x0 = Math.floor(gx);
    const y0 = Math.floor(gy);
    const sx = (gx - x0) ** 2 * (3 - 2 * (gx - x0));
    const sy = (gy - y0) ** 2 * (3 - 2 * (gy - y0));
    const a = grid[y0 * columns + x0];
    const b = grid[y0 * columns + x0 + 1];
    const c = grid[(y0 + 1) * columns + x0];
    const d = grid[(y0 + 1) * columns + x0 + 1];
    return a + (b - a) * sx + (c - a) * sy + (a - b - c + d) * sx * sy;
  };
}

/** Octaves (spacing in px, amplitude in levels) tuned so a 4 MP JPEG at quality 90 is ~2 MB, like a photo. */
const TEXTURE_OCTAVES = [
  [160, 40],
  [40, 40],
  [9, 50],
  [2.5, 50],
] as const;
const GRAIN = 20;

/** Adds the photo texture to raw RGB(A) pixels in place: shared luminance detail plus per-channel grain. */
function addTexture(pixels: Buffer, width: number, height: number, channels: number, seed: number): void {
  const rand = mulberry32(seed);
  const octaves = TEXTURE_OCTAVES.map(([spacing, amplitude]) => ({ noise: valueNoise(rand, width, height, spacing), amplitude }));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let detail = 0;
      for (const { noise, amplitude } of octaves) detail += amplitude * noise(x, y);
      const i = (y * width + x) * channels;
      for (let c = 0; c < 3; c++) pixels[i + c] = Math.max(0, Math.min(255, pixels[i + c] + detail + (rand() - 0.5) * 2 * GRAIN));
    }
  }
}

async function renderPhoto(spec: RenderSpec, svg: string): Promise<Buffer> {
  const { data, info } = await sharp(Buffer.from(svg)).flatten({ background: '#000000' }).raw().toBuffer({ resolveWithObject: true });
  addTexture(data, info.width, info.height, info.channels, hash32(`${spec.prompt}\u0000${spec.seed}\u0000photo`));
  return encode(sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }), spec);
}

/** Encode the image. Never throws for font problems: falls back to no text, then to a flat colour. */
export async function renderImage(spec: RenderSpec): Promise<Buffer> {
  const { width, height } = ULTRA_SIZES[spec.aspectRatio];
  for (const withText of [true, false]) {
    try {
      const svg = buildSvg(spec, withText);
      if (spec.style === 'photo') return await renderPhoto(spec, svg);
      return await encode(sharp(Buffer.from(svg)).flatten({ background: '#000000' }), spec);
    } catch {
      // try the next, simpler variant
    }
  }
  const rand = mulberry32(hash32(`${spec.prompt}\u0000${spec.seed}`));
  const background = { r: Math.floor(rand() * 200), g: Math.floor(rand() * 200), b: Math.floor(rand() * 200) };
  return encode(sharp({ create: { width, height, channels: 3, background } }), spec);
}
