// The one place every cost shown comes from (variants, missing images, the tool's confirmation, the gallery,
// the price question): Apiframe's public price list, cached for a day in global storage so that every window
// asks at most once a day, with the documented value when it cannot be read.
import * as path from 'path';
import * as vscode from 'vscode';
import { cachedPrice, DOCUMENTED_PRICE, parseImagePrice, type ImagePrice } from '../api/prices';
import { readIfExists, writeFileAtomic } from '../gallery/files';
import type { Log } from '../shared/log';
import type { ApiAccess } from './apiAccess';
import { l10n, type SafeText } from './ui/text';

const CACHE_FILE = 'image-price.json';

export class PriceBook implements vscode.Disposable {
  private price: ImagePrice = DOCUMENTED_PRICE;
  private refreshing: Promise<ImagePrice> | undefined;
  private readonly changed = new vscode.EventEmitter<ImagePrice>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly storageDir: string,
    private readonly api: Pick<ApiAccess, 'client'>,
    private readonly log: Log,
    private readonly now: () => number = Date.now,
  ) {}

  /** The price as last known (the documented value until the list was read). */
  current(): ImagePrice {
    return this.price;
  }

  /** The price, read from the cache or (older than a day) from Apiframe; never fails. */
  refresh(): Promise<ImagePrice> {
    return (this.refreshing ??= this.read().finally(() => (this.refreshing = undefined)));
  }

  private async read(): Promise<ImagePrice> {
    const file = path.join(this.storageDir, CACHE_FILE);
    const cached = await readIfExists(file)
      .then((raw) => (raw === undefined ? undefined : cachedPrice(JSON.parse(raw), this.now())))
      .catch(() => undefined);
    const price = cached ?? (await this.fetch(file));
    if (price.credits !== this.price.credits || price.approximate !== this.price.approximate || price.source !== this.price.source) {
      this.price = price;
      this.changed.fire(price);
    }
    return price;
  }

  private async fetch(file: string): Promise<ImagePrice> {
    try {
      const price = parseImagePrice(await this.api.client().imageModels(), this.now());
      if (!price) {
        this.log.warn('price list: no usable Flux 1.1 Pro Ultra price; using the documented 6 credits');
        return DOCUMENTED_PRICE;
      }
      await writeFileAtomic(file, JSON.stringify(price)).catch((error) => this.log.warn(`price cache: ${String(error)}`));
      this.log.info(`price list: ${price.credits} credits per image${price.approximate ? ' (wide range)' : ''}`);
      return price;
    } catch (error) {
      this.log.warn(`price list unavailable (${error instanceof Error ? error.message : String(error)}); using the documented 6 credits`);
      return DOCUMENTED_PRICE;
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** "6 credits" or "about 6 credits", for `count` images. */
export function creditsText(price: ImagePrice, count = 1): SafeText {
  const total = price.credits * count;
  return price.approximate ? l10n.t('about {0} credits', total) : l10n.t('{0} credits', total);
}
