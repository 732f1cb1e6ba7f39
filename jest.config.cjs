// Jest on Node 20 cannot load ESM-only packages (jose, fhir-kit-client) natively: @swc/jest transforms
// them to CommonJS (see ../shared/notes/dependencies.md, point 5).
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|m?j)s$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
  transformIgnorePatterns: ['/node_modules/(?!(jose|fhir-kit-client)/)'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    '^fhir-kit-client$': '<rootDir>/node_modules/fhir-kit-client/dist/index.js',
  },
  setupFilesAfterEnv: ['<rootDir>/test/setup/restore-nock.ts'],
  testTimeout: 30000,
};
