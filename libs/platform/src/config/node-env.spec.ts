import { developmentUnlessSet } from '@duban/contracts';
import { kafkaConfigFor } from '@duban/messaging';
import { ConfigError, Env, loadConfig } from './load-config';
import { serviceConfigSchema } from './service-config';

/** Production answers, for every check that differs between production and a local run. */
const PRODUCTION_READY: Env = {
  DUBAN_AUTH_SECRET: 'f3a9c2e87b1d4056a9e2c7b3d8f1e0a4c6b2d9e8f7a1c3b5',
  DUBAN_KAFKA_USERNAME: 'duban-evaluation',
  DUBAN_KAFKA_PASSWORD: 'kafka-password',
};

/** Whether a service started with this NODE_ENV takes itself for production. */
const serviceIsProduction = (nodeEnv: string | undefined): boolean =>
  loadConfig(serviceConfigSchema('evaluation'), { ...PRODUCTION_READY, NODE_ENV: nodeEnv })
    .production;

/** Whether the Kafka client with this NODE_ENV refuses to fall back to the local admin. */
function kafkaIsProduction(nodeEnv: string | undefined): boolean {
  try {
    kafkaConfigFor('c', { NODE_ENV: nodeEnv });
    return false;
  } catch (error) {
    if ((error as Error).message.includes('needs DUBAN_KAFKA_USERNAME')) return true;
    throw error;
  }
}

describe('NODE_ENV, one rule for the services and the Kafka client', () => {
  it.each([
    [undefined, true],
    ['', true],
    ['production', true],
    ['staging', true],
    ['Development', true],
    ['development', false],
    ['test', false],
  ])('NODE_ENV=%p is production: %p, for both', (nodeEnv, production) => {
    expect(serviceIsProduction(nodeEnv)).toBe(production);
    expect(kafkaIsProduction(nodeEnv)).toBe(production);
  });

  it('stops a production service without Kafka credentials, naming the variables', () => {
    const env = {
      ...PRODUCTION_READY,
      DUBAN_KAFKA_USERNAME: undefined,
      DUBAN_KAFKA_PASSWORD: undefined,
    };
    expect(() => loadConfig(serviceConfigSchema('evaluation'), env)).toThrow(ConfigError);
    expect(() => loadConfig(serviceConfigSchema('evaluation'), env)).toThrow(
      /needs DUBAN_KAFKA_USERNAME and DUBAN_KAFKA_PASSWORD/,
    );
  });

  it('lets a local tool say it is a development run, and never overrides a set value', () => {
    const unset: NodeJS.ProcessEnv = {};
    developmentUnlessSet(unset);
    expect(unset.NODE_ENV).toBe('development');
    const production: NodeJS.ProcessEnv = { NODE_ENV: 'production' };
    developmentUnlessSet(production);
    expect(production.NODE_ENV).toBe('production');
  });
});
