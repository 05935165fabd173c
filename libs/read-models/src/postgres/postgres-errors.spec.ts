import { describe, expect, it } from '@jest/globals';
import { isPostgresConnectionLost } from './postgres-errors.js';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('telling a lost connection to PostgreSQL from a refused batch', () => {
  describe('when the server could not be reached or could not take the batch just then', () => {
    it.each([
      ['a refused connection', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
      ['a reset connection', withCode('ECONNRESET', 'read ECONNRESET')],
      ['a broken pipe', withCode('EPIPE')],
      ['a connection that dropped mid-query', new Error('Connection terminated unexpectedly')],
      ['a pool that timed out connecting', new Error('timeout exceeded when trying to connect')],
      ['a client that lost its connection', new Error('Client has encountered a connection error and is not queryable')],
      ['SQLSTATE 08006 (connection failure)', withCode('08006')],
      ['SQLSTATE 57P01 (the server shutting down)', withCode('57P01', 'terminating connection due to administrator command')],
      ['SQLSTATE 57P03 (the server starting up)', withCode('57P03', 'the database system is starting up')],
      ['SQLSTATE 53300 (too many connections)', withCode('53300')],
      ['SQLSTATE 53100 (disk full)', withCode('53100')],
      ['SQLSTATE 40001 (serialization failure)', withCode('40001')],
      ['SQLSTATE 40P01 (deadlock)', withCode('40P01')],
      ['every address of the host refusing', Object.assign(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], 'all refused'))],
      ['a wrapped network error', new Error('query failed', { cause: withCode('ETIMEDOUT') })],
    ])('is retried: %s', (_, error) => {
      expect(isPostgresConnectionLost(error)).toBe(true);
    });
  });

  describe('when the server judged the batch and refused it', () => {
    it.each([
      ['SQLSTATE 22003 (a value out of range, e.g. 1e21 into bigint)', withCode('22003', 'value "1e+21" is out of range for type bigint')],
      ['SQLSTATE 22P02 (invalid input syntax)', withCode('22P02', 'invalid input syntax for type bigint: "1e+21"')],
      ['SQLSTATE 23505 (a unique constraint)', withCode('23505')],
      ['SQLSTATE 23502 (a not-null constraint)', withCode('23502')],
      ['SQLSTATE 42703 (a column the table does not have)', withCode('42703')],
      ['an error of the projection itself', new TypeError("Cannot read properties of undefined (reading 'number')")],
      ['something that is not an error', 'boom'],
      ['nothing', undefined],
    ])('halts: %s', (_, error) => {
      expect(isPostgresConnectionLost(error)).toBe(false);
    });
  });
});
