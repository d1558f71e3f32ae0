// The API key lives only in SecretStorage. A cached copy keeps requests from waiting on the
// keychain, and is refreshed when another window changes the secret.
import * as vscode from 'vscode';

const SECRET_KEY = 'fluxStudio.apiKey';

export class ApiKeyStore implements vscode.Disposable {
  private cached: string | undefined;
  private loaded = false;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange(async (event) => {
      if (event.key !== SECRET_KEY) return;
      this.cached = await secrets.get(SECRET_KEY);
      this.changed.fire();
    });
  }

  async get(): Promise<string | undefined> {
    if (!this.loaded) {
      this.cached = await this.secrets.get(SECRET_KEY);
      this.loaded = true;
    }
    return this.cached;
  }

  /** The key if it has been read already; used by the log redactor, which cannot wait. */
  peek(): string | undefined {
    return this.cached;
  }

  async set(key: string): Promise<void> {
    await this.secrets.store(SECRET_KEY, key);
    this.cached = key;
    this.loaded = true;
    this.changed.fire();
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
    this.cached = undefined;
    this.loaded = true;
    this.changed.fire();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
