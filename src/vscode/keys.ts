// The API key: kept only in SecretStorage, checked with Apiframe before it is kept, asked for inline when
// a generation needs it. Several windows share the secret, and code-server does not deliver SecretStorage
// change events across windows, so the cached copy is re-read on a miss and whenever the window gains focus.
import * as vscode from 'vscode';
import type { Account } from '../api/client';
import { isApiError } from '../api/errors';
import { describeError } from './errorMessages';
import { askText, showError, showInfo, showWarning } from './ui/show';
import { l10n, plain, type SafeText } from './ui/text';

const SECRET_KEY = 'fluxStudio.apiKey';
/** Where Apiframe accounts create their API keys. */
const API_KEYS_PAGE = 'https://console.apiframe.ai';

export class ApiKeyStore implements vscode.Disposable {
  private cached: string | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** The key was set, cleared or replaced (here or, once noticed, in another window). */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscriptions = [
      secrets.onDidChange((event) => event.key === SECRET_KEY && void this.reload()),
      vscode.window.onDidChangeWindowState((state) => state.focused && void this.reload()),
    ];
  }

  /** The key; asks SecretStorage again while none is known, so a key stored by another window is found. */
  async get(): Promise<string | undefined> {
    return this.cached ?? this.reload();
  }

  /** The key if it has been read already; used by the log redactor, which cannot wait. */
  peek(): string | undefined {
    return this.cached;
  }

  async set(key: string): Promise<void> {
    await this.secrets.store(SECRET_KEY, key);
    this.update(key);
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
    this.update(undefined);
  }

  private async reload(): Promise<string | undefined> {
    this.update(await this.secrets.get(SECRET_KEY));
    return this.cached;
  }

  private update(key: string | undefined): void {
    if (key === this.cached) return;
    this.cached = key;
    this.changed.fire();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}

/** Setting, checking and clearing the key, with what the user sees while doing it. */
export class KeyService {
  private readonly accountChecked = new vscode.EventEmitter<Account>();
  /** A key was checked with Apiframe: the account it belongs to (credits for the status bar). */
  readonly onDidCheckAccount = this.accountChecked.event;

  constructor(
    readonly store: ApiKeyStore,
    private readonly fetchAccount: () => Promise<Account>,
  ) {}

  /** Asks for the key, checks it with Apiframe, and stores it. Returns whether a key is now set. */
  async promptForKey(reason?: SafeText): Promise<boolean> {
    const key = await askText({
      title: l10n.t('Flux: Set API Key'),
      prompt: reason ?? l10n.t("Paste your Apiframe API key (it starts with afk_). It is kept in VS Code's secret storage."),
      password: true,
      placeHolder: plain('afk_…'),
      validate: (value) => (value.trim().length < 8 || /\s/.test(value.trim()) ? l10n.t('That does not look like an API key.') : undefined),
      link: { tooltip: l10n.t('Create an API key in the Apiframe console'), url: API_KEYS_PAGE },
    });
    if (key === undefined) return false;
    return this.setKey(key.trim());
  }

  async setKey(key: string): Promise<boolean> {
    const previous = await this.store.get();
    await this.store.set(key);
    let account: Account;
    try {
      account = await this.fetchAccount();
    } catch (error) {
      if (isApiError(error) && (error.kind === 'invalidKey' || error.kind === 'inactiveKey')) {
        if (previous) await this.store.set(previous);
        else await this.store.clear();
        const retry = l10n.t('Set API Key');
        void showError(describeError(error), retry).then((choice) => choice === retry && this.promptForKey());
        return false;
      }
      // Offline or a server hiccup: keep the key, say we could not check it.
      void showWarning(l10n.t('API key saved, but it could not be checked now: {0}', describeError(error)));
      return true;
    }
    this.accountChecked.fire(account);
    const who = account.userLabel ?? account.teamName;
    const message =
      who === undefined
        ? account.credits !== undefined
          ? l10n.t('API key saved. Credits available: {0}.', account.credits)
          : l10n.t('API key saved.')
        : account.credits !== undefined
          ? l10n.t('API key saved for {0}. Credits available: {1}.', who, account.credits)
          : l10n.t('API key saved for {0}.', who);
    void showInfo(message);
    return true;
  }

  async clearKey(): Promise<void> {
    await this.store.clear();
    void showInfo(l10n.t('Your Apiframe API key was removed from this computer.'));
  }

  /** The key, asking for it inline when there is none. */
  async ensureKey(): Promise<boolean> {
    if (await this.store.get()) return true;
    return this.promptForKey(l10n.t("Flux Studio needs your Apiframe API key to generate images. It is kept in VS Code's secret storage."));
  }

  dispose(): void {
    this.accountChecked.dispose();
  }
}
