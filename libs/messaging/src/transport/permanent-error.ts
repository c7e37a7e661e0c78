/**
 * A failure that retrying cannot fix (invalid update, refused by a business rule): the
 * consumer dead-letters the message at once instead of spending its retries.
 */
export class PermanentError extends Error {
  constructor(
    message: string,
    readonly reason = 'rejected',
  ) {
    super(message);
  }
}
