// The machine a run was measured on: figures on a shared 2-core machine mean little without it.
import { execFileSync } from 'node:child_process';
import { cpus, freemem, loadavg, totalmem } from 'node:os';

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGb: number;
  freeMemoryGb: number;
  node: string;
  git: string;
  kubectl: string;
  loadAverage: number[];
}

function versionOf(program: string, args: string[]): string {
  try {
    return execFileSync(program, args, { encoding: 'utf8' }).split('\n')[0].trim();
  } catch {
    return 'not installed';
  }
}

export function describeMachine(): Machine {
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: totalmem() / 2 ** 30,
    freeMemoryGb: freemem() / 2 ** 30,
    node: process.version,
    git: versionOf('git', ['--version']),
    kubectl: versionOf('kubectl', ['version', '--client']),
    loadAverage: loadavg(),
  };
}

export const formatLoad = (load: number[]) => load.map((n) => n.toFixed(2)).join(', ');
