// The one place that knows which English strings the extension localizes at run time:
//  - every literal first argument of `vscode.l10n.t(…)` / `l10n.t(…)` in src/**/*.ts (parsed with the
//    TypeScript compiler, so escapes, comments and line breaks are handled like the compiler does);
//  - the English string tables (STRING_TABLES): the gallery webview's `GALLERY_STRINGS_EN` in
//    src/protocol/strings.ts (its values go through `l10n.t` in src/vscode/gallery/page.ts) and the options'
//    wording `OPTION_RULES_EN` in src/shared/optionsSchema.ts (through `l10n.t` in src/vscode/optionRules.ts,
//    and spread into the gallery table), and the states' names `STATE_NAMES_EN` in src/shared/entry.ts
//    (through `l10n.t` in src/vscode/stateLabels.ts, and spread too), and the Illustrate plan page's
//    `PLAN_STRINGS_EN` in src/protocol/illustrate.ts (through `l10n.t` in src/vscode/illustrate/panel.ts), so
//    their values are bundle keys too.
// A call whose message cannot be read statically is an error, so no string slips through.
// Used by scripts/l10n-extract.mjs (writes l10n/bundle.l10n.json) and test/unit/l10n.test.ts.
// Depends only on Node and `typescript`, so the script can load it without compiling the project.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

export interface L10nOccurrence {
  /** The bundle key: the message (plus `/comment` for the object form, as VS Code builds it). */
  key: string;
  /** Repository-relative, POSIX separators. */
  file: string;
  line: number;
}

export interface L10nExtraction {
  /** Unique keys, sorted. */
  keys: string[];
  occurrences: L10nOccurrence[];
  /** Calls whose message is not a literal, indirect uses of `l10n.t`, malformed tables. Empty when all is well. */
  errors: string[];
}

/** Where the gallery table lives, and its name. */
export const GALLERY_STRINGS_FILE = 'src/protocol/strings.ts';
export const GALLERY_STRINGS_TABLE = 'GALLERY_STRINGS_EN';
export const OPTION_RULES_FILE = 'src/shared/optionsSchema.ts';
export const OPTION_RULES_TABLE = 'OPTION_RULES_EN';

/** Every English table whose values are translated by key. A table may spread another one of these. */
export const STRING_TABLES: ReadonlyArray<{ file: string; table: string }> = [
  { file: GALLERY_STRINGS_FILE, table: GALLERY_STRINGS_TABLE },
  { file: OPTION_RULES_FILE, table: OPTION_RULES_TABLE },
  { file: 'src/shared/entry.ts', table: 'STATE_NAMES_EN' },
  { file: 'src/protocol/illustrate.ts', table: 'PLAN_STRINGS_EN' },
];

/**
 * `l10n.t` calls whose argument is not a literal but whose strings are known to be extracted another
 * way: file → argument source text. The gallery panel translates every value of the gallery table.
 */
export const KNOWN_DYNAMIC_CALLS: ReadonlyArray<{ file: string; argument: string; coveredBy: string }> = [
  { file: 'src/vscode/gallery/page.ts', argument: 'GALLERY_STRINGS_EN[key]', coveredBy: GALLERY_STRINGS_TABLE },
  { file: 'src/vscode/optionRules.ts', argument: 'OPTION_RULES_EN[key]', coveredBy: OPTION_RULES_TABLE },
  { file: 'src/vscode/stateLabels.ts', argument: 'STATE_NAMES_EN[STATE_NAME_KEYS[entry.state]]', coveredBy: 'STATE_NAMES_EN' },
  { file: 'src/vscode/illustrate/panel.ts', argument: 'PLAN_STRINGS_EN[key]', coveredBy: 'PLAN_STRINGS_EN' },
  // The safe-text wrapper passes its callers' literal messages on; those calls are extracted where they are.
  { file: 'src/vscode/ui/text.ts', argument: 'message', coveredBy: 'the callers of l10n.t' },
];

/** `src/**\/*.ts` under root (sorted, repository-relative, POSIX separators). */
export function listSourceFiles(root: string, dir = 'src'): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(child);
    }
  };
  walk(dir);
  return out.sort();
}

/** `x.l10n.t` or `l10n.t` (the callee, not yet called). */
function isL10nT(node: ts.Node): node is ts.PropertyAccessExpression {
  if (!ts.isPropertyAccessExpression(node) || node.name.text !== 't') return false;
  const target = node.expression;
  return (ts.isIdentifier(target) && target.text === 'l10n') || (ts.isPropertyAccessExpression(target) && target.name.text === 'l10n');
}

/** The text of a string literal or a template literal without substitutions; undefined otherwise. */
function literalText(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isParenthesizedExpression(node)) return literalText(node.expression);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  return undefined;
}

