import { developmentUnlessSet } from '@duban/contracts';
import { parseArgs } from 'node:util';
import { DEV_INGEST_SECRET, ingestSecretFrom } from './ingest-key';
import { IngestKeyId, deriveIngestKey, formatKeyId, parseKeyId } from './ingest-signature';

const USAGE =
  'usage: npm run -s ingest-key -- --unit <code> --region <6-digit code> [--key-version <n>]';

function keyIdFrom(args: string[]): IngestKeyId {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      unit: { type: 'string' },
      region: { type: 'string' },
      'key-version': { type: 'string', default: '1' },
    },
  });
  const { unit, region } = values;
  if (unit === undefined || region === undefined)
    throw new Error('--unit and --region are required');
  // The consumer accepts only what parseKeyId accepts, so the CLI hands out nothing else.
  const keyId = parseKeyId(`${region}:${unit}:${values['key-version']}`);
  if (!keyId) {
    throw new Error('unit must be 2-32 of A-Z 0-9 -, region 6 digits, key version 1 or more');
  }
  return keyId;
}

/** Prints a department system's ingest key on stdout and its key id on stderr. */
function main(args: string[]): number {
  // A local tool like the other CLIs: without NODE_ENV it signs with the (announced) dev secret.
  developmentUnlessSet();
  const secret = ingestSecretFrom();
  let keyId: IngestKeyId;
  try {
    keyId = keyIdFrom(args);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  if (secret === DEV_INGEST_SECRET) {
    process.stderr.write('note: derived from the development secret; set DUBAN_INGEST_SECRET\n');
  }
  process.stderr.write(`key id (header duban-key-id): ${formatKeyId(keyId)}\n`);
  process.stdout.write(`${deriveIngestKey(secret, keyId)}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
