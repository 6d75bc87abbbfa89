import { formatDuration, systemClock, type Clock, type Readiness, type ReadinessSource } from '../health/index.ts';
import { silentLogger, type Logger } from '../log/index.ts';
import type { Author, FileChange, SnapshotRepository } from '../store/index.ts';
import type { GitBackend } from './backend.ts';
import { RemoteError } from './errors.ts';

export interface RemoteSyncOptions {
  repository: SnapshotRepository;
  backend: GitBackend;
  /** The folder this writer owns (`--prefix`); everything outside it is the remote's. Default: the whole tree. */
  prefix?: string;
  /** Author of the merge commits that continue on top of the remote. */
  author: Author;
  /** Overwrite the remote branch instead of merging it (`--force-push`). */
  force?: boolean;
  /** Scheduled pushes (watch) happen at most this often; failures back off from it, doubling. Default 30 s. */
  pushIntervalMs?: number;
  /** Not ready once fetches and pushes have failed for this long (network, server errors). Default 5 min. */
  notReadyAfterMs?: number;
  /**
   * A new, empty repository writes nothing before it has the remote's history: start() fetches again while the
   * remote cannot be reached (at the push interval, backing off) until it can, or stop() is called. For a
   * long-running writer in a pod with an empty /data, whose first commits would otherwise begin a second
   * history, joined to the remote's later as a second root commit.
   */
  waitForRemoteWhenEmpty?: boolean;
  /**
   * Notes refs (`refs/notes/kubesnap-drills`) that others push to the remote (a drill CronJob): fetched on start and
   * then at the push interval, and merged into the local ones without losing a note of either side. Never pushed.
   */
  notesRefs?: string[];
  logger?: Logger;
  /** Push times, the push and notes-fetch timers and the waits for the remote. */
  clock?: Clock;
}

/** How far the remote is behind the local branch, and since when. */
export interface RemoteStatus {
  /** Local commits not on the remote branch. */
  unpushedCommits: number;
  /** Commit time of the oldest of them. */
  oldestUnpushedAt?: Date;
  lastPushAt?: Date;
  /** The last failure's sentence, until a push succeeds. */
  lastError?: string;
  /** Failed fetches and pushes since start. */
  pushFailures: number;
}

/** A push rejected this many times in a row (other writers pushing in between) is given up until the next try. */
const MAX_MERGE_ATTEMPTS = 5;
const MAX_BACKOFF_MS = 5 * 60_000;
export const DEFAULT_PUSH_NOT_READY_AFTER_MS = 5 * 60_000;

/**
 * Keeps a local snapshot repository's branch and one branch of a Git remote in step, without ever rewriting
 * history. On start it fetches the remote branch: a local branch with nothing of its own fast-forwards to it;
 * when both have commits, a merge commit continues on top of the remote (see `mergeRemote`). A push the remote
 * rejects as a non-fast-forward is answered the same way (fetch, merge, push again). Local commits are never
 * dropped: what could not be pushed stays on the local branch and goes with the next successful push.
 * A push a hook or policy of the remote refuses is not merged and retried: the remote's message is logged
 * once and the push is tried again at the next scheduled push. As a ReadinessSource ("remote") it is not
 * ready while the remote refuses the push or the credentials, or once pushes have failed for `notReadyAfterMs`.
 */
export class RemoteSync implements ReadinessSource {
  readonly name = 'remote';
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly pushIntervalMs: number;
  private readonly notReadyAfterMs: number;
  /** Commits known to be on the remote (ancestors of the tracking ref), grown as the tracking ref moves. */
  private readonly onRemote = new Set<string>();
  private unpushed: { count: number; oldest?: Date } = { count: 0 };
  private lastPushAt?: Date;
  private lastFailure?: Error;
  /** When the fetches and pushes started failing (the first failure after the last success). */
  private failingSince?: number;
  /** The remote's refusal last logged, so one refusal repeated at every push is logged once. */
  private loggedRefusal?: string;
  private failures = 0;
  private totalFailures = 0;
  private lastAttempt = 0;
  private cancelPush: (() => void) | undefined;
  private cancelNotesFetch: (() => void) | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  /** Ends start()'s waiting for the remote. */
  private readonly stopping = new AbortController();

