// A Kubernetes API server simulator: real HTTPS, real protocol, for tests and the demo.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../health/index.ts';
import { Authenticator } from './authentication.ts';
import { RbacAuthorizer } from './authorizer.ts';
import { Cluster } from './cluster.ts';
import { frozen } from './encoding.ts';
import type { ListOptions } from './listing.ts';
import { RequestFaults, type BrokenAnswer } from './faults.ts';
import { createRequestHandler, type ApiContext } from './http-api.ts';
import { kubeconfigYaml } from './kubeconfig.ts';
import { parseManifests } from './manifests.ts';
import { ResourceRegistry } from './registry.ts';
import { parseFieldSelector, parseLabelSelector } from './selectors.ts';
import { ServiceAccountTokens } from './service-account-tokens.ts';
import { ObjectStore } from './store.ts';
import { generateServerCredentials, type ServerCredentials } from './tls.ts';
import type { KubeObject } from './types.ts';
import { WatchHub } from './watch.ts';

export type { KubeObject } from './types.ts';
export { loadManifests } from './manifests.ts';

export interface SimulatorOptions {
  port?: number;
  token?: string;
  bookmarkIntervalMs?: number;
  /**
   * Live events a watch may have waiting for its client before the server ends it (default 10,000; a real server's
   * watchers hold 10 to 1,000): the client must watch again from the last resourceVersion it read.
   */
  watchBufferEvents?: number;
  historySize?: number;
  seed?: KubeObject[];
  kubeconfigPath?: string;
  /** Object timestamps, token lifetimes, watch bookmarks and timeouts, delays. */
  clock?: Clock;
}

export interface RestartOptions {
  /** Keep every object (default true); false starts from an empty cluster. */
  keepState?: boolean;
  /** Keep counting resourceVersions from where they were (default true); false starts again from 1. */
  keepRevisions?: boolean;
}

export interface SimulatorFaults {
  /** Cuts every open watch connection now. */
  dropWatches(): void;
  /** Answers the next `count` requests with 429 TooManyRequests and a Retry-After header. */
  throttleNext(count: number, retryAfterSeconds?: number): void;
  /** Answers the next `count` requests with 500 InternalError. */
  failNext(count: number): void;
  /** Delays every response by `ms` (0 turns it off). */
  delay(ms: number): void;
  /** Forgets the event history: watches and continue tokens from before now get 410 Expired. */
  compactHistory(): void;
  /** Stops and starts the server on the same port, closing every connection. */
  restart(options?: RestartOptions): Promise<void>;
  /** Answers every request to a resource (`secrets`, `widgets.example.com`) with 403 Forbidden, as RBAC would. */
  forbid(qualifiedResource: string): void;
  /** Answers every request to a resource as `answer` says: a 500, a 200 that is not JSON, or nothing (until closed). */
  breakResource(qualifiedResource: string, answer: BrokenAnswer): void;
  /** Turns off throttling, failures, delay, forbidden and broken resources. */
  clear(): void;
}

export interface Simulator {
  url: string;
  port: number;
  token: string;
  kubeconfig: string;
  kubeconfigPath: string;
  caPem: string;
  faults: SimulatorFaults;
  /** The current global resourceVersion. */
  readonly resourceVersion: number;
  /** Watches ended because their client left more than `watchBufferEvents` live events unread. */
  readonly terminatedWatches: number;
  seed(objects: KubeObject[]): void;
  seedYaml(text: string): void;
  /** The object as a GET returns it; all but its top level is the stored object itself, frozen (copy it to change it). */
  get(group: string, resource: string, namespace: string | undefined, name: string): KubeObject | undefined;
  /** The objects as a list returns them, each as `get` does. */
  list(
    group: string,
    resource: string,
    namespace?: string,
    options?: { labelSelector?: string; fieldSelector?: string },
  ): KubeObject[];
  /**
   * A bearer token of the service account NAMESPACE/NAME, as `kubectl create token` gets one: requests with it are
   * authorised by the cluster's RBAC objects. Throws when the service account does not exist.
   */
  mintToken(namespace: string, serviceAccount: string, options?: { expirationSeconds?: number }): string;
  stop(): Promise<void>;
}

class RunningSimulator implements Simulator {
  url = '';
  port = 0;
  readonly token: string;
  kubeconfig = '';
  kubeconfigPath = '';
  readonly caPem: string;
  readonly faults: SimulatorFaults;
  private cluster!: Cluster;
  private authorizer!: RbacAuthorizer;
  private readonly tokens: ServiceAccountTokens;
  private readonly authenticator: Authenticator;
  private store: ObjectStore;
  private registry = new ResourceRegistry();
  private watches: WatchHub;
  private requestFaults = new RequestFaults();
  private server: Server;
  private sockets = new Set<Socket>();
  private tempDir?: string;
  private readonly clock: Clock;

