// The history serve's page tests read: the diff fixture's three commits, then a ConfigMap whose name is markup.
import { serializeObject } from '../../lib/layout/index.ts';
import { objectPath } from '../../lib/layout/index.ts';
import { configMap, historyRepository, times } from '../diff/fixture-repository.ts';

export const HOSTILE_NAME = '<img src=x onerror=alert(1)>"\'&';

export async function serveRepository() {
  const history = await historyRepository();
  const hostile = configMap('shop', HOSTILE_NAME, { label: '<b>bold</b>' });
  const hostilePath = objectPath({ group: '', resource: 'configmaps', namespace: 'shop', name: HOSTILE_NAME });
  const at = times[2] + 3600;
  const result = await history.repository.commitChanges([{ path: hostilePath, content: serializeObject(hostile) }], {
    message: `watch: 1 created\n\ncreated ${hostilePath.replace(/\.yaml$/, '')}  by <script>x</script> at 12:00:00Z\n\nKubesnap-Changed-By: <script>x</script>\n`,
    author: { name: 'kubesnap', email: 'kubesnap@localhost', timestamp: at, timezoneOffset: 0 },
  });
  return { ...history, commits: [...history.commits, result!.commit], hostilePath };
}
