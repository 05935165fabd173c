/**
 * Errors of the pg driver that mean PostgreSQL could not be reached or could not take the batch
 * just then, as opposed to having judged it and refused it. SQLSTATE classes (Appendix A of the
 * PostgreSQL manual): 08 connection exception, 53 insufficient resources (too many connections, a
 * full disk), 57P01–57P03 the server shutting down or starting, 57014 a statement cancelled by an
 * operator or a timeout, 40001/40P01 a serialization failure or deadlock, 55P03 a lock not granted.
 * Anything else (22 data exception, 23 integrity constraint, 42 a statement the schema does not
 * fit…) is a refusal.
 */
const RETRYABLE_SQLSTATE = /^(08|53)|^(57P01|57P02|57P03|57014|40001|40P01|55P03)$/;

/** The network errors of Node's sockets on the way to the server. */
const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'EHOSTDOWN', 'ENETUNREACH', 'ENETDOWN', 'ENOTFOUND', 'EAI_AGAIN']);

/** pg's own errors for a connection that dropped or never came, which carry no code. */
const DROPPED_CONNECTION = /Connection terminated|timeout exceeded when trying to connect|is not queryable|Query read timeout/i;

export function isPostgresConnectionLost(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (NETWORK_ERRORS.has(code) || (/^[0-9A-Z]{5}$/.test(code) && RETRYABLE_SQLSTATE.test(code)))) return true;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return false;
    if (typeof message === 'string' && DROPPED_CONNECTION.test(message)) return true;
    // An AggregateError (a host with several addresses, each refused) carries the socket errors.
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0 && errors.every((inner) => isPostgresConnectionLost(inner))) return true;
  }
  return false;
}
