import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import { API_NAMES } from '../../generated/apis.ts';
import { loadDocument } from '../../server/core/documents.ts';

type SchemaValidator = new (opts: {
  version: string;
  validateApiSpec: boolean;
}) => {
  validate(doc: unknown): { errors: unknown[] };
};

/**
 * The server builds its validators with `validateApiSpec: false` (server/http/spec-schema.ts): the
 * check it skips at every start runs here, with the library's own class, on every bundled document.
 */
const require = createRequire(import.meta.url);
const { OpenAPISchemaValidator } = require('express-openapi-validator/dist/framework/openapi.schema.validator.js') as {
  OpenAPISchemaValidator: SchemaValidator;
};

describe('express-openapi-validator accepts every bundled document against the OpenAPI schema', () => {
  const validator = new OpenAPISchemaValidator({ version: '3.1.0', validateApiSpec: true });

  test.each(API_NAMES)('%s', (api) => {
    const document = loadDocument(api);
    expect(document.openapi).toMatch(/^3\.1\./);
    expect(validator.validate(document).errors).toEqual([]);
  });

  test('the check can fail: a document with an operation that has no responses is refused', () => {
    const document = loadDocument('telemetry') as { paths: Record<string, Record<string, { responses?: unknown }>> };
    const [path] = Object.keys(document.paths);
    const operation = path ? document.paths[path]?.get : undefined;
    if (!operation) throw new Error('telemetry has no GET to break');
    operation.responses = 'none';
    expect(validator.validate(document).errors.length).toBeGreaterThan(0);
  });
});
