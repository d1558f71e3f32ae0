// The "Flux Studio" log channel. Every line passes through a redactor that removes the current key,
// as a second line of defence: the code never logs it on purpose.
import * as vscode from 'vscode';
import type { RequestRecord } from '../api/client';
import type { Log } from '../shared/log';

export type { Log };

export function createLog(channel: vscode.LogOutputChannel, currentKey: () => string | undefined): Log {
  const redact = (message: string) => {
    const key = currentKey();
    return key && key.length >= 4 ? message.split(key).join('[redacted]') : message;
  };
  return {
    info: (message) => channel.info(redact(message)),
    warn: (message) => channel.warn(redact(message)),
    error: (message) => channel.error(redact(message)),
  };
}

export function logRequest(log: Log, record: RequestRecord): void {
  const line = `${record.method} ${record.path} → ${record.status} (${record.durationMs} ms)`;
  if (record.status === 'error' || record.status >= 400) log.warn(line);
  else log.info(line);
}
