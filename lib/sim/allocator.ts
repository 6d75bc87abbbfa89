// What hands out cluster IPs and node ports to Services, and the simulator's: in order, as a fresh cluster's
// allocators would.

export interface Allocator {
  clusterIP(): string;
  nodePort(): number;
}

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
