/**
 * Which instances of the deployment are alive: each one keeps a key in Redis with a short expiry
 * (its heartbeat) and renews it every second. Work an instance holds in the shared database (a
 * battle's or a chat's running answer) is reaped by a survivor once that instance's heartbeat has
 * been gone for CONFIRM_MS on end. Redis, not a database table: expiry is Redis's own clock (no
 * skew between hosts), and a heartbeat a second per instance would take SQLite's one write lock
 * that the vote batcher waits on.
 */
export const HEARTBEAT_MS = 1000;
/** A heartbeat not renewed for this long is gone: about five missed beats (a stalled event loop is not a death). */
export const HEARTBEAT_TTL_MS = 5000;
/**
 * How long a heartbeat must stay gone before its instance is taken for dead: after a Redis restart
 * (every key lost at once) each live instance sets its key again within one beat, well inside this.
 */
export const CONFIRM_MS = 2000;

/** Slack for the two round trips to Redis when telling a renewed heartbeat from one running down. */
const RENEWAL_MARGIN_MS = 250;

const heartbeatKey = (instanceId: string) => `arena:instance:${instanceId}`;

/**
 * The verdict (pure): an instance holding work is dead once its heartbeat was seen missing on every
 * check for at least `confirmMs`. One check where it is back clears it; one that no longer holds work is forgotten.
 */
export class DeadPeers {
  readonly #confirmMs: number;
  readonly #missingSince = new Map<string, number>();

  constructor(confirmMs = CONFIRM_MS) {
    this.#confirmMs = confirmMs;
  }

  /** `seen`: each instance holding work, and whether its heartbeat is there now. Returns the dead ones. */
  judge(seen: ReadonlyArray<{ instanceId: string; alive: boolean }>, now: number): string[] {
    const holding = new Set(seen.map((s) => s.instanceId));
    for (const id of this.#missingSince.keys()) if (!holding.has(id)) this.#missingSince.delete(id);
    const dead: string[] = [];
    for (const { instanceId, alive } of seen) {
      if (alive) {
        this.#missingSince.delete(instanceId);
        continue;
      }
      const since = this.#missingSince.get(instanceId) ?? now;
      this.#missingSince.set(instanceId, since);
      if (now - since >= this.#confirmMs) dead.push(instanceId);
    }
    return dead;
  }
}

/** One kind of work instances hold in the shared database (arena battles, chats). */
export interface Reaper {
  /** The instances (other than this one) that hold work of this kind. */
  holders(): string[] | Promise<string[]>;
  /** Takes over the work of instances found dead (marks it interrupted). */
  reap(dead: string[]): unknown;
}

/** The Redis commands heartbeats use (a node-redis client has them). */
export interface LivenessRedis {
  set(key: string, value: string, options: { expiration: { type: 'PX'; value: number } }): Promise<unknown>;
  mGet(keys: string[]): Promise<ReadonlyArray<unknown>>;
  del(key: string): Promise<unknown>;
  /** Milliseconds the key has left; negative when it is missing (-2) or never expires (-1). */
  pTTL(key: string): Promise<number>;
}

/** Another process is running with this instance's id: its heartbeat keeps being renewed. */
export class DuplicateInstanceError extends Error {}

export class Liveness {
  readonly instanceId: string;
  readonly #redis: LivenessRedis;
  readonly #verdict = new DeadPeers();
  readonly #reapers: Reaper[] = [];
  readonly #onError: (err: unknown) => void;
  #timer: NodeJS.Timeout | null = null;
  #checking = false;

  constructor(redis: LivenessRedis, instanceId: string, onError: (err: unknown) => void) {
    this.#redis = redis;
    this.instanceId = instanceId;
    this.#onError = onError;
  }

  /**
   * Sets the heartbeat at once (before this instance serves), then renews it and checks the others
   * every beat. A heartbeat of this id already there is waited out if it runs down (a crashed
   * predecessor: at most HEARTBEAT_TTL_MS); one that is renewed meanwhile belongs to a live process
   * with the same id, and this instance refuses to start rather than take its battles for its own.
   */
  async start(): Promise<void> {
    await this.#waitOutPredecessor();
    await this.#beat();
    this.#timer = setInterval(() => void this.#tick(), HEARTBEAT_MS);
    this.#timer.unref();
  }

  watch(reaper: Reaper): void {
    this.#reapers.push(reaper);
  }

  /** The heartbeat of each instance, true where it is there; null when Redis cannot tell (unreachable, or it lost its keys). */
  async alive(instanceIds: readonly string[]): Promise<Map<string, boolean> | null> {
    const values = await this.#redis.mGet([heartbeatKey(this.instanceId), ...instanceIds.map(heartbeatKey)]);
    // Our own heartbeat missing means Redis restarted empty: nobody's absence says anything yet.
    if (values[0] === null) {
      await this.#beat();
      return null;
    }
    return new Map(instanceIds.map((id, i) => [id, values[i + 1] !== null]));
  }

  /** Stops beating and removes the heartbeat (the instance has stored all its work). */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#redis.del(heartbeatKey(this.instanceId));
  }

  async #waitOutPredecessor(): Promise<void> {
    const key = heartbeatKey(this.instanceId);
    let left = await this.#redis.pTTL(key);
    while (left > 0) {
      const before = performance.now();
      await new Promise((resolve) => setTimeout(resolve, Math.min(left, HEARTBEAT_MS) + 100));
      const now = await this.#redis.pTTL(key);
      // Left alone, the expiry runs down as fast as the clock; renewed, it jumped back up.
      if (now > left - (performance.now() - before) + RENEWAL_MARGIN_MS) {
        throw new DuplicateInstanceError(
          `ARENA_INSTANCE_ID: another running instance is already named "${this.instanceId}" (its heartbeat in Redis is being renewed); every instance needs an id of its own`,
        );
      }
      left = now;
    }
  }

  async #beat(): Promise<void> {
    await this.#redis.set(heartbeatKey(this.instanceId), String(process.pid), { expiration: { type: 'PX', value: HEARTBEAT_TTL_MS } });
  }

  async #tick(): Promise<void> {
    if (this.#checking) return;
    this.#checking = true;
    try {
      await this.#beat();
      await this.check();
    } catch (err) {
      this.#onError(err);
    } finally {
      this.#checking = false;
    }
  }

  /** One check: the holders of work whose heartbeat stayed gone are reaped (exposed for tests). */
  async check(now = Date.now()): Promise<string[]> {
    const held = await Promise.all(this.#reapers.map((r) => r.holders()));
    const holders = [...new Set(held.flat())].filter((id) => id !== this.instanceId);
    if (holders.length === 0) {
      this.#verdict.judge([], now);
      return [];
    }
    const alive = await this.alive(holders);
    if (!alive) return [];
    const dead = this.#verdict.judge(
      holders.map((instanceId) => ({ instanceId, alive: alive.get(instanceId) ?? false })),
      now,
    );
    if (dead.length > 0) for (const reaper of this.#reapers) await reaper.reap(dead);
    return dead;
  }
}
