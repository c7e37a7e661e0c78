import { HttpException, HttpStatus } from '@nestjs/common';
import { FieldIssue } from '@duban/contracts';

/** RFC 9457 problem details, the one error shape of every Duban HTTP API. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldIssue[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** 400 with the field-level issues of the one validation path (contracts `validate`). */
export class ValidationProblem extends HttpException {
  constructor(readonly issues: FieldIssue[]) {
    super(
      {
        type: 'urn:duban:problem:validation',
        title: 'Invalid request',
        status: HttpStatus.BAD_REQUEST,
        detail: issues.map((i) => `${i.field}: ${i.message}`).join('; '),
        errors: issues,
      } satisfies Problem,
      HttpStatus.BAD_REQUEST,
    );
  }
}
