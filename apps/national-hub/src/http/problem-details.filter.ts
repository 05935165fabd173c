import { Catch, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HubLogger } from '../hub-logger.js';
import { HUB_LOGGER } from './hub.tokens.js';
import { pathOf, PROBLEM_CONTENT_TYPE, toProblem } from './problem-details.js';

/** The one exception filter: every error the hub answers is `application/problem+json`. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(@Inject(HUB_LOGGER) private readonly logger: HubLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { problem, fault } = toProblem(exception, pathOf(request.url));
    if (fault !== undefined) this.logger.error({ err: fault, method: request.method, path: pathOf(request.url) }, 'hub: a request failed');
    if (reply.sent) return;
    if (problem.status === 401) reply.header('www-authenticate', problem.code === 'AUTHENTICATION_REQUIRED' ? 'Bearer' : 'Bearer error="invalid_token"');
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }
}
