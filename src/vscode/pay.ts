// THE gate every paid path goes through (commands, gallery, variants, missing images, re-run, the language
// model tool, Illustrate This Document): the price from the one price source, the spending limit, then the user's agreement. Nothing
// submits a job without passing here (GenerationService.generateVariants calls it before the engine).
import { promises as fs } from 'fs';
import * as path from 'path';
import type { ImagePrice } from '../api/prices';
import { parseJsonOrUndefined, readIfExists, writeFileAtomic } from '../gallery/files';
import type { PriceBook } from './prices';
import { creditsText } from './prices';
import { askModal } from './ui/show';
import { join, l10n, type SafeText } from './ui/text';
import { confirmVariantCost, variantCostText } from './variants';

/**
 * The price of one image the user agreed to with "Don't ask again", in global storage: one machine, one
 * answer, seen at once by every window (a file, not globalState, whose copies windows do not share live).
 */
const AGREED_PRICE_FILE = 'agreed-price.json';

/** A spending limit (the daily budget, budget.ts). */
export interface SpendingLimit {
  /** Reserves `credits` or, past the limit, asks the user in a modal of its own; false stops the request before any job. */
  reserve(credits: number, reason: string): Promise<boolean>;
  /** Gives back credits reserved at `reservedAt` that no job will spend. */
  release(credits: number, reservedAt: number, reason: string): Promise<void>;
}

/** What the gate let through: `count` images at `credits` each, reserved against the limit. */
export interface Payment {
  readonly count: number;
  /** Gives back the share of `unsent` images that never became a job (refused before anything was sent). */
  release(unsent: number): Promise<void>;
}

export interface PaymentRequest {
  /** Images this one action pays for. */
  count: number;
  /** The user already agreed to this price elsewhere (the tool's own confirmation, the missing-images question). */
  costConfirmed?: boolean;
}

export class PaymentGate {
  constructor(
    private readonly prices: PriceBook,
    private readonly storageDir: string,
    /** The balance Apiframe last reported, if any. */
    private readonly balance: () => number | undefined,
    private readonly limit: SpendingLimit,
  ) {}

  /**
   * The payment when the images may be paid for; undefined when not (the reason was shown, or the user
   * declined). The caller releases what it did not send.
   */
  async pay(request: PaymentRequest): Promise<Payment | undefined> {
    const price = await this.prices.refresh();
    if (!(await this.agreed(request, price))) return undefined;
    // Last: the limit reserves the credits, so a declined price must not have reserved anything.
    const reservedAt = Date.now();
    if (!(await this.limit.reserve(request.count * price.credits, request.count === 1 ? 'one image' : `${request.count} images`))) return undefined;
    let unreleased = request.count;
    return {
      count: request.count,
      release: async (unsent) => {
        const released = Math.min(unsent, unreleased);
        if (released <= 0) return;
        unreleased -= released;
        await this.limit.release(released * price.credits, reservedAt, `${released} of ${request.count} images not sent`);
      },
    };
  }

  /**
   * A batch the user starts as one (the plan of Illustrate This Document): its price asked once, in the
   * batch's own words. Each image then passes `pay` with `costConfirmed` as it starts, which reserves it
   * against the spending limit — so the images a Cancel leaves unstarted reserve nothing.
   */
  async confirmBatch(count: number, question: (price: ImagePrice) => SafeText): Promise<boolean> {
    const price = await this.prices.refresh();
    if (count === 1) return this.agreed({ count }, price);
    const go = l10n.t('Generate {0} Images', count);
    return (await askModal(question(price), variantCostText(count, price), go)) === go;
  }

  private async agreed(request: PaymentRequest, price: ImagePrice): Promise<boolean> {
    if (request.costConfirmed) return true;
    if (request.count > 1) return confirmVariantCost(request.count, price);
    if ((await this.agreedPrice()) === price.credits) return true;
    return this.askFirstPrice(price);
  }

  /** Before the first paid image (and after a price change): the price of one image, once, with "Don't ask again". */
  private async askFirstPrice(price: ImagePrice): Promise<boolean> {
    const generate = l10n.t('Generate');
    const dontAsk = l10n.t("Don't ask again");
    const balance = this.balance();
    const detail = join([
      price.source === 'priceList'
        ? l10n.t('Apiframe charges {0} per Flux 1.1 Pro Ultra image (its published price list). Failed images are refunded.', creditsText(price))
        : l10n.t('Apiframe charges {0} per Flux 1.1 Pro Ultra image (its documented price; the price list could not be read). Failed images are refunded.', creditsText(price)),
      ...(balance !== undefined ? [l10n.t('Your balance: {0} credits.', balance)] : []),
    ]);
    const choice = await askModal(l10n.t('Generate an image for {0}?', creditsText(price)), detail, generate, dontAsk);
    if (choice === dontAsk) await this.agreeTo(price.credits);
    return choice === generate || choice === dontAsk;
  }

  /** Remembers the price of one image the user agreed to for good (undefined: ask again next time). */
  async agreeTo(credits: number | undefined): Promise<void> {
    await fs.mkdir(this.storageDir, { recursive: true });
    await writeFileAtomic(path.join(this.storageDir, AGREED_PRICE_FILE), JSON.stringify({ credits: credits ?? null }));
  }

  private async agreedPrice(): Promise<number | undefined> {
    const raw = await readIfExists(path.join(this.storageDir, AGREED_PRICE_FILE)).catch(() => undefined);
    const credits = (parseJsonOrUndefined(raw) as { credits?: unknown } | undefined)?.credits; // unreadable: ask again
    return typeof credits === 'number' ? credits : undefined;
  }
}
