import { PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { validate } from '@duban/contracts';
import { ValidationProblem } from './problem';

/** `@Body(new ZodBody(Schema))`: the HTTP end of the one validation path. */
export class ZodBody<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.output<S> {
    const result = validate(this.schema, value);
    if (!result.ok) throw new ValidationProblem(result.issues);
    return result.value;
  }
}
