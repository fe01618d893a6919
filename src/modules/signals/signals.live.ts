import type { Database } from '../../db/connection.js';
import { refreshGoalsAfterSignals } from './signals.goal-progress.js';
import {
  applyPendingChanges,
  CHANGE_CHANNEL,
  pendingChangeCount,
  rebuildSignals,
  UPDATED_CHANNEL,
} from './signals.rollups.js';

/** What moved: person and team ids whose rollups changed (`all` after a rebuild). */
export interface SignalsUpdate {
  persons: string[];
  teams: string[];
  all?: boolean;
}

/** A backlog this large (e.g. right after a demo or backfill load) is rebuilt instead of replayed. */
const REBUILD_BACKLOG = 50_000;
const SWEEP_MS = 15_000;
const MAX_PAYLOAD = 7000;

/**
 * The live side of the signals on one app instance: applies captured work changes as soon as the
 * triggers notify (any instance may do it; an advisory lock serialises them), then notifies
 * `signals_updated`, which every instance relays to its connected dashboards.
 */
export class SignalsLive {
  private readonly subscribers = new Set<(u: SignalsUpdate) => void>();
  private unlisten: (() => Promise<void>)[] = [];
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly database: Database,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  async start(): Promise<void> {
    this.unlisten.push(await this.database.listen(CHANGE_CHANNEL, () => this.kick()));
    this.unlisten.push(
      await this.database.listen(UPDATED_CHANNEL, (payload) => {
        let update: SignalsUpdate;
        try {
          update = JSON.parse(payload) as SignalsUpdate;
        } catch {
          return;
        }
        for (const s of this.subscribers) s(update);
      }),
    );
    this.timer = setInterval(() => this.kick(), SWEEP_MS);
    this.timer.unref();
    this.kick(true);
  }

  subscribe(fn: (u: SignalsUpdate) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  /** Applies pending changes now (coalescing concurrent kicks); resolves when the queue is drained. */
  kick(catchUp = false): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.drain(catchUp);
          catchUp = false;
        } while (this.again && !this.stopped);
      } catch (error) {
        if (!this.stopped) this.onError(error);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async drain(catchUp: boolean): Promise<void> {
    const db = this.database.db;
    // A large backlog (start-up after a backfill, a demo load while running) is cheaper to rebuild.
    if ((await pendingChangeCount(db)) > (catchUp ? REBUILD_BACKLOG : REBUILD_BACKLOG * 2)) {
      await rebuildSignals(db);
      await this.database.notify(UPDATED_CHANNEL, JSON.stringify({ persons: [], teams: [], all: true }));
      await refreshGoalsAfterSignals(db, { persons: [], teams: [], all: true });
    }
    const persons = new Set<string>();
    const teams = new Set<string>();
    for (;;) {
      if (this.stopped) break;
      const r = await applyPendingChanges(db, { limit: 2000 });
      if (r.changes === 0) break;
      r.persons.forEach((p) => persons.add(p));
      r.teams.forEach((t) => teams.add(t));
    }
    if (persons.size === 0 && teams.size === 0) return;
    let payload = JSON.stringify({ persons: [...persons], teams: [...teams] });
    if (payload.length > MAX_PAYLOAD) payload = JSON.stringify({ persons: [], teams: [], all: true });
    await this.database.notify(UPDATED_CHANNEL, payload);
    // Goals linked to a signal of these people or teams follow it (with a history line saying why).
    await refreshGoalsAfterSignals(db, { persons: [...persons], teams: [...teams] });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    for (const u of this.unlisten) await u().catch(() => undefined);
    this.unlisten = [];
    this.subscribers.clear();
  }
}
