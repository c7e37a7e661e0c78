import { z } from 'zod';

export interface EventDefinition<S extends z.ZodType = z.ZodType> {
  type: string;
  version: number;
  schema: S;
  description: string;
}

export const define = <S extends z.ZodType>(
  type: string,
  schema: S,
  description: string,
  version = 1,
): EventDefinition<S> => ({ type, version, schema, description });
