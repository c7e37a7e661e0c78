import { PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { validate } from '@duban/contracts';
import { ValidationProblem } from './problem';

/** `@Param('id', new ZodParam('id', Uuid))`: a bad path or query value is a 400 naming it. */
export class ZodParam<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    private readonly name: string,
    private readonly schema: S,
  ) {}

  transform(value: unknown): z.output<S> {
    const result = validate(this.schema, value);
    if (!result.ok) {
      throw new ValidationProblem(
        result.issues.map((i) => ({
          field: i.field === '(body)' ? this.name : `${this.name}.${i.field}`,
          message: i.message,
        })),
      );
    }
    return result.value;
  }
}
