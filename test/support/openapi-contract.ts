import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

/** A response as the client saw it. */
export interface SeenResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

const pointerPart = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * docs/openapi.yaml as a test oracle: checks real responses against the operation's documented
 * status, headers, content type and body schema, and remembers which statuses were seen.
 */
export class OpenApiContract {
  readonly document: Json = parse(
    readFileSync(resolve(__dirname, '../../docs/openapi.yaml'), 'utf8'),
  ) as Json;
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly seen = new Set<string>();

  constructor() {
    addFormats(this.ajv);
    this.ajv.addSchema(this.document, 'openapi');
  }

  /** Every documented `METHOD path status` that no checked response exercised. */
  unexercised(): string[] {
    return this.operations().flatMap(({ path, method, operation }) =>
      Object.keys(operation.responses as Json)
        .map((status) => `${method.toUpperCase()} ${path} ${status}`)
        .filter((key) => !this.seen.has(key)),
    );
  }

  operations(): Array<{ path: string; method: string; operation: Json }> {
    return Object.entries(this.document.paths as Record<string, Json>).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({
        path,
        method,
        operation: operation as Json,
      })),
    );
  }

  /** What is wrong with `response` to `METHOD path` by the document; empty when nothing. */
  violations(method: string, path: string, response: SeenResponse): string[] {
    const status = String(response.status);
    this.seen.add(`${method} ${path} ${status}`);
    let pointer = `/paths/${pointerPart(path)}/${method.toLowerCase()}/responses/${status}`;
    let documented = this.at(pointer);
    if (documented === undefined) return [`status ${status} is not documented`];
    if (typeof documented.$ref === 'string') {
      pointer = documented.$ref.slice(1);
      documented = this.at(pointer)!;
    }
    return [
      ...this.headerViolations((documented.headers ?? {}) as Record<string, Json>, response),
      ...this.bodyViolations(pointer, (documented.content ?? {}) as Json, response),
    ];
  }

  private headerViolations(headers: Record<string, Json>, response: SeenResponse): string[] {
    return Object.entries(headers).flatMap(([name, declared]) => {
      const header = (
        typeof declared.$ref === 'string' ? this.at(declared.$ref.slice(1)) : declared
      )!;
      const value = response.headers.get(name);
      if (value === null) return header.required === true ? [`header ${name} is missing`] : [];
      const valid = this.ajv.validate(header.schema as Json, value);
      return valid ? [] : [`header ${name}: ${this.ajv.errorsText()}`];
    });
  }

  private bodyViolations(pointer: string, content: Json, response: SeenResponse): string[] {
    const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
    if (!(type in content)) return [`content type ${type} is not documented`];
    const body: unknown = type.endsWith('json') ? JSON.parse(response.text) : response.text;
    const schema = { $ref: `openapi#${pointer}/content/${pointerPart(type)}/schema` };
    return this.ajv.validate(schema, body) ? [] : [`body: ${this.ajv.errorsText()}`];
  }

  private at(pointer: string): Json | undefined {
    let node: unknown = this.document;
    for (const part of pointer.split('/').slice(1)) {
      const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
      node = typeof node === 'object' && node !== null ? (node as Json)[key] : undefined;
    }
    return node as Json | undefined;
  }
}
