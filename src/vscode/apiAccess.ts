// Builds the Apiframe client for each call from the user's current settings and key, so a changed
// apiBaseUrl or key applies at once; the job engine goes through `engineApi`.
import { ApiframeClient, type ApiframeApi } from '../api/client';
import { ApiError } from '../api/errors';
import type { Log } from '../shared/log';
import { logRequest } from './log';
import { readApiBaseUrl } from './settings';
import type { ApiKeyStore } from './keys';

export class ApiAccess {
  constructor(
    private readonly keys: ApiKeyStore,
    private readonly log: Log,
  ) {}

  /** A client for the configured host; throws an ApiError naming apiBaseUrl when the setting is unusable. */
  client(): ApiframeClient {
    const base = readApiBaseUrl();
    if ('error' in base) throw new ApiError('invalidParameters', base.error, { field: 'apiBaseUrl' });
    return new ApiframeClient({
      baseUrl: base.url,
      getApiKey: () => this.keys.get(),
      onRequest: (record) => logRequest(this.log, record),
      onRefusedUrl: (line) => this.log.warn(line),
    });
  }

  readonly engineApi: ApiframeApi = {
    submit: (options, call) => this.client().submit(options, call),
    getJob: (id, call) => this.client().getJob(id, call),
    fetchImage: (url, call) => this.client().fetchImage(url, call),
  };
}
