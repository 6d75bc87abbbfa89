import { createTwoFilesPatch } from 'diff';
import type { ObjectChange } from './types.ts';

/** The object's YAML as a git-style unified diff (`diff --git`, `new file mode`, 3 lines of context). */
export function unifiedDiff(change: ObjectChange, context = 3): string {
  const oldName = change.change === 'created' ? '/dev/null' : `a/${change.path}`;
  const newName = change.change === 'deleted' ? '/dev/null' : `b/${change.path}`;
  const patch = createTwoFilesPatch(oldName, newName, change.beforeYaml, change.afterYaml, undefined, undefined, {
    context,
  });
  const body = patch.slice(patch.indexOf('\n') + 1);
  const mode =
    change.change === 'created'
      ? 'new file mode 100644\n'
      : change.change === 'deleted'
        ? 'deleted file mode 100644\n'
        : '';
  return `diff --git a/${change.path} b/${change.path}\n${mode}${body}`;
}
