// Item 3 — start-up cost: loads the extension bundle in plain Node with the `vscode` module replaced by
// a recorder, runs activate() to completion and prints the timings as JSON. One fresh process per run
// (the runner starts it ≥ 20 times). Usage: node out/test/bench/activate.js <dist/extension.js>
import Module = require('module');
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';

const recorded = new Set<string>();

/**
 * Anything: callable, constructible, any property is another recorder. Awaiting one resolves at once
 * (`then` is not a function), and it turns into '' in string contexts.
 */
function recorder(name: string): any {
  const target = function () {} as any;
  const assigned = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    set(_t, prop, value) {
      assigned.set(prop, value);
      return true;
    },
    get(_t, prop) {
      if (assigned.has(prop)) return assigned.get(prop);
      if (prop === 'then') return undefined;
      if (prop === Symbol.toPrimitive) return () => '';
      if (prop === Symbol.iterator) return function* () {};
      if (typeof prop === 'symbol') return undefined;
      const key = `${name}.${prop}`;
      recorded.add(key);
      return recorder(key);
    },
    apply() {
      return recorder(`${name}()`);
    },
    construct() {
      return recorder(`new ${name}`);
    },
  });
}

class Uri {
  private constructor(
    readonly scheme: string,
    readonly fsPath: string,
  ) {}
  get path(): string {
    return this.fsPath;
  }
  static file(p: string): Uri {
    return new Uri('file', p);
  }
  static parse(value: string): Uri {
    return new Uri(value.split(':')[0], value.replace(/^file:\/\//, ''));
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    return new Uri(base.scheme, path.join(base.fsPath, ...segments));
  }
  with(): Uri {
    return this;
  }
  toString(): string {
    return `${this.scheme}://${this.fsPath}`;
  }
}

class EventEmitter {
  private listeners: ((value: unknown) => void)[] = [];
  event = (listener: (value: unknown) => void) => {
    this.listeners.push(listener);
    return { dispose: () => undefined };
  };
  fire(value: unknown): void {
    for (const l of this.listeners) l(value);
  }
  dispose(): void {
    this.listeners = [];
  }
}

class Disposable {
  constructor(private readonly callOnDispose: () => void = () => undefined) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  dispose(): void {
    this.callOnDispose();
  }
}

const format = (message: string, ...args: unknown[]) =>
  String(message).replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)] ?? ''));

function vscodeStub(): unknown {
  const real: Record<string, unknown> = {
    Uri,
    EventEmitter,
    Disposable,
    l10n: { t: (message: string | { message: string }, ...args: unknown[]) => format(typeof message === 'string' ? message : message.message, ...args), bundle: undefined, uri: undefined },
    ExtensionMode: { Production: 1, Development: 2, Test: 3 },
    ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    version: '1.100.0',
  };
  // Bundlers copy the module's own properties (esbuild's __toESM), so every namespace must be a real key.
  for (const name of RECORDED_NAMES) if (!(name in real)) real[name] = recorder(`vscode.${name}`);
  return real;
}

const RECORDED_NAMES = [
  'window', 'workspace', 'commands', 'env', 'languages', 'extensions', 'authentication', 'tasks', 'debug', 'scm',
  'notebooks', 'tests', 'comments', 'chat', 'lm', 'l10n', 'ThemeIcon', 'ThemeColor', 'MarkdownString', 'Range',
  'Position', 'Selection', 'WorkspaceEdit', 'SnippetString', 'TreeItem', 'TreeItemCollapsibleState', 'RelativePattern',
  'CancellationTokenSource', 'CancellationError', 'FileType', 'FileSystemError', 'TabInputText', 'TabInputCustom',
  'TabInputWebview', 'QuickPickItemKind', 'QuickInputButtons', 'DiagnosticSeverity', 'EndOfLine', 'TextEditorRevealType',
  'ColorThemeKind', 'UIKind', 'LogLevel', 'DocumentLink', 'Hover', 'CodeAction', 'CodeActionKind', 'CompletionItem',
  'CompletionItemKind', 'DataTransferItem', 'DocumentDropEdit', 'StatusBarItem', 'TextEdit', 'Location',
  'DocumentDropOrPasteEditKind', 'DocumentPasteEdit', 'DataTransfer', 'LanguageModelToolResult', 'LanguageModelTextPart',
];

function context(storage: string): unknown {
  const memento = () => ({ get: (_key: string, fallback?: unknown) => fallback, update: async () => undefined, keys: () => [] });
  const real: Record<string, unknown> = {
    subscriptions: [] as unknown[],
    extensionUri: Uri.file(path.resolve(__dirname, '../../..')),
    extensionPath: path.resolve(__dirname, '../../..'),
    globalStorageUri: Uri.file(storage),
    storageUri: Uri.file(path.join(storage, 'ws')),
    logUri: Uri.file(path.join(storage, 'log')),
    globalState: { ...memento(), setKeysForSync: () => undefined },
    workspaceState: memento(),
    secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => ({ dispose() {} }) },
    extensionMode: 1,
  };
  const base = recorder('context');
  return new Proxy(real, { get: (target, prop) => (prop in target ? target[prop as string] : base[prop as string]) });
}

async function main(): Promise<void> {
  const bundle = path.resolve(process.argv[2] ?? 'dist/extension.js');
  const storage = mkdtempSync(path.join(tmpdir(), 'flux-activate-'));
  const stub = vscodeStub();
  const load = (Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load;
  (Module as unknown as { _load: unknown })._load = function (request: string, ...rest: unknown[]) {
    if (request === 'vscode') return stub;
    return load.call(this, request, ...rest);
  };
  try {
    const t0 = performance.now();
    const extension = require(bundle) as { activate(ctx: unknown): Promise<unknown> };
    const t1 = performance.now();
    await extension.activate(context(storage));
    const t2 = performance.now();
    process.stdout.write(
      `${JSON.stringify({ requireMs: t1 - t0, activateMs: t2 - t1, totalMs: t2 - t0, vscodeApisTouched: recorded.size })}\n`,
    );
  } finally {
    rmSync(storage, { recursive: true, force: true });
  }
}

// Not common.ts's runMain: importing it would preload node-fetch and http into the measured process.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : String(error));
    process.exit(1);
  },
);
