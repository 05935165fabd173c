import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

/**
 * The problem details every refusal carries, as the OpenAPI document describes them: the shape
 * `problem()` builds and the exception filter sends. Declared once; every operation's problem
 * responses refer to it.
 */

@ApiSchema({ name: 'FieldError', description: 'One refused value: where it is and why.' })
export class FieldErrorDto {
  @ApiProperty({
    description: 'Where the value is: a body path, dotted for nested objects and indexed for lists (`decision.date`, `items[2].amount`), or a query parameter or header name.',
    example: 'decision.date',
  })
  field!: string;

  @ApiProperty({ description: 'Why it was refused, for a person to read.', example: 'date must be a date YYYY-MM-DD' })
  message!: string;
}

@ApiSchema({
  name: 'ProblemDetails',
  description:
    'RFC 9457 problem details (`application/problem+json`), with `code`, the stable reason to branch on. A refusal may add members of its own (for example `paymentFiles` beside PAYMENT_FILE_NOT_FOUND, `checks` beside NOT_READY).',
})
export class ProblemDetailsDto {
  @ApiProperty({ description: 'The problem type: `/problems/` and the code in kebab case.', format: 'uri-reference', example: '/problems/validation-failed' })
  type!: string;

  @ApiProperty({ description: 'The same for every occurrence of this code.', example: 'Validation failed' })
  title!: string;

  @ApiProperty({ description: 'The HTTP status, repeated.', type: 'integer', minimum: 400, maximum: 599, example: 400 })
  status!: number;

  @ApiProperty({ description: 'What went wrong in this occurrence, for a person to read.', example: 'The request has 1 invalid field.' })
  detail!: string;

  @ApiPropertyOptional({ description: 'The request path, without its query.', format: 'uri-reference', example: '/v1/beneficiaries' })
  instance?: string;

  @ApiProperty({ description: 'The stable reason, in upper snake case.', pattern: '^[A-Z][A-Z0-9_]*$', example: 'VALIDATION_FAILED' })
  code!: string;

  @ApiPropertyOptional({ description: 'Each refused value, on a 400 about the request’s own values.', type: () => FieldErrorDto, isArray: true })
  errors?: FieldErrorDto[];
}
