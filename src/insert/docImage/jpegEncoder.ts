// A baseline JPEG encoder for the document copy: JFIF, YCbCr with 4:2:0 chroma, the standard (Annex K)
// quantisation tables scaled by quality as libjpeg scales them, and Huffman tables optimised for the
// image: what libjpeg-turbo writes. Why not MozJPEG, which decodes our JPEGs: its encoder always runs
// trellis quantisation (the options @jsquash/jpeg passes cannot turn it off), 236 ms for a 1600×893 copy
// against ~100 ms here, to make the file about 10 % smaller; no npm package ships libjpeg-turbo's encoder in
// WebAssembly, and jpeg-js encodes 4:4:4 with fixed tables (29 % larger, no faster). See CONTRIBUTING, item 8.
import type { Pixels } from './codecs';

/** ITU T.81 Annex K.1 tables, in natural (row-major) order. */
const LUMA_QUANT = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22,
  37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const CHROMA_QUANT = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
];

/** ZIGZAG[k] is the natural index of the k-th coefficient in zigzag order. */
const ZIGZAG = new Uint8Array([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57,
  50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]);

/** The AAN DCT leaves each output scaled by these (times 8 for the 2-D transform); quantisation removes them. */
const AAN_SCALE = [1, 1.387039845, 1.306562965, 1.175875602, 1, 0.785694958, 0.5411961, 0.275899379];

/** The largest side baseline JPEG can state. */
export const JPEG_MAX_SIDE = 65535;

/** libjpeg's quality scaling (jcparam.c), limited to 8-bit baseline entries. */
function scaledTable(base: readonly number[], quality: number): Uint8Array {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const scale = q < 50 ? 5000 / q : 200 - q * 2;
  return Uint8Array.from(base, (v) => Math.min(255, Math.max(1, Math.floor((v * scale + 50) / 100))));
}

/** Multipliers that fold the DCT's scaling and the quantisation step into one product, in natural order. */
function divisors(table: Uint8Array): Float64Array {
  const out = new Float64Array(64);
  for (let row = 0; row < 8; row++) for (let col = 0; col < 8; col++) out[row * 8 + col] = 1 / (table[row * 8 + col] * AAN_SCALE[row] * AAN_SCALE[col] * 8);
  return out;
}

/** One 8-point AAN butterfly over `block[p]`, `block[p + step]`, … `block[p + 7 * step]`, in place. */
function butterfly(block: Float64Array, p: number, step: number): void {
  const d0 = block[p], d1 = block[p + step], d2 = block[p + 2 * step], d3 = block[p + 3 * step];
  const d4 = block[p + 4 * step], d5 = block[p + 5 * step], d6 = block[p + 6 * step], d7 = block[p + 7 * step];
  const t0 = d0 + d7, t7 = d0 - d7, t1 = d1 + d6, t6 = d1 - d6;
  const t2 = d2 + d5, t5 = d2 - d5, t3 = d3 + d4, t4 = d3 - d4;
  const t10 = t0 + t3, t13 = t0 - t3, t11 = t1 + t2, t12 = t1 - t2;
  block[p] = t10 + t11;
  block[p + 4 * step] = t10 - t11;
  const z1 = (t12 + t13) * 0.707106781;
  block[p + 2 * step] = t13 + z1;
  block[p + 6 * step] = t13 - z1;
  const s10 = t4 + t5, s11 = t5 + t6, s12 = t6 + t7;
  const z5 = (s10 - s12) * 0.382683433;
  const z2 = 0.5411961 * s10 + z5;
  const z4 = 1.306562965 * s12 + z5;
  const z3 = s11 * 0.707106781;
  const z11 = t7 + z3, z13 = t7 - z3;
  block[p + 5 * step] = z13 + z2;
  block[p + 3 * step] = z13 - z2;
  block[p + step] = z11 + z4;
  block[p + 7 * step] = z11 - z4;
}

/**
 * Forward DCT of `block` (level-shifted samples, natural order) in place (Arai–Agui–Nakajima, as in
 * libjpeg's jfdctflt.c), quantised into `out` at `offset` in zigzag order.
 */
