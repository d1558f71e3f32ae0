// An image file dropped onto the gallery: the webview sends the URI VS Code's drag data carried, already
// checked to be a `file:` or `vscode-remote:` URI of a PNG, JPEG or WebP name (isDroppedImageUri). A
// `vscode-remote:` URI names a file of the window's remote (code-server, SSH, a container…), which is where
// this extension host runs when the window has a remote: there it is a file on this machine, by its path.
import * as vscode from 'vscode';

/** The dropped file as this extension host reaches it; other URIs as they are (Re-run from Image refuses them). */
export function droppedImageFile(raw: string): vscode.Uri {
  const uri = vscode.Uri.parse(raw, true);
  return uri.scheme === 'vscode-remote' && vscode.env.remoteName ? vscode.Uri.file(uri.path) : uri;
}
