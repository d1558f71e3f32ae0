// How many images one agent turn has asked the image tool for. The tool is not told which chat request
// calls it, only an opaque invocation token, so a turn is the calls with the same token that follow each
// other closely (an agent in a loop calls again seconds after the previous call ended).

/** Images one agent turn may ask for before the user is asked (4 per call: two full calls). */
export const TURN_IMAGE_LIMIT = 8;
/** A call starting this long after the previous call of the same token ended begins a new turn. */
export const TURN_GAP_MS = 2 * 60_000;

export class AgentTurns {
  private readonly turns = new Map<string, { images: number; lastEnded: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Whether `images` more fit in the turn of `key` (nothing is counted until `count`). */
  fits(key: string, images: number): boolean {
    return this.current(key) + images <= TURN_IMAGE_LIMIT;
  }

  /** Images asked for so far in the turn of `key`. */
  current(key: string): number {
    this.forgetEnded();
    return this.turns.get(key)?.images ?? 0;
  }

  /** Counts a call's images (`fresh`: the user allowed more, so the count starts again from this call). */
  count(key: string, images: number, fresh = false): void {
    const turn = this.turns.get(key);
    this.turns.set(key, { images: (fresh ? 0 : (turn?.images ?? 0)) + images, lastEnded: this.now() });
  }

  /** A call ended (its images made or not): the gap to the next call is measured from here. */
  ended(key: string): void {
    const turn = this.turns.get(key);
    if (turn) turn.lastEnded = this.now();
  }

  private forgetEnded(): void {
    for (const [key, turn] of this.turns) if (this.now() - turn.lastEnded > TURN_GAP_MS) this.turns.delete(key);
  }
}
