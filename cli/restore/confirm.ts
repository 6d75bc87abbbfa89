import { createInterface } from 'node:readline/promises';
import { UsageError } from '../../lib/errors/index.ts';

/** Asks on the terminal whether to apply the plan to `target` (only `yes` does); with no terminal, --yes is needed. */
export async function confirmRestore(target: string): Promise<boolean> {
  if (!process.stdin.isTTY)
    throw new UsageError(
      'restore would change the cluster and there is no terminal to confirm on; pass --yes to apply (or --dry-run to only plan).',
    );
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`Apply this plan to ${target}? Only 'yes' will be accepted: `);
    return answer.trim() === 'yes';
  } finally {
    prompt.close();
  }
}
