import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * One POST a caller marked with an `Idempotency-Key`: claimed as `pending` before the handler
 * runs, then `done` with the response that every retry of it gets again.
 */
@Entity('idempotency_keys')
export class IdempotencyKey {
  /**
   * Whose key this is: the principal's role, unit, region and subject (a JSON array), or
   * 'anonymous'. Callers never collide, however alike their subjects.
   */
  @PrimaryColumn({ type: 'text' })
  scope!: string;

  @PrimaryColumn({ type: 'text' })
  key!: string;

  /** sha256 of method, URL and canonical body: a reused key with another request is refused. */
  @Column({ type: 'text' })
  fingerprint!: string;

  @Column({ type: 'text' })
  state!: 'pending' | 'done';

  @Column({ type: 'int', nullable: true })
  responseStatus!: number | null;

  @Column({ type: 'jsonb', nullable: true })
  responseBody!: unknown;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
