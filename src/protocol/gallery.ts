// The gallery's messages (see ipc.ts for the three kinds). What the webview sends is untrusted and is
// checked on arrival by parseWebviewMessage (validate.ts). Free of Node and DOM APIs: the extension and
// the webview both compile it.
import type { EntryState } from '../shared/entry';
import type { GenerationOptions } from '../shared/options';
import { command, notification, request, type ResponseParams } from './ipc';
import type { GalleryStrings } from './strings';

// ---------------------------------------------------------------------------------------------------
// Limits

/** Message and entry ids. */
export const ID_MAX_LENGTH = 64;
export const REASON_MAX_LENGTH = 500;
/** A URI dropped onto the gallery, at most this long. */
export const DROPPED_URI_MAX_LENGTH = 2048;
/** Images compared side by side: at least COMPARE_MIN, at most COMPARE_MAX (Swipe takes exactly two). */
export const COMPARE_MIN = 2;
export const COMPARE_MAX = 4;
/** Thumbnails the webview makes: WebP, about this wide, at most this many bytes once decoded. */
export const THUMBNAIL_WIDTH = 320;
export const THUMBNAIL_MAX_BYTES = 200 * 1024;
export const THUMBNAIL_DATA_URL_PREFIX = 'data:image/webp;base64,';
export const THUMBNAIL_DATA_URL_MAX_LENGTH = THUMBNAIL_DATA_URL_PREFIX.length + Math.ceil(THUMBNAIL_MAX_BYTES / 3) * 4;
/** Stored thumbnails the webview asks for at once (those of the cards near the view), at most. */
export const THUMBNAILS_PER_REQUEST = 48;
/** The page shell carries the newest entries, enough for a first screen on a large display … */
export const BOOT_ENTRIES = 24;
/**
 * … and the thumbnails of the first of them, at most this many bytes in all (about a dozen: the rows a
 * large display shows first; the rest are asked for once the page runs). Every byte of the shell is
 * carried, rewritten and parsed several times before VS Code shows the page: at 1 MiB (24 thumbnails)
 * the shell took ~70 ms more than the floor's page to show.
 */
export const BOOT_THUMBNAIL_BUDGET = 160 * 1024;

// ---------------------------------------------------------------------------------------------------
// Shapes

/** What the prompt bar sends: the generation options minus the webhook (a setting the extension adds). */
export type PromptOptions = Omit<GenerationOptions, 'webhookUrl'>;

/** Prompt-bar defaults, from the settings (`variants`: fluxStudio.variants, 1–4). */
export type PromptDefaults = Pick<
  GenerationOptions,
  'aspectRatio' | 'outputFormat' | 'outputQuality' | 'raw' | 'seed' | 'imagePromptStrength'
> & { variants?: number; /** fluxStudio.prompt.enhance is not off: the Enhance prompt button shows. */ enhancePrompt?: boolean };

/** One gallery entry as the webview sees it: display fields and webview URIs, no file paths. */
export interface EntryView extends PromptOptions {
  id: string;
  state: EntryState;
  /** 0–100. */
  progress: number;
  /** Why it failed or paused, already in the display language. */
  error?: string;
  createdAt: number;
  /** From the server accepting the job (or the local submit) to the stored image. */
  durationMs?: number;
  creditCost?: number;
  width?: number;
  height?: number;
  imported?: boolean;
  /** asWebviewUri of the cached thumbnail. */
  thumbUri?: string;
  /** The user's own text when `prompt` is a language model's rewrite of it. */
  originalPrompt?: string;
  /** asWebviewUri of the stored full image; sent only while there is no thumbnail, to make one. */
  imageUri?: string;
  /** Variants of one request share a group (shown as one row); `variantIndex` is 0-based. */
  groupId?: string;
  variantIndex?: number;
  starred?: boolean;
}

export interface EntryParams {
  entryId: string;
}

export type EmptyParams = Record<string, never>;

/**
 * A stored WebP thumbnail, shown through a blob: URL: one request for the cards near the view instead
 * of one per image through the resource service worker (which cannot cancel what a fast scroll left behind).
 */