function transform(block: Float64Array, div: Float64Array, out: Int16Array, offset: number): void {
  for (let row = 0; row < 64; row += 8) butterfly(block, row, 1);
  for (let col = 0; col < 8; col++) butterfly(block, col, 8);
  for (let k = 0; k < 64; k++) {
    const n = ZIGZAG[k];
    out[offset + k] = Math.round(block[n] * div[n]);
  }
}

/** Bits needed for the magnitude of `v` (its JPEG size category). */
function category(v: number): number {
  return 32 - Math.clz32(v < 0 ? -v : v);
}

/** Symbol counts of one component class's coefficients: DC size categories and AC run/size pairs. */
class SymbolCounts {
  readonly dc = new Uint32Array(257);
  readonly ac = new Uint32Array(257);
}

/** What a block walk reports: its DC difference, then each AC symbol (run << 4 | size, 0xF0 a run of 16, 0x00 the end). */
interface BlockVisitor {
  dc(size: number, value: number): void;
  ac(symbol: number, size: number, value: number): void;
}

/** Walks a quantised block (zigzag order) as JPEG codes it; returns its DC value, the next block's predictor. */
function walkBlock(coefs: Int16Array, offset: number, previousDc: number, visit: BlockVisitor): number {
  const diff = coefs[offset] - previousDc;
  visit.dc(category(diff), diff);
  let run = 0;
  for (let k = 1; k < 64; k++) {
    const v = coefs[offset + k];
    if (v === 0) {
      run++;
      continue;
    }
    for (; run > 15; run -= 16) visit.ac(0xf0, 0, 0);
    const size = category(v);
    visit.ac((run << 4) | size, size, v);
    run = 0;
  }
  if (run > 0) visit.ac(0x00, 0, 0);
  return coefs[offset];
}

function counter(counts: SymbolCounts): BlockVisitor {
  return { dc: (size) => counts.dc[size]++, ac: (symbol) => counts.ac[symbol]++ };
}

function coder(out: JpegWriter, table: { dc: HuffmanTable; ac: HuffmanTable }): BlockVisitor {
  // A value's bits follow its code: positive as is, negative as value − 1 (its low `size` bits).
  return {
    dc: (size, value) => {
      out.bits(table.dc.code[size], table.dc.length[size]);
      if (size) out.bits(value < 0 ? value - 1 : value, size);
    },
    ac: (symbol, size, value) => {
      out.bits(table.ac.code[symbol], table.ac.length[symbol]);
      if (size) out.bits(value < 0 ? value - 1 : value, size);
    },
  };
}

interface HuffmanTable {
  /** Number of codes of each length 1–16 (index 0 unused). */
  bits: Uint8Array;
  /** Symbols by increasing code length. */
  values: Uint8Array;
  code: Uint16Array;
  length: Uint8Array;
}

/** The optimal length-limited table for the counts (libjpeg's jpeg_gen_optimal_table, T.81 Annex K.2). */
function optimalTable(counts: Uint32Array): HuffmanTable {
  const freq = Float64Array.from(counts);
  freq[256] = 1; // a reserved symbol, so that no real code is all ones
  const codeSize = new Int32Array(257);
  const others = new Int32Array(257).fill(-1);
  for (;;) {
    let c1 = -1;
    let v = Infinity;
    for (let i = 0; i <= 256; i++) if (freq[i] && freq[i] <= v) (v = freq[i]), (c1 = i);
    let c2 = -1;
    v = Infinity;
    for (let i = 0; i <= 256; i++) if (freq[i] && freq[i] <= v && i !== c1) (v = freq[i]), (c2 = i);
    if (c2 < 0) break;
    freq[c1] += freq[c2];
    freq[c2] = 0;
    codeSize[c1]++;
    while (others[c1] >= 0) codeSize[(c1 = others[c1])]++;
    others[c1] = c2;
    codeSize[c2]++;
    while (others[c2] >= 0) codeSize[(c2 = others[c2])]++;
  }
  const bits = new Uint8Array(33);
  for (let i = 0; i <= 256; i++) if (codeSize[i]) bits[codeSize[i]]++;
  for (let i = 32; i > 16; i--) {
    while (bits[i] > 0) {
      let j = i - 2;
      while (bits[j] === 0) j--;
      bits[i] -= 2;
      bits[i - 1]++;
      bits[j + 1] += 2;
      bits[j]--;
    }
  }
  let longest = 16;
  while (bits[longest] === 0) longest--;
  bits[longest]--; // drop the reserved symbol's code
  const values: number[] = [];
  for (let size = 1; size <= 32; size++) for (let s = 0; s < 256; s++) if (codeSize[s] === size) values.push(s);
  return withCodes(bits.slice(0, 17), Uint8Array.from(values));
}

