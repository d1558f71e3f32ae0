// One request to the first language model VS Code offers (vscode.lm), for the features the user allowed to
// use one (fluxStudio.prompt.enhance not off): prompt enhancement and alt text. The answer is untrusted text,
// read up to a cap; the request stops at the caller's token, at a timeout, or when the cap is reached.
import * as vscode from 'vscode';

export type ModelAnswer =
  | { kind: 'answered'; text: string; modelId: string }
  | { kind: 'noModel' }
  | { kind: 'cancelled' }
  | { kind: 'timedOut' }
  | { kind: 'error'; message: string };

export interface ModelRequest {
  /** The whole request: one user message. */
  instruction: string;
  /** Why the extension asks (VS Code shows it when it asks the user's consent). */
  justification: string;
  /** More of the answer than this is not read. */
  maxChars: number;
  timeoutMs: number;
  token: vscode.CancellationToken;
  /** The models to ask, first one first (tests give their own). */
  chatModels?: () => Thenable<readonly vscode.LanguageModelChat[]>;
}

export async function askFirstModel(request: ModelRequest): Promise<ModelAnswer> {
  const { token } = request;
  const [model] = await (request.chatModels ?? (() => vscode.lm.selectChatModels()))();
  if (token.isCancellationRequested) return { kind: 'cancelled' };
  if (!model) return { kind: 'noModel' };
  const stop = new vscode.CancellationTokenSource();
  const linked = token.onCancellationRequested(() => stop.cancel());
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stop.cancel();
  }, request.timeoutMs);
  try {
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User(request.instruction)], { justification: request.justification }, stop.token);
    let text = '';
    for await (const chunk of response.text) {
      text += chunk;
      if (text.length >= request.maxChars || stop.token.isCancellationRequested) break;
    }
    if (token.isCancellationRequested) return { kind: 'cancelled' };
    if (timedOut) return { kind: 'timedOut' };
    return { kind: 'answered', text, modelId: model.id };
  } catch (error) {
    if (token.isCancellationRequested) return { kind: 'cancelled' };
    if (timedOut) return { kind: 'timedOut' };
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
    linked.dispose();
    stop.dispose();
  }
}
