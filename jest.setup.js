// Said, not left to jest: only NODE_ENV=development|test is a local run (the local broker's admin,
// dev secrets); processes the tests start inherit it.
process.env.NODE_ENV ??= 'test';
// Tests assert on behaviour, not on log lines: keep the output readable.
process.env.DUBAN_LOG_LEVEL ??= 'silent';
process.env.DUBAN_KAFKA_LOG_LEVEL ??= 'nothing';
