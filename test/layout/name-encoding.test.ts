// encodeName and decodeName take a shortcut for names that are their own encoding; compare them with the rule
// written out character by character, on random names built from the characters the rule treats specially.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  decodeName,
  decodeSegment,
  encodeName,
  encodeSegment,
  maxSegmentBytes,
} from '../../lib/layout/name-encoding.ts';

function referenceUnits(name: string): string[] {
  return [...name].flatMap((character, index) => {
    const kept = /^[A-Za-z0-9\-.:]$/.test(character) && !(character === '.' && index === 0);
    return kept
      ? [character]
      : [...Buffer.from(character, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`);
  });
}

function referencePieces(name: string): string[] {
  const pieces = [''];
  for (const unit of referenceUnits(name)) {
    if (pieces[pieces.length - 1].length + unit.length > maxSegmentBytes) {
      pieces[pieces.length - 1] += '%';
      pieces.push('');
    }
    pieces[pieces.length - 1] += unit;
  }
  return pieces;
}

function referenceDecode(pieces: string[]): string | undefined {
  if (pieces.length === 0 || pieces.some((piece, index) => piece.endsWith('%') !== index < pieces.length - 1))
    return undefined;
  const encoded = pieces.map((piece, index) => (index < pieces.length - 1 ? piece.slice(0, -1) : piece)).join('');
  if (!/^(?:[A-Za-z0-9\-.:]|%[0-9A-F]{2})+$/.test(encoded)) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
  return JSON.stringify(referencePieces(name)) === JSON.stringify(pieces) ? name : undefined;
}

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

const characters = [
  'a',
  'Z',
  '0',
  '9',
  '-',
  '.',
  ':',
  '_',
  '%',
  '/',
  '\\',
  ' ',
  '\0',
  '~',
  'é',
  '名',
  '🚀',
  '\uD800',
  '%2E',
  '%41',
  '%',
];

function randomName(next: () => number): string {
  // Mostly short names, some past the segment limit so they are split.
  const length = next() < 0.8 ? Math.floor(next() * 12) : 150 + Math.floor(next() * 200);
  let name = '';
  for (let i = 0; i < length; i++)
    name += next() < 0.6 ? 'abc-xyz.09:'[Math.floor(next() * 11)] : characters[Math.floor(next() * characters.length)];
  return name;
}

test('names are encoded as the rule says, character by character', () => {
  const next = random(3);
  for (let i = 0; i < 5000; i++) {
    const name = randomName(next);
    assert.equal(encodeName(name), referencePieces(name), JSON.stringify(name));
    if (name.length <= 60) assert.is(encodeSegment(name), referenceUnits(name).join(''), JSON.stringify(name));
  }
});

test('decoding gives the name back, and refuses what encoding would not write', () => {
  const next = random(5);
  for (let i = 0; i < 5000; i++) {
    const name = randomName(next);
    const pieces = encodeName(name);
    // A lone surrogate is written as U+FFFD's bytes, so it cannot come back.
    const wellFormed = Buffer.from(name, 'utf8').toString('utf8') === name;
    const expected = wellFormed && name !== '' ? name : referenceDecode(pieces);
    assert.is(decodeName(pieces), expected, JSON.stringify(name));
    const written = randomName(next);
    const split = next() < 0.2 ? [written.slice(0, 3), written.slice(3)] : [written];
    assert.is(decodeName(split), referenceDecode(split), JSON.stringify(split));
    assert.is(
      decodeSegment(written),
      written.endsWith('%') ? undefined : referenceDecode([written]),
      JSON.stringify(written),
    );
  }
});

test.run();
