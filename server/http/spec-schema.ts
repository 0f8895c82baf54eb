import { createRequire } from 'node:module';

type SchemaValidatorModule = {
  OpenAPISchemaValidator: new (opts: {
    version: string;
    validateApiSpec: boolean;
  }) => { validate(doc: unknown): unknown };
};

let patched = false;

/**
 * express-openapi-validator 5.6 compiles the whole OpenAPI 3.1 schema with ajv for every validator
 * it builds, even with `validateApiSpec: false`, where it never uses the result: about 40% of the
 * validator's start-up CPU, five times over (one validator per API). With the check off, this
 * answers the constructor with a validator that finds nothing, so nothing is compiled. The
 * documents are still checked against that schema, by the library's own class, in
 * test/spec/validator-accepts-documents.test.ts. Pinned library: a change of its internals fails
 * every server test at start, never silently.
 */
export function skipUnusedSpecSchema(): void {
  if (patched) return;
  const require = createRequire(import.meta.url);
  const mod = require('express-openapi-validator/dist/framework/openapi.schema.validator.js') as SchemaValidatorModule;
  const Original = mod.OpenAPISchemaValidator;
  if (typeof Original !== 'function') throw new Error('express-openapi-validator: OpenAPISchemaValidator moved');
  mod.OpenAPISchemaValidator = function SpecSchemaWhenChecked(opts: { version: string; validateApiSpec: boolean }) {
    return opts.validateApiSpec ? new Original(opts) : { validate: () => ({ errors: [] }) };
  } as unknown as SchemaValidatorModule['OpenAPISchemaValidator'];
  patched = true;
}
