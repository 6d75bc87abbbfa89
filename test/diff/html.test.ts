import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';
import { runCli } from '../helpers/cli.ts';
import { run, temporaryDirectory } from '../helpers/processes.ts';
import { historyRepository } from './fixture-repository.ts';

/** Headless Chromium on a file:// URL, with everything that could reach the network turned off. */
function chromium(profile: string, args: string[]) {
  return run(
    '/usr/bin/chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      ...args,
    ],
    { timeoutMs: 60_000 },
  );
}

/** The distinct byte values of a PNG's decompressed pixel rows: a blank (one-colour) page has only a handful. */
function pixelByteVariety(png: Buffer): number {
  assert.is(png.toString('latin1', 1, 4), 'PNG');
  const chunks: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    if (type === 'IDAT') chunks.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  return new Set(inflateSync(Buffer.concat(chunks))).size;
}

test('the HTML page is self-contained and renders every changed object in a real Chromium', async () => {
  const fixture = await historyRepository();
  const tmp = temporaryDirectory('kubesnap-html-');
  try {
    const result = await runCli(['--repo', fixture.dir, 'diff', '--format', 'html', 'HEAD~2', 'HEAD']);
    assert.is(result.code, 0, result.stderr);
    const page = result.stdout;
    assert.match(page, /^<!DOCTYPE html>/);
    assert.not.match(page, /<script|<link|src=|@import|url\(/i, 'no external resources, no scripts');
    assert.match(page, /\.d2h-file-wrapper\s*\{/, "diff2html's CSS is inlined");
    const file = join(tmp.path, 'diff.html');
    writeFileSync(file, page);
    const url = pathToFileURL(file).href;

    const screenshot = join(tmp.path, 'page.png');
    const shot = await chromium(join(tmp.path, 'profile-1'), [
      `--screenshot=${screenshot}`,
      '--window-size=1280,1600',
      url,
    ]);
    assert.is(shot.code, 0, shot.stderr);
    assert.ok(pixelByteVariety(readFileSync(screenshot)) > 32, 'the screenshot is not one colour');

    const dom = await chromium(join(tmp.path, 'profile-2'), ['--dump-dom', url]);
    assert.is(dom.code, 0, dom.stderr);
    const names = [
      'shop/web',
      'gadgets.example.com',
      'shop/old-config',
      'shop/creds',
      'shop/blue',
      'payments/settings',
    ];
    for (const name of names) assert.ok(dom.stdout.includes(name), `the page lacks ${name}`);
    assert.is(dom.stdout.match(/class="d2h-file-wrapper"/g)?.length, names.length, 'one side-by-side diff per object');
    assert.match(dom.stdout, /<h2>namespace payments<\/h2>[\s\S]*<h2>namespace shop<\/h2>/);
    assert.match(dom.stdout, /d2h-files-diff/);
  } finally {
    tmp.remove();
    fixture.remove();
  }
});

test.run();
