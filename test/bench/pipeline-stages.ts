// Where a snapshot's client CPU goes per object: each stage lib/snapshot/list-page.ts runs on a list page, timed on
// its own over the bench cluster as lib/sim serves it (JSON with managedFields). For the notes under figure 1:
//
//   const stages = await measurePipelineStages({ objects: 5_000 });
//   notes.push(describePipelineStages(stages));
//
// or on its own: `node --import tsx test/bench/pipeline-stages.ts [objects]`.
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import {
  apiVersionOf,
  discoverResources,
  KubeClient,
  listDecodedPages,
  loadClusterConnection,
  type ApiResource,
} from '../../lib/kube/index.ts';
import { objectPath, serializeObject } from '../../lib/layout/index.ts';
import { normalizeObject, type KubeObject } from '../../lib/normalize/index.ts';
import { hashObject } from '../../lib/store/index.ts';
import { packEntry } from '../../lib/store/object-writer.ts';
import { KIND_COUNT, resourceOf } from './cluster-objects.ts';
import { median } from './measure.ts';
import { startSimServer } from './sim-server.ts';

/** Secrets are redacted as snapshot redacts them, under a digest key of the run. */
const normalizeOptions = { digestKey: randomBytes(32) };

export const stageNames = ['parse', 'normalize', 'serialize', 'path', 'hash', 'deflate'] as const;
export type StageName = (typeof stageNames)[number];

export interface PipelineStages {
  /** Objects listed (the simulator adds a few of its own to the bench cluster's), and kept by normalisation. */
  listed: number;
  kept: number;
  /** Median CPU microseconds per object of each stage (per listed object for parse and normalize, per kept one after). */
  microseconds: Record<StageName, number>;
  /** Bytes per object of the JSON the simulator sent and of the YAML written. */
  jsonBytes: number;
  yamlBytes: number;
  rounds: number;
}

interface Page {
  resource: ApiResource;
  body: Buffer;
}

/** Every page of the bench cluster's ten collections, as the API server sent them. */
async function listBenchPages(objects: number): Promise<Page[]> {
  const simulator = await startSimServer(objects);
  const client = new KubeClient(await loadClusterConnection({ kubeconfig: simulator.kubeconfigPath }));
  try {
    const benchKinds = new Set(
      Array.from({ length: KIND_COUNT }, (_, i) => `${resourceOf(i).group}/${resourceOf(i).resource}`),
    );
    const { resources } = await discoverResources(client, {});
    const pages: Page[] = [];
    for (const resource of resources.filter((candidate) =>
      benchKinds.has(`${candidate.group}/${candidate.resource}`),
    )) {
      // Parsed here only for the continue token; the bodies are parsed again, timed, below.
      const decode = async (body: Buffer) => ({ metadata: JSON.parse(body.toString('utf8')).metadata ?? {}, body });
      for await (const { body } of listDecodedPages(client, resource, {}, decode)) pages.push({ resource, body });
    }
    return pages;
  } finally {
    client.close();
    await simulator.stop();
  }
}

/** CPU time (user + system: GC and zlib included) of `action`, in microseconds. */
function cpuMicroseconds(action: () => void): number {
  const start = process.cpuUsage();
  action();
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

/** The data each stage starts from, made once by running the stages before it. */
function stageInputs(pages: Page[]) {
  const listed = pages.flatMap(({ resource, body }) => {
    const items: KubeObject[] = JSON.parse(body.toString('utf8')).items ?? [];
    const apiVersion = apiVersionOf(resource);
    return items.map((raw) => {
      // As list-page.ts does: list items come without apiVersion and kind.
      raw.apiVersion ??= apiVersion;
      raw.kind ??= resource.kind;
      return { resource, raw };
    });
  });
  const kept = listed.flatMap(({ resource, raw }) => {
    const result = normalizeObject(raw, resource, normalizeOptions);
    return result.action === 'keep'
      ? [{ resource, object: result.object, bytes: Buffer.from(serializeObject(result.object)) }]
      : [];
  });
  return { listed, kept };
}

/**
 * Per-object CPU of parse, normalize, serialize (to UTF-8 bytes, as collectedFile does), path, hash (git's blob
 * id) and deflate (the blob's pack entry, as list-page.ts makes it), for `objects` objects of the bench cluster.
 * Each stage runs alone over every object `rounds` times after one warm-up (JIT); the median round counts. The simulator runs in a process of its
 * own (sim-server.ts), stopped before anything is timed. The same objects come round again and outlive the rounds,
 * which is kinder to caches and the garbage collector than a snapshot, where each object is met once: compare
 * stages with each other and between runs, not the sum with a snapshot's CPU.
 */
export async function measurePipelineStages(
  options: { objects?: number; rounds?: number } = {},
): Promise<PipelineStages> {
  const { objects = 5_000, rounds = 5 } = options;
  const pages = await listBenchPages(objects);
  const { listed, kept } = stageInputs(pages);
  const stages: Record<StageName, { count: number; run: () => void }> = {
    parse: { count: listed.length, run: () => pages.forEach(({ body }) => JSON.parse(body.toString('utf8'))) },
    normalize: {
      count: listed.length,
      run: () => listed.forEach(({ resource, raw }) => normalizeObject(raw, resource, normalizeOptions)),
    },
    serialize: { count: kept.length, run: () => kept.forEach(({ object }) => Buffer.from(serializeObject(object))) },
    path: {
      count: kept.length,
      run: () =>
        kept.forEach(({ resource, object }) =>
          objectPath({
            group: resource.group,
            resource: resource.resource,
            namespace: object.metadata.namespace,
            name: object.metadata.name,
          }),
        ),
    },
    hash: { count: kept.length, run: () => kept.forEach(({ bytes }) => hashObject('blob', bytes)) },
    // As list-page.ts deflates a laid-out file: its pack entry (header, zlib data, CRC-32).
    deflate: { count: kept.length, run: () => kept.forEach(({ bytes }) => packEntry('blob', bytes)) },
  };
  const microseconds = {} as Record<StageName, number>;
  for (const name of stageNames) {
    const { count, run } = stages[name];
    run();
    microseconds[name] = median(Array.from({ length: rounds }, () => cpuMicroseconds(run) / count));
  }
  const total = (sizes: number[]) => sizes.reduce((sum, size) => sum + size, 0);
  return {
    listed: listed.length,
    kept: kept.length,
    microseconds,
    jsonBytes: total(pages.map(({ body }) => body.length)) / listed.length,
    yamlBytes: total(kept.map(({ bytes }) => bytes.length)) / kept.length,
    rounds,
  };
}

/** One line for RESULTS.md. */
export function describePipelineStages(stages: PipelineStages): string {
  const times = stageNames.map((name) => `${name} ${stages.microseconds[name].toFixed(1)}`).join(', ');
  return (
    `per-object CPU of each stage, in µs (${stages.listed.toLocaleString('en')} objects listed from lib/sim, median of ${stages.rounds} rounds ` +
    `in one process): ${times}; ${Math.round(stages.jsonBytes)} bytes of JSON → ${Math.round(stages.yamlBytes)} bytes of YAML per object`
  );
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const stages = await measurePipelineStages({ objects: Number(process.argv[2] ?? 5_000) });
  console.log(describePipelineStages(stages));
}
