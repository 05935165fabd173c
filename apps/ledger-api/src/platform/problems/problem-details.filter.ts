import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { pathOf, PROBLEM_CONTENT_TYPE } from './problem-details.js';
import { toProblem } from './problem-mapping.js';

/**
 * The only exception filter: every error response of the API is `application/problem+json`.
 * Nest also routes Fastify's own errors (body parsing, limits, 404s, rate limits) through it.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { problem, fault } = toProblem(exception, pathOf(request.url));
    // Through the request's own logger, so the line carries the id of the request that failed.
    if (fault !== undefined) request.log.error({ context: 'ProblemDetails', ...(fault instanceof Error ? { err: { stack: fault.stack } } : {}) }, `${request.method} ${pathOf(request.url)} failed`);
    if (reply.sent) return;
    if (problem.status === 401) {
      // RFC 6750 §3: tell the client how to authenticate, and whether the token it sent was the problem.
      reply.header('www-authenticate', problem.code === 'AUTHENTICATION_REQUIRED' ? 'Bearer' : 'Bearer error="invalid_token"');
    }
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }
}