export interface ThumbnailBytes {
  entryId: string;
  bytes: Uint8Array;
}

/** The same in the page shell's JSON: the bytes in base64. */
export interface BootThumbnail {
  entryId: string;
  webp: string;
}

/**
 * What the page shell (the HTML the extension sets) carries in `<script type="application/json"
 * id="gallery-boot">`, so the first screen needs neither a message nor a resource request.
 */
export interface GalleryBoot {
  strings: GalleryStrings;
  /** VS Code's display language (`vscode.env.language`), for dates and numbers. */
  locale: string;
  defaults: PromptDefaults;
  totalCredits: number;
  /** Credits one image costs, as far as Apiframe told us (the Generate button states N × this). */
  imageCost: number;
  /** The newest entries, at most BOOT_ENTRIES; `gallery/init` then brings them all. */
  entries: EntryView[];
  /** How many entries the gallery holds; null while it is still loading (`entries` are then the newest as last known; `gallery/init` brings them all). */
  entryCount: number | null;
  /** Thumbnails of some of `entries`, within BOOT_THUMBNAIL_BUDGET. */
  thumbnails: BootThumbnail[];
  /** asWebviewUri of the codicon stylesheet, loaded once the page is shown (it would hold the page hidden). */
  codiconStylesheet: string;
}

/** Webview → extension, no reply. */
export interface CommandParamsMap {
  /** The webview has loaded (with what the page shell carried) and wants the init notification. */
  'gallery/ready': EmptyParams;
  'gallery/importFromAccount': EmptyParams;
  /** The empty gallery's Set API Key button: runs Flux: Set API Key. */
  'gallery/setApiKey': EmptyParams;
  'entry/insert': EntryParams;
  'entry/saveAs': EntryParams;
  'entry/copyLink': EntryParams;
  'entry/openFullSize': EntryParams;
  'entry/useAsReference': EntryParams;
  'entry/rerun': EntryParams;
  'entry/vary': EntryParams;
  'entry/delete': EntryParams;
  /** A paused job: continue it (same idempotency key, nothing charged twice). */
  'entry/retry': EntryParams;
  /** A paused job: remove it without collecting the image (the job goes on at Apiframe). */
  'entry/forget': EntryParams;
  /** The webview could not make a thumbnail (e.g. tainted canvas) and shows the full image scaled down. */
  'entry/thumbnailFailed': { entryId: string; reason: string };
  /** Star or unstar an entry (starred entries are never deleted by bulk actions). */
  'entry/star': { entryId: string; starred: boolean };
  /** Keep this variant: offers to delete the other (unstarred, finished) variants of its group. */
  'entry/keep': EntryParams;
  /**
   * A file dropped onto the gallery (its `file:` or `vscode-remote:` URI from VS Code's drag data, an image
   * by its extension): the extension checks it is a local image and offers Re-run with its record.
   */
  'gallery/dropImage': { uri: string };
}

/** Webview → extension, answered with a result of the declared type. */
export interface RequestMap {
  /**
   * Starts a generation from the prompt bar (fails with the reason to show under it); `variants` (1–4,
   * default 1): that many images with different seeds, after the cost is confirmed; the result names the first.
   */
  /** `originalPrompt`: the user's own text when the prompt is the Enhance prompt button's rewrite of it. */
  'gallery/generate': { params: { options: PromptOptions; variants?: number; originalPrompt?: string }; result: { entryId: string } };
  /** A language model's rewrite of the prompt (fluxStudio.prompt.enhance); refused when there is none (the reason was shown). */
  'gallery/enhancePrompt': { params: { prompt: string }; result: { prompt: string } };
  /** The stored thumbnails of these entries, for those that have one (1–THUMBNAILS_PER_REQUEST ids). */
  'entry/thumbnails': { params: { entryIds: string[] }; result: { thumbnails: ThumbnailBytes[] } };
  /** A WebP thumbnail the webview drew from the stored image (`data:image/webp;base64,…`). */
  'entry/thumbnail': { params: { entryId: string; dataUrl: string }; result: { stored: boolean } };
  /** The stored full images of the entries to compare (1–COMPARE_MAX ids), for those that have one. */
  'entry/fullImages': { params: { entryIds: string[] }; result: { images: FullImage[] } };
}

