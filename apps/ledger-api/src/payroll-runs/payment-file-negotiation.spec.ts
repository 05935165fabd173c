import { describe, expect, it } from '@jest/globals';
import { HttpException } from '@nestjs/common';
import { paymentFileFormatOf } from './payment-file-negotiation.js';

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('paymentFileFormatOf', () => {
  describe('when the Accept header names no format', () => {
    it.each([undefined, '', '  ', '*/*', 'text/*'])('answers CSV, as before there was a choice (%j)', (accept) => {
      expect(paymentFileFormatOf(accept, 'VBA')).toBe('csv');
      expect(paymentFileFormatOf(accept, 'POST_OFFICE')).toBe('csv');
    });
  });

  describe('when it names a format the paying agent’s file is served in', () => {
    it('answers a bank’s file as pain.001 and the Post Office’s as a PDF', () => {
      expect(paymentFileFormatOf('application/xml', 'VBA')).toBe('pain001');
      expect(paymentFileFormatOf('application/pdf', 'POST_OFFICE')).toBe('pdf');
      expect(paymentFileFormatOf('Application/PDF', 'POST_OFFICE')).toBe('pdf');
      expect(paymentFileFormatOf('text/csv; charset=utf-8', 'VBA')).toBe('csv');
    });

    it('takes the higher quality, then a type named outright over a wildcard, then the first named', () => {
      expect(paymentFileFormatOf('text/csv;q=0.5, application/xml', 'VBA')).toBe('pain001');
      expect(paymentFileFormatOf('application/xml, text/csv', 'VBA')).toBe('pain001');
      expect(paymentFileFormatOf('text/csv, application/xml', 'VBA')).toBe('csv');
      expect(paymentFileFormatOf('text/*, application/pdf', 'POST_OFFICE')).toBe('pdf');
      expect(paymentFileFormatOf('text/csv;q=0, */*', 'VBA')).toBe('pain001');
    });

    it('follows a browser’s header: XML preferred to anything, else CSV', () => {
      expect(paymentFileFormatOf(BROWSER, 'VBA')).toBe('pain001');
      expect(paymentFileFormatOf(BROWSER, 'POST_OFFICE')).toBe('csv');
    });
  });

  describe('when it accepts none of the file’s formats', () => {
    it.each([
      ['image/png', 'VBA'],
      ['application/pdf', 'VBA'],
      ['application/xml', 'POST_OFFICE'],
      ['*/*;q=0', 'VBA'],
      ['text/csv;q=0, application/pdf;q=0', 'POST_OFFICE'],
      ['not a media type', 'VBA'],
      ['text/csv;q=2', 'VBA'],
    ])('refuses %j for %s with a 406 problem naming those there are', (accept, paymentFile) => {
      let refusal: unknown;
      try {
        paymentFileFormatOf(accept, paymentFile);
      } catch (caught) {
        refusal = caught;
      }
      expect(refusal).toBeInstanceOf(HttpException);
      expect((refusal as HttpException).getStatus()).toBe(406);
      expect((refusal as HttpException).getResponse()).toMatchObject({
        status: 406,
        code: 'NOT_ACCEPTABLE',
        available: paymentFile === 'POST_OFFICE' ? ['text/csv', 'application/pdf'] : ['text/csv', 'application/xml'],
      });
    });
  });
});
