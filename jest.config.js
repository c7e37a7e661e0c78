// Two projects: `unit` needs nothing running; `integration` talks to the real
// PostgreSQL, Kafka and Redis that deploy/local/up.sh starts.
const moduleNameMapper = {
  '^@duban/(contracts|messaging|persistence|auth|observability|testing|platform|milestones|calendar)$':
    '<rootDir>/libs/$1/src',
};
const common = {
  rootDir: __dirname,
  moduleFileExtensions: ['js', 'json', 'ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  testEnvironment: 'node',
  moduleNameMapper,
  setupFiles: ['<rootDir>/jest.setup.js'],
};
module.exports = {
  // Integration tests wait on real brokers and group joins; unit tests finish far sooner.
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.int-spec.ts'],
    },
  ],
};