  constructor(
    private readonly options: SimulatorOptions,
    private readonly credentials: ServerCredentials,
  ) {
    this.token = options.token ?? randomBytes(24).toString('hex');
    this.caPem = credentials.caPem;
    this.store = new ObjectStore(options.historySize ?? 10_000);
    this.clock = options.clock ?? systemClock;
    this.watches = new WatchHub(options.bookmarkIntervalMs ?? 60_000, this.clock, options.watchBufferEvents ?? 10_000);
    this.tokens = new ServiceAccountTokens(
      () => this.store,
      () => this.cluster.now(),
    );
    this.authenticator = new Authenticator(this.token, this.tokens);
    this.newCluster();
    this.server = this.createServer();
    const faults = this.requestFaults;
    this.faults = {
      dropWatches: () => this.watches.dropAll(),
      throttleNext: (count, retryAfterSeconds = 1) => faults.throttleNext(count, retryAfterSeconds),
      failNext: (count) => faults.failNext(count),
      forbid: (qualifiedResource) => faults.forbid(qualifiedResource),
      breakResource: (qualifiedResource, answer) => faults.breakResource(qualifiedResource, answer),
      delay: (ms) => {
        faults.delayMs = ms;
      },
      compactHistory: () => this.store.compact(),
      restart: (restartOptions) => this.restart(restartOptions ?? {}),
      clear: () => faults.clear(),
    };
  }

  get resourceVersion(): number {
    return this.store.revision;
  }

  get terminatedWatches(): number {
    return this.watches.terminated;
  }

  private newCluster(): void {
    this.registry = new ResourceRegistry();
    this.cluster = new Cluster(this.registry, this.store, this.caPem, this.clock);
    this.cluster.bootstrap();
    this.authorizer = new RbacAuthorizer(this.store);
  }

  private createServer(): Server {
    // A getter, so a restart that loses state swaps the cluster under the same handler.
    const simulator = this;
    const context: ApiContext = {
      get cluster() {
        return simulator.cluster;
      },
      get authorizer() {
        return simulator.authorizer;
      },
      authenticator: this.authenticator,
      tokens: this.tokens,
      watches: this.watches,
      faults: this.requestFaults,
      serverAddress: () => `127.0.0.1:${this.port}`,
    };
    const server = createServer(
      { key: this.credentials.keyPem, cert: this.credentials.certPem },
      createRequestHandler(context),
    );
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    return server;
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.url = `https://127.0.0.1:${this.port}`;
  }

  writeKubeconfig(): void {
    this.kubeconfig = kubeconfigYaml({ url: this.url, caPem: this.caPem, token: this.token });
    if (this.options.kubeconfigPath) this.kubeconfigPath = this.options.kubeconfigPath;
    else {
      this.tempDir = mkdtempSync(join(tmpdir(), 'kubesnap-sim-'));
      this.kubeconfigPath = join(this.tempDir, 'kubeconfig');
    }
    writeFileSync(this.kubeconfigPath, this.kubeconfig, { mode: 0o600 });
  }

  private async close(): Promise<void> {
    this.watches.dropAll();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.server.closeAllConnections();
    await closed;
  }

  private async restart(options: RestartOptions): Promise<void> {
    await this.close();
    if (options.keepState === false) {
      const revision = options.keepRevisions === false ? 0 : this.store.revision;
      this.store = new ObjectStore(this.store.historySize);
      this.store.revision = revision;
      this.store.compactedRevision = revision;
      this.newCluster();
    } else if (options.keepRevisions === false) {
      throw new Error(
        'restart: keeping the objects while starting resourceVersions over is not something a real server does',
      );
    }
    this.server = this.createServer();
    await this.listen(this.port);
    // Let clients in this process see their pooled connections close before they send the next request. Real time,
    // not the Clock's: this waits for sockets, and a test's stopped clock would never let the restart end.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  seed(objects: KubeObject[]): void {
    this.cluster.seed(objects);
  }

  seedYaml(text: string): void {
    this.cluster.seed(parseManifests(text));
  }

  get(group: string, resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const def = this.registry.preferred(group, resource);
    if (!def) return undefined;
    const stored = this.cluster.find(def, namespace, name);
    return stored && this.cluster.serve(def, frozen(stored));
  }

  list(
    group: string,
    resource: string,
    namespace?: string,
    options: { labelSelector?: string; fieldSelector?: string } = {},
  ): KubeObject[] {
    const def = this.registry.preferred(group, resource);
    if (!def) return [];
    const listOptions: ListOptions = {
      labelSelector: parseLabelSelector(options.labelSelector ?? null),
      fieldSelector: parseFieldSelector(options.fieldSelector ?? null),
    };
    return this.cluster.list(def, namespace, listOptions).items.map((o) => this.cluster.serve(def, frozen(o)));
  }

  mintToken(namespace: string, serviceAccount: string, options: { expirationSeconds?: number } = {}): string {
    const issued = this.tokens.issue(namespace, serviceAccount, options);
    if (!issued) throw new Error(`mintToken: there is no service account ${namespace}/${serviceAccount}`);
    return issued.token;
  }

  async stop(): Promise<void> {
    await this.close();
    if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
  }
}

let cachedCredentials: ServerCredentials | undefined;

/** Starts a simulator on 127.0.0.1 (a random port unless given) and writes its kubeconfig. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  cachedCredentials ??= generateServerCredentials();
  const simulator = new RunningSimulator(options, cachedCredentials);
  if (options.seed) simulator.seed(options.seed);
  await simulator.listen(options.port ?? 0);
  simulator.writeKubeconfig();
  return simulator;
}