  constructor(private readonly options: RemoteSyncOptions) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.pushIntervalMs = options.pushIntervalMs ?? 30_000;
    this.notReadyAfterMs = options.notReadyAfterMs ?? DEFAULT_PUSH_NOT_READY_AFTER_MS;
  }

  /**
   * Fetches the remote branch and continues on top of it (see `waitForRemoteWhenEmpty` for a new repository).
   * Throws RemoteError; nothing local changes then.
   */
  async start(): Promise<void> {
    try {
      const remoteTip = await this.firstFetch();
      if (remoteTip && !this.options.force) {
        await this.continueOnTopOf(remoteTip).catch((error: unknown) => {
          this.recordFailure(error);
          throw error;
        });
      }
    } finally {
      await this.refreshStatus();
    }
    await this.fetchNotes();
    this.scheduleNotesFetch();
  }

  /** Fetches and merges the notes refs; a failure is logged only: the branch's fetches and pushes say whether the remote is healthy. */
  private async fetchNotes(): Promise<void> {
    for (const ref of this.options.notesRefs ?? []) {
      try {
        const remoteTip = await this.options.backend.fetchNotes(ref);
        if (remoteTip) await this.options.repository.mergeNotes(ref, remoteTip, this.options.author);
      } catch (error) {
        this.logger.warn('fetching notes failed; they are fetched again at the push interval', {
          ref,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }

  private scheduleNotesFetch(): void {
    if (this.stopped || !this.options.notesRefs?.length) return;
    this.cancelNotesFetch = this.clock.setTimer(() => {
      const run = this.running.then(() => this.fetchNotes());
      this.running = run;
      void run.then(() => this.scheduleNotesFetch());
    }, this.pushIntervalMs);
  }

  /** The remote's tip; every failed fetch is recorded (and, for a new repository that waits for the remote, retried). */
  private async firstFetch(): Promise<string | undefined> {
    for (;;) {
      try {
        const remoteTip = await this.options.backend.fetch();
        this.recordSuccess();
        return remoteTip;
      } catch (error) {
        this.recordFailure(error);
        const unreachable = error instanceof RemoteError && error.failure === 'network';
        if (
          !unreachable ||
          !this.options.waitForRemoteWhenEmpty ||
          this.stopped ||
          (await this.options.repository.head())
        )
          throw error;
        const delay = this.retryDelay();
        this.logger.warn(
          "the remote cannot be fetched; this new repository writes nothing before it has the remote's history",
          { error: error.message, retryIn: formatDuration(delay) },
        );
        await this.clock.sleep(delay, this.stopping.signal).catch(() => undefined);
        if (this.stopped) throw error;
      }
    }
  }

  /**
   * Pushes the local branch now. A rejection (the remote moved on) is fetched, merged and pushed again, a few
   * times. Throws RemoteError (network, credentials, refused by the remote, still rejected); the local commits
   * stay either way.
   */
  async push(): Promise<void> {
    const run = this.running.then(() => this.pushNow());
    this.running = run.catch(() => undefined);
    return run;
  }

  private async pushNow(): Promise<void> {
    this.lastAttempt = this.clock.now();
    try {
      for (let attempt = 1; ; attempt++) {
        const head = await this.options.repository.head();
        if (!head || head === (await this.options.backend.trackedTip())) break;
        try {
          await this.options.backend.push({ force: this.options.force });
          this.lastPushAt = new Date(this.clock.now());
          this.logger.info('pushed', { commit: head.slice(0, 12) });
          break;
        } catch (error) {
          if (
            !(error instanceof RemoteError) ||
            error.failure !== 'rejected' ||
            this.options.force ||
            attempt >= MAX_MERGE_ATTEMPTS
          )
            throw error;
          this.logger.info('the remote branch moved on; continuing on top of it');
          const remoteTip = await this.options.backend.fetch();
          if (remoteTip) await this.continueOnTopOf(remoteTip);
        }
      }
      this.recordSuccess();
    } catch (error) {
      this.recordFailure(error);
      throw error;
    } finally {
      await this.refreshStatus();
    }
  }

  /** Asks for a push soon: at most every push interval, backing off after failures. For long-running writers. */
  requestPush(): void {
    if (this.stopped || this.cancelPush) return;
    const delay =
      this.failures > 0 ? this.retryDelay() : Math.max(0, this.lastAttempt + this.pushIntervalMs - this.clock.now());
    this.cancelPush = this.clock.setTimer(() => {
      this.cancelPush = undefined;
      this.push().then(
        () => {
          if (this.unpushed.count > 0) this.requestPush();
        },
        (error) => {
          this.logFailedPush(error);
          this.requestPush();
        },
      );
    }, delay);
  }

  /** After `failures` failed fetches or pushes in a row: the push interval, doubling, at most 5 minutes (or the interval). */
  private retryDelay(): number {
    return Math.min(this.pushIntervalMs * 2 ** (this.failures - 1), Math.max(MAX_BACKOFF_MS, this.pushIntervalMs));
  }

  /** Stops scheduled pushes (and start()'s waiting for the remote) and makes one last attempt; throws RemoteError when that fails. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    this.cancelPush?.();
    this.cancelNotesFetch?.();
    this.cancelPush = undefined;
    await this.running;
    if (this.unpushed.count > 0 || (await this.options.repository.head()) !== (await this.options.backend.trackedTip()))
      await this.push();
  }

  status(): RemoteStatus {
    return {
      unpushedCommits: this.unpushed.count,
      oldestUnpushedAt: this.unpushed.oldest,
      lastPushAt: this.lastPushAt,
      lastError: this.lastFailure?.message,
      pushFailures: this.totalFailures,
    };
  }

  /**
   * Not ready while the remote refuses the push (`push rejected by the remote: <its message>`) or the
   * credentials, or once fetches and pushes have failed for `notReadyAfterMs`; else ready, saying what
   * is not pushed yet (`ok` when in sync).
   */
  check(): Readiness {
    const failure = this.lastFailure;
    if (failure instanceof RemoteError && failure.failure === 'declined')
      return { ready: false, detail: `push rejected by the remote: ${failure.remoteMessage}` };
    if (failure instanceof RemoteError && failure.failure === 'auth')
      return { ready: false, detail: `authentication failed: ${failure.message}` };
    const failingFor = this.failingSince === undefined ? 0 : this.clock.now() - this.failingSince;
    if (failure && failingFor >= this.notReadyAfterMs)
      return { ready: false, detail: `pushes have failed for ${formatDuration(failingFor)}: ${failure.message}` };
    return { ready: true, detail: this.backlog() ?? 'ok' };
  }

  /** What is not pushed yet, and since when; undefined when in sync. */
  private backlog(): string | undefined {
    const { unpushedCommits, oldestUnpushedAt, lastError } = this.status();
    if (unpushedCommits === 0) return undefined;
    const since = oldestUnpushedAt ? ` since ${oldestUnpushedAt.toISOString()}` : '';
    return `${unpushedCommits} commit${unpushedCommits === 1 ? '' : 's'} not pushed${since}${lastError ? ` (last push: ${lastError})` : ''}`;
  }

  private recordSuccess(): void {
    this.failures = 0;
    this.failingSince = undefined;
    this.lastFailure = undefined;
    this.loggedRefusal = undefined;
  }

  private recordFailure(error: unknown): void {
    this.failures++;
    this.totalFailures++;
    this.failingSince ??= this.clock.now();
    this.lastFailure = error instanceof Error ? error : new Error(String(error));
  }

  /**
   * A scheduled push that failed. A refusal by the remote is an error the operator must act on: its message is
   * logged once (again only when it changes); anything else is a warning at each try, as the remote may come back.
   */
  private logFailedPush(error: unknown): void {
    if (error instanceof RemoteError && error.failure === 'declined') {
      if (error.remoteMessage === this.loggedRefusal) return;
      this.loggedRefusal = error.remoteMessage;
      this.logger.error(
        'the remote refused the push; the commits stay local and the push is tried again at the push interval',
        { remote: error.remoteMessage },
      );
      return;
    }
    this.logger.warn('push failed; the commits stay local and are pushed when the remote is back', {
      error: error instanceof Error ? error.message : String(error),
    });
  }

  /** Makes the local branch contain `remoteTip`: a fast-forward when it has nothing of its own, else a merge. */
  private async continueOnTopOf(remoteTip: string): Promise<void> {
    const repository = this.options.repository;
    const local = await repository.head();
    if (local === remoteTip || (local && repository.isAncestor(remoteTip, local))) return;
    if (!local || repository.isAncestor(local, remoteTip)) {
      await repository.fastForward(remoteTip);
      this.logger.info('fast-forwarded to the remote branch', { commit: remoteTip.slice(0, 12) });
      return;
    }
    await this.mergeRemote(local, remoteTip);
  }

  /**
   * A merge commit with parents [local head, remote tip] whose tree is the remote's, except under our prefix,
   * which stays as this writer committed it (with no prefix, this writer owns the whole tree). kubesnap writes
   * whole states, not edits, so there is nothing to rebase: every commit of both sides stays as it was.
   */
  private async mergeRemote(local: string, remoteTip: string): Promise<void> {
    const repository = this.options.repository;
    const prefix = this.options.prefix?.replace(/^\/+|\/+$/g, '');
    const ours = (path: string) => !prefix || path.startsWith(`${prefix}/`);
    const localFiles = await repository.readFiles(local);
    const remoteFiles = await repository.readFiles(remoteTip);
    const changes: FileChange[] = [];
    for (const [path, id] of remoteFiles) {
      if (!ours(path) && localFiles.get(path) !== id) changes.push({ path, content: await repository.readBlob(id) });
    }
    for (const path of localFiles.keys()) {
      if (!ours(path) && !remoteFiles.has(path)) changes.push({ path, content: null });
    }
    const scope = prefix ? `everything outside ${prefix}/ as the remote has it` : 'this writer owns the whole tree';
    const result = await repository.commitChanges(changes, {
      message: `Continue on top of the remote branch (${remoteTip.slice(0, 12)})\n\nMerged without rewriting either side: ${scope}.\n`,
      author: this.options.author,
      allowEmpty: true,
      mergeParents: [remoteTip],
    });
    this.logger.info('merged the remote branch', {
      commit: result?.commit.slice(0, 12),
      remote: remoteTip.slice(0, 12),
    });
  }

  /** Counts the local commits the remote lacks, walking only commits not already known to be there. */
  private async refreshStatus(): Promise<void> {
    const repository = this.options.repository;
    const tracked = await this.options.backend.trackedTip();
    if (tracked) this.collect(tracked, this.onRemote);
    const head = await repository.head();
    const unpushed = new Set<string>();
    if (head) this.collect(head, unpushed, this.onRemote);
    let oldest: number | undefined;
    for (const id of unpushed) {
      const [entry] = await repository.log({ ref: id, limit: 1 });
      if (oldest === undefined || entry.committer.timestamp < oldest) oldest = entry.committer.timestamp;
    }
    this.unpushed = { count: unpushed.size, oldest: oldest === undefined ? undefined : new Date(oldest * 1000) };
  }

  /** Adds `start` and its ancestors to `into`, stopping at commits in `into` or `stop`. */
  private collect(start: string, into: Set<string>, stop?: Set<string>): void {
    const pending = [start];
    while (pending.length) {
      const id = pending.pop()!;
      if (into.has(id) || stop?.has(id)) continue;
      into.add(id);
      pending.push(...this.options.repository.parentsOf(id));
    }
  }
}
