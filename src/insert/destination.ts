// Where "Insert into workspace" saves an image. `fluxStudio.saveFolder` names a folder relative to the
// workspace folder; for Markdown documents VS Code's own `markdown.copyFiles.destination` wins when
// one of its globs matches the document. Both take the variables of VS Code's Markdown extension
// (extensions/markdown-language-features/src/languageFeatures/copyFiles/copyFiles.ts) with its
// semantics: `${name}`, `${name/regexp/replacement/}`, `\$` for a dollar sign, a leading `/` for the
// workspace folder, a trailing `/` for "this folder, the file's own name". Settings are untrusted:
// the result stays inside the workspace folder or is refused with a reason.
import { anchoredGlobs, globMatches } from './glob';
import { InvalidPattern, UnsupportedPattern, compileRegExp, replaceFirst } from './linearPattern';
import { dirname, extname, normalizeSegments, relativeFolderPath, segments } from './paths';

export interface DestinationRequest {
  /** URI path of the document the image goes into; undefined when there is none (or it is untitled). */
  documentPath?: string;
  languageId?: string;
  /** URI path of the workspace folder the image is saved in (the document's, else the one chosen). */
  workspaceFolder: string;
  /** URI paths of all workspace folders: a glob key starting with `/` is anchored to each. */
  workspaceFolders: readonly string[];
  /** Name of the new file, e.g. `a-red-fox-42.png`. */
  fileName: string;
  /** `fluxStudio.saveFolder` as read from the settings. */
  saveFolder: unknown;
  /** `markdown.copyFiles.destination` as read from the settings: `{ glob: destination }`. */
  markdownDestination?: unknown;
}

export type DestinationSetting = 'markdown.copyFiles.destination' | 'fluxStudio.saveFolder';

export type DestinationRefusal = 'not-a-string' | 'absolute' | 'outside-workspace' | 'control-characters' | 'unsafe-pattern';

export type Destination =
  | { ok: true; /** Workspace-relative POSIX path of the new file. */ path: string; setting: DestinationSetting }
  | { ok: false; reason: DestinationRefusal; setting: DestinationSetting };

/** Variable values longer than this are not transformed (a pattern's run time grows with its input). */
const TRANSFORM_INPUT_MAX = 1024;
export const VARIABLE = /(?<escape>\\\$)|(?<!\\)\$\{(?<name>\w+)(?:\/(?<pattern>(?:\\\/|[^}/])+)\/(?<replacement>(?:\\\/|[^}/])*)\/)?\}/g;

export function resolveDestination(request: DestinationRequest): Destination {
  const markdownRule = request.languageId === 'markdown' ? matchingMarkdownRule(request) : undefined;
  if (markdownRule !== undefined) {
    const setting = 'markdown.copyFiles.destination';
    if (typeof markdownRule !== 'string') return { ok: false, reason: 'not-a-string', setting };
    // Relative to the document's folder, as in VS Code.
    return resolve(markdownRule, dirname(request.documentPath!), request, setting);
  }
  const setting = 'fluxStudio.saveFolder';
  if (typeof request.saveFolder !== 'string') return { ok: false, reason: 'not-a-string', setting };
  // A folder: the file keeps its own name unless the setting names it with ${fileName}.
  const folder = request.saveFolder.trim();
  const destination = folder.includes('${fileName}') ? folder : `${folder.replace(/\/+$/, '')}/`;
  return resolve(destination, request.workspaceFolder, request, setting);
}

function matchingMarkdownRule(request: DestinationRequest): unknown {
  const rules = request.markdownDestination;
  if (!request.documentPath || !rules || typeof rules !== 'object' || Array.isArray(rules)) return undefined;
  for (const [rawGlob, destination] of Object.entries(rules)) {
    if (anchoredGlobs(rawGlob, request.workspaceFolders).some((glob) => globMatches(glob, request.documentPath!))) return destination;
  }
  return undefined;
}

