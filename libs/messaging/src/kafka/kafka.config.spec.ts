import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaConfigFor } from './kafka.config';

/** A run dir as deploy/local/kafka.sh leaves it, with the local admin's password. */
function localRunDir(password: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'duban-run-'));
  mkdirSync(join(dir, 'kafka'));
  writeFileSync(join(dir, 'kafka', 'admin.password'), `${password}\n`);
  return dir;
}

describe('kafkaConfigFor credentials', () => {
  const runDir = localRunDir('local-secret');

  it('takes the credentials the environment gives', () => {
    const env = {
      DUBAN_KAFKA_USERNAME: 'duban-parks',
      DUBAN_KAFKA_PASSWORD: 'p',
      DUBAN_RUN_DIR: runDir,
    };
    expect(kafkaConfigFor('c', env).sasl).toEqual({
      mechanism: 'scram-sha-512',
      username: 'duban-parks',
      password: 'p',
    });
  });

  it.each(['development', 'test'])(
    'falls back to the local admin when NODE_ENV is %p',
    (nodeEnv) => {
      expect(kafkaConfigFor('c', { NODE_ENV: nodeEnv, DUBAN_RUN_DIR: runDir }).sasl).toEqual({
        mechanism: 'scram-sha-512',
        username: 'admin',
        password: 'local-secret',
      });
    },
  );

  it.each(['production', 'staging'])('refuses NODE_ENV=%p without credentials', (nodeEnv) => {
    expect(() => kafkaConfigFor('c', { NODE_ENV: nodeEnv, DUBAN_RUN_DIR: runDir })).toThrow(
      `NODE_ENV=${nodeEnv} needs DUBAN_KAFKA_USERNAME and DUBAN_KAFKA_PASSWORD`,
    );
  });

  it.each([undefined, ''])('takes NODE_ENV=%p for production, as the services do', (nodeEnv) => {
    expect(() => kafkaConfigFor('c', { NODE_ENV: nodeEnv, DUBAN_RUN_DIR: runDir })).toThrow(
      'an unset NODE_ENV (production) needs DUBAN_KAFKA_USERNAME and DUBAN_KAFKA_PASSWORD ' +
        "(NODE_ENV=development uses the local broker's admin)",
    );
  });

  it('refuses a username without a password', () => {
    expect(() => kafkaConfigFor('c', { NODE_ENV: 'test', DUBAN_KAFKA_USERNAME: 'x' })).toThrow(
      'set together',
    );
  });

  it('connects without SASL where no local broker wrote a password', () => {
    const empty = mkdtempSync(join(tmpdir(), 'duban-run-'));
    expect(kafkaConfigFor('c', { NODE_ENV: 'test', DUBAN_RUN_DIR: empty }).sasl).toBeUndefined();
  });
});

describe('kafkaConfigFor TLS', () => {
  const env = { DUBAN_KAFKA_USERNAME: 'u', DUBAN_KAFKA_PASSWORD: 'p' };
  const dir = mkdtempSync(join(tmpdir(), 'duban-tls-'));
  const ca = join(dir, 'ca.pem');
  writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');

  it('is off unless DUBAN_KAFKA_SSL is true, with an optional CA file', () => {
    expect(kafkaConfigFor('c', env).ssl).toBeUndefined();
    expect(kafkaConfigFor('c', { ...env, DUBAN_KAFKA_SSL: 'true' }).ssl).toEqual({});
    expect(
      kafkaConfigFor('c', { ...env, DUBAN_KAFKA_SSL: 'true', DUBAN_KAFKA_SSL_CA: ca }).ssl,
    ).toEqual({ caFile: ca });
    expect(() => kafkaConfigFor('c', { ...env, DUBAN_KAFKA_SSL: 'yes' })).toThrow(
      'DUBAN_KAFKA_SSL must be true or false',
    );
  });

  it('refuses a CA file it cannot read, or one that is not PEM, naming the variable', () => {
    const missing = join(dir, 'nope.pem');
    expect(() =>
      kafkaConfigFor('c', { ...env, DUBAN_KAFKA_SSL: 'true', DUBAN_KAFKA_SSL_CA: missing }),
    ).toThrow(/^DUBAN_KAFKA_SSL_CA cannot be read: ENOENT/);
    const der = join(dir, 'ca.der');
    writeFileSync(der, Buffer.from([0x30, 0x82, 0x01]));
    expect(() =>
      kafkaConfigFor('c', { ...env, DUBAN_KAFKA_SSL: 'true', DUBAN_KAFKA_SSL_CA: der }),
    ).toThrow(`DUBAN_KAFKA_SSL_CA must be a PEM file of CA certificates: ${der}`);
  });

  it('refuses a CA file without TLS turned on, rather than silently connect in the clear', () => {
    expect(() => kafkaConfigFor('c', { ...env, DUBAN_KAFKA_SSL_CA: ca })).toThrow(
      'DUBAN_KAFKA_SSL_CA is set but DUBAN_KAFKA_SSL is not true',
    );
  });
});
