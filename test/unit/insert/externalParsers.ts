// The parsers that are programs: TeX (pdflatex from texlive-latex-base) and docutils (python3-docutils).
// Each batch is one process, however many documents it holds. A missing program fails the table
// with the package to install — scripts/setup-vscode.mjs installs both (APT_PACKAGES).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { collapse, type Analyzer, type Parsed } from './trees';

/** A 1×1 PNG: graphicx reads its size, so every path in a LaTeX case must name a real image. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

function run(command: string, args: string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv }, aptPackage: string) {
  const result = spawnSync(command, args, { ...options, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 120_000 });
  if (result.error) throw new Error(`${command} could not run (${result.error.message}): install the Debian package ${aptPackage}`);
  return result;
}

/**
 * LaTeX: one pdflatex run over every document, each typeset in a box with the real graphicx (the
 * images it opens are read back from the log) and written out as TeX's own token list
 * (`\detokenize`), which is "the rest": comments, escapes and grouping exactly as TeX read them.
 * The image paths are created as real files relative to the documents' folder.
 */
export function latexAnalyzer(imagePaths: readonly string[]): Analyzer {
  return async (documents) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-latex-'));
    try {
      const folder = path.join(root, 'docs');
      fs.mkdirSync(folder);
      for (const image of imagePaths) {
        const file = path.join(folder, image);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, PNG);
      }
      const cases = documents.map(
        (body, i) =>
          `\\typeout{FLUX-BEGIN ${i}}\\immediate\\write\\fluxtokens{FLUX-TOKENS ${i}:\\detokenize{${body}}}\n` +
          `\\setbox0=\\vbox{${body}\\par}\\typeout{FLUX-END ${i}}\n`,
      );
      fs.writeFileSync(
        path.join(folder, 'cases.tex'),
        `\\documentclass{article}\\usepackage{graphicx}\\newwrite\\fluxtokens\\immediate\\openout\\fluxtokens=tokens.txt\n` +
          `\\begin{document}\n${cases.join('')}\\end{document}\n`,
      );
      const env = { ...process.env, max_print_line: '1000000', error_line: '254', half_error_line: '238' };
      run('pdflatex', ['-interaction=nonstopmode', '-no-shell-escape', 'cases.tex'], { cwd: folder, env }, 'texlive-latex-base');
      const log = fs.readFileSync(path.join(folder, 'cases.log'), 'utf8');
      const tokens = fs.readFileSync(path.join(folder, 'tokens.txt'), 'utf8');
      return documents.map((_, i) => latexCase(log, tokens, i));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  };
}

function latexCase(log: string, tokens: string, i: number): Parsed {
  const section = new RegExp(`FLUX-BEGIN ${i}\\n([\\s\\S]*?)FLUX-END ${i}\\n`).exec(log)?.[1];
  const written = new RegExp(`^FLUX-TOKENS ${i}:(.*)$`, 'm').exec(tokens)?.[1];
  if (section === undefined || written === undefined) return { images: [], rest: '', problems: [`case ${i} is missing from the TeX run`] };
  const images = [...section.matchAll(/^File: (.*) Graphic file \(type \w+\)$/gm)].map((m) => ({ src: m[1] }));
  const problems = section.split('\n').filter((line) => line.startsWith('!'));
  // TeX reads consecutive paragraph ends as one, and any run of spaces as one.
  const rest = collapse(written.replace(/\\includegraphics \[[^\]]*\]\{[^{}]*\}/g, ' ').replace(/(\s*\\par\s*)+/g, ' \\par ')).replace(/^\\par |\\par$/g, '').trim();
  return { images, rest, problems };
}

const DOCUTILS = `
import io, json, sys
from docutils import nodes
from docutils.core import publish_doctree
results = []
for source in json.load(sys.stdin):
    warnings = io.StringIO()
    try:
        tree = publish_doctree(source, settings_overrides={'report_level': 2, 'halt_level': 5, 'warning_stream': warnings})
    except Exception as error:
        results.append({'images': [], 'rest': '', 'problems': [str(error)]})
        continue
    images = list(tree.findall(nodes.image))
    found = [{'src': image.get('uri'), 'alt': image.get('alt')} for image in images]
    for image in images:
        image.parent.remove(image)
    problems = [message.astext() for message in tree.findall(nodes.system_message)]
    if warnings.getvalue():
        problems.append(warnings.getvalue())
    results.append({'images': found, 'rest': tree.pformat(), 'problems': problems})
json.dump(results, sys.stdout)
`;

/** reStructuredText: one docutils process reads every document and returns its doctree. */
export const rstAnalyzer: Analyzer = async (documents) => {
  // Debian's python3-docutils lives in the system Python, which a pyenv `python3` may not be.
  const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const result = run(python, ['-c', DOCUTILS], { input: JSON.stringify(documents), env: { ...process.env, PYTHONIOENCODING: 'utf-8' } }, 'python3-docutils');
  if (result.status !== 0) throw new Error(`docutils failed (install the Debian package python3-docutils): ${result.stderr}`);
  return (JSON.parse(result.stdout) as Parsed[]).map((parsed) => ({
    ...parsed,
    images: parsed.images.map((image) => ({ src: image.src, alt: image.alt ?? undefined })),
    rest: collapse(parsed.rest),
  }));
};
