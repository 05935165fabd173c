import { describe, expect, it } from '@jest/globals';
import { HttpException } from '@nestjs/common';
import { IsOptional, Matches } from 'class-validator';
import { LedgerValidationPipe } from './validation.pipe.js';

class PageQuery {
  @IsOptional() @Matches(/^\d{1,4}$/) limit?: string;
  @IsOptional() @Matches(/^\d{4}-\d{2}$/) period?: string;
}

const pipe = new LedgerValidationPipe();

async function refusal(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (error) {
    return (error as HttpException).getResponse();
  }
  throw new Error('expected a refusal');
}

describe('LedgerValidationPipe', () => {
  describe('when a query parameter is given more than once', () => {
    it('refuses it with a 400 that names it, before the DTO sees an array', async () => {
      const answer = await refusal(() => pipe.transform({ limit: ['1', '2'], period: '2024-04' }, { type: 'query', metatype: PageQuery }));
      expect(answer).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'limit', message: expect.stringMatching(/more than once/) }] });
    });

    it('refuses a single named parameter given twice', async () => {
      const answer = await refusal(() => pipe.transform(['a', 'b'], { type: 'query', metatype: String, data: 'cursor' }));
      expect(answer).toMatchObject({ status: 400, errors: [{ field: 'cursor' }] });
    });

    it('lets every parameter given once through', async () => {
      await expect(pipe.transform({ limit: '10', period: '2024-04' }, { type: 'query', metatype: PageQuery })).resolves.toMatchObject({ limit: '10', period: '2024-04' });
    });
  });
});
