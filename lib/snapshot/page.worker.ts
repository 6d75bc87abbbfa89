// A page worker: processes the list pages ListPageProcessor sends it (see list-page.ts).
import { answerCalls } from '../runtime/index.ts';
import { processListPage, type PageJob } from './list-page.ts';
import { toPageMessage, type PageMessage } from './page-message.ts';

answerCalls(({ body, job }: { body: Uint8Array; job: PageJob }) => {
  const { message, transfer } = toPageMessage(processListPage(body, job));
  return { reply: message satisfies PageMessage, transfer };
});