/** The key of `l10n.t({ message, comment })`: `message/comment` (comment array joined), as VS Code does. */
function objectFormKey(node: ts.ObjectLiteralExpression): string | undefined {
  let message: string | undefined;
  let comment = '';
  for (const property of node.properties) {
    if (!ts.isPropertyAssignment(property)) {
      if (ts.isShorthandPropertyAssignment(property) && property.name.text === 'args') continue;
      return undefined;
    }
    const name = ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) ? property.name.text : undefined;
    if (name === 'message') {
      message = literalText(property.initializer);
      if (message === undefined) return undefined;
    } else if (name === 'comment') {
      const init = property.initializer;
      if (ts.isArrayLiteralExpression(init)) {
        const parts = init.elements.map((e) => literalText(e));
        if (parts.some((p) => p === undefined)) return undefined;
        comment = parts.join('');
      } else {
        const text = literalText(init);
        if (text === undefined) return undefined;
        comment = text;
      }
    } else if (name !== 'args') {
      return undefined;
    }
  }
  if (message === undefined) return undefined;
  return comment ? `${message}/${comment}` : message;
}

/** The `l10n.t` keys of one source file. `file` is only used for messages and the known-dynamic list. */
export function extractFromSource(file: string, text: string): { occurrences: L10nOccurrence[]; errors: string[] } {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const occurrences: L10nOccurrence[] = [];
  const errors: string[] = [];
  const where = (node: ts.Node) => `${file}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
  const visit = (node: ts.Node) => {
    if (isL10nT(node)) {
      const call = node.parent;
      if (!ts.isCallExpression(call) || call.expression !== node) {
        errors.push(`${where(node)}: l10n.t is used without being called directly; the extractor cannot see its strings`);
      } else {
        const arg = call.arguments[0];
        let key = literalText(arg);
        if (key === undefined && arg && ts.isObjectLiteralExpression(arg)) key = objectFormKey(arg);
        if (key !== undefined) {
          occurrences.push({ key, file, line: source.getLineAndCharacterOfPosition(call.getStart(source)).line + 1 });
        } else {
          const argument = arg ? arg.getText(source).replace(/\s+/g, ' ') : '';
          const known = KNOWN_DYNAMIC_CALLS.some((k) => k.file === file && k.argument === argument);
          if (!known) {
            errors.push(
              `${where(call)}: the first argument of l10n.t must be a string literal (or a template without \${}), found: ${argument || '(nothing)'}`,
            );
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { occurrences, errors };
}

/**
 * The values of an English table (the gallery's unless named), read from its source (not imported: always
 * current). A spread of another table of STRING_TABLES is left out: that table is read on its own.
 */
export function extractStringTable(file: string, text: string, table = GALLERY_STRINGS_TABLE): { entries: Array<[string, string]>; errors: string[] } {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const entries: Array<[string, string]> = [];
  const errors: string[] = [];
  let found = false;
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === table && node.initializer) {
      found = true;
      let init: ts.Expression = node.initializer;
      while (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init)) init = init.expression;
      if (!ts.isObjectLiteralExpression(init)) {
        errors.push(`${file}: ${table} is not an object literal`);
        return;
      }
      for (const property of init.properties) {
        if (ts.isSpreadAssignment(property) && ts.isIdentifier(property.expression) && STRING_TABLES.some((t) => t.table === (property.expression as ts.Identifier).text)) continue;
        const line = source.getLineAndCharacterOfPosition(property.getStart(source)).line + 1;
        const name = ts.isPropertyAssignment(property) && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : undefined;
        const value = ts.isPropertyAssignment(property) ? literalText(property.initializer) : undefined;
        if (name === undefined || value === undefined) errors.push(`${file}:${line}: every ${table} entry must be \`key: 'literal'\``);
        else entries.push([name, value]);
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (!found) errors.push(`${file}: ${table} not found`);
  return { entries, errors };
}

/** Every runtime string of the extension under root. */
export function extractAll(root: string): L10nExtraction {
  const occurrences: L10nOccurrence[] = [];
  const errors: string[] = [];
  for (const file of listSourceFiles(root)) {
    const result = extractFromSource(file, fs.readFileSync(path.join(root, file), 'utf8'));
    occurrences.push(...result.occurrences);
    errors.push(...result.errors);
  }
  for (const { file, table } of STRING_TABLES) {
    const strings = extractStringTable(file, fs.readFileSync(path.join(root, file), 'utf8'), table);
    errors.push(...strings.errors);
    for (const [name, value] of strings.entries) occurrences.push({ key: value, file: `${file}#${name}`, line: 0 });
  }
  const keys = [...new Set(occurrences.map((o) => o.key))].sort();
  return { keys, occurrences, errors };
}

/** `{0}`, `{1}`, `{credits}`… of a message, sorted (with repeats, so a dropped duplicate shows too). */
export function placeholders(message: string): string[] {
  return (message.match(/\{\w+\}/g) ?? []).sort();
}

/** The default bundle VS Code expects: English → English, keys sorted. */
export function defaultBundle(keys: readonly string[]): Record<string, string> {
  const bundle: Record<string, string> = {};
  for (const key of [...keys].sort()) bundle[key] = key;
  return bundle;
}
