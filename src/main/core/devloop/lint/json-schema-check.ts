import { Ajv } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';

const options = { strict: false, allErrors: false, validateFormats: false };

/**
 * Whether a tool's input (or output) schema is a JSON Schema a client can use: ajv compiles it (strict off,
 * since servers legitimately use keywords ajv does not know). Compiled once per distinct schema text.
 */
export class JsonSchemaCheck {
  private readonly draft7 = new Ajv(options);
  private readonly draft2019 = new Ajv2019(options);
  private readonly draft2020 = new Ajv2020(options);
  private readonly seen = new Map<string, string | null>();

  /** null when valid, else why not. */
  problem(schema: unknown): string | null {
    if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return 'not an object';
    const key = JSON.stringify(schema);
    if (this.seen.has(key)) return this.seen.get(key)!;
    let why: string | null = null;
    if ((schema as { type?: unknown }).type !== 'object')
      why = `its type is ${JSON.stringify((schema as { type?: unknown }).type)}, not "object"`;
    else {
      try {
        this.ajvFor(schema).compile(schema as object);
      } catch (err) {
        why = (err as Error).message;
      }
    }
    if (this.seen.size > 1000) this.seen.clear();
    this.seen.set(key, why);
    return why;
  }

  /** A validator for generated arguments (null when the schema does not compile). */
  validator(schema: unknown): ((value: unknown) => boolean) | null {
    try {
      return this.ajvFor(schema).compile(schema as object);
    } catch {
      return null;
    }
  }

  /** The dialect the schema names in `$schema` (servers built with newer tools use 2020-12); draft-07 otherwise. */
  private ajvFor(schema: unknown): Ajv {
    const dialect = String((schema as { $schema?: unknown }).$schema ?? '');
    if (dialect.includes('2020-12')) return this.draft2020;
    if (dialect.includes('2019-09')) return this.draft2019;
    return this.draft7;
  }
}
