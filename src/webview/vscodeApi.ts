// The webview's side of the bridge: the VS Code API handle, typed commands out, and the state kept
// across reloads with setState (the panel retains its context when hidden, but VS Code may still reload the
// page, and it does after a window reload).
import { PendingRequests, type IpcCommandType, type IpcRequestType, type ResponseParams } from '../protocol/ipc';
import type { CommandMethod, CommandParamsMap, RequestMethod, RequestParams, RequestResult } from '../protocol/gallery';
import { STATE_FILTERS, type StateFilter } from './listItems';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();
const requests = new PendingRequests('r');
let nextCommandId = 1;

/** Sends a command (no reply). */
export function send<M extends CommandMethod>(type: IpcCommandType<M>, params: CommandParamsMap[M]): void {
  api.postMessage({ id: `c${nextCommandId++}`, method: type.method, params });
}

/** Sends a request; resolves with its typed result, or rejects with the reason the extension gave. */
export function request<M extends RequestMethod>(type: IpcRequestType<M>, params: RequestParams<M>): Promise<RequestResult<M>> {
  const { id, response } = requests.open<RequestResult<M>>();
  api.postMessage({ id, method: type.method, params });
  return response;
}

/** Hands a response notification to the request waiting for it. */
export function settleResponse(response: ResponseParams): void {
  requests.settle(response);
}

export interface Draft {
  prompt: string;
  aspectRatio: string;
  outputFormat: string;
  outputQuality: string;
  raw: boolean;
  seed: string;
  imagePrompt: string;
  imagePromptStrength: string;
  /** Absent in drafts saved before the prompt bar had it. */
  variants?: string;
}

export interface PersistedState {
  search: string;
  filter: StateFilter;
  /** The card at the top of the view and its offset from the top, to restore the scroll position. */
  anchorId?: string;
  anchorOffset?: number;
  scrollY: number;
  draft?: Draft;
  /** Whether the prompt bar's Options disclosure is open. */
  optionsOpen?: boolean;
}

export function loadState(): PersistedState {
  const raw = api.getState() as Partial<PersistedState> | undefined;
  const state: PersistedState = { search: '', filter: 'all', scrollY: 0 };
  if (!raw || typeof raw !== 'object') return state;
  if (typeof raw.search === 'string') state.search = raw.search.slice(0, 500);
  if (STATE_FILTERS.includes(raw.filter as StateFilter)) state.filter = raw.filter as StateFilter;
  if (typeof raw.anchorId === 'string') state.anchorId = raw.anchorId;
  if (typeof raw.anchorOffset === 'number' && Number.isFinite(raw.anchorOffset)) state.anchorOffset = raw.anchorOffset;
  if (typeof raw.scrollY === 'number' && Number.isFinite(raw.scrollY)) state.scrollY = raw.scrollY;
  if (raw.draft && typeof raw.draft === 'object') state.draft = raw.draft;
  if (raw.optionsOpen === true) state.optionsOpen = true;
  return state;
}

let pending: PersistedState | undefined;
let timer: ReturnType<typeof setTimeout> | undefined;

/** Coalesces state writes (scrolling calls this often). */
export function saveState(state: PersistedState): void {
  pending = state;
  timer ??= setTimeout(() => {
    timer = undefined;
    if (pending) api.setState(pending);
  }, 150);
}

// A write still waiting when the page goes away (VS Code reloads it) is written first.
window.addEventListener('pagehide', () => {
  if (timer && pending) saveStateNow(pending);
});

export function saveStateNow(state: PersistedState): void {
  pending = state;
  if (timer) clearTimeout(timer);
  timer = undefined;
  api.setState(state);
}
