import { renderTemplate } from './template.ts';
import type { ClusterIdentity } from './commit-message.ts';

export interface ReadmeFacts {
  cluster: ClusterIdentity;
  /** When the content last changed (ISO time). */
  time: string;
  objectCount: number;
  secrets: 'redact' | 'skip' | 'plain' | 'encrypt';
  /** `deployments.apps (12)` style lines. */
  included: string[];
  /** `events: Events are runtime records (--include-events)` style lines. */
  skipped: string[];
}

export const README_PATH = 'README.md';

const secretsText: Record<ReadmeFacts['secrets'], string> = {
  redact: 'values replaced by sha256 digests (drift is visible, nothing readable is stored)',
  skip: 'not stored',
  plain: 'stored in plain text (asked for with --secrets plain)',
  encrypt: 'values encrypted with age',
};

/** The generated README.md at the root of a snapshot repository. */
export function repositoryReadme(facts: ReadmeFacts): string {
  const list = (lines: string[]) => (lines.length ? lines.map((line) => `- ${line}`).join('\n') : '- (nothing)');
  return renderTemplate('repository-readme.md', {
    server: facts.cluster.server,
    context: facts.cluster.context,
    time: facts.time,
    objectCount: facts.objectCount,
    secrets: secretsText[facts.secrets],
    included: list(facts.included),
    skipped: list(facts.skipped),
    secretsNote: facts.secrets === 'redact'
      ? '\nRedacted Secret values cannot be restored from here; restore them from your secret store.\n'
      : '',
  });
}

/** The README without the line that changes every time, to decide whether anything but the time changed. */
export function readmeWithoutTime(text: string): string {
  return text.replace(/^\| last change \|.*$/m, '');
}
