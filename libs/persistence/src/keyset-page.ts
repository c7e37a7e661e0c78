import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Keyset pagination on the time-ordered id (uuid v7): stable while rows are being added. Orders
 * the query by id, starts after `cursor` and fetches one row more than `limit` to learn whether
 * another page follows.
 */
export async function keysetPage<T extends ObjectLiteral & { id: string }>(
  qb: SelectQueryBuilder<T>,
  page: { limit: number; cursor?: string },
): Promise<Page<T>> {
  const alias = qb.alias;
  qb.orderBy(`${alias}.id`, 'ASC').take(page.limit + 1);
  if (page.cursor) qb.andWhere(`${alias}.id > :cursor`, { cursor: page.cursor });
  const rows = await qb.getMany();
  const items = rows.slice(0, page.limit);
  return { items, nextCursor: rows.length > page.limit ? items[items.length - 1].id : null };
}
