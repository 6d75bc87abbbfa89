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
