import { KafkaConfig } from '../kafka/kafka.config';
import { scramDeleteCommand, scramPasswordCommand } from './scram-users';

const ADMIN_PASSWORD = 'admin-pw-4f1c9a7e2b';
const NEW_PASSWORD = 'new-pw-9d3e7b1a5c';
const admin: KafkaConfig = {
  brokers: ['127.0.0.1:9092'],
  clientId: 'c',
  topicPrefix: '',
  sasl: { mechanism: 'scram-sha-512', username: 'admin', password: ADMIN_PASSWORD },
};
const DIR = '/tmp/duban-kafka-x';

describe('the ConfigCommand that sets a SCRAM password', () => {
  const command = scramPasswordCommand(admin, 'department.agri', NEW_PASSWORD, DIR);

  it('carries no password in its arguments, which `ps` shows to every local user', () => {
    const argv = command.args.join(' ');
    expect(argv).not.toContain(NEW_PASSWORD);
    expect(argv).not.toContain(ADMIN_PASSWORD);
  });

  it('hands the tool its arguments in a launcher file, and the admin login in another', () => {
    expect(command.args.at(-1)).toBe(`@${DIR}/config-command.args`);
    expect(command.files['config-command.args'].split('\n')).toEqual(
      expect.arrayContaining([
        '"kafka.admin.ConfigCommand"',
        '"--command-config"',
        `"${DIR}/admin.properties"`,
        '"--add-config"',
        `"SCRAM-SHA-512=[password=${NEW_PASSWORD}]"`,
        '"--entity-name"',
        '"department.agri"',
      ]),
    );
    expect(command.files['admin.properties']).toContain(`password="${ADMIN_PASSWORD}"`);
  });

  it('escapes what the launcher file would read as quotes or escapes', () => {
    const odd = scramPasswordCommand(admin, 'department.agri', 'a"b\\c', DIR);
    expect(odd.files['config-command.args']).toContain('"SCRAM-SHA-512=[password=a\\"b\\\\c]"');
  });

  it('deletes a user with no secret in its arguments either', () => {
    const command = scramDeleteCommand(admin, 'department.agri', DIR);
    expect(command.args.join(' ')).not.toContain(ADMIN_PASSWORD);
    expect(command.files['config-command.args']).toContain('"--delete-config"\n"SCRAM-SHA-512"');
  });
});
