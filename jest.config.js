const fs = require('node:fs');
const path = require('node:path');

/** Tests live next to the part they test, in `<part>/test/**\/*.test.ts`. Parts not started yet have no folder. */
const PARTS = ['analyzer', 'facade', 'export', 'extract', 'viz', 'cli', 'sample-monolith', 'bench', 'demo'];

module.exports = {
  testEnvironment: 'node',
  roots: PARTS.filter((p) => fs.existsSync(path.join(__dirname, p))).map((p) => `<rootDir>/${p}`),
  testMatch: ['**/test/**/*.test.ts'],
  // bench/.corpora holds real apps laid out for the benches (their own tests, package.json files): never this project's tests or modules.
  testPathIgnorePatterns: ['/node_modules/', '/fixtures/', '/dist/', '<rootDir>/bench/.corpora/'],
  modulePathIgnorePatterns: ['<rootDir>/bench/.corpora/'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
  moduleNameMapper: { '^@shared/(.*)$': '<rootDir>/sample-monolith/src/shared/$1' },
  testTimeout: 60000,
  maxWorkers: 2,
};
