// fluxStudio.insert.templates as the insert paths use it: each family's template read (src/insert/templates.ts),
// a refused one reported once with the setting's name and left out, so that family keeps the built-in snippet.
// The setting is in `restrictedConfigurations`: in Restricted Mode VS Code gives us the user's value only.
import * as vscode from 'vscode';
import { parseTemplate, TEMPLATE_KEYS, type TemplateProblem, type TemplateSet } from '../../insert/templates';
import type { Log } from '../../shared/log';
import { showWarning } from '../ui/show';
import { l10n, type SafeText } from '../ui/text';
import { noteIgnoredWorkspaceValue } from './workspaceFiles';

const SETTING = 'fluxStudio.insert.templates';
/** Refusals already reported in this window, by family and template text. */
const reported = new Set<string>();

export function readTemplates(scope: vscode.Uri, log: Log): TemplateSet {
  const config = vscode.workspace.getConfiguration('fluxStudio.insert', scope);
  if (!vscode.workspace.isTrusted) noteIgnoredWorkspaceValue(SETTING, config.inspect('templates'), log);
  const value = config.get<unknown>('templates');
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const templates: TemplateSet = {};
  for (const key of TEMPLATE_KEYS) {
    const template = (value as Record<string, unknown>)[key];
    if (template === undefined || template === '') continue;
    const parsed = typeof template === 'string' ? parseTemplate(template, key) : ({ ok: false, problem: 'not-text' } as const);
    if (parsed.ok) {
      templates[key] = parsed.parts;
      continue;
    }
    const id = `${key}\0${String(template)}`;
    if (reported.has(id)) continue;
    reported.add(id);
    log.warn(`${SETTING}.${key} refused (${parsed.problem}); the built-in snippet is used`);
    void showWarning(refusalMessage(key, parsed.problem, 'detail' in parsed ? parsed.detail : undefined));
  }
  return templates;
}

function refusalMessage(key: string, problem: TemplateProblem | 'not-text', detail: string | undefined): SafeText {
  const variable = detail ? `\${${detail}}` : '${…}';
  const known = '${alt}, ${path}, ${width}, ${height}, ${prompt}';
  switch (problem) {
    case 'not-text':
      return l10n.t('The {0} template of the setting fluxStudio.insert.templates is not text, so the built-in snippet is used.', key);
    case 'too-long':
      return l10n.t('The {0} template of the setting fluxStudio.insert.templates is longer than 1,000 characters, so the built-in snippet is used.', key);
    case 'unknown-variable':
      return l10n.t('The {0} template of the setting fluxStudio.insert.templates uses {1}, which is not one of {2}, so the built-in snippet is used.', key, variable, known);
    case 'unclosed-variable':
      return l10n.t('The {0} template of the setting fluxStudio.insert.templates has a {1} without its closing brace, so the built-in snippet is used.', key, '${');
    case 'unsafe-position':
      return l10n.t('The {0} template of the setting fluxStudio.insert.templates puts {1} where it cannot be escaped safely, so the built-in snippet is used.', key, variable);
    case 'no-path':
      return l10n.t('The {0} template of the setting fluxStudio.insert.templates has no {1}, so the built-in snippet is used.', key, '${path}');
  }
}