/** Canonical codes for the table (T.81 Annex C). */
function withCodes(bits: Uint8Array, values: Uint8Array): HuffmanTable {
  const code = new Uint16Array(256);
  const length = new Uint8Array(256);
  let next = 0;
  let k = 0;
  for (let size = 1; size <= 16; size++) {
    for (let i = 0; i < bits[size]; i++, k++) {
      code[values[k]] = next++;
      length[values[k]] = size;
    }
    next <<= 1;
  }
  return { bits, values, code, length };
}

/** Bytes of the file, grown as needed; entropy-coded bits with 0xFF bytes stuffed. */
class JpegWriter {
  private bytes: Uint8Array;
  private size = 0;
  private bitBuffer = 0;
  private bitCount = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(Math.max(1024, capacity));
  }

  byte(b: number): void {
    if (this.size === this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes[this.size++] = b;
  }

  word(w: number): void {
    this.byte(w >> 8);
    this.byte(w & 0xff);
  }

  /** A marker segment: the marker, its length, its body. */
  segment(marker: number, body: ArrayLike<number>): void {
    this.word(marker);
    this.word(body.length + 2);
    for (let i = 0; i < body.length; i++) this.byte(body[i]);
  }

  /** The low `count` bits of `value` (count ≤ 16). */
  bits(value: number, count: number): void {
    this.bitBuffer = (this.bitBuffer << count) | (value & ((1 << count) - 1));
    this.bitCount += count;
    while (this.bitCount >= 8) {
      const b = (this.bitBuffer >> (this.bitCount - 8)) & 0xff;
      this.byte(b);
      if (b === 0xff) this.byte(0);
      this.bitCount -= 8;
    }
    this.bitBuffer &= (1 << this.bitCount) - 1;
  }

  /** Pads the last byte with ones (T.81 F.1.2.3). */
  flushBits(): void {
    if (this.bitCount > 0) this.bits(0x7f, 8 - this.bitCount);
  }

  result(): Uint8Array {
    return this.bytes.slice(0, this.size);
  }
}

/** The image as planes of level-shifted samples, padded to whole MCUs by repeating the last row and column. */
function toPlanes(pixels: Pixels, paddedWidth: number, paddedHeight: number) {
  const { data, width, height } = pixels;
  const chromaWidth = paddedWidth >> 1;
  const y = new Float32Array(paddedWidth * paddedHeight);
  const cb = new Float32Array(chromaWidth * (paddedHeight >> 1));
  const cr = new Float32Array(cb.length);
  const luma = (p: number) => 0.299 * data[p] + 0.587 * data[p + 1] + 0.114 * data[p + 2] - 128;
  // Two rows and two columns at a time: four luma samples and the chroma of their mean.
  for (let row = 0; row < paddedHeight; row += 2) {
    const top = Math.min(row, height - 1) * width * 4;
    const bottom = Math.min(row + 1, height - 1) * width * 4;
    const line = row * paddedWidth;
    const chromaLine = (row >> 1) * chromaWidth;
    for (let col = 0; col < paddedWidth; col += 2) {
      const left = Math.min(col, width - 1) * 4;
      const right = Math.min(col + 1, width - 1) * 4;
      const p0 = top + left, p1 = top + right, p2 = bottom + left, p3 = bottom + right;
      y[line + col] = luma(p0);
      y[line + col + 1] = luma(p1);
      y[line + paddedWidth + col] = luma(p2);
      y[line + paddedWidth + col + 1] = luma(p3);
      const r = data[p0] + data[p1] + data[p2] + data[p3];
      const g = data[p0 + 1] + data[p1 + 1] + data[p2 + 1] + data[p3 + 1];
      const b = data[p0 + 2] + data[p1 + 2] + data[p2 + 2] + data[p3 + 2];
      cb[chromaLine + (col >> 1)] = (-0.168736 * r - 0.331264 * g + 0.5 * b) / 4;
      cr[chromaLine + (col >> 1)] = (0.5 * r - 0.418688 * g - 0.081312 * b) / 4;
    }
  }
  return { y, cb, cr, chromaWidth };
}

