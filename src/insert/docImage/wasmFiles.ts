// The wasm files of the image codecs, by their path inside node_modules. esbuild.js reads the quoted
// paths of this file and copies each into dist/codecs/ under its base name.
export const WASM_FILES = {
  jpegDecode: '@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm',
  png: '@jsquash/png/codec/pkg/squoosh_png_bg.wasm',
  resize: '@jsquash/resize/lib/resize/pkg/squoosh_resize_bg.wasm',
  webpDecode: '@jsquash/webp/codec/dec/webp_dec.wasm',
  // Every runtime VS Code runs on (Node 20+, Electron) has WebAssembly SIMD; @jsquash picks this build then.
  webpEncode: '@jsquash/webp/codec/enc/webp_enc_simd.wasm',
} as const;
export type WasmFile = keyof typeof WASM_FILES;

/** The wasm file's base name (its name in dist/codecs/). */
export function wasmBaseName(file: WasmFile): string {
  const full = WASM_FILES[file];
  return full.slice(full.lastIndexOf('/') + 1);
}
