import { readSync } from 'node:fs';
import { RepositoryError } from '../errors/index.ts';

/**
 * Reads `length` bytes at `position` of a file into `target` (from its start). `label` names the file in the error
 * when the file ends first: git may have rewritten it (our fd then still reads the old one, so that means damage).
 */
export function readExactly(fd: number, target: Buffer, length: number, position: number, label: string): void {
  for (let read = 0; read < length; ) {
    const got = readSync(fd, target, read, length - read, position + read);
    if (got === 0) throw new RepositoryError(`The ${label} in the repository is shorter than it was.`);
    read += got;
  }
}

/**
 * Reads a file front to back in windows of `windowBytes` (or one range, when a range is bigger): one system call per
 * window instead of one per small read, and memory that stays flat however big the file grows.
 */
export class FileWindow {
  /** What was read last, at `start` of the file: the first bytes of `buffer`. */
  private bytes = Buffer.alloc(0);
  private buffer = Buffer.alloc(0);
  private start = 0;

  constructor(
    private readonly fd: number,
    private readonly fileSize: number,
    private readonly windowBytes: number,
    private readonly label: string,
  ) {}

  /** The bytes from `start` to `end`; valid until the next call. */
  range(start: number, end: number): Buffer {
    if (start < this.start || end > this.start + this.bytes.length)
      this.read(start, Math.max(this.windowBytes, end - start));
    return this.bytes.subarray(start - this.start, end - this.start);
  }

  private read(start: number, length: number): void {
    const size = Math.min(length, this.fileSize - start);
    if (this.buffer.length < size) this.buffer = Buffer.allocUnsafeSlow(size);
    this.bytes = this.buffer.subarray(0, size);
    readExactly(this.fd, this.bytes, size, start, this.label);
    this.start = start;
  }
}
