import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strimziUsersYaml } from './strimzi-users';

describe('deploy/k8s/kafka-users.yaml', () => {
  it('declares exactly the ACLs the code grants (regenerate it when this fails)', () => {
    const file = join(__dirname, '..', '..', '..', '..', 'deploy', 'k8s', 'kafka-users.yaml');
    expect(readFileSync(file, 'utf8')).toBe(strimziUsersYaml());
  });
});