/** Encodes the pixels (alpha ignored) as a baseline JPEG of `quality` 1–100. */
export function encodeJpeg(pixels: Pixels, quality: number): Uint8Array {
  const { width, height } = pixels;
  if (!(width > 0 && height > 0 && width <= JPEG_MAX_SIDE && height <= JPEG_MAX_SIDE)) throw new Error(`A JPEG cannot be ${width}×${height} pixels.`);
  const mcusAcross = Math.ceil(width / 16);
  const mcusDown = Math.ceil(height / 16);
  const planes = toPlanes(pixels, mcusAcross * 16, mcusDown * 16);
  const lumaTable = scaledTable(LUMA_QUANT, quality);
  const chromaTable = scaledTable(CHROMA_QUANT, quality);
  const lumaDiv = divisors(lumaTable);
  const chromaDiv = divisors(chromaTable);

  // Pass 1: every block transformed and quantised once, in scan order (Y Y Y Y Cb Cr per MCU).
  const blocks = mcusAcross * mcusDown * 6;
  const coefs = new Int16Array(blocks * 64);
  const block = new Float64Array(64);
  const load = (plane: Float32Array, stride: number, x: number, y: number) => {
    for (let row = 0; row < 8; row++) {
      const from = (y + row) * stride + x;
      for (let col = 0; col < 8; col++) block[row * 8 + col] = plane[from + col];
    }
  };
  const lumaWidth = mcusAcross * 16;
  // Luma blocks of the last MCUs that hold no pixel are coded as libjpeg codes them: no AC, the DC of the
  // block to their left (or above), so they cost a few bits.
  const blocksEndX = Math.ceil(width / 8) * 8;
  const blocksEndY = Math.ceil(height / 8) * 8;
  let offset = 0;
  for (let my = 0; my < mcusDown; my++) {
    for (let mx = 0; mx < mcusAcross; mx++) {
      for (let b = 0; b < 4; b++) {
        const x = mx * 16 + (b & 1) * 8;
        const y = my * 16 + (b >> 1) * 8;
        if (x >= blocksEndX) coefs[offset] = coefs[offset - 64];
        else if (y >= blocksEndY) coefs[offset] = coefs[offset - 128];
        else {
          load(planes.y, lumaWidth, x, y);
          transform(block, lumaDiv, coefs, offset);
        }
        offset += 64;
      }
      for (const plane of [planes.cb, planes.cr]) {
        load(plane, planes.chromaWidth, mx * 8, my * 8);
        transform(block, chromaDiv, coefs, offset);
        offset += 64;
      }
    }
  }
  // Every block is walked twice, to count its symbols and then to write them, in scan order.
  const walkAll = (visit: [BlockVisitor, BlockVisitor]) => {
    const previousDc = [0, 0, 0];
    for (let i = 0, c = 0; i < blocks; i++, c = c === 5 ? 0 : c + 1) {
      const slot = c < 4 ? 0 : c - 3; // per MCU: four Y blocks, then Cb, then Cr
      previousDc[slot] = walkBlock(coefs, i * 64, previousDc[slot], visit[slot === 0 ? 0 : 1]);
    }
  };
  const counts = [new SymbolCounts(), new SymbolCounts()];
  walkAll([counter(counts[0]), counter(counts[1])]);
  const tables = counts.map((c) => ({ dc: optimalTable(c.dc), ac: optimalTable(c.ac) }));

  // Pass 2: the file.
  const out = new JpegWriter(blocks * 12);
  out.word(0xffd8);
  out.segment(0xffe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]); // JFIF 1.01, no density unit, 1:1
  for (const [id, table] of [lumaTable, chromaTable].entries()) out.segment(0xffdb, [id, ...Array.from(ZIGZAG, (n) => table[n])]);
  out.segment(0xffc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  for (const [id, { dc, ac }] of tables.entries()) {
    out.segment(0xffc4, [id, ...dc.bits.subarray(1), ...dc.values]); // class 0 (DC), table id
    out.segment(0xffc4, [0x10 | id, ...ac.bits.subarray(1), ...ac.values]); // class 1 (AC)
  }
  out.segment(0xffda, [3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]);
  walkAll([coder(out, tables[0]), coder(out, tables[1])]);
  out.flushBits();
  out.word(0xffd9);
  return out.result();
}
