// The gallery webview's HTML shell, built by the extension (the panel fills in URIs and the nonce).
import { escapeHtmlAttribute as attr, escapeHtmlText as text } from '../../shared/escapeHtml';

export interface GalleryHtmlParams {
  /** `webview.cspSource`. */
  cspSource: string;
  /** Fresh per page load, from `crypto.randomBytes`. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  codiconUri: string;
  title: string;
  lang: string;
}

export function renderGalleryHtml(p: GalleryHtmlParams): string {
  const csp = [
    "default-src 'none'",
    // Thumbnails are drawn to a canvas and posted back as data URLs; no data: image is ever displayed.
    `img-src ${p.cspSource}`,
    `style-src ${p.cspSource}`,
    `font-src ${p.cspSource}`,
    `script-src 'nonce-${p.nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${attr(p.lang)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(p.codiconUri)}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${attr(p.styleUri)}">
<title>${text(p.title)}</title>
</head>
<body>
<div id="app" aria-busy="true"></div>
<script nonce="${attr(p.nonce)}" src="${attr(p.scriptUri)}"></script>
</body>
</html>`;
}
