// Typed messages between a webview and the extension (the GitLens pattern, plus replies):
//   commands       webview → extension, `{ id, method, params }`, no reply;
//   requests       webview → extension, `{ id, method, params }`, answered by one response carrying the
//                  request's `id` and a result of the type the request declares;
//   notifications  extension → webview, `{ method, params }`.
// Each message kind is a named constant carrying its method string; the params and results are typed by
// maps in the protocol that uses this (src/protocol/gallery.ts). Free of Node and DOM APIs.

export interface IpcCommandType<M extends string> {
  readonly kind: 'command';
  readonly method: M;
}
export interface IpcRequestType<M extends string> {
  readonly kind: 'request';
  readonly method: M;
}
export interface IpcNotificationType<M extends string> {
  readonly kind: 'notification';
  readonly method: M;
}

export const command = <M extends string>(method: M): IpcCommandType<M> => ({ kind: 'command', method });
export const request = <M extends string>(method: M): IpcRequestType<M> => ({ kind: 'request', method });
export const notification = <M extends string>(method: M): IpcNotificationType<M> => ({ kind: 'notification', method });

/** The answer to one request: its result, or a message saying why it failed (already fit to show). */
export type ResponseParams<R = unknown> = { requestId: string; ok: true; result: R } | { requestId: string; ok: false; error: string };

/**
 * The sender's side of requests: hands out message ids and settles the promise of the request a
 * response names. One instance replaces a hand-kept id map in every caller.
 */
export class PendingRequests {
  private nextId = 1;
  private readonly waiting = new Map<string, { resolve(result: unknown): void; reject(error: Error): void }>();

  constructor(private readonly idPrefix: string) {}

  /** A fresh message id, and the promise that its response settles. */
  open<R>(): { id: string; response: Promise<R> } {
    const id = `${this.idPrefix}${this.nextId++}`;
    const response = new Promise<R>((resolve, reject) => this.waiting.set(id, { resolve: resolve as (r: unknown) => void, reject }));
    return { id, response };
  }

  /** Settles the request the response names; false when no such request is waiting. */
  settle(response: ResponseParams): boolean {
    const waiting = this.waiting.get(response.requestId);
    if (!waiting) return false;
    this.waiting.delete(response.requestId);
    if (response.ok) waiting.resolve(response.result);
    else waiting.reject(new Error(response.error));
    return true;
  }

  get size(): number {
    return this.waiting.size;
  }
}
