import { fieldChanges, formatFieldValue } from '../json/field-changes.ts';
import { parseObject } from '../layout/index.ts';
import type { SnapshotRepository } from '../store/index.ts';

/** A staged file, with the object it was serialised from when that was kept. */
interface StagedObject {
  content: Buffer | null;
  id?: string;
  object?: object;
}

/** Objects kept for field changes: a few MB, enough for a busy cluster's hot objects. */
const RECENT_OBJECTS = 10_000;

/**
 * `spec.replicas 2→3` for an update's line in a commit body: the first few leaf changes against the committed
 * version, which is the object itself when it was among the latest committed (bounded), else its blob read back.
 */
export class FieldSummaries {
  private recentObjects = new Map<string, { id: string; object: object }>();

  constructor(private readonly repository: Pick<SnapshotRepository, 'readBlob'>) {}

  async of(path: string, previousId: string, change: StagedObject): Promise<string | undefined> {
    const recent = this.recentObjects.get(path);
    const before =
      recent?.id === previousId
        ? recent.object
        : parseObject((await this.repository.readBlob(previousId)).toString('utf8'));
    const changes = fieldChanges(before, change.object ?? parseObject(change.content!.toString('utf8')));
    if (changes.length === 0) return undefined;
    const shown = changes.slice(0, 3).map((c) => `${c.path} ${shortValue(c.before)}→${shortValue(c.after)}`);
    return changes.length > 3 ? `${shown.join(', ')} (+${changes.length - 3} more)` : shown.join(', ');
  }

  /** `change` was committed at `path`: the next change of that object compares with it without reading its blob. */
  remember(path: string, change: StagedObject): void {
    this.recentObjects.delete(path);
    if (!change.object || !change.id) return;
    this.recentObjects.set(path, { id: change.id, object: change.object });
    if (this.recentObjects.size > RECENT_OBJECTS) this.recentObjects.delete(this.recentObjects.keys().next().value!);
  }
}

/** A field value for a one-line commit body: long values are cut, the diff has them whole. */
function shortValue(value: unknown): string {
  const text = formatFieldValue(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
