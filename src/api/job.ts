// Normalises whatever the service returns for a job into one shape. The documentation shows several
// `result` shapes and the OpenAPI file adds CANCELLED; anything unexpected degrades safely.

export type JobStatus = 'QUEUED' | 'PROCESSING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'UNKNOWN';

const KNOWN_STATUSES: readonly JobStatus[] = ['QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED'];

export interface Job {
  id: string;
  status: JobStatus;
  /** 0–100. */
  progress: number;
  /** Only http(s) URLs; anything else in `result` is dropped. */
  imageUrls: string[];
  error?: string;
  creditCost?: number;
  createdAt?: number;
  completedAt?: number;
  /** The service purged the result files (they 404 now). */
  expired: boolean;
  model?: string;
  /** The prompt and options the job was made with, when the service reports them. */
  input?: unknown;
}

export function isFinished(status: JobStatus): boolean {
  return status === 'COMPLETED' || status === 'FAILED' || status === 'CANCELLED';
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function httpUrls(values: unknown[]): string[] {
  return values.filter((value): value is string => typeof value === 'string' && /^https?:\/\//i.test(value));
}

/** Accepts a string URL, `{ images: [...] }`, `{ url }`, or an array of URLs. */
export function resultUrls(result: unknown): string[] {
  if (typeof result === 'string') return httpUrls([result]);
  if (Array.isArray(result)) return httpUrls(result);
  const record = asRecord(result);
  if (!record) return [];
  if (Array.isArray(record.images)) return httpUrls(record.images);
  if (typeof record.url === 'string') return httpUrls([record.url]);
  if (typeof record.sample === 'string') return httpUrls([record.sample]);
  return [];
}

function timestamp(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}

function finiteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function errorText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.slice(0, 500);
  const record = asRecord(value);
  if (record && typeof record.message === 'string') return record.message.slice(0, 500);
  return undefined;
}

/** Returns undefined when the payload is not a job at all. */
export function normalizeJob(raw: unknown, fallbackId?: string): Job | undefined {
  const record = asRecord(raw);
  if (!record) return undefined;
  const id = typeof record.id === 'string' ? record.id : typeof record.jobId === 'string' ? record.jobId : fallbackId;
  if (!id) return undefined;
  const statusText = typeof record.status === 'string' ? record.status.toUpperCase() : '';
  const status = (KNOWN_STATUSES as readonly string[]).includes(statusText) ? (statusText as JobStatus) : 'UNKNOWN';
  const progress = Math.min(100, Math.max(0, finiteNumber(record.progress) ?? (status === 'COMPLETED' ? 100 : 0)));
  return {
    id,
    status,
    progress,
    imageUrls: resultUrls(record.result),
    error: errorText(record.error),
    creditCost: finiteNumber(record.creditCost),
    createdAt: timestamp(record.createdAt),
    completedAt: timestamp(record.completedAt),
    expired: record.expired === true,
    model: typeof record.model === 'string' ? record.model : undefined,
    input: record.input,
  };
}
