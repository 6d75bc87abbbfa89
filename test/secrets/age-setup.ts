// Shared by the age tests: a simulator with a two-value Secret, age-keygen identities, and checks that no value leaks.
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { run, temporaryDirectory } from '../helpers/processes.ts';
import { kubectl } from '../helpers/kubectl.ts';

export const PASSWORD = 'hunter2-first-password';
export const NEW_PASSWORD = 'correct-horse-battery-staple';
export const USER = 'admin-user-name';
export const SECRET_PATH = 'shop/secrets/db.yaml';

export interface AgeKey {
  file: string;
  recipient: string;
}

export interface AgeCluster {
  sim: Simulator;
  tmp: { path: string; remove(): void };
  repo: string;
  keys: AgeKey[];
  kube(...args: string[]): Promise<string>;
  setPassword(value: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startAgeCluster(): Promise<AgeCluster> {
  const sim = await startSimulator();
  const tmp = temporaryDirectory('kubesnap-age-');
  const kube = async (...args: string[]) => {
    const result = await kubectl(sim.kubeconfigPath, args);
    assert.is(result.code, 0, `kubectl ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };
  await kube('create', 'namespace', 'shop');
  await kube(
    'create',
    'secret',
    'generic',
    'db',
    '-n',
    'shop',
    `--from-literal=password=${PASSWORD}`,
    `--from-literal=user=${USER}`,
  );
  const keys: AgeKey[] = [];
  for (const name of ['one', 'two']) {
    const file = join(tmp.path, `${name}.key`);
    const generated = await run('age-keygen', ['-o', file]);
    assert.is(generated.code, 0, generated.stderr);
    keys.push({ file, recipient: /age1[0-9a-z]+/.exec(readFileSync(file, 'utf8'))![0] });
  }
  return {
    sim,
    tmp,
    keys,
    kube,
    repo: join(tmp.path, 'repo'),
    setPassword: async (value) =>
      void (await kube(
        'patch',
        'secret',
        'db',
        '-n',
        'shop',
        '-p',
        JSON.stringify({ data: { password: Buffer.from(value).toString('base64') } }),
      )),
    async stop() {
      await sim.stop();
      tmp.remove();
    },
  };
}

/** The real age opens the value with the identity. */
export async function ageDecrypt(ciphertext: string, identityFile: string): Promise<string> {
  const result = await run('age', ['-d', '-i', identityFile], { input: ciphertext });
  assert.is(result.code, 0, result.stderr);
  return result.stdout;
}

/** Neither the value, its base64, nor an unkeyed digest of it appears in `text`. */
export function assertNoPlaintext(text: string, values: string[]): void {
  for (const value of values) {
    assert.not.ok(text.includes(value), 'a plaintext value is in the output');
    assert.not.ok(text.includes(Buffer.from(value).toString('base64')), 'a base64 value is in the output');
    assert.not.ok(
      text.includes(createHash('sha256').update(value).digest('hex')),
      'an unkeyed digest of a value is in the output',
    );
  }
}
