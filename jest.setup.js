// Tests assert on behaviour, not on log lines: keep the output readable.
process.env.DUBAN_LOG_LEVEL ??= 'silent';
process.env.DUBAN_KAFKA_LOG_LEVEL ??= 'nothing';
