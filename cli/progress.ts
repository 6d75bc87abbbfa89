export interface Progress {
  start(total: number): void;
  tick(label: string, objects: number): void;
  stop(): void;
}

/** A progress bar on stderr when it is a terminal; nothing at all otherwise (pipes, CI, logs). */
export async function createProgress(unit: string, stream: NodeJS.WriteStream = process.stderr): Promise<Progress> {
  if (!stream.isTTY) return { start() {}, tick() {}, stop() {} };
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `{bar} {value}/{total} ${unit} | {objects} objects | {label}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let objects = 0;
  let started = false;
  return {
    start(total) {
      bar.start(total, 0, { objects, label: '' });
      started = true;
    },
    tick(label, count) {
      objects += count;
      if (started) bar.increment(1, { objects, label });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