function resolve(raw: string, base: string, request: DestinationRequest, setting: DestinationSetting): Destination {
  let destination = raw.trim() || '${fileName}';
  if (destination.startsWith('/')) destination = `\${documentWorkspaceFolder}/${destination.slice(1)}`;
  if (destination.endsWith('/')) destination += '${fileName}';
  const expanded = expandVariables(destination, documentVariables(request));
  if (expanded === undefined) return { ok: false, reason: 'unsafe-pattern', setting };
  // Backslashes separate folders for people who write Windows paths.
  const path = expanded.replace(/\\/g, '/');
  if (/[\u0000-\u001f\u007f]/.test(path)) return { ok: false, reason: 'control-characters', setting };
  if (/^[A-Za-z]:|^~/.test(path)) return { ok: false, reason: 'absolute', setting };
  const workspace = segments(request.workspaceFolder);
  const resolved = normalizeSegments([...(path.startsWith('/') ? [] : segments(base)), ...path.split('/')]);
  const inside = resolved !== undefined && resolved.length > workspace.length && workspace.every((s, i) => resolved[i] === s);
  if (!inside) return { ok: false, reason: 'outside-workspace', setting };
  return { ok: true, path: resolved.slice(workspace.length).join('/'), setting };
}

/** The variables of `markdown.copyFiles.destination` (also those of a fluxStudio.insert.fileName pattern). */
export function documentVariables(request: Pick<DestinationRequest, 'documentPath' | 'workspaceFolder' | 'fileName'>): Map<string, string> {
  const { documentPath, workspaceFolder, fileName } = request;
  const documentDir = documentPath ? dirname(documentPath) : workspaceFolder;
  const documentFileName = documentPath ? documentPath.slice(documentPath.lastIndexOf('/') + 1) : '';
  const documentExt = extname(documentFileName);
  return new Map([
    ['documentDirName', documentDir],
    ['documentRelativeDirName', relativeFolderPath(workspaceFolder, documentDir)],
    ['documentFileName', documentFileName],
    ['documentBaseName', documentFileName.slice(0, documentFileName.length - documentExt.length)],
    ['documentExtName', documentExt.replace('.', '')],
    ['documentFilePath', documentPath ?? ''],
    ['documentRelativeFilePath', documentPath ? relativeFolderPath(workspaceFolder, documentPath) : ''],
    ['documentWorkspaceFolder', workspaceFolder],
    ['fileName', fileName],
    ['fileExtName', extname(fileName).replace('.', '')],
  ]);
}

/**
 * The pattern with its variables replaced (an unknown one stays as written); undefined when a transform's
 * pattern is not one we run.
 */
export function expandVariables(destination: string, values: Map<string, string>): string | undefined {
  let unsafe = false;
  const expanded = destination.replace(VARIABLE, (match, ...args) => {
    const groups = args[args.length - 1] as Record<string, string | undefined>;
    if (groups.escape) return '$';
    const value = values.get(groups.name!);
    if (value === undefined) return match;
    if (!groups.pattern || !groups.replacement) return value;
    const transformed = transform(value, groups.pattern.replace(/\\\//g, '/'), groups.replacement.replace(/\\\//g, '/'));
    if (transformed === undefined) unsafe = true;
    return transformed ?? '';
  });
  return unsafe ? undefined : expanded;
}

/**
 * `value.replace(new RegExp(pattern), replacement)` as VS Code computes it, run by the linear-time matcher
 * (a workspace setting must not hang the extension host); undefined for a pattern outside its subset.
 */
function transform(value: string, pattern: string, replacement: string): string | undefined {
  if (value.length > TRANSFORM_INPUT_MAX) return undefined;
  try {
    return replaceFirst(compileRegExp(pattern), value, replacement);
  } catch (error) {
    if (error instanceof InvalidPattern) return value; // an invalid pattern leaves the value as it is, as in VS Code
    if (error instanceof UnsupportedPattern) return undefined;
    throw error;
  }
}
