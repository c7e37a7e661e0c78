import { KafkaHeaders } from '@duban/contracts';
import { listLine, maskedHeaders, showDocument, viewOf } from './dead-letter-view';

const record = {
  partition: 1,
  offset: '4',
  key: Buffer.from('p-1'),
  value: Buffer.from(JSON.stringify({ id: 'e-1', type: 'duban.x', subject: 's-1', data: {} })),
  headers: {
    Authorization: Buffer.from('Bearer eyJ.secret.sig'),
    [KafkaHeaders.errorReason]: Buffer.from('forbidden'),
    [KafkaHeaders.failedAt]: Buffer.from('2026-11-29T11:00:00.000Z'),
    [KafkaHeaders.originalTopic]: Buffer.from('duban.projects.ingest.v1'),
    [KafkaHeaders.originalPartition]: Buffer.from('2'),
    [KafkaHeaders.originalOffset]: Buffer.from('40'),
    [KafkaHeaders.consumerGroup]: Buffer.from('duban-projects'),
  },
};

describe('dead letter view', () => {
  it('lists where it is, when and why it failed, what it is and where it came from', () => {
    expect(listLine(viewOf(record))).toBe(
      '1:4  2026-11-29T11:00:00.000Z  forbidden  duban.x  e-1  s-1  duban.projects.ingest.v1[2]@40  duban-projects',
    );
  });

  it('never shows a credential, whatever the header case', () => {
    expect(maskedHeaders(record.headers).Authorization).toBe('Bearer ***');
    expect(maskedHeaders({ authorization: Buffer.from('token') }).authorization).toBe('***');
    expect(maskedHeaders({ 'Proxy-Authorization': 'Basic abc' })['Proxy-Authorization']).toBe(
      'Basic ***',
    );
    expect(JSON.stringify(showDocument('t.dlq', viewOf(record)))).not.toContain('secret');
  });

  it('shows a value that is not JSON as text, with dashes where nothing is known', () => {
    const raw = { partition: 0, offset: '0', key: null, value: Buffer.from('{oops'), headers: {} };
    expect(showDocument('t.dlq', viewOf(raw))).toMatchObject({ key: null, event: '{oops' });
    expect(listLine(viewOf(raw))).toBe('0:0  -  -  -  -  -  -[-]@-  -');
  });
});
