import * as assert from 'assert';
import { resolveDestination, type DestinationRequest } from '../../../src/insert/destination';
import { anchoredGlobs, globMatches } from '../../../src/insert/glob';

const request = (overrides: Partial<DestinationRequest>): DestinationRequest => ({
  documentPath: '/ws/docs/readme.md',
  languageId: 'markdown',
  workspaceFolder: '/ws',
  workspaceFolders: ['/ws'],
  fileName: 'a-fox-42.png',
  saveFolder: 'images',
  ...overrides,
});

const saved = (saveFolder: unknown, overrides: Partial<DestinationRequest> = {}) => resolveDestination(request({ saveFolder, ...overrides }));
const pathOf = (saveFolder: unknown, overrides: Partial<DestinationRequest> = {}) => {
  const result = saved(saveFolder, overrides);
  assert.ok(result.ok, `refused: ${JSON.stringify(result)}`);
  return result.path;
};

describe('destination: where images are saved', () => {
  it('fluxStudio.saveFolder is a folder relative to the workspace folder; the file keeps its name', () => {
    assert.deepStrictEqual(saved('images'), { ok: true, path: 'images/a-fox-42.png', setting: 'fluxStudio.saveFolder' });
    assert.strictEqual(pathOf(''), 'a-fox-42.png');
    assert.strictEqual(pathOf('  assets/generated/  '), 'assets/generated/a-fox-42.png');
    assert.strictEqual(pathOf('/images'), 'images/a-fox-42.png', 'a leading / is the workspace folder, as in VS Code');
    assert.strictEqual(pathOf('assets\\img'), 'assets/img/a-fox-42.png', 'Windows separators');
    assert.strictEqual(pathOf('./a/./b/../c'), 'a/c/a-fox-42.png');
  });

  it("takes VS Code's variables", () => {
    assert.strictEqual(pathOf('images/${documentBaseName}'), 'images/readme/a-fox-42.png');
    assert.strictEqual(pathOf('${documentRelativeDirName}/img'), 'docs/img/a-fox-42.png');
    assert.strictEqual(pathOf('${documentDirName}/img'), 'docs/img/a-fox-42.png', 'absolute, inside the workspace folder');
    assert.strictEqual(pathOf('${documentWorkspaceFolder}/shared'), 'shared/a-fox-42.png');
    assert.strictEqual(pathOf('x/${documentFileName}.${documentExtName}'), 'x/readme.md.md/a-fox-42.png');
    assert.strictEqual(pathOf('${documentFilePath}.assets'), 'docs/readme.md.assets/a-fox-42.png');
    assert.strictEqual(pathOf('media/${documentRelativeFilePath}'), 'media/docs/readme.md/a-fox-42.png');
    assert.strictEqual(pathOf('${fileExtName}'), 'png/a-fox-42.png');
  });

  it('${fileName} in the setting names the file itself', () => {
    assert.strictEqual(pathOf('images/${documentBaseName}-${fileName}'), 'images/readme-a-fox-42.png');
    assert.strictEqual(pathOf('images/${fileName}'), 'images/a-fox-42.png');
  });

  it('transforms ${name/regexp/replacement/}, escapes \\$, leaves unknown variables as written', () => {
    assert.strictEqual(pathOf('${documentBaseName/(.*)/$1-images/}'), 'readme-images/a-fox-42.png');
    assert.strictEqual(pathOf('${documentRelativeDirName/docs/public\\/docs/}'), 'public/docs/a-fox-42.png');
    assert.strictEqual(pathOf('cost\\$5'), 'cost$5/a-fox-42.png');
    assert.strictEqual(pathOf('${nothing}/x'), '${nothing}/x/a-fox-42.png');
    assert.strictEqual(pathOf('${documentBaseName/[/x/}'), 'readme/a-fox-42.png', 'an invalid pattern leaves the value, as VS Code does');
  });

  it('refuses what would leave the workspace folder, absolute paths, control characters and non-strings', () => {
    const refusal = (value: unknown, overrides: Partial<DestinationRequest> = {}) => {
      const result = saved(value, overrides);
      return result.ok ? `accepted ${result.path}` : result.reason;
    };
    assert.strictEqual(refusal('../outside'), 'outside-workspace');
    assert.strictEqual(refusal('/../x'), 'outside-workspace');
    assert.strictEqual(refusal('images/../../x'), 'outside-workspace');
    assert.strictEqual(refusal('${documentWorkspaceFolder}/..'), 'outside-workspace');
    assert.strictEqual(refusal('${documentDirName}', { documentPath: '/elsewhere/doc.md' }), 'outside-workspace');
    assert.strictEqual(refusal('${fileName}/..'), 'outside-workspace');
    assert.strictEqual(refusal('C:\\images'), 'absolute');
    assert.strictEqual(refusal('c:/images'), 'absolute');
    assert.strictEqual(refusal('~/images'), 'absolute');
    assert.strictEqual(refusal('a\u0000b'), 'control-characters');
    assert.strictEqual(refusal('a\nb'), 'control-characters');
    assert.strictEqual(refusal(42), 'not-a-string');
    assert.strictEqual(refusal(undefined), 'not-a-string');
  });

  it('a transform whose pattern backtracks for ever elsewhere runs in linear time; back-references are refused', () => {
    const started = Date.now();
    const documentPath = `/ws/${'a'.repeat(40)}!.md`;
    assert.strictEqual(pathOf('${documentBaseName/(a+)+$/x/}', { documentPath }), `${'a'.repeat(40)}!/a-fox-42.png`);
    assert.strictEqual(pathOf('${documentBaseName/(a|aa)+!$/x/}', { documentPath }), 'x/a-fox-42.png');
    assert.deepStrictEqual(saved('${documentBaseName/(a)\\1/x/}', { documentPath }), { ok: false, reason: 'unsafe-pattern', setting: 'fluxStudio.saveFolder' });
    assert.ok(Date.now() - started < 1000);
  });

  it('for Markdown, a matching markdown.copyFiles.destination wins, relative to the document', () => {
    const markdown = (markdownDestination: unknown, overrides: Partial<DestinationRequest> = {}) => resolveDestination(request({ markdownDestination, ...overrides }));
    assert.deepStrictEqual(markdown({ '**/*.md': 'media/${documentBaseName}/' }), {
      ok: true,
      path: 'docs/media/readme/a-fox-42.png',
      setting: 'markdown.copyFiles.destination',
    });
    assert.deepStrictEqual(markdown({ '*.md': '/assets/' }), { ok: true, path: 'assets/a-fox-42.png', setting: 'markdown.copyFiles.destination' });
    assert.strictEqual((markdown({ 'readme.md': '' }) as { path: string }).path, 'docs/a-fox-42.png', 'empty: next to the document');
    assert.strictEqual((markdown({ '/docs/**': 'd/' }) as { path: string }).path, 'docs/d/a-fox-42.png', 'a leading / anchors to the workspace folder');
    assert.strictEqual((markdown({ '/other/**': 'd/' }) as { setting: string }).setting, 'fluxStudio.saveFolder', 'no match: saveFolder');
    assert.strictEqual((markdown({ '**/*.txt': 'x/', '**/readme.*': 'first/', '**': 'second/' }) as { path: string }).path, 'docs/first/a-fox-42.png');
    assert.deepStrictEqual(markdown({ '**': 42 }), { ok: false, reason: 'not-a-string', setting: 'markdown.copyFiles.destination' });
    assert.strictEqual((markdown({ '**': '../../x/' }) as { reason: string }).reason, 'outside-workspace');
    assert.strictEqual((markdown({ '**/*.md': 'm/' }, { languageId: 'asciidoc' }) as { setting: string }).setting, 'fluxStudio.saveFolder', 'only for Markdown');
    assert.strictEqual((markdown({ '**': 'm/' }, { documentPath: undefined }) as { setting: string }).setting, 'fluxStudio.saveFolder', 'untitled');
    for (const hostile of ['**', ['**'], null, 'x']) assert.strictEqual((markdown(hostile) as { setting: string }).setting, 'fluxStudio.saveFolder');
  });

  it('without a document, document variables are empty and paths stay relative to the workspace folder', () => {
    assert.strictEqual(pathOf('images/${documentBaseName}', { documentPath: undefined }), 'images/a-fox-42.png');
    assert.strictEqual(pathOf('${documentDirName}/x', { documentPath: undefined, workspaceFolder: '/ws2', workspaceFolders: ['/ws', '/ws2'] }), 'x/a-fox-42.png');
  });

  it('globs match like picomatch with dot: true', () => {
    assert.deepStrictEqual(anchoredGlobs('/docs/*.md', ['/ws', '/ws2/']), ['/ws/docs/*.md', '/ws2/docs/*.md']);
    assert.deepStrictEqual(anchoredGlobs('*.md', ['/ws']), ['**/*.md']);
    assert.deepStrictEqual(anchoredGlobs('**/x', ['/ws']), ['**/x']);
    const cases: Array<[string, string, boolean]> = [
      ['**/*.md', '/ws/docs/readme.md', true],
      ['**/*.md', '/ws/.github/readme.md', true],
      ['**/*.md', '/ws/readme.mdx', false],
      ['**/*.{md,mdx}', '/ws/a.mdx', true],
      ['/ws/docs/*.md', '/ws/docs/sub/a.md', false],
      ['/ws/docs/**', '/ws/docs/sub/a.md', true],
      ['**/docs/?.md', '/ws/docs/a.md', true],
      ['**/docs/?.md', '/ws/docs/ab.md', false],
      ['**/[ab].md', '/ws/b.md', true],
      ['**/[!ab].md', '/ws/b.md', false],
      ['**/a+b (1).md', '/ws/a+b (1).md', true],
      ['**/a\\*.md', '/ws/a*.md', true],
      ['**/a\\*.md', '/ws/ab.md', false],
    ];
    for (const [glob, path, expected] of cases) assert.strictEqual(globMatches(glob, path), expected, `${glob} ~ ${path}`);
  });
});
