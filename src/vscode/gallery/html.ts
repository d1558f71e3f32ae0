// The gallery webview's page shell, built by the extension. It is self-contained so that VS Code shows
// it at once: VS Code keeps a webview's frame hidden until the page's `load` event (or 200 ms), and every
// stylesheet, script or image the page fetches goes through the resource service worker first. So the
// stylesheet and the script are inlined under the CSP nonce, the first screenful of entries and their
// thumbnails travel as boot data, and only the codicon font is fetched, by the script, once shown.
import type { GalleryBoot } from '../../protocol/gallery';
import { escapeHtmlAttribute as attr, escapeHtmlText as text } from '../../shared/escapeHtml';

export interface GalleryHtmlParams {
  /** `webview.cspSource`. */
  cspSource: string;
  /** Fresh per page load, from `crypto.randomBytes`. */
  nonce: string;
  /** media/gallery.css. */
  styles: string;
  /** dist/webview.js. */
  script: string;
  /** Where the browser finds the script's source map (an inline script has no URL of its own). */
  sourceMapUri: string;
  boot: GalleryBoot;
  /** The id of the boot data's JSON block: `gallery-boot` unless another page (the Illustrate plan) uses this shell. */
  bootId?: string;
  title: string;
  lang: string;
}

export function renderGalleryHtml(p: GalleryHtmlParams): string {
  return renderWebviewHtml(p);
}

/** The page shell of a webview of ours: its stylesheet and script inlined under a nonce, its boot data as JSON. */
export function renderWebviewHtml<B>(p: Omit<GalleryHtmlParams, 'boot'> & { boot: B }): string {
  const csp = [
    "default-src 'none'",
    // data: for the thumbnails the boot data carries, blob: for those posted later; the rest come through
    // the resource service worker.
    `img-src ${p.cspSource} data: blob:`,
    `style-src ${p.cspSource} 'nonce-${p.nonce}'`,
    `font-src ${p.cspSource}`,
    `script-src 'nonce-${p.nonce}'`,
  ].join('; ');
  const nonce = attr(p.nonce);
  // The scripts sit in <head> so that the body holds only what the user sees.
  return `<!DOCTYPE html>
<html lang="${attr(p.lang)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${text(p.title)}</title>
<style nonce="${nonce}">
${inlineText(p.styles, 'style')}
</style>
<script type="application/json" id="${attr(p.bootId ?? 'gallery-boot')}">${jsonForScript(p.boot)}</script>
<script nonce="${nonce}">
${inlineText(p.script, 'script').replace(/\/\/# sourceMappingURL=\S+\s*$/, '')}
//# sourceMappingURL=${p.sourceMapUri}
</script>
</head>
<body>
<div id="app" aria-busy="true"></div>
</body>
</html>`;
}

/** JSON that cannot end its <script> element early: every `<` is escaped (JSON.parse reads it back). */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * Text of an inline <style> or <script>. A closing tag inside would end the element early; the bundle and
 * the stylesheet never hold one (esbuild escapes it in strings), so finding one is a build problem.
 */
function inlineText(source: string, tag: 'style' | 'script'): string {
  if (new RegExp(`</${tag}`, 'i').test(source)) throw new Error(`the gallery's inline ${tag} holds a closing </${tag}> tag`);
  return source;
}