/** asWebviewUri of an entry's stored image. */
export interface FullImage {
  entryId: string;
  uri: string;
}

/** Extension → webview. */
export interface NotificationParamsMap {
  /** Every entry, newest first (the page shell carried only the first screenful), and current settings. */
  'gallery/init': { entries: EntryView[]; defaults: PromptDefaults; totalCredits: number; imageCost: number };
  /** Incremental change: entries added or updated, ids removed. */
  'gallery/entriesChanged': { upserts: EntryView[]; removals: string[]; totalCredits: number; imageCost: number };
  'gallery/defaultsChanged': { defaults: PromptDefaults };
  /** Whether an API key is stored (the empty gallery says so); sent after init and whenever it changes. */
  'gallery/keyState': { hasApiKey: boolean };
  /** Answers a request by its id. */
  'gallery/response': ResponseParams;
}

export type CommandMethod = keyof CommandParamsMap;
export type RequestMethod = keyof RequestMap;
export type NotificationMethod = keyof NotificationParamsMap;
export type RequestParams<M extends RequestMethod> = RequestMap[M]['params'];
export type RequestResult<M extends RequestMethod> = RequestMap[M]['result'];

// Commands: webview → extension
export const ReadyCommand = command('gallery/ready');
export const ImportFromAccountCommand = command('gallery/importFromAccount');
export const SetApiKeyCommand = command('gallery/setApiKey');
export const InsertCommand = command('entry/insert');
export const SaveAsCommand = command('entry/saveAs');
export const CopyLinkCommand = command('entry/copyLink');
export const OpenFullSizeCommand = command('entry/openFullSize');
export const UseAsReferenceCommand = command('entry/useAsReference');
export const RerunCommand = command('entry/rerun');
export const VaryCommand = command('entry/vary');
export const DeleteCommand = command('entry/delete');
export const RetryCommand = command('entry/retry');
export const ForgetCommand = command('entry/forget');
export const ThumbnailFailedCommand = command('entry/thumbnailFailed');
export const StarCommand = command('entry/star');
export const KeepCommand = command('entry/keep');
export const DropImageCommand = command('gallery/dropImage');

// Requests: webview → extension → response
export const GenerateRequest = request('gallery/generate');
export const EnhancePromptRequest = request('gallery/enhancePrompt');
export const ThumbnailsRequest = request('entry/thumbnails');
export const ThumbnailRequest = request('entry/thumbnail');
export const FullImagesRequest = request('entry/fullImages');

// Notifications: extension → webview
export const InitNotification = notification('gallery/init');
export const EntriesChangedNotification = notification('gallery/entriesChanged');
export const DefaultsChangedNotification = notification('gallery/defaultsChanged');
export const KeyStateNotification = notification('gallery/keyState');
export const ResponseNotification = notification('gallery/response');

/** Every message the extension accepts from the webview, once validated. */
export type WebviewMessage =
  | { [K in CommandMethod]: { id: string; method: K; params: CommandParamsMap[K] } }[CommandMethod]
  | { [K in RequestMethod]: { id: string; method: K; params: RequestParams<K> } }[RequestMethod];

/** Every message the webview accepts from the extension. */
export type ExtensionMessage = { [K in NotificationMethod]: { method: K; params: NotificationParamsMap[K] } }[NotificationMethod];

export const NOTIFICATION_METHODS: readonly NotificationMethod[] = [
  InitNotification.method,
  EntriesChangedNotification.method,
  DefaultsChangedNotification.method,
  KeyStateNotification.method,
  ResponseNotification.method,
];

export function isRequestMethod(method: WebviewMessage['method']): method is RequestMethod {
  return (
    method === GenerateRequest.method ||
    method === EnhancePromptRequest.method ||
    method === ThumbnailsRequest.method ||
    method === ThumbnailRequest.method ||
    method === FullImagesRequest.method
  );
}
