// Bytes on the wire: JSON and Status responses, the plain-text 404, request bodies in JSON, YAML or protobuf.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { load } from 'js-yaml';
import { decodeProtobufObject, PROTOBUF_CONTENT_TYPE } from './protobuf.ts';
import { badRequest, StatusError, type StatusBody } from './status.ts';
import type { KubeObject } from './types.ts';

const NEWLINE = Buffer.from('\n');

export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  contentType = 'application/json',
  headers: Record<string, string> = {},
): void {
  sendEncoded(res, code, Buffer.from(JSON.stringify(body)), contentType, headers);
}

/** Sends JSON that is already encoded (see encoding.ts), with the newline the real server ends a body with. */
export function sendEncoded(
  res: ServerResponse,
  code: number,
  json: Buffer,
  contentType = 'application/json',
  headers: Record<string, string> = {},
): void {
  res.writeHead(code, {
    'Content-Type': contentType,
    'Cache-Control': 'no-cache, private',
    'Content-Length': json.length + NEWLINE.length,
    ...headers,
  });
  res.write(json);
  res.end(NEWLINE);
}

export function sendStatus(res: ServerResponse, status: StatusBody, headers: Record<string, string> = {}): void {
  sendJson(res, status.code ?? 500, status, 'application/json', headers);
}

export function pageNotFound(res: ServerResponse): void {
  res.writeHead(404, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache, private',
  });
  res.end('404 page not found\n');
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function parseObjectBody(body: Buffer, contentType: string | undefined): KubeObject {
  const type = (contentType ?? 'application/json').split(';')[0].trim();
  if (type === PROTOBUF_CONTENT_TYPE) return decodeProtobufObject(body);
  try {
    const text = body.toString('utf8');
    const value = type === 'application/yaml' ? load(text) : JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value as KubeObject;
  } catch (error) {
    throw badRequest(
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (${(error as Error).message.split('\n')[0]})`,
    );
  }
}

/** The body of a create-only request, or undefined when it is in an encoding the simulator does not read. */
export function readableBody(body: Buffer, contentType: string | undefined): KubeObject | undefined {
  try {
    return parseObjectBody(body, contentType);
  } catch (error) {
    if (error instanceof StatusError && error.code === 415) return undefined;
    throw error;
  }
}
