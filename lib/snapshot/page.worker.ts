// A page worker: processes the list pages ListPageProcessor posts to it (see list-page.ts) and posts them back.
import { parentPort } from 'node:worker_threads';
import { processListPage, type PageJob } from './list-page.ts';
import { toErrorMessage, toPageMessage } from './page-message.ts';

parentPort!.on('message', ({ id, body, job }: { id: number; body: Uint8Array; job: PageJob }) => {
  try {
    const { message, transfer } = toPageMessage(processListPage(body, job));
    parentPort!.postMessage({ id, page: message }, transfer);
  } catch (error) {
    parentPort!.postMessage({ id, error: toErrorMessage(error) });
  }
});
