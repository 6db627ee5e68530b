/** Tests live next to the part they test, in `<part>/test/**\/*.test.ts`. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/analyzer', '<rootDir>/facade', '<rootDir>/extract', '<rootDir>/viz', '<rootDir>/cli', '<rootDir>/sample-monolith', '<rootDir>/bench', '<rootDir>/demo'],
  testMatch: ['**/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/fixtures/', '/dist/'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
  moduleNameMapper: { '^@shared/(.*)$': '<rootDir>/sample-monolith/src/shared/$1' },
  testTimeout: 60000,
  maxWorkers: 2,
};
