// Outside text must never reach a VS Code surface that renders links or icons without being neutralised.
// The type system does most of it (those surfaces are only reachable through src/vscode/ui/show.ts, whose
// parameters are SafeText); this static check makes sure no other file goes around it.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const UI_FOLDER = 'src/vscode/ui/';

/** VS Code APIs that render text as Markdown links or `$(icon)`s. */
const SINKS = [
  'showInformationMessage',
  'showWarningMessage',
  'showErrorMessage',
  'withProgress',
  'showQuickPick',
  'createQuickPick',
  'showInputBox',
  'createInputBox',
  'createStatusBarItem',
  'setStatusBarMessage',
];

/** Places in one source text that bypass the safe-text boundary. */
export function sinkViolations(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  const found: string[] = [];
  for (const sink of SINKS) if (new RegExp(`\\b${sink}\\b`).test(code)) found.push(sink);
  if (/\bvscode\s*\.\s*l10n\s*\.\s*t\b/.test(code)) found.push('vscode.l10n.t (use l10n.t from ui/text.ts)');
  if (/\bas\s+(unknown\s+as\s+)?SafeText\b/.test(code)) found.push('a cast to SafeText');
  return found;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(rel);
    return entry.name.endsWith('.ts') ? [rel] : [];
  });
}

describe('text sinks', () => {
  it('only src/vscode/ui/ calls VS Code text surfaces, vscode.l10n.t, or casts to SafeText', () => {
    const files = sourceFiles('src').filter((file) => !file.startsWith(UI_FOLDER));
    assert.ok(files.length > 20, `found only ${files.length} source files`);
    const problems = files.flatMap((file) => sinkViolations(fs.readFileSync(path.join(ROOT, file), 'utf8')).map((v) => `${file}: ${v}`));
    assert.deepStrictEqual(problems, []);
  });

  it('the check finds each kind of bypass (and ignores comments)', () => {
    assert.deepStrictEqual(sinkViolations('void vscode.window.showErrorMessage(`Failed: ${serverText}`);'), ['showErrorMessage']);
    assert.deepStrictEqual(sinkViolations('window.withProgress({ title: prompt }, task)'), ['withProgress']);
    assert.deepStrictEqual(sinkViolations('item.text = x; vscode.window.createStatusBarItem()'), ['createStatusBarItem']);
    assert.deepStrictEqual(sinkViolations('const m = vscode.l10n.t("x {0}", name);'), ['vscode.l10n.t (use l10n.t from ui/text.ts)']);
    assert.deepStrictEqual(sinkViolations('return serverText as SafeText;'), ['a cast to SafeText']);
    assert.deepStrictEqual(sinkViolations('// showErrorMessage is only called in ui/show.ts\n/* withProgress */ const a = 1;'), []);
  });

  it('every sink wrapper in ui/show.ts takes SafeText for the text it shows', () => {
    const show = fs.readFileSync(path.join(ROOT, UI_FOLDER, 'show.ts'), 'utf8');
    assert.doesNotMatch(show, /(message|title|detail|text|tooltip|label|prompt|placeHolder)\??:\s*string\b/, 'a text parameter typed as string');
  });
});
