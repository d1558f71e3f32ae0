// The plan of pictures for a whole document (Illustrate This Document), as pure rules: which sections get a
// row, the prompt made from a section when no language model writes one, and the one style line that every
// prompt carries so the images look like one set.
import type { PlanRow } from '../protocol/illustrate';
import { PLAN_ROWS_MAX } from '../protocol/illustrate';
import { PROMPT_MAX_LENGTH, type AspectRatio } from '../shared/options';
import { truncate } from '../shared/truncate';
import type { Section } from './sections';

/** The id of a section's row: its place among the document's sections (stable while the plan is open). */
export const rowId = (index: number): string => `s${index}`;
export const sectionIndexOf = (id: string): number => Number(id.slice(1));

/**
 * One row per section that has text to illustrate (a first paragraph) or already has an image, at most
 * PLAN_ROWS_MAX. A section with an image is shown as such and left unchecked. `prompts` (by section index)
 * are a language model's; a section without one gets promptFromSection.
 */
export function buildPlan(sections: readonly Section[], aspectRatio: AspectRatio, prompts: ReadonlyMap<number, string> = new Map()): PlanRow[] {
  const rows: PlanRow[] = [];
  for (const [index, section] of sections.entries()) {
    if (rows.length === PLAN_ROWS_MAX) break;
    if (!section.hasImage && !section.paragraph) continue;
    rows.push({
      id: rowId(index),
      heading: section.heading,
      level: section.level,
      prompt: truncate(prompts.get(index)?.trim() || promptFromSection(section), PROMPT_MAX_LENGTH),
      aspectRatio,
      checked: !section.hasImage,
      status: section.hasImage ? { kind: 'hasImage' } : { kind: 'planned' },
    });
  }
  return rows;
}

/** "Heading: first sentence", or the heading alone. */
export function promptFromSection(section: Pick<Section, 'heading' | 'firstSentence'>): string {
  return section.firstSentence ? `${section.heading}: ${section.firstSentence}` : section.heading;
}

/** The prompt with the plan's style line after it; the prompt is shortened, never the style, to fit. */
export function withStyle(prompt: string, style: string): string {
  const tail = style.trim() ? `. Style: ${style.trim()}` : '';
  return `${truncate(prompt.trim().replace(/[.\s]+$/, ''), PROMPT_MAX_LENGTH - tail.length, true)}${tail}`;
}

/** A language model's answer (outside text): `[{ "index": 0, "prompt": "…" }, …]` anywhere in the answer, for the asked indexes only. */
export function parseModelPrompts(answer: string, asked: ReadonlySet<number>): Map<number, string> {
  const prompts = new Map<number, string>();
  const start = answer.indexOf('[');
  const end = answer.lastIndexOf(']');
  if (start === -1 || end < start) return prompts;
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.slice(start, end + 1));
  } catch {
    return prompts;
  }
  if (!Array.isArray(parsed)) return prompts;
  for (const item of parsed) {
    const { index, prompt } = (item ?? {}) as { index?: unknown; prompt?: unknown };
    if (typeof index === 'number' && asked.has(index) && typeof prompt === 'string' && prompt.trim()) prompts.set(index, prompt.trim().slice(0, PROMPT_MAX_LENGTH));
  }
  return prompts;
}
