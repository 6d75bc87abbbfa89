// Cluster IPs and node ports handed out in order, as a fresh cluster's allocators would.
import type { Allocator } from './defaults.ts';

export class SequentialAllocator implements Allocator {
  private nextIp = 10;
  private nextPort = 30000;
  clusterIP(): string {
    const n = this.nextIp++;
    return `10.96.${Math.floor(n / 256) % 256}.${n % 256}`;
  }
  nodePort(): number {
    const port = this.nextPort++;
    if (this.nextPort > 32767) this.nextPort = 30000;
    return port;
  }
}
