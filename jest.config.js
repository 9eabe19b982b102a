// Two projects: fast unit specs beside the code, and end-to-end suites that start the built server on loopback.
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
    },
  },
];
const shared = {
  // The A2A SDK's CommonJS build requires jose 6, which ships ES modules only: Jest compiles it like our sources.
  transform: { '^.+\\.ts$': swc, '/node_modules/jose/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleNameMapper: {
    '^@ioa/protocol(.*)$': '<rootDir>/libs/protocol/src$1',
    '^@ioa/client(.*)$': '<rootDir>/libs/client/src$1',
  },
  testEnvironment: 'node',
};
module.exports = {
  // Generous, because end-to-end suites start real servers (and PostgreSQL) on a 2-core machine.
  testTimeout: 60_000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts'] },
    // End-to-end suites start the built server as a child process on loopback.
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
