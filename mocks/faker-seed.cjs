// Loaded into the Prism process (node --require). Prism seeds json-schema-faker for --seed, but not
// faker, which the documents' x-faker hints call: reseed faker before every generated body so that
// `--dynamic --seed N` answers the same bodies on every run, hints included.
const { dirname } = require('node:path');

const seed = process.env.RUN_API_MOCK_SEED;
if (seed) {
  const from = { paths: [dirname(require.resolve('@stoplight/prism-http'))] };
  const { JSONSchemaFaker } = require(require.resolve('json-schema-faker', from));
  const { faker } = require(require.resolve('@faker-js/faker', from));
  const generate = JSONSchemaFaker.generate.bind(JSONSchemaFaker);
  const n = [...seed].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  JSONSchemaFaker.generate = (...args) => {
    faker.seed(n);
    return generate(...args);
  };
}
