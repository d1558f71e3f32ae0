// fluxStudio.insert.fileName as a pattern: `${documentBaseName}-${seed}`, `${date}-${prompt}`… The
// variables are saveFolder's (documentVariables, the same transforms on the linear-time matcher) plus
// ${prompt} (the slug), ${seed} and ${date}. The result must be one plain file name: it is checked
// with the rules of a typed name (no separators, no `..`, no Windows device name, ≤ 100 characters),
// and the free-name search still runs after it, so nothing is overwritten.
import { documentVariables, expandVariables, VARIABLE } from './destination';
import { fileExtension, nameTag, slugify, typedNameProblem, type NameSource, type TypedNameProblem } from './naming';

export interface FileNamePatternRequest extends NameSource {
  pattern: string;
  /** URI path of the document the image goes into, if any. */
  documentPath?: string;
  /** URI path of the workspace folder the image is saved in. */
  workspaceFolder: string;
  /** The default name (`a-red-fox-42.jpg`): the pattern's `${fileName}`. */
  fileName: string;
  /** When the image is inserted: `${date}` is its local day. */
  now: Date;
}

export type FileNamePatternProblem = TypedNameProblem | 'unknown-variable' | 'unsafe-pattern';

export type FileNameFromPattern = { ok: true; fileName: string } | { ok: false; problem: FileNamePatternProblem; detail?: string };

/** Whether a fluxStudio.insert.fileName value is a pattern rather than `prompt` or `ask`. */
export function isFileNamePattern(value: unknown): value is string {
  return typeof value === 'string' && value.includes('${');
}

/** The file name the pattern gives, with the image's extension added unless it already ends with it. */
export function fileNameFromPattern(request: FileNamePatternRequest): FileNameFromPattern {
  const values = documentVariables(request);
  values.set('prompt', slugify(request.prompt));
  values.set('seed', nameTag(request));
  values.set('date', localDate(request.now));
  for (const match of request.pattern.matchAll(VARIABLE)) {
    const name = match.groups?.name;
    if (name !== undefined && !values.has(name)) return { ok: false, problem: 'unknown-variable', detail: name };
  }
  const expanded = expandVariables(request.pattern, values);
  if (expanded === undefined) return { ok: false, problem: 'unsafe-pattern' };
  const extension = `.${fileExtension(request.format)}`;
  const base = expanded.toLowerCase().endsWith(extension) ? expanded.slice(0, -extension.length) : expanded;
  // `..` is caught as starting with a dot; with separators refused, no name can leave its folder.
  const problem = typedNameProblem(base);
  return problem ? { ok: false, problem } : { ok: true, fileName: `${base.trim()}${extension}` };
}

/** `2026-12-05`, in the user's time zone: the day they see on their calendar. */
function localDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
