/** What one part of a running watch says about itself: ready, or why not, in one line. */
export interface Readiness {
  ready: boolean;
  detail: string;
}

/** A part of a running watch that can tell whether it is doing its job (watch, history writer, remote, leader). */
export interface ReadinessSource {
  readonly name: string;
  check(): Readiness;
}

/**
 * The readiness of several sources as one: the first that is not ready, named (`commits: …`);
 * else ready, with what the ready ones have to say beyond "ok" (`ok; remote: 2 commits to push`).
 */
export function combineReadiness(sources: Iterable<ReadinessSource>): Readiness {
  const notes: string[] = [];
  for (const source of sources) {
    const { ready, detail } = source.check();
    if (!ready) return { ready: false, detail: `${source.name}: ${detail}` };
    if (detail !== 'ok') notes.push(`${source.name}: ${detail}`);
  }
  return { ready: true, detail: ['ok', ...notes].join('; ') };
}
