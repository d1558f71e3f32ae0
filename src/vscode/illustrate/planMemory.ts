// What a plan remembers per workspace (workspaceState): the style line, and each document's aspect ratio —
// the one its last run used — so the next plan of that document starts from it.
import type * as vscode from 'vscode';
import { isAspectRatio, type AspectRatio } from '../../shared/options';

const STYLE_KEY = 'fluxStudio.illustrate.style';
const RATIOS_KEY = 'fluxStudio.illustrate.aspectRatios';
/** Documents whose ratio is remembered, at most (the oldest is forgotten first). */
const RATIOS_MAX = 100;

export class PlanMemory {
  constructor(private readonly state: vscode.Memento) {}

  style(): string {
    return this.state.get<string>(STYLE_KEY, '');
  }

  /** The document's ratio from its last run, if any. */
  aspectRatio(document: vscode.Uri): AspectRatio | undefined {
    const ratio = this.ratios()[document.toString()];
    return isAspectRatio(ratio) ? ratio : undefined;
  }

  async remember(document: vscode.Uri, style: string, aspectRatio: AspectRatio): Promise<void> {
    const ratios = this.ratios();
    delete ratios[document.toString()]; // re-added last: the newest
    ratios[document.toString()] = aspectRatio;
    const kept = Object.entries(ratios).slice(-RATIOS_MAX);
    await Promise.all([this.state.update(STYLE_KEY, style), this.state.update(RATIOS_KEY, Object.fromEntries(kept))]);
  }

  private ratios(): Record<string, unknown> {
    const stored = this.state.get<unknown>(RATIOS_KEY);
    return stored && typeof stored === 'object' && !Array.isArray(stored) ? { ...(stored as Record<string, unknown>) } : {};
  }
}
