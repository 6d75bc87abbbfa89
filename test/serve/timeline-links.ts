// What the serve page tests read from a timeline page, and the git log they compare it with.
import { git } from '../store/real-git.ts';

/** The commit ids a timeline page lists, in its order. */
export const commitLinks = (html: string) =>
  [...html.matchAll(/<a class="id" href="\/commit\/([0-9a-f]{40})">/g)].map((match) => match[1]);

/** The "Older commits" link of a timeline page, unescaped; undefined on the last page. */
export const olderLink = (html: string) =>
  /<a class="next" href="([^"]+)">Older commits<\/a>/.exec(html)?.[1].replace(/&amp;/g, '&');

/** `git log --format=%H main ARGS` in the repository `dir`: the commit ids, newest first. */
export const gitLogOf = (dir: string, ...args: string[]) =>
  git(dir, ['log', '--format=%H', 'main', ...args])
    .split('\n')
    .filter(Boolean);
