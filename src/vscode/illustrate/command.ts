// Flux: Illustrate This Document — reads the active document's sections with its language's rules, has
// the prompts written (by a language model when the user agreed, else from each heading and first
// sentence) and opens the plan view. Nothing is paid until the plan's Generate.
import * as path from 'path';
import * as vscode from 'vscode';
import type { Anchor } from '../../insert/anchor';
import { buildPlan, sectionIndexOf } from '../../insert/illustration';
import { promptFromSelection } from '../../insert/prompt';
import { findSections, SECTION_LANGUAGES, type Section } from '../../insert/sections';
import { MAX_READ_LENGTH } from '../../insert/languages';
import type { PlanRow } from '../../protocol/illustrate';
import type { EditorTracker } from '../editor/editorTracker';
import { readGenerationDefaults, readPromptEnhance } from '../settings';
import { showInfo, withNotificationProgress } from '../ui/show';
import { l10n } from '../ui/text';
import { PlanPanel, type PlanPanelDeps } from './panel';
import { modelPrompts } from './prompts';

export interface IllustrateDeps extends PlanPanelDeps {
  editors: EditorTracker;
}

/** Opens the plan of the active document; resolves its rows (for the tests and @flux), undefined when there is none. */
export async function illustrateDocument(deps: IllustrateDeps, uri?: vscode.Uri): Promise<PlanRow[] | undefined> {
  const document = uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) : deps.editors.current()?.document;
  if (!document || !SECTION_LANGUAGES.includes(document.languageId)) {
    void showInfo(l10n.t('Flux: Illustrate This Document works in Markdown, MDX, HTML, AsciiDoc and reStructuredText documents. Open one, then run it again.'));
    return undefined;
  }
  const name = path.posix.basename(document.uri.path);
  const sections = findSections(document.getText(), document.languageId);
  if (!sections) {
    void showInfo(l10n.t('{0} is too long to illustrate (over {1} characters).', name, MAX_READ_LENGTH));
    return undefined;
  }
  const wanted = [...sections.entries()].filter(([, section]) => section.paragraph && !section.hasImage);
  const prompts = readPromptEnhance() !== 'off'
    ? await withNotificationProgress(l10n.t('Flux: writing prompts for {0}…', name), true, (_progress, token) =>
        modelPrompts(wanted.map(([index, section]) => ({ index, heading: section.heading, text: paragraphText(document, section) })), deps.log, token),
      )
    : undefined;
  const aspectRatio = deps.memory.aspectRatio(document.uri) ?? readGenerationDefaults().value.aspectRatio;
  const rows = buildPlan(sections, aspectRatio, prompts);
  const text = document.getText();
  const anchors = new Map(rows.map((row) => [row.id, anchorOf(text, sections[sectionIndexOf(row.id)])]));
  PlanPanel.show(deps, { document, rows, aspectRatio, anchors, promptsByModel: !!prompts });
  deps.log.info(`illustrate: ${name}: ${sections.length} sections, ${rows.length} rows, prompts by ${prompts ? 'a language model' : 'headings'}`);
  return rows;
}

/** The text the image goes after: the section's first paragraph, else its heading. */
function anchorOf(text: string, section: Section): Anchor {
  const { start, end } = section.paragraph ?? section.headingSpan;
  return { start, end, text: text.slice(start, end) };
}

function paragraphText(document: vscode.TextDocument, section: Section): string {
  const { start, end } = section.paragraph!;
  return promptFromSelection(document.getText().slice(start, end), document.languageId);
}
